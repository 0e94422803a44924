/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Custom allocators, for --alloc-fn: a pool that never calls malloc (a
 * static arena with a free list); a wrapper that adds a header and calls
 * malloc itself (its malloc is an inner call, not counted again); and a
 * runtime's bump allocator over mmap'd chunks taking a context first
 * (rt_alloc(rt, size), rt_realloc(rt, ptr, size) calling rt_alloc,
 * rt_free(rt, ptr)), as compilers' runtimes do.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

#define RT_CHUNK (1 << 20)

struct rt {
	unsigned char *chunk;
	size_t used;
	unsigned chunks;
};

__attribute__((noinline)) void *rt_alloc(struct rt *rt, size_t size)
{
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!rt->chunk || rt->used + size > RT_CHUNK) {
		rt->chunk = mmap(NULL, RT_CHUNK, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (rt->chunk == MAP_FAILED)
			return NULL;
		rt->used = 0;
		rt->chunks++;
	}
	p = rt->chunk + rt->used;
	rt->used += size;
	return p;
}

__attribute__((noinline)) void rt_free(struct rt *rt, void *p)
{
	/* A bump allocator frees nothing until the end of the phase. */
	__asm__ volatile("" : : "r"(rt), "r"(p) : "memory");
}

__attribute__((noinline)) void *rt_realloc(struct rt *rt, void *p, size_t size)
{
	void *n = rt_alloc(rt, size);

	if (n && p)
		memcpy(n, p, 8);
	return n;
}

static __attribute__((noinline)) void runtime_work(void)
{
	static struct rt rt;

	for (int i = 0; i < 500; i++)
		keep[i] = rt_alloc(&rt, 200); /* L:rt */
	for (int i = 0; i < 100; i++)
		keep[i] = rt_realloc(&rt, keep[i], 400); /* L:rt_realloc */
	for (int i = 0; i < 500; i++)
		rt_free(&rt, keep[i]); /* L:rt_free */
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
	runtime_work();
	printf("expect pool=1000\nexpect pool_bytes=48000\nexpect pool_live=480\n"
	       "expect tagged=300\nexpect tagged_bytes=30000\n"
	       "expect rt=500\nexpect rt_bytes=100000\n"
	       "expect rt_realloc=100\nexpect rt_realloc_bytes=40000\n");
	return 0;
}
