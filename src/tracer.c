/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ptrace event loop: one waitpid(__WALL) for every tracee, each stop
 * dispatched to what caused it (one of our breakpoints, a new thread or
 * child, an exec, a signal for the program, a group-stop) and the tracee
 * resumed with as few system calls as the stop allows.
 */
#include "config.h"
#include "tracer.h"
#include "attach.h"
#include "guardian.h"
#include "kinds.h"
#include "launch.h"
#include "maps.h"
#include "probes.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

void mt_tracer_init(struct mt_tracer *t, const struct mt_options *opts)
{
	memset(t, 0, sizeof(*t));
	t->opts = opts;
	/* Call-site-only stacks need no CFI: the return address is exact. */
	t->unwinder = mt_unwinder_find(opts->depth == 1 ? "retaddr" :
				       opts->unwinder ? opts->unwinder : MT_DEFAULT_UNWINDER);
	t->unwind_ctx = t->unwinder->create();
	t->snap.cap = t->unwinder->snapshot_size;
	t->snap.data = xmalloc(t->snap.cap);
	t->pcs = xcalloc(opts->depth + 1, sizeof(*t->pcs));
}

void mt_tracer_destroy(struct mt_tracer *t)
{
	for (size_t i = 0; i < t->nprocs; i++)
		mt_proc_free(t->procs[i]);
	free(t->procs);
	mt_tasktab_destroy(&t->tasks);
	t->unwinder->destroy(t->unwind_ctx);
	free(t->snap.data);
	free(t->pcs);
}

static void resume(struct mt_task *task, int sig)
{
	if (ptrace(PTRACE_CONT, task->tid, 0, task->stashed_sig ? task->stashed_sig : sig) < 0 &&
	    errno != ESRCH)
		perror_msg("PTRACE_CONT %d", (int)task->tid);
	task->stashed_sig = 0;
}

/* Kills the program before its own code runs (at its exec stop, or at the
 * dynamic linker's first report), for a reason already said. */
static void refuse(struct mt_tracer *t, struct mt_task *task)
{
	t->refused = true;
	kill(task->tid, SIGKILL);
	resume(task, 0);
}

static void not_found(const struct mt_tracer *t, const char *option, const char *name)
{
	error_msg("%s: no function '%s' in %s or the libraries it loads at start: check the "
		  "name with nm (C++: mangled; static functions need the symbol table, not "
		  "stripped)", option, name, t->opts->argv ? t->opts->argv[0] : "the process");
}

/* Whether every --alloc-fn named by symbol and every --phase was found;
 * says which were not. */
static bool alloc_fns_found(const struct mt_tracer *t)
{
	bool all = true;

	for (size_t i = 0; i < t->opts->nalloc_fns; i++) {
		const struct mt_alloc_fn *fn = &t->opts->alloc_fns[i];

		if (fn->symbol && !t->alloc_fn_matched[i]) {
			not_found(t, "--alloc-fn", fn->symbol);
			all = false;
		}
	}
	for (size_t i = 0; i < t->opts->nphases; i++) {
		if (!t->phase_matched[i]) {
			not_found(t, "--phase", t->opts->phases[i]);
			all = false;
		}
	}
	return all;
}

/*
 * Once the program and the libraries it needs are in, before its own code
 * runs: the functions named on the command line must have been found, or
 * the program is refused.  Returns true when it was.
 */
static bool check_startup(struct mt_tracer *t, struct mt_task *task)
{
	t->startup_checked = true;
	if (alloc_fns_found(t))
		return false;
	refuse(t, task);
	return true;
}

/* ---- breakpoints ------------------------------------------------------- */

