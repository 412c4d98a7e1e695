/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_VMAS_H
#define VMSCOPE_VMAS_H

#include <linux/types.h>

#include "uapi/vmscope.h"

struct vmscope_page;
struct vmscope_target;

struct vmscope_counts {
	u64 none, present, swap, page_cache, zero, thp, cow, exclusive, other;
	u64 cache_hidden;	/* no entry, residency not the caller's */
	u64 pss_bytes;
	/* some page's bits were hidden: thp, cow, exclusive are unknown */
	bool bits_hidden;
};

/* One VMA, described as /proc/PID/maps would, plus what vmscope adds. */
struct vmscope_vma_info {
	unsigned long start, end;
	u64 pgoff_bytes;
	u32 flags;		/* VMSCOPE_VMA_F_* */
	u32 kind;		/* enum vmscope_vma_kind */
	u32 dev_major, dev_minor;
	u64 inode;
	const char *path;	/* "" for none; valid until the next call */
	bool has_counts;
	bool gate;		/* the vsyscall gate VMA, not one of the mm's */
	struct vmscope_counts counts;
};

#define VMSCOPE_PATH_MAX 4096

/*
 * Without counts, up to VMSCOPE_VMA_BATCH VMAs are described per mmap
 * lock hold; their names share VMSCOPE_VMA_NAMES bytes.
 */
#define VMSCOPE_VMA_BATCH	32
#define VMSCOPE_VMA_NAMES	(4 * VMSCOPE_PATH_MAX)

struct vmscope_vma_cursor {
	struct vmscope_target *target;
	unsigned long next;	/* VMAs ending above this are still to come */
	bool counts;
	struct vmscope_vma_info *batch;	/* described, not yet handed out */
	unsigned int batch_nr, batch_pos;
	char *names;		/* the batch's paths */
	struct vmscope_page *pages;	/* batch buffer for counting */
};

struct vm_area_struct;

/* Describe one VMA (no counts); @buf holds VMSCOPE_PATH_MAX bytes. */
void vmscope_describe_vma(struct vm_area_struct *vma, char *buf,
			  struct vmscope_vma_info *out);

int vmscope_vma_cursor_init(struct vmscope_vma_cursor *c,
			    struct vmscope_target *t, bool counts);
void vmscope_vma_cursor_destroy(struct vmscope_vma_cursor *c);

/*
 * The next VMA: 1 and *out filled, 0 when there are no more, -errno
 * (-ESRCH target exited, -EINTR fatal signal).  Counting walks the VMA's
 * pages in bounded batches, dropping the mmap lock between them.
 */
int vmscope_vmas_next(struct vmscope_vma_cursor *c,
		      struct vmscope_vma_info *out, const char **why);

#endif /* VMSCOPE_VMAS_H */
