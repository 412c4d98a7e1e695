// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel layout vmscope reports, against independent oracles:
 * /proc/cpuinfo and mmap() behaviour for the paging mode and TASK_SIZE,
 * /proc/kcore program headers and /proc/kallsyms for the kernel regions,
 * the documented x86_64 bases when booted with nokaslr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/oracle.h"
#include "lib/util.h"
#include "lib/vmscope.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PAGE PG
#define START_KERNEL_MAP 0xffffffff80000000ULL
#define NO_PADDR ((uint64_t)-1)


#define LAYOUT(name) ({							\
	uint64_t __v;							\
	ASSERT_TRUE(layout_value(name, &__v)) TH_LOG("no %s", name);	\
	__v; })

static bool cpu_has_la57(void)
{
	char *info = read_file("/proc/cpuinfo", NULL);
	bool la57 = info && strstr(info, " la57");

	free(info);
	return la57;
}

TEST(paging_levels_match_cpu_la57)
{
	uint64_t levels = LAYOUT("paging_levels");
	uint64_t bits = LAYOUT("user_va_bits");

	if (!X86_64)
		SKIP(return, "LA57 and 47/56-bit user space are x86_64's");
	ASSERT_EQ(cpu_has_la57() ? 5 : 4, levels);
	ASSERT_EQ(levels == 5 ? 56 : 47, bits);
}

