/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "diff.h"
#include "report.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct keyed {
	char *key;
	const struct mt_profile_site *site;
};

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "";
}

/* "malloc|parse_line@parser.c:42|main@main.c:7|..." */
static char *site_key(const struct mt_profile_site *s)
{
	size_t len = strlen(s->allocator) + 2, cap;
	char *key;

	for (uint32_t i = 0; i < s->nframes; i++)
		len += strlen(s->frames[i].function ? s->frames[i].function : "?") +
		       strlen(base_name(s->frames[i].file)) + 16;
	key = xmalloc(cap = len + 1);
	len = (size_t)snprintf(key, cap, "%s%s", s->allocator, s->overflow ? "[overflow]" : "");
	for (uint32_t i = 0; i < s->nframes; i++)
		len += (size_t)snprintf(key + len, cap - len, "|%s@%s:%" PRIu32,
					s->frames[i].function ? s->frames[i].function : "?",
					base_name(s->frames[i].file), s->frames[i].line);
	return key;
}

static int cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

static struct keyed *keyed_sites(const struct mt_profile *p)
{
	struct keyed *k = xcalloc(p->nsites + 1, sizeof(*k));

	for (size_t i = 0; i < p->nsites; i++)
		k[i] = (struct keyed){ site_key(&p->sites[i]), &p->sites[i] };
	qsort(k, p->nsites, sizeof(*k), cmp_keyed);
	return k;
}

static int64_t delta(uint64_t a, uint64_t b)
{
	return (int64_t)b - (int64_t)a;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)-v : (uint64_t)v;
}

static int cmp_change(const void *pa, const void *pb)
{
	const struct mt_diff_site *a = pa, *b = pb;
	uint64_t ma = magnitude(delta(a->base.alloc_bytes, a->now.alloc_bytes));
	uint64_t mb = magnitude(delta(b->base.alloc_bytes, b->now.alloc_bytes));

	if (ma != mb)
		return ma > mb ? -1 : 1;
	ma = magnitude(delta(a->base.allocs, a->now.allocs));
	mb = magnitude(delta(b->base.allocs, b->now.allocs));
	if (ma != mb)
		return ma > mb ? -1 : 1;
	return strcmp(a->shown->allocator, b->shown->allocator);
}

/* Merges the two sorted key lists; equal keys within a list are summed. */
struct mt_diff *mt_diff_build(const struct mt_profile *base, const struct mt_profile *now)
{
	struct keyed *kb = keyed_sites(base), *kn = keyed_sites(now);
	struct mt_diff *d = xcalloc(1, sizeof(*d));
	size_t i = 0, j = 0;

	d->base = base;
	d->now = now;
	d->v = xcalloc(base->nsites + now->nsites + 1, sizeof(*d->v));
	while (i < base->nsites || j < now->nsites) {
		int c = i == base->nsites ? 1 : j == now->nsites ? -1 : strcmp(kb[i].key, kn[j].key);
		const char *key = c <= 0 ? kb[i].key : kn[j].key;
		struct mt_diff_site *ds = &d->v[d->n++];

		while (i < base->nsites && strcmp(kb[i].key, key) == 0) {
			mt_counters_add(&ds->base, &kb[i].site->c);
			ds->shown = kb[i++].site;
			ds->in_base = true;
		}
		while (j < now->nsites && strcmp(kn[j].key, key) == 0) {
			mt_counters_add(&ds->now, &kn[j].site->c);
			ds->shown = kn[j++].site;
			ds->in_new = true;
		}
	}
	for (size_t k = 0; k < base->nsites; k++)
		free(kb[k].key);
	for (size_t k = 0; k < now->nsites; k++)
		free(kn[k].key);
	free(kb);
	free(kn);
	qsort(d->v, d->n, sizeof(*d->v), cmp_change);
	return d;
}

void mt_diff_free(struct mt_diff *d)
{
	if (!d)
		return;
	free(d->v);
	free(d);
}

