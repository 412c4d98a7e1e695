// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table walk: PGD -> P4D -> PUD -> PMD -> PTE for one range of a
 * target, every page classified into a struct vmscope_page.
 *
 * Locking, as fs/proc/task_mmu.c's pagemap does it:
 * - VMAs are looked up and page tables walked under mmap_read_lock(), in
 *   batches of a bounded amount of work; the lock is dropped between
 *   batches (callers copy to user space then) and the VMA is found again.
 * - Upper-level tables (PGD..PMD) are freed only by free_pgtables() for
 *   ranges no VMA in the tree covers any more, so walking inside a VMA
 *   found under the mmap lock is safe.
 * - A huge PMD is read under its PMD lock.
 * - A PTE table is read under its PTE lock.  On 6.12, khugepaged's
 *   retract_page_tables() frees PTE tables without the mmap lock: it takes
 *   the PMD and PTE locks, clears the PMD and frees the table through RCU
 *   (pte_free_defer).  pte_offset_map_lock() handles that, but it does not
 *   link on 6.12 (__pte_offset_map is not exported), so walk_pte_table()
 *   repeats its pattern: under rcu_read_lock() the table cannot be freed,
 *   and once its PTE lock is held, a PMD that still holds the same value
 *   proves the table is still the one mapped there.  On 6.1 freeing a PTE
 *   table needs the mmap write lock, and the same code is merely careful.
 * - The PMD and PTE locks are never held together.  khugepaged, and
 *   MADV_COLLAPSE, take the PTE lock inside the PMD lock, and tell
 *   lockdep with spin_lock_nested(SINGLE_DEPTH_NESTING): lockdep keeps
 *   that subclass apart from a plain spin_lock() of the same lock, so a
 *   walker that took its PTE lock plainly and then the PMD lock would
 *   never be compared with khugepaged's order.  walk_pte_table() takes
 *   the PTE lock with the same subclass, so that it is (tests/
 *   thp_race_test.c runs both; docs/reliability.md has the experiment).
 * - struct page/folio fields are read only while the PTE or PMD lock is
 *   held: a mapped page cannot be freed under it.  What an entry says is
 *   the page classifier's (classify.h), which explain and the fault
 *   tracer use too.
 * Nothing is faulted in, locked or changed in the target.
 */
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>

#include "access.h"
#include "arch.h"
#include "classify.h"
#include "compat.h"
#include "pages.h"
#include "target.h"

/*
 * Work per mmap lock hold: page-table entries and struct pages read (or
 * pages looked up in the page cache).  pagemap holds the lock for one PTE
 * table (PAGEMAP_WALK_SIZE); vmscope learns more per entry, so half a
 * table keeps its holds no longer than pagemap's (make bench measures
 * both with the mmap_lock tracepoints).
 */
#define VMSCOPE_BATCH_WORK	(PTRS_PER_PTE / 2)

/*
 * For the debug lane (tests/thp_race_test.c): a delay between reading a
 * PMD without its lock and taking the lock, so that a collapse or a split
 * can land in between and the walker's retry paths run.  Without it that
 * window is a few instructions and no test reaches them.  0 (off) unless
 * root sets it; busy-waits, under RCU at most, never under a lock.
 */
static unsigned int race_delay_us;
module_param(race_delay_us, uint, 0600);
MODULE_PARM_DESC(race_delay_us,
		 "testing only: widen the walker's lockless PMD window (us, max 1000)");

static void race_window(void)
{
	unsigned int us = READ_ONCE(race_delay_us);

	if (unlikely(us))
		udelay(min(us, 1000U));
}

struct walk {
	struct vmscope_page_cursor *c;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct vmscope_page *out;
	unsigned int max, n;
	long work;		/* budget left in this lock hold */
	struct vmscope_classify cls;	/* w->vma's, for classify.h */
	bool full;		/* out[] has no room for the next entry */
	bool cache_hidden;	/* w->vma's page-cache residency: access.c */
	u64 *raw;		/* explain: the entry read at each level */
};

static void record_raw(struct walk *w, enum vmscope_level level, u64 val)
{
	if (w->raw)
		w->raw[level] = val;
}

/* Page-cache residency of up to one PTE table's worth of file pages. */
struct cache_bits {
	bool valid;
	unsigned long first;	/* address of bit 0 */
	DECLARE_BITMAP(cached, PTRS_PER_PTE);
};

