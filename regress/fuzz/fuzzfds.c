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
 * What the fuzz targets share: how many descriptors are open, for those
 * that pass them around, and the dispatcher targets' message reader.
 */

#include <fcntl.h>
#include <string.h>

#include "fuzz.h"

int
fuzz_nfds(void)
{
	int	 fd, n = 0;

	for (fd = 0; fd < FUZZ_MAXFD; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	return n;
}

/*
 * Take the next message off the input into payload (at most max bytes):
 * 0 when fewer than its four header bytes are left.
 */
int
fuzz_next(const uint8_t **data, size_t *size, struct fuzz_msg *m,
    unsigned char *payload, size_t max)
{
	const uint8_t	*p = *data;
	size_t		 len;

	if (*size < 4)
		return 0;
	m->fm_flags = p[0];
	m->fm_type = p[1];
	len = p[2] | p[3] << 8;
	if (len > *size - 4)
		len = *size - 4;
	if (len > max)
		len = max;
	memcpy(payload, p + 4, len);
	m->fm_len = len;
	*data += 4 + len;
	*size -= 4 + len;
	return 1;
}
