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
 * The engine's private key, which is not there: an EVP_PKEY with the
 * certificate's public key and a method that sends the one private
 * operation of a handshake to the key holder over the connection's
 * channel.  OpenSSL 3.0 still calls an EC_KEY_METHOD or RSA_METHOD set
 * on a key (a "foreign" key stays on its legacy path); those interfaces
 * are deprecated, hence the define below, in this file only.
 * SSL_CTX_use_PrivateKey and SSL_CTX_check_private_key compare public
 * parts, so they accept it.
 */

#define OPENSSL_SUPPRESS_DEPRECATED

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "tlskey.h"

static int	 forward_fd = -1;	/* one connection per engine */

/* The channel of the connection this process serves, from now on. */
void
forward_setfd(int fd)
{
	forward_fd = fd;
}

/* One request, one answer: 0 with the signature in rp. */
static int
forward_ask(enum tlskey_alg alg, const u_char *in, size_t len,
    struct tlskey_rep *rp)
{
	struct tlskey_req	 rq;
	ssize_t			 n;

	if (forward_fd == -1 || len > sizeof(rq.kr_data))
		return -1;
	memset(&rq, 0, sizeof(rq));
	rq.kr_magic = TLSKEY_MAGIC;
	rq.kr_alg = alg;
	rq.kr_len = len;
	memcpy(rq.kr_data, in, len);
	if (send(forward_fd, &rq, sizeof(rq), MSG_NOSIGNAL) !=
	    (ssize_t)sizeof(rq))
		return -1;
	do {
		n = read(forward_fd, rp, sizeof(*rp));
	} while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(*rp) || rp->kp_magic != TLSKEY_MAGIC ||
	    rp->kp_status != 1 || rp->kp_len > sizeof(rp->kp_sig))
		return -1;
	return 0;
}

static ECDSA_SIG *
forward_ecdsa_sig(const u_char *dgst, int dlen, const BIGNUM *kinv,
    const BIGNUM *r, EC_KEY *ec)
{
	struct tlskey_rep	 rp;
	const u_char		*p;

	(void)kinv;
	(void)r;
	(void)ec;
	if (dlen <= 0 || forward_ask(TLSKEY_ECDSA, dgst, dlen, &rp) == -1)
		return NULL;
	p = rp.kp_sig;
	return d2i_ECDSA_SIG(NULL, &p, rp.kp_len);
}

static int
forward_ecdsa(int type, const u_char *dgst, int dlen, u_char *sig,
    unsigned int *siglen, const BIGNUM *kinv, const BIGNUM *r, EC_KEY *ec)
{
	ECDSA_SIG	*s;
	u_char		*p = sig;
	int		 n;

	(void)type;
	if ((s = forward_ecdsa_sig(dgst, dlen, kinv, r, ec)) == NULL)
		return 0;
	n = i2d_ECDSA_SIG(s, &p);
	ECDSA_SIG_free(s);
	if (n <= 0)
		return 0;
	*siglen = n;
	return 1;
}

/* The block OpenSSL padded for PSS; anything else is not asked for. */
static int
forward_rsa(int flen, const u_char *from, u_char *to, RSA *rsa, int padding)
{
	struct tlskey_rep	 rp;

	if (padding != RSA_NO_PADDING || flen != RSA_size(rsa) ||
	    forward_ask(TLSKEY_RSA_PSS, from, flen, &rp) == -1 ||
	    rp.kp_len != (uint32_t)flen)
		return -1;
	memcpy(to, rp.kp_sig, rp.kp_len);
	return rp.kp_len;
}

/*
 * The key for the certificate leaf, whose private operation goes to the
 * key holder on fd.  NULL for a kind we do not forward.
 */
EVP_PKEY *
forward_pkey(X509 *leaf, int fd)
{
	static EC_KEY_METHOD	*ecm;
	static RSA_METHOD	*rsam;
	EVP_PKEY		*pub = X509_get0_pubkey(leaf), *pk = NULL;
	EC_KEY			*ec;
	RSA			*rsa;

	forward_fd = fd;
	if (pub == NULL || (pk = EVP_PKEY_new()) == NULL)
		return NULL;
	switch (EVP_PKEY_get_base_id(pub)) {
	case EVP_PKEY_EC:
		if (ecm == NULL && ((ecm = EC_KEY_METHOD_new(
		    EC_KEY_get_default_method())) == NULL))
			break;
		EC_KEY_METHOD_set_sign(ecm, forward_ecdsa, NULL,
		    forward_ecdsa_sig);
		if ((ec = EVP_PKEY_get1_EC_KEY(pub)) == NULL)
			break;
		if (EC_KEY_set_method(ec, ecm) != 1 ||
		    EVP_PKEY_assign_EC_KEY(pk, ec) != 1) {
			EC_KEY_free(ec);
			break;
		}
		return pk;
	case EVP_PKEY_RSA:
		if (rsam == NULL && (rsam = RSA_meth_dup(
		    RSA_get_default_method())) == NULL)
			break;
		RSA_meth_set_priv_enc(rsam, forward_rsa);
		if ((rsa = EVP_PKEY_get1_RSA(pub)) == NULL)
			break;
		if (RSA_set_method(rsa, rsam) != 1 ||
		    EVP_PKEY_assign_RSA(pk, rsa) != 1) {
			RSA_free(rsa);
			break;
		}
		return pk;
	}
	EVP_PKEY_free(pk);
	return NULL;
}
