/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "aggtab.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define NO_SITE UINT32_MAX

struct mt_aggtab {
	struct mt_site *sites;	/* by id; 0 is the overflow site */
	size_t nsites, capsites;
	uint32_t max_sites;
	uint32_t *index;	/* open addressing over site ids, NO_SITE: empty */
	size_t mask;
	uint64_t *pcs;		/* every stack's PCs, back to back */
	size_t npcs, cappcs;
};

static uint64_t key_hash(unsigned kind, const uint64_t *pcs, uint32_t depth, unsigned flags)
{
	return mt_hash_words(((uint64_t)kind << 16) | flags, pcs, depth);
}

struct mt_aggtab *mt_aggtab_new(uint32_t max_sites)
{
	struct mt_aggtab *tab = xcalloc(1, sizeof(*tab));

	tab->max_sites = max_sites < 2 ? 2 : max_sites;
	tab->mask = 1024 - 1;
	tab->index = xmalloc((tab->mask + 1) * sizeof(*tab->index));
	memset(tab->index, 0xff, (tab->mask + 1) * sizeof(*tab->index));
	tab->sites = xgrow(NULL, &tab->capsites, 1, sizeof(*tab->sites));
	memset(&tab->sites[0], 0, sizeof(tab->sites[0]));
	tab->sites[0].flags = MT_SITE_F_OVERFLOW;
	tab->nsites = 1;
	return tab;
}

void mt_aggtab_free(struct mt_aggtab *tab)
{
	if (!tab)
		return;
	free(tab->sites);
	free(tab->index);
	free(tab->pcs);
	free(tab);
}

static bool same_key(const struct mt_aggtab *tab, const struct mt_site *s, uint64_t hash,
		     unsigned kind, const uint64_t *pcs, uint32_t depth, unsigned flags)
{
	return s->hash == hash && s->kind == kind && s->depth == depth && s->flags == flags &&
	       memcmp(tab->pcs + s->pc_off, pcs, depth * sizeof(*pcs)) == 0;
}

/* The index slot holding the site for the key, or the empty slot it would take. */
static uint32_t *find_slot(const struct mt_aggtab *tab, uint64_t hash, unsigned kind,
			   const uint64_t *pcs, uint32_t depth, unsigned flags)
{
	size_t i = (size_t)hash & tab->mask;

	while (tab->index[i] != NO_SITE &&
	       !same_key(tab, &tab->sites[tab->index[i]], hash, kind, pcs, depth, flags))
		i = (i + 1) & tab->mask;
	return &tab->index[i];
}

static void grow_index(struct mt_aggtab *tab)
{
	free(tab->index);
	tab->mask = tab->mask * 2 + 1;
	tab->index = xmalloc((tab->mask + 1) * sizeof(*tab->index));
	memset(tab->index, 0xff, (tab->mask + 1) * sizeof(*tab->index));
	for (uint32_t id = 1; id < tab->nsites; id++) {
		size_t i = (size_t)tab->sites[id].hash & tab->mask;

		while (tab->index[i] != NO_SITE)
			i = (i + 1) & tab->mask;
		tab->index[i] = id;
	}
}

uint32_t mt_aggtab_intern(struct mt_aggtab *tab, unsigned kind,
			  const uint64_t *pcs, uint32_t depth, unsigned flags)
{
	uint64_t hash = key_hash(kind, pcs, depth, flags);
	uint32_t *slot = find_slot(tab, hash, kind, pcs, depth, flags);
	struct mt_site *s;

	if (*slot != NO_SITE)
		return *slot;
	if (tab->nsites >= tab->max_sites)
		return MT_SITE_OVERFLOW;
	tab->sites = xgrow(tab->sites, &tab->capsites, tab->nsites + 1, sizeof(*tab->sites));
	tab->pcs = xgrow(tab->pcs, &tab->cappcs, tab->npcs + depth, sizeof(*tab->pcs));
	s = &tab->sites[tab->nsites];
	memset(s, 0, sizeof(*s));
	s->hash = hash;
	s->pc_off = tab->npcs;
	s->depth = depth;
	s->kind = (uint16_t)kind;
	s->flags = (uint16_t)flags;
	if (depth)	/* pcs may be NULL for an empty stack */
		memcpy(tab->pcs + tab->npcs, pcs, depth * sizeof(*pcs));
	tab->npcs += depth;
	*slot = (uint32_t)tab->nsites++;
	if (tab->nsites * 2 > tab->mask + 1)
		grow_index(tab);
	return (uint32_t)(tab->nsites - 1);
}

struct mt_site *mt_aggtab_site(struct mt_aggtab *tab, uint32_t id)
{
	return &tab->sites[id];
}

const uint64_t *mt_aggtab_pcs(const struct mt_aggtab *tab, const struct mt_site *site)
{
	return tab->pcs + site->pc_off;
}

uint32_t mt_aggtab_count(const struct mt_aggtab *tab)
{
	return (uint32_t)tab->nsites;
}

uint32_t mt_aggtab_max(const struct mt_aggtab *tab)
{
	return tab->max_sites;
}

size_t mt_aggtab_memory(const struct mt_aggtab *tab)
{
	return sizeof(*tab) + tab->capsites * sizeof(*tab->sites) +
	       (tab->mask + 1) * sizeof(*tab->index) + tab->cappcs * sizeof(*tab->pcs);
}
