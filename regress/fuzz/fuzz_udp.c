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
 * The UDP built-ins, listener/builtin.c builtin_dgram(), with datagrams
 * from any source: the network can forge a source address, so the
 * harness does.  recvfrom(2) and sendto(2) are wrapped (--wrap): each
 * recvfrom returns the next datagram of the input, with the address,
 * address length and (MSG_TRUNC) real length it says; each sendto is
 * recorded.  The input is
 *
 *	service (1 byte: which built-in; bit 7: verbose logging),
 *	then datagrams: flags, family, 16 bytes of address, port (2),
 *	length (2), that many bytes
 *
 * flags: bit 0, the access list refuses it; bit 1, the address length is
 * one short; bit 2, the real length is 2000 (larger than the buffer).
 *
 * Invariants:
 *  - a reply goes only where the loop guard allows, as read here: a
 *    full-length AF_INET or AF_INET6 address of a single host (not
 *    0/8, multicast, 240/4; not unspecified, multicast, v4-mapped or
 *    v4-compatible), from port 1024 or above that is not the service's
 *    own, a classic built-in's (7, 9, 13, 19, 37) or that of another
 *    UDP built-in of the configuration; only when the access list
 *    allows the datagram; and to exactly the address it came from;
 *  - what goes back is never larger than what came, short of one line:
 *    echo the datagram itself (none if too large), chargen whole lines
 *    of RFC 864 text, at most max(request, one line) and six lines,
 *    daytime one line, time four bytes; discard answers nothing;
 *  - replies keep to the budget: no more to one source than its burst
 *    plus its rate for the time the input took, nor in all.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inetd.h"

#define FU_MAXREPLY	64

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
ssize_t	__wrap_recvfrom(int, void *, size_t, int, struct sockaddr *,
	    socklen_t *);
ssize_t	__wrap_sendto(int, const void *, size_t, int,
	    const struct sockaddr *, socklen_t);

struct fu_dgram {
	struct sockaddr_storage	 fd_ss;
	socklen_t		 fd_sslen;
	const uint8_t		*fd_data;
	size_t			 fd_len;	/* bytes in the input */
	size_t			 fd_real;	/* recvfrom's answer */
	int			 fd_deny;
};

static struct fu_dgram	 fu_d[FU_MAXREPLY];
static int		 fu_nd, fu_next, fu_cur, fu_replies[FU_MAXREPLY];

const char *
conf_builtin_name(enum builtin bi)
{
	(void)bi;
	return "builtin";
}

void
source_release(uint32_t token)
{
	(void)token;
}

/* Giving memory back is the event loop's, which this harness has not. */
void
proc_trim_soon(void)
{
}

int
listener_acl_dgram(struct servconf *se, const struct sockaddr_storage *ss,
    socklen_t len)
{
	(void)se;
	(void)len;
	if (fu_cur < 0 || ss->ss_family != fu_d[fu_cur].fd_ss.ss_family) {
		fprintf(stderr, "udp: the access list saw another address\n");
		abort();
	}
	return !fu_d[fu_cur].fd_deny;
}

ssize_t
__wrap_recvfrom(int fd, void *buf, size_t len, int flags,
    struct sockaddr *sa, socklen_t *salen)
{
	struct fu_dgram	*d;

	(void)fd;
	if (fu_next == fu_nd) {
		fu_cur = -1;
		errno = EAGAIN;
		return -1;
	}
	fu_cur = fu_next++;
	d = &fu_d[fu_cur];
	memcpy(buf, d->fd_data, d->fd_len < len ? d->fd_len : len);
	memcpy(sa, &d->fd_ss, d->fd_sslen < *salen ? d->fd_sslen : *salen);
	*salen = d->fd_sslen;
	return (flags & MSG_TRUNC) ? (ssize_t)d->fd_real :
	    (ssize_t)(d->fd_real < len ? d->fd_real : len);
}

static void
fu_fail(const char *what)
{
	fprintf(stderr, "udp: %s\n", what);
	abort();
}

static struct servconf	 fu_se;
static char		 fu_name[] = "fuzz";

