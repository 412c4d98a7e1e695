// SPDX-License-Identifier: GPL-2.0
/*
 * What the module learns about the running kernel once, at load time,
 * and what it could not check, said once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/printk.h>

#include "arch.h"
#include "compat.h"

void vmscope_compat_init(void)
{
	vmscope_arch_gate_init();
}

void vmscope_compat_report(void)
{
	/*
	 * The interfaces were probed at build time, but behaviour that no
	 * header shows was read in each kernel's mm/ and fs/proc/ only up
	 * to VMSCOPE_KVER_VERIFIED.
	 */
	if (VMSCOPE_KVER > VMSCOPE_KVER_VERIFIED)
		pr_info("kernel %d.%d is newer than %d.%d, the last one checked: copy-on-write predictions (do_wp_page()), mapcounts (fs/proc) and fault outcomes are those of %d.%d and unverified here\n",
			VMSCOPE_KVER / 100, VMSCOPE_KVER % 100,
			VMSCOPE_KVER_VERIFIED / 100,
			VMSCOPE_KVER_VERIFIED % 100,
			VMSCOPE_KVER_VERIFIED / 100,
			VMSCOPE_KVER_VERIFIED % 100);
#ifdef CONFIG_NO_PAGE_MAPCOUNT
	pr_info("CONFIG_NO_PAGE_MAPCOUNT: pages of large folios have no mapcount of their own; they are flagged mapcount_unknown\n");
#endif
	if (!vmscope_arch_gate_known())
		pr_info("without kallsyms the vsyscall mode cannot be seen: maps leave out the [vsyscall] gate VMA\n");
}
