// SPDX-License-Identifier: GPL-2.0
/*
 * Security and robustness (issue #14), each against its own oracle:
 *
 * - explain_*: a debugfs explain descriptor answers with the opener's
 *   rights about the task named when the question was written, whoever
 *   reads it (another process, uid or pid namespace).  Oracle: the
 *   answer's header or error line, and write()'s errno.
 * - failed_load_creates_nothing: when vmscope.ko cannot register its
 *   netlink family (tests/kmod/vmscope_squat.ko took the name), the
 *   failed load must never have created the debugfs directory.  Oracle:
 *   inotify on the debugfs root, which sees the directory created even
 *   for the microseconds it would exist.
 * - layout_reads_no_device: GET_LAYOUT PID of a task whose start_code was
 *   moved (PR_SET_MM_MAP) into a mapping of /dev/zero must not read the
 *   device.  Oracles: the requester's read accounting (/proc/self/io
 *   syscr), which kernel_read() counts, and the kernel log, where
 *   kernel_read() reports files it refuses to read (/dev/zero is one).
 *   FIFOs cannot be mapped, and there is no FUSE server in the guests,
 *   so the blocking case is not run; a device is what a mapping can be.
 * - dump_sleeps_while_writer_waits: a pages dump of a target whose thread
 *   maps and unmaps in a loop must not spin while the writer waits for
 *   the lock or for its CPU.  Oracle: the dumping thread's CPU time
 *   (CLOCK_THREAD_CPUTIME_ID) against its wall time and against the same
 *   dump of a quiet target.  Figures in docs/reliability.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/prctl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
#include "lib/stress.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#define PAGE 4096UL
#define ANSWER_MAX 8192

/* Read a debugfs answer from the current position to EOF. */
static int read_answer(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return 0;
}

