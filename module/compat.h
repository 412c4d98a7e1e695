/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels vmscope supports (Debian's 6.1, 6.12,
 * 7.2 and 7.3), each behind a helper named after the newer kernel's
 * interface, so that the rest of the module reads like code written for
 * one kernel.
 *
 * Interfaces are told apart by feature probes: module/Kbuild compiles
 * each probes/NAME.c against the target's headers and defines HAVE_NAME
 * in compat-generated.h when it compiles.  Macros the headers define
 * themselves (MMF_TOPDOWN, PTE_MARKER_GUARD, ...) and the kernel's
 * configuration (CONFIG_*) are tested directly.  VMSCOPE_KVER, the
 * kernel's VERSION * 100 + PATCHLEVEL (601, 612, 702, 703), is used only
 * for behaviour that no header reveals, each time with the reason.
 */
#ifndef VMSCOPE_COMPAT_H
#define VMSCOPE_COMPAT_H

#include "compat-generated.h"

#ifndef HAVE_KERNEL_HEADERS
#error "feature probes fail on these headers: see probes/kernel_headers.log"
#endif

#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pgtable.h>
#include <linux/ring_buffer.h>
#include <linux/sched/coredump.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#ifdef HAVE_LEAFOPS
#include <linux/leafops.h>
#endif
#ifdef HAVE_FOLIO_BATCH_H
#include <linux/folio_batch.h>	/* 7.x */
#else
#include <linux/pagevec.h>
#endif

/*
 * The walker reads PTEs without vm_normal_page() (not exported) and
 * relies on pte_special() to tell the zero page and PFN maps from pages
 * it may look at; without the special bit that takes the VMA's rules,
 * which are not written here.
 */
#ifndef CONFIG_ARCH_HAS_PTE_SPECIAL
#error "vmscope needs CONFIG_ARCH_HAS_PTE_SPECIAL (x86_64 always has it)"
#endif

/*
 * The newest kernel whose mm/ and fs/proc/ vmscope's answers were checked
 * against (mapcount arithmetic, copy-on-write reuse, fault handling).
 * On a newer one the module builds if the interfaces allow, and says at
 * load time what it could not verify (vmscope_compat_report()).
 */
#define VMSCOPE_KVER_VERIFIED	703

#ifndef HAVE_PMDP_GET_LOCKLESS
/* 6.1 has no pmdp_get_lockless(); x86_64 reads a PMD in one access. */
static inline pmd_t pmdp_get_lockless(pmd_t *pmdp)
{
	return READ_ONCE(*pmdp);
}
#endif

#ifndef HAVE_PTE_UFFD
/*
 * 7.3 renamed the userfaultfd write-protect bits pte_uffd() and
 * pte_swp_uffd(): with userfaultfd RWP the same bit also marks pages
 * protected against reads, which of the two the VMA's flags say.
 */
static inline int pte_uffd(pte_t pte)
{
	return pte_uffd_wp(pte);
}

static inline int pte_swp_uffd(pte_t pte)
{
	return pte_swp_uffd_wp(pte);
}
#endif

/*
 * userfaultfd's read-write protection (7.3, CONFIG_USERFAULTFD_RWP): the
 * uffd PTE bit on a PROT_NONE entry of a VM_UFFD_RWP VMA traps every
 * access.  Only the VMA flag is reported; explain does not predict RWP
 * faults (async mode, resolved in the kernel, is a property of the
 * userfaultfd context, which modules cannot see).
 */
#ifdef VM_UFFD_RWP
#define VMSCOPE_VM_UFFD_RWP	VM_UFFD_RWP
#else
#define VMSCOPE_VM_UFFD_RWP	VM_NONE
#endif

/*
 * Non-present page-table entries.  7.x reads them as softleaf_t with
 * linux/leafops.h; before, they were swp_entry_t, tested with
 * swapops.h's is_*_entry().  The old spellings, under the new names:
 * callers pass only entries that are neither none nor present.
 * Debian's 6.12 backported the type and two of the names (as macros
 * in swapops.h) without leafops.h.
 */
#ifndef HAVE_LEAFOPS
#include <linux/userfaultfd_k.h>	/* pte_marker_entry_uffd_wp() */

