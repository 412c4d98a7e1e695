// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab: what the student reads.  Explanations are wrapped to 76
 * columns; every check prints one "check:" line, ok or FAILED, so a
 * transcript shows what was verified as well as what was claimed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"

#define LAB_COLUMNS 76

bool lab_interactive;
static int failures;
static bool just_said;		/* the last thing printed was lab_say()'s */

void lab_heading(const struct lab_step *s)
{
	printf("\n== %s: %s\n\n", s->name, s->title);
}

/* fmt with its arguments, without the newlines that only split sources */
static void format(char *buf, size_t len, const char *fmt, va_list ap)
{
	char *nl;

	vsnprintf(buf, len, fmt, ap);
	while ((nl = strchr(buf, '\n')))
		memmove(nl, nl + 1, strlen(nl));
}

/* text wrapped, the first line after prefix, the others indented as much */
static void wrap(const char *prefix, const char *text)
{
	size_t width = LAB_COLUMNS - strlen(prefix);
	int indent = strlen(prefix);
	const char *p = text;
	bool first = true;

	while (*p) {
		size_t n = strlen(p), cut = n;

		if (n > width) {
			cut = width;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (!cut)
				cut = width;
		}
		printf("%*s%.*s\n", indent, first ? prefix : "", (int)cut, p);
		first = false;
		p += cut;
		while (*p == ' ')
			p++;
	}
}

void lab_say(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	format(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	wrap("", buf);
	printf("\n");
	just_said = true;
}

void lab_note(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	format(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	wrap("note: ", buf);
	just_said = false;
}

/*
 * Wait for a line on stdin.  read(), not stdio: stdin's first fgets()
 * would malloc() its buffer on the main thread, whose heap the malloc
 * and brk steps watch.
 */
static void wait_enter(void)
{
	char c = 0;

	printf("   [Enter] ");
	fflush(stdout);
	while (c != '\n')
		if (read(STDIN_FILENO, &c, 1) != 1) {
			lab_interactive = false;
			break;
		}
}

void lab_act(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	format(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!just_said)
		printf("\n");
	just_said = false;
	wrap("-- ", buf);
	if (lab_interactive)
		wait_enter();
	fflush(stdout);
}

bool lab_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("check: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" %s\n", ok ? "ok" : "FAILED");
	fflush(stdout);
	if (!ok)
		failures++;
	return ok;
}

void lab_check_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("check: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (not checked: %s)\n", why);
}

int lab_skip(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	format(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("skipped: %s\n", buf);
	fflush(stdout);
	return failures ? LAB_FAILED : LAB_SKIPPED;
}

int lab_result(void)
{
	fflush(stdout);
	return failures ? LAB_FAILED : LAB_OK;
}

int lab_error(const char *what)
{
	printf("error: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	return LAB_ERROR;
}
