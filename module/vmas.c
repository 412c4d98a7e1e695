// SPDX-License-Identifier: GPL-2.0
/*
 * VMAs, one at a time: what /proc/PID/maps says of each, the segment a
 * textbook would call it, and page counts from the page-table walk.
 *
 * The cursor takes the mmap lock, copies out what describes the VMAs from
 * its position on (a bounded batch of them, as /proc/PID/maps formats
 * many per lock hold) and drops the lock.  Counting then walks each VMA's
 * pages in bounded batches through the page cursor, which re-finds VMAs
 * by address, so a VMA that changes meanwhile yields the counts of what
 * was there when each batch ran; to keep descriptions that fresh, a
 * counting cursor describes one VMA per lock hold.
 */
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "arch.h"
#include "compat.h"
#include "pages.h"
#include "target.h"
#include "vmas.h"

/* Entries per page-walk call while counting; a constant per cursor. */
#define VMSCOPE_COUNT_BATCH	64

int vmscope_vma_cursor_init(struct vmscope_vma_cursor *c,
			    struct vmscope_target *t, bool counts)
{
	memset(c, 0, sizeof(*c));
	c->target = t;
	c->counts = counts;
	c->batch = kmalloc_array(VMSCOPE_VMA_BATCH, sizeof(*c->batch),
				 GFP_KERNEL);
	c->names = kmalloc(VMSCOPE_VMA_NAMES, GFP_KERNEL);
	c->pages = kmalloc_array(VMSCOPE_COUNT_BATCH, sizeof(*c->pages),
				 GFP_KERNEL);
	if (!c->batch || !c->names || !c->pages) {
		vmscope_vma_cursor_destroy(c);
		return -ENOMEM;
	}
	return 0;
}

void vmscope_vma_cursor_destroy(struct vmscope_vma_cursor *c)
{
	kfree(c->batch);
	kfree(c->names);
	kfree(c->pages);
	c->batch = NULL;
	c->names = NULL;
	c->pages = NULL;
}

static bool vma_is_heap(struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->brk &&
	       vma->vm_end >= vma->vm_mm->start_brk;
}

static bool vma_is_main_stack(struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack &&
	       vma->vm_end >= vma->vm_mm->start_stack;
}

static bool overlaps(struct vm_area_struct *vma, unsigned long start,
		     unsigned long end)
{
	return start < end && vma->vm_start < end && vma->vm_end > start;
}

/* vdso, vvar and other special mappings name themselves. */
static const char *special_name(struct vm_area_struct *vma)
{
	if (vma->vm_file || !vma->vm_ops || !vma->vm_ops->name)
		return NULL;
	return vma->vm_ops->name(vma);
}

/*
 * MAP_SHARED|MAP_ANONYMOUS, SysV shm and memfd memory live in files of
 * the kernel-internal tmpfs mount (shmem_mapping() is not exported on
 * 6.1).
 */
static bool is_shared_anon_file(struct file *file)
{
	struct super_block *sb = file_inode(file)->i_sb;

	return sb->s_magic == TMPFS_MAGIC && (sb->s_flags & SB_KERNMOUNT);
}

static u32 file_vma_kind(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_flags & VM_MAYSHARE)
		return is_shared_anon_file(vma->vm_file) ?
		       VMSCOPE_VMA_SHARED_ANON : VMSCOPE_VMA_FILE_SHARED;
	if (overlaps(vma, mm->start_code, mm->end_code))
		return VMSCOPE_VMA_TEXT;
	if (overlaps(vma, mm->start_data, mm->end_data))
		return VMSCOPE_VMA_DATA;
	return VMSCOPE_VMA_FILE_PRIVATE;
}

static u32 vma_kind(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	if (is_vm_hugetlb_page(vma))
		return VMSCOPE_VMA_HUGETLB;
	if (special_name(vma))		/* [vvar] is VM_PFNMAP too */
		return VMSCOPE_VMA_VDSO;
	if (vma->vm_flags & (VM_PFNMAP | VM_IO))
		return VMSCOPE_VMA_PFNMAP;
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return VMSCOPE_VMA_GUARD;
	if (vma->vm_file)
		return file_vma_kind(vma);
	if (vma_is_heap(vma))
		return VMSCOPE_VMA_HEAP;
	if (vma_is_main_stack(vma))
		return VMSCOPE_VMA_STACK;
	/* bss: the anonymous tail of the program image, below the heap */
	if (mm->end_data && vma->vm_start >= (mm->end_data & PAGE_MASK) &&
	    vma->vm_end <= PAGE_ALIGN(mm->start_brk))
		return VMSCOPE_VMA_BSS;
	if (vma->vm_flags & VM_MAYSHARE)
		return VMSCOPE_VMA_SHARED_ANON;
	return VMSCOPE_VMA_MMAP_ANON;
}

