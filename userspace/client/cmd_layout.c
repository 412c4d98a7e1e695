// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope layout: the kernel's virtual memory layout (with a PID, the
 * process's picture: cmd_proc_layout.c).
 */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "json.h"
#include "nl.h"

static const struct {
	int attr;
	const char *name;
	bool addr;		/* printed as an address */
	const char *what;
} rows[] = {
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

#define NR_ROWS ARRAY_SIZE(rows)

void vs_layout_json_fields(struct json *j, const struct vs_layout *l)
{
	unsigned int i;

	for (i = 0; i < NR_ROWS; i++) {
		int at = rows[i].attr;

		if (!l->has[at])
			json_kv_null(j, rows[i].name);
		else if (at == VMSCOPE_LAYOUT_A_KASLR)
			json_kv_bool(j, rows[i].name, l->v[at]);
		else if (rows[i].addr)
			json_kv_hex(j, rows[i].name, l->v[at]);
		else
			json_kv_u64(j, rows[i].name, l->v[at]);
	}
}

static int layout_json(const struct vs_layout *l)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j);
	vs_layout_json_fields(&j, l);
	json_obj_end(&j);
	return json_finish(&j) ? VS_EXIT_ERROR : VS_EXIT_OK;
}

static void layout_text(const struct vs_layout *l)
{
	char value[32], size[VS_SIZE_LEN];
	bool hidden = false;
	unsigned int i;

	for (i = 0; i < NR_ROWS; i++) {
		int at = rows[i].attr;

		if (!l->has[at]) {
			hidden = true;
			continue;
		}
		if (at == VMSCOPE_LAYOUT_A_KASLR)
			snprintf(value, sizeof(value), "%s",
				 l->v[at] ? "yes" : "no");
		else if (rows[i].addr)
			snprintf(value, sizeof(value), "0x%016llx", l->v[at]);
		else
			snprintf(value, sizeof(value), "%llu", l->v[at]);
		printf("%-18s %-18s  %s%s", rows[i].name, value, vs_c_dim,
		       rows[i].what);
		/* The user space sizes are easier to take in with units. */
		if (at == VMSCOPE_LAYOUT_A_TASK_SIZE ||
		    at == VMSCOPE_LAYOUT_A_MMAP_WINDOW)
			printf(" (%s)", vs_size(l->v[at], size, sizeof(size)));
		printf("%s\n", vs_c_reset);
	}
	if (hidden)
		printf("%skernel addresses hidden: they need CAP_SYSLOG and kptr_restrict < 2%s\n",
		       vs_c_dim, vs_c_reset);
}

int cmd_layout(struct vs_nl *nl, const struct vs_args *a)
{
	struct vs_error err;
	struct vs_layout l;

	if (a->pid)
		return cmd_proc_layout(nl, a);
	if (vs_get_layout(nl, &l, &err))
		return vs_report(a, &err);
	if (a->json)
		return layout_json(&l);
	vs_colour_init();
	layout_text(&l);
	return VS_EXIT_OK;
}
