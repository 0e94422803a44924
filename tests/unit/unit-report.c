/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Report writers from hand-built profiles, no ptrace: text and JSON are
 * compared with golden files byte for byte, the JSON is parsed back to
 * check every name, type and value scripts rely on, and the site order is
 * checked down to its last tie-break.
 *
 * UNIT_UPDATE_GOLDEN=1 rewrites a golden file that differs (then review
 * the change with git diff: that is the point of the golden file).
 */
#include "config.h"
#include "profile.h"
#include "report.h"
#include "util.h"
#include "unit.h"
#include "unit-profile.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

#define EXE_BASE 0x555555554000ULL
#define LIB_BASE 0x7f3a12340000ULL
#define GLIB_BASE 0x7f3a12800000ULL

static const char *top_srcdir;

/*
 * A parser killed by SIGSEGV, with every kind of site a report must show:
 * one with debug info behind an inlined wrapper (site frame 1), a truncated
 * one in a library without debug info, the overflow site, one that only
 * failed, at an address in no module, and one whose function is known
 * from the symbol table only.
 */
static struct mt_profile *sample(void)
{
	struct mt_profile *p = xcalloc(1, sizeof(*p));
	struct mt_profile_site *s;

	p->command = xstrdup("./parser input.txt");
	p->pid = 4242;
	p->exit_kind = MT_EXIT_SIGNAL;
	p->exit_value = 11;
	p->duration = 1.5;
	p->engine = xstrdup("int3");
	p->max_sites = 131072;
	p->depth = 128;

	s = add_site(p, "malloc", 3);
	s->site_frame = 1;
	s->c = (struct mt_counters){ 1000000, 9000000000ULL, 999990, 8999910000ULL,
				     10, 90000, 1800000, 1000, 0 };
	s->frames[0] = frame("xmalloc", "/src/util.h", 12, "/usr/bin/parser", EXE_BASE,
			     EXE_BASE + 0x1123, true);
	s->frames[1] = frame("parse_line", "/src/parser.c", 42, "/usr/bin/parser", EXE_BASE,
			     EXE_BASE + 0x1123, false);
	s->frames[2] = frame("main", "/src/main.c", 7, "/usr/bin/parser", EXE_BASE,
			     EXE_BASE + 0x1789, false);

	s = add_site(p, "new[]", 2);
	s->truncated = true;
	s->c = (struct mt_counters){ 234567, 876543210, 234010, 876000000, 557, 453210, 453210, 0, 1 };
	s->frames[0] = frame(NULL, NULL, 0, "/usr/lib/libfoo.so", LIB_BASE, LIB_BASE + 0x1234, false);
	s->frames[1] = frame("Foo::load(char const*)", NULL, 0, "/usr/lib/libfoo.so", LIB_BASE,
			     LIB_BASE + 0x2f00, false);

	s = add_site(p, "overflow", 0);
	s->overflow = true;
	s->c.allocs = 3;
	s->c.alloc_bytes = 300;
	s->c.frees = 3;
	s->c.freed_bytes = 300;
	s->c.peak_live_bytes = 200;

	s = add_site(p, "calloc", 1);
	s->c.failed_allocs = 1;
	s->frames[0] = frame(NULL, NULL, 0, NULL, 0, 0xdeadbeef, false);

	s = add_site(p, "realloc", 2);
	s->c = (struct mt_counters){ 999, 999000, 0, 0, 999, 999000, 999000, 0, 0 };
	s->frames[0] = frame("g_realloc", NULL, 0, "/usr/lib/libglib-2.0.so.0", GLIB_BASE,
			     GLIB_BASE + 0x5a0f1, false);
	s->frames[1] = frame("main", "/src/main.c", 9, "/usr/bin/parser", EXE_BASE,
			     EXE_BASE + 0x17a2, false);

	for (size_t i = 0; i < p->nsites; i++)
		mt_counters_add(&p->totals.c, &p->sites[i].c);
	p->totals.c.peak_live_bytes = 7654321;
	/* The peak: what two sites held then, and a short timeline. */
	p->has_peak = true;
	p->peak_time = 0.75;
	p->peak_events = 1234;
	p->sites[0].live_at_peak = 7000000;
	p->sites[1].live_at_peak = 654321;
	p->ntimeline = 3;
	p->timeline = xcalloc(3, sizeof(*p->timeline));
	p->timeline[0] = (struct mt_profile_point){ 0.25, 400, 1000000, 2000000 };
	p->timeline[1] = (struct mt_profile_point){ 0.75, 1234, 7654321, 7654321 };
	p->timeline[2] = (struct mt_profile_point){ 1.5, 2000, 512, 7000000 };
	p->totals.unknown_frees = 3;
	p->totals.overflow_events = 6;

