/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_PTE_BITS_H
#define VMSCOPE_PTE_BITS_H

#include <linux/pgtable.h>

#include "compat.h"
#include "uapi/vmscope.h"

/*
 * The VMSCOPE_PAGE_F_* bits a present entry carries itself: the page
 * classifier's (classify.h) words for a PTE and for huge leaves.  x86
 * only, like everything here.
 */
static __always_inline u32 vmscope_pte_bits(pte_t pte)
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

/* A huge leaf has the same access bits as a PTE: its flags made into one. */
static __always_inline u32 vmscope_pmd_bits(pmd_t pmd)
{
	return vmscope_pte_bits(pfn_pte(0, __pgprot(pmd_flags(pmd))));
}

static __always_inline u32 vmscope_pud_bits(pud_t pud)
{
	return vmscope_pte_bits(pfn_pte(0, __pgprot(pud_flags(pud))));
}

#endif /* VMSCOPE_PTE_BITS_H */
