// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope faults: the page faults a process takes, as they happen, with
 * each page's state before and after, and a summary at the end.
 *
 * SIGINT and SIGTERM are blocked but while waiting for the next event
 * (ppoll()), so a signal never interrupts the printing of an event: it
 * stops the trace cleanly (FAULTS_STOP), the events already on their way
 * are printed, then the summary, and the exit status is 0.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "commands.h"

/* After FAULTS_STOP, how long to wait for the kernel's TRACE_END. */
#define VS_STOP_DRAIN_MS 5000

/*
 * The target exited and nothing came for this long while we read: the
 * module's TRACE_END is not coming (it follows the last event at once
 * when the reader keeps up).  How often we look whether it exited.
 */
#define VS_GONE_WAIT_MS 5000
#define VS_WATCH_MS 1000

/* Outcomes by enum vmscope_fault, and one slot for values unknown here. */
#define VS_NR_OUTCOMES (VMSCOPE_FAULT_MAX + 2)

struct vma_stat {
	bool in_vma;
	u64 start, end;
	u32 kind;
	char *path;
	u64 events;
	u64 by_outcome[VS_NR_OUTCOMES];
};

struct faults_run {
	const struct vs_args *a;
	struct vs_trace t;
	struct json j;
	u64 events;		/* printed */
	u64 last_seq;
	u64 gaps;		/* events missing between the SEQs printed */
	u64 by_outcome[VS_NR_OUTCOMES];
	u64 majors, cow_copies, cow_reuses, new_bytes, mispredicted;
	struct vma_stat *vmas;
	size_t nvmas, cap;
	const char *stopped_by;	/* what made us stop it, NULL if not us */
	bool lost_end;		/* the target exited, no TRACE_END came */
	int pidfd;		/* the target's, -1: kill(pid, 0) instead */
	int w;			/* address width */
};

/*
 * Set by the handler, which runs only inside ppoll() (the signals are
 * blocked everywhere else), and read after it returns: no volatile needed.
 */
static sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static size_t outcome_slot(u32 outcome)
{
	return outcome <= VMSCOPE_FAULT_MAX ? outcome : VMSCOPE_FAULT_MAX + 1;
}

static const char *outcome_name(size_t slot)
{
	return slot <= VMSCOPE_FAULT_MAX ? vs_fault_name(slot) : "unknown";
}

/* Outcomes that gave the process a page frame it did not have. */
static bool outcome_allocates(u32 outcome)
{
	switch (outcome) {
	case VMSCOPE_FAULT_MINOR_ANON:
	case VMSCOPE_FAULT_STACK_GROW:
	case VMSCOPE_FAULT_MINOR_CACHE_COW:
	case VMSCOPE_FAULT_MINOR_SHMEM:
	case VMSCOPE_FAULT_COW_COPY:
		return true;
	default:
		return false;
	}
}

static bool outcome_major(u32 outcome)
{
	return outcome == VMSCOPE_FAULT_MAJOR_FILE ||
	       outcome == VMSCOPE_FAULT_MAJOR_SWAP;
}

static bool mispredicted(const struct vs_fault_event *ev)
{
	return ev->has_predicted &&
	       ((ev->flags & VMSCOPE_FAULT_F_MISPREDICTED) ||
		ev->predicted != ev->outcome);
}

static u64 since_ns(u64 start_ns, const struct vs_fault_event *ev)
{
	return ev->time_ns > start_ns ? ev->time_ns - start_ns : 0;
}

