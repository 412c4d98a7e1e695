// SPDX-License-Identifier: GPL-2.0
/*
 * The lab, userspace/vmscope-lab, one test per step: the step must exit
 * 0 (every check held) and print the lines that carry its lesson; a step
 * this guest cannot show (exit 4) is a SKIP with the lab's reason, never
 * a pass.  The lab checks vmscope against pagemap, kpageflags, maps,
 * smaps and the fault counters itself; these tests make sure it ran
 * those checks and that none failed.  Also: the lab's exit statuses, a
 * skip that the test provokes (THP off), and the steps as uid nobody.
 *
 * The lab is $VMSCOPE_LAB, or userspace/vmscope-lab of the tree this test
 * was built in (build/tests/../../userspace/vmscope-lab).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#define LAB_SKIPPED 4
#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"

static char lab[PATH_MAX];

static bool find_lab(void)
{
	return find_userspace_program("vmscope-lab", "VMSCOPE_LAB", lab);
}

#define NEED_LAB() do {							\
	if (!find_lab())						\
		SKIP(return, "no lab at %.200s (make -C userspace, "	\
		     "or set VMSCOPE_LAB)", lab);			\
	if (access(VMSCOPE_DEBUGFS, F_OK))				\
		SKIP(return, "vmscope module not loaded");		\
} while (0)

struct run {
	int status;		/* exit status, -1 if it did not exit */
	char *out;		/* stdout and stderr */
};

/*
 * Run the lab with --no-pause, then svg_dir's "--svg DIR" if not NULL,
 * then arg; stdin from /dev/null, output without colour in a memory
 * file; as uid nobody if asked.
 */
static void run_lab_svg(struct run *r, bool nobody, const char *svg_dir,
			const char *arg)
{
	int out = memfd_create("lab-out", MFD_CLOEXEC), status;
	pid_t pid;

	r->status = -1;
	r->out = NULL;
	if (out < 0)
		return;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(out, 1);
		dup2(out, 2);
		setenv("NO_COLOR", "1", 1);
		if (nobody && (setgroups(0, NULL) || setgid(NOBODY_GID) ||
			       setuid(NOBODY_UID)))
			_exit(126);
		if (svg_dir)
			execl(lab, "vmscope-lab", "--no-pause", "--svg",
			      svg_dir, arg, (char *)NULL);
		else
			execl(lab, "vmscope-lab", "--no-pause", arg,
			      (char *)NULL);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	r->out = slurp_fd(out);
	close(out);
}

static void run_lab(struct run *r, bool nobody, const char *arg)
{
	run_lab_svg(r, nobody, NULL, arg);
}

