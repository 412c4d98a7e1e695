// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps racing THP collapse and split, for lockdep's sake.
 *
 * The walker takes a huge PMD's lock, or a PTE table's lock under RCU
 * with a pmd_same() recheck (module/pages.c).  khugepaged and
 * MADV_COLLAPSE take the same locks the other way round: the PMD lock
 * and, nested inside it, the PTE lock (collapse_pte_mapped_thp(),
 * retract_page_tables(), the anonymous collapse), and they free PTE
 * tables under a walker that is not careful.  Nothing else in the suite
 * runs both at once, so a wrong order or a missing recheck went unseen
 * on the debug kernel.
 *
 * - dumps_race_collapse_and_split: a target keeps huge-page-aligned
 *   MADV_HUGEPAGE ranges, anonymous and shmem, in motion: populates part
 *   of a 2 MiB range, drops part with MADV_DONTNEED, collapses it with
 *   MADV_COLLAPSE, splits it with mprotect() of a half and munmap() of a
 *   part (mapped again), punches holes in the shmem file.  khugepaged
 *   scans every 10 ms meanwhile (its settings are restored afterwards),
 *   and the module's race_delay_us widens the walker's window between
 *   reading a PMD locklessly and taking its lock to 200 us, so that
 *   collapses land in it and the walker's retry paths run.
 *   Readers ask debugfs pages (runs and per page), maps and explain, and
 *   netlink GET_PAGES and GET_VMAS, about the ranges all the time; every
 *   answer must be well formed (runs tile the range) and finish within
 *   READ_BOUND_S.  Every second the target holds still and the test
 *   compares vmscope's pages of one 2 MiB range with pagemap read before
 *   and after (only when both reads agree: khugepaged may still move
 *   pages under a stopped target): same present pages, same PFNs, THP
 *   where kpageflags says so.  Any kernel report (lockdep, KASAN, DEBUG_VM, an
 *   RCU stall) fails the guest through vm-run's splat scan.
 *   VMSCOPE_THP_RACE_SECONDS sets the duration (15 s, 30 s on a kernel
 *   with lockdep).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/falloc.h>
#include <linux/kernel-page-flags.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
#include "lib/pagemap.h"
#include "lib/stress.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#endif

#define HPAGE		vs_pmd_size()	/* 2 MiB on x86_64 */
#define HPAGE_PAGES	(HPAGE / PAGE_SZ)
#define NR_ANON		6	/* PMD-sized ranges of anonymous memory */
#define NR_SHM		3	/* PMD-sized ranges of a shmem file */
#define NR_PAGES	((NR_ANON + NR_SHM) * HPAGE_PAGES)
#define NR_READERS	2
#define READ_BOUND_S	60	/* no single question may take longer */
#define THP_SYS		"/sys/kernel/mm/transparent_hugepage"
#define RACE_DELAY	"/sys/module/vmscope/parameters/race_delay_us"

static void __attribute__((constructor)) line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

enum op { OP_PAGES, OP_PAGE, OP_MAPS, OP_EXPLAIN, OP_NL_PAGES, OP_NL_VMAS,
	  NR_OPS };
static const char *const op_names[NR_OPS] = {
	"pages-runs", "pages", "maps", "explain", "nl-pages", "nl-vmas",
};

struct shared {
	volatile int stop, stop_target, hold, held;
	volatile int ready;
	bool netlink;
	uint64_t anon, shm;		/* the target's two regions */
	volatile uint64_t hot;		/* the 2 MiB range it works on now */
	/* the target's */
	long collapsed, collapse_failed, collapse_einval, splits, unmaps;
	long populates, dontneeds, punches;
	/* the readers' */
	long ok[NR_OPS];
	long bad;
	char first_bad[512];
	double max_op_s;
};

static struct shared *sh;

static void bad(const char *fmt, ...)
{
	va_list ap;

	if (__sync_fetch_and_add(&sh->bad, 1) == 0) {
		va_start(ap, fmt);
		vsnprintf(sh->first_bad, sizeof(sh->first_bad), fmt, ap);
		va_end(ap);
	}
}

