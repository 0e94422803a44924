/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Remote memory of a traced process.
 *
 * Reads go through process_vm_readv: one system call for any length, where
 * PTRACE_PEEKDATA costs one per word.  Writes (breakpoints, out-of-line
 * slots) go through /proc/PID/mem, which may write read-only executable
 * mappings the way a debugger must, so the target's code pages are never
 * made writable from the target's point of view.
 */
#ifndef MT_MEM_H
#define MT_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct mt_mem {
	pid_t pid;
	int fd;		/* /proc/PID/mem, -1 when closed; reopened after exec */
};

/* Returns 0 or -errno. */
int mt_mem_open(struct mt_mem *mem, pid_t pid);
void mt_mem_close(struct mt_mem *mem);

/* Reads up to len bytes at addr; returns the number read (a short count when
 * the range runs into an unmapped page) or -errno. */
ssize_t mt_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len);
/* All of len bytes, or -EFAULT/-errno. */
int mt_mem_read_exact(pid_t pid, uint64_t addr, void *buf, size_t len);
/* Reads through /proc/PID/mem: also pages the target cannot read. */
int mt_mem_peek(const struct mt_mem *mem, uint64_t addr, void *buf, size_t len);
/* Writes all of len bytes, or returns -errno. */
int mt_mem_write(const struct mt_mem *mem, uint64_t addr, const void *buf, size_t len);

#endif
