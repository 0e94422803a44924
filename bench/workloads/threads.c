/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The churn of churn.c over 4 threads: ROUNDS per thread. */
#include <pthread.h>
#include <stdlib.h>

static unsigned rounds = 25000;

static __attribute__((noinline)) void *work(void *arg)
{
	void *volatile keep[64] = { 0 };

	for (unsigned r = 0; r < rounds; r++) {
		void *p = malloc(16 + r % 200);

		free(keep[r % 64]);
		keep[r % 64] = malloc(64);
		free(p);
	}
	for (int i = 0; i < 64; i++)
		free(keep[i]);
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t t[4];

	if (argc > 1)
		rounds = (unsigned)atoi(argv[1]);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, work, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	return 0;
}
