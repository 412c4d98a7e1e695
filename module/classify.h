/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_CLASSIFY_H
#define VMSCOPE_CLASSIFY_H

/*
 * The one page classifier: what one page-table entry, read once, says
 * about one page of a VMA, as a struct vmscope_page.  The walker
 * (pages.c, and through it explain) and the fault tracer's probes
 * (faults_probe.c) all call it, so that the three cannot tell the same
 * entry apart differently (issue 23: the tracer's own copy took 7.x's
 * pmd_special() huge zero page for a PFN map).
 *
 * It is a pure function of the entry and of the VMA's facts, copied into
 * struct vmscope_classify by the caller: no lock, no sleeping, no
 * allocation, callable with IRQs disabled and from NMI-like contexts.
 * What it may read of the struct page depends on the caller:
 * - @locked: the walker holds the entry's page-table lock, so a mapped
 *   page cannot be freed meanwhile and the folio helpers are safe;
 * - !@locked: a probe reads the entry as GUP-fast does, holding no
 *   reference; the page may be freed and reused meanwhile.  Its struct
 *   page stays where it is (memory hot-remove cannot finish while IRQs
 *   are disabled), so words of it are read once each, never through a
 *   helper that asserts on a page that changed type (PageAnonExclusive(),
 *   folio_test_large() under DEBUG_VM_PGFLAGS).  A stale answer is
 *   possible and harmless: it is a snapshot.  No mapcount is read.
 * Both read the same words; only the reuse guess and the mapcount differ.
 */
#include <linux/huge_mm.h>
#include <linux/mm.h>

#include "arch.h"
#include "compat.h"
#include "pages.h"

struct vmscope_classify {
	unsigned long vm_flags;	/* the VMA's */
	bool anon;		/* vma_is_anonymous() */
	bool locked;		/* the entry's page-table lock is held */
	bool pfn;		/* record PFNs and swap entries */
	/* pfn_valid() remembered per subsection: vmscope_has_memmap() */
	bool memmap_known;
	unsigned long memmap_first;
};

static inline void vmscope_classify_init(struct vmscope_classify *c,
					 unsigned long vm_flags, bool anon,
					 bool locked, bool pfn)
{
	c->vm_flags = vm_flags;
	c->anon = anon;
	c->locked = locked;
	c->pfn = pfn;
	c->memmap_known = false;
}

static __always_inline void vmscope_classify_entry(struct vmscope_page *p,
						   unsigned long addr,
						   u8 state, u8 level)
{
	memset(p, 0, sizeof(*p));
	p->addr = addr;
	p->nr = 1;
	p->state = state;
	p->level = level;
}

/* pagemap reports soft-dirty for every page of a VM_SOFTDIRTY VMA. */
static __always_inline u32 vmscope_hole_flags(const struct vmscope_classify *c)
{
	return c->vm_flags & VM_SOFTDIRTY ? VMSCOPE_PAGE_F_SOFT_DIRTY : 0;
}

/* A word of a struct page we may hold no reference to: read once. */
static __always_inline unsigned long vmscope_page_flags_word(const struct page *page)
{
	/* page->flags is memdesc_flags_t in 7.x, whose first member is it */
	return READ_ONCE(*(const unsigned long *)&page->flags);
}

/*
 * A private mapping that may be written now: is_cow_mapping() (private
 * and VM_MAYWRITE) would also count read-only private mappings, where a
 * write faults with SIGSEGV rather than copying.
 */
static __always_inline bool vmscope_writable_cow(const struct vmscope_classify *c)
{
	return (c->vm_flags & (VM_SHARED | VM_MAYWRITE | VM_WRITE)) ==
	       (VM_MAYWRITE | VM_WRITE);
}

/*
 * Would a write reuse this anonymous, read-only, not exclusive folio?
 * Locked: compat.h's vmscope_wp_can_reuse_anon().  Unlocked: its rule
 * from racy reads of the flags word and the refcount (the folio_test_*()
 * helpers may assert on a page that changed type); a PTE-mapped large
 * folio is taken as copied (6.12's rule; 6.1 and 7.x may reuse some).
 */
