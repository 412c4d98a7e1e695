// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab steps on the classic process segments: malloc() below and
 * above the mmap threshold, the program break, the growing stack.  These
 * watch the main thread's heap and stack, which is why nothing on the
 * main thread allocates (see observe.c).
 */
#include <alloca.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"

#define MMAP_THRESHOLD (128UL << 10)
#define BIG_BLOCK (1024UL * 1024)
#define SMALL_BLOCK 1000

static u64 page_down(u64 a)
{
	return a & ~(LAB_PAGE - 1);
}

static u64 page_up(u64 a)
{
	return (a + LAB_PAGE - 1) & ~(LAB_PAGE - 1);
}

static void check_small(u64 small)
{
	bool ok;
	struct lab_pvma pv;
	struct lab_vma v;

	lab_check(lab_proc_vma(0, small, &pv) && !strcmp(pv.path, "[heap]"),
		  "/proc/self/maps: the 1000 bytes at %llx are in [heap]",
		  (unsigned long long)small);
	ok = lab_vma_at(small, &v);
	lab_check(ok && !strcmp(v.kind, "heap") &&
		  v.start == pv.start && v.end == pv.end,
		  "vmscope: in the heap VMA %llx-%llx",
		  (unsigned long long)v.start, (unsigned long long)v.end);
	lab_show("map", v.start, v.end);
}

static void check_big(u64 big)
{
	bool ok;
	u64 s = page_down(big), e = page_up(big + BIG_BLOCK);
	size_t pages = (e - s) / LAB_PAGE;
	struct lab_count c;
	struct lab_pvma pv;
	struct lab_vma v;

	/*
	 * Its own mapping, starting one malloc header before the block.
	 * Its end is not checked: the kernel may merge the new VMA with
	 * an anonymous neighbour above it.
	 */
	lab_check(lab_proc_vma(0, big, &pv) && pv.start == s &&
		  big - s < 64 && !pv.path[0] && pv.end >= e,
		  "/proc/self/maps: the 1 MiB block at %llx starts a mapping of its own, %llu bytes into it (malloc's header)",
		  (unsigned long long)big, (unsigned long long)(big - s));
	lab_check(lab_vma_at(big, &v) && !strcmp(v.kind, "mmap-anon") &&
		  v.start == pv.start,
		  "vmscope: the same, an anonymous mapping (kind %s)", v.kind);
	lab_show("map", s, e);
	lab_check(lab_pagemap_count(s, pages, PM_PRESENT) == 1,
		  "pagemap: only its first page is present (the header)");
	ok = lab_count(s, e, &c);
	lab_check(ok && c.present == 1 &&
		  c.none == pages - 1,
		  "vmscope: 1 page present, %zu none", pages - 1);
}

int lab_step_malloc(void)
{
	bool ok;
	struct lab_pvma pv;
	struct lab_vma v;
	u64 big, small;
	char *b, *sm;

	lab_say("malloc() gets memory from the kernel in two ways.  Small\n"
		" blocks are carved out of the heap, which glibc grows with\n"
		" brk(): the kernel only sees the heap VMA grow.  A block at or\n"
		" above the mmap threshold gets an mmap() of its own, and free()\n"
		" gives it back at once with munmap().  The threshold is 128\n"
		" KiB; glibc raises it when such blocks are freed, so the lab\n"
		" fixes it with mallopt(M_MMAP_THRESHOLD).");
	mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);

	lab_act("malloc(1000): a small block.");
	sm = malloc(SMALL_BLOCK);
	if (!sm)
		return lab_error("malloc");
	small = (uintptr_t)sm;
	check_small(small);

	lab_act("malloc(1 MiB): above the threshold.");
	b = malloc(BIG_BLOCK);
	if (!b)
		return lab_error("malloc");
	big = (uintptr_t)b;
	check_big(big);

	lab_act("free() of both blocks.");
	free(b);
	free(sm);
	lab_check(!lab_proc_vma(0, big, &pv),
		  "/proc/self/maps: the big block's mapping is gone");
	lab_check(!lab_vma_at(big, &v), "vmscope: no VMA at %llx any more",
		  (unsigned long long)big);
	ok = lab_vma_at(small, &v);
	lab_check(ok && !strcmp(v.kind, "heap"),
		  "vmscope: the heap stays, for the next malloc()");
	return lab_result();
}

