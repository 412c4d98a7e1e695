// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope diff: what changed between two pages or maps snapshots (their
 * --json documents).  Reads files only: no module, no netlink.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diff.h"

struct side {
	const char *file;
	struct vs_snap snap;
};

/* A whole file, "-" for standard input; NULL with errno. */
static char *slurp(const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *b;
	int err = 0;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 65536;
			b = realloc(buf, cap + 1);
			if (!b) {
				err = ENOMEM;
				break;
			}
			buf = b;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (!err && ferror(f))
		err = errno ?: EIO;
	if (f != stdin)
		fclose(f);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static int load(struct side *s)
{
	char *text = slurp(s->file);
	char why[256];
	struct jv *doc;
	int ret;

	if (!text) {
		fprintf(stderr, "vmscope: %s: %s\n", s->file, strerror(errno));
		return VS_EXIT_ERROR;
	}
	doc = json_parse(text, why, sizeof(why));
	free(text);
	if (!doc) {
		fprintf(stderr, "vmscope: %s: not JSON: %s\n", s->file, why);
		return VS_EXIT_ERROR;
	}
	ret = vs_snap_load(doc, &s->snap, why, sizeof(why));
	json_free(doc);
	if (ret) {
		fprintf(stderr, "vmscope: %s: %s\n", s->file, why);
		return VS_EXIT_ERROR;
	}
	return VS_EXIT_OK;
}

/* ---- text ---- */

struct line {
	char *p;
	size_t left;
};

static void __printf(2, 3) put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->p, l->left, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= l->left)
		n = l->left ? l->left - 1 : 0;
	l->p += n;
	l->left -= n;
}

/* Flags that say what a page is, beside what its entry says. */
#define VS_PAGE_KIND_FLAGS (VMSCOPE_PAGE_F_ZERO | VMSCOPE_PAGE_F_HUGE_ZERO | \
			    VMSCOPE_PAGE_F_ANON | VMSCOPE_PAGE_F_FILE | \
			    VMSCOPE_PAGE_F_KSM | VMSCOPE_PAGE_F_THP)

/* "present pfn 0x1a2b3 anon", "swap 0:0x2f", "no VMA". */
static void put_side(struct line *l, bool in_vma, const struct vs_page *p)
{
	char flags[128];

	if (!in_vma) {
		put(l, "no VMA");
		return;
	}
	put(l, "%s", vs_state_name(p->state));
	if (p->has_pfn)
		put(l, " pfn 0x%llx", p->pfn);
	if (p->has_swap)
		put(l, " %u:0x%llx", p->swap_type, p->swap_offset);
	if (p->flags & VS_PAGE_KIND_FLAGS) {
		vs_flags_str(vs_page_flag_names, p->flags & VS_PAGE_KIND_FLAGS,
			     flags, sizeof(flags));
		put(l, " %s", flags);
	}
}

/* "+cow -exclusive -mmap_excl". */
static void put_flags(struct line *l, u32 a, u32 b)
{
	const struct vmscope_flag_name *f;

	for (f = vs_page_flag_names; f->name; f++)
		if ((a ^ b) & f->bit)
			put(l, " %c%s", b & f->bit ? '+' : '-', f->name);
}

static void put_same_state(struct line *l, const struct vs_page *a,
			   const struct vs_page *b)
{
	const char *la = vs_level_name(a->level), *lb = vs_level_name(b->level);

	if (a->has_pfn && b->has_pfn && a->pfn != b->pfn)
		put(l, " pfn 0x%llx -> 0x%llx", a->pfn, b->pfn);
	if (a->has_swap && b->has_swap && (a->swap_type != b->swap_type ||
					   a->swap_offset != b->swap_offset))
		put(l, " swap %u:0x%llx -> %u:0x%llx", a->swap_type,
		    a->swap_offset, b->swap_type, b->swap_offset);
	if (!((a->flags | b->flags) & VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN) &&
	    a->mapcount != b->mapcount)
		put(l, " mapcount %u -> %u", a->mapcount, b->mapcount);
	if (a->order != b->order)
		put(l, " order %u -> %u", a->order, b->order);
	if (a->state == VMSCOPE_STATE_PRESENT && a->level != b->level)
		put(l, " %s -> %s", la ?: "-", lb ?: "-");
	put_flags(l, a->flags, b->flags);
}

