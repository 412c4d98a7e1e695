/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_PROC_LAYOUT_H
#define VMSCOPE_PROC_LAYOUT_H

#include <linux/types.h>

struct vmscope_target;

/*
 * A process's address space as exec laid it out: the mm_struct's own
 * fields, and for 64-bit tasks where each region would be without
 * randomisation (the *_norand bases; has_* false when not known).
 */
struct vmscope_proc_layout {
	unsigned long task_size;
	bool compat;		/* 32-bit addresses (ia32 or x32) */
	bool randomize;		/* PF_RANDOMIZE: exec randomised this mm */
	bool no_randomize;	/* personality ADDR_NO_RANDOMIZE */
	bool topdown;		/* mmap allocates down from mmap_base */
	u32 exec_type;		/* enum vmscope_exec_type */

	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long mmap_base;

	bool has_stack_end, has_vdso;
	unsigned long stack_end;	/* end of the VMA of start_stack */
	unsigned long vdso;

	bool has_text_norand, has_brk_norand, has_stack_norand;
	bool has_mmap_norand;
	unsigned long text_norand, brk_norand, stack_norand, mmap_norand;
	unsigned long mmap_rnd;		/* with has_mmap_norand */
};

/* 0, or -errno with *why saying why (-ESRCH: the task exited). */
int vmscope_proc_layout_get(struct vmscope_target *t,
			    struct vmscope_proc_layout *pl, const char **why);

#endif /* VMSCOPE_PROC_LAYOUT_H */
