// SPDX-License-Identifier: GPL-2.0
/*
 * What the module learns about the running kernel once, at load time,
 * and what it could not check, said once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/pgtable_types.h>
#include <asm/vsyscall.h>

#include "compat.h"

static unsigned long gate_vm_flags;
static bool gate_known;

/*
 * The vsyscall gate VMA, which /proc/PID/maps prints last as [vsyscall]:
 * get_gate_vma() returns it unless vsyscall_mode is NONE, and its
 * flags are VM_EXEC in XONLY mode, VM_READ | VM_EXEC in EMULATE mode.
 * Neither get_gate_vma() nor in_gate_area*() nor vsyscall_mode is
 * exported, and the mode is CONFIG_LEGACY_VSYSCALL_* unless the kernel
 * command line said vsyscall=.  Two exported functions show it:
 * - kallsyms counts the gate page as kernel text exactly when the mode
 *   is not NONE (is_kernel_text() asks in_gate_area_no_mm()), so
 *   sprint_symbol() names a symbol for VSYSCALL_ADDR then, and prints
 *   the bare address otherwise;
 * - only EMULATE maps the page (map_vsyscall() sets its fixmap entry),
 *   which lookup_address() finds in the kernel's page tables.
 * Without kallsyms nothing tells; the gate VMA is then left out and
 * vmscope_compat_report() says so.
 */
static void probe_gate_vma(void)
{
#ifdef CONFIG_X86_VSYSCALL_EMULATION
	char sym[KSYM_SYMBOL_LEN];
	unsigned int level;
	pte_t *pte;

	sprint_symbol(sym, VSYSCALL_ADDR);
	if (!sym[0])
		return;
	gate_known = true;
	if (!strncmp(sym, "0x", 2))
		return;
	pte = lookup_address(VSYSCALL_ADDR, &level);
	gate_vm_flags = VM_EXEC;
	if (pte && level == PG_LEVEL_4K && pte_present(*pte))
		gate_vm_flags |= VM_READ;
#else
	gate_known = true;
#endif
}

unsigned long vmscope_gate_vm_flags(struct mm_struct *mm)
{
	return gate_vm_flags && vmscope_mm_has_vsyscall(mm) ? gate_vm_flags : 0;
}

void vmscope_compat_init(void)
{
	probe_gate_vma();
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
	if (!gate_known)
		pr_info("without kallsyms the vsyscall mode cannot be seen: maps leave out the [vsyscall] gate VMA\n");
}
