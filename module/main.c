// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope: look at a task's address space, page by page.
 *
 * Module entry points.  Everything else lives in one file per concern:
 * layout.c (kernel virtual layout), access.c (who may see what),
 * debugfs.c (the text interface), netlink.c (the generic netlink family),
 * faults_*.c (the page-fault tracer: its design is at the top of
 * faults_session.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "compat.h"
#include "debugfs.h"
#include "faults.h"
#include "layout.h"
#include "netlink.h"

/*
 * What users can open comes last: a debugfs file opened before a later
 * step failed would outlive the module, its fops gone with it.
 */
static int __init vmscope_init(void)
{
	int ret;

	vmscope_layout_init();
	vmscope_compat_init();

	ret = faults_init();
	if (ret)
		return ret;

	ret = vmscope_netlink_init();
	if (ret) {
		faults_exit();
		return ret;
	}

	ret = vmscope_debugfs_init();
	if (ret) {
		vmscope_netlink_exit();
		faults_exit();
		return ret;
	}

	pr_info("loaded (%u-level paging)\n", vmscope_paging_levels());
	vmscope_compat_report();
	return 0;
}

static void __exit vmscope_exit(void)
{
	/*
	 * First: no new request may reach code that is going away (requests
	 * that are not dumps do not hold the module).  Open debugfs files
	 * hold it (.owner), so none is left by now.
	 */
	vmscope_netlink_exit();
	vmscope_debugfs_exit();
	faults_exit();
}

module_init(vmscope_init);
module_exit(vmscope_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("vmscope developers");
MODULE_DESCRIPTION("Read-only view of a task's VMAs and page tables");
MODULE_VERSION("0.1");
