/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmscope netlink ABI: the one definition shared by the kernel module, the
 * client and the tests.  docs/vmscope.yaml describes the same family for
 * generic netlink tooling; tests check that the two agree.
 *
 * All addresses, offsets and PFNs are u64; counts are u64; small enums and
 * bit sets are u32.  Attributes a caller may not see (PFNs, kernel
 * addresses) are left out of the message, never zeroed.
 */
#ifndef _UAPI_VMSCOPE_H
#define _UAPI_VMSCOPE_H

#define VMSCOPE_GENL_NAME	"vmscope"
#define VMSCOPE_GENL_VERSION	1

enum vmscope_cmd {
	VMSCOPE_CMD_UNSPEC,
	/*
	 * doit: reply carries VMSCOPE_A_LAYOUT; with VMSCOPE_A_PID also
	 * VMSCOPE_A_PID and VMSCOPE_A_PROC_LAYOUT (that process's layout)
	 */
	VMSCOPE_CMD_GET_LAYOUT,
	VMSCOPE_CMD_GET_VMAS,	/* dump: one message per VMA (VMSCOPE_A_VMA) */
	VMSCOPE_CMD_GET_PAGES,	/* dump: messages of VMSCOPE_A_PAGE nests */
	VMSCOPE_CMD_EXPLAIN,	/* doit: what a fault at VMSCOPE_A_ADDR does */
	/*
	 * doit: start tracing the page faults of VMSCOPE_A_PID, only those
	 * in [VMSCOPE_A_START, VMSCOPE_A_END) if given; VMSCOPE_A_REQ_FLAGS
	 * may ask for VMSCOPE_REQ_CHECK_EXPLAIN.  The reply carries
	 * VMSCOPE_A_TRACE (its ID).  The trace belongs to the sender's
	 * socket: its events arrive there unsolicited (seq 0) as
	 * VMSCOPE_CMD_FAULT_EVENT, and it ends with exactly one
	 * VMSCOPE_CMD_TRACE_END, when the target exits or execs, on
	 * VMSCOPE_CMD_FAULTS_STOP, or when the socket is closed (then with
	 * no message).  Permission is decided once, here, as for the other
	 * commands.
	 */
	VMSCOPE_CMD_FAULTS_START,
	/* doit: end the trace VMSCOPE_A_TRACE_ID started from this socket */
	VMSCOPE_CMD_FAULTS_STOP,
	/*
	 * Events, unsolicited, to the socket that started the trace; both
	 * also carry VMSCOPE_A_PID and VMSCOPE_A_TRACE_ID (which trace).
	 */
	VMSCOPE_CMD_FAULT_EVENT,	/* event: VMSCOPE_A_FAULT, one fault */
	VMSCOPE_CMD_TRACE_END,		/* event: VMSCOPE_A_TRACE, the last one */

	__VMSCOPE_CMD_MAX,
	VMSCOPE_CMD_MAX = __VMSCOPE_CMD_MAX - 1
};

/* Top-level attributes of requests and replies. */
enum vmscope_attr {
	VMSCOPE_A_UNSPEC,
	VMSCOPE_A_PAD,
	VMSCOPE_A_PID,		/* u32: target, in the caller's pid namespace */
	VMSCOPE_A_START,	/* u64: first address, page aligned */
	VMSCOPE_A_END,		/* u64: end (exclusive), page aligned */
	VMSCOPE_A_REQ_FLAGS,	/* u32: VMSCOPE_REQ_* */
	VMSCOPE_A_ADDR,		/* u64: address to explain */
	VMSCOPE_A_LAYOUT,	/* nest: VMSCOPE_LAYOUT_A_* */
	VMSCOPE_A_VMA,		/* nest: VMSCOPE_VMA_A_* */
	VMSCOPE_A_PAGE,		/* nest: VMSCOPE_PAGE_A_*, repeated */
	VMSCOPE_A_EXPLAIN,	/* nest: VMSCOPE_EXPLAIN_A_* */
	VMSCOPE_A_PROC_LAYOUT,	/* nest: VMSCOPE_PROC_A_* */
	VMSCOPE_A_TRACE_ID,	/* u32: a trace of this socket (FAULTS_STOP) */
	VMSCOPE_A_TRACE,	/* nest: VMSCOPE_TRACE_A_* */
	VMSCOPE_A_FAULT,	/* nest: VMSCOPE_FAULT_A_* */

	__VMSCOPE_A_MAX,
	VMSCOPE_A_MAX = __VMSCOPE_A_MAX - 1
};

