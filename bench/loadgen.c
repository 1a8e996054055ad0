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
 * loadgen: a bounded load generator for the inetd benchmark.
 *
 * It keeps a fixed number of transactions in flight against one
 * loopback service for a fixed time, then closes everything it opened
 * and prints what it measured: completed transactions, their rate, the
 * errors, and the latency of each transaction from the start of the
 * connect (or the send, for UDP) to its last byte.
 *
 * Modes:
 *	echo	connect, send one line, read the same line back, close
 *	eof	connect, read until the server closes (daytime, chargen)
 *	udp	send one datagram, wait for the same datagram back
 *	tls	as echo, over TLS: a full handshake (no session is
 *		resumed, no certificate checked), the line, close_notify
 *	listen	wait until every TCP port of a range is listening
 *		(asked of the kernel by sock_diag); for start-up timing
 *
 * Every socket is non-blocking and watched by epoll; every wait has a
 * deadline, so a dead or slow server costs at most the run's duration.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define LG_MAXCONC	10000
#define LG_REQMAX	128
#define LG_BUFSIZE	4096
#define LG_NSEC		1000000000ULL
#define LG_MSEC		1000000ULL

enum lg_mode {
	MODE_ECHO,
	MODE_EOF,
	MODE_UDP,
	MODE_LISTEN,
	MODE_TLS
};

enum lg_state {
	ST_IDLE,
	ST_CONNECTING,
	ST_HANDSHAKE,
	ST_SENDING,
	ST_READING,
	ST_BACKOFF
};

struct slot {
	int		 sl_fd;
	SSL		*sl_ssl;
	enum lg_state	 sl_state;
	uint64_t	 sl_start;	/* ns, start of the transaction */
	uint64_t	 sl_deadline;	/* ns, timeout or end of backoff */
	size_t		 sl_sent;
	size_t		 sl_got;
	size_t		 sl_reqlen;
	char		 sl_req[LG_REQMAX];
	char		 sl_buf[LG_BUFSIZE];
};

struct stats {
	uint64_t	 st_tx;
	uint64_t	 st_econn;	/* connect refused or failed */
	uint64_t	 st_etime;	/* per-transaction timeout */
	uint64_t	 st_eio;	/* reset or other socket error */
	uint64_t	 st_edata;	/* short, wrong or empty answer */
	uint64_t	*st_lat;	/* ns, one per transaction */
	size_t		 st_nlat;
	size_t		 st_maxlat;
};

static enum lg_mode	 mode = MODE_ECHO;
static struct sockaddr_storage target;
static socklen_t	 targetlen;
static int		 epfd = -1;
static uint64_t		 tmo_ns = 5000 * LG_MSEC;
static uint64_t		 backoff_ns = 5 * LG_MSEC;
static size_t		 maxbytes = 1024 * 1024;
static uint64_t		 seqno;
static struct stats	 st;
static volatile sig_atomic_t quit;

static uint64_t	 lg_now(void);
static void	 lg_sighandler(int);
static void	 lg_usage(void) __attribute__((__noreturn__));
static void	 lg_target(const char *, const char *);
static void	 lg_start(struct slot *);
static void	 lg_finish(struct slot *, uint64_t *);
static void	 lg_close(struct slot *);
static void	 lg_backoff(struct slot *, uint64_t *);
static void	 lg_event(struct slot *, uint32_t);
static void	 lg_send(struct slot *);
static void	 lg_read(struct slot *);
static void	 lg_watch(struct slot *, int, uint32_t);
static void	 lg_record(uint64_t);
static int	 lg_cmp(const void *, const void *);
static double	 lg_pct(double);
static int	 lg_listen(const char *, const char *, double);
static int	 lg_listen_scan(uint32_t, int, int, unsigned char *);

static uint64_t
lg_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * LG_NSEC + (uint64_t)ts.tv_nsec);
}

static void
lg_sighandler(int sig)
{
	(void)sig;
	quit = 1;
}

