// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope: look at a process's address space through the vmscope kernel
 * module's generic netlink family.  This file reads the command line and
 * hands over to one cmd_*.c per subcommand; vmscope(8) documents it all.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* VMSCOPE_VERSION comes from the Makefile: module/main.c's MODULE_VERSION. */

enum opt {
	OPT_JSON = 1 << 0,
	OPT_NO_COUNTS = 1 << 1,
	OPT_RUNS = 1 << 2,
	OPT_WIDTH = 1 << 3,
	OPT_DURATION = 1 << 4,
	OPT_COUNT = 1 << 5,
	OPT_CHECK_EXPLAIN = 1 << 6,
	OPT_SVG = 1 << 7,
};

enum operand {
	ARG_NONE,	/* no operands */
	ARG_PID_RANGE,	/* PID [START[-END]] */
	ARG_PID,	/* PID */
	ARG_PID_ADDR,	/* PID ADDR */
	ARG_OPT_PID,	/* [PID] */
	ARG_FILES,	/* A B: files, no module needed */
	ARG_FILE,	/* FILE: a file, no module needed */
};

struct subcommand {
	const char *name;
	int (*run)(struct vs_nl *nl, const struct vs_args *a);
	enum operand operands;
	unsigned int opts;
	const char *usage;
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "layout", cmd_layout, ARG_OPT_PID, OPT_JSON | OPT_SVG,
	  "layout [PID] [--json | --svg FILE]",
	  "Without PID: the kernel's virtual memory layout: paging levels, the\n"
	  "end of user space, and (with CAP_SYSLOG) where the kernel's regions\n"
	  "are.  With PID: a picture of that process's address space, top to\n"
	  "bottom, with its real addresses: kernel space, the stack and its\n"
	  "guard gap, the mmap area, heap, bss, data and text, the gaps between\n"
	  "them, and how far ASLR moved each region from where it would be\n"
	  "without randomisation.\n"
	  "\n"
	  "  -j, --json      one JSON document (docs/json.md)\n"
	  "  -s, --svg FILE  the picture as an SVG image (- for standard output)\n" },
	{ "maps", cmd_maps, ARG_PID, OPT_JSON | OPT_NO_COUNTS,
	  "maps PID [--json] [--no-counts]",
	  "The VMAs of process PID, as /proc/PID/maps lists them, with what\n"
	  "kind of memory each is and how many of its pages are resident,\n"
	  "swapped, shared copy-on-write, ...\n"
	  "\n"
	  "  -j, --json       one JSON document (docs/json.md)\n"
	  "  -n, --no-counts  leave out the page counts (no page walk)\n" },
	{ "pages", cmd_pages, ARG_PID_RANGE, OPT_JSON | OPT_RUNS,
	  "pages PID [START[-END]] [--runs] [--json]",
	  "What the page tables of process PID say about each page of\n"
	  "[START, END): hexadecimal addresses as /proc/PID/maps prints them,\n"
	  "END exclusive; START alone is one page; no range is all of user\n"
	  "space.  Each line is a run of pages that differ only in their PFN\n"
	  "and swap offset, which advance by one per page.\n"
	  "\n"
	  "  -r, --runs     join all equal neighbours (PFN of the first page)\n"
	  "  -j, --json     one JSON document, one element per page (with\n"
	  "                 --runs, per run); pages in no VMA are left out\n" },
	{ "map", cmd_map, ARG_PID_RANGE, OPT_WIDTH,
	  "map PID [START[-END]] [--width N]",
	  "A picture of which pages of each VMA of process PID are resident,\n"
	  "swapped out, the zero page, ...: one character per page, or per\n"
	  "group of pages in large VMAs (the scale is printed), and a legend.\n"
	  "\n"
	  "  -w, --width N  cells per row (default 64)\n" },
	{ "explain", cmd_explain, ARG_PID_ADDR, OPT_JSON,
	  "explain PID ADDR [--json]",
	  "What a read, a write and an instruction fetch at ADDR (hex) in\n"
	  "process PID would do, and why: the VMA, the page-table entries on\n"
	  "the way down, the page.\n"
	  "\n"
	  "  -j, --json     one JSON document (docs/json.md)\n" },
	{ "faults", cmd_faults, ARG_PID_RANGE,
	  OPT_JSON | OPT_DURATION | OPT_COUNT | OPT_CHECK_EXPLAIN,
	  "faults PID [START[-END]] [--duration S | --count N] [--check-explain] [--json]",
	  "The page faults process PID takes, as they happen, until it exits or\n"
	  "execs, or Ctrl-C: one line per fault with its time since the start,\n"
	  "thread, address, access (read, write, exec; by user code, by the\n"
	  "kernel, or gup: faulted in by the kernel without an exception), the\n"
	  "faulting instruction as file+offset, the page's state before and\n"
	  "after (as 'pages' words it) and what the fault did.  Only faults in\n"
	  "[START, END) with a range.  Events the module had to drop because the\n"
	  "reader was too slow are reported where they are missing.  A summary\n"
	  "ends it: outcomes per VMA, majors, COW copies, memory newly allocated,\n"
	  "events, drops and why it ended.\n"
	  "\n"
	  "  -d, --duration S    stop after S seconds (decimals allowed)\n"
	  "  -c, --count N       stop after N events\n"
	  "  -e, --check-explain ask explain's classifier before each fault and\n"
	  "                      report \"predicted X, happened Y\" where they differ\n"
	  "  -j, --json          JSON lines: an object per event, then a summary\n"
	  "                      object (docs/json.md)\n" },
	{ "diff", cmd_diff, ARG_FILES, OPT_JSON, "diff A.json B.json [--json]",
	  "What changed from snapshot A to snapshot B: two documents of\n"
	  "'vmscope pages ... --json' (per page or --runs) or two of 'vmscope\n"
	  "maps ... --json', e.g. before and after a step, or a parent and its\n"
	  "forked child.  Pages: runs of neighbouring pages with one change\n"
	  "(newly-present, unmapped, swapped-out/in, pfn-changed, became-shared,\n"
	  "became-exclusive, thp-collapsed/split, cached/uncached, ...), each\n"
	  "with its first page before and after.  Maps: the VMAs added,\n"
	  "removed or changed, and how their page counts moved.  A summary line\n"
	  "per kind of change ends the list.  - reads standard input.  Needs no\n"
	  "module.\n"
	  "\n"
	  "  -j, --json     one JSON document (docs/json.md)\n" },
	{ "svg", cmd_svg, ARG_FILE, OPT_SVG, "svg DOC.json [--svg FILE]",
	  "The picture of a saved JSON document as an SVG image, on standard\n"
	  "output: a document of 'vmscope layout PID --json' (the process's\n"
	  "address space) or of 'vmscope layout --json' (the kernel's layout).\n"
	  "Needs no module.\n"
	  "\n"
	  "  -s, --svg FILE  write the image to FILE instead\n" },
};