/* VMSCOPE_A_REQ_FLAGS */
enum vmscope_req_flags {
	/* GET_PAGES: one entry per run of pages whose fields are equal */
	VMSCOPE_REQ_RUNS	= 1U << 0,
	/* GET_VMAS: leave out the per-VMA page counts (no page walk) */
	VMSCOPE_REQ_NO_COUNTS	= 1U << 1,
	/*
	 * FAULTS_START: before each fault is handled, also ask explain's
	 * classifier what it will do (VMSCOPE_FAULT_A_PREDICTED)
	 */
	VMSCOPE_REQ_CHECK_EXPLAIN = 1U << 2,
};

#define VMSCOPE_REQ_ALL (VMSCOPE_REQ_RUNS | VMSCOPE_REQ_NO_COUNTS | \
			 VMSCOPE_REQ_CHECK_EXPLAIN)

enum vmscope_layout_attr {
	VMSCOPE_LAYOUT_A_UNSPEC,
	VMSCOPE_LAYOUT_A_PAD,
	VMSCOPE_LAYOUT_A_PAGING_LEVELS,	/* u32: 4 or 5 */
	VMSCOPE_LAYOUT_A_USER_VA_BITS,	/* u32: 47 or 56 */
	VMSCOPE_LAYOUT_A_PAGE_SIZE,	/* u32 */
	VMSCOPE_LAYOUT_A_TASK_SIZE,	/* u64: end of user space */
	VMSCOPE_LAYOUT_A_MMAP_WINDOW,	/* u64: mmap's default top */
	/* The rest only for callers allowed to see kernel addresses. */
	VMSCOPE_LAYOUT_A_KASLR,		/* u32: 0 or 1 */
	VMSCOPE_LAYOUT_A_PAGE_OFFSET,	/* u64 */
	VMSCOPE_LAYOUT_A_DIRECT_MAP_END,	/* u64 */
	VMSCOPE_LAYOUT_A_VMALLOC_START,	/* u64 */
	VMSCOPE_LAYOUT_A_VMALLOC_END,	/* u64: last byte */
	VMSCOPE_LAYOUT_A_VMEMMAP_START,	/* u64 */
	VMSCOPE_LAYOUT_A_KERNEL_TEXT_START,	/* u64 */
	VMSCOPE_LAYOUT_A_MODULES_START,	/* u64 */
	VMSCOPE_LAYOUT_A_MODULES_END,	/* u64 */

	__VMSCOPE_LAYOUT_A_MAX,
	VMSCOPE_LAYOUT_A_MAX = __VMSCOPE_LAYOUT_A_MAX - 1
};

/* What a VMA is, in the words of a textbook picture of a process. */
enum vmscope_vma_kind {
	VMSCOPE_VMA_TEXT,		/* the executable's code */
	VMSCOPE_VMA_DATA,		/* the executable's initialised data */
	VMSCOPE_VMA_BSS,		/* anonymous, after data, below the heap */
	VMSCOPE_VMA_HEAP,		/* brk area */
	VMSCOPE_VMA_STACK,		/* main thread's stack */
	VMSCOPE_VMA_MMAP_ANON,		/* private anonymous mmap */
	VMSCOPE_VMA_FILE_PRIVATE,	/* MAP_PRIVATE file (libraries too) */
	VMSCOPE_VMA_FILE_SHARED,	/* MAP_SHARED file */
	VMSCOPE_VMA_SHARED_ANON,	/* MAP_SHARED|MAP_ANONYMOUS, SysV shm */
	VMSCOPE_VMA_VDSO,		/* [vdso], [vvar], [vsyscall] */
	VMSCOPE_VMA_GUARD,		/* no access at all (PROT_NONE) */
	VMSCOPE_VMA_HUGETLB,		/* hugetlbfs: counted, not walked */
	VMSCOPE_VMA_PFNMAP,		/* VM_PFNMAP/VM_IO device memory */

	__VMSCOPE_VMA_KIND_MAX,
	VMSCOPE_VMA_KIND_MAX = __VMSCOPE_VMA_KIND_MAX - 1
};

