/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "xol.h"
#include "arch.h"
#include "inject.h"
#include "maps.h"
#include "proc.h"
#include "tasks.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define REACH (1ULL << 30)	/* an area serves code within 1 GiB */
#define XOL_PAGE_MASK ((uint64_t)0xfff)

static uint64_t distance(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

int mt_xol_contains(const struct mt_xol *xol, uint64_t addr)
{
	for (size_t i = 0; i < xol->n; i++)
		if (addr >= xol->v[i].start && addr < xol->v[i].start + MT_XOL_AREA_SIZE)
			return 1;
	return 0;
}

void mt_xol_clear(struct mt_xol *xol)
{
	free(xol->v);
	memset(xol, 0, sizeof(*xol));
}

/*
 * Picks a free address for an area near `near`: the highest gap below it
 * first (below the executable nothing else grows; above it lies the brk
 * heap, which an area must not block), then gaps above, away from the heap.
 */
static uint64_t pick_address(const struct mt_maparea *a, size_t n, uint64_t near)
{
	const uint64_t size = MT_XOL_AREA_SIZE, guard = 1 << 20;
	/* Nothing may be mapped below mmap_min_addr; 16 MiB is a safe floor. */
	const uint64_t low_end = 16 << 20;
	uint64_t best = 0;

	/* Gap i lies below mapping i; gap 0 from the floor of the address space. */
	for (size_t i = 0; i < n; i++) {
		uint64_t lo = (i == 0 ? low_end : a[i - 1].end) + guard, hi = a[i].start;

		if (hi < lo + size + guard)
			continue;
		uint64_t cand = (hi - guard - size) & ~XOL_PAGE_MASK;
		if (cand < near && distance(cand, near) < REACH &&
		    (!best || best > near || cand > best))
			best = cand;
	}
	if (best)
		return best;
	/* Gaps above: stay 256 MiB clear of the brk heap's growth. */
	for (size_t i = 0; i + 1 < n; i++) {
		uint64_t lo = ((a[i].end + (256ULL << 20)) + XOL_PAGE_MASK) & ~XOL_PAGE_MASK;

		if (a[i].end > near && lo + size + guard <= a[i + 1].start &&
		    distance(lo, near) < REACH)
			return lo;
	}
	return 0;
}

static int map_area(struct mt_proc *proc, pid_t tid, uint64_t near, uint64_t *start)
{
	struct mt_module *mods;
	struct mt_maparea *areas;
	size_t nmods, nareas;
	struct mt_task *task = mt_task_find(proc->tracer, tid);
	int64_t res;
	int err;

	err = mt_maps_read(proc->pid, &mods, &nmods, &areas, &nareas);
	if (err)
		return err;
	mt_maps_free(mods, nmods);
	uint64_t hint = pick_address(areas, nareas, near);
	free(areas);
	if (!hint)
		return -ENOMEM;
	uint64_t args[6] = {
		hint, MT_XOL_AREA_SIZE, PROT_READ | PROT_EXEC,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, (uint64_t)-1, 0,
	};
	err = mt_inject_syscall(proc, tid, SYS_mmap, args, task && task->at_exec,
				task ? &task->stashed_sig : NULL, &res);
	if (err)
		return err;
	if (res < 0 && res > -4096)
		return (int)res;
	if (distance((uint64_t)res, near) >= REACH)
		return -ERANGE;
	*start = (uint64_t)res;
	debug_msg("xol area at %#lx for code near %#lx", (unsigned long)res,
		  (unsigned long)near);
	return 0;
}

int mt_xol_slot(struct mt_proc *proc, pid_t tid, uint64_t near, uint64_t *slot)
{
	struct mt_xol *xol = &proc->xol;
	struct mt_xol_area *area = NULL;
	uint64_t start;
	int err;

	for (size_t i = 0; i < xol->n; i++) {
		struct mt_xol_area *a = &xol->v[i];

		if (distance(a->start, near) < REACH &&
		    a->used + MT_XOL_SLOT_SIZE <= MT_XOL_AREA_SIZE) {
			area = a;
			break;
		}
	}
	if (!area) {
		err = map_area(proc, tid, near, &start);
		if (err)
			return err;
		xol->v = xgrow(xol->v, &xol->cap, xol->n + 1, sizeof(*xol->v));
		area = &xol->v[xol->n++];
		area->start = start;
		area->used = 0;
		if (!xol->scratch) {
			xol->scratch = start;
			area->used = MT_XOL_SCRATCH_SIZE;
		}
	}
	*slot = area->start + area->used;
	area->used += MT_XOL_SLOT_SIZE;
	return 0;
}
