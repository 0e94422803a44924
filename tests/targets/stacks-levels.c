/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Frames in their own file, noinline, built without frame pointers. */
#include <stdlib.h>
#include "stacks.h"

#define NOINLINE __attribute__((noinline))

void *volatile stacks_sink;

NOINLINE void *level3(size_t n)
{
	void *p = malloc(n); /* L:level3 */
	stacks_sink = p;
	return p;
}

NOINLINE void *level2(size_t n)
{
	void *p = level3(n + 1); /* L:level2 */
	stacks_sink = p;
	return p;
}

NOINLINE void *level1(size_t n)
{
	void *p = level2(n + 1); /* L:level1 */
	stacks_sink = p;
	return p;
}

NOINLINE void *recurse(int depth)
{
	void *p = depth ? recurse(depth - 1) /* L:recurse */ : malloc(64); /* L:recurse_bottom */
	stacks_sink = p;
	return p;
}

/* A comparator that allocates: the stack runs through libc's qsort. */
NOINLINE int compare_alloc(const void *a, const void *b)
{
	void *p = malloc(8); /* L:compare */

	stacks_sink = p;
	free(p);
	return *(const int *)a - *(const int *)b;
}

/* An allocating signal handler: the stack runs through the signal frame. */
NOINLINE void on_signal(int sig)
{
	stacks_sink = malloc(48); /* L:handler */
}

static inline __attribute__((always_inline)) void *inlined_alloc(size_t n)
{
	return malloc(n); /* L:inlined */
}

NOINLINE void *through_inline(size_t n)
{
	void *p = inlined_alloc(n + 5); /* L:through_inline */
	stacks_sink = p;
	return p;
}