static void *shared_page(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Drop one capability from the effective, permitted and inheritable sets. */
static int drop_cap(int cap)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[cap / 32].effective &= ~(1U << (cap % 32));
	d[cap / 32].permitted &= ~(1U << (cap % 32));
	d[cap / 32].inheritable &= ~(1U << (cap % 32));
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

static char here[PAGE] __attribute__((aligned(4096)));

/* ---- explain: the opener's rights, the question's task ------------------ */

/*
 * Root opens explain and asks about itself; a process of uid nobody in a
 * new pid namespace (where that PID means nothing) reads the answer.
 */
TEST(explain_answer_is_the_openers_in_another_pidns)
{
	char q[64], want[64], *ans;
	int fd, len, status;
	pid_t c;

	if (geteuid())
		SKIP(return, "needs root");
	fd = open(VMSCOPE_DEBUGFS "/explain", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, "no %s/explain: %s", VMSCOPE_DEBUGFS,
		     strerror(errno));
	ans = shared_page(ANSWER_MAX);
	ASSERT_NE(NULL, ans);
	here[0] = 1;
	len = snprintf(q, sizeof(q), "%d 0x%lx", getpid(),
		       (unsigned long)here);
	ASSERT_EQ(len, write(fd, q, len)) TH_LOG("write: %s", strerror(errno));

	c = fork();
	ASSERT_LE(0, c);
	if (c == 0) {
		pid_t g;

		if (unshare(CLONE_NEWPID))
			_exit(2);
		g = fork();
		if (g == 0) {
			if (setgroups(0, NULL) || setgid(NOBODY_GID) ||
			    setuid(NOBODY_UID))
				_exit(3);
			_exit(read_answer(fd, ans, ANSWER_MAX) ? 4 : 0);
		}
		if (g < 0 || waitpid(g, &status, 0) != g)
			_exit(5);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 6);
	}
	ASSERT_EQ(c, waitpid(c, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	snprintf(want, sizeof(want), "# vmscope explain pid %d ", getpid());
	EXPECT_EQ(ans, strstr(ans, want))
		TH_LOG("the reader got:\n%s", ans);
	close(fd);
}

/*
 * An opener without CAP_SYS_PTRACE (uid 0, so the 0600 file opens) may
 * ask about itself, and only about itself, whoever reads the answer: a
 * child that shares the descriptor reads both answers.
 */
TEST(explain_unprivileged_opener_rights_follow_the_descriptor)
{
	char q[64], want[64], *ans;
	int fd, go[2], ack[2], len, status;
	ssize_t n;
	pid_t c;

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, drop_cap(CAP_SYS_PTRACE));
	fd = open(VMSCOPE_DEBUGFS "/explain", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, "no %s/explain: %s", VMSCOPE_DEBUGFS,
		     strerror(errno));
	ans = shared_page(2 * ANSWER_MAX);
	ASSERT_NE(NULL, ans);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ack));
	here[0] = 1;

	c = fork();
	ASSERT_LE(0, c);
	if (c == 0) {
		char b;
		int i;

		close(go[1]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (i = 0; i < 2 && read(go[0], &b, 1) == 1; i++) {
			/* A failed write leaves the file position alone. */
			lseek(fd, 0, SEEK_SET);
			read_answer(fd, ans + i * ANSWER_MAX, ANSWER_MAX);
			if (write(ack[1], "a", 1) != 1)
				_exit(1);
		}
		_exit(0);
	}

	/* About the opener itself: the child reads the opener's answer. */
	len = snprintf(q, sizeof(q), "%d 0x%lx", getpid(),
		       (unsigned long)here);
	EXPECT_EQ(len, write(fd, q, len)) TH_LOG("write: %s", strerror(errno));
	ASSERT_EQ(1, write(go[1], "q", 1));
	ASSERT_EQ(1, read(ack[0], q, 1));
	snprintf(want, sizeof(want), "# vmscope explain pid %d ", getpid());
	EXPECT_EQ(ans, strstr(ans, want))
		TH_LOG("the child read:\n%s", ans);

	/* About the reader: not the opener's to ask. */
	len = snprintf(q, sizeof(q), "%d 0x%lx", c, (unsigned long)here);
	n = write(fd, q, len);
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(1, write(go[1], "q", 1));
	ASSERT_EQ(1, read(ack[0], q, 1));
	EXPECT_EQ(NULL, strstr(ans + ANSWER_MAX, "# vmscope explain pid"))
		TH_LOG("the child, asked about by an opener without "
		       "CAP_SYS_PTRACE, read:\n%s", ans + ANSWER_MAX);
	EXPECT_EQ(ans + ANSWER_MAX, strstr(ans + ANSWER_MAX, "# error: "));

	close(go[1]);
	ASSERT_EQ(c, waitpid(c, &status, 0));
	close(fd);
}

/* ---- module init: nothing openable from a load that fails -------------- */

