/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Comparing two profiles.  Sites are matched by their symbolized stack
 * (allocator kind, then function, file and line of every frame), never by
 * address, so ASLR and rebuilds do not break the matching.  Sites that
 * symbolize alike within one profile (a loop the compiler unrolled has
 * several call instructions on one line) are summed first; their peak is
 * then the sum of their peaks, an upper bound.
 */
#ifndef MT_DIFF_H
#define MT_DIFF_H

#include <stdio.h>
#include "profile.h"

struct mt_diff_site {
	const struct mt_profile_site *shown;	/* frames to show: new's, else base's */
	struct mt_counters base, now;
	bool in_base, in_new;
};

struct mt_diff {
	const struct mt_profile *base, *now;
	struct mt_diff_site *v;		/* sorted by absolute change in bytes */
	size_t n;
};

struct mt_diff *mt_diff_build(const struct mt_profile *base, const struct mt_profile *now);
void mt_diff_free(struct mt_diff *d);
/* Both return 0 or -errno; top 0 shows all changed sites. */
int mt_diff_text(FILE *out, const struct mt_diff *d, unsigned top);
int mt_diff_json(FILE *out, const struct mt_diff *d);

#endif
