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
 *
 * The parent reads; the check process (tls/check.c, in inetd-tls)
 * parses, with OpenSSL, which the parent does not link.  It is started
 * at the first tls= entry of a load and ended with the load.  An answer
 * is checked as any peer's: a check process that breaks the protocol,
 * dies or says nothing for TLSCHECK_TIMEOUT fails the entry, and so the
 * load.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inetd.h"
#include "tlscheck.h"

#define TLSFILES_SOON	(30 * 86400)	/* expiry warned about within */

static int	 tlsfiles_exe = -1;	/* inetd-tls, held open */
static int	 tlsfiles_exeerr;	/* why it could not be, or 0 */
static char	 tlsfiles_exepath[PATH_MAX];
static int	 tlsfiles_fd = -1;	/* the check process's stream */
static pid_t	 tlsfiles_pid = -1;

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

/*
 * inetd-tls, beside the binary inetd runs from, opened once and held:
 * the keys and TLS processes and the check process are started from
 * this descriptor, never from the path, as the roles are (proc_start).
 * Root's, a regular file nobody else may write.  -1 if there is none.
 */
int
tlsfiles_exefd(void)
{
	char		 self[PATH_MAX];
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	if (tlsfiles_exe != -1 || tlsfiles_exeerr != 0)
		return tlsfiles_exe;
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1) {
		tlsfiles_exeerr = errno;
		strlcpy(tlsfiles_exepath, "/proc/self/exe",
		    sizeof(tlsfiles_exepath));
		return -1;
	}
	self[n] = '\0';
	snprintf(tlsfiles_exepath, sizeof(tlsfiles_exepath), "%s/inetd-tls",
	    dirname(self));
	if ((fd = open(tlsfiles_exepath, O_RDONLY | O_CLOEXEC)) == -1) {
		tlsfiles_exeerr = errno;
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & 022) != 0) {
		close(fd);
		tlsfiles_exeerr = EPERM;
		return -1;
	}
	tlsfiles_exe = fd;
	return fd;
}

/* The check process ends with the load that started it. */
void
tlsfiles_done(void)
{
	int	 status;

	if (tlsfiles_fd == -1)
		return;
	close(tlsfiles_fd);
	tlsfiles_fd = -1;
	/* It ends on end of file; one that does not is made to. */
	if (waitpid(tlsfiles_pid, &status, WNOHANG) == 0) {
		kill(tlsfiles_pid, SIGKILL);
		waitpid(tlsfiles_pid, &status, 0);
	}
	tlsfiles_pid = -1;
}

/*
 * All of len bytes each way, within the timeout, or -1.  send(), not
 * write(): inetd -n does not ignore SIGPIPE, and a check process gone
 * must fail the entry, not end inetd.
 */
static int
tlsfiles_send(const void *p, size_t len)
{
	const char	*c = p;
	ssize_t		 n;

	while (len > 0) {
		if ((n = send(tlsfiles_fd, c, len, MSG_NOSIGNAL)) <= 0)
			return -1;
		c += n;
		len -= n;
	}
	return 0;
}

static int
tlsfiles_recv(void *p, size_t len)
{
	struct pollfd	 pfd;
	char		*c = p;
	ssize_t		 n;

	pfd.fd = tlsfiles_fd;
	pfd.events = POLLIN;
	while (len > 0) {
		if (poll(&pfd, 1, TLSCHECK_TIMEOUT) != 1 ||
		    (n = read(tlsfiles_fd, c, len)) <= 0)
			return -1;
		c += n;
		len -= n;
	}
	return 0;
}

