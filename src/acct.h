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
	uint32_t phase;			/* innermost phase instance running, 0 none */
	uint64_t last_alloc_ptr;	/* for temporary-allocation detection */
};

/* One point of the live-bytes timeline. */
struct mt_timeline_point {
	uint64_t ns;		/* mt_now_ns() */
	uint64_t events;	/* allocations and frees so far */
	uint64_t live_bytes;	/* then */
	uint64_t max_live_bytes;	/* the most since the previous point */
};

#define MT_TIMELINE_MAX 512	/* halved to 256 when full: 256 to 512 points */

struct mt_acct {
	struct mt_aggtab *sites;
	struct mt_live *live;
	struct mt_totals totals;
	uint64_t min_size;	/* allocations below it get no site (--min-size) */

	/* The peak: each site's live bytes at the moment the total was
	 * highest, kept lazily (one copy per site touched after a peak). */
	uint64_t peak_epoch;	/* peaks recorded so far */
	bool peak_pending;	/* the total is at a new high not yet recorded */
	uint64_t peak_ns;	/* when the recorded peak was reached */
	uint64_t peak_events;	/* allocations and frees up to it */

	/* Live bytes over the run: a point every `every` events. */
	struct mt_timeline_point timeline[MT_TIMELINE_MAX];
	size_t ntimeline;
	uint64_t every, events, max_since;
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
/* The same, the block freed copied to *out when it was live. */
bool mt_acct_free_block(struct mt_acct *acct, struct mt_thread_acct *thr, uint64_t ptr,
			struct mt_live_block *out);

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

/* A site's live bytes at the process's peak of live bytes. */
uint64_t mt_acct_site_at_peak(const struct mt_acct *acct, const struct mt_site *site);
/* When the peak was reached (mt_now_ns) and after how many events. */
void mt_acct_peak_moment(const struct mt_acct *acct, uint64_t *ns, uint64_t *events);

#endif
