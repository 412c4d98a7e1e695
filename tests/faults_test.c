// SPDX-License-Identifier: GPL-2.0
/*
 * The page-fault tracer (VMSCOPE_CMD_FAULTS_START), over raw netlink.
 *
 * A target process does a scripted sequence of accesses in a range of
 * its own; the trace of that range must hold exactly those faults, in
 * that order, with the outcomes the accesses must have had.  The
 * oracles are what the target did, its own fault counters (getrusage:
 * whether a fault was major), pagemap (PFNs after a write: copied or
 * reused), and /proc/PID/maps (the file the faulting instruction is in).
 * Then the ends of a trace: the target exits, execs, the reader stops
 * or closes its socket, rmmod meanwhile, and many traces at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/kernel-page-flags.h>
#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
#include "lib/pagemap.h"
#include "lib/stress.h"
#include "lib/util.h"
#include "../module/uapi/vmscope.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef NETLINK_NO_ENOBUFS
#define NETLINK_NO_ENOBUFS 5
#endif

#define PAGE PG
#define NPAGES 32
/*
 * How long a reader waits for TRACE_END after the target is gone: the
 * work sees it within a tick, but TCG guests on a loaded host (and the
 * debug kernel) can be slow by seconds.
 */
#define TRACE_END_MS 30000

/* ---- the trace, as the test reads it ---- */

struct ev {
	uint64_t seq, addr, ip;
	uint32_t tid, access, flags, outcome, predicted, vm_fault, retries;
	bool has_before, has_after, has_predicted, has_vm_fault;
	uint32_t b_state, b_flags, a_state, a_flags;
	uint64_t b_pfn, a_pfn;
	bool has_vma;
	uint64_t vma_start, vma_end;
	char ip_path[256];
};

struct trace {
	uint32_t id, ring_events;
	struct ev *ev;
	int n, cap;
	bool ended;
	bool acked;		/* the request's ack or error came */
	uint32_t end_reason;
	uint64_t end_events, end_dropped;
};

static void page_of(const struct nlattr *nest, uint32_t *state,
		    uint32_t *flags, uint64_t *pfn)
{
	struct tnl_attrs a;

	tnl_parse_nest(&a, nest);
	*pfn = 0;
	tnl_u32(&a, VMSCOPE_PAGE_A_STATE, state);
	tnl_u32(&a, VMSCOPE_PAGE_A_FLAGS, flags);
	tnl_u64(&a, VMSCOPE_PAGE_A_PFN, pfn);
}

/* One message of a trace (an event, its end, or the start's reply). */
static void trace_msg(struct trace *t, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct tnl_attrs top, a;
	struct ev *e;

	tnl_parse_msg(&top, nlh);
	if (g->cmd == VMSCOPE_CMD_FAULTS_START ||
	    g->cmd == VMSCOPE_CMD_TRACE_END) {
		if (!top.tb[VMSCOPE_A_TRACE])
			return;
		tnl_parse_nest(&a, top.tb[VMSCOPE_A_TRACE]);
		if (g->cmd == VMSCOPE_CMD_FAULTS_START) {
			tnl_u32(&a, VMSCOPE_TRACE_A_ID, &t->id);
			tnl_u32(&a, VMSCOPE_TRACE_A_RING_EVENTS,
				&t->ring_events);
			return;
		}
		t->ended = true;
		tnl_u32(&a, VMSCOPE_TRACE_A_END_REASON, &t->end_reason);
		tnl_u64(&a, VMSCOPE_TRACE_A_EVENTS, &t->end_events);
		tnl_u64(&a, VMSCOPE_TRACE_A_DROPPED, &t->end_dropped);
		return;
	}
	if (g->cmd != VMSCOPE_CMD_FAULT_EVENT || !top.tb[VMSCOPE_A_FAULT])
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->ev = realloc(t->ev, t->cap * sizeof(*t->ev));
	}
	e = &t->ev[t->n++];
	memset(e, 0, sizeof(*e));
	tnl_parse_nest(&a, top.tb[VMSCOPE_A_FAULT]);
	tnl_u64(&a, VMSCOPE_FAULT_A_SEQ, &e->seq);
	tnl_u64(&a, VMSCOPE_FAULT_A_ADDR, &e->addr);
	tnl_u64(&a, VMSCOPE_FAULT_A_IP, &e->ip);
	tnl_u32(&a, VMSCOPE_FAULT_A_TID, &e->tid);
	tnl_u32(&a, VMSCOPE_FAULT_A_ACCESS, &e->access);
	tnl_u32(&a, VMSCOPE_FAULT_A_FLAGS, &e->flags);
	e->outcome = ~0u;
	tnl_u32(&a, VMSCOPE_FAULT_A_OUTCOME, &e->outcome);
	e->has_vm_fault = tnl_u32(&a, VMSCOPE_FAULT_A_VM_FAULT, &e->vm_fault);
	tnl_u32(&a, VMSCOPE_FAULT_A_RETRIES, &e->retries);
	e->has_predicted = tnl_u32(&a, VMSCOPE_FAULT_A_PREDICTED,
				   &e->predicted);
	if (tnl_str(&a, VMSCOPE_FAULT_A_IP_PATH))
		snprintf(e->ip_path, sizeof(e->ip_path), "%s",
			 tnl_str(&a, VMSCOPE_FAULT_A_IP_PATH));
	if (a.tb[VMSCOPE_FAULT_A_VMA]) {
		struct tnl_attrs v;

		tnl_parse_nest(&v, a.tb[VMSCOPE_FAULT_A_VMA]);
		e->has_vma = tnl_u64(&v, VMSCOPE_VMA_A_START, &e->vma_start) &&
			     tnl_u64(&v, VMSCOPE_VMA_A_END, &e->vma_end);
	}
	if (a.tb[VMSCOPE_FAULT_A_BEFORE]) {
		e->has_before = true;
		page_of(a.tb[VMSCOPE_FAULT_A_BEFORE], &e->b_state, &e->b_flags,
			&e->b_pfn);
	}
	if (a.tb[VMSCOPE_FAULT_A_AFTER]) {
		e->has_after = true;
		page_of(a.tb[VMSCOPE_FAULT_A_AFTER], &e->a_state, &e->a_flags,
			&e->a_pfn);
	}
}

enum until { UNTIL_TIME, UNTIL_END, UNTIL_ACK };

/*
 * Read what the socket holds for up to ms milliseconds, or until the
 * trace ended or the request was answered.  Returns -errno of a
 * NLMSG_ERROR, else 0.
 */
static int trace_read(struct tnl *nl, struct trace *t, int ms,
		      enum until until)
{
	struct timespec t0, now;
	int err = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = nl->fd, .events = POLLIN };
		const struct nlmsghdr *nlh;
		long left;
		ssize_t n;

		if ((until == UNTIL_END && t->ended) ||
		    (until == UNTIL_ACK && t->acked))
			return err;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = ms - ((now.tv_sec - t0.tv_sec) * 1000 +
			     (now.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return err;
		n = recv(nl->fd, nl->buf, nl->buf_size, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			return -errno;
		}
		for (nlh = (void *)nl->buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (e->error)
					err = e->error;
				t->acked = true;
				continue;
			}
			if (nlh->nlmsg_type == nl->family)
				trace_msg(t, nlh);
		}
	}
}

