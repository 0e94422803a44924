/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Relocation of a displaced x86_64 instruction into an out-of-line slot.
 *
 * The decisions are the ones Linux uprobes makes (arch/x86/kernel/uprobes.c),
 * taken once when a breakpoint is planted: an instruction that does not
 * depend on where it runs is copied and followed by a jump back; a
 * RIP-relative operand gets its displacement re-aimed (the slot is kept
 * within +-2 GiB); relative jumps are done by the tracer; a relative call
 * is rewritten so that the return address pushed is the original one, which
 * keeps the target's own unwinding and exceptions correct.
 */
#include "config.h"
#include "arch.h"
#include "util.h"

#include <capstone/capstone.h>
#include <errno.h>
#include <string.h>

static csh cs_handle;
static bool cs_ready;

static int cs_init(void)
{
	if (cs_ready)
		return 0;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs_handle) != CS_ERR_OK)
		return -EINVAL;
	cs_option(cs_handle, CS_OPT_DETAIL, CS_OPT_ON);
	cs_ready = true;
	return 0;
}

static bool fits_rel32(int64_t delta)
{
	return delta >= INT32_MIN && delta <= INT32_MAX;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Appends a jump from code_addr + len to target: rel32 when it reaches,
 * else "jmp *0(%rip)" followed by the absolute address. */
static void emit_jump(struct mt_reloc *r, uint64_t slot_addr, uint64_t target)
{
	uint8_t *p = r->code + r->code_len;
	int64_t delta = (int64_t)(target - (slot_addr + r->code_len + 5));

	if (fits_rel32(delta)) {
		p[0] = 0xe9;
		put32(p + 1, (uint32_t)delta);
		r->code_len += 5;
	} else {
		p[0] = 0xff;
		p[1] = 0x25;
		put32(p + 2, 0);
		memcpy(p + 6, &target, 8);
		r->code_len += 14;
	}
}

/* Copies the instruction, re-aiming a RIP-relative displacement. */
static int copy_insn(const cs_insn *insn, const uint8_t *bytes,
		     uint64_t addr, uint64_t slot_addr, struct mt_reloc *r)
{
	const cs_x86 *x = &insn->detail->x86;
	bool riprel = false;

	for (unsigned i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM &&
		    x->operands[i].mem.base == X86_REG_RIP)
			riprel = true;
	memcpy(r->code, bytes, insn->size);
	r->code_len = insn->size;
	if (!riprel)
		return 0;
	if (x->encoding.disp_offset == 0 || x->encoding.disp_size != 4)
		return -ENOTSUP;
	/* target = addr + size + disp must equal slot + size + disp'. */
	int64_t disp = (int64_t)x->disp + (int64_t)(addr - slot_addr);
	if (!fits_rel32(disp))
		return -ERANGE;
	put32(r->code + x->encoding.disp_offset, (uint32_t)(int32_t)disp);
	r->rip_relative = true;
	return 0;
}

/* A conditional jump becomes "jcc rel32 target; jmp back". */
static int relocate_jcc(const cs_insn *insn, const uint8_t *bytes,
			uint64_t addr, uint64_t slot_addr, struct mt_reloc *r)
{
	uint64_t target = (uint64_t)insn->detail->x86.operands[0].imm;
	uint8_t cc;

	if (bytes[0] >= 0x70 && bytes[0] <= 0x7f)
		cc = bytes[0] & 0x0f;
	else if (bytes[0] == 0x0f && bytes[1] >= 0x80 && bytes[1] <= 0x8f)
		cc = bytes[1] & 0x0f;
	else
		return -ENOTSUP;	/* jrcxz, loop: rel8 only, rare */
	int64_t delta = (int64_t)(target - (slot_addr + 6));
	if (!fits_rel32(delta))
		return -ERANGE;
	r->code[0] = 0x0f;
	r->code[1] = (uint8_t)(0x80 | cc);
	put32(r->code + 2, (uint32_t)delta);
	r->code_len = 6;
	emit_jump(r, slot_addr, addr + insn->size);
	return 0;
}

/*
 * "call rel32" pushes the original return address with flag-preserving
 * instructions and jumps: lea -8(%rsp),%rsp; movl lo,(%rsp);
 * movl hi,4(%rsp); jmp target.
 */
static void relocate_call(const cs_insn *insn, uint64_t addr,
			  uint64_t slot_addr, struct mt_reloc *r)
{
	static const uint8_t lea[] = { 0x48, 0x8d, 0x64, 0x24, 0xf8 };
	uint64_t ret = addr + insn->size;
	uint8_t *p = r->code;

	memcpy(p, lea, sizeof(lea));
	p += sizeof(lea);
	p[0] = 0xc7; p[1] = 0x04; p[2] = 0x24;
	put32(p + 3, (uint32_t)ret);
	p += 7;
	p[0] = 0xc7; p[1] = 0x44; p[2] = 0x24; p[3] = 0x04;
	put32(p + 4, (uint32_t)(ret >> 32));
	p += 8;
	r->code_len = (size_t)(p - r->code);
	emit_jump(r, slot_addr, (uint64_t)insn->detail->x86.operands[0].imm);
}

static bool is_group(const cs_insn *insn, uint8_t group)
{
	const cs_detail *d = insn->detail;

	for (unsigned i = 0; i < d->groups_count; i++)
		if (d->groups[i] == group)
			return true;
	return false;
}

static int plan(const cs_insn *insn, const uint8_t *bytes, uint64_t addr,
		uint64_t slot_addr, struct mt_reloc *r)
{
	const cs_x86 *x = &insn->detail->x86;
	bool relative = is_group(insn, CS_GRP_BRANCH_RELATIVE) &&
			x->op_count == 1 && x->operands[0].type == X86_OP_IMM;

	if (insn->id == X86_INS_ENDBR64) {
		r->how = MT_RESUME_NEXT;
		return 0;
	}
	if (insn->id == X86_INS_JMP && relative) {
		r->how = MT_RESUME_JUMP;
		r->target = (uint64_t)x->operands[0].imm;
		return 0;
	}
	r->how = MT_RESUME_XOL;
	if (insn->id == X86_INS_CALL) {
		if (!relative)
			return -ENOTSUP;
		relocate_call(insn, addr, slot_addr, r);
		return 0;
	}
	if (relative)
		return relocate_jcc(insn, bytes, addr, slot_addr, r);
	int err = copy_insn(insn, bytes, addr, slot_addr, r);
	if (err)
		return err;
	/* ret and indirect jumps leave by themselves; the jump back is harmless. */
	emit_jump(r, slot_addr, addr + insn->size);
	return 0;
}

int mt_arch_relocate(uint64_t addr, const uint8_t *bytes, size_t len,
		     uint64_t slot_addr, struct mt_reloc *out)
{
	cs_insn *insn;
	int err;

	memset(out, 0, sizeof(*out));
	if (cs_init())
		return -EINVAL;
	if (cs_disasm(cs_handle, bytes, len, addr, 1, &insn) != 1)
		return -EINVAL;
	out->insn_len = insn->size;
	err = plan(insn, bytes, addr, slot_addr, out);
	cs_free(insn, 1);
	return err;
}

void mt_arch_syscall_stub(uint8_t out[MT_SYSCALL_STUB_LEN], unsigned nr)
{
	out[0] = 0xb8;			/* mov $nr, %eax */
	put32(out + 1, nr);
	out[5] = 0x0f;			/* syscall */
	out[6] = 0x05;
	out[7] = MT_BREAKPOINT_BYTE;	/* int3: back to the tracer */
}

void mt_arch_syscall_regs(mt_regs_t *regs, uint64_t ip, const uint64_t a[6])
{
	regs->rip = ip;
	regs->rdi = a[0];
	regs->rsi = a[1];
	regs->rdx = a[2];
	regs->r10 = a[3];
	regs->r8 = a[4];
	regs->r9 = a[5];
	/* Not inside a syscall: keep the kernel from "restarting" one. */
	regs->orig_rax = (uint64_t)-1;
}
