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
 * tcpmux (RFC 1078), in the listener: read the service name the client
 * sends, then hand the connection to the spawner for that service, which
 * runs it as its own configured user like any other.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

/*
 * Both times are deadlines, not idle timeouts: a client that sends a
 * byte now and then must not keep one of the few slots for longer.
 */
#define TCPMUX_TIMEOUT	10	/* seconds from accept to send the name */
#define TCPMUX_LINGER	5	/* seconds to drain after a refusal */
#define TCPMUX_MAXCONN	64	/* reading a name at once */
#define TCPMUX_MAXDRAIN	4096	/* read and dropped after a refusal */

struct tcpmux_conn {
	int		 tc_fd;
	struct event	 tc_ev;
	struct event	 tc_timer;	/* the deadline */
	size_t		 tc_len;
	size_t		 tc_drained;
	int		 tc_draining;
	char		 tc_buf[CONF_MAXMUXNAME + 3];	/* name CR LF */
};

static int	 tcpmux_nconn;

static void	 tcpmux_refuse(struct tcpmux_conn *, const char *);

static void
tcpmux_close(struct tcpmux_conn *tc)
{
	event_del(&tc->tc_ev);
	evtimer_del(&tc->tc_timer);
	if (tc->tc_fd != -1)
		close(tc->tc_fd);
	free(tc);
	tcpmux_nconn--;
}

/* Best effort: a short reply to a socket with room in its buffer. */
static void
tcpmux_say(int fd, const char *s)
{
	(void)send(fd, s, strlen(s), MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void
tcpmux_help_one(const char *name, void *arg)
{
	int	 fd = *(int *)arg;
	char	 line[CONF_MAXMUXNAME + 3];

	snprintf(line, sizeof(line), "%s\r\n", name);
	tcpmux_say(fd, line);
}

/* -1: the connection is refused and draining, not yet to be closed. */
static int
tcpmux_line(struct tcpmux_conn *tc, char *name)
{
	struct servconf	*se;
	uint32_t	 token;
	int		 fl;

	if (strcasecmp(name, "help") == 0) {
		listener_mux_list(tcpmux_help_one, &tc->tc_fd);
		return 0;
	}
	if ((se = listener_mux_find(name)) == NULL) {
		tcpmux_refuse(tc, "-Service not available\r\n");
		return -1;
	}
	if (!listener_mux_allowed(se, tc->tc_fd)) {
		tcpmux_refuse(tc, "-Access denied\r\n");
		return -1;
	}
	if (!listener_mux_source(se, tc->tc_fd, &token)) {
		tcpmux_refuse(tc, "-Too many connections from your "
		    "address\r\n");
		return -1;
	}
	/* The service gets a blocking socket, as from accept(2). */
	if ((fl = fcntl(tc->tc_fd, F_GETFL)) == -1 ||
	    fcntl(tc->tc_fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		source_release(token);
		return 0;
	}
	if (se->se_mux == MUX_PLUS)
		tcpmux_say(tc->tc_fd, "+Go\r\n");
	listener_mux_spawn(se, tc->tc_fd, token);
	tc->tc_fd = -1;
	return 0;
}

/*
 * After a refusal: close our side, and read what the client still sends
 * before closing, or the kernel would answer it with a reset that can
 * overtake our reply.
 */
static void
tcpmux_refuse(struct tcpmux_conn *tc, const char *why)
{
	struct timeval	 tv = { TCPMUX_LINGER, 0 };

	tcpmux_say(tc->tc_fd, why);
	if (shutdown(tc->tc_fd, SHUT_WR) == -1) {
		tcpmux_close(tc);
		return;
	}
	tc->tc_draining = 1;
	/* A new deadline, once: reading does not move it. */
	if (evtimer_add(&tc->tc_timer, &tv) == -1)
		fatal("evtimer_add");
}

static void
tcpmux_timeout(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	tcpmux_close(arg);
}

static void
tcpmux_read(int fd, short ev, void *arg)
{
	struct tcpmux_conn	*tc = arg;
	ssize_t			 n;
	char			*eol, buf[512];
	size_t			 i, len;

	(void)ev;
	if (tc->tc_draining) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0 || (tc->tc_drained += n) > TCPMUX_MAXDRAIN)
			tcpmux_close(tc);
		return;
	}
	/*
	 * Take the name line and not a byte more: what the client sends
	 * after it is for the service.
	 */
	n = recv(fd, tc->tc_buf + tc->tc_len,
	    sizeof(tc->tc_buf) - 1 - tc->tc_len, MSG_PEEK);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		tcpmux_close(tc);
		return;
	}
	if ((eol = memchr(tc->tc_buf + tc->tc_len, '\n', n)) != NULL)
		n = eol - (tc->tc_buf + tc->tc_len) + 1;
	if (read(fd, tc->tc_buf + tc->tc_len, n) != n) {
		tcpmux_close(tc);
		return;
	}
	tc->tc_len += n;
	tc->tc_buf[tc->tc_len] = '\0';
	if ((eol = memchr(tc->tc_buf, '\n', tc->tc_len)) == NULL) {
		if (tc->tc_len == sizeof(tc->tc_buf) - 1)
			tcpmux_refuse(tc, "-Service name too long\r\n");
		return;
	}
	/*
	 * Check the name by its length, up to the end of the line: a NUL
	 * is a control character like any other, and must not end the
	 * name early.
	 */
	len = eol - tc->tc_buf;
	if (len > 0 && tc->tc_buf[len - 1] == '\r')
		len--;
	for (i = 0; i < len; i++)
		if (!isgraph((unsigned char)tc->tc_buf[i])) {
			tcpmux_refuse(tc, "-Bad service name\r\n");
			return;
		}
	tc->tc_buf[len] = '\0';
	if (tcpmux_line(tc, tc->tc_buf) == -1)
		return;
	tcpmux_close(tc);
}

void
tcpmux_accept(struct servconf *se, int fd)
{
	struct tcpmux_conn	*tc;
	struct timeval		 tv = { TCPMUX_TIMEOUT, 0 };

	(void)se;
	if (tcpmux_nconn >= TCPMUX_MAXCONN ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
	    (tc = calloc(1, sizeof(*tc))) == NULL) {
		close(fd);
		return;
	}
	tcpmux_nconn++;
	tc->tc_fd = fd;
	/*
	 * No timeout on the read event: libevent would start it again on
	 * every read.  The timer is set once, from accept.
	 */
	event_set(&tc->tc_ev, fd, EV_READ | EV_PERSIST, tcpmux_read, tc);
	evtimer_set(&tc->tc_timer, tcpmux_timeout, tc);
	if (event_add(&tc->tc_ev, NULL) == -1 ||
	    evtimer_add(&tc->tc_timer, &tv) == -1)
		fatal("event_add");
}
