// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab step "faults": the faults of the other steps seen as they
 * happen.  The lab traces its own process (vmscope faults on its own
 * pid, over one region), touches the region as the lazy, zero and cow
 * steps do, and shows each fault with the page before and after; every
 * event is checked against pagemap and kpageflags.
 *
 * The trace's socket, its events and everything that allocates live on
 * the observer thread (observe.c); the main thread only touches memory
 * and forks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../client/commands.h"
#include "lab.h"

#define KPF_ZERO_PAGE 24
#define FAULT_PAGES 4
#define MAX_EVENTS 16

/* What the step does, fault by fault: the page, the access, the outcome. */
static const struct {
	unsigned int page;
	u32 access;
	u32 outcome;
	const char *what;
} script[] = {
	{ 0, VMSCOPE_ACCESS_READ, VMSCOPE_FAULT_MINOR_ZERO,
	  "read page 0: the zero page is mapped" },
	{ 1, VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_MINOR_ANON,
	  "write page 1: a new page" },
	{ 2, VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_MINOR_ANON,
	  "write page 2: a new page" },
	{ 1, VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_COW_COPY,
	  "after fork(), write page 1, which the child shares: copied" },
	{ 2, VMSCOPE_ACCESS_WRITE, VMSCOPE_FAULT_COW_REUSE,
	  "after the child exited, write page 2: ours alone, reused" },
};

static struct {
	u64 s, e;
	struct vs_trace t;
	struct vs_error err;
	int ret;
	struct vs_fault_event ev[MAX_EVENTS];
	size_t n;
	bool ended;
} tr;

static void job_start(void *unused)
{
	tr.ret = vs_faults_start(&tr.t, getpid(), tr.s, tr.e, 0, &tr.err);
}

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Ample under emulation; the lab waits so long only if events go missing */
#define LAB_EVENTS_WAIT_MS 15000

/*
 * The events so far (they wait in the kernel's ring meanwhile): as many
 * as the script caused, or what came within 15 s; then stop the trace and
 * take what was still on its way.
 */
static void job_collect(void *unused)
{
	u64 deadline = now_ms() + LAB_EVENTS_WAIT_MS;
	struct vs_fault_event ev;
	int ret;

	tr.ret = 0;
	while (!tr.ended && now_ms() < deadline) {
		if (tr.n >= ARRAY_SIZE(script)) {
			ret = vs_faults_stop(&tr.t, &tr.err);
			if (ret) {
				tr.ret = ret;
				return;
			}
			deadline = now_ms() + LAB_EVENTS_WAIT_MS;
		}
		ret = vs_faults_next(&tr.t, 100, NULL, &ev, &tr.err);
		if (ret < 0) {
			tr.ret = ret;
			return;
		}
		if (ret == VS_FAULTS_END)
			tr.ended = true;
		if (ret != VS_FAULTS_EVENT)
			continue;
		if (tr.n < MAX_EVENTS)
			tr.ev[tr.n++] = ev;
		else
			vs_fault_event_free(&ev);
	}
}

static void job_show(void *unused)
{
	size_t i;

	printf("$ vmscope faults %u %llx-%llx\n", (unsigned int)getpid(),
	       (unsigned long long)tr.s, (unsigned long long)tr.e);
	vs_faults_text_header(12);
	for (i = 0; i < tr.n; i++)
		vs_faults_text_event(&tr.ev[i], tr.t.start_ns, 12);
	printf("\n");
}

static void job_free(void *unused)
{
	size_t i;

	for (i = 0; i < tr.n; i++)
		vs_fault_event_free(&tr.ev[i]);
	tr.n = 0;
	vs_faults_close(&tr.t);
}

