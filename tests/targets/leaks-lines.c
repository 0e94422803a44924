/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The allocation lines of the leaks target, apart from main so that none
 * is inlined or cloned; found by their markers. */
#include <stdlib.h>

#include "leaks-lines.h"

#define NOINLINE __attribute__((noinline))

NOINLINE void *l_small(size_t n)
{
	return malloc(n); /* L:small */
}

NOINLINE void *l_big(size_t n)
{
	return calloc(1, n); /* L:big */
}

NOINLINE void *l_partial(size_t n)
{
	return malloc(n); /* L:partial */
}

NOINLINE void *l_peak(size_t n)
{
	return malloc(n); /* L:peak */
}

NOINLINE void l_free(void *p)
{
	free(p);
}
