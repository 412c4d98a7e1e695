// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab steps that depend on the system: swapping out and in
 * (needs swap space) and transparent huge pages (needs THP enabled and a
 * free PMD-sized block, 2 MiB on x86_64).  Where the system cannot show
 * it, the step says why and exits with LAB_SKIPPED.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lab.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define KPF_THP 22

#define SWAP_PAGES 64
#define PAGEOUT_TRIES 5

/*
 * Page out all of [p, p + n pages).  MADV_PAGEOUT skips pages still in
 * a per-CPU LRU batch and drains only the local CPU's batch, so the
 * pages were written on the CPU we are pinned to; a few tries cover the
 * rest.  Returns the pages pagemap shows swapped, or -1 (errno).
 */
static long page_out(char *p, size_t n)
{
	size_t swapped = 0;
	int i;

	for (i = 0; i < PAGEOUT_TRIES && swapped < n; i++) {
		if (madvise(p, n * LAB_PAGE, MADV_PAGEOUT))
			return -1;
		swapped = lab_pagemap_count((uintptr_t)p, n, PM_SWAP);
		if (swapped == SIZE_MAX)
			return -1;
	}
	return swapped;
}

/* Stay on the current CPU; the old mask goes to old. */
static void pin(cpu_set_t *old)
{
	cpu_set_t one;

	sched_getaffinity(0, sizeof(*old), old);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
}

static void swap_in(char *p, u64 s, u64 e)
{
	bool ok;
	long min0, maj0, min1, maj1;
	struct lab_count c;
	size_t i, intact = 0;

	lab_faults(&min0, &maj0);
	for (i = 0; i < SWAP_PAGES; i++)
		intact += p[i * LAB_PAGE] == (char)(i + 1) &&
			  p[(i + 1) * LAB_PAGE - 1] == (char)(i + 1);
	lab_faults(&min1, &maj1);
	lab_show("map", s, e);
	lab_check(intact == SWAP_PAGES, "the 64 pages came back intact");
	lab_check(maj1 - maj0 >= 1,
		  "getrusage: %ld major faults (and %ld minor) reading them",
		  maj1 - maj0, min1 - min0);
	lab_check(lab_pagemap_count(s, SWAP_PAGES, PM_PRESENT) == SWAP_PAGES,
		  "pagemap: all 64 present again");
	ok = lab_count(s, e, &c);
	lab_check(ok && c.present == SWAP_PAGES && !c.swap,
		  "vmscope: all 64 present, none swapped (%zu, %zu)",
		  c.present, c.swap);
}

/*
 * The swap entries vmscope reports (JSON numbers: docs/json.md) are the
 * ones pagemap has: type in bits 0-4, offset in bits 5-54.
 */
static void check_swap_entries(u64 s, u64 e)
{
	static struct lab_page v[SWAP_PAGES];
	static u64 pm[SWAP_PAGES];
	size_t i, n, same = 0;

	if (!lab_root()) {
		lab_check_skip("swap entries need root",
			       "vmscope's swap type and offset are pagemap's");
		return;
	}
	n = lab_pages(s, e, v, SWAP_PAGES);
	if (lab_pagemap(0, s, SWAP_PAGES, pm))
		n = 0;
	for (i = 0; i < n; i++)
		same += v[i].has_swap && v[i].swap_type == (pm[i] & 0x1f) &&
			v[i].swap_offset == (pm[i] & PM_PFN_MASK) >> 5;
	lab_check(n == SWAP_PAGES && same == SWAP_PAGES,
		  "vmscope and pagemap: the same swap type and offset for all 64 (%zu)",
		  same);
}

