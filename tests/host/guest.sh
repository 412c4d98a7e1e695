#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh - the test guests themselves: a guest survives its kernel
# patching its own text, over and over, with processes faulting next to
# it.  Every guest test that traces faults depends on it, and QEMU 7.2's
# multi-threaded TCG fails it within seconds (scripts/vm-accel).
# TAP output.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
cd "$top" || exit 1

# 6.12, where the crash was seen; else any Debian kernel.
guest_kernels "text patching" || exit 0
kernel=$(scripts/kernels resolve 6.12 2>/dev/null) || kernel=${kernels[0]}

cycles=${VMSCOPE_TEXT_PATCH_CYCLES:-150}
out=$(scripts/vm-run --kernel "$kernel" --paging 4 --no-module \
	--timeout 600 -- tests/text-patching "$cycles" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -qx "text-patching: $cycles cycles" <<<"$out"; then
	ok "$kernel: $cycles kprobe and tracepoint patch cycles, log clean" \
	   "($(scripts/vm-accel "$kernel" /dev/null))"
else
	not_ok "$kernel: $cycles patch cycles (vm-run status $rc)"
	diag "$(tail -20 <<<"$out")"
fi
tap_done