static const struct {
	unsigned long vm;
	u32 ours;
} vma_flag_map[] = {
	{ VM_READ, VMSCOPE_VMA_F_READ },
	{ VM_WRITE, VMSCOPE_VMA_F_WRITE },
	{ VM_EXEC, VMSCOPE_VMA_F_EXEC },
	{ VM_MAYSHARE, VMSCOPE_VMA_F_SHARED },
	{ VM_MAYWRITE, VMSCOPE_VMA_F_MAYWRITE },
	{ VM_GROWSDOWN, VMSCOPE_VMA_F_GROWSDOWN },
	{ VM_LOCKED, VMSCOPE_VMA_F_LOCKED },
	{ VM_HUGEPAGE, VMSCOPE_VMA_F_HUGEPAGE },
	{ VM_NOHUGEPAGE, VMSCOPE_VMA_F_NOHUGEPAGE },
	{ VM_PFNMAP, VMSCOPE_VMA_F_PFNMAP },
	{ VM_IO, VMSCOPE_VMA_F_IO },
	{ VM_MERGEABLE, VMSCOPE_VMA_F_MERGEABLE },
	{ VM_DONTCOPY, VMSCOPE_VMA_F_DONTCOPY },
	{ VM_WIPEONFORK, VMSCOPE_VMA_F_WIPEONFORK },
	{ VM_UFFD_MISSING | VM_UFFD_WP | VM_UFFD_MINOR | VMSCOPE_VM_UFFD_RWP,
	  VMSCOPE_VMA_F_UFFD },
	{ VM_SOFTDIRTY, VMSCOPE_VMA_F_SOFTDIRTY },
	{ VM_HUGETLB, VMSCOPE_VMA_F_HUGETLB },
	{ VM_MIXEDMAP, VMSCOPE_VMA_F_MIXEDMAP },
};

static u32 vma_flags(struct vm_area_struct *vma)
{
	u32 flags = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(vma_flag_map); i++)
		if (vma->vm_flags & vma_flag_map[i].vm)
			flags |= vma_flag_map[i].ours;
	return flags;
}

/* The name /proc/PID/maps prints, as fs/proc/task_mmu.c finds it. */
static const char *vma_path(struct vm_area_struct *vma, char *buf)
{
	const char *anon = vmscope_anon_vma_name(vma);
	const char *name;

	if (vma->vm_file) {
		if (anon) {
			snprintf(buf, VMSCOPE_PATH_MAX, "[anon_shmem:%s]", anon);
			return buf;
		}
		name = d_path(file_user_path(vma->vm_file), buf,
			      VMSCOPE_PATH_MAX);
		return IS_ERR(name) ? "[unreachable]" : name;
	}
	name = special_name(vma);
	if (name)
		return name;
	if (vma_is_heap(vma))
		return "[heap]";
	if (vma_is_main_stack(vma))
		return "[stack]";
	if (anon) {
		snprintf(buf, VMSCOPE_PATH_MAX, "[anon:%s]", anon);
		return buf;
	}
	return "";
}

void vmscope_describe_vma(struct vm_area_struct *vma, char *buf,
			  struct vmscope_vma_info *out)
{
	const char *path;

	memset(out, 0, sizeof(*out));
	out->start = vma->vm_start;
	out->end = vma->vm_end;
	out->flags = vma_flags(vma);
	out->kind = vma_kind(vma);
	if (vma->vm_file) {
		const struct inode *inode = file_user_inode(vma->vm_file);

		out->dev_major = MAJOR(inode->i_sb->s_dev);
		out->dev_minor = MINOR(inode->i_sb->s_dev);
		out->inode = inode->i_ino;
		out->pgoff_bytes = (u64)vma->vm_pgoff << PAGE_SHIFT;
	}
	/* d_path() fills buf from its end; move the name to the front. */
	path = vma_path(vma, buf);
	memmove(buf, path, strlen(path) + 1);
	out->path = buf;
}

static void count_entry(const struct vmscope_page *p,
			struct vmscope_counts *n)
{
	u64 nr = p->nr;

