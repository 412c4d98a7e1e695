// SPDX-License-Identifier: GPL-2.0
/*
 * A trace of a process's page faults (see faults.h).
 *
 * The trace's socket carries three kinds of message at once: the answer
 * to our own request (FAULTS_START's reply, acknowledgments), matched by
 * its sequence number; and the unsolicited events, sequence number 0,
 * which may come before, between and after them.  So libnl's sequence
 * check is off, one set of callbacks sorts every message, and events
 * wait in a queue until vs_faults_next() hands them out, in the order
 * they came.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "faults.h"

/*
 * The receive buffer: events come in bursts (a memset over fresh memory
 * is a fault per page) and one event with a path is up to ~5 KiB.  The
 * kernel keeps what does not fit in its ring and counts drops there, but
 * a big buffer means fewer of them.  Beyond net.core.rmem_max only with
 * CAP_NET_ADMIN (SO_RCVBUFFORCE).
 */
#define VS_TRACE_RCVBUF (8 << 20)

/*
 * How long a request (START, STOP) may wait for the kernel's answer.  The
 * first START registers the probes, which patches kernel text on every
 * CPU: seconds on an emulated or debug kernel.
 */
#define VS_TRACE_REQ_TIMEOUT_MS 60000

static struct nla_policy trace_top_policy[VMSCOPE_A_MAX + 1] = {
	[VMSCOPE_A_PID] = { .type = NLA_U32 },
	[VMSCOPE_A_TRACE_ID] = { .type = NLA_U32 },
	[VMSCOPE_A_TRACE] = { .type = NLA_NESTED },
	[VMSCOPE_A_FAULT] = { .type = NLA_NESTED },
};

static struct nla_policy fault_policy[VMSCOPE_FAULT_A_MAX + 1] = {
	[VMSCOPE_FAULT_A_SEQ] = { .type = NLA_U64 },
	[VMSCOPE_FAULT_A_TIME_NS] = { .type = NLA_U64 },
	[VMSCOPE_FAULT_A_TID] = { .type = NLA_U32 },
	[VMSCOPE_FAULT_A_ADDR] = { .type = NLA_U64 },
	[VMSCOPE_FAULT_A_ACCESS] = { .type = NLA_U32 },
	[VMSCOPE_FAULT_A_FLAGS] = { .type = NLA_U32 },
	[VMSCOPE_FAULT_A_IP] = { .type = NLA_U64 },
	[VMSCOPE_FAULT_A_IP_PATH] = { .type = NLA_STRING },
	[VMSCOPE_FAULT_A_IP_OFFSET] = { .type = NLA_U64 },
	[VMSCOPE_FAULT_A_VMA] = { .type = NLA_NESTED },
	[VMSCOPE_FAULT_A_BEFORE] = { .type = NLA_NESTED },
	[VMSCOPE_FAULT_A_AFTER] = { .type = NLA_NESTED },
	[VMSCOPE_FAULT_A_OUTCOME] = { .type = NLA_U32 },
	[VMSCOPE_FAULT_A_PREDICTED] = { .type = NLA_U32 },
	[VMSCOPE_FAULT_A_VM_FAULT] = { .type = NLA_U32 },
	[VMSCOPE_FAULT_A_RETRIES] = { .type = NLA_U32 },
};

static struct nla_policy trace_policy[VMSCOPE_TRACE_A_MAX + 1] = {
	[VMSCOPE_TRACE_A_ID] = { .type = NLA_U32 },
	[VMSCOPE_TRACE_A_RING_EVENTS] = { .type = NLA_U32 },
	[VMSCOPE_TRACE_A_EVENTS] = { .type = NLA_U64 },
	[VMSCOPE_TRACE_A_DROPPED] = { .type = NLA_U64 },
	[VMSCOPE_TRACE_A_END_REASON] = { .type = NLA_U32 },
	[VMSCOPE_TRACE_A_MISSED] = { .type = NLA_U64 },
};

void vs_fault_event_free(struct vs_fault_event *ev)
{
	free(ev->ip_path);
	if (ev->has_vma)
		free(ev->vma.path);
	memset(ev, 0, sizeof(*ev));
}

