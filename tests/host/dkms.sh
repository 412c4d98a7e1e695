#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.sh - the tracked sources, as a DKMS package, build vmscope.ko for
# every installed kernel.  Works on a copy of the files git tracks (so a
# file someone forgot to "git add" breaks this test, as it would break a
# real DKMS install) in a private dkms/source/install tree: /usr/src,
# /var/lib/dkms and /lib/modules are never touched.  TAP output.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"

if ! command -v dkms >/dev/null; then
	skip "dkms" "dkms is not installed (scripts/setup installs it)"
	tap_done
	exit
fi

conf_value() {
	sed -n "s/^$1=\"\\{0,1\\}\\([^\"]*\\)\"\\{0,1\\}\$/\\1/p" "$top/dkms.conf"
}
name=$(conf_value PACKAGE_NAME)
version=$(conf_value PACKAGE_VERSION)
work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-dkms.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/src/$name-$version
mkdir -p "$src" "$work/dkms" "$work/install" "$work/keys"

# The files git tracks, as they are in the working tree; outside a git
# checkout (a release tarball) everything but build products.
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z | while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"
	done | cpio -p0dm --quiet "$src")
	from="tracked files"
else
	(cd "$top" && find . -path ./build -prune -o -type f -print0 |
	 cpio -p0dm --quiet "$src")
	from="source tree"
fi

# Signing keys in the private tree too: DKMS would otherwise create
# /var/lib/dkms/mok.key on a kernel that signs modules.
export mok_signing_key=$work/keys/mok.key mok_certificate=$work/keys/mok.pub
dkms_() {
	dkms --dkmstree "$work/dkms" --sourcetree "$work/src" \
	     --installtree "$work/install" "$@"
}

# dkms_build REL: "dkms build" for kernel REL with that kernel's compiler,
# which for a kernel of another Debian suite (7.x) is in its build chroot
# (scripts/kenv), as a user's own DKMS would be on that system.
dkms_build() {
	# shellcheck disable=SC2016
	KENV_BIND=$work "$top/scripts/kenv" "$1" sh -c \
		'exec dkms --dkmstree "$1/dkms" --sourcetree "$1/src" \
		      --installtree "$1/install" build -m "$2" -v "$3" -k "$4" \
		      --kernelsourcedir "$KDIR"' \
		dkms "$work" "$name" "$version" "$1"
}

if out=$(dkms_ add -m "$name" -v "$version" 2>&1); then
	ok "dkms add $name/$version from the $from"
else
	not_ok "dkms add $name/$version from the $from"
	diag "$out"
	tap_done
	exit
fi

kernels=$("$top/scripts/kernels" list)
[ -n "$kernels" ] ||
	skip "dkms build" "no kernel with headers installed (run scripts/setup)"

module_version=$(sed -n 's/^MODULE_VERSION("\(.*\)");/\1/p' \
		 "$top"/module/*.c | sed -n 1p)

for ver in $kernels; do
	if ! out=$(dkms_build "$ver" 2>&1); then
		not_ok "dkms build -k $ver"
		diag "$out"
		log=$work/dkms/$name/$version/build/make.log
		[ -f "$log" ] && diag "$(tail -n 30 "$log")"
		untracked=$(cd "$top" && git ls-files --others --exclude-standard \
			    module 2>/dev/null | tr '\n' ' ')
		[ -z "$untracked" ] ||
			diag "not in the package, since git does not track them: $untracked"
		skip "vermagic $ver" "build failed"
		skip "version $ver" "build failed"
		continue
	fi
	ok "dkms build -k $ver"

	ko=$(find "$work/dkms/$name/$version/$ver" -name "$name.ko*" | sed -n 1p)
	if [ -z "$ko" ]; then
		not_ok "vermagic $ver: no $name.ko in the DKMS tree"
		diag "$(find "$work/dkms/$name/$version" | sed -n 1,40p)"
	else
		magic=$(modinfo -F vermagic "$ko" 2>&1)
		case "$magic" in
		"$ver "*) ok "vermagic $ver: $(basename "$ko") says '${magic% }'" ;;
		*) not_ok "vermagic $ver: $(basename "$ko") says '$magic'" ;;
		esac
	fi

	modver=$([ -n "$ko" ] && modinfo -F version "$ko" 2>/dev/null)
	if [ "$modver" = "$version" ] && [ "$module_version" = "$version" ]; then
		ok "version $ver: module and dkms.conf both say $version"
	else
		not_ok "version $ver: module says '${modver}', dkms.conf '$version'"
	fi
done

# Nothing leaked into the system's trees.
leaked=$(find "$work/install" -mindepth 1 | sed -n 1,5p)
if [ -z "$leaked" ] && [ ! -d "/var/lib/dkms/$name/$version" ]; then
	ok "private trees only: nothing installed"
else
	not_ok "private trees only: nothing installed"
	diag "$leaked"
fi
tap_done
