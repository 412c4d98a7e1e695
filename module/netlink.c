// SPDX-License-Identifier: GPL-2.0
/*
 * The "vmscope" generic netlink family: what debugfs shows, as attributes
 * (module/uapi/vmscope.h, docs/vmscope.yaml), for userspace/vmscope and
 * any generic netlink tool.
 *
 * Who may ask what is decided once per request, in .doit or a dump's
 * .start, both in the sender's context: whether the process may be
 * inspected at all by asking the kernel whether the sender could open its
 * /proc/PID/pagemap (target.c), what it may see from the sender's and the
 * socket opener's capabilities (netlink_capable()).  So the PID is
 * resolved in the sender's pid namespace, and the sender's credentials
 * are kept for the file permission checks of access.c; later .dumpit
 * calls run in whatever task reads the socket and only continue what
 * .start allowed, with those credentials.
 *
 * Dumps keep their state in a kmalloc'd struct hung off cb->ctx, of a
 * size fixed at .start: a dump of any address space costs the kernel a
 * constant amount of memory, and the walker takes and drops the target's
 * mmap lock itself between batches, never while we fill an skb.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "access.h"
#include "arch.h"
#include "compat.h"
#include "explain.h"
#include "faults_sink.h"
#include "layout.h"
#include "netlink.h"
#include "pages.h"
#include "proc_layout.h"
#include "target.h"
#include "vmas.h"

/* Pages fetched from the walker per call: the dump's only large buffer. */
#define VMSCOPE_NL_PAGE_BATCH	128

/* Room for a VMA message with the longest path (plus counts). */
#define VMSCOPE_NL_VMA_MSG_MAX	(VMSCOPE_PATH_MAX + 512)

static struct genl_family vmscope_family;

/* Not const: 6.1's nla_policy points to a mutable range. */
static struct netlink_range_validation vmscope_pid_range __ro_after_init = {
	.min = 1,
	.max = PID_MAX_LIMIT,
};

/*
 * One policy per command, each as wide as the attribute space: an
 * attribute the command does not take is NLA_UNSPEC there, which strict
 * validation rejects ("Unsupported attribute").
 */
static const struct nla_policy vmscope_layout_policy[VMSCOPE_A_MAX + 1] = {
	[VMSCOPE_A_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &vmscope_pid_range),
};

static const struct nla_policy vmscope_vmas_policy[VMSCOPE_A_MAX + 1] = {
	[VMSCOPE_A_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &vmscope_pid_range),
	[VMSCOPE_A_REQ_FLAGS] = NLA_POLICY_MASK(NLA_U32, VMSCOPE_REQ_NO_COUNTS),
};

static const struct nla_policy vmscope_pages_policy[VMSCOPE_A_MAX + 1] = {
	[VMSCOPE_A_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &vmscope_pid_range),
	[VMSCOPE_A_START] = { .type = NLA_U64 },
	[VMSCOPE_A_END] = { .type = NLA_U64 },
	[VMSCOPE_A_REQ_FLAGS] = NLA_POLICY_MASK(NLA_U32, VMSCOPE_REQ_RUNS),
};

static const struct nla_policy vmscope_explain_policy[VMSCOPE_A_MAX + 1] = {
	[VMSCOPE_A_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &vmscope_pid_range),
	[VMSCOPE_A_ADDR] = { .type = NLA_U64 },
};

static const struct nla_policy vmscope_faults_start_policy[VMSCOPE_A_MAX + 1] = {
	[VMSCOPE_A_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &vmscope_pid_range),
	[VMSCOPE_A_START] = { .type = NLA_U64 },
	[VMSCOPE_A_END] = { .type = NLA_U64 },
	[VMSCOPE_A_REQ_FLAGS] = NLA_POLICY_MASK(NLA_U32,
						VMSCOPE_REQ_CHECK_EXPLAIN),
};

