// SPDX-License-Identifier: GPL-2.0
/*
 * From the records the probes left in a session's ring to the events
 * its reader gets: pairing per thread, classification, the IP's file,
 * redaction and delivery.  Process context only (the session's work),
 * under the session's lock: here locks and sleeping are allowed, but
 * never the target's mmap lock for long (a trylock, for the IP's VMA)
 * and never while a message is being filled.
 */
#include <linux/dcache.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "access.h"
#include "arch.h"
#include "compat.h"
#include "faults.h"
#include "vmas.h"

/* Records handled per run of the work before it yields. */
#define FAULTS_BATCH		1024
/* Tries at the target's mmap lock for the IP's file, 0.5-1 ms apart. */
#define FAULTS_LOCK_TRIES	20
/*
 * A fault with nothing new for this long is complete.  Inside
 * handle_mm_fault() a fault may sleep as long as its I/O takes; a retry
 * comes after the I/O the first try started; an exception is followed
 * by handle_mm_fault() once the mmap lock is had (or by nothing, for a
 * kernel access the exception table fixes up); a signal follows its
 * fault at once.
 */
#define FAULTS_SETTLE_NS	(20 * NSEC_PER_MSEC)
#define FAULTS_SETTLE_LOCK_NS	(1000 * NSEC_PER_MSEC)
#define FAULTS_SETTLE_RETRY_NS	(2000 * NSEC_PER_MSEC)
#define FAULTS_SETTLE_HANDLER_NS	(10000ULL * NSEC_PER_MSEC)

/* vm_fault_t bits, as the u32 the probes record (vm_fault_t is __bitwise) */
#define VMF(bit)	((__force u32)(bit))

/* The oldest record of any CPU's part of the ring. */
static bool faults_next_rec(struct faults_session *s, struct faults_rec *out)
{
	struct ring_buffer_event *ev;
	int cpu, best = -1;
	u64 best_time = U64_MAX;

	for_each_possible_cpu(cpu) {
		const struct faults_rec *r;

		ev = ring_buffer_peek(s->ring, cpu, NULL, NULL);
		if (!ev)
			continue;
		r = ring_buffer_event_data(ev);
		if (r->time < best_time) {
			best_time = r->time;
			best = cpu;
		}
	}
	if (best < 0)
		return false;
	ev = ring_buffer_consume(s->ring, best, NULL, NULL);
	if (!ev)
		return false;
	memcpy(out, ring_buffer_event_data(ev), sizeof(*out));
	return true;
}

static bool same_page(u64 a, u64 b)
{
	return (a & PAGE_MASK) == (b & PAGE_MASK);
}

static u32 access_from_flags(u32 flags)
{
	if (flags & FAULT_FLAG_INSTRUCTION)
		return VMSCOPE_ACCESS_EXEC;
	return flags & FAULT_FLAG_WRITE ? VMSCOPE_ACCESS_WRITE :
					  VMSCOPE_ACCESS_READ;
}

static u32 outcome_signal(const struct faults_pending *p)
{
	if (p->signo == SIGBUS)
		return VMSCOPE_FAULT_SIGBUS;
	if (p->si_code == SEGV_ACCERR)
		return VMSCOPE_FAULT_SEGV_ACCERR;
	if (p->has_enter && p->before.state == VMSCOPE_STATE_GUARD)
		return VMSCOPE_FAULT_SEGV_GUARD;
	return VMSCOPE_FAULT_SEGV_MAPERR;
}

/* Nothing there before: the first touch. */
static u32 outcome_missing(const struct faults_pending *p)
{
	const struct faults_page *a = &p->after;
	bool major = p->major;

	if (p->anon_vma) {
		if (a->state == VMSCOPE_STATE_PRESENT &&
		    (a->flags & VMSCOPE_PAGE_F_ZERO))
			return VMSCOPE_FAULT_MINOR_ZERO;
		return VMSCOPE_FAULT_MINOR_ANON;
	}
	if (major)
		return VMSCOPE_FAULT_MAJOR_FILE;
	if (a->flags & VMSCOPE_PAGE_F_ANON)
		return VMSCOPE_FAULT_MINOR_CACHE_COW;
	return VMSCOPE_FAULT_MINOR_CACHE;
}

