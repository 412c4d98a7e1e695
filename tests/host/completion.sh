#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# completion.sh - userspace/completion/vmscope, driven as bash drives it
# (COMP_WORDS, COMP_CWORD, the function "complete -p" names, COMPREPLY),
# against the real system: subcommands, options, PIDs, the VMA ranges of
# a live process as its /proc/PID/maps lists them, the lab's steps as the
# built lab lists them.  Then "make install DESTDIR=..." installs every
# file a user runs or reads, and "make uninstall DESTDIR=..." leaves no
# file behind.  TAP output.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"

comp=$top/userspace/completion/vmscope
work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-completion.XXXXXX")
sleeper=
trap 'rm -rf "$work"; [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null' EXIT

# complete WORD...: the candidates bash would offer for the last WORD
# (the word being completed) of the command line WORD..., one a line,
# sorted, from a fresh bash that sourced the file only.
complete_line() {
	bash --norc --noprofile -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		spec=$(complete -p "$(basename "$1")") || exit 1
		fn=${spec#*-F }
		fn=${fn%% *}
		"$fn" "$(basename "$1")" "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' completion "$comp" "$@"
}

# expect NAME WANT GOT: ok if equal, else the difference
expect() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$3"))"
	fi
}

# Both programs have a completion function.
for prog in vmscope vmscope-lab; do
	spec=$(bash --norc --noprofile -c '. "$1" && complete -p "$2"' \
		completion "$comp" "$prog" 2>&1)
	case $spec in
	"complete -F "*" $prog") ok "complete -p $prog: $spec" ;;
	*) not_ok "complete -p $prog: '$spec'" ;;
	esac
done

expect "subcommands" \
	"$(printf '%s\n' --help --version diff explain faults help layout map maps pages svg | sort)" \
	"$(complete_line vmscope '')"
expect "subcommands starting 'ma'" "$(printf '%s\n' map maps)" \
	"$(complete_line vmscope ma)"
expect "layout: --s is --svg" "--svg" "$(complete_line vmscope layout 1 --s)"
expect "layout --svg: a file name, no PID" "$(compgen -f -- "$top/READ")" \
	"$(complete_line vmscope layout 1 --svg "$top/READ")"
expect "pages: --r is --runs" "--runs" "$(complete_line vmscope pages 1 --r)"
expect "maps: its options only" \
	"$(printf '%s\n' --help --json --no-counts | sort)" \
	"$(complete_line vmscope maps --)"
expect "map: nothing after --width (a number)" "" \
	"$(complete_line vmscope map 1 --width '')"
expect "faults: its options only" \
	"$(printf '%s\n' --check-explain --count --duration --help --json | sort)" \
	"$(complete_line vmscope faults 1 --)"
expect "faults: nothing after --duration (a number)" "" \
	"$(complete_line vmscope faults 1 --duration '')"
expect "diff: its options only" "$(printf '%s\n' --help --json)" \
	"$(complete_line vmscope diff --)"
expect "diff A: file names" "$top/tests/host/diff.sh" \
	"$(complete_line vmscope diff "$top/tests/host/dif")"
expect "diff A B: file names" "$top/tests/host/tap.bash" \
	"$(complete_line vmscope diff --json a.json "$top/tests/host/ta")"
expect "diff A B C: nothing" "" \
	"$(complete_line vmscope diff a.json b.json "$top/tests/host/ta")"

