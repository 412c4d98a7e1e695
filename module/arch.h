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
 * u32 vmscope_arch_pte_own_bits(pte_t pte)
 *	the VMSCOPE_PAGE_F_* bits of a present entry that the generic
 *	pte_*() accessors do not tell: NX, user, global, contiguous
 *	(vmscope_arch_pte_bits() below adds the rest).
 * pte_t vmscope_arch_pmd_as_pte(pmd_t pmd)	(a present leaf)
 * pte_t vmscope_arch_pud_as_pte(pud_t pud)	(a present leaf)
 *	a block entry's attributes as a PTE's, for the pte_*() accessors.
 * u64 vmscope_arch_redact_entry(u64 raw, bool show_bits)
 *	a raw entry (explain) without what pagemap shows only to
 *	CAP_SYS_ADMIN: the PFN of a present entry, the swap type and
 *	offset of a swap-format one; without @show_bits also the bits
 *	vmscope_redact_page() hides (accessed, dirty, write, exclusive).
 * unsigned long vmscope_arch_read_vm_flags(void)
 *	the VM_* flags of which a VMA needs one to be read (access_error()
 *	of the architecture's fault handler; vmscope_arch_access_denied()).
 * VMSCOPE_ARCH_USER_END
 *	the end of a native task's user space on the booted kernel: what
 *	requests are checked against and a whole walk ends at (x86:
 *	TASK_SIZE_MAX, 4- or 5-level at run time; arm64: TASK_SIZE_64,
 *	1 << vabits_actual, where TASK_SIZE_MAX is the build's VA_BITS).
 * bool vmscope_arch_task_compat(struct task_struct *task,
 *			       unsigned long *task_size)
 *	whether @task is a 32-bit task of a 64-bit kernel, and the end of
 *	its user space.
 * VMSCOPE_ARCH_PF_TRACEPOINTS
 *	whether exceptions:page_fault_user/_kernel exist (x86 only); the
 *	tracer then records the exception before handle_mm_fault().
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
/*
 * Found through -I$(src)/arch/$(SRCARCH); an architecture without that
 * directory stops module/Kbuild with one message before this is read.
 */
#include "vmscope_arch.h"
#ifndef VMSCOPE_ARCH_NAME
#error "module/arch/$(SRCARCH)/vmscope_arch.h does not provide the contract of arch.h"
#endif

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pgtable.h>

#include "compat.h"
#include "explain.h"
#include "uapi/vmscope.h"

struct vmscope_layout;

/* The VMSCOPE_PAGE_F_* bits a present entry carries itself. */
static __always_inline u32 vmscope_arch_pte_bits(pte_t pte)
{
	u32 f = vmscope_arch_pte_own_bits(pte);

	if (pte_write(pte))
		f |= VMSCOPE_PAGE_F_WRITE;
	if (pte_dirty(pte))
		f |= VMSCOPE_PAGE_F_DIRTY;
	if (pte_young(pte))
		f |= VMSCOPE_PAGE_F_YOUNG;
	if (pte_soft_dirty(pte))
		f |= VMSCOPE_PAGE_F_SOFT_DIRTY;
	if (pte_uffd(pte))
		f |= VMSCOPE_PAGE_F_UFFD_WP;
	return f;
}

static __always_inline u32 vmscope_arch_pmd_bits(pmd_t pmd)
{
	return vmscope_arch_pte_bits(vmscope_arch_pmd_as_pte(pmd));
}

static __always_inline u32 vmscope_arch_pud_bits(pud_t pud)
{
	return vmscope_arch_pte_bits(vmscope_arch_pud_as_pte(pud));
}

/*
 * access_error(): would the fault handler refuse a VMSCOPE_READ, _WRITE
 * or _EXEC access (explain.h) to a VMA with these flags?
 */
static inline bool vmscope_arch_access_denied(unsigned long vm_flags,
					      int access)
{
	switch (access) {
	case VMSCOPE_WRITE:
		return !(vm_flags & VM_WRITE);
	case VMSCOPE_EXEC:
		return !(vm_flags & VM_EXEC);
	default:
		return !(vm_flags & vmscope_arch_read_vm_flags());
	}
}

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
