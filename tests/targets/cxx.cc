// SPDX-License-Identifier: GPL-2.0-or-later
// C++ allocation operators: each new is one allocation of kind new/new[]
// (the malloc inside operator new is not counted again), deletes free.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static volatile uintptr_t sink;
struct alignas(64) Wide { char b[128]; };

NOINLINE static int *one() { int *p = new int(7); /* L:new */ sink += (uintptr_t)p; return p; }
NOINLINE static int *arr(size_t n) { int *p = new int[n]; /* L:new_array */ sink += (uintptr_t)p; return p; }
NOINLINE static int *nothrow() { int *p = new (std::nothrow) int; /* L:new_nothrow */ sink += (uintptr_t)p; return p; }
NOINLINE static Wide *wide() { Wide *p = new Wide; /* L:new_aligned */ sink += (uintptr_t)p; return p; }
NOINLINE static bool huge()
{
	try {
		sink += (uintptr_t)new char[SIZE_MAX / 4]; /* L:new_fail */
	} catch (const std::bad_alloc &) {
		return true;
	}
	return false;
}

static void say(const char *key, unsigned long long v)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "expect %s=%llu\n", key, v);

	if (write(1, buf, (size_t)n) != n)
		_exit(99);
}

int main(int argc, char **argv)
{
	// valgrind cannot throw bad_alloc (it aborts): its cross-check runs without.
	bool with_throw = !(argc > 1 && std::string(argv[1]) == "no-throw");
	for (int i = 0; i < 30; i++)
		delete one();				// sized delete
	for (int i = 0; i < 20; i++)
		delete[] arr(10);			// 40 bytes each
	for (int i = 0; i < 10; i++)
		delete nothrow();
	for (int i = 0; i < 5; i++)
		delete wide();				// aligned new/delete
	bool threw = with_throw && huge();
	say("new", 30); say("new_bytes", 30 * 4);
	say("new_array", 20); say("new_array_bytes", 20 * 40);
	say("new_nothrow", 10); say("new_nothrow_bytes", 10 * 4);
	say("new_aligned", 5); say("new_aligned_bytes", 5 * 128);
	say("threw", threw);
	return with_throw == threw ? 0 : 1;
}