	p->nmodules = 3;
	p->modules = xcalloc(3, sizeof(struct mt_module));
	p->modules[0] = (struct mt_module){ .path = xstrdup("/usr/bin/parser"),
		.start = EXE_BASE, .end = EXE_BASE + 0xc000, .bias = EXE_BASE,
		.build_id = xstrdup("0123abcd") };
	p->modules[1] = (struct mt_module){ .path = xstrdup("/usr/lib/libfoo.so"),
		.start = LIB_BASE, .end = LIB_BASE + 0x5000, .bias = LIB_BASE };
	p->modules[2] = (struct mt_module){ .path = xstrdup("/usr/lib/libglib-2.0.so.0"),
		.start = GLIB_BASE, .end = GLIB_BASE + 0x120000, .bias = GLIB_BASE,
		.build_id = xstrdup("fedcba9876543210") };
	return p;
}

static char *render_text(const struct mt_profile *p, const struct mt_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(mt_report_text(f, p, o) == 0);
	fclose(f);
	return buf;
}

static char *render_json(const struct mt_profile *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(mt_report_json(f, p) == 0);
	fclose(f);
	return buf;
}

static char *golden_path(const char *name)
{
	return xasprintf("%s/tests/unit/golden/%s", top_srcdir, name);
}

/* The whole file, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		buf = xgrow(buf, &cap, len + 4096, 1);
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static const char *next_line(const char *s, int *len)
{
	const char *nl = strchr(s, '\n');

	*len = nl ? (int)(nl - s) : (int)strlen(s);
	return nl ? nl + 1 : s + *len;
}

/* Shows where got first departs from want, diff style, and the whole output
 * for a look at the rest. */
static void show_difference(const char *name, const char *want, const char *got)
{
	const char *w = want, *g = got;
	int line = 1, wl, gl;

	for (;; line++) {
		const char *wn = next_line(w, &wl), *gn = next_line(g, &gl);

		if (wl != gl || memcmp(w, g, (size_t)wl) != 0 || (*wn == '\0') != (*gn == '\0'))
			break;
		if (*wn == '\0')
			break;
		w = wn;
		g = gn;
	}
	fprintf(stderr, "--- golden/%s\n+++ output\n@@ first difference at line %d @@\n"
		"-%.*s\n+%.*s\n", name, line, wl, w, gl, g);
	fprintf(stderr, "--- whole output:\n%s--- end (UNIT_UPDATE_GOLDEN=1 rewrites the file)\n", got);
}

static void golden(const char *name, const char *got)
{
	char *path = golden_path(name), *want = slurp(path);

	if (!want) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		unit_failures++;
	} else if (strcmp(want, got) != 0) {
		show_difference(name, want, got);
		unit_failures++;
	}
	if ((!want || strcmp(want, got) != 0) && getenv("UNIT_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		if (f) {
			fputs(got, f);
			fclose(f);
			fprintf(stderr, "%s rewritten\n", path);
		}
	}
	free(want);
	free(path);
}

/* The keys of obj, all of them and in this order. */
static void check_keys(json_t *obj, const char *const *keys, size_t n, const char *what)
{
	size_t i = 0;
	const char *key;
	json_t *val;

	CHECK(json_is_object(obj));
	json_object_foreach(obj, key, val) {
		if (i >= n || strcmp(key, keys[i]) != 0) {
			fprintf(stderr, "%s: key %zu is \"%s\", expected \"%s\"\n", what, i, key,
				i < n ? keys[i] : "(none)");
			unit_failures++;
			return;
		}
		i++;
	}
	CHECK_EQ_U64(i, n);
}

static void check_int(json_t *obj, const char *key, uint64_t want)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v)) {
		fprintf(stderr, "\"%s\" is not an integer\n", key);
		unit_failures++;
		return;
	}
	CHECK(json_integer_value(v) >= 0);
	CHECK_EQ_U64(json_integer_value(v), want);
}

