/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Module maps of a traced process: /proc/PID/maps grouped into modules
 * (one per mapped ELF file), their load bias and build-id, and the function
 * symbols of a module's file (.symtab and .dynsym).
 */
#ifndef MT_MAPS_H
#define MT_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "modules.h"

struct mt_maparea {
	uint64_t start, end;
};

/*
 * Reads the file-backed executable modules of pid.  *mods receives n
 * modules (free with mt_maps_free), each with path, start/end over all of
 * its mappings, bias and build_id filled.  *gaps, when not NULL, receives
 * the mapped ranges of every mapping, sorted, for finding free space.
 * Returns 0 or -errno.
 */
int mt_maps_read(pid_t pid, struct mt_module **mods, size_t *n,
		 struct mt_maparea **areas, size_t *nareas);
void mt_maps_free(struct mt_module *mods, size_t n);

/* The [stack] mapping's top, or 0. */
uint64_t mt_maps_stack_top(pid_t pid);

/*
 * Calls fn for every defined function or data symbol of the ELF file at
 * path, from .symtab and .dynsym (duplicates possible).  value is the
 * symbol's link-time address.  Returns 0 or -errno (-ENOEXEC: not ELF).
 */
typedef void (*mt_sym_fn)(const char *name, uint64_t value, uint64_t size,
			  bool is_func, void *arg);
int mt_elf_symbols(const char *path, mt_sym_fn fn, void *arg);

#endif
