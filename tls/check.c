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
 * The check process: the parent's OpenSSL, in a process of its own.
 * Started by the parent while it loads a table with tls= entries (and
 * by inetd -n), it takes the files the parent read, parses them, and
 * answers with the chain and CAs written anew, the key as DER, and what
 * -n shows; the parent keeps that and checks nothing with OpenSSL
 * itself.  So neither the root parent nor the listener and spawner map
 * libcrypto, and the PEM and ASN.1 parsers run unprivileged: in the
 * empty chroot as the privsep user, with no new privileges, an empty
 * Landlock domain and the TLS processes' common filter, before a byte
 * of a file is read.  It ends when the parent closes the stream.
 */

#include <sys/types.h>
#include <sys/prctl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "inetd.h"
#include "tlskey.h"
#include "tlscheck.h"

/* All of len bytes, or exit: the parent ended the stream or broke it. */
static void
check_read(void *p, size_t len, int eofok)
{
	char	*c = p;
	ssize_t	 n;
	size_t	 got = 0;

	while (got < len) {
		if ((n = read(INETD_CHANFD, c + got, len - got)) == 0 &&
		    got == 0 && eofok)
			exit(0);
		if (n <= 0)
			fatalx("check: short read");
		got += n;
	}
}

static void
check_write(const void *p, size_t len)
{
	if (tls_writeall(INETD_CHANFD, p, len) == -1)
		fatalx("check: short write");
}

/* A passphrase is refused, never asked for on a terminal. */
static int
check_nopass(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return 0;
}

/*
 * Certificates only, written anew from what was parsed: whatever else a
 * file holds (a private key pasted after the chain, say) never reaches
 * the engines.  NULL if there is none.
 */
static char *
check_certs(const char *buf, size_t len, X509 **leafp, int *np,
    size_t *lenp)
{
	BIO	*in, *out;
	X509	*x;
	BUF_MEM	*bm;
	char	*text = NULL;
	int	 n = 0;

	if ((in = BIO_new_mem_buf(buf, len)) == NULL ||
	    (out = BIO_new(BIO_s_mem())) == NULL)
		fatalx("BIO_new");
	while ((x = PEM_read_bio_X509(in, NULL, check_nopass, NULL)) != NULL) {
		if (PEM_write_bio_X509(out, x) != 1)
			fatalx("PEM_write_bio_X509");
		if (n++ == 0 && leafp != NULL)
			*leafp = x;
		else
			X509_free(x);
	}
	ERR_clear_error();
	BIO_get_mem_ptr(out, &bm);
	if (n > 0 && bm->length <= TLSCHECK_MAXOUT) {
		if ((text = malloc(bm->length)) == NULL)
			fatal("malloc");
		memcpy(text, bm->data, bm->length);
		*lenp = bm->length;
	}
	BIO_free(out);
	BIO_free(in);
	*np = n;
	return text;
}

/* The key's kind, as -n shows it, or -1 for one we cannot serve. */
static int
check_keykind(EVP_PKEY *pk, char *buf, size_t len)
{
	char	 group[64];
	size_t	 glen;

	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_EC:
		if (EVP_PKEY_get_utf8_string_param(pk, "group", group,
		    sizeof(group), &glen) != 1)
			return -1;
		if (strcmp(group, "prime256v1") != 0 &&
		    strcmp(group, "secp384r1") != 0)
			return -1;
		snprintf(buf, len, "EC %s", strcmp(group, "prime256v1") == 0 ?
		    "P-256" : "P-384");
		return 0;
	case EVP_PKEY_RSA:
		/* A signature must fit the keys process's answer. */
		if (EVP_PKEY_get_bits(pk) < 2048 ||
		    EVP_PKEY_get_bits(pk) > 8 * TLSKEY_MAX)
			return -1;
		snprintf(buf, len, "RSA %d", EVP_PKEY_get_bits(pk));
		return 0;
	}
	return -1;
}

/* tls-ciphers=, as OpenSSL takes it (never with RSA key exchange). */
static int
check_ciphers(const char *ciphers)
{
	SSL_CTX	*ctx;
	char	 list[sizeof(((struct tlscheck_req *)0)->cq_ciphers) + 16];
	int	 ok;

	if (ciphers[0] == '\0')
		return 0;
	snprintf(list, sizeof(list), "%s:!kRSA", ciphers);
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		fatalx("SSL_CTX_new");
	ok = SSL_CTX_set_cipher_list(ctx, list);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return ok == 1 ? 0 : -1;
}

