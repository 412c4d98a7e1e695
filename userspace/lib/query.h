/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvmscope: what the kernel answered, as plain data, and the requests
 * that get it.  query.c fills these from netlink replies; the programs
 * print them (json_write.h has their JSON).
 */
#ifndef VMSCOPE_QUERY_H
#define VMSCOPE_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "vmscope.h"	/* module/uapi: the netlink ABI */
#include "vmscope_names.h"	/* ... and the words for its values */
#include "pagesize.h"	/* vs_page_size() */

typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned char u8;

#ifndef ARRAY_SIZE	/* the kselftest harness, for the tests, has it too */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Exit statuses (vmscope(8)). */
enum {
	VS_EXIT_OK = 0,
	VS_EXIT_ERROR = 1,	/* the kernel or the system said no */
	VS_EXIT_USAGE = 2,	/* the command line is wrong */
};

struct vs_nl;

/* A failed request: -errno and the kernel's extack message, if any. */
struct vs_error {
	int error;
	char msg[512];
};

struct vs_layout {
	bool has[VMSCOPE_LAYOUT_A_MAX + 1];
	u64 v[VMSCOPE_LAYOUT_A_MAX + 1];
};

/* A process's layout (GET_LAYOUT with a PID), by VMSCOPE_PROC_A_*. */
struct vs_proc_layout {
	bool has[VMSCOPE_PROC_A_MAX + 1];
	u64 v[VMSCOPE_PROC_A_MAX + 1];
};

struct vs_vma {
	u64 start, end, pgoff, inode;
	u32 flags, dev_major, dev_minor, kind;
	char *path;			/* "" when none */
	bool has_counts;
	u64 counts[VMSCOPE_COUNT_A_MAX + 1];	/* by VMSCOPE_COUNT_A_* */
	/* false where the module left a count out (hidden: thp, cow, ...) */
	bool has_count[VMSCOPE_COUNT_A_MAX + 1];
};

struct vs_vmas {
	struct vs_vma *v;
	size_t n, cap;
};

/*
 * One entry of a GET_PAGES answer: nr pages from addr.  Exact entries
 * (per-page mode) expand to nr pages with pfn + i and swap_offset + i;
 * in runs mode pfn and swap_offset are the first page's.
 */
struct vs_page {
	u64 addr, nr, pfn, swap_offset;
	u32 state, flags, level, mapcount, order, swap_type;
	bool has_pfn, has_swap;
};

struct vs_pages {
	struct vs_page *v;
	size_t n, cap;
};

/* query.c: the requests.  0 or -errno, with err filled. */
int vs_get_layout(struct vs_nl *nl, struct vs_layout *l, struct vs_error *err);
/* The kernel layout and process pid's, in one answer. */
int vs_get_proc_layout(struct vs_nl *nl, u32 pid, struct vs_layout *l,
		       struct vs_proc_layout *pl, struct vs_error *err);
int vs_get_vmas(struct vs_nl *nl, u32 pid, bool counts, struct vs_vmas *out,
		struct vs_error *err);
void vs_vmas_free(struct vs_vmas *v);
/* [start, end) page aligned; end 0 means the end of user space. */
int vs_get_pages(struct vs_nl *nl, u32 pid, u64 start, u64 end, bool runs,
		 struct vs_pages *out, struct vs_error *err);
void vs_pages_free(struct vs_pages *p);

/* What an access at an address would do (EXPLAIN). */
struct vs_explain {
	u64 addr;			/* the page */
	bool in_vma;
	struct vs_vma vma;
	bool has_page;
	struct vs_page page;
	bool has_prev, has_next;
	u64 prev_end, next_start;
	u32 next_flags;
	bool has_raw[VMSCOPE_LEVEL_PGD + 1];	/* by VMSCOPE_LEVEL_* */
	u64 raw[VMSCOPE_LEVEL_PGD + 1];
	u32 fault[3];			/* read, write, exec */
};

int vs_explain(struct vs_nl *nl, u32 pid, u64 addr, struct vs_explain *out,
	       struct vs_error *err);
void vs_explain_free(struct vs_explain *e);

#endif /* VMSCOPE_QUERY_H */
