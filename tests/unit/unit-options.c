/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command-line parser, without ptrace: values, defaults, every error. */
#include "config.h"
#include "options.h"
#include "kinds.h"
#include "unit.h"

#include <stdlib.h>

static int parse(const char *line, struct mt_options *o, char *err, size_t errlen)
{
	static char buf[1024];
	static char *argv[64];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *tok = strtok(buf, " "); tok && argc < 63; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return mt_options_parse(argc, argv, o, err, errlen);
}

static void expect_error(const char *line, const char *fragment)
{
	struct mt_options o;
	char err[512] = "";

	if (parse(line, &o, err, sizeof(err)) == 0) {
		fprintf(stderr, "'%s' parsed, expected an error\n", line);
		unit_failures++;
	} else if (!strstr(err, fragment)) {
		fprintf(stderr, "'%s': error '%s' lacks '%s'\n", line, err, fragment);
		unit_failures++;
	}
}

static void test_defaults(void)
{
	struct mt_options o;
	char err[512];

	CHECK(parse("memtracer run -- ./prog a b", &o, err, sizeof(err)) == 0);
	CHECK(o.cmd == MT_CMD_RUN);
	CHECK_STREQ(o.argv[0], "./prog");
	CHECK_STREQ(o.argv[1], "a");
	CHECK_STREQ(o.argv[2], "b");
	CHECK(o.argv[3] == NULL);
	CHECK(o.output == NULL);
	CHECK(o.format == -1);
	CHECK_EQ_U64(o.top, MT_DEFAULT_TOP);
	CHECK(o.sort == MT_SORT_BYTES);
	CHECK_EQ_U64(o.min_size, 0);
	CHECK_EQ_U64(o.max_sites, MT_DEFAULT_MAX_SITES);
	CHECK_EQ_U64(o.depth, MT_DEFAULT_DEPTH);
	CHECK(!o.stacks && !o.quiet);
}

static void test_values(void)
{
	struct mt_options o;
	char err[512];

	CHECK(parse("memtracer run -o out.json -F text -n 5 -s peak --min-size 4KiB "
		    "--max-sites 100 --stacks --depth 7 -q -- prog -o x", &o, err, sizeof(err)) == 0);
	CHECK_STREQ(o.output, "out.json");
	CHECK(o.format == MT_FORMAT_TEXT);
	CHECK_EQ_U64(o.top, 5);
	CHECK(o.sort == MT_SORT_PEAK);
	CHECK_EQ_U64(o.min_size, 4096);
	CHECK_EQ_U64(o.max_sites, 100);
	CHECK_EQ_U64(o.depth, 7);
	CHECK(o.stacks && o.quiet);
	/* The program's own options are not ours. */
	CHECK_STREQ(o.argv[0], "prog");
	CHECK_STREQ(o.argv[1], "-o");
	/* Without "--", the first non-option is the program. */
	CHECK(parse("memtracer run --top=3 prog --top=9", &o, err, sizeof(err)) == 0);
	CHECK_EQ_U64(o.top, 3);
	CHECK_STREQ(o.argv[0], "prog");
	CHECK_STREQ(o.argv[1], "--top=9");
	CHECK(parse("memtracer --help", &o, err, sizeof(err)) == 0 && o.cmd == MT_CMD_HELP);
	CHECK(parse("memtracer -V", &o, err, sizeof(err)) == 0 && o.cmd == MT_CMD_VERSION);
}

