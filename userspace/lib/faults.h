/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trace of a process's page faults (FAULTS_START, module/uapi/vmscope.h):
 * started on a netlink socket of its own, because the trace belongs to
 * the socket that started it and its events arrive there unsolicited
 * (sequence number 0) between any replies; received as plain data; ended
 * by FAULTS_STOP, by the target's exit or exec, or by closing the socket.
 */
#ifndef VMSCOPE_FAULTS_H
#define VMSCOPE_FAULTS_H

#include <signal.h>
#include <stdbool.h>

#include "query.h"
#include "nl.h"

/* One fault (VMSCOPE_CMD_FAULT_EVENT). */
struct vs_fault_event {
	u64 seq;		/* 1, 2, ...: a gap is events dropped */
	u64 time_ns;		/* CLOCK_MONOTONIC */
	u32 tid;
	u64 addr;		/* not rounded */
	u32 access;		/* enum vmscope_access */
	u32 flags;		/* VMSCOPE_FAULT_F_* */
	bool has_ip;
	u64 ip;
	char *ip_path;		/* NULL when IP is in no file */
	u64 ip_offset;
	bool has_vma;
	struct vs_vma vma;
	bool has_before, has_after;
	struct vs_page before, after;
	u32 outcome;		/* enum vmscope_fault */
	bool has_predicted;	/* asked for with VMSCOPE_REQ_CHECK_EXPLAIN */
	u32 predicted;
	bool has_vm_fault;	/* handle_mm_fault() ran */
	u32 vm_fault;		/* its VM_FAULT_* bits */
	u32 retries;
};

/* How a trace ended (VMSCOPE_CMD_TRACE_END). */
struct vs_trace_end {
	u32 id;
	u32 reason;		/* enum vmscope_trace_end */
	bool has_events, has_dropped, has_missed;
	u64 events, dropped;
	/* handle_mm_fault() calls the probe missed, machine-wide */
	u64 missed;
};

struct vs_fault_queue {
	struct vs_fault_event *v;
	size_t head, n, cap;
};

struct vs_trace {
	struct vs_nl nl;	/* the trace's own socket */
	struct nl_cb *cb;
	u32 pid;
	u32 id;			/* VMSCOPE_TRACE_A_ID */
	u32 ring_events;	/* the ring's size, 0 if not told */
	u64 start_ns;		/* CLOCK_MONOTONIC just before FAULTS_START */
	bool started;		/* FAULTS_START answered */
	bool running;		/* started, no TRACE_END yet */
	bool ended;
	struct vs_trace_end end;
	struct vs_fault_queue q;	/* received, not yet handed out */
	/* the request awaiting its answer: its sequence number, its state */
	u32 req_seq;
	u8 req_cmd;
	bool req_done;
	struct vs_error *req_err;
	int bad;		/* a message that did not parse: -errno */
};

/*
 * Open a socket and start tracing pid's faults in [start, end) (0, 0:
 * all of them), req_flags VMSCOPE_REQ_CHECK_EXPLAIN or 0.  0, or -errno
 * with err filled (the kernel's extack text): nothing then to close.
 */
int vs_faults_start(struct vs_trace *t, u32 pid, u64 start, u64 end,
		    u32 req_flags, struct vs_error *err);

enum vs_faults_next {
	VS_FAULTS_TIMEOUT,	/* nothing within the time given */
	VS_FAULTS_EVENT,	/* *ev filled: vs_fault_event_free() it */
	VS_FAULTS_END,		/* the trace ended: t->end says how */
	VS_FAULTS_SIGNAL,	/* a signal not in sigmask arrived */
};

/*
 * The next event, waiting up to timeout_ms (-1: no limit) with the
 * signals in sigmask blocked (as ppoll(); NULL: the current mask).
 * VS_FAULTS_*, or -errno with err filled.  After the end it returns
 * VS_FAULTS_END again.
 */
int vs_faults_next(struct vs_trace *t, int timeout_ms,
		   const sigset_t *sigmask, struct vs_fault_event *ev,
		   struct vs_error *err);

/*
 * Ask the kernel to end the trace (FAULTS_STOP).  Events already on their
 * way are still handed out by vs_faults_next(), then VS_FAULTS_END.  0 if
 * the trace had ended already; -errno with err filled.
 */
int vs_faults_stop(struct vs_trace *t, struct vs_error *err);

/* Close the socket (ends the trace if it still runs) and free it all. */
void vs_faults_close(struct vs_trace *t);

/*
 * The message parsers, for the tests' synthetic messages too: a
 * FAULT_EVENT's attributes (tb: the top level), 0 or -EBADMSG/-ENOMEM;
 * a TRACE_END's.
 */
int vs_fault_event_parse(struct nlattr **tb, struct vs_fault_event *ev);
int vs_trace_end_parse(struct nlattr **tb, struct vs_trace_end *end);
void vs_fault_event_free(struct vs_fault_event *ev);

#endif /* VMSCOPE_FAULTS_H */