static u64 rel_ns(const struct faults_run *r, const struct vs_fault_event *ev)
{
	return since_ns(r->t.start_ns, ev);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

static struct vma_stat *vma_of(struct faults_run *r,
			       const struct vs_fault_event *ev)
{
	struct vma_stat *v;
	size_t i;

	/*
	 * One VMA while it grows: the same when it starts or ends at the
	 * same address (a heap grows at its end, a stack at its start), as
	 * "vmscope diff" decides it.
	 */
	for (i = 0; i < r->nvmas; i++) {
		v = &r->vmas[i];
		if (v->in_vma != ev->has_vma)
			continue;
		if (!v->in_vma)
			return v;
		if (v->start != ev->vma.start && v->end != ev->vma.end)
			continue;
		if (ev->vma.start < v->start)
			v->start = ev->vma.start;
		if (ev->vma.end > v->end)
			v->end = ev->vma.end;
		return v;
	}
	if (r->nvmas == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		v = realloc(r->vmas, cap * sizeof(*v));
		if (!v)
			return NULL;
		r->vmas = v;
		r->cap = cap;
	}
	v = &r->vmas[r->nvmas];
	memset(v, 0, sizeof(*v));
	v->in_vma = ev->has_vma;
	if (v->in_vma) {
		v->start = ev->vma.start;
		v->end = ev->vma.end;
		v->kind = ev->vma.kind;
		v->path = strdup(ev->vma.path);
		if (!v->path)
			return NULL;
	}
	r->nvmas++;
	return v;
}

static int count_event(struct faults_run *r, const struct vs_fault_event *ev)
{
	size_t slot = outcome_slot(ev->outcome);
	struct vma_stat *v = vma_of(r, ev);

	if (!v)
		return -ENOMEM;
	r->events++;
	r->by_outcome[slot]++;
	v->events++;
	v->by_outcome[slot]++;
	if (outcome_major(ev->outcome))
		r->majors++;
	if (ev->outcome == VMSCOPE_FAULT_COW_COPY)
		r->cow_copies++;
	if (ev->outcome == VMSCOPE_FAULT_COW_REUSE)
		r->cow_reuses++;
	if (outcome_allocates(ev->outcome))
		r->new_bytes += ev->has_after &&
				ev->after.state == VMSCOPE_STATE_PRESENT ?
				vs_page_size() << ev->after.order :
				vs_page_size();
	if (mispredicted(ev))
		r->mispredicted++;
	return 0;
}

/* ---- text ---- */

/* The flags that say what a page is, of those "pages" prints. */
#define VS_STATE_FLAGS (VMSCOPE_PAGE_F_WRITE | VMSCOPE_PAGE_F_ZERO | \
			VMSCOPE_PAGE_F_HUGE_ZERO | VMSCOPE_PAGE_F_ANON | \
			VMSCOPE_PAGE_F_FILE | VMSCOPE_PAGE_F_KSM | \
			VMSCOPE_PAGE_F_THP | VMSCOPE_PAGE_F_EXCLUSIVE | \
			VMSCOPE_PAGE_F_COW)

/* "none", "present(anon,write,exclusive)", "swap", "-" if unknown. */
static const char *state_str(bool has, const struct vs_page *p, char *buf,
			     size_t len)
{
	char flags[128];

	if (!has) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (!(p->flags & VS_STATE_FLAGS)) {
		snprintf(buf, len, "%s", vs_state_name(p->state));
		return buf;
	}
	vs_flags_str(vs_page_flag_names, p->flags & VS_STATE_FLAGS, flags,
		     sizeof(flags));
	snprintf(buf, len, "%s(%s)", vs_state_name(p->state), flags);
	return buf;
}

static const char *outcome_colour(u32 outcome)
{
	switch (outcome) {
	case VMSCOPE_FAULT_SEGV_MAPERR:
	case VMSCOPE_FAULT_SEGV_ACCERR:
	case VMSCOPE_FAULT_SEGV_GUARD:
	case VMSCOPE_FAULT_SIGBUS:
	case VMSCOPE_FAULT_OOM:
	case VMSCOPE_FAULT_KERNEL_FIXUP:
		return vs_c_red;
	case VMSCOPE_FAULT_MAJOR_FILE:
	case VMSCOPE_FAULT_MAJOR_SWAP:
	case VMSCOPE_FAULT_INCOMPLETE:
		return vs_c_yellow;
	case VMSCOPE_FAULT_COW_COPY:
	case VMSCOPE_FAULT_COW_REUSE:
		return vs_c_magenta;
	default:
		return vs_c_green;
	}
}

void vs_faults_text_header(int w)
{
	printf("%s%11s %7s %-*s %-12s %-28s %s%s\n", vs_c_bold, "TIME(s)",
	       "TID", w, "ADDRESS", "ACCESS", "IP",
	       "BEFORE -> AFTER  OUTCOME", vs_c_reset);
}