static const struct nla_policy vmscope_faults_stop_policy[VMSCOPE_A_MAX + 1] = {
	[VMSCOPE_A_TRACE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/*
 * A rejected request: errno, message (a string that outlives the
 * request: literals, or the walker's static "why" strings), and the
 * attribute at fault or missing.
 */
struct vmscope_nl_err {
	int err;
	const char *msg;
	const struct nlattr *attr;
	u32 missing;
};

/* NL_SET_ERR_MSG() takes only literals; our messages may be the walker's. */
static void vmscope_nl_report(struct netlink_ext_ack *extack,
			      const struct vmscope_nl_err *e)
{
	if (!extack)
		return;
	extack->_msg = e->msg;
	if (e->attr)
		NL_SET_BAD_ATTR(extack, e->attr);
	if (e->missing)
		NL_SET_ERR_ATTR_MISS(extack, NULL, e->missing);
}

static int vmscope_nl_fail(struct netlink_ext_ack *extack, int err,
			   const char *msg)
{
	struct vmscope_nl_err e = { .err = err, .msg = msg };

	vmscope_nl_report(extack, &e);
	return err;
}

/*
 * An error found in .start.  6.12 gives .start the request's extack; 6.1
 * calls it with cb->extack NULL, and the message would be lost.  There
 * the error is kept and returned by the first .dumpit, whose extack
 * reaches user space in the NLMSG_DONE that ends the dump.  Returns
 * what .start should return.
 */
static int vmscope_start_error(struct netlink_callback *cb,
			       struct vmscope_nl_err *keep,
			       const struct vmscope_nl_err *e)
{
	if (cb->extack) {
		vmscope_nl_report(cb->extack, e);
		return e->err;
	}
	*keep = *e;
	return 0;
}

/* The dump's state, a pointer cast over cb->ctx. */
struct vmscope_dump_ctx {
	void *state;
};

static void **vmscope_dump_state(struct netlink_callback *cb)
{
	struct vmscope_dump_ctx *ctx = (void *)cb->ctx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	return &ctx->state;
}

/*
 * The credentials @skb's socket was opened with, when they are not the
 * sender's (NULL when they are the very same): a socket handed to, or
 * inherited by, a more privileged program must not make that program
 * ask on its behalf, by writing to it what the opener arranged (the
 * confused deputy of CVE-2014-0181, which netlink_capable() closes for
 * capabilities).  A request comes from a user socket, which has a file;
 * without one, ERR_PTR(-EPERM): when unsure, refuse.
 */
static const struct cred *vmscope_nl_opener(const struct sk_buff *skb)
{
	const struct sock *sk = NETLINK_CB(skb).sk;
	const struct file *file = sk && sk->sk_socket ? sk->sk_socket->file :
				  NULL;

	if (!file)
		return ERR_PTR(-EPERM);
	return file->f_cred == current_cred() ? NULL : file->f_cred;
}

/*
 * vmscope_target_open() for a request: the sender's credentials, and the
 * socket opener's where they differ (target.h), its capabilities as
 * netlink_capable() has them (both).
 */
static int vmscope_nl_target(const struct sk_buff *skb, pid_t nr,
			     struct vmscope_target *t, const char **why)
{
	const struct cred *opener = vmscope_nl_opener(skb);

	if (IS_ERR(opener)) {
		*why = "the socket has no opener to check";
		return PTR_ERR(opener);
	}
	return vmscope_target_open_as(t, nr, netlink_capable(skb, CAP_SYS_ADMIN),
				      current_cred(), opener, why);
}

/* The PID attribute, checked and opened with the sender's privileges. */
static int vmscope_nl_open_target(struct netlink_callback *cb,
				  struct nlattr **attrs,
				  struct vmscope_target *t,
				  struct vmscope_nl_err *e)
{
	const char *why = "cannot inspect this process";
	int ret;

	if (NL_REQ_ATTR_CHECK(NULL, NULL, attrs, VMSCOPE_A_PID)) {
		e->err = -EINVAL;
		e->msg = "missing PID (VMSCOPE_A_PID)";
		e->missing = VMSCOPE_A_PID;
		return e->err;
	}
	ret = vmscope_nl_target(cb->skb, nla_get_u32(attrs[VMSCOPE_A_PID]), t,
				&why);
	if (ret) {
		e->err = ret;
		e->msg = why;
		e->attr = attrs[VMSCOPE_A_PID];
	}
	return ret;
}

static int vmscope_nl_put_u64(struct sk_buff *skb, int type, u64 value,
			      int pad)
{
	return nla_put_u64_64bit(skb, type, value, pad);
}

/* ---- GET_LAYOUT ---- */

static int vmscope_put_layout(struct sk_buff *skb,
			      const struct vmscope_layout *l)
{
	const int pad = VMSCOPE_LAYOUT_A_PAD;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VMSCOPE_A_LAYOUT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VMSCOPE_LAYOUT_A_PAGING_LEVELS, l->paging_levels) ||
	    nla_put_u32(skb, VMSCOPE_LAYOUT_A_USER_VA_BITS, l->user_va_bits) ||
	    nla_put_u32(skb, VMSCOPE_LAYOUT_A_PAGE_SIZE, PAGE_SIZE) ||
	    vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_TASK_SIZE, l->task_size, pad) ||
	    vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_MMAP_WINDOW, l->mmap_window, pad))
		goto cancel;
	if (l->kernel_addrs_visible &&
	    (nla_put_u32(skb, VMSCOPE_LAYOUT_A_KASLR, l->kaslr) ||
	     vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_PAGE_OFFSET,
				l->page_offset, pad) ||
	     vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_DIRECT_MAP_END,
				l->direct_map_end, pad) ||
	     vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_VMALLOC_START,
				l->vmalloc_start, pad) ||
	     vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_VMALLOC_END,
				l->vmalloc_end, pad) ||
	     vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_VMEMMAP_START,
				l->vmemmap_start, pad) ||
	     vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_KERNEL_TEXT_START,
				l->kernel_text_start, pad) ||
	     vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_MODULES_START,
				l->modules_start, pad) ||
	     vmscope_nl_put_u64(skb, VMSCOPE_LAYOUT_A_MODULES_END,
				l->modules_end, pad)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* A process's layout (VMSCOPE_PROC_A_*): user addresses only. */
static int vmscope_put_proc_layout(struct sk_buff *skb,
				   const struct vmscope_proc_layout *pl)
{
	const int pad = VMSCOPE_PROC_A_PAD;
	const struct {
		int type;
		bool has;
		unsigned long value;
	} addrs[] = {
		{ VMSCOPE_PROC_A_TASK_SIZE, true, pl->task_size },
		{ VMSCOPE_PROC_A_START_CODE, true, pl->start_code },
		{ VMSCOPE_PROC_A_END_CODE, true, pl->end_code },
		{ VMSCOPE_PROC_A_START_DATA, true, pl->start_data },
		{ VMSCOPE_PROC_A_END_DATA, true, pl->end_data },
		{ VMSCOPE_PROC_A_START_BRK, true, pl->start_brk },
		{ VMSCOPE_PROC_A_BRK, true, pl->brk },
		{ VMSCOPE_PROC_A_START_STACK, true, pl->start_stack },
		{ VMSCOPE_PROC_A_ARG_START, true, pl->arg_start },
		{ VMSCOPE_PROC_A_ARG_END, true, pl->arg_end },
		{ VMSCOPE_PROC_A_ENV_START, true, pl->env_start },
		{ VMSCOPE_PROC_A_ENV_END, true, pl->env_end },
		{ VMSCOPE_PROC_A_MMAP_BASE, true, pl->mmap_base },
		{ VMSCOPE_PROC_A_STACK_END, pl->has_stack_end, pl->stack_end },
		{ VMSCOPE_PROC_A_VDSO, pl->has_vdso, pl->vdso },
		{ VMSCOPE_PROC_A_TEXT_NORAND, pl->has_text_norand,
		  pl->text_norand },
		{ VMSCOPE_PROC_A_BRK_NORAND, pl->has_brk_norand, pl->brk_norand },
		{ VMSCOPE_PROC_A_STACK_NORAND, pl->has_stack_norand,
		  pl->stack_norand },
		{ VMSCOPE_PROC_A_MMAP_NORAND, pl->has_mmap_norand,
		  pl->mmap_norand },
		{ VMSCOPE_PROC_A_MMAP_RND, pl->has_mmap_norand, pl->mmap_rnd },
	};
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, VMSCOPE_A_PROC_LAYOUT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VMSCOPE_PROC_A_COMPAT, pl->compat) ||
	    nla_put_u32(skb, VMSCOPE_PROC_A_RANDOMIZE, pl->randomize) ||
	    nla_put_u32(skb, VMSCOPE_PROC_A_NO_RANDOMIZE, pl->no_randomize) ||
	    nla_put_u32(skb, VMSCOPE_PROC_A_TOPDOWN, pl->topdown) ||
	    nla_put_u32(skb, VMSCOPE_PROC_A_EXEC_TYPE, pl->exec_type))
		goto cancel;
	for (i = 0; i < ARRAY_SIZE(addrs); i++)
		if (addrs[i].has &&
		    vmscope_nl_put_u64(skb, addrs[i].type, addrs[i].value, pad))
			goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * The process named by VMSCOPE_A_PID, opened and read with the sender's
 * privileges, as for the other per-process commands.
 */
