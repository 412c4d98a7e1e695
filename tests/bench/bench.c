// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-bench: vmscope against the kernel's own interfaces, in the same
 * guest, on the same target.  Run as root in a guest (scripts/bench).
 *
 * Each measurement is the median of VMSCOPE_BENCH_RUNS runs (default 5)
 * after one warm-up run.  Prints a Markdown table: the ratio vmscope/peer
 * (below 1 means vmscope is faster) and the absolute medians.  Absolute
 * times under TCG mean little; ratios in the same guest do.
 *
 * The peers do what a tool without vmscope must do to learn the same:
 * page-types reads /proc/PID/pagemap, then /proc/kpageflags and
 * /proc/kpagecount at each present PFN (batching runs of consecutive
 * PFNs, as page-types does); smaps and maps are read whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/nl.h"
#include "lib/util.h"
#include "../../module/uapi/vmscope.h"

#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE 14
#endif

#define PAGE PG
#define GIB (1UL << 30)

static int runs = 5;

struct target {
	pid_t pid;
	uint64_t start, end;	/* the region of interest */
	int to_child[2], from_child[2];
};

/* ---- targets: a child sets up memory, reports the range, holds still */

typedef int (*setup_fn)(uint64_t *start, uint64_t *end);

static int setup_resident(uint64_t *start, uint64_t *end)
{
	size_t len = GIB;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	madvise(p, len, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = 1;
	*start = ADDR(p);
	*end = *start + len;
	return 0;
}

static int setup_sparse(uint64_t *start, uint64_t *end)
{
	/* A 32-bit process has 3 GiB of address space. */
	size_t len = (sizeof(void *) == 4 ? 1 : 64) * GIB;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	madvise(p, len, MADV_NOHUGEPAGE);
	for (int i = 0; i < 1000; i++)
		p[(size_t)i * (len / 1000) & ~(PAGE - 1)] = 1;
	*start = ADDR(p);
	*end = *start + len;
	return 0;
}

static int setup_many_vmas(uint64_t *start, uint64_t *end)
{
	size_t n = 100000, len = 2 * n * PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (size_t i = 0; i < 2 * n; i += 2)
		if (mprotect(p + i * PAGE, PAGE, PROT_READ))
			return -1;
	*start = ADDR(p);
	*end = *start + len;
	return 0;
}

static int setup_thp(uint64_t *start, uint64_t *end)
{
	size_t len = GIB, align = vs_pmd_size();
	char *raw = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	if (raw == MAP_FAILED)
		return -1;
	p = (char *)(((uintptr_t)raw + align - 1) & ~(align - 1));
	madvise(p, len, MADV_HUGEPAGE);
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = 1;
	*start = ADDR(p);
	*end = *start + len;
	return 0;
}

static int target_start(struct target *t, setup_fn setup)
{
	uint64_t range[2] = { 0, 0 };
	char c;

	if (pipe(t->to_child) || pipe(t->from_child))
		return -1;
	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* a profile of the benchmark must not count the set-up */
		prctl(PR_SET_NAME, "bench-target");
		if (setup(&range[0], &range[1]))
			range[0] = range[1] = 0;
		if (write(t->from_child[1], range, sizeof(range)) < 0)
			_exit(1);
		if (read(t->to_child[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	if (read(t->from_child[0], range, sizeof(range)) != sizeof(range) ||
	    !range[1])
		return -1;
	t->start = range[0];
	t->end = range[1];
	return 0;
}

static void target_stop(struct target *t)
{
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
	close(t->to_child[0]);
	close(t->to_child[1]);
	close(t->from_child[0]);
	close(t->from_child[1]);
}

/* ---- timing */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct cpu {
	double user, sys;
};

static void cpu_now(struct cpu *c)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	c->user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	c->sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

typedef long (*measure_fn)(struct target *t, void *arg);

struct result {
	double median;		/* seconds */
	long units;		/* pages or VMAs seen (sanity) */
	double user, sys;	/* CPU of the median-ish run: averages */
};

static struct result timed(measure_fn fn, struct target *t, void *arg)
{
	double times[64];
	struct result r = { 0 };
	struct cpu c0, c1;
	int i;

	r.units = fn(t, arg);		/* warm-up */
	cpu_now(&c0);
	for (i = 0; i < runs; i++) {
		double t0 = now();

		r.units = fn(t, arg);
		times[i] = now() - t0;
	}
	cpu_now(&c1);
	qsort(times, runs, sizeof(times[0]), cmp_double);
	r.median = times[runs / 2];
	r.user = (c1.user - c0.user) / runs;
	r.sys = (c1.sys - c0.sys) / runs;
	return r;
}

/* ---- vmscope over netlink */

struct dump_stats {
	long pages, entries;
	uint64_t bytes;
};

static int count_pages(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_stats *s = arg;
	const struct nlattr *a;
	int rem;

	s->bytes += nlh->nlmsg_len;
	tnl_for_each_attr(a, nlh, rem) {
		struct tnl_attrs page;
		uint64_t nr = 1;

		if (tnl_type(a) != VMSCOPE_A_PAGE)
			continue;
		tnl_parse_nest(&page, a);
		tnl_u64(&page, VMSCOPE_PAGE_A_NR_PAGES, &nr);
		s->pages += nr;
		s->entries++;
	}
	return 0;
}

static struct tnl nl;
static struct dump_stats last_dump;

static long vmscope_pages(struct target *t, void *arg)
{
	uint32_t flags = arg ? VMSCOPE_REQ_RUNS : 0;
	struct tnl_result res;
	struct tnl_msg m;

	memset(&last_dump, 0, sizeof(last_dump));
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_PAGES, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, t->pid);
	tnl_put_u64(&m, VMSCOPE_A_START, t->start);
	tnl_put_u64(&m, VMSCOPE_A_END, t->end);
	tnl_put_u32(&m, VMSCOPE_A_REQ_FLAGS, flags);
	if (tnl_call(&nl, &m, count_pages, &last_dump, &res))
		return -1;
	return last_dump.pages;
}

static int count_vma(const struct nlmsghdr *nlh, void *arg)
{
	(*(long *)arg)++;
	return 0;
}

static long vmscope_maps(struct target *t, void *arg)
{
	struct tnl_result res;
	struct tnl_msg m;
	long n = 0;

	tnl_req(&nl, &m, VMSCOPE_CMD_GET_VMAS, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, t->pid);
	if (arg)
		tnl_put_u32(&m, VMSCOPE_A_REQ_FLAGS, VMSCOPE_REQ_NO_COUNTS);
	if (tnl_call(&nl, &m, count_vma, &n, &res))
		return -1;
	return n;
}

/* ---- the kernel's own interfaces */

static long read_whole(const char *path)
{
	static char buf[1 << 20];
	long total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	return total;
}

static long proc_file(struct target *t, void *arg)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, (char *)arg);
	return read_whole(path);
}

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_BATCH	(64 * 1024)	/* pagemap entries per pread */

/* pagemap over the range; with kpage, kpageflags+kpagecount per PFN run. */
static long pagemap_scan(struct target *t, bool kpage)
{
	static uint64_t pm[PM_BATCH], kbuf[PM_BATCH];
	uint64_t addr;
	char path[64];
	long pages = 0;
	int fd, kf = -1, kc = -1;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", t->pid);
	fd = open(path, O_RDONLY);
	if (kpage) {
		kf = open("/proc/kpageflags", O_RDONLY);
		kc = open("/proc/kpagecount", O_RDONLY);
	}
	if (fd < 0 || (kpage && (kf < 0 || kc < 0)))
		return -1;
	for (addr = t->start; addr < t->end; ) {
		size_t n = (t->end - addr) / PAGE, i = 0;

		if (n > PM_BATCH)
			n = PM_BATCH;
		if (pread(fd, pm, n * 8, addr / PAGE * 8) != (ssize_t)(n * 8))
			return -1;
		while (kpage && i < n) {
			uint64_t pfn = pm[i] & PM_PFN_MASK;
			size_t run = 1;

			if (!(pm[i] & PM_PRESENT)) {
				i++;
				continue;
			}
			while (i + run < n && run < PM_BATCH &&
			       (pm[i + run] & PM_PRESENT) &&
			       (pm[i + run] & PM_PFN_MASK) == pfn + run)
				run++;
			if (pread(kf, kbuf, run * 8, pfn * 8) < 0 ||
			    pread(kc, kbuf, run * 8, pfn * 8) < 0)
				return -1;
			i += run;
		}
		pages += n;
		addr += n * PAGE;
	}
	close(fd);
	if (kpage) {
		close(kf);
		close(kc);
	}
	return pages;
}

static long pagemap_full(struct target *t, void *arg)
{
	return pagemap_scan(t, true);
}

static long pagemap_only(struct target *t, void *arg)
{
	return pagemap_scan(t, false);
}

/* ---- the table */

static void row(const char *workload, const char *what, struct result v,
		const char *peer, struct result p)
{
	printf("| %s | %s vs %s | %.3f | %.4f s | %.4f s |\n", workload, what,
	       peer, v.median / p.median, v.median, p.median);
	fflush(stdout);
}

static void run_pages_workload(const char *name, setup_fn setup)
{
	struct result full, runs_r, pm_full, pm_only, smaps;
	struct target t;

	if (target_start(&t, setup)) {
		printf("| %s | skipped: could not set up the target | | | |\n",
		       name);
		return;
	}
	full = timed(vmscope_pages, &t, NULL);
	struct dump_stats per_page = last_dump;
	runs_r = timed(vmscope_pages, &t, (void *)1);
	pm_full = timed(pagemap_full, &t, NULL);
	pm_only = timed(pagemap_only, &t, NULL);
	smaps = timed(proc_file, &t, "smaps");
	row(name, "pages (per page)", full, "pagemap+kpageflags+kpagecount",
	    pm_full);
	row(name, "pages (per page)", full, "pagemap", pm_only);
	row(name, "pages --runs", runs_r, "pagemap", pm_only);
	row(name, "pages --runs", runs_r, "smaps", smaps);
	printf("| %s | per-page dump: %ld pages, %ld entries, %.2f bytes/page on the wire, client CPU %.4f s user / %.4f s kernel | | | |\n",
	       name, per_page.pages, per_page.entries,
	       per_page.pages ? (double)per_page.bytes / per_page.pages : 0,
	       full.user, full.sys);
	target_stop(&t);
}

static void run_vma_workload(void)
{
	struct result counts, nocounts, maps, smaps;
	struct target t;

	if (target_start(&t, setup_many_vmas)) {
		printf("| 100k VMAs | skipped: could not set up | | | |\n");
		return;
	}
	counts = timed(vmscope_maps, &t, NULL);
	nocounts = timed(vmscope_maps, &t, (void *)1);
	maps = timed(proc_file, &t, "maps");
	smaps = timed(proc_file, &t, "smaps");
	row("100k VMAs", "maps (with counts)", counts, "smaps", smaps);
	row("100k VMAs", "maps --no-counts", nocounts, "/proc/PID/maps", maps);
	target_stop(&t);
}

/*
 * ---- mmap-lock hold per batch, from the mmap_lock tracepoints
 *
 * The walk runs in the reader's context (recvmsg() for a netlink dump,
 * read() for pagemap), so events filtered on our pid are the reader's
 * holds of the target's lock: the time from mmap_lock_acquire_returned to
 * mmap_lock_released of the same mm.  The tracepoints cost the same for
 * both readers; under TCG the absolute values are indicative only.
 */
#define TRACEFS "/sys/kernel/tracing"
#define MAX_HOLDS (1 << 20)

static int trace_write(const char *file, const char *val)
{
	char path[160];
	int fd, ret;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

/* tracefs at its usual place: mounted there if the guest has not. */
static bool tracefs_ready(void)
{
	if (!access(TRACEFS "/events/mmap_lock", F_OK))
		return true;
	mount("nodev", TRACEFS, "tracefs", 0, NULL);
	return !access(TRACEFS "/events/mmap_lock", F_OK);
}

static const char *const lock_events[] = {
	"events/mmap_lock/mmap_lock_acquire_returned",
	"events/mmap_lock/mmap_lock_released",
};

static int trace_setup(bool on)
{
	char file[128], filter[64];
	size_t i;

	snprintf(filter, sizeof(filter), on ? "common_pid == %d" : "0",
		 getpid());
	for (i = 0; i < 2; i++) {
		snprintf(file, sizeof(file), "%s/filter", lock_events[i]);
		if (trace_write(file, filter))
			return -1;
		snprintf(file, sizeof(file), "%s/enable", lock_events[i]);
		if (trace_write(file, on ? "1" : "0"))
			return -1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * One trace line: "comm-pid [cpu] flags  TIME: EVENT: mm=... ...".
 * Returns the event's text after "TIME: " and sets *ts, or NULL.
 */
static char *trace_event(char *line, double *ts)
{
	char *colon = strstr(line, ": mmap_lock_"), *time;

	if (line[0] == '#' || !colon)
		return NULL;
	*colon = 0;
	time = strrchr(line, ' ');
	if (!time || sscanf(time, "%lf", ts) != 1)
		return NULL;
	return colon + 2;
}

/* The event's mm, or NULL: "mm=HASH" (the pointer, hashed). */
static char *trace_mm(char *ev, char mm[32])
{
	char *m = ev ? strstr(ev, "mm=") : NULL;

	return m && sscanf(m, "mm=%31s", mm) == 1 ? mm : NULL;
}

/*
 * The target's mm: the most traced one (the reader also takes its own
 * lock now and then, e.g. when copying out faults in a page).
 */
static void busiest_mm(FILE *f, char target[32])
{
	char line[512], mm[32], other[32] = "";
	long mine = 0, theirs = 0;
	double ts;

	target[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!trace_mm(trace_event(line, &ts), mm))
			continue;
		if (!target[0] || !strcmp(mm, target)) {
			strcpy(target, mm);
			mine++;
		} else if (!other[0] || !strcmp(mm, other)) {
			strcpy(other, mm);
			theirs++;
		}
	}
	if (theirs > mine)
		strcpy(target, other);
	rewind(f);
}

/* Pair acquire/release of the target's mm; holds in ns, sorted. */
static size_t parse_holds(uint64_t *holds)
{
	char line[512], mm[32], target[32];
	FILE *f = fopen(TRACEFS "/trace", "r");
	double acquired = -1, ts;
	size_t n = 0;
	char *ev;

	if (!f)
		return 0;
	busiest_mm(f, target);
	while (fgets(line, sizeof(line), f) && n < MAX_HOLDS) {
		ev = trace_event(line, &ts);
		if (!trace_mm(ev, mm) || strcmp(mm, target))
			continue;
		if (!strncmp(ev, "mmap_lock_acquire_returned:", 27)) {
			if (strstr(ev, "success=true"))
				acquired = ts;
		} else if (!strncmp(ev, "mmap_lock_released:", 19) &&
			   acquired >= 0) {
			holds[n++] = (uint64_t)((ts - acquired) * 1e9 + 0.5);
			acquired = -1;
		}
	}
	fclose(f);
	qsort(holds, n, sizeof(*holds), cmp_u64);
	return n;
}

static void lock_hold_row(const char *workload, const char *what,
			  measure_fn fn, struct target *t, void *arg)
{
	static uint64_t holds[MAX_HOLDS];
	size_t n;

	if (!tracefs_ready() ||
	    trace_write("tracing_on", "0") || trace_write("trace", "") ||
	    trace_write("buffer_size_kb", "16384") || trace_setup(true)) {
		printf("| %s | mmap-lock hold, %s: no mmap_lock tracepoints | | | |\n",
		       workload, what);
		return;
	}
	trace_write("tracing_on", "1");
	fn(t, arg);
	trace_write("tracing_on", "0");
	trace_setup(false);
	n = parse_holds(holds);
	if (!n) {
		printf("| %s | mmap-lock hold, %s: no holds traced | | | |\n",
		       workload, what);
		return;
	}
	printf("| %s | mmap-lock hold, %s: %zu holds, median %.1f us, p99 %.1f us, max %.1f us | | | |\n",
	       workload, what, n, holds[n / 2] / 1e3,
	       holds[n * 99 / 100] / 1e3, holds[n - 1] / 1e3);
	fflush(stdout);
}

static void run_lock_holds(const char *name, setup_fn setup)
{
	struct target t;

	if (target_start(&t, setup))
		return;
	lock_hold_row(name, "vmscope pages (per page)", vmscope_pages, &t,
		      NULL);
	lock_hold_row(name, "vmscope pages --runs", vmscope_pages, &t,
		      (void *)1);
	lock_hold_row(name, "pagemap", pagemap_only, &t, NULL);
	target_stop(&t);
}

/*
 * --loop NAME SECONDS: one measurement, repeated, for a profiler to watch
 * (scripts/profile runs perf in the guest around it).
 */
static const struct loop {
	const char *name;
	setup_fn setup;
	measure_fn fn;
	void *arg;
} loops[] = {
	{ "resident-pages", setup_resident, vmscope_pages, NULL },
	{ "resident-runs", setup_resident, vmscope_pages, (void *)1 },
	{ "resident-pagemap", setup_resident, pagemap_only, NULL },
	{ "thp-runs", setup_thp, vmscope_pages, (void *)1 },
	{ "thp-pagemap", setup_thp, pagemap_only, NULL },
	{ "vmas-nocounts", setup_many_vmas, vmscope_maps, (void *)1 },
	{ "vmas-procmaps", setup_many_vmas, proc_file, "maps" },
};

static int loop(const char *name, double seconds)
{
	const struct loop *l = NULL;
	struct target t;
	double t0;
	long n = 0;
	size_t i;

	for (i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
		if (!strcmp(loops[i].name, name))
			l = &loops[i];
	if (!l) {
		fprintf(stderr, "vmscope-bench: no loop named %s; one of:", name);
		for (i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
			fprintf(stderr, " %s", loops[i].name);
		fprintf(stderr, "\n");
		return 2;
	}
	if (target_start(&t, l->setup))
		return 1;
	for (t0 = now(); now() - t0 < seconds; n++)
		if (l->fn(&t, l->arg) < 0)
			return 1;
	fprintf(stderr, "vmscope-bench: %s: %ld runs in %.1f s\n", name, n,
		now() - t0);
	target_stop(&t);
	return 0;
}

/* ---- fault latency with and without traces (vmscope faults) */

/*
 * First touches of fresh anonymous pages, each timed alone: p50 and p99
 * of the fault's cost as the faulting process sees it, (a) with no trace
 * running (no probe registered), (b) while the client traces another
 * process (the probes run for every fault, and find the faulting mm not
 * traced), (c) while it traces this one (its events are recorded,
 * delivered and printed, to a pipe the benchmark drains).
 */
#define LAT_PAGES 4096

struct lat_result {
	uint64_t p50, p99;	/* ns */
	size_t n;
};

static int cmp_u64_asc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The toucher: told to go, it times LAT_PAGES first writes into out. */
static void toucher(int go, int done, uint64_t *out)
{
	char *p;
	char c;
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(go, &c, 1) != 1)
		_exit(1);
	p = mmap(NULL, LAT_PAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	madvise(p, LAT_PAGES * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < LAT_PAGES; i++) {
		uint64_t t0 = ns_now();

		*(volatile char *)(p + i * PAGE) = 1;
		out[i] = ns_now() - t0;
	}
	if (write(done, "d", 1) != 1)
		_exit(1);
	_exit(0);
}

struct tracer {
	pid_t pid;
	int out;	/* the client's stdout */
};

/* vmscope faults PID, until its header says the trace runs. */
static int tracer_start(struct tracer *tr, pid_t target)
{
	char client[PATH_MAX], pid[16], buf[4096];
	double t0 = now();
	size_t len = 0;
	int p[2];
	ssize_t n;

	if (!find_userspace_program("vmscope", "VMSCOPE_CLIENT", client) ||
	    pipe(p))
		return -1;
	snprintf(pid, sizeof(pid), "%d", target);
	tr->pid = fork();
	if (tr->pid < 0)
		return -1;
	if (!tr->pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl(client, client, "faults", pid, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	tr->out = p[0];
	while (len < sizeof(buf) - 1 && now() - t0 < 30) {
		n = read(tr->out, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return -1;
		len += n;
		buf[len] = '\0';
		if (strstr(buf, "TIME(s)"))
			return 0;
	}
	return -1;
}

/* Read and forget what the client prints, until done is readable. */
static void tracer_drain(struct tracer *tr, int done)
{
	struct pollfd pfd[2] = {
		{ .fd = tr->out, .events = POLLIN },
		{ .fd = done, .events = POLLIN },
	};
	char buf[65536];

	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			return;
		if (pfd[0].revents && read(tr->out, buf, sizeof(buf)) <= 0)
			pfd[0].fd = -1;
		if (pfd[1].revents)
			return;
	}
}

static void tracer_stop(struct tracer *tr)
{
	char buf[65536];

	kill(tr->pid, SIGINT);
	while (read(tr->out, buf, sizeof(buf)) > 0)
		;
	waitpid(tr->pid, NULL, 0);
	close(tr->out);
}

enum lat_mode { LAT_NO_TRACE, LAT_OTHER_TRACED, LAT_SELF_TRACED };

/* One round: a fresh toucher, LAT_PAGES samples appended to all. */
static int lat_round(enum lat_mode mode, uint64_t *samples, pid_t idle)
{
	struct tracer tr = { .pid = 0 };
	int go[2], done[2], ret = 0;
	pid_t pid;

	if (pipe(go) || pipe(done))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid)
		toucher(go[0], done[1], samples);
	if (mode == LAT_OTHER_TRACED && tracer_start(&tr, idle))
		ret = -1;
	if (mode == LAT_SELF_TRACED && tracer_start(&tr, pid))
		ret = -1;
	if (!ret && write(go[1], "g", 1) != 1)
		ret = -1;
	if (!ret && tr.pid)
		tracer_drain(&tr, done[0]);
	if (waitpid(pid, NULL, 0) != pid)
		ret = -1;
	if (tr.pid)
		tracer_stop(&tr);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	return ret;
}

static int lat_measure(enum lat_mode mode, pid_t idle, struct lat_result *r)
{
	size_t n = (size_t)runs * LAT_PAGES;
	uint64_t *all = mmap(NULL, n * sizeof(*all), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int i;

	if (all == MAP_FAILED)
		return -1;
	/* a warm-up round, then runs rounds of LAT_PAGES samples */
	for (i = -1; i < runs; i++)
		if (lat_round(mode, all + (i < 0 ? 0 : i) * LAT_PAGES, idle)) {
			munmap(all, n * sizeof(*all));
			return -1;
		}
	qsort(all, n, sizeof(*all), cmp_u64_asc);
	r->p50 = all[n / 2];
	r->p99 = all[n * 99 / 100];
	r->n = n;
	munmap(all, n * sizeof(*all));
	return 0;
}

static void run_fault_latency(void)
{
	static const char *const what[] = {
		"(a) untraced, no trace running",
		"(b) untraced, another process traced",
		"(c) traced (events to a pipe)",
	};
	struct lat_result r[3];
	pid_t idle = fork();
	int m;

	if (idle < 0)
		return;
	if (!idle) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	printf("\n| fault latency, first write to a fresh anonymous page | p50 ns | p99 ns | p50 / (a) | p99 / (a) |\n");
	printf("|---|---|---|---|---|\n");
	for (m = LAT_NO_TRACE; m <= LAT_SELF_TRACED; m++) {
		if (lat_measure(m, idle, &r[m])) {
			printf("| %s | failed | | | |\n", what[m]);
			r[m].p50 = 0;
			continue;
		}
		if (!r[LAT_NO_TRACE].p50 || !r[LAT_NO_TRACE].p99)
			printf("| %s | %llu | %llu | | |\n", what[m],
			       (unsigned long long)r[m].p50,
			       (unsigned long long)r[m].p99);
		else
			printf("| %s | %llu | %llu | %.2f | %.2f |\n", what[m],
			       (unsigned long long)r[m].p50,
			       (unsigned long long)r[m].p99,
			       (double)r[m].p50 / r[LAT_NO_TRACE].p50,
			       (double)r[m].p99 / r[LAT_NO_TRACE].p99);
		fflush(stdout);
	}
	printf("\n%d rounds of %d pages per line (and a warm-up round), each write timed alone with CLOCK_MONOTONIC.\n",
	       runs, LAT_PAGES);
	kill(idle, SIGKILL);
	waitpid(idle, NULL, 0);
}

int main(int argc, char **argv)
{
	const char *env = getenv("VMSCOPE_BENCH_RUNS");

	if (env)
		runs = atoi(env);
	if (runs < 1 || runs > 63)
		runs = 5;
	/* 100 000 VMAs need more than the default vm.max_map_count. */
	int fd = open("/proc/sys/vm/max_map_count", O_WRONLY);

	if (fd < 0 || write(fd, "262144", 6) != 6)
		fprintf(stderr, "vmscope-bench: cannot raise vm.max_map_count\n");
	if (fd >= 0)
		close(fd);
	if (tnl_open(&nl)) {
		fprintf(stderr, "vmscope-bench: the vmscope netlink family is not registered\n");
		return 1;
	}
	if (argc == 4 && !strcmp(argv[1], "--loop"))
		return loop(argv[2], atof(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "--faults")) {
		run_fault_latency();
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--lock-holds")) {
		run_lock_holds("1 GiB resident", setup_resident);
		run_lock_holds("1 GiB THP", setup_thp);
		return 0;
	}
	printf("| workload | comparison | ratio | vmscope | peer |\n");
	printf("|---|---|---|---|---|\n");
	run_pages_workload("1 GiB resident", setup_resident);
	run_pages_workload("64 GiB sparse, 1000 touched", setup_sparse);
	run_pages_workload("1 GiB THP", setup_thp);
	run_vma_workload();
	run_lock_holds("1 GiB resident", setup_resident);
	run_lock_holds("1 GiB THP", setup_thp);
	run_fault_latency();
	tnl_close(&nl);
	return 0;
}
