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
 * The TLS engine of one connection: the handshake and the record layer
 * between the client, on descriptor 0, and the service, on descriptor 1
 * (a socketpair), with the connection's channel to the keys process on
 * descriptor 3.  A child of the TLS process (tls/tlsproc.c), forked
 * with its entry's context ready, confined as that process is (empty
 * chroot, _inetd, no new privileges, an empty Landlock domain) and under
 * a filter of its own that allows the relay and nothing else: no open,
 * no socket, no exec, no fork.  It never has the key: a signature is
 * one request on descriptor 3.
 *
 * Once the handshake is done, the service's child gets one record of
 * the session (struct tls_session) before the first byte of plaintext.
 * The exit status says how it ended (TLSENG_*), which the spawner logs.
 */

#include <sys/types.h>
#include <sys/time.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <openssl/ssl.h>

#include "inetd.h"
#include "tlskey.h"

#define ENGINE_CLIENT	0
#define ENGINE_SERVICE	1
#define ENGINE_KEY	3
#define ENGINE_BUF	16384

/*
 * The certificates of a PEM text, as the context's own and its chain
 * (the leaf, to be freed, in *leafp), or as the client CAs.  -1: none,
 * or one OpenSSL would not take.
 */
static int
engine_certs(SSL_CTX *ctx, const char *pem, size_t len, X509 **leafp)
{
	BIO	*b;
	X509	*x;
	int	 n = 0, ok = 1;

	if ((b = BIO_new_mem_buf(pem, len)) == NULL)
		return -1;
	while (ok && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (leafp == NULL) {
			ok = X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx),
			    x) == 1 && SSL_CTX_add_client_CA(ctx, x) == 1;
			X509_free(x);
		} else if (n == 0) {
			ok = SSL_CTX_use_certificate(ctx, x) == 1;
			*leafp = x;
		} else if (!(ok = SSL_CTX_add0_chain_cert(ctx, x) == 1))
			X509_free(x);
		n++;
	}
	BIO_free(b);
	ERR_clear_error();
	return ok && n > 0 ? 0 : -1;
}

/*
 * The context of an entry, from the sealed settings the parent wrote
 * (fd), with the key forwarded over descriptor ENGINE_KEY, which is
 * each engine's own channel.  NULL if they do not hold.
 */
SSL_CTX *
tls_engine_context(int fd, int *timeout)
{
	struct tls_settings	 ts;
	SSL_CTX			*ctx = NULL;
	X509			*leaf = NULL;
	EVP_PKEY		*pk = NULL;
	char			*pem = NULL, ciphers[sizeof(ts.ts_ciphers) + 32];
	size_t			 len;

	if (pread(fd, &ts, sizeof(ts), 0) != (ssize_t)sizeof(ts) ||
	    ts.ts_magic != TLS_SETTINGS_MAGIC || ts.ts_uid != getuid() ||
	    ts.ts_gid != getgid() || ts.ts_timeout == 0 ||
	    ts.ts_timeout > CONF_MAXTLSTIMEOUT ||
	    ts.ts_chainlen > CONF_MAXTLSFILE || ts.ts_calen > CONF_MAXTLSFILE ||
	    ts.ts_ciphers[sizeof(ts.ts_ciphers) - 1] != '\0')
		return NULL;
	len = (size_t)ts.ts_chainlen + ts.ts_calen;
	if ((pem = malloc(len + 1)) == NULL ||
	    pread(fd, pem, len, sizeof(ts)) != (ssize_t)len)
		goto fail;
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		goto fail;
	SSL_CTX_set_min_proto_version(ctx, (ts.ts_protos & CONF_TLS_V12) ?
	    TLS1_2_VERSION : TLS1_3_VERSION);
	SSL_CTX_set_max_proto_version(ctx, (ts.ts_protos & CONF_TLS_V13) ?
	    TLS1_3_VERSION : TLS1_2_VERSION);
	/* No key exchange by RSA decryption: the keys process only signs. */
	snprintf(ciphers, sizeof(ciphers), "%s:!kRSA",
	    ts.ts_ciphers[0] != '\0' ? ts.ts_ciphers : "HIGH:!aNULL");
	if (SSL_CTX_set_cipher_list(ctx, ciphers) != 1)
		goto fail;
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	/*
	 * Only what the keys process signs: ECDSA of a whole digest, RSA
	 * with PSS.  A client that offers nothing of it is refused in the
	 * handshake, not after a signature that never comes.
	 */
	if (SSL_CTX_set1_sigalgs_list(ctx, "ECDSA+SHA256:ECDSA+SHA384:"
	    "ECDSA+SHA512:rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:"
	    "rsa_pss_rsae_sha512") != 1)
		goto fail;
	if (engine_certs(ctx, pem, ts.ts_chainlen, &leaf) == -1)
		goto fail;
	if (ts.ts_client != CONF_TLSCLIENT_NONE) {
		if (ts.ts_calen == 0 || engine_certs(ctx, pem + ts.ts_chainlen,
		    ts.ts_calen, NULL) == -1)
			goto fail;
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
		    (ts.ts_client == CONF_TLSCLIENT_REQUIRED ?
		    SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), NULL);
		SSL_CTX_set_verify_depth(ctx, 8);
	}
	/* No channel yet: each engine names its own (tls_engine_run). */
	if ((pk = forward_pkey(leaf, -1)) == NULL ||
	    SSL_CTX_use_PrivateKey(ctx, pk) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		goto fail;
	EVP_PKEY_free(pk);
	X509_free(leaf);
	freezero(pem, len + 1);
	ERR_clear_error();
	*timeout = ts.ts_timeout;
	return ctx;
 fail:
	EVP_PKEY_free(pk);
	X509_free(leaf);
	SSL_CTX_free(ctx);
	if (pem != NULL)
		freezero(pem, len + 1);
	ERR_clear_error();
	return NULL;
}