/* A present entry: a write to a write-protected page, or a hint. */
static u32 outcome_present(const struct faults_pending *p)
{
	const struct faults_page *b = &p->before, *a = &p->after;

	if (b->protnone)
		return VMSCOPE_FAULT_NUMA_HINT;
	if (p->access != VMSCOPE_ACCESS_WRITE ||
	    (b->flags & VMSCOPE_PAGE_F_WRITE))
		return VMSCOPE_FAULT_SPURIOUS;
	if (p->vm_flags & (VM_SHARED | VM_MAYSHARE))
		return VMSCOPE_FAULT_WRITE_NOTIFY;
	if (a->valid && a->state == VMSCOPE_STATE_PRESENT &&
	    a->pfn == b->pfn)
		return VMSCOPE_FAULT_COW_REUSE;
	return VMSCOPE_FAULT_COW_COPY;
}

/*
 * What happened, from handle_mm_fault()'s answer and the entry before
 * and after it.  This is the classifier of what *was*; explain.c's says
 * what *will be* from the entry before alone.
 */
void faults_classify(const struct faults_pending *p, struct faults_event *ev)
{
	u32 ret = p->vm_fault;

	if (p->signo) {
		ev->outcome = outcome_signal(p);
		return;
	}
	if (!p->has_enter || !p->has_exit) {
		/*
		 * No handle_mm_fault(), no signal: a kernel access to a bad
		 * address ends in the exception table (EFAULT); a user one
		 * was nothing to do (a race another thread won).
		 */
		ev->outcome = p->flags & VMSCOPE_FAULT_F_USER ?
			      VMSCOPE_FAULT_SPURIOUS : VMSCOPE_FAULT_KERNEL_FIXUP;
		return;
	}
	if (ret & VMF(VM_FAULT_OOM))
		ev->outcome = VMSCOPE_FAULT_OOM;
	else if (ret & (VMF(VM_FAULT_SIGBUS) | VMF(VM_FAULT_HWPOISON) |
			VMF(VM_FAULT_HWPOISON_LARGE)))
		ev->outcome = VMSCOPE_FAULT_SIGBUS;
	else if (ret & VMF(VM_FAULT_SIGSEGV))
		ev->outcome = p->before.state == VMSCOPE_STATE_GUARD ?
			      VMSCOPE_FAULT_SEGV_GUARD :
			      VMSCOPE_FAULT_SEGV_ACCERR;
	else if (ret & VMF(VM_FAULT_RETRY))
		ev->outcome = VMSCOPE_FAULT_RETRY;
	else if (!p->before.valid)
		ev->outcome = VMSCOPE_FAULT_SPURIOUS;
	else
		switch (p->before.state) {
		case VMSCOPE_STATE_NONE:
			ev->outcome = outcome_missing(p);
			break;
		case VMSCOPE_STATE_SWAP:
			ev->outcome = p->major ?
				      VMSCOPE_FAULT_MAJOR_SWAP :
				      VMSCOPE_FAULT_MINOR_SWAP;
			break;
		case VMSCOPE_STATE_MIGRATION:
			ev->outcome = VMSCOPE_FAULT_MIGRATION;
			break;
		case VMSCOPE_STATE_DEVICE:
			ev->outcome = VMSCOPE_FAULT_DEVICE;
			break;
		case VMSCOPE_STATE_MARKER:
			ev->outcome = VMSCOPE_FAULT_UFFD;
			break;
		case VMSCOPE_STATE_PRESENT:
			ev->outcome = outcome_present(p);
			break;
		default:
			ev->outcome = VMSCOPE_FAULT_DRIVER;
		}
}

/*
 * explain's words cover a little more than one outcome: a swapped page
 * is read back, or found in the swap cache (its text says so).
 */
static bool faults_as_predicted(u32 predicted, u32 outcome)
{
	if (predicted == VMSCOPE_FAULT_MAJOR_SWAP)
		return outcome == VMSCOPE_FAULT_MAJOR_SWAP ||
		       outcome == VMSCOPE_FAULT_MINOR_SWAP;
	return predicted == outcome;
}

