/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TEST_NL_H
#define VMSCOPE_TEST_NL_H

/*
 * Raw generic netlink for the tests: plain sockets and hand-built
 * messages, no libnl, so that the tests do not share code (or bugs) with
 * the client.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/netlink.h>

#include "../../module/uapi/vmscope.h"

struct tnl {
	int fd;
	uint16_t family;	/* vmscope's id, 0 if not resolved */
	uint32_t seq;
	char *buf;		/* receive buffer */
	size_t buf_size;
};

/*
 * Open a NETLINK_GENERIC socket with extended acks and capped acks, and
 * resolve the "vmscope" family.  0, -ENOENT if the family is not
 * registered, or -errno.
 */
int tnl_open(struct tnl *nl);
void tnl_close(struct tnl *nl);

/*
 * For kselftest programs (the harness must be included): open, or skip
 * the test when the module is not loaded.
 */
#define NL_OPEN(nl) do {						\
	int __r = tnl_open(nl);						\
	if (__r == -ENOENT)						\
		SKIP(return, "vmscope netlink family not registered "	\
		     "(module not loaded?)");				\
	ASSERT_EQ(0, __r) TH_LOG("netlink socket: %s", strerror(-__r)); \
} while (0)

/* A request being built: netlink + genetlink header, then attributes. */
struct tnl_msg {
	union {
		struct nlmsghdr nlh;
		char buf[16384];
	};
};

void tnl_msg_init(struct tnl_msg *m, uint16_t type, uint16_t flags,
		  uint8_t cmd, uint8_t version);
/* Attributes; the put functions ignore what does not fit (tests stay small). */
void tnl_put(struct tnl_msg *m, uint16_t type, const void *data, size_t len);
void tnl_put_u32(struct tnl_msg *m, uint16_t type, uint32_t value);
void tnl_put_u64(struct tnl_msg *m, uint16_t type, uint64_t value);
/* Raw bytes after the message (for malformed-message tests). */
void tnl_put_raw(struct tnl_msg *m, const void *data, size_t len);

/* A vmscope request: NLM_F_REQUEST | NLM_F_ACK, plus NLM_F_DUMP if dump. */
void tnl_req(struct tnl *nl, struct tnl_msg *m, uint8_t cmd, bool dump);

/* Send; returns the sequence number used, or -errno. */
int tnl_send(struct tnl *nl, struct tnl_msg *m);

/*
 * Called for every reply message of the request (not ERROR/DONE); a
 * non-zero return stops tnl_recv, which then returns it after draining
 * the rest of the answer.
 */
typedef int (*tnl_cb)(const struct nlmsghdr *nlh, void *arg);

struct tnl_result {
	int error;		/* 0, or -errno from NLMSG_ERROR / NLMSG_DONE */
	bool done;		/* the answer ended (ack, error or done) */
	char extack[512];	/* NLMSGERR_ATTR_MSG, "" if none */
	int msgs;		/* reply messages seen */
	bool truncated;		/* a datagram did not fit the buffer */
};

/*
 * Receive the whole answer to request seq: replies go to cb, the end
 * (an ack, an error, or NLMSG_DONE with its status) lands in *res.
 * Returns res->error, or the callback's non-zero value, or -errno for a
 * socket error.  A dump that ends with an error in NLMSG_DONE (how 6.1
 * reports an error found when a dump starts) looks like an error ack.
 */
int tnl_recv(struct tnl *nl, uint32_t seq, tnl_cb cb, void *arg,
	     struct tnl_result *res);

/* Send and receive. */
int tnl_call(struct tnl *nl, struct tnl_msg *m, tnl_cb cb, void *arg,
	     struct tnl_result *res);

/* Attribute parsing: tb[type] for 1..max; unknown and empty types ignored. */
#define TNL_MAX_ATTR 32
struct tnl_attrs {
	const struct nlattr *tb[TNL_MAX_ATTR + 1];
};
int tnl_parse(struct tnl_attrs *a, const void *data, size_t len);
int tnl_parse_msg(struct tnl_attrs *a, const struct nlmsghdr *nlh);
int tnl_parse_nest(struct tnl_attrs *a, const struct nlattr *nest);
bool tnl_u32(const struct tnl_attrs *a, int type, uint32_t *v);
bool tnl_u64(const struct tnl_attrs *a, int type, uint64_t *v);
const char *tnl_str(const struct tnl_attrs *a, int type);

/* Iterate over the attributes of a message (after the genl header). */
#define tnl_for_each_attr(pos, nlh, rem)				\
	for (pos = (const struct nlattr *)((const char *)NLMSG_DATA(nlh) + \
					   4),				\
	     rem = (int)(nlh)->nlmsg_len - NLMSG_HDRLEN - 4;		\
	     rem >= (int)sizeof(struct nlattr) &&			\
	     pos->nla_len >= sizeof(struct nlattr) && pos->nla_len <= rem; \
	     rem -= NLA_ALIGN(pos->nla_len),				\
	     pos = (const struct nlattr *)((const char *)pos +		\
					   NLA_ALIGN(pos->nla_len)))

static inline int tnl_type(const struct nlattr *nla)
{
	return nla->nla_type & NLA_TYPE_MASK;
}

static inline const void *tnl_data(const struct nlattr *nla)
{
	return (const char *)nla + NLA_HDRLEN;
}

static inline size_t tnl_len(const struct nlattr *nla)
{
	return nla->nla_len - NLA_HDRLEN;
}

/*
 * A GET_PAGES answer must tile what was asked: each VMSCOPE_A_PAGE entry
 * starts where the one before ended.  tnl_tiling_cb() (a tnl_cb) checks
 * that, counts the entries and stops at the first that does not tile.
 */
struct tnl_tiling {
	uint64_t next;		/* where the next entry must start */
	long entries;
	char why[128];		/* the first problem, or "" */
};

int tnl_tiling_cb(const struct nlmsghdr *nlh, void *arg);

/*
 * GET_LAYOUT with a PID (VMSCOPE_A_PID), raw: each VMSCOPE_PROC_A_*
 * attribute the answer had, in has[] and v[].  0, -errno of the socket or
 * the kernel (*res has its extack), or -EBADMSG for an answer that is
 * not one message with a VMSCOPE_A_PROC_LAYOUT nest.
 */
struct tnl_proc {
	bool has[VMSCOPE_PROC_A_MAX + 1];
	uint64_t v[VMSCOPE_PROC_A_MAX + 1];
	int msgs;
	bool bad;
};

int tnl_get_proc(pid_t pid, struct tnl_proc *p, struct tnl_result *res);

#endif /* VMSCOPE_TEST_NL_H */
