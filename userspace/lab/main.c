// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab: the command line.  "vmscope-lab STEP" runs one step in
 * this process; "vmscope-lab all" runs every step, each in a fresh
 * process of its own (this program again), so that no step sees what an
 * earlier one left behind.  vmscope-lab(1) documents it all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

/* The order of the tour: the big picture first, then page by page. */
const struct lab_step lab_steps[] = {
	{ "split", "user space, kernel space and PAGE_OFFSET", lab_step_split },
	{ "aslr", "two runs, two layouts", lab_step_aslr },
	{ "lazy", "mmap() reserves, the first touch allocates", lab_step_lazy },
	{ "zero", "reading untouched memory maps the zero page",
	  lab_step_zero },
	{ "cow", "fork() shares pages until one side writes", lab_step_cow },
	{ "faults", "the faults of lazy, zero and cow, seen as they happen",
	  lab_step_faults },
	{ "private-shared", "MAP_PRIVATE and MAP_SHARED views of one file",
	  lab_step_private_shared },
	{ "malloc", "small blocks from the heap, big ones mapped alone",
	  lab_step_malloc },
	{ "brk", "moving the program break", lab_step_brk },
	{ "stack", "the stack grows down on demand", lab_step_stack },
	{ "swap", "pages swapped out and back in", lab_step_swap },
	{ "thp", "one fault, 512 pages: a transparent huge page",
	  lab_step_thp },
};

const size_t lab_nr_steps = ARRAY_SIZE(lab_steps);

static const char usage_text[] =
	"usage: vmscope-lab [--no-pause] [--svg DIR] STEP | all | list\n"
	"\n"
	"Sets up what a memory-management lesson describes, one step at a\n"
	"time, and shows vmscope's view of this process before and after;\n"
	"every claim is checked (\"check: ... ok\").  Needs the vmscope module.\n"
	"\n"
	"  list          the steps, in the order of the tour\n"
	"  all           every step, each in a fresh process\n"
	"  STEP          one step\n"
	"  --no-pause    do not wait for Enter (the default when stdin is\n"
	"                not a terminal)\n"
	"  --svg DIR     also draw this process's layout when a step starts\n"
	"                and when it ends: DIR/STEP-before.svg, STEP-after.svg\n"
	"\n"
	"Exit status: 0 every check held, 1 a check failed, 2 usage,\n"
	"3 could not run (module not loaded, ...), 4 step skipped here.\n"
	"See vmscope-lab(1) and docs/labs.md.\n";

static int usage(FILE *f, int status)
{
	fputs(usage_text, f);
	return status;
}

static const struct lab_step *find_step(const char *name)
{
	size_t i;

	for (i = 0; i < lab_nr_steps; i++)
		if (!strcmp(lab_steps[i].name, name))
			return &lab_steps[i];
	return NULL;
}

static void list(void)
{
	size_t i;

	for (i = 0; i < lab_nr_steps; i++)
		printf("%-16s %s\n", lab_steps[i].name, lab_steps[i].title);
}

static const char *svg_dir;	/* --svg DIR */

static int run_one(const struct lab_step *s)
{
	int ret;

	lab_heading(s);
	ret = lab_observe_start();
	if (ret)
		return ret;
	if (svg_dir)
		lab_svg_layout(svg_dir, s->name, "before");
	ret = s->run();
	if (svg_dir)
		lab_svg_layout(svg_dir, s->name, "after");
	/* A picture that could not be made is a failed check. */
	if (ret == LAB_OK)
		ret = lab_result();
	printf("\n%s: %s\n", s->name,
	       ret == LAB_OK ? "every check held" :
	       ret == LAB_SKIPPED ? "skipped" :
	       ret == LAB_FAILED ? "a check FAILED" : "could not run");
	fflush(stdout);
	return ret;
}

/* This program again, with one step, as a child; its exit status. */
static int run_child(const char *step)
{
	/* Keep the pauses when a person is at the keyboard. */
	const char *pause = lab_interactive ? "--pause" : "--no-pause";
	char *const argv[] = { "vmscope-lab", (char *)pause, (char *)step,
			       svg_dir ? "--svg" : NULL, (char *)svg_dir,
			       NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return lab_error("fork");
	if (!pid) {
		execv("/proc/self/exe", argv);
		perror("vmscope-lab: exec /proc/self/exe");
		_exit(LAB_ERROR);
	}
	if (waitpid(pid, &status, 0) < 0)
		return lab_error("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : LAB_FAILED;
}

static int run_all(void)
{
	size_t i, ok = 0, skipped = 0, failed = 0, errors = 0;
	char names[512] = "";

	for (i = 0; i < lab_nr_steps; i++) {
		int ret = run_child(lab_steps[i].name);

		if (ret == LAB_OK) {
			ok++;
			continue;
		}
		ret == LAB_SKIPPED ? skipped++ :
		ret == LAB_FAILED ? failed++ : errors++;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 " %s (%s)", lab_steps[i].name,
			 ret == LAB_SKIPPED ? "skipped" :
			 ret == LAB_FAILED ? "FAILED" : "could not run");
	}
	printf("\nvmscope-lab: %zu steps: %zu ok, %zu skipped, %zu failed, %zu could not run%s%s\n",
	       lab_nr_steps, ok, skipped, failed, errors,
	       names[0] ? ":" : "", names);
	if (failed)
		return LAB_FAILED;
	return errors ? LAB_ERROR : LAB_OK;
}

static char outbuf[BUFSIZ];

int main(int argc, char **argv)
{
	const struct lab_step *s;
	int pause = -1, i;
	const char *what = NULL;

	/* The other half of the aslr step, run by it, not by people. */
	if (argc >= 2 && !strcmp(argv[1], "__aslr-child")) {
		setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));
		return lab_aslr_child(argc > 2 && !strcmp(argv[2], "show"));
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-pause"))
			pause = 0;
		else if (!strcmp(argv[i], "--pause"))
			pause = 1;
		else if (!strcmp(argv[i], "--svg") && i + 1 < argc &&
			 argv[i + 1][0])
			svg_dir = argv[++i];
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout, LAB_OK);
		else if (argv[i][0] != '-' && !what)
			what = argv[i];
		else
			return usage(stderr, LAB_USAGE);
	}
	if (!what)
		return usage(stderr, LAB_USAGE);
	lab_interactive = pause < 0 ? isatty(STDIN_FILENO) : pause;
	/* A buffer of our own, so that no step's printf() allocates. */
	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));

	if (!strcmp(what, "list")) {
		list();
		return LAB_OK;
	}
	if (!strcmp(what, "all"))
		return run_all();
	s = find_step(what);
	if (!s) {
		fprintf(stderr,
			"vmscope-lab: no step '%s' (vmscope-lab list)\n",
			what);
		return LAB_USAGE;
	}
	return run_one(s);
}
