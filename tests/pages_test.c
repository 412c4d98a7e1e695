// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope's pages file, page by page, against the kernel's own views:
 * /proc/PID/pagemap, /proc/kpageflags, /proc/kpagecount and mincore().
 *
 * Each scenario sets memory up, checks that the oracle sees what the
 * scenario intends (a failure there is a test or kernel surprise, marked
 * "oracle:"), then checks that vmscope agrees with the oracle on every
 * field the oracle knows and with the scenario on the rest (write, dirty,
 * cow, exclusive, level, order).
 *
 * VMSCOPE_ORACLE_ONLY=1 stops each scenario after the oracle checks (to
 * validate the scenarios on a kernel without the module's files).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kernel-page-flags.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/pagemap.h"
#include "lib/tally.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE PAGE_SZ
#define PMD_SIZE vs_pmd_size()
#define ANY (-1)

#define F(x) VMSCOPE_PAGE_F_##x
#define STATE(x) VMSCOPE_STATE_##x
#define LEVEL(x) VMSCOPE_LEVEL_##x

/* What a scenario expects of each page; flags outside set|clear: any. */
struct want {
	int state;
	uint32_t set, clear;
	int mapcount;
	int order;
	int level;
};

/* Flags a mapped-by-nobody page cannot have. */
#define NOT_MAPPED (F(WRITE) | F(DIRTY) | F(ANON) | F(FILE) | F(ZERO) | \
		    F(HUGE_ZERO) | F(THP) | F(EXCLUSIVE) | F(MMAP_EXCL) | \
		    F(KSM))

static const struct want untouched = {
	.state = STATE(NONE), .clear = NOT_MAPPED | F(PAGE_CACHE),
	.mapcount = 0, .order = ANY, .level = ANY,
};

static const struct want written_anon = {
	.state = STATE(PRESENT),
	.set = F(ANON) | F(EXCLUSIVE) | F(MMAP_EXCL) | F(WRITE) | F(DIRTY) |
	       F(USER),
	.clear = F(COW) | F(ZERO) | F(FILE) | F(THP) | F(KSM),
	.mapcount = 1, .order = 0, .level = LEVEL(PTE),
};

static bool oracle_only(void)
{
	return getenv("VMSCOPE_ORACLE_ONLY");
}

/*
 * The oracle's answer in vmscope's terms: the page as pagemap, kpageflags
 * and kpagecount describe it, and which of its fields they determine.
 */
struct view {
	struct vms_page p;
	uint32_t known;		/* flags the oracle determines */
	bool mapcount_known;
	int small;		/* 1: order 0, 0: large folio, ANY */
};

static void oracle_view(const struct oracle_page *o, struct view *v)
{
	bool zero = kpf(o, KPF_ZERO_PAGE), thp = kpf(o, KPF_THP);
	struct vms_page *p = &v->p;

	memset(v, 0, sizeof(*v));
	p->addr = o->addr;
	v->small = ANY;
	/*
	 * 6.12's kpageflags sets KPF_KSM on every anonymous page (it tests
	 * mapping & PAGE_MAPPING_KSM, which the anon bit alone satisfies),
	 * so KSM is known only from KSM's own counters: none shared, none
	 * merged.
	 */
	if (!ksm_pages_exist())
		v->known |= F(KSM);
	/* Clear soft-dirty in pagemap means clear in the PTE (not vice versa). */
	if (!(o->pm & PM_SOFT_DIRTY))
		v->known |= F(SOFT_DIRTY);
	v->known |= F(UFFD_WP);
	if (o->pm & PM_UFFD_WP)
		p->flags |= F(UFFD_WP);
	if (o->pm & PM_PRESENT) {
		p->state = STATE(PRESENT);
		p->has_pfn = true;
		p->pfn = pm_pfn(o->pm);
		v->known |= F(FILE) | F(MMAP_EXCL);
		if (o->pm & PM_FILE)
			p->flags |= F(FILE);
		if (o->pm & PM_MMAP_EXCL)
			p->flags |= F(MMAP_EXCL);
		if (!o->has_kpage)
			return;
		/*
		 * The huge zero page: huge_zero, and zero and thp may be set
		 * or not (it is a zero page, and a large folio).
		 */
		v->known |= F(ANON) | F(HUGE_ZERO);
		if (!zero)
			v->known |= F(THP);
		if (!(zero && thp))
			v->known |= F(ZERO);
		if (kpf(o, KPF_ANON))
			p->flags |= F(ANON);
		if (zero)
			p->flags |= thp ? F(HUGE_ZERO) : F(ZERO);
		/* pagemap calls the huge zero page a file page. */
		if (zero)
			p->flags &= ~F(FILE);
		if (thp && !zero)
			p->flags |= F(THP);
		p->mapcount = o->kcount;
		v->mapcount_known = true;
		v->small = !kpf(o, KPF_COMPOUND_HEAD) &&
			   !kpf(o, KPF_COMPOUND_TAIL);
	} else if (o->pm & PM_SWAP) {
		p->state = STATE(SWAP);
		p->has_swap = true;
		p->swap_type = pm_swap_type(o->pm);
		p->swap_offset = pm_swap_offset(o->pm);
		v->known |= F(FILE) | F(MMAP_EXCL) | F(ZERO) | F(HUGE_ZERO);
	} else {
		p->state = STATE(NONE);
		v->known |= NOT_MAPPED;
	}
}