# PIDs: the completing shell's own, and nothing that is not a PID.
pids=$(bash --norc --noprofile -c '
	. "$1"
	COMP_WORDS=(vmscope maps "$$"); COMP_CWORD=2
	_vmscope
	printf "%s\n" "$$" "${COMPREPLY[@]}"' completion "$comp")
self=$(sed -n 1p <<<"$pids")
if sed 1d <<<"$pids" | grep -x "$self" >/dev/null; then
	ok "maps PID: its own PID $self is offered"
else
	not_ok "maps PID: $self not offered"
	diag "$pids"
fi
others=$(complete_line vmscope maps '' | grep -cvx '[0-9][0-9]*')
expect "maps PID: only numbers" "0" "$others"

# VMA ranges of a live process, as its maps lists them.
sleep 300 &
sleeper=$!
# Until it has exec'd sleep and ld.so is done: two equal reads of its
# maps, a tenth of a second apart (10 s at most).
vma_ranges() { awk '$NF != "[vsyscall]" { print $1 }' "/proc/$sleeper/maps" | sort; }
want= prev=x
for _ in $(seq 100); do
	sleep 0.1
	[ "$(readlink "/proc/$sleeper/exe")" = "$(readlink -f "$(command -v sleep)")" ] || continue
	want=$(vma_ranges)
	[ "$want" = "$prev" ] && break
	prev=$want
done
got=$(complete_line vmscope pages "$sleeper" '')
if [ -n "$want" ] && [ "$want" = "$got" ]; then
	ok "pages $sleeper: its $(wc -l <<<"$got") VMA ranges from /proc/$sleeper/maps"
else
	not_ok "pages $sleeper: the VMA ranges of /proc/$sleeper/maps"
	diag "$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
fi
first=$(sed -n 1p <<<"$want")
expect "map $sleeper ${first:0:6}: the ranges starting so" \
	"$(grep "^${first:0:6}" <<<"$want")" \
	"$(complete_line vmscope map "$sleeper" "${first:0:6}")"
expect "explain $sleeper: the VMA starts" "$(awk -F- '{ print $1 }' <<<"$want" | sort)" \
	"$(complete_line vmscope explain "$sleeper" '')"
expect "faults --count 5 $sleeper: its VMA ranges" "$want" \
	"$(complete_line vmscope faults --count 5 "$sleeper" '')"
expect "pages PID RANGE: nothing more" "" \
	"$(complete_line vmscope pages "$sleeper" "$first" '')"

# The lab's steps, as the built lab lists them.
lab=$top/userspace/vmscope-lab
if [ -x "$lab" ]; then
	want=$( ("$lab" list | awk '{ print $1 }'; echo all; echo list) | sort)
	got=$(complete_line "$lab" '')
	if [ "$(wc -l <<<"$want")" -gt 5 ] && [ "$want" = "$got" ]; then
		ok "vmscope-lab: its $(($(wc -l <<<"$got") - 2)) steps, all, list"
	else
		not_ok "vmscope-lab: the steps of '$lab list'"
		diag "$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
	fi
	expect "vmscope-lab --no-pause c" "cow" \
		"$(complete_line "$lab" --no-pause c)"
	expect "vmscope-lab --svg DIR c: the step" "cow" \
		"$(complete_line "$lab" --svg "$work" c)"
	expect "vmscope-lab --svg: a directory" "$(compgen -d -- "$top/doc")" \
		"$(complete_line "$lab" --svg "$top/doc")"
else
	skip "vmscope-lab steps" "userspace/vmscope-lab not built (make)"
fi

# make install / uninstall into a DESTDIR.
kdir=$("$top/scripts/kernels" default-kdir 2>/dev/null)
if [ -z "$kdir" ]; then
	skip "make install DESTDIR" "no kernel headers (scripts/setup)"
	skip "make uninstall DESTDIR" "no kernel headers (scripts/setup)"
	tap_done
	exit
fi
krel=$(cat "$kdir/include/config/kernel.release")
dest=$work/root
real_before=$(ls /lib/modules/"$krel"/updates/module/vmscope.ko* 2>/dev/null)
if out=$(make -C "$top" install DESTDIR="$dest" 2>&1); then
	want="/lib/modules/$krel/updates/module/vmscope.ko
/usr/local/bin/vmscope-lab
/usr/local/sbin/vmscope
/usr/local/share/bash-completion/completions/vmscope
/usr/local/share/bash-completion/completions/vmscope-lab
/usr/local/share/man/man1/vmscope-lab.1
/usr/local/share/man/man8/vmscope.8"
	# The module may be compressed as the kernel's config says.
	got=$(cd "$dest" && find . ! -type d | sed 's/^\.//; s/\.ko\.[a-z]*$/.ko/' | sort)
	expect "make install DESTDIR: module, programs, man pages, completion" \
		"$want" "$got"
else
	not_ok "make install DESTDIR"
	diag "$(tail -n 20 <<<"$out")"
fi
expect "make install DESTDIR: nothing in the real /lib/modules" \
	"$real_before" \
	"$(ls /lib/modules/"$krel"/updates/module/vmscope.ko* 2>/dev/null)"
if out=$(make -C "$top" uninstall DESTDIR="$dest" 2>&1); then
	expect "make uninstall DESTDIR: no file left" "" \
		"$(cd "$dest" && find . ! -type d)"
else
	not_ok "make uninstall DESTDIR"
	diag "$(tail -n 20 <<<"$out")"
fi

tap_done
