/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_DEBUGFS_H
#define VMSCOPE_DEBUGFS_H

int vmscope_debugfs_init(void);
void vmscope_debugfs_exit(void);

#endif /* VMSCOPE_DEBUGFS_H */
