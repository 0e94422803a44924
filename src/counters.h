/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The counters kept per call site and for the whole run. */
#ifndef MT_COUNTERS_H
#define MT_COUNTERS_H

#include <stdint.h>

struct mt_counters {
	uint64_t allocs;		/* successful allocations */
	uint64_t alloc_bytes;		/* bytes requested by them */
	uint64_t frees;			/* frees of blocks seen allocated */
	uint64_t freed_bytes;
	uint64_t live_allocs;		/* blocks allocated and not yet freed */
	uint64_t live_bytes;
	uint64_t peak_live_bytes;	/* highest live_bytes reached */
	uint64_t temporary_allocs;	/* freed before the thread's next allocation */
	uint64_t failed_allocs;		/* allocator returned NULL / error */
};

/* Adds c into sum, peak included (the sum of peaks bounds the peak of a sum). */
static inline void mt_counters_add(struct mt_counters *sum, const struct mt_counters *c)
{
	sum->allocs += c->allocs;
	sum->alloc_bytes += c->alloc_bytes;
	sum->frees += c->frees;
	sum->freed_bytes += c->freed_bytes;
	sum->live_allocs += c->live_allocs;
	sum->live_bytes += c->live_bytes;
	sum->peak_live_bytes += c->peak_live_bytes;
	sum->temporary_allocs += c->temporary_allocs;
	sum->failed_allocs += c->failed_allocs;
}

struct mt_totals {
	struct mt_counters c;
	uint64_t unknown_frees;		/* frees of pointers never seen allocated */
	uint64_t overflow_events;	/* events merged into the overflow site */
	uint64_t filtered_allocs;	/* below --min-size: in totals, not in sites */
	uint64_t events;		/* allocator calls counted (outermost only) */
	uint64_t nested_calls;		/* inner allocator calls not counted */
};

#endif