static void check_str(json_t *obj, const char *key, const char *want)
{
	json_t *v = json_object_get(obj, key);

	if (!want) {
		if (!json_is_null(v)) {
			fprintf(stderr, "\"%s\" is not null\n", key);
			unit_failures++;
		}
		return;
	}
	CHECK(json_is_string(v));
	CHECK_STREQ(json_string_value(v), want);
}

static void check_bool(json_t *obj, const char *key, bool want)
{
	json_t *v = json_object_get(obj, key);

	CHECK(json_is_boolean(v));
	CHECK(json_is_true(v) == want);
}

/* Addresses are "0x" and lowercase hex, exact beyond 2^53. */
static void check_hex(json_t *obj, const char *key, uint64_t want)
{
	const char *s = json_string_value(json_object_get(obj, key));
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, want);
	CHECK_STREQ(s, buf);
}

static const char *const counter_keys[] = {
	"allocs", "alloc_bytes", "frees", "freed_bytes", "live_allocs", "live_bytes",
	"peak_live_bytes", "temporary_allocs", "failed_allocs",
};

static void check_counters(json_t *obj, const struct mt_counters *c)
{
	const uint64_t v[] = {
		c->allocs, c->alloc_bytes, c->frees, c->freed_bytes, c->live_allocs,
		c->live_bytes, c->peak_live_bytes, c->temporary_allocs, c->failed_allocs,
	};

	for (size_t i = 0; i < MT_ARRAY_SIZE(counter_keys); i++)
		check_int(obj, counter_keys[i], v[i]);
}

static void check_frame(json_t *obj, const struct mt_frame *f)
{
	static const char *const keys[] = {
		"function", "file", "line", "module", "address", "offset", "inline",
	};

	check_keys(obj, keys, MT_ARRAY_SIZE(keys), "frame");
	check_str(obj, "function", f->function);
	check_str(obj, "file", f->file);
	check_int(obj, "line", f->line);
	check_str(obj, "module", f->module);
	check_hex(obj, "address", f->address);
	check_hex(obj, "offset", f->offset);
	check_bool(obj, "inline", f->inlined);
}

static void check_site(json_t *obj, const struct mt_profile_site *s, bool with_peak)
{
	static const char *const keys[] = {
		"allocator", "allocs", "alloc_bytes", "frees", "freed_bytes", "live_allocs",
		"live_bytes", "peak_live_bytes", "temporary_allocs", "failed_allocs",
		"truncated", "overflow", "site", "live_at_peak", "frames",
	};
	static const char *const keys_no_peak[] = {
		"allocator", "allocs", "alloc_bytes", "frees", "freed_bytes", "live_allocs",
		"live_bytes", "peak_live_bytes", "temporary_allocs", "failed_allocs",
		"truncated", "overflow", "site", "frames",
	};
	json_t *frames = json_object_get(obj, "frames");

	if (with_peak)
		check_keys(obj, keys, MT_ARRAY_SIZE(keys), "site");
	else
		check_keys(obj, keys_no_peak, MT_ARRAY_SIZE(keys_no_peak), "site");
	check_str(obj, "allocator", s->allocator);
	check_counters(obj, &s->c);
	check_bool(obj, "truncated", s->truncated);
	check_bool(obj, "overflow", s->overflow);
	check_int(obj, "site", s->site_frame);
	if (with_peak)
		check_int(obj, "live_at_peak", s->live_at_peak);
	CHECK(json_is_array(frames));
	CHECK_EQ_U64(json_array_size(frames), s->nframes);
	for (uint32_t i = 0; i < s->nframes && i < json_array_size(frames); i++)
		check_frame(json_array_get(frames, i), &s->frames[i]);
}

static void check_module(json_t *obj, const struct mt_module *m)
{
	static const char *const keys[] = { "path", "start", "end", "bias", "build_id" };

	check_keys(obj, keys, MT_ARRAY_SIZE(keys), "module");
	check_str(obj, "path", m->path);
	check_hex(obj, "start", m->start);
	check_hex(obj, "end", m->end);
	check_hex(obj, "bias", m->bias);
	check_str(obj, "build_id", m->build_id);
}

/* Parses the JSON report back and checks every key, in order, with its
 * type and value, against the profile it was written from. */
