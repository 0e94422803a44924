/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * floor: the physical floor of the int3 engine.  Plants an int3 on malloc
 * and free (out-of-line execution, as memtracer does), and on each hit only
 * counts and resumes: GETREGS, SETREGS, CONT.  Nothing is read, unwound or
 * recorded.  memtracer's per-event cost is judged against this.
 *
 *   floor PROGRAM [ARGS...]    prints "floor: N hits, T s" on stderr
 */
#include "config.h"
#include "arch.h"
#include "breakpoint.h"
#include "launch.h"
#include "maps.h"
#include "proc.h"
#include "tracer.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

struct found {
	struct mt_module *mod;
	uint64_t malloc_addr, free_addr, debug_state, r_debug;
};

static void on_sym(const char *name, uint64_t value, uint64_t size, bool is_func, void *arg)
{
	struct found *f = arg;

	if (is_func && strcmp(name, "malloc") == 0)
		f->malloc_addr = f->mod->bias + value;
	else if (is_func && strcmp(name, "free") == 0)
		f->free_addr = f->mod->bias + value;
	else if (is_func && strcmp(name, "_dl_debug_state") == 0)
		f->debug_state = f->mod->bias + value;
	else if (!is_func && strcmp(name, "_r_debug") == 0)
		f->r_debug = f->mod->bias + value;
}

/* Plants on malloc and free of every module that has them, once. */
static void plant(struct mt_proc *proc, pid_t tid, bool *done)
{
	struct mt_module *mods;
	size_t n;

	if (*done || mt_maps_read(proc->pid, &mods, &n, NULL, NULL) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct found f = { .mod = &mods[i] };

		mt_elf_symbols(mods[i].path, on_sym, &f);
		if (f.debug_state && f.r_debug && !proc->r_debug &&
		    mt_bp_plant(proc, tid, f.debug_state, MT_BP_RENDEZVOUS, 0, NULL) == 0)
			proc->r_debug = f.r_debug;
		if (f.malloc_addr && f.free_addr &&
		    mt_bp_plant(proc, tid, f.malloc_addr, MT_BP_ENTRY, 0, NULL) == 0 &&
		    mt_bp_plant(proc, tid, f.free_addr, MT_BP_ENTRY, 0, NULL) == 0)
			*done = true;
	}
	mt_maps_free(mods, n);
}

int main(int argc, char **argv)
{
	static struct mt_options opts;
	struct mt_tracer t;
	struct mt_proc proc = { .mem = { .fd = -1 } };
	unsigned long long hits = 0;
	bool planted = false;
	uint64_t t0 = 0;
	int status, code = 0;
	pid_t pid, w;

	if (argc < 2) {
		fprintf(stderr, "usage: floor PROGRAM [ARGS...]\n");
		return 2;
	}
	elf_version(EV_CURRENT);
	opts.argv = argv + 1;
	opts.depth = 1;
	opts.max_sites = 2;
	mt_tracer_init(&t, &opts);	/* only for the task table xol needs */
	proc.tracer = &t;
	pid = mt_launch(argv[1], argv + 1);
	if (pid < 0) {
		fprintf(stderr, "floor: cannot start %s: %s\n", argv[1], strerror(-pid));
		return 125;
	}
	proc.pid = pid;
	for (;;) {
		w = waitpid(-1, &status, __WALL);
		if (w < 0)
			break;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (w == pid)
				code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			continue;
		}
		int sig = WSTOPSIG(status), event = status >> 16;
		if (event == PTRACE_EVENT_EXEC) {
			mt_mem_open(&proc.mem, pid);
			struct mt_task *task = mt_task_add(&t, pid, MT_TASK_THREAD, &proc);
			task->at_exec = true;
			plant(&proc, pid, &planted);
			task->at_exec = false;
			t0 = mt_now_ns();
			sig = 0;
		} else if (event) {
			sig = 0;
		} else if (sig == SIGTRAP) {
			mt_regs_t regs;
			struct mt_bp *bp;

			ptrace(PTRACE_GETREGS, w, 0, &regs);
			bp = mt_bptab_find(&proc.bps, mt_regs_ip(&regs) - 1);
			if (bp) {
				if (bp->roles & MT_BP_RENDEZVOUS)
					plant(&proc, w, &planted);
				else
					hits++;
				mt_regs_set_ip(&regs, bp->how == MT_RESUME_JUMP ? bp->target : bp->slot);
				if (bp->how != MT_RESUME_NEXT)
					ptrace(PTRACE_SETREGS, w, 0, &regs);
				sig = 0;
			}
		} else if (sig == SIGSTOP && !t0) {
			sig = 0;
		}
		ptrace(PTRACE_CONT, w, 0, sig);
	}
	fprintf(stderr, "floor: %llu hits, %.3f s\n", hits, (double)(mt_now_ns() - t0) / 1e9);
	return code;
}