static void describe(const struct vs_page_change *c, char *buf, size_t len)
{
	struct line l = { buf, len };

	buf[0] = '\0';
	if (c->has_a && c->has_b && c->a.state == c->b.state) {
		put(&l, "%s", vs_state_name(c->a.state));
		put_same_state(&l, &c->a, &c->b);
		return;
	}
	put_side(&l, c->has_a, &c->a);
	put(&l, " -> ");
	put_side(&l, c->has_b, &c->b);
}

static u64 snap_pages(const struct vs_snap *s)
{
	u64 n = 0;
	size_t i;

	for (i = 0; i < s->pages.n; i++)
		n += s->pages.v[i].nr;
	return n;
}

static void header(const struct side *s, char name)
{
	const struct vs_snap *p = &s->snap;

	if (p->type == VS_SNAP_MAPS)
		printf("%c: %s: pid %u, %zu VMAs\n", name, s->file, p->pid,
		       p->vmas.n);
	else
		printf("%c: %s: pid %u, %llu pages%s\n", name, s->file, p->pid,
		       snap_pages(p), p->runs ? " (runs)" : "");
}

static void summary(const struct vs_diff *d)
{
	enum vs_change k, first = VS_CH_RANGE_ADDED, end = VS_CH_PAGES_NR;
	bool any = false;

	if (d->type == VS_SNAP_MAPS) {
		first = VS_CH_PAGES_NR;
		end = VS_CH_NR;
	}
	for (k = first; k < end; k++) {
		if (!d->runs[k])
			continue;
		any = true;
		if (d->type == VS_SNAP_MAPS)
			printf("%-16s %llu VMA%s\n", vs_change_name(k), d->runs[k],
			       d->runs[k] == 1 ? "" : "s");
		else
			printf("%-16s %llu page%s in %llu run%s\n",
			       vs_change_name(k), d->total[k],
			       d->total[k] == 1 ? "" : "s", d->runs[k],
			       d->runs[k] == 1 ? "" : "s");
	}
	if (!any)
		printf("no changes\n");
}

static void pages_text(const struct vs_diff *d)
{
	char what[512];
	u64 max = 0;
	size_t i;
	int w;

	for (i = 0; i < d->n; i++)
		max = d->pages[i].addr + d->pages[i].nr * vs_page_size();
	w = vs_addr_width(max);
	printf("%s%-*s %9s %-16s %s%s\n", vs_c_bold, 2 * w + 1, "START-END",
	       "PAGES", "CHANGE", "BEFORE -> AFTER (first page)", vs_c_reset);
	for (i = 0; i < d->n; i++) {
		const struct vs_page_change *c = &d->pages[i];

		describe(c, what, sizeof(what));
		printf("%0*llx-%0*llx %9llu %-16s %s\n", w, c->addr, w,
		       c->addr + c->nr * vs_page_size(), c->nr,
		       vs_change_name(c->kind), what);
	}
}

static void put_counts(struct line *l, const struct vs_vma *a,
		       const struct vs_vma *b)
{
	long long da, db;
	size_t k;

	if (!a->has_counts || !b->has_counts)
		return;
	for (k = 0; k < vs_nr_count_names; k++) {
		int at = vs_count_names[k].attr;

		da = a->counts[at];
		db = b->counts[at];
		if (a->has_count[at] != b->has_count[at])
			put(l, " %s %s", vs_count_names[k].name,
			    b->has_count[at] ? "shown" : "hidden");
		else if (da != db)
			put(l, " %s %+lld", vs_count_names[k].name, db - da);
	}
	da = a->counts[VMSCOPE_COUNT_A_PSS_BYTES] / 1024;
	db = b->counts[VMSCOPE_COUNT_A_PSS_BYTES] / 1024;
	if (da != db)
		put(l, " pss_kb %+lld", db - da);
}