int lab_step_swap(void)
{
	bool ok;
	long total = lab_file_value("/proc/meminfo", "SwapTotal"), got;
	char *p = lab_mmap_anon(SWAP_PAGES);
	u64 s = (uintptr_t)p, e = s + SWAP_PAGES * LAB_PAGE;
	struct lab_count c;
	cpu_set_t cpus;
	int i;

	if (!p)
		return lab_error("mmap");
	lab_say("When memory runs short, reclaim (shrink_folio_list(),\n"
		" mm/vmscan.c) writes anonymous pages to swap and replaces their\n"
		" page-table entries with swap entries: which swap device and\n"
		" which slot.  madvise(MADV_PAGEOUT) asks for that now, for one\n"
		" range.  The next access faults, and do_swap_page()\n"
		" (mm/memory.c) reads the page back and maps it again: a major\n"
		" fault, since it needed I/O.");
	if (total <= 0)
		return lab_skip("no swap space (SwapTotal in /proc/meminfo is\n"
				" %ld kB); vmscope's test guests have zram swap",
				total);

	lab_act("Filling 64 pages at %llx, each with its own byte.",
		(unsigned long long)s);
	pin(&cpus);
	for (i = 0; i < SWAP_PAGES; i++)
		memset(p + i * LAB_PAGE, i + 1, LAB_PAGE);
	lab_show("map", s, e);
	ok = lab_count(s, e, &c);
	lab_check(ok && c.present == SWAP_PAGES,
		  "vmscope: all 64 present (%zu are)", c.present);

	lab_act("madvise(MADV_PAGEOUT) on them.");
	got = page_out(p, SWAP_PAGES);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	if (got < 0 && errno == EINVAL)
		return lab_skip("MADV_PAGEOUT is not supported (Linux 5.4+)");
	if (got < 0)
		return lab_error("madvise(MADV_PAGEOUT)");
	lab_show("map", s, e);
	lab_show_runs(s, e);
	lab_check(got == SWAP_PAGES &&
		  lab_pagemap_count(s, SWAP_PAGES, PM_PRESENT) == 0,
		  "pagemap: all 64 swapped out (%ld), none present", got);
	ok = lab_count(s, e, &c);
	lab_check(ok && c.swap == SWAP_PAGES,
		  "vmscope: all 64 are 'swap' (%zu are)", c.swap);
	check_swap_entries(s, e);

	lab_act("Reading every page again.");
	swap_in(p, s, e);
	munmap(p, SWAP_PAGES * LAB_PAGE);
	return lab_result();
}

/* A PMD's pages: 512 on x86_64, 1024 on i386 without PAE, 2048 with 16K. */
#define THP_PAGES (LAB_PMD / LAB_PAGE)
#define PMD_MIB (LAB_PMD >> 20)

static bool check_thp_pfns(u64 s, const struct lab_page *v)
{
	u64 pfn0 = lab_pagemap_pfn(0, s), kflags = 0;
	size_t i, next = 0;

	if (!lab_root()) {
		lab_check_skip("PFNs need root",
			       "%lu contiguous PFNs, KPF_THP in kpageflags",
			       THP_PAGES);
		return true;
	}
	for (i = 0; i < THP_PAGES; i++)
		next += lab_pagemap_pfn(0, s + i * LAB_PAGE) == pfn0 + i &&
			v[i].pfn == pfn0 + i;
	lab_check(pfn0 && !(pfn0 % THP_PAGES) && next == THP_PAGES,
		  "pagemap and vmscope: %lu contiguous PFNs from %#llx, %lu MiB aligned",
		  THP_PAGES, (unsigned long long)pfn0, PMD_MIB);
	return lab_check(!lab_kpageflags(pfn0, &kflags) &&
			 (kflags >> KPF_THP & 1),
			 "kpageflags: KPF_THP set on PFN %#llx",
			 (unsigned long long)pfn0);
}

static void check_huge(u64 s, long faults, long allocs,
		       struct lab_page *v)
{
	size_t i, n, pmd = 0;

	lab_check(faults == 1, "getrusage: %ld page fault for %lu pages",
		  faults, THP_PAGES);
	lab_check(allocs == 1,
		  "/proc/vmstat: thp_fault_alloc went up by %ld", allocs);
	lab_check(lab_pagemap_count(s, THP_PAGES, PM_PRESENT) == THP_PAGES,
		  "pagemap: all %lu pages present", THP_PAGES);
	lab_check(lab_smaps_kb(s, "AnonHugePages") == (long)(LAB_PMD >> 10),
		  "smaps: AnonHugePages is %lu kB for the VMA", LAB_PMD >> 10);
	n = lab_pages(s, s + LAB_PMD, v, THP_PAGES);
	for (i = 0; i < n; i++)
		pmd += v[i].thp && !strcmp(v[i].level, "pmd") &&
		       !strcmp(v[i].state, "present");
	lab_check(pmd == THP_PAGES,
		  "vmscope: all %lu present, part of a huge page, mapped by one PMD entry (%zu are)",
		  THP_PAGES, pmd);
	if (n == THP_PAGES)
		check_thp_pfns(s, v);
}

