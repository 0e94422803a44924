/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bounded site table: interning, keys, the bound and the overflow site. */
#include "config.h"
#include "aggtab.h"
#include "unit.h"

int main(void)
{
	struct mt_aggtab *tab = mt_aggtab_new(4);
	uint64_t a[] = { 0x1000, 0x2000, 0x3000 }, b[] = { 0x1000, 0x2000, 0x3001 };
	uint32_t ia, ib, ia_kind, ia_flags, over;

	/* Site 0 is the overflow site, present from the start. */
	CHECK_EQ_U64(mt_aggtab_count(tab), 1);
	CHECK(mt_aggtab_site(tab, MT_SITE_OVERFLOW)->flags & MT_SITE_F_OVERFLOW);
	ia = mt_aggtab_intern(tab, 0, a, 3, 0);
	CHECK(ia != MT_SITE_OVERFLOW);
	CHECK_EQ_U64(mt_aggtab_intern(tab, 0, a, 3, 0), ia);
	ib = mt_aggtab_intern(tab, 0, b, 3, 0);
	CHECK(ib != ia && ib != MT_SITE_OVERFLOW);
	CHECK_EQ_U64(mt_aggtab_count(tab), 3);
	/* The kind and the truncation flag are part of the key. */
	ia_kind = mt_aggtab_intern(tab, 1, a, 3, 0);
	CHECK(ia_kind != ia && ia_kind != MT_SITE_OVERFLOW);
	CHECK_EQ_U64(mt_aggtab_count(tab), 4);
	/* Full (4 sites with the overflow one): new keys overflow, old ones resolve. */
	ia_flags = mt_aggtab_intern(tab, 0, a, 3, MT_SITE_F_TRUNCATED);
	CHECK_EQ_U64(ia_flags, MT_SITE_OVERFLOW);
	over = mt_aggtab_intern(tab, 0, a, 2, 0);
	CHECK_EQ_U64(over, MT_SITE_OVERFLOW);
	CHECK_EQ_U64(mt_aggtab_intern(tab, 0, b, 3, 0), ib);
	CHECK_EQ_U64(mt_aggtab_intern(tab, 1, a, 3, 0), ia_kind);
	CHECK_EQ_U64(mt_aggtab_count(tab), 4);
	CHECK_EQ_U64(mt_aggtab_max(tab), 4);
	/* The PCs come back as given. */
	const struct mt_site *s = mt_aggtab_site(tab, ib);
	CHECK_EQ_U64(s->depth, 3);
	CHECK_EQ_U64(mt_aggtab_pcs(tab, s)[2], 0x3001);
	CHECK_EQ_U64(mt_aggtab_site(tab, ia_kind)->kind, 1);
	mt_aggtab_free(tab);

	/* Many stacks: growth keeps every id, depth-0 stacks are fine. */
	tab = mt_aggtab_new(100001);
	for (uint64_t i = 0; i < 100000; i++) {
		uint64_t pcs[2] = { i, i * 7 };

		if (mt_aggtab_intern(tab, 0, pcs, (uint32_t)(i % 3), 0) == MT_SITE_OVERFLOW &&
		    i % 3) {
			CHECK(!"unexpected overflow");
			break;
		}
	}
	for (uint64_t i = 0; i < 100000; i += 997) {
		uint64_t pcs[2] = { i, i * 7 };
		uint32_t id = mt_aggtab_intern(tab, 0, pcs, (uint32_t)(i % 3), 0);
		const struct mt_site *si = mt_aggtab_site(tab, id);

		CHECK_EQ_U64(si->depth, i % 3);
		if (si->depth)
			CHECK_EQ_U64(mt_aggtab_pcs(tab, si)[0], i);
	}
	CHECK(mt_aggtab_memory(tab) > 0);
	mt_aggtab_free(tab);
	return UNIT_DONE();
}
