// SPDX-License-Identifier: GPL-2.0
/*
 * vmscope-lab: vmscope's view of this very process.
 *
 * The module lets a caller without CAP_SYS_PTRACE inspect only its own
 * thread group, so a vmscope client started as a child could not look
 * at the lab unless run as root.  The lab therefore runs the client's
 * own subcommands (client/cmd_*.c, linked in) on its own pid.  It does
 * so from an observer thread started before any step: that thread's malloc()
 * uses an arena of its own and its stack is its own mapping, so looking
 * neither grows the main heap (the malloc and brk steps watch it) nor
 * touches the main stack (the stack step watches that).  For the same
 * reason everything that allocates (parsing vmscope's JSON included)
 * runs there: the main thread of a step never calls malloc().
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../client/commands.h"
#include "lab.h"
#include "slurp.h"

#define OBSERVER_STACK (512UL << 10)

typedef int (*cmd_fn)(struct vs_nl *nl, const struct vs_args *a);

static const struct {
	const char *name;
	cmd_fn fn;
} cmds[] = {
	{ "layout", cmd_layout },
	{ "maps", cmd_maps },
	{ "pages", cmd_pages },
	{ "map", cmd_map },
	{ "explain", cmd_explain },
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	void (*job)(void *arg);
	void *arg;
	int rc;
	bool busy, opened;
	struct vs_nl nl;
	struct vs_error err;
} ob = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

static void *observer(void *unused)
{
	/* map's output goes through a memory file: keep a terminal's colour. */
	if (isatty(STDOUT_FILENO))
		setenv("VMSCOPE_COLOR", "always", 0);
	pthread_mutex_lock(&ob.lock);
	ob.rc = vs_nl_open(&ob.nl, &ob.err);
	ob.opened = !ob.rc;
	ob.busy = false;
	pthread_cond_broadcast(&ob.cond);
	for (;;) {
		while (!ob.busy)
			pthread_cond_wait(&ob.cond, &ob.lock);
		ob.job(ob.arg);
		fflush(stdout);
		fflush(stderr);
		ob.busy = false;
		pthread_cond_broadcast(&ob.cond);
	}
	return NULL;
}

int lab_observe_start(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int ret;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, OBSERVER_STACK);
	ob.busy = true;
	ret = pthread_create(&t, &attr, observer, NULL);
	pthread_attr_destroy(&attr);
	if (ret) {
		errno = ret;
		return lab_error("starting the observer thread");
	}
	pthread_mutex_lock(&ob.lock);
	while (ob.busy)
		pthread_cond_wait(&ob.cond, &ob.lock);
	pthread_mutex_unlock(&ob.lock);
	if (ob.rc == -ENOENT) {
		printf("error: the vmscope module is not loaded (sudo insmod module/vmscope.ko)\n"
		       );
		return LAB_ERROR;
	}
	if (ob.rc) {
		printf("error: vmscope: %s\n",
		       ob.err.msg[0] ? ob.err.msg : strerror(-ob.rc));
		return LAB_ERROR;
	}
	if (ob.nl.version != VMSCOPE_GENL_VERSION)
		printf("warning: the loaded vmscope module speaks netlink ABI version %u,\n"
		       "the lab version %d: its answers may be misread\n",
		       ob.nl.version, VMSCOPE_GENL_VERSION);
	return LAB_OK;
}

void lab_observe(void (*job)(void *), void *arg)
{
	fflush(stdout);
	pthread_mutex_lock(&ob.lock);
	ob.job = job;
	ob.arg = arg;
	ob.busy = true;
	pthread_cond_broadcast(&ob.cond);
	while (ob.busy)
		pthread_cond_wait(&ob.cond, &ob.lock);
	pthread_mutex_unlock(&ob.lock);
}

static cmd_fn lookup(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return cmds[i].fn;
	abort();
}

/* The arguments of "vmscope CMD PID [START-END|ADDR]", and its text. */
static void args_for(const char *cmd, u64 start, u64 end,
		     struct vs_args *a, char *line, size_t len)
{
	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->width = 64;
	if (!strcmp(cmd, "layout")) {
		snprintf(line, len, "vmscope layout");
		return;
	}
	a->pid = getpid();
	if (!strcmp(cmd, "explain")) {
		a->addr = start;
		snprintf(line, len, "vmscope explain %u %llx", a->pid,
			 (unsigned long long)start);
	} else if (end) {
		a->has_range = true;
		a->start = start;
		a->end = end;
		snprintf(line, len, "vmscope %s %u %llx-%llx", cmd, a->pid,
			 (unsigned long long)start, (unsigned long long)end);
	} else {
		snprintf(line, len, "vmscope %s %u", cmd, a->pid);
	}
}

