/* SPDX-License-Identifier: GPL-2.0 */
/* Words and numbers for people: names of the ABI's values, sizes, colour. */
#ifndef VMSCOPE_FORMAT_H
#define VMSCOPE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "query.h"

/* The words of docs/debugfs.md, so that both interfaces read alike. */
const char *vs_kind_name(u32 kind);
const char *vs_state_name(u32 state);
const char *vs_level_name(u32 level);	/* NULL for VMSCOPE_LEVEL_NONE */
/* What a fault does (enum vmscope_fault): a word, and a sentence. */
const char *vs_fault_name(u32 fault);
const char *vs_fault_text(u32 fault);
/* A trace's access (enum vmscope_access), why it ended (vmscope_trace_end). */
const char *vs_access_name(u32 access);
const char *vs_trace_end_name(u32 reason);

/* Lists of { bit, name }, ended by { 0, NULL }: vmscope_names.h. */
extern const struct vmscope_flag_name vs_vma_flag_names[];
extern const struct vmscope_flag_name vs_page_flag_names[];

/*
 * The page counts of a VMA (VMSCOPE_COUNT_A_*) by their JSON names, in
 * the order "maps --json" prints them (pss_kb, from PSS_BYTES, apart).
 */
struct vs_count_name {
	int attr;
	const char *name;
};

extern const struct vs_count_name vs_count_names[];
extern const size_t vs_nr_count_names;

/* "r-xp", as /proc/PID/maps. */
void vs_perms(u32 vma_flags, char out[5]);
/* Comma-separated names of the set bits, "-" for none. */
void vs_flags_str(const struct vmscope_flag_name *names, u32 flags, char *buf,
		  size_t len);

/*
 * A page's map count, or "?" when the kernel keeps none for it (the page
 * flag VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN).
 */
const char *vs_mapcount(u32 page_flags, u32 mapcount, char *buf, size_t len);
#define VS_MAPCOUNT_LEN 12
/* The folio order, or "-" where hidden (VMSCOPE_PAGE_F_BITS_HIDDEN). */
const char *vs_order(u32 page_flags, u32 order, char *buf, size_t len);

/* "0 B", "4 KiB", "1.5 MiB", "64 GiB". */
const char *vs_size(u64 bytes, char *buf, size_t len);
#define VS_SIZE_LEN 16

/* Colour on a terminal, unless NO_COLOR is set (no-color.org). */
bool vs_colour(void);
extern const char *vs_c_reset, *vs_c_dim, *vs_c_bold, *vs_c_red,
	*vs_c_green, *vs_c_yellow, *vs_c_blue, *vs_c_magenta, *vs_c_cyan;
void vs_colour_init(void);

/* The members of "vmscope layout", in its order (format.c). */
struct vs_layout_row {
	int attr;		/* VMSCOPE_LAYOUT_A_* */
	const char *name;
	bool addr;		/* printed as an address */
	const char *what;
};

extern const struct vs_layout_row vs_layout_rows[];
extern const size_t vs_nr_layout_rows;

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
size_t vs_utf8_len(const unsigned char *s);

/*
 * A file name for a terminal: as /proc/PID/maps prints it (a newline as
 * \012), and every other control character, and every byte that is not
 * UTF-8, as \ooo too, so that a name can neither start a line nor steer
 * the terminal.  Into buf (len bytes), cut before what does not fit;
 * returns buf.  Netlink and JSON carry the name as it is.
 */
const char *vs_name(const char *raw, char *buf, size_t len);
#define VS_NAME_LEN (4 * 4096)

/* Width of the hex digits needed for addresses up to max (at least 12). */
int vs_addr_width(u64 max);

#endif /* VMSCOPE_FORMAT_H */
