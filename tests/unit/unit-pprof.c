/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pprof writer, decoded again: the output is gunzipped with zlib and
 * unpacked with protobuf-c, and every table is checked against the profile
 * it came from (string 0, sample types, values, labels, the inline lines of
 * one location, deduplication of locations and functions, mappings and what
 * they claim, pseudo frames, comments), plus write errors.
 */
#include "config.h"
#include "report.h"
#include "util.h"
#include "pprof.pb-c.h"
#include "unit.h"
#include "unit-profile.h"

#include <stdlib.h>
#include <zlib.h>

#define EXE_BASE 0x555555554000ULL
#define LIB_BASE 0x7f3a12340000ULL

/* A site with the four counts a pprof sample carries. */
static struct mt_profile_site *add_counted(struct mt_profile *p, const char *allocator,
					   uint32_t nframes, uint64_t allocs, uint64_t bytes,
					   uint64_t live_allocs, uint64_t live_bytes)
{
	struct mt_profile_site *s = add_site(p, allocator, nframes);

	s->c.allocs = allocs;
	s->c.alloc_bytes = bytes;
	s->c.live_allocs = live_allocs;
	s->c.live_bytes = live_bytes;
	return s;
}

/*
 * Site 0: parse_name inlined into parse (one address), called from main.
 * Site 1: a library frame with no symbol, then the same main call site.
 * Site 2: the overflow site.  Site 3: a site with no frames at all.
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
	p->nmodules = 2;
	p->modules = xcalloc(2, sizeof(*p->modules));
	p->modules[0] = (struct mt_module){ .path = xstrdup("/usr/bin/parser"),
		.start = EXE_BASE, .end = EXE_BASE + 0x5000, .bias = EXE_BASE,
		.build_id = xstrdup("00112233445566778899aabbccddeeff00112233") };
	p->modules[1] = (struct mt_module){ .path = xstrdup("/usr/lib/libz.so.1"),
		.start = LIB_BASE, .end = LIB_BASE + 0x20000, .bias = LIB_BASE };
	p->totals.c.peak_live_bytes = 9999;

	s = add_counted(p, "malloc", 3, 10, 1000, 2, 200);
	s->frames[0] = frame("parse_name", "/src/parse.c", 12, "/usr/bin/parser", EXE_BASE,
			     EXE_BASE + 0x1234, true);
	s->frames[1] = frame("parse", "/src/parse.c", 40, "/usr/bin/parser", EXE_BASE,
			     EXE_BASE + 0x1234, false);
	s->frames[2] = frame("main", "/src/main.c", 7, "/usr/bin/parser", EXE_BASE,
			     EXE_BASE + 0x1100, false);
	s = add_counted(p, "new[]", 2, 3, 300000, 3, 300000);
	s->frames[0] = frame(NULL, NULL, 0, "/usr/lib/libz.so.1", LIB_BASE, LIB_BASE + 0x4567, false);
	s->frames[1] = frame("main", "/src/main.c", 7, "/usr/bin/parser", EXE_BASE,
			     EXE_BASE + 0x1100, false);
	s = add_counted(p, "malloc", 0, 5, 50, 0, 0);
	s->overflow = true;
	add_counted(p, "calloc", 0, 1, 8, 1, 8);
	return p;
}

/* Renders p as pprof and decodes it again; NULL when that fails. */
static Pprof__Profile *roundtrip(const struct mt_profile *p, enum mt_sort sort)
{
	char *gz = NULL;
	size_t gzlen = 0, cap = 1 << 20;
	FILE *f = open_memstream(&gz, &gzlen);
	uint8_t *raw = xmalloc(cap);
	z_stream zs = { 0 };
	Pprof__Profile *msg = NULL;

	CHECK(mt_report_pprof(f, p, sort) == 0);
	fclose(f);
	CHECK(gzlen > 2 && (uint8_t)gz[0] == 0x1f && (uint8_t)gz[1] == 0x8b);
	if (inflateInit2(&zs, 15 + 16) == Z_OK) {
		zs.next_in = (uint8_t *)gz;
		zs.avail_in = (uInt)gzlen;
		zs.next_out = raw;
		zs.avail_out = (uInt)cap;
		if (inflate(&zs, Z_FINISH) == Z_STREAM_END)
			msg = pprof__profile__unpack(NULL, zs.total_out, raw);
		inflateEnd(&zs);
	}
	CHECK(msg != NULL);
	free(raw);
	free(gz);
	return msg;
}