static int vmscope_nl_proc_layout(struct sk_buff *skb, struct genl_info *info,
				  struct vmscope_proc_layout *pl, pid_t *nr)
{
	const struct nlattr *a_pid = info->attrs[VMSCOPE_A_PID];
	const char *why = "cannot inspect this process";
	struct vmscope_target t;
	int ret;

	ret = vmscope_nl_target(skb, nla_get_u32(a_pid), &t, &why);
	if (!ret) {
		*nr = t.nr;
		ret = vmscope_proc_layout_get(&t, pl, &why);
		vmscope_target_close(&t);
	}
	if (ret) {
		struct vmscope_nl_err err = {
			.err = ret, .msg = why, .attr = ret == -EINTR ? NULL : a_pid,
		};

		vmscope_nl_report(info->extack, &err);
	}
	return ret;
}

static int vmscope_nl_get_layout(struct sk_buff *skb, struct genl_info *info)
{
	struct vmscope_proc_layout *pl = NULL;
	struct vmscope_layout l;
	struct sk_buff *msg;
	pid_t nr = 0;
	bool visible;
	void *hdr;
	int ret;

	if (info->attrs[VMSCOPE_A_PID]) {
		pl = kmalloc(sizeof(*pl), GFP_KERNEL);
		if (!pl)
			return -ENOMEM;
		ret = vmscope_nl_proc_layout(skb, info, pl, &nr);
		if (ret)
			goto out;
	}

	/* Kernel addresses reveal KASLR: see access.c. */
	visible = vmscope_kernel_addrs_visible(netlink_capable(skb, CAP_SYSLOG));
	vmscope_layout_get(&l, visible);

	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &vmscope_family, 0,
				VMSCOPE_CMD_GET_LAYOUT);
	if (!hdr || vmscope_put_layout(msg, &l) ||
	    (pl && (nla_put_u32(msg, VMSCOPE_A_PID, nr) ||
		    vmscope_put_proc_layout(msg, pl)))) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	kfree(pl);
	return ret;
}

/* ---- GET_VMAS ---- */

struct vmscope_vmas_dump {
	struct vmscope_target target;
	struct vmscope_vma_cursor cursor;
	bool target_open;
	bool cursor_ready;
	bool eof;
	struct vmscope_nl_err deferred;
	/*
	 * A VMA taken from the walker but not yet sent: it did not fit in
	 * the last skb.  The path is copied, so nothing here depends on
	 * the walker's buffers.
	 */
	bool have_vma;
	struct vmscope_vma_info vma;
	char *path;
};

static void vmscope_vmas_free(struct vmscope_vmas_dump *d)
{
	if (!d)
		return;
	if (d->cursor_ready)
		vmscope_vma_cursor_destroy(&d->cursor);
	if (d->target_open)
		vmscope_target_close(&d->target);
	kfree(d->path);
	kfree(d);
}

static int vmscope_vmas_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = vmscope_genl_dump_attrs(cb);
	struct vmscope_nl_err e = {};
	struct vmscope_vmas_dump *d;
	u32 req = 0;
	int ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->path = kmalloc(VMSCOPE_PATH_MAX, GFP_KERNEL);
	if (!d->path) {
		kfree(d);
		return -ENOMEM;
	}
	if (attrs[VMSCOPE_A_REQ_FLAGS])
		req = nla_get_u32(attrs[VMSCOPE_A_REQ_FLAGS]);

	if (!vmscope_nl_open_target(cb, attrs, &d->target, &e)) {
		d->target_open = true;
		ret = vmscope_vma_cursor_init(&d->cursor, &d->target,
					      !(req & VMSCOPE_REQ_NO_COUNTS));
		if (ret) {
			e.err = ret;
			e.msg = "cannot start the VMA walk";
		} else {
			d->cursor_ready = true;
		}
	}
	if (e.err) {
		ret = vmscope_start_error(cb, &d->deferred, &e);
		if (ret) {
			vmscope_vmas_free(d);
			return ret;
		}
	}

	/* Every skb of this dump must hold a VMA with the longest path. */
	cb->min_dump_alloc = nlmsg_total_size(GENL_HDRLEN +
					      VMSCOPE_NL_VMA_MSG_MAX);
	*vmscope_dump_state(cb) = d;
	return 0;
}

static int vmscope_vmas_done(struct netlink_callback *cb)
{
	vmscope_vmas_free(*vmscope_dump_state(cb));
	*vmscope_dump_state(cb) = NULL;
	return 0;
}

