/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "attach.h"
#include "arch.h"
#include "inject.h"
#include "probes.h"
#include "tracer.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PF_KTHREAD 0x00200000

/* A field of /proc/PID/status ("TracerPid", "Uid"), as a number; -1 if absent. */
static long status_field(pid_t pid, const char *name)
{
	char path[64], line[256];
	size_t len = strlen(name);
	long value = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			value = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return value;
}

static void comm_of(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(buf, len, "?");
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

int mt_attach_check(pid_t pid, char *err, size_t errlen)
{
	char path[64], stat[1024], state;
	unsigned long flags = 0;
	long tracer;
	FILE *f;

	if (pid <= 0)
		return mt_fail(err, errlen, "bad PID %d: give the id of a running process", (int)pid);
	/* Our parent is memtracer too: the guardian (see guardian.h). */
	if (pid == getpid() || pid == getppid())
		return mt_fail(err, errlen, "cannot attach to memtracer itself: give another PID");
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return mt_fail(err, errlen, "no such process %d: check the PID (ps -p %d)", (int)pid, (int)pid);
	if (!fgets(stat, sizeof(stat), f))
		stat[0] = '\0';
	fclose(f);
	/* Fields after the command, which may hold spaces and parentheses. */
	char *p = strrchr(stat, ')');
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %lu", &state, &flags) != 2)
		return mt_fail(err, errlen, "cannot read the state of process %d", (int)pid);
	if (flags & PF_KTHREAD)
		return mt_fail(err, errlen, "process %d is a kernel thread: only user processes can be traced",
			    (int)pid);
	if (state == 'Z' || state == 'X')
		return mt_fail(err, errlen, "process %d is a zombie: it has exited and waits for its parent "
			    "to collect it; there is nothing to trace", (int)pid);
	tracer = status_field(pid, "TracerPid");
	if (tracer > 0) {
		char comm[64];

		comm_of((pid_t)tracer, comm, sizeof(comm));
		return mt_fail(err, errlen, "process %d is already traced by %ld (%s): detach that "
			    "tracer first (quit gdb, strace...)", (int)pid, tracer, comm);
	}
	return 0;
}

void mt_attach_explain(pid_t pid, int err_no, char *err, size_t errlen)
{
	long uid = status_field(pid, "Uid");
	FILE *f;
	int scope = -1;

	if (err_no == ESRCH) {
		mt_fail(err, errlen, "process %d exited while memtracer attached", (int)pid);
		return;
	}
	if (err_no != EPERM) {
		mt_fail(err, errlen, "cannot attach to %d: %s", (int)pid, strerror(err_no));
		return;
	}
	if (mt_attach_check(pid, err, errlen) < 0)
		return;		/* another tracer came first, or the process died */
	f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	if (scope == 3) {
		mt_fail(err, errlen, "not permitted to attach to %d: yama ptrace_scope is 3 (no attaching "
		     "at all until reboot): start the program under 'memtracer run' instead", (int)pid);
	} else if (scope >= 1 && geteuid() != 0) {
		mt_fail(err, errlen, "not permitted to attach to %d: yama ptrace_scope is %d: run memtracer "
		     "as root, or set /proc/sys/kernel/yama/ptrace_scope to 0", (int)pid, scope);
	} else if (uid >= 0 && (uid_t)uid != geteuid() && geteuid() != 0) {
		mt_fail(err, errlen, "not permitted to attach to %d: it belongs to user %ld: run memtracer "
		     "as that user or as root", (int)pid, uid);
	} else {
		mt_fail(err, errlen, "not permitted to attach to %d: memtracer lacks CAP_SYS_PTRACE or the "
		     "process is not dumpable (setuid, prctl): run memtracer as root", (int)pid);
	}
}

/* ---- attach ------------------------------------------------------------ */

static int seize_thread(struct mt_tracer *t, pid_t tid)
{
	const long options = PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
			     PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;
	struct mt_task *task;

	if (ptrace(PTRACE_SEIZE, tid, 0, options) < 0)
		return -errno;
	task = mt_task_add(t, tid, MT_TASK_THREAD, t->proc);
	task->stopped_once = true;
	task->needs_stop = true;
	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) < 0)
		return -errno;
	return 0;
}

/* Seizes every thread listed in /proc/PID/task; returns how many were new. */
static int seize_all(struct mt_tracer *t, pid_t pid, int *first_err)
{
	char path[64];
	struct dirent *de;
	int added = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir) {
		*first_err = errno == ENOENT ? ESRCH : errno;
		return 0;
	}
	while ((de = readdir(dir))) {
		pid_t tid = (pid_t)strtol(de->d_name, NULL, 10);
		int err;

		if (tid <= 0 || mt_task_find(t, tid))
			continue;
		err = seize_thread(t, tid);
		if (err == 0)
			added++;
		else if (err != -ESRCH && !*first_err)
			*first_err = -err;	/* ESRCH: the thread just exited */
	}
	closedir(dir);
	return added;
}

/* Waits until every thread we hold has reported a stop. */
static void collect_stops(struct mt_tracer *t, bool detaching);