void vs_faults_text_event(const struct vs_fault_event *ev, u64 start_ns, int w)
{
	char access[24], ip[64], before[160], after[160], name[VS_NAME_LEN];
	u64 t = since_ns(start_ns, ev);

	snprintf(access, sizeof(access), "%s %s", vs_access_name(ev->access),
		 ev->flags & VMSCOPE_FAULT_F_GUP ? "gup" :
		 ev->flags & VMSCOPE_FAULT_F_USER ? "user" : "kernel");
	if (ev->ip_path)
		snprintf(ip, sizeof(ip), "%.40s+0x%llx",
			 vs_name(base_name(ev->ip_path), name, sizeof(name)),
			 ev->ip_offset);
	else if (ev->has_ip)
		snprintf(ip, sizeof(ip), "0x%llx", ev->ip);
	else
		snprintf(ip, sizeof(ip), "-");
	printf("%4llu.%06llu %7u %0*llx %-12s %-28s %s -> %s  %s%s%s\n",
	       t / 1000000000ULL, t / 1000 % 1000000, ev->tid, w, ev->addr,
	       access, ip,
	       state_str(ev->has_before, &ev->before, before, sizeof(before)),
	       state_str(ev->has_after, &ev->after, after, sizeof(after)),
	       outcome_colour(ev->outcome), vs_fault_name(ev->outcome),
	       vs_c_reset);
	if (mispredicted(ev))
		printf("%s%11s predicted %s, happened %s%s\n", vs_c_red, "!",
		       vs_fault_name(ev->predicted), vs_fault_name(ev->outcome),
		       vs_c_reset);
}

static void text_dropped(struct faults_run *r, u64 from, u64 n)
{
	printf("%s%11s %llu event%s dropped (seq %llu-%llu): the reader was too slow%s\n",
	       vs_c_yellow, "--", n, n == 1 ? "" : "s", from, from + n - 1,
	       vs_c_reset);
}

static void outcomes_str(const u64 *by, char *buf, size_t len)
{
	size_t used = 0, s;

	buf[0] = '\0';
	for (s = 0; s < VS_NR_OUTCOMES; s++)
		if (by[s])
			used += snprintf(buf + used, used < len ? len - used : 0,
					 "%s%s %llu", used ? ", " : "",
					 outcome_name(s), by[s]);
}

static u64 dropped(const struct faults_run *r)
{
	const struct vs_trace_end *e = &r->t.end;

	return r->t.ended && e->has_dropped && e->dropped > r->gaps ?
	       e->dropped : r->gaps;
}

static const char *ended_str(const struct faults_run *r, char *buf,
			     size_t len)
{
	if (r->lost_end)
		snprintf(buf, len, "the target exited, no end from the module");
	else if (!r->t.ended)
		snprintf(buf, len, "no end from the module");
	else if (r->stopped_by)
		snprintf(buf, len, "%s (%s)", vs_trace_end_name(r->t.end.reason),
			 r->stopped_by);
	else if (r->t.end.reason == VMSCOPE_TRACE_END_EXITED)
		snprintf(buf, len, "the target exited");
	else if (r->t.end.reason == VMSCOPE_TRACE_END_EXECED)
		snprintf(buf, len, "the target called exec");
	else
		snprintf(buf, len, "%s", vs_trace_end_name(r->t.end.reason));
	return buf;
}

static void text_summary(struct faults_run *r)
{
	char range[48], outcomes[1024], size[VS_SIZE_LEN], ended[96];
	char name[VS_NAME_LEN];
	size_t i;

	printf("\n%ssummary: pid %u, %llu events, %llu dropped, ended: %s%s\n",
	       vs_c_bold, r->a->pid, r->events, dropped(r),
	       ended_str(r, ended, sizeof(ended)), vs_c_reset);
	if (r->t.ended && r->t.end.has_missed && r->t.end.missed)
		printf("probe missed %llu handle_mm_fault() calls, machine-wide\n",
		       r->t.end.missed);
	if (r->nvmas)
		printf("%s%-*s %-12s %-16s %6s %s%s\n", vs_c_bold, 2 * r->w + 1,
		       "VMA", "KIND", "PATH", "EVENTS", "OUTCOMES", vs_c_reset);
	for (i = 0; i < r->nvmas; i++) {
		const struct vma_stat *v = &r->vmas[i];

		if (v->in_vma)
			snprintf(range, sizeof(range), "%0*llx-%0*llx", r->w,
				 v->start, r->w, v->end);
		else
			snprintf(range, sizeof(range), "(no VMA)");
		outcomes_str(v->by_outcome, outcomes, sizeof(outcomes));
		printf("%-*s %-12s %-16.16s %6llu %s\n", 2 * r->w + 1, range,
		       v->in_vma ? vs_kind_name(v->kind) : "-",
		       v->in_vma && v->path[0] ?
		       vs_name(base_name(v->path), name, sizeof(name)) : "-",
		       v->events, outcomes);
	}
	printf("majors %llu, COW copies %llu, COW reuses %llu, newly allocated %s",
	       r->majors, r->cow_copies, r->cow_reuses,
	       vs_size(r->new_bytes, size, sizeof(size)));
	if (r->a->check_explain)
		printf(", mispredicted %llu", r->mispredicted);
	printf("\n");
}

