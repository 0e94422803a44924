/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accounting from a scripted sequence of events, every counter checked:
 * allocations, frees, realloc (success, failure, size 0), temporaries,
 * unknown frees, --min-size, a missed free, the overflow site; and each
 * site's share of the peak, against a brute-force replay, and the timeline.
 */
#include "config.h"
#include "acct.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static void check_counters(const struct mt_counters *c, uint64_t allocs, uint64_t bytes,
			   uint64_t frees, uint64_t freed, uint64_t live_allocs,
			   uint64_t live, uint64_t peak, uint64_t temp, uint64_t failed)
{
	CHECK_EQ_U64(c->allocs, allocs);
	CHECK_EQ_U64(c->alloc_bytes, bytes);
	CHECK_EQ_U64(c->frees, frees);
	CHECK_EQ_U64(c->freed_bytes, freed);
	CHECK_EQ_U64(c->live_allocs, live_allocs);
	CHECK_EQ_U64(c->live_bytes, live);
	CHECK_EQ_U64(c->peak_live_bytes, peak);
	CHECK_EQ_U64(c->temporary_allocs, temp);
	CHECK_EQ_U64(c->failed_allocs, failed);
}

static uint64_t site_at_peak(const struct mt_acct *a, uint32_t site)
{
	return mt_acct_site_at_peak(a, mt_aggtab_site(a->sites, site));
}

/* A known story: the peak is neither the first high nor the end. */
static void test_peak_story(void)
{
	struct mt_acct a;
	struct mt_thread_acct t = { .tid = 1 };
	uint64_t pcs[3] = { 0x1000, 0x2000, 0x3000 };
	uint32_t s[3];

	mt_acct_init(&a, 16, 0);
	for (int i = 0; i < 3; i++)
		s[i] = mt_aggtab_intern(a.sites, 0, &pcs[i], 1, 0);
	for (uint64_t i = 0; i < 10; i++)
		mt_acct_alloc(&a, &t, s[0], 0x10000 + i * 16, 100);	/* A: 1000 */
	for (uint64_t i = 2; i < 10; i++)
		mt_acct_free(&a, &t, 0x10000 + i * 16);			/* A: 200 */
	for (uint64_t i = 0; i < 4; i++)
		mt_acct_alloc(&a, &t, s[1], 0x20000 + i * 16, 200);	/* B: 800, total 1000 */
	CHECK_EQ_U64(site_at_peak(&a, s[0]), 1000);	/* the first high still holds */
	mt_acct_alloc(&a, &t, s[2], 0x30000, 50);	/* C: total 1050, the peak */
	CHECK_EQ_U64(site_at_peak(&a, s[1]), 800);	/* pending: as they are now */
	mt_acct_free(&a, &t, 0x20000);			/* down: the peak is recorded */
	mt_acct_free(&a, &t, 0x10000);
	mt_acct_alloc(&a, &t, s[0], 0x40000, 10);	/* a lower high */
	mt_acct_free(&a, &t, 0x40000);
	CHECK_EQ_U64(a.totals.c.peak_live_bytes, 1050);
	CHECK_EQ_U64(site_at_peak(&a, s[0]), 200);
	CHECK_EQ_U64(site_at_peak(&a, s[1]), 800);
	CHECK_EQ_U64(site_at_peak(&a, s[2]), 50);
	CHECK_EQ_U64(a.peak_events, 10 + 8 + 4 + 1);
	mt_acct_destroy(&a);
}

/*
 * Random alloc/free over 8 sites, 20000 events: each site's share of the
 * peak, kept lazily, equals a replay that copies every site at each new
 * high; the shares add up to the peak.
 */
