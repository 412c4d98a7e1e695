// SPDX-License-Identifier: GPL-2.0
/* The poison PTE marker (6.12); 6.1 had a swap-in error entry type. */
#include <linux/swap.h>
#include <linux/swapops.h>

static bool __maybe_unused probe(swp_entry_t entry)
{
	return is_poisoned_swp_entry(entry);
}
