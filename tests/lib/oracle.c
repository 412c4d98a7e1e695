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

/* One program header of either class, as the 64-bit one. */
static int kcore_phdr(int fd, bool elf32, off_t off, Elf64_Phdr *ph)
{
	Elf32_Phdr ph32;

	if (!elf32)
		return pread(fd, ph, sizeof(*ph), off) == sizeof(*ph) ? 0 : -EIO;
	if (pread(fd, &ph32, sizeof(ph32), off) != sizeof(ph32))
		return -EIO;
	ph->p_type = ph32.p_type;
	ph->p_vaddr = ph32.p_vaddr;
	/* "No physical address" is all ones in either class. */
	ph->p_paddr = ph32.p_paddr == (Elf32_Addr)-1 ? (Elf64_Addr)-1 :
		      ph32.p_paddr;
	ph->p_memsz = ph32.p_memsz;
	return 0;
}

/* A 32-bit kernel's kcore (i386) is an ELFCLASS32 file. */
int kcore_segments(struct kcore_segment *segs, int max)
{
	int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	Elf32_Ehdr eh32;
	uint64_t phoff;
	unsigned int phnum, phentsize;
	bool elf32;
	int i, n = 0;

	if (fd < 0)
		return -errno;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		close(fd);
		return -EIO;
	}
	elf32 = eh.e_ident[EI_CLASS] == ELFCLASS32;
	if (elf32) {
		memcpy(&eh32, &eh, sizeof(eh32));
		phoff = eh32.e_phoff;
		phnum = eh32.e_phnum;
		phentsize = eh32.e_phentsize;
	} else {
		phoff = eh.e_phoff;
		phnum = eh.e_phnum;
		phentsize = eh.e_phentsize;
	}
	for (i = 0; i < (int)phnum && n < max; i++) {
		Elf64_Phdr ph;

		if (kcore_phdr(fd, elf32, phoff + (off_t)i * phentsize, &ph)) {
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
