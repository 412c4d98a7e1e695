/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TEST_VMSCOPE_H
#define VMSCOPE_TEST_VMSCOPE_H

/*
 * Access to vmscope's debugfs files from the tests (docs/debugfs.md):
 * ask a question on the maps or pages file, parse the answer.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../module/uapi/vmscope.h"	/* the ABI enums */

#define VMSCOPE_DEBUGFS "/sys/kernel/debug/vmscope"

/*
 * Look up "name" in the layout file ("name value  # comment" lines).
 * Returns true and stores the value (decimal, hex or yes/no) if present.
 */
bool layout_value(const char *name, uint64_t *value);
/* Is the line "# kernel addresses hidden ..." present? */
bool layout_kernel_hidden(void);

/*
 * Answers are parsed strictly: an unknown key, state, level, flag or kind,
 * a missing field, or runs that do not tile the range exactly make the
 * parsers fail with a message saying which line and why.
 */
#define VMS_WHY 512

/* What one question on one file descriptor got back. */
struct vms_answer {
	int err;		/* 0, -errno, -EMSGSIZE: short write */
	bool write_failed;	/* err came from write() */
	char *text;		/* everything read() returned */
};

/*
 * Open VMSCOPE_DEBUGFS/file read-write, write question (unless NULL), read
 * the answer on the same descriptor until EOF, in chunks of chunk bytes
 * (0: large).  After a failed write the read is still done, for the
 * "# error:" line.  Returns a->err.
 */
int vms_ask(const char *file, const char *question, size_t chunk,
	    struct vms_answer *a);
void vms_answer_free(struct vms_answer *a);

/* One line of the maps file. */
struct vms_counts {
	uint64_t none, present, swap, cache, hidden, zero, thp, cow, excl,
		 other;
	uint64_t pss_kb;
};

struct vms_vma {
	uint64_t start, end, offset, inode;
	unsigned int major, minor;
	char perms[5];
	char head[128];		/* first five fields, single spaced */
	int kind;		/* enum vmscope_vma_kind */
	const char *flags;	/* as printed, "-" for none */
	struct vms_counts c;
	const char *path;	/* "" when none */
};

struct vms_maps {
	struct vms_vma *v;
	int n;
	char *text;		/* owns flags and path strings */
};

/* Parse a maps answer (takes ownership of text). 0 or -EINVAL. */
int vms_maps_parse(char *text, struct vms_maps *m, char *why);
/* Ask maps about pid (pid <= 0: read without a question). 0 or -errno. */
int vms_maps(pid_t pid, struct vms_maps *m, char *why);
void vms_maps_free(struct vms_maps *m);
const struct vms_vma *vms_maps_find(const struct vms_maps *m, uint64_t addr);
bool vms_vma_has_flag(const struct vms_vma *v, const char *flag);
const char *vms_kind_name(int kind);

/* One page (or, in vms_run, the first page of a line). */
struct vms_page {
	uint64_t addr;
	int state;		/* enum vmscope_page_state */
	int level;		/* enum vmscope_level */
	uint32_t flags;		/* VMSCOPE_PAGE_F_* */
	bool has_pfn, has_swap;
	uint64_t pfn, swap_offset;
	unsigned int swap_type, mapcount, order;
};

struct vms_run {
	struct vms_page p;	/* the first page */
	uint64_t end;
	uint64_t nr;
};

/*
 * Parse a pages answer into lines.  If start < end the lines must tile
 * [start, end) exactly.  Returns the number of lines or -EINVAL.
 */
int vms_pages_parse(const char *text, uint64_t start, uint64_t end,
		    struct vms_run **runs, char *why);
/*
 * Ask pages "PID START END[ extra]" and parse.  Returns the number of
 * lines, or -errno (the write's or read's, or -EINVAL for a bad answer).
 */
int vms_pages_runs(pid_t pid, uint64_t start, uint64_t end,
		   const char *extra, struct vms_run **runs, char *why);
/*
 * Ask about n pages from start and expand the exact runs into out[n].
 * Returns 0 or -errno.
 */
int vms_pages(pid_t pid, uint64_t start, size_t n, struct vms_page *out,
	      char *why);

const char *vms_state_name(int state);
const char *vms_level_name(int level);
/* "write,dirty,..." or "-" into buf. */
const char *vms_flags_str(uint32_t flags, char *buf, size_t len);
/* Describe a page in the debugfs syntax, for test messages. */
const char *vms_page_str(const struct vms_page *p, char *buf, size_t len);

#endif /* VMSCOPE_TEST_VMSCOPE_H */
