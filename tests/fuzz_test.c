// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzers, seeded and bounded: whatever arrives, vmscope answers or
 * refuses cleanly, nothing hangs or splats (vm-run scans the guest's
 * kernel log), and afterwards it still answers known questions right.
 *
 * - debugfs: two processes share descriptors to maps, pages, explain and
 *   layout and throw random writes (bytes, token soup, plausible
 *   questions with edge values, oversized and split writes, bad
 *   buffers), reads and preads of random sizes (bad buffers too), lseeks
 *   and reopens at them.  Every call must succeed or fail with an errno
 *   the interface documents; text read must be printable.
 *   VMSCOPE_FUZZ_OPS (CI: 100000), VMSCOPE_FUZZ_SEED to replay,
 *   VMSCOPE_FUZZ_VERBOSE=1 prints every operation.
 * - netlink: random and mutated requests, several per datagram, with
 *   broken lengths, unknown commands and attributes, deep nesting, odd
 *   flags and socket options, dumps abandoned by closing the socket; a
 *   root and an unprivileged (nobody) fuzzer at once.  Every reply must
 *   be well formed and every error one netlink and vmscope document.
 *   VMSCOPE_NLFUZZ_MSGS (CI: 100000), same seed variable.
 *   tests/netlink_test.c has a 10 000-request burst of single well-framed
 *   requests; this one is the big, malformed one.
 *
 * Kernel fault injection (failslab, fail_page_alloc) is not built into
 * Debian's kernels (CONFIG_FAULT_INJECTION is not set); see
 * docs/reliability.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

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

#define OP_BOUND_S	30	/* no single call may take longer */
#define NR_FDS		6
#define BIG_READ	(1 << 20)
#define RING		16

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* Processes asked about: kept still by the test. */
struct targets {
	pid_t self, child, zombie, reaped;
	uint64_t base, len;	/* the child's region */
	uint64_t task_size;
	struct child c;
};

static int target_child(int step, void *arg)
{
	struct targets *t = arg;
	char *p;
	size_t i;

	if (step)
		return 0;
	p = mmap(NULL, t->len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || ADDR(p) != t->base)
		return -1;
	madvise(p, t->len, MADV_NOHUGEPAGE);
	for (i = 0; i < t->len; i += 2 * PG)
		p[i] = 1;
	return 0;
}

static int targets_start(struct targets *t)
{
	void *p;

	memset(t, 0, sizeof(*t));
	t->self = getpid();
	if (!layout_value("task_size", &t->task_size))
		return -1;
	/* An address range free in the parent, for the child to map. */
	t->len = 4096 * PG;
	p = mmap(NULL, t->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	munmap(p, t->len);
	t->base = ADDR(p);
	if (child_start(&t->c, target_child, t))
		return -1;
	t->child = t->c.pid;
	t->zombie = fork();
	if (t->zombie == 0)
		_exit(0);
	t->reaped = fork();
	if (t->reaped == 0)
		_exit(0);
	waitpid(t->reaped, NULL, 0);
	return 0;
}

static void targets_stop(struct targets *t)
{
	child_stop(&t->c);
	if (t->zombie > 0)
		waitpid(t->zombie, NULL, 0);
}

/* ---- failures, shared by the fuzzing processes ---------------------------- */

struct verdict {
	volatile long ops, bad;
	char first[1024];
	char ring[RING][200];	/* the last operations before the first failure */
	volatile long counts[8];
};

/* debugfs fuzzer tallies, in verdict.counts */
enum { C_WRITE_OK, C_WRITE_REFUSED, C_READ_TEXT, C_READ_BYTES, C_READ_ERR,
       C_SEEK, C_REOPEN, C_BAD_BUF };

#define COUNT(f, c, n) __sync_fetch_and_add(&(f)->v->counts[c], (n))

struct fuzzer {
	struct rng r;
	struct verdict *v;
	struct targets *t;
	char desc[160];		/* the operation being done */
	char ring[RING][200];
	long n, opn;
	bool verbose;
	bool reframed;		/* a length that lies went out on this socket */
	int id;
};

static void __attribute__((format(printf, 2, 3)))
op(struct fuzzer *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->desc, sizeof(f->desc), fmt, ap);
	va_end(ap);
	f->opn++;
	snprintf(f->ring[f->opn % RING], sizeof(f->ring[0]), "[%d] %ld: %s",
		 f->id, f->opn, f->desc);
	if (f->verbose)
		fprintf(stderr, "# [%d] %ld %s\n", f->id, f->opn, f->desc);
}

static void __attribute__((format(printf, 2, 3)))
bad(struct fuzzer *f, const char *fmt, ...)
{
	va_list ap;
	int i;

	if (__sync_fetch_and_add(&f->v->bad, 1))
		return;
	va_start(ap, fmt);
	snprintf(f->v->first, sizeof(f->v->first), "[%d] ", f->id);
	vsnprintf(f->v->first + strlen(f->v->first),
		  sizeof(f->v->first) - strlen(f->v->first), fmt, ap);
	va_end(ap);
	for (i = 0; i < RING; i++)
		memcpy(f->v->ring[i], f->ring[(f->opn + 1 + i) % RING],
		       sizeof(f->v->ring[i]));
}

/* ---- debugfs ----------------------------------------------------------------- */

static const char *const dfiles[] = { "maps", "pages", "explain", "layout" };

struct dslot {
	int fd;
	int file;
	int mode;	/* O_RDWR, O_RDONLY, O_WRONLY */
};

static const char *const words[] = {
	"runs", "run", "RUNS", "runs2", "pid", "maps", "x", "-", "+", "0x",
	"0X10", "-1", "- 1", "0b101", "1e3", "0x0x10", "0xffffffffffffffff",
	"18446744073709551616", "99999999999999999999999", "4194304",
	"4194305", "00000000000000000001", "1.5", "runs runs", "#", ",", "=",
};

static const char *const seps[] = {
	" ", " ", " ", "\t", "\n", "\r", "\v", "\f", "  ", "\n\n",
};

