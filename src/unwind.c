/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What all unwinder backends share: the stack snapshot and the registry. */
#include "config.h"
#include "unwind.h"
#include "mem.h"
#include "util.h"

#include <string.h>

/* The unwinder never needs more than this much stack above sp. */
#define MT_SNAPSHOT_MAX (1024 * 1024)

bool mt_snapshot_cover(struct mt_stack_snapshot *snap, uint64_t addr, size_t len)
{
	uint64_t want;
	ssize_t n;

	if (addr >= snap->sp && addr + len <= snap->sp + snap->len)
		return true;
	if (addr < snap->sp || addr + len > snap->sp + MT_SNAPSHOT_MAX)
		return false;
	/* Read the whole window again, doubled: one system call, not one per word. */
	want = addr + len - snap->sp;
	size_t cap = snap->cap;
	while (cap < want)
		cap *= 2;
	if (cap > MT_SNAPSHOT_MAX)
		cap = MT_SNAPSHOT_MAX;
	if (cap > snap->cap) {
		snap->data = xrealloc(snap->data, cap);
		snap->cap = cap;
	}
	n = mt_mem_read(snap->pid, snap->sp, snap->data, snap->cap);
	snap->len = n > 0 ? (size_t)n : 0;
	return addr + len <= snap->sp + snap->len;
}

const struct mt_unwinder *mt_unwinder_find(const char *name)
{
	static const struct mt_unwinder *const all[] = {
		&mt_unwinder_libdw, &mt_unwinder_libunwind, &mt_unwinder_retaddr,
	};

	for (size_t i = 0; i < MT_ARRAY_SIZE(all); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}
