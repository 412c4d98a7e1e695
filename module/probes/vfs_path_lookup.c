// SPDX-License-Identifier: GPL-2.0
/*
 * vfs_path_lookup() declared in <linux/namei.h> (6.4+); 6.1 exports it
 * but declares it only in fs/internal.h.
 */
#include <linux/namei.h>

static int __maybe_unused probe(struct dentry *d, struct vfsmount *m,
				struct path *p)
{
	return vfs_path_lookup(d, m, "x", 0, p);
}
