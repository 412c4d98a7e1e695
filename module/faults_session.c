// SPDX-License-Identifier: GPL-2.0
/*
 * The page-fault tracer: sessions.
 *
 * Design.  A trace (a session) watches one address space, the mm its
 * target had when the trace started, pinned with mmgrab() (the struct,
 * never the memory: a trace does not keep a dead process's pages).
 * Three kinds of probe feed it (faults_probe.c): the x86 exception
 * tracepoints (every fault the CPU raises, IRQs off, before it is
 * handled), a kretprobe on handle_mm_fault() (the page before and
 * after, the VM_FAULT_* answer, and the faults no exception announces:
 * GUP, fault_in_*()), and signal:signal_generate (SIGSEGV/SIGBUS).
 * They are registered when the first trace starts and unregistered
 * when the last ends: nobody tracing costs nothing.  While a trace runs,
 * a fault of a process nobody traces costs one hash lookup of its mm in
 * an RCU-protected table (and, for handle_mm_fault(), the kprobe's own
 * cost: an int3 where KPROBES_ON_FTRACE is missing).
 *
 * Probes run where nothing may sleep or take a lock (IRQs off, int3,
 * under the siglock), so they only read the page table entry locklessly
 * (as GUP-fast does) and write fixed-size records into the session's
 * ring: the kernel's ring buffer, per CPU, NMI-safe, a fixed size
 * (FAULTS_RING_BYTES per CPU) chosen at start; when it is full a record
 * is dropped and counted, never waited for, so the target is never
 * slowed by its reader.  Everything else happens in process context, in
 * the session's work (every FAULTS_TICK while the trace runs):
 * records are merged in time order, paired per thread into events
 * (faults_event.c), classified, the IP named, redacted as the reader's
 * credentials at the start say (access.c), and unicast to the socket
 * that started the trace.  When that socket's receive buffer is full
 * the event is kept and retried at the next tick; the records behind it
 * wait in the ring, so drops happen only there and are counted.
 *
 * A trace ends (the work sends TRACE_END with its counts) when the
 * target exits or execs (seen by the work: the mm has no users, or the
 * PID's task has another mm), on FAULTS_STOP, or silently when the
 * socket closes (NETLINK_URELEASE) or refuses messages.  Each trace
 * holds a reference on the module: rmmod is refused (EBUSY) while one
 * runs.  At most FAULTS_MAX_SESSIONS traces run at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs_struct.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "faults.h"
#include "vmas.h"

#define FAULTS_TICK		msecs_to_jiffies(10)
/* How long an ending trace waits for a full socket: then it drops. */
#define FAULTS_END_TRIES	100

static DEFINE_MUTEX(faults_mutex);	/* the list, ids, count */
static LIST_HEAD(faults_sessions);
static unsigned int faults_count;
static u32 faults_next_id;
static struct workqueue_struct *faults_wq;

static void faults_session_release(struct kref *ref)
{
	kfree(container_of(ref, struct faults_session, ref));
}

/* Why the trace should end now: enum vmscope_trace_end, or -1. */
static int faults_end_reason(struct faults_session *s)
{
	struct task_struct *task;
	int reason = -1;

	if (READ_ONCE(s->stop_reason) >= 0)
		return READ_ONCE(s->stop_reason);
	/* an exec leaves the task with another mm, its old one unused */
	task = get_pid_task(s->target.pid, PIDTYPE_PID);
	if (task) {
		struct mm_struct *mm = READ_ONCE(task->mm);

		if (mm && mm != s->mm)
			reason = VMSCOPE_TRACE_END_EXECED;
		put_task_struct(task);
		if (reason >= 0)
			return reason;
	}
	if (!task || !atomic_read(&s->mm->mm_users))
		return VMSCOPE_TRACE_END_EXITED;
	return -1;
}

