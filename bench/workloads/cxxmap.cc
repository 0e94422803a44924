// SPDX-License-Identifier: GPL-2.0-or-later
// C++ containers: std::map<std::string, std::vector<int>> built and torn
// down, ROUNDS times.
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

int main(int argc, char **argv)
{
	unsigned rounds = argc > 1 ? (unsigned)std::atoi(argv[1]) : 200;
	unsigned long sum = 0;

	for (unsigned r = 0; r < rounds; r++) {
		std::map<std::string, std::vector<int>> m;

		for (int i = 0; i < 200; i++) {
			std::string key = "a key long enough to be on the heap " + std::to_string(i);
			m[key].assign(8 + i % 8, i);
		}
		for (const auto &kv : m)
			sum += kv.second.size();
	}
	return sum == 0;
}
