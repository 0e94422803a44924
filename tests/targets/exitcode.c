/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Ends as told: "exit N" or "signal N" (raise), after allocating a little,
 * so that exit statuses and deaths by signal are propagated and reported. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static void *volatile sink;

int main(int argc, char **argv)
{
	for (int i = 0; i < 5; i++)
		sink = malloc(100);
	if (argc > 2 && strcmp(argv[1], "signal") == 0) {
		signal(atoi(argv[2]), SIG_DFL);
		raise(atoi(argv[2]));
	}
	return argc > 2 ? atoi(argv[2]) : 0;
}
