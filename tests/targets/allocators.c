/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every C allocator, at known lines, with known counts and sizes.  Prints
 * its expected numbers as "expect KEY=VALUE"; allocates nothing through
 * stdio (output goes through write) so the totals are exactly its own.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static void *keep[4096];
static size_t nkeep;
static volatile uintptr_t sink;

static void say(const char *key, unsigned long long v)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "expect %s=%llu\n", key, v);

	if (write(1, buf, (size_t)n) != n)
		_exit(99);
}

NOINLINE static void *use(void *p)
{
	sink += (uintptr_t)p;
	return p;
}

NOINLINE static void do_malloc(size_t n) { keep[nkeep++] = use(malloc(n)); /* L:malloc */ }
NOINLINE static void do_calloc(size_t n, size_t s) { keep[nkeep++] = use(calloc(n, s)); /* L:calloc */ }
NOINLINE static void do_posix_memalign(size_t a, size_t n)
{
	void *p;

	if (posix_memalign(&p, a, n) == 0) /* L:posix_memalign */
		keep[nkeep++] = use(p);
}
NOINLINE static void do_aligned_alloc(size_t a, size_t n) { keep[nkeep++] = use(aligned_alloc(a, n)); /* L:aligned_alloc */ }
NOINLINE static void do_memalign(size_t a, size_t n) { keep[nkeep++] = use(memalign(a, n)); /* L:memalign */ }
NOINLINE static void do_valloc(size_t n) { keep[nkeep++] = use(valloc(n)); /* L:valloc */ }
#ifdef __GLIBC__
NOINLINE static void do_pvalloc(size_t n) { keep[nkeep++] = use(pvalloc(n)); /* L:pvalloc */ }
#else
static void do_pvalloc(size_t n) { }	/* musl has no pvalloc */
#endif
NOINLINE static void do_reallocarray(size_t n, size_t s) { keep[nkeep++] = use(reallocarray(NULL, n, s)); /* L:reallocarray */ }
NOINLINE static void do_leak(size_t n) { use(malloc(n)); /* L:leak */ }
NOINLINE static void do_temp(size_t n) { free(use(malloc(n))); /* L:temp */ }
NOINLINE static void do_fail(void) { use(malloc(SIZE_MAX / 2)); /* L:fail */ }

int main(int argc, char **argv)
{
	/* valgrind 3.19 aborts on pvalloc: its cross-check runs without. */
	int npvalloc = argc > 1 && strcmp(argv[1], "no-pvalloc") == 0 ? 0 : 3;
#ifndef __GLIBC__
	npvalloc = 0;
#endif

	for (int i = 0; i < 100; i++)
		do_malloc(24);
	for (int i = 0; i < 50; i++)
		do_calloc(3, 8);
	for (int i = 0; i < 20; i++)
		do_posix_memalign(64, 200);
	for (int i = 0; i < 10; i++)
		do_aligned_alloc(256, 256);
	for (int i = 0; i < 10; i++)
		do_memalign(128, 300);
	for (int i = 0; i < 5; i++)
		do_valloc(100);
	for (int i = 0; i < npvalloc; i++)
		do_pvalloc(100);
	for (int i = 0; i < 5; i++)
		do_reallocarray(4, 25);
	for (int i = 0; i < 7; i++)
		do_leak(33);
	for (int i = 0; i < 40; i++)
		do_temp(8);
	do_fail();
	for (size_t i = 0; i < nkeep; i++)
		free(keep[i]);

	say("malloc", 100); say("malloc_bytes", 100 * 24);
	say("calloc", 50); say("calloc_bytes", 50 * 24);
	say("posix_memalign", 20); say("posix_memalign_bytes", 20 * 200);
	say("aligned_alloc", 10); say("aligned_alloc_bytes", 10 * 256);
	say("memalign", 10); say("memalign_bytes", 10 * 300);
	say("valloc", 5); say("valloc_bytes", 5 * 100);
	say("pvalloc", npvalloc); say("pvalloc_bytes", npvalloc * 100);
	say("reallocarray", 5); say("reallocarray_bytes", 5 * 100);
	say("leak", 7); say("leak_bytes", 7 * 33);
	say("temp", 40); say("temp_bytes", 40 * 8);
	say("failed", 1);
	say("allocs", 100 + 50 + 20 + 10 + 10 + 5 + npvalloc + 5 + 7 + 40);
	say("alloc_bytes", 2400 + 1200 + 4000 + 2560 + 3000 + 500 + npvalloc * 100 + 500 + 231 + 320);
	say("frees", 100 + 50 + 20 + 10 + 10 + 5 + npvalloc + 5 + 40);
	say("live_allocs", 7);
	say("live_bytes", 231);
	return 0;
}
