/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_SLURP_H
#define VMSCOPE_SLURP_H

/*
 * The whole content of a file descriptor (a memfd a program's output
 * was captured in), for vmscope-lab and the tests.  Self-contained: the
 * C library only.
 */

/* From offset 0, NUL-terminated, malloc'd; NULL on error. */
char *slurp_fd(int fd);

#endif /* VMSCOPE_SLURP_H */
