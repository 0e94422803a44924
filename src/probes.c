/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "probes.h"
#include "kinds.h"
#include "maps.h"
#include "proc.h"
#include "retsite.h"
#include "tracer.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <link.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Every name an allocator entry point is known by.  Aliases resolve to one
 * address and share one breakpoint; the first kind planted names it. */
static const struct {
	const char *name;
	enum mt_kind kind;
} allocator_names[] = {
	{ "malloc", MT_KIND_MALLOC },
	{ "__libc_malloc", MT_KIND_MALLOC },
	{ "calloc", MT_KIND_CALLOC },
	{ "__libc_calloc", MT_KIND_CALLOC },
	{ "realloc", MT_KIND_REALLOC },
	{ "__libc_realloc", MT_KIND_REALLOC },
	{ "reallocarray", MT_KIND_REALLOCARRAY },
	{ "posix_memalign", MT_KIND_POSIX_MEMALIGN },
	{ "memalign", MT_KIND_MEMALIGN },
	{ "__libc_memalign", MT_KIND_MEMALIGN },
	{ "aligned_alloc", MT_KIND_ALIGNED_ALLOC },
	{ "valloc", MT_KIND_VALLOC },
	{ "__libc_valloc", MT_KIND_VALLOC },
	{ "pvalloc", MT_KIND_PVALLOC },
	{ "__libc_pvalloc", MT_KIND_PVALLOC },
	{ "_Znwm", MT_KIND_NEW },
	{ "_ZnwmRKSt9nothrow_t", MT_KIND_NEW },
	{ "_ZnwmSt11align_val_t", MT_KIND_NEW },
	{ "_ZnwmSt11align_val_tRKSt9nothrow_t", MT_KIND_NEW },
	{ "_Znam", MT_KIND_NEW_ARRAY },
	{ "_ZnamRKSt9nothrow_t", MT_KIND_NEW_ARRAY },
	{ "_ZnamSt11align_val_t", MT_KIND_NEW_ARRAY },
	{ "_ZnamSt11align_val_tRKSt9nothrow_t", MT_KIND_NEW_ARRAY },
	{ "free", MT_KIND_FREE },
	{ "__libc_free", MT_KIND_FREE },
	{ "cfree", MT_KIND_FREE },
	{ "_ZdlPv", MT_KIND_DELETE },
	{ "_ZdlPvm", MT_KIND_DELETE },
	{ "_ZdlPvRKSt9nothrow_t", MT_KIND_DELETE },
	{ "_ZdlPvSt11align_val_t", MT_KIND_DELETE },
	{ "_ZdlPvmSt11align_val_t", MT_KIND_DELETE },
	{ "_ZdlPvSt11align_val_tRKSt9nothrow_t", MT_KIND_DELETE },
	{ "_ZdaPv", MT_KIND_DELETE_ARRAY },
	{ "_ZdaPvm", MT_KIND_DELETE_ARRAY },
	{ "_ZdaPvRKSt9nothrow_t", MT_KIND_DELETE_ARRAY },
	{ "_ZdaPvSt11align_val_t", MT_KIND_DELETE_ARRAY },
	{ "_ZdaPvmSt11align_val_t", MT_KIND_DELETE_ARRAY },
	{ "_ZdaPvSt11align_val_tRKSt9nothrow_t", MT_KIND_DELETE_ARRAY },
};

static int allocator_kind(const char *name)
{
	/* Cheap reject first: big programs have hundreds of thousands of symbols. */
	if (!strchr("mcrpafv_", name[0]))
		return -1;
	for (size_t i = 0; i < MT_ARRAY_SIZE(allocator_names); i++)
		if (strcmp(allocator_names[i].name, name) == 0)
			return (int)allocator_names[i].kind;
	return -1;
}

/* A function found in a module's symbols, to be probed. */
struct found_fn {
	uint64_t addr, size;
	unsigned kind;		/* enum mt_kind, or a custom kind; phase: its stats index */
	unsigned roles;		/* MT_BP_ENTRY, MT_BP_PHASE or MT_BP_MARKER */
};

struct scan_ctx {
	const struct mt_module *mod;
	const struct mt_options *opts;
	struct mt_tracer *tracer;
	struct mt_proc *proc;
	struct found_fn *fns;
	size_t n, cap;
	uint64_t dl_debug_state, r_debug;
};

static void add_found_as(struct scan_ctx *c, uint64_t addr, uint64_t size, unsigned kind,
			 unsigned roles)
{
	c->fns = xgrow(c->fns, &c->cap, c->n + 1, sizeof(*c->fns));
	c->fns[c->n++] = (struct found_fn){ addr, size, kind, roles };
}

static void add_found(struct scan_ctx *c, uint64_t addr, uint64_t size, unsigned kind)
{
	add_found_as(c, addr, size, kind, MT_BP_ENTRY);
}

