// SPDX-License-Identifier: GPL-2.0
/*
 * Oracle readers: /proc/PID/maps, /proc/PID/pagemap, /proc/kpageflags,
 * /proc/kpagecount and mincore().  Nothing here knows about vmscope.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pagemap.h"
#include "util.h"

static int pread_all(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ERANGE;
		done += n;
	}
	return 0;
}

int pagemap_read(pid_t pid, uint64_t addr, size_t n, uint64_t *entries)
{
	char path[64];
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = pread_all(fd, entries, n * sizeof(*entries),
			(off_t)(addr / PAGE_SZ * sizeof(*entries)));
	close(fd);
	return err;
}

static int read_u64_at(const char *path, uint64_t index, uint64_t *value)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = pread_all(fd, value, sizeof(*value),
			(off_t)(index * sizeof(*value)));
	close(fd);
	return err;
}

int kpageflags_read(uint64_t pfn, uint64_t *flags)
{
	return read_u64_at("/proc/kpageflags", pfn, flags);
}

int kpagecount_read(uint64_t pfn, uint64_t *count)
{
	return read_u64_at("/proc/kpagecount", pfn, count);
}

int oracle_pages(pid_t pid, uint64_t addr, size_t n, struct oracle_page *out)
{
	uint64_t *pm = calloc(n, sizeof(*pm));
	size_t i;
	int err;

	if (!pm)
		return -ENOMEM;
	err = pagemap_read(pid, addr, n, pm);
	for (i = 0; i < n && !err; i++) {
		struct oracle_page *o = &out[i];

		memset(o, 0, sizeof(*o));
		o->addr = addr + i * PAGE_SZ;
		o->pm = pm[i];
		if (!(pm[i] & PM_PRESENT))
			continue;
		/* No struct page (PFN maps): both files end or say NOPAGE. */
		if (kpageflags_read(pm_pfn(pm[i]), &o->kflags) ||
		    (o->kflags & (1ULL << KPF_NOPAGE)))
			continue;
		err = kpagecount_read(pm_pfn(pm[i]), &o->kcount);
		o->has_kpage = !err;
	}
	free(pm);
	return err;
}

static long ksm_counter(const char *name)
{
	char path[96], *s;
	long v = -1;

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", name);
	s = read_file(path, NULL);
	if (s)
		v = strtol(s, NULL, 10);
	free(s);
	return v;
}

bool ksm_pages_exist(void)
{
	return ksm_counter("pages_shared") != 0 ||
	       ksm_counter("pages_sharing") != 0;
}

int oracle_count(pid_t pid, uint64_t start, uint64_t end,
		 struct oracle_counts *c)
{
	size_t i, n = (end - start) / PAGE_SZ;
	struct oracle_page *o = calloc(n ? n : 1, sizeof(*o));
	int err;

	if (!o)
		return -ENOMEM;
	memset(c, 0, sizeof(*c));
	err = oracle_pages(pid, start, n, o);
	for (i = 0; i < n && !err; i++) {
		if (o[i].pm & PM_SWAP)
			c->swap++;
		if (!(o[i].pm & PM_PRESENT))
			continue;
		c->present++;
		if (o[i].pm & PM_MMAP_EXCL)
			c->mmap_excl++;
		if (kpf(&o[i], KPF_ZERO_PAGE))
			c->zero++;
		else if (kpf(&o[i], KPF_THP))
			c->thp++;
	}
	free(o);
	return err;
}

/* Copy the first five whitespace-separated fields of line, single spaced. */
static const char *maps_head(const char *line, char *head, size_t len)
{
	const char *p = line;
	size_t used = 0;
	int field;

	head[0] = '\0';
	for (field = 0; field < 5; field++) {
		size_t w;

		p += strspn(p, " ");
		w = strcspn(p, " \n");
		if (!w || used + w + 2 > len)
			return NULL;
		if (field)
			head[used++] = ' ';
		memcpy(head + used, p, w);
		used += w;
		head[used] = '\0';
		p += w;
	}
	return p;
}

