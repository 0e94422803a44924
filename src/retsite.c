/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "retsite.h"
#include "arch.h"
#include "proc.h"
#include "tracer.h"
#include "util.h"

#include <errno.h>

/* The int3 in an out-of-line area that hijacked return addresses point to. */
static int trampoline(struct mt_proc *proc, pid_t tid, uint64_t near, uint64_t *out)
{
	uint8_t int3 = MT_BREAKPOINT_BYTE;
	uint64_t slot;
	int err;

	if (proc->trampoline) {
		*out = proc->trampoline;
		return 0;
	}
	err = mt_xol_slot(proc, tid, near, &slot);
	if (!err)
		err = mt_mem_write(&proc->mem, slot, &int3, 1);
	if (err)
		return err;
	*out = proc->trampoline = slot;
	return 0;
}

static int hijack(struct mt_tracer *t, struct mt_task *task, struct mt_pending *p)
{
	struct mt_proc *proc = task->proc;
	uint64_t tramp;
	int err = trampoline(proc, task->tid, p->ret, &tramp);

	if (!err)
		err = mt_mem_write(&proc->mem, p->entry_sp, &tramp, sizeof(tramp));
	if (err)
		return err;
	p->hijacked = true;
	t->stats.hijacks++;
	return 0;
}

int mt_retsite_arm(struct mt_tracer *t, struct mt_task *task, struct mt_pending *p)
{
	struct mt_bp *bp = mt_bptab_find(&task->proc->bps, p->ret);
	int err;

	if (bp && (bp->roles & MT_BP_RETSITE))
		return 0;
	if (!p->ret)
		return -EFAULT;
	err = mt_bp_plant(task->proc, task->tid, p->ret, MT_BP_RETSITE, 0, NULL);
	if (err == 0) {
		t->stats.retsites++;
		return 0;
	}
	debug_msg("return site %#lx not movable (%d): hijacking", (unsigned long)p->ret, err);
	return hijack(t, task, p);
}
