// SPDX-License-Identifier: GPL-2.0
/*
 * The client, userspace/vmscope, run as a user would and judged by its
 * JSON against the kernel's own views: the debugfs layout file,
 * /proc/PID/maps, /proc/PID/pagemap, /proc/kpageflags, /proc/kpagecount;
 * and by its exit statuses and messages.
 *
 * The client is $VMSCOPE_CLIENT, or userspace/vmscope of the tree this
 * test was built in (build/tests/../../userspace/vmscope).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "json_read.h"	/* userspace/lib */
#include "lib/pagemap.h"
#include "lib/util.h"
#include "lib/vmscope.h"


/* /proc/kpageflags bits (Documentation/admin-guide/mm/pagemap.rst) */
#define KPF_ANON	12
#define KPF_ZERO_PAGE	24

static char client[PATH_MAX];

static bool find_client(void)
{
	return find_userspace_program("vmscope", "VMSCOPE_CLIENT", client);
}

#define NEED_CLIENT() do {						\
	if (!find_client())						\
		SKIP(return, "no client at %.200s (make -C userspace, "	\
		     "or set VMSCOPE_CLIENT)", client);			\
	if (access(VMSCOPE_DEBUGFS, F_OK))				\
		SKIP(return, "vmscope module not loaded");		\
} while (0)

struct run {
	int status;		/* exit status, -1 if it did not exit */
	char *out, *err;
};

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/*
 * Run the client with args (NULL-terminated), stdout and stderr caught
 * in memory files; as uid nobody if asked.  NO_COLOR is left as it is:
 * output to a file must be plain anyway.
 */
static int run_client(struct run *r, bool nobody, const char *arg, ...)
{
	const char *argv[16] = { client };
	int out, err, i = 1, status;
	va_list ap;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	va_start(ap, arg);
	for (; arg && i < 15; arg = va_arg(ap, const char *))
		argv[i++] = arg;
	va_end(ap);
	argv[i] = NULL;

	out = memfd_create("client-out", MFD_CLOEXEC);
	err = memfd_create("client-err", MFD_CLOEXEC);
	if (out < 0 || err < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		if (nobody && (setgroups(0, NULL) || setgid(NOBODY_GID) ||
			       setuid(NOBODY_UID)))
			_exit(126);
		execv(client, (char **)argv);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	r->out = slurp_fd(out);
	r->err = slurp_fd(err);
	close(out);
	close(err);
	return r->status;
}

static pid_t unused_pid(void)
{
	char *max = read_file("/proc/sys/kernel/pid_max", NULL);
	pid_t pid = max ? atoi(max) - 1 : 32767;

	free(max);
	while (pid > 300 && (kill(pid, 0) == 0 || errno != ESRCH))
		pid--;
	return pid;
}

static struct jv *parse_out(struct __test_metadata *_metadata,
			    const struct run *r)
{
	char err[128];
	struct jv *doc;

	if (!r->out)
		return NULL;
	doc = json_parse(r->out, err, sizeof(err));
	if (!doc)
		TH_LOG("not JSON (%s):\n%.2000s", err, r->out);
	return doc;
}

/* ---- exit statuses and messages ---- */

TEST(usage_errors_exit_2)
{
	static const char *const cases[][5] = {
		{ NULL },
		{ "bogus", NULL },
		{ "maps", NULL },
		{ "maps", "x", NULL },
		{ "maps", "0", NULL },
		{ "maps", "1", "2", NULL },
		{ "maps", "1", "--runs", NULL },
		{ "layout", "extra", NULL },
		{ "pages", "1", "zz", NULL },
		{ "pages", "1", "2000-1000", NULL },
		{ "pages", "1", "--frobnicate", NULL },
		{ "map", "1", "--width", "3", NULL },
		{ "explain", "1", NULL },
		{ "explain", "1", "nothex", NULL },
	};
	unsigned int i;
	struct run r;

	NEED_CLIENT();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_client(&r, false, cases[i][0], cases[i][1], cases[i][2],
			   cases[i][3], NULL);
		EXPECT_EQ(2, r.status) TH_LOG("case %u (%s %s)", i,
					      cases[i][0], cases[i][1]);
		EXPECT_NE(NULL, strstr(r.err ?: "", "usage: vmscope"))
			TH_LOG("case %u stderr: %s", i, r.err);
		EXPECT_STREQ("", r.out ?: "(none)");
		run_free(&r);
	}
}

TEST(help_exits_0)
{
	struct run r;

	NEED_CLIENT();
	EXPECT_EQ(0, run_client(&r, false, "--help", NULL));
	EXPECT_NE(NULL, strstr(r.out, "vmscope pages PID"));
	run_free(&r);
	EXPECT_EQ(0, run_client(&r, false, "maps", "--help", NULL));
	EXPECT_NE(NULL, strstr(r.out, "usage: vmscope maps PID"));
	run_free(&r);
}

/*
 * --version: the client's version and ABI, then the loaded module's,
 * read from the module itself (/sys/module/vmscope/version and the
 * family's version from the generic netlink controller); they agree, so
 * no warning.
 */
