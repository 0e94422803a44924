/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef REALLOC_LINES_H
#define REALLOC_LINES_H
/*
 * realloc and reallocarray, each use at its own marked line in
 * realloc-lines.c; each function returns what the allocator returned.
 */
#include <stddef.h>

void *r_malloc(size_t n);
void *r_null(size_t n);			/* realloc(NULL, n) */
void *r_grow(void *p, size_t n);
void *r_shrink(void *p, size_t n);
void *r_zero(void *p);			/* realloc(p, 0) */
void *r_fail(void *p, size_t n);
void *ra_grow(void *p, size_t nmemb, size_t size);
void *ra_fail(void *p, size_t nmemb, size_t size);
void r_free(void *p);

#endif /* REALLOC_LINES_H */
