// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab: vmscope's --json answers (docs/json.md) turned into the
 * few facts the steps check.  Read through the client's JSON on purpose:
 * it is what scripts use, so a lab run checks that path too.  Each
 * request runs on the observer thread, which does all the allocating.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"

static void copy_str(const struct jv *o, const char *key, char *buf,
		     size_t len)
{
	const char *s = json_get_str(o, key);

	snprintf(buf, len, "%s", s ? s : "");
}

static bool flag(const struct jv *o, const char *key)
{
	bool b = false;

	json_get_bool(o, key, &b);
	return b;
}

/* Is name in the page's "flags" array? */
static bool has_flag(const struct jv *o, const char *name)
{
	const struct jv *a = json_get(o, "flags");
	size_t i;

	for (i = 0; a && a->type == J_ARR && i < a->len; i++)
		if (a->items[i].type == J_STR && !strcmp(a->items[i].s, name))
			return true;
	return false;
}

bool lab_mapped(const struct lab_page *p, u64 n)
{
	if (p->has_mapcount)
		return p->mapcount == n;
	return p->mmap_excl == (n == 1);
}

static void page_from(const struct jv *o, struct lab_page *p)
{
	memset(p, 0, sizeof(*p));
	json_get_hex(o, "addr", &p->addr);
	p->has_mapcount = json_get_u64(o, "mapcount", &p->mapcount);
	p->mmap_excl = has_flag(o, "mmap_excl");
	p->has_pfn = json_get_u64(o, "pfn", &p->pfn);
	p->has_swap = json_get_u64(o, "swap_type", &p->swap_type) &&
		      json_get_u64(o, "swap_offset", &p->swap_offset);
	copy_str(o, "state", p->state, sizeof(p->state));
	copy_str(o, "level", p->level, sizeof(p->level));
	p->zero = flag(o, "zero");
	p->thp = flag(o, "thp");
	p->cow = flag(o, "cow");
	p->exclusive = flag(o, "exclusive");
	p->anon = flag(o, "anon");
	p->file = flag(o, "file");
	p->write = flag(o, "write");
}

struct pages_req {
	u64 start, end;
	struct lab_page *p;
	size_t max, n;
};

static void pages_job(void *arg)
{
	struct pages_req *r = arg;
	struct jv *doc = lab_json("pages", r->start, r->end);
	const struct jv *arr = doc ? json_get(doc, "pages") : NULL;
	size_t i, want = (r->end - r->start) / LAB_PAGE;

	if (arr && arr->type == J_ARR && arr->len == want && want <= r->max) {
		for (i = 0; i < want; i++)
			page_from(&arr->items[i], &r->p[i]);
		r->n = want;
	} else if (doc) {
		lab_check(false,
			  "vmscope pages --json: one element per page of %llx-%llx",
			  (unsigned long long)r->start,
			  (unsigned long long)r->end);
	}
	json_free(doc);
}

size_t lab_pages(u64 start, u64 end, struct lab_page *p,
		 size_t max)
{
	struct pages_req r = { start, end, p, max, 0 };

	lab_observe(pages_job, &r);
	return r.n;
}

struct count_req {
	u64 start, end;
	struct lab_count *c;
	bool ok;
};

static void count_job(void *arg)
{
	struct count_req *r = arg;
	size_t i, max = (r->end - r->start) / LAB_PAGE;
	struct lab_page *p = calloc(max ? max : 1, sizeof(*p));
	struct pages_req pr = { r->start, r->end, p, max, 0 };
	struct lab_count *c = r->c;

	if (!p)
		return;
	pages_job(&pr);
	r->ok = pr.n == max;
	c->pages = pr.n;
	for (i = 0; i < pr.n; i++) {
		c->present += !strcmp(p[i].state, "present");
		c->none += !strcmp(p[i].state, "none");
		c->swap += !strcmp(p[i].state, "swap");
		c->zero += p[i].zero;
		c->thp += p[i].thp;
		c->cow += p[i].cow;
		c->exclusive += p[i].exclusive;
		c->anon += p[i].anon;
		c->file += p[i].file;
	}
	free(p);
}

bool lab_count(u64 start, u64 end, struct lab_count *c)
{
	struct count_req r = { start, end, c, false };

	memset(c, 0, sizeof(*c));
	lab_observe(count_job, &r);
	return r.ok;
}

struct vma_req {
	bool (*match)(const struct jv *o, const void *arg);
	const void *arg;
	struct lab_vma *v;
	bool found;
};

static void vma_job(void *arg)
{
	struct vma_req *r = arg;
	struct jv *doc = lab_json("maps", 0, 0);
	const struct jv *arr = doc ? json_get(doc, "vmas") : NULL;
	struct lab_vma *v = r->v;
	size_t i;

	for (i = 0; arr && arr->type == J_ARR && i < arr->len; i++) {
		const struct jv *o = &arr->items[i];

		if (!r->match(o, r->arg))
			continue;
		json_get_hex(o, "start", &v->start);
		json_get_hex(o, "end", &v->end);
		copy_str(o, "kind", v->kind, sizeof(v->kind));
		copy_str(o, "perms", v->perms, sizeof(v->perms));
		copy_str(o, "path", v->path, sizeof(v->path));
		r->found = true;
		break;
	}
	json_free(doc);
}

static bool contains(const struct jv *o, const void *arg)
{
	u64 addr = *(const u64 *)arg, start, end;

	return json_get_hex(o, "start", &start) &&
	       json_get_hex(o, "end", &end) && start <= addr && addr < end;
}

static bool of_kind(const struct jv *o, const void *arg)
{
	const char *kind = json_get_str(o, "kind");

	return kind && !strcmp(kind, arg);
}

bool lab_vma_at(u64 addr, struct lab_vma *v)
{
	struct vma_req r = { contains, &addr, v, false };

	memset(v, 0, sizeof(*v));
	lab_observe(vma_job, &r);
	return r.found;
}

bool lab_vma_kind(const char *kind, struct lab_vma *v)
{
	struct vma_req r = { of_kind, kind, v, false };

	memset(v, 0, sizeof(*v));
	lab_observe(vma_job, &r);
	return r.found;
}

struct layout_req {
	struct lab_layout *l;
	bool ok;
};

static void layout_job(void *arg)
{
	struct layout_req *r = arg;
	struct jv *doc = lab_json("layout", 0, 0);
	struct lab_layout *l = r->l;

	if (!doc)
		return;
	r->ok = json_get_u64(doc, "paging_levels", &l->levels) &&
		json_get_u64(doc, "user_va_bits", &l->va_bits) &&
		json_get_hex(doc, "task_size", &l->task_size);
	l->kernel_visible = json_get_hex(doc, "page_offset", &l->page_offset);
	json_get_hex(doc, "kernel_text_start", &l->kernel_text);
	json_free(doc);
}

bool lab_layout(struct lab_layout *l)
{
	struct layout_req r = { l, false };

	memset(l, 0, sizeof(*l));
	lab_observe(layout_job, &r);
	return r.ok;
}

struct explain_req {
	u64 addr;
	char *out;
	size_t len;
	bool ok;
};

static void explain_job(void *arg)
{
	struct explain_req *r = arg;
	struct jv *doc = lab_json("explain", r->addr, 0);
	const char *w = doc ? json_get_str(doc, "write") : NULL;

	if (w) {
		snprintf(r->out, r->len, "%s", w);
		r->ok = true;
	}
	json_free(doc);
}

bool lab_explain_write(u64 addr, char *out, size_t len)
{
	struct explain_req r = { addr, out, len, false };

	out[0] = '\0';
	lab_observe(explain_job, &r);
	return r.ok;
}