static int parse_maps_line(char *line, struct proc_vma *v)
{
	unsigned long long start, end, off, ino;
	const char *rest;

	memset(v, 0, sizeof(*v));
	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu", &start, &end,
		   v->perms, &off, &v->major, &v->minor, &ino) != 7)
		return -EINVAL;
	rest = maps_head(line, v->head, sizeof(v->head));
	if (!rest)
		return -EINVAL;
	v->start = start;
	v->end = end;
	v->offset = off;
	v->inode = ino;
	v->path = rest + strspn(rest, " ");
	return 0;
}

int proc_maps_read(pid_t pid, struct proc_maps *m)
{
	char path[64], *line, *save = NULL;
	int cap = 0;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	m->text = read_file(path, NULL);
	if (!m->text)
		return -errno;
	for (line = strtok_r(m->text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (m->n == cap) {
			struct proc_vma *bigger;

			cap = cap ? cap * 2 : 256;
			bigger = realloc(m->v, cap * sizeof(*m->v));
			if (!bigger) {
				proc_maps_free(m);
				return -ENOMEM;
			}
			m->v = bigger;
		}
		if (parse_maps_line(line, &m->v[m->n])) {
			proc_maps_free(m);
			return -EINVAL;
		}
		m->n++;
	}
	return 0;
}

void proc_maps_free(struct proc_maps *m)
{
	free(m->v);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

const struct proc_vma *proc_maps_find(const struct proc_maps *m,
				      uint64_t addr)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].start <= addr && addr < m->v[i].end)
			return &m->v[i];
	return NULL;
}

bool proc_maps_equal(const struct proc_maps *a, const struct proc_maps *b)
{
	int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].head, b->v[i].head) ||
		    strcmp(a->v[i].path, b->v[i].path))
			return false;
	return true;
}

int smaps_read(pid_t pid, struct smaps_vma **out)
{
	char path[64], *text, *line, *save = NULL;
	struct smaps_vma *v = NULL, *cur = NULL;
	int n = 0, cap = 0;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	text = read_file(path, NULL);
	if (!text)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a, b, kb;
		char perms[5];

		if (sscanf(line, "%llx-%llx %4s ", &a, &b, perms) == 3) {
			if (n == cap) {
				struct smaps_vma *bigger;

				cap = cap ? cap * 2 : 256;
				bigger = realloc(v, cap * sizeof(*v));
				if (!bigger) {
					free(v);
					free(text);
					return -ENOMEM;
				}
				v = bigger;
			}
			cur = &v[n++];
			memset(cur, 0, sizeof(*cur));
			cur->start = a;
			cur->end = b;
		} else if (!cur) {
			continue;
		} else if (sscanf(line, "Rss: %llu kB", &kb) == 1) {
			cur->rss_kb = kb;
		} else if (sscanf(line, "Pss: %llu kB", &kb) == 1) {
			cur->pss_kb = kb;
		} else if (sscanf(line, "Swap: %llu kB", &kb) == 1) {
			cur->swap_kb = kb;
		} else if (!strncmp(line, "VmFlags:", 8)) {
			snprintf(cur->vmflags, sizeof(cur->vmflags), "%s",
				 line + 8 + strspn(line + 8, " "));
		}
	}
	free(text);
	*out = v;
	return n;
}

int mincore_pages(void *addr, size_t n, bool *resident)
{
	unsigned char *vec = malloc(n ? n : 1);
	size_t i;

	if (!vec)
		return -ENOMEM;
	if (mincore(addr, n * PAGE_SZ, vec)) {
		int err = -errno;

		free(vec);
		return err;
	}
	for (i = 0; i < n; i++)
		resident[i] = vec[i] & 1;
	free(vec);
	return 0;
}

int file_cached_pages(const char *path, uint64_t pgoff, size_t n,
		      bool *resident)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;
	int err;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, n * PAGE_SZ, PROT_READ, MAP_SHARED, fd,
		 (off_t)(pgoff * PAGE_SZ));
	err = p == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return err;
	err = mincore_pages(p, n, resident);
	munmap(p, n * PAGE_SZ);
	return err;
}
