/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every C allocator, each at its own line (allocs-lines.c), a known number
 * of times with known sizes; every block freed, and free(NULL) called in
 * between, which is no event.  Prints the totals and, for each line, the
 * counters of its site as "expect LINE.FIELD=VALUE".
 *
 * "no-pvalloc" as argument leaves pvalloc out: valgrind aborts the program
 * on pvalloc, and the valgrind cross-check needs a whole run.
 */
#include <stdlib.h>
#include <string.h>

#include "allocs-lines.h"
#include "expect.h"

#define MAX_BLOCKS 512

struct block {
	void *p;
	size_t size;
	struct model *site;
};

static struct block blocks[MAX_BLOCKS];
static size_t nblocks;
static struct model total;

static struct model s_malloc, s_calloc, s_realloc_null, s_reallocarray_null,
	s_posix_memalign, s_aligned_alloc, s_memalign, s_valloc, s_pvalloc;

/* Records a block the allocator returned; a NULL here is a broken run. */
static void got(void *p, size_t size, struct model *site)
{
	if (!p || nblocks == MAX_BLOCKS)
		_exit(98);
	blocks[nblocks++] = (struct block){ .p = p, .size = size, .site = site };
	model_alloc(site, size);
	model_alloc(&total, size);
}

int main(int argc, char **argv)
{
	int npvalloc = argc > 1 && strcmp(argv[1], "no-pvalloc") == 0 ? 0 : 3;
	size_t i;

	for (i = 0; i < 100; i++)
		got(a_malloc(24), 24, &s_malloc);
	for (i = 0; i < 50; i++)
		got(a_calloc(3, 8), 24, &s_calloc);
	for (i = 0; i < 5; i++)
		got(a_realloc_null(40), 40, &s_realloc_null);
	for (i = 0; i < 5; i++)
		got(a_reallocarray_null(4, 25), 100, &s_reallocarray_null);
	for (i = 0; i < 20; i++)
		got(a_posix_memalign(64, 200), 200, &s_posix_memalign);
	for (i = 0; i < 10; i++)
		got(a_aligned_alloc(256, 256), 256, &s_aligned_alloc);
	for (i = 0; i < 10; i++)
		got(a_memalign(128, 300), 300, &s_memalign);
	for (i = 0; i < 5; i++)
		got(a_valloc(100), 100, &s_valloc);
	for (i = 0; i < (size_t)npvalloc; i++)
		got(a_pvalloc(100), 100, &s_pvalloc);

	/* Every block is freed, the newest first; free(NULL) between them
	 * is not counted anywhere. */
	while (nblocks > 0) {
		struct block *b = &blocks[--nblocks];

		a_free(b->p);
		a_free(NULL);
		model_free(b->site, b->size);
		model_free(&total, b->size);
	}

	model_expect(NULL, &total);
	model_expect("malloc", &s_malloc);
	model_expect("calloc", &s_calloc);
	model_expect("realloc_null", &s_realloc_null);
	model_expect("reallocarray_null", &s_reallocarray_null);
	model_expect("posix_memalign", &s_posix_memalign);
	model_expect("aligned_alloc", &s_aligned_alloc);
	model_expect("memalign", &s_memalign);
	model_expect("valloc", &s_valloc);
	model_expect("pvalloc", &s_pvalloc);
	/* The newest block is freed before the next allocation, which never
	 * comes: it is the one temporary of the run. */
	expect("temporary_allocs", 1);
	/* Below 100 bytes: malloc, calloc and realloc(NULL) blocks. */
	expect("below_100", s_malloc.allocs + s_calloc.allocs + s_realloc_null.allocs);
	return 0;
}
