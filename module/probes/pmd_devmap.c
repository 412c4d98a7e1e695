// SPDX-License-Identifier: GPL-2.0
/* pmd_devmap(): gone once ZONE_DEVICE pages became ordinary folios. */
#include <linux/mm.h>

static int __maybe_unused probe(pmd_t pmd)
{
	return pmd_devmap(pmd);
}