/* VMSCOPE_VMA_A_FLAGS: the VM_* flags worth showing. */
enum vmscope_vma_flags {
	VMSCOPE_VMA_F_READ	= 1U << 0,
	VMSCOPE_VMA_F_WRITE	= 1U << 1,
	VMSCOPE_VMA_F_EXEC	= 1U << 2,
	VMSCOPE_VMA_F_SHARED	= 1U << 3,
	VMSCOPE_VMA_F_MAYWRITE	= 1U << 4,
	VMSCOPE_VMA_F_GROWSDOWN	= 1U << 5,
	VMSCOPE_VMA_F_LOCKED	= 1U << 6,
	VMSCOPE_VMA_F_HUGEPAGE	= 1U << 7,
	VMSCOPE_VMA_F_NOHUGEPAGE = 1U << 8,
	VMSCOPE_VMA_F_PFNMAP	= 1U << 9,
	VMSCOPE_VMA_F_IO	= 1U << 10,
	VMSCOPE_VMA_F_MERGEABLE	= 1U << 11,
	VMSCOPE_VMA_F_DONTCOPY	= 1U << 12,
	VMSCOPE_VMA_F_WIPEONFORK = 1U << 13,
	VMSCOPE_VMA_F_UFFD	= 1U << 14,
	VMSCOPE_VMA_F_SOFTDIRTY	= 1U << 15,
	VMSCOPE_VMA_F_HUGETLB	= 1U << 16,
	VMSCOPE_VMA_F_MIXEDMAP	= 1U << 17,
};

enum vmscope_vma_attr {
	VMSCOPE_VMA_A_UNSPEC,
	VMSCOPE_VMA_A_PAD,
	VMSCOPE_VMA_A_START,		/* u64 */
	VMSCOPE_VMA_A_END,		/* u64 */
	VMSCOPE_VMA_A_PGOFF,		/* u64: file offset in bytes */
	VMSCOPE_VMA_A_FLAGS,		/* u32: VMSCOPE_VMA_F_* */
	VMSCOPE_VMA_A_DEV_MAJOR,	/* u32 */
	VMSCOPE_VMA_A_DEV_MINOR,	/* u32 */
	VMSCOPE_VMA_A_INODE,		/* u64 */
	VMSCOPE_VMA_A_PATH,		/* string: as /proc/PID/maps prints it */
	VMSCOPE_VMA_A_KIND,		/* u32: enum vmscope_vma_kind */
	VMSCOPE_VMA_A_COUNTS,		/* nest: VMSCOPE_COUNT_A_* */

	__VMSCOPE_VMA_A_MAX,
	VMSCOPE_VMA_A_MAX = __VMSCOPE_VMA_A_MAX - 1
};

/* Per-VMA page counts (u64 each). */
enum vmscope_count_attr {
	VMSCOPE_COUNT_A_UNSPEC,
	VMSCOPE_COUNT_A_PAD,
	VMSCOPE_COUNT_A_NONE,		/* no entry, not in page cache */
	VMSCOPE_COUNT_A_PRESENT,	/* mapped (any present entry) */
	VMSCOPE_COUNT_A_SWAP,		/* swap entries */
	VMSCOPE_COUNT_A_PAGE_CACHE,	/* not mapped, but in page cache */
	VMSCOPE_COUNT_A_ZERO,		/* the (huge) zero page */
	/*
	 * THP, COW and EXCLUSIVE are left out where the pages' bits are
	 * hidden (VMSCOPE_PAGE_F_BITS_HIDDEN)
	 */
	VMSCOPE_COUNT_A_THP,		/* mapped as part of a large folio */
	VMSCOPE_COUNT_A_COW,		/* a write would copy */
	VMSCOPE_COUNT_A_EXCLUSIVE,	/* anon, exclusively owned */
	VMSCOPE_COUNT_A_OTHER,		/* migration, device, marker, ... */
	VMSCOPE_COUNT_A_PSS_BYTES,	/* proportional set size */
	/* no entry, page-cache residency hidden (VMSCOPE_PAGE_F_CACHE_HIDDEN) */
	VMSCOPE_COUNT_A_CACHE_HIDDEN,

	__VMSCOPE_COUNT_A_MAX,
	VMSCOPE_COUNT_A_MAX = __VMSCOPE_COUNT_A_MAX - 1
};

