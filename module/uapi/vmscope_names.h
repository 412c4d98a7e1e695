/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The words for vmscope's enums and flag bits (vmscope.h): what the
 * debugfs text prints, what the client prints and what its JSON carries.
 * One list, used by the module and the client as initialisers:
 *
 *	static const char * const states[] = VMSCOPE_STATE_NAMES;
 */
#ifndef _UAPI_VMSCOPE_NAMES_H
#define _UAPI_VMSCOPE_NAMES_H

#include "vmscope.h"

struct vmscope_flag_name {
	unsigned int bit;	/* VMSCOPE_PAGE_F_* or VMSCOPE_VMA_F_* */
	const char *name;
};

#define VMSCOPE_VMA_KIND_NAMES {\
	[VMSCOPE_VMA_TEXT] = "text", \
	[VMSCOPE_VMA_DATA] = "data", \
	[VMSCOPE_VMA_BSS] = "bss", \
	[VMSCOPE_VMA_HEAP] = "heap", \
	[VMSCOPE_VMA_STACK] = "stack", \
	[VMSCOPE_VMA_MMAP_ANON] = "mmap-anon", \
	[VMSCOPE_VMA_FILE_PRIVATE] = "file-private", \
	[VMSCOPE_VMA_FILE_SHARED] = "file-shared", \
	[VMSCOPE_VMA_SHARED_ANON] = "shared-anon", \
	[VMSCOPE_VMA_VDSO] = "vdso", \
	[VMSCOPE_VMA_GUARD] = "guard", \
	[VMSCOPE_VMA_HUGETLB] = "hugetlb", \
	[VMSCOPE_VMA_PFNMAP] = "pfnmap", \
}

#define VMSCOPE_STATE_NAMES {\
	[VMSCOPE_STATE_NONE] = "none", \
	[VMSCOPE_STATE_PRESENT] = "present", \
	[VMSCOPE_STATE_SWAP] = "swap", \
	[VMSCOPE_STATE_MIGRATION] = "migration", \
	[VMSCOPE_STATE_DEVICE] = "device", \
	[VMSCOPE_STATE_HWPOISON] = "hwpoison", \
	[VMSCOPE_STATE_MARKER] = "marker", \
	[VMSCOPE_STATE_PFNMAP] = "pfnmap", \
	[VMSCOPE_STATE_UNWALKED] = "unwalked", \
	[VMSCOPE_STATE_NO_VMA] = "no-vma", \
	[VMSCOPE_STATE_GUARD] = "guard", \
}

/* VMSCOPE_LEVEL_NONE has no name: the walk did not reach a table. */
#define VMSCOPE_LEVEL_NAMES {\
	[VMSCOPE_LEVEL_PTE] = "pte", \
	[VMSCOPE_LEVEL_PMD] = "pmd", \
	[VMSCOPE_LEVEL_PUD] = "pud", \
	[VMSCOPE_LEVEL_P4D] = "p4d", \
	[VMSCOPE_LEVEL_PGD] = "pgd", \
}

/* Terminated by { 0, NULL }. */
#define VMSCOPE_PAGE_FLAG_NAMES {\
	{ VMSCOPE_PAGE_F_WRITE, "write" }, \
	{ VMSCOPE_PAGE_F_DIRTY, "dirty" }, \
	{ VMSCOPE_PAGE_F_YOUNG, "young" }, \
	{ VMSCOPE_PAGE_F_NX, "nx" }, \
	{ VMSCOPE_PAGE_F_USER, "user" }, \
	{ VMSCOPE_PAGE_F_GLOBAL, "global" }, \
	{ VMSCOPE_PAGE_F_SOFT_DIRTY, "soft_dirty" }, \
	{ VMSCOPE_PAGE_F_UFFD_WP, "uffd_wp" }, \
	{ VMSCOPE_PAGE_F_ZERO, "zero" }, \
	{ VMSCOPE_PAGE_F_HUGE_ZERO, "huge_zero" }, \
	{ VMSCOPE_PAGE_F_ANON, "anon" }, \
	{ VMSCOPE_PAGE_F_FILE, "file" }, \
	{ VMSCOPE_PAGE_F_KSM, "ksm" }, \
	{ VMSCOPE_PAGE_F_THP, "thp" }, \
	{ VMSCOPE_PAGE_F_EXCLUSIVE, "exclusive" }, \
	{ VMSCOPE_PAGE_F_COW, "cow" }, \
	{ VMSCOPE_PAGE_F_PAGE_CACHE, "page_cache" }, \
	{ VMSCOPE_PAGE_F_SWAP_EXCL, "swap_excl" }, \
	{ VMSCOPE_PAGE_F_MMAP_EXCL, "mmap_excl" }, \
	{ VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN, "mapcount_unknown" }, \
	{ VMSCOPE_PAGE_F_CACHE_HIDDEN, "cache_hidden" }, \
	{ VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN, "mapcount_hidden" }, \
	{ VMSCOPE_PAGE_F_BITS_HIDDEN, "bits_hidden" }, \
	{ VMSCOPE_PAGE_F_CONT, "cont" }, \
	{ 0, NULL }, \
}

