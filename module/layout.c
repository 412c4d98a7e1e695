// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's virtual memory layout, read from the live kernel: the
 * facts every architecture has here, the rest in module/arch/.
 */
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "arch.h"
#include "layout.h"

void vmscope_layout_init(void)
{
	vmscope_arch_layout_init();
}

unsigned int vmscope_paging_levels(void)
{
	return vmscope_arch_paging_levels();
}

void vmscope_layout_add_region(struct vmscope_layout *l, const char *name,
			       unsigned long start, unsigned long last,
			       const char *what)
{
	struct vmscope_region *r;

	if (WARN_ON_ONCE(l->nr_regions == VMSCOPE_LAYOUT_REGIONS))
		return;
	r = &l->regions[l->nr_regions++];
	r->name = name;
	r->what = what;
	r->start = start;
	r->last = last;
}

void vmscope_layout_get(struct vmscope_layout *l, bool show_kernel_addrs)
{
	memset(l, 0, sizeof(*l));
	l->arch = VMSCOPE_ARCH_NAME;
	l->page_shift = PAGE_SHIFT;
	l->paging_levels = vmscope_arch_paging_levels();
	l->task_size = VMSCOPE_ARCH_USER_END;
	l->mmap_window = DEFAULT_MAP_WINDOW;
	l->kernel_addrs_visible = show_kernel_addrs;
	if (show_kernel_addrs) {
		l->page_offset = PAGE_OFFSET;
		l->direct_map_end = (unsigned long)high_memory;
		l->vmalloc_start = VMALLOC_START;
		l->vmalloc_end = VMALLOC_END;
		l->modules_start = MODULES_VADDR;
		l->modules_end = MODULES_END;
	}
	vmscope_arch_layout_get(l, show_kernel_addrs);
}