/* What the page-table entry for a page says. */
enum vmscope_page_state {
	VMSCOPE_STATE_NONE,		/* no entry: never touched or dropped */
	VMSCOPE_STATE_PRESENT,		/* mapped to a page with a struct page */
	VMSCOPE_STATE_SWAP,		/* swapped out */
	VMSCOPE_STATE_MIGRATION,	/* being migrated */
	VMSCOPE_STATE_DEVICE,		/* device private / exclusive */
	VMSCOPE_STATE_HWPOISON,		/* memory failure */
	VMSCOPE_STATE_MARKER,		/* PTE marker (uffd-wp) */
	VMSCOPE_STATE_PFNMAP,		/* present, no struct page */
	VMSCOPE_STATE_UNWALKED,		/* hugetlb: not walked (see docs) */
	VMSCOPE_STATE_NO_VMA,		/* address not in any VMA */
	/* guard-region marker (MADV_GUARD_INSTALL, 6.13+): access is SIGSEGV */
	VMSCOPE_STATE_GUARD,

	__VMSCOPE_STATE_MAX,
	VMSCOPE_STATE_MAX = __VMSCOPE_STATE_MAX - 1
};

/* VMSCOPE_PAGE_A_FLAGS */
enum vmscope_page_flags {
	VMSCOPE_PAGE_F_WRITE	  = 1U << 0,	/* entry is writable */
	VMSCOPE_PAGE_F_DIRTY	  = 1U << 1,
	VMSCOPE_PAGE_F_YOUNG	  = 1U << 2,	/* accessed */
	VMSCOPE_PAGE_F_NX	  = 1U << 3,	/* no execute */
	VMSCOPE_PAGE_F_USER	  = 1U << 4,
	VMSCOPE_PAGE_F_GLOBAL	  = 1U << 5,
	VMSCOPE_PAGE_F_SOFT_DIRTY = 1U << 6,
	VMSCOPE_PAGE_F_UFFD_WP	  = 1U << 7,
	VMSCOPE_PAGE_F_ZERO	  = 1U << 8,	/* the shared zero page */
	VMSCOPE_PAGE_F_HUGE_ZERO  = 1U << 9,	/* the huge zero page */
	VMSCOPE_PAGE_F_ANON	  = 1U << 10,
	VMSCOPE_PAGE_F_FILE	  = 1U << 11,	/* page cache (incl. shmem) */
	VMSCOPE_PAGE_F_KSM	  = 1U << 12,
	VMSCOPE_PAGE_F_THP	  = 1U << 13,	/* part of a large folio */
	VMSCOPE_PAGE_F_EXCLUSIVE  = 1U << 14,	/* PageAnonExclusive */
	VMSCOPE_PAGE_F_COW	  = 1U << 15,	/* a write would copy */
	VMSCOPE_PAGE_F_PAGE_CACHE = 1U << 16,	/* no entry, in page cache */
	VMSCOPE_PAGE_F_SWAP_EXCL  = 1U << 17,	/* swap entry is exclusive */
	VMSCOPE_PAGE_F_MMAP_EXCL  = 1U << 18,	/* mapped once (pagemap's bit) */
	/*
	 * The kernel keeps no mapcount for this page (a large folio under
	 * CONFIG_NO_PAGE_MAPCOUNT): VMSCOPE_PAGE_A_MAPCOUNT is left out and
	 * MMAP_EXCL says what pagemap says, "no other mm maps the folio".
	 */
	VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN = 1U << 19,
	/*
	 * No entry, and whether the file page is in the page cache is not
	 * the caller's to know: mincore()'s rule (CVE-2019-5489), only for
	 * files the caller owns or may write, or with CAP_SYS_ADMIN.
	 * PAGE_CACHE is never set with it.
	 */
	VMSCOPE_PAGE_F_CACHE_HIDDEN = 1U << 20,
	/*
	 * The page has a mapcount, but only CAP_SYS_ADMIN may see it (as
	 * /proc/kpagecount): VMSCOPE_PAGE_A_MAPCOUNT is left out, KSM is
	 * never set; MMAP_EXCL, EXCLUSIVE and COW still are.
	 */
	VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN = 1U << 21,
	/*
	 * The entry's own bits (WRITE, DIRTY, YOUNG, NX, USER, GLOBAL) and
	 * its folio's (EXCLUSIVE, COW, SWAP_EXCL, THP below a PMD leaf, the
	 * order) are not the caller's to know: /proc/kpageflags and
	 * page_idle tell accessed and dirty only to root, pagemap tells
	 * nobody the rest.  Set on every present, pfnmap, swap, migration
	 * and device entry of another process, for callers without
	 * CAP_SYS_ADMIN; those bits are clear and VMSCOPE_PAGE_A_FOLIO_ORDER
	 * is left out: hidden, not zero.  What pagemap and PAGEMAP_SCAN
	 * tell (state, FILE/ANON, MMAP_EXCL, SOFT_DIRTY, UFFD_WP, ZERO, a
	 * PMD leaf's THP) is still set.
	 */
	VMSCOPE_PAGE_F_BITS_HIDDEN = 1U << 22,
	/*
	 * arm64: the entry is one of a contiguous run (PTE_CONT: 16 PTEs
	 * with 4 KiB pages, 128 with 16 KiB) the TLB may cache as one;
	 * with CONFIG_ARM64_CONTPTE the kernel sets it on large folios,
	 * and reports young and dirty for the whole run, as here.
	 */
	VMSCOPE_PAGE_F_CONT	  = 1U << 23,
};

