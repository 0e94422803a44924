/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "phases.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void mt_phases_destroy(struct mt_phases *ph)
{
	for (size_t i = 0; i < ph->nstats; i++)
		free(ph->stats[i].name);
	free(ph->stats);
	free(ph->inst);
	memset(ph, 0, sizeof(*ph));
}

uint32_t mt_phases_stat(struct mt_phases *ph, const char *name)
{
	for (size_t i = 0; i < ph->nstats; i++)
		if (strcmp(ph->stats[i].name, name) == 0)
			return (uint32_t)i;
	ph->stats = xgrow(ph->stats, &ph->capstats, ph->nstats + 1, sizeof(*ph->stats));
	ph->stats[ph->nstats] = (struct mt_phase_stats){ .name = xstrdup(name) };
	return (uint32_t)ph->nstats++;
}

uint32_t mt_phases_enter(struct mt_phases *ph, uint32_t stat, uint32_t current,
			 uint64_t entry_sp, uint64_t ret)
{
	ph->inst = xgrow(ph->inst, &ph->capinst, ph->ninst + 1, sizeof(*ph->inst));
	ph->inst[ph->ninst] = (struct mt_phase_instance){
		.stats = stat, .parent = current, .entry_sp = entry_sp, .ret = ret, .running = true,
	};
	ph->stats[stat].entries++;
	return (uint32_t)++ph->ninst;
}

static void settle(struct mt_phases *ph, struct mt_phase_instance *in)
{
	struct mt_phase_stats *st = &ph->stats[in->stats];

	in->running = false;
	st->allocs += in->allocs;
	st->alloc_bytes += in->alloc_bytes;
	st->live_bytes += in->live;
	if (in->peak > st->peak_live_bytes)
		st->peak_live_bytes = in->peak;
}

uint32_t mt_phases_leave(struct mt_phases *ph, uint32_t id, uint32_t current)
{
	/* Inner instances left without their return seen (longjmp, an
	 * exception, a missing end marker) end with it. */
	while (current && current != id) {
		struct mt_phase_instance *in = &ph->inst[current - 1];

		settle(ph, in);
		current = in->parent;
	}
	if (!current)
		return 0;
	settle(ph, &ph->inst[id - 1]);
	return ph->inst[id - 1].parent;
}

uint32_t mt_phases_find(const struct mt_phases *ph, uint32_t current, uint32_t stat)
{
	for (; current; current = ph->inst[current - 1].parent)
		if (ph->inst[current - 1].stats == stat)
			return current;
	return 0;
}

void mt_phases_alloc(struct mt_phases *ph, uint32_t current, uint64_t size)
{
	/* Every enclosing instance: an outer phase holds what inner ones do. */
	for (; current; current = ph->inst[current - 1].parent) {
		struct mt_phase_instance *in = &ph->inst[current - 1];

		in->allocs++;
		in->alloc_bytes += size;
		in->live += size;
		if (in->live > in->peak)
			in->peak = in->live;
	}
}

void mt_phases_free(struct mt_phases *ph, uint32_t id, uint64_t size)
{
	/* Only instances still running: a finished one's figures are final. */
	for (; id; id = ph->inst[id - 1].parent) {
		struct mt_phase_instance *in = &ph->inst[id - 1];

		if (in->running && in->live >= size)
			in->live -= size;
	}
}

void mt_phases_finish(struct mt_phases *ph)
{
	for (size_t i = ph->ninst; i-- > 0;)
		if (ph->inst[i].running)
			settle(ph, &ph->inst[i]);
}
