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
 * - page_bits_hidden_from_same_uid_callers: a caller of the victim's uid
 *   without capabilities gets pagemap's per-page facts and no accessed,
 *   dirty, write, exclusive, COW or order bits (issue #22); its own
 *   process and CAP_SYS_ADMIN still get them.  Oracles: what the test
 *   did (writes, clear_refs, one read), the victim's pagemap as the
 *   caller reads it, /proc/kpageflags for dirty.
 * - netlink_socket_opener_is_checked_too: root asking on a socket opened
 *   with nobody's credentials gets only what nobody could ask (a socket
 *   handed to a setuid program).  Oracle: pagemap opened as nobody.
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
#include <linux/kernel-page-flags.h>
#include <linux/prctl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
#include "lib/pagemap.h"
#include "lib/stress.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#define PAGE PG
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

static char here[PAGE_SIZE_MAX] __attribute__((aligned(PAGE_SIZE_MAX)));

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
 * An opener without CAP_SYS_PTRACE, CAP_SYS_ADMIN and CAP_PERFMON (uid 0,
 * so the 0600 file opens) may
 * ask about itself, and not about init, whose pagemap the kernel refuses
 * it (commoncap: init holds capabilities the opener dropped), whoever
 * reads the answer: a child that shares the descriptor reads both.
 */
TEST(explain_unprivileged_opener_rights_follow_the_descriptor)
{
	char q[64], want[64], *ans;
	int fd, go[2], ack[2], len, status;
	ssize_t n;
	pid_t c;

	if (geteuid())
		SKIP(return, "needs root");
	/* and what 7.x's mm_access() accepts for reading (perfmon_capable) */
	ASSERT_EQ(0, drop_cap(CAP_SYS_PTRACE));
	ASSERT_EQ(0, drop_cap(CAP_SYS_ADMIN));
	ASSERT_EQ(0, drop_cap(CAP_PERFMON));
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

	/* About init: not the opener's to ask, as pagemap says. */
	n = open("/proc/1/pagemap", O_RDONLY | O_CLOEXEC);
	EXPECT_EQ(-1, n) TH_LOG("the oracle: pagemap of init opened");
	if (n >= 0)
		close(n);
	len = snprintf(q, sizeof(q), "1 0x%lx", (unsigned long)here);
	n = write(fd, q, len);
	EXPECT_EQ(-1, n);
	EXPECT_TRUE(errno == EACCES || errno == EPERM)
		TH_LOG("write: %s", strerror(errno));
	ASSERT_EQ(1, write(go[1], "q", 1));
	ASSERT_EQ(1, read(ack[0], q, 1));
	EXPECT_EQ(NULL, strstr(ans + ANSWER_MAX, "# vmscope explain pid"))
		TH_LOG("asked about init by an opener without "
		       "CAP_SYS_PTRACE, the child read:\n%s", ans + ANSWER_MAX);
	EXPECT_EQ(ans + ANSWER_MAX, strstr(ans + ANSWER_MAX, "# error: "));

	close(go[1]);
	ASSERT_EQ(c, waitpid(c, &status, 0));
	close(fd);
}

/* ---- who may inspect another process: exactly whom pagemap allows ----- */

/*
 * A caller and a target set up as the variant says; the caller asks
 * vmscope (netlink GET_VMAS, and debugfs maps when it can open it) about
 * the target and opens the target's /proc/PID/pagemap itself, the oracle.
 * vmscope must allow exactly when pagemap does, and say why when not.
 * The variant also states what pagemap is expected to say, so that a
 * scenario that was not set up as meant fails instead of passing.
 */
enum who_caller {
	CALLER_ROOT,
	CALLER_ROOT_NO_PTRACE,	/* uid 0 without CAP_SYS_PTRACE, _ADMIN, _PERFMON */
	CALLER_NOBODY,		/* no capabilities */
	CALLER_NOBODY_PTRACE,	/* CAP_SYS_PTRACE only */
	CALLER_NOBODY_PTRACE_DAC, /* CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH */
	CALLER_NOBODY_ADMIN,	/* CAP_SYS_ADMIN only */
	CALLER_USERNS,		/* rootless container, host pid namespace */
	CALLER_USERNS_PIDNS,	/* rootless container, own pid ns and /proc */
	CALLER_FAKE_PROC,	/* root, a directory bind-mounted over /proc */
	CALLER_OVERMOUNT,	/* root, a file bind-mounted over the pagemap */
};

enum who_target {
	TARGET_ROOT,		/* root with every capability */
	TARGET_NOBODY,		/* dumpable, no capabilities */
	TARGET_NOBODY_UNDUMPABLE,
	TARGET_NOBODY_CAPS,	/* dumpable, keeps root's permitted set */
	TARGET_OWN_CHILD,	/* forked by the caller after its set-up */
};

enum { PM_REFUSES, PM_ALLOWS, PM_FAKE };

#define WHO_LOG 1024

FIXTURE(who) {
	char *log;	/* shared with the caller */
};

FIXTURE_VARIANT(who) {
	enum who_caller caller;
	enum who_target target;
	int pagemap;		/* what the oracle is expected to say */
	const char *needle;	/* in vmscope's refusal */
};

FIXTURE_SETUP(who)
{
	self->log = shared_page(WHO_LOG);
	ASSERT_NE(NULL, self->log);
}

FIXTURE_TEARDOWN(who)
{
	munmap(self->log, WHO_LOG);
}

