/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON profile, written with jansson.  The schema is documented in
 * memtracer(1); report and diff read it back.  Names are never renamed or
 * removed within a version; fields may be added.  Addresses are hex
 * strings: JSON numbers lose precision above 2^53.
 */
#include "config.h"
#include "report.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <string.h>

static json_t *hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *uint_json(uint64_t v)
{
	/* json_int_t is long long: counters never reach 2^63. */
	return json_integer((json_int_t)v);
}

static void add_counters(json_t *obj, const struct mt_counters *c)
{
	json_object_set_new(obj, "allocs", uint_json(c->allocs));
	json_object_set_new(obj, "alloc_bytes", uint_json(c->alloc_bytes));
	json_object_set_new(obj, "frees", uint_json(c->frees));
	json_object_set_new(obj, "freed_bytes", uint_json(c->freed_bytes));
	json_object_set_new(obj, "live_allocs", uint_json(c->live_allocs));
	json_object_set_new(obj, "live_bytes", uint_json(c->live_bytes));
	json_object_set_new(obj, "peak_live_bytes", uint_json(c->peak_live_bytes));
	json_object_set_new(obj, "temporary_allocs", uint_json(c->temporary_allocs));
	json_object_set_new(obj, "failed_allocs", uint_json(c->failed_allocs));
}

static json_t *totals_json(const struct mt_totals *t)
{
	json_t *obj = json_object();

	add_counters(obj, &t->c);
	json_object_set_new(obj, "unknown_frees", uint_json(t->unknown_frees));
	json_object_set_new(obj, "overflow_events", uint_json(t->overflow_events));
	json_object_set_new(obj, "filtered_allocs", uint_json(t->filtered_allocs));
	return obj;
}

static json_t *frame_json(const struct mt_frame *f)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "function", str_or_null(f->function));
	json_object_set_new(obj, "file", str_or_null(f->file));
	json_object_set_new(obj, "line", json_integer(f->line));
	json_object_set_new(obj, "module", str_or_null(f->module));
	json_object_set_new(obj, "address", hex(f->address));
	json_object_set_new(obj, "offset", hex(f->offset));
	json_object_set_new(obj, "inline", json_boolean(f->inlined));
	return obj;
}

/* live_at_peak only when the profile knows its peak (not a combined one). */
static json_t *site_json(const struct mt_profile_site *s, bool with_peak)
{
	json_t *obj = json_object(), *frames = json_array();

	json_object_set_new(obj, "allocator", json_string(s->allocator));
	add_counters(obj, &s->c);
	json_object_set_new(obj, "truncated", json_boolean(s->truncated));
	json_object_set_new(obj, "overflow", json_boolean(s->overflow));
	json_object_set_new(obj, "site", json_integer(s->site_frame));
	if (with_peak)
		json_object_set_new(obj, "live_at_peak", uint_json(s->live_at_peak));
	for (uint32_t i = 0; i < s->nframes; i++)
		json_array_append_new(frames, frame_json(&s->frames[i]));
	json_object_set_new(obj, "frames", frames);
	return obj;
}

static json_t *module_json(const struct mt_module *m)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "path", json_string(m->path));
	json_object_set_new(obj, "start", hex(m->start));
	json_object_set_new(obj, "end", hex(m->end));
	json_object_set_new(obj, "bias", hex(m->bias));
	json_object_set_new(obj, "build_id", str_or_null(m->build_id));
	return obj;
}

static void add_exit(json_t *obj, const struct mt_profile *p)
{
	int status = p->exit_kind == MT_EXIT_SIGNAL ? 128 + p->exit_value : p->exit_value;

	json_object_set_new(obj, "exit_status",
			    p->exit_kind == MT_EXIT_UNKNOWN ? json_null() : json_integer(status));
	json_object_set_new(obj, "exit_signal",
			    p->exit_kind == MT_EXIT_SIGNAL ? json_integer(p->exit_value) : json_null());
	json_object_set_new(obj, "duration", json_real(p->duration));
}

static json_t *sites_json(const struct mt_profile *p)
{
	json_t *sites = json_array();

	for (size_t i = 0; i < p->nsites; i++)
		json_array_append_new(sites, site_json(&p->sites[i], p->has_peak));
	return sites;
}

