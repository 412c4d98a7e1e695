// SPDX-License-Identifier: GPL-2.0
/* x86 mm->context.flags: a mask in an unsigned short (6.1), bits later. */
#include <linux/mm_types.h>

static bool __maybe_unused probe(struct mm_struct *mm)
{
	return test_bit(MM_CONTEXT_HAS_VSYSCALL, &mm->context.flags);
}
