// SPDX-License-Identifier: GPL-2.0
/*
 * page_mapcount_is_type(): page->_mapcount also holds page types; with it
 * came fs/proc's folio_precise_page_mapcount() arithmetic.
 */
#include <linux/mm.h>

static bool __maybe_unused probe(unsigned int mapcount)
{
	return page_mapcount_is_type(mapcount);
}
