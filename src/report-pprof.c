/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pprof output: the profile as a gzipped profile.proto message, for
 * `go tool pprof` (top, list, flame graph, -base diffs) and the other tools
 * that read that format.  protoc-c generates the encoder from pprof.proto;
 * this file only maps the profile model onto its tables:
 *
 *   sample    one per site: the site's stack, leaf first, and four values
 *             (alloc_objects, alloc_space, inuse_objects, inuse_space);
 *             the allocator ("malloc", "new[]"...) as a label
 *   location  one per distinct (module, address); a PC inside inlined code
 *             gives one location with a line per inlined function,
 *             innermost first, as the format wants
 *   function  one per distinct (name, file)
 *   mapping   one per module, with its build-id
 *
 * Frames with no symbol are named as in the other reports (module+0xoffset)
 * so that every format shows the same stacks.
 */
#include "config.h"
#include "report.h"
#include "strtab.h"
#include "util.h"
#include "pprof.pb-c.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The message under construction, and the tables that deduplicate it. */
struct builder {
	const struct mt_profile *prof;
	Pprof__Profile msg;
	struct mt_strtab strings, functions, locations;
	size_t cap_sample, cap_location, cap_function, cap_comment;
};

static int64_t str_id(struct builder *b, const char *s)
{
	return (int64_t)mt_strtab_intern(&b->strings, s ? s : "", NULL);
}

static Pprof__ValueType *value_type(struct builder *b, const char *type, const char *unit)
{
	Pprof__ValueType *vt = xmalloc(sizeof(*vt));

	pprof__value_type__init(vt);
	vt->type = str_id(b, type);
	vt->unit = str_id(b, unit);
	return vt;
}

/* The sample types, in the order of each sample's values; the names are
 * those of Go's heap profiles, so pprof's -sample_index aliases work. */
static const char *const sample_names[][2] = {
	{ "alloc_objects", "count" }, { "alloc_space", "bytes" },
	{ "inuse_objects", "count" }, { "inuse_space", "bytes" },
};
enum { NVALUES = MT_ARRAY_SIZE(sample_names) };

static void add_sample_types(struct builder *b, enum mt_sort sort)
{
	int def = sort == MT_SORT_COUNT ? 0 : sort == MT_SORT_LIVE ? 3 : 1;

	b->msg.n_sample_type = NVALUES;
	b->msg.sample_type = xcalloc(NVALUES, sizeof(*b->msg.sample_type));
	for (int i = 0; i < NVALUES; i++)
		b->msg.sample_type[i] = value_type(b, sample_names[i][0], sample_names[i][1]);
	b->msg.default_sample_type = str_id(b, sample_names[def][0]);
	/* Every event is counted: nothing is sampled or scaled. */
	b->msg.period_type = value_type(b, "space", "bytes");
	b->msg.period = 1;
}

static void add_mappings(struct builder *b)
{
	const struct mt_profile *p = b->prof;

	b->msg.n_mapping = p->nmodules;
	b->msg.mapping = xcalloc(p->nmodules ? p->nmodules : 1, sizeof(*b->msg.mapping));
	for (size_t i = 0; i < p->nmodules; i++) {
		const struct mt_module *m = &p->modules[i];
		Pprof__Mapping *pm = xmalloc(sizeof(*pm));

		pprof__mapping__init(pm);
		pm->id = i + 1;
		pm->memory_start = m->start;
		pm->memory_limit = m->end;
		/* start is the module's lowest mapping, which every ELF linker
		 * makes the one holding the file's first bytes. */
		pm->file_offset = 0;
		pm->filename = str_id(b, m->path);
		pm->build_id = str_id(b, m->build_id);
		b->msg.mapping[i] = pm;
	}
}

/* The mapping of a frame: the module of that path holding its address
 * (a path may have been mapped twice, at two addresses). */
