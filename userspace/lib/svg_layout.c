// SPDX-License-Identifier: GPL-2.0
/*
 * The picture of "vmscope layout [PID]" as SVG (svg.h), from its JSON
 * document: the kernel's half on top, the non-canonical hole, then the
 * process's regions and gaps from TASK_SIZE down to 0, each edge with its
 * address on the left and what the mm calls it on the right.
 *
 * Heights: a band is tall enough for its name and notes, plus a little
 * that grows with the logarithm of its size, so a bigger region looks
 * bigger; a gap of more than 1 GiB (and the hole) could never be drawn
 * to scale and is drawn broken, with zig-zag edges.
 */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "svg.h"

#define WIDTH		900
#define X_ADDR		170	/* right edge of the address column */
#define X_BOX		180
#define W_BOX		420
#define X_SIDE		(X_BOX + W_BOX + 10)
#define LINE		15	/* a note line */
#define BROKEN		0x40000000UL	/* 1 GiB */
#define MAX_BANDS	4096

struct kreg {
	const char *name;
	unsigned long long start, end;	/* end 0: unsized */
};

/* The kernel's regions that the document has, highest first. */
static int kernel_regions(const struct jv *k, struct kreg *r)
{
	static const struct {
		const char *name, *start, *end;
	} defs[] = {
		{ "modules", "modules_start", "modules_end" },
		{ "kernel text (_text)", "kernel_text_start", NULL },
		{ "vmemmap (struct pages)", "vmemmap_start", NULL },
		{ "vmalloc", "vmalloc_start", "vmalloc_end" },
		{ "direct map (PAGE_OFFSET)", "page_offset", "direct_map_end" },
	};
	unsigned int i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(defs); i++) {
		r[n].name = defs[i].name;
		r[n].end = 0;
		if (!json_get_hex(k, defs[i].start, &r[n].start))
			continue;
		if (defs[i].end && !json_get_hex(k, defs[i].end, &r[n].end))
			r[n].end = 0;
		/* vmalloc_end is its last byte (format.c), not its end. */
		if (r[n].end && !strcmp(defs[i].end, "vmalloc_end"))
			r[n].end++;
		n++;
	}
	/* Highest first: insertion sort of at most five. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && r[j].start > r[j - 1].start; j--) {
			struct kreg t = r[j];

			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	return n;
}

static enum vs_hue region_hue(const struct jv *reg)
{
	const char *type = json_get_str(reg, "type");
	const char *kind = json_get_str(reg, "kind");
	u32 k;

	if (type && !strcmp(type, "gap"))
		return VS_HUE_DIM;
	if (!kind)
		kind = json_get_str(reg, "name");
	for (k = 0; kind && k <= VMSCOPE_VMA_KIND_MAX; k++)
		if (!strcmp(kind, vs_kind_name(k)))
			return vs_kind_hue(k);
	return VS_HUE_CYAN;
}

static int log2u(unsigned long long v)
{
	int n = 0;

	while (v >>= 1)
		n++;
	return n;
}

/* What the mm calls an edge's address, if anything. */
static const char *side_label(const struct jv *proc, unsigned long long addr)
{
	static const struct {
		const char *key, *name;
	} names[] = {
		{ "task_size", "TASK_SIZE" },
		{ "stack_end", "stack top" },
		{ "mmap_base", "mmap_base" },
		{ "brk", "brk" },
		{ "start_brk", "start_brk" },
		{ "start_code", "start_code" },
	};
	unsigned long long v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (json_get_hex(proc, names[i].key, &v) && v == addr)
			return names[i].name;
	return NULL;
}

static const struct jv *notes_of(const struct jv *reg)
{
	const struct jv *n = json_get(reg, "notes");

	return n && n->type == J_ARR ? n : NULL;
}

static bool is_gap(const struct jv *reg)
{
	const char *type = json_get_str(reg, "type");

	return type && !strcmp(type, "gap");
}

