// SPDX-License-Identifier: GPL-2.0
/* vmscope explain: what a read, write or fetch at an address would do. */
#include <stdio.h>

#include "commands.h"

static const char *const accesses[] = { "read", "write", "exec" };

/* Walk order: the top level first; P4D only with 5-level paging. */
static const struct {
	int level;
	const char *name;
} walk[] = {
	{ VMSCOPE_LEVEL_PGD, "pgd" },
	{ VMSCOPE_LEVEL_P4D, "p4d" },
	{ VMSCOPE_LEVEL_PUD, "pud" },
	{ VMSCOPE_LEVEL_PMD, "pmd" },
	{ VMSCOPE_LEVEL_PTE, "pte" },
};

static void flags_json(struct json *j, u32 flags)
{
	const struct vmscope_flag_name *f;

	json_arr_begin(j);
	for (f = vs_vma_flag_names; f->name; f++)
		if (flags & f->bit)
			json_str(j, f->name);
	json_arr_end(j);
}

static int explain_json(const struct vs_args *a, const struct vs_explain *e)
{
	struct json j;
	unsigned int i;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kv_u64(&j, "pid", a->pid);
	json_kv_hex(&j, "addr", e->addr);
	json_key(&j, "vma");
	if (e->in_vma)
		vs_vma_json(&j, &e->vma);
	else
		json_null(&j);
	if (e->has_prev)
		json_kv_hex(&j, "prev_end", e->prev_end);
	else
		json_kv_null(&j, "prev_end");
	if (e->has_next) {
		json_kv_hex(&j, "next_start", e->next_start);
		json_key(&j, "next_flags");
		flags_json(&j, e->next_flags);
	} else {
		json_kv_null(&j, "next_start");
		json_kv_null(&j, "next_flags");
	}
	json_key(&j, "entries");
	json_obj_begin(&j);
	for (i = 0; i < ARRAY_SIZE(walk); i++) {
		if (e->has_raw[walk[i].level])
			json_kv_hex(&j, walk[i].name, e->raw[walk[i].level]);
		else
			json_kv_null(&j, walk[i].name);
	}
	json_obj_end(&j);
	json_key(&j, "page");
	if (e->has_page) {
		json_obj_begin(&j);
		vs_page_fields_json(&j, &e->page, 0);
		json_obj_end(&j);
	} else {
		json_null(&j);
	}
	for (i = 0; i < ARRAY_SIZE(accesses); i++)
		json_kv_str(&j, accesses[i], vs_fault_name(e->fault[i]));
	json_obj_end(&j);
	return json_finish(&j) ? VS_EXIT_ERROR : VS_EXIT_OK;
}

static void explain_text(const struct vs_args *a, const struct vs_explain *e)
{
	char perms[5], gap[VS_SIZE_LEN], flags[256], mapcount[VS_MAPCOUNT_LEN];
	char name[VS_NAME_LEN], order[VS_MAPCOUNT_LEN];
	const char *level;
	unsigned int i;

	printf("pid %u, address 0x%llx (page 0x%llx)\n", a->pid, a->addr,
	       e->addr);
	if (e->in_vma) {
		vs_perms(e->vma.flags, perms);
		printf("vma     %llx-%llx %s %s %s\n", e->vma.start, e->vma.end,
		       perms, vs_kind_name(e->vma.kind),
		       vs_name(e->vma.path, name, sizeof(name)));
	} else {
		printf("vma     %snone%s", vs_c_bold, vs_c_reset);
		if (e->has_prev)
			printf(", %s above the VMA that ends at %llx",
			       vs_size(e->addr - e->prev_end, gap, sizeof(gap)),
			       e->prev_end);
		if (e->has_next)
			printf(", %s below the %sVMA at %llx",
			       vs_size(e->next_start - e->addr, gap, sizeof(gap)),
			       e->next_flags & VMSCOPE_VMA_F_GROWSDOWN ?
			       "stack " : "", e->next_start);
		printf("\n");
	}
	for (i = 0; i < ARRAY_SIZE(walk); i++) {
		if (!e->has_raw[walk[i].level])
			continue;
		printf("%-7s 0x%016llx\n", walk[i].name, e->raw[walk[i].level]);
	}
	if (e->has_page) {
		level = vs_level_name(e->page.level);
		vs_flags_str(vs_page_flag_names, e->page.flags, flags,
			     sizeof(flags));
		printf("page    %s%s%s at the %s, mapcount %s, order %s, %s\n",
		       vs_c_bold, vs_state_name(e->page.state), vs_c_reset,
		       level ? level : "top",
		       vs_mapcount(e->page.flags, e->page.mapcount, mapcount,
				   sizeof(mapcount)),
		       vs_order(e->page.flags, e->page.order, order,
				sizeof(order)), flags);
		if (e->page.flags & VMSCOPE_PAGE_F_BITS_HIDDEN)
			printf("hidden  %s\n        %s\n",
			       "the entries' accessed, dirty, write, nx, user, global bits",
			       "and the folio's exclusive, cow, order: not this caller's");
		if (e->page.has_pfn)
			printf("pfn     0x%llx\n", e->page.pfn);
	}
	for (i = 0; i < ARRAY_SIZE(accesses); i++)
		printf("%-7s %s%-22s%s %s\n", accesses[i], vs_c_bold,
		       vs_fault_name(e->fault[i]), vs_c_reset,
		       vs_fault_text(e->fault[i]));
}

int cmd_explain(struct vs_nl *nl, const struct vs_args *a)
{
	struct vs_explain e;
	struct vs_error err;
	int ret = VS_EXIT_OK;

	if (vs_explain(nl, a->pid, a->addr, &e, &err))
		return vs_report(a, &err);
	if (a->json) {
		ret = explain_json(a, &e);
	} else {
		vs_colour_init();
		explain_text(a, &e);
	}
	vs_explain_free(&e);
	return ret;
}
