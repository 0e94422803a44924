/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocations that fail: too large for the address space, or a size
 * computation that overflows (calloc, reallocarray).  Each returns NULL
 * (posix_memalign an error), is counted in failed_allocs at its line and
 * nowhere else: no block, no bytes.  A failed realloc leaves the old block
 * live, and that block is freed afterwards as usual.
 */
#include <stdint.h>
#include <stdlib.h>

#include "expect.h"
#include "failures-lines.h"

static struct model total, s_ok;

static void must_fail(void *p, const char *key)
{
	char name[64];

	if (p)
		_exit(98);
	snprintf(name, sizeof(name), "%s.failed_allocs", key);
	expect(name, 1);
	model_fail(&total);
}

int main(void)
{
	void *p = f_ok(64);

	if (!p)
		return 97;
	model_alloc(&s_ok, 64);
	model_alloc(&total, 64);

	must_fail(f_malloc(SIZE_MAX / 2), "fail_malloc");
	must_fail(f_calloc(SIZE_MAX / 8, 16), "fail_calloc");
	must_fail(f_realloc(p, SIZE_MAX / 4), "fail_realloc");
	must_fail(f_reallocarray(p, SIZE_MAX / 8, 16), "fail_reallocarray");
	must_fail(f_posix_memalign(64, SIZE_MAX / 2), "fail_posix_memalign");
	must_fail(f_aligned_alloc(64, SIZE_MAX / 2), "fail_aligned_alloc");
	must_fail(f_valloc(SIZE_MAX / 2), "fail_valloc");

	f_free(p);	/* still the block of 64 bytes from f_ok */
	model_free(&s_ok, 64);
	model_free(&total, 64);
	model_expect(NULL, &total);
	model_expect("ok", &s_ok);
	return 0;
}