static const char *str(const Pprof__Profile *m, int64_t i)
{
	return i >= 0 && (size_t)i < m->n_string_table ? m->string_table[i] : "(out of range)";
}

static const Pprof__Location *location(const Pprof__Profile *m, uint64_t id)
{
	for (size_t i = 0; i < m->n_location; i++)
		if (m->location[i]->id == id)
			return m->location[i];
	return NULL;
}

static const Pprof__Function *function(const Pprof__Profile *m, uint64_t id)
{
	for (size_t i = 0; i < m->n_function; i++)
		if (m->function[i]->id == id)
			return m->function[i];
	return NULL;
}

/* "name file:line" of a location's line i, for comparisons. */
static char *line_text(const Pprof__Profile *m, uint64_t loc_id, size_t i)
{
	const Pprof__Location *loc = location(m, loc_id);
	const Pprof__Function *fn = loc && i < loc->n_line ? function(m, loc->line[i]->function_id) : NULL;

	if (!fn)
		return xstrdup("(none)");
	return xasprintf("%s %s:%" PRId64, str(m, fn->name), str(m, fn->filename), loc->line[i]->line);
}

#define CHECK_LINE(m, loc, i, want) do { \
	char *got_ = line_text(m, loc, i); \
	CHECK_STREQ(got_, want); \
	free(got_); \
} while (0)

static void check_header(const Pprof__Profile *m)
{
	static const char *const types[][2] = {
		{ "alloc_objects", "count" }, { "alloc_space", "bytes" },
		{ "inuse_objects", "count" }, { "inuse_space", "bytes" },
	};

	CHECK(m->n_string_table > 0);
	CHECK_STREQ(str(m, 0), "");
	CHECK_EQ_U64(m->n_sample_type, 4);
	for (size_t i = 0; i < 4 && i < m->n_sample_type; i++) {
		CHECK_STREQ(str(m, m->sample_type[i]->type), types[i][0]);
		CHECK_STREQ(str(m, m->sample_type[i]->unit), types[i][1]);
	}
	CHECK_EQ_U64(m->duration_nanos, 1500000000);
	CHECK_EQ_U64(m->period, 1);
	CHECK(m->n_comment >= 3);
	if (m->n_comment >= 3) {
		CHECK_STREQ(str(m, m->comment[0]),
			    "memtracer " PACKAGE_VERSION " profile of pid 4242: ./parser input.txt");
		CHECK_STREQ(str(m, m->comment[1]), "killed by signal 11");
		CHECK_STREQ(str(m, m->comment[2]), "peak live bytes 9999");
	}
}

static void check_values(const Pprof__Profile *m)
{
	static const int64_t want[][4] = {
		{ 10, 1000, 2, 200 }, { 3, 300000, 3, 300000 }, { 5, 50, 0, 0 }, { 1, 8, 1, 8 },
	};
	static const char *const allocator[] = { "malloc", "new[]", "malloc", "calloc" };

	CHECK_EQ_U64(m->n_sample, 4);
	for (size_t i = 0; i < 4 && i < m->n_sample; i++) {
		const Pprof__Sample *s = m->sample[i];

		CHECK_EQ_U64(s->n_value, 4);
		for (size_t j = 0; j < 4 && j < s->n_value; j++)
			CHECK_EQ_U64(s->value[j], want[i][j]);
		CHECK_EQ_U64(s->n_label, 1);
		if (s->n_label == 1) {
			CHECK_STREQ(str(m, s->label[0]->key), "allocator");
			CHECK_STREQ(str(m, s->label[0]->str), allocator[i]);
		}
	}
}

