// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: many readers against targets that never hold still, and module
 * unload while readers are in flight.
 *
 * - readers_vs_churning_targets: 8 reader processes keep asking debugfs
 *   maps and pages (whole range, runs, random ranges, a second question
 *   on the same descriptor) and, when the family is registered, netlink
 *   GET_PAGES/GET_VMAS dumps, about target processes that mmap, munmap,
 *   mprotect, mremap, madvise (DONTNEED, PAGEOUT to swap), touch, fork,
 *   exec (themselves or /bin/true) and exit all the time.  Readers are
 *   killed at random and replaced.  Every answer must be well formed
 *   (the strict parsers of lib/vmscope.c: runs tile the range, VMA page
 *   counts add up) or a clean error (ESRCH: the target exited or
 *   exec'd; EINTR); every question must finish within READ_BOUND_S.
 *   VMSCOPE_STRESS_SECONDS sets the duration (CI: 25 s).
 * - rmmod_refused_while_debugfs_files_are_open: readers hold every
 *   debugfs file open and keep asking; delete_module fails with
 *   EWOULDBLOCK meanwhile, the refcount returns to 0 when they close,
 *   rmmod succeeds, the module is loaded again and answers.  Then
 *   openers race open/ask/close against repeated unload/load cycles.
 * - rmmod_refused_while_netlink_dumps_run: the same with GET_PAGES dumps
 *   held open half way; some are drained (and must be complete), some
 *   abandoned by closing the socket.
 *
 * The module is always left loaded (guest-init unloads it at the end).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
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

#define NR_READERS	8
#define NR_TARGETS	4
#define NR_SLOTS	32	/* target PIDs: NR_TARGETS + forked children */
#define READ_BOUND_S	30	/* no single question may take longer */
#define CHURN_MAPS	48

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

enum mode {
	M_MAPS, M_PAGES, M_RUNS, M_RANGE, M_REASK, M_NL_PAGES, M_NL_VMAS,
	NR_MODES
};

static const char *const mode_names[NR_MODES] = {
	"maps", "pages", "runs", "range", "reask", "nl-pages", "nl-vmas",
};

struct rstats {
	long ok[NR_MODES];
	long esrch, esrch_mid, eintr, kthread, bad;
	double max_op_s;
	char bad_text[700];
};

struct shared {
	volatile pid_t slots[NR_SLOTS];
	struct rstats r[NR_READERS];
	uint64_t task_size;
	double deadline;
	volatile int stop;
	bool netlink;
};

/* ---- targets that never hold still ------------------------------------ */

static sigjmp_buf touch_jmp;

static void touch_fault(int sig)
{
	siglongjmp(touch_jmp, 1);
}

/* Write (or read) one byte; a protection or SIGBUS fault is skipped. */
static void touch(volatile char *p, bool write)
{
	if (sigsetjmp(touch_jmp, 1))
		return;
	if (write)
		*p = 1;
	else
		(void)*p;
}

struct churn_map {
	char *addr;
	size_t len;
};

struct churn {
	struct shared *sh;	/* NULL after exec: no slots to register in */
	struct rng r;
	struct churn_map m[CHURN_MAPS];
	int memfd, exefd;
	size_t exe_size;
	int depth;
};

static void churn_child(struct churn *c, double until);

static void churn_setup(struct churn *c, struct shared *sh, uint64_t seed,
			int depth)
{
	struct sigaction sa = { .sa_handler = touch_fault,
				.sa_flags = SA_NODEFER };
	struct stat st;

	memset(c, 0, sizeof(*c));
	c->sh = sh;
	c->depth = depth;
	rng_init(&c->r, seed);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	c->memfd = memfd_create("churn", MFD_CLOEXEC);
	if (c->memfd >= 0 && ftruncate(c->memfd, 256 * PG)) {
		close(c->memfd);
		c->memfd = -1;
	}
	c->exefd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (c->exefd >= 0 && !fstat(c->exefd, &st))
		c->exe_size = st.st_size & ~(PG - 1);
}

static int random_prot(struct rng *r)
{
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ,
		PROT_NONE, PROT_READ | PROT_WRITE | PROT_EXEC,
	};

	return prots[rng_below(r, sizeof(prots) / sizeof(prots[0]))];
}

/* A random page-aligned piece [off, off + len) of a mapping. */
static void sub_range(struct rng *r, const struct churn_map *m, size_t *off,
		      size_t *len)
{
	size_t pages = m->len / PG;

	*off = rng_below(r, pages) * PG;
	*len = (1 + rng_below(r, pages - *off / PG)) * PG;
}

static void churn_map_new(struct churn *c, struct churn_map *m)
{
	size_t pages = 1 + rng_below(&c->r, rng_pct(&c->r, 10) ? 1024 : 64);
	int prot = random_prot(&c->r);
	int kind = rng_below(&c->r, 10);
	size_t i, len = pages * PG;
	void *p = MAP_FAILED;

	if (kind == 0 && c->memfd >= 0) {
		len = (1 + rng_below(&c->r, 256)) * PG;
		p = mmap(NULL, len, prot, MAP_SHARED, c->memfd, 0);
	} else if (kind == 1 && c->exe_size > PG) {
		size_t off = rng_below(&c->r, c->exe_size / PG) * PG;

		len = (1 + rng_below(&c->r, (c->exe_size - off) / PG)) * PG;
		p = mmap(NULL, len, prot, MAP_PRIVATE, c->exefd, off);
	} else if (kind == 2) {
		p = mmap(NULL, len, prot, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	} else {
		p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS |
			 (rng_pct(&c->r, 20) ? MAP_NORESERVE : 0), -1, 0);
		if (p != MAP_FAILED && rng_pct(&c->r, 30))
			madvise(p, len, rng_pct(&c->r, 50) ? MADV_HUGEPAGE :
				MADV_NOHUGEPAGE);
	}
	if (p == MAP_FAILED)
		return;
	m->addr = p;
	m->len = len;
	for (i = 0; i < len / PG; i++)
		if (rng_pct(&c->r, 40))
			touch(m->addr + i * PG, rng_pct(&c->r, 70));
}

