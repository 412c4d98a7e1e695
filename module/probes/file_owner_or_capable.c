// SPDX-License-Identifier: GPL-2.0
/* file_owner_or_capable(): 6.1.18x stable has it, 6.1.176 (i386) not. */
#include <linux/fs.h>

static bool __maybe_unused probe(struct file *f)
{
	return file_owner_or_capable(f);
}
