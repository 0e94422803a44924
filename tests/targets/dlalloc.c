/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A library that allocates; dlopen'ed by dlmain after the program started. */
#include <stdlib.h>

__attribute__((noinline)) void *lib_alloc(size_t n)
{
	return malloc(n); /* L:lib_alloc */
}