static bool steps_pfn(const struct vmscope_page *p)
{
	return p->state == VMSCOPE_STATE_PRESENT ||
	       p->state == VMSCOPE_STATE_PFNMAP;
}

/* Can @b be appended to the run @a? */
static inline bool joins(const struct vmscope_page *a,
			 const struct vmscope_page *b, bool runs)
{
	if (a->addr + a->nr * PAGE_SIZE != b->addr ||
	    a->state != b->state || a->flags != b->flags ||
	    a->mapcount != b->mapcount || a->level != b->level ||
	    a->swap_type != b->swap_type || a->order != b->order)
		return false;
	if (runs)
		return true;
	if (b->pfn != (a->pfn && steps_pfn(a) ? a->pfn + a->nr : a->pfn))
		return false;
	return b->swap_offset == (a->swap_offset && vmscope_page_has_swap(a) ?
				  a->swap_offset + a->nr : a->swap_offset);
}

/* emit() for an entry that does not extend the pending run. */
static bool emit_new_run(struct walk *w, const struct vmscope_page *p)
{
	struct vmscope_page_cursor *c = w->c;

	if (c->have_pending) {
		if (w->n == w->max) {
			w->full = true;
			return false;
		}
		w->out[w->n++] = c->pending;
	}
	c->pending = *p;
	c->have_pending = true;
	c->next = p->addr + p->nr * PAGE_SIZE;
	return true;
}

/*
 * Hand one entry to the cursor.  The last run is held back in
 * c->pending, since the next entry may extend it; it moves to out[]
 * when something that does not join it arrives.  Returns false when
 * out[] is full: the walk stops and resumes at entry->addr next time.
 * What the caller may not see is taken out here, before runs join
 * (their boundaries must not tell it either), after PSS has its share.
 * Inline: extending the pending run is what happens for most pages.
 */
static inline bool emit(struct walk *w, const struct vmscope_page *entry)
{
	struct vmscope_page_cursor *c = w->c;
	struct vmscope_page p = *entry;

	if (p.mapcount)
		p.pss = div_u64((u64)p.nr * PAGE_SIZE << VMSCOPE_PSS_SHIFT,
				p.mapcount);
	vmscope_redact_page(c->target, &p);
	if (!c->have_pending || !joins(&c->pending, &p, c->runs))
		return emit_new_run(w, &p);
	c->pending.nr += p.nr;
	c->pending.pss += p.pss;
	c->next = p.addr + p.nr * PAGE_SIZE;
	return true;
}

static void fill_cache_bits(struct vm_area_struct *vma, unsigned long addr,
			    unsigned long end, struct cache_bits *cb)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	pgoff_t first = linear_page_index(vma, addr);
	pgoff_t last = linear_page_index(vma, end - 1);
	pgoff_t index = first;
	struct folio_batch fbatch;
	unsigned int i;

	cb->valid = true;
	cb->first = addr;
	bitmap_zero(cb->cached, PTRS_PER_PTE);
	folio_batch_init(&fbatch);
	while (filemap_get_folios(mapping, &index, last, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];
			pgoff_t from = max(folio->index, first);
			pgoff_t to = min(folio->index + folio_nr_pages(folio),
					 last + 1);

			if (from < to)
				bitmap_set(cb->cached, from - first, to - from);
		}
		folio_batch_release(&fbatch);
		cond_resched();
	}
}

/*
 * Is the file page behind a missing entry at @addr in the page cache (a
 * fault would be minor)?  Only file mappings have one; an empty mapping
 * needs no lookup.
 */
static bool wants_cache_bits(struct walk *w)
{
	struct vm_area_struct *vma = w->vma;

	return !w->cache_hidden && vma->vm_file &&
	       vma->vm_file->f_mapping->nrpages;
}

/* A page with no entry, whether the file has it cached or not. */
static u32 hole_flags(struct walk *w)
{
	return vmscope_hole_flags(&w->cls) |
	       (w->cache_hidden ? VMSCOPE_PAGE_F_CACHE_HIDDEN : 0);
}

/*
 * Pages with no entry at all in [addr, end) of the current VMA, the walk
 * having stopped at @level.  File pages are split by page-cache
 * residency, in chunks of one PTE table so that the work stays bounded.
 */
