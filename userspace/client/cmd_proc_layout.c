// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope layout PID: the classic picture of a process's address space,
 * top to bottom, with the real addresses.  The regions are the VMAs
 * (GET_VMAS) grouped the way a textbook draws them, the gaps between them
 * are measured, and the mm's own fields (GET_LAYOUT with a PID) say where
 * text, data, heap, stack and the mmap area start and how far ASLR moved
 * each from where it would be without randomisation.
 *
 * Every line fits 80 columns: an address column of 18, a box of 42, and
 * a side label of at most 18.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "svg.h"

#define BOX_INNER	40	/* characters between the box's edges */
#define NAME_LEN	27	/* name column inside the box */
#define NOTE_LEN	36	/* note lines inside the box */
#define MAX_NOTES	4

/*
 * stack_guard_gap's default (mm/mmap.c, 256 pages), which only the
 * "stack_guard_gap=" boot parameter changes; the kernel does not say.
 */
#define GUARD_GAP	(256ULL * vs_page_size())

enum band_type { BAND_REGION, BAND_GAP };

struct band {
	u64 lo, hi;
	enum band_type type;
	u32 kind;		/* of the first VMA, for regions */
	char name[NAME_LEN + 1];
	char note[MAX_NOTES][NOTE_LEN + 1];
	int nnotes;
};

struct picture {
	struct band *b;		/* ascending */
	size_t n, cap;
	const struct vs_layout *l;
	const struct vs_proc_layout *pl;
};

static u64 pv(const struct picture *p, int attr)
{
	return p->pl->v[attr];
}

static bool has(const struct picture *p, int attr)
{
	return p->pl->has[attr];
}

static struct band *add_band(struct picture *p, u64 lo, u64 hi,
			     enum band_type type, const char *name)
{
	struct band *b;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct band *v = realloc(p->b, cap * sizeof(*v));

		if (!v)
			return NULL;
		p->b = v;
		p->cap = cap;
	}
	b = &p->b[p->n++];
	memset(b, 0, sizeof(*b));
	b->lo = lo;
	b->hi = hi;
	b->type = type;
	snprintf(b->name, sizeof(b->name), "%s", name);
	/* A name too long for its column ends in "...". */
	if (strlen(name) > NAME_LEN)
		memcpy(b->name + NAME_LEN - 3, "...", 3);
	return b;
}

static void note(struct band *b, const char *fmt, ...)
{
	va_list ap;

	if (!b || b->nnotes == MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(b->note[b->nnotes++], NOTE_LEN + 1, fmt, ap);
	va_end(ap);
}

/* How a textbook would call this VMA; neighbours of one name merge. */
static void vma_label(const struct vs_vma *v, char *buf, size_t len)
{
	const char *base = strrchr(v->path, '/');

	switch (v->kind) {
	case VMSCOPE_VMA_TEXT:
	case VMSCOPE_VMA_DATA:
	case VMSCOPE_VMA_BSS:
	case VMSCOPE_VMA_HEAP:
	case VMSCOPE_VMA_STACK:
		snprintf(buf, len, "%s", vs_kind_name(v->kind));
		return;
	case VMSCOPE_VMA_MMAP_ANON:
		snprintf(buf, len, "anonymous");
		return;
	case VMSCOPE_VMA_SHARED_ANON:
		snprintf(buf, len, "shared anonymous");
		return;
	default:
		break;
	}
	if (v->path[0] == '/')
		vs_name(base + 1, buf, len);
	else if (v->path[0])
		vs_name(v->path, buf, len);
	else if (v->kind == VMSCOPE_VMA_GUARD)
		snprintf(buf, len, "no access (PROT_NONE)");
	else
		snprintf(buf, len, "%s", vs_kind_name(v->kind));
}

/* Regions from the VMAs below TASK_SIZE, and the gaps between them. */
static int add_vma_bands(struct picture *p, const struct vs_vmas *vmas)
{
	u64 task_size = pv(p, VMSCOPE_PROC_A_TASK_SIZE), prev = 0;
	char label[256];
	size_t i;

	for (i = 0; i < vmas->n; i++) {
		const struct vs_vma *v = &vmas->v[i];
		struct band *last = p->n ? &p->b[p->n - 1] : NULL;

		if (v->end > task_size)
			continue;
		vma_label(v, label, sizeof(label));
		if (last && last->type == BAND_REGION && last->hi == v->start &&
		    !strncmp(last->name, label, NAME_LEN - 3)) {
			last->hi = v->end;
			prev = v->end;
			continue;
		}
		if (v->start > prev &&
		    !add_band(p, prev, v->start, BAND_GAP, "gap"))
			return -1;
		last = add_band(p, v->start, v->end, BAND_REGION, label);
		if (!last)
			return -1;
		last->kind = v->kind;
		prev = v->end;
	}
	if (prev < task_size && !add_band(p, prev, task_size, BAND_GAP, "gap"))
		return -1;
	return 0;
}

/* The band holding addr (lo <= addr < hi), or NULL. */
static struct band *band_at(struct picture *p, u64 addr)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->b[i].lo <= addr && addr < p->b[i].hi)
			return &p->b[i];
	return NULL;
}

