// SPDX-License-Identifier: GPL-2.0
/*
 * Bad questions to vmscope's maps and pages files, and targets that are
 * not there, not user processes, or go away while being read: every one
 * fails cleanly with the documented errno (docs/debugfs.md), the read
 * after a failed write says "# error: ...", and nothing hangs or splats
 * (vm-run scans the guest's kernel log).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/pagemap.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#define PAGE PAGE_SZ

static const char *const files[] = { "maps", "pages" };

/* The whole answer is one "# error: ..." line. */
static bool is_error_text(const char *text)
{
	const char *nl;

	if (!text || strncmp(text, "# error:", 8))
		return false;
	nl = strchr(text, '\n');
	return nl && nl[1] == '\0';
}

/* Ask, expect the write to fail with err and the error line after it. */
static void expect_refused(struct __test_metadata *_metadata,
			   const char *file, const char *q, int err)
{
	struct vms_answer a;

	vms_ask(file, q, 0, &a);
	EXPECT_TRUE(a.write_failed && a.err == -err)
		TH_LOG("%s '%.60s': %s %s, want the write to fail with %s", file,
		       q, a.write_failed ? "write failed with" :
		       a.err ? "read failed with" : "answered,",
		       a.err ? strerror(-a.err) : "no error", strerror(err));
	EXPECT_TRUE(is_error_text(a.text))
		TH_LOG("%s '%.60s': read after the failed write gave '%.200s'",
		       file, q, a.text ? a.text : "(nothing)");
	vms_answer_free(&a);
}

static void expect_accepted(struct __test_metadata *_metadata,
			    const char *file, const char *q)
{
	struct vms_answer a;

	vms_ask(file, q, 0, &a);
	EXPECT_EQ(0, a.err) TH_LOG("%s '%.60s': %s (%.200s)", file, q,
				   strerror(-a.err), a.text ? a.text : "");
	EXPECT_FALSE(a.text && strstr(a.text, "# error"))
		TH_LOG("%s '%.60s': answered '%.200s'", file, q, a.text);
	vms_answer_free(&a);
}

/* A PID nobody has: a reaped child's. */
static pid_t free_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

/* ---- targets ---------------------------------------------------------- */

TEST(pid_that_does_not_exist_is_esrch)
{
	char q[32];
	int i;

	snprintf(q, sizeof(q), "%d\n", free_pid());
	ASSERT_NE(0, kill(atoi(q), 0)) TH_LOG("oracle: PID %s exists", q);
	for (i = 0; i < 2; i++)
		expect_refused(_metadata, files[i], q, ESRCH);
}

TEST(kernel_thread_is_einval)
{
	char *comm = read_file("/proc/2/comm", NULL);
	char *maps = read_file("/proc/2/maps", NULL);
	int i;

	ASSERT_TRUE(comm && !strcmp(comm, "kthreadd\n"))
		TH_LOG("oracle: PID 2 is '%s'", comm ? comm : "?");
	ASSERT_TRUE(maps && !maps[0]) TH_LOG("oracle: PID 2 has VMAs");
	free(comm);
	free(maps);
	for (i = 0; i < 2; i++)
		expect_refused(_metadata, files[i], "2\n", EINVAL);
}

static bool is_zombie(pid_t pid)
{
	char path[64], *stat, *paren;
	bool z;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	stat = read_file(path, NULL);
	paren = stat ? strrchr(stat, ')') : NULL;
	z = paren && paren[1] == ' ' && paren[2] == 'Z';
	free(stat);
	return z;
}

/* An exited, unreaped child has no mm: an error, either way it comes. */
TEST(zombie_is_an_error)
{
	struct vms_answer a;
	char q[32];
	pid_t pid = fork();
	int i, tries;

	if (pid == 0)
		_exit(0);
	for (tries = 0; tries < 1000 && !is_zombie(pid); tries++)
		usleep(1000);
	ASSERT_TRUE(is_zombie(pid)) TH_LOG("oracle: %d not a zombie", pid);
	snprintf(q, sizeof(q), "%d\n", pid);
	for (i = 0; i < 2; i++) {
		vms_ask(files[i], q, 0, &a);
		EXPECT_TRUE(a.err == -ESRCH || a.err == -EINVAL)
			TH_LOG("%s of a zombie: %s, '%.200s'", files[i],
			       a.err ? strerror(-a.err) : "no error",
			       a.text ? a.text : "");
		if (a.write_failed)
			EXPECT_TRUE(is_error_text(a.text));
		vms_answer_free(&a);
	}
	waitpid(pid, NULL, 0);
}