static int band_height(const struct jv *reg)
{
	const struct jv *notes = notes_of(reg);
	unsigned long long lo = 0, hi = 0, pages;
	int h = 26 + (notes ? (int)notes->len * LINE : 0);

	json_get_hex(reg, "start", &lo);
	json_get_hex(reg, "end", &hi);
	if (is_gap(reg) && hi - lo > BROKEN)
		return h + 22;
	pages = (hi - lo) >> 12;
	return h + (pages > 1 ? 2 * log2u(pages) : 0);
}

/* Zig-zag break marks across the box at y. */
static void break_mark(struct svg *s, int y)
{
	char d[256];
	int x, n = 0;

	n += snprintf(d + n, sizeof(d) - n, "M %d %d", X_BOX - 6, y);
	for (x = X_BOX; x <= X_BOX + W_BOX + 6 && n < (int)sizeof(d) - 16;
	     x += 20)
		n += snprintf(d + n, sizeof(d) - n, " L %d %d", x,
			      y + ((x - X_BOX) / 20 % 2 ? 4 : -4));
	svg_path(s, d, VS_HUE_DIM);
}

static void size_text(struct svg *s, int y, unsigned long long bytes)
{
	char size[VS_SIZE_LEN];

	svg_text(s, X_BOX + W_BOX - 8, y, 12, SVG_END, VS_HUE_PLAIN, SVG_MONO,
		 "%s", vs_size(bytes, size, sizeof(size)));
}

static void edge_addr(struct svg *s, int y, unsigned long long addr,
		      const char *side)
{
	svg_text(s, X_ADDR, y + 4, 12, SVG_END, VS_HUE_PLAIN, SVG_MONO,
		 "0x%llx", addr);
	svg_line(s, X_ADDR + 2, y, X_BOX, y, VS_HUE_DIM, 0);
	if (side)
		svg_text(s, X_SIDE, y + 4, 12, SVG_START, VS_HUE_PLAIN,
			 SVG_MONO | SVG_STRONG, "\xe2\x86\x90 %s", side);
}

static void draw_band(struct svg *s, const struct jv *reg, int y, int h)
{
	const struct jv *notes = notes_of(reg);
	enum vs_hue hue = region_hue(reg);
	const char *name = json_get_str(reg, "name");
	unsigned long long lo = 0, hi = 0;
	bool gap = is_gap(reg);
	size_t i;

	json_get_hex(reg, "start", &lo);
	json_get_hex(reg, "end", &hi);
	svg_rect(s, X_BOX, y, W_BOX, h, hue,
		 gap ? SVG_DASHED : SVG_TINT);
	if (!gap)
		svg_rect(s, X_BOX, y, 6, h, hue, SVG_FILL);
	svg_text(s, X_BOX + 14, y + 18, 13, SVG_START,
		 gap ? VS_HUE_DIM : hue, gap ? 0 : SVG_STRONG, "%s",
		 name ? name : "?");
	size_text(s, y + 18, hi - lo);
	for (i = 0; notes && i < notes->len; i++)
		if (notes->items[i].type == J_STR)
			svg_text(s, X_BOX + 24, y + 18 + LINE * (int)(i + 1), 11,
				 SVG_START, VS_HUE_PLAIN, SVG_MONO, "%s",
				 notes->items[i].s);
	if (gap && hi - lo > BROKEN)
		break_mark(s, y + h - 12);
}

static const struct {
	enum vs_hue hue;
	const char *what;
} legend[] = {
	{ VS_HUE_RED, "text" },
	{ VS_HUE_YELLOW, "data, bss" },
	{ VS_HUE_GREEN, "heap" },
	{ VS_HUE_MAGENTA, "stack, vdso" },
	{ VS_HUE_BLUE, "file mapping" },
	{ VS_HUE_CYAN, "anonymous, other" },
	{ VS_HUE_DIM, "gap (unmapped)" },
	{ VS_HUE_BOLD, "kernel" },
};

