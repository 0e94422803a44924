/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Folded stacks for flame graph tools (flamegraph.pl, inferno, speedscope):
 * one line per site, frames from the root to the allocation joined by ';',
 * a space, and the value.  Sites with a zero value are left out.
 */
#include "config.h"
#include "report.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

int mt_value_from_name(const char *name)
{
	if (strcmp(name, "bytes") == 0)
		return MT_VALUE_BYTES;
	if (strcmp(name, "count") == 0)
		return MT_VALUE_COUNT;
	if (strcmp(name, "live") == 0)
		return MT_VALUE_LIVE;
	return -1;
}

/* Frame names may not hold the separators of the format. */
static void put_name(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == ';' ? ':' : *s == '\n' ? ' ' : *s, out);
}

static void put_frame(FILE *out, const struct mt_frame *f)
{
	const char *slash;

	if (f->function) {
		put_name(out, f->function);
	} else if (f->module) {
		slash = strrchr(f->module, '/');
		put_name(out, slash ? slash + 1 : f->module);
		fprintf(out, "+0x%" PRIx64, f->offset);
	} else {
		fprintf(out, "0x%" PRIx64, f->address);
	}
}

int mt_report_collapsed(FILE *out, const struct mt_profile *p, enum mt_value value)
{
	errno = 0;
	for (size_t i = 0; i < p->nsites; i++) {
		const struct mt_profile_site *s = &p->sites[i];
		uint64_t v = value == MT_VALUE_COUNT ? s->c.allocs :
			     value == MT_VALUE_LIVE ? s->c.live_bytes : s->c.alloc_bytes;

		if (!v)
			continue;
		if (s->overflow || !s->nframes)
			fputs(s->overflow ? "[overflow]" : "[unknown]", out);
		for (uint32_t j = s->nframes; j-- > 0;) {
			put_frame(out, &s->frames[j]);
			if (j)
				fputc(';', out);
		}
		fprintf(out, " %" PRIu64 "\n", v);
	}
	return ferror(out) ? -(errno ? errno : EIO) : 0;
}
