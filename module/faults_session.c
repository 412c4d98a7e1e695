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
 * credentials at the start say (access.c), and handed to the trace's
 * sink (faults_sink.h): the netlink socket that started it, or the
 * debugfs file's FIFO.  When the sink has no room the event is kept and
 * retried at the next tick; the records behind it wait in the ring, so
 * drops happen only there and are counted.
 *
 * A trace ends when the target exits or execs (seen by the work: the mm
 * has no users, or the PID's task has another mm) or on FAULTS_STOP:
 * the probes stop writing, the rest is delivered, and TRACE_END with
 * the counts (faults_step() says how a stalled reader is handled).  It
 * ends silently, at once, when its reader is gone (the socket closed,
 * the debugfs file closed).  Who may trace (CAP_PERFMON, as perf) and
 * how many traces a user may run is checked before anything is
 * allocated.  Each trace holds a reference on the module: rmmod is
 * refused (EBUSY) while one runs.  docs/reliability.md has the life of
 * a session, from start to free.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs_struct.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "compat.h"
#include "faults.h"
#include "vmas.h"

#define FAULTS_TICK		msecs_to_jiffies(10)
/* An ended trace whose reader took nothing for this long: discard the rest. */
#define FAULTS_STALL		HZ
/* How often the end is offered to a reader that takes nothing. */
#define FAULTS_END_RETRY	(HZ / 10)
/* Traces only CAP_SYS_ADMIN may start: users cannot lock root out. */
#define FAULTS_ADMIN_RESERVE	16

static bool faults_unprivileged;
module_param(faults_unprivileged, bool, 0644);
MODULE_PARM_DESC(faults_unprivileged,
		 "let users without CAP_PERFMON trace their own processes (teaching VMs; default off, as perf_event_paranoid)");

static unsigned int faults_max_per_user = 8;
module_param(faults_max_per_user, uint, 0644);
MODULE_PARM_DESC(faults_max_per_user,
		 "traces one user may run at once (CAP_SYS_ADMIN: no limit but the global one)");

static DEFINE_MUTEX(faults_mutex);	/* the list, ids, count, ->sink */
static LIST_HEAD(faults_sessions);
static unsigned int faults_count;
static u32 faults_next_id;
static struct workqueue_struct *faults_wq;

static void faults_session_release(struct kref *ref)
{
	kfree(container_of(ref, struct faults_session, ref));
}

int faults_may_trace(bool perfmon, const char **why)
{
	if (perfmon || READ_ONCE(faults_unprivileged))
		return 0;
	/* vmscope.faults_unprivileged=1 would allow own processes */
	*why = "tracing page faults needs CAP_PERFMON or CAP_SYS_ADMIN, as perf";
	return -EPERM;
}

/* With vmscope.faults_unprivileged: the target runs as the caller, wholly. */
static int faults_own_process(const struct faults_session *s,
			      const struct cred *cred, const char **why)
{
	struct task_struct *task = get_pid_task(s->target.pid, PIDTYPE_PID);
	const struct cred *tcred;
	bool own;

	if (!task) {
		*why = "no such process";
		return -ESRCH;
	}
	rcu_read_lock();
	tcred = __task_cred(task);
	own = uid_eq(tcred->uid, cred->uid) && uid_eq(tcred->euid, cred->uid) &&
	      uid_eq(tcred->suid, cred->uid);
	rcu_read_unlock();
	put_task_struct(task);
	if (own)
		return 0;
	*why = "without CAP_PERFMON only your own processes may be traced";
	return -EPERM;
}

/* Room for one more trace of @uid?  Under faults_mutex. */
static int faults_room(kuid_t uid, bool admin, const char **why)
{
	struct faults_session *s;
	unsigned int mine = 0;

	if (faults_count >= FAULTS_MAX_SESSIONS ||
	    (!admin && faults_count >= FAULTS_MAX_SESSIONS - FAULTS_ADMIN_RESERVE)) {
		*why = "too many traces running";
		return -EBUSY;
	}
	if (admin)
		return 0;
	list_for_each_entry(s, &faults_sessions, node)
		mine += uid_eq(s->uid, uid);
	if (mine >= READ_ONCE(faults_max_per_user)) {
		*why = "too many traces of this user (vmscope.faults_max_per_user)";
		return -EBUSY;
	}
	return 0;
}

/* Why the trace should end now: enum vmscope_trace_end, or -1. */
static int faults_end_reason(struct faults_session *s)
{
	struct task_struct *task;
	int reason = -1;

	if (s->stop_reason >= 0)
		return s->stop_reason;
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

/*
 * Under s->lock, from faults_event.c.  Once the reader stalled at the
 * end, each event is counted as dropped instead (it takes a SEQ number:
 * no event follows it, TRACE_END's DROPPED says how many).
 */
int faults_sink_deliver(struct faults_session *s, const struct faults_event *ev)
{
	int ret;

	if (s->discard) {
		atomic64_inc(&s->dropped);
		return 0;
	}
	ret = s->sink->ops->deliver(s->sink, ev);
	if (!ret)
		s->delivered++;
	return ret;
}

static void faults_unpublish(struct faults_session *s)
{
	if (!s->published)
		return;
	faults_session_unpublish(s);
	s->published = false;
}

/*
 * Under s->lock: nothing runs for @s any more, the sink is released, all
 * is freed but the struct.  The caller then calls faults_session_retire().
 */
static void faults_session_finish(struct faults_session *s)
{
	struct faults_sink *sink = s->sink;

	s->finished = true;
	faults_unpublish(s);
	mutex_lock(&faults_mutex);
	list_del(&s->node);
	faults_count--;
	s->sink = NULL;
	mutex_unlock(&faults_mutex);
	sink->ops->release(sink);
	faults_probes_put();

	if (s->ring)
		ring_buffer_free(s->ring);
	s->ring = NULL;
	vmscope_target_close(&s->target);
	put_pid_ns(s->pid_ns);
	path_put(&s->root);
	kfree(s->root_name);
	kfree(s->ip_path);
	s->ip_path = NULL;
	kfree(s->vma_path);
	s->vma_path = NULL;
}

/*
 * After faults_session_finish(), without s->lock: the work is not queued
 * again (nothing queues a finished session, and nothing finds it off the
 * list), so take back a queueing that raced, drop the list's reference
 * and the module.  From the work itself the work cannot be waited for;
 * it returns right after (destroy_workqueue() in faults_exit() waits).
 */
static void faults_session_retire(struct faults_session *s, bool in_work)
{
	if (in_work)
		cancel_delayed_work(&s->work);
	else
		cancel_delayed_work_sync(&s->work);
	kref_put(&s->ref, faults_session_release);
	module_put(THIS_MODULE);
}

/* The reader stalled at the end: what is left is counted, not sent. */
static void faults_discard(struct faults_session *s)
{
	s->discard = true;
	if (s->have_held) {
		s->have_held = false;
		atomic64_inc(&s->dropped);
	}
	faults_session_drain(s, true);
}

/*
 * One step of the trace, under s->lock: deliver, notice the end, send it.
 * true when the session is finished.
 *
 * The end: the probes stop writing (unpublished), everything in the ring
 * and the pending faults is delivered at the reader's pace; if the reader
 * takes nothing for FAULTS_STALL, the rest is counted as dropped, one by
 * one, and the ring is freed.  Then TRACE_END (with the counts) is offered
 * until the reader takes it or is gone: a reader that reads at all gets
 * it.  A reader that is gone ends the trace silently, at once.
 */
static bool faults_step(struct faults_session *s)
{
	struct faults_end end;
	int ret;

	if (s->sink->ops->gone && s->sink->ops->gone(s->sink))
		goto finish;
	if (s->end_reason < 0) {
		s->end_reason = faults_end_reason(s);
		if (s->end_reason >= 0) {
			faults_unpublish(s);
			s->stall_since = jiffies;
			s->stall_delivered = s->delivered;
		}
	}
	s->busy = false;
	if (s->ring) {
		ret = faults_session_drain(s, s->end_reason >= 0);
		if (ret < 0 && ret != -EAGAIN)
			goto finish;
		if (s->end_reason < 0) {
			s->busy = ret == 1;
			return false;
		}
		if (ret == -EAGAIN) {
			if (s->delivered != s->stall_delivered) {
				s->stall_delivered = s->delivered;
				s->stall_since = jiffies;
				return false;
			}
			if (time_before(jiffies, s->stall_since + FAULTS_STALL))
				return false;
			faults_discard(s);
		}
		ring_buffer_free(s->ring);
		s->ring = NULL;
	}
	end = (struct faults_end){
		.id = s->id,
		.reason = s->end_reason,
		.ring_events = s->ring_events,
		.events = s->delivered,
		.dropped = atomic64_read(&s->dropped),
		.missed = faults_probes_missed() - s->missed_base,
	};
	ret = s->sink->ops->end(s->sink, &end);
	if (ret == -EAGAIN)
		return false;
finish:
	faults_session_finish(s);
	return true;
}

/*
 * Queue the work: @now, or after @delay unless already queued.  Under
 * s->lock, never once finished.
 */
static void faults_session_queue(struct faults_session *s, bool now,
				 unsigned long delay)
{
	if (s->finished)
		return;
	if (now)
		mod_delayed_work(faults_wq, &s->work, 0);
	else
		queue_delayed_work(faults_wq, &s->work, delay);
}

static void faults_work(struct work_struct *work)
{
	struct faults_session *s = container_of(to_delayed_work(work),
						struct faults_session, work);
	bool done = false;

	mutex_lock(&s->lock);
	if (!s->finished) {
		done = faults_step(s);
		if (!done)
			faults_session_queue(s, s->busy, s->ring ?
					     FAULTS_TICK : FAULTS_END_RETRY);
	}
	mutex_unlock(&s->lock);
	if (done)
		faults_session_retire(s, true);
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
	kuid_t uid = req->cred->uid;
	struct faults_session *s;
	int ret;

	/* the cheap refusals first: nothing allocated for them */
	ret = faults_may_trace(req->perfmon, why);
	if (ret)
		goto out;
	mutex_lock(&faults_mutex);
	ret = faults_room(uid, req->admin, why);
	mutex_unlock(&faults_mutex);
	if (ret)
		goto out;

	ret = -ENOMEM;
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		goto out;
	s->ip_path = kmalloc(VMSCOPE_PATH_MAX, GFP_KERNEL_ACCOUNT);
	s->vma_path = kmalloc(VMSCOPE_PATH_MAX, GFP_KERNEL_ACCOUNT);
	if (!s->ip_path || !s->vma_path)
		goto free;
	ret = vmscope_target_open_as(&s->target, req->pid, req->show_pfn,
				     req->cred, req->opener, why);
	if (ret)
		goto free;
	if (!req->perfmon) {
		ret = faults_own_process(s, req->cred, why);
		if (ret)
			goto close;
	}
	s->mm = s->target.mm;
	s->uid = uid;
	s->start = req->start;
	s->end = req->end;
	s->check_explain = req->check_explain;
	s->stop_reason = -1;
	s->end_reason = -1;
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
	ret = faults_room(uid, req->admin, why);
	if (ret) {
		mutex_unlock(&faults_mutex);
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
	req->sink->id = s->id;
	req->sink->show_pfn = req->show_pfn;
	s->sink = req->sink;
	s->pid_ns = get_pid_ns(task_active_pid_ns(current));
	get_fs_root(current->fs, &s->root);
	s->missed_base = faults_probes_missed();
	list_add_tail(&s->node, &faults_sessions);
	faults_count++;
	mutex_unlock(&faults_mutex);

	mutex_lock(&s->lock);
	faults_session_publish(s);
	s->published = true;
	faults_session_queue(s, false, FAULTS_TICK);
	mutex_unlock(&s->lock);
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
out:
	req->sink->ops->release(req->sink);
	*err = ret;
	return NULL;
}

/*
 * Start a trace for req->sink.  With @sp the caller gets a reference and
 * ends the trace with faults_session_close(); without, the session ends
 * on its own (target gone, FAULTS_STOP, the sink gone) and may be freed
 * at any time after this returns.
 */
int faults_session_start(const struct faults_start_req *req, u32 *id,
			 u32 *ring_events, struct faults_session **sp,
			 const char **why)
{
	struct faults_session *s;
	int err;

	s = faults_start(req, why, &err);
	if (!s)
		return err;
	*id = s->id;
	*ring_events = s->ring_events;
	if (sp) {
		kref_get(&s->ref);
		*sp = s;
	}
	return 0;
}

/*
 * FAULTS_STOP: the end is set and one step runs here, so what fits in the
 * reader's socket, TRACE_END included, is sent before the answer.  What
 * does not fit follows from the work; the caller does not wait for it (it
 * is the reader, blocked in its own request).
 */
int faults_session_stop(const void *owner, u32 id)
{
	struct faults_session *s, *found = NULL;
	bool done = false;

	mutex_lock(&faults_mutex);
	list_for_each_entry(s, &faults_sessions, node) {
		if (s->id == id && s->sink && s->sink->owner == owner) {
			found = s;
			kref_get(&s->ref);
			break;
		}
	}
	mutex_unlock(&faults_mutex);
	if (!found)
		return -ENOENT;
	s = found;
	mutex_lock(&s->lock);
	if (!s->finished) {
		if (s->stop_reason < 0)
			s->stop_reason = VMSCOPE_TRACE_END_STOPPED;
		done = faults_step(s);
		if (!done)
			faults_session_queue(s, true, 0);
	}
	mutex_unlock(&s->lock);
	if (done)
		faults_session_retire(s, false);
	kref_put(&s->ref, faults_session_release);
	return 0;
}

/*
 * The reader is gone (the debugfs file is closed): the trace ends now,
 * without a word to the reader.  When this returns the sink is released
 * and nothing will touch the reader's state again.
 */
void faults_session_close(struct faults_session *s)
{
	bool done = false;

	mutex_lock(&s->lock);
	if (!s->finished) {
		s->stop_reason = VMSCOPE_TRACE_END_STOPPED;
		faults_session_finish(s);
		done = true;
	}
	mutex_unlock(&s->lock);
	if (done)
		faults_session_retire(s, false);
	kref_put(&s->ref, faults_session_release);
}

/* Some reader may be gone: its traces end at once (by their work). */
void faults_sessions_check_readers(void)
{
	struct faults_session *s;

	mutex_lock(&faults_mutex);
	list_for_each_entry(s, &faults_sessions, node)
		if (s->sink && s->sink->ops->gone &&
		    s->sink->ops->gone(s->sink))
			mod_delayed_work(faults_wq, &s->work, 0);
	mutex_unlock(&faults_mutex);
}

int __init faults_init(void)
{
	faults_wq = alloc_workqueue("vmscope_faults", WQ_UNBOUND, 0);
	return faults_wq ? 0 : -ENOMEM;
}

/* Every trace holds the module: none runs any more, some work may return. */
void faults_exit(void)
{
	destroy_workqueue(faults_wq);
	faults_probes_exit();
}
