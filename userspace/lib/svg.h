/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SVG pictures: a small writer (svg.c) and the renderers of vmscope's
 * pictures (svg_layout.c).  A renderer reads the JSON document the same
 * command prints with --json (json_read.h), so that a picture can be made
 * live (--svg FILE) and later from a saved document ("vmscope svg DOC").
 *
 * The files are self-contained SVG 1.1: no scripts, no external fonts
 * (the generic "monospace" and "sans-serif"), no links; text is text; a
 * <title> and <desc> for screen readers; the same input gives the same
 * bytes.
 */
#ifndef VMSCOPE_SVG_H
#define VMSCOPE_SVG_H

#include <stdbool.h>
#include <stdio.h>

#include "json_read.h"
#include "query.h"

/*
 * The colours of the pictures, terminal and SVG alike: one table
 * (svg.c) gives each its escape sequence (format.h's vs_c_*, empty
 * without colour) and its RGB.
 */
enum vs_hue {
	VS_HUE_PLAIN,
	VS_HUE_DIM,
	VS_HUE_BOLD,
	VS_HUE_RED,
	VS_HUE_GREEN,
	VS_HUE_YELLOW,
	VS_HUE_BLUE,
	VS_HUE_MAGENTA,
	VS_HUE_CYAN,
};

const char *vs_hue_ansi(enum vs_hue hue);
const char *vs_hue_rgb(enum vs_hue hue);
/* The colour of a VMA kind (VMSCOPE_VMA_*) in "layout PID". */
enum vs_hue vs_kind_hue(u32 kind);

/* ---- the writer: every string argument is escaped for XML ---- */

struct svg {
	FILE *f;
	int width, height;
};

void svg_begin(struct svg *s, FILE *f, int width, int height,
	       const char *title, const char *desc);
void svg_end(struct svg *s);

enum svg_style {
	SVG_DASHED = 0x1,	/* dashed outline */
	SVG_TINT = 0x2,		/* a light fill of the colour */
	SVG_FILL = 0x4,		/* a full fill of the colour */
};

void svg_rect(struct svg *s, int x, int y, int w, int h, enum vs_hue hue,
	      unsigned int style);
void svg_line(struct svg *s, int x1, int y1, int x2, int y2,
	      enum vs_hue hue, unsigned int style);
/* A path's "d": numbers and letters only, from the renderers. */
void svg_path(struct svg *s, const char *d, enum vs_hue hue);

enum svg_anchor { SVG_START, SVG_MIDDLE, SVG_END };
enum svg_font {
	SVG_MONO = 0x1,		/* monospace, else sans-serif */
	SVG_STRONG = 0x2,	/* bold */
};

/* One line of text at (x, y), its baseline; size in pixels. */
void svg_text(struct svg *s, int x, int y, int size, enum svg_anchor anchor,
	      enum vs_hue hue, unsigned int style, const char *fmt, ...)
	__printf(8, 9);

/*
 * Text for XML 1.0: & < > " ' as entities; bytes that are no valid UTF-8,
 * and control characters XML forbids (newline included: a name is one
 * line), as "\xNN", so that any file name can be shown.
 */
void svg_escape(FILE *f, const char *s);

/* ---- renderers: 0, or -1 with the reason in err ---- */

/*
 * A document of "vmscope layout PID --json" (the process's picture and
 * the kernel's layout above it) or of "vmscope layout --json" (the
 * kernel's layout alone).
 */
int vs_svg_layout(FILE *f, const struct jv *doc, char *err, size_t errlen);

/* Any document the renderers know, by its members. */
int vs_svg_render(FILE *f, const struct jv *doc, char *err, size_t errlen);

#endif /* VMSCOPE_SVG_H */
