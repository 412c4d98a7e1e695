/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transport: a generic netlink socket to the vmscope family (libnl), one
 * request at a time, its answer handed over message by message, and the
 * kernel's error with its extended ack text.
 */
#ifndef VMSCOPE_NL_H
#define VMSCOPE_NL_H

#include <stdbool.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "query.h"

struct vs_nl {
	struct nl_sock *sk;
	int family;
	/*
	 * The ABI version the loaded module registered its family with
	 * (CTRL_ATTR_VERSION); this client speaks VMSCOPE_GENL_VERSION.
	 */
	unsigned int version;
};

/* 0; -ENOENT when the family is not registered (module not loaded). */
int vs_nl_open(struct vs_nl *nl, struct vs_error *err);
void vs_nl_close(struct vs_nl *nl);

/* A request for cmd (NLM_F_DUMP if dump), to be filled with nla_put_*(). */
struct nl_msg *vs_nl_request(struct vs_nl *nl, u8 cmd, bool dump);

/*
 * Called with each reply message and its top-level attributes parsed
 * (the last of each type; iterate the message for repeated ones).
 * Return 0, or -errno to stop: vs_nl_run() then returns it.
 */
typedef int (*vs_reply_fn)(struct nlmsghdr *nlh, struct nlattr **tb,
			   void *arg);

/*
 * Send msg (consumed) and receive the whole answer.  0, or -errno with
 * err->msg the kernel's reason when it gave one.  An error that ends a
 * dump (in NLMSG_DONE) is reported like an error acknowledgment.
 */
int vs_nl_run(struct vs_nl *nl, struct nl_msg *msg, vs_reply_fn fn,
	      void *arg, struct vs_error *err);

/*
 * An error acknowledgment (as libnl's error callback gets it) into err:
 * its -errno and the kernel's extack message, if any.
 */
void vs_nl_error_fill(const struct nlmsgerr *e, struct vs_error *err);

/*
 * The nests more than one answer carries (query.c): 0 or -EBADMSG
 * (-ENOMEM).  A VMA's path is malloc'd: free it.
 */
int vs_parse_vma(struct nlattr *nest, struct vs_vma *v);
int vs_parse_page(struct nlattr *nest, struct vs_page *p);

#endif /* VMSCOPE_NL_H */
