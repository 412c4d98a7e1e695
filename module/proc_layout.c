// SPDX-License-Identifier: GPL-2.0
/*
 * A process's address space as exec laid it out (x86_64), and where each
 * region would be without randomisation.
 *
 * The addresses are the mm_struct's, as /proc/PID/stat prints them.  The
 * unrandomised bases follow what exec does on both supported kernels
 * (fs/binfmt_elf.c load_elf_binary(), fs/exec.c setup_arg_pages(),
 * arch/x86/mm/mmap.c arch_pick_mmap_layout(); the same in 6.1 and 6.12):
 *
 *   text   PIE (ET_DYN with an interpreter): ELF_ET_DYN_BASE, aligned
 *          down to the largest PT_LOAD alignment, plus arch_mmap_rnd();
 *          ET_EXEC at its link address, never moved; ET_DYN without an
 *          interpreter (static PIE, ld.so run as a program) in the mmap
 *          area, so its base is not known here.
 *   brk    the page after bss, plus one page and randomize_page(1 GiB)
 *          when randomised (randomize_va_space 2); loaders' brk starts at
 *          ELF_ET_DYN_BASE instead.
 *   stack  the stack VMA ends at STACK_TOP less randomize_stack_top()'s
 *          up to 16 GiB and arch_align_stack()'s up to 8 KiB.
 *   mmap   top down: STACK_TOP - gap - rnd, where the gap is RLIMIT_STACK
 *          at exec + stack_guard_gap (+ 16 GiB when randomised), clamped
 *          to [128 MiB, 5/6 of STACK_TOP]; bottom up: STACK_TOP/3 + rnd.
 *
 * vdso placement differs between the kernels (arch/x86/entry/vdso/vma.c):
 * 6.1 puts it above the stack, at a random page within the stack top's
 * 2 MiB (in the mmap area when there is no room); 6.12 puts it in the
 * mmap area like any mapping.  Only its address is reported; the client
 * says which neighbour it moved with.
 *
 * 32-bit tasks get the mm fields only: their bases come from other
 * constants and vmscope does not model them.
 */
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/personality.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "arch.h"
#include "compat.h"	/* folio_batch on every kernel */
#include "explain.h"
#include "proc_layout.h"
#include "target.h"
#include "uapi/vmscope.h"

/* STACK_TOP and task_size_64bit(0) of a 64-bit task. */
#define VMSCOPE_STACK_TOP_64	DEFAULT_MAP_WINDOW
/* ELF_ET_DYN_BASE of a 64-bit task (asm/elf.h reads current's mode). */
#define VMSCOPE_ET_DYN_BASE_64	(DEFAULT_MAP_WINDOW / 3 * 2)
/* stack_maxrandom_size() of a randomised 64-bit task: 0x3fffff pages. */
#define VMSCOPE_STACK_RND_64	(0x3fffffUL << PAGE_SHIFT)
/*
 * stack_guard_gap is not exported: assume its default, 256 pages
 * (mm/mmap.c), which only "stack_guard_gap=" on the command line changes.
 */
#define VMSCOPE_GUARD_GAP	(256UL << PAGE_SHIFT)
/* A bound on program headers read, far above what linkers emit. */
#define VMSCOPE_ELF_MAX_PHDRS	128

/* What exec read from the executable's program headers. */
struct elf_facts {
	u32 type;			/* enum vmscope_exec_type */
	unsigned long first_vaddr;	/* p_vaddr of the first PT_LOAD */
	unsigned long min_x_vaddr;	/* lowest executable PT_LOAD */
	unsigned long max_end;		/* highest p_vaddr + p_memsz */
	unsigned long alignment;	/* as maximum_alignment() computes it */
};