static void draw_legend(struct svg *s, int y)
{
	unsigned int i;
	int x = X_BOX - 100;

	svg_text(s, x, y + 12, 12, SVG_START, VS_HUE_PLAIN, SVG_STRONG,
		 "Legend");
	x += 56;
	for (i = 0; i < ARRAY_SIZE(legend); i++) {
		int col = x + (i % 4) * 150, row = y + (i / 4) * 22;

		svg_rect(s, col, row, 16, 14, legend[i].hue,
			 legend[i].hue == VS_HUE_DIM ? SVG_DASHED : SVG_TINT);
		svg_text(s, col + 22, row + 12, 12, SVG_START, VS_HUE_PLAIN, 0,
			 "%s", legend[i].what);
	}
}

/* The exact form the JSON document gives, e.g. "+0x1000". */
static void aslr_line(struct svg *s, int y, const struct jv *aslr)
{
	static const char *const parts[] = { "text", "brk", "stack", "mmap" };
	char line[256];
	unsigned int i;
	int n = 0;

	n = snprintf(line, sizeof(line), "ASLR offsets:");
	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		const struct jv *a = json_get(aslr, parts[i]);
		const char *off = a ? json_get_str(a, "offset") : NULL;

		if (off && n < (int)sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, "  %s %s",
				      parts[i], off);
	}
	svg_text(s, 16, y, 12, SVG_START, VS_HUE_PLAIN, SVG_MONO, "%s", line);
}

