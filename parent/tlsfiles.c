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
 * The files of a tls=yes entry, as the parent reads them at load: the
 * key readable by root only, under directories only root can change;
 * the certificate chain and the key a pair; the key a kind the engine
 * can forward (EC P-256 or P-384, RSA of 2048 bits or more); the
 * certificate's expiry said when it is near.  Each file is read once,
 * into memory, and checked there: what goes to the keys process and to
 * the engines is what was checked, whatever happens to the files later.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

#define TLSFILES_SOON	(30 * 86400)	/* expiry warned about within */

/*
 * A file the parent may trust, read whole; key: readable by root only.
 * The text is NUL-terminated (not counted in *lenp).
 */
static char *
tlsfiles_read(const char *path, int key, size_t *lenp, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		*buf = NULL;
	ssize_t		 n = 0;
	size_t		 len = 0;
	int		 fd;

	if (path[0] != '/') {
		snprintf(err, errlen, "%s: not an absolute path", path);
		return NULL;
	}
	if (safepath_dirs(path, err, errlen) == -1)
		return NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(err, errlen, "%s: owned by uid %u, not root", path,
		    (unsigned)st.st_uid);
		goto fail;
	}
	if ((key && (st.st_mode & 077) != 0) ||
	    (!key && (st.st_mode & 022) != 0)) {
		snprintf(err, errlen, "%s: mode %03o; %s", path,
		    (unsigned)(st.st_mode & 0777), key ? "a key must be "
		    "readable by its owner only (chmod 600)" : "writable by "
		    "others");
		goto fail;
	}
	if (st.st_size > CONF_MAXTLSFILE) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    CONF_MAXTLSFILE);
		goto fail;
	}
	/* One byte more than its size: to see that it did not grow. */
	if ((buf = malloc(st.st_size + 2)) == NULL)
		fatal("malloc");
	while (len < (size_t)st.st_size + 1 &&
	    (n = read(fd, buf + len, st.st_size + 1 - len)) > 0)
		len += n;
	if (n == -1 || len != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: %s", path, n == -1 ?
		    strerror(errno) : "changed while read");
		goto fail;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
 fail:
	if (buf != NULL) {
		explicit_bzero(buf, st.st_size + 2);
		free(buf);
	}
	close(fd);
	return NULL;
}

/* A key with a passphrase is refused, never asked about on a terminal. */
static int
tlsfiles_nopass(char *buf, int size, int rwflag, void *arg)
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
tlsfiles_certs(BIO *in, X509 **leafp, int *np, size_t *lenp)
{
	BIO	*out;
	X509	*x;
	BUF_MEM	*bm;
	char	*text = NULL;
	int	 n = 0;

	if ((out = BIO_new(BIO_s_mem())) == NULL)
		fatalx("BIO_new");
	while ((x = PEM_read_bio_X509(in, NULL, tlsfiles_nopass, NULL)) !=
	    NULL) {
		if (PEM_write_bio_X509(out, x) != 1)
			fatalx("PEM_write_bio_X509");
		if (n++ == 0 && leafp != NULL)
			*leafp = x;
		else
			X509_free(x);
	}
	ERR_clear_error();
	BIO_get_mem_ptr(out, &bm);
	if (n > 0) {
		if ((text = malloc(bm->length + 1)) == NULL)
			fatal("malloc");
		memcpy(text, bm->data, bm->length);
		text[bm->length] = '\0';
		*lenp = bm->length;
	}
	BIO_free(out);
	*np = n;
	return text;
}

/* The private key, as DER for the keys process, from a PEM text. */
static char *
tlsfiles_keyder(EVP_PKEY *pk, size_t *lenp)
{
	unsigned char	*der = NULL;
	char		*copy;
	int		 len;

	if ((len = i2d_PrivateKey(pk, &der)) <= 0)
		return NULL;
	if ((copy = malloc(len)) == NULL)
		fatal("malloc");
	memcpy(copy, der, len);
	OPENSSL_clear_free(der, len);
	*lenp = len;
	return copy;
}

