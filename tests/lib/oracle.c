// SPDX-License-Identifier: GPL-2.0
/* Readers for the kernel's own interfaces, used as test oracles. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oracle.h"

int kcore_segments(struct kcore_segment *segs, int max)
{
	int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	int i, n = 0;

	if (fd < 0)
		return -errno;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		close(fd);
		return -EIO;
	}
	for (i = 0; i < eh.e_phnum && n < max; i++) {
		Elf64_Phdr ph;
		off_t off = eh.e_phoff + (off_t)i * eh.e_phentsize;

		if (pread(fd, &ph, sizeof(ph), off) != sizeof(ph)) {
			close(fd);
			return -EIO;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		segs[n].vaddr = ph.p_vaddr;
		segs[n].paddr = ph.p_paddr;
		segs[n].size = ph.p_memsz;
		n++;
	}
	close(fd);
	return n;
}

uint64_t kallsyms_lookup(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], sym[256], type;
	unsigned long long addr;
	uint64_t found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, sym) != 3)
			continue;
		if (!strcmp(sym, name)) {
			found = addr;
			break;
		}
	}
	fclose(f);
	return found;
}
