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
 * tlscost [-n handshakes] [-k ec|rsa|all]: what keeping the private key
 * out of the TLS engine costs a handshake, without a network, a fork or
 * an exec in the way.
 *
 * Client and server run in this one process and talk through an OpenSSL
 * BIO pair; every handshake is a full TLS 1.3 handshake (no ticket, no
 * resumption).  Three servers:
 *
 *	direct		the key in the server's SSL_CTX, as stunnel has it
 *	forwarded	the server signs through tls/forward.c: per handshake
 *			a fresh SOCK_SEQPACKET socketpair whose other end
 *			goes (SCM_RIGHTS) to a key holder, a child forked
 *			once, which answers it with tls/keysign.c's
 *			keysign_serve_one(), as the keys process does
 *	engine		as forwarded, and an SSL_CTX built per handshake,
 *			as an engine exec'd per connection would need (the
 *			TLS process builds it once and forks the engines)
 *
 * The key is ECDSA P-256 (the benchmark's certificate) or RSA-2048,
 * made in memory with a self-signed certificate.  Prints one markdown
 * table: handshakes per second, the ratios to direct, and the key
 * holder's CPU time (user and system) per signature it answered.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tlskey.h"

static SSL_CTX	*cctx;		/* the client's, shared */

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
ssl_fail(const char *what)
{
	ERR_print_errors_fp(stderr);
	errx(1, "%s", what);
}

static EVP_PKEY *
make_key(const char *kind)
{
	EVP_PKEY	*pk;

	if (strcmp(kind, "ec") == 0)
		pk = EVP_EC_gen("P-256");
	else
		pk = EVP_RSA_gen(2048);
	if (pk == NULL)
		ssl_fail("key generation");
	return pk;
}

static X509 *
make_cert(EVP_PKEY *pk)
{
	X509		*x;
	X509_NAME	*nm;

	if ((x = X509_new()) == NULL ||
	    X509_set_version(x, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), 1) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400) == NULL ||
	    X509_set_pubkey(x, pk) != 1 ||
	    (nm = X509_get_subject_name(x)) == NULL ||
	    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
	    (const u_char *)"tlscost", -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, nm) != 1 ||
	    X509_sign(x, pk, EVP_sha256()) == 0)
		ssl_fail("certificate");
	return x;
}

/* TLS 1.3 only, no tickets: every handshake signs once. */
static SSL_CTX *
server_ctx(X509 *cert, EVP_PKEY *pk)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_use_certificate(ctx, cert) != 1)
		ssl_fail("server SSL_CTX");
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (pk != NULL && (SSL_CTX_use_PrivateKey(ctx, pk) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1))
		ssl_fail("server key");
	return ctx;
}

/* One full handshake between a new client and the server s. */
static void
handshake(SSL *s)
{
	SSL	*c;
	BIO	*cb, *sb;
	int	 cdone = 0, sdone = 0, r, i;

	if ((c = SSL_new(cctx)) == NULL ||
	    BIO_new_bio_pair(&cb, 0, &sb, 0) != 1)
		ssl_fail("SSL_new");
	SSL_set_bio(c, cb, cb);
	SSL_set_bio(s, sb, sb);
	SSL_set_connect_state(c);
	SSL_set_accept_state(s);
	for (i = 0; i < 100 && !(cdone && sdone); i++) {
		if (!cdone) {
			if ((r = SSL_do_handshake(c)) == 1)
				cdone = 1;
			else if (SSL_get_error(c, r) != SSL_ERROR_WANT_READ)
				ssl_fail("client handshake");
		}
		if (!sdone) {
			if ((r = SSL_do_handshake(s)) == 1)
				sdone = 1;
			else if (SSL_get_error(s, r) != SSL_ERROR_WANT_READ)
				ssl_fail("server handshake");
		}
	}
	if (!(cdone && sdone))
		errx(1, "handshake does not finish");
	if (SSL_version(s) != TLS1_3_VERSION)
		errx(1, "not TLS 1.3");
	SSL_free(c);
}

/* The key holder: one channel at a time from ctl, one signature each. */
static pid_t
holder_start(EVP_PKEY *pk, int *ctlp)
{
	int		 sv[2], fd;
	pid_t		 pid;
	struct msghdr	 msg;
	struct iovec	 iov;
	char		 b, cbuf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr	*cm;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		err(1, "socketpair");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid != 0) {
		close(sv[1]);
		*ctlp = sv[0];
		return pid;
	}
	close(sv[0]);
	for (;;) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = &b;
		iov.iov_len = 1;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		if (recvmsg(sv[1], &msg, 0) <= 0)
			_exit(0);
		if ((cm = CMSG_FIRSTHDR(&msg)) == NULL ||
		    cm->cmsg_type != SCM_RIGHTS)
			_exit(1);
		memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
		(void)keysign_serve_one(fd, pk);
		close(fd);
	}
}

