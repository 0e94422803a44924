/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "live.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct mt_live {
	struct mt_live_block *slots;	/* ptr == 0: empty */
	size_t mask;			/* capacity - 1, a power of two minus one */
	size_t count;
};

static size_t home_of(const struct mt_live *live, uint64_t ptr)
{
	/* Heap pointers share their low bits (alignment): mix them first. */
	return (size_t)mt_hash64(ptr) & live->mask;
}

struct mt_live *mt_live_new(void)
{
	struct mt_live *live = xcalloc(1, sizeof(*live));

	live->mask = 1024 - 1;
	live->slots = xcalloc(live->mask + 1, sizeof(*live->slots));
	return live;
}

void mt_live_free(struct mt_live *live)
{
	if (!live)
		return;
	free(live->slots);
	free(live);
}

static struct mt_live_block *probe(const struct mt_live *live, uint64_t ptr)
{
	size_t i = home_of(live, ptr);

	while (live->slots[i].ptr && live->slots[i].ptr != ptr)
		i = (i + 1) & live->mask;
	return &live->slots[i];
}

static void grow(struct mt_live *live)
{
	struct mt_live old = *live;

	live->mask = old.mask * 2 + 1;
	live->slots = xcalloc(live->mask + 1, sizeof(*live->slots));
	for (size_t i = 0; i <= old.mask; i++)
		if (old.slots[i].ptr)
			*probe(live, old.slots[i].ptr) = old.slots[i];
	free(old.slots);
}

bool mt_live_insert(struct mt_live *live, const struct mt_live_block *blk,
		    struct mt_live_block *old)
{
	struct mt_live_block *slot;

	if ((live->count + 1) * 4 > (live->mask + 1) * 3)
		grow(live);
	slot = probe(live, blk->ptr);
	if (slot->ptr) {
		if (old)
			*old = *slot;
		return false;
	}
	*slot = *blk;
	live->count++;
	return true;
}

const struct mt_live_block *mt_live_lookup(const struct mt_live *live, uint64_t ptr)
{
	const struct mt_live_block *slot = probe(live, ptr);

	return slot->ptr ? slot : NULL;
}

/*
 * Backward-shift deletion: later members of the probe run move into the hole
 * unless their home lies cyclically in (hole, i], so lookups never need
 * tombstones and stay short after millions of frees.
 */
bool mt_live_remove(struct mt_live *live, uint64_t ptr, struct mt_live_block *out)
{
	struct mt_live_block *slot = probe(live, ptr);
	size_t hole, i;

	if (!slot->ptr)
		return false;
	if (out)
		*out = *slot;
	hole = (size_t)(slot - live->slots);
	live->slots[hole].ptr = 0;
	live->count--;
	for (i = (hole + 1) & live->mask; live->slots[i].ptr; i = (i + 1) & live->mask) {
		size_t home = home_of(live, live->slots[i].ptr);
		bool stays = hole < i ? (home > hole && home <= i) : (home > hole || home <= i);

		if (stays)
			continue;
		live->slots[hole] = live->slots[i];
		live->slots[i].ptr = 0;
		hole = i;
	}
	return true;
}

size_t mt_live_count(const struct mt_live *live)
{
	return live->count;
}

size_t mt_live_memory(const struct mt_live *live)
{
	return sizeof(*live) + (live->mask + 1) * sizeof(*live->slots);
}

void mt_live_foreach(const struct mt_live *live,
		     void (*fn)(const struct mt_live_block *blk, void *arg), void *arg)
{
	for (size_t i = 0; i <= live->mask; i++)
		if (live->slots[i].ptr)
			fn(&live->slots[i], arg);
}