static void churn_step(struct churn *c)
{
	struct churn_map *m = &c->m[rng_below(&c->r, CHURN_MAPS)];
	size_t off, len, i;
	void *p;

	if (!m->addr) {
		churn_map_new(c, m);
		return;
	}
	sub_range(&c->r, m, &off, &len);
	switch (rng_below(&c->r, 16)) {
	case 0:
	case 1:			/* unmap all */
		munmap(m->addr, m->len);
		m->addr = NULL;
		break;
	case 2:			/* punch a hole: the rest is forgotten */
		munmap(m->addr + off, len);
		m->addr = NULL;
		break;
	case 3:
	case 4:
	case 5:
		mprotect(m->addr + off, len, random_prot(&c->r));
		break;
	case 6:
		madvise(m->addr + off, len, MADV_DONTNEED);
		break;
	case 7:
		madvise(m->addr + off, len, MADV_PAGEOUT);
		break;
	case 8:			/* grow or move */
		p = mremap(m->addr, m->len, m->len + len, MREMAP_MAYMOVE);
		if (p != MAP_FAILED) {
			m->addr = p;
			m->len += len;
		}
		break;
	case 9:			/* shrink */
		if (len < m->len) {
			p = mremap(m->addr, m->len, m->len - len, 0);
			if (p != MAP_FAILED)
				m->len -= len;
		}
		break;
	case 10:
		if (c->depth < 2 && rng_pct(&c->r, 40)) {
			churn_child(c, now_s() + 0.05 +
				    rng_below(&c->r, 250) / 1000.0);
			break;
		}
		/* fall through */
	default:		/* fault pages in */
		for (i = 0; i < len / PG; i++)
			touch(m->addr + off + i * PG, rng_pct(&c->r, 60));
		break;
	}
}

