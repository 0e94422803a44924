/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Phases with known figures: parse (--phase parse) entered 3 times, each
 * entry allocating 10 x 64 B and leaving 2 live; compile (--phase compile)
 * allocating 5 x 1000 B around a nested optimize (--phase optimize: 4 x
 * 100 B, 2 left live), freeing its own; and an "io" phase between
 * memtracer_phase_begin/_end markers: 7 x 10 B, all left live.
 */
#include <stdio.h>
#include <stdlib.h>
#include "memtracer.h"

void *volatile keep[64];
static int nkeep;

__attribute__((noinline)) void parse(int round)
{
	void *volatile mine[10];

	for (int i = 0; i < 10; i++)
		mine[i] = malloc(64); /* L:parse */
	for (int i = 2; i < 10; i++)
		free(mine[i]);
	keep[nkeep++] = mine[0];
	keep[nkeep++] = mine[round >= 0 ? 1 : 0];
}

__attribute__((noinline)) void optimize(int n)
{
	void *volatile mine[8];

	for (int i = 0; i < n; i++)
		mine[i] = malloc(100); /* L:optimize */
	for (int i = 2; i < n; i++)
		free(mine[i]);
	keep[nkeep++] = mine[0];
	keep[nkeep++] = mine[1];
}

__attribute__((noinline)) void compile(void)
{
	void *volatile tmp[5];

	for (int i = 0; i < 5; i++)
		tmp[i] = malloc(1000); /* L:compile */
	optimize(4);
	for (int i = 0; i < 5; i++)
		free(tmp[i]);
}

int main(void)
{
	for (int r = 0; r < 3; r++)
		parse(r);
	compile();
	memtracer_phase_begin("io");
	for (int i = 0; i < 7; i++)
		keep[nkeep++] = malloc(10); /* L:io */
	memtracer_phase_end("io");
	printf("expect parse=3 30 1920 384 640\n"
	       "expect compile=1 9 5400 200 5400\n"
	       "expect optimize=1 4 400 200 400\n"
	       "expect io=1 7 70 70 70\n");
	return 0;
}
