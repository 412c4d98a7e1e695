// SPDX-License-Identifier: GPL-2.0
/* The words the debugfs text uses for vmscope's enums and flag bits. */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>

#include "names.h"
#include "pages.h"
#include "uapi/vmscope_names.h"

static const char * const vma_kinds[] = VMSCOPE_VMA_KIND_NAMES;
static const char * const page_states[] = VMSCOPE_STATE_NAMES;
static const char * const levels[] = VMSCOPE_LEVEL_NAMES;
static const struct vmscope_flag_name page_flags[] = VMSCOPE_PAGE_FLAG_NAMES;
static const struct vmscope_flag_name vma_flags[] = VMSCOPE_VMA_FLAG_NAMES;
static const char * const fault_names[] = VMSCOPE_FAULT_NAMES;
static const char * const fault_texts[] = VMSCOPE_FAULT_TEXTS;

static const char *lookup(const char * const *names, size_t nr, u32 i)
{
	return i < nr && names[i] ? names[i] : "?";
}

const char *vmscope_vma_kind_name(u32 kind)
{
	return lookup(vma_kinds, ARRAY_SIZE(vma_kinds), kind);
}

const char *vmscope_page_state_name(u32 state)
{
	return lookup(page_states, ARRAY_SIZE(page_states), state);
}

const char *vmscope_level_name(u32 level)
{
	if (level == VMSCOPE_LEVEL_NONE)
		return "-";
	return lookup(levels, ARRAY_SIZE(levels), level);
}

const char *vmscope_fault_name(u32 fault)
{
	return lookup(fault_names, ARRAY_SIZE(fault_names), fault);
}

const char *vmscope_fault_text(u32 fault)
{
	return lookup(fault_texts, ARRAY_SIZE(fault_texts), fault);
}

static void seq_flags(struct seq_file *m, const struct vmscope_flag_name *f,
		      u32 flags)
{
	const char *sep = "";

	if (!flags) {
		seq_putc(m, '-');
		return;
	}
	for (; f->name; f++) {
		if (flags & f->bit) {
			seq_printf(m, "%s%s", sep, f->name);
			sep = ",";
		}
	}
}

void vmscope_seq_page_flags(struct seq_file *m, u32 flags)
{
	seq_flags(m, page_flags, flags);
}

/*
 * " mapcount=N", "?" where the kernel keeps none for the page, "-" where
 * the caller may not see it (VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN).
 */
void vmscope_seq_mapcount(struct seq_file *m, const struct vmscope_page *p)
{
	if (p->flags & VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN)
		seq_puts(m, " mapcount=?");
	else if (p->flags & VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN)
		seq_puts(m, " mapcount=-");
	else
		seq_printf(m, " mapcount=%u", p->mapcount);
}

/* " order=N", "-" where the caller may not see it (F_BITS_HIDDEN). */
void vmscope_seq_order(struct seq_file *m, const struct vmscope_page *p)
{
	if (p->flags & VMSCOPE_PAGE_F_BITS_HIDDEN)
		seq_puts(m, " order=-");
	else
		seq_printf(m, " order=%u", p->order);
}

/* rwxs are in the perms column already; print the rest. */
void vmscope_seq_vma_flags(struct seq_file *m, u32 flags)
{
	flags &= ~(VMSCOPE_VMA_F_READ | VMSCOPE_VMA_F_WRITE |
		   VMSCOPE_VMA_F_EXEC | VMSCOPE_VMA_F_SHARED |
		   VMSCOPE_VMA_F_MAYWRITE);
	seq_flags(m, vma_flags, flags);
}

int vmscope_parse_number(const char *s, unsigned long *val)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return kstrtoul(s + 2, 16, val);
	return kstrtoul(s, 10, val);
}

/*
 * /proc/PID/maps prints a file's name with seq_path(m, path, "\n"): a
 * newline becomes \012 (mangle_path()), every other byte is printed as
 * it is.  vmscope's text does the same, so that its lines can be
 * compared with maps' and a name cannot start a line of its own.
 */
#define VMSCOPE_PATH_ESCAPE	"\n"

void vmscope_seq_path(struct seq_file *m, const char *path)
{
	seq_escape(m, path, VMSCOPE_PATH_ESCAPE);
}

size_t vmscope_escape_path(char *buf, size_t size, const char *path)
{
	size_t n = 0;

	for (; *path; path++) {
		if (!strchr(VMSCOPE_PATH_ESCAPE, *path)) {
			if (n + 1 >= size)
				break;
			buf[n++] = *path;
			continue;
		}
		if (n + 4 >= size)
			break;
		n += scnprintf(buf + n, size - n, "\\%03o",
			       (unsigned char)*path);
	}
	if (size)
		buf[n] = '\0';
	return n;
}