int vs_fault_event_parse(struct nlattr **tb, struct vs_fault_event *ev)
{
	static const int need[] = {
		VMSCOPE_FAULT_A_SEQ, VMSCOPE_FAULT_A_TIME_NS,
		VMSCOPE_FAULT_A_TID, VMSCOPE_FAULT_A_ADDR,
		VMSCOPE_FAULT_A_ACCESS, VMSCOPE_FAULT_A_FLAGS,
		VMSCOPE_FAULT_A_OUTCOME,
	};
	struct nlattr *fa[VMSCOPE_FAULT_A_MAX + 1];
	struct nlattr *a;
	unsigned int i;
	int ret;

	memset(ev, 0, sizeof(*ev));
	if (!tb[VMSCOPE_A_FAULT] ||
	    nla_parse_nested(fa, VMSCOPE_FAULT_A_MAX, tb[VMSCOPE_A_FAULT],
			     fault_policy) < 0)
		return -EBADMSG;
	for (i = 0; i < ARRAY_SIZE(need); i++)
		if (!fa[need[i]])
			return -EBADMSG;
	ev->seq = nla_get_u64(fa[VMSCOPE_FAULT_A_SEQ]);
	ev->time_ns = nla_get_u64(fa[VMSCOPE_FAULT_A_TIME_NS]);
	ev->tid = nla_get_u32(fa[VMSCOPE_FAULT_A_TID]);
	ev->addr = nla_get_u64(fa[VMSCOPE_FAULT_A_ADDR]);
	ev->access = nla_get_u32(fa[VMSCOPE_FAULT_A_ACCESS]);
	ev->flags = nla_get_u32(fa[VMSCOPE_FAULT_A_FLAGS]);
	ev->outcome = nla_get_u32(fa[VMSCOPE_FAULT_A_OUTCOME]);
	ev->has_ip = fa[VMSCOPE_FAULT_A_IP];
	if (ev->has_ip)
		ev->ip = nla_get_u64(fa[VMSCOPE_FAULT_A_IP]);
	a = fa[VMSCOPE_FAULT_A_IP_PATH];
	if (a && nla_len(a) > 1) {
		ev->ip_path = strndup(nla_data(a), nla_len(a));
		if (!ev->ip_path)
			return -ENOMEM;
		if (fa[VMSCOPE_FAULT_A_IP_OFFSET])
			ev->ip_offset =
				nla_get_u64(fa[VMSCOPE_FAULT_A_IP_OFFSET]);
	}
	ev->has_predicted = fa[VMSCOPE_FAULT_A_PREDICTED];
	if (ev->has_predicted)
		ev->predicted = nla_get_u32(fa[VMSCOPE_FAULT_A_PREDICTED]);
	ev->has_vm_fault = fa[VMSCOPE_FAULT_A_VM_FAULT];
	if (ev->has_vm_fault)
		ev->vm_fault = nla_get_u32(fa[VMSCOPE_FAULT_A_VM_FAULT]);
	if (fa[VMSCOPE_FAULT_A_RETRIES])
		ev->retries = nla_get_u32(fa[VMSCOPE_FAULT_A_RETRIES]);
	ret = 0;
	if (fa[VMSCOPE_FAULT_A_BEFORE]) {
		ret = vs_parse_page(fa[VMSCOPE_FAULT_A_BEFORE], &ev->before);
		ev->has_before = !ret;
	}
	if (!ret && fa[VMSCOPE_FAULT_A_AFTER]) {
		ret = vs_parse_page(fa[VMSCOPE_FAULT_A_AFTER], &ev->after);
		ev->has_after = !ret;
	}
	if (!ret && fa[VMSCOPE_FAULT_A_VMA]) {
		ret = vs_parse_vma(fa[VMSCOPE_FAULT_A_VMA], &ev->vma);
		ev->has_vma = !ret;
	}
	if (ret)
		vs_fault_event_free(ev);
	return ret;
}

