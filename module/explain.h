/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_EXPLAIN_H
#define VMSCOPE_EXPLAIN_H

#include <linux/types.h>

#include "pages.h"
#include "vmas.h"

struct vmscope_target;

/* Everything explain knows about one address, and what faults would do. */
struct vmscope_explanation {
	unsigned long addr;		/* page aligned */
	bool in_vma;
	struct vmscope_vma_info vma;	/* valid if in_vma (no counts) */
	bool has_prev, has_next;
	unsigned long prev_end;		/* VMA below addr */
	unsigned long next_start;	/* VMA above addr */
	unsigned long next_end;
	u32 next_flags;			/* VMSCOPE_VMA_F_* */
	unsigned int levels;		/* 4 or 5 */
	/* entry read at each level, VMSCOPE_NOT_READ where the walk stopped */
	u64 raw[VMSCOPE_LEVEL_PGD + 1];
	struct vmscope_page page;
	u32 fault[3];			/* read, write, exec: vmscope_fault */
};

#define VMSCOPE_NOT_READ	(~0ULL)

/* Facts about the VMA at the address, read under the mmap lock. */
struct vma_facts {
	unsigned long vm_flags;
	bool anon;		/* no file behind it */
	bool shmem;		/* tmpfs, shared anon, SysV shm, memfd */
	bool beyond_eof;	/* file page past the end of the file */
};

enum { VMSCOPE_READ, VMSCOPE_WRITE, VMSCOPE_EXEC };

/* 0, or -errno with *why; takes and drops the target's mmap lock. */
int vmscope_explain(struct vmscope_target *t, unsigned long addr,
		    char *path_buf, struct vmscope_explanation *e,
		    const char **why);

struct vm_area_struct;

/*
 * explain's classifier as a pure function of a page and its VMA's facts
 * (VMSCOPE_FAULT_*), for an address inside a VMA; the tracer runs it on
 * the snapshot it takes at handle_mm_fault()'s entry.
 */
void vmscope_read_vma_facts(struct vm_area_struct *vma, unsigned long addr,
			    struct vma_facts *f);
u32 vmscope_explain_inside(const struct vmscope_page *p,
			   const struct vma_facts *f, int access);

#endif /* VMSCOPE_EXPLAIN_H */
