// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope's maps file against the kernel's own views: /proc/PID/maps line
 * by line, /proc/PID/smaps for the VMA flags and PSS, pagemap/kpageflags
 * and mincore() for the page counts, the program's own symbols for kind=.
 *
 * VMSCOPE_ORACLE_ONLY=1 stops each test after the oracle side.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/pagemap.h"
#include "lib/tally.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define PR_SET_VMA_ 0x53564d41
#define PR_SET_VMA_ANON_NAME_ 0

#define PAGE PAGE_SZ
#define PMD_SIZE vs_pmd_size()

static bool oracle_only(void)
{
	return getenv("VMSCOPE_ORACLE_ONLY");
}

/* vmscope's maps of pid (pid <= 0: of the reader), or fail the test. */
static void get_maps(struct __test_metadata *_metadata, pid_t pid,
		     struct vms_maps *m)
{
	char why[VMS_WHY];

	ASSERT_EQ(0, vms_maps(pid, m, why)) TH_LOG("%s", why);
}

/* Line by line: the maps fields and the path. */
static void expect_same_vmas(struct __test_metadata *_metadata,
			     const struct vms_maps *vm,
			     const struct proc_maps *pm)
{
	struct tally bad = { 0 };
	char why[1024];
	int i;

	EXPECT_EQ(pm->n, vm->n) TH_LOG("VMA count: vmscope %d, maps %d",
				       vm->n, pm->n);
	for (i = 0; i < vm->n && i < pm->n; i++) {
		const struct vms_vma *v = &vm->v[i];
		const struct proc_vma *p = &pm->v[i];

		snprintf(why, sizeof(why),
			 "line %d: vmscope '%s %s', maps '%s %s'", i + 1,
			 v->head, v->path, p->head, p->path);
		note(&bad, strcmp(v->head, p->head) || strcmp(v->path, p->path),
		     why);
	}
	for (; i < pm->n; i++) {
		snprintf(why, sizeof(why), "vmscope lacks '%s %s'",
			 pm->v[i].head, pm->v[i].path);
		note(&bad, 1, why);
	}
	for (; i < vm->n; i++) {
		snprintf(why, sizeof(why), "vmscope adds '%s %s'",
			 vm->v[i].head, vm->v[i].path);
		note(&bad, 1, why);
	}
	EXPECT_CLEAN(bad, "maps");
}

/*
 * A process's maps from vmscope and /proc at one moment: /proc is read
 * before and after vmscope and the three must agree; retried, since a
 * process reading its own maps allocates memory doing so.
 */
static void expect_maps_match(struct __test_metadata *_metadata, pid_t pid,
			      bool ask)
{
	pid_t target = pid > 0 ? pid : getpid();
	struct proc_maps before, after;
	struct vms_maps vm;
	int tries;

	if (target == getpid())
		quiesce_self(256);
	for (tries = 0; tries < 10; tries++) {
		ASSERT_EQ(0, proc_maps_read(target, &before));
		if (oracle_only()) {
			proc_maps_free(&before);
			return;
		}
		get_maps(_metadata, ask ? target : 0, &vm);
		ASSERT_EQ(0, proc_maps_read(target, &after));
		if (proc_maps_equal(&before, &after))
			break;
		proc_maps_free(&before);
		proc_maps_free(&after);
		vms_maps_free(&vm);
	}
	ASSERT_GT(10, tries) TH_LOG("oracle: maps of %d never held still",
				    target);
	expect_same_vmas(_metadata, &vm, &after);
	proc_maps_free(&before);
	proc_maps_free(&after);
	vms_maps_free(&vm);
}

/* ---- line by line ---------------------------------------------------- */

TEST(own_maps_match_proc_maps)
{
	expect_maps_match(_metadata, getpid(), true);
}

TEST(reading_without_a_question_shows_the_reader)
{
	expect_maps_match(_metadata, getpid(), false);
}

/*
 * The vsyscall gate VMA: not in the mm's VMA tree, yet /proc/PID/maps
 * prints it last (get_gate_vma()) unless vsyscall=none, Debian's default
 * (CONFIG_LEGACY_VSYSCALL_NONE); upstream's default is XONLY ("--xp").
 * vmscope must print the same line, and call it a vDSO-like region.
 */
