/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command line: parsed into struct mt_options without side effects, so the
 * parser is unit-tested without ptrace.  Every error is one line naming the
 * problem and the fix.
 */
#ifndef MT_OPTIONS_H
#define MT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "profile.h"
#include "report.h"
#include "rules.h"

#define MT_DEFAULT_TOP 20
#define MT_DEFAULT_MAX_SITES 131072
#define MT_DEFAULT_DEPTH 128
#define MT_MAX_DEPTH 1024
#define MT_MAX_WRAPPERS 64
#define MT_MAX_ALLOC_FNS 64
#define MT_MAX_PHASE_FNS 32

/* --alloc-fn NAME(ROLES) or KIND=NAME: an allocator to probe. */
struct mt_alloc_fn {
	int kind;		/* enum mt_kind, or a custom kind */
	char where[256];	/* the symbol or 0xADDRESS as given */
	const char *symbol;	/* where, or NULL: by address */
	uint64_t addr;		/* link-time address in the program's executable */
};
#define MT_MAX_RULES 64
#define MT_DEFAULT_FAIL_EXIT 3

enum mt_command {
	MT_CMD_NONE, MT_CMD_RUN, MT_CMD_ATTACH, MT_CMD_REPORT, MT_CMD_DIFF,
	MT_CMD_HELP, MT_CMD_VERSION
};

struct mt_options {
	enum mt_command cmd;
	char **argv;		/* run: PROGRAM and its arguments (points into main's argv) */
	int pid;		/* attach: the process */
	const char *inputs[2];	/* report: PROFILE; diff: BASE NEW */
	unsigned duration;	/* attach: seconds to trace, 0 = until interrupted */
	const char *output;	/* -o FILE, NULL: report on stderr */
	int format;		/* enum mt_format, -1: from output's extension */
	unsigned top;
	enum mt_sort sort;
	uint64_t min_size;
	uint32_t max_sites;
	unsigned depth;
	const char *unwinder;	/* backend name, NULL: the configured default */
	char *wrappers[MT_MAX_WRAPPERS + 1];	/* --wrapper globs, NULL-terminated */
	struct mt_alloc_fn alloc_fns[MT_MAX_ALLOC_FNS];
	size_t nalloc_fns;
	const char *phases[MT_MAX_PHASE_FNS];	/* --phase functions */
	size_t nphases;
	const char *debug_dir;	/* --debug-dir */
	bool raw_names;		/* --no-demangle */
	struct mt_rule rules[MT_MAX_RULES];	/* --fail-if */
	size_t nrules;
	int fail_exit_code;	/* exit status when a rule fires */
	enum mt_value value;	/* --value, for collapsed stacks */
	bool stacks;
	bool quiet;
	bool follow_forks;	/* -f: trace every descendant, one profile each */
};

/*
 * Parses argv.  Returns 0, or -1 with a one-line message (without the
 * "memtracer: " prefix) in err.  Does not print, exit or touch the files.
 */
int mt_options_parse(int argc, char **argv, struct mt_options *opts,
		     char *err, size_t errlen);

/*
 * Parses a byte count with an optional unit: K M G (and KiB MiB GiB) are
 * powers of 1024, kB MB GB powers of 1000.  Returns 0 or -1.
 */
int mt_parse_size(const char *s, uint64_t *out);

void mt_usage(FILE *out);

#endif
