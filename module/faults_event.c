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
 * Why a pending fault is finished now.  No timer finishes one: a fault
 * may wait for the mmap lock, for I/O (FUSE, NFS) or for a userfaultfd
 * handler as long as it likes, so only what comes after it says it is
 * over (issue 23).
 */
enum faults_close {
	FAULTS_END_SEEN,	/* its own records decided it */
	FAULTS_END_NEXT,	/* its thread began another, or all are gone */
	FAULTS_END_FLUSH,	/* the trace ends while it may be under way */
};

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
	if (p->has_enter && p->before.p.state == VMSCOPE_STATE_GUARD)
		return VMSCOPE_FAULT_SEGV_GUARD;
	return VMSCOPE_FAULT_SEGV_MAPERR;
}

/* Nothing there before: the first touch. */
static u32 outcome_missing(const struct faults_pending *p)
{
	const struct vmscope_page *a = &p->after.p;
	bool major = p->major;

	if (p->anon_vma) {
		/* do_anonymous_page() hands it to the handler, read or write */
		if (p->vm_flags & VM_UFFD_MISSING)
			return VMSCOPE_FAULT_UFFD;
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
	const struct vmscope_page *b = &p->before.p, *a = &p->after.p;

	if (p->before.protnone)
		return VMSCOPE_FAULT_NUMA_HINT;
	if (p->access != VMSCOPE_ACCESS_WRITE ||
	    (b->flags & VMSCOPE_PAGE_F_WRITE))
		return VMSCOPE_FAULT_SPURIOUS;
	if ((b->flags & VMSCOPE_PAGE_F_UFFD_WP) && (p->vm_flags & VM_UFFD_WP))
		return VMSCOPE_FAULT_UFFD;
	if (p->vm_flags & (VM_SHARED | VM_MAYSHARE))
		return VMSCOPE_FAULT_WRITE_NOTIFY;
	if (p->after.valid && a->state == VMSCOPE_STATE_PRESENT &&
	    a->pfn == b->pfn)
		return VMSCOPE_FAULT_COW_REUSE;
	return VMSCOPE_FAULT_COW_COPY;
}

/*
 * Did the tracer see all of this fault?  A fault it did not see whole
 * is incomplete: what it did is not guessed from the records it has.
 */
static bool faults_whole(struct faults_session *s,
			 const struct faults_pending *p, enum faults_close why)
{
	if (p->evicted)
		return false;
	if (p->signo || p->nofault)
		return true;
	if (p->has_enter && p->has_exit) {
		/* the retry that never came: known once the thread went on */
		if (p->vm_fault & VMF(VM_FAULT_RETRY))
			return why == FAULTS_END_NEXT;
		return true;
	}
	/*
	 * An exception in the kernel that reached no handle_mm_fault()
	 * (no VMA there: the exception table's EFAULT), once the thread
	 * went on and no record was lost meanwhile.  In user mode an
	 * exception without either is always a loss.
	 */
	return p->has_exc && !p->has_enter &&
	       !(p->flags & VMSCOPE_FAULT_F_USER) &&
	       why == FAULTS_END_NEXT && faults_lost(s) == p->lost;
}

/*
 * What happened, from handle_mm_fault()'s answer and the entry before
 * and after it.  This is the classifier of what *was*; explain.c's says
 * what *will be* from the entry before alone.
 */
static void faults_classify(const struct faults_pending *p, bool whole,
			    struct faults_event *ev)
{
	u32 ret = p->vm_fault;

	if (!whole) {
		ev->outcome = VMSCOPE_FAULT_INCOMPLETE;
		return;
	}
	if (p->signo) {
		ev->outcome = outcome_signal(p);
		return;
	}
	if (!p->has_enter) {
		ev->outcome = VMSCOPE_FAULT_KERNEL_FIXUP;
		return;
	}
	if (ret & VMF(VM_FAULT_OOM))
		ev->outcome = VMSCOPE_FAULT_OOM;
	else if (ret & (VMF(VM_FAULT_SIGBUS) | VMF(VM_FAULT_HWPOISON) |
			VMF(VM_FAULT_HWPOISON_LARGE)))
		ev->outcome = VMSCOPE_FAULT_SIGBUS;
	else if (ret & VMF(VM_FAULT_SIGSEGV))
		ev->outcome = p->before.p.state == VMSCOPE_STATE_GUARD ?
			      VMSCOPE_FAULT_SEGV_GUARD :
			      VMSCOPE_FAULT_SEGV_ACCERR;
	else if (ret & VMF(VM_FAULT_RETRY))
		ev->outcome = VMSCOPE_FAULT_RETRY;
	else if (!p->before.valid)
		ev->outcome = VMSCOPE_FAULT_INCOMPLETE;	/* table replaced */
	else
		switch (p->before.p.state) {
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
	*p = fp->p;
	p->addr = addr & PAGE_MASK;
	p->nr = 1;
	vmscope_redact_page(&s->target, p);
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
	if (vma) {
		faults_describe(vma, s->vma_path, &s->vma);
		s->vma_file = (unsigned long)vma->vm_file;
		s->vma_cache_visible = vmscope_cache_visible(&s->target, vma);
	}
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
	int ret = faults_sink_deliver(s, ev);

	if (!ret)
		return 0;
	if (ret == -EAGAIN || ret == -ENOBUFS || ret == -ENOMEM) {
		if (ev != &s->held) {
			s->held = *ev;
			s->have_held = true;
		}
		return -EAGAIN;
	}
	return ret;
}

/*
 * Whether a file page was in the page cache is told only as mincore()
 * tells it (access.c): for a file the reader may not see so, the
 * outcomes and the prediction say "minor or major" and the VM_FAULT_*
 * bits and retries (MAJOR; RETRY while the file is read) are left out,
 * as explain does.  The VMA found when the event is delivered must be
 * the one the fault was in (same file), else nothing is told.
 */
static bool faults_cache_hidden(const struct faults_session *s,
				const struct faults_pending *p,
				const struct faults_event *ev)
{
	if (!p->has_enter || !p->file)
		return false;
	return !(ev->has_vma && s->vma_file == p->file &&
		 s->vma_cache_visible);
}

static u32 faults_hide_cache_outcome(u32 outcome)
{
	switch (outcome) {
	case VMSCOPE_FAULT_MINOR_CACHE:
	case VMSCOPE_FAULT_MINOR_CACHE_COW:
	case VMSCOPE_FAULT_MINOR_SHMEM:
	case VMSCOPE_FAULT_MAJOR_FILE:
		return VMSCOPE_FAULT_CACHE_HIDDEN;
	}
	return outcome;
}

static void faults_hide_cache(struct faults_event *ev)
{
	ev->outcome = faults_hide_cache_outcome(ev->outcome);
	ev->predicted = faults_hide_cache_outcome(ev->predicted);
	ev->has_vm_fault = false;
	ev->vm_fault = 0;
	ev->retries = 0;
}

static int faults_finish(struct faults_session *s, struct faults_pending *p,
			 enum faults_close why)
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
	if (p->remote) {
		/* who: not told (F_REMOTE in the UAPI says why) */
		ev.flags |= VMSCOPE_FAULT_F_REMOTE;
		ev.tid = 0;
		ev.ip = 0;
	}
	if (p->has_exit) {
		ev.has_vm_fault = true;
		ev.vm_fault = p->vm_fault | (p->major ? VMF(VM_FAULT_MAJOR) : 0);
	}
	faults_classify(p, faults_whole(s, p, why), &ev);
	ev.has_predicted = p->has_predicted;
	ev.predicted = p->predicted;
	if (p->has_enter && p->before.valid) {
		faults_to_page(s, p->addr, &p->before, &ev.before);
		ev.has_before = true;
	}
	if (p->has_exit && p->after.valid) {
		faults_to_page(s, p->addr, &p->after, &ev.after);
		ev.has_after = true;
	}
	faults_resolve(s, &ev);
	if (faults_cache_hidden(s, p, &ev))
		faults_hide_cache(&ev);
	/* what the caller may not know of the page's bits (access.c) */
	ev.outcome = vmscope_redact_fault(&s->target, ev.outcome);
	if (ev.has_predicted)
		ev.predicted = vmscope_redact_fault(&s->target, ev.predicted);
	if (ev.has_predicted && ev.outcome != VMSCOPE_FAULT_INCOMPLETE &&
	    !faults_as_predicted(ev.predicted, ev.outcome))
		ev.flags |= VMSCOPE_FAULT_F_MISPREDICTED;
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
		if (!oldest || p->last < oldest->last)
			oldest = p;
	}
	/*
	 * More threads in a fault at once than slots: the one quiet the
	 * longest is given up, as incomplete; its later records find no
	 * fault to join and are dropped (it has been counted).
	 */
	oldest->evicted = true;
	s->gone[s->gone_next].tid = oldest->tid;
	s->gone[s->gone_next].page = oldest->addr & PAGE_MASK;
	s->gone_next = (s->gone_next + 1) % FAULTS_PENDING;
	*err = faults_finish(s, oldest, FAULTS_END_FLUSH);
	return oldest;
}

