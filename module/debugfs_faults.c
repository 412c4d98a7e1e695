// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "faults": write "PID [START-END]", then read: one line per page
 * fault of that process, blocking like trace_pipe, and a last line when
 * the trace ends (docs/debugfs.md).  Closing the file ends the trace.
 *
 * The trace is the netlink one (faults_session.c) with another sink:
 * the session's work formats each event into this file's FIFO, a fixed
 * FAULTS_TEXT_BYTES; when the FIFO is full the event waits, and the
 * records behind it wait in the trace's ring, which drops and counts.
 * Privileges are the opener's, captured at open (CAP_PERFMON to trace,
 * as perf), and the PID is checked when written, as for the other files.
 * A refused write leaves its reason for the next read ("# error: ...").
 *
 * Closing the file ends its trace synchronously: faults_session_close()
 * returns once the session has released the sink, so ->release() may
 * free the FIFO whatever the session's work was doing.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/wait.h>

#include "arch.h"
#include "debugfs_query.h"
#include "faults_sink.h"
#include "names.h"
#include "pages.h"
#include "vmas.h"
#include "uapi/vmscope_names.h"

#define FAULTS_TEXT_BYTES	(64 * 1024)
#define FAULTS_LINE_MAX		(VMSCOPE_PATH_MAX + 512)
#define FAULTS_QUESTION_MAX	64
#define FAULTS_END_ROOM		128
#define FAULTS_ERROR_MAX	256

struct faults_text {
	struct faults_sink sink;
	DECLARE_KFIFO_PTR(fifo, char);	/* written by the sink's calls only */
	wait_queue_head_t wait;
	bool ended;			/* the last line is in the FIFO */
	char *line;			/* the work's formatting buffer */
};

struct faults_file {
	struct mutex lock;		/* readers, writers */
	bool show_pfn;
	bool perfmon;			/* CAP_PERFMON or CAP_SYS_ADMIN */
	bool admin;			/* CAP_SYS_ADMIN */
	const struct cred *cred;	/* the opener's */
	struct pid *opener_tgid;
	struct faults_text text;
	struct faults_session *s;	/* once a PID was written */
	int err;			/* the write was refused: why */
	const char *why;
};

static const char * const faults_access_names[] = VMSCOPE_ACCESS_NAMES;
static const char * const faults_end_names[] = VMSCOPE_TRACE_END_NAMES;
static const struct vmscope_flag_name faults_page_flags[] =
	VMSCOPE_PAGE_FLAG_NAMES;

static int faults_put_page(char *buf, size_t size, const char *label,
			   const struct vmscope_page *p)
{
	const struct vmscope_flag_name *f;
	int n = scnprintf(buf, size, " %s=%s", label,
			  vmscope_page_state_name(p->state));
	const char *sep = "[";

	for (f = faults_page_flags; f->name; f++) {
		if (!(p->flags & f->bit))
			continue;
		n += scnprintf(buf + n, size - n, "%s%s", sep, f->name);
		sep = ",";
	}
	if (*sep == ',')
		n += scnprintf(buf + n, size - n, "]");
	if (vmscope_page_has_pfn(p) && p->pfn)
		n += scnprintf(buf + n, size - n, ",pfn=0x%llx", p->pfn);
	return n;
}

/*
 * TIME TID ADDR ACCESS[,kernel][,gup] ip=PATH+0xOFF before=... after=...
 * OUTCOME: one line per event.  -EAGAIN when the FIFO has no room.
 */
