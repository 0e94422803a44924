/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bounded call-site table.
 *
 * A site is an (allocator kind, call stack) pair; the stack is an array of
 * program counters, innermost first (pcs[0] is the allocator's return
 * address).  Stacks are interned: the same kind and PC array always yields
 * the same site id.  The table holds at most max_sites sites; once full, new
 * stacks are counted in the overflow site (id MT_SITE_OVERFLOW), which the
 * report shows and whose events the totals count in overflow_events.
 *
 * Nothing here allocates per lookup of an existing stack: interning an
 * already known stack is one hash computation and a probe.
 */
#ifndef MT_AGGTAB_H
#define MT_AGGTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "counters.h"

#define MT_SITE_NONE UINT32_MAX	/* a block not attributed to any site */
#define MT_SITE_OVERFLOW 0u	/* the merged site for stacks that did not fit */

enum {
	MT_SITE_F_TRUNCATED = 1,	/* stack was cut at --depth */
	MT_SITE_F_OVERFLOW = 2,		/* the overflow site itself */
};

struct mt_site {
	uint64_t hash;
	uint64_t pc_off;	/* first PC in the table's PC arena */
	uint32_t depth;		/* number of PCs */
	uint16_t kind;		/* enum mt_kind */
	uint16_t flags;		/* MT_SITE_F_* */
	struct mt_counters c;
	/* Live bytes when the process's live total peaked (see acct.c),
	 * valid when peak_epoch is the accounting's current one. */
	uint64_t live_at_peak;
	uint64_t peak_epoch;
};

struct mt_aggtab;

/* max_sites counts the overflow site too; it must be >= 2. */
struct mt_aggtab *mt_aggtab_new(uint32_t max_sites);
void mt_aggtab_free(struct mt_aggtab *tab);

/*
 * Returns the id of the site for (kind, pcs[0..depth-1]), creating it when
 * new; MT_SITE_OVERFLOW when the table is full.  flags (MT_SITE_F_TRUNCATED)
 * are stored on creation and are part of the key.
 */
uint32_t mt_aggtab_intern(struct mt_aggtab *tab, unsigned kind,
			  const uint64_t *pcs, uint32_t depth, unsigned flags);

/* Site by id (0 <= id < mt_aggtab_count()); pointers stay valid until the
 * next intern. */
struct mt_site *mt_aggtab_site(struct mt_aggtab *tab, uint32_t id);
const uint64_t *mt_aggtab_pcs(const struct mt_aggtab *tab, const struct mt_site *site);
uint32_t mt_aggtab_count(const struct mt_aggtab *tab);	/* includes the overflow site */
uint32_t mt_aggtab_max(const struct mt_aggtab *tab);
/* Bytes of memory the table holds (for the bench's tracer-memory figures). */
size_t mt_aggtab_memory(const struct mt_aggtab *tab);

#endif
