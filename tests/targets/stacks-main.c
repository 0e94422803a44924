/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One allocation scenario per argument, for stacks.test and gdb. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "stacks.h"

static void *thread_main(void *arg)
{
	free(level1(300)); /* L:thread */
	return NULL;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "chain";

	if (strcmp(what, "chain") == 0) {
		free(level1(100)); /* L:main_chain */
	} else if (strcmp(what, "qsort") == 0) {
		int v[] = { 3, 1, 2 };

		qsort(v, 3, sizeof(v[0]), compare_alloc); /* L:main_qsort */
	} else if (strcmp(what, "signal") == 0) {
		signal(SIGUSR1, on_signal);
		raise(SIGUSR1); /* L:main_signal */
		free(stacks_sink);
	} else if (strcmp(what, "recurse") == 0) {
		free(recurse(200)); /* L:main_recurse */
	} else if (strcmp(what, "inline") == 0) {
		free(through_inline(10)); /* L:main_inline */
	} else if (strcmp(what, "thread") == 0) {
		pthread_t t;

		pthread_create(&t, NULL, thread_main, NULL);
		pthread_join(t, NULL);
	}
	return 0;
}
