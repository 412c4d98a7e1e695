#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kaslr.sh - the kernel layout vmscope reports, with and without KASLR.
#
#  - One guest per kernel booted with "nokaslr" runs layout_test, whose
#    nokaslr_boot_uses_documented_bases case only runs there (it skips in
#    the normal guests).  Kernels alternate between 4- and 5-level paging
#    so that both sets of documented bases are checked.
#  - The newest kernel is booted twice with KASLR, and the two layouts
#    must differ in page_offset or kernel_text_start.
# TAP output.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
cd "$top" || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-kaslr.XXXXXX")
trap 'rm -rf "$work"' EXIT

guest_kernels "kaslr" build/tests/layout_test || exit 0

# result FILE CASE: "ok", "skip", "fail" or "missing" for a kselftest case
result() {
	local line
	line=$(grep -E "^(not )?ok [0-9]+ (global\.)?$2( |$)" "$1" | sed -n 1p)
	case "$line" in
	"") echo missing ;;
	"not ok"*) echo fail ;;
	*"# SKIP"*) echo skip ;;
	*) echo ok ;;
	esac
}

paging=4
for ver in "${kernels[@]}"; do
	label="nokaslr $ver $paging-level"
	out=$work/nokaslr-$ver.out
	scripts/vm-run --kernel "$ver" --paging "$paging" --append nokaslr \
		-- build/tests/layout_test >"$out" 2>"$work/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "$label: layout_test passed in the guest"
	else
		not_ok "$label: layout_test or the guest failed ($rc)"
		diag "$(grep -E '^not ok|^# +(FAIL|.*:[0-9]+:)' "$out")"
		diag "$(cat "$work/err")"
	fi
	for case in nokaslr_boot_uses_documented_bases kaslr_reported_as_booted; do
		r=$(result "$out" "$case")
		if [ "$r" = ok ]; then
			ok "$label: $case ran and passed"
		else
			not_ok "$label: $case $r"
		fi
	done
	paging=$((paging == 4 ? 5 : 4))
done

# Two boots with KASLR.  The kernel image gets one of ~500 2 MiB slots in
# 1 GiB and the direct map is placed independently at 1 GiB granularity in
# a range of many TiB, so two boots agreeing on both by chance is
# vanishingly unlikely: a match means randomisation is off or vmscope
# reports something other than the live layout.
ver=${kernels[-1]}
declare -A seen
for boot in 1 2; do
	out=$work/kaslr-$boot.out
	label="kaslr $ver boot $boot"
	if scripts/vm-run --kernel "$ver" -- \
		cat /sys/kernel/debug/vmscope/layout >"$out" 2>"$work/err" &&
	   grep -qE '^kaslr +yes' "$out" &&
	   grep -qE '^page_offset +0x' "$out" &&
	   grep -qE '^kernel_text_start +0x' "$out"; then
		ok "$label: layout readable, kaslr yes"
	else
		not_ok "$label: layout readable, kaslr yes"
		diag "$(cat "$out" "$work/err")"
	fi
	seen[$boot]=$(grep -E '^(page_offset|kernel_text_start) ' "$out" |
		      awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }')
done
if [ -z "${seen[1]}" ] || [ -z "${seen[2]}" ]; then
	not_ok "kaslr $ver: two boots have different layouts (no layout read)"
elif [ "${seen[1]}" != "${seen[2]}" ]; then
	ok "kaslr $ver: two boots have different layouts"
	diag "boot 1: ${seen[1]}"
	diag "boot 2: ${seen[2]}"
else
	not_ok "kaslr $ver: two boots have different layouts"
	diag "both boots: ${seen[1]}"
fi
tap_done
