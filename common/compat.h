/*
 * What Linux and libbsd spell differently from OpenBSD.
 */

#ifndef COMPAT_H
#define COMPAT_H

#include <sys/cdefs.h>

#ifndef __dead
#define __dead		__attribute__((__noreturn__))
#endif

#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif
#include <sys/tree.h>

/* The number of elements of an array (not of a pointer). */
#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* strnvis(3) with OpenBSD's argument order. */
#define LIBBSD_OPENBSD_VIS	1

#endif /* COMPAT_H */
