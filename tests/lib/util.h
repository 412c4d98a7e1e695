/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TEST_UTIL_H
#define VMSCOPE_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define NOBODY_UID 65534
#define NOBODY_GID 65534

/* Read a whole file into a NUL-terminated malloc'd buffer; NULL on error. */
char *read_file(const char *path, size_t *len);
/* Write a string to a file (sysctls, debugfs); 0 or -errno. */
int write_file(const char *path, const char *text);

/* Does /proc/cmdline contain this word? */
bool cmdline_has(const char *word);

/*
 * Run fn(arg) in a child that dropped to uid/gid nobody with no
 * capabilities; returns the child's exit status, or -1 if it died.
 */
int run_as_nobody(int (*fn)(void *arg), void *arg);

/* sysctl helpers that save and restore the previous value. */
struct saved_sysctl {
	char path[128];
	char value[64];
};
int sysctl_set(struct saved_sysctl *save, const char *path, const char *val);
void sysctl_restore(struct saved_sysctl *save);

#endif /* VMSCOPE_TEST_UTIL_H */