TEST(version_names_client_and_module)
{
	char *modver = read_file("/sys/module/vmscope/version", NULL);
	char want[128];
	struct run r;

	NEED_CLIENT();
	ASSERT_NE(NULL, modver);
	modver[strcspn(modver, "\n")] = '\0';
	EXPECT_EQ(0, run_client(&r, false, "--version", NULL));
	snprintf(want, sizeof(want), "vmscope %s (netlink family %s, ABI version %d)\n",
		 modver, VMSCOPE_GENL_NAME, VMSCOPE_GENL_VERSION);
	EXPECT_EQ(0, strncmp(r.out, want, strlen(want))) TH_LOG("%s", r.out);
	snprintf(want, sizeof(want), "module: vmscope %s (ABI version %d)\n",
		 modver, VMSCOPE_GENL_VERSION);
	EXPECT_NE(NULL, strstr(r.out, want)) TH_LOG("%s", r.out);
	EXPECT_STREQ("", r.err) TH_LOG("a warning with matching versions");
	run_free(&r);
	free(modver);
}

/* "vmscope: pid N: <reason>" on stderr, exit 1, nothing on stdout. */
static void expect_pid_error(struct __test_metadata *_metadata,
			     const struct run *r, pid_t pid)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "vmscope: pid %d: ", pid);
	EXPECT_EQ(1, r->status);
	ASSERT_NE(NULL, r->err);
	EXPECT_EQ(0, strncmp(r->err, prefix, strlen(prefix)))
		TH_LOG("stderr: %s", r->err);
	EXPECT_LT(strlen(prefix) + 1, strlen(r->err)) TH_LOG("no reason given");
	EXPECT_STREQ("", r->out ?: "(none)");
}

TEST(no_such_pid_exits_1_with_the_reason)
{
	pid_t pid = unused_pid();
	char arg[16];
	struct run r;

	NEED_CLIENT();
	snprintf(arg, sizeof(arg), "%d", pid);
	run_client(&r, false, "pages", arg, NULL);
	expect_pid_error(_metadata, &r, pid);
	run_free(&r);
	run_client(&r, false, "maps", arg, "--json", NULL);
	expect_pid_error(_metadata, &r, pid);
	run_free(&r);
	run_client(&r, false, "map", arg, NULL);
	expect_pid_error(_metadata, &r, pid);
	run_free(&r);
}

TEST(nobody_may_not_inspect_init)
{
	struct run r;

	NEED_CLIENT();
	run_client(&r, true, "maps", "1", "--json", NULL);
	expect_pid_error(_metadata, &r, 1);
	run_free(&r);
	run_client(&r, true, "pages", "1", "--runs", NULL);
	expect_pid_error(_metadata, &r, 1);
	run_free(&r);
}

/* A child's pages: written, untouched, and a hole after them. */
static int explain_child(int step, void *arg)
{
	char **where = arg;
	char *p;

	if (step)
		return 0;
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p + 2 * PG, PG))
		return 1;
	p[0] = 1;
	*where = p;
	return 0;
}

static struct jv *explain_json(struct __test_metadata *_metadata, pid_t pid,
			       uint64_t addr)
{
	char p[16], a[32];
	struct jv *doc;
	struct run r;

	snprintf(p, sizeof(p), "%d", pid);
	snprintf(a, sizeof(a), "0x%llx", (unsigned long long)addr);
	run_client(&r, false, "explain", p, a, "--json", NULL);
	if (r.status)
		TH_LOG("exit %d: %s", r.status, r.err);
	doc = r.status ? NULL : parse_out(_metadata, &r);
	run_free(&r);
	return doc;
}

TEST(explain_json_matches_the_pages)
{
	struct oracle_page o;
	char **where;
	struct child c;
	struct jv *doc;
	uint64_t base;
	unsigned long long v;
	const struct jv *vma, *page;

	NEED_CLIENT();
	where = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, where);
	ASSERT_EQ(0, child_start(&c, explain_child, where));
	base = ADDR(*where);

	/* Written: no fault for read or write; the page pagemap sees. */
	doc = explain_json(_metadata, c.pid, base + 42);
	ASSERT_NE(NULL, doc);
	ASSERT_TRUE(json_get_hex(doc, "addr", &v));
	EXPECT_EQ(base, v);
	vma = json_get(doc, "vma");
	ASSERT_NE(NULL, vma);
	ASSERT_TRUE(json_get_hex(vma, "start", &v));
	EXPECT_EQ(base, v);
	ASSERT_TRUE(json_get_hex(vma, "end", &v));
	EXPECT_EQ(base + 2 * PG, v);
	page = json_get(doc, "page");
	ASSERT_NE(NULL, page);
	EXPECT_STREQ("present", json_get_str(page, "state"));
	ASSERT_EQ(0, oracle_pages(c.pid, base, 1, &o));
	if (!access("/proc/kpageflags", R_OK)) {
		ASSERT_TRUE(json_get_u64(page, "pfn", &v));
		EXPECT_EQ(pm_pfn(o.pm), v);
	}
	EXPECT_STREQ("none", json_get_str(doc, "read"));
	EXPECT_STREQ("none", json_get_str(doc, "write"));
	EXPECT_STREQ("sigsegv-accerr", json_get_str(doc, "exec"));
	EXPECT_FALSE(json_is_null(json_get(doc, "entries"), "pte"));
	json_free(doc);

	/* Untouched: the zero page on read, a new page on write. */
	doc = explain_json(_metadata, c.pid, base + PG);
	ASSERT_NE(NULL, doc);
	EXPECT_STREQ("none", json_get_str(json_get(doc, "page"), "state"));
	EXPECT_STREQ("minor-zero-page", json_get_str(doc, "read"));
	EXPECT_STREQ("minor-new-page", json_get_str(doc, "write"));
	json_free(doc);

	/* The hole: no VMA, SIGSEGV. */
	doc = explain_json(_metadata, c.pid, base + 2 * PG);
	ASSERT_NE(NULL, doc);
	EXPECT_TRUE(json_is_null(doc, "vma"));
	EXPECT_TRUE(json_is_null(doc, "page"));
	EXPECT_STREQ("sigsegv-maperr", json_get_str(doc, "read"));
	EXPECT_STREQ("sigsegv-maperr", json_get_str(doc, "write"));
	json_free(doc);
	child_stop(&c);
}

