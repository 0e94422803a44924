/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The modules (executable, shared libraries) seen mapped in the target during
 * the run.  Recorded as they appear, never dropped, so addresses can be
 * symbolized at the end, after the target has exited or unloaded them.
 */
#ifndef MT_MODULES_H
#define MT_MODULES_H

#include <stddef.h>
#include <stdint.h>

struct mt_module {
	char *path;		/* file path as mapped */
	uint64_t start, end;	/* address range of its mappings */
	uint64_t bias;		/* load address minus link-time address */
	char *build_id;		/* lowercase hex, or NULL */
};

struct mt_modules {
	struct mt_module *v;
	size_t n, cap;
};

/* Adds a copy of m unless a module with the same path and start is known.
 * Returns its index. */
size_t mt_modules_add(struct mt_modules *mods, const struct mt_module *m);
/* The most recently added module whose range holds addr, or NULL. */
const struct mt_module *mt_modules_find(const struct mt_modules *mods, uint64_t addr);
void mt_modules_destroy(struct mt_modules *mods);

#endif
