// SPDX-License-Identifier: GPL-2.0
/* Helpers for the reliability tests (see stress.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"
#include "util.h"

long env_long(const char *name, long def)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtol(s, &end, 0);
	return errno || *end ? def : v;
}

uint64_t env_seed(const char *name)
{
	const char *s = getenv(name);
	uint64_t seed;

	if (s && *s)
		seed = strtoull(s, NULL, 0);
	else
		seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32 ^
		       now_ns();
	return seed ? seed : 1;
}

void rng_init(struct rng *r, uint64_t seed)
{
	r->s = seed ? seed : 1;
}

uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

bool rng_pct(struct rng *r, unsigned int pct)
{
	return rng_below(r, 100) < pct;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

double now_s(void)
{
	return now_ns() / 1e9;
}

void sleep_s(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s,
			       .tv_nsec = (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- the module --------------------------------------------------------- */

const char *module_path(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("VMSCOPE_MODULE");

	if (env && *env && !access(env, R_OK))
		return env;
	return build_path("module/vmscope.ko", path, sizeof(path)) ?
	       path : NULL;
}

/* build/RELEASE/kmod/NAME.ko, the tests' own modules, if readable */
bool test_kmod_path(const char *name, char *path, size_t size)
{
	char rel[PATH_MAX];

	if (snprintf(rel, sizeof(rel), "kmod/%s.ko", name) >= (int)sizeof(rel))
		return false;
	return build_path(rel, path, size);
}

int module_refcnt(void)
{
	char *s = read_file("/sys/module/vmscope/refcnt", NULL);
	int v;

	if (!s)
		return -1;
	v = atoi(s);
	free(s);
	return v;
}

bool module_loaded(void)
{
	return !access("/sys/module/vmscope", F_OK);
}

int module_unload(void)
{
	return syscall(SYS_delete_module, "vmscope", O_NONBLOCK) ? -errno : 0;
}

int module_load(const char *path)
{
	int fd, ret;

	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

int module_ensure_loaded(void)
{
	int ret;

	if (module_loaded())
		return 0;
	ret = module_load(module_path());
	return ret == -EEXIST ? 0 : ret;
}

bool module_wait_refcnt(int want, double seconds)
{
	double until = now_s() + seconds;

	while (module_refcnt() != want && now_s() < until)
		usleep(10000);
	return module_refcnt() == want;
}

/* ---- kernel memory ------------------------------------------------------ */

int kmem_read(struct kmem *k)
{
	static const struct {
		const char *name;
		size_t off;
	} keys[] = {
		{ "Slab:", offsetof(struct kmem, slab) },
		{ "SUnreclaim:", offsetof(struct kmem, sunreclaim) },
		{ "SReclaimable:", offsetof(struct kmem, sreclaimable) },
		{ "VmallocUsed:", offsetof(struct kmem, vmalloc_used) },
		{ "PageTables:", offsetof(struct kmem, page_tables) },
		{ "KernelStack:", offsetof(struct kmem, kernel_stack) },
		{ "MemAvailable:", offsetof(struct kmem, mem_available) },
		{ "MemTotal:", offsetof(struct kmem, mem_total) },
		{ "AnonHugePages:", offsetof(struct kmem, anon_huge) },
	};
	char *text = read_file("/proc/meminfo", NULL);
	char *line, *save = NULL;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		*(long *)((char *)k + keys[i].off) = -1;
	if (!text)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strncmp(line, keys[i].name, strlen(keys[i].name)))
				*(long *)((char *)k + keys[i].off) =
					atol(line + strlen(keys[i].name));
	free(text);
	return 0;
}

struct kmem_sampler {
	pthread_t thread;
	unsigned int period_ms;
	volatile int stop;
	int samples;
	struct kmem max;
};

static void kmem_max(struct kmem *max, const struct kmem *k)
{
	long *m = (long *)max;
	const long *v = (const long *)k;
	size_t i;

	for (i = 0; i < sizeof(*k) / sizeof(long); i++)
		if (v[i] > m[i])
			m[i] = v[i];
}

static void *sampler_main(void *arg)
{
	struct kmem_sampler *s = arg;
	struct kmem k;

	while (!s->stop) {
		if (!kmem_read(&k)) {
			kmem_max(&s->max, &k);
			s->samples++;
		}
		usleep(s->period_ms * 1000);
	}
	return NULL;
}

struct kmem_sampler *kmem_sampler_start(unsigned int period_ms)
{
	struct kmem_sampler *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->period_ms = period_ms;
	kmem_read(&s->max);
	s->samples = 1;
	if (pthread_create(&s->thread, NULL, sampler_main, s)) {
		free(s);
		return NULL;
	}
	return s;
}

int kmem_sampler_stop(struct kmem_sampler *s, struct kmem *max)
{
	struct kmem k;
	int n;

	s->stop = 1;
	pthread_join(s->thread, NULL);
	if (!kmem_read(&k))
		kmem_max(&s->max, &k);
	*max = s->max;
	n = s->samples + 1;
	free(s);
	return n;
}

int slab_snap_read(struct slab_snap *s)
{
	char *text = read_file("/proc/slabinfo", NULL);
	char *line, *save = NULL;
	long psz = sysconf(_SC_PAGESIZE);
	int cap = 0;

	memset(s, 0, sizeof(*s));
	if (!text)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[48];
		long active, num, objsize, perslab, pages, aslabs, nslabs;
		const char *sd = strstr(line, "slabdata");

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8) || !sd)
			continue;
		if (sscanf(line, "%47s %ld %ld %ld %ld %ld", name, &active,
			   &num, &objsize, &perslab, &pages) != 6 ||
		    sscanf(sd, "slabdata %ld %ld", &aslabs, &nslabs) != 2)
			continue;
		if (s->n == cap) {
			struct slab_cache *c;

			cap = cap ? cap * 2 : 256;
			c = realloc(s->c, cap * sizeof(*c));
			if (!c)
				break;
			s->c = c;
		}
		snprintf(s->c[s->n].name, sizeof(s->c[s->n].name), "%s", name);
		s->c[s->n].bytes = nslabs * pages * psz;
		s->n++;
	}
	free(text);
	return 0;
}

void slab_snap_free(struct slab_snap *s)
{
	free(s->c);
	memset(s, 0, sizeof(*s));
}

static long snap_bytes(const struct slab_snap *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name))
			return s->c[i].bytes;
	return 0;
}

long slab_diff(const struct slab_snap *a, const struct slab_snap *b,
	       int top, char *buf, size_t len)
{
	long total = 0, *grow = calloc(b->n ? b->n : 1, sizeof(long));
	size_t used = 0;
	int i, k;

	if (len)
		buf[0] = '\0';
	if (!grow)
		return 0;
	for (i = 0; i < b->n; i++) {
		grow[i] = b->c[i].bytes - snap_bytes(a, b->c[i].name);
		total += grow[i];
	}
	for (k = 0; k < top; k++) {
		int best = -1;

		for (i = 0; i < b->n; i++)
			if (grow[i] > 0 && (best < 0 || grow[i] > grow[best]))
				best = i;
		if (best < 0)
			break;
		if (used < len)
			used += snprintf(buf + used, len - used, "%s%s +%ldK",
					 used ? ", " : "", b->c[best].name,
					 grow[best] >> 10);
		grow[best] = 0;
	}
	if (len && !buf[0])
		snprintf(buf, len, "no cache grew");
	free(grow);
	return total;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t percentile(uint64_t *v, size_t n, double pct)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	i = (size_t)(pct / 100.0 * (n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}
