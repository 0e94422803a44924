/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Report writers.  Each takes a finished profile; none knows how it was made.
 */
#ifndef MT_REPORT_H
#define MT_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "profile.h"

enum mt_format { MT_FORMAT_TEXT, MT_FORMAT_JSON, MT_FORMAT_COLLAPSED, MT_FORMAT_PPROF };

/* What a collapsed stack counts (--value). */
enum mt_value { MT_VALUE_BYTES, MT_VALUE_COUNT, MT_VALUE_LIVE };

struct mt_report_opts {
	unsigned top;		/* sites shown in text; 0 = all */
	enum mt_sort sort;
	bool stacks;		/* print each top site's whole stack (text) */
};

/* Parses "text" | "json" | "collapsed" | "pprof"; -1 when unknown. */
int mt_format_from_name(const char *name);
/* Format implied by a file name's extension (.json; .pb.gz, .pprof), else text. */
enum mt_format mt_format_from_path(const char *path);

/* Both return 0, or -errno when writing failed. */
int mt_report_text(FILE *out, const struct mt_profile *prof,
		   const struct mt_report_opts *opts);
int mt_report_json(FILE *out, const struct mt_profile *prof);
int mt_report_collapsed(FILE *out, const struct mt_profile *prof, enum mt_value value);
/* Gzipped pprof profile.proto; sort picks the default sample type
 * (bytes: alloc_space, count: alloc_objects, live: inuse_space). */
int mt_report_pprof(FILE *out, const struct mt_profile *prof, enum mt_sort sort);
/* Parses "bytes" | "count" | "live"; -1 when unknown. */
int mt_value_from_name(const char *name);

/* Human units: "1.5 KiB", "12.0 MiB"; "17 B" below 1 KiB.  buf of >= 32. */
const char *mt_human_bytes(uint64_t bytes, char *buf, size_t len);

#endif