static Pprof__Mapping *frame_mapping(struct builder *b, const struct mt_frame *f)
{
	const struct mt_profile *p = b->prof;

	if (!f->module)
		return NULL;
	for (size_t i = 0; i < p->nmodules; i++) {
		const struct mt_module *m = &p->modules[i];

		if (strcmp(m->path, f->module) == 0 && f->address > m->start &&
		    f->address <= m->end)
			return b->msg.mapping[i];
	}
	return NULL;
}

/* The name a frame shows under, as in the text and collapsed reports. */
static char *frame_name(const struct mt_frame *f)
{
	const char *slash;

	if (f->function)
		return xstrdup(f->function);
	if (f->module) {
		slash = strrchr(f->module, '/');
		return xasprintf("%s+0x%" PRIx64, slash ? slash + 1 : f->module, f->offset);
	}
	return xasprintf("0x%" PRIx64, f->address);
}

static uint64_t function_id(struct builder *b, const char *name, const char *file)
{
	char *key = xasprintf("%s%c%s", name, 1, file ? file : "");
	bool added;
	size_t idx = mt_strtab_intern(&b->functions, key, &added);

	free(key);
	if (added) {
		Pprof__Function *fn = xmalloc(sizeof(*fn));

		pprof__function__init(fn);
		fn->id = idx + 1;
		fn->name = fn->system_name = str_id(b, name);
		fn->filename = str_id(b, file);
		b->msg.function = xgrow(b->msg.function, &b->cap_function, idx + 1,
					sizeof(*b->msg.function));
		b->msg.function[idx] = fn;
		b->msg.n_function = idx + 1;
	}
	return idx + 1;
}

static void add_line(struct builder *b, Pprof__Location *loc, const struct mt_frame *f)
{
	Pprof__Line *ln = xmalloc(sizeof(*ln));
	char *name = frame_name(f);

	pprof__line__init(ln);
	ln->function_id = function_id(b, name, f->file);
	ln->line = f->line;
	free(name);
	loc->line = xrealloc(loc->line, (loc->n_line + 1) * sizeof(*loc->line));
	loc->line[loc->n_line++] = ln;
}

/* What the mapping can claim about its locations, so that pprof does not
 * try to symbolize them again from files that may have changed. */
static void note_mapping_content(Pprof__Mapping *m, const struct mt_frame *f)
{
	if (!m)
		return;
	m->has_functions |= f->function != NULL;
	m->has_filenames |= f->file != NULL;
	m->has_line_numbers |= f->line != 0;
	m->has_inline_frames |= f->inlined;
}

/*
 * The location of the frames f[0..n): the inlined ones and the function
 * they were inlined into, all at one address.  Returns its id.
 */
static uint64_t location_id(struct builder *b, const struct mt_frame *f, uint32_t n)
{
	const struct mt_frame *outer = &f[n - 1];
	/* One address always symbolizes alike; the name tells apart the
	 * pseudo frames, which have none. */
	char *key = xasprintf("%s%c%" PRIx64 "%c%s", outer->module ? outer->module : "", 1,
			      outer->address, 1, outer->function ? outer->function : "");
	bool added;
	size_t idx = mt_strtab_intern(&b->locations, key, &added);
	Pprof__Location *loc;

	free(key);
	if (!added)
		return idx + 1;
	loc = xmalloc(sizeof(*loc));
	pprof__location__init(loc);
	loc->id = idx + 1;
	loc->address = outer->address;
	for (uint32_t i = 0; i < n; i++) {
		Pprof__Mapping *m = frame_mapping(b, &f[i]);

		if (m)
			loc->mapping_id = m->id;
		note_mapping_content(m, &f[i]);
		add_line(b, loc, &f[i]);
	}
	b->msg.location = xgrow(b->msg.location, &b->cap_location, idx + 1,
				sizeof(*b->msg.location));
	b->msg.location[idx] = loc;
	b->msg.n_location = idx + 1;
	return idx + 1;
}

