/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TEST_VMSCOPE_H
#define VMSCOPE_TEST_VMSCOPE_H

/* Access to vmscope's debugfs files from the tests. */
#include <stdbool.h>
#include <stdint.h>

#define VMSCOPE_DEBUGFS "/sys/kernel/debug/vmscope"

/*
 * Look up "name" in the layout file ("name value  # comment" lines).
 * Returns true and stores the value (decimal, hex or yes/no) if present.
 */
bool layout_value(const char *name, uint64_t *value);
/* Is the line "# kernel addresses hidden ..." present? */
bool layout_kernel_hidden(void);

#endif /* VMSCOPE_TEST_VMSCOPE_H */
