#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh - "make deb" (scripts/deb): the source package and its two
# binary packages are built, hold what they should and nothing else
# (compared with the files git tracks and the tree's own dkms.conf, manual
# pages and completion), and lintian finds nothing to say about them,
# overrides aside (each has its reason in debian/).
#
# Then vmscope-dkms is installed with apt ("apt-get install ./FILE.deb",
# so its dependencies resolve as on a user's machine) into a clean
# bookworm root that has the headers of bookworm's pinned kernels
# (scripts/kernels.conf) and nothing of vmscope: DKMS must build and
# install vmscope.ko for each of those kernels (its vermagic and version
# are checked), and removing the package must remove every module again.
# The client package is installed there too, and its program runs.
#
# The root (debootstrap, the headers, and the packages vmscope's depend
# on, downloaded but not installed) is cached as a tarball under
# build/cache/deb/, keyed on the kernels and this recipe, as the kernels
# are; each run unpacks a fresh copy.  Its mounts live in a private mount
# namespace and it is removed only when nothing is mounted under it
# (tests/host/root.bash).
#
# The chroot part takes about 3 minutes with the root cached, 8 without
# (debootstrap and the headers): "make check" leaves it out
# (VMSCOPE_DEB_CHROOT=0, from scripts/check) to keep CI within its hour on
# a fresh machine; "make check-full" and this script alone run it.  TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
# shellcheck source=tests/host/root.bash
. "$top/tests/host/root.bash"

missing=""
for tool in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$tool" >/dev/null || missing+=" $tool"
done
if [ -n "$missing" ]; then
	skip "make deb" "needs$missing (scripts/setup installs them)"
	tap_done
	exit
fi

version=$(sed -n 's/^MODULE_VERSION("\(.*\)");/\1/p' "$top/module/main.c")
mkdir -p "$top/build"
work=$(mktemp -d "$top/build/deb-test.XXXXXX")
trap 'remove_root "$work"' EXIT
trap 'exit 130' INT TERM HUP
start=$SECONDS

# tracked [PATH...]: the files git tracks (under PATH), sorted
tracked() {
	(cd "$top" && git ls-files -- "$@" | while IFS= read -r f; do
		[ -e "$f" ] && printf '%s\n' "$f"
	done | LC_ALL=C sort)
}
in_git=0
git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1 && in_git=1

# same NAME WANT GOT: ok when the two lists are equal, else the difference
same() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") |
			grep '^[<>]' | sed 's/^</missing:/; s/^>/extra:  /')"
	fi
}

# ---- build
out=$work/b/out
t=$SECONDS
if ! "$top/scripts/deb" "$out" >"$work/deb.log" 2>&1; then
	not_ok "make deb (scripts/deb)"
	diag "$(tail -n 30 "$work/deb.log")"
	tap_done
	exit
fi
dkms_deb=$out/vmscope-dkms_${version}_amd64.deb
cli_deb=$out/vmscope_${version}_amd64.deb
changes=$out/vmscope_${version}_amd64.changes
want="vmscope-dbgsym_${version}_amd64.deb
vmscope-dkms_${version}_amd64.deb
vmscope_${version}.dsc
vmscope_${version}.tar.xz
vmscope_${version}_amd64.buildinfo
vmscope_${version}_amd64.changes
vmscope_${version}_amd64.deb"
got=$(cd "$out" && find . -mindepth 1 -maxdepth 1 ! -name build.log |
      sed 's|^\./||' | LC_ALL=C sort)
same "make deb: source package and vmscope, vmscope-dkms $version in OUTDIR ($((SECONDS - t)) s)" \
	"$want" "$got"
# dpkg-buildpackage writes to the parent of the tree it builds; that is
# OUTDIR, and nothing may land beside it.
same "make deb: nothing written beside OUTDIR" "out" "$(ls -1 "$work/b")"

# ---- control fields
field() { dpkg-deb -f "$1" "$2" 2>/dev/null; }
got="$(field "$dkms_deb" Version) $(field "$cli_deb" Version)"
same "both packages' version is MODULE_VERSION" "$version $version" "$got"
deps=$(field "$dkms_deb" Depends)
case "$deps" in
dkms*|*" dkms"*) ok "vmscope-dkms depends on dkms ($deps)" ;;
*) not_ok "vmscope-dkms depends on '$deps', not on dkms" ;;
esac
deps=$(field "$cli_deb" Depends)
case "$deps" in
*dkms*) not_ok "vmscope depends on dkms: '$deps'" ;;
*libnl-genl-3-200*) ok "vmscope depends on libnl, not dkms ($deps)" ;;
*) not_ok "vmscope does not depend on libnl-genl-3-200: '$deps'" ;;
esac