/* One entry: its answer, and the bytes that follow it. */
static void
check_entry(const struct tlscheck_req *cq, const char *cert,
    const char *key, const char *ca)
{
	struct tlscheck_ans	 ca_;
	BIO			*b;
	X509			*leaf = NULL;
	EVP_PKEY		*pk = NULL;
	unsigned char		*der = NULL;
	char			*chain = NULL, *cas = NULL;
	size_t			 chainlen = 0, calen = 0;
	int			 nchain = 0, ncas, derlen = 0;
	struct tm		 tm;

	memset(&ca_, 0, sizeof(ca_));
	ca_.ca_magic = TLSCHECK_MAGIC;
	if ((chain = check_certs(cert, cq->cq_certlen, &leaf, &nchain,
	    &chainlen)) == NULL) {
		ca_.ca_status = TLSCHECK_NOCERT;
		goto done;
	}
	if ((b = BIO_new_mem_buf(key, cq->cq_keylen)) == NULL)
		fatalx("BIO_new_mem_buf");
	pk = PEM_read_bio_PrivateKey(b, NULL, check_nopass, NULL);
	BIO_free(b);
	if (pk == NULL) {
		ca_.ca_status = TLSCHECK_NOKEY;
		goto done;
	}
	if (check_keykind(pk, ca_.ca_kind, sizeof(ca_.ca_kind)) == -1) {
		ca_.ca_status = TLSCHECK_KEYKIND;
		goto done;
	}
	if (X509_check_private_key(leaf, pk) != 1) {
		ca_.ca_status = TLSCHECK_MISMATCH;
		goto done;
	}
	if (check_ciphers(cq->cq_ciphers) == -1) {
		ca_.ca_status = TLSCHECK_CIPHERS;
		goto done;
	}
	if (cq->cq_calen > 0 && (cas = check_certs(ca, cq->cq_calen, NULL,
	    &ncas, &calen)) == NULL) {
		ca_.ca_status = TLSCHECK_NOCA;
		goto done;
	}
	if ((derlen = i2d_PrivateKey(pk, &der)) <= 0 ||
	    derlen > CONF_MAXTLSFILE) {
		ca_.ca_status = TLSCHECK_ENCODE;
		goto done;
	}
	if (ASN1_TIME_to_tm(X509_get0_notAfter(leaf), &tm) != 1)
		memset(&tm, 0, sizeof(tm));
	ca_.ca_notafter = timegm(&tm);
	ca_.ca_nchain = nchain - 1;
	X509_NAME_oneline(X509_get_subject_name(leaf), ca_.ca_subject,
	    sizeof(ca_.ca_subject));
	ca_.ca_chainlen = chainlen;
	ca_.ca_keylen = derlen;
	ca_.ca_calen = calen;
 done:
	check_write(&ca_, sizeof(ca_));
	if (ca_.ca_status == TLSCHECK_OK) {
		check_write(chain, chainlen);
		check_write(der, derlen);
		check_write(cas, calen);
	}
	free(chain);
	free(cas);
	if (der != NULL)
		OPENSSL_clear_free(der, derlen);
	EVP_PKEY_free(pk);
	X509_free(leaf);
	ERR_clear_error();
}

/*
 * Who it becomes, before it reads anything but that: the privsep user
 * in the empty chroot, as every unprivileged role (proc_drop); run by a
 * user's inetd -n, it stays that user.  Then the keys process's rest.
 */
static void
check_confine(const struct tlscheck_start *cs)
{
	struct msg_init	 mi;

	if (geteuid() == 0) {
		memset(&mi, 0, sizeof(mi));
		mi.mi_uid = cs->cs_uid;
		mi.mi_gid = cs->cs_gid;
		proc_drop(&mi, "check process");
	} else if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("no-new-privs");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    unveil_deny_all() == -1 || tls_filter(NULL, 0) == -1)
		fatal("check: confinement");
}

__dead void
check_main(void)
{
	struct tlscheck_start	 cs;
	struct tlscheck_req	 cq;
	char			*cert, *key, *ca;

	log_init(1, 0);
	setproctitle("check");
	log_setname("check");
	if (OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1)
		fatalx("OpenSSL");
	check_read(&cs, sizeof(cs), 0);
	if (cs.cs_magic != TLSCHECK_MAGIC)
		fatalx("check: bad start");
	check_confine(&cs);
	for (;;) {
		check_read(&cq, sizeof(cq), 1);
		if (cq.cq_magic != TLSCHECK_MAGIC ||
		    cq.cq_certlen > CONF_MAXTLSFILE ||
		    cq.cq_keylen > CONF_MAXTLSFILE ||
		    cq.cq_calen > CONF_MAXTLSFILE ||
		    memchr(cq.cq_ciphers, '\0', sizeof(cq.cq_ciphers)) == NULL)
			fatalx("check: bad request");
		if ((cert = malloc(cq.cq_certlen + 1)) == NULL ||
		    (key = malloc(cq.cq_keylen + 1)) == NULL ||
		    (ca = malloc(cq.cq_calen + 1)) == NULL)
			fatal("malloc");
		check_read(cert, cq.cq_certlen, 0);
		check_read(key, cq.cq_keylen, 0);
		check_read(ca, cq.cq_calen, 0);
		check_entry(&cq, cert, key, ca);
		explicit_bzero(key, cq.cq_keylen);
		free(cert);
		free(key);
		free(ca);
	}
}
