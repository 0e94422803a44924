/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Phase events: a thread stopped at the entry of a --phase function, at a
 * memtracer_phase_begin/_end marker, or where a phase function returns.
 * The accounting of phases is in phases.c; this is where threads enter
 * and leave them.
 */
#include "config.h"
#include "probes.h"
#include "tracer.h"
#include "util.h"

#include <string.h>

/* Instances of functions whose frames are gone (longjmp, an exception,
 * a return not seen) end: their entry sp is below the thread's sp. */
void mt_probe_phase_prune(struct mt_task *task, uint64_t sp)
{
	struct mt_phases *ph = &task->proc->phases;
	uint32_t cur = task->acct.phase;

	while (cur && ph->inst[cur - 1].entry_sp && ph->inst[cur - 1].entry_sp < sp)
		cur = mt_phases_leave(ph, cur, cur);
	task->acct.phase = cur;
}

/* The marker's argument: the phase name, a C string in the target. */
static void marker_name(pid_t tid, uint64_t addr, char *name, size_t len)
{
	ssize_t n = addr ? mt_mem_read(tid, addr, name, len - 1) : -1;

	if (n <= 0) {
		snprintf(name, len, "(unreadable name at 0x%lx)", (unsigned long)addr);
		return;
	}
	name[n] = '\0';
}

static void on_marker(struct mt_task *task, const mt_regs_t *regs, bool end)
{
	struct mt_phases *ph = &task->proc->phases;
	char name[128];
	uint32_t stat, id;

	marker_name(task->tid, mt_regs_arg(regs, 0), name, sizeof(name));
	stat = mt_phases_stat(ph, name);
	if (!end) {
		task->acct.phase = mt_phases_enter(ph, stat, task->acct.phase, 0, 0);
		return;
	}
	id = mt_phases_find(ph, task->acct.phase, stat);
	if (id)
		task->acct.phase = mt_phases_leave(ph, id, task->acct.phase);
}

void mt_probe_phase(struct mt_tracer *t, struct mt_task *task, const mt_regs_t *regs,
		    const struct mt_bp *bp)
{
	uint64_t sp = mt_regs_sp(regs), ret;
	struct mt_bp *at_ret;

	if (bp->roles & MT_BP_MARKER) {
		on_marker(task, regs, bp->kind == 1);
		return;
	}
	mt_probe_phase_prune(task, sp);
	if (mt_mem_read_exact(task->tid, sp, &ret, sizeof(ret)) < 0)
		return;
	/* Its return is seen at the return site, a breakpoint kept there. */
	at_ret = mt_bptab_find(&task->proc->bps, ret);
	if ((!at_ret || !(at_ret->roles & MT_BP_RETSITE)) &&
	    mt_bp_plant(task->proc, task->tid, ret, MT_BP_RETSITE, 0, NULL) == 0)
		t->stats.retsites++;
	task->acct.phase = mt_phases_enter(&task->proc->phases, bp->kind, task->acct.phase, sp, ret);
}

void mt_probe_phase_return(struct mt_task *task, const mt_regs_t *regs, uint64_t addr)
{
	struct mt_phases *ph = &task->proc->phases;
	uint64_t entry_sp = mt_regs_sp(regs) - MT_ENTRY_RET_SP_DELTA;

	for (uint32_t id = task->acct.phase; id; id = ph->inst[id - 1].parent) {
		const struct mt_phase_instance *in = &ph->inst[id - 1];

		if (in->ret == addr && in->entry_sp == entry_sp) {
			task->acct.phase = mt_phases_leave(ph, id, task->acct.phase);
			return;
		}
	}
}
