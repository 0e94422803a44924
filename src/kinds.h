/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocator kinds: which entry point an event came through.
 *
 * The kind decides how an entry is read (which argument is the size, the
 * pointer, the alignment) and is shown in reports as "allocator".  When
 * several names share one code address (glibc's memalign and aligned_alloc),
 * one breakpoint serves them and the first kind in this list names it.
 */
#ifndef MT_KINDS_H
#define MT_KINDS_H

#include <stdbool.h>

enum mt_kind {
	MT_KIND_MALLOC,
	MT_KIND_CALLOC,
	MT_KIND_REALLOC,
	MT_KIND_REALLOCARRAY,
	MT_KIND_POSIX_MEMALIGN,
	MT_KIND_MEMALIGN,
	MT_KIND_ALIGNED_ALLOC,
	MT_KIND_VALLOC,
	MT_KIND_PVALLOC,
	MT_KIND_NEW,		/* operator new, all forms */
	MT_KIND_NEW_ARRAY,	/* operator new[], all forms */
	MT_KIND_FREE,
	MT_KIND_DELETE,		/* operator delete, all forms */
	MT_KIND_DELETE_ARRAY,	/* operator delete[], all forms */
	MT_KIND_COUNT
};

/* How the arguments of a kind are read. */
enum mt_kind_class {
	MT_CLASS_ALLOC,		/* size in arg0 (new: also nothrow/align forms) */
	MT_CLASS_CALLOC,	/* nmemb in arg0, size in arg1 */
	MT_CLASS_REALLOC,	/* ptr in arg0, size in arg1 */
	MT_CLASS_REALLOCARRAY,	/* ptr in arg0, nmemb in arg1, size in arg2 */
	MT_CLASS_MEMALIGN,	/* align in arg0, size in arg1 */
	MT_CLASS_POSIX_MEMALIGN,/* void **out in arg0, align in arg1, size in arg2; returns 0 */
	MT_CLASS_PAGEALLOC,	/* size in arg0, rounded by the allocator (valloc, pvalloc) */
	MT_CLASS_FREE,		/* ptr in arg0 */
};

const char *mt_kind_name(enum mt_kind kind);
enum mt_kind_class mt_kind_class(enum mt_kind kind);
static inline bool mt_kind_is_free(enum mt_kind kind)
{
	return kind == MT_KIND_FREE || kind == MT_KIND_DELETE ||
	       kind == MT_KIND_DELETE_ARRAY;
}
/* Returns the kind named NAME ("malloc", "new[]"...), or -1. */
int mt_kind_from_name(const char *name);

#endif
