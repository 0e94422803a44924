/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef STACKS_H
#define STACKS_H
#include <stddef.h>
void *level1(size_t n);
void *level2(size_t n);
void *level3(size_t n);
void *recurse(int depth);
int compare_alloc(const void *a, const void *b);
void on_signal(int sig);
void *through_inline(size_t n);
extern void *volatile stacks_sink;
#endif
