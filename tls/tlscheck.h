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
 * The check process (tls/check.c) and the parent (parent/tlsfiles.c):
 * the parent reads a tls= entry's files, the check process parses them
 * with OpenSSL and answers with what the parent keeps.  One stream, one
 * start, then a request and its answer at a time, each a fixed part and
 * the bytes it counts.  No OpenSSL here: the parent does not link it.
 */

#ifndef TLSCHECK_H
#define TLSCHECK_H

#include <stdint.h>

#define TLSCHECK_MAGIC		0x746c7363U	/* "tlsc" */
#define TLSCHECK_MAXOUT		(2 * CONF_MAXTLSFILE)	/* PEM written anew */
#define TLSCHECK_TIMEOUT	10000	/* ms the parent waits for a part */

/* First, before anything secret: whom the process becomes. */
struct tlscheck_start {
	uint32_t	 cs_magic;
	uint32_t	 cs_uid;	/* 0: it is not root, stays who it is */
	uint32_t	 cs_gid;
};

/* An entry's files, followed by their bytes in this order. */
struct tlscheck_req {
	uint32_t	 cq_magic;
	uint32_t	 cq_certlen;
	uint32_t	 cq_keylen;
	uint32_t	 cq_calen;	/* 0: no tls-ca= */
	char		 cq_ciphers[256];	/* tls-ciphers=, or "" */
};

enum tlscheck_status {
	TLSCHECK_OK = 0,
	TLSCHECK_NOCERT,	/* no certificate in the chain file */
	TLSCHECK_NOKEY,		/* no key, or one with a passphrase */
	TLSCHECK_KEYKIND,	/* a kind the engine cannot forward */
	TLSCHECK_MISMATCH,	/* key and certificate not a pair */
	TLSCHECK_CIPHERS,	/* no cipher OpenSSL knows */
	TLSCHECK_NOCA,		/* no certificate in the CA file */
	TLSCHECK_ENCODE,	/* the key cannot be written as DER */
	TLSCHECK_MAX
};

/*
 * The answer, followed by the chain (PEM, leaf first), the key (DER) and
 * the CAs (PEM), each written anew from what was parsed; on an error, by
 * nothing.
 */
struct tlscheck_ans {
	uint32_t	 ca_magic;
	uint32_t	 ca_status;	/* enum tlscheck_status */
	uint32_t	 ca_nchain;	/* certificates after the leaf */
	uint32_t	 ca_pad;	/* zero */
	int64_t		 ca_notafter;	/* the leaf's, seconds since 1970 */
	char		 ca_subject[256];
	char		 ca_kind[32];	/* "EC P-256", "RSA 4096" */
	uint32_t	 ca_chainlen;
	uint32_t	 ca_keylen;
	uint32_t	 ca_calen;
	uint32_t	 ca_pad2;	/* zero */
};

__dead void	 check_main(void);

#endif /* TLSCHECK_H */