/* ---- the target ---------------------------------------------------------- */

/* A 2 MiB aligned stretch of n huge pages of address space, reserved. */
static char *reserve_aligned(size_t n)
{
	char *p = mmap(NULL, (n + 1) * HPAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + n * HPAGE, p + HPAGE - a);
	return a;
}

static void map_anon(char *at, size_t len)
{
	if (mmap(at, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		_exit(81);
	madvise(at, len, MADV_HUGEPAGE);
}

static void map_shm(char *at, int fd, off_t off, size_t len)
{
	if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, off) == MAP_FAILED)
		_exit(82);
	madvise(at, len, MADV_HUGEPAGE);
}

static void populate(char *r, struct rng *g)
{
	size_t first = rng_below(g, HPAGE_PAGES);
	size_t n = 1 + rng_below(g, HPAGE_PAGES - first);

	for (size_t i = first; i < first + n; i++)
		r[i * PAGE_SZ] = (char)i | 1;
	sh->populates++;
}

static void collapse(char *r)
{
	if (madvise(r, HPAGE, MADV_COLLAPSE) == 0)
		sh->collapsed++;
	else if (errno == EINVAL)
		sh->collapse_einval++;	/* before 6.1, or not THP-able */
	else
		sh->collapse_failed++;	/* EAGAIN, ENOMEM: a page was busy */
}

/* Hold still while the test compares (khugepaged still may not). */
static void maybe_hold(void)
{
	if (!sh->hold)
		return;
	__sync_synchronize();
	sh->held = 1;
	while (sh->hold && !sh->stop_target)
		usleep(1000);
	sh->held = 0;
}

static void __attribute__((noreturn)) target_main(uint64_t seed)
{
	char *anon, *shm;
	struct rng g;
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng_init(&g, seed);
	fd = memfd_create("vmscope-thp-race", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, NR_SHM * HPAGE))
		_exit(80);
	anon = reserve_aligned(NR_ANON);
	shm = reserve_aligned(NR_SHM);
	if (!anon || !shm)
		_exit(83);
	map_anon(anon, NR_ANON * HPAGE);
	map_shm(shm, fd, 0, NR_SHM * HPAGE);
	for (int i = 0; i < NR_ANON; i++)
		populate(anon + i * HPAGE, &g);
	sh->anon = (uintptr_t)anon;
	sh->shm = (uintptr_t)shm;
	__sync_synchronize();
	sh->ready = 1;

	while (!sh->stop_target) {
		bool is_shm = rng_pct(&g, 50);
		int i = rng_below(&g, is_shm ? NR_SHM : NR_ANON);
		char *r = (is_shm ? shm : anon) + i * HPAGE;
		size_t off = rng_below(&g, HPAGE_PAGES) * PAGE_SZ;
		size_t len = (1 + rng_below(&g, (HPAGE - off) / PAGE_SZ)) *
			     PAGE_SZ;

		maybe_hold();
		sh->hot = (uintptr_t)r;
		switch (rng_below(&g, 8)) {
		case 0:
		case 1:
			populate(r, &g);
			break;
		case 2:
			madvise(r + off, len, MADV_DONTNEED);
			sh->dontneeds++;
			break;
		case 3:
		case 4:
			collapse(r);
			break;
		case 5:
			/* Split the PMD and the VMA, then let them merge. */
			mprotect(r + HPAGE / 2, HPAGE / 2, PROT_READ);
			mprotect(r + HPAGE / 2, HPAGE / 2,
				 PROT_READ | PROT_WRITE);
			sh->splits++;
			break;
		case 6:
			munmap(r + off, len);
			if (is_shm)
				map_shm(r + off, fd, i * HPAGE + off, len);
			else
				map_anon(r + off, len);
			sh->unmaps++;
			break;
		default:
			if (is_shm) {
				fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					  FALLOC_FL_KEEP_SIZE,
					  i * HPAGE + off, len);
				sh->punches++;
			} else {
				populate(r, &g);
			}
			break;
		}
	}
	_exit(0);
}

/* ---- readers ------------------------------------------------------------- */

