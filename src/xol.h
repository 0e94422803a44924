/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Out-of-line execution areas: pages mapped inside the target (by an
 * injected mmap) that hold relocated copies of the instructions our int3s
 * displaced.  An area is placed within reach of a rel32 of the code it
 * serves, so RIP-relative operands and branches can be re-aimed.  Areas are
 * read+exec for the target and written only through /proc/PID/mem.
 * The first bytes of the first area are scratch space for injected syscalls.
 */
#ifndef MT_XOL_H
#define MT_XOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MT_XOL_AREA_SIZE (64 * 1024)
#define MT_XOL_SCRATCH_SIZE 64

struct mt_xol_area {
	uint64_t start, used;
};

struct mt_xol {
	struct mt_xol_area *v;
	size_t n, cap;
	uint64_t scratch;	/* syscall stub space, 0 before the first area */
};

struct mt_proc;

/* A free slot of MT_XOL_SLOT_SIZE bytes within +-1 GiB of near, mapping a
 * new area when needed (tid: a stopped thread of proc).  0 or -errno. */
int mt_xol_slot(struct mt_proc *proc, pid_t tid, uint64_t near, uint64_t *slot);
/* True when addr lies in one of proc's areas. */
int mt_xol_contains(const struct mt_xol *xol, uint64_t addr);
void mt_xol_clear(struct mt_xol *xol);

#endif