static int vmscope_put_counts(struct sk_buff *skb,
			      const struct vmscope_counts *c)
{
	/* counts of bits the caller may not see are left out (access.c) */
	const struct {
		int type;
		bool has;
		u64 value;
	} fields[] = {
		{ VMSCOPE_COUNT_A_NONE, true, c->none },
		{ VMSCOPE_COUNT_A_PRESENT, true, c->present },
		{ VMSCOPE_COUNT_A_SWAP, true, c->swap },
		{ VMSCOPE_COUNT_A_PAGE_CACHE, true, c->page_cache },
		{ VMSCOPE_COUNT_A_ZERO, true, c->zero },
		{ VMSCOPE_COUNT_A_THP, !c->bits_hidden, c->thp },
		{ VMSCOPE_COUNT_A_COW, !c->bits_hidden, c->cow },
		{ VMSCOPE_COUNT_A_EXCLUSIVE, !c->bits_hidden, c->exclusive },
		{ VMSCOPE_COUNT_A_OTHER, true, c->other },
		{ VMSCOPE_COUNT_A_PSS_BYTES, true, c->pss_bytes },
		{ VMSCOPE_COUNT_A_CACHE_HIDDEN, true, c->cache_hidden },
	};
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, VMSCOPE_VMA_A_COUNTS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (fields[i].has &&
		    vmscope_nl_put_u64(skb, fields[i].type, fields[i].value,
				       VMSCOPE_COUNT_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vmscope_put_vma(struct sk_buff *skb, int type,
			   const struct vmscope_vma_info *v)
{
	const int pad = VMSCOPE_VMA_A_PAD;
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (vmscope_nl_put_u64(skb, VMSCOPE_VMA_A_START, v->start, pad) ||
	    vmscope_nl_put_u64(skb, VMSCOPE_VMA_A_END, v->end, pad) ||
	    vmscope_nl_put_u64(skb, VMSCOPE_VMA_A_PGOFF, v->pgoff_bytes, pad) ||
	    nla_put_u32(skb, VMSCOPE_VMA_A_FLAGS, v->flags) ||
	    nla_put_u32(skb, VMSCOPE_VMA_A_DEV_MAJOR, v->dev_major) ||
	    nla_put_u32(skb, VMSCOPE_VMA_A_DEV_MINOR, v->dev_minor) ||
	    vmscope_nl_put_u64(skb, VMSCOPE_VMA_A_INODE, v->inode, pad) ||
	    nla_put_string(skb, VMSCOPE_VMA_A_PATH, v->path) ||
	    nla_put_u32(skb, VMSCOPE_VMA_A_KIND, v->kind) ||
	    (v->has_counts && vmscope_put_counts(skb, &v->counts))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vmscope_vmas_put_msg(struct sk_buff *skb,
				struct netlink_callback *cb,
				struct vmscope_vmas_dump *d)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &vmscope_family, NLM_F_MULTI, VMSCOPE_CMD_GET_VMAS);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VMSCOPE_A_PID, d->target.nr) ||
	    vmscope_put_vma(skb, VMSCOPE_A_VMA, &d->vma)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int vmscope_vmas_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vmscope_vmas_dump *d = *vmscope_dump_state(cb);
	const char *why;
	int ret;

	if (d->deferred.err) {
		vmscope_nl_report(cb->extack, &d->deferred);
		return d->deferred.err;
	}
	while (!d->eof || d->have_vma) {
		if (!d->have_vma) {
			why = "VMA walk failed";
			ret = vmscope_vmas_next(&d->cursor, &d->vma, &why);
			if (ret < 0)
				return vmscope_nl_fail(cb->extack, ret, why);
			if (!ret) {
				d->eof = true;
				break;
			}
			strscpy(d->path, d->vma.path ? d->vma.path : "",
				VMSCOPE_PATH_MAX);
			d->vma.path = d->path;
			d->have_vma = true;
		}
		if (vmscope_vmas_put_msg(skb, cb, d)) {
			if (!skb->len)
				return vmscope_nl_fail(cb->extack, -EMSGSIZE,
						       "VMA does not fit in a message");
			break;
		}
		d->have_vma = false;
		cond_resched();
	}
	return skb->len;
}

/* ---- GET_PAGES ---- */

struct vmscope_pages_dump {
	struct vmscope_target target;
	struct vmscope_page_cursor cursor;
	bool target_open;
	bool eof;
	struct vmscope_nl_err deferred;
	/* buf[pos..n) came from the walker and are not sent yet. */
	struct vmscope_page *buf;
	unsigned int pos, n;
};

static void vmscope_pages_free(struct vmscope_pages_dump *d)
{
	if (!d)
		return;
	if (d->target_open)
		vmscope_target_close(&d->target);
	kfree(d->buf);
	kfree(d);
}

/*
 * [START, END) of a GET_PAGES request, whole user space by default.  The
 * walker's vmscope_check_range() has the last word; the checks here come
 * first so that the message names the attribute at fault.
 */
static int vmscope_nl_range(struct nlattr **attrs, u64 *start, u64 *end,
			    struct vmscope_nl_err *e)
{
	const struct nlattr *a_start = attrs[VMSCOPE_A_START];
	const struct nlattr *a_end = attrs[VMSCOPE_A_END];
	const char *why = "invalid range";

	*start = a_start ? nla_get_u64(a_start) : 0;
	*end = a_end ? nla_get_u64(a_end) : VMSCOPE_ARCH_USER_END;

	e->err = -EINVAL;
	if (!PAGE_ALIGNED(*start)) {
		e->msg = "START is not page aligned";
		e->attr = a_start;
	} else if (!PAGE_ALIGNED(*end)) {
		e->msg = "END is not page aligned";
		e->attr = a_end;
	} else if (*end > VMSCOPE_ARCH_USER_END) {
		e->msg = "END is above the end of user space (TASK_SIZE)";
		e->attr = a_end;
	} else if (*start >= *end) {
		e->msg = a_end ? "START must be below END" :
				 "START must be below TASK_SIZE";
		e->attr = a_start;
	} else {
		e->err = vmscope_check_range(*start, *end, &why);
		e->msg = why;
	}
	return e->err;
}

static int vmscope_pages_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = vmscope_genl_dump_attrs(cb);
	struct vmscope_nl_err e = {};
	struct vmscope_pages_dump *d;
	u64 start, end;
	bool runs;
	int ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->buf = kmalloc_array(VMSCOPE_NL_PAGE_BATCH, sizeof(*d->buf),
			       GFP_KERNEL);
	if (!d->buf) {
		kfree(d);
		return -ENOMEM;
	}
	runs = attrs[VMSCOPE_A_REQ_FLAGS] &&
	       (nla_get_u32(attrs[VMSCOPE_A_REQ_FLAGS]) & VMSCOPE_REQ_RUNS);

	if (NL_REQ_ATTR_CHECK(NULL, NULL, attrs, VMSCOPE_A_PID)) {
		e.err = -EINVAL;
		e.msg = "missing PID (VMSCOPE_A_PID)";
		e.missing = VMSCOPE_A_PID;
	} else if (!vmscope_nl_range(attrs, &start, &end, &e) &&
		   !vmscope_nl_open_target(cb, attrs, &d->target, &e)) {
		d->target_open = true;
		vmscope_page_cursor_init(&d->cursor, &d->target, start, end,
					 runs);
	}
	if (e.err) {
		ret = vmscope_start_error(cb, &d->deferred, &e);
		if (ret) {
			vmscope_pages_free(d);
			return ret;
		}
	}
	*vmscope_dump_state(cb) = d;
	return 0;
}

static int vmscope_pages_done(struct netlink_callback *cb)
{
	vmscope_pages_free(*vmscope_dump_state(cb));
	*vmscope_dump_state(cb) = NULL;
	return 0;
}

/*
 * PFNs, and swap entries (whose offsets are PFNs for migration and device
 * entries), only for callers that may see PFNs, as /proc/PID/pagemap.
 */
static int vmscope_put_page(struct sk_buff *skb, int type,
			    const struct vmscope_page *p, bool show_pfn)
{
	const int pad = VMSCOPE_PAGE_A_PAD;
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (vmscope_nl_put_u64(skb, VMSCOPE_PAGE_A_ADDR, p->addr, pad) ||
	    vmscope_nl_put_u64(skb, VMSCOPE_PAGE_A_NR_PAGES, p->nr, pad) ||
	    nla_put_u32(skb, VMSCOPE_PAGE_A_STATE, p->state) ||
	    nla_put_u32(skb, VMSCOPE_PAGE_A_FLAGS, p->flags) ||
	    nla_put_u32(skb, VMSCOPE_PAGE_A_LEVEL, p->level) ||
	    (!(p->flags & VMSCOPE_PAGE_F_BITS_HIDDEN) &&
	     nla_put_u32(skb, VMSCOPE_PAGE_A_FOLIO_ORDER, p->order)))
		goto cancel;
	/* An average is no page's mapcount; a hidden one is not the caller's */
	if (!(p->flags & (VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN |
			  VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN)) &&
	    nla_put_u32(skb, VMSCOPE_PAGE_A_MAPCOUNT, p->mapcount))
		goto cancel;
	if (show_pfn && vmscope_page_has_pfn(p) &&
	    vmscope_nl_put_u64(skb, VMSCOPE_PAGE_A_PFN, p->pfn, pad))
		goto cancel;
	if (show_pfn && vmscope_page_has_swap(p) &&
	    (nla_put_u32(skb, VMSCOPE_PAGE_A_SWAP_TYPE, p->swap_type) ||
	     vmscope_nl_put_u64(skb, VMSCOPE_PAGE_A_SWAP_OFFSET,
				p->swap_offset, pad)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* One message per skb, with as many pages as fit. */
static int vmscope_pages_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct vmscope_pages_dump *d = *vmscope_dump_state(cb);
	unsigned int sent = 0;
	const char *why;
	void *hdr;
	int ret = 0;

	if (d->deferred.err) {
		vmscope_nl_report(cb->extack, &d->deferred);
		return d->deferred.err;
	}
	if (d->eof && d->pos == d->n)
		return 0;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &vmscope_family, NLM_F_MULTI, VMSCOPE_CMD_GET_PAGES);
	if (!hdr)
		return vmscope_nl_fail(cb->extack, -EMSGSIZE,
				       "receive buffer too small");
	if (nla_put_u32(skb, VMSCOPE_A_PID, d->target.nr)) {
		genlmsg_cancel(skb, hdr);
		return vmscope_nl_fail(cb->extack, -EMSGSIZE,
				       "receive buffer too small");
	}

	for (;;) {
		if (d->pos == d->n) {
			if (d->eof)
				break;
			why = "page walk failed";
			ret = vmscope_pages_next(&d->cursor, d->buf,
						 VMSCOPE_NL_PAGE_BATCH, &why);
			if (ret < 0) {
				vmscope_nl_fail(cb->extack, ret, why);
				break;
			}
			d->pos = 0;
			d->n = ret;
			if (!ret)
				d->eof = true;
			ret = 0;
			cond_resched();
			continue;
		}
		if (vmscope_put_page(skb, VMSCOPE_A_PAGE, &d->buf[d->pos],
				     d->target.show_pfn))
			break;
		d->pos++;
		sent++;
	}

	if (!sent) {
		genlmsg_cancel(skb, hdr);
		if (!ret && !(d->eof && d->pos == d->n))
			return vmscope_nl_fail(cb->extack, -EMSGSIZE,
					       "receive buffer too small");
	} else {
		genlmsg_end(skb, hdr);
	}
	/* Pages taken before an error still go out, ahead of NLMSG_DONE. */
	return ret ? ret : skb->len;
}

/* ---- EXPLAIN ---- */

/* Room for the reply: a VMA with the longest path, entries and a page. */
#define VMSCOPE_NL_EXPLAIN_MSG_MAX	(VMSCOPE_PATH_MAX + 1024)

static const int vmscope_explain_level_attr[] = {
	[VMSCOPE_LEVEL_PGD] = VMSCOPE_EXPLAIN_A_PGD,
	[VMSCOPE_LEVEL_P4D] = VMSCOPE_EXPLAIN_A_P4D,
	[VMSCOPE_LEVEL_PUD] = VMSCOPE_EXPLAIN_A_PUD,
	[VMSCOPE_LEVEL_PMD] = VMSCOPE_EXPLAIN_A_PMD,
	[VMSCOPE_LEVEL_PTE] = VMSCOPE_EXPLAIN_A_PTE,
};

static int vmscope_put_explanation(struct sk_buff *skb,
				   const struct vmscope_explanation *e,
				   bool show_pfn)
{
	const int pad = VMSCOPE_EXPLAIN_A_PAD;
	struct nlattr *nest;
	int level;

	nest = nla_nest_start(skb, VMSCOPE_A_EXPLAIN);
	if (!nest)
		return -EMSGSIZE;
	if (vmscope_nl_put_u64(skb, VMSCOPE_EXPLAIN_A_ADDR, e->addr, pad))
		goto cancel;
	if (e->in_vma &&
	    (vmscope_put_vma(skb, VMSCOPE_EXPLAIN_A_VMA, &e->vma) ||
	     vmscope_put_page(skb, VMSCOPE_EXPLAIN_A_PAGE, &e->page, show_pfn)))
		goto cancel;
	if (e->has_prev &&
	    vmscope_nl_put_u64(skb, VMSCOPE_EXPLAIN_A_PREV_END, e->prev_end, pad))
		goto cancel;
	if (e->has_next &&
	    (vmscope_nl_put_u64(skb, VMSCOPE_EXPLAIN_A_NEXT_START,
				e->next_start, pad) ||
	     nla_put_u32(skb, VMSCOPE_EXPLAIN_A_NEXT_FLAGS, e->next_flags)))
		goto cancel;
	for (level = VMSCOPE_LEVEL_PTE; level <= VMSCOPE_LEVEL_PGD; level++) {
		/* With 4-level paging the P4D is the PGD entry, folded. */
		if (level == VMSCOPE_LEVEL_P4D && e->levels == 4)
			continue;
		if (e->raw[level] != VMSCOPE_NOT_READ &&
		    vmscope_nl_put_u64(skb, vmscope_explain_level_attr[level],
				       e->raw[level], pad))
			goto cancel;
	}
	if (nla_put_u32(skb, VMSCOPE_EXPLAIN_A_READ, e->fault[VMSCOPE_READ]) ||
	    nla_put_u32(skb, VMSCOPE_EXPLAIN_A_WRITE, e->fault[VMSCOPE_WRITE]) ||
	    nla_put_u32(skb, VMSCOPE_EXPLAIN_A_EXEC, e->fault[VMSCOPE_EXEC]))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int vmscope_nl_explain(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct vmscope_explanation *e;
	struct vmscope_target t;
	const char *why = "cannot explain this address";
	struct sk_buff *msg;
	char *path;
	void *hdr;
	u64 addr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VMSCOPE_A_PID)) {
		NL_SET_ERR_MSG(info->extack, "missing PID (VMSCOPE_A_PID)");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, VMSCOPE_A_ADDR)) {
		NL_SET_ERR_MSG(info->extack, "missing ADDR (VMSCOPE_A_ADDR)");
		return -EINVAL;
	}
	addr = nla_get_u64(attrs[VMSCOPE_A_ADDR]);
	if (addr >= VMSCOPE_ARCH_USER_END) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[VMSCOPE_A_ADDR],
				    "ADDR is not below the end of user space (TASK_SIZE)");
		return -EINVAL;
	}

	ret = vmscope_nl_target(skb, nla_get_u32(attrs[VMSCOPE_A_PID]), &t,
				&why);
	if (ret) {
		struct vmscope_nl_err err = {
			.err = ret, .msg = why, .attr = attrs[VMSCOPE_A_PID],
		};

		vmscope_nl_report(info->extack, &err);
		return ret;
	}

	e = kmalloc(sizeof(*e), GFP_KERNEL);
	path = kmalloc(VMSCOPE_PATH_MAX, GFP_KERNEL);
	msg = genlmsg_new(VMSCOPE_NL_EXPLAIN_MSG_MAX, GFP_KERNEL);
	ret = -ENOMEM;
	if (!e || !path || !msg)
		goto out;

	ret = vmscope_explain(&t, addr, path, e, &why);
	if (ret) {
		vmscope_nl_fail(info->extack, ret, why);
		goto out;
	}
	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &vmscope_family, 0,
				VMSCOPE_CMD_EXPLAIN);
	if (!hdr || nla_put_u32(msg, VMSCOPE_A_PID, t.nr) ||
	    vmscope_put_explanation(msg, e, t.show_pfn))
		goto out;
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	msg = NULL;
out:
	nlmsg_free(msg);
	kfree(path);
	kfree(e);
	vmscope_target_close(&t);
	return ret;
}

