/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_ACCESS_H
#define VMSCOPE_ACCESS_H

#include <linux/types.h>

bool vmscope_kernel_addrs_visible(bool opener_has_syslog);

struct vm_area_struct;
struct vmscope_page;
struct vmscope_target;

bool vmscope_cache_visible(const struct vmscope_target *t,
			   struct vm_area_struct *vma);
void vmscope_redact_page(const struct vmscope_target *t,
			 struct vmscope_page *p);
u64 vmscope_redact_entry(const struct vmscope_target *t, u64 raw);
u32 vmscope_redact_fault(const struct vmscope_target *t, u32 fault);

#endif /* VMSCOPE_ACCESS_H */