static int load_ko(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* Did inotify report "vmscope" created in the debugfs root? */
static bool saw_vmscope_created(int ifd)
{
	char buf[4096] __attribute__((aligned(8)));
	const struct inotify_event *ev;
	bool seen = false;
	ssize_t n;
	char *p;

	while ((n = read(ifd, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if ((ev->mask & IN_CREATE) && ev->len &&
			    !strcmp(ev->name, "vmscope"))
				seen = true;
		}
	}
	return seen;
}

static int layout_cb(const struct nlmsghdr *nlh, void *arg)
{
	++*(int *)arg;
	return 0;
}

TEST(failed_load_creates_nothing)
{
	static const char *const files[] = { "layout", "maps", "pages",
					     "explain" };
	int ifd, load_err, reload_err, squat_err, i, msgs = 0;
	bool created_by_failed, created_by_good, dir_after_failed;
	bool loaded_after_failed;
	const char *vmscope = module_path();
	struct tnl_result res;
	char squat[PATH_MAX];
	struct tnl_msg m;
	struct tnl nl;

	if (geteuid())
		SKIP(return, "needs root");
	if (!module_loaded())
		SKIP(return, "vmscope is not loaded");
	if (!vmscope)
		SKIP(return, "no build/$(uname -r)/module/vmscope.ko");
	if (!build_path("kmod/vmscope_squat.ko", squat, sizeof(squat)))
		SKIP(return, "no build/$(uname -r)/kmod/vmscope_squat.ko");
	ASSERT_TRUE(module_wait_refcnt(0, 10))
		TH_LOG("something holds vmscope: refcnt %d", module_refcnt());
	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ASSERT_LE(0, ifd);
	ASSERT_LE(0, inotify_add_watch(ifd, "/sys/kernel/debug", IN_CREATE));

	/* From here on vmscope must be loaded again whatever happens. */
	ASSERT_EQ(0, module_unload());
	squat_err = load_ko(squat);
	if (squat_err) {
		module_load(vmscope);
		ASSERT_EQ(0, squat_err) TH_LOG("insmod vmscope_squat.ko: %s",
					       strerror(-squat_err));
	}
	saw_vmscope_created(ifd);	/* drain */
	load_err = module_load(vmscope);
	created_by_failed = saw_vmscope_created(ifd);
	dir_after_failed = !access(VMSCOPE_DEBUGFS, F_OK);
	loaded_after_failed = module_loaded();
	if (loaded_after_failed)
		module_unload();
	syscall(SYS_delete_module, "vmscope_squat", O_NONBLOCK);
	reload_err = module_load(vmscope);
	created_by_good = saw_vmscope_created(ifd);
	close(ifd);

	ASSERT_EQ(0, reload_err) TH_LOG("insmod vmscope.ko: %s",
					strerror(-reload_err));
	EXPECT_NE(0, load_err) TH_LOG("vmscope loaded with its family taken");
	EXPECT_FALSE(loaded_after_failed);
	EXPECT_FALSE(dir_after_failed);
	EXPECT_FALSE(created_by_failed)
		TH_LOG("a load that failed created %s (inotify saw it)",
		       VMSCOPE_DEBUGFS);
	/* The oracle works: the good load is seen creating it. */
	EXPECT_TRUE(created_by_good);
	for (i = 0; i < (int)(sizeof(files) / sizeof(files[0])); i++) {
		char path[128];

		snprintf(path, sizeof(path), VMSCOPE_DEBUGFS "/%s", files[i]);
		EXPECT_EQ(0, access(path, F_OK)) TH_LOG("%s: %s", path,
							strerror(errno));
	}
	NL_OPEN(&nl);
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_LAYOUT, false);
	EXPECT_EQ(0, tnl_call(&nl, &m, layout_cb, &msgs, &res))
		TH_LOG("GET_LAYOUT after reload: %s", res.extack);
	EXPECT_EQ(1, msgs);
	tnl_close(&nl);
}

/* ---- GET_LAYOUT PID: no reads of what start_code now points at ---------- */

/* Fields of /proc/self/stat, numbered as proc(5) does (1-based). */
static bool self_stat(uint64_t *f, int max)
{
	char *s = read_file("/proc/self/stat", NULL), *p, *end;
	int i;

	if (!s)
		return false;
	p = strrchr(s, ')');
	for (i = 3; p && i <= max; i++) {
		p = strchr(p, ' ');
		if (!p)
			break;
		f[i] = strtoull(++p, &end, 10);
	}
	free(s);
	return i > max;
}

struct devmap {
	unsigned long addr;
	int err;	/* of the prctl, in the child */
};

/* A child whose start_code..end_code is a private mapping of /dev/zero. */
static pid_t spawn_devmap_target(struct devmap *d)
{
	int ready[2];
	pid_t pid;
	char b;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct prctl_mm_map map = { .exe_fd = (uint32_t)-1 };
		uint64_t f[52] = { 0 };
		int zfd = open("/dev/zero", O_RDONLY);
		void *p = zfd < 0 ? MAP_FAILED :
			  mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE,
			       zfd, 0);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		d->err = ENOMEM;
		if (p != MAP_FAILED && self_stat(f, 51)) {
			d->addr = (unsigned long)p;
			map.start_code = d->addr;
			map.end_code = d->addr + PAGE;
			map.start_data = f[45];
			map.end_data = f[46];
			map.start_brk = f[47];
			map.brk = syscall(SYS_brk, 0);
			map.start_stack = f[28];
			map.arg_start = f[48];
			map.arg_end = f[49];
			map.env_start = f[50];
			map.env_end = f[51];
			d->err = prctl(PR_SET_MM, PR_SET_MM_MAP, &map,
				       sizeof(map), 0) ? errno : 0;
		}
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &b, 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

/* /dev/kmsg, positioned after the last record; -1 if none. */
static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Kernel log records since kmsg_open_at_end() that contain @what. */
static int kmsg_count(int fd, const char *what)
{
	char rec[8192];
	int found = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, what))
			found++;
	}
	return found;
}