#define SAY(fmt, ...) snprintf(why, len, "0x%llx: " fmt,		\
			       (unsigned long long)p->addr, ##__VA_ARGS__)

/* Does vmscope's page agree with the oracle's view?  0 or 1 (and why). */
static int differs(const struct vms_page *p, const struct view *v,
		   char *why, size_t len)
{
	char a[256], b[256];
	uint32_t diff = (p->flags ^ v->p.flags) & v->known;

	if (p->state != v->p.state)
		return SAY("state: vmscope %s, pagemap %s",
			   vms_state_name(p->state),
			   vms_state_name(v->p.state)), 1;
	if (v->p.has_pfn && (!p->has_pfn || p->pfn != v->p.pfn))
		return SAY("pfn: vmscope %s0x%llx, pagemap 0x%llx",
			   p->has_pfn ? "" : "(none) ",
			   (unsigned long long)p->pfn,
			   (unsigned long long)v->p.pfn), 1;
	if (v->p.has_swap && (!p->has_swap || p->swap_type != v->p.swap_type ||
			      p->swap_offset != v->p.swap_offset))
		return SAY("swap: vmscope type %u offset 0x%llx, pagemap type %u offset 0x%llx",
			   p->swap_type, (unsigned long long)p->swap_offset,
			   v->p.swap_type,
			   (unsigned long long)v->p.swap_offset), 1;
	if (diff)
		return SAY("flags %s: vmscope has %s, oracle says %s",
			   vms_flags_str(diff, a, sizeof(a)),
			   vms_flags_str(p->flags & diff, b, sizeof(b)),
			   vms_flags_str(v->p.flags & diff, a, sizeof(a))), 1;
	if (v->mapcount_known && p->mapcount != v->p.mapcount)
		return SAY("mapcount: vmscope %u, kpagecount %u", p->mapcount,
			   v->p.mapcount), 1;
	if (v->small != ANY && (p->order == 0) != v->small)
		return SAY("order: vmscope %u, kpageflags %s", p->order,
			   v->small ? "small page" : "compound page"), 1;
	return 0;
}

/* Does a page (vmscope's, or the oracle's view of known) meet want? */
static int unwanted(const struct vms_page *p, uint32_t known,
		    bool mapcount_known, const struct want *w, char *why,
		    size_t len)
{
	char a[256], b[256], c[256];
	uint32_t missing = w->set & known & ~p->flags;
	uint32_t extra = w->clear & known & p->flags;

	if (p->state != w->state)
		return SAY("state %s, want %s", vms_state_name(p->state),
			   vms_state_name(w->state)), 1;
	if (missing || extra)
		return SAY("flags %s: missing %s, unexpected %s",
			   vms_flags_str(p->flags, a, sizeof(a)),
			   missing ? vms_flags_str(missing, b, sizeof(b)) : "-",
			   extra ? vms_flags_str(extra, c, sizeof(c)) : "-"), 1;
	if (w->mapcount != ANY && mapcount_known &&
	    p->mapcount != (unsigned int)w->mapcount)
		return SAY("mapcount %u, want %d", p->mapcount, w->mapcount), 1;
	if (known == ~0U && w->order != ANY &&
	    p->order != (unsigned int)w->order)
		return SAY("order %u, want %d", p->order, w->order), 1;
	if (known == ~0U && w->level != ANY && p->level != w->level)
		return SAY("level %s, want %s", vms_level_name(p->level),
			   vms_level_name(w->level)), 1;
	return 0;
}

#define ASSERT_CLEAN(t, what) do {					\
	EXPECT_CLEAN(t, what);						\
	ASSERT_EQ(0, (t).n);						\
} while (0)

/* The oracle's views of n pages of pid at addr. */
static struct view *views_of(struct __test_metadata *_metadata, pid_t pid,
			     const void *addr, size_t n)
{
	struct oracle_page *o = calloc(n, sizeof(*o));
	struct view *v = calloc(n, sizeof(*v));
	size_t i;

	ASSERT_TRUE(o && v);
	ASSERT_EQ(0, oracle_pages(pid, ADDR(addr), n, o))
		TH_LOG("oracle: cannot read pagemap/kpageflags of %d", pid);
	for (i = 0; i < n; i++)
		oracle_view(&o[i], &v[i]);
	free(o);
	return v;
}

/* vmscope's answer for n pages of pid at addr, expanded per page. */
static struct vms_page *vmscope_pages(struct __test_metadata *_metadata,
				      pid_t pid, const void *addr, size_t n)
{
	struct vms_page *p = calloc(n, sizeof(*p));
	char why[VMS_WHY];

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, vms_pages(pid, ADDR(addr), n, p, why))
		TH_LOG("%s", why);
	return p;
}

