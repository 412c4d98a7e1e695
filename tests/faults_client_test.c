// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope faults, the client of the page-fault tracer, run as a user
 * would: a target process this test forks does a scripted sequence of
 * touches in a region of its own, and the client's JSON lines (read with
 * libvmscope's JSON reader) must list exactly those faults, in order,
 * with the outcomes the test caused; the summary must count what was
 * printed; --count, --duration and SIGINT must stop it as documented;
 * errors must read as the other commands' do.  The first cases need no
 * module: libvmscope's parser on synthetic netlink messages.
 *
 * The client is $VMSCOPE_CLIENT, or userspace/vmscope of this tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netlink/genl/genl.h>

#include "kselftest_harness.h"
#include "libvmscope.h"	/* userspace/lib */
#include "lib/util.h"
#include "lib/vmscope.h"

#define NPAGES 32

static char client[PATH_MAX];

#define NEED_CLIENT() do {						\
	if (!find_userspace_program("vmscope", "VMSCOPE_CLIENT", client)) \
		SKIP(return, "no client at %.200s (make -C userspace, "	\
		     "or set VMSCOPE_CLIENT)", client);			\
	if (access(VMSCOPE_DEBUGFS, F_OK))				\
		SKIP(return, "vmscope module not loaded");		\
} while (0)

/* ---- synthetic messages: the parser alone ---- */

static struct nl_msg *fake_msg(u8 cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, 0, 0, 42, 0, 0, cmd,
				VMSCOPE_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int fake_page(struct nl_msg *msg, int type, u64 addr, u32 state,
		     u32 flags, u64 pfn)
{
	struct nlattr *n = nla_nest_start(msg, type);

	if (!n || nla_put_u64(msg, VMSCOPE_PAGE_A_ADDR, addr) ||
	    nla_put_u64(msg, VMSCOPE_PAGE_A_NR_PAGES, 1) ||
	    nla_put_u32(msg, VMSCOPE_PAGE_A_STATE, state) ||
	    nla_put_u32(msg, VMSCOPE_PAGE_A_FLAGS, flags) ||
	    nla_put_u32(msg, VMSCOPE_PAGE_A_LEVEL, VMSCOPE_LEVEL_PTE) ||
	    nla_put_u32(msg, VMSCOPE_PAGE_A_FOLIO_ORDER, 0) ||
	    nla_put_u32(msg, VMSCOPE_PAGE_A_MAPCOUNT, 1) ||
	    (pfn && nla_put_u64(msg, VMSCOPE_PAGE_A_PFN, pfn)))
		return -1;
	nla_nest_end(msg, n);
	return 0;
}

/* The top-level attributes of msg as the library's callback sees them. */
static int fake_parse(struct nl_msg *msg, struct nlattr **tb)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, VMSCOPE_A_MAX, NULL);
}