TEST(vsyscall_gate_vma_as_proc_maps)
{
	const struct proc_vma *p = NULL;
	const struct vms_vma *v = NULL;
	struct proc_maps pm;
	struct vms_maps vm;
	int i;

	ASSERT_EQ(0, proc_maps_read(getpid(), &pm));
	for (i = 0; i < pm.n; i++)
		if (!strcmp(pm.v[i].path, "[vsyscall]"))
			p = &pm.v[i];
	if (!p) {
		proc_maps_free(&pm);
		SKIP(return, "no [vsyscall] in /proc/self/maps: this kernel runs with vsyscall=none (CONFIG_LEGACY_VSYSCALL_NONE or the command line)");
	}
	get_maps(_metadata, 0, &vm);
	for (i = 0; i < vm.n; i++)
		if (!strcmp(vm.v[i].path, "[vsyscall]"))
			v = &vm.v[i];
	ASSERT_NE(NULL, v) TH_LOG("vmscope lacks '%s [vsyscall]'", p->head);
	EXPECT_STREQ(p->head, v->head);
	EXPECT_STREQ("vdso", vms_kind_name(v->kind));
	EXPECT_EQ(&vm.v[vm.n - 1], v) TH_LOG("the gate VMA is not last");
	vms_maps_free(&vm);
	proc_maps_free(&pm);
}

static int child_idles(int step, void *arg)
{
	return 0;
}

TEST(new_question_replaces_the_old_one)
{
	struct proc_maps pm;
	struct vms_maps vm;
	struct child c;
	char q[32], buf[256], why[VMS_WHY], *text;
	size_t size = 0;
	ssize_t n;
	int fd;

	ASSERT_EQ(0, child_start(&c, child_idles, NULL));
	ASSERT_EQ(0, proc_maps_read(c.pid, &pm));
	if (oracle_only())
		SKIP(return, "oracle only");
	fd = open(VMSCOPE_DEBUGFS "/maps", O_RDWR);
	ASSERT_LE(0, fd);
	snprintf(q, sizeof(q), "%d\n", getpid());
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
	ASSERT_LT(0, read(fd, buf, sizeof(buf)));
	snprintf(q, sizeof(q), "%d\n", c.pid);
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
	text = malloc(1 << 20);
	ASSERT_NE(NULL, text);
	while ((n = read(fd, text + size, (1 << 20) - 1 - size)) > 0)
		size += n;
	ASSERT_EQ(0, n) TH_LOG("read: %s", strerror(errno));
	text[size] = '\0';
	close(fd);
	ASSERT_EQ(0, vms_maps_parse(text, &vm, why)) TH_LOG("%s", why);
	expect_same_vmas(_metadata, &vm, &pm);
	vms_maps_free(&vm);
	proc_maps_free(&pm);
	child_stop(&c);
}

/* Every other page read-only: one VMA per page. */
static int child_makes_vmas(int step, void *arg)
{
	long n = (long)arg, i;
	char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (i = 1; i < n; i += 2)
		if (mprotect(p + i * PAGE, PAGE, PROT_READ))
			return -1;
	return 0;
}

FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

TEST_F_TIMEOUT(slow, child_with_10000_vmas_matches_proc_maps, 300)
{
	struct proc_maps pm;
	struct child c;

	ASSERT_EQ(0, child_start(&c, child_makes_vmas, (void *)10000L));
	ASSERT_EQ(0, proc_maps_read(c.pid, &pm));
	ASSERT_LE(10000, pm.n) TH_LOG("oracle: only %d VMAs", pm.n);
	proc_maps_free(&pm);
	expect_maps_match(_metadata, c.pid, true);
	child_stop(&c);
}

static int child_maps_hostile_names(int step, void *arg)
{
	return step ? 0 : map_hostile_names();
}

/*
 * The "vma" line of explain's answer ends in the name as /proc/PID/maps
 * prints it, and no other line of the answer looks like a maps line.
 */