static void check_json(const char *text, const struct mt_profile *p)
{
	static const char *const keys[] = {
		"format", "version", "command", "pid", "exit_status", "exit_signal",
		"duration", "engine", "max_sites", "depth", "min_size", "totals",
		"peak", "timeline", "sites", "modules",
	};
	static const char *const keys_no_peak[] = {
		"format", "version", "command", "pid", "exit_status", "exit_signal",
		"duration", "engine", "max_sites", "depth", "min_size", "totals",
		"sites", "modules",
	};
	static const char *const total_keys[] = {
		"allocs", "alloc_bytes", "frees", "freed_bytes", "live_allocs", "live_bytes",
		"peak_live_bytes", "temporary_allocs", "failed_allocs",
		"unknown_frees", "overflow_events", "filtered_allocs",
	};
	json_error_t err;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err), *totals, *sites, *mods;
	size_t len = strlen(text);

	CHECK(len > 0 && text[len - 1] == '\n' && (len < 2 || text[len - 2] != '\n'));
	if (!root) {
		fprintf(stderr, "JSON report does not parse: line %d: %s\n", err.line, err.text);
		unit_failures++;
		return;
	}
	if (p->has_peak) {
		check_keys(root, keys, MT_ARRAY_SIZE(keys), "profile");
		check_int(json_object_get(root, "peak"), "live_bytes", p->totals.c.peak_live_bytes);
		check_int(json_object_get(root, "peak"), "events", p->peak_events);
	} else {
		check_keys(root, keys_no_peak, MT_ARRAY_SIZE(keys_no_peak), "profile");
	}
	CHECK_EQ_U64(json_array_size(json_object_get(root, "timeline")), p->ntimeline);
	for (size_t i = 0; i < p->ntimeline; i++) {
		json_t *pt = json_array_get(json_object_get(root, "timeline"), i);

		check_int(pt, "events", p->timeline[i].events);
		check_int(pt, "live_bytes", p->timeline[i].live_bytes);
		check_int(pt, "max_live_bytes", p->timeline[i].max_live_bytes);
	}
	check_str(root, "format", "memtracer-profile");
	check_int(root, "version", 1);
	check_str(root, "command", p->command);
	check_int(root, "pid", (uint64_t)p->pid);
	switch (p->exit_kind) {
	case MT_EXIT_CODE:
		check_int(root, "exit_status", (uint64_t)p->exit_value);
		CHECK(json_is_null(json_object_get(root, "exit_signal")));
		break;
	case MT_EXIT_SIGNAL:
		check_int(root, "exit_status", 128 + (uint64_t)p->exit_value);
		check_int(root, "exit_signal", (uint64_t)p->exit_value);
		break;
	case MT_EXIT_UNKNOWN:
		CHECK(json_is_null(json_object_get(root, "exit_status")));
		CHECK(json_is_null(json_object_get(root, "exit_signal")));
		break;
	}
	CHECK(json_is_real(json_object_get(root, "duration")));
	CHECK(json_real_value(json_object_get(root, "duration")) == p->duration);
	check_str(root, "engine", "int3");
	check_int(root, "max_sites", p->max_sites);
	check_int(root, "depth", p->depth);
	check_int(root, "min_size", p->min_size);

	totals = json_object_get(root, "totals");
	check_keys(totals, total_keys, MT_ARRAY_SIZE(total_keys), "totals");
	check_counters(totals, &p->totals.c);
	check_int(totals, "unknown_frees", p->totals.unknown_frees);
	check_int(totals, "overflow_events", p->totals.overflow_events);
	check_int(totals, "filtered_allocs", p->totals.filtered_allocs);

	sites = json_object_get(root, "sites");
	CHECK(json_is_array(sites));
	CHECK_EQ_U64(json_array_size(sites), p->nsites);
	for (size_t i = 0; i < p->nsites && i < json_array_size(sites); i++)
		check_site(json_array_get(sites, i), &p->sites[i], p->has_peak);

	mods = json_object_get(root, "modules");
	CHECK(json_is_array(mods));
	CHECK_EQ_U64(json_array_size(mods), p->nmodules);
	for (size_t i = 0; i < p->nmodules && i < json_array_size(mods); i++)
		check_module(json_array_get(mods, i), &p->modules[i]);
	json_decref(root);
}

