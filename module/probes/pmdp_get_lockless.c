// SPDX-License-Identifier: GPL-2.0
/* pmdp_get_lockless(): not in 6.1. */
#include <linux/pgtable.h>

static pmd_t __maybe_unused probe(pmd_t *pmdp)
{
	return pmdp_get_lockless(pmdp);
}
