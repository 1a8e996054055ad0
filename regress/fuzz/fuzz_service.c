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
 * A service entry as a child takes it from the parent: common/config.c
 * servconf_unpack(), the decoder of every IMSG_SERVICE payload, for the
 * listener (byte 0 even) or the spawner (odd), fed the rest of the input
 * as the payload.  This is the children's side of "a hostile parent":
 * the wire checks must refuse what a parse cannot produce, and what
 * they take must be what was sent.
 *
 * Invariants, for a payload taken:
 *  - it packs again (servconf_pack for the same role) to a payload that
 *    is taken too and packs to itself: decoding and encoding agree;
 *  - for the spawner, which gets every field, that payload is the one
 *    received, byte for byte: nothing sent is ignored or changed.
 *  - everything unpack allocates is freed with the entry (LeakSanitizer).
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inetd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fsv_fail(const char *what, enum role r)
{
	fprintf(stderr, "service (%s): %s\n", r == ROLE_SPAWNER ? "spawner" :
	    "listener", what);
	abort();
}

/* Unpack, or NULL; se_nacl as the rules will make it (IMSG_ACL). */
static struct servconf *
fsv_unpack(const u_char *p, size_t len, enum role r)
{
	struct imsg	 im;
	struct servconf	*se;

	memset(&im, 0, sizeof(im));
	im.hdr.type = IMSG_SERVICE;
	im.hdr.len = sizeof(im.hdr) + len;
	im.fd = -1;
	im.data = p;
	im.datalen = len;
	if ((se = servconf_unpack(&im, r)) != NULL)
		se->se_nacl = se->se_naclwant;
	return se;
}

static void
fsv_pack(struct servconf *se, struct ibuf *b, enum role r)
{
	ibuf_init(b);
	servconf_pack(se, b, r);
	/* Leave nothing for servconf_free to take for real rules. */
	se->se_nacl = 0;
	if (b->ib_error)
		fsv_fail("an entry taken cannot be packed", r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct servconf	*a, *b;
	struct ibuf	 pa, pb;
	enum role	 r;
	size_t		 i;

	if (size < 1 || size > IMSG_MAXSIZE)
		return 0;
	r = data[0] & 1 ? ROLE_SPAWNER : ROLE_LISTENER;
	if ((a = fsv_unpack(data + 1, size - 1, r)) == NULL)
		return 0;
	fsv_pack(a, &pa, r);
	if (r == ROLE_SPAWNER && (pa.ib_len != size - 1 ||
	    memcmp(pa.ib_buf, data + 1, size - 1) != 0)) {
		for (i = 0; i < pa.ib_len && i < size - 1 &&
		    pa.ib_buf[i] == data[1 + i]; i++)
			;
		fprintf(stderr, "%zu bytes for %zu, first difference at "
		    "offset %zu\n", pa.ib_len, size - 1, i);
		fsv_fail("packs to other bytes than were taken", r);
	}
	if ((b = fsv_unpack(pa.ib_buf, pa.ib_len, r)) == NULL)
		fsv_fail("its own packing is refused", r);
	fsv_pack(b, &pb, r);
	if (pb.ib_len != pa.ib_len || memcmp(pa.ib_buf, pb.ib_buf,
	    pa.ib_len) != 0)
		fsv_fail("packing is not stable", r);
	ibuf_free(&pa);
	ibuf_free(&pb);
	servconf_free(a);
	servconf_free(b);
	return 0;
}
