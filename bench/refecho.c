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
 * refecho: the ceiling for built-in services.  A bare, single-process
 * epoll server for TCP echo, TCP daytime and UDP echo, with no
 * configuration, no limits and no privilege separation: whatever inetd
 * does on top of this is its own cost.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RE_BUFSIZE	4096
#define RE_NEVENTS	256

enum re_kind {
	RE_LECHO,		/* listening, TCP echo */
	RE_LDAYTIME,		/* listening, TCP daytime */
	RE_UECHO,		/* UDP echo */
	RE_CECHO		/* an echo connection */
};

struct re_conn {
	int		 rc_fd;
	enum re_kind	 rc_kind;
	size_t		 rc_off;	/* data not yet sent */
	size_t		 rc_len;
	char		 rc_buf[RE_BUFSIZE];
};

static int	 epfd = -1;
static volatile sig_atomic_t quit;

static void	 refecho_usage(void) __attribute__((__noreturn__));
static void	 refecho_sighandler(int);
static int	 refecho_bind(const char *, const char *, int);
static void	 refecho_add(int, enum re_kind);
static void	 refecho_free(struct re_conn *);
static void	 refecho_accept(struct re_conn *);
static void	 refecho_daytime(int);
static void	 refecho_echo(struct re_conn *, uint32_t);
static void	 refecho_udp(struct re_conn *);

static void
refecho_usage(void)
{
	fprintf(stderr, "usage: refecho [-a address] [-e echoport] "
	    "[-t daytimeport] [-u udpport]\n");
	exit(2);
}

static void
refecho_sighandler(int sig)
{
	(void)sig;
	quit = 1;
}

static int
refecho_bind(const char *addr, const char *port, int type)
{
	struct addrinfo	 hints, *res;
	int		 fd, error, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = type;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	if ((error = getaddrinfo(addr, port, &hints, &res)) != 0)
		errx(1, "%s port %s: %s", addr, port, gai_strerror(error));
	fd = socket(res->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		err(1, "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		err(1, "SO_REUSEADDR");
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1)
		err(1, "bind %s port %s", addr, port);
	if (type == SOCK_STREAM && listen(fd, 4096) == -1)
		err(1, "listen");
	freeaddrinfo(res);
	return (fd);
}

static void
refecho_add(int fd, enum re_kind kind)
{
	struct epoll_event	 ev;
	struct re_conn		*rc;

	if ((rc = calloc(1, sizeof(*rc))) == NULL)
		err(1, "calloc");
	rc->rc_fd = fd;
	rc->rc_kind = kind;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = rc;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == -1)
		err(1, "epoll_ctl");
}

static void
refecho_free(struct re_conn *rc)
{
	close(rc->rc_fd);
	free(rc);
}

static void
refecho_daytime(int fd)
{
	char	 buf[64];
	time_t	 now;
	int	 n;

	now = time(NULL);
	n = snprintf(buf, sizeof(buf), "%.24s\r\n", ctime(&now));
	if (n > 0 && (size_t)n < sizeof(buf))
		(void)send(fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}

static void
refecho_accept(struct re_conn *rc)
{
	int	 fd;

	for (;;) {
		fd = accept4(rc->rc_fd, NULL, NULL,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN)
				warn("accept4");
			return;
		}
		if (rc->rc_kind == RE_LDAYTIME)
			refecho_daytime(fd);
		else
			refecho_add(fd, RE_CECHO);
	}
}

static void
refecho_echo(struct re_conn *rc, uint32_t events)
{
	struct epoll_event	 ev;
	ssize_t			 n;

	if (rc->rc_len > 0 && (events & EPOLLOUT) == 0)
		return;
	for (;;) {
		if (rc->rc_len == 0) {
			n = recv(rc->rc_fd, rc->rc_buf, sizeof(rc->rc_buf), 0);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				break;
			if (n <= 0) {
				refecho_free(rc);
				return;
			}
			rc->rc_off = 0;
			rc->rc_len = n;
		}
		n = send(rc->rc_fd, rc->rc_buf + rc->rc_off, rc->rc_len,
		    MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			refecho_free(rc);
			return;
		}
		rc->rc_off += n;
		rc->rc_len -= n;
	}
	/* Stop reading while the peer does not take what it sent. */
	memset(&ev, 0, sizeof(ev));
	ev.events = rc->rc_len > 0 ? EPOLLOUT : EPOLLIN;
	ev.data.ptr = rc;
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, rc->rc_fd, &ev) == -1)
		err(1, "epoll_ctl");
}

static void
refecho_udp(struct re_conn *rc)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	ssize_t			 n;

	for (;;) {
		sslen = sizeof(ss);
		n = recvfrom(rc->rc_fd, rc->rc_buf, sizeof(rc->rc_buf), 0,
		    (struct sockaddr *)&ss, &sslen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		(void)sendto(rc->rc_fd, rc->rc_buf, n, MSG_DONTWAIT,
		    (struct sockaddr *)&ss, sslen);
	}
}

int
main(int argc, char *argv[])
{
	struct epoll_event	 evs[RE_NEVENTS];
	struct sigaction	 sa;
	struct re_conn		*rc;
	const char		*addr = "127.0.0.1", *eport = "7";
	const char		*tport = "13", *uport = "7";
	int			 ch, i, n;

	while ((ch = getopt(argc, argv, "a:e:t:u:")) != -1) {
		switch (ch) {
		case 'a':
			addr = optarg;
			break;
		case 'e':
			eport = optarg;
			break;
		case 't':
			tport = optarg;
			break;
		case 'u':
			uport = optarg;
			break;
		default:
			refecho_usage();
		}
	}
	if (argc != optind)
		refecho_usage();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = refecho_sighandler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(1, "epoll_create1");
	refecho_add(refecho_bind(addr, eport, SOCK_STREAM), RE_LECHO);
	refecho_add(refecho_bind(addr, tport, SOCK_STREAM), RE_LDAYTIME);
	refecho_add(refecho_bind(addr, uport, SOCK_DGRAM), RE_UECHO);

	while (!quit) {
		n = epoll_wait(epfd, evs, RE_NEVENTS, -1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err(1, "epoll_wait");
		}
		for (i = 0; i < n; i++) {
			rc = evs[i].data.ptr;
			switch (rc->rc_kind) {
			case RE_LECHO:
			case RE_LDAYTIME:
				refecho_accept(rc);
				break;
			case RE_UECHO:
				refecho_udp(rc);
				break;
			case RE_CECHO:
				refecho_echo(rc, evs[i].events);
				break;
			}
		}
	}
	return (0);
}
