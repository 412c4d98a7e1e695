/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_ARCH_ARM64_H
#define VMSCOPE_ARCH_ARM64_H

/*
 * arm64: 4 KiB or 16 KiB pages, 3 to 5 levels as the booted kernel folds
 * them (VA size and LPA2 at run time).  See module/arch.h for the
 * contract.
 */
#include <linux/bits.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <asm/cpufeature.h>
#include <asm/esr.h>

#include "uapi/vmscope.h"

#define VMSCOPE_ARCH_NAME	"aarch64"

/* TASK_SIZE_MAX is 1 << VA_BITS (52) even when the CPU allows 48. */
#define VMSCOPE_ARCH_USER_END	TASK_SIZE_64

/* Is @task an AArch32 task, and the end of its user space? */
static inline bool vmscope_arch_task_compat(struct task_struct *task,
					    unsigned long *task_size)
{
	bool compat = test_tsk_thread_flag(task, TIF_32BIT);

	*task_size = compat ? TASK_SIZE_32 : TASK_SIZE_64;
	return compat;
}

/* No gate VMA: the vDSO and vvar are VMAs of the mm. */
#define VMSCOPE_ARCH_GATE_ADDR	0UL
#define VMSCOPE_ARCH_GATE_NAME	"[gate]"

/*
 * What only arm64 entries say: user execute permission is PTE_UXN, nG
 * marks every user entry, PTE_CONT a contiguous run.  (Writable is the
 * kernel's PTE_WRITE, DBM, so a clean writable page counts as writable
 * while the hardware still sees it read-only; dirty is software dirty or
 * hardware dirty, DBM with PTE_RDONLY cleared; young is the access flag;
 * for a contiguous run ptep_get() gives the run's young and dirty,
 * CONFIG_ARM64_CONTPTE.)
 */
static __always_inline u32 vmscope_arch_pte_own_bits(pte_t pte)
{
	u64 v = pte_val(pte);
	u32 f = 0;

	if (v & PTE_UXN)
		f |= VMSCOPE_PAGE_F_NX;
	if (v & PTE_USER)
		f |= VMSCOPE_PAGE_F_USER;
	if (!(v & PTE_NG))
		f |= VMSCOPE_PAGE_F_GLOBAL;
	if (pte_cont(pte))
		f |= VMSCOPE_PAGE_F_CONT;
	return f;
}

/* Block entries carry the same attribute bits as a page entry. */
static __always_inline pte_t vmscope_arch_pmd_as_pte(pmd_t pmd)
{
	return pmd_pte(pmd);
}

static __always_inline pte_t vmscope_arch_pud_as_pte(pud_t pud)
{
	return pud_pte(pud);
}

/*
 * Valid entries and PROT_NONE ones (PTE_PRESENT_INVALID) lose the output
 * address (with LPA2 bits 8-9 too); a swap entry (pgtable.h: flags in
 * bits 2-3, the type in 6-10, the offset from 12) keeps bits 0-5.
 * Without @show_bits only validity, PROT_NONE and the table/block type
 * bit stay (arm64 has no soft-dirty; its swap flags are exclusive and
 * uffd-wp, and exclusive is not the caller's to know).
 */
static inline u64 vmscope_arch_redact_entry(u64 raw, bool show_bits)
{
	u64 keep_present = PTE_VALID | PTE_PRESENT_INVALID | PTE_TABLE_BIT;

	if (raw & (PTE_VALID | PTE_PRESENT_INVALID))
		return raw & ~(u64)PHYS_TO_PTE_ADDR_MASK &
		       (show_bits ? ~0ULL : keep_present);
	return show_bits ? raw & GENMASK_ULL(__SWP_TYPE_SHIFT - 1, 0) : 0;
}

/*
 * access_error() of arm64's do_page_fault(): a read is allowed by
 * VM_READ or VM_WRITE (write implies read), and by VM_EXEC unless the
 * CPU has EPAN (then an execute-only mapping cannot be read).
 */
static inline unsigned long vmscope_arch_read_vm_flags(void)
{
	if (alternative_has_cap_unlikely(ARM64_HAS_EPAN))
		return VM_READ | VM_WRITE;
	return VM_READ | VM_WRITE | VM_EXEC;
}

/*
 * No exception tracepoint, and do_mem_abort() (NOKPROBE_SYMBOL) and
 * do_page_fault() (__kprobes) cannot be probed: the tracer sees a fault
 * from handle_mm_fault() on (user or kernel from FAULT_FLAG_USER, the
 * access from FAULT_FLAG_*), and never one the exception table fixes up
 * without calling it.
 */
#define VMSCOPE_ARCH_PF_TRACEPOINTS	false

/*
 * An ESR_ELx of an instruction or data abort, for the contract's sake
 * and a future hook: nothing records one on arm64 today.
 */
static inline u32 vmscope_arch_fault_access(unsigned long esr, u32 *flags)
{
	unsigned long ec = ESR_ELx_EC(esr);

	if (ec == ESR_ELx_EC_IABT_LOW || ec == ESR_ELx_EC_DABT_LOW)
		*flags |= VMSCOPE_FAULT_F_USER;
	if (esr_fsc_is_permission_fault(esr))
		*flags |= VMSCOPE_FAULT_F_PROT;
	if (ec == ESR_ELx_EC_IABT_LOW || ec == ESR_ELx_EC_IABT_CUR)
		return VMSCOPE_ACCESS_EXEC;
	if ((esr & ESR_ELx_WNR) && !(esr & ESR_ELx_CM))
		return VMSCOPE_ACCESS_WRITE;
	return VMSCOPE_ACCESS_READ;
}

#endif /* VMSCOPE_ARCH_ARM64_H */
