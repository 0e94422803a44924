/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

int mt_mem_open(struct mt_mem *mem, pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	mem->pid = pid;
	mem->fd = open(path, O_RDWR | O_CLOEXEC);
	return mem->fd < 0 ? -errno : 0;
}

void mt_mem_close(struct mt_mem *mem)
{
	if (mem->fd >= 0)
		close(mem->fd);
	mem->fd = -1;
}

ssize_t mt_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);

	return n < 0 ? -errno : n;
}

int mt_mem_read_exact(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	ssize_t n = mt_mem_read(pid, addr, buf, len);

	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EFAULT;
}

int mt_mem_peek(const struct mt_mem *mem, uint64_t addr, void *buf, size_t len)
{
	ssize_t n = pread(mem->fd, buf, len, (off_t)addr);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

int mt_mem_write(const struct mt_mem *mem, uint64_t addr, const void *buf, size_t len)
{
	ssize_t n = pwrite(mem->fd, buf, len, (off_t)addr);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}
