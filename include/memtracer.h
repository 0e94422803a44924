/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memtracer phase markers, for programs that want to name parts of their
 * run in memtracer's report:
 *
 *	memtracer_phase_begin("parse");
 *	...
 *	memtracer_phase_end("parse");
 *
 * Everything a thread allocates between the two is counted to the phase
 * "parse" (entries, allocations, bytes, what it left live, its peak).
 * Untraced, each marker costs a call to an empty function.  memtracer
 * finds the markers by their names in the symbol table: do not strip it,
 * or name a function instead with memtracer --phase.
 */
#ifndef MEMTRACER_H
#define MEMTRACER_H

#if defined(__clang__)
#define MEMTRACER_MARKER __attribute__((noinline, optnone, used))
#else
#define MEMTRACER_MARKER __attribute__((noipa, used))
#endif

static MEMTRACER_MARKER void memtracer_phase_begin(const char *name)
{
	__asm__ volatile("" : : "r"(name) : "memory");
}

/* Not the same code as begin: a linker folding identical functions would
 * make one out of the two. */
static MEMTRACER_MARKER void memtracer_phase_end(const char *name)
{
	__asm__ volatile("nop" : : "r"(name) : "memory");
}

#endif
