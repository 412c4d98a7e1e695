// SPDX-License-Identifier: GPL-2.0
/* Words and numbers for people (see format.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"

static const char *const kind_names[] = {
	[VMSCOPE_VMA_TEXT] = "text",
	[VMSCOPE_VMA_DATA] = "data",
	[VMSCOPE_VMA_BSS] = "bss",
	[VMSCOPE_VMA_HEAP] = "heap",
	[VMSCOPE_VMA_STACK] = "stack",
	[VMSCOPE_VMA_MMAP_ANON] = "mmap-anon",
	[VMSCOPE_VMA_FILE_PRIVATE] = "file-private",
	[VMSCOPE_VMA_FILE_SHARED] = "file-shared",
	[VMSCOPE_VMA_SHARED_ANON] = "shared-anon",
	[VMSCOPE_VMA_VDSO] = "vdso",
	[VMSCOPE_VMA_GUARD] = "guard",
	[VMSCOPE_VMA_HUGETLB] = "hugetlb",
	[VMSCOPE_VMA_PFNMAP] = "pfnmap",
};

static const char *const state_names[] = {
	[VMSCOPE_STATE_NONE] = "none",
	[VMSCOPE_STATE_PRESENT] = "present",
	[VMSCOPE_STATE_SWAP] = "swap",
	[VMSCOPE_STATE_MIGRATION] = "migration",
	[VMSCOPE_STATE_DEVICE] = "device",
	[VMSCOPE_STATE_HWPOISON] = "hwpoison",
	[VMSCOPE_STATE_MARKER] = "marker",
	[VMSCOPE_STATE_PFNMAP] = "pfnmap",
	[VMSCOPE_STATE_UNWALKED] = "unwalked",
	[VMSCOPE_STATE_NO_VMA] = "no-vma",
};

static const char *const level_names[] = {
	[VMSCOPE_LEVEL_PTE] = "pte",
	[VMSCOPE_LEVEL_PMD] = "pmd",
	[VMSCOPE_LEVEL_PUD] = "pud",
	[VMSCOPE_LEVEL_P4D] = "p4d",
	[VMSCOPE_LEVEL_PGD] = "pgd",
};

static const char *name_of(const char *const *names, size_t n, u32 v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

const char *vs_kind_name(u32 kind)
{
	return name_of(kind_names, ARRAY_SIZE(kind_names), kind);
}

const char *vs_state_name(u32 state)
{
	return name_of(state_names, ARRAY_SIZE(state_names), state);
}

const char *vs_level_name(u32 level)
{
	if (level == VMSCOPE_LEVEL_NONE)
		return NULL;
	return name_of(level_names, ARRAY_SIZE(level_names), level);
}

/* The words and sentences of the module's explain (module/explain.c). */
static const struct {
	const char *name;
	const char *text;
} faults[] = {
	[VMSCOPE_FAULT_NONE] = { "none",
		"no fault: the entry is present and allows it" },
	[VMSCOPE_FAULT_SEGV_MAPERR] = { "sigsegv-maperr",
		"SIGSEGV (SEGV_MAPERR): no VMA covers the address" },
	[VMSCOPE_FAULT_SEGV_ACCERR] = { "sigsegv-accerr",
		"SIGSEGV (SEGV_ACCERR): the VMA does not allow this access" },
	[VMSCOPE_FAULT_STACK_GROW] = { "stack-grow",
		"minor fault: the stack grows down to cover it, then a new zeroed page" },
	[VMSCOPE_FAULT_SIGBUS] = { "sigbus",
		"SIGBUS: past the end of the file, or the page is poisoned" },
	[VMSCOPE_FAULT_MINOR_ZERO] = { "minor-zero-page",
		"minor fault: maps the shared zero page read-only" },
	[VMSCOPE_FAULT_MINOR_ANON] = { "minor-new-page",
		"minor fault: allocates a zeroed page and maps it writable" },
	[VMSCOPE_FAULT_MINOR_CACHE] = { "minor-page-cache",
		"minor fault: the file page is in the page cache and gets mapped" },
	[VMSCOPE_FAULT_MINOR_CACHE_COW] = { "minor-page-cache-copy",
		"minor fault: copies the cached file page into a private page" },
	[VMSCOPE_FAULT_MINOR_SHMEM] = { "minor-shmem-new-page",
		"minor fault: a hole in a tmpfs/shmem file gets a zeroed page" },
	[VMSCOPE_FAULT_MAJOR_FILE] = { "major-file-read",
		"major fault: the page is read from the file" },
	[VMSCOPE_FAULT_MAJOR_SWAP] = { "major-swap-in",
		"major fault: the page is read back from swap" },
	[VMSCOPE_FAULT_COW_COPY] = { "cow-copy",
		"minor fault: copy-on-write, the shared page gets copied" },
	[VMSCOPE_FAULT_COW_REUSE] = { "cow-reuse",
		"minor fault: write-protected but ours alone, reused writable" },
	[VMSCOPE_FAULT_WRITE_NOTIFY] = { "write-notify",
		"minor fault: the filesystem is told of the first write" },
	[VMSCOPE_FAULT_UFFD] = { "userfaultfd",
		"handed to the userfaultfd handler of this range" },
	[VMSCOPE_FAULT_MIGRATION] = { "wait-migration",
		"waits until the page's migration finishes, then retries" },
	[VMSCOPE_FAULT_DEVICE] = { "device-migrate",
		"the page is migrated back from device memory" },
	[VMSCOPE_FAULT_HUGETLB] = { "hugetlb",
		"hugetlbfs fault (vmscope does not walk hugetlb tables)" },
	[VMSCOPE_FAULT_DRIVER] = { "driver",
		"the driver's fault handler decides (PFN map)" },
};