static uint64_t edge_addr(struct fuzzer *f)
{
	struct targets *t = f->t;
	struct rng *r = &f->r;
	uint64_t v;

	switch (rng_below(r, 12)) {
	case 0: return 0;
	case 1: return PG;
	case 2: return t->base;
	case 3: return t->base + t->len;
	case 4: return t->base + rng_below(r, t->len / PG) * PG;
	case 5: return t->task_size;
	case 6: return t->task_size - PG;
	case 7: return t->task_size + PG;
	case 8: return ~0ULL - PG + 1;
	case 9: return t->base + 1 + rng_below(r, PG - 1);	/* unaligned */
	case 10: return ADDR(&v) & ~(PG - 1);		/* our stack */
	default: return rng_next(r) & ~(PG - 1);
	}
}

static long edge_pid(struct fuzzer *f)
{
	struct targets *t = f->t;

	switch (rng_below(&f->r, 12)) {
	case 0: return t->self;
	case 1: case 2: case 3: return t->child;
	case 4: return t->zombie;
	case 5: return t->reaped;
	case 6: return 1;
	case 7: return 2;	/* kthreadd */
	case 8: return 0;
	case 9: return -1;
	case 10: return 4194304 + rng_below(&f->r, 3);	/* PID_MAX_LIMIT */
	default: return getpid();
	}
}

/* A question: plausible, token soup, or bytes.  Returns its length. */
/* A question the file answers (file: index in dfiles). */
static size_t gen_answerable(struct fuzzer *f, int file, char *buf,
			     size_t cap)
{
	struct targets *t = f->t;
	struct rng *r = &f->r;
	long pid = (long[]){ t->child, t->child, t->self, 1 }[rng_below(r, 4)];
	uint64_t a = t->base + rng_below(r, t->len / PG) * PG;
	uint64_t e = a + (1 + rng_below(r, rng_pct(r, 80) ? 64 : 4096)) * PG;

	if (pid == 1 || pid == t->self)	/* their own pages, anywhere */
		a = rng_below(r, (t->task_size - PG) / PG) * PG;
	if (e > t->task_size || e <= a)
		e = t->task_size;
	if (file == 2)
		return snprintf(buf, cap, "%ld 0x%llx\n", pid,
				(unsigned long long)a);
	if (file != 1 || rng_pct(r, 20))
		return snprintf(buf, cap, "%ld\n", pid);
	if (rng_pct(r, 20))
		return snprintf(buf, cap, "%ld runs\n", pid);
	return snprintf(buf, cap, "%ld %llu 0x%llx%s\n", pid,
			(unsigned long long)a, (unsigned long long)e,
			rng_pct(r, 50) ? " runs" : "");
}

static size_t gen_question(struct fuzzer *f, int file, char *buf, size_t cap)
{
	struct rng *r = &f->r;
	size_t len = 0, i, n;

	if (rng_pct(r, 35))
		return gen_answerable(f, file, buf, cap);
	switch (rng_below(r, 10)) {
	case 0:				/* random bytes */
		len = rng_below(r, 200);
		for (i = 0; i < len; i++)
			buf[i] = rng_next(r);
		return len;
	case 1:
	case 2:
	case 3:				/* token soup */
		n = rng_below(r, 9);
		for (i = 0; i < n && len < cap - 64; i++) {
			const char *sep = seps[rng_below(r, 10)];

			switch (rng_below(r, 5)) {
			case 0:
				len += snprintf(buf + len, cap - len, "%s%s",
						words[rng_below(r, sizeof(words) /
								sizeof(words[0]))],
						sep);
				break;
			case 1:
				len += snprintf(buf + len, cap - len, "%ld%s",
						edge_pid(f), sep);
				break;
			case 2:
				len += snprintf(buf + len, cap - len, "0x%llx%s",
						(unsigned long long)edge_addr(f),
						sep);
				break;
			case 3:
				len += snprintf(buf + len, cap - len, "%llu%s",
						(unsigned long long)edge_addr(f),
						sep);
				break;
			default:
				buf[len++] = rng_pct(r, 50) ? '\0' : rng_next(r);
				break;
			}
		}
		return len;
	case 9:				/* long: around and far past the limit */
		len = (size_t[]){ 63, 64, 65, 127, 128, 129, 4096, 65536,
				  BIG_READ }[rng_below(r, 9)];
		if (len > cap)
			len = cap;
		memset(buf, ' ', len);
		snprintf(buf, len, "%ld", edge_pid(f));
		buf[strlen(buf)] = ' ';
		return len;
	default:			/* plausible, with edge values */
		len = snprintf(buf, cap, "%ld", edge_pid(f));
		n = rng_below(r, 4);
		if (n == 1)		/* explain: PID ADDR */
			len += snprintf(buf + len, cap - len, " 0x%llx",
					(unsigned long long)edge_addr(f));
		else if (n >= 2)	/* pages: PID START END */
			len += snprintf(buf + len, cap - len, " 0x%llx %s0x%llx",
					(unsigned long long)edge_addr(f),
					rng_pct(r, 10) ? "\t" : "",
					(unsigned long long)edge_addr(f));
		if (rng_pct(r, 40))
			len += snprintf(buf + len, cap - len, " runs");
		if (rng_pct(r, 70))
			len += snprintf(buf + len, cap - len, "\n");
		return len;
	}
}

static bool errno_in(int e, const int *set)
{
	for (; *set; set++)
		if (e == *set)
			return true;
	return false;
}

/* What a failed call may say; anything else is a finding. */
static const int write_errs[] = { EINVAL, ESRCH, EPERM, EACCES, EFAULT,
				  EBADF, 0 };
static const int read_errs[] = { ESRCH, EINTR, EFAULT, EBADF, EINVAL, 0 };
static const int seek_errs[] = { EINVAL, ESRCH, EINTR, 0 };

/* Text from a read: printable ASCII and newlines only. */
static bool printable(const char *s, size_t n, size_t *at)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c != '\n' && c != '\t' && (c < 0x20 || c > 0x7e)) {
			*at = i;
			return false;
		}
	}
	return true;
}

static void dslot_open(struct fuzzer *f, struct dslot *s)
{
	static const int modes[] = { O_RDWR, O_RDWR, O_RDWR, O_RDONLY,
				     O_WRONLY };
	char path[128];

	s->file = rng_below(&f->r, 4);
	s->mode = modes[rng_below(&f->r, 5)];
	snprintf(path, sizeof(path), VMSCOPE_DEBUGFS "/%s", dfiles[s->file]);
	op(f, "open %s mode %d", dfiles[s->file], s->mode);
	s->fd = open(path, s->mode | O_CLOEXEC);
	if (s->fd < 0)
		bad(f, "open %s: %s", path, strerror(errno));
}