/* ---- layout ---- */

TEST(layout_json_matches_debugfs)
{
	static const char *const addrs[] = {
		"task_size", "mmap_window", "page_offset", "direct_map_end",
		"vmalloc_start", "vmalloc_end", "vmemmap_start",
		"kernel_text_start", "modules_start", "modules_end",
	};
	unsigned long long v;
	uint64_t want;
	unsigned int i;
	struct jv *doc;
	struct run r;
	bool b;

	NEED_CLIENT();
	ASSERT_EQ(0, run_client(&r, false, "layout", "--json", NULL))
		TH_LOG("%s", r.err);
	doc = parse_out(_metadata, &r);
	ASSERT_NE(NULL, doc);
	ASSERT_TRUE(json_get_u64(doc, "paging_levels", &v));
	ASSERT_TRUE(layout_value("paging_levels", &want));
	EXPECT_EQ(want, v);
	ASSERT_TRUE(json_get_u64(doc, "user_va_bits", &v));
	ASSERT_TRUE(layout_value("user_va_bits", &want));
	EXPECT_EQ(want, v);
	ASSERT_TRUE(json_get_u64(doc, "page_size", &v));
	EXPECT_EQ(sysconf(_SC_PAGESIZE), v);
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		if (!layout_value(addrs[i], &want)) {
			EXPECT_TRUE(json_is_null(doc, addrs[i])) TH_LOG("%s", addrs[i]);
			continue;
		}
		ASSERT_TRUE(json_get_hex(doc, addrs[i], &v)) TH_LOG("%s", addrs[i]);
		EXPECT_EQ(want, v) TH_LOG("%s", addrs[i]);
	}
	if (layout_value("kaslr", &want)) {
		ASSERT_TRUE(json_get_bool(doc, "kaslr", &b));
		EXPECT_EQ(want, b);
	} else {
		EXPECT_TRUE(json_is_null(doc, "kaslr"));
	}
	json_free(doc);
	run_free(&r);
}

/*
 * "layout PID --svg -" of a child holding still is the picture that
 * "svg DOC" makes of "layout PID --json": the same bytes; and it shows
 * as text the end of the child's [stack] as /proc/PID/maps has it, with
 * "stack top" beside it, and every edge address of the JSON's regions.
 */
static int still_child(int step, void *arg)
{
	return 0;
}

TEST(layout_svg_is_the_picture_of_the_json)
{
	char pid[16], doc[] = "/tmp/vmscope-svg-XXXXXX", want[64];
	struct run live, json, saved;
	const struct jv *regions;
	unsigned long start, end;
	struct child c;
	struct jv *d;
	char *maps, *line;
	size_t i;
	int fd;

	NEED_CLIENT();
	ASSERT_EQ(0, child_start(&c, still_child, NULL));
	snprintf(pid, sizeof(pid), "%d", c.pid);
	ASSERT_EQ(0, run_client(&live, false, "layout", pid, "--svg", "-",
				NULL)) TH_LOG("%s", live.err);
	ASSERT_EQ(0, run_client(&json, false, "layout", pid, "--json", NULL))
		TH_LOG("%s", json.err);
	fd = mkstemp(doc);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(json.out),
		  write(fd, json.out, strlen(json.out)));
	close(fd);
	EXPECT_EQ(0, run_client(&saved, false, "svg", doc, NULL))
		TH_LOG("%s", saved.err);
	unlink(doc);
	ASSERT_NE(NULL, saved.out);
	EXPECT_STREQ(live.out, saved.out);
	EXPECT_EQ(0, strncmp(live.out, "<?xml", 5));

	/* The oracle: the [stack] line of /proc/PID/maps. */
	snprintf(want, sizeof(want), "/proc/%d/maps", c.pid);
	maps = read_file(want, NULL);
	ASSERT_NE(NULL, maps);
	line = strstr(maps, "[stack]");
	ASSERT_NE(NULL, line);
	while (line > maps && line[-1] != '\n')
		line--;
	ASSERT_EQ(2, sscanf(line, "%lx-%lx", &start, &end));
	snprintf(want, sizeof(want), ">0x%lx</text>", end);
	EXPECT_NE(NULL, strstr(live.out, want)) TH_LOG("no %s", want);
	EXPECT_NE(NULL, strstr(live.out, "stack top</text>"));
	free(maps);

	d = parse_out(_metadata, &json);
	ASSERT_NE(NULL, d);
	regions = json_get(d, "regions");
	ASSERT_NE(NULL, regions);
	for (i = 0; i < regions->len; i++) {
		const char *e = json_get_str(&regions->items[i], "end");

		ASSERT_NE(NULL, e);
		snprintf(want, sizeof(want), ">%s</text>", e);
		EXPECT_NE(NULL, strstr(live.out, want)) TH_LOG("no %s", want);
	}
	json_free(d);
	child_stop(&c);
	run_free(&live);
	run_free(&json);
	run_free(&saved);
}

