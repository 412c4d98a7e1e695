/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_NAMES_H
#define VMSCOPE_NAMES_H

#include <linux/seq_file.h>
#include <linux/types.h>

/* Words for the text interface; docs/debugfs.md lists them. */
const char *vmscope_vma_kind_name(u32 kind);
const char *vmscope_page_state_name(u32 state);
const char *vmscope_level_name(u32 level);
const char *vmscope_fault_name(u32 fault);
const char *vmscope_fault_text(u32 fault);
/* Comma-separated names of the set bits, or "-". */
void vmscope_seq_page_flags(struct seq_file *m, u32 flags);
void vmscope_seq_vma_flags(struct seq_file *m, u32 flags);
struct vmscope_page;
void vmscope_seq_mapcount(struct seq_file *m, const struct vmscope_page *p);
void vmscope_seq_order(struct seq_file *m, const struct vmscope_page *p);

/*
 * A file name as /proc/PID/maps prints it: a newline as \012, nothing
 * else escaped.  vmscope_escape_path() writes it into buf (size bytes,
 * NUL included), cut before an escape that does not fit, and returns the
 * length written, as scnprintf() does.
 */
void vmscope_seq_path(struct seq_file *m, const char *path);
size_t vmscope_escape_path(char *buf, size_t size, const char *path);

/*
 * A number in a question: decimal, or hex with 0x.  (kstrtoul's base 0
 * would read a leading zero as octal, which nobody writing a PID means.)
 */
int vmscope_parse_number(const char *s, unsigned long *val);

#endif /* VMSCOPE_NAMES_H */
