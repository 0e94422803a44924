/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guardian: memtracer runs as two processes, so that no signal to it,
 * SIGKILL included, can leave the traced program with our int3s in it.
 *
 * The process the user started stays as the guardian: it passes SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT on to the tracer and exits with its status.
 * Its child is the tracer.  If the guardian is killed (kill -9 memtracer),
 * the kernel sends the tracer MT_GUARDIAN_LOST, and the tracer detaches
 * cleanly and writes the report.  If the tracer dies of a signal (a crash,
 * SIGKILL aimed at it), the guardian seizes the program, puts back the
 * original bytes of its code (compared with the files it maps), and lets it
 * go.  See memtracer(1), SIGNALS, for the one case the kernel decides.
 */
#ifndef MT_GUARDIAN_H
#define MT_GUARDIAN_H

#include <signal.h>
#include <sys/types.h>

/* What the tracer receives when the guardian is gone. */
#define MT_GUARDIAN_LOST SIGUSR2

/*
 * Forks.  Returns in the child, the tracer, with MT_GUARDIAN_LOST set as its
 * parent-death signal (the caller installs the handler first); the parent
 * never returns.  When fork fails, returns in the only process: memtracer
 * then runs unguarded.
 */
void mt_guardian_split(void);

/* Tells the guardian a process to rescue if the tracer dies (the program
 * once started or attached). */
void mt_guardian_watch(pid_t pid);

/*
 * The rescue itself, for a process that no tracer holds any more: seizes
 * its threads, moves a thread stopped on an int3 back onto the instruction
 * (its SIGTRAP discarded), writes back every 0xcc byte of its executable
 * file mappings that the file does not have, and detaches.  Returns the
 * number of bytes restored, or -errno; *died is the signal the process died
 * of meanwhile, 0 if it lives.
 */
int mt_guardian_rescue(pid_t pid, int *died);

#endif