/*
 * Whether a symbol is the function fn or a copy GCC made of it for callers
 * in its unit (fn.isra.0, fn.constprop.1, fn.part.0): entering one is
 * entering fn.  A .cold part is not: it is jumped to, never called.
 */
static bool is_function_or_clone(const char *sym, const char *fn)
{
	size_t len = strlen(fn);

	if (strncmp(sym, fn, len) != 0)
		return false;
	if (!sym[len])
		return true;
	return sym[len] == '.' && !strstr(sym + len, ".cold");
}

/* --phase functions and the markers of memtracer.h. */
static bool phase_symbol(struct scan_ctx *c, const char *name, uint64_t addr)
{
	if (strncmp(name, "memtracer_phase_", 16) == 0) {
		if (strcmp(name + 16, "begin") == 0 || strcmp(name + 16, "end") == 0) {
			add_found_as(c, addr, 0, name[16] == 'e', MT_BP_MARKER);
			return true;
		}
	}
	for (size_t i = 0; i < c->opts->nphases; i++)
		if (is_function_or_clone(name, c->opts->phases[i])) {
			add_found_as(c, addr, 0, mt_phases_stat(&c->proc->phases, name), MT_BP_PHASE);
			c->tracer->phase_matched[i] = true;
			return true;
		}
	return false;
}

static void on_symbol(const char *name, uint64_t value, uint64_t size, bool is_func, void *arg)
{
	struct scan_ctx *c = arg;
	int kind;

	if (!is_func) {
		if (strcmp(name, "_r_debug") == 0)
			c->r_debug = c->mod->bias + value;
		return;
	}
	if (strcmp(name, "_dl_debug_state") == 0) {
		c->dl_debug_state = c->mod->bias + value;
		return;
	}
	if ((name[0] == 'm' || c->opts->nphases) && phase_symbol(c, name, c->mod->bias + value))
		return;
	kind = allocator_kind(name);
	if (kind >= 0) {
		add_found(c, c->mod->bias + value, size, (enum mt_kind)kind);
		return;
	}
	for (size_t i = 0; i < c->opts->nalloc_fns; i++) {
		const struct mt_alloc_fn *fn = &c->opts->alloc_fns[i];

		if (fn->symbol && strcmp(fn->symbol, name) == 0) {
			add_found(c, c->mod->bias + value, size, (enum mt_kind)fn->kind);
			c->tracer->alloc_fn_matched[i] = true;
		}
	}
}

/* Whether addr is in an executable mapping of the process (its code). */
static bool in_code(pid_t pid, uint64_t addr)
{
	char path[64], line[4352], perms[8];
	uint64_t start, end;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s", &start, &end, perms) == 3 &&
			perms[2] == 'x' && addr >= start && addr < end;
	fclose(f);
	return found;
}

/*
 * --alloc-fn KIND=0xADDRESS: addresses in the executable, as its (unstripped)
 * symbol table had them.  An address outside its code is the user's
 * mistake, said once.
 */
static void add_addresses(struct scan_ctx *c, pid_t pid)
{
	for (size_t i = 0; i < c->opts->nalloc_fns; i++) {
		const struct mt_alloc_fn *fn = &c->opts->alloc_fns[i];
		uint64_t addr = c->mod->bias + fn->addr;

		if (fn->symbol)
			continue;
		if (addr < c->mod->start || addr >= c->mod->end || !in_code(pid, addr)) {
			error_msg("--alloc-fn %s=0x%lx: not an address in the code of %s: take it "
				  "from 'nm' of the same build", mt_kind_name(fn->kind),
				  (unsigned long)fn->addr, c->mod->path);
			c->tracer->alloc_fn_errors++;
			continue;
		}
		add_found(c, addr, 0, (enum mt_kind)fn->kind);
		c->tracer->alloc_fn_matched[i] = true;
	}
}

static int cmp_found(const void *a, const void *b)
{
	const struct found_fn *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->kind - (int)y->kind;	/* the first kind names an alias */
}

static int cmp_range(const void *a, const void *b)
{
	const struct mt_hooked_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void add_hooked(struct mt_proc *proc, uint64_t start, uint64_t size)
{
	proc->hooked = xgrow(proc->hooked, &proc->caphooked, proc->nhooked + 1,
			     sizeof(*proc->hooked));
	proc->hooked[proc->nhooked++] = (struct mt_hooked_range){ start, start + (size ? size : 1) };
}

bool mt_probes_inside_allocator(const struct mt_proc *proc, uint64_t addr)
{
	size_t lo = 0, hi = proc->nhooked;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (proc->hooked[mid].end <= addr)
			lo = mid + 1;
		else if (proc->hooked[mid].start > addr)
			hi = mid;
		else
			return true;
	}
	return false;
}

