// SPDX-License-Identifier: GPL-2.0
/* The running kernel's page and PMD sizes (pagesize.h). */
#include <stdio.h>
#include <unistd.h>

#include "pagesize.h"

unsigned long vs_page_size(void)
{
	static unsigned long size;

	if (!size) {
		long v = sysconf(_SC_PAGESIZE);

		size = v > 0 ? v : 4096;
	}
	return size;
}

unsigned long vs_pmd_size(void)
{
	static unsigned long size;
	FILE *f;

	if (size)
		return size;
	f = fopen("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "r");
	if (f) {
		if (fscanf(f, "%lu", &size) != 1)
			size = 0;
		fclose(f);
	}
	if (!size || size & (size - 1) || size < vs_page_size())
		size = vs_page_size() * (vs_page_size() / 8);
	return size;
}
