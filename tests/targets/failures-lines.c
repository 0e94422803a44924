/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The lines of the failures target, apart from main so that the compiler
 * sees no constant size (and neither folds nor warns about it). */
#define _GNU_SOURCE
#include <stdlib.h>

#include "failures-lines.h"

#define NOINLINE __attribute__((noinline))

NOINLINE void *f_malloc(size_t n)
{
	return malloc(n); /* L:fail_malloc */
}

NOINLINE void *f_calloc(size_t nmemb, size_t size)
{
	return calloc(nmemb, size); /* L:fail_calloc */
}

NOINLINE void *f_realloc(void *p, size_t n)
{
	return realloc(p, n); /* L:fail_realloc */
}

NOINLINE void *f_reallocarray(void *p, size_t nmemb, size_t size)
{
	return reallocarray(p, nmemb, size); /* L:fail_reallocarray */
}

NOINLINE void *f_posix_memalign(size_t align, size_t n)
{
	void *p = NULL;

	if (posix_memalign(&p, align, n) != 0) /* L:fail_posix_memalign */
		return NULL;
	return p;
}

NOINLINE void *f_aligned_alloc(size_t align, size_t n)
{
	return aligned_alloc(align, n); /* L:fail_aligned_alloc */
}

NOINLINE void *f_valloc(size_t n)
{
	return valloc(n); /* L:fail_valloc */
}

NOINLINE void *f_ok(size_t n)
{
	return malloc(n); /* L:ok */
}

NOINLINE void f_free(void *p)
{
	free(p);
}
