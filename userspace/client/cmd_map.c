// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope map: a residency picture of each VMA, one character per page,
 * or per group of pages when a VMA is large (the scale is printed).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

/* A VMA's picture is at most this many rows; groups grow to fit. */
#define MAP_MAX_ROWS 16

enum cell {
	CELL_NONE,	/* no entry, not cached */
	CELL_CACHE,	/* not mapped, in the page cache */
	CELL_ANON,	/* present, anonymous or other */
	CELL_FILE,	/* present, file page */
	CELL_ZERO,	/* the zero page */
	CELL_COW,	/* present, a write would copy */
	CELL_THP,	/* present, part of a large folio */
	CELL_SWAP,	/* swapped out */
	CELL_OTHER,	/* migration, device, marker, poison, pfnmap */
	CELL_UNWALKED,	/* hugetlb: not walked */
	CELL_HIDDEN,	/* not mapped, page-cache residency hidden */
	CELL_PARTLY,	/* a group: mostly not present, some pages are */
	NR_CELLS
};

static const struct {
	char c;
	const char *what;
} cells[NR_CELLS] = {
	[CELL_NONE] = { '.', "not present" },
	[CELL_CACHE] = { 'c', "in page cache, not mapped" },
	[CELL_ANON] = { '#', "present (anon)" },
	[CELL_FILE] = { 'f', "present (file)" },
	[CELL_ZERO] = { 'z', "zero page" },
	[CELL_COW] = { 'C', "copy-on-write" },
	[CELL_THP] = { 'T', "huge page" },
	[CELL_SWAP] = { 's', "swapped out" },
	[CELL_OTHER] = { '!', "other entry" },
	[CELL_UNWALKED] = { 'h', "hugetlb, not walked" },
	[CELL_HIDDEN] = { '?', "not mapped, cache hidden" },
	[CELL_PARTLY] = { ':', "group partly present" },
};

static const char *cell_colour(enum cell c)
{
	switch (c) {
	case CELL_ANON:
	case CELL_THP:
	case CELL_PARTLY:
		return vs_c_green;
	case CELL_FILE:
	case CELL_CACHE:
		return vs_c_cyan;
	case CELL_ZERO:
		return vs_c_blue;
	case CELL_COW:
		return vs_c_magenta;
	case CELL_SWAP:
		return vs_c_yellow;
	case CELL_OTHER:
		return vs_c_red;
	default:
		return vs_c_dim;
	}
}

static enum cell classify(const struct vs_page *p)
{
	switch (p->state) {
	case VMSCOPE_STATE_NONE:
		if (p->flags & VMSCOPE_PAGE_F_CACHE_HIDDEN)
			return CELL_HIDDEN;
		return p->flags & VMSCOPE_PAGE_F_PAGE_CACHE ? CELL_CACHE :
							      CELL_NONE;
	case VMSCOPE_STATE_PRESENT:
		if (p->flags & (VMSCOPE_PAGE_F_ZERO | VMSCOPE_PAGE_F_HUGE_ZERO))
			return CELL_ZERO;
		if (p->flags & VMSCOPE_PAGE_F_COW)
			return CELL_COW;
		if (p->flags & VMSCOPE_PAGE_F_THP)
			return CELL_THP;
		if (p->flags & VMSCOPE_PAGE_F_FILE)
			return CELL_FILE;
		return CELL_ANON;
	case VMSCOPE_STATE_SWAP:
		return CELL_SWAP;
	case VMSCOPE_STATE_UNWALKED:
		return CELL_UNWALKED;
	case VMSCOPE_STATE_NO_VMA:
		return CELL_NONE;
	default:
		return CELL_OTHER;
	}
}

/* The runs, walked once in address order while cells are drawn. */
struct cursor {
	const struct vs_pages *runs;
	size_t i;
};

/* What the pages of [start, end) are, as one cell. */
static enum cell cell_of(struct cursor *cur, u64 start, u64 end)
{
	u64 n[NR_CELLS] = { 0 }, best = 0;
	enum cell c, pick = CELL_NONE;
	bool mixed;

	while (cur->i < cur->runs->n) {
		const struct vs_page *p = &cur->runs->v[cur->i];
		u64 pend = p->addr + p->nr * vs_page_size();
		u64 lo = p->addr > start ? p->addr : start;
		u64 hi = pend < end ? pend : end;

		if (lo < hi)
			n[classify(p)] += (hi - lo) / vs_page_size();
		if (pend > end)
			break;
		cur->i++;
	}
	for (c = 0; c < NR_CELLS; c++) {
		if (n[c] > best) {
			best = n[c];
			pick = c;
		}
	}
	mixed = pick == CELL_NONE &&
		n[CELL_NONE] != (end - start) / vs_page_size();
	return mixed ? CELL_PARTLY : pick;
}