/* A child with many VMAs that maps and unmaps until it is killed. */
static pid_t start_churner(unsigned int seed)
{
	pid_t pid = fork();
	char *p;
	int i;

	if (pid)
		return pid;
	srand(seed);
	p = mmap(NULL, 2000 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	for (i = 0; i < 2000; i += 2) {
		p[i * PAGE] = 1;
		mprotect(p + (i + 1) * PAGE, PAGE, PROT_READ);
	}
	for (;;) {
		size_t len = (1 + rand() % 64) * PAGE;
		char *q = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (q == MAP_FAILED)
			_exit(1);
		memset(q, 1, len / 2);
		munmap(q, len);
	}
}

/*
 * Read a churning target's answer in small chunks and kill it after
 * kill_after chunks: every read returns data, EOF or ESRCH (the target
 * is gone), and a complete answer parses.  Returns 1 if the answer was
 * cut short by the exit.
 */
static int read_while_exiting(struct __test_metadata *_metadata,
			      const char *file, pid_t pid, int kill_after)
{
	const size_t max = 16 << 20;
	char q[32], path[128], *text = malloc(max), why[VMS_WHY];
	size_t size = 0;
	ssize_t n = 0;
	int fd, cut = 0, chunks = 0;

	ASSERT_NE(NULL, text);
	snprintf(path, sizeof(path), VMSCOPE_DEBUGFS "/%s", file);
	fd = open(path, O_RDWR);
	ASSERT_LE(0, fd);
	snprintf(q, sizeof(q), "%d\n", pid);
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)))
		TH_LOG("%s: write: %s", file, strerror(errno));
	for (;;) {
		if (chunks++ == kill_after)
			kill(pid, SIGKILL);
		n = read(fd, text + size, 1000);
		if (n <= 0 || size + n > max - 1000)
			break;
		size += n;
	}
	text[size] = '\0';
	if (n < 0) {
		EXPECT_EQ(ESRCH, errno) TH_LOG("%s: read after %zu bytes: %s",
					       file, size, strerror(errno));
		cut = 1;
	} else if (!strcmp(file, "maps")) {
		struct vms_maps m;

		EXPECT_EQ(0, vms_maps_parse(text, &m, why)) TH_LOG("%s", why);
		text = NULL;	/* m owns it */
		vms_maps_free(&m);
	} else {
		struct vms_run *runs;

		EXPECT_LT(0, vms_pages_parse(text, 0, 0, &runs, why))
			TH_LOG("%s", why);
		free(runs);
	}
	close(fd);
	free(text);
	return cut;
}

FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

TEST_F_TIMEOUT(slow, target_exiting_mid_read_fails_cleanly, 300)
{
	/* 20 s and more than 10 rounds; a slow guest gets up to 200 s. */
	time_t end = time(NULL) + 20, cap = end + 180;
	int rounds = 0, cut = 0;

	srand(1);
	while ((time(NULL) < end || rounds <= 10) && time(NULL) < cap &&
	       !VMS_TEST_FAILED(_metadata)) {
		pid_t pid = start_churner(rounds);

		ASSERT_LT(0, pid);
		cut += read_while_exiting(_metadata, files[rounds % 2], pid,
					  rand() % 100);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		rounds++;
	}
	TH_LOG("%d rounds, %d cut short by the exit", rounds, cut);
	EXPECT_LT(10, rounds);
}

/* ---- questions -------------------------------------------------------- */

/* "PID START END[ extra]" about ourselves. */
static const char *range_q(char *buf, uint64_t start, uint64_t end,
			   const char *extra)
{
	snprintf(buf, 128, "%d 0x%llx 0x%llx%s\n", getpid(),
		 (unsigned long long)start, (unsigned long long)end,
		 extra ? extra : "");
	return buf;
}

TEST(bad_ranges_are_einval)
{
	uint64_t ts, a = 0x10000;
	char q[128];

	ASSERT_TRUE(layout_value("task_size", &ts));
	expect_refused(_metadata, "pages", range_q(q, a + PAGE, a, NULL),
		       EINVAL);
	expect_refused(_metadata, "pages", range_q(q, a, a, NULL), EINVAL);
	expect_refused(_metadata, "pages", range_q(q, a + 1, a + PAGE, NULL),
		       EINVAL);
	expect_refused(_metadata, "pages", range_q(q, a, a + PAGE + 8, NULL),
		       EINVAL);
	expect_refused(_metadata, "pages", range_q(q, a, ts + PAGE, NULL),
		       EINVAL);
	expect_refused(_metadata, "pages", range_q(q, ts, ts + PAGE, NULL),
		       EINVAL);
	expect_refused(_metadata, "pages",
		       range_q(q, a, 0xfffffffffffff000ULL, NULL), EINVAL);
	/* The edges themselves are fine. */
	expect_accepted(_metadata, "pages",
			range_q(q, ts - PAGE, ts, NULL));
	expect_accepted(_metadata, "pages", range_q(q, 0, PAGE, NULL));
}

