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
 * certificate's expiry said when it is near.  Nothing here keeps the
 * key: it is read again, to be handed to the key process, when the
 * table goes in force.
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
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "inetd.h"

#define TLSFILES_SOON	(30 * 86400)	/* expiry warned about within */

/* A file the parent may trust, opened; key: readable by root only. */
static FILE *
tlsfiles_open(const char *path, int key, char *err, size_t errlen)
{
	struct stat	 st;
	FILE		*f;
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
		close(fd);
		return NULL;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(err, errlen, "%s: owned by uid %u, not root", path,
		    (unsigned)st.st_uid);
		close(fd);
		return NULL;
	}
	if ((key && (st.st_mode & 077) != 0) ||
	    (!key && (st.st_mode & 022) != 0)) {
		snprintf(err, errlen, "%s: mode %03o; %s", path,
		    (unsigned)(st.st_mode & 0777), key ? "a key must be "
		    "readable by its owner only (chmod 600)" : "writable by "
		    "others");
		close(fd);
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
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
		if (EVP_PKEY_get_bits(pk) < 2048)
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
tlsfiles_check(const struct servconf *se, char *info, size_t infolen,
    char *warn, size_t warnlen, char *err, size_t errlen)
{
	FILE		*f;
	X509		*leaf = NULL, *x;
	EVP_PKEY	*pk = NULL;
	char		 kind[32], subj[256], when[32];
	const ASN1_TIME	*na;
	struct tm	 tm;
	time_t		 soon;
	int		 nchain = 0, rv = -1;

	warn[0] = '\0';
	if ((f = tlsfiles_open(se->se_tlscert, 0, err, errlen)) == NULL)
		return -1;
	if ((leaf = PEM_read_X509(f, NULL, NULL, NULL)) == NULL) {
		snprintf(err, errlen, "%s: no certificate in it",
		    se->se_tlscert);
		fclose(f);
		return -1;
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		nchain++;
		X509_free(x);
	}
	ERR_clear_error();
	fclose(f);
	if ((f = tlsfiles_open(se->se_tlskey, 1, err, errlen)) == NULL)
		goto done;
	pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
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
	    "expires %s, key %s", subj, nchain, when, kind);
	rv = 0;
 done:
	EVP_PKEY_free(pk);
	X509_free(leaf);
	ERR_clear_error();
	return rv;
}
