// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope layout: the kernel's virtual memory layout (with a PID, the
 * process's picture: cmd_proc_layout.c).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static int layout_json(FILE *f, const void *arg)
{
	const struct vs_layout *l = arg;
	struct json j;

	json_init(&j, f);
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

	for (i = 0; i < vs_nr_layout_rows; i++) {
		int at = vs_layout_rows[i].attr;

		if (!l->has[at]) {
			hidden = true;
			continue;
		}
		if (at == VMSCOPE_LAYOUT_A_KASLR)
			snprintf(value, sizeof(value), "%s",
				 l->v[at] ? "yes" : "no");
		else if (vs_layout_rows[i].addr)
			snprintf(value, sizeof(value), "0x%016llx", l->v[at]);
		else
			snprintf(value, sizeof(value), "%llu", l->v[at]);
		printf("%-18s %-18s  %s%s", vs_layout_rows[i].name, value, vs_c_dim,
		       vs_layout_rows[i].what);
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
	if (a->svg)
		return vs_svg_out(a, layout_json, &l);
	if (a->json)
		return layout_json(stdout, &l);
	vs_colour_init();
	layout_text(&l);
	return VS_EXIT_OK;
}
