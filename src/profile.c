/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "profile.h"
#include "acct.h"
#include "kinds.h"
#include "symbols.h"
#include "unwind.h"
#include "util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one PC symbolizes to: its inlined frames and the function. */
struct pc_frames {
	struct mt_frame *v;
	unsigned n;
};

/*
 * Each distinct PC is symbolized once, however many stacks hold it.  A slot
 * is taken when it has frames (mt_symbolize always returns at least one),
 * not when its PC is non-zero: a garbage return address can be 0.
 */
struct frame_cache {
	uint64_t *pcs;
	struct pc_frames *frames;
	size_t mask, count;
};

static size_t cache_slot(const struct frame_cache *fc, uint64_t pc)
{
	size_t i = (size_t)mt_hash64(pc) & fc->mask;

	while (fc->frames[i].v && fc->pcs[i] != pc)
		i = (i + 1) & fc->mask;
	return i;
}

static struct pc_frames *cached_frames(struct frame_cache *fc, struct mt_symbolizer *sym,
				       uint64_t pc)
{
	size_t i;

	if ((fc->count + 1) * 2 > fc->mask + 1) {
		struct frame_cache old = *fc;

		fc->mask = old.mask ? old.mask * 2 + 1 : 1023;
		fc->pcs = xcalloc(fc->mask + 1, sizeof(*fc->pcs));
		fc->frames = xcalloc(fc->mask + 1, sizeof(*fc->frames));
		for (size_t j = 0; old.mask && j <= old.mask; j++) {
			if (!old.frames[j].v)
				continue;
			i = cache_slot(fc, old.pcs[j]);
			fc->pcs[i] = old.pcs[j];
			fc->frames[i] = old.frames[j];
		}
		free(old.pcs);
		free(old.frames);
	}
	i = cache_slot(fc, pc);
	if (!fc->frames[i].v) {
		fc->pcs[i] = pc;
		fc->frames[i].n = mt_symbolize(sym, pc & ~MT_PC_EXACT, !(pc & MT_PC_EXACT),
					       &fc->frames[i].v);
		fc->count++;
	}
	return &fc->frames[i];
}

