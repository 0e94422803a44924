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
#include <stddef.h>
#include <stdint.h>

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

/*
 * Custom kinds (--alloc-fn 'NAME(ROLES)') follow the built-in ones: a
 * function whose arguments the user named.  The roles give its class:
 * size (and maybe align) an allocation, nmemb and size calloc-like, ptr a
 * free, ptr and size a realloc.
 */
#define MT_MAX_CUSTOM_KINDS 64
enum mt_role { MT_ROLE_SIZE, MT_ROLE_NMEMB, MT_ROLE_PTR, MT_ROLE_ALIGN, MT_ROLE_COUNT };

struct mt_custom_kind {
	char name[64];			/* shown as the allocator */
	enum mt_kind_class cls;
	int8_t arg[MT_ROLE_COUNT];	/* argument index of each role, -1 if none */
};

const char *mt_kind_name(unsigned kind);
enum mt_kind_class mt_kind_class(unsigned kind);
/* The argument index of a role for a kind, -1 if the kind has none. */
int mt_kind_arg(unsigned kind, enum mt_role role);
static inline bool mt_kind_is_free(unsigned kind)
{
	return mt_kind_class(kind) == MT_CLASS_FREE;
}
/* Returns the built-in kind named NAME ("malloc", "new[]"...), or -1. */
int mt_kind_from_name(const char *name);

/*
 * Parses "NAME(ROLES)" (ROLES: size, nmemb, ptr, align or _, comma
 * separated, in argument order) into ck, with NAME copied to where (at
 * most wherelen bytes).  Returns 0, or -1 with a one-line reason in err.
 */
int mt_custom_kind_parse(const char *spec, struct mt_custom_kind *ck, char *where,
			 size_t wherelen, char *err, size_t errlen);
/* Registers a custom kind for this run; returns its kind, or -1 when full. */
int mt_kind_register(const struct mt_custom_kind *ck);

#endif