/* The end: no probe writes any more, the rest is delivered, all freed. */
static void faults_session_end(struct faults_session *s, int reason,
			       bool reader_gone)
{
	int ret;

	s->ended = true;
	faults_session_unpublish(s);
	if (!reader_gone) {
		ret = faults_session_drain(s, true);
		if (ret && ret != -EAGAIN)
			reader_gone = true;
		/* what could not be sent now is lost: say so */
		if (s->have_held)
			atomic64_inc(&s->dropped);
	}
	if (s->text)
		faults_text_end(s, reason);
	else if (!reader_gone && READ_ONCE(s->send_end))
		vmscope_nl_send_trace_end(s, reason);

	mutex_lock(&faults_mutex);
	list_del(&s->node);
	faults_count--;
	mutex_unlock(&faults_mutex);
	faults_probes_put();

	ring_buffer_free(s->ring);
	s->ring = NULL;
	vmscope_target_close(&s->target);
	if (s->net)
		put_net(s->net);
	put_pid_ns(s->pid_ns);
	path_put(&s->root);
	kfree(s->root_name);
	kfree(s->ip_path);
	s->ip_path = NULL;
	kfree(s->vma_path);
	s->vma_path = NULL;
}

static void faults_work(struct work_struct *work)
{
	struct faults_session *s = container_of(to_delayed_work(work),
						struct faults_session, work);
	int reason, ret;
	bool done = false;

	mutex_lock(&s->lock);
	if (s->ended) {
		mutex_unlock(&s->lock);
		return;
	}
	reason = faults_end_reason(s);
	ret = faults_session_drain(s, reason >= 0);
	if (ret < 0 && ret != -EAGAIN) {
		faults_session_end(s, reason, true);
		done = true;
	} else if (reason >= 0 &&
		   (ret != -EAGAIN || ++s->end_tries > FAULTS_END_TRIES)) {
		faults_session_end(s, reason, false);
		done = true;
	} else {
		queue_delayed_work(faults_wq, &s->work,
				   ret == 1 ? 0 : FAULTS_TICK);
	}
	mutex_unlock(&s->lock);
	if (done) {
		/*
		 * The session is off the list: nothing queues this work
		 * any more, but NETLINK_URELEASE or FAULTS_STOP may have
		 * queued it again while it ran (KASAN saw the freed work
		 * on the worklist).  Take that back before the last put.
		 */
		cancel_delayed_work(&s->work);
		kref_put(&s->ref, faults_session_release);
		/* destroy_workqueue() in faults_exit() waits for us to return */
		module_put(THIS_MODULE);
	}
}

/* Ring capacity in faults: an exception and handle_mm_fault()'s two. */
static u32 faults_ring_capacity(struct trace_buffer *ring)
{
	unsigned long bytes = 0;
	int cpu;

	for_each_online_cpu(cpu)
		bytes += ring_buffer_size(ring, cpu);
	/* each record has a 4-byte event header */
	return bytes / (3 * (sizeof(struct faults_rec) + 4));
}

static struct faults_session *faults_start(const struct faults_start_req *req,
					   const char **why, int *err)
{
	struct faults_session *s;
	int ret;

	*err = -ENOMEM;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->ip_path = kmalloc(VMSCOPE_PATH_MAX, GFP_KERNEL);
	s->vma_path = kmalloc(VMSCOPE_PATH_MAX, GFP_KERNEL);
	if (!s->ip_path || !s->vma_path) {
		ret = -ENOMEM;
		goto free;
	}
	ret = vmscope_target_open(&s->target, req->pid, req->show_pfn,
				  req->cred, why);
	if (ret)
		goto free;
	s->mm = s->target.mm;
	s->start = req->start;
	s->end = req->end;
	s->check_explain = req->check_explain;
	s->stop_reason = -1;
	s->send_end = true;
	kref_init(&s->ref);
	mutex_init(&s->lock);
	INIT_DELAYED_WORK(&s->work, faults_work);

	ret = -ENOMEM;
	s->ring = ring_buffer_alloc(FAULTS_RING_BYTES, 0);
	if (!s->ring) {
		*why = "cannot allocate the trace's ring";
		goto close;
	}
	s->ring_events = faults_ring_capacity(s->ring);

	mutex_lock(&faults_mutex);
	if (faults_count >= FAULTS_MAX_SESSIONS) {
		mutex_unlock(&faults_mutex);
		*why = "too many traces running";
		ret = -EBUSY;
		goto ring;
	}
	if (!try_module_get(THIS_MODULE)) {
		mutex_unlock(&faults_mutex);
		*why = "module is being removed";
		ret = -ENODEV;
		goto ring;
	}
	ret = faults_probes_get();
	if (ret) {
		mutex_unlock(&faults_mutex);
		module_put(THIS_MODULE);
		*why = "cannot register the fault probes";
		goto ring;
	}
	s->id = ++faults_next_id;
	s->portid = req->portid;
	s->net = req->net ? get_net(req->net) : NULL;
	s->text = req->text;
	s->pid_ns = get_pid_ns(task_active_pid_ns(current));
	get_fs_root(current->fs, &s->root);
	list_add_tail(&s->node, &faults_sessions);
	faults_count++;
	mutex_unlock(&faults_mutex);

	faults_session_publish(s);
	queue_delayed_work(faults_wq, &s->work, FAULTS_TICK);
	*err = 0;
	return s;

ring:
	ring_buffer_free(s->ring);
close:
	vmscope_target_close(&s->target);
free:
	kfree(s->ip_path);
	kfree(s->vma_path);
	kfree(s);
	*err = ret;
	return NULL;
}

