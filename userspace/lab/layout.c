// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab steps on the address space as a whole: the user/kernel
 * split (vmscope layout), and address space layout randomisation (this
 * program run twice, each run reporting where its regions landed).
 */
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

/* Read one byte at addr in a child; did the child die of SIGSEGV? */
static bool read_faults(u64 addr)
{
	struct rlimit no_core = { 0, 0 };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		setrlimit(RLIMIT_CORE, &no_core);
		lab_peek((const char *)(uintptr_t)addr);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

#ifdef __x86_64__
/* Does mmap() place a mapping above 47 bits when asked (5-level)? */
static bool high_mmap_works(void)
{
	void *hint = (void *)(1UL << 50);
	void *p = mmap(hint, LAB_PAGE, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool high;

	if (p == MAP_FAILED)
		return false;
	high = (uintptr_t)p >= 1UL << 47;
	munmap(p, LAB_PAGE);
	return high;
}

/* x86_64: 47-bit user addresses with 4-level paging, 56 with 5-level. */
static void check_user_bits(const struct lab_layout *l)
{
	bool five = high_mmap_works();

	lab_check(l->levels == (five ? 5u : 4u) &&
		  l->va_bits == (five ? 56u : 47u),
		  "mmap() with a hint above 47 bits %s, so %d-level paging and %d-bit user addresses, as vmscope says",
		  five ? "is honoured" : "is not honoured", five ? 5 : 4,
		  five ? 56 : 47);
	lab_check(l->task_size == (1ULL << l->va_bits) - LAB_PAGE,
		  "task_size is 2^%llu less one page",
		  (unsigned long long)l->va_bits);
}
#else
/* i386's 3 GiB split, arm64's VA_BITS: their own rules, not told here. */
static void check_user_bits(const struct lab_layout *l)
{
	lab_check_skip("the rule is x86_64's",
		       "%llu-level paging and %llu-bit user addresses against mmap()",
		       (unsigned long long)l->levels,
		       (unsigned long long)l->va_bits);
}
#endif

static void check_user_half(const struct lab_layout *l)
{
	bool ok;
	struct lab_pvma stack, vsys;

	check_user_bits(l);
	ok = lab_proc_vma_path(0, "[stack]", &stack);
	lab_check(ok &&
		  stack.end <= l->task_size,
		  "/proc/self/maps: our stack ends at %llx, below task_size",
		  (unsigned long long)stack.end);
	if (lab_proc_vma_path(0, "[vsyscall]", &vsys))
		lab_check(vsys.start >= l->task_size,
			  "/proc/self/maps: [vsyscall] (%llx) is the one kernel-half page listed there",
			  (unsigned long long)vsys.start);
}

static void check_kernel_half(const struct lab_layout *l)
{
	/* 32-bit: the kernel's half starts at TASK_SIZE (PAGE_OFFSET). */
	u64 kernel_half = l->va_bits <= 32 ? l->task_size :
			  ~0ULL << l->va_bits;
	u64 text;

	if (!l->kernel_visible) {
		lab_check_skip("kernel addresses need CAP_SYSLOG",
			       "PAGE_OFFSET and _text against /proc/kallsyms");
	} else {
		lab_check(l->page_offset >= kernel_half,
			  "page_offset %llx is in the kernel half (from %llx)",
			  (unsigned long long)l->page_offset,
			  (unsigned long long)kernel_half);
		text = lab_kallsyms("_text");
		if (text)
			lab_check(text == l->kernel_text,
				  "/proc/kallsyms: _text is %llx, as vmscope says",
				  (unsigned long long)text);
		else
			lab_check_skip("/proc/kallsyms hides addresses",
				       "_text against /proc/kallsyms");
	}
	if (l->kernel_visible)
		kernel_half = l->page_offset;
	lab_check(read_faults(kernel_half),
		  "a child reading %llx from user space dies of SIGSEGV",
		  (unsigned long long)kernel_half);
}

int lab_step_split(void)
{
	struct lab_layout l;

	lab_say("Every process's virtual addresses are split in two.  The low\n"
		" half, up to TASK_SIZE, is user space, different in every\n"
		" process.  The high half is the kernel's, the same in every\n"
		" process, and its page-table entries are supervisor-only, so a\n"
		" user access there faults.  From PAGE_OFFSET the kernel maps\n"
		" all physical memory (the direct map: __va(), __pa()); vmalloc,\n"
		" the struct page array (vmemmap), the kernel image and the\n"
		" modules follow.  See Documentation/arch/x86/x86_64/mm.rst;\n"
		" with KASLR the regions move at every boot.");
	lab_act("The layout, as vmscope reads it from the running kernel.");
	lab_show_layout();
	if (!lab_check(lab_layout(&l), "vmscope layout --json answered"))
		return lab_result();
	check_user_half(&l);
	check_kernel_half(&l);
	return lab_result();
}

/* The regions the aslr step compares, by vmscope kind or path. */
enum { R_TEXT, R_HEAP, R_LIBC, R_VDSO, R_STACK, NR_REGIONS };
static const char *const region_names[NR_REGIONS] = {
	"program", "heap", "libc", "vdso", "stack",
};

static bool region_base(int r, const char *exe, u64 *base)
{
	struct lab_pvma pv;
	struct lab_vma v;
	bool ok = false;

	switch (r) {
	case R_TEXT:
		ok = lab_proc_vma_path(0, exe, &pv);
		break;
	case R_HEAP:
		ok = lab_proc_vma_path(0, "[heap]", &pv);
		break;
	case R_LIBC:
		ok = lab_proc_vma_like(0, "/libc.so", &pv);
		break;
	case R_VDSO:
		ok = lab_proc_vma_path(0, "[vdso]", &pv);
		break;
	case R_STACK:
		ok = lab_proc_vma_path(0, "[stack]", &pv);
		break;
	}
	/* vmscope must agree that a VMA starts there. */
	*base = ok ? pv.start : 0;
	return ok && lab_vma_at(pv.start, &v) && v.start == pv.start;
}

/*
 * vmscope-lab __aslr-child [show]: where this run's regions are.  Prints
 * "bases" and one address per region, after vmscope maps if asked.
 */
int lab_aslr_child(bool show)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	u64 base[NR_REGIONS];
	void *heap = malloc(1);	/* a heap to find */
	bool agree = true;
	int r, ret;

	if (n <= 0 || !heap)
		return LAB_ERROR;
	exe[n] = '\0';
	ret = lab_observe_start();
	if (ret)
		return ret;
	if (show)
		lab_show_maps();
	for (r = 0; r < NR_REGIONS; r++)
		agree = region_base(r, exe, &base[r]) && agree;
	lab_check(agree,
		  "vmscope maps and /proc/self/maps: the same start for the program, heap, libc, vdso and stack"
		  );
	printf("bases");
	for (r = 0; r < NR_REGIONS; r++)
		printf(" %llx", (unsigned long long)base[r]);
	printf("\n");
	free(heap);
	return lab_result();
}

/* Run the child once; its bases, its other lines printed. */
static bool aslr_run(bool show, u64 *base)
{
	char *const argv[] = { "vmscope-lab", "__aslr-child",
			       show ? "show" : NULL, NULL };
	int fds[2], status, r;
	char line[512];
	bool got = false;
	FILE *f;
	pid_t pid;

	if (pipe(fds))
		return false;
	fflush(stdout);
	pid = fork();
	if (!pid) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv("/proc/self/exe", argv);
		_exit(LAB_ERROR);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long b[NR_REGIONS];

		if (sscanf(line, "bases %llx %llx %llx %llx %llx", &b[0],
			   &b[1], &b[2], &b[3], &b[4]) != NR_REGIONS) {
			fputs(line, stdout);
			continue;
		}
		for (r = 0; r < NR_REGIONS; r++)
			base[r] = b[r];
		got = true;
	}
	if (f)
		fclose(f);
	else
		close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return false;
	return got && WIFEXITED(status) && !WEXITSTATUS(status);
}