/* ---- maps ---- */

/*
 * Mappings of several kinds in a child: anonymous (partly written), a
 * file, and memfds whose names need JSON escaping.
 */
static const char *const odd_names[] = {
	"quote\"back\\slash",
	"tab\there",
	"ctl\001\037del\177",
	"latin1\xff\xfe",
	"utf8-\xc3\xa9\xe2\x82\xac",
};

static int maps_child(int step, void *arg)
{
	char *p;
	unsigned int i;
	int fd;

	if (step)
		return 0;
	p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	memset(p, 1, 5 * PG);
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0) ==
	    MAP_FAILED)
		return 1;
	close(fd);
	for (i = 0; i < sizeof(odd_names) / sizeof(odd_names[0]); i++) {
		fd = memfd_create(odd_names[i], MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, PG))
			return 1;
		p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return 1;
		p[0] = 1;
		close(fd);
	}
	return 0;
}

TEST(maps_json_matches_proc_maps_and_pagemap)
{
	const struct jv *vmas;
	struct proc_maps maps;
	struct child c;
	struct jv *doc;
	struct run r;
	char pid[16];
	int i, odd = 0, counted = 0;

	NEED_CLIENT();
	ASSERT_EQ(0, child_start(&c, maps_child, NULL));
	snprintf(pid, sizeof(pid), "%d", c.pid);
	ASSERT_EQ(0, run_client(&r, false, "maps", pid, "--json", NULL))
		TH_LOG("%s", r.err);
	ASSERT_EQ(0, proc_maps_read(c.pid, &maps));
	doc = parse_out(_metadata, &r);
	ASSERT_NE(NULL, doc);
	vmas = json_get(doc, "vmas");
	ASSERT_NE(NULL, vmas);
	ASSERT_EQ(J_ARR, vmas->type);

	/* /proc/PID/maps also lists [vsyscall], above user space. */
	if (maps.n == (int)vmas->len + 1 &&
	    !strcmp(maps.v[maps.n - 1].path, "[vsyscall]"))
		maps.n--;
	ASSERT_EQ(maps.n, (int)vmas->len);
	for (i = 0; i < maps.n; i++) {
		const struct proc_vma *m = &maps.v[i];
		const struct jv *v = &vmas->items[i], *counts;
		struct oracle_counts oc;
		unsigned long long x, present, swap;
		char dev[16];

		snprintf(dev, sizeof(dev), "%02x:%02x", m->major, m->minor);
		ASSERT_TRUE(json_get_hex(v, "start", &x));
		EXPECT_EQ(m->start, x);
		ASSERT_TRUE(json_get_hex(v, "end", &x));
		EXPECT_EQ(m->end, x);
		ASSERT_TRUE(json_get_hex(v, "offset", &x));
		EXPECT_EQ(m->offset, x);
		ASSERT_TRUE(json_get_u64(v, "inode", &x));
		EXPECT_EQ(m->inode, x);
		EXPECT_STREQ(m->perms, json_get_str(v, "perms"));
		EXPECT_STREQ(dev, json_get_str(v, "dev"));
		ASSERT_NE(NULL, json_get_str(v, "path"));
		EXPECT_STREQ(m->path, json_get_str(v, "path"));
		ASSERT_NE(NULL, json_get_str(v, "kind"));
		ASSERT_NE(NULL, json_get(v, "flags"));
		odd += strstr(m->path, "/memfd:") != NULL;

		counts = json_get(v, "counts");
		ASSERT_NE(NULL, counts);
		ASSERT_EQ(J_OBJ, counts->type);
		/* pagemap's view of anonymous and file memory. */
		if (!strcmp(json_get_str(v, "kind"), "pfnmap") ||
		    !strcmp(json_get_str(v, "kind"), "vdso"))
			continue;
		ASSERT_EQ(0, oracle_count(c.pid, m->start, m->end, &oc));
		ASSERT_TRUE(json_get_u64(counts, "present", &present));
		ASSERT_TRUE(json_get_u64(counts, "swap", &swap));
		EXPECT_EQ(oc.present, present) TH_LOG("%s %s", m->head, m->path);
		EXPECT_EQ(oc.swap, swap) TH_LOG("%s %s", m->head, m->path);
		counted++;
	}
	EXPECT_EQ(sizeof(odd_names) / sizeof(odd_names[0]), odd);
	EXPECT_LT(3, counted);
	json_free(doc);
	run_free(&r);

	/* Without counts: the same VMAs, counts null. */
	ASSERT_EQ(0, run_client(&r, false, "maps", pid, "--json",
				"--no-counts", NULL));
	doc = parse_out(_metadata, &r);
	ASSERT_NE(NULL, doc);
	vmas = json_get(doc, "vmas");
	ASSERT_NE(NULL, vmas);
	ASSERT_EQ(maps.n, (int)vmas->len);
	for (i = 0; i < (int)vmas->len; i++)
		EXPECT_TRUE(json_is_null(&vmas->items[i], "counts"));
	json_free(doc);
	run_free(&r);
	proc_maps_free(&maps);
	child_stop(&c);
}

