// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's virtual memory layout (i386), read from the live kernel.
 *
 * With the 3G/1G split the kernel owns PAGE_OFFSET (0xC0000000) and up,
 * from the bottom (arch/x86/include/asm/highmem.h, pgtable_32_areas.h):
 * lowmem, the physical memory mapped one to one up to high_memory (896
 * MiB at most), holding the kernel image; after a gap, vmalloc (modules
 * live there too); the persistent kmap window (PKMAP_BASE); the LDT
 * remap; the cpu_entry_area; the fixmap, ending at FIXADDR_TOP.  Memory
 * above lowmem (highmem) has no permanent address: kmap_local maps it,
 * page tables too with CONFIG_HIGHPTE.
 *
 * CONFIG_RANDOMIZE_BASE moves the kernel image in physical memory only,
 * in steps of CONFIG_PHYSICAL_ALIGN; its virtual address is then the
 * physical one plus PAGE_OFFSET.  _text is not exported, but any core
 * kernel function is less than one step past it.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <asm/boot.h>
#include <asm/cpu_entry_area.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>

#include "arch.h"
#include "layout.h"

#define VMSCOPE_DEFAULT_TEXT	(PAGE_OFFSET + LOAD_PHYSICAL_ADDR)

static unsigned long kernel_text_start;

void vmscope_arch_layout_init(void)
{
	kernel_text_start = round_down((unsigned long)schedule,
				       CONFIG_PHYSICAL_ALIGN);
}

unsigned int vmscope_arch_paging_levels(void)
{
	return CONFIG_PGTABLE_LEVELS;	/* 3 with PAE, else 2 */
}

void vmscope_arch_layout_get(struct vmscope_layout *l, bool kernel)
{
	l->user_va_bits = BITS_PER_LONG;
	if (!kernel)
		return;
	l->kaslr = kernel_text_start != VMSCOPE_DEFAULT_TEXT;
	l->page_offset = PAGE_OFFSET;
	l->direct_map_end = (unsigned long)high_memory;
	l->vmalloc_start = VMALLOC_START;
	l->vmalloc_end = VMALLOC_END;
	l->kernel_text_start = kernel_text_start;
	l->modules_start = MODULES_VADDR;
	l->modules_end = MODULES_END;
#ifdef CONFIG_HIGHMEM
	vmscope_layout_add_region(l, "pkmap", PKMAP_BASE,
				  PKMAP_BASE + LAST_PKMAP * PAGE_SIZE - 1,
				  "persistent kmap window (PKMAP_BASE)");
#endif
	vmscope_layout_add_region(l, "ldt", LDT_BASE_ADDR, LDT_END_ADDR - 1,
				  "LDT remap (PTI)");
	vmscope_layout_add_region(l, "cpu_entry_area", CPU_ENTRY_AREA_BASE,
				  CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE - 1,
				  "per-CPU entry stacks, GDT, TSS");
	vmscope_layout_add_region(l, "fixmap", FIXADDR_TOT_START,
				  FIXADDR_TOP + PAGE_SIZE - 1,
				  "fixed mappings, kmap_local slots (FIXADDR_TOP)");
}