#ifndef HAVE_SOFTLEAF_T
/* the kernel's name for the kernel's type: a macro, not a new typedef */
#define softleaf_t swp_entry_t
#endif

#ifndef softleaf_from_pte
static inline softleaf_t softleaf_from_pte(pte_t pte)
{
	return pte_to_swp_entry(pte);
}
#endif

static inline softleaf_t softleaf_from_pmd(pmd_t pmd)
{
	return pmd_to_swp_entry(pmd);
}

static inline bool softleaf_is_migration(softleaf_t entry)
{
	return is_migration_entry(entry);
}

static inline bool softleaf_is_migration_write(softleaf_t entry)
{
	return is_writable_migration_entry(entry);
}

static inline bool softleaf_is_device_private(softleaf_t entry)
{
	return is_device_private_entry(entry);
}

static inline bool softleaf_is_device_exclusive(softleaf_t entry)
{
	return is_device_exclusive_entry(entry);
}

static inline bool softleaf_is_hwpoison(softleaf_t entry)
{
	return is_hwpoison_entry(entry);
}

static inline bool softleaf_is_marker(softleaf_t entry)
{
	return is_pte_marker_entry(entry);
}

static inline bool softleaf_is_uffd_wp_marker(softleaf_t entry)
{
	return is_pte_marker_entry(entry) && pte_marker_entry_uffd_wp(entry);
}

static inline bool softleaf_is_guard_marker(softleaf_t entry)
{
#ifdef PTE_MARKER_GUARD		/* MADV_GUARD_INSTALL, 6.13 */
	return is_pte_marker_entry(entry) &&
	       (pte_marker_get(entry) & PTE_MARKER_GUARD);
#else
	return false;
#endif
}

static inline bool softleaf_has_pfn(softleaf_t entry)
{
	return is_pfn_swap_entry(entry);
}

#ifndef softleaf_to_pfn
static inline unsigned long softleaf_to_pfn(softleaf_t entry)
{
	return swp_offset_pfn(entry);
}
#endif
#endif /* !HAVE_LEAFOPS */

/*
 * An entry left where a page's contents were lost: the poison marker
 * (UFFDIO_POISON, or a failed swap-in; 6.12 and 7.x), or 6.1's swap-in
 * error entry.  A fault on either is SIGBUS.
 */
static inline bool vmscope_softleaf_is_poisoned(softleaf_t entry)
{
#if defined(HAVE_LEAFOPS)
	return softleaf_is_poison_marker(entry);
#elif defined(HAVE_IS_POISONED_SWP_ENTRY)
	return is_poisoned_swp_entry(entry);
#else
	return is_swapin_error_entry(entry);
#endif
}

/*
 * A PMD that maps memory without a struct page vmscope may look at:
 * ZONE_DEVICE memory (pmd_devmap(), gone in 7.x, where such memory has
 * ordinary folios) and huge PFN maps (pmd_special(), with
 * CONFIG_ARCH_SUPPORTS_PMD_PFNMAP since 6.12).
 */
static inline bool vmscope_pmd_no_page(pmd_t pmd)
{
#ifdef HAVE_PMD_DEVMAP
	if (pmd_devmap(pmd))
		return true;
#endif
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	if (pmd_special(pmd))
		return true;
#endif
	return !pfn_valid(pmd_pfn(pmd));
}

/* Is this PMD a leaf to be read under its PMD lock? */
static inline bool vmscope_pmd_leaf(pmd_t pmd)
{
#ifdef HAVE_PMD_DEVMAP
	if (pmd_devmap(pmd))
		return true;
#endif
	return !pmd_present(pmd) || pmd_trans_huge(pmd);
}

#ifdef CONFIG_NO_PAGE_MAPCOUNT
/*
 * fs/proc's folio_average_page_mapcount() (7.2, fs/proc/internal.h),
 * which smaps' PSS and /proc/kpagecount use for a large folio when the
 * kernel keeps no per-page mapcount.
 */
static inline int vmscope_folio_average_page_mapcount(struct folio *folio)
{
	int mapcount, entire_mapcount, avg;

	mapcount = folio_large_mapcount(folio);
	if (unlikely(mapcount <= 0))
		return 0;
	entire_mapcount = folio_entire_mapcount(folio);
	if (mapcount <= entire_mapcount)
		return entire_mapcount;
	mapcount -= entire_mapcount;
	avg = ((unsigned int)mapcount + folio_nr_pages(folio) / 2) >>
	      folio_order(folio);
	return max_t(int, avg + entire_mapcount, 1);
}
#endif

