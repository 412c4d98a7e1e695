// SPDX-License-Identifier: GPL-2.0
/*
 * Two snapshots compared (see diff.h).  Pages: one sweep up the address
 * space over both lists of entries at once, a piece at a time where
 * neither side's entry changes, so a run of a million pages costs no
 * more than one page, whatever the snapshots' form (per page or runs).
 * Within a piece both sides' PFNs advance by one per page, so the whole
 * piece has the change of its first page.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

static const char *const change_names[VS_CH_NR] = {
	[VS_CH_RANGE_ADDED] = "range-added",
	[VS_CH_RANGE_REMOVED] = "range-removed",
	[VS_CH_NEW_PRESENT] = "newly-present",
	[VS_CH_UNMAPPED] = "unmapped",
	[VS_CH_SWAPPED_OUT] = "swapped-out",
	[VS_CH_SWAPPED_IN] = "swapped-in",
	[VS_CH_STATE] = "state-changed",
	[VS_CH_THP_COLLAPSED] = "thp-collapsed",
	[VS_CH_THP_SPLIT] = "thp-split",
	[VS_CH_PFN] = "pfn-changed",
	[VS_CH_SHARED] = "became-shared",
	[VS_CH_EXCLUSIVE] = "became-exclusive",
	[VS_CH_CACHED] = "cached",
	[VS_CH_UNCACHED] = "uncached",
	[VS_CH_FLAGS] = "flags-changed",
	[VS_CH_VMA_ADDED] = "vma-added",
	[VS_CH_VMA_REMOVED] = "vma-removed",
	[VS_CH_VMA_CHANGED] = "vma-changed",
	[VS_CH_COUNTS] = "counts-changed",
};

const char *const vs_vma_d_names[VS_VMA_D_NR] = {
	"start", "end", "perms", "flags", "kind", "file",
};

const char *vs_change_name(enum vs_change c)
{
	return c < VS_CH_NR ? change_names[c] : "none";
}

static bool has(const struct vs_page *p, u32 flag)
{
	return p->flags & flag;
}

static bool gained(const struct vs_page *a, const struct vs_page *b, u32 f)
{
	return !has(a, f) && has(b, f);
}

/* Unknown PFNs and swap offsets (no CAP_SYS_ADMIN, --runs) are no change. */
static bool pfn_differs(const struct vs_page *a, const struct vs_page *b)
{
	return a->has_pfn && b->has_pfn && a->pfn != b->pfn;
}

static bool swap_differs(const struct vs_page *a, const struct vs_page *b)
{
	return a->has_swap && b->has_swap &&
	       (a->swap_type != b->swap_type ||
		a->swap_offset != b->swap_offset);
}

static bool same_page(const struct vs_page *a, const struct vs_page *b)
{
	/* A none entry's level is only how far the tables reach. */
	bool level = a->state != VMSCOPE_STATE_PRESENT || a->level == b->level;

	return a->state == b->state && a->flags == b->flags &&
	       a->mapcount == b->mapcount && a->order == b->order && level &&
	       !pfn_differs(a, b) && !swap_differs(a, b);
}

/* b more shared than a? */
static bool more_shared(const struct vs_page *a, const struct vs_page *b)
{
	u32 unknown = (a->flags | b->flags) & VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN;

	if (!unknown && a->mapcount != b->mapcount)
		return b->mapcount > a->mapcount;
	return gained(b, a, VMSCOPE_PAGE_F_EXCLUSIVE) ||
	       gained(b, a, VMSCOPE_PAGE_F_MMAP_EXCL) ||
	       gained(a, b, VMSCOPE_PAGE_F_COW);
}

/* 1: b is mapped larger (THP collapse), -1: smaller (split), 0: same. */
static int thp_direction(const struct vs_page *a, const struct vs_page *b)
{
	if (a->order != b->order)
		return b->order > a->order ? 1 : -1;
	if (has(a, VMSCOPE_PAGE_F_THP) != has(b, VMSCOPE_PAGE_F_THP))
		return has(b, VMSCOPE_PAGE_F_THP) ? 1 : -1;
	if (a->level != b->level)
		return b->level > a->level ? 1 : -1;
	return 0;
}

static enum vs_change present_change(const struct vs_page *a,
				     const struct vs_page *b)
{
	int thp = thp_direction(a, b);

	if (thp)
		return thp > 0 ? VS_CH_THP_COLLAPSED : VS_CH_THP_SPLIT;
	if (pfn_differs(a, b))
		return VS_CH_PFN;
	if (more_shared(a, b))
		return VS_CH_SHARED;
	if (more_shared(b, a))
		return VS_CH_EXCLUSIVE;
	return same_page(a, b) ? VS_CH_NONE : VS_CH_FLAGS;
}

