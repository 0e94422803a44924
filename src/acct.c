/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "acct.h"
#include "util.h"

#include <string.h>

void mt_acct_init(struct mt_acct *acct, uint32_t max_sites, uint64_t min_size)
{
	memset(acct, 0, sizeof(*acct));
	acct->sites = mt_aggtab_new(max_sites);
	acct->live = mt_live_new();
	acct->min_size = min_size;
	acct->every = 1;
}

void mt_acct_destroy(struct mt_acct *acct)
{
	mt_aggtab_free(acct->sites);
	mt_live_free(acct->live);
	memset(acct, 0, sizeof(*acct));
}

/*
 * The peak, as DHAT's t-gmax but exact and cheap: the state at a new high
 * of the live total is recorded only when the total first goes down again
 * (a new epoch), and then lazily: a site copies its live bytes as of the
 * epoch the first time it changes after it.  One copy per site per peak.
 */
static void record_peak(struct mt_acct *acct)
{
	acct->peak_epoch++;
	acct->peak_pending = false;
	acct->peak_ns = mt_now_ns();
	acct->peak_events = acct->events;
}

static void site_will_change(struct mt_acct *acct, struct mt_site *s)
{
	if (s->peak_epoch < acct->peak_epoch) {
		s->live_at_peak = s->c.live_bytes;
		s->peak_epoch = acct->peak_epoch;
	}
}

uint64_t mt_acct_site_at_peak(const struct mt_acct *acct, const struct mt_site *s)
{
	/* At a high now, or untouched since the recorded one: as it is. */
	if (acct->peak_pending || s->peak_epoch < acct->peak_epoch)
		return s->c.live_bytes;
	return s->live_at_peak;
}

void mt_acct_peak_moment(const struct mt_acct *acct, uint64_t *ns, uint64_t *events)
{
	*ns = acct->peak_pending ? mt_now_ns() : acct->peak_ns;
	*events = acct->peak_pending ? acct->events : acct->peak_events;
}

/* One more event: a timeline point every `every`, halved when full. */
static void tick(struct mt_acct *acct)
{
	uint64_t live = acct->totals.c.live_bytes;

	acct->events++;
	if (live > acct->max_since)
		acct->max_since = live;
	if (acct->events % acct->every)
		return;
	if (acct->ntimeline == MT_TIMELINE_MAX) {
		for (size_t i = 0; i < MT_TIMELINE_MAX / 2; i++) {
			struct mt_timeline_point *a = &acct->timeline[2 * i], *b = a + 1;

			if (a->max_live_bytes > b->max_live_bytes)
				b->max_live_bytes = a->max_live_bytes;
			acct->timeline[i] = *b;
		}
		acct->ntimeline = MT_TIMELINE_MAX / 2;
		acct->every *= 2;
		if (acct->events % acct->every)
			return;
	}
	acct->timeline[acct->ntimeline++] = (struct mt_timeline_point){
		.ns = mt_now_ns(), .events = acct->events, .live_bytes = live,
		.max_live_bytes = acct->max_since,
	};
	acct->max_since = live;
}

/* The site's counters, or NULL for blocks attributed to none; about to
 * change. */
static struct mt_counters *site_counters(struct mt_acct *acct, uint32_t site)
{
	struct mt_site *s;

	if (site == MT_SITE_NONE)
		return NULL;
	if (site == MT_SITE_OVERFLOW)
		acct->totals.overflow_events++;
	s = mt_aggtab_site(acct->sites, site);
	site_will_change(acct, s);
	return &s->c;
}

/* The live total goes down: the high it was at, if new, is the peak. */
static void total_goes_down(struct mt_acct *acct)
{
	if (acct->peak_pending)
		record_peak(acct);
}

static void count_alloc(struct mt_counters *c, uint64_t size)
{
	c->allocs++;
	c->alloc_bytes += size;
	c->live_allocs++;
	c->live_bytes += size;
	if (c->live_bytes > c->peak_live_bytes)
		c->peak_live_bytes = c->live_bytes;
}

/* The block stops being live without a free (retired, or freed: see below). */
static void count_gone(struct mt_counters *c, uint64_t size)
{
	c->live_allocs--;
	c->live_bytes -= size;
}

static void count_free(struct mt_counters *c, uint64_t size, bool temporary)
{
	count_gone(c, size);
	c->frees++;
	c->freed_bytes += size;
	if (temporary)
		c->temporary_allocs++;
}

void mt_acct_alloc(struct mt_acct *acct, struct mt_thread_acct *thr,
		   uint32_t site, uint64_t ptr, uint64_t size)
{
	struct mt_live_block blk, old;
	struct mt_counters *c;

	if (size < acct->min_size) {
		site = MT_SITE_NONE;
		acct->totals.filtered_allocs++;
	}
	blk = (struct mt_live_block){ .ptr = ptr, .size = size, .site = site, .tid = thr->tid,
				      .phase = thr->phase };
	if (!mt_live_insert(acct->live, &blk, &old)) {
		/* A free we never saw: the old block is gone, without a free. */
		mt_live_remove(acct->live, ptr, NULL);
		total_goes_down(acct);
		count_gone(&acct->totals.c, old.size);
		if ((c = site_counters(acct, old.site)))
			count_gone(c, old.size);
		mt_live_insert(acct->live, &blk, NULL);
	}
	if (acct->totals.c.live_bytes + size > acct->totals.c.peak_live_bytes)
		acct->peak_pending = true;
	count_alloc(&acct->totals.c, size);
	if ((c = site_counters(acct, site)))
		count_alloc(c, size);
	thr->last_alloc_ptr = ptr;
	tick(acct);
}

void mt_acct_failed(struct mt_acct *acct, uint32_t site)
{
	struct mt_counters *c;

	acct->totals.c.failed_allocs++;
	if ((c = site_counters(acct, site)))
		c->failed_allocs++;
}

void mt_acct_free_detached(struct mt_acct *acct, struct mt_thread_acct *thr,
			   const struct mt_live_block *blk)
{
	/* heaptrack's temporary: freed before this thread allocated again. */
	bool temporary = thr->last_alloc_ptr == blk->ptr;
	struct mt_counters *c;

	if (temporary)
		thr->last_alloc_ptr = 0;
	total_goes_down(acct);
	count_free(&acct->totals.c, blk->size, temporary);
	if ((c = site_counters(acct, blk->site)))
		count_free(c, blk->size, temporary);
	tick(acct);
}

bool mt_acct_free_block(struct mt_acct *acct, struct mt_thread_acct *thr, uint64_t ptr,
			struct mt_live_block *out)
{
	if (!mt_live_remove(acct->live, ptr, out)) {
		acct->totals.unknown_frees++;
		return false;
	}
	mt_acct_free_detached(acct, thr, out);
	return true;
}

bool mt_acct_free(struct mt_acct *acct, struct mt_thread_acct *thr, uint64_t ptr)
{
	struct mt_live_block blk;

	return mt_acct_free_block(acct, thr, ptr, &blk);
}

bool mt_acct_detach(struct mt_acct *acct, uint64_t ptr, struct mt_live_block *out)
{
	return mt_live_remove(acct->live, ptr, out);
}

void mt_acct_reattach(struct mt_acct *acct, const struct mt_live_block *blk)
{
	struct mt_live_block old;

	/* The address may have been handed out again meanwhile: keep the newer. */
	if (!mt_live_insert(acct->live, blk, &old)) {
		total_goes_down(acct);
		count_gone(&acct->totals.c, blk->size);
		struct mt_counters *c = site_counters(acct, blk->site);
		if (c)
			count_gone(c, blk->size);
	}
}