/* A hint above 2^47 is honoured only with 5-level page tables. */
TEST(high_mmap_hint_works_only_with_5_levels)
{
	uint64_t levels = LAYOUT("paging_levels");
	void *p;

	if (!X86_64)
		SKIP(return, "the 2^47 mmap() window is x86_64's");
	p = mmap((void *)(uintptr_t)(1ULL << 50), PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	if (levels == 5) {
		EXPECT_LE(1ULL << 47, ADDR(p));
	} else {
		EXPECT_GT(1ULL << 47, ADDR(p));
	}
	munmap(p, PAGE);
}

TEST(task_size_is_the_end_of_user_space)
{
	uint64_t task_size = LAYOUT("task_size");
	void *last = (void *)(uintptr_t)(task_size - PAGE);
	void *beyond = (void *)(uintptr_t)task_size;
	void *p;

	/* The last page below TASK_SIZE can be mapped (or is already). */
	p = mmap(last, PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED) {
		ASSERT_EQ(EEXIST, errno);
	} else {
		munmap(p, PAGE);
	}

	p = mmap(beyond, PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(ENOMEM, errno);
}

TEST(default_mmap_stays_below_mmap_window)
{
	uint64_t window = LAYOUT("mmap_window");
	void *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_GE(window, ADDR(p) + PAGE);
	munmap(p, PAGE);
	if (X86_64)	/* DEFAULT_MAP_WINDOW, whatever the levels */
		ASSERT_EQ((1ULL << 47) - PAGE, window);
}

struct kcore {
	struct kcore_segment seg[256];
	int n;
};

static void read_kcore(struct __test_metadata *_metadata, struct kcore *k)
{
	k->n = kcore_segments(k->seg, 256);
	ASSERT_LT(0, k->n) TH_LOG("cannot read /proc/kcore: %d", k->n);
}

/*
 * A segment of the linear/direct map: one with a physical address that
 * is not the kernel image's text segment (x86_64 and arm64 register one
 * at _text, with the image's physical address).
 */
static bool is_ram(const struct kcore_segment *s)
{
	return s->paddr != NO_PADDR && s->vaddr < START_KERNEL_MAP &&
	       s->vaddr != kallsyms_lookup("_text");
}

TEST(page_offset_and_direct_map_end_match_kcore_ram)
{
	uint64_t page_offset = LAYOUT("page_offset");
	uint64_t end = LAYOUT("direct_map_end");
	uint64_t max_end = 0, delta = 0;
	struct kcore k;
	int i, ram = 0;

	read_kcore(_metadata, &k);
	for (i = 0; i < k.n; i++) {
		if (!is_ram(&k.seg[i]))
			continue;
		/* One linear map: RAM is at one offset from its PA. */
		if (!ram++)
			delta = k.seg[i].vaddr - k.seg[i].paddr;
		EXPECT_EQ(delta, k.seg[i].vaddr - k.seg[i].paddr);
		EXPECT_LE(page_offset, k.seg[i].vaddr);
		if (k.seg[i].vaddr + k.seg[i].size > max_end)
			max_end = k.seg[i].vaddr + k.seg[i].size;
	}
	ASSERT_LT(0, ram);
	/*
	 * x86 maps physical 0 at PAGE_OFFSET; arm64 maps PHYS_OFFSET there
	 * (memstart_addr: not exported, at or below the lowest RAM, lower
	 * still with KASLR's linear-map randomization).
	 */
	if (!ARM64) {
		EXPECT_EQ(page_offset, delta);
	}
	EXPECT_EQ(max_end, end);
}

static const struct kcore_segment *segment_at(const struct kcore *k,
					      uint64_t vaddr)
{
	int i;

	for (i = 0; i < k->n; i++)
		if (k->seg[i].vaddr == vaddr)
			return &k->seg[i];
	return NULL;
}

TEST(vmalloc_matches_kcore)
{
	uint64_t start = LAYOUT("vmalloc_start");
	uint64_t end = LAYOUT("vmalloc_end");
	const struct kcore_segment *s;
	struct kcore k;

	read_kcore(_metadata, &k);
	s = segment_at(&k, start);
	ASSERT_NE(NULL, s) TH_LOG("no kcore segment at 0x%llx",
				  (unsigned long long)start);
	/* kcore registers VMALLOC_END - VMALLOC_START bytes. */
	EXPECT_EQ(end, s->vaddr + s->size);
}

TEST(modules_match_kcore)
{
	uint64_t start = LAYOUT("modules_start");
	uint64_t end = LAYOUT("modules_end");
	const struct kcore_segment *s;
	struct kcore k;

	read_kcore(_metadata, &k);
	s = segment_at(&k, start);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(end, s->vaddr + s->size);
}

/*
 * kcore registers the struct pages of each RAM range; the first RAM page
 * is within the first page of vmemmap, so the lowest such segment starts
 * at VMEMMAP_START.
 */
TEST(vmemmap_matches_kcore)
{
	uint64_t vmemmap, vend, mods, lowest = UINT64_MAX;
	struct kcore k;
	int i;

	/* i386 keeps its struct pages in mem_map, in the direct map. */
	if (sizeof(void *) == 4)
		SKIP(return, "a 32-bit kernel has no vmemmap");
	vmemmap = LAYOUT("vmemmap_start");
	vend = LAYOUT("vmalloc_end");
	mods = LAYOUT("modules_start");
	read_kcore(_metadata, &k);
	for (i = 0; i < k.n; i++) {
		const struct kcore_segment *s = &k.seg[i];

		/* x86_64's modules (and vsyscall page) lie above vmemmap. */
		if (s->paddr == NO_PADDR && s->vaddr > vend &&
		    (ARM64 || s->vaddr < mods) && s->vaddr < lowest)
			lowest = s->vaddr;
	}
	ASSERT_NE(UINT64_MAX, lowest) TH_LOG("no vmemmap segment in kcore");
	/*
	 * arm64's vmemmap is VMEMMAP_START less memstart_addr's pages:
	 * the first RAM page's struct page is at VMEMMAP_START only when
	 * the linear map is not offset (LPA2's 48-bit fallback and KASLR
	 * offset it), so there it is only at or above it.
	 */
	if (ARM64) {
		EXPECT_LE(vmemmap, lowest);
	} else {
		EXPECT_EQ(lowest, vmemmap);
	}
}

TEST(kernel_text_matches_kallsyms_and_kcore)
{
	uint64_t text = LAYOUT("kernel_text_start");
	struct kcore k;

	ASSERT_EQ(kallsyms_lookup("_text"), text);
	read_kcore(_metadata, &k);
	if (sizeof(void *) == 4) {
		/* i386 has no kcore text segment: its text is in lowmem. */
		const struct kcore_segment *s = NULL;
		int i;

		for (i = 0; i < k.n; i++)
			if (is_ram(&k.seg[i]) && k.seg[i].vaddr <= text &&
			    text < k.seg[i].vaddr + k.seg[i].size)
				s = &k.seg[i];
		ASSERT_NE(NULL, s) TH_LOG("_text in no kcore RAM segment");
		return;
	}
	ASSERT_NE(NULL, segment_at(&k, text));
	EXPECT_NE(NO_PADDR, segment_at(&k, text)->paddr);
}

/* Documentation/x86/x86_64/mm.rst, without randomisation. */
TEST(nokaslr_boot_uses_documented_bases)
{
	bool l5;

	if (!cmdline_has("nokaslr"))
		SKIP(return, "booted with KASLR (the host test boots nokaslr)");
	l5 = LAYOUT("paging_levels") == 5;
	EXPECT_EQ(l5 ? 0xff11000000000000ULL : 0xffff888000000000ULL,
		  LAYOUT("page_offset"));
	EXPECT_EQ(l5 ? 0xffa0000000000000ULL : 0xffffc90000000000ULL,
		  LAYOUT("vmalloc_start"));
	EXPECT_EQ(l5 ? 0xffd4000000000000ULL : 0xffffea0000000000ULL,
		  LAYOUT("vmemmap_start"));
	EXPECT_EQ(0xffffffff81000000ULL, LAYOUT("kernel_text_start"));
	EXPECT_EQ(0, LAYOUT("kaslr"));
}

TEST(kaslr_reported_as_booted)
{
	EXPECT_EQ(!cmdline_has("nokaslr"), LAYOUT("kaslr"));
}

TEST(kptr_restrict_2_hides_kernel_addresses_from_root)
{
	struct saved_sysctl save = { 0 };
	uint64_t v;

	ASSERT_EQ(0, sysctl_set(&save, "/proc/sys/kernel/kptr_restrict", "2"));
	EXPECT_TRUE(layout_kernel_hidden());
	EXPECT_FALSE(layout_value("page_offset", &v));
	EXPECT_FALSE(layout_value("kernel_text_start", &v));
	/* What any process can find out stays visible. */
	EXPECT_TRUE(layout_value("task_size", &v));
	sysctl_restore(&save);
}

TEST(kptr_restrict_1_shows_kernel_addresses_to_root)
{
	struct saved_sysctl save = { 0 };
	uint64_t v;

	ASSERT_EQ(0, sysctl_set(&save, "/proc/sys/kernel/kptr_restrict", "1"));
	EXPECT_FALSE(layout_kernel_hidden());
	EXPECT_TRUE(layout_value("page_offset", &v));
	sysctl_restore(&save);
}

static int try_open_layout(void *arg)
{
	int fd = open(VMSCOPE_DEBUGFS "/layout", O_RDONLY);

	(void)arg;
	return fd < 0 && errno == EACCES ? 0 : 1;
}

TEST(layout_is_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat(VMSCOPE_DEBUGFS "/layout", &st));
	EXPECT_EQ(0400, st.st_mode & 0777);
	EXPECT_EQ(0, run_as_nobody(try_open_layout, NULL));
}

TEST_HARNESS_MAIN
