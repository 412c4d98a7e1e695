// SPDX-License-Identifier: GPL-2.0
/* A strict little JSON reader (see json_read.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

struct jp {
	const char *s;
	const char *start;
	char *err;
	size_t errlen;
	int depth;
};

static bool fail(struct jp *p, const char *what)
{
	if (p->err && !p->err[0])
		snprintf(p->err, p->errlen, "%s at offset %zu", what,
			 (size_t)(p->s - p->start));
	return false;
}

static void ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r')
		p->s++;
}

static bool value(struct jp *p, struct jv *v);

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_string(struct jp *p, char **out, size_t *outlen)
{
	size_t cap = 16, len = 0;
	char *buf;

	if (*p->s != '"')
		return fail(p, "expected a string");
	p->s++;
	buf = malloc(cap);
	if (!buf)
		return fail(p, "out of memory");
	for (;;) {
		unsigned char c = *p->s;
		unsigned int cp = 0;
		char enc[4];
		int n = 1, i;

		if (!c || c < 0x20) {
			free(buf);
			return fail(p, "bad character in a string");
		}
		if (c == '"')
			break;
		enc[0] = c;
		if (c == '\\') {
			p->s++;
			switch (*p->s) {
			case '"':
			case '\\':
			case '/':
				enc[0] = *p->s;
				break;
			case 'b':
				enc[0] = '\b';
				break;
			case 'f':
				enc[0] = '\f';
				break;
			case 'n':
				enc[0] = '\n';
				break;
			case 'r':
				enc[0] = '\r';
				break;
			case 't':
				enc[0] = '\t';
				break;
			case 'u':
				for (i = 1; i <= 4; i++) {
					int h = hexval(p->s[i]);

					if (h < 0) {
						free(buf);
						return fail(p, "bad \\u escape");
					}
					cp = cp << 4 | h;
				}
				p->s += 4;
				if (cp < 0x100) {
					enc[0] = cp;	/* a byte, as the client writes them */
				} else if (cp < 0x800) {
					enc[0] = 0xc0 | cp >> 6;
					enc[1] = 0x80 | (cp & 0x3f);
					n = 2;
				} else {
					enc[0] = 0xe0 | cp >> 12;
					enc[1] = 0x80 | (cp >> 6 & 0x3f);
					enc[2] = 0x80 | (cp & 0x3f);
					n = 3;
				}
				break;
			default:
				free(buf);
				return fail(p, "bad escape");
			}
		}
		p->s++;
		if (len + n + 1 > cap) {
			char *b = realloc(buf, cap *= 2);

			if (!b) {
				free(buf);
				return fail(p, "out of memory");
			}
			buf = b;
		}
		memcpy(buf + len, enc, n);
		len += n;
	}
	p->s++;
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return true;
}

static bool push(struct jv *v, char *key)
{
	struct jv *items = realloc(v->items, (v->len + 1) * sizeof(*items));
	char **keys;

	if (!items)
		return false;
	v->items = items;
	memset(&v->items[v->len], 0, sizeof(*items));
	if (v->type == J_OBJ) {
		keys = realloc(v->keys, (v->len + 1) * sizeof(*keys));
		if (!keys)
			return false;
		v->keys = keys;
		v->keys[v->len] = key;
	}
	v->len++;
	return true;
}

static bool parse_container(struct jp *p, struct jv *v, char close)
{
	v->type = close == '}' ? J_OBJ : J_ARR;
	if (++p->depth > 64)
		return fail(p, "too deep");
	p->s++;
	ws(p);
	if (*p->s == close) {
		p->s++;
		p->depth--;
		return true;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;

		ws(p);
		if (v->type == J_OBJ) {
			if (!parse_string(p, &key, &klen))
				return false;
			ws(p);
			if (*p->s != ':') {
				free(key);
				return fail(p, "expected ':'");
			}
			p->s++;
		}
		if (!push(v, key)) {
			free(key);
			return fail(p, "out of memory");
		}
		if (!value(p, &v->items[v->len - 1]))
			return false;
		ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s != close)
			return fail(p, "expected ',' or the end of an object or array");
		p->s++;
		p->depth--;
		return true;
	}
}

