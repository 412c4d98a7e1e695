// SPDX-License-Identifier: GPL-2.0
/*
 * What a read, a write or an instruction fetch at an address would make
 * the MMU and the kernel do, decided from the live VMA and page tables
 * the way arch/x86/mm/fault.c and mm/memory.c would decide it:
 *
 *   do_user_addr_fault(): no VMA -> SIGSEGV, unless the stack below can
 *   grow (expand_stack); access_error() -> SIGSEGV; then handle_mm_fault()
 *   -> do_anonymous_page() (zero page on read, new page on write),
 *   do_fault() (page cache: minor if cached, major if read from the
 *   file), do_swap_page() (major), do_wp_page() (copy, or reuse if
 *   exclusive, or write-notify for shared pages).
 *
 * Only looks: nothing is faulted in.
 */
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "access.h"
#include "arch.h"
#include "explain.h"
#include "layout.h"
#include "target.h"

/* stack_guard_gap is not exported; this is its default (256 pages). */
#define VMSCOPE_STACK_GUARD_GAP	(256UL << PAGE_SHIFT)

/*
 * Neither is mmap_min_addr (vm.mmap_min_addr): this is its value at boot,
 * max(CONFIG_DEFAULT_MMAP_MIN_ADDR, CONFIG_LSM_MMAP_MIN_ADDR), which
 * the sysctl can change (docs/debugfs.md says so).
 */
#ifdef CONFIG_LSM_MMAP_MIN_ADDR
#define VMSCOPE_MMAP_MIN_ADDR \
	max_t(unsigned long, CONFIG_DEFAULT_MMAP_MIN_ADDR, CONFIG_LSM_MMAP_MIN_ADDR)
#else
#define VMSCOPE_MMAP_MIN_ADDR	((unsigned long)CONFIG_DEFAULT_MMAP_MIN_ADDR)
#endif

/*
 * What a fault on a missing page runs is the VMA's vm_ops->fault.  Only
 * two are known here: filemap_fault() (the page cache: minor if cached,
 * major if read) and shmem's (a regular tmpfs file, whatever maps it:
 * shmem_fault(), or shm_fault() for SysV shm, which calls it).  Anything
 * else (a device's, perf's, DAX's, a file system's own) decides for
 * itself: the driver outcome.  The end of file applies to regular files
 * only: a character device's or an anonymous inode's i_size is not the
 * size of what its mmap() maps.
 */
static void read_vma_facts(struct vm_area_struct *vma, unsigned long addr,
			   struct vma_facts *f)
{
	struct inode *inode;
	pgoff_t index;

	f->vm_flags = vma->vm_flags;
	f->anon = vma_is_anonymous(vma);
	if (f->anon)
		return;
	f->no_fault = !vma->vm_ops->fault;
	f->page_cache = vma->vm_ops->fault == filemap_fault;
	if (!vma->vm_file)
		return;
	inode = file_inode(vma->vm_file);
	if (!S_ISREG(inode->i_mode))
		return;
	f->shmem = inode->i_sb->s_magic == TMPFS_MAGIC;
	index = linear_page_index(vma, addr);
	f->beyond_eof = (f->page_cache || f->shmem) &&
			index >= DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE);
}

/* The target's resource limits that bound how far its stack grows. */
struct stack_limits {
	unsigned long stack;	/* RLIMIT_STACK, bytes */
	unsigned long as;	/* RLIMIT_AS, bytes */
};

static void target_stack_limits(struct vmscope_target *t,
				struct stack_limits *l)
{
	struct task_struct *task = get_pid_task(t->pid, PIDTYPE_PID);

	l->stack = 0;
	l->as = 0;
	if (task) {
		l->stack = READ_ONCE(task->signal->rlim[RLIMIT_STACK].rlim_cur);
		l->as = READ_ONCE(task->signal->rlim[RLIMIT_AS].rlim_cur);
		put_task_struct(task);
	}
}

/*
 * Would a fault at @addr, below the VM_GROWSDOWN @vma and above @prev,
 * fail to grow it?  The same on every kernel vmscope supports (6.1's
 * find_vma() + expand_stack(), 6.5+'s lock_mm_and_find_vma() +
 * expand_stack_locked(); expand_downwards() and acct_stack_growth()):
 * - below mmap_min_addr: -EPERM;
 * - closer than stack_guard_gap to @prev, unless @prev is a stack too
 *   or inaccessible (PROT_NONE): -ENOMEM;
 * - more pages than the VMA's vm_pgoff (a file's offset): -ENOMEM;
 * - the mm's total_vm would pass RLIMIT_AS (may_expand_vm()): -ENOMEM;
 * - RLIMIT_STACK: checked by outside_vma(), from e->next_end.
 * Not predicted: VM_LOCKED stacks past RLIMIT_MEMLOCK (the target's
 * CAP_IPC_LOCK cannot be asked from a module on 7.x) and overcommit
 * refusals (vm.overcommit_memory=2).  Call with the mmap lock held.
 */
