/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "tasks.h"
#include "tracer.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static size_t tid_hash(pid_t tid, size_t cap)
{
	return (size_t)mt_hash64((uint64_t)tid) & (cap - 1);
}

static struct mt_task **lookup(const struct mt_tasktab *tab, pid_t tid)
{
	size_t i = tid_hash(tid, tab->cap);

	while (tab->v[i] && tab->v[i]->tid != tid)
		i = (i + 1) & (tab->cap - 1);
	return &tab->v[i];
}

struct mt_task *mt_task_find(struct mt_tracer *t, pid_t tid)
{
	return t->tasks.cap ? *lookup(&t->tasks, tid) : NULL;
}

static void grow(struct mt_tasktab *tab)
{
	struct mt_tasktab n = { .cap = tab->cap ? tab->cap * 2 : 64 };

	n.v = xcalloc(n.cap, sizeof(*n.v));
	for (size_t i = 0; i < tab->cap; i++)
		if (tab->v[i])
			*lookup(&n, tab->v[i]->tid) = tab->v[i];
	free(tab->v);
	tab->v = n.v;
	tab->cap = n.cap;
}

struct mt_task *mt_task_add(struct mt_tracer *t, pid_t tid, enum mt_task_role role,
			    struct mt_proc *proc)
{
	struct mt_task *task = mt_task_find(t, tid);

	if (task)
		return task;
	if ((t->tasks.count + 1) * 2 > t->tasks.cap)
		grow(&t->tasks);
	task = xcalloc(1, sizeof(*task));
	task->tid = tid;
	task->role = role;
	task->proc = proc;
	task->acct.tid = (uint32_t)tid;
	*lookup(&t->tasks, tid) = task;
	t->tasks.count++;
	return task;
}

void mt_task_remove(struct mt_tracer *t, pid_t tid)
{
	struct mt_tasktab *tab = &t->tasks;
	size_t mask = tab->cap - 1, hole, i;
	struct mt_task **slot;

	if (!tab->cap || !*(slot = lookup(tab, tid)))
		return;
	free((*slot)->pend);
	free(*slot);
	*slot = NULL;
	tab->count--;
	hole = (size_t)(slot - tab->v);
	for (i = (hole + 1) & mask; tab->v[i]; i = (i + 1) & mask) {
		size_t home = tid_hash(tab->v[i]->tid, tab->cap);

		if ((i > hole && (home <= hole || home > i)) ||
		    (i < hole && home <= hole && home > i)) {
			tab->v[hole] = tab->v[i];
			tab->v[i] = NULL;
			hole = i;
		}
	}
}

void mt_tasktab_destroy(struct mt_tasktab *tab)
{
	for (size_t i = 0; i < tab->cap; i++)
		if (tab->v[i]) {
			free(tab->v[i]->pend);
			free(tab->v[i]);
		}
	free(tab->v);
	memset(tab, 0, sizeof(*tab));
}

struct mt_pending *mt_task_push(struct mt_task *task)
{
	task->pend = xgrow(task->pend, &task->cappend, task->npend + 1, sizeof(*task->pend));
	memset(&task->pend[task->npend], 0, sizeof(*task->pend));
	return &task->pend[task->npend++];
}

void mt_task_pop(struct mt_task *task, size_t index)
{
	memmove(&task->pend[index], &task->pend[index + 1],
		(task->npend - index - 1) * sizeof(*task->pend));
	task->npend--;
}