#define NR_SUBCOMMANDS ARRAY_SIZE(subcommands)

static void usage_all(FILE *f)
{
	unsigned int i;

	for (i = 0; i < NR_SUBCOMMANDS; i++)
		fprintf(f, "%s vmscope %s\n", i ? "      " : "usage:",
			subcommands[i].usage);
	fprintf(f, "       vmscope COMMAND --help\n");
}

static int usage_error(const struct subcommand *sc, const char *why)
{
	if (why)
		fprintf(stderr, "vmscope: %s\n", why);
	if (sc)
		fprintf(stderr, "usage: vmscope %s\n", sc->usage);
	else
		usage_all(stderr);
	return VS_EXIT_USAGE;
}

static bool parse_u64(const char *s, int base, u64 *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*v = strtoull(s, &end, base);
	return !errno && !*end;
}

/* Seconds, decimals allowed, above 0 and at most 10^6, to milliseconds. */
static bool parse_seconds(const char *s, u64 *ms)
{
	char *end;
	double v;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !(v > 0) || v > 1e6)
		return false;
	*ms = (u64)(v * 1000.0 + 0.5);
	if (!*ms)
		*ms = 1;
	return true;
}

/* Hexadecimal, with or without 0x, as /proc/PID/maps prints addresses. */
static bool parse_addr(const char *s, u64 *v)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return parse_u64(s, 16, v);
}

static bool parse_pid(const char *s, u32 *pid)
{
	u64 v;

	if (!parse_u64(s, 10, &v) || !v || v > INT_MAX)
		return false;
	*pid = v;
	return true;
}

