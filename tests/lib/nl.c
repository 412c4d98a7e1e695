// SPDX-License-Identifier: GPL-2.0
/* Raw generic netlink for the tests (see nl.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "util.h"
#include "../../module/uapi/vmscope.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define TNL_BUF_SIZE (1 << 16)

void tnl_msg_init(struct tnl_msg *m, uint16_t type, uint16_t flags,
		  uint8_t cmd, uint8_t version)
{
	struct genlmsghdr *g;

	memset(&m->nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = flags;
	g = NLMSG_DATA(&m->nlh);
	g->cmd = cmd;
	g->version = version;
}

void tnl_put_raw(struct tnl_msg *m, const void *data, size_t len)
{
	if (m->nlh.nlmsg_len + len > sizeof(m->buf))
		return;
	memcpy(m->buf + m->nlh.nlmsg_len, data, len);
	m->nlh.nlmsg_len += len;
}

void tnl_put(struct tnl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN + len, .nla_type = type };
	static const char zeros[NLA_ALIGNTO];
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->nlh.nlmsg_len + total > sizeof(m->buf))
		return;
	tnl_put_raw(m, &nla, sizeof(nla));
	tnl_put_raw(m, data, len);
	tnl_put_raw(m, zeros, total - NLA_HDRLEN - len);
}

void tnl_put_u32(struct tnl_msg *m, uint16_t type, uint32_t value)
{
	tnl_put(m, type, &value, sizeof(value));
}

void tnl_put_u64(struct tnl_msg *m, uint16_t type, uint64_t value)
{
	tnl_put(m, type, &value, sizeof(value));
}

void tnl_req(struct tnl *nl, struct tnl_msg *m, uint8_t cmd, bool dump)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);

	tnl_msg_init(m, nl->family, flags, cmd, VMSCOPE_GENL_VERSION);
}

int tnl_send(struct tnl *nl, struct tnl_msg *m)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	m->nlh.nlmsg_seq = ++nl->seq;
	n = sendto(nl->fd, m->buf, m->nlh.nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel));
	if (n < 0)
		return -errno;
	return (int)m->nlh.nlmsg_seq;
}

static void tnl_extack(struct tnl_result *res, const void *tlvs, int len)
{
	const struct nlattr *nla = tlvs;

	while (len >= (int)sizeof(*nla) && nla->nla_len >= sizeof(*nla) &&
	       nla->nla_len <= len) {
		if (tnl_type(nla) == NLMSGERR_ATTR_MSG && tnl_len(nla) > 0) {
			size_t n = tnl_len(nla);

			if (n >= sizeof(res->extack))
				n = sizeof(res->extack) - 1;
			memcpy(res->extack, tnl_data(nla), n);
			res->extack[n] = '\0';
		}
		len -= NLA_ALIGN(nla->nla_len);
		nla = (const void *)((const char *)nla + NLA_ALIGN(nla->nla_len));
	}
}

/* One NLMSG_ERROR or NLMSG_DONE: the end of the answer. */
static void tnl_end(const struct nlmsghdr *nlh, struct tnl_result *res)
{
	int payload = nlh->nlmsg_len - NLMSG_HDRLEN;
	const char *data = NLMSG_DATA(nlh);
	int off;

	res->done = true;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = (const void *)data;

		if (payload < (int)sizeof(int))
			return;
		res->error = e->error;
		if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
		    payload < (int)sizeof(*e))
			return;
		off = nlh->nlmsg_flags & NLM_F_CAPPED ? (int)sizeof(*e) :
			(int)sizeof(int) + (int)e->msg.nlmsg_len;
	} else {
		if (payload < (int)sizeof(int))
			return;
		memcpy(&res->error, data, sizeof(int));
		off = sizeof(int);
		if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
			return;
	}
	if (off < payload)
		tnl_extack(res, data + NLA_ALIGN(off), payload - NLA_ALIGN(off));
}

int tnl_recv(struct tnl *nl, uint32_t seq, tnl_cb cb, void *arg,
	     struct tnl_result *res)
{
	int stop = 0;

	memset(res, 0, sizeof(*res));
	while (!res->done) {
		struct iovec iov = { nl->buf, nl->buf_size };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		const struct nlmsghdr *nlh;
		ssize_t n = recvmsg(nl->fd, &mh, 0);
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (mh.msg_flags & MSG_TRUNC)
			res->truncated = true;
		len = (int)n;
		for (nlh = (const void *)nl->buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue;	/* left over from an earlier test */
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				tnl_end(nlh, res);
				break;
			}
			if (nlh->nlmsg_type == NLMSG_NOOP)
				continue;
			res->msgs++;
			if (cb && !stop)
				stop = cb(nlh, arg);
		}
	}
	return stop ? stop : res->error;
}

int tnl_call(struct tnl *nl, struct tnl_msg *m, tnl_cb cb, void *arg,
	     struct tnl_result *res)
{
	int seq = tnl_send(nl, m);

	if (seq < 0) {
		memset(res, 0, sizeof(*res));
		res->error = seq;
		return seq;
	}
	return tnl_recv(nl, seq, cb, arg, res);
}

int tnl_parse(struct tnl_attrs *a, const void *data, size_t len)
{
	const struct nlattr *nla = data;
	int rem = (int)len;

	memset(a, 0, sizeof(*a));
	while (rem >= (int)sizeof(*nla) && nla->nla_len >= sizeof(*nla) &&
	       nla->nla_len <= rem) {
		if (tnl_type(nla) <= TNL_MAX_ATTR)
			a->tb[tnl_type(nla)] = nla;
		rem -= NLA_ALIGN(nla->nla_len);
		nla = (const void *)((const char *)nla + NLA_ALIGN(nla->nla_len));
	}
	return rem > 0 && rem >= NLA_HDRLEN ? -EINVAL : 0;
}

