/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TARGET_H
#define VMSCOPE_TARGET_H

#include <linux/types.h>

struct mm_struct;
struct pid;

/*
 * The task being inspected.  We keep a struct pid, not a task or an mm:
 * it survives the task exiting, and every batch of work looks the mm up
 * again (vmscope_target_mm), so a long dump never pins a dead address
 * space and sees a target that exited as a clean -ESRCH.
 */
struct vmscope_target {
	struct pid *pid;
	pid_t nr;		/* as the caller named it, for messages */
	bool show_pfn;		/* the opener may see PFNs (CAP_SYS_ADMIN) */
};

/*
 * Resolve @nr in the current pid namespace and check that the caller
 * (whose privileges are given, as captured at open) may inspect it.
 * On error *why says why, for extack or the debugfs reader.
 */
int vmscope_target_open(struct vmscope_target *t, pid_t nr,
			bool may_ptrace_any, bool show_pfn, const char **why);
void vmscope_target_close(struct vmscope_target *t);

/*
 * A reference on the target's mm (mmput() it), or an ERR_PTR: -ESRCH
 * when the task is gone, -EINVAL for a kernel thread.
 */
struct mm_struct *vmscope_target_mm(struct vmscope_target *t,
				    const char **why);

#endif /* VMSCOPE_TARGET_H */