static __always_inline bool vmscope_reusable(const struct vmscope_classify *c,
					     struct folio *folio, bool pmd_mapped)
{
	unsigned long fl;
	long refs;

	if (c->locked)
		return vmscope_wp_can_reuse_anon(folio, pmd_mapped);
	fl = vmscope_page_flags_word(&folio->page);
	refs = atomic_read(&folio->page._refcount);
	if ((fl & BIT(PG_head)) && !pmd_mapped)
		return false;
	if ((fl & BIT(PG_swapbacked)) && (fl & BIT(PG_swapcache)))
		refs -= pmd_mapped ? HPAGE_PMD_NR : 1;
	if (!pmd_mapped && !(fl & BIT(PG_lru)))
		refs--;
	return refs == 1;
}

/*
 * The page's mapcount and pagemap's "exclusively mapped" bit, under the
 * page-table lock only.  Where the kernel keeps no per-page count,
 * p->mapcount is the folio's average, which only PSS uses (as smaps
 * does) and no interface reports.
 */
static __always_inline void vmscope_set_mapcount(struct folio *folio,
						 struct page *page,
						 struct vmscope_page *p)
{
	bool once;
	int mapcount;

	p->flags &= ~(VMSCOPE_PAGE_F_MMAP_EXCL |
		      VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN);
	if (!vmscope_page_mapcount(folio, page, &mapcount, &once))
		p->flags |= VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN;
	if (once)
		p->flags |= VMSCOPE_PAGE_F_MMAP_EXCL;
	p->mapcount = max(mapcount, 0);
}

/*
 * Folio facts of a mapped page.  A PMD-mapped folio keeps
 * PageAnonExclusive on its head page, a PTE-mapped one per page.
 * compound_order() reads the head bit and the order without asserting.
 */
static __always_inline void vmscope_describe_page(const struct vmscope_classify *c,
						  struct page *page,
						  bool pmd_mapped,
						  struct vmscope_page *p)
{
	struct folio *folio = page_folio(page);
	struct page *excl_page = pmd_mapped ? &folio->page : page;
	unsigned int order = compound_order(&folio->page);

	if (folio_test_anon(folio)) {
		p->flags |= VMSCOPE_PAGE_F_ANON;
		if (folio_test_ksm(folio))
			p->flags |= VMSCOPE_PAGE_F_KSM;
		else if (vmscope_page_flags_word(excl_page) &
			 BIT(PG_anon_exclusive))
			p->flags |= VMSCOPE_PAGE_F_EXCLUSIVE;
		else if (!vmscope_reusable(c, folio, pmd_mapped))
			p->flags |= VMSCOPE_PAGE_F_COW;	/* see vmscope_set_cow() */
	} else {
		p->flags |= VMSCOPE_PAGE_F_FILE;
	}
	if (order) {
		p->flags |= VMSCOPE_PAGE_F_THP;
		p->order = order;
	}
	if (c->locked)
		vmscope_set_mapcount(folio, page, p);
	else
		p->flags |= VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN;
}

/*
 * What do_wp_page() would do with a write to this present, read-only
 * page of a private writable mapping: copy the zero page, file pages and
 * KSM pages.  Whether an anonymous page is copied or reused was decided
 * from its folio in vmscope_describe_page(); here that is undone where a
 * write could not copy at all.
 */
static __always_inline void vmscope_set_cow(const struct vmscope_classify *c,
					    struct vmscope_page *p)
{
	u32 f = p->flags;

	if (!vmscope_writable_cow(c) || (f & VMSCOPE_PAGE_F_WRITE)) {
		p->flags &= ~VMSCOPE_PAGE_F_COW;
		return;
	}
	if (f & (VMSCOPE_PAGE_F_ZERO | VMSCOPE_PAGE_F_FILE |
		 VMSCOPE_PAGE_F_KSM))
		p->flags |= VMSCOPE_PAGE_F_COW;
}