static void dfuzz_one(struct fuzzer *f, struct dslot *slots, char *buf,
		      char *unmapped)
{
	struct rng *r = &f->r;
	struct dslot *s = &slots[rng_below(r, NR_FDS)];
	const char *name = dfiles[s->file];
	ssize_t ret;
	size_t len, at;
	off_t off;
	int how;

	if (s->fd < 0) {
		dslot_open(f, s);
		return;
	}
	switch (rng_below(r, 20)) {
	case 0:				/* close and reopen */
		op(f, "close %s", name);
		COUNT(f, C_REOPEN, 1);
		close(s->fd);
		dslot_open(f, s);
		return;
	case 1:				/* a write from a bad buffer */
		len = 1 + rng_below(r, 64);
		op(f, "write %s bad buffer len %zu", name, len);
		COUNT(f, C_BAD_BUF, 1);
		ret = write(s->fd, rng_pct(r, 50) ? (char *)8 : unmapped, len);
		if (ret >= 0 || !errno_in(errno, write_errs))
			bad(f, "write %s from a bad buffer: %zd (%s)", name,
			    ret, strerror(errno));
		return;
	case 2:				/* a question in two writes */
	case 3:
	case 4:
	case 5:
	case 6:
	case 7: {
		size_t first;

		len = gen_question(f, s->file, buf, BIG_READ);
		first = rng_pct(r, 15) ? rng_below(r, len + 1) : len;
		op(f, "write %s %zu bytes '%.*s'%s", name, len,
		   (int)(len < 60 ? len : 60), buf,
		   first < len ? " split" : "");
		ret = write(s->fd, buf, first);
		COUNT(f, ret < 0 ? C_WRITE_REFUSED : C_WRITE_OK, 1);
		if (ret < 0 ? !errno_in(errno, write_errs) :
			      (size_t)ret != first)
			bad(f, "write %s '%.*s': %zd (%s)", name,
			    (int)(first < 60 ? first : 60), buf, ret,
			    ret < 0 ? strerror(errno) : "short");
		if (first < len) {
			ret = write(s->fd, buf + first, len - first);
			if (ret < 0 ? !errno_in(errno, write_errs) :
				      (size_t)ret != len - first)
				bad(f, "second half write %s: %zd (%s)", name,
				    ret, ret < 0 ? strerror(errno) : "short");
		}
		return;
	}
	case 8:				/* a read into a bad buffer */
		len = 1 + rng_below(r, 8192);
		op(f, "read %s bad buffer len %zu", name, len);
		COUNT(f, C_BAD_BUF, 1);
		ret = read(s->fd, rng_pct(r, 50) ? (char *)8 : unmapped, len);
		if (ret < 0 && !errno_in(errno, read_errs))
			bad(f, "read %s into a bad buffer: %s", name,
			    strerror(errno));
		return;
	case 9:
	case 10:			/* seek */
		how = (int[]){ SEEK_SET, SEEK_SET, SEEK_CUR, SEEK_END,
			       SEEK_DATA }[rng_below(r, 5)];
		off = (off_t[]){ 0, 0, 1, 4095, 4096, 100000, -1, -4096,
				 1LL << 40, (off_t)rng_below(r, 1 << 20) }
			[rng_below(r, 10)];
		op(f, "lseek %s %lld whence %d", name, (long long)off, how);
		COUNT(f, C_SEEK, 1);
		ret = lseek(s->fd, off, how);
		if (ret < 0 && !errno_in(errno, seek_errs))
			bad(f, "lseek %s %lld whence %d: %s", name,
			    (long long)off, how, strerror(errno));
		return;
	case 11:			/* pread at a random offset */
		off = rng_pct(r, 50) ? (off_t)rng_below(r, 1 << 16) :
				       (off_t)rng_below(r, 1 << 30);
		len = 1 + rng_below(r, 16384);
		op(f, "pread %s %zu at %lld", name, len, (long long)off);
		ret = pread(s->fd, buf, len, off);
		break;
	default:			/* read a random amount */
		len = (size_t[]){ 0, 1, 2, 7, 64, 4095, 4096, 4097, 65536,
				  BIG_READ }[rng_below(r, 10)];
		if (rng_pct(r, 30))
			len = rng_below(r, 20000);
		op(f, "read %s %zu", name, len);
		ret = read(s->fd, buf, len);
		break;
	}
	if (ret < 0) {
		COUNT(f, C_READ_ERR, 1);
		if (!errno_in(errno, read_errs))
			bad(f, "%s: %s", f->desc, strerror(errno));
		return;
	}
	if (ret > 0) {
		COUNT(f, C_READ_TEXT, 1);
		COUNT(f, C_READ_BYTES, ret);
	}
	if ((size_t)ret > len)
		bad(f, "%s: returned %zd", f->desc, ret);
	else if (!printable(buf, ret, &at))
		bad(f, "%s: byte 0x%02x at %zu of %zd is not text", f->desc,
		    (unsigned char)buf[at], at, ret);
}

static void __attribute__((noreturn)) dfuzz_main(struct verdict *v,
						 struct targets *t,
						 struct dslot *slots, long ops,
						 uint64_t seed, int id)
{
	struct fuzzer f = { .v = v, .t = t, .id = id };
	char *buf = malloc(BIG_READ + 1);
	char *unmapped;
	long i;

	f.verbose = env_long("VMSCOPE_FUZZ_VERBOSE", 0);
	rng_init(&f.r, seed);
	unmapped = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			0);
	if (!buf || unmapped == MAP_FAILED)
		_exit(2);
	munmap(unmapped, PG);
	signal(SIGALRM, SIG_DFL);
	for (i = 0; i < ops && !v->bad; i++) {
		f.n = i;
		alarm(OP_BOUND_S);	/* a hang kills us with SIGALRM */
		dfuzz_one(&f, slots, buf, unmapped);
		alarm(0);
		__sync_fetch_and_add(&v->ops, 1);
	}
	_exit(0);
}

