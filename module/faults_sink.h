/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-fault tracer as its transports see it: start a trace with a
 * sink, the sink gets the events and the end.  Nothing here shows the
 * session's insides (faults.h, for faults_*.c only).
 *
 * A transport (netlink.c, debugfs_faults.c) embeds a struct faults_sink
 * in its own reader state and implements faults_sink_ops.  The session
 * calls the ops from process context under its own lock, one call at a
 * time, and never after ->release(): from then on the transport may free
 * the reader's state.  faults_session_close() returns only after
 * ->release() has run.
 */
#ifndef VMSCOPE_FAULTS_SINK_H
#define VMSCOPE_FAULTS_SINK_H

#include <linux/types.h>

#include "pages.h"
#include "vmas.h"

struct cred;
struct faults_session;

/* A finished event, ready to be sent. */
struct faults_event {
	u64 seq;
	u64 time;
	u64 addr;
	u64 ip;
	u32 tid;		/* in the reader's pid namespace, 0 if gone */
	u32 access;
	u32 flags;
	u32 outcome;		/* enum vmscope_fault */
	u32 vm_fault;
	u32 retries;
	bool has_vm_fault;
	bool has_predicted;
	u32 predicted;
	bool has_ip_path;
	u64 ip_offset;
	bool has_vma;
	struct vmscope_vma_info vma;	/* path: the session's buffer */
	struct vmscope_page before, after;
	bool has_before, has_after;
	const char *ip_path;	/* the session's buffer */
};

/* The last message of a trace. */
struct faults_end {
	u32 id;
	u32 reason;		/* enum vmscope_trace_end */
	u32 ring_events;
	u64 events;		/* delivered */
	u64 dropped;		/* lost on the way: ring full, reader stalled */
	u64 missed;		/* handle_mm_fault() calls the kretprobe missed */
};

struct faults_sink;

struct faults_sink_ops {
	/* 0 sent; -EAGAIN no room now (retried later); else reader gone */
	int (*deliver)(struct faults_sink *sink, const struct faults_event *ev);
	/* the last message: 0 sent, -EAGAIN retried later, else reader gone */
	int (*end)(struct faults_sink *sink, const struct faults_end *end);
	/* true when the reader can never take a message again (optional) */
	bool (*gone)(struct faults_sink *sink);
	/* the session is done with the sink: last call, may free it */
	void (*release)(struct faults_sink *sink);
};

struct faults_sink {
	const struct faults_sink_ops *ops;
	const void *owner;	/* who may stop the trace: a socket, a file */
	/* set by the session before the first call: */
	u32 id;			/* the trace's */
	bool show_pfn;		/* the reader may see PFNs */
};

struct faults_start_req {
	pid_t pid;
	unsigned long start, end;
	bool show_pfn;		/* CAP_SYS_ADMIN, as pagemap */
	bool perfmon;		/* CAP_PERFMON or CAP_SYS_ADMIN, as perf */
	bool admin;		/* CAP_SYS_ADMIN: no per-user limit */
	bool check_explain;
	const struct cred *cred;	/* for access.c: the caller's */
	/* the socket opener's where it is not the caller (target.h), or NULL */
	const struct cred *opener;
	struct faults_sink *sink;	/* released by the session, even on error */
};

/* Tracing is allowed at all for @perfmon (else -EPERM, @why says so). */
int faults_may_trace(bool perfmon, const char **why);
/* 0 and the trace's ID and ring size, or -errno and @why. */
int faults_session_start(const struct faults_start_req *req, u32 *id,
			 u32 *ring_events, struct faults_session **sp,
			 const char **why);
/* FAULTS_STOP: the trace @id of @owner; -ENOENT if there is none */
int faults_session_stop(const void *owner, u32 id);
/* The reader of @s is gone: the trace ends, the sink is released. */
void faults_session_close(struct faults_session *s);
/* Look at every trace whose sink may be gone (NETLINK_URELEASE). */
void faults_sessions_check_readers(void);

#endif /* VMSCOPE_FAULTS_SINK_H */
