/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a JSON profile back (report, diff), with jansson.  Anything that
 * is not a profile this version understands is refused with one line
 * saying what is wrong; unknown fields are ignored, as the schema allows.
 */
#include "config.h"
#include "profile.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	const char *path;
	char *err;
	size_t errlen;
	bool failed;
};

static void bad(struct reader *rd, const char *fmt, ...) MT_PRINTF(2, 3);
static void bad(struct reader *rd, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (rd->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(rd->err, rd->errlen, "%s: %s", rd->path, msg);
	rd->failed = true;
}

static uint64_t get_uint(struct reader *rd, json_t *obj, const char *key, const char *where)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		bad(rd, "%s: \"%s\" missing or not a count", where, key);
		return 0;
	}
	return (uint64_t)json_integer_value(v);
}

static char *get_str(struct reader *rd, json_t *obj, const char *key, bool nullable,
		     const char *where)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (!(nullable && (json_is_null(v) || !v)))
		bad(rd, "%s: \"%s\" missing or not a string", where, key);
	return NULL;
}

static uint64_t get_hex(struct reader *rd, json_t *obj, const char *key, const char *where)
{
	const char *s = json_string_value(json_object_get(obj, key));
	char *end;
	uint64_t v;

	if (!s || strncmp(s, "0x", 2) != 0) {
		bad(rd, "%s: \"%s\" missing or not a hex string", where, key);
		return 0;
	}
	errno = 0;
	v = strtoull(s + 2, &end, 16);
	if (errno || *end || end == s + 2)
		bad(rd, "%s: \"%s\" is not a hex number: %s", where, key, s);
	return v;
}

static void read_counters(struct reader *rd, json_t *obj, struct mt_counters *c, const char *where)
{
	c->allocs = get_uint(rd, obj, "allocs", where);
	c->alloc_bytes = get_uint(rd, obj, "alloc_bytes", where);
	c->frees = get_uint(rd, obj, "frees", where);
	c->freed_bytes = get_uint(rd, obj, "freed_bytes", where);
	c->live_allocs = get_uint(rd, obj, "live_allocs", where);
	c->live_bytes = get_uint(rd, obj, "live_bytes", where);
	c->peak_live_bytes = get_uint(rd, obj, "peak_live_bytes", where);
	c->temporary_allocs = get_uint(rd, obj, "temporary_allocs", where);
	c->failed_allocs = get_uint(rd, obj, "failed_allocs", where);
}

static void read_frame(struct reader *rd, json_t *obj, struct mt_frame *f)
{
	json_t *line = json_object_get(obj, "line");

	if (!json_is_object(obj)) {
		bad(rd, "a frame is not an object");
		return;
	}
	f->function = get_str(rd, obj, "function", true, "frame");
	f->file = get_str(rd, obj, "file", true, "frame");
	f->module = get_str(rd, obj, "module", true, "frame");
	f->line = json_is_integer(line) && json_integer_value(line) > 0 ?
		  (uint32_t)json_integer_value(line) : 0;
	f->address = get_hex(rd, obj, "address", "frame");
	f->offset = json_object_get(obj, "offset") ? get_hex(rd, obj, "offset", "frame") : 0;
	f->inlined = json_is_true(json_object_get(obj, "inline"));
}

static void read_site(struct reader *rd, json_t *obj, struct mt_profile_site *s, size_t index)
{
	json_t *frames = json_object_get(obj, "frames"), *site = json_object_get(obj, "site");
	char where[48];

	snprintf(where, sizeof(where), "site %zu", index);
	if (!json_is_object(obj)) {
		bad(rd, "%s is not an object", where);
		return;
	}
	s->allocator = get_str(rd, obj, "allocator", false, where);
	read_counters(rd, obj, &s->c, where);
	s->truncated = json_is_true(json_object_get(obj, "truncated"));
	s->overflow = json_is_true(json_object_get(obj, "overflow"));
	if (json_is_integer(json_object_get(obj, "live_at_peak")))	/* optional */
		s->live_at_peak = get_uint(rd, obj, "live_at_peak", where);
	if (!json_is_array(frames)) {
		bad(rd, "%s: \"frames\" missing or not a list", where);
		return;
	}
	s->nframes = (uint32_t)json_array_size(frames);
	s->frames = xcalloc(s->nframes ? s->nframes : 1, sizeof(*s->frames));
	for (uint32_t i = 0; i < s->nframes && !rd->failed; i++)
		read_frame(rd, json_array_get(frames, i), &s->frames[i]);
	if (json_is_integer(site) && json_integer_value(site) >= 0 &&
	    (uint32_t)json_integer_value(site) < s->nframes)
		s->site_frame = (uint32_t)json_integer_value(site);
}