int vs_trace_end_parse(struct nlattr **tb, struct vs_trace_end *end)
{
	struct nlattr *ta[VMSCOPE_TRACE_A_MAX + 1];

	memset(end, 0, sizeof(*end));
	if (!tb[VMSCOPE_A_TRACE] ||
	    nla_parse_nested(ta, VMSCOPE_TRACE_A_MAX, tb[VMSCOPE_A_TRACE],
			     trace_policy) < 0 ||
	    !ta[VMSCOPE_TRACE_A_END_REASON])
		return -EBADMSG;
	end->reason = nla_get_u32(ta[VMSCOPE_TRACE_A_END_REASON]);
	if (ta[VMSCOPE_TRACE_A_ID])
		end->id = nla_get_u32(ta[VMSCOPE_TRACE_A_ID]);
	end->has_events = ta[VMSCOPE_TRACE_A_EVENTS];
	if (end->has_events)
		end->events = nla_get_u64(ta[VMSCOPE_TRACE_A_EVENTS]);
	end->has_dropped = ta[VMSCOPE_TRACE_A_DROPPED];
	if (end->has_dropped)
		end->dropped = nla_get_u64(ta[VMSCOPE_TRACE_A_DROPPED]);
	end->has_missed = ta[VMSCOPE_TRACE_A_MISSED];
	if (end->has_missed)
		end->missed = nla_get_u64(ta[VMSCOPE_TRACE_A_MISSED]);
	return 0;
}

/* FAULTS_START's reply: the trace's ID and the size of its ring. */
static int trace_started(struct vs_trace *t, struct nlattr **tb)
{
	struct nlattr *ta[VMSCOPE_TRACE_A_MAX + 1];

	if (!tb[VMSCOPE_A_TRACE] ||
	    nla_parse_nested(ta, VMSCOPE_TRACE_A_MAX, tb[VMSCOPE_A_TRACE],
			     trace_policy) < 0 ||
	    !ta[VMSCOPE_TRACE_A_ID])
		return -EBADMSG;
	t->id = nla_get_u32(ta[VMSCOPE_TRACE_A_ID]);
	if (ta[VMSCOPE_TRACE_A_RING_EVENTS])
		t->ring_events = nla_get_u32(ta[VMSCOPE_TRACE_A_RING_EVENTS]);
	t->running = !t->ended;
	t->started = true;
	return 0;
}

