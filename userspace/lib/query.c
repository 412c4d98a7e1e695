// SPDX-License-Identifier: GPL-2.0
/* The requests, and their answers turned into query.h's plain data. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "nl.h"

static struct nla_policy layout_policy[VMSCOPE_LAYOUT_A_MAX + 1] = {
	[VMSCOPE_LAYOUT_A_PAGING_LEVELS] = { .type = NLA_U32 },
	[VMSCOPE_LAYOUT_A_USER_VA_BITS] = { .type = NLA_U32 },
	[VMSCOPE_LAYOUT_A_PAGE_SIZE] = { .type = NLA_U32 },
	[VMSCOPE_LAYOUT_A_TASK_SIZE] = { .type = NLA_U64 },
	[VMSCOPE_LAYOUT_A_MMAP_WINDOW] = { .type = NLA_U64 },
	[VMSCOPE_LAYOUT_A_KASLR] = { .type = NLA_U32 },
	[VMSCOPE_LAYOUT_A_PAGE_OFFSET] = { .type = NLA_U64 },
	[VMSCOPE_LAYOUT_A_DIRECT_MAP_END] = { .type = NLA_U64 },
	[VMSCOPE_LAYOUT_A_VMALLOC_START] = { .type = NLA_U64 },
	[VMSCOPE_LAYOUT_A_VMALLOC_END] = { .type = NLA_U64 },
	[VMSCOPE_LAYOUT_A_VMEMMAP_START] = { .type = NLA_U64 },
	[VMSCOPE_LAYOUT_A_KERNEL_TEXT_START] = { .type = NLA_U64 },
	[VMSCOPE_LAYOUT_A_MODULES_START] = { .type = NLA_U64 },
	[VMSCOPE_LAYOUT_A_MODULES_END] = { .type = NLA_U64 },
};

static struct nla_policy vma_policy[VMSCOPE_VMA_A_MAX + 1] = {
	[VMSCOPE_VMA_A_START] = { .type = NLA_U64 },
	[VMSCOPE_VMA_A_END] = { .type = NLA_U64 },
	[VMSCOPE_VMA_A_PGOFF] = { .type = NLA_U64 },
	[VMSCOPE_VMA_A_FLAGS] = { .type = NLA_U32 },
	[VMSCOPE_VMA_A_DEV_MAJOR] = { .type = NLA_U32 },
	[VMSCOPE_VMA_A_DEV_MINOR] = { .type = NLA_U32 },
	[VMSCOPE_VMA_A_INODE] = { .type = NLA_U64 },
	[VMSCOPE_VMA_A_PATH] = { .type = NLA_NUL_STRING },
	[VMSCOPE_VMA_A_KIND] = { .type = NLA_U32 },
	[VMSCOPE_VMA_A_COUNTS] = { .type = NLA_NESTED },
};

static struct nla_policy count_policy[VMSCOPE_COUNT_A_MAX + 1] = {
	[VMSCOPE_COUNT_A_NONE] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_PRESENT] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_SWAP] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_PAGE_CACHE] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_CACHE_HIDDEN] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_ZERO] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_THP] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_COW] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_EXCLUSIVE] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_OTHER] = { .type = NLA_U64 },
	[VMSCOPE_COUNT_A_PSS_BYTES] = { .type = NLA_U64 },
};

static struct nla_policy page_policy[VMSCOPE_PAGE_A_MAX + 1] = {
	[VMSCOPE_PAGE_A_ADDR] = { .type = NLA_U64 },
	[VMSCOPE_PAGE_A_NR_PAGES] = { .type = NLA_U64 },
	[VMSCOPE_PAGE_A_STATE] = { .type = NLA_U32 },
	[VMSCOPE_PAGE_A_FLAGS] = { .type = NLA_U32 },
	[VMSCOPE_PAGE_A_LEVEL] = { .type = NLA_U32 },
	[VMSCOPE_PAGE_A_PFN] = { .type = NLA_U64 },
	[VMSCOPE_PAGE_A_SWAP_TYPE] = { .type = NLA_U32 },
	[VMSCOPE_PAGE_A_SWAP_OFFSET] = { .type = NLA_U64 },
	[VMSCOPE_PAGE_A_MAPCOUNT] = { .type = NLA_U32 },
	[VMSCOPE_PAGE_A_FOLIO_ORDER] = { .type = NLA_U32 },
};

static bool has_all(struct nlattr **tb, const int *types, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!tb[types[i]])
			return false;
	return true;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t new_cap;
	void *p;

	if (n < *cap)
		return 0;
	new_cap = *cap ? *cap * 2 : 64;
	p = realloc(*v, new_cap * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = new_cap;
	return 0;
}

/* ---- GET_LAYOUT ---- */

