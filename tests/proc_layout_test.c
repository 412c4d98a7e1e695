// SPDX-License-Identifier: GPL-2.0
/*
 * A process's layout (GET_LAYOUT with a PID, and "vmscope layout PID")
 * against independent oracles: /proc/PID/stat's address fields, the
 * target's own sbrk(0) and getauxval(AT_SYSINFO_EHDR), /proc/PID/maps,
 * the executable's ELF header, and the addresses x86_64 Linux documents
 * for a process exec'd without randomisation (setarch -R): PIE at
 * 0x555555554000, the stack ending at 0x7ffffffff000 and, with an 8 MiB
 * stack rlimit, mmap_base at 0x7ffff7fff000.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "json_read.h"	/* userspace/lib */
#include "lib/nl.h"
#include "lib/util.h"
#include "../module/uapi/vmscope.h"

/* x86_64 without randomisation (see above). */
#define PIE_BASE	0x555555554000ULL
#define STACK_TOP	0x7ffffffff000ULL
#define MMAP_BASE_8M	0x7ffff7fff000ULL
#define STACK_8M	(8UL << 20)

/* ---- GET_LAYOUT with a PID, raw ---- */

#define GET_PROC(pid, p) do {						\
	struct tnl_result __res;					\
	int __r = tnl_get_proc(pid, p, &__res);				\
	if (__r == -ENOENT)						\
		SKIP(return, "vmscope module not loaded");		\
	ASSERT_EQ(0, __r) TH_LOG("GET_LAYOUT pid %d: %s (%s)", (int)(pid), \
				 strerror(-__r), __res.extack);		\
} while (0)

#define V(p, attr) ({							\
	ASSERT_TRUE((p)->has[attr]) TH_LOG("no " #attr);		\
	(p)->v[attr]; })

/* ---- oracles ---- */

struct maps_facts {
	uint64_t image_start;	/* lowest VMA of the executable */
	uint64_t stack_start, stack_end;
	uint64_t mmap_top;	/* highest end below the stack, no [vdso]... */
};

static bool special(const char *path)
{
	return !strcmp(path, "[stack]") || !strncmp(path, "[vvar", 5) ||
	       !strcmp(path, "[vdso]");
}

/*
 * One pass: /proc/PID/maps lists VMAs in address order, so the VMAs that
 * end below the stack are exactly those listed before [stack].
 */
static bool read_maps(pid_t pid, const char *exe, struct maps_facts *m)
{
	char path[64], *text, *line, *save = NULL;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	text = read_file(path, NULL);
	if (!text)
		return false;
	memset(m, 0, sizeof(*m));
	m->image_start = UINT64_MAX;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long s, e;
		char name[PATH_MAX] = "";

		if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %4095s", &s, &e,
			   name) < 2)
			continue;
		if (!strcmp(name, exe) && s < m->image_start)
			m->image_start = s;
		if (!strcmp(name, "[stack]")) {
			m->stack_start = s;
			m->stack_end = e;
		} else if (!m->stack_end && !special(name) &&
			   e > m->mmap_top && strcmp(name, exe) &&
			   strcmp(name, "[heap]")) {
			m->mmap_top = e;
		}
	}
	free(text);
	return m->stack_end && m->image_start != UINT64_MAX;
}

/* e_type and PT_INTERP of an ELF file: what exec decided from. */
static int elf_exec_type(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	bool interp = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC), i;

	if (fd < 0)
		return -1;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh)) {
		close(fd);
		return -1;
	}
	for (i = 0; i < eh.e_phnum; i++)
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) ==
		    sizeof(ph) && ph.p_type == PT_INTERP)
			interp = true;
	close(fd);
	if (eh.e_type == ET_EXEC)
		return VMSCOPE_EXEC_FIXED;
	return interp ? VMSCOPE_EXEC_PIE : VMSCOPE_EXEC_LOADER;
}

/* ---- targets ---- */

/*
 * Exec argv[0] (a full path) in a child with an 8 MiB stack rlimit, with
 * or without randomisation; returns once the exec has happened (the
 * close-on-exec pipe reads EOF), or -1.
 */
