/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * malloc/free-heavy, one thread: ROUNDS rounds over a handful of sites,
 * some behind a wrapper (nested calls), short- and long-lived blocks.
 * Every round: 6 allocations, 6 frees.
 */
#include <stdlib.h>
#include <string.h>

static void *volatile ring[256];

static __attribute__((noinline)) void *xalloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		abort();
	return p;
}

static __attribute__((noinline)) char *copy(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xalloc(n), s, n);
}

static __attribute__((noinline)) void round_of(unsigned r)
{
	void *tmp = malloc(32 + r % 64);
	char *s = copy("a short string");
	void *arr = calloc(8, 16);

	ring[r % 256] ? free(ring[r % 256]) : (void)0;
	ring[r % 256] = xalloc(128);
	arr = realloc(arr, 256);
	free(tmp);
	free(s);
	free(arr);
	free(malloc(24));
}

int main(int argc, char **argv)
{
	unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 100000;

	for (unsigned r = 0; r < rounds; r++)
		round_of(r);
	for (int i = 0; i < 256; i++)
		free(ring[i]);
	return 0;
}
