// SPDX-License-Identifier: GPL-2.0
/*
 * Huge targets, walked whole through debugfs (maps with page counts,
 * pages in runs mode and per page) and netlink GET_PAGES when the family
 * is registered: the walks finish, the answers are right, no soft lockup
 * (kernel.watchdog_thresh is lowered to 5 s, so a CPU held for 10 s is
 * reported; vm-run fails on the report), and the kernel memory used
 * during the walk stays below a constant whatever the target's size:
 * Slab, SUnreclaim and VmallocUsed from /proc/meminfo are sampled every
 * 20 ms and may not grow by KMEM_BOUND_KB; /proc/slabinfo's growers are
 * printed.
 *
 * - sparse_40g: 10 000 000 pages (38 GiB) mapped NORESERVE, 4096 touched
 * - vmas_100k: 100 000 VMAs (alternating mprotect)
 * - thp_1g: 1 GiB of transparent huge pages (MADV_HUGEPAGE)
 * - lock_impact (a measurement, not a pass/fail timing): the target's
 *   own page-fault and mmap/munmap latency while vmscope dumps its 1 GiB
 *   of resident memory in a loop, against a baseline without.
 * - devdax_pud_leaf_is_one_run: a 1 GiB device-DAX mapping is one PUD
 *   leaf, one run (needs tests/devdax-setup's guest; skips otherwise).
 *
 * thp_1g and lock_impact need about 1.4 GiB available: the default
 * vm-run guest (2048 MiB) has it; they skip and say so if not.  Figures
 * are printed as TAP comments and recorded in docs/reliability.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
#include "lib/pagemap.h"
#include "lib/stress.h"
#include "lib/util.h"
#include "lib/vmscope.h"

/*
 * Figures go out with ksft_print_msg() (stdout); test cases end with
 * _exit(), so a pipe's buffer would be lost: flush every line.
 */
static void __attribute__((constructor)) line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

#define MiB		(1UL << 20)
#define GiB		(1UL << 30)
#define KMEM_BOUND_KB	(8 * 1024)

#define SPARSE_PAGES	10000000UL
#define SPARSE_TOUCHED	4096
#define NR_VMAS		100000UL

/* What the target set up, written by the target (shared memory). */
struct region {
	uint64_t base, len;
	uint64_t touched;		/* distinct pages written */
	uint64_t zero;			/* distinct pages only read */
	long anon_huge_kb;		/* smaps AnonHugePages of the region */
	volatile int ready;
};

FIXTURE(huge) {
	struct region *rg;
	struct child c;
	struct saved_sysctl thresh;
	struct saved_sysctl max_map;
	uint64_t task_size;
};

FIXTURE_SETUP(huge)
{
	self->c.pid = -1;
	self->rg = mmap(NULL, sizeof(*self->rg), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->rg);
	ASSERT_EQ(0, access(VMSCOPE_DEBUGFS "/pages", W_OK))
		TH_LOG("module not loaded?");
	ASSERT_TRUE(layout_value("task_size", &self->task_size));
	/* A CPU held for 10 s becomes a soft lockup report. */
	memset(&self->thresh, 0, sizeof(self->thresh));
	memset(&self->max_map, 0, sizeof(self->max_map));
	sysctl_set(&self->thresh, "/proc/sys/kernel/watchdog_thresh", "5");
}

FIXTURE_TEARDOWN(huge)
{
	if (self->c.pid > 0)
		child_stop(&self->c);
	sysctl_restore(&self->thresh);
	sysctl_restore(&self->max_map);
	munmap(self->rg, sizeof(*self->rg));
}

/* ---- targets (run in the child, step 0) --------------------------------- */

