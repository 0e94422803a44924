/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "launch.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int check_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return -EACCES;
	return 0;
}

static char *search_path(const char *prog, int *err)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save = NULL;

	*err = -ENOENT;
	dirs = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *cand = xasprintf("%s/%s", *dir ? dir : ".", prog);
		int e = check_file(cand);

		if (e == 0) {
			free(dirs);
			*err = 0;
			return cand;
		}
		if (e != -ENOENT && e != -ENOTDIR)
			*err = e;	/* found but unusable: remember why */
		free(cand);
	}
	free(dirs);
	return NULL;
}

char *mt_launch_resolve(const char *prog, int *status)
{
	char *path;
	int err;

	if (strchr(prog, '/')) {
		err = check_file(prog);
		path = err ? NULL : xstrdup(prog);
	} else {
		path = search_path(prog, &err);
	}
	if (path)
		return path;
	if (err == -ENOENT || err == -ENOTDIR) {
		*status = MT_EXIT_NOTFOUND;
		if (strchr(prog, '/'))
			error_msg("%s: no such file: check the path", prog);
		else
			error_msg("%s: command not found in PATH: check the name or give its path", prog);
	} else {
		*status = MT_EXIT_NOEXEC;
		error_msg("%s: %s: give an executable file", prog,
			  err == -EISDIR ? "is a directory" : "not executable (permission denied)");
	}
	return NULL;
}

/* The signals memtracer handles or ignores for itself, and how it found them. */
static const int own_signals[] = {
	SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGALRM, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU,
};
static struct sigaction found[MT_ARRAY_SIZE(own_signals)];

void mt_launch_save_signals(void)
{
	for (size_t i = 0; i < MT_ARRAY_SIZE(own_signals); i++)
		sigaction(own_signals[i], NULL, &found[i]);
}

static void child(const char *path, char **argv)
{
	for (size_t i = 0; i < MT_ARRAY_SIZE(own_signals); i++)
		sigaction(own_signals[i], &found[i], NULL);
	/* Wait here until the tracer has seized us, so the exec is traced. */
	if (kill(getpid(), SIGSTOP) < 0)
		_exit(MT_EXIT_TRACE);
	execv(path, argv);
	int err = errno;
	fprintf(stderr, "%s: cannot execute %s: %s\n", mt_progname, path, strerror(err));
	_exit(err == ENOENT ? MT_EXIT_NOTFOUND : MT_EXIT_NOEXEC);
}

pid_t mt_launch(const char *path, char **argv)
{
	const long options = PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
			     PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;
	int status, err;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child(path, argv);
	while (waitpid(pid, &status, WSTOPPED) < 0)
		if (errno != EINTR)
			goto fail;
	if (!WIFSTOPPED(status)) {
		errno = ECHILD;
		goto fail;
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, options) < 0)
		goto fail;
	if (kill(pid, SIGCONT) < 0)
		goto fail;
	return pid;
fail:
	err = errno;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -err;
}
