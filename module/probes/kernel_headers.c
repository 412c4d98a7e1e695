// SPDX-License-Identifier: GPL-2.0
/*
 * Not a feature: a probe that must compile.  Without it, compat.h stops
 * the build, as every other probe would have failed for the same reason
 * (flags or compiler, not the kernel's interfaces).
 */
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>

static unsigned long __maybe_unused probe(struct mm_struct *mm)
{
	return mm->mmap_base;
}