/* A field of the record: printable, cut to fit, always terminated. */
static void
engine_field(char *dst, size_t len, const char *src)
{
	size_t	 i;

	for (i = 0; i + 1 < len && src != NULL && src[i] != '\0'; i++)
		dst[i] = (src[i] >= 0x20 && src[i] <= 0x7e) ? src[i] : '?';
	dst[i] = '\0';
}

static void
engine_name(char *dst, size_t len, const X509_NAME *n)
{
	BIO	*b;
	char	*p;
	long	 l;
	char	 tmp[512];

	dst[0] = '\0';
	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0 &&
	    (l = BIO_get_mem_data(b, &p)) > 0) {
		/* Two names must never read the same: too long, no session. */
		if ((size_t)l >= len || (size_t)l >= sizeof(tmp))
			_exit(TLSENG_FAILED);
		memcpy(tmp, p, l);
		tmp[l] = '\0';
		engine_field(dst, len, tmp);
	}
	BIO_free(b);
}

/* What the service's child puts in the environment. */
static void
engine_session(SSL *ssl, struct tls_session *ti)
{
	X509		*peer;
	BIGNUM		*bn;
	char		*hex;

	memset(ti, 0, sizeof(*ti));
	ti->ti_magic = TLS_SESSION_MAGIC;
	engine_field(ti->ti_protocol, sizeof(ti->ti_protocol),
	    SSL_get_version(ssl));
	engine_field(ti->ti_cipher, sizeof(ti->ti_cipher),
	    SSL_get_cipher_name(ssl));
	engine_field(ti->ti_sni, sizeof(ti->ti_sni),
	    SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name));
	strlcpy(ti->ti_verify, "NONE", sizeof(ti->ti_verify));
	if ((peer = SSL_get1_peer_certificate(ssl)) == NULL)
		return;
	/* The handshake fails on a certificate that does not verify. */
	if (SSL_get_verify_result(ssl) == X509_V_OK)
		strlcpy(ti->ti_verify, "SUCCESS", sizeof(ti->ti_verify));
	engine_name(ti->ti_sdn, sizeof(ti->ti_sdn),
	    X509_get_subject_name(peer));
	engine_name(ti->ti_idn, sizeof(ti->ti_idn),
	    X509_get_issuer_name(peer));
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(peer),
	    NULL)) != NULL && (hex = BN_bn2hex(bn)) != NULL) {
		engine_field(ti->ti_serial, sizeof(ti->ti_serial), hex);
		OPENSSL_free(hex);
	}
	BN_free(bn);
	X509_free(peer);
}

static uint64_t
engine_msec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait for what the last SSL call wanted, until the deadline: 0, or
 * TLSENG_DEADLINE or TLSENG_FAILED for how the handshake ends.
 */