static enum vs_change state_change(u32 from, u32 to)
{
	if (to == VMSCOPE_STATE_PRESENT && from == VMSCOPE_STATE_NONE)
		return VS_CH_NEW_PRESENT;
	if (to == VMSCOPE_STATE_PRESENT && from == VMSCOPE_STATE_SWAP)
		return VS_CH_SWAPPED_IN;
	if (to == VMSCOPE_STATE_SWAP && from == VMSCOPE_STATE_PRESENT)
		return VS_CH_SWAPPED_OUT;
	if (to == VMSCOPE_STATE_NONE)
		return VS_CH_UNMAPPED;
	return VS_CH_STATE;
}

/* a or b NULL: the page is in no VMA in that snapshot. */
static enum vs_change classify(const struct vs_page *a,
			       const struct vs_page *b)
{
	if (!a)
		return b->state == VMSCOPE_STATE_PRESENT ? VS_CH_NEW_PRESENT :
							   VS_CH_RANGE_ADDED;
	if (!b)
		return a->state == VMSCOPE_STATE_NONE ? VS_CH_RANGE_REMOVED :
							VS_CH_UNMAPPED;
	if (a->state != b->state)
		return state_change(a->state, b->state);
	if (a->state == VMSCOPE_STATE_PRESENT)
		return present_change(a, b);
	if (a->state == VMSCOPE_STATE_NONE &&
	    has(a, VMSCOPE_PAGE_F_PAGE_CACHE) != has(b, VMSCOPE_PAGE_F_PAGE_CACHE))
		return has(b, VMSCOPE_PAGE_F_PAGE_CACHE) ? VS_CH_CACHED :
							   VS_CH_UNCACHED;
	return same_page(a, b) ? VS_CH_NONE : VS_CH_FLAGS;
}

static int grow(struct vs_diff *d, void **v, size_t size)
{
	size_t cap = d->cap ? 2 * d->cap : 64;
	void *n;

	if (d->n < d->cap)
		return 0;
	n = realloc(*v, cap * size);
	if (!n)
		return -ENOMEM;
	*v = n;
	d->cap = cap;
	return 0;
}

/*
 * Equal but for PFN and swap offset (known or not: a --runs run's first
 * page has them, its others not): one run may hold both.
 */
static bool same_shape(const struct vs_page *a, const struct vs_page *b)
{
	return a->state == b->state && a->flags == b->flags &&
	       a->level == b->level && a->mapcount == b->mapcount &&
	       a->order == b->order;
}

static bool extends(const struct vs_page_change *r, const struct vs_page_change *c)
{
	return r->addr + r->nr * vs_page_size() == c->addr &&
	       r->kind == c->kind &&
	       r->has_a == c->has_a && r->has_b == c->has_b &&
	       (!r->has_a || same_shape(&r->a, &c->a)) &&
	       (!r->has_b || same_shape(&r->b, &c->b));
}

static int add_change(struct vs_diff *d, struct vs_page_change *c)
{
	struct vs_page_change *last = d->n ? &d->pages[d->n - 1] : NULL;

	d->total[c->kind] += c->nr;
	if (last && extends(last, c)) {
		last->nr += c->nr;
		return 0;
	}
	if (grow(d, (void **)&d->pages, sizeof(*d->pages)))
		return -ENOMEM;
	c->a.nr = 1;
	c->b.nr = 1;
	d->pages[d->n++] = *c;
	d->runs[c->kind]++;
	return 0;
}

struct cursor {
	const struct vs_pages *l;
	size_t i;
};

/*
 * The page at addr, with *left the pages up to the end of its entry;
 * false if no entry holds addr, with *left the pages up to the next
 * (~0 if none).
 */
static bool page_at(struct cursor *c, u64 addr, struct vs_page *p, u64 *left)
{
	const struct vs_page *e;
	u64 i;

	while (c->i < c->l->n &&
	       c->l->v[c->i].addr + c->l->v[c->i].nr * vs_page_size() <= addr)
		c->i++;
	if (c->i == c->l->n) {
		*left = ~0ULL;
		return false;
	}
	e = &c->l->v[c->i];
	if (e->addr > addr) {
		*left = (e->addr - addr) / vs_page_size();
		return false;
	}
	i = (addr - e->addr) / vs_page_size();
	*p = *e;
	p->addr = addr;
	p->nr = e->nr - i;
	p->pfn += p->has_pfn ? i : 0;
	p->swap_offset += p->has_swap ? i : 0;
	*left = p->nr;
	return true;
}