static int queue_push(struct vs_fault_queue *q, struct vs_fault_event *ev)
{
	size_t i, cap;
	struct vs_fault_event *v;

	if (q->n == q->cap) {
		cap = q->cap ? q->cap * 2 : 64;
		v = malloc(cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		for (i = 0; i < q->n; i++)
			v[i] = q->v[(q->head + i) % q->cap];
		free(q->v);
		q->v = v;
		q->cap = cap;
		q->head = 0;
	}
	q->v[(q->head + q->n) % q->cap] = *ev;
	q->n++;
	return 0;
}

static bool queue_pop(struct vs_fault_queue *q, struct vs_fault_event *ev)
{
	if (!q->n)
		return false;
	*ev = q->v[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	return true;
}

static int trace_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *tb[VMSCOPE_A_MAX + 1];
	struct vs_trace *t = arg;
	struct vs_fault_event ev;
	int ret;

	if (genlmsg_parse(nlh, 0, tb, VMSCOPE_A_MAX, trace_top_policy) < 0) {
		t->bad = -EBADMSG;
		return NL_OK;
	}
	switch (gnlh->cmd) {
	case VMSCOPE_CMD_FAULT_EVENT:
		if (t->ended)
			break;	/* nothing comes after the end */
		ret = vs_fault_event_parse(tb, &ev);
		if (!ret) {
			ret = queue_push(&t->q, &ev);
			if (ret)
				vs_fault_event_free(&ev);
		}
		if (ret)
			t->bad = ret;
		break;
	case VMSCOPE_CMD_TRACE_END:
		if (t->ended || vs_trace_end_parse(tb, &t->end)) {
			t->bad = -EBADMSG;
			break;
		}
		t->ended = true;
		t->running = false;
		break;
	default:
		if (nlh->nlmsg_seq != t->req_seq || !t->req_err)
			break;
		/* the reply to FAULTS_START, whatever command it names */
		if (t->req_cmd == VMSCOPE_CMD_FAULTS_START &&
		    trace_started(t, tb)) {
			t->req_err->error = -EBADMSG;
			snprintf(t->req_err->msg, sizeof(t->req_err->msg),
				 "the module's answer to FAULTS_START has no trace ID");
		}
		break;
	}
	return NL_OK;
}

/* Events carry sequence number 0: every number is welcome here. */
static int trace_seq_ok(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

static int trace_ack(struct nl_msg *msg, void *arg)
{
	struct vs_trace *t = arg;

	if (nlmsg_hdr(msg)->nlmsg_seq == t->req_seq)
		t->req_done = true;
	return NL_OK;
}

static int trace_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *nlh = (const void *)((const char *)e -
						    NLMSG_HDRLEN);
	struct vs_trace *t = arg;

	if (nlh->nlmsg_seq != t->req_seq || !t->req_err)
		return NL_OK;
	t->req_done = true;
	vs_nl_error_fill(e, t->req_err);
	return NL_OK;
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Wait up to timeout_ms (-1: forever) for the socket, then take what came
 * into the queue, t->end or the request's state.  1 if something was
 * read, 0 on timeout, -EINTR on a signal, or -errno with err filled.
 */
static int trace_recv(struct vs_trace *t, int timeout_ms,
		      const sigset_t *sigmask, struct vs_error *err)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(t->nl.sk),
			      .events = POLLIN };
	struct timespec ts, *tsp = NULL;
	int ret;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (timeout_ms % 1000) * 1000000L;
		tsp = &ts;
	}
	ret = ppoll(&pfd, 1, tsp, sigmask);
	if (ret < 0) {
		if (errno == EINTR)
			return -EINTR;
		err->error = -errno;
		snprintf(err->msg, sizeof(err->msg), "poll: %s",
			 strerror(errno));
		return err->error;
	}
	if (!ret)
		return 0;
	ret = nl_recvmsgs(t->nl.sk, t->cb);
	/*
	 * NLE_NOMEM is ENOBUFS: the socket overflowed and the kernel lost
	 * messages; the gaps in the events' SEQ show how many.
	 */
	if (ret < 0 && ret != -NLE_AGAIN && ret != -NLE_NOMEM) {
		err->error = -EIO;
		snprintf(err->msg, sizeof(err->msg), "netlink receive: %s",
			 nl_geterror(ret));
		return err->error;
	}
	if (t->bad) {
		err->error = t->bad;
		snprintf(err->msg, sizeof(err->msg),
			 "a malformed message from the module: %s",
			 strerror(-t->bad));
		return err->error;
	}
	return 1;
}

/* Send a request and wait for its acknowledgment, queueing events. */
static int trace_request(struct vs_trace *t, u8 cmd, struct nl_msg *msg,
			 struct vs_error *err)
{
	u64 deadline = now_ns() + VS_TRACE_REQ_TIMEOUT_MS * 1000000ULL;
	struct vs_error rerr = { 0 };
	int ret;

	memset(err, 0, sizeof(*err));
	if (!msg) {
		err->error = -ENOMEM;
		return err->error;
	}
	t->req_done = false;
	t->req_err = &rerr;
	t->req_cmd = cmd;
	ret = nl_send_auto(t->nl.sk, msg);
	t->req_seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (ret < 0) {
		err->error = -EIO;
		snprintf(err->msg, sizeof(err->msg), "netlink send: %s",
			 nl_geterror(ret));
		goto out;
	}
	while (!t->req_done) {
		u64 now = now_ns();

		if (now >= deadline) {
			err->error = -ETIMEDOUT;
			snprintf(err->msg, sizeof(err->msg),
				 "the module did not answer");
			break;
		}
		ret = trace_recv(t, (deadline - now) / 1000000 + 1, NULL, err);
		if (ret < 0 && ret != -EINTR)
			break;
	}
	if (!err->error && rerr.error)
		*err = rerr;
out:
	t->req_err = NULL;
	return err->error;
}

