/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Report writers from a hand-built profile, no ptrace: text and JSON are
 * compared with golden files byte for byte, and the JSON is parsed back to
 * check every name and type scripts rely on.
 */
#include "config.h"
#include "profile.h"
#include "report.h"
#include "util.h"
#include "unit.h"

#include <jansson.h>
#include <stdlib.h>

static struct mt_frame frame(const char *fn, const char *file, uint32_t line,
			     const char *module, uint64_t addr, bool inlined)
{
	return (struct mt_frame){
		.function = fn ? xstrdup(fn) : NULL, .file = file ? xstrdup(file) : NULL,
		.line = line, .module = module ? xstrdup(module) : NULL,
		.address = addr, .offset = addr - 0x555555554000ULL, .inlined = inlined,
	};
}

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
	p->totals.c = (struct mt_counters){ 1234567, 9876543210ULL, 1234000, 9876000000ULL,
					    567, 543210, 7654321, 1000, 2 };
	p->totals.unknown_frees = 3;
	p->totals.overflow_events = 5;
	p->nsites = 4;
	p->sites = s = xcalloc(4, sizeof(*s));
	s[0] = (struct mt_profile_site){ .allocator = xstrdup("malloc"), .nframes = 3, .site_frame = 1,
		.c = { 1000000, 9000000000ULL, 999990, 8999910000ULL, 10, 90000, 1800000, 1000, 0 } };
	s[0].frames = xcalloc(3, sizeof(struct mt_frame));
	s[0].frames[0] = frame("xmalloc", "/src/util.c", 12, "/usr/bin/parser", 0x555555555123ULL, false);
	s[0].frames[1] = frame("parse_line", "/src/parser.c", 42, "/usr/bin/parser", 0x555555555456ULL, true);
	s[0].frames[2] = frame("main", "/src/main.c", 7, "/usr/bin/parser", 0x555555555789ULL, false);
	s[1] = (struct mt_profile_site){ .allocator = xstrdup("new[]"), .nframes = 1, .truncated = true,
		.c = { 234567, 876543210, 234010, 876000000, 557, 453210, 453210, 0, 2 } };
	s[1].frames = xcalloc(1, sizeof(struct mt_frame));
	s[1].frames[0] = frame(NULL, NULL, 0, "/usr/lib/libfoo.so", 0x7f0000001234ULL, false);
	s[2] = (struct mt_profile_site){ .allocator = xstrdup("overflow"), .overflow = true,
		.c = { 0, 0, 0, 0, 0, 0, 0, 0, 0 } };
	s[2].c.allocs = 3;
	s[2].c.alloc_bytes = 300;
	s[2].frames = xcalloc(1, sizeof(struct mt_frame));
	s[3] = (struct mt_profile_site){ .allocator = xstrdup("calloc"), .nframes = 1,
		.c = { 0, 0, 0, 0, 0, 0, 0, 0, 0 } };
	s[3].frames = xcalloc(1, sizeof(struct mt_frame));
	s[3].frames[0] = frame(NULL, NULL, 0, NULL, 0xdeadbeef, false);
	p->nmodules = 1;
	p->modules = xcalloc(1, sizeof(struct mt_module));
	p->modules[0] = (struct mt_module){ .path = xstrdup("/usr/bin/parser"),
		.start = 0x555555554000ULL, .end = 0x555555560000ULL, .bias = 0x555555554000ULL,
		.build_id = xstrdup("0123abcd") };
	return p;
}

static char *render(int (*fn)(FILE *, const struct mt_profile *, const struct mt_report_opts *),
		    const struct mt_profile *p, const struct mt_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(fn(f, p, o) == 0);
	fclose(f);
	return buf;
}

static int json_writer(FILE *f, const struct mt_profile *p, const struct mt_report_opts *o)
{
	return mt_report_json(f, p);
}

static char *slurp(const char *name)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/tests/unit/golden/%s", top ? top : "../..", name);
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0;

	free(path);
	if (!f)
		return xstrdup("");
	buf = xmalloc(cap = 1 << 16);
	len = fread(buf, 1, cap - 1, f);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static void golden(const char *name, const char *got)
{
	char *want = slurp(name);

	if (strcmp(want, got) != 0) {
		fprintf(stderr, "%s differs; got:\n%s\n--- expected:\n%s\n", name, got, want);
		unit_failures++;
		if (getenv("UNIT_UPDATE_GOLDEN")) {
			char *path = xasprintf("%s/tests/unit/golden/%s", getenv("top_srcdir"), name);
			FILE *f = fopen(path, "w");
			fputs(got, f);
			fclose(f);
			free(path);
		}
	}
	free(want);
}