/* syscr of /proc/self/io: read calls, kernel_read() included. */
static long self_syscr(void)
{
	char *s = read_file("/proc/self/io", NULL), *p;
	long v = -1;

	if (!s)
		return -1;
	p = strstr(s, "syscr: ");
	if (p)
		v = atol(p + 7);
	free(s);
	return v;
}

struct proc_fields {
	bool has_start_code, has_text_norand;
	uint64_t start_code;
	int msgs;
};

static int proc_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct proc_fields *pf = arg;
	struct tnl_attrs top, a;

	pf->msgs++;
	if (tnl_parse_msg(&top, nlh) || !top.tb[VMSCOPE_A_PROC_LAYOUT] ||
	    tnl_parse_nest(&a, top.tb[VMSCOPE_A_PROC_LAYOUT]))
		return 0;
	pf->has_start_code = tnl_u64(&a, VMSCOPE_PROC_A_START_CODE,
				     &pf->start_code);
	pf->has_text_norand = a.tb[VMSCOPE_PROC_A_TEXT_NORAND] != NULL;
	return 0;
}

TEST(layout_reads_no_device)
{
	long r0, r1, r2, own, kernel_reads, refused;
	struct proc_fields pf = { 0 };
	struct tnl_result res;
	struct devmap *d;
	struct tnl_msg m;
	struct tnl nl;
	double t0, t1;
	pid_t pid;
	int ret, kmsg;

	if (geteuid())
		SKIP(return, "needs root (PR_SET_MM_MAP)");
	if (self_syscr() < 0)
		SKIP(return, "no /proc/self/io (CONFIG_TASK_IO_ACCOUNTING)");
	NL_OPEN(&nl);
	d = shared_page(PAGE);
	ASSERT_NE(NULL, d);
	pid = spawn_devmap_target(d);
	ASSERT_LT(0, pid);
	if (d->err == EINVAL || d->err == EPERM) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		SKIP(return, "PR_SET_MM_MAP: %s", strerror(d->err));
	}
	ASSERT_EQ(0, d->err) TH_LOG("PR_SET_MM_MAP: %s", strerror(d->err));

	/*
	 * What reading /proc/self/io itself counts, then the request.  A
	 * read the kernel does not allow on that file (/dev/zero has both
	 * read methods) is not counted but logged.
	 */
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg);
	r0 = self_syscr();
	r1 = self_syscr();
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_LAYOUT, false);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	t0 = now_s();
	ret = tnl_call(&nl, &m, proc_cb, &pf, &res);
	t1 = now_s();
	r2 = self_syscr();
	own = r1 - r0;
	kernel_reads = r2 - r1 - own;
	refused = kmsg_count(kmsg, "kernel read not supported");
	close(kmsg);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	tnl_close(&nl);

	ASSERT_EQ(0, ret) TH_LOG("GET_LAYOUT pid %d: %s (%s)", pid,
				 strerror(-ret), res.extack);
	ASSERT_EQ(1, pf.msgs);
	ksft_print_msg("GET_LAYOUT with start_code in /dev/zero: %.3f s, "
		       "%ld reads by the module, %ld refused by the kernel\n",
		       t1 - t0, kernel_reads, refused);
	fflush(stdout);
	ASSERT_TRUE(pf.has_start_code);
	EXPECT_EQ(d->addr, pf.start_code) TH_LOG("PR_SET_MM_MAP not seen");
	EXPECT_FALSE(pf.has_text_norand);
	EXPECT_EQ(0, kernel_reads)
		TH_LOG("the module read the device behind start_code");
	EXPECT_EQ(0, refused)
		TH_LOG("the module tried to read the device behind start_code");
	EXPECT_GT(5.0, t1 - t0);
}