static void put_vma_what(struct line *l, const struct vs_vma_change *c)
{
	const struct vs_vma *a = c->a, *b = c->b;
	char pa[5], pb[5], name[VS_NAME_LEN];

	vs_perms(a->flags, pa);
	vs_perms(b->flags, pb);
	if (c->what & VS_VMA_D_START)
		put(l, " start 0x%llx -> 0x%llx", a->start, b->start);
	if (c->what & VS_VMA_D_END)
		put(l, " end 0x%llx -> 0x%llx", a->end, b->end);
	if (c->what & VS_VMA_D_PERMS)
		put(l, " perms %s -> %s", pa, pb);
	if (c->what & VS_VMA_D_FLAGS)
		put(l, " flags");
	if (c->what & VS_VMA_D_KIND)
		put(l, " kind %s -> %s", vs_kind_name(a->kind),
		    vs_kind_name(b->kind));
	if (c->what & VS_VMA_D_FILE) {
		put(l, " file \"%s\"", vs_name(a->path, name, sizeof(name)));
		put(l, " -> \"%s\"", vs_name(b->path, name, sizeof(name)));
	}
	put_counts(l, a, b);
}

static void maps_text(const struct vs_diff *d)
{
	char what[1024], perms[5], name[VS_NAME_LEN];
	const char *kind;
	size_t i;
	int pad;

	printf("%s%-25s %-14s %-5s %-12s %s%s\n", vs_c_bold, "START-END",
	       "CHANGE", "PERMS", "KIND", "WHAT / PATH", vs_c_reset);
	for (i = 0; i < d->n; i++) {
		const struct vs_vma_change *c = &d->vmas[i];
		const struct vs_vma *v = c->b ?: c->a;
		struct line l = { what, sizeof(what) };

		what[0] = '\0';
		if (c->a && c->b)
			put_vma_what(&l, c);
		if (v->path[0])
			put(&l, " %s", vs_name(v->path, name, sizeof(name)));
		vs_perms(v->flags, perms);
		kind = vs_kind_name(v->kind);
		pad = what[0] && strlen(kind) < 12 ? 12 - strlen(kind) : 0;
		printf("%012llx-%012llx %-14s %-5s %s%*s%s\n", v->start, v->end,
		       vs_change_name(c->kind), perms, kind, pad, "", what);
	}
}

/* ---- JSON ---- */

static void side_json(struct json *j, const char *key, const struct side *s)
{
	json_key(j, key);
	json_obj_begin(j);
	json_kv_str(j, "file", s->file);
	json_kv_u64(j, "pid", s->snap.pid);
	json_kv_bool(j, "runs", s->snap.runs);
	json_obj_end(j);
}

static void page_json(struct json *j, const char *key, bool in_vma,
		      const struct vs_page *p)
{
	if (!in_vma) {
		json_kv_null(j, key);
		return;
	}
	json_key(j, key);
	json_obj_begin(j);
	vs_page_fields_json(j, p, 0);
	json_obj_end(j);
}

static void pages_json(struct json *j, const struct vs_diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct vs_page_change *c = &d->pages[i];

		json_obj_begin(j);
		json_kv_hex(j, "start", c->addr);
		json_kv_hex(j, "end", c->addr + c->nr * vs_page_size());
		json_kv_u64(j, "count", c->nr);
		json_kv_str(j, "change", vs_change_name(c->kind));
		page_json(j, "before", c->has_a, &c->a);
		page_json(j, "after", c->has_b, &c->b);
		json_obj_end(j);
	}
}

