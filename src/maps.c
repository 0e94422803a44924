/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "maps.h"
#include "util.h"

#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct maps_line {
	uint64_t start, end, offset;
	char perms[5];
	unsigned long inode;
	char path[4096];
};

static bool parse_line(const char *line, struct maps_line *ml)
{
	int pos = 0;

	ml->path[0] = '\0';
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %*x:%*x %lu %n",
		   &ml->start, &ml->end, ml->perms, &ml->offset, &ml->inode, &pos) < 5)
		return false;
	snprintf(ml->path, sizeof(ml->path), "%s", line + pos);
	ml->path[strcspn(ml->path, "\n")] = '\0';
	return true;
}

static void elf_info(const char *path, uint64_t base, struct mt_module *m)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf;
	GElf_Ehdr eh;
	size_t nph;

	m->bias = base;
	if (fd < 0)
		return;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && gelf_getehdr(elf, &eh) && elf_getphdrnum(elf, &nph) == 0) {
		if (eh.e_type == ET_EXEC)
			m->bias = 0;
		for (size_t i = 0; eh.e_type == ET_DYN && i < nph; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD) {
				m->bias = base - (ph.p_vaddr & ~(uint64_t)0xfff);
				break;
			}
		}
		const void *id;
		ssize_t len = dwelf_elf_gnu_build_id(elf, &id);
		if (len > 0) {
			m->build_id = xmalloc((size_t)len * 2 + 1);
			for (ssize_t i = 0; i < len; i++)
				sprintf(m->build_id + 2 * i, "%02x", ((const uint8_t *)id)[i]);
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
}

/* Adds ml to the module of the same path, or starts one. */
static void add_mapping(struct mt_module **mods, size_t *n, size_t *cap,
			const struct maps_line *ml, uint64_t *bases)
{
	for (size_t i = 0; i < *n; i++) {
		struct mt_module *m = &(*mods)[i];

		if (strcmp(m->path, ml->path) != 0 || ml->start > m->end + (1ULL << 30))
			continue;
		if (ml->start < m->start)
			m->start = ml->start;
		if (ml->end > m->end)
			m->end = ml->end;
		if (ml->offset == 0 && !bases[i])
			bases[i] = ml->start;
		return;
	}
	*mods = xgrow(*mods, cap, *n + 1, sizeof(**mods));
	(*mods)[*n] = (struct mt_module){
		.path = xstrdup(ml->path), .start = ml->start, .end = ml->end,
	};
	bases[*n] = ml->offset == 0 ? ml->start : 0;
	(*n)++;
}

int mt_maps_read(pid_t pid, struct mt_module **mods_out, size_t *n_out,
		 struct mt_maparea **areas, size_t *nareas)
{
	char fname[64], line[4200];
	struct maps_line ml;
	struct mt_module *mods = NULL;
	size_t n = 0, cap = 0, acap = 0;
	uint64_t bases[1024];
	bool exec_seen[1024] = { false };
	FILE *f;

	snprintf(fname, sizeof(fname), "/proc/%d/maps", (int)pid);
	f = fopen(fname, "re");
	if (!f)
		return -errno;
	if (areas) {
		*areas = NULL;
		*nareas = 0;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!parse_line(line, &ml))
			continue;
		if (areas) {
			*areas = xgrow(*areas, &acap, *nareas + 1, sizeof(**areas));
			(*areas)[(*nareas)++] = (struct mt_maparea){ ml.start, ml.end };
		}
		if (ml.path[0] != '/' || ml.inode == 0 || n >= MT_ARRAY_SIZE(bases) - 1 ||
		    strstr(ml.path, " (deleted)"))
			continue;
		add_mapping(&mods, &n, &cap, &ml, bases);
		for (size_t i = 0; i < n; i++)
			if (strcmp(mods[i].path, ml.path) == 0 && ml.perms[2] == 'x')
				exec_seen[i] = true;
	}
	fclose(f);
	/* Keep modules with code; fill in bias and build-id from the file. */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (!exec_seen[i]) {
			free(mods[i].path);
			continue;
		}
		elf_info(mods[i].path, bases[i] ? bases[i] : mods[i].start, &mods[i]);
		mods[kept++] = mods[i];
	}
	*mods_out = mods;
	*n_out = kept;
	return 0;
}

void mt_maps_free(struct mt_module *mods, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(mods[i].path);
		free(mods[i].build_id);
	}
	free(mods);
}

uint64_t mt_maps_stack_top(pid_t pid)
{
	char fname[64], line[4200];
	struct maps_line ml;
	uint64_t top = 0;
	FILE *f;

	snprintf(fname, sizeof(fname), "/proc/%d/maps", (int)pid);
	f = fopen(fname, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (parse_line(line, &ml) && strcmp(ml.path, "[stack]") == 0)
			top = ml.end;
	fclose(f);
	return top;
}

static void scan_symtab(Elf *elf, Elf_Scn *scn, GElf_Shdr *sh, mt_sym_fn fn, void *arg)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t count = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 0; data && i < count; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
			continue;
		int type = GELF_ST_TYPE(sym.st_info);
		bool is_func = type == STT_FUNC || type == STT_GNU_IFUNC;

		if (!is_func && type != STT_OBJECT)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (name && *name)
			fn(name, sym.st_value, sym.st_size, is_func, arg);
	}
}

int mt_elf_symbols(const char *path, mt_sym_fn fn, void *arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf_Scn *scn = NULL;
	Elf *elf;

	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		close(fd);
		return -ENOEXEC;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) &&
		    (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM))
			scan_symtab(elf, scn, &sh, fn, arg);
	}
	elf_end(elf);
	close(fd);
	return 0;
}