static int
engine_wait(SSL *ssl, int r, uint64_t deadline)
{
	struct pollfd	 pfd;
	uint64_t	 now;
	int		 n;

	pfd.fd = ENGINE_CLIENT;
	switch (SSL_get_error(ssl, r)) {
	case SSL_ERROR_WANT_READ:
		pfd.events = POLLIN;
		break;
	case SSL_ERROR_WANT_WRITE:
		pfd.events = POLLOUT;
		break;
	default:
		return TLSENG_FAILED;
	}
	do {
		if ((now = engine_msec()) >= deadline)
			return TLSENG_DEADLINE;
		n = poll(&pfd, 1, deadline - now);
	} while (n == -1 && errno == EINTR);
	if (n == 0)
		return TLSENG_DEADLINE;
	return n > 0 ? 0 : TLSENG_FAILED;
}

/* Client to service and back until either side is done. */
static void
engine_relay(SSL *ssl)
{
	struct pollfd	 pfd[2];
	char		 buf[ENGINE_BUF];
	int		 n, w, off, up = 1, down = 1;

	while (up || down) {
		pfd[0].revents = pfd[1].revents = 0;
		pfd[0].fd = up ? ENGINE_CLIENT : -1;
		pfd[0].events = POLLIN;
		pfd[1].fd = down ? ENGINE_SERVICE : -1;
		pfd[1].events = POLLIN;
		/* What OpenSSL already holds does not wake poll. */
		if (!(up && SSL_pending(ssl) > 0) &&
		    poll(pfd, 2, -1) == -1 && errno != EINTR)
			return;
		if (up && (SSL_pending(ssl) > 0 ||
		    (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))) {
			n = SSL_read(ssl, buf, sizeof(buf));
			if (n <= 0) {
				if (SSL_get_error(ssl, n) == SSL_ERROR_WANT_READ)
					continue;
				up = 0;
				shutdown(ENGINE_SERVICE, SHUT_WR);
			} else {
				for (off = 0; off < n; off += w)
					if ((w = send(ENGINE_SERVICE, buf + off,
					    n - off, MSG_NOSIGNAL)) <= 0)
						return;
			}
		}
		if (down && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(ENGINE_SERVICE, buf, sizeof(buf));
			if (n <= 0) {
				down = 0;
				(void)SSL_shutdown(ssl);
				/* The service is done: so is the connection. */
				return;
			}
			for (off = 0; off < n; off += w)
				if ((w = SSL_write(ssl, buf + off,
				    n - off)) <= 0)
					_exit(errno == EAGAIN ?
					    TLSENG_STALL : TLSENG_DONE);
		}
	}
}

/*
 * One connection, in a child of the TLS process: its descriptors in
 * place, its filter loaded.  Never returns.
 */
__dead void
tls_engine_run(SSL_CTX *ctx, int timeout)
{
	struct tls_session	 ti;
	struct timeval		 tv;
	SSL			*ssl;
	uint64_t		 deadline;
	int			 r, fl;

	forward_setfd(ENGINE_KEY);
	if ((ssl = SSL_new(ctx)) == NULL ||
	    SSL_set_fd(ssl, ENGINE_CLIENT) != 1)
		_exit(TLSENG_SETUP);
	/*
	 * A client that stops reading ends its connection, in time; so
	 * does a signature that does not come.
	 */
	tv.tv_sec = timeout;
	tv.tv_usec = 0;
	if (setsockopt(ENGINE_CLIENT, SOL_SOCKET, SO_SNDTIMEO, &tv,
	    sizeof(tv)) == -1 ||
	    setsockopt(ENGINE_KEY, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1 ||
	    (fl = fcntl(ENGINE_CLIENT, F_GETFL)) == -1 ||
	    fcntl(ENGINE_CLIENT, F_SETFL, fl | O_NONBLOCK) == -1)
		_exit(TLSENG_SETUP);

	/* The handshake, within its deadline whatever the client does. */
	deadline = engine_msec() + (uint64_t)timeout * 1000;
	SSL_set_accept_state(ssl);
	while ((r = SSL_do_handshake(ssl)) != 1)
		if ((r = engine_wait(ssl, r, deadline)) != 0)
			_exit(r);
	close(ENGINE_KEY);	/* its one signature is made */
	engine_session(ssl, &ti);
	if (send(ENGINE_SERVICE, &ti, sizeof(ti), MSG_NOSIGNAL) !=
	    (ssize_t)sizeof(ti))
		_exit(TLSENG_DONE);
	/* Blocking from here: the relay waits in poll. */
	if (fcntl(ENGINE_CLIENT, F_SETFL, fl) == -1)
		_exit(TLSENG_SETUP);
	engine_relay(ssl);
	_exit(TLSENG_DONE);
}
