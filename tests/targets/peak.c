/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A known peak that is neither the first high nor the end: 100 blocks of
 * 1000 B (a high of 100000), 80 freed, 40 of 2000 B (100000 again: no new
 * high), one of 5000 B (105000: the peak, made of A 20000, B 80000 and
 * C 5000), then everything freed.
 */
#include <stdio.h>
#include <stdlib.h>

static void *volatile a[100], *volatile b[40], *volatile c;

int main(void)
{
	for (int i = 0; i < 100; i++)
		a[i] = malloc(1000); /* L:a */
	for (int i = 20; i < 100; i++)
		free(a[i]);
	for (int i = 0; i < 40; i++)
		b[i] = malloc(2000); /* L:b */
	c = malloc(5000); /* L:c */
	for (int i = 0; i < 40; i++)
		free(b[i]);
	for (int i = 0; i < 20; i++)
		free(a[i]);
	free(c);
	printf("expect peak=105000\nexpect a=20000\nexpect b=80000\nexpect c=5000\n");
	return 0;
}