static void vma_json(struct json *j, const char *key, const struct vs_vma *v)
{
	json_key(j, key);
	if (v)
		vs_vma_json(j, v);
	else
		json_null(j);
}

static void maps_json(struct json *j, const struct vs_diff *d)
{
	const struct vs_vma *v;
	size_t i, k;

	for (i = 0; i < d->n; i++) {
		const struct vs_vma_change *c = &d->vmas[i];

		v = c->b ?: c->a;
		json_obj_begin(j);
		json_kv_hex(j, "start", v->start);
		json_kv_hex(j, "end", v->end);
		json_kv_str(j, "change", vs_change_name(c->kind));
		json_key(j, "what");
		json_arr_begin(j);
		for (k = 0; k < VS_VMA_D_NR; k++)
			if (c->what & 1U << k)
				json_str(j, vs_vma_d_names[k]);
		json_arr_end(j);
		vma_json(j, "before", c->a);
		vma_json(j, "after", c->b);
		json_obj_end(j);
	}
}

static void summary_json(struct json *j, const struct vs_diff *d)
{
	enum vs_change k;

	json_key(j, "summary");
	json_obj_begin(j);
	for (k = 0; k < VS_CH_NR; k++) {
		if (d->type == VS_SNAP_MAPS ? k < VS_CH_PAGES_NR :
					      k >= VS_CH_PAGES_NR)
			continue;
		if (d->type == VS_SNAP_MAPS) {
			json_kv_u64(j, vs_change_name(k), d->runs[k]);
			continue;
		}
		json_key(j, vs_change_name(k));
		json_obj_begin(j);
		json_kv_u64(j, "pages", d->total[k]);
		json_kv_u64(j, "runs", d->runs[k]);
		json_obj_end(j);
	}
	json_obj_end(j);
}

static int diff_json(const struct side *a, const struct side *b,
		     const struct vs_diff *d)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kv_str(&j, "type", vs_snap_type_name(d->type));
	side_json(&j, "a", a);
	side_json(&j, "b", b);
	json_key(&j, "changes");
	json_arr_begin(&j);
	if (d->type == VS_SNAP_MAPS)
		maps_json(&j, d);
	else
		pages_json(&j, d);
	json_arr_end(&j);
	summary_json(&j, d);
	json_obj_end(&j);
	return json_finish(&j) ? VS_EXIT_ERROR : VS_EXIT_OK;
}

static int diff_text(const struct side *a, const struct side *b,
		     const struct vs_diff *d)
{
	vs_colour_init();
	header(a, 'A');
	header(b, 'B');
	if (d->n) {
		if (d->type == VS_SNAP_MAPS)
			maps_text(d);
		else
			pages_text(d);
	}
	summary(d);
	return VS_EXIT_OK;
}

static int compare(const struct vs_args *args, const struct side *a,
		   const struct side *b)
{
	struct vs_diff d;
	int ret;

	if (a->snap.type != b->snap.type) {
		fprintf(stderr,
			"vmscope: %s is a %s snapshot, %s a %s snapshot: diff compares two of one kind\n",
			a->file, vs_snap_type_name(a->snap.type), b->file,
			vs_snap_type_name(b->snap.type));
		return VS_EXIT_ERROR;
	}
	if (vs_diff(&a->snap, &b->snap, &d)) {
		fprintf(stderr, "vmscope: %s\n", strerror(ENOMEM));
		return VS_EXIT_ERROR;
	}
	ret = args->json ? diff_json(a, b, &d) : diff_text(a, b, &d);
	vs_diff_free(&d);
	return ret;
}

int cmd_diff(struct vs_nl *nl, const struct vs_args *args)
{
	struct side a = { .file = args->files[0] }, b = { .file = args->files[1] };
	int ret;

	ret = load(&a);
	if (!ret) {
		ret = load(&b);
		if (!ret) {
			ret = compare(args, &a, &b);
			vs_snap_free(&b.snap);
		}
		vs_snap_free(&a.snap);
	}
	return ret;
}
