// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's virtual memory layout (arm64), read from the live kernel
 * (arch/arm64/include/asm/memory.h, Documentation/arch/arm64/memory.rst).
 *
 * The linear map runs from PAGE_OFFSET to PAGE_END, both set by the VA
 * size the booted CPU allowed (vabits_actual: 52 with LPA2, else 48, or
 * 47 with 16 KiB pages); above it the modules area, then vmalloc, which
 * holds the kernel image at KIMAGE_VADDR plus the KASLR offset; the
 * fixmap, PCI I/O and vmemmap sit at the top.  kimage_vaddr (and with it
 * kaslr_offset()) and _text are not exported; the image's text is found
 * through kallsyms, which names an address exactly when it lies in the
 * kernel from _stext on: the last page below an exported core function
 * that kallsyms still names is _stext, and _text is one SEGMENT_ALIGN
 * below it (vmlinux.lds.S: _text starts .head.text at KIMAGE_VADDR,
 * .text with _stext follows ALIGN(SEGMENT_ALIGN), and the head is a few
 * hundred bytes).
 */
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <asm/fixmap.h>
#include <asm/memory.h>
#include <asm/pgtable.h>

#include "arch.h"
#include "layout.h"

static unsigned long kernel_text_start;

/* Does kallsyms take @addr for kernel text (a name, not a bare number)? */
static bool ksym_named(unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, addr);
	return sym[0] && strncmp(sym, "0x", 2);
}

void vmscope_arch_layout_init(void)
{
	unsigned long addr = (unsigned long)schedule & PAGE_MASK;

	if (!ksym_named(addr))
		return;		/* no kallsyms: left unknown (0) */
	while (ksym_named(addr - PAGE_SIZE))
		addr -= PAGE_SIZE;
	kernel_text_start = addr - SEGMENT_ALIGN;	/* _stext to _text */
}

unsigned int vmscope_arch_paging_levels(void)
{
	unsigned int levels = CONFIG_PGTABLE_LEVELS;

	if (CONFIG_PGTABLE_LEVELS > 4 && !pgtable_l5_enabled())
		levels--;
	if (CONFIG_PGTABLE_LEVELS > 3 && !pgtable_l4_enabled())
		levels--;
	return levels;
}

void vmscope_arch_layout_get(struct vmscope_layout *l, bool kernel)
{
	l->user_va_bits = vabits_actual;
	l->task_size = TASK_SIZE_64;
	if (!kernel)
		return;
	/* Without KASLR the image's _text is at KIMAGE_VADDR. */
	l->kaslr = kernel_text_start &&
		   round_down(kernel_text_start, SZ_2M) != KIMAGE_VADDR;
	/* Below the VA size the CPU allowed, the linear map is unused. */
	l->page_offset = _PAGE_OFFSET(vabits_actual);
	l->vmemmap_start = VMEMMAP_START;
	l->kernel_text_start = kernel_text_start;
	vmscope_layout_add_region(l, "linear_map", l->page_offset, PAGE_END - 1,
				  "linear map of physical memory (PAGE_END)");
	vmscope_layout_add_region(l, "fixmap", FIXADDR_TOT_START,
				  FIXADDR_TOP - 1, "fixed mappings");
	vmscope_layout_add_region(l, "pci_io", PCI_IO_START, PCI_IO_END - 1,
				  "PCI I/O space");
	vmscope_layout_add_region(l, "vmemmap", VMEMMAP_START, VMEMMAP_END - 1,
				  "struct page array");
}

/* arm64 has no gate VMA (get_gate_vma() is the generic NULL). */
void vmscope_arch_gate_init(void)
{
}

bool vmscope_arch_gate_known(void)
{
	return true;
}

unsigned long vmscope_arch_gate_vm_flags(struct mm_struct *mm)
{
	return 0;
}
