// SPDX-License-Identifier: GPL-2.0
/*
 * Allocations that fail: vmscope's requests while the kernel's fault
 * injection (failslab and fail_page_alloc, CONFIG_FAULT_INJECTION_DEBUG_FS)
 * makes a share of the requesting task's slab and page allocations fail.
 * Only the debug kernel (scripts/debug-kernel) has it; Debian's kernels
 * skip, saying so.
 *
 * A child that asks the questions marks itself with /proc/self/make-it-fail
 * (task-filter), only around the system calls it makes to vmscope, with
 * everything it touches allocated and locked beforehand: the failures land
 * in the kernel's work for vmscope, not in the child's own page faults.
 * Every request must end either complete and right (the same answer as
 * without injection, of a stopped target) or with a clean error (ENOMEM,
 * or ENOBUFS for a netlink dump that could not allocate its next message);
 * nothing hangs, the kernel log stays clean (vm-run), the module's
 * reference count returns to zero, kmemleak finds nothing of vmscope's,
 * and the module unloads and loads again.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
#include "lib/stress.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#define DBG "/sys/kernel/debug"
#define ANSWER_MAX (4 << 20)

/* The knobs of one fault-injection point, saved to be put back. */
struct knob {
	const char *file;
	const char *value;
	char saved[64];
};

static struct knob knobs[] = {
	{ .file = DBG "/failslab/probability", .value = "10" },
	{ .file = DBG "/failslab/interval", .value = "1" },
	{ .file = DBG "/failslab/times", .value = "-1" },
	{ .file = DBG "/failslab/verbose", .value = "0" },
	{ .file = DBG "/failslab/task-filter", .value = "Y" },
	{ .file = DBG "/failslab/ignore-gfp-wait", .value = "N" },
	{ .file = DBG "/fail_page_alloc/probability", .value = "10" },
	{ .file = DBG "/fail_page_alloc/interval", .value = "1" },
	{ .file = DBG "/fail_page_alloc/times", .value = "-1" },
	{ .file = DBG "/fail_page_alloc/verbose", .value = "0" },
	{ .file = DBG "/fail_page_alloc/task-filter", .value = "Y" },
	{ .file = DBG "/fail_page_alloc/ignore-gfp-wait", .value = "N" },
	{ .file = DBG "/fail_page_alloc/ignore-gfp-highmem", .value = "N" },
	{ .file = DBG "/fail_page_alloc/min-order", .value = "0" },
};

static void knobs_set(struct __test_metadata *_metadata)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++) {
		char *old = read_file(knobs[i].file, NULL);

		ASSERT_NE(NULL, old) TH_LOG("%s: %s", knobs[i].file, strerror(errno));
		snprintf(knobs[i].saved, sizeof(knobs[i].saved), "%s", old);
		free(old);
		ASSERT_EQ(0, write_file(knobs[i].file, knobs[i].value))
			TH_LOG("%s", knobs[i].file);
	}
}

static void knobs_restore(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		if (knobs[i].saved[0])
			write_file(knobs[i].file, knobs[i].saved);
}

/* ---- the child that asks ----------------------------------------------- */

enum outcome { COMPLETE, CLEAN_ERROR, BAD };

struct tally {
	long complete, clean, bad;
	char first_bad[600];
};

static int fail_fd = -1;
static char *answer;
static char difference[512];

/* The first line where a wrong answer differs from the right one. */
static void first_difference(const char *got, const char *want)
{
	size_t i = 0, line = 0;

	if (difference[0])
		return;
	while (got[i] && got[i] == want[i]) {
		if (got[i] == '\n')
			line = i + 1;
		i++;
	}
	snprintf(difference, sizeof(difference), "got \"%.200s\"; want \"%.200s\"",
		 got + line, want + line);
}

static void injection(bool on)
{
	if (pwrite(fail_fd, on ? "1" : "0", 1, 0) != 1)
		_exit(90);
}

static bool clean_errno(int e)
{
	return e == ENOMEM || e == ENOBUFS;
}

static void note_bad(struct tally *t, const char *what, int e)
{
	t->bad++;
	if (!t->first_bad[0])
		snprintf(t->first_bad, sizeof(t->first_bad), "%s: %s", what,
			 e ? strerror(e) : difference[0] ? difference :
			 "wrong answer");
}

/*
 * Ask one debugfs question with injection on; the answer lands in
 * answer[].  Returns 0 for a complete answer or the errno it ended with.
 */
