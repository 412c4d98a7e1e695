// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs explain against what really happens.  Each case sets up a page
 * in a child process, asks vmscope what a read, write or fetch there
 * would do, then lets the child do it and compares with the oracle: the
 * child's own fault counters (getrusage: minflt/majflt) and the signal it
 * died of, if any.  The expected outcome of each case is what the test
 * set up; the counters and the signal check that the outcome is right.
 * Where an outcome says more than "a fault", more oracles: the page's
 * PFN before and after (pagemap: copied or not), and each case's own
 * check of what the fault did (the userfaultfd message its handler got,
 * the file's content, the huge page's mapping in smaps).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/pagemap.h"
#include "lib/stress.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102	/* 6.13 */
#endif

#define PAGE PG
#define HUGE vs_pmd_size()	/* a PMD's worth: THP, default hugetlb page */

enum access { READ, WRITE, EXEC };
static const char * const access_names[] = { "read", "write", "exec" };

/* What the child reports after its access (if it survives it). */
struct report {
	long minflt, majflt;
	uint64_t pm_before, pm_after;	/* pagemap entries of the page */
	char problem[192];		/* the case's own oracle: "" if happy */
};

/* What the oracle saw. */
struct observed {
	int signal;		/* 0 if the child survived */
	struct report r;
};

/* Sets up the page in the child; returns its address, or NULL + reason. */
typedef char *(*setup_fn)(const char **skip);
/*
 * After the access, in the child: did the fault do what the outcome
 * says?  Describes what is wrong in problem (left empty if all is well).
 */
typedef void (*verify_fn)(char *p, enum access a, char *problem, size_t len);

/* One case: the page, the access made, and explain's expected answers. */
struct xcase {
	setup_fn setup;
	verify_fn verify;		/* NULL: the common oracles only */
	enum access access;
	const char *expect[3];		/* per access; NULL: not checked */
};

static void do_access(char *p, enum access a)
{
	switch (a) {
	case READ:
		(void)*(volatile char *)p;
		break;
	case WRITE:
		*(volatile char *)p = 1;
		break;
	case EXEC:
		((void (*)(void))p)();
		break;
	}
}

static void get_faults(struct report *r)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	r->minflt = ru.ru_minflt;
	r->majflt = ru.ru_majflt;
}

static uint64_t pagemap_self(char *p)
{
	uint64_t e = 0;

	return pagemap_read(getpid(), ADDR(p), 1, &e) ? 0 : e;
}

