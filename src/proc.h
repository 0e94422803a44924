/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One traced process: its address space (memory, breakpoints, out-of-line
 * areas, the allocator probes planted in it) and what it allocated (its
 * accounting and the modules it mapped, kept after it exits for the report).
 */
#ifndef MT_PROC_H
#define MT_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "acct.h"
#include "breakpoint.h"
#include "mem.h"
#include "modules.h"
#include "phases.h"
#include "xol.h"

/* Code range of a hooked allocator function, for recognising nested calls. */
struct mt_hooked_range {
	uint64_t start, end;
};

struct mt_proc {
	pid_t pid;
	struct mt_mem mem;
	struct mt_bptab bps;
	struct mt_xol xol;
	struct mt_hooked_range *hooked;	/* sorted by start */
	size_t nhooked, caphooked;
	struct mt_module *scanned;	/* modules already probed (path, start) */
	size_t nscanned, capscanned;
	uint64_t r_debug;		/* ld.so's struct r_debug, 0 if none */
	uint64_t trampoline;		/* int3 that hijacked returns go to, 0 if none */
	unsigned allocators;		/* entry breakpoints planted */
	struct mt_tracer *tracer;

	/* The process, for its profile. */
	pid_t ppid;			/* 0: the root of the run */
	char *command;			/* program and arguments, space-joined */
	struct mt_acct acct;
	struct mt_modules modules;	/* every module it mapped */
	struct mt_phases phases;	/* --phase and marker phases */
	int status;			/* wait status of its end, when done */
	bool done;
	uint64_t start_ns, end_ns;
};

/* A process's command line, space-joined, from /proc (or "[pid N]"). */
char *mt_proc_cmdline(pid_t pid);
/* A new process record, added to the tracer's list; owns command. */
struct mt_proc *mt_proc_new(struct mt_tracer *t, pid_t pid, pid_t ppid, char *command);
/*
 * The record of a forked child followed with --follow-forks: a copy of the
 * parent's address-space state (its memory is a copy of the parent's, int3s
 * included), with empty accounting.  The child's memory is checked against
 * the copied breakpoint table and made to agree.
 */
struct mt_proc *mt_proc_fork(struct mt_tracer *t, const struct mt_proc *parent, pid_t pid);
/* Forgets the address-space state (an exec replaced the image, or the
 * process is gone); the accounting stays. */
void mt_proc_reset_image(struct mt_proc *proc);
/* Starts the profile again: a new program runs in the process. */
void mt_proc_reset_profile(struct mt_proc *proc, char *command);
/* The live process record of pid, or NULL. */
struct mt_proc *mt_proc_find(struct mt_tracer *t, pid_t pid);
void mt_proc_free(struct mt_proc *proc);

#endif
