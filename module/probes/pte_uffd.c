// SPDX-License-Identifier: GPL-2.0
/* 7.3: the uffd-wp PTE bits were renamed pte_uffd(), pte_swp_uffd(). */
#include <linux/mm.h>

static int __maybe_unused probe(pte_t pte)
{
	return pte_uffd(pte) + pte_swp_uffd(pte);
}
