/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_PTE_BITS_H
#define VMSCOPE_PTE_BITS_H

#include <linux/pgtable.h>

#include "compat.h"
#include "uapi/vmscope.h"

/*
 * The VMSCOPE_PAGE_F_* bits a present entry carries itself, for a PTE or
 * a huge leaf's flags made into one (pfn_pte(0, __pgprot(pmd_flags()))):
 * the walker's (pages.c) and the fault tracer's (faults_probe.c) words.
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

#endif /* VMSCOPE_PTE_BITS_H */