/* ---- FAULTS_START / FAULTS_STOP and the trace's events ---- */

/* The trace's ID and ring size; with @end, how it ended. */
static int vmscope_put_trace(struct sk_buff *skb, u32 id, u32 ring_events,
			     const struct faults_end *end)
{
	const int pad = VMSCOPE_TRACE_A_PAD;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VMSCOPE_A_TRACE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VMSCOPE_TRACE_A_ID, id) ||
	    nla_put_u32(skb, VMSCOPE_TRACE_A_RING_EVENTS, ring_events) ||
	    (end && (vmscope_nl_put_u64(skb, VMSCOPE_TRACE_A_EVENTS,
					end->events, pad) ||
		     vmscope_nl_put_u64(skb, VMSCOPE_TRACE_A_DROPPED,
					end->dropped, pad) ||
		     nla_put_u32(skb, VMSCOPE_TRACE_A_END_REASON,
				 end->reason) ||
		     vmscope_nl_put_u64(skb, VMSCOPE_TRACE_A_MISSED,
					end->missed, pad)))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A trace's reader: the socket that sent FAULTS_START, held by its
 * struct sock, not its port ID.  A port ID is free again as soon as the
 * socket is released (before NETLINK_URELEASE is even announced) and any
 * user may bind it; sending to the port would give that user the rest of
 * the trace.  So events are queued on the held socket itself (as
 * netlink_unicast() would after finding it, minus the nlmon taps): once
 * that socket is closed they can reach nobody, and the trace ends.
 */