static void emit_holes(struct walk *w, unsigned long addr, unsigned long end,
		       u8 level, const struct cache_bits *known)
{
	struct vm_area_struct *vma = w->vma;
	struct cache_bits local;
	struct vmscope_page p;

	if (!wants_cache_bits(w)) {
		vmscope_classify_entry(&p, addr, VMSCOPE_STATE_NONE, level);
		p.nr = (end - addr) >> PAGE_SHIFT;
		p.flags = hole_flags(w);
		emit(w, &p);
		w->work--;
		return;
	}
	while (addr < end && !w->full && w->work > 0) {
		unsigned long chunk = min(end, pmd_addr_end(addr, end));
		const struct cache_bits *cb = known;

		if (!cb) {
			fill_cache_bits(vma, addr, chunk, &local);
			cb = &local;
		}
		for (; addr < chunk; addr += PAGE_SIZE) {
			unsigned long bit = (addr - cb->first) >> PAGE_SHIFT;

			vmscope_classify_entry(&p, addr, VMSCOPE_STATE_NONE, level);
			p.flags = vmscope_hole_flags(&w->cls);
			if (test_bit(bit, cb->cached))
				p.flags |= VMSCOPE_PAGE_F_PAGE_CACHE;
			if (!emit(w, &p))
				return;
		}
		w->work -= PTRS_PER_PTE;
	}
}

/* classify.h's, and the page cache's word on a missing page */
static __always_inline void classify_pte(struct walk *w, unsigned long addr,
					 pte_t pte, const struct cache_bits *cb,
					 struct vmscope_page *p)
{
	vmscope_classify_entry(p, addr, VMSCOPE_STATE_PRESENT, VMSCOPE_LEVEL_PTE);
	vmscope_classify_pte(&w->cls, pte, p);
	if (p->state != VMSCOPE_STATE_NONE)
		return;
	p->flags = hole_flags(w);
	if (cb->valid &&
	    test_bit((addr - cb->first) >> PAGE_SHIFT, cb->cached))
		p->flags |= VMSCOPE_PAGE_F_PAGE_CACHE;
}

static bool pmd_is_leaf(pmd_t pmd)
{
	return !pmd_none(pmd) && vmscope_pmd_leaf(pmd);
}

static bool pmd_is_table(pmd_t pmd)
{
	return !pmd_none(pmd) && !pmd_is_leaf(pmd) && !pmd_bad(pmd);
}

enum pmd_result { PMD_DONE, PMD_AGAIN };

/*
 * The PTEs of [addr, end), all under one PMD.  See the comment at the
 * top of the file for why this is safe without pte_offset_map_lock().
 */
static enum pmd_result walk_pte_table(struct walk *w, pmd_t *pmdp,
				      unsigned long addr, unsigned long end)
{
	struct cache_bits cb = { .valid = false };
	struct vmscope_page p;
	spinlock_t *ptl;	/* the PTE table's split lock */
	pmd_t pmdval;
	pte_t *table, *pte;

	if (wants_cache_bits(w))
		fill_cache_bits(w->vma, addr, end, &cb);

	rcu_read_lock();
	pmdval = pmdp_get_lockless(pmdp);
	if (!pmd_is_table(pmdval)) {
		rcu_read_unlock();
		return PMD_AGAIN;
	}
	ptl = pte_lockptr(w->mm, &pmdval);
	race_window();
	/* As khugepaged takes it, inside the PMD lock: see the top. */
	spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	if (unlikely(!pmd_same(pmdval, pmdp_get_lockless(pmdp)))) {
		spin_unlock(ptl);
		rcu_read_unlock();
		return PMD_AGAIN;
	}
	table = vmscope_pte_map(pmdval, addr);
	pte = table;
	record_raw(w, VMSCOPE_LEVEL_PTE, pte_val(ptep_get(pte)));
	w->cls.memmap_known = false;
	while (addr < end && w->work > 0) {
		unsigned long n = 1;

		classify_pte(w, addr, ptep_get(pte), &cb, &p);
		/* Most of a sparse table is empty: take empty runs whole. */
		if (p.state == VMSCOPE_STATE_NONE && !cb.valid) {
			while (addr + n * PAGE_SIZE < end &&
			       pte_none(ptep_get(pte + n)))
				n++;
			p.nr = n;
		}
		if (!emit(w, &p))
			break;
		w->work -= n;
		addr += n * PAGE_SIZE;
		pte += n;
	}
	vmscope_pte_unmap(table);
	spin_unlock(ptl);
	rcu_read_unlock();
	return PMD_DONE;
}