static void churn_run(struct churn *c, double until)
{
	while (now_s() < until) {
		churn_step(c);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}

/* A short-lived fork: registered in a free slot so readers ask about it. */
static void churn_child(struct churn *c, double until)
{
	uint64_t seed = rng_next(&c->r);
	int slot = -1, i;
	pid_t pid = fork();

	if (pid != 0)
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (c->sh)
		for (i = NR_TARGETS; i < NR_SLOTS && slot < 0; i++)
			if (__sync_bool_compare_and_swap(&c->sh->slots[i], 0,
							 getpid()))
				slot = i;
	rng_init(&c->r, seed);
	c->depth++;
	churn_run(c, until);
	if (slot >= 0)
		c->sh->slots[slot] = 0;
	_exit(0);
}

/* How a top-level target ends: exit, exec itself, or exec /bin/true. */
static void __attribute__((noreturn)) churn_target(struct shared *sh,
						   uint64_t seed)
{
	double life = 0.3 + (seed % 2700) / 1000.0;
	char secs[32], seeds[32];
	struct churn c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	churn_setup(&c, sh, seed, 0);
	churn_run(&c, now_s() + life);
	switch (rng_below(&c.r, 3)) {
	case 0:
		snprintf(secs, sizeof(secs), "%.3f", 0.2 + rng_below(&c.r, 2000) / 1000.0);
		snprintf(seeds, sizeof(seeds), "%llu",
			 (unsigned long long)rng_next(&c.r));
		execl("/proc/self/exe", "stress_test", "--vmscope-churn", secs,
		      seeds, (char *)NULL);
		break;
	case 1:
		execl("/bin/true", "true", (char *)NULL);
		break;
	}
	_exit(0);
}

/* The exec'd target: churn on in the new image, then exit. */
static void __attribute__((constructor)) churn_after_exec(int argc,
							  char **argv)
{
	struct churn c;

	if (argc != 4 || strcmp(argv[1], "--vmscope-churn"))
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	churn_setup(&c, NULL, strtoull(argv[3], NULL, 0), 0);
	churn_run(&c, now_s() + atof(argv[2]));
	_exit(0);
}

/* ---- readers ----------------------------------------------------------- */

#define BAD(st, fmt, ...) do {						\
	if (!(st)->bad++)						\
		snprintf((st)->bad_text, sizeof((st)->bad_text), fmt,	\
			 ##__VA_ARGS__);				\
} while (0)

/* VMA lines: sane ranges, ends strictly increasing, counts add up. */
static int check_maps_answer(char *text, char *why)
{
	struct vms_maps m;
	uint64_t prev_end = 0;
	int i, ret = 0;

	if (vms_maps_parse(text, &m, why)) {
		vms_maps_free(&m);
		return -1;
	}
	for (i = 0; i < m.n && !ret; i++) {
		const struct vms_vma *v = &m.v[i];
		const struct vms_counts *c = &v->c;
		uint64_t pages = (v->end - v->start) / PG;

		if (v->start >= v->end || v->start % PG || v->end % PG ||
		    v->end <= prev_end) {
			snprintf(why, VMS_WHY, "maps: VMA %d %llx-%llx after end %llx",
				 i, (unsigned long long)v->start,
				 (unsigned long long)v->end,
				 (unsigned long long)prev_end);
			ret = -1;
		} else if (c->none + c->present + c->swap + c->cache +
			   c->other != pages ||
			   c->zero > c->present || c->thp > c->present ||
			   c->cow > c->present || c->excl > c->present) {
			snprintf(why, VMS_WHY,
				 "maps: counts of %llx-%llx (%llu pages) do not add up: %s",
				 (unsigned long long)v->start,
				 (unsigned long long)v->end,
				 (unsigned long long)pages, v->head);
			ret = -1;
		}
		prev_end = v->end;
	}
	vms_maps_free(&m);
	return ret;
}

/* Runs tile the range the header names. */
static int check_pages_answer(const char *text, uint64_t start, uint64_t end,
			      char *why)
{
	unsigned long long hs, he;
	struct vms_run *runs;
	const char *r = strstr(text, " range 0x");
	int n;

	if (!r || sscanf(r, " range 0x%llx-0x%llx", &hs, &he) != 2) {
		snprintf(why, VMS_WHY, "pages: no range in the header: '%.100s'",
			 text);
		return -1;
	}
	if (hs != start || he != end) {
		snprintf(why, VMS_WHY, "pages: header range %llx-%llx, asked %llx-%llx",
			 hs, he, (unsigned long long)start,
			 (unsigned long long)end);
		return -1;
	}
	n = vms_pages_parse(text, start, end, &runs, why);
	free(runs);
	return n < 0 ? -1 : 0;
}

static pid_t pick_target(struct shared *sh, struct rng *r)
{
	pid_t pid = 0;
	int tries;

	for (tries = 0; tries < 4 && pid <= 0; tries++)
		pid = sh->slots[rng_below(r, rng_pct(r, 60) ? NR_TARGETS :
						  NR_SLOTS)];
	if (pid <= 0 || rng_pct(r, 5))
		pid = rng_pct(r, 50) ? getpid() : 1;
	return pid;
}

/* An error that a vanishing target may cause; else record it as bad. */
static bool clean_error(struct rstats *st, int err, const char *text,
			bool mid_answer)
{
	if (err == -ESRCH) {
		st->esrch++;
		st->esrch_mid += mid_answer;
		return true;
	}
	if (err == -EINTR) {
		st->eintr++;
		return true;
	}
	/* A reaped target's PID may be reused by a new kernel thread. */
	if (err == -EINVAL && text && strstr(text, "kernel threads")) {
		st->kthread++;
		return true;
	}
	return false;
}

static void ask_debugfs(struct shared *sh, struct rstats *st, struct rng *r,
			enum mode mode, pid_t pid)
{
	static const size_t chunks[] = { 0, 4096, 1000, 37 };
	size_t chunk = chunks[rng_below(r, 4)];
	uint64_t start = 0, end = sh->task_size;
	char q[128], why[VMS_WHY];
	struct vms_answer a;
	const char *file = mode == M_MAPS ? "maps" : "pages";
	int ret;

	switch (mode) {
	case M_MAPS:
		snprintf(q, sizeof(q), "%d\n", pid);
		break;
	case M_PAGES:
	case M_RUNS:
		snprintf(q, sizeof(q), "%d%s\n", pid,
			 mode == M_RUNS ? " runs" : "");
		break;
	default:		/* M_RANGE */
		/* anywhere, or where mmap() puts things */
		if (rng_pct(r, 50))
			start = rng_below(r, sh->task_size / PG - 1) * PG;
		else
			start = 0x7f0000000000ULL + rng_below(r, 1ULL << 28) * PG;
		end = start + (1 + rng_below(r, rng_pct(r, 50) ? 512 :
						 1ULL << 20)) * PG;
		if (start >= sh->task_size - PG)
			start = sh->task_size - PG;
		if (end > sh->task_size)
			end = sh->task_size;
		snprintf(q, sizeof(q), "%d 0x%llx 0x%llx%s\n", pid,
			 (unsigned long long)start, (unsigned long long)end,
			 rng_pct(r, 50) ? " runs" : "");
		break;
	}
	vms_ask(file, q, chunk, &a);
	if (a.err) {
		if (!clean_error(st, a.err, a.text, !a.write_failed))
			BAD(st, "%s '%.*s': %s%s (%.200s)", file,
			    (int)strcspn(q, "\n"), q,
			    a.write_failed ? "write: " : "read: ",
			    strerror(-a.err), a.text ? a.text : "");
		vms_answer_free(&a);
		return;
	}
	if (mode == M_MAPS) {
		ret = check_maps_answer(a.text, why);	/* takes the text */
		a.text = NULL;
	} else {
		ret = check_pages_answer(a.text, start, end, why);
	}
	if (ret)
		BAD(st, "%s '%.*s' (chunk %zu): %s", file,
		    (int)strcspn(q, "\n"), q, chunk, why);
	else
		st->ok[mode]++;
	vms_answer_free(&a);
}

/* Read fd to EOF into a growing buffer; 0 or -errno. */
static int read_all(int fd, char **text, size_t chunk)
{
	size_t size = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	ssize_t n;

	*text = buf;
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - size < chunk) {
			char *bigger = realloc(buf, cap * 2 + 1);

			if (!bigger)
				return -ENOMEM;
			*text = buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + size, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			buf[size] = '\0';
			return n < 0 ? -errno : 0;
		}
		size += n;
	}
}

/* Two questions on one descriptor: the second answer starts afresh. */
static void ask_twice(struct shared *sh, struct rstats *st, struct rng *r,
		      pid_t pid)
{
	char q1[64], q2[64], part[512], why[VMS_WHY], *text = NULL;
	pid_t other = pick_target(sh, r);
	int fd, err;

	snprintf(q1, sizeof(q1), "%d runs\n", other);
	snprintf(q2, sizeof(q2), "%d runs\n", pid);
	fd = open(VMSCOPE_DEBUGFS "/pages", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		BAD(st, "open pages: %s", strerror(errno));
		return;
	}
	/* The first answer may fail or be cut short: it is left half read. */
	if (write(fd, q1, strlen(q1)) > 0)
		(void)!read(fd, part, 1 + rng_below(r, sizeof(part)));
	if (write(fd, q2, strlen(q2)) != (ssize_t)strlen(q2)) {
		err = -errno;
		if (!clean_error(st, err, NULL, false))
			BAD(st, "reask: write '%d runs': %s", pid,
			    strerror(-err));
		close(fd);
		return;
	}
	err = read_all(fd, &text, 1 + rng_below(r, 8192));
	close(fd);
	if (err) {
		if (!clean_error(st, err, text, true))
			BAD(st, "reask: read '%d runs': %s", pid, strerror(-err));
	} else if (check_pages_answer(text, 0, sh->task_size, why)) {
		BAD(st, "reask '%d runs' after '%d runs': %s", pid, other, why);
	} else {
		st->ok[M_REASK]++;
	}
	free(text);
}