int tnl_parse_msg(struct tnl_attrs *a, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	return tnl_parse(a, (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
			 nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
}

int tnl_parse_nest(struct tnl_attrs *a, const struct nlattr *nest)
{
	return tnl_parse(a, tnl_data(nest), tnl_len(nest));
}

bool tnl_u32(const struct tnl_attrs *a, int type, uint32_t *v)
{
	const struct nlattr *nla = a->tb[type];

	if (!nla || tnl_len(nla) != sizeof(*v))
		return false;
	memcpy(v, tnl_data(nla), sizeof(*v));
	return true;
}

bool tnl_u64(const struct tnl_attrs *a, int type, uint64_t *v)
{
	const struct nlattr *nla = a->tb[type];

	if (!nla || tnl_len(nla) != sizeof(*v))
		return false;
	memcpy(v, tnl_data(nla), sizeof(*v));
	return true;
}

const char *tnl_str(const struct tnl_attrs *a, int type)
{
	const struct nlattr *nla = a->tb[type];
	const char *s;

	if (!nla || !tnl_len(nla))
		return NULL;
	s = tnl_data(nla);
	return s[tnl_len(nla) - 1] ? NULL : s;
}

static int tnl_family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct tnl_attrs a;
	const struct nlattr *id;

	if (tnl_parse_msg(&a, nlh))
		return 0;
	id = a.tb[CTRL_ATTR_FAMILY_ID];
	if (id && tnl_len(id) == sizeof(uint16_t))
		memcpy(arg, tnl_data(id), sizeof(uint16_t));
	return 0;
}

int tnl_open(struct tnl *nl)
{
	struct timeval tv = { .tv_sec = 120 };
	struct tnl_result res;
	struct tnl_msg m;
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->buf_size = TNL_BUF_SIZE;
	nl->buf = malloc(nl->buf_size);
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (!nl->buf || nl->fd < 0) {
		ret = nl->buf ? -errno : -ENOMEM;
		tnl_close(nl);
		return ret;
	}
	/* A kernel that stops answering fails the test instead of hanging it. */
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	tnl_msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		     CTRL_CMD_GETFAMILY, 1);
	tnl_put(&m, CTRL_ATTR_FAMILY_NAME, VMSCOPE_GENL_NAME,
		sizeof(VMSCOPE_GENL_NAME));
	ret = tnl_call(nl, &m, tnl_family_cb, &nl->family, &res);
	if (!ret && !nl->family)
		ret = -ENOENT;
	if (ret) {
		tnl_close(nl);
		return ret;
	}
	return 0;
}

void tnl_close(struct tnl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
	free(nl->buf);
	nl->buf = NULL;
}

int tnl_tiling_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct tnl_tiling *t = arg;
	const struct nlattr *pos;
	int rem;

	tnl_for_each_attr(pos, nlh, rem) {
		struct tnl_attrs a;
		uint64_t addr, nr;

		if (tnl_type(pos) != VMSCOPE_A_PAGE)
			continue;
		if (tnl_parse_nest(&a, pos) ||
		    !tnl_u64(&a, VMSCOPE_PAGE_A_ADDR, &addr) ||
		    !tnl_u64(&a, VMSCOPE_PAGE_A_NR_PAGES, &nr) || !nr) {
			snprintf(t->why, sizeof(t->why), "malformed page nest");
			return 1;
		}
		if (addr != t->next) {
			snprintf(t->why, sizeof(t->why),
				 "entry at %llx, expected %llx",
				 (unsigned long long)addr,
				 (unsigned long long)t->next);
			return 1;
		}
		t->next = addr + nr * PG;
		t->entries++;
	}
	return 0;
}

/* GET_LAYOUT with a PID (see nl.h). */
static bool proc_attr_is_u32(int i)
{
	return i == VMSCOPE_PROC_A_COMPAT || i == VMSCOPE_PROC_A_RANDOMIZE ||
	       i == VMSCOPE_PROC_A_NO_RANDOMIZE ||
	       i == VMSCOPE_PROC_A_TOPDOWN || i == VMSCOPE_PROC_A_EXEC_TYPE;
}

static int proc_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct tnl_proc *p = arg;
	struct tnl_attrs top, a;
	uint32_t v32 = 0;
	int i;

	p->msgs++;
	if (tnl_parse_msg(&top, nlh) || !top.tb[VMSCOPE_A_LAYOUT] ||
	    !top.tb[VMSCOPE_A_PROC_LAYOUT] ||
	    tnl_parse_nest(&a, top.tb[VMSCOPE_A_PROC_LAYOUT])) {
		p->bad = true;
		return 0;
	}
	for (i = VMSCOPE_PROC_A_TASK_SIZE; i <= VMSCOPE_PROC_A_MAX; i++) {
		if (proc_attr_is_u32(i)) {
			p->has[i] = tnl_u32(&a, i, &v32);
			p->v[i] = v32;
		} else {
			p->has[i] = tnl_u64(&a, i, &p->v[i]);
		}
	}
	return 0;
}

int tnl_get_proc(pid_t pid, struct tnl_proc *p, struct tnl_result *res)
{
	struct tnl_msg m;
	struct tnl nl;
	int ret = tnl_open(&nl);

	memset(p, 0, sizeof(*p));
	if (ret)
		return ret;
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_LAYOUT, false);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	ret = tnl_call(&nl, &m, proc_cb, p, res);
	tnl_close(&nl);
	if (!ret && (p->msgs != 1 || p->bad))
		ret = -EBADMSG;
	return ret;
}
