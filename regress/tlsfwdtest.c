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
 * tlsfwdtest name cert key: the forwarded private key (tls/forward.c)
 * and the key holder (tls/keysign.c), the real files, in two processes:
 * a child holds the key and answers one request on a socketpair; the
 * parent, with only the certificate, completes TLS 1.3 and TLS 1.2
 * handshakes with an in-memory client and checks that the holder signed
 * exactly once per handshake and refuses a second request.  Then the
 * holder's checks, directly: wrong lengths, wrong kinds, and for RSA a
 * block that is not a PSS encoding (what a decryption would ask).
 */

#define OPENSSL_SUPPRESS_DEPRECATED

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>

#include "tlskey.h"

static const char	*name;

static void
result(const char *check, int ok, const char *why)
{
	if (ok)
		printf("SUCCESS tlsfwd:%s-%s\n", name, check);
	else
		printf("FAIL tlsfwd:%s-%s (%s)\n", name, check, why);
}

/* A child holding the key answers requests until n are done; exit n. */
static pid_t
holder(EVP_PKEY *pk, int fd, int n)
{
	pid_t	 pid;
	int	 done = 0;

	if ((pid = fork()) != 0)
		return pid;
	while (done < n && keysign_serve_one(fd, pk) == 0)
		done++;
	_exit(done);
}

/* Drive both ends in memory; 1 if the handshake and a line went through. */
static int
handshake(SSL_CTX *sctx, int version)
{
	SSL_CTX	*cctx;
	SSL	*s, *c;
	BIO	*sb, *cb;
	char	 buf[16];
	int	 i, sd = 0, cd = 0, ok = 0;

	if ((cctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return 0;
	SSL_CTX_set_min_proto_version(cctx, version);
	SSL_CTX_set_max_proto_version(cctx, version);
	s = SSL_new(sctx);
	c = SSL_new(cctx);
	BIO_new_bio_pair(&sb, 0, &cb, 0);
	SSL_set_bio(s, sb, sb);
	SSL_set_bio(c, cb, cb);
	SSL_set_accept_state(s);
	SSL_set_connect_state(c);
	for (i = 0; i < 100 && !(sd && cd); i++) {
		if (!cd && SSL_do_handshake(c) == 1)
			cd = 1;
		if (!sd && SSL_do_handshake(s) == 1)
			sd = 1;
	}
	if (sd && cd && SSL_write(c, "hello\n", 6) == 6 &&
	    SSL_read(s, buf, sizeof(buf)) == 6 && memcmp(buf, "hello\n", 6) == 0)
		ok = 1;
	SSL_free(s);
	SSL_free(c);
	SSL_CTX_free(cctx);
	ERR_clear_error();
	return ok;
}

static int
one_round(X509 *leaf, EVP_PKEY *key, int version, int *signs)
{
	SSL_CTX		*sctx;
	EVP_PKEY	*fwd;
	int		 sv[2], st, ok;
	pid_t		 pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		return 0;
	pid = holder(key, sv[1], 1);
	close(sv[1]);
	sctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX_set_min_proto_version(sctx, TLS1_2_VERSION);
	if ((fwd = forward_pkey(leaf, sv[0])) == NULL ||
	    SSL_CTX_use_certificate(sctx, leaf) != 1 ||
	    SSL_CTX_use_PrivateKey(sctx, fwd) != 1 ||
	    SSL_CTX_check_private_key(sctx) != 1) {
		ERR_print_errors_fp(stderr);
		return 0;
	}
	ok = handshake(sctx, version);
	/* The channel is spent: a second handshake cannot sign. */
	if (ok && handshake(sctx, version))
		ok = -1;
	close(sv[0]);
	waitpid(pid, &st, 0);
	*signs = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	EVP_PKEY_free(fwd);
	SSL_CTX_free(sctx);
	return ok;
}

int
main(int argc, char *argv[])
{
	struct tlskey_req	 rq;
	struct tlskey_rep	 rp;
	EVP_PKEY		*key;
	X509			*leaf;
	FILE			*f;
	char			 why[128];
	int			 ok, signs, isrsa;

	if (argc != 4)
		return 2;
	name = argv[1];
	if ((f = fopen(argv[2], "r")) == NULL ||
	    (leaf = PEM_read_X509(f, NULL, NULL, NULL)) == NULL)
		return 2;
	fclose(f);
	if ((f = fopen(argv[3], "r")) == NULL ||
	    (key = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL)
		return 2;
	fclose(f);
	isrsa = EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA;

	ok = one_round(leaf, key, TLS1_3_VERSION, &signs);
	snprintf(why, sizeof(why), "handshake %d, signatures %d", ok, signs);
	result("tls13", ok == 1 && signs == 1, why);
	result("one-signature-per-channel", ok != -1, "second handshake "
	    "signed on a spent channel");
	ok = one_round(leaf, key, TLS1_2_VERSION, &signs);
	snprintf(why, sizeof(why), "handshake %d, signatures %d", ok, signs);
	result("tls12", ok == 1 && signs == 1, why);

	/* The holder's checks, without a handshake. */
	memset(&rq, 0, sizeof(rq));
	rq.kr_magic = TLSKEY_MAGIC;
	rq.kr_alg = isrsa ? TLSKEY_ECDSA : TLSKEY_RSA_PSS;
	rq.kr_len = 32;
	result("refuses-other-kind", keysign_answer(key, &rq, &rp) == -1 &&
	    rp.kp_status == 0, "signed");
	rq.kr_alg = isrsa ? TLSKEY_RSA_PSS : TLSKEY_ECDSA;
	rq.kr_len = isrsa ? 100 : 31;
	result("refuses-length", keysign_answer(key, &rq, &rp) == -1,
	    "signed");
	rq.kr_len = sizeof(rq.kr_data) + 1;
	result("refuses-overlong", keysign_answer(key, &rq, &rp) == -1,
	    "signed");
	rq.kr_len = isrsa ? (uint32_t)EVP_PKEY_get_size(key) : 32;
	rq.kr_magic = 0;
	result("refuses-magic", keysign_answer(key, &rq, &rp) == -1,
	    "signed");
	rq.kr_magic = TLSKEY_MAGIC;
	if (isrsa) {
		u_char	 mhash[32];
		RSA	*rsa = EVP_PKEY_get1_RSA(key);
		int	 i, passed = 0;

		/* Random blocks, as ciphertexts look: never signed. */
		for (i = 0; i < 1000; i++) {
			RAND_bytes(rq.kr_data, rq.kr_len);
			if (keysign_answer(key, &rq, &rp) == 0)
				passed++;
		}
		snprintf(why, sizeof(why), "%d of 1000 random blocks signed",
		    passed);
		result("refuses-non-pss", passed == 0, why);
		RAND_bytes(mhash, sizeof(mhash));
		RSA_padding_add_PKCS1_PSS_mgf1(rsa, rq.kr_data, mhash,
		    EVP_sha256(), EVP_sha256(), 32);
		result("signs-pss", keysign_answer(key, &rq, &rp) == 0 &&
		    rp.kp_len == rq.kr_len, "refused a PSS block");
		RSA_free(rsa);
	} else {
		RAND_bytes(rq.kr_data, 32);
		result("signs-digest", keysign_answer(key, &rq, &rp) == 0 &&
		    rp.kp_status == 1, "refused a digest");
	}
	X509_free(leaf);
	EVP_PKEY_free(key);
	return 0;
}