static void
lg_usage(void)
{
	fprintf(stderr, "usage: loadgen [-q] [-b backoff_ms] [-B maxbytes] "
	    "[-c concurrency] [-d seconds]\n"
	    "\t[-m echo|eof|udp|listen|tls] [-n count] [-t timeout_ms] "
	    "host port[-lastport]\n");
	exit(2);
}

static void
lg_target(const char *host, const char *port)
{
	struct addrinfo	 hints, *res;
	int		 error;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = mode == MODE_UDP ? SOCK_DGRAM : SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((error = getaddrinfo(host, port, &hints, &res)) != 0)
		errx(2, "%s port %s: %s", host, port, gai_strerror(error));
	if (res->ai_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)res->ai_addr;

		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			errx(2, "%s: only loopback targets are allowed", host);
	} else if (res->ai_family == AF_INET6) {
		struct sockaddr_in6 *sin6 =
		    (struct sockaddr_in6 *)res->ai_addr;

		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			errx(2, "%s: only loopback targets are allowed", host);
	} else
		errx(2, "%s: unsupported address family", host);
	memcpy(&target, res->ai_addr, res->ai_addrlen);
	targetlen = res->ai_addrlen;
	freeaddrinfo(res);
}

static void
lg_watch(struct slot *sl, int op, uint32_t events)
{
	struct epoll_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = sl;
	if (epoll_ctl(epfd, op, sl->sl_fd, &ev) == -1)
		err(1, "epoll_ctl");
}

static SSL_CTX	*lg_ctx;

static void
lg_close(struct slot *sl)
{
	if (sl->sl_ssl != NULL) {
		(void)SSL_shutdown(sl->sl_ssl);	/* close_notify, once */
		SSL_free(sl->sl_ssl);
		sl->sl_ssl = NULL;
		ERR_clear_error();
	}
	/* Closing the descriptor also takes it out of the epoll set. */
	if (sl->sl_fd != -1) {
		close(sl->sl_fd);
		sl->sl_fd = -1;
	}
	sl->sl_state = ST_IDLE;
}

/*
 * A failed transaction waits a little before the slot tries again, so
 * that a refused port costs a bounded number of attempts, not a spin.
 */
static void
lg_backoff(struct slot *sl, uint64_t *counter)
{
	(*counter)++;
	if (mode != MODE_UDP)
		lg_close(sl);
	sl->sl_state = ST_BACKOFF;
	sl->sl_deadline = lg_now() + backoff_ns;
}

static void
lg_start(struct slot *sl)
{
	int	 one = 1, n;

	sl->sl_sent = sl->sl_got = 0;
	n = snprintf(sl->sl_req, sizeof(sl->sl_req),
	    "loadgen %llu the quick brown fox\n",
	    (unsigned long long)++seqno);
	if (n < 0 || (size_t)n >= sizeof(sl->sl_req))
		errx(1, "request too long");
	sl->sl_reqlen = n;
	sl->sl_start = lg_now();
	sl->sl_deadline = sl->sl_start + tmo_ns;

	if (mode == MODE_UDP) {
		if (sl->sl_fd == -1) {
			sl->sl_fd = socket(target.ss_family,
			    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (sl->sl_fd == -1)
				err(1, "socket");
			if (connect(sl->sl_fd, (struct sockaddr *)&target,
			    targetlen) == -1)
				err(1, "connect");
			lg_watch(sl, EPOLL_CTL_ADD, EPOLLIN);
		}
		sl->sl_state = ST_READING;
		if (send(sl->sl_fd, sl->sl_req, sl->sl_reqlen, 0) !=
		    (ssize_t)sl->sl_reqlen) {
			if (errno == ECONNREFUSED)
				lg_backoff(sl, &st.st_econn);
			else
				lg_backoff(sl, &st.st_eio);
		}
		return;
	}

	sl->sl_fd = socket(target.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sl->sl_fd == -1)
		err(1, "socket");
	(void)setsockopt(sl->sl_fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one));
	if (connect(sl->sl_fd, (struct sockaddr *)&target, targetlen) == 0) {
		sl->sl_state = ST_CONNECTING;
		lg_watch(sl, EPOLL_CTL_ADD, EPOLLOUT);
		return;
	}
	if (errno == EINPROGRESS) {
		sl->sl_state = ST_CONNECTING;
		lg_watch(sl, EPOLL_CTL_ADD, EPOLLOUT);
		return;
	}
	if (errno == EMFILE || errno == ENFILE)
		err(1, "connect");
	lg_backoff(sl, &st.st_econn);
}

