/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocator probes: which functions are allocators, planting their entry
 * breakpoints in every module as it is mapped, and what happens at an
 * allocator's entry and at its return (the accounting events).
 */
#ifndef MT_PROBES_H
#define MT_PROBES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "arch.h"
#include "breakpoint.h"

struct mt_tracer;
struct mt_task;
struct mt_proc;

/*
 * Brings proc's probes up to date with what is mapped now: modules new since
 * the last scan are recorded for symbolization and get their allocator
 * entry breakpoints (and ld.so its rendezvous breakpoint); modules gone are
 * forgotten.  tid is a stopped thread of proc.  Returns 0 or -errno.
 */
int mt_probes_scan(struct mt_proc *proc, pid_t tid);

/* True when addr lies inside a hooked allocator function of proc. */
bool mt_probes_inside_allocator(const struct mt_proc *proc, uint64_t addr);

/* At ld.so's rendezvous breakpoint: rescans once the link map is
 * consistent, and says whether it was. */
bool mt_probes_rendezvous(struct mt_proc *proc, pid_t tid);

/* A thread stopped at the entry of the allocator of breakpoint bp. */
void mt_probe_entry(struct mt_tracer *t, struct mt_task *task,
		    const mt_regs_t *regs, const struct mt_bp *bp);

/*
 * A thread stopped at a return site (or at the trampoline, via_trampoline):
 * settles the pending call that returns here.  Returns false when no call
 * of this thread returns here (the code was reached some other way).
 * With via_trampoline, *resume_ip receives the real return address.
 */
bool mt_probe_return(struct mt_tracer *t, struct mt_task *task, const mt_regs_t *regs,
		     uint64_t addr, bool via_trampoline, uint64_t *resume_ip);

/* Drops pendings of task whose frames are gone (deeper than sp): their
 * allocator never returned normally (longjmp, exception). */
void mt_probe_prune(struct mt_tracer *t, struct mt_task *task, uint64_t sp);

/* A thread at a phase function's entry or a phase marker (phase-probes.c). */
void mt_probe_phase(struct mt_tracer *t, struct mt_task *task, const mt_regs_t *regs,
		    const struct mt_bp *bp);
/* At a return site: a phase function of the thread may be returning. */
void mt_probe_phase_return(struct mt_task *task, const mt_regs_t *regs, uint64_t addr);
/* The thread's sp is sp: phase functions whose frames are gone end. */
void mt_probe_phase_prune(struct mt_task *task, uint64_t sp);

#endif