static bool stack_growth_refused(struct mm_struct *mm,
				 struct vm_area_struct *prev,
				 struct vm_area_struct *vma, unsigned long addr,
				 const struct stack_limits *l)
{
	unsigned long grow = (vma->vm_start - addr) >> PAGE_SHIFT;

	if (addr < VMSCOPE_MMAP_MIN_ADDR)
		return true;
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) &&
	    vma_is_accessible(prev) &&
	    addr - prev->vm_end < VMSCOPE_STACK_GUARD_GAP)
		return true;
	if (grow > vma->vm_pgoff)
		return true;
	return mm->total_vm + grow > l->as >> PAGE_SHIFT;
}

/* No VMA at addr: SIGSEGV, unless the stack VMA above may grow down. */
static u32 outside_vma(const struct vmscope_explanation *e, int access,
		       unsigned long stack_limit)
{
	bool grows = e->has_next && (e->next_flags & VMSCOPE_VMA_F_GROWSDOWN);

	if (!grows || e->stack_refused || e->next_end - e->addr > stack_limit)
		return VMSCOPE_FAULT_SEGV_MAPERR;
	/* grown, the fault goes on in that VMA: access_error() */
	if (vmscope_arch_access_denied(e->next_vm_flags, access))
		return VMSCOPE_FAULT_SEGV_ACCERR;
	return VMSCOPE_FAULT_STACK_GROW;
}

/*
 * No entry: the first touch of this page.  userfaultfd takes the fault
 * where the kernel would otherwise allocate (MISSING: anonymous memory
 * and shmem holes) or map a cached shmem page (MINOR).
 */
static u32 missing_page(const struct vmscope_page *p,
			const struct vma_facts *f, int access)
{
	bool write = access == VMSCOPE_WRITE;
	bool uffd_missing = f->vm_flags & VM_UFFD_MISSING;

	if (f->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return VMSCOPE_FAULT_DRIVER;
	if (f->anon) {
		if (uffd_missing)
			return VMSCOPE_FAULT_UFFD;
		return write ? VMSCOPE_FAULT_MINOR_ANON : VMSCOPE_FAULT_MINOR_ZERO;
	}
	if (f->no_fault)
		return VMSCOPE_FAULT_SIGBUS;
	if (!f->page_cache && !f->shmem)
		return VMSCOPE_FAULT_DRIVER;
	if (f->beyond_eof)
		return VMSCOPE_FAULT_SIGBUS;
	/* minor or major: which, the caller may not know (access.c) */
	if (p->flags & VMSCOPE_PAGE_F_CACHE_HIDDEN)
		return VMSCOPE_FAULT_CACHE_HIDDEN;
	if (p->flags & VMSCOPE_PAGE_F_PAGE_CACHE) {
		if (f->shmem && (f->vm_flags & VM_UFFD_MINOR))
			return VMSCOPE_FAULT_UFFD;
		return write && !(f->vm_flags & VM_SHARED) ?
		       VMSCOPE_FAULT_MINOR_CACHE_COW : VMSCOPE_FAULT_MINOR_CACHE;
	}
	if (f->shmem)
		return uffd_missing ? VMSCOPE_FAULT_UFFD :
				      VMSCOPE_FAULT_MINOR_SHMEM;
	return VMSCOPE_FAULT_MAJOR_FILE;
}

/*
 * A present entry: only a write to a write-protected one faults
 * (do_wp_page()).  Shared mappings: a page without a struct page gets
 * the driver's pfn_mkwrite(), a page the filesystem's page_mkwrite() (or
 * is just made writable, when only dirty or soft-dirty tracking
 * protected it).  Private ones: copy, or reuse (see set_cow() in
 * pages.c); a PMD-mapped THP is reused whole or split, then its 4 KiB
 * page copied (do_huge_pmd_wp_page()).
 */
static u32 present_page(const struct vmscope_page *p,
			const struct vma_facts *f, int access)
{
	bool shared = f->vm_flags & (VM_SHARED | VM_MAYSHARE);

	if (access != VMSCOPE_WRITE || (p->flags & VMSCOPE_PAGE_F_WRITE))
		return VMSCOPE_FAULT_NONE;
	if ((p->flags & VMSCOPE_PAGE_F_UFFD_WP) && (f->vm_flags & VM_UFFD_WP))
		return VMSCOPE_FAULT_UFFD;
	if (p->state == VMSCOPE_STATE_PFNMAP)
		return shared ? VMSCOPE_FAULT_DRIVER : VMSCOPE_FAULT_COW_COPY;
	if (shared)
		return VMSCOPE_FAULT_WRITE_NOTIFY;
	return p->flags & VMSCOPE_PAGE_F_COW ? VMSCOPE_FAULT_COW_COPY :
					       VMSCOPE_FAULT_COW_REUSE;
}

/*
 * A PTE marker where no page is mapped (handle_pte_marker()): an unknown
 * one is SIGBUS; userfaultfd's write-protect marker is handled as a
 * missing page (do_pte_missing()), mapped write-protected again, so that
 * a write ends with the handler while the range is registered for it.
 */
static u32 marker_entry(const struct vmscope_page *p,
			const struct vma_facts *f, int access)
{
	if (!(p->flags & VMSCOPE_PAGE_F_UFFD_WP))
		return VMSCOPE_FAULT_SIGBUS;
	if (access == VMSCOPE_WRITE && (f->vm_flags & VM_UFFD_WP))
		return VMSCOPE_FAULT_UFFD;
	return missing_page(p, f, access);
}

static u32 inside_vma(const struct vmscope_page *p,
		      const struct vma_facts *f, int access)
{
	if (vmscope_arch_access_denied(f->vm_flags, access))
		return VMSCOPE_FAULT_SEGV_ACCERR;
	switch (p->state) {
	case VMSCOPE_STATE_UNWALKED:
		return VMSCOPE_FAULT_HUGETLB;
	case VMSCOPE_STATE_NONE:
		return missing_page(p, f, access);
	case VMSCOPE_STATE_PRESENT:
	case VMSCOPE_STATE_PFNMAP:
		return present_page(p, f, access);
	case VMSCOPE_STATE_SWAP:
		return VMSCOPE_FAULT_MAJOR_SWAP;
	case VMSCOPE_STATE_MIGRATION:
		return VMSCOPE_FAULT_MIGRATION;
	case VMSCOPE_STATE_DEVICE:
		return VMSCOPE_FAULT_DEVICE;
	case VMSCOPE_STATE_MARKER:
		return marker_entry(p, f, access);
	case VMSCOPE_STATE_GUARD:
		/* handle_pte_marker(): VM_FAULT_SIGSEGV, whatever the access */
		return VMSCOPE_FAULT_SEGV_GUARD;
	default:
		return VMSCOPE_FAULT_SIGBUS;	/* hwpoison */
	}
}

/* The VMAs around addr; the caller holds the mmap lock. */
static struct vm_area_struct *find_neighbours(struct mm_struct *mm,
					      struct vmscope_explanation *e,
					      const struct stack_limits *l)
{
	MA_STATE(mas, &mm->mm_mt, e->addr, e->addr);
	struct vm_area_struct *vma, *prev;

	mas_walk(&mas);
	prev = mas_prev(&mas, 0);
	if (prev) {
		e->has_prev = true;
		e->prev_end = prev->vm_end;
	}
	vma = find_vma(mm, e->addr);
	if (vma && vma->vm_start > e->addr) {
		e->has_next = true;
		e->next_start = vma->vm_start;
		e->next_end = vma->vm_end;
		e->next_flags = (vma->vm_flags & VM_GROWSDOWN) ?
				VMSCOPE_VMA_F_GROWSDOWN : 0;
		if (vma->vm_flags & VM_EXEC)
			e->next_flags |= VMSCOPE_VMA_F_EXEC;
		e->next_vm_flags = vma->vm_flags;
		if (vma->vm_flags & VM_GROWSDOWN)
			e->stack_refused = stack_growth_refused(mm, prev, vma,
								e->addr, l);
		return NULL;
	}
	return vma;
}

/* PFNs and swap entries are for CAP_SYS_ADMIN only, as in pagemap. */
static void hide_raw(struct vmscope_target *t, struct vmscope_explanation *e)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(e->raw); i++)
		if (e->raw[i] != VMSCOPE_NOT_READ)
			e->raw[i] = vmscope_redact_entry(t, e->raw[i]);
}

