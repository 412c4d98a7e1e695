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
# narrows the suites.
#
# "stale:SUITE" in VMSCOPE_FRESH is the same path on SUITE with pins the
# archive no longer has, as every fresh machine meets them once Debian
# moves on: the 6.12 line of SUITE with a release of no build (the ABI
# number made 999) and the demo kernel's packages with versions of no
# build.  scripts/setup must install the newest 6.12 build of SUITE (the
# one its meta-package depends on), "scripts/kernels fetch" the current
# demo kernel, each said in one line, and everything run on them.  TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
# shellcheck source=tests/host/root.bash
. "$top/tests/host/root.bash"
# shellcheck source=tests/host/pins.bash
. "$top/tests/host/pins.bash"

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
steps='set -eo pipefail
cd /src/vmscope
step() { echo "fresh: $*"; }
t=$SECONDS
step "scripts/setup"
scripts/setup 2>&1 | tee /tmp/setup.log
step "scripts/setup took $((SECONDS - t)) s"
t=$SECONDS
# The default kernel (6.12) only: the other kernels are the guest
# suite'"'"'s business.
make --no-print-directory KERNELS=6.12 modules-all tests >/tmp/build.log 2>&1 ||
	{ tail -n 30 /tmp/build.log; exit 1; }
step "module, client and tests built in $((SECONDS - t)) s"
if [ -n "${1:-}" ]; then
	# The stale pins (stale:SUITE): the stand-in is the build the
	# suite'"'"'s meta-package depends on, its module is where make put it.
	grep -E "^kernels: .* is not in $1: using " /tmp/setup.log ||
		{ echo "fresh: no notice of the moved 6.12 pin"; exit 1; }
	rel=$(scripts/kernels resolve 6.12)
	. tests/host/pins.bash
	want=$(meta_release 6.12)
	[ -n "$want" ] && [ "$rel" = "$want" ] ||
		{ echo "fresh: 6.12 resolves to $rel, the newest build is $want"; exit 1; }
	[ -e "build/$rel/module/vmscope.ko" ] ||
		{ echo "fresh: no build/$rel/module/vmscope.ko"; exit 1; }
	step "the moved 6.12 pin: $rel, the newest 6.12 of $1"
fi
t=$SECONDS
scripts/vm-run --quiet -- true
step "vm-run -- true: $((SECONDS - t)) s"
t=$SECONDS
# Another architecture from nothing: its Debian root (debootstrap
# --arch i386), its kernel, the module built in that root, and a guest
# that loads and unloads it (make check-full; in make check, the i386
# guest already makes all of it from nothing in the fresh clone CI makes).
if [ -n "${VMSCOPE_FRESH_FOREIGN:-}" ]; then
	make --no-print-directory KERNELS=6.1-686-pae modules-all >/tmp/i386.log 2>&1 ||
		{ tail -n 30 /tmp/i386.log; exit 1; }
	step "i386 root, kernel and module: $((SECONDS - t)) s"
	t=$SECONDS
	scripts/vm-run --quiet --kernel 6.1-686-pae -- true
	step "vm-run --kernel 6.1-686-pae -- true: $((SECONDS - t)) s"
	t=$SECONDS
fi
t=$SECONDS
# The README'"'"'s first command, as a new user types it (its kernel may
# be one that has to be fetched first).
make demo >/tmp/demo.log 2>&1 || { tail -n 30 /tmp/demo.log; exit 1; }
grep "the tour ran and every check held" /tmp/demo.log
if [ -n "${1:-}" ]; then
	grep -E "^kernels: .*~stale is not in .*: using $(scripts/kernels resolve "$(scripts/kernels demo)") " \
		/tmp/demo.log ||
		{ echo "fresh: no notice of the moved demo kernel pin"; exit 1; }
fi
step "make demo: $((SECONDS - t)) s"'

for name in "${suites[@]}"; do
	start=$SECONDS
	suite=${name#stale:}
	stale=""
	[ "$suite" = "$name" ] || stale=$suite
	root=$base/$suite
	current=$root
	remove_root "$root" || { not_ok "fresh $name: stale $root"; continue; }
	mkdir -p "$base"
	if ! out=$(root_debootstrap "$suite" "$root" "$mirror"); then
		not_ok "fresh $name: debootstrap"
		diag "$out"
		continue
	fi
	ok "fresh $name: debootstrap --variant=minbase ($((SECONDS - start)) s)"

	mkdir -p "$root/src/vmscope"
	(cd "$top" && git ls-files -z | while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"
	done | cpio -p0dm --quiet "$root/src/vmscope")
	if [ -n "$stale" ]; then
		conf=$root/src/vmscope/scripts/kernels.conf
		stale_abi "$conf" "$suite" 6.12
		stale_versions "$conf" "$(awk '$1 == "@demo" { print $2 }' "$conf")"
	fi

	t=$SECONDS
	log=$base/${name/:/-}.log
	# (the chroot's environment is empty: the one setting goes in the script)
	root_run "$root" "VMSCOPE_FRESH_FOREIGN='${VMSCOPE_FRESH_FOREIGN:-}'
$steps" $stale >"$log" 2>&1 </dev/null
	rc=$?
	sed 's/^/# /' "$log" | grep '^# fresh:' || true
	if [ $rc -eq 0 ]; then
		ok "fresh $name: setup, build, vm-run and make demo from nothing ($((SECONDS - t)) s)"
	else
		not_ok "fresh $name: setup, build, vm-run and make demo (status $rc)"
		diag "$(tail -n 40 "$log")"
	fi
	remove_root "$root" || not_ok "fresh $name: clean up $root"
	current=""
	echo "# fresh $suite: $((SECONDS - start)) s in all"
done
tap_done