# ---- vmscope-dkms: the module's source and dkms.conf, nothing else
x=$work/x-dkms
dpkg-deb -x "$dkms_deb" "$x"
srcdir=usr/src/vmscope-$version
got=$(cd "$x" && find . -type f ! -path ./usr/share/doc/\* | sed 's|^\./||' |
      LC_ALL=C sort)
if [ $in_git -eq 1 ]; then
	want=$( { echo "$srcdir/dkms.conf"
		  echo usr/share/lintian/overrides/vmscope-dkms
		  tracked Kbuild module | sed "s|^|$srcdir/|"; } | LC_ALL=C sort)
	same "vmscope-dkms: /$srcdir holds dkms.conf, Kbuild and module/'s $(tracked module | wc -l) tracked files, nothing else" \
		"$want" "$got"
else
	skip "vmscope-dkms: the files of /$srcdir" "not in a git checkout"
fi
if cmp -s "$top/dkms.conf" "$x/$srcdir/dkms.conf"; then
	ok "vmscope-dkms: /$srcdir/dkms.conf is the tree's (PACKAGE_VERSION $version)"
else
	not_ok "vmscope-dkms: /$srcdir/dkms.conf differs from the tree's"
	diag "$(diff "$top/dkms.conf" "$x/$srcdir/dkms.conf")"
fi
scripts=$(dpkg-deb --ctrl-tarfile "$dkms_deb" | tar -xO ./postinst ./prerm 2>&1)
if grep -x "DKMS_NAME=vmscope" <<<"$scripts" >/dev/null &&
   grep -x "DKMS_VERSION=$version" <<<"$scripts" >/dev/null &&
   grep "common.postinst" <<<"$scripts" >/dev/null &&
   grep "dkms remove -m \$DKMS_NAME -v \$DKMS_VERSION --all" <<<"$scripts" >/dev/null; then
	ok "vmscope-dkms: postinst adds and builds vmscope/$version, prerm removes it"
else
	not_ok "vmscope-dkms: dh_dkms's maintainer scripts are not there"
	diag "$scripts"
fi

# ---- vmscope: programs, manual pages, completion
y=$work/x-cli
dpkg-deb -x "$cli_deb" "$y"
want="usr/bin/vmscope-lab
usr/sbin/vmscope
usr/share/bash-completion/completions/vmscope
usr/share/bash-completion/completions/vmscope-lab
usr/share/doc/vmscope/changelog.gz
usr/share/doc/vmscope/copyright
usr/share/doc/vmscope/json.md.gz
usr/share/doc/vmscope/labs.md.gz
usr/share/man/man1/vmscope-lab.1.gz
usr/share/man/man8/vmscope.8.gz"
got=$(cd "$y" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
same "vmscope: the programs, manual pages, completion and docs, nothing else" \
	"$want" "$got"
man_ok=1
for m in client/vmscope.8:man8/vmscope.8 lab/vmscope-lab.1:man1/vmscope-lab.1; do
	zcat "$y/usr/share/man/${m#*:}.gz" 2>/dev/null |
		cmp -s - "$top/userspace/${m%%:*}" || man_ok=0
done
if [ $man_ok -eq 1 ]; then
	ok "vmscope: vmscope(8) and vmscope-lab(1) are the tree's"
else
	not_ok "vmscope: the manual pages differ from the tree's"
fi
# The packaged completion, loaded by a bash of its own as bash-completion
# would load it (by the command's name).
comp=$y/usr/share/bash-completion/completions
got=$(bash --norc -c '. "$1/vmscope"; . "$1/vmscope-lab"
	complete -p vmscope vmscope-lab' bash "$comp" 2>&1)
want="complete -F _vmscope vmscope
complete -F _vmscope_lab vmscope-lab"
if [ "$got" = "$want" ] && cmp -s "$comp/vmscope" "$top/userspace/completion/vmscope"; then
	ok "vmscope: bash completion for vmscope and vmscope-lab (the tree's)"
else
	not_ok "vmscope: bash completion"
	diag "$got"
fi
got=$("$y/usr/sbin/vmscope" --version 2>&1 | sed -n 1p)
case "$got" in
"vmscope $version "*) ok "vmscope: the packaged client says '$got'" ;;
*) not_ok "vmscope: the packaged client says '$got'" ;;
esac