static int trace_start_flags(struct tnl *nl, struct trace *t, pid_t pid,
			     uint64_t start, uint64_t end, uint32_t req)
{
	struct tnl_msg m;
	int err;

	memset(t, 0, sizeof(*t));
	tnl_req(nl, &m, VMSCOPE_CMD_FAULTS_START, false);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	if (req)
		tnl_put_u32(&m, VMSCOPE_A_REQ_FLAGS, req);
	if (end) {
		tnl_put_u64(&m, VMSCOPE_A_START, start);
		tnl_put_u64(&m, VMSCOPE_A_END, end);
	}
	err = tnl_send(nl, &m);
	if (err < 0)
		return err;
	/* the reply and its ack */
	err = trace_read(nl, t, TRACE_END_MS, UNTIL_ACK);
	if (!err && !t->id)
		err = -EPROTO;
	return err;
}

static int trace_start(struct tnl *nl, struct trace *t, pid_t pid,
		       uint64_t start, uint64_t end)
{
	return trace_start_flags(nl, t, pid, start, end, 0);
}

static int trace_stop(struct tnl *nl, struct trace *t)
{
	struct tnl_msg m;
	int err;

	tnl_req(nl, &m, VMSCOPE_CMD_FAULTS_STOP, false);
	tnl_put_u32(&m, VMSCOPE_A_TRACE_ID, t->id);
	err = tnl_send(nl, &m);
	if (err < 0)
		return err;
	/* TRACE_END comes before the ack */
	t->acked = false;
	return trace_read(nl, t, TRACE_END_MS, UNTIL_ACK);
}

/* ---- the target ---- */

/* What the target did, step by step, for the expected trace. */
struct step {
	uint64_t addr;
	uint32_t access;
	uint32_t outcome;
	/* the kernel's choice depends on what no one can see beforehand */
	bool racy;
};

struct script {
	struct step s[16];
	int n;
	uint64_t pfn_cow_before, pfn_cow_after;	/* A2 around its copy */
	uint64_t pfn_reuse_before, pfn_reuse_after;
	char skipped[256];
	int done;	/* every step taken; waiting for a byte to exit */
};

static sigjmp_buf segv_jmp;

static void on_segv(int sig)
{
	siglongjmp(segv_jmp, 1);
}

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

static uint64_t own_pfn(void *p)
{
	uint64_t e = 0;

	pagemap_read(getpid(), (uintptr_t)p, 1, &e);
	return pm_pfn(e);
}

static void add(struct script *sc, void *p, uint32_t access, uint32_t outcome)
{
	sc->s[sc->n].addr = (uintptr_t)p;
	sc->s[sc->n].access = access;
	sc->s[sc->n].outcome = outcome;
	sc->n++;
}

#define A(i) (base + (i) * PAGE)

/*
 * The script, in a process of its own; results go to @out (shared).
 * Pages: 0-7 anonymous, 8 a file, 9 a hole, 10 read-only, the rest
 * PROT_NONE reservation, never touched.
 */
