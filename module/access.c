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

/*
 * Page-cache residency, as mincore()'s can_do_mincore() allows it since
 * CVE-2019-5489 (residency of files one cannot write is a side channel):
 * anonymous VMAs, or files the caller owns or could open for writing;
 * CAP_SYS_ADMIN, which may read /proc/kpageflags anyway, sees all.
 * The caller is the opener of the debugfs file or netlink socket, whose
 * credentials the target holds: the checks run with those as current's,
 * whoever reads the answer.  Call with the mmap lock held (the VMA's
 * file is pinned by it), never with a spinlock: permission checks may
 * sleep, as mincore()'s do under the same lock.
 */
bool vmscope_cache_visible(const struct vmscope_target *t,
			   struct vm_area_struct *vma)
{
	const struct cred *old;
	struct file *file = vma->vm_file;
	bool visible;

	if (t->show_pfn || vma_is_anonymous(vma) || !file)
		return true;
	old = override_creds(t->cred);
	visible = file_owner_or_capable(file) ||
		  file_permission(file, MAY_WRITE) == 0;
	revert_creds(old);
	return visible;
}

/*
 * Exact mapcounts and KSM are /proc/kpagecount's and /proc/kpageflags'
 * (root only); pagemap tells others only "mapped once" (MMAP_EXCL), and
 * whether a write would copy follows from what a write does.  PFNs and
 * swap offsets are left out at their source (target->show_pfn).  Called
 * on every entry before runs are joined, so that runs do not split where
 * hidden mapcounts differ.
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
	    (p->flags & (VMSCOPE_PAGE_F_ANON | VMSCOPE_PAGE_F_FILE)) &&
	    !(p->flags & VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN))
		p->flags |= VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN;
}

/*
 * A raw page-table entry, as explain shows it: a present entry's PFN and
 * a swap-format entry's offset (a swap slot or, for migration and device
 * entries, a PFN) and type (the swap device) are what pagemap shows only
 * with CAP_SYS_ADMIN; the flag bits (soft-dirty, uffd-wp, exclusive) are
 * reported as page flags anyway.  Which bits are which is the
 * architecture's (vmscope_arch_redact_entry()).
 */
u64 vmscope_redact_entry(const struct vmscope_target *t, u64 raw)
{
	if (t->show_pfn)
		return raw;
	return vmscope_arch_redact_entry(raw);
}
