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
 * The signature channel between a connection's TLS engine and the key
 * holder: one fixed-size request, one fixed-size answer, on a
 * SOCK_SEQPACKET socketpair of that connection only.
 */

#ifndef TLSKEY_H
#define TLSKEY_H

#include <stdint.h>
#include <sys/types.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define TLSKEY_MAGIC	0x746c736bU	/* "tlsk" */
#define TLSKEY_MAX	512		/* RSA 4096 */

enum tlskey_alg {
	TLSKEY_ECDSA = 1,	/* kr_data: the digest */
	TLSKEY_RSA_PSS		/* kr_data: the PSS-encoded block */
};

struct tlskey_req {
	uint32_t	 kr_magic;
	uint32_t	 kr_alg;
	uint32_t	 kr_len;
	u_char		 kr_data[TLSKEY_MAX];
};

struct tlskey_rep {
	uint32_t	 kp_magic;
	uint32_t	 kp_status;	/* 1: signed */
	uint32_t	 kp_len;
	u_char		 kp_sig[TLSKEY_MAX];
};

/* tls/keysign.c: the key holder */
int		 keysign_answer(EVP_PKEY *, const struct tlskey_req *,
		    struct tlskey_rep *);
int		 keysign_serve_one(int, EVP_PKEY *);

/* tls/forward.c: the engine */
EVP_PKEY	*forward_pkey(X509 *, int);

#endif
