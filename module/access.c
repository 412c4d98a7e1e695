// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see what.  Every permission decision of vmscope is made here so
 * that debugfs and netlink cannot drift apart.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "access.h"
#include "arch.h"
#include "compat.h"
#include "pages.h"
#include "target.h"

enum kptr_verdict {
	KPTR_HASHED,	/* kptr_restrict=0: %pK hashes for everyone */
	KPTR_REAL,	/* kptr_restrict=1 and current may see addresses */
	KPTR_ZEROS,	/* kptr_restrict=2, or 1 and current may not */
};

/*
 * kptr_restrict is not exported, so ask vsprintf, which implements it:
 * format an address with %pK and see whether it comes back real, hashed
 * or zeroed.  This keeps us exactly in step with the kernel's own policy,
 * including its uid == euid check against setuid callers.
 */
static enum kptr_verdict kptr_verdict_for_current(void)
{
	static const char probe;
	char restricted[32], real[32];

	snprintf(restricted, sizeof(restricted), "%pK", &probe);
	snprintf(real, sizeof(real), "%016lx", (unsigned long)&probe);
	if (!strcmp(restricted, real))
		return KPTR_REAL;
	if (strspn(restricted, "0") == strlen(restricted))
		return KPTR_ZEROS;
	return KPTR_HASHED;
}

/*
 * Kernel virtual addresses (they reveal KASLR) go only to callers that hold
 * CAP_SYSLOG, both the opener of the file or socket and the current task,
 * and never when kptr_restrict=2.  With kptr_restrict=0, %pK would print
 * hashes to everyone; we show real addresses to CAP_SYSLOG, as
 * /proc/kallsyms does, and nothing to anyone else.
 */
bool vmscope_kernel_addrs_visible(bool opener_has_syslog)
{
	if (!opener_has_syslog || !ns_capable_noaudit(&init_user_ns, CAP_SYSLOG))
		return false;
	return kptr_verdict_for_current() != KPTR_ZEROS;
}

static bool cache_visible_as(const struct cred *cred, struct file *file)
{
	const struct cred *old = override_creds(cred);
	bool visible = file_owner_or_capable(file) ||
		       file_permission(file, MAY_WRITE) == 0;

	revert_creds(old);
	return visible;
}

/*
 * Page-cache residency, as mincore()'s can_do_mincore() allows it since
 * CVE-2019-5489 (residency of files one cannot write is a side channel):
 * anonymous VMAs, or files the caller owns or could open for writing;
 * CAP_SYS_ADMIN, which may read /proc/kpageflags anyway, sees all.
 * The caller is the opener of the debugfs file, or the sender of the
 * netlink request and, where it is not the same, the socket's opener,
 * whose credentials the target holds: the checks run with those as
 * current's, whoever reads the answer.  Call with the mmap lock held (the
 * VMA's file is pinned by it), never with a spinlock: permission checks
 * may sleep, as mincore()'s do under the same lock.
 */
bool vmscope_cache_visible(const struct vmscope_target *t,
			   struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;

	if (t->show_pfn || vma_is_anonymous(vma) || !file)
		return true;
	/* a netlink socket's opener, if not the sender, must be allowed too */
	return cache_visible_as(t->cred, file) &&
	       (!t->opener || cache_visible_as(t->opener, file));
}

/*
 * States whose entries carry bits of their own (the PTE's, the folio's):
 * present and pfnmap entries, and swap-format ones (exclusive, write).
 */
static bool has_own_bits(const struct vmscope_page *p)
{
	return vmscope_page_has_pfn(p) || vmscope_page_has_swap(p);
}

/*
 * What pagemap and PAGEMAP_SCAN tell any caller that may open pagemap:
 * present, swap, file (and so anon), "mapped once" (MMAP_EXCL),
 * soft-dirty, uffd-wp, the zero page, guard regions (states), a huge
 * (PMD) mapping; and what vmscope's own rules add (page-cache residency
 * under mincore()'s rule, the hidden markers).
 */