static void check_json(const char *text)
{
	json_error_t err;
	json_t *root = json_loads(text, 0, &err), *site, *fr;

	CHECK(root != NULL);
	if (!root)
		return;
	CHECK_STREQ(json_string_value(json_object_get(root, "format")), "memtracer-profile");
	CHECK_EQ_U64(json_integer_value(json_object_get(root, "version")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(root, "exit_status")), 139);
	CHECK_EQ_U64(json_integer_value(json_object_get(root, "exit_signal")), 11);
	CHECK_EQ_U64(json_integer_value(json_object_get(json_object_get(root, "totals"), "alloc_bytes")),
		     9876543210ULL);
	CHECK_EQ_U64(json_array_size(json_object_get(root, "sites")), 4);
	site = json_array_get(json_object_get(root, "sites"), 0);
	CHECK_EQ_U64(json_integer_value(json_object_get(site, "site")), 1);
	fr = json_array_get(json_object_get(site, "frames"), 1);
	CHECK_STREQ(json_string_value(json_object_get(fr, "function")), "parse_line");
	CHECK_STREQ(json_string_value(json_object_get(fr, "address")), "0x555555555456");
	CHECK(json_is_true(json_object_get(fr, "inline")));
	fr = json_array_get(json_object_get(json_array_get(json_object_get(root, "sites"), 1), "frames"), 0);
	CHECK(json_is_null(json_object_get(fr, "function")));
	CHECK_EQ_U64(json_integer_value(json_object_get(fr, "line")), 0);
	json_decref(root);
}

static void test_units(void)
{
	static const struct { uint64_t v; const char *s; } cases[] = {
		{ 0, "0 B" }, { 1023, "1023 B" }, { 1024, "1.0 KiB" }, { 1536, "1.5 KiB" },
		{ 1048524, "1023.9 KiB" }, { 1048575, "1.0 MiB" }, { 1ULL << 30, "1.0 GiB" },
		{ UINT64_MAX, "16.0 EiB" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STREQ(mt_human_bytes(cases[i].v, buf, sizeof(buf)), cases[i].s);
	CHECK(mt_format_from_path("x.json") == MT_FORMAT_JSON);
	CHECK(mt_format_from_path("x.txt") == MT_FORMAT_TEXT);
	CHECK(mt_format_from_path("json") == MT_FORMAT_TEXT);
	CHECK(mt_format_from_name("xml") == -1);
	CHECK(mt_sort_from_name("peak") == MT_SORT_PEAK);
	CHECK(mt_sort_from_name("size") == -1);
}

static void test_sort(struct mt_profile *p)
{
	mt_profile_sort(p, MT_SORT_COUNT);
	CHECK_STREQ(p->sites[0].allocator, "malloc");
	mt_profile_sort(p, MT_SORT_LIVE);
	CHECK_STREQ(p->sites[0].allocator, "new[]");
	/* Ties (two sites with no bytes) are broken the same way every time. */
	mt_profile_sort(p, MT_SORT_BYTES);
	CHECK_STREQ(p->sites[2].allocator, "overflow");
	CHECK_STREQ(p->sites[3].allocator, "calloc");
}

int main(void)
{
	struct mt_profile *p = sample();
	struct mt_report_opts all = { .top = 0, .sort = MT_SORT_BYTES, .stacks = true };
	struct mt_report_opts top1 = { .top = 1, .sort = MT_SORT_BYTES };
	char *text, *json;

	test_units();
	test_sort(p);
	text = render(mt_report_text, p, &all);
	golden("report.txt", text);
	free(text);
	text = render(mt_report_text, p, &top1);
	golden("report-top1.txt", text);
	free(text);
	json = render(json_writer, p, NULL);
	golden("report.json", json);
	check_json(json);
	free(json);
	mt_profile_free(p);
	return UNIT_DONE();
}
