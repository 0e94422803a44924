/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * realloc's corner cases, counted as valgrind counts them:
 *   realloc(NULL, n)    one allocation (of kind realloc), nothing freed;
 *   grow, shrink        a free of the old block and an allocation of the
 *                       new one, whether glibc moved it or not;
 *   realloc(p, 0)       frees p and returns NULL (glibc): no allocation;
 *   a failed realloc    returns NULL, p stays live, counted in failed only.
 * The same for reallocarray, whose overflow is a failure.  Large blocks
 * take glibc's mmap and mremap paths.  Every block belongs to the line that
 * allocated it: its free is counted there, wherever it happens.
 *
 * Prints the totals and each line's counters, plus "inplace" lines that
 * say what glibc did (for the reader: the counts do not depend on them).
 */
#include <stdint.h>
#include <stdlib.h>

#include "expect.h"
#include "realloc-lines.h"

static struct model total, s_malloc, s_null, s_grow, s_shrink, s_zero,
	s_fail, s_ra_grow, s_ra_fail;

/* The line that allocated each live block, and its size. */
struct owner {
	struct model *site;
	size_t size;
};

static void on_alloc(struct owner *o, struct model *site, size_t n)
{
	model_alloc(site, n);
	model_alloc(&total, n);
	*o = (struct owner){ .site = site, .size = n };
}

static void on_free(struct owner *o)
{
	model_free(o->site, o->size);
	model_free(&total, o->size);
	o->site = NULL;
}

/* A realloc that must succeed: the old block freed, the new one counted
 * at SITE. */
static void *moved(void *p, void *q, struct owner *o, struct model *site, size_t n)
{
	if (!q)
		_exit(98);
	if (p)
		on_free(o);
	on_alloc(o, site, n);
	return q;
}

static void failed(void *q, struct model *site)
{
	if (q)
		_exit(97);
	model_fail(site);
	model_fail(&total);
}

int main(void)
{
	struct owner a, b, c, d, z;
	char *p, *q;

	p = moved(NULL, r_null(10), &a, &s_null, 10);
	p = moved(p, r_grow(p, 100), &a, &s_grow, 100);
	p = moved(p, r_grow(p, 5000), &a, &s_grow, 5000);
	q = r_shrink(p, 50);
	expect("inplace.shrink", q == p);
	p = moved(p, q, &a, &s_shrink, 50);
	failed(r_fail(p, SIZE_MAX / 4), &s_fail);	/* p stays live */
	p = moved(p, ra_grow(p, 20, 3), &a, &s_ra_grow, 60);
	failed(ra_fail(p, SIZE_MAX / 8, 16), &s_ra_fail);	/* overflow */
	if (r_zero(p) != NULL)				/* frees p */
		_exit(96);
	on_free(&a);

	/* The same size again is still a free and an allocation. */
	p = moved(NULL, r_malloc(200), &b, &s_malloc, 200);
	p = moved(p, r_grow(p, 200), &b, &s_grow, 200);

	/* realloc(NULL, 0) is malloc(0): one block of 0 bytes. */
	q = moved(NULL, r_null(0), &z, &s_null, 0);
	r_free(q);
	on_free(&z);

	/* Left live at exit. */
	q = moved(NULL, r_null(30), &c, &s_null, 30);

	/* Beyond the mmap threshold: glibc mremaps, then copies back into
	 * the heap; counted the same. */
	q = moved(NULL, r_malloc(300000), &d, &s_malloc, 300000);
	q = moved(q, r_grow(q, 600000), &d, &s_grow, 600000);
	q = moved(q, r_shrink(q, 1000), &d, &s_shrink, 1000);
	r_free(q);
	on_free(&d);

	r_free(p);
	on_free(&b);

	model_expect(NULL, &total);
	model_expect("r_malloc", &s_malloc);
	model_expect("r_null", &s_null);
	model_expect("r_grow", &s_grow);
	model_expect("r_shrink", &s_shrink);
	model_expect("r_zero", &s_zero);
	model_expect("r_fail", &s_fail);
	model_expect("ra_grow", &s_ra_grow);
	model_expect("ra_fail", &s_ra_fail);
	/* Zero-byte requests, which valgrind's DHAT counts as 1 byte. */
	expect("zero_size_allocs", 1);
	return 0;
}
