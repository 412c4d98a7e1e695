/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels vmscope supports (Debian's 6.1 and 6.12),
 * each behind a helper named after the newer kernel's interface, so that
 * the rest of the module reads like code written for one kernel.
 *
 * VMSCOPE_KVER is the kernel's VERSION * 100 + PATCHLEVEL (601, 612), set
 * by Kbuild from the tree being built against.
 */
#ifndef VMSCOPE_COMPAT_H
#define VMSCOPE_COMPAT_H

#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pgtable.h>
#include <linux/sched/coredump.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#if VMSCOPE_KVER < 605
/* 6.1 has no pmdp_get_lockless(); x86_64 reads a PMD in one access. */
static inline pmd_t pmdp_get_lockless(pmd_t *pmdp)
{
	return READ_ONCE(*pmdp);
}
#endif

/*
 * How many present user page table entries map this page, as
 * /proc/kpagecount and pagemap's "exclusively mapped" bit count them.
 * 6.1: page_mapcount() (sub-page count plus the compound mapcount).
 * 6.12 removed page_mapcount(); fs/proc keeps the same arithmetic as
 * folio_precise_page_mapcount(), which is not visible to modules.
 */
static inline int vmscope_page_mapcount(struct folio *folio, struct page *page)
{
#if VMSCOPE_KVER < 602
	/*
	 * 6.1's __page_mapcount(), spelled out: as a call it cost a third
	 * of a THP walk, which asks it for every subpage.
	 */
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (!folio_test_large(folio) ||
	    (!folio_test_anon(folio) && !PageHuge(&folio->page)))
		return mapcount;
	mapcount += folio_entire_mapcount(folio);
	if (PageDoubleMap(&folio->page))
		mapcount--;
	return mapcount;
#elif VMSCOPE_KVER < 610
	return page_mapcount(page);
#else
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
#endif
}

/*
 * Would a write fault reuse this anonymous folio, mapped read-only and
 * not PageAnonExclusive (an exclusive one is always reused)?  Both
 * kernels reuse it when the mapping's reference is the only one left
 * (do_wp_page(), do_huge_pmd_wp_page(); neither looks at the mapcount):
 * - never a KSM folio;
 * - the swap cache's references are dropped first (folio_free_swap());
 * - at PTE level, a folio not on the LRU is presumed to sit in a per-CPU
 *   LRU batch, whose reference lru_add_drain() drops (it drains only the
 *   faulting CPU's batch); THPs go to the LRU at once;
 * - 6.12's wp_can_reuse_anon_folio() never reuses a PTE-mapped large
 *   folio; 6.1 does when the count allows (only if mapped just once).
 * The caller holds the page-table lock; the fault decides under the
 * folio lock, so this is a prediction, as everything explain says.
 */
static inline bool vmscope_wp_can_reuse_anon(struct folio *folio,
					     bool pmd_mapped)
{
	long refs = folio_ref_count(folio);

	if (folio_test_ksm(folio))
		return false;
#if VMSCOPE_KVER >= 605
	if (!pmd_mapped && folio_test_large(folio))
		return false;
#endif
	if (folio_test_swapcache(folio)) {
		/* 6.1: more references than its early check allows */
		if (!pmd_mapped && folio_test_large(folio))
			return false;
		refs -= folio_nr_pages(folio);
	}
	if (!pmd_mapped && !folio_test_lru(folio))
		refs--;
	return refs == 1;
}

/* A swap entry recording a failed swap-in or a poisoned page (6.12). */
static inline bool vmscope_is_poison_entry(swp_entry_t entry)
{
#if VMSCOPE_KVER < 606
	return is_swapin_error_entry(entry);
#else
	return is_poisoned_swp_entry(entry);
#endif
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

/*
 * The path and inode a user opened, which /proc/PID/maps shows: 6.12
 * maps overlayfs's backing files back to them, 6.1 has no backing files.
 */
#if VMSCOPE_KVER < 608
static inline const struct path *vmscope_file_user_path(struct file *f)
{
	return &f->f_path;
}

static inline struct inode *vmscope_file_user_inode(struct file *f)
{
	return file_inode(f);
}
#else
static inline const struct path *vmscope_file_user_path(struct file *f)
{
	return file_user_path(f);
}

static inline struct inode *vmscope_file_user_inode(struct file *f)
{
	return (struct inode *)file_user_inode(f);
}
#endif

/*
 * Does mmap() allocate top down from mm->mmap_base?  6.12 records it as
 * MMF_TOPDOWN (since 6.10).  6.1 records it only as mm->get_unmapped_area, whose
 * values are not exported; there the bottom-up base equals mmap_base
 * exactly when arch_pick_mmap_layout() chose the legacy layout (the
 * top-down base is STACK_TOP less a gap of at least 128 MiB, the
 * bottom-up one STACK_TOP/3: they meet only for a stack rlimit of about
 * 2/3 of STACK_TOP, which the legacy choice does not depend on).
 */
static inline bool vmscope_mm_topdown(struct mm_struct *mm)
{
#ifdef MMF_TOPDOWN	/* 6.10 */
	return test_bit(MMF_TOPDOWN, &mm->flags);
#else
	return mm->mmap_base != mm->mmap_legacy_base;
#endif
}

/* ---- netlink (maintained with module/netlink.c) ---- */
#include <net/genetlink.h>

/*
 * The request's attributes, parsed by genetlink against the op's policy,
 * in a dump's .start/.dumpit/.done.  6.2 moved them into a struct
 * genl_info reached with genl_info_dump().
 */
static inline struct nlattr **vmscope_genl_dump_attrs(struct netlink_callback *cb)
{
#if VMSCOPE_KVER < 602
	return genl_dumpit_info(cb)->attrs;
#else
	return genl_info_dump(cb)->attrs;
#endif
}

#endif /* VMSCOPE_COMPAT_H */
