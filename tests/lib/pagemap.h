/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TEST_PAGEMAP_H
#define VMSCOPE_TEST_PAGEMAP_H

/*
 * The kernel's own per-page and per-VMA views, read as root, used as the
 * oracle for vmscope's maps and pages files:
 *   /proc/PID/maps        VMAs (Documentation/filesystems/proc.rst)
 *   /proc/PID/pagemap     one u64 per page (admin-guide/mm/pagemap.rst)
 *   /proc/kpageflags      one u64 of KPF_* bits per PFN
 *   /proc/kpagecount      one u64 mapcount per PFN
 *   mincore()             page-cache residency, for the caller's mappings
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

#define PAGE_SZ PG

/* pagemap entry bits */
#define PM_PRESENT	(1ULL << 63)
#define PM_SWAP		(1ULL << 62)
#define PM_FILE		(1ULL << 61)	/* file page or shared anon */
#define PM_UFFD_WP	(1ULL << 57)
#define PM_MMAP_EXCL	(1ULL << 56)	/* page mapped exactly once */
#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_PFN_MASK	((1ULL << 55) - 1)

static inline uint64_t pm_pfn(uint64_t e)
{
	return e & PM_PFN_MASK;
}

static inline unsigned int pm_swap_type(uint64_t e)
{
	return e & 0x1f;
}

static inline uint64_t pm_swap_offset(uint64_t e)
{
	return (e & PM_PFN_MASK) >> 5;
}

/*
 * Read n pagemap entries of pid starting at addr (page aligned).
 * Returns 0 or -errno.
 */
int pagemap_read(pid_t pid, uint64_t addr, size_t n, uint64_t *entries);

/*
 * /proc/kpageflags and /proc/kpagecount for one PFN.  Returns 0, or
 * -ERANGE for a PFN the files do not cover (no struct page), or -errno.
 */
int kpageflags_read(uint64_t pfn, uint64_t *flags);
int kpagecount_read(uint64_t pfn, uint64_t *count);

/* Everything the kernel says about one page. */
struct oracle_page {
	uint64_t addr;
	uint64_t pm;		/* pagemap entry */
	bool has_kpage;		/* present with a struct page */
	uint64_t kflags;	/* KPF_* bits, if has_kpage */
	uint64_t kcount;	/* kpagecount, if has_kpage */
};

int oracle_pages(pid_t pid, uint64_t addr, size_t n, struct oracle_page *out);

static inline bool kpf(const struct oracle_page *o, int bit)
{
	return o->has_kpage && (o->kflags >> bit & 1);
}

/*
 * Are there KSM pages anywhere (/sys/kernel/mm/ksm/pages_shared or
 * pages_sharing non-zero, or unreadable)?  KPF_KSM cannot say: 6.12 sets
 * it on every anonymous page.
 */
bool ksm_pages_exist(void);

/* Page counts of [start, end) by pagemap/kpageflags. */
struct oracle_counts {
	uint64_t present, swap, zero, thp, mmap_excl;
};
int oracle_count(pid_t pid, uint64_t start, uint64_t end,
		 struct oracle_counts *c);

/* One line of /proc/PID/maps. */
struct proc_vma {
	uint64_t start, end, offset, inode;
	unsigned int major, minor;
	char perms[5];
	char head[128];		/* first five fields, single spaced */
	const char *path;	/* "" when none; points into proc_maps.text */
};

struct proc_maps {
	struct proc_vma *v;
	int n;
	char *text;
};

/* Returns 0 or -errno; free with proc_maps_free(). */
int proc_maps_read(pid_t pid, struct proc_maps *m);
void proc_maps_free(struct proc_maps *m);
/* The VMA containing addr, or NULL. */
const struct proc_vma *proc_maps_find(const struct proc_maps *m,
				      uint64_t addr);
/* Are two reads of maps the same (same VMAs, same paths)? */
bool proc_maps_equal(const struct proc_maps *a, const struct proc_maps *b);

/* What /proc/PID/smaps adds to a VMA. */
struct smaps_vma {
	uint64_t start, end;
	uint64_t rss_kb, pss_kb, swap_kb;
	char vmflags[160];	/* "rd wr mr mw me ac sd" */
};

/* Returns the number of VMAs (*out malloc'd) or -errno. */
int smaps_read(pid_t pid, struct smaps_vma **out);

/*
 * Page-cache residency of [addr, addr + n pages) of the caller's own
 * mappings, one bool per page.  Returns 0 or -errno.
 */
int mincore_pages(void *addr, size_t n, bool *resident);

/*
 * Residency of file pages [pgoff, pgoff + n) of path: maps the file
 * (without touching it) and asks mincore().  Returns 0 or -errno.
 */
int file_cached_pages(const char *path, uint64_t pgoff, size_t n,
		      bool *resident);

#endif /* VMSCOPE_TEST_PAGEMAP_H */