TEST(synthetic_fault_event_parses)
{
	struct nlattr *tb[VMSCOPE_A_MAX + 1];
	struct nl_msg *msg = fake_msg(VMSCOPE_CMD_FAULT_EVENT);
	struct vs_fault_event ev;
	struct nlattr *f, *v;

	ASSERT_NE(NULL, msg);
	f = nla_nest_start(msg, VMSCOPE_A_FAULT);
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_FAULT_A_SEQ, 7));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_FAULT_A_TIME_NS, 123456789));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_TID, 4321));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_FAULT_A_ADDR, 0x7f0000001234));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_ACCESS,
				 VMSCOPE_ACCESS_WRITE));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_FLAGS,
				 VMSCOPE_FAULT_F_USER |
				 VMSCOPE_FAULT_F_MISPREDICTED));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_FAULT_A_IP, 0x555500001000));
	ASSERT_EQ(0, nla_put_string(msg, VMSCOPE_FAULT_A_IP_PATH,
				    "/usr/bin/true"));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_FAULT_A_IP_OFFSET, 0x1000));
	v = nla_nest_start(msg, VMSCOPE_FAULT_A_VMA);
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_VMA_A_START, 0x7f0000000000));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_VMA_A_END, 0x7f0000010000));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_VMA_A_PGOFF, 0));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_VMA_A_FLAGS,
				 VMSCOPE_VMA_F_READ | VMSCOPE_VMA_F_WRITE));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_VMA_A_DEV_MAJOR, 0));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_VMA_A_DEV_MINOR, 0));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_VMA_A_INODE, 0));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_VMA_A_KIND,
				 VMSCOPE_VMA_MMAP_ANON));
	nla_nest_end(msg, v);
	ASSERT_EQ(0, fake_page(msg, VMSCOPE_FAULT_A_BEFORE, 0x7f0000001000,
			       VMSCOPE_STATE_PRESENT,
			       VMSCOPE_PAGE_F_ANON | VMSCOPE_PAGE_F_COW, 100));
	ASSERT_EQ(0, fake_page(msg, VMSCOPE_FAULT_A_AFTER, 0x7f0000001000,
			       VMSCOPE_STATE_PRESENT,
			       VMSCOPE_PAGE_F_ANON | VMSCOPE_PAGE_F_WRITE |
			       VMSCOPE_PAGE_F_EXCLUSIVE, 200));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_OUTCOME,
				 VMSCOPE_FAULT_COW_COPY));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_PREDICTED,
				 VMSCOPE_FAULT_COW_REUSE));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_VM_FAULT, 0));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_RETRIES, 1));
	nla_nest_end(msg, f);

	ASSERT_EQ(0, fake_parse(msg, tb));
	ASSERT_EQ(0, vs_fault_event_parse(tb, &ev));
	EXPECT_EQ(7, ev.seq);
	EXPECT_EQ(123456789, ev.time_ns);
	EXPECT_EQ(4321, ev.tid);
	EXPECT_EQ(0x7f0000001234, ev.addr);
	EXPECT_EQ(VMSCOPE_ACCESS_WRITE, ev.access);
	EXPECT_TRUE(ev.has_ip);
	EXPECT_STREQ("/usr/bin/true", ev.ip_path);
	EXPECT_EQ(0x1000, ev.ip_offset);
	EXPECT_TRUE(ev.has_vma);
	EXPECT_EQ(0x7f0000010000, ev.vma.end);
	EXPECT_EQ(VMSCOPE_VMA_MMAP_ANON, ev.vma.kind);
	EXPECT_TRUE(ev.has_before && ev.has_after);
	EXPECT_EQ(100, ev.before.pfn);
	EXPECT_EQ(200, ev.after.pfn);
	EXPECT_EQ(VMSCOPE_FAULT_COW_COPY, ev.outcome);
	EXPECT_TRUE(ev.has_predicted);
	EXPECT_EQ(VMSCOPE_FAULT_COW_REUSE, ev.predicted);
	EXPECT_EQ(1, ev.retries);
	vs_fault_event_free(&ev);
	nlmsg_free(msg);
}

/* Without SEQ an event cannot be placed: refused, nothing leaked. */
TEST(synthetic_event_without_seq_is_refused)
{
	struct nlattr *tb[VMSCOPE_A_MAX + 1];
	struct nl_msg *msg = fake_msg(VMSCOPE_CMD_FAULT_EVENT);
	struct vs_fault_event ev;
	struct nlattr *f;

	ASSERT_NE(NULL, msg);
	f = nla_nest_start(msg, VMSCOPE_A_FAULT);
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_FAULT_A_TIME_NS, 1));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_TID, 1));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_FAULT_A_ADDR, 0x1000));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_ACCESS, 0));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_FLAGS, 0));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_FAULT_A_OUTCOME, 0));
	nla_nest_end(msg, f);
	ASSERT_EQ(0, fake_parse(msg, tb));
	EXPECT_EQ(-EBADMSG, vs_fault_event_parse(tb, &ev));
	nlmsg_free(msg);
}

TEST(synthetic_trace_end_parses)
{
	struct nlattr *tb[VMSCOPE_A_MAX + 1];
	struct nl_msg *msg = fake_msg(VMSCOPE_CMD_TRACE_END);
	struct vs_trace_end end;
	struct nlattr *t;

	ASSERT_NE(NULL, msg);
	t = nla_nest_start(msg, VMSCOPE_A_TRACE);
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_TRACE_A_ID, 3));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_TRACE_A_EVENTS, 99));
	ASSERT_EQ(0, nla_put_u64(msg, VMSCOPE_TRACE_A_DROPPED, 5));
	ASSERT_EQ(0, nla_put_u32(msg, VMSCOPE_TRACE_A_END_REASON,
				 VMSCOPE_TRACE_END_EXITED));
	nla_nest_end(msg, t);
	ASSERT_EQ(0, fake_parse(msg, tb));
	ASSERT_EQ(0, vs_trace_end_parse(tb, &end));
	EXPECT_EQ(3, end.id);
	EXPECT_EQ(VMSCOPE_TRACE_END_EXITED, end.reason);
	EXPECT_TRUE(end.has_events && end.has_dropped);
	EXPECT_EQ(99, end.events);
	EXPECT_EQ(5, end.dropped);
	nlmsg_free(msg);
}