static void read_module(struct reader *rd, json_t *obj, struct mt_module *m)
{
	m->path = get_str(rd, obj, "path", false, "module");
	m->start = get_hex(rd, obj, "start", "module");
	m->end = get_hex(rd, obj, "end", "module");
	m->bias = get_hex(rd, obj, "bias", "module");
	m->build_id = get_str(rd, obj, "build_id", true, "module");
}

/* How the process ended: exit_signal, else exit_status, else unknown. */
static void read_exit(json_t *obj, struct mt_profile *p)
{
	json_t *status = json_object_get(obj, "exit_status"), *sig = json_object_get(obj, "exit_signal");

	if (json_is_integer(sig)) {
		p->exit_kind = MT_EXIT_SIGNAL;
		p->exit_value = (int)json_integer_value(sig);
	} else if (json_is_integer(status)) {
		p->exit_kind = MT_EXIT_CODE;
		p->exit_value = (int)json_integer_value(status);
	}
	p->duration = json_number_value(json_object_get(obj, "duration"));
}

static void read_header(struct reader *rd, json_t *root, struct mt_profile *p)
{
	p->command = get_str(rd, root, "command", true, "profile");
	p->pid = (int)json_integer_value(json_object_get(root, "pid"));
	p->engine = get_str(rd, root, "engine", true, "profile");
	p->max_sites = (uint32_t)json_integer_value(json_object_get(root, "max_sites"));
	p->depth = (uint32_t)json_integer_value(json_object_get(root, "depth"));
	p->min_size = (uint64_t)json_integer_value(json_object_get(root, "min_size"));
	read_exit(root, p);
}

/* totals and sites, of the whole profile or of one process. */
static void read_counts(struct reader *rd, json_t *obj, struct mt_profile *p)
{
	json_t *totals = json_object_get(obj, "totals"), *sites = json_object_get(obj, "sites");

	if (!json_is_object(totals)) {
		bad(rd, "\"totals\" missing: not a complete memtracer profile");
		return;
	}
	read_counters(rd, totals, &p->totals.c, "totals");
	p->totals.unknown_frees = get_uint(rd, totals, "unknown_frees", "totals");
	p->totals.overflow_events = get_uint(rd, totals, "overflow_events", "totals");
	p->totals.filtered_allocs = get_uint(rd, totals, "filtered_allocs", "totals");
	if (!json_is_array(sites)) {
		bad(rd, "\"sites\" missing or not a list");
		return;
	}
	p->sites = xcalloc(json_array_size(sites) + 1, sizeof(*p->sites));
	for (size_t i = 0; i < json_array_size(sites) && !rd->failed; i++, p->nsites++)
		read_site(rd, json_array_get(sites, i), &p->sites[i], i);
}

/* --follow-forks profiles: each process's own (optional). */
static void read_processes(struct reader *rd, json_t *root, struct mt_profile *p)
{
	json_t *procs = json_object_get(root, "processes");

	if (!procs)
		return;
	if (!json_is_array(procs) || json_array_size(procs) == 0) {
		bad(rd, "\"processes\" is not a list of processes");
		return;
	}
	p->procs = xcalloc(json_array_size(procs), sizeof(*p->procs));
	for (size_t i = 0; i < json_array_size(procs) && !rd->failed; i++) {
		json_t *obj = json_array_get(procs, i);
		struct mt_profile *q = xcalloc(1, sizeof(*q));

		p->procs[p->nprocs++] = q;
		if (!json_is_object(obj)) {
			bad(rd, "process %zu is not an object", i);
			return;
		}
		q->command = get_str(rd, obj, "command", true, "process");
		q->pid = (int)json_integer_value(json_object_get(obj, "pid"));
		q->ppid = (int)json_integer_value(json_object_get(obj, "ppid"));
		q->min_size = p->min_size;
		q->max_sites = p->max_sites;
		read_exit(obj, q);
		read_counts(rd, obj, q);
	}
}

