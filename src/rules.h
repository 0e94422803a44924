/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --fail-if rules: CI gates on memory with one memtracer command.
 *
 *   RULE   := [SCOPE] METRIC OP VALUE
 *   SCOPE  := site=FILE:LINE | function=NAME
 *   METRIC := allocs | alloc_bytes | frees | freed_bytes | live_allocs |
 *             live_bytes | peak_live_bytes | temporary_allocs |
 *             failed_allocs | unknown_frees
 *   OP     := > | >= | < | <= | ==
 *   VALUE  := NUMBER[UNIT]            the measured value (run, attach, diff's NEW)
 *           | +NUMBER[UNIT] | -NUMBER[UNIT]   diff only: NEW - BASE
 *           | +NUMBER% | -NUMBER%            diff only: (NEW - BASE) / BASE
 *   UNIT   := K M G KiB MiB GiB (1024s) | kB MB GB (1000s) | B
 *
 * A site scope sums the sites shown at FILE:LINE (FILE matched by its last
 * path components); a function scope sums every site with the function
 * anywhere on its stack (inclusive, once per site).
 */
#ifndef MT_RULES_H
#define MT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "profile.h"

enum mt_rule_op { MT_OP_GT, MT_OP_GE, MT_OP_LT, MT_OP_LE, MT_OP_EQ };
enum mt_rule_value { MT_VALUE_ABS, MT_VALUE_DELTA, MT_VALUE_PERCENT };
enum mt_rule_scope { MT_SCOPE_TOTAL, MT_SCOPE_SITE, MT_SCOPE_FUNCTION };

struct mt_rule {
	const char *text;		/* as given, for messages */
	enum mt_rule_scope scope;
	char scope_name[256];		/* file or function */
	uint32_t scope_line;
	int metric;			/* index into the metric table */
	enum mt_rule_op op;
	enum mt_rule_value kind;
	double value;			/* bytes or count; percent for MT_VALUE_PERCENT */
};

/* Parses text into *rule.  Returns 0, or -1 with a one-line reason in err. */
int mt_rule_parse(const char *text, struct mt_rule *rule, char *err, size_t errlen);

/* The metric's value in prof, within the rule's scope. */
uint64_t mt_rule_measure(const struct mt_rule *rule, const struct mt_profile *prof);

/*
 * Checks rules against a profile (base NULL) or a diff (base given).  Prints
 * one line on stderr per rule that fires, with the measured value and the
 * limit.  Returns the number of rules that fired.  Delta rules need a base:
 * mt_rule_parse accepts them anywhere; callers without a base reject them
 * with mt_rules_need_base first.
 */
int mt_rules_check(const struct mt_rule *rules, size_t n,
		   const struct mt_profile *base, const struct mt_profile *prof);
/* The first rule that compares with a base, or NULL. */
const struct mt_rule *mt_rules_need_base(const struct mt_rule *rules, size_t n);

#endif
