/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * codecheck PID: compares every executable file mapping of PID, read through
 * /proc/PID/mem, with the file itself.  Prints the first difference and
 * exits 1, or "code intact: N mappings, M bytes" and 0.  The target must be
 * stopped or idle in the code compared (ours is: memtracer has detached).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[64], line[4200], file[4096], perms[5];
	uint64_t start, end, offset, bytes = 0;
	unsigned long inode;
	int mappings = 0, mem;
	FILE *maps;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "/proc/%s/maps", argv[1]);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[1]);
	mem = open(path, O_RDONLY);
	if (!maps || mem < 0)
		return perror("codecheck"), 2;
	while (fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %*s %lu %4095s",
			   &start, &end, perms, &offset, &inode, file) != 6 ||
		    perms[2] != 'x' || file[0] != '/')
			continue;
		int fd = open(file, O_RDONLY);
		size_t len = end - start;
		unsigned char *a = malloc(len), *b = calloc(1, len);

		if (fd < 0 || pread(mem, a, len, (off_t)start) != (ssize_t)len)
			return perror(file), 2;
		/* The last page may run past the end of the file: zeros there. */
		if (pread(fd, b, len, (off_t)offset) < 0)
			return perror(file), 2;
		for (size_t i = 0; i < len; i++)
			if (a[i] != b[i]) {
				printf("DIFFERS: %s at 0x%" PRIx64 " (file offset 0x%" PRIx64
				       "): memory %02x, file %02x\n", file, start + i, offset + i, a[i], b[i]);
				return 1;
			}
		bytes += len;
		mappings++;
		free(a);
		free(b);
		close(fd);
	}
	printf("code intact: %d mappings, %" PRIu64 " bytes\n", mappings, bytes);
	return 0;
}
