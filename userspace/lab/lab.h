/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmscope-lab: set up, one step at a time, what a student reads about in
 * mm/, and show vmscope's view of it before and after.  Each step checks
 * what it claims twice: against an oracle that does not go through
 * vmscope (pagemap, kpageflags, /proc/self/maps, smaps, fault counters,
 * the memory itself) and against vmscope's own --json answer.
 */
#ifndef VMSCOPE_LAB_H
#define VMSCOPE_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libvmscope.h"	/* u64, ARRAY_SIZE, the JSON reader */

/* __printf(a, b) comes from the Makefile, as the kernel's from its headers. */
#define BIT_ULL(nr) (1ULL << (nr))

/* One access to memory that the compiler must not drop or merge. */
static inline char lab_peek(const char *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void lab_poke(char *p, char v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* The running kernel's page and PMD (THP) sizes: lib/pagesize.h. */
#define LAB_PAGE vs_page_size()
#define LAB_PMD vs_pmd_size()

/* Exit statuses (vmscope-lab(1)). */
enum {
	LAB_OK = 0,		/* every check held */
	LAB_FAILED = 1,		/* a check failed: vmscope or the lab is wrong */
	LAB_USAGE = 2,
	LAB_ERROR = 3,		/* could not run: module, system call */
	LAB_SKIPPED = 4,	/* this system cannot show it (kselftest's 4) */
};

struct lab_step {
	const char *name;
	const char *title;
	int (*run)(void);
};

/* The steps, in the order of the tour (main.c). */
extern const struct lab_step lab_steps[];
extern const size_t lab_nr_steps;

int lab_step_lazy(void);
int lab_step_zero(void);
int lab_step_cow(void);
int lab_step_faults(void);
int lab_step_private_shared(void);
int lab_step_malloc(void);
int lab_step_brk(void);
int lab_step_stack(void);
int lab_step_swap(void);
int lab_step_thp(void);
int lab_step_aslr(void);
int lab_step_split(void);
/* The other half of the aslr step: a fresh process reports its bases. */
int lab_aslr_child(bool show);

/* out.c: what the student reads. */
extern bool lab_interactive;	/* stdin is a tty and no --no-pause */
void lab_heading(const struct lab_step *s);
/*
 * Plain sentences, wrapped to 76 columns, then a blank line.  A newline
 * in them only breaks a source line (checkpatch wants one where a string
 * is split): it is dropped, and the text is wrapped anew.
 */
void lab_say(const char *fmt, ...) __printf(1, 2);
/* "-- what happens next"; waits for Enter when interactive. */
void lab_act(const char *fmt, ...) __printf(1, 2);
void lab_note(const char *fmt, ...) __printf(1, 2);
/* "check: WHAT ok" or "check: WHAT FAILED"; returns ok. */
bool lab_check(bool ok, const char *fmt, ...)
	__printf(2, 3);
/* A check needing something we lack: one line saying so, not counted. */
void lab_check_skip(const char *why, const char *fmt, ...)
	__printf(2, 3);
/* A whole step that cannot run here: prints why, returns LAB_SKIPPED. */
int lab_skip(const char *fmt, ...) __printf(1, 2);
/* Failures seen so far, and the step's exit status from them. */
int lab_result(void);
/* The step could not run at all (a system call failed). */
int lab_error(const char *what);

/*
 * observe.c: vmscope run on this process, from an observer thread.
 * The main thread of a step must not allocate (the malloc and brk steps
 * watch its heap): whatever allocates runs on the observer.
 */
int lab_observe_start(void);
/* Run job(arg) on the observer thread and wait for it. */
void lab_observe(void (*job)(void *), void *arg);
/* Print "$ vmscope CMD PID [START-END]" and the client's answer. */
void lab_show(const char *cmd, u64 start, u64 end);
void lab_show_runs(u64 start, u64 end);	/* pages --runs */
void lab_show_explain(u64 addr);
void lab_show_layout(void);
void lab_show_maps(void);
/* --svg DIR: the process's layout as DIR/STEP-WHEN.svg (WHEN: before, after). */
void lab_svg_layout(const char *dir, const char *step, const char *when);

struct jv;
/* On the observer only: vmscope CMD --json on this process, parsed. */
struct jv *lab_json(const char *cmd, u64 start, u64 end);

/* view.c: vmscope's JSON answers, as the steps need them. */
struct lab_page {
	u64 addr, mapcount, pfn, swap_type, swap_offset;
	bool has_pfn, has_swap;
	bool has_mapcount;	/* else unknown, or hidden (not root) */
	bool mmap_excl;		/* mapped exactly once (flag mmap_excl) */
	char state[16], level[8];
	bool zero, thp, cow, exclusive, anon, file, write;
};

/*
 * vmscope pages of [start, end) into p (room for max): the number of
 * pages, or 0 after a failed check when vmscope did not answer so.
 */
/*
 * Is p mapped n times?  Where vmscope gives no mapcount (only root sees
 * them, as /proc/kpagecount), what it says instead: mapped once or not.
 */
bool lab_mapped(const struct lab_page *p, u64 n);

size_t lab_pages(u64 start, u64 end, struct lab_page *p,
		 size_t max);

/* Pages of [start, end) by what vmscope says of them. */
struct lab_count {
	size_t pages, present, none, swap, zero, thp, cow, exclusive, anon,
		file;
};

bool lab_count(u64 start, u64 end, struct lab_count *c);

struct lab_vma {
	u64 start, end;
	char kind[24], perms[8], path[256];
};

/* The VMA containing addr by vmscope maps; false if none. */
bool lab_vma_at(u64 addr, struct lab_vma *v);
/* The first VMA of this kind ("heap", "stack"); false if none. */
bool lab_vma_kind(const char *kind, struct lab_vma *v);

/* vmscope layout --json: the numbers, 0 for null. */
struct lab_layout {
	u64 levels, va_bits, task_size, page_offset, kernel_text;
	bool kernel_visible;
};

bool lab_layout(struct lab_layout *l);

/* What vmscope explain says a write at addr would do ("stack-grow"). */
bool lab_explain_write(u64 addr, char *out, size_t len);

/* oracle.c: the kernel's own views, no vmscope involved. */
#define PM_PRESENT	BIT_ULL(63)
#define PM_SWAP		BIT_ULL(62)
#define PM_FILE		BIT_ULL(61)
#define PM_MMAP_EXCL	BIT_ULL(56)
#define PM_PFN_MASK	(BIT_ULL(55) - 1)

/* /proc/PID/pagemap (0: ours) entries of n pages from addr: 0 or -errno. */
int lab_pagemap(pid_t pid, u64 addr, size_t n, u64 *e);
/*
 * Pages of [addr, addr + n pages) whose pagemap entries have all of
 * bits; SIZE_MAX if pagemap cannot be read.
 */
size_t lab_pagemap_count(u64 addr, size_t n, u64 bits);
/* The PFN pagemap gives the page at addr (0 unless root), or 0. */
u64 lab_pagemap_pfn(pid_t pid, u64 addr);
/* /proc/kpageflags of pfn (root only): 0 or -errno. */
int lab_kpageflags(u64 pfn, u64 *flags);
/* May we see PFNs and page flags (CAP_SYS_ADMIN, root's files)? */
bool lab_root(void);

/* The /proc/PID/maps line containing addr (pid 0: ourselves). */
struct lab_pvma {
	u64 start, end;
	char perms[8], path[256];
};

bool lab_proc_vma(pid_t pid, u64 addr, struct lab_pvma *v);
/* The first /proc/PID/maps line whose path is path. */
bool lab_proc_vma_path(pid_t pid, const char *path, struct lab_pvma *v);
/* The first /proc/PID/maps line whose path contains part. */
bool lab_proc_vma_like(pid_t pid, const char *part, struct lab_pvma *v);
/* A "Key:  N kB" field of the smaps entry containing addr, or -1. */
long lab_smaps_kb(u64 addr, const char *key);

/* "key: N" or "key N" of /proc/meminfo, /proc/vmstat...; -1 if none. */
long lab_file_value(const char *path, const char *key);
/* A symbol's address in /proc/kallsyms (0 if absent or hidden). */
u64 lab_kallsyms(const char *name);
/* Page faults of the calling thread so far. */
void lab_faults(long *minor, long *major);
/* First line of a file, without its newline; false if unreadable. */
bool lab_read_line(const char *path, char *buf, size_t len);
/* The current word of a sysfs "a [b] c" choice file. */
bool lab_sysfs_choice(const char *path, char *buf, size_t len);

/* An anonymous private mapping of n pages, not yet touched. */
char *lab_mmap_anon(size_t pages);

#endif /* VMSCOPE_LAB_H */
