/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TEST_ORACLE_H
#define VMSCOPE_TEST_ORACLE_H

/*
 * Independent views of the same facts vmscope reports, read from the
 * kernel's own interfaces.  Tests compare vmscope against these.
 */
#include <stdbool.h>
#include <stdint.h>

/* /proc/kcore program headers (PT_LOAD only). */
struct kcore_segment {
	uint64_t vaddr;
	uint64_t paddr;		/* (uint64_t)-1 when not linearly mapped */
	uint64_t size;
};
/* Returns the number of segments (at most max), or -errno. */
int kcore_segments(struct kcore_segment *segs, int max);

/* Address of a symbol in /proc/kallsyms; 0 if absent or hidden. */
uint64_t kallsyms_lookup(const char *name);

#endif /* VMSCOPE_TEST_ORACLE_H */
