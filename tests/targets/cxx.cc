// SPDX-License-Identifier: GPL-2.0-or-later
// C++ allocation operators.  Each new is one allocation of kind "new" or
// "new[]", however many allocators it goes through inside libstdc++
// (nothrow new calls new, new[] calls new, new calls malloc, aligned new
// calls aligned_alloc): only the outermost call counts.  Deletes of every
// form free; delete of nullptr is no event; a new that fails counts in
// failed_allocs only, whether it throws or returns nullptr.
//
// "no-throw" as argument leaves out the throwing new: valgrind cannot throw
// bad_alloc from its operator new and aborts the program instead.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "cxx-lines.h"
#include "expect.h"

static struct model total;

// Counts N allocations of SIZE bytes at SITE, all freed.
static void both(struct model *site, int n, std::size_t size)
{
	for (int i = 0; i < n; i++) {
		model_alloc(site, size);
		model_alloc(&total, size);
		model_free(site, size);
		model_free(&total, size);
	}
}

static void failed(struct model *site)
{
	model_fail(site);
	model_fail(&total);
}

int main(int argc, char **argv)
{
	bool with_throw = !(argc > 1 && std::strcmp(argv[1], "no-throw") == 0);
	struct model s_new = {}, s_new_array = {}, s_new_nothrow = {},
		s_new_array_nothrow = {}, s_new_aligned = {}, s_new_array_aligned = {},
		s_new_aligned_nothrow = {}, s_new_array_cookie = {}, s_operator_new = {},
		s_new_throws = {}, s_new_nothrow_fails = {}, s_malloc = {};

	for (int i = 0; i < 30; i++)
		c_delete(c_new());
	both(&s_new, 30, sizeof(int));
	for (int i = 0; i < 20; i++)
		c_delete_array(c_new_array(10));
	both(&s_new_array, 20, 10 * sizeof(int));
	for (int i = 0; i < 10; i++)
		c_delete(c_new_nothrow());
	both(&s_new_nothrow, 10, sizeof(int));
	for (int i = 0; i < 7; i++)
		c_delete_array(c_new_array_nothrow(5));
	both(&s_new_array_nothrow, 7, 5 * sizeof(int));
	for (int i = 0; i < 5; i++)
		c_delete_wide(c_new_aligned());
	both(&s_new_aligned, 5, sizeof(Wide));
	for (int i = 0; i < 4; i++)
		c_delete_array_wide(c_new_array_aligned(3));
	both(&s_new_array_aligned, 4, 3 * sizeof(Wide));
	for (int i = 0; i < 3; i++)
		c_delete_wide(c_new_aligned_nothrow());
	both(&s_new_aligned_nothrow, 3, sizeof(Wide));
	// The cookie is one size_t in front of the elements.
	for (int i = 0; i < 6; i++)
		c_delete_array_cookie(c_new_array_cookie(5));
	both(&s_new_array_cookie, 6, 5 * sizeof(Counted) + sizeof(std::size_t));
	for (int i = 0; i < 8; i++)
		c_operator_delete(c_operator_new(1000), 1000);
	both(&s_operator_new, 8, 1000);
	for (int i = 0; i < 4; i++)
		std::free(c_malloc(48));
	both(&s_malloc, 4, 48);
	c_delete_null();

	if (with_throw) {
		if (!c_new_throws(SIZE_MAX / 4))
			return 98;
		failed(&s_new_throws);
	}
	if (c_new_nothrow_fails(SIZE_MAX / 2) != nullptr)
		return 97;
	failed(&s_new_nothrow_fails);

	model_expect(nullptr, &total);
	model_expect("new", &s_new);
	model_expect("new_array", &s_new_array);
	model_expect("new_nothrow", &s_new_nothrow);
	model_expect("new_array_nothrow", &s_new_array_nothrow);
	model_expect("new_aligned", &s_new_aligned);
	model_expect("new_array_aligned", &s_new_array_aligned);
	model_expect("new_aligned_nothrow", &s_new_aligned_nothrow);
	model_expect("new_array_cookie", &s_new_array_cookie);
	model_expect("operator_new", &s_operator_new);
	model_expect("new_throws", &s_new_throws);
	model_expect("new_nothrow_fails", &s_new_nothrow_fails);
	model_expect("cxx_malloc", &s_malloc);
	return 0;
}
