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
 * tlsbulk [-b bytes] [-n connections] [-t timeout_s] address port: bulk
 * throughput through an echoing (cat) service over TLS.
 *
 * Per connection, one after the other: connect, a TLS handshake (no
 * certificate checked), then send `bytes` of a known pattern while
 * reading the echo back, until every byte has come back and matched;
 * then close_notify and close.  The clock runs from the first connect
 * to the last byte of the last connection.  Writing and reading are
 * interleaved on a non-blocking socket, since cat answers while we still
 * send: a client that first sent everything would deadlock on full
 * buffers.  Refuses targets outside loopback, like loadgen.
 *
 * Prints one line: RESULT mode=tlsbulk conns=N bytes=B secs=S mbps=M err=E
 * where mbps is MB (10^6 bytes) per second each way.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
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
#include <openssl/ssl.h>

#define PAT	65536		/* the pattern repeats every PAT bytes */
#define CHUNK	16384		/* one TLS record */

static u_char	pat[PAT];

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	if (b < a)
		a = b;
	return c < a ? c : a;
}

/* One connection: 0 when every byte came back intact. */
static int
bulk_one(SSL_CTX *ctx, const struct sockaddr_in *sin, long long total,
    int tmo_ms)
{
	SSL		*ssl = NULL;
	u_char		 rbuf[CHUNK * 2];
	struct pollfd	 pfd;
	long long	 sent = 0, got = 0;
	size_t		 len, off;
	int		 fd, r, e, wantw, progress, ret = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin)) == -1) {
		warn("connect");
		goto out;
	}
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1)
		errx(1, "SSL_new");
	/* The handshake blocks (with a deadline), the transfer does not. */
	if (SSL_connect(ssl) != 1) {
		warnx("handshake failed");
		goto out;
	}
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		err(1, "fcntl");
	wantw = 0;
	while (got < total) {
		progress = 0;
		if (sent < total) {
			/* The same length again after WANT_*, as OpenSSL asks. */
			off = sent % PAT;
			len = min3(CHUNK, PAT - off, total - sent);
			r = SSL_write(ssl, pat + off, len);
			wantw = 0;
			if (r > 0) {
				sent += r;
				progress = 1;
			} else if ((e = SSL_get_error(ssl, r)) ==
			    SSL_ERROR_WANT_WRITE)
				wantw = 1;
			else if (e != SSL_ERROR_WANT_READ) {
				warnx("write failed at %lld", sent);
				goto out;
			}
		}
		r = SSL_read(ssl, rbuf, sizeof(rbuf));
		if (r > 0) {
			long long	 k;

			for (k = 0; k < r; ) {
				off = (got + k) % PAT;
				len = min3(PAT - off, r - k, PAT);
				if (memcmp(rbuf + k, pat + off, len) != 0) {
					warnx("data differ at %lld", got + k);
					goto out;
				}
				k += len;
			}
			got += r;
			progress = 1;
		} else if ((e = SSL_get_error(ssl, r)) != SSL_ERROR_WANT_READ &&
		    e != SSL_ERROR_WANT_WRITE) {
			warnx("read failed at %lld of %lld", got, total);
			goto out;
		}
		if (progress)
			continue;
		pfd.fd = fd;
		pfd.events = POLLIN | (wantw ? POLLOUT : 0);
		if ((r = poll(&pfd, 1, tmo_ms)) == 0) {
			warnx("timeout at %lld of %lld", got, total);
			goto out;
		} else if (r == -1 && errno != EINTR)
			err(1, "poll");
	}
	ret = 0;
	(void)SSL_shutdown(ssl);
out:
	SSL_free(ssl);
	close(fd);
	return ret;
}

static void
usage(void)
{
	fprintf(stderr, "usage: tlsbulk [-b bytes] [-n connections] "
	    "[-t timeout_s] address port\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	SSL_CTX			*ctx;
	long long		 total = 64LL << 20;
	double			 t0, secs;
	int			 ch, i, n = 1, tmo = 10, errs = 0, ok = 0;

	while ((ch = getopt(argc, argv, "b:n:t:")) != -1) {
		switch (ch) {
		case 'b':
			if ((total = atoll(optarg)) < 1)
				usage();
			break;
		case 'n':
			if ((n = atoi(optarg)) < 1)
				usage();
			break;
		case 't':
			if ((tmo = atoi(optarg)) < 1)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(atoi(argv[1]));
	if (inet_pton(AF_INET, argv[0], &sin.sin_addr) != 1)
		errx(2, "%s: not an IPv4 address", argv[0]);
	if ((ntohl(sin.sin_addr.s_addr) >> 24) != 127)
		errx(2, "%s: not a loopback address", argv[0]);
	signal(SIGPIPE, SIG_IGN);

	for (i = 0; i < PAT; i++)
		pat[i] = (u_char)(i * 131 + (i >> 8) * 7);
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		errx(1, "SSL_CTX_new");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

	t0 = now();
	for (i = 0; i < n; i++) {
		if (bulk_one(ctx, &sin, total, tmo * 1000) == 0)
			ok++;
		else
			errs++;
	}
	secs = now() - t0;
	printf("RESULT mode=tlsbulk conns=%d bytes=%lld secs=%.3f "
	    "mbps=%.1f err=%d\n", n, total, secs,
	    ok > 0 && errs == 0 ? (double)total * ok / secs / 1e6 : 0.0,
	    errs);
	SSL_CTX_free(ctx);
	return errs == 0 ? 0 : 1;
}
