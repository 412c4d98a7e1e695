// SPDX-License-Identifier: GPL-2.0
/*
 * A pages or maps JSON document read back (see snapshot.h).  The words
 * are looked up in the same name tables the client writes them from
 * (vmscope_names.h through format.c), so a state, kind or flag the
 * module learns is read here as soon as the tables have it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "snapshot.h"

struct ctx {
	char *err;
	size_t errlen;
	const char *array;	/* "pages", "runs" or "vmas" */
	size_t i;		/* element */
};

static int bad(struct ctx *c, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = snprintf(c->err, c->errlen, "%s[%zu]: ", c->array, c->i);
	if (n >= c->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The value whose name is s, among name(0) .. name(max); -1 if none. */
static int lookup(const char *s, const char *(*name)(u32), u32 max)
{
	const char *n;
	u32 v;

	for (v = 0; s && v <= max; v++) {
		n = name(v);
		if (n && strcmp(n, "unknown") && !strcmp(n, s))
			return v;
	}
	return -1;
}

static int flag_bits(struct ctx *c, const struct jv *e,
		     const struct vmscope_flag_name *names, u32 *bits)
{
	const struct jv *a = json_get(e, "flags");
	const struct vmscope_flag_name *f;
	size_t k;

	if (!a || a->type != J_ARR)
		return bad(c, "\"flags\" is not an array");
	*bits = 0;
	for (k = 0; k < a->len; k++) {
		if (a->items[k].type != J_STR)
			return bad(c, "\"flags\" has a member that is not a string");
		for (f = names; f->name; f++)
			if (!strcmp(f->name, a->items[k].s))
				break;
		if (!f->name)
			return bad(c, "unknown flag \"%s\"", a->items[k].s);
		*bits |= f->bit;
	}
	return 0;
}

/* An integer or null: false if neither. */
static bool num_or_null(const struct jv *e, const char *key, bool *has, u64 *v)
{
	u64 n;

	*has = json_get_u64(e, key, &n);
	*v = *has ? n : 0;
	return *has || json_is_null(e, key);
}

static int page_where(struct ctx *c, const struct jv *e, bool run,
		      struct vs_page *p)
{
	u64 addr, end, count;

	if (!run) {
		if (!json_get_hex(e, "addr", &addr))
			return bad(c, "no \"addr\" (\"0x...\")");
		p->addr = addr;
		p->nr = 1;
		return 0;
	}
	if (!json_get_hex(e, "start", &addr) || !json_get_hex(e, "end", &end) ||
	    !json_get_u64(e, "count", &count))
		return bad(c, "no \"start\", \"end\" (\"0x...\") or \"count\"");
	if (!count || end <= addr || (end - addr) / vs_page_size() != count ||
	    (end - addr) % vs_page_size())
		return bad(c, "\"count\" is not the pages from \"start\" to \"end\"");
	p->addr = addr;
	p->nr = count;
	return 0;
}

static int page_state(struct ctx *c, const struct jv *e, struct vs_page *p)
{
	const char *level = json_get_str(e, "level");
	int v;

	v = lookup(json_get_str(e, "state"), vs_state_name, VMSCOPE_STATE_MAX);
	if (v < 0)
		return bad(c, "no known \"state\"");
	p->state = v;
	p->level = VMSCOPE_LEVEL_NONE;
	if (level) {
		v = lookup(level, vs_level_name, VMSCOPE_LEVEL_PGD);
		if (v < 0)
			return bad(c, "unknown \"level\" \"%s\"", level);
		p->level = v;
	} else if (!json_is_null(e, "level")) {
		return bad(c, "no \"level\"");
	}
	return 0;
}

static int page_numbers(struct ctx *c, const struct jv *e, struct vs_page *p)
{
	bool has_type, has_mapcount, has_order;
	u64 type, mapcount, order;

	if (!num_or_null(e, "pfn", &p->has_pfn, &p->pfn) ||
	    !num_or_null(e, "swap_type", &has_type, &type) ||
	    !num_or_null(e, "swap_offset", &p->has_swap, &p->swap_offset) ||
	    !num_or_null(e, "mapcount", &has_mapcount, &mapcount) ||
	    !num_or_null(e, "order", &has_order, &order))
		return bad(c, "a number (\"pfn\", \"order\", ...) is no integer nor null");
	if (has_order == !!(p->flags & VMSCOPE_PAGE_F_BITS_HIDDEN))
		return bad(c, "\"order\" must be null exactly with the \"bits_hidden\" flag");
	if (has_type != p->has_swap)
		return bad(c, "\"swap_type\" and \"swap_offset\" must both be null or both not");
	p->swap_type = type;
	p->mapcount = mapcount;
	p->order = order;
	if (!has_mapcount)
		p->flags |= VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN;
	return 0;
}

static int push_page(struct vs_pages *l, const struct vs_page *p)
{
	struct vs_page *v;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		v = realloc(l->v, l->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
	}
	l->v[l->n++] = *p;
	return 0;
}

/*
 * A run's PFN and swap offset are its first page's, and say nothing of
 * the other pages': those become an entry of their own without them.
 */
static int add_page(struct vs_snap *s, struct vs_page *p)
{
	struct vs_page rest = *p;

	if (!s->runs || p->nr == 1)
		return push_page(&s->pages, p);
	p->nr = 1;
	rest.addr += vs_page_size();
	rest.nr--;
	rest.has_pfn = false;
	rest.has_swap = false;
	rest.pfn = 0;
	rest.swap_offset = 0;
	return push_page(&s->pages, p) ?: push_page(&s->pages, &rest);
}

static int load_pages(struct ctx *c, const struct jv *arr, struct vs_snap *s)
{
	struct vs_page p;
	u64 next = 0;
	int ret;

	for (c->i = 0; c->i < arr->len; c->i++) {
		const struct jv *e = &arr->items[c->i];

		memset(&p, 0, sizeof(p));
		if (e->type != J_OBJ)
			return bad(c, "not an object");
		ret = page_where(c, e, s->runs, &p) ?: page_state(c, e, &p) ?:
		      flag_bits(c, e, vs_page_flag_names, &p.flags) ?:
		      page_numbers(c, e, &p);
		if (ret)
			return ret;
		if (p.addr % vs_page_size() || p.addr < next)
			return bad(c, "not page aligned, or not above the one before");
		next = p.addr + p.nr * vs_page_size();
		/* Gaps between VMAs are not the process's pages. */
		if (p.state == VMSCOPE_STATE_NO_VMA)
			continue;
		ret = add_page(s, &p);
		if (ret)
			return ret;
	}
	return 0;
}

static int vma_counts(struct ctx *c, const struct jv *e, struct vs_vma *v)
{
	const struct jv *counts = json_get(e, "counts");
	u64 n;
	size_t k;

	if (json_is_null(e, "counts"))
		return 0;
	if (!counts || counts->type != J_OBJ)
		return bad(c, "\"counts\" is neither an object nor null");
	for (k = 0; k < vs_nr_count_names; k++) {
		int at = vs_count_names[k].attr;

		/* null: hidden from the caller (docs/json.md) */
		if (json_is_null(counts, vs_count_names[k].name))
			continue;
		if (!json_get_u64(counts, vs_count_names[k].name, &n))
			return bad(c, "\"counts\" has no \"%s\"",
				   vs_count_names[k].name);
		v->counts[at] = n;
		v->has_count[at] = true;
	}
	if (!json_get_u64(counts, "pss_kb", &n))
		return bad(c, "\"counts\" has no \"pss_kb\"");
	v->counts[VMSCOPE_COUNT_A_PSS_BYTES] = n * 1024;
	v->has_counts = true;
	return 0;
}

static int vma_fields(struct ctx *c, const struct jv *e, struct vs_vma *v)
{
	u64 start, end, offset, inode;
	const char *path = json_get_str(e, "path");
	const char *dev = json_get_str(e, "dev");
	int kind;

	if (!json_get_hex(e, "start", &start) || !json_get_hex(e, "end", &end) ||
	    !json_get_hex(e, "offset", &offset))
		return bad(c, "no \"start\", \"end\" or \"offset\" (\"0x...\")");
	if (end <= start || start % vs_page_size() || end % vs_page_size())
		return bad(c, "\"start\" and \"end\" are not a range of pages");
	if (!json_get_u64(e, "inode", &inode) || !path || !dev ||
	    sscanf(dev, "%x:%x", &v->dev_major, &v->dev_minor) != 2)
		return bad(c, "no \"inode\", \"path\" or \"dev\" (\"MAJ:MIN\")");
	kind = lookup(json_get_str(e, "kind"), vs_kind_name,
		      VMSCOPE_VMA_KIND_MAX);
	if (kind < 0)
		return bad(c, "no known \"kind\"");
	v->start = start;
	v->end = end;
	v->pgoff = offset;
	v->inode = inode;
	v->kind = kind;
	v->path = strdup(path);
	return v->path ? 0 : -ENOMEM;
}

static int load_vmas(struct ctx *c, const struct jv *arr, struct vs_snap *s)
{
	struct vs_vmas *l = &s->vmas;
	struct vs_vma *v;
	u64 next = 0;
	int ret;

	l->v = calloc(arr->len ?: 1, sizeof(*l->v));
	if (!l->v)
		return -ENOMEM;
	l->cap = arr->len;
	for (c->i = 0; c->i < arr->len; c->i++) {
		const struct jv *e = &arr->items[c->i];

		v = &l->v[l->n];
		if (e->type != J_OBJ)
			return bad(c, "not an object");
		ret = vma_fields(c, e, v);
		if (v->path)
			l->n++;		/* vs_vmas_free() frees it */
		ret = ret ?: flag_bits(c, e, vs_vma_flag_names, &v->flags) ?:
		      vma_counts(c, e, v);
		if (ret)
			return ret;
		if (v->start < next)
			return bad(c, "not above the VMA before");
		next = v->end;
	}
	return 0;
}

static int load(const struct jv *doc, struct vs_snap *s, struct ctx *c)
{
	static const char *const arrays[] = { "pages", "runs", "vmas" };
	const struct jv *arr = NULL, *m;
	u64 pid;
	size_t k;

	if (doc->type != J_OBJ || !json_get_u64(doc, "pid", &pid))
		return -ENOENT;
	for (k = 0; k < ARRAY_SIZE(arrays); k++) {
		m = json_get(doc, arrays[k]);
		if (!m)
			continue;
		if (arr || m->type != J_ARR)
			return -ENOENT;
		arr = m;
		c->array = arrays[k];
	}
	if (!arr)
		return -ENOENT;
	s->pid = pid;
	s->runs = !strcmp(c->array, "runs");
	s->type = strcmp(c->array, "vmas") ? VS_SNAP_PAGES : VS_SNAP_MAPS;
	if (s->type == VS_SNAP_MAPS)
		return load_vmas(c, arr, s);
	return load_pages(c, arr, s);
}

int vs_snap_load(const struct jv *doc, struct vs_snap *s, char *err,
		 size_t errlen)
{
	struct ctx c = { .err = err, .errlen = errlen };
	int ret;

	memset(s, 0, sizeof(*s));
	err[0] = '\0';
	ret = load(doc, s, &c);
	if (ret == -ENOENT) {
		snprintf(err, errlen,
			 "not a document of \"vmscope pages\" or \"vmscope maps\" with --json");
		ret = -EINVAL;
	}
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s", strerror(ENOMEM));
	if (ret)
		vs_snap_free(s);
	return ret;
}

void vs_snap_free(struct vs_snap *s)
{
	vs_pages_free(&s->pages);
	vs_vmas_free(&s->vmas);
}

const char *vs_snap_type_name(enum vs_snap_type type)
{
	return type == VS_SNAP_MAPS ? "maps" : "pages";
}