FIXTURE_VARIANT_ADD(who, nobody_same_uid_dumpable) {
	.caller = CALLER_NOBODY, .target = TARGET_NOBODY,
	.pagemap = PM_ALLOWS,
};
FIXTURE_VARIANT_ADD(who, nobody_same_uid_undumpable) {
	.caller = CALLER_NOBODY, .target = TARGET_NOBODY_UNDUMPABLE,
	.pagemap = PM_REFUSES, .needle = "pagemap",
};
FIXTURE_VARIANT_ADD(who, nobody_target_holds_more_caps) {
	.caller = CALLER_NOBODY, .target = TARGET_NOBODY_CAPS,
	.pagemap = PM_REFUSES, .needle = "pagemap",
};
FIXTURE_VARIANT_ADD(who, ptrace_only_root_target) {
	.caller = CALLER_NOBODY_PTRACE, .target = TARGET_ROOT,
	.pagemap = PM_REFUSES, .needle = "pagemap",
};
FIXTURE_VARIANT_ADD(who, ptrace_and_dac_root_target) {
	.caller = CALLER_NOBODY_PTRACE_DAC, .target = TARGET_ROOT,
	.pagemap = PM_ALLOWS,
};
FIXTURE_VARIANT_ADD(who, admin_only_root_target) {
	.caller = CALLER_NOBODY_ADMIN, .target = TARGET_ROOT,
	.pagemap = PM_REFUSES, .needle = "pagemap",
};
FIXTURE_VARIANT_ADD(who, root_without_ptrace_root_target) {
	.caller = CALLER_ROOT_NO_PTRACE, .target = TARGET_ROOT,
	.pagemap = PM_REFUSES, .needle = "pagemap",
};
FIXTURE_VARIANT_ADD(who, root_undumpable_target) {
	.caller = CALLER_ROOT, .target = TARGET_NOBODY_UNDUMPABLE,
	.pagemap = PM_ALLOWS,
};
FIXTURE_VARIANT_ADD(who, userns_own_child) {
	.caller = CALLER_USERNS, .target = TARGET_OWN_CHILD,
	.pagemap = PM_ALLOWS,
};
FIXTURE_VARIANT_ADD(who, userns_host_root) {
	.caller = CALLER_USERNS, .target = TARGET_ROOT,
	.pagemap = PM_REFUSES, .needle = "pagemap",
};
FIXTURE_VARIANT_ADD(who, userns_host_same_uid) {
	.caller = CALLER_USERNS, .target = TARGET_NOBODY,
	.pagemap = PM_REFUSES, .needle = "pagemap",
};
FIXTURE_VARIANT_ADD(who, userns_pidns_own_child) {
	.caller = CALLER_USERNS_PIDNS, .target = TARGET_OWN_CHILD,
	.pagemap = PM_ALLOWS,
};
FIXTURE_VARIANT_ADD(who, fake_proc_not_followed) {
	.caller = CALLER_FAKE_PROC, .target = TARGET_ROOT,
	.pagemap = PM_FAKE, .needle = "not a procfs",
};
FIXTURE_VARIANT_ADD(who, overmounted_pagemap_not_followed) {
	.caller = CALLER_OVERMOUNT, .target = TARGET_ROOT,
	.pagemap = PM_FAKE, .needle = "mounted over",
};

/* Effective and permitted capabilities exactly @mask, none inheritable. */
static int set_caps(uint64_t mask)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = {
		{ .effective = mask, .permitted = mask },
		{ .effective = mask >> 32, .permitted = mask >> 32 },
	};

	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/* Become nobody, keeping only the capabilities in @mask. */
static int become_nobody(uint64_t mask)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || setgroups(0, NULL) ||
	    setgid(NOBODY_GID) || setuid(NOBODY_UID))
		return -1;
	return set_caps(mask);
}

/* A process that holds still until @hold's write end closes. */
static pid_t spawn_still(enum who_target kind, int hold[2])
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if ((kind == TARGET_NOBODY || kind == TARGET_NOBODY_UNDUMPABLE) &&
		    become_nobody(0))
			_exit(1);
		if (kind == TARGET_NOBODY_CAPS &&
		    (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || setgroups(0, NULL) ||
		     setgid(NOBODY_GID) || setuid(NOBODY_UID)))
			_exit(1);
		/* setuid() made it undumpable; pagemap asks for this flag */
		if (prctl(PR_SET_DUMPABLE,
			  kind == TARGET_NOBODY_UNDUMPABLE ? 0 : 1, 0, 0, 0))
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &c, 1) != 1)
		pid = -1;
	close(ready[0]);
	return pid;
}

/*
 * vm-run's guests run the tests chroot'ed into the host's tree, where the
 * kernel refuses new user namespaces (current_chrooted()): leave the
 * chroot for init's root (the initramfs, whose / is 0700: let nobody
 * through), as a process on a machine would be.  Nothing to do there.
 */
static int leave_chroot(void)
{
	struct stat root, init;

	if (stat("/", &root) || stat("/proc/1/root/", &init))
		return -1;
	if (root.st_dev == init.st_dev && root.st_ino == init.st_ino)
		return 0;
	if (chroot("/proc/1/root") || chdir("/"))
		return -1;
	return chmod("/", 0755);
}