static int faults_text_send(struct faults_sink *sink,
			    const struct faults_event *ev)
{
	struct faults_text *t = container_of(sink, struct faults_text, sink);
	char *b = t->line;
	size_t size = FAULTS_LINE_MAX;
	u32 nsec;
	u64 sec = div_u64_rem(ev->time, NSEC_PER_SEC, &nsec);
	int n;

	n = scnprintf(b, size, "%llu.%09u %u 0x%llx %s%s%s%s ",
		      sec, nsec,
		      ev->tid, ev->addr,
		      ev->access < ARRAY_SIZE(faults_access_names) ?
		      faults_access_names[ev->access] : "?",
		      ev->flags & VMSCOPE_FAULT_F_USER ? "" : ",kernel",
		      ev->flags & VMSCOPE_FAULT_F_GUP ? ",gup" : "",
		      ev->flags & VMSCOPE_FAULT_F_PROT ? ",prot" : "");
	if (ev->has_ip_path) {
		/* the rest of the line keeps its room */
		n += scnprintf(b + n, size - n, "ip=");
		n += vmscope_escape_path(b + n, VMSCOPE_PATH_MAX, ev->ip_path);
		n += scnprintf(b + n, size - n, "+0x%llx", ev->ip_offset);
	} else {
		n += scnprintf(b + n, size - n, "ip=0x%llx", ev->ip);
	}
	if (ev->has_before)
		n += faults_put_page(b + n, size - n, "before", &ev->before);
	if (ev->has_after)
		n += faults_put_page(b + n, size - n, "after", &ev->after);
	n += scnprintf(b + n, size - n, " %s", vmscope_fault_name(ev->outcome));
	if (ev->has_predicted)
		n += scnprintf(b + n, size - n, " predicted=%s%s",
			       vmscope_fault_name(ev->predicted),
			       ev->flags & VMSCOPE_FAULT_F_MISPREDICTED ?
			       ",MISPREDICTED" : "");
	n += scnprintf(b + n, size - n, "\n");
	/* the end line's room is never given to events */
	if (kfifo_avail(&t->fifo) < n + FAULTS_END_ROOM)
		return -EAGAIN;
	kfifo_in(&t->fifo, b, n);
	wake_up_interruptible(&t->wait);
	return 0;
}

/* The last line: it fits, the FIFO keeps room for it. */
static int faults_text_end(struct faults_sink *sink,
			   const struct faults_end *end)
{
	struct faults_text *t = container_of(sink, struct faults_text, sink);
	int n;

	n = scnprintf(t->line, FAULTS_LINE_MAX,
		      "# end: events=%llu dropped=%llu missed=%llu reason=%s\n",
		      end->events, end->dropped, end->missed,
		      end->reason < ARRAY_SIZE(faults_end_names) ?
		      faults_end_names[end->reason] : "?");
	kfifo_in(&t->fifo, t->line, min_t(unsigned int, n,
					  kfifo_avail(&t->fifo)));
	WRITE_ONCE(t->ended, true);
	wake_up_interruptible(&t->wait);
	return 0;
}

/* The file owns the FIFO: ->release() frees it, after the session let go. */
static void faults_text_release(struct faults_sink *sink)
{
}

static const struct faults_sink_ops faults_text_ops = {
	.deliver = faults_text_send,
	.end = faults_text_end,
	.release = faults_text_release,
};