int mt_attach(struct mt_tracer *t, pid_t pid, char *err, size_t errlen)
{
	int first_err = 0;
	struct mt_task *runner = NULL;

	if (mt_attach_check(pid, err, errlen) < 0)
		return -1;
	t->proc = mt_proc_new(t, pid, 0, mt_proc_cmdline(pid));
	t->root_pid = pid;
	/* Threads may be created while we seize: list again until none is new. */
	while (seize_all(t, pid, &first_err) > 0 && !first_err)
		;
	if (first_err || t->tasks.count == 0) {
		mt_attach_explain(pid, first_err ? first_err : ESRCH, err, errlen);
		mt_detach(t);
		return -1;
	}
	collect_stops(t, false);
	for (size_t i = 0; i < t->tasks.cap; i++) {
		struct mt_task *task = t->tasks.v[i];

		if (task && !task->group_stopped && !runner)
			runner = task;
	}
	int e = mt_mem_open(&t->proc->mem, pid);
	if (e) {
		mt_fail(err, errlen, "cannot open the memory of %d: %s", (int)pid, strerror(-e));
		mt_detach(t);
		return -1;
	}
	t->started = true;
	t->attached = true;
	t->start_ns = t->proc->start_ns = mt_now_ns();
	if (runner)
		mt_probes_scan(t->proc, runner->tid);
	else
		t->plant_deferred = true;	/* all stopped by SIGSTOP: plant at SIGCONT */
	for (size_t i = 0; i < t->tasks.cap; i++) {
		struct mt_task *task = t->tasks.v[i];

		if (!task)
			continue;
		if (task->group_stopped)
			ptrace(PTRACE_LISTEN, task->tid, 0, 0);
		else if (ptrace(PTRACE_CONT, task->tid, 0, task->stashed_sig) == 0)
			task->stashed_sig = 0;
	}
	return 0;
}

/* ---- detach ------------------------------------------------------------ */

/* A thread stopped on one of our int3s goes back onto the original
 * instruction, which it will execute once the byte is restored. */
static void rewind_trap(struct mt_tracer *t, struct mt_task *task)
{
	struct mt_proc *proc = task->proc;
	mt_regs_t regs;
	uint64_t addr;

	if (!proc || ptrace(PTRACE_GETREGS, task->tid, 0, &regs) < 0)
		return;
	addr = mt_regs_ip(&regs) - MT_BREAKPOINT_LEN;
	if (proc->trampoline && addr == proc->trampoline) {
		/* A hijacked return: go where the call really returns. */
		for (size_t i = task->npend; i-- > 0;)
			if (task->pend[i].hijacked &&
			    task->pend[i].entry_sp + MT_ENTRY_RET_SP_DELTA == mt_regs_sp(&regs)) {
				mt_regs_set_ip(&regs, task->pend[i].ret);
				task->pend[i].hijacked = false;
				break;
			}
	} else if (mt_bptab_find(&proc->bps, addr)) {
		mt_regs_set_ip(&regs, addr);
	} else {
		task->stashed_sig = SIGTRAP;	/* not ours: the program's own trap */
		return;
	}
	ptrace(PTRACE_SETREGS, task->tid, 0, &regs);
}

/*
 * The kernel reports an interrupt before it dequeues signals, so a thread
 * that has just executed one of our int3s may stop for PTRACE_INTERRUPT with
 * its SIGTRAP still pending.  Detached like that, it would die of the trap.
 * Let it take the trap under our eyes, then put it back on the instruction.
 */
static void consume_pending_trap(struct mt_tracer *t, struct mt_task *task)
{
	int status;

	if (!mt_signal_pending(task->tid, SIGTRAP) || ptrace(PTRACE_CONT, task->tid, 0, 0) < 0)
		return;
	while (waitpid(task->tid, &status, __WALL) == task->tid) {
		if (!WIFSTOPPED(status))
			return;
		int sig = WSTOPSIG(status);
		if ((status >> 16) == 0 && sig == SIGTRAP) {
			rewind_trap(t, task);
			return;
		}
		if ((status >> 16) == 0)
			task->stashed_sig = sig;
		if (ptrace(PTRACE_CONT, task->tid, 0, 0) < 0)
			return;
	}
}

static void note_stop(struct mt_tracer *t, struct mt_task *task, int status, bool detaching)
{
	int sig = WSTOPSIG(status), event = status >> 16;

	task->needs_stop = false;
	if (event == PTRACE_EVENT_STOP) {
		task->group_stopped = sig == SIGSTOP || sig == SIGTSTP ||
				      sig == SIGTTIN || sig == SIGTTOU;
		if (detaching && !task->group_stopped)
			consume_pending_trap(t, task);
		return;
	}
	if (event)
		return;		/* clone/fork/exec events: the thread is stopped all the same */
	if (sig == SIGTRAP && detaching)
		rewind_trap(t, task);
	else if (sig != SIGTRAP || !detaching)
		task->stashed_sig = sig;
}

