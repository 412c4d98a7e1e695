// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab step private-shared: one file mapped MAP_PRIVATE and
 * MAP_SHARED in the same process, read, then written through each.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lab.h"

#define FILE_PAGES 4

struct two_maps {
	int fd;
	char path[256];
	char *priv, *shared;
	u64 ps, ss;	/* their addresses */
};

static int open_file(struct two_maps *m)
{
	const char *dir = getenv("TMPDIR");
	size_t len = LAB_PAGE;
	char *page = malloc(len);
	int i;

	snprintf(m->path, sizeof(m->path), "%s/vmscope-lab.XXXXXX",
		 dir && *dir ? dir : "/tmp");
	if (!page)
		return lab_error("malloc");
	m->fd = mkstemp(m->path);
	if (m->fd < 0) {
		free(page);
		return lab_error(m->path);
	}
	memset(page, 'A', len);
	for (i = 0; i < FILE_PAGES; i++)
		if (write(m->fd, page, len) != (ssize_t)len) {
			free(page);
			return lab_error("writing the file");
		}
	free(page);
	m->priv = mmap(NULL, FILE_PAGES * LAB_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE, m->fd, 0);
	m->shared = mmap(NULL, FILE_PAGES * LAB_PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, m->fd, 0);
	if (m->priv == MAP_FAILED || m->shared == MAP_FAILED)
		return lab_error("mmap of the file");
	m->ps = (uintptr_t)m->priv;
	m->ss = (uintptr_t)m->shared;
	return LAB_OK;
}

static char file_byte(const struct two_maps *m, int page)
{
	char c = 0;

	if (pread(m->fd, &c, 1, page * LAB_PAGE) != 1)
		return 0;
	return c;
}

static void show_both(const struct two_maps *m)
{
	lab_show("map", m->ps, m->ps + FILE_PAGES * LAB_PAGE);
	lab_show("map", m->ss, m->ss + FILE_PAGES * LAB_PAGE);
}

static void check_same_pfns(const struct two_maps *m)
{
	struct lab_page pv[FILE_PAGES], sv[FILE_PAGES];
	size_t i, same = 0;

	if (!lab_root()) {
		lab_check_skip("PFNs need root",
			       "both mappings map the same page-cache pages"
			       );
		return;
	}
	lab_pages(m->ps, m->ps + FILE_PAGES * LAB_PAGE, pv, FILE_PAGES);
	lab_pages(m->ss, m->ss + FILE_PAGES * LAB_PAGE, sv, FILE_PAGES);
	for (i = 0; i < FILE_PAGES; i++) {
		u64 pfn = lab_pagemap_pfn(0, m->ps + i * LAB_PAGE);

		same += pfn && pfn == lab_pagemap_pfn(0, m->ss + i * LAB_PAGE) &&
			pv[i].pfn == pfn && sv[i].pfn == pfn;
	}
	lab_check(same == FILE_PAGES,
		  "pagemap and vmscope: both mappings map the same 4 PFNs, the file's page-cache pages"
		  );
}

static void after_reads(const struct two_maps *m)
{
	bool ok;
	struct lab_count pc, sc;
	int sum = 0, i;

	for (i = 0; i < FILE_PAGES; i++)
		sum += m->priv[i * LAB_PAGE] + m->shared[i * LAB_PAGE];
	show_both(m);
	lab_check(sum == 2 * FILE_PAGES * 'A',
		  "both mappings read the file's bytes ('A')");
	ok = lab_count(m->ps, m->ps + FILE_PAGES * LAB_PAGE, &pc) &&
	     lab_count(m->ss, m->ss + FILE_PAGES * LAB_PAGE, &sc);
	lab_check(ok && pc.file == FILE_PAGES && sc.file == FILE_PAGES &&
		  pc.cow == FILE_PAGES && sc.cow == 0,
		  "vmscope: 4 file pages in each; in the private one a write would copy (%zu), in the shared one not (%zu)",
		  pc.cow,
		  sc.cow);
	lab_check(lab_pagemap_count(m->ps, FILE_PAGES, PM_PRESENT | PM_FILE) ==
		  FILE_PAGES &&
		  lab_pagemap_count(m->ss, FILE_PAGES, PM_PRESENT | PM_FILE) ==
		  FILE_PAGES,
		  "pagemap: all 8 entries present, file pages");
	check_same_pfns(m);
}

