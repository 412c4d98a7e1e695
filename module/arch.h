/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_ARCH_H
#define VMSCOPE_ARCH_H

/*
 * The per-architecture layer, after the kernel's own asm/pgtable.h: the
 * generic code reads page-table entries, the kernel layout and fault
 * words only through what is declared here, and each architecture
 * provides it in module/arch/$(SRCARCH)/ (vmscope_arch.h for the inline
 * part, *.c for the rest, listed in that directory's Kbuild).  Levels
 * the booted kernel folds are walked through the kernel's own folding
 * (pgtable-nop4d.h, ...), so there is one walker for all.
 *
 * Each architecture's vmscope_arch.h defines:
 *
 * VMSCOPE_ARCH_NAME
 *	the architecture as uname -m names it ("x86_64", "i686", "aarch64").
 * u32 vmscope_arch_pte_bits(pte_t pte)
 * u32 vmscope_arch_pmd_bits(pmd_t pmd)	(a present leaf)
 * u32 vmscope_arch_pud_bits(pud_t pud)	(a present leaf)
 *	the VMSCOPE_PAGE_F_* bits a present entry carries itself: write,
 *	dirty, young, NX, user, global, soft-dirty, uffd-wp, contiguous.
 * u64 vmscope_arch_redact_entry(u64 raw)
 *	a raw entry (explain) without what pagemap shows only to
 *	CAP_SYS_ADMIN: the PFN of a present entry, the swap type and
 *	offset of a swap-format one.
 * bool vmscope_arch_access_denied(unsigned long vm_flags, int access)
 *	access_error() of the architecture's fault handler, for a VMA's
 *	flags and a VMSCOPE_READ/WRITE/EXEC access (explain.h).
 * u32 vmscope_arch_fault_access(unsigned long error_code, u32 *flags)
 *	the VMSCOPE_ACCESS_* of a hardware fault word as the exception
 *	probe records it, and VMSCOPE_FAULT_F_USER/PROT into *flags.
 *
 * and its *.c files:
 *
 * unsigned int vmscope_arch_paging_levels(void)
 *	page-table levels of the booted kernel (run time: LA57, PAE,
 *	arm64's VA size and page size).
 * void vmscope_arch_layout_init(void)
 *	once at load: what the layout needs from the page tables.
 * void vmscope_arch_layout_get(struct vmscope_layout *l, bool kernel)
 *	the architecture's part of the layout (layout.h); its kernel
 *	addresses only when @kernel.
 * void vmscope_arch_gate_init(void)
 * unsigned long vmscope_arch_gate_vm_flags(struct mm_struct *mm)
 *	the gate VMA /proc/PID/maps prints after the VMAs (x86_64's
 *	[vsyscall]) at VMSCOPE_ARCH_GATE_ADDR: its VM_* flags, 0 if none;
 *	vmscope_arch_gate_known() says whether that could be found out.
 */
#if !__has_include(<vmscope_arch.h>)
#error "vmscope supports x86 (x86_64, i386) and arm64: no module/arch/ for this architecture"
#endif
#include <vmscope_arch.h>

#include <linux/highmem.h>
#include <linux/mm_types.h>
#include <linux/pgtable.h>

struct vmscope_layout;

unsigned int vmscope_arch_paging_levels(void);
void vmscope_arch_layout_init(void);
void vmscope_arch_layout_get(struct vmscope_layout *l, bool kernel);
void vmscope_arch_gate_init(void);
bool vmscope_arch_gate_known(void);
unsigned long vmscope_arch_gate_vm_flags(struct mm_struct *mm);

/*
 * The PTE table a (copied) table PMD points to, mapped for reading, and
 * the entry for @addr in it: with CONFIG_HIGHPTE (i386) page tables may
 * live in high memory, which only kmap_local reaches; elsewhere this is
 * page_address().  Undo with vmscope_pte_unmap(), in reverse order of
 * mapping, in the same context, given the pointer vmscope_pte_map()
 * returned (not one moved past the table's end).
 */
static inline pte_t *vmscope_pte_map(pmd_t pmd, unsigned long addr)
{
	return (pte_t *)kmap_local_page(pmd_page(pmd)) + pte_index(addr);
}

static inline void vmscope_pte_unmap(pte_t *pte)
{
	kunmap_local(pte);
}

#endif /* VMSCOPE_ARCH_H */