/* A PEM text as a memory BIO. */
static BIO *
tlsfiles_bio(const char *buf, size_t len)
{
	BIO	*b;

	if ((b = BIO_new_mem_buf(buf, len)) == NULL)
		fatalx("BIO_new_mem_buf");
	return b;
}

/* The client CAs: certificates, at least one, and nothing else. */
static int
tlsfiles_ca(const struct servconf *se, struct tlsdata *td, char *err,
    size_t errlen)
{
	BIO	*b;
	char	*buf, *certs;
	size_t	 len, clen = 0;
	int	 n;

	if ((buf = tlsfiles_read(se->se_tlsca, 0, &len, err, errlen)) == NULL)
		return -1;
	b = tlsfiles_bio(buf, len);
	certs = tlsfiles_certs(b, NULL, &n, &clen);
	BIO_free(b);
	explicit_bzero(buf, len);
	free(buf);
	if (certs == NULL) {
		snprintf(err, errlen, "%s: no certificate in it", se->se_tlsca);
		return -1;
	}
	if (td != NULL) {
		td->td_ca = certs;
		td->td_calen = clen;
	} else
		free(certs);
	return 0;
}

/* tls-ciphers=, as OpenSSL takes it (never with RSA key exchange). */
static int
tlsfiles_ciphers(const struct servconf *se, char *err, size_t errlen)
{
	SSL_CTX	*ctx;
	char	 list[CONF_MAXTLSCIPHERS + 16];
	int	 ok;

	if (se->se_tlsciphers[0] == '\0')
		return 0;
	snprintf(list, sizeof(list), "%s:!kRSA", se->se_tlsciphers);
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		fatalx("SSL_CTX_new");
	ok = SSL_CTX_set_cipher_list(ctx, list);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	if (ok != 1) {
		snprintf(err, errlen, "tls-ciphers=%s: no cipher OpenSSL "
		    "knows (RSA key exchange is always left out)",
		    se->se_tlsciphers);
		return -1;
	}
	return 0;
}

/* The key's kind, as -n shows it, or NULL for one we cannot serve. */
static const char *
tlsfiles_keykind(EVP_PKEY *pk, char *buf, size_t len)
{
	char	 group[64];
	size_t	 glen;

	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_EC:
		if (EVP_PKEY_get_utf8_string_param(pk, "group", group,
		    sizeof(group), &glen) != 1)
			return NULL;
		if (strcmp(group, "prime256v1") != 0 &&
		    strcmp(group, "secp384r1") != 0)
			return NULL;
		snprintf(buf, len, "EC %s", strcmp(group, "prime256v1") == 0 ?
		    "P-256" : "P-384");
		return buf;
	case EVP_PKEY_RSA:
		/* A signature must fit the keys process's answer. */
		if (EVP_PKEY_get_bits(pk) < 2048 ||
		    EVP_PKEY_get_bits(pk) > 8 * TLSKEY_MAX)
			return NULL;
		snprintf(buf, len, "RSA %d", EVP_PKEY_get_bits(pk));
		return buf;
	}
	return NULL;
}

/*
 * Check an entry's files.  0, with what -n shows in info and a warning
 * (or "") in warn; -1 with the reason in err.
 */
