// SPDX-License-Identifier: GPL-2.0-or-later
// The allocation lines of the cxx target, apart from main so that no
// new/delete pair is elided or inlined; found by their markers.
#include <cstdint>
#include <cstdlib>
#include <new>

#include "cxx-lines.h"

#define NOINLINE __attribute__((noinline))

static volatile std::uintptr_t sink;

Counted::Counted() : v(1) {}
Counted::~Counted() { sink = sink + static_cast<std::uintptr_t>(v); }

NOINLINE int *c_new()
{
	return new int(7); /* L:new */
}

NOINLINE int *c_new_array(std::size_t n)
{
	return new int[n]; /* L:new_array */
}

NOINLINE int *c_new_nothrow()
{
	return new (std::nothrow) int(3); /* L:new_nothrow */
}

NOINLINE int *c_new_array_nothrow(std::size_t n)
{
	return new (std::nothrow) int[n]; /* L:new_array_nothrow */
}

NOINLINE Wide *c_new_aligned()
{
	return new Wide; /* L:new_aligned */
}

NOINLINE Wide *c_new_array_aligned(std::size_t n)
{
	return new Wide[n]; /* L:new_array_aligned */
}

NOINLINE Wide *c_new_aligned_nothrow()
{
	return new (std::nothrow) Wide; /* L:new_aligned_nothrow */
}

NOINLINE Counted *c_new_array_cookie(std::size_t n)
{
	return new Counted[n]; /* L:new_array_cookie */
}

NOINLINE void *c_operator_new(std::size_t n)
{
	return ::operator new(n); /* L:operator_new */
}

NOINLINE bool c_new_throws(std::size_t n)
{
	try {
		sink = reinterpret_cast<std::uintptr_t>(new char[n]); /* L:new_throws */
	} catch (const std::bad_alloc &) {
		return true;
	}
	return false;
}

NOINLINE char *c_new_nothrow_fails(std::size_t n)
{
	return new (std::nothrow) char[n]; /* L:new_nothrow_fails */
}

NOINLINE int *c_malloc(std::size_t n)
{
	return static_cast<int *>(std::malloc(n)); /* L:cxx_malloc */
}

NOINLINE void c_delete(int *p)
{
	delete p;
}

NOINLINE void c_delete_array(int *p)
{
	delete[] p;
}

NOINLINE void c_delete_wide(Wide *p)
{
	delete p;
}

NOINLINE void c_delete_array_wide(Wide *p)
{
	delete[] p;
}

NOINLINE void c_delete_array_cookie(Counted *p)
{
	delete[] p;
}

NOINLINE void c_operator_delete(void *p, std::size_t n)
{
	::operator delete(p, n);
}

NOINLINE void c_delete_null()
{
	int *p = reinterpret_cast<int *>(sink & 0);

	delete p;
	::operator delete(nullptr);
	::operator delete[](nullptr);
}