static void test_sizes(void)
{
	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "0", 0 }, { "17", 17 }, { "1K", 1024 }, { "1k", 1024 }, { "2KiB", 2048 },
		{ "3kB", 3000 }, { "1M", 1 << 20 }, { "1MiB", 1 << 20 }, { "1MB", 1000000 },
		{ "1G", 1ULL << 30 }, { "1GiB", 1ULL << 30 }, { "2GB", 2000000000 },
		{ "16B", 16 },
	};
	static const char *const bad[] = {
		"", "-1", "+1", "K", "1X", "1 K", "1.5K", "99999999999999999999",
		"17179869184G",
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 12345;
		CHECK(mt_parse_size(ok[i].s, &v) == 0);
		CHECK_EQ_U64(v, ok[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mt_parse_size(bad[i], &v) == 0) {
			fprintf(stderr, "size '%s' accepted\n", bad[i]);
			unit_failures++;
		}
}

static void test_errors(void)
{
	expect_error("memtracer", "no command given");
	expect_error("memtracer frobnicate", "unknown command 'frobnicate'");
	expect_error("memtracer run", "no program given");
	expect_error("memtracer run --", "no program given");
	expect_error("memtracer run --bogus -- prog", "unknown option '--bogus'");
	expect_error("memtracer run -Z -- prog", "unknown option");
	expect_error("memtracer run -o", "needs a value");
	expect_error("memtracer run --format xml -- prog", "unknown format 'xml'");
	expect_error("memtracer run --sort size -- prog", "unknown sort key 'size'");
	expect_error("memtracer run --top -3 -- prog", "bad --top");
	expect_error("memtracer run --top x -- prog", "bad --top");
	expect_error("memtracer run --min-size 4Q -- prog", "bad --min-size");
	expect_error("memtracer run --max-sites 1 -- prog", "at least 2");
	expect_error("memtracer run --max-sites 4294967296 -- prog", "bad --max-sites");
	expect_error("memtracer run --depth 0 -- prog", "bad --depth");
	expect_error("memtracer run --depth 5000 -- prog", "bad --depth");
}

/* --alloc-fn: roles make the class and the argument positions. */
static void test_alloc_fn(void)
{
	static const struct {
		const char *spec;
		enum mt_kind_class cls;
		int size, nmemb, ptr;
	} cases[] = {
		{ "rt_alloc(_,size)", MT_CLASS_ALLOC, 1, -1, -1 },
		{ "rt_free(_,ptr)", MT_CLASS_FREE, -1, -1, 1 },
		{ "pool_realloc(_,_,ptr,size)", MT_CLASS_REALLOC, 3, -1, 2 },
		{ "arr(nmemb,size)", MT_CLASS_CALLOC, 1, 0, -1 },
		{ "al(align,size)", MT_CLASS_ALLOC, 1, -1, -1 },
		{ "0x4012a0(size)", MT_CLASS_ALLOC, 0, -1, -1 },
	};
	struct mt_options o;
	char line[128], err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned kind;

		snprintf(line, sizeof(line), "memtracer run --alloc-fn %s -- ./p", cases[i].spec);
		CHECK(parse(line, &o, err, sizeof(err)) == 0);
		if (o.nalloc_fns != 1)
			continue;
		kind = (unsigned)o.alloc_fns[0].kind;
		CHECK(kind >= MT_KIND_COUNT);
		CHECK(mt_kind_class(kind) == cases[i].cls);
		CHECK(mt_kind_arg(kind, MT_ROLE_SIZE) == cases[i].size);
		CHECK(mt_kind_arg(kind, MT_ROLE_NMEMB) == cases[i].nmemb);
		CHECK(mt_kind_arg(kind, MT_ROLE_PTR) == cases[i].ptr);
	}
	CHECK(parse("memtracer run --alloc-fn rt_alloc(_,size) -- ./p", &o, err, sizeof(err)) == 0);
	CHECK_STREQ(o.alloc_fns[0].symbol, "rt_alloc");
	CHECK_STREQ(mt_kind_name((unsigned)o.alloc_fns[0].kind), "rt_alloc");
	CHECK(parse("memtracer run --alloc-fn 0x4012a0(size) -- ./p", &o, err, sizeof(err)) == 0);
	CHECK(o.alloc_fns[0].symbol == NULL);
	CHECK_EQ_U64(o.alloc_fns[0].addr, 0x4012a0);
	CHECK(parse("memtracer run --alloc-fn free=0x401f10 -- ./p", &o, err, sizeof(err)) == 0);
	CHECK(o.alloc_fns[0].kind == MT_KIND_FREE && o.alloc_fns[0].addr == 0x401f10);
	/* Built-in kinds keep their conventions. */
	CHECK(mt_kind_arg(MT_KIND_CALLOC, MT_ROLE_NMEMB) == 0 && mt_kind_arg(MT_KIND_CALLOC, MT_ROLE_SIZE) == 1);
	CHECK(mt_kind_arg(MT_KIND_POSIX_MEMALIGN, MT_ROLE_SIZE) == 2);
	expect_error("memtracer run --alloc-fn rt(ptr,nmemb) -- ./p", "make no allocator");
	expect_error("memtracer run --alloc-fn rt(size,size) -- ./p", "two arguments are the size");
	expect_error("memtracer run --alloc-fn rt(_,_,_,_,_,_,size) -- ./p", "at most 6");
	expect_error("memtracer run --alloc-fn rt(bytes) -- ./p", "'bytes' is not a role");
	expect_error("memtracer report --alloc-fn malloc=f p.json", "is for run and attach");
}

int main(void)
{
	test_alloc_fn();
	test_defaults();
	test_values();
	test_sizes();
	test_errors();
	return UNIT_DONE();
}
