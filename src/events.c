/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocator events: what a thread stopped at an allocator's entry or at a
 * return site means for the accounting.
 *
 * Only the outermost allocator call of a thread counts, under its own kind
 * (operator new calling malloc is one "new"), as valgrind counts.  An inner
 * call is recognised from the event itself: its return address lies inside
 * a hooked allocator, or it was tail-called by one (same stack pointer as
 * the pending outer call, or, for frees, as the thread's last free of the
 * same pointer, which is no longer live).
 */
#include "config.h"
#include "kinds.h"
#include "probes.h"
#include "retsite.h"
#include "tracer.h"
#include "util.h"

#include <string.h>

/* Reads the stack snapshot the unwinder wants; returns the return address. */
static uint64_t read_snapshot(struct mt_tracer *t, pid_t tid, const mt_regs_t *regs)
{
	struct mt_stack_snapshot *s = &t->snap;
	uint64_t ret = 0;
	ssize_t n;

	s->pid = tid;
	s->sp = mt_regs_sp(regs);
	n = mt_mem_read(tid, s->sp, s->data, s->cap);
	s->len = n > 0 ? (size_t)n : 0;
	if (s->len >= sizeof(ret))
		memcpy(&ret, s->data, sizeof(ret));
	return ret;
}

/* Unwinds from the allocator's caller (see unwind.h) and interns the stack. */
static uint32_t intern_site(struct mt_tracer *t, struct mt_acct *acct, const mt_regs_t *regs,
			    uint64_t ret, unsigned kind)
{
	mt_regs_t caller = *regs;
	uint64_t start = mt_now_ns();
	bool truncated = false;
	unsigned depth = 0;

	if (ret) {
		mt_arch_return_to_caller(&caller, ret);
		depth = t->unwinder->unwind(t->unwind_ctx, &caller, &t->snap, t->pcs,
					    t->opts->depth, &truncated);
	}
	t->stats.unwind_ns += mt_now_ns() - start;
	t->stats.unwinds++;
	t->stats.unwind_frames += depth;
	return mt_aggtab_intern(acct->sites, kind, t->pcs, depth,
				truncated ? MT_SITE_F_TRUNCATED : 0);
}

