/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memtracer: the command line.  Parses, runs the tracer, writes the report
 * and exits as the program did.  Only this file prints errors and dies;
 * everything below returns them.
 */
#include "config.h"
#include "options.h"
#include "profile.h"
#include "diff.h"
#include "guardian.h"
#include "launch.h"
#include "report.h"
#include "rules.h"
#include "symbols.h"
#include "tracer.h"
#include "util.h"

#include <errno.h>
#include <gelf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* memtracer's own exit status: the program's, as a shell reports it. */
static int shell_status(const struct mt_tracer *t)
{
	if (WIFEXITED(t->root_status))
		return WEXITSTATUS(t->root_status);
	if (WIFSIGNALED(t->root_status))
		return 128 + WTERMSIG(t->root_status);
	return MT_EXIT_TRACE;
}

/* How a process ended, from its wait status (root: the run's). */
static void set_exit(struct mt_profile *prof, bool done, int status)
{
	if (!done) {
		prof->exit_kind = MT_EXIT_UNKNOWN;	/* still running: we left it */
	} else if (WIFSIGNALED(status)) {
		prof->exit_kind = MT_EXIT_SIGNAL;
		prof->exit_value = WTERMSIG(status);
	} else if (WIFEXITED(status)) {
		prof->exit_kind = MT_EXIT_CODE;
		prof->exit_value = WEXITSTATUS(status);
	}
}

static struct mt_profile *process_profile(const struct mt_tracer *t, const struct mt_proc *proc,
					  const struct mt_profile_opts *popts)
{
	bool root = proc == t->proc;
	struct mt_profile_opts o = *popts;
	struct mt_profile *prof;

	o.start_ns = root ? t->start_ns : proc->start_ns;
	prof = mt_profile_build(&proc->acct, &proc->modules, &o);

	for (size_t i = 0; i < proc->phases.nstats; i++)
		mt_profile_add_phase(prof, &proc->phases.stats[i]);
	prof->command = xstrdup(proc->command);
	prof->pid = proc->pid;
	prof->ppid = proc->ppid;
	if (root)
		set_exit(prof, !t->attached || t->root_done, t->root_status);
	else
		set_exit(prof, proc->done, proc->status);
	prof->duration = (double)((root || !proc->end_ns ? t->end_ns : proc->end_ns) -
				  (root ? t->start_ns : proc->start_ns)) / 1e9;
	return prof;
}

static struct mt_profile *make_profile(const struct mt_tracer *t, const struct mt_options *o)
{
	struct mt_profile_opts popts = {
		.raw_names = o->raw_names, .debug_dir = o->debug_dir,
		.wrappers = (char **)o->wrappers,
	};
	struct mt_profile *prof;

	if (o->follow_forks) {
		struct mt_profile **procs = xcalloc(t->nprocs, sizeof(*procs));

		for (size_t i = 0; i < t->nprocs; i++)
			procs[i] = process_profile(t, t->procs[i], &popts);
		prof = mt_profile_combine(procs, t->nprocs);
		/* Followed at every event in every process: exact. */
		prof->totals.c.peak_live_bytes = t->peak_live_bytes;
	} else {
		prof = process_profile(t, t->proc, &popts);
	}
	free(prof->engine);
	prof->engine = xstrdup("int3");
	prof->max_sites = o->max_sites;
	prof->depth = o->depth;
	prof->min_size = o->min_size;
	mt_profile_sort(prof, o->sort);
	return prof;
}

static void summary_line(const struct mt_profile *prof, const char *path)
{
	char a[32], p[32], l[32];

	error_msg("%llu allocations (%s), peak %s, %s live at exit; profile written to %s",
		  (unsigned long long)prof->totals.c.allocs,
		  mt_human_bytes(prof->totals.c.alloc_bytes, a, sizeof(a)),
		  mt_human_bytes(prof->totals.c.peak_live_bytes, p, sizeof(p)),
		  mt_human_bytes(prof->totals.c.live_bytes, l, sizeof(l)), path);
}

/* The profile goes to FILE.tmp.PID first and is renamed into place when
 * complete, so a failed run never leaves a truncated profile behind or
 * destroys the previous one. */
static char *temp_path(const char *output)
{
	return xasprintf("%s.tmp.%d", output, (int)getpid());
}

