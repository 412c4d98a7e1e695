// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "maps" and "pages": write a question, read the answer on the
 * same file descriptor (docs/debugfs.md).
 *
 * Each open file has its own question and cursor, so readers do not
 * disturb each other.  The answer streams through seq_file one record at
 * a time; the walker takes and drops the target's mmap lock inside each
 * refill, so no mmap or page-table lock is held when seq_file copies to
 * user space.  Privileges are those of the opener, captured at open, as
 * /proc/PID/pagemap does; questions are taken only from the opener's
 * thread group, in whose context the kernel is asked whether the opener
 * could read the target's pagemap (target.c).
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
#include "names.h"
#include "pages.h"
#include "target.h"
#include "vmas.h"

#define QUERY_MAX_LEN	128
#define PAGES_BATCH	64

enum query_kind { QUERY_MAPS, QUERY_PAGES };

struct query {
	enum query_kind kind;
	/* The opener's view, fixed at open. */
	bool show_pfn;
	const struct cred *cred;	/* the opener's */
	struct pid *opener_tgid;

	/* The question. */
	bool asked;
	int question_err;	/* the question was refused: header says why */
	int answer_err;		/* answering failed: reads return it */
	const char *why;
	unsigned long start, end;
	bool runs;
	struct vmscope_target target;

	/* The answer so far: record @index is the one "current" holds. */
	loff_t index;
	bool current_valid;
	bool done;
	struct vmscope_vma_cursor vmas;
	struct vmscope_vma_info vma;
	struct vmscope_page_cursor pages;
	struct vmscope_page *batch;
	unsigned int batch_nr, batch_pos;
};

static void query_forget(struct query *q)
{
	if (q->target.pid)
		vmscope_target_close(&q->target);
	vmscope_vma_cursor_destroy(&q->vmas);
	q->asked = false;
	q->question_err = 0;
	q->answer_err = 0;
	q->current_valid = false;
	q->done = false;
	q->index = 0;
	q->batch_nr = 0;
	q->batch_pos = 0;
}

/* Start answering the question in q (target, range) from the top. */
static int query_begin(struct query *q)
{
	int err = 0;

	q->index = 0;
	q->done = false;
	q->current_valid = false;
	q->batch_nr = 0;
	q->batch_pos = 0;
	if (q->kind == QUERY_MAPS) {
		vmscope_vma_cursor_destroy(&q->vmas);
		err = vmscope_vma_cursor_init(&q->vmas, &q->target, true);
	} else {
		vmscope_page_cursor_init(&q->pages, &q->target, q->start,
					 q->end, q->runs);
	}
	if (err) {
		q->why = "out of memory";
		q->answer_err = err;
	}
	return err;
}

static int query_refuse(struct query *q, int err, const char *why)
{
	query_forget(q);
	q->asked = true;
	q->question_err = err;
	q->why = why;
	return err;
}

static int query_ask(struct query *q, pid_t nr, unsigned long start,
		     unsigned long end, bool runs)
{
	int err;

	const char *why;

	query_forget(q);
	/* The opener's context: see vmscope_target_open(). */
	if (task_tgid(current) != q->opener_tgid)
		return query_refuse(q, -EPERM,
				    "the file was opened by another process");
	err = vmscope_target_open(&q->target, nr, q->show_pfn, q->cred, &why);
	if (err)
		return query_refuse(q, err, why);
	q->asked = true;
	q->start = start;
	q->end = end;
	q->runs = runs;
	return query_begin(q);
}

/* Next record into q's "current" slot; false at the end or on error. */
static bool query_advance(struct query *q)
{
	int n;

	if (q->done || q->answer_err)
		return false;
	if (q->kind == QUERY_MAPS) {
		n = vmscope_vmas_next(&q->vmas, &q->vma, &q->why);
	} else if (++q->batch_pos < q->batch_nr) {
		n = 1;
	} else {
		n = vmscope_pages_next(&q->pages, q->batch, PAGES_BATCH,
				       &q->why);
		q->batch_nr = max(n, 0);
		q->batch_pos = 0;
	}
	if (n < 0)
		q->answer_err = n;
	q->done = n == 0;
	q->current_valid = n > 0;
	return q->current_valid;
}

