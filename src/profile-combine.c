/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Combining the profiles of the processes of one run (--follow-forks) into
 * the one view that totals, rules, diffs and the flat formats work on.
 */
#include "config.h"
#include "profile.h"
#include "strtab.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What tells two sites of different processes apart: never addresses,
 * which differ between two runs of one program (ASLR). */
static char *site_key(const struct mt_profile_site *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)		/* it fails only for want of memory, as xmalloc dies */
		perror_msg_and_die(MT_EXIT_TRACE, "open_memstream");
	fprintf(f, "%s|%d|%d|%u", s->allocator, s->overflow, s->truncated, s->site_frame);
	for (uint32_t i = 0; i < s->nframes; i++) {
		const struct mt_frame *fr = &s->frames[i];

		fprintf(f, "|%s\x01%s\x01%u\x01%s\x01%" PRIx64 "\x01%d",
			fr->function ? fr->function : "", fr->file ? fr->file : "", fr->line,
			fr->module ? fr->module : "", fr->offset, fr->inlined);
	}
	fclose(f);
	return buf;
}

static void copy_site(struct mt_profile_site *dst, const struct mt_profile_site *src)
{
	*dst = *src;
	dst->live_at_peak = 0;	/* each process peaked at its own moment */
	dst->allocator = xstrdup(src->allocator);
	dst->frames = xcalloc(src->nframes ? src->nframes : 1, sizeof(*dst->frames));
	for (uint32_t i = 0; i < src->nframes; i++)
		mt_frame_copy(&dst->frames[i], &src->frames[i]);
}

static void add_sites(struct mt_profile *all, struct mt_strtab *keys, size_t *cap,
		      const struct mt_profile *p)
{
	for (size_t i = 0; i < p->nsites; i++) {
		char *key = site_key(&p->sites[i]);
		bool added;
		size_t idx = mt_strtab_intern(keys, key, &added);

		free(key);
		if (!added) {
			mt_counters_add(&all->sites[idx].c, &p->sites[i].c);
			continue;
		}
		all->sites = xgrow(all->sites, cap, idx + 1, sizeof(*all->sites));
		copy_site(&all->sites[idx], &p->sites[i]);
		all->nsites = idx + 1;
	}
}

static void add_modules(struct mt_profile *all, size_t *cap, const struct mt_profile *p)
{
	for (size_t i = 0; i < p->nmodules; i++) {
		const struct mt_module *m = &p->modules[i];
		bool known = false;

		for (size_t j = 0; j < all->nmodules && !known; j++)
			known = all->modules[j].start == m->start &&
				strcmp(all->modules[j].path, m->path) == 0;
		if (known)
			continue;
		all->modules = xgrow(all->modules, cap, all->nmodules + 1, sizeof(*all->modules));
		all->modules[all->nmodules] = *m;
		all->modules[all->nmodules].path = xstrdup(m->path);
		all->modules[all->nmodules].build_id = m->build_id ? xstrdup(m->build_id) : NULL;
		all->nmodules++;
	}
}

struct mt_profile *mt_profile_combine(struct mt_profile **procs, size_t n)
{
	struct mt_profile *all = xcalloc(1, sizeof(*all)), *root = procs[0];
	struct mt_strtab keys = { 0 };
	size_t capsites = 0, capmods = 0;

	all->command = root->command ? xstrdup(root->command) : NULL;
	all->pid = root->pid;
	all->exit_kind = root->exit_kind;
	all->exit_value = root->exit_value;
	all->duration = root->duration;
	all->engine = root->engine ? xstrdup(root->engine) : NULL;
	all->max_sites = root->max_sites;
	all->depth = root->depth;
	all->min_size = root->min_size;
	for (size_t i = 0; i < n; i++) {
		const struct mt_totals *t = &procs[i]->totals;

		mt_counters_add(&all->totals.c, &t->c);
		all->totals.unknown_frees += t->unknown_frees;
		all->totals.overflow_events += t->overflow_events;
		all->totals.filtered_allocs += t->filtered_allocs;
		all->totals.events += t->events;
		all->totals.nested_calls += t->nested_calls;
		add_sites(all, &keys, &capsites, procs[i]);
		for (size_t j = 0; j < procs[i]->nphases; j++)
			mt_profile_add_phase(all, &procs[i]->phases[j]);
		add_modules(all, &capmods, procs[i]);
	}
	mt_strtab_free(&keys);
	all->procs = procs;
	all->nprocs = n;
	return all;
}