/*
 * How many present user page table entries map this page, as
 * /proc/kpagecount counts them, and whether pagemap calls it
 * "exclusively mapped" (*once).  Returns false where the kernel keeps no
 * such count: a large folio under CONFIG_NO_PAGE_MAPCOUNT (7.x) tracks
 * mappings per folio only; fs/proc then reports the folio's average,
 * which *mapcount is (for PSS, as smaps uses it), and pagemap's bit says
 * that no other mm maps the folio.
 */
static inline bool vmscope_page_mapcount(struct folio *folio,
					 struct page *page, int *mapcount,
					 bool *once)
{
#if defined(HAVE_PAGE_MAPCOUNT_IS_TYPE)
	/* fs/proc's folio_precise_page_mapcount(), not visible to modules */
#ifdef CONFIG_NO_PAGE_MAPCOUNT
	if (folio_test_large(folio)) {
		*mapcount = vmscope_folio_average_page_mapcount(folio);
		*once = !folio_maybe_mapped_shared(folio);
		return false;
	}
#endif
	*mapcount = atomic_read(&page->_mapcount) + 1;
	if (page_mapcount_is_type(*mapcount))
		*mapcount = 0;
	if (folio_test_large(folio))
		*mapcount += folio_entire_mapcount(folio);
#elif defined(HAVE_PAGE_DOUBLE_MAP)
	/*
	 * 6.1's __page_mapcount(), spelled out: as a call it cost a third
	 * of a THP walk, which asks it for every subpage.
	 */
	*mapcount = atomic_read(&page->_mapcount) + 1;
	if (folio_test_large(folio) &&
	    (folio_test_anon(folio) || PageHuge(&folio->page))) {
		*mapcount += folio_entire_mapcount(folio);
		if (PageDoubleMap(&folio->page))
			(*mapcount)--;
	}
#else
	*mapcount = page_mapcount(page);
#endif
	*once = *mapcount == 1;
	return true;
}

/*
 * Would a write fault reuse this anonymous folio, mapped read-only and
 * not PageAnonExclusive (an exclusive one is always reused)?  All these
 * kernels reuse a small folio, or a PMD-mapped one, when the mapping's
 * reference is the only one left (do_wp_page(), do_huge_pmd_wp_page();
 * neither looks at the mapcount):
 * - never a KSM folio;
 * - the swap cache's references are dropped first (folio_free_swap());
 * - at PTE level, a folio not on the LRU is presumed to sit in a per-CPU
 *   LRU batch, whose reference lru_add_drain() drops (it drains only the
 *   faulting CPU's batch); THPs go to the LRU at once.
 * A PTE-mapped large folio:
 * - 6.1 reuses it when the count allows (only if mapped just once);
 * - 6.12's wp_can_reuse_anon_folio() never does;
 * - 7.2 and 7.3 (__wp_can_reuse_large_anon_folio()) reuse it when more
 *   than one of its pages is mapped, no other mm maps it (the MM-owner
 *   tracking's "shared" bit) and every reference is a mapping of this mm.
 *   That rule reads folio->_mm_ids, so FOLIO_MM_IDS_SHARED_BITNUM tells
 *   the kernels that have it from those that do not.
 * The caller holds the page-table lock; the fault decides under the
 * folio lock, so this is a prediction, as everything explain says.
 */
static inline bool vmscope_wp_can_reuse_anon(struct folio *folio,
					     bool pmd_mapped)
{
	long refs = folio_ref_count(folio);

	if (folio_test_ksm(folio))
		return false;
	if (!pmd_mapped && folio_test_large(folio)) {
#if defined(FOLIO_MM_IDS_SHARED_BITNUM) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
		if (folio_large_mapcount(folio) <= 1 ||
		    test_bit(FOLIO_MM_IDS_SHARED_BITNUM, &folio->_mm_ids))
			return false;
		/* folio_free_swap() fails while some PTEs are swap entries */
		if (folio_test_swapcache(folio))
			refs -= folio_nr_pages(folio);
		return folio_large_mapcount(folio) == refs;
#elif VMSCOPE_KVER >= 605	/* 6.12: see above */
		return false;
#else
		/* 6.1: more references than its early check allows */
		if (folio_test_swapcache(folio))
			return false;
#endif
	}
	if (folio_test_swapcache(folio))
		refs -= folio_nr_pages(folio);
	if (!pmd_mapped && !folio_test_lru(folio))
		refs--;
	return refs == 1;
}