/* ---- netlink readers ---------------------------------------------------- */

struct nl_tile {
	struct tnl_tiling pages;	/* GET_PAGES: entries tile the range */
	uint64_t end;
	uint64_t prev_vma_end;		/* GET_VMAS: VMAs in order */
};

static int nl_vmas_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_tile *t = arg;
	struct tnl_attrs top, v;
	uint64_t start, end;

	if (tnl_parse_msg(&top, nlh) || !top.tb[VMSCOPE_A_VMA] ||
	    tnl_parse_nest(&v, top.tb[VMSCOPE_A_VMA]) ||
	    !tnl_u64(&v, VMSCOPE_VMA_A_START, &start) ||
	    !tnl_u64(&v, VMSCOPE_VMA_A_END, &end)) {
		snprintf(t->pages.why, sizeof(t->pages.why), "malformed VMA message");
		return 1;
	}
	if (start >= end || end <= t->prev_vma_end) {
		snprintf(t->pages.why, sizeof(t->pages.why), "VMA %llx-%llx after end %llx",
			 (unsigned long long)start, (unsigned long long)end,
			 (unsigned long long)t->prev_vma_end);
		return 1;
	}
	t->prev_vma_end = end;
	return 0;
}

static void ask_netlink(struct shared *sh, struct rstats *st, struct rng *r,
			enum mode mode, pid_t pid)
{
	struct nl_tile t = { .end = sh->task_size };
	struct tnl_result res;
	struct tnl_msg m;
	struct tnl nl;
	int ret;

	ret = tnl_open(&nl);
	if (ret) {
		BAD(st, "netlink open: %s", strerror(-ret));
		return;
	}
	if (mode == M_NL_PAGES) {
		tnl_req(&nl, &m, VMSCOPE_CMD_GET_PAGES, true);
		tnl_put_u32(&m, VMSCOPE_A_PID, pid);
		if (rng_pct(r, 70))
			tnl_put_u32(&m, VMSCOPE_A_REQ_FLAGS, VMSCOPE_REQ_RUNS);
		ret = tnl_call(&nl, &m, tnl_tiling_cb, &t.pages, &res);
		if (!ret && t.pages.next != t.end)
			snprintf(t.pages.why, sizeof(t.pages.why),
				 "dump ends at %llx",
				 (unsigned long long)t.pages.next);
	} else {
		tnl_req(&nl, &m, VMSCOPE_CMD_GET_VMAS, true);
		tnl_put_u32(&m, VMSCOPE_A_PID, pid);
		ret = tnl_call(&nl, &m, nl_vmas_cb, &t, &res);
	}
	tnl_close(&nl);
	if (ret < 0) {
		if (!clean_error(st, ret, res.extack, res.msgs > 0))
			BAD(st, "netlink %s pid %d: %s (%s)", mode_names[mode],
			    pid, strerror(-ret), res.extack);
	} else if (ret > 0 || t.pages.why[0]) {
		BAD(st, "netlink %s pid %d: %s", mode_names[mode], pid,
		    t.pages.why);
	} else {
		st->ok[mode]++;
	}
}

static void __attribute__((noreturn)) reader_main(struct shared *sh, int i,
						  uint64_t seed)
{
	struct rstats *st = &sh->r[i];
	struct rng r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGALRM, SIG_DFL);
	rng_init(&r, seed);
	while (!sh->stop && now_s() < sh->deadline) {
		enum mode mode = rng_below(&r, sh->netlink ? NR_MODES :
					   M_NL_PAGES);
		pid_t pid = pick_target(sh, &r);
		double t0 = now_s(), dt;

		alarm(READ_BOUND_S);	/* SIGALRM kills: the parent sees a hang */
		if (mode == M_REASK)
			ask_twice(sh, st, &r, pid);
		else if (mode >= M_NL_PAGES)
			ask_netlink(sh, st, &r, mode, pid);
		else
			ask_debugfs(sh, st, &r, mode, pid);
		alarm(0);
		dt = now_s() - t0;
		if (dt > st->max_op_s)
			st->max_op_s = dt;
	}
	_exit(0);
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
	/* Whatever happened, leave the module loaded for the next test. */
	module_ensure_loaded();
}

static pid_t spawn_target(struct shared *sh, int slot, struct rng *r)
{
	uint64_t seed = rng_next(r);
	pid_t pid = fork();

	if (pid == 0)
		churn_target(sh, seed);
	sh->slots[slot] = pid > 0 ? pid : 0;
	return pid;
}

static pid_t spawn_reader(struct shared *sh, int i, struct rng *r)
{
	uint64_t seed = rng_next(r);
	pid_t pid = fork();

	if (pid == 0)
		reader_main(sh, i, seed);
	return pid;
}

