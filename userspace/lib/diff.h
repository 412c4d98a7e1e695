/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What changed between two snapshots (snapshot.h) of one kind: for
 * pages, runs of neighbouring pages with the same change; for maps, the
 * VMAs added, removed or changed.  "vmscope diff" prints them.
 */
#ifndef VMSCOPE_DIFF_H
#define VMSCOPE_DIFF_H

#include "snapshot.h"

/*
 * A page's change, the first that applies in this order (a THP collapse
 * also moves the pages; a COW copy also makes them exclusive).
 */
enum vs_change {
	VS_CH_RANGE_ADDED,	/* in a VMA only in B, not present */
	VS_CH_RANGE_REMOVED,	/* in a VMA only in A, not present there */
	VS_CH_NEW_PRESENT,	/* none (or no VMA) -> present */
	VS_CH_UNMAPPED,		/* present, swap, ... -> none or no VMA */
	VS_CH_SWAPPED_OUT,	/* present -> swap */
	VS_CH_SWAPPED_IN,	/* swap -> present */
	VS_CH_STATE,		/* any other change of state */
	VS_CH_THP_COLLAPSED,	/* larger folio order, thp, or pmd mapping */
	VS_CH_THP_SPLIT,	/* the reverse */
	VS_CH_PFN,		/* another page frame: copied or moved */
	VS_CH_SHARED,		/* higher map count, lost exclusive, got cow */
	VS_CH_EXCLUSIVE,	/* the reverse */
	VS_CH_CACHED,		/* none, now in the page cache */
	VS_CH_UNCACHED,		/* none, no longer in the page cache */
	VS_CH_FLAGS,		/* other flags, swap entry, map count */
	/* maps */
	VS_CH_VMA_ADDED,
	VS_CH_VMA_REMOVED,
	VS_CH_VMA_CHANGED,	/* range, permissions, kind, flags, file */
	VS_CH_COUNTS,		/* only its page counts */
	VS_CH_NR,
	VS_CH_PAGES_NR = VS_CH_VMA_ADDED,
	VS_CH_NONE = VS_CH_NR,
};

const char *vs_change_name(enum vs_change c);

/* Pages [addr, addr + nr pages): one change; a and b are the first page. */
struct vs_page_change {
	u64 addr, nr;
	enum vs_change kind;
	bool has_a, has_b;	/* false: in no VMA in that snapshot */
	struct vs_page a, b;
};

/* What differs in a changed VMA (vs_vma_change.what). */
enum {
	VS_VMA_D_START = 1 << 0,
	VS_VMA_D_END = 1 << 1,
	VS_VMA_D_PERMS = 1 << 2,	/* read, write, exec, shared */
	VS_VMA_D_FLAGS = 1 << 3,	/* the other VMA flags */
	VS_VMA_D_KIND = 1 << 4,
	VS_VMA_D_FILE = 1 << 5,		/* path, offset, device or inode */
	VS_VMA_D_NR = 6,
};

extern const char *const vs_vma_d_names[VS_VMA_D_NR];

struct vs_vma_change {
	enum vs_change kind;
	const struct vs_vma *a, *b;	/* NULL when added, removed */
	u32 what;			/* VS_VMA_D_* */
};

struct vs_diff {
	enum vs_snap_type type;
	struct vs_page_change *pages;
	struct vs_vma_change *vmas;
	size_t n, cap;
	u64 runs[VS_CH_NR];	/* runs or VMAs of each change */
	u64 total[VS_CH_NR];	/* pages of each change (pages) */
};

/* a and b of one type; 0 or -ENOMEM.  d points into a and b. */
int vs_diff(const struct vs_snap *a, const struct vs_snap *b,
	    struct vs_diff *d);
void vs_diff_free(struct vs_diff *d);

#endif /* VMSCOPE_DIFF_H */