static pid_t spawn(char *const argv[], bool norandom)
{
	struct rlimit rl = { STACK_8M, STACK_8M };
	int fds[2], err = 0;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		setrlimit(RLIMIT_STACK, &rl);
		if (norandom)
			personality(ADDR_NO_RANDOMIZE);
		execv(argv[0], argv);
		err = errno;
		if (write(fds[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(fds[1]);
	if (pid > 0 && read(fds[0], &err, sizeof(err)) > 0) {
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(fds[0]);
	return pid;
}

static void reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static char sleep_path[PATH_MAX];

static pid_t spawn_sleep(bool norandom)
{
	char *argv[] = { sleep_path, "1000", NULL };

	if (!realpath("/bin/sleep", sleep_path))
		return -1;
	return spawn(argv, norandom);
}

/* ---- the mm fields ---- */

TEST(fields_match_proc_stat)
{
	static const struct {
		int field, attr;
	} pairs[] = {
		{ 26, VMSCOPE_PROC_A_START_CODE },
		{ 27, VMSCOPE_PROC_A_END_CODE },
		{ 28, VMSCOPE_PROC_A_START_STACK },
		{ 45, VMSCOPE_PROC_A_START_DATA },
		{ 46, VMSCOPE_PROC_A_END_DATA },
		{ 47, VMSCOPE_PROC_A_START_BRK },
		{ 48, VMSCOPE_PROC_A_ARG_START },
		{ 49, VMSCOPE_PROC_A_ARG_END },
		{ 50, VMSCOPE_PROC_A_ENV_START },
		{ 51, VMSCOPE_PROC_A_ENV_END },
	};
	pid_t pid = spawn_sleep(false);
	uint64_t f[64];
	struct tnl_proc p;
	unsigned int i;

	ASSERT_LT(0, pid);
	GET_PROC(pid, &p);
	ASSERT_TRUE(proc_stat_fields(pid, f, 64));
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		EXPECT_EQ(f[pairs[i].field], V(&p, pairs[i].attr))
			TH_LOG("/proc/PID/stat field %d", pairs[i].field);
	EXPECT_EQ(0, V(&p, VMSCOPE_PROC_A_COMPAT));
	reap(pid);
}

static uint64_t *shared_brk;

static int grow_heap(int step, void *arg)
{
	if (sbrk(1 << 20) == (void *)-1)
		return -1;
	*shared_brk = ADDR(sbrk(0));
	return 0;
}

TEST(brk_is_the_targets_sbrk)
{
	struct child c;
	struct tnl_proc p;

	shared_brk = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared_brk);
	ASSERT_EQ(0, child_start(&c, grow_heap, NULL));
	GET_PROC(c.pid, &p);
	EXPECT_EQ(*shared_brk, V(&p, VMSCOPE_PROC_A_BRK));
	EXPECT_LE(V(&p, VMSCOPE_PROC_A_START_BRK) + (1 << 20),
		  V(&p, VMSCOPE_PROC_A_BRK));
	child_stop(&c);
	munmap(shared_brk, 4096);
}

TEST(vdso_is_at_sysinfo_ehdr)
{
	struct tnl_proc p;

	GET_PROC(getpid(), &p);
	EXPECT_EQ(getauxval(AT_SYSINFO_EHDR), V(&p, VMSCOPE_PROC_A_VDSO));
}

TEST(exec_type_is_the_elf_headers)
{
	char busybox[PATH_MAX];
	char *argv[] = { busybox, "sleep", "1000", NULL };
	struct tnl_proc p;
	pid_t pid;

	pid = spawn_sleep(false);
	ASSERT_LT(0, pid);
	GET_PROC(pid, &p);
	EXPECT_EQ(elf_exec_type(sleep_path), V(&p, VMSCOPE_PROC_A_EXEC_TYPE));
	reap(pid);

	if (!realpath("/bin/busybox", busybox))
		SKIP(return, "no /bin/busybox for a second kind of executable");
	pid = spawn(argv, false);
	ASSERT_LT(0, pid);
	GET_PROC(pid, &p);
	EXPECT_EQ(elf_exec_type(busybox), V(&p, VMSCOPE_PROC_A_EXEC_TYPE));
	if (p.v[VMSCOPE_PROC_A_EXEC_TYPE] == VMSCOPE_EXEC_FIXED) {
		/* Linked at a fixed address: ASLR cannot move it. */
		EXPECT_EQ(V(&p, VMSCOPE_PROC_A_START_CODE),
			  V(&p, VMSCOPE_PROC_A_TEXT_NORAND));
	}
	reap(pid);
}

/* ---- randomisation ---- */

static void expect_bases(struct __test_metadata *_metadata, pid_t pid,
			 const struct tnl_proc *p)
{
	struct maps_facts m;

	ASSERT_TRUE(read_maps(pid, sleep_path, &m));
	/* The image's base moved as start_code did. */
	EXPECT_EQ(PIE_BASE, V(p, VMSCOPE_PROC_A_TEXT_NORAND) -
		  (V(p, VMSCOPE_PROC_A_START_CODE) - m.image_start));
	EXPECT_EQ(STACK_TOP, V(p, VMSCOPE_PROC_A_STACK_NORAND));
	EXPECT_EQ(MMAP_BASE_8M, V(p, VMSCOPE_PROC_A_MMAP_NORAND));
	EXPECT_EQ(m.stack_end, V(p, VMSCOPE_PROC_A_STACK_END));
	EXPECT_EQ(m.mmap_top, V(p, VMSCOPE_PROC_A_MMAP_BASE))
		TH_LOG("the highest mapping below the stack ends at mmap_base");
	EXPECT_EQ(VMSCOPE_EXEC_PIE, V(p, VMSCOPE_PROC_A_EXEC_TYPE));
	EXPECT_EQ(1, V(p, VMSCOPE_PROC_A_TOPDOWN));
}

/* Without randomisation, text, stack and mmap_base sit at their bases. */
static void expect_at_bases(struct __test_metadata *_metadata,
			    const struct tnl_proc *p)
{
	EXPECT_EQ(V(p, VMSCOPE_PROC_A_TEXT_NORAND),
		  V(p, VMSCOPE_PROC_A_START_CODE));
	EXPECT_EQ(V(p, VMSCOPE_PROC_A_STACK_NORAND),
		  V(p, VMSCOPE_PROC_A_STACK_END));
	EXPECT_EQ(V(p, VMSCOPE_PROC_A_MMAP_NORAND),
		  V(p, VMSCOPE_PROC_A_MMAP_BASE));
}

TEST(aslr_off_uses_the_documented_bases)
{
	struct maps_facts m;
	pid_t pid = spawn_sleep(true);
	struct tnl_proc p;

	ASSERT_LT(0, pid);
	GET_PROC(pid, &p);
	ASSERT_TRUE(read_maps(pid, sleep_path, &m));
	EXPECT_EQ(0, V(&p, VMSCOPE_PROC_A_RANDOMIZE));
	EXPECT_EQ(1, V(&p, VMSCOPE_PROC_A_NO_RANDOMIZE));
	/* The documented addresses, from /proc/PID/maps ... */
	EXPECT_EQ(PIE_BASE, m.image_start);
	EXPECT_EQ(STACK_TOP, m.stack_end);
	EXPECT_EQ(MMAP_BASE_8M, m.mmap_top);
	/* ... are where vmscope says the regions are and would be. */
	expect_bases(_metadata, pid, &p);
	expect_at_bases(_metadata, &p);
	/* personality(): exec leaves brk right after bss, too */
	EXPECT_EQ(V(&p, VMSCOPE_PROC_A_BRK_NORAND),
		  V(&p, VMSCOPE_PROC_A_START_BRK));
	EXPECT_EQ(0, V(&p, VMSCOPE_PROC_A_MMAP_RND));
	reap(pid);
}

/* randomize_va_space 0 turns ASLR off for every exec, as setarch -R does. */
TEST(randomize_va_space_0_uses_the_documented_bases)
{
	struct saved_sysctl save = { 0 };
	struct tnl_proc p;
	pid_t pid;

	ASSERT_EQ(0, sysctl_set(&save, "/proc/sys/kernel/randomize_va_space",
				"0"));
	pid = spawn_sleep(false);
	sysctl_restore(&save);
	ASSERT_LT(0, pid);
	GET_PROC(pid, &p);
	EXPECT_EQ(0, V(&p, VMSCOPE_PROC_A_RANDOMIZE));
	EXPECT_EQ(0, V(&p, VMSCOPE_PROC_A_NO_RANDOMIZE));
	expect_bases(_metadata, pid, &p);
	expect_at_bases(_metadata, &p);
	reap(pid);
}

/*
 * With ASLR on, each region is away from its base, the bases are still
 * the documented ones, and a second exec lands elsewhere.
 */
TEST(aslr_on_moves_every_region_from_its_base)
{
	struct saved_sysctl save = { 0 };
	uint64_t code[2], stack[2], mmap_base[2];
	struct tnl_proc p;
	int run;

	ASSERT_EQ(0, sysctl_set(&save, "/proc/sys/kernel/randomize_va_space",
				"2"));
	for (run = 0; run < 2; run++) {
		pid_t pid = spawn_sleep(false);

		ASSERT_LT(0, pid);
		GET_PROC(pid, &p);
		EXPECT_EQ(1, V(&p, VMSCOPE_PROC_A_RANDOMIZE));
		expect_bases(_metadata, pid, &p);
		EXPECT_NE(V(&p, VMSCOPE_PROC_A_TEXT_NORAND),
			  V(&p, VMSCOPE_PROC_A_START_CODE));
		/* brk: at least the page exec leaves after bss. */
		EXPECT_LT(V(&p, VMSCOPE_PROC_A_BRK_NORAND),
			  V(&p, VMSCOPE_PROC_A_START_BRK));
		EXPECT_GT(V(&p, VMSCOPE_PROC_A_STACK_NORAND),
			  V(&p, VMSCOPE_PROC_A_STACK_END));
		EXPECT_GT(V(&p, VMSCOPE_PROC_A_MMAP_NORAND),
			  V(&p, VMSCOPE_PROC_A_MMAP_BASE));
		EXPECT_NE(0, V(&p, VMSCOPE_PROC_A_MMAP_RND));
		/* The random factor is part of how far mmap_base moved. */
		EXPECT_LE(V(&p, VMSCOPE_PROC_A_MMAP_RND),
			  V(&p, VMSCOPE_PROC_A_MMAP_NORAND) -
			  V(&p, VMSCOPE_PROC_A_MMAP_BASE));
		code[run] = p.v[VMSCOPE_PROC_A_START_CODE];
		stack[run] = p.v[VMSCOPE_PROC_A_STACK_END];
		mmap_base[run] = p.v[VMSCOPE_PROC_A_MMAP_BASE];
		reap(pid);
	}
	sysctl_restore(&save);
	EXPECT_NE(code[0], code[1]);
	EXPECT_NE(stack[0], stack[1]);
	EXPECT_NE(mmap_base[0], mmap_base[1]);
}

/* ---- permissions ---- */

static int nobody_layout(void *arg)
{
	struct tnl_result res;
	struct tnl_proc p;
	int ret;

	ret = tnl_get_proc(1, &p, &res);
	if (ret != -EPERM && ret != -EACCES)
		return 10;
	if (!strstr(res.extack, "pagemap") || res.msgs)
		return 11;
	ret = tnl_get_proc(getpid(), &p, &res);
	if (ret || !p.has[VMSCOPE_PROC_A_START_CODE])
		return 12;
	return 0;
}

TEST(nobody_sees_its_own_layout_not_inits)
{
	struct tnl nl;

	NL_OPEN(&nl);
	tnl_close(&nl);
	EXPECT_EQ(0, run_as_nobody(nobody_layout, NULL));
}

/* ---- the client ---- */

static char client[PATH_MAX];

static bool find_client(void)
{
	return find_userspace_program("vmscope", "VMSCOPE_CLIENT", client);
}

/* The client's stdout for "layout PID [--json]", or NULL. */
static char *run_layout(pid_t pid, bool json, int *status)
{
	char pidstr[16], *argv[] = { client, "layout", pidstr,
				     json ? "--json" : NULL, NULL };
	int fd = memfd_create("layout", MFD_CLOEXEC), st;
	char path[64];
	pid_t child;

	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	*status = -1;
	if (fd < 0)
		return NULL;
	child = fork();
	if (child == 0) {
		dup2(fd, 1);
		execv(client, argv);
		_exit(127);
	}
	if (child > 0 && waitpid(child, &st, 0) == child && WIFEXITED(st))
		*status = WEXITSTATUS(st);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	argv[0] = read_file(path, NULL);
	close(fd);
	return argv[0];
}

#define NEED_CLIENT() do {						\
	if (!find_client())						\
		SKIP(return, "no client at %.200s", client);		\
	if (access("/sys/kernel/debug/vmscope", F_OK))			\
		SKIP(return, "vmscope module not loaded");		\
} while (0)

static void check_picture(struct __test_metadata *_metadata, pid_t pid)
{
	char *out, *line, *save = NULL, want[32];
	int status, lines = 0;
	struct tnl_proc p;

	GET_PROC(pid, &p);
	out = run_layout(pid, false, &status);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, status) TH_LOG("%s", out ?: "");
	EXPECT_EQ(NULL, strchr(out, '\033')) TH_LOG("colour into a file");
	/* Each region is drawn at its real address. */
	snprintf(want, sizeof(want), "0x%016llx",
		 (unsigned long long)V(&p, VMSCOPE_PROC_A_MMAP_BASE));
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("no %s", want);
	snprintf(want, sizeof(want), "0x%016llx",
		 (unsigned long long)V(&p, VMSCOPE_PROC_A_STACK_END));
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("no %s", want);
	snprintf(want, sizeof(want), "code 0x%llx",
		 (unsigned long long)V(&p, VMSCOPE_PROC_A_START_CODE));
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("no %s", want);
	EXPECT_NE(NULL, strstr(out, "TASK_SIZE"));
	EXPECT_NE(NULL, strstr(out, "kernel space"));
	EXPECT_NE(NULL, strstr(out, "stack guard gap"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		size_t width = strlen(line);

		EXPECT_GE(80, width) TH_LOG("too wide: '%.200s'", line ?: "");
	}
	EXPECT_LT(20, lines);
	free(out);
}

TEST(client_picture_fits_80_columns)
{
	pid_t pid;

	NEED_CLIENT();
	pid = spawn_sleep(false);
	ASSERT_LT(0, pid);
	check_picture(_metadata, pid);
	reap(pid);
	/* A larger process: this one, with its libraries and heap. */
	check_picture(_metadata, getpid());
}

static uint64_t hex_of(const struct jv *o, const char *key)
{
	unsigned long long v = 0;

	json_get_hex(o, key, &v);
	return v;
}

TEST(client_json_matches_proc_stat_and_tiles_user_space)
{
	const struct jv *proc, *regions, *aslr;
	char err[128], *out;
	uint64_t f[64], next;
	int status;
	struct jv *doc;
	pid_t pid;
	size_t i;

	NEED_CLIENT();
	pid = spawn_sleep(false);
	ASSERT_LT(0, pid);
	out = run_layout(pid, true, &status);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, status);
	doc = json_parse(out, err, sizeof(err));
	ASSERT_NE(NULL, doc) TH_LOG("%s:\n%s", err, out ?: "");
	ASSERT_TRUE(proc_stat_fields(pid, f, 64));
	proc = json_get(doc, "process");
	ASSERT_NE(NULL, proc);
	EXPECT_EQ(f[26], hex_of(proc, "start_code"));
	EXPECT_EQ(f[27], hex_of(proc, "end_code"));
	EXPECT_EQ(f[28], hex_of(proc, "start_stack"));
	EXPECT_EQ(f[45], hex_of(proc, "start_data"));
	EXPECT_EQ(f[47], hex_of(proc, "start_brk"));
	EXPECT_EQ(f[51], hex_of(proc, "env_end"));
	EXPECT_STREQ("pie", json_get_str(proc, "exec_type"));

	/* Regions, top to bottom, cover [0, task_size) without overlap. */
	regions = json_get(doc, "regions");
	ASSERT_NE(NULL, regions);
	ASSERT_EQ(J_ARR, regions->type);
	next = hex_of(proc, "task_size");
	for (i = 0; i < regions->len; i++) {
		EXPECT_EQ(next, hex_of(&regions->items[i], "end"))
			TH_LOG("region %zu", i);
		next = hex_of(&regions->items[i], "start");
	}
	EXPECT_EQ(0, next);

	/* address - unrandomised == offset, for each region. */
	aslr = json_get(doc, "aslr");
	ASSERT_NE(NULL, aslr);
	for (i = 0; i < aslr->len; i++) {
		const struct jv *r = &aslr->items[i];
		const char *off = json_get_str(r, "offset");
		long long d;

		ASSERT_NE(NULL, off) TH_LOG("aslr %s", aslr->keys[i]);
		d = strtoll(off + 1, NULL, 16) * (off[0] == '-' ? -1 : 1);
		EXPECT_EQ(hex_of(r, "address"), hex_of(r, "unrandomised") + d)
			TH_LOG("aslr %s", aslr->keys[i]);
	}
	EXPECT_EQ(4, aslr->len);
	json_free(doc);
	free(out);
	reap(pid);
}

TEST(client_refuses_a_second_operand)
{
	char *argv[] = { client, "layout", "1", "2", NULL };
	int st;
	pid_t pid;

	NEED_CLIENT();
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execv(client, argv);
		_exit(127);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(2, WEXITSTATUS(st));
}

TEST_HARNESS_MAIN
