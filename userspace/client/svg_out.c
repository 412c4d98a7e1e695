// SPDX-License-Identifier: GPL-2.0
/*
 * --svg FILE and "vmscope svg DOC.json": a command's JSON document drawn
 * as SVG (lib/svg.h).  The live picture goes through the very document
 * --json prints, so that it and a picture of the saved document are the
 * same bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "svg.h"
#include "slurp.h"

/* Draw the document in text into path ("-": standard output). */
static int draw(const char *what, const char *text, const char *path)
{
	bool out = !strcmp(path, "-");
	char why[256];
	struct jv *doc;
	FILE *f;
	int ret;

	doc = json_parse(text, why, sizeof(why));
	if (!doc) {
		fprintf(stderr, "vmscope: %s: not JSON: %s\n", what, why);
		return VS_EXIT_ERROR;
	}
	f = out ? stdout : fopen(path, "w");
	if (!f) {
		fprintf(stderr, "vmscope: %s: %s\n", path, strerror(errno));
		json_free(doc);
		return VS_EXIT_ERROR;
	}
	ret = vs_svg_render(f, doc, why, sizeof(why));
	json_free(doc);
	if (ret)
		fprintf(stderr, "vmscope: %s: %s\n", what, why);
	if (fflush(f) || ferror(f)) {
		fprintf(stderr, "vmscope: writing %s: %s\n", path,
			strerror(errno));
		ret = -1;
	}
	if (!out && fclose(f) && !ret) {
		fprintf(stderr, "vmscope: writing %s: %s\n", path,
			strerror(errno));
		ret = -1;
	}
	if (ret && !out)
		unlink(path);
	return ret ? VS_EXIT_ERROR : VS_EXIT_OK;
}

int vs_svg_out(const struct vs_args *a,
	       int (*json_doc)(FILE *f, const void *arg), const void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m;
	int ret;

	m = open_memstream(&text, &len);
	if (!m) {
		fprintf(stderr, "vmscope: out of memory\n");
		return VS_EXIT_ERROR;
	}
	ret = json_doc(m, arg);
	if (fclose(m) || ret) {
		fprintf(stderr, "vmscope: out of memory\n");
		free(text);
		return VS_EXIT_ERROR;
	}
	ret = draw(a->cmd, text, a->svg);
	free(text);
	return ret;
}

int cmd_svg(struct vs_nl *nl, const struct vs_args *a)
{
	const char *file = a->files[0];
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	char *text;
	int ret;

	if (fd < 0) {
		fprintf(stderr, "vmscope: %s: %s\n", file, strerror(errno));
		return VS_EXIT_ERROR;
	}
	errno = EIO;
	text = slurp_fd(fd);
	ret = errno;
	close(fd);
	if (!text) {
		fprintf(stderr, "vmscope: %s: %s\n", file, strerror(ret));
		return VS_EXIT_ERROR;
	}
	ret = draw(file, text, a->svg ? a->svg : "-");
	free(text);
	return ret;
}