/* A part of the answer: len bytes, NUL-terminated, or NULL. */
static char *
tlsfiles_recv_part(size_t len)
{
	char	*buf;

	if (len == 0)
		return NULL;
	if ((buf = malloc(len + 1)) == NULL)
		fatal("malloc");
	if (tlsfiles_recv(buf, len) == -1) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* The check process, started once a load needs it. */
static int
tlsfiles_start(char *err, size_t errlen)
{
	struct tlscheck_start	 cs;
	struct names_pw		 pw;
	int			 found;

	if (tlsfiles_fd != -1)
		return 0;
	if (tlsfiles_exefd() == -1) {
		snprintf(err, errlen, "%s: %s (tls= needs it)",
		    tlsfiles_exepath, strerror(tlsfiles_exeerr));
		return -1;
	}
	memset(&cs, 0, sizeof(cs));
	cs.cs_magic = TLSCHECK_MAGIC;
	if (geteuid() == 0) {
		if ((found = names_getpwnam(INETD_USER, &pw)) == -1) {
			snprintf(err, errlen, "looking up user %s: %s",
			    INETD_USER, names_error());
			return -1;
		}
		if (found == 0 || pw.np_uid == 0 || pw.np_gid == 0) {
			snprintf(err, errlen, "no unprivileged user %s to "
			    "check the files as", INETD_USER);
			return -1;
		}
		cs.cs_uid = pw.np_uid;
		cs.cs_gid = pw.np_gid;
	}
	/* A load that cannot fork fails; the table in force stays. */
	if ((tlsfiles_pid = proc_start(tlsfiles_exe, ROLE_CHECK,
	    &tlsfiles_fd)) == -1) {
		snprintf(err, errlen, "the check process: %s",
		    strerror(errno));
		return -1;
	}
	if (tlsfiles_send(&cs, sizeof(cs)) == -1) {
		tlsfiles_done();
		snprintf(err, errlen, "the check process did not start");
		return -1;
	}
	return 0;
}

/* The check process's reason, said as the parent said it before. */
static void
tlsfiles_reason(const struct servconf *se, uint32_t status, char *err,
    size_t errlen)
{
	switch (status) {
	case TLSCHECK_NOCERT:
		snprintf(err, errlen, "%s: no certificate in it",
		    se->se_tlscert);
		break;
	case TLSCHECK_NOKEY:
		snprintf(err, errlen, "%s: no private key in it (or one with "
		    "a passphrase)", se->se_tlskey);
		break;
	case TLSCHECK_KEYKIND:
		snprintf(err, errlen, "%s: only EC P-256 and P-384 keys and "
		    "RSA keys of 2048 bits or more are served",
		    se->se_tlskey);
		break;
	case TLSCHECK_MISMATCH:
		snprintf(err, errlen, "%s does not go with the certificate "
		    "of %s", se->se_tlskey, se->se_tlscert);
		break;
	case TLSCHECK_CIPHERS:
		snprintf(err, errlen, "tls-ciphers=%s: no cipher OpenSSL "
		    "knows (RSA key exchange is always left out)",
		    se->se_tlsciphers);
		break;
	case TLSCHECK_NOCA:
		snprintf(err, errlen, "%s: no certificate in it",
		    se->se_tlsca);
		break;
	default:
		snprintf(err, errlen, "%s: the key cannot be encoded",
		    se->se_tlskey);
		break;
	}
}

/* An answer's fixed part, against what check_entry can write. */
static int
tlsfiles_ans_valid(struct tlscheck_ans *ca, int wantca)
{
	if (ca->ca_magic != TLSCHECK_MAGIC || ca->ca_status >= TLSCHECK_MAX ||
	    ca->ca_pad != 0 || ca->ca_pad2 != 0)
		return 0;
	if (ca->ca_status != TLSCHECK_OK)
		return ca->ca_chainlen == 0 && ca->ca_keylen == 0 &&
		    ca->ca_calen == 0;
	if (ca->ca_chainlen == 0 || ca->ca_chainlen > TLSCHECK_MAXOUT ||
	    ca->ca_keylen == 0 || ca->ca_keylen > CONF_MAXTLSFILE ||
	    ca->ca_calen > TLSCHECK_MAXOUT || (ca->ca_calen > 0) != wantca ||
	    ca->ca_nchain > CONF_MAXTLSFILE)
		return 0;
	ca->ca_subject[sizeof(ca->ca_subject) - 1] = '\0';
	ca->ca_kind[sizeof(ca->ca_kind) - 1] = '\0';
	return 1;
}

/*
 * The check process's answer for the files read: 0 with the answer's
 * fixed part in ca and its parts in td (when td is not NULL), -1 with
 * the reason in err.
 */
static int
tlsfiles_ask(const struct servconf *se, const char *cert, size_t certlen,
    const char *key, size_t keylen, const char *cabuf, size_t calen,
    struct tlscheck_ans *ca, struct tlsdata *td, char *err, size_t errlen)
{
	struct tlscheck_req	 cq;
	char			*chain = NULL, *der = NULL, *cas = NULL;

	if (tlsfiles_start(err, errlen) == -1)
		return -1;
	memset(&cq, 0, sizeof(cq));
	cq.cq_magic = TLSCHECK_MAGIC;
	cq.cq_certlen = certlen;
	cq.cq_keylen = keylen;
	cq.cq_calen = calen;
	if (strlcpy(cq.cq_ciphers, se->se_tlsciphers,
	    sizeof(cq.cq_ciphers)) >= sizeof(cq.cq_ciphers)) {
		snprintf(err, errlen, "tls-ciphers= too long");
		return -1;
	}
	if (tlsfiles_send(&cq, sizeof(cq)) == -1 ||
	    tlsfiles_send(cert, certlen) == -1 ||
	    tlsfiles_send(key, keylen) == -1 ||
	    tlsfiles_send(cabuf, calen) == -1 ||
	    tlsfiles_recv(ca, sizeof(*ca)) == -1 ||
	    !tlsfiles_ans_valid(ca, calen > 0))
		goto broken;
	if (ca->ca_status != TLSCHECK_OK) {
		tlsfiles_reason(se, ca->ca_status, err, errlen);
		return -1;
	}
	if ((chain = tlsfiles_recv_part(ca->ca_chainlen)) == NULL ||
	    (der = tlsfiles_recv_part(ca->ca_keylen)) == NULL ||
	    (ca->ca_calen > 0 &&
	    (cas = tlsfiles_recv_part(ca->ca_calen)) == NULL))
		goto broken;
	if (td != NULL) {
		td->td_chain = chain;
		td->td_chainlen = ca->ca_chainlen;
		td->td_key = der;
		td->td_keylen = ca->ca_keylen;
		td->td_ca = cas;
		td->td_calen = ca->ca_calen;
		return 0;
	}
	free(chain);
	explicit_bzero(der, ca->ca_keylen);
	free(der);
	free(cas);
	return 0;
 broken:
	free(chain);
	if (der != NULL) {
		explicit_bzero(der, ca->ca_keylen);
		free(der);
	}
	free(cas);
	tlsfiles_done();
	snprintf(err, errlen, "the check process failed (see the log)");
	return -1;
}

/*
 * Check an entry's files.  0, with what -n shows in info and a warning
 * (or "") in warn; -1 with the reason in err.
 */
int
tlsfiles_check(const struct servconf *se, struct tlsdata *td, char *info,
    size_t infolen, char *warn, size_t warnlen, char *err, size_t errlen)
{
	struct tlscheck_ans	 ca;
	char			*cert = NULL, *key = NULL, *cabuf = NULL;
	char			 when[32];
	size_t			 certlen = 0, keylen = 0, calen = 0;
	struct tm		 tm;
	time_t			 na, now;
	int			 rv = -1;

	warn[0] = '\0';
	if ((cert = tlsfiles_read(se->se_tlscert, 0, &certlen, err,
	    errlen)) == NULL ||
	    (key = tlsfiles_read(se->se_tlskey, 1, &keylen, err,
	    errlen)) == NULL ||
	    (se->se_tlsca[0] != '\0' && (cabuf = tlsfiles_read(se->se_tlsca,
	    0, &calen, err, errlen)) == NULL))
		goto done;
	if (tlsfiles_ask(se, cert, certlen, key, keylen, cabuf, calen, &ca,
	    td, err, errlen) == -1)
		goto done;
	na = ca.ca_notafter;
	if (gmtime_r(&na, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	now = time(NULL);
	if (na < now)
		snprintf(warn, warnlen, "the certificate of %s expired on %s",
		    se->se_tlscert, when);
	else if (na < now + TLSFILES_SOON)
		snprintf(warn, warnlen, "the certificate of %s expires on %s",
		    se->se_tlscert, when);
	snprintf(info, infolen, "certificate %s (and %u more in the chain), "
	    "expires %s, key %s; %s%s%s; ciphers %s; handshake within %d s%s",
	    ca.ca_subject, ca.ca_nchain, when, ca.ca_kind,
	    (se->se_tlsprotos & CONF_TLS_V12) ? "TLSv1.2" : "",
	    se->se_tlsprotos == (CONF_TLS_V12 | CONF_TLS_V13) ? " " : "",
	    (se->se_tlsprotos & CONF_TLS_V13) ? "TLSv1.3" : "",
	    se->se_tlsciphers[0] != '\0' ? se->se_tlsciphers : "HIGH:!aNULL",
	    se->se_tlstimeout, se->se_tlsclient == CONF_TLSCLIENT_REQUIRED ?
	    "; client certificate required" : se->se_tlsclient ==
	    CONF_TLSCLIENT_OPTIONAL ? "; client certificate optional" : "");
	rv = 0;
 done:
	free(cert);
	if (key != NULL) {
		explicit_bzero(key, keylen);
		free(key);
	}
	free(cabuf);
	return rv;
}
