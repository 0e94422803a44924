/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64: registers, the breakpoint instruction, the calling convention,
 * and relocation of a displaced instruction for out-of-line execution.
 *
 * Generic code uses only these names; another architecture provides the
 * same file under src/arch/<arch>/.
 */
#ifndef MT_ARCH_H
#define MT_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

typedef struct user_regs_struct mt_regs_t;

#define MT_BREAKPOINT_BYTE 0xcc
#define MT_BREAKPOINT_LEN 1
#define MT_MAX_INSN_LEN 15
#define MT_RED_ZONE 128

static inline uint64_t mt_regs_ip(const mt_regs_t *r) { return r->rip; }
static inline uint64_t mt_regs_sp(const mt_regs_t *r) { return r->rsp; }
static inline uint64_t mt_regs_ret(const mt_regs_t *r) { return r->rax; }
static inline void mt_regs_set_ip(mt_regs_t *r, uint64_t ip) { r->rip = ip; }

/* Integer argument N (0-based) of a function stopped at its first instruction. */
static inline uint64_t mt_regs_arg(const mt_regs_t *r, unsigned n)
{
	switch (n) {
	case 0: return r->rdi;
	case 1: return r->rsi;
	case 2: return r->rdx;
	case 3: return r->rcx;
	case 4: return r->r8;
	case 5: return r->r9;
	}
	return 0;
}

/* At a function's first instruction the return address is at [sp]; after
 * the callee returns, sp is this much higher than at entry. */
#define MT_ENTRY_RET_SP_DELTA 8

/* The caller's registers as the callee (stopped at its first instruction)
 * will return to them, with ip inside the call instruction (ret - 1). */
static inline void mt_arch_return_to_caller(mt_regs_t *r, uint64_t ret)
{
	r->rip = ret - 1;
	r->rsp += MT_ENTRY_RET_SP_DELTA;
}

/*
 * How a displaced instruction is resumed.
 *  MT_RESUME_NEXT: the breakpoint byte replaced the first byte of an
 *    instruction that still does nothing else when executed from addr + 1
 *    (endbr64: the remaining "0f 1e fa" is a hint NOP); resume in place,
 *    no register write at all.
 *  MT_RESUME_JUMP: the instruction is a relative jump; the tracer sets the
 *    instruction pointer to its target.
 *  MT_RESUME_XOL: execute the relocated copy in the out-of-line slot, which
 *    ends by jumping back after the original instruction.
 */
enum mt_resume { MT_RESUME_NEXT, MT_RESUME_JUMP, MT_RESUME_XOL };

#define MT_XOL_SLOT_SIZE 32

struct mt_reloc {
	enum mt_resume how;
	uint64_t target;		/* MT_RESUME_JUMP: where to go */
	uint8_t code[MT_XOL_SLOT_SIZE];	/* MT_RESUME_XOL: the slot's bytes */
	size_t code_len;
	unsigned insn_len;
	bool rip_relative;		/* copy only valid within +-2 GiB of addr */
};

/*
 * Plans how to resume after a breakpoint at addr, whose original
 * instruction bytes are insn[0..len-1] (len >= MT_MAX_INSN_LEN when the
 * mapping allows), to be executed from the slot at slot_addr.
 * Returns 0, -EINVAL for bytes that do not decode, -ENOTSUP for an
 * instruction that cannot be moved (loop/jrcxz, an indirect call), or
 * -ERANGE when slot_addr is too far for a RIP-relative operand.
 */
int mt_arch_relocate(uint64_t addr, const uint8_t *insn, size_t len,
		     uint64_t slot_addr, struct mt_reloc *out);

/* Machine code for "mov $nr, %eax; syscall; int3", the injected syscall. */
#define MT_SYSCALL_STUB_LEN 8
void mt_arch_syscall_stub(uint8_t out[MT_SYSCALL_STUB_LEN], unsigned nr);
/* Sets up regs for syscall arguments a[0..5] with the stub at ip. */
void mt_arch_syscall_regs(mt_regs_t *regs, uint64_t ip, const uint64_t a[6]);
static inline int64_t mt_arch_syscall_result(const mt_regs_t *r) { return (int64_t)r->rax; }

#endif
