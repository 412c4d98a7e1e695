// SPDX-License-Identifier: GPL-2.0
/* The words the debugfs text uses for vmscope's enums and flag bits. */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>

#include "names.h"
#include "uapi/vmscope.h"

static const char * const vma_kinds[] = {
	[VMSCOPE_VMA_TEXT] = "text",
	[VMSCOPE_VMA_DATA] = "data",
	[VMSCOPE_VMA_BSS] = "bss",
	[VMSCOPE_VMA_HEAP] = "heap",
	[VMSCOPE_VMA_STACK] = "stack",
	[VMSCOPE_VMA_MMAP_ANON] = "mmap-anon",
	[VMSCOPE_VMA_FILE_PRIVATE] = "file-private",
	[VMSCOPE_VMA_FILE_SHARED] = "file-shared",
	[VMSCOPE_VMA_SHARED_ANON] = "shared-anon",
	[VMSCOPE_VMA_VDSO] = "vdso",
	[VMSCOPE_VMA_GUARD] = "guard",
	[VMSCOPE_VMA_HUGETLB] = "hugetlb",
	[VMSCOPE_VMA_PFNMAP] = "pfnmap",
};

static const char * const page_states[] = {
	[VMSCOPE_STATE_NONE] = "none",
	[VMSCOPE_STATE_PRESENT] = "present",
	[VMSCOPE_STATE_SWAP] = "swap",
	[VMSCOPE_STATE_MIGRATION] = "migration",
	[VMSCOPE_STATE_DEVICE] = "device",
	[VMSCOPE_STATE_HWPOISON] = "hwpoison",
	[VMSCOPE_STATE_MARKER] = "marker",
	[VMSCOPE_STATE_PFNMAP] = "pfnmap",
	[VMSCOPE_STATE_UNWALKED] = "unwalked",
	[VMSCOPE_STATE_NO_VMA] = "no-vma",
};

static const char * const levels[] = {
	[VMSCOPE_LEVEL_NONE] = "-",
	[VMSCOPE_LEVEL_PTE] = "pte",
	[VMSCOPE_LEVEL_PMD] = "pmd",
	[VMSCOPE_LEVEL_PUD] = "pud",
	[VMSCOPE_LEVEL_P4D] = "p4d",
	[VMSCOPE_LEVEL_PGD] = "pgd",
};

/* Indexed by bit number. */
static const char * const page_flags[] = {
	"write", "dirty", "young", "nx", "user", "global", "soft_dirty",
	"uffd_wp", "zero", "huge_zero", "anon", "file", "ksm", "thp",
	"exclusive", "cow", "page_cache", "swap_excl", "mmap_excl",
};

static const char * const vma_flags[] = {
	"read", "write", "exec", "shared", "maywrite", "growsdown", "locked",
	"hugepage", "nohugepage", "pfnmap", "io", "mergeable", "dontcopy",
	"wipeonfork", "uffd", "softdirty", "hugetlb", "mixedmap",
};

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
	return lookup(levels, ARRAY_SIZE(levels), level);
}

static void seq_flags(struct seq_file *m, const char * const *names,
		      size_t nr, unsigned long flags)
{
	const char *sep = "";
	unsigned int bit;

	if (!flags) {
		seq_putc(m, '-');
		return;
	}
	for_each_set_bit(bit, &flags, BITS_PER_LONG) {
		seq_printf(m, "%s%s", sep, lookup(names, nr, bit));
		sep = ",";
	}
}

void vmscope_seq_page_flags(struct seq_file *m, u32 flags)
{
	seq_flags(m, page_flags, ARRAY_SIZE(page_flags), flags);
}

/* rwxs are in the perms column already; print the rest. */
void vmscope_seq_vma_flags(struct seq_file *m, u32 flags)
{
	flags &= ~(VMSCOPE_VMA_F_READ | VMSCOPE_VMA_F_WRITE |
		   VMSCOPE_VMA_F_EXEC | VMSCOPE_VMA_F_SHARED |
		   VMSCOPE_VMA_F_MAYWRITE);
	seq_flags(m, vma_flags, ARRAY_SIZE(vma_flags), flags);
}

int vmscope_parse_number(const char *s, unsigned long *val)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return kstrtoul(s + 2, 16, val);
	return kstrtoul(s, 10, val);
}
