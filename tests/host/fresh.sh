#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fresh.sh - the README's path on a machine that has nothing: for Debian 12
# (bookworm) and 13 (trixie), a clean root made by debootstrap under
# build/fresh/, the tracked files copied in, then in a chroot of it
# scripts/setup, the module and the client built, "scripts/vm-run -- true",
# the same for an i386 guest (its root, kernel and module from nothing),
# and "make demo" (the README's first command) in a guest.  A CI machine that already has every
# package can hide a missing install step; this test cannot.
#
# The chroot's mounts (/proc, /sys, /dev) live in a private mount namespace
# of their own, so they vanish with it whatever happens, even on SIGKILL;
# the root is removed on exit, and only after checking that nothing is
# mounted under it (tests/host/root.bash).  VMSCOPE_FRESH="bookworm"
# narrows the suites.  TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
# shellcheck source=tests/host/root.bash
. "$top/tests/host/root.bash"

read -r -a suites <<<"${VMSCOPE_FRESH:-bookworm trixie}"
base=$top/build/fresh
mirror=$("$top/scripts/kernels" mirror)

if [ "$(id -u)" -ne 0 ] || ! command -v debootstrap >/dev/null ||
   ! command -v unshare >/dev/null; then
	for s in "${suites[@]}"; do
		skip "fresh $s" "needs root, debootstrap and unshare (scripts/setup)"
	done
	tap_done
	exit
fi

current=""
trap 'remove_root "$current"' EXIT
trap 'exit 130' INT TERM HUP

# The steps a new user takes, run in the chroot (as its root user).
steps='set -e
cd /src/vmscope
step() { echo "fresh: $*"; }
t=$SECONDS
step "scripts/setup"
scripts/setup
step "scripts/setup took $((SECONDS - t)) s"
t=$SECONDS
# The default kernel (6.12) only: the other kernels are the guest
# suite'"'"'s business.
make --no-print-directory KERNELS=6.12 modules-all tests >/tmp/build.log 2>&1 ||
	{ tail -n 30 /tmp/build.log; exit 1; }
step "module, client and tests built in $((SECONDS - t)) s"
t=$SECONDS
scripts/vm-run --quiet -- true
step "vm-run -- true: $((SECONDS - t)) s"
t=$SECONDS
# Another architecture from nothing: its Debian root (debootstrap
# --arch i386), its kernel, the module built in that root, and a guest
# that loads and unloads it.
make --no-print-directory KERNELS=6.1-686-pae modules-all >/tmp/i386.log 2>&1 ||
	{ tail -n 30 /tmp/i386.log; exit 1; }
step "i386 root, kernel and module: $((SECONDS - t)) s"
t=$SECONDS
scripts/vm-run --quiet --kernel 6.1-686-pae -- true
step "vm-run --kernel 6.1-686-pae -- true: $((SECONDS - t)) s"
t=$SECONDS
# The README'"'"'s first command, as a new user types it (its kernel may
# be one that has to be fetched first).
make demo >/tmp/demo.log 2>&1 || { tail -n 30 /tmp/demo.log; exit 1; }
grep "the tour ran and every check held" /tmp/demo.log
step "make demo: $((SECONDS - t)) s"'

for suite in "${suites[@]}"; do
	start=$SECONDS
	root=$base/$suite
	current=$root
	remove_root "$root" || { not_ok "fresh $suite: stale $root"; continue; }
	mkdir -p "$base"
	if ! out=$(root_debootstrap "$suite" "$root" "$mirror"); then
		not_ok "fresh $suite: debootstrap"
		diag "$out"
		continue
	fi
	ok "fresh $suite: debootstrap --variant=minbase ($((SECONDS - start)) s)"

	mkdir -p "$root/src/vmscope"
	(cd "$top" && git ls-files -z | while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"
	done | cpio -p0dm --quiet "$root/src/vmscope")

	t=$SECONDS
	log=$base/$suite.log
	root_run "$root" "$steps" >"$log" 2>&1 </dev/null
	rc=$?
	sed 's/^/# /' "$log" | grep '^# fresh:' || true
	if [ $rc -eq 0 ]; then
		ok "fresh $suite: setup, build, vm-run and make demo from nothing ($((SECONDS - t)) s)"
	else
		not_ok "fresh $suite: setup, build, vm-run and make demo (status $rc)"
		diag "$(tail -n 40 "$log")"
	fi
	remove_root "$root" || not_ok "fresh $suite: clean up $root"
	current=""
	echo "# fresh $suite: $((SECONDS - start)) s in all"
done
tap_done
