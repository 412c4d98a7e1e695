// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab steps on anonymous memory: lazy allocation, the zero page,
 * copy-on-write after fork().
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

#define KPF_ZERO_PAGE 24

#define LAZY_PAGES 64
#define LAZY_TOUCHED 16

static u64 addr_of(const void *p)
{
	return (uintptr_t)p;
}

int lab_step_lazy(void)
{
	bool ok;
	char *p = lab_mmap_anon(LAZY_PAGES);
	u64 s = addr_of(p), e = s + LAZY_PAGES * LAB_PAGE;
	u64 t = s + LAZY_TOUCHED * LAB_PAGE;
	long min0, maj0, min1, maj1;
	struct lab_count c;
	int i;

	if (!p)
		return lab_error("mmap");
	lab_say("mmap() of anonymous memory creates a VMA (a vm_area_struct,\n"
		" mm/mmap.c) and nothing else: no page is allocated, no\n"
		" page-table entry is written.  The first access to each page\n"
		" faults, and the fault handler (do_anonymous_page() in\n"
		" mm/memory.c) allocates a zeroed page and maps it.  Memory is\n"
		" reserved by mmap() and used, page by page, by touching it.");

	lab_act("mmap() gave 64 pages (256 KiB) at %llx-%llx.\n"
		"  vmscope's picture of them, one character per page:",
		(unsigned long long)s, (unsigned long long)e);
	lab_show("map", s, e);
	lab_check(lab_pagemap_count(s, LAZY_PAGES, PM_PRESENT) == 0,
		  "pagemap: none of the 64 pages is present");
	ok = lab_count(s, e, &c);
	lab_check(ok && c.none == LAZY_PAGES,
		  "vmscope: all 64 pages are 'none' (%zu are)", c.none);

	lab_act("Writing one byte to each of the first 16 pages.");
	lab_faults(&min0, &maj0);
	for (i = 0; i < LAZY_TOUCHED; i++)
		p[i * LAB_PAGE] = 1;
	lab_faults(&min1, &maj1);
	lab_show("map", s, e);
	lab_show("pages", t - 2 * LAB_PAGE, t + 2 * LAB_PAGE);
	lab_check(min1 - min0 >= LAZY_TOUCHED,
		  "getrusage: %ld page faults for 16 first writes (one each)",
		  min1 - min0);
	lab_check(lab_pagemap_count(s, LAZY_TOUCHED, PM_PRESENT) ==
		  LAZY_TOUCHED &&
		  lab_pagemap_count(t, LAZY_PAGES - LAZY_TOUCHED, PM_PRESENT) == 0,
		  "pagemap: the 16 written pages are present, the other 48 not");
	ok = lab_count(s, t, &c);
	lab_check(ok && c.present == LAZY_TOUCHED &&
		  c.anon == LAZY_TOUCHED && c.exclusive == LAZY_TOUCHED,
		  "vmscope: the 16 are present, anonymous, exclusive (%zu, %zu, %zu)",
		  c.present, c.anon, c.exclusive);
	ok = lab_count(t, e, &c);
	lab_check(ok && c.none == LAZY_PAGES - LAZY_TOUCHED,
		  "vmscope: the other 48 are still 'none' (%zu are)", c.none);
	munmap(p, LAZY_PAGES * LAB_PAGE);
	return lab_result();
}

#define ZERO_PAGES 16

/* The zero page's PFN as pagemap has it, if pagemap shows PFNs to us. */
static void check_zero_pfns(u64 s, size_t n, const struct lab_page *vp)
{
	u64 pfn0 = lab_pagemap_pfn(0, s), kflags = 0;
	bool same = true;
	size_t i;

	if (!lab_root()) {
		lab_check_skip("PFNs need root",
			       "pagemap: one PFN, the zero page, behind all %zu pages",
			       n);
		return;
	}
	for (i = 0; i < n; i++)
		same = same && lab_pagemap_pfn(0, s + i * LAB_PAGE) == pfn0 &&
		       vp[i].has_pfn && vp[i].pfn == pfn0;
	lab_check(pfn0 && same, "pagemap and vmscope: every page has PFN %#llx",
		  (unsigned long long)pfn0);
	lab_check(!lab_kpageflags(pfn0, &kflags) &&
		  (kflags >> KPF_ZERO_PAGE & 1),
		  "kpageflags: PFN %#llx is the zero page (KPF_ZERO_PAGE)",
		  (unsigned long long)pfn0);
}