/* ---- a target and the client ---- */

/*
 * A process that does a script in a region (mapped by the parent before
 * the fork, so the address is known and nothing in it is present), when
 * told to, then exits.
 */
struct target {
	pid_t pid;
	int go;			/* write a byte: run the script */
	char *base;
};

enum script {
	SCRIPT_IDLE,		/* nothing; exit when told */
	SCRIPT_COW,		/* the sequence of expect_cow[] */
	SCRIPT_TOUCH_ALL,	/* write every page once */
};

static void cow_script(char *base)
{
	volatile char *p = base;
	int gate[2];
	pid_t child;
	char c;

	(void)p[0];			/* the zero page */
	p[1 * PG] = 1;			/* a new page */
	p[2 * PG] = 1;			/* a new page */
	if (pipe(gate))
		_exit(3);
	child = fork();
	if (child < 0)
		_exit(3);
	if (!child) {
		close(gate[1]);
		while (read(gate[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(gate[0]);
	p[1 * PG] = 2;			/* shared with the child: copied */
	close(gate[1]);			/* the child exits */
	waitpid(child, NULL, 0);
	p[2 * PG] = 2;			/* no longer shared: reused */
}

static const struct {
	unsigned int page;
	const char *access;
	const char *outcome;
} expect_cow[] = {
	{ 0, "read", "minor-zero-page" },
	{ 1, "write", "minor-new-page" },
	{ 2, "write", "minor-new-page" },
	{ 1, "write", "cow-copy" },
	{ 2, "write", "cow-reuse" },
};

static int target_start(struct target *t, enum script script)
{
	int go[2];
	unsigned int i;
	char c;

	t->base = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->base == MAP_FAILED)
		return -1;
	madvise(t->base, NPAGES * PG, MADV_NOHUGEPAGE);
	if (pipe(go))
		return -1;
	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (!t->pid) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(0);
		if (script == SCRIPT_COW)
			cow_script(t->base);
		else if (script == SCRIPT_TOUCH_ALL)
			for (i = 0; i < NPAGES; i++)
				t->base[i * PG] = 1;
		else
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
		_exit(0);
	}
	close(go[0]);
	t->go = go[1];
	return 0;
}

static void target_go(struct target *t)
{
	if (write(t->go, "g", 1) != 1)
		kill(t->pid, SIGKILL);
}

static void target_stop(struct target *t)
{
	if (t->go >= 0)
		close(t->go);
	t->go = -1;
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
	}
	t->pid = 0;
	if (t->base && t->base != MAP_FAILED)
		munmap(t->base, NPAGES * PG);
	t->base = NULL;
}

/* The client running, its stdout a pipe we read line by line. */
struct live {
	pid_t pid;
	int out;		/* read end */
	int err;		/* memfd */
	char buf[1 << 20];
	size_t len;
	bool eof;
};

static int live_start(struct live *l, const char *arg, ...)
{
	const char *argv[16] = { client };
	int p[2], i = 1;
	va_list ap;

	memset(l, 0, sizeof(*l));
	va_start(ap, arg);
	for (; arg && i < 15; arg = va_arg(ap, const char *))
		argv[i++] = arg;
	va_end(ap);
	argv[i] = NULL;
	l->err = memfd_create("client-err", MFD_CLOEXEC);
	if (l->err < 0 || pipe2(p, O_CLOEXEC))
		return -1;
	l->pid = fork();
	if (l->pid < 0)
		return -1;
	if (!l->pid) {
		dup2(p[1], 1);
		dup2(l->err, 2);
		execv(client, (char **)argv);
		_exit(127);
	}
	close(p[1]);
	l->out = p[0];
	return 0;
}

/* Read more output, waiting at most ms; false at the end of it. */
static bool live_read(struct live *l, int ms)
{
	struct pollfd pfd = { .fd = l->out, .events = POLLIN };
	ssize_t n;

	if (l->eof || l->len + 1 >= sizeof(l->buf))
		return false;
	if (poll(&pfd, 1, ms) <= 0)
		return true;
	n = read(l->out, l->buf + l->len, sizeof(l->buf) - 1 - l->len);
	if (n <= 0) {
		l->eof = true;
		return false;
	}
	l->len += n;
	l->buf[l->len] = '\0';
	return true;
}

/* Wait (up to ms) until the output contains s. */
static bool live_wait_for(struct live *l, const char *s, int ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!l->len || !strstr(l->buf, s)) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 > ms)
			return false;
		if (!live_read(l, 100) && l->eof)
			return l->len && strstr(l->buf, s);
	}
	return true;
}

