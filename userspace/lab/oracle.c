// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab: the kernel's own views of this process, which the steps
 * hold vmscope's answers against: /proc/self/pagemap, /proc/kpageflags,
 * /proc/PID/maps and smaps, and the fault counters (getrusage).  Nothing
 * here goes through the vmscope module, and nothing allocates (no stdio
 * streams either): the steps call these from their main thread, whose
 * heap the malloc and brk steps watch.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lab.h"

static int pread_u64s(const char *path, u64 index, size_t n,
		      u64 *out)
{
	ssize_t want = n * sizeof(*out), got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	got = pread(fd, out, want, index * sizeof(*out));
	if (got < 0)
		got = -errno;
	close(fd);
	if (got < 0)
		return got;
	return got == want ? 0 : -EIO;
}

int lab_pagemap(pid_t pid, u64 addr, size_t n, u64 *e)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/pagemap");
	return pread_u64s(path, addr / LAB_PAGE, n, e);
}

size_t lab_pagemap_count(u64 addr, size_t n, u64 bits)
{
	u64 e[64];
	size_t i, done, count = 0;

	for (done = 0; done < n; done += i) {
		size_t chunk = n - done < 64 ? n - done : 64;

		if (lab_pagemap(0, addr + done * LAB_PAGE, chunk, e))
			return SIZE_MAX;
		for (i = 0; i < chunk; i++)
			count += (e[i] & bits) == bits;
	}
	return count;
}

u64 lab_pagemap_pfn(pid_t pid, u64 addr)
{
	u64 e;

	if (lab_pagemap(pid, addr & ~(LAB_PAGE - 1), 1, &e))
		return 0;
	return e & PM_PRESENT ? e & PM_PFN_MASK : 0;
}

int lab_kpageflags(u64 pfn, u64 *flags)
{
	return pread_u64s("/proc/kpageflags", pfn, 1, flags);
}

bool lab_root(void)
{
	return geteuid() == 0 && !access("/proc/kpageflags", R_OK);
}

/* Lines of a file through a buffer on the caller's stack. */
struct lines {
	int fd;
	size_t len, pos;
	char buf[4096];
	char line[512];
};

static bool lines_open(struct lines *l, const char *path)
{
	l->fd = open(path, O_RDONLY | O_CLOEXEC);
	l->len = 0;
	l->pos = 0;
	return l->fd >= 0;
}

/* The next line, without its newline (cut at 511 bytes), or NULL. */
static const char *lines_next(struct lines *l)
{
	size_t n = 0;

	for (;;) {
		if (l->pos == l->len) {
			ssize_t got = read(l->fd, l->buf, sizeof(l->buf));

			if (got <= 0)
				break;
			l->len = got;
			l->pos = 0;
		}
		if (l->buf[l->pos] == '\n') {
			l->pos++;
			l->line[n] = '\0';
			return l->line;
		}
		if (n < sizeof(l->line) - 1)
			l->line[n++] = l->buf[l->pos];
		l->pos++;
	}
	l->line[n] = '\0';
	return n ? l->line : NULL;
}

static void lines_close(struct lines *l)
{
	close(l->fd);
}

/* Parse "start-end perms offset dev inode path" into v. */
static bool parse_maps_line(const char *line, struct lab_pvma *v)
{
	unsigned long long start, end;
	int path_at = 0;

	if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %n", &start, &end,
		   v->perms, &path_at) < 3)
		return false;
	v->start = start;
	v->end = end;
	snprintf(v->path, sizeof(v->path), "%s", path_at ? line + path_at : "");
	v->path[strcspn(v->path, "\n")] = '\0';
	return true;
}

typedef bool (*vma_match)(const struct lab_pvma *v, const void *arg);