/*
 * The scenario check: the oracle meets want (else the scenario did not
 * happen as meant), vmscope agrees with the oracle and meets want.
 * Returns vmscope's pages (free them), or NULL in oracle-only mode.
 */
static struct vms_page *check_pages(struct __test_metadata *_metadata,
				    pid_t pid, const void *addr, size_t n,
				    const struct want *w)
{
	struct tally bad_oracle = { 0 }, bad_vs = { 0 }, bad_want = { 0 };
	struct view *v = views_of(_metadata, pid, addr, n);
	struct vms_page *p;
	char why[512];
	size_t i;

	for (i = 0; i < n; i++)
		note(&bad_oracle, unwanted(&v[i].p, v[i].known,
					   v[i].mapcount_known, w, why,
					   sizeof(why)), why);
	ASSERT_CLEAN(bad_oracle, "oracle: scenario not as intended");
	if (oracle_only()) {
		free(v);
		return NULL;
	}
	p = vmscope_pages(_metadata, pid, addr, n);
	for (i = 0; i < n; i++) {
		note(&bad_vs, differs(&p[i], &v[i], why, sizeof(why)), why);
		note(&bad_want, unwanted(&p[i], ~0U, true, w, why, sizeof(why)),
		     why);
	}
	EXPECT_CLEAN(bad_vs, "vmscope vs oracle");
	EXPECT_CLEAN(bad_want, "vmscope vs scenario");
	free(v);
	return p;
}

/* ---- scenario helpers ------------------------------------------------ */

static char *anon_map(struct __test_metadata *_metadata, size_t n)
{
	char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	return p;
}

static void touch_read(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		(void)*(volatile const char *)(p + i * PAGE);
}

static void touch_write(char *p, size_t n)
{
	size_t i;

	/* Distinct, non-zero contents: nothing may dedupe them. */
	for (i = 0; i < n; i++)
		memset(p + i * PAGE, (int)(i % 250) + 1, PAGE);
}

static bool swap_configured(void)
{
	char *s = read_file("/proc/swaps", NULL);
	bool on = s && strchr(s, '\n') && strchr(strchr(s, '\n') + 1, '/');

	free(s);
	return on;
}

/* A 2 MiB aligned, MADV_HUGEPAGE anonymous range (in a 4 MiB mapping). */
static char *thp_range(struct __test_metadata *_metadata)
{
	char *raw = anon_map(_metadata, 2 * PMD_SIZE / PAGE);
	char *p = (char *)(((uintptr_t)raw + PMD_SIZE - 1) & ~(PMD_SIZE - 1));

	ASSERT_EQ(0, madvise(p, PMD_SIZE, MADV_HUGEPAGE));
	return p;
}

/* Does the oracle see one PMD-mapped large folio at p? */
static bool oracle_sees_thp(struct __test_metadata *_metadata, const char *p)
{
	size_t n = PMD_SIZE / PAGE, i;
	struct view *v = views_of(_metadata, getpid(), p, n);
	bool thp = v[0].p.has_pfn && v[0].p.pfn % n == 0;

	for (i = 0; i < n && thp; i++)
		thp = (v[i].p.flags & (F(THP) | F(HUGE_ZERO))) &&
		      v[i].p.pfn == v[0].p.pfn + i;
	free(v);
	return thp;
}

/* ---- anonymous memory ------------------------------------------------ */

TEST(untouched_anon_is_none)
{
	char *p = anon_map(_metadata, 8);
	struct vms_page *pg = check_pages(_metadata, getpid(), p, 8,
					  &untouched);
	int i;

	for (i = 0; pg && i < 8; i++)
		EXPECT_NE(LEVEL(NONE), pg[i].level)
			TH_LOG("page %d in a VMA has level '-'", i);
	free(pg);
}

TEST(read_touched_anon_maps_the_zero_page)
{
	static const struct want zero = {
		.state = STATE(PRESENT), .set = F(ZERO) | F(COW) | F(USER),
		.clear = F(ANON) | F(FILE) | F(WRITE) | F(EXCLUSIVE) |
			 F(MMAP_EXCL) | F(THP) | F(HUGE_ZERO),
		.mapcount = ANY, .order = 0, .level = LEVEL(PTE),
	};
	char *p = anon_map(_metadata, 8);

	touch_read(p, 8);
	free(check_pages(_metadata, getpid(), p, 8, &zero));
}

TEST(written_anon_is_exclusive)
{
	char *p = anon_map(_metadata, 8);

	touch_write(p, 8);
	free(check_pages(_metadata, getpid(), p, 8, &written_anon));
}

TEST(dontneed_drops_pages)
{
	char *p = anon_map(_metadata, 8);

	touch_write(p, 8);
	ASSERT_EQ(0, madvise(p, 8 * PAGE, MADV_DONTNEED));
	free(check_pages(_metadata, getpid(), p, 8, &untouched));
}