/* ---- pages dump against a writer that never stops ---------------------- */

#define DUMP_MB		64
#define DUMP_SECONDS	2.0

struct writer_target {
	unsigned long start, end;
	int pin;		/* CPU for the writer thread, -1: none */
	volatile int stop;
	volatile long loops;
};

static int pin_to(pid_t tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(tid, sizeof(set), &set);
}

/* mmap and munmap take the lock for writing, briefly, again and again. */
static void *writer_main(void *arg)
{
	struct writer_target *w = arg;
	void *p;

	if (w->pin >= 0) {
		pin_to(0, w->pin);
		setpriority(PRIO_PROCESS, 0, 19);
	}
	while (!w->stop) {
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			munmap(p, PAGE);
		w->loops++;
	}
	return NULL;
}

/* step 0: populate; then odd steps start the writer thread, even stop it. */
static int writer_step(int step, void *arg)
{
	static pthread_t thread;
	struct writer_target *w = arg;
	char *p;

	if (step == 0) {
		p = mmap(NULL, DUMP_MB << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		madvise(p, DUMP_MB << 20, MADV_NOHUGEPAGE);
		memset(p, 1, DUMP_MB << 20);
		w->start = (unsigned long)p;
		w->end = w->start + (DUMP_MB << 20);
		return 0;
	}
	if (step % 2) {
		w->stop = 0;
		return pthread_create(&thread, NULL, writer_main, w) ? -1 : 0;
	}
	w->stop = 1;
	return pthread_join(thread, NULL) ? -1 : 0;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct dump_times {
	int dumps;
	double cpu, wall;	/* per dump, seconds */
	long loops;		/* the writer's, during the dumps */
};

/* Dump the region again and again for DUMP_SECONDS. */
static int timed_dumps(pid_t pid, struct writer_target *w,
		       struct dump_times *t)
{
	char q[96], *buf = malloc(1 << 20);
	double c0, t0, t1;
	int fd, len, err = 0;
	long loops = w->loops;

	fd = open(VMSCOPE_DEBUGFS "/pages", O_RDWR | O_CLOEXEC);
	if (fd < 0 || !buf) {
		free(buf);
		return -errno;
	}
	len = snprintf(q, sizeof(q), "%d 0x%lx 0x%lx runs", pid, w->start,
		       w->end);
	t->dumps = 0;
	c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	t0 = clock_s(CLOCK_MONOTONIC);
	do {
		if (write(fd, q, len) != len)
			err = -errno;
		else
			err = read_answer(fd, buf, 1 << 20);
		if (!err && !strstr(buf, " present "))
			err = -EBADMSG;
		t->dumps++;
		t1 = clock_s(CLOCK_MONOTONIC);
	} while (!err && t1 - t0 < DUMP_SECONDS);
	t->cpu = (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0) / t->dumps;
	t->wall = (t1 - t0) / t->dumps;
	t->loops = w->loops - loops;
	close(fd);
	free(buf);
	return err;
}

static void print_times(const char *what, const struct dump_times *t,
			const struct dump_times *quiet)
{
	ksft_print_msg("%-26s %4d dumps of %d MiB, per dump: cpu %7.3f ms "
		       "wall %7.3f ms, cpu/wall %.2f, cpu %.1fx quiet; "
		       "writer loops %ld\n", what, t->dumps, DUMP_MB,
		       t->cpu * 1e3, t->wall * 1e3, t->cpu / t->wall,
		       t->cpu / quiet->cpu, t->loops);
	fflush(stdout);
}

FIXTURE(writer) {
	int unused;
};

FIXTURE_SETUP(writer)
{
}

FIXTURE_TEARDOWN(writer)
{
}

/* A busy loop on @cpu, until killed. */
static pid_t spawn_hog(int cpu)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pin_to(0, cpu);
		for (;;)
			;
	}
	return pid;
}