static int diff_pages(const struct vs_pages *a, const struct vs_pages *b,
		      struct vs_diff *d)
{
	struct cursor ca = { a, 0 }, cb = { b, 0 };
	struct vs_page_change c;
	u64 addr = 0, la, lb;
	int ret;

	for (;;) {
		memset(&c, 0, sizeof(c));
		c.has_a = page_at(&ca, addr, &c.a, &la);
		c.has_b = page_at(&cb, addr, &c.b, &lb);
		c.nr = la < lb ? la : lb;
		if (c.nr == ~0ULL)
			return 0;
		c.addr = addr;
		addr += c.nr * vs_page_size();
		if (!c.has_a && !c.has_b)
			continue;
		c.kind = classify(c.has_a ? &c.a : NULL, c.has_b ? &c.b : NULL);
		if (c.kind == VS_CH_NONE)
			continue;
		ret = add_change(d, &c);
		if (ret)
			return ret;
	}
}

#define VS_PERMS (VMSCOPE_VMA_F_READ | VMSCOPE_VMA_F_WRITE | \
		  VMSCOPE_VMA_F_EXEC | VMSCOPE_VMA_F_SHARED)

static u32 vma_what(const struct vs_vma *a, const struct vs_vma *b)
{
	u32 what = 0;

	if (a->start != b->start)
		what |= VS_VMA_D_START;
	if (a->end != b->end)
		what |= VS_VMA_D_END;
	if ((a->flags ^ b->flags) & VS_PERMS)
		what |= VS_VMA_D_PERMS;
	if ((a->flags ^ b->flags) & ~VS_PERMS)
		what |= VS_VMA_D_FLAGS;
	if (a->kind != b->kind)
		what |= VS_VMA_D_KIND;
	if (strcmp(a->path, b->path) || a->pgoff != b->pgoff ||
	    a->inode != b->inode || a->dev_major != b->dev_major ||
	    a->dev_minor != b->dev_minor)
		what |= VS_VMA_D_FILE;
	return what;
}

static bool counts_differ(const struct vs_vma *a, const struct vs_vma *b)
{
	return a->has_counts && b->has_counts &&
	       memcmp(a->counts, b->counts, sizeof(a->counts));
}

static int add_vma(struct vs_diff *d, const struct vs_vma *a,
		   const struct vs_vma *b)
{
	struct vs_vma_change c = { VS_CH_NONE, a, b, 0 };

	if (!a) {
		c.kind = VS_CH_VMA_ADDED;
	} else if (!b) {
		c.kind = VS_CH_VMA_REMOVED;
	} else {
		c.what = vma_what(a, b);
		if (c.what)
			c.kind = VS_CH_VMA_CHANGED;
		else if (counts_differ(a, b))
			c.kind = VS_CH_COUNTS;
		else
			return 0;
	}
	if (grow(d, (void **)&d->vmas, sizeof(*d->vmas)))
		return -ENOMEM;
	d->vmas[d->n++] = c;
	d->runs[c.kind]++;
	return 0;
}

/*
 * A VMA of A is the same VMA in B when it starts or ends at the same
 * address there: a heap grows at its end, a stack at its start; one cut
 * in two (mprotect(), munmap() of a middle part) is changed and added.
 */
static int diff_vmas(const struct vs_vmas *a, const struct vs_vmas *b,
		     struct vs_diff *d)
{
	size_t i = 0, k = 0;
	int ret;

	while (i < a->n || k < b->n) {
		const struct vs_vma *va = i < a->n ? &a->v[i] : NULL;
		const struct vs_vma *vb = k < b->n ? &b->v[k] : NULL;

		if (va && vb && (va->start == vb->start || va->end == vb->end))
			ret = add_vma(d, &a->v[i++], &b->v[k++]);
		else if (va && (!vb || va->start < vb->start))
			ret = add_vma(d, &a->v[i++], NULL);
		else
			ret = add_vma(d, NULL, &b->v[k++]);
		if (ret)
			return ret;
	}
	return 0;
}

int vs_diff(const struct vs_snap *a, const struct vs_snap *b,
	    struct vs_diff *d)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->type = a->type;
	if (a->type != b->type)
		return -EINVAL;
	if (a->type == VS_SNAP_MAPS)
		ret = diff_vmas(&a->vmas, &b->vmas, d);
	else
		ret = diff_pages(&a->pages, &b->pages, d);
	if (ret)
		vs_diff_free(d);
	return ret;
}

void vs_diff_free(struct vs_diff *d)
{
	free(d->pages);
	free(d->vmas);
	memset(d, 0, sizeof(*d));
}