TEST(mlock_makes_pages_present)
{
	static const struct want locked = {
		.state = STATE(PRESENT), .set = F(ANON) | F(USER),
		.clear = F(ZERO) | F(FILE), .mapcount = 1, .order = ANY,
		.level = ANY,
	};
	char *p = anon_map(_metadata, 8), why[VMS_WHY];
	const struct vms_vma *v;
	struct vms_maps vm;

	ASSERT_EQ(0, mlock(p, 8 * PAGE));
	free(check_pages(_metadata, getpid(), p, 8, &locked));
	if (!oracle_only()) {
		ASSERT_EQ(0, vms_maps(getpid(), &vm, why)) TH_LOG("%s", why);
		v = vms_maps_find(&vm, ADDR(p));
		ASSERT_NE(NULL, v);
		EXPECT_TRUE(vms_vma_has_flag(v, "locked"))
			TH_LOG("flags=%s", v->flags);
		vms_maps_free(&vm);
	}
	munlock(p, 8 * PAGE);
}

/* Soft-dirty: clear_refs 4 clears it, writes set it again. */
TEST(soft_dirty_follows_clear_refs)
{
	static const int dirty[8] = { 1, 0, 1, 0, 0, 1, 0, 0 };
	struct vms_page *pg;
	struct view *v;
	char *p = anon_map(_metadata, 8);
	int i;

	touch_write(p, 8);
	ASSERT_EQ(0, write_file("/proc/self/clear_refs", "4"));
	for (i = 0; i < 8; i++)
		if (dirty[i])
			p[i * PAGE] = 42;
	v = views_of(_metadata, getpid(), p, 8);
	/* Page 0 was written: not soft-dirty means no CONFIG_MEM_SOFT_DIRTY. */
	if (!X86_64 && (v[0].known & F(SOFT_DIRTY))) {
		free(v);
		SKIP(return, "pagemap shows no soft-dirty bit: no soft-dirty tracking in this kernel");
	}
	for (i = 0; i < 8; i++)
		ASSERT_EQ(dirty[i], !(v[i].known & F(SOFT_DIRTY)))
			TH_LOG("oracle: page %d soft-dirty in pagemap", i);
	free(v);
	if (oracle_only())
		SKIP(return, "oracle only");
	pg = vmscope_pages(_metadata, getpid(), p, 8);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(dirty[i], !!(pg[i].flags & F(SOFT_DIRTY)))
			TH_LOG("page %d: soft_dirty vmscope %d, pagemap %d", i,
			       !!(pg[i].flags & F(SOFT_DIRTY)), dirty[i]);
	free(pg);
}

/* ---- fork and copy-on-write ------------------------------------------ */

static int child_writes(int step, void *arg)
{
	if (step == 1)
		touch_write(arg, 8);
	return 0;
}

static const struct want shared_by_fork = {
	.state = STATE(PRESENT), .set = F(ANON) | F(COW) | F(USER),
	.clear = F(WRITE) | F(EXCLUSIVE) | F(MMAP_EXCL) | F(ZERO) | F(FILE),
	.mapcount = 2, .order = 0, .level = LEVEL(PTE),
};

TEST(fork_shares_pages_copy_on_write)
{
	struct vms_page *mine, *theirs;
	char *p = anon_map(_metadata, 8);
	struct child c;
	int i;

	touch_write(p, 8);
	ASSERT_EQ(0, child_start(&c, child_writes, p));
	mine = check_pages(_metadata, getpid(), p, 8, &shared_by_fork);
	theirs = check_pages(_metadata, c.pid, p, 8, &shared_by_fork);
	for (i = 0; mine && theirs && i < 8; i++)
		EXPECT_EQ(mine[i].pfn, theirs[i].pfn)
			TH_LOG("page %d: parent and child PFNs differ", i);
	free(mine);
	free(theirs);
	child_stop(&c);
}

TEST(child_write_copies_the_page)
{
	static const struct want parent_after = {
		.state = STATE(PRESENT), .set = F(ANON) | F(MMAP_EXCL),
		.clear = F(ZERO) | F(FILE) | F(WRITE),
		.mapcount = 1, .order = 0, .level = LEVEL(PTE),
	};
	struct view *before;
	struct vms_page *mine, *theirs;
	char *p = anon_map(_metadata, 8);
	struct child c;
	int i;

	touch_write(p, 8);
	ASSERT_EQ(0, child_start(&c, child_writes, p));
	before = views_of(_metadata, getpid(), p, 8);
	ASSERT_EQ(0, child_step(&c));
	mine = check_pages(_metadata, getpid(), p, 8, &parent_after);
	theirs = check_pages(_metadata, c.pid, p, 8, &written_anon);
	for (i = 0; mine && theirs && i < 8; i++) {
		EXPECT_EQ(before[i].p.pfn, mine[i].pfn)
			TH_LOG("page %d: the parent's page moved", i);
		EXPECT_NE(mine[i].pfn, theirs[i].pfn)
			TH_LOG("page %d: child did not get its own copy", i);
	}
	free(before);
	free(mine);
	free(theirs);
	child_stop(&c);
}

/* ---- files ----------------------------------------------------------- */

