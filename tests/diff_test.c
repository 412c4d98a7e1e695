// SPDX-License-Identifier: GPL-2.0
/*
 * "vmscope diff" on real snapshots taken with the built client: a
 * process maps anonymous memory, snapshot A; it touches some pages and
 * forks, the child writes some of them (a COW copy) and one page of its
 * own; snapshot B of the parent and C of the child.  diff A B must call
 * exactly the touched pages newly present, diff B C exactly the pages
 * the child wrote "pfn-changed", with /proc/PID/pagemap (root: PFNs) as
 * the oracle of which pages came and which PFNs changed.
 *
 * The client is $VMSCOPE_CLIENT, or userspace/vmscope of the tree this
 * test was built in.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "json_read.h"	/* userspace/lib */
#include "lib/pagemap.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#define NPAGES 32

static const int touched[] = { 1, 2, 3, 7, 10, 11, 12, 13, 20 };
static const int child_wrote[] = { 2, 11, 12 };	/* of touched */
#define CHILD_NEW 25					/* not touched */

static char client[PATH_MAX];

/* Run the client with args (NULL-terminated), stdout to out; its status. */
static int run_to(const char *out, const char *const *args)
{
	const char *argv[12] = { client };
	int fd, status, i;
	pid_t pid;

	for (i = 0; args[i] && i < 10; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		execv(client, (char **)argv);
		_exit(127);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* "vmscope pages PID START-END --json [--runs]" into file. */
static int snapshot(const char *file, pid_t pid, char *base, bool runs)
{
	char p[16], range[64];
	const char *args[] = { "pages", p, range, "--json",
			       runs ? "--runs" : NULL, NULL };

	snprintf(p, sizeof(p), "%d", pid);
	snprintf(range, sizeof(range), "%lx-%lx", (unsigned long)base,
		 (unsigned long)base + NPAGES * PAGE_SZ);
	return run_to(file, args);
}

/*
 * "vmscope diff A B --json": which of the NPAGES pages from base are in
 * a run of the change kind.  false if the diff failed or is not JSON.
 */
static bool diff_pages(struct __test_metadata *_metadata, const char *dir,
		       const char *a, const char *b, char *base,
		       const char *kind, bool in[NPAGES])
{
	char out[PATH_MAX], err[128];
	const char *args[] = { "diff", a, b, "--json", NULL };
	const struct jv *changes;
	unsigned long long start, end, addr;
	struct jv *doc;
	char *text;
	size_t i;

	memset(in, 0, NPAGES * sizeof(*in));
	snprintf(out, sizeof(out), "%s/diff.json", dir);
	if (run_to(out, args) != 0)
		return false;
	text = read_file(out, NULL);
	doc = text ? json_parse(text, err, sizeof(err)) : NULL;
	free(text);
	changes = json_get(doc, "changes");
	if (!changes || changes->type != J_ARR) {
		TH_LOG("diff %s %s: no changes array (%s)", a, b, err);
		json_free(doc);
		return false;
	}
	for (i = 0; i < changes->len; i++) {
		const struct jv *c = &changes->items[i];
		const char *change = json_get_str(c, "change");

		if (!change || !json_get_hex(c, "start", &start) ||
		    !json_get_hex(c, "end", &end))
			continue;
		if (strcmp(change, kind))
			continue;
		for (addr = start; addr < end; addr += PAGE_SZ)
			if (addr >= (unsigned long)base &&
			    addr < (unsigned long)base + NPAGES * PAGE_SZ)
				in[(addr - (unsigned long)base) / PAGE_SZ] = true;
	}
	json_free(doc);
	return true;
}

static int child_writes(int step, void *arg)
{
	char *base = arg;
	size_t i;

	if (step != 1)
		return 0;
	for (i = 0; i < ARRAY_SIZE(child_wrote); i++)
		base[child_wrote[i] * PAGE_SZ] = 'c';
	base[CHILD_NEW * PAGE_SZ] = 'n';
	return 0;
}

FIXTURE(diff) {
	char dir[64];
	bool have_dir;
	char *base;
	struct child child;
	uint64_t pm_a[NPAGES], pm_b[NPAGES], pm_c[NPAGES];
};

FIXTURE_SETUP(diff)
{
	if (!find_userspace_program("vmscope", "VMSCOPE_CLIENT", client))
		SKIP(return, "no client at %.200s (make -C userspace, or set VMSCOPE_CLIENT)",
		     client);
	if (access(VMSCOPE_DEBUGFS, F_OK))
		SKIP(return, "vmscope module not loaded");
	snprintf(self->dir, sizeof(self->dir), "/tmp/vmscope-diff.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	self->have_dir = true;
	self->base = mmap(NULL, NPAGES * PAGE_SZ, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->base);
	/* Small pages only: a THP would make every page present at once. */
	ASSERT_EQ(0, madvise(self->base, NPAGES * PAGE_SZ, MADV_NOHUGEPAGE));
}

FIXTURE_TEARDOWN(diff)
{
	char cmd[128];

	if (self->child.pid > 0)
		child_stop(&self->child);
	if (self->base && self->base != MAP_FAILED)
		munmap(self->base, NPAGES * PAGE_SZ);
	if (self->have_dir) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
		if (system(cmd))
			TH_LOG("could not remove %s", self->dir);
	}
}

static void path(char *buf, const char *dir, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
}

/* The pages whose pagemap entries went from absent to present. */
static void oracle_new(const uint64_t *from, const uint64_t *to, bool *in)
{
	int i;

	for (i = 0; i < NPAGES; i++)
		in[i] = !(from[i] & PM_PRESENT) && (to[i] & PM_PRESENT);
}

/* The pages present on both sides with another PFN. */
static void oracle_pfn(const uint64_t *from, const uint64_t *to, bool *in)
{
	int i;

	for (i = 0; i < NPAGES; i++)
		in[i] = (from[i] & PM_PRESENT) && (to[i] & PM_PRESENT) &&
			pm_pfn(from[i]) != pm_pfn(to[i]);
}

static void expect_pages(struct __test_metadata *_metadata, const char *what,
			 const bool *got, const bool *oracle, const int *want,
			 size_t nwant)
{
	bool expected[NPAGES] = { false };
	size_t i;

	for (i = 0; i < nwant; i++)
		expected[want[i]] = true;
	for (i = 0; i < NPAGES; i++) {
		EXPECT_EQ(expected[i], oracle[i])
			TH_LOG("%s: page %zu: pagemap says %d, the test did %d",
			       what, i, oracle[i], expected[i]);
		EXPECT_EQ(oracle[i], got[i])
			TH_LOG("%s: page %zu: diff says %d, pagemap %d", what,
			       i, got[i], oracle[i]);
	}
}

TEST_F(diff, touched_pages_are_new_and_child_writes_are_copies)
{
	char a[PATH_MAX], b[PATH_MAX], br[PATH_MAX], c[PATH_MAX];
	bool got[NPAGES], oracle[NPAGES];
	size_t i;

	path(a, self->dir, "a.json");
	path(b, self->dir, "b.json");
	path(br, self->dir, "b-runs.json");
	path(c, self->dir, "c.json");

	ASSERT_EQ(0, snapshot(a, getpid(), self->base, false));
	ASSERT_EQ(0, pagemap_read(getpid(), (uintptr_t)self->base, NPAGES,
				  self->pm_a));
	for (i = 0; i < ARRAY_SIZE(touched); i++)
		self->base[touched[i] * PAGE_SZ] = 't';
	ASSERT_EQ(0, child_start(&self->child, child_writes, self->base));
	ASSERT_EQ(0, child_step(&self->child));
	/* The parent writes nothing from here on: its pages stay shared. */
	ASSERT_EQ(0, snapshot(b, getpid(), self->base, false));
	ASSERT_EQ(0, snapshot(br, getpid(), self->base, true));
	ASSERT_EQ(0, snapshot(c, self->child.pid, self->base, false));
	ASSERT_EQ(0, pagemap_read(getpid(), (uintptr_t)self->base, NPAGES,
				  self->pm_b));
	ASSERT_EQ(0, pagemap_read(self->child.pid, (uintptr_t)self->base,
				  NPAGES, self->pm_c));

	oracle_new(self->pm_a, self->pm_b, oracle);
	ASSERT_TRUE(diff_pages(_metadata, self->dir, a, b, self->base,
			       "newly-present", got));
	expect_pages(_metadata, "A -> B newly-present", got, oracle, touched,
		     ARRAY_SIZE(touched));
	ASSERT_TRUE(diff_pages(_metadata, self->dir, a, br, self->base,
			       "newly-present", got));
	expect_pages(_metadata, "A -> B (--runs) newly-present", got, oracle,
		     touched, ARRAY_SIZE(touched));

	oracle_pfn(self->pm_b, self->pm_c, oracle);
	ASSERT_TRUE(diff_pages(_metadata, self->dir, b, c, self->base,
			       "pfn-changed", got));
	expect_pages(_metadata, "parent -> child pfn-changed", got, oracle,
		     child_wrote, ARRAY_SIZE(child_wrote));
	oracle_new(self->pm_b, self->pm_c, oracle);
	ASSERT_TRUE(diff_pages(_metadata, self->dir, b, c, self->base,
			       "newly-present", got));
	expect_pages(_metadata, "parent -> child newly-present", got, oracle,
		     (const int[]){ CHILD_NEW }, 1);
}

static int new_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "we");
	int err;

	if (!f)
		return -errno;
	err = fputs(text, f) < 0;
	return fclose(f) || err ? -EIO : 0;
}