/* Page-table level at which the walk found the entry (VMSCOPE_PAGE_A_LEVEL). */
enum vmscope_level {
	VMSCOPE_LEVEL_NONE,	/* no VMA or not walked */
	VMSCOPE_LEVEL_PTE,
	VMSCOPE_LEVEL_PMD,
	VMSCOPE_LEVEL_PUD,
	VMSCOPE_LEVEL_P4D,
	VMSCOPE_LEVEL_PGD,
};

enum vmscope_page_attr {
	VMSCOPE_PAGE_A_UNSPEC,
	VMSCOPE_PAGE_A_PAD,
	VMSCOPE_PAGE_A_ADDR,		/* u64: first page */
	/*
	 * u64: pages in this entry.  Without VMSCOPE_REQ_RUNS an entry is
	 * exact: page i has PFN + i and SWAP_OFFSET + i, every other field
	 * as given.  With VMSCOPE_REQ_RUNS, PFN and SWAP_OFFSET are those
	 * of the first page only.
	 */
	VMSCOPE_PAGE_A_NR_PAGES,
	VMSCOPE_PAGE_A_STATE,		/* u32: enum vmscope_page_state */
	VMSCOPE_PAGE_A_FLAGS,		/* u32: VMSCOPE_PAGE_F_* */
	VMSCOPE_PAGE_A_LEVEL,		/* u32: enum vmscope_level */
	VMSCOPE_PAGE_A_PFN,		/* u64: privileged callers only */
	VMSCOPE_PAGE_A_SWAP_TYPE,	/* u32 */
	VMSCOPE_PAGE_A_SWAP_OFFSET,	/* u64 */
	/* u32: absent if F_MAPCOUNT_UNKNOWN or F_MAPCOUNT_HIDDEN */
	VMSCOPE_PAGE_A_MAPCOUNT,
	/* u32: 0 for small pages; absent with F_BITS_HIDDEN */
	VMSCOPE_PAGE_A_FOLIO_ORDER,

	__VMSCOPE_PAGE_A_MAX,
	VMSCOPE_PAGE_A_MAX = __VMSCOPE_PAGE_A_MAX - 1
};

