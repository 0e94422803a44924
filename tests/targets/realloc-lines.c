/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The allocation lines of the realloc target, apart from main so that none
 * is inlined or cloned; the tests find them by their markers. */
#define _GNU_SOURCE
#include <stdlib.h>

#include "realloc-lines.h"

#define NOINLINE __attribute__((noinline))

NOINLINE void *r_malloc(size_t n)
{
	return malloc(n); /* L:r_malloc */
}

NOINLINE void *r_null(size_t n)
{
	return realloc(NULL, n); /* L:r_null */
}

NOINLINE void *r_grow(void *p, size_t n)
{
	return realloc(p, n); /* L:r_grow */
}

NOINLINE void *r_shrink(void *p, size_t n)
{
	return realloc(p, n); /* L:r_shrink */
}

NOINLINE void *r_zero(void *p)
{
	return realloc(p, 0); /* L:r_zero */
}

NOINLINE void *r_fail(void *p, size_t n)
{
	return realloc(p, n); /* L:r_fail */
}

NOINLINE void *ra_grow(void *p, size_t nmemb, size_t size)
{
	return reallocarray(p, nmemb, size); /* L:ra_grow */
}

NOINLINE void *ra_fail(void *p, size_t nmemb, size_t size)
{
	return reallocarray(p, nmemb, size); /* L:ra_fail */
}

NOINLINE void r_free(void *p)
{
	free(p); /* L:r_free */
}