/* maps of self has the same VMAs as /proc/self/maps. */
static void check_own_maps(struct __test_metadata *_metadata)
{
	struct proc_maps before, after;
	char why[VMS_WHY];
	struct vms_maps vm;
	int i, tries;

	quiesce_self(256);
	for (tries = 0; tries < 10; tries++) {
		ASSERT_EQ(0, proc_maps_read(getpid(), &before));
		ASSERT_EQ(0, vms_maps(getpid(), &vm, why)) TH_LOG("%s", why);
		ASSERT_EQ(0, proc_maps_read(getpid(), &after));
		if (proc_maps_equal(&before, &after))
			break;
		proc_maps_free(&before);
		proc_maps_free(&after);
		vms_maps_free(&vm);
	}
	ASSERT_GT(10, tries);
	ASSERT_EQ(after.n, vm.n);
	for (i = 0; i < vm.n; i++)
		EXPECT_STREQ(after.v[i].head, vm.v[i].head);
	proc_maps_free(&before);
	proc_maps_free(&after);
	vms_maps_free(&vm);
}

/* The child's region: every other page present, exactly. */
static void check_child_pages(struct __test_metadata *_metadata,
			      struct targets *t)
{
	struct vms_page *pg = calloc(t->len / PG, sizeof(*pg));
	char why[VMS_WHY];
	size_t i;

	ASSERT_NE(NULL, pg);
	ASSERT_EQ(0, vms_pages(t->child, t->base, t->len / PG, pg, why))
		TH_LOG("%s", why);
	for (i = 0; i < t->len / PG; i++) {
		ASSERT_EQ(i % 2 ? VMSCOPE_STATE_NONE : VMSCOPE_STATE_PRESENT,
			  pg[i].state) TH_LOG("page %zu", i);
	}
	free(pg);
}

static void report_failure(struct __test_metadata *_metadata,
			   struct verdict *v)
{
	int i;

	TH_LOG("first failure: %s", v->first);
	for (i = 0; i < RING; i++)
		if (v->ring[i][0])
			TH_LOG("  before it: %s", v->ring[i]);
}

/* Children that ended by a signal: SIGALRM means a call hung. */
static int reap_fuzzers(struct __test_metadata *_metadata, pid_t *pids, int n)
{
	int i, status, failed = 0;

	for (i = 0; i < n; i++) {
		waitpid(pids[i], &status, 0);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
			TH_LOG("fuzzer %d: a call took more than %d s", i,
			       OP_BOUND_S);
			failed++;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			TH_LOG("fuzzer %d: status 0x%x", i, status);
			failed++;
		}
	}
	return failed;
}

TEST_F_TIMEOUT(fuzz, debugfs, 7200)
{
	long ops = env_long("VMSCOPE_FUZZ_OPS", 100000);
	uint64_t seed = env_seed("VMSCOPE_FUZZ_SEED");
	struct dslot slots[NR_FDS];
	struct fuzzer f = { 0 };
	struct targets tt, *t = &tt;
	struct verdict *v;
	pid_t pids[2];
	double t0;
	int i;

	ASSERT_EQ(0, access(VMSCOPE_DEBUGFS "/pages", W_OK))
		TH_LOG("module not loaded?");
	ksft_print_msg("debugfs fuzz: seed %llu (VMSCOPE_FUZZ_SEED), %ld "
		       "operations (VMSCOPE_FUZZ_OPS)\n",
		       (unsigned long long)seed, ops);
	v = mmap(NULL, sizeof(*v), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, v);
	ASSERT_EQ(0, targets_start(t));

	/* Descriptors opened here are shared by both fuzzers. */
	f.v = v;
	f.t = t;
	rng_init(&f.r, seed);
	for (i = 0; i < NR_FDS; i++)
		dslot_open(&f, &slots[i]);
	ASSERT_EQ(0, v->bad) TH_LOG("%s", v->first);

	t0 = now_s();
	for (i = 0; i < 2; i++) {
		uint64_t s = rng_next(&f.r);

		pids[i] = fork();
		if (pids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			dfuzz_main(v, t, slots, ops / 2, s, i);
		}
	}
	EXPECT_EQ(0, reap_fuzzers(_metadata, pids, 2));
	ksft_print_msg("debugfs fuzz: %ld operations in %.1f s: writes %ld "
		       "accepted, %ld refused; %ld reads gave %ld bytes, %ld "
		       "failed; %ld seeks, %ld reopens, %ld bad buffers\n",
		       v->ops, now_s() - t0, v->counts[C_WRITE_OK],
		       v->counts[C_WRITE_REFUSED], v->counts[C_READ_TEXT],
		       v->counts[C_READ_BYTES], v->counts[C_READ_ERR],
		       v->counts[C_SEEK], v->counts[C_REOPEN],
		       v->counts[C_BAD_BUF]);
	if (v->bad)
		report_failure(_metadata, v);
	EXPECT_EQ(0, v->bad);
	EXPECT_LE(ops, v->ops + (v->bad ? ops : 0));
	for (i = 0; i < NR_FDS; i++)
		if (slots[i].fd >= 0)
			close(slots[i].fd);

	/* Still right, and no reference left behind. */
	check_own_maps(_metadata);
	check_child_pages(_metadata, t);
	targets_stop(t);
	EXPECT_TRUE(module_wait_refcnt(0, 10))
		TH_LOG("vmscope refcnt stays %d", module_refcnt());
}

/* ---- netlink ------------------------------------------------------------------ */

#define NL_SENTINEL	0xf0000000u	/* sequence numbers of sentinels */
#define NL_MAX_ERRNO	160

struct nlv {
	struct verdict v;
	volatile long msgs, datagrams, sessions, abandoned, replies, enobufs;
	volatile long truncated, sent_fail, silent, foreign;
	volatile long hist[2][NL_MAX_ERRNO];	/* root, nobody */
};

struct nlbuf {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct nlbuf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap)
		return;
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void put_zeros(struct nlbuf *b, size_t n)
{
	static const uint8_t zeros[64];

	put(b, zeros, n);
}

static void put_attr(struct fuzzer *f, struct nlbuf *b, uint16_t type,
		     const void *d, size_t n)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN + n, .nla_type = type };

	if (b->len + NLA_ALIGN(NLA_HDRLEN + n) > b->cap)
		return;
	put(b, &nla, sizeof(nla));
	put(b, d, n);
	put_zeros(b, NLA_ALIGN(n) - n);
}