/* START[-END] to page-aligned [start, end); START alone is one page. */
static const char *parse_range(const char *s, struct vs_args *a)
{
	char buf[64];
	char *dash;
	u64 start, end;

	if (strlen(s) >= sizeof(buf))
		return "range too long";
	snprintf(buf, sizeof(buf), "%s", s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (!parse_addr(buf, &start))
		return "START must be a hexadecimal address";
	if (!dash) {
		end = start + 1;
	} else {
		if (!parse_addr(dash + 1, &end))
			return "END must be a hexadecimal address";
		if (end <= start)
			return "END must be above START";
	}
	if (end > ULLONG_MAX - vs_page_size())
		return "END is too large";
	start &= ~(vs_page_size() - 1);
	end = (end + vs_page_size() - 1) & ~(vs_page_size() - 1);
	a->has_range = true;
	a->start = start;
	a->end = end;
	return NULL;
}

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "no-counts", no_argument, NULL, 'n' },
	{ "runs", no_argument, NULL, 'r' },
	{ "width", required_argument, NULL, 'w' },
	{ "duration", required_argument, NULL, 'd' },
	{ "count", required_argument, NULL, 'c' },
	{ "check-explain", no_argument, NULL, 'e' },
	{ "svg", required_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_args(const struct subcommand *sc, int argc, char **argv,
		      struct vs_args *a)
{
	const char *why;
	int c, n;
	u64 v;

	memset(a, 0, sizeof(*a));
	a->cmd = sc->name;
	a->width = 64;
	/* GNU getopt permutes: options may come after the operands. */
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jnrw:d:c:es:h", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: vmscope %s\n\n%s", sc->usage, sc->help);
			exit(VS_EXIT_OK);
		case 'j':
			if (!(sc->opts & OPT_JSON))
				return usage_error(sc, "--json: not for this command");
			a->json = true;
			break;
		case 'n':
			if (!(sc->opts & OPT_NO_COUNTS))
				return usage_error(sc, "--no-counts: not for this command");
			a->no_counts = true;
			break;
		case 'r':
			if (!(sc->opts & OPT_RUNS))
				return usage_error(sc, "--runs: not for this command");
			a->runs = true;
			break;
		case 'w':
			if (!(sc->opts & OPT_WIDTH))
				return usage_error(sc, "--width: not for this command");
			if (!parse_u64(optarg, 10, &v) || v < 8 || v > 1024)
				return usage_error(sc, "--width must be 8 to 1024");
			a->width = v;
			break;
		case 'd':
			if (!(sc->opts & OPT_DURATION))
				return usage_error(sc, "--duration: not for this command");
			if (!parse_seconds(optarg, &a->duration_ms))
				return usage_error(sc, "--duration: seconds, above 0, at most 1e6");
			break;
		case 'c':
			if (!(sc->opts & OPT_COUNT))
				return usage_error(sc, "--count: not for this command");
			if (!parse_u64(optarg, 10, &v) || !v)
				return usage_error(sc, "--count must be a positive number");
			a->count = v;
			break;
		case 'e':
			if (!(sc->opts & OPT_CHECK_EXPLAIN))
				return usage_error(sc, "--check-explain: not for this command");
			a->check_explain = true;
			break;
		case 's':
			if (!(sc->opts & OPT_SVG))
				return usage_error(sc, "--svg: not for this command");
			if (!*optarg)
				return usage_error(sc, "--svg: a file, - for standard output");
			a->svg = optarg;
			break;
		default:
			return usage_error(sc, "unknown option");
		}
	}

	if (a->json && a->svg)
		return usage_error(sc, "--json and --svg: one or the other");
	if (a->duration_ms && a->count)
		return usage_error(sc, "--duration and --count: one or the other");

	n = argc - optind;
	argv += optind;
	switch (sc->operands) {
	case ARG_NONE:
		if (n)
			return usage_error(sc, "unexpected operand");
		return 0;
	case ARG_FILES:
		if (n != 2)
			return usage_error(sc, n < 2 ? "two files needed" :
						       "unexpected operand");
		if (!strcmp(argv[0], "-") && !strcmp(argv[1], "-"))
			return usage_error(sc, "only one of A and B may be - (standard input)");
		a->files[0] = argv[0];
		a->files[1] = argv[1];
		return 0;
	case ARG_FILE:
		if (n != 1)
			return usage_error(sc, n < 1 ? "a file needed" :
						       "unexpected operand");
		a->files[0] = argv[0];
		return 0;
	case ARG_OPT_PID:
		if (n > 1)
			return usage_error(sc, "unexpected operand");
		if (n && !parse_pid(argv[0], &a->pid))
			return usage_error(sc, "PID must be a positive decimal number");
		return 0;
	case ARG_PID:
	case ARG_PID_RANGE:
	case ARG_PID_ADDR:
		if (!n)
			return usage_error(sc, "PID missing");
		if (!parse_pid(argv[0], &a->pid))
			return usage_error(sc, "PID must be a positive decimal number");
		break;
	}
	if (sc->operands == ARG_PID && n > 1)
		return usage_error(sc, "unexpected operand");
	if (sc->operands == ARG_PID_RANGE) {
		if (n > 2)
			return usage_error(sc, "unexpected operand");
		if (n == 2) {
			why = parse_range(argv[1], a);
			if (why)
				return usage_error(sc, why);
		}
	}
	if (sc->operands == ARG_PID_ADDR) {
		if (n != 2)
			return usage_error(sc, n < 2 ? "ADDR missing" :
						       "unexpected operand");
		if (!parse_addr(argv[1], &a->addr))
			return usage_error(sc, "ADDR must be a hexadecimal address");
	}
	return 0;
}

