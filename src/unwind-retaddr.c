/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simplest unwinder: the allocator's return address, which the engine
 * read from [sp] at the allocator's first instruction.  Exact for the call
 * site at any optimisation level, and free.
 */
#include "config.h"
#include "unwind.h"

#include <string.h>

static void *retaddr_create(void)
{
	return NULL;
}

static void retaddr_destroy(void *ctx)
{
}

static void retaddr_maps_changed(void *ctx, pid_t pid)
{
}

static unsigned retaddr_unwind(void *ctx, const mt_regs_t *regs,
			       struct mt_stack_snapshot *snap,
			       uint64_t *pcs, unsigned max, bool *truncated)
{
	*truncated = false;
	if (max == 0)
		return 0;
	pcs[0] = mt_regs_ip(regs) + 1;	/* the return address */
	return 1;
}

const struct mt_unwinder mt_unwinder_retaddr = {
	.name = "retaddr",
	.snapshot_size = sizeof(uint64_t),	/* the return address only */
	.create = retaddr_create,
	.destroy = retaddr_destroy,
	.maps_changed = retaddr_maps_changed,
	.unwind = retaddr_unwind,
};