/*
 * Pages of a PMD-mapped folio share everything but their PFN and their
 * own mapcount (a subpage may also be mapped by PTEs elsewhere): emit
 * one exact run per stretch of equal mapcounts, without classifying
 * each page again.
 */
static void emit_pmd_subpages(struct walk *w, pmd_t pmd,
			      const struct vmscope_page *first)
{
	struct page *page = pmd_page(pmd) + ((first->addr & ~PMD_MASK) >>
					     PAGE_SHIFT);
	struct folio *folio = page_folio(page);
	struct vmscope_page run = *first;
	unsigned long i;

	run.nr = 0;
	for (i = 0; i < first->nr; i++, page++) {
		struct vmscope_page p = run;

		vmscope_set_mapcount(folio, page, &p);
		if (run.nr && (p.mapcount != run.mapcount ||
			       p.flags != run.flags)) {
			if (!emit(w, &run))
				return;
			run.addr += run.nr * PAGE_SIZE;
			if (run.pfn)
				run.pfn += run.nr;
			run.nr = 0;
		}
		run.mapcount = p.mapcount;
		run.flags = p.flags;
		run.nr++;
	}
	emit(w, &run);
}

/* A huge PMD or a PMD migration entry, read under the PMD lock. */
static void walk_pmd_leaf(struct walk *w, pmd_t pmd, unsigned long addr,
			  unsigned long end)
{
	unsigned int idx = (addr & ~PMD_MASK) >> PAGE_SHIFT;
	struct vmscope_page p;

	vmscope_classify_entry(&p, addr, VMSCOPE_STATE_PRESENT, VMSCOPE_LEVEL_PMD);
	vmscope_classify_pmd(&w->cls, pmd, idx, &p);
	p.nr = (end - addr) >> PAGE_SHIFT;
	if (p.state == VMSCOPE_STATE_PRESENT &&
	    (p.flags & (VMSCOPE_PAGE_F_ANON | VMSCOPE_PAGE_F_FILE))) {
		emit_pmd_subpages(w, pmd, &p);
		w->work -= p.nr;	/* each subpage's mapcount was read */
	} else {
		emit(w, &p);
		w->work--;
	}
}

/* Returns PMD_AGAIN when the PMD changed under us and must be re-read. */
static enum pmd_result walk_one_pmd(struct walk *w, pmd_t *pmdp,
				    unsigned long addr, unsigned long end)
{
	pmd_t pmd = pmdp_get_lockless(pmdp);
	spinlock_t *ptl;	/* the PMD's split lock */

	record_raw(w, VMSCOPE_LEVEL_PMD, pmd_val(pmd));
	if (pmd_none(pmd) || (pmd_bad(pmd) && !pmd_is_leaf(pmd))) {
		/* A bad PMD is the kernel's to report and clear, not ours. */
		emit_holes(w, addr, end, VMSCOPE_LEVEL_PMD, NULL);
		return PMD_DONE;
	}
	if (!pmd_is_leaf(pmd))
		return walk_pte_table(w, pmdp, addr, end);

	race_window();
	ptl = pmd_lock(w->mm, pmdp);
	pmd = *pmdp;
	if (!pmd_is_leaf(pmd)) {
		spin_unlock(ptl);
		return PMD_AGAIN;
	}
	walk_pmd_leaf(w, pmd, addr, end);
	spin_unlock(ptl);
	return PMD_DONE;
}

static void walk_pmds(struct walk *w, pud_t *pud, unsigned long addr,
		      unsigned long end)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;

	for (; addr < end && !w->full && w->work > 0; addr = next, pmd++) {
		next = pmd_addr_end(addr, end);
		while (walk_one_pmd(w, pmd, addr, next) == PMD_AGAIN)
			cpu_relax();
		if (w->full || w->c->next < next)
			return;
	}
}

/*
 * A PUD leaf is one PFN-map run (classify.h says why).  pud_bad() is
 * true on x86 for any entry with _PAGE_PSE, so a leaf must be recognised
 * before it is taken for a bad table.
 */
