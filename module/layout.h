/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_LAYOUT_H
#define VMSCOPE_LAYOUT_H

#include <linux/types.h>

/* A named kernel region beyond those of struct vmscope_layout. */
struct vmscope_region {
	const char *name;	/* "fixmap": debugfs prints NAME_start, NAME_last */
	const char *what;	/* one line for people */
	unsigned long start;
	unsigned long last;	/* inclusive: a region may end at 2^BITS_PER_LONG */
};

#define VMSCOPE_LAYOUT_REGIONS	8

/*
 * The kernel's virtual memory layout as this boot chose it.  The first group
 * is public (what any process can learn from its own behaviour); the second
 * group reveals KASLR and is only filled in for callers allowed to see kernel
 * addresses (see access.c).  Each architecture fills what it has (module/
 * arch/ * /layout*.c); an address it does not have stays 0.
 */
struct vmscope_layout {
	const char *arch;		/* VMSCOPE_ARCH_NAME */
	unsigned int page_shift;
	unsigned int paging_levels;
	unsigned int user_va_bits;
	unsigned long task_size;	/* end of a native task's user space */
	unsigned long mmap_window;	/* DEFAULT_MAP_WINDOW: mmap's default top */

	bool kernel_addrs_visible;
	bool kaslr;			/* text or memory regions moved */
	unsigned long page_offset;	/* linear map of physical memory */
	unsigned long direct_map_end;	/* end of the mapped RAM (high_memory) */
	unsigned long vmalloc_start;
	unsigned long vmalloc_end;	/* inclusive, as the kernel defines it */
	unsigned long vmemmap_start;	/* struct page array */
	unsigned long kernel_text_start;	/* _text */
	unsigned long modules_start;
	unsigned long modules_end;
	unsigned int nr_regions;	/* the architecture's other regions */
	struct vmscope_region regions[VMSCOPE_LAYOUT_REGIONS];
};

void vmscope_layout_init(void);
unsigned int vmscope_paging_levels(void);
void vmscope_layout_get(struct vmscope_layout *layout, bool show_kernel_addrs);
void vmscope_layout_add_region(struct vmscope_layout *l, const char *name,
			       unsigned long start, unsigned long last,
			       const char *what);

#endif /* VMSCOPE_LAYOUT_H */