/* "ASLR: -1.2 GiB from 0x7ffffffff000", or that it did not move. */
static void note_aslr(struct band *b, u64 addr, u64 base)
{
	char size[VS_SIZE_LEN];

	if (addr == base) {
		note(b, "ASLR: not moved from its base");
		return;
	}
	vs_size(addr > base ? addr - base : base - addr, size, sizeof(size));
	note(b, "ASLR: %c%s from 0x%llx", addr > base ? '+' : '-', size,
	     base);
}

static void annotate_image(struct picture *p)
{
	u64 start_brk = pv(p, VMSCOPE_PROC_A_START_BRK);
	u64 brk = pv(p, VMSCOPE_PROC_A_BRK);
	struct band *b;

	b = band_at(p, pv(p, VMSCOPE_PROC_A_START_CODE));
	note(b, "code 0x%llx-%llx", pv(p, VMSCOPE_PROC_A_START_CODE),
	     pv(p, VMSCOPE_PROC_A_END_CODE));
	if (has(p, VMSCOPE_PROC_A_TEXT_NORAND))
		note_aslr(b, pv(p, VMSCOPE_PROC_A_START_CODE),
			  pv(p, VMSCOPE_PROC_A_TEXT_NORAND));
	b = band_at(p, pv(p, VMSCOPE_PROC_A_START_DATA));
	note(b, "data 0x%llx-%llx", pv(p, VMSCOPE_PROC_A_START_DATA),
	     pv(p, VMSCOPE_PROC_A_END_DATA));

	b = band_at(p, start_brk);
	if (b && b->type == BAND_REGION)
		note(b, "brk 0x%llx", brk);
	else
		note(b, "heap empty: brk = 0x%llx", brk);
	if (has(p, VMSCOPE_PROC_A_BRK_NORAND))
		note_aslr(b, start_brk, pv(p, VMSCOPE_PROC_A_BRK_NORAND));
}

static void annotate_stack(struct picture *p)
{
	u64 start_stack = pv(p, VMSCOPE_PROC_A_START_STACK);
	struct band *b = band_at(p, start_stack), *below;

	note(b, "start_stack 0x%llx", start_stack);
	note(b, "args+env 0x%llx-%llx", pv(p, VMSCOPE_PROC_A_ARG_START),
	     pv(p, VMSCOPE_PROC_A_ENV_END));
	if (b && has(p, VMSCOPE_PROC_A_STACK_END) &&
	    has(p, VMSCOPE_PROC_A_STACK_NORAND))
		note_aslr(b, pv(p, VMSCOPE_PROC_A_STACK_END),
			  pv(p, VMSCOPE_PROC_A_STACK_NORAND));
	if (!b || b == p->b)
		return;
	below = b - 1;
	if (below->type == BAND_GAP)
		note(below, "top %llu KiB: stack guard gap",
		     (below->hi - below->lo < GUARD_GAP ?
		      below->hi - below->lo : GUARD_GAP) >> 10);
}