/* The name prctl(PR_SET_VMA_ANON_NAME) gave a VMA, or NULL. */
static inline const char *vmscope_anon_vma_name(struct vm_area_struct *vma)
{
#ifdef CONFIG_ANON_VMA_NAME
	return vma->anon_name ? vma->anon_name->name : NULL;
#else
	return NULL;
#endif
}

#ifndef CONFIG_SPARSEMEM
/*
 * FLATMEM (Debian's i386 kernels) has no memory sections: pfn_valid() is
 * one comparison, and pages.c's per-subsection memo of it covers one PFN.
 */
#define PAGE_SUBSECTION_MASK	(~0UL)
#endif

#ifndef HAVE_FILE_OWNER_OR_CAPABLE
/*
 * mincore's "owner of the file" test (mm/mincore.c), as a helper since
 * a 6.1 stable release; Debian's i386 6.1.0-50 (6.1.176) predates it.
 */
static inline bool file_owner_or_capable(struct file *file)
{
	return inode_owner_or_capable(file_mnt_user_ns(file), file_inode(file));
}
#endif

#ifndef HAVE_FILE_USER_PATH
/*
 * The path and inode a user opened, which /proc/PID/maps shows: since
 * 6.8 overlayfs's backing files map back to them; 6.1 has no backing
 * files.
 */
static inline const struct path *file_user_path(struct file *f)
{
	return &f->f_path;
}

static inline const struct inode *file_user_inode(struct file *f)
{
	return file_inode(f);
}
#endif

#ifndef HAVE_MM_FLAGS_TEST
/* 7.x's mm->flags is an mm_flags_t, read with mm_flags_test(). */
static inline bool mm_flags_test(int flag, const struct mm_struct *mm)
{
	return test_bit(flag, &mm->flags);
}
#endif

/*
 * Does mmap() allocate top down from mm->mmap_base?  6.10 and later
 * record it as MMF_TOPDOWN.  6.1 records it only as
 * mm->get_unmapped_area, whose values are not exported; there the
 * bottom-up base equals mmap_base exactly when arch_pick_mmap_layout()
 * chose the legacy layout (the top-down base is STACK_TOP less a gap of
 * at least 128 MiB, the bottom-up one STACK_TOP/3: they meet only for a
 * stack rlimit of about 2/3 of STACK_TOP, which the legacy choice does
 * not depend on).
 */
static inline bool vmscope_mm_topdown(struct mm_struct *mm)
{
#ifdef MMF_TOPDOWN
	return mm_flags_test(MMF_TOPDOWN, mm);
#else
	return mm->mmap_base != mm->mmap_legacy_base;
#endif
}

/* Learn, at load time, what no header tells (compat.c). */
void vmscope_compat_init(void);
/* What vmscope_init() says about the kernel, once. */
void vmscope_compat_report(void);

/* ---- paths (maintained with module/target.c) ---- */
#include <linux/namei.h>

#ifndef HAVE_VFS_PATH_LOOKUP
/* Exported since 2.6 but declared only in fs/internal.h before 6.4. */
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
#endif

/* ---- netlink (maintained with module/netlink.c) ---- */
#include <net/genetlink.h>

/*
 * The request's attributes, parsed by genetlink against the op's policy,
 * in a dump's .start/.dumpit/.done.  6.2 moved them into a struct
 * genl_info reached with genl_info_dump().
 */
static inline struct nlattr **vmscope_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* 6.1's ring_buffer_unlock_commit() also takes the reserved event. */
static inline void vmscope_ring_commit(struct trace_buffer *b,
				       struct ring_buffer_event *ev)
{
#ifdef HAVE_RING_BUFFER_COMMIT_1ARG
	ring_buffer_unlock_commit(b);
#else
	ring_buffer_unlock_commit(b, ev);
#endif
}

#endif /* VMSCOPE_COMPAT_H */
