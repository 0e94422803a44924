/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Starting the program under ptrace.  The program's stdin, stdout, stderr,
 * environment, working directory and signal dispositions are memtracer's
 * own, untouched.
 */
#ifndef MT_LAUNCH_H
#define MT_LAUNCH_H

#include <sys/types.h>

/*
 * Finds PROGRAM the way a shell does (PATH lookup unless it holds a '/').
 * Returns a malloc'ed path, or NULL with a one-line message printed and
 * *status set to the shell's exit status (127 not found, 126 not executable).
 */
char *mt_launch_resolve(const char *prog, int *status);

/*
 * Records how memtracer found the signals it changes for itself (called
 * first thing), so the program starts with them as it would without it.
 */
void mt_launch_save_signals(void);

/*
 * Forks; the child stops itself, is seized with the tracer's options, and
 * continues into execv(path, argv).  Returns the child's pid, or -errno.
 * An exec failure in the child is reported by the child, which exits 126/127.
 */
pid_t mt_launch(const char *path, char **argv);

#endif