#define BRK_GROW (256UL << 10)

static void check_grown(u64 old, u64 now)
{
	bool ok;
	size_t pages = BRK_GROW / LAB_PAGE;
	struct lab_count c;
	struct lab_pvma pv;
	struct lab_vma v;

	lab_check(lab_proc_vma(0, old, &pv) && !strcmp(pv.path, "[heap]") &&
		  pv.end == page_up(now),
		  "/proc/self/maps: [heap] now ends at the new break %llx",
		  (unsigned long long)now);
	ok = lab_vma_at(old, &v);
	lab_check(ok && !strcmp(v.kind, "heap") &&
		  v.start == pv.start && v.end == pv.end,
		  "vmscope: the heap VMA is %llx-%llx",
		  (unsigned long long)v.start, (unsigned long long)v.end);
	lab_show("map", v.start, v.end);
	lab_check(lab_pagemap_count(old, pages, PM_PRESENT) == 0,
		  "pagemap: none of the 64 new pages is present yet");
	ok = lab_count(old, now, &c);
	lab_check(ok && c.none == pages,
		  "vmscope: all 64 new pages are 'none' (%zu are)", c.none);
}

int lab_step_brk(void)
{
	bool ok;
	size_t pages = BRK_GROW / LAB_PAGE;
	struct lab_count c;
	struct lab_pvma pv;
	struct lab_vma v;
	u64 old, now;
	char *p;

	lab_say("The heap is the VMA that starts after the program's data and\n"
		" bss (at a random distance) and ends at the program break.\n"
		"  brk() moves the break: do_brk_flags() (mm/mmap.c) extends the\n"
		" heap VMA, or makes it; sbrk(n) is the C library's wrapper that\n"
		" returns the old break.  Growing the break only extends the\n"
		" VMA, like mmap(): pages come when first touched.  Lowering it\n"
		" unmaps the pages above.");
	p = sbrk(0);
	old = (uintptr_t)p;
	if (lab_proc_vma(0, old - 1, &pv) && !strcmp(pv.path, "[heap]"))
		lab_note("the break is at %llx, the end of [heap] %llx-%llx",
			 (unsigned long long)old, (unsigned long long)pv.start,
			 (unsigned long long)pv.end);
	else
		lab_note("the break is at %llx; nothing has used the heap yet,\n"
			 " so there is no [heap] VMA",
			 (unsigned long long)old);

	lab_act("sbrk(256 KiB): the break moves up by 64 pages.");
	if (sbrk(BRK_GROW) == (void *)-1)
		return lab_error("sbrk");
	now = (uintptr_t)sbrk(0);
	check_grown(old, now);

	lab_act("Writing to each of the 64 new pages.");
	memset(p, 1, BRK_GROW);
	lab_check(lab_pagemap_count(old, pages, PM_PRESENT) == pages,
		  "pagemap: all 64 are present");
	ok = lab_count(old, now, &c);
	lab_check(ok && c.present == pages,
		  "vmscope: all 64 are present (%zu are)", c.present);

	lab_act("sbrk(-256 KiB): the break goes back to %llx.",
		(unsigned long long)old);
	if (sbrk(-(intptr_t)BRK_GROW) == (void *)-1)
		return lab_error("sbrk");
	lab_check(!lab_proc_vma(0, old, &pv),
		  "/proc/self/maps: nothing is mapped at %llx any more",
		  (unsigned long long)old);
	lab_check(!lab_vma_at(old, &v), "vmscope: no VMA there either");
	return lab_result();
}

