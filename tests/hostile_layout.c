// SPDX-License-Identifier: GPL-2.0
/*
 * A user without capabilities points its own start_code at memory the
 * kernel must not read through its direct map, then asks GET_LAYOUT
 * about itself (issue #22, item 1).  PR_SET_MM_MAP needs no capability
 * without exe_fd.  vmscope used to read "the ELF header of the file at
 * start_code" from the page cache through the direct map, from which
 * memfd_secret() removes its pages: an oops inside genl_rcv(), with
 * cb_lock held, which then hangs every generic netlink (un)registration.
 *
 * Not a *_test program on purpose: tests/host/hostile.sh runs it in a
 * guest of its own per kernel, as an unprivileged user, so that the
 * crash it looks for cannot take the guest suite down with it; the host
 * test counts a dead guest or a splat in its log as a failure.
 *
 * Each case writes the same ELF header (a PIE: PT_INTERP, and an
 * executable PT_LOAD at 0) into the memory at start_code.  From an
 * ordinary file (a memfd, tmpfs) vmscope reads it: exec type PIE, text
 * without ASLR at the documented PIE base.  From secret memory it must
 * not: exec type unknown, no text base.  Oracles: what the case set up,
 * /proc/self/stat.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/prctl.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
#include "lib/util.h"

/* fs/binfmt_elf.c: a PIE's first PT_LOAD at ELF_ET_DYN_BASE, no ASLR. */
#define PIE_BASE	0x555555554000ULL

/* The file page start_code will point at: an ELF header for a PIE. */
static void write_pie_header(void *page)
{
	Elf64_Ehdr *eh = page;
	Elf64_Phdr *ph = (Elf64_Phdr *)(eh + 1);

	memset(page, 0, 4096);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_DYN;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0].p_type = PT_INTERP;
	ph[1].p_type = PT_LOAD;
	ph[1].p_flags = PF_R | PF_X;
	ph[1].p_filesz = 4096;
	ph[1].p_memsz = 4096;
	ph[1].p_align = 4096;
}

/*
 * Map one page of fd shared, touch it with the header, and make it this
 * process's code: PR_SET_MM_MAP with everything else as it is now.
 */
static void *map_as_code(struct __test_metadata *_metadata, int fd,
			 const char *what)
{
	struct prctl_mm_map map = { .exe_fd = (__u32)-1 };
	uint64_t f[64];
	void *page;

	ASSERT_LE(0, fd) TH_LOG("%s: %m", what);
	ASSERT_EQ(0, ftruncate(fd, 4096)) TH_LOG("ftruncate: %m");
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, page) TH_LOG("mmap: %m");
	write_pie_header(page);
	ASSERT_TRUE(proc_stat_fields(getpid(), f, 64));
	map.start_code = (uintptr_t)page;
	map.end_code = (uintptr_t)page + 4096;
	map.start_stack = f[28];
	map.start_data = f[45];
	map.end_data = f[46];
	map.start_brk = f[47];
	map.brk = (uintptr_t)sbrk(0);
	map.arg_start = f[48];
	map.arg_end = f[49];
	map.env_start = f[50];
	map.env_end = f[51];
	ASSERT_EQ(0, prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof(map), 0))
		TH_LOG("PR_SET_MM_MAP: %m");
	ASSERT_TRUE(proc_stat_fields(getpid(), f, 64));
	ASSERT_EQ((uintptr_t)page, f[26]) TH_LOG("start_code did not move");
	return page;
}

/* That, then GET_LAYOUT about this process; returns the page. */
static void *ask_with_code_in(struct __test_metadata *_metadata, int fd,
			      const char *what, struct tnl_proc *p)
{
	void *code = map_as_code(_metadata, fd, what);
	struct tnl_result res;
	int ret = tnl_get_proc(getpid(), p, &res);

	ASSERT_EQ(0, ret) TH_LOG("GET_LAYOUT: %s (%s)", strerror(-ret),
				 res.extack);
	ASSERT_TRUE(p->has[VMSCOPE_PROC_A_START_CODE]);
	ASSERT_EQ((uintptr_t)code, p->v[VMSCOPE_PROC_A_START_CODE]);
	ASSERT_TRUE(p->has[VMSCOPE_PROC_A_EXEC_TYPE]);
	return code;
}

/* The point is a caller with no privileges at all: refuse to run as root. */
TEST(caller_has_no_capabilities)
{
	char *status = read_file("/proc/self/status", NULL);

	ASSERT_NE(NULL, status);
	EXPECT_NE(NULL, strstr(status, "\nCapEff:\t0000000000000000\n"))
		TH_LOG("run me as a user without capabilities");
	EXPECT_NE(0, getuid());
	free(status);
}

/* The positive control: an ordinary file's page cache is read. */
TEST(memfd_at_start_code_is_read)
{
	int fd = memfd_create("hostile_layout", MFD_CLOEXEC);
	struct tnl_proc p;

	ask_with_code_in(_metadata, fd, "memfd_create", &p);
	EXPECT_EQ(VMSCOPE_EXEC_PIE, p.v[VMSCOPE_PROC_A_EXEC_TYPE]);
	ASSERT_TRUE(p.has[VMSCOPE_PROC_A_TEXT_NORAND]);
	EXPECT_EQ(PIE_BASE, p.v[VMSCOPE_PROC_A_TEXT_NORAND]);
	close(fd);
}

TEST(secretmem_at_start_code_is_not_read)
{
	/* tests/host/hostile.sh boots with secretmem.enable=1 (off in 6.1) */
	int fd = syscall(SYS_memfd_secret, 0);
	struct tnl_proc p;
	Elf64_Ehdr *eh;

	eh = ask_with_code_in(_metadata, fd, "memfd_secret", &p);
	EXPECT_EQ(VMSCOPE_EXEC_UNKNOWN, p.v[VMSCOPE_PROC_A_EXEC_TYPE]);
	EXPECT_FALSE(p.has[VMSCOPE_PROC_A_TEXT_NORAND]);
	/* still there for its owner */
	EXPECT_EQ(0, memcmp(eh->e_ident, ELFMAG, SELFMAG));
	EXPECT_EQ(ET_DYN, eh->e_type);
	close(fd);
}

TEST_HARNESS_MAIN
