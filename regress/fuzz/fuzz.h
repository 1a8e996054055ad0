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

/* What the fuzz targets share (fuzzfds.c). */

#include <stddef.h>
#include <stdint.h>

#define FUZZ_MAXFD	1024

/*
 * One message of a dispatcher target's input: flags (1 byte), type
 * (1, as read: the target reduces it), length (2, little-endian, cut to
 * what is left and to the payload buffer), payload.
 */
struct fuzz_msg {
	uint8_t		 fm_flags;
	uint8_t		 fm_type;
	size_t		 fm_len;
};

int	fuzz_nfds(void);
int	fuzz_next(const uint8_t **, size_t *, struct fuzz_msg *,
	    unsigned char *, size_t);
