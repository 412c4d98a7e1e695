/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_DEBUGFS_QUERY_H
#define VMSCOPE_DEBUGFS_QUERY_H

#include <linux/fs.h>

extern const struct file_operations vmscope_maps_fops;
extern const struct file_operations vmscope_pages_fops;
extern const struct file_operations vmscope_explain_fops;
extern const struct file_operations vmscope_faults_fops;

#endif /* VMSCOPE_DEBUGFS_QUERY_H */