static void probe_module(struct mt_proc *proc, pid_t tid, const struct mt_module *mod,
			 bool is_exe)
{
	struct scan_ctx c = { .mod = mod, .opts = proc->tracer->opts, .tracer = proc->tracer,
			      .proc = proc };
	int err;

	mt_modules_add(&proc->modules, mod);
	/* A stripped file has no symbols, and may still be named by address. */
	if (mt_elf_symbols(mod->path, on_symbol, &c) < 0 && !is_exe)
		return;
	if (is_exe)
		add_addresses(&c, proc->pid);
	if (c.n)	/* c.fns is NULL when the module has no allocator */
		qsort(c.fns, c.n, sizeof(*c.fns), cmp_found);
	for (size_t i = 0; i < c.n; i++) {
		if (i > 0 && c.fns[i].addr == c.fns[i - 1].addr)
			continue;	/* an alias of the previous one */
		err = mt_bp_plant(proc, tid, c.fns[i].addr, c.fns[i].roles, c.fns[i].kind, NULL);
		if (err) {
			debug_msg("cannot probe %s at %#lx in %s: %s", mt_kind_name(c.fns[i].kind),
				  (unsigned long)c.fns[i].addr, mod->path, strerror(-err));
			continue;
		}
		if (c.fns[i].roles != MT_BP_ENTRY) {
			debug_msg("phase probe at %#lx in %s", (unsigned long)c.fns[i].addr, mod->path);
			continue;
		}
		add_hooked(proc, c.fns[i].addr, c.fns[i].size);
		proc->allocators++;
		debug_msg("probe %s at %#lx in %s", mt_kind_name(c.fns[i].kind),
			  (unsigned long)c.fns[i].addr, mod->path);
	}
	if (c.dl_debug_state && c.r_debug &&
	    mt_bp_plant(proc, tid, c.dl_debug_state, MT_BP_RENDEZVOUS, 0, NULL) == 0)
		proc->r_debug = c.r_debug;
	free(c.fns);
	if (proc->nhooked)
		qsort(proc->hooked, proc->nhooked, sizeof(*proc->hooked), cmp_range);
}

static bool same_module(const struct mt_module *a, const struct mt_module *b)
{
	return a->start == b->start && strcmp(a->path, b->path) == 0;
}

/* A module unmapped since the last scan: its breakpoints and ranges go. */
static void forget_module(struct mt_proc *proc, const struct mt_module *m)
{
	size_t kept = 0;

	mt_bp_forget_range(proc, m->start, m->end);
	for (size_t i = 0; i < proc->nhooked; i++)
		if (proc->hooked[i].start < m->start || proc->hooked[i].start >= m->end)
			proc->hooked[kept++] = proc->hooked[i];
	proc->nhooked = kept;
}

int mt_probes_scan(struct mt_proc *proc, pid_t tid)
{
	struct mt_tracer *t = proc->tracer;
	struct mt_module *mods;
	size_t n, kept = 0;
	bool changed = false;
	int err = mt_maps_read(proc->pid, &mods, &n, NULL, NULL);
	char link[64], exe[4096];
	ssize_t len;

	if (err)
		return err;
	/* The executable, which --alloc-fn addresses refer to. */
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)proc->pid);
	len = readlink(link, exe, sizeof(exe) - 1);
	exe[len > 0 ? len : 0] = '\0';
	for (size_t i = 0; i < proc->nscanned; i++) {
		bool present = false;

		for (size_t j = 0; j < n && !present; j++)
			present = same_module(&proc->scanned[i], &mods[j]);
		if (present) {
			proc->scanned[kept++] = proc->scanned[i];
			continue;
		}
		forget_module(proc, &proc->scanned[i]);
		changed = true;
		free(proc->scanned[i].path);
		free(proc->scanned[i].build_id);
	}
	proc->nscanned = kept;
	for (size_t j = 0; j < n; j++) {
		bool known = false;

		for (size_t i = 0; i < proc->nscanned && !known; i++)
			known = same_module(&proc->scanned[i], &mods[j]);
		if (known)
			continue;
		probe_module(proc, tid, &mods[j], strcmp(exe, mods[j].path) == 0);
		changed = true;
		proc->scanned = xgrow(proc->scanned, &proc->capscanned, proc->nscanned + 1,
				      sizeof(*proc->scanned));
		proc->scanned[proc->nscanned++] = mods[j];
		mods[j].path = NULL;
		mods[j].build_id = NULL;
	}
	mt_maps_free(mods, n);
	if (changed)
		t->unwinder->maps_changed(t->unwind_ctx, proc->pid);
	return 0;
}

bool mt_probes_rendezvous(struct mt_proc *proc, pid_t tid)
{
	int state;

	/* Between RT_ADD/RT_DELETE and RT_CONSISTENT the map is in flux. */
	if (mt_mem_read_exact(proc->pid, proc->r_debug + offsetof(struct r_debug, r_state),
			      &state, sizeof(state)) < 0 || state != RT_CONSISTENT)
		return false;
	mt_probes_scan(proc, tid);
	return true;
}
