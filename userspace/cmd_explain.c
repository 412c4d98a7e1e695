// SPDX-License-Identifier: GPL-2.0
/* vmscope explain: what an access at an address would do. */
#include <stdio.h>

#include "json.h"
#include "nl.h"

static int explain_reply(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	bool *got = arg;

	*got = !!tb[VMSCOPE_A_EXPLAIN];
	return 0;
}

int cmd_explain(struct vs_nl *nl, const struct vs_args *a)
{
	struct vs_error err;
	struct nl_msg *msg;
	bool got = false;

	msg = vs_nl_request(nl, VMSCOPE_CMD_EXPLAIN, false);
	if (msg && (nla_put_u32(msg, VMSCOPE_A_PID, a->pid) ||
		    nla_put_u64(msg, VMSCOPE_A_ADDR, a->addr))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (vs_nl_run(nl, msg, explain_reply, &got, &err))
		return vs_report(a, &err);
	fprintf(stderr, "vmscope: pid %u: cannot read the kernel's answer\n",
		a->pid);
	return VS_EXIT_ERROR;
}