static uint64_t region(struct rng *g, uint64_t *end)
{
	bool is_shm = rng_pct(g, 50);
	uint64_t base = is_shm ? sh->shm : sh->anon;
	uint64_t len = (is_shm ? NR_SHM : NR_ANON) * HPAGE;
	uint64_t start = base + rng_below(g, len / PAGE_SZ) * PAGE_SZ;

	/*
	 * Mostly the range the target works on, whole: a PMD changes under
	 * the walker (the retry paths) only when a collapse or a split
	 * lands between its lockless read and its lock, a few instructions.
	 */
	if (rng_pct(g, 60) && sh->hot) {
		*end = sh->hot + HPAGE;
		return *end - HPAGE;
	}
	if (rng_pct(g, 50))
		start = base + rng_below(g, len / HPAGE) * HPAGE;
	*end = start + (1 + rng_below(g, (base + len - start) / PAGE_SZ)) *
		       PAGE_SZ;
	return start;
}

static void ask_debugfs(enum op op, pid_t pid, struct rng *g)
{
	char why[VMS_WHY], q[96];
	struct vms_answer a;
	struct vms_maps m;
	struct vms_run *runs;
	uint64_t start, end;
	int err;

	start = region(g, &end);
	switch (op) {
	case OP_PAGES:
		err = vms_pages_runs(pid, start, end, NULL, &runs, why);
		if (err >= 0)
			free(runs);
		break;
	case OP_PAGE: {
		size_t n = (end - start) / PAGE_SZ;
		struct vms_page *p = calloc(n, sizeof(*p));

		err = p ? vms_pages(pid, start, n, p, why) : -ENOMEM;
		free(p);
		break;
	}
	case OP_MAPS:
		err = vms_maps(pid, &m, why);
		if (!err)
			vms_maps_free(&m);
		break;
	default:
		snprintf(q, sizeof(q), "%d 0x%llx\n", pid,
			 (unsigned long long)start);
		err = vms_ask("explain", q, 4096, &a);
		if (!err && !(strstr(a.text, "\nread ") &&
			      strstr(a.text, "\nwrite "))) {
			snprintf(why, sizeof(why), "answered '%.200s'", a.text);
			err = -EINVAL;
		} else if (err) {
			snprintf(why, sizeof(why), "%s", strerror(-err));
		}
		vms_answer_free(&a);
		break;
	}
	if (err < 0)
		bad("%s %d 0x%llx-0x%llx: %s", op_names[op], pid,
		    (unsigned long long)start, (unsigned long long)end, why);
	else
		__sync_fetch_and_add(&sh->ok[op], 1);
}

static void ask_netlink(enum op op, pid_t pid, struct rng *g)
{
	struct tnl_tiling t = { 0 };
	struct tnl_result res;
	struct tnl_msg m;
	struct tnl nl;
	uint64_t start, end;
	int ret;

	start = region(g, &end);
	ret = tnl_open(&nl);
	if (ret) {
		bad("netlink open: %s", strerror(-ret));
		return;
	}
	if (op == OP_NL_PAGES) {
		tnl_req(&nl, &m, VMSCOPE_CMD_GET_PAGES, true);
		tnl_put_u32(&m, VMSCOPE_A_PID, pid);
		tnl_put_u64(&m, VMSCOPE_A_START, start);
		tnl_put_u64(&m, VMSCOPE_A_END, end);
		if (rng_pct(g, 70))
			tnl_put_u32(&m, VMSCOPE_A_REQ_FLAGS, VMSCOPE_REQ_RUNS);
		t.next = start;
		ret = tnl_call(&nl, &m, tnl_tiling_cb, &t, &res);
		if (!ret && !t.why[0] && t.next != end)
			snprintf(t.why, sizeof(t.why), "dump ends at %llx",
				 (unsigned long long)t.next);
	} else {
		tnl_req(&nl, &m, VMSCOPE_CMD_GET_VMAS, true);
		tnl_put_u32(&m, VMSCOPE_A_PID, pid);
		ret = tnl_call(&nl, &m, NULL, NULL, &res);
		if (!ret && res.msgs < 3)
			snprintf(t.why, sizeof(t.why), "%d VMAs", res.msgs);
	}
	tnl_close(&nl);
	if (ret || t.why[0])
		bad("netlink %s %d 0x%llx-0x%llx: %s %s %s", op_names[op], pid,
		    (unsigned long long)start, (unsigned long long)end,
		    ret ? strerror(ret < 0 ? -ret : EPROTO) : "", res.extack,
		    t.why);
	else
		__sync_fetch_and_add(&sh->ok[op], 1);
}