/* What a fault at an address would do (VMSCOPE_EXPLAIN_A_READ, ...). */
enum vmscope_fault {
	VMSCOPE_FAULT_NONE,		/* entry present and permitted: no fault */
	VMSCOPE_FAULT_SEGV_MAPERR,	/* no VMA there: SIGSEGV */
	VMSCOPE_FAULT_SEGV_ACCERR,	/* the VMA forbids this access: SIGSEGV */
	VMSCOPE_FAULT_STACK_GROW,	/* below the stack: it grows, then a new page */
	VMSCOPE_FAULT_SIGBUS,		/* past the end of the file, or poisoned */
	VMSCOPE_FAULT_MINOR_ZERO,	/* untouched anon, read: maps the zero page */
	VMSCOPE_FAULT_MINOR_ANON,	/* untouched anon, write: new zeroed page */
	VMSCOPE_FAULT_MINOR_CACHE,	/* file page in the page cache: maps it */
	VMSCOPE_FAULT_MINOR_CACHE_COW,	/* ... private write: copies it */
	VMSCOPE_FAULT_MINOR_SHMEM,	/* tmpfs/shmem hole: allocates a page */
	VMSCOPE_FAULT_MAJOR_FILE,	/* not cached: reads the file */
	VMSCOPE_FAULT_MAJOR_SWAP,	/* swapped out: reads it back */
	VMSCOPE_FAULT_COW_COPY,		/* write-protected shared page: copy */
	VMSCOPE_FAULT_COW_REUSE,	/* write-protected, ours alone: reuse */
	VMSCOPE_FAULT_WRITE_NOTIFY,	/* shared file page: fs told, made writable */
	VMSCOPE_FAULT_UFFD,		/* userfaultfd: the handler decides */
	VMSCOPE_FAULT_MIGRATION,	/* waits for the page's migration */
	VMSCOPE_FAULT_DEVICE,		/* device memory: migrated back */
	VMSCOPE_FAULT_HUGETLB,		/* hugetlbfs fault (not walked) */
	VMSCOPE_FAULT_DRIVER,		/* the mapping's own fault handler */
	VMSCOPE_FAULT_SEGV_GUARD,	/* guard region marker: SIGSEGV (MAPERR) */
	/* file page, residency hidden (F_CACHE_HIDDEN): minor or major */
	VMSCOPE_FAULT_CACHE_HIDDEN,
	/*
	 * Outcomes only a trace sees (VMSCOPE_FAULT_A_OUTCOME); explain
	 * never predicts them.
	 */
	VMSCOPE_FAULT_MINOR_SWAP,	/* swapped, still in the swap cache: no I/O */
	VMSCOPE_FAULT_NUMA_HINT,	/* NUMA hinting entry made accessible again */
	VMSCOPE_FAULT_SPURIOUS,		/* nothing to do: already allowed (a race) */
	VMSCOPE_FAULT_RETRY,		/* gave up the lock; the retry never came */
	VMSCOPE_FAULT_OOM,		/* out of memory: the OOM killer runs */
	/* a kernel access on the process's behalf to a bad address: EFAULT */
	VMSCOPE_FAULT_KERNEL_FIXUP,
	/*
	 * A write to a present page, where what it does (nothing, a copy,
	 * a reuse, a notify) hangs on bits the caller may not see
	 * (VMSCOPE_PAGE_F_BITS_HIDDEN): explain and the tracer say this
	 * instead.
	 */
	VMSCOPE_FAULT_WRITE_HIDDEN,
	/*
	 * the tracer did not see the fault whole (a record lost, the
	 * trace ended meanwhile, too many threads at once): what it did
	 * is not known, and is not guessed (docs/json.md)
	 */
	VMSCOPE_FAULT_INCOMPLETE,

	__VMSCOPE_FAULT_MAX,
	VMSCOPE_FAULT_MAX = __VMSCOPE_FAULT_MAX - 1
};

enum vmscope_explain_attr {
	VMSCOPE_EXPLAIN_A_UNSPEC,
	VMSCOPE_EXPLAIN_A_PAD,
	VMSCOPE_EXPLAIN_A_ADDR,		/* u64: the page asked about */
	VMSCOPE_EXPLAIN_A_VMA,		/* nest VMSCOPE_VMA_A_*: VMA there */
	VMSCOPE_EXPLAIN_A_PREV_END,	/* u64: end of the VMA below, if any */
	VMSCOPE_EXPLAIN_A_NEXT_START,	/* u64: start of the VMA above, if any */
	VMSCOPE_EXPLAIN_A_NEXT_FLAGS,	/* u32: VMSCOPE_VMA_F_* of that VMA */
	/*
	 * u64 each, in walk order.  Without CAP_SYS_ADMIN, present entries
	 * lose their PFN bits, non-present ones (swap, migration, device,
	 * markers) every bit from 9 up: type and offset (docs/debugfs.md)
	 */
	VMSCOPE_EXPLAIN_A_PGD,
	VMSCOPE_EXPLAIN_A_P4D,
	VMSCOPE_EXPLAIN_A_PUD,
	VMSCOPE_EXPLAIN_A_PMD,
	VMSCOPE_EXPLAIN_A_PTE,
	VMSCOPE_EXPLAIN_A_PAGE,		/* nest VMSCOPE_PAGE_A_*: the page */
	VMSCOPE_EXPLAIN_A_READ,		/* u32: enum vmscope_fault */
	VMSCOPE_EXPLAIN_A_WRITE,	/* u32: enum vmscope_fault */
	VMSCOPE_EXPLAIN_A_EXEC,		/* u32: enum vmscope_fault */

	__VMSCOPE_EXPLAIN_A_MAX,
	VMSCOPE_EXPLAIN_A_MAX = __VMSCOPE_EXPLAIN_A_MAX - 1
};

/* The access that faulted (VMSCOPE_FAULT_A_ACCESS). */
enum vmscope_access {
	VMSCOPE_ACCESS_READ,
	VMSCOPE_ACCESS_WRITE,
	VMSCOPE_ACCESS_EXEC,	/* instruction fetch */