/* ---- JSON lines ---- */

/* The first line, once the trace runs: a reader may act on it. */
static int json_start(struct faults_run *r)
{
	const struct vs_args *a = r->a;
	struct json *j = &r->j;

	json_init_line(j, stdout);
	json_obj_begin(j);
	json_kv_str(j, "type", "start");
	json_kv_u64(j, "pid", a->pid);
	json_kv_u64(j, "trace_id", r->t.id);
	if (r->t.ring_events)
		json_kv_u64(j, "ring_events", r->t.ring_events);
	else
		json_kv_null(j, "ring_events");
	if (a->has_range) {
		json_kv_hex(j, "start", a->start);
		json_kv_hex(j, "end", a->end);
	} else {
		json_kv_null(j, "start");
		json_kv_null(j, "end");
	}
	json_kv_bool(j, "check_explain", a->check_explain);
	json_obj_end(j);
	return json_finish(j);
}

static void json_page(struct json *j, const char *key, bool has,
		      const struct vs_page *p)
{
	json_key(j, key);
	if (!has) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kv_hex(j, "addr", p->addr);
	vs_page_fields_json(j, p, 0);
	json_obj_end(j);
}

static int json_event(struct faults_run *r, const struct vs_fault_event *ev)
{
	struct json *j = &r->j;

	json_init_line(j, stdout);
	json_obj_begin(j);
	json_kv_str(j, "type", "fault");
	json_kv_u64(j, "seq", ev->seq);
	json_kv_u64(j, "time_ns", rel_ns(r, ev));
	json_kv_u64(j, "tid", ev->tid);
	json_kv_hex(j, "addr", ev->addr);
	json_kv_str(j, "access", vs_access_name(ev->access));
	json_kv_bool(j, "user", ev->flags & VMSCOPE_FAULT_F_USER);
	json_kv_bool(j, "gup", ev->flags & VMSCOPE_FAULT_F_GUP);
	json_kv_bool(j, "prot", ev->flags & VMSCOPE_FAULT_F_PROT);
	json_kv_bool(j, "remote", ev->flags & VMSCOPE_FAULT_F_REMOTE);
	if (ev->has_ip)
		json_kv_hex(j, "ip", ev->ip);
	else
		json_kv_null(j, "ip");
	if (ev->ip_path) {
		json_kv_str(j, "ip_path", ev->ip_path);
		json_kv_hex(j, "ip_offset", ev->ip_offset);
	} else {
		json_kv_null(j, "ip_path");
		json_kv_null(j, "ip_offset");
	}
	json_key(j, "vma");
	if (ev->has_vma)
		vs_vma_json(j, &ev->vma);
	else
		json_null(j);
	json_page(j, "before", ev->has_before, &ev->before);
	json_page(j, "after", ev->has_after, &ev->after);
	json_kv_str(j, "outcome", vs_fault_name(ev->outcome));
	if (ev->has_predicted)
		json_kv_str(j, "predicted", vs_fault_name(ev->predicted));
	else
		json_kv_null(j, "predicted");
	json_kv_bool(j, "mispredicted", mispredicted(ev));
	if (ev->has_vm_fault)
		json_kv_u64(j, "vm_fault", ev->vm_fault);
	else
		json_kv_null(j, "vm_fault");
	json_kv_u64(j, "retries", ev->retries);
	json_obj_end(j);
	return json_finish(j);
}

static int json_dropped(struct faults_run *r, u64 from, u64 n)
{
	json_init_line(&r->j, stdout);
	json_obj_begin(&r->j);
	json_kv_str(&r->j, "type", "dropped");
	json_kv_u64(&r->j, "from_seq", from);
	json_kv_u64(&r->j, "count", n);
	json_obj_end(&r->j);
	return json_finish(&r->j);
}

static void json_outcomes(struct json *j, const u64 *by)
{
	size_t s;

	json_key(j, "outcomes");
	json_obj_begin(j);
	for (s = 0; s < VS_NR_OUTCOMES; s++)
		if (by[s])
			json_kv_u64(j, outcome_name(s), by[s]);
	json_obj_end(j);
}

