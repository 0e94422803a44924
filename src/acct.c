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
}

void mt_acct_destroy(struct mt_acct *acct)
{
	mt_aggtab_free(acct->sites);
	mt_live_free(acct->live);
	memset(acct, 0, sizeof(*acct));
}

/* The site's counters, or NULL for blocks attributed to none. */
static struct mt_counters *site_counters(struct mt_acct *acct, uint32_t site)
{
	if (site == MT_SITE_NONE)
		return NULL;
	if (site == MT_SITE_OVERFLOW)
		acct->totals.overflow_events++;
	return &mt_aggtab_site(acct->sites, site)->c;
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
	blk = (struct mt_live_block){ .ptr = ptr, .size = size, .site = site, .tid = thr->tid };
	if (!mt_live_insert(acct->live, &blk, &old)) {
		/* A free we never saw: the old block is gone, without a free. */
		mt_live_remove(acct->live, ptr, NULL);
		count_gone(&acct->totals.c, old.size);
		if ((c = site_counters(acct, old.site)))
			count_gone(c, old.size);
		mt_live_insert(acct->live, &blk, NULL);
	}
	count_alloc(&acct->totals.c, size);
	if ((c = site_counters(acct, site)))
		count_alloc(c, size);
	thr->last_alloc_ptr = ptr;
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
	count_free(&acct->totals.c, blk->size, temporary);
	if ((c = site_counters(acct, blk->site)))
		count_free(c, blk->size, temporary);
}

bool mt_acct_free(struct mt_acct *acct, struct mt_thread_acct *thr, uint64_t ptr)
{
	struct mt_live_block blk;

	if (!mt_live_remove(acct->live, ptr, &blk)) {
			acct->totals.unknown_frees++;
		return false;
	}
	mt_acct_free_detached(acct, thr, &blk);
	return true;
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
		count_gone(&acct->totals.c, blk->size);
		struct mt_counters *c = site_counters(acct, blk->site);
		if (c)
			count_gone(c, blk->size);
	}
}
