// SPDX-License-Identifier: GPL-2.0
/*
 * The vmscope generic netlink family, spoken raw (tests/lib/nl.c, no
 * libnl): every malformed request is refused with an error and a reason,
 * a burst of random requests leaves the module answering correctly, and
 * the answers agree with independent oracles: the debugfs layout file,
 * /proc/PID/maps, /proc/PID/pagemap, and what the test itself mapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
#include "lib/util.h"
#include "lib/vmscope.h"
#include "../module/uapi/vmscope.h"

#define GiB (1UL << 30)

/* ---- collecting answers ---- */

struct page_ent {
	uint64_t addr, nr, pfn, swap_offset;
	uint32_t state, flags, level, mapcount, order, swap_type;
	bool has_pfn, has_swap, has_mapcount;
};

struct pages {
	uint32_t pid;
	struct page_ent *v;
	size_t n, cap;
	int msgs;
	const char *bad;	/* first complaint about a message */
};

static void pages_free(struct pages *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int pages_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct pages *p = arg;
	const struct nlattr *nla;
	struct tnl_attrs top;
	uint32_t pid;
	int rem;

	p->msgs++;
	if (tnl_parse_msg(&top, nlh) || !tnl_u32(&top, VMSCOPE_A_PID, &pid) ||
	    pid != p->pid) {
		p->bad = p->bad ?: "message without the PID asked about";
		return 0;
	}
	tnl_for_each_attr(nla, nlh, rem) {
		struct page_ent e = {};
		struct tnl_attrs a;

		if (tnl_type(nla) != VMSCOPE_A_PAGE)
			continue;
		if (tnl_parse_nest(&a, nla) ||
		    !tnl_u64(&a, VMSCOPE_PAGE_A_ADDR, &e.addr) ||
		    !tnl_u64(&a, VMSCOPE_PAGE_A_NR_PAGES, &e.nr) ||
		    !tnl_u32(&a, VMSCOPE_PAGE_A_STATE, &e.state) ||
		    !tnl_u32(&a, VMSCOPE_PAGE_A_FLAGS, &e.flags) ||
		    !tnl_u32(&a, VMSCOPE_PAGE_A_LEVEL, &e.level)) {
			p->bad = p->bad ?: "page entry without a mandatory attribute";
			continue;
		}
		/* left out exactly where the page's bits are hidden */
		if (!tnl_u32(&a, VMSCOPE_PAGE_A_FOLIO_ORDER, &e.order) !=
		    !!(e.flags & VMSCOPE_PAGE_F_BITS_HIDDEN)) {
			p->bad = p->bad ?: "folio order present with bits_hidden, or missing without";
			continue;
		}
		/* left out exactly when unknown or hidden */
		e.has_mapcount = tnl_u32(&a, VMSCOPE_PAGE_A_MAPCOUNT,
					 &e.mapcount);
		if (e.has_mapcount == !!(e.flags & (VMSCOPE_PAGE_F_MAPCOUNT_UNKNOWN |
						    VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN))) {
			p->bad = p->bad ?: "mapcount present with mapcount_unknown/hidden, or missing without";
			continue;
		}
		e.has_pfn = tnl_u64(&a, VMSCOPE_PAGE_A_PFN, &e.pfn);
		e.has_swap = tnl_u32(&a, VMSCOPE_PAGE_A_SWAP_TYPE, &e.swap_type) &&
			     tnl_u64(&a, VMSCOPE_PAGE_A_SWAP_OFFSET, &e.swap_offset);
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 1024;
			struct page_ent *v = realloc(p->v, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			p->v = v;
			p->cap = cap;
		}
		p->v[p->n++] = e;
	}
	return 0;
}

static int dump_pages(struct tnl *nl, uint32_t pid, uint64_t start,
		      uint64_t end, bool runs, struct pages *out,
		      struct tnl_result *res)
{
	struct tnl_msg m;

	memset(out, 0, sizeof(*out));
	out->pid = pid;
	tnl_req(nl, &m, VMSCOPE_CMD_GET_PAGES, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	tnl_put_u64(&m, VMSCOPE_A_START, start);
	tnl_put_u64(&m, VMSCOPE_A_END, end);
	if (runs)
		tnl_put_u32(&m, VMSCOPE_A_REQ_FLAGS, VMSCOPE_REQ_RUNS);
	return tnl_call(nl, &m, pages_cb, out, res);
}

/*
 * The entries tile [start, end): in order, none empty, none missing or
 * repeated.  Returns NULL or what is wrong (with *where its index).
 */
static const char *check_tiling(const struct pages *p, uint64_t start,
				uint64_t end, size_t *where)
{
	uint64_t next = start;
	size_t i;

	for (i = 0; i < p->n; i++) {
		*where = i;
		if (!p->v[i].nr)
			return "empty entry";
		if (p->v[i].addr != next)
			return p->v[i].addr < next ? "overlap or repeat" :
						    "gap (pages missing)";
		if (p->v[i].nr > (end - next) / PG)
			return "entry runs past the end";
		next += p->v[i].nr * PG;
	}
	*where = p->n;
	return next == end ? NULL : "entries stop short of the end";
}

/* Same fields, apart from the address, size, PFN and swap offset. */
static bool same_kind(const struct page_ent *a, const struct page_ent *b)
{
	return a->state == b->state && a->flags == b->flags &&
	       a->level == b->level && a->mapcount == b->mapcount &&
	       a->order == b->order && a->has_pfn == b->has_pfn &&
	       a->has_swap == b->has_swap &&
	       (!a->has_swap || a->swap_type == b->swap_type);
}

/* The entry that holds page addr (entries tile their range), or NULL. */
static const struct page_ent *page_at(const struct pages *p, uint64_t addr)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct page_ent *e = &p->v[mid];

		if (addr < e->addr)
			hi = mid;
		else if (addr >= e->addr + e->nr * PG)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

#define PM_PRESENT_BIT	(1ULL << 63)
#define PM_PFN(e)	((e) & ((1ULL << 55) - 1))

/* A pid that names no process right now. */
static pid_t unused_pid(void)
{
	char *max = read_file("/proc/sys/kernel/pid_max", NULL);
	pid_t pid = max ? atoi(max) - 1 : 32767;

	free(max);
	while (pid > 300 && (kill(pid, 0) == 0 || errno != ESRCH))
		pid--;
	return pid;
}

/* ---- GET_LAYOUT ---- */

static const struct {
	int type;
	const char *name;
	bool u64;
	bool kernel;		/* only for callers that may see kernel addresses */
} layout_attrs[] = {
	{ VMSCOPE_LAYOUT_A_PAGING_LEVELS, "paging_levels", false, false },
	{ VMSCOPE_LAYOUT_A_USER_VA_BITS, "user_va_bits", false, false },
	{ VMSCOPE_LAYOUT_A_TASK_SIZE, "task_size", true, false },
	{ VMSCOPE_LAYOUT_A_MMAP_WINDOW, "mmap_window", true, false },
	{ VMSCOPE_LAYOUT_A_KASLR, "kaslr", false, true },
	{ VMSCOPE_LAYOUT_A_PAGE_OFFSET, "page_offset", true, true },
	{ VMSCOPE_LAYOUT_A_DIRECT_MAP_END, "direct_map_end", true, true },
	{ VMSCOPE_LAYOUT_A_VMALLOC_START, "vmalloc_start", true, true },
	{ VMSCOPE_LAYOUT_A_VMALLOC_END, "vmalloc_end", true, true },
	{ VMSCOPE_LAYOUT_A_VMEMMAP_START, "vmemmap_start", true, true },
	{ VMSCOPE_LAYOUT_A_KERNEL_TEXT_START, "kernel_text_start", true, true },
	{ VMSCOPE_LAYOUT_A_MODULES_START, "modules_start", true, true },
	{ VMSCOPE_LAYOUT_A_MODULES_END, "modules_end", true, true },
};

struct layout_reply {
	int msgs;
	struct tnl_attrs a;
	char copy[4096];
};

static int layout_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct layout_reply *r = arg;
	struct tnl_attrs top;
	const struct nlattr *nest;

	r->msgs++;
	if (tnl_parse_msg(&top, nlh) || !top.tb[VMSCOPE_A_LAYOUT])
		return 0;
	nest = top.tb[VMSCOPE_A_LAYOUT];
	if (nest->nla_len > sizeof(r->copy))
		return 0;
	memcpy(r->copy, nest, nest->nla_len);
	tnl_parse_nest(&r->a, (const struct nlattr *)r->copy);
	return 0;
}