	__VMSCOPE_ACCESS_MAX,
	VMSCOPE_ACCESS_MAX = __VMSCOPE_ACCESS_MAX - 1
};

/* VMSCOPE_FAULT_A_FLAGS */
enum vmscope_fault_flags {
	/* the access came from user mode (else: the kernel, e.g. copy_to_user) */
	VMSCOPE_FAULT_F_USER	= 1U << 0,
	/*
	 * no exception: the kernel faulted the page in itself on the
	 * process's behalf (get_user_pages(), fault_in_*(), futex)
	 */
	VMSCOPE_FAULT_F_GUP	= 1U << 1,
	/* the entry was present: a protection fault (x86 PF_PROT) */
	VMSCOPE_FAULT_F_PROT	= 1U << 2,
	/* with CHECK_EXPLAIN: OUTCOME is not what PREDICTED said */
	VMSCOPE_FAULT_F_MISPREDICTED = 1U << 3,
	/*
	 * another process faulted the page in (process_vm_readv/writev,
	 * /proc/PID/mem, ptrace peeks and pokes): TID is 0 and there is no
	 * IP (who did it is not told: pagemap's permission rule, which
	 * everything else follows, cannot be asked from the tracer's worker)
	 */
	VMSCOPE_FAULT_F_REMOTE	= 1U << 4,
};

/*
 * One page fault of a traced process, as the tracer's caller may see it:
 * BEFORE and AFTER carry the redactions of GET_PAGES (PFNs only to
 * CAP_SYS_ADMIN, ...).
 */
enum vmscope_fault_attr {
	VMSCOPE_FAULT_A_UNSPEC,
	VMSCOPE_FAULT_A_PAD,
	VMSCOPE_FAULT_A_SEQ,		/* u64: 1, 2, ...; a gap is dropped events */
	VMSCOPE_FAULT_A_TIME_NS,	/* u64: CLOCK_MONOTONIC at the fault */
	VMSCOPE_FAULT_A_TID,		/* u32: in the tracer's pid namespace */
	VMSCOPE_FAULT_A_ADDR,		/* u64: the faulting address, not rounded */
	VMSCOPE_FAULT_A_ACCESS,		/* u32: enum vmscope_access */
	VMSCOPE_FAULT_A_FLAGS,		/* u32: VMSCOPE_FAULT_F_* */
	/*
	 * u64: the user instruction that faulted, or for a kernel access
	 * the user instruction that entered the kernel
	 */
	VMSCOPE_FAULT_A_IP,
	VMSCOPE_FAULT_A_IP_PATH,	/* string: the file mapped at IP, if any */
	VMSCOPE_FAULT_A_IP_OFFSET,	/* u64: IP's offset in that file */
	VMSCOPE_FAULT_A_VMA,		/* nest VMSCOPE_VMA_A_*: VMA at ADDR, if any */
	VMSCOPE_FAULT_A_BEFORE,		/* nest VMSCOPE_PAGE_A_*: the page before */
	VMSCOPE_FAULT_A_AFTER,		/* nest VMSCOPE_PAGE_A_*: and after */
	VMSCOPE_FAULT_A_OUTCOME,	/* u32: enum vmscope_fault, what happened */
	VMSCOPE_FAULT_A_PREDICTED,	/* u32: enum vmscope_fault, explain's guess */
	/* u32: handle_mm_fault()'s VM_FAULT_* bits, if it was called */
	VMSCOPE_FAULT_A_VM_FAULT,
	VMSCOPE_FAULT_A_RETRIES,	/* u32: times it returned VM_FAULT_RETRY first */

	__VMSCOPE_FAULT_A_MAX,
	VMSCOPE_FAULT_A_MAX = __VMSCOPE_FAULT_A_MAX - 1
};

/* Why a trace ended (VMSCOPE_TRACE_A_END_REASON). */
enum vmscope_trace_end {
	VMSCOPE_TRACE_END_STOPPED,	/* FAULTS_STOP, or the debugfs reader closed */
	VMSCOPE_TRACE_END_EXITED,	/* the target exited */
	VMSCOPE_TRACE_END_EXECED,	/* the target exec'd: a new address space */

	__VMSCOPE_TRACE_END_MAX,
	VMSCOPE_TRACE_END_MAX = __VMSCOPE_TRACE_END_MAX - 1
};