static void
holder_give(int ctl, int fd)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	char		 b = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr	*cm;

	memset(&msg, 0, sizeof(msg));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = &b;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	if (sendmsg(ctl, &msg, 0) != 1)
		err(1, "sendmsg");
}

enum way { W_DIRECT, W_FORWARDED, W_ENGINE };

/* n handshakes one way; handshakes per second. */
static double
run(enum way w, int n, X509 *cert, EVP_PKEY *pk, int ctl)
{
	SSL_CTX		*sctx = NULL;
	SSL		*s;
	EVP_PKEY	*fk;
	double		 t0;
	int		 i, sv[2];

	if (w == W_DIRECT)
		sctx = server_ctx(cert, pk);
	else if (w == W_FORWARDED)
		sctx = server_ctx(cert, NULL);
	t0 = now();
	for (i = 0; i < n; i++) {
		if (w == W_DIRECT) {
			if ((s = SSL_new(sctx)) == NULL)
				ssl_fail("SSL_new");
			handshake(s);
			SSL_free(s);
			continue;
		}
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
			err(1, "socketpair");
		holder_give(ctl, sv[1]);
		close(sv[1]);
		if ((fk = forward_pkey(cert, sv[0])) == NULL)
			errx(1, "forward_pkey");
		if (w == W_ENGINE) {
			sctx = server_ctx(cert, fk);
			s = SSL_new(sctx);
		} else if ((s = SSL_new(sctx)) != NULL &&
		    SSL_use_PrivateKey(s, fk) != 1)
			ssl_fail("SSL_use_PrivateKey");
		if (s == NULL)
			ssl_fail("SSL_new");
		handshake(s);
		SSL_free(s);
		if (w == W_ENGINE) {
			SSL_CTX_free(sctx);
			sctx = NULL;
		}
		EVP_PKEY_free(fk);
		close(sv[0]);
	}
	t0 = now() - t0;
	SSL_CTX_free(sctx);
	return n / t0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: tlscost [-n handshakes] [-k ec|rsa|all]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char	*kinds = "all", *kind;
	const char	*all[] = { "ec", "rsa", NULL };
	EVP_PKEY	*pk;
	X509		*cert;
	struct rusage	 ru;
	double		 d, f, e, hcpu, prev = 0;
	pid_t		 pid;
	int		 n = 2000, ch, ctl, i, status;

	while ((ch = getopt(argc, argv, "k:n:")) != -1) {
		switch (ch) {
		case 'k':
			kinds = optarg;
			break;
		case 'n':
			if ((n = atoi(optarg)) < 1)
				usage();
			break;
		default:
			usage();
		}
	}
	if (strcmp(kinds, "all") != 0 && strcmp(kinds, "ec") != 0 &&
	    strcmp(kinds, "rsa") != 0)
		usage();

	if ((cctx = SSL_CTX_new(TLS_client_method())) == NULL)
		ssl_fail("client SSL_CTX");
	SSL_CTX_set_verify(cctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(cctx, SSL_OP_NO_TICKET);

	printf("| key | direct hs/s | forwarded hs/s | engine hs/s |"
	    " forwarded/direct | engine/direct | holder CPU us/signature |\n");
	printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; (kind = all[i]) != NULL; i++) {
		if (strcmp(kinds, "all") != 0 && strcmp(kinds, kind) != 0)
			continue;
		pk = make_key(kind);
		cert = make_cert(pk);
		pid = holder_start(pk, &ctl);
		/* A warm-up of each, then the measured runs. */
		(void)run(W_DIRECT, n / 10 + 1, cert, pk, ctl);
		(void)run(W_FORWARDED, n / 10 + 1, cert, pk, ctl);
		d = run(W_DIRECT, n, cert, pk, ctl);
		f = run(W_FORWARDED, n, cert, pk, ctl);
		e = run(W_ENGINE, n, cert, pk, ctl);
		close(ctl);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		/* The holder's CPU per signature, over everything it signed. */
		if (getrusage(RUSAGE_CHILDREN, &ru) == -1)
			err(1, "getrusage");
		hcpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
		printf("| %s | %.0f | %.0f | %.0f | %.3f | %.3f | %.0f |\n",
		    strcmp(kind, "ec") == 0 ? "ECDSA P-256" : "RSA-2048",
		    d, f, e, f / d, e / d,
		    (hcpu - prev) * 1e6 / (n / 10 + 1 + 2 * n));
		prev = hcpu;
		fflush(stdout);
		X509_free(cert);
		EVP_PKEY_free(pk);
	}
	SSL_CTX_free(cctx);
	return 0;
}