	switch (p->state) {
	case VMSCOPE_STATE_NONE:
	case VMSCOPE_STATE_NO_VMA:
		if (p->flags & VMSCOPE_PAGE_F_CACHE_HIDDEN)
			n->cache_hidden += nr;
		else if (p->flags & VMSCOPE_PAGE_F_PAGE_CACHE)
			n->page_cache += nr;
		else
			n->none += nr;
		return;
	case VMSCOPE_STATE_SWAP:
		n->swap += nr;
		return;
	case VMSCOPE_STATE_PRESENT:
	case VMSCOPE_STATE_PFNMAP:
		break;
	default:
		n->other += nr;
		return;
	}
	n->present += nr;
	if (p->flags & VMSCOPE_PAGE_F_ZERO)
		n->zero += nr;
	if (p->flags & VMSCOPE_PAGE_F_THP)
		n->thp += nr;
	if (p->flags & VMSCOPE_PAGE_F_COW)
		n->cow += nr;
	if (p->flags & VMSCOPE_PAGE_F_EXCLUSIVE)
		n->exclusive += nr;
	n->pss_bytes += p->pss >> VMSCOPE_PSS_SHIFT;
}

/*
 * The gate VMA (x86_64's vsyscall page: vmscope_arch_gate_vm_flags()), as
 * fs/proc/task_mmu.c's show_map_vma() prints it: no file, offset 0,
 * named by its vm_ops.  It is no VMA of the mm and has no page tables
 * of the mm's own: its one page is mapped only in EMULATE mode (VM_READ),
 * in the kernel's half of every page table.
 */
static void describe_gate_vma(unsigned long vm_flags,
			      struct vmscope_vma_info *out)
{
	memset(out, 0, sizeof(*out));
	out->start = VMSCOPE_ARCH_GATE_ADDR;
	out->end = VMSCOPE_ARCH_GATE_ADDR + PAGE_SIZE;
	out->flags = VMSCOPE_VMA_F_EXEC;
	if (vm_flags & VM_READ)
		out->flags |= VMSCOPE_VMA_F_READ;
	out->kind = VMSCOPE_VMA_VDSO;
	out->path = VMSCOPE_ARCH_GATE_NAME;
	out->gate = true;
}

static void count_gate_page(struct vmscope_vma_info *info)
{
	if (info->flags & VMSCOPE_VMA_F_READ)
		info->counts.present = 1;
	else
		info->counts.none = 1;
	info->has_counts = true;
}

static int count_pages(struct vmscope_vma_cursor *c,
		       struct vmscope_vma_info *info, const char **why)
{
	struct vmscope_page_cursor pc;
	int i, n;

	vmscope_page_cursor_init(&pc, c->target, info->start, info->end, true);
	while ((n = vmscope_pages_next(&pc, c->pages, VMSCOPE_COUNT_BATCH,
				       why)) > 0)
		for (i = 0; i < n; i++)
			count_entry(&c->pages[i], &info->counts);
	info->has_counts = n == 0;
	return n;
}

/*
 * Describe the VMAs from c->next on, under one mmap lock hold: as many as
 * the batch and the names buffer hold (a name may take VMSCOPE_PATH_MAX).
 */
static int fill_batch(struct vmscope_vma_cursor *c, const char **why)
{
	unsigned int max = c->counts ? 1 : VMSCOPE_VMA_BATCH;
	struct vm_area_struct *vma;
	struct vma_iterator vmi;
	struct mm_struct *mm;
	size_t used = 0;

	c->batch_nr = 0;
	c->batch_pos = 0;
	mm = vmscope_target_lock(c->target, why);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	vma_iter_init(&vmi, mm, c->next);
	while (c->batch_nr < max &&
	       used + VMSCOPE_PATH_MAX <= VMSCOPE_VMA_NAMES) {
		struct vmscope_vma_info *info = &c->batch[c->batch_nr];

		vma = vma_next(&vmi);
		if (!vma) {
			/* /proc/PID/maps ends with the gate VMA, if any */
			unsigned long gate = vmscope_arch_gate_vm_flags(mm);

			if (!gate || c->next > VMSCOPE_ARCH_GATE_ADDR)
				break;
			describe_gate_vma(gate, info);
			c->next = info->end;
			c->batch_nr++;
			break;
		}
		vmscope_describe_vma(vma, c->names + used, info);
		used += strlen(info->path) + 1;
		c->next = vma->vm_end;
		c->batch_nr++;
	}
	vmscope_target_unlock(mm);
	return 0;
}

int vmscope_vmas_next(struct vmscope_vma_cursor *c,
		      struct vmscope_vma_info *out, const char **why)
{
	int err;

	if (c->batch_pos == c->batch_nr) {
		err = fill_batch(c, why);
		if (err)
			return err;
		if (!c->batch_nr)
			return 0;
	}
	*out = c->batch[c->batch_pos++];
	if (c->counts && out->gate) {
		count_gate_page(out);
	} else if (c->counts) {
		err = count_pages(c, out, why);
		if (err < 0)
			return err;
	}
	return 1;
}
