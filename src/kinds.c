/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "kinds.h"
#include "util.h"

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

const char *mt_kind_name(enum mt_kind kind)
{
	return (unsigned)kind < MT_KIND_COUNT ? kinds[kind].name : "unknown";
}

enum mt_kind_class mt_kind_class(enum mt_kind kind)
{
	return kinds[kind].cls;
}

int mt_kind_from_name(const char *name)
{
	for (unsigned i = 0; i < MT_KIND_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return (int)i;
	return -1;
}
