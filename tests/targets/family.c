/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A process family for --follow-forks, each member allocating a known
 * amount at its own line:
 *
 *   parent      10 x 100 B, 2 left live; waits for everyone
 *   child       fork(): 100 x 64 B, 3 left live, and a thread that makes
 *               17 x 8 B; exits 0
 *   grandchild  fork() by the child: 7 x 1000 B, all freed; exits 5
 *   exec        vfork() + exec of this program: 11 x 32 B, all freed
 *   spawn       posix_spawn() of this program: 13 x 16 B, 1 left live
 *
 * Pointers go through a volatile array, so the compiler cannot pair a
 * malloc with its free and drop both.  Prints "expect KEY=VALUE" lines.
 */
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static void *volatile keep[128];

static __attribute__((noinline)) void parent_work(void)
{
	for (int i = 0; i < 10; i++)
		keep[i] = malloc(100); /* L:parent */
	for (int i = 2; i < 10; i++)
		free(keep[i]);
}

static __attribute__((noinline)) void grandchild_work(void)
{
	for (int i = 0; i < 7; i++)
		keep[i] = malloc(1000); /* L:grandchild */
	for (int i = 0; i < 7; i++)
		free(keep[i]);
}

static void *child_thread(void *arg)
{
	void *volatile mine[17];

	for (int i = 0; i < 17; i++)
		mine[i] = malloc(8); /* L:child_thread */
	for (int i = 0; i < 17; i++)
		free(mine[i]);
	return arg;
}

static int wait_for(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static __attribute__((noinline)) void child_work(void)
{
	pthread_t th;
	pid_t pid;

	for (int i = 0; i < 100; i++)
		keep[i] = malloc(64); /* L:child */
	for (int i = 3; i < 100; i++)
		free(keep[i]);
	if (pthread_create(&th, NULL, child_thread, NULL) != 0 || pthread_join(th, NULL) != 0)
		_exit(90);
	pid = fork();
	if (pid == 0) {
		grandchild_work();
		_exit(5);
	}
	_exit(wait_for(pid) == 5 ? 0 : 91);
}

static __attribute__((noinline)) void exec_work(void)
{
	for (int i = 0; i < 11; i++)
		keep[i] = malloc(32); /* L:exec */
	for (int i = 0; i < 11; i++)
		free(keep[i]);
}

static __attribute__((noinline)) void spawn_work(void)
{
	for (int i = 0; i < 13; i++)
		keep[i] = malloc(16); /* L:spawn */
	for (int i = 1; i < 13; i++)
		free(keep[i]);
}

int main(int argc, char **argv)
{
	char *spawn_argv[] = { argv[0], "spawn", NULL };
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "exec") == 0) {
		exec_work();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "spawn") == 0) {
		spawn_work();
		return 0;
	}
	parent_work();
	pid = fork();
	if (pid == 0)
		child_work();
	printf("child: %d\n", wait_for(pid));
	pid = vfork();
	if (pid == 0) {
		execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
		_exit(127);
	}
	printf("exec: %d\n", wait_for(pid));
	if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, spawn_argv, environ) != 0)
		pid = -1;
	printf("spawn: %d\n", wait_for(pid));
	printf("expect parent=10\nexpect child=100\nexpect child_thread=17\n"
	       "expect grandchild=7\nexpect exec=11\nexpect spawn=13\n"
	       "expect parent_live=200\nexpect child_live=192\nexpect spawn_live=16\n");
	return 0;
}
