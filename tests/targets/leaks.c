/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Blocks left live at exit, at four lines with different shapes so that
 * every sort order puts a different line first:
 *   small    7 x 33 B, all leaked           (fewest bytes)
 *   big      2 x 100,000 B, all leaked      (most live bytes)
 *   partial  10 x 512 B, 4 of them leaked   (most blocks)
 *   peak     3 x 1 MiB at once, all freed   (most bytes, highest peak)
 * Prints the totals, each line's counters (peak_live_bytes included) and
 * which line each --sort order must put first.
 */
#include <stdlib.h>

#include "expect.h"
#include "leaks-lines.h"

static struct model total, s_small, s_big, s_partial, s_peak;

static void *got(void *p, struct model *site, size_t n)
{
	if (!p)
		_exit(98);
	model_alloc(site, n);
	model_alloc(&total, n);
	return p;
}

static void drop(void *p, struct model *site, size_t n)
{
	l_free(p);
	model_free(site, n);
	model_free(&total, n);
}

int main(void)
{
	void *partial[10], *peak[3];
	int i;

	for (i = 0; i < 7; i++)
		got(l_small(33), &s_small, 33);
	for (i = 0; i < 10; i++)
		partial[i] = got(l_partial(512), &s_partial, 512);
	for (i = 0; i < 3; i++)
		peak[i] = got(l_peak(1 << 20), &s_peak, 1 << 20);
	for (i = 0; i < 3; i++)
		drop(peak[i], &s_peak, 1 << 20);
	for (i = 0; i < 2; i++)
		got(l_big(100000), &s_big, 100000);
	for (i = 0; i < 6; i++)
		drop(partial[i], &s_partial, 512);

	model_expect(NULL, &total);
	model_expect("small", &s_small);
	model_expect("big", &s_big);
	model_expect("partial", &s_partial);
	model_expect("peak", &s_peak);
	say("first bytes peak\nfirst count partial\nfirst live big\nfirst peak peak\n");
	return 0;
}