static void run_script(char *base, int go_fd, struct script *out)
{
	volatile char *v = (volatile char *)base;
	struct sigaction sa = { .sa_handler = on_segv };
	int hold[2];
	pid_t child;
	long maj;
	char c;

	if (read(go_fd, &c, 1) != 1)
		_exit(1);
	sigaction(SIGSEGV, &sa, NULL);

	(void)v[0];
	add(out, A(0), VMSCOPE_ACCESS_READ, VMSCOPE_FAULT_MINOR_ZERO);
	v[1 * PAGE] = 1;
	add(out, A(1), VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_MINOR_ANON);
	v[2 * PAGE] = 1;
	add(out, A(2), VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_MINOR_ANON);

	/* a child shares pages 1 and 2 while page 2 is written */
	if (pipe(hold))
		_exit(1);
	child = fork();
	if (!child) {
		close(hold[1]);
		if (read(hold[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	out->pfn_cow_before = own_pfn(A(2));
	v[2 * PAGE] = 2;
	add(out, A(2), VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_COW_COPY);
	out->pfn_cow_after = own_pfn(A(2));
	close(hold[1]);
	waitpid(child, NULL, 0);
	/*
	 * Reused, unless a per-CPU LRU batch of another CPU still holds a
	 * reference (do_wp_page() drains only its own): the PFN says which.
	 */
	out->pfn_reuse_before = own_pfn(A(1));
	v[1 * PAGE] = 2;
	out->pfn_reuse_after = own_pfn(A(1));
	add(out, A(1), VMSCOPE_ACCESS_WRITE,
	    out->pfn_reuse_after == out->pfn_reuse_before ?
	    VMSCOPE_FAULT_COW_REUSE : VMSCOPE_FAULT_COW_COPY);
	out->s[out->n - 1].racy = true;

	/* swapped out, read back */
	v[3 * PAGE] = 3;
	add(out, A(3), VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_MINOR_ANON);
	if (!madvise(A(3), PAGE, MADV_PAGEOUT)) {
		uint64_t e = 0;

		pagemap_read(getpid(), (uintptr_t)A(3), 1, &e);
		if (e & PM_SWAP) {
			maj = majflt();
			(void)v[3 * PAGE];
			add(out, A(3), VMSCOPE_ACCESS_READ,
			    majflt() > maj ? VMSCOPE_FAULT_MAJOR_SWAP :
					     VMSCOPE_FAULT_MINOR_SWAP);
		} else {
			strcat(out->skipped, "page 3 not swapped out; ");
		}
	} else {
		strcat(out->skipped, "MADV_PAGEOUT failed; ");
	}

	/* a file page not in the page cache */
	if (map_uncached_file(A(8))) {
		maj = majflt();
		(void)v[8 * PAGE];
		add(out, A(8), VMSCOPE_ACCESS_READ,
		    majflt() > maj ? VMSCOPE_FAULT_MAJOR_FILE :
				     VMSCOPE_FAULT_MINOR_CACHE);
	} else {
		strcat(out->skipped, "no uncached file page; ");
	}

	/* a hole, and a read-only mapping written */
	if (!sigsetjmp(segv_jmp, 1))
		(void)v[9 * PAGE];
	add(out, A(9), VMSCOPE_ACCESS_READ, VMSCOPE_FAULT_SEGV_MAPERR);
	if (!sigsetjmp(segv_jmp, 1))
		v[10 * PAGE] = 1;
	add(out, A(10), VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_SEGV_ACCERR);

	/* dropped, touched again */
	madvise(A(2), PAGE, MADV_DONTNEED);
	v[2 * PAGE] = 4;
	add(out, A(2), VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_MINOR_ANON);
	/*
	 * Events are named (IP_PATH) when delivered, a tick or more later;
	 * a target that is gone by then leaves them without.  So stay
	 * until the tracer has them all (or has gone: EOF).
	 */
	__atomic_store_n(&out->done, 1, __ATOMIC_RELEASE);
	if (read(go_fd, &c, 1) < 0)
		_exit(1);
	_exit(0);
}

struct target {
	pid_t pid;
	int go;		/* write a byte: the script runs */
	char *base;
	struct script *sc;
};

static int target_start(struct target *t)
{
	int go[2];
	char *base;

	t->sc = mmap(NULL, sizeof(*t->sc), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	base = mmap(NULL, NPAGES * PAGE, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (t->sc == MAP_FAILED || base == MAP_FAILED || pipe(go))
		return -errno;
	memset(t->sc, 0, sizeof(*t->sc));
	if (mprotect(base, 8 * PAGE, PROT_READ | PROT_WRITE) ||
	    mprotect(base + 10 * PAGE, PAGE, PROT_READ) ||
	    munmap(base + 9 * PAGE, PAGE))
		return -errno;
	madvise(base, 8 * PAGE, MADV_NOHUGEPAGE);
	t->base = base;
	t->pid = fork();
	if (t->pid < 0)
		return -errno;
	if (!t->pid) {
		close(go[1]);
		run_script(base, go[0], t->sc);
	}
	close(go[0]);
	t->go = go[1];
	return 0;
}

/*
 * Read the trace until the target has taken every step of its script
 * and each has arrived as an event (or TRACE_END_MS has passed: the
 * counts asserted afterwards then say what is missing).
 */
static void wait_for_script(struct tnl *nl, struct trace *t,
			    const struct script *sc)
{
	int waited;

	for (waited = 0; waited < TRACE_END_MS; waited += 100) {
		if (__atomic_load_n(&sc->done, __ATOMIC_ACQUIRE) &&
		    t->n >= sc->n)
			return;
		if (trace_read(nl, t, 100, UNTIL_TIME) < 0 || t->ended)
			return;
	}
}

static const char *outcome_name(uint32_t o)
{
	static char buf[16];

	snprintf(buf, sizeof(buf), "%u", o);
	return buf;
}

FIXTURE(faults) {
	struct tnl nl;
};

FIXTURE_SETUP(faults)
{
	int one = 1;

	NL_OPEN(&self->nl);
	setsockopt(self->nl.fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one,
		   sizeof(one));
}

FIXTURE_TEARDOWN(faults)
{
	tnl_close(&self->nl);
}

/*
 * The scripted sequence: exactly those faults, in that order.  With
 * check_explain, also explain's prediction for each fault that reached
 * handle_mm_fault(): what the test did is the oracle of both.
 */
static void scripted(struct __test_metadata *_metadata, struct tnl *nl,
		     bool check_explain)
{
	struct target tg = {};
	struct trace t;
	char exe[256];
	ssize_t len;
	int i, status;

	ASSERT_EQ(0, target_start(&tg));
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, len);
	exe[len] = '\0';
	ASSERT_EQ(0, trace_start_flags(nl, &t, tg.pid, (uintptr_t)tg.base,
				       (uintptr_t)tg.base + NPAGES * PAGE,
				       check_explain ?
				       VMSCOPE_REQ_CHECK_EXPLAIN : 0));
	EXPECT_LT(0, t.ring_events);
	ASSERT_EQ(1, write(tg.go, "g", 1));
	wait_for_script(nl, &t, tg.sc);
	ASSERT_EQ(1, write(tg.go, "x", 1));	/* now it may exit */
	ASSERT_EQ(tg.pid, waitpid(tg.pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(0, trace_read(nl, &t, TRACE_END_MS, UNTIL_END));
	ASSERT_TRUE(t.ended) TH_LOG("no TRACE_END after the target exited");
	EXPECT_EQ(VMSCOPE_TRACE_END_EXITED, t.end_reason);
	EXPECT_EQ(0, t.end_dropped);
	EXPECT_EQ((uint64_t)t.n, t.end_events);
	if (tg.sc->skipped[0])
		TH_LOG("parts not run: %s", tg.sc->skipped);

	for (i = 0; i < t.n; i++)
		TH_LOG("event %d: seq %llu addr +%#llx access %u flags %#x outcome %s vm_fault %#x retries %u before %u/%#x after %u/%#x ip %s",
		       i, (unsigned long long)t.ev[i].seq,
		       (unsigned long long)(t.ev[i].addr - (uintptr_t)tg.base),
		       t.ev[i].access, t.ev[i].flags,
		       outcome_name(t.ev[i].outcome), t.ev[i].vm_fault,
		       t.ev[i].retries, t.ev[i].b_state,
		       t.ev[i].b_flags, t.ev[i].a_state, t.ev[i].a_flags,
		       t.ev[i].ip_path);
	ASSERT_EQ(tg.sc->n, t.n);
	for (i = 0; i < t.n; i++) {
		const struct step *s = &tg.sc->s[i];
		const struct ev *e = &t.ev[i];

		EXPECT_EQ((uint64_t)i + 1, e->seq);
		EXPECT_EQ(s->addr, e->addr) TH_LOG("event %d", i);
		EXPECT_EQ(s->access, e->access) TH_LOG("event %d", i);
		EXPECT_EQ(s->outcome, e->outcome) TH_LOG("event %d", i);
		EXPECT_TRUE(e->flags & VMSCOPE_FAULT_F_USER) TH_LOG("event %d", i);
		EXPECT_EQ((uint32_t)tg.pid, e->tid);
		/* the accesses are in this program's own code */
		EXPECT_STREQ(exe, e->ip_path) TH_LOG("event %d", i);
		/* the VMA at the address: none only at the hole */
		if (s->outcome == VMSCOPE_FAULT_SEGV_MAPERR) {
			EXPECT_FALSE(e->has_vma);
		} else {
			EXPECT_TRUE(e->has_vma) TH_LOG("event %d", i);
			EXPECT_LE(e->vma_start, e->addr);
			EXPECT_GT(e->vma_end, e->addr);
		}
		if (!check_explain) {
			EXPECT_FALSE(e->has_predicted);
		} else if (e->has_before) {
			/* it reached handle_mm_fault(): explain guessed */
			EXPECT_TRUE(e->has_predicted) TH_LOG("event %d", i);
			if (s->racy) {
				/* a wrong guess is allowed, and must be said */
				EXPECT_EQ(e->predicted != e->outcome,
					  !!(e->flags & VMSCOPE_FAULT_F_MISPREDICTED));
			} else {
				EXPECT_EQ(s->outcome == VMSCOPE_FAULT_MINOR_SWAP ?
					  VMSCOPE_FAULT_MAJOR_SWAP : s->outcome,
					  e->predicted) TH_LOG("event %d", i);
				EXPECT_FALSE(e->flags &
					     VMSCOPE_FAULT_F_MISPREDICTED)
					TH_LOG("event %d", i);
			}
		}
		switch (s->outcome) {
		case VMSCOPE_FAULT_MINOR_ZERO:
			EXPECT_EQ(VMSCOPE_STATE_NONE, e->b_state);
			EXPECT_EQ(VMSCOPE_STATE_PRESENT, e->a_state);
			EXPECT_TRUE(e->a_flags & VMSCOPE_PAGE_F_ZERO);
			break;
		case VMSCOPE_FAULT_MINOR_ANON:
			EXPECT_EQ(VMSCOPE_STATE_NONE, e->b_state);
			EXPECT_EQ(VMSCOPE_STATE_PRESENT, e->a_state);
			EXPECT_TRUE(e->a_flags & VMSCOPE_PAGE_F_ANON);
			EXPECT_TRUE(e->a_flags & VMSCOPE_PAGE_F_WRITE);
			break;
		case VMSCOPE_FAULT_COW_COPY:
			EXPECT_FALSE(e->b_flags & VMSCOPE_PAGE_F_WRITE);
			EXPECT_TRUE(e->a_flags & VMSCOPE_PAGE_F_WRITE);
			EXPECT_EQ(s->racy ? tg.sc->pfn_reuse_before :
				  tg.sc->pfn_cow_before, e->b_pfn);
			EXPECT_EQ(s->racy ? tg.sc->pfn_reuse_after :
				  tg.sc->pfn_cow_after, e->a_pfn);
			EXPECT_NE(e->b_pfn, e->a_pfn);
			/* as pages says of a page shared with a live child */
			if (!s->racy)
				EXPECT_TRUE(e->b_flags & VMSCOPE_PAGE_F_COW);
			break;
		case VMSCOPE_FAULT_COW_REUSE:
			EXPECT_FALSE(e->b_flags & VMSCOPE_PAGE_F_WRITE);
			EXPECT_TRUE(e->a_flags & VMSCOPE_PAGE_F_EXCLUSIVE);
			EXPECT_EQ(tg.sc->pfn_reuse_after, e->a_pfn);
			EXPECT_EQ(e->b_pfn, e->a_pfn);
			break;
		case VMSCOPE_FAULT_MAJOR_SWAP:
		case VMSCOPE_FAULT_MINOR_SWAP:
			EXPECT_EQ(VMSCOPE_STATE_SWAP, e->b_state);
			EXPECT_EQ(VMSCOPE_STATE_PRESENT, e->a_state);
			break;
		case VMSCOPE_FAULT_MAJOR_FILE:
		case VMSCOPE_FAULT_MINOR_CACHE:
			EXPECT_EQ(VMSCOPE_STATE_NONE, e->b_state);
			EXPECT_TRUE(e->a_flags & VMSCOPE_PAGE_F_FILE);
			break;
		case VMSCOPE_FAULT_SEGV_MAPERR:
		case VMSCOPE_FAULT_SEGV_ACCERR:
			EXPECT_FALSE(e->has_before);
			EXPECT_FALSE(e->has_after);
			break;
		}
	}
}

TEST_F_TIMEOUT(faults, scripted_sequence, 120)
{
	scripted(_metadata, &self->nl, false);
}

TEST_F_TIMEOUT(faults, scripted_check_explain, 120)
{
	scripted(_metadata, &self->nl, true);
}

/* exec: a new address space ends the trace. */
TEST_F_TIMEOUT(faults, end_on_exec, 120)
{
	struct trace t;
	int go[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		execl("/bin/sleep", "sleep", "1", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	ASSERT_EQ(0, trace_start(&self->nl, &t, pid, 0, 0));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(0, trace_read(&self->nl, &t, TRACE_END_MS, UNTIL_END));
	EXPECT_TRUE(t.ended);
	EXPECT_EQ(VMSCOPE_TRACE_END_EXECED, t.end_reason);
	/* the events delivered are what TRACE_END counts */
	EXPECT_EQ((uint64_t)t.n, t.end_events);
	waitpid(pid, &status, 0);
}

#define PMD_SZ (2UL << 20)

/* A child's steps on a page: 1 reads it, 2 writes it. */
static int read_then_write(int step, void *arg)
{
	volatile char *p = arg;

	if (step == 1)
		(void)p[0];
	else if (step == 2)
		p[0] = 1;
	return 0;
}

/* Read the trace until it holds @n events or TRACE_END_MS have passed. */
static void wait_for_events(struct tnl *nl, struct trace *t, int n)
{
	int waited;

	for (waited = 0; waited < TRACE_END_MS && t->n < n; waited += 100)
		if (trace_read(nl, t, 100, UNTIL_TIME) < 0 || t->ended)
			return;
}

/*
 * A read of untouched MADV_HUGEPAGE memory maps the huge zero page; the
 * write that follows copies it (a small page on 6.12, a new THP on 7.x).
 * On 7.x the huge zero PMD is pmd_special(): the tracer once took it for
 * a PFN map (minor-new-page, then driver).  Oracle: pagemap and
 * kpageflags of the child after each step.
 */
TEST_F_TIMEOUT(faults, thp_huge_zero_then_write, 120)
{
	struct oracle_page read_o, write_o;
	struct child c;
	struct trace t;
	char *raw, *p;
	int i;

	if (!thp_enabled())
		SKIP(return, "THP disabled (transparent_hugepage/enabled)");
	raw = mmap(NULL, 2 * PMD_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, raw);
	p = (char *)(((uintptr_t)raw + PMD_SZ - 1) & ~(PMD_SZ - 1));
	ASSERT_EQ(0, madvise(p, PMD_SZ, MADV_HUGEPAGE));
	ASSERT_EQ(0, child_start(&c, read_then_write, p));
	ASSERT_EQ(0, trace_start(&self->nl, &t, c.pid, (uintptr_t)p,
				 (uintptr_t)p + PMD_SZ));
	ASSERT_EQ(0, child_step(&c));
	ASSERT_EQ(0, oracle_pages(c.pid, (uintptr_t)p, 1, &read_o));
	ASSERT_EQ(0, child_step(&c));
	ASSERT_EQ(0, oracle_pages(c.pid, (uintptr_t)p, 1, &write_o));
	wait_for_events(&self->nl, &t, 2);
	ASSERT_EQ(0, trace_stop(&self->nl, &t));
	child_stop(&c);
	munmap(raw, 2 * PMD_SZ);
	for (i = 0; i < t.n; i++)
		TH_LOG("event %d: access %u outcome %u before %u/%#x after %u/%#x",
		       i, t.ev[i].access, t.ev[i].outcome, t.ev[i].b_state,
		       t.ev[i].b_flags, t.ev[i].a_state, t.ev[i].a_flags);
	if (!kpf(&read_o, KPF_ZERO_PAGE) || !kpf(&read_o, KPF_THP))
		SKIP(return, "the read mapped no huge zero page (kpageflags %#llx; use_zero_page=0?)",
		     (unsigned long long)read_o.kflags);
	ASSERT_TRUE(kpf(&write_o, KPF_ANON));
	ASSERT_EQ(2, t.n);

	EXPECT_EQ(VMSCOPE_ACCESS_READ, t.ev[0].access);
	EXPECT_EQ(VMSCOPE_FAULT_MINOR_ZERO, t.ev[0].outcome);
	EXPECT_EQ(VMSCOPE_STATE_NONE, t.ev[0].b_state);
	EXPECT_EQ(VMSCOPE_STATE_PRESENT, t.ev[0].a_state);
	EXPECT_EQ(VMSCOPE_PAGE_F_ZERO | VMSCOPE_PAGE_F_HUGE_ZERO |
		  VMSCOPE_PAGE_F_THP,
		  t.ev[0].a_flags & (VMSCOPE_PAGE_F_ZERO |
				     VMSCOPE_PAGE_F_HUGE_ZERO |
				     VMSCOPE_PAGE_F_THP | VMSCOPE_PAGE_F_ANON));
	EXPECT_EQ(pm_pfn(read_o.pm), t.ev[0].a_pfn);

	EXPECT_EQ(VMSCOPE_ACCESS_WRITE, t.ev[1].access);
	EXPECT_EQ(VMSCOPE_FAULT_COW_COPY, t.ev[1].outcome);
	EXPECT_TRUE(t.ev[1].b_flags & VMSCOPE_PAGE_F_HUGE_ZERO);
	EXPECT_TRUE(t.ev[1].b_flags & VMSCOPE_PAGE_F_COW);
	EXPECT_EQ(pm_pfn(read_o.pm), t.ev[1].b_pfn);
	EXPECT_EQ(VMSCOPE_STATE_PRESENT, t.ev[1].a_state);
	EXPECT_TRUE(t.ev[1].a_flags & VMSCOPE_PAGE_F_ANON);
	EXPECT_TRUE(t.ev[1].a_flags & VMSCOPE_PAGE_F_WRITE);
	EXPECT_FALSE(t.ev[1].a_flags & VMSCOPE_PAGE_F_ZERO);
	EXPECT_EQ(pm_pfn(write_o.pm), t.ev[1].a_pfn);
	/* a new THP only where the oracle sees one */
	EXPECT_EQ(kpf(&write_o, KPF_THP),
		  !!(t.ev[1].a_flags & VMSCOPE_PAGE_F_THP));
}

/* What a tracer saw of one read of a file page (a shared page). */
struct file_read {
	int err;		/* 0, or the step that failed */
	int n;
	struct ev ev;
};

#define READ_FILE_PATH "/etc/passwd"	/* root's: others may not write it */

/*
 * Trace a child that reads the first page of READ_FILE_PATH, with
 * check-explain, as whoever runs this: the first event goes to @arg.
 */
static int trace_file_read(void *arg)
{
	struct file_read *res = arg;
	struct trace t = {};
	struct tnl nl;
	int fd, go[2];
	char *p, c;
	pid_t pid;

	/* setuid() made this process undumpable: no ptrace access then */
	prctl(PR_SET_DUMPABLE, 1);
	fd = open(READ_FILE_PATH, O_RDONLY);
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (fd < 0 || p == MAP_FAILED || pipe(go))
		return res->err = 1;
	pid = fork();
	if (!pid) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		(void)*(volatile char *)p;
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	if (pid < 0 || tnl_open(&nl))
		return res->err = 2;
	if (trace_start_flags(&nl, &t, pid, (uintptr_t)p, (uintptr_t)p + PAGE,
			      VMSCOPE_REQ_CHECK_EXPLAIN))
		return res->err = 3;
	if (write(go[1], "g", 1) != 1)
		return res->err = 4;
	wait_for_events(&nl, &t, 1);
	trace_stop(&nl, &t);
	close(go[1]);
	waitpid(pid, NULL, 0);
	res->n = t.n;
	if (t.n)
		res->ev = t.ev[0];
	tnl_close(&nl);
	return 0;
}

/*
 * Whether a file page was in the page cache is told only as mincore()
 * tells it: to whoever may write the file (or owns it), or root.  A
 * reader that may not (nobody, of a file of root's) hears "minor or
 * major" in the outcome and the prediction, and no VM_FAULT bits.
 */
TEST_F_TIMEOUT(faults, page_cache_residency_as_mincore_tells_it, 120)
{
	struct file_read *res = mmap(NULL, 2 * sizeof(*res),
				     PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct file_read *root = &res[0], *nobody = &res[1];
	struct saved_sysctl unpriv;
	int ret;

	ASSERT_NE(MAP_FAILED, res);
	if (getuid() != 0)
		SKIP(return, "needs root to become nobody");
	ASSERT_EQ(0, trace_file_read(root));
	/* tracing is CAP_PERFMON's; the parameter lets nobody trace its own */
	ASSERT_EQ(0, sysctl_set(&unpriv,
				"/sys/module/vmscope/parameters/faults_unprivileged",
				"1"));
	ret = run_as_nobody(trace_file_read, nobody);
	sysctl_restore(&unpriv);
	ASSERT_EQ(0, ret)
		TH_LOG("step %d failed", nobody->err);
	ASSERT_EQ(1, root->n);
	ASSERT_EQ(1, nobody->n);
	TH_LOG("root: outcome %u predicted %u vm_fault %#x; nobody: outcome %u predicted %u",
	       root->ev.outcome, root->ev.predicted, root->ev.vm_fault,
	       nobody->ev.outcome, nobody->ev.predicted);
	/* root may know: minor or major, and said so */
	EXPECT_TRUE(root->ev.outcome == VMSCOPE_FAULT_MINOR_CACHE ||
		    root->ev.outcome == VMSCOPE_FAULT_MAJOR_FILE);
	EXPECT_TRUE(root->ev.has_vm_fault);
	/* nobody may not */
	EXPECT_EQ(VMSCOPE_FAULT_CACHE_HIDDEN, nobody->ev.outcome);
	EXPECT_TRUE(nobody->ev.has_predicted);
	EXPECT_EQ(VMSCOPE_FAULT_CACHE_HIDDEN, nobody->ev.predicted);
	EXPECT_FALSE(nobody->ev.has_vm_fault);
	EXPECT_EQ(0, nobody->ev.retries);
	EXPECT_FALSE(nobody->ev.flags & VMSCOPE_FAULT_F_MISPREDICTED);
	munmap(res, 2 * sizeof(*res));
}

#define NTHREADS 40	/* more than the tracer pairs at once (32) */

struct held {
	char *base;
	pthread_barrier_t start;
	int msgs;		/* the userfaultfd's: faults it was handed */
};

struct writer {
	struct held *h;
	long i;
};

static void *write_own_page(void *arg)
{
	struct writer *w = arg;

	pthread_barrier_wait(&w->h->start);
	w->h->base[w->i * PAGE] = 1;
	return NULL;
}

/*
 * The target: NTHREADS threads write a page each of a userfaultfd
 * range at once; the handler answers none until all are in a fault,
 * so all are inside handle_mm_fault() together.
 */
static int hold_threads_in_faults(struct held *h)
{
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)h->base,
			   .len = NTHREADS * PAGE },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	struct uffdio_api api = { .api = UFFD_API };
	static char src[PAGE_SIZE_MAX] __attribute__((aligned(PAGE_SIZE_MAX)));
	struct writer arg[NTHREADS];
	pthread_t th[NTHREADS];
	uint64_t addr[NTHREADS];
	struct uffd_msg msg;
	int uffd, i;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg))
		return 1;
	pthread_barrier_init(&h->start, NULL, NTHREADS);
	for (i = 0; i < NTHREADS; i++) {
		arg[i].h = h;
		arg[i].i = i;
		if (pthread_create(&th[i], NULL, write_own_page, &arg[i]))
			return 2;
	}
	for (h->msgs = 0; h->msgs < NTHREADS; h->msgs++) {
		struct pollfd pfd = { .fd = uffd, .events = POLLIN };

		if (poll(&pfd, 1, 60000) != 1 ||
		    read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
		    msg.event != UFFD_EVENT_PAGEFAULT)
			return 3;
		addr[h->msgs] = msg.arg.pagefault.address & ~(PAGE - 1);
	}
	for (i = 0; i < NTHREADS; i++) {
		struct uffdio_copy copy = {
			.dst = addr[i], .src = (uintptr_t)src, .len = PAGE,
		};

		if (ioctl(uffd, UFFDIO_COPY, &copy))
			return 4;
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	return 0;
}

/*
 * More threads in a fault at once than the tracer pairs: every fault
 * is one event, complete (handed to userfaultfd) or incomplete (its
 * pairing slot was given up), never a guess and never two events.  The
 * witness is the userfaultfd, which was handed each fault once.
 */
TEST_F_TIMEOUT(faults, threads_beyond_pairing_slots, 180)
{
	struct held *h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int seen[NTHREADS] = { 0 }, i, status, incomplete = 0;
	struct trace t;
	pid_t pid;
	int go[2];
	char c;

	ASSERT_NE(MAP_FAILED, h);
	h->base = mmap(NULL, NTHREADS * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, h->base);
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (read(go[0], &c, 1) != 1)
			_exit(10);
		_exit(hold_threads_in_faults(h));
	}
	ASSERT_EQ(0, trace_start(&self->nl, &t, pid, (uintptr_t)h->base,
				 (uintptr_t)h->base + NTHREADS * PAGE));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 1)
		SKIP(return, "no userfaultfd for the target (errno %d)", errno);
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(NTHREADS, h->msgs);
	ASSERT_EQ(0, trace_read(&self->nl, &t, TRACE_END_MS, UNTIL_END));
	ASSERT_TRUE(t.ended);
	EXPECT_EQ(0, t.end_dropped);
	for (i = 0; i < t.n; i++) {
		const struct ev *e = &t.ev[i];
		uint64_t page = (e->addr - (uintptr_t)h->base) / PAGE;

		TH_LOG("event %d: page %llu outcome %u flags %#x retries %u",
		       i, (unsigned long long)page, e->outcome, e->flags,
		       e->retries);
		EXPECT_LT(page, NTHREADS);
		if (page < NTHREADS)
			seen[page]++;
		EXPECT_EQ(VMSCOPE_ACCESS_WRITE, e->access);
		EXPECT_FALSE(e->flags & VMSCOPE_FAULT_F_GUP);
		EXPECT_TRUE(e->outcome == VMSCOPE_FAULT_UFFD ||
			    e->outcome == VMSCOPE_FAULT_INCOMPLETE)
			TH_LOG("event %d: outcome %u", i, e->outcome);
		incomplete += e->outcome == VMSCOPE_FAULT_INCOMPLETE;
	}
	for (i = 0; i < NTHREADS; i++)
		EXPECT_EQ(1, seen[i]) TH_LOG("page %d", i);
	EXPECT_EQ(NTHREADS, t.n);
	TH_LOG("%d of %d faults incomplete (slots given up)", incomplete,
	       NTHREADS);
	munmap(h->base, NTHREADS * PAGE);
	munmap(h, sizeof(*h));
}

/*
 * Another process writes into the target (process_vm_writev(): GUP on
 * the target's mm): a fault of the target's, marked remote, with neither
 * the writer's thread nor its IP.  Oracle: pagemap, and what was done.
 */
TEST_F_TIMEOUT(faults, remote_write_is_reported, 120)
{
	struct iovec local, remote;
	char *p, byte = 7;
	struct trace t;
	uint64_t pm = 0;
	pid_t pid;
	int go[2];
	char c;

	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(go[1]);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(p[0] == 7 ? 0 : 2);	/* sees what was written */
	}
	close(go[0]);
	ASSERT_EQ(0, trace_start(&self->nl, &t, pid, (uintptr_t)p,
				 (uintptr_t)p + PAGE));
	local.iov_base = &byte;
	local.iov_len = 1;
	remote.iov_base = p;
	remote.iov_len = 1;
	ASSERT_EQ(1, process_vm_writev(pid, &local, 1, &remote, 1, 0));
	ASSERT_EQ(0, pagemap_read(pid, (uintptr_t)p, 1, &pm));
	EXPECT_TRUE(pm & PM_PRESENT);
	wait_for_events(&self->nl, &t, 1);
	close(go[1]);
	ASSERT_EQ(0, trace_read(&self->nl, &t, TRACE_END_MS, UNTIL_END));
	waitpid(pid, NULL, 0);
	ASSERT_EQ(1, t.n);
	EXPECT_EQ((uintptr_t)p, t.ev[0].addr);
	EXPECT_EQ(VMSCOPE_ACCESS_WRITE, t.ev[0].access);
	EXPECT_EQ(VMSCOPE_FAULT_MINOR_ANON, t.ev[0].outcome);
	EXPECT_EQ(VMSCOPE_FAULT_F_REMOTE | VMSCOPE_FAULT_F_GUP,
		  t.ev[0].flags & (VMSCOPE_FAULT_F_REMOTE |
				   VMSCOPE_FAULT_F_GUP |
				   VMSCOPE_FAULT_F_USER));
	EXPECT_EQ(0, t.ev[0].tid);
	EXPECT_EQ(0, t.ev[0].ip);
	EXPECT_EQ(pm_pfn(pm), t.ev[0].a_pfn);
	munmap(p, PAGE);
}

/*
 * FAULTS_STOP, two traces of one target, and rmmod meanwhile: refused,
 * since every trace holds the module.
 */
TEST_F(faults, stop_two_traces_rmmod)
{
	struct trace t1, t2;
	struct tnl nl2;
	int go[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char *p = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int i;

		close(go[1]);
		for (i = 0; i < 64; i++)
			p[i * PAGE] = 1;
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	/* after the fork: a socket the target shared would not close */
	NL_OPEN(&nl2);
	ASSERT_EQ(0, trace_start(&self->nl, &t1, pid, 0, 0));
	ASSERT_EQ(0, trace_start(&nl2, &t2, pid, 0, 0));
	EXPECT_NE(t1.id, t2.id);

	errno = 0;
	EXPECT_NE(0, syscall(SYS_delete_module, "vmscope", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);

	ASSERT_EQ(0, trace_stop(&self->nl, &t1));
	EXPECT_TRUE(t1.ended);
	EXPECT_EQ(VMSCOPE_TRACE_END_STOPPED, t1.end_reason);
	EXPECT_EQ((uint64_t)t1.n, t1.end_events);
	/* a stopped trace is gone: stopping it again is an error */
	t1.ended = false;
	EXPECT_EQ(-ENOENT, trace_stop(&self->nl, &t1));
	EXPECT_FALSE(t1.ended);
	/*
	 * The reader closes: its trace ends too (NETLINK_URELEASE), and
	 * with it the module reference it held, while the target lives on.
	 */
	EXPECT_LT(0, module_refcnt());
	tnl_close(&nl2);
	EXPECT_TRUE(module_wait_refcnt(0, 10))
		TH_LOG("vmscope refcnt stays %d", module_refcnt());
	EXPECT_EQ(0, kill(pid, 0));
	close(go[1]);
	waitpid(pid, &status, 0);
}

/* Is the kretprobe on handle_mm_fault() registered?  -1: cannot tell. */
static int hmm_probe_listed(void)
{
	FILE *f = fopen("/sys/kernel/debug/kprobes/list", "r");
	char line[512];
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " handle_mm_fault+"))
			found = 1;
	fclose(f);
	return found;
}

/*
 * Zero cost when nobody traces: the probes come with the first trace
 * and are gone once none has run for the linger time (10 s,
 * faults_probe.c), the kprobes' own list the oracle.
 */
TEST_F_TIMEOUT(faults, probes_gone_when_nobody_traces, 120)
{
	struct trace t;
	int listed, i;
	pid_t pid;

	if (hmm_probe_listed() < 0)
		SKIP(return, "no /sys/kernel/debug/kprobes/list to ask");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, trace_start(&self->nl, &t, pid, 0, 0));
	EXPECT_EQ(1, hmm_probe_listed());
	ASSERT_EQ(0, trace_stop(&self->nl, &t));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (i = 0; i < 300 && (listed = hmm_probe_listed()) == 1; i++)
		usleep(100 * 1000);
	EXPECT_EQ(0, listed) TH_LOG("still registered 30 s after the trace");
	TH_LOG("probes gone %.1f s after the last trace ended", i / 10.0);
}

/* A kernel built for catching mistakes (KASAN, lockdep): ~3x slower. */
static bool debug_kernel(void)
{
	struct utsname u;

	return !uname(&u) && strstr(u.release, "debug");
}

/*
 * Many traces at once: each sees its own target's faults, all end.
 * 100 on Debian's kernels, 30 on the debug kernel (CI time).
 */
TEST_F_TIMEOUT(faults, hundred_targets, 600)
{
	const int N = debug_kernel() ? 30 : 100;
	struct tnl *nl = calloc(N, sizeof(*nl));
	struct trace *t = calloc(N, sizeof(*t));
	pid_t *pid = calloc(N, sizeof(*pid));
	int go[2], i, ended = 0;
	char c;

	if (N < 100)
		TH_LOG("debug kernel: %d targets, not 100", N);

	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < N; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			char *p;
			int k;

			close(go[1]);
			if (read(go[0], &c, 1) < 0)
				_exit(1);
			p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			for (k = 0; k < 16; k++)
				p[k * PAGE] = 1;
			_exit(0);
		}
	}
	close(go[0]);
	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, tnl_open(&nl[i]));
		ASSERT_EQ(0, trace_start(&nl[i], &t[i], pid[i], 0, 0));
	}
	close(go[1]);	/* all run */
	for (i = 0; i < N; i++) {
		waitpid(pid[i], NULL, 0);
		trace_read(&nl[i], &t[i], TRACE_END_MS, UNTIL_END);
		if (t[i].ended && t[i].end_reason == VMSCOPE_TRACE_END_EXITED)
			ended++;
		/* its 16 first touches at least, none of another's TIDs */
		EXPECT_LE(16, t[i].n) TH_LOG("target %d", i);
		if (t[i].n)
			EXPECT_EQ((uint32_t)pid[i], t[i].ev[0].tid);
		tnl_close(&nl[i]);
	}
	EXPECT_EQ(N, ended);
}