/* A tmpfs file of n pages, each page written. */
static int data_file(struct __test_metadata *_metadata, size_t n, char *path)
{
	int fd = make_file("/tmp", n * PAGE, path);
	char buf[PAGE];
	size_t i;

	ASSERT_LE(0, fd) TH_LOG("cannot create a file in /tmp: %d", fd);
	for (i = 0; i < n; i++) {
		memset(buf, 'a' + i % 26, PAGE);
		ASSERT_EQ(PAGE, pwrite(fd, buf, PAGE, i * PAGE));
	}
	return fd;
}

TEST(private_file_page_is_cow_until_written)
{
	static const struct want read_file_page = {
		.state = STATE(PRESENT), .set = F(FILE) | F(COW) | F(USER),
		.clear = F(ANON) | F(WRITE) | F(EXCLUSIVE) | F(ZERO),
		.mapcount = 1, .order = 0, .level = LEVEL(PTE),
	};
	char path[PATH_MAX];
	struct vms_page *before, *after;
	int fd = data_file(_metadata, 8, path), i;
	char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		       fd, 0);

	ASSERT_NE(MAP_FAILED, p);
	touch_read(p, 8);
	before = check_pages(_metadata, getpid(), p, 8, &read_file_page);
	touch_write(p, 8);
	after = check_pages(_metadata, getpid(), p, 8, &written_anon);
	for (i = 0; before && after && i < 8; i++)
		EXPECT_NE(before[i].pfn, after[i].pfn)
			TH_LOG("page %d: write did not copy the file page", i);
	free(before);
	free(after);
	unlink(path);
}

struct shared_map {
	int fd;
	char **addr;	/* in shared memory: where the child mapped it */
};

static int child_maps_shared(int step, void *arg)
{
	struct shared_map *s = arg;
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       s->fd, 0);

	if (p == MAP_FAILED)
		return -1;
	touch_read(p, 4);
	*s->addr = p;
	return 0;
}

TEST(shared_file_page_is_shared_by_two_processes)
{
	static const struct want shared_page = {
		.state = STATE(PRESENT), .set = F(FILE) | F(USER),
		.clear = F(ANON) | F(COW) | F(EXCLUSIVE) | F(MMAP_EXCL) |
			 F(ZERO),
		.mapcount = 2, .order = 0, .level = LEVEL(PTE),
	};
	char path[PATH_MAX], *p;
	struct vms_page *mine, *theirs;
	struct shared_map s;
	struct child c;
	int i;

	s.fd = data_file(_metadata, 4, path);
	s.addr = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s.addr);
	ASSERT_EQ(0, child_start(&c, child_maps_shared, &s));
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, s.fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	touch_write(p, 4);
	mine = check_pages(_metadata, getpid(), p, 4, &shared_page);
	theirs = check_pages(_metadata, c.pid, *s.addr, 4, &shared_page);
	for (i = 0; mine && theirs && i < 4; i++)
		EXPECT_EQ(mine[i].pfn, theirs[i].pfn)
			TH_LOG("page %d: not the same page cache page", i);
	free(mine);
	free(theirs);
	child_stop(&c);
	unlink(path);
}

/*
 * Page-cache residency of unmapped file pages equals mincore(): a sparse
 * tmpfs file has only the written pages in the page cache.
 */
TEST(page_cache_flag_matches_mincore)
{
	static const int written[] = { 0, 5, 6, 20, 31 };
	static const int kinds[] = { MAP_SHARED, MAP_PRIVATE };
	const size_t n = 32;
	bool resident[32];
	char path[PATH_MAX], buf[PAGE];
	int fd = make_file("/tmp", n * PAGE, path), k, i, nres;

	ASSERT_LE(0, fd);
	memset(buf, 'x', PAGE);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(PAGE, pwrite(fd, buf, PAGE, written[i] * PAGE));
	for (k = 0; k < 2; k++) {
		char *p = mmap(NULL, n * PAGE, PROT_READ, kinds[k], fd, 0);
		struct vms_page *pg;

		ASSERT_NE(MAP_FAILED, p);
		ASSERT_EQ(0, mincore_pages(p, n, resident));
		for (i = 0, nres = 0; i < (int)n; i++)
			nres += resident[i];
		ASSERT_EQ(5, nres)
			TH_LOG("oracle: mincore sees %d cached pages", nres);
		if (oracle_only())
			continue;
		pg = vmscope_pages(_metadata, getpid(), p, n);
		for (i = 0; i < (int)n; i++) {
			EXPECT_EQ(STATE(NONE), pg[i].state);
			EXPECT_EQ(resident[i], !!(pg[i].flags & F(PAGE_CACHE)))
				TH_LOG("%s page %d: page_cache %d, mincore %d",
				       k ? "private" : "shared", i,
				       !!(pg[i].flags & F(PAGE_CACHE)),
				       resident[i]);
		}
		free(pg);
		munmap(p, n * PAGE);
	}
	unlink(path);
}

/* ---- huge pages ------------------------------------------------------ */