static bool all_stopped(struct mt_tracer *t)
{
	for (size_t i = 0; i < t->tasks.cap; i++)
		if (t->tasks.v[i] && t->tasks.v[i]->needs_stop)
			return false;
	return true;
}

static void collect_stops(struct mt_tracer *t, bool detaching)
{
	int status;

	while (!all_stopped(t)) {
		pid_t w = waitpid(-1, &status, __WALL);
		struct mt_task *task;

		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		task = mt_task_find(t, w);
		if (!task) {
			/* A thread born meanwhile: it starts stopped, in our hands. */
			task = mt_task_add(t, w, MT_TASK_THREAD, t->proc);
			task->stopped_once = true;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (w == t->root_pid) {
				t->root_status = status;
				t->root_done = true;
			}
			mt_task_remove(t, w);
			continue;
		}
		note_stop(t, task, status, detaching);
	}
}

/* Steps a thread out of an out-of-line slot, onto the original code. */
static void leave_xol(struct mt_tracer *t, struct mt_task *task)
{
	for (int steps = 0; steps < 16; steps++) {
		mt_regs_t regs;
		int status;

		if (!task->proc || ptrace(PTRACE_GETREGS, task->tid, 0, &regs) < 0 ||
		    !mt_xol_contains(&task->proc->xol, mt_regs_ip(&regs)))
			return;
		if (ptrace(PTRACE_SINGLESTEP, task->tid, 0, 0) < 0 ||
		    waitpid(task->tid, &status, __WALL) < 0 || !WIFSTOPPED(status))
			return;
	}
	error_msg("thread %d did not leave the out-of-line area", (int)task->tid);
}

static int unmap_area(struct mt_proc *proc, struct mt_task *runner, uint64_t start)
{
	uint64_t args[6] = { start, MT_XOL_AREA_SIZE, 0, 0, 0, 0 };
	int64_t res = -1;

	if (mt_inject_syscall(proc, runner->tid, SYS_munmap, args, false,
			      &runner->stashed_sig, &res) < 0 || res != 0)
		return 1;
	return 0;
}

/* Unmaps the out-of-line areas; no thread is in them any more. */
static int unmap_areas(struct mt_tracer *t, struct mt_proc *proc)
{
	struct mt_task *runner = NULL;
	int problems = 0;

	for (size_t i = 0; i < t->tasks.cap && !runner; i++)
		if (t->tasks.v[i] && t->tasks.v[i]->proc == proc && !t->tasks.v[i]->group_stopped &&
		    t->tasks.v[i]->role == MT_TASK_THREAD)
			runner = t->tasks.v[i];
	/* A process stopped by SIGSTOP stays stopped: its areas stay, unused. */
	if (!runner || !proc->xol.n)
		return 0;
	for (size_t i = proc->xol.n; i-- > 1;)
		problems += unmap_area(proc, runner, proc->xol.v[i].start);
	/* The first area holds the syscall scratch space and cannot hold the
	 * stub that unmaps it: that one runs from the thread's own code. */
	proc->xol.scratch = 0;
	problems += unmap_area(proc, runner, proc->xol.v[0].start);
	proc->xol.n = 0;
	return problems;
}

/* Puts back what we changed in one process: return addresses, code, areas. */
static int restore_proc(struct mt_tracer *t, struct mt_proc *proc)
{
	int problems = 0;

	for (size_t i = 0; i < t->tasks.cap; i++) {
		struct mt_task *task = t->tasks.v[i];

		if (!task || task->proc != proc)
			continue;
		leave_xol(t, task);
		for (size_t j = 0; j < task->npend; j++)
			if (task->pend[j].hijacked &&
			    mt_mem_write(&proc->mem, task->pend[j].entry_sp,
					 &task->pend[j].ret, sizeof(uint64_t)) < 0)
				problems++;
	}
	problems += mt_bp_restore_all(proc, proc->mem.fd);
	problems += unmap_areas(t, proc);
	return problems;
}

int mt_detach(struct mt_tracer *t)
{
	int problems = 0;

	for (size_t i = 0; i < t->tasks.cap; i++) {
		struct mt_task *task = t->tasks.v[i];

		if (task && task->role == MT_TASK_THREAD && !task->needs_stop) {
			task->needs_stop = true;
			if (ptrace(PTRACE_INTERRUPT, task->tid, 0, 0) < 0)
				task->needs_stop = false;
		}
	}
	collect_stops(t, true);
	/* Every process still traced (several with --follow-forks). */
	for (size_t i = 0; i < t->nprocs; i++)
		if (!t->procs[i]->done && t->procs[i]->mem.fd >= 0)
			problems += restore_proc(t, t->procs[i]);
	for (size_t i = 0; i < t->tasks.cap; i++) {
		struct mt_task *task = t->tasks.v[i];

		if (task && ptrace(PTRACE_DETACH, task->tid, 0, task->stashed_sig) < 0 &&
		    errno != ESRCH)
			problems++;
	}
	mt_tasktab_destroy(&t->tasks);
	if (problems)
		error_msg("%d problem(s) while restoring process %d", problems, (int)t->root_pid);
	return problems;
}