static void scan_phdrs(const struct elf64_phdr *ph, int n, struct elf_facts *f)
{
	bool interp = false, any_load = false;
	int i;

	f->min_x_vaddr = ULONG_MAX;
	for (i = 0; i < n; i++) {
		if (ph[i].p_type == PT_INTERP)
			interp = true;
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (!any_load)
			f->first_vaddr = ph[i].p_vaddr;
		any_load = true;
		if ((ph[i].p_flags & PF_X) && ph[i].p_vaddr < f->min_x_vaddr)
			f->min_x_vaddr = ph[i].p_vaddr;
		f->max_end = max_t(unsigned long, f->max_end,
				   ph[i].p_vaddr + ph[i].p_memsz);
		if (is_power_of_2(ph[i].p_align))
			f->alignment = max_t(unsigned long, f->alignment,
					     ph[i].p_align);
	}
	f->alignment = PAGE_ALIGN(f->alignment);
	if (!any_load)
		f->type = VMSCOPE_EXEC_UNKNOWN;
	else if (f->type == VMSCOPE_EXEC_PIE && !interp)
		f->type = VMSCOPE_EXEC_LOADER;
}

/*
 * Copy [pos, pos + size) of @file from the page cache, or fail.  No I/O
 * is started and nothing waits: a page not cached and up to date makes
 * the read fail.  The file is whatever the target maps at start_code,
 * which prctl(PR_SET_MM) can point anywhere, so a read must not be able
 * to block on a FUSE server or a network filesystem, nor to reach a
 * device's read method; and it reads through the direct map, so only
 * files whose page cache is ordinary memory get here (plain_page_cache()).
 * A page truncated or rewritten meanwhile gives stale or torn bytes,
 * never a fault: the folio is held, and the result is only parsed.  A
 * poisoned page is not read (the kernel's own reads return -EIO there).
 */
static bool read_cached(struct file *file, void *buf, size_t size, loff_t pos)
{
	struct address_space *mapping = file->f_mapping;
	struct folio_batch fbatch;
	struct folio *folio;
	pgoff_t index;
	size_t off, n;
	bool ok;
	void *kaddr;

	if (pos < 0 || pos > i_size_read(file_inode(file)) ||
	    size > i_size_read(file_inode(file)) - pos)
		return false;
	while (size) {
		index = pos >> PAGE_SHIFT;
		folio_batch_init(&fbatch);
		if (!filemap_get_folios(mapping, &index, pos >> PAGE_SHIFT,
					&fbatch))
			return false;
		folio = fbatch.folios[0];
		ok = folio_contains(folio, pos >> PAGE_SHIFT) &&
		     folio_test_uptodate(folio) &&
		     !folio_test_hwpoison(folio) &&
		     !(folio_test_large(folio) &&
		       folio_test_has_hwpoisoned(folio));
		if (ok) {
			off = offset_in_folio(folio, pos);
			n = min_t(size_t, size, PAGE_SIZE - offset_in_page(pos));
			kaddr = kmap_local_folio(folio, off);
			memcpy(buf, kaddr, n);
			kunmap_local(kaddr);
			buf += n;
			pos += n;
			size -= n;
		}
		folio_batch_release(&fbatch);
		if (!ok)
			return false;
	}
	return true;
}

/*
 * May the file mapped by @vma be read from its page cache through the
 * kernel's direct map?  Only if the VMA faults through filemap_fault()
 * or is a regular tmpfs file (explain.c's vma_facts): their folios are
 * ordinary memory.  Everything else is refused, whatever it holds:
 * memfd_secret() removes its pages from the direct map (mm/secretmem.c;
 * GUP refuses them too), guest_memfd's may be inaccessible to the host
 * (mapping_inaccessible()), DAX has no page cache, hugetlbfs's is not
 * indexed like others' (in huge pages on 6.1), and a device's pages are
 * the driver's business.
 * Call with the mmap lock held.
 */
static bool plain_page_cache(struct vm_area_struct *vma)
{
	struct vma_facts f;

	if (!vma->vm_file || !S_ISREG(file_inode(vma->vm_file)->i_mode) ||
	    IS_DAX(file_inode(vma->vm_file)))
		return false;
	vmscope_read_vma_facts(vma, vma->vm_start, &f);
	return !f.anon && (f.page_cache || f.shmem);
}

/*
 * The ELF header and program headers of the file exec mapped, if they
 * are in the page cache (they are while the program runs, unless
 * reclaimed): otherwise the ELF-derived fields stay unknown.  They tell
 * no more than the target's own first page, where exec mapped them too.
 */
