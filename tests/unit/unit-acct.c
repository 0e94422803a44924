/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accounting from a scripted sequence of events, every counter checked:
 * allocations, frees, realloc (success, failure, size 0), temporaries,
 * unknown frees, --min-size, a missed free, the overflow site.
 */
#include "config.h"
#include "acct.h"
#include "unit.h"

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
	return UNIT_DONE();
}
