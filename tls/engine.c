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
 * The TLS engine of one connection (inetd -P tls): the handshake and
 * the record layer between the client, on descriptor 0, and the
 * service, on descriptor 1 (a socketpair), with the connection's
 * channel to the key holder on 3 and its settings on 4: a line
 * "uid gid handshake-seconds", then the certificate chain in PEM.
 *
 * Started as root, it reads what it needs, builds its context, then
 * gives everything up before the first byte from the client: chroot to
 * /var/empty, the given user, no new privileges, an empty Landlock
 * domain and a system call filter of its own that allows the relay and
 * nothing else (no open, no socket, no exec).  It never has the key: a
 * signature is one request on descriptor 3.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "inetd.h"
#include "tlskey.h"

#define ENGINE_CLIENT	0
#define ENGINE_SERVICE	1
#define ENGINE_KEY	3
#define ENGINE_SETTINGS	4
#define ENGINE_BUF	16384

static __dead void
engine_fail(const char *what)
{
	/* Nothing to log to yet: the spawner sees the exit status. */
	(void)what;
	_exit(1);
}

/* The system calls of the relay, and nothing else. */
static int
engine_filter(void)
{
	static const int	 allowed[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(recvfrom),
		SCMP_SYS(sendto), SCMP_SYS(poll), SCMP_SYS(ppoll),
		SCMP_SYS(close), SCMP_SYS(shutdown), SCMP_SYS(brk),
		SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
		SCMP_SYS(getrandom), SCMP_SYS(getpid), SCMP_SYS(futex),
		SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday),
		SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
		SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(fcntl)
	};
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rv = -1;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -1;
	for (i = 0; i < nitems(allowed); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) < 0)
			goto done;
	/* Memory, never executable. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0)
		goto done;
	rv = seccomp_load(ctx) < 0 ? -1 : 0;
 done:
	seccomp_release(ctx);
	return rv;
}

/* Read the settings: the line, then the chain. */
static SSL_CTX *
engine_context(uid_t *uid, gid_t *gid, int *secs)
{
	SSL_CTX		*ctx;
	FILE		*f;
	X509		*leaf, *x;
	EVP_PKEY	*pk;
	unsigned int	 u, g, s;

	if ((f = fdopen(ENGINE_SETTINGS, "r")) == NULL ||
	    fscanf(f, "%u %u %u\n", &u, &g, &s) != 3 || u == 0 || g == 0 ||
	    s == 0 || s > 600)
		engine_fail("settings");
	*uid = u;
	*gid = g;
	*secs = s;
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    (leaf = PEM_read_X509(f, NULL, NULL, NULL)) == NULL)
		engine_fail("certificate");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* No key exchange by RSA decryption: the holder only signs. */
	SSL_CTX_set_cipher_list(ctx, "HIGH:!aNULL:!kRSA:!PSK:!SRP");
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (SSL_CTX_use_certificate(ctx, leaf) != 1)
		engine_fail("certificate");
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
		if (SSL_CTX_add0_chain_cert(ctx, x) != 1)
			engine_fail("chain");
	fclose(f);
	if ((pk = forward_pkey(leaf, ENGINE_KEY)) == NULL ||
	    SSL_CTX_use_PrivateKey(ctx, pk) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		engine_fail("key");
	EVP_PKEY_free(pk);
	X509_free(leaf);
	ERR_clear_error();
	return ctx;
}

static void
engine_confine(uid_t uid, gid_t gid)
{
	if (chroot("/var/empty") == -1 || chdir("/") == -1 ||
	    setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    unveil_deny_all() == -1 || engine_filter() == -1)
		engine_fail("confinement");
}

static uint64_t
engine_msec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for what the last SSL call wanted, until the deadline. */
static int
engine_wait(SSL *ssl, int r, uint64_t deadline)
{
	struct pollfd	 pfd;
	uint64_t	 now;

	pfd.fd = ENGINE_CLIENT;
	switch (SSL_get_error(ssl, r)) {
	case SSL_ERROR_WANT_READ:
		pfd.events = POLLIN;
		break;
	case SSL_ERROR_WANT_WRITE:
		pfd.events = POLLOUT;
		break;
	default:
		return -1;
	}
	if ((now = engine_msec()) >= deadline)
		return -1;
	return poll(&pfd, 1, deadline - now) > 0 ? 0 : -1;
}

/* Client to service and back until either side is done. */
static void
engine_relay(SSL *ssl)
{
	struct pollfd	 pfd[2];
	char		 buf[ENGINE_BUF];
	int		 n, w, off, up = 1, down = 1;

	while (up || down) {
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
					return;
		}
	}
}

__dead void
tls_engine_main(void)
{
	SSL_CTX		*ctx;
	SSL		*ssl;
	uid_t		 uid;
	gid_t		 gid;
	uint64_t	 deadline;
	int		 secs, r, fl;

	signal(SIGPIPE, SIG_IGN);
	if (OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1 ||
	    RAND_status() != 1)
		engine_fail("init");
	ctx = engine_context(&uid, &gid, &secs);
	if ((ssl = SSL_new(ctx)) == NULL ||
	    SSL_set_fd(ssl, ENGINE_CLIENT) != 1)
		engine_fail("ssl");
	if ((fl = fcntl(ENGINE_CLIENT, F_GETFL)) == -1 ||
	    fcntl(ENGINE_CLIENT, F_SETFL, fl | O_NONBLOCK) == -1)
		engine_fail("fcntl");
	engine_confine(uid, gid);

	/* The handshake, within its deadline whatever the client does. */
	deadline = engine_msec() + (uint64_t)secs * 1000;
	SSL_set_accept_state(ssl);
	while ((r = SSL_do_handshake(ssl)) != 1)
		if (engine_wait(ssl, r, deadline) == -1)
			_exit(2);
	close(ENGINE_KEY);	/* its one signature is made */
	/* Blocking from here: the relay waits in poll. */
	if (fcntl(ENGINE_CLIENT, F_SETFL, fl) == -1)
		_exit(1);
	engine_relay(ssl);
	_exit(0);
}