TEST(thp_is_reported_at_pmd_level)
{
	static const struct want thp = {
		.state = STATE(PRESENT),
		.set = F(ANON) | F(THP) | F(WRITE) | F(DIRTY) | F(MMAP_EXCL),
		.clear = F(ZERO) | F(HUGE_ZERO) | F(FILE) | F(COW),
		.mapcount = 1, .order = 9, .level = LEVEL(PMD),
	};
	const size_t n = PMD_SIZE / PAGE;
	struct vms_run *runs;
	char why[VMS_WHY], *p;
	int nr;

	if (!thp_enabled())
		SKIP(return, "THP disabled (transparent_hugepage/enabled)");
	p = thp_range(_metadata);
	touch_write(p, n);
	if (!oracle_sees_thp(_metadata, p))
		SKIP(return, "the kernel did not map a THP (kpageflags)");
	free(check_pages(_metadata, getpid(), p, n, &thp));
	if (oracle_only())
		return;
	/* One folio, PFNs following on: one exact run. */
	nr = vms_pages_runs(getpid(), ADDR(p), ADDR(p) + PMD_SIZE,
			    NULL, &runs, why);
	ASSERT_LT(0, nr) TH_LOG("%s", why);
	EXPECT_EQ(1, nr) TH_LOG("a PMD-mapped THP is %d exact runs", nr);
	free(runs);
}

TEST(thp_read_maps_the_huge_zero_page)
{
	static const struct want huge_zero = {
		.state = STATE(PRESENT), .set = F(HUGE_ZERO) | F(COW),
		.clear = F(ANON) | F(WRITE) | F(EXCLUSIVE) | F(MMAP_EXCL),
		.mapcount = ANY, .order = 9, .level = LEVEL(PMD),
	};
	char *p;

	if (!thp_enabled())
		SKIP(return, "THP disabled (transparent_hugepage/enabled)");
	p = thp_range(_metadata);
	touch_read(p, PMD_SIZE / PAGE);
	if (!oracle_sees_thp(_metadata, p))
		SKIP(return, "no huge zero page (use_zero_page=0?)");
	free(check_pages(_metadata, getpid(), p, PMD_SIZE / PAGE, &huge_zero));
}

/* ---- swap ------------------------------------------------------------ */

TEST(pageout_swaps_pages_out)
{
	static const struct want swapped = {
		.state = STATE(SWAP), .set = F(SWAP_EXCL),
		.clear = F(WRITE) | F(DIRTY) | F(MMAP_EXCL) | F(PAGE_CACHE) |
			 F(ZERO) | F(FILE),
		.mapcount = ANY, .order = ANY, .level = LEVEL(PTE),
	};
	char *p = anon_map(_metadata, 16);
	struct view *v;
	int i, out = 0;

	if (!swap_configured())
		SKIP(return, "no swap in /proc/swaps");
	touch_write(p, 16);
	if (madvise(p, 16 * PAGE, MADV_PAGEOUT))
		SKIP(return, "MADV_PAGEOUT: %s", strerror(errno));
	v = views_of(_metadata, getpid(), p, 16);
	for (i = 0; i < 16; i++)
		out += v[i].p.state == STATE(SWAP);
	free(v);
	if (out != 16)
		SKIP(return, "only %d of 16 pages were swapped out", out);
	free(check_pages(_metadata, getpid(), p, 16, &swapped));
}

/* ---- the program's own regions --------------------------------------- */

/* The VMA of pid containing addr, from vmscope and /proc/PID/maps. */
static void both_vmas(struct __test_metadata *_metadata, pid_t pid,
		      uint64_t addr, struct vms_vma *vv, struct proc_vma *pv)
{
	const struct proc_vma *po;
	const struct vms_vma *vo;
	struct proc_maps pm;
	struct vms_maps vm;
	char why[VMS_WHY];

	if (pid == getpid())
		quiesce_self(64);
	ASSERT_EQ(0, proc_maps_read(pid, &pm));
	po = proc_maps_find(&pm, addr);
	ASSERT_NE(NULL, po) TH_LOG("oracle: no VMA at 0x%llx",
				   (unsigned long long)addr);
	*pv = *po;
	pv->path = "";
	proc_maps_free(&pm);
	memset(vv, 0, sizeof(*vv));
	if (oracle_only())
		return;
	ASSERT_EQ(0, vms_maps(pid, &vm, why)) TH_LOG("%s", why);
	vo = vms_maps_find(&vm, addr);
	ASSERT_NE(NULL, vo) TH_LOG("vmscope: no VMA at 0x%llx",
				   (unsigned long long)addr);
	*vv = *vo;
	vv->flags = vv->path = "";
	vms_maps_free(&vm);
	EXPECT_EQ(pv->start, vv->start);
	EXPECT_EQ(pv->end, vv->end);
}

static const struct want present_anon = {
	.state = STATE(PRESENT), .set = F(ANON) | F(USER) | F(WRITE),
	.clear = F(ZERO) | F(FILE), .mapcount = 1, .order = ANY, .level = ANY,
};

struct brk_state {
	uint64_t *brk;	/* shared: [0] before, [1] after growing */
};

