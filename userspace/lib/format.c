// SPDX-License-Identifier: GPL-2.0
/* Words and numbers for people (see format.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"

static const char *const kind_names[] = VMSCOPE_VMA_KIND_NAMES;
static const char *const state_names[] = VMSCOPE_STATE_NAMES;
static const char *const level_names[] = VMSCOPE_LEVEL_NAMES;
static const char *const fault_names[] = VMSCOPE_FAULT_NAMES;
static const char *const fault_texts[] = VMSCOPE_FAULT_TEXTS;
static const char *const access_names[] = VMSCOPE_ACCESS_NAMES;
static const char *const trace_end_names[] = VMSCOPE_TRACE_END_NAMES;

const struct vmscope_flag_name vs_vma_flag_names[] = VMSCOPE_VMA_FLAG_NAMES;
const struct vmscope_flag_name vs_page_flag_names[] = VMSCOPE_PAGE_FLAG_NAMES;

const struct vs_count_name vs_count_names[] = {
	{ VMSCOPE_COUNT_A_NONE, "none" },
	{ VMSCOPE_COUNT_A_PRESENT, "present" },
	{ VMSCOPE_COUNT_A_SWAP, "swap" },
	{ VMSCOPE_COUNT_A_ZERO, "zero" },
	{ VMSCOPE_COUNT_A_THP, "thp" },
	{ VMSCOPE_COUNT_A_COW, "cow" },
	{ VMSCOPE_COUNT_A_EXCLUSIVE, "exclusive" },
	{ VMSCOPE_COUNT_A_PAGE_CACHE, "page_cache" },
	{ VMSCOPE_COUNT_A_CACHE_HIDDEN, "cache_hidden" },
	{ VMSCOPE_COUNT_A_OTHER, "other" },
};

const size_t vs_nr_count_names = ARRAY_SIZE(vs_count_names);

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

const char *vs_fault_name(u32 fault)
{
	return name_of(fault_names, ARRAY_SIZE(fault_names), fault);
}

const char *vs_fault_text(u32 fault)
{
	return fault < ARRAY_SIZE(fault_texts) && fault_texts[fault] ?
	       fault_texts[fault] : "";
}

const char *vs_access_name(u32 access)
{
	return name_of(access_names, ARRAY_SIZE(access_names), access);
}

const char *vs_trace_end_name(u32 reason)
{
	return name_of(trace_end_names, ARRAY_SIZE(trace_end_names), reason);
}

void vs_perms(u32 f, char out[5])
{
	out[0] = f & VMSCOPE_VMA_F_READ ? 'r' : '-';
	out[1] = f & VMSCOPE_VMA_F_WRITE ? 'w' : '-';
	out[2] = f & VMSCOPE_VMA_F_EXEC ? 'x' : '-';
	out[3] = f & VMSCOPE_VMA_F_SHARED ? 's' : 'p';
	out[4] = '\0';
}

void vs_flags_str(const struct vmscope_flag_name *names, u32 flags, char *buf,
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

const char *vs_mapcount(u32 page_flags, u32 mapcount, char *buf, size_t len)
{
	if (page_flags & VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN)
		snprintf(buf, len, "?");
	else if (page_flags & VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%u", mapcount);
	return buf;
}

const char *vs_order(u32 page_flags, u32 order, char *buf, size_t len)
{
	if (page_flags & VMSCOPE_PAGE_F_BITS_HIDDEN)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%u", order);
	return buf;
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
	const char *force = getenv("VMSCOPE_COLOR");

	if (no && *no)
		return false;
	/* For wrappers whose output reaches a terminal through a file. */
	if (force && !strcmp(force, "always"))
		return true;
	return isatty(STDOUT_FILENO);
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

/* The members of "vmscope layout", in the order it prints them. */
const struct vs_layout_row vs_layout_rows[] = {
	{ VMSCOPE_LAYOUT_A_PAGING_LEVELS, "paging_levels", false,
	  "page-table levels" },
	{ VMSCOPE_LAYOUT_A_USER_VA_BITS, "user_va_bits", false,
	  "bits of a user virtual address" },
	{ VMSCOPE_LAYOUT_A_PAGE_SIZE, "page_size", false, "bytes" },
	{ VMSCOPE_LAYOUT_A_TASK_SIZE, "task_size", true,
	  "end of user space" },
	{ VMSCOPE_LAYOUT_A_MMAP_WINDOW, "mmap_window", true,
	  "mmap() stays below unless given a higher hint" },
	{ VMSCOPE_LAYOUT_A_KASLR, "kaslr", false,
	  "kernel addresses randomised" },
	{ VMSCOPE_LAYOUT_A_PAGE_OFFSET, "page_offset", true,
	  "direct map of all physical memory" },
	{ VMSCOPE_LAYOUT_A_DIRECT_MAP_END, "direct_map_end", true,
	  "end of the mapped RAM" },
	{ VMSCOPE_LAYOUT_A_VMALLOC_START, "vmalloc_start", true,
	  "vmalloc and ioremap area" },
	{ VMSCOPE_LAYOUT_A_VMALLOC_END, "vmalloc_end", true,
	  "its last byte" },
	{ VMSCOPE_LAYOUT_A_VMEMMAP_START, "vmemmap_start", true,
	  "struct page array" },
	{ VMSCOPE_LAYOUT_A_KERNEL_TEXT_START, "kernel_text_start", true,
	  "kernel image" },
	{ VMSCOPE_LAYOUT_A_MODULES_START, "modules_start", true,
	  "module area" },
	{ VMSCOPE_LAYOUT_A_MODULES_END, "modules_end", true,
	  "end of the module area" },
};

const size_t vs_nr_layout_rows = ARRAY_SIZE(vs_layout_rows);

size_t vs_utf8_len(const unsigned char *s)
{
	size_t n, i;
	u32 cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* No overlong forms, surrogates or values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * What a terminal would act on is shown as \ooo: C0 controls and DEL,
 * the C1 controls (U+0080..U+009F, which some terminals obey when they
 * come as UTF-8), and bytes that are not UTF-8 (a lone 0x9b is CSI on
 * an 8-bit terminal).  Newline is \012 as /proc/PID/maps prints it.
 */
const char *vs_name(const char *raw, char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t n = 0, i, k;

	if (!len)
		return buf;
	while (*s) {
		k = vs_utf8_len(s);
		if (k && *s >= 0x20 && *s != 0x7f &&
		    !(k == 2 && s[0] == 0xc2 && s[1] < 0xa0)) {
			if (n + k >= len)
				break;
			memcpy(buf + n, s, k);
			n += k;
			s += k;
			continue;
		}
		for (i = 0; i < (k ? k : 1); i++, s++) {
			if (n + 4 >= len)
				goto out;
			n += snprintf(buf + n, len - n, "\\%03o", *s);
		}
	}
out:
	buf[n] = '\0';
	return buf;
}
