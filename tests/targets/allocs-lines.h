/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ALLOCS_LINES_H
#define ALLOCS_LINES_H
/*
 * One C allocator per function, each call at its own marked line in
 * allocs-lines.c.  Each returns the block, or NULL when the allocator
 * failed; nothing else in these functions allocates.
 */
#include <stddef.h>

void *a_malloc(size_t n);
void *a_calloc(size_t nmemb, size_t size);
void *a_realloc_null(size_t n);
void *a_reallocarray_null(size_t nmemb, size_t size);
void *a_posix_memalign(size_t align, size_t n);
void *a_aligned_alloc(size_t align, size_t n);
void *a_memalign(size_t align, size_t n);
void *a_valloc(size_t n);
void *a_pvalloc(size_t n);
/* free(p); free(NULL) is no event at all. */
void a_free(void *p);

#endif /* ALLOCS_LINES_H */
