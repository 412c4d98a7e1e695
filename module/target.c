// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the task to inspect, and deciding whether the caller may.
 *
 * The kernel's own rule for /proc/PID/pagemap is ptrace_may_access(): the
 * same uid/gid or CAP_SYS_PTRACE, then the task's dumpable flag, then the
 * LSM hook (Yama, SELinux, AppArmor).  Neither ptrace_may_access() nor
 * security_ptrace_access_check() is exported to modules, so copying only
 * the uid check would silently bypass every LSM policy.  vmscope therefore
 * asks more: the caller must hold CAP_SYS_PTRACE in the initial user
 * namespace, or be asking about its own thread group, which pagemap always
 * allows (__ptrace_may_access() returns before the LSM hook).
 *
 * It is not stricter in every case: for a CAP_SYS_PTRACE holder the LSM's
 * per-task decision is not taken, so an SELinux or AppArmor policy that
 * lets a root domain have CAP_SYS_PTRACE but not read one particular
 * task's pagemap is not applied here.  (Yama restricts only attaching,
 * not the PTRACE_MODE_READ check pagemap makes, and the LSM's capable
 * hook is applied, through file_ns_capable() and netlink_capable().)
 * Only a policy that grants the capability and then denies by task is
 * bypassed; README.md's "Security model" says so.
 */
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/mmap_lock.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "target.h"

static bool in_own_thread_group(struct pid *pid)
{
	struct task_struct *task;
	bool same;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_PID);
	same = task && same_thread_group(task, current);
	rcu_read_unlock();
	return same;
}

/*
 * The address space of the task @pid names: kernel threads have none,
 * zombies no longer have one.
 */
static struct mm_struct *grab_task_mm(struct pid *pid, const char **why)
{
	struct task_struct *task;
	struct mm_struct *mm;

	task = get_pid_task(pid, PIDTYPE_PID);
	if (!task) {
		*why = "no such process";
		return ERR_PTR(-ESRCH);
	}
	if (task->flags & PF_KTHREAD) {
		put_task_struct(task);
		*why = "kernel threads have no user address space";
		return ERR_PTR(-EINVAL);
	}
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm) {
		*why = "process has exited (zombie): no address space";
		return ERR_PTR(-ESRCH);
	}
	mmgrab(mm);
	mmput(mm);
	return mm;
}

int vmscope_target_open(struct vmscope_target *t, pid_t nr,
			bool may_ptrace_any, bool show_pfn,
			const struct cred *cred, const char **why)
{
	struct mm_struct *mm;
	struct pid *pid;

	memset(t, 0, sizeof(*t));
	if (nr <= 0) {
		*why = "pid must be positive";
		return -EINVAL;
	}
	pid = find_get_pid(nr);
	if (!pid) {
		*why = "no such process";
		return -ESRCH;
	}
	if (!may_ptrace_any && !in_own_thread_group(pid)) {
		put_pid(pid);
		*why = "inspecting another process needs CAP_SYS_PTRACE";
		return -EPERM;
	}
	mm = grab_task_mm(pid, why);
	if (IS_ERR(mm)) {
		put_pid(pid);
		return PTR_ERR(mm);
	}
	t->pid = pid;
	t->mm = mm;
	t->nr = nr;
	t->show_pfn = show_pfn;
	t->cred = get_cred(cred);
	return 0;
}

void vmscope_target_close(struct vmscope_target *t)
{
	if (t->mm)
		mmdrop(t->mm);
	put_pid(t->pid);
	if (t->cred)
		put_cred(t->cred);
	t->mm = NULL;
	t->pid = NULL;
	t->cred = NULL;
}

struct mm_struct *vmscope_target_lock(struct vmscope_target *t,
				      const char **why)
{
	struct mm_struct *mm = t->mm;

	if (!mmget_not_zero(mm)) {
		*why = "process exited or called exec during the walk";
		return ERR_PTR(-ESRCH);
	}
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		*why = "interrupted";
		return ERR_PTR(-EINTR);
	}
	return mm;
}

void vmscope_target_unlock(struct mm_struct *mm)
{
	mmap_read_unlock(mm);
	mmput(mm);
}