static void expect_explain_names(struct __test_metadata *_metadata,
				 pid_t pid, const struct proc_vma *v)
{
	char q[64], *line, *save = NULL;
	struct vms_answer a;
	size_t len, plen = strlen(v->path);
	int vma_lines = 0;

	snprintf(q, sizeof(q), "%d 0x%llx", pid, (unsigned long long)v->start);
	ASSERT_EQ(0, vms_ask("explain", q, 0, &a)) TH_LOG("%s", a.text ?: "");
	for (line = strtok_r(a.text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		EXPECT_NE(0, strncmp(line, "7f0000000000-", 13))
			TH_LOG("forged line '%s'", line);
		if (strncmp(line, "vma ", 4))
			continue;
		vma_lines++;
		len = strlen(line);
		EXPECT_TRUE(len > plen && line[len - plen - 1] == ' ' &&
			    !strcmp(line + len - plen, v->path))
			TH_LOG("explain '%s', maps '%s'", line, v->path);
	}
	EXPECT_EQ(1, vma_lines);
	vms_answer_free(&a);
}

/*
 * Names with a newline, a tab, an escape sequence, a forged maps line
 * (issue #22): maps and explain print them as /proc/PID/maps does (a
 * newline as \012, the rest as it is), one VMA per line.
 */
TEST(hostile_names_print_as_proc_maps)
{
	struct proc_maps pm;
	struct child c;
	int i, seen = 0, forged = 0;

	ASSERT_EQ(0, child_start(&c, child_maps_hostile_names, NULL));
	ASSERT_EQ(0, proc_maps_read(c.pid, &pm));
	for (i = 0; i < pm.n; i++) {
		seen += strstr(pm.v[i].path, "/memfd:") != NULL;
		forged += strstr(pm.v[i].path, "x\\0127f0000000000-") != NULL;
	}
	ASSERT_EQ(NR_HOSTILE_NAMES, seen) TH_LOG("oracle: memfds in maps");
	ASSERT_EQ(1, forged) TH_LOG("oracle: maps does not escape newlines");
	if (oracle_only()) {
		proc_maps_free(&pm);
		child_stop(&c);
		SKIP(return, "oracle only");
	}
	for (i = 0; i < pm.n; i++)
		if (strstr(pm.v[i].path, "/memfd:"))
			expect_explain_names(_metadata, c.pid, &pm.v[i]);
	expect_maps_match(_metadata, c.pid, true);
	proc_maps_free(&pm);
	child_stop(&c);
}

TEST(named_anon_vma_shows_its_name)
{
	const struct vms_vma *v;
	struct vms_maps vm;
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	if (prctl(PR_SET_VMA_, PR_SET_VMA_ANON_NAME_, p, 4 * PAGE,
		  "vmscope-test") && errno == EINVAL)
		SKIP(return, "PR_SET_VMA_ANON_NAME: EINVAL (CONFIG_ANON_VMA_NAME off)");
	expect_maps_match(_metadata, getpid(), true);
	if (oracle_only())
		return;
	get_maps(_metadata, getpid(), &vm);
	v = vms_maps_find(&vm, ADDR(p));
	ASSERT_NE(NULL, v);
	EXPECT_STREQ("[anon:vmscope-test]", v->path);
	vms_maps_free(&vm);
}

/* ---- kind= ------------------------------------------------------------ */

int data_marker = 42;			/* .data */
int bss_small;				/* .bss, may share the data page */
static char bss_big[1 << 20];		/* .bss, past the file: anonymous */

static void __attribute__((noinline)) text_marker(void)
{
	__asm__ volatile("");
}

static const char *kind_at(struct __test_metadata *_metadata,
			   const struct vms_maps *vm, const void *addr)
{
	const struct vms_vma *v = vms_maps_find(vm, ADDR(addr));

	EXPECT_NE(NULL, v) TH_LOG("vmscope: no VMA at %p", addr);
	return v ? vms_kind_name(v->kind) : "(no VMA)";
}

TEST(program_regions_have_their_kinds)
{
	volatile char local = 0;
	struct vms_maps vm;
	const char *bss;
	char *brk_end;

	/* A heap with something in it. */
	ASSERT_NE((void *)-1, sbrk(PAGE));
	brk_end = sbrk(0);
	bss_big[sizeof(bss_big) - 1] = 1;
	if (oracle_only())
		SKIP(return, "oracle only");
	get_maps(_metadata, getpid(), &vm);
	EXPECT_STREQ("text", kind_at(_metadata, &vm, (void *)text_marker));
	EXPECT_STREQ("data", kind_at(_metadata, &vm, &data_marker));
	bss = kind_at(_metadata, &vm, &bss_small);
	EXPECT_TRUE(!strcmp(bss, "bss") || !strcmp(bss, "data"))
		TH_LOG("small zero global in kind=%s", bss);
	EXPECT_STREQ("bss", kind_at(_metadata, &vm,
				    &bss_big[sizeof(bss_big) - 1]));
	EXPECT_STREQ("heap", kind_at(_metadata, &vm, brk_end - 1));
	EXPECT_STREQ("stack", kind_at(_metadata, &vm, (void *)&local));
	vms_maps_free(&vm);
}

TEST(mappings_have_their_kinds)
{
	char path[PATH_MAX], *anon, *none, *shanon, *fpriv, *fshared;
	const struct proc_vma *vvar;
	struct proc_maps pm;
	struct vms_maps vm;
	int fd = make_file("/tmp", 4 * PAGE, path);

	ASSERT_LE(0, fd);
	anon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	shanon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fpriv = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	fshared = mmap(NULL, 4 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_TRUE(anon != MAP_FAILED && none != MAP_FAILED &&
		    shanon != MAP_FAILED && fpriv != MAP_FAILED &&
		    fshared != MAP_FAILED);
	ASSERT_EQ(0, proc_maps_read(getpid(), &pm));
	vvar = NULL;
	for (int i = 0; i < pm.n && !vvar; i++)
		if (!strcmp(pm.v[i].path, "[vvar]"))
			vvar = &pm.v[i];
	if (oracle_only())
		SKIP(return, "oracle only");
	get_maps(_metadata, getpid(), &vm);
	EXPECT_STREQ("mmap-anon", kind_at(_metadata, &vm, anon));
	EXPECT_STREQ("guard", kind_at(_metadata, &vm, none));
	EXPECT_STREQ("shared-anon", kind_at(_metadata, &vm, shanon));
	EXPECT_STREQ("file-private", kind_at(_metadata, &vm, fpriv));
	EXPECT_STREQ("file-shared", kind_at(_metadata, &vm, fshared));
	EXPECT_STREQ("vdso", kind_at(_metadata, &vm,
				     (void *)getauxval(AT_SYSINFO_EHDR)));
	/* uapi/vmscope.h: VMSCOPE_VMA_VDSO is [vdso], [vvar], [vsyscall]. */
	if (vvar)
		EXPECT_STREQ("vdso", kind_at(_metadata, &vm,
					     (void *)(uintptr_t)vvar->start))
			TH_LOG("[vvar]");
	vms_maps_free(&vm);
	proc_maps_free(&pm);
	unlink(path);
}

/* ---- flags= against smaps VmFlags ----------------------------------- */

/* vmscope's flag names and the VmFlags mnemonics that mean them. */
static const struct {
	const char *name;
	const char *vmflags[3];
} flag_map[] = {
	{ "growsdown", { "gd" } },
	{ "locked", { "lo" } },
	{ "hugepage", { "hg" } },
	{ "nohugepage", { "nh" } },
	{ "pfnmap", { "pf" } },
	{ "io", { "io" } },
	{ "mergeable", { "mg" } },
	{ "dontcopy", { "dc" } },
	{ "wipeonfork", { "wf" } },
	{ "uffd", { "um", "uw", "ui" } },
	{ "softdirty", { "sd" } },
	{ "hugetlb", { "ht" } },
	{ "mixedmap", { "mm" } },
};

#define NFLAGS ((int)(sizeof(flag_map) / sizeof(flag_map[0])))

static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

static unsigned int smaps_flag_bits(const char *vmflags)
{
	unsigned int bits = 0;
	int i, j;

	for (i = 0; i < NFLAGS; i++)
		for (j = 0; j < 3 && flag_map[i].vmflags[j]; j++)
			if (has_word(vmflags, flag_map[i].vmflags[j]))
				bits |= 1U << i;
	return bits;
}

static unsigned int vms_flag_bits(const struct vms_vma *v)
{
	unsigned int bits = 0;
	int i;

	for (i = 0; i < NFLAGS; i++)
		if (vms_vma_has_flag(v, flag_map[i].name))
			bits |= 1U << i;
	return bits;
}

static const char *bits_str(unsigned int bits, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < NFLAGS; i++)
		if (bits & (1U << i))
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", flag_map[i].name);
	return used ? buf : "-";
}

static int child_sets_flags(int step, void *arg)
{
	char *p = mmap(NULL, 12 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mlock(p, 2 * PAGE) ||
	    madvise(p + 2 * PAGE, 2 * PAGE, MADV_HUGEPAGE) ||
	    madvise(p + 4 * PAGE, 2 * PAGE, MADV_NOHUGEPAGE) ||
	    madvise(p + 6 * PAGE, 2 * PAGE, MADV_DONTFORK) ||
	    madvise(p + 8 * PAGE, 2 * PAGE, MADV_WIPEONFORK))
		return -1;
	/* KSM may be off; mergeable is then simply absent on both sides. */
	madvise(p + 10 * PAGE, 2 * PAGE, MADV_MERGEABLE);
	/* Soft-dirty off everywhere, then on again for one new VMA. */
	if (write_file("/proc/self/clear_refs", "4"))
		return -1;
	return mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		    0) == MAP_FAILED;
}

