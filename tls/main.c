/*
 * Copyright (c) 2026 the inetd authors.
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * inetd-tls: the roles that need OpenSSL (the keys process, the TLS
 * process and its engines, the check process), in a program of their
 * own, so that the parent, the listener and the spawner do not map
 * libcrypto at all.  inetd starts it as it starts its own roles, from
 * a descriptor held open since it started (parent/tlsfiles.c): never
 * by hand.
 */

#include <sys/types.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"
#include "tlscheck.h"

int
main(int argc, char *argv[])
{
#ifdef INETD_COVERAGE
	coverage_open(argc, argv);
#endif
	if (argc != 3 || strcmp(argv[1], "-P") != 0)
		errx(1, "inetd-tls is started by inetd(8), not by hand");
	sanitize_role(argv[2]);
	if (strcmp(argv[2], "keys") == 0)
		keys_main();
	if (strcmp(argv[2], "tls") == 0)
		tls_main();
	if (strcmp(argv[2], "check") == 0)
		check_main();
	errx(1, "unknown role \"%s\"", argv[2]);
}
