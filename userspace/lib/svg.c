// SPDX-License-Identifier: GPL-2.0
/* The SVG writer and the colour table (svg.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "json_write.h"
#include "svg.h"

static const struct {
	const char *const *ansi;
	const char *rgb;
} hues[] = {
	[VS_HUE_PLAIN] = { &vs_c_reset, "#212121" },
	[VS_HUE_DIM] = { &vs_c_dim, "#9e9e9e" },
	[VS_HUE_BOLD] = { &vs_c_bold, "#37474f" },
	[VS_HUE_RED] = { &vs_c_red, "#c62828" },
	[VS_HUE_GREEN] = { &vs_c_green, "#2e7d32" },
	[VS_HUE_YELLOW] = { &vs_c_yellow, "#b8860b" },
	[VS_HUE_BLUE] = { &vs_c_blue, "#1565c0" },
	[VS_HUE_MAGENTA] = { &vs_c_magenta, "#8e24aa" },
	[VS_HUE_CYAN] = { &vs_c_cyan, "#00838f" },
};

const char *vs_hue_ansi(enum vs_hue hue)
{
	return *hues[hue].ansi;
}

const char *vs_hue_rgb(enum vs_hue hue)
{
	return hues[hue].rgb;
}

enum vs_hue vs_kind_hue(u32 kind)
{
	switch (kind) {
	case VMSCOPE_VMA_TEXT:
		return VS_HUE_RED;
	case VMSCOPE_VMA_DATA:
	case VMSCOPE_VMA_BSS:
		return VS_HUE_YELLOW;
	case VMSCOPE_VMA_HEAP:
		return VS_HUE_GREEN;
	case VMSCOPE_VMA_STACK:
	case VMSCOPE_VMA_VDSO:
		return VS_HUE_MAGENTA;
	case VMSCOPE_VMA_FILE_PRIVATE:
	case VMSCOPE_VMA_FILE_SHARED:
		return VS_HUE_BLUE;
	default:
		return VS_HUE_CYAN;
	}
}

/*
 * Length of the UTF-8 sequence at s that XML 1.0 allows, or 0: not
 * U+FFFE and U+FFFF (EF BF BE, EF BF BF), nor control characters but tab.
 */
static size_t xml_char_len(const unsigned char *s)
{
	if ((*s < 0x20 && *s != '\t') || *s == 0x7f)
		return 0;
	if (s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
		return 0;
	return vs_utf8_len(s);
}

void svg_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	while (*s) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			n = xml_char_len(s);
			if (!n) {
				fprintf(f, "\\x%02x", *s);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
}

void svg_begin(struct svg *s, FILE *f, int width, int height,
	       const char *title, const char *desc)
{
	s->f = f;
	s->width = width;
	s->height = height;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"title desc\">\n",
		width, height, width, height);
	fputs("<title id=\"title\">", f);
	svg_escape(f, title);
	fputs("</title>\n<desc id=\"desc\">", f);
	svg_escape(f, desc);
	fputs("</desc>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		width, height);
}

void svg_end(struct svg *s)
{
	fputs("</svg>\n", s->f);
}

static void paint(struct svg *s, enum vs_hue hue, unsigned int style)
{
	if (style & SVG_FILL)
		fprintf(s->f, " fill=\"%s\"", hues[hue].rgb);
	else if (style & SVG_TINT)
		fprintf(s->f, " fill=\"%s\" fill-opacity=\"0.18\"",
			hues[hue].rgb);
	else
		fputs(" fill=\"none\"", s->f);
	fprintf(s->f, " stroke=\"%s\"", hues[hue].rgb);
	if (style & SVG_DASHED)
		fputs(" stroke-dasharray=\"4 3\"", s->f);
}

void svg_rect(struct svg *s, int x, int y, int w, int h, enum vs_hue hue,
	      unsigned int style)
{
	fprintf(s->f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"",
		x, y, w, h);
	paint(s, hue, style);
	fputs("/>\n", s->f);
}

void svg_line(struct svg *s, int x1, int y1, int x2, int y2,
	      enum vs_hue hue, unsigned int style)
{
	fprintf(s->f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"", x1, y1,
		x2, y2);
	paint(s, hue, style & ~(SVG_FILL | SVG_TINT));
	fputs("/>\n", s->f);
}

void svg_path(struct svg *s, const char *d, enum vs_hue hue)
{
	fputs("<path d=\"", s->f);
	svg_escape(s->f, d);
	fputs("\"", s->f);
	paint(s, hue, 0);
	fputs("/>\n", s->f);
}

void svg_text(struct svg *s, int x, int y, int size, enum svg_anchor anchor,
	      enum vs_hue hue, unsigned int style, const char *fmt, ...)
{
	static const char *const anchors[] = { "start", "middle", "end" };
	char *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	fprintf(s->f, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-family=\"%s\" fill=\"%s\"",
		x, y, size, style & SVG_MONO ? "monospace" : "sans-serif",
		hues[hue].rgb);
	if (anchor != SVG_START)
		fprintf(s->f, " text-anchor=\"%s\"", anchors[anchor]);
	if (style & SVG_STRONG)
		fputs(" font-weight=\"bold\"", s->f);
	/* xml:space keeps a name's runs of spaces. */
	fputs(" xml:space=\"preserve\">", s->f);
	svg_escape(s->f, text);
	fputs("</text>\n", s->f);
	free(text);
}