TEST(flags_match_smaps_vmflags)
{
	struct tally bad = { 0 };
	struct smaps_vma *sm;
	struct vms_maps vm;
	struct child c;
	char why[1024], a[256];
	int n, i, j;

	ASSERT_EQ(0, child_start(&c, child_sets_flags, NULL));
	n = smaps_read(c.pid, &sm);
	ASSERT_LT(0, n);
	if (oracle_only())
		SKIP(return, "oracle only");
	get_maps(_metadata, c.pid, &vm);
	for (i = 0; i < vm.n; i++) {
		const struct vms_vma *v = &vm.v[i];
		unsigned int want = 0, got = vms_flag_bits(v);

		for (j = 0; j < n; j++)
			if (sm[j].start == v->start)
				want = smaps_flag_bits(sm[j].vmflags);
		snprintf(why, sizeof(why), "%s %s: vmscope flags=%s, smaps %s",
			 v->head, v->path, v->flags, bits_str(want, a, sizeof(a)));
		note(&bad, got != want, why);
	}
	EXPECT_CLEAN(bad, "flags");
	vms_maps_free(&vm);
	free(sm);
	child_stop(&c);
}

/* ---- page counts ------------------------------------------------------ */

struct count_setup {
	int fd;			/* sparse tmpfs file: pages 0-1, 40-41 */
	char **addr;		/* shared: the child's a, sw, thp, f */
};

