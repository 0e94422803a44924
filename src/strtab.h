/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A string table: each distinct string gets the next index from 0, and is
 * found again by hashing.  For the tables of the pprof format and for
 * merging call sites by their symbolized stacks.
 */
#ifndef MT_STRTAB_H
#define MT_STRTAB_H

#include <stdbool.h>
#include <stddef.h>

struct mt_strtab {
	char **keys;		/* by index, owned copies */
	size_t n, cap;
	size_t *slots;		/* open addressing: index + 1, 0 empty */
	size_t nslots;		/* power of two */
};

/* The index of key, added if new (*added says which, when not NULL). */
size_t mt_strtab_intern(struct mt_strtab *t, const char *key, bool *added);
void mt_strtab_free(struct mt_strtab *t);

#endif
