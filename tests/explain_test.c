// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs explain against what really happens.  Each case sets up a page
 * in a child process, asks vmscope what a read, write or fetch there
 * would do, then lets the child do it and compares with the oracle: the
 * child's own fault counters (getrusage: minflt/majflt) and the signal it
 * died of, if any.  The expected outcome of each case is what the test
 * set up; the counters and the signal check that the outcome is right.
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
#include "lib/util.h"
#include "lib/vmscope.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE 4096UL

enum access { READ, WRITE, EXEC };
static const char * const access_names[] = { "read", "write", "exec" };

/* What the child reports after its access (if it survives it). */
struct faults {
	long minflt, majflt;
};

/* What the oracle saw. */
struct observed {
	int signal;		/* 0 if the child survived */
	struct faults f;
};

/* Sets up the page in the child; returns its address, or NULL + reason. */
typedef char *(*setup_fn)(const char **skip);

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

static void get_faults(struct faults *f)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	f->minflt = ru.ru_minflt;
	f->majflt = ru.ru_majflt;
}

/* The child: set up, report the address, wait, access, report faults. */
static void child(setup_fn setup, enum access a, int to_parent, int from_parent)
{
	struct faults before, after;
	const char *skip = NULL;
	char *p, go;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	p = setup(&skip);
	if (write(to_parent, &p, sizeof(p)) != sizeof(p))
		_exit(2);
	if (!p) {
		if (write(to_parent, skip, strlen(skip) + 1) < 0)
			_exit(2);
		_exit(0);
	}
	if (read(from_parent, &go, 1) != 1)
		_exit(2);
	get_faults(&before);	/* also faults in what get_faults needs */
	get_faults(&before);
	do_access(p, a);
	get_faults(&after);
	after.minflt -= before.minflt;
	after.majflt -= before.majflt;
	if (write(to_parent, &after, sizeof(after)) != sizeof(after))
		_exit(2);
	_exit(0);
}

/* The outcome vmscope gives for access a at addr in pid. */
static int explain(pid_t pid, char *addr, enum access a, char *outcome,
		   size_t len)
{
	struct vms_answer ans;
	char question[64], *line, *save = NULL;
	int found = -ENOENT;

	snprintf(question, sizeof(question), "%d %p", pid, addr);
	if (vms_ask("explain", question, 0, &ans)) {
		vms_answer_free(&ans);
		return -EIO;
	}
	for (line = strtok_r(ans.text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char word[16], what[64];

		if (sscanf(line, "%15s %63s", word, what) == 2 &&
		    !strcmp(word, access_names[a])) {
			snprintf(outcome, len, "%s", what);
			found = 0;
		}
	}
	if (found)
		fprintf(stderr, "# explain said:\n%s\n", ans.text);
	vms_answer_free(&ans);
	return found;
}

/*
 * Run one case: returns 1 if skipped (reason in skip), else fills
 * outcome and what was observed.
 */
static int run_case(struct __test_metadata *_metadata, setup_fn setup,
		    enum access a, char *outcome, size_t len,
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
		child(setup, a, up[1], down[0]);
	}
	close(down[0]);
	close(up[1]);
	ASSERT_EQ(sizeof(addr), read(up[0], &addr, sizeof(addr)));
	if (!addr) {
		ssize_t n = read(up[0], skip, skip_len - 1);

		skip[n > 0 ? n : 0] = '\0';
		waitpid(pid, &status, 0);
		return 1;
	}
	EXPECT_EQ(0, explain(pid, addr, a, outcome, len));
	ASSERT_EQ(1, write(down[1], &go, 1));
	memset(seen, 0, sizeof(*seen));
	if (read(up[0], &seen->f, sizeof(seen->f)) != sizeof(seen->f))
		seen->f.minflt = -1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (WIFSIGNALED(status))
		seen->signal = WTERMSIG(status);
	close(down[1]);
	close(up[0]);
	return 0;
}

/* Does what the child saw fit the outcome vmscope named? */
static void check_observed(struct __test_metadata *_metadata,
			   const char *outcome, const struct observed *seen)
{
	TH_LOG("outcome %s: signal %d, minflt %ld, majflt %ld", outcome,
	       seen->signal, seen->f.minflt, seen->f.majflt);
	if (!strncmp(outcome, "sigsegv", 7)) {
		EXPECT_EQ(SIGSEGV, seen->signal);
	} else if (!strcmp(outcome, "sigbus")) {
		EXPECT_EQ(SIGBUS, seen->signal);
	} else if (!strcmp(outcome, "none")) {
		EXPECT_EQ(0, seen->signal);
		EXPECT_EQ(0, seen->f.minflt);
		EXPECT_EQ(0, seen->f.majflt);
	} else if (!strncmp(outcome, "major", 5)) {
		EXPECT_EQ(0, seen->signal);
		EXPECT_EQ(1, seen->f.majflt);
	} else {
		/* minor-*, cow-*, stack-grow, write-notify */
		EXPECT_EQ(0, seen->signal);
		EXPECT_EQ(1, seen->f.minflt);
		EXPECT_EQ(0, seen->f.majflt);
	}
}

#define EXPLAIN_CASE(name, setup, access, expected)			\
TEST(name)								\
{									\
	char outcome[64] = "", skip[256];				\
	struct observed seen;						\
									\
	if (run_case(_metadata, setup, access, outcome,			\
		     sizeof(outcome), &seen, skip, sizeof(skip)))	\
		SKIP(return, "%s", skip);				\
	EXPECT_STREQ(expected, outcome);				\
	check_observed(_metadata, outcome, &seen);			\
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

/* Written, then shared with a child that holds still: COW on write. */
static char *shared_after_fork(const char **skip)
{
	char *p = written(skip);
	pid_t parent = getpid();
	pid_t pid;

	if (!p)
		return NULL;

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

static char *swapped(const char **skip)
{
	char *p = written(skip);

	if (!p)
		return NULL;
	if (madvise(p - PAGE, 4 * PAGE, MADV_PAGEOUT)) {
		*skip = "MADV_PAGEOUT failed (no swap?)";
		return NULL;
	}
	return p;
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
	static const char * const candidates[] = {
		"/usr/share/common-licenses/GPL-3", "/etc/services",
		"/usr/share/common-licenses/GPL-2",
	};
	unsigned char vec;
	size_t i;

	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		int fd = open(candidates[i], O_RDONLY);
		char *p;

		if (fd < 0)
			continue;
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
		if (p != MAP_FAILED && !mincore(p, PAGE, &vec) && !(vec & 1))
			return p;
	}
	*skip = "no host file could be dropped from the page cache";
	return NULL;
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

TEST_HARNESS_MAIN