# ---- no build products in either package or the source
leftovers=$(find "$x" "$y" \( -name '*.o' -o -name '*.ko' -o -name '*.ko.*' \
	-o -name '*.cmd' -o -name '*.mod' -o -name '*.mod.c' -o -name '*.a' \
	-o -name '*.have' -o -name 'compat-generated.h' \
	-o -name Module.symvers -o -name modules.order \) -print |
	sed "s|^$work/||")
same "no build products in the packages" "" "$leftovers"
if [ $in_git -eq 1 ]; then
	got=$(tar -tf "$out/vmscope_$version.tar.xz" | grep -v '/$' |
	      sed "s|^vmscope-$version/||" | LC_ALL=C sort)
	# dpkg-source leaves out what only git needs (.gitignore).
	same "the source package holds the tracked files, nothing else" \
		"$(tracked | grep -vE '(^|/)\.git')" "$got"
else
	skip "the source package's files" "not in a git checkout"
fi

# ---- lintian, every level: tags are fixed or overridden with a reason
t=$SECONDS
lint=$(lintian -I -E --pedantic --show-overrides "$changes" 2>&1)
# Standards-Version 4.6.2 is the newest bookworm's lintian knows (a newer
# one is newer-standards-version there, a warning); trixie's calls it out
# of date, at level I.  That tag alone is expected.
expected='^I: vmscope source: out-of-date-standards-version 4\.6\.2 '
tags=$(grep -E '^[EWIPX]: ' <<<"$lint" | grep -vE "$expected")
diag "$(grep -E "$expected" <<<"$lint" | sed 's/^/expected (debian\/control): /')"
if [ -z "$tags" ]; then
	ok "lintian -I -E --pedantic: nothing on vmscope, vmscope-dkms, the .dsc and .changes ($((SECONDS - t)) s)"
else
	not_ok "lintian -I -E --pedantic: tags"
	diag "$tags"
fi
diag "$(grep -E '^O: ' <<<"$lint" | sed 's/^/overridden (debian\/*lintian-overrides): /')"

# ---- vmscope-dkms in a clean root, where DKMS builds the module
if [ "${VMSCOPE_DEB_CHROOT:-1}" = 0 ]; then
	skip "vmscope-dkms in a clean root" \
	     "make check-full runs it (VMSCOPE_DEB_CHROOT=1; 3 min, 8 without build/cache/deb)"
	tap_done
	exit
fi
if [ "$(id -u)" -ne 0 ] || ! command -v debootstrap >/dev/null ||
   ! command -v unshare >/dev/null; then
	skip "vmscope-dkms in a clean root" "needs root, debootstrap and unshare (scripts/setup)"
	tap_done
	exit
fi

# The pinned kernels of bookworm (or what stands in for a pin the archive
# no longer has) of the host's architecture, which the clean root is:
# release and headers package of each.
suite=bookworm
mapfile -t kernels < <("$top/scripts/kernels" rows |
	awk -v s="$suite" '$3 == s { for (i = 4; i <= NF; i++)
		if ($i ~ /^linux-headers-/) print $2, $i }' |
	while read -r rel pkg; do
		[ "$("$top/scripts/kernels" arch "$rel")" != \
		  "$(dpkg --print-architecture)" ] || echo "$rel $pkg"
	done)