static void annotate_mmap(struct picture *p)
{
	u64 base = pv(p, VMSCOPE_PROC_A_MMAP_BASE);
	u64 vdso = pv(p, VMSCOPE_PROC_A_VDSO);
	struct band *b = base ? band_at(p, base - 1) : NULL;

	note(b, "mmap_base 0x%llx", base);
	if (has(p, VMSCOPE_PROC_A_MMAP_NORAND))
		note_aslr(b, base, pv(p, VMSCOPE_PROC_A_MMAP_NORAND));
	if (!has(p, VMSCOPE_PROC_A_VDSO))
		return;
	b = band_at(p, vdso);
	if (b && has(p, VMSCOPE_PROC_A_STACK_END))
		note(b, "ASLR: moves with the %s",
		     vdso >= pv(p, VMSCOPE_PROC_A_STACK_END) ?
		     "stack" : "mmap area");
}

static void annotate_top(struct picture *p)
{
	u64 window = p->l->v[VMSCOPE_LAYOUT_A_MMAP_WINDOW];
	struct band *top = p->n ? &p->b[p->n - 1] : NULL;

	if (top && top->type == BAND_GAP && window &&
	    window < pv(p, VMSCOPE_PROC_A_TASK_SIZE) && window > top->lo)
		note(top, "mmap window ends at 0x%llx", window);
}

/* ---- text ---- */

static const char *band_colour(const struct band *b)
{
	return vs_hue_ansi(b->type == BAND_GAP ? VS_HUE_DIM :
			   vs_kind_hue(b->kind));
}

static void edge(u64 addr, char corner, const char *side)
{
	char dashes[BOX_INNER + 1];

	memset(dashes, corner == '+' ? '-' : ' ', BOX_INNER);
	dashes[BOX_INNER] = '\0';
	printf("0x%016llx %c%s%c%s%s\n", addr, corner, dashes, corner,
	       side ? " " : "", side ? side : "");
}

/* One line inside the box: name left, size right. */
static void row(char wall, const char *colour, const char *name, u64 size,
		bool sized)
{
	char s[VS_SIZE_LEN] = "";

	if (sized)
		vs_size(size, s, sizeof(s));
	printf("%18s %c %s%-*s%s %10s %c\n", "", wall, colour, NAME_LEN, name,
	       vs_c_reset, s, wall);
}

static void note_row(char wall, const char *text)
{
	printf("%18s %c   %s%-*s%s %c\n", "", wall, vs_c_dim, NOTE_LEN, text,
	       vs_c_reset, wall);
}

static void print_band(const struct band *b)
{
	char wall = b->type == BAND_GAP ? ':' : '|';
	int i;

	row(wall, band_colour(b), b->name, b->hi - b->lo, true);
	for (i = 0; i < b->nnotes; i++)
		note_row(wall, b->note[i]);
}

/* Kernel space: one line per region, at its start, highest first. */
struct kregion {
	u64 start, size;
	bool sized;
	const char *name;
};

static int kregion_cmp(const void *a, const void *b)
{
	const struct kregion *x = a, *y = b;

	return x->start < y->start ? 1 : x->start > y->start ? -1 : 0;
}