static void frame_cache_free(struct frame_cache *fc)
{
	for (size_t i = 0; fc->mask && i <= fc->mask; i++) {
		for (unsigned j = 0; j < fc->frames[i].n; j++)
			mt_frame_clear(&fc->frames[i].v[j]);
		free(fc->frames[i].v);
	}
	free(fc->pcs);
	free(fc->frames);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void mt_frame_copy(struct mt_frame *dst, const struct mt_frame *src)
{
	*dst = *src;
	dst->function = dup_or_null(src->function);
	dst->file = dup_or_null(src->file);
	dst->module = dup_or_null(src->module);
}

static bool saw_events(const struct mt_site *s)
{
	return s->c.allocs || s->c.failed_allocs || s->c.frees;
}

static void build_site(struct mt_profile_site *ps, struct mt_aggtab *tab, uint32_t id,
		       struct frame_cache *fc, struct mt_symbolizer *sym)
{
	const struct mt_site *s = mt_aggtab_site(tab, id);
	const uint64_t *pcs = mt_aggtab_pcs(tab, s);
	size_t cap = 0;

	ps->overflow = id == MT_SITE_OVERFLOW || (s->flags & MT_SITE_F_OVERFLOW);
	/* The overflow site merges every kind: no one kind names it. */
	ps->allocator = xstrdup(ps->overflow ? "overflow" : mt_kind_name(s->kind));
	ps->c = s->c;
	ps->truncated = s->flags & MT_SITE_F_TRUNCATED;
	ps->nframes = 0;
	ps->frames = NULL;
	for (uint32_t i = 0; i < s->depth; i++) {
		const struct pc_frames *pf = cached_frames(fc, sym, pcs[i]);

		ps->frames = xgrow(ps->frames, &cap, ps->nframes + pf->n, sizeof(*ps->frames));
		for (unsigned j = 0; j < pf->n; j++)
			mt_frame_copy(&ps->frames[ps->nframes++], &pf->v[j]);
	}
	if (!ps->frames)
		ps->frames = xcalloc(1, sizeof(*ps->frames));
}

/* Modules whose allocating functions are never the call site users want. */
static bool runtime_module(const char *path)
{
	static const char *const prefixes[] = {
		"libc.so", "libc-", "ld-linux", "libstdc++.so", "libc++.so", "libgcc_s.so",
	};
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path;
	for (size_t i = 0; base && i < MT_ARRAY_SIZE(prefixes); i++)
		if (strncmp(base, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* "void std::vector<int>::push_back(int const&)" -> is it in std::? */
static bool runtime_function(const char *name)
{
	static const char *const namespaces[] = { "std::", "__gnu_cxx::", "operator new", "__cxx" };
	const char *sp = strchr(name, ' '), *lt = strchr(name, '<'), *paren = strchr(name, '(');

	/* Skip a return type: a space before any template argument or parameter. */
	if (sp && (!lt || sp < lt) && (!paren || sp < paren))
		name = sp + 1;
	for (size_t i = 0; i < MT_ARRAY_SIZE(namespaces); i++)
		if (strncmp(name, namespaces[i], strlen(namespaces[i])) == 0)
			return true;
	return false;
}

static bool user_wrapper(const char *name, char **wrappers)
{
	char bare[512];
	const char *paren = strchr(name, '(');
	size_t len = paren ? (size_t)(paren - name) : strlen(name);

	/* Globs match the name with or without its parameter list. */
	snprintf(bare, sizeof(bare), "%.*s", (int)(len < sizeof(bare) ? len : sizeof(bare) - 1), name);
	for (char **w = wrappers; w && *w; w++)
		if (fnmatch(*w, name, 0) == 0 || fnmatch(*w, bare, 0) == 0)
			return true;
	return false;
}

static bool wrapper_frame(const struct mt_frame *f, char **wrappers)
{
	if (runtime_module(f->module))
		return true;
	return f->function && (runtime_function(f->function) || user_wrapper(f->function, wrappers));
}

void mt_profile_pick_sites(struct mt_profile *prof, char **wrappers, bool from_saved)
{
	for (size_t i = 0; i < prof->nsites; i++) {
		struct mt_profile_site *s = &prof->sites[i];
		uint32_t start = from_saved ? s->site_frame : 0;

		s->site_frame = start < s->nframes ? start : 0;
		for (uint32_t j = s->site_frame; j < s->nframes; j++)
			if (!wrapper_frame(&s->frames[j], wrappers)) {
				s->site_frame = j;
				break;
			}
	}
}

static double seconds_since(uint64_t start_ns, uint64_t ns)
{
	return start_ns && ns > start_ns ? (double)(ns - start_ns) / 1e9 : 0.0;
}

static void add_peak_and_timeline(struct mt_profile *prof, const struct mt_acct *acct,
				  uint64_t start_ns)
{
	uint64_t ns, events;

	mt_acct_peak_moment(acct, &ns, &events);
	prof->has_peak = true;
	prof->peak_time = acct->totals.c.peak_live_bytes ? seconds_since(start_ns, ns) : 0.0;
	prof->peak_events = acct->totals.c.peak_live_bytes ? events : 0;
	prof->timeline = xcalloc(acct->ntimeline + 1, sizeof(*prof->timeline));
	for (size_t i = 0; i < acct->ntimeline; i++) {
		const struct mt_timeline_point *pt = &acct->timeline[i];

		prof->timeline[prof->ntimeline++] = (struct mt_profile_point){
			.time = seconds_since(start_ns, pt->ns), .events = pt->events,
			.live_bytes = pt->live_bytes, .max_live_bytes = pt->max_live_bytes,
		};
	}
	/* The end, if events came after the last point. */
	if (acct->events && (!acct->ntimeline || acct->timeline[acct->ntimeline - 1].events < acct->events))
		prof->timeline[prof->ntimeline++] = (struct mt_profile_point){
			.time = seconds_since(start_ns, mt_now_ns()), .events = acct->events,
			.live_bytes = acct->totals.c.live_bytes,
			.max_live_bytes = acct->max_since > acct->totals.c.live_bytes ?
					  acct->max_since : acct->totals.c.live_bytes,
		};
}

struct mt_profile *mt_profile_build(const struct mt_acct *acct, const struct mt_modules *mods,
				    const struct mt_profile_opts *opts)
{
	struct mt_symbolizer_opts sopts = {
		.raw_names = opts && opts->raw_names,
		.debug_dir = opts ? opts->debug_dir : NULL,
	};
	struct mt_profile *prof = xcalloc(1, sizeof(*prof));
	struct mt_symbolizer *sym = mt_symbolizer_new(mods, &sopts);
	struct frame_cache fc = { 0 };
	uint32_t n = mt_aggtab_count(acct->sites);

	prof->engine = xstrdup("int3");
	prof->totals = acct->totals;
	prof->sites = xcalloc(n, sizeof(*prof->sites));
	for (uint32_t id = 0; id < n; id++) {
		const struct mt_site *s = mt_aggtab_site(acct->sites, id);

		if (!saw_events(s))
			continue;
		prof->sites[prof->nsites].live_at_peak = mt_acct_site_at_peak(acct, s);
		build_site(&prof->sites[prof->nsites++], acct->sites, id, &fc, sym);
	}
	add_peak_and_timeline(prof, acct, opts ? opts->start_ns : 0);
	prof->modules = xcalloc(mods->n ? mods->n : 1, sizeof(*prof->modules));
	for (size_t i = 0; i < mods->n; i++) {
		prof->modules[i] = mods->v[i];
		prof->modules[i].path = xstrdup(mods->v[i].path);
		prof->modules[i].build_id = dup_or_null(mods->v[i].build_id);
	}
	prof->nmodules = mods->n;
	mt_profile_pick_sites(prof, opts ? opts->wrappers : NULL, false);
	frame_cache_free(&fc);
	mt_symbolizer_free(sym);
	return prof;
}

void mt_profile_add_phase(struct mt_profile *prof, const struct mt_phase_stats *ph)
{
	struct mt_phase_stats *to = NULL;

	for (size_t i = 0; i < prof->nphases && !to; i++)
		if (strcmp(prof->phases[i].name, ph->name) == 0)
			to = &prof->phases[i];
	if (!to) {
		prof->phases = xrealloc(prof->phases, (prof->nphases + 1) * sizeof(*prof->phases));
		to = &prof->phases[prof->nphases++];
		*to = (struct mt_phase_stats){ .name = xstrdup(ph->name) };
	}
	to->entries += ph->entries;
	to->allocs += ph->allocs;
	to->alloc_bytes += ph->alloc_bytes;
	to->live_bytes += ph->live_bytes;
	if (ph->peak_live_bytes > to->peak_live_bytes)
		to->peak_live_bytes = ph->peak_live_bytes;
}

void mt_profile_free(struct mt_profile *prof)
{
	if (!prof)
		return;
	for (size_t i = 0; i < prof->nsites; i++) {
		for (uint32_t j = 0; j < prof->sites[i].nframes; j++)
			mt_frame_clear(&prof->sites[i].frames[j]);
		free(prof->sites[i].frames);
		free(prof->sites[i].allocator);
	}
	free(prof->sites);
	for (size_t i = 0; i < prof->nmodules; i++) {
		free(prof->modules[i].path);
		free(prof->modules[i].build_id);
	}
	free(prof->modules);
	for (size_t i = 0; i < prof->nprocs; i++)
		mt_profile_free(prof->procs[i]);
	free(prof->procs);
	free(prof->timeline);
	for (size_t i = 0; i < prof->nphases; i++)
		free(prof->phases[i].name);
	free(prof->phases);
	free(prof->command);
	free(prof->engine);
	free(prof);
}

int mt_sort_from_name(const char *name)
{
	static const char *const names[] = {
		[MT_SORT_BYTES] = "bytes", [MT_SORT_COUNT] = "count",
		[MT_SORT_LIVE] = "live", [MT_SORT_PEAK] = "peak",
	};

	for (size_t i = 0; i < MT_ARRAY_SIZE(names); i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

static uint64_t sort_value(const struct mt_profile_site *s, enum mt_sort key)
{
	switch (key) {
	case MT_SORT_COUNT: return s->c.allocs;
	case MT_SORT_LIVE: return s->c.live_bytes;
	case MT_SORT_PEAK: return s->c.peak_live_bytes;
	case MT_SORT_BYTES: break;
	}
	return s->c.alloc_bytes;
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static enum mt_sort sort_key;

/* Every part of a frame a report shows; the address only where there is
 * no module to place it in, since it moves with ASLR. */
static int cmp_frames(const struct mt_frame *a, const struct mt_frame *b)
{
	int r;

	if ((r = cmp_str(a->function, b->function)) || (r = cmp_str(a->file, b->file)))
		return r;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((r = cmp_str(a->module, b->module)))
		return r;
	if (a->module && a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	if (!a->module && a->address != b->address)
		return a->address < b->address ? -1 : 1;
	return (int)a->inlined - (int)b->inlined;
}

/*
 * Descending by the key, then by bytes and count, then by the site frame
 * and the rest of the stack: sites that tie on every number (common with
 * small test programs) come out in the same order on every run, whatever
 * order the site table saw them in and whatever qsort does with equal keys.
 */
static int cmp_sites(const void *pa, const void *pb)
{
	const struct mt_profile_site *a = pa, *b = pb;
	const struct mt_frame *fa = a->nframes ? &a->frames[a->site_frame] : NULL;
	const struct mt_frame *fb = b->nframes ? &b->frames[b->site_frame] : NULL;
	int r;

	if ((r = cmp_u64_desc(sort_value(a, sort_key), sort_value(b, sort_key))) ||
	    (r = cmp_u64_desc(a->c.alloc_bytes, b->c.alloc_bytes)) ||
	    (r = cmp_u64_desc(a->c.allocs, b->c.allocs)))
		return r;
	if (!fa || !fb) {
		if (fa || fb)
			return fa ? 1 : -1;	/* no stack at all first */
	} else {
		if ((r = cmp_str(fa->file, fb->file)) || (r = cmp_str(fa->function, fb->function)))
			return r;
		if (fa->line != fb->line)
			return fa->line < fb->line ? -1 : 1;
	}
	if ((r = cmp_str(a->allocator, b->allocator)))
		return r;
	for (uint32_t i = 0; i < a->nframes && i < b->nframes; i++)
		if ((r = cmp_frames(&a->frames[i], &b->frames[i])))
			return r;
	if (a->nframes != b->nframes)
		return a->nframes < b->nframes ? -1 : 1;
	if (a->truncated != b->truncated)
		return a->truncated ? 1 : -1;
	return (int)a->overflow - (int)b->overflow;
}

void mt_profile_sort(struct mt_profile *prof, enum mt_sort key)
{
	sort_key = key;
	if (prof->nsites > 1)	/* sites may be NULL when there are none */
		qsort(prof->sites, prof->nsites, sizeof(*prof->sites), cmp_sites);
	for (size_t i = 0; i < prof->nprocs; i++)
		mt_profile_sort(prof->procs[i], key);
}