static void __attribute__((noreturn)) reader_main(pid_t pid, uint64_t seed)
{
	struct rng g;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGALRM, SIG_DFL);	/* a hang kills the reader: bad exit */
	rng_init(&g, seed);
	while (!sh->stop) {
		enum op op = rng_below(&g, sh->netlink ? NR_OPS : OP_NL_PAGES);
		double t0 = now_s(), dt;

		alarm(READ_BOUND_S);
		if (op >= OP_NL_PAGES)
			ask_netlink(op, pid, &g);
		else
			ask_debugfs(op, pid, &g);
		alarm(0);
		dt = now_s() - t0;
		if (dt > sh->max_op_s)
			sh->max_op_s = dt;
	}
	_exit(0);
}

/* ---- holding still: vmscope against pagemap ------------------------------ */

struct compare {
	long stable, moved, pages, present, thp;
};

/*
 * pagemap, and kpageflags of the present pages, from one descriptor:
 * oracle_pages() opens the file for every page, too slow under KASAN.
 */
static int snapshot(pid_t pid, uint64_t start, size_t n, uint64_t *pm,
		    uint64_t *kf)
{
	int fd, err = pagemap_read(pid, start, n, pm);

	if (err)
		return err;
	fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < n; i++) {
		kf[i] = 0;
		if ((pm[i] & PM_PRESENT) &&
		    pread(fd, &kf[i], 8, pm_pfn(pm[i]) * 8) != 8) {
			err = -EIO;
			break;
		}
	}
	close(fd);
	return err;
}

/*
 * One region, target held: pagemap, vmscope, pagemap again.  Returns 0
 * when compared or when the pages moved in between (counted), else
 * -errno with a message in why.
 */
static int compare_region(pid_t pid, uint64_t start, size_t n,
			  struct compare *c, char *why)
{
	uint64_t *pm1 = calloc(4 * n, sizeof(*pm1));
	uint64_t *kf1 = pm1 + n, *pm2 = pm1 + 2 * n, *kf2 = pm1 + 3 * n;
	struct vms_page *v = calloc(n, sizeof(*v));
	char vwhy[VMS_WHY], buf[256];
	int err = -ENOMEM;
	size_t i;

	if (!pm1 || !v)
		goto out;
	err = snapshot(pid, start, n, pm1, kf1);
	if (!err) {
		err = vms_pages(pid, start, n, v, vwhy);
		if (err) {
			snprintf(why, VMS_WHY, "vmscope pages: %.400s", vwhy);
			goto out;
		}
		err = snapshot(pid, start, n, pm2, kf2);
	}
	if (err) {
		snprintf(why, VMS_WHY, "pagemap: %s", strerror(-err));
		goto out;
	}
	if (memcmp(pm1, pm2, 2 * n * sizeof(*pm1))) {
		c->moved++;
		goto out;
	}
	c->stable++;
	for (i = 0; i < n; i++) {
		bool present = pm1[i] & PM_PRESENT;
		bool thp = present && (kf1[i] >> KPF_THP & 1);

		c->pages++;
		c->present += present;
		c->thp += thp;
		if (present != (v[i].state == VMSCOPE_STATE_PRESENT) ||
		    (present && (!v[i].has_pfn ||
				 v[i].pfn != pm_pfn(pm1[i]))) ||
		    thp != !!(v[i].flags & VMSCOPE_PAGE_F_THP)) {
			snprintf(why, VMS_WHY,
				 "0x%llx: pagemap %llx kpageflags %llx, "
				 "vmscope %s",
				 (unsigned long long)(start + i * PAGE_SZ),
				 (unsigned long long)pm1[i],
				 (unsigned long long)kf1[i],
				 vms_page_str(&v[i], buf, sizeof(buf)));
			err = -EINVAL;
			goto out;
		}
	}
out:
	free(pm1);
	free(v);
	return err;
}

