#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pins.sh - pinned kernels the archive no longer has (scripts/kernels).
# Debian keeps only the current build of a kernel package, so a pin of
# scripts/kernels.conf goes stale with every point release or upload.
# On a copy of the table whose pins do not exist (a real release at a
# version of no build, and a release of no build: the ABI number made
# 999), "scripts/kernels settle" must pick, for each, the newest build of
# its series in its suite, as the suite's meta-package names it, say so in
# one line, once, and every command must then answer with that release;
# "scripts/kernels update" must rewrite the copy to those builds and leave
# every other line alone.  The host's own suite is looked at with the
# host's apt, sid and experimental (7.x, the debug kernel's source) with
# the sid build chroot's when build/cache has one.  Nothing is installed
# or fetched: the copy and the record live in a scratch directory.  TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"
# shellcheck source=tests/host/pins.bash
. "$top/tests/host/pins.bash"
cd "$top" || exit 1

suite=$(. /etc/os-release 2>/dev/null && [ "${ID:-}" = debian ] &&
	echo "${VERSION_CODENAME:-}")
if [ -z "$suite" ]; then
	skip "pins" "not a Debian host: no apt to look into"
	tap_done
	exit
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-pins.XXXXXX")
trap 'rm -rf "$work"' EXIT
real=${VMSCOPE_CACHE:-$top/build/cache}
export VMSCOPE_CACHE=$work/cache VMSCOPE_KERNELS_CONF=$work/kernels.conf
mkdir -p "$VMSCOPE_CACHE"
# The build chroots are looked into, never changed ("update" refreshes
# their package lists, as "fetch" does).
sid=""
if [ -e "$real/roots/sid/.vmscope-root" ]; then
	ln -s "$real/roots" "$VMSCOPE_CACHE/roots"
	sid=$real/roots/sid
fi