/* "peak" and "timeline": optional (profiles of several processes lack them). */
static void read_peak(struct reader *rd, json_t *root, struct mt_profile *p)
{
	json_t *peak = json_object_get(root, "peak"), *tl = json_object_get(root, "timeline");

	if (!json_is_object(peak))
		return;
	p->has_peak = true;
	p->peak_time = json_number_value(json_object_get(peak, "time"));
	p->peak_events = get_uint(rd, peak, "events", "peak");
	if (!json_is_array(tl))
		return;
	p->timeline = xcalloc(json_array_size(tl) + 1, sizeof(*p->timeline));
	for (size_t i = 0; i < json_array_size(tl) && !rd->failed; i++, p->ntimeline++) {
		json_t *pt = json_array_get(tl, i);

		if (!json_is_object(pt)) {
			bad(rd, "timeline point %zu is not an object", i);
			return;
		}
		p->timeline[i].time = json_number_value(json_object_get(pt, "time"));
		p->timeline[i].events = get_uint(rd, pt, "events", "timeline");
		p->timeline[i].live_bytes = get_uint(rd, pt, "live_bytes", "timeline");
		p->timeline[i].max_live_bytes = get_uint(rd, pt, "max_live_bytes", "timeline");
	}
}

/* "phases": optional. */
static void read_phases(struct reader *rd, json_t *root, struct mt_profile *p)
{
	json_t *phases = json_object_get(root, "phases");

	if (!phases)
		return;
	if (!json_is_array(phases)) {
		bad(rd, "\"phases\" is not a list");
		return;
	}
	for (size_t i = 0; i < json_array_size(phases) && !rd->failed; i++) {
		json_t *obj = json_array_get(phases, i);
		struct mt_phase_stats ph = { 0 };

		if (!json_is_object(obj)) {
			bad(rd, "phase %zu is not an object", i);
			return;
		}
		ph.name = get_str(rd, obj, "name", false, "phase");
		ph.entries = get_uint(rd, obj, "entries", "phase");
		ph.allocs = get_uint(rd, obj, "allocs", "phase");
		ph.alloc_bytes = get_uint(rd, obj, "alloc_bytes", "phase");
		ph.live_bytes = get_uint(rd, obj, "live_bytes", "phase");
		ph.peak_live_bytes = get_uint(rd, obj, "peak_live_bytes", "phase");
		if (!rd->failed)
			mt_profile_add_phase(p, &ph);
		free(ph.name);
	}
}

static void read_profile(struct reader *rd, json_t *root, struct mt_profile *p)
{
	json_t *mods = json_object_get(root, "modules");

	read_header(rd, root, p);
	read_counts(rd, root, p);
	if (!rd->failed)
		read_peak(rd, root, p);
	if (!rd->failed)
		read_phases(rd, root, p);
	if (!rd->failed && json_is_array(mods)) {
		p->modules = xcalloc(json_array_size(mods) + 1, sizeof(*p->modules));
		for (size_t i = 0; i < json_array_size(mods) && !rd->failed; i++, p->nmodules++)
			read_module(rd, json_array_get(mods, i), &p->modules[i]);
	}
	if (!rd->failed)
		read_processes(rd, root, p);
}

struct mt_profile *mt_profile_read(const char *path, char *err, size_t errlen)
{
	struct reader rd = { .path = path, .err = err, .errlen = errlen };
	struct mt_profile *prof;
	json_error_t jerr;
	json_t *root, *version;
	const char *format;

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line == -1 || !jerr.line)
			snprintf(err, errlen, "%s: cannot read: %s", path, jerr.text);
		else
			snprintf(err, errlen, "%s: not valid JSON (line %d, column %d: %s)%s", path,
				 jerr.line, jerr.column, jerr.text,
				 strstr(jerr.text, "end of") || strstr(jerr.text, "premature") ?
				 ": the file looks truncated" : "");
		return NULL;
	}
	format = json_string_value(json_object_get(root, "format"));
	version = json_object_get(root, "version");
	if (!json_is_object(root) || !format || strcmp(format, MT_PROFILE_FORMAT) != 0) {
		snprintf(err, errlen, "%s: not a memtracer profile (no \"format\": \"%s\"): give a file "
			 "written by memtracer -o FILE.json", path, MT_PROFILE_FORMAT);
		json_decref(root);
		return NULL;
	}
	if (!json_is_integer(version) || json_integer_value(version) < 1) {
		snprintf(err, errlen, "%s: profile version missing or invalid", path);
		json_decref(root);
		return NULL;
	}
	if (json_integer_value(version) > MT_PROFILE_VERSION) {
		snprintf(err, errlen, "%s: profile version %" JSON_INTEGER_FORMAT " is newer than this "
			 "memtracer reads (%d): upgrade memtracer", path, json_integer_value(version),
			 MT_PROFILE_VERSION);
		json_decref(root);
		return NULL;
	}
	prof = xcalloc(1, sizeof(*prof));
	read_profile(&rd, root, prof);
	json_decref(root);
	if (rd.failed) {
		mt_profile_free(prof);
		return NULL;
	}
	return prof;
}
