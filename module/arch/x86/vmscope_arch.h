/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_ARCH_X86_H
#define VMSCOPE_ARCH_X86_H

/*
 * x86: x86_64 (4 or 5 levels, LA57) and i386 (2 levels, or 3 with PAE).
 * See module/arch.h for the contract.
 */
#include <linux/bits.h>
#include <linux/mm.h>
#include <linux/personality.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <asm/trap_pf.h>
#include <asm/vsyscall.h>

#include "compat.h"	/* _PAGE_UFFD on kernels before 7.3 */
#include "uapi/vmscope.h"

#ifdef CONFIG_X86_64
#define VMSCOPE_ARCH_NAME	"x86_64"
#else
#define VMSCOPE_ARCH_NAME	"i686"
#endif

/* TASK_SIZE_MAX follows LA57 at run time. */
#define VMSCOPE_ARCH_USER_END	TASK_SIZE_MAX

/*
 * Is @task a 32-bit task of a 64-bit kernel (ia32), and the end of its
 * user space?  TASK_SIZE_OF() would read current's personality for ia32.
 */
static inline bool vmscope_arch_task_compat(struct task_struct *task,
					    unsigned long *task_size)
{
	bool compat = test_tsk_thread_flag(task, TIF_ADDR32);

	if (!compat)
		*task_size = TASK_SIZE_MAX;
	else if (task->personality & ADDR_LIMIT_3GB)
		*task_size = 0xc0000000UL;
	else
		*task_size = 0xffffe000UL;
	return compat;
}

/* x86_64's [vsyscall] (gate.c); never shown on i386, which has none. */
#define VMSCOPE_ARCH_GATE_ADDR	VSYSCALL_ADDR
#define VMSCOPE_ARCH_GATE_NAME	"[vsyscall]"

/* What only x86 entries say: _PAGE_NX, _PAGE_USER, _PAGE_GLOBAL. */
static __always_inline u32 vmscope_arch_pte_own_bits(pte_t pte)
{
	u32 f = 0;

	if (!pte_exec(pte))
		f |= VMSCOPE_PAGE_F_NX;
	if (pte_flags(pte) & _PAGE_USER)
		f |= VMSCOPE_PAGE_F_USER;
	if (pte_flags(pte) & _PAGE_GLOBAL)
		f |= VMSCOPE_PAGE_F_GLOBAL;
	return f;
}

/* A huge leaf has the same access bits as a PTE, _PAGE_PSE aside. */
static __always_inline pte_t vmscope_arch_pmd_as_pte(pmd_t pmd)
{
	return pfn_pte(0, __pgprot(pmd_flags(pmd)));
}

static __always_inline pte_t vmscope_arch_pud_as_pte(pud_t pud)
{
	return pfn_pte(0, __pgprot(pud_flags(pud)));
}

/*
 * The flag bits of a swap-format entry: below the offset, without the
 * swap type where the type sits there.  x86_64 and PAE keep bits 0-8
 * flags, the type at the top and the offset in between (pgtable_64.h,
 * pgtable-3level.h); two-level i386 keeps the type in bits 1-5 and the
 * offset from bit 9 (pgtable-2level.h).
 */
#ifdef SWP_OFFSET_FIRST_BIT
#define VMSCOPE_ARCH_SWP_FLAGS	(BIT_ULL(SWP_OFFSET_FIRST_BIT) - 1)
#else
#define VMSCOPE_ARCH_SWP_FLAGS	((BIT_ULL(SWP_OFFSET_SHIFT) - 1) & \
				 ~GENMASK_ULL(_PAGE_BIT_PRESENT + SWP_TYPE_BITS, \
					      _PAGE_BIT_PRESENT + 1))
#endif

/*
 * Present entries (and PROT_NONE ones, and huge PMDs being split, which
 * the kernel treats as present) keep their flag bits and lose the PFN;
 * anything else that is not empty is a swap-format entry.  Without
 * @show_bits only present/PROT_NONE, PSE, soft-dirty and uffd-wp stay.
 */
static inline u64 vmscope_arch_redact_entry(u64 raw, bool show_bits)
{
	u64 keep_present = _PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE |
			   _PAGE_SOFT_DIRTY | _PAGE_UFFD;
	u64 keep_swap = _PAGE_SWP_SOFT_DIRTY | _PAGE_SWP_UFFD;

	if (raw & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE))
		return raw & ~(u64)PTE_PFN_MASK &
		       (show_bits ? ~0ULL : keep_present);
	return raw & VMSCOPE_ARCH_SWP_FLAGS & (show_bits ? ~0ULL : keep_swap);
}

/* access_error() (arch/x86/mm/fault.c): any accessible VMA may be read. */
static inline unsigned long vmscope_arch_read_vm_flags(void)
{
	return VM_READ | VM_WRITE | VM_EXEC;
}

/*
 * exceptions:page_fault_user/_kernel exist: the tracer sees the
 * exception (its error code, below) before handle_mm_fault().
 */
#define VMSCOPE_ARCH_PF_TRACEPOINTS	true

/* The error code of exceptions:page_fault_{user,kernel} (X86_PF_*). */
static inline u32 vmscope_arch_fault_access(unsigned long err, u32 *flags)
{
	if (err & X86_PF_USER)
		*flags |= VMSCOPE_FAULT_F_USER;
	if (err & X86_PF_PROT)
		*flags |= VMSCOPE_FAULT_F_PROT;
	if (err & X86_PF_INSTR)
		return VMSCOPE_ACCESS_EXEC;
	return err & X86_PF_WRITE ? VMSCOPE_ACCESS_WRITE : VMSCOPE_ACCESS_READ;
}

#endif /* VMSCOPE_ARCH_X86_H */