/* The touches of script[], with a fork() in between. */
static int touch(char *p)
{
	int gate[2];
	pid_t child;
	char c;

	(void)lab_peek(p);
	lab_poke(p + LAB_PAGE, 1);
	lab_poke(p + 2 * LAB_PAGE, 1);
	if (pipe(gate))
		return -1;
	fflush(stdout);
	child = fork();
	if (child < 0)
		return -1;
	if (!child) {
		close(gate[1]);
		while (read(gate[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(gate[0]);
	lab_poke(p + LAB_PAGE, 2);
	close(gate[1]);
	waitpid(child, NULL, 0);
	lab_poke(p + 2 * LAB_PAGE, 2);
	return 0;
}

static const char *fault_word(u32 f)
{
	return vs_fault_name(f);
}

/* Each event against what the step did and what pagemap says now. */
static void check_events(u64 s, u64 zero_pfn)
{
	size_t i, n = tr.n < ARRAY_SIZE(script) ? tr.n : ARRAY_SIZE(script);
	u64 kflags = 0;
	bool reused;

	lab_check(tr.n == ARRAY_SIZE(script),
		  "the trace has %zu faults in the region, one per touch (%zu)",
		  ARRAY_SIZE(script), tr.n);
	for (i = 0; i < n; i++) {
		const struct vs_fault_event *ev = &tr.ev[i];
		u64 page = s + script[i].page * LAB_PAGE;
		u32 want = script[i].outcome;

		/*
		 * The last write copies after all when the page still has a
		 * reference elsewhere: do_wp_page() reuses only a page whose
		 * one reference is ours (a CPU's LRU batch may hold another).
		 */
		if (i == 4 && ev->outcome == VMSCOPE_FAULT_COW_COPY) {
			want = VMSCOPE_FAULT_COW_COPY;
			lab_note("page 2 was copied, not reused: it still had a\n"
				 " reference besides ours (see the exercises)");
		}
		lab_check((ev->addr & ~(LAB_PAGE - 1)) == page &&
			  ev->access == script[i].access &&
			  ev->outcome == want,
			  "%s (%s)", script[i].what, fault_word(ev->outcome));
	}
	if (n < ARRAY_SIZE(script))
		return;
	if (!lab_root()) {
		lab_check_skip("PFNs need root",
			       "pagemap and kpageflags agree with each event's page");
		return;
	}
	lab_check(tr.ev[0].has_after && tr.ev[0].after.has_pfn &&
		  tr.ev[0].after.pfn == zero_pfn &&
		  !lab_kpageflags(zero_pfn, &kflags) &&
		  (kflags >> KPF_ZERO_PAGE & 1),
		  "pagemap and kpageflags: the read mapped PFN %#llx, the zero page",
		  (unsigned long long)zero_pfn);
	lab_check(tr.ev[3].has_before && tr.ev[3].has_after &&
		  tr.ev[3].before.pfn == tr.ev[1].after.pfn &&
		  tr.ev[3].after.pfn != tr.ev[3].before.pfn &&
		  tr.ev[3].after.pfn == lab_pagemap_pfn(0, s + LAB_PAGE),
		  "pagemap: page 1 now has the copy's PFN %#llx, not the first page's %#llx",
		  (unsigned long long)tr.ev[3].after.pfn,
		  (unsigned long long)tr.ev[3].before.pfn);
	reused = tr.ev[4].outcome == VMSCOPE_FAULT_COW_REUSE;
	lab_check(tr.ev[4].has_before && tr.ev[4].has_after &&
		  tr.ev[4].before.pfn == tr.ev[2].after.pfn &&
		  (tr.ev[4].after.pfn == tr.ev[4].before.pfn) == reused &&
		  tr.ev[4].after.pfn == lab_pagemap_pfn(0, s + 2 * LAB_PAGE),
		  "pagemap: page 2 %s PFN %#llx",
		  reused ? "kept its" : "has the copy's",
		  (unsigned long long)tr.ev[4].after.pfn);
}

int lab_step_faults(void)
{
	char *p = lab_mmap_anon(FAULT_PAGES);
	u64 zero_pfn;

	if (!p)
		return lab_error("mmap");
	madvise(p, FAULT_PAGES * LAB_PAGE, MADV_NOHUGEPAGE);
	tr.s = (uintptr_t)p;
	tr.e = tr.s + FAULT_PAGES * LAB_PAGE;
	lab_say("The other steps look at the page tables before and after.\n"
		" vmscope faults watches the faults themselves: the module\n"
		" hooks the page-fault exception and handle_mm_fault(), and for\n"
		" each fault of the traced process reports the address, the\n"
		" access, the page before and after, and what the fault\n"
		" handler did.  Here the lab traces itself, over 4 fresh pages,\n"
		" and does what the lazy, zero and cow steps did, in one go.");

	lab_observe(job_start, NULL);
	if (tr.ret) {
		printf("vmscope faults: %s\n",
		       tr.err.msg[0] ? tr.err.msg : strerror(-tr.ret));
		return lab_error("starting the trace");
	}
	lab_act("Tracing our faults at %llx-%llx.  We read page 0, write\n"
		" pages 1 and 2, fork(), write page 1, let the child exit,\n"
		" and write page 2.",
		(unsigned long long)tr.s, (unsigned long long)tr.e);
	if (touch(p)) {
		lab_observe(job_free, NULL);
		return lab_error("fork");
	}
	lab_observe(job_collect, NULL);
	if (tr.ret) {
		printf("vmscope faults: %s\n",
		       tr.err.msg[0] ? tr.err.msg : strerror(-tr.ret));
		lab_observe(job_free, NULL);
		return lab_error("reading the trace");
	}
	lab_observe(job_show, NULL);
	zero_pfn = lab_pagemap_pfn(0, tr.s);	/* page 0 is still the zero page */
	check_events(tr.s, zero_pfn);
	lab_note("a read of a fresh page costs a fault but no memory; the\n"
		 " write after fork() copies only because the child still\n"
		 " maps the page, and once it is gone the same kind of write\n"
		 " just makes the page writable again.");
	lab_observe(job_free, NULL);
	munmap(p, FAULT_PAGES * LAB_PAGE);
	return lab_result();
}
