/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-fault tracer's insides, for faults_*.c (and main.c's init):
 * transports see faults_sink.h only.
 */
#ifndef VMSCOPE_FAULTS_H
#define VMSCOPE_FAULTS_H

#include <linux/hashtable.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "faults_sink.h"
#include "pages.h"
#include "target.h"
#include "vmas.h"

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
	kuid_t uid;			/* the starter's, for the per-user limit */
	/* the reader; NULL once released (set, cleared under faults_mutex) */
	struct faults_sink *sink;
	struct pid_namespace *pid_ns;	/* the reader's */
	unsigned long start, end;
	bool check_explain;		/* VMSCOPE_REQ_CHECK_EXPLAIN */
	struct trace_buffer *ring;	/* NULL once drained or discarded */
	u32 ring_events;
	atomic64_t dropped;
	unsigned long missed_base;	/* the kretprobe's nmissed at start */
	u64 seq;
	u64 delivered;
	struct delayed_work work;
	struct mutex lock;		/* everything below, the sink's calls */
	int stop_reason;		/* -1, or enum vmscope_trace_end */
	int end_reason;			/* -1 while collecting */
	bool published;			/* the probes write to the ring */
	bool discard;			/* the reader stalled: count, don't send */
	bool finished;			/* all released but the struct */
	bool busy;			/* more to deliver at once */
	unsigned long stall_since;	/* jiffies: delivered last moved */
	u64 stall_delivered;
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
unsigned long faults_probes_missed(void);
void faults_session_publish(struct faults_session *s);
void faults_session_unpublish(struct faults_session *s);

/* faults_event.c */
int faults_session_drain(struct faults_session *s, bool flush_all);

/* faults_session.c */
/* Hand @ev to the reader (counts it delivered, or dropped when discarding) */
int faults_sink_deliver(struct faults_session *s, const struct faults_event *ev);
int faults_init(void);
void faults_exit(void);

#endif /* VMSCOPE_FAULTS_H */
