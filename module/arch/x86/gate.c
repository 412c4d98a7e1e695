// SPDX-License-Identifier: GPL-2.0
/*
 * x86_64's vsyscall gate VMA, which /proc/PID/maps prints last as
 * [vsyscall].  i386 has none: vsyscall emulation is x86_64 only.
 */
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/pgtable_types.h>
#include <asm/vsyscall.h>

#include "arch.h"

static unsigned long gate_vm_flags;
static bool gate_known;

/*
 * Does this mm have the vsyscall gate VMA, if the kernel maps one?
 * get_gate_vma() leaves it out of 32-bit processes; x86's
 * mm->context.flags holds MM_CONTEXT_HAS_VSYSCALL as a mask in 6.1, as a
 * bit number later.
 */
static bool mm_has_vsyscall(struct mm_struct *mm)
{
#ifndef CONFIG_COMPAT
	return true;
#elif defined(HAVE_MM_CONTEXT_FLAGS_BITOPS)
	return test_bit(MM_CONTEXT_HAS_VSYSCALL, &mm->context.flags);
#else
	return mm->context.flags & MM_CONTEXT_HAS_VSYSCALL;
#endif
}

/*
 * get_gate_vma() returns the gate VMA unless vsyscall_mode is NONE, and
 * its flags are VM_EXEC in XONLY mode, VM_READ | VM_EXEC in EMULATE mode.
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
void vmscope_arch_gate_init(void)
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

bool vmscope_arch_gate_known(void)
{
	return gate_known;
}

unsigned long vmscope_arch_gate_vm_flags(struct mm_struct *mm)
{
	return gate_vm_flags && mm_has_vsyscall(mm) ? gate_vm_flags : 0;
}
