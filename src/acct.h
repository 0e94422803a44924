/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accounting: turns allocation and free events into site counters, live
 * blocks and run totals.  It knows nothing of ptrace or of how the event was
 * caught, so it is tested from synthetic events (tests/unit/).
 *
 * Semantics are valgrind's (DHAT, memcheck), so totals can be cross-checked:
 * realloc is a free of the old block plus an allocation of the new one;
 * realloc(NULL, n) is one allocation; a failed allocation is counted apart;
 * a free of a pointer never seen allocated is counted apart; free(NULL) is
 * not an event at all (callers do not report it).
 */
#ifndef MT_ACCT_H
#define MT_ACCT_H

#include <stdbool.h>
#include <stdint.h>
#include "aggtab.h"
#include "counters.h"
#include "live.h"

/* Per-thread accounting state, embedded in the engine's thread record. */
struct mt_thread_acct {
	uint32_t tid;
	uint64_t last_alloc_ptr;	/* for temporary-allocation detection */
};

struct mt_acct {
	struct mt_aggtab *sites;
	struct mt_live *live;
	struct mt_totals totals;
	uint64_t min_size;	/* allocations below it get no site (--min-size) */
};

void mt_acct_init(struct mt_acct *acct, uint32_t max_sites, uint64_t min_size);
void mt_acct_destroy(struct mt_acct *acct);

/*
 * A successful allocation of size bytes at ptr, attributed to site (an id
 * from mt_aggtab_intern, or MT_SITE_NONE).  Allocations smaller than
 * min_size are counted in the totals and filtered_allocs only.  If ptr is
 * already live (a free was missed), the old block is retired first as if
 * freed, without counting a free.
 */
void mt_acct_alloc(struct mt_acct *acct, struct mt_thread_acct *thr,
		   uint32_t site, uint64_t ptr, uint64_t size);

/* An allocation that returned NULL (or an error for posix_memalign). */
void mt_acct_failed(struct mt_acct *acct, uint32_t site);

/* A free of ptr (non-NULL).  Returns false when ptr was not live: counted in
 * unknown_frees. */
bool mt_acct_free(struct mt_acct *acct, struct mt_thread_acct *thr, uint64_t ptr);

/*
 * realloc support.  Between realloc's entry and its return another thread may
 * be handed the old address, so the old block leaves the live table at entry
 * (detach: counters unchanged, the bytes still count as live) and is settled
 * at return: freed (realloc succeeded, or realloc(p, 0)) or put back (failed).
 * detach returns false when ptr is not live.
 */
bool mt_acct_detach(struct mt_acct *acct, uint64_t ptr, struct mt_live_block *out);
void mt_acct_free_detached(struct mt_acct *acct, struct mt_thread_acct *thr,
			   const struct mt_live_block *blk);
void mt_acct_reattach(struct mt_acct *acct, const struct mt_live_block *blk);

#endif