static void print_kernel(const struct vs_layout *l, u64 kernel_start,
			 const struct vs_vmas *vmas)
{
	struct kregion k[8];
	int n = 0, i;
	size_t v;

	for (v = 0; v < vmas->n; v++)
		if (vmas->v[v].start >= kernel_start)
			k[n++] = (struct kregion){ vmas->v[v].start,
				vmas->v[v].end - vmas->v[v].start, true,
				"[vsyscall] (user-visible)" };
	if (l->has[VMSCOPE_LAYOUT_A_PAGE_OFFSET]) {
		const u64 *x = l->v;

		k[n++] = (struct kregion){ x[VMSCOPE_LAYOUT_A_MODULES_START],
			x[VMSCOPE_LAYOUT_A_MODULES_END] -
			x[VMSCOPE_LAYOUT_A_MODULES_START], true, "modules" };
		k[n++] = (struct kregion){ x[VMSCOPE_LAYOUT_A_KERNEL_TEXT_START],
			0, false, "kernel text (_text)" };
		k[n++] = (struct kregion){ x[VMSCOPE_LAYOUT_A_VMEMMAP_START],
			0, false, "vmemmap (struct pages)" };
		k[n++] = (struct kregion){ x[VMSCOPE_LAYOUT_A_VMALLOC_START],
			x[VMSCOPE_LAYOUT_A_VMALLOC_END] + 1 -
			x[VMSCOPE_LAYOUT_A_VMALLOC_START], true, "vmalloc" };
		k[n++] = (struct kregion){ x[VMSCOPE_LAYOUT_A_PAGE_OFFSET],
			x[VMSCOPE_LAYOUT_A_DIRECT_MAP_END] -
			x[VMSCOPE_LAYOUT_A_PAGE_OFFSET], true,
			"direct map (PAGE_OFFSET)" };
	}
	qsort(k, n, sizeof(k[0]), kregion_cmp);

	edge(~0ULL, '+', NULL);
	row('|', vs_c_bold, "kernel space", 0, false);
	for (i = 0; i < n; i++) {
		char s[VS_SIZE_LEN] = "";

		if (k[i].sized)
			vs_size(k[i].size, s, sizeof(s));
		printf("0x%016llx |   %-*s %10s |\n", k[i].start, NAME_LEN - 2,
		       k[i].name, s);
	}
	if (!l->has[VMSCOPE_LAYOUT_A_PAGE_OFFSET])
		note_row('|', "details need CAP_SYSLOG");
	edge(kernel_start, '+', "kernel half");
}

static void print_header(const struct picture *p, u32 pid)
{
	static const char *const exec_names[] = VMSCOPE_EXEC_TYPE_NAMES;
	u32 type = pv(p, VMSCOPE_PROC_A_EXEC_TYPE);
	const char *what = type < ARRAY_SIZE(exec_names) && exec_names[type] ?
			   exec_names[type] : "unknown";
	printf("%spid %u%s: %s, executable %s, ASLR %s%s\n", vs_c_bold, pid,
	       vs_c_reset, pv(p, VMSCOPE_PROC_A_COMPAT) ? "32-bit" : "64-bit",
	       what, pv(p, VMSCOPE_PROC_A_RANDOMIZE) ? "on" : "off",
	       pv(p, VMSCOPE_PROC_A_NO_RANDOMIZE) ?
	       " (personality ADDR_NO_RANDOMIZE)" : "");
	printf("paging: %llu levels, %llu-bit user space, TASK_SIZE 0x%llx\n",
	       p->l->v[VMSCOPE_LAYOUT_A_PAGING_LEVELS],
	       p->l->v[VMSCOPE_LAYOUT_A_USER_VA_BITS],
	       pv(p, VMSCOPE_PROC_A_TASK_SIZE));
	if (!pv(p, VMSCOPE_PROC_A_TOPDOWN))
		printf("mmap: legacy layout, bottom up from mmap_base\n");
	printf("\n");
}