static void read_elf_facts(struct file *file, struct elf_facts *f)
{
	struct elf64_phdr *ph;
	struct elf64_hdr eh;
	size_t size;

	memset(f, 0, sizeof(*f));
	if (!read_cached(file, &eh, sizeof(eh), 0) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) ||
	    eh.e_phentsize != sizeof(*ph) || !eh.e_phnum ||
	    eh.e_phnum > VMSCOPE_ELF_MAX_PHDRS)
		return;
	size = eh.e_phnum * sizeof(*ph);
	ph = kmalloc(size, GFP_KERNEL);
	if (!ph)
		return;
	if (read_cached(file, ph, size, eh.e_phoff)) {
		/* Refined to LOADER by scan_phdrs() if no PT_INTERP. */
		f->type = eh.e_type == ET_EXEC ? VMSCOPE_EXEC_FIXED :
						 VMSCOPE_EXEC_PIE;
		scan_phdrs(ph, eh.e_phnum, f);
	}
	kfree(ph);
}

/* Text and brk bases, from the program headers and where text is now. */
static void image_norand(struct vmscope_proc_layout *pl,
			 const struct elf_facts *f)
{
	unsigned long load_bias, norand_bias, base;

	pl->exec_type = f->type;
	if (f->type == VMSCOPE_EXEC_LOADER) {
		/* The brk moved out of the mmap area (no CONFIG_COMPAT_BRK). */
		if (!IS_ENABLED(CONFIG_COMPAT_BRK)) {
			pl->has_brk_norand = true;
			pl->brk_norand = PAGE_ALIGN(VMSCOPE_ET_DYN_BASE_64);
		}
		return;
	}
	if (f->type == VMSCOPE_EXEC_UNKNOWN || f->min_x_vaddr == ULONG_MAX)
		return;

	/* start_code = load_bias + lowest executable p_vaddr. */
	load_bias = pl->start_code - f->min_x_vaddr;
	if (f->type == VMSCOPE_EXEC_FIXED) {
		norand_bias = 0;
	} else {
		base = VMSCOPE_ET_DYN_BASE_64;
		if (f->alignment)
			base &= ~(f->alignment - 1);
		norand_bias = (base - f->first_vaddr) & PAGE_MASK;
	}
	pl->has_text_norand = true;
	pl->text_norand = norand_bias + f->min_x_vaddr;
	pl->has_brk_norand = true;
	pl->brk_norand = PAGE_ALIGN(load_bias + f->max_end);
}

/*
 * mmap_base without randomisation.  The random factor is exact: exec
 * added the same rnd to the bottom-up base, STACK_TOP/3 + rnd.  The
 * top-down gap exec used is then known too, and without the 16 GiB it
 * adds for a randomised stack it is RLIMIT_STACK at exec plus the guard
 * gap, as mmap_base(rnd = 0) would have used.  Only when exec clamped
 * the gap to its maximum (a huge rlimit) is the rlimit unknown: then
 * take today's, which setrlimit() may have changed since exec.
 */
static void mmap_norand(struct vmscope_proc_layout *pl,
			unsigned long legacy_base, unsigned long rlim_now)
{
	const unsigned long top = VMSCOPE_STACK_TOP_64;
	const unsigned long gap_max = top / 6 * 5;
	unsigned long unmapped_base = PAGE_ALIGN(top / 3);
	unsigned long gap;

	if (legacy_base < unmapped_base)
		return;
	pl->has_mmap_norand = true;
	pl->mmap_rnd = legacy_base - unmapped_base;
	if (!pl->topdown) {
		pl->mmap_norand = unmapped_base;
		return;
	}
	gap = top - pl->mmap_rnd - pl->mmap_base;
	if (!pl->randomize) {
		pl->mmap_norand = pl->mmap_base;
		return;
	}
	if (gap < gap_max && gap >= VMSCOPE_STACK_RND_64)
		gap -= VMSCOPE_STACK_RND_64;
	else if (rlim_now + VMSCOPE_GUARD_GAP > rlim_now)
		gap = rlim_now + VMSCOPE_GUARD_GAP;
	gap = clamp(gap, (unsigned long)SZ_128M, gap_max);
	pl->mmap_norand = PAGE_ALIGN(top - gap);
}