/* Why randomisation is off for us, or NULL. */
static const char *aslr_off(char *buf, size_t len)
{
	if (personality(0xffffffff) & ADDR_NO_RANDOMIZE)
		return "this process runs with ADDR_NO_RANDOMIZE (setarch -R)";
	if (lab_read_line("/proc/sys/kernel/randomize_va_space", buf, len) &&
	    !strcmp(buf, "0"))
		return "ASLR is off (kernel.randomize_va_space = 0)";
	return NULL;
}

int lab_step_aslr(void)
{
	u64 a[NR_REGIONS], b[NR_REGIONS];
	char buf[16];
	const char *why = aslr_off(buf, sizeof(buf));
	int r;

	lab_say("Where a program's code, heap, libraries and stack go is chosen\n"
		" at random at every exec(), so that an attack cannot know its\n"
		" addresses in advance: load_elf_binary() in fs/binfmt_elf.c\n"
		" randomises the program's base (a PIE) and the break, and the\n"
		" mmap base and stack top move too (arch_pick_mmap_layout(),\n"
		" randomize_stack_top()).  Here the lab runs itself twice; each\n"
		" run reports its own layout.");
	if (why)
		return lab_skip("%s", why);
	lab_act("First run: its VMAs, as vmscope maps lists them.");
	if (!lab_check(aslr_run(true, a), "the first run reported its bases"))
		return lab_result();
	lab_act("Second run, and where the regions were in each.");
	if (!lab_check(aslr_run(false, b), "the second run reported its bases"))
		return lab_result();
	printf("\n%-8s %-18s %s\n", "region", "run 1", "run 2");
	for (r = 0; r < NR_REGIONS; r++)
		printf("%-8s %-18llx %llx\n", region_names[r],
		       (unsigned long long)a[r], (unsigned long long)b[r]);
	printf("\n");
	for (r = 0; r < NR_REGIONS; r++)
		lab_check(a[r] != b[r], "the %s moved between the runs",
			  region_names[r]);
	return lab_result();
}