/*
 * pfn_valid() for the PFN of a present PTE, remembered per subsection
 * for a locked walk: it is a section lookup under rcu_read_lock_sched(),
 * dear when paid per page, and its answer is the same for a whole
 * subsection, where the PFNs of one PTE table mostly fall.  The caller
 * forgets it (memmap_known = false) at each new PTE table: a section
 * cannot go offline while a page in it is still mapped by an entry under
 * the lock held.
 */
static __always_inline bool vmscope_has_memmap(struct vmscope_classify *c,
					       unsigned long pfn)
{
	if (c->memmap_known &&
	    (pfn & PAGE_SUBSECTION_MASK) == c->memmap_first)
		return true;
	if (!pfn_valid(pfn))
		return false;
	if (c->locked) {
		c->memmap_known = true;
		c->memmap_first = pfn & PAGE_SUBSECTION_MASK;
	}
	return true;
}

/*
 * vm_normal_page() is not exported.  On x86 (ARCH_HAS_PTE_SPECIAL) it
 * comes down to this: special PTEs (the zero page, PFN maps) have no
 * struct page to look at, others do if the PFN has a memmap.
 */
static __always_inline void vmscope_classify_present_pte(struct vmscope_classify *c,
							 pte_t pte,
							 struct vmscope_page *p)
{
	unsigned long pfn = pte_pfn(pte);

	p->flags |= vmscope_arch_pte_bits(pte);
	if (c->pfn)
		p->pfn = pfn;
	if (pte_special(pte) || !vmscope_has_memmap(c, pfn)) {
		if (is_zero_pfn(pfn))
			p->flags |= VMSCOPE_PAGE_F_ZERO;
		else
			p->state = VMSCOPE_STATE_PFNMAP;
		return;
	}
	vmscope_describe_page(c, pfn_to_page(pfn), false, p);
}

/*
 * Non-present, non-empty entries: swap, migration, device, markers.  A
 * PTE marker may carry several bits; handle_pte_marker() looks at poison
 * first, then guard, then uffd-wp, and so does this.
 */
static __always_inline void vmscope_classify_softleaf(const struct vmscope_classify *c,
						      softleaf_t entry,
						      struct vmscope_page *p)
{
	if (vmscope_softleaf_is_poisoned(entry) ||
	    softleaf_is_hwpoison(entry)) {
		p->state = VMSCOPE_STATE_HWPOISON;
	} else if (softleaf_is_guard_marker(entry)) {
		p->state = VMSCOPE_STATE_GUARD;
	} else if (softleaf_is_marker(entry)) {
		p->state = VMSCOPE_STATE_MARKER;
		if (softleaf_is_uffd_wp_marker(entry))
			p->flags |= VMSCOPE_PAGE_F_UFFD_WP;
	} else if (softleaf_is_migration(entry)) {
		p->state = VMSCOPE_STATE_MIGRATION;
		if (softleaf_is_migration_write(entry))
			p->flags |= VMSCOPE_PAGE_F_WRITE;
	} else if (softleaf_is_device_private(entry) ||
		   softleaf_is_device_exclusive(entry)) {
		p->state = VMSCOPE_STATE_DEVICE;
	} else {
		p->state = VMSCOPE_STATE_SWAP;
	}
	if (c->pfn && vmscope_page_has_swap(p)) {
		p->swap_type = swp_type(entry);
		p->swap_offset = softleaf_has_pfn(entry) ?
				 softleaf_to_pfn(entry) : swp_offset(entry);
	}
}