/* One process of a --follow-forks run: who it is, and its own profile. */
static json_t *process_json(const struct mt_profile *p)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "pid", json_integer(p->pid));
	json_object_set_new(obj, "ppid", json_integer(p->ppid));
	json_object_set_new(obj, "command", str_or_null(p->command));
	add_exit(obj, p);
	json_object_set_new(obj, "totals", totals_json(&p->totals));
	json_object_set_new(obj, "sites", sites_json(p));
	return obj;
}

static json_t *phases_json(const struct mt_profile *p)
{
	json_t *phases = json_array();

	for (size_t i = 0; i < p->nphases; i++) {
		const struct mt_phase_stats *ph = &p->phases[i];
		json_t *obj = json_object();

		json_object_set_new(obj, "name", json_string(ph->name));
		json_object_set_new(obj, "entries", uint_json(ph->entries));
		json_object_set_new(obj, "allocs", uint_json(ph->allocs));
		json_object_set_new(obj, "alloc_bytes", uint_json(ph->alloc_bytes));
		json_object_set_new(obj, "live_bytes", uint_json(ph->live_bytes));
		json_object_set_new(obj, "peak_live_bytes", uint_json(ph->peak_live_bytes));
		json_array_append_new(phases, obj);
	}
	return phases;
}

/* The peak's moment, and live bytes over the run (absent when combined). */
static void add_peak(json_t *root, const struct mt_profile *p)
{
	json_t *peak = json_object(), *timeline = json_array();

	json_object_set_new(peak, "live_bytes", uint_json(p->totals.c.peak_live_bytes));
	json_object_set_new(peak, "time", json_real(p->peak_time));
	json_object_set_new(peak, "events", uint_json(p->peak_events));
	json_object_set_new(root, "peak", peak);
	for (size_t i = 0; i < p->ntimeline; i++) {
		json_t *pt = json_object();

		json_object_set_new(pt, "time", json_real(p->timeline[i].time));
		json_object_set_new(pt, "events", uint_json(p->timeline[i].events));
		json_object_set_new(pt, "live_bytes", uint_json(p->timeline[i].live_bytes));
		json_object_set_new(pt, "max_live_bytes", uint_json(p->timeline[i].max_live_bytes));
		json_array_append_new(timeline, pt);
	}
	json_object_set_new(root, "timeline", timeline);
}

static json_t *profile_json(const struct mt_profile *p)
{
	json_t *root = json_object(), *mods = json_array();

	json_object_set_new(root, "format", json_string(MT_PROFILE_FORMAT));
	json_object_set_new(root, "version", json_integer(MT_PROFILE_VERSION));
	json_object_set_new(root, "command", str_or_null(p->command));
	json_object_set_new(root, "pid", json_integer(p->pid));
	add_exit(root, p);
	json_object_set_new(root, "engine", str_or_null(p->engine));
	json_object_set_new(root, "max_sites", json_integer(p->max_sites));
	json_object_set_new(root, "depth", json_integer(p->depth));
	json_object_set_new(root, "min_size", uint_json(p->min_size));
	json_object_set_new(root, "totals", totals_json(&p->totals));
	if (p->has_peak)
		add_peak(root, p);
	if (p->nphases)
		json_object_set_new(root, "phases", phases_json(p));
	json_object_set_new(root, "sites", sites_json(p));
	for (size_t i = 0; i < p->nmodules; i++)
		json_array_append_new(mods, module_json(&p->modules[i]));
	json_object_set_new(root, "modules", mods);
	if (p->procs) {
		json_t *procs = json_array();

		for (size_t i = 0; i < p->nprocs; i++)
			json_array_append_new(procs, process_json(p->procs[i]));
		json_object_set_new(root, "processes", procs);
	}
	return root;
}

int mt_report_json(FILE *out, const struct mt_profile *prof)
{
	json_t *root = profile_json(prof);
	int err;

	errno = 0;
	err = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(root);
	/* A full disk shows only in the stream's error flag: fwrite into
	 * the buffer succeeded. */
	if (err || fputc('\n', out) == EOF || ferror(out))
		return -(errno ? errno : EIO);
	return 0;
}