/* A location that stands for a whole stack ("[overflow]", "[unknown]"). */
static uint64_t pseudo_location(struct builder *b, const char *name)
{
	struct mt_frame f = { .function = (char *)name };

	return location_id(b, &f, 1);
}

static void add_stack(struct builder *b, Pprof__Sample *smp, const struct mt_profile_site *s)
{
	uint32_t i = 0;

	smp->location_id = xcalloc(s->nframes ? s->nframes : 1, sizeof(*smp->location_id));
	if (s->overflow || !s->nframes) {
		smp->location_id[smp->n_location_id++] =
			pseudo_location(b, s->overflow ? "[overflow]" : "[unknown]");
		return;
	}
	while (i < s->nframes) {
		uint32_t n = 1;

		/* Inlined frames come first, then the function holding them. */
		while (i + n < s->nframes && s->frames[i + n - 1].inlined)
			n++;
		smp->location_id[smp->n_location_id++] = location_id(b, &s->frames[i], n);
		i += n;
	}
}

static Pprof__Label *label(struct builder *b, const char *key, const char *str, int64_t num)
{
	Pprof__Label *lbl = xmalloc(sizeof(*lbl));

	pprof__label__init(lbl);
	lbl->key = str_id(b, key);
	if (str)
		lbl->str = str_id(b, str);
	else
		lbl->num = num;
	return lbl;
}

/* A sample per site; pid > 0 (--follow-forks) labels it with its process. */
static void add_sample(struct builder *b, const struct mt_profile_site *s, int pid)
{
	Pprof__Sample *smp = xmalloc(sizeof(*smp));
	const int64_t values[NVALUES] = {
		(int64_t)s->c.allocs, (int64_t)s->c.alloc_bytes,
		(int64_t)s->c.live_allocs, (int64_t)s->c.live_bytes,
	};

	pprof__sample__init(smp);
	add_stack(b, smp, s);
	smp->n_value = NVALUES;
	smp->value = xmalloc(sizeof(values));
	memcpy(smp->value, values, sizeof(values));
	smp->label = xcalloc(2, sizeof(*smp->label));
	smp->label[smp->n_label++] = label(b, "allocator", s->allocator, 0);
	if (pid > 0)
		smp->label[smp->n_label++] = label(b, "pid", NULL, pid);
	b->msg.sample = xgrow(b->msg.sample, &b->cap_sample, b->msg.n_sample + 1,
			      sizeof(*b->msg.sample));
	b->msg.sample[b->msg.n_sample++] = smp;
}

static void add_comment(struct builder *b, char *text)
{
	b->msg.comment = xgrow(b->msg.comment, &b->cap_comment, b->msg.n_comment + 1,
			       sizeof(*b->msg.comment));
	b->msg.comment[b->msg.n_comment++] = str_id(b, text);
	free(text);
}

/* What the format has no field for, as comments (pprof -comments). */
static void add_comments(struct builder *b)
{
	const struct mt_profile *p = b->prof;
	const struct mt_totals *t = &p->totals;

	add_comment(b, xasprintf("memtracer %s profile of pid %d: %s", PACKAGE_VERSION, p->pid,
				 p->command ? p->command : "?"));
	if (p->exit_kind == MT_EXIT_CODE)
		add_comment(b, xasprintf("exit status %d", p->exit_value));
	else if (p->exit_kind == MT_EXIT_SIGNAL)
		add_comment(b, xasprintf("killed by signal %d", p->exit_value));
	add_comment(b, xasprintf("peak live bytes %" PRIu64, t->c.peak_live_bytes));
	add_comment(b, xasprintf("frees %" PRIu64 ", %" PRIu64 " bytes; unknown frees %" PRIu64
				 "; failed allocations %" PRIu64,
				 t->c.frees, t->c.freed_bytes, t->unknown_frees, t->c.failed_allocs));
	if (p->min_size)
		add_comment(b, xasprintf("%" PRIu64 " allocations under %" PRIu64
					 " bytes not recorded (--min-size)",
					 t->filtered_allocs, p->min_size));
}

