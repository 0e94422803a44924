/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A running service for attach tests: 4 threads allocate, fill, check and
 * free blocks until SIGUSR1, then report whether every check held.  It
 * prints "ready" once all threads run (the handshake), and with "stop" as
 * argument it SIGSTOPs itself after that.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NTHREADS 4

static volatile sig_atomic_t stop;
static unsigned long rounds[NTHREADS], corrupt;
static pthread_barrier_t started;

static void on_usr1(int sig)
{
	stop = 1;
}

static void *worker(void *arg)
{
	long id = (long)arg;
	size_t size = 64 + (size_t)id * 8;

	pthread_barrier_wait(&started);
	while (!stop) {
		unsigned char *p = malloc(size);

		memset(p, (int)id + 1, size);
		for (size_t i = 0; i < size; i++)
			if (p[i] != (unsigned char)(id + 1))
				__atomic_add_fetch(&corrupt, 1, __ATOMIC_RELAXED);
		free(p);
		rounds[id]++;
		usleep(50);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[NTHREADS];
	unsigned long total = 0;

	signal(SIGUSR1, on_usr1);
	pthread_barrier_init(&started, NULL, NTHREADS + 1);
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	pthread_barrier_wait(&started);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	if (argc > 1 && strcmp(argv[1], "stop") == 0)
		raise(SIGSTOP);
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		total += rounds[i];
	}
	printf("%s rounds=%lu corrupt=%lu\n", corrupt ? "CORRUPT" : "ok", total, corrupt);
	return corrupt ? 1 : 0;
}