/* ---- the test ------------------------------------------------------------ */

static bool kernel_has_lockdep(void)
{
	return access("/proc/lockdep_stats", R_OK) == 0;
}

static long read_long(const char *path)
{
	char *s = read_file(path, NULL);
	long v = s ? strtol(s, NULL, 10) : -1;

	free(s);
	return v;
}

FIXTURE(thp) {
	struct saved_sysctl enabled, shmem, scan_sleep, alloc_sleep, to_scan;
	struct saved_sysctl delay;
	bool set_enabled, set_shmem;
};

FIXTURE_SETUP(thp)
{
	char *s;

	memset(self, 0, sizeof(*self));
	if (access(VMSCOPE_DEBUGFS "/pages", W_OK))
		SKIP(return, "vmscope debugfs files missing (module not loaded?)");
	if (access(THP_SYS "/khugepaged/scan_sleep_millisecs", W_OK))
		SKIP(return, "no transparent huge pages (CONFIG_TRANSPARENT_HUGEPAGE off)");
	/* "never" would leave nothing to collapse: MADV_HUGEPAGE is enough. */
	s = read_file(THP_SYS "/enabled", NULL);
	if (s && strstr(s, "[never]")) {
		ASSERT_EQ(0, sysctl_set(&self->enabled, THP_SYS "/enabled",
					"madvise"));
		self->set_enabled = true;
	}
	free(s);
	s = read_file(THP_SYS "/shmem_enabled", NULL);
	if (s && (strstr(s, "[never]") || strstr(s, "[deny]"))) {
		ASSERT_EQ(0, sysctl_set(&self->shmem, THP_SYS "/shmem_enabled",
					"advise"));
		self->set_shmem = true;
	}
	free(s);
	ASSERT_EQ(0, sysctl_set(&self->scan_sleep,
				THP_SYS "/khugepaged/scan_sleep_millisecs",
				"10"));
	ASSERT_EQ(0, sysctl_set(&self->alloc_sleep,
				THP_SYS "/khugepaged/alloc_sleep_millisecs",
				"10"));
	ASSERT_EQ(0, sysctl_set(&self->to_scan,
				THP_SYS "/khugepaged/pages_to_scan", "4096"));
	/* Wide enough for a collapse to land in: the retry paths run. */
	ASSERT_EQ(0, sysctl_set(&self->delay, RACE_DELAY, "200"))
		TH_LOG("%s: module not loaded?", RACE_DELAY);
}

FIXTURE_TEARDOWN(thp)
{
	sysctl_restore(&self->delay);
	sysctl_restore(&self->to_scan);
	sysctl_restore(&self->alloc_sleep);
	sysctl_restore(&self->scan_sleep);
	if (self->set_shmem)
		sysctl_restore(&self->shmem);
	if (self->set_enabled)
		sysctl_restore(&self->enabled);
}

