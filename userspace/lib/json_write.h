/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer.  Objects and arrays nest; commas and
 * indentation are the writer's business.  Containers down to a depth of
 * two are laid out one member per line, deeper ones on one line, so a
 * list of VMAs or pages reads one element per line.
 */
#ifndef VMSCOPE_JSON_WRITE_H
#define VMSCOPE_JSON_WRITE_H

#include <stdbool.h>
#include <stdio.h>

#include "query.h"

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* nothing written yet at this depth */
	bool after_key;
	int pretty_depth;	/* containers this deep: a member per line */
};

void json_init(struct json *j, FILE *f);
/*
 * Length of the valid UTF-8 sequence at s (no overlong forms, surrogates
 * or values past U+10FFFF), or 0 if it is not one.
 */
size_t vs_utf8_len(const unsigned char *s);
/* The whole document on one line (JSON lines: "faults --json"). */
void json_init_line(struct json *j, FILE *f);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);

void json_str(struct json *j, const char *s);
void json_u64(struct json *j, u64 v);
void json_hex(struct json *j, u64 v);	/* "0x..." string */
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* key: value shorthands */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, u64 v);
void json_kv_hex(struct json *j, const char *key, u64 v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_null(struct json *j, const char *key);

/* Ends the document with a newline: 0, or -errno if writing failed. */
int json_finish(struct json *j);

/*
 * The answers of query.h (answer_json.c): a VMA object as "maps" prints
 * it, the members every page and run has (page i of an exact entry), and
 * the members of "vmscope layout --json".
 */
void vs_vma_json(struct json *j, const struct vs_vma *v);
void vs_page_fields_json(struct json *j, const struct vs_page *p, u64 i);
void vs_layout_json_fields(struct json *j, const struct vs_layout *l);

#endif /* VMSCOPE_JSON_WRITE_H */