/* Pages per cell: 1, or the power of two that keeps the picture short. */
static u64 group_for(u64 pages, unsigned int width)
{
	u64 g = 1;

	while ((pages + g - 1) / g > (u64)width * MAP_MAX_ROWS)
		g *= 2;
	return g;
}

static void draw_vma(const struct vs_vma *v, u64 start, u64 end,
		     struct cursor *cur, unsigned int width, int w)
{
	u64 pages = (end - start) / vs_page_size(), g = group_for(pages, width);
	char perms[5], size[VS_SIZE_LEN], gsize[VS_SIZE_LEN];
	char name[VS_NAME_LEN];
	u64 addr = start;
	unsigned int col;

	vs_perms(v->flags, perms);
	printf("%s%0*llx-%0*llx %s %s %s%s\n", vs_c_bold, w,
	       start, w, end, perms, vs_kind_name(v->kind),
	       vs_name(v->path, name, sizeof(name)), vs_c_reset);
	printf("%s%llu page%s (%s), 1 cell = %llu page%s (%s)%s\n",
	       vs_c_dim, pages, pages == 1 ? "" : "s",
	       vs_size(end - start, size, sizeof(size)), g,
	       g == 1 ? "" : "s",
	       vs_size(g * vs_page_size(), gsize, sizeof(gsize)),
	       vs_c_reset);
	while (addr < end) {
		printf("%0*llx ", w, addr);
		for (col = 0; col < width && addr < end; col++) {
			u64 cend = end - addr > g * vs_page_size() ?
				   addr + g * vs_page_size() : end;
			enum cell c = cell_of(cur, addr, cend);

			printf("%s%c%s", cell_colour(c), cells[c].c, vs_c_reset);
			addr = cend;
		}
		printf("\n");
	}
}

static void print_legend(void)
{
	int c;

	printf("legend:");
	for (c = 0; c < NR_CELLS; c++)
		printf("%s %s%c%s %-22s", c && c % 3 == 0 ? "\n       " : "",
		       cell_colour(c), cells[c].c, vs_c_reset, cells[c].what);
	printf("\n");
}

int cmd_map(struct vs_nl *nl, const struct vs_args *a)
{
	struct vs_layout layout;
	struct vs_pages runs = { 0 };
	struct cursor cur = { &runs, 0 };
	u64 lo = ULLONG_MAX, hi = 0, task_size;
	struct vs_error err;
	struct vs_vmas vmas;
	size_t i, shown = 0;
	int w;

	if (vs_get_layout(nl, &layout, &err))
		return vs_report(a, &err);
	task_size = layout.v[VMSCOPE_LAYOUT_A_TASK_SIZE];
	if (vs_get_vmas(nl, a->pid, false, &vmas, &err))
		return vs_report(a, &err);

	/* The VMAs to draw, clipped to the range; [vsyscall] is not ours. */
	for (i = 0; i < vmas.n; i++) {
		u64 s = vmas.v[i].start, e = vmas.v[i].end;

		if (a->has_range) {
			s = s > a->start ? s : a->start;
			e = e < a->end ? e : a->end;
		}
		if (s >= e || e > task_size)
			continue;
		lo = s < lo ? s : lo;
		hi = e > hi ? e : hi;
	}
	if (lo >= hi) {
		printf("no VMA of pid %u in that range\n", a->pid);
		vs_vmas_free(&vmas);
		return VS_EXIT_OK;
	}
	if (vs_get_pages(nl, a->pid, lo, hi, true, &runs, &err)) {
		vs_vmas_free(&vmas);
		return vs_report(a, &err);
	}

	vs_colour_init();
	w = vs_addr_width(hi);
	printf("pid %u: %s each row is %u cells\n", a->pid,
	       a->has_range ? "VMAs in the range," : "every VMA,", a->width);
	for (i = 0; i < vmas.n; i++) {
		u64 s = vmas.v[i].start, e = vmas.v[i].end;

		s = s > lo ? s : lo;
		e = e < hi ? e : hi;
		if (s >= e || e > task_size)
			continue;
		draw_vma(&vmas.v[i], s, e, &cur, a->width, w);
		shown++;
	}
	print_legend();
	vs_pages_free(&runs);
	vs_vmas_free(&vmas);
	return VS_EXIT_OK;
}