#define STACK_BELOW (128UL << 10)

/*
 * Put depth bytes on the stack and write every page of them, top down.
 * Returns the lowest page written.
 */
static u64 dig(size_t depth)
{
	char *buf = alloca(depth);
	size_t off = depth;

	while (off) {
		off = off > LAB_PAGE ? off - LAB_PAGE : 0;
		lab_poke(buf + off, 1);
	}
	return page_down((uintptr_t)buf);
}

static bool stack_vmas(struct lab_pvma *pv, struct lab_vma *v)
{
	return lab_proc_vma_path(0, "[stack]", pv) &&
	       lab_vma_kind("stack", v) && v->start == pv->start &&
	       v->end == pv->end;
}

int lab_step_stack(void)
{
	bool ok;
	struct lab_pvma pv0, pv1;
	struct lab_vma v0, v1;
	long min0, maj0, min1, maj1;
	u64 target, low, here = (uintptr_t)&pv0;
	char what[32];
	struct lab_count c;
	size_t pages;

	lab_say("The main thread's stack is a VMA marked VM_GROWSDOWN.  A fault\n"
		" just below it is not an error: the fault handler extends the\n"
		" VMA downwards (expand_stack(), mm/mmap.c) as long as\n"
		" RLIMIT_STACK allows and a guard gap (stack_guard_gap, 1 MiB)\n"
		" stays free below it.  The new pages come one fault at a time,\n"
		" like any anonymous memory, and the VMA does not shrink back\n"
		" when the function returns.");
	ok = stack_vmas(&pv0, &v0);
	if (!lab_check(ok,
		       "vmscope and /proc/self/maps: the stack is %llx-%llx",
		       (unsigned long long)v0.start,
		       (unsigned long long)v0.end))
		return lab_result();
	target = v0.start - STACK_BELOW / 2;
	lab_act("Below the stack, at %llx, nothing is mapped yet.  What would a write there do?",
		(unsigned long long)target);
	lab_show_explain(target);
	lab_check(!lab_proc_vma(0, target, &pv1),
		  "/proc/self/maps: no VMA holds %llx",
		  (unsigned long long)target);
	lab_check(lab_explain_write(target, what, sizeof(what)) &&
		  !strcmp(what, "stack-grow"),
		  "vmscope explain: a write would grow the stack (%s)", what);

	lab_act("Calling a function that puts %llu KiB on the stack, down\n"
		" to %llu KiB below the VMA, and writes to every page of it.",
		(unsigned long long)(here - v0.start + STACK_BELOW) >> 10,
		(unsigned long long)STACK_BELOW >> 10);
	lab_faults(&min0, &maj0);
	low = dig(here - v0.start + STACK_BELOW);
	lab_faults(&min1, &maj1);
	pages = (v0.start - low) / LAB_PAGE;
	ok = stack_vmas(&pv1, &v1);
	lab_check(ok && v1.start <= low &&
		  v1.end == v0.end,
		  "vmscope and /proc/self/maps: after the return the stack is still %llx-%llx",
		  (unsigned long long)v1.start,
		  (unsigned long long)v1.end);
	lab_show("map", v1.start, v0.start + 4 * LAB_PAGE);
	lab_check(min1 - min0 >= (long)pages,
		  "getrusage: %ld page faults for %zu new pages", min1 - min0,
		  pages);
	lab_check(lab_pagemap_count(low, pages, PM_PRESENT) == pages,
		  "pagemap: the %zu new pages are present", pages);
	ok = lab_count(low, v0.start, &c);
	lab_check(ok && c.present == pages,
		  "vmscope: the %zu new pages are present (%zu are)", pages,
		  c.present);
	lab_check(lab_explain_write(target, what, sizeof(what)) &&
		  !strcmp(what, "none"),
		  "vmscope explain: a write at %llx needs no fault now (%s)",
		  (unsigned long long)target, what);
	return lab_result();
}
