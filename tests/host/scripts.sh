#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts.sh - no shell script of the project has the pipefail trap: under
# "set -o pipefail" a pipeline whose reader may exit before reading
# everything ("| grep -q", "| grep -m N", "| head", "| awk ... exit")
# fails whenever the writer gets SIGPIPE, at random, depending on how much
# it writes and when.  scripts/setup once failed that way on every fresh
# machine.  Each such pipeline is a failure here; write the output to a
# variable or file first, or use a reader that reads to the end
# ("sed -n 1p", "awk '... && !n++'", "grep ... >/dev/null").  TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
cd "$top" || exit 1

early='\|[[:space:]]*(head\b|grep[[:space:]]+(-[a-zA-Z]*[qm]|--quiet|--max-count)|awk[^|]*\bexit\b|sed[[:space:]]+-n[[:space:]]+.?[0-9]+q)'
checked=0
while IFS= read -r -d '' f; do
	head -c 64 "$f" | grep -E '^#!.*\b(ba)?sh\b' >/dev/null || continue
	grep -E 'set -[a-z]*o pipefail|set -o pipefail' "$f" >/dev/null || continue
	checked=$((checked + 1))
	hits=$(grep -nE "$early" "$f" | grep -vE '^[0-9]+:[[:space:]]*#' || true)
	if [ -z "$hits" ]; then
		ok "pipefail-safe: $f"
	else
		not_ok "pipefail-safe: $f"
		diag "$hits"
	fi
done < <(git ls-files -z -- scripts tests .ci)
[ "$checked" -gt 0 ] || not_ok "found no pipefail script to check"
tap_done
