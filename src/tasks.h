/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-thread state of the tracer: the allocator calls a thread is inside
 * (awaiting their return value), its accounting state, and what kind of
 * tracee it is (a thread of the program, or a child to release).
 */
#ifndef MT_TASKS_H
#define MT_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "acct.h"

/* An outermost allocator call whose return we wait for. */
struct mt_pending {
	uint64_t entry_sp;	/* sp at the allocator's entry: where the return address is */
	uint64_t ret;		/* the return address */
	uint64_t size;		/* bytes requested */
	uint64_t aux;		/* posix_memalign: the void ** to read */
	uint32_t site;
	uint8_t kind;
	bool realloc_old;	/* realloc: `old` was detached from the live table */
	bool realloc_unknown;	/* realloc of a pointer never seen allocated */
	bool hijacked;		/* return address replaced by our trampoline */
	struct mt_live_block old;
};

enum mt_task_role {
	MT_TASK_THREAD,		/* a thread of a traced process */
	MT_TASK_FORK_CHILD,	/* forked child: clean its copy of our int3s, release */
	MT_TASK_VM_CHILD,	/* vfork child sharing our memory: trace until exec/exit */
};

struct mt_task {
	pid_t tid;
	enum mt_task_role role;
	struct mt_proc *proc;
	struct mt_thread_acct acct;
	struct mt_pending *pend;
	size_t npend, cappend;
	uint64_t last_free_sp, last_free_ptr;	/* to recognise a tail-called free */
	int stashed_sig;	/* signal to deliver at the next resume */
	bool at_exec;		/* sitting in its exec event stop */
	bool before_exec;	/* still memtracer's own image, before the first exec */
	bool stopped_once;	/* has reported its first stop */
	bool needs_stop;	/* interrupted, its stop not yet collected (attach, detach) */
	bool group_stopped;	/* in group-stop (SIGSTOP): kept stopped */
};

struct mt_tasktab {
	struct mt_task **v;	/* open addressing on tid */
	size_t cap, count;
};

struct mt_tracer;

struct mt_task *mt_task_find(struct mt_tracer *t, pid_t tid);
/* Creates the record of a new tracee (or returns the existing one). */
struct mt_task *mt_task_add(struct mt_tracer *t, pid_t tid, enum mt_task_role role,
			    struct mt_proc *proc);
void mt_task_remove(struct mt_tracer *t, pid_t tid);
void mt_tasktab_destroy(struct mt_tasktab *tab);

struct mt_pending *mt_task_push(struct mt_task *task);
void mt_task_pop(struct mt_task *task, size_t index);

#endif
