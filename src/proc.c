/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Process records: made when a program starts, is attached to, or (with
 * --follow-forks) is forked or exec'd by a traced process; kept after the
 * process ends, since the report is written when the whole run is over.
 */
#include "config.h"
#include "proc.h"
#include "maps.h"
#include "tracer.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *mt_proc_cmdline(pid_t pid)
{
	char path[64], buf[4096];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	f = fopen(path, "re");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	if (n == 0)
		return xasprintf("[pid %d]", (int)pid);
	buf[n] = '\0';
	for (size_t i = 0; i + 1 < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	return xstrdup(buf);
}

struct mt_proc *mt_proc_new(struct mt_tracer *t, pid_t pid, pid_t ppid, char *command)
{
	struct mt_proc *proc = xcalloc(1, sizeof(*proc));

	proc->pid = pid;
	proc->ppid = ppid;
	proc->mem.fd = -1;
	proc->tracer = t;
	proc->command = command;
	proc->start_ns = mt_now_ns();
	mt_acct_init(&proc->acct, t->opts->max_sites, t->opts->min_size);
	t->procs = xgrow(t->procs, &t->capprocs, t->nprocs + 1, sizeof(*t->procs));
	t->procs[t->nprocs++] = proc;
	return proc;
}

static void copy_modules(struct mt_module **dst, size_t *n, size_t *cap,
			 const struct mt_module *src, size_t nsrc)
{
	*dst = nsrc ? xcalloc(nsrc, sizeof(**dst)) : NULL;
	*n = *cap = nsrc;
	for (size_t i = 0; i < nsrc; i++) {
		(*dst)[i] = src[i];
		(*dst)[i].path = xstrdup(src[i].path);
		(*dst)[i].build_id = src[i].build_id ? xstrdup(src[i].build_id) : NULL;
	}
}

/*
 * Between the fork and our handling of its event, another thread of the
 * parent may have planted a breakpoint the child's copy of memory lacks:
 * plant it there too, so that the child's table tells the truth.
 */
static void sync_breakpoints(struct mt_proc *child)
{
	static const uint8_t int3 = 0xcc;

	for (size_t i = 0; i < child->bps.cap; i++) {
		const struct mt_bp *bp = &child->bps.v[i];
		uint8_t byte;

		if (!bp->addr || mt_mem_peek(&child->mem, bp->addr, &byte, 1) < 0 || byte == int3)
			continue;
		if (mt_mem_write(&child->mem, bp->addr, &int3, 1) < 0)
			debug_msg("child %d: cannot plant at 0x%lx", (int)child->pid,
				  (unsigned long)bp->addr);
	}
}

struct mt_proc *mt_proc_fork(struct mt_tracer *t, const struct mt_proc *parent, pid_t pid)
{
	struct mt_proc *child = mt_proc_new(t, pid, parent->pid, xstrdup(parent->command));
	int err;

	child->bps.cap = parent->bps.cap;
	child->bps.count = parent->bps.count;
	child->bps.v = parent->bps.cap ? xmalloc(parent->bps.cap * sizeof(*parent->bps.v)) : NULL;
	if (parent->bps.cap)
		memcpy(child->bps.v, parent->bps.v, parent->bps.cap * sizeof(*parent->bps.v));
	child->xol = parent->xol;
	child->xol.v = parent->xol.n ? xmalloc(parent->xol.n * sizeof(*parent->xol.v)) : NULL;
	child->xol.cap = parent->xol.n;
	if (parent->xol.n)
		memcpy(child->xol.v, parent->xol.v, parent->xol.n * sizeof(*parent->xol.v));
	child->hooked = parent->nhooked ? xmalloc(parent->nhooked * sizeof(*parent->hooked)) : NULL;
	child->nhooked = child->caphooked = parent->nhooked;
	if (parent->nhooked)
		memcpy(child->hooked, parent->hooked, parent->nhooked * sizeof(*parent->hooked));
	copy_modules(&child->scanned, &child->nscanned, &child->capscanned,
		     parent->scanned, parent->nscanned);
	for (size_t i = 0; i < parent->modules.n; i++)
		mt_modules_add(&child->modules, &parent->modules.v[i]);
	/* Phase breakpoints carry indexes into this: the same names, in order. */
	for (size_t i = 0; i < parent->phases.nstats; i++)
		mt_phases_stat(&child->phases, parent->phases.stats[i].name);
	child->r_debug = parent->r_debug;
	child->trampoline = parent->trampoline;
	child->allocators = parent->allocators;
	err = mt_mem_open(&child->mem, pid);
	if (err)
		error_msg("cannot open the memory of child %d: %s", (int)pid, strerror(-err));
	else
		sync_breakpoints(child);
	return child;
}

void mt_proc_reset_image(struct mt_proc *proc)
{
	mt_mem_close(&proc->mem);
	mt_bptab_clear(&proc->bps);
	mt_xol_clear(&proc->xol);
	free(proc->hooked);
	proc->hooked = NULL;
	proc->nhooked = proc->caphooked = 0;
	mt_maps_free(proc->scanned, proc->nscanned);
	proc->scanned = NULL;
	proc->nscanned = proc->capscanned = 0;
	proc->r_debug = proc->trampoline = 0;
	proc->allocators = 0;
}

void mt_proc_reset_profile(struct mt_proc *proc, char *command)
{
	const struct mt_options *o = proc->tracer->opts;

	mt_acct_destroy(&proc->acct);
	mt_acct_init(&proc->acct, o->max_sites, o->min_size);
	mt_modules_destroy(&proc->modules);
	mt_phases_destroy(&proc->phases);
	free(proc->command);
	proc->command = command;
	proc->start_ns = mt_now_ns();
}

struct mt_proc *mt_proc_find(struct mt_tracer *t, pid_t pid)
{
	/* Newest first: a pid may be reused after its process ended. */
	for (size_t i = t->nprocs; i-- > 0;)
		if (t->procs[i]->pid == pid && !t->procs[i]->done)
			return t->procs[i];
	return NULL;
}

void mt_proc_free(struct mt_proc *proc)
{
	mt_proc_reset_image(proc);
	mt_acct_destroy(&proc->acct);
	mt_modules_destroy(&proc->modules);
	mt_phases_destroy(&proc->phases);
	free(proc->command);
	free(proc);
}