/* Read to the end and reap: the exit status, -1 if it did not exit. */
static int live_finish(struct live *l, int ms)
{
	int status, waited = 0;

	while (!l->eof && waited < ms) {
		live_read(l, 100);
		waited += 100;
	}
	if (!l->eof)
		kill(l->pid, SIGKILL);
	if (waitpid(l->pid, &status, 0) != l->pid)
		return -1;
	close(l->out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *live_stderr(struct live *l)
{
	return slurp_fd(l->err);
}

/* JSON lines: one document per line, parsed. */
struct lines {
	struct jv *v[4096];
	size_t n;
};

static bool parse_lines(struct __test_metadata *_metadata, char *text,
			struct lines *out)
{
	char *line, *save = NULL, err[128];

	out->n = 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (out->n == ARRAY_SIZE(out->v))
			return false;
		out->v[out->n] = json_parse(line, err, sizeof(err));
		if (!out->v[out->n]) {
			TH_LOG("not a JSON line (%s): %.300s", err, line);
			return false;
		}
		out->n++;
	}
	return true;
}

static void lines_free(struct lines *l)
{
	while (l->n)
		json_free(l->v[--l->n]);
}

static const char *type_of(const struct jv *v)
{
	return json_get_str(v, "type") ?: "";
}

static const struct jv *summary_of(const struct lines *l)
{
	return l->n ? (strcmp(type_of(l->v[l->n - 1]), "summary") ? NULL :
		       l->v[l->n - 1]) : NULL;
}

static unsigned long count_type(const struct lines *l, const char *type)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		n += !strcmp(type_of(l->v[i]), type);
	return n;
}

/* Run the client on a target's region as --json with extra args. */
static int trace_json(struct __test_metadata *_metadata, struct target *t,
		      struct live *l, const char *extra)
{
	char pid[16], range[64];

	snprintf(pid, sizeof(pid), "%d", t->pid);
	snprintf(range, sizeof(range), "%lx-%lx", (unsigned long)t->base,
		 (unsigned long)t->base + NPAGES * PG);
	if (live_start(l, "faults", pid, range, "--json", extra, NULL))
		return -1;
	if (!live_wait_for(l, "\"type\": \"start\"", 20000)) {
		char *err = live_stderr(l);

		TH_LOG("the trace did not start: %.500s / %.500s", l->buf,
		       err ?: "");
		free(err);
		return -1;
	}
	return 0;
}

/*
 * The scripted touches, exactly those, in that order, with their
 * outcomes and states; the trace ends because the target exits.
 */