/* Human output to a pipe: plain text, one line per VMA. */
TEST(text_output_is_plain_in_a_pipe)
{
	struct proc_maps maps;
	struct run r;
	char pid[16], *line;
	int lines = 0;

	NEED_CLIENT();
	snprintf(pid, sizeof(pid), "%d", getpid());
	ASSERT_EQ(0, run_client(&r, false, "maps", pid, NULL));
	ASSERT_EQ(NULL, strchr(r.out, '\033'));
	for (line = r.out; (line = strchr(line, '\n')); line++)
		lines++;
	ASSERT_EQ(0, proc_maps_read(getpid(), &maps));
	/* A header, a line per VMA ([vsyscall] is not in user space), totals. */
	EXPECT_LE(maps.n - 1 + 2, lines);
	EXPECT_GE(maps.n + 2, lines);
	proc_maps_free(&maps);
	run_free(&r);

	ASSERT_EQ(0, run_client(&r, false, "map", pid, NULL));
	EXPECT_EQ(NULL, strchr(r.out, '\033'));
	EXPECT_NE(NULL, strstr(r.out, "legend:"));
	EXPECT_NE(NULL, strstr(r.out, "1 cell = "));
	run_free(&r);

	ASSERT_EQ(0, run_client(&r, false, "layout", NULL));
	EXPECT_NE(NULL, strstr(r.out, "task_size"));
	run_free(&r);
}

/* ---- file names (issue #22) ---- */

/*
 * A name as the client shows it: /proc/PID/maps' (a newline is \012
 * there already) with every other control character as \ooo too.
 */
static const char *shown(const char *maps_path, char *buf, size_t len)
{
	size_t n = 0;

	for (; *maps_path && n + 5 < len; maps_path++) {
		unsigned char c = *maps_path;

		if (c < 0x20 || c == 0x7f)
			n += snprintf(buf + n, len - n, "\\%03o", c);
		else
			buf[n++] = c;
	}
	buf[n] = '\0';
	return buf;
}

/* Does line end in " " and then tail? */
static bool ends_with_name(const char *line, size_t len, const char *tail)
{
	size_t t = strlen(tail);

	return len > t && line[len - t - 1] == ' ' &&
	       !strncmp(line + len - t, tail, t);
}

static int hostile_child(int step, void *arg)
{
	return step ? 0 : map_hostile_names();
}

/*
 * Text: one line per VMA, each ending in its name as maps has it, with
 * control characters shown, never sent; explain's "vma" line alike.
 * JSON: the names as they are.
 */
