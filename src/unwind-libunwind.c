/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DWARF CFI unwinding with libunwind's remote interface.
 *
 * Stock _UPT accessors read the stack one PTRACE_PEEKDATA per word and, with
 * the default caching policy, re-parse the unwind tables at every frame
 * (≈1.5 ms per event on our machines).  Here memory comes from the stack
 * snapshot, registers from the stop's register set, and the address space
 * caches register states globally.  Unwind tables are still located by
 * _UPT_find_proc_info, which maps the ELF files locally; it calls our
 * access_mem with its own argument, so the event being unwound is kept in
 * a file-level pointer (the tracer is single-threaded).
 */
#include "config.h"
#include "unwind.h"
#include "mem.h"
#include "util.h"

#include <libunwind-ptrace.h>
#include <stdlib.h>
#include <string.h>

struct lu_ctx {
	unw_addr_space_t as;
	void *upt;		/* _UPT handle of the process, for find_proc_info */
	pid_t pid;
	const mt_regs_t *regs;
	struct mt_stack_snapshot *snap;
};

static struct lu_ctx *current;

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			  int need_unwind_info, void *arg)
{
	return _UPT_find_proc_info(as, ip, pi, need_unwind_info, current->upt);
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	_UPT_put_unwind_info(as, pi, current->upt);
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil_addr, void *arg)
{
	return -UNW_ENOINFO;
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val,
		      int write, void *arg)
{
	struct mt_stack_snapshot *snap = current->snap;

	if (write)
		return -UNW_EINVAL;	/* we never change the target's stack */
	if (mt_snapshot_cover(snap, addr, sizeof(*val))) {
		memcpy(val, snap->data + (addr - snap->sp), sizeof(*val));
		return 0;
	}
	/* Unwind tables and other non-stack data: rare, read directly. */
	return mt_mem_read_exact(current->pid, addr, val, sizeof(*val)) == 0 ? 0 : -UNW_EINVAL;
}

static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val,
		      int write, void *arg)
{
	const mt_regs_t *r = current->regs;

	if (write)
		return -UNW_EREADONLYREG;
	switch (reg) {
	case UNW_X86_64_RAX: *val = r->rax; break;
	case UNW_X86_64_RDX: *val = r->rdx; break;
	case UNW_X86_64_RCX: *val = r->rcx; break;
	case UNW_X86_64_RBX: *val = r->rbx; break;
	case UNW_X86_64_RSI: *val = r->rsi; break;
	case UNW_X86_64_RDI: *val = r->rdi; break;
	case UNW_X86_64_RBP: *val = r->rbp; break;
	case UNW_X86_64_RSP: *val = r->rsp; break;
	case UNW_X86_64_R8: *val = r->r8; break;
	case UNW_X86_64_R9: *val = r->r9; break;
	case UNW_X86_64_R10: *val = r->r10; break;
	case UNW_X86_64_R11: *val = r->r11; break;
	case UNW_X86_64_R12: *val = r->r12; break;
	case UNW_X86_64_R13: *val = r->r13; break;
	case UNW_X86_64_R14: *val = r->r14; break;
	case UNW_X86_64_R15: *val = r->r15; break;
	case UNW_X86_64_RIP: *val = r->rip; break;
	default: return -UNW_EBADREG;
	}
	return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val,
			int write, void *arg)
{
	return -UNW_EBADREG;
}

static int resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	return -UNW_EINVAL;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
			 unw_word_t *offp, void *arg)
{
	return -UNW_ENOINFO;	/* symbolization happens once, at the end */
}

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

static void *lu_create(void)
{
	struct lu_ctx *c = xcalloc(1, sizeof(*c));

	c->as = unw_create_addr_space(&accessors, 0);
	if (c->as) {
		/* The default policy caches nothing: 77x slower, measured. */
		unw_set_caching_policy(c->as, UNW_CACHE_GLOBAL);
		unw_set_cache_size(c->as, 4096, 0);
	}
	return c;
}

static void lu_destroy(void *ctx)
{
	struct lu_ctx *c = ctx;

	if (c->upt)
		_UPT_destroy(c->upt);
	if (c->as)
		unw_destroy_addr_space(c->as);
	free(c);
}

static void lu_maps_changed(void *ctx, pid_t pid)
{
	struct lu_ctx *c = ctx;

	/* _UPT keeps the ELF image of the last module it looked in: renew it. */
	if (c->upt)
		_UPT_destroy(c->upt);
	c->upt = _UPT_create(pid);
	c->pid = pid;
	if (c->as)
		unw_flush_cache(c->as, 0, 0);
}

static unsigned lu_unwind(void *ctx, const mt_regs_t *regs, struct mt_stack_snapshot *snap,
			  uint64_t *pcs, unsigned max, bool *truncated)
{
	struct lu_ctx *c = ctx;
	unw_cursor_t cursor;
	unsigned depth = 0;

	*truncated = false;
	if (!c->as || !c->upt)
		return 0;
	c->regs = regs;
	c->snap = snap;
	current = c;
	if (unw_init_remote(&cursor, c->as, c) < 0)
		return 0;
	/* The first frame is the caller at ret - 1 (see unwind.h): report ret. */
	bool first = true;
	do {
		unw_word_t ip;

		if (unw_get_reg(&cursor, UNW_REG_IP, &ip) < 0 || ip == 0)
			break;
		if (depth == max) {
			*truncated = true;
			break;
		}
		if (first) {
			ip += 1;
		} else if (unw_is_signal_frame(&cursor) > 0) {
			/* libunwind flags the interrupted frame: it and the signal
			 * trampoline before it have exact PCs. */
			ip |= MT_PC_EXACT;
			pcs[depth - 1] |= MT_PC_EXACT;
		}
		pcs[depth++] = ip;
		first = false;
	} while (unw_step(&cursor) > 0);
	return depth;
}

const struct mt_unwinder mt_unwinder_libunwind = {
	.name = "libunwind",
	.snapshot_size = 4096,
	.create = lu_create,
	.destroy = lu_destroy,
	.maps_changed = lu_maps_changed,
	.unwind = lu_unwind,
};