/* The loop guard as the comment in builtin.c and DESIGN.md have it. */
static int
fu_may_answer(const struct fu_dgram *d)
{
	const struct sockaddr_in	*sin = (const void *)&d->fd_ss;
	const struct sockaddr_in6	*sin6 = (const void *)&d->fd_ss;
	const uint8_t			*b;
	uint32_t			 a;
	int				 port;
	static const uint8_t		 z[12];

	if (d->fd_deny)
		return 0;
	if (d->fd_ss.ss_family == AF_INET) {
		if (d->fd_sslen < sizeof(*sin))
			return 0;
		a = ntohl(sin->sin_addr.s_addr);
		if ((a >> 24) == 0 || (a >> 28) == 0xe || (a >> 28) == 0xf)
			return 0;
		port = ntohs(sin->sin_port);
	} else if (d->fd_ss.ss_family == AF_INET6) {
		if (d->fd_sslen < sizeof(*sin6))
			return 0;
		b = sin6->sin6_addr.s6_addr;
		if (b[0] == 0xff)
			return 0;	/* multicast */
		/* ::ffff:a.b.c.d; then ::, and ::a.b.c.d but for ::1 */
		if (memcmp(b, z, 10) == 0 && b[10] == 0xff && b[11] == 0xff)
			return 0;
		if (memcmp(b, z, 12) == 0 && (b[12] | b[13] | b[14] ||
		    b[15] != 1))
			return 0;
		port = ntohs(sin6->sin6_port);
	} else
		return 0;
	return port >= 1024 && port != fu_se.se_port && port != 7 &&
	    port != 9 && port != 13 && port != 19 && port != 37 &&
	    port != 5300;	/* the other UDP built-in of the table */
}

ssize_t
__wrap_sendto(int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *sa, socklen_t salen)
{
	const struct fu_dgram	*d;
	const u_char		*p = buf;
	size_t			 i, max;

	(void)fd;
	(void)flags;
	if (fu_cur < 0)
		fu_fail("a reply with no datagram");
	d = &fu_d[fu_cur];
	if (!fu_may_answer(d))
		fu_fail("answered where the loop guard refuses");
	if (salen != d->fd_sslen || memcmp(sa, &d->fd_ss, salen) != 0)
		fu_fail("answered another address");
	fu_replies[fu_cur]++;
	switch (fu_se.se_builtin) {
	case BI_ECHO:
		if (d->fd_real > 1472 || len != d->fd_real ||
		    memcmp(buf, d->fd_data, len) != 0)
			fu_fail("echo is not the datagram");
		break;
	case BI_CHARGEN:
		max = d->fd_real < 74 ? 74 : d->fd_real;
		if (max > 6 * 74)
			max = 6 * 74;
		if (len == 0 || len % 74 != 0 || len > max)
			fu_fail("chargen of a bad length");
		for (i = 0; i < len; i++)
			if ((i % 74 < 72 && (p[i] < ' ' || p[i] > '~')) ||
			    (i % 74 == 72 && p[i] != '\r') ||
			    (i % 74 == 73 && p[i] != '\n'))
				fu_fail("chargen that is not RFC 864 lines");
		break;
	case BI_DAYTIME:
		if (len < 3 || len > 64 || p[len - 2] != '\r' ||
		    p[len - 1] != '\n' || memchr(p, '\n', len - 1) != NULL)
			fu_fail("daytime that is not one line");
		break;
	case BI_TIME:
		if (len != 4)
			fu_fail("time that is not 4 bytes");
		break;
	default:
		fu_fail("an answer from discard");
	}
	return len;
}

/* A source as the budget's table knows it. */
static uint64_t
fu_key(const struct fu_dgram *d)
{
	const struct sockaddr_in	*sin = (const void *)&d->fd_ss;
	const struct sockaddr_in6	*sin6 = (const void *)&d->fd_ss;
	uint64_t			 k = 0;

	if (d->fd_ss.ss_family == AF_INET)
		memcpy(&k, &sin->sin_addr, 4);
	else
		memcpy(&k, &sin6->sin6_addr, 8);
	return k ^ (uint64_t)d->fd_ss.ss_family << 56;
}

