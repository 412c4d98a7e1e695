/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TEST_UTIL_H
#define VMSCOPE_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "slurp.h"	/* userspace/lib: slurp_fd() */
#include "pagesize.h"	/* userspace/lib: vs_page_size(), vs_pmd_size() */

/* Has the running kselftest case failed so far (tests/Makefile probes)? */
#ifdef VMS_HARNESS_EXIT_CODE
#define VMS_TEST_FAILED(m) ((m)->exit_code == KSFT_FAIL)
#else
#define VMS_TEST_FAILED(m) (!(m)->passed)
#endif

#define NOBODY_UID 65534
#define NOBODY_GID 65534

/* Read a whole file into a NUL-terminated malloc'd buffer; NULL on error. */
char *read_file(const char *path, size_t *len);
/* Write a string to a file (sysctls, debugfs); 0 or -errno. */
int write_file(const char *path, const char *text);

/*
 * Find one of the tree's programs for a test: $ENV if set, else
 * userspace/NAME next to the test's build/tests/.  Fills @path (PATH_MAX
 * bytes) and returns whether it is executable.
 */
bool find_userspace_program(const char *name, const char *env, char *path);


/*
 * A file built for the running kernel, REL under build/RELEASE/ (found
 * from the test program's own place, build/tests/): into path, and true
 * if it is readable.
 */
bool build_path(const char *rel, char *path, size_t size);

/*
 * Fields of /proc/PID/stat, numbered as proc(5) does (1-based), into
 * f[0..max); false unless the line was read and had all 52 fields.
 */
bool proc_stat_fields(pid_t pid, uint64_t *f, int max);

/*
 * File names a hostile user could give (issue #22): a newline, a tab, an
 * escape sequence, and a whole forged /proc/PID/maps line.
 * map_hostile_names() maps a written page of a memfd of each name,
 * shared, into the calling process (as /memfd:NAME (deleted)); 0 or -1.
 */
#define NR_HOSTILE_NAMES 4
extern const char *const hostile_names[NR_HOSTILE_NAMES];
int map_hostile_names(void);

/* Does /proc/cmdline contain this word? */
bool cmdline_has(const char *word);

/* Transparent huge pages are not [never] (madvise or always). */
bool thp_enabled(void);

/*
 * Run fn(arg) in a child that dropped to uid/gid nobody with no
 * capabilities; returns the child's exit status, or -1 if it died.
 */
int run_as_nobody(int (*fn)(void *arg), void *arg);

/* sysctl helpers that save and restore the previous value. */
struct saved_sysctl {
	char path[128];
	char value[64];
};
int sysctl_set(struct saved_sysctl *save, const char *path, const char *val);
void sysctl_restore(struct saved_sysctl *save);

/*
 * Make the calling process's own VMAs hold still while it reads its maps
 * twice: later allocations come from an already grown heap that is never
 * trimmed (no mmap() by malloc), and the stack is grown in advance by
 * stack_kb below the caller.
 */
void quiesce_self(size_t stack_kb);

/*
 * A child process driven in steps, for scenarios that need a second
 * address space: child_start() forks and runs fn(0, arg) in the child,
 * child_step() runs fn(1, arg), fn(2, arg), ...  Each call returns when
 * the child's step is done: 0, or -1 if fn failed or the child died.
 * Between steps the child waits, so its memory holds still while the
 * parent looks at it.  The child exits when the parent closes the pipe
 * (child_stop() or the parent's exit) and dies with the parent.
 */
struct child {
	pid_t pid;
	int cmd;	/* parent -> child */
	int ack;	/* child -> parent */
};

int child_start(struct child *c, int (*fn)(int step, void *arg), void *arg);
int child_step(struct child *c);
/* Close the pipe, kill the child if still there, reap it. */
void child_stop(struct child *c);

/*
 * Create a file of size bytes in dir (sparse: all holes), return its fd
 * and its name in path (PATH_MAX bytes); -errno on error.
 */
int make_file(const char *dir, size_t size, char *path);

/* A page of a host file not in the page cache, mapped at @at or anywhere. */
char *map_uncached_file(void *at);

/* The running kernel's page size (pagesize.h): never assume 4096. */
#define PG		vs_page_size()
/* The largest page size of an architecture vmscope runs on (arm64's). */
#define PAGE_SIZE_MAX	(64UL << 10)

/*
 * Built for x86_64 (the tests run on the kernel of their own build's
 * architecture): its 47/56-bit user space and LA57 rules apply.
 */
#ifdef __x86_64__
#define X86_64		1
#else
#define X86_64		0
#endif
#ifdef __aarch64__
#define ARM64		1
#else
#define ARM64		0
#endif

/* A pointer as the 64-bit address the module's ABI carries. */
#define ADDR(p)		((uint64_t)(uintptr_t)(p))

/* Page-align down/up. */
#define PAGE_DOWN(x)	((uint64_t)(x) & ~((uint64_t)PG - 1))
#define PAGE_UP(x)	(((uint64_t)(x) + PG - 1) & ~((uint64_t)PG - 1))

#endif /* VMSCOPE_TEST_UTIL_H */
