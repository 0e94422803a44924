/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System calls run inside the target on our behalf (mmap of the out-of-line
 * areas), the way a debugger calls a function: save the registers of a
 * stopped thread, point it at "mov $nr,%eax; syscall; int3", let it run to
 * the int3, read the result, put everything back.
 */
#ifndef MT_INJECT_H
#define MT_INJECT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct mt_proc;

/*
 * Runs syscall nr(a[0..5]) in the stopped thread tid of proc.  The stub goes
 * to proc's scratch space, or temporarily over the code at the thread's
 * instruction pointer when there is none yet (only safe while no other
 * thread runs: at the exec stop, or with every thread stopped).
 * after_exec: the thread sits in the exec event stop, where the kernel would
 * still return 0 from execve; the restored registers say so.
 * A signal that arrives meanwhile is kept in *stashed_sig for later delivery.
 * Returns 0 with *result set (a -errno from the target is a result), or
 * -errno when the injection itself failed (-ESRCH: the thread died).
 */
int mt_inject_syscall(struct mt_proc *proc, pid_t tid, unsigned nr, const uint64_t a[6],
		      bool after_exec, int *stashed_sig, int64_t *result);

#endif
