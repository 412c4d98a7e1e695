# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers for the host tests (sourced, not run: scripts/check runs only
# the executable tests/host/*.sh).  Results are numbered as they come and
# the plan is printed last by tap_done, whose status is the script's.

tap_n=0
tap_failed=0

# ok NAME / not_ok NAME / skip NAME REASON
ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n $*"
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $1 # SKIP $2"
}

# check NAME CMD...: ok if CMD succeeds, else not ok with its output
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name"
		diag "$out"
	fi
}

# diag TEXT: print TEXT as TAP comments
diag() {
	[ -n "$*" ] || return 0
	printf '%s\n' "$*" | sed 's/^/# /'
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# guest_kernels NAME [PROGRAM]: set kernels to Debian's kernels of the
# host's architecture, as people boot them (not the debug kernel, which
# runs the guest suite in scripts/check, slowly); without any, or without PROGRAM built, print
# NAME's skip and the plan and fail, so that the caller exits
# wanted_host_kernel REL: REL's series is in VMSCOPE_HOST_KERNELS (make
# check names a few, to keep CI within its hour), or that is unset
wanted_host_kernel() {
	[ -z "${VMSCOPE_HOST_KERNELS:-}" ] ||
		[[ " $VMSCOPE_HOST_KERNELS " == *" $(scripts/kernels series "$1") "* ]]
}

guest_kernels() {
	local name=$1 program=${2:-} rel

	kernels=()
	# The host's architecture's: the guests of the others run the
	# guest suite (scripts/check), not these host tests.
	for rel in $(scripts/kernels list); do
		if [ "$(scripts/kernels series "$rel")" != debug ] &&
		   [ "$(scripts/kernels arch "$rel")" = "$(dpkg --print-architecture)" ] &&
		   wanted_host_kernel "$rel"; then
			kernels+=("$rel")
		fi
	done
	if [ ${#kernels[@]} -eq 0 ]; then
		skip "$name" "no kernel with headers installed (run scripts/setup)"
	elif [ -n "$program" ] && [ ! -x "$program" ]; then
		skip "$name" "$program missing (make tests)"
	else
		return 0
	fi
	tap_done
	return 1
}