TEST_F_TIMEOUT(stress, readers_vs_churning_targets, 7200)
{
	long seconds = env_long("VMSCOPE_STRESS_SECONDS", 25);
	uint64_t seed = env_seed("VMSCOPE_STRESS_SEED");
	pid_t readers[NR_READERS], targets[NR_TARGETS];
	long total[NR_MODES] = { 0 }, esrch = 0, esrch_mid = 0, eintr = 0;
	long kthread = 0;
	long bad = 0, hangs = 0, killed = 0, exits = 0, ok = 0;
	double next_kill, max_op = 0, end_wait;
	struct shared *sh;
	struct rng r;
	struct tnl nl;
	char line[256];
	int i, status;
	size_t used;
	pid_t pid;

	ASSERT_EQ(0, access(VMSCOPE_DEBUGFS "/pages", W_OK))
		TH_LOG("no %s/pages: module not loaded?", VMSCOPE_DEBUGFS);
	TH_LOG("seed %llu (VMSCOPE_STRESS_SEED), %ld s (VMSCOPE_STRESS_SECONDS)",
	       (unsigned long long)seed, seconds);
	rng_init(&r, seed);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	ASSERT_TRUE(layout_value("task_size", &sh->task_size));
	sh->netlink = !tnl_open(&nl);
	if (sh->netlink)
		tnl_close(&nl);
	else
		TH_LOG("netlink family not registered: debugfs readers only");
	sh->deadline = now_s() + seconds;
	/* Orphaned grandchildren come back to us to be reaped. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));

	for (i = 0; i < NR_TARGETS; i++)
		targets[i] = spawn_target(sh, i, &r);
	for (i = 0; i < NR_READERS; i++)
		readers[i] = spawn_reader(sh, i, &r);
	next_kill = now_s() + 1.5;

	while (now_s() < sh->deadline) {
		/*
		 * Replace the children that ended, but only until the
		 * deadline.  Past it a new reader exits at once, and where
		 * fork() is slow (KASAN and lockdep under TCG) each
		 * replacement has exited before the next waitpid(): there
		 * was always one more child to reap, and the test never
		 * ended.
		 */
		while (now_s() < sh->deadline &&
		       (pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (i = 0; i < NR_TARGETS; i++)
				if (pid == targets[i]) {
					exits++;
					targets[i] = spawn_target(sh, i, &r);
				}
			for (i = 0; i < NR_READERS; i++) {
				if (pid != readers[i])
					continue;
				if (WIFSIGNALED(status) &&
				    WTERMSIG(status) == SIGALRM) {
					hangs++;
					TH_LOG("reader %d: a question took more than %d s",
					       i, READ_BOUND_S);
				}
				readers[i] = spawn_reader(sh, i, &r);
			}
		}
		if (now_s() >= next_kill) {
			/* A reader killed in the middle of a walk. */
			i = rng_below(&r, NR_READERS);
			if (readers[i] > 0 && !kill(readers[i], SIGKILL))
				killed++;
			next_kill = now_s() + 0.5 + rng_below(&r, 2000) / 1000.0;
		}
		usleep(10000);
	}

	/* Readers stop by themselves; each question is bounded. */
	sh->stop = 1;
	end_wait = now_s() + READ_BOUND_S + 15;
	for (i = 0; i < NR_READERS; i++) {
		while (readers[i] > 0 && now_s() < end_wait) {
			pid = waitpid(readers[i], &status, WNOHANG);
			if (pid == readers[i]) {
				if (WIFSIGNALED(status) &&
				    WTERMSIG(status) == SIGALRM)
					hangs++;
				readers[i] = 0;
			} else {
				usleep(20000);
			}
		}
		if (readers[i] > 0) {
			hangs++;
			TH_LOG("reader %d did not stop", i);
			kill(readers[i], SIGKILL);
		}
	}
	for (i = 0; i < NR_TARGETS; i++)
		if (targets[i] > 0)
			kill(targets[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;

	for (i = 0; i < NR_READERS; i++) {
		struct rstats *st = &sh->r[i];
		int k;

		for (k = 0; k < NR_MODES; k++) {
			total[k] += st->ok[k];
			ok += st->ok[k];
		}
		esrch += st->esrch;
		esrch_mid += st->esrch_mid;
		eintr += st->eintr;
		kthread += st->kthread;
		bad += st->bad;
		if (st->max_op_s > max_op)
			max_op = st->max_op_s;
		if (st->bad)
			TH_LOG("reader %d: %ld bad, first: %s", i, st->bad,
			       st->bad_text);
	}
	used = 0;
	for (i = 0; i < NR_MODES; i++)
		used += snprintf(line + used, sizeof(line) - used, " %s=%ld",
				 mode_names[i], total[i]);
	ksft_print_msg("stress: %ld s, %ld well-formed answers:%s\n", seconds,
		       ok, line);
	ksft_print_msg("stress: clean errors: ESRCH %ld (%ld in mid-answer), "
		       "EINTR %ld, kthread %ld; %ld target exits/execs, %ld "
		       "readers killed mid-walk, longest question %.2f s\n",
		       esrch, esrch_mid, eintr, kthread, exits, killed, max_op);
	EXPECT_EQ(0, hangs);
	EXPECT_EQ(0, bad);
	/* Every file closed, every dump done: no reference left behind. */
	EXPECT_TRUE(module_wait_refcnt(0, 10))
		TH_LOG("vmscope refcnt stays %d", module_refcnt());
	EXPECT_LT(8 * seconds, ok) TH_LOG("too few answers to mean anything");
	munmap(sh, sizeof(*sh));
}

/* ---- rmmod with debugfs readers in flight --------------------------------- */

#define NR_HOLDERS 4

static const char *const holder_files[] = { "maps", "pages", "explain",
					    "layout" };

/* One well-formed answer on an open descriptor; NULL or what went wrong. */
static const char *holder_ask(int fd, int which, uint64_t task_size,
			      char *why)
{
	static char msg[VMS_WHY + 64];
	char q[64], *text = NULL;
	int err;

	switch (which) {
	case 0:
		snprintf(q, sizeof(q), "%d\n", getppid());
		break;
	case 1:
		snprintf(q, sizeof(q), "%d runs\n", getppid());
		break;
	case 2:
		snprintf(q, sizeof(q), "%d %p\n", getpid(), (void *)&q);
		break;
	default:
		q[0] = '\0';
		break;
	}
	if (q[0] && write(fd, q, strlen(q)) != (ssize_t)strlen(q)) {
		snprintf(msg, sizeof(msg), "%s: write: %s",
			 holder_files[which], strerror(errno));
		return msg;
	}
	if (!q[0] && lseek(fd, 0, SEEK_SET)) {
		snprintf(msg, sizeof(msg), "layout: lseek: %s", strerror(errno));
		return msg;
	}
	err = read_all(fd, &text, 4096);
	if (err) {
		snprintf(msg, sizeof(msg), "%s: read: %s", holder_files[which],
			 strerror(-err));
		free(text);
		return msg;
	}
	err = 0;
	if (which == 0) {
		err = check_maps_answer(text, why);
		text = NULL;
	} else if (which == 1) {
		err = check_pages_answer(text, 0, task_size, why);
	} else if (which == 2) {
		err = strstr(text, "\nread ") && strstr(text, "\nwrite ") ? 0 : -1;
		snprintf(why, VMS_WHY, "explain answered '%.200s'", text);
	} else {
		err = strstr(text, "paging_levels") ? 0 : -1;
		snprintf(why, VMS_WHY, "layout answered '%.200s'", text);
	}
	free(text);
	if (!err)
		return NULL;
	snprintf(msg, sizeof(msg), "%s: %s", holder_files[which], why);
	return msg;
}

struct holders {
	volatile int opened;
	volatile int stop;
	volatile int hold_off;	/* openers: open nothing new for now */
	volatile long answers;
	char bad[NR_HOLDERS][VMS_WHY + 64];
};

static void __attribute__((noreturn)) holder_main(struct holders *h, int i,
						  uint64_t task_size)
{
	char why[VMS_WHY];
	int fds[4], k;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (k = 0; k < 4; k++) {
		char path[128];

		snprintf(path, sizeof(path), VMSCOPE_DEBUGFS "/%s",
			 holder_files[k]);
		fds[k] = open(path, (k == 3 ? O_RDONLY : O_RDWR) | O_CLOEXEC);
		if (fds[k] < 0) {
			snprintf(h->bad[i], sizeof(h->bad[i]), "open %s: %s",
				 path, strerror(errno));
			_exit(1);
		}
	}
	__sync_fetch_and_add(&h->opened, 1);
	while (!h->stop) {
		for (k = 0; k < 4; k++) {
			const char *err = holder_ask(fds[k], k, task_size, why);

			if (err) {
				snprintf(h->bad[i], sizeof(h->bad[i]), "%s", err);
				_exit(1);
			}
			__sync_fetch_and_add(&h->answers, 1);
		}
	}
	for (k = 0; k < 4; k++)
		close(fds[k]);
	_exit(0);
}

/* The freshly loaded module answers maps of self. */
static void check_answers(struct __test_metadata *_metadata)
{
	char why[VMS_WHY];
	struct vms_maps m;
	int local;

	ASSERT_EQ(0, vms_maps(getpid(), &m, why)) TH_LOG("%s", why);
	EXPECT_NE(NULL, vms_maps_find(&m, ADDR(&local)))
		TH_LOG("no VMA holds the stack");
	vms_maps_free(&m);
}

/* Openers racing unload/load: only opening may fail, and only cleanly. */
static void __attribute__((noreturn)) opener_main(struct holders *h, int i,
						  uint64_t task_size,
						  uint64_t seed)
{
	char why[VMS_WHY];
	struct rng r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng_init(&r, seed);
	while (!h->stop) {
		int k = rng_below(&r, 4);
		char path[128];
		const char *err;
		int fd;

		if (h->hold_off) {
			usleep(1000);
			continue;
		}
		snprintf(path, sizeof(path), VMSCOPE_DEBUGFS "/%s",
			 holder_files[k]);
		fd = open(path, (k == 3 ? O_RDONLY : O_RDWR) | O_CLOEXEC);
		if (fd < 0) {
			/* gone, being removed, or its module is going */
			if (errno != ENOENT && errno != EIO && errno != ENXIO) {
				snprintf(h->bad[i], sizeof(h->bad[i]),
					 "open %s: %s", path, strerror(errno));
				_exit(1);
			}
			usleep(rng_below(&r, 2000));
			continue;
		}
		err = holder_ask(fd, k, task_size, why);
		close(fd);
		if (err) {
			snprintf(h->bad[i], sizeof(h->bad[i]), "%s", err);
			_exit(1);
		}
		__sync_fetch_and_add(&h->answers, 1);
		usleep(rng_below(&r, 3000));
	}
	_exit(0);
}

static int reap(struct __test_metadata *_metadata, struct holders *h,
		pid_t *pids, int n)
{
	int i, status, failed = 0;

	for (i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			failed++;
			TH_LOG("reader %d: %s (status 0x%x)", i,
			       h->bad[i][0] ? h->bad[i] : "died", status);
		}
	}
	return failed;
}

/*
 * Unload vmscope while the openers race it: 0 or -errno.  It is tried
 * for 2 s while they open and close files; where their questions are
 * slow (KASAN under TCG) four of them seldom have nothing open at the
 * same moment, so then they are held off from opening more, and the
 * files they have open must close and let the unload through.
 */
static int unload_between_openers(struct __test_metadata *_metadata,
				  struct holders *h, struct rng *r,
				  int *held_off)
{
	double racing = now_s() + 2, until = now_s() + 30;
	int err;

	while ((err = module_unload()) && now_s() < until) {
		if (err != -EWOULDBLOCK && err != -EBUSY) {
			TH_LOG("delete_module: %s", strerror(-err));
			break;
		}
		if (!h->hold_off && now_s() >= racing) {
			h->hold_off = 1;
			(*held_off)++;
		}
		usleep(rng_below(r, 3000));
	}
	/* Gone (or not going): let the openers find it so. */
	h->hold_off = 0;
	if (err == -EWOULDBLOCK || err == -EBUSY)
		TH_LOG("delete_module refused for 30 s, the last %.0f s with no "
		       "file opened anew: refcnt %d", until - racing,
		       module_refcnt());
	return err;
}

TEST_F_TIMEOUT(stress, rmmod_refused_while_debugfs_files_are_open, 600)
{
	const char *path = module_path();
	long cycles = env_long("VMSCOPE_RMMOD_CYCLES", 10), done = 0;
	uint64_t task_size, seed = env_seed("VMSCOPE_STRESS_SEED");
	pid_t pids[NR_HOLDERS];
	struct holders *h;
	int i, refs, err, refused = 0, held_off = 0;
	double until;
	struct rng r;

	if (!module_loaded())
		SKIP(return, "vmscope is not loaded");
	if (!path)
		SKIP(return, "cannot reload vmscope: VMSCOPE_MODULE unset and "
		     "no build/$(uname -r)/module/vmscope.ko");
	ASSERT_TRUE(layout_value("task_size", &task_size));
	/* Sockets closed mid-dump release the module from a work item. */
	ASSERT_TRUE(module_wait_refcnt(0, 10))
		TH_LOG("something holds vmscope: refcnt %d", module_refcnt());
	rng_init(&r, seed);
	h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, h);

	/* Every file held open by every reader, all of them reading. */
	for (i = 0; i < NR_HOLDERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			holder_main(h, i, task_size);
	}
	until = now_s() + 30;
	while (h->opened < NR_HOLDERS && now_s() < until)
		usleep(10000);
	ASSERT_EQ(NR_HOLDERS, h->opened);
	refs = module_refcnt();
	EXPECT_LE(NR_HOLDERS * 4, refs) TH_LOG("refcnt %d with %d files open",
					       refs, NR_HOLDERS * 4);
	for (i = 0; i < 20; i++) {
		err = module_unload();
		if (err == -EWOULDBLOCK || err == -EBUSY)
			refused++;
		else
			TH_LOG("delete_module with files open: %s",
			       err ? strerror(-err) : "succeeded");
		usleep(50000);
	}
	EXPECT_EQ(20, refused);
	EXPECT_TRUE(module_loaded());
	h->stop = 1;
	EXPECT_EQ(0, reap(_metadata, h, pids, NR_HOLDERS));
	ksft_print_msg("rmmod: refused %d times with %s (refcnt %d) while %d "
		       "readers held %d files and got %ld answers\n", refused,
		       strerrorname_np(-err), refs, NR_HOLDERS, NR_HOLDERS * 4,
		       h->answers);

	/* Closed: the references are gone, unload and load again. */
	ASSERT_TRUE(module_wait_refcnt(0, 10)) TH_LOG("refcnt stays %d", module_refcnt());
	ASSERT_EQ(0, module_unload());
	EXPECT_FALSE(module_loaded());
	EXPECT_NE(0, access(VMSCOPE_DEBUGFS, F_OK));
	ASSERT_EQ(0, module_load(path)) TH_LOG("reloading %s", path);
	check_answers(_metadata);

	/* Openers racing unload/load cycles. */
	memset(h, 0, sizeof(*h));
	for (i = 0; i < NR_HOLDERS; i++) {
		uint64_t s = rng_next(&r);

		pids[i] = fork();
		if (pids[i] == 0)
			opener_main(h, i, task_size, s);
	}
	for (done = 0; done < cycles; done++) {
		err = unload_between_openers(_metadata, h, &r, &held_off);
		if (err)
			break;
		usleep(rng_below(&r, 20000));
		err = module_load(path);
		if (err) {
			TH_LOG("reloading %s: %s", path, strerror(-err));
			break;
		}
		usleep(rng_below(&r, 50000));
	}
	h->stop = 1;
	EXPECT_EQ(0, reap(_metadata, h, pids, NR_HOLDERS));
	ksft_print_msg("rmmod: %ld of %ld unload/load cycles under %d racing "
		       "openers (%d with the openers held off), %ld answers\n",
		       done, cycles, NR_HOLDERS, held_off, h->answers);
	EXPECT_EQ(cycles, done);
	ASSERT_EQ(0, module_ensure_loaded());
	EXPECT_TRUE(module_wait_refcnt(0, 10));
	check_answers(_metadata);
	munmap(h, sizeof(*h));
}