static const char *signed_bytes(int64_t v, char *buf, size_t len)
{
	char h[24];

	mt_human_bytes(magnitude(v), h, sizeof(h));
	snprintf(buf, len, "%s%s", v < 0 ? "-" : v > 0 ? "+" : "", h);
	return buf;
}

static const char *percent(uint64_t a, uint64_t b, char *buf, size_t len)
{
	if (!a)
		snprintf(buf, len, "%s", b ? "new" : "0%");
	else
		snprintf(buf, len, "%+.1f%%", 100.0 * ((double)b - (double)a) / (double)a);
	return buf;
}

static void total_line(FILE *out, const char *what, uint64_t a, uint64_t b, bool bytes)
{
	char x[32], y[32], d[32], p[32];

	if (bytes)
		fprintf(out, "  %-14s %11s -> %-11s %11s  %s\n", what, mt_human_bytes(a, x, sizeof(x)),
			mt_human_bytes(b, y, sizeof(y)), signed_bytes(delta(a, b), d, sizeof(d)),
			percent(a, b, p, sizeof(p)));
	else
		fprintf(out, "  %-14s %11" PRIu64 " -> %-11" PRIu64 " %+11" PRId64 "  %s\n", what, a, b,
			delta(a, b), percent(a, b, p, sizeof(p)));
}

static void site_name(FILE *out, const struct mt_profile_site *s)
{
	const struct mt_frame *f = s->nframes ? &s->frames[s->site_frame] : NULL;

	if (s->overflow)
		fputs("[overflow]", out);
	else if (f && f->function && f->file)
		fprintf(out, "%s (%s:%" PRIu32 ")", f->function, base_name(f->file), f->line);
	else if (f && f->function)
		fputs(f->function, out);
	else if (f && f->module)
		fprintf(out, "%s+0x%" PRIx64, base_name(f->module), f->offset);
	else
		fputs("[unknown call site]", out);
}

int mt_diff_text(FILE *out, const struct mt_diff *d, unsigned top)
{
	const struct mt_counters *a = &d->base->totals.c, *b = &d->now->totals.c;
	size_t changed = 0, added = 0, gone = 0, shown = 0;

	errno = 0;
	fprintf(out, "memtracer diff: %s -> %s\n", d->base->command ? d->base->command : "?",
		d->now->command ? d->now->command : "?");
	total_line(out, "allocations", a->allocs, b->allocs, false);
	total_line(out, "bytes", a->alloc_bytes, b->alloc_bytes, true);
	total_line(out, "peak live", a->peak_live_bytes, b->peak_live_bytes, true);
	total_line(out, "live at exit", a->live_bytes, b->live_bytes, true);
	total_line(out, "temporary", a->temporary_allocs, b->temporary_allocs, false);
	for (size_t i = 0; i < d->n; i++) {
		added += !d->v[i].in_base;
		gone += !d->v[i].in_new;
		changed += d->v[i].in_base && d->v[i].in_new &&
			   memcmp(&d->v[i].base, &d->v[i].now, sizeof(d->v[i].base)) != 0;
	}
	fprintf(out, "\nSites by change in bytes (%zu changed, %zu new, %zu vanished, %zu in all):\n",
		changed, added, gone, d->n);
	fprintf(out, "  %11s %9s %11s %11s %11s  %s\n", "bytes", "", "count", "live", "peak", "site");
	for (size_t i = 0; i < d->n && (!top || shown < top); i++) {
		const struct mt_diff_site *s = &d->v[i];
		char x[32], p[32], l[32], k[32];

		if (s->in_base && s->in_new && memcmp(&s->base, &s->now, sizeof(s->base)) == 0)
			continue;
		fprintf(out, "  %11s %9s %+11" PRId64 " %11s %11s  ",
			signed_bytes(delta(s->base.alloc_bytes, s->now.alloc_bytes), x, sizeof(x)),
			percent(s->base.alloc_bytes, s->now.alloc_bytes, p, sizeof(p)),
			delta(s->base.allocs, s->now.allocs),
			signed_bytes(delta(s->base.live_bytes, s->now.live_bytes), l, sizeof(l)),
			signed_bytes(delta(s->base.peak_live_bytes, s->now.peak_live_bytes), k, sizeof(k)));
		site_name(out, s->shown);
		fprintf(out, " %s%s\n", s->shown->allocator,
			!s->in_base ? " [new]" : !s->in_new ? " [vanished]" : "");
		shown++;
	}
	return ferror(out) ? -(errno ? errno : EIO) : 0;
}