/*
 * Is @r the rest of a fault given up for its slot (handle_mm_fault()
 * called or returning for it)?  Then it is no fault of its own: the one
 * given up was reported incomplete.  Its thread's next fault forgets it.
 */
static bool faults_rest_of_gone(struct faults_session *s,
				const struct faults_rec *r)
{
	unsigned int i;

	for (i = 0; i < FAULTS_PENDING; i++) {
		if (s->gone[i].tid != r->tid)
			continue;
		if ((r->kind == FAULTS_REC_ENTER && r->from_exc) ||
		    r->kind == FAULTS_REC_EXIT || r->kind == FAULTS_REC_SIG) {
			if (s->gone[i].page == (r->addr & PAGE_MASK))
				return true;
		}
		s->gone[i].tid = 0;
	}
	return false;
}

static bool faults_has_slot(struct faults_session *s, u32 tid)
{
	unsigned int i;

	for (i = 0; i < FAULTS_PENDING; i++)
		if (s->pending[i].used && s->pending[i].tid == tid)
			return true;
	return false;
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
	p->lost = r->lost;
}

/* What handle_mm_fault()'s entry saw: the page before, the VMA, explain's guess. */
static void faults_take_enter(struct faults_pending *p,
			      const struct faults_rec *r)
{
	p->has_enter = true;
	p->has_predicted = r->has_predicted;
	p->predicted = r->predicted;
	p->before = r->page;
	p->vm_flags = r->vm_flags;
	p->anon_vma = r->anon_vma;
	p->file = r->file;
	p->remote = r->remote;
}

