/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_PAGES_H
#define VMSCOPE_PAGES_H

#include <linux/types.h>

#include "uapi/vmscope.h"

#define VMSCOPE_PSS_SHIFT	12	/* as fs/proc/task_mmu.c's PSS_SHIFT */

struct vmscope_target;

/*
 * One page, or a run of pages whose fields are equal, with pfn and
 * swap_offset advancing by one per page (an "exact" run: it expands to
 * the per-page answer).  In VMSCOPE_REQ_RUNS mode runs also join pages
 * whose pfn/swap_offset do not follow on; the values are the first
 * page's.
 */
struct vmscope_page {
	unsigned long addr;
	unsigned long nr;
	u64 pfn;		/* 0 unless present and show_pfn */
	u64 swap_offset;
	/* all pages' share of their mappers, as smaps: bytes << PSS_SHIFT */
	u64 pss;
	u32 flags;		/* VMSCOPE_PAGE_F_* */
	u32 mapcount;		/* 0 if hidden: see vmscope_redact_page() */
	u8 state;		/* enum vmscope_page_state */
	u8 level;		/* enum vmscope_level */
	u8 swap_type;
	u8 order;		/* folio order */
};

/*
 * Which states carry a PFN, and which a swap type and offset (a PFN too
 * for migration and device entries): both are shown only to callers that
 * may see PFNs, as /proc/PID/pagemap does.  The interfaces use these, so
 * that debugfs and netlink hide the same fields.
 */
static inline bool vmscope_page_has_pfn(const struct vmscope_page *p)
{
	return p->state == VMSCOPE_STATE_PRESENT ||
	       p->state == VMSCOPE_STATE_PFNMAP;
}

static inline bool vmscope_page_has_swap(const struct vmscope_page *p)
{
	return p->state == VMSCOPE_STATE_SWAP ||
	       p->state == VMSCOPE_STATE_MIGRATION ||
	       p->state == VMSCOPE_STATE_DEVICE;
}

/* A resumable walk of [next, end) of a target's address space. */
struct vmscope_page_cursor {
	struct vmscope_target *target;
	unsigned long next;	/* first address not yet walked */
	unsigned long end;
	bool runs;		/* VMSCOPE_REQ_RUNS */
	bool have_pending;
	struct vmscope_page pending;	/* last run, may still grow */
};

void vmscope_page_cursor_init(struct vmscope_page_cursor *c,
			      struct vmscope_target *t, unsigned long start,
			      unsigned long end, bool runs);

/*
 * Fill @out with up to @max entries that follow the previous call's.
 * Returns how many (0: the walk is complete) or -errno (-ESRCH: the
 * target exited; -EINTR: fatal signal).  Takes and drops the target's
 * mmap lock itself, a bounded amount of work per call: never call it
 * with locks held, and copy out to user space between calls.
 */
int vmscope_pages_next(struct vmscope_page_cursor *c,
		       struct vmscope_page *out, unsigned int max,
		       const char **why);

struct mm_struct;
struct vm_area_struct;

/*
 * The one page at @addr inside @vma, for explain: the caller holds the
 * mmap lock.  @raw (indexed by enum vmscope_level) receives the entry
 * read at each level the walk went through.
 */
void vmscope_page_at(struct vmscope_target *t, struct mm_struct *mm,
		     struct vm_area_struct *vma, unsigned long addr,
		     struct vmscope_page *out, u64 *raw);

/* Validate a [start, end) request: page aligned, start < end <= TASK_SIZE. */
int vmscope_check_range(u64 start, u64 end, const char **why);

#endif /* VMSCOPE_PAGES_H */
