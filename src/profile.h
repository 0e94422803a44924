/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The profile model: a finished, symbolized profile, independent of how it was
 * made.  Built from a run's accounting tables (mt_profile_build) and, later,
 * read back from JSON; every report writer takes this and nothing else.
 */
#ifndef MT_PROFILE_H
#define MT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "counters.h"
#include "modules.h"
#include "phases.h"

#define MT_PROFILE_FORMAT "memtracer-profile"
#define MT_PROFILE_VERSION 1

struct mt_frame {
	char *function;		/* symbol name, or NULL when unknown */
	char *file;		/* source file, or NULL */
	uint32_t line;		/* 0 when unknown */
	char *module;		/* module path, or NULL */
	uint64_t address;	/* the PC as unwound (a return address) */
	uint64_t offset;	/* address minus module bias; 0 without module */
	bool inlined;
};

struct mt_profile_site {
	char *allocator;		/* kind name: "malloc", "new[]", ... */
	struct mt_counters c;
	struct mt_frame *frames;	/* frames[0]: the allocator's caller */
	uint32_t nframes;
	uint32_t site_frame;		/* index of the frame shown as the site */
	bool truncated;			/* stack cut at --depth */
	bool overflow;			/* the merged overflow site */
	uint64_t live_at_peak;		/* its live bytes at the process's peak */
};

/* A point of the live-bytes timeline. */
struct mt_profile_point {
	double time;			/* seconds since the start */
	uint64_t events;		/* allocations and frees so far */
	uint64_t live_bytes, max_live_bytes;	/* then; the most since the last point */
};

enum mt_exit_kind { MT_EXIT_UNKNOWN, MT_EXIT_CODE, MT_EXIT_SIGNAL };

struct mt_profile {
	char *command;			/* program and arguments, space-joined */
	int pid;
	int ppid;			/* in procs[]: the parent's pid; 0 for the root */
	enum mt_exit_kind exit_kind;
	int exit_value;			/* exit code or signal number */
	double duration;		/* seconds, wall clock */
	char *engine;			/* "int3" */
	uint32_t max_sites, depth;
	uint64_t min_size;
	struct mt_totals totals;
	bool has_peak;			/* peak_* and the sites' live_at_peak are known */
	double peak_time;		/* seconds from the start to the peak */
	uint64_t peak_events;		/* allocations and frees up to it */
	struct mt_profile_point *timeline;
	size_t ntimeline;
	struct mt_phase_stats *phases;	/* --phase, markers: see phases.h */
	size_t nphases;
	struct mt_profile_site *sites;
	size_t nsites;
	struct mt_module *modules;
	size_t nmodules;
	/* --follow-forks: each process's own profile, the root first; the
	 * profile holding them is all of them combined.  NULL otherwise. */
	struct mt_profile **procs;
	size_t nprocs;
};

struct mt_acct;

struct mt_profile_opts {
	uint64_t start_ns;		/* the start, for times (mt_now_ns) */
	bool raw_names;			/* --no-demangle */
	const char *debug_dir;		/* --debug-dir */
	char **wrappers;		/* --wrapper globs, NULL-terminated, or NULL */
};

/*
 * Builds a profile from a run: one site per aggtab site that saw an event,
 * frames symbolized from mods (files are read again, the process need not
 * exist) with inlined functions as frames of their own, and the site frame
 * chosen (mt_profile_pick_sites).  Fills totals and sites; the caller fills
 * command, pid, exit, duration.  Never fails (OOM dies).
 */
struct mt_profile *mt_profile_build(const struct mt_acct *acct,
				    const struct mt_modules *mods,
				    const struct mt_profile_opts *opts);

/*
 * Sets each site's site_frame to its first frame outside the allocators'
 * wrappers: the C and C++ runtimes' own allocating functions (strdup,
 * fopen, getline, std:: internals...) and the functions matching a
 * wrappers glob (NULL-terminated list, may be NULL).  With from_saved,
 * the search starts at each site's current site frame, so that wrappers
 * named when the profile was made stay skipped (report --wrapper).
 */
void mt_profile_pick_sites(struct mt_profile *prof, char **wrappers, bool from_saved);
void mt_profile_free(struct mt_profile *prof);
/* Adds a phase's figures to prof's phase of that name (new if none);
 * entries, allocations and bytes add up, the peak is the larger. */
void mt_profile_add_phase(struct mt_profile *prof, const struct mt_phase_stats *ph);
/* A deep copy of a frame (its strings duplicated). */
void mt_frame_copy(struct mt_frame *dst, const struct mt_frame *src);

/*
 * The profile of several processes together (--follow-forks), taking
 * ownership of procs[0..n) (the root first), which it keeps as its procs:
 * the root's command, pid and end; counters summed; sites with the same
 * allocator and symbolized stack (function, file, line, module, offset)
 * merged into one, as a forked worker runs its parent's code; modules of
 * all.  A merged site's peak is the sum of its peaks (an upper bound);
 * the caller sets totals.c.peak_live_bytes to the run's true peak.
 */
struct mt_profile *mt_profile_combine(struct mt_profile **procs, size_t n);

/*
 * Reads a JSON profile.  Returns it, or NULL with a one-line message in err
 * (not JSON, truncated, not a memtracer profile, a newer version, a field
 * missing or of the wrong type).
 */
struct mt_profile *mt_profile_read(const char *path, char *err, size_t errlen);

enum mt_sort { MT_SORT_BYTES, MT_SORT_COUNT, MT_SORT_LIVE, MT_SORT_PEAK };
/* Parses "bytes" | "count" | "live" | "peak"; -1 when unknown. */
int mt_sort_from_name(const char *name);
/* Sorts prof->sites (and each process's), descending by key, ties by bytes
 * then by first frame. */
void mt_profile_sort(struct mt_profile *prof, enum mt_sort key);

#endif