static bool pud_is_leaf(pud_t pud)
{
	return !pud_none(pud) && pud_leaf(pud);
}

enum pud_result { PUD_DONE, PUD_AGAIN };

/* One run for [addr, end) of a PUD leaf, read under the PUD lock. */
static enum pud_result walk_pud_leaf(struct walk *w, pud_t *pudp,
				     unsigned long addr, unsigned long end)
{
	spinlock_t *ptl = pud_lock(w->mm, pudp);
	pud_t pud = *pudp;
	struct vmscope_page p;

	if (!pud_is_leaf(pud)) {
		spin_unlock(ptl);
		return PUD_AGAIN;
	}
	vmscope_classify_entry(&p, addr, VMSCOPE_STATE_PFNMAP, VMSCOPE_LEVEL_PUD);
	vmscope_classify_pud(&w->cls, pud, (addr & ~PUD_MASK) >> PAGE_SHIFT,
			     &p);
	p.nr = (end - addr) >> PAGE_SHIFT;
	emit(w, &p);
	spin_unlock(ptl);
	w->work--;
	return PUD_DONE;
}

static void walk_puds(struct walk *w, p4d_t *p4d, unsigned long addr,
		      unsigned long end)
{
	pud_t *pud = pud_offset(p4d, addr);
	unsigned long next;
	pud_t pudval;

	for (; addr < end && !w->full && w->work > 0; addr = next, pud++) {
		next = pud_addr_end(addr, end);
again:
		pudval = READ_ONCE(*pud);
		record_raw(w, VMSCOPE_LEVEL_PUD, pud_val(pudval));
		if (pud_is_leaf(pudval)) {
			if (walk_pud_leaf(w, pud, addr, next) == PUD_AGAIN)
				goto again;
		} else if (pud_none(pudval) || pud_bad(pudval)) {
			emit_holes(w, addr, next, VMSCOPE_LEVEL_PUD, NULL);
		} else {
			walk_pmds(w, pud, addr, next);
		}
		if (w->c->next < next)
			return;
	}
}

static void walk_p4ds(struct walk *w, pgd_t *pgd, unsigned long addr,
		      unsigned long end)
{
	p4d_t *p4d = p4d_offset(pgd, addr);
	unsigned long next;

	for (; addr < end && !w->full && w->work > 0; addr = next, p4d++) {
		next = p4d_addr_end(addr, end);
		record_raw(w, VMSCOPE_LEVEL_P4D, p4d_val(READ_ONCE(*p4d)));
		if (p4d_none(READ_ONCE(*p4d)) || p4d_bad(READ_ONCE(*p4d)))
			emit_holes(w, addr, next, VMSCOPE_LEVEL_P4D, NULL);
		else
			walk_puds(w, p4d, addr, next);
		if (w->c->next < next)
			return;
	}
}

/* [addr, end) lies inside w->vma. */
static void walk_vma_range(struct walk *w, unsigned long addr,
			   unsigned long end)
{
	pgd_t *pgd = pgd_offset(w->mm, addr);
	unsigned long next;

	w->cache_hidden = !vmscope_cache_visible(w->c->target, w->vma);
	vmscope_classify_init(&w->cls, w->vma->vm_flags,
			      vma_is_anonymous(w->vma), true,
			      w->c->target->show_pfn);
	if (is_vm_hugetlb_page(w->vma)) {
		struct vmscope_page p;

		vmscope_classify_entry(&p, addr, VMSCOPE_STATE_UNWALKED,
				       VMSCOPE_LEVEL_NONE);
		p.nr = (end - addr) >> PAGE_SHIFT;
		emit(w, &p);
		w->work--;
		return;
	}
	for (; addr < end && !w->full && w->work > 0; addr = next, pgd++) {
		next = pgd_addr_end(addr, end);
		record_raw(w, VMSCOPE_LEVEL_PGD, pgd_val(READ_ONCE(*pgd)));
		if (pgd_none(READ_ONCE(*pgd)) || pgd_bad(READ_ONCE(*pgd)))
			emit_holes(w, addr, next, VMSCOPE_LEVEL_PGD, NULL);
		else
			walk_p4ds(w, pgd, addr, next);
		if (w->c->next < next)
			return;
	}
}

