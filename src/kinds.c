/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "kinds.h"
#include "util.h"

#include <stdint.h>

#include <string.h>

static const struct {
	const char *name;
	enum mt_kind_class cls;
} kinds[MT_KIND_COUNT] = {
	[MT_KIND_MALLOC] = { "malloc", MT_CLASS_ALLOC },
	[MT_KIND_CALLOC] = { "calloc", MT_CLASS_CALLOC },
	[MT_KIND_REALLOC] = { "realloc", MT_CLASS_REALLOC },
	[MT_KIND_REALLOCARRAY] = { "reallocarray", MT_CLASS_REALLOCARRAY },
	[MT_KIND_POSIX_MEMALIGN] = { "posix_memalign", MT_CLASS_POSIX_MEMALIGN },
	[MT_KIND_MEMALIGN] = { "memalign", MT_CLASS_MEMALIGN },
	[MT_KIND_ALIGNED_ALLOC] = { "aligned_alloc", MT_CLASS_MEMALIGN },
	[MT_KIND_VALLOC] = { "valloc", MT_CLASS_PAGEALLOC },
	[MT_KIND_PVALLOC] = { "pvalloc", MT_CLASS_PAGEALLOC },
	[MT_KIND_NEW] = { "new", MT_CLASS_ALLOC },
	[MT_KIND_NEW_ARRAY] = { "new[]", MT_CLASS_ALLOC },
	[MT_KIND_FREE] = { "free", MT_CLASS_FREE },
	[MT_KIND_DELETE] = { "delete", MT_CLASS_FREE },
	[MT_KIND_DELETE_ARRAY] = { "delete[]", MT_CLASS_FREE },
};

static struct mt_custom_kind custom[MT_MAX_CUSTOM_KINDS];
static unsigned ncustom;

static const struct mt_custom_kind *custom_kind(unsigned kind)
{
	return kind >= MT_KIND_COUNT && kind - MT_KIND_COUNT < ncustom ?
	       &custom[kind - MT_KIND_COUNT] : NULL;
}

const char *mt_kind_name(unsigned kind)
{
	const struct mt_custom_kind *ck = custom_kind(kind);

	if (ck)
		return ck->name;
	return kind < MT_KIND_COUNT ? kinds[kind].name : "unknown";
}

enum mt_kind_class mt_kind_class(unsigned kind)
{
	const struct mt_custom_kind *ck = custom_kind(kind);

	if (ck)
		return ck->cls;
	return kind < MT_KIND_COUNT ? kinds[kind].cls : MT_CLASS_ALLOC;
}

int mt_kind_arg(unsigned kind, enum mt_role role)
{
	/* The built-in classes' argument order (see enum mt_kind_class). */
	static const int8_t builtin[][MT_ROLE_COUNT] = {
		[MT_CLASS_ALLOC] = { 0, -1, -1, -1 },
		[MT_CLASS_CALLOC] = { 1, 0, -1, -1 },
		[MT_CLASS_REALLOC] = { 1, -1, 0, -1 },
		[MT_CLASS_REALLOCARRAY] = { 2, 1, 0, -1 },
		[MT_CLASS_MEMALIGN] = { 1, -1, -1, 0 },
		[MT_CLASS_POSIX_MEMALIGN] = { 2, -1, 0, 1 },
		[MT_CLASS_PAGEALLOC] = { 0, -1, -1, -1 },
		[MT_CLASS_FREE] = { -1, -1, 0, -1 },
	};
	const struct mt_custom_kind *ck = custom_kind(kind);

	return ck ? ck->arg[role] : builtin[mt_kind_class(kind)][role];
}

int mt_kind_register(const struct mt_custom_kind *ck)
{
	for (unsigned i = 0; i < ncustom; i++)
		if (memcmp(&custom[i], ck, sizeof(*ck)) == 0)
			return (int)(MT_KIND_COUNT + i);
	if (ncustom == MT_MAX_CUSTOM_KINDS)
		return -1;
	custom[ncustom] = *ck;
	return (int)(MT_KIND_COUNT + ncustom++);
}