static void test_units(void)
{
	static const struct { uint64_t v; const char *s; } cases[] = {
		{ 0, "0 B" }, { 1, "1 B" }, { 1023, "1023 B" }, { 1024, "1.0 KiB" },
		{ 1536, "1.5 KiB" }, { 10239, "10.0 KiB" },
		/* 1023.94 KiB stays in KiB; 1023.95 would print as "1024.0 KiB". */
		{ 1048524, "1023.9 KiB" }, { 1048525, "1.0 MiB" }, { 1048575, "1.0 MiB" },
		{ 1048576, "1.0 MiB" }, { 1ULL << 30, "1.0 GiB" }, { 3ULL << 29, "1.5 GiB" },
		{ 1ULL << 40, "1.0 TiB" }, { 1ULL << 50, "1.0 PiB" }, { 1ULL << 60, "1.0 EiB" },
		{ UINT64_MAX, "16.0 EiB" },
	};
	char buf[32];

	for (size_t i = 0; i < MT_ARRAY_SIZE(cases); i++)
		CHECK_STREQ(mt_human_bytes(cases[i].v, buf, sizeof(buf)), cases[i].s);
	/* A short buffer is cut, never overrun. */
	CHECK_STREQ(mt_human_bytes(1536, buf, 4), "1.5");

	CHECK(mt_format_from_path("x.json") == MT_FORMAT_JSON);
	CHECK(mt_format_from_path("/tmp/out.json") == MT_FORMAT_JSON);
	CHECK(mt_format_from_path(".json") == MT_FORMAT_JSON);
	CHECK(mt_format_from_path("x.txt") == MT_FORMAT_TEXT);
	CHECK(mt_format_from_path("x.json.txt") == MT_FORMAT_TEXT);
	CHECK(mt_format_from_path("json") == MT_FORMAT_TEXT);
	CHECK(mt_format_from_path("") == MT_FORMAT_TEXT);
	CHECK(mt_format_from_name("text") == MT_FORMAT_TEXT);
	CHECK(mt_format_from_name("json") == MT_FORMAT_JSON);
	CHECK(mt_format_from_name("collapsed") == MT_FORMAT_COLLAPSED);
	CHECK(mt_format_from_name("xml") == -1);
	CHECK(mt_format_from_name("") == -1);
	CHECK(mt_sort_from_name("bytes") == MT_SORT_BYTES);
	CHECK(mt_sort_from_name("count") == MT_SORT_COUNT);
	CHECK(mt_sort_from_name("live") == MT_SORT_LIVE);
	CHECK(mt_sort_from_name("peak") == MT_SORT_PEAK);
	CHECK(mt_sort_from_name("size") == -1);
	CHECK(mt_sort_from_name("") == -1);
}

static struct mt_profile_site *num_site(struct mt_profile *p, uint64_t bytes, uint64_t allocs,
					uint64_t live, uint64_t peak)
{
	struct mt_profile_site *s = add_site(p, "malloc", 1);

	s->c.alloc_bytes = bytes;
	s->c.allocs = allocs;
	s->c.live_bytes = live;
	s->c.peak_live_bytes = peak;
	s->frames[0] = frame("f", "f.c", 1, NULL, 0, 0x1000, false);
	return s;
}

/* Checks that the sites come out in the order of want (frames pointers,
 * which identify a site wherever qsort moves it). */
static void check_order(const struct mt_profile *p, struct mt_frame *const *want,
			const char *what)
{
	for (size_t i = 0; i < p->nsites; i++)
		if (p->sites[i].frames != want[i]) {
			size_t at = 0;

			while (at < p->nsites && want[at] != p->sites[i].frames)
				at++;
			fprintf(stderr, "%s: position %zu holds the site expected at %zu\n",
				what, i, at);
			unit_failures++;
			return;
		}
}