/* Random attributes, some plausible, some nested, some broken. */
static void gen_attrs(struct fuzzer *f, struct nlbuf *b, int depth, int n)
{
	struct rng *r = &f->r;
	int i;

	for (i = 0; i < n && b->len + 4096 < b->cap; i++) {
		size_t at = b->len, len, k;
		struct nlattr nla;
		uint8_t val[64];
		uint16_t type;
		uint64_t v;

		switch (rng_below(r, 10)) {
		case 0:
			type = 0;
			break;
		case 1:
			type = VMSCOPE_A_MAX + 1 + rng_below(r, 5);
			break;
		case 2:
			type = rng_next(r);
			break;
		default:
			type = 1 + rng_below(r, VMSCOPE_A_MAX);
			break;
		}
		if (rng_pct(r, 5))
			type |= NLA_F_NET_BYTEORDER;
		put_zeros(b, NLA_HDRLEN);
		switch (rng_below(r, 20)) {
		case 0: case 1: case 2: case 3: case 4: case 5:
			v = rng_pct(r, 70) ? (uint32_t)edge_pid(f) :
					     rng_below(r, 8);
			put(b, &v, 4);
			break;
		case 6: case 7: case 8: case 9: case 10: case 11:
			v = edge_addr(f);
			put(b, &v, 8);
			break;
		case 12: case 13:
			len = rng_below(r, 33);
			for (k = 0; k < len; k++)
				val[k] = rng_next(r);
			put(b, val, len);
			break;
		case 14: case 15:
			if (depth < 5) {
				if (rng_pct(r, 70))
					type |= NLA_F_NESTED;
				gen_attrs(f, b, depth + 1,
					  1 + rng_below(r, 4));
			}
			break;
		case 16:
			len = rng_below(r, 40);
			for (k = 0; k < len; k++)
				val[k] = 0x20 + rng_below(r, 95);
			if (rng_pct(r, 50) && len)
				val[len - 1] = '\0';
			put(b, val, len);
			break;
		case 17:
			len = 100 + rng_below(r, 3000);
			for (k = 0; k < len; k += sizeof(v)) {
				v = rng_next(r);
				put(b, &v, len - k < sizeof(v) ? len - k :
						   sizeof(v));
			}
			break;
		case 18:
			break;		/* empty */
		default:		/* odd sizes */
			v = rng_next(r);
			put(b, &v, (size_t[]){ 1, 2, 3, 5, 6, 7 }
				[rng_below(r, 6)]);
			break;
		}
		len = b->len - at;
		nla.nla_len = len;
		nla.nla_type = type;
		if (rng_pct(r, 3))	/* a length that lies */
			nla.nla_len = rng_pct(r, 50) ? rng_below(r, 4) :
						       rng_below(r, 65536);
		memcpy(b->p + at, &nla, sizeof(nla));
		if (!rng_pct(r, 3))
			put_zeros(b, NLA_ALIGN(len) - len);
	}
}

/* A well-formed request, then perhaps bent a little. */
static uint8_t gen_valid(struct fuzzer *f, struct nlbuf *b, bool *dump)
{
	struct targets *t = f->t;
	struct rng *r = &f->r;
	size_t start = b->len;
	uint8_t cmd = 1 + rng_below(r, VMSCOPE_CMD_MAX);
	uint32_t pid = rng_pct(r, 60) ? t->child : (uint32_t)edge_pid(f);
	uint32_t flags;
	uint64_t a, e;
	int i;

	*dump = cmd == VMSCOPE_CMD_GET_VMAS || cmd == VMSCOPE_CMD_GET_PAGES;
	switch (cmd) {
	case VMSCOPE_CMD_GET_VMAS:
		put_attr(f, b, VMSCOPE_A_PID, &pid, 4);
		if (rng_pct(r, 70)) {
			flags = rng_pct(r, 80) ? VMSCOPE_REQ_NO_COUNTS :
						 (uint32_t)rng_next(r);
			put_attr(f, b, VMSCOPE_A_REQ_FLAGS, &flags, 4);
		}
		break;
	case VMSCOPE_CMD_GET_PAGES:
		put_attr(f, b, VMSCOPE_A_PID, &pid, 4);
		if (rng_pct(r, 90)) {
			a = t->base + rng_below(r, t->len / PG) * PG;
			e = a + (1 + rng_below(r, 512)) * PG;
			if (rng_pct(r, 20))
				a = edge_addr(f);
			if (rng_pct(r, 20))
				e = edge_addr(f);
			put_attr(f, b, VMSCOPE_A_START, &a, 8);
			put_attr(f, b, VMSCOPE_A_END, &e, 8);
		}
		if (rng_pct(r, 50)) {
			flags = rng_pct(r, 80) ? VMSCOPE_REQ_RUNS :
						 (uint32_t)rng_next(r);
			put_attr(f, b, VMSCOPE_A_REQ_FLAGS, &flags, 4);
		}
		break;
	case VMSCOPE_CMD_EXPLAIN:
		put_attr(f, b, VMSCOPE_A_PID, &pid, 4);
		a = edge_addr(f);
		put_attr(f, b, VMSCOPE_A_ADDR, &a, 8);
		break;
	default:
		break;
	}
	for (i = rng_below(r, 3); i > 0; i--) {
		switch (rng_below(r, 3)) {
		case 0:			/* flip a byte */
			if (b->len > start)
				b->p[start + rng_below(r, b->len - start)] ^=
					1 << rng_below(r, 8);
			break;
		case 1:			/* one more attribute */
			gen_attrs(f, b, 0, 1);
			break;
		default:		/* cut the end off */
			if (b->len > start)
				b->len -= rng_below(r, b->len - start);
			break;
		}
	}
	return cmd;
}