/* A page as the reader may see it (access.c's rules, as GET_PAGES). */
static void faults_to_page(struct faults_session *s, u64 addr,
			   const struct faults_page *fp, struct vmscope_page *p)
{
	memset(p, 0, sizeof(*p));
	p->addr = addr & PAGE_MASK;
	p->nr = 1;
	p->state = fp->state;
	p->level = fp->level;
	p->order = fp->order;
	p->flags = fp->flags;
	/* mapcount cannot be read safely without a reference: never sent */
	if (fp->state == VMSCOPE_STATE_PRESENT)
		p->flags |= VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN;
	p->pfn = fp->pfn;
	p->swap_type = fp->swap_type;
	p->swap_offset = fp->swap_offset;
	vmscope_redact_page(&s->target, p);
	if (!s->target.show_pfn) {
		p->pfn = 0;
		p->swap_offset = 0;
		p->swap_type = 0;
	}
}

/*
 * d_path() here, in a kworker, names files from the initial root; the
 * reader, like /proc/PID/maps, names them from its own root: the part of
 * the name that leads to the reader's root is cut.  A file outside it
 * keeps its whole name.
 */
static const char *faults_reader_path(struct faults_session *s,
				      const char *path)
{
	size_t len;

	if (!s->root_name) {
		char *buf = kmalloc(VMSCOPE_PATH_MAX, GFP_KERNEL), *root;

		if (!buf)
			return path;
		root = d_path(&s->root, buf, VMSCOPE_PATH_MAX);
		s->root_name = kstrdup(IS_ERR(root) ? "/" : root, GFP_KERNEL);
		kfree(buf);
		if (!s->root_name)
			return path;
	}
	len = strlen(s->root_name);
	if (len > 1 && !strncmp(path, s->root_name, len) && path[len] == '/')
		return path + len;
	return path;
}

/*
 * The target's mmap lock, waited for a bounded time (a writer such as
 * fork() holds it for a while): never long enough to hold the trace up.
 */
static bool faults_mmap_trylock(struct mm_struct *mm)
{
	unsigned int i;

	for (i = 0; i < FAULTS_LOCK_TRIES; i++) {
		if (mmap_read_trylock(mm))
			return true;
		usleep_range(500, 1000);
	}
	return false;
}

static void faults_describe(struct vm_area_struct *vma, char *buf,
			    struct vmscope_vma_info *info)
{
	vmscope_describe_vma(vma, buf, info);
	if (info->path != buf)
		strscpy(buf, info->path ? info->path : "", VMSCOPE_PATH_MAX);
	info->path = buf;
}

static void faults_lookup(struct faults_session *s, struct faults_event *ev,
			  bool ip_known, bool vma_known)
{
	struct vmscope_vma_info info;
	struct vm_area_struct *vma;
	struct mm_struct *mm = s->mm;

	if (!mmget_not_zero(mm))
		return;
	if (!faults_mmap_trylock(mm)) {
		mmput(mm);
		return;
	}
	vma = ip_known ? NULL : vma_lookup(mm, ev->ip);
	if (vma) {
		faults_describe(vma, s->ip_path, &info);
		s->ip_vma_start = info.start;
		s->ip_vma_end = info.end;
		s->ip_vma_pgoff = info.pgoff_bytes;
		s->ip_vma_file = !!vma->vm_file;
	}
	vma = vma_known ? NULL : vma_lookup(mm, ev->addr);
	if (vma)
		faults_describe(vma, s->vma_path, &s->vma);
	mmap_read_unlock(mm);
	mmput(mm);
}

/*
 * The VMA at the address, and the file mapped at the IP as path and
 * offset: the target's mmap lock, tried for a bounded time; without it
 * (or once the mm is gone) the event goes without them.
 */