#define VMSCOPE_VMA_FLAG_NAMES {\
	{ VMSCOPE_VMA_F_READ, "read" }, \
	{ VMSCOPE_VMA_F_WRITE, "write" }, \
	{ VMSCOPE_VMA_F_EXEC, "exec" }, \
	{ VMSCOPE_VMA_F_SHARED, "shared" }, \
	{ VMSCOPE_VMA_F_MAYWRITE, "maywrite" }, \
	{ VMSCOPE_VMA_F_GROWSDOWN, "growsdown" }, \
	{ VMSCOPE_VMA_F_LOCKED, "locked" }, \
	{ VMSCOPE_VMA_F_HUGEPAGE, "hugepage" }, \
	{ VMSCOPE_VMA_F_NOHUGEPAGE, "nohugepage" }, \
	{ VMSCOPE_VMA_F_PFNMAP, "pfnmap" }, \
	{ VMSCOPE_VMA_F_IO, "io" }, \
	{ VMSCOPE_VMA_F_MERGEABLE, "mergeable" }, \
	{ VMSCOPE_VMA_F_DONTCOPY, "dontcopy" }, \
	{ VMSCOPE_VMA_F_WIPEONFORK, "wipeonfork" }, \
	{ VMSCOPE_VMA_F_UFFD, "uffd" }, \
	{ VMSCOPE_VMA_F_SOFTDIRTY, "softdirty" }, \
	{ VMSCOPE_VMA_F_HUGETLB, "hugetlb" }, \
	{ VMSCOPE_VMA_F_MIXEDMAP, "mixedmap" }, \
	{ 0, NULL }, \
}

#define VMSCOPE_FAULT_NAMES {\
	[VMSCOPE_FAULT_NONE] = "none", \
	[VMSCOPE_FAULT_SEGV_MAPERR] = "sigsegv-maperr", \
	[VMSCOPE_FAULT_SEGV_ACCERR] = "sigsegv-accerr", \
	[VMSCOPE_FAULT_STACK_GROW] = "stack-grow", \
	[VMSCOPE_FAULT_SIGBUS] = "sigbus", \
	[VMSCOPE_FAULT_MINOR_ZERO] = "minor-zero-page", \
	[VMSCOPE_FAULT_MINOR_ANON] = "minor-new-page", \
	[VMSCOPE_FAULT_MINOR_CACHE] = "minor-page-cache", \
	[VMSCOPE_FAULT_MINOR_CACHE_COW] = "minor-page-cache-copy", \
	[VMSCOPE_FAULT_MINOR_SHMEM] = "minor-shmem-new-page", \
	[VMSCOPE_FAULT_MAJOR_FILE] = "major-file-read", \
	[VMSCOPE_FAULT_MAJOR_SWAP] = "major-swap-in", \
	[VMSCOPE_FAULT_COW_COPY] = "cow-copy", \
	[VMSCOPE_FAULT_COW_REUSE] = "cow-reuse", \
	[VMSCOPE_FAULT_WRITE_NOTIFY] = "write-notify", \
	[VMSCOPE_FAULT_UFFD] = "userfaultfd", \
	[VMSCOPE_FAULT_MIGRATION] = "wait-migration", \
	[VMSCOPE_FAULT_DEVICE] = "device-migrate", \
	[VMSCOPE_FAULT_HUGETLB] = "hugetlb", \
	[VMSCOPE_FAULT_DRIVER] = "driver", \
	[VMSCOPE_FAULT_SEGV_GUARD] = "sigsegv-guard", \
	[VMSCOPE_FAULT_CACHE_HIDDEN] = "minor-or-major-hidden", \
	[VMSCOPE_FAULT_MINOR_SWAP] = "minor-swap-cache", \
	[VMSCOPE_FAULT_NUMA_HINT] = "numa-hint", \
	[VMSCOPE_FAULT_SPURIOUS] = "spurious", \
	[VMSCOPE_FAULT_RETRY] = "retry-abandoned", \
	[VMSCOPE_FAULT_OOM] = "oom", \
	[VMSCOPE_FAULT_KERNEL_FIXUP] = "kernel-fixup", \
	[VMSCOPE_FAULT_WRITE_HIDDEN] = "write-hidden", \
	[VMSCOPE_FAULT_INCOMPLETE] = "incomplete", \
}

