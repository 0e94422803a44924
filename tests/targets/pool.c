/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Custom allocators, for --alloc-fn: a pool that never calls malloc (a
 * static arena with a free list), and a wrapper that adds a header and
 * calls malloc itself (its malloc is an inner call, not counted again).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_SLOTS 1024
#define SLOT_SIZE 64

static union slot { union slot *next; unsigned char bytes[SLOT_SIZE]; } arena[POOL_SLOTS];
static union slot *free_list;
static size_t used;
static void *volatile keep[POOL_SLOTS];

__attribute__((noinline)) void *pool_alloc(size_t size)
{
	union slot *s;

	if (size > SLOT_SIZE)
		return NULL;
	if (free_list) {
		s = free_list;
		free_list = s->next;
	} else if (used < POOL_SLOTS) {
		s = &arena[used++];
	} else {
		return NULL;
	}
	return s;
}

__attribute__((noinline)) void pool_free(void *p)
{
	union slot *s = p;

	if (!s)
		return;
	s->next = free_list;
	free_list = s;
}

/* A header in front of every block, malloc underneath. */
__attribute__((noinline)) void *tagged_alloc(size_t size)
{
	size_t *h = malloc(size + sizeof(size_t));

	if (!h)
		return NULL;
	*h = size;
	return h + 1;
}

__attribute__((noinline)) void tagged_free(void *p)
{
	if (p)
		free((size_t *)p - 1);
}

int main(void)
{
	for (int i = 0; i < 1000; i++)
		keep[i] = pool_alloc(48); /* L:pool */
	for (int i = 10; i < 1000; i++)
		pool_free(keep[i]);
	if (pool_alloc(100))	/* too big: fails */
		return 1;
	for (int i = 0; i < 300; i++)
		keep[i] = tagged_alloc(100); /* L:tagged */
	for (int i = 0; i < 300; i++)
		tagged_free(keep[i]);
	printf("expect pool=1000\nexpect pool_bytes=48000\nexpect pool_live=480\n"
	       "expect tagged=300\nexpect tagged_bytes=30000\n");
	return 0;
}