/* One PTE, read once; @p is vmscope_classify_entry()'s, at PTE level. */
static __always_inline void vmscope_classify_pte(struct vmscope_classify *c,
						 pte_t pte,
						 struct vmscope_page *p)
{
	p->flags = vmscope_hole_flags(c);
	if (pte_none(pte)) {
		p->state = VMSCOPE_STATE_NONE;
		return;
	}
	if (pte_present(pte)) {
		p->state = VMSCOPE_STATE_PRESENT;
		vmscope_classify_present_pte(c, pte, p);
		vmscope_set_cow(c, p);
		return;
	}
	vmscope_classify_softleaf(c, softleaf_from_pte(pte), p);
	if (pte_swp_soft_dirty(pte))
		p->flags |= VMSCOPE_PAGE_F_SOFT_DIRTY;
	if (pte_swp_uffd(pte))
		p->flags |= VMSCOPE_PAGE_F_UFFD_WP;
	if (pte_swp_exclusive(pte))
		p->flags |= VMSCOPE_PAGE_F_SWAP_EXCL;
}

/* Page @idx of a present huge PMD. */
static __always_inline void vmscope_classify_present_pmd(struct vmscope_classify *c,
							 pmd_t pmd,
							 unsigned int idx,
							 struct vmscope_page *p)
{
	struct page *page;

	p->flags |= vmscope_arch_pmd_bits(pmd);
	if (c->pfn)
		p->pfn = pmd_pfn(pmd) + idx;
	/* A PFN map's struct pages, if any, are not its to describe. */
	if ((c->vm_flags & VM_PFNMAP) || !pfn_valid(pmd_pfn(pmd))) {
		p->state = VMSCOPE_STATE_PFNMAP;
		return;
	}
	page = pmd_page(pmd) + idx;
	/*
	 * The huge zero page is not exported; it is the only page that is
	 * not anonymous yet mapped by a huge PMD into an anonymous VMA.
	 * 7.x maps it pmd_special(), so this comes first.
	 */
	if (c->anon && !folio_test_anon(page_folio(page))) {
		p->flags |= VMSCOPE_PAGE_F_ZERO | VMSCOPE_PAGE_F_HUGE_ZERO |
			    VMSCOPE_PAGE_F_THP;
		p->order = HPAGE_PMD_ORDER;
		return;
	}
	if (vmscope_pmd_no_page(pmd)) {
		p->state = VMSCOPE_STATE_PFNMAP;
		return;
	}
	vmscope_describe_page(c, page, true, p);
}

/*
 * Page @idx of a PMD leaf (vmscope_pmd_leaf(): a huge PMD or a PMD
 * migration entry); @p is vmscope_classify_entry()'s, at PMD level.
 */
static __always_inline void vmscope_classify_pmd(struct vmscope_classify *c,
						 pmd_t pmd, unsigned int idx,
						 struct vmscope_page *p)
{
	p->flags = vmscope_hole_flags(c);
	if (pmd_present(pmd)) {
		p->state = VMSCOPE_STATE_PRESENT;
		vmscope_classify_present_pmd(c, pmd, idx, p);
		vmscope_set_cow(c, p);
		return;
	}
	vmscope_classify_softleaf(c, softleaf_from_pmd(pmd), p);
	if (p->swap_offset)
		p->swap_offset += idx;
	if (pmd_swp_soft_dirty(pmd))
		p->flags |= VMSCOPE_PAGE_F_SOFT_DIRTY;
}

/*
 * Page @idx of a PUD leaf, which maps 1 GiB: device-DAX with 1 GiB
 * alignment (pud_devmap() on 6.x) and, since 6.12, huge PFN maps
 * (pud_special(), VFIO BARs); hugetlb VMAs are never classified and x86
 * has no anonymous PUD THP.  None of these has a struct page vmscope may
 * describe.
 */
static __always_inline void vmscope_classify_pud(const struct vmscope_classify *c,
						 pud_t pud, unsigned int idx,
						 struct vmscope_page *p)
{
	p->state = VMSCOPE_STATE_PFNMAP;
	p->flags = vmscope_hole_flags(c) | vmscope_arch_pud_bits(pud);
	if (c->pfn)
		p->pfn = pud_pfn(pud) + idx;
}

#endif /* VMSCOPE_CLASSIFY_H */