if [ ${#kernels[@]} -eq 0 ]; then
	not_ok "no $suite kernel in scripts/kernels.conf"
	tap_done
	exit
fi
headers=() releases=()
for k in "${kernels[@]}"; do
	releases+=("${k%% *}")
	headers+=("${k#* }")
done

# What the cached root holds; a change of it makes a new one.
recipe='minbase, headers installed; dkms, libnl downloaded (2)'
key=$(printf '%s\n' "$suite" "$recipe" "${headers[@]}" | sha256sum | cut -c1-12)
cache=$top/build/cache/deb
tarball=$cache/$suite-$key.tar
root=$work/root
mirror=$("$top/scripts/kernels" mirror)

t=$SECONDS
if [ ! -f "$tarball" ]; then
	mkdir -p "$cache"
	made=$work/made
	# shellcheck disable=SC2016
	prepare='set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$@"
apt-get clean
# What the packages depend on, downloaded only: the test installs
# vmscope-dkms and vmscope with apt, which resolves their dependencies
# from the lists and takes the files from the cache.
apt-get install -y -qq --no-install-recommends --download-only \
	dkms libnl-3-200 libnl-genl-3-200'
	if ! msg=$(root_debootstrap "$suite" "$made" "$mirror"); then
		not_ok "clean $suite root: debootstrap"
		diag "$msg"
		tap_done
		exit
	fi
	if ! root_run "$made" "$prepare" "${headers[@]}" >"$work/prepare.log" 2>&1 </dev/null; then
		not_ok "clean $suite root: installing ${headers[*]}"
		diag "$(tail -n 30 "$work/prepare.log")"
		tap_done
		exit
	fi
	rm -f "$cache/$suite-"*.tar
	tar --numeric-owner -C "$made" -cf "$tarball.tmp" . &&
		mv "$tarball.tmp" "$tarball"
	remove_root "$made"
	diag "made $tarball ($((SECONDS - t)) s)"
fi
mkdir "$root"
if ! tar --numeric-owner -C "$root" -xf "$tarball"; then
	not_ok "clean $suite root: unpacking $tarball"
	tap_done
	exit
fi
if [ -e "$root/var/lib/dkms/vmscope" ] || [ -e "$root/usr/src/vmscope-$version" ] ||
   [ ! -x "$root/usr/bin/apt-get" ] || [ -x "$root/usr/sbin/dkms" ]; then
	not_ok "clean $suite root: not clean (vmscope or dkms there, or no apt)"
	tap_done
	exit
fi
ok "clean $suite root with the headers of ${releases[*]}, no dkms, no vmscope ($((SECONDS - t)) s)"

cp "$dkms_deb" "$cli_deb" "$root/tmp/"
# in_root NAME SCRIPT [ARGS...]: SCRIPT in the root, output in NAME.log
in_root() {
	local name=$1
	shift
	root_run "$root" "set -e; export DEBIAN_FRONTEND=noninteractive; cd /tmp; $1" \
		"${@:2}" >"$work/$name.log" 2>&1 </dev/null
}

t=$SECONDS
if in_root install 'apt-get install -y --no-install-recommends "./$1"' \
	"$(basename "$dkms_deb")"; then
	ok "apt-get install ./$(basename "$dkms_deb"): dkms came with it ($((SECONDS - t)) s)"
else
	not_ok "apt-get install ./$(basename "$dkms_deb")"
	diag "$(tail -n 40 "$work/install.log")"
fi
diag "$(grep -E '^(Building for|Building initial module|Done\.|dkms|Error)' "$work/install.log")"

for rel in "${releases[@]}"; do
	ko=$(find "$root/lib/modules/$rel/updates" -name 'vmscope.ko*' 2>/dev/null |
	     sed -n 1p)
	if [ -z "$ko" ]; then
		not_ok "DKMS built and installed vmscope.ko for $rel"
		make_log=$root/var/lib/dkms/vmscope/$version/build/make.log
		[ -f "$make_log" ] && diag "$(tail -n 20 "$make_log")"
		continue
	fi
	ok "DKMS built and installed ${ko#"$root"}"
	magic=$(modinfo -F vermagic "$ko" 2>&1)
	modver=$(modinfo -F version "$ko" 2>&1)
	case "$magic" in
	"$rel "*) ok "vermagic for $rel: '${magic% }'" ;;
	*) not_ok "vermagic for $rel: '$magic'" ;;
	esac
	same "version of the module built for $rel" "$version" "$modver"
done
in_root status 'dkms status vmscope' &&
	diag "$(grep '^vmscope/' "$work/status.log" | sed 's/^/dkms status: /')"

t=$SECONDS
if in_root remove 'apt-get remove -y vmscope-dkms'; then
	left=$(cd "$root" && find lib/modules var/lib/dkms usr/src \
		-name 'vmscope*' 2>/dev/null)
	same "apt-get remove vmscope-dkms: no module, DKMS tree or source left ($((SECONDS - t)) s)" \
		"" "$left"
else
	not_ok "apt-get remove vmscope-dkms"
	diag "$(tail -n 30 "$work/remove.log")"
fi

t=$SECONDS
if in_root client 'apt-get install -y --no-install-recommends "./$1"
vmscope --version
vmscope-lab list >/dev/null
man -w vmscope 2>/dev/null || ls /usr/share/man/man8/vmscope.8.gz' \
	"$(basename "$cli_deb")"; then
	ok "apt-get install ./$(basename "$cli_deb"): $(grep -E '^vmscope [0-9]' "$work/client.log") ($((SECONDS - t)) s)"
else
	not_ok "apt-get install ./$(basename "$cli_deb"), then vmscope --version"
	diag "$(tail -n 30 "$work/client.log")"
fi

echo "# deb: $((SECONDS - start)) s in all"
tap_done
