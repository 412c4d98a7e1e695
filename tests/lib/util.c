// SPDX-License-Identifier: GPL-2.0
/* Small helpers shared by the vmscope tests. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

char *read_file(const char *path, size_t *len)
{
	size_t size = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		if (cap - size < 2) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				goto fail;
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + size, cap - size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		size += n;
	}
	close(fd);
	buf[size] = '\0';
	if (len)
		*len = size;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

bool thp_enabled(void)
{
	char *s = read_file("/sys/kernel/mm/transparent_hugepage/enabled",
			    NULL);
	bool on = s && !strstr(s, "[never]");

	free(s);
	return on;
}

bool cmdline_has(const char *word)
{
	char *line = read_file("/proc/cmdline", NULL);
	char *tok, *save = NULL;
	bool found = false;

	if (!line)
		return false;
	for (tok = strtok_r(line, " \n", &save); tok && !found;
	     tok = strtok_r(NULL, " \n", &save))
		found = !strcmp(tok, word);
	free(line);
	return found;
}

bool find_userspace_program(const char *name, const char *env, char *path)
{
	const char *set = getenv(env);
	char exe[PATH_MAX - 64], *slash;
	ssize_t n;

	if (set && *set) {
		snprintf(path, PATH_MAX, "%s", set);
		return !access(path, X_OK);
	}
	snprintf(path, PATH_MAX, "userspace/%s", name);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	snprintf(path, PATH_MAX, "%s/../../userspace/%s", exe, name);
	return !access(path, X_OK);
}

bool build_path(const char *rel, char *path, size_t size)
{
	char exe[PATH_MAX], *slash;
	struct utsname u;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0 || uname(&u))
		return false;
	exe[n] = '\0';
	/* build/tests/X_test -> build/RELEASE/REL */
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	if (snprintf(path, size, "%s/../%s/%s", exe, u.release, rel) >=
	    (int)size)
		return false;
	return !access(path, R_OK);
}

int run_as_nobody(int (*fn)(void *arg), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(NOBODY_GID) ||
		    setuid(NOBODY_UID))
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int sysctl_set(struct saved_sysctl *save, const char *path, const char *val)
{
	char *old = read_file(path, NULL);

	if (!old)
		return -errno;
	snprintf(save->path, sizeof(save->path), "%s", path);
	snprintf(save->value, sizeof(save->value), "%s", old);
	free(old);
	return write_file(path, val);
}

void sysctl_restore(struct saved_sysctl *save)
{
	if (save->path[0])
		write_file(save->path, save->value);
}

int child_start(struct child *c, int (*fn)(int step, void *arg), void *arg)
{
	int cmd[2], ack[2];
	char r;

	c->pid = -1;
	c->cmd = c->ack = -1;
	if (pipe2(cmd, O_CLOEXEC))
		return -1;
	if (pipe2(ack, O_CLOEXEC)) {
		close(cmd[0]);
		close(cmd[1]);
		return -1;
	}
	c->pid = fork();
	if (c->pid == 0) {
		int step = 0;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(cmd[1]);
		close(ack[0]);
		for (;;) {
			r = fn(step++, arg) ? 1 : 0;
			if (write(ack[1], &r, 1) != 1 || r)
				_exit(1);
			if (read(cmd[0], &r, 1) != 1)
				_exit(0);
		}
	}
	close(cmd[0]);
	close(ack[1]);
	c->cmd = cmd[1];
	c->ack = ack[0];
	if (c->pid < 0) {
		child_stop(c);
		return -1;
	}
	return read(c->ack, &r, 1) == 1 && !r ? 0 : -1;
}

int child_step(struct child *c)
{
	char r = 0;

	if (write(c->cmd, &r, 1) != 1)
		return -1;
	return read(c->ack, &r, 1) == 1 && !r ? 0 : -1;
}

void child_stop(struct child *c)
{
	if (c->cmd >= 0)
		close(c->cmd);
	if (c->ack >= 0)
		close(c->ack);
	c->cmd = c->ack = -1;
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
	c->pid = -1;
}

int make_file(const char *dir, size_t size, char *path)
{
	int fd;

	snprintf(path, PATH_MAX, "%s/vmscope-test-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, size)) {
		int err = -errno;

		close(fd);
		unlink(path);
		return err;
	}
	return fd;
}

static void __attribute__((noinline)) touch_stack(size_t bytes)
{
	volatile char *p = alloca(bytes);
	size_t i;

	for (i = bytes; i >= PG; i -= PG)
		p[i - 1] = 0;
	p[0] = 0;
}

void quiesce_self(size_t stack_kb)
{
	mallopt(M_MMAP_MAX, 0);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	free(malloc(64 << 20));
	touch_stack(stack_kb << 10);
}

/*
 * One page of a host file that nobody has cached (dropped from the page
 * cache, and mincore() agrees), mapped read-only at @at (MAP_FIXED) or
 * anywhere if @at is NULL: a fault on it has to read the file.  NULL if
 * no candidate file could be dropped.
 */
char *map_uncached_file(void *at)
{
	static const char * const candidates[] = {
		"/usr/share/common-licenses/GPL-3", "/etc/services",
		"/usr/share/common-licenses/GPL-2",
	};
	long page = PG;
	unsigned char vec;
	size_t i;

	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		int fd = open(candidates[i], O_RDONLY);
		char *p;

		if (fd < 0)
			continue;
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		p = mmap(at, page, PROT_READ,
			 MAP_PRIVATE | (at ? MAP_FIXED : 0), fd, 0);
		close(fd);
		if (p == MAP_FAILED)
			continue;
		if (!mincore(p, page, &vec) && !(vec & 1))
			return p;
		if (!at)
			munmap(p, page);
	}
	return NULL;
}

/* Fields of /proc/PID/stat (see util.h). */
bool proc_stat_fields(pid_t pid, uint64_t *f, int max)
{
	char path[64], *text, *p, *save = NULL;
	int n = 3;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	text = read_file(path, NULL);
	if (!text)
		return false;
	p = strrchr(text, ')');
	if (!p) {
		free(text);
		return false;
	}
	memset(f, 0, max * sizeof(*f));
	for (p = strtok_r(p + 2, " \n", &save); p && n < max;
	     p = strtok_r(NULL, " \n", &save), n++)
		f[n] = strtoull(p, NULL, 10);
	free(text);
	return n > 51;
}

const char *const hostile_names[NR_HOSTILE_NAMES] = {
	"new\nline",
	"tab\there",
	"esc\033[31mred\033[0m",
	"x\n7f0000000000-7f0000001000 rw-p 00000000 00:00 0 [stack]",
};

int map_hostile_names(void)
{
	char *p;
	int i, fd;

	for (i = 0; i < NR_HOSTILE_NAMES; i++) {
		fd = memfd_create(hostile_names[i], MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, 4096))
			return -1;
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (p == MAP_FAILED)
			return -1;
		p[0] = 1;
	}
	return 0;
}
