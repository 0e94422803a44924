/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "inject.h"
#include "arch.h"
#include "proc.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

/* Runs tid until it reaches the int3 after the syscall. */
static int run_to_trap(pid_t tid, uint64_t trap_ip, int *stashed_sig)
{
	int status;

	if (ptrace(PTRACE_CONT, tid, 0, 0) < 0)
		return -errno;
	for (;;) {
		if (waitpid(tid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return -ESRCH;
		if (!WIFSTOPPED(status))
			continue;
		int sig = WSTOPSIG(status);
		if (sig == SIGTRAP && (status >> 16) == 0) {
			mt_regs_t r;

			if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
				return -errno;
			if (mt_regs_ip(&r) == trap_ip)
				return 0;
		} else if ((status >> 16) == 0 && stashed_sig) {
			/* A signal for the thread: deliver it once we are done. */
			*stashed_sig = sig;
		}
		if (ptrace(PTRACE_CONT, tid, 0, 0) < 0)
			return -errno;
	}
}

int mt_inject_syscall(struct mt_proc *proc, pid_t tid, unsigned nr, const uint64_t a[6],
		      bool after_exec, int *stashed_sig, int64_t *result)
{
	uint8_t stub[MT_SYSCALL_STUB_LEN], saved_code[MT_SYSCALL_STUB_LEN];
	mt_regs_t saved, regs;
	uint64_t at;
	int err, err2;

	if (ptrace(PTRACE_GETREGS, tid, 0, &saved) < 0)
		return -errno;
	at = proc->xol.scratch ? proc->xol.scratch : mt_regs_ip(&saved);
	if (!proc->xol.scratch) {
		err = mt_mem_peek(&proc->mem, at, saved_code, sizeof(saved_code));
		if (err)
			return err;
	}
	mt_arch_syscall_stub(stub, nr);
	err = mt_mem_write(&proc->mem, at, stub, sizeof(stub));
	if (err)
		return err;
	regs = saved;
	mt_arch_syscall_regs(&regs, at, a);
	if (ptrace(PTRACE_SETREGS, tid, 0, &regs) < 0)
		return -errno;
	err = run_to_trap(tid, at + MT_SYSCALL_STUB_LEN, stashed_sig);
	if (err == 0) {
		if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
			err = -errno;
		else
			*result = mt_arch_syscall_result(&regs);
	}
	if (after_exec) {
		/* execve returns 0 in the new image; we are past that point now. */
		saved.rax = 0;
		saved.orig_rax = (uint64_t)-1;
	}
	err2 = proc->xol.scratch && at == proc->xol.scratch ? 0 :
	       mt_mem_write(&proc->mem, at, saved_code, sizeof(saved_code));
	if (err == -ESRCH)
		return err;
	if (ptrace(PTRACE_SETREGS, tid, 0, &saved) < 0 && !err)
		err = -errno;
	return err ? err : err2;
}