/* A child that touches @pages new pages once a byte comes on go[0]. */
static pid_t flooder(size_t pages, int go[2])
{
	pid_t pid;
	char c;

	if (pipe(go))
		return -1;
	pid = fork();
	if (!pid) {
		char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		size_t k;

		close(go[1]);
		madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		for (k = 0; k < pages; k++)
			p[k * PAGE] = 1;
		_exit(0);
	}
	close(go[0]);
	return pid;
}

/* Seconds the flooder takes from the go byte to its exit. */
static double flood_time(pid_t pid, int go)
{
	struct timespec t0, t1;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (write(go, "g", 1) != 1)
		return -1;
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(go);
	return (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/*
 * A flood while the reader sleeps: the target is not held up by its
 * reader (its time against the same work untraced), the ring drops and
 * counts, every fault is either delivered or counted.
 */
TEST_F_TIMEOUT(faults, flood, 300)
{
	const size_t pages = 20000;
	double untraced, traced;
	struct trace t;
	int go[2], rcv = 16384;
	pid_t pid;

	setsockopt(self->nl.fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	pid = flooder(pages, go);
	ASSERT_LT(0, pid);
	untraced = flood_time(pid, go[1]);

	pid = flooder(pages, go);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, trace_start(&self->nl, &t, pid, 0, 0));
	traced = flood_time(pid, go[1]);
	/* the reader slept through it all: now it reads */
	ASSERT_EQ(0, trace_read(&self->nl, &t, TRACE_END_MS, UNTIL_END));
	ASSERT_TRUE(t.ended);
	TH_LOG("%zu faults: %.2f s untraced, %.2f s traced; delivered %d, dropped %llu, ring %u",
	       pages, untraced, traced, t.n,
	       (unsigned long long)t.end_dropped, t.ring_events);
	/* a bound loose enough for TCG guests: waiting would be far more */
	EXPECT_GT(untraced * 10 + 1, traced);
	EXPECT_EQ((uint64_t)t.n, t.end_events);
	EXPECT_LT(0, t.end_dropped);
	/* every first touch is delivered or counted (plus libc's own) */
	EXPECT_LE(pages, t.n + t.end_dropped);
	/* SEQ counts the drops: gaps, never more than there were */
	if (t.n) {
		EXPECT_LE((uint64_t)t.n, t.ev[t.n - 1].seq);
		EXPECT_GE((uint64_t)t.n + t.end_dropped, t.ev[t.n - 1].seq);
	}
}

#define FAULTS_FILE "/sys/kernel/debug/vmscope/faults"

/*
 * The debugfs file: the same trace as text.  A child reads a page and
 * writes another, then exits; the file gives those two lines, in order,
 * and the end line; EOF after it.
 */
TEST(debugfs_faults)
{
	char *p, buf[8192], q[64], *line;
	int fd, go[2], status, n = 0, events = 0;
	size_t len = 0;
	pid_t pid;
	char c;

	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	fd = open(FAULTS_FILE, O_RDWR);
	if (fd < 0 && errno == ENOENT)
		SKIP(return, "no %s (module not loaded?)", FAULTS_FILE);
	ASSERT_LE(0, fd);
	/* read before a question: nothing to read */
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	/* a refused question: the next read says why, in one line */
	snprintf(q, sizeof(q), "%d", 4194303);	/* PID_MAX_LIMIT: unused */
	EXPECT_EQ(-1, write(fd, q, strlen(q)));
	EXPECT_EQ(ESRCH, errno);
	len = read(fd, buf, sizeof(buf) - 1);
	buf[len < sizeof(buf) ? len : 0] = '\0';
	EXPECT_STREQ("# error: no such process (-3)\n", buf);
	len = 0;
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		volatile char *v = p;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		(void)v[0];
		v[PAGE] = 1;
		_exit(0);
	}
	close(go[0]);
	snprintf(q, sizeof(q), "%d %#lx-%#lx\n", pid, (unsigned long)p,
		 (unsigned long)p + 2 * PAGE);
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
	/* one trace per open file */
	EXPECT_EQ(-1, write(fd, q, strlen(q)));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(1, write(go[1], "g", 1));
	waitpid(pid, &status, 0);
	while (len < sizeof(buf) - 1) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);

		ASSERT_LE(0, r);
		if (!r)
			break;
		len += r;
	}
	buf[len] = '\0';
	close(fd);
	TH_LOG("%s", buf);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"), n++) {
		if (!strncmp(line, "# end:", 6)) {
			EXPECT_EQ(0, strncmp(line,
					     "# end: events=2 dropped=0 missed=",
					     33)) TH_LOG("%s", line);
			EXPECT_NE(NULL, strstr(line, " reason=exited"));
			continue;
		}
		events++;
		if (n == 0)
			EXPECT_NE(NULL, strstr(line, " read ip=")) TH_LOG("%s", line);
		if (n == 0)
			EXPECT_NE(NULL, strstr(line, " minor-zero-page"));
		if (n == 1)
			EXPECT_NE(NULL, strstr(line, " write ip="));
		if (n == 1)
			EXPECT_NE(NULL, strstr(line, " minor-new-page"));
	}
	EXPECT_EQ(2, events);
	EXPECT_EQ(3, n);
}

