// SPDX-License-Identifier: GPL-2.0
/* softleaf_t: 7.x, and backported to Debian's 6.12 without leafops.h. */
#include <linux/mm_types.h>

static unsigned long __maybe_unused probe(softleaf_t entry)
{
	return entry.val;
}
