/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "rules.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const metrics[] = {
	"allocs", "alloc_bytes", "frees", "freed_bytes", "live_allocs", "live_bytes",
	"peak_live_bytes", "temporary_allocs", "failed_allocs", "unknown_frees",
};
enum { M_UNKNOWN_FREES = 9 };

static const struct { const char *s; enum mt_rule_op op; } ops[] = {
	{ ">=", MT_OP_GE }, { "<=", MT_OP_LE }, { "==", MT_OP_EQ }, { ">", MT_OP_GT }, { "<", MT_OP_LT },
};

static int parse_scope(const char *word, struct mt_rule *r, char *err, size_t errlen)
{
	const char *colon;
	char *end;

	if (strncmp(word, "function=", 9) == 0) {
		if (!word[9])
			return mt_fail(err, errlen, "empty function in rule '%s'", r->text);
		r->scope = MT_SCOPE_FUNCTION;
		snprintf(r->scope_name, sizeof(r->scope_name), "%s", word + 9);
		return 0;
	}
	colon = strrchr(word, ':');
	if (!colon || colon == word + 5)
		return mt_fail(err, errlen, "bad site in rule '%s': write site=FILE:LINE", r->text);
	r->scope = MT_SCOPE_SITE;
	snprintf(r->scope_name, sizeof(r->scope_name), "%.*s", (int)(colon - word - 5), word + 5);
	errno = 0;
	unsigned long line = strtoul(colon + 1, &end, 10);
	if (errno || *end || !line || line > UINT32_MAX)
		return mt_fail(err, errlen, "bad line in rule '%s': write site=FILE:LINE", r->text);
	r->scope_line = (uint32_t)line;
	return 0;
}

static int parse_value(const char *s, struct mt_rule *r, char *err, size_t errlen)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "", 1 }, { "b", 1 }, { "k", 1024.0 }, { "kib", 1024.0 }, { "kb", 1e3 },
		{ "m", 1048576.0 }, { "mib", 1048576.0 }, { "mb", 1e6 },
		{ "g", 1073741824.0 }, { "gib", 1073741824.0 }, { "gb", 1e9 },
	};
	char *end;
	double v;

	r->kind = MT_VALUE_ABS;
	if (*s == '+' || *s == '-')
		r->kind = MT_VALUE_DELTA;
	if (!isdigit((unsigned char)s[r->kind == MT_VALUE_DELTA]))
		return mt_fail(err, errlen, "bad value '%s' in rule '%s': give a number such as 1000, 4MiB, +10%%",
			    s, r->text);
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v))
		return mt_fail(err, errlen, "bad value '%s' in rule '%s'", s, r->text);
	if (*end == '%') {
		if (r->kind != MT_VALUE_DELTA || end[1])
			return mt_fail(err, errlen, "bad value '%s' in rule '%s': a percentage is a change, "
				    "write +10%% or -5%%", s, r->text);
		r->kind = MT_VALUE_PERCENT;
		r->value = v;
		return 0;
	}
	for (size_t i = 0; i < MT_ARRAY_SIZE(units); i++)
		if (strcasecmp(end, units[i].unit) == 0) {
			r->value = v * units[i].mult;
			return 0;
		}
	return mt_fail(err, errlen, "unknown unit '%s' in rule '%s': use K, M, G, KiB, MiB, GiB, kB, MB, GB",
		    end, r->text);
}

int mt_rule_parse(const char *text, struct mt_rule *r, char *err, size_t errlen)
{
	char buf[512], *words[4], *save = NULL;
	int n = 0, w = 0;

	memset(r, 0, sizeof(*r));
	r->text = text;
	r->metric = -1;
	if (strlen(text) >= sizeof(buf))
		return mt_fail(err, errlen, "rule too long: '%.40s...'", text);
	strcpy(buf, text);
	for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n == 4)
			return mt_fail(err, errlen, "too many words in rule '%s': write [SCOPE] METRIC OP VALUE", text);
		words[n++] = tok;
	}
	if (n < 3)
		return mt_fail(err, errlen, "incomplete rule '%s': write [SCOPE] METRIC OP VALUE, "
			    "e.g. 'peak_live_bytes > 64MiB'", text);
	if (n == 4) {
		if (strncmp(words[0], "site=", 5) != 0 && strncmp(words[0], "function=", 9) != 0)
			return mt_fail(err, errlen, "unknown scope '%s' in rule '%s': use site=FILE:LINE "
				    "or function=NAME", words[0], text);
		if (parse_scope(words[w++], r, err, errlen))
			return -1;
	}
	for (size_t i = 0; i < MT_ARRAY_SIZE(metrics); i++)
		if (strcmp(words[w], metrics[i]) == 0)
			r->metric = (int)i;
	if (r->metric < 0)
		return mt_fail(err, errlen, "unknown metric '%s' in rule '%s': use allocs, alloc_bytes, frees, "
			    "freed_bytes, live_allocs, live_bytes, peak_live_bytes, temporary_allocs, "
			    "failed_allocs or unknown_frees", words[w], text);
	if (r->metric == M_UNKNOWN_FREES && r->scope != MT_SCOPE_TOTAL)
		return mt_fail(err, errlen, "unknown_frees has no call site: drop the scope of rule '%s'", text);
	w++;
	size_t i;
	for (i = 0; i < MT_ARRAY_SIZE(ops); i++)
		if (strcmp(words[w], ops[i].s) == 0)
			break;
	if (i == MT_ARRAY_SIZE(ops))
		return mt_fail(err, errlen, "unknown operator '%s' in rule '%s': use >, >=, <, <= or ==",
			    words[w], text);
	r->op = ops[i].op;
	return parse_value(words[w + 1], r, err, errlen);
}