static bool value(struct jp *p, struct jv *v)
{
	ws(p);
	memset(v, 0, sizeof(*v));
	switch (*p->s) {
	case '{':
		return parse_container(p, v, '}');
	case '[':
		return parse_container(p, v, ']');
	case '"':
		v->type = J_STR;
		return parse_string(p, &v->s, &v->len);
	case 't':
		if (strncmp(p->s, "true", 4))
			return fail(p, "bad literal");
		v->type = J_BOOL;
		v->b = true;
		p->s += 4;
		return true;
	case 'f':
		if (strncmp(p->s, "false", 5))
			return fail(p, "bad literal");
		v->type = J_BOOL;
		p->s += 5;
		return true;
	case 'n':
		if (strncmp(p->s, "null", 4))
			return fail(p, "bad literal");
		v->type = J_NULL;
		p->s += 4;
		return true;
	default:
		if (*p->s < '0' || *p->s > '9')
			return fail(p, "unexpected character");
		if (*p->s == '0' && p->s[1] >= '0' && p->s[1] <= '9')
			return fail(p, "leading zero");
		v->type = J_NUM;
		while (*p->s >= '0' && *p->s <= '9') {
			unsigned long long d = *p->s++ - '0';

			if (v->n > (ULLONG_MAX - d) / 10)
				return fail(p, "number too large");
			v->n = v->n * 10 + d;
		}
		if (*p->s == '.' || *p->s == 'e' || *p->s == 'E')
			return fail(p, "not an integer");
		return true;
	}
}

static void free_members(struct jv *v)
{
	size_t i;

	if (v->type == J_STR)
		free(v->s);
	if (v->type != J_ARR && v->type != J_OBJ)
		return;
	for (i = 0; i < v->len; i++) {
		free_members(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
}

void json_free(struct jv *v)
{
	if (!v)
		return;
	free_members(v);
	free(v);
}

struct jv *json_parse(const char *text, char *err, size_t errlen)
{
	struct jp p = { text, text, err, errlen, 0 };
	struct jv *v = calloc(1, sizeof(*v));

	if (err && errlen)
		err[0] = '\0';
	if (!v)
		return NULL;
	if (!value(&p, v)) {
		json_free(v);
		return NULL;
	}
	ws(&p);
	if (*p.s) {
		fail(&p, "garbage after the document");
		json_free(v);
		return NULL;
	}
	return v;
}

const struct jv *json_get(const struct jv *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != J_OBJ)
		return NULL;
	for (i = 0; i < obj->len; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

bool json_get_u64(const struct jv *obj, const char *key,
		  unsigned long long *v)
{
	const struct jv *m = json_get(obj, key);

	if (!m || m->type != J_NUM)
		return false;
	*v = m->n;
	return true;
}

bool json_get_hex(const struct jv *obj, const char *key,
		  unsigned long long *v)
{
	const struct jv *m = json_get(obj, key);
	char *end;

	if (!m || m->type != J_STR || strncmp(m->s, "0x", 2) || !m->s[2])
		return false;
	*v = strtoull(m->s + 2, &end, 16);
	return !*end;
}

bool json_get_bool(const struct jv *obj, const char *key, bool *v)
{
	const struct jv *m = json_get(obj, key);

	if (!m || m->type != J_BOOL)
		return false;
	*v = m->b;
	return true;
}

const char *json_get_str(const struct jv *obj, const char *key)
{
	const struct jv *m = json_get(obj, key);

	return m && m->type == J_STR ? m->s : NULL;
}

bool json_is_null(const struct jv *obj, const char *key)
{
	const struct jv *m = json_get(obj, key);

	return m && m->type == J_NULL;
}