static void test_sort_keys(void)
{
	struct mt_profile *p = xcalloc(1, sizeof(*p));
	struct mt_frame *id[4];
	struct mt_frame *by_bytes[4], *by_count[4], *by_live[4], *by_peak[4];

	id[0] = num_site(p, 400, 1, 0, 250)->frames;
	id[1] = num_site(p, 300, 4, 10, 400)->frames;
	id[2] = num_site(p, 200, 3, 30, 300)->frames;
	id[3] = num_site(p, 100, 2, 20, 200)->frames;
	memcpy(by_bytes, (struct mt_frame *[]){ id[0], id[1], id[2], id[3] }, sizeof(by_bytes));
	memcpy(by_count, (struct mt_frame *[]){ id[1], id[2], id[3], id[0] }, sizeof(by_count));
	memcpy(by_live, (struct mt_frame *[]){ id[2], id[3], id[1], id[0] }, sizeof(by_live));
	memcpy(by_peak, (struct mt_frame *[]){ id[1], id[2], id[0], id[3] }, sizeof(by_peak));
	mt_profile_sort(p, MT_SORT_COUNT);
	check_order(p, by_count, "sort by count");
	mt_profile_sort(p, MT_SORT_LIVE);
	check_order(p, by_live, "sort by live");
	mt_profile_sort(p, MT_SORT_PEAK);
	check_order(p, by_peak, "sort by peak");
	mt_profile_sort(p, MT_SORT_BYTES);
	check_order(p, by_bytes, "sort by bytes");
	mt_profile_free(p);

	/* No sites at all (sites may be NULL). */
	p = xcalloc(1, sizeof(*p));
	mt_profile_sort(p, MT_SORT_BYTES);
	CHECK_EQ_U64(p->nsites, 0);
	mt_profile_free(p);
}

/* A site that ties with every other on the numbers, told apart by what it
 * shows: its site frame's file, function and line, then its allocator, then
 * the rest of its stack, then its flags. */
static struct mt_frame *tie_site(struct mt_profile *p, const char *allocator, const char *fn,
				 const char *file, uint32_t line, uint32_t outer_line,
				 bool truncated)
{
	struct mt_profile_site *s = add_site(p, allocator, fn ? (outer_line ? 2 : 1) : 0);

	s->c.alloc_bytes = 10;
	s->c.allocs = 1;
	s->truncated = truncated;
	if (fn)
		s->frames[0] = frame(fn, file, line, "/bin/t", 0x1000, 0x1100 + line, false);
	if (outer_line)
		s->frames[1] = frame("main", "m.c", outer_line, "/bin/t", 0x1000, 0x1200, false);
	return s->frames;
}

static void test_sort_ties(void)
{
	struct mt_profile *p = xcalloc(1, sizeof(*p));
	struct mt_frame *want[13];
	size_t n = 0;
	uint64_t seed = 42;

	/* In their expected order, for any key: live is 0 everywhere. */
	want[n++] = num_site(p, 60, 1, 0, 0)->frames;		/* most bytes */
	want[n++] = num_site(p, 50, 7, 0, 0)->frames;		/* then most allocations */
	want[n++] = num_site(p, 50, 5, 0, 0)->frames;
	want[n++] = tie_site(p, "malloc", NULL, NULL, 0, 0, false);	/* no stack */
	want[n++] = tie_site(p, "malloc", NULL, NULL, 0, 0, true);
	want[n++] = tie_site(p, "malloc", "zeta", "a.c", 5, 0, false);	/* by file */
	want[n++] = tie_site(p, "malloc", "alpha", "b.c", 1, 0, false);	/* by function */
	want[n++] = tie_site(p, "malloc", "beta", "b.c", 1, 0, false);
	want[n++] = tie_site(p, "malloc", "beta", "b.c", 2, 0, false);	/* by line */
	want[n++] = tie_site(p, "new", "beta", "b.c", 2, 0, false);	/* by allocator */
	want[n++] = tie_site(p, "new", "beta", "b.c", 2, 3, false);	/* longer stack */
	want[n++] = tie_site(p, "new", "beta", "b.c", 2, 4, false);	/* by outer frame */
	want[n++] = tie_site(p, "new", "beta", "b.c", 2, 4, true);	/* truncated last */

	/* The same order whatever order the sites come in. */
	for (int round = 0; round < 20; round++) {
		for (size_t i = p->nsites - 1; i > 0; i--) {
			struct mt_profile_site tmp;
			size_t j;

			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			j = (size_t)(seed >> 33) % (i + 1);
			tmp = p->sites[i];
			p->sites[i] = p->sites[j];
			p->sites[j] = tmp;
		}
		mt_profile_sort(p, round % 2 ? MT_SORT_LIVE : MT_SORT_BYTES);
		check_order(p, want, "ties");
	}
	mt_profile_free(p);
}

