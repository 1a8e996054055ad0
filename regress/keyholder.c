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
 * keyholder key.pem: stands for the key process in tests of the engine
 * until that process exists: answers the one request on descriptor 3
 * with the real tls/keysign.c, then waits to be killed, so that a test
 * can scan its memory as the positive control of the engine's scan.
 */

#include <stdio.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "tlskey.h"

int
main(int argc, char *argv[])
{
	EVP_PKEY	*pk;
	FILE		*f;

	if (argc != 2 || (f = fopen(argv[1], "r")) == NULL ||
	    (pk = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL)
		return 2;
	fclose(f);
	(void)keysign_serve_one(3, pk);
	close(3);
	pause();
	return 0;
}
