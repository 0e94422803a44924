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

struct mt_symbolizer *mt_symbolizer_new(const struct mt_modules *mods);
void mt_symbolizer_free(struct mt_symbolizer *sym);

/*
 * Fills *out (strings malloc'ed, owned by the caller; free with
 * mt_frame_clear) for the code address pc.  A return address is looked up at
 * pc - 1, so that the line is the one of the call.
 */
void mt_symbolize(struct mt_symbolizer *sym, uint64_t pc, bool is_return_address,
		  struct mt_frame *out);
void mt_frame_clear(struct mt_frame *f);

#endif