TEST_F_TIMEOUT(thp, dumps_race_collapse_and_split, 900)
{
	long seconds = env_long("VMSCOPE_THP_RACE_SECONDS",
				kernel_has_lockdep() ? 30 : 15);
	uint64_t seed = env_seed("VMSCOPE_THP_RACE_SEED");
	long khp0 = read_long(THP_SYS "/khugepaged/pages_collapsed");
	long scans0 = read_long(THP_SYS "/khugepaged/full_scans");
	pid_t target, readers[NR_READERS];
	struct compare c = { 0 };
	char why[VMS_WHY] = "";
	double deadline, t0 = now_s();
	struct tnl nl;
	struct rng g;
	long khp, total_ok = 0;
	int status, i, err = 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	if (!tnl_open(&nl)) {
		sh->netlink = true;
		tnl_close(&nl);
	}
	rng_init(&g, seed);
	TH_LOG("seed %llu (VMSCOPE_THP_RACE_SEED), %ld s (VMSCOPE_THP_RACE_SECONDS)",
	       (unsigned long long)seed, seconds);

	target = fork();
	ASSERT_LE(0, target);
	if (target == 0)
		target_main(rng_next(&g));
	while (!sh->ready && waitpid(target, &status, WNOHANG) == 0)
		usleep(1000);
	ASSERT_EQ(1, sh->ready) TH_LOG("target failed to start");
	for (i = 0; i < NR_READERS; i++) {
		uint64_t s = rng_next(&g);

		readers[i] = fork();
		ASSERT_LE(0, readers[i]);
		if (readers[i] == 0)
			reader_main(target, s);
	}

	deadline = now_s() + seconds;
	while (now_s() < deadline && !err) {
		sleep_s(1.0);
		sh->hold = 1;
		for (double until = now_s() + READ_BOUND_S;
		     !sh->held && now_s() < until;)
			usleep(1000);
		if (!sh->held) {
			snprintf(why, sizeof(why), "target did not hold still");
			err = -ETIMEDOUT;
			break;
		}
		/* One 2 MiB range a time: kpageflags is slow under KASAN. */
		i = rng_below(&g, NR_ANON + NR_SHM);
		err = compare_region(target, i < NR_ANON ?
				     sh->anon + i * HPAGE :
				     sh->shm + (i - NR_ANON) * HPAGE,
				     HPAGE_PAGES, &c, why);
		sh->hold = 0;
	}
	sh->stop = 1;
	for (i = 0; i < NR_READERS; i++) {
		ASSERT_EQ(readers[i], waitpid(readers[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("reader %d: status 0x%x (killed by SIGALRM: a "
			       "question took over %d s)", i, status,
			       READ_BOUND_S);
	}
	/* The target exits last: the readers ask about it to the end. */
	sh->stop_target = 1;
	ASSERT_EQ(target, waitpid(target, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("target: status 0x%x", status);

	khp = read_long(THP_SYS "/khugepaged/pages_collapsed") - khp0;
	for (i = 0; i < NR_OPS; i++)
		total_ok += sh->ok[i];
	ksft_print_msg("thp_race: %.0f s; answers:", now_s() - t0);
	for (i = 0; i < NR_OPS; i++)
		printf(" %s %ld", op_names[i], sh->ok[i]);
	printf(" (slowest %.2f s), bad %ld\n", sh->max_op_s, sh->bad);
	ksft_print_msg("thp_race: target: MADV_COLLAPSE %ld ok, %ld failed, "
		       "%ld EINVAL; %ld populates, %ld DONTNEED, %ld splits, "
		       "%ld munmaps, %ld punches; khugepaged collapsed %ld, "
		       "%ld full scans\n", sh->collapsed, sh->collapse_failed,
		       sh->collapse_einval, sh->populates, sh->dontneeds,
		       sh->splits, sh->unmaps, sh->punches, khp,
		       read_long(THP_SYS "/khugepaged/full_scans") - scans0);
	ksft_print_msg("thp_race: held still %ld times compared, %ld moved "
		       "(khugepaged); %ld pages, %ld present, %ld THP\n",
		       c.stable, c.moved, c.pages, c.present, c.thp);

	ASSERT_EQ(0, err) TH_LOG("held still: %s", why);
	EXPECT_EQ(0, sh->bad) TH_LOG("first bad answer: %s", sh->first_bad);
	EXPECT_LT(0, total_ok);
	EXPECT_LT(0, c.stable) TH_LOG("never held still long enough");
	/*
	 * The race must really have had huge pages to walk: some collapse
	 * (MADV_COLLAPSE, or khugepaged on a kernel without it) succeeded,
	 * and a comparison saw THPs.
	 */
	EXPECT_LT(0, sh->collapsed + (sh->collapse_einval ? khp : 0))
		TH_LOG("nothing collapsed");
	EXPECT_LT(0, c.thp) TH_LOG("no THP seen while held still");
}

TEST_HARNESS_MAIN
