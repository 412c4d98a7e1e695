/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmscope's subcommands: main.c parses a command line into vs_args and
 * runs one of them.  vmscope-lab runs them too, on its own process, so
 * that what it shows is what vmscope prints.
 */
#ifndef VMSCOPE_COMMANDS_H
#define VMSCOPE_COMMANDS_H

#include "libvmscope.h"

/* The command line of one subcommand. */
struct vs_args {
	const char *cmd;
	u32 pid;
	bool has_range;
	u64 start, end;		/* page aligned, end exclusive */
	u64 addr;		/* explain */
	bool json;
	bool runs;
	bool no_counts;
	unsigned int width;	/* map: cells per row */
	const char *files[2];	/* diff: A and B, "-" for standard input */
	u64 duration_ms;	/* faults: stop after this long, 0: no limit */
	u64 count;		/* faults: stop after this many events, 0: no */
	bool check_explain;	/* faults: compare with explain's prediction */
	const char *svg;	/* --svg FILE: the picture as SVG, "-": stdout */
};

/*
 * Each returns an exit status (VS_EXIT_*) and prints its own errors.
 * cmd_layout() with a PID hands over to cmd_proc_layout().  cmd_diff()
 * reads files only and is given no netlink socket (nl NULL).
 */
int cmd_layout(struct vs_nl *nl, const struct vs_args *a);
int cmd_proc_layout(struct vs_nl *nl, const struct vs_args *a);
int cmd_maps(struct vs_nl *nl, const struct vs_args *a);
int cmd_pages(struct vs_nl *nl, const struct vs_args *a);
int cmd_map(struct vs_nl *nl, const struct vs_args *a);
int cmd_explain(struct vs_nl *nl, const struct vs_args *a);
int cmd_diff(struct vs_nl *nl, const struct vs_args *a);
/* Opens a socket of its own for the trace: nl is not used for it. */
int cmd_faults(struct vs_nl *nl, const struct vs_args *a);

/*
 * The lines of "vmscope faults" (cmd_faults.c), for the lab: the header,
 * and an event (its time since start_ns), addresses w hex digits wide.
 */
void vs_faults_text_header(int w);
void vs_faults_text_event(const struct vs_fault_event *ev, u64 start_ns,
			  int w);

/*
 * --svg FILE (svg_out.c): json_doc(f, arg) writes the command's JSON
 * document, which is drawn (svg.h) into a->svg.  An exit status.
 */
int vs_svg_out(const struct vs_args *a,
	       int (*json_doc)(FILE *f, const void *arg), const void *arg);
/* "vmscope svg DOC.json": a saved document drawn on standard output. */
int cmd_svg(struct vs_nl *nl, const struct vs_args *a);

/* "vmscope: pid N: <extack or strerror>" on stderr; VS_EXIT_ERROR. */
int vs_report(const struct vs_args *a, const struct vs_error *err);

#endif /* VMSCOPE_COMMANDS_H */
