/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_ACCESS_H
#define VMSCOPE_ACCESS_H

#include <linux/types.h>

bool vmscope_kernel_addrs_visible(bool opener_has_syslog);

#endif /* VMSCOPE_ACCESS_H */