static int json_summary(struct faults_run *r)
{
	const struct vs_trace_end *e = &r->t.end;
	struct json *j = &r->j;
	size_t i;

	json_init_line(j, stdout);
	json_obj_begin(j);
	json_kv_str(j, "type", "summary");
	json_kv_u64(j, "pid", r->a->pid);
	json_kv_u64(j, "events", r->events);
	json_kv_u64(j, "dropped", dropped(r));
	if (r->t.ended)
		json_kv_str(j, "ended", vs_trace_end_name(e->reason));
	else
		json_kv_null(j, "ended");
	if (r->stopped_by)
		json_kv_str(j, "stopped_by", r->stopped_by);
	else
		json_kv_null(j, "stopped_by");
	if (r->t.ended && e->has_events)
		json_kv_u64(j, "kernel_events", e->events);
	else
		json_kv_null(j, "kernel_events");
	if (r->t.ended && e->has_dropped)
		json_kv_u64(j, "kernel_dropped", e->dropped);
	else
		json_kv_null(j, "kernel_dropped");
	if (r->t.ended && e->has_missed)
		json_kv_u64(j, "probe_missed", e->missed);
	else
		json_kv_null(j, "probe_missed");
	if (r->t.ring_events)
		json_kv_u64(j, "ring_events", r->t.ring_events);
	else
		json_kv_null(j, "ring_events");
	json_kv_u64(j, "majors", r->majors);
	json_kv_u64(j, "cow_copies", r->cow_copies);
	json_kv_u64(j, "cow_reuses", r->cow_reuses);
	json_kv_u64(j, "new_bytes", r->new_bytes);
	if (r->a->check_explain)
		json_kv_u64(j, "mispredicted", r->mispredicted);
	else
		json_kv_null(j, "mispredicted");
	json_outcomes(j, r->by_outcome);
	json_key(j, "vmas");
	json_arr_begin(j);
	for (i = 0; i < r->nvmas; i++) {
		const struct vma_stat *v = &r->vmas[i];

		json_obj_begin(j);
		if (v->in_vma) {
			json_kv_hex(j, "start", v->start);
			json_kv_hex(j, "end", v->end);
			json_kv_str(j, "kind", vs_kind_name(v->kind));
			json_kv_str(j, "path", v->path);
		} else {
			json_kv_null(j, "start");
			json_kv_null(j, "end");
			json_kv_null(j, "kind");
			json_kv_null(j, "path");
		}
		json_kv_u64(j, "events", v->events);
		json_outcomes(j, v->by_outcome);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	return json_finish(j);
}

/* ---- the trace ---- */

static int show_event(struct faults_run *r, const struct vs_fault_event *ev)
{
	int ret = 0;

	if (r->last_seq && ev->seq > r->last_seq + 1) {
		u64 n = ev->seq - r->last_seq - 1;

		r->gaps += n;
		if (r->a->json)
			ret = json_dropped(r, r->last_seq + 1, n);
		else
			text_dropped(r, r->last_seq + 1, n);
	}
	if (ev->seq > r->last_seq)
		r->last_seq = ev->seq;
	if (!ret)
		ret = count_event(r, ev);
	if (ret)
		return ret;
	if (r->a->json)
		return json_event(r, ev);
	vs_faults_text_event(ev, r->t.start_ns, r->w);
	return ferror(stdout) ? -EIO : 0;
}

static u64 mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *signal_name(int sig)
{
	return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

/* The target has exited (a zombie too): its TRACE_END is due. */
static bool target_gone(const struct faults_run *r)
{
	struct pollfd p = { .fd = r->pidfd, .events = POLLIN };

	if (r->pidfd < 0)
		return kill(r->a->pid, 0) && errno == ESRCH;
	return poll(&p, 1, 0) == 1;
}

static int open_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return syscall(SYS_pidfd_open, pid, 0);
#else
	return -1;
#endif
}

/*
 * Receive until the trace ends or we stop it.  0 (r->stopped_by says if
 * we stopped it, r->lost_end if the end never came), or -errno with err
 * filled.  Never for ever: once the target has exited, a TRACE_END that
 * does not come within VS_GONE_WAIT_MS of quiet is given up.
 */
static int trace_loop(struct faults_run *r, const sigset_t *waitmask,
		      struct vs_error *err)
{
	const struct vs_args *a = r->a;
	u64 deadline = a->duration_ms ? mono_ms() + a->duration_ms : 0;
	struct vs_fault_event ev;
	u64 quiet_since = 0;
	int ret, timeout;

	for (;;) {
		if (got_signal) {
			r->stopped_by = signal_name(got_signal);
			return 0;
		}
		timeout = VS_WATCH_MS;
		if (deadline) {
			u64 now = mono_ms();

			if (now >= deadline) {
				r->stopped_by = "duration";
				return 0;
			}
			if (deadline - now < VS_WATCH_MS)
				timeout = deadline - now;
		}
		ret = vs_faults_next(&r->t, timeout, waitmask, &ev, err);
		switch (ret) {
		case VS_FAULTS_EVENT:
			quiet_since = 0;
			ret = show_event(r, &ev);
			vs_fault_event_free(&ev);
			if (ret) {
				err->error = ret;
				return ret;
			}
			if (a->count && r->events >= a->count) {
				r->stopped_by = "count";
				return 0;
			}
			break;
		case VS_FAULTS_END:
			return 0;
		case VS_FAULTS_TIMEOUT:
			if (!target_gone(r)) {
				quiet_since = 0;
				break;
			}
			if (!quiet_since) {
				quiet_since = mono_ms();
			} else if (mono_ms() - quiet_since >= VS_GONE_WAIT_MS) {
				r->lost_end = true;
				return 0;
			}
			break;
		case VS_FAULTS_SIGNAL:
			break;
		default:
			return ret;
		}
	}
}

/*
 * FAULTS_STOP, then what was on its way up to TRACE_END: printed, unless
 * --count has printed all it may.
 */
static int trace_drain(struct faults_run *r, struct vs_error *err)
{
	u64 deadline = mono_ms() + VS_STOP_DRAIN_MS;
	struct vs_fault_event ev;
	int ret;

	ret = vs_faults_stop(&r->t, err);
	if (ret)
		return ret;
	while (!r->t.ended) {
		u64 now = mono_ms();

		if (now >= deadline)
			return 0;	/* the summary says there was no end */
		ret = vs_faults_next(&r->t, deadline - now, NULL, &ev, err);
		if (ret < 0)
			return ret;
		if (ret != VS_FAULTS_EVENT)
			continue;
		if (!r->a->count || r->events < r->a->count)
			ret = show_event(r, &ev);
		else
			ret = 0;
		vs_fault_event_free(&ev);
		if (ret) {
			err->error = ret;
			return ret;
		}
	}
	return 0;
}

int cmd_faults(struct vs_nl *nl, const struct vs_args *a)
{
	struct faults_run r = { .a = a };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, waitmask;
	struct vs_error err;
	int ret, status = VS_EXIT_OK;
	size_t i;

	/* Each event as it comes, also into a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!a->json)
		vs_colour_init();
	r.w = vs_addr_width(a->has_range ? a->end : 0);

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	got_signal = 0;

	if (vs_faults_start(&r.t, a->pid, a->has_range ? a->start : 0,
			    a->has_range ? a->end : 0,
			    a->check_explain ? VMSCOPE_REQ_CHECK_EXPLAIN : 0,
			    &err)) {
		status = vs_report(a, &err);
		goto out_signals;
	}
	if (a->json)
		json_start(&r);
	else
		vs_faults_text_header(r.w);

	r.pidfd = open_pidfd(a->pid);
	ret = trace_loop(&r, &waitmask, &err);
	if (!ret && !r.t.ended && !r.lost_end)
		ret = trace_drain(&r, &err);
	if (ret) {
		/* Say why, then still the summary of what was seen. */
		status = vs_report(a, &err);
		if (!r.t.ended)
			vs_faults_stop(&r.t, &err);
	} else if (r.lost_end) {
		fprintf(stderr,
			"vmscope: pid %u exited, but the module sent no end of the trace within %d s\n",
			a->pid, VS_GONE_WAIT_MS / 1000);
		status = VS_EXIT_ERROR;
	} else if (!r.t.ended) {
		fprintf(stderr,
			"vmscope: pid %u: the module did not confirm the end of the trace within %d s\n",
			a->pid, VS_STOP_DRAIN_MS / 1000);
		status = VS_EXIT_ERROR;
	}
	if (a->json) {
		if (json_summary(&r))
			status = VS_EXIT_ERROR;
	} else {
		text_summary(&r);
	}

	vs_faults_close(&r.t);
	if (r.pidfd >= 0)
		close(r.pidfd);
	for (i = 0; i < r.nvmas; i++)
		free(r.vmas[i].path);
	free(r.vmas);
out_signals:
	/* A signal still pending is taken by our handler, harmlessly. */
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return status;
}