/* One request message at b->p + b->len; returns its length. */
static void gen_msg(struct fuzzer *f, struct nlbuf *b, uint16_t family,
		    uint32_t seq)
{
	struct rng *r = &f->r;
	size_t at = b->len;
	struct nlmsghdr h = { .nlmsg_seq = seq };
	struct genlmsghdr g = { .version = VMSCOPE_GENL_VERSION };
	bool dump = false;
	uint16_t type = family;
	const char *name = VMSCOPE_GENL_NAME;

	put_zeros(b, NLMSG_HDRLEN);
	put_zeros(b, GENL_HDRLEN);
	switch (rng_below(r, 100)) {
	case 0: case 1:		/* the policy dump of our family */
		type = GENL_ID_CTRL;
		g.cmd = CTRL_CMD_GETPOLICY;
		dump = true;
		put_attr(f, b, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
		if (rng_pct(r, 50)) {
			uint32_t opn = rng_below(r, VMSCOPE_CMD_MAX + 2);

			put_attr(f, b, CTRL_ATTR_OP, &opn, 4);
		}
		break;
	case 2: case 3:		/* a family that does not exist */
		type = 0xf000 + rng_below(r, 0x1000);
		g.cmd = rng_next(r);
		gen_attrs(f, b, 0, rng_below(r, 4));
		break;
	case 4: case 5:		/* control message types */
		type = rng_below(r, NLMSG_MIN_TYPE + 2);
		gen_attrs(f, b, 0, rng_below(r, 3));
		break;
	default:
		if (rng_pct(r, 40)) {
			g.cmd = gen_valid(f, b, &dump);
		} else {
			g.cmd = rng_pct(r, 80) ?
				rng_below(r, VMSCOPE_CMD_MAX + 3) : rng_next(r);
			dump = rng_pct(r, 40);
			gen_attrs(f, b, 0, rng_below(r, 7));
		}
		break;
	}
	if (rng_pct(r, 10))
		g.version = rng_next(r);
	if (rng_pct(r, 5))
		g.reserved = rng_next(r);
	if (rng_pct(r, 10))
		dump = !dump;
	h.nlmsg_type = type;
	h.nlmsg_flags = (rng_pct(r, 95) ? NLM_F_REQUEST : 0) |
			(rng_pct(r, 75) ? NLM_F_ACK : 0) |
			(dump ? (rng_pct(r, 90) ? NLM_F_DUMP :
				 rng_pct(r, 50) ? NLM_F_ROOT : NLM_F_MATCH) : 0) |
			(rng_pct(r, 5) ? NLM_F_ECHO : 0) |
			(rng_pct(r, 5) ? (uint16_t)rng_next(r) : 0);
	if (rng_pct(r, 5)) {		/* trailing bytes */
		uint32_t junk = rng_next(r);

		put(b, &junk, 1 + rng_below(r, 3));
	}
	h.nlmsg_len = b->len - at;
	if (rng_pct(r, 3)) {		/* a length that lies */
		h.nlmsg_len = rng_pct(r, 50) ? rng_below(r, NLMSG_HDRLEN + 1) :
					       rng_below(r, b->len - at + 200);
		f->reframed = true;
	}
	if (rng_pct(r, 3))
		h.nlmsg_pid = rng_next(r);
	memcpy(b->p + at, &h, sizeof(h));
	memcpy(b->p + at + NLMSG_HDRLEN, &g, sizeof(g));
	put_zeros(b, NLMSG_ALIGN(b->len) - b->len);
}

/* Errors a request may be refused with, by netlink or by vmscope. */
static const int nl_errs[] = { EINVAL, ERANGE, EOPNOTSUPP, ESRCH, EPERM,
			       EMSGSIZE, ENOENT, EBUSY, ENOBUFS, EACCES, 0 };

static void nl_count_errno(struct fuzzer *f, struct nlv *st, int who, int e,
			   const struct nlmsghdr *nlh)
{
	if (e > 0 || (e < 0 && !errno_in(-e, nl_errs)))
		bad(f, "reply type %u seq %#x: error %d (%s)", nlh->nlmsg_type,
		    nlh->nlmsg_seq, e, strerror(e < 0 ? -e : e));
	else if (-e < NL_MAX_ERRNO)
		__sync_fetch_and_add(&st->hist[who][-e], 1);
}

/* Is this reply well formed?  Sets *done when the sentinel is answered. */
static void nl_check(struct fuzzer *f, struct nlv *st, int who,
		     const struct nlmsghdr *nlh, uint16_t family,
		     uint32_t sentinel, bool *done)
{
	int payload = nlh->nlmsg_len - NLMSG_HDRLEN;
	const struct nlattr *pos;
	struct tnl_attrs a, n;
	int e = 0, rem;

	__sync_fetch_and_add(&st->replies, 1);
	if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
		if (payload < (int)sizeof(int)) {
			if (nlh->nlmsg_type == NLMSG_ERROR)
				bad(f, "NLMSG_ERROR of %d bytes", payload);
			return;
		}
		memcpy(&e, NLMSG_DATA(nlh), sizeof(e));
		nl_count_errno(f, st, who, e, nlh);
		if (nlh->nlmsg_type == NLMSG_ERROR && nlh->nlmsg_seq == sentinel) {
			if (e)
				bad(f, "the sentinel GET_LAYOUT failed: %s",
				    strerror(-e));
			*done = true;
		}
		return;
	}
	if (nlh->nlmsg_type == GENL_ID_CTRL || nlh->nlmsg_type == NLMSG_NOOP)
		return;
	if (nlh->nlmsg_type != family) {
		/*
		 * After a length that lies, the kernel reads the rest of
		 * the datagram from inside a message: the bytes there may
		 * name another family, which answers in its own type (on
		 * 6.1, 0x19 is NetLabel's).
		 */
		if (f->reframed && nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
			__sync_fetch_and_add(&st->foreign, 1);
			return;
		}
		bad(f, "reply of unexpected type %u", nlh->nlmsg_type);
		return;
	}
	if (tnl_parse_msg(&a, nlh)) {
		bad(f, "malformed attributes in a reply (seq %#x)",
		    nlh->nlmsg_seq);
		return;
	}
	tnl_for_each_attr(pos, nlh, rem) {
		int type = tnl_type(pos);

		if ((type == VMSCOPE_A_PAGE || type == VMSCOPE_A_VMA ||
		     type == VMSCOPE_A_LAYOUT || type == VMSCOPE_A_EXPLAIN) &&
		    tnl_parse_nest(&n, pos))
			bad(f, "malformed nest %d in a reply", type);
	}
}

static int nl_socket(struct fuzzer *f)
{
	struct rng *r = &f->r;
	int fd, one = 1, zero = 0, size;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK,
		   rng_pct(r, 70) ? &one : &zero, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK,
		   rng_pct(r, 50) ? &one : &zero, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK,
		   rng_pct(r, 50) ? &one : &zero, sizeof(one));
	if (rng_pct(r, 5)) {
		size = 1 + rng_below(r, 16384);
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	}
	return fd;
}

