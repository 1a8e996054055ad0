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
 * The key holder's side of a signature: one request on a channel of one
 * connection, checked to the byte, answered, and the channel is done.
 *
 * ECDSA: the request is the digest (32, 48 or 64 bytes), the answer the
 * DER signature.  RSA: the request is a block already padded for PSS by
 * the engine's OpenSSL, and the answer its raw RSA signature; since a
 * raw RSA operation on a chosen block would decrypt, the block must be
 * a well-formed PSS encoding (RFC 8017, 9.1.1; salt as long as the
 * hash, as TLS 1.3 has it) of SHA-256, -384 or -512, which a ciphertext
 * is not, short of chance.  PKCS #1 v1.5 signatures (TLS 1.2 with RSA
 * and old clients only) are not made.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "tlskey.h"

/* MGF1 (RFC 8017, B.2.1) of seed, xored into out. */
static int
keysign_mgf1_xor(u_char *out, size_t len, const u_char *seed,
    size_t seedlen, const EVP_MD *md)
{
	EVP_MD_CTX	*c;
	u_char		 h[EVP_MAX_MD_SIZE], cnt[4];
	unsigned int	 hl, i;
	size_t		 off = 0;
	uint32_t	 n;

	if ((c = EVP_MD_CTX_new()) == NULL)
		return -1;
	for (n = 0; off < len; n++) {
		cnt[0] = n >> 24;
		cnt[1] = n >> 16;
		cnt[2] = n >> 8;
		cnt[3] = n;
		if (EVP_DigestInit_ex(c, md, NULL) != 1 ||
		    EVP_DigestUpdate(c, seed, seedlen) != 1 ||
		    EVP_DigestUpdate(c, cnt, 4) != 1 ||
		    EVP_DigestFinal_ex(c, h, &hl) != 1) {
			EVP_MD_CTX_free(c);
			return -1;
		}
		for (i = 0; i < hl && off < len; i++)
			out[off++] ^= h[i];
	}
	EVP_MD_CTX_free(c);
	return 0;
}

/* Whether em (the size of the modulus, bits of it) is a PSS encoding. */
static int
keysign_is_pss(const u_char *em0, size_t emlen, int modbits)
{
	const EVP_MD	*mds[3];
	u_char		 em[TLSKEY_MAX];
	size_t		 hlen, dblen, i, emb;
	int		 m, topbits;

	mds[0] = EVP_sha256();
	mds[1] = EVP_sha384();
	mds[2] = EVP_sha512();
	/* emBits = modBits - 1; a leading zero byte when it is whole. */
	emb = (size_t)(modbits - 1);
	if (emlen > sizeof(em) || emlen != (size_t)(modbits + 7) / 8)
		return 0;
	if (emb % 8 == 0) {
		if (em0[0] != 0)
			return 0;
		em0++;
		emlen--;
	}
	topbits = 8 * emlen - emb;
	if (emlen < 2 || em0[emlen - 1] != 0xbc ||
	    (topbits > 0 && (em0[0] >> (8 - topbits)) != 0))
		return 0;
	for (m = 0; m < 3; m++) {
		hlen = EVP_MD_get_size(mds[m]);
		if (emlen < 2 * hlen + 2)
			continue;
		dblen = emlen - hlen - 1;
		memcpy(em, em0, dblen);
		if (keysign_mgf1_xor(em, dblen, em0 + dblen, hlen,
		    mds[m]) == -1)
			return 0;
		if (topbits > 0)
			em[0] &= 0xff >> topbits;
		/* PS of zeros, 0x01, then a salt of hlen bytes. */
		for (i = 0; i < dblen - hlen - 1 && em[i] == 0; i++)
			;
		if (i == dblen - hlen - 1 && em[i] == 0x01)
			return 1;
	}
	return 0;
}

/* Answer one request with pk; 0, or -1 for a request refused. */
int
keysign_answer(EVP_PKEY *pk, const struct tlskey_req *rq,
    struct tlskey_rep *rp)
{
	EVP_PKEY_CTX	*c = NULL;
	size_t		 siglen = sizeof(rp->kp_sig);
	int		 rv = -1;

	memset(rp, 0, sizeof(*rp));
	rp->kp_magic = TLSKEY_MAGIC;
	if (rq->kr_magic != TLSKEY_MAGIC || rq->kr_len > sizeof(rq->kr_data))
		return -1;
	switch (rq->kr_alg) {
	case TLSKEY_ECDSA:
		if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_EC ||
		    (rq->kr_len != 32 && rq->kr_len != 48 &&
		    rq->kr_len != 64))
			return -1;
		break;
	case TLSKEY_RSA_PSS:
		if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA ||
		    rq->kr_len != (uint32_t)EVP_PKEY_get_size(pk) ||
		    !keysign_is_pss(rq->kr_data, rq->kr_len,
		    EVP_PKEY_get_bits(pk)))
			return -1;
		break;
	default:
		return -1;
	}
	if ((c = EVP_PKEY_CTX_new(pk, NULL)) == NULL ||
	    EVP_PKEY_sign_init(c) != 1 ||
	    (rq->kr_alg == TLSKEY_RSA_PSS &&
	    EVP_PKEY_CTX_set_rsa_padding(c, RSA_NO_PADDING) != 1) ||
	    EVP_PKEY_sign(c, rp->kp_sig, &siglen, rq->kr_data,
	    rq->kr_len) != 1)
		goto done;
	rp->kp_len = siglen;
	rp->kp_status = 1;
	rv = 0;
 done:
	EVP_PKEY_CTX_free(c);
	return rv;
}

/*
 * Serve the one request a connection's channel may carry: -1 if it was
 * not one (the channel is closed by the caller either way).
 */
int
keysign_serve_one(int fd, EVP_PKEY *pk)
{
	struct tlskey_req	 rq;
	struct tlskey_rep	 rp;
	ssize_t			 n;
	int			 rv;

	do {
		n = read(fd, &rq, sizeof(rq));
	} while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(rq))
		return -1;
	rv = keysign_answer(pk, &rq, &rp);
	explicit_bzero(&rq, sizeof(rq));
	if (send(fd, &rp, sizeof(rp), MSG_NOSIGNAL) != (ssize_t)sizeof(rp))
		return -1;
	return rv;
}