static void resume_from_bp(struct mt_task *task, mt_regs_t *regs, const struct mt_bp *bp)
{
	switch (bp->how) {
	case MT_RESUME_NEXT:
		break;		/* ip is already past the int3, on a NOP */
	case MT_RESUME_JUMP:
		mt_regs_set_ip(regs, bp->target);
		break;
	case MT_RESUME_XOL:
		mt_regs_set_ip(regs, bp->slot);
		break;
	}
	if (bp->how != MT_RESUME_NEXT && ptrace(PTRACE_SETREGS, task->tid, 0, regs) < 0 &&
	    errno != ESRCH)
		perror_msg("PTRACE_SETREGS %d", (int)task->tid);
	resume(task, 0);
}

/* Follows the bytes live in all processes together, for the run's peak. */
static void track_live(struct mt_tracer *t, uint64_t before, uint64_t after)
{
	t->live_bytes += after - before;	/* modular: a decrease works too */
	if (t->live_bytes > t->peak_live_bytes)
		t->peak_live_bytes = t->live_bytes;
}

static bool on_trampoline(struct mt_tracer *t, struct mt_task *task, mt_regs_t *regs)
{
	uint64_t ip, live = task->proc->acct.totals.c.live_bytes;
	bool ours = mt_probe_return(t, task, regs, task->proc->trampoline, true, &ip);

	track_live(t, live, task->proc->acct.totals.c.live_bytes);
	if (!ours)
		return false;
	mt_regs_set_ip(regs, ip);
	if (ptrace(PTRACE_SETREGS, task->tid, 0, regs) < 0 && errno != ESRCH)
		perror_msg("PTRACE_SETREGS %d", (int)task->tid);
	resume(task, 0);
	return true;
}

/* A SIGTRAP stop: one of our breakpoints, or a trap the program caused. */
static bool on_trap(struct mt_tracer *t, struct mt_task *task)
{
	struct mt_proc *proc = task->proc;
	struct mt_bp *found, bp;
	mt_regs_t regs;
	uint64_t addr, live;

	if (!proc || ptrace(PTRACE_GETREGS, task->tid, 0, &regs) < 0)
		return false;
	addr = mt_regs_ip(&regs) - MT_BREAKPOINT_LEN;
	if (proc->trampoline && addr == proc->trampoline)
		return on_trampoline(t, task, &regs);
	found = mt_bptab_find(&proc->bps, addr);
	if (!found) {
		t->stats.other_traps++;
		return false;
	}
	bp = *found;	/* handlers may plant more and move the table */
	live = proc->acct.totals.c.live_bytes;
	if (bp.roles & MT_BP_RETSITE) {
		mt_probe_return(t, task, &regs, addr, false, NULL);
		if (task->acct.phase)
			mt_probe_phase_return(task, &regs, addr);
	}
	if (bp.roles & (MT_BP_PHASE | MT_BP_MARKER))
		mt_probe_phase(t, task, &regs, &bp);
	if (bp.roles & MT_BP_ENTRY)
		mt_probe_entry(t, task, &regs, &bp);
	track_live(t, live, proc->acct.totals.c.live_bytes);
	/* ld.so's first consistent report: the libraries are in. */
	if ((bp.roles & MT_BP_RENDEZVOUS) && mt_probes_rendezvous(proc, task->tid) &&
	    proc == t->proc && !t->startup_checked && check_startup(t, task))
		return true;
	resume_from_bp(task, &regs, &bp);
	return true;
}

/* ---- new tracees ------------------------------------------------------- */

static void read_ids(pid_t pid, pid_t *tgid, pid_t *ppid)
{
	char path[64], line[256];
	FILE *f;

	*tgid = pid;
	*ppid = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Tgid: %d", tgid);
		sscanf(line, "PPid: %d", ppid);
	}
	fclose(f);
}

static bool shares_memory(pid_t a, pid_t b)
{
	return syscall(SYS_kcmp, a, b, KCMP_VM, 0, 0) == 0;
}

/*
 * The record of a new process forked (not vforked) by a traced one: its
 * own, with --follow-forks; else it shares the parent's until released.
 */
