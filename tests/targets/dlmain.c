/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dlopens argv[1] and calls its allocator 25 times; the library's calls are
 * traced although it was not mapped when the program started. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	void *(*lib_alloc)(size_t);
	void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;

	if (!h || !(lib_alloc = (void *(*)(size_t))dlsym(h, "lib_alloc"))) {
		fprintf(stderr, "dlmain: %s\n", dlerror());
		return 98;
	}
	for (int i = 0; i < 25; i++)
		free(lib_alloc(77));
	printf("expect lib_alloc=25\nexpect lib_alloc_bytes=%d\n", 25 * 77);
	return 0;
}