TEST(json_lines_are_the_touches_in_order)
{
	struct target t = { .go = -1 };
	struct lines lines = { 0 };
	const struct jv *ev, *before, *after, *sum;
	unsigned long long addr, pfn_before, pfn_after;
	struct live *l = calloc(1, sizeof(*l));
	const char *outcome;
	char *copy = NULL;
	size_t i, k = 0;
	bool b;

	NEED_CLIENT();
	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, target_start(&t, SCRIPT_COW));
	ASSERT_EQ(0, trace_json(_metadata, &t, l, NULL));
	target_go(&t);
	EXPECT_EQ(0, live_finish(l, 30000));
	waitpid(t.pid, NULL, 0);
	t.pid = 0;
	copy = strdup(l->buf);
	ASSERT_TRUE(parse_lines(_metadata, l->buf, &lines));
	ASSERT_STREQ("start", type_of(lines.v[0]));
	for (i = 1; i < lines.n; i++) {
		ev = lines.v[i];
		if (strcmp(type_of(ev), "fault"))
			continue;
		if (k >= ARRAY_SIZE(expect_cow)) {
			TH_LOG("an extra event: %s at %s",
			       json_get_str(ev, "outcome"),
			       json_get_str(ev, "addr"));
			k++;
			continue;
		}
		ASSERT_TRUE(json_get_hex(ev, "addr", &addr));
		EXPECT_EQ((unsigned long)t.base + expect_cow[k].page * PG,
			  addr & ~(PG - 1)) TH_LOG("event %zu", k);
		EXPECT_STREQ(expect_cow[k].access,
			     json_get_str(ev, "access") ?: "?")
			TH_LOG("event %zu", k);
		outcome = json_get_str(ev, "outcome") ?: "?";
		/*
		 * The last write may copy after all: a reference the page
		 * still has elsewhere (a CPU's LRU batch) makes do_wp_page()
		 * copy a page no other process maps.  The PFNs below say
		 * which it was.
		 */
		if (k == 4 && !strcmp(outcome, "cow-copy"))
			TH_LOG("event 4 copied: a reference held elsewhere");
		else
			EXPECT_STREQ(expect_cow[k].outcome, outcome)
				TH_LOG("event %zu", k);
		EXPECT_TRUE(json_get_bool(ev, "user", &b) && b);
		before = json_get(ev, "before");
		after = json_get(ev, "after");
		ASSERT_TRUE(before && before->type == J_OBJ);
		ASSERT_TRUE(after && after->type == J_OBJ);
		EXPECT_STREQ("present", json_get_str(after, "state") ?: "?");
		if (k == 0) {
			EXPECT_STREQ("none", json_get_str(before, "state"));
			EXPECT_TRUE(json_get_bool(after, "zero", &b) && b);
		}
		if (k == 1 || k == 2) {
			EXPECT_STREQ("none", json_get_str(before, "state"));
			EXPECT_TRUE(json_get_bool(after, "anon", &b) && b);
		}
		/* root sees PFNs: a copy moves, a reuse stays */
		if ((k == 3 || k == 4) &&
		    json_get_u64(before, "pfn", &pfn_before) &&
		    json_get_u64(after, "pfn", &pfn_after)) {
			if (!strcmp(outcome, "cow-copy")) {
				EXPECT_NE(pfn_before, pfn_after);
			} else {
				EXPECT_EQ(pfn_before, pfn_after);
			}
		}
		if (k >= 3) {
			/* shared after fork(): read-only, not exclusive */
			EXPECT_TRUE(json_get_bool(before, "write", &b) && !b);
			EXPECT_TRUE(json_get_bool(before, "exclusive", &b) &&
				    !b);
			/*
			 * As "pages" says of a page the child still maps: a
			 * write would copy.  After the child exited "pages"
			 * says what compat.h's reuse rule guesses from a racy
			 * reference count (an LRU batch's reference counts
			 * until the kernel drains it), so event 4 has no
			 * certain answer to check.
			 */
			if (k == 3)
				EXPECT_TRUE(json_get_bool(before, "cow", &b) &&
					    b)
					TH_LOG("event 3: before is not 'cow'");
			EXPECT_TRUE(json_get_bool(after, "write", &b) && b);
			EXPECT_TRUE(json_get_bool(after, "exclusive", &b) && b);
		}
		k++;
	}
	EXPECT_EQ(ARRAY_SIZE(expect_cow), k);
	sum = summary_of(&lines);
	ASSERT_NE(NULL, sum);
	EXPECT_STREQ("exited", json_get_str(sum, "ended") ?: "?");
	EXPECT_TRUE(json_is_null(sum, "stopped_by"));
	if (VMS_TEST_FAILED(_metadata))
		TH_LOG("the client's output:\n%.8000s", copy);
	free(copy);
	lines_free(&lines);
	target_stop(&t);
	free(l);
}