static void build(struct builder *b, const struct mt_profile *prof, enum mt_sort sort)
{
	memset(b, 0, sizeof(*b));
	b->prof = prof;
	pprof__profile__init(&b->msg);
	str_id(b, "");		/* string 0 must be the empty string */
	add_sample_types(b, sort);
	add_mappings(b);
	if (prof->nprocs) {
		/* Each process's own sites: pprof sums equal stacks itself, and
		 * -tagfocus=pid=N shows one process. */
		for (size_t i = 0; i < prof->nprocs; i++)
			for (size_t j = 0; j < prof->procs[i]->nsites; j++)
				add_sample(b, &prof->procs[i]->sites[j], prof->procs[i]->pid);
	} else {
		for (size_t i = 0; i < prof->nsites; i++)
			add_sample(b, &prof->sites[i], 0);
	}
	add_comments(b);
	b->msg.duration_nanos = (int64_t)(prof->duration * 1e9);
	b->msg.n_string_table = b->strings.n;
	b->msg.string_table = b->strings.keys;
}

static void free_sample(Pprof__Sample *s)
{
	for (size_t i = 0; i < s->n_label; i++)
		free(s->label[i]);
	free(s->label);
	free(s->location_id);
	free(s->value);
	free(s);
}

static void free_location(Pprof__Location *l)
{
	for (size_t i = 0; i < l->n_line; i++)
		free(l->line[i]);
	free(l->line);
	free(l);
}

static void destroy(struct builder *b)
{
	Pprof__Profile *m = &b->msg;

	for (size_t i = 0; i < m->n_sample_type; i++)
		free(m->sample_type[i]);
	free(m->sample_type);
	free(m->period_type);
	for (size_t i = 0; i < m->n_sample; i++)
		free_sample(m->sample[i]);
	free(m->sample);
	for (size_t i = 0; i < m->n_mapping; i++)
		free(m->mapping[i]);
	free(m->mapping);
	for (size_t i = 0; i < m->n_location; i++)
		free_location(m->location[i]);
	free(m->location);
	for (size_t i = 0; i < m->n_function; i++)
		free(m->function[i]);
	free(m->function);
	free(m->comment);
	mt_strtab_free(&b->strings);	/* owns string_table */
	mt_strtab_free(&b->functions);
	mt_strtab_free(&b->locations);
}

/* gzip-compresses len bytes of buf onto out.  Returns 0 or -errno. */
static int write_gzip(FILE *out, const uint8_t *buf, size_t len)
{
	uint8_t chunk[16384];
	z_stream zs = { 0 };
	int zerr;

	/* windowBits 15 + 16: a gzip header and trailer, which pprof wants. */
	if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	zs.next_in = (uint8_t *)buf;
	zs.avail_in = (uInt)len;	/* profiles stay far below 4 GiB */
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		zerr = deflate(&zs, Z_FINISH);
		if (zerr == Z_STREAM_ERROR)
			break;
		fwrite(chunk, 1, sizeof(chunk) - zs.avail_out, out);
	} while (zerr != Z_STREAM_END);
	deflateEnd(&zs);
	return zerr == Z_STREAM_END ? 0 : -EIO;
}

int mt_report_pprof(FILE *out, const struct mt_profile *prof, enum mt_sort sort)
{
	struct builder b;
	uint8_t *buf;
	size_t len;
	int err;

	build(&b, prof, sort);
	len = pprof__profile__get_packed_size(&b.msg);
	buf = xmalloc(len ? len : 1);
	pprof__profile__pack(&b.msg, buf);
	destroy(&b);
	errno = 0;
	err = write_gzip(out, buf, len);
	free(buf);
	if (!err && ferror(out))
		err = -(errno ? errno : EIO);
	return err;
}