static int layout_reply(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct nlattr *la[VMSCOPE_LAYOUT_A_MAX + 1];
	struct vs_layout *l = arg;
	int i;

	if (!tb[VMSCOPE_A_LAYOUT] ||
	    nla_parse_nested(la, VMSCOPE_LAYOUT_A_MAX, tb[VMSCOPE_A_LAYOUT],
			     layout_policy) < 0)
		return -EBADMSG;
	for (i = 1; i <= VMSCOPE_LAYOUT_A_MAX; i++) {
		if (!la[i] || i == VMSCOPE_LAYOUT_A_PAD)
			continue;
		l->has[i] = true;
		l->v[i] = layout_policy[i].type == NLA_U64 ? nla_get_u64(la[i]) :
							     nla_get_u32(la[i]);
	}
	return 0;
}

static bool layout_complete(const struct vs_layout *l)
{
	return l->has[VMSCOPE_LAYOUT_A_PAGING_LEVELS] &&
	       l->has[VMSCOPE_LAYOUT_A_TASK_SIZE];
}

int vs_get_layout(struct vs_nl *nl, struct vs_layout *l, struct vs_error *err)
{
	int ret;

	memset(l, 0, sizeof(*l));
	ret = vs_nl_run(nl, vs_nl_request(nl, VMSCOPE_CMD_GET_LAYOUT, false),
			layout_reply, l, err);
	if (!ret && !layout_complete(l)) {
		err->error = -EBADMSG;
		ret = err->error;
	}
	return ret;
}

/* Every VMSCOPE_PROC_A_* but the flags is a u64. */
static bool proc_attr_is_u32(int i)
{
	return i == VMSCOPE_PROC_A_COMPAT || i == VMSCOPE_PROC_A_RANDOMIZE ||
	       i == VMSCOPE_PROC_A_NO_RANDOMIZE ||
	       i == VMSCOPE_PROC_A_TOPDOWN || i == VMSCOPE_PROC_A_EXEC_TYPE;
}

struct proc_layout_ctx {
	u32 pid;
	struct vs_layout *l;
	struct vs_proc_layout *pl;
};

static int proc_layout_reply(struct nlmsghdr *nlh, struct nlattr **tb,
			     void *arg)
{
	static struct nla_policy policy[VMSCOPE_PROC_A_MAX + 1];
	struct nlattr *pa[VMSCOPE_PROC_A_MAX + 1];
	struct proc_layout_ctx *ctx = arg;
	int i, ret;

	for (i = VMSCOPE_PROC_A_TASK_SIZE; i <= VMSCOPE_PROC_A_MAX; i++)
		policy[i].type = proc_attr_is_u32(i) ? NLA_U32 : NLA_U64;
	ret = layout_reply(nlh, tb, ctx->l);
	if (ret)
		return ret;
	if (!tb[VMSCOPE_A_PID] || nla_get_u32(tb[VMSCOPE_A_PID]) != ctx->pid ||
	    !tb[VMSCOPE_A_PROC_LAYOUT] ||
	    nla_parse_nested(pa, VMSCOPE_PROC_A_MAX, tb[VMSCOPE_A_PROC_LAYOUT],
			     policy) < 0)
		return -EBADMSG;
	for (i = VMSCOPE_PROC_A_TASK_SIZE; i <= VMSCOPE_PROC_A_MAX; i++) {
		if (!pa[i])
			continue;
		ctx->pl->has[i] = true;
		ctx->pl->v[i] = proc_attr_is_u32(i) ? nla_get_u32(pa[i]) :
						      nla_get_u64(pa[i]);
	}
	return 0;
}