static int get_layout(struct tnl *nl, struct layout_reply *r)
{
	struct tnl_result res;
	struct tnl_msg m;

	memset(r, 0, sizeof(*r));
	tnl_req(nl, &m, VMSCOPE_CMD_GET_LAYOUT, false);
	return tnl_call(nl, &m, layout_cb, r, &res);
}

static bool layout_value_of(const struct layout_reply *r, int i, uint64_t *v)
{
	uint32_t v32;

	if (layout_attrs[i].u64)
		return tnl_u64(&r->a, layout_attrs[i].type, v);
	if (!tnl_u32(&r->a, layout_attrs[i].type, &v32))
		return false;
	*v = v32;
	return true;
}

/* Every value is the debugfs file's; present exactly when debugfs shows it. */
static void check_layout(struct __test_metadata *_metadata, struct tnl *nl)
{
	struct layout_reply r;
	uint32_t page_size;
	unsigned int i;

	ASSERT_EQ(0, get_layout(nl, &r));
	ASSERT_EQ(1, r.msgs);
	for (i = 0; i < sizeof(layout_attrs) / sizeof(layout_attrs[0]); i++) {
		uint64_t nlv, dfv;
		bool in_nl = layout_value_of(&r, i, &nlv);
		bool in_df = layout_value(layout_attrs[i].name, &dfv);

		EXPECT_EQ(in_df, in_nl) TH_LOG("%s", layout_attrs[i].name);
		if (in_nl && in_df)
			EXPECT_EQ(dfv, nlv) TH_LOG("%s", layout_attrs[i].name);
	}
	ASSERT_TRUE(tnl_u32(&r.a, VMSCOPE_LAYOUT_A_PAGE_SIZE, &page_size));
	EXPECT_EQ(sysconf(_SC_PAGESIZE), page_size);
}

TEST(layout_matches_debugfs)
{
	struct tnl nl;

	if (access(VMSCOPE_DEBUGFS "/layout", R_OK))
		SKIP(return, "no %s to compare with", VMSCOPE_DEBUGFS "/layout");
	NL_OPEN(&nl);
	check_layout(_metadata, &nl);
	tnl_close(&nl);
}

static int nobody_layout(void *arg)
{
	struct layout_reply r;
	struct tnl nl;
	uint64_t v;
	unsigned int i;

	if (tnl_open(&nl) || get_layout(&nl, &r) || r.msgs != 1)
		return 10;
	for (i = 0; i < sizeof(layout_attrs) / sizeof(layout_attrs[0]); i++)
		if (layout_value_of(&r, i, &v) == layout_attrs[i].kernel)
			return 20 + i;
	tnl_close(&nl);
	return 0;
}

/* Public values for everyone, kernel addresses (KASLR) for CAP_SYSLOG only. */
TEST(layout_hides_kernel_addresses_from_nobody)
{
	struct tnl nl;

	NL_OPEN(&nl);
	tnl_close(&nl);
	ASSERT_EQ(0, run_as_nobody(nobody_layout, NULL));
}

/* ---- rejected requests ---- */

/* TASK_SIZE_PLUS/MINUS: value is a number of pages (the kernel's size). */
enum val { LIT, SELF, NO_PID, TASK_SIZE_PLUS, TASK_SIZE_MINUS };

struct attr_spec {
	uint16_t type;
	uint16_t len;		/* payload bytes */
	enum val kind;
	uint64_t value;
};

FIXTURE(reject) {
	struct tnl nl;
	bool skip;
};

FIXTURE_VARIANT(reject) {
	uint8_t cmd;
	bool dump;
	int n;
	struct attr_spec attrs[4];
	int err;
	const char *needle;	/* must appear in the extack message */
	bool no_extack_ok;	/* genetlink's own refusals carry no text */
};

FIXTURE_SETUP(reject)
{
	int r = tnl_open(&self->nl);

	self->skip = r == -ENOENT;
	if (!self->skip)
		ASSERT_EQ(0, r);
}

FIXTURE_TEARDOWN(reject)
{
	if (!self->skip)
		tnl_close(&self->nl);
}

#define PID_SELF { VMSCOPE_A_PID, 4, SELF, 0 }
#define PAGES .cmd = VMSCOPE_CMD_GET_PAGES, .dump = true
#define VMAS .cmd = VMSCOPE_CMD_GET_VMAS, .dump = true

