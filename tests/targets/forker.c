/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Forks a child that allocates and exits 0, then a vfork+exec and a
 * posix_spawn, while the parent keeps allocating: children that are not
 * followed must run intact (our int3s removed from their copy of memory).
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static void *volatile sink;

static int child_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void)
{
	char *argv[] = { "true", NULL };
	pid_t pid;

	for (int i = 0; i < 10; i++)
		sink = malloc(10); /* L:before */
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 1000; i++)
			free(malloc(50 + i));
		_exit(0);
	}
	printf("fork child: %d\n", child_status(pid));
	pid = vfork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	printf("vfork child: %d\n", child_status(pid));
	if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) == 0)
		printf("spawned child: %d\n", child_status(pid));
	for (int i = 0; i < 20; i++)
		sink = malloc(20); /* L:after */
	printf("expect before=10\nexpect after=20\n");
	return 0;
}