static void *answer_error(struct query *q)
{
	return q->answer_err ? ERR_PTR(q->answer_err) : NULL;
}

/* Record 0 is the header; records 1.. are VMAs or page runs. */
static void *query_start(struct seq_file *m, loff_t *pos)
{
	struct query *q = m->private;

	if (!q->asked)
		query_ask(q, task_tgid_vnr(current), 0, VMSCOPE_ARCH_USER_END, false);
	if (q->question_err)
		return *pos == 0 ? SEQ_START_TOKEN : NULL;
	if (*pos < q->index || (*pos == 0 && q->index)) {
		/* Read again from the top (lseek): answer again. */
		if (query_begin(q))
			return answer_error(q);
	}
	if (*pos == 0)
		return SEQ_START_TOKEN;
	if (q->answer_err)
		return answer_error(q);
	while (q->index < *pos || !q->current_valid) {
		if (!query_advance(q))
			return answer_error(q);
		q->index++;
	}
	return q;
}

static void *query_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct query *q = m->private;

	++*pos;
	if (q->question_err || !query_advance(q))
		return answer_error(q);
	q->index = *pos;
	return q;
}

static void query_stop(struct seq_file *m, void *v)
{
}

static void show_header(struct seq_file *m, struct query *q)
{
	if (q->question_err) {
		seq_printf(m, "# error: %s (%d)\n", q->why, q->question_err);
		return;
	}
	if (q->kind == QUERY_MAPS) {
		seq_printf(m, "# vmscope maps pid %d: START-END PERMS OFFSET MAJ:MIN INODE kind= flags= page counts (none present swap cache hidden zero thp cow excl other) pss_kb= PATH\n",
			   q->target.nr);
		return;
	}
	seq_printf(m, "# vmscope pages pid %d range 0x%lx-0x%lx: %s; START-END STATE pages= [pfn=] [swap_type= swap_offset=] mapcount= order= level= flags=\n",
		   q->target.nr, q->start, q->end,
		   q->runs ? "runs (pfn/swap_offset of the first page)" :
			     "exact runs (pfn and swap_offset advance by one per page)");
}

static void show_vma(struct seq_file *m, const struct vmscope_vma_info *v)
{
	const struct vmscope_counts *n = &v->counts;

	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %llu kind=%s flags=",
		   v->start, v->end,
		   v->flags & VMSCOPE_VMA_F_READ ? 'r' : '-',
		   v->flags & VMSCOPE_VMA_F_WRITE ? 'w' : '-',
		   v->flags & VMSCOPE_VMA_F_EXEC ? 'x' : '-',
		   v->flags & VMSCOPE_VMA_F_SHARED ? 's' : 'p',
		   v->pgoff_bytes, v->dev_major, v->dev_minor, v->inode,
		   vmscope_vma_kind_name(v->kind));
	vmscope_seq_vma_flags(m, v->flags);
	seq_printf(m, " none=%llu present=%llu swap=%llu cache=%llu hidden=%llu zero=%llu",
		   n->none, n->present, n->swap, n->page_cache,
		   n->cache_hidden, n->zero);
	/* hidden bits (access.c): "-", not zero */
	if (n->bits_hidden)
		seq_puts(m, " thp=- cow=- excl=-");
	else
		seq_printf(m, " thp=%llu cow=%llu excl=%llu", n->thp, n->cow,
			   n->exclusive);
	seq_printf(m, " other=%llu pss_kb=%llu ", n->other,
		   n->pss_bytes >> 10);
	vmscope_seq_path(m, v->path);
	seq_putc(m, '\n');
}

static void show_page(struct seq_file *m, const struct query *q,
		      const struct vmscope_page *p)
{
	seq_printf(m, "%016lx-%016lx %s pages=%lu", p->addr,
		   p->addr + p->nr * PAGE_SIZE,
		   vmscope_page_state_name(p->state), p->nr);
	if (q->show_pfn && vmscope_page_has_pfn(p))
		seq_printf(m, " pfn=0x%llx", p->pfn);
	if (q->show_pfn && vmscope_page_has_swap(p))
		seq_printf(m, " swap_type=%u swap_offset=0x%llx", p->swap_type,
			   p->swap_offset);
	vmscope_seq_mapcount(m, p);
	vmscope_seq_order(m, p);
	seq_printf(m, " level=%s flags=", vmscope_level_name(p->level));
	vmscope_seq_page_flags(m, p->flags);
	seq_putc(m, '\n');
}

