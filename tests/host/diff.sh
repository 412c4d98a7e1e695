#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# diff.sh - "vmscope diff" on hand-written snapshots: every kind of page
# change (per page and --runs documents), every kind of VMA change, the
# --json document field by field (read with python3's json), and the
# errors: exit statuses and messages.  Needs the built client
# (userspace/vmscope), not the module.  TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"

vmscope=${VMSCOPE_CLIENT:-$top/userspace/vmscope}
if [ ! -x "$vmscope" ]; then
	skip "vmscope diff" "no client at $vmscope (make -C userspace)"
	tap_done
	exit
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-diff.XXXXXX")
trap 'rm -rf "$work"' EXIT

base=$((0x7f0000000000))

# pg N STATE PFN MAPCOUNT ORDER LEVEL FLAGS [SWAP_TYPE SWAP_OFFSET]: page
# N of the range as "pages --json" prints it ("null" for no PFN, FLAGS
# comma-separated names).  The booleans repeat the flags; diff reads the
# flags.
pg() {
	local addr flags="" f st=null so=null
	addr=$(printf '0x%x' $((base + $1 * 4096)))
	for f in ${7//,/ }; do
		flags+="${flags:+, }\"$f\""
	done
	[ $# -lt 9 ] || { st=$8; so=$9; }
	printf '{"addr": "%s", "state": "%s", "pfn": %s, "swap_type": %s, "swap_offset": %s, "write": false, "dirty": false, "young": false, "soft_dirty": false, "exclusive": false, "cow": false, "zero": false, "thp": false, "anon": true, "file": false, "mapcount": %s, "page_cache": false, "level": %s, "order": %s, "flags": [%s]}' \
		"$addr" "$2" "$3" "$st" "$so" "$4" "$6" "$5" "$flags"
}

# doc KEY ELEMENT...: {"pid": 7, KEY: [ELEMENT, ...]}
doc() {
	local key=$1 sep="" e
	shift
	printf '{\n  "pid": 7,\n  "%s": [\n' "$key"
	for e in "$@"; do
		printf '%s    %s' "$sep" "$e"
		sep=$',\n'
	done
	printf '\n  ]\n}\n'
}

ex=anon,exclusive,mmap_excl
# The pages of A and B, page by page, and the change each should be.
doc pages \
	"$(pg 0 none null 0 0 '"pte"' '')" \
	"$(pg 1 none null 0 0 '"pte"' '')" \
	"$(pg 2 present 200 1 0 '"pte"' $ex)" \
	"$(pg 3 present 201 1 0 '"pte"' $ex)" \
	"$(pg 4 present 202 2 0 '"pte"' anon,cow)" \
	"$(pg 5 present 203 1 0 '"pte"' $ex)" \
	"$(pg 6 swap null 0 0 '"pte"' anon,swap_excl 0 17)" \
	"$(pg 7 present 205 1 0 '"pte"' $ex)" \
	"$(pg 8 present 206 1 0 '"pte"' $ex)" \
	"$(pg 9 present 207 1 0 '"pte"' $ex)" \
	"$(pg 10 present 1024 1 9 '"pmd"' $ex,thp)" \
	"$(pg 11 none null 0 0 '"pte"' '')" \
	"$(pg 12 none null 0 0 '"pte"' page_cache)" \
	"$(pg 13 present 213 1 0 '"pte"' young,$ex)" \
	"$(pg 14 present 214 1 0 '"pte"' $ex)" \
	"$(pg 15 none null 0 0 '"pmd"' '')" \
	"$(pg 18 none null 0 0 '"pte"' '')" \
	"$(pg 19 present 219 1 0 '"pte"' $ex)" >"$work/a.json"
doc pages \
	"$(pg 0 present 100 1 0 '"pte"' write,dirty,$ex)" \
	"$(pg 1 present 101 1 0 '"pte"' write,dirty,$ex)" \
	"$(pg 2 present 300 1 0 '"pte"' $ex)" \
	"$(pg 3 present 201 2 0 '"pte"' anon,cow)" \
	"$(pg 4 present 202 1 0 '"pte"' $ex)" \
	"$(pg 5 swap null 0 0 '"pte"' anon,swap_excl 0 16)" \
	"$(pg 6 present 204 1 0 '"pte"' $ex)" \
	"$(pg 7 none null 0 0 '"pte"' '')" \
	"$(pg 8 present 512 1 9 '"pmd"' $ex,thp)" \
	"$(pg 9 present 513 1 9 '"pmd"' $ex,thp)" \
	"$(pg 10 present 1024 null 9 '"pte"' $ex,thp,mapcount_unknown)" \
	"$(pg 11 none null 0 0 '"pte"' page_cache)" \
	"$(pg 12 none null 0 0 '"pte"' '')" \
	"$(pg 13 present 213 1 0 '"pte"' $ex)" \
	"$(pg 16 none null 0 0 null '')" \
	"$(pg 17 present 217 1 0 '"pte"' $ex)" \
	"$(pg 18 swap null 0 0 '"pte"' anon 0 18)" \
	"$(pg 19 present 219 1 0 '"pte"' $ex)" >"$work/b.json"

# The runs of "vmscope diff a.json b.json", as START-END PAGES CHANGE.
want_runs=$(
	r() { printf '%012x-%012x %9d %s\n' $((base + $1 * 4096)) \
		$((base + $2 * 4096)) $(($2 - $1)) "$3"; }
	r 0 2 newly-present
	r 2 3 pfn-changed
	r 3 4 became-shared
	r 4 5 became-exclusive
	r 5 6 swapped-out
	r 6 7 swapped-in
	r 7 8 unmapped
	r 8 10 thp-collapsed
	r 10 11 thp-split
	r 11 12 cached
	r 12 13 uncached
	r 13 14 flags-changed
	r 14 15 unmapped
	r 15 16 range-removed
	r 16 17 range-added
	r 17 18 newly-present
	r 18 19 state-changed)

if out=$("$vmscope" diff "$work/a.json" "$work/b.json" 2>&1); then
	ok "diff a.json b.json: exit 0"
else
	not_ok "diff a.json b.json: exit $?"
fi
diag "$out"
got=$(awk 'NR > 3 && /^[0-9a-f]+-/ { printf "%s %9d %s\n", $1, $2, $3 }' <<<"$out")
if [ "$want_runs" = "$got" ]; then
	ok "pages: every kind of change, one run each (pages 0-1 and 8-9 joined)"
else
	not_ok "pages: the runs"
	diag "$(diff <(printf '%s\n' "$want_runs") <(printf '%s\n' "$got"))"
fi
for line in "newly-present    3 pages in 2 runs" "unmapped         2 pages in 2 runs" \
	"thp-collapsed    2 pages in 1 run" "pfn-changed      1 page in 1 run"; do
	if grep -qxF "$line" <<<"$out"; then
		ok "summary: $line"
	else
		not_ok "summary: '$line' missing"
	fi
done
for want in "present pfn 0xc8 -> 0x12c" "present mapcount 1 -> 2 -exclusive +cow -mmap_excl" \
	"present pfn 0xcb anon -> swap 0:0x10 anon" "none -> present pfn 0x64 anon" \
	"pfn 0xce -> 0x200 order 0 -> 9 pte -> pmd +thp" "none +page_cache" "no VMA -> none"; do
	if grep -qF -- "$want" <<<"$out"; then
		ok "text: '$want'"
	else
		not_ok "text: '$want' missing"
	fi
done

# jcheck NAME FILE EXPR...: each python EXPR is true of d, the document
jcheck() {
	local name=$1 file=$2 out
	shift 2
	if out=$(python3 - "$file" "$@" 2>&1 <<-'EOF'
		import json, sys
		d = json.load(open(sys.argv[1]))
		bad = [e for e in sys.argv[2:] if not eval(e)]
		print("\n".join("false: " + e for e in bad))
		sys.exit(1 if bad else 0)
	EOF
	); then
		ok "$name"
	else
		not_ok "$name"
		diag "$out"
	fi
}

# The first page of the run at page N of the JSON changes.
at() { printf "[c for c in d['changes'] if c['start'] == '0x%x'][0]" $((base + $1 * 4096)); }

if "$vmscope" diff --json "$work/a.json" "$work/b.json" >"$work/d.json"; then
	ok "diff --json: exit 0"
else
	not_ok "diff --json: exit $?"
fi
jcheck "json: document" "$work/d.json" \
	"list(d) == ['type', 'a', 'b', 'changes', 'summary']" \
	"d['type'] == 'pages'" \
	"d['a'] == {'file': '$work/a.json', 'pid': 7, 'runs': False}" \
	"d['b']['file'] == '$work/b.json'" \
	"len(d['changes']) == 17"
jcheck "json: a run's members" "$work/d.json" \
	"list($(at 0)) == ['start', 'end', 'count', 'change', 'before', 'after']" \
	"$(at 0)['end'] == '0x%x' % ($base + 2 * 4096)" \
	"$(at 0)['count'] == 2" \
	"$(at 0)['change'] == 'newly-present'" \
	"$(at 0)['before']['state'] == 'none'" \
	"$(at 0)['after']['pfn'] == 100" \
	"$(at 0)['after']['flags'] == ['write', 'dirty', 'anon', 'exclusive', 'mmap_excl']" \
	"$(at 0)['after']['write'] is True and $(at 0)['after']['cow'] is False" \
	"$(at 0)['after']['level'] == 'pte' and $(at 0)['after']['order'] == 0"
jcheck "json: pfn-changed, swapped-out, swapped-in" "$work/d.json" \
	"$(at 2)['change'] == 'pfn-changed'" \
	"$(at 2)['before']['pfn'] == 200 and $(at 2)['after']['pfn'] == 300" \
	"$(at 5)['change'] == 'swapped-out'" \
	"$(at 5)['after']['state'] == 'swap' and $(at 5)['after']['pfn'] is None" \
	"$(at 5)['after']['swap_type'] == 0 and $(at 5)['after']['swap_offset'] == 16" \
	"$(at 6)['change'] == 'swapped-in' and $(at 6)['before']['swap_offset'] == 17"
jcheck "json: shared, exclusive, thp" "$work/d.json" \
	"$(at 3)['change'] == 'became-shared'" \
	"$(at 3)['before']['mapcount'] == 1 and $(at 3)['after']['mapcount'] == 2" \
	"$(at 4)['change'] == 'became-exclusive' and $(at 4)['after']['exclusive']" \
	"$(at 8)['change'] == 'thp-collapsed' and $(at 8)['count'] == 2" \
	"$(at 8)['after']['order'] == 9 and $(at 8)['after']['level'] == 'pmd'" \
	"$(at 10)['change'] == 'thp-split' and $(at 10)['after']['mapcount'] is None"
jcheck "json: page cache, flags, ranges" "$work/d.json" \
	"$(at 11)['change'] == 'cached' and $(at 11)['after']['page_cache']" \
	"$(at 12)['change'] == 'uncached'" \
	"$(at 13)['change'] == 'flags-changed'" \
	"$(at 14)['change'] == 'unmapped' and $(at 14)['after'] is None" \
	"$(at 15)['change'] == 'range-removed' and $(at 15)['after'] is None" \
	"$(at 16)['change'] == 'range-added' and $(at 16)['before'] is None" \
	"$(at 16)['after']['level'] is None" \
	"$(at 18)['change'] == 'state-changed'"
jcheck "json: summary, every kind, in pages and runs" "$work/d.json" \
	"list(d['summary']) == ['range-added', 'range-removed', 'newly-present', 'unmapped', 'swapped-out', 'swapped-in', 'state-changed', 'thp-collapsed', 'thp-split', 'pfn-changed', 'became-shared', 'became-exclusive', 'cached', 'uncached', 'flags-changed']" \
	"d['summary']['newly-present'] == {'pages': 3, 'runs': 2}" \
	"d['summary']['thp-collapsed'] == {'pages': 2, 'runs': 1}" \
	"sum(s['runs'] for s in d['summary'].values()) == len(d['changes'])"

# --runs documents: runs are cut where the other side's change, PFNs are
# the first page's only, no-vma runs are no pages.
run() {
	printf '{"start": "0x%x", "end": "0x%x", "count": %d, "state": "%s", "pfn": %s, "swap_type": null, "swap_offset": null, "write": false, "dirty": false, "young": false, "soft_dirty": false, "exclusive": false, "cow": false, "zero": false, "thp": false, "anon": false, "file": false, "mapcount": %s, "page_cache": false, "level": %s, "order": 0, "flags": [%s]}' \
		$((base + $1 * 4096)) $((base + $2 * 4096)) $(($2 - $1)) "$3" "$4" "$5" "$6" "$7"
}
x='"anon", "exclusive", "mmap_excl"'
doc runs "$(run -16 0 no-vma null 0 null '')" \
	"$(run 0 8 present 500 1 '"pte"' "$x")" \
	"$(run 8 16 none null 0 '"pte"' '')" \
	"$(run 16 32 no-vma null 0 null '')" >"$work/ra.json"
# The same pages, per page: the PFNs of pages 1-7 are not in ra.json.
pages=()
for i in 0 1 2 3 4 5 6 7; do
	pages+=("$(pg $i present $((900 + i)) 1 0 '"pte"' anon,exclusive,mmap_excl)")
done
for i in 8 9 10 11 12 13 14 15; do
	pages+=("$(pg $i none null 0 0 '"pte"' '')")
done
pages[0]=$(pg 0 present 500 1 0 '"pte"' anon,exclusive,mmap_excl)
pages[10]=$(pg 10 present 777 1 0 '"pte"' anon,exclusive,mmap_excl)
doc pages "${pages[@]}" >"$work/rb.json"
"$vmscope" diff --json "$work/ra.json" "$work/rb.json" >"$work/rd.json"
jcheck "--runs against per page: a run's other pages have no PFN" "$work/rd.json" \
	"d['a']['runs'] is True and d['b']['runs'] is False" \
	"len(d['changes']) == 1" \
	"d['changes'][0]['change'] == 'newly-present'" \
	"d['changes'][0]['start'] == '0x%x' % ($base + 10 * 4096)" \
	"d['changes'][0]['count'] == 1 and d['changes'][0]['after']['pfn'] == 777"
"$vmscope" diff --json "$work/rb.json" "$work/ra.json" >"$work/rd2.json"
jcheck "per page against --runs: the first page's PFN is compared" "$work/rd2.json" \
	"[c['change'] for c in d['changes']] == ['unmapped']"
sed 's/"pfn": 500/"pfn": 501/' "$work/ra.json" >"$work/ra2.json"
"$vmscope" diff --json "$work/ra.json" "$work/ra2.json" >"$work/rd3.json"
jcheck "--runs against --runs: first page's PFN changed" "$work/rd3.json" \
	"[(c['change'], c['count']) for c in d['changes']] == [('pfn-changed', 1)]" \
	"d['changes'][0]['before']['pfn'] == 500 and d['changes'][0]['after']['pfn'] == 501"
if out=$("$vmscope" diff "$work/a.json" "$work/a.json" 2>&1) &&
   [ "$(sed -n '$p' <<<"$out")" = "no changes" ]; then
	ok "a snapshot against itself: no changes"
else
	not_ok "a snapshot against itself"
	diag "$out"
fi
if out=$("$vmscope" diff - "$work/b.json" <"$work/a.json" 2>&1) &&
   grep -qx "A: -: pid 7, 18 pages" <<<"$out"; then
	ok "- is standard input"
else
	not_ok "- is standard input"
	diag "$out"
fi

# vma START END PERMS KIND PATH FLAGS PRESENT: a VMA as "maps --json" has it
vma() {
	local flags="" f counts=null
	for f in ${6//,/ }; do
		flags+="${flags:+, }\"$f\""
	done
	[ "$7" = null ] ||
		counts="{\"none\": 0, \"present\": $7, \"swap\": 0, \"zero\": 0, \"thp\": 0, \"cow\": 0, \"exclusive\": $7, \"page_cache\": 0, \"cache_hidden\": 0, \"other\": 0, \"pss_kb\": $(($7 * 4))}"
	printf '{"start": "%s", "end": "%s", "perms": "%s", "offset": "0x0", "dev": "00:00", "inode": 0, "path": "%s", "kind": "%s", "flags": [%s], "counts": %s}' \
		"$1" "$2" "$3" "$5" "$4" "$flags" "$counts"
}
rw=read,write,maywrite
doc vmas "$(vma 0x1000 0x3000 rw-p heap '[heap]' $rw 1)" \
	"$(vma 0x10000 0x20000 rw-p mmap-anon '' $rw 0)" \
	"$(vma 0x30000 0x40000 rw-p mmap-anon '' $rw 3)" \
	"$(vma 0x50000 0x60000 rw-p mmap-anon '' $rw 2)" \
	"$(vma 0x70000 0x80000 rw-p mmap-anon '' $rw 2)" \
	"$(vma 0x7ff000 0x800000 rw-p stack '[stack]' $rw,growsdown 1)" >"$work/ma.json"
doc vmas "$(vma 0x1000 0x5000 rw-p heap '[heap]' $rw 3)" \
	"$(vma 0x30000 0x40000 r--p mmap-anon '' read,maywrite 3)" \
	"$(vma 0x50000 0x60000 rw-p mmap-anon '' $rw 5)" \
	"$(vma 0x70000 0x80000 rw-p mmap-anon '' $rw null)" \
	"$(vma 0x90000 0xa0000 rw-p mmap-anon '' $rw 0)" \
	"$(vma 0x7fe000 0x800000 rw-p stack '[stack]' $rw,growsdown 2)" >"$work/mb.json"
out=$("$vmscope" diff "$work/ma.json" "$work/mb.json" 2>&1)
diag "$out"
got=$(awk '/^[0-9a-f]+-/ { print $1, $2 }' <<<"$out")
want="000000001000-000000005000 vma-changed
000000010000-000000020000 vma-removed
000000030000-000000040000 vma-changed
000000050000-000000060000 counts-changed
000000090000-0000000a0000 vma-added
0000007fe000-000000800000 vma-changed"
if [ "$want" = "$got" ]; then
	ok "maps: added, removed, changed (end, perms, start), counts (not without counts)"
else
	not_ok "maps: the VMAs"
	diag "$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
fi
for want in "end 0x3000 -> 0x5000 present +2 exclusive +2 pss_kb +8 [heap]" \
	"perms rw-p -> r--p" "start 0x7ff000 -> 0x7fe000 present +1" \
	"vma-changed      3 VMAs" "counts-changed   1 VMA"; do
	if grep -qF -- "$want" <<<"$out"; then
		ok "maps text: '$want'"
	else
		not_ok "maps text: '$want' missing"
	fi
done
"$vmscope" diff --json "$work/ma.json" "$work/mb.json" >"$work/md.json"
jcheck "maps json" "$work/md.json" \
	"d['type'] == 'maps' and len(d['changes']) == 6" \
	"list(d['changes'][0]) == ['start', 'end', 'change', 'what', 'before', 'after']" \
	"d['changes'][0]['what'] == ['end'] and d['changes'][0]['end'] == '0x5000'" \
	"d['changes'][0]['before']['counts']['present'] == 1 and d['changes'][0]['after']['counts']['present'] == 3" \
	"d['changes'][1]['change'] == 'vma-removed' and d['changes'][1]['after'] is None" \
	"d['changes'][1]['start'] == '0x10000'" \
	"d['changes'][2]['what'] == ['perms'] and d['changes'][2]['after']['perms'] == 'r--p'" \
	"d['changes'][3]['change'] == 'counts-changed' and d['changes'][3]['what'] == []" \
	"d['changes'][4]['change'] == 'vma-added' and d['changes'][4]['before'] is None" \
	"d['changes'][5]['what'] == ['start']" \
	"d['summary'] == {'vma-added': 1, 'vma-removed': 1, 'vma-changed': 3, 'counts-changed': 1}"

# Errors: exit 1 and a message naming the file, nothing on stdout; the
# command line: exit 2 and the usage.
# err NAME STATUS MESSAGE ARGS...
err() {
	local name=$1 status=$2 msg=$3 out rc
	shift 3
	out=$("$vmscope" diff "$@" 2>"$work/err")
	rc=$?
	if [ "$rc" = "$status" ] && [ -z "$out" ] && grep -qF -- "$msg" "$work/err"; then
		ok "error: $name: exit $status, '$msg'"
	else
		not_ok "error: $name: exit $rc (want $status)"
		diag "stdout: $out"
		diag "stderr: $(cat "$work/err")"
	fi
}
printf '{"pid": 7, "pages": [' >"$work/cut.json"
printf '{"paging_levels": 4}\n' >"$work/layout.json"
printf '{"pid": 7, "pages": [], "vmas": []}\n' >"$work/both.json"
sed 's/"state": "swap"/"state": "swapped"/' "$work/a.json" >"$work/state.json"
sed 's/\["young"/["frobbed"/' "$work/a.json" >"$work/flag.json"
sed 's/"count": 8/"count": 9/' "$work/ra.json" >"$work/count.json"
sed 's/0x7f0000003000/0x7f0000001000/' "$work/a.json" >"$work/order.json"
err "unreadable" 1 "vmscope: $work/none.json: No such file or directory" \
	"$work/none.json" "$work/b.json"
err "a directory" 1 "vmscope: $work: Is a directory" "$work/a.json" "$work"
err "not JSON" 1 "vmscope: $work/cut.json: not JSON: " "$work/cut.json" "$work/b.json"
err "another document" 1 \
	"vmscope: $work/layout.json: not a document of \"vmscope pages\" or \"vmscope maps\" with --json" \
	"$work/a.json" "$work/layout.json"
err "pages and vmas" 1 "not a document of" "$work/both.json" "$work/a.json"
err "pages vs maps" 1 \
	"vmscope: $work/a.json is a pages snapshot, $work/ma.json a maps snapshot: diff compares two of one kind" \
	"$work/a.json" "$work/ma.json"
err "unknown state" 1 "vmscope: $work/state.json: pages[6]: no known \"state\"" \
	"$work/state.json" "$work/b.json"
err "unknown flag" 1 "pages[13]: unknown flag \"frobbed\"" "$work/flag.json" "$work/b.json"
err "run count" 1 "runs[1]: \"count\" is not the pages from \"start\" to \"end\"" \
	"$work/count.json" "$work/rb.json"
err "out of order" 1 "pages[3]: not page aligned, or not above the one before" \
	"$work/order.json" "$work/b.json"
err "one file" 2 "usage: vmscope diff A.json B.json [--json]" "$work/a.json"
err "three files" 2 "unexpected operand" "$work/a.json" "$work/b.json" "$work/b.json"
err "--runs" 2 "--runs: not for this command" --runs "$work/a.json" "$work/b.json"
err "both stdin" 2 "only one of A and B may be -" - -
if out=$("$vmscope" diff --help) && grep -qF "usage: vmscope diff A.json B.json [--json]" <<<"$out"; then
	ok "diff --help: exit 0, usage"
else
	not_ok "diff --help"
fi

tap_done
