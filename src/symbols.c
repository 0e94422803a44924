/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbolization with libdwfl from the recorded module list: each module is
 * reported at its load bias as an offline ELF file, so the target may be
 * gone.  libdwfl finds separate debug information by build-id and
 * .gnu_debuglink (and in --debug-dir); debuginfod is never asked, since a
 * report must not depend on the network.  Inlined functions come from the
 * DWARF scopes at the address (eu-addr2line -i does the same walk).
 */
#include "config.h"
#include "symbols.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <libiberty/demangle.h>
#include <stdlib.h>
#include <string.h>

struct mt_symbolizer {
	Dwfl *dwfl;
	Dwfl_Callbacks callbacks;
	char *debuginfo_path;
	const struct mt_modules *mods;
	Dwfl_Module **dwmods;	/* libdwfl's module for mods->v[i], or NULL */
	size_t n;		/* modules known when it was made */
	bool raw_names;
};

/* libdwfl's default search path: the binary's own directory (the empty
 * element), .debug beside it, /usr/lib/debug; --debug-dir goes first. */
#define DEFAULT_DEBUGINFO_PATH ":.debug:/usr/lib/debug"

struct mt_symbolizer *mt_symbolizer_new(const struct mt_modules *mods,
					const struct mt_symbolizer_opts *opts)
{
	struct mt_symbolizer *sym = xcalloc(1, sizeof(*sym));

	unsetenv("DEBUGINFOD_URLS");
	sym->mods = mods;
	sym->raw_names = opts && opts->raw_names;
	sym->debuginfo_path = opts && opts->debug_dir ?
			      xasprintf("%s:%s", opts->debug_dir, DEFAULT_DEBUGINFO_PATH) :
			      xstrdup(DEFAULT_DEBUGINFO_PATH);
	sym->callbacks = (Dwfl_Callbacks){
		.find_elf = dwfl_build_id_find_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = &sym->debuginfo_path,
	};
	sym->dwfl = dwfl_begin(&sym->callbacks);
	if (!sym->dwfl)
		return sym;
	/*
	 * Where a range was reused (dlclose, then dlopen of another library
	 * at the same place) libdwfl takes both modules, and dwfl_addrmodule
	 * may answer with either.  So an address is never looked up by range
	 * in libdwfl: mt_modules_find picks the module mapped last, as the
	 * frame's module says, and its own Dwfl_Module is used.  A file that
	 * cannot be read (deleted, not ELF) is skipped; its frames keep
	 * module+offset.  An ET_EXEC's recorded bias is 0, the base libdwfl
	 * wants for it.
	 */
	sym->n = mods->n;
	sym->dwmods = xcalloc(mods->n ? mods->n : 1, sizeof(*sym->dwmods));
	dwfl_report_begin(sym->dwfl);
	for (size_t i = 0; i < mods->n; i++) {
		const struct mt_module *m = &mods->v[i];

		sym->dwmods[i] = dwfl_report_elf(sym->dwfl, m->path, m->path, -1, m->bias, false);
		if (!sym->dwmods[i])
			debug_msg("symbols: skipping %s: %s", m->path, dwfl_errmsg(-1));
	}
	if (dwfl_report_end(sym->dwfl, NULL, NULL) != 0) {
		/* Cannot happen without callbacks; trust no module if it does. */
		memset(sym->dwmods, 0, sym->n * sizeof(*sym->dwmods));
	}
	return sym;
}

void mt_symbolizer_free(struct mt_symbolizer *sym)
{
	if (!sym)
		return;
	if (sym->dwfl)
		dwfl_end(sym->dwfl);
	free(sym->dwmods);
	free(sym->debuginfo_path);
	free(sym);
}

void mt_frame_clear(struct mt_frame *f)
{
	free(f->function);
	free(f->file);
	free(f->module);
	memset(f, 0, sizeof(*f));
}

char *mt_clean_name(const char *name, bool raw)
{
	char *base = xstrdup(name), *at = strchr(base, '@'), *dm;

	if (at && at != base)
		*at = '\0';	/* malloc@@GLIBC_2.2.5 */
	if (raw)
		return base;
	dm = cplus_demangle(base, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
	if (!dm)
		return base;
	free(base);
	return dm;
}

/* The name of a subprogram or inlined subroutine DIE, following its
 * abstract origin; the linkage name when there is one (it says which
 * overload or template instance), else the plain name. */
static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name;

	if ((dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) ||
	     dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr)) &&
	    (name = dwarf_formstring(&attr)))
		return name;
	if (dwarf_attr_integrate(die, DW_AT_name, &attr) && (name = dwarf_formstring(&attr)))
		return name;
	return NULL;
}

/* Where an inlined subroutine was called from: its DW_AT_call_file/line. */
static void call_site(Dwarf_Die *cudie, Dwarf_Die *inl, const char **file, uint32_t *line)
{
	Dwarf_Attribute attr;
	Dwarf_Word idx = 0, ln = 0;
	Dwarf_Files *files;
	size_t nfiles;

	*file = NULL;
	*line = 0;
	if (dwarf_attr(inl, DW_AT_call_file, &attr) && dwarf_formudata(&attr, &idx) == 0 &&
	    dwarf_getsrcfiles(cudie, &files, &nfiles) == 0 && idx < nfiles)
		*file = dwarf_filesrc(files, idx, NULL, NULL);
	if (dwarf_attr(inl, DW_AT_call_line, &attr) && dwarf_formudata(&attr, &ln) == 0)
		*line = (uint32_t)ln;
}