/* Writes prof in the format asked for.  Returns 0 or -errno. */
static int emit(FILE *out, const struct mt_profile *prof, const struct mt_options *o)
{
	struct mt_report_opts ropts = { .top = o->top, .sort = o->sort, .stacks = o->stacks };
	int format = o->format >= 0 ? o->format :
		     o->output ? (int)mt_format_from_path(o->output) : MT_FORMAT_TEXT;

	switch (format) {
	case MT_FORMAT_JSON:
		return mt_report_json(out, prof);
	case MT_FORMAT_COLLAPSED:
		return mt_report_collapsed(out, prof, o->value);
	case MT_FORMAT_PPROF:
		return mt_report_pprof(out, prof, o->sort);
	default:
		return mt_report_text(out, prof, &ropts);
	}
}

/* Checks the --fail-if rules: the exit status they ask for, or 0. */
static int check_rules(const struct mt_options *o, const struct mt_profile *base,
		       const struct mt_profile *prof)
{
	return mt_rules_check(o->rules, o->nrules, base, prof) ? o->fail_exit_code : 0;
}

static int write_report(const struct mt_tracer *t, const struct mt_options *o, FILE *out,
			int *rule_status)
{
	struct mt_profile *prof = make_profile(t, o);
	int err;

	err = emit(out, prof, o);
	if (!err && fflush(out) != 0)
		err = -errno;
	if (out != stderr && fclose(out) != 0 && !err)
		err = -errno;
	if (!err && o->output) {
		char *tmp = temp_path(o->output);

		if (rename(tmp, o->output) < 0)
			err = -errno;
		free(tmp);
	}
	if (err) {
		error_msg("cannot write the profile to %s: %s", o->output ? o->output : "stderr",
			  strerror(-err));
	} else if (o->output && !o->quiet) {
		summary_line(prof, o->output);
	}
	*rule_status = check_rules(o, NULL, prof);
	mt_profile_free(prof);
	return err ? MT_EXIT_TRACE : 0;
}

static void discard_output(const struct mt_options *o, FILE *out)
{
	char *tmp;

	if (out == stderr)
		return;
	fclose(out);
	tmp = temp_path(o->output);
	unlink(tmp);
	free(tmp);
}

/* Opens the output first: a bad path is an error before anything is traced. */
static FILE *open_output(const struct mt_options *o)
{
	char *tmp;
	FILE *out;

	if (!o->output)
		return stderr;
	tmp = temp_path(o->output);
	out = fopen(tmp, "we");	/* close-on-exec: never the program's */
	free(tmp);
	if (!out)
		perror_msg("cannot write %s: check the directory exists and is writable", o->output);
	return out;
}

/*
 * Runs or attaches, then writes the report.  The exit status: a failure to
 * trace or write; else a --fail-if rule's; else run's program status (0
 * for attach).
 */
static int trace(const struct mt_options *o)
{
	struct mt_tracer t;
	FILE *out;
	int status, rules = 0;

	/* Before anything is opened: the guardian keeps nothing of the run. */
	mt_tracer_guard_signals();
	mt_guardian_split();
	out = open_output(o);
	if (!out)
		return MT_EXIT_USAGE;
	mt_tracer_init(&t, o);
	status = o->cmd == MT_CMD_ATTACH ? mt_tracer_attach(&t, o->pid) : mt_tracer_run(&t);
	if (status == 0 && !t.started) {
		/* The exec failed; the child said why.  No program, no profile. */
		status = shell_status(&t);
		discard_output(o, out);
	} else if (status == 0) {
		status = o->cmd == MT_CMD_ATTACH ? 0 : shell_status(&t);
		if (write_report(&t, o, out, &rules))
			status = MT_EXIT_TRACE;
		else if (rules)
			status = rules;
	} else {
		discard_output(o, out);
	}
	mt_tracer_destroy(&t);
	return status;
}

/* report and diff write to stdout, or to -o FILE. */
static FILE *open_plain_output(const struct mt_options *o)
{
	FILE *out = o->output ? fopen(o->output, "w") : stdout;

	if (!out)
		perror_msg("cannot write %s: check the directory exists and is writable", o->output);
	return out;
}

