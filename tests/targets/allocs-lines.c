/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The allocation lines of the allocs target.  Kept apart from main so that
 * no call is inlined, cloned or moved: the tests find each line by its
 * marker and expect the site's frames[0] to be exactly there.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdlib.h>

#include "allocs-lines.h"

#define NOINLINE __attribute__((noinline))

NOINLINE void *a_malloc(size_t n)
{
	return malloc(n); /* L:malloc */
}

NOINLINE void *a_calloc(size_t nmemb, size_t size)
{
	return calloc(nmemb, size); /* L:calloc */
}

NOINLINE void *a_realloc_null(size_t n)
{
	return realloc(NULL, n); /* L:realloc_null */
}

NOINLINE void *a_reallocarray_null(size_t nmemb, size_t size)
{
	return reallocarray(NULL, nmemb, size); /* L:reallocarray_null */
}

NOINLINE void *a_posix_memalign(size_t align, size_t n)
{
	void *p;

	if (posix_memalign(&p, align, n) != 0) /* L:posix_memalign */
		return NULL;
	return p;
}

NOINLINE void *a_aligned_alloc(size_t align, size_t n)
{
	return aligned_alloc(align, n); /* L:aligned_alloc */
}

NOINLINE void *a_memalign(size_t align, size_t n)
{
	return memalign(align, n); /* L:memalign */
}

NOINLINE void *a_valloc(size_t n)
{
	return valloc(n); /* L:valloc */
}

NOINLINE void *a_pvalloc(size_t n)
{
	return pvalloc(n); /* L:pvalloc */
}

NOINLINE void a_free(void *p)
{
	free(p); /* L:free */
}