struct vmscope_nl_reader {
	struct faults_sink sink;
	struct sock *sk;	/* sock_hold()'d */
	u32 pid;		/* as the sender gave it */
};

static struct vmscope_nl_reader *vmscope_nl_reader(struct faults_sink *sink)
{
	return container_of(sink, struct vmscope_nl_reader, sink);
}

static bool vmscope_nl_reader_gone(struct faults_sink *sink)
{
	return sock_flag(vmscope_nl_reader(sink)->sk, SOCK_DEAD);
}

/*
 * Queue @msg on the reader's socket, taking it either way.  -EAGAIN when
 * its receive buffer is full (netlink_attachskb()'s rule, never waiting),
 * -ECONNREFUSED when the socket is closed.
 */
static int vmscope_nl_reader_send(struct faults_sink *sink,
				  struct sk_buff *msg)
{
	struct sock *sk = vmscope_nl_reader(sink)->sk;
	unsigned int rmem = atomic_read(&sk->sk_rmem_alloc);
	int spare = skb_tailroom(msg);

	/*
	 * Room for the longest paths, mostly unused: give it back, or the
	 * receive buffer holds a fraction of the events (netlink_trim()
	 * does this for netlink_unicast(); pskb_expand_head() adjusts the
	 * truesize of an skb that has no owner yet).
	 */
	if (spare * 2 >= msg->truesize)
		pskb_expand_head(msg, 0, -spare,
				 GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY);
	if (sock_flag(sk, SOCK_DEAD)) {
		nlmsg_free(msg);
		return -ECONNREFUSED;
	}
	if (rmem && rmem + msg->truesize > READ_ONCE(sk->sk_rcvbuf)) {
		nlmsg_free(msg);
		return -EAGAIN;
	}
	skb_set_owner_r(msg, sk);
	skb_queue_tail(&sk->sk_receive_queue, msg);
	sk->sk_data_ready(sk);
	return 0;
}