static void __attribute__((format(printf, 3, 4)))
problem(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* What the child sends instead of a skip reason when its setup failed */
#define SETUP_FAILED "setup failed"

/* The child: set up, report the address, wait, access, report faults. */
static void child(const struct xcase *xc, int to_parent, int from_parent)
{
	struct report before, r;
	const char *skip = NULL;
	char *p, go;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	p = xc->setup(&skip);
	if (write(to_parent, &p, sizeof(p)) != sizeof(p))
		_exit(2);
	if (!p) {
		/* A setup without a reason for giving up failed: not a skip. */
		if (!skip)
			skip = SETUP_FAILED;
		if (write(to_parent, skip, strlen(skip) + 1) < 0)
			_exit(2);
		_exit(0);
	}
	if (read(from_parent, &go, 1) != 1)
		_exit(2);
	memset(&r, 0, sizeof(r));
	r.pm_before = pagemap_self(p);
	get_faults(&before);	/* also faults in what get_faults needs */
	get_faults(&before);
	do_access(p, xc->access);
	get_faults(&r);
	r.minflt -= before.minflt;
	r.majflt -= before.majflt;
	r.pm_after = pagemap_self(p);
	if (xc->verify)
		xc->verify(p, xc->access, r.problem, sizeof(r.problem));
	if (write(to_parent, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	_exit(0);
}

/* The outcomes vmscope gives for a read, a write and a fetch at addr. */
static int explain(pid_t pid, char *addr, char outcome[3][64])
{
	struct vms_answer ans;
	char question[64], *line, *save = NULL;
	int a, found = 0;

	snprintf(question, sizeof(question), "%d %p", pid, addr);
	if (vms_ask("explain", question, 0, &ans)) {
		vms_answer_free(&ans);
		return -EIO;
	}
	for (line = strtok_r(ans.text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char word[16], what[64];

		fprintf(stderr, "#   %s\n", line);	/* walk, bits, why */
		if (sscanf(line, "%15s %63s", word, what) != 2)
			continue;
		for (a = READ; a <= EXEC; a++) {
			if (!strcmp(word, access_names[a])) {
				snprintf(outcome[a], 64, "%s", what);
				found |= 1 << a;
			}
		}
	}
	vms_answer_free(&ans);
	return found == 7 ? 0 : -ENOENT;
}

/*
 * Run one case: returns 1 if skipped (reason in skip), else fills
 * outcome (per access) and what was observed.
 */
static int run_case(struct __test_metadata *_metadata,
		    const struct xcase *xc, char outcome[3][64],
		    struct observed *seen, char *skip, size_t skip_len)
{
	int down[2], up[2], status;
	char *addr, go = 1;
	pid_t pid;

	ASSERT_EQ(0, pipe(down));
	ASSERT_EQ(0, pipe(up));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		child(xc, up[1], down[0]);
	}
	close(down[0]);
	close(up[1]);
	ASSERT_EQ(sizeof(addr), read(up[0], &addr, sizeof(addr)));
	if (!addr) {
		ssize_t n = read(up[0], skip, skip_len - 1);

		skip[n > 0 ? n : 0] = '\0';
		waitpid(pid, &status, 0);
		close(down[1]);
		close(up[0]);
		ASSERT_STRNE(SETUP_FAILED, skip);
		return 1;
	}
	EXPECT_EQ(0, explain(pid, addr, outcome));
	ASSERT_EQ(1, write(down[1], &go, 1));
	memset(seen, 0, sizeof(*seen));
	if (read(up[0], &seen->r, sizeof(seen->r)) != sizeof(seen->r))
		seen->r.minflt = -1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (WIFSIGNALED(status))
		seen->signal = WTERMSIG(status);
	close(down[1]);
	close(up[0]);
	return 0;
}

/* Copied or not: the page's PFN before and after the write. */
static void check_pfn(struct __test_metadata *_metadata,
		      const struct report *r, bool copied)
{
	uint64_t before = pm_pfn(r->pm_before), after = pm_pfn(r->pm_after);

	ASSERT_TRUE(r->pm_before & PM_PRESENT);
	ASSERT_TRUE(r->pm_after & PM_PRESENT);
	ASSERT_NE(0, before) TH_LOG("no PFNs in pagemap: not root?");
	TH_LOG("pfn before 0x%llx after 0x%llx", (unsigned long long)before,
	       (unsigned long long)after);
	if (copied) {
		EXPECT_NE(before, after);
	} else {
		EXPECT_EQ(before, after);
	}
}

/* Does what the child saw fit the outcome vmscope named? */
static void check_observed(struct __test_metadata *_metadata,
			   const char *outcome, const struct observed *seen)
{
	const struct report *r = &seen->r;

	TH_LOG("outcome %s: signal %d, minflt %ld, majflt %ld", outcome,
	       seen->signal, r->minflt, r->majflt);
	if (!strncmp(outcome, "sigsegv", 7)) {
		EXPECT_EQ(SIGSEGV, seen->signal);
		return;
	}
	if (!strcmp(outcome, "sigbus")) {
		EXPECT_EQ(SIGBUS, seen->signal);
		return;
	}
	ASSERT_EQ(0, seen->signal);
	EXPECT_STREQ("", r->problem);
	if (!strcmp(outcome, "none")) {
		EXPECT_EQ(0, r->minflt);
		EXPECT_EQ(0, r->majflt);
	} else if (!strncmp(outcome, "major", 5)) {
		EXPECT_EQ(1, r->majflt);
	} else if (!strcmp(outcome, "userfaultfd")) {
		/*
		 * The handler resolved it, the fault was retried: counted
		 * once, major when the retry had FAULT_FLAG_TRIED.
		 */
		EXPECT_EQ(1, r->minflt + r->majflt);
	} else {
		/* minor-*, cow-*, stack-grow, write-notify, hugetlb, driver */
		EXPECT_EQ(1, r->minflt);
		EXPECT_EQ(0, r->majflt);
	}
	if (!strcmp(outcome, "cow-copy"))
		check_pfn(_metadata, r, true);
	else if (!strcmp(outcome, "cow-reuse") ||
		 !strcmp(outcome, "write-notify"))
		check_pfn(_metadata, r, false);
}

static void test_case(struct __test_metadata *_metadata,
		      const struct xcase *xc)
{
	char outcome[3][64] = { "", "", "" }, skip[256];
	struct observed seen;
	int a;

	if (run_case(_metadata, xc, outcome, &seen, skip, sizeof(skip)))
		SKIP(return, "%s", skip);
	for (a = READ; a <= EXEC; a++) {
		if (xc->expect[a]) {
			EXPECT_STREQ(xc->expect[a], outcome[a])
				TH_LOG("%s", access_names[a]);
		}
	}
	check_observed(_metadata, outcome[xc->access], &seen);
}

/* Explain must say expected for this access; then it is performed. */
#define EXPLAIN_CASE(name, setup, access, expected)			\
TEST(name)								\
{									\
	static const struct xcase xc = {				\
		setup, NULL, access, { [access] = expected }		\
	};								\
									\
	test_case(_metadata, &xc);					\
}

/* The same, with a read, a write and a fetch expected, and own oracle. */
#define EXPLAIN_CASE3(name, setup, verify, access, r, w, x)		\
TEST(name)								\
{									\
	static const struct xcase xc = {				\
		setup, verify, access, { r, w, x }			\
	};								\
									\
	test_case(_metadata, &xc);					\
}

static char *map_anon(int prot)
{
	char *p = mmap(NULL, 4 * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p + PAGE;
}

static char *hole(const char **skip)
{
	char *p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED || munmap(p + PAGE, PAGE))
		return NULL;
	return p + PAGE;
}

static char *prot_none(const char **skip)
{
	return map_anon(PROT_NONE);
}

static char *read_only(const char **skip)
{
	return map_anon(PROT_READ);
}

static char *untouched(const char **skip)
{
	return map_anon(PROT_READ | PROT_WRITE);
}

static char *written(const char **skip)
{
	char *p = map_anon(PROT_READ | PROT_WRITE);

	if (p)
		*p = 1;
	return p;
}

static char *zero_page(const char **skip)
{
	char *p = map_anon(PROT_READ | PROT_WRITE);

	if (p)
		(void)*(volatile char *)p;
	return p;
}

/* Share p with a child that holds still: COW on write.  Returns p. */
static char *hold_in_child(char *p)
{
	pid_t parent = getpid();
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* The parent may have gone before the prctl took effect. */
		if (getppid() != parent)
			_exit(0);
		pause();
		_exit(0);
	}
	return pid < 0 ? NULL : p;
}

/* Written, then shared with a child that holds still: COW on write. */
static char *shared_after_fork(const char **skip)
{
	char *p = written(skip);

	return p ? hold_in_child(p) : NULL;
}

static char *swapped(const char **skip)
{
	char *p = written(skip);

	int try;

	if (!p)
		return NULL;
	/*
	 * MADV_PAGEOUT passes over a page still in another CPU's LRU batch:
	 * ask again until pagemap says the page is out.
	 */
	for (try = 0; try < 10; try++) {
		if (madvise(p - PAGE, 4 * PAGE, MADV_PAGEOUT)) {
			*skip = "MADV_PAGEOUT failed (no swap?)";
			return NULL;
		}
		if (pagemap_self(p) & PM_SWAP)
			return p;
		usleep(10 * 1000);
	}
	*skip = "MADV_PAGEOUT left the page resident ten times (no swap?)";
	return NULL;
}

/* A tmpfs file of two pages, the first written, mapped over four. */
static char *tmpfs_map(int flags)
{
	char path[] = "/dev/shm/vmscope-explain-XXXXXX", *p;
	int fd = mkstemp(path);

	if (fd < 0)
		return NULL;
	unlink(path);
	if (ftruncate(fd, 2 * PAGE) || pwrite(fd, "x", 1, 0) != 1)
		return NULL;
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, flags, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static char *cached_private(const char **skip)
{
	return tmpfs_map(MAP_PRIVATE);
}

static char *shmem_hole(const char **skip)
{
	char *p = tmpfs_map(MAP_SHARED);

	return p ? p + PAGE : NULL;
}

static char *past_eof(const char **skip)
{
	char *p = tmpfs_map(MAP_SHARED);

	return p ? p + 3 * PAGE : NULL;
}

/*
 * A page of a file on the host's file system that nobody has mapped,
 * dropped from the page cache: a fault has to read it.
 */
static char *uncached_file(const char **skip)
{
	char *p = map_uncached_file(NULL);

	if (!p)
		*skip = "no host file could be dropped from the page cache";
	return p;
}

/* The page just below the main stack's VMA. */
static char *below_stack(const char **skip)
{
	char line[512], *p = NULL;
	FILE *f = fopen("/proc/self/maps", "re");
	unsigned long start, end;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") &&
		    sscanf(line, "%lx-%lx", &start, &end) == 2)
			p = (char *)start - PAGE;
	if (f)
		fclose(f);
	return p;
}

/*
 * The same page, with a readable VMA 255 pages below it: growing the
 * stack there would leave less than stack_guard_gap (256 pages by
 * default) to that VMA, so expand_stack() refuses and the access is a
 * SIGSEGV (mm/mmap.c, expand_downwards()).
 */
static char *below_stack_in_guard_gap(const char **skip)
{
	char *p = below_stack(skip), *blocker;

	if (!p)
		return NULL;
	blocker = mmap(p - 256 * PAGE, PAGE, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0);
	if (blocker == MAP_FAILED) {
		*skip = "no room for a VMA in the stack's guard gap";
		return NULL;
	}
	return p;
}

/*
 * A PROT_NONE VMA in the gap does not count: expand_downwards() keeps
 * stack_guard_gap only to accessible VMAs, so the stack grows.
 */
static char *below_stack_prot_none_in_gap(const char **skip)
{
	char *p = below_stack(skip), *blocker;

	if (!p)
		return NULL;
	blocker = mmap(p - 256 * PAGE, PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0);
	if (blocker == MAP_FAILED) {
		*skip = "no room for a VMA in the stack's guard gap";
		return NULL;
	}
	return p;
}

static long vm_size_kb(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSize: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/*
 * 2 MiB below the stack, well within RLIMIT_STACK, with RLIMIT_AS only
 * 64 pages above what the process maps: growing by 512 pages would pass
 * it (may_expand_vm()), so the kernel refuses and the access is SIGSEGV.
 */
static char *below_stack_past_rlimit_as(const char **skip)
{
	char *p = below_stack(skip);
	struct rlimit rl;
	long kb = vm_size_kb();

	if (!p || kb < 0)
		return NULL;
	rl.rlim_cur = rl.rlim_max = kb * 1024 + 64 * PAGE;
	if (setrlimit(RLIMIT_AS, &rl))
		return NULL;
	return p - (2UL << 20);
}

/*
 * A MAP_GROWSDOWN VMA 16 pages above vm.mmap_min_addr, and the page just
 * below mmap_min_addr: expand_downwards() refuses it (-EPERM), SIGSEGV.
 */
static char *below_mmap_min_addr(const char **skip)
{
	char *text = read_file("/proc/sys/vm/mmap_min_addr", NULL);
	unsigned long min = text ? strtoul(text, NULL, 0) : 0;
	char *stack;

	free(text);
	if (min < PAGE) {
		*skip = "vm.mmap_min_addr is below one page";
		return NULL;
	}
	min = (min + PAGE - 1) & ~(PAGE - 1);
	stack = mmap((char *)min + 16 * PAGE, PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN |
		     MAP_FIXED_NOREPLACE, -1, 0);
	if (stack == MAP_FAILED)
		return NULL;
	/*
	 * The last byte below mmap_min_addr, not its page's start: with
	 * mmap_min_addr at one page (the debug kernel's), that is 0, and
	 * NULL means "setup failed" here.
	 */
	return (char *)min - 1;
}

/*
 * perf's ring buffer (a software event of this process): its file is an
 * anonymous inode (i_size 0, not a regular file) and perf_mmap_fault()
 * maps the pages on 6.1 and 6.12, a driver's fault, not "past the end
 * of the file"; 7.x maps them all at mmap() (VM_PFNMAP), no fault.  The
 * outcome is not fixed here: whatever explain says must happen.
 */
static char *perf_ring(const char **skip)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_DUMMY,
		.disabled = 1,
	};
	int fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1,
			 PERF_FLAG_FD_CLOEXEC);
	char *p;

	if (fd < 0) {
		*skip = "perf_event_open() of a software event refused";
		return NULL;
	}
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

#define CHARDEV "/dev/vmscope_chardev"

/* tests/kmod/vmscope_chardev.c: a page its own fault handler maps. */
static char *chardev_page(const char **skip)
{
	int fd = open(CHARDEV, O_RDONLY | O_CLOEXEC);
	char *p;

	if (fd < 0) {
		*skip = "cannot open " CHARDEV;
		return NULL;
	}
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/* ---- copy-on-write reuse ----------------------------------------------- */

/*
 * Stay on one CPU: a page not yet on the LRU sits in this CPU's LRU
 * batch, which holds a reference; the write fault drains only the
 * faulting CPU's batch before it counts references (do_wp_page()).
 */
static void stay_on_this_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Fork a child that exits at once; returns once it is gone. */
static bool fork_and_reap(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(0);
	return pid > 0 && waitpid(pid, &status, 0) == pid;
}

/*
 * Written, then shared with a child that exits: the PTE stays read-only
 * and the page is no longer PageAnonExclusive, but its only reference is
 * ours again, so the write reuses it.
 */
static char *reuse_after_fork(const char **skip)
{
	char *p;

	stay_on_this_cpu();
	p = written(skip);
	if (p && !fork_and_reap()) {
		*skip = "fork failed";
		return NULL;
	}
	return p;
}

/* ---- userfaultfd --------------------------------------------------------- */

/* The handler thread's side, in the child. */
static struct {
	int fd;
	pthread_t thread;
	struct uffd_msg msg;
	int got;		/* 1: a message, -errno: read failed */
	int resolve_err;	/* errno of the resolving ioctl */
} uffd;

/* One fault: record it, resolve it as the message asks. */
static void *uffd_handler(void *arg)
{
	static char page[PAGE_SIZE_MAX] __attribute__((aligned(PAGE_SIZE_MAX)));
	struct uffd_msg *m = &uffd.msg;
	unsigned long addr;

	if (read(uffd.fd, m, sizeof(*m)) != sizeof(*m)) {
		uffd.got = -errno;
		return NULL;
	}
	uffd.got = 1;
	if (m->event != UFFD_EVENT_PAGEFAULT)
		return NULL;
	addr = m->arg.pagefault.address & ~(PAGE - 1);
	if (m->arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) {
		struct uffdio_writeprotect wp = {
			.range = { .start = addr, .len = PAGE },
		};

		if (ioctl(uffd.fd, UFFDIO_WRITEPROTECT, &wp))
			uffd.resolve_err = errno;
	} else if (m->arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE) {
		struct uffdio_copy copy = {
			.dst = addr, .src = (unsigned long)page, .len = PAGE,
		};

		memset(page, 0x5a, PAGE);
		if (ioctl(uffd.fd, UFFDIO_COPY, &copy))
			uffd.resolve_err = errno;
	} else {
		struct uffdio_zeropage zero = {
			.range = { .start = addr, .len = PAGE },
		};

		if (ioctl(uffd.fd, UFFDIO_ZEROPAGE, &zero))
			uffd.resolve_err = errno;
	}
	return NULL;
}

/* Four anonymous pages registered with a new userfaultfd in mode. */
static char *uffd_range(__u64 mode, const char **skip)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = mode };
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	uffd.fd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (uffd.fd < 0) {
		*skip = "userfaultfd() failed (not root?)";
		return NULL;
	}
	if (ioctl(uffd.fd, UFFDIO_API, &api)) {
		*skip = "UFFDIO_API failed";
		return NULL;
	}
	reg.range.start = (unsigned long)p;
	reg.range.len = 4 * PAGE;
	if (ioctl(uffd.fd, UFFDIO_REGISTER, &reg)) {
		*skip = mode & UFFDIO_REGISTER_MODE_WP ?
			"UFFDIO_REGISTER_MODE_WP refused for anonymous memory" :
			"UFFDIO_REGISTER failed";
		return NULL;
	}
	return p + PAGE;
}