TEST(garbage_is_einval)
{
	/* Addresses aligned for any page size: only the syntax is wrong. */
	static const char *const garbage[] = {
		"\n", "abc\n", "12abc\n", "-1\n", "0x\n", "1.5\n",
		"99999999999999999999999999\n", "%d 0x10000\n",
		"%d 0x10000 0x20000 0x30000\n", "%d 0x10000 0x20000 run\n",
		"%d 0x10000 0x20000 runs runs\n",
		"%d 0x10000 0x20000 bogus\n",
		"%d junk\n", "%d -0x10000 0x20000\n",
	};
	char q[128];
	size_t i;

	for (i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		snprintf(q, sizeof(q), garbage[i], getpid());
		expect_refused(_metadata, "pages", q, EINVAL);
	}
	/* maps takes a PID and nothing else. */
	for (i = 0; i < 6; i++)
		expect_refused(_metadata, "maps", garbage[i], EINVAL);
	snprintf(q, sizeof(q), "%d 0x10000 0x20000\n", getpid());
	expect_refused(_metadata, "maps", q, EINVAL);
	snprintf(q, sizeof(q), "%d runs\n", getpid());
	expect_refused(_metadata, "maps", q, EINVAL);
}

TEST(a_huge_question_is_einval)
{
	size_t len = 1 << 16;
	char *q = malloc(len + 1);

	ASSERT_NE(NULL, q);
	memset(q, '1', len);
	q[len] = '\0';
	expect_refused(_metadata, "pages", q, EINVAL);
	expect_refused(_metadata, "maps", q, EINVAL);
	free(q);
}

TEST(good_forms_are_accepted)
{
	uint64_t a = PAGE_DOWN((uintptr_t)&a);
	char q[128];

	snprintf(q, sizeof(q), "%d", getpid());
	expect_accepted(_metadata, "maps", q);
	snprintf(q, sizeof(q), "0x%x\n", getpid());
	expect_accepted(_metadata, "maps", q);
	expect_accepted(_metadata, "pages", range_q(q, a, a + PAGE, " runs"));
	snprintf(q, sizeof(q), "%d runs\n", getpid());
	expect_accepted(_metadata, "pages", q);
}

/* "Numbers are decimal, or hex with 0x": a leading zero is decimal. */
TEST(leading_zero_is_decimal)
{
	struct vms_answer a;
	char q[32], pid[32];

	snprintf(q, sizeof(q), "0%d\n", getpid());
	snprintf(pid, sizeof(pid), "%d", getpid());
	vms_ask("maps", q, 0, &a);
	EXPECT_EQ(0, a.err) TH_LOG("'0%d': %s (%.200s)", getpid(),
				   strerror(-a.err), a.text ? a.text : "");
	EXPECT_TRUE(a.text && strstr(a.text, pid))
		TH_LOG("header does not name PID %s: '%.100s'", pid,
		       a.text ? a.text : "");
	vms_answer_free(&a);
}

TEST(a_good_question_after_a_bad_one_is_answered)
{
	char q[32], buf[4096];
	ssize_t n;
	int fd = open(VMSCOPE_DEBUGFS "/maps", O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, write(fd, "junk\n", 5));
	EXPECT_EQ(EINVAL, errno);
	snprintf(q, sizeof(q), "%d\n", getpid());
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_EQ(NULL, strstr(buf, "# error")) TH_LOG("'%.200s'", buf);
	close(fd);
}

/* ---- who may ask ------------------------------------------------------ */

static int try_open(void *arg)
{
	int fd = open(arg, O_RDWR);

	if (fd >= 0)
		return 1;
	fd = open(arg, O_RDONLY);
	return fd < 0 && errno == EACCES ? 0 : 2;
}

TEST(maps_and_pages_are_root_only)
{
	char path[128];
	struct stat st;
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), VMSCOPE_DEBUGFS "/%s", files[i]);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0600, st.st_mode & 0777) TH_LOG("%s", files[i]);
		EXPECT_EQ(0, st.st_uid);
		EXPECT_EQ(0, run_as_nobody(try_open, path))
			TH_LOG("nobody could open %s", files[i]);
	}
}

TEST_HARNESS_MAIN
