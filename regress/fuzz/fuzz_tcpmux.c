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
 * The tcpmux name reader, listener/tcpmux.c, as a client drives it:
 * tcpmux_accept() on one end of a stream pair, the input written to the
 * other end in pieces (the first byte's bits: one byte, or all that is
 * left), libevent run between them.  The listener's service table is a
 * stub with four names: "open" (tcpmux/name), "plus" (tcpmux/+name),
 * "denied" (its access list refuses) and "busy" (its per-source limit
 * is reached).
 *
 * Invariants, once the client has shut down and the loop has run:
 *  - at most one spawn, and only of the name on the first line: that
 *    line is at most 64 bytes of isgraph(3) characters, CR LF or LF
 *    ended, and names "open" or "plus" (case as RFC 1078 leaves it:
 *    the table's own lookup decides, and must have been asked for
 *    exactly that name);
 *  - a spawned connection still holds every byte after the name line,
 *    is blocking again, and the client saw "+Go\r\n" for "plus" and
 *    nothing for "open";
 *  - a refusal is one line "-...\r\n" to the client, and a per-source
 *    slot taken is given back when the connection is not spawned;
 *  - no descriptor outlives the input.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "inetd.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FT_NSERV	4

static struct servconf	 ft_se[FT_NSERV];
static const char	*ft_names[FT_NSERV] = { "open", "plus", "denied",
			    "busy" };
static struct servconf	*ft_spawned;
static int		 ft_nspawn, ft_fd = -1, ft_tokens, ft_asked;
static char		 ft_asked_name[CONF_MAXMUXNAME + 8];

static void
ft_fail(const char *what)
{
	fprintf(stderr, "tcpmux: %s\n", what);
	abort();
}

struct servconf *
listener_mux_find(const char *name)
{
	int	 i;

	ft_asked++;
	strlcpy(ft_asked_name, name, sizeof(ft_asked_name));
	for (i = 0; i < FT_NSERV; i++)
		if (strcasecmp(name, ft_names[i]) == 0)
			return &ft_se[i];
	return NULL;
}

void
listener_mux_list(void (*fn)(const char *, void *), void *arg)
{
	int	 i;

	for (i = 0; i < FT_NSERV; i++)
		fn(ft_names[i], arg);
}

int
listener_mux_allowed(struct servconf *se, int fd)
{
	(void)fd;
	return se != &ft_se[2];
}

int
listener_mux_source(struct servconf *se, int fd, uint32_t *token)
{
	(void)fd;
	if (se == &ft_se[3])
		return 0;
	ft_tokens++;
	*token = 7;
	return 1;
}

void
source_release(uint32_t token)
{
	if (token != 7)
		ft_fail("released a token never given");
	ft_tokens--;
}

void
listener_mux_spawn(struct servconf *se, int fd, uint32_t token)
{
	if (token != 7)
		ft_fail("spawned with a token never given");
	ft_tokens--;	/* the spawn request owns it now */
	ft_nspawn++;
	ft_spawned = se;
	ft_fd = fd;
}

/* Everything readable on fd now, up to len bytes. */
static size_t
ft_drain(int fd, u_char *buf, size_t len)
{
	size_t	 got = 0;
	ssize_t	 n;
	int	 fl;

	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += n;
	fcntl(fd, F_SETFL, fl);
	return got;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 ready;
	static u_char	 rest[8192], reply[1024];
	const u_char	*eol;
	size_t		 off = 0, c, left, rlen, llen, i;
	ssize_t		 n;
	int		 sv[2], before, pieces, k, fl;

	if (!ready) {
		signal(SIGPIPE, SIG_IGN);
		event_init();
		for (k = 0; k < FT_NSERV; k++) {
			if ((ft_se[k].se_muxname = strdup(ft_names[k])) ==
			    NULL)
				abort();
			ft_se[k].se_mux = k == 1 ? MUX_PLUS : MUX_PLAIN;
		}
		ready = 1;
	}
	if (size < 1 || size - 1 > sizeof(rest))
		return 0;
	pieces = data[0];
	data++;
	size--;

	before = fuzz_nfds();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	ft_spawned = NULL;
	ft_nspawn = ft_tokens = ft_asked = 0;
	ft_fd = -1;
	tcpmux_accept(&ft_se[0], sv[0]);
	for (k = 0; off < size; k++) {
		/*
		 * Once the connection is handed on, the rest at once: one
		 * byte a write would fill the socket's buffer with headers.
		 */
		c = (pieces >> (k % 8)) & 1 || ft_nspawn ? size - off : 1;
		if ((n = write(sv[1], data + off, c)) != (ssize_t)c) {
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1 && errno != EPIPE)
				err(1, "write");
			break;
		}
		off += c;
		event_loop(EVLOOP_NONBLOCK);
	}
	shutdown(sv[1], SHUT_WR);
	for (k = 0; k < 4; k++)
		event_loop(EVLOOP_NONBLOCK);
	rlen = ft_drain(sv[1], reply, sizeof(reply) - 1);
	reply[rlen] = '\0';

	if (ft_nspawn > 1)
		ft_fail("spawned twice");
	if (ft_tokens != 0)
		ft_fail("a per-source slot was not given back");
	eol = memchr(data, '\n', size);
	if (ft_nspawn) {
		if (eol == NULL)
			ft_fail("spawned without a whole line");
		llen = eol - data;
		if (llen > 0 && data[llen - 1] == '\r')
			llen--;
		if (llen == 0 || llen > CONF_MAXMUXNAME)
			ft_fail("spawned for a name of a bad length");
		for (i = 0; i < llen; i++)
			if (!isgraph(data[i]))
				ft_fail("spawned for a name with a control "
				    "character or a blank");
		if (ft_asked != 1 || strlen(ft_asked_name) != llen ||
		    memcmp(ft_asked_name, data, llen) != 0)
			ft_fail("the table was asked for another name");
		if (ft_spawned != &ft_se[0] && ft_spawned != &ft_se[1])
			ft_fail("spawned a refused service");
		if ((fl = fcntl(ft_fd, F_GETFL)) == -1 || (fl & O_NONBLOCK))
			ft_fail("handed on non-blocking");
		left = ft_drain(ft_fd, rest, sizeof(rest));
		if (left != size - (eol + 1 - data) ||
		    memcmp(rest, eol + 1, left) != 0)
			ft_fail("the service's bytes were taken or changed");
		if (strcmp((char *)reply, ft_spawned == &ft_se[1] ?
		    "+Go\r\n" : "") != 0)
			ft_fail("the client saw the wrong answer");
		close(ft_fd);
	} else if (rlen > 0 && reply[0] == '-') {
		if (rlen < 3 || memcmp(reply + rlen - 2, "\r\n", 2) != 0 ||
		    memchr(reply, '\n', rlen - 1) != NULL)
			ft_fail("a refusal that is not one line");
	}
	close(sv[1]);
	/* A refused connection drains until the client's end: run once more. */
	event_loop(EVLOOP_NONBLOCK);
	if (fuzz_nfds() != before)
		ft_fail("a descriptor leaked (or a connection stayed open "
		    "after the client's end)");
	return 0;
}
