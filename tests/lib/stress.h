/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMSCOPE_TEST_STRESS_H
#define VMSCOPE_TEST_STRESS_H

/*
 * Shared by the reliability tests (stress, fuzz, huge): seeded random
 * numbers, knobs from the environment, the module's load state, and
 * kernel memory figures from /proc/meminfo and /proc/slabinfo.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- knobs ------------------------------------------------------------ */

/* A number from the environment (decimal or 0x hex), or def. */
long env_long(const char *name, long def);
/* A seed from the environment, else from the time and PID; never 0. */
uint64_t env_seed(const char *name);

/* ---- random numbers (xorshift64*, seeded, reproducible) ---------------- */

struct rng {
	uint64_t s;
};

void rng_init(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n) (n > 0). */
uint64_t rng_below(struct rng *r, uint64_t n);
/* True with probability pct/100. */
bool rng_pct(struct rng *r, unsigned int pct);

/* ---- time ------------------------------------------------------------- */

/* CLOCK_MONOTONIC in seconds / nanoseconds. */
double now_s(void);
uint64_t now_ns(void);
void sleep_s(double s);

/* ---- the module ------------------------------------------------------- */

/*
 * The vmscope.ko the guest loaded: $VMSCOPE_MODULE (scripts/guest-init
 * exports it), else build/$(uname -r)/module/vmscope.ko next to the test
 * program.  NULL if neither exists.
 */
const char *module_path(void);
/* A test module of tests/kmod for the running kernel: true if readable. */
bool test_kmod_path(const char *name, char *path, size_t size);
/* /sys/module/vmscope/refcnt, or -1 if the module is not loaded. */
int module_refcnt(void);
bool module_loaded(void);
/* delete_module("vmscope", O_NONBLOCK): 0 or -errno. */
int module_unload(void);
/* finit_module(path): 0 or -errno. */
int module_load(const char *path);
/* Load the module if it is not loaded: 0 or -errno. */
int module_ensure_loaded(void);
/*
 * Wait up to seconds for the refcount to become want (sockets closed in
 * the middle of a dump release the module from a work item, later).
 */
bool module_wait_refcnt(int want, double seconds);

/* ---- kernel memory ---------------------------------------------------- */

/* Figures from /proc/meminfo, in KiB; -1 if missing. */
struct kmem {
	long slab, sunreclaim, sreclaimable, vmalloc_used, page_tables;
	long kernel_stack, mem_available, mem_total, anon_huge;
};

int kmem_read(struct kmem *k);

/*
 * A thread sampling /proc/meminfo every period_ms, keeping the maximum
 * of each figure since kmem_sampler_start(); kmem_sampler_stop() joins
 * it and returns the maxima (and the number of samples).
 */
struct kmem_sampler;
struct kmem_sampler *kmem_sampler_start(unsigned int period_ms);
int kmem_sampler_stop(struct kmem_sampler *s, struct kmem *max);

/*
 * /proc/slabinfo as bytes per cache (num_slabs * pages_per_slab * page
 * size).  slab_diff() prints (into buf) the caches that grew the most
 * from a to b, largest first, and returns the total growth in bytes.
 */
struct slab_snap {
	int n;
	struct slab_cache {
		char name[48];
		long bytes;
	} *c;
};

int slab_snap_read(struct slab_snap *s);
void slab_snap_free(struct slab_snap *s);
long slab_diff(const struct slab_snap *a, const struct slab_snap *b,
	       int top, char *buf, size_t len);

/* ---- latency figures -------------------------------------------------- */

/* Percentile (0..100) of n samples; sorts v in place. */
uint64_t percentile(uint64_t *v, size_t n, double pct);

#endif /* VMSCOPE_TEST_STRESS_H */