static void check_stacks(const Pprof__Profile *m)
{
	const Pprof__Sample *s0 = m->sample[0], *s1 = m->sample[1];
	const Pprof__Location *inl;

	/* parse_name inlined into parse: one location, two lines. */
	CHECK_EQ_U64(s0->n_location_id, 2);
	inl = location(m, s0->location_id[0]);
	CHECK(inl && inl->n_line == 2 && inl->address == EXE_BASE + 0x1234 && inl->mapping_id == 1);
	CHECK_LINE(m, s0->location_id[0], 0, "parse_name /src/parse.c:12");
	CHECK_LINE(m, s0->location_id[0], 1, "parse /src/parse.c:40");
	CHECK_LINE(m, s0->location_id[1], 0, "main /src/main.c:7");
	/* The library frame has no symbol: named like the other reports. */
	CHECK_EQ_U64(s1->n_location_id, 2);
	CHECK_LINE(m, s1->location_id[0], 0, "libz.so.1+0x4567 :0");
	CHECK(location(m, s1->location_id[0]) && location(m, s1->location_id[0])->mapping_id == 2);
	/* The same frame in two stacks is one location, one function. */
	CHECK_EQ_U64(s1->location_id[1], s0->location_id[1]);
	CHECK_EQ_U64(m->n_function, 6);	/* parse_name parse main libz+.. [overflow] [unknown] */
	CHECK_EQ_U64(m->n_location, 5);
	CHECK_EQ_U64(m->sample[2]->n_location_id, 1);
	CHECK_LINE(m, m->sample[2]->location_id[0], 0, "[overflow] :0");
	CHECK_EQ_U64(m->sample[3]->n_location_id, 1);
	CHECK_LINE(m, m->sample[3]->location_id[0], 0, "[unknown] :0");
}

static void check_mappings(const Pprof__Profile *m)
{
	const Pprof__Mapping *exe, *lib;

	CHECK_EQ_U64(m->n_mapping, 2);
	if (m->n_mapping != 2)
		return;
	exe = m->mapping[0];
	lib = m->mapping[1];
	CHECK(exe->id == 1 && exe->memory_start == EXE_BASE && exe->memory_limit == EXE_BASE + 0x5000);
	CHECK_STREQ(str(m, exe->filename), "/usr/bin/parser");
	CHECK_STREQ(str(m, exe->build_id), "00112233445566778899aabbccddeeff00112233");
	CHECK(exe->has_functions && exe->has_filenames && exe->has_line_numbers &&
	      exe->has_inline_frames);
	CHECK_STREQ(str(m, lib->filename), "/usr/lib/libz.so.1");
	CHECK_STREQ(str(m, lib->build_id), "");
	/* Nothing known there: pprof may symbolize it itself. */
	CHECK(!lib->has_functions && !lib->has_filenames && !lib->has_line_numbers &&
	      !lib->has_inline_frames);
}

static void test_default_type(void)
{
	static const struct { enum mt_sort sort; const char *type; } cases[] = {
		{ MT_SORT_BYTES, "alloc_space" }, { MT_SORT_COUNT, "alloc_objects" },
		{ MT_SORT_LIVE, "inuse_space" }, { MT_SORT_PEAK, "alloc_space" },
	};
	struct mt_profile *p = sample();

	for (size_t i = 0; i < MT_ARRAY_SIZE(cases); i++) {
		Pprof__Profile *m = roundtrip(p, cases[i].sort);

		if (m) {
			CHECK_STREQ(str(m, m->default_sample_type), cases[i].type);
			pprof__profile__free_unpacked(m, NULL);
		}
	}
	mt_profile_free(p);
}

static void test_empty(void)
{
	struct mt_profile *p = xcalloc(1, sizeof(*p));
	Pprof__Profile *m = roundtrip(p, MT_SORT_BYTES);

	if (m) {
		CHECK_EQ_U64(m->n_sample, 0);
		CHECK_EQ_U64(m->n_sample_type, 4);
		CHECK_STREQ(str(m, 0), "");
		pprof__profile__free_unpacked(m, NULL);
	}
	mt_profile_free(p);
}

static void test_write_error(void)
{
	struct mt_profile *p = sample();
	FILE *f = fopen("/dev/full", "w");
	static char buf[64];

	if (!f) {
		mt_profile_free(p);
		return;
	}
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	CHECK(mt_report_pprof(f, p, MT_SORT_BYTES) < 0);
	fclose(f);
	mt_profile_free(p);
}

int main(void)
{
	struct mt_profile *p = sample();
	Pprof__Profile *m = roundtrip(p, MT_SORT_BYTES);

	if (m) {
		check_header(m);
		check_values(m);
		if (m->n_sample == 4)
			check_stacks(m);
		check_mappings(m);
		pprof__profile__free_unpacked(m, NULL);
	}
	mt_profile_free(p);
	test_default_type();
	test_empty();
	test_write_error();
	return UNIT_DONE();
}