TEST(hostile_names_are_shown_escaped)
{
	char pid[16], addr[32], name[1024], *line, *nl;
	const struct proc_vma *forged = NULL;
	const struct jv *vmas;
	struct proc_maps maps;
	struct child c;
	struct jv *doc;
	struct run r;
	int i, k, raw = 0;

	NEED_CLIENT();
	ASSERT_EQ(0, child_start(&c, hostile_child, NULL));
	snprintf(pid, sizeof(pid), "%d", c.pid);
	/* the client shows the [vsyscall] gate VMA as maps does (XONLY) */
	ASSERT_EQ(0, proc_maps_read(c.pid, &maps));
	ASSERT_EQ(0, run_client(&r, false, "maps", pid, NULL))
		TH_LOG("%s", r.err);
	EXPECT_EQ(NULL, strchr(r.out, '\033'));
	EXPECT_EQ(NULL, strchr(r.out, '\t'));
	/* the header, then the VMAs in order, then the totals */
	line = strchr(r.out, '\n');
	ASSERT_NE(NULL, line);
	for (i = 0, line++; i < maps.n; i++, line = nl + 1) {
		const struct proc_vma *m = &maps.v[i];
		unsigned long long start, end;

		nl = strchr(line, '\n');
		ASSERT_NE(NULL, nl);
		ASSERT_EQ(2, sscanf(line, "%llx-%llx", &start, &end))
			TH_LOG("line %d: '%.*s'", i + 2, (int)(nl - line), line);
		EXPECT_EQ(m->start, start);
		EXPECT_EQ(m->end, end);
		EXPECT_TRUE(!m->path[0] ||
			    ends_with_name(line, nl - line,
					   shown(m->path, name, sizeof(name))))
			TH_LOG("client '%.*s', maps '%s'", (int)(nl - line),
			       line, m->path);
		if (strstr(m->path, "\\0127f0000000000-"))
			forged = m;
	}
	nl = strchr(line, '\n');
	EXPECT_TRUE(strstr(line, " VMAs, ") && nl && !nl[1])
		TH_LOG("not the totals alone: '%s'", line);
	run_free(&r);

	ASSERT_NE(NULL, forged) TH_LOG("oracle: maps does not escape newlines");
	snprintf(addr, sizeof(addr), "0x%llx",
		 (unsigned long long)forged->start);
	ASSERT_EQ(0, run_client(&r, false, "explain", pid, addr, NULL))
		TH_LOG("%s", r.err);
	for (line = r.out, k = 0; (nl = strchr(line, '\n')); line = nl + 1) {
		EXPECT_NE(0, strncmp(line, "7f0000000000-", 13));
		if (strncmp(line, "vma ", 4))
			continue;
		k++;
		EXPECT_TRUE(ends_with_name(line, nl - line,
					   shown(forged->path, name,
						 sizeof(name))))
			TH_LOG("'%.*s'", (int)(nl - line), line);
	}
	EXPECT_EQ(1, k);
	run_free(&r);

	ASSERT_EQ(0, run_client(&r, false, "maps", pid, "--json", NULL));
	doc = parse_out(_metadata, &r);
	ASSERT_NE(NULL, doc);
	vmas = json_get(doc, "vmas");
	ASSERT_NE(NULL, vmas);
	for (i = 0; i < (int)vmas->len; i++) {
		const char *path = json_get_str(&vmas->items[i], "path");

		for (k = 0; path && k < NR_HOSTILE_NAMES; k++) {
			snprintf(name, sizeof(name), "/memfd:%s (deleted)",
				 hostile_names[k]);
			raw += !strcmp(path, name);
		}
	}
	EXPECT_EQ(NR_HOSTILE_NAMES, raw) TH_LOG("%s", r.out);
	json_free(doc);
	run_free(&r);
	proc_maps_free(&maps);
	child_stop(&c);
}

/* ---- pages ---- */

#define NPAGES 32	/* 4 scenarios of 8 pages */

struct scenario {
	char *base;		/* NPAGES pages, mapped before the fork */
	pid_t *grandchild;	/* shared with the test */
};

/*
 * In the child: pages 0-7 untouched, 8-15 written, 16-23 read (the zero
 * page), 24-31 written and then shared copy-on-write with a grandchild
 * (forked before the other pages were touched).
 */
static int pages_child(int step, void *arg)
{
	struct scenario *s = arg;
	volatile char sum = 0;
	pid_t pid;
	int i;

	if (step)
		return 0;
	for (i = 24; i < 32; i++)
		s->base[i * PG] = 2;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	*s->grandchild = pid;
	/* After the fork: these pages are the child's alone. */
	for (i = 8; i < 16; i++)
		s->base[i * PG] = 1;
	for (i = 16; i < 24; i++)
		sum += s->base[i * PG];
	return pid < 0;
}

static bool has_flag(const struct jv *page, const char *name)
{
	const struct jv *flags = json_get(page, "flags");
	size_t i;

	for (i = 0; flags && i < flags->len; i++)
		if (flags->items[i].type == J_STR &&
		    !strcmp(flags->items[i].s, name))
			return true;
	return false;
}

static struct jv *pages_json(struct __test_metadata *_metadata, pid_t pid,
			     uint64_t start, uint64_t end, bool runs)
{
	char p[16], range[64];
	struct jv *doc;
	struct run r;

	snprintf(p, sizeof(p), "%d", pid);
	snprintf(range, sizeof(range), "%llx-%llx", (unsigned long long)start,
		 (unsigned long long)end);
	run_client(&r, false, "pages", p, range, "--json",
		   runs ? "--runs" : NULL, NULL);
	if (r.status)
		TH_LOG("exit %d: %s", r.status, r.err);
	doc = r.status ? NULL : parse_out(_metadata, &r);
	run_free(&r);
	return doc;
}