static struct mt_proc *forked_proc(struct mt_tracer *t, struct mt_proc *parent, pid_t pid,
				   enum mt_task_role *role)
{
	if (!t->opts->follow_forks || !parent)
		return parent;
	*role = MT_TASK_THREAD;
	debug_msg("following child %d of %d", (int)pid, (int)parent->pid);
	return mt_proc_fork(t, parent, pid);
}

/* A tracee we have no record of: a thread or child whose first stop came
 * before its creator's event.  What it is, /proc tells. */
static struct mt_task *adopt(struct mt_tracer *t, pid_t pid)
{
	enum mt_task_role role = MT_TASK_FORK_CHILD;
	struct mt_proc *parent;
	pid_t tgid, ppid;

	read_ids(pid, &tgid, &ppid);
	if (tgid != pid)
		return mt_task_add(t, pid, MT_TASK_THREAD, mt_proc_find(t, tgid));
	parent = mt_proc_find(t, ppid);
	if (parent && shares_memory(pid, parent->pid))
		return mt_task_add(t, pid, MT_TASK_VM_CHILD, parent);
	parent = forked_proc(t, parent, pid, &role);
	return mt_task_add(t, pid, role, parent);
}

/*
 * A forked child got a copy of our int3s: write the original bytes back into
 * its memory and let it go, or it would die of SIGTRAP at its first malloc.
 */
static void release_child(struct mt_tracer *t, struct mt_task *task)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)task->tid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || (task->proc && mt_bp_restore_all(task->proc, fd) > 0))
		error_msg("child %d may keep breakpoints: cannot restore its code", (int)task->tid);
	if (fd >= 0)
		close(fd);
	if (ptrace(PTRACE_DETACH, task->tid, 0, 0) < 0 && errno != ESRCH)
		perror_msg("PTRACE_DETACH %d", (int)task->tid);
	debug_msg("released child %d", (int)task->tid);
	mt_task_remove(t, task->tid);
}

static void on_new_tracee(struct mt_tracer *t, struct mt_task *parent, int event)
{
	unsigned long msg;
	pid_t pid, tgid, ppid;
	enum mt_task_role role = MT_TASK_FORK_CHILD;
	struct mt_proc *proc = parent->proc;

	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &msg) < 0)
		return;
	pid = (pid_t)msg;
	if (mt_task_find(t, pid))
		return;		/* its own first stop came first */
	if (event == PTRACE_EVENT_VFORK) {
		role = MT_TASK_VM_CHILD;
	} else if (event == PTRACE_EVENT_CLONE) {
		read_ids(pid, &tgid, &ppid);
		if (tgid != pid)
			role = MT_TASK_THREAD;
		else if (shares_memory(pid, parent->tid))
			role = MT_TASK_VM_CHILD;
	}
	if (role == MT_TASK_FORK_CHILD)
		proc = forked_proc(t, proc, pid, &role);
	mt_task_add(t, pid, role, proc);
}

/* ---- exec and exit ----------------------------------------------------- */

static char *join_args(char **argv)
{
	size_t len = 1;
	char *s;

	for (char **a = argv; *a; a++)
		len += strlen(*a) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (char **a = argv; *a; a++) {
		if (a != argv)
			strcat(s, " ");
		strcat(s, *a);
	}
	return s;
}

static void drop_other_tasks(struct mt_tracer *t, struct mt_task *keep)
{
	for (size_t i = 0; i < t->tasks.cap; i++) {
		struct mt_task *o = t->tasks.v[i];

		if (o && o != keep && o->proc == keep->proc && o->role == MT_TASK_THREAD) {
			mt_task_remove(t, o->tid);
			i = (size_t)-1;	/* the table shifted: start over */
		}
	}
}

/*
 * A vfork child (or a clone sharing memory) ran a new program: with
 * --follow-forks it becomes a traced process of its own; else it goes.
 * Returns false when it was let go.
 */