static int child_grows_brk(int step, void *arg)
{
	struct brk_state *b = arg;
	char *old;

	b->brk[step] = ADDR(sbrk(0));
	if (step == 0)
		return 0;
	old = sbrk(16 * PAGE);
	if (old == (void *)-1)
		return -1;
	memset(old, 7, 16 * PAGE);
	b->brk[1] = ADDR(sbrk(0));
	return 0;
}

TEST(brk_growth_moves_the_heap_end)
{
	struct brk_state b;
	struct vms_vma before, after;
	struct proc_vma pbefore, pafter;
	struct child c;
	uint64_t first;

	b.brk = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, b.brk);
	/* Make sure there is a heap VMA to grow. */
	ASSERT_NE((void *)-1, sbrk(PAGE));
	ASSERT_EQ(0, child_start(&c, child_grows_brk, &b));
	both_vmas(_metadata, c.pid, b.brk[0] - 1, &before, &pbefore);
	ASSERT_EQ(0, child_step(&c));
	both_vmas(_metadata, c.pid, b.brk[1] - 1, &after, &pafter);
	ASSERT_EQ(PAGE_UP(b.brk[1]), pafter.end) TH_LOG("oracle: heap end");
	ASSERT_LT(pbefore.end, pafter.end);
	if (!oracle_only()) {
		EXPECT_EQ(VMSCOPE_VMA_HEAP, before.kind);
		EXPECT_EQ(VMSCOPE_VMA_HEAP, after.kind);
		EXPECT_EQ(pbefore.end, before.end);
	}
	first = PAGE_UP(b.brk[0]);
	free(check_pages(_metadata, c.pid, (void *)(uintptr_t)first,
			 (PAGE_UP(b.brk[1]) - first) / PAGE, &present_anon));
	child_stop(&c);
}

TEST(malloc_of_1mib_gets_its_own_mapping)
{
	struct vms_vma vv;
	struct proc_vma pv;
	char *q;

	/* A fixed threshold: no dynamic raise from earlier frees. */
	ASSERT_EQ(1, mallopt(M_MMAP_THRESHOLD, 128 * 1024));
	q = malloc(1 << 20);
	ASSERT_NE(NULL, q);
	memset(q, 1, 1 << 20);
	both_vmas(_metadata, getpid(), ADDR(q), &vv, &pv);
	ASSERT_GE(pv.end - pv.start, 1 << 20) TH_LOG("oracle: not its own VMA");
	if (!oracle_only())
		EXPECT_EQ(VMSCOPE_VMA_MMAP_ANON, vv.kind)
			TH_LOG("kind=%s", vms_kind_name(vv.kind));
	free(check_pages(_metadata, getpid(),
			 (void *)(uintptr_t)PAGE_UP(ADDR(q)),
			 ((1 << 20) - PAGE) / PAGE, &present_anon));
	free(q);
}

/* Check the stack from deep inside it, after growing it by 1 MiB. */
static void __attribute__((noinline))
check_deep_stack(struct __test_metadata *_metadata, const struct proc_vma *top,
		 char *deep, size_t len)
{
	struct vms_vma vv;
	struct proc_vma pv;
	size_t i;

	/* Top down, a page at a time, as a deep recursion would. */
	for (i = len; i >= PAGE; i -= PAGE)
		deep[i - 1] = 1;
	both_vmas(_metadata, getpid(), ADDR(deep), &vv, &pv);
	ASSERT_EQ(top->end, pv.end) TH_LOG("oracle: not the same stack VMA");
	ASSERT_GT(top->start, pv.start) TH_LOG("oracle: stack did not grow");
	if (!oracle_only())
		EXPECT_EQ(VMSCOPE_VMA_STACK, vv.kind)
			TH_LOG("kind=%s", vms_kind_name(vv.kind));
	free(check_pages(_metadata, getpid(),
			 (void *)(uintptr_t)PAGE_UP(ADDR(deep)),
			 (top->start - PAGE_UP(ADDR(deep))) / PAGE,
			 &present_anon));
}

TEST(stack_growth_is_reported)
{
	struct vms_vma vv;
	struct proc_vma top;
	volatile char here = 0;
	size_t len;
	char *deep;

	both_vmas(_metadata, getpid(), ADDR(&here), &vv, &top);
	/* From here down to 1 MiB below the current bottom of the VMA. */
	len = PAGE_DOWN(ADDR(&here) - top.start + (1 << 20));
	deep = alloca(len);
	check_deep_stack(_metadata, &top, deep, len - 4 * PAGE);
}

/* ---- address space edges --------------------------------------------- */

