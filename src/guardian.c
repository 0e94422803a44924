/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "guardian.h"
#include "arch.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#define INT3 0xcc
#define MAX_THREADS 4096

/* The tracer's end of the pipe that names the processes to rescue. */
static int watch_fd = -1;
static volatile pid_t tracer_pid;

void mt_guardian_watch(pid_t pid)
{
	int32_t v = pid;

	if (watch_fd >= 0 && write(watch_fd, &v, sizeof(v)) != sizeof(v))
		debug_msg("cannot tell the guardian about %d: %s", (int)pid, strerror(errno));
}

/* ---- rescue ------------------------------------------------------------ */

/* Writes back the file's bytes where memory has an int3 the file has not. */
static int restore_mapping(int mem, const char *path, uint64_t start, uint64_t end,
			   uint64_t offset)
{
	uint8_t want[65536], have[sizeof(want)];
	int fd = open(path, O_RDONLY | O_CLOEXEC), restored = 0;

	if (fd < 0)
		return 0;	/* deleted or unreadable: nothing to compare with */
	for (uint64_t pos = 0; pos < end - start; pos += sizeof(want)) {
		size_t len = end - start - pos < sizeof(want) ? end - start - pos : sizeof(want);
		ssize_t nf = pread(fd, want, len, (off_t)(offset + pos));
		ssize_t nm = pread(mem, have, len, (off_t)(start + pos));

		if (nf <= 0 || nm <= 0)
			break;
		for (ssize_t i = 0; i < nf && i < nm; i++) {
			if (have[i] != INT3 || want[i] == INT3)
				continue;
			if (pwrite(mem, &want[i], 1, (off_t)(start + pos + (uint64_t)i)) == 1)
				restored++;
		}
	}
	close(fd);
	return restored;
}

static int restore_code(pid_t pid)
{
	char path[64], line[4352], file[4096], perms[8];
	uint64_t start, end, offset;
	int mem, restored = 0;
	FILE *maps;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	mem = open(path, O_RDWR | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	maps = fopen(path, "re");
	if (mem < 0 || !maps) {
		int err = -errno;

		if (mem >= 0)
			close(mem);
		if (maps)
			fclose(maps);
		return err;
	}
	while (fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %4095s",
			   &start, &end, perms, &offset, file) == 5 &&
		    perms[2] == 'x' && file[0] == '/')
			restored += restore_mapping(mem, file, start, end, offset);
	}
	fclose(maps);
	close(mem);
	return restored;
}

struct seized {
	pid_t tid;
	int sig;		/* to give back at detach */
	bool stopped, gone;
};

/*
 * A seized thread reported a stop.  If an int3 of ours trapped it (now, or
 * just before: its SIGTRAP still pending), it goes back onto the
 * instruction and the trap is discarded.
 */
static void on_stop(struct seized *th, int status)
{
	siginfo_t si;
	mt_regs_t regs;
	int sig = WSTOPSIG(status);

	if (status >> 16 == PTRACE_EVENT_STOP) {
		/* Let a pending trap be taken under our eyes first. */
		if (!mt_signal_pending(th->tid, SIGTRAP) || ptrace(PTRACE_CONT, th->tid, 0, 0) < 0)
			th->stopped = true;
		return;
	}
	th->stopped = true;
	th->sig = sig;
	if (sig != SIGTRAP || ptrace(PTRACE_GETSIGINFO, th->tid, 0, &si) < 0 ||
	    si.si_code != SI_KERNEL || ptrace(PTRACE_GETREGS, th->tid, 0, &regs) < 0)
		return;
	mt_regs_set_ip(&regs, mt_regs_ip(&regs) - MT_BREAKPOINT_LEN);
	if (ptrace(PTRACE_SETREGS, th->tid, 0, &regs) == 0)
		th->sig = 0;
}

static struct seized *find(struct seized *v, int n, pid_t tid)
{
	for (int i = 0; i < n; i++)
		if (v[i].tid == tid)
			return &v[i];
	return NULL;
}