int vs_get_proc_layout(struct vs_nl *nl, u32 pid, struct vs_layout *l,
		       struct vs_proc_layout *pl, struct vs_error *err)
{
	struct proc_layout_ctx ctx = { .pid = pid, .l = l, .pl = pl };
	struct nl_msg *msg;
	int ret;

	memset(l, 0, sizeof(*l));
	memset(pl, 0, sizeof(*pl));
	msg = vs_nl_request(nl, VMSCOPE_CMD_GET_LAYOUT, false);
	if (msg && nla_put_u32(msg, VMSCOPE_A_PID, pid)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = vs_nl_run(nl, msg, proc_layout_reply, &ctx, err);
	if (!ret && (!layout_complete(l) ||
		     !pl->has[VMSCOPE_PROC_A_TASK_SIZE] ||
		     !pl->has[VMSCOPE_PROC_A_START_STACK])) {
		err->error = -EBADMSG;
		ret = err->error;
	}
	return ret;
}

/* ---- GET_VMAS ---- */

struct vmas_ctx {
	u32 pid;
	struct vs_vmas *out;
};

/* A VMSCOPE_VMA_A_* nest (GET_VMAS, EXPLAIN, FAULT_EVENT). */
int vs_parse_vma(struct nlattr *nest, struct vs_vma *v)
{
	static const int need[] = {
		VMSCOPE_VMA_A_START, VMSCOPE_VMA_A_END, VMSCOPE_VMA_A_PGOFF,
		VMSCOPE_VMA_A_FLAGS, VMSCOPE_VMA_A_DEV_MAJOR,
		VMSCOPE_VMA_A_DEV_MINOR, VMSCOPE_VMA_A_INODE,
		VMSCOPE_VMA_A_KIND,
	};
	struct nlattr *va[VMSCOPE_VMA_A_MAX + 1];
	struct nlattr *ca[VMSCOPE_COUNT_A_MAX + 1];
	int i;

	memset(v, 0, sizeof(*v));
	if (nla_parse_nested(va, VMSCOPE_VMA_A_MAX, nest, vma_policy) < 0 ||
	    !has_all(va, need, ARRAY_SIZE(need)))
		return -EBADMSG;
	v->start = nla_get_u64(va[VMSCOPE_VMA_A_START]);
	v->end = nla_get_u64(va[VMSCOPE_VMA_A_END]);
	v->pgoff = nla_get_u64(va[VMSCOPE_VMA_A_PGOFF]);
	v->inode = nla_get_u64(va[VMSCOPE_VMA_A_INODE]);
	v->flags = nla_get_u32(va[VMSCOPE_VMA_A_FLAGS]);
	v->dev_major = nla_get_u32(va[VMSCOPE_VMA_A_DEV_MAJOR]);
	v->dev_minor = nla_get_u32(va[VMSCOPE_VMA_A_DEV_MINOR]);
	v->kind = nla_get_u32(va[VMSCOPE_VMA_A_KIND]);
	v->path = strdup(va[VMSCOPE_VMA_A_PATH] ?
			 nla_get_string(va[VMSCOPE_VMA_A_PATH]) : "");
	if (!v->path)
		return -ENOMEM;
	if (!va[VMSCOPE_VMA_A_COUNTS])
		return 0;
	if (nla_parse_nested(ca, VMSCOPE_COUNT_A_MAX, va[VMSCOPE_VMA_A_COUNTS],
			     count_policy) < 0) {
		free(v->path);
		v->path = NULL;
		return -EBADMSG;
	}
	v->has_counts = true;
	for (i = 1; i <= VMSCOPE_COUNT_A_MAX; i++) {
		if (ca[i] && i != VMSCOPE_COUNT_A_PAD) {
			v->counts[i] = nla_get_u64(ca[i]);
			v->has_count[i] = true;
		}
	}
	return 0;
}

static int vma_reply(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct vmas_ctx *ctx = arg;
	struct vs_vmas *l = ctx->out;
	int ret;

	if (!tb[VMSCOPE_A_PID] || nla_get_u32(tb[VMSCOPE_A_PID]) != ctx->pid ||
	    !tb[VMSCOPE_A_VMA])
		return -EBADMSG;
	if (grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)))
		return -ENOMEM;
	ret = vs_parse_vma(tb[VMSCOPE_A_VMA], &l->v[l->n]);
	if (!ret)
		l->n++;
	return ret;
}