/*
 * An exception taken with page faults disabled (a read of user memory
 * from NMI, perf's or BPF's; pagefault_disable()): the kernel fixes it
 * up at once, in the middle of whatever fault the thread may be in,
 * which it leaves alone.
 */
static int faults_nofault(struct faults_session *s, const struct faults_rec *r)
{
	struct faults_pending p;

	faults_begin(&p, r);
	p.has_exc = true;
	p.nofault = true;
	p.access = vmscope_arch_fault_access(r->a, &p.flags);
	return faults_finish(s, &p, FAULTS_END_SEEN);
}

/* The exception was taken in user mode (the architecture's fault word). */
static bool faults_exc_user(const struct faults_rec *r)
{
	u32 flags = 0;

	vmscope_arch_fault_access(r->a, &flags);
	return flags & VMSCOPE_FAULT_F_USER;
}

/* One record into its thread's pending fault; -errno stops the drain. */
static int faults_pair(struct faults_session *s, const struct faults_rec *r)
{
	struct faults_pending *p;
	int err = 0;

	if (r->kind == FAULTS_REC_EXC && r->nofault && !faults_exc_user(r))
		return faults_nofault(s, r);
	if (!faults_has_slot(s, r->tid) && faults_rest_of_gone(s, r))
		return 0;
	p = faults_slot(s, r->tid, &err);
	if (err)
		return err;
	p->last = r->time;

	switch (r->kind) {
	case FAULTS_REC_EXC:
		if (p->used)
			err = faults_finish(s, p, FAULTS_END_NEXT);
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
			err = faults_finish(s, p, FAULTS_END_NEXT);
		faults_begin(p, r);
		faults_take_enter(p, r);
		p->access = access_from_flags(r->a);
		if (r->a & FAULT_FLAG_USER)
			p->flags |= VMSCOPE_FAULT_F_USER;
		/*
		 * No exception record: the kernel faulted it in (GUP,
		 * fault_in_*()), or, called from an exception, that
		 * exception's record was lost; its fault is whole anyway.
		 * Only where exceptions are recorded at all (arch.h).
		 */
		if (!r->from_exc && VMSCOPE_ARCH_PF_TRACEPOINTS)
			p->flags |= VMSCOPE_FAULT_F_GUP;
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
			return faults_finish(s, p, FAULTS_END_SEEN);
		return 0;
	case FAULTS_REC_SIG:
		if (!p->used || p->signo)
			return 0;	/* not a fault we saw begin */
		p->signo = r->b;
		p->si_code = r->a;
		return faults_finish(s, p, FAULTS_END_SEEN);
	}
	return 0;
}

/*
 * The faults still pending when the trace ends.  If the target's
 * threads are all gone, none of them is under way any more.
 */
static int faults_flush(struct faults_session *s)
{
	enum faults_close why = atomic_read(&s->mm->mm_users) ?
			      FAULTS_END_FLUSH : FAULTS_END_NEXT;
	unsigned int i;
	int err;

	for (i = 0; i < FAULTS_PENDING; i++) {
		struct faults_pending *p = &s->pending[i];

		if (!p->used)
			continue;
		err = faults_finish(s, p, why);
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
			return flush_all ? faults_flush(s) : 0;
		err = faults_pair(s, &r);
		if (err)
			return err;
		if (!(n % 64))
			cond_resched();
	}
	return 1;
}
