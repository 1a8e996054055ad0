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
 * The settings of a tls= entry's engines, written once per table by
 * the parent into a sealed memory file: the spawner takes its deadline
 * from it and hands it to the TLS process, which builds the entry's
 * context from it once.  Sealed, no process can change what the other
 * reads.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"
#include "tlskey.h"

#define TLS_SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
			    F_SEAL_WRITE)

/* All of len bytes to fd, or -1 (the check process's answers too). */
int
tls_writeall(int fd, const void *p, size_t len)
{
	const char	*c = p;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, c, len)) <= 0)
			return -1;
		c += n;
		len -= n;
	}
	return 0;
}

/* The file for se, with the engines' user; -1 on failure (errno). */
int
tls_settings_fd(const struct servconf *se, uid_t uid, gid_t gid)
{
	struct tls_settings	 ts;
	const struct tlsdata	*td = se->se_tlsdata;
	int			 fd;

	memset(&ts, 0, sizeof(ts));
	ts.ts_magic = TLS_SETTINGS_MAGIC;
	ts.ts_uid = uid;
	ts.ts_gid = gid;
	ts.ts_timeout = se->se_tlstimeout;
	ts.ts_protos = se->se_tlsprotos;
	ts.ts_client = se->se_tlsclient;
	strlcpy(ts.ts_ciphers, se->se_tlsciphers, sizeof(ts.ts_ciphers));
	ts.ts_chainlen = td->td_chainlen;
	ts.ts_calen = td->td_ca != NULL ? td->td_calen : 0;
	if ((fd = memfd_create("inetd-tls", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1)
		return -1;
	if (tls_writeall(fd, &ts, sizeof(ts)) == -1 ||
	    tls_writeall(fd, td->td_chain, td->td_chainlen) == -1 ||
	    (ts.ts_calen > 0 &&
	    tls_writeall(fd, td->td_ca, td->td_calen) == -1) ||
	    fcntl(fd, F_ADD_SEALS, TLS_SEALS) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Whether fd is such a file: sealed, and as long as it says; its
 * handshake deadline, for the spawner's log lines, in *timeout.
 */
int
tls_settings_check_fd(int fd, int *timeout)
{
	struct tls_settings	 ts;
	struct stat		 st;
	int			 seals;

	if ((seals = fcntl(fd, F_GET_SEALS)) == -1 ||
	    (seals & TLS_SEALS) != TLS_SEALS || fstat(fd, &st) == -1 ||
	    pread(fd, &ts, sizeof(ts), 0) != (ssize_t)sizeof(ts) ||
	    ts.ts_magic != TLS_SETTINGS_MAGIC || ts.ts_uid == 0 ||
	    ts.ts_gid == 0 || ts.ts_chainlen > CONF_MAXTLSFILE ||
	    ts.ts_calen > CONF_MAXTLSFILE ||
	    (uint64_t)st.st_size != sizeof(ts) + (uint64_t)ts.ts_chainlen +
	    ts.ts_calen || ts.ts_timeout < 1 ||
	    ts.ts_timeout > CONF_MAXTLSTIMEOUT)
		return -1;
	*timeout = ts.ts_timeout;
	return 0;
}
