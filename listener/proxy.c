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
 * PROXY protocol input (proxy=, proxy-from=), in the listener.
 *
 * A front end such as haproxy or stunnel puts one header before the
 * client's bytes that names the client: version 1, a text line of at
 * most 107 bytes, or version 2, a binary block of 16 bytes and as many
 * more as it says.  A connection of a proxy= service is taken only from
 * a proxy-from= address, and the header is read in full, and not a byte
 * more, within PROXY_DEADLINE seconds; anything that is not a header the
 * service accepts ends the connection, logged.  The client it names is
 * then the peer for the access list and the per-source limits, and for
 * the service's environment (the spawner checks the addresses again).
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/queue.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

#define PROXY_DEADLINE	5	/* seconds from accept to the header's end */
#define PROXY_MAXCONN	256	/* headers being read at once */
#define PROXY_V1MAX	107	/* a version 1 line, CR LF included */
#define PROXY_V2MAX	1024	/* a version 2 header, its TLVs included */

static const u_char proxy_v2sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

struct proxy_conn {
	TAILQ_ENTRY(proxy_conn)	 pc_entry;
	struct servconf		*pc_se;
	int			 pc_fd;
	struct sockaddr_storage	 pc_peer;	/* the front end */
	socklen_t		 pc_peerlen;
	struct event		 pc_ev;
	struct event		 pc_timer;
	size_t			 pc_len;
	u_char			 pc_buf[PROXY_V2MAX];
};

static TAILQ_HEAD(, proxy_conn) proxy_conns =
    TAILQ_HEAD_INITIALIZER(proxy_conns);
static int	 proxy_nconn;

static void
proxy_close(struct proxy_conn *pc)
{
	event_del(&pc->pc_ev);
	evtimer_del(&pc->pc_timer);
	if (pc->pc_fd != -1)
		close(pc->pc_fd);
	TAILQ_REMOVE(&proxy_conns, pc, pc_entry);
	listener_pending(pc->pc_se, -1);
	free(pc);
	proxy_nconn--;
}

static void
proxy_refuse(struct proxy_conn *pc, const char *why)
{
	char	 peer[INET6_ADDRSTRLEN + 32];

	acl_peer_name((struct sockaddr *)&pc->pc_peer, pc->pc_peerlen, peer,
	    sizeof(peer));
	listener_refused(pc->pc_se, peer, why);
	proxy_close(pc);
}

/* A port of a version 1 line: decimal, no leading zero, at most 65535. */
static int
proxy_v1port(const char *s, in_port_t *port)
{
	long	 v = 0;
	size_t	 i, n = strlen(s);

	if (n == 0 || n > 5 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*port = htons((in_port_t)v);
	return 0;
}

/*
 * "PROXY TCP4 src dst sport dport\r\n", TCP6 alike, or "PROXY UNKNOWN"
 * and anything up to CR LF (the front end's own connection).  Single
 * spaces, nothing more.  0: *mp filled (mp_srclen 0 for UNKNOWN).
 */
static int
proxy_v1(char *line, struct msg_proxy *mp)
{
	char			*f[7], *p = line;
	struct sockaddr_in	*s4, *d4;
	struct sockaddr_in6	*s6, *d6;
	int			 n = 0, af;

	while (n < 7 && (f[n] = strsep(&p, " ")) != NULL)
		n++;
	if (n < 2 || strcmp(f[0], "PROXY") != 0)
		return -1;
	if (strcmp(f[1], "UNKNOWN") == 0)
		return 0;
	if (n != 6 || p != NULL)
		return -1;
	if (strcmp(f[1], "TCP4") == 0)
		af = AF_INET;
	else if (strcmp(f[1], "TCP6") == 0)
		af = AF_INET6;
	else
		return -1;
	if (af == AF_INET) {
		s4 = (struct sockaddr_in *)&mp->mp_src;
		d4 = (struct sockaddr_in *)&mp->mp_dst;
		s4->sin_family = d4->sin_family = AF_INET;
		if (inet_pton(AF_INET, f[2], &s4->sin_addr) != 1 ||
		    inet_pton(AF_INET, f[3], &d4->sin_addr) != 1 ||
		    proxy_v1port(f[4], &s4->sin_port) == -1 ||
		    proxy_v1port(f[5], &d4->sin_port) == -1)
			return -1;
		mp->mp_srclen = mp->mp_dstlen = sizeof(*s4);
	} else {
		s6 = (struct sockaddr_in6 *)&mp->mp_src;
		d6 = (struct sockaddr_in6 *)&mp->mp_dst;
		s6->sin6_family = d6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, f[2], &s6->sin6_addr) != 1 ||
		    inet_pton(AF_INET6, f[3], &d6->sin6_addr) != 1 ||
		    proxy_v1port(f[4], &s6->sin6_port) == -1 ||
		    proxy_v1port(f[5], &d6->sin6_port) == -1)
			return -1;
		mp->mp_srclen = mp->mp_dstlen = sizeof(*s6);
	}
	return 0;
}

