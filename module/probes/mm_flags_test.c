// SPDX-License-Identifier: GPL-2.0
/* mm->flags became an mm_flags_t, read with mm_flags_test(). */
#include <linux/mm.h>

static bool __maybe_unused probe(const struct mm_struct *mm)
{
	return mm_flags_test(0, mm);
}