/* A rootless container: uid and gid 0 inside are nobody outside. */
static int enter_userns(int more, char *log)
{
	static const char * const map[][2] = {
		{ "/proc/self/setgroups", "deny" },
		{ "/proc/self/uid_map", "0 65534 1" },
		{ "/proc/self/gid_map", "0 65534 1" },
	};
	int i, err;

	if (leave_chroot())
		return -1;
	/* dumpable again, or /proc/self/uid_map stays root's */
	if (become_nobody(0) || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return -1;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS | more))
		return -2;
	for (i = 0; i < 3; i++) {
		err = write_file(map[i][0], map[i][1]);
		if (err) {
			snprintf(log, WHO_LOG, "write %s: %s", map[i][0],
				 strerror(-err));
			return -1;
		}
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		snprintf(log, WHO_LOG, "make / private: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static char fake_dir[64];

/* In a private mount namespace, something else where the pagemap is. */
static int fake_pagemap(enum who_caller caller, pid_t pid, char *log)
{
	char dir[] = "/tmp/vmscope-fakeproc-XXXXXX", path[PATH_MAX];
	char real[64];
	int fd;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    !mkdtemp(dir))
		return -1;
	snprintf(fake_dir, sizeof(fake_dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/%d", dir, pid);
	if (mkdir(path, 0755))
		return -1;
	snprintf(path, sizeof(path), "%s/%d/pagemap", dir, pid);
	fd = open(path, O_CREAT | O_WRONLY, 0444);
	if (fd < 0)
		return -1;
	close(fd);
	if (caller == CALLER_FAKE_PROC)
		return mount(dir, "/proc", NULL, MS_BIND, NULL) ? -1 : 0;
	snprintf(real, sizeof(real), "/proc/%d/pagemap", pid);
	if (mount(path, real, NULL, MS_BIND, NULL)) {
		snprintf(log, WHO_LOG, "bind mount over %s: %s", real,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* The fake's files live in the shared /tmp: remove them. */
static void fake_cleanup(pid_t pid)
{
	char path[PATH_MAX];

	if (!fake_dir[0])
		return;
	snprintf(path, sizeof(path), "%s/%d/pagemap", fake_dir, pid);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%d", fake_dir, pid);
	rmdir(path);
	rmdir(fake_dir);
}

/* 0 when the caller can open PID's pagemap, else the errno. */
static int pagemap_errno(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* vmscope's answers about @pid, checked against the variant; 0 if right. */
static int who_ask(const FIXTURE_VARIANT(who) *v, pid_t pid, char *log)
{
	int pm = pagemap_errno(pid), ret, fd;
	bool allow = v->pagemap == PM_ALLOWS;
	struct tnl_result res;
	struct tnl_msg m;
	struct tnl nl;
	char q[32];

	if (v->pagemap != PM_FAKE && (pm == 0) != allow) {
		snprintf(log, WHO_LOG, "the oracle: pagemap of %d %s (%s), "
			 "the scenario expected it %s", pid,
			 pm ? "refused" : "opened", strerror(pm),
			 allow ? "opened" : "refused");
		return 30;
	}
	if (tnl_open(&nl)) {
		snprintf(log, WHO_LOG, "netlink: cannot open the family");
		return 31;
	}
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_VMAS, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	ret = tnl_call(&nl, &m, NULL, NULL, &res);
	tnl_close(&nl);
	if (allow ? ret != 0 : (ret != -EACCES && ret != -EPERM) ||
	    !v->needle || !strstr(res.extack, v->needle)) {
		snprintf(log, WHO_LOG, "netlink GET_VMAS %d: %s, extack \"%s\"; "
			 "pagemap %s", pid, ret ? strerror(-ret) : "answered",
			 res.extack, pm ? strerror(pm) : "opened");
		return 32;
	}
	fd = open(VMSCOPE_DEBUGFS "/maps", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* debugfs is root's: checked where it opens */
	snprintf(q, sizeof(q), "%d", pid);
	ret = write(fd, q, strlen(q)) == (ssize_t)strlen(q) ? 0 : -errno;
	close(fd);
	if (allow ? ret != 0 : (ret != -EACCES && ret != -EPERM)) {
		snprintf(log, WHO_LOG, "debugfs maps %d: %s; pagemap %s", pid,
			 ret ? strerror(-ret) : "answered",
			 pm ? strerror(pm) : "opened");
		return 33;
	}
	return 0;
}

/* The caller's side: set up, then ask.  Returns 0, or what went wrong. */
static int who_caller_main(const FIXTURE_VARIANT(who) *v, pid_t target,
			   char *log)
{
	int hold[2], status, ret;
	pid_t c;

	switch (v->caller) {
	case CALLER_ROOT:
		break;
	case CALLER_ROOT_NO_PTRACE:
		/* 7.x's mm_access() reads for perfmon_capable() too */
		if (drop_cap(CAP_SYS_PTRACE) || drop_cap(CAP_SYS_ADMIN) ||
		    drop_cap(CAP_PERFMON))
			return 20;
		break;
	case CALLER_NOBODY:
		if (become_nobody(0))
			return 20;
		break;
	case CALLER_NOBODY_PTRACE:
		if (become_nobody(1ULL << CAP_SYS_PTRACE))
			return 20;
		break;
	case CALLER_NOBODY_PTRACE_DAC:
		if (become_nobody(1ULL << CAP_SYS_PTRACE |
				  1ULL << CAP_DAC_READ_SEARCH))
			return 20;
		break;
	case CALLER_NOBODY_ADMIN:
		if (become_nobody(1ULL << CAP_SYS_ADMIN))
			return 20;
		break;
	case CALLER_USERNS:
	case CALLER_USERNS_PIDNS:
		ret = enter_userns(v->caller == CALLER_USERNS_PIDNS ?
				   CLONE_NEWPID : 0, log);
		if (ret == -2) {
			snprintf(log, WHO_LOG, "unshare(CLONE_NEWUSER) as nobody: %s",
				 strerror(errno));
			return 4;	/* skip */
		}
		if (ret)
			return 21;
		break;
	case CALLER_FAKE_PROC:
	case CALLER_OVERMOUNT:
		if (fake_pagemap(v->caller, target, log))
			return 22;
		break;
	}
	if (v->target != TARGET_OWN_CHILD) {
		ret = who_ask(v, target, log);
		fake_cleanup(target);
		return ret;
	}

	/* In a new pid namespace, the asker is its init, with its /proc. */
	if (v->caller == CALLER_USERNS_PIDNS) {
		c = fork();
		if (c < 0)
			return 23;
		if (c > 0) {
			if (waitpid(c, &status, 0) != c || !WIFEXITED(status))
				return 24;
			return WEXITSTATUS(status);
		}
		if (mount("proc", "/proc", "proc",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
			snprintf(log, WHO_LOG, "mount proc in the new pid namespace: %s",
				 strerror(errno));
			_exit(25);
		}
	}
	if (pipe(hold))
		return 26;
	c = spawn_still(TARGET_ROOT, hold);	/* root of the container */
	if (c < 0)
		return 27;
	ret = who_ask(v, c, log);
	close(hold[1]);
	waitpid(c, &status, 0);
	if (v->caller == CALLER_USERNS_PIDNS)
		_exit(ret);
	return ret;
}

TEST_F(who, may_inspect_as_pagemap_says)
{
	int hold[2], status;
	pid_t target = -1, caller;

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, pipe(hold));
	if (variant->target != TARGET_OWN_CHILD) {
		target = spawn_still(variant->target, hold);
		ASSERT_LT(0, target);
	}
	caller = fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		close(hold[0]);
		close(hold[1]);
		_exit(who_caller_main(variant, target, self->log));
	}
	ASSERT_EQ(caller, waitpid(caller, &status, 0));
	close(hold[1]);
	close(hold[0]);
	if (target > 0)
		waitpid(target, NULL, 0);
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 4)
		SKIP(return, "%s", self->log);
	/*
	 * 2x: the scenario could not be set up; 30: the oracle disagrees
	 * with the scenario; 31-33: vmscope disagrees with pagemap.
	 */
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("%s", self->log);
}

/* ---- another process's per-page bits: what pagemap tells, no more ------ */

/*
 * A process of uid nobody (the victim) wrote two private anonymous pages
 * and a shared memfd page; root cleared its accessed bits
 * (/proc/PID/clear_refs) and the victim read the first page again.  Root
 * (CAP_SYS_ADMIN) sees the first page young and the second not, both
 * dirty, writable and exclusive: the bits are really there, and they tell
 * what the victim read.  Another process of uid nobody without
 * capabilities, which pagemap lets read the victim's pagemap, gets
 * pagemap's facts (present, anon/file, mapped once) and no young, dirty,
 * write, exclusive, COW or order: those are flagged bits_hidden, the
 * order left out, explain's write answer is write-hidden and its raw PTE
 * has no accessed, dirty or write bit.  About its own pages the same
 * caller still gets them all.  Oracles: what the test did to the pages,
 * the victim's pagemap as the caller reads it, and /proc/kpageflags
 * (root) for the memfd page's dirty flag.
 */
struct bits_shared {
	uint64_t anon, shm;	/* the victim's pages */
	char msg[1024];		/* the caller's complaint */
};

struct bits_page {
	bool seen, has_order;
	uint32_t state, flags, order;
};

struct bits_dump {
	uint64_t start;
	size_t n;
	struct bits_page *p;
	const char *bad;
};

static int bits_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct bits_dump *d = arg;
	const struct nlattr *nla;
	int rem;

	tnl_for_each_attr(nla, nlh, rem) {
		struct bits_page e = { .seen = true };
		uint64_t addr, nr, i, k;
		struct tnl_attrs a;

		if (tnl_type(nla) != VMSCOPE_A_PAGE)
			continue;
		if (tnl_parse_nest(&a, nla) ||
		    !tnl_u64(&a, VMSCOPE_PAGE_A_ADDR, &addr) ||
		    !tnl_u64(&a, VMSCOPE_PAGE_A_NR_PAGES, &nr) ||
		    !tnl_u32(&a, VMSCOPE_PAGE_A_STATE, &e.state) ||
		    !tnl_u32(&a, VMSCOPE_PAGE_A_FLAGS, &e.flags)) {
			d->bad = "a page entry without a mandatory attribute";
			continue;
		}
		e.has_order = tnl_u32(&a, VMSCOPE_PAGE_A_FOLIO_ORDER,
				      &e.order);
		for (i = 0; i < nr; i++) {
			k = (addr - d->start) / PAGE + i;
			if (k < d->n)
				d->p[k] = e;
		}
	}
	return 0;
}

/* GET_PAGES of n pages of pid from start into out[n]; 0 or -errno. */
static int bits_pages(struct tnl *nl, pid_t pid, uint64_t start, size_t n,
		      struct bits_page *out)
{
	struct bits_dump d = { .start = start, .n = n, .p = out };
	struct tnl_result res;
	struct tnl_msg m;
	size_t i;
	int ret;

	memset(out, 0, n * sizeof(*out));
	tnl_req(nl, &m, VMSCOPE_CMD_GET_PAGES, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	tnl_put_u64(&m, VMSCOPE_A_START, start);
	tnl_put_u64(&m, VMSCOPE_A_END, start + n * PAGE);
	ret = tnl_call(nl, &m, bits_cb, &d, &res);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		if (!out[i].seen)
			return -ENODATA;
	return d.bad ? -EBADMSG : 0;
}

struct bits_explain {
	bool ok, has_pte;
	uint32_t write;
	uint64_t pte;
};

static int bits_explain_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct bits_explain *r = arg;
	struct tnl_attrs top, e;

	if (tnl_parse_msg(&top, nlh) || !top.tb[VMSCOPE_A_EXPLAIN] ||
	    tnl_parse_nest(&e, top.tb[VMSCOPE_A_EXPLAIN]) ||
	    !tnl_u32(&e, VMSCOPE_EXPLAIN_A_WRITE, &r->write))
		return 0;
	r->has_pte = tnl_u64(&e, VMSCOPE_EXPLAIN_A_PTE, &r->pte);
	r->ok = true;
	return 0;
}

static int bits_explain(struct tnl *nl, pid_t pid, uint64_t addr,
			struct bits_explain *r)
{
	struct tnl_result res;
	struct tnl_msg m;
	int ret;

	memset(r, 0, sizeof(*r));
	tnl_req(nl, &m, VMSCOPE_CMD_EXPLAIN, false);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	tnl_put_u64(&m, VMSCOPE_A_ADDR, addr);
	ret = tnl_call(nl, &m, bits_explain_cb, r, &res);
	return ret ? ret : r->ok && r->has_pte ? 0 : -EBADMSG;
}

/* x86's accessed, dirty and writable bits of a present PTE */
#define PTE_RW		(1ULL << 1)
#define PTE_ACCESSED	(1ULL << 5)
#define PTE_DIRTY	(1ULL << 6)

/* Everything bits_hidden stands for (uapi/vmscope.h). */
#define HIDDEN_BITS (VMSCOPE_PAGE_F_WRITE | VMSCOPE_PAGE_F_DIRTY |	\
		     VMSCOPE_PAGE_F_YOUNG | VMSCOPE_PAGE_F_NX |		\
		     VMSCOPE_PAGE_F_USER | VMSCOPE_PAGE_F_GLOBAL |	\
		     VMSCOPE_PAGE_F_EXCLUSIVE | VMSCOPE_PAGE_F_COW |	\
		     VMSCOPE_PAGE_F_SWAP_EXCL | VMSCOPE_PAGE_F_THP)

static int run_on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/*
 * The victim: writes its pages on CPU 0, then reads the first one on
 * CPU 1 on each 'r'.  clear_refs clears accessed bits without flushing
 * TLBs (ptep_test_and_clear_young()): a CPU that still caches the page's
 * translation reads it without setting the bit again, one that never
 * mapped it walks the page table and sets it.
 */
static void bits_victim(struct bits_shared *sh, int cmd, int ack)
{
	volatile char *anon;
	char c, *shm;
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (become_nobody(0) || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) ||
	    run_on_cpu(0))
		_exit(1);
	anon = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = memfd_create("bits", MFD_CLOEXEC);
	if (anon == MAP_FAILED || fd < 0 || ftruncate(fd, PAGE))
		_exit(1);
	shm = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (shm == MAP_FAILED)
		_exit(1);
	anon[0] = 1;
	anon[PAGE] = 1;
	shm[0] = 1;
	sh->anon = (uint64_t)anon;
	sh->shm = (uint64_t)shm;
	while (write(ack, "a", 1) == 1 && read(cmd, &c, 1) == 1) {
		if (run_on_cpu(1))
			_exit(1);
		(void)anon[0];
	}
	_exit(0);
}

#define BITS_FAIL(sh, ...) do {						\
	snprintf((sh)->msg, sizeof((sh)->msg), __VA_ARGS__);		\
	return 1;							\
} while (0)

/* The other process of the victim's uid, without capabilities. */
static int bits_caller(struct bits_shared *sh, pid_t victim)
{
	struct bits_page own, pg[2], shm;
	struct bits_explain ex;
	uint64_t pm[2], spm;
	struct tnl nl;
	char *mine;
	int i, ret;

	if (become_nobody(0) || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) ||
	    tnl_open(&nl))
		BITS_FAIL(sh, "cannot become nobody or open netlink");
	/* the oracle: pagemap lets this caller read the victim's */
	if (pagemap_read(victim, sh->anon, 2, pm) ||
	    pagemap_read(victim, sh->shm, 1, &spm))
		BITS_FAIL(sh, "nobody cannot read the victim's pagemap: %s",
			  strerror(errno));
	if (!(pm[0] & pm[1] & spm & PM_PRESENT) ||
	    pm_pfn(pm[0]) || pm_pfn(spm))
		BITS_FAIL(sh, "pagemap: pages not present, or PFNs shown");

	/* its own process: everything */
	mine = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mine == MAP_FAILED)
		BITS_FAIL(sh, "mmap: %s", strerror(errno));
	mine[0] = 1;
	ret = bits_pages(&nl, getpid(), (uint64_t)mine, 1, &own);
	if (ret)
		BITS_FAIL(sh, "own pages: %s", strerror(-ret));
	if ((own.flags & VMSCOPE_PAGE_F_BITS_HIDDEN) || !own.has_order ||
	    (own.flags & (VMSCOPE_PAGE_F_YOUNG | VMSCOPE_PAGE_F_DIRTY |
			  VMSCOPE_PAGE_F_WRITE | VMSCOPE_PAGE_F_EXCLUSIVE)) !=
	    (VMSCOPE_PAGE_F_YOUNG | VMSCOPE_PAGE_F_DIRTY |
	     VMSCOPE_PAGE_F_WRITE | VMSCOPE_PAGE_F_EXCLUSIVE))
		BITS_FAIL(sh, "its own written page: flags 0x%x, order %s",
			  own.flags, own.has_order ? "given" : "left out");

	/* the victim: pagemap's facts, nothing more */
	ret = bits_pages(&nl, victim, sh->anon, 2, pg);
	if (!ret)
		ret = bits_pages(&nl, victim, sh->shm, 1, &shm);
	if (ret)
		BITS_FAIL(sh, "victim's pages: %s", strerror(-ret));
	for (i = 0; i < 2; i++) {
		bool excl = pg[i].flags & VMSCOPE_PAGE_F_MMAP_EXCL;

		if (pg[i].state != VMSCOPE_STATE_PRESENT ||
		    !(pg[i].flags & VMSCOPE_PAGE_F_ANON) ||
		    excl != !!(pm[i] & PM_MMAP_EXCL))
			BITS_FAIL(sh, "anon page %d: state %u flags 0x%x, pagemap 0x%llx",
				  i, pg[i].state, pg[i].flags,
				  (unsigned long long)pm[i]);
		if (!(pg[i].flags & VMSCOPE_PAGE_F_BITS_HIDDEN) ||
		    (pg[i].flags & HIDDEN_BITS) || pg[i].has_order)
			BITS_FAIL(sh, "anon page %d told nobody flags 0x%x (young 0x%x, dirty 0x%x), order %s",
				  i, pg[i].flags,
				  pg[i].flags & VMSCOPE_PAGE_F_YOUNG,
				  pg[i].flags & VMSCOPE_PAGE_F_DIRTY,
				  pg[i].has_order ? "given" : "left out");
	}
	if (shm.state != VMSCOPE_STATE_PRESENT ||
	    !(shm.flags & VMSCOPE_PAGE_F_FILE) != !(spm & PM_FILE) ||
	    !(shm.flags & VMSCOPE_PAGE_F_BITS_HIDDEN) ||
	    (shm.flags & HIDDEN_BITS) || shm.has_order)
		BITS_FAIL(sh, "memfd page told nobody flags 0x%x, order %s (pagemap 0x%llx)",
			  shm.flags, shm.has_order ? "given" : "left out",
			  (unsigned long long)spm);

	ret = bits_explain(&nl, victim, sh->anon, &ex);
	if (ret)
		BITS_FAIL(sh, "explain: %s", strerror(-ret));
	if (ex.write != VMSCOPE_FAULT_WRITE_HIDDEN ||
	    (ex.pte & (PTE_RW | PTE_ACCESSED | PTE_DIRTY)) || !(ex.pte & 1))
		BITS_FAIL(sh, "explain told nobody write=%u pte=0x%llx",
			  ex.write, (unsigned long long)ex.pte);
	tnl_close(&nl);
	return 0;
}