static json_t *counters_json(const struct mt_counters *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "allocs", json_integer((json_int_t)c->allocs));
	json_object_set_new(o, "alloc_bytes", json_integer((json_int_t)c->alloc_bytes));
	json_object_set_new(o, "frees", json_integer((json_int_t)c->frees));
	json_object_set_new(o, "live_bytes", json_integer((json_int_t)c->live_bytes));
	json_object_set_new(o, "peak_live_bytes", json_integer((json_int_t)c->peak_live_bytes));
	json_object_set_new(o, "temporary_allocs", json_integer((json_int_t)c->temporary_allocs));
	return o;
}

static json_t *delta_json(const struct mt_counters *a, const struct mt_counters *b)
{
	json_t *o = json_object();

	json_object_set_new(o, "allocs", json_integer(delta(a->allocs, b->allocs)));
	json_object_set_new(o, "alloc_bytes", json_integer(delta(a->alloc_bytes, b->alloc_bytes)));
	json_object_set_new(o, "live_bytes", json_integer(delta(a->live_bytes, b->live_bytes)));
	json_object_set_new(o, "peak_live_bytes",
			    json_integer(delta(a->peak_live_bytes, b->peak_live_bytes)));
	return o;
}

static json_t *frames_json(const struct mt_profile_site *s)
{
	json_t *a = json_array();

	for (uint32_t i = 0; i < s->nframes; i++) {
		json_t *f = json_object();

		json_object_set_new(f, "function", s->frames[i].function ?
				    json_string(s->frames[i].function) : json_null());
		json_object_set_new(f, "file", s->frames[i].file ? json_string(s->frames[i].file) : json_null());
		json_object_set_new(f, "line", json_integer(s->frames[i].line));
		json_object_set_new(f, "inline", json_boolean(s->frames[i].inlined));
		json_array_append_new(a, f);
	}
	return a;
}

int mt_diff_json(FILE *out, const struct mt_diff *d)
{
	json_t *root = json_object(), *sites = json_array();
	int err;

	json_object_set_new(root, "format", json_string("memtracer-diff"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "base_command", d->base->command ? json_string(d->base->command) : json_null());
	json_object_set_new(root, "new_command", d->now->command ? json_string(d->now->command) : json_null());
	json_object_set_new(root, "base", counters_json(&d->base->totals.c));
	json_object_set_new(root, "new", counters_json(&d->now->totals.c));
	json_object_set_new(root, "delta", delta_json(&d->base->totals.c, &d->now->totals.c));
	for (size_t i = 0; i < d->n; i++) {
		const struct mt_diff_site *s = &d->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "status", json_string(!s->in_base ? "new" : !s->in_new ? "vanished" :
			memcmp(&s->base, &s->now, sizeof(s->base)) ? "changed" : "same"));
		json_object_set_new(o, "allocator", json_string(s->shown->allocator));
		json_object_set_new(o, "site", json_integer(s->shown->site_frame));
		json_object_set_new(o, "frames", frames_json(s->shown));
		json_object_set_new(o, "base", s->in_base ? counters_json(&s->base) : json_null());
		json_object_set_new(o, "new", s->in_new ? counters_json(&s->now) : json_null());
		json_object_set_new(o, "delta", delta_json(&s->base, &s->now));
		json_array_append_new(sites, o);
	}
	json_object_set_new(root, "sites", sites);
	err = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (err || fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}
