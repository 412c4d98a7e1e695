// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "explain": write "PID ADDR", read what a read, a write and an
 * instruction fetch at ADDR would do (docs/debugfs.md).  The question is
 * kept per open file; privileges are the opener's, captured at open, and
 * the PID is resolved and checked when the question is written, as the
 * maps and pages files do: whoever reads the answer later, maybe through
 * a descriptor passed to another process or pid namespace, gets the
 * answer the opener was entitled to, about the task the opener named.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "arch.h"
#include "debugfs_query.h"
#include "explain.h"
#include "names.h"
#include "target.h"

#define QUESTION_MAX_LEN	64

struct explain_file {
	bool show_pfn;
	const struct cred *cred;	/* the opener's */
	struct pid *opener_tgid;
	bool asked;
	int question_err;	/* the question was refused: the answer says why */
	const char *why;
	struct vmscope_target target;	/* pinned when asked */
	unsigned long addr;
	struct vmscope_explanation e;
	char path[VMSCOPE_PATH_MAX];
};

static void show_walk(struct seq_file *m, const struct vmscope_explanation *e)
{
	int level;

	seq_puts(m, "walk");
	for (level = VMSCOPE_LEVEL_PGD; level >= VMSCOPE_LEVEL_PTE; level--) {
		if (level == VMSCOPE_LEVEL_P4D && e->levels == 4)
			continue;	/* folded into the PGD */
		if (e->raw[level] == VMSCOPE_NOT_READ)
			break;
		seq_printf(m, " %s=0x%016llx", vmscope_level_name(level),
			   e->raw[level]);
	}
	seq_printf(m, " stop=%s\n", vmscope_level_name(e->page.level));
}

static void show_where(struct seq_file *m, const struct vmscope_explanation *e)
{
	const struct vmscope_vma_info *v = &e->vma;

	if (e->in_vma) {
		seq_printf(m, "vma %08lx-%08lx %c%c%c%c kind=%s flags=", v->start,
			   v->end, v->flags & VMSCOPE_VMA_F_READ ? 'r' : '-',
			   v->flags & VMSCOPE_VMA_F_WRITE ? 'w' : '-',
			   v->flags & VMSCOPE_VMA_F_EXEC ? 'x' : '-',
			   v->flags & VMSCOPE_VMA_F_SHARED ? 's' : 'p',
			   vmscope_vma_kind_name(v->kind));
		vmscope_seq_vma_flags(m, v->flags);
		seq_putc(m, ' ');
		vmscope_seq_path(m, v->path);
		seq_putc(m, '\n');
		return;
	}
	seq_puts(m, "vma none:");
	if (e->has_prev)
		seq_printf(m, " below=%08lx (gap 0x%lx)", e->prev_end,
			   e->addr - e->prev_end);
	if (e->has_next)
		seq_printf(m, " above=%08lx (gap 0x%lx)%s", e->next_start,
			   e->next_start - e->addr,
			   e->next_flags & VMSCOPE_VMA_F_GROWSDOWN ?
			   " growsdown" : "");
	seq_putc(m, '\n');
}

static int explain_show(struct seq_file *m, void *v)
{
	static const char * const access[] = { "read", "write", "exec" };
	struct explain_file *x = m->private;
	struct vmscope_explanation *e = &x->e;
	const char *why = x->why;
	int err = x->question_err, i;

	if (!x->asked) {
		seq_puts(m, "# write \"PID ADDR\" to this file first\n");
		return 0;
	}
	if (!err)
		err = vmscope_explain(&x->target, x->addr, x->path, e, &why);
	if (err) {
		seq_printf(m, "# error: %s (%d)\n", why, err);
		return 0;
	}
	seq_printf(m, "# vmscope explain pid %d address 0x%lx (page 0x%lx, %u-level paging)\n",
		   x->target.nr, x->addr, e->addr, e->levels);
	show_where(m, e);
	if (e->in_vma) {
		show_walk(m, e);
		seq_printf(m, "page state=%s",
			   vmscope_page_state_name(e->page.state));
		vmscope_seq_mapcount(m, &e->page);
		vmscope_seq_order(m, &e->page);
		seq_puts(m, " flags=");
		vmscope_seq_page_flags(m, e->page.flags);
		seq_putc(m, '\n');
	}
	for (i = 0; i < ARRAY_SIZE(access); i++)
		seq_printf(m, "%-5s %-22s %s\n", access[i],
			   vmscope_fault_name(e->fault[i]),
			   vmscope_fault_text(e->fault[i]));
	return 0;
}

/* Forget the previous question; the caller holds the seq_file's lock. */
static void explain_forget(struct explain_file *x)
{
	if (x->target.pid)
		vmscope_target_close(&x->target);
	x->asked = false;
	x->question_err = 0;
}

/*
 * Resolve the PID in the writer's pid namespace and check it against the
 * opener's privileges, now: the answer read later is about this task.
 * Only the opener's own thread group may ask, as for maps and pages: the
 * permission check asks the kernel in the asker's context (target.c).
 */
static int explain_ask(struct explain_file *x, pid_t nr, unsigned long addr)
{
	int err;

	explain_forget(x);
	x->asked = true;
	if (task_tgid(current) != x->opener_tgid) {
		err = -EPERM;
		x->why = "the file was opened by another process";
	} else {
		err = vmscope_target_open(&x->target, nr, x->show_pfn,
					  x->cred, &x->why);
	}
	x->question_err = err;
	x->addr = addr;
	return err;
}

static ssize_t explain_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct explain_file *x = m->private;
	char text[QUESTION_MAX_LEN], *p = text, *tok;
	unsigned long nums[2];
	int n = 0, err;

	if (len >= sizeof(text))
		return -EINVAL;
	if (copy_from_user(text, ubuf, len))
		return -EFAULT;
	text[len] = '\0';
	while ((tok = strsep(&p, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (n == ARRAY_SIZE(nums) || vmscope_parse_number(tok, &nums[n]))
			return -EINVAL;
		n++;
	}
	if (n != 2 || !nums[0] || nums[0] > PID_MAX_LIMIT ||
	    nums[1] >= VMSCOPE_ARCH_USER_END)
		return -EINVAL;

	/* seq_file's lock also keeps readers of this file out. */
	mutex_lock(&m->lock);
	err = explain_ask(x, nums[0], nums[1]);
	m->count = 0;
	m->from = 0;
	m->index = 0;
	m->read_pos = 0;
	*ppos = 0;	/* ksys_write() stores this back into f_pos */
	mutex_unlock(&m->lock);
	return err ? err : len;
}

static int explain_open(struct inode *inode, struct file *file)
{
	struct explain_file *x = kzalloc(sizeof(*x), GFP_KERNEL);
	int err;

	if (!x)
		return -ENOMEM;
	x->show_pfn = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
	x->opener_tgid = get_pid(task_tgid(current));
	x->cred = get_cred(file->f_cred);
	err = single_open(file, explain_show, x);
	if (err) {
		put_cred(x->cred);
		put_pid(x->opener_tgid);
		kfree(x);
	}
	return err;
}

static int explain_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct explain_file *x = m->private;

	explain_forget(x);
	put_cred(x->cred);
	put_pid(x->opener_tgid);
	kfree(x);
	return single_release(inode, file);
}

const struct file_operations vmscope_explain_fops = {
	.owner = THIS_MODULE,
	.open = explain_open,
	.read = seq_read,
	.write = explain_write,
	.llseek = seq_lseek,
	.release = explain_release,
};