static void faults_resolve(struct faults_session *s, struct faults_event *ev)
{
	bool ip_known = ev->ip >= s->ip_vma_start && ev->ip < s->ip_vma_end;
	bool vma_known = ev->addr >= s->vma.start && ev->addr < s->vma.end;

	if (!ip_known || !vma_known)
		faults_lookup(s, ev, ip_known, vma_known);
	if (ev->addr >= s->vma.start && ev->addr < s->vma.end) {
		ev->has_vma = true;
		ev->vma = s->vma;
		ev->vma.path = faults_reader_path(s, s->vma_path);
	}
	if (ev->ip < s->ip_vma_start || ev->ip >= s->ip_vma_end ||
	    !s->ip_vma_file)
		return;
	ev->has_ip_path = true;
	ev->ip_path = faults_reader_path(s, s->ip_path);
	ev->ip_offset = ev->ip - s->ip_vma_start + s->ip_vma_pgoff;
}

/*
 * Send @ev or keep it for the next run: 0 sent, -EAGAIN kept (the
 * reader's socket is full), other -errno: the reader is gone.
 */
static int faults_deliver(struct faults_session *s, struct faults_event *ev)
{
	int ret = s->text ? faults_text_send(s, ev) :
			    vmscope_nl_send_fault(s, ev);

	if (!ret) {
		s->delivered++;
		return 0;
	}
	if (ret == -EAGAIN || ret == -ENOBUFS || ret == -ENOMEM) {
		if (ev != &s->held) {
			s->held = *ev;
			s->have_held = true;
		}
		return -EAGAIN;
	}
	return ret;
}

static int faults_finish(struct faults_session *s, struct faults_pending *p)
{
	struct faults_event ev = {};
	u64 dropped = atomic64_read(&s->dropped);

	p->used = false;
	s->seq += 1 + (dropped - s->dropped_seen);
	s->dropped_seen = dropped;
	ev.seq = s->seq;
	ev.time = p->time;
	ev.addr = p->addr;
	ev.ip = p->ip;
	ev.tid = p->tid_ns;
	ev.access = p->access;
	ev.flags = p->flags;
	ev.retries = p->retries;
	if (p->has_exit) {
		ev.has_vm_fault = true;
		ev.vm_fault = p->vm_fault | (p->major ? VMF(VM_FAULT_MAJOR) : 0);
	}
	faults_classify(p, &ev);
	if (p->has_predicted) {
		ev.has_predicted = true;
		ev.predicted = p->predicted;
		if (!faults_as_predicted(ev.predicted, ev.outcome))
			ev.flags |= VMSCOPE_FAULT_F_MISPREDICTED;
	}
	if (p->has_enter && p->before.valid) {
		faults_to_page(s, p->addr, &p->before, &ev.before);
		ev.has_before = true;
	}
	if (p->has_exit && p->after.valid) {
		faults_to_page(s, p->addr, &p->after, &ev.after);
		ev.has_after = true;
	}
	faults_resolve(s, &ev);
	return faults_deliver(s, &ev);
}

static struct faults_pending *faults_slot(struct faults_session *s, u32 tid,
					  int *err)
{
	struct faults_pending *p, *oldest = NULL;
	unsigned int i;

	for (i = 0; i < FAULTS_PENDING; i++) {
		p = &s->pending[i];
		if (p->used && p->tid == tid)
			return p;
	}
	for (i = 0; i < FAULTS_PENDING; i++) {
		p = &s->pending[i];
		if (!p->used)
			return p;
		if (!oldest || p->time < oldest->time)
			oldest = p;
	}
	/* more threads faulting at once than slots: finish the oldest */
	*err = faults_finish(s, oldest);
	return oldest;
}

static void faults_begin(struct faults_pending *p, const struct faults_rec *r)
{
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->tid = r->tid;
	p->time = r->time;
	p->last = r->time;
	p->addr = r->addr;
	p->ip = r->ip;
	p->tid_ns = r->tid_ns;
}

/* What handle_mm_fault()'s entry saw: the page before, the VMA, explain's guess. */
static void faults_take_enter(struct faults_pending *p,
			      const struct faults_rec *r)
{
	p->has_enter = true;
	p->has_predicted = r->has_predicted;
	p->predicted = r->predicted;
	p->before = r->page;
	p->vm_flags = r->b;
	p->anon_vma = r->anon_vma;
}

