/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The text report: a header with the run's totals, then the top call sites.
 * Numbers are formatted here, not by the locale, so the output is the same
 * everywhere (it is golden-tested).
 */
#include "config.h"
#include "report.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

int mt_format_from_name(const char *name)
{
	if (strcmp(name, "text") == 0)
		return MT_FORMAT_TEXT;
	if (strcmp(name, "json") == 0)
		return MT_FORMAT_JSON;
	if (strcmp(name, "collapsed") == 0)
		return MT_FORMAT_COLLAPSED;
	if (strcmp(name, "pprof") == 0)
		return MT_FORMAT_PPROF;
	return -1;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t len = strlen(s), slen = strlen(suffix);

	return len >= slen && strcmp(s + len - slen, suffix) == 0;
}

enum mt_format mt_format_from_path(const char *path)
{
	if (has_suffix(path, ".json"))
		return MT_FORMAT_JSON;
	if (has_suffix(path, ".pb.gz") || has_suffix(path, ".pprof"))
		return MT_FORMAT_PPROF;
	return MT_FORMAT_TEXT;
}

const char *mt_human_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", bytes);
		return buf;
	}
	v /= 1024;
	while (v >= 1023.95 && u + 1 < MT_ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

/* 1234567 -> "1,234,567" */
static const char *grouped(uint64_t v, char *buf, size_t len)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%" PRIu64, v), out = 0;

	for (int i = 0; i < n && (size_t)out + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[out++] = ',';
		buf[out++] = digits[i];
	}
	buf[out] = '\0';
	return buf;
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

static void describe_end(FILE *out, const struct mt_profile *p)
{
	switch (p->exit_kind) {
	case MT_EXIT_CODE:
		fprintf(out, "exited with status %d", p->exit_value);
		break;
	case MT_EXIT_SIGNAL:
		fprintf(out, "killed by signal %d (SIG%s)", p->exit_value,
			sigabbrev_np(p->exit_value) ? sigabbrev_np(p->exit_value) : "?");
		break;
	case MT_EXIT_UNKNOWN:
		fputs("was still running when memtracer detached", out);
		break;
	}
}

static void header(FILE *out, const struct mt_profile *p)
{
	const struct mt_counters *c = &p->totals.c;
	char n1[32], n2[32], b1[32], b2[32];

	fprintf(out, "memtracer: %s (pid %d) ", p->command ? p->command : "?", p->pid);
	describe_end(out, p);
	fprintf(out, " after %.2f s\n", p->duration);
	fprintf(out, "  allocations   %14s  %11s    frees          %14s  %11s\n",
		grouped(c->allocs, n1, sizeof(n1)), mt_human_bytes(c->alloc_bytes, b1, sizeof(b1)),
		grouped(c->frees, n2, sizeof(n2)), mt_human_bytes(c->freed_bytes, b2, sizeof(b2)));
	fprintf(out, "  peak live     %14s  %11s    live at exit   %14s  %11s%s\n", "",
		mt_human_bytes(c->peak_live_bytes, b1, sizeof(b1)),
		grouped(c->live_allocs, n2, sizeof(n2)),
		mt_human_bytes(c->live_bytes, b2, sizeof(b2)),
		c->live_allocs ? "  (not freed)" : "");
	fprintf(out, "  temporary     %14s  %11s    failed allocs  %14s\n",
		grouped(c->temporary_allocs, n1, sizeof(n1)), "",
		grouped(c->failed_allocs, n2, sizeof(n2)));
	fprintf(out, "  unknown frees %14s\n", grouped(p->totals.unknown_frees, n1, sizeof(n1)));
	if (p->totals.filtered_allocs)
		fprintf(out, "  %s allocations below --min-size %" PRIu64 " are in the totals only\n",
			grouped(p->totals.filtered_allocs, n1, sizeof(n1)), p->min_size);
	if (p->totals.overflow_events)
		fprintf(out, "  the site table was full (--max-sites %" PRIu32 "): %s events were "
			"merged into one overflow site\n", p->max_sites,
			grouped(p->totals.overflow_events, n1, sizeof(n1)));
	if (p->exit_kind == MT_EXIT_UNKNOWN)
		fputs("  live figures cover only the allocations seen while attached\n", out);
	if (p->nprocs)
		fprintf(out, "  totals of %zu processes (--follow-forks); peak live is of all of them "
			"together\n", p->nprocs);
}

static const char *sort_name(enum mt_sort key)
{
	switch (key) {
	case MT_SORT_COUNT: return "count";
	case MT_SORT_LIVE: return "live bytes";
	case MT_SORT_PEAK: return "peak live bytes";
	case MT_SORT_BYTES: break;
	}
	return "bytes";
}

/*
 * The most precise place known: source line, else module and offset (which
 * addr2line can resolve later, once debug info is installed), else the bare
 * address.
 */
static void print_frame_site(FILE *out, const struct mt_frame *f)
{
	if (f->function && f->file)
		fprintf(out, "%s (%s:%" PRIu32 ")", f->function, base_name(f->file), f->line);
	else if (f->function && f->module)
		fprintf(out, "%s (%s+0x%" PRIx64 ")", f->function, base_name(f->module), f->offset);
	else if (f->function)
		fprintf(out, "%s (0x%" PRIx64 ")", f->function, f->address);
	else if (f->module)
		fprintf(out, "%s+0x%" PRIx64, base_name(f->module), f->offset);
	else
		fprintf(out, "0x%" PRIx64, f->address);
}

static void print_stack(FILE *out, const struct mt_profile_site *s)
{
	for (uint32_t i = 0; i < s->nframes; i++) {
		const struct mt_frame *f = &s->frames[i];

		fprintf(out, "        #%-2" PRIu32 " ", i);
		print_frame_site(out, f);
		if (f->module && f->file)	/* else the site already names it */
			fprintf(out, " in %s", base_name(f->module));
		fputs(f->inlined ? " [inlined]\n" : "\n", out);
	}
	if (s->truncated)
		fputs("        ... [stack truncated at --depth]\n", out);
}

/* The site's frame, or what stands for it. */
static void print_site_name(FILE *out, const struct mt_profile_site *s, const char *overflow)
{
	if (s->overflow)
		fputs(overflow, out);
	else if (s->nframes)
		print_frame_site(out, &s->frames[s->site_frame]);
	else
		fputs("[unknown call site]", out);
}

static void print_site(FILE *out, const struct mt_profile_site *s, bool stacks)
{
	char b1[32], n1[32], b2[32], b3[32], b4[32];
	uint64_t avg = s->c.allocs ? s->c.alloc_bytes / s->c.allocs : 0;

	fprintf(out, "  %11s %10s %10s %11s %11s  %-8s ",
		mt_human_bytes(s->c.alloc_bytes, b1, sizeof(b1)),
		grouped(s->c.allocs, n1, sizeof(n1)), mt_human_bytes(avg, b2, sizeof(b2)),
		mt_human_bytes(s->c.live_bytes, b3, sizeof(b3)),
		mt_human_bytes(s->c.peak_live_bytes, b4, sizeof(b4)), s->allocator);
	print_site_name(out, s, "[overflow: stacks that did not fit in --max-sites]");
	if (s->c.failed_allocs)
		fprintf(out, "  [%" PRIu64 " failed]", s->c.failed_allocs);
	fputc('\n', out);
	if (stacks && !s->overflow)
		print_stack(out, s);
}

/* A function's inclusive totals: every site with it anywhere on the stack. */
struct fn_total {
	const char *name;
	uint64_t bytes, allocs, live;
	size_t last_site;	/* counts a recursive function once per site */
};

struct fn_table {
	struct fn_total *v;
	size_t *index, mask, n;
};

static struct fn_total *fn_lookup(struct fn_table *t, const char *name)
{
	size_t i = 5381;

	for (const char *c = name; *c; c++)
		i = i * 131 + (unsigned char)*c;
	for (i &= t->mask; t->index[i] != SIZE_MAX; i = (i + 1) & t->mask)
		if (strcmp(t->v[t->index[i]].name, name) == 0)
			return &t->v[t->index[i]];
	t->index[i] = t->n;
	t->v[t->n] = (struct fn_total){ .name = name, .last_site = SIZE_MAX };
	return &t->v[t->n++];
}

static int cmp_fn(const void *pa, const void *pb)
{
	const struct fn_total *a = pa, *b = pb;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	if (a->allocs != b->allocs)
		return a->allocs > b->allocs ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void functions_table(FILE *out, const struct mt_profile *p, unsigned top)
{
	size_t frames = 0, shown;
	struct fn_table t = { 0 };

	for (size_t i = 0; i < p->nsites; i++)
		frames += p->sites[i].nframes;
	for (t.mask = 15; t.mask < frames * 2; t.mask = t.mask * 2 + 1)
		;
	t.v = xcalloc(frames + 1, sizeof(*t.v));
	t.index = xmalloc((t.mask + 1) * sizeof(*t.index));
	memset(t.index, 0xff, (t.mask + 1) * sizeof(*t.index));
	for (size_t i = 0; i < p->nsites; i++) {
		const struct mt_profile_site *s = &p->sites[i];

		for (uint32_t j = 0; j < s->nframes; j++) {
			struct fn_total *f;

			if (!s->frames[j].function)
				continue;
			f = fn_lookup(&t, s->frames[j].function);
			if (f->last_site == i)
				continue;
			f->last_site = i;
			f->bytes += s->c.alloc_bytes;
			f->allocs += s->c.allocs;
			f->live += s->c.live_bytes;
		}
	}
	qsort(t.v, t.n, sizeof(*t.v), cmp_fn);
	shown = top && top < t.n ? top : t.n;
	fprintf(out, "\nTop %zu functions by inclusive bytes (of %zu):\n", shown, t.n);
	fprintf(out, "  %11s %10s %11s  %s\n", "bytes", "count", "live@exit", "function");
	for (size_t i = 0; i < shown; i++) {
		char b1[32], n1[32], b2[32];

		fprintf(out, "  %11s %10s %11s  %s\n", mt_human_bytes(t.v[i].bytes, b1, sizeof(b1)),
			grouped(t.v[i].allocs, n1, sizeof(n1)),
			mt_human_bytes(t.v[i].live, b2, sizeof(b2)), t.v[i].name);
	}
	free(t.v);
	free(t.index);
}

static void sites_table(FILE *out, const struct mt_profile *p, const struct mt_report_opts *opts)
{
	size_t shown = opts->top && opts->top < p->nsites ? opts->top : p->nsites;

	fprintf(out, "\nTop %zu call sites by %s (of %zu):\n", shown, sort_name(opts->sort), p->nsites);
	fprintf(out, "  %11s %10s %10s %11s %11s  %-8s %s\n",
		"bytes", "count", "average", "live@exit", "peak", "kind", "site");
	for (size_t i = 0; i < shown; i++)
		print_site(out, &p->sites[i], opts->stacks);
}

/* --follow-forks: one line per process, then each one that allocated. */
static void processes(FILE *out, const struct mt_profile *p, const struct mt_report_opts *opts)
{
	fprintf(out, "\nProcesses (%zu):\n", p->nprocs);
	fprintf(out, "  %8s %8s %10s %11s %11s  %-12s %s\n",
		"pid", "parent", "count", "bytes", "live@exit", "end", "command");
	for (size_t i = 0; i < p->nprocs; i++) {
		const struct mt_profile *q = p->procs[i];
		char n1[32], b1[32], b2[32], end[32];

		if (q->exit_kind == MT_EXIT_CODE)
			snprintf(end, sizeof(end), "status %d", q->exit_value);
		else if (q->exit_kind == MT_EXIT_SIGNAL)
			snprintf(end, sizeof(end), "SIG%s", sigabbrev_np(q->exit_value) ?
				 sigabbrev_np(q->exit_value) : "?");
		else
			snprintf(end, sizeof(end), "running");
		fprintf(out, "  %8d %8d %10s %11s %11s  %-12s %s\n", q->pid, q->ppid,
			grouped(q->totals.c.allocs, n1, sizeof(n1)),
			mt_human_bytes(q->totals.c.alloc_bytes, b1, sizeof(b1)),
			mt_human_bytes(q->totals.c.live_bytes, b2, sizeof(b2)), end,
			q->command ? q->command : "?");
	}
	for (size_t i = 0; i < p->nprocs; i++) {
		if (!p->procs[i]->totals.c.allocs && !p->procs[i]->totals.c.frees)
			continue;
		fprintf(out, "\n== process %d, child of %d ==\n", p->procs[i]->pid, p->procs[i]->ppid);
		header(out, p->procs[i]);
		sites_table(out, p->procs[i], opts);
	}
}

static int cmp_at_peak(const void *pa, const void *pb)
{
	const struct mt_profile_site *a = *(const struct mt_profile_site *const *)pa;
	const struct mt_profile_site *b = *(const struct mt_profile_site *const *)pb;

	if (a->live_at_peak != b->live_at_peak)
		return a->live_at_peak > b->live_at_peak ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* What was live when the process peaked (massif's peak snapshot). */
static void peak_table(FILE *out, const struct mt_profile *p, unsigned top)
{
	const struct mt_profile_site **v = xcalloc(p->nsites + 1, sizeof(*v));
	size_t n = 0, shown;
	char b1[32], b2[32], n1[32];

	for (size_t i = 0; i < p->nsites; i++)
		if (p->sites[i].live_at_peak)
			v[n++] = &p->sites[i];
	qsort(v, n, sizeof(*v), cmp_at_peak);
	shown = top && top < n ? top : n;
	fprintf(out, "\nLive at the peak (%s, %.2f s in, after %s allocations and frees), "
		"top %zu of %zu sites:\n", mt_human_bytes(p->totals.c.peak_live_bytes, b1, sizeof(b1)),
		p->peak_time, grouped(p->peak_events, n1, sizeof(n1)), shown, n);
	fprintf(out, "  %11s %6s  %-8s %s\n", "live", "share", "kind", "site");
	for (size_t i = 0; i < shown; i++) {
		const struct mt_profile_site *s = v[i];

		fprintf(out, "  %11s %5.1f%%  %-8s ", mt_human_bytes(s->live_at_peak, b2, sizeof(b2)),
			p->totals.c.peak_live_bytes ?
			100.0 * (double)s->live_at_peak / (double)p->totals.c.peak_live_bytes : 0.0,
			s->allocator);
		print_site_name(out, s, "[overflow]");
		fputc('\n', out);
	}
	free(v);
}

static void phases_table(FILE *out, const struct mt_profile *p)
{
	fprintf(out, "\nPhases (%zu):\n", p->nphases);
	fprintf(out, "  %8s %10s %11s %11s %11s  %s\n",
		"entries", "count", "bytes", "left live", "peak", "phase");
	for (size_t i = 0; i < p->nphases; i++) {
		const struct mt_phase_stats *ph = &p->phases[i];
		char n1[32], n2[32], b1[32], b2[32], b3[32];

		fprintf(out, "  %8s %10s %11s %11s %11s  %s\n", grouped(ph->entries, n1, sizeof(n1)),
			grouped(ph->allocs, n2, sizeof(n2)),
			mt_human_bytes(ph->alloc_bytes, b1, sizeof(b1)),
			mt_human_bytes(ph->live_bytes, b2, sizeof(b2)),
			mt_human_bytes(ph->peak_live_bytes, b3, sizeof(b3)), ph->name);
	}
}

int mt_report_text(FILE *out, const struct mt_profile *p, const struct mt_report_opts *opts)
{
	errno = 0;
	header(out, p);
	sites_table(out, p, opts);
	if (p->nphases)
		phases_table(out, p);
	if (p->has_peak && p->totals.c.peak_live_bytes)
		peak_table(out, p, opts->top);
	functions_table(out, p, opts->top);
	if (p->nprocs)
		processes(out, p, opts);
	return ferror(out) ? -(errno ? errno : EIO) : 0;
}