static int faults_open(struct inode *inode, struct file *file)
{
	struct faults_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->text.line = kmalloc(FAULTS_LINE_MAX, GFP_KERNEL);
	if (!f->text.line ||
	    kfifo_alloc(&f->text.fifo, FAULTS_TEXT_BYTES, GFP_KERNEL)) {
		kfree(f->text.line);
		kfree(f);
		return -ENOMEM;
	}
	init_waitqueue_head(&f->text.wait);
	mutex_init(&f->lock);
	f->text.sink.ops = &faults_text_ops;
	f->text.sink.owner = f;
	f->admin = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
	f->show_pfn = f->admin;
	f->perfmon = f->admin ||
		     file_ns_capable(file, &init_user_ns, CAP_PERFMON);
	f->opener_tgid = get_pid(task_tgid(current));
	f->cred = get_cred(file->f_cred);
	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int faults_release(struct inode *inode, struct file *file)
{
	struct faults_file *f = file->private_data;

	if (f->s)
		faults_session_close(f->s);
	kfifo_free(&f->text.fifo);
	kfree(f->text.line);
	put_cred(f->cred);
	put_pid(f->opener_tgid);
	kfree(f);
	return 0;
}

/* "PID" or "PID START-END" (hex with 0x, or decimal). */
static int faults_parse(char *text, unsigned long *pid, unsigned long *start,
			unsigned long *end)
{
	char *p = text, *tok, *range = NULL;
	int n = 0;

	while ((tok = strsep(&p, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (n == 0 && vmscope_parse_number(tok, pid))
			return -EINVAL;
		if (n == 1)
			range = tok;
		if (n++ > 1)
			return -EINVAL;
	}
	if (!n || !*pid || *pid > PID_MAX_LIMIT)
		return -EINVAL;
	*start = 0;
	*end = VMSCOPE_ARCH_USER_END;
	if (range) {
		char *dash = strchr(range, '-');

		if (!dash)
			return -EINVAL;
		*dash = '\0';
		if (vmscope_parse_number(range, start) ||
		    vmscope_parse_number(dash + 1, end))
			return -EINVAL;
	}
	if (!PAGE_ALIGNED(*start) || !PAGE_ALIGNED(*end) || *start >= *end ||
	    *end > VMSCOPE_ARCH_USER_END)
		return -EINVAL;
	return 0;
}

static ssize_t faults_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct faults_file *f = file->private_data;
	struct faults_start_req req = {};
	char text[FAULTS_QUESTION_MAX];
	unsigned long pid, start, end;
	u32 id, ring_events;
	int err;

	if (len >= sizeof(text))
		return -EINVAL;
	if (copy_from_user(text, ubuf, len))
		return -EFAULT;
	text[len] = '\0';
	err = faults_parse(text, &pid, &start, &end);
	if (err)
		return err;

	mutex_lock(&f->lock);
	if (f->s) {
		err = -EBUSY;		/* one trace per open file */
		f->why = "this file traces already: open it again";
	} else if (task_tgid(current) != f->opener_tgid) {
		/* The opener's context: see vmscope_target_open(). */
		err = -EPERM;
		f->why = "the file was opened by another process";
	} else {
		req.pid = pid;
		req.start = start;
		req.end = end;
		req.show_pfn = f->show_pfn;
		req.perfmon = f->perfmon;
		req.admin = f->admin;
		req.cred = f->cred;
		req.sink = &f->text.sink;
		f->why = "cannot trace this process";
		err = faults_session_start(&req, &id, &ring_events, &f->s,
					   &f->why);
	}
	f->err = err;
	mutex_unlock(&f->lock);
	return err ? err : len;
}

/* No trace: the last write's refusal as one "# error:" line, or EINVAL. */
static ssize_t faults_read_error(struct faults_file *f, char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char line[FAULTS_ERROR_MAX];
	int err, n = 0;

	mutex_lock(&f->lock);
	err = f->err;
	if (err)
		n = scnprintf(line, sizeof(line), "# error: %s (%d)\n",
			      f->why, err);
	mutex_unlock(&f->lock);
	if (!err)
		return -EINVAL;		/* write a PID first */
	return simple_read_from_buffer(ubuf, len, ppos, line, n);
}

static ssize_t faults_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	struct faults_file *f = file->private_data;
	struct faults_text *t = &f->text;
	unsigned int copied;
	int err;

	if (!f->s)
		return faults_read_error(f, ubuf, len, ppos);
	for (;;) {
		if (!kfifo_is_empty(&t->fifo))
			break;
		if (READ_ONCE(t->ended))
			return 0;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(t->wait,
					       !kfifo_is_empty(&t->fifo) ||
					       READ_ONCE(t->ended));
		if (err)
			return err;
	}
	mutex_lock(&f->lock);
	err = kfifo_to_user(&t->fifo, ubuf, len, &copied);
	mutex_unlock(&f->lock);
	return err ? err : copied;
}

static __poll_t faults_poll(struct file *file, poll_table *wait)
{
	struct faults_file *f = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &f->text.wait, wait);
	if (!kfifo_is_empty(&f->text.fifo) || READ_ONCE(f->text.ended))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

const struct file_operations vmscope_faults_fops = {
	.owner = THIS_MODULE,
	.open = faults_open,
	.release = faults_release,
	.read = faults_read,
	.write = faults_write,
	.poll = faults_poll,
};
