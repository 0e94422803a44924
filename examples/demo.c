/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bundled demo: a small word-frequency counter with the allocation
 * habits real programs have — a growing table (realloc), one node per entry
 * (malloc), short-lived scratch buffers (temporaries), strdup'ed keys and a
 * deliberate leak — so `memtracer run -- examples/demo` has something to
 * show.  Built -O2 without frame pointers, like our users' programs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *word;
	unsigned count;
	struct entry *next;
};

struct table {
	struct entry **buckets;
	size_t nbuckets, nentries;
};

static const char *const words[] = {
	"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
	"hotel", "india", "juliett", "kilo", "lima", "mike", "november",
};

static __attribute__((noinline)) unsigned long hash(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static __attribute__((noinline)) void grow(struct table *t)
{
	size_t n = t->nbuckets ? t->nbuckets * 2 : 8;
	struct entry **b = calloc(n, sizeof(*b));

	for (size_t i = 0; i < t->nbuckets; i++)
		for (struct entry *e = t->buckets[i], *next; e; e = next) {
			next = e->next;
			e->next = b[hash(e->word) % n];
			b[hash(e->word) % n] = e;
		}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

static __attribute__((noinline)) void add(struct table *t, const char *word)
{
	struct entry *e;

	if (t->nentries >= t->nbuckets)
		grow(t);
	for (e = t->buckets[hash(word) % t->nbuckets]; e; e = e->next)
		if (strcmp(e->word, word) == 0) {
			e->count++;
			return;
		}
	e = malloc(sizeof(*e));
	e->word = strdup(word);
	e->count = 1;
	e->next = t->buckets[hash(word) % t->nbuckets];
	t->buckets[hash(word) % t->nbuckets] = e;
	t->nentries++;
}

/* Builds each word in a scratch buffer that is freed at once: churn. */
static __attribute__((noinline)) void feed(struct table *t, unsigned rounds)
{
	for (unsigned r = 0; r < rounds; r++)
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			char *scratch = malloc(64);

			snprintf(scratch, 64, "%s-%u", words[i], r % 50);
			add(t, scratch);
			free(scratch);
		}
}

static __attribute__((noinline)) void drop(struct table *t)
{
	for (size_t i = 0; i < t->nbuckets; i++)
		for (struct entry *e = t->buckets[i], *next; e; e = next) {
			next = e->next;
			free(e->word);
			/* Forgets to free e itself: the demo's leak. */
		}
	free(t->buckets);
}

int main(int argc, char **argv)
{
	struct table t = { 0 };
	unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 200;

	feed(&t, rounds);
	printf("demo: %zu distinct words\n", t.nentries);
	drop(&t);
	return 0;
}
