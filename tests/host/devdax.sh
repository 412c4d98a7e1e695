#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devdax.sh - huge_test in a guest big enough for all of it, per Debian
# kernel: 8 GiB of memory, 3 GiB of it a legacy pmem region that
# tests/devdax-setup turns into /dev/dax0.0 with 1 GiB alignment.  There
# devdax_pud_leaf_is_one_run walks PUD leaves (1 GiB device-DAX faults),
# and thp_1g and lock_impact have the memory they skip without in the
# normal guests (2 GiB).  About 35 s a kernel.
# TAP output.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
cd "$top" || exit 1

guest_kernels "devdax" build/tests/huge_test || exit 0

work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-devdax.XXXXXX")
trap 'rm -rf "$work"' EXIT

for rel in "${kernels[@]}"; do
	out=$work/$rel.tap
	scripts/vm-run --kernel "$rel" --paging 4 --mem 8192 \
		--append 'memmap=3G!4G' --timeout 900 -- \
		sh -c 'sh tests/devdax-setup && tests/run-guest build/tests/huge_test' \
		>"$out" 2>&1
	rc=$?
	if grep -qx 'ok [0-9]* huge_test:devdax_pud_leaf_is_one_run' "$out"; then
		ok "$rel: devdax_pud_leaf_is_one_run ran and passed"
	else
		not_ok "$rel: devdax_pud_leaf_is_one_run did not pass"
		diag "$(grep -E 'devdax|^(not )?ok' "$out")"
	fi
	cases=$(grep -c '^ok [0-9]* huge_test:' "$out")
	bad=$(grep -cE '^not ok |^ok .*# SKIP' "$out")
	if [ "$rc" -eq 0 ] && [ "$cases" -gt 1 ] && [ "$bad" -eq 0 ]; then
		ok "$rel: huge_test with 8 GiB: $cases cases passed, none skipped, log clean"
	else
		not_ok "$rel: huge_test with 8 GiB (vm-run status $rc)"
		diag "$(grep -vE '^ok ' "$out" | tail -20)"
	fi
done
tap_done
