/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LEAKS_LINES_H
#define LEAKS_LINES_H
/* The allocation lines of the leaks target (leaks-lines.c). */
#include <stddef.h>

void *l_small(size_t n);
void *l_big(size_t n);
void *l_partial(size_t n);
void *l_peak(size_t n);
void l_free(void *p);

#endif /* LEAKS_LINES_H */
