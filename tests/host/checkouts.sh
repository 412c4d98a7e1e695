#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkouts.sh - the tree builds wherever it is checked out.  A clone in a
# directory reached through a symbolic link and a clone whose path has a
# space (both under /tmp), as a new user makes them: in each, plain
# "make" (the module for the host's headers, and the client) and the
# module for a 7.x kernel, which kbuild builds in that kernel's chroot
# (scripts/kenv).  Kbuild takes neither a space in M= nor, from 7.x on,
# a directory that the chroot knows only by its logical path; each
# module must be there, built for its kernel.  The clones share
# build/cache/ (kernels, chroots) with this tree.  TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd -P)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
cd "$top" || exit 1

export VMSCOPE_CACHE=${VMSCOPE_CACHE:-$(scripts/builddir)/cache}
native=$(scripts/kernels default-kdir 2>/dev/null)
chrooted=""
for rel in $(scripts/kernels list); do
	case "$rel" in 7.*) ;; *) continue ;; esac
	[ -z "$(scripts/kernels root "$rel")" ] || { chrooted=$rel; break; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-checkouts.XXXXXX")
trap 'rm -rf "$work" "$spaced_build"' EXIT
spaced_build=""
mkdir -p "$work/real" "$work/with space"
ln -s real "$work/link"

# built NAME DIR: plain make, then the 7.x module, in checkout DIR
built() {
	local name=$1 dir=$2 out ko
	if ! git clone -q "$top" "$dir" 2>"$work/clone.err"; then
		not_ok "$name: git clone"
		diag "$(cat "$work/clone.err")"
		return
	fi
	if [ -z "$native" ]; then
		skip "$name: make" "no kernel headers on the host (scripts/setup)"
	elif out=$(cd "$dir" && make 2>&1); then
		# In place, or from build/src/ where the path has a space.
		ko=""
		for f in module/vmscope.ko build/src/module/vmscope.ko; do
			[ ! -e "$dir/$f" ] || ko=$f
		done
		check "$name: make builds the module ($ko) and the client" \
			test -n "$ko" -a -x "$dir/userspace/vmscope" -a -x "$dir/userspace/vmscope-lab"
	else
		not_ok "$name: make"
		diag "$(tail -n 15 <<<"$out")"
	fi
	if [ -z "$chrooted" ]; then
		skip "$name: the 7.x module" "no 7.x kernel fetched (make kernels)"
	elif [ "$(id -u)" -ne 0 ]; then
		skip "$name: the 7.x module" "building in a chroot needs root"
	elif out=$(cd "$dir" && make --no-print-directory KERNELS="$chrooted" \
			modules-all 2>&1); then
		ko=$dir/build/$chrooted/module/vmscope.ko
		check "$name: the module for $chrooted, built in its chroot" \
			test "$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)" = "$chrooted"
	else
		not_ok "$name: make modules-all KERNELS=$chrooted"
		diag "$(tail -n 15 <<<"$out")"
	fi
}

built "through a symbolic link" "$work/link/vmscope"
built "a path with a space" "$work/with space/vmscope"
spaced_build=$(readlink "$work/with space/vmscope/build" || true)
tap_done
