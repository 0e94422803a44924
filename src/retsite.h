/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Return capture.  The pointer an allocator returns is read when the call
 * returns, at the caller's next instruction (the return site).  A
 * breakpoint there is planted the first time a call site is seen and then
 * kept, so later calls cost no write to the target, leave its stack
 * untouched (its own unwinder and C++ exceptions see the real return
 * addresses) and nothing needs restoring on the stack at detach.  Only where
 * the instruction at the return site cannot be executed out of line is the
 * return address on the stack replaced by our trampoline, uprobes-style.
 */
#ifndef MT_RETSITE_H
#define MT_RETSITE_H

struct mt_tracer;
struct mt_task;
struct mt_pending;

/* Arms return capture for p, the thread's newest pending call.  0 or -errno. */
int mt_retsite_arm(struct mt_tracer *t, struct mt_task *task, struct mt_pending *p);

#endif