static void
lg_record(uint64_t ns)
{
	uint64_t	*p;
	size_t		 n;

	if (st.st_nlat == st.st_maxlat) {
		n = st.st_maxlat ? st.st_maxlat * 2 : 65536;
		if ((p = reallocarray(st.st_lat, n, sizeof(*p))) == NULL)
			err(1, "reallocarray");
		st.st_lat = p;
		st.st_maxlat = n;
	}
	st.st_lat[st.st_nlat++] = ns;
}

static void
lg_finish(struct slot *sl, uint64_t *counter)
{
	if (counter != NULL) {
		lg_backoff(sl, counter);
		return;
	}
	st.st_tx++;
	lg_record(lg_now() - sl->sl_start);
	if (mode != MODE_UDP)
		lg_close(sl);
	sl->sl_state = ST_IDLE;
}

/* After an SSL call that did not finish: wait for what it wants. */
static int
lg_tls_wait(struct slot *sl, int r)
{
	switch (SSL_get_error(sl->sl_ssl, r)) {
	case SSL_ERROR_WANT_READ:
		lg_watch(sl, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
		return 0;
	case SSL_ERROR_WANT_WRITE:
		lg_watch(sl, EPOLL_CTL_MOD, EPOLLOUT);
		return 0;
	}
	ERR_clear_error();
	return -1;
}

static void	 lg_send(struct slot *);

static void
lg_handshake(struct slot *sl)
{
	int	 r;

	if ((r = SSL_do_handshake(sl->sl_ssl)) == 1) {
		lg_send(sl);
		return;
	}
	if (lg_tls_wait(sl, r) == -1)
		lg_finish(sl, &st.st_econn);
}

static void
lg_send(struct slot *sl)
{
	ssize_t	 n;
	int	 r;

	if (sl->sl_ssl != NULL) {
		sl->sl_state = ST_SENDING;
		r = SSL_write(sl->sl_ssl, sl->sl_req + sl->sl_sent,
		    sl->sl_reqlen - sl->sl_sent);
		if (r <= 0) {
			if (lg_tls_wait(sl, r) == -1)
				lg_finish(sl, &st.st_eio);
			return;
		}
		n = r;
	} else
		n = send(sl->sl_fd, sl->sl_req + sl->sl_sent,
		    sl->sl_reqlen - sl->sl_sent, MSG_NOSIGNAL);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		lg_finish(sl, &st.st_eio);
		return;
	}
	sl->sl_sent += n;
	if (sl->sl_sent < sl->sl_reqlen) {
		if (sl->sl_state != ST_SENDING) {
			sl->sl_state = ST_SENDING;
			lg_watch(sl, EPOLL_CTL_MOD, EPOLLOUT);
		}
		return;
	}
	sl->sl_state = ST_READING;
	lg_watch(sl, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
}

static void
lg_read(struct slot *sl)
{
	char	*nl;
	ssize_t	 n;

	for (;;) {
		if (mode == MODE_EOF) {
			n = recv(sl->sl_fd, sl->sl_buf, sizeof(sl->sl_buf), 0);
		} else if (sl->sl_ssl != NULL) {
			int	 r;

			if (sl->sl_got >= sizeof(sl->sl_buf)) {
				lg_finish(sl, &st.st_edata);
				return;
			}
			r = SSL_read(sl->sl_ssl, sl->sl_buf + sl->sl_got,
			    sizeof(sl->sl_buf) - sl->sl_got);
			if (r <= 0) {
				if (SSL_get_error(sl->sl_ssl, r) ==
				    SSL_ERROR_ZERO_RETURN)
					n = 0;
				else {
					if (lg_tls_wait(sl, r) == -1)
						lg_finish(sl, &st.st_eio);
					return;
				}
			} else
				n = r;
		} else {
			if (sl->sl_got >= sizeof(sl->sl_buf)) {
				lg_finish(sl, &st.st_edata);
				return;
			}
			n = recv(sl->sl_fd, sl->sl_buf + sl->sl_got,
			    sizeof(sl->sl_buf) - sl->sl_got, 0);
		}
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (mode == MODE_UDP && errno == ECONNREFUSED)
				lg_finish(sl, &st.st_econn);
			else
				lg_finish(sl, &st.st_eio);
			return;
		}

		switch (mode) {
		case MODE_EOF:
			if (n == 0) {
				lg_finish(sl, sl->sl_got > 0 ? NULL :
				    &st.st_edata);
				return;
			}
			sl->sl_got += n;
			if (sl->sl_got >= maxbytes) {
				lg_finish(sl, NULL);
				return;
			}
			break;
		case MODE_UDP:
			/* A late answer to an earlier, timed-out request. */
			if ((size_t)n != sl->sl_reqlen ||
			    memcmp(sl->sl_buf, sl->sl_req, n) != 0)
				continue;
			lg_finish(sl, NULL);
			return;
		default:
			if (n == 0) {
				lg_finish(sl, &st.st_edata);
				return;
			}
			sl->sl_got += n;
			nl = memchr(sl->sl_buf, '\n', sl->sl_got);
			if (nl == NULL)
				break;
			if ((size_t)(nl - sl->sl_buf + 1) != sl->sl_reqlen ||
			    memcmp(sl->sl_buf, sl->sl_req,
			    sl->sl_reqlen) != 0)
				lg_finish(sl, &st.st_edata);
			else
				lg_finish(sl, NULL);
			return;
		}
	}
}

