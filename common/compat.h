/*
 * What Linux and libbsd spell differently from OpenBSD.
 */

#ifndef COMPAT_H
#define COMPAT_H

#include <sys/cdefs.h>

#ifndef __dead
#define __dead		__attribute__((__noreturn__))
#endif

/*
 * libbsd's <sys/tree.h> marks RB_GENERATE_STATIC's functions __unused but
 * its <sys/cdefs.h> leaves the macro undefined.  It is there for that
 * alone: our own code says (void)x for an unused argument.
 */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif
#include <sys/tree.h>

#ifndef nitems
#define nitems(_a)	(sizeof((_a)) / sizeof((_a)[0]))
#endif

#endif /* COMPAT_H */