static void emit_no_vma(struct walk *w, unsigned long addr, unsigned long end)
{
	struct vmscope_page p;

	vmscope_classify_entry(&p, addr, VMSCOPE_STATE_NO_VMA, VMSCOPE_LEVEL_NONE);
	p.nr = (end - addr) >> PAGE_SHIFT;
	emit(w, &p);
	w->work--;
}

/* One batch: called and returns with the mmap lock held. */
static void walk_batch(struct walk *w)
{
	struct vmscope_page_cursor *c = w->c;

	while (c->next < c->end && !w->full && w->work > 0) {
		unsigned long addr = c->next;
		struct vm_area_struct *vma = find_vma(w->mm, addr);

		if (!vma || vma->vm_start >= c->end) {
			emit_no_vma(w, addr, c->end);
		} else if (addr < vma->vm_start) {
			emit_no_vma(w, addr, vma->vm_start);
		} else {
			w->vma = vma;
			walk_vma_range(w, addr, min(vma->vm_end, c->end));
		}
	}
}

/*
 * The target wants its mmap lock for writing (mmap, munmap, a fault that
 * grows the stack).  A reader that drops the lock and takes it straight
 * back may get it again ahead of the waiting writer (rwsem readers steal
 * a free lock until the hand-off timeout), so a long dump would stall the
 * target by milliseconds per batch.  Give the writer up to two jiffies to
 * take the lock first, asleep: it stays contended until the woken writer
 * runs, which may need this very CPU, and a target that keeps taking the
 * lock would otherwise make every batch spin that long.
 */
#define VMSCOPE_WRITER_POLL_US	200

static void let_writer_in(struct mm_struct *mm)
{
	unsigned long until = jiffies + 2;

	while (mmap_lock_is_contended(mm) && time_before(jiffies, until))
		usleep_range(VMSCOPE_WRITER_POLL_US,
			     2 * VMSCOPE_WRITER_POLL_US);
}

void vmscope_page_cursor_init(struct vmscope_page_cursor *c,
			      struct vmscope_target *t, unsigned long start,
			      unsigned long end, bool runs)
{
	memset(c, 0, sizeof(*c));
	c->target = t;
	c->next = start;
	c->end = end;
	c->runs = runs;
}

int vmscope_pages_next(struct vmscope_page_cursor *c,
		       struct vmscope_page *out, unsigned int max,
		       const char **why)
{
	struct walk w = { .c = c, .out = out, .max = max };
	bool contended;

	while (w.n == 0 && c->next < c->end) {
		w.mm = vmscope_target_lock(c->target, why);
		if (IS_ERR(w.mm))
			return PTR_ERR(w.mm);
		w.work = VMSCOPE_BATCH_WORK;
		walk_batch(&w);
		contended = mmap_lock_is_contended(w.mm);
		vmscope_target_unlock(w.mm);
		if (fatal_signal_pending(current)) {
			*why = "interrupted";
			return -EINTR;
		}
		cond_resched();
		if (contended)
			let_writer_in(c->target->mm);
	}
	if (c->next >= c->end && c->have_pending && w.n < max) {
		out[w.n++] = c->pending;
		c->have_pending = false;
	}
	return w.n;
}

void vmscope_page_at(struct vmscope_target *t, struct mm_struct *mm,
		     struct vm_area_struct *vma, unsigned long addr,
		     struct vmscope_page *out, u64 *raw)
{
	struct vmscope_page_cursor c;
	struct walk w = {
		.c = &c, .mm = mm, .vma = vma, .out = out, .max = 1,
		.work = VMSCOPE_BATCH_WORK, .raw = raw,
	};

	vmscope_page_cursor_init(&c, t, addr, addr + PAGE_SIZE, false);
	walk_vma_range(&w, addr, addr + PAGE_SIZE);
	*out = c.pending;
}

int vmscope_check_range(u64 start, u64 end, const char **why)
{
	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end)) {
		*why = "range must be page aligned";
		return -EINVAL;
	}
	if (start >= end) {
		*why = "range start must be below its end";
		return -EINVAL;
	}
	if (end > VMSCOPE_ARCH_USER_END) {
		*why = "range ends beyond the user address space (TASK_SIZE)";
		return -EINVAL;
	}
	return 0;
}
