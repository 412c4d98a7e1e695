/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TARGET_H
#define VMSCOPE_TARGET_H

#include <linux/types.h>

struct cred;
struct mm_struct;
struct pid;

/*
 * The task being inspected, as /proc/PID/pagemap holds it: the address
 * space the task had when the question was asked, pinned with mmgrab()
 * (the mm_struct, not its pages).  Every batch of work takes a real
 * reference with mmget_not_zero(), so a task that exits or execs during
 * a long dump ends it with a clean -ESRCH instead of mixing two address
 * spaces, and nothing keeps a dead task's memory alive.
 */
struct vmscope_target {
	struct pid *pid;
	struct mm_struct *mm;	/* mmgrab()ed */
	pid_t nr;		/* as the caller named it, for messages */
	/*
	 * The opener holds CAP_SYS_ADMIN: it may see PFNs, swap offsets,
	 * exact mapcounts, KSM and page-cache residency (access.c).
	 */
	bool show_pfn;
	/*
	 * show_pfn, or the target is the caller's own thread group: it may
	 * see the young, dirty and write bits, exclusive, COW and the folio
	 * order (access.c, vmscope_redact_page()).
	 */
	bool show_bits;
	const struct cred *cred;	/* the opener's, for access.c */
	/*
	 * A netlink socket's opener, where it is not the sender (a socket
	 * handed to another process): checked too, for access.c as well.
	 */
	const struct cred *opener;
};

/*
 * Resolve @nr in the current pid namespace and check that the caller may
 * inspect it: its own thread group, or a process whose /proc/PID/pagemap
 * the current task could open with @cred as its credentials (target.c).
 * Call in the caller's context: netlink .doit or a dump's .start (@cred
 * the sender's), a debugfs write by the opener's thread group (@cred the
 * opener's, file->f_cred).  @show_pfn: the caller holds CAP_SYS_ADMIN.
 * May sleep.  On error *why says why, for extack or the debugfs reader.
 */
int vmscope_target_open(struct vmscope_target *t, pid_t nr, bool show_pfn,
			const struct cred *cred, const char **why);
/*
 * The same for a request made with @cred on a socket opened with
 * @opener's credentials (NULL: the same): both must be allowed, and the
 * caller's own thread group is no exception while they differ, for the
 * sender may be a privileged program that was handed the socket
 * (netlink_capable()'s rule, for permissions).
 */
int vmscope_target_open_as(struct vmscope_target *t, pid_t nr, bool show_pfn,
			   const struct cred *cred, const struct cred *opener,
			   const char **why);
void vmscope_target_close(struct vmscope_target *t);

/*
 * The target's mm for one batch of work: referenced and read-locked, or
 * ERR_PTR(-ESRCH) when the address space is gone (the task exited or
 * exec'd), ERR_PTR(-EINTR) on a fatal signal while waiting for the lock.
 * Every batch ends with vmscope_target_unlock(), before anything that
 * may fault or sleep long (copying to user space, file reads).
 */
struct mm_struct *vmscope_target_lock(struct vmscope_target *t,
				      const char **why);
void vmscope_target_unlock(struct mm_struct *mm);

#endif /* VMSCOPE_TARGET_H */