/*
 * A snapshot is a file, and may come from another machine: addresses
 * above 2^32 (any x86_64 process's) read back whole in a 32-bit build
 * too, whose JSON reader once kept numbers in a 32-bit unsigned long.
 * The oracle is the two documents written here: one page, present in A,
 * swapped out in B, at an address aligned for any page size.
 */
TEST(snapshot_addresses_above_4g_are_kept)
{
	static const char fmt[] = "{\"pid\": 1, \"pages\": [{\"addr\": \"0x%llx\", "
		"\"state\": \"%s\", \"pfn\": %s, \"swap_type\": %s, "
		"\"swap_offset\": %s, \"write\": true, \"dirty\": true, "
		"\"young\": true, \"soft_dirty\": true, \"exclusive\": true, "
		"\"cow\": false, \"zero\": false, \"thp\": false, "
		"\"anon\": true, \"file\": false, \"mapcount\": 1, "
		"\"page_cache\": false, \"level\": \"pte\", \"order\": 0, "
		"\"flags\": [\"write\", \"dirty\"]}]}\n";
	const unsigned long long addr = 0x7ffd5e3a0000ULL;
	char dir[] = "/tmp/vmscope-diff.XXXXXX", a[PATH_MAX], b[PATH_MAX];
	char out[PATH_MAX], doc_a[1024], doc_b[1024], err[128];
	const char *args[] = { "diff", a, b, "--json", NULL };
	const struct jv *changes;
	unsigned long long start = 0, end = 0;
	struct jv *doc;
	char *text;

	if (!find_userspace_program("vmscope", "VMSCOPE_CLIENT", client))
		SKIP(return, "no client at %.200s (make -C userspace, or set VMSCOPE_CLIENT)",
		     client);
	ASSERT_NE(NULL, mkdtemp(dir));
	path(a, dir, "a.json");
	path(b, dir, "b.json");
	path(out, dir, "diff.json");
	snprintf(doc_a, sizeof(doc_a), fmt, addr, "present", "513135", "null",
		 "null");
	snprintf(doc_b, sizeof(doc_b), fmt, addr, "swap", "null", "0", "77");
	ASSERT_EQ(0, new_file(a, doc_a));
	ASSERT_EQ(0, new_file(b, doc_b));
	EXPECT_EQ(0, run_to(out, args));
	text = read_file(out, NULL);
	doc = text ? json_parse(text, err, sizeof(err)) : NULL;
	changes = json_get(doc, "changes");
	ASSERT_TRUE(changes && changes->type == J_ARR && changes->len == 1)
		TH_LOG("diff: %s (%s)", text ? text : "no output", err);
	EXPECT_TRUE(json_get_hex(&changes->items[0], "start", &start));
	EXPECT_TRUE(json_get_hex(&changes->items[0], "end", &end));
	EXPECT_EQ(addr, start);
	EXPECT_EQ(addr + PG, end);
	json_free(doc);
	free(text);
	unlink(a);
	unlink(b);
	unlink(out);
	rmdir(dir);
}

TEST_HARNESS_MAIN