/* What the task says about itself; -ESRCH if it is gone. */
static int read_task(struct vmscope_target *t, struct vmscope_proc_layout *pl,
		     unsigned long *rlim_stack)
{
	struct task_struct *task = get_pid_task(t->pid, PIDTYPE_PID);

	if (!task)
		return -ESRCH;
	pl->randomize = task->flags & PF_RANDOMIZE;
	pl->no_randomize = task->personality & ADDR_NO_RANDOMIZE;
	pl->compat = vmscope_arch_task_compat(task, &pl->task_size);
	*rlim_stack = task_rlimit(task, RLIMIT_STACK);
	put_task_struct(task);
	return 0;
}

/*
 * The mm's fields as one snapshot: brk() changes start_brk and brk under
 * the mmap write lock, excluded by the read lock the caller holds;
 * prctl(PR_SET_MM, ...) changes all of them under the mmap *read* lock
 * and arg_lock, so they are all read under arg_lock too.  Exec fills a
 * new mm's fields with neither lock held, after the mm is installed: a
 * question that pins the mm of a task in the middle of exec may see some
 * of them still zero, as /proc/PID/stat may.  Returns the file mapped at
 * start_code, pinned, if its page cache may be read (plain_page_cache()),
 * or NULL.
 */
static struct file *read_mm(struct mm_struct *mm,
			    struct vmscope_proc_layout *pl,
			    unsigned long *legacy_base)
{
	struct vm_area_struct *vma;
	struct file *file = NULL;

	spin_lock(&mm->arg_lock);
	pl->start_code = mm->start_code;
	pl->end_code = mm->end_code;
	pl->start_data = mm->start_data;
	pl->end_data = mm->end_data;
	pl->start_brk = mm->start_brk;
	pl->brk = mm->brk;
	pl->start_stack = mm->start_stack;
	pl->arg_start = mm->arg_start;
	pl->arg_end = mm->arg_end;
	pl->env_start = mm->env_start;
	pl->env_end = mm->env_end;
	spin_unlock(&mm->arg_lock);
	pl->mmap_base = mm->mmap_base;
#ifdef CONFIG_HAVE_ARCH_COMPAT_MMAP_BASES
	/* 32-bit mmap() allocates from the compat base. */
	if (pl->compat)
		pl->mmap_base = mm->mmap_compat_base;
#endif
	pl->topdown = vmscope_mm_topdown(mm);
	*legacy_base = mm->mmap_legacy_base;

	pl->vdso = (unsigned long)mm->context.vdso;
	pl->has_vdso = pl->vdso != 0;
	vma = vma_lookup(mm, pl->start_stack);
	if (vma) {
		pl->has_stack_end = true;
		pl->stack_end = vma->vm_end;
	}
	vma = vma_lookup(mm, pl->start_code);
	if (vma && plain_page_cache(vma))
		file = get_file(vma->vm_file);
	return file;
}

int vmscope_proc_layout_get(struct vmscope_target *t,
			    struct vmscope_proc_layout *pl, const char **why)
{
	unsigned long rlim_stack, legacy_base;
	struct elf_facts facts;
	struct mm_struct *mm;
	struct file *file;

	memset(pl, 0, sizeof(*pl));
	if (read_task(t, pl, &rlim_stack)) {
		*why = "process has exited";
		return -ESRCH;
	}
	mm = vmscope_target_lock(t, why);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	file = read_mm(mm, pl, &legacy_base);
	vmscope_target_unlock(mm);

	if (pl->compat) {
		if (file)
			fput(file);
		return 0;
	}
	pl->has_stack_norand = true;
	pl->stack_norand = VMSCOPE_STACK_TOP_64;
	mmap_norand(pl, legacy_base, rlim_stack);
	if (file) {
		read_elf_facts(file, &facts);
		fput(file);
		image_norand(pl, &facts);
	}
	return 0;
}