/*
 * A fault at an IP in a file named like a maps line (issue #22): the
 * file's name is printed as /proc/PID/maps prints it, the newline as
 * \012, so the event stays one line.  The child's code there is
 * "movb $1, (%rdi); ret", called on a page it never touched; the child
 * lives until the line is read (the IP of a gone process is a number).
 */
TEST(debugfs_faults_escapes_the_ip_file)
{
	static const unsigned char code[] = { 0xc6, 0x07, 0x01, 0xc3 };
	char *p, buf[8192], q[64], want[512], *line;
	const struct proc_vma *v;
	struct proc_maps pm;
	int fd, mfd, go[2], status, n = 0;
	void (*fn)(char *);
	size_t len = 0;
	ssize_t r;
	pid_t pid;
	char c;

	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	mfd = memfd_create(hostile_names[NR_HOSTILE_NAMES - 1], MFD_CLOEXEC);
	ASSERT_LE(0, mfd);
	ASSERT_EQ((ssize_t)sizeof(code), write(mfd, code, sizeof(code)));
	ASSERT_EQ(0, ftruncate(mfd, PAGE));
	fn = mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED, mfd, 0);
	ASSERT_NE(MAP_FAILED, fn);
	close(mfd);
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		fn(p);
		_exit(read(go[0], &c, 1) != 0);
	}
	close(go[0]);
	fd = open(FAULTS_FILE, O_RDWR);
	if (fd < 0 && errno == ENOENT) {
		close(go[1]);
		SKIP(return, "no %s (module not loaded?)", FAULTS_FILE);
	}
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, proc_maps_read(pid, &pm));
	v = proc_maps_find(&pm, (uintptr_t)fn);
	ASSERT_NE(NULL, v);
	snprintf(want, sizeof(want), " write ip=%s+0x", v->path);
	proc_maps_free(&pm);
	snprintf(q, sizeof(q), "%d %#lx-%#lx\n", pid, (unsigned long)p,
		 (unsigned long)p + PAGE);
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
	ASSERT_EQ(1, write(go[1], "g", 1));
	while (len < sizeof(buf) - 1 && !memchr(buf, '\n', len) &&
	       (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	close(go[1]);
	waitpid(pid, &status, 0);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	while (len < sizeof(buf) - 1 &&
	       (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	buf[len] = '\0';
	close(fd);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"), n++) {
		if (n == 0) {
			EXPECT_NE(NULL, strstr(line, want))
				TH_LOG("'%s' lacks '%s'", line, want);
		} else {
			EXPECT_EQ(0, strncmp(line, "# end: events=1 ", 16))
				TH_LOG("line %d: '%s'", n + 1, line);
		}
	}
	EXPECT_EQ(2, n);
	munmap(p, PAGE);
	munmap(fn, PAGE);
}

/* Closing the file ends the trace; the target runs on, unslowed. */
TEST(debugfs_faults_close)
{
	int fd, go[2], status;
	char q[32], c;
	pid_t pid;

	fd = open(FAULTS_FILE, O_RDWR);
	if (fd < 0 && errno == ENOENT)
		SKIP(return, "no %s (module not loaded?)", FAULTS_FILE);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char *p = mmap(NULL, 256 * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int i;

		close(go[1]);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		for (i = 0; i < 256; i++)
			p[i * PAGE] = 1;
		_exit(0);
	}
	close(go[0]);
	snprintf(q, sizeof(q), "%d", pid);
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
}

/* A child that takes page faults until killed: mmap, touch, munmap. */
static pid_t busy_faulter(void)
{
	pid_t pid = fork();

	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;) {
			char *p = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			int i;

			if (p == MAP_FAILED)
				_exit(1);
			for (i = 0; i < 64; i++)
				p[i * PAGE] = 1;
			munmap(p, 64 * PAGE);
		}
	}
	return pid;
}

