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
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>

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
	bool has_before, has_after, has_predicted;
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
	tnl_u32(&a, VMSCOPE_FAULT_A_VM_FAULT, &e->vm_fault);
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
			EXPECT_STREQ("# end: events=2 dropped=0 reason=exited",
				     line);
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

TEST_HARNESS_MAIN
