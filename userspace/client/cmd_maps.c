// SPDX-License-Identifier: GPL-2.0
/* vmscope maps: the VMAs of a process, with page counts. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static int maps_json(const struct vs_args *a, const struct vs_vmas *l)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kv_u64(&j, "pid", a->pid);
	json_key(&j, "vmas");
	json_arr_begin(&j);
	for (i = 0; i < l->n; i++)
		vs_vma_json(&j, &l->v[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	return json_finish(&j) ? VS_EXIT_ERROR : VS_EXIT_OK;
}

static const char *kind_colour(u32 kind)
{
	switch (kind) {
	case VMSCOPE_VMA_TEXT:
		return vs_c_red;
	case VMSCOPE_VMA_DATA:
	case VMSCOPE_VMA_BSS:
		return vs_c_yellow;
	case VMSCOPE_VMA_HEAP:
	case VMSCOPE_VMA_MMAP_ANON:
		return vs_c_green;
	case VMSCOPE_VMA_STACK:
		return vs_c_magenta;
	case VMSCOPE_VMA_FILE_PRIVATE:
	case VMSCOPE_VMA_FILE_SHARED:
	case VMSCOPE_VMA_SHARED_ANON:
		return vs_c_cyan;
	case VMSCOPE_VMA_GUARD:
		return vs_c_dim;
	default:
		return vs_c_blue;
	}
}

static void maps_text(const struct vs_vmas *l, bool counts)
{
	u64 size = 0, rss = 0, swap = 0, max = 0;
	char s1[VS_SIZE_LEN], s2[VS_SIZE_LEN], s3[VS_SIZE_LEN];
	bool show_swap = false;
	char perms[5], name[VS_NAME_LEN];
	size_t i;
	int w;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].end > max)
			max = l->v[i].end;
		show_swap |= l->v[i].counts[VMSCOPE_COUNT_A_SWAP] != 0;
	}
	w = vs_addr_width(max);

	printf("%s%-*s %9s %-4s %-12s", vs_c_bold, 2 * w + 1, "START-END",
	       "SIZE", "PERM", "KIND");
	if (counts)
		printf(" %9s", "RSS");
	if (show_swap)
		printf(" %9s", "SWAP");
	printf(" PATH%s\n", vs_c_reset);

	for (i = 0; i < l->n; i++) {
		const struct vs_vma *v = &l->v[i];
		u64 bytes = v->end - v->start;
		u64 res = v->counts[VMSCOPE_COUNT_A_PRESENT] * vs_page_size();
		u64 sw = v->counts[VMSCOPE_COUNT_A_SWAP] * vs_page_size();

		vs_perms(v->flags, perms);
		printf("%0*llx-%0*llx %9s %-4s %s%-12s%s", w,
		       v->start, w, v->end, vs_size(bytes, s1, sizeof(s1)),
		       perms, kind_colour(v->kind), vs_kind_name(v->kind),
		       vs_c_reset);
		if (counts)
			printf(" %9s", vs_size(res, s2, sizeof(s2)));
		if (show_swap)
			printf(" %9s", vs_size(sw, s3, sizeof(s3)));
		printf(" %s\n", vs_name(v->path, name, sizeof(name)));
		size += bytes;
		rss += res;
		swap += sw;
	}
	printf("%zu VMAs, %s mapped", l->n, vs_size(size, s1, sizeof(s1)));
	if (counts)
		printf(", %s resident", vs_size(rss, s2, sizeof(s2)));
	if (show_swap)
		printf(", %s swapped out", vs_size(swap, s3, sizeof(s3)));
	printf("\n");
}

int cmd_maps(struct vs_nl *nl, const struct vs_args *a)
{
	struct vs_error err;
	struct vs_vmas l;
	int ret;

	if (vs_get_vmas(nl, a->pid, !a->no_counts, &l, &err))
		return vs_report(a, &err);
	if (a->json) {
		ret = maps_json(a, &l);
	} else {
		vs_colour_init();
		maps_text(&l, !a->no_counts);
		ret = VS_EXIT_OK;
	}
	vs_vmas_free(&l);
	return ret;
}
