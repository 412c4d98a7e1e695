/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_JSON_READ_H
#define VMSCOPE_JSON_READ_H

/*
 * A strict little JSON reader for the client's output, for vmscope-lab
 * and the tests: one document, nothing after it, integers only (no
 * fractions or exponents).  Strings decode \u0080..\u00ff back to single
 * bytes, the client's way of writing file-name bytes that are not UTF-8
 * (docs/json.md).  Self-contained: the C library only.
 */
#include <stdbool.h>
#include <stddef.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype type;
	bool b;
	unsigned long long n;	/* J_NUM: 64 bits on every ABI */
	char *s;		/* J_STR, NUL-terminated */
	size_t len;		/* J_STR bytes; J_ARR/J_OBJ members */
	struct jv *items;	/* J_ARR elements, J_OBJ values */
	char **keys;		/* J_OBJ */
};

/* NULL on a syntax error (err says where) or trailing garbage. */
struct jv *json_parse(const char *text, char *err, size_t errlen);
void json_free(struct jv *v);

/* Member of an object, or NULL. */
const struct jv *json_get(const struct jv *obj, const char *key);
/* Typed getters: false if absent or of another type. */
bool json_get_u64(const struct jv *obj, const char *key,
		  unsigned long long *v);
bool json_get_hex(const struct jv *obj, const char *key,
		  unsigned long long *v);
bool json_get_bool(const struct jv *obj, const char *key, bool *v);
const char *json_get_str(const struct jv *obj, const char *key);
bool json_is_null(const struct jv *obj, const char *key);

#endif /* VMSCOPE_JSON_READ_H */