/* The summary counts what was printed, outcome by outcome, VMA by VMA. */
TEST(summary_counts_equal_events_printed)
{
	struct target t = { .go = -1 };
	struct lines lines = { 0 };
	struct live *l = calloc(1, sizeof(*l));
	const struct jv *sum, *outcomes, *vmas, *o;
	unsigned long events = 0, total = 0, vma_total = 0, cow = 0;
	unsigned long long n, cow_sum;
	size_t i;

	NEED_CLIENT();
	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, target_start(&t, SCRIPT_COW));
	ASSERT_EQ(0, trace_json(_metadata, &t, l, NULL));
	target_go(&t);
	EXPECT_EQ(0, live_finish(l, 30000));
	waitpid(t.pid, NULL, 0);
	t.pid = 0;
	ASSERT_TRUE(parse_lines(_metadata, l->buf, &lines));
	for (i = 0; i < lines.n; i++) {
		if (strcmp(type_of(lines.v[i]), "fault"))
			continue;
		events++;
		cow += !strcmp(json_get_str(lines.v[i], "outcome") ?: "",
			       "cow-copy");
	}
	sum = summary_of(&lines);
	ASSERT_NE(NULL, sum);
	ASSERT_TRUE(json_get_u64(sum, "events", &n));
	EXPECT_EQ(events, n);
	ASSERT_TRUE(json_get_u64(sum, "cow_copies", &cow_sum));
	EXPECT_EQ(cow, cow_sum);
	outcomes = json_get(sum, "outcomes");
	ASSERT_TRUE(outcomes && outcomes->type == J_OBJ);
	for (i = 0; i < outcomes->len; i++)
		total += outcomes->items[i].n;
	EXPECT_EQ(events, total);
	vmas = json_get(sum, "vmas");
	ASSERT_TRUE(vmas && vmas->type == J_ARR);
	for (i = 0; i < vmas->len; i++) {
		o = &vmas->items[i];
		ASSERT_TRUE(json_get_u64(o, "events", &n));
		vma_total += n;
	}
	EXPECT_EQ(events, vma_total);
	/* the kernel's own count of what it delivered, when it ends alone */
	if (json_get_u64(sum, "kernel_events", &n))
		EXPECT_EQ(events, n);
	lines_free(&lines);
	target_stop(&t);
	free(l);
}

/*
 * --check-explain: every event has explain's prediction, "mispredicted"
 * says whether it differs from the outcome, and the summary counts those.
 * The first three touches (zero page, two new pages) depend on nothing
 * explain cannot see, so they must be predicted right; whether a COW
 * write copies also depends on references explain does not count.
 */
TEST(check_explain_predicts_and_counts)
{
	struct target t = { .go = -1 };
	struct lines lines = { 0 };
	struct live *l = calloc(1, sizeof(*l));
	unsigned long wrong = 0, events = 0;
	unsigned long long n;
	const struct jv *sum;
	const char *pred, *out;
	size_t i;
	bool b;

	NEED_CLIENT();
	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, target_start(&t, SCRIPT_COW));
	ASSERT_EQ(0, trace_json(_metadata, &t, l, "--check-explain"));
	target_go(&t);
	EXPECT_EQ(0, live_finish(l, 30000));
	waitpid(t.pid, NULL, 0);
	t.pid = 0;
	ASSERT_TRUE(parse_lines(_metadata, l->buf, &lines));
	for (i = 0; i < lines.n; i++) {
		if (strcmp(type_of(lines.v[i]), "fault"))
			continue;
		events++;
		pred = json_get_str(lines.v[i], "predicted");
		out = json_get_str(lines.v[i], "outcome");
		ASSERT_NE(NULL, pred) TH_LOG("event %lu: no prediction", events);
		ASSERT_TRUE(json_get_bool(lines.v[i], "mispredicted", &b));
		EXPECT_EQ(strcmp(pred, out ?: "") != 0, b);
		if (b)
			TH_LOG("predicted %s, happened %s", pred, out);
		if (events <= 3)
			EXPECT_FALSE(b) TH_LOG("event %lu", events);
		wrong += b;
	}
	EXPECT_EQ(ARRAY_SIZE(expect_cow), events);
	sum = summary_of(&lines);
	ASSERT_NE(NULL, sum);
	ASSERT_TRUE(json_get_u64(sum, "mispredicted", &n));
	EXPECT_EQ(wrong, n);
	lines_free(&lines);
	target_stop(&t);
	free(l);
}