/*
 * A version 2 header of len bytes: PROXY over TCP on IPv4 or IPv6, or
 * LOCAL (the front end's own connection), or PROXY of an unspecified
 * family; TLVs well formed, their contents ignored.
 */
static int
proxy_v2(const u_char *b, size_t len, struct msg_proxy *mp)
{
	struct sockaddr_in	*s4, *d4;
	struct sockaddr_in6	*s6, *d6;
	size_t			 off, tl;
	int			 cmd = b[12] & 0x0f, fam = b[13] >> 4;
	int			 proto = b[13] & 0x0f;

	if ((b[12] & 0xf0) != 0x20 || cmd > 1 || fam > 3 || proto > 2)
		return -1;
	if (cmd == 0 || fam == 0)
		return 0;		/* LOCAL, or UNSPEC: the real peer */
	if (proto != 1)
		return -1;		/* not a stream */
	if (fam == 1) {
		if (len < 16 + 12)
			return -1;
		s4 = (struct sockaddr_in *)&mp->mp_src;
		d4 = (struct sockaddr_in *)&mp->mp_dst;
		s4->sin_family = d4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, b + 16, 4);
		memcpy(&d4->sin_addr, b + 20, 4);
		memcpy(&s4->sin_port, b + 24, 2);
		memcpy(&d4->sin_port, b + 26, 2);
		mp->mp_srclen = mp->mp_dstlen = sizeof(*s4);
		off = 16 + 12;
	} else if (fam == 2) {
		if (len < 16 + 36)
			return -1;
		s6 = (struct sockaddr_in6 *)&mp->mp_src;
		d6 = (struct sockaddr_in6 *)&mp->mp_dst;
		s6->sin6_family = d6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, b + 16, 16);
		memcpy(&d6->sin6_addr, b + 32, 16);
		memcpy(&s6->sin6_port, b + 48, 2);
		memcpy(&d6->sin6_port, b + 50, 2);
		mp->mp_srclen = mp->mp_dstlen = sizeof(*s6);
		off = 16 + 36;
	} else
		return -1;		/* a UNIX client: not for us */
	/* Type, two bytes of length, value: to the byte, or refused. */
	while (off < len) {
		if (len - off < 3)
			return -1;
		tl = (size_t)b[off + 1] << 8 | b[off + 2];
		if (len - off - 3 < tl)
			return -1;
		off += 3 + tl;
	}
	return 0;
}

/*
 * How many more bytes the header has, as far as what is in yet says; 0
 * once whole, -1 if it cannot be a header this service takes.
 */
static ssize_t
proxy_want(const struct proxy_conn *pc)
{
	const u_char	*b = pc->pc_buf;
	size_t		 n = pc->pc_len, i, v2len;
	int		 v1ok, v2ok;

	v1ok = pc->pc_se->se_proxy != CONF_PROXY_V2;
	v2ok = pc->pc_se->se_proxy != CONF_PROXY_V1;
	if (n < 6) {
		if ((v1ok && memcmp(b, "PROXY ", n) == 0) ||
		    (v2ok && memcmp(b, proxy_v2sig, n) == 0))
			return 6 - n;
		return -1;
	}
	if (v1ok && memcmp(b, "PROXY ", 6) == 0) {
		for (i = 0; i < n; i++)
			if (b[i] == '\n')
				return i == n - 1 && i > 0 && b[i - 1] == '\r' ?
				    0 : -1;
		/* Up to the line's end, which may come with any byte. */
		return n < PROXY_V1MAX ? 1 : -1;
	}
	if (!v2ok || memcmp(b, proxy_v2sig, n < 12 ? n : 12) != 0)
		return -1;
	if (n < 16)
		return 16 - n;
	v2len = 16 + ((size_t)b[14] << 8 | b[15]);
	if (v2len > PROXY_V2MAX)
		return -1;
	return v2len - n;
}

static void
proxy_timeout(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	proxy_refuse(arg, "PROXY header not in time");
}

