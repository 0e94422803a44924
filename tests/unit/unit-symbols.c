/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbolization of this test's own code, read back from its file as after
 * a run: function, file and line of a call (from its return address) and
 * of a function's entry, an inlined function as a frame of its own, a
 * library function without debug info, an address in no module, a module
 * whose file is gone, a reused range, names cleaned (version suffix,
 * demangling); then a whole profile built from accounting tables whose
 * stacks are real return addresses of this program.
 *
 * The functions below are noinline and end with an empty asm so that each
 * call stays a call (no tail call), at the line recorded beside it.
 */
#include "config.h"
#include "acct.h"
#include "kinds.h"
#include "maps.h"
#include "profile.h"
#include "symbols.h"
#include "util.h"
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

static int call_line;		/* the line in caller() that calls where() */
static int main_call_line;	/* the line in main() that calls caller() */
static void *caller_ret;	/* where caller() returns to, in main() */
static int helper_call_line;	/* the line in helper() that calls where() */
static int outer_use_line;	/* the line in outer() where helper() is inlined */

__attribute__((noinline)) static void *where(void)
{
	__asm__ volatile("" ::: "memory");
	return __builtin_return_address(0);
}

static const int caller_def_line = __LINE__ + 1;
__attribute__((noinline)) static void *caller(void)
{
	void *ret;

	caller_ret = __builtin_return_address(0);
	call_line = __LINE__ + 1;
	ret = where();
	__asm__ volatile("" ::: "memory");	/* keep the call a call */
	return ret;
}

static inline __attribute__((always_inline)) void *helper(void)
{
	helper_call_line = __LINE__ + 1;
	return where();
}

__attribute__((noinline)) static void *outer(void)
{
	void *ret;

	outer_use_line = __LINE__ + 1;
	ret = helper();
	__asm__ volatile("" ::: "memory");
	return ret;
}

static void free_frames(struct mt_frame *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		mt_frame_clear(&f[i]);
	free(f);
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

static void add_modules(struct mt_modules *mods)
{
	struct mt_module *v;
	size_t n;

	CHECK(mt_maps_read(getpid(), &v, &n, NULL, NULL) == 0);
	for (size_t i = 0; i < n; i++)
		mt_modules_add(mods, &v[i]);
	mt_maps_free(v, n);
}

/* The link-time address of the executable's first PT_LOAD, page aligned. */
static bool first_load_vaddr(const char *path, uint64_t *vaddr)
{
	int fd = open(path, O_RDONLY);
	Elf *elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	size_t nph = 0;
	bool found = false;

	if (elf && elf_getphdrnum(elf, &nph) == 0) {
		for (size_t i = 0; i < nph && !found; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD) {
				*vaddr = ph.p_vaddr & ~(uint64_t)(sysconf(_SC_PAGESIZE) - 1);
				found = true;
			}
		}
	}
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	return found;
}

/*
 * The executable's module from /proc/self/maps by hand, independently of
 * maps.c: its mappings' range, and as bias the start of the mapping at file
 * offset 0 minus the first PT_LOAD's page-aligned address (0 for PIE).
 */
static bool self_module(struct mt_module *m, char *exe, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", exe, len - 1);
	FILE *f = fopen("/proc/self/maps", "r");
	char line[PATH_MAX + 128];
	uint64_t off0 = 0, vaddr = 0;
	bool have_off0 = false;

	if (n <= 0 || !f) {
		if (f)
			fclose(f);
		return false;
	}
	exe[n] = '\0';
	*m = (struct mt_module){ .path = exe, .start = UINT64_MAX };
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end, off;
		int path_at = 0;
		char *path, *nl;

		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &start, &end, &off, &path_at) < 3 ||
		    !path_at)
			continue;
		path = line + path_at;
		if ((nl = strchr(path, '\n')))
			*nl = '\0';
		if (strcmp(path, exe) != 0)
			continue;
		if (start < m->start)
			m->start = start;
		if (end > m->end)
			m->end = end;
		if (off == 0 && !have_off0) {
			off0 = start;
			have_off0 = true;
		}
	}
	fclose(f);
	if (!have_off0 || !first_load_vaddr(exe, &vaddr))
		return false;
	m->bias = off0 - vaddr;
	return true;
}

