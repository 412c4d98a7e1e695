/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_ARCH_X86_H
#define VMSCOPE_ARCH_X86_H

/*
 * x86: x86_64 (4 or 5 levels, LA57) and i386 (2 levels, or 3 with PAE).
 * See module/arch.h for the contract.
 */
#include <linux/bits.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <asm/trap_pf.h>
#include <asm/vsyscall.h>

#include "compat.h"
#include "explain.h"
#include "uapi/vmscope.h"

#ifdef CONFIG_X86_64
#define VMSCOPE_ARCH_NAME	"x86_64"
#else
#define VMSCOPE_ARCH_NAME	"i686"
#endif

/* x86_64's [vsyscall] (gate.c); never shown on i386, which has none. */
#define VMSCOPE_ARCH_GATE_ADDR	VSYSCALL_ADDR
#define VMSCOPE_ARCH_GATE_NAME	"[vsyscall]"

static __always_inline u32 vmscope_arch_pte_bits(pte_t pte)
{
	u32 f = 0;

	if (pte_write(pte))
		f |= VMSCOPE_PAGE_F_WRITE;
	if (pte_dirty(pte))
		f |= VMSCOPE_PAGE_F_DIRTY;
	if (pte_young(pte))
		f |= VMSCOPE_PAGE_F_YOUNG;
	if (!pte_exec(pte))
		f |= VMSCOPE_PAGE_F_NX;
	if (pte_flags(pte) & _PAGE_USER)
		f |= VMSCOPE_PAGE_F_USER;
	if (pte_flags(pte) & _PAGE_GLOBAL)
		f |= VMSCOPE_PAGE_F_GLOBAL;
	if (pte_soft_dirty(pte))
		f |= VMSCOPE_PAGE_F_SOFT_DIRTY;
	if (pte_uffd(pte))
		f |= VMSCOPE_PAGE_F_UFFD_WP;
	return f;
}

/* A huge leaf has the same access bits as a PTE, _PAGE_PSE aside. */
static __always_inline u32 vmscope_arch_pmd_bits(pmd_t pmd)
{
	return vmscope_arch_pte_bits(pfn_pte(0, __pgprot(pmd_flags(pmd))));
}

static __always_inline u32 vmscope_arch_pud_bits(pud_t pud)
{
	return vmscope_arch_pte_bits(pfn_pte(0, __pgprot(pud_flags(pud))));
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
 * anything else that is not empty is a swap-format entry.
 */
static inline u64 vmscope_arch_redact_entry(u64 raw)
{
	if (raw & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE))
		return raw & ~(u64)PTE_PFN_MASK;
	return raw & VMSCOPE_ARCH_SWP_FLAGS;
}

/* access_error() (arch/x86/mm/fault.c): any accessible VMA may be read. */
static inline bool vmscope_arch_access_denied(unsigned long vm_flags,
					      int access)
{
	switch (access) {
	case VMSCOPE_WRITE:
		return !(vm_flags & VM_WRITE);
	case VMSCOPE_EXEC:
		return !(vm_flags & VM_EXEC);
	default:
		return !(vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
	}
}

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
