/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Breakpoints: one int3 per code address, whatever the number of roles it
 * plays (an allocator's entry shared by aliases, a return site, ld.so's
 * rendezvous).  A breakpoint stays planted for as long as its code is
 * mapped: other threads keep running through it, and the displaced
 * instruction is executed out of line (xol.h), so no event is ever missed.
 */
#ifndef MT_BREAKPOINT_H
#define MT_BREAKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum {
	MT_BP_ENTRY = 1,	/* first instruction of an allocator */
	MT_BP_RETSITE = 2,	/* instruction after a call to an allocator */
	MT_BP_RENDEZVOUS = 4,	/* ld.so's _dl_debug_state */
	MT_BP_RETTRAMP = 8,	/* our own int3 a hijacked return address points to */
	MT_BP_PHASE = 16,	/* entry of a --phase function; kind: its phase */
	MT_BP_MARKER = 32,	/* memtracer_phase_begin (kind 0) or _end (kind 1) */
	MT_BP_KINDED = MT_BP_ENTRY | MT_BP_PHASE | MT_BP_MARKER,
};

struct mt_bp {
	uint64_t addr;		/* 0: free slot of the table */
	uint64_t slot;		/* out-of-line copy, for MT_RESUME_XOL */
	uint64_t target;	/* MT_RESUME_JUMP destination */
	uint8_t orig;		/* the byte the int3 replaced */
	uint8_t how;		/* enum mt_resume */
	uint8_t roles;		/* MT_BP_* */
	uint8_t kind;		/* enum mt_kind, with MT_BP_ENTRY */
};

struct mt_bptab {
	struct mt_bp *v;	/* open addressing on addr, power-of-two size */
	size_t cap, count;
};

struct mt_bp *mt_bptab_find(const struct mt_bptab *tab, uint64_t addr);
void mt_bptab_remove(struct mt_bptab *tab, uint64_t addr);
void mt_bptab_clear(struct mt_bptab *tab);

struct mt_proc;

/*
 * Adds roles (and kind, for MT_BP_ENTRY) to the breakpoint at addr,
 * planting it when new: reads the original instruction, plans its
 * out-of-line execution, writes the slot and then the int3.  tid is a
 * stopped thread of proc, used if an out-of-line area must be mapped.
 * Returns 0 or -errno (-ENOTSUP: the instruction cannot be moved; nothing
 * was planted).  *out, when not NULL, points at the breakpoint (valid until
 * the next plant).
 */
int mt_bp_plant(struct mt_proc *proc, pid_t tid, uint64_t addr, unsigned roles,
		unsigned kind, struct mt_bp **out);

/* Reads len bytes of proc's memory at addr as the file has them, that is with
 * the original bytes in place of our int3s.  Returns 0 or -errno. */
int mt_bp_read_orig(struct mt_proc *proc, uint64_t addr, uint8_t *buf, size_t len);

/* Writes the original bytes of every breakpoint of proc into the memory
 * behind memfd (proc's own, or a forked child's copy).  Returns the number
 * of failures. */
int mt_bp_restore_all(const struct mt_proc *proc, int memfd);

/* Forgets (without writing memory, which is gone) breakpoints in [start, end). */
void mt_bp_forget_range(struct mt_proc *proc, uint64_t start, uint64_t end);

#endif