/* One sentence per outcome, for people. */
#define VMSCOPE_FAULT_TEXTS {\
	[VMSCOPE_FAULT_NONE] = \
		"no fault: the entry is present and allows it", \
	[VMSCOPE_FAULT_SEGV_MAPERR] = \
		"SIGSEGV (SEGV_MAPERR): no VMA covers the address", \
	[VMSCOPE_FAULT_SEGV_ACCERR] = \
		"SIGSEGV (SEGV_ACCERR): the VMA does not allow this access", \
	[VMSCOPE_FAULT_STACK_GROW] = \
		"minor fault: the stack grows down to it (expand_stack), then a new page", \
	[VMSCOPE_FAULT_SIGBUS] = \
		"SIGBUS: past the end of the file, or the page is poisoned", \
	[VMSCOPE_FAULT_MINOR_ZERO] = \
		"minor fault: maps the shared zero page read-only (do_anonymous_page)", \
	[VMSCOPE_FAULT_MINOR_ANON] = \
		"minor fault: a new zeroed page, mapped writable (do_anonymous_page)", \
	[VMSCOPE_FAULT_MINOR_CACHE] = \
		"minor fault: the page cache page gets mapped (do_read_fault)", \
	[VMSCOPE_FAULT_MINOR_CACHE_COW] = \
		"minor fault: the cached file page is copied privately (do_cow_fault)", \
	[VMSCOPE_FAULT_MINOR_SHMEM] = \
		"minor fault: a hole in a tmpfs/shmem file gets a zeroed page", \
	[VMSCOPE_FAULT_MAJOR_FILE] = \
		"major fault: the page is read from the file (filemap_fault)", \
	[VMSCOPE_FAULT_MAJOR_SWAP] = \
		"major fault: read back from swap, minor if in the swap cache (do_swap_page)", \
	[VMSCOPE_FAULT_COW_COPY] = \
		"minor fault: copy-on-write, copied (do_wp_page; huge PMD: split, 4 KiB copied)", \
	[VMSCOPE_FAULT_COW_REUSE] = \
		"minor fault: no other reference, reused (do_wp_page; a huge PMD: kept whole)", \
	[VMSCOPE_FAULT_WRITE_NOTIFY] = \
		"minor fault: shared page made writable, the fs told if it asks (page_mkwrite)", \
	[VMSCOPE_FAULT_UFFD] = \
		"handed to the userfaultfd handler of this range", \
	[VMSCOPE_FAULT_MIGRATION] = \
		"waits until the page's migration finishes, then retries", \
	[VMSCOPE_FAULT_DEVICE] = \
		"the page is migrated back from device memory", \
	[VMSCOPE_FAULT_HUGETLB] = \
		"hugetlb_fault() unless mapped (vmscope does not walk hugetlb tables)", \
	[VMSCOPE_FAULT_DRIVER] = \
		"the mapping's own fault handler decides (a driver, a PFN map)", \
	[VMSCOPE_FAULT_SEGV_GUARD] = \
		"SIGSEGV (SEGV_MAPERR): a guard region covers the page (MADV_GUARD_INSTALL)", \
	[VMSCOPE_FAULT_CACHE_HIDDEN] = \
		"minor if the page is cached, major if read: residency hidden (as mincore())", \
	[VMSCOPE_FAULT_MINOR_SWAP] = \
		"minor fault: the swapped page was still in the swap cache (do_swap_page)", \
	[VMSCOPE_FAULT_NUMA_HINT] = \
		"minor fault: a NUMA hinting entry made accessible again (do_numa_page)", \
	[VMSCOPE_FAULT_SPURIOUS] = \
		"nothing to do: the access was already allowed (another thread won a race)", \
	[VMSCOPE_FAULT_RETRY] = \
		"gave up its lock to wait (VM_FAULT_RETRY), and no retry came", \
	[VMSCOPE_FAULT_OOM] = \
		"out of memory (VM_FAULT_OOM): the OOM killer runs", \
	[VMSCOPE_FAULT_KERNEL_FIXUP] = \
		"a kernel access to a bad user address: EFAULT from the exception table", \
	[VMSCOPE_FAULT_WRITE_HIDDEN] = \
		"no fault, a copy, a reuse or a notify: it hangs on bits not shown", \
	[VMSCOPE_FAULT_INCOMPLETE] = \
		"not seen whole by the tracer (a record lost, or the trace ended first): unknown", \
}

#define VMSCOPE_ACCESS_NAMES {\
	[VMSCOPE_ACCESS_READ] = "read", \
	[VMSCOPE_ACCESS_WRITE] = "write", \
	[VMSCOPE_ACCESS_EXEC] = "exec", \
}

/* Terminated by { 0, NULL }. */
#define VMSCOPE_FAULT_FLAG_NAMES {\
	{ VMSCOPE_FAULT_F_USER, "user" }, \
	{ VMSCOPE_FAULT_F_GUP, "gup" }, \
	{ VMSCOPE_FAULT_F_PROT, "prot" }, \
	{ VMSCOPE_FAULT_F_MISPREDICTED, "mispredicted" }, \
	{ 0, NULL }, \
}

#define VMSCOPE_TRACE_END_NAMES {\
	[VMSCOPE_TRACE_END_STOPPED] = "stopped", \
	[VMSCOPE_TRACE_END_EXITED] = "exited", \
	[VMSCOPE_TRACE_END_EXECED] = "execed", \
}

#define VMSCOPE_EXEC_TYPE_NAMES {\
	[VMSCOPE_EXEC_UNKNOWN] = "unknown", \
	[VMSCOPE_EXEC_FIXED] = "fixed", \
	[VMSCOPE_EXEC_PIE] = "pie", \
	[VMSCOPE_EXEC_LOADER] = "loader", \
}

#endif /* _UAPI_VMSCOPE_NAMES_H */