static void after_private_write(const struct two_maps *m)
{
	struct lab_page v[FILE_PAGES];
	size_t n;

	lab_show("pages", m->ps, m->ps + FILE_PAGES * LAB_PAGE);
	n = lab_pages(m->ps, m->ps + FILE_PAGES * LAB_PAGE, v, FILE_PAGES);
	lab_check(n == FILE_PAGES && v[0].anon && !v[0].file && v[0].write &&
		  v[0].exclusive && v[1].file && v[1].cow,
		  "vmscope: private page 0 is an anonymous page of ours now; page 1 is still the file's");
	lab_check(lab_pagemap_count(m->ps, 1, PM_PRESENT) == 1 &&
		  lab_pagemap_count(m->ps, 1, PM_FILE) == 0,
		  "pagemap: private page 0 is present and not a file page");
	lab_check(file_byte(m, 0) == 'A' && m->shared[0] == 'A',
		  "the file still has 'A' in page 0 (read with pread())");
	if (lab_root())
		lab_check(lab_pagemap_pfn(0, m->ps) !=
			  lab_pagemap_pfn(0, m->ss),
			  "pagemap: private page 0 has its own PFN");
}

static void after_shared_write(const struct two_maps *m)
{
	struct lab_page v[FILE_PAGES];
	size_t n;

	lab_show("map", m->ps, m->ps + FILE_PAGES * LAB_PAGE);
	lab_check(file_byte(m, 1) == 'S',
		  "the file has 'S' in page 1 now (read with pread())");
	lab_check(m->priv[LAB_PAGE] == 'S' && m->priv[0] == 'P',
		  "the private mapping reads 'S' in page 1 (never written there) and its own 'P' in page 0");
	n = lab_pages(m->ss, m->ss + FILE_PAGES * LAB_PAGE, v, FILE_PAGES);
	lab_check(n == FILE_PAGES && v[1].file && lab_mapped(&v[1], 2) &&
		  lab_mapped(&v[0], 1),
		  "vmscope: file page 1 is mapped twice (once per mapping), page 0 once");
	lab_check(lab_pagemap_count(m->ss + LAB_PAGE, 1, PM_MMAP_EXCL) == 0 &&
		  lab_pagemap_count(m->ss, 1, PM_MMAP_EXCL) == 1,
		  "pagemap: the same (page 1 not mapped once, page 0 once)");
}

int lab_step_private_shared(void)
{
	char name[VS_NAME_LEN];
	struct two_maps m;
	int ret;

	lab_say("A file mapped MAP_SHARED maps the page cache itself: a write\n"
		" lands in the file.  MAP_PRIVATE maps the same page-cache pages\n"
		" read-only; the first write to one copies it into an anonymous\n"
		" page of the process (wp_page_copy() via do_wp_page(), or\n"
		" do_cow_fault() if the page was not mapped yet) and the file\n"
		" never sees that write.  Pages of a private mapping that were\n"
		" never written still show the file, later changes included.");
	ret = open_file(&m);
	if (ret)
		return ret;
	lab_note("the file is %s, 4 pages of 'A'",
		 vs_name(m.path, name, sizeof(name)));

	lab_act("Mapping it twice, MAP_PRIVATE at %llx and MAP_SHARED at\n"
		" %llx, and reading every page of both.",
		(unsigned long long)m.ps, (unsigned long long)m.ss);
	after_reads(&m);

	lab_act("Writing 'P' to page 0 through the private mapping.");
	m.priv[0] = 'P';
	after_private_write(&m);

	lab_act("Writing 'S' to page 1 through the shared mapping.");
	m.shared[LAB_PAGE] = 'S';
	after_shared_write(&m);

	munmap(m.priv, FILE_PAGES * LAB_PAGE);
	munmap(m.shared, FILE_PAGES * LAB_PAGE);
	close(m.fd);
	unlink(m.path);
	return lab_result();
}