static char *uffd_start(char *p, const char **skip)
{
	if (p && pthread_create(&uffd.thread, NULL, uffd_handler, NULL)) {
		*skip = "cannot start the handler thread";
		return NULL;
	}
	return p;
}

/* An untouched page whose faults go to the handler thread. */
static char *uffd_missing(const char **skip)
{
	return uffd_start(uffd_range(UFFDIO_REGISTER_MODE_MISSING, skip),
			  skip);
}

/* A written page, write-protected through userfaultfd. */
static char *uffd_wp(const char **skip)
{
	struct uffdio_writeprotect wp = {
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	char *p = uffd_range(UFFDIO_REGISTER_MODE_WP, skip);

	if (!p)
		return NULL;
	*p = 1;
	wp.range.start = (unsigned long)p;
	wp.range.len = PAGE;
	if (ioctl(uffd.fd, UFFDIO_WRITEPROTECT, &wp)) {
		*skip = "UFFDIO_WRITEPROTECT failed";
		return NULL;
	}
	return uffd_start(p, skip);
}

/* The handler got exactly this access's fault, and resolved it. */
static void uffd_check(char *p, enum access a, bool wp, char *bad,
		       size_t len)
{
	const struct uffd_msg *m = &uffd.msg;
	__u64 want = (a == WRITE ? UFFD_PAGEFAULT_FLAG_WRITE : 0) |
		     (wp ? UFFD_PAGEFAULT_FLAG_WP : 0);
	__u64 flags = m->arg.pagefault.flags &
		      (UFFD_PAGEFAULT_FLAG_WRITE | UFFD_PAGEFAULT_FLAG_WP);

	pthread_join(uffd.thread, NULL);
	if (uffd.got != 1)
		problem(bad, len, "the handler got no message (%d)", uffd.got);
	else if (m->event != UFFD_EVENT_PAGEFAULT)
		problem(bad, len, "the handler got event %u", m->event);
	else if ((m->arg.pagefault.address & ~(PAGE - 1)) !=
		 (unsigned long)p)
		problem(bad, len, "fault at 0x%llx, not at %p",
			(unsigned long long)m->arg.pagefault.address, p);
	else if (flags != want)
		problem(bad, len, "fault flags 0x%llx, want 0x%llx",
			(unsigned long long)flags, (unsigned long long)want);
	else if (uffd.resolve_err)
		problem(bad, len, "resolving failed: %s",
			strerror(uffd.resolve_err));
	else if (*(volatile char *)p != (a == WRITE ? 1 : 0))
		problem(bad, len, "the page holds %d after the %s",
			*(volatile char *)p, access_names[a]);
}

static void uffd_missing_check(char *p, enum access a, char *bad, size_t len)
{
	uffd_check(p, a, false, bad, len);
}

static void uffd_wp_check(char *p, enum access a, char *bad, size_t len)
{
	uffd_check(p, a, true, bad, len);
}

/*
 * A hole of a tmpfs file mapped shared, write-protected through
 * userfaultfd before anything was mapped there: shmem keeps the
 * protection in a PTE marker (CONFIG_PTE_MARKER_UFFD_WP).
 */
static char *uffd_wp_marker(const char **skip)
{
	struct uffdio_api api = {
		.api = UFFD_API, .features = UFFD_FEATURE_WP_HUGETLBFS_SHMEM,
	};
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = {
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	char *p = tmpfs_map(MAP_SHARED);

	if (!p)
		return NULL;
	uffd.fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd.fd < 0 || ioctl(uffd.fd, UFFDIO_API, &api)) {
		*skip = "no userfaultfd write-protection for shmem";
		return NULL;
	}
	reg.range.start = (unsigned long)p;
	reg.range.len = 2 * PAGE;
	wp.range.start = (unsigned long)p + PAGE;
	wp.range.len = PAGE;
	if (ioctl(uffd.fd, UFFDIO_REGISTER, &reg) ||
	    ioctl(uffd.fd, UFFDIO_WRITEPROTECT, &wp)) {
		*skip = "cannot write-protect a shmem hole with userfaultfd";
		return NULL;
	}
	return p + PAGE;
}

/* A read of it: no message, and the new page is mapped protected. */
static void uffd_wp_kept(char *p, enum access a, char *bad, size_t len)
{
	struct uffd_msg m;
	ssize_t n = read(uffd.fd, &m, sizeof(m));

	if (n >= 0 || errno != EAGAIN)
		problem(bad, len, "the handler had a message (read %zd)", n);
	else if (!(pagemap_self(p) & PM_UFFD_WP))
		problem(bad, len, "the page is not uffd-wp protected after %s",
			access_names[a]);
}

/* ---- write notification -------------------------------------------------- */

static int notify_fd = -1;

/*
 * A page of a ramfs file, mapped shared and writable, read once: ramfs
 * maps files with generic_file_vm_ops, whose page_mkwrite
 * (filemap_page_mkwrite) makes the VMA want write notification
 * (vma_wants_writenotify()): its pages are mapped read-only until the
 * first write faults.  tmpfs would not do: shmem has no page_mkwrite.
 * The file system is unmounted lazily at once; the mapping keeps it.
 */
static char *shared_ramfs_page(const char **skip)
{
	char dir[] = "/tmp/vmscope-ramfs-XXXXXX", path[64], *p;

	if (!mkdtemp(dir))
		return NULL;
	if (mount("vmscope", dir, "ramfs", 0, NULL)) {
		rmdir(dir);
		*skip = "cannot mount a ramfs (not root?)";
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/f", dir);
	notify_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	p = MAP_FAILED;
	if (notify_fd >= 0 && !ftruncate(notify_fd, 2 * PAGE))
		p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 notify_fd, 0);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	if (p == MAP_FAILED)
		return NULL;
	(void)*(volatile char *)p;
	return p;
}

/* A shared mapping: the write reached the file itself. */
static void file_written(char *p, enum access a, char *bad, size_t len)
{
	char c = 0;

	if (pread(notify_fd, &c, 1, 0) != 1 || c != 1)
		problem(bad, len, "the file holds %d, not what was written",
			c);
}

/* ---- hugetlb, PFN maps -------------------------------------------------- */

/* A PMD-sized hugetlb page (the fixture reserved one). */
static char *hugetlb_page(const char **skip)
{
	char *p = mmap(NULL, HUGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	if (p == MAP_FAILED) {
		*skip = "no PMD-sized huge page could be reserved";
		return NULL;
	}
	return p + PAGE;
}

/* The smaps block of the VMA containing addr, or NULL (malloc'd). */
static char *smaps_of(void *addr)
{
	char *text = read_file("/proc/self/smaps", NULL);
	char *line, *next, *mine = NULL, *out;
	unsigned long start, end;

	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (sscanf(line, "%lx-%lx ", &start, &end) != 2)
			continue;	/* not a VMA's first line */
		if (mine) {
			line[-1] = '\0';
			break;
		}
		if ((unsigned long)addr >= start && (unsigned long)addr < end)
			mine = line;
	}
	out = mine ? strdup(mine) : NULL;
	free(text);
	return out;
}

/* A "Key:   N kB" value of the VMA containing addr, or -1. */
static long smaps_kb(void *addr, const char *key)
{
	char *vma = smaps_of(addr), *at;
	long kb = -1;

	at = vma ? strstr(vma, key) : NULL;
	if (at)
		sscanf(at + strlen(key), ": %ld", &kb);
	free(vma);
	return kb;
}

/*
 * The first page of [vvar]: a PFN map or a mixed map (below) whose
 * pages vvar_fault() inserts when first read; the first is the vDSO
 * data page, which every process can read (the others are SIGBUS
 * unless a paravirtual clock or a time namespace is in use).
 */
static char *vvar_page(const char **skip)
{
	char line[256], *vma, *flags;
	unsigned long start = 0, end;
	FILE *f = fopen("/proc/self/maps", "re");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[vvar]"))
			sscanf(line, "%lx-%lx", &start, &end);
	if (f)
		fclose(f);
	if (!start) {
		*skip = "no [vvar] mapping";
		return NULL;
	}
	/*
	 * 6.x maps the vDSO data with remap_pfn_range() (VM_PFNMAP, "pf");
	 * 7.x's vdso datastore inserts pages into a VM_MIXEDMAP ("mm")
	 * special mapping.  Either way its fault handler decides.
	 */
	vma = smaps_of((void *)start);
	flags = vma ? strstr(vma, "VmFlags:") : NULL;
	if (!flags || (!strstr(flags, " pf") && !strstr(flags, " mm"))) {
		free(vma);
		*skip = "[vvar] is neither a PFN map nor a mixed map (no \"pf\" or \"mm\" in smaps VmFlags)";
		return NULL;
	}
	free(vma);
	if (pagemap_self((char *)start) & PM_PRESENT) {
		*skip = "the vDSO data page is mapped already (the clock was read)";
		return NULL;
	}
	return (char *)start;
}

/* ---- transparent huge pages ---------------------------------------------- */

/* A written, PMD-mapped THP, or NULL with the reason. */
static char *thp(const char **skip)
{
	char *enabled = read_file("/sys/kernel/mm/transparent_hugepage/enabled",
				  NULL);
	bool off = !enabled || strstr(enabled, "[never]");
	char *raw, *p;

	free(enabled);
	if (off) {
		*skip = "transparent huge pages are disabled";
		return NULL;
	}
	raw = mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	p = (char *)(((unsigned long)raw + HUGE - 1) & ~(HUGE - 1));
	if (madvise(p, HUGE, MADV_HUGEPAGE))
		return NULL;
	*p = 1;
	if (smaps_kb(p, "AnonHugePages") != HUGE >> 10) {
		*skip = "no huge page could be allocated for the THP";
		return NULL;
	}
	return p;
}

/* A THP shared with a child that holds still: a write splits, copies. */
static char *thp_shared(const char **skip)
{
	char *p = thp(skip);

	return p ? hold_in_child(p) : NULL;
}

/* A THP shared with a child that exited: a write reuses it whole. */
static char *thp_reuse(const char **skip)
{
	char *p = thp(skip);

	if (p && !fork_and_reap()) {
		*skip = "fork failed";
		return NULL;
	}
	return p;
}

/* How the write left the huge page: split (copied) or whole (reused). */
static void thp_split(char *p, enum access a, char *bad, size_t len)
{
	long kb = smaps_kb(p, "AnonHugePages");

	if (kb != 0)
		problem(bad, len, "AnonHugePages %ld kB: the PMD was not split",
			kb);
}

static void thp_whole(char *p, enum access a, char *bad, size_t len)
{
	long kb = smaps_kb(p, "AnonHugePages");

	if (kb != (long)(HUGE >> 10))
		problem(bad, len, "AnonHugePages %ld kB: not PMD-mapped any more",
			kb);
}

/* ---- PTE-mapped large folios (multi-size THP) --------------------------- */

#define MTHP_64K "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"
#define MTHP (64UL << 10)

/*
 * A 64 KiB anonymous folio mapped by 16 PTEs, written, then shared with
 * a child that exited: its PTEs stay read-only and its pages are no
 * longer PageAnonExclusive.  Whether a write copies the page or reuses
 * the folio is the kernel's rule for PTE-mapped large folios, which
 * changed (6.12 copies; 7.2 reuses it when no other mm maps it and
 * every reference is a mapping); the PFN oracle tells which happened.
 */
static char *mthp_after_fork(const char **skip)
{
	char *raw = mmap(NULL, 3 * MTHP, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t kflags = 0, e;
	char *p;

	if (raw == MAP_FAILED)
		return NULL;
	p = (char *)(((unsigned long)raw + MTHP - 1) & ~(MTHP - 1));
	stay_on_this_cpu();
	*p = 1;
	e = pagemap_self(p + PAGE);
	if (!(e & PM_PRESENT) || kpageflags_read(pm_pfn(e), &kflags) ||
	    !(kflags & (1ULL << 16))) {	/* KPF_COMPOUND_TAIL */
		*skip = "no 64 KiB folio could be allocated";
		return NULL;
	}
	if (!fork_and_reap()) {
		*skip = "fork failed";
		return NULL;
	}
	return p + PAGE;
}

/* The folio must have stayed PTE-mapped: no PMD in the way. */
static void mthp_not_pmd(char *p, enum access a, char *bad, size_t len)
{
	long kb = smaps_kb(p, "AnonHugePages");

	if (kb != 0)
		problem(bad, len, "AnonHugePages %ld kB: PMD-mapped", kb);
}

/* The setting of one multi-size THP size, restored afterwards. */
FIXTURE(mthp) {
	char saved[16];
	const char *skip;
};

FIXTURE_SETUP(mthp)
{
	char *old = read_file(MTHP_64K, NULL), *l, *r;

	self->saved[0] = '\0';
	self->skip = NULL;
	if (!old) {
		self->skip = "no 64 KiB multi-size THP in sysfs (it came with 6.8)";
		return;
	}
	l = strchr(old, '[');
	r = l ? strchr(l, ']') : NULL;
	if (l && r && r - l - 1 < (long)sizeof(self->saved)) {
		memcpy(self->saved, l + 1, r - l - 1);
		self->saved[r - l - 1] = '\0';
	}
	free(old);
	if (!self->saved[0] || write_file(MTHP_64K, "always"))
		self->skip = "could not enable 64 KiB multi-size THP";
}

FIXTURE_TEARDOWN(mthp)
{
	if (self->saved[0])
		write_file(MTHP_64K, self->saved);
}

/* Explain's prediction, whichever it is, must be what the write does. */
TEST_F(mthp, shared_pte_mapped_large_folio_write)
{
	static const struct xcase xc = {
		mthp_after_fork, mthp_not_pmd, WRITE,
		{ "none", NULL, "sigsegv-accerr" }
	};

	if (self->skip)
		SKIP(return, "%s", self->skip);
	test_case(_metadata, &xc);
}

/* ---- entries that cannot be arranged ----------------------------------- */

/*
 * A migration entry replaces a PTE only while migrate_pages() holds the
 * folio locked between unmapping it (try_to_migrate()) and mapping the
 * copy (remove_migration_ptes()): microseconds, with nothing user space
 * can do to hold it there, and no second NUMA node to move to in the
 * guest.  An access cannot be made to meet one on purpose.
 */
TEST(migration_entry_waits)
{
	SKIP(return, "a migration entry exists only while migrate_pages() holds the page locked between unmap and remap; user space cannot hold it there to make an access meet it");
}

/* Is CONFIG_name set in the running kernel's config?  -1: unknown. */
static int kernel_config(const char *name)
{
	struct utsname u;
	char path[128], want[64], *text, *at;
	int set;

	if (uname(&u))
		return -1;
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	text = read_file(path, NULL);
	if (!text)
		return -1;
	snprintf(want, sizeof(want), "\nCONFIG_%s=", name);
	at = strstr(text, want);
	set = at && (at[strlen(want)] == 'y' || at[strlen(want)] == 'm');
	free(text);
	return set;
}

/*
 * Device-private and device-exclusive entries come from a driver that
 * migrates pages to device memory (HMM: nouveau, amdgpu, test_hmm).
 */
TEST(device_private_entry_migrates_back)
{
	int set = kernel_config("DEVICE_PRIVATE");

	if (set == 0)
		SKIP(return, "CONFIG_DEVICE_PRIVATE is not set: no device-private or device-exclusive entry can exist in this kernel");
	SKIP(return, "%s", set < 0 ?
	     "cannot read this kernel's config" :
	     "needs a driver with device-private memory (test_hmm), not in this guest");
}

/* ---- hugetlb ------------------------------------------------------------ */

/* One free PMD-sized huge page, reserved for the test and given back. */
FIXTURE(hugetlb) {
	struct saved_sysctl nr;
	const char *skip;
};

static long read_long(const char *path)
{
	char *text = read_file(path, NULL);
	long v = text ? strtol(text, NULL, 10) : -1;

	free(text);
	return v;
}

/* A file of the PMD-sized hugetlb pool (2048kB on x86_64). */
static const char *hugepages(const char *file)
{
	static char path[96];

	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/hugepages/hugepages-%lukB/%s", HUGE >> 10,
		 file);
	return path;
}

FIXTURE_SETUP(hugetlb)
{
	long nr = read_long(hugepages("nr_hugepages"));
	char want[32];

	memset(&self->nr, 0, sizeof(self->nr));
	self->skip = NULL;
	if (nr < 0) {
		self->skip = "no PMD-sized huge page size";
		return;
	}
	if (read_long(hugepages("free_hugepages")) > 0)
		return;
	snprintf(want, sizeof(want), "%ld", nr + 1);
	if (sysctl_set(&self->nr, hugepages("nr_hugepages"), want) ||
	    read_long(hugepages("free_hugepages")) < 1)
		self->skip = "no PMD-sized huge page could be reserved";
}

FIXTURE_TEARDOWN(hugetlb)
{
	sysctl_restore(&self->nr);
}

/*
 * A guard region (MADV_GUARD_INSTALL): a PTE marker in an accessible
 * VMA, whose fault is SIGSEGV (handle_pte_marker()).  6.12 and older
 * refuse the advice with EINVAL.
 */
static char *guard_region(const char **skip)
{
	char *p = map_anon(PROT_READ | PROT_WRITE);

	if (!p)
		return NULL;
	if (madvise(p, PAGE, MADV_GUARD_INSTALL)) {
		*skip = errno == EINVAL ?
			"MADV_GUARD_INSTALL refused (EINVAL): guard regions came with 6.13" :
			"MADV_GUARD_INSTALL failed";
		return NULL;
	}
	return p;
}

#define HUGETLB_CASE(name, access)					TEST_F(hugetlb, name)							{										static const struct xcase xc = {						hugetlb_page, NULL, access,						{ "hugetlb", "hugetlb", "sigsegv-accerr" }			};																		if (self->skip)									SKIP(return, "%s", self->skip);					test_case(_metadata, &xc);					}

HUGETLB_CASE(untouched_read_faults, READ)
HUGETLB_CASE(untouched_write_faults, WRITE)


EXPLAIN_CASE(no_vma_read_segfaults, hole, READ, "sigsegv-maperr")
EXPLAIN_CASE(prot_none_read_segfaults, prot_none, READ, "sigsegv-accerr")
EXPLAIN_CASE(read_only_write_segfaults, read_only, WRITE, "sigsegv-accerr")
EXPLAIN_CASE(anon_exec_segfaults, written, EXEC, "sigsegv-accerr")
EXPLAIN_CASE(untouched_read_maps_zero_page, untouched, READ, "minor-zero-page")
EXPLAIN_CASE(untouched_write_allocates, untouched, WRITE, "minor-new-page")
EXPLAIN_CASE(written_read_no_fault, written, READ, "none")
EXPLAIN_CASE(written_write_no_fault, written, WRITE, "none")
EXPLAIN_CASE(zero_page_write_copies, zero_page, WRITE, "cow-copy")
EXPLAIN_CASE(fork_shared_write_copies, shared_after_fork, WRITE, "cow-copy")
EXPLAIN_CASE(fork_shared_read_no_fault, shared_after_fork, READ, "none")
EXPLAIN_CASE(swapped_read_swaps_in, swapped, READ, "major-swap-in")
EXPLAIN_CASE(cached_file_read_is_minor, cached_private, READ, "minor-page-cache")
EXPLAIN_CASE(cached_private_write_copies, cached_private, WRITE,
	     "minor-page-cache-copy")
EXPLAIN_CASE(shmem_hole_read_allocates, shmem_hole, READ,
	     "minor-shmem-new-page")
EXPLAIN_CASE(past_end_of_file_sigbus, past_eof, READ, "sigbus")
EXPLAIN_CASE(uncached_file_read_is_major, uncached_file, READ,
	     "major-file-read")
EXPLAIN_CASE(below_stack_grows, below_stack, WRITE, "stack-grow")
EXPLAIN_CASE(below_stack_in_guard_gap_segfaults, below_stack_in_guard_gap,
	     WRITE, "sigsegv-maperr")
EXPLAIN_CASE(below_stack_prot_none_in_gap_grows, below_stack_prot_none_in_gap,
	     WRITE, "stack-grow")
EXPLAIN_CASE(below_stack_past_rlimit_as_segfaults, below_stack_past_rlimit_as,
	     WRITE, "sigsegv-maperr")
EXPLAIN_CASE(below_mmap_min_addr_segfaults, below_mmap_min_addr, WRITE,
	     "sigsegv-maperr")
EXPLAIN_CASE3(perf_ring_read_as_explained, perf_ring, NULL, READ,
	      NULL, NULL, "sigsegv-accerr")

/*
 * A character device node (i_size 0, on devtmpfs, whose magic is
 * tmpfs') mapped by its driver's fault handler without PFN flags: the
 * driver's fault, not SIGBUS past the end of a file, nor shmem.
 */
TEST(chardev_read_driver_fault)
{
	static const struct xcase xc = {
		chardev_page, NULL, READ,
		{ "driver", "sigsegv-accerr", "sigsegv-accerr" }
	};
	char ko[PATH_MAX];
	int err;

	if (!test_kmod_path("vmscope_chardev", ko, sizeof(ko)))
		SKIP(return, "no build/$(uname -r)/kmod/vmscope_chardev.ko");
	err = module_load(ko);
	ASSERT_TRUE(err == 0 || err == -EEXIST) TH_LOG("insmod %s: %s", ko,
						      strerror(-err));
	test_case(_metadata, &xc);
	EXPECT_EQ(0, syscall(SYS_delete_module, "vmscope_chardev", O_NONBLOCK))
		TH_LOG("rmmod vmscope_chardev: %s", strerror(errno));
}
EXPLAIN_CASE3(fork_exited_write_reuses, reuse_after_fork, NULL, WRITE,
	      "none", "cow-reuse", "sigsegv-accerr")
EXPLAIN_CASE3(uffd_missing_read, uffd_missing, uffd_missing_check, READ,
	      "userfaultfd", "userfaultfd", "sigsegv-accerr")
EXPLAIN_CASE3(uffd_missing_write, uffd_missing, uffd_missing_check, WRITE,
	      "userfaultfd", "userfaultfd", "sigsegv-accerr")
EXPLAIN_CASE3(uffd_wp_write, uffd_wp, uffd_wp_check, WRITE,
	      "none", "userfaultfd", "sigsegv-accerr")
EXPLAIN_CASE3(uffd_wp_marker_read, uffd_wp_marker, uffd_wp_kept, READ,
	      "minor-shmem-new-page", "userfaultfd", "sigsegv-accerr")
EXPLAIN_CASE3(shared_ramfs_write_notifies, shared_ramfs_page, file_written,
	      WRITE, "none", "write-notify", "sigsegv-accerr")
EXPLAIN_CASE3(vvar_read_driver_fault, vvar_page, NULL, READ,
	      "driver", "sigsegv-accerr", "sigsegv-accerr")
EXPLAIN_CASE3(thp_shared_write_splits_copies, thp_shared, thp_split, WRITE,
	      "none", "cow-copy", "sigsegv-accerr")
EXPLAIN_CASE3(thp_exited_write_reuses_whole, thp_reuse, thp_whole, WRITE,
	      "none", "cow-reuse", "sigsegv-accerr")
EXPLAIN_CASE3(guard_region_read_segfaults, guard_region, NULL, READ,
	      "sigsegv-guard", "sigsegv-guard", "sigsegv-accerr")
EXPLAIN_CASE3(guard_region_write_segfaults, guard_region, NULL, WRITE,
	      "sigsegv-guard", "sigsegv-guard", "sigsegv-accerr")

TEST_HARNESS_MAIN