int vmscope_explain(struct vmscope_target *t, unsigned long addr,
		    char *path_buf, struct vmscope_explanation *e,
		    const char **why)
{
	struct stack_limits limits;
	struct vm_area_struct *vma;
	struct vma_facts f = { 0 };
	struct mm_struct *mm;
	int i, access;

	memset(e, 0, sizeof(*e));
	e->addr = addr & PAGE_MASK;
	e->levels = vmscope_paging_levels();
	for (i = 0; i < ARRAY_SIZE(e->raw); i++)
		e->raw[i] = VMSCOPE_NOT_READ;

	target_stack_limits(t, &limits);
	mm = vmscope_target_lock(t, why);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	vma = find_neighbours(mm, e, &limits);
	if (vma) {
		e->in_vma = true;
		vmscope_describe_vma(vma, path_buf, &e->vma);
		read_vma_facts(vma, e->addr, &f);
		vmscope_page_at(t, mm, vma, e->addr, &e->page, e->raw);
	}
	vmscope_target_unlock(mm);

	hide_raw(t, e);
	for (access = VMSCOPE_READ; access <= VMSCOPE_EXEC; access++)
		e->fault[access] = e->in_vma ? inside_vma(&e->page, &f, access) :
				   outside_vma(e, access, limits.stack);
	return 0;
}

/*
 * For the tracer's check-explain: the same classifier, on a snapshot it
 * took itself.  Both only read; the VMA must be stable (the caller holds
 * the mmap lock or the VMA's lock, as handle_mm_fault()'s caller does).
 */
void vmscope_read_vma_facts(struct vm_area_struct *vma, unsigned long addr,
			    struct vma_facts *f)
{
	memset(f, 0, sizeof(*f));
	read_vma_facts(vma, addr, f);
}

u32 vmscope_explain_inside(const struct vmscope_page *p,
			   const struct vma_facts *f, int access)
{
	return inside_vma(p, f, access);
}
