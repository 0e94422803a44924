/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Phases: what a thread allocates while a function named by --phase is on
 * its stack, or between memtracer_phase_begin("name") and _end("name")
 * (include/memtracer.h), is counted to that phase, per entry: allocations,
 * bytes, what the entry left live when it returned, and its peak.
 *
 * An entry of a phase is an instance; a thread keeps a stack of the
 * instances it is in (phases nest).  A live block remembers the innermost
 * instance it was allocated in, each instance its parent, so that a free
 * lowers the live bytes of every instance that is still running.
 */
#ifndef MT_PHASES_H
#define MT_PHASES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define MT_MAX_PHASES 32	/* --phase options */

/* Per phase name: the sum over its finished entries. */
struct mt_phase_stats {
	char *name;
	uint64_t entries, allocs, alloc_bytes;
	uint64_t live_bytes;		/* left live by its entries when they returned */
	uint64_t peak_live_bytes;	/* the most one entry held at once */
};

struct mt_phase_instance {
	uint32_t stats;		/* index into the process's stats */
	uint32_t parent;	/* enclosing instance + 1, 0 for none */
	uint64_t entry_sp;	/* sp at the function's entry; 0 for markers */
	uint64_t ret;		/* its return address; 0 for markers */
	uint64_t allocs, alloc_bytes, live, peak;
	bool running;
};

/* A process's phases. */
struct mt_phases {
	struct mt_phase_stats *stats;
	size_t nstats, capstats;
	struct mt_phase_instance *inst;	/* every entry, ids are index + 1 */
	size_t ninst, capinst;
};

/* A thread's current innermost instance (id, 0 for none). */
struct mt_task;
struct mt_proc;

void mt_phases_destroy(struct mt_phases *ph);
/* The stats index of a phase name, added if new. */
uint32_t mt_phases_stat(struct mt_phases *ph, const char *name);
/* A thread enters a phase: returns the new instance's id. */
uint32_t mt_phases_enter(struct mt_phases *ph, uint32_t stat, uint32_t current,
			 uint64_t entry_sp, uint64_t ret);
/* Instance id leaves (and every instance inside it still running);
 * returns its parent, the thread's new current instance. */
uint32_t mt_phases_leave(struct mt_phases *ph, uint32_t id, uint32_t current);
/* The innermost running instance of stat on the chain from current, or 0. */
uint32_t mt_phases_find(const struct mt_phases *ph, uint32_t current, uint32_t stat);
/* A block of size allocated within instance current (0: none). */
void mt_phases_alloc(struct mt_phases *ph, uint32_t current, uint64_t size);
/* A block of size allocated within instance id is freed. */
void mt_phases_free(struct mt_phases *ph, uint32_t id, uint64_t size);
/* At the end: instances still running are counted as they stand. */
void mt_phases_finish(struct mt_phases *ph);

#endif