static int debugfs_ask(const char *file, const char *question, size_t *len,
		       bool inject)
{
	char path[128];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), VMSCOPE_DEBUGFS "/%s", file);
	*len = 0;
	injection(inject);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	if (write(fd, question, strlen(question)) < 0) {
		err = errno;
		goto out_close;
	}
	while ((n = read(fd, answer + *len, ANSWER_MAX - 1 - *len)) > 0)
		*len += n;
	if (n < 0)
		err = errno;
out_close:
	close(fd);
out:
	injection(false);
	answer[*len] = '\0';
	return err;
}

/* maps of the target: the same VMAs and counts as without injection */
static enum outcome ask_maps(pid_t target, const char *want)
{
	char q[32];
	size_t len;
	int err;

	snprintf(q, sizeof(q), "%d\n", target);
	err = debugfs_ask("maps", q, &len, true);
	if (err)
		return clean_errno(err) ? CLEAN_ERROR : BAD;
	if (!strcmp(answer, want))
		return COMPLETE;
	first_difference(answer, want);
	return BAD;
}

/* netlink GET_VMAS dump: as many VMAs as the reference, or ENOBUFS/ENOMEM */
static int count_cb(const struct nlmsghdr *nlh, void *arg)
{
	(*(long *)arg)++;
	return 0;
}

/* GET_VMAS of the target: the number of VMAs, or -errno */
static long netlink_vmas(pid_t target, bool inject)
{
	struct tnl_result res;
	struct tnl_msg m;
	struct tnl nl;
	long vmas = 0;
	int err;

	if (tnl_open(&nl))
		return -EBADF;	/* not injected: counted as wrong */
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_VMAS, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, target);
	injection(inject);
	err = tnl_call(&nl, &m, count_cb, &vmas, &res);
	injection(false);
	tnl_close(&nl);
	return err ? err : vmas;
}

/* netlink GET_VMAS dump: as many VMAs as without injection, or ENOBUFS/ENOMEM */
static enum outcome ask_netlink(pid_t target, long want_vmas)
{
	long vmas = netlink_vmas(target, true);

	if (vmas < 0)
		return clean_errno(-vmas) ? CLEAN_ERROR : BAD;
	return vmas == want_vmas ? COMPLETE : BAD;
}

/* A debugfs answer: a clean error, or complete with its header line. */
static enum outcome judge(int err, const char *header, size_t len)
{
	if (err && clean_errno(err))
		return CLEAN_ERROR;
	if (err) {
		if (!difference[0])
			snprintf(difference, sizeof(difference),
				 "failed with %s after %zu bytes", strerror(err),
				 len);
		return BAD;
	}
	if (!strncmp(answer, header, strlen(header)))
		return COMPLETE;
	if (!difference[0])
		snprintf(difference, sizeof(difference),
			 "%zu bytes without \"%s\": \"%.200s\"", len, header,
			 answer);
	return BAD;
}

static void count(struct tally *t, enum outcome o, const char *what)
{
	if (o == COMPLETE)
		t->complete++;
	else if (o == CLEAN_ERROR)
		t->clean++;
	else
		note_bad(t, what, 0);
}

static void asker(pid_t target, long rounds, int out)
{
	struct tally t = { 0 };
	char q[96], stack[256 << 10], *want_maps;
	uint64_t task_size;
	long want_vmas;
	size_t len;

	/* Nothing of ours should fault in while injection is on. */
	memset(stack, 1, sizeof(stack));
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		_exit(91);
	fail_fd = open("/proc/self/make-it-fail", O_WRONLY);
	if (fail_fd < 0)
		_exit(92);
	/*
	 * The right answers, asked without injection by this process: the
	 * counts (PSS) depend on who maps the test program's pages.
	 */
	snprintf(q, sizeof(q), "%d\n", target);
	if (debugfs_ask("maps", q, &len, false))
		_exit(94);
	want_maps = strdup(answer);
	want_vmas = netlink_vmas(target, false);
	if (!want_maps || want_vmas <= 0 ||
	    !layout_value("task_size", &task_size))
		_exit(95);
	for (long i = 0; i < rounds; i++) {
		int err;

		count(&t, ask_maps(target, want_maps), "maps");
		count(&t, ask_netlink(target, want_vmas), "netlink GET_VMAS");
		snprintf(q, sizeof(q), "%d 0x0 0x%llx runs\n", target,
			 (unsigned long long)task_size);
		err = debugfs_ask("pages", q, &len, true);
		count(&t, judge(err, "# vmscope pages", len), "pages");
		snprintf(q, sizeof(q), "%d %p\n", target, (void *)q);
		err = debugfs_ask("explain", q, &len, true);
		count(&t, judge(err, "# vmscope explain", len), "explain");
	}
	if (write(out, &t, sizeof(t)) != sizeof(t))
		_exit(93);
	_exit(0);
}