TEST(count_stops_after_n)
{
	struct target t = { .go = -1 };
	struct lines lines = { 0 };
	struct live *l = calloc(1, sizeof(*l));
	const struct jv *sum;

	NEED_CLIENT();
	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, target_start(&t, SCRIPT_TOUCH_ALL));
	ASSERT_EQ(0, trace_json(_metadata, &t, l, "--count=5"));
	target_go(&t);
	EXPECT_EQ(0, live_finish(l, 30000));
	ASSERT_TRUE(parse_lines(_metadata, l->buf, &lines));
	EXPECT_EQ(5, count_type(&lines, "fault"));
	sum = summary_of(&lines);
	ASSERT_NE(NULL, sum);
	EXPECT_STREQ("count", json_get_str(sum, "stopped_by") ?: "?");
	lines_free(&lines);
	target_stop(&t);
	free(l);
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* An idle target: --duration 1 ends it after a second, not before. */
TEST(duration_stops_in_time)
{
	struct target t = { .go = -1 };
	struct lines lines = { 0 };
	struct live *l = calloc(1, sizeof(*l));
	const struct jv *sum;
	struct timespec t0;
	double took;

	NEED_CLIENT();
	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, target_start(&t, SCRIPT_IDLE));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, trace_json(_metadata, &t, l, "--duration=1"));
	EXPECT_EQ(0, live_finish(l, 30000));
	took = since(&t0);
	/*
	 * Not before the second is up.  How long after is no property of
	 * the client (registering probes under TCG, on a debug kernel,
	 * takes seconds): that it was the duration that ended the trace
	 * of an idle target is, below.
	 */
	EXPECT_GE(took, 1.0);
	TH_LOG("took %.1f s", took);
	ASSERT_TRUE(parse_lines(_metadata, l->buf, &lines));
	sum = summary_of(&lines);
	ASSERT_NE(NULL, sum);
	EXPECT_STREQ("duration", json_get_str(sum, "stopped_by") ?: "?");
	EXPECT_STREQ("stopped", json_get_str(sum, "ended") ?: "?");
	lines_free(&lines);
	target_stop(&t);
	free(l);
}

/* Ctrl-C: the trace is stopped, the summary printed, exit status 0. */
TEST(sigint_prints_summary_exits_0)
{
	struct target t = { .go = -1 };
	struct live *l = calloc(1, sizeof(*l));
	char pid[16];

	NEED_CLIENT();
	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, target_start(&t, SCRIPT_IDLE));
	snprintf(pid, sizeof(pid), "%d", t.pid);
	ASSERT_EQ(0, live_start(l, "faults", pid, NULL));
	ASSERT_TRUE(live_wait_for(l, "TIME(s)", 20000)) TH_LOG("%s", l->buf);
	kill(l->pid, SIGINT);
	EXPECT_EQ(0, live_finish(l, 20000));
	EXPECT_NE(NULL, strstr(l->buf, "summary: pid ")) TH_LOG("%s", l->buf);
	EXPECT_NE(NULL, strstr(l->buf, "ended: stopped (SIGINT)"))
		TH_LOG("%s", l->buf);
	target_stop(&t);
	free(l);
}