/*
 * Collects every thread's stop, for at most two seconds (a dying process's
 * threads never stop: they exit, and a zombie leader reports last).
 * Returns the signal the process died of, or 0 while it lives.
 */
static int collect(struct seized *v, int n)
{
	uint64_t deadline = mt_now_ns() + 2000000000ULL;
	int pending = n, died = 0, status;

	while (pending > 0 && mt_now_ns() < deadline) {
		pid_t w = waitpid(-1, &status, __WALL | WNOHANG);
		struct seized *th = w > 0 ? find(v, n, w) : NULL;

		if (w < 0)
			break;
		if (!th) {
			usleep(1000);
			continue;
		}
		if (WIFSTOPPED(status)) {
			on_stop(th, status);
		} else {
			th->gone = true;
			if (WIFSIGNALED(status))
				died = WTERMSIG(status);
		}
		if (th->stopped || th->gone)
			pending--;
	}
	return died;
}

int mt_guardian_rescue(pid_t pid, int *died)
{
	static struct seized v[MAX_THREADS];
	int n = 0, restored;
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir)) && n < MAX_THREADS) {
		pid_t tid = (pid_t)atoi(d->d_name);

		if (tid > 0 && ptrace(PTRACE_SEIZE, tid, 0, 0) == 0)
			v[n++] = (struct seized){ .tid = tid };
	}
	closedir(dir);
	for (int i = 0; i < n; i++)
		ptrace(PTRACE_INTERRUPT, v[i].tid, 0, 0);
	*died = collect(v, n);
	if (*died)
		return 0;
	restored = restore_code(pid);
	for (int i = 0; i < n; i++)
		if (v[i].stopped && !v[i].gone)
			ptrace(PTRACE_DETACH, v[i].tid, 0, v[i].sig);
	return restored;
}

/* ---- the guardian ------------------------------------------------------ */

static void forward(int sig)
{
	int saved = errno;

	if (tracer_pid > 0)
		kill(tracer_pid, sig);
	errno = saved;
}

static void rescue_all(int from, int sig)
{
	int32_t pid;

	fcntl(from, F_SETFL, O_NONBLOCK);
	while (read(from, &pid, sizeof(pid)) == sizeof(pid)) {
		int died = 0, restored = mt_guardian_rescue(pid, &died);

		if (died)
			error_msg("the tracer died of signal %d while process %d sat at one of its "
				  "breakpoints: the kernel delivered that trap and the process died "
				  "of signal %d (see memtracer(1), SIGNALS)", sig, (int)pid, died);
		else if (restored >= 0)
			error_msg("the tracer died of signal %d (SIG%s): process %d restored "
				  "(%d bytes of code) and released", sig,
				  sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", (int)pid, restored);
		else if (restored != -ENOENT)
			error_msg("the tracer died of signal %d: cannot restore process %d: %s",
				  sig, (int)pid, strerror(-restored));
	}
}

static void MT_NORETURN guard(pid_t tracer, int from)
{
	struct sigaction sa = { .sa_handler = forward, .sa_flags = SA_RESTART };
	static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	int status;

	tracer_pid = tracer;
	/* The tracer ignores the terminal's stop signals; we take them. */
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < MT_ARRAY_SIZE(forwarded); i++)
		sigaction(forwarded[i], &sa, NULL);
	while (waitpid(tracer, &status, 0) < 0)
		if (errno != EINTR)
			_exit(MT_EXIT_TRACE);
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	rescue_all(from, WTERMSIG(status));
	_exit(MT_EXIT_TRACE);
}

void mt_guardian_split(void)
{
	int fds[2];
	pid_t guardian = getpid(), pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid > 0) {
		close(fds[1]);
		guard(pid, fds[0]);
	}
	close(fds[0]);
	watch_fd = fds[1];
	if (prctl(PR_SET_PDEATHSIG, MT_GUARDIAN_LOST) < 0 || getppid() != guardian)
		raise(MT_GUARDIAN_LOST);
}