static void trace_rcvbuf(struct nl_sock *sk)
{
	int fd = nl_socket_get_fd(sk), size = VS_TRACE_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

int vs_faults_start(struct vs_trace *t, u32 pid, u64 start, u64 end,
		    u32 req_flags, struct vs_error *err)
{
	struct nl_msg *msg;
	int ret;

	memset(t, 0, sizeof(*t));
	t->pid = pid;
	ret = vs_nl_open(&t->nl, err);
	if (ret)
		return ret;
	/* Events come with sequence number 0, in between our answers. */
	nl_socket_disable_seq_check(t->nl.sk);
	nl_socket_set_nonblocking(t->nl.sk);
	trace_rcvbuf(t->nl.sk);
	t->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!t->cb) {
		err->error = -ENOMEM;
		goto fail;
	}
	/* the socket's setting is not our callbacks': say it here too */
	nl_cb_set(t->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, trace_seq_ok, NULL);
	nl_cb_set(t->cb, NL_CB_VALID, NL_CB_CUSTOM, trace_valid, t);
	nl_cb_set(t->cb, NL_CB_ACK, NL_CB_CUSTOM, trace_ack, t);
	nl_cb_err(t->cb, NL_CB_CUSTOM, trace_error, t);

	msg = vs_nl_request(&t->nl, VMSCOPE_CMD_FAULTS_START, false);
	if (msg && (nla_put_u32(msg, VMSCOPE_A_PID, pid) ||
		    (end && (nla_put_u64(msg, VMSCOPE_A_START, start) ||
			     nla_put_u64(msg, VMSCOPE_A_END, end))) ||
		    (req_flags && nla_put_u32(msg, VMSCOPE_A_REQ_FLAGS,
					      req_flags)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	t->start_ns = now_ns();
	ret = trace_request(t, VMSCOPE_CMD_FAULTS_START, msg, err);
	if (!ret && !t->started) {
		err->error = -EBADMSG;
		snprintf(err->msg, sizeof(err->msg),
			 "the module's answer to FAULTS_START has no trace ID");
	}
	if (!err->error)
		return 0;
fail:
	ret = err->error;
	vs_faults_close(t);
	return ret;
}

int vs_faults_next(struct vs_trace *t, int timeout_ms,
		   const sigset_t *sigmask, struct vs_fault_event *ev,
		   struct vs_error *err)
{
	u64 deadline = timeout_ms < 0 ? 0 : now_ns() + timeout_ms * 1000000ULL;
	int ret, left = timeout_ms;

	memset(err, 0, sizeof(*err));
	for (;;) {
		if (queue_pop(&t->q, ev))
			return VS_FAULTS_EVENT;
		if (t->ended)
			return VS_FAULTS_END;
		if (timeout_ms >= 0) {
			u64 now = now_ns();

			left = now >= deadline ? 0 :
			       (int)((deadline - now + 999999) / 1000000);
		}
		ret = trace_recv(t, left, sigmask, err);
		if (ret == -EINTR)
			return VS_FAULTS_SIGNAL;
		if (ret < 0)
			return ret;
		if (!ret)
			return VS_FAULTS_TIMEOUT;
	}
}

int vs_faults_stop(struct vs_trace *t, struct vs_error *err)
{
	struct nl_msg *msg;
	int ret;

	memset(err, 0, sizeof(*err));
	if (t->ended)
		return 0;
	msg = vs_nl_request(&t->nl, VMSCOPE_CMD_FAULTS_STOP, false);
	if (msg && nla_put_u32(msg, VMSCOPE_A_TRACE_ID, t->id)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = trace_request(t, VMSCOPE_CMD_FAULTS_STOP, msg, err);
	/* It ended on its own (exit, exec) while we asked: not an error. */
	if (ret && t->ended) {
		memset(err, 0, sizeof(*err));
		ret = 0;
	}
	return ret;
}

void vs_faults_close(struct vs_trace *t)
{
	struct vs_fault_event ev;

	while (queue_pop(&t->q, &ev))
		vs_fault_event_free(&ev);
	free(t->q.v);
	memset(&t->q, 0, sizeof(t->q));
	if (t->cb)
		nl_cb_put(t->cb);
	t->cb = NULL;
	vs_nl_close(&t->nl);
}
