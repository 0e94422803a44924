/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Allocates 100 x K blocks of 200 bytes at one line, K from argv (default
 * 1): a baseline gate must pass at the same K and fail at twice K. */
#include <stdint.h>
#include <stdlib.h>

static void *volatile sink;

__attribute__((noinline)) static void work(int k)
{
	for (int i = 0; i < 100 * k; i++) {
		void *p = malloc(200); /* L:work */
		sink = p;
		free(p);
	}
}

int main(int argc, char **argv)
{
	work(argc > 1 ? atoi(argv[1]) : 1);
	return 0;
}