/* The kernel's taint mask: bit 7 (D) once any oops happened. */
static long taint_mask(void)
{
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");
	long t = -1;

	if (f) {
		if (fscanf(f, "%ld", &t) != 1)
			t = -1;
		fclose(f);
	}
	return t;
}

#define TAINT_DIE (1L << 7)

/*
 * Closing the file while its text buffer is full and the trace is busy
 * (open, write a PID, never read, close), many times: ->release() must
 * not return while the trace's work still writes to the file's buffer
 * (it did: a NULL pointer dereference in faults_text_send() from the
 * work).  The oracle: no oops (the taint's D bit; vm-run also scans the
 * log), and the module's references all come back.
 */
TEST_F_TIMEOUT(faults, debugfs_close_full_buffer, 300)
{
	long taint0 = taint_mask();
	int fd, round, rounds = 25;
	char q[32];
	pid_t pid;

	fd = open(FAULTS_FILE, O_RDWR);
	if (fd < 0 && errno == ENOENT)
		SKIP(return, "no %s (module not loaded?)", FAULTS_FILE);
	ASSERT_LE(0, fd);
	close(fd);
	pid = busy_faulter();
	ASSERT_LT(0, pid);
	snprintf(q, sizeof(q), "%d", pid);
	for (round = 0; round < rounds; round++) {
		fd = open(FAULTS_FILE, O_RDWR);
		ASSERT_LE(0, fd);
		ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
		/* 64 KiB of lines: a few hundred faults fill it */
		usleep(round % 2 ? 300000 : 30000);
		ASSERT_EQ(0, close(fd));
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_TRUE(module_wait_refcnt(0, 30))
		TH_LOG("vmscope refcnt stays %d", module_refcnt());
	/* let a work that survived its file run into what it freed */
	sleep_s(2);
	EXPECT_EQ(0, taint_mask() & ~taint0 & TAINT_DIE)
		TH_LOG("the kernel oopsed: tainted %ld, was %ld", taint_mask(),
		       taint0);
}

/* A socket's port ID, as the kernel bound it. */
static uint32_t nl_portid(int fd)
{
	struct sockaddr_nl a = { 0 };
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return 0;
	return a.nl_pid;
}

/*
 * The reader's socket closes while its trace has events on their way; a
 * process of another user binds the same port ID the moment it is free
 * (it spins on bind() from before the close) and listens: not one of
 * the trace's messages may reach it.  The port ID is free before the
 * kernel even announces the close (NETLINK_URELEASE), so a tracer that
 * sends to a port ID rather than to its socket leaks the rest of the
 * trace, PFNs included, to whoever binds it.  Many rounds: each is a race.
 */
TEST_F_TIMEOUT(faults, reader_port_taken_over, 300)
{
	int *got = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int round, rounds = 20, bound = 0, leaked = 0;
	pid_t target, spy;

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_NE(MAP_FAILED, got);
	target = busy_faulter();
	ASSERT_LT(0, target);
	for (round = 0; round < rounds; round++) {
		struct trace t;
		struct tnl a;
		uint32_t port;
		int status;

		NL_OPEN(&a);
		ASSERT_EQ(0, trace_start(&a, &t, target, 0, 0));
		port = nl_portid(a.fd);
		ASSERT_NE(0, port);
		got[0] = 0;
		got[1] = 0;
		spy = fork();
		ASSERT_LE(0, spy);
		if (!spy) {
			struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
						  .nl_pid = port };
			struct timespec t0, now;
			char buf[16384];
			int fd;

			/* the reader's socket is closed when the test closes it */
			close(a.fd);
			if (setgid(NOBODY_UID) || setuid(NOBODY_UID))
				_exit(2);
			fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				    NETLINK_GENERIC);
			if (fd < 0)
				_exit(3);
			clock_gettime(CLOCK_MONOTONIC, &t0);
			while (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
				clock_gettime(CLOCK_MONOTONIC, &now);
				if (now.tv_sec - t0.tv_sec > 10)
					_exit(4);
			}
			got[0] = 1;
			for (;;) {
				struct pollfd p = { .fd = fd, .events = POLLIN };
				ssize_t n;

				if (poll(&p, 1, 1000) <= 0)
					break;
				n = recv(fd, buf, sizeof(buf), 0);
				if (n >= (ssize_t)sizeof(struct nlmsghdr) &&
				    ((struct nlmsghdr *)buf)->nlmsg_type ==
				    a.family)
					got[1]++;
			}
			_exit(0);
		}
		/* let the spy spin, the trace fill the socket, then close */
		usleep(100000);
		tnl_close(&a);
		ASSERT_EQ(spy, waitpid(spy, &status, 0));
		ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("spy status %#x", status);
		bound += got[0];
		leaked += got[1];
		free(t.ev);
	}
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	TH_LOG("%d rounds, the port taken over in %d, messages leaked: %d",
	       rounds, bound, leaked);
	EXPECT_EQ(rounds, bound);
	EXPECT_EQ(0, leaked);
	munmap(got, PAGE);
}

TEST_HARNESS_MAIN
