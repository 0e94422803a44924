/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbolization of this test's own code, read back from its file as after
 * a run: function, file and line of a call (from its return address), a
 * library function without debug info, an address in no module, and names
 * cleaned (version suffix, demangling).
 */
#include "config.h"
#include "maps.h"
#include "symbols.h"
#include "util.h"
#include "unit.h"

#include <gelf.h>
#include <stdlib.h>
#include <unistd.h>

static int call_line;

__attribute__((noinline)) static void *where(void)
{
	return __builtin_return_address(0);
}

__attribute__((noinline)) static void *caller(void)
{
	void *ret;

	call_line = __LINE__ + 1;
	ret = where();
	__asm__ volatile("" ::: "memory");	/* keep the call a call */
	return ret;
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

int main(void)
{
	struct mt_modules mods = { 0 };
	struct mt_symbolizer *sym;
	struct mt_frame *f;
	unsigned n;
	char *name;

	elf_version(EV_CURRENT);
	add_modules(&mods);
	sym = mt_symbolizer_new(&mods, NULL);

	n = mt_symbolize(sym, (uint64_t)(uintptr_t)caller(), true, &f);
	CHECK(n >= 1);
	CHECK_STREQ(f[n - 1].function, "caller");
	CHECK(f[n - 1].file && strstr(f[n - 1].file, "unit-symbols.c"));
	CHECK_EQ_U64(f[n - 1].line, call_line);
	CHECK(f[n - 1].module && strstr(f[n - 1].module, "unit-symbols"));
	for (unsigned i = 0; i < n; i++)
		mt_frame_clear(&f[i]);
	free(f);

	/* libc: a symbol from .dynsym even without its debug information. */
	n = mt_symbolize(sym, (uint64_t)(uintptr_t)&getpid, false, &f);
	CHECK(f[n - 1].function && strstr(f[n - 1].function, "getpid"));
	CHECK(f[n - 1].module && strstr(f[n - 1].module, "libc.so"));
	for (unsigned i = 0; i < n; i++)
		mt_frame_clear(&f[i]);
	free(f);

	/* No module: only the address. */
	n = mt_symbolize(sym, 0x10, true, &f);
	CHECK_EQ_U64(n, 1);
	CHECK(f[0].function == NULL && f[0].file == NULL && f[0].module == NULL);
	CHECK_EQ_U64(f[0].address, 0x10);
	mt_frame_clear(&f[0]);
	free(f);

	name = mt_clean_name("malloc@@GLIBC_2.2.5", false);
	CHECK_STREQ(name, "malloc");
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

	mt_symbolizer_free(sym);
	mt_modules_destroy(&mods);
	return UNIT_DONE();
}
