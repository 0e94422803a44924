/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live-block table: every block allocated and not yet freed, by address.
 *
 * Open addressing on the pointer value (0 is never a live pointer), grown by
 * doubling at 3/4 load, deletion without tombstones, so frees keep lookups
 * short however long the run.
 */
#ifndef MT_LIVE_H
#define MT_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mt_live_block {
	uint64_t ptr;
	uint64_t size;
	uint32_t site;		/* aggtab site id or MT_SITE_NONE */
	uint32_t tid;		/* thread that allocated it */
	uint32_t phase;		/* innermost phase instance it was allocated in, 0 none */
};

struct mt_live;

struct mt_live *mt_live_new(void);
void mt_live_free(struct mt_live *live);

/* Inserts blk.  Returns false, changing nothing, when blk.ptr is already live
 * (then *old, when not NULL, receives the present block). */
bool mt_live_insert(struct mt_live *live, const struct mt_live_block *blk,
		    struct mt_live_block *old);
/* Removes ptr; true and *out filled when it was live. */
bool mt_live_remove(struct mt_live *live, uint64_t ptr, struct mt_live_block *out);
/* The block at ptr, or NULL; valid until the next insert or remove. */
const struct mt_live_block *mt_live_lookup(const struct mt_live *live, uint64_t ptr);
size_t mt_live_count(const struct mt_live *live);
size_t mt_live_memory(const struct mt_live *live);

/* Calls fn for every live block, in no particular order. */
void mt_live_foreach(const struct mt_live *live,
		     void (*fn)(const struct mt_live_block *blk, void *arg), void *arg);

#endif