/* Run the client to its end: status, stdout and stderr. */
static int run_to_end(struct live *l, bool nobody, const char *a1,
		      const char *a2, const char *a3)
{
	int p[2], status;

	memset(l, 0, sizeof(*l));
	l->err = memfd_create("client-err", MFD_CLOEXEC);
	if (l->err < 0 || pipe2(p, O_CLOEXEC))
		return -1;
	l->pid = fork();
	if (!l->pid) {
		dup2(p[1], 1);
		dup2(l->err, 2);
		if (nobody && (setgroups(0, NULL) || setgid(NOBODY_GID) ||
			       setuid(NOBODY_UID)))
			_exit(126);
		execl(client, client, a1, a2, a3, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	l->out = p[0];
	status = live_finish(l, 30000);
	return status;
}

TEST(bad_pid_and_range)
{
	struct live *l = calloc(1, sizeof(*l));
	struct live *m = calloc(1, sizeof(*m));
	char pid[16], *err, *perr;

	NEED_CLIENT();
	ASSERT_TRUE(l && m);
	/* a PID no process has: as "pages" says it, exit status 1 */
	snprintf(pid, sizeof(pid), "%d", INT_MAX - 1);
	EXPECT_EQ(1, run_to_end(l, false, "faults", pid, NULL));
	EXPECT_EQ(1, run_to_end(m, false, "pages", pid, NULL));
	err = live_stderr(l);
	perr = live_stderr(m);
	ASSERT_TRUE(err && perr);
	EXPECT_STREQ(perr, err);
	EXPECT_EQ(0, l->len) TH_LOG("stdout: %s", l->buf);
	free(err);
	free(perr);
	/* a range upside down: usage, exit status 2 */
	EXPECT_EQ(2, run_to_end(l, false, "faults", "1", "2000-1000"));
	err = live_stderr(l);
	EXPECT_NE(NULL, strstr(err ?: "", "END must be above START"));
	free(err);
	EXPECT_EQ(2, run_to_end(l, false, "faults", "1", "--count=0"));
	free(l);
	free(m);
}

/*
 * nobody may not trace at all without CAP_PERFMON (as perf), and hears
 * why; "pages" refuses it root's process for its own reason.
 */
TEST(nobody_refused_without_perfmon)
{
	struct live *l = calloc(1, sizeof(*l));
	struct live *m = calloc(1, sizeof(*m));
	char *err, *perr;

	NEED_CLIENT();
	ASSERT_TRUE(l && m);
	if (getuid() != 0)
		SKIP(return, "needs root to become nobody");
	EXPECT_EQ(1, run_to_end(l, true, "faults", "1", NULL));
	EXPECT_EQ(1, run_to_end(m, true, "pages", "1", NULL));
	err = live_stderr(l);
	perr = live_stderr(m);
	ASSERT_TRUE(err && perr);
	EXPECT_NE(NULL, strstr(err, "vmscope: pid 1: "));
	EXPECT_NE(NULL, strstr(err, "CAP_PERFMON")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(perr, "vmscope: pid 1: "));
	free(err);
	free(perr);
	free(l);
	free(m);
}

/*
 * vmscope faults PID --json | (sleep 8; cat) on a target that takes
 * 50 000 faults and exits: the client blocks on its full pipe, its
 * socket fills, the kernel's session stalls.  When the pipe is read
 * again the client must still get the end and exit (it used to wait for
 * ever: the session had given up on the end), and the summary must
 * count every fault as printed or dropped.
 */
FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

TEST_F_TIMEOUT(slow, reader_exits_with_the_end, 300)
{
	const unsigned long pages = 50000;
	struct live *l = calloc(1, sizeof(*l));
	unsigned long long events = 0, dropped = 0;
	char pid[16], *last, errbuf[128];
	struct timespec t0;
	int go[2], status;
	struct jv *sum;
	pid_t target;
	size_t keep;
	char c;

	NEED_CLIENT();
	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, pipe(go));
	target = fork();
	ASSERT_LE(0, target);
	if (!target) {
		char *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned long k;

		close(go[1]);
		if (p == MAP_FAILED)
			_exit(1);
		madvise(p, pages * PG, MADV_NOHUGEPAGE);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		for (k = 0; k < pages; k++)
			p[k * PG] = 1;
		_exit(0);
	}
	close(go[0]);
	snprintf(pid, sizeof(pid), "%d", target);
	ASSERT_EQ(0, live_start(l, "faults", pid, "--json", NULL));
	ASSERT_TRUE(live_wait_for(l, "\"type\": \"start\"", 60000));
	ASSERT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	ASSERT_EQ(target, waitpid(target, &status, 0));
	/* the reader of the pipe sleeps; the client blocks writing */
	sleep(8);
	/* read on, keeping only the tail: the summary is the last line */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!l->eof && since(&t0) < 120) {
		if (l->len > sizeof(l->buf) / 2) {
			keep = 4096;
			memmove(l->buf, l->buf + l->len - keep, keep);
			l->len = keep;
		}
		live_read(l, 100);
	}
	EXPECT_TRUE(l->eof) TH_LOG("the client did not exit within 120 s");
	EXPECT_EQ(0, live_finish(l, 1000));
	last = l->len ? l->buf + l->len - 1 : l->buf;
	if (*last == '\n')
		*last = '\0';
	last = strrchr(l->buf, '\n');
	last = last ? last + 1 : l->buf;
	sum = json_parse(last, errbuf, sizeof(errbuf));
	ASSERT_NE(NULL, sum) TH_LOG("last line: %.300s", last);
	EXPECT_STREQ("summary", type_of(sum));
	EXPECT_STREQ("exited", json_get_str(sum, "ended") ?: "null");
	EXPECT_TRUE(json_get_u64(sum, "events", &events));
	EXPECT_TRUE(json_get_u64(sum, "dropped", &dropped));
	TH_LOG("%llu events printed, %llu dropped", events, dropped);
	EXPECT_LE(pages, events + dropped);
	json_free(sum);
	free(l);
}

TEST_HARNESS_MAIN