static void
lg_event(struct slot *sl, uint32_t events)
{
	int		 error;
	socklen_t	 len;

	switch (sl->sl_state) {
	case ST_CONNECTING:
		len = sizeof(error);
		if (getsockopt(sl->sl_fd, SOL_SOCKET, SO_ERROR, &error,
		    &len) == -1)
			error = errno;
		if (error != 0) {
			lg_finish(sl, &st.st_econn);
			return;
		}
		if (mode == MODE_EOF) {
			sl->sl_state = ST_READING;
			lg_watch(sl, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
			return;
		}
		if (mode == MODE_TLS) {
			if ((sl->sl_ssl = SSL_new(lg_ctx)) == NULL ||
			    SSL_set_fd(sl->sl_ssl, sl->sl_fd) != 1)
				errx(1, "SSL_new");
			SSL_set_connect_state(sl->sl_ssl);
			sl->sl_state = ST_HANDSHAKE;
			lg_handshake(sl);
			return;
		}
		lg_send(sl);
		break;
	case ST_HANDSHAKE:
		lg_handshake(sl);
		break;
	case ST_SENDING:
		if (events & (EPOLLERR | EPOLLHUP)) {
			lg_finish(sl, &st.st_eio);
			return;
		}
		lg_send(sl);
		break;
	case ST_READING:
		lg_read(sl);
		break;
	default:
		/* UDP sockets stay registered while a slot backs off. */
		if (mode == MODE_UDP) {
			char	 junk[LG_BUFSIZE];

			while (recv(sl->sl_fd, junk, sizeof(junk), 0) >= 0)
				;
		}
		break;
	}
}

static int
lg_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Nearest-rank percentile of the sorted latencies, in milliseconds. */
static double
lg_pct(double p)
{
	size_t	 i;

	if (st.st_nlat == 0)
		return (0.0);
	i = (size_t)((p / 100.0) * st.st_nlat + 0.999999);
	if (i < 1)
		i = 1;
	if (i > st.st_nlat)
		i = st.st_nlat;
	return ((double)st.st_lat[i - 1] / (double)LG_MSEC);
}

/*
 * Mark in seen[] every port of [lo, hi] that has a listening TCP socket
 * on addr (or on any address), asking the kernel through sock_diag with
 * a filter on the state: /proc/net/tcp would also list every TIME_WAIT
 * socket a previous load left behind and take tens of milliseconds.
 * Returns the number of newly seen ports, or -1 on error.
 */
static int
lg_listen_scan(uint32_t addr, int lo, int hi, unsigned char *seen)
{
	struct {
		struct nlmsghdr		 nlh;
		struct inet_diag_req_v2	 req;
	} q;
	struct sockaddr_nl	 sa;
	struct nlmsghdr		*h;
	struct inet_diag_msg	*m;
	static char		 buf[65536];
	ssize_t			 n;
	int			 fd, port, found = 0, done = 0;

	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return (-1);
	memset(&q, 0, sizeof(q));
	q.nlh.nlmsg_len = sizeof(q);
	q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.req.sdiag_family = AF_INET;
	q.req.sdiag_protocol = IPPROTO_TCP;
	q.req.idiag_states = 1 << TCP_LISTEN;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1) {
		close(fd);
		return (-1);
	}
	while (!done) {
		if ((n = recv(fd, buf, sizeof(buf), 0)) <= 0) {
			found = -1;
			break;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		    h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				found = -1;
				done = 1;
				break;
			}
			m = NLMSG_DATA(h);
			port = ntohs(m->id.idiag_sport);
			if (port < lo || port > hi)
				continue;
			if (m->id.idiag_src[0] != addr &&
			    m->id.idiag_src[0] != INADDR_ANY)
				continue;
			if (!seen[port - lo]) {
				seen[port - lo] = 1;
				found++;
			}
		}
	}
	close(fd);
	return (found);
}

