#!/bin/sh -eu
# SPDX-License-Identifier: GPL-2.0
#
# Linux 7.2's scripts/checker-valid.sh, unchanged below this comment.
# Since 7.x the kernel's Makefile runs it before every C=1/C=2 build and
# quietly turns sparse off when it fails, but Debian's linux-headers
# packages leave it out: scripts/kernels puts this copy into the header
# trees of the build chroots, so that "make lint" really runs sparse.

[ ! -x "$(command -v "$1")" ] && exit 1

tmp_file=$(mktemp)
trap "rm -f $tmp_file" EXIT

cat << EOF >$tmp_file
static inline int u(const int *q)
{
	__typeof_unqual__(*q) v = *q;
	return v;
}
EOF

# sparse happily exits with 0 on error so validate
# there is none on stderr. Use awk as grep is a pain with sh -e
$@ $tmp_file 2>&1 | awk -v c=1 '/error/{c=0}END{print c}'
