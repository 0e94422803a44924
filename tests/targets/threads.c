/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 8 threads, each 100,000 malloc/free pairs at one line, all at once:
 * breakpoints stay planted while threads run, so no event may be lost.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NTHREADS 8
#define PER_THREAD 100000

static volatile uintptr_t sink;
static pthread_barrier_t start;

static void *worker(void *arg)
{
	size_t size = 16 + (uintptr_t)arg;

	pthread_barrier_wait(&start);
	for (int i = 0; i < PER_THREAD; i++) {
		char *p = malloc(size); /* L:worker */
		p[0] = 1;
		sink += (uintptr_t)p;
		free(p);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[NTHREADS];
	unsigned long long bytes = 0;
	char buf[256];
	int n;

	pthread_barrier_init(&start, NULL, NTHREADS);
	for (uintptr_t i = 0; i < NTHREADS; i++) {
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			return 98;
		bytes += (16 + i) * PER_THREAD;
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	n = snprintf(buf, sizeof(buf), "expect worker=%d\nexpect worker_bytes=%llu\n",
		     NTHREADS * PER_THREAD, bytes);
	return write(1, buf, (size_t)n) == n ? 0 : 99;
}
