// SPDX-License-Identifier: GPL-2.0
/*
 * The answers of query.h in JSON (docs/json.md): the pieces that more
 * than one command prints, so that a VMA, a page or the kernel layout
 * reads the same wherever it appears.
 */
#include <stdio.h>

#include "format.h"
#include "json_write.h"

void vs_vma_json(struct json *j, const struct vs_vma *v)
{
	const struct vmscope_flag_name *f;
	char perms[5], dev[24];
	unsigned int i;

	vs_perms(v->flags, perms);
	snprintf(dev, sizeof(dev), "%02x:%02x", v->dev_major,
		 v->dev_minor);
	json_obj_begin(j);
	json_kv_hex(j, "start", v->start);
	json_kv_hex(j, "end", v->end);
	json_kv_str(j, "perms", perms);
	json_kv_hex(j, "offset", v->pgoff);
	json_kv_str(j, "dev", dev);
	json_kv_u64(j, "inode", v->inode);
	json_kv_str(j, "path", v->path);
	json_kv_str(j, "kind", vs_kind_name(v->kind));
	json_key(j, "flags");
	json_arr_begin(j);
	for (f = vs_vma_flag_names; f->name; f++)
		if (v->flags & f->bit)
			json_str(j, f->name);
	json_arr_end(j);
	if (!v->has_counts) {
		json_kv_null(j, "counts");
	} else {
		json_key(j, "counts");
		json_obj_begin(j);
		for (i = 0; i < vs_nr_count_names; i++) {
			int at = vs_count_names[i].attr;

			if (v->has_count[at])
				json_kv_u64(j, vs_count_names[i].name,
					    v->counts[at]);
			else	/* hidden from the caller, not zero */
				json_kv_null(j, vs_count_names[i].name);
		}
		json_kv_u64(j, "pss_kb",
			    v->counts[VMSCOPE_COUNT_A_PSS_BYTES] / 1024);
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* A flag the caller may not see is null: hidden, not clear. */
static void hidden_bool(struct json *j, const char *key,
			const struct vs_page *p, u32 bit, bool hidden)
{
	if (hidden)
		json_kv_null(j, key);
	else
		json_kv_bool(j, key, p->flags & bit);
}

/* The fields every page and run has in JSON (docs/json.md). */
void vs_page_fields_json(struct json *j, const struct vs_page *p, u64 i)
{
	const struct vmscope_flag_name *f;
	const char *level = vs_level_name(p->level);
	bool hidden = p->flags & VMSCOPE_PAGE_F_BITS_HIDDEN;

	json_kv_str(j, "state", vs_state_name(p->state));
	if (p->has_pfn)
		json_kv_u64(j, "pfn", p->pfn + i);
	else
		json_kv_null(j, "pfn");
	if (p->has_swap) {
		json_kv_u64(j, "swap_type", p->swap_type);
		json_kv_u64(j, "swap_offset", p->swap_offset + i);
	} else {
		json_kv_null(j, "swap_type");
		json_kv_null(j, "swap_offset");
	}
	hidden_bool(j, "write", p, VMSCOPE_PAGE_F_WRITE, hidden);
	hidden_bool(j, "dirty", p, VMSCOPE_PAGE_F_DIRTY, hidden);
	hidden_bool(j, "young", p, VMSCOPE_PAGE_F_YOUNG, hidden);
	json_kv_bool(j, "soft_dirty", p->flags & VMSCOPE_PAGE_F_SOFT_DIRTY);
	hidden_bool(j, "exclusive", p, VMSCOPE_PAGE_F_EXCLUSIVE, hidden);
	hidden_bool(j, "cow", p, VMSCOPE_PAGE_F_COW, hidden);
	json_kv_bool(j, "zero", p->flags & (VMSCOPE_PAGE_F_ZERO |
					     VMSCOPE_PAGE_F_HUGE_ZERO));
	/* a PMD leaf is huge for everyone (PAGEMAP_SCAN's PAGE_IS_HUGE) */
	hidden_bool(j, "thp", p, VMSCOPE_PAGE_F_THP,
		    hidden && p->level != VMSCOPE_LEVEL_PMD);
	json_kv_bool(j, "anon", p->flags & VMSCOPE_PAGE_F_ANON);
	json_kv_bool(j, "file", p->flags & VMSCOPE_PAGE_F_FILE);
	/* the kernel keeps none, or the caller may not see it */
	if (p->flags & (VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN |
			VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN))
		json_kv_null(j, "mapcount");
	else
		json_kv_u64(j, "mapcount", p->mapcount);
	if (p->flags & VMSCOPE_PAGE_F_CACHE_HIDDEN)
		json_kv_null(j, "page_cache");	/* not the caller's to know */
	else
		json_kv_bool(j, "page_cache",
			     p->flags & VMSCOPE_PAGE_F_PAGE_CACHE);
	if (level)
		json_kv_str(j, "level", level);
	else
		json_kv_null(j, "level");
	if (hidden)
		json_kv_null(j, "order");
	else
		json_kv_u64(j, "order", p->order);
	json_key(j, "flags");
	json_arr_begin(j);
	for (f = vs_page_flag_names; f->name; f++)
		if (p->flags & f->bit)
			json_str(j, f->name);
	json_arr_end(j);
}

void vs_layout_json_fields(struct json *j, const struct vs_layout *l)
{
	unsigned int i;

	for (i = 0; i < vs_nr_layout_rows; i++) {
		int at = vs_layout_rows[i].attr;

		if (!l->has[at])
			json_kv_null(j, vs_layout_rows[i].name);
		else if (at == VMSCOPE_LAYOUT_A_KASLR)
			json_kv_bool(j, vs_layout_rows[i].name, l->v[at]);
		else if (vs_layout_rows[i].addr)
			json_kv_hex(j, vs_layout_rows[i].name, l->v[at]);
		else
			json_kv_u64(j, vs_layout_rows[i].name, l->v[at]);
	}
}
