#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# svg.sh - the SVG pictures of "vmscope svg DOC.json" (the renderers of
# --svg) from documents a real guest printed (tests/host/svg/README):
# each is well-formed XML of the elements vmscope allows (xmllint, then
# svgcheck.py with Python's strict parser), renders with librsvg
# (rsvg-convert) to a PNG that is not blank (pngstat.py counts its
# colours), holds as <text> the addresses, names, notes and ASLR offsets
# the JSON has, and is the same bytes every time.  Then a name with a
# newline, markup and a byte that is no UTF-8, and the refusals.  Needs
# the built client (userspace/vmscope), not the module.  TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"

vmscope=${VMSCOPE_CLIENT:-$top/userspace/vmscope}
fix=$top/tests/host/svg
if [ ! -x "$vmscope" ]; then
	skip "vmscope svg" "no client at $vmscope (make -C userspace)"
	tap_done
	exit
fi
for tool in xmllint rsvg-convert python3; do
	if ! command -v "$tool" >/dev/null; then
		# A missing tool is a failure, not a skip: scripts/setup
		# installs them (libxml2-utils, librsvg2-bin).
		not_ok "$tool installed (scripts/setup)"
		tap_done
		exit
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-svg.XXXXXX")
trap 'rm -rf "$work"' EXIT

# expected DOC: the strings of DOC that its picture must show, one a line:
# the edges' addresses, the regions' names and notes, the ASLR offsets,
# the kernel's region starts.
expected() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = d.get('kernel', d)
out = ['0x%x' % int(k['task_size'], 16)]
for key in ('page_offset', 'vmalloc_start', 'vmemmap_start',
            'kernel_text_start', 'modules_start'):
    if k.get(key):
        out.append(k[key])
for r in d.get('regions', []):
    out += [r['start'], r['end'], r['name']] + r['notes']
for a in (d.get('aslr') or {}).values():
    if a:
        out.append(a['offset'])
print('\n'.join(out))
PY
}

# picture NAME DOC: the checks above for DOC's picture
picture() {
	local name=$1 doc=$2 out=$work/$1 want colours
	if ! "$vmscope" svg "$doc" >"$out.svg" 2>"$out.err"; then
		not_ok "$name: vmscope svg"
		diag "$(cat "$out.err")"
		return
	fi
	ok "$name: vmscope svg"
	check "$name: xmllint --noout" xmllint --noout --nonet "$out.svg"
	mapfile -t want < <(expected "$doc")
	[ ${#want[@]} -gt 1 ] || not_ok "$name: the document has strings"
	check "$name: only allowed SVG; the JSON's ${#want[@]} strings are text" \
		python3 "$top/tests/host/svgcheck.py" "$out.svg" "${want[@]}"
	if ! rsvg-convert "$out.svg" -o "$out.png" 2>"$out.err"; then
		not_ok "$name: rsvg-convert"
		diag "$(cat "$out.err")"
		return
	fi
	read -r _ _ colours < <(python3 "$top/tests/host/pngstat.py" "$out.png")
	# Background, text, and the tints of the boxes: far more than 8.
	if [ "${colours:-0}" -ge 8 ]; then
		ok "$name: renders, $colours colours"
	else
		not_ok "$name: renders to a blank image ($colours colours)"
	fi
	"$vmscope" svg "$doc" --svg "$out.again.svg"
	check "$name: the same bytes twice" cmp "$out.svg" "$out.again.svg"
}

picture kernel "$fix/layout-kernel.json"
picture process "$fix/layout-pid.json"

# Names are anything a file name can be: a newline, markup, quotes, a
# byte that is no UTF-8 (the JSON's \u0080, docs/json.md), UTF-8 proper
# (shown as itself).
python3 - "$fix/layout-pid.json" "$work/names.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = next(r for r in d['regions'] if r['type'] == 'region')
# The bytes of UTF-8 "\u00e9" as the client writes them: each on its own.
r['name'] = 'a\nb<c>&"\'\u0080d\u00c3\u00a9'
r['kind'] = 'file-private'
json.dump(d, open(sys.argv[2], 'w'))
PY
if "$vmscope" svg "$work/names.json" >"$work/names.svg"; then
	check "odd name: xmllint --noout" xmllint --noout "$work/names.svg"
	check "odd name: shown escaped, as one line" \
		python3 "$top/tests/host/svgcheck.py" "$work/names.svg" \
		"a\\x0ab<c>&\"'\\x80dé"
else
	not_ok "odd name: vmscope svg"
fi

# Refusals: not JSON, not a layout document; no file left behind.
echo '{"pid": 7, "pages": []}' >"$work/pages.json"
echo '{"pid": 7,' >"$work/broken.json"
for doc in pages broken; do
	if "$vmscope" svg "$work/$doc.json" --svg "$work/$doc.svg" \
		2>"$work/$doc.err"; then
		not_ok "$doc document refused"
	elif [ -e "$work/$doc.svg" ]; then
		not_ok "$doc document refused, but $doc.svg left behind"
	else
		ok "$doc document refused: $(head -1 "$work/$doc.err")"
	fi
done
tap_done