static int
lg_listen(const char *host, const char *ports, double dur)
{
	struct in_addr	 ia;
	struct timespec	 ts = { 0, LG_MSEC };
	unsigned char	*seen;
	const char	*errstr;
	char		*dash, buf[32];
	uint64_t	 t0, t1, end;
	int		 lo, hi, n, want, have = 0;

	if (inet_pton(AF_INET, host, &ia) != 1 ||
	    (ntohl(ia.s_addr) >> 24) != 127)
		errx(2, "%s: listen mode wants an IPv4 loopback address",
		    host);
	if (strlcpy(buf, ports, sizeof(buf)) >= sizeof(buf))
		errx(2, "%s: port range too long", ports);
	if ((dash = strchr(buf, '-')) != NULL)
		*dash++ = '\0';
	lo = strtonum(buf, 1, 65535, &errstr);
	if (errstr != NULL)
		errx(2, "port %s: %s", buf, errstr);
	hi = dash ? strtonum(dash, lo, 65535, &errstr) : lo;
	if (errstr != NULL)
		errx(2, "port %s: %s", dash, errstr);
	want = hi - lo + 1;
	if ((seen = calloc(want, 1)) == NULL)
		err(1, "calloc");

	t0 = lg_now();
	end = t0 + (uint64_t)(dur * LG_NSEC);
	for (;;) {
		/* Ports seen once are not forgotten: a scan is a sample. */
		if ((n = lg_listen_scan(ia.s_addr, lo, hi, seen)) == -1)
			err(1, "sock_diag");
		have += n;
		t1 = lg_now();
		if (have >= want || t1 >= end || quit)
			break;
		nanosleep(&ts, NULL);
	}
	free(seen);
	printf("RESULT mode=listen ports=%d listening=%d elapsed=%.6f "
	    "ok=%d\n", want, have, (double)(t1 - t0) / LG_NSEC,
	    have >= want);
	return (have >= want ? 0 : 1);
}