static double
fu_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum builtin bis[] = { BI_ECHO, BI_DISCARD, BI_CHARGEN,
	    BI_DAYTIME, BI_TIME };
	static int		 ready;
	struct fu_dgram		*d;
	struct sockaddr_in	*sin;
	struct sockaddr_in6	*sin6;
	struct conf		 c;
	struct servconf		 other;
	double			 t0, secs;
	size_t			 len;
	uint64_t		 k0 = 0;
	int			 i, n = 0, one = 1, total = 0;

	if (!ready) {
		log_init(1, 0);
		/* Another UDP built-in in the table: its port is guarded. */
		memset(&other, 0, sizeof(other));
		other.se_builtin = BI_ECHO;
		other.se_socktype = SOCK_DGRAM;
		other.se_port = 5300;
		TAILQ_INIT(&c.c_services);
		TAILQ_INSERT_TAIL(&c.c_services, &other, se_entry);
		builtin_conf(&c);
		fu_se.se_service = fu_name;
		strlcpy(fu_se.se_proto, "udp", sizeof(fu_se.se_proto));
		fu_se.se_socktype = SOCK_DGRAM;
		fu_se.se_port = 4000;
		ready = 1;
	}
	if (size < 1)
		return 0;
	fu_se.se_builtin = bis[(data[0] & 0x7f) % nitems(bis)];
	log_setverbose(data[0] >> 7);
	data++;
	size--;
	for (fu_nd = 0; fu_nd < FU_MAXREPLY && size >= 22; fu_nd++) {
		d = &fu_d[fu_nd];
		memset(d, 0, sizeof(*d));
		d->fd_deny = data[0] & 1;
		d->fd_ss.ss_family = data[1] % 4 == 0 ? AF_INET :
		    data[1] % 4 == 1 ? AF_INET6 : data[1] % 4 == 2 ?
		    AF_UNIX : data[1];
		if (d->fd_ss.ss_family == AF_INET6) {
			sin6 = (struct sockaddr_in6 *)&d->fd_ss;
			memcpy(&sin6->sin6_addr, data + 2, 16);
			memcpy(&sin6->sin6_port, data + 18, 2);
			d->fd_sslen = sizeof(*sin6);
		} else {
			sin = (struct sockaddr_in *)&d->fd_ss;
			memcpy(&sin->sin_addr, data + 2, 4);
			memcpy(&sin->sin_port, data + 18, 2);
			d->fd_sslen = sizeof(*sin);
		}
		if (data[0] & 2)
			d->fd_sslen--;
		len = data[20] | data[21] << 8;
		data += 22;
		size -= 22;
		if (len > size)
			len = size;
		d->fd_data = data;
		d->fd_len = len;
		d->fd_real = data[-22] & 4 ? 2000 : len;
		data += len;
		size -= len;
		fu_replies[fu_nd] = 0;
	}
	fu_next = 0;
	fu_cur = -1;
	t0 = fu_now();
	/* As the event loop would: until the socket has nothing more. */
	for (i = 0; fu_next < fu_nd && i < FU_MAXREPLY; i++)
		builtin_dgram(&fu_se, 3);
	secs = fu_now() - t0;
	/*
	 * The budget in all, and that of a source (an IPv4 address, an
	 * IPv6 /64) when it is the only one: sources that share a slot
	 * of the table may each get a fresh burst, as builtin.c says.
	 */
	for (i = 0; i < fu_nd; i++) {
		total += fu_replies[i];
		if (fu_replies[i] == 0)
			continue;
		if (n == 0)
			k0 = fu_key(&fu_d[i]);
		else if (fu_key(&fu_d[i]) != k0)
			one = 0;
		n += fu_replies[i];
	}
	if (one && n > 10 + 5 * secs + 1)
		fu_fail("over a source's budget");
	if (total > 200 + 200 * secs + 1)
		fu_fail("over the global budget");
	return 0;
}