static int nl_send_sentinel(int fd, uint16_t family, uint32_t seq)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
	} m = {
		.h = { .nlmsg_len = sizeof(m), .nlmsg_type = family,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		       .nlmsg_seq = seq },
		.g = { .cmd = VMSCOPE_CMD_GET_LAYOUT,
		       .version = VMSCOPE_GENL_VERSION },
	};

	return sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&k,
		      sizeof(k)) < 0 ? -errno : 0;
}

/*
 * One session on socket *fd: a few datagrams of a few messages each, then
 * a sentinel GET_LAYOUT whose ack ends the session; the replies before it
 * are checked.  Sockets live for a few sessions; some are closed at once,
 * with whatever dumps they have running.  Returns the messages sent.
 */
static int nl_session(struct fuzzer *f, struct nlv *st, int who, int *fd,
		      uint16_t family, uint8_t *sbuf, size_t scap,
		      uint8_t *rbuf, size_t rcap)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct rng *r = &f->r;
	uint32_t sentinel = NL_SENTINEL | (rng_next(r) & 0xffffff);
	int d, nd = 1 + rng_below(r, 4), resends = 0, sent = 0;
	bool done = false;
	double until;

	if (*fd < 0) {
		f->reframed = false;
		*fd = nl_socket(f);
		if (*fd < 0) {
			bad(f, "netlink socket: %s", strerror(-*fd));
			return 0;
		}
	}
	for (d = 0; d < nd; d++) {
		struct nlbuf b = { .p = sbuf, .cap = scap };
		int m, nm = 1 + rng_below(r, 5);

		for (m = 0; m < nm; m++)
			gen_msg(f, &b, family, rng_next(r) & 0x7fffffff);
		op(f, "send %d messages, %zu bytes", nm, b.len);
		if (sendto(*fd, sbuf, b.len, 0, (struct sockaddr *)&k,
			   sizeof(k)) < 0) {
			if (errno != ENOBUFS && errno != EMSGSIZE &&
			    errno != EINVAL)
				bad(f, "sendto: %s", strerror(errno));
			__sync_fetch_and_add(&st->sent_fail, 1);
		}
		sent += nm;
		__sync_fetch_and_add(&st->msgs, nm);
		__sync_fetch_and_add(&st->datagrams, 1);
	}
	__sync_fetch_and_add(&st->sessions, 1);
	if (rng_pct(r, 3)) {
		op(f, "hang up");
		__sync_fetch_and_add(&st->abandoned, 1);
		close(*fd);
		*fd = -1;
		return sent;
	}
	op(f, "sentinel %#x", sentinel);
	if (nl_send_sentinel(*fd, family, sentinel)) {
		bad(f, "sending the sentinel: %s", strerror(errno));
		return sent;
	}
	until = now_s() + 25;
	while (!done && now_s() < until) {
		size_t want = rng_pct(r, 97) ? rcap : 16 + rng_below(r, 1024);
		struct pollfd pfd = { .fd = *fd, .events = POLLIN };
		const struct nlmsghdr *nlh;
		ssize_t n;
		int len;

		if (poll(&pfd, 1, 100) == 0) {
			/*
			 * Nothing for 100 ms.  An ack dropped while the
			 * socket was congested sets no second ENOBUFS: ask
			 * again; a drained socket must answer in time.
			 */
			__sync_fetch_and_add(&st->silent, 1);
			if (resends++ < 1000)
				nl_send_sentinel(*fd, family, sentinel);
			continue;
		}
		n = recv(*fd, rbuf, want, MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
			/* The kernel dropped replies; the sentinel's may be one. */
			if (errno == ENOBUFS)
				__sync_fetch_and_add(&st->enobufs, 1);
			if (resends++ < 1000)
				nl_send_sentinel(*fd, family, sentinel);
			continue;
		}
		if (n < 0) {
			bad(f, "recv: %s", strerror(errno));
			break;
		}
		if ((size_t)n > want) {
			/* Cut short: unreadable, and it may have held the end. */
			__sync_fetch_and_add(&st->truncated, 1);
			if (resends++ < 1000)
				nl_send_sentinel(*fd, family, sentinel);
			continue;
		}
		len = n;
		for (nlh = (const void *)rbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len))
			nl_check(f, st, who, nlh, family, sentinel, &done);
		if (len > 0 && len >= (int)sizeof(struct nlmsghdr))
			bad(f, "%d bytes of a datagram are not a message", len);
	}
	if (!done && !f->v->bad)
		bad(f, "no answer to the sentinel in 25 s");
	if (rng_pct(r, 5)) {		/* a fresh socket, other options */
		close(*fd);
		*fd = -1;
	}
	return sent;
}

static void __attribute__((noreturn)) nlfuzz_main(struct nlv *st,
						  struct targets *t,
						  uint16_t family, long msgs,
						  uint64_t seed, int who)
{
	struct fuzzer f = { .v = &st->v, .t = t, .id = who };
	size_t scap = 64 << 10, rcap = 64 << 10;
	uint8_t *sbuf = malloc(scap), *rbuf = malloc(rcap);
	long sent = 0;
	int fd = -1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (who && (setgroups(0, NULL) || setgid(NOBODY_GID) ||
		    setuid(NOBODY_UID)))
		_exit(3);
	if (!sbuf || !rbuf)
		_exit(2);
	f.verbose = env_long("VMSCOPE_FUZZ_VERBOSE", 0);
	rng_init(&f.r, seed);
	signal(SIGALRM, SIG_DFL);
	while (sent < msgs && !st->v.bad) {
		f.n++;
		alarm(OP_BOUND_S + 10);
		sent += nl_session(&f, st, who, &fd, family, sbuf, scap, rbuf,
				   rcap);
		alarm(0);
	}
	_exit(0);
}

struct pages_seen {
	uint64_t base, next;
	int *state;
	size_t n;
	bool bad;
};

static int pages_seen_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct pages_seen *p = arg;
	const struct nlattr *pos;
	int rem;

	tnl_for_each_attr(pos, nlh, rem) {
		struct tnl_attrs a;
		uint64_t addr, nr, i;
		uint32_t state;

		if (tnl_type(pos) != VMSCOPE_A_PAGE)
			continue;
		if (tnl_parse_nest(&a, pos) ||
		    !tnl_u64(&a, VMSCOPE_PAGE_A_ADDR, &addr) ||
		    !tnl_u64(&a, VMSCOPE_PAGE_A_NR_PAGES, &nr) ||
		    !tnl_u32(&a, VMSCOPE_PAGE_A_STATE, &state) ||
		    addr != p->next) {
			p->bad = true;
			return 1;
		}
		for (i = 0; i < nr; i++) {
			size_t k = (addr - p->base) / PG + i;

			if (k < p->n)
				p->state[k] = state;
		}
		p->next = addr + nr * PG;
	}
	return 0;
}

