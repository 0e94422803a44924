/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attaching to a running process and leaving it as it was.
 *
 * Attach seizes every thread (threads may appear while we do it), stops
 * them all, and only then plants: no thread can be inside bytes we patch.
 * Detach stops every thread again, moves any thread that sits on one of
 * our int3s or inside an out-of-line slot back onto the original code,
 * puts back every patched byte and hijacked return address, unmaps the
 * out-of-line areas, and lets the threads go with their pending signals.
 * Return capture uses breakpoints at return sites, not the stack, so a
 * thread blocked inside malloc returns normally after we are gone.
 */
#ifndef MT_ATTACH_H
#define MT_ATTACH_H

#include <stddef.h>
#include <sys/types.h>

struct mt_tracer;

/*
 * Checks that pid can be traced; on failure fills err with one line naming
 * the cause and the fix (no such process, zombie, kernel thread, ourselves,
 * another tracer, permissions) and returns -1.
 */
int mt_attach_check(pid_t pid, char *err, size_t errlen);

/* Explains a failed PTRACE_SEIZE of pid (errno err) in err. */
void mt_attach_explain(pid_t pid, int err_no, char *err, size_t errlen);

/*
 * Seizes and stops every thread of pid, plants the probes, resumes.
 * Returns 0, or -1 with err filled (the target is then left untouched).
 */
int mt_attach(struct mt_tracer *t, pid_t pid, char *err, size_t errlen);

/* Restores the target and detaches from every thread.  Returns the number
 * of problems reported on stderr (0: the target is exactly as before). */
int mt_detach(struct mt_tracer *t);

#endif
