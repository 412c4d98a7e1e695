/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_FAULTS_H
#define VMSCOPE_FAULTS_H

#include <linux/hashtable.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "pages.h"
#include "target.h"
#include "vmas.h"

struct cred;
struct faults_text;
struct net;
struct trace_buffer;

/* What a probe saw, written to a session's ring (see faults_probe.c). */
enum faults_rec_kind {
	FAULTS_REC_EXC,		/* page_fault_user / page_fault_kernel */
	FAULTS_REC_ENTER,	/* handle_mm_fault() called */
	FAULTS_REC_EXIT,	/* handle_mm_fault() returned */
	FAULTS_REC_SIG,		/* SIGSEGV / SIGBUS generated for the task */
};

/*
 * A page as a probe read it, without locks (faults_read_page()), in the
 * page classifier's words (classify.h): the PFN always (redaction is for
 * delivery), and whether the entry was a NUMA hinting one.
 */
struct faults_page {
	struct vmscope_page p;
	bool protnone;
	bool valid;		/* read at all */
};

struct faults_rec {
	u64 time;		/* ktime_get_mono_fast_ns() */
	u64 addr;
	u64 ip;
	u32 tid;		/* global (init_pid_ns) thread ID */
	u32 tid_ns;		/* in the reader's pid namespace */
	u8 kind;		/* enum faults_rec_kind */
	u8 anon_vma;		/* ENTER: the VMA has no file */
	u8 has_predicted;	/* ENTER: check-explain's guess is in predicted */
	u8 predicted;		/* enum vmscope_fault */
	/*
	 * EXC: page faults were disabled (faulthandler_disabled(): NMI,
	 * atomic, pagefault_disable()): the kernel fixes it up, no
	 * handle_mm_fault() follows; ENTER: called from the exception
	 * (its regs argument), not by GUP
	 */
	u8 nofault;
	u8 from_exc;
	u8 remote;		/* ENTER: the mm is not current's (tid: who) */
	u64 lost;		/* faults_lost(): records lost when written */
	u64 file;		/* ENTER: the VMA's file, as a cookie only */
	/* EXC: error code; ENTER: FAULT_FLAG_*; EXIT: vm_fault_t; SIG: si_code */
	u32 a;
	u32 b;			/* SIG: signo */
	u64 vm_flags;		/* ENTER: the VMA's */
	struct faults_page page;	/* ENTER: before; EXIT: after */
};

/* A fault being put together from its records, per thread. */
struct faults_pending {
	bool used;
	bool evicted;		/* its slot was needed: not seen whole */
	bool nofault;		/* an exception with page faults disabled */
	bool remote;		/* faulted in by another process */
	bool has_exc, has_enter, has_exit;
	bool major;		/* a try said VM_FAULT_MAJOR, or retried TRIED */
	u32 tid;
	u32 tid_ns;
	u64 time;		/* of its first record */
	u64 last;		/* of its latest record */
	u64 addr;
	u64 ip;
	u32 access;		/* enum vmscope_access */
	u32 flags;		/* VMSCOPE_FAULT_F_* */
	u32 vm_fault;
	u32 retries;
	u32 signo, si_code;
	u64 vm_flags;		/* the VMA's, at handle_mm_fault()'s entry */
	u64 lost;		/* faults_lost() at its first record */
	u64 file;		/* the VMA's file cookie (faults_rec.file) */
	bool anon_vma;
	bool has_predicted;
	u32 predicted;
	struct faults_page before, after;
};

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

#define FAULTS_PENDING		32
#define FAULTS_RING_BYTES	(64 * 1024)	/* per CPU */
#define FAULTS_MAX_SESSIONS	256

struct faults_session {
	struct hlist_node by_mm;	/* faults_by_mm, RCU */
	struct list_head node;		/* faults_sessions, faults_mutex */
	struct kref ref;
	struct mm_struct *mm;		/* == target.mm, the lookup key */
	struct vmscope_target target;
	u32 id;
	/* the reader: a netlink socket (portid, net), or a debugfs file */
	u32 portid;
	struct net *net;
	struct faults_text *text;
	struct pid_namespace *pid_ns;	/* the reader's */
	unsigned long start, end;
	bool check_explain;		/* VMSCOPE_REQ_CHECK_EXPLAIN */
	struct trace_buffer *ring;
	u32 ring_events;
	atomic64_t dropped;
	u64 seq;
	u64 delivered;
	struct delayed_work work;
	struct mutex lock;		/* pairing state, delivery */
	int stop_reason;		/* -1, or enum vmscope_trace_end */
	bool send_end;			/* TRACE_END wanted */
	bool ended;
	unsigned int end_tries;
	bool have_held;
	struct faults_event held;	/* could not be sent: socket full */
	u64 dropped_seen;		/* drops already shown as SEQ gaps */
	char *ip_path;			/* VMSCOPE_PATH_MAX */
	struct path root;		/* the reader's root directory */
	char *root_name;		/* its name, from the initial root */
	unsigned long ip_vma_start, ip_vma_end;	/* ip_path's VMA */
	u64 ip_vma_pgoff;
	bool ip_vma_file;
	char *vma_path;			/* VMSCOPE_PATH_MAX */
	struct vmscope_vma_info vma;	/* the last event's VMA */
	u64 vma_file;			/* its file, as a cookie */
	bool vma_cache_visible;		/* its page-cache residency: access.c */
	struct faults_pending pending[FAULTS_PENDING];
	/* faults given up (evicted): their later records are not new ones */
	struct {
		u32 tid;
		u64 page;
	} gone[FAULTS_PENDING];
	unsigned int gone_next;
};

/* faults_probe.c */
u64 faults_lost(struct faults_session *s);
int faults_probes_get(void);
void faults_probes_put(void);
void faults_probes_exit(void);
void faults_session_publish(struct faults_session *s);
void faults_session_unpublish(struct faults_session *s);

/* faults_event.c */
int faults_session_drain(struct faults_session *s, bool flush_all);

/* faults_session.c */
struct faults_start_req {
	pid_t pid;
	unsigned long start, end;
	bool show_pfn;
	bool check_explain;
	const struct cred *cred;	/* for access.c: the caller's */
	u32 portid;			/* netlink: the socket to send to */
	struct net *net;
	struct faults_text *text;	/* or debugfs: the open file's queue */
};

int faults_session_start(const struct faults_start_req *req, u32 *id,
			 u32 *ring_events, const char **why);
int faults_session_stop(struct net *net, u32 portid, u32 id);
/* debugfs: the trace of an open file, ended when the file is closed */
struct faults_session *faults_session_start_text(const struct faults_start_req *req,
						 const char **why, int *err);
void faults_session_close(struct faults_session *s);
int faults_init(void);
void faults_exit(void);

/* debugfs_faults.c: delivery to a debugfs reader, from process context */
int faults_text_send(struct faults_session *s, const struct faults_event *ev);
void faults_text_end(struct faults_session *s, u32 reason);

/* netlink.c: delivery, from process context */
int vmscope_nl_send_fault(struct faults_session *s,
			  const struct faults_event *ev);
int vmscope_nl_send_trace_end(struct faults_session *s, u32 reason);

#endif /* VMSCOPE_FAULTS_H */