static int count_lines(const char *text, const char *prefix,
		       const char *suffix)
{
	size_t plen = strlen(prefix), slen = strlen(suffix);
	const char *p = text;
	int n = 0;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		n += len >= plen + slen && !strncmp(p, prefix, plen) &&
		     !strncmp(p + len - slen, suffix, slen);
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

/* The lab's "skipped: why" line, for the SKIP message. */
static const char *skip_reason(const char *out, char *buf, size_t len)
{
	const char *s = out ? strstr(out, "skipped: ") : NULL;

	snprintf(buf, len, "%.*s", s ? (int)strcspn(s, "\n") : 0, s ? s : "");
	return buf[0] ? buf : "skipped without a reason";
}

/*
 * Run one step and judge it: exit 0, its final line, no FAILED check, at
 * least min_checks "ok" checks, a vmscope view shown, and each of the
 * NULL-terminated key lines (substrings) present.
 */
static void step(struct __test_metadata *_metadata, const char *name,
		 int min_checks, ...)
{
	char reason[256], last[128];
	const char *key;
	struct run r;
	va_list ap;

	run_lab(&r, false, name);
	ASSERT_NE(NULL, r.out);
	if (r.status == LAB_SKIPPED) {
		skip_reason(r.out, reason, sizeof(reason));
		free(r.out);
		SKIP(return, "%s", reason);
	}
	EXPECT_EQ(0, r.status) TH_LOG("output:\n%.6000s", r.out);
	EXPECT_EQ(NULL, strstr(r.out, "FAILED")) TH_LOG("%.6000s", r.out);
	snprintf(last, sizeof(last), "\n%s: every check held\n", name);
	EXPECT_NE(NULL, strstr(r.out, last));
	EXPECT_LE(min_checks, count_lines(r.out, "check: ", " ok"));
	EXPECT_NE(NULL, strstr(r.out, "\n$ vmscope "));
	va_start(ap, min_checks);
	while ((key = va_arg(ap, const char *))) {
		bool found = strstr(r.out, key);

		EXPECT_TRUE(found) TH_LOG("no line with '%s'", key);
	}
	va_end(ap);
	free(r.out);
}

TEST(step_split)
{
	NEED_LAB();
	/* The user-bits checks are x86_64's (vmscope-lab's layout.c). */
	if (!X86_64) {
		step(_metadata, "split", 3, "$ vmscope layout\n",
		     "from user space dies of SIGSEGV ok", NULL);
		return;
	}
	step(_metadata, "split", 5, "$ vmscope layout\n",
	     "check: task_size is 2^",
	     "from user space dies of SIGSEGV ok",
	     "as vmscope says ok", NULL);
}

TEST(step_aslr)
{
	NEED_LAB();
	step(_metadata, "aslr", 7, "$ vmscope maps ",
	     "check: the program moved between the runs ok",
	     "check: the heap moved between the runs ok",
	     "check: the libc moved between the runs ok",
	     "check: the stack moved between the runs ok", NULL);
}

TEST(step_lazy)
{
	NEED_LAB();
	step(_metadata, "lazy", 6, "check: pagemap: none of the 64 pages",
	     "the 16 written pages are present, the other 48 not ok",
	     "check: vmscope: the other 48 are still 'none' (48 are) ok",
	     "page faults for 16 first writes", NULL);
}

TEST(step_zero)
{
	NEED_LAB();
	step(_metadata, "zero", 8,
	     "check: vmscope: all 16 are the zero page, read-only (16 are) ok",
	     "is the zero page (KPF_ZERO_PAGE) ok",
	     "check: vmscope: the other 15 are still the zero page", NULL);
}

TEST(step_cow)
{
	NEED_LAB();
	step(_metadata, "cow", 10,
	     "all 8 mapped twice, not exclusive, a write would copy ok",
	     "pagemap of the child: the same 8 PFNs as ours ok",
	     "pagemap of the child: its page 0 is a new PFN ok",
	     "pagemap of the child: it kept PFN", NULL);
}

TEST(step_faults)
{
	NEED_LAB();
	step(_metadata, "faults", 6, "$ vmscope faults ",
	     "the trace has 5 faults in the region, one per touch (5) ok",
	     "read page 0: the zero page is mapped (minor-zero-page) ok",
	     "write page 1: a new page (minor-new-page) ok",
	     "which the child shares: copied (cow-copy) ok",
	     "check: after the child exited, write page 2: ",
	     "check: pagemap: page 2 ", NULL);
}

TEST(step_private_shared)
{
	NEED_LAB();
	step(_metadata, "private-shared", 10,
	     "both mappings map the same 4 PFNs",
	     "private page 0 is an anonymous page of ours now",
	     "the file still has 'A' in page 0",
	     "the private mapping reads 'S' in page 1", NULL);
}

TEST(step_malloc)
{
	NEED_LAB();
	step(_metadata, "malloc", 8, "are in [heap] ok",
	     "starts a mapping of its own",
	     "check: vmscope: 1 page present, 256 none ok",
	     "the big block's mapping is gone ok", NULL);
}

TEST(step_brk)
{
	NEED_LAB();
	step(_metadata, "brk", 8, "[heap] now ends at the new break",
	     "check: vmscope: all 64 new pages are 'none' (64 are) ok",
	     "check: vmscope: no VMA there either ok", NULL);
}

TEST(step_stack)
{
	NEED_LAB();
	step(_metadata, "stack", 7, "$ vmscope explain ",
	     "a write would grow the stack (stack-grow) ok",
	     "after the return the stack is still",
	     "needs no fault now (none) ok", NULL);
}

TEST(step_swap)
{
	NEED_LAB();
	/* As root the swap entries are compared with pagemap's, too. */
	step(_metadata, "swap", 6, "check: vmscope: all 64 are 'swap' (64 are) ok",
	     "check: the 64 pages came back intact ok", "major faults",
	     geteuid() ? NULL :
	     "the same swap type and offset for all 64 (64) ok", NULL);
}

TEST(step_thp)
{
	char pmd[64];

	NEED_LAB();
	snprintf(pmd, sizeof(pmd), "mapped by one PMD entry (%lu are) ok",
		 vs_pmd_size() / PG);
	step(_metadata, "thp", 8, pmd,
	     "check: kpageflags: KPF_THP set on PFN",
	     "all in PTEs now", NULL);
}

/* ---- the program around the steps ---- */

/*
 * --svg DIR: the stack step's pictures of the lab's layout when it starts
 * and when it ends are SVG, and differ where the step made them differ:
 * the stack grew, so its size (the box's text) is not the same.
 */
TEST(svg_pictures_of_a_step)
{
	char dir[] = "/tmp/vmscope-lab-svg-XXXXXX", path[PATH_MAX];
	char *before, *after;
	struct run r;

	NEED_LAB();
	ASSERT_NE(NULL, mkdtemp(dir));
	run_lab_svg(&r, false, dir, "stack");
	ASSERT_NE(NULL, r.out);
	EXPECT_EQ(0, r.status) TH_LOG("%.6000s", r.out);
	snprintf(path, sizeof(path), "%s/stack-before.svg", dir);
	before = read_file(path, NULL);
	unlink(path);
	snprintf(path, sizeof(path), "%s/stack-after.svg", dir);
	after = read_file(path, NULL);
	unlink(path);
	rmdir(dir);
	ASSERT_NE(NULL, before) TH_LOG("%.6000s", r.out);
	ASSERT_NE(NULL, after);
	EXPECT_EQ(0, strncmp(before, "<?xml", 5));
	EXPECT_NE(NULL, strstr(before, "stack top</text>"));
	EXPECT_NE(NULL, strstr(after, "</svg>\n"));
	EXPECT_STRNE(before, after);
	EXPECT_NE(NULL, strstr(r.out, "picture of the layout after the step: "));
	free(before);
	free(after);
	free(r.out);
}

TEST(list_and_usage)
{
	struct run r;

	NEED_LAB();
	run_lab(&r, false, "list");
	ASSERT_EQ(0, r.status);
	ASSERT_NE(NULL, r.out);
	EXPECT_EQ(12, count_lines(r.out, "", ""));
	EXPECT_NE(NULL, strstr(r.out, "\ncow "));
	free(r.out);
	run_lab(&r, false, "no-such-step");
	EXPECT_EQ(2, r.status);
	free(r.out);
}

/* THP off: the step must say so and exit 4, not pass and not fail. */
TEST(thp_off_is_skipped)
{
	char *saved = read_file(THP_ENABLED, NULL), mode[32] = "";
	char *open = saved ? strchr(saved, '[') : NULL;
	struct run r;

	NEED_LAB();
	if (!open)
		SKIP(return, "no %s", THP_ENABLED);
	snprintf(mode, sizeof(mode), "%.*s", (int)strcspn(open + 1, "]"),
		 open + 1);
	free(saved);
	ASSERT_EQ(0, write_file(THP_ENABLED, "never"));
	run_lab(&r, false, "thp");
	ASSERT_EQ(0, write_file(THP_ENABLED, mode));
	EXPECT_EQ(LAB_SKIPPED, r.status);
	ASSERT_NE(NULL, r.out);
	EXPECT_NE(NULL, strstr(r.out, "skipped: THP is disabled"));
	EXPECT_EQ(NULL, strstr(r.out, "FAILED"));
	free(r.out);
}

/*
 * Without privileges the lab still looks at itself (the module lets a
 * process inspect its own thread group), and says which checks need
 * root instead of failing them.
 */
TEST(unprivileged_steps)
{
	static const char *const steps[] = { "lazy", "cow", "split" };
	struct run r;
	size_t i;

	NEED_LAB();
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		run_lab(&r, true, steps[i]);
		ASSERT_NE(NULL, r.out);
		EXPECT_EQ(0, r.status) TH_LOG("%s as nobody:\n%.6000s",
					      steps[i], r.out);
		EXPECT_EQ(NULL, strstr(r.out, "FAILED"));
		if (strcmp(steps[i], "lazy"))
			EXPECT_NE(NULL, strstr(r.out, "(not checked: "));
		free(r.out);
	}
}

TEST_HARNESS_MAIN