int lab_step_zero(void)
{
	bool ok;
	static struct lab_page vp[ZERO_PAGES];
	char *p = lab_mmap_anon(ZERO_PAGES);
	u64 s = addr_of(p), e = s + ZERO_PAGES * LAB_PAGE;
	long min0, maj0, min1, maj1;
	u64 zero_pfn;
	struct lab_count c;
	size_t i, n, zeros = 0;
	int sum = 0;

	if (!p)
		return lab_error("mmap");
	lab_say("Reading anonymous memory that was never written need not\n"
		" allocate anything: it must read as zeros, and one page of\n"
		" zeros already exists.  do_anonymous_page() maps that shared\n"
		" zero page (ZERO_PAGE(), empty_zero_page) read-only, for every\n"
		" such read in every process.  The first write faults again\n"
		" (do_wp_page()) and gets a private page, copied from the zero\n"
		" page: copy-on-write.");

	lab_act("Reading one byte of each of 16 fresh pages at %llx.",
		(unsigned long long)s);
	lab_faults(&min0, &maj0);
	for (i = 0; i < ZERO_PAGES; i++)
		sum += lab_peek(p + i * LAB_PAGE);
	lab_faults(&min1, &maj1);
	lab_show("map", s, e);
	lab_show_runs(s, e);
	lab_check(!sum && min1 - min0 >= ZERO_PAGES,
		  "the pages read as zeros, after %ld page faults",
		  min1 - min0);
	lab_check(lab_pagemap_count(s, ZERO_PAGES, PM_PRESENT) == ZERO_PAGES,
		  "pagemap: all 16 pages are present");
	n = lab_pages(s, e, vp, ZERO_PAGES);
	for (i = 0; i < n; i++)
		zeros += vp[i].zero && !vp[i].write &&
			 !strcmp(vp[i].state, "present");
	lab_check(zeros == ZERO_PAGES,
		  "vmscope: all 16 are the zero page, read-only (%zu are)",
		  zeros);
	check_zero_pfns(s, n, vp);
	zero_pfn = lab_pagemap_pfn(0, s);

	lab_act("Writing to the first page.");
	lab_faults(&min0, &maj0);
	p[0] = 1;
	lab_faults(&min1, &maj1);
	lab_show_runs(s, e);
	lab_check(min1 - min0 >= 1, "getrusage: the write faulted (%ld)",
		  min1 - min0);
	n = lab_pages(s, s + LAB_PAGE, vp, 1);
	lab_check(n == 1 && !vp[0].zero && vp[0].anon && vp[0].exclusive &&
		  vp[0].write,
		  "vmscope: page 0 is a private page now, writable, exclusive");
	ok = lab_count(s + LAB_PAGE, e, &c);
	lab_check(ok && c.zero == ZERO_PAGES - 1,
		  "vmscope: the other 15 are still the zero page (%zu are)",
		  c.zero);
	if (lab_root())
		lab_check(lab_pagemap_pfn(0, s) != zero_pfn,
			  "pagemap: page 0 has a PFN of its own (%#llx)",
			  (unsigned long long)lab_pagemap_pfn(0, s));
	munmap(p, ZERO_PAGES * LAB_PAGE);
	return lab_result();
}

#define COW_PAGES 8

/* The child of the cow step: writes page 0 when told, exits when told. */
static void cow_child(char *p, int cmd, int ack)
{
	char c;

	while (read(cmd, &c, 1) == 1) {
		if (c == 'w')
			p[0] = 'c';
		if (c == 'q' || write(ack, &c, 1) != 1)
			break;
	}
	_exit(0);
}

static bool tell_child(int cmd, int ack, char c)
{
	char got;

	return write(cmd, &c, 1) == 1 && read(ack, &got, 1) == 1;
}

/* vmscope's view of the COW_PAGES pages at s, and how many pages match. */
static size_t cow_view(u64 s, struct lab_page *vp, bool cow,
		       u64 mapcount)
{
	size_t i, n = lab_pages(s, s + COW_PAGES * LAB_PAGE, vp, COW_PAGES),
	       match = 0;

	for (i = 0; i < n; i++)
		match += vp[i].cow == cow && vp[i].exclusive == !cow &&
			 lab_mapped(&vp[i], mapcount);
	return match;
}

static void cow_before_fork(char *p, u64 s, struct lab_page *vp)
{
	memset(p, 'p', COW_PAGES * LAB_PAGE);
	lab_show("pages", s, s + COW_PAGES * LAB_PAGE);
	lab_check(cow_view(s, vp, false, 1) == COW_PAGES,
		  "vmscope: 8 pages, each mapped once, exclusive, not COW");
	lab_check(lab_pagemap_count(s, COW_PAGES, PM_PRESENT | PM_MMAP_EXCL) ==
		  COW_PAGES, "pagemap: all 8 present and mapped exactly once");
}

static void cow_after_fork(u64 s, pid_t child, struct lab_page *vp)
{
	size_t i, same = 0;

	lab_show("pages", s, s + COW_PAGES * LAB_PAGE);
	lab_check(cow_view(s, vp, true, 2) == COW_PAGES,
		  "vmscope: all 8 mapped twice, not exclusive, a write would copy");
	lab_check(lab_pagemap_count(s, COW_PAGES, PM_PRESENT) == COW_PAGES &&
		  lab_pagemap_count(s, COW_PAGES, PM_MMAP_EXCL) == 0,
		  "pagemap: all 8 present, none mapped only once");
	if (!lab_root()) {
		lab_check_skip("PFNs need root",
			       "the child maps the same PFNs");
		return;
	}
	for (i = 0; i < COW_PAGES; i++)
		same += lab_pagemap_pfn(child, s + i * LAB_PAGE) ==
			lab_pagemap_pfn(0, s + i * LAB_PAGE);
	lab_check(same == COW_PAGES,
		  "pagemap of the child: the same 8 PFNs as ours");
}

