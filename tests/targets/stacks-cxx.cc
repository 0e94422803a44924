// SPDX-License-Identifier: GPL-2.0-or-later
// C++: a template instance that allocates, and an exception thrown across
// frames after an allocation deeper down.
#include <stdexcept>
#include <string>
#include <vector>

#define NOINLINE __attribute__((noinline))

template <typename T> NOINLINE std::vector<T> *make_vector(size_t n)
{
	return new std::vector<T>(n); /* L:template */
}

NOINLINE static void thrower(int n)
{
	std::string *s = new std::string(100, 'x'); /* L:before_throw */
	delete s;
	if (n > 0)
		throw std::runtime_error("deep"); /* L:throw */
}

NOINLINE static void middle(int n)
{
	thrower(n); /* L:middle */
}

int main()
{
	delete make_vector<int>(16); /* L:main_template */
	try {
		middle(1); /* L:main_throw */
	} catch (const std::exception &) {
		delete make_vector<double>(4); /* L:after_catch */
	}
	return 0;
}
