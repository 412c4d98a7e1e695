// SPDX-License-Identifier: GPL-2.0
/* A tiny streaming JSON writer (see json.h). */
#include <errno.h>
#include <string.h>

#include "json_write.h"

/* Containers at most this deep put each member on its own line. */
#define JSON_PRETTY_DEPTH 2

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
	j->pretty_depth = JSON_PRETTY_DEPTH;
}

void json_init_line(struct json *j, FILE *f)
{
	json_init(j, f);
	j->pretty_depth = 0;
}

static void json_newline(struct json *j)
{
	fprintf(j->f, "\n%*s", 2 * j->depth, "");
}

/* Before any value: the comma and layout owed to the enclosing container. */
static void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	if (j->depth > 0 && j->depth <= j->pretty_depth)
		json_newline(j);
	else if (!j->first[j->depth])
		fputc(' ', j->f);
	j->first[j->depth] = false;
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty && j->depth + 1 <= j->pretty_depth)
		json_newline(j);
	fputc(c, j->f);
}

void json_obj_begin(struct json *j)
{
	json_open(j, '{');
}

void json_obj_end(struct json *j)
{
	json_close(j, '}');
}

void json_arr_begin(struct json *j)
{
	json_open(j, '[');
}

void json_arr_end(struct json *j)
{
	json_close(j, ']');
}

size_t vs_utf8_len(const unsigned char *s)
{
	size_t n, i;
	u32 cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* No overlong forms, surrogates or values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * Strings are file names, which are bytes: valid UTF-8 is copied, every
 * other byte becomes the code point of the same value (\u0080..\u00ff),
 * so that the output is always valid JSON (docs/json.md).
 */
static void json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n = vs_utf8_len(s);

		if (*s == '"' || *s == '\\') {
			fputc('\\', f);
			fputc(*s, f);
		} else if (*s == '\n') {
			fputs("\\n", f);
		} else if (*s == '\t') {
			fputs("\\t", f);
		} else if (*s == '\r') {
			fputs("\\r", f);
		} else if (*s < 0x20 || *s == 0x7f || !n) {
			fprintf(f, "\\u%04x", *s);
		} else {
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_escape(j->f, key);
	fputs(": ", j->f);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	json_sep(j);
	json_escape(j->f, s);
}

void json_u64(struct json *j, u64 v)
{
	json_sep(j);
	fprintf(j->f, "%llu", v);
}

void json_hex(struct json *j, u64 v)
{
	json_sep(j);
	fprintf(j->f, "\"0x%llx\"", v);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
	json_sep(j);
	fputs("null", j->f);
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_u64(struct json *j, const char *key, u64 v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_hex(struct json *j, const char *key, u64 v)
{
	json_key(j, key);
	json_hex(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_null(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}

int json_finish(struct json *j)
{
	fputc('\n', j->f);
	if (fflush(j->f) || ferror(j->f))
		return errno ? -errno : -EIO;
	return 0;
}