void vs_vmas_free(struct vs_vmas *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i].path);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

int vs_get_vmas(struct vs_nl *nl, u32 pid, bool counts, struct vs_vmas *out,
		struct vs_error *err)
{
	struct vmas_ctx ctx = { .pid = pid, .out = out };
	struct nl_msg *msg;
	int ret;

	memset(out, 0, sizeof(*out));
	msg = vs_nl_request(nl, VMSCOPE_CMD_GET_VMAS, true);
	if (msg && (nla_put_u32(msg, VMSCOPE_A_PID, pid) ||
		    (!counts && nla_put_u32(msg, VMSCOPE_A_REQ_FLAGS,
					    VMSCOPE_REQ_NO_COUNTS)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = vs_nl_run(nl, msg, vma_reply, &ctx, err);
	if (ret)
		vs_vmas_free(out);
	return ret;
}

/* ---- GET_PAGES ---- */

struct pages_ctx {
	u32 pid;
	struct vs_pages *out;
};

/* A VMSCOPE_PAGE_A_* nest (GET_PAGES, EXPLAIN, FAULT_EVENT). */
int vs_parse_page(struct nlattr *nest, struct vs_page *p)
{
	static const int need[] = {
		VMSCOPE_PAGE_A_ADDR, VMSCOPE_PAGE_A_NR_PAGES,
		VMSCOPE_PAGE_A_STATE, VMSCOPE_PAGE_A_FLAGS,
		VMSCOPE_PAGE_A_LEVEL,
	};
	/* the mapcount is left out where unknown or hidden, only there */
	const u32 no_mapcount = VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN |
				VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN;
	struct nlattr *pa[VMSCOPE_PAGE_A_MAX + 1];

	memset(p, 0, sizeof(*p));
	if (nla_parse_nested(pa, VMSCOPE_PAGE_A_MAX, nest, page_policy) < 0 ||
	    !has_all(pa, need, ARRAY_SIZE(need)))
		return -EBADMSG;
	p->addr = nla_get_u64(pa[VMSCOPE_PAGE_A_ADDR]);
	p->nr = nla_get_u64(pa[VMSCOPE_PAGE_A_NR_PAGES]);
	p->state = nla_get_u32(pa[VMSCOPE_PAGE_A_STATE]);
	p->flags = nla_get_u32(pa[VMSCOPE_PAGE_A_FLAGS]);
	p->level = nla_get_u32(pa[VMSCOPE_PAGE_A_LEVEL]);
	if (!pa[VMSCOPE_PAGE_A_MAPCOUNT] != !!(p->flags & no_mapcount))
		return -EBADMSG;
	if (pa[VMSCOPE_PAGE_A_MAPCOUNT])
		p->mapcount = nla_get_u32(pa[VMSCOPE_PAGE_A_MAPCOUNT]);
	/* the order is left out where the page's bits are hidden, only there */
	if (!pa[VMSCOPE_PAGE_A_FOLIO_ORDER] !=
	    !!(p->flags & VMSCOPE_PAGE_F_BITS_HIDDEN))
		return -EBADMSG;
	if (pa[VMSCOPE_PAGE_A_FOLIO_ORDER])
		p->order = nla_get_u32(pa[VMSCOPE_PAGE_A_FOLIO_ORDER]);
	p->has_pfn = pa[VMSCOPE_PAGE_A_PFN];
	if (p->has_pfn)
		p->pfn = nla_get_u64(pa[VMSCOPE_PAGE_A_PFN]);
	p->has_swap = pa[VMSCOPE_PAGE_A_SWAP_TYPE] &&
		      pa[VMSCOPE_PAGE_A_SWAP_OFFSET];
	if (p->has_swap) {
		p->swap_type = nla_get_u32(pa[VMSCOPE_PAGE_A_SWAP_TYPE]);
		p->swap_offset = nla_get_u64(pa[VMSCOPE_PAGE_A_SWAP_OFFSET]);
	}
	return 0;
}

static int pages_reply(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct pages_ctx *ctx = arg;
	struct vs_pages *l = ctx->out;
	struct nlattr *nla;
	int rem, ret;

	if (!tb[VMSCOPE_A_PID] || nla_get_u32(tb[VMSCOPE_A_PID]) != ctx->pid)
		return -EBADMSG;
	nla_for_each_attr(nla, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(nla) != VMSCOPE_A_PAGE)
			continue;
		if (grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)))
			return -ENOMEM;
		ret = vs_parse_page(nla, &l->v[l->n]);
		if (ret)
			return ret;
		l->n++;
	}
	return 0;
}