static int role_from_name(const char *s, size_t len)
{
	static const char *const names[MT_ROLE_COUNT] = {
		[MT_ROLE_SIZE] = "size", [MT_ROLE_NMEMB] = "nmemb",
		[MT_ROLE_PTR] = "ptr", [MT_ROLE_ALIGN] = "align",
	};

	for (int r = 0; r < MT_ROLE_COUNT; r++)
		if (strlen(names[r]) == len && strncmp(names[r], s, len) == 0)
			return r;
	return len == 1 && *s == '_' ? MT_ROLE_COUNT : -1;
}

/* What the roles make of the function, or -1. */
static int class_of(const int8_t *arg)
{
	bool size = arg[MT_ROLE_SIZE] >= 0, nmemb = arg[MT_ROLE_NMEMB] >= 0;
	bool ptr = arg[MT_ROLE_PTR] >= 0, align = arg[MT_ROLE_ALIGN] >= 0;

	if (ptr && !size && !nmemb && !align)
		return MT_CLASS_FREE;
	if (ptr && size && !nmemb && !align)
		return MT_CLASS_REALLOC;
	if (!ptr && size && nmemb && !align)
		return MT_CLASS_CALLOC;
	if (!ptr && size && !nmemb)
		return MT_CLASS_ALLOC;	/* align, if named, changes nothing we count */
	return -1;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int mt_custom_kind_parse(const char *spec, struct mt_custom_kind *ck, char *where,
			 size_t wherelen, char *err, size_t errlen)
{
	const char *open = strchr(spec, '('), *p;
	size_t namelen = open ? (size_t)(open - spec) : 0;
	int nargs = 0, cls;

	memset(ck, 0, sizeof(*ck));
	memset(ck->arg, -1, sizeof(ck->arg));
	while (namelen && spec[namelen - 1] == ' ')
		namelen--;
	if (!open || !namelen || namelen >= wherelen || namelen >= sizeof(ck->name) ||
	    spec[strlen(spec) - 1] != ')')
		return mt_fail(err, errlen, "bad --alloc-fn '%s': give NAME(ROLES), e.g. "
			       "'rt_alloc(_, size)', 'rt_free(_, ptr)', '0x4012a0(size)'", spec);
	memcpy(where, spec, namelen);
	where[namelen] = '\0';
	memcpy(ck->name, spec, namelen);
	for (p = open + 1; *p && *p != ')';) {
		const char *start = skip_blanks(p), *end = start;
		int role;

		while (*end && *end != ',' && *end != ')' && *end != ' ')
			end++;
		role = role_from_name(start, (size_t)(end - start));
		if (role < 0 || nargs == 6)
			return mt_fail(err, errlen, "bad --alloc-fn '%s': '%.*s' is not a role: name each "
				       "argument size, nmemb, ptr, align or _ (at most 6)", spec,
				       (int)(end - start), start);
		if (role < MT_ROLE_COUNT && ck->arg[role] >= 0)
			return mt_fail(err, errlen, "bad --alloc-fn '%s': two arguments are the %.*s",
				       spec, (int)(end - start), start);
		if (role < MT_ROLE_COUNT)
			ck->arg[role] = (int8_t)nargs;
		nargs++;
		p = skip_blanks(end);
		if (*p == ',')
			p++;
	}
	cls = class_of(ck->arg);
	if (cls < 0)
		return mt_fail(err, errlen, "bad --alloc-fn '%s': these roles make no allocator: size "
			       "(an allocation), nmemb and size (calloc-like), ptr (a free), ptr and "
			       "size (a realloc)", spec);
	ck->cls = (enum mt_kind_class)cls;
	return 0;
}

int mt_kind_from_name(const char *name)
{
	for (unsigned i = 0; i < MT_KIND_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return (int)i;
	return -1;
}