static bool find_vma(pid_t pid, vma_match match, const void *arg,
		     struct lab_pvma *v)
{
	const char *line;
	struct lines l;
	char path[64];
	bool found = false;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/maps");
	if (!lines_open(&l, path))
		return false;
	while (!found && (line = lines_next(&l)))
		found = parse_maps_line(line, v) && match(v, arg);
	lines_close(&l);
	return found;
}

static bool holds(const struct lab_pvma *v, const void *arg)
{
	u64 addr = *(const u64 *)arg;

	return v->start <= addr && addr < v->end;
}

static bool named(const struct lab_pvma *v, const void *arg)
{
	return !strcmp(v->path, arg);
}

static bool named_like(const struct lab_pvma *v, const void *arg)
{
	return strstr(v->path, arg);
}

bool lab_proc_vma_like(pid_t pid, const char *part, struct lab_pvma *v)
{
	return find_vma(pid, named_like, part, v);
}

bool lab_proc_vma(pid_t pid, u64 addr, struct lab_pvma *v)
{
	return find_vma(pid, holds, &addr, v);
}

bool lab_proc_vma_path(pid_t pid, const char *path, struct lab_pvma *v)
{
	return find_vma(pid, named, path, v);
}

long lab_smaps_kb(u64 addr, const char *key)
{
	size_t klen = strlen(key);
	const char *line;
	struct lines l;
	bool in = false;
	long kb = -1;

	if (!lines_open(&l, "/proc/self/smaps"))
		return -1;
	while (kb < 0 && (line = lines_next(&l))) {
		unsigned long long start, end;
		char c;

		/* A VMA's first line: "start-end perms ..."; others "Key:". */
		if (sscanf(line, "%llx-%llx %c", &start, &end, &c) == 3)
			in = start <= addr && addr < end;
		else if (in && !strncmp(line, key, klen) && line[klen] == ':')
			kb = strtol(line + klen + 1, NULL, 10);
	}
	lines_close(&l);
	return kb;
}

long lab_file_value(const char *path, const char *key)
{
	size_t klen = strlen(key);
	const char *line;
	struct lines l;
	long v = -1;

	if (!lines_open(&l, path))
		return -1;
	while (v < 0 && (line = lines_next(&l)))
		if (!strncmp(line, key, klen) &&
		    (line[klen] == ':' || line[klen] == ' '))
			v = strtol(line + klen + 1, NULL, 10);
	lines_close(&l);
	return v;
}

u64 lab_kallsyms(const char *name)
{
	const char *line;
	struct lines l;
	u64 addr = 0;

	if (!lines_open(&l, "/proc/kallsyms"))
		return 0;
	while (!addr && (line = lines_next(&l))) {
		unsigned long long a;
		char type, sym[128];

		if (sscanf(line, "%llx %c %127s", &a, &type, sym) == 3 &&
		    !strcmp(sym, name))
			addr = a;
	}
	lines_close(&l);
	return addr;
}

void lab_faults(long *minor, long *major)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	*minor = ru.ru_minflt;
	*major = ru.ru_majflt;
}

bool lab_read_line(const char *path, char *buf, size_t len)
{
	const char *line;
	struct lines l;

	if (!lines_open(&l, path))
		return false;
	line = lines_next(&l);
	if (line)
		snprintf(buf, len, "%s", line);
	lines_close(&l);
	return line;
}

bool lab_sysfs_choice(const char *path, char *buf, size_t len)
{
	char line[256], *open, *close;

	if (!lab_read_line(path, line, sizeof(line)))
		return false;
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return false;
	*close = '\0';
	snprintf(buf, len, "%s", open + 1);
	return true;
}

/*
 * Small pages only (MADV_NOHUGEPAGE): the flag also keeps the mapping
 * from merging with a neighbour, so the step's VMA is its own; the THP
 * step is where huge pages are meant to appear.
 */
char *lab_mmap_anon(size_t pages)
{
	void *p = mmap(NULL, pages * LAB_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, pages * LAB_PAGE, MADV_NOHUGEPAGE);
	return p;
}
