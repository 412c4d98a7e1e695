// SPDX-License-Identifier: GPL-2.0
/* 7.x: struct folio_batch moved from linux/pagevec.h to its own header. */
#include <linux/folio_batch.h>

static void __maybe_unused probe(struct folio_batch *fbatch)
{
	folio_batch_init(fbatch);
}
