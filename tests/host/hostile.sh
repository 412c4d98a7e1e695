#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hostile.sh - what a local user without any capability can make vmscope
# do, in a guest of its own per Debian kernel, so that a crash takes only
# that guest down and still counts here (issue #22).
#
#  - tests/hostile_layout: memfd_secret() memory made the caller's code
#    with PR_SET_MM_MAP, then GET_LAYOUT about itself.  vmscope used to
#    read it through the direct map and oops inside genl_rcv().  Run
#    with setpriv as uid/gid 65534 with no capabilities at all;
#    secretmem.enable=1 because 6.1 has memfd_secret() off by default.
#
# A case passes only if it ran and passed (a skip fails here), and the
# guest passes only if it lived to the end with a clean log (vm-run scans
# it for splats).  About 30 s a kernel.
# TAP output.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
cd "$top" || exit 1

prog=build/tests/hostile_layout
cases=(caller_has_no_capabilities memfd_at_start_code_is_read
       secretmem_at_start_code_is_not_read)

guest_kernels "hostile" "$prog" || exit 0

work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-hostile.XXXXXX")
trap 'rm -rf "$work"' EXIT

for rel in "${kernels[@]}"; do
	out=$work/$rel.tap
	scripts/vm-run --kernel "$rel" --paging 4 --append secretmem.enable=1 \
		--timeout 300 -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$prog" >"$out" 2>&1
	rc=$?
	for c in "${cases[@]}"; do
		if grep -qx "ok [0-9]* global\.$c" "$out"; then
			ok "$rel: $c"
		else
			not_ok "$rel: $c did not run and pass"
		fi
	done
	if [ "$rc" -eq 0 ]; then
		ok "$rel: the guest lived, its log is clean"
	else
		not_ok "$rel: vm-run status $rc: crash, splat or timeout"
		diag "$(grep -vE '^ok ' "$out" | tail -30)"
	fi
done
tap_done
