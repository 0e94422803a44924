/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DWARF CFI unwinding with libdwfl (elfutils).
 *
 * libdwfl finds each module's CFI (.eh_frame, .debug_frame, separate debug
 * files) and caches it per module; we give it the registers of the stop and
 * serve its memory reads from the stack snapshot, so an unwind costs no
 * ptrace request at all (the snapshot grows by one process_vm_readv when a
 * deep stack needs more).  Modules are reported from /proc/PID/maps when the
 * mappings change.
 */
#include "config.h"
#include "unwind.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

struct libdw_ctx {
	Dwfl *dwfl;
	pid_t pid;
	/* The event being unwound. */
	const mt_regs_t *regs;
	struct mt_stack_snapshot *snap;
	uint64_t *pcs;
	unsigned max, depth;
	bool truncated;
	bool first;		/* the next frame is the caller, at ret - 1 */
};

static char *debuginfo_path;

static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	return 0;	/* we only ever unwind the thread we name */
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	*thread_argp = arg;
	return true;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct libdw_ctx *c = arg;

	if (!mt_snapshot_cover(c->snap, addr, sizeof(*result)))
		return false;	/* beyond the stack: the unwind ends here */
	memcpy(result, c->snap->data + (addr - c->snap->sp), sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	const struct libdw_ctx *c = arg;
	const mt_regs_t *r = c->regs;
	/* DWARF numbering of x86_64: rax rdx rcx rbx rsi rdi rbp rsp r8-r15 rip. */
	Dwarf_Word dw[17] = {
		r->rax, r->rdx, r->rcx, r->rbx, r->rsi, r->rdi, r->rbp, r->rsp,
		r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15,
		r->rip,
	};

	return dwfl_thread_state_registers(thread, 0, 17, dw);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

static void *libdw_create(void)
{
	return xcalloc(1, sizeof(struct libdw_ctx));
}

static void libdw_destroy(void *ctx)
{
	struct libdw_ctx *c = ctx;

	if (c->dwfl)
		dwfl_end(c->dwfl);
	free(c);
}

static void libdw_maps_changed(void *ctx, pid_t pid)
{
	struct libdw_ctx *c = ctx;

	if (c->dwfl && c->pid != pid) {
		dwfl_end(c->dwfl);	/* a new image: start over */
		c->dwfl = NULL;
	}
	if (!c->dwfl) {
		c->dwfl = dwfl_begin(&proc_callbacks);
		if (!c->dwfl)
			return;
		c->pid = pid;
	}
	dwfl_report_begin(c->dwfl);
	if (dwfl_linux_proc_report(c->dwfl, pid) != 0)
		debug_msg("libdw: cannot report modules of %d: %s", (int)pid, dwfl_errmsg(-1));
	dwfl_report_end(c->dwfl, NULL, NULL);
	if (dwfl_pid(c->dwfl) < 0 &&
	    !dwfl_attach_state(c->dwfl, NULL, pid, &thread_callbacks, c))
		debug_msg("libdw: cannot attach state: %s", dwfl_errmsg(-1));
}

static int on_frame(Dwfl_Frame *frame, void *arg)
{
	struct libdw_ctx *c = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(frame, &pc, &activation))
		return DWARF_CB_ABORT;
	if (pc == 0)
		return DWARF_CB_ABORT;
	if (c->first) {
		/* The caller: libdwfl took ret - 1 as an exact PC; report ret. */
		c->first = false;
		pc += 1;
	} else if (activation) {
		/* Past a signal frame the PC is where the code was interrupted. */
		pc |= MT_PC_EXACT;
	}
	if (c->depth == c->max) {
		c->truncated = true;
		return DWARF_CB_ABORT;
	}
	c->pcs[c->depth++] = pc;
	return DWARF_CB_OK;
}

static unsigned libdw_unwind(void *ctx, const mt_regs_t *regs,
			     struct mt_stack_snapshot *snap,
			     uint64_t *pcs, unsigned max, bool *truncated)
{
	struct libdw_ctx *c = ctx;

	*truncated = false;
	if (!c->dwfl)
		return 0;
	c->regs = regs;
	c->snap = snap;
	c->pcs = pcs;
	c->max = max;
	c->depth = 0;
	c->truncated = false;
	c->first = true;
	dwfl_getthread_frames(c->dwfl, snap->pid, on_frame, c);
	*truncated = c->truncated;
	return c->depth;
}

const struct mt_unwinder mt_unwinder_libdw = {
	.name = "libdw",
	.snapshot_size = 4096,
	.create = libdw_create,
	.destroy = libdw_destroy,
	.maps_changed = libdw_maps_changed,
	.unwind = libdw_unwind,
};