static bool exec_in_child(struct mt_tracer *t, struct mt_task *task)
{
	pid_t parent = task->proc ? task->proc->pid : 0;

	if (!t->opts->follow_forks) {
		if (ptrace(PTRACE_DETACH, task->tid, 0, 0) < 0 && errno != ESRCH)
			perror_msg("PTRACE_DETACH %d", (int)task->tid);
		mt_task_remove(t, task->tid);
		return false;
	}
	task->role = MT_TASK_THREAD;
	task->proc = mt_proc_new(t, task->tid, parent, mt_proc_cmdline(task->tid));
	debug_msg("following child %d of %d: %s", (int)task->tid, (int)parent, task->proc->command);
	return true;
}

/*
 * A program with no allocator symbol and no dynamic linker to bring one: a
 * stripped static binary.  The program itself, not yet started, is refused
 * (killed before its first instruction) with the way out; a later exec is
 * only warned about.  Returns true when the task was killed.
 */
static bool no_allocator(struct mt_tracer *t, struct mt_task *task, bool first)
{
	const char *prog = task->proc->command;

	if (!first || task->proc != t->proc) {
		error_msg("no allocator found in %s (a static binary without symbols?): not traced; "
			  "name its allocators with --alloc-fn KIND=0xADDRESS", prog);
		return false;
	}
	error_msg("no allocator found in %s: a static binary without symbols; name its "
		  "allocators by address, e.g. --alloc-fn malloc=0x401a2e --alloc-fn free=0x4020f0 "
		  "(from 'nm' of the unstripped build)", t->opts->argv[0]);
	refuse(t, task);
	return true;
}

static void on_exec(struct mt_tracer *t, struct mt_task *task)
{
	struct mt_proc *proc;
	bool fresh = false, first = task->before_exec;
	int err;

	if (task->role != MT_TASK_THREAD) {
		if (!exec_in_child(t, task))
			return;
		fresh = true;
	}
	proc = task->proc;
	if (task->before_exec) {
		task->before_exec = false;
		t->started = true;
		t->start_ns = proc->start_ns = mt_now_ns();
	} else if (!fresh) {
		/* A new program in the same process (a wrapper script's exec):
		 * the old image and all it allocated are gone, and the profile
		 * is the new program's. */
		drop_other_tasks(t, task);
		task->acct.phase = 0;	/* its phases went with the old image */
		mt_proc_reset_image(proc);
		t->live_bytes -= proc->acct.totals.c.live_bytes;
		mt_proc_reset_profile(proc, mt_proc_cmdline(task->tid));
		if (proc == t->proc)
			t->start_ns = proc->start_ns;
		debug_msg("exec: now tracing %s", proc->command);
	}
	task->npend = 0;
	proc->pid = task->tid;
	err = mt_mem_open(&proc->mem, proc->pid);
	if (err)
		error_msg("cannot open the memory of %d: %s", (int)proc->pid, strerror(-err));
	task->at_exec = true;
	err = mt_probes_scan(proc, task->tid);
	task->at_exec = false;
	if (err)
		error_msg("cannot read the modules of %d: %s", (int)proc->pid, strerror(-err));
	if (first && proc == t->proc && t->alloc_fn_errors) {
		refuse(t, task);	/* the address is said above */
		return;
	}
	/* Static: every module is in already. */
	if (first && proc == t->proc && !proc->r_debug && check_startup(t, task))
		return;
	if (!proc->allocators && !proc->r_debug && no_allocator(t, task, first))
		return;
	resume(task, 0);
}

/* A process is gone: its blocks went with it, its profile stays. */
static void end_process(struct mt_tracer *t, struct mt_proc *proc, int status)
{
	proc->status = status;
	proc->done = true;
	proc->end_ns = mt_now_ns();
	t->live_bytes -= proc->acct.totals.c.live_bytes;
	mt_phases_finish(&proc->phases);
	mt_proc_reset_image(proc);
}

