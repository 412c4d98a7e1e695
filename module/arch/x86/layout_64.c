// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's virtual memory layout (x86_64), read from the live kernel.
 *
 * With CONFIG_RANDOMIZE_MEMORY the bases of the direct map, vmalloc and
 * vmemmap are variables (page_offset_base, vmalloc_base, vmemmap_base), and
 * with CONFIG_RANDOMIZE_BASE the kernel image moves inside the 1 GiB window
 * at __START_KERNEL_map.  _text is not exported, so the image's start is
 * found from the page tables: cleanup_highmap() clears every PMD of that
 * window below _text, and _text is aligned to CONFIG_PHYSICAL_ALIGN (2 MiB),
 * so the first present PMD of the window is _text.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/special_insns.h>

#include "arch.h"
#include "layout.h"

/* Where the kernel image sits without KASLR (CONFIG_PHYSICAL_START). */
#define VMSCOPE_DEFAULT_TEXT	(__START_KERNEL_map + 0x1000000UL)

static unsigned long kernel_text_start;

/*
 * Kernel page tables are shared by every process, so the current CR3
 * reaches them; the image mapping above __START_KERNEL_map is set up at
 * boot and its upper levels never change afterwards.
 */
static unsigned long find_kernel_text(void)
{
	pgd_t *pgd_base = __va(read_cr3_pa());
	unsigned long addr = __START_KERNEL_map;
	unsigned long end = __START_KERNEL_map + KERNEL_IMAGE_SIZE;

	for (; addr < end; addr += PMD_SIZE) {
		pgd_t *pgd = pgd_base + pgd_index(addr);
		p4d_t *p4d;
		pud_t *pud;
		pmd_t pmd;

		if (pgd_none(READ_ONCE(*pgd)))
			continue;
		p4d = p4d_offset(pgd, addr);
		if (p4d_none(READ_ONCE(*p4d)))
			continue;
		pud = pud_offset(p4d, addr);
		if (pud_none(READ_ONCE(*pud)))
			continue;
		if (pud_leaf(READ_ONCE(*pud)))
			return addr;
		pmd = READ_ONCE(*pmd_offset(pud, addr));
		if (pmd_present(pmd))
			return addr;
	}
	return 0;
}

void vmscope_arch_layout_init(void)
{
	kernel_text_start = find_kernel_text();
}

unsigned int vmscope_arch_paging_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

/* CONFIG_RANDOMIZE_MEMORY moved a base away from its documented place. */
static bool memory_randomized(void)
{
	bool l5 = pgtable_l5_enabled();
	unsigned long page_offset = PAGE_OFFSET;
	unsigned long vmalloc_start = VMALLOC_START;
	unsigned long vmemmap_start = VMEMMAP_START;

	return page_offset != (l5 ? __PAGE_OFFSET_BASE_L5 : __PAGE_OFFSET_BASE_L4) ||
	       vmalloc_start != (l5 ? __VMALLOC_BASE_L5 : __VMALLOC_BASE_L4) ||
	       vmemmap_start != (l5 ? __VMEMMAP_BASE_L5 : __VMEMMAP_BASE_L4);
}

void vmscope_arch_layout_get(struct vmscope_layout *l, bool kernel)
{
	l->user_va_bits = __VIRTUAL_MASK_SHIFT;
	if (!kernel)
		return;
	l->kaslr = memory_randomized() ||
		   kernel_text_start != VMSCOPE_DEFAULT_TEXT;
	l->page_offset = PAGE_OFFSET;
	l->direct_map_end = (unsigned long)high_memory;
	l->vmalloc_start = VMALLOC_START;
	l->vmalloc_end = VMALLOC_END;
	l->vmemmap_start = VMEMMAP_START;
	l->kernel_text_start = kernel_text_start;
	l->modules_start = MODULES_VADDR;
	l->modules_end = MODULES_END;
}