int faults_session_start(const struct faults_start_req *req, u32 *id,
			 u32 *ring_events, const char **why)
{
	struct faults_session *s;
	int err;

	s = faults_start(req, why, &err);
	if (!s)
		return err;
	/* the socket's trace: the work frees it, and may do so at any time */
	*id = s->id;
	*ring_events = s->ring_events;
	return 0;
}

/* The caller owns a reference: faults_session_close() drops it. */
struct faults_session *faults_session_start_text(const struct faults_start_req *req,
						 const char **why, int *err)
{
	struct faults_session *s = faults_start(req, why, err);

	if (s)
		kref_get(&s->ref);
	return s;
}

/* Ask the work to end @s now; with @wait, until it has. */
static void faults_session_kick(struct faults_session *s, bool send_end,
				bool wait)
{
	mutex_lock(&s->lock);
	if (!s->ended) {
		WRITE_ONCE(s->send_end, send_end);
		WRITE_ONCE(s->stop_reason, VMSCOPE_TRACE_END_STOPPED);
	}
	mutex_unlock(&s->lock);
	mod_delayed_work(faults_wq, &s->work, 0);
	if (wait)
		flush_delayed_work(&s->work);
}

int faults_session_stop(struct net *net, u32 portid, u32 id)
{
	struct faults_session *s, *found = NULL;

	mutex_lock(&faults_mutex);
	list_for_each_entry(s, &faults_sessions, node) {
		if (s->id == id && s->portid == portid &&
		    net_eq(s->net, net)) {
			found = s;
			kref_get(&s->ref);
			break;
		}
	}
	mutex_unlock(&faults_mutex);
	if (!found)
		return -ENOENT;
	/* TRACE_END is sent before the ack of FAULTS_STOP */
	faults_session_kick(found, true, true);
	kref_put(&found->ref, faults_session_release);
	return 0;
}

/* The debugfs file is closed: its trace ends, no more text is written. */
void faults_session_close(struct faults_session *s)
{
	faults_session_kick(s, false, true);
	kref_put(&s->ref, faults_session_release);
}

/* The socket that started traces is closing: end them, silently. */
static int faults_netlink_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct faults_session *s;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	mutex_lock(&faults_mutex);
	list_for_each_entry(s, &faults_sessions, node) {
		if (s->portid != n->portid || !net_eq(s->net, n->net))
			continue;
		WRITE_ONCE(s->send_end, false);
		WRITE_ONCE(s->stop_reason, VMSCOPE_TRACE_END_STOPPED);
		mod_delayed_work(faults_wq, &s->work, 0);
	}
	mutex_unlock(&faults_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block faults_netlink_nb = {
	.notifier_call = faults_netlink_event,
};

int __init faults_init(void)
{
	int ret;

	faults_wq = alloc_workqueue("vmscope_faults", WQ_UNBOUND, 0);
	if (!faults_wq)
		return -ENOMEM;
	ret = netlink_register_notifier(&faults_netlink_nb);
	if (ret)
		destroy_workqueue(faults_wq);
	return ret;
}

/* Every trace holds the module: none runs any more, some work may return. */
void faults_exit(void)
{
	netlink_unregister_notifier(&faults_netlink_nb);
	destroy_workqueue(faults_wq);
	faults_probes_exit();
}