static uint64_t mul_saturated(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* The argument playing a role in a call of this kind, 0 if none does. */
static uint64_t arg_of(const mt_regs_t *regs, unsigned kind, enum mt_role role)
{
	int i = mt_kind_arg(kind, role);

	return i < 0 ? 0 : mt_regs_arg(regs, (unsigned)i);
}

/* Reads what an allocation call asks for into p. */
static void read_request(const mt_regs_t *regs, unsigned kind, struct mt_pending *p)
{
	switch (mt_kind_class(kind)) {
	case MT_CLASS_CALLOC:
		p->size = mul_saturated(arg_of(regs, kind, MT_ROLE_NMEMB),
					arg_of(regs, kind, MT_ROLE_SIZE));
		break;
	case MT_CLASS_REALLOCARRAY:
		p->aux = arg_of(regs, kind, MT_ROLE_PTR);
		p->size = mul_saturated(arg_of(regs, kind, MT_ROLE_NMEMB),
					arg_of(regs, kind, MT_ROLE_SIZE));
		break;
	case MT_CLASS_REALLOC:
	case MT_CLASS_POSIX_MEMALIGN:
		p->aux = arg_of(regs, kind, MT_ROLE_PTR);
		p->size = arg_of(regs, kind, MT_ROLE_SIZE);
		break;
	case MT_CLASS_FREE:
		break;
	default:	/* ALLOC, PAGEALLOC, MEMALIGN */
		p->size = arg_of(regs, kind, MT_ROLE_SIZE);
		break;
	}
}

static void on_free(struct mt_tracer *t, struct mt_task *task, const mt_regs_t *regs,
		    unsigned kind)
{
	uint64_t ptr = arg_of(regs, kind, MT_ROLE_PTR), sp = mt_regs_sp(regs);
	struct mt_live_block blk;

	if (!ptr)
		return;
	/* operator delete tail-calling free: one free, already counted. */
	if (task->last_free_sp == sp && task->last_free_ptr == ptr &&
	    !mt_live_lookup(task->proc->acct.live, ptr)) {
		task->proc->acct.totals.events--;
		task->proc->acct.totals.nested_calls++;
		return;
	}
	if (mt_acct_free_block(&task->proc->acct, &task->acct, ptr, &blk) && blk.phase)
		mt_phases_free(&task->proc->phases, blk.phase, blk.size);
	task->last_free_sp = sp;
	task->last_free_ptr = ptr;
}

static void abandon(struct mt_acct *acct, const struct mt_pending *p);

static bool is_realloc(unsigned kind)
{
	enum mt_kind_class c = mt_kind_class(kind);

	return c == MT_CLASS_REALLOC || c == MT_CLASS_REALLOCARRAY;
}

void mt_probe_entry(struct mt_tracer *t, struct mt_task *task,
		    const mt_regs_t *regs, const struct mt_bp *bp)
{
	unsigned kind = bp->kind;
	uint64_t sp = mt_regs_sp(regs), ret;
	struct mt_pending *p;

	t->stats.entry_stops++;
	ret = read_snapshot(t, task->tid, regs);
	mt_probe_prune(t, task, sp);
	if (task->acct.phase)
		mt_probe_phase_prune(task, sp);
	/*
	 * After pruning, a pending call is one this thread is still inside
	 * (or that tail-called us, same sp): whatever it calls, however deep
	 * (operator new throwing, __cxa_allocate_exception's malloc), belongs
	 * to it.  Only the outermost call counts.
	 */
	if (mt_probes_inside_allocator(task->proc, ret) || task->npend) {
		task->proc->acct.totals.nested_calls++;
		return;
	}
	task->proc->acct.totals.events++;
	if (mt_kind_is_free(kind)) {
		on_free(t, task, regs, kind);
		return;
	}
	p = mt_task_push(task);
	p->entry_sp = sp;
	p->ret = ret;
	p->kind = (uint8_t)kind;
	read_request(regs, kind, p);
	p->site = p->size >= task->proc->acct.min_size ? intern_site(t, &task->proc->acct, regs, ret, kind) : MT_SITE_NONE;
	if (is_realloc(kind) && p->aux) {
		p->realloc_old = mt_acct_detach(&task->proc->acct, p->aux, &p->old);
		p->realloc_unknown = !p->realloc_old;
	}
	if (mt_retsite_arm(t, task, p) < 0) {
		/* Cannot see this call return: count what is known now. */
		debug_msg("no return capture at %#lx", (unsigned long)ret);
		abandon(&task->proc->acct, p);
		task->npend--;
	}
}

/* The old block of a realloc goes: freed, or an unknown free. */
static void settle_realloc_old(struct mt_tracer *t, struct mt_task *task,
			       const struct mt_pending *p)
{
	if (p->realloc_old) {
		mt_acct_free_detached(&task->proc->acct, &task->acct, &p->old);
		if (p->old.phase)
			mt_phases_free(&task->proc->phases, p->old.phase, p->old.size);
	}
	else if (p->realloc_unknown)
		mt_acct_free(&task->proc->acct, &task->acct, p->aux);	/* counts the unknown free */
}

static void complete(struct mt_tracer *t, struct mt_task *task,
		     const struct mt_pending *p, uint64_t result)
{
	struct mt_acct *acct = &task->proc->acct;
	uint64_t ptr = result;

	switch (mt_kind_class(p->kind)) {
	case MT_CLASS_POSIX_MEMALIGN:
		/* Returns 0 or an error number; the block is stored at *aux. */
		ptr = 0;
		if ((int)result == 0 &&
		    mt_mem_read_exact(task->tid, p->aux, &ptr, sizeof(ptr)) < 0)
			ptr = 0;
		break;
	case MT_CLASS_REALLOC:
	case MT_CLASS_REALLOCARRAY:
		if (!p->aux)
			break;		/* realloc(NULL, n) is malloc(n) */
		if (!ptr && p->size == 0) {
			settle_realloc_old(t, task, p);	/* glibc: realloc(p, 0) frees p */
			return;
		}
		if (!ptr) {
			if (p->realloc_old)
				mt_acct_reattach(acct, &p->old);
			mt_acct_failed(acct, p->site);
			return;
		}
		settle_realloc_old(t, task, p);
		break;
	default:
		break;
	}
	if (ptr) {
		mt_acct_alloc(acct, &task->acct, p->site, ptr, p->size);
		if (task->acct.phase)
			mt_phases_alloc(&task->proc->phases, task->acct.phase, p->size);
	} else
		mt_acct_failed(acct, p->site);
}

/* A pending call that will never return normally: longjmp or an exception
 * (operator new throwing bad_alloc) unwound its frame. */
static void abandon(struct mt_acct *acct, const struct mt_pending *p)
{
	if (p->realloc_old)
		mt_acct_reattach(acct, &p->old);
	mt_acct_failed(acct, p->site);
}

void mt_probe_prune(struct mt_tracer *t, struct mt_task *task, uint64_t sp)
{
	while (task->npend && task->pend[task->npend - 1].entry_sp < sp) {
		abandon(&task->proc->acct, &task->pend[task->npend - 1]);
		task->npend--;
	}
}

bool mt_probe_return(struct mt_tracer *t, struct mt_task *task, const mt_regs_t *regs,
		     uint64_t addr, bool via_trampoline, uint64_t *resume_ip)
{
	uint64_t entry_sp = mt_regs_sp(regs) - MT_ENTRY_RET_SP_DELTA;
	size_t i = task->npend;

	while (i-- > 0) {
		const struct mt_pending *p = &task->pend[i];

		if (p->entry_sp != entry_sp)
			continue;
		if (via_trampoline ? !p->hijacked : (p->hijacked || p->ret != addr))
			continue;
		t->stats.return_stops++;
		/* Pendings pushed after this one with deeper frames are gone. */
		while (task->npend - 1 > i && task->pend[task->npend - 1].entry_sp < entry_sp) {
			abandon(&task->proc->acct, &task->pend[task->npend - 1]);
			task->npend--;
		}
		if (resume_ip)
			*resume_ip = p->ret;
		complete(t, task, p, mt_regs_ret(regs));
		mt_task_pop(task, i);
		return true;
	}
	return false;
}