static uint64_t counter(const struct mt_counters *c, int metric)
{
	const uint64_t v[] = {
		c->allocs, c->alloc_bytes, c->frees, c->freed_bytes, c->live_allocs,
		c->live_bytes, c->peak_live_bytes, c->temporary_allocs, c->failed_allocs,
	};

	return metric < (int)MT_ARRAY_SIZE(v) ? v[metric] : 0;
}

/* Does FILE (as written in the rule) name path?  Matched on whole
 * trailing components: "parser.c" and "src/parser.c" match /x/src/parser.c. */
static bool file_matches(const char *want, const char *path)
{
	size_t lw = strlen(want), lp = path ? strlen(path) : 0;

	if (!path || lp < lw || strcmp(path + lp - lw, want) != 0)
		return false;
	return lp == lw || path[lp - lw - 1] == '/';
}

static bool site_in_scope(const struct mt_rule *r, const struct mt_profile_site *s)
{
	if (r->scope == MT_SCOPE_SITE) {
		const struct mt_frame *f = s->nframes ? &s->frames[s->site_frame] : NULL;

		return f && f->line == r->scope_line && file_matches(r->scope_name, f->file);
	}
	for (uint32_t i = 0; i < s->nframes; i++)
		if (s->frames[i].function && strcmp(s->frames[i].function, r->scope_name) == 0)
			return true;
	return false;
}

uint64_t mt_rule_measure(const struct mt_rule *r, const struct mt_profile *prof)
{
	uint64_t sum = 0;

	if (r->scope == MT_SCOPE_TOTAL)
		return r->metric == M_UNKNOWN_FREES ? prof->totals.unknown_frees :
						      counter(&prof->totals.c, r->metric);
	for (size_t i = 0; i < prof->nsites; i++)
		if (site_in_scope(r, &prof->sites[i]))
			sum += counter(&prof->sites[i].c, r->metric);
	return sum;
}

static bool compare(double a, enum mt_rule_op op, double b)
{
	switch (op) {
	case MT_OP_GT: return a > b;
	case MT_OP_GE: return a >= b;
	case MT_OP_LT: return a < b;
	case MT_OP_LE: return a <= b;
	case MT_OP_EQ: return a == b;
	}
	return false;
}

const struct mt_rule *mt_rules_need_base(const struct mt_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rules[i].kind != MT_VALUE_ABS)
			return &rules[i];
	return NULL;
}

int mt_rules_check(const struct mt_rule *rules, size_t n,
		   const struct mt_profile *base, const struct mt_profile *prof)
{
	int fired = 0;

	for (size_t i = 0; i < n; i++) {
		const struct mt_rule *r = &rules[i];
		double now = (double)mt_rule_measure(r, prof), then = 0, measured = now;

		if (r->kind != MT_VALUE_ABS) {
			if (!base)
				continue;
			then = (double)mt_rule_measure(r, base);
			measured = now - then;
			if (r->kind == MT_VALUE_PERCENT)
				measured = then ? 100.0 * (now - then) / then : (now ? INFINITY : 0);
		}
		if (!compare(measured, r->op, r->value))
			continue;
		fired++;
		if (r->kind == MT_VALUE_PERCENT)
			error_msg("rule failed: %s (measured %+.1f%%: %.0f -> %.0f)", r->text, measured, then, now);
		else if (r->kind == MT_VALUE_DELTA)
			error_msg("rule failed: %s (measured %+.0f: %.0f -> %.0f, limit %+.0f)",
				  r->text, measured, then, now, r->value);
		else
			error_msg("rule failed: %s (measured %.0f, limit %.0f)", r->text, measured, r->value);
	}
	return fired;
}