int
main(int argc, char *argv[])
{
	struct epoll_event	*evs;
	struct slot		*slots;
	struct rlimit		 rl;
	struct rusage		 ru;
	struct sigaction	 sa;
	const char		*errstr;
	char			*ep;
	double			 dur = 1.0, secs;
	uint64_t		 t0, t1, end, now, next;
	long long		 maxtx = 0;
	int			 ch, conc = 1, quiet = 0, i, n, tmo;

	while ((ch = getopt(argc, argv, "b:B:c:d:m:n:qt:")) != -1) {
		switch (ch) {
		case 'b':
			backoff_ns = strtonum(optarg, 0, 10000, &errstr) *
			    LG_MSEC;
			if (errstr != NULL)
				errx(2, "backoff %s: %s", optarg, errstr);
			break;
		case 'B':
			maxbytes = strtonum(optarg, 1, INT_MAX, &errstr);
			if (errstr != NULL)
				errx(2, "maxbytes %s: %s", optarg, errstr);
			break;
		case 'c':
			conc = strtonum(optarg, 1, LG_MAXCONC, &errstr);
			if (errstr != NULL)
				errx(2, "concurrency %s: %s", optarg, errstr);
			break;
		case 'd':
			errno = 0;
			dur = strtod(optarg, &ep);
			if (errno != 0 || *ep != '\0' || !(dur > 0.0) ||
			    dur > 3600.0)
				errx(2, "duration %s: want 0 < s <= 3600",
				    optarg);
			break;
		case 'm':
			if (strcmp(optarg, "echo") == 0)
				mode = MODE_ECHO;
			else if (strcmp(optarg, "eof") == 0)
				mode = MODE_EOF;
			else if (strcmp(optarg, "udp") == 0)
				mode = MODE_UDP;
			else if (strcmp(optarg, "listen") == 0)
				mode = MODE_LISTEN;
			else if (strcmp(optarg, "tls") == 0)
				mode = MODE_TLS;
			else
				lg_usage();
			break;
		case 'n':
			maxtx = strtonum(optarg, 0, LLONG_MAX, &errstr);
			if (errstr != NULL)
				errx(2, "count %s: %s", optarg, errstr);
			break;
		case 'q':
			quiet = 1;
			break;
		case 't':
			tmo_ns = strtonum(optarg, 1, 600000, &errstr) *
			    LG_MSEC;
			if (errstr != NULL)
				errx(2, "timeout %s: %s", optarg, errstr);
			break;
		default:
			lg_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		lg_usage();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = lg_sighandler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (mode == MODE_LISTEN)
		return (lg_listen(argv[0], argv[1], dur));
	lg_target(argv[0], argv[1]);
	if (mode == MODE_TLS) {
		/* Every transaction a full handshake: nothing is resumed. */
		if ((lg_ctx = SSL_CTX_new(TLS_client_method())) == NULL)
			errx(1, "SSL_CTX_new");
		SSL_CTX_set_verify(lg_ctx, SSL_VERIFY_NONE, NULL);
		SSL_CTX_set_session_cache_mode(lg_ctx, SSL_SESS_CACHE_OFF);
		SSL_CTX_set_options(lg_ctx, SSL_OP_NO_TICKET);
	}

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)conc + 16) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur < (rlim_t)conc + 16)
			errx(2, "concurrency %d over descriptor limit", conc);
	}

	if ((slots = calloc(conc, sizeof(*slots))) == NULL ||
	    (evs = calloc(conc, sizeof(*evs))) == NULL)
		err(1, "calloc");
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(1, "epoll_create1");

	t0 = lg_now();
	end = t0 + (uint64_t)(dur * LG_NSEC);
	for (i = 0; i < conc; i++) {
		slots[i].sl_fd = -1;
		lg_start(&slots[i]);
	}

	while (!quit) {
		now = lg_now();
		if (now >= end || (maxtx > 0 && (long long)st.st_tx >= maxtx))
			break;

		/* Expire timeouts and backoffs; restart idle slots. */
		next = end;
		for (i = 0; i < conc; i++) {
			struct slot	*sl = &slots[i];

			if (sl->sl_state == ST_IDLE ||
			    (sl->sl_state == ST_BACKOFF &&
			    now >= sl->sl_deadline))
				lg_start(sl);
			else if (sl->sl_state != ST_BACKOFF &&
			    now >= sl->sl_deadline)
				lg_finish(sl, &st.st_etime);
			if (sl->sl_state != ST_IDLE && sl->sl_deadline < next)
				next = sl->sl_deadline;
		}
		now = lg_now();
		tmo = next > now ? (int)((next - now + LG_MSEC - 1) / LG_MSEC) :
		    0;

		n = epoll_wait(epfd, evs, conc, tmo);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err(1, "epoll_wait");
		}
		for (i = 0; i < n; i++)
			lg_event(evs[i].data.ptr, evs[i].events);
	}
	t1 = lg_now();

	/* Transactions still in flight are abandoned, not counted. */
	for (i = 0; i < conc; i++)
		if (slots[i].sl_fd != -1) {
			close(slots[i].sl_fd);
			slots[i].sl_fd = -1;
		}
	close(epfd);

	secs = (double)(t1 - t0) / LG_NSEC;
	if (st.st_nlat > 0)
		qsort(st.st_lat, st.st_nlat, sizeof(*st.st_lat), lg_cmp);
	if (!quiet) {
		printf("%s %s port %s, concurrency %d, %.3f s\n",
		    mode == MODE_ECHO ? "echo" : mode == MODE_EOF ? "eof" :
		    mode == MODE_TLS ? "tls" :
		    "udp", argv[0], argv[1], conc, secs);
		printf("  transactions  %llu (%.1f/s)\n",
		    (unsigned long long)st.st_tx, st.st_tx / secs);
		printf("  errors        connect %llu, timeout %llu, "
		    "io %llu, data %llu\n",
		    (unsigned long long)st.st_econn,
		    (unsigned long long)st.st_etime,
		    (unsigned long long)st.st_eio,
		    (unsigned long long)st.st_edata);
		printf("  latency ms    p50 %.3f, p90 %.3f, p99 %.3f, "
		    "max %.3f\n", lg_pct(50), lg_pct(90), lg_pct(99),
		    lg_pct(100));
	}
	/* Our own CPU, for the bench's accounting of where time goes. */
	if (getrusage(RUSAGE_SELF, &ru) == -1)
		err(1, "getrusage");
	printf("RESULT mode=%s conc=%d secs=%.3f tx=%llu rate=%.1f err=%llu "
	    "econn=%llu etime=%llu eio=%llu edata=%llu "
	    "p50=%.3f p90=%.3f p99=%.3f max=%.3f cpu_us=%lld\n",
	    mode == MODE_ECHO ? "echo" : mode == MODE_EOF ? "eof" :
		    mode == MODE_TLS ? "tls" : "udp",
	    conc, secs, (unsigned long long)st.st_tx, st.st_tx / secs,
	    (unsigned long long)(st.st_econn + st.st_etime + st.st_eio +
	    st.st_edata), (unsigned long long)st.st_econn,
	    (unsigned long long)st.st_etime, (unsigned long long)st.st_eio,
	    (unsigned long long)st.st_edata,
	    lg_pct(50), lg_pct(90), lg_pct(99), lg_pct(100),
	    (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	free(st.st_lat);
	free(slots);
	free(evs);

	if (maxtx > 0)
		return ((long long)st.st_tx >= maxtx ? 0 : 1);
	return (st.st_tx > 0 ? 0 : 1);
}
