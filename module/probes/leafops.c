// SPDX-License-Identifier: GPL-2.0
/* 7.x: software page-table leaf entries, softleaf_t (linux/leafops.h). */
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/leafops.h>

static bool __maybe_unused probe(pte_t pte)
{
	softleaf_t entry = softleaf_from_pte(pte);

	return softleaf_is_marker(entry) && softleaf_has_pfn(entry);
}