FIXTURE_VARIANT_ADD(reject, layout_unknown_attr) {
	.cmd = VMSCOPE_CMD_GET_LAYOUT, .n = 1,
	.attrs = { { VMSCOPE_A_MAX + 1, 4, LIT, 1 } }, .err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, layout_attr_type_zero) {
	.cmd = VMSCOPE_CMD_GET_LAYOUT, .n = 1,
	.attrs = { { 0, 4, LIT, 1 } }, .err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, layout_takes_no_addr) {
	.cmd = VMSCOPE_CMD_GET_LAYOUT, .n = 2,
	.attrs = { PID_SELF, { VMSCOPE_A_ADDR, 8, LIT, 0x10000 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, layout_pid_zero) {
	.cmd = VMSCOPE_CMD_GET_LAYOUT, .n = 1,
	.attrs = { { VMSCOPE_A_PID, 4, LIT, 0 } }, .err = -ERANGE,
};
FIXTURE_VARIANT_ADD(reject, layout_pid_too_short) {
	.cmd = VMSCOPE_CMD_GET_LAYOUT, .n = 1,
	.attrs = { { VMSCOPE_A_PID, 2, SELF, 0 } }, .err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, layout_no_such_pid) {
	.cmd = VMSCOPE_CMD_GET_LAYOUT, .n = 1,
	.attrs = { { VMSCOPE_A_PID, 4, NO_PID, 0 } }, .err = -ESRCH,
	.needle = "process",
};
FIXTURE_VARIANT_ADD(reject, pages_missing_pid) {
	PAGES, .n = 1, .attrs = { { VMSCOPE_A_START, 8, LIT, 0 } },
	.err = -EINVAL, .needle = "PID",
};
FIXTURE_VARIANT_ADD(reject, vmas_missing_pid) {
	VMAS, .n = 0, .err = -EINVAL, .needle = "PID",
};
FIXTURE_VARIANT_ADD(reject, pages_pid_too_short) {
	PAGES, .n = 1, .attrs = { { VMSCOPE_A_PID, 2, SELF, 0 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, pages_pid_as_u64) {
	PAGES, .n = 1, .attrs = { { VMSCOPE_A_PID, 8, SELF, 0 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, pages_pid_zero) {
	PAGES, .n = 1, .attrs = { { VMSCOPE_A_PID, 4, LIT, 0 } },
	.err = -ERANGE,
};
FIXTURE_VARIANT_ADD(reject, pages_pid_negative) {
	PAGES, .n = 1, .attrs = { { VMSCOPE_A_PID, 4, LIT, 0xffffffff } },
	.err = -ERANGE,
};
FIXTURE_VARIANT_ADD(reject, pages_start_as_u32) {
	PAGES, .n = 2, .attrs = { PID_SELF, { VMSCOPE_A_START, 4, LIT, 0 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, pages_end_empty) {
	PAGES, .n = 2, .attrs = { PID_SELF, { VMSCOPE_A_END, 0, LIT, 0 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, pages_start_above_end) {
	PAGES, .n = 3, .attrs = { PID_SELF,
		{ VMSCOPE_A_START, 8, LIT, 0x20000 },
		{ VMSCOPE_A_END, 8, LIT, 0x10000 } },
	.err = -EINVAL, .needle = "START",
};
FIXTURE_VARIANT_ADD(reject, pages_empty_range) {
	PAGES, .n = 3, .attrs = { PID_SELF,
		{ VMSCOPE_A_START, 8, LIT, 0x10000 },
		{ VMSCOPE_A_END, 8, LIT, 0x10000 } },
	.err = -EINVAL, .needle = "START",
};
FIXTURE_VARIANT_ADD(reject, pages_start_unaligned) {
	PAGES, .n = 3, .attrs = { PID_SELF,
		{ VMSCOPE_A_START, 8, LIT, 0x10001 },
		{ VMSCOPE_A_END, 8, LIT, 0x20000 } },
	.err = -EINVAL, .needle = "START",
};
FIXTURE_VARIANT_ADD(reject, pages_end_unaligned) {
	PAGES, .n = 3, .attrs = { PID_SELF,
		{ VMSCOPE_A_START, 8, LIT, 0x10000 },
		{ VMSCOPE_A_END, 8, LIT, 0x20800 } },
	.err = -EINVAL, .needle = "END",
};
FIXTURE_VARIANT_ADD(reject, pages_end_above_task_size) {
	PAGES, .n = 2, .attrs = { PID_SELF,
		{ VMSCOPE_A_END, 8, TASK_SIZE_PLUS, 1 } },
	.err = -EINVAL, .needle = "END",
};
FIXTURE_VARIANT_ADD(reject, pages_end_overflows) {
	PAGES, .n = 3, .attrs = { PID_SELF,
		{ VMSCOPE_A_START, 8, TASK_SIZE_MINUS, 1 },
		{ VMSCOPE_A_END, 8, LIT, 0xfffffffffffff000ULL } },
	.err = -EINVAL, .needle = "END",
};
FIXTURE_VARIANT_ADD(reject, pages_start_at_task_size) {
	PAGES, .n = 2, .attrs = { PID_SELF,
		{ VMSCOPE_A_START, 8, TASK_SIZE_PLUS, 0 } },
	.err = -EINVAL, .needle = "START",
};
FIXTURE_VARIANT_ADD(reject, pages_no_such_pid) {
	PAGES, .n = 1, .attrs = { { VMSCOPE_A_PID, 4, NO_PID, 0 } },
	.err = -ESRCH,
};
FIXTURE_VARIANT_ADD(reject, vmas_no_such_pid) {
	VMAS, .n = 1, .attrs = { { VMSCOPE_A_PID, 4, NO_PID, 0 } },
	.err = -ESRCH,
};
FIXTURE_VARIANT_ADD(reject, pages_unknown_flag) {
	PAGES, .n = 2, .attrs = { PID_SELF,
		{ VMSCOPE_A_REQ_FLAGS, 4, LIT, 1U << 7 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, pages_vmas_only_flag) {
	PAGES, .n = 2, .attrs = { PID_SELF,
		{ VMSCOPE_A_REQ_FLAGS, 4, LIT, VMSCOPE_REQ_NO_COUNTS } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, vmas_pages_only_flag) {
	VMAS, .n = 2, .attrs = { PID_SELF,
		{ VMSCOPE_A_REQ_FLAGS, 4, LIT, VMSCOPE_REQ_RUNS } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, vmas_unknown_attr) {
	VMAS, .n = 2, .attrs = { PID_SELF, { VMSCOPE_A_MAX + 7, 8, LIT, 0 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, vmas_takes_no_range) {
	VMAS, .n = 2, .attrs = { PID_SELF, { VMSCOPE_A_START, 8, LIT, 0 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, pages_reply_attr_in_request) {
	PAGES, .n = 2, .attrs = { PID_SELF, { VMSCOPE_A_PAGE, 0, LIT, 0 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, explain_missing_addr) {
	.cmd = VMSCOPE_CMD_EXPLAIN, .n = 1, .attrs = { PID_SELF },
	.err = -EINVAL, .needle = "ADDR",
};
FIXTURE_VARIANT_ADD(reject, explain_missing_pid) {
	.cmd = VMSCOPE_CMD_EXPLAIN, .n = 1,
	.attrs = { { VMSCOPE_A_ADDR, 8, LIT, 0x10000 } },
	.err = -EINVAL, .needle = "PID",
};
FIXTURE_VARIANT_ADD(reject, explain_addr_at_task_size) {
	.cmd = VMSCOPE_CMD_EXPLAIN, .n = 2, .attrs = { PID_SELF,
		{ VMSCOPE_A_ADDR, 8, TASK_SIZE_PLUS, 0 } },
	.err = -EINVAL, .needle = "ADDR",
};
FIXTURE_VARIANT_ADD(reject, explain_addr_as_u32) {
	.cmd = VMSCOPE_CMD_EXPLAIN, .n = 2, .attrs = { PID_SELF,
		{ VMSCOPE_A_ADDR, 4, LIT, 0x10000 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, explain_no_such_pid) {
	.cmd = VMSCOPE_CMD_EXPLAIN, .n = 2, .attrs = {
		{ VMSCOPE_A_PID, 4, NO_PID, 0 },
		{ VMSCOPE_A_ADDR, 8, LIT, 0x10000 } },
	.err = -ESRCH,
};
FIXTURE_VARIANT_ADD(reject, explain_takes_no_range) {
	.cmd = VMSCOPE_CMD_EXPLAIN, .n = 3, .attrs = { PID_SELF,
		{ VMSCOPE_A_ADDR, 8, LIT, 0x10000 },
		{ VMSCOPE_A_START, 8, LIT, 0x10000 } },
	.err = -EINVAL,
};
FIXTURE_VARIANT_ADD(reject, explain_is_not_a_dump) {
	.cmd = VMSCOPE_CMD_EXPLAIN, .dump = true, .n = 2, .attrs = { PID_SELF,
		{ VMSCOPE_A_ADDR, 8, LIT, 0x10000 } },
	.err = -EOPNOTSUPP, .no_extack_ok = true,
};
FIXTURE_VARIANT_ADD(reject, unknown_command) {
	.cmd = VMSCOPE_CMD_MAX + 1, .n = 0, .err = -EOPNOTSUPP,
	.no_extack_ok = true,
};
FIXTURE_VARIANT_ADD(reject, layout_is_not_a_dump) {
	.cmd = VMSCOPE_CMD_GET_LAYOUT, .dump = true, .n = 0,
	.err = -EOPNOTSUPP, .no_extack_ok = true,
};
FIXTURE_VARIANT_ADD(reject, pages_is_only_a_dump) {
	.cmd = VMSCOPE_CMD_GET_PAGES, .n = 1, .attrs = { PID_SELF },
	.err = -EOPNOTSUPP, .no_extack_ok = true,
};

static uint64_t task_size(void)
{
	uint64_t v;

	return layout_value("task_size", &v) ? v : 0;
}

TEST_F(reject, is_refused_with_a_reason)
{
	uint64_t tsize = task_size();
	struct tnl_result res;
	struct tnl_msg m;
	int i, ret;

	if (self->skip)
		SKIP(return, "vmscope netlink family not registered");
	tnl_req(&self->nl, &m, variant->cmd, variant->dump);
	for (i = 0; i < variant->n; i++) {
		const struct attr_spec *s = &variant->attrs[i];
		uint64_t v = s->value;

		switch (s->kind) {
		case LIT:
			break;
		case SELF:
			v = getpid();
			break;
		case NO_PID:
			v = unused_pid();
			break;
		case TASK_SIZE_PLUS:
		case TASK_SIZE_MINUS:
			ASSERT_NE(0, tsize) TH_LOG("no task_size in debugfs");
			v = s->kind == TASK_SIZE_PLUS ? tsize + v * PG :
							 tsize - v * PG;
			break;
		}
		if (s->len == 4) {
			uint32_t v32 = v;

			tnl_put(&m, s->type, &v32, 4);
		} else {
			tnl_put(&m, s->type, &v, s->len);
		}
	}
	ret = tnl_call(&self->nl, &m, NULL, NULL, &res);
	EXPECT_TRUE(res.done);
	EXPECT_EQ(variant->err, ret) TH_LOG("extack: \"%s\"", res.extack);
	if (!variant->no_extack_ok)
		EXPECT_NE(0, strlen(res.extack)) TH_LOG("no extack message");
	if (variant->needle)
		EXPECT_NE(NULL, strstr(res.extack, variant->needle))
			TH_LOG("extack \"%s\" does not say \"%s\"", res.extack,
			       variant->needle);
	EXPECT_EQ(0, res.msgs);
}

/* Trailing garbage after the attributes: strict validation refuses it. */
TEST(trailing_bytes_refused)
{
	static const char junk[3] = { 1, 2, 3 };
	struct tnl_result res;
	struct tnl_msg m;
	struct tnl nl;

	NL_OPEN(&nl);
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_LAYOUT, false);
	tnl_put_raw(&m, junk, sizeof(junk));
	EXPECT_EQ(-EINVAL, tnl_call(&nl, &m, NULL, NULL, &res));
	EXPECT_NE(0, strlen(res.extack));

	/* NLA_F_NESTED on a scalar. */
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_PAGES, true);
	tnl_put_u32(&m, VMSCOPE_A_PID | NLA_F_NESTED, getpid());
	EXPECT_EQ(-EINVAL, tnl_call(&nl, &m, NULL, NULL, &res));
	EXPECT_NE(0, strlen(res.extack));
	tnl_close(&nl);
}

static int nobody_pid1(void *arg)
{
	struct tnl_result res;
	struct tnl_msg m;
	struct tnl nl;
	int ret;

	if (tnl_open(&nl))
		return 10;
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_VMAS, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, 1);
	ret = tnl_call(&nl, &m, NULL, NULL, &res);
	if (ret != -EPERM && ret != -EACCES)
		return 11;
	if (!res.extack[0] || res.msgs)
		return 12;
	tnl_req(&nl, &m, VMSCOPE_CMD_GET_PAGES, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, 1);
	ret = tnl_call(&nl, &m, NULL, NULL, &res);
	if (ret != -EPERM && ret != -EACCES)
		return 13;
	if (!res.extack[0] || res.msgs)
		return 14;
	tnl_close(&nl);
	return 0;
}

TEST(nobody_may_not_inspect_init)
{
	struct tnl nl;

	NL_OPEN(&nl);
	tnl_close(&nl);
	ASSERT_EQ(0, run_as_nobody(nobody_pid1, NULL));
}

/* Unprivileged callers see their own pages, without PFNs (as pagemap). */
static int nobody_own_pages(void *arg)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct tnl_result res;
	struct pages pg;
	struct tnl nl;
	size_t i;

	if (p == MAP_FAILED || tnl_open(&nl))
		return 10;
	memset(p, 1, 4 * PG);
	if (dump_pages(&nl, getpid(), ADDR(p), ADDR(p) + 4 * PG,
		       false, &pg, &res))
		return 11;
	if (pg.bad || !pg.n)
		return 12;
	for (i = 0; i < pg.n; i++) {
		if (pg.v[i].state != VMSCOPE_STATE_PRESENT)
			return 13;
		if (pg.v[i].has_pfn || pg.v[i].has_swap)
			return 14;
	}
	pages_free(&pg);
	tnl_close(&nl);
	return 0;
}

TEST(nobody_sees_own_pages_without_pfns)
{
	struct tnl nl;

	NL_OPEN(&nl);
	tnl_close(&nl);
	ASSERT_EQ(0, run_as_nobody(nobody_own_pages, NULL));
}

/*
 * A task that dropped dumpability (PR_SET_DUMPABLE 0) is protected from
 * other tasks of its own uid: the kernel refuses /proc/PID/pagemap, and
 * vmscope refuses too.  A dumpable sibling, whose pagemap the kernel
 * shows, vmscope shows too (it asks the kernel, module/target.c).  Both
 * siblings still see themselves.  More callers and targets, each against
 * pagemap's answer, in hardening_test.c (who_may_inspect).
 */
/* 0 when the caller can open PID's pagemap, else the errno. */
static int pagemap_open_errno(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* vmscope's answer to GET_VMAS for PID: 0, or a negative errno. */
static int vmas_errno(struct tnl *nl, pid_t pid, bool *has_extack)
{
	struct tnl_result res;
	struct tnl_msg m;
	int ret;

	tnl_req(nl, &m, VMSCOPE_CMD_GET_VMAS, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	ret = tnl_call(nl, &m, NULL, NULL, &res);
	*has_extack = res.extack[0];
	return ret;
}

static int self_vmas_ok(void)
{
	struct tnl nl;
	bool extack;
	int ret;

	if (tnl_open(&nl))
		return -1;
	ret = vmas_errno(&nl, getpid(), &extack);
	tnl_close(&nl);
	return ret;
}

struct sibling {
	pid_t pid;
	int done;	/* write end: closing it ends the sibling */
};

/* Fork a sibling that sets its dumpable flag, then waits to be ended. */
static int sibling_start(struct sibling *s, int dumpable)
{
	int ready[2], done[2];
	char c;

	if (pipe(ready) || pipe(done))
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		close(ready[0]);
		close(done[1]);
		if (prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0) ||
		    prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != dumpable)
			_exit(1);
		/* itself: allowed to see its own VMAs, undumpable or not */
		if (self_vmas_ok() || write(ready[1], "r", 1) != 1)
			_exit(2);
		if (read(done[0], &c, 1) < 0)
			_exit(3);
		_exit(0);
	}
	close(ready[1]);
	close(done[0]);
	s->done = done[1];
	if (read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return 0;
}

/* End the sibling; its exit status says whether it could see itself. */
static int sibling_stop(struct sibling *s)
{
	int status;

	close(s->done);
	if (waitpid(s->pid, &status, 0) != s->pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* As nobody: expectations for a sibling with the given dumpable flag. */
static int nobody_sibling(void *arg)
{
	int dumpable = *(int *)arg;
	struct sibling s;
	struct tnl nl;
	bool extack;
	int ret, rc = 0;

	if (tnl_open(&nl) || sibling_start(&s, dumpable))
		return 10;
	/* the oracle: what the kernel's own rule says */
	ret = pagemap_open_errno(s.pid);
	if (dumpable ? ret != 0 : ret != EACCES)
		rc = 11;
	/* vmscope agrees, and says why when it refuses */
	ret = vmas_errno(&nl, s.pid, &extack);
	if (!rc && (dumpable ? ret != 0 :
		    (ret != -EACCES && ret != -EPERM) || !extack))
		rc = 12;
	tnl_close(&nl);
	ret = sibling_stop(&s);
	if (!rc && ret)
		rc = 20 + ret;
	return rc;
}

TEST(undumpable_task_is_protected_from_its_own_uid)
{
	int dumpable = 0;
	struct tnl nl;

	NL_OPEN(&nl);
	tnl_close(&nl);
	/*
	 * 11: pagemap open not refused by the kernel (the oracle disagrees);
	 * 12: vmscope did not refuse with EACCES/EPERM and a message;
	 * 2x: the sibling could not see itself.
	 */
	EXPECT_EQ(0, run_as_nobody(nobody_sibling, &dumpable));
}

TEST(dumpable_sibling_visible_as_in_pagemap)
{
	int dumpable = 1;
	struct tnl nl;

	NL_OPEN(&nl);
	tnl_close(&nl);
	/* 11: pagemap refused; 12: vmscope refused what pagemap shows */
	EXPECT_EQ(0, run_as_nobody(nobody_sibling, &dumpable));
}

/* Root (CAP_SYS_PTRACE) may inspect an undumpable task, as pagemap. */
TEST(root_may_inspect_undumpable_task)
{
	struct sibling s;
	struct tnl nl;
	bool extack;

	NL_OPEN(&nl);
	ASSERT_EQ(0, sibling_start(&s, 0));
	EXPECT_EQ(0, pagemap_open_errno(s.pid));
	EXPECT_EQ(0, vmas_errno(&nl, s.pid, &extack));
	EXPECT_EQ(0, sibling_stop(&s));
	tnl_close(&nl);
}

/* ---- EXPLAIN ---- */

struct explain_reply {
	int msgs;
	bool has_vma, has_page;
	uint64_t addr, vma_start, vma_end, pte;
	bool has_pte;
	uint32_t state, fault[3];
	bool ok;
};

static int explain_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct explain_reply *r = arg;
	struct tnl_attrs top, e, sub;
	uint32_t pid;

	r->msgs++;
	if (tnl_parse_msg(&top, nlh) || !tnl_u32(&top, VMSCOPE_A_PID, &pid) ||
	    pid != (uint32_t)getpid() || !top.tb[VMSCOPE_A_EXPLAIN] ||
	    tnl_parse_nest(&e, top.tb[VMSCOPE_A_EXPLAIN]) ||
	    !tnl_u64(&e, VMSCOPE_EXPLAIN_A_ADDR, &r->addr) ||
	    !tnl_u32(&e, VMSCOPE_EXPLAIN_A_READ, &r->fault[0]) ||
	    !tnl_u32(&e, VMSCOPE_EXPLAIN_A_WRITE, &r->fault[1]) ||
	    !tnl_u32(&e, VMSCOPE_EXPLAIN_A_EXEC, &r->fault[2]))
		return 0;
	r->has_pte = tnl_u64(&e, VMSCOPE_EXPLAIN_A_PTE, &r->pte);
	if (e.tb[VMSCOPE_EXPLAIN_A_VMA]) {
		r->has_vma = true;
		tnl_parse_nest(&sub, e.tb[VMSCOPE_EXPLAIN_A_VMA]);
		if (!tnl_u64(&sub, VMSCOPE_VMA_A_START, &r->vma_start) ||
		    !tnl_u64(&sub, VMSCOPE_VMA_A_END, &r->vma_end))
			return 0;
	}
	if (e.tb[VMSCOPE_EXPLAIN_A_PAGE]) {
		r->has_page = true;
		tnl_parse_nest(&sub, e.tb[VMSCOPE_EXPLAIN_A_PAGE]);
		if (!tnl_u32(&sub, VMSCOPE_PAGE_A_STATE, &r->state))
			return 0;
	}
	r->ok = true;
	return 0;
}

static int explain(struct tnl *nl, uint64_t addr, struct explain_reply *r)
{
	struct tnl_result res;
	struct tnl_msg m;

	memset(r, 0, sizeof(*r));
	tnl_req(nl, &m, VMSCOPE_CMD_EXPLAIN, false);
	tnl_put_u32(&m, VMSCOPE_A_PID, getpid());
	tnl_put_u64(&m, VMSCOPE_A_ADDR, addr);
	return tnl_call(nl, &m, explain_cb, r, &res);
}

/*
 * The PFN in a raw PTE: x86 keeps the address in bits 12-51 (flags and
 * NX above); arm64 in bits PAGE_SHIFT-47 (52-bit physical addresses
 * put more elsewhere; a guest's RAM never reaches them).
 */
static uint64_t pte_pfn(uint64_t pte)
{
#ifdef __aarch64__
	const uint64_t addr = (1ULL << 48) - 1;
#else
	const uint64_t addr = (1ULL << 52) - 1;
#endif
	return (pte & addr & ~(uint64_t)(PG - 1)) / PG;
}

/*
 * Our own pages: written (no fault, the PTE maps pagemap's PFN), untouched
 * (the zero page on read, a new page on write), and a hole (SIGSEGV).
 */
TEST(explain_matches_pagemap)
{
	struct explain_reply r;
	struct tnl nl;
	uint64_t pm;
	char *p;
	int fd;

	NL_OPEN(&nl);
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + 2 * PG, PG));
	p[0] = 1;

	ASSERT_EQ(0, explain(&nl, ADDR(p) + 123, &r));
	ASSERT_TRUE(r.ok);
	EXPECT_EQ(1, r.msgs);
	EXPECT_EQ(ADDR(p), r.addr);
	ASSERT_TRUE(r.has_vma);
	EXPECT_EQ(ADDR(p), r.vma_start);
	EXPECT_EQ(ADDR(p) + 2 * PG, r.vma_end);
	ASSERT_TRUE(r.has_page);
	EXPECT_EQ(VMSCOPE_STATE_PRESENT, r.state);
	EXPECT_EQ(VMSCOPE_FAULT_NONE, r.fault[0]);
	EXPECT_EQ(VMSCOPE_FAULT_NONE, r.fault[1]);
	EXPECT_EQ(VMSCOPE_FAULT_SEGV_ACCERR, r.fault[2]);
	ASSERT_TRUE(r.has_pte);
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, pread(fd, &pm, 8, ADDR(p) / PG * 8));
	close(fd);
	ASSERT_TRUE(pm & PM_PRESENT_BIT);
	EXPECT_EQ(PM_PFN(pm), pte_pfn(r.pte));

	ASSERT_EQ(0, explain(&nl, ADDR(p) + PG, &r));
	ASSERT_TRUE(r.ok);
	EXPECT_EQ(VMSCOPE_STATE_NONE, r.state);
	EXPECT_EQ(VMSCOPE_FAULT_MINOR_ZERO, r.fault[0]);
	EXPECT_EQ(VMSCOPE_FAULT_MINOR_ANON, r.fault[1]);

	ASSERT_EQ(0, explain(&nl, ADDR(p) + 2 * PG, &r));
	ASSERT_TRUE(r.ok);
	EXPECT_FALSE(r.has_vma);
	EXPECT_FALSE(r.has_page);
	EXPECT_EQ(VMSCOPE_FAULT_SEGV_MAPERR, r.fault[0]);
	EXPECT_EQ(VMSCOPE_FAULT_SEGV_MAPERR, r.fault[1]);
	munmap(p, 2 * PG);
	tnl_close(&nl);
}

/* ---- GET_PAGES against pagemap ---- */

FIXTURE(big) {
	struct tnl nl;
	bool skip;
};

FIXTURE_SETUP(big)
{
	int r = tnl_open(&self->nl);

	self->skip = r == -ENOENT;
	if (!self->skip)
		ASSERT_EQ(0, r);
}

FIXTURE_TEARDOWN(big)
{
	if (!self->skip)
		tnl_close(&self->nl);
}

#define BIG_SKIP() do {							\
	if (self->skip)							\
		SKIP(return, "vmscope netlink family not registered");	\
} while (0)

/* xorshift64*: seeded, so a failure can be replayed (VMSCOPE_SEED). */
static uint64_t rnd_state;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t seed_from_env(void)
{
	const char *s = getenv("VMSCOPE_SEED");
	uint64_t seed = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) ^
			(uint64_t)getpid() << 32;

	return seed ? seed : 1;
}

/*
 * 4 GiB (1 GiB in a 32-bit process's 3 GiB), 2^20 pages of 4 KiB, with a
 * few thousand scattered written pages: the
 * per-page dump tiles the range exactly, across many messages, and says
 * present exactly for the pages pagemap says are present, with the same
 * PFNs.
 */
TEST_F_TIMEOUT(big, pages_4g_complete_and_exact, 600)
{
	const size_t len = (sizeof(void *) == 4 ? 1 : 4) * GiB;
	const size_t npages = len / PG;
	uint64_t seed = seed_from_env();
	size_t i, where, nr_present = 0, nr_pm_present = 0;
	struct tnl_result res;
	const char *why;
	struct pages pg;
	uint64_t *pm;
	char *base;
	int ret, fd;

	BIG_SKIP();
	rnd_state = seed;
	TH_LOG("seed %llu (VMSCOPE_SEED)", (unsigned long long)seed);
	base = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, base);
	/* One page each, not 2 MiB: THP would turn 4000 writes into 8 GiB. */
	ASSERT_EQ(0, madvise(base, len, MADV_NOHUGEPAGE));
	for (i = 0; i < 4000; i++) {
		size_t page = rnd() % npages;

		base[page * PG] = 1;
	}
	/* And a contiguous stretch, which per-page mode may send as runs. */
	memset(base + len / 2, 2, 64 * PG);

	ret = dump_pages(&self->nl, getpid(), ADDR(base),
			 ADDR(base) + len, false, &pg, &res);
	ASSERT_EQ(0, ret) TH_LOG("extack: %s", res.extack);
	ASSERT_EQ(NULL, pg.bad);
	ASSERT_FALSE(res.truncated);
	why = check_tiling(&pg, ADDR(base), ADDR(base) + len, &where);
	ASSERT_EQ(NULL, why) TH_LOG("entry %zu of %zu: %s", where, pg.n, why);
	EXPECT_LT(1, pg.msgs) TH_LOG("expected the answer to span messages");

	/* pagemap, read after the dump: nothing ran in between. */
	pm = malloc(npages * sizeof(*pm));
	ASSERT_NE(NULL, pm);
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(npages * sizeof(*pm),
		  pread(fd, pm, npages * sizeof(*pm),
			ADDR(base) / PG * sizeof(*pm)));
	close(fd);

	for (i = 0; i < pg.n; i++) {
		const struct page_ent *e = &pg.v[i];
		size_t first = (e->addr - ADDR(base)) / PG;
		uint64_t k;

		ASSERT_TRUE(e->state == VMSCOPE_STATE_PRESENT ||
			    e->state == VMSCOPE_STATE_NONE)
			TH_LOG("0x%llx: state %u", (unsigned long long)e->addr,
			       e->state);
		ASSERT_EQ(e->state == VMSCOPE_STATE_PRESENT, e->has_pfn);
		for (k = 0; k < e->nr; k++) {
			uint64_t p = pm[first + k];
			bool present = p & PM_PRESENT_BIT;

			ASSERT_EQ(present, e->state == VMSCOPE_STATE_PRESENT)
				TH_LOG("0x%llx", (unsigned long long)(e->addr +
								       k * PG));
			if (present) {
				ASSERT_EQ(PM_PFN(p), e->pfn + k);
				nr_present++;
			}
		}
	}
	for (i = 0; i < npages; i++)
		nr_pm_present += !!(pm[i] & PM_PRESENT_BIT);
	EXPECT_EQ(nr_pm_present, nr_present);
	/* The 64-page stretch and at least most scattered writes. */
	EXPECT_LE(64 + 3000, nr_present);
	free(pm);
	pages_free(&pg);
	munmap(base, len);
}

/*
 * Runs mode over a 64 GiB PROT_NONE reservation with a few written
 * pages: a handful of runs, equal to the per-page answer with equal
 * neighbours merged (pfn and swap offset are the first page's).
 */
TEST_F_TIMEOUT(big, runs_64g_equal_merged_per_page, 600)
{
	const size_t len = 64 * GiB;
	const size_t offs[] = { 0, 1 * GiB + 3 * PG, 17 * GiB, 17 * GiB + PG,
				40 * GiB + 123 * PG, 64 * GiB - PG };
	struct tnl_result res;
	struct pages exact, runs;
	size_t i, j, where;
	const char *why;
	char *base;
	int ret;

	BIG_SKIP();
	if (sizeof(void *) == 4)
		SKIP(return, "64 GiB of address space: a 64-bit process's");
	base = mmap(NULL, len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, base);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		ASSERT_EQ(0, mprotect(base + offs[i], PG,
				      PROT_READ | PROT_WRITE));
		base[offs[i]] = 1;
	}

	ret = dump_pages(&self->nl, getpid(), ADDR(base),
			 ADDR(base) + len, true, &runs, &res);
	ASSERT_EQ(0, ret) TH_LOG("extack: %s", res.extack);
	ASSERT_EQ(NULL, runs.bad);
	why = check_tiling(&runs, ADDR(base), ADDR(base) + len, &where);
	ASSERT_EQ(NULL, why) TH_LOG("run %zu: %s", where, why);

	ret = dump_pages(&self->nl, getpid(), ADDR(base),
			 ADDR(base) + len, false, &exact, &res);
	ASSERT_EQ(0, ret) TH_LOG("extack: %s", res.extack);
	ASSERT_EQ(NULL, exact.bad);
	why = check_tiling(&exact, ADDR(base), ADDR(base) + len,
			   &where);
	ASSERT_EQ(NULL, why) TH_LOG("entry %zu: %s", where, why);

	/* Merge equal neighbours of the exact answer: that is the runs. */
	for (i = 0, j = 0; i < exact.n; j++) {
		const struct page_ent *first = &exact.v[i];
		uint64_t nr = 0;

		ASSERT_LT(j, runs.n) TH_LOG("fewer runs than merged entries");
		while (i < exact.n && same_kind(&exact.v[i], first))
			nr += exact.v[i++].nr;
		EXPECT_EQ(first->addr, runs.v[j].addr);
		EXPECT_EQ(nr, runs.v[j].nr)
			TH_LOG("run %zu at 0x%llx", j,
			       (unsigned long long)runs.v[j].addr);
		EXPECT_TRUE(same_kind(first, &runs.v[j]));
		if (first->has_pfn)
			EXPECT_EQ(first->pfn, runs.v[j].pfn);
	}
	EXPECT_EQ(j, runs.n);
	/* A few written pages and the PROT_NONE between them: few runs. */
	EXPECT_GE(10 * sizeof(offs) / sizeof(offs[0]) + 10, runs.n);

	/* The written pages, and only they, are present. */
	for (i = 0; i < runs.n; i++) {
		const struct page_ent *e = &runs.v[i];
		uint64_t a;

		for (a = e->addr; a < e->addr + e->nr * PG &&
		     e->state == VMSCOPE_STATE_PRESENT; a += PG) {
			bool written = false;

			for (j = 0; j < sizeof(offs) / sizeof(offs[0]); j++)
				written |= a == ADDR(base) + offs[j];
			EXPECT_TRUE(written) TH_LOG("0x%llx", (unsigned long long)a);
		}
	}
	for (j = 0; j < sizeof(offs) / sizeof(offs[0]); j++) {
		const struct page_ent *e = page_at(&exact,
						   ADDR(base) + offs[j]);

		ASSERT_NE(NULL, e);
		EXPECT_EQ(VMSCOPE_STATE_PRESENT, e->state);
	}
	pages_free(&runs);
	pages_free(&exact);
	munmap(base, len);
}

/* ---- GET_VMAS against /proc/PID/maps ---- */

struct vma_ent {
	uint64_t start, end, pgoff, inode;
	uint32_t flags, major, minor, kind;
	char *path;
	bool has_counts;
};

struct vmas {
	uint32_t pid;
	struct vma_ent *v;
	size_t n, cap;
	const char *bad;
};

static void vmas_free(struct vmas *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int vmas_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct vmas *l = arg;
	struct tnl_attrs top, a;
	struct vma_ent e = {};
	const char *path;
	uint32_t pid;

	if (tnl_parse_msg(&top, nlh) || !tnl_u32(&top, VMSCOPE_A_PID, &pid) ||
	    pid != l->pid || !top.tb[VMSCOPE_A_VMA] ||
	    tnl_parse_nest(&a, top.tb[VMSCOPE_A_VMA])) {
		l->bad = l->bad ?: "message without PID or VMA";
		return 0;
	}
	path = tnl_str(&a, VMSCOPE_VMA_A_PATH);
	if (!tnl_u64(&a, VMSCOPE_VMA_A_START, &e.start) ||
	    !tnl_u64(&a, VMSCOPE_VMA_A_END, &e.end) ||
	    !tnl_u64(&a, VMSCOPE_VMA_A_PGOFF, &e.pgoff) ||
	    !tnl_u64(&a, VMSCOPE_VMA_A_INODE, &e.inode) ||
	    !tnl_u32(&a, VMSCOPE_VMA_A_FLAGS, &e.flags) ||
	    !tnl_u32(&a, VMSCOPE_VMA_A_DEV_MAJOR, &e.major) ||
	    !tnl_u32(&a, VMSCOPE_VMA_A_DEV_MINOR, &e.minor) ||
	    !tnl_u32(&a, VMSCOPE_VMA_A_KIND, &e.kind) || !path) {
		l->bad = l->bad ?: "VMA without a mandatory attribute";
		return 0;
	}
	e.has_counts = a.tb[VMSCOPE_VMA_A_COUNTS] != NULL;
	e.path = strdup(path);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct vma_ent *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = e;
	return 0;
}

static int dump_vmas(struct tnl *nl, uint32_t pid, bool counts,
		     struct vmas *out, struct tnl_result *res)
{
	struct tnl_msg m;

	memset(out, 0, sizeof(*out));
	out->pid = pid;
	tnl_req(nl, &m, VMSCOPE_CMD_GET_VMAS, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, pid);
	if (!counts)
		tnl_put_u32(&m, VMSCOPE_A_REQ_FLAGS, VMSCOPE_REQ_NO_COUNTS);
	return tnl_call(nl, &m, vmas_cb, out, res);
}

/* Long names: VMA messages of very different sizes, many per skb. */
#define NR_MEMFDS 300
#define LONG_DEPTH 16

static char long_dir[PATH_MAX];
static char long_path[PATH_MAX];

/* A file whose path is nearly PATH_MAX long, in a fresh tmpfs tree. */
static int make_long_path(char *path, size_t size)
{
	char comp[250];
	size_t len;
	int i, fd;

	memset(comp, 'd', sizeof(comp) - 1);
	comp[sizeof(comp) - 1] = '\0';
	snprintf(long_dir, sizeof(long_dir), "/tmp/vmscope-nl-XXXXXX");
	if (!mkdtemp(long_dir))
		return -1;
	snprintf(path, size, "%s", long_dir);
	for (i = 0; i < LONG_DEPTH; i++) {
		len = strlen(path);
		if (len + 2 + sizeof(comp) + 16 >= size)
			break;
		snprintf(path + len, size - len, "/%s", comp);
		if (mkdir(path, 0700))
			return -1;
	}
	len = strlen(path);
	snprintf(path + len, size - len, "/file");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, PG))
		return -1;
	return fd;
}

static int vma_child(int step, void *arg)
{
	char name[240];
	int i, fd;

	if (step)
		return 0;
	for (i = 0; i < NR_MEMFDS; i++) {
		snprintf(name, sizeof(name), "vmscope-%03d-%0*d", i,
			 (int)(i % 200) + 1, 0);
		fd = memfd_create(name, MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, 2 * PG))
			return 1;
		if (mmap(NULL, PG, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, i % 2 ? PG : 0) == MAP_FAILED)
			return 1;
		close(fd);
	}
	fd = open(long_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		return 1;
	close(fd);
	return 0;
}

static void rm_long_path(void)
{
	char cmd[PATH_MAX + 16];

	if (long_dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", long_dir);
		if (system(cmd))
			long_dir[0] = '\0';
	}
}

/* One /proc/PID/maps line, compared field by field. */
static void check_maps_line(struct __test_metadata *_metadata,
			    const char *line, const struct vma_ent *e)
{
	unsigned long long start, end, off, inode;
	unsigned int maj, min;
	char perms[5], expect[5];
	int n = 0;
	const char *path;

	ASSERT_EQ(7, sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &start,
			    &end, perms, &off, &maj, &min, &inode, &n))
		TH_LOG("%s", line);
	ASSERT_NE(0, n);
	path = line + n;
	snprintf(expect, sizeof(expect), "%c%c%c%c",
		 e->flags & VMSCOPE_VMA_F_READ ? 'r' : '-',
		 e->flags & VMSCOPE_VMA_F_WRITE ? 'w' : '-',
		 e->flags & VMSCOPE_VMA_F_EXEC ? 'x' : '-',
		 e->flags & VMSCOPE_VMA_F_SHARED ? 's' : 'p');
	EXPECT_EQ(start, e->start) TH_LOG("%s", line);
	EXPECT_EQ(end, e->end) TH_LOG("%s", line);
	EXPECT_STREQ(perms, expect) TH_LOG("%s", line);
	EXPECT_EQ(off, e->pgoff) TH_LOG("%s", line);
	EXPECT_EQ(maj, e->major) TH_LOG("%s", line);
	EXPECT_EQ(min, e->minor) TH_LOG("%s", line);
	EXPECT_EQ(inode, e->inode) TH_LOG("%s", line);
	EXPECT_STREQ(path, e->path) TH_LOG("%s", line);
}

/*
 * A stopped child with 300 memfd mappings of varied name lengths and one
 * file at a ~4000-byte path: GET_VMAS is /proc/PID/maps, line for line,
 * across many messages, with nothing lost at message boundaries.
 */
TEST_F_TIMEOUT(big, vmas_match_proc_maps, 300)
{
	struct tnl_result res;
	struct child c;
	struct vmas l;
	char path[64], *maps, *line, *save = NULL;
	size_t i = 0;
	bool counts;
	int ret;

	BIG_SKIP();
	ret = make_long_path(long_path, sizeof(long_path));
	ASSERT_LE(0, ret) TH_LOG("cannot make a long path in /tmp");
	close(ret);
	ASSERT_EQ(0, child_start(&c, vma_child, NULL));
	snprintf(path, sizeof(path), "/proc/%d/maps", c.pid);
	for (counts = false; ; counts = true) {
		ret = dump_vmas(&self->nl, c.pid, counts, &l, &res);
		ASSERT_EQ(0, ret) TH_LOG("extack: %s", res.extack);
		ASSERT_EQ(NULL, l.bad);
		ASSERT_FALSE(res.truncated);
		maps = read_file(path, NULL);
		ASSERT_NE(NULL, maps);
		for (i = 0, line = strtok_r(maps, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save), i++) {
			ASSERT_LT(i, l.n) TH_LOG("missing: %s", line);
			check_maps_line(_metadata, line, &l.v[i]);
			EXPECT_EQ(counts, l.v[i].has_counts);
		}
		EXPECT_EQ(i, l.n);
		EXPECT_LT(NR_MEMFDS, l.n);
		free(maps);
		vmas_free(&l);
		if (counts)
			break;
	}
	child_stop(&c);
	rm_long_path();
}

/* ---- a target that goes away ---- */

static int big_child(int step, void *arg)
{
	const size_t len = 1 * GiB;
	char *p;
	size_t i;

	if (step)
		return 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED || madvise(p, len, MADV_NOHUGEPAGE))
		return 1;
	for (i = 0; i < len; i += 16 * PG)
		p[i] = 1;	/* 32768 entries: many messages */
	return 0;
}

struct first_msg {
	struct child *c;
	int msgs;
};

/* On the first message, kill and reap the target: the rest of the dump is gone. */
static int kill_on_first(const struct nlmsghdr *nlh, void *arg)
{
	struct first_msg *f = arg;

	if (f->msgs++ == 0)
		child_stop(f->c);
	return 0;
}

TEST_F_TIMEOUT(big, target_exit_ends_dump_with_error, 300)
{
	struct first_msg f = { 0 };
	struct tnl_result res;
	struct tnl_msg m;
	struct child c;
	int ret;

	BIG_SKIP();
	ASSERT_EQ(0, child_start(&c, big_child, NULL));
	f.c = &c;
	tnl_req(&self->nl, &m, VMSCOPE_CMD_GET_PAGES, true);
	tnl_put_u32(&m, VMSCOPE_A_PID, c.pid);
	ret = tnl_call(&self->nl, &m, kill_on_first, &f, &res);
	child_stop(&c);
	ASSERT_TRUE(res.done);
	ASSERT_LT(0, f.msgs);
	EXPECT_EQ(-ESRCH, ret) TH_LOG("extack: %s", res.extack);
	EXPECT_NE(0, strlen(res.extack));
}

/* ---- random requests ---- */

static void random_request(struct tnl *nl, struct tnl_msg *m, char *map)
{
	static const uint16_t lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16 };
	uint8_t cmd = rnd() % (VMSCOPE_CMD_MAX + 3);
	int i, n = rnd() % 5;

	tnl_req(nl, m, cmd, rnd() & 1);
	if (rnd() % 16 == 0)
		((struct genlmsghdr *)NLMSG_DATA(&m->nlh))->reserved = rnd();
	if (rnd() % 16 == 0)
		((struct genlmsghdr *)NLMSG_DATA(&m->nlh))->version = rnd();
	for (i = 0; i < n; i++) {
		uint16_t type = rnd() % (VMSCOPE_A_MAX + 3);
		uint16_t len = lens[rnd() % (sizeof(lens) / sizeof(lens[0]))];
		uint64_t v = rnd();
		char buf[16];

		if (rnd() % 8 == 0)
			type |= NLA_F_NESTED;
		/* Plausible values often, so that some requests get far. */
		switch (rnd() % 4) {
		case 0:
			len = 4;
			v = rnd() % 2 ? getpid() : 1 + rnd() % 200;
			break;
		case 1:
			len = 8;
			v = ADDR(map) + (rnd() % 64) * PG;
			break;
		case 2:
			len = 4;
			v = rnd() % 8;
			break;
		}
		memcpy(buf, &v, sizeof(v));
		memcpy(buf + 8, &v, sizeof(v));
		tnl_put(m, type, buf, len);
	}
	if (rnd() % 16 == 0) {
		uint16_t junk = rnd();

		tnl_put_raw(m, &junk, 1 + rnd() % 2);
	}
}

TEST_F_TIMEOUT(big, random_burst_leaves_module_working, 900)
{
	uint64_t seed = seed_from_env();
	struct tnl_result res;
	struct pages pg;
	struct tnl_msg m;
	char *map;
	int i, ok = 0, errs = 0;

	BIG_SKIP();
	rnd_state = seed;
	TH_LOG("seed %llu (VMSCOPE_SEED)", (unsigned long long)seed);
	map = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	memset(map, 1, 16 * PG);

	for (i = 0; i < 10000; i++) {
		int ret;

		random_request(&self->nl, &m, map);
		ret = tnl_call(&self->nl, &m, NULL, NULL, &res);
		ASSERT_TRUE(res.done) TH_LOG("request %d: no end (%d)", i, ret);
		ASSERT_GE(0, res.error);
		if (res.error)
			errs++;
		else
			ok++;
	}
	TH_LOG("%d accepted, %d refused", ok, errs);
	EXPECT_LT(0, errs);

	/* Still answering, and correctly. */
	if (!access(VMSCOPE_DEBUGFS "/layout", R_OK))
		check_layout(_metadata, &self->nl);
	ASSERT_EQ(0, dump_pages(&self->nl, getpid(), ADDR(map),
				ADDR(map) + 64 * PG, false, &pg, &res));
	ASSERT_NE(0, pg.n);
	for (i = 0; i < 64; i++) {
		const struct page_ent *e = page_at(&pg, ADDR(map) + i * PG);

		ASSERT_NE(NULL, e);
		EXPECT_EQ(i < 16 ? VMSCOPE_STATE_PRESENT : VMSCOPE_STATE_NONE,
			  e->state);
	}
	pages_free(&pg);
}

/* ---- nothing more than the kernel's own interfaces tell (issue #14) ---- */

/* GET_PAGES for one range of the caller, or NULL. */
static struct pages *own_pages(struct tnl *nl, void *p, size_t len)
{
	static struct pages pg;
	struct tnl_result res;

	if (dump_pages(nl, getpid(), ADDR(p), ADDR(p) + len, false,
		       &pg, &res) || pg.bad || !pg.n)
		return NULL;
	return &pg;
}

#define LEAK_PAGES 8

/*
 * mincore() tells whether pages of a file are cached only to callers
 * that own the file or may write it (CVE-2019-5489); for others every
 * page is "resident".  So vmscope must say "hidden", for the pages, the
 * explanation of a fault, and the pages of a file nobody may write,
 * and give the real answer, agreeing with mincore(), for a file it owns.
 */
static int nobody_cache(void *arg)
{
	const char *path = arg;
	bool own = strstr(path, "nobody");
	unsigned char vec[LEAK_PAGES];
	struct explain_reply r;
	struct pages *pg;
	struct tnl nl;
	size_t i;
	char *p;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || tnl_open(&nl))
		return 10;
	p = mmap(NULL, LEAK_PAGES * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED || mincore(p, LEAK_PAGES * PG, vec))
		return 11;
	pg = own_pages(&nl, p, LEAK_PAGES * PG);
	if (!pg)
		return 12;
	for (i = 0; i < LEAK_PAGES; i++) {
		const struct page_ent *e = page_at(pg, ADDR(p) + i * PG);
		bool cached = e->flags & VMSCOPE_PAGE_F_PAGE_CACHE;
		bool hidden = e->flags & VMSCOPE_PAGE_F_CACHE_HIDDEN;

		if (e->state != VMSCOPE_STATE_NONE)
			return 13;
		if (own ? hidden || cached != (vec[i] & 1) :
			  !hidden || cached)
			return 20 + i;
		/* the page that was not written is not cached */
		if (i == LEAK_PAGES - 1 && (vec[i] & 1) == own)
			return 30;
	}
	pages_free(pg);
	if (explain(&nl, ADDR(p), &r))
		return 14;
	if ((r.fault[0] == VMSCOPE_FAULT_CACHE_HIDDEN) == own ||
	    (!own && r.fault[1] != VMSCOPE_FAULT_SEGV_ACCERR))
		return 15;
	tnl_close(&nl);
	return 0;
}

/* A file of LEAK_PAGES pages, all but the last cached; owned by uid. */
static int cached_file(char *path, uid_t uid)
{
	char buf[PG];
	int fd = mkstemp(path), i;

	if (fd < 0)
		return -1;
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < LEAK_PAGES - 1; i++)
		if (write(fd, buf, PG) != PG)
			return -1;
	if (ftruncate(fd, LEAK_PAGES * PG) || fchmod(fd, 0644) ||
	    fchown(fd, uid, -1) || fsync(fd))
		return -1;
	/* the last page (a hole) must not be in the cache */
	posix_fadvise(fd, (LEAK_PAGES - 1) * PG, PG, POSIX_FADV_DONTNEED);
	close(fd);
	return 0;
}

TEST(nobody_sees_cache_residency_only_of_own_files)
{
	char root_file[] = "/tmp/vmscope-root-XXXXXX";
	char own_file[] = "/tmp/vmscope-nobody-XXXXXX";
	struct tnl nl;

	NL_OPEN(&nl);
	tnl_close(&nl);
	ASSERT_EQ(0, cached_file(root_file, 0));
	ASSERT_EQ(0, cached_file(own_file, 65534));
	EXPECT_EQ(0, run_as_nobody(nobody_cache, root_file));
	EXPECT_EQ(0, run_as_nobody(nobody_cache, own_file));
	unlink(root_file);
	unlink(own_file);
}

/*
 * Exact mapcounts are /proc/kpagecount's (root only), KSM /proc/kpageflags';
 * pagemap gives everyone else "mapped exactly once" (bit 56).  A page
 * shared with a child after fork is mapped twice.
 */
static int nobody_mapcount(void *arg)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t pm[2];
	struct pages *pg;
	struct tnl nl;
	pid_t child;
	int fd, i;

	/* setuid() made us undumpable: /proc/self/pagemap would be root's */
	if (p == MAP_FAILED || tnl_open(&nl) || prctl(PR_SET_DUMPABLE, 1))
		return 10;
	memset(p, 1, 2 * PG);
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	if (child < 0)
		return 11;
	p[PG] = 2;		/* copied: mapped once again */
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, pm, sizeof(pm), ADDR(p) / PG * 8) !=
	    sizeof(pm))
		return 12;
	close(fd);
	pg = own_pages(&nl, p, 2 * PG);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (!pg)
		return 13;
	for (i = 0; i < 2; i++) {
		const struct page_ent *e = page_at(pg, ADDR(p) + i * PG);
		bool excl = e->flags & VMSCOPE_PAGE_F_MMAP_EXCL;

		if (e->state != VMSCOPE_STATE_PRESENT || e->has_mapcount ||
		    !(e->flags & VMSCOPE_PAGE_F_MAPCOUNT_HIDDEN) ||
		    (e->flags & VMSCOPE_PAGE_F_KSM))
			return 20 + i;
		if (excl != !!(pm[i] & (1ULL << 56)) || excl != (i == 1))
			return 30 + i;
	}
	/* the shared page is COW, the copied one not */
	if (!(page_at(pg, ADDR(p))->flags & VMSCOPE_PAGE_F_COW) ||
	    (page_at(pg, ADDR(p) + PG)->flags & VMSCOPE_PAGE_F_COW))
		return 14;
	pages_free(pg);
	tnl_close(&nl);
	return 0;
}

TEST(nobody_sees_mmap_excl_not_mapcount)
{
	struct tnl nl;

	NL_OPEN(&nl);
	tnl_close(&nl);
	ASSERT_EQ(0, run_as_nobody(nobody_mapcount, NULL));
}

/*
 * A swap entry's raw PTE holds its swap type and (inverted) offset from
 * bit 9 up; pagemap shows neither without CAP_SYS_ADMIN.  Explain keeps
 * only bits 0-8 of a non-present entry for others.
 */
static int nobody_swap_pte(void *arg)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct explain_reply r;
	struct tnl nl;

	if (p == MAP_FAILED || tnl_open(&nl))
		return 10;
	memset(p, 1, PG);
	if (madvise(p, PG, MADV_PAGEOUT))
		return 4;	/* no swap: skip */
	if (explain(&nl, ADDR(p), &r))
		return 11;
	if (r.state != VMSCOPE_STATE_SWAP)
		return 4;
	/* Masked, the entry may be all zero (i386 PAE swaps in the high word). */
	if (!r.has_pte)
		return 12;
	if (r.pte & ~0x1ffULL)
		return 13;
	tnl_close(&nl);
	return 0;
}

TEST(nobody_sees_no_swap_offset_in_raw_entries)
{
	struct tnl nl;
	int ret;

	NL_OPEN(&nl);
	tnl_close(&nl);
	ret = run_as_nobody(nobody_swap_pte, NULL);
	if (ret == 4)
		SKIP(return, "MADV_PAGEOUT did not swap the page out (no swap?)");
	ASSERT_EQ(0, ret);
}

TEST_HARNESS_MAIN