static void on_task_exit(struct mt_tracer *t, struct mt_task *task, int status)
{
	/* Calls that never returned (an exception, then the end) did not
	 * return a block: settled as failed, as at a later allocator call. */
	mt_probe_prune(t, task, UINT64_MAX);
	if (task->tid == t->root_pid) {
		t->root_status = status;
		t->root_done = true;
		t->end_ns = mt_now_ns();
	}
	if (task->proc && task->role == MT_TASK_THREAD && task->tid == task->proc->pid)
		end_process(t, task->proc, status);
	mt_task_remove(t, task->tid);
}

/* ---- dispatch ---------------------------------------------------------- */

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void on_event_stop(struct mt_tracer *t, struct mt_task *task, int sig)
{
	bool first = !task->stopped_once;

	task->stopped_once = true;
	if (first && task->role == MT_TASK_FORK_CHILD) {
		release_child(t, task);
		return;
	}
	if (t->plant_deferred && !is_stop_signal(sig) && task->proc) {
		/* Attached while stopped by SIGSTOP; now continued: plant. */
		t->plant_deferred = false;
		mt_probes_scan(task->proc, task->tid);
	}
	/* A new tracee's first stop is the attach itself, never a group-stop. */
	if (!first && is_stop_signal(sig)) {
		/* Group-stop: stay stopped, but let us see SIGCONT. */
		if (ptrace(PTRACE_LISTEN, task->tid, 0, 0) < 0 && errno != ESRCH)
			perror_msg("PTRACE_LISTEN %d", (int)task->tid);
		return;
	}
	resume(task, 0);
}

static void on_stop(struct mt_tracer *t, struct mt_task *task, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;

	t->stats.stops++;
	switch (event) {
	case 0:
		break;
	case PTRACE_EVENT_STOP:
		on_event_stop(t, task, sig);
		return;
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
		on_new_tracee(t, task, event);
		resume(task, 0);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec(t, task);
		return;
	default:
		resume(task, 0);
		return;
	}
	task->stopped_once = true;
	if (sig == SIGTRAP && !task->before_exec && on_trap(t, task))
		return;
	/* A signal for the program: deliver it unchanged. */
	t->stats.signals++;
	resume(task, sig);
}

static void on_wait(struct mt_tracer *t, pid_t pid, int status)
{
	struct mt_task *task = mt_task_find(t, pid);

	if (!task)
		task = adopt(t, pid);
	if (WIFEXITED(status) || WIFSIGNALED(status))
		on_task_exit(t, task, status);
	else if (WIFSTOPPED(status))
		on_stop(t, task, status);
}

/* Phases still running when tracing ended count as they stand. */
static void finish_phases(struct mt_tracer *t)
{
	for (size_t i = 0; i < t->nprocs; i++)
		mt_phases_finish(&t->procs[i]->phases);
}

/* What the engine did, for MEMTRACER_DEBUG and the bench. */
static void print_stats(const struct mt_tracer *t)
{
	const struct mt_stats *s = &t->stats;

	debug_msg("stops %lu, entries %lu, returns %lu, return sites %lu, hijacks %lu, signals %lu",
		  (unsigned long)s->stops, (unsigned long)s->entry_stops,
		  (unsigned long)s->return_stops, (unsigned long)s->retsites,
		  (unsigned long)s->hijacks, (unsigned long)s->signals);
	debug_msg("unwinder %s: %lu stacks, %.1f frames each, %.2f us each", t->unwinder->name,
		  (unsigned long)s->unwinds,
		  s->unwinds ? (double)s->unwind_frames / (double)s->unwinds : 0.0,
		  s->unwinds ? (double)s->unwind_ns / 1e3 / (double)s->unwinds : 0.0);
}

/* Set by SIGINT, SIGTERM, SIGHUP or SIGALRM in attach mode, and by the
 * guardian's death in both modes: detach now. */
