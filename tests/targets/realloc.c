/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * realloc's corner cases, counted as valgrind counts them: realloc(NULL, n)
 * is one allocation; growing or shrinking is a free plus an allocation;
 * realloc(p, 0) frees p; a failed realloc leaves p live and counts apart.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static volatile uintptr_t sink;

NOINLINE static void *r(void *p, size_t n) { void *q = realloc(p, n); /* L:realloc */ sink += (uintptr_t)q; return q; }

static void say(const char *key, unsigned long long v)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "expect %s=%llu\n", key, v);

	if (write(1, buf, (size_t)n) != n)
		_exit(99);
}

int main(int argc, char **argv)
{
	/* memcheck counts a failed realloc as an allocation and a free: its
	 * cross-check runs without the failing call. */
	int with_failure = !(argc > 1 && strcmp(argv[1], "no-fail") == 0);
	char *p = r(NULL, 10);		/* alloc 10 */
	char *q;

	p = r(p, 100);			/* free 10, alloc 100 */
	p = r(p, 5000);			/* free 100, alloc 5000 */
	p = r(p, 50);			/* free 5000, alloc 50 */
	if (with_failure) {
		q = r(p, SIZE_MAX / 4);	/* fails: p stays live */
		if (q)
			return 98;
	}
	p = r(p, 60);			/* free 50, alloc 60 */
	q = r(p, 0);			/* frees p, returns NULL */
	if (q)
		return 97;
	p = r(NULL, 30);		/* alloc 30, left live */
	say("allocs", 6);
	say("alloc_bytes", 10 + 100 + 5000 + 50 + 60 + 30);
	say("frees", 5);
	say("freed_bytes", 10 + 100 + 5000 + 50 + 60);
	say("failed", with_failure);
	say("live_allocs", 1);
	say("live_bytes", 30);
	say("peak_live_bytes", 5000);
	return 0;
}