/* A call, from its return address: the caller at the line of the call. */
static void check_call(struct mt_symbolizer *sym, uint64_t ret, const char *fn, int line)
{
	struct mt_frame *f;
	unsigned n = mt_symbolize(sym, ret, true, &f);

	CHECK(n >= 1);
	CHECK_STREQ(f[n - 1].function, fn);
	CHECK_STREQ(base_name(f[n - 1].file), "unit-symbols.c");
	CHECK_EQ_U64(f[n - 1].line, line);
	CHECK_STREQ(base_name(f[n - 1].module), base_name(program_invocation_name));
	CHECK(!f[n - 1].inlined);
	for (unsigned i = 0; i < n; i++)
		CHECK_EQ_U64(f[i].address, ret);
	free_frames(f, n);
}

static void test_self(struct mt_symbolizer *sym, const struct mt_modules *mods, uint64_t ret)
{
	const struct mt_module *m = mt_modules_find(mods, ret - 1);
	struct mt_frame *f;
	unsigned n;

	check_call(sym, ret, "caller", call_line);
	check_call(sym, (uint64_t)(uintptr_t)caller_ret, "main", main_call_line);

	/* The offset is the address in the file's own terms. */
	n = mt_symbolize(sym, ret, true, &f);
	CHECK(m != NULL);
	if (m)
		CHECK_EQ_U64(f[n - 1].offset, ret - m->bias);
	free_frames(f, n);

	/*
	 * A function's entry is an exact PC: no pc - 1, which would land in
	 * the function before it.  Its line is the first statement the
	 * optimiser put there, somewhere from the definition to the call.
	 */
	n = mt_symbolize(sym, (uint64_t)(uintptr_t)&caller, false, &f);
	CHECK_EQ_U64(n, 1);
	CHECK_STREQ(f[0].function, "caller");
	CHECK(f[0].line >= (uint32_t)caller_def_line && f[0].line <= (uint32_t)call_line);
	free_frames(f, n);

	/* An inlined function is a frame of its own, inside its caller. */
	ret = (uint64_t)(uintptr_t)outer();
	n = mt_symbolize(sym, ret, true, &f);
	CHECK_EQ_U64(n, 2);
	if (n == 2) {
		CHECK_STREQ(f[0].function, "helper");
		CHECK_EQ_U64(f[0].line, helper_call_line);
		CHECK(f[0].inlined);
		CHECK_STREQ(f[1].function, "outer");
		CHECK_EQ_U64(f[1].line, outer_use_line);
		CHECK(!f[1].inlined);
	}
	free_frames(f, n);
}

/* The executable's module alone, built by hand. */
static void test_hand_module(const struct mt_modules *all, uint64_t ret)
{
	struct mt_modules mods = { 0 };
	struct mt_module m;
	const struct mt_module *found = mt_modules_find(all, ret - 1);
	struct mt_symbolizer *sym;
	char exe[PATH_MAX];

	if (!self_module(&m, exe, sizeof(exe))) {
		fputs("cannot read this program's own mapping\n", stderr);
		unit_failures++;
		return;
	}
	if (found) {
		CHECK_EQ_U64(m.bias, found->bias);
		CHECK_EQ_U64(m.start, found->start);
	}
	mt_modules_add(&mods, &m);
	sym = mt_symbolizer_new(&mods, NULL);
	check_call(sym, ret, "caller", call_line);
	mt_symbolizer_free(sym);
	mt_modules_destroy(&mods);
}

static void test_degraded(struct mt_symbolizer *sym, const struct mt_modules *all, uint64_t ret)
{
	const struct mt_module *exe = mt_modules_find(all, ret - 1);
	struct mt_modules mods = { 0 };
	struct mt_symbolizer *reused;
	struct mt_module gone;
	struct mt_frame *f;
	unsigned n;

	/* libc: a symbol from .dynsym even without its debug information. */
	n = mt_symbolize(sym, (uint64_t)(uintptr_t)&getpid, false, &f);
	CHECK(f[n - 1].function && strstr(f[n - 1].function, "getpid"));
	CHECK(f[n - 1].module && strstr(f[n - 1].module, "libc.so"));
	free_frames(f, n);

	/* No module: only the address. */
	n = mt_symbolize(sym, 0x10, true, &f);
	CHECK_EQ_U64(n, 1);
	CHECK(!f[0].function && !f[0].file && !f[0].module && !f[0].inlined);
	CHECK_EQ_U64(f[0].line, 0);
	CHECK_EQ_U64(f[0].offset, 0);
	CHECK_EQ_U64(f[0].address, 0x10);
	free_frames(f, n);

	if (!exe)
		return;
	/*
	 * A file gone since the run, over the executable's range and mapped
	 * after it (a dlopen into a reused range): the newer module names the
	 * frame, with module+offset only; nothing of the older one leaks in.
	 */
	mt_modules_add(&mods, exe);
	gone = (struct mt_module){ .path = "/nonexistent/libgone.so", .start = exe->start,
				   .end = exe->end, .bias = exe->bias };
	mt_modules_add(&mods, &gone);
	reused = mt_symbolizer_new(&mods, NULL);
	n = mt_symbolize(reused, ret, true, &f);
	CHECK_EQ_U64(n, 1);
	CHECK_STREQ(f[0].module, "/nonexistent/libgone.so");
	CHECK(!f[0].function && !f[0].file);
	CHECK_EQ_U64(f[0].offset, ret - exe->bias);
	free_frames(f, n);
	mt_symbolizer_free(reused);
	mt_modules_destroy(&mods);
}