enum vmscope_trace_attr {
	VMSCOPE_TRACE_A_UNSPEC,
	VMSCOPE_TRACE_A_PAD,
	VMSCOPE_TRACE_A_ID,		/* u32 */
	VMSCOPE_TRACE_A_RING_EVENTS,	/* u32: events the trace's ring holds */
	VMSCOPE_TRACE_A_EVENTS,		/* u64: events delivered (TRACE_END) */
	/* u64: events lost because the reader was slow (TRACE_END) */
	VMSCOPE_TRACE_A_DROPPED,
	VMSCOPE_TRACE_A_END_REASON,	/* u32: enum vmscope_trace_end */
	/*
	 * u64: handle_mm_fault() calls, machine-wide, the probe could not
	 * watch while the trace ran (all its instances busy): some may have
	 * been the target's (TRACE_END)
	 */
	VMSCOPE_TRACE_A_MISSED,

	__VMSCOPE_TRACE_A_MAX,
	VMSCOPE_TRACE_A_MAX = __VMSCOPE_TRACE_A_MAX - 1
};

/* How the executable was loaded (VMSCOPE_PROC_A_EXEC_TYPE). */
enum vmscope_exec_type {
	VMSCOPE_EXEC_UNKNOWN,	/* no ELF header could be read, or 32-bit */
	VMSCOPE_EXEC_FIXED,	/* ET_EXEC: linked at a fixed address */
	VMSCOPE_EXEC_PIE,	/* ET_DYN with an interpreter: at ELF_ET_DYN_BASE */
	VMSCOPE_EXEC_LOADER,	/* ET_DYN without one (static PIE, ld.so): mmap area */

	__VMSCOPE_EXEC_MAX,
	VMSCOPE_EXEC_MAX = __VMSCOPE_EXEC_MAX - 1
};

/*
 * A process's address space as exec laid it out (mm_struct fields), and
 * where each region would be without randomisation (the *_NORAND bases):
 * the region's address minus its base is what ASLR moved it by.  Bases
 * the kernel cannot know (32-bit tasks, loaders' text) are left out.
 */
enum vmscope_proc_attr {
	VMSCOPE_PROC_A_UNSPEC,
	VMSCOPE_PROC_A_PAD,
	VMSCOPE_PROC_A_TASK_SIZE,	/* u64: end of this task's user space */
	VMSCOPE_PROC_A_COMPAT,		/* u32: 1 for a 32-bit task */
	VMSCOPE_PROC_A_RANDOMIZE,	/* u32: 1 if exec randomised (PF_RANDOMIZE) */
	VMSCOPE_PROC_A_NO_RANDOMIZE,	/* u32: personality ADDR_NO_RANDOMIZE */
	VMSCOPE_PROC_A_TOPDOWN,		/* u32: mmap grows down from MMAP_BASE */
	VMSCOPE_PROC_A_EXEC_TYPE,	/* u32: enum vmscope_exec_type */
	VMSCOPE_PROC_A_START_CODE,	/* u64: the mm_struct's fields ... */
	VMSCOPE_PROC_A_END_CODE,
	VMSCOPE_PROC_A_START_DATA,
	VMSCOPE_PROC_A_END_DATA,
	VMSCOPE_PROC_A_START_BRK,
	VMSCOPE_PROC_A_BRK,
	VMSCOPE_PROC_A_START_STACK,
	VMSCOPE_PROC_A_ARG_START,
	VMSCOPE_PROC_A_ARG_END,
	VMSCOPE_PROC_A_ENV_START,
	VMSCOPE_PROC_A_ENV_END,
	VMSCOPE_PROC_A_MMAP_BASE,	/* ... to here */
	VMSCOPE_PROC_A_STACK_END,	/* u64: end of the VMA of START_STACK */
	VMSCOPE_PROC_A_VDSO,		/* u64: vdso base, if mapped */
	VMSCOPE_PROC_A_TEXT_NORAND,	/* u64: START_CODE without ASLR */
	/* u64: START_BRK without brk randomisation, after the image as loaded */
	VMSCOPE_PROC_A_BRK_NORAND,
	VMSCOPE_PROC_A_STACK_NORAND,	/* u64: STACK_END without ASLR (STACK_TOP) */
	VMSCOPE_PROC_A_MMAP_NORAND,	/* u64: MMAP_BASE without ASLR */
	VMSCOPE_PROC_A_MMAP_RND,	/* u64: the mmap random factor drawn */

	__VMSCOPE_PROC_A_MAX,
	VMSCOPE_PROC_A_MAX = __VMSCOPE_PROC_A_MAX - 1
};

#endif /* _UAPI_VMSCOPE_H */