/*
 * Run cmd with its stdout in a memory file: what it printed (NULL if
 * that failed), its exit status in *rc.
 */
static char *capture(cmd_fn fn, const struct vs_args *a, int *rc)
{
	int fd = memfd_create("vmscope-lab", MFD_CLOEXEC);
	int saved;
	char *text;

	*rc = VS_EXIT_ERROR;
	if (fd < 0)
		return NULL;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (saved < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		close(fd);
		return NULL;
	}
	*rc = fn(&ob.nl, a);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	text = slurp_fd(fd);
	close(fd);
	return text;
}

struct show {
	const char *cmd;
	u64 start, end;
	bool runs;
};

/*
 * The output of map without its legend after the first time: the legend
 * is the same every time and would drown the pictures.  Its lines are
 * "legend:" and continuation lines indented by eight spaces.
 */
static void print_map(const char *text)
{
	static bool legend_shown;
	const char *p = text;
	bool legend = false;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (!strncmp(p, "legend:", 7))
			legend = true;
		else if (strncmp(p, "        ", 8))
			legend = false;
		if (!legend || !legend_shown)
			fwrite(p, 1, len, stdout);
		p += len;
	}
	legend_shown = legend_shown || strstr(text, "legend:");
}

static void show_job(void *arg)
{
	const struct show *sh = arg;
	cmd_fn fn = lookup(sh->cmd);
	char line[128], *text;
	struct vs_args a;
	int rc;

	args_for(sh->cmd, sh->start, sh->end, &a, line, sizeof(line));
	a.runs = sh->runs;
	printf("\n$ %s%s\n", line, a.runs ? " --runs" : "");
	if (strcmp(sh->cmd, "map")) {
		fflush(stdout);
		rc = fn(&ob.nl, &a);
	} else {
		text = capture(fn, &a, &rc);
		if (text)
			print_map(text);
		free(text);
	}
	if (rc)
		lab_check(false, "%s answered", line);
}

void lab_show(const char *cmd, u64 start, u64 end)
{
	struct show sh = { cmd, start, end, false };

	lab_observe(show_job, &sh);
}

void lab_show_runs(u64 start, u64 end)
{
	struct show sh = { "pages", start, end, true };

	lab_observe(show_job, &sh);
}

void lab_show_explain(u64 addr)
{
	lab_show("explain", addr, 0);
}

void lab_show_layout(void)
{
	lab_show("layout", 0, 0);
}

void lab_show_maps(void)
{
	lab_show("maps", 0, 0);
}

struct svg_job {
	const char *path;
	int rc;
};

static void svg_job(void *arg)
{
	struct svg_job *j = arg;
	struct vs_args a;

	memset(&a, 0, sizeof(a));
	a.cmd = "layout";
	a.pid = getpid();
	a.svg = j->path;
	j->rc = cmd_layout(&ob.nl, &a);
}

void lab_svg_layout(const char *dir, const char *step, const char *when)
{
	char path[4096];
	struct svg_job j = { path, 0 };

	snprintf(path, sizeof(path), "%s/%s-%s.svg", dir, step, when);
	lab_observe(svg_job, &j);
	if (j.rc)
		lab_check(false, "vmscope layout %d --svg %s answered",
			  (int)getpid(), path);
	else
		printf("picture of the layout %s the step: %s\n", when, path);
}

struct jv *lab_json(const char *cmd, u64 start, u64 end)
{
	char line[128], err[128] = "";
	struct vs_args a;
	struct jv *v = NULL;
	char *text;
	int rc;

	args_for(cmd, start, end, &a, line, sizeof(line));
	a.json = true;
	text = capture(lookup(cmd), &a, &rc);
	if (text && !rc)
		v = json_parse(text, err, sizeof(err));
	free(text);
	if (!v)
		lab_check(false, "%s --json gave a document%s%s", line,
			  err[0] ? ": " : "", err);
	return v;
}