static void test_names(void)
{
	char *name;

	name = mt_clean_name("malloc@@GLIBC_2.2.5", false);
	CHECK_STREQ(name, "malloc");
	free(name);
	name = mt_clean_name("memcpy@GLIBC_2.2.5", true);
	CHECK_STREQ(name, "memcpy");
	free(name);
	name = mt_clean_name("_ZN3foo3barEv", false);
	CHECK_STREQ(name, "foo::bar()");
	free(name);
	name = mt_clean_name("_ZN3foo3barEv", true);
	CHECK_STREQ(name, "_ZN3foo3barEv");
	free(name);
	name = mt_clean_name("_ZN4core3fmt5write17h0123456789abcdefE", false);
	CHECK_STREQ(name, "core::fmt::write");
	free(name);
	name = mt_clean_name("plain_c", false);
	CHECK_STREQ(name, "plain_c");
	free(name);
}

static const struct mt_profile_site *find_site(const struct mt_profile *p, const char *allocator)
{
	for (size_t i = 0; i < p->nsites; i++)
		if (strcmp(p->sites[i].allocator, allocator) == 0)
			return &p->sites[i];
	fprintf(stderr, "no %s site in the profile\n", allocator);
	unit_failures++;
	return NULL;
}

static bool same_frame(const struct mt_frame *a, const struct mt_frame *b)
{
	return a->line == b->line && a->address == b->address && a->offset == b->offset &&
	       a->inlined == b->inlined && a->function && b->function &&
	       strcmp(a->function, b->function) == 0 && a->function != b->function &&
	       a->file && b->file && strcmp(a->file, b->file) == 0 &&
	       a->module && b->module && strcmp(a->module, b->module) == 0;
}