# The copy: the host suite's lines (and sid's, experimental's and the
# debug kernel's with the sid chroot), comments and all.
awk -v s="$suite" -v sid="$sid" '
	/^[[:space:]]*(#|@|$)/ || $3 == s ||
	(sid != "" && ($3 == "sid" || $3 == "experimental" || $3 == "build"))' \
	scripts/kernels.conf >"$VMSCOPE_KERNELS_CONF"
# (the host architecture's: another architecture's pins are not settled)
mapfile -t native < <(awk -v s="$suite" '$3 == s { print $1, $2 }' "$VMSCOPE_KERNELS_CONF" |
	while read -r series rel; do
		[ "$(scripts/kernels arch "$rel")" != "$(dpkg --print-architecture)" ] ||
			echo "$series"
	done)
if [ ${#native[@]} -eq 0 ]; then
	skip "pins" "no kernel of $suite in scripts/kernels.conf"
	tap_done
	exit
fi
# A bogus version of the first native series, a bogus release of the last.
[ ${#native[@]} -lt 2 ] || stale_versions "$VMSCOPE_KERNELS_CONF" "${native[0]}"
stale_abi "$VMSCOPE_KERNELS_CONF" "$suite" "${native[-1]}"
if [ -n "$sid" ]; then
	stale_abi "$VMSCOPE_KERNELS_CONF" sid 7.2
	stale_versions "$VMSCOPE_KERNELS_CONF" 7.3
	stale_versions "$VMSCOPE_KERNELS_CONF" debug
fi
cp "$VMSCOPE_KERNELS_CONF" "$work/stale.conf"

# pinned SERIES: the release SERIES is pinned to in the stale copy
pinned() {
	awk -v s="$1" -v h="$suite" '$1 == s && ($3 == h || $3 !~ /^(bookworm|trixie)$/) {
		print $2; exit }' "$work/stale.conf"
}

# candidate NAME [CMD...]: the version apt would install (an oracle)
candidate() {
	local name=$1 out
	shift
	out=$("$@" apt-cache policy "$name" 2>/dev/null || true)
	sed -n 's/^ *Candidate: //p' <<<"$out"
}

# expect_row SERIES WANT [CMD...]: "kernels row SERIES" is release WANT
# with every package at the version apt installs
expect_row() {
	local series=$1 want=$2 row f p bad=""
	shift 2
	row=$(scripts/kernels row "$series")
	read -r -a f <<<"$row"
	[ "${f[1]:-}" = "$want" ] || bad="release ${f[1]:-none}, not $want"
	for p in "${f[@]:3}"; do
		[ "${p#*=}" = "$(candidate "${p%%=*}" "$@")" ] ||
			bad+=" $p is not at apt's candidate"
	done
	if [ -z "$bad" ]; then
		ok "$series: $(pinned "$series") stands in as $want, at the versions apt installs"
	else
		not_ok "$series: $bad"
		diag "$row"
	fi
}

# notices OUT SERIES WANT SUITE: OUT holds one notice for SERIES
notices() {
	local n
	n=$(awk -v a=" is not in $4: using $3 (" -v b="), the newest $2 there" '
		/^kernels: / && index($0, a) && index($0, b) { n++ }
		END { print n + 0 }' <<<"$1")
	if [ "$n" = 1 ]; then
		ok "$2: one line says $3 stands in"
	else
		not_ok "$2: $n notices, not one"
		diag "$1"
	fi
}

# The host's own suite.
out=$(scripts/kernels settle 2>&1)
for s in "${native[@]}"; do
	want=$(meta_release "$s")
	if [ -z "$want" ]; then
		skip "$s" "no meta-package of $s in $suite names a build"
		continue
	fi
	notices "$out" "$s" "$want" "$suite"
	expect_row "$s" "$want"
	check "$s: the pinned $(pinned "$s") resolves to $want" \
		test "$(scripts/kernels resolve "$(pinned "$s")")" = "$want"
	check "$s: kdir follows" \
		test "$(scripts/kernels kdir "$(pinned "$s")")" = "$(scripts/kernels kdir "$want")"
done
check "settle again: silent" test -z "$(scripts/kernels settle 2>&1)"
check "make names the stand-ins" \
	test "$(make -s --no-print-directory -f - KERNELS="${native[*]}" show <<<'include Makefile
show: ; @echo $(KVERS)' 2>/dev/null)" = "$(for s in "${native[@]}"; do scripts/kernels resolve "$s"; done | xargs)"

# sid and experimental: 7.2 and 7.3, and the debug kernel's source.
if [ -n "$sid" ]; then
	out=$(scripts/kernels settle 7.2 7.3 debug 2>&1)
	in_sid=(chroot "$sid")
	want=$(meta_release 7.2 sid "${in_sid[@]}")
	notices "$out" 7.2 "$want" sid
	expect_row 7.2 "$want" "${in_sid[@]}"
	want=$(meta_release 7.3 experimental "${in_sid[@]}")
	notices "$out" 7.3 "$want" experimental
	expect_row 7.3 "$want" "${in_sid[@]}"
	v=$(candidate linux-source-7.2 "${in_sid[@]}")
	want=${v%-*}-vmscope-debug
	notices "$out" debug "$want" sid
	expect_row debug "$want" "${in_sid[@]}"
else
	skip "7.2, 7.3 and the debug kernel" "no sid build chroot in $real/roots"
fi

# "kernels update" on the stale copy: the builds that stood in become
# the pins, and nothing else changes.
if [ "$(id -u)" -ne 0 ]; then
	skip "kernels update" "it refreshes apt's package lists: needs root"
	tap_done
	exit
fi
mapfile -t stood < <(for s in $(scripts/kernels all); do scripts/kernels row "$s"; done)
if ! out=$(scripts/kernels update 2>&1); then
	not_ok "kernels update"
	diag "$out"
else
	ok "kernels update"
	rm -f "$VMSCOPE_CACHE/kernels.moved"
	mapfile -t now < <(sed -e 's/#.*//' -e '/^@/d' -e '/^[[:space:]]*$/d' \
		"$VMSCOPE_KERNELS_CONF" | awk '{ $1 = $1; print }')
	check "update pins what stood in" \
		test "$(printf '%s\n' "${now[@]}")" = "$(printf '%s\n' "${stood[@]}")"
	check "update keeps every other line" \
		diff <(grep -vE '^[^#@[:space:]]' "$work/stale.conf") \
		     <(grep -vE '^[^#@[:space:]]' "$VMSCOPE_KERNELS_CONF")
	check "update keeps the columns" \
		diff <(awk '/^[^#@[:space:]]/ { print index($0, $3) }' "$work/stale.conf") \
		     <(awk '/^[^#@[:space:]]/ { print index($0, $3) }' "$VMSCOPE_KERNELS_CONF")
	check "the new pins need no stand-in" test -z "$(scripts/kernels settle 2>&1)"
fi
tap_done
