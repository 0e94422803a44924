/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "modules.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

size_t mt_modules_add(struct mt_modules *mods, const struct mt_module *m)
{
	for (size_t i = 0; i < mods->n; i++)
		if (mods->v[i].start == m->start && strcmp(mods->v[i].path, m->path) == 0)
			return i;
	mods->v = xgrow(mods->v, &mods->cap, mods->n + 1, sizeof(*mods->v));
	mods->v[mods->n] = (struct mt_module){
		.path = xstrdup(m->path), .start = m->start, .end = m->end, .bias = m->bias,
		.build_id = m->build_id ? xstrdup(m->build_id) : NULL,
	};
	return mods->n++;
}

const struct mt_module *mt_modules_find(const struct mt_modules *mods, uint64_t addr)
{
	for (size_t i = mods->n; i-- > 0;)
		if (addr >= mods->v[i].start && addr < mods->v[i].end)
			return &mods->v[i];
	return NULL;
}

void mt_modules_destroy(struct mt_modules *mods)
{
	for (size_t i = 0; i < mods->n; i++) {
		free(mods->v[i].path);
		free(mods->v[i].build_id);
	}
	free(mods->v);
	memset(mods, 0, sizeof(*mods));
}