static void vmscope_nl_reader_release(struct faults_sink *sink)
{
	struct vmscope_nl_reader *r = vmscope_nl_reader(sink);

	sock_put(r->sk);
	kfree(r);
}

static int vmscope_nl_send_fault(struct faults_sink *sink,
				 const struct faults_event *ev);
static int vmscope_nl_send_trace_end(struct faults_sink *sink,
				     const struct faults_end *end);

static const struct faults_sink_ops vmscope_nl_reader_ops = {
	.deliver = vmscope_nl_send_fault,
	.end = vmscope_nl_send_trace_end,
	.gone = vmscope_nl_reader_gone,
	.release = vmscope_nl_reader_release,
};

static int vmscope_nl_faults_start(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct faults_start_req req = {};
	const char *why = "cannot trace this process";
	struct sock *sk = NETLINK_CB(skb).sk;
	struct vmscope_nl_err e = {};
	struct vmscope_nl_reader *r;
	u32 id, ring_events;
	struct sk_buff *msg;
	u64 start, end;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VMSCOPE_A_PID)) {
		NL_SET_ERR_MSG(info->extack, "missing PID (VMSCOPE_A_PID)");
		return -EINVAL;
	}
	if (vmscope_nl_range(attrs, &start, &end, &e)) {
		vmscope_nl_report(info->extack, &e);
		return e.err;
	}
	req.opener = vmscope_nl_opener(skb);
	if (IS_ERR(req.opener)) {
		NL_SET_ERR_MSG(info->extack, "the socket has no opener to check");
		return PTR_ERR(req.opener);
	}
	req.admin = netlink_capable(skb, CAP_SYS_ADMIN);
	req.perfmon = req.admin || netlink_capable(skb, CAP_PERFMON);
	/* refused before anything is allocated for it */
	ret = faults_may_trace(req.perfmon, &why);
	if (ret) {
		e = (struct vmscope_nl_err){ .err = ret, .msg = why };
		vmscope_nl_report(info->extack, &e);
		return ret;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!msg || !r) {
		nlmsg_free(msg);
		kfree(r);
		return -ENOMEM;
	}
	r->sink.ops = &vmscope_nl_reader_ops;
	r->sink.owner = sk;
	r->sk = sk;
	sock_hold(sk);
	r->pid = nla_get_u32(attrs[VMSCOPE_A_PID]);

	req.pid = r->pid;
	req.start = start;
	req.end = end;
	req.show_pfn = req.admin;
	req.check_explain = attrs[VMSCOPE_A_REQ_FLAGS] &&
			    (nla_get_u32(attrs[VMSCOPE_A_REQ_FLAGS]) &
			     VMSCOPE_REQ_CHECK_EXPLAIN);
	req.cred = current_cred();
	req.sink = &r->sink;
	/* the session owns r from here, even when it refuses */
	ret = faults_session_start(&req, &id, &ring_events, NULL, &why);
	if (ret) {
		e = (struct vmscope_nl_err){ .err = ret, .msg = why };
		if (ret == -ESRCH || ret == -EPERM || ret == -EACCES)
			e.attr = attrs[VMSCOPE_A_PID];
		vmscope_nl_report(info->extack, &e);
		nlmsg_free(msg);
		return ret;
	}
	hdr = genlmsg_put_reply(msg, info, &vmscope_family, 0,
				VMSCOPE_CMD_FAULTS_START);
	if (!hdr || nla_put_u32(msg, VMSCOPE_A_PID, req.pid) ||
	    vmscope_put_trace(msg, id, ring_events, NULL)) {
		nlmsg_free(msg);
		faults_session_stop(sk, id);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int vmscope_nl_faults_stop(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VMSCOPE_A_TRACE_ID)) {
		NL_SET_ERR_MSG(info->extack,
			       "missing trace ID (VMSCOPE_A_TRACE_ID)");
		return -EINVAL;
	}
	ret = faults_session_stop(NETLINK_CB(skb).sk,
				  nla_get_u32(info->attrs[VMSCOPE_A_TRACE_ID]));
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VMSCOPE_A_TRACE_ID],
				    "no such trace started from this socket");
	return ret;
}

