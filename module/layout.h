/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_LAYOUT_H
#define VMSCOPE_LAYOUT_H

#include <linux/types.h>

/*
 * The kernel's virtual memory layout as this boot chose it.  The first group
 * is public (what any process can learn from its own behaviour); the second
 * group reveals KASLR and is only filled in for callers allowed to see kernel
 * addresses (see access.c).
 */
struct vmscope_layout {
	unsigned int paging_levels;
	unsigned int user_va_bits;
	unsigned long task_size;	/* TASK_SIZE_MAX of a 64-bit task */
	unsigned long mmap_window;	/* DEFAULT_MAP_WINDOW: mmap's default top */

	bool kernel_addrs_visible;
	bool kaslr;			/* text or memory regions moved */
	unsigned long page_offset;	/* direct map of all physical memory */
	unsigned long direct_map_end;	/* end of the mapped RAM (high_memory) */
	unsigned long vmalloc_start;
	unsigned long vmalloc_end;	/* inclusive, as the kernel defines it */
	unsigned long vmemmap_start;	/* struct page array */
	unsigned long kernel_text_start;	/* _text */
	unsigned long modules_start;
	unsigned long modules_end;
};

void vmscope_layout_init(void);
unsigned int vmscope_paging_levels(void);
void vmscope_layout_get(struct vmscope_layout *layout, bool show_kernel_addrs);

#endif /* VMSCOPE_LAYOUT_H */