static void check_page(struct __test_metadata *_metadata, int i,
		       const struct jv *pg, const struct oracle_page *o)
{
	bool present = o->pm & PM_PRESENT, b;
	const char *state = json_get_str(pg, "state");
	unsigned long long v;

	ASSERT_NE(NULL, state);
	EXPECT_STREQ(present ? "present" : "none", state) TH_LOG("page %d", i);
	if (present) {
		ASSERT_TRUE(json_get_u64(pg, "pfn", &v)) TH_LOG("page %d", i);
		EXPECT_EQ(pm_pfn(o->pm), v) TH_LOG("page %d", i);
	} else {
		EXPECT_TRUE(json_is_null(pg, "pfn"));
	}
	EXPECT_TRUE(json_is_null(pg, "swap_type"));
	ASSERT_TRUE(json_get_bool(pg, "soft_dirty", &b));
	EXPECT_EQ(!!(o->pm & PM_SOFT_DIRTY), b) TH_LOG("page %d", i);
	EXPECT_EQ(!!(o->pm & PM_MMAP_EXCL), has_flag(pg, "mmap_excl"))
		TH_LOG("page %d", i);
	ASSERT_TRUE(json_get_bool(pg, "zero", &b));
	EXPECT_EQ(kpf(o, KPF_ZERO_PAGE), b) TH_LOG("page %d", i);
	ASSERT_TRUE(json_get_bool(pg, "anon", &b));
	EXPECT_EQ(kpf(o, KPF_ANON), b) TH_LOG("page %d", i);
	if (o->has_kpage && !kpf(o, KPF_ZERO_PAGE)) {
		ASSERT_TRUE(json_get_u64(pg, "mapcount", &v));
		EXPECT_EQ(o->kcount, v) TH_LOG("page %d", i);
	}
}

TEST(pages_json_matches_pagemap)
{
	struct oracle_page o[NPAGES], og[NPAGES];
	const struct jv *pages, *gpages;
	struct jv *doc, *gdoc, *runs;
	struct scenario s;
	uint64_t start, end, total = 0;
	unsigned long long v;
	struct child c;
	size_t i, k;
	bool b;

	NEED_CLIENT();
	if (access("/proc/kpageflags", R_OK))
		SKIP(return, "needs /proc/kpageflags (root)");
	s.base = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s.grandchild = mmap(NULL, PG, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s.base);
	ASSERT_NE(MAP_FAILED, s.grandchild);
	ASSERT_EQ(0, madvise(s.base, NPAGES * PG, MADV_NOHUGEPAGE));
	ASSERT_EQ(0, child_start(&c, pages_child, &s));
	start = ADDR(s.base);
	end = start + NPAGES * PG;

	doc = pages_json(_metadata, c.pid, start, end, false);
	gdoc = pages_json(_metadata, *s.grandchild, start, end, false);
	ASSERT_EQ(0, oracle_pages(c.pid, start, NPAGES, o));
	ASSERT_EQ(0, oracle_pages(*s.grandchild, start, NPAGES, og));
	ASSERT_NE(NULL, doc);
	ASSERT_NE(NULL, gdoc);
	ASSERT_TRUE(json_get_u64(doc, "pid", &v));
	EXPECT_EQ((uint64_t)c.pid, v);
	pages = json_get(doc, "pages");
	gpages = json_get(gdoc, "pages");
	ASSERT_NE(NULL, pages);
	ASSERT_NE(NULL, gpages);
	ASSERT_EQ(NPAGES, pages->len);
	ASSERT_EQ(NPAGES, gpages->len);

	for (i = 0; i < NPAGES; i++) {
		const struct jv *pg = &pages->items[i];

		ASSERT_TRUE(json_get_hex(pg, "addr", &v));
		ASSERT_EQ(start + i * PG, v);
		check_page(_metadata, i, pg, &o[i]);
		check_page(_metadata, i, &gpages->items[i], &og[i]);
	}
	/* The scenarios, as the kernel's rules say they must be. */
	for (i = 0; i < 8; i++)
		EXPECT_STREQ("none", json_get_str(&pages->items[i], "state"));
	for (i = 8; i < 16; i++) {
		const struct jv *pg = &pages->items[i];

		EXPECT_STREQ("present", json_get_str(pg, "state"));
		EXPECT_TRUE(json_get_bool(pg, "write", &b) && b);
		EXPECT_TRUE(json_get_bool(pg, "dirty", &b) && b);
		EXPECT_TRUE(json_get_bool(pg, "exclusive", &b) && b);
		EXPECT_TRUE(json_get_bool(pg, "cow", &b) && !b);
	}
	for (i = 16; i < 24; i++) {
		const struct jv *pg = &pages->items[i];

		EXPECT_TRUE(json_get_bool(pg, "zero", &b) && b) TH_LOG("%zu", i);
		EXPECT_TRUE(json_get_bool(pg, "write", &b) && !b);
	}
	for (i = 24; i < 32; i++) {
		const struct jv *pg = &pages->items[i];
		const struct jv *gp = &gpages->items[i];
		unsigned long long pfn, gpfn;

		EXPECT_TRUE(json_get_u64(pg, "mapcount", &v) && v == 2);
		EXPECT_TRUE(json_get_bool(pg, "cow", &b) && b) TH_LOG("%zu", i);
		EXPECT_TRUE(json_get_bool(gp, "cow", &b) && b) TH_LOG("%zu", i);
		EXPECT_TRUE(json_get_bool(pg, "exclusive", &b) && !b);
		EXPECT_TRUE(json_get_bool(pg, "write", &b) && !b);
		ASSERT_TRUE(json_get_u64(pg, "pfn", &pfn));
		ASSERT_TRUE(json_get_u64(gp, "pfn", &gpfn));
		EXPECT_EQ(pfn, gpfn);
	}

	/* --runs: runs that expand to the per-page answer. */
	runs = pages_json(_metadata, c.pid, start, end, true);
	ASSERT_NE(NULL, runs);
	ASSERT_NE(NULL, json_get(runs, "runs"));
	for (i = 0, k = 0; i < json_get(runs, "runs")->len; i++) {
		const struct jv *run = &json_get(runs, "runs")->items[i];
		static const char *const same[] = {
			"state", "level",
		};
		static const char *const same_bool[] = {
			"write", "dirty", "young", "soft_dirty", "exclusive",
			"cow", "zero", "thp", "anon", "file", "page_cache",
		};
		unsigned long long count, rs, re, n;
		size_t f;

		ASSERT_TRUE(json_get_u64(run, "count", &count));
		ASSERT_TRUE(json_get_hex(run, "start", &rs));
		ASSERT_TRUE(json_get_hex(run, "end", &re));
		ASSERT_EQ(count * PG, re - rs);
		ASSERT_EQ(start + total * PG, rs);
		for (n = 0; n < count; n++, k++) {
			const struct jv *pg = &pages->items[k];
			bool x, y;

			ASSERT_LT(k, NPAGES);
			for (f = 0; f < sizeof(same) / sizeof(same[0]); f++) {
				const char *a = json_get_str(run, same[f]);
				const char *p = json_get_str(pg, same[f]);

				EXPECT_TRUE((!a && !p) || (a && p && !strcmp(a, p)))
					TH_LOG("page %zu %s", k, same[f]);
			}
			for (f = 0; f < sizeof(same_bool) / sizeof(same_bool[0]); f++) {
				ASSERT_TRUE(json_get_bool(run, same_bool[f], &x));
				ASSERT_TRUE(json_get_bool(pg, same_bool[f], &y));
				EXPECT_EQ(x, y) TH_LOG("page %zu %s", k, same_bool[f]);
			}
		}
		total += count;
	}
	EXPECT_EQ(NPAGES, total);

	json_free(runs);
	json_free(doc);
	json_free(gdoc);
	kill(*s.grandchild, SIGKILL);
	child_stop(&c);
}

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define SWAP_NPAGES 16