/*
 * The dumper on CPU 0; the target's writer thread looping on mmap and
 * munmap, first free to run anywhere, then at nice 19 on CPU 1 behind a
 * busy loop, as on a loaded machine: once woken it waits for its CPU,
 * and the dumper must wait for it asleep, not spinning.
 */
TEST_F_TIMEOUT(writer, dump_sleeps_while_writer_waits, 300)
{
	struct dump_times quiet, busy, starved;
	double extra_cpu, extra_wall;
	struct writer_target *w;
	struct child c;
	pid_t hog;
	int err;

	if (access(VMSCOPE_DEBUGFS "/pages", F_OK))
		SKIP(return, "no %s/pages", VMSCOPE_DEBUGFS);
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	w = shared_page(PAGE);
	ASSERT_NE(NULL, w);
	w->pin = -1;
	ASSERT_EQ(0, child_start(&c, writer_step, w));
	ASSERT_EQ(0, pin_to(0, 0));

	err = timed_dumps(c.pid, w, &quiet);
	ASSERT_EQ(0, err) TH_LOG("dump: %s", strerror(-err));
	ASSERT_EQ(0, child_step(&c));
	err = timed_dumps(c.pid, w, &busy);
	ASSERT_EQ(0, child_step(&c));
	ASSERT_EQ(0, err) TH_LOG("dump: %s", strerror(-err));

	w->pin = 1;
	hog = spawn_hog(1);
	ASSERT_LT(0, hog);
	ASSERT_EQ(0, child_step(&c));
	err = timed_dumps(c.pid, w, &starved);
	ASSERT_EQ(0, child_step(&c));
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	child_stop(&c);
	ASSERT_EQ(0, err) TH_LOG("dump: %s", strerror(-err));

	print_times("quiet target:", &quiet, &quiet);
	print_times("writer free to run:", &busy, &quiet);
	print_times("writer waits for its CPU:", &starved, &quiet);
	EXPECT_LT(0, busy.loops);
	EXPECT_LT(0, starved.loops);
	/*
	 * Waiting for the writer must cost no CPU: asleep, not spinning.  Of
	 * the time the writer added to the dump, most must be off the CPU.
	 * Under TCG a busy CPU next door inflates the dumper's CPU time by
	 * up to ~2.5x even when the writer does not get in the way (the
	 * free writer shows it), so only more than 3x the quiet dump's CPU
	 * time, most of it while waiting, counts as spinning.
	 */
	extra_cpu = starved.cpu - quiet.cpu;
	extra_wall = starved.wall - quiet.wall;
	ksft_print_msg("writer waits for its CPU: %.3f ms more wall per dump, "
		       "%.0f%% of it on a CPU\n", extra_wall * 1e3,
		       extra_wall > 0 ? 100 * extra_cpu / extra_wall : 0);
	fflush(stdout);
	EXPECT_FALSE(extra_cpu > 0.5 * extra_wall && starved.cpu > 3 * quiet.cpu)
		TH_LOG("the dumper spun while the writer waited for its CPU");
}

TEST_HARNESS_MAIN