static int query_show(struct seq_file *m, void *v)
{
	struct query *q = m->private;

	if (v == SEQ_START_TOKEN)
		show_header(m, q);
	else if (q->kind == QUERY_MAPS)
		show_vma(m, &q->vma);
	else
		show_page(m, q, &q->batch[q->batch_pos]);
	return 0;
}

static const struct seq_operations query_seq_ops = {
	.start = query_start,
	.next = query_next,
	.stop = query_stop,
	.show = query_show,
};

/* "PID [START END] [runs]" */
static int parse_question(struct query *q, char *text)
{
	unsigned long nums[3], start = 0, end = VMSCOPE_ARCH_USER_END;
	bool runs = false;
	const char *why;
	int n = 0, err;
	char *tok;

	while ((tok = strsep(&text, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (q->kind == QUERY_PAGES && !runs && !strcmp(tok, "runs")) {
			runs = true;
			continue;
		}
		if (n == ARRAY_SIZE(nums) || vmscope_parse_number(tok, &nums[n]))
			goto bad;
		n++;
	}
	if (n == 0 || n == 2 || (q->kind == QUERY_MAPS && n != 1) ||
	    nums[0] > PID_MAX_LIMIT)
		goto bad;
	if (n == 3) {
		start = nums[1];
		end = nums[2];
		err = vmscope_check_range(start, end, &why);
		if (err)
			return query_refuse(q, err, why);
	}
	return query_ask(q, nums[0], start, end, runs);
bad:
	return query_refuse(q, -EINVAL, q->kind == QUERY_MAPS ?
			    "expected: PID" : "expected: PID [START END] [runs]");
}

static ssize_t query_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct query *q = m->private;
	char text[QUERY_MAX_LEN];
	int err = 0;

	if (len >= sizeof(text))
		err = -EINVAL;
	else if (copy_from_user(text, ubuf, len))
		err = -EFAULT;
	else
		text[len] = '\0';

	/* seq_file's lock also keeps readers of this file out. */
	mutex_lock(&m->lock);
	if (err)
		query_refuse(q, err, err == -EINVAL ? "question too long" :
				     "bad question buffer");
	else
		err = parse_question(q, text);
	/* The answer starts over, and so does the file position. */
	m->index = 0;
	m->count = 0;
	m->from = 0;
	m->read_pos = 0;
	*ppos = 0;	/* ksys_write() stores this back into f_pos */
	mutex_unlock(&m->lock);
	return err ? err : len;
}

static int query_open(struct inode *inode, struct file *file,
		      enum query_kind kind)
{
	struct query *q;

	q = __seq_open_private(file, &query_seq_ops, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->kind = kind;
	q->show_pfn = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
	q->opener_tgid = get_pid(task_tgid(current));
	q->cred = get_cred(file->f_cred);
	if (kind == QUERY_PAGES) {
		q->batch = kmalloc_array(PAGES_BATCH, sizeof(*q->batch),
					 GFP_KERNEL);
		if (!q->batch) {
			put_cred(q->cred);
			put_pid(q->opener_tgid);
			seq_release_private(inode, file);
			return -ENOMEM;
		}
	}
	return 0;
}

static int query_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct query *q = m->private;

	query_forget(q);
	kfree(q->batch);
	put_cred(q->cred);
	put_pid(q->opener_tgid);
	return seq_release_private(inode, file);
}

static int maps_open(struct inode *inode, struct file *file)
{
	return query_open(inode, file, QUERY_MAPS);
}

static int pages_open(struct inode *inode, struct file *file)
{
	return query_open(inode, file, QUERY_PAGES);
}

const struct file_operations vmscope_maps_fops = {
	.owner = THIS_MODULE,
	.open = maps_open,
	.read = seq_read,
	.write = query_write,
	.llseek = seq_lseek,
	.release = query_release,
};

const struct file_operations vmscope_pages_fops = {
	.owner = THIS_MODULE,
	.open = pages_open,
	.read = seq_read,
	.write = query_write,
	.llseek = seq_lseek,
	.release = query_release,
};
