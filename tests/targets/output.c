/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writes a known text to stdout and stderr while allocating, and echoes its
 * stdin: the streams must be byte-identical with and without memtracer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char line[256];

	for (int i = 0; i < 2000; i++) {
		char *p = malloc(32 + i % 64);
		snprintf(p, 32, "%d", i * 7);
		printf("line %d: %s\n", i, p);
		if (i % 100 == 0)
			fprintf(stderr, "err %d\n", i);
		free(p);
	}
	while (fgets(line, sizeof(line), stdin))
		fputs(line, stdout);
	return 0;
}