static int vmscope_put_fault(struct sk_buff *skb, const struct faults_event *ev,
			     bool show_pfn)
{
	const int pad = VMSCOPE_FAULT_A_PAD;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VMSCOPE_A_FAULT);
	if (!nest)
		return -EMSGSIZE;
	if (vmscope_nl_put_u64(skb, VMSCOPE_FAULT_A_SEQ, ev->seq, pad) ||
	    vmscope_nl_put_u64(skb, VMSCOPE_FAULT_A_TIME_NS, ev->time, pad) ||
	    nla_put_u32(skb, VMSCOPE_FAULT_A_TID, ev->tid) ||
	    vmscope_nl_put_u64(skb, VMSCOPE_FAULT_A_ADDR, ev->addr, pad) ||
	    nla_put_u32(skb, VMSCOPE_FAULT_A_ACCESS, ev->access) ||
	    nla_put_u32(skb, VMSCOPE_FAULT_A_FLAGS, ev->flags) ||
	    /* no IP for a remote fault (VMSCOPE_FAULT_F_REMOTE) */
	    (ev->ip && vmscope_nl_put_u64(skb, VMSCOPE_FAULT_A_IP, ev->ip,
					  pad)) ||
	    (ev->has_ip_path &&
	     (nla_put_string(skb, VMSCOPE_FAULT_A_IP_PATH, ev->ip_path) ||
	      vmscope_nl_put_u64(skb, VMSCOPE_FAULT_A_IP_OFFSET,
				 ev->ip_offset, pad))) ||
	    (ev->has_vma &&
	     vmscope_put_vma(skb, VMSCOPE_FAULT_A_VMA, &ev->vma)) ||
	    (ev->has_before &&
	     vmscope_put_page(skb, VMSCOPE_FAULT_A_BEFORE, &ev->before,
			      show_pfn)) ||
	    (ev->has_after &&
	     vmscope_put_page(skb, VMSCOPE_FAULT_A_AFTER, &ev->after,
			      show_pfn)) ||
	    nla_put_u32(skb, VMSCOPE_FAULT_A_OUTCOME, ev->outcome) ||
	    (ev->has_predicted &&
	     nla_put_u32(skb, VMSCOPE_FAULT_A_PREDICTED, ev->predicted)) ||
	    (ev->has_vm_fault &&
	     nla_put_u32(skb, VMSCOPE_FAULT_A_VM_FAULT, ev->vm_fault)) ||
	    nla_put_u32(skb, VMSCOPE_FAULT_A_RETRIES, ev->retries)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Unsolicited (seq 0) to the socket that started the trace, from the
 * session's work.  -EAGAIN: its receive buffer is full (the session keeps
 * the event); -ECONNREFUSED: the socket is closed.
 */
static int vmscope_nl_send_fault(struct faults_sink *sink,
				 const struct faults_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	/* two paths at most: the IP's file and the VMA's */
	msg = genlmsg_new(2 * VMSCOPE_PATH_MAX + 1024, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &vmscope_family, 0,
			  VMSCOPE_CMD_FAULT_EVENT);
	if (!hdr ||
	    nla_put_u32(msg, VMSCOPE_A_PID, vmscope_nl_reader(sink)->pid) ||
	    nla_put_u32(msg, VMSCOPE_A_TRACE_ID, sink->id) ||
	    vmscope_put_fault(msg, ev, sink->show_pfn)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return vmscope_nl_reader_send(sink, msg);
}

static int vmscope_nl_send_trace_end(struct faults_sink *sink,
				     const struct faults_end *end)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -EAGAIN;		/* offered again */
	hdr = genlmsg_put(msg, 0, 0, &vmscope_family, 0,
			  VMSCOPE_CMD_TRACE_END);
	if (!hdr ||
	    nla_put_u32(msg, VMSCOPE_A_PID, vmscope_nl_reader(sink)->pid) ||
	    nla_put_u32(msg, VMSCOPE_A_TRACE_ID, end->id) ||
	    vmscope_put_trace(msg, end->id, end->ring_events, end)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return vmscope_nl_reader_send(sink, msg);
}

static const struct genl_ops vmscope_ops[] = {
	{
		.cmd = VMSCOPE_CMD_GET_LAYOUT,
		.doit = vmscope_nl_get_layout,
		.policy = vmscope_layout_policy,
		.maxattr = VMSCOPE_A_MAX,
	},
	{
		.cmd = VMSCOPE_CMD_GET_VMAS,
		.start = vmscope_vmas_start,
		.dumpit = vmscope_vmas_dumpit,
		.done = vmscope_vmas_done,
		.policy = vmscope_vmas_policy,
		.maxattr = VMSCOPE_A_MAX,
	},
	{
		.cmd = VMSCOPE_CMD_GET_PAGES,
		.start = vmscope_pages_start,
		.dumpit = vmscope_pages_dumpit,
		.done = vmscope_pages_done,
		.policy = vmscope_pages_policy,
		.maxattr = VMSCOPE_A_MAX,
	},
	{
		.cmd = VMSCOPE_CMD_EXPLAIN,
		.doit = vmscope_nl_explain,
		.policy = vmscope_explain_policy,
		.maxattr = VMSCOPE_A_MAX,
	},
	{
		.cmd = VMSCOPE_CMD_FAULTS_START,
		.doit = vmscope_nl_faults_start,
		.policy = vmscope_faults_start_policy,
		.maxattr = VMSCOPE_A_MAX,
	},
	{
		.cmd = VMSCOPE_CMD_FAULTS_STOP,
		.doit = vmscope_nl_faults_stop,
		.policy = vmscope_faults_stop_policy,
		.maxattr = VMSCOPE_A_MAX,
	},
};

/*
 * resv_start_op is 0: every command gets strict validation (unknown
 * attributes, trailing bytes, reserved header fields are errors).
 *
 * netnsok: nothing here depends on the network namespace.  PIDs are
 * resolved in the sender's pid namespace, a process may be inspected only
 * if the sender could read its pagemap, and every other privilege is
 * checked against the initial user namespace, so a sender in another
 * network namespace can learn nothing it could not learn from init_net.
 *
 * parallel_ops: no genl_mutex around our callbacks.  A dump holds only
 * its own state, and the walker sleeps (mmap lock, page walk): holding
 * genl_mutex meanwhile would stall every other generic netlink family.
 */
static struct genl_family vmscope_family __ro_after_init = {
	.name = VMSCOPE_GENL_NAME,
	.version = VMSCOPE_GENL_VERSION,
	.maxattr = VMSCOPE_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = vmscope_ops,
	.n_ops = ARRAY_SIZE(vmscope_ops),
	.resv_start_op = 0,
};

/* A generic netlink socket was closed: if it read a trace, that ends. */
static int vmscope_nl_release_event(struct notifier_block *nb,
				    unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		faults_sessions_check_readers();
	return NOTIFY_DONE;
}

static struct notifier_block vmscope_nl_release_nb = {
	.notifier_call = vmscope_nl_release_event,
};

int __init vmscope_netlink_init(void)
{
	int ret = netlink_register_notifier(&vmscope_nl_release_nb);

	if (ret)
		return ret;
	ret = genl_register_family(&vmscope_family);
	if (ret)
		netlink_unregister_notifier(&vmscope_nl_release_nb);
	return ret;
}

void vmscope_netlink_exit(void)
{
	genl_unregister_family(&vmscope_family);
	netlink_unregister_notifier(&vmscope_nl_release_nb);
}
