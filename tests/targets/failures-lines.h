/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FAILURES_LINES_H
#define FAILURES_LINES_H
/* Allocator calls that fail, each at its own marked line in
 * failures-lines.c; each returns what the allocator returned (NULL). */
#include <stddef.h>

void *f_malloc(size_t n);
void *f_calloc(size_t nmemb, size_t size);
void *f_realloc(void *p, size_t n);
void *f_reallocarray(void *p, size_t nmemb, size_t size);
void *f_posix_memalign(size_t align, size_t n);
void *f_aligned_alloc(size_t align, size_t n);
void *f_valloc(size_t n);
void *f_ok(size_t n);
void f_free(void *p);

#endif /* FAILURES_LINES_H */
