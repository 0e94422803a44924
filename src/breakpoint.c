/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "breakpoint.h"
#include "arch.h"
#include "proc.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t bp_hash(uint64_t addr, size_t cap)
{
	return (size_t)mt_hash64(addr) & (cap - 1);
}

struct mt_bp *mt_bptab_find(const struct mt_bptab *tab, uint64_t addr)
{
	if (!tab->cap)
		return NULL;
	for (size_t i = bp_hash(addr, tab->cap);; i = (i + 1) & (tab->cap - 1)) {
		if (tab->v[i].addr == addr)
			return &tab->v[i];
		if (tab->v[i].addr == 0)
			return NULL;
	}
}

static struct mt_bp *slot_for(struct mt_bp *v, size_t cap, uint64_t addr)
{
	size_t i = bp_hash(addr, cap);

	while (v[i].addr && v[i].addr != addr)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static void grow(struct mt_bptab *tab)
{
	size_t cap = tab->cap ? tab->cap * 2 : 256;
	struct mt_bp *v = xcalloc(cap, sizeof(*v));

	for (size_t i = 0; i < tab->cap; i++)
		if (tab->v[i].addr)
			*slot_for(v, cap, tab->v[i].addr) = tab->v[i];
	free(tab->v);
	tab->v = v;
	tab->cap = cap;
}

static struct mt_bp *bptab_add(struct mt_bptab *tab, uint64_t addr)
{
	struct mt_bp *bp;

	if ((tab->count + 1) * 4 > tab->cap * 3)
		grow(tab);
	bp = slot_for(tab->v, tab->cap, addr);
	memset(bp, 0, sizeof(*bp));
	bp->addr = addr;
	tab->count++;
	return bp;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
void mt_bptab_remove(struct mt_bptab *tab, uint64_t addr)
{
	struct mt_bp *bp = mt_bptab_find(tab, addr);
	size_t mask = tab->cap - 1, hole, i;

	if (!bp)
		return;
	hole = (size_t)(bp - tab->v);
	tab->v[hole].addr = 0;
	tab->count--;
	for (i = (hole + 1) & mask; tab->v[i].addr; i = (i + 1) & mask) {
		size_t home = bp_hash(tab->v[i].addr, tab->cap);

		/* Move entry i into the hole unless its home lies in (hole, i]. */
		if ((i > hole && (home <= hole || home > i)) ||
		    (i < hole && (home <= hole && home > i))) {
			tab->v[hole] = tab->v[i];
			tab->v[i].addr = 0;
			hole = i;
		}
	}
}

void mt_bptab_clear(struct mt_bptab *tab)
{
	free(tab->v);
	memset(tab, 0, sizeof(*tab));
}

int mt_bp_read_orig(struct mt_proc *proc, uint64_t addr, uint8_t *buf, size_t len)
{
	int err = mt_mem_peek(&proc->mem, addr, buf, len);

	if (err)
		return err;
	for (size_t i = 0; i < len; i++) {
		const struct mt_bp *bp = mt_bptab_find(&proc->bps, addr + i);

		if (bp)
			buf[i] = bp->orig;
	}
	return 0;
}

/* Reads the instruction at addr; near the end of a mapping fewer bytes exist. */
static int read_insn(struct mt_proc *proc, uint64_t addr, uint8_t *buf, size_t *len)
{
	for (size_t n = MT_MAX_INSN_LEN + 1; n > 0; n--) {
		if (mt_bp_read_orig(proc, addr, buf, n) == 0) {
			*len = n;
			return 0;
		}
	}
	return -EFAULT;
}

static int plant_new(struct mt_proc *proc, pid_t tid, uint64_t addr, struct mt_bp *tmpl)
{
	uint8_t insn[MT_MAX_INSN_LEN + 1], int3 = MT_BREAKPOINT_BYTE;
	struct mt_reloc rel;
	uint64_t slot = 0;
	size_t len;
	int err;

	err = read_insn(proc, addr, insn, &len);
	if (err)
		return err;
	err = mt_xol_slot(proc, tid, addr, &slot);
	if (err)
		return err;
	err = mt_arch_relocate(addr, insn, len, slot, &rel);
	if (err)
		return err;	/* the slot is simply left unused */
	if (rel.how == MT_RESUME_XOL) {
		err = mt_mem_write(&proc->mem, slot, rel.code, rel.code_len);
		if (err)
			return err;
	}
	err = mt_mem_write(&proc->mem, addr, &int3, 1);
	if (err)
		return err;
	tmpl->orig = insn[0];
	tmpl->how = (uint8_t)rel.how;
	tmpl->slot = slot;
	tmpl->target = rel.target;
	return 0;
}

int mt_bp_plant(struct mt_proc *proc, pid_t tid, uint64_t addr, unsigned roles,
		unsigned kind, struct mt_bp **out)
{
	struct mt_bp *bp = mt_bptab_find(&proc->bps, addr), tmpl = { .addr = addr };
	int err;

	if (!bp) {
		err = plant_new(proc, tid, addr, &tmpl);
		if (err)
			return err;
		bp = bptab_add(&proc->bps, addr);
		*bp = tmpl;
	}
	/* The kind belongs to the first role that has one. */
	if ((roles & MT_BP_KINDED) && !(bp->roles & MT_BP_KINDED))
		bp->kind = (uint8_t)kind;
	bp->roles |= (uint8_t)roles;
	if (out)
		*out = bp;
	return 0;
}

int mt_bp_restore_all(const struct mt_proc *proc, int memfd)
{
	int failures = 0;

	for (size_t i = 0; i < proc->bps.cap; i++) {
		const struct mt_bp *bp = &proc->bps.v[i];

		if (bp->addr && !(bp->roles & MT_BP_RETTRAMP) &&
		    pwrite(memfd, &bp->orig, 1, (off_t)bp->addr) != 1)
			failures++;
	}
	return failures;
}

void mt_bp_forget_range(struct mt_proc *proc, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < proc->bps.cap;) {
		uint64_t a = proc->bps.v[i].addr;

		/* Removal shifts later entries back: re-examine slot i. */
		if (a && a >= start && a < end)
			mt_bptab_remove(&proc->bps, a);
		else
			i++;
	}
}