/* One record into its thread's pending fault; -errno stops the drain. */
static int faults_pair(struct faults_session *s, const struct faults_rec *r)
{
	struct faults_pending *p;
	int err = 0;

	p = faults_slot(s, r->tid, &err);
	if (err)
		return err;
	p->last = r->time;

	switch (r->kind) {
	case FAULTS_REC_EXC:
		if (p->used)
			err = faults_finish(s, p);
		faults_begin(p, r);
		p->has_exc = true;
		p->access = vmscope_arch_fault_access(r->a, &p->flags);
		return err;
	case FAULTS_REC_ENTER:
		if (p->used && same_page(p->addr, r->addr) && !p->signo) {
			if (p->has_exit && (p->vm_fault & VMF(VM_FAULT_RETRY))) {
				/*
				 * The retry of a fault that dropped its lock:
				 * mm_account_fault() counts it major if
				 * FAULT_FLAG_TRIED is set.
				 */
				p->retries++;
				if (r->a & FAULT_FLAG_TRIED)
					p->major = true;
				p->has_exit = false;
				return 0;
			}
			if (p->has_exc && !p->has_enter) {
				faults_take_enter(p, r);
				return 0;
			}
		}
		if (p->used)
			err = faults_finish(s, p);
		/* no exception: the kernel faulted it in (GUP, fault_in_*) */
		faults_begin(p, r);
		faults_take_enter(p, r);
		p->access = access_from_flags(r->a);
		p->flags |= VMSCOPE_FAULT_F_GUP;
		if (r->a & FAULT_FLAG_USER)
			p->flags |= VMSCOPE_FAULT_F_USER;
		return err;
	case FAULTS_REC_EXIT:
		if (!p->used || !p->has_enter || p->has_exit ||
		    !same_page(p->addr, r->addr))
			return 0;
		p->has_exit = true;
		p->vm_fault = r->a;
		if (r->a & VMF(VM_FAULT_MAJOR))
			p->major = true;
		p->after = r->page;
		if (!(r->a & (VMF(VM_FAULT_RETRY) | VMF(VM_FAULT_SIGSEGV) |
			      VMF(VM_FAULT_SIGBUS))))
			return faults_finish(s, p);
		return 0;
	case FAULTS_REC_SIG:
		if (!p->used || p->signo)
			return 0;	/* not a fault we saw begin */
		p->signo = r->b;
		p->si_code = r->a;
		return faults_finish(s, p);
	}
	return 0;
}

static u64 faults_settle_ns(const struct faults_pending *p)
{
	if (p->has_enter && !p->has_exit)
		return FAULTS_SETTLE_HANDLER_NS;
	if (p->has_exit && (p->vm_fault & VMF(VM_FAULT_RETRY)))
		return FAULTS_SETTLE_RETRY_NS;
	if (!p->has_enter)
		return FAULTS_SETTLE_LOCK_NS;
	return FAULTS_SETTLE_NS;
}

/* Pending faults that will get no more records (or all, at the end). */
static int faults_settle(struct faults_session *s, bool all)
{
	u64 now = ktime_get_mono_fast_ns();
	unsigned int i;
	int err;

	for (i = 0; i < FAULTS_PENDING; i++) {
		struct faults_pending *p = &s->pending[i];

		if (!p->used ||
		    (!all && now - p->last < faults_settle_ns(p)))
			continue;
		err = faults_finish(s, p);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Move what the ring holds to the reader: 0 when done for now, -EAGAIN
 * when the reader's socket is full (the rest waits in the ring, which
 * drops and counts when it fills), 1 when there is more to do soon,
 * other -errno when the reader is gone.
 */
int faults_session_drain(struct faults_session *s, bool flush_all)
{
	struct faults_rec r;
	unsigned int n;
	int err;

	/* VMAs are remembered for one run only: mappings change */
	s->ip_vma_start = 0;
	s->ip_vma_end = 0;
	s->vma.start = 0;
	s->vma.end = 0;
	if (s->have_held) {
		err = faults_deliver(s, &s->held);
		if (err)
			return err;
		s->have_held = false;
	}
	for (n = 0; flush_all || n < FAULTS_BATCH; n++) {
		if (!faults_next_rec(s, &r))
			return faults_settle(s, flush_all);
		err = faults_pair(s, &r);
		if (err)
			return err;
		if (!(n % 64))
			cond_resched();
	}
	return 1;
}
