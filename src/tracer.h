/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tracer: one run of memtracer over a program, from the fork to the
 * last tracee's exit.  It owns the process records (each with the
 * accounting its events feed and the modules symbolization needs at the
 * end), the thread table and the ptrace event loop.
 */
#ifndef MT_TRACER_H
#define MT_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "acct.h"
#include "modules.h"
#include "options.h"
#include "proc.h"
#include "tasks.h"
#include "unwind.h"

/* What the engine did, for the bench and MEMTRACER_DEBUG. */
struct mt_stats {
	uint64_t stops;		/* every ptrace stop handled */
	uint64_t entry_stops;	/* allocator entries */
	uint64_t return_stops;	/* return sites */
	uint64_t other_traps;
	uint64_t signals;	/* signals passed on to the target */
	uint64_t retsites;	/* return-site breakpoints planted */
	uint64_t hijacks;	/* return addresses hijacked (fallback) */
	uint64_t unwinds;	/* stacks unwound */
	uint64_t unwind_ns;	/* time spent in the unwinder */
	uint64_t unwind_frames;	/* frames found */
};

struct mt_tracer {
	const struct mt_options *opts;
	const struct mt_unwinder *unwinder;
	void *unwind_ctx;
	struct mt_proc *proc;		/* the program's process: procs[0] */
	struct mt_proc **procs;		/* every process traced, in order of birth */
	size_t nprocs, capprocs;
	struct mt_tasktab tasks;
	pid_t root_pid;
	uint64_t live_bytes;		/* live in all traced processes together */
	uint64_t peak_live_bytes;	/* the peak of live_bytes */
	int root_status;		/* wait status of the program's end */
	bool root_done;
	bool started;			/* the program's exec happened, or we attached */
	bool attached;			/* attach mode, or run cut short: detached at the end */
	bool refused;			/* the program was killed before it started */
	bool alloc_fn_matched[MT_MAX_ALLOC_FNS];	/* --alloc-fn found in some module */
	bool phase_matched[MT_MAX_PHASE_FNS];	/* --phase found in some module */
	unsigned alloc_fn_errors;	/* --alloc-fn addresses outside the executable */
	bool startup_checked;		/* --alloc-fn names checked once the program was loaded */
	bool plant_deferred;		/* attached to a stopped process: plant at SIGCONT */
	uint64_t start_ns, end_ns;
	struct mt_stats stats;
	struct mt_stack_snapshot snap;
	uint64_t *pcs;
};

void mt_tracer_init(struct mt_tracer *t, const struct mt_options *opts);
void mt_tracer_destroy(struct mt_tracer *t);

/* Makes the loss of the guardian (memtracer killed) a request to detach;
 * called before mt_guardian_split, so the tracer has it from its birth. */
void mt_tracer_guard_signals(void);

/*
 * Runs opts->argv under the tracer until every tracee is gone.  Returns 0,
 * or the memtracer exit status for a failure already reported on stderr.
 */
int mt_tracer_run(struct mt_tracer *t);

/*
 * Attaches to pid, traces until a stop request (SIGINT, SIGTERM, SIGHUP,
 * --duration) or the process's end, then detaches.  Returns 0, or the
 * memtracer exit status for a failure already reported on stderr.
 */
int mt_tracer_attach(struct mt_tracer *t, pid_t pid);


#endif