int vs_svg_layout(FILE *f, const struct jv *doc, char *err, size_t errlen)
{
	const struct jv *kernel = json_get(doc, "kernel");
	const struct jv *proc = json_get(doc, "process");
	const struct jv *regions = json_get(doc, "regions");
	const struct jv *aslr = json_get(doc, "aslr");
	unsigned long long pid = 0, bits = 0, levels = 0, task_size = 0, kstart;
	char title[96], desc[512], what[128];
	struct kreg kr[5];
	struct svg s;
	int nk, y, h, i, height, top;
	size_t r;

	if (!kernel)
		kernel = doc;	/* "layout --json": the kernel's fields */
	if (!json_get_u64(kernel, "user_va_bits", &bits) || !bits ||
	    bits >= 64 || !json_get_u64(kernel, "paging_levels", &levels) ||
	    !json_get_hex(kernel, "task_size", &task_size)) {
		snprintf(err, errlen, "%s",
			 "not 'vmscope layout --json': no user_va_bits, paging_levels or task_size");
		return -1;
	}
	if (regions && (regions->type != J_ARR || regions->len > MAX_BANDS ||
			!proc || !json_get_u64(doc, "pid", &pid))) {
		snprintf(err, errlen, "%s",
			 "not 'vmscope layout PID --json': no pid or process, or too many regions");
		return -1;
	}
	kstart = 0UL - (1UL << bits);
	nk = kernel_regions(kernel, kr);

	/* Heights first: the header, kernel box, hole, bands, legend. */
	top = regions ? 112 : 80;
	height = top + 40 + (nk ? nk : 1) * LINE + 16 + 48;
	for (r = 0; regions && r < regions->len; r++)
		height += band_height(&regions->items[r]);
	height += 30 + 60;

	if (regions) {
		const char *exec = json_get_str(proc, "exec_type");
		bool compat = false, rnd = false, norand = false;

		json_get_bool(proc, "compat", &compat);
		json_get_bool(proc, "randomize", &rnd);
		json_get_bool(proc, "no_randomize", &norand);
		snprintf(what, sizeof(what), "%s, executable %s, ASLR %s%s",
			 compat ? "32-bit" : "64-bit", exec ? exec : "unknown",
			 rnd ? "on" : "off",
			 norand ? " (personality ADDR_NO_RANDOMIZE)" : "");
		snprintf(title, sizeof(title), "Address space of pid %llu", pid);
		snprintf(desc, sizeof(desc),
			 "The virtual address space of process %llu, top to bottom: kernel space, the non-canonical hole, then %zu regions and gaps of user space from TASK_SIZE 0x%llx down to 0. %s.",
			 pid, regions->len, task_size, what);
	} else {
		snprintf(title, sizeof(title), "The kernel's virtual memory layout");
		snprintf(desc, sizeof(desc),
			 "%llu page-table levels, %llu-bit user space ending at TASK_SIZE 0x%llx; kernel space from 0x%llx with %d regions shown.",
			 levels, bits, task_size, kstart, nk);
	}
	svg_begin(&s, f, WIDTH, height, title, desc);
	svg_text(&s, 16, 28, 18, SVG_START, VS_HUE_PLAIN, SVG_STRONG, "%s",
		 title);
	svg_text(&s, 16, 50, 12, SVG_START, VS_HUE_PLAIN, SVG_MONO,
		 "paging: %llu levels, %llu-bit user space, TASK_SIZE 0x%llx",
		 levels, bits, task_size);
	if (regions) {
		svg_text(&s, 16, 68, 12, SVG_START, VS_HUE_PLAIN, SVG_MONO,
			 "%s", what);
		if (aslr)
			aslr_line(&s, 86, aslr);
	}

	/* Kernel space. */
	y = top;
	h = 30 + (nk ? nk : 1) * LINE + 6;
	svg_rect(&s, X_BOX, y, W_BOX, h, VS_HUE_BOLD, SVG_TINT);
	svg_rect(&s, X_BOX, y, 6, h, VS_HUE_BOLD, SVG_FILL);
	edge_addr(&s, y, ~0UL, NULL);
	svg_text(&s, X_BOX + 14, y + 18, 13, SVG_START, VS_HUE_BOLD,
		 SVG_STRONG, "kernel space");
	for (i = 0; i < nk; i++) {
		char size[VS_SIZE_LEN] = "";

		if (kr[i].end)
			vs_size(kr[i].end - kr[i].start, size, sizeof(size));
		svg_text(&s, X_BOX + 24, y + 18 + LINE * (i + 1), 11,
			 SVG_START, VS_HUE_PLAIN, SVG_MONO, "0x%llx  %s",
			 kr[i].start, kr[i].name);
		if (size[0])
			svg_text(&s, X_BOX + W_BOX - 8, y + 18 + LINE * (i + 1),
				 11, SVG_END, VS_HUE_PLAIN, SVG_MONO, "%s",
				 size);
	}
	if (!nk)
		svg_text(&s, X_BOX + 24, y + 18 + LINE, 11, SVG_START,
			 VS_HUE_DIM, SVG_MONO,
			 "details need CAP_SYSLOG and kptr_restrict < 2");
	y += h;

	/* The non-canonical hole. */
	edge_addr(&s, y, kstart, "kernel half");
	svg_rect(&s, X_BOX, y, W_BOX, 48, VS_HUE_DIM, SVG_DASHED);
	svg_text(&s, X_BOX + 14, y + 18, 13, SVG_START, VS_HUE_DIM, 0,
		 "non-canonical hole");
	size_text(&s, y + 18, kstart - task_size);
	break_mark(&s, y + 36);
	y += 48;

	for (r = 0; regions && r < regions->len; r++) {
		const struct jv *reg = &regions->items[r];
		unsigned long long hi = 0;

		h = band_height(reg);
		json_get_hex(reg, "end", &hi);
		draw_band(&s, reg, y, h);
		edge_addr(&s, y, hi, side_label(proc, hi));
		y += h;
	}
	if (regions)
		edge_addr(&s, y, 0, NULL);
	else
		edge_addr(&s, y, task_size, "TASK_SIZE: user space below");
	draw_legend(&s, y + 30);
	svg_end(&s);
	return 0;
}

int vs_svg_render(FILE *f, const struct jv *doc, char *err, size_t errlen)
{
	if (!doc || doc->type != J_OBJ) {
		snprintf(err, errlen, "not a JSON object");
		return -1;
	}
	if (json_get(doc, "regions") || json_get(doc, "kernel") ||
	    json_get(doc, "user_va_bits"))
		return vs_svg_layout(f, doc, err, errlen);
	snprintf(err, errlen, "%s",
		 "no picture is made of this: not 'vmscope layout [PID] --json'");
	return -1;
}