/* A run that exited, with --min-size filtering and no sites. */
static void test_exit_code(void)
{
	struct mt_profile *p = xcalloc(1, sizeof(*p));
	struct mt_report_opts o = { .top = 10, .sort = MT_SORT_PEAK };
	char *text, *json;

	p->command = xstrdup("/bin/true");
	p->pid = 7;
	p->exit_kind = MT_EXIT_CODE;
	p->exit_value = 0;
	p->duration = 0.25;
	p->engine = xstrdup("int3");
	p->max_sites = 1000;
	p->depth = 64;
	p->min_size = 64;
	p->totals.c.allocs = 12;
	p->totals.c.alloc_bytes = 120;
	p->totals.c.frees = 12;
	p->totals.c.freed_bytes = 120;
	p->totals.c.peak_live_bytes = 30;
	p->totals.filtered_allocs = 12;

	text = render_text(p, &o);
	CHECK(strstr(text, "memtracer: /bin/true (pid 7) exited with status 0 after 0.25 s\n"));
	CHECK(strstr(text, "12 allocations below --min-size 64 are in the totals only"));
	CHECK(strstr(text, "Top 0 call sites by peak live bytes (of 0):"));
	CHECK(!strstr(text, "overflow"));
	CHECK(!strstr(text, "not freed"));
	free(text);
	json = render_json(p);
	check_json(json, p);
	free(json);

	/* Detached from a live process: no exit status to speak of. */
	p->exit_kind = MT_EXIT_UNKNOWN;
	text = render_text(p, &o);
	CHECK(strstr(text, "(pid 7) was still running when memtracer detached after 0.25 s\n"));
	CHECK(strstr(text, "live figures cover only the allocations seen while attached"));
	free(text);
	json = render_json(p);
	check_json(json, p);
	free(json);
	mt_profile_free(p);
}

/* Integers exact up to 2^63 - 1, addresses exact to 2^64 - 1. */
static void test_big_numbers(void)
{
	struct mt_profile *p = xcalloc(1, sizeof(*p));
	struct mt_profile_site *s;
	char *json;

	p->command = xstrdup("big");
	p->exit_kind = MT_EXIT_SIGNAL;
	p->exit_value = 9;
	p->engine = xstrdup("int3");
	p->totals.c.alloc_bytes = INT64_MAX;
	p->totals.c.allocs = (1ULL << 53) + 1;	/* not a double */
	s = add_site(p, "malloc", 1);
	s->c.alloc_bytes = INT64_MAX;
	s->c.allocs = (1ULL << 53) + 1;
	s->frames[0] = frame(NULL, NULL, 0, "/x", 0x7ffff7dd0000ULL, 0xfffffffffffff123ULL, false);
	json = render_json(p);
	check_json(json, p);
	CHECK(strstr(json, "\"alloc_bytes\": 9223372036854775807"));
	CHECK(strstr(json, "\"allocs\": 9007199254740993"));
	CHECK(strstr(json, "\"address\": \"0xfffffffffffff123\""));
	free(json);
	mt_profile_free(p);
}

/* Writing to a stream that fails is an error, not a silent short report. */
static void test_write_error(void)
{
	struct mt_profile *p = sample();
	struct mt_report_opts o = { .top = 0, .sort = MT_SORT_BYTES, .stacks = true };
	FILE *f = fopen("/dev/full", "w");
	static char buf[64];	/* glibc ignores the size without a buffer */

	if (!f) {
		mt_profile_free(p);
		return;
	}
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	CHECK(mt_report_text(f, p, &o) < 0);
	clearerr(f);
	CHECK(mt_report_json(f, p) < 0);
	fclose(f);
	mt_profile_free(p);
}

int main(void)
{
	struct mt_profile *p;
	struct mt_report_opts all = { .top = 0, .sort = MT_SORT_BYTES, .stacks = true };
	struct mt_report_opts top1 = { .top = 1, .sort = MT_SORT_BYTES };
	char *text, *json;

	top_srcdir = getenv("top_srcdir");
	if (!top_srcdir) {
		fputs("top_srcdir is not set: run through make check\n", stderr);
		return 99;
	}
	test_units();
	test_sort_keys();
	test_sort_ties();
	test_exit_code();
	test_big_numbers();
	test_write_error();

	p = sample();
	mt_profile_sort(p, MT_SORT_BYTES);
	text = render_text(p, &all);
	golden("report.txt", text);
	free(text);
	text = render_text(p, &top1);
	golden("report-top1.txt", text);
	free(text);
	json = render_json(p);
	golden("report.json", json);
	check_json(json, p);
	free(json);
	mt_profile_free(p);
	return UNIT_DONE();
}