static int close_output(FILE *out, const struct mt_options *o, int err)
{
	if (fflush(out) != 0 && !err)
		err = -errno;
	if (out != stdout && fclose(out) != 0 && !err)
		err = -errno;
	if (err)
		error_msg("cannot write %s: %s", o->output ? o->output : "stdout", strerror(-err));
	return err ? MT_EXIT_TRACE : 0;
}

static struct mt_profile *load(const char *path)
{
	char err[512];
	struct mt_profile *prof = mt_profile_read(path, err, sizeof(err));

	if (!prof)
		error_msg("%s", err);
	return prof;
}

/* Keeps the sites whose average allocation is at least min_size. */
static void filter_min_size(struct mt_profile *prof, uint64_t min_size)
{
	size_t kept = 0;

	for (size_t i = 0; i < prof->nsites; i++) {
		struct mt_profile_site *s = &prof->sites[i];

		if (!s->c.allocs || s->c.alloc_bytes / s->c.allocs >= min_size) {
			prof->sites[kept++] = *s;
			continue;
		}
		for (uint32_t j = 0; j < s->nframes; j++)
			mt_frame_clear(&s->frames[j]);
		free(s->frames);
		free(s->allocator);
	}
	prof->nsites = kept;
}

static int cmd_report(const struct mt_options *o)
{
	struct mt_profile *prof = load(o->inputs[0]);
	FILE *out;
	int status;

	if (!prof)
		return MT_EXIT_USAGE;
	if (o->format == MT_FORMAT_PPROF && !o->output && isatty(STDOUT_FILENO)) {
		error_msg("the pprof format is binary: name a file for it with -o FILE.pb.gz, "
			  "or pipe it");
		mt_profile_free(prof);
		return MT_EXIT_USAGE;
	}
	for (size_t i = 0; i <= prof->nprocs; i++) {
		struct mt_profile *p = i ? prof->procs[i - 1] : prof;

		if (o->wrappers[0])
			mt_profile_pick_sites(p, (char **)o->wrappers, true);
		if (o->min_size)
			filter_min_size(p, o->min_size);
	}
	mt_profile_sort(prof, o->sort);
	out = open_plain_output(o);
	status = out ? close_output(out, o, emit(out, prof, o)) : MT_EXIT_USAGE;
	if (!status)
		status = check_rules(o, NULL, prof);
	mt_profile_free(prof);
	return status;
}

static int cmd_diff(const struct mt_options *o)
{
	struct mt_profile *base = load(o->inputs[0]), *now = base ? load(o->inputs[1]) : NULL;
	struct mt_diff *d;
	FILE *out;
	int status = MT_EXIT_USAGE;

	if (!now)
		goto done;
	d = mt_diff_build(base, now);
	out = open_plain_output(o);
	if (out) {
		bool json = o->format == MT_FORMAT_JSON ||
			    (o->format < 0 && o->output && mt_format_from_path(o->output) == MT_FORMAT_JSON);

		status = close_output(out, o, json ? mt_diff_json(out, d) : mt_diff_text(out, d, o->top));
	}
	if (!status)
		status = check_rules(o, base, now);
	mt_diff_free(d);
done:
	mt_profile_free(base);
	mt_profile_free(now);
	return status;
}

int main(int argc, char **argv)
{
	struct mt_options opts;
	char err[512];

	mt_launch_save_signals();
	mt_debug_enabled = getenv("MEMTRACER_DEBUG") && *getenv("MEMTRACER_DEBUG");
	elf_version(EV_CURRENT);
	if (mt_options_parse(argc, argv, &opts, err, sizeof(err)) < 0) {
		error_msg("%s", err);
		return MT_EXIT_USAGE;
	}
	switch (opts.cmd) {
	case MT_CMD_HELP:
		mt_usage(stdout);
		return 0;
	case MT_CMD_VERSION:
		printf("memtracer %s\n", PACKAGE_VERSION);
		return 0;
	case MT_CMD_RUN:
	case MT_CMD_ATTACH:
		return trace(&opts);
	case MT_CMD_REPORT:
		return cmd_report(&opts);
	case MT_CMD_DIFF:
		return cmd_diff(&opts);
	default:
		return MT_EXIT_USAGE;
	}
}
