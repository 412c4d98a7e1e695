// SPDX-License-Identifier: GPL-2.0
/* Transport: libnl generic netlink to the vmscope family (see nl.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static struct nla_policy top_policy[VMSCOPE_A_MAX + 1] = {
	[VMSCOPE_A_PID] = { .type = NLA_U32 },
	[VMSCOPE_A_LAYOUT] = { .type = NLA_NESTED },
	[VMSCOPE_A_VMA] = { .type = NLA_NESTED },
	[VMSCOPE_A_PAGE] = { .type = NLA_NESTED },
	[VMSCOPE_A_EXPLAIN] = { .type = NLA_NESTED },
};

/* libnl 3.7 has no nl_socket_set_ext_ack(): ask the socket directly. */
static void vs_nl_ext_ack(struct nl_sock *sk)
{
	int one = 1, fd = nl_socket_get_fd(sk);

	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

/*
 * The family's id and version, from the controller (CTRL_CMD_GETFAMILY,
 * as a dump of all families: libnl's cache).  genl_ctrl_resolve() gives
 * only the id.  0 or a negative libnl error.
 */
static int vs_nl_family(struct vs_nl *nl)
{
	struct genl_family *fam;
	struct nl_cache *cache;
	int ret;

	ret = genl_ctrl_alloc_cache(nl->sk, &cache);
	if (ret < 0)
		return ret;
	fam = genl_ctrl_search_by_name(cache, VMSCOPE_GENL_NAME);
	if (fam) {
		nl->family = genl_family_get_id(fam);
		nl->version = genl_family_get_version(fam);
		genl_family_put(fam);
	}
	nl_cache_free(cache);
	return fam ? 0 : -NLE_OBJ_NOTFOUND;
}

int vs_nl_open(struct vs_nl *nl, struct vs_error *err)
{
	int ret;

	memset(err, 0, sizeof(*err));
	nl->family = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		err->error = -ENOMEM;
		return err->error;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		err->error = -errno ? -errno : -EIO;
		snprintf(err->msg, sizeof(err->msg), "netlink socket: %s",
			 nl_geterror(ret));
		goto fail;
	}
	vs_nl_ext_ack(nl->sk);
	/* Size each receive by peeking: dump messages may exceed a page. */
	nl_socket_enable_msg_peek(nl->sk);

	ret = vs_nl_family(nl);
	if (ret < 0) {
		err->error = ret == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
		snprintf(err->msg, sizeof(err->msg),
			 "cannot find the %s netlink family: %s",
			 VMSCOPE_GENL_NAME, nl_geterror(ret));
		goto fail;
	}
	return 0;

fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return err->error;
}

void vs_nl_close(struct vs_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *vs_nl_request(struct vs_nl *nl, u8 cmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 dump ? NLM_F_DUMP : 0, cmd, VMSCOPE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct vs_run {
	vs_reply_fn fn;
	void *arg;
	struct vs_error *err;
	int stop;		/* the callback's error */
	bool done;
};

/* NLMSGERR_ATTR_MSG from the TLVs that follow an error or a done. */
static void vs_nl_extack(struct vs_error *err, const void *tlvs, int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *msg;

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlvs,
				  len, NULL) < 0 || !tb[NLMSGERR_ATTR_MSG])
		return;
	msg = nla_data(tb[NLMSGERR_ATTR_MSG]);
	snprintf(err->msg, sizeof(err->msg), "%.*s",
		 (int)strnlen(msg, nla_len(tb[NLMSGERR_ATTR_MSG])), msg);
}

static int vs_nl_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[VMSCOPE_A_MAX + 1];
	struct vs_run *run = arg;
	int ret;

	if (genlmsg_parse(nlh, 0, tb, VMSCOPE_A_MAX, top_policy) < 0)
		ret = -EBADMSG;
	else
		ret = run->fn ? run->fn(nlh, tb, run->arg) : 0;
	if (!ret)
		return NL_OK;
	run->stop = ret;
	run->done = true;
	return NL_STOP;
}

/* The end of a dump; 6.1 reports errors found as a dump starts here. */
static int vs_nl_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int len = nlh->nlmsg_len - NLMSG_HDRLEN;
	const char *data = nlmsg_data(nlh);
	struct vs_run *run = arg;
	int error;

	run->done = true;
	if (len < (int)sizeof(error))
		return NL_STOP;
	memcpy(&error, data, sizeof(error));
	if (error < 0) {
		run->err->error = error;
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			vs_nl_extack(run->err, data + NLMSG_ALIGN(sizeof(error)),
				     len - NLMSG_ALIGN(sizeof(error)));
	}
	return NL_STOP;
}

static int vs_nl_ack(struct nl_msg *msg, void *arg)
{
	struct vs_run *run = arg;

	run->done = true;
	return NL_STOP;
}

void vs_nl_error_fill(const struct nlmsgerr *e, struct vs_error *err)
{
	/* libnl hands us the payload: the header is just before it. */
	const struct nlmsghdr *nlh = (const void *)((const char *)e -
						    NLMSG_HDRLEN);
	int len = nlh->nlmsg_len - NLMSG_HDRLEN;
	int off;

	err->error = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = nlh->nlmsg_flags & NLM_F_CAPPED ? (int)sizeof(*e) :
		(int)sizeof(e->error) + (int)e->msg.nlmsg_len;
	off = NLMSG_ALIGN(off);
	if (off < len)
		vs_nl_extack(err, (const char *)e + off, len - off);
}

static int vs_nl_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct vs_run *run = arg;

	run->done = true;
	vs_nl_error_fill(e, run->err);
	return NL_STOP;
}

int vs_nl_run(struct vs_nl *nl, struct nl_msg *msg, vs_reply_fn fn,
	      void *arg, struct vs_error *err)
{
	struct vs_run run = { .fn = fn, .arg = arg, .err = err };
	struct nl_cb *cb;
	int ret;

	memset(err, 0, sizeof(*err));
	if (!msg) {
		err->error = -ENOMEM;
		return err->error;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		err->error = -ENOMEM;
		return err->error;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, vs_nl_valid, &run);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, vs_nl_finish, &run);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, vs_nl_ack, &run);
	nl_cb_err(cb, NL_CB_CUSTOM, vs_nl_error, &run);

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		err->error = -EIO;
		snprintf(err->msg, sizeof(err->msg), "netlink send: %s",
			 nl_geterror(ret));
		goto out;
	}
	while (!run.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !run.done) {
			err->error = -EIO;
			snprintf(err->msg, sizeof(err->msg),
				 "netlink receive: %s", nl_geterror(ret));
			break;
		}
	}
	if (!err->error && run.stop)
		err->error = run.stop;
out:
	nl_cb_put(cb);
	return err->error;
}