int
tlsfiles_check(const struct servconf *se, struct tlsdata *td, char *info,
    size_t infolen, char *warn, size_t warnlen, char *err, size_t errlen)
{
	BIO		*b;
	X509		*leaf = NULL;
	EVP_PKEY	*pk = NULL;
	char		*text, *chain = NULL, *key = NULL, *der = NULL;
	char		 kind[32], subj[256], when[32];
	size_t		 textlen, chainlen = 0, keylen = 0, derlen = 0;
	const ASN1_TIME	*na;
	struct tm	 tm;
	time_t		 soon;
	int		 nchain = 0, rv = -1;

	warn[0] = '\0';
	if ((text = tlsfiles_read(se->se_tlscert, 0, &textlen, err,
	    errlen)) == NULL)
		return -1;
	b = tlsfiles_bio(text, textlen);
	chain = tlsfiles_certs(b, &leaf, &nchain, &chainlen);
	BIO_free(b);
	explicit_bzero(text, textlen);
	free(text);
	if (chain == NULL) {
		snprintf(err, errlen, "%s: no certificate in it",
		    se->se_tlscert);
		goto done;
	}
	nchain--;
	if ((key = tlsfiles_read(se->se_tlskey, 1, &keylen, err,
	    errlen)) == NULL)
		goto done;
	b = tlsfiles_bio(key, keylen);
	pk = PEM_read_bio_PrivateKey(b, NULL, tlsfiles_nopass, NULL);
	BIO_free(b);
	if (pk == NULL) {
		snprintf(err, errlen, "%s: no private key in it (or one with "
		    "a passphrase)", se->se_tlskey);
		goto done;
	}
	if (tlsfiles_keykind(pk, kind, sizeof(kind)) == NULL) {
		snprintf(err, errlen, "%s: only EC P-256 and P-384 keys and "
		    "RSA keys of 2048 bits or more are served",
		    se->se_tlskey);
		goto done;
	}
	if (X509_check_private_key(leaf, pk) != 1) {
		snprintf(err, errlen, "%s does not go with the certificate "
		    "of %s", se->se_tlskey, se->se_tlscert);
		goto done;
	}
	if (tlsfiles_ciphers(se, err, errlen) == -1 ||
	    (se->se_tlsca[0] != '\0' && tlsfiles_ca(se, td, err,
	    errlen) == -1))
		goto done;
	na = X509_get0_notAfter(leaf);
	if (ASN1_TIME_to_tm(na, &tm) != 1)
		memset(&tm, 0, sizeof(tm));
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	soon = time(NULL) + TLSFILES_SOON;
	if (X509_cmp_current_time(na) < 0)
		snprintf(warn, warnlen, "the certificate of %s expired on %s",
		    se->se_tlscert, when);
	else if (X509_cmp_time(na, &soon) < 0)
		snprintf(warn, warnlen, "the certificate of %s expires on %s",
		    se->se_tlscert, when);
	X509_NAME_oneline(X509_get_subject_name(leaf), subj, sizeof(subj));
	snprintf(info, infolen, "certificate %s (and %d more in the chain), "
	    "expires %s, key %s; %s%s%s; ciphers %s; handshake within %d s%s",
	    subj, nchain, when, kind,
	    (se->se_tlsprotos & CONF_TLS_V12) ? "TLSv1.2" : "",
	    se->se_tlsprotos == (CONF_TLS_V12 | CONF_TLS_V13) ? " " : "",
	    (se->se_tlsprotos & CONF_TLS_V13) ? "TLSv1.3" : "",
	    se->se_tlsciphers[0] != '\0' ? se->se_tlsciphers : "HIGH:!aNULL",
	    se->se_tlstimeout, se->se_tlsclient == CONF_TLSCLIENT_REQUIRED ?
	    "; client certificate required" : se->se_tlsclient ==
	    CONF_TLSCLIENT_OPTIONAL ? "; client certificate optional" : "");
	if (td != NULL) {
		if ((der = tlsfiles_keyder(pk, &derlen)) == NULL) {
			snprintf(err, errlen, "%s: the key cannot be encoded",
			    se->se_tlskey);
			goto done;
		}
		td->td_chain = chain;
		td->td_chainlen = chainlen;
		td->td_key = der;
		td->td_keylen = derlen;
		chain = der = NULL;
	}
	rv = 0;
 done:
	free(chain);
	if (key != NULL) {
		explicit_bzero(key, keylen);
		free(key);
	}
	EVP_PKEY_free(pk);
	X509_free(leaf);
	ERR_clear_error();
	return rv;
}