static int sparse_target(int step, void *arg)
{
	struct region *rg = arg;
	struct rng r;
	char *p;
	uint64_t i;

	if (step)
		return 0;
	rg->len = SPARSE_PAGES * PG;
	p = mmap(NULL, rg->len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	/* One page written must not become 512 (THP "always"). */
	if (madvise(p, rg->len, MADV_NOHUGEPAGE))
		return -1;
	rg->base = ADDR(p);
	rng_init(&r, 0x5eed);
	for (i = 0; i < SPARSE_TOUCHED; i++) {
		char *q = p + rng_below(&r, SPARSE_PAGES) * PG;

		rg->touched += !*q;	/* reading first: distinct pages */
		*q = 1;
	}
	/* The reads above mapped no zero pages that stayed: all written. */
	return 0;
}

static int vmas_target(int step, void *arg)
{
	struct region *rg = arg;
	char *p;
	uint64_t i;

	if (step)
		return 0;
	rg->len = NR_VMAS * PG;
	p = mmap(NULL, rg->len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	madvise(p, rg->len, MADV_NOHUGEPAGE);
	rg->base = ADDR(p);
	/* Every 4th page written, every 4th + 1 read (the zero page). */
	for (i = 0; i < NR_VMAS; i += 4) {
		p[i * PG] = 1;
		(void)*(volatile char *)(p + (i + 1) * PG);
	}
	rg->touched = NR_VMAS / 4;
	rg->zero = NR_VMAS / 4;
	for (i = 1; i < NR_VMAS; i += 2)
		if (mprotect(p + i * PG, PG, PROT_READ))
			return -1;
	return 0;
}

static long smaps_anon_huge_kb(uint64_t start)
{
	char *text = read_file("/proc/self/smaps", NULL);
	char *at, key[32];
	long kb = -1;

	if (!text)
		return -1;
	snprintf(key, sizeof(key), "\n%llx-", (unsigned long long)start);
	at = strstr(text, key);
	if (at)
		at = strstr(at, "AnonHugePages:");
	if (at)
		kb = atol(at + strlen("AnonHugePages:"));
	free(text);
	return kb;
}

static int thp_target(int step, void *arg)
{
	struct region *rg = arg;
	uint64_t i;
	char *p;

	if (step)
		return 0;
	rg->len = GiB;
	p = mmap(NULL, rg->len + vs_pmd_size(), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	p = (char *)(((uintptr_t)p + vs_pmd_size() - 1) &
		     ~(uintptr_t)(vs_pmd_size() - 1));
	if (madvise(p, rg->len, MADV_HUGEPAGE))
		return -1;
	for (i = 0; i < rg->len; i += PG)
		p[i] = 1;
	rg->base = ADDR(p);
	rg->touched = rg->len / PG;
	rg->anon_huge_kb = smaps_anon_huge_kb(rg->base);
	return 0;
}

/* ---- walking ---------------------------------------------------------- */

struct figures {
	double maps_s, runs_s, pages_s, nl_s;
	int nr_vmas, nr_runs, nr_lines;
	long nl_entries;
	struct vms_counts c;	/* of the VMAs inside the region, summed */
	int region_vmas;
	uint64_t present, thp, zero;	/* in the region, from runs */
	struct kmem before, max, after;
	int samples;
	char slab_growers[512];
	long slab_growth;
};

static int ask_pages(pid_t pid, const char *extra, uint64_t task_size,
		     struct vms_run **runs, char *why)
{
	char q[64];
	struct vms_answer a;
	int n;

	snprintf(q, sizeof(q), "%d%s\n", pid, extra);
	if (vms_ask("pages", q, 0, &a)) {
		snprintf(why, VMS_WHY, "pages '%d%s': %s (%.200s)", pid, extra,
			 strerror(-a.err), a.text ? a.text : "");
		vms_answer_free(&a);
		return -1;
	}
	n = vms_pages_parse(a.text, 0, task_size, runs, why);
	vms_answer_free(&a);
	return n;
}

/*
 * Walk pid whole, every way, with kernel memory sampled meanwhile, and
 * check what can be checked against the region.
 */
static void walk_target(struct __test_metadata *_metadata, const char *label,
			pid_t pid, const struct region *rg, uint64_t task_size,
			struct figures *fg)
{
	struct slab_snap sb, sa;
	struct kmem_sampler *s;
	struct vms_run *runs;
	struct tnl nl;
	char why[VMS_WHY];
	struct vms_maps m;
	double t0;
	int i, n;

	memset(fg, 0, sizeof(*fg));
	kmem_read(&fg->before);
	slab_snap_read(&sb);
	s = kmem_sampler_start(20);
	ASSERT_NE(NULL, s);

	t0 = now_s();
	ASSERT_EQ(0, vms_maps(pid, &m, why)) TH_LOG("%s: %s", label, why);
	fg->maps_s = now_s() - t0;
	fg->nr_vmas = m.n;
	for (i = 0; i < m.n; i++) {
		const struct vms_vma *v = &m.v[i];

		if (v->start < rg->base || v->end > rg->base + rg->len)
			continue;
		fg->region_vmas++;
		fg->c.none += v->c.none;
		fg->c.present += v->c.present;
		fg->c.zero += v->c.zero;
		fg->c.thp += v->c.thp;
		fg->c.swap += v->c.swap;
		fg->c.other += v->c.other;
	}
	vms_maps_free(&m);

	t0 = now_s();
	n = ask_pages(pid, " runs", task_size, &runs, why);
	fg->runs_s = now_s() - t0;
	ASSERT_LE(0, n) TH_LOG("%s: %s", label, why);
	fg->nr_runs = n;
	for (i = 0; i < n; i++) {
		const struct vms_run *r = &runs[i];

		if (r->p.addr < rg->base || r->end > rg->base + rg->len)
			continue;
		if (r->p.state == VMSCOPE_STATE_PRESENT) {
			fg->present += r->nr;
			if (r->p.flags & VMSCOPE_PAGE_F_THP)
				fg->thp += r->nr;
			if (r->p.flags & VMSCOPE_PAGE_F_ZERO)
				fg->zero += r->nr;
		}
	}
	free(runs);

	t0 = now_s();
	n = ask_pages(pid, "", task_size, &runs, why);
	fg->pages_s = now_s() - t0;
	ASSERT_LE(0, n) TH_LOG("%s: %s", label, why);
	fg->nr_lines = n;
	free(runs);

	if (!tnl_open(&nl)) {
		struct tnl_tiling c = { .next = 0 };
		struct tnl_result res;
		struct tnl_msg msg;

		t0 = now_s();
		tnl_req(&nl, &msg, VMSCOPE_CMD_GET_PAGES, true);
		tnl_put_u32(&msg, VMSCOPE_A_PID, pid);
		EXPECT_EQ(0, tnl_call(&nl, &msg, tnl_tiling_cb, &c, &res))
			TH_LOG("%s: GET_PAGES: %s", label, res.extack);
		fg->nl_s = now_s() - t0;
		EXPECT_STREQ("", c.why);
		EXPECT_EQ(task_size, c.next);
		fg->nl_entries = c.entries;
		tnl_close(&nl);
	}

	fg->samples = kmem_sampler_stop(s, &fg->max);
	kmem_read(&fg->after);
	slab_snap_read(&sa);
	fg->slab_growth = slab_diff(&sb, &sa, 4, fg->slab_growers,
				    sizeof(fg->slab_growers));
	slab_snap_free(&sb);
	slab_snap_free(&sa);

	ksft_print_msg("%s: %d VMAs (%d in the region), walked: maps %.2f s, "
		       "pages runs %.2f s (%d lines), pages %.2f s (%d lines)",
		       label, fg->nr_vmas, fg->region_vmas, fg->maps_s,
		       fg->runs_s, fg->nr_runs, fg->pages_s, fg->nr_lines);
	if (fg->nl_entries)
		printf(", netlink GET_PAGES %.2f s (%ld entries)", fg->nl_s,
		       fg->nl_entries);
	printf("\n");
	ksft_print_msg("%s: kernel memory during the walks (max of %d samples "
		       "- before, KiB): Slab %+ld, SUnreclaim %+ld, VmallocUsed "
		       "%+ld, PageTables %+ld; after: Slab %+ld; slabinfo "
		       "growth %+ld KiB (%s)\n", label, fg->samples,
		       fg->max.slab - fg->before.slab,
		       fg->max.sunreclaim - fg->before.sunreclaim,
		       fg->max.vmalloc_used - fg->before.vmalloc_used,
		       fg->max.page_tables - fg->before.page_tables,
		       fg->after.slab - fg->before.slab, fg->slab_growth >> 10,
		       fg->slab_growers);
	EXPECT_GT(KMEM_BOUND_KB, fg->max.slab - fg->before.slab);
	EXPECT_GT(KMEM_BOUND_KB, fg->max.sunreclaim - fg->before.sunreclaim);
	EXPECT_GT(KMEM_BOUND_KB, fg->max.vmalloc_used - fg->before.vmalloc_used);
}

static void start_target(struct __test_metadata *_metadata,
			 FIXTURE_DATA(huge) *self,
			 int (*fn)(int, void *), const char *what)
{
	double t0 = now_s();

	memset(self->rg, 0, sizeof(*self->rg));
	ASSERT_EQ(0, child_start(&self->c, fn, self->rg))
		TH_LOG("setting up %s failed", what);
	ksft_print_msg("%s: set up in %.1f s\n", what, now_s() - t0);
}

TEST_F_TIMEOUT(huge, sparse_40g, 900)
{
	struct region *rg = self->rg;
	struct figures fg;

	if (sizeof(void *) == 4)
		SKIP(return, "38 GiB of address space: a 64-bit process's");
	start_target(_metadata, self, sparse_target, "sparse_40g");
	walk_target(_metadata, "sparse_40g", self->c.pid, rg, self->task_size,
		    &fg);
	EXPECT_EQ(1, fg.region_vmas);
	EXPECT_EQ(rg->touched, fg.c.present);
	EXPECT_EQ(SPARSE_PAGES - rg->touched, fg.c.none + fg.c.swap);
	EXPECT_EQ(rg->touched, fg.present);
	EXPECT_EQ(0, fg.thp);
}

TEST_F_TIMEOUT(huge, vmas_100k, 900)
{
	struct region *rg = self->rg;
	struct figures fg;
	struct proc_maps pm;
	int oracle = 0, i;

	ASSERT_EQ(0, sysctl_set(&self->max_map, "/proc/sys/vm/max_map_count",
				"262144"));
	start_target(_metadata, self, vmas_target, "vmas_100k");
	ASSERT_EQ(0, proc_maps_read(self->c.pid, &pm));
	for (i = 0; i < pm.n; i++)
		oracle += pm.v[i].start >= rg->base &&
			  pm.v[i].end <= rg->base + rg->len;
	proc_maps_free(&pm);
	ASSERT_EQ(NR_VMAS, oracle) TH_LOG("oracle: /proc/PID/maps");
	walk_target(_metadata, "vmas_100k", self->c.pid, rg, self->task_size,
		    &fg);
	EXPECT_EQ(NR_VMAS, fg.region_vmas);
	EXPECT_EQ(rg->touched + rg->zero, fg.c.present + fg.c.swap);
	EXPECT_EQ(rg->zero, fg.c.zero);
	EXPECT_EQ(rg->touched + rg->zero, fg.present + fg.c.swap);
}

/* MemAvailable below need_mib: the reason to skip, else NULL. */
static const char *short_of_memory(long need_mib, char *buf, size_t len)
{
	struct kmem k;

	kmem_read(&k);
	if (k.mem_available >= need_mib * 1024)
		return NULL;
	snprintf(buf, len, "needs %ld MiB available, the guest has %ld of "
		 "%ld MiB (vm-run --mem 2048 or more)", need_mib,
		 k.mem_available >> 10, k.mem_total >> 10);
	return buf;
}

TEST_F_TIMEOUT(huge, thp_1g, 900)
{
	struct region *rg = self->rg;
	struct figures fg;
	const char *why;
	char buf[160];

	if (!thp_enabled())
		SKIP(return, "transparent huge pages are disabled");
	why = short_of_memory(1400, buf, sizeof(buf));
	if (why)
		SKIP(return, "%s", why);
	start_target(_metadata, self, thp_target, "thp_1g");
	if (rg->anon_huge_kb <= 0)
		SKIP(return, "no huge page could be allocated (AnonHugePages %ld)",
		     rg->anon_huge_kb);
	ksft_print_msg("thp_1g: %ld MiB of the 1024 are huge pages\n",
		       rg->anon_huge_kb >> 10);
	walk_target(_metadata, "thp_1g", self->c.pid, rg, self->task_size,
		    &fg);
	EXPECT_EQ(rg->touched, fg.c.present + fg.c.swap);
	EXPECT_EQ((uint64_t)rg->anon_huge_kb / 4, fg.c.thp);
	EXPECT_EQ((uint64_t)rg->anon_huge_kb / 4, fg.thp);
}

/* ---- lock impact ---------------------------------------------------------- */

#define LAT_MAX		100000
#define LAT_MMAP_MAX	25000

enum {
	PH_SETUP, PH_BASELINE, PH_DEBUGFS, PH_NETLINK, PH_PAGEMAP, PH_DONE,
	NR_PH = PH_DONE - 1
};

static const char *const phase_names[] = {
	[PH_BASELINE] = "baseline (no reader)",
	[PH_DEBUGFS] = "vmscope debugfs pages runs",
	[PH_NETLINK] = "vmscope netlink GET_PAGES runs",
	[PH_PAGEMAP] = "/proc/PID/pagemap (reference)",
};

struct lat {
	volatile int phase;
	uint64_t base, len;
	size_t nf[NR_PH + 1], nm[NR_PH + 1];
	uint64_t fault[NR_PH + 1][LAT_MAX];	/* ns per first touch */
	uint64_t mmap[NR_PH + 1][LAT_MMAP_MAX];	/* ns per mmap+touch+munmap */
};

/* The target: 1 GiB resident, then its own fault latencies per phase. */
static void __attribute__((noreturn)) lat_target(struct lat *l)
{
	size_t fresh = 64 * MiB, i;
	char *p, *q;
	int phase;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	p = mmap(NULL, GiB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	madvise(p, GiB, MADV_NOHUGEPAGE);
	for (i = 0; i < GiB; i += PG)
		p[i] = 1;
	l->base = ADDR(p);
	l->len = GiB;
	l->phase = PH_BASELINE;
	while ((phase = l->phase) < PH_DONE) {
		uint64_t t0, t1;

		/* Fresh pages in another mapping: each touch is a fault. */
		q = mmap(NULL, fresh, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED)
			_exit(2);
		madvise(q, fresh, MADV_NOHUGEPAGE);
		for (i = 0; i < fresh && l->phase == phase; i += PG) {
			t0 = now_ns();
			q[i] = 1;
			t1 = now_ns();
			if (l->nf[phase] < LAT_MAX)
				l->fault[phase][l->nf[phase]++] = t1 - t0;
			if (i % (64 * PG) == 0) {
				/* mmap_lock for writing, against the walker's */
				void *m;

				t0 = now_ns();
				m = mmap(NULL, PG, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				if (m != MAP_FAILED) {
					*(volatile char *)m = 1;
					munmap(m, PG);
				}
				t1 = now_ns();
				if (l->nm[phase] < LAT_MMAP_MAX)
					l->mmap[phase][l->nm[phase]++] = t1 - t0;
			}
		}
		munmap(q, fresh);
	}
	_exit(0);
}

/* One full read of the target's 1 GiB, the phase's way; pages or -errno. */
static long lat_dump(int phase, pid_t pid, const struct lat *l, int pm_fd,
		     uint64_t *pm_buf, struct tnl *nl)
{
	struct tnl_tiling c = { .next = l->base };
	struct tnl_result res;
	struct vms_answer a;
	struct tnl_msg msg;
	char q[96];
	ssize_t n;
	int ret;

	switch (phase) {
	case PH_DEBUGFS:
		snprintf(q, sizeof(q), "%d 0x%llx 0x%llx runs\n", pid,
			 (unsigned long long)l->base,
			 (unsigned long long)(l->base + l->len));
		ret = vms_ask("pages", q, 0, &a);
		vms_answer_free(&a);
		return ret ? ret : (long)(l->len / PG);
	case PH_NETLINK:
		tnl_req(nl, &msg, VMSCOPE_CMD_GET_PAGES, true);
		tnl_put_u32(&msg, VMSCOPE_A_PID, pid);
		tnl_put_u64(&msg, VMSCOPE_A_START, l->base);
		tnl_put_u64(&msg, VMSCOPE_A_END, l->base + l->len);
		tnl_put_u32(&msg, VMSCOPE_A_REQ_FLAGS, VMSCOPE_REQ_RUNS);
		ret = tnl_call(nl, &msg, tnl_tiling_cb, &c, &res);
		if (!ret && (c.why[0] || c.next != l->base + l->len))
			ret = -EBADMSG;
		return ret ? ret : (long)(l->len / PG);
	default:
		n = pread(pm_fd, pm_buf, l->len / PG * 8, l->base / PG * 8);
		return n < 0 ? -errno : n / 8;
	}
}

static void lat_print(const char *what, uint64_t *v, size_t n,
		      uint64_t *p99)
{
	uint64_t p50 = percentile(v, n, 50);

	*p99 = percentile(v, n, 99);
	ksft_print_msg("lock_impact:   %s: %zu samples, p50 %.1f us, p99 %.1f "
		       "us, max %.1f us\n", what, n, p50 / 1e3, *p99 / 1e3,
		       n ? v[n - 1] / 1e3 : 0);
}

TEST_F_TIMEOUT(huge, lock_impact, 900)
{
	double seconds = env_long("VMSCOPE_LOCK_SECONDS", 3), t0;
	uint64_t *pm_buf, p99f[NR_PH + 1], p99m[NR_PH + 1];
	const char *why;
	struct lat *l;
	struct tnl nl;
	bool have_nl;
	char buf[160], path[64];
	int phase, pm_fd;
	pid_t pid;

	why = short_of_memory(1400, buf, sizeof(buf));
	if (why)
		SKIP(return, "%s", why);
	l = mmap(NULL, sizeof(*l), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, l);
	pm_buf = malloc(GiB / PG * 8);
	ASSERT_NE(NULL, pm_buf);
	have_nl = !tnl_open(&nl);
	pid = fork();
	if (pid == 0)
		lat_target(l);
	t0 = now_s();
	while (l->phase == PH_SETUP && now_s() < t0 + 300)
		usleep(20000);
	ASSERT_EQ(PH_BASELINE, l->phase)
		TH_LOG("the target did not get 1 GiB resident");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	pm_fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, pm_fd);

	sleep_s(seconds);	/* the baseline: the target alone */
	for (phase = PH_DEBUGFS; phase <= PH_PAGEMAP; phase++) {
		long dumps = 0, pages = 0, n;

		if (phase == PH_NETLINK && !have_nl)
			continue;
		l->phase = phase;
		t0 = now_s();
		while (now_s() - t0 < seconds || !dumps) {
			n = lat_dump(phase, pid, l, pm_fd, pm_buf, &nl);
			ASSERT_LT(0, n) TH_LOG("%s: %s", phase_names[phase],
					       strerror(-n));
			dumps++;
			pages += n;
		}
		ksft_print_msg("lock_impact: %s: %ld reads of the 1 GiB target "
			       "in %.1f s (%.2f GiB/s)\n", phase_names[phase],
			       dumps, now_s() - t0,
			       pages * PG / (double)GiB / (now_s() - t0));
	}
	l->phase = PH_DONE;
	waitpid(pid, NULL, 0);
	close(pm_fd);
	if (have_nl)
		tnl_close(&nl);
	free(pm_buf);

	ksft_print_msg("lock_impact: latencies the target saw (TCG: indicative "
		       "only, not asserted)\n");
	for (phase = PH_BASELINE; phase <= PH_PAGEMAP; phase++) {
		char what[96];

		if (!l->nf[phase])
			continue;
		snprintf(what, sizeof(what), "page fault, %s",
			 phase_names[phase]);
		lat_print(what, l->fault[phase], l->nf[phase], &p99f[phase]);
		snprintf(what, sizeof(what), "mmap+touch+munmap, %s",
			 phase_names[phase]);
		lat_print(what, l->mmap[phase], l->nm[phase], &p99m[phase]);
	}
	ASSERT_LT(0, l->nf[PH_BASELINE]);
	ASSERT_LT(0, l->nf[PH_DEBUGFS]);
	ksft_print_msg("lock_impact: p99 vs baseline: page fault x%.2f "
		       "(pagemap x%.2f), mmap+munmap x%.2f (pagemap x%.2f)\n",
		       (double)p99f[PH_DEBUGFS] / p99f[PH_BASELINE],
		       (double)p99f[PH_PAGEMAP] / p99f[PH_BASELINE],
		       (double)p99m[PH_DEBUGFS] / p99m[PH_BASELINE],
		       (double)p99m[PH_PAGEMAP] / p99m[PH_BASELINE]);
	munmap(l, sizeof(*l));
}

/*
 * A PUD leaf: 1 GiB of device-DAX with 1 GiB alignment, mapped by one
 * fault.  The guest needs a pmem region and a dax device on it
 * (tests/devdax-setup, run by scripts/check's devdax guest); without one
 * this skips.  Oracles: the fault counter (a touch 512 MiB further in,
 * and one at the last byte, fault no more: one entry maps the whole GiB,
 * which no PMD can) and the device's alignment in sysfs.  pagemap cannot
 * be the oracle: its walk splits huge PUDs (split_huge_pud()).
 */
#define DAX_DEV "/dev/dax0.0"
#define DAX_ALIGN "/sys/bus/dax/devices/dax0.0/align"

static long minflt_self(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

TEST(devdax_pud_leaf_is_one_run)
{
	char *align = read_file(DAX_ALIGN, NULL), why[256], buf[256];
	struct vms_answer ans;
	struct vms_run *runs = NULL;
	volatile char *p;
	long before;
	int fd, n;

	if (!align || strtoul(align, NULL, 0) != GiB) {
		free(align);
		SKIP(return, "no %s with 1 GiB alignment (tests/devdax-setup)",
		     DAX_DEV);
	}
	free(align);
	fd = open(DAX_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", DAX_DEV, strerror(errno));
	p = mmap(NULL, GiB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_EQ(0, (uintptr_t)p & (GiB - 1));

	p[0] = 1;
	before = minflt_self();
	p[GiB / 2] = 1;
	p[GiB - 1] = 1;
	ASSERT_EQ(before, minflt_self())
		TH_LOG("the GiB is not mapped by one entry: no PUD leaf");

	n = vms_pages_runs(getpid(), (uintptr_t)p, (uintptr_t)p + GiB, "",
			   &runs, why);
	ASSERT_EQ(1, n) TH_LOG("%s", n < 0 ? why : "more than one run");
	EXPECT_EQ(VMSCOPE_STATE_PFNMAP, runs[0].p.state)
		TH_LOG("%s", vms_page_str(&runs[0].p, buf, sizeof(buf)));
	EXPECT_EQ(VMSCOPE_LEVEL_PUD, runs[0].p.level);
	EXPECT_EQ(GiB / PG, runs[0].nr);
	free(runs);

	snprintf(buf, sizeof(buf), "%d %p", getpid(), (void *)(p + PG));
	ASSERT_EQ(0, vms_ask("explain", buf, 0, &ans));
	EXPECT_NE(NULL, strstr(ans.text, " stop=pud\n")) TH_LOG("%s", ans.text);
	EXPECT_NE(NULL, strstr(ans.text, "\nread  none ")) TH_LOG("%s", ans.text);
	vms_answer_free(&ans);
	munmap((void *)p, GiB);
}

TEST_HARNESS_MAIN