/* The loaded module's MODULE_VERSION, "" if it cannot be read. */
static void module_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/vmscope/version", "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/*
 * The family's version is the ABI: the module bumps it when an attribute
 * changes meaning, so answers of another version may be misread.
 */
static void warn_abi(const struct vs_nl *nl)
{
	if (nl->version == VMSCOPE_GENL_VERSION)
		return;
	fprintf(stderr,
		"vmscope: warning: the loaded vmscope module speaks netlink ABI version %u, this client version %d: its answers may be refused or misread; install the client and the module of one release\n",
		nl->version, VMSCOPE_GENL_VERSION);
}

/* Ours, and the loaded module's if there is one. */
static int print_version(void)
{
	char mod[64];
	struct vs_error err;
	struct vs_nl nl;
	int ret;

	printf("vmscope %s (netlink family %s, ABI version %d)\n",
	       VMSCOPE_VERSION, VMSCOPE_GENL_NAME, VMSCOPE_GENL_VERSION);
	ret = vs_nl_open(&nl, &err);
	if (ret == -ENOENT) {
		printf("module: not loaded\n");
		return VS_EXIT_OK;
	}
	if (ret) {
		printf("module: unknown (%s)\n",
		       err.msg[0] ? err.msg : strerror(-ret));
		return VS_EXIT_OK;
	}
	module_version(mod, sizeof(mod));
	printf("module: vmscope %s (ABI version %u)\n", mod[0] ? mod : "?",
	       nl.version);
	warn_abi(&nl);
	vs_nl_close(&nl);
	return VS_EXIT_OK;
}

/* A command's status, unless its output could not be written. */
static int finish(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "vmscope: writing output: %s\n",
			strerror(errno));
		return VS_EXIT_ERROR;
	}
	return ret;
}

static const char not_loaded[] =
	"vmscope: the vmscope module is not loaded (sudo insmod module/vmscope.ko)\n";

int main(int argc, char **argv)
{
	const struct subcommand *sc = NULL;
	struct vs_error err;
	struct vs_args a;
	struct vs_nl nl;
	unsigned int i;
	int ret;

	if (argc < 2)
		return usage_error(NULL, NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			for (i = 0; i < NR_SUBCOMMANDS; i++)
				if (!strcmp(argv[2], subcommands[i].name))
					printf("usage: vmscope %s\n\n%s",
					       subcommands[i].usage,
					       subcommands[i].help);
			return VS_EXIT_OK;
		}
		usage_all(stdout);
		printf("\nSee vmscope(8).  Needs the vmscope kernel module (not diff, svg).\n");
		return VS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return print_version();
	for (i = 0; i < NR_SUBCOMMANDS; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			sc = &subcommands[i];
	if (!sc) {
		fprintf(stderr, "vmscope: unknown command '%s'\n", argv[1]);
		return usage_error(NULL, NULL);
	}

	ret = parse_args(sc, argc - 1, argv + 1, &a);
	if (ret)
		return ret;
	if (sc->operands == ARG_FILES || sc->operands == ARG_FILE)
		return finish(sc->run(NULL, &a));

	ret = vs_nl_open(&nl, &err);
	if (ret == -ENOENT) {
		fputs(not_loaded, stderr);
		return VS_EXIT_ERROR;
	}
	if (ret) {
		fprintf(stderr, "vmscope: %s\n",
			err.msg[0] ? err.msg : strerror(-ret));
		return VS_EXIT_ERROR;
	}
	warn_abi(&nl);
	ret = sc->run(&nl, &a);
	vs_nl_close(&nl);
	return finish(ret);
}
