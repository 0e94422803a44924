/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbolization with libdwfl, once, at the end of a run: function, source file
 * and line, module.  Works from the recorded module list alone, so the target
 * may be gone.  Missing debug information degrades a frame to module+offset;
 * it never fails the report.
 */
#ifndef MT_SYMBOLS_H
#define MT_SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>
#include "modules.h"
#include "profile.h"

struct mt_symbolizer;

struct mt_symbolizer_opts {
	bool raw_names;		/* --no-demangle: keep C++/Rust names mangled */
	const char *debug_dir;	/* --debug-dir: searched before the defaults, or NULL */
};

struct mt_symbolizer *mt_symbolizer_new(const struct mt_modules *mods,
					const struct mt_symbolizer_opts *opts);
void mt_symbolizer_free(struct mt_symbolizer *sym);

/*
 * The frames of code address pc, innermost first: one per function inlined
 * at pc (inlined = true, at the line inside it), then the function that
 * holds pc, at the line of the call it inlined or of pc itself.  A return
 * address is looked up at pc - 1, so that the line is the one of the call.
 * Returns the number of frames (at least 1) in *out, a malloc'ed array whose
 * strings the caller frees with mt_frame_clear.  Every frame keeps pc as its
 * address.
 */
unsigned mt_symbolize(struct mt_symbolizer *sym, uint64_t pc, bool is_return_address,
		      struct mt_frame **out);
void mt_frame_clear(struct mt_frame *f);

/* A symbol name as reports show it: version suffix ("@@GLIBC_2.34") dropped,
 * C++ and Rust names demangled unless raw.  Returns a malloc'ed string. */
char *mt_clean_name(const char *name, bool raw);

#endif