/* ---- rmmod with netlink dumps in flight ------------------------------------ */

#define DUMP_PAGES 16384

struct dumpers {
	volatile int in_flight;
	char bad[NR_HOLDERS][256];
};

/*
 * Start a per-page dump of [base, base + DUMP_PAGES pages) of the parent,
 * take its first message, report, then on command drain it ('d': it must
 * be complete) or drop it by closing the socket ('c').
 */
static void __attribute__((noreturn)) dumper_main(struct dumpers *d, int i,
						  uint64_t base, int cmd_fd)
{
	struct nl_tile t = {
		.pages.next = base, .end = base + DUMP_PAGES * PG,
	};
	int rcvbuf = 32768, seq, n;
	struct nlmsghdr *nlh;
	struct tnl_result res;
	struct tnl_msg m;
	struct tnl nl;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (tnl_open(&nl)) {
		snprintf(d->bad[i], sizeof(d->bad[i]), "netlink open failed");
		_exit(1);
	}
	setsockopt(nl.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_PAGES, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, getppid());
	tnl_put_u64(&m, VMSCOPE_A_START, base);
	tnl_put_u64(&m, VMSCOPE_A_END, t.end);
	seq = tnl_send(&nl, &m);
	/* The first datagram only: the dump stays open behind it. */
	n = recv(nl.fd, nl.buf, nl.buf_size, 0);
	if (seq < 0 || n <= 0 ||
	    ((struct nlmsghdr *)nl.buf)->nlmsg_type != nl.family) {
		snprintf(d->bad[i], sizeof(d->bad[i]),
			 "dump did not start (%d, %d)", seq, n);
		_exit(1);
	}
	for (nlh = (void *)nl.buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n))
		if (nlh->nlmsg_type == nl.family)
			tnl_tiling_cb(nlh, &t.pages);
	__sync_fetch_and_add(&d->in_flight, 1);
	if (read(cmd_fd, &c, 1) != 1 || c == 'c') {
		tnl_close(&nl);
		_exit(0);
	}
	n = tnl_recv(&nl, seq, tnl_tiling_cb, &t.pages, &res);
	if (n || t.pages.why[0] || t.pages.next != t.end) {
		snprintf(d->bad[i], sizeof(d->bad[i]),
			 "drained dump: %s %.100s, ends at %llx of %llx",
			 n < 0 ? strerror(-n) : "", t.pages.why,
			 (unsigned long long)t.pages.next,
			 (unsigned long long)t.end);
		_exit(1);
	}
	tnl_close(&nl);
	_exit(0);
}