TEST(mapping_above_47_bits_on_5_level)
{
	uint64_t levels;
	struct vms_vma vv;
	struct proc_vma pv;
	char *p;

	ASSERT_TRUE(layout_value("paging_levels", &levels));
	if (levels != 5)
		SKIP(return, "%llu-level paging: no addresses above 2^47",
		     (unsigned long long)levels);
	if (!X86_64)
		SKIP(return, "5-level paging is x86_64's here");
	p = mmap((void *)(uintptr_t)(1ULL << 50), 4 * PAGE,
		 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_LE(1ULL << 47, ADDR(p))
		TH_LOG("oracle: hint not honoured");
	touch_write(p, 4);
	both_vmas(_metadata, getpid(), ADDR(p), &vv, &pv);
	free(check_pages(_metadata, getpid(), p, 4, &written_anon));
}

/* ---- the shape of the answer ----------------------------------------- */

/* Same flags, state, ...; the zero page's PFN does not advance. */
TEST(runs_mode_joins_what_exact_runs_split)
{
	char *p = anon_map(_metadata, 8);
	struct vms_run *runs;
	char why[VMS_WHY];
	struct view *v;
	int nr;

	touch_read(p, 8);
	v = views_of(_metadata, getpid(), p, 8);
	ASSERT_EQ(v[0].p.pfn, v[7].p.pfn) TH_LOG("oracle: not the zero page");
	if (oracle_only())
		SKIP(return, "oracle only");
	nr = vms_pages_runs(getpid(), ADDR(p), ADDR(p) + 8 * PAGE,
			    NULL, &runs, why);
	ASSERT_EQ(8, nr) TH_LOG("exact: %s", nr < 0 ? why : "wrong count");
	free(runs);
	nr = vms_pages_runs(getpid(), ADDR(p), ADDR(p) + 8 * PAGE,
			    "runs", &runs, why);
	ASSERT_EQ(1, nr) TH_LOG("runs: %s", nr < 0 ? why : "wrong count");
	EXPECT_EQ(8, runs[0].nr);
	EXPECT_EQ(v[0].p.pfn, runs[0].p.pfn);
	free(runs);
	free(v);
}

static bool same_but_pfn(const struct vms_run *a, const struct vms_run *b)
{
	const struct vms_page *x = &a->p, *y = &b->p;

	return x->state == y->state && x->level == y->level &&
	       x->flags == y->flags && x->mapcount == y->mapcount &&
	       x->order == y->order && x->has_pfn == y->has_pfn &&
	       x->has_swap == y->has_swap && x->swap_type == y->swap_type &&
	       (!x->has_pfn || x->pfn + a->nr == y->pfn) &&
	       (!x->has_swap || x->swap_offset + a->nr == y->swap_offset);
}

/* Is all of [a, e) inside VMAs? */
static bool covered(const struct proc_maps *m, uint64_t a, uint64_t e)
{
	const struct proc_vma *v;

	while (a < e && (v = proc_maps_find(m, a)))
		a = v->end;
	return a >= e;
}

static bool overlaps(const struct proc_maps *m, uint64_t a, uint64_t e)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].start < e && a < m->v[i].end)
			return true;
	return false;
}

/* Does a VMA start or end at addr? */
static bool vma_boundary(const struct proc_maps *m, uint64_t addr)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].start == addr || m->v[i].end == addr)
			return true;
	return false;
}

static int child_idles(int step, void *arg)
{
	return 0;
}

/*
 * Without a range the whole user address space is walked: the lines tile
 * [0, TASK_SIZE), "no-vma" exactly where /proc/PID/maps has no VMA, and
 * no two neighbouring lines inside one VMA (or one gap) could be one
 * exact run: runs are maximal, also across the walk's batches.
 */
TEST(whole_walk_tiles_the_address_space)
{
	struct tally bad = { 0 };
	struct proc_maps pm;
	struct vms_run *runs;
	uint64_t task_size;
	char why[VMS_WHY];
	struct child c;
	int nr, i;

	if (oracle_only())
		SKIP(return, "oracle only");
	ASSERT_TRUE(layout_value("task_size", &task_size));
	ASSERT_EQ(0, child_start(&c, child_idles, NULL));
	ASSERT_EQ(0, proc_maps_read(c.pid, &pm));
	nr = vms_pages_runs(c.pid, 0, 0, NULL, &runs, why);
	ASSERT_LT(0, nr) TH_LOG("%s", why);
	EXPECT_EQ(0, runs[0].p.addr);
	EXPECT_EQ(task_size, runs[nr - 1].end);
	for (i = 0; i < nr; i++) {
		const struct vms_run *r = &runs[i];
		bool no_vma = r->p.state == STATE(NO_VMA);

		snprintf(why, sizeof(why), "0x%llx-0x%llx %s",
			 (unsigned long long)r->p.addr,
			 (unsigned long long)r->end,
			 vms_state_name(r->p.state));
		note(&bad, i && runs[i - 1].end != r->p.addr, why);
		note(&bad, no_vma ? overlaps(&pm, r->p.addr, r->end) :
				    !covered(&pm, r->p.addr, r->end), why);
		note(&bad, i && !vma_boundary(&pm, r->p.addr) &&
			   same_but_pfn(&runs[i - 1], r), why);
	}
	EXPECT_CLEAN(bad, "gap, overlap, VMA mismatch or split exact run");
	free(runs);
	proc_maps_free(&pm);
	child_stop(&c);
}

TEST_HARNESS_MAIN