const char *vs_fault_name(u32 fault)
{
	return fault < ARRAY_SIZE(faults) ? faults[fault].name : "unknown";
}

const char *vs_fault_text(u32 fault)
{
	return fault < ARRAY_SIZE(faults) ? faults[fault].text : "";
}

const struct vs_flag_name vs_vma_flag_names[] = {
	{ VMSCOPE_VMA_F_READ, "read" },
	{ VMSCOPE_VMA_F_WRITE, "write" },
	{ VMSCOPE_VMA_F_EXEC, "exec" },
	{ VMSCOPE_VMA_F_SHARED, "shared" },
	{ VMSCOPE_VMA_F_MAYWRITE, "maywrite" },
	{ VMSCOPE_VMA_F_GROWSDOWN, "growsdown" },
	{ VMSCOPE_VMA_F_LOCKED, "locked" },
	{ VMSCOPE_VMA_F_HUGEPAGE, "hugepage" },
	{ VMSCOPE_VMA_F_NOHUGEPAGE, "nohugepage" },
	{ VMSCOPE_VMA_F_PFNMAP, "pfnmap" },
	{ VMSCOPE_VMA_F_IO, "io" },
	{ VMSCOPE_VMA_F_MERGEABLE, "mergeable" },
	{ VMSCOPE_VMA_F_DONTCOPY, "dontcopy" },
	{ VMSCOPE_VMA_F_WIPEONFORK, "wipeonfork" },
	{ VMSCOPE_VMA_F_UFFD, "uffd" },
	{ VMSCOPE_VMA_F_SOFTDIRTY, "softdirty" },
	{ VMSCOPE_VMA_F_HUGETLB, "hugetlb" },
	{ VMSCOPE_VMA_F_MIXEDMAP, "mixedmap" },
	{ 0, NULL },
};

const struct vs_flag_name vs_page_flag_names[] = {
	{ VMSCOPE_PAGE_F_WRITE, "write" },
	{ VMSCOPE_PAGE_F_DIRTY, "dirty" },
	{ VMSCOPE_PAGE_F_YOUNG, "young" },
	{ VMSCOPE_PAGE_F_NX, "nx" },
	{ VMSCOPE_PAGE_F_USER, "user" },
	{ VMSCOPE_PAGE_F_GLOBAL, "global" },
	{ VMSCOPE_PAGE_F_SOFT_DIRTY, "soft_dirty" },
	{ VMSCOPE_PAGE_F_UFFD_WP, "uffd_wp" },
	{ VMSCOPE_PAGE_F_ZERO, "zero" },
	{ VMSCOPE_PAGE_F_HUGE_ZERO, "huge_zero" },
	{ VMSCOPE_PAGE_F_ANON, "anon" },
	{ VMSCOPE_PAGE_F_FILE, "file" },
	{ VMSCOPE_PAGE_F_KSM, "ksm" },
	{ VMSCOPE_PAGE_F_THP, "thp" },
	{ VMSCOPE_PAGE_F_EXCLUSIVE, "exclusive" },
	{ VMSCOPE_PAGE_F_COW, "cow" },
	{ VMSCOPE_PAGE_F_PAGE_CACHE, "page_cache" },
	{ VMSCOPE_PAGE_F_SWAP_EXCL, "swap_excl" },
	{ VMSCOPE_PAGE_F_MMAP_EXCL, "mmap_excl" },
	{ 0, NULL },
};

void vs_perms(u32 f, char out[5])
{
	out[0] = f & VMSCOPE_VMA_F_READ ? 'r' : '-';
	out[1] = f & VMSCOPE_VMA_F_WRITE ? 'w' : '-';
	out[2] = f & VMSCOPE_VMA_F_EXEC ? 'x' : '-';
	out[3] = f & VMSCOPE_VMA_F_SHARED ? 's' : 'p';
	out[4] = '\0';
}

void vs_flags_str(const struct vs_flag_name *names, u32 flags, char *buf,
		  size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; names->name; names++) {
		if (!(flags & names->bit))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s", used ? "," : "", names->name);
	}
	if (!used)
		snprintf(buf, len, "-");
}

const char *vs_size(u64 bytes, char *buf, size_t len)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
	};
	unsigned int u = 0;
	u64 scale = 1;

	while (u + 1 < ARRAY_SIZE(units) && bytes / scale >= 1024) {
		scale *= 1024;
		u++;
	}
	/* One decimal below 10 units, when it is not a whole number. */
	if (u && bytes / scale < 10 && bytes % scale)
		snprintf(buf, len, "%.1f %s", (double)bytes / (double)scale,
			 units[u]);
	else
		snprintf(buf, len, "%llu %s", bytes / scale, units[u]);
	return buf;
}

const char *vs_c_reset = "", *vs_c_dim = "", *vs_c_bold = "", *vs_c_red = "",
	*vs_c_green = "", *vs_c_yellow = "", *vs_c_blue = "",
	*vs_c_magenta = "", *vs_c_cyan = "";

bool vs_colour(void)
{
	const char *no = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && !(no && *no);
}

void vs_colour_init(void)
{
	if (!vs_colour())
		return;
	vs_c_reset = "\033[0m";
	vs_c_dim = "\033[2m";
	vs_c_bold = "\033[1m";
	vs_c_red = "\033[31m";
	vs_c_green = "\033[32m";
	vs_c_yellow = "\033[33m";
	vs_c_blue = "\033[34m";
	vs_c_magenta = "\033[35m";
	vs_c_cyan = "\033[36m";
}

int vs_addr_width(u64 max)
{
	int w = 1;

	while (w < 16 && max >> (4 * w))
		w++;
	return w < 12 ? 12 : w;
}
