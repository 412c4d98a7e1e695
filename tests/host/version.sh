#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# version.sh - one version for module, client and DKMS package:
# MODULE_VERSION in module/main.c is the source, the client is built with
# it (userspace/Makefile), dkms.conf's PACKAGE_VERSION must equal it (the
# DKMS source directory is named after it, so it stays a literal there;
# dkms.sh checks the built module too), and so must debian/changelog's
# top entry (dpkg reads the packages' version there).  TAP output.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/host/tap.bash
. "$top/tests/host/tap.bash"

module_version=$(sed -n 's/^MODULE_VERSION("\(.*\)");/\1/p' "$top/module/main.c")
dkms_version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$top/dkms.conf")
abi=$(sed -n 's/^#define VMSCOPE_GENL_VERSION[[:space:]]*\([0-9]*\).*/\1/p' \
	"$top/module/uapi/vmscope.h")

if [ -n "$module_version" ] && [ "$module_version" = "$dkms_version" ]; then
	ok "dkms.conf's PACKAGE_VERSION is MODULE_VERSION ($module_version)"
else
	not_ok "dkms.conf says '$dkms_version', module/main.c '$module_version'"
fi

# dpkg takes the packages' version from debian/changelog's top entry
# (scripts/deb refuses to build when it is not MODULE_VERSION).
deb_version=$(sed -n '1s/^vmscope (\([^)]*\)).*/\1/p' "$top/debian/changelog")
if [ -n "$module_version" ] && [ "$module_version" = "$deb_version" ]; then
	ok "debian/changelog's version is MODULE_VERSION ($module_version)"
else
	not_ok "debian/changelog says '$deb_version', module/main.c '$module_version'"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-version.XXXXXX")
trap 'rm -rf "$work"' EXIT

# vmscope_version TREE: the first line of TREE's client's --version.
vmscope_version() {
	make -s -C "$1/userspace" vmscope >"$work/make.log" 2>&1 ||
		{ diag "$(tail -n 20 "$work/make.log")"; return 1; }
	"$1/userspace/vmscope" --version | sed -n 1p
}

# A private copy, so that the tree's own build is left alone.
mkdir -p "$work/a"
(cd "$top" && git ls-files -z module userspace | while IFS= read -r -d '' f; do
	[ -e "$f" ] && printf '%s\0' "$f"
done | cpio -p0dm --quiet "$work/a")

want="vmscope $module_version (netlink family vmscope, ABI version $abi)"
got=$(vmscope_version "$work/a")
if [ "$got" = "$want" ]; then
	ok "vmscope --version: '$got'"
else
	not_ok "vmscope --version says '$got', want '$want'"
fi

# The client follows the module: change MODULE_VERSION only.
cp -a "$work/a" "$work/b"
make -s -C "$work/b/userspace" clean >/dev/null 2>&1
sed -i 's/^MODULE_VERSION(".*");/MODULE_VERSION("9.8.7-test");/' \
	"$work/b/module/main.c"
got=$(vmscope_version "$work/b")
case "$got" in
"vmscope 9.8.7-test "*) ok "a new MODULE_VERSION is the client's too" ;;
*) not_ok "MODULE_VERSION 9.8.7-test, but the client says '$got'" ;;
esac

tap_done