struct nl_layout {
	uint32_t levels;
	uint64_t task_size;
	int found;
};

static int nl_layout_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_layout *l = arg;
	struct tnl_attrs top, a;

	if (!tnl_parse_msg(&top, nlh) && top.tb[VMSCOPE_A_LAYOUT] &&
	    !tnl_parse_nest(&a, top.tb[VMSCOPE_A_LAYOUT]) &&
	    tnl_u32(&a, VMSCOPE_LAYOUT_A_PAGING_LEVELS, &l->levels) &&
	    tnl_u64(&a, VMSCOPE_LAYOUT_A_TASK_SIZE, &l->task_size))
		l->found++;
	return 0;
}

/* GET_LAYOUT on a new socket: 0 and one well-formed reply, or -errno. */
static int layout_via_netlink(uint32_t *levels, uint64_t *task_size)
{
	struct nl_layout l = { 0 };
	struct tnl_result res;
	struct tnl_msg m;
	struct tnl nl;
	int ret;

	ret = tnl_open(&nl);
	if (ret)
		return ret;
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_LAYOUT, false);
	ret = tnl_call(&nl, &m, nl_layout_cb, &l, &res);
	tnl_close(&nl);
	if (!ret && (l.found != 1 || res.msgs != 1))
		ret = -EBADMSG;
	*levels = l.levels;
	*task_size = l.task_size;
	return ret;
}

