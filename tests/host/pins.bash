# SPDX-License-Identifier: GPL-2.0
#
# Pins the archive does not have, for the host tests (sourced, not run):
# fresh.sh and pins.sh edit a copy of scripts/kernels.conf so that
# scripts/kernels must fall back to the newest build of a series.

# stale_abi CONF SUITE SERIES: SERIES's line of SUITE pinned to a release
# of no build, the number after MAJOR.MINOR made 999 in the release and
# the versions (6.12.117+deb12-amd64 -> 6.12.999+deb12-amd64)
stale_abi() {
	awk -v s="$2" -v series="$3" '
		$1 == series && $3 == s && !done++ {
			split($2, r, /[^0-9]+/)
			gsub(r[1] "\\." r[2] "\\." r[3], r[1] "." r[2] ".999")
		}
		{ print }' "$1" >"$1.new" && mv "$1.new" "$1"
}

# stale_versions CONF SERIES: every package of SERIES's lines pinned to a
# version of no build (VERSION~stale)
stale_versions() {
	awk -v series="$2" '
		$1 == series { gsub(/=[^ ]+/, "&~stale") }
		{ print }' "$1" >"$1.new" && mv "$1.new" "$1"
}

# meta_release SERIES [DIST [CMD...]]: the release of the newest SERIES
# build that CMD's apt sees (the host's without CMD; in DIST when given),
# as its meta-package (linux-image-amd64 or linux-image-SERIES-amd64)
# names it: an oracle that shares nothing with scripts/kernels
meta_release() {
	local series=$1 dist=${2:+/$2} deps
	shift $(($# < 2 ? $# : 2))
	deps=$("$@" apt-cache depends "linux-image-amd64$dist" \
		"linux-image-$series-amd64$dist" 2>/dev/null || true)
	printf '%s\n' "$deps" |
		sed -nE "s/^ *Depends: linux-image-(${series//./\\.}([.-][^ ]*)?-amd64)\$/\\1/p" |
		sort -V | tail -n 1
}