static void check_split(u64 s, u64 hole, struct lab_page *v)
{
	size_t i, n, pte = 0;

	lab_show("pages", s, s + LAB_PMD);
	lab_check(lab_pagemap_count(s, THP_PAGES, PM_PRESENT) ==
		  THP_PAGES - 1,
		  "pagemap: %lu pages present", THP_PAGES - 1);
	lab_check(lab_smaps_kb(s, "AnonHugePages") == 0,
		  "smaps: AnonHugePages is 0 kB: no PMD maps it now");
	n = lab_pages(s, s + LAB_PMD, v, THP_PAGES);
	for (i = 0; i < n; i++)
		pte += !strcmp(v[i].level, "pte") &&
		       !strcmp(v[i].state, s + i * LAB_PAGE == hole ?
			       "none" : "present");
	lab_check(pte == THP_PAGES,
		  "vmscope: %lu present and one 'none', all in PTEs now (%zu as said)",
		  THP_PAGES - 1, pte);
}

/* Why the THP step cannot run here, or NULL. */
static const char *thp_unavailable(char *mode, size_t len)
{
	if (!lab_sysfs_choice("/sys/kernel/mm/transparent_hugepage/enabled",
			      mode, len))
		return "this kernel has no transparent huge pages";
	if (!strcmp(mode, "never"))
		return "THP is disabled (transparent_hugepage/enabled is\n"
		       " 'never'; echo madvise > /sys/kernel/mm/\n"
		       "transparent_hugepage/enabled)";
	return NULL;
}

int lab_step_thp(void)
{
	long min0, maj0, min1, maj1, alloc0, fallback0;
	char mode[32];
	const char *why = thp_unavailable(mode, sizeof(mode));
	struct lab_page *v;
	char *raw, *p;
	u64 s;

	lab_say("With transparent huge pages, a fault in anonymous memory may\n"
		" allocate one %lu MiB page and map it with a single PMD\n"
		" entry instead of %lu PTEs (do_huge_pmd_anonymous_page(),\n"
		" mm/huge_memory.c).  The %lu MiB-aligned range around the\n"
		" fault must lie inside one VMA; madvise(MADV_HUGEPAGE) asks for\n"
		" huge pages where THP is set to 'madvise'.  One fault then\n"
		" maps %lu pages.  Unmapping part of it splits the PMD into\n"
		" %lu PTEs\n"
		" (split_huge_pmd()).", PMD_MIB, THP_PAGES, PMD_MIB, THP_PAGES,
		THP_PAGES);
	if (why)
		return lab_skip("%s", why);
	lab_note("transparent_hugepage/enabled is '%s'", mode);
	raw = mmap(NULL, 2 * LAB_PMD, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return lab_error("mmap");
	p = (char *)(((uintptr_t)raw + LAB_PMD - 1) & ~(LAB_PMD - 1));
	s = (uintptr_t)p;
	if (madvise(p, LAB_PMD, MADV_HUGEPAGE))
		return lab_error("madvise(MADV_HUGEPAGE)");

	lab_act("Writing one byte at %llx, the start of a %lu MiB-aligned\n"
		" range marked MADV_HUGEPAGE.",
		(unsigned long long)s, PMD_MIB);
	alloc0 = lab_file_value("/proc/vmstat", "thp_fault_alloc");
	fallback0 = lab_file_value("/proc/vmstat", "thp_fault_fallback");
	lab_faults(&min0, &maj0);
	p[0] = 1;
	lab_faults(&min1, &maj1);
	if (lab_pagemap_count(s, THP_PAGES, PM_PRESENT) == 1 &&
	    lab_file_value("/proc/vmstat", "thp_fault_fallback") > fallback0)
		return lab_skip("no free %lu MiB block: the fault fell back\n"
				" to a small page (thp_fault_fallback); try\n"
				" after echo 1 > /proc/sys/vm/compact_memory",
				PMD_MIB);
	lab_show("map", s, s + LAB_PMD);
	lab_show("pages", s, s + LAB_PMD);
	v = calloc(THP_PAGES, sizeof(*v));
	if (!v)
		return lab_error("calloc");
	check_huge(s, min1 - min0,
		   lab_file_value("/proc/vmstat", "thp_fault_alloc") - alloc0,
		   v);

	lab_act("madvise(MADV_DONTNEED) on one %lu KiB page in the middle.",
		LAB_PAGE >> 10);
	if (madvise(p + LAB_PMD / 2, LAB_PAGE, MADV_DONTNEED)) {
		free(v);
		return lab_error("madvise(MADV_DONTNEED)");
	}
	check_split(s, s + LAB_PMD / 2, v);
	free(v);
	munmap(raw, 2 * LAB_PMD);
	return lab_result();
}