/* What the mm calls an edge's address, if anything. */
static const char *side_label(const struct picture *p, u64 addr)
{
	static const struct {
		int attr;
		const char *name;
	} names[] = {
		{ VMSCOPE_PROC_A_TASK_SIZE, "TASK_SIZE" },
		{ VMSCOPE_PROC_A_STACK_END, "stack top" },
		{ VMSCOPE_PROC_A_MMAP_BASE, "mmap_base" },
		{ VMSCOPE_PROC_A_BRK, "brk" },
		{ VMSCOPE_PROC_A_START_BRK, "start_brk" },
		{ VMSCOPE_PROC_A_START_CODE, "start_code" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (has(p, names[i].attr) && pv(p, names[i].attr) == addr)
			return names[i].name;
	return NULL;
}

static void print_picture(const struct picture *p, u32 pid,
			  const struct vs_vmas *vmas)
{
	u64 bits = p->l->v[VMSCOPE_LAYOUT_A_USER_VA_BITS];
	u64 task_size = pv(p, VMSCOPE_PROC_A_TASK_SIZE);
	/*
	 * A 64-bit kernel's half is the top 2^bits (a non-canonical hole
	 * between); a 32-bit kernel's starts at TASK_SIZE (PAGE_OFFSET).
	 */
	u64 kernel_start = bits <= 32 ? task_size :
			   bits < 64 ? 0ULL - (1ULL << bits) : 0;
	size_t i;

	print_header(p, pid);
	print_kernel(p->l, kernel_start, vmas);
	if (kernel_start > task_size)
		row(':', vs_c_dim, "non-canonical hole",
		    kernel_start - task_size, true);
	for (i = p->n; i-- > 0;) {
		const struct band *b = &p->b[i];

		edge(b->hi, '+', side_label(p, b->hi));
		print_band(b);
	}
	edge(0, '+', NULL);
}

/* ---- JSON ---- */

static const struct {
	int attr;
	const char *name;
} proc_fields[] = {
	{ VMSCOPE_PROC_A_TASK_SIZE, "task_size" },
	{ VMSCOPE_PROC_A_START_CODE, "start_code" },
	{ VMSCOPE_PROC_A_END_CODE, "end_code" },
	{ VMSCOPE_PROC_A_START_DATA, "start_data" },
	{ VMSCOPE_PROC_A_END_DATA, "end_data" },
	{ VMSCOPE_PROC_A_START_BRK, "start_brk" },
	{ VMSCOPE_PROC_A_BRK, "brk" },
	{ VMSCOPE_PROC_A_START_STACK, "start_stack" },
	{ VMSCOPE_PROC_A_ARG_START, "arg_start" },
	{ VMSCOPE_PROC_A_ARG_END, "arg_end" },
	{ VMSCOPE_PROC_A_ENV_START, "env_start" },
	{ VMSCOPE_PROC_A_ENV_END, "env_end" },
	{ VMSCOPE_PROC_A_MMAP_BASE, "mmap_base" },
	{ VMSCOPE_PROC_A_STACK_END, "stack_end" },
	{ VMSCOPE_PROC_A_VDSO, "vdso" },
};

static const struct {
	const char *name;
	int addr, base;
} aslr_fields[] = {
	{ "text", VMSCOPE_PROC_A_START_CODE, VMSCOPE_PROC_A_TEXT_NORAND },
	{ "brk", VMSCOPE_PROC_A_START_BRK, VMSCOPE_PROC_A_BRK_NORAND },
	{ "stack", VMSCOPE_PROC_A_STACK_END, VMSCOPE_PROC_A_STACK_NORAND },
	{ "mmap", VMSCOPE_PROC_A_MMAP_BASE, VMSCOPE_PROC_A_MMAP_NORAND },
};

/* "+0x1000" or "-0x1000": a signed distance, exactly. */
static void json_kv_offset(struct json *j, const char *key, u64 addr,
			   u64 base)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%c0x%llx", addr >= base ? '+' : '-',
		 addr >= base ? addr - base : base - addr);
	json_kv_str(j, key, buf);
}

static void proc_json(struct json *j, const struct picture *p)
{
	static const char *const exec_names[] = VMSCOPE_EXEC_TYPE_NAMES;
	u32 type = pv(p, VMSCOPE_PROC_A_EXEC_TYPE);
	unsigned int i;

	json_key(j, "process");
	json_obj_begin(j);
	json_kv_bool(j, "compat", pv(p, VMSCOPE_PROC_A_COMPAT));
	json_kv_bool(j, "randomize", pv(p, VMSCOPE_PROC_A_RANDOMIZE));
	json_kv_bool(j, "no_randomize", pv(p, VMSCOPE_PROC_A_NO_RANDOMIZE));
	json_kv_bool(j, "topdown", pv(p, VMSCOPE_PROC_A_TOPDOWN));
	json_kv_str(j, "exec_type", type < ARRAY_SIZE(exec_names) &&
		    exec_names[type] ? exec_names[type] : "unknown");
	for (i = 0; i < ARRAY_SIZE(proc_fields); i++) {
		if (has(p, proc_fields[i].attr))
			json_kv_hex(j, proc_fields[i].name,
				    pv(p, proc_fields[i].attr));
		else
			json_kv_null(j, proc_fields[i].name);
	}
	json_obj_end(j);
}