static volatile sig_atomic_t stop_requested;
/* The thread the stop handler interrupts, so that waitpid returns at once. */
static volatile pid_t wake_tid;

static void on_stop_request(int sig)
{
	int saved = errno;

	stop_requested = 1;
	if (wake_tid > 0)
		ptrace(PTRACE_INTERRUPT, wake_tid, 0, 0);
	errno = saved;
}

void mt_tracer_guard_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_request };

	sigemptyset(&sa.sa_mask);
	sigaction(MT_GUARDIAN_LOST, &sa, NULL);
	/*
	 * Ctrl-Z stops the guardian, which the shell sees, and the program,
	 * through us: were we stopped too, the program's stop would wait for
	 * us and run after the shell's SIGCONT, leaving it stopped for good.
	 */
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
}


static void event_loop(struct mt_tracer *t)
{
	int status;

	while (t->tasks.count > 0 && !stop_requested) {
		pid_t w = waitpid(-1, &status, __WALL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				perror_msg("waitpid");
			break;
		}
		on_wait(t, w, status);
	}
}

/* The program, to which termination signals sent to memtracer are passed. */
static volatile pid_t forward_to;

/* kill() is async-signal-safe: forwarding here leaves no window in which
 * a signal could wait for the program's next event. */
static void on_forwarded_signal(int sig)
{
	int saved = errno;

	if (forward_to > 0)
		kill(forward_to, sig);
	errno = saved;
}

/*
 * SIGTERM and SIGHUP aimed at memtracer go to the program instead, which
 * decides what to do; its end is traced and reported as any other.
 */
static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_forwarded_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Ctrl-C and Ctrl-\ reach the program from the terminal by themselves. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
}

int mt_tracer_run(struct mt_tracer *t)
{
	int status = 0;
	char *path = mt_launch_resolve(t->opts->argv[0], &status);
	struct mt_task *root;
	pid_t pid;

	if (!path)
		return status;
	pid = mt_launch(path, t->opts->argv);
	free(path);
	if (pid < 0) {
		errno = -pid;
		perror_msg("cannot trace %s", t->opts->argv[0]);
		return MT_EXIT_TRACE;
	}
	forward_to = pid;
	setup_signals();
	t->root_pid = pid;
	t->start_ns = mt_now_ns();
	t->proc = mt_proc_new(t, pid, 0, join_args(t->opts->argv));
	root = mt_task_add(t, pid, MT_TASK_THREAD, t->proc);
	root->before_exec = true;
	mt_guardian_watch(pid);
	wake_tid = pid;
	event_loop(t);
	wake_tid = 0;
	if (!t->end_ns)
		t->end_ns = mt_now_ns();
	if (stop_requested && t->tasks.count > 0) {
		/* memtracer was killed (its guardian is gone): the program
		 * runs on, intact, and the report covers what was seen. */
		error_msg("memtracer was killed: detaching from %d, which runs on", (int)pid);
		t->attached = true;
		mt_detach(t);
	}
	finish_phases(t);
	print_stats(t);
	return t->refused ? MT_EXIT_TRACE : 0;
}

int mt_tracer_attach(struct mt_tracer *t, pid_t pid)
{
	struct sigaction sa = { .sa_handler = on_stop_request };
	char err[512];

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	if (mt_attach(t, pid, err, sizeof(err)) < 0) {
		error_msg("%s", err);
		return MT_EXIT_TRACE;
	}
	mt_guardian_watch(pid);
	if (!t->plant_deferred && !alloc_fns_found(t)) {
		mt_detach(t);
		return MT_EXIT_TRACE;
	}
	wake_tid = pid;
	if (t->opts->duration)
		alarm(t->opts->duration);
	if (!stop_requested)
		event_loop(t);
	alarm(0);
	wake_tid = 0;
	t->end_ns = mt_now_ns();
	if (t->tasks.count > 0)
		mt_detach(t);
	finish_phases(t);
	print_stats(t);
	return 0;
}
