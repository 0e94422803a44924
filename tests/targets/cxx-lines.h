// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef CXX_LINES_H
#define CXX_LINES_H
// Every form of operator new, each at its own marked line in cxx-lines.cc,
// and the matching deletes.
#include <cstddef>

struct alignas(64) Wide {
	char b[128];
};

// A non-trivial destructor: new[] asks for a cookie before the elements
// (Itanium ABI), and delete[] passes the whole size to sized delete[].
struct Counted {
	int v;
	Counted();
	~Counted();
};

int *c_new();
int *c_new_array(std::size_t n);
int *c_new_nothrow();
int *c_new_array_nothrow(std::size_t n);
Wide *c_new_aligned();
Wide *c_new_array_aligned(std::size_t n);
Wide *c_new_aligned_nothrow();
Counted *c_new_array_cookie(std::size_t n);
void *c_operator_new(std::size_t n);
bool c_new_throws(std::size_t n);		// true when bad_alloc was caught
char *c_new_nothrow_fails(std::size_t n);	// NULL expected
int *c_malloc(std::size_t n);

void c_delete(int *p);				// sized delete
void c_delete_array(int *p);
void c_delete_wide(Wide *p);			// sized aligned delete
void c_delete_array_wide(Wide *p);		// aligned delete[]
void c_delete_array_cookie(Counted *p);	// sized delete[]
void c_operator_delete(void *p, std::size_t n);	// explicit sized delete
void c_delete_null();				// delete of nullptr: no event

#endif // CXX_LINES_H
