/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error reporting and allocation helpers, strace-style.
 *
 * Internals return -errno (or false) and let the CLI decide; these print
 * "memtracer: ..." on stderr.  The x*() allocators die on OOM, so callers
 * carry no NULL checks.
 */
#ifndef MT_UTIL_H
#define MT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define MT_NORETURN __attribute__((noreturn))
#define MT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define MT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses of memtracer itself (the man page documents them). */
enum {
	MT_EXIT_USAGE = 2,	/* bad command line or input file */
	MT_EXIT_TRACE = 125,	/* could not trace: ptrace, exec failure in setup */
	MT_EXIT_NOEXEC = 126,	/* program found but not executable */
	MT_EXIT_NOTFOUND = 127,	/* program not found */
};

extern const char *mt_progname;

void error_msg(const char *fmt, ...) MT_PRINTF(1, 2);
void perror_msg(const char *fmt, ...) MT_PRINTF(1, 2);
void error_msg_and_die(int status, const char *fmt, ...) MT_PRINTF(2, 3) MT_NORETURN;
void perror_msg_and_die(int status, const char *fmt, ...) MT_PRINTF(2, 3) MT_NORETURN;
/* Debug trace, printed only with MEMTRACER_DEBUG set in memtracer's env. */
extern bool mt_debug_enabled;
void debug_msg(const char *fmt, ...) MT_PRINTF(1, 2);

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of n elements of size elsz to at least need elements. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t elsz);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) MT_PRINTF(1, 2);

/* Formats a one-line message into err (errlen bytes) and returns -1, for
 * the internals that explain a refusal without printing it. */
int mt_fail(char *err, size_t errlen, const char *fmt, ...) MT_PRINTF(3, 4);

/* Whether sig is pending for the thread tid itself (SigPnd in /proc). */
bool mt_signal_pending(int tid, int sig);

/* Monotonic clock in nanoseconds. */
uint64_t mt_now_ns(void);

/* 64-bit mixing hash (splitmix64 finaliser); hash of a word array. */
static inline uint64_t mt_hash64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}
uint64_t mt_hash_words(uint64_t seed, const uint64_t *w, size_t n);

#endif