TEST(page_bits_hidden_from_same_uid_callers)
{
	const uint32_t written = VMSCOPE_PAGE_F_DIRTY | VMSCOPE_PAGE_F_WRITE |
				 VMSCOPE_PAGE_F_EXCLUSIVE;
	int cmd[2], ack[2], status;
	struct bits_page pg[2], shm;
	struct bits_explain ex;
	struct bits_shared *sh;
	uint64_t spm, kflags;
	pid_t victim, caller;
	char path[64], c;
	struct tnl nl;

	if (geteuid())
		SKIP(return, "needs root");
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs: see bits_victim()");
	NL_OPEN(&nl);
	sh = shared_page(sizeof(*sh));
	ASSERT_NE(NULL, sh);
	ASSERT_EQ(0, pipe(cmd));
	ASSERT_EQ(0, pipe(ack));
	victim = fork();
	ASSERT_LE(0, victim);
	if (victim == 0) {
		close(cmd[1]);
		close(ack[0]);
		bits_victim(sh, cmd[0], ack[1]);
	}
	close(cmd[0]);
	close(ack[1]);
	ASSERT_EQ(1, read(ack[0], &c, 1));

	/* every accessed bit cleared; then the victim reads page 0 only */
	snprintf(path, sizeof(path), "/proc/%d/clear_refs", victim);
	ASSERT_EQ(0, write_file(path, "1"));
	ASSERT_EQ(1, write(cmd[1], "r", 1));
	ASSERT_EQ(1, read(ack[0], &c, 1));

	/* the bits are there: root sees them, kpageflags agrees on dirty */
	ASSERT_EQ(0, bits_pages(&nl, victim, sh->anon, 2, pg));
	ASSERT_EQ(0, bits_pages(&nl, victim, sh->shm, 1, &shm));
	EXPECT_EQ(written | VMSCOPE_PAGE_F_YOUNG,
		  pg[0].flags & (written | VMSCOPE_PAGE_F_YOUNG));
	EXPECT_EQ(written, pg[1].flags & (written | VMSCOPE_PAGE_F_YOUNG))
		TH_LOG("clear_refs cleared the accessed bit, nothing read it");
	EXPECT_TRUE(pg[0].has_order && pg[1].has_order && shm.has_order);
	EXPECT_EQ(0, (pg[0].flags | pg[1].flags | shm.flags) &
		     VMSCOPE_PAGE_F_BITS_HIDDEN);
	EXPECT_TRUE(shm.flags & VMSCOPE_PAGE_F_DIRTY);
	ASSERT_EQ(0, pagemap_read(victim, sh->shm, 1, &spm));
	ASSERT_TRUE(spm & PM_PRESENT);
	ASSERT_EQ(0, kpageflags_read(pm_pfn(spm), &kflags));
	EXPECT_TRUE(kflags & (1ULL << KPF_DIRTY))
		TH_LOG("kpageflags 0x%llx: the memfd page is not dirty",
		       (unsigned long long)kflags);
	ASSERT_EQ(0, bits_explain(&nl, victim, sh->anon, &ex));
	EXPECT_EQ(VMSCOPE_FAULT_NONE, ex.write);
	EXPECT_EQ(PTE_RW | PTE_ACCESSED | PTE_DIRTY,
		  ex.pte & (PTE_RW | PTE_ACCESSED | PTE_DIRTY));

	caller = fork();
	ASSERT_LE(0, caller);
	if (caller == 0)
		_exit(bits_caller(sh, victim));
	ASSERT_EQ(caller, waitpid(caller, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("%s", sh->msg);

	close(cmd[1]);
	waitpid(victim, NULL, 0);
	close(ack[0]);
	tnl_close(&nl);
}

/* ---- a netlink socket answers no more than its opener may ask --------- */

/* GET_VMAS of pid on nl: 0 or -errno. */
static int vmas_on(struct tnl *nl, pid_t pid)
{
	struct tnl_result res;
	struct tnl_msg m;

	tnl_req(nl, &m, VMSCOPE_CMD_GET_VMAS, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	tnl_put_u32(&m, VMSCOPE_A_REQ_FLAGS, VMSCOPE_REQ_NO_COUNTS);
	return tnl_call(nl, &m, NULL, NULL, &res);
}

/*
 * Root asks on a socket it opened while its effective uid was nobody's:
 * as if an unprivileged user had handed its socket to a setuid program
 * that writes what the user chose (CVE-2014-0181's confused deputy).  The
 * request must be allowed only if the opener could ask too: not about
 * init, nor about the root process itself, whose pagemaps the opener
 * cannot open (the oracle, tried with the opener's credentials).  On a
 * socket of its own, root may ask about both.
 */
TEST(netlink_socket_opener_is_checked_too)
{
	struct tnl nl, theirs;
	int fd, pm_init, pm_self, ret;
	char path[64];

	if (geteuid())
		SKIP(return, "needs root");
	NL_OPEN(&nl);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", getpid());
	ASSERT_EQ(0, setegid(NOBODY_GID));
	ASSERT_EQ(0, seteuid(NOBODY_UID));
	ret = tnl_open(&theirs);
	fd = open("/proc/1/pagemap", O_RDONLY | O_CLOEXEC);
	pm_init = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	pm_self = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(0, seteuid(0));
	ASSERT_EQ(0, setegid(0));
	ASSERT_EQ(0, ret) TH_LOG("socket as nobody: %s", strerror(-ret));
	EXPECT_NE(0, pm_init) TH_LOG("the oracle: nobody opened init's pagemap");
	EXPECT_NE(0, pm_self) TH_LOG("the oracle: nobody opened root's pagemap");

	EXPECT_EQ(0, vmas_on(&nl, 1));
	EXPECT_EQ(0, vmas_on(&nl, getpid()));
	ret = vmas_on(&theirs, 1);
	EXPECT_TRUE(ret == -EACCES || ret == -EPERM)
		TH_LOG("init on nobody's socket: %s", strerror(-ret));
	ret = vmas_on(&theirs, getpid());
	EXPECT_TRUE(ret == -EACCES || ret == -EPERM)
		TH_LOG("root itself on nobody's socket: %s", strerror(-ret));
	tnl_close(&theirs);
	tnl_close(&nl);
}

/* ---- module init: nothing openable from a load that fails -------------- */

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
	if (!test_kmod_path("vmscope_squat", squat, sizeof(squat)))
		SKIP(return, "no build/$(uname -r)/kmod/vmscope_squat.ko");
	ASSERT_TRUE(module_wait_refcnt(0, 10))
		TH_LOG("something holds vmscope: refcnt %d", module_refcnt());
	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ASSERT_LE(0, ifd);
	ASSERT_LE(0, inotify_add_watch(ifd, "/sys/kernel/debug", IN_CREATE));

	/* From here on vmscope must be loaded again whatever happens. */
	ASSERT_EQ(0, module_unload());
	squat_err = module_load(squat);
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

/* ---- faults: tracing is perf's privilege (CAP_PERFMON) ----------------- */

#define FAULTS_PARAMS "/sys/module/vmscope/parameters/"

/* FAULTS_START for @pid on @nl as the caller is: 0 or -errno, the extack. */
static int faults_try(struct tnl *nl, pid_t pid, char *why, size_t len)
{
	struct tnl_result res = { 0 };
	struct tnl_msg m;

	tnl_req(nl, &m, VMSCOPE_CMD_FAULTS_START, false);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	tnl_call(nl, &m, NULL, NULL, &res);
	snprintf(why, len, "%s", res.extack);
	return res.error;
}

#define FAULTS_TRIES_MAX 17

struct faults_tries {
	int err[FAULTS_TRIES_MAX];
	char why[FAULTS_TRIES_MAX][512];
	int opened;
};

/*
 * In a child that becomes nobody with @caps: FAULTS_START for each of
 * @pids (on a socket each, kept open until the end), results in @out.
 */
static void faults_as_nobody(uint64_t caps, const pid_t *pids, int n,
			     struct faults_tries *out)
{
	struct tnl nl[FAULTS_TRIES_MAX];
	int i, status;
	pid_t c;

	memset(out, 0, sizeof(*out));
	c = fork();
	if (c == 0) {
		if (become_nobody(caps))
			_exit(2);
		for (i = 0; i < n; i++) {
			if (tnl_open(&nl[i]))
				_exit(3);
			out->opened++;
			out->err[i] = faults_try(&nl[i], pids[i], out->why[i],
						 sizeof(out->why[i]));
		}
		_exit(0);
	}
	if (c > 0)
		waitpid(c, &status, 0);
}

/*
 * Like perf: no trace without CAP_PERFMON (or CAP_SYS_ADMIN), not even of
 * one's own process, and the refusal says why; with CAP_PERFMON the own
 * process may be traced.  vmscope.faults_unprivileged=1 lets a user
 * without it trace its own processes only.  None of it keeps the module
 * from unloading afterwards.
 */
TEST(faults_need_perfmon)
{
	struct faults_tries *r = shared_page(sizeof(*r));
	int hold[2];
	pid_t own, root, pids[2];

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_NE(NULL, r);
	if (access("/sys/module/vmscope", F_OK))
		SKIP(return, "module not loaded");
	/* off, as by default (a module without it has no such switch) */
	write_file(FAULTS_PARAMS "faults_unprivileged", "0");
	ASSERT_EQ(0, pipe(hold));
	own = spawn_still(TARGET_NOBODY, hold);
	root = spawn_still(TARGET_ROOT, hold);
	ASSERT_LT(0, own);
	ASSERT_LT(0, root);
	close(hold[0]);

	pids[0] = own;
	faults_as_nobody(0, pids, 1, r);
	ASSERT_EQ(1, r->opened);
	EXPECT_EQ(-EPERM, r->err[0]);
	EXPECT_NE(NULL, strstr(r->why[0], "CAP_PERFMON"))
		TH_LOG("the refusal said: \"%s\"", r->why[0]);

	faults_as_nobody(1ULL << CAP_PERFMON, pids, 1, r);
	ASSERT_EQ(1, r->opened);
	EXPECT_EQ(0, r->err[0]) TH_LOG("with CAP_PERFMON: %s", r->why[0]);

	/*
	 * The parameter: own processes only, even where pagemap would let
	 * the caller in (CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH: root's).
	 */
	ASSERT_EQ(0, write_file(FAULTS_PARAMS "faults_unprivileged", "1"));
	pids[1] = root;
	faults_as_nobody(1ULL << CAP_SYS_PTRACE | 1ULL << CAP_DAC_READ_SEARCH,
			 pids, 2, r);
	write_file(FAULTS_PARAMS "faults_unprivileged", "0");
	ASSERT_EQ(2, r->opened);
	EXPECT_EQ(0, r->err[0]) TH_LOG("own process: %s", r->why[0]);
	EXPECT_EQ(-EPERM, r->err[1]);
	EXPECT_NE(NULL, strstr(r->why[1], "own processes"))
		TH_LOG("root's process: \"%s\"", r->why[1]);

	close(hold[1]);
	waitpid(own, NULL, 0);
	waitpid(root, NULL, 0);
	/* the callers are gone, and so are their traces: rmmod may go on */
	EXPECT_TRUE(module_wait_refcnt(0, 30))
		TH_LOG("vmscope refcnt stays %d", module_refcnt());
	munmap(r, sizeof(*r));
}

/*
 * One user cannot take every trace: beyond vmscope.faults_max_per_user
 * (its default, 8, when it cannot be read) the next is refused with a
 * message naming the limit, while root, whose traces have no per-user
 * limit, still starts one more.
 */
TEST(faults_per_user_limit)
{
	struct faults_tries *r = shared_page(sizeof(*r));
	pid_t own, pids[FAULTS_TRIES_MAX];
	int hold[2], limit = 8, i;
	char why[512];
	struct tnl nl;
	FILE *f;

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_NE(NULL, r);
	if (access("/sys/module/vmscope", F_OK))
		SKIP(return, "module not loaded");
	f = fopen(FAULTS_PARAMS "faults_max_per_user", "r");
	if (f) {
		if (fscanf(f, "%d", &limit) != 1)
			limit = 8;
		fclose(f);
	}
	ASSERT_GT(FAULTS_TRIES_MAX, limit);
	ASSERT_EQ(0, pipe(hold));
	own = spawn_still(TARGET_NOBODY, hold);
	ASSERT_LT(0, own);
	close(hold[0]);

	for (i = 0; i <= limit; i++)
		pids[i] = own;
	faults_as_nobody(1ULL << CAP_PERFMON, pids, limit + 1, r);
	ASSERT_EQ(limit + 1, r->opened);
	for (i = 0; i < limit; i++)
		EXPECT_EQ(0, r->err[i]) TH_LOG("trace %d: %s", i, r->why[i]);
	EXPECT_EQ(-EBUSY, r->err[limit]);
	EXPECT_NE(NULL, strstr(r->why[limit], "faults_max_per_user"))
		TH_LOG("the refusal said: \"%s\"", r->why[limit]);

	/* root is not limited per user */
	ASSERT_EQ(0, tnl_open(&nl));
	for (i = 0; i <= limit; i++)
		EXPECT_EQ(0, faults_try(&nl, own, why, sizeof(why)))
			TH_LOG("root's trace %d: %s", i, why);
	tnl_close(&nl);
	close(hold[1]);
	waitpid(own, NULL, 0);
	EXPECT_TRUE(module_wait_refcnt(0, 30))
		TH_LOG("vmscope refcnt stays %d", module_refcnt());
	munmap(r, sizeof(*r));
}

TEST_HARNESS_MAIN