/*
 * Swap entries are JSON integers (docs/json.md), the type and offset
 * pagemap shows; pages not swapped have null ones.
 */
TEST(pages_json_swap_entries_are_pagemap_numbers)
{
	uint64_t pm[SWAP_NPAGES], start;
	unsigned long long v;
	const struct jv *pages;
	size_t i, swapped = 0;
	struct jv *doc;
	char *p;
	int try;

	NEED_CLIENT();
	if (geteuid())
		SKIP(return, "swap entries need CAP_SYS_ADMIN (root)");
	p = mmap(NULL, SWAP_NPAGES * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, madvise(p, SWAP_NPAGES * PG, MADV_NOHUGEPAGE));
	for (i = 0; i < SWAP_NPAGES; i++)
		memset(p + i * PG, i + 1, PG);
	start = (uintptr_t)p;
	/* Leave the last page resident: its swap fields must be null. */
	for (try = 0; try < 10 && swapped < SWAP_NPAGES - 1; try++) {
		if (madvise(p, (SWAP_NPAGES - 1) * PG, MADV_PAGEOUT))
			SKIP(return, "MADV_PAGEOUT: %s", strerror(errno));
		ASSERT_EQ(0, pagemap_read(getpid(), start, SWAP_NPAGES, pm));
		for (i = 0, swapped = 0; i < SWAP_NPAGES; i++)
			swapped += !!(pm[i] & PM_SWAP);
	}
	if (!swapped)
		SKIP(return, "nothing was swapped out (no swap space?)");

	doc = pages_json(_metadata, getpid(), start, start + SWAP_NPAGES * PG,
			 false);
	ASSERT_EQ(0, pagemap_read(getpid(), start, SWAP_NPAGES, pm));
	ASSERT_NE(NULL, doc);
	pages = json_get(doc, "pages");
	ASSERT_NE(NULL, pages);
	ASSERT_EQ(SWAP_NPAGES, pages->len);
	for (i = 0; i < SWAP_NPAGES; i++) {
		const struct jv *pg = &pages->items[i];

		if (!(pm[i] & PM_SWAP)) {
			EXPECT_TRUE(json_is_null(pg, "swap_type")) TH_LOG("%zu", i);
			EXPECT_TRUE(json_is_null(pg, "swap_offset")) TH_LOG("%zu", i);
			continue;
		}
		EXPECT_STREQ("swap", json_get_str(pg, "state"));
		ASSERT_TRUE(json_get_u64(pg, "swap_type", &v)) TH_LOG("%zu", i);
		EXPECT_EQ(pm_swap_type(pm[i]), v) TH_LOG("page %zu", i);
		ASSERT_TRUE(json_get_u64(pg, "swap_offset", &v))
			TH_LOG("page %zu: swap_offset is not a JSON integer", i);
		EXPECT_EQ(pm_swap_offset(pm[i]), v) TH_LOG("page %zu", i);
	}
	EXPECT_TRUE(json_is_null(&pages->items[SWAP_NPAGES - 1], "swap_offset"));
	json_free(doc);
	munmap(p, SWAP_NPAGES * PG);
}

TEST_HARNESS_MAIN