static void test_peak_random(void)
{
	enum { NSITES = 8, NBLOCKS = 64, EVENTS = 20000 };
	struct mt_acct a;
	struct mt_thread_acct t = { .tid = 1 };
	uint64_t live[NSITES] = { 0 }, at_peak[NSITES] = { 0 }, total = 0, peak = 0, sum = 0;
	uint64_t sizes[NBLOCKS] = { 0 }, pcs[NSITES];
	uint32_t sites[NSITES], owner[NBLOCKS];
	unsigned seed = 12345;

	mt_acct_init(&a, 64, 0);
	for (int i = 0; i < NSITES; i++) {
		pcs[i] = 0x1000 + (uint64_t)i;
		sites[i] = mt_aggtab_intern(a.sites, 0, &pcs[i], 1, 0);
	}
	for (int e = 0; e < EVENTS; e++) {
		int b = rand_r(&seed) % NBLOCKS;

		if (sizes[b]) {
			CHECK(mt_acct_free(&a, &t, 0x100000 + (uint64_t)b * 4096));
			live[owner[b]] -= sizes[b];
			total -= sizes[b];
			sizes[b] = 0;
			continue;
		}
		owner[b] = (uint32_t)(rand_r(&seed) % NSITES);
		sizes[b] = 1 + (uint64_t)(rand_r(&seed) % 1000);
		mt_acct_alloc(&a, &t, sites[owner[b]], 0x100000 + (uint64_t)b * 4096, sizes[b]);
		live[owner[b]] += sizes[b];
		total += sizes[b];
		if (total > peak) {
			peak = total;
			memcpy(at_peak, live, sizeof(live));
		}
	}
	CHECK_EQ_U64(a.totals.c.peak_live_bytes, peak);
	for (int i = 0; i < NSITES; i++) {
		CHECK_EQ_U64(site_at_peak(&a, sites[i]), at_peak[i]);
		sum += site_at_peak(&a, sites[i]);
	}
	CHECK_EQ_U64(sum, peak);
	/* The timeline: 256 to 512 points, in order, the last at the end. */
	CHECK(a.ntimeline >= MT_TIMELINE_MAX / 2 && a.ntimeline <= MT_TIMELINE_MAX);
	for (size_t i = 1; i < a.ntimeline; i++) {
		CHECK(a.timeline[i].events > a.timeline[i - 1].events);
		CHECK(a.timeline[i].max_live_bytes >= a.timeline[i].live_bytes);
		CHECK(a.timeline[i].max_live_bytes <= peak);
	}
	mt_acct_destroy(&a);
}

int main(void)
{
	struct mt_acct acct;
	struct mt_thread_acct t1 = { .tid = 1 }, t2 = { .tid = 2 };
	struct mt_live_block blk;
	uint64_t pc1 = 0x401000, pc2 = 0x402000;
	uint32_t s1, s2;

	mt_acct_init(&acct, 16, 8);
	s1 = mt_aggtab_intern(acct.sites, 0, &pc1, 1, 0);
	s2 = mt_aggtab_intern(acct.sites, 0, &pc2, 1, 0);

	mt_acct_alloc(&acct, &t1, s1, 0x1000, 100);	/* live 100 */
	mt_acct_alloc(&acct, &t1, s1, 0x2000, 50);	/* live 150 */
	mt_acct_alloc(&acct, &t2, s2, 0x3000, 10);	/* live 160: peak */
	CHECK(mt_acct_free(&acct, &t2, 0x3000));	/* t2's last: temporary */
	CHECK(mt_acct_free(&acct, &t1, 0x1000));	/* t1's last was 0x2000 */
	CHECK(!mt_acct_free(&acct, &t1, 0x9999));	/* never allocated */
	mt_acct_failed(&acct, s2);
	/* realloc 0x2000 (50) -> 0x4000 (70): detach at entry, settle at return. */
	CHECK(mt_acct_detach(&acct, 0x2000, &blk));
	CHECK(mt_live_lookup(acct.live, 0x2000) == NULL);
	mt_acct_free_detached(&acct, &t1, &blk);
	mt_acct_alloc(&acct, &t1, s1, 0x4000, 70);	/* live 70 */
	/* A failed realloc keeps the block. */
	CHECK(mt_acct_detach(&acct, 0x4000, &blk));
	mt_acct_reattach(&acct, &blk);
	mt_acct_failed(&acct, s1);
	CHECK(mt_live_lookup(acct.live, 0x4000) != NULL);
	/* Below --min-size (8): totals only. */
	mt_acct_alloc(&acct, &t1, s1, 0x5000, 4);	/* live 74 */
	/* A missed free: 0x5000 handed out again, the old block retired. */
	mt_acct_alloc(&acct, &t2, s2, 0x5000, 30);	/* live 70 + 30 = 100 */

	/* Temporaries: 0x3000 (t2), and 0x2000, t1's latest when realloc freed it. */
	check_counters(&acct.totals.c, 6, 100 + 50 + 10 + 70 + 4 + 30, 3, 10 + 100 + 50,
		       2, 100, 160, 2, 2);
	CHECK_EQ_U64(acct.totals.unknown_frees, 1);
	CHECK_EQ_U64(acct.totals.filtered_allocs, 1);
	check_counters(&mt_aggtab_site(acct.sites, s1)->c, 3, 220, 2, 150, 1, 70, 150, 1, 1);
	check_counters(&mt_aggtab_site(acct.sites, s2)->c, 2, 40, 1, 10, 1, 30, 30, 1, 1);
	CHECK_EQ_U64(mt_live_count(acct.live), 2);

	/* Events on the overflow site are counted as such. */
	mt_acct_alloc(&acct, &t1, MT_SITE_OVERFLOW, 0x6000, 64);
	CHECK(mt_acct_free(&acct, &t1, 0x6000));
	CHECK_EQ_U64(acct.totals.overflow_events, 2);
	check_counters(&mt_aggtab_site(acct.sites, MT_SITE_OVERFLOW)->c, 1, 64, 1, 64, 0, 0, 64, 1, 0);
	mt_acct_destroy(&acct);
	test_peak_story();
	test_peak_random();
	return UNIT_DONE();
}
