/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "options.h"
#include "kinds.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
	OPT_MIN_SIZE = 256,
	OPT_MAX_SITES,
	OPT_STACKS,
	OPT_DEPTH,
	OPT_UNWINDER,
	OPT_DURATION,
	OPT_WRAPPER,
	OPT_ALLOC_FN,
	OPT_PHASE,
	OPT_NO_DEMANGLE,
	OPT_DEBUG_DIR,
	OPT_FAIL_IF,
	OPT_FAIL_EXIT_CODE,
	OPT_VALUE,
};

static const struct option long_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'F' },
	{ "top", required_argument, NULL, 'n' },
	{ "sort", required_argument, NULL, 's' },
	{ "min-size", required_argument, NULL, OPT_MIN_SIZE },
	{ "max-sites", required_argument, NULL, OPT_MAX_SITES },
	{ "stacks", no_argument, NULL, OPT_STACKS },
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "unwinder", required_argument, NULL, OPT_UNWINDER },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "wrapper", required_argument, NULL, OPT_WRAPPER },
	{ "alloc-fn", required_argument, NULL, OPT_ALLOC_FN },
	{ "phase", required_argument, NULL, OPT_PHASE },
	{ "no-demangle", no_argument, NULL, OPT_NO_DEMANGLE },
	{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
	{ "fail-if", required_argument, NULL, OPT_FAIL_IF },
	{ "fail-exit-code", required_argument, NULL, OPT_FAIL_EXIT_CODE },
	{ "value", required_argument, NULL, OPT_VALUE },
	{ "follow-forks", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void mt_usage(FILE *out)
{
	fputs("Usage: memtracer run [OPTIONS] -- PROGRAM [ARGS...]\n"
	      "       memtracer attach [OPTIONS] PID\n"
	      "       memtracer report [OPTIONS] PROFILE.json\n"
	      "       memtracer diff [OPTIONS] BASE.json NEW.json\n"
	      "       memtracer --help | --version\n"
	      "\n"
	      "Trace every allocation of PROGRAM (or of the running process PID) from\n"
	      "outside (ptrace, no LD_PRELOAD) and report where memory goes, by call site.\n"
	      "attach traces until Ctrl-C, SIGTERM, --duration or the process's end, then\n"
	      "detaches and leaves the process exactly as it was.  report re-renders a\n"
	      "saved profile; diff compares two, site by site.\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output FILE      write the profile to FILE (default: report on stderr)\n"
	      "  -F, --format FMT       text, json, collapsed or pprof (default: from FILE's\n"
	      "                         extension: .json, .pb.gz)\n"
	      "      --value WHAT       collapsed stacks count bytes, count or live\n"
	      "  -n, --top N            sites in the text report (default 20, 0 = all)\n"
	      "  -s, --sort KEY         bytes, count, live or peak (default bytes)\n"
	      "      --min-size BYTES   leave smaller allocations out of the site table\n"
	      "                         (totals stay complete; units K M G, KiB, kB...)\n"
	      "      --max-sites N      bound of the call-site table (default 131072)\n"
	      "      --stacks           print each top site's stack in the text report\n"
	      "      --depth N          frames kept per stack (default 128, at most 1024;\n"
	      "                         1 = the call site only, no unwinding)\n"
	      "      --unwinder NAME    libdw or libunwind (default " MT_DEFAULT_UNWINDER ")\n"
	      "      --wrapper GLOB     a function that allocates for its caller (xmalloc,\n"
	      "                         g_malloc*): the site shown is its caller; repeatable\n"
	      "      --alloc-fn KIND=FN also probe FN, which follows KIND's convention\n"
	      "                         (malloc, free, realloc, calloc, memalign...); FN a\n"
	      "                         symbol, or 0xADDRESS in the executable (as nm shows\n"
	      "                         it): for stripped or custom allocators; repeatable\n"
	      "      --phase FUNCTION   count what is allocated while FUNCTION runs to a phase\n"
	      "                         of that name (also memtracer_phase_begin/end markers,\n"
	      "                         see memtracer.h); repeatable\n"
	      "      --no-demangle      keep C++ and Rust names as in the symbol table\n"
	      "      --debug-dir DIR    look for separate debug files in DIR too\n"
	      "  -f, --follow-forks     run: trace every child process too (fork, vfork,\n"
	      "                         posix_spawn), one profile per process and totals\n"
	      "      --duration SECS    attach: detach after SECS seconds\n"
	      "      --fail-if RULE     exit with --fail-exit-code when RULE holds: [SCOPE]\n"
	      "                         METRIC OP VALUE, e.g. 'peak_live_bytes > 64MiB',\n"
	      "                         'site=parse.c:42 allocs >= 1000', on diff '+10%%';\n"
	      "                         repeatable (run, attach, report, diff)\n"
	      "      --fail-exit-code N exit status when a rule fires (default 3)\n"
	      "  -q, --quiet            with -o, no summary line on stderr\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          version\n"
	      "\n"
	      "Exit status: run: PROGRAM's, or 128+N when it was killed by signal N;\n"
	      "attach, report, diff: 0; a --fail-if rule that holds: 3 (--fail-exit-code);\n"
	      "2 usage error or bad input, 125 cannot trace, 126 not executable, 127 not found.\n"
	      "See memtracer(1).\n", out);
}

int mt_parse_size(const char *s, uint64_t *out)
{
	static const struct { const char *unit; uint64_t mult; } units[] = {
		{ "", 1 }, { "b", 1 },
		{ "k", 1ULL << 10 }, { "kib", 1ULL << 10 }, { "kb", 1000 },
		{ "m", 1ULL << 20 }, { "mib", 1ULL << 20 }, { "mb", 1000000 },
		{ "g", 1ULL << 30 }, { "gib", 1ULL << 30 }, { "gb", 1000000000 },
	};
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	for (size_t i = 0; i < MT_ARRAY_SIZE(units); i++) {
		if (strcasecmp(end, units[i].unit) != 0)
			continue;
		if (v > UINT64_MAX / units[i].mult)
			return -1;
		*out = v * units[i].mult;
		return 0;
	}
	return -1;
}

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return (errno || *end || *out > max) ? -1 : 0;
}

/* The formats each command can write, and binary output only to a file. */
static int check_format(const struct mt_options *o, char *err, size_t errlen)
{
	int format = o->format >= 0 ? o->format :
		     o->output ? (int)mt_format_from_path(o->output) : MT_FORMAT_TEXT;

	if (o->cmd == MT_CMD_DIFF && format == MT_FORMAT_PPROF)
		return mt_fail(err, errlen, "diff writes text or json; for a pprof diff, "
			       "run 'go tool pprof -base BASE.pb.gz NEW.pb.gz'");
	if (o->cmd == MT_CMD_DIFF && format == MT_FORMAT_COLLAPSED)
		return mt_fail(err, errlen, "diff writes text or json, not collapsed stacks");
	if ((o->cmd == MT_CMD_RUN || o->cmd == MT_CMD_ATTACH) && format == MT_FORMAT_PPROF &&
	    !o->output)
		return mt_fail(err, errlen, "the pprof format is binary: "
			       "name a file for it with -o FILE.pb.gz");
	return 0;
}

/* Where --alloc-fn points: a symbol, or 0xADDRESS in the executable. */
static int parse_where(const char *arg, const char *where, struct mt_alloc_fn *fn,
		       char *err, size_t errlen)
{
	char *end;

	fn->symbol = where;
	if (strncmp(where, "0x", 2) != 0)
		return 0;
	errno = 0;
	fn->addr = strtoull(where + 2, &end, 16);
	if (errno || *end || end == where + 2 || !fn->addr)
		return mt_fail(err, errlen, "bad address in --alloc-fn '%s': give it in hex, "
			       "as nm prints it, e.g. 0x401a2e", arg);
	fn->symbol = NULL;
	return 0;
}

/*
 * NAME(ROLES) or 0xADDRESS(ROLES): a custom allocator, its arguments named;
 * KIND=NAME or KIND=0xADDRESS: one with a standard allocator's convention.
 */
static int parse_alloc_fn(const char *arg, struct mt_options *o, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	struct mt_alloc_fn *fn;
	char kind[32];

	if (o->nalloc_fns == MT_MAX_ALLOC_FNS)
		return mt_fail(err, errlen, "too many --alloc-fn options: at most %d", MT_MAX_ALLOC_FNS);
	fn = &o->alloc_fns[o->nalloc_fns];
	if (strchr(arg, '(')) {
		struct mt_custom_kind ck;

		if (mt_custom_kind_parse(arg, &ck, fn->where, sizeof(fn->where), err, errlen) < 0)
			return -1;
		fn->kind = mt_kind_register(&ck);
		if (fn->kind < 0)
			return mt_fail(err, errlen, "too many custom allocators: at most %d",
				       MT_MAX_CUSTOM_KINDS);
		if (parse_where(arg, fn->where, fn, err, errlen) < 0)
			return -1;
		o->nalloc_fns++;
		return 0;
	}
	if (!eq || eq == arg || !eq[1] || (size_t)(eq - arg) >= sizeof(kind))
		return mt_fail(err, errlen, "bad --alloc-fn '%s': give NAME(ROLES) such as "
			       "'rt_alloc(_, size)', or KIND=NAME such as malloc=my_alloc", arg);
	memcpy(kind, arg, (size_t)(eq - arg));
	kind[eq - arg] = '\0';
	fn->kind = mt_kind_from_name(kind);
	if (fn->kind < 0)
		return mt_fail(err, errlen, "unknown allocator kind '%s' in --alloc-fn: use malloc, "
			       "calloc, realloc, reallocarray, posix_memalign, memalign, aligned_alloc, "
			       "valloc, pvalloc, new, new[], free, delete or delete[]", kind);
	if (strlen(eq + 1) >= sizeof(fn->where))
		return mt_fail(err, errlen, "--alloc-fn '%s': name too long", arg);
	strcpy(fn->where, eq + 1);
	if (parse_where(arg, fn->where, fn, err, errlen) < 0)
		return -1;
	o->nalloc_fns++;
	return 0;
}

static int parse_option(int c, const char *arg, struct mt_options *o, char *err, size_t errlen)
{
	unsigned long long v;

	switch (c) {
	case 'o':
		if (!*arg)
			return mt_fail(err, errlen, "empty file name given to --output");
		o->output = arg;
		return 0;
	case 'F':
		o->format = mt_format_from_name(arg);
		if (o->format < 0)
			return mt_fail(err, errlen, "unknown format '%s': use text, json, collapsed or pprof", arg);
		return 0;
	case 'n':
		if (parse_uint(arg, UINT32_MAX, &v))
			return mt_fail(err, errlen, "bad --top '%s': give a number of sites (0 = all)", arg);
		o->top = (unsigned)v;
		return 0;
	case 's': {
		int key = mt_sort_from_name(arg);

		if (key < 0)
			return mt_fail(err, errlen, "unknown sort key '%s': use bytes, count, live or peak", arg);
		o->sort = (enum mt_sort)key;
		return 0;
	}
	case OPT_MIN_SIZE:
		if (mt_parse_size(arg, &o->min_size))
			return mt_fail(err, errlen, "bad --min-size '%s': give bytes, e.g. 64, 4K, 1MiB", arg);
		return 0;
	case OPT_MAX_SITES:
		if (parse_uint(arg, UINT32_MAX - 1, &v) || v < 2)
			return mt_fail(err, errlen, "bad --max-sites '%s': give a number of sites, at least 2", arg);
		o->max_sites = (uint32_t)v;
		return 0;
	case OPT_DEPTH:
		if (parse_uint(arg, MT_MAX_DEPTH, &v) || v < 1)
			return mt_fail(err, errlen, "bad --depth '%s': give a number of frames from 1 to %d",
				    arg, MT_MAX_DEPTH);
		o->depth = (unsigned)v;
		return 0;
	case OPT_UNWINDER:
		if (strcmp(arg, "libdw") != 0 && strcmp(arg, "libunwind") != 0)
			return mt_fail(err, errlen, "unknown unwinder '%s': use libdw or libunwind", arg);
		o->unwinder = arg;
		return 0;
	case OPT_DURATION:
		if (parse_uint(arg, 100000000, &v) || v < 1)
			return mt_fail(err, errlen, "bad --duration '%s': give whole seconds, at least 1", arg);
		o->duration = (unsigned)v;
		return 0;
	case OPT_ALLOC_FN:
		return parse_alloc_fn(arg, o, err, errlen);
	case OPT_PHASE:
		if (o->nphases == MT_MAX_PHASE_FNS)
			return mt_fail(err, errlen, "too many --phase options: at most %d", MT_MAX_PHASE_FNS);
		if (!*arg || strpbrk(arg, " ()"))
			return mt_fail(err, errlen, "bad --phase '%s': give a function name, e.g. "
				       "--phase parse_file", arg);
		o->phases[o->nphases++] = arg;
		return 0;
	case OPT_WRAPPER: {
		size_t n = 0;

		while (o->wrappers[n])
			n++;
		if (n == MT_MAX_WRAPPERS)
			return mt_fail(err, errlen, "too many --wrapper options: at most %d; use globs",
				    MT_MAX_WRAPPERS);
		if (!*arg)
			return mt_fail(err, errlen, "empty --wrapper: give a function name or glob");
		o->wrappers[n] = (char *)arg;
		return 0;
	}
	case OPT_NO_DEMANGLE:
		o->raw_names = true;
		return 0;
	case OPT_DEBUG_DIR:
		if (!*arg)
			return mt_fail(err, errlen, "empty --debug-dir: give a directory");
		o->debug_dir = arg;
		return 0;
	case OPT_FAIL_IF:
		if (o->nrules == MT_MAX_RULES)
			return mt_fail(err, errlen, "too many --fail-if rules: at most %d", MT_MAX_RULES);
		if (mt_rule_parse(arg, &o->rules[o->nrules], err, errlen))
			return -1;
		o->nrules++;
		return 0;
	case OPT_FAIL_EXIT_CODE:
		if (parse_uint(arg, 255, &v) || v == 0)
			return mt_fail(err, errlen, "bad --fail-exit-code '%s': give a status from 1 to 255", arg);
		o->fail_exit_code = (int)v;
		return 0;
	case OPT_VALUE: {
		int value = mt_value_from_name(arg);

		if (value < 0)
			return mt_fail(err, errlen, "unknown --value '%s': use bytes, count or live", arg);
		o->value = (enum mt_value)value;
		return 0;
	}
	case OPT_STACKS:
		o->stacks = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case 'f':
		o->follow_forks = true;
		return 0;
	case 'h':
		o->cmd = MT_CMD_HELP;
		return 0;
	case 'V':
		o->cmd = MT_CMD_VERSION;
		return 0;
	}
	return mt_fail(err, errlen, "unknown option: see memtracer --help");
}

static int parse_pid(int argc, char **argv, int rest, struct mt_options *o,
		     char *err, size_t errlen)
{
	unsigned long long v;

	if (rest >= argc)
		return mt_fail(err, errlen, "no PID given: try 'memtracer attach PID'");
	if (rest + 1 < argc)
		return mt_fail(err, errlen, "too many arguments after the PID '%s': give one PID", argv[rest]);
	if (parse_uint(argv[rest], INT32_MAX, &v) || v == 0)
		return mt_fail(err, errlen, "PID '%s' is not a process id: give a positive number "
			    "(see pgrep or ps)", argv[rest]);
	o->pid = (int)v;
	return 0;
}

static int parse_inputs(int argc, char **argv, int rest, struct mt_options *o,
			char *err, size_t errlen)
{
	int want = o->cmd == MT_CMD_DIFF ? 2 : 1;
	const struct mt_rule *r = mt_rules_need_base(o->rules, o->nrules);

	if (argc - rest != want)
		return mt_fail(err, errlen, o->cmd == MT_CMD_DIFF ?
			    "diff needs two profiles: memtracer diff BASE.json NEW.json" :
			    "report needs one profile: memtracer report PROFILE.json");
	if (r && o->cmd != MT_CMD_DIFF)
		return mt_fail(err, errlen, "rule '%s' compares with a base: it is for diff", r->text);
	for (int i = 0; i < want; i++)
		o->inputs[i] = argv[rest + i];
	return 0;
}

static void set_defaults(struct mt_options *o)
{
	memset(o, 0, sizeof(*o));
	o->format = -1;
	o->top = MT_DEFAULT_TOP;
	o->sort = MT_SORT_BYTES;
	o->max_sites = MT_DEFAULT_MAX_SITES;
	o->depth = MT_DEFAULT_DEPTH;
	o->fail_exit_code = MT_DEFAULT_FAIL_EXIT;
}

int mt_options_parse(int argc, char **argv, struct mt_options *o, char *err, size_t errlen)
{
	int first = 1, c;

	set_defaults(o);
	if (argc < 2)
		return mt_fail(err, errlen, "no command given: try 'memtracer run -- PROGRAM [ARGS...]'");
	if (strcmp(argv[1], "run") == 0) {
		o->cmd = MT_CMD_RUN;
		first = 2;
	} else if (strcmp(argv[1], "attach") == 0) {
		o->cmd = MT_CMD_ATTACH;
		first = 2;
	} else if (strcmp(argv[1], "report") == 0) {
		o->cmd = MT_CMD_REPORT;
		first = 2;
	} else if (strcmp(argv[1], "diff") == 0) {
		o->cmd = MT_CMD_DIFF;
		first = 2;
	} else if (argv[1][0] != '-') {
		return mt_fail(err, errlen, "unknown command '%s': try 'memtracer run -- %s'",
			    argv[1], argv[1]);
	}
	/* getopt on the slice after the command; '+' stops at the program. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc - first + 1, argv + first - 1, "+o:F:n:s:fqhV",
				long_options, NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *bad = argv[first - 1 + optind - 1];

			if (c == ':' || (optopt && strchr("oFns", optopt)))
				return mt_fail(err, errlen, "option '%s' needs a value: see memtracer --help", bad);
			return mt_fail(err, errlen, "unknown option '%s': see memtracer --help", bad);
		}
		if (parse_option(c, optarg, o, err, errlen))
			return -1;
	}
	if (o->cmd == MT_CMD_HELP || o->cmd == MT_CMD_VERSION)
		return 0;
	if (o->cmd == MT_CMD_NONE)
		return mt_fail(err, errlen, "no command given: try 'memtracer run -- PROGRAM [ARGS...]'");
	int rest = first - 1 + optind;
	if (check_format(o, err, errlen))
		return -1;
	if (o->nphases && o->cmd != MT_CMD_RUN && o->cmd != MT_CMD_ATTACH)
		return mt_fail(err, errlen, "--phase is for run and attach: it says what to probe");
	if (o->nalloc_fns && o->cmd != MT_CMD_RUN && o->cmd != MT_CMD_ATTACH)
		return mt_fail(err, errlen, "--alloc-fn is for run and attach: it says what to probe");
	if (o->follow_forks && o->cmd != MT_CMD_RUN)
		return mt_fail(err, errlen, "--follow-forks is for run: attach traces the one process "
			       "it is given and releases its new children intact");
	if (o->cmd == MT_CMD_ATTACH) {
		if (mt_rules_need_base(o->rules, o->nrules))
			return mt_fail(err, errlen, "rule '%s' compares with a base: it is for diff",
				    mt_rules_need_base(o->rules, o->nrules)->text);
		return parse_pid(argc, argv, rest, o, err, errlen);
	}
	if (o->cmd == MT_CMD_REPORT || o->cmd == MT_CMD_DIFF)
		return parse_inputs(argc, argv, rest, o, err, errlen);
	if (o->duration)
		return mt_fail(err, errlen, "--duration is for attach: a run ends with the program");
	if (mt_rules_need_base(o->rules, o->nrules))
		return mt_fail(err, errlen, "rule '%s' compares with a base: it is for diff",
			    mt_rules_need_base(o->rules, o->nrules)->text);
	if (rest >= argc)
		return mt_fail(err, errlen, "no program given: try 'memtracer run -- PROGRAM [ARGS...]'");
	if (!*argv[rest])
		return mt_fail(err, errlen, "empty program name: try 'memtracer run -- PROGRAM [ARGS...]'");
	o->argv = &argv[rest];
	return 0;
}
