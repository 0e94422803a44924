/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The unwinder interface: from the registers of the allocator's caller and
 * a snapshot of its stack, the program counters of the call stack,
 * innermost first: pcs[0] is the allocator's return address (the
 * allocator's own frame is not a call site).
 *
 * The engine takes the first step itself, which at an allocator's first
 * instruction needs no CFI (the return address is at [sp], the caller's sp
 * is sp + 8), so allocators without unwind tables (musl, custom ones) cost
 * nothing to unwind through.  The registers given are the caller's, with
 * ip = return address - 1: inside the call instruction, where CFI lookups
 * find the caller's row even when the call is its function's last
 * instruction.  pcs[0] is that ip + 1.
 *
 * One interface, one backend file per library, chosen at configure time
 * (strace's unwind.h is the model).  Backends read memory from the snapshot
 * and ask the engine for more only through snapshot_more.
 */
#ifndef MT_UNWIND_H
#define MT_UNWIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "arch.h"

/*
 * PCs are return addresses, looked up at pc - 1 for their call's line,
 * except where a frame was interrupted (the frame a signal handler
 * returns to, and the signal trampoline itself): there the PC is exact,
 * which this bit says.  x86-64 user addresses never have bit 63 set.
 */
#define MT_PC_EXACT (1ULL << 63)

struct mt_stack_snapshot {
	pid_t pid;
	uint64_t sp;		/* address of data[0] */
	uint8_t *data;
	size_t len;		/* bytes valid */
	size_t cap;
};

struct mt_unwinder {
	const char *name;
	size_t snapshot_size;	/* bytes of stack the engine reads at each event */
	void *(*create)(void);
	void (*destroy)(void *ctx);
	/* The target's mappings changed (exec, dlopen, dlclose): refresh what is
	 * cached about its modules.  pid is the process (thread group) id. */
	void (*maps_changed)(void *ctx, pid_t pid);
	/*
	 * Fills pcs[0..max-1]; returns the depth.  *truncated is set when the
	 * stack went on beyond max frames.
	 */
	unsigned (*unwind)(void *ctx, const mt_regs_t *regs,
			   struct mt_stack_snapshot *snap,
			   uint64_t *pcs, unsigned max, bool *truncated);
};

/*
 * Makes sure the snapshot covers [addr, addr + len), reading more of the
 * stack when the unwinder asks beyond it.  Returns false when the memory
 * cannot be read.
 */
bool mt_snapshot_cover(struct mt_stack_snapshot *snap, uint64_t addr, size_t len);

/* The call site only: the return address at [sp]. */
extern const struct mt_unwinder mt_unwinder_retaddr;
/* DWARF CFI unwinding with libdwfl, memory from the snapshot. */
extern const struct mt_unwinder mt_unwinder_libdw;

/* DWARF CFI unwinding with libunwind, memory from the snapshot. */
extern const struct mt_unwinder mt_unwinder_libunwind;

/* The unwinder named name ("retaddr", "libdw", "libunwind"), or NULL. */
const struct mt_unwinder *mt_unwinder_find(const char *name);

#endif
