// SPDX-License-Identifier: GPL-2.0
/* vmscope pages: what the page tables say about each page. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

/* Per-page JSON beyond this many pages (64 GiB) is refused: use --runs. */
#define VS_MAX_JSON_PAGES (16ULL * 1024 * 1024)

static int pages_json(const struct vs_args *a, const struct vs_pages *l)
{
	struct json j;
	u64 total = 0, k;
	size_t i;

	if (!a->runs) {
		for (i = 0; i < l->n; i++)
			if (l->v[i].state != VMSCOPE_STATE_NO_VMA)
				total += l->v[i].nr;
		if (total > VS_MAX_JSON_PAGES) {
			fprintf(stderr,
				"vmscope: pid %u: %llu pages are too many for per-page JSON (at most %llu): give a smaller range, or use --runs\n",
				a->pid, total, VS_MAX_JSON_PAGES);
			return VS_EXIT_ERROR;
		}
	}

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kv_u64(&j, "pid", a->pid);
	json_key(&j, a->runs ? "runs" : "pages");
	json_arr_begin(&j);
	for (i = 0; i < l->n; i++) {
		const struct vs_page *p = &l->v[i];

		if (a->runs) {
			json_obj_begin(&j);
			json_kv_hex(&j, "start", p->addr);
			json_kv_hex(&j, "end",
				    p->addr + p->nr * vs_page_size());
			json_kv_u64(&j, "count", p->nr);
			vs_page_fields_json(&j, p, 0);
			json_obj_end(&j);
			continue;
		}
		/* Pages in no VMA are not the process's pages. */
		if (p->state == VMSCOPE_STATE_NO_VMA)
			continue;
		for (k = 0; k < p->nr; k++) {
			json_obj_begin(&j);
			json_kv_hex(&j, "addr", p->addr + k * vs_page_size());
			vs_page_fields_json(&j, p, k);
			json_obj_end(&j);
		}
	}
	json_arr_end(&j);
	json_obj_end(&j);
	return json_finish(&j) ? VS_EXIT_ERROR : VS_EXIT_OK;
}

static const char *state_colour(u32 state)
{
	switch (state) {
	case VMSCOPE_STATE_PRESENT:
		return vs_c_green;
	case VMSCOPE_STATE_SWAP:
		return vs_c_yellow;
	case VMSCOPE_STATE_NONE:
	case VMSCOPE_STATE_NO_VMA:
		return vs_c_dim;
	case VMSCOPE_STATE_HWPOISON:
		return vs_c_red;
	default:
		return vs_c_magenta;
	}
}

static void pages_text(const struct vs_args *a, const struct vs_pages *l)
{
	u64 by_state[VMSCOPE_STATE_MAX + 1] = { 0 }, max = 0, pages = 0;
	char where[40], flags[256], size[VS_SIZE_LEN], mapcount[VS_MAPCOUNT_LEN];
	char order[VS_MAPCOUNT_LEN];
	const char *level;
	size_t i;
	int w, s;

	for (i = 0; i < l->n; i++)
		if (l->v[i].addr + l->v[i].nr * vs_page_size() > max)
			max = l->v[i].addr + l->v[i].nr * vs_page_size();
	w = vs_addr_width(max);

	printf("%s%-*s %9s %-9s %-5s %-14s %3s %3s %s%s\n", vs_c_bold,
	       2 * w + 1, "START-END", "PAGES", "STATE", "LEVEL",
	       a->runs ? "PFN/SWAP(1st)" : "PFN/SWAP", "MAP", "ORD", "FLAGS",
	       vs_c_reset);
	for (i = 0; i < l->n; i++) {
		const struct vs_page *p = &l->v[i];

		if (p->has_pfn)
			snprintf(where, sizeof(where), "0x%llx", p->pfn);
		else if (p->has_swap)
			snprintf(where, sizeof(where), "%u:0x%llx",
				 p->swap_type, p->swap_offset);
		else
			snprintf(where, sizeof(where), "-");
		level = vs_level_name(p->level);
		vs_flags_str(vs_page_flag_names, p->flags, flags, sizeof(flags));
		printf("%0*llx-%0*llx %9llu %s%-9s%s %-5s %-14s %3s %3s %s\n",
		       w, p->addr, w, p->addr + p->nr * vs_page_size(), p->nr,
		       state_colour(p->state), vs_state_name(p->state),
		       vs_c_reset, level ? level : "-", where,
		       vs_mapcount(p->flags, p->mapcount, mapcount,
				   sizeof(mapcount)),
		       vs_order(p->flags, p->order, order, sizeof(order)), flags);
		if (p->state <= VMSCOPE_STATE_MAX)
			by_state[p->state] += p->nr;
		pages += p->nr;
	}
	printf("%zu %s, %llu pages (%s)", l->n,
	       a->runs ? "runs" : "entries", pages,
	       vs_size(pages * vs_page_size(), size, sizeof(size)));
	for (s = 0; s <= VMSCOPE_STATE_MAX; s++)
		if (by_state[s])
			printf(", %s %llu", vs_state_name(s), by_state[s]);
	printf("\n");
}

int cmd_pages(struct vs_nl *nl, const struct vs_args *a)
{
	struct vs_error err;
	struct vs_pages l;
	int ret;

	if (vs_get_pages(nl, a->pid, a->has_range ? a->start : 0,
			 a->has_range ? a->end : 0, a->runs, &l, &err))
		return vs_report(a, &err);
	if (a->json) {
		ret = pages_json(a, &l);
	} else {
		vs_colour_init();
		pages_text(a, &l);
		ret = VS_EXIT_OK;
	}
	vs_pages_free(&l);
	return ret;
}