#define VMSCOPE_PAGEMAP_FLAGS	(VMSCOPE_PAGE_F_SOFT_DIRTY |		\
				 VMSCOPE_PAGE_F_UFFD_WP |		\
				 VMSCOPE_PAGE_F_ZERO |			\
				 VMSCOPE_PAGE_F_HUGE_ZERO |		\
				 VMSCOPE_PAGE_F_ANON |			\
				 VMSCOPE_PAGE_F_FILE |			\
				 VMSCOPE_PAGE_F_PAGE_CACHE |		\
				 VMSCOPE_PAGE_F_MMAP_EXCL |		\
				 VMSCOPE_PAGE_F_CACHE_HIDDEN |		\
				 VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN)

/*
 * What a caller may know of a page, as the kernel's own interfaces tell
 * it.  Called on every entry before runs are joined, so that runs do not
 * split where hidden values differ (pages.c), and on the fault tracer's
 * before and after (faults_event.c).
 *
 * Without CAP_SYS_ADMIN (t->show_pfn):
 * - PFNs, swap types and offsets are left out, as pagemap does;
 * - exact mapcounts and KSM are /proc/kpagecount's and /proc/kpageflags'
 *   (root only): pagemap tells others only "mapped once" (MMAP_EXCL).
 *   Where the kernel keeps no per-page mapcount (MAPCOUNT_UNKNOWN) that
 *   would tell a large folio, so it becomes MAPCOUNT_HIDDEN too.
 * And for another process than the caller's own (t->show_bits):
 * - accessed and dirty are kpageflags' and page_idle's (root only): with
 *   clear_refs and polling, a same-uid caller that may read but not
 *   trace the victim would record what it reads, page by page;
 * - PageAnonExclusive, the COW verdict (from the folio's reference
 *   count), the folio order and a large folio mapped by PTEs are no
 *   interface's at all; nor is the entry's write bit (it tells COW
 *   reuse), nor, to keep to what pagemap says, nx, user and global.
 *   They are cleared and BITS_HIDDEN set, on every entry of a state
 *   that has them, whatever they were, so that hidden is not zero.
 */
void vmscope_redact_page(const struct vmscope_target *t,
			 struct vmscope_page *p)
{
	if (t->show_pfn)
		return;
	p->pfn = 0;
	p->swap_type = 0;
	p->swap_offset = 0;
	p->mapcount = 0;
	p->flags &= ~VMSCOPE_PAGE_F_KSM;
	if (p->state == VMSCOPE_STATE_PRESENT &&
	    (p->flags & (VMSCOPE_PAGE_F_ANON | VMSCOPE_PAGE_F_FILE))) {
		if (!t->show_bits)
			p->flags &= ~VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN;
		if (!(p->flags & VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN))
			p->flags |= VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN;
	}
	if (t->show_bits || !has_own_bits(p))
		return;
	p->flags &= VMSCOPE_PAGEMAP_FLAGS |
		    (p->level == VMSCOPE_LEVEL_PMD ? VMSCOPE_PAGE_F_THP : 0);
	p->flags |= VMSCOPE_PAGE_F_BITS_HIDDEN;
	p->order = 0;
}

/*
 * The fault tracer's outcome and explain's guess for it (faults_event.c):
 * whether a write copied or reused the page follows from its reference
 * count (do_wp_page()), which is no interface's.
 */
u32 vmscope_redact_fault(const struct vmscope_target *t, u32 fault)
{
	if (t->show_bits)
		return fault;
	if (fault == VMSCOPE_FAULT_COW_COPY || fault == VMSCOPE_FAULT_COW_REUSE)
		return VMSCOPE_FAULT_WRITE_HIDDEN;
	return fault;
}

/*
 * A raw page-table entry, as explain shows it: a present entry's PFN and
 * a swap-format entry's offset (a swap slot or, for migration and device
 * entries, a PFN) and type (the swap device) are what pagemap shows only
 * with CAP_SYS_ADMIN; the flag bits (soft-dirty, uffd-wp, exclusive) are
 * reported as page flags anyway.  Where vmscope_redact_page() hides a
 * page's bits (another process, without CAP_SYS_ADMIN), the entries keep
 * only what its flags keep: present (or PROT_NONE), a leaf's size bit,
 * soft-dirty and uffd-wp; the upper levels' accessed bits go too, for
 * the CPU sets them on every walk.  Which bits are which is the
 * architecture's (vmscope_arch_redact_entry()).
 */
u64 vmscope_redact_entry(const struct vmscope_target *t, u64 raw)
{
	if (t->show_pfn)
		return raw;
	return vmscope_arch_redact_entry(raw, t->show_bits);
}
