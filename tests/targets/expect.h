/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TARGETS_EXPECT_H
#define TARGETS_EXPECT_H
/*
 * What a target expects memtracer to report, printed as lines
 * "expect KEY=VALUE" on stdout for its .test to compare.  They go out
 * through write(2): stdio would malloc a buffer of its own and change the
 * very numbers under test.
 *
 * struct model applies the counting rules of the profile, which are
 * valgrind's: a block is counted when an allocator returns it; a call that
 * returns NULL only in failed_allocs; realloc is a free of the old block
 * followed by an allocation of the new one.  A target keeps one model for
 * its totals and one per marked line, and prints both.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct model {
	unsigned long long allocs, alloc_bytes, frees, freed_bytes;
	unsigned long long live_allocs, live_bytes, peak_live_bytes;
	unsigned long long failed_allocs;
};

/* Exits 99 (a framework error for the test) when stdout is unusable. */
static inline void expect(const char *key, unsigned long long value)
{
	char line[192];
	int n = snprintf(line, sizeof(line), "expect %s=%llu\n", key, value);

	if (n < 0 || (size_t)n >= sizeof(line) ||
	    write(STDOUT_FILENO, line, (size_t)n) != n)
		_exit(99);
}

/* Writes a plain line (no allocation). */
static inline void say(const char *text)
{
	size_t n = strlen(text);

	if (write(STDOUT_FILENO, text, n) != (ssize_t)n)
		_exit(99);
}

static inline void model_alloc(struct model *m, size_t n)
{
	m->allocs++;
	m->alloc_bytes += n;
	m->live_allocs++;
	m->live_bytes += n;
	if (m->live_bytes > m->peak_live_bytes)
		m->peak_live_bytes = m->live_bytes;
}

static inline void model_free(struct model *m, size_t n)
{
	m->frees++;
	m->freed_bytes += n;
	m->live_allocs--;
	m->live_bytes -= n;
}

static inline void model_fail(struct model *m)
{
	m->failed_allocs++;
}

/* Prints PREFIX.FIELD=VALUE for every counter, or FIELD=VALUE for the
 * totals (PREFIX NULL). */
static inline void model_expect(const char *prefix, const struct model *m)
{
	static const char *const names[] = {
		"allocs", "alloc_bytes", "frees", "freed_bytes",
		"live_allocs", "live_bytes", "peak_live_bytes", "failed_allocs",
	};
	const unsigned long long values[] = {
		m->allocs, m->alloc_bytes, m->frees, m->freed_bytes,
		m->live_allocs, m->live_bytes, m->peak_live_bytes, m->failed_allocs,
	};
	char key[96];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (prefix)
			snprintf(key, sizeof(key), "%s.%s", prefix, names[i]);
		else
			snprintf(key, sizeof(key), "%s", names[i]);
		expect(key, values[i]);
	}
}

#endif /* TARGETS_EXPECT_H */
