/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "strtab.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a over the bytes, mixed: the slots are taken from the low bits. */
static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return mt_hash64(h);
}

static void rehash(struct mt_strtab *t)
{
	size_t mask;

	free(t->slots);
	t->nslots = t->nslots ? t->nslots * 2 : 64;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	mask = t->nslots - 1;
	for (size_t i = 0; i < t->n; i++) {
		size_t s = hash_str(t->keys[i]) & mask;

		while (t->slots[s])
			s = (s + 1) & mask;
		t->slots[s] = i + 1;
	}
}

size_t mt_strtab_intern(struct mt_strtab *t, const char *key, bool *added)
{
	size_t mask, s;

	if ((t->n + 1) * 2 > t->nslots)
		rehash(t);
	mask = t->nslots - 1;
	for (s = hash_str(key) & mask; t->slots[s]; s = (s + 1) & mask) {
		if (strcmp(t->keys[t->slots[s] - 1], key) == 0) {
			if (added)
				*added = false;
			return t->slots[s] - 1;
		}
	}
	t->keys = xgrow(t->keys, &t->cap, t->n + 1, sizeof(*t->keys));
	t->keys[t->n] = xstrdup(key);
	t->slots[s] = ++t->n;
	if (added)
		*added = true;
	return t->n - 1;
}

void mt_strtab_free(struct mt_strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->keys[i]);
	free(t->keys);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}
