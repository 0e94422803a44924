/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building blocks of the hand-made profiles the report tests render. */
#ifndef MT_UNIT_PROFILE_H
#define MT_UNIT_PROFILE_H

#include <stdbool.h>
#include "profile.h"
#include "util.h"

/* A frame of a module loaded at base (module NULL: none), owning copies. */
static inline struct mt_frame frame(const char *fn, const char *file, uint32_t line,
				    const char *module, uint64_t base, uint64_t addr,
				    bool inlined)
{
	return (struct mt_frame){
		.function = fn ? xstrdup(fn) : NULL, .file = file ? xstrdup(file) : NULL,
		.line = line, .module = module ? xstrdup(module) : NULL,
		.address = addr, .offset = module ? addr - base : 0, .inlined = inlined,
	};
}

/* A site of nframes frames (to fill in) and no counts, appended to p. */
static inline struct mt_profile_site *add_site(struct mt_profile *p, const char *allocator,
					       uint32_t nframes)
{
	struct mt_profile_site *s;

	p->sites = xrealloc(p->sites, (p->nsites + 1) * sizeof(*p->sites));
	s = &p->sites[p->nsites++];
	*s = (struct mt_profile_site){ .allocator = xstrdup(allocator), .nframes = nframes };
	/* Never NULL, as mt_profile_build leaves it: a site is told apart by
	 * its frames pointer in the sort tests. */
	s->frames = xcalloc(nframes ? nframes : 1, sizeof(*s->frames));
	return s;
}

#endif