TEST_F_TIMEOUT(stress, rmmod_refused_while_netlink_dumps_run, 300)
{
	const char *path = module_path();
	uint64_t df_levels, df_task_size, task_size;
	int cmd[NR_HOLDERS][2], i, err, refs, refused = 0;
	pid_t pids[NR_HOLDERS];
	struct dumpers *d;
	uint32_t levels;
	struct tnl nl;
	double until;
	char *base;

	if (!module_loaded())
		SKIP(return, "vmscope is not loaded");
	if (tnl_open(&nl) == -ENOENT)
		SKIP(return, "vmscope netlink family not registered");
	tnl_close(&nl);
	if (!path)
		SKIP(return, "cannot reload vmscope: VMSCOPE_MODULE unset and "
		     "no build/$(uname -r)/module/vmscope.ko");
	ASSERT_TRUE(module_wait_refcnt(0, 10)) TH_LOG("something already holds vmscope");

	/* Written and zero pages alternate: one dump entry per page. */
	base = mmap(NULL, DUMP_PAGES * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, base);
	madvise(base, DUMP_PAGES * PG, MADV_NOHUGEPAGE);
	for (i = 0; i < DUMP_PAGES; i++) {
		if (i % 2)
			base[i * PG] = 1;
		else
			(void)*(volatile char *)(base + i * PG);
	}
	d = mmap(NULL, sizeof(*d), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, d);
	for (i = 0; i < NR_HOLDERS; i++) {
		ASSERT_EQ(0, pipe(cmd[i]));
		pids[i] = fork();
		if (pids[i] == 0) {
			close(cmd[i][1]);
			dumper_main(d, i, ADDR(base), cmd[i][0]);
		}
		close(cmd[i][0]);
	}
	until = now_s() + 60;
	while (d->in_flight < NR_HOLDERS && now_s() < until)
		usleep(10000);
	ASSERT_EQ(NR_HOLDERS, d->in_flight) TH_LOG("%s", d->bad[0]);
	refs = module_refcnt();
	EXPECT_LE(NR_HOLDERS, refs) TH_LOG("refcnt %d with %d dumps running",
					   refs, NR_HOLDERS);
	for (i = 0; i < 20; i++) {
		err = module_unload();
		if (err == -EWOULDBLOCK || err == -EBUSY)
			refused++;
		else
			TH_LOG("delete_module with dumps running: %s",
			       err ? strerror(-err) : "succeeded");
		usleep(20000);
	}
	EXPECT_EQ(20, refused) TH_LOG("last: %s", strerror(-err));
	/* Still serving new requests meanwhile. */
	EXPECT_EQ(0, layout_via_netlink(&levels, &task_size));

	/* Half drain their dumps to the end, half hang up in the middle. */
	for (i = 0; i < NR_HOLDERS; i++) {
		char c = i % 2 ? 'c' : 'd';

		ASSERT_EQ(1, write(cmd[i][1], &c, 1));
		close(cmd[i][1]);
	}
	for (i = 0; i < NR_HOLDERS; i++) {
		int status;

		waitpid(pids[i], &status, 0);
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("dumper %d (%s): %s", i, i % 2 ? "closed" : "drained",
			       d->bad[i]);
	}
	ksft_print_msg("rmmod: refused %d times with %s (refcnt %d) while %d "
		       "GET_PAGES dumps were open\n", refused,
		       strerrorname_np(-err), refs, NR_HOLDERS);

	ASSERT_TRUE(module_wait_refcnt(0, 10)) TH_LOG("refcnt stays %d", module_refcnt());
	ASSERT_EQ(0, module_unload());
	EXPECT_EQ(-ENOENT, tnl_open(&nl)) TH_LOG("family still registered");
	ASSERT_EQ(0, module_load(path)) TH_LOG("reloading %s", path);
	ASSERT_EQ(0, layout_via_netlink(&levels, &task_size));
	ASSERT_TRUE(layout_value("paging_levels", &df_levels));
	ASSERT_TRUE(layout_value("task_size", &df_task_size));
	EXPECT_EQ(df_levels, levels);
	EXPECT_EQ(df_task_size, task_size);
	munmap(base, DUMP_PAGES * PG);
	munmap(d, sizeof(*d));
}

TEST_HARNESS_MAIN