static void
proxy_read(int fd, short ev, void *arg)
{
	struct proxy_conn	*pc = arg;
	struct msg_proxy	 mp;
	struct servconf		*se;
	ssize_t			 want, n;
	u_char			*nl;
	int			 s, fl;

	(void)ev;
	for (;;) {
		if ((want = proxy_want(pc)) == -1) {
			proxy_refuse(pc, "not a PROXY header");
			return;
		}
		if (want == 0)
			break;
		/* A v1 line: peek for its end, then take up to it. */
		if (pc->pc_len >= 6 && pc->pc_buf[0] == 'P') {
			n = recv(fd, pc->pc_buf + pc->pc_len,
			    PROXY_V1MAX - pc->pc_len, MSG_PEEK);
			if (n > 0 && (nl = memchr(pc->pc_buf + pc->pc_len,
			    '\n', n)) != NULL)
				n = nl - (pc->pc_buf + pc->pc_len) + 1;
			if (n > 0)
				want = n;
		}
		n = recv(fd, pc->pc_buf + pc->pc_len, want, 0);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			proxy_refuse(pc, "closed before its PROXY header's "
			    "end");
			return;
		}
		pc->pc_len += n;
	}
	memset(&mp, 0, sizeof(mp));
	if (pc->pc_buf[0] == 'P') {
		pc->pc_buf[pc->pc_len - 2] = '\0';	/* CR LF */
		if (memchr(pc->pc_buf, '\0', pc->pc_len - 2) != NULL ||
		    proxy_v1((char *)pc->pc_buf, &mp) == -1) {
			proxy_refuse(pc, "bad PROXY v1 header");
			return;
		}
	} else if (proxy_v2(pc->pc_buf, pc->pc_len, &mp) == -1) {
		proxy_refuse(pc, "bad PROXY v2 header");
		return;
	}
	/* No client named: the front end's own connection. */
	if (mp.mp_srclen == 0) {
		memcpy(&mp.mp_src, &pc->pc_peer, sizeof(mp.mp_src));
		mp.mp_srclen = pc->pc_peerlen;
		mp.mp_local = 1;
	}
	se = pc->pc_se;
	s = pc->pc_fd;
	pc->pc_fd = -1;
	proxy_close(pc);
	/*
	 * A program gets it blocking, as from accept(2); a built-in
	 * serves it without blocking, as the listener accepts its own.
	 */
	if (se->se_builtin == BI_NONE && ((fl = fcntl(s, F_GETFL)) == -1 ||
	    fcntl(s, F_SETFL, fl & ~O_NONBLOCK) == -1)) {
		close(s);
		return;
	}
	listener_proxied(se, s, &mp);
}

/*
 * A connection to a proxy= service: from a proxy-from= front end, its
 * header is read; from anyone else, it is refused.
 */
void
proxy_accept(struct servconf *se, int fd, const struct sockaddr_storage *ss,
    socklen_t sslen)
{
	struct proxy_conn	*pc;
	struct timeval		 tv = { PROXY_DEADLINE, 0 };
	char			 peer[INET6_ADDRSTRLEN + 32];

	if (se->se_proxyacc == NULL || acl_check_addr(se->se_proxyacc,
	    (const struct sockaddr *)ss, sslen) != 1) {
		close(fd);
		acl_peer_name((const struct sockaddr *)ss, sslen, peer,
		    sizeof(peer));
		listener_refused(se, peer, "not a proxy-from= front end");
		return;
	}
	if (proxy_nconn >= PROXY_MAXCONN) {
		close(fd);
		acl_peer_name((const struct sockaddr *)ss, sslen, peer,
		    sizeof(peer));
		listener_refused(se, peer, "too many PROXY headers "
		    "being read");
		return;
	}
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
	    (pc = calloc(1, sizeof(*pc))) == NULL) {
		log_warn("%s/%s: PROXY connection", se->se_service,
		    se->se_proto);
		close(fd);
		return;
	}
	proxy_nconn++;
	TAILQ_INSERT_TAIL(&proxy_conns, pc, pc_entry);
	pc->pc_se = se;
	pc->pc_fd = fd;
	if (sslen > sizeof(pc->pc_peer))
		sslen = sizeof(pc->pc_peer);
	memcpy(&pc->pc_peer, ss, sslen);	/* the rest stays zero */
	pc->pc_peerlen = sslen;
	listener_pending(se, 1);
	/* The deadline runs from accept; reading does not move it. */
	event_set(&pc->pc_ev, fd, EV_READ | EV_PERSIST, proxy_read, pc);
	evtimer_set(&pc->pc_timer, proxy_timeout, pc);
	if (event_add(&pc->pc_ev, NULL) == -1 ||
	    evtimer_add(&pc->pc_timer, &tv) == -1)
		fatal("event_add");
}

/*
 * A table goes: the headers being read for one of its entries go on
 * for the entry that takes over its socket if that entry still takes
 * a header from that front end, or end.
 */
void
proxy_retire(struct servconf *se, struct servconf *succ)
{
	struct proxy_conn	*pc, *next;

	TAILQ_FOREACH_SAFE(pc, &proxy_conns, pc_entry, next) {
		if (pc->pc_se != se)
			continue;
		if (succ != NULL && succ->se_proxy != CONF_PROXY_NONE &&
		    succ->se_proxyacc != NULL &&
		    acl_check_addr(succ->se_proxyacc,
		    (struct sockaddr *)&pc->pc_peer, pc->pc_peerlen) == 1) {
			pc->pc_se = succ;
			listener_pending(succ, 1);
		} else
			proxy_refuse(pc, "its front end is no longer in "
			    "proxy-from= after a reload");
	}
}
