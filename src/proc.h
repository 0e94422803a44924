/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One traced address space: its memory, breakpoints, out-of-line areas,
 * and the allocator probes planted in it.
 */
#ifndef MT_PROC_H
#define MT_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "breakpoint.h"
#include "mem.h"
#include "modules.h"
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
};

#endif
