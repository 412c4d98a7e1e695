# SPDX-License-Identifier: GPL-2.0
#
# Clean Debian roots for the host tests (sourced, not run): fresh.sh and
# deb.sh debootstrap a root, work in it with chroot, and remove it.
#
# The chroot's mounts (/proc, /sys, /dev) live in a private mount
# namespace of their own, so they vanish with it whatever happens, even
# on SIGKILL; a root is removed only after checking that nothing is
# mounted under it.

# remove_root DIR: rm -rf, but never through a mount point
remove_root() {
	local dir=$1
	[ -d "$dir" ] || return 0
	if findmnt -rn -o TARGET | grep -F -- "$dir" >/dev/null; then
		diag "not removing $dir: something is still mounted under it"
		return 1
	fi
	rm -rf --one-file-system "$dir"
}

# root_sources SUITE MIRROR: the apt sources of a plain install of SUITE
root_sources() {
	local suite=$1 mirror=$2 security
	security=${mirror%/debian}/debian-security
	cat <<SOURCES
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
}

# root_debootstrap SUITE ROOT MIRROR: a minbase root of SUITE with the apt
# sources of a plain install and the host's resolver; debootstrap's
# output on failure
root_debootstrap() {
	local suite=$1 root=$2 mirror=$3 out
	if ! out=$(debootstrap --variant=minbase "$suite" "$root" "$mirror" 2>&1); then
		printf '%s\n' "$out" | tail -n 20
		return 1
	fi
	rm -f "$root/etc/apt/sources.list"
	root_sources "$suite" "$mirror" >"$root/etc/apt/sources.list.d/debian.sources"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}

# root_run ROOT SCRIPT [ARGS...]: bash -c SCRIPT as root of ROOT (ARGS are
# its $1, ...), in a clean environment, with /proc, /sys and /dev mounted in a private mount
# namespace.  The root is bind-mounted onto itself first, so that inside
# the chroot / is a mount point, as on a machine (scripts/kenv makes its
# own mounts private, which needs that).
root_run() {
	local root=$1
	shift
	unshare -m --propagation private sh -c '
		root=$1 script=$2; shift 2
		mount --bind "$root" "$root" &&
		mount -t proc proc "$root/proc" &&
		mount --rbind /sys "$root/sys" &&
		mount --rbind /dev "$root/dev" &&
		exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 bash -c "$script" root "$@"' \
		sh "$root" "$@"
}