static void test_profile(const struct mt_modules *mods, uint64_t ret)
{
	uint64_t main_ret = (uint64_t)(uintptr_t)caller_ret;
	uint64_t in_caller[2] = { ret, main_ret }, in_main[1] = { main_ret }, nowhere = 0x10;
	char *wrappers[] = { "caller", NULL };
	struct mt_profile_opts opts = { .wrappers = wrappers };
	struct mt_thread_acct thr = { .tid = 1 };
	const struct mt_profile_site *s;
	struct mt_profile *p;
	struct mt_acct acct;
	uint32_t a, b, c, d;

	mt_acct_init(&acct, 8, 0);
	a = mt_aggtab_intern(acct.sites, MT_KIND_MALLOC, in_caller, 2, 0);
	b = mt_aggtab_intern(acct.sites, MT_KIND_NEW, in_main, 1, MT_SITE_F_TRUNCATED);
	c = mt_aggtab_intern(acct.sites, MT_KIND_CALLOC, in_caller, 2, 0);
	d = mt_aggtab_intern(acct.sites, MT_KIND_REALLOC, &nowhere, 1, 0);
	mt_acct_alloc(&acct, &thr, a, 0x1000, 100);
	mt_acct_alloc(&acct, &thr, a, 0x2000, 50);
	CHECK(mt_acct_free(&acct, &thr, 0x1000));
	mt_acct_alloc(&acct, &thr, b, 0x3000, 30);
	mt_acct_failed(&acct, d);
	(void)c;	/* interned, never used: not in the profile */

	p = mt_profile_build(&acct, mods, NULL);
	CHECK_EQ_U64(p->nsites, 3);
	CHECK_STREQ(p->engine, "int3");
	CHECK(memcmp(&p->totals, &acct.totals, sizeof(p->totals)) == 0);
	CHECK_EQ_U64(p->nmodules, mods->n);
	for (size_t i = 0; i < p->nmodules && i < mods->n; i++) {
		CHECK_STREQ(p->modules[i].path, mods->v[i].path);
		CHECK(p->modules[i].path != mods->v[i].path);
		CHECK_EQ_U64(p->modules[i].bias, mods->v[i].bias);
	}
	for (size_t i = 0; i < p->nsites; i++) {
		CHECK(strcmp(p->sites[i].allocator, "calloc") != 0);
		CHECK(!p->sites[i].overflow);
		CHECK_EQ_U64(p->sites[i].site_frame, 0);
	}
	if ((s = find_site(p, "malloc"))) {
		CHECK_EQ_U64(s->c.allocs, 2);
		CHECK_EQ_U64(s->c.alloc_bytes, 150);
		CHECK_EQ_U64(s->c.frees, 1);
		CHECK_EQ_U64(s->c.live_bytes, 50);
		CHECK(!s->truncated);
		CHECK_EQ_U64(s->nframes, 2);
		if (s->nframes == 2) {
			CHECK_STREQ(s->frames[0].function, "caller");
			CHECK_EQ_U64(s->frames[0].line, call_line);
			CHECK_STREQ(s->frames[1].function, "main");
			CHECK_EQ_U64(s->frames[1].line, main_call_line);
		}
	}
	if ((s = find_site(p, "new"))) {
		const struct mt_profile_site *m = find_site(p, "malloc");

		CHECK(s->truncated);
		CHECK_EQ_U64(s->nframes, 1);
		/* One PC in two stacks: the same frame, each site its own copy. */
		if (m && m->nframes == 2 && s->nframes == 1)
			CHECK(same_frame(&s->frames[0], &m->frames[1]));
	}
	if ((s = find_site(p, "realloc"))) {
		CHECK_EQ_U64(s->c.allocs, 0);
		CHECK_EQ_U64(s->c.failed_allocs, 1);
		CHECK_EQ_U64(s->nframes, 1);
		if (s->nframes == 1)
			CHECK(!s->frames[0].function && !s->frames[0].module &&
			      s->frames[0].address == 0x10);
	}
	mt_profile_free(p);

	/* A wrapper glob moves the shown frame past it. */
	p = mt_profile_build(&acct, mods, &opts);
	if ((s = find_site(p, "malloc")))
		CHECK_EQ_U64(s->site_frame, 1);
	mt_profile_free(p);
	mt_acct_destroy(&acct);

	/* A full table: the overflow site shows, once it has seen events. */
	mt_acct_init(&acct, 2, 0);
	a = mt_aggtab_intern(acct.sites, MT_KIND_MALLOC, in_caller, 2, 0);
	b = mt_aggtab_intern(acct.sites, MT_KIND_MALLOC, in_main, 1, 0);
	CHECK_EQ_U64(b, MT_SITE_OVERFLOW);
	mt_acct_alloc(&acct, &thr, a, 0x1000, 10);
	p = mt_profile_build(&acct, mods, NULL);
	CHECK_EQ_U64(p->nsites, 1);
	mt_profile_free(p);
	mt_acct_alloc(&acct, &thr, b, 0x2000, 20);
	p = mt_profile_build(&acct, mods, NULL);
	CHECK_EQ_U64(p->nsites, 2);
	if ((s = find_site(p, "overflow"))) {
		CHECK(s->overflow);
		CHECK_EQ_U64(s->nframes, 0);
		CHECK_EQ_U64(s->c.alloc_bytes, 20);
	}
	CHECK_EQ_U64(p->totals.overflow_events, 1);
	mt_profile_free(p);
	mt_acct_destroy(&acct);
}

int main(void)
{
	struct mt_modules mods = { 0 };
	struct mt_symbolizer *sym;
	uint64_t ret;
	void *r;

	elf_version(EV_CURRENT);
	main_call_line = __LINE__ + 1;
	r = caller();
	__asm__ volatile("" ::: "memory");
	ret = (uint64_t)(uintptr_t)r;

	add_modules(&mods);
	sym = mt_symbolizer_new(&mods, NULL);
	test_self(sym, &mods, ret);
	test_degraded(sym, &mods, ret);
	mt_symbolizer_free(sym);
	test_hand_module(&mods, ret);
	test_names();
	test_profile(&mods, ret);
	mt_modules_destroy(&mods);
	return UNIT_DONE();
}