static int layout_cb(const struct nlmsghdr *nlh, void *arg)
{
	uint64_t *v = arg;
	struct tnl_attrs top, l;
	uint32_t lv;

	if (!tnl_parse_msg(&top, nlh) && top.tb[VMSCOPE_A_LAYOUT] &&
	    !tnl_parse_nest(&l, top.tb[VMSCOPE_A_LAYOUT]) &&
	    tnl_u32(&l, VMSCOPE_LAYOUT_A_PAGING_LEVELS, &lv) &&
	    tnl_u64(&l, VMSCOPE_LAYOUT_A_TASK_SIZE, &v[1])) {
		v[0] = lv;
		v[2]++;
	}
	return 0;
}

/* GET_LAYOUT: 0 with exactly one well-formed reply, or -errno. */
static int layout_via_netlink(struct tnl *nl, uint64_t *levels,
			      uint64_t *task_size)
{
	uint64_t v[3] = { 0 };
	struct tnl_result res;
	struct tnl_msg m;
	int ret;

	tnl_req(nl, &m, VMSCOPE_CMD_GET_LAYOUT, false);
	ret = tnl_call(nl, &m, layout_cb, v, &res);
	*levels = v[0];
	*task_size = v[1];
	return ret ? ret : v[2] == 1 && res.msgs == 1 ? 0 : -EBADMSG;
}

static void print_hist(const char *who, volatile long *hist)
{
	char line[1024];
	size_t used = 0;
	int e;

	for (e = 0; e < NL_MAX_ERRNO; e++)
		if (hist[e])
			used += snprintf(line + used, sizeof(line) - used,
					 " %s=%ld", e ? strerrorname_np(e) : "ok",
					 hist[e]);
	ksft_print_msg("netlink fuzz: %s replies:%s\n", who,
		       used ? line : " none");
}

TEST_F_TIMEOUT(fuzz, netlink, 7200)
{
	long msgs = env_long("VMSCOPE_NLFUZZ_MSGS", 100000);
	uint64_t seed = env_seed("VMSCOPE_FUZZ_SEED");
	uint64_t levels, task_size, df_levels, df_task_size;
	struct pages_seen ps = { 0 };
	struct tnl_result res;
	struct tnl_msg m;
	struct targets tt, *t = &tt;
	struct nlv *st;
	struct tnl nl;
	struct rng r;
	pid_t pids[2];
	double t0;
	size_t i;
	int ret;

	ret = tnl_open(&nl);
	if (ret == -ENOENT)
		SKIP(return, "vmscope netlink family not registered");
	ASSERT_EQ(0, ret);
	ksft_print_msg("netlink fuzz: seed %llu (VMSCOPE_FUZZ_SEED), %ld "
		       "messages (VMSCOPE_NLFUZZ_MSGS)\n",
		       (unsigned long long)seed, msgs);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st);
	ASSERT_EQ(0, targets_start(t));
	rng_init(&r, seed);

	/* root gets 90% of the messages, nobody 10%, at the same time */
	t0 = now_s();
	for (i = 0; i < 2; i++) {
		uint64_t s = rng_next(&r);

		pids[i] = fork();
		if (pids[i] == 0)
			nlfuzz_main(st, t, nl.family,
				    i ? msgs / 10 : msgs - msgs / 10, s, i);
	}
	EXPECT_EQ(0, reap_fuzzers(_metadata, pids, 2));
	ksft_print_msg("netlink fuzz: %ld messages in %ld datagrams, %ld "
		       "sessions (%ld hung up at once), %.1f s; %ld replies, "
		       "%ld ENOBUFS, %ld truncated, %ld silent for 100 ms, %ld "
		       "sends refused, %ld from other families (reframed)\n",
		       st->msgs, st->datagrams, st->sessions, st->abandoned,
		       now_s() - t0, st->replies, st->enobufs, st->truncated,
		       st->silent, st->sent_fail, st->foreign);
	print_hist("root", st->hist[0]);
	print_hist("nobody", st->hist[1]);
	if (st->v.bad)
		report_failure(_metadata, &st->v);
	EXPECT_EQ(0, st->v.bad);
	EXPECT_LE(msgs, st->msgs + (st->v.bad ? msgs : 0));

	/* Still right: the layout, and the child's every other page. */
	tnl_close(&nl);
	ASSERT_EQ(0, tnl_open(&nl));
	ASSERT_TRUE(layout_value("paging_levels", &df_levels));
	ASSERT_TRUE(layout_value("task_size", &df_task_size));
	ASSERT_EQ(0, layout_via_netlink(&nl, &levels, &task_size));
	EXPECT_EQ(df_levels, levels);
	EXPECT_EQ(df_task_size, task_size);

	ps.base = ps.next = t->base;
	ps.n = t->len / PG;
	ps.state = calloc(ps.n, sizeof(int));
	ASSERT_NE(NULL, ps.state);
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_PAGES, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, t->child);
	tnl_put_u64(&m, VMSCOPE_A_START, t->base);
	tnl_put_u64(&m, VMSCOPE_A_END, t->base + t->len);
	ASSERT_EQ(0, tnl_call(&nl, &m, pages_seen_cb, &ps, &res))
		TH_LOG("%s", res.extack);
	ASSERT_FALSE(ps.bad);
	ASSERT_EQ(t->base + t->len, ps.next);
	for (i = 0; i < ps.n; i++) {
		ASSERT_EQ(i % 2 ? VMSCOPE_STATE_NONE : VMSCOPE_STATE_PRESENT,
			  ps.state[i]) TH_LOG("page %zu", i);
	}
	free(ps.state);
	tnl_close(&nl);
	targets_stop(t);
	/* Every dump ended or was dropped: no reference left behind. */
	EXPECT_TRUE(module_wait_refcnt(0, 10))
		TH_LOG("vmscope refcnt stays %d", module_refcnt());
}

TEST_HARNESS_MAIN