/*
 * A source file as a path that opens from anywhere (pprof -list, editors):
 * a relative name is relative to the unit's DW_AT_comp_dir.  A relative
 * comp_dir (-fdebug-prefix-map=...=.) gives nothing better to join.
 */
static char *source_path(Dwarf_Die *cudie, const char *file)
{
	Dwarf_Attribute attr;
	const char *dir = NULL;

	if (file[0] != '/' && dwarf_attr(cudie, DW_AT_comp_dir, &attr))
		dir = dwarf_formstring(&attr);
	if (!dir || dir[0] != '/')
		return xstrdup(file);
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	return xasprintf("%s/%s", dir, file);
}

struct frame_list {
	struct mt_frame *v;
	unsigned n, cap;
};

static struct mt_frame *push_frame(struct frame_list *fl, const struct mt_frame *base)
{
	size_t cap = fl->cap;
	struct mt_frame *f;

	fl->v = xgrow(fl->v, &cap, fl->n + 1, sizeof(*fl->v));
	fl->cap = (unsigned)cap;
	f = &fl->v[fl->n++];
	*f = *base;
	f->module = base->module ? xstrdup(base->module) : NULL;
	f->function = f->file = NULL;
	return f;
}

/*
 * Walks the scopes at the address, innermost first: each inlined
 * subroutine is a frame at the current line, and its call site becomes the
 * line of the frame around it.  Returns false when there is no DWARF.
 */
static bool inline_frames(struct mt_symbolizer *sym, Dwfl_Module *mod, uint64_t lookup,
			  const char *file, uint32_t line, const struct mt_frame *base,
			  struct frame_list *fl)
{
	Dwarf_Addr bias;
	Dwarf_Die *cudie = dwfl_module_addrdie(mod, lookup, &bias), *scopes = NULL, inner;
	int n = cudie ? dwarf_getscopes(cudie, lookup - bias, &scopes) : -1;

	if (n <= 0)
		return false;
	/* dwarf_getscopes goes from an inlined instance to the abstract tree;
	 * the physical nesting (what called what) comes from the DIE itself. */
	inner = scopes[0];
	free(scopes);
	scopes = NULL;
	n = dwarf_getscopes_die(&inner, &scopes);
	if (n <= 0)
		return false;
	for (int i = 0; i < n; i++) {
		int tag = dwarf_tag(&scopes[i]);
		const char *name;
		struct mt_frame *f;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		f = push_frame(fl, base);
		name = die_name(&scopes[i]);
		f->function = name ? mt_clean_name(name, sym->raw_names) : NULL;
		f->file = file ? source_path(cudie, file) : NULL;
		f->line = line;
		if (tag == DW_TAG_subprogram)
			break;
		f->inlined = true;
		call_site(cudie, &scopes[i], &file, &line);
	}
	free(scopes);
	return fl->n > 0;
}

unsigned mt_symbolize(struct mt_symbolizer *sym, uint64_t pc, bool is_return_address,
		      struct mt_frame **out)
{
	/* A return address belongs to the call before it. */
	uint64_t lookup = is_return_address && pc ? pc - 1 : pc;
	const struct mt_module *m = mt_modules_find(sym->mods, lookup);
	struct mt_frame base = { .address = pc };
	struct frame_list fl = { 0 };
	Dwfl_Module *mod = NULL;
	const char *file = NULL, *elfname = NULL;
	uint32_t line = 0;

	if (m) {
		size_t idx = (size_t)(m - sym->mods->v);

		base.module = (char *)m->path;
		base.offset = pc - m->bias;
		mod = idx < sym->n ? sym->dwmods[idx] : NULL;
	}
	if (mod) {
		Dwfl_Line *dl = dwfl_module_getsrc(mod, lookup);
		int lineno = 0;

		if (dl && (file = dwfl_lineinfo(dl, NULL, &lineno, NULL, NULL, NULL)))
			line = lineno > 0 ? (uint32_t)lineno : 0;
		elfname = dwfl_module_addrname(mod, lookup);
	}
	if (!mod || !inline_frames(sym, mod, lookup, file, line, &base, &fl)) {
		/* No DWARF scope holds the address (startup code, assembly): a
		 * line-table row found for it would belong to its neighbour. */
		push_frame(&fl, &base);
	}
	/*
	 * The outermost frame is a real function.  Its DWARF name wins: the
	 * ELF symbol of a split or cloned part is "parse.cold" or
	 * "parse.constprop.0", which is not what the source (or gdb) calls
	 * it, and would split one function in two in the functions table
	 * and in --wrapper matching.  Without DWARF the symbol is all there is.
	 */
	if (elfname && !fl.v[fl.n - 1].function)
		fl.v[fl.n - 1].function = mt_clean_name(elfname, sym->raw_names);
	*out = fl.v;
	return fl.n;
}