/*
 * A child with one of each: written, read (zero page) and untouched anon
 * pages, swapped pages, a THP, and a shared file mapping with mapped,
 * cached-but-unmapped and uncached pages.
 */
/* A private anonymous rw mapping with a PROT_NONE page on each side. */
static char *place_apart(size_t len)
{
	char *p = mmap(NULL, len + 2 * PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + PAGE, len, PROT_READ | PROT_WRITE))
		return NULL;
	return p + PAGE;
}

static int child_fills_memory(int step, void *arg)
{
	struct count_setup *s = arg;
	char *a, *sw, *raw, *thp, *f;
	int i;

	/*
	 * Adjacent anonymous mappings with the same flags merge into one
	 * VMA, and where mmap() puts them decides whether they touch: keep
	 * a PROT_NONE page between the regions, so each is its own VMA.
	 */
	a = place_apart(16 * PAGE);
	sw = place_apart(16 * PAGE);
	raw = place_apart(2 * PMD_SIZE);
	f = mmap(NULL, 64 * PAGE, PROT_READ, MAP_SHARED, s->fd, 0);
	if (!a || !sw || !raw || f == MAP_FAILED)
		return -1;
	for (i = 0; i < 8; i++)
		a[i * PAGE] = 1;
	for (i = 8; i < 12; i++)
		(void)*(volatile char *)(a + i * PAGE);
	memset(sw, 3, 16 * PAGE);
	madvise(sw, 16 * PAGE, MADV_PAGEOUT);	/* may fail: no swap */
	thp = (char *)(((uintptr_t)raw + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
	madvise(thp, PMD_SIZE, MADV_HUGEPAGE);
	memset(thp, 4, PMD_SIZE);
	/*
	 * Pages 0-1 and 40-41 are cached; fault-around (64 KiB) maps the
	 * cached pages near page 0: 0-1 mapped, 40-41 only cached.
	 */
	(void)*(volatile char *)f;
	s->addr[0] = a;
	s->addr[1] = sw;
	s->addr[2] = thp;
	s->addr[3] = f;
	return 0;
}

/* What the oracle says about one VMA. */
struct vma_truth {
	uint64_t start, end;
	bool pages_known;	/* pagemap walks it (not VM_PFNMAP) */
	struct oracle_counts o;
	bool cache_known;	/* cache and none are known */
	uint64_t cache;		/* cached, not mapped */
	int64_t pss_kb;		/* -1: no smaps entry */
};

/*
 * Where to ask mincore() about a VMA's page cache: the file itself, or,
 * for shared memory the child inherited (shared anon, deleted files),
 * our own mapping of the same object at the same address.
 */
enum cache_source { CACHE_NONE, CACHE_FILE, CACHE_OURS, CACHE_UNKNOWN };

static enum cache_source cache_source(const struct proc_vma *v,
				      const struct proc_maps *mine)
{
	const struct proc_vma *m = proc_maps_find(mine, v->start);

	if (!v->inode)
		return CACHE_NONE;
	if (v->path[0] == '/' && !strstr(v->path, " (deleted)"))
		return CACHE_FILE;
	if (m && m->start == v->start && m->end == v->end &&
	    m->inode == v->inode && !strcmp(m->head, v->head))
		return CACHE_OURS;
	return CACHE_UNKNOWN;
}

/* Cached but not mapped pages of a VMA, by mincore(). */
static int oracle_cache(pid_t pid, const struct proc_vma *v,
			enum cache_source src, uint64_t *cache)
{
	size_t n = (v->end - v->start) / PAGE, i;
	bool *res = calloc(n, sizeof(*res));
	uint64_t *pm = calloc(n, sizeof(*pm));
	int err;

	*cache = 0;
	if (!res || !pm)
		err = -ENOMEM;
	else if (src == CACHE_FILE)
		err = file_cached_pages(v->path, v->offset / PAGE, n, res);
	else
		err = mincore_pages((void *)(uintptr_t)v->start, n, res);
	if (!err)
		err = pagemap_read(pid, v->start, n, pm);
	for (i = 0; i < n && !err; i++)
		*cache += res[i] && !(pm[i] & (PM_PRESENT | PM_SWAP));
	free(res);
	free(pm);
	return err;
}

/* The oracle's counts for every VMA of pid below task_size. */
static int vma_truths(struct __test_metadata *_metadata, pid_t pid,
		      uint64_t task_size, struct vma_truth **out)
{
	struct proc_maps pm, mine;
	struct smaps_vma *sm;
	struct vma_truth *t;
	int i, j, n;

	ASSERT_EQ(0, proc_maps_read(pid, &pm));
	ASSERT_EQ(0, proc_maps_read(getpid(), &mine));
	n = smaps_read(pid, &sm);
	ASSERT_LT(0, n);
	t = calloc(pm.n, sizeof(*t));
	ASSERT_NE(NULL, t);
	for (i = 0; i < pm.n; i++) {
		const struct proc_vma *v = &pm.v[i];
		enum cache_source src = cache_source(v, &mine);

		t[i].start = v->start;
		t[i].end = v->end;
		t[i].pss_kb = -1;
		for (j = 0; j < n; j++) {
			if (sm[j].start != v->start)
				continue;
			t[i].pss_kb = sm[j].pss_kb;
			/* pagemap reports VM_PFNMAP VMAs as holes. */
			t[i].pages_known = !strstr(sm[j].vmflags, "pf");
		}
		if (v->end > task_size || !t[i].pages_known)
			continue;	/* [vsyscall], [vvar]: not in pagemap */
		ASSERT_EQ(0, oracle_count(pid, v->start, v->end, &t[i].o));
		t[i].cache_known = src != CACHE_UNKNOWN;
		if (src == CACHE_FILE || src == CACHE_OURS)
			ASSERT_EQ(0, oracle_cache(pid, v, src, &t[i].cache))
				TH_LOG("oracle: mincore of %s", v->path);
	}
	free(sm);
	n = pm.n;
	proc_maps_free(&pm);
	proc_maps_free(&mine);
	*out = t;
	return n;
}

static const struct vma_truth *truth_at(const struct vma_truth *t, int n,
					uint64_t addr)
{
	int i;

	for (i = 0; i < n; i++)
		if (t[i].start <= addr && addr < t[i].end)
			return &t[i];
	return NULL;
}

TEST(counts_match_pagemap_mincore_and_smaps)
{
	const struct vma_truth *a, *sw, *thp, *f;
	struct tally bad = { 0 };
	struct count_setup s;
	struct vma_truth *t;
	struct vms_maps vm;
	struct child c;
	uint64_t task_size;
	char path[PATH_MAX], buf[PAGE], why[1024];
	int i, n;

	ASSERT_TRUE(layout_value("task_size", &task_size));
	s.fd = make_file("/tmp", 64 * PAGE, path);
	ASSERT_LE(0, s.fd);
	memset(buf, 'c', PAGE);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(PAGE, pwrite(s.fd, buf, PAGE, (i < 2 ? i : 38 + i) * PAGE));
	s.addr = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s.addr);
	ASSERT_EQ(0, child_start(&c, child_fills_memory, &s));
	/* Map the shared page here too before anyone counts it. */
	(void)*(char *volatile *)s.addr;
	n = vma_truths(_metadata, c.pid, task_size, &t);

	/* The oracle sees the scenario (swap and THP if the kernel gave them). */
	a = truth_at(t, n, ADDR(s.addr[0]));
	sw = truth_at(t, n, ADDR(s.addr[1]));
	thp = truth_at(t, n, ADDR(s.addr[2]));
	f = truth_at(t, n, ADDR(s.addr[3]));
	ASSERT_TRUE(a && sw && thp && f);
	ASSERT_EQ(12, a->o.present);
	ASSERT_EQ(4, a->o.zero);
	ASSERT_EQ(2, f->o.present);
	ASSERT_EQ(2, f->cache);
	TH_LOG("oracle: %llu of 16 pages swapped, %llu THP pages",
	       (unsigned long long)sw->o.swap, (unsigned long long)thp->o.thp);
	if (oracle_only())
		SKIP(return, "oracle only");

	get_maps(_metadata, c.pid, &vm);
	for (i = 0; i < vm.n; i++) {
		const struct vms_vma *v = &vm.v[i];
		const struct vms_counts *k = &v->c;
		const struct vma_truth *o = truth_at(t, n, v->start);
		uint64_t pages = (v->end - v->start) / PAGE;

		if (v->end > task_size)
			continue;
		ASSERT_NE(NULL, o) TH_LOG("no such VMA: %s", v->head);
		if (!o->pages_known)
			continue;
#define COUNT(field, oracle_value) do {					\
		snprintf(why, sizeof(why), "%s %s: " #field "=%llu, oracle %llu", \
			 v->head, v->path, (unsigned long long)k->field,	\
			 (unsigned long long)(oracle_value));		\
		note(&bad, k->field != (oracle_value), why);		\
	} while (0)
		COUNT(present, o->o.present);
		COUNT(swap, o->o.swap);
		COUNT(zero, o->o.zero);
		COUNT(thp, o->o.thp);
		COUNT(other, 0);
		if (o->cache_known) {
			COUNT(cache, o->cache);
			COUNT(none, pages - o->o.present - o->o.swap - o->cache);
		}
		COUNT(none + k->cache, pages - o->o.present - o->o.swap);
#undef COUNT
		/*
		 * smaps and vmscope may round PSS differently.  Pages of
		 * libraries and programs are shared with processes that come
		 * and go between the two reads: compare PSS only where the
		 * test alone maps the pages (anonymous memory, its file).
		 */
		if (v->inode && v->start != f->start)
			continue;
		snprintf(why, sizeof(why), "%s %s: pss_kb=%llu, smaps Pss %lld kB",
			 v->head, v->path, (unsigned long long)k->pss_kb,
			 (long long)o->pss_kb);
		note(&bad, o->pss_kb >= 0 && (k->pss_kb + 1 < (uint64_t)o->pss_kb ||
					     k->pss_kb > (uint64_t)o->pss_kb + 1),
		     why);
	}
	EXPECT_CLEAN(bad, "counts");
	vms_maps_free(&vm);
	free(t);
	child_stop(&c);
	unlink(path);
}

TEST_HARNESS_MAIN
