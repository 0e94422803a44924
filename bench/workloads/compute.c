/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compute-heavy with few allocations: ROUNDS blocks of PASSES passes of
 * arithmetic over a buffer allocated and freed per block (a few thousand
 * allocations in seconds of work).
 */
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
	int passes = argc > 2 ? atoi(argv[2]) : 300;
	volatile double acc = 0;

	for (unsigned r = 0; r < rounds; r++) {
		double *v = malloc(4096 * sizeof(*v));

		for (int k = 0; k < passes; k++)
			for (int i = 0; i < 4096; i++)
				v[i] = (k ? v[i] : i) * 1.0000001 + 0.5;
		acc += v[r % 4096];
		free(v);
	}
	return acc < 0;
}
