// SPDX-License-Identifier: GPL-2.0
/* PageDoubleMap(): THPs mapped by a PMD and by PTEs at once (6.1). */
#include <linux/mm.h>

static bool __maybe_unused probe(struct page *page)
{
	return PageDoubleMap(page);
}