static void cow_child_writes(u64 s, pid_t child, struct lab_page *vp)
{
	size_t n;

	lab_show("pages", s, s + COW_PAGES * LAB_PAGE);
	n = lab_pages(s, s + COW_PAGES * LAB_PAGE, vp, COW_PAGES);
	lab_check(n == COW_PAGES && lab_mapped(&vp[0], 1) &&
		  lab_mapped(&vp[1], 2),
		  "vmscope: our page 0 is mapped once now, page 1 still twice");
	lab_check(lab_pagemap_count(s, 1, PM_MMAP_EXCL) == 1 &&
		  lab_pagemap_count(s + LAB_PAGE, 1, PM_MMAP_EXCL) == 0,
		  "pagemap: page 0 mapped only once, page 1 not");
	if (lab_root())
		lab_check(lab_pagemap_pfn(child, s) != lab_pagemap_pfn(0, s),
			  "pagemap of the child: its page 0 is a new PFN");
	lab_note("our page 0 is still read-only and not marked exclusive,\n"
		 " so vmscope still calls it COW: whether a write may reuse it\n"
		 " is decided at fault time (see the exercises)."
		 );
}

static void cow_parent_writes(char *p, u64 s, pid_t child,
			      struct lab_page *vp)
{
	u64 old = lab_pagemap_pfn(0, s + LAB_PAGE);
	long min0, maj0, min1, maj1;
	size_t n;

	lab_faults(&min0, &maj0);
	p[LAB_PAGE] = 'P';
	lab_faults(&min1, &maj1);
	lab_show("pages", s, s + COW_PAGES * LAB_PAGE);
	lab_check(min1 - min0 >= 1, "getrusage: the write faulted (%ld)",
		  min1 - min0);
	n = lab_pages(s + LAB_PAGE, s + 2 * LAB_PAGE, vp, 1);
	lab_check(n == 1 && vp[0].write && vp[0].exclusive && !vp[0].cow &&
		  lab_mapped(&vp[0], 1),
		  "vmscope: our page 1 is writable, exclusive, mapped once");
	if (!lab_root())
		return;
	lab_check(lab_pagemap_pfn(0, s + LAB_PAGE) != old &&
		  vp[0].has_pfn && vp[0].pfn == lab_pagemap_pfn(0, s + LAB_PAGE),
		  "pagemap and vmscope: our page 1 moved from PFN %#llx to %#llx",
		  (unsigned long long)old,
		  (unsigned long long)lab_pagemap_pfn(0, s + LAB_PAGE));
	lab_check(lab_pagemap_pfn(child, s + LAB_PAGE) == old,
		  "pagemap of the child: it kept PFN %#llx",
		  (unsigned long long)old);
}

int lab_step_cow(void)
{
	static struct lab_page vp[COW_PAGES];
	char *p = lab_mmap_anon(COW_PAGES);
	u64 s = addr_of(p);
	int cmd[2], ack[2];
	pid_t child;

	if (!p)
		return lab_error("mmap");
	lab_say("fork() does not copy a process's memory.  copy_page_range()\n"
		" (mm/memory.c) copies the page tables, and for private writable\n"
		" memory it write-protects the entries in both processes, so\n"
		" both map the same pages read-only and neither owns them alone.\n"
		"  The first write by either side faults (do_wp_page()): a page\n"
		" that is still shared is copied for the writer\n"
		" (wp_page_copy()), the other side keeps the original.");

	lab_act("Writing 8 pages at %llx, before fork().",
		(unsigned long long)s);
	cow_before_fork(p, s, vp);

	if (pipe(cmd) || pipe(ack))
		return lab_error("pipe");
	lab_act("fork(): the child waits; our view of the same 8 pages.");
	fflush(stdout);
	child = fork();
	if (child < 0)
		return lab_error("fork");
	if (!child) {
		close(cmd[1]);
		close(ack[0]);
		cow_child(p, cmd[0], ack[1]);
	}
	/* Our ends only: the child's exit must reach us as end of file. */
	close(cmd[0]);
	close(ack[1]);
	cow_after_fork(s, child, vp);

	lab_act("The child writes to page 0.");
	if (!tell_child(cmd[1], ack[0], 'w'))
		return lab_error("talking to the child");
	cow_child_writes(s, child, vp);

	lab_act("We write to page 1, which the child still shares.");
	cow_parent_writes(p, s, child, vp);

	tell_child(cmd[1], ack[0], 'q');
	close(cmd[1]);
	close(ack[0]);
	waitpid(child, NULL, 0);
	munmap(p, COW_PAGES * LAB_PAGE);
	return lab_result();
}