void vs_pages_free(struct vs_pages *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

int vs_get_pages(struct vs_nl *nl, u32 pid, u64 start, u64 end, bool runs,
		 struct vs_pages *out, struct vs_error *err)
{
	struct pages_ctx ctx = { .pid = pid, .out = out };
	struct nl_msg *msg;
	int ret;

	memset(out, 0, sizeof(*out));
	msg = vs_nl_request(nl, VMSCOPE_CMD_GET_PAGES, true);
	if (msg && (nla_put_u32(msg, VMSCOPE_A_PID, pid) ||
		    nla_put_u64(msg, VMSCOPE_A_START, start) ||
		    (end && nla_put_u64(msg, VMSCOPE_A_END, end)) ||
		    (runs && nla_put_u32(msg, VMSCOPE_A_REQ_FLAGS,
					 VMSCOPE_REQ_RUNS)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = vs_nl_run(nl, msg, pages_reply, &ctx, err);
	if (ret)
		vs_pages_free(out);
	return ret;
}

/* ---- EXPLAIN ---- */

static struct nla_policy explain_policy[VMSCOPE_EXPLAIN_A_MAX + 1] = {
	[VMSCOPE_EXPLAIN_A_ADDR] = { .type = NLA_U64 },
	[VMSCOPE_EXPLAIN_A_VMA] = { .type = NLA_NESTED },
	[VMSCOPE_EXPLAIN_A_PREV_END] = { .type = NLA_U64 },
	[VMSCOPE_EXPLAIN_A_NEXT_START] = { .type = NLA_U64 },
	[VMSCOPE_EXPLAIN_A_NEXT_FLAGS] = { .type = NLA_U32 },
	[VMSCOPE_EXPLAIN_A_PGD] = { .type = NLA_U64 },
	[VMSCOPE_EXPLAIN_A_P4D] = { .type = NLA_U64 },
	[VMSCOPE_EXPLAIN_A_PUD] = { .type = NLA_U64 },
	[VMSCOPE_EXPLAIN_A_PMD] = { .type = NLA_U64 },
	[VMSCOPE_EXPLAIN_A_PTE] = { .type = NLA_U64 },
	[VMSCOPE_EXPLAIN_A_PAGE] = { .type = NLA_NESTED },
	[VMSCOPE_EXPLAIN_A_READ] = { .type = NLA_U32 },
	[VMSCOPE_EXPLAIN_A_WRITE] = { .type = NLA_U32 },
	[VMSCOPE_EXPLAIN_A_EXEC] = { .type = NLA_U32 },
};

static const int level_attr[] = {
	[VMSCOPE_LEVEL_PTE] = VMSCOPE_EXPLAIN_A_PTE,
	[VMSCOPE_LEVEL_PMD] = VMSCOPE_EXPLAIN_A_PMD,
	[VMSCOPE_LEVEL_PUD] = VMSCOPE_EXPLAIN_A_PUD,
	[VMSCOPE_LEVEL_P4D] = VMSCOPE_EXPLAIN_A_P4D,
	[VMSCOPE_LEVEL_PGD] = VMSCOPE_EXPLAIN_A_PGD,
};

struct explain_ctx {
	u32 pid;
	struct vs_explain *out;
	bool got;
};

static int explain_reply(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	static const int need[] = {
		VMSCOPE_EXPLAIN_A_ADDR, VMSCOPE_EXPLAIN_A_READ,
		VMSCOPE_EXPLAIN_A_WRITE, VMSCOPE_EXPLAIN_A_EXEC,
	};
	struct nlattr *ea[VMSCOPE_EXPLAIN_A_MAX + 1];
	struct explain_ctx *ctx = arg;
	struct vs_explain *e = ctx->out;
	int level, ret;

	if (!tb[VMSCOPE_A_PID] || nla_get_u32(tb[VMSCOPE_A_PID]) != ctx->pid ||
	    !tb[VMSCOPE_A_EXPLAIN] || ctx->got ||
	    nla_parse_nested(ea, VMSCOPE_EXPLAIN_A_MAX, tb[VMSCOPE_A_EXPLAIN],
			     explain_policy) < 0 ||
	    !has_all(ea, need, ARRAY_SIZE(need)))
		return -EBADMSG;
	ctx->got = true;
	e->addr = nla_get_u64(ea[VMSCOPE_EXPLAIN_A_ADDR]);
	e->fault[0] = nla_get_u32(ea[VMSCOPE_EXPLAIN_A_READ]);
	e->fault[1] = nla_get_u32(ea[VMSCOPE_EXPLAIN_A_WRITE]);
	e->fault[2] = nla_get_u32(ea[VMSCOPE_EXPLAIN_A_EXEC]);
	e->has_prev = ea[VMSCOPE_EXPLAIN_A_PREV_END];
	if (e->has_prev)
		e->prev_end = nla_get_u64(ea[VMSCOPE_EXPLAIN_A_PREV_END]);
	e->has_next = ea[VMSCOPE_EXPLAIN_A_NEXT_START];
	if (e->has_next) {
		e->next_start = nla_get_u64(ea[VMSCOPE_EXPLAIN_A_NEXT_START]);
		if (ea[VMSCOPE_EXPLAIN_A_NEXT_FLAGS])
			e->next_flags =
				nla_get_u32(ea[VMSCOPE_EXPLAIN_A_NEXT_FLAGS]);
	}
	for (level = VMSCOPE_LEVEL_PTE; level <= VMSCOPE_LEVEL_PGD; level++) {
		struct nlattr *raw = ea[level_attr[level]];

		e->has_raw[level] = raw;
		if (raw)
			e->raw[level] = nla_get_u64(raw);
	}
	if (ea[VMSCOPE_EXPLAIN_A_PAGE]) {
		ret = vs_parse_page(ea[VMSCOPE_EXPLAIN_A_PAGE], &e->page);
		if (ret)
			return ret;
		e->has_page = true;
	}
	if (ea[VMSCOPE_EXPLAIN_A_VMA]) {
		ret = vs_parse_vma(ea[VMSCOPE_EXPLAIN_A_VMA], &e->vma);
		if (ret)
			return ret;
		e->in_vma = true;
	}
	return 0;
}

void vs_explain_free(struct vs_explain *e)
{
	if (e->in_vma)
		free(e->vma.path);
	memset(e, 0, sizeof(*e));
}

int vs_explain(struct vs_nl *nl, u32 pid, u64 addr, struct vs_explain *out,
	       struct vs_error *err)
{
	struct explain_ctx ctx = { .pid = pid, .out = out };
	struct nl_msg *msg;
	int ret;

	memset(out, 0, sizeof(*out));
	msg = vs_nl_request(nl, VMSCOPE_CMD_EXPLAIN, false);
	if (msg && (nla_put_u32(msg, VMSCOPE_A_PID, pid) ||
		    nla_put_u64(msg, VMSCOPE_A_ADDR, addr))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = vs_nl_run(nl, msg, explain_reply, &ctx, err);
	if (!ret && !ctx.got) {
		err->error = -EBADMSG;
		ret = err->error;
	}
	if (ret)
		vs_explain_free(out);
	return ret;
}
