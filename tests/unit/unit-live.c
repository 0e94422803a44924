/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live-block table against a plain reference: a million random inserts
 * and removes over a small address space (so collisions and long probe runs
 * happen), then every address checked both ways.
 */
#include "config.h"
#include "live.h"
#include "unit.h"

#include <stdlib.h>

#define SPACE 50000		/* addresses 16, 32, ... 16 * SPACE */
#define STEPS 1000000

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void count_cb(const struct mt_live_block *blk, void *arg)
{
	(*(size_t *)arg)++;
}

int main(void)
{
	struct mt_live *live = mt_live_new();
	uint64_t *ref = calloc(SPACE + 1, sizeof(*ref));	/* size+1, 0 = not live */
	size_t nref = 0, seen = 0;

	for (int step = 0; step < STEPS; step++) {
		uint64_t slot = next() % SPACE + 1, ptr = slot * 16;
		struct mt_live_block blk = { .ptr = ptr, .size = next() % 1000, .site = (uint32_t)slot };
		struct mt_live_block out, old;

		if (next() % 3) {
			bool ok = mt_live_insert(live, &blk, &old);

			CHECK(ok == (ref[slot] == 0));
			if (!ok)
				CHECK_EQ_U64(old.size + 1, ref[slot]);
			if (ok) {
				ref[slot] = blk.size + 1;
				nref++;
			}
		} else {
			bool ok = mt_live_remove(live, ptr, &out);

			CHECK(ok == (ref[slot] != 0));
			if (ok) {
				CHECK_EQ_U64(out.size + 1, ref[slot]);
				CHECK_EQ_U64(out.ptr, ptr);
				ref[slot] = 0;
				nref--;
			}
		}
		if (unit_failures > 10)
			break;
	}
	CHECK_EQ_U64(mt_live_count(live), nref);
	for (uint64_t slot = 1; slot <= SPACE; slot++) {
		const struct mt_live_block *b = mt_live_lookup(live, slot * 16);

		CHECK((b != NULL) == (ref[slot] != 0));
		if (b)
			CHECK_EQ_U64(b->size + 1, ref[slot]);
		if (unit_failures > 20)
			break;
	}
	mt_live_foreach(live, count_cb, &seen);
	CHECK_EQ_U64(seen, nref);
	CHECK(mt_live_lookup(live, 8) == NULL);
	CHECK(!mt_live_remove(live, 8, NULL));
	CHECK(mt_live_memory(live) >= nref * sizeof(struct mt_live_block));
	mt_live_free(live);
	free(ref);
	return UNIT_DONE();
}
