// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the task to inspect, and deciding whether the caller may.
 *
 * The rule is pagemap's, asked of the kernel itself: another process may
 * be inspected exactly when the caller could open its /proc/PID/pagemap
 * now.  That open runs, in the caller's context and with its credentials,
 * the inode's permission check (mode 0400, owned by the task's dump
 * owner), security_file_open(), and pagemap_open()'s mm_access() with
 * PTRACE_MODE_READ_FSCREDS: same uid and gid or CAP_SYS_PTRACE in the
 * target's user namespace, the dumpable flag, commoncap's "the target's
 * capabilities are a subset of the caller's" and every LSM's ptrace hook
 * (Yama, SELinux, AppArmor, Landlock...).  ptrace_may_access() and
 * security_ptrace_access_check() are not exported to modules; opening the
 * file is the only way to ask the whole question, and it cannot be looser
 * than pagemap because it is pagemap.
 *
 * What is opened must be the kernel's pagemap of the task the caller
 * named, never a file the caller arranged:
 * - "/proc" is looked up from the caller's root and must be the root of
 *   a procfs mount whose pid namespace is the caller's, the one the PID
 *   was resolved in (so "NR" names the same process there);
 * - "NR/pagemap" is looked up below it with neither symlinks nor mount
 *   crossings (LOOKUP_NO_SYMLINKS | LOOKUP_NO_XDEV), so nothing bind
 *   mounted over it (a FUSE file, a file of the caller's) is opened;
 * - the file pagemap_open() accepted holds the mm it granted access to
 *   (file->private_data): it must be the mm vmscope pinned for the PID,
 *   or the PID was reused, or the task exec'd, in between.
 * Anything unusual (no /proc, hidepid hiding the task, another pid
 * namespace's /proc) is refused with a reason: when unsure, refuse.
 * Failures to look up or open (out of memory) keep their errno.
 *
 * One exception: the caller's own thread group, which mm_access() lets
 * through before any check (its own mm), needs no /proc.  (pagemap's
 * inode is root-owned for an undumpable task, so an undumpable caller
 * without CAP_DAC_READ_SEARCH cannot open its own pagemap; vmscope still
 * answers it about itself, its own memory, as mincore() and smaps do.)
 *
 * For debugfs the question runs in the writer's context, which
 * debugfs_query.c and debugfs_explain.c require to be the opener's thread
 * group, with the opener's credentials (cred) as current's; for netlink,
 * in .doit or a dump's .start, with the sender's.
 */
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/magic.h>
#include <linux/mmap_lock.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "compat.h"
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

/* The caller's /proc: the root of a procfs of the caller's pid namespace. */
static int caller_proc(struct path *proc, const char **why)
{
	struct super_block *sb;
	int err;

	err = kern_path("/proc", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, proc);
	if (err == -ENOENT || err == -ENOTDIR) {
		*why = "no /proc to ask pagemap whether the caller may inspect it";
		return -EPERM;
	}
	if (err) {
		*why = "could not look up /proc";
		return err;
	}
	sb = proc->mnt->mnt_sb;
	if (sb->s_magic != PROC_SUPER_MAGIC || proc->dentry != sb->s_root ||
	    proc->dentry != proc->mnt->mnt_root) {
		*why = "/proc is not a procfs mount: cannot ask pagemap";
		err = -EPERM;
	} else if (proc_pid_ns(sb) != task_active_pid_ns(current)) {
		*why = "/proc is of another pid namespace: cannot ask pagemap";
		err = -EPERM;
	}
	if (err)
		path_put(proc);
	return err;
}

/*
 * May the current task, with its current credentials, open the pagemap
 * of the process that owns @mm, @pid, numbered @nr in its pid namespace?
 * See the top of this file.
 */
static int pagemap_allows(pid_t nr, struct pid *pid, struct mm_struct *mm,
			  const char **why)
{
	struct path proc, path;
	struct file *file;
	char name[32];
	bool hidepid;
	int err;

	err = caller_proc(&proc, why);
	if (err)
		return err;
	snprintf(name, sizeof(name), "%d/pagemap", nr);
	err = vfs_path_lookup(proc.dentry, proc.mnt, name,
			      LOOKUP_NO_SYMLINKS | LOOKUP_NO_XDEV, &path);
	hidepid = proc_sb_info(proc.mnt->mnt_sb)->hide_pid != HIDEPID_OFF;
	path_put(&proc);
	if (err == -EXDEV) {
		*why = "something is mounted over /proc/PID/pagemap: refusing";
		return -EPERM;
	}
	if (err == -ENOENT && !pid_has_task(pid, PIDTYPE_PID)) {
		*why = "process exited while being checked";
		return -ESRCH;
	}
	if (err == -ENOENT && hidepid) {
		*why = "hidden by the caller's /proc (hidepid): cannot ask pagemap";
		return -EPERM;
	}
	/* procfs says ENOENT when it cannot allocate the inode */
	if (err) {
		*why = "could not look up /proc/PID/pagemap";
		return err == -ENOENT ? -ENOMEM : err;
	}
	err = path_permission(&path, MAY_READ);
	if (!err) {
		file = dentry_open(&path, O_RDONLY, current_cred());
		if (IS_ERR(file)) {
			err = PTR_ERR(file);
		} else {
			if (file->private_data != mm)
				err = -ESRCH;
			fput(file);
		}
	}
	path_put(&path);
	if (err == -ESRCH) {
		*why = "process exited or called exec while being checked";
	} else if (err == -ENOMEM) {
		*why = "out of memory while asking pagemap";
	} else if (err) {
		*why = "the kernel would refuse the caller /proc/PID/pagemap";
		if (err != -EINTR && err != -ENOMEM)
			err = -EACCES;
	}
	return err;
}

int vmscope_target_open(struct vmscope_target *t, pid_t nr, bool show_pfn,
			const struct cred *cred, const char **why)
{
	return vmscope_target_open_as(t, nr, show_pfn, cred, NULL, why);
}

/* pagemap_allows() with @cred as the current task's credentials. */
static int pagemap_allows_as(const struct cred *cred, pid_t nr,
			     struct pid *pid, struct mm_struct *mm,
			     const char **why)
{
	const struct cred *old = override_creds(cred);
	int err = pagemap_allows(nr, pid, mm, why);

	revert_creds(old);
	return err;
}

int vmscope_target_open_as(struct vmscope_target *t, pid_t nr, bool show_pfn,
			   const struct cred *cred, const struct cred *opener,
			   const char **why)
{
	struct mm_struct *mm;
	struct pid *pid;
	bool own;
	int err = 0;

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
	mm = grab_task_mm(pid, why);
	if (IS_ERR(mm)) {
		put_pid(pid);
		return PTR_ERR(mm);
	}
	own = in_own_thread_group(pid) && !opener;
	if (!own)
		err = pagemap_allows_as(cred, nr, pid, mm, why);
	if (!err && opener)
		err = pagemap_allows_as(opener, nr, pid, mm, why);
	if (err) {
		mmdrop(mm);
		put_pid(pid);
		return err;
	}
	t->pid = pid;
	t->mm = mm;
	t->nr = nr;
	t->show_pfn = show_pfn;
	t->show_bits = show_pfn || own;
	t->cred = get_cred(cred);
	t->opener = opener ? get_cred(opener) : NULL;
	return 0;
}

void vmscope_target_close(struct vmscope_target *t)
{
	if (t->mm)
		mmdrop(t->mm);
	put_pid(t->pid);
	if (t->cred)
		put_cred(t->cred);
	if (t->opener)
		put_cred(t->opener);
	t->mm = NULL;
	t->pid = NULL;
	t->cred = NULL;
	t->opener = NULL;
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
