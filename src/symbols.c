/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbolization with libdwfl from the recorded module list: each module is
 * reported at its load bias as an offline ELF file, so the target may be
 * gone.  libdwfl finds separate debug information by build-id and
 * .gnu_debuglink; debuginfod is never asked (a report must not depend on
 * the network).
 */
#include "config.h"
#include "symbols.h"
#include "util.h"

#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

struct mt_symbolizer {
	Dwfl *dwfl;
	const struct mt_modules *mods;
};

static char *debuginfo_path;

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

struct mt_symbolizer *mt_symbolizer_new(const struct mt_modules *mods)
{
	struct mt_symbolizer *sym = xcalloc(1, sizeof(*sym));

	unsetenv("DEBUGINFOD_URLS");
	sym->mods = mods;
	sym->dwfl = dwfl_begin(&offline_callbacks);
	if (!sym->dwfl)
		return sym;
	dwfl_report_begin(sym->dwfl);
	/* Newest first: where a range was reused (dlclose, dlopen), the module
	 * mapped last wins, and an overlapping older one is skipped. */
	for (size_t i = mods->n; i-- > 0;) {
		const struct mt_module *m = &mods->v[i];

		if (!dwfl_report_elf(sym->dwfl, m->path, m->path, -1, m->bias, false))
			debug_msg("symbols: skipping %s: %s", m->path, dwfl_errmsg(-1));
	}
	dwfl_report_end(sym->dwfl, NULL, NULL);
	return sym;
}

void mt_symbolizer_free(struct mt_symbolizer *sym)
{
	if (!sym)
		return;
	if (sym->dwfl)
		dwfl_end(sym->dwfl);
	free(sym);
}

void mt_frame_clear(struct mt_frame *f)
{
	free(f->function);
	free(f->file);
	free(f->module);
	memset(f, 0, sizeof(*f));
}

static void fill_source(Dwfl_Module *mod, uint64_t lookup, struct mt_frame *out)
{
	Dwfl_Line *line = dwfl_module_getsrc(mod, lookup);
	const char *file;
	int lineno = 0;

	if (!line)
		return;
	file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
	if (file)
		out->file = xstrdup(file);
	out->line = lineno > 0 ? (uint32_t)lineno : 0;
}

void mt_symbolize(struct mt_symbolizer *sym, uint64_t pc, bool is_return_address,
		  struct mt_frame *out)
{
	/* A return address belongs to the call before it. */
	uint64_t lookup = is_return_address && pc ? pc - 1 : pc;
	const struct mt_module *m = mt_modules_find(sym->mods, lookup);
	Dwfl_Module *mod;
	const char *name;

	memset(out, 0, sizeof(*out));
	out->address = pc;
	if (!m)
		return;
	out->module = xstrdup(m->path);
	out->offset = pc - m->bias;
	mod = sym->dwfl ? dwfl_addrmodule(sym->dwfl, lookup) : NULL;
	if (!mod)
		return;
	name = dwfl_module_addrname(mod, lookup);
	if (name)
		out->function = xstrdup(name);
	fill_source(mod, lookup, out);
}