/* ---- the test ---------------------------------------------------------- */

static bool have_fault_injection(void)
{
	return access(DBG "/failslab/probability", W_OK) == 0 &&
	       access(DBG "/fail_page_alloc/probability", W_OK) == 0 &&
	       access("/proc/self/make-it-fail", W_OK) == 0;
}

/* kmemleak's suspects whose allocation stack names vmscope, or NULL */
static char *kmemleak_vmscope(void)
{
	char *all, *hit;

	write_file(DBG "/kmemleak", "scan");
	write_file(DBG "/kmemleak", "scan");
	all = read_file(DBG "/kmemleak", NULL);
	if (!all)
		return NULL;
	hit = strstr(all, "vmscope");
	if (!hit) {
		free(all);
		return NULL;
	}
	return all;
}

FIXTURE(fi) {};
FIXTURE_SETUP(fi) {}
FIXTURE_TEARDOWN(fi) {}

TEST_F_TIMEOUT(fi, requests_survive_failing_allocations, 1800)
{
	long rounds = env_long("VMSCOPE_FAULT_ROUNDS", 40);
	bool kmemleak = access(DBG "/kmemleak", R_OK) == 0;
	struct vms_answer ref = { 0 };
	struct tally t;
	char q[32], why[VMS_WHY];
	struct vms_maps maps;
	pid_t target, child;
	int pipefd[2], status;
	char *leaks;

	if (!have_fault_injection())
		SKIP(return, "kernel without CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC "
		     "and CONFIG_FAULT_INJECTION_DEBUG_FS (Debian's kernels); "
		     "the debug-kernel guest runs this");
	ASSERT_EQ(0, module_ensure_loaded());
	if (kmemleak)
		write_file(DBG "/kmemleak", "clear");

	/* A stopped target, so that every complete answer must be the same. */
	target = fork();
	ASSERT_LE(0, target);
	if (target == 0) {
		char *p = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			memset(p, 1, 32 * PG);
		raise(SIGSTOP);
		pause();
		_exit(0);
	}
	ASSERT_EQ(target, waitpid(target, &status, WUNTRACED));
	snprintf(q, sizeof(q), "%d\n", target);
	ASSERT_EQ(0, vms_ask("maps", q, 0, &ref));
	ASSERT_EQ(0, vms_maps_parse(strdup(ref.text), &maps, why)) TH_LOG("%s", why);

	answer = malloc(ANSWER_MAX);
	ASSERT_NE(NULL, answer);
	ASSERT_EQ(0, pipe(pipefd));
	knobs_set(_metadata);
	child = fork();
	if (child == 0) {
		close(pipefd[0]);
		asker(target, rounds, pipefd[1]);
	}
	close(pipefd[1]);
	memset(&t, 0, sizeof(t));
	EXPECT_EQ((ssize_t)sizeof(t), read(pipefd[0], &t, sizeof(t)));
	waitpid(child, &status, 0);
	knobs_restore();
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);

	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("asker ended with status 0x%x", status);
	TH_LOG("%ld rounds: %ld complete and right, %ld clean errors, %ld wrong",
	       rounds, t.complete, t.clean, t.bad);
	EXPECT_EQ(0, t.bad) TH_LOG("first: %s", t.first_bad);
	/* The injection really happened, and did not fail everything. */
	EXPECT_LT(0, t.clean);
	EXPECT_LT(0, t.complete);

	EXPECT_TRUE(module_wait_refcnt(0, 10));
	if (kmemleak) {
		leaks = kmemleak_vmscope();
		EXPECT_EQ(NULL, leaks) TH_LOG("kmemleak:\n%s", leaks);
		free(leaks);
	} else {
		TH_LOG("no kmemleak on this kernel: leaks judged by unload only");
	}
	EXPECT_EQ(0, module_unload());
	EXPECT_EQ(0, module_ensure_loaded());
	vms_maps_free(&maps);
	vms_answer_free(&ref);
	free(answer);
}

TEST_HARNESS_MAIN