static void aslr_json(struct json *j, const struct picture *p)
{
	unsigned int i;

	json_key(j, "aslr");
	json_obj_begin(j);
	for (i = 0; i < ARRAY_SIZE(aslr_fields); i++) {
		u64 addr = pv(p, aslr_fields[i].addr);
		u64 base = pv(p, aslr_fields[i].base);

		if (!has(p, aslr_fields[i].addr) ||
		    !has(p, aslr_fields[i].base)) {
			json_kv_null(j, aslr_fields[i].name);
			continue;
		}
		json_key(j, aslr_fields[i].name);
		json_obj_begin(j);
		json_kv_hex(j, "address", addr);
		json_kv_hex(j, "unrandomised", base);
		json_kv_offset(j, "offset", addr, base);
		if (aslr_fields[i].base == VMSCOPE_PROC_A_MMAP_NORAND)
			json_kv_hex(j, "random_factor",
				    pv(p, VMSCOPE_PROC_A_MMAP_RND));
		json_obj_end(j);
	}
	json_obj_end(j);
}

static void regions_json(struct json *j, const struct picture *p)
{
	size_t i;
	int n;

	json_key(j, "regions");
	json_arr_begin(j);
	for (i = p->n; i-- > 0;) {
		const struct band *b = &p->b[i];

		json_obj_begin(j);
		json_kv_hex(j, "start", b->lo);
		json_kv_hex(j, "end", b->hi);
		json_kv_str(j, "type", b->type == BAND_GAP ? "gap" : "region");
		json_kv_str(j, "name", b->name);
		if (b->type == BAND_REGION)
			json_kv_str(j, "kind", vs_kind_name(b->kind));
		json_key(j, "notes");
		json_arr_begin(j);
		for (n = 0; n < b->nnotes; n++)
			json_str(j, b->note[n]);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static int picture_json(FILE *f, const struct picture *p, u32 pid)
{
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j);
	json_kv_u64(&j, "pid", pid);
	json_key(&j, "kernel");
	json_obj_begin(&j);
	vs_layout_json_fields(&j, p->l);
	json_obj_end(&j);
	proc_json(&j, p);
	aslr_json(&j, p);
	regions_json(&j, p);
	json_obj_end(&j);
	return json_finish(&j) ? VS_EXIT_ERROR : VS_EXIT_OK;
}

struct doc {
	const struct picture *p;
	u32 pid;
};

static int picture_doc(FILE *f, const void *arg)
{
	const struct doc *d = arg;

	return picture_json(f, d->p, d->pid);
}

int cmd_proc_layout(struct vs_nl *nl, const struct vs_args *a)
{
	struct picture p = { 0 };
	struct vs_proc_layout pl;
	struct vs_error err;
	struct vs_vmas vmas;
	struct vs_layout l;
	int ret;

	if (vs_get_proc_layout(nl, a->pid, &l, &pl, &err))
		return vs_report(a, &err);
	if (vs_get_vmas(nl, a->pid, false, &vmas, &err))
		return vs_report(a, &err);
	p.l = &l;
	p.pl = &pl;
	if (add_vma_bands(&p, &vmas)) {
		fprintf(stderr, "vmscope: out of memory\n");
		ret = VS_EXIT_ERROR;
		goto out;
	}
	annotate_image(&p);
	annotate_stack(&p);
	annotate_mmap(&p);
	annotate_top(&p);
	if (a->svg) {
		struct doc d = { &p, a->pid };

		ret = vs_svg_out(a, picture_doc, &d);
	} else if (a->json) {
		ret = picture_json(stdout, &p, a->pid);
	} else {
		vs_colour_init();
		print_picture(&p, a->pid, &vmas);
		ret = VS_EXIT_OK;
	}
out:
	free(p.b);
	vs_vmas_free(&vmas);
	return ret;
}
