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
 * The PROXY protocol reader, listener/proxy.c, as a front end (or an
 * attacker who is one) drives it: proxy_accept() on one end of a stream
 * pair, the input written to the other end in pieces, libevent run
 * between them, as regress/proxytest.c does.  The input is
 *
 *	mode (1 byte: proxy=v1, v2 or any), pieces (1 byte), bytes
 *
 * where each bit of "pieces" says whether the next write is one byte or
 * all of what is left, so a header arrives split in ways the fuzzer
 * picks.
 *
 * Invariants:
 *  - once the sender has shut down, the connection has ended one way:
 *    taken (listener_proxied) or refused (listener_refused), never both
 *    and never neither;
 *  - a connection taken has had its header read in full and not a byte
 *    more: what is left to read is exactly the input after the header;
 *  - that header is one the mode allows and says what was taken, as an
 *    independent reading of it here finds: version 1 is "PROXY "
 *    fields "\r\n" of at most 107 bytes, with the addresses and ports
 *    inet_pton(3) and strtoul(3) find; version 2 is the signature and
 *    16 + its length bytes, with the addresses at their offsets; a
 *    LOCAL or UNKNOWN header keeps the front end as the peer;
 *  - no descriptor outlives the input.
 * The access list and the listener around it are stubs (acl is a target
 * of its own).
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int		 fp_taken, fp_refused, fp_fd = -1;
static struct msg_proxy	 fp_mp;

static const u_char fp_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

void
listener_proxied(struct servconf *se, int s, const struct msg_proxy *mp)
{
	(void)se;
	fp_taken++;
	fp_mp = *mp;
	fp_fd = s;
}

void
listener_refused(struct servconf *se, const char *peer, const char *why)
{
	(void)se;
	(void)peer;
	(void)why;
	fp_refused++;
}

static void
fp_fail(const char *what)
{
	fprintf(stderr, "proxy: %s\n", what);
	abort();
}

/* A port as a version 1 line has it, the harness's own reading. */
static int
fp_port(const char *s, uint16_t *port)
{
	char		*end;
	unsigned long	 v;

	if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > 65535)
		return -1;
	*port = htons((uint16_t)v);
	return 0;
}

/* Whether the v1 line h of len bytes says what mp holds. */
static int
fp_check_v1(const u_char *h, size_t len, const struct msg_proxy *mp)
{
	char			 line[128], *f[8], *p;
	int			 n = 0, af;
	u_char			 a[16], b[16];
	uint16_t		 sp, dp;
	const struct sockaddr_in	*s4, *d4;
	const struct sockaddr_in6	*s6, *d6;

	if (len > 107 || len < 8 || h[len - 2] != '\r' || h[len - 1] != '\n' ||
	    memchr(h, '\n', len - 1) != NULL || memchr(h, '\0', len) != NULL)
		return -1;
	memcpy(line, h, len - 2);
	line[len - 2] = '\0';
	p = line;
	while (n < 8 && (f[n] = strsep(&p, " ")) != NULL)
		n++;
	if (n < 2 || strcmp(f[0], "PROXY") != 0)
		return -1;
	if (strcmp(f[1], "UNKNOWN") == 0)
		return mp->mp_local ? 0 : -1;
	if (n != 6 || mp->mp_local)
		return -1;
	af = strcmp(f[1], "TCP4") == 0 ? AF_INET :
	    strcmp(f[1], "TCP6") == 0 ? AF_INET6 : -1;
	if (af == -1 || inet_pton(af, f[2], a) != 1 ||
	    inet_pton(af, f[3], b) != 1 || fp_port(f[4], &sp) == -1 ||
	    fp_port(f[5], &dp) == -1)
		return -1;
	if (af == AF_INET) {
		s4 = (const struct sockaddr_in *)&mp->mp_src;
		d4 = (const struct sockaddr_in *)&mp->mp_dst;
		return mp->mp_srclen == sizeof(*s4) &&
		    mp->mp_dstlen == sizeof(*d4) &&
		    s4->sin_family == AF_INET && d4->sin_family == AF_INET &&
		    memcmp(&s4->sin_addr, a, 4) == 0 &&
		    memcmp(&d4->sin_addr, b, 4) == 0 &&
		    s4->sin_port == sp && d4->sin_port == dp ? 0 : -1;
	}
	s6 = (const struct sockaddr_in6 *)&mp->mp_src;
	d6 = (const struct sockaddr_in6 *)&mp->mp_dst;
	return mp->mp_srclen == sizeof(*s6) && mp->mp_dstlen == sizeof(*d6) &&
	    s6->sin6_family == AF_INET6 && d6->sin6_family == AF_INET6 &&
	    memcmp(&s6->sin6_addr, a, 16) == 0 &&
	    memcmp(&d6->sin6_addr, b, 16) == 0 &&
	    s6->sin6_port == sp && d6->sin6_port == dp ? 0 : -1;
}

/* Whether the v2 header h of len bytes says what mp holds. */
static int
fp_check_v2(const u_char *h, size_t len, const struct msg_proxy *mp)
{
	const struct sockaddr_in	*s4;
	const struct sockaddr_in6	*s6;
	size_t				 off, tl;
	int				 cmd, fam;

	if (len < 16 || memcmp(h, fp_sig, 12) != 0 ||
	    len != 16 + ((size_t)h[14] << 8 | h[15]) || len > 1024 ||
	    (h[12] & 0xf0) != 0x20)
		return -1;
	cmd = h[12] & 0x0f;
	fam = h[13] >> 4;
	if (cmd == 0 || fam == 0)
		return mp->mp_local ? 0 : -1;
	if (mp->mp_local || cmd != 1 || (h[13] & 0x0f) != 1)
		return -1;
	/* TLVs after the addresses: type, length, value, to the byte. */
	for (off = fam == 1 ? 28 : 52; off < len; off += 3 + tl) {
		if (len - off < 3)
			return -1;
		tl = (size_t)h[off + 1] << 8 | h[off + 2];
		if (len - off - 3 < tl)
			return -1;
	}
	if (fam == 1) {
		s4 = (const struct sockaddr_in *)&mp->mp_src;
		return len >= 28 && s4->sin_family == AF_INET &&
		    memcmp(&s4->sin_addr, h + 16, 4) == 0 &&
		    memcmp(&s4->sin_port, h + 24, 2) == 0 ? 0 : -1;
	}
	s6 = (const struct sockaddr_in6 *)&mp->mp_src;
	return fam == 2 && len >= 52 && s6->sin6_family == AF_INET6 &&
	    memcmp(&s6->sin6_addr, h + 16, 16) == 0 &&
	    memcmp(&s6->sin6_port, h + 48, 2) == 0 ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	static struct servconf	 se;
	static char		 name[] = "fuzz";
	static u_char		 rest[4096];
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin;
	size_t			 off = 0, c, hlen, left;
	ssize_t			 n;
	int			 sv[2], i, before, pieces, fl;

	if (!ready) {
		signal(SIGPIPE, SIG_IGN);
		event_init();
		se.se_service = name;
		strlcpy(se.se_proto, "tcp", sizeof(se.se_proto));
		se.se_proxyacc = (struct acl *)&se;	/* any: stubbed */
		ready = 1;
	}
	if (size < 2 || size - 2 > sizeof(rest))
		return 0;
	se.se_proxy = CONF_PROXY_V1 + data[0] % 3;
	pieces = data[1];
	data += 2;
	size -= 2;

	before = fuzz_nfds();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	memset(&ss, 0, sizeof(ss));
	sin = (struct sockaddr_in *)&ss;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(40000);
	sin->sin_addr.s_addr = htonl(0xc0000201);
	fp_taken = fp_refused = 0;
	fp_fd = -1;
	proxy_accept(&se, sv[0], &ss, sizeof(*sin));
	for (i = 0; off < size && !fp_taken && !fp_refused; i++) {
		c = (pieces >> (i % 8)) & 1 ? size - off : 1;
		if (write(sv[1], data + off, c) != (ssize_t)c)
			err(1, "write");
		off += c;
		event_loop(EVLOOP_NONBLOCK);
	}
	if (off < size && write(sv[1], data + off, size - off) == -1 &&
	    errno != EPIPE)
		err(1, "write");
	shutdown(sv[1], SHUT_WR);
	for (i = 0; i < 4 && !fp_taken && !fp_refused; i++)
		event_loop(EVLOOP_NONBLOCK);

	if (fp_taken + fp_refused != 1)
		fp_fail(fp_taken + fp_refused ? "ended twice" :
		    "neither taken nor refused after the sender's end");
	if (fp_taken) {
		/* What is left to read is the service's. */
		if ((fl = fcntl(fp_fd, F_GETFL)) == -1 || (fl & O_NONBLOCK))
			fp_fail("handed on non-blocking");
		fcntl(fp_fd, F_SETFL, fl | O_NONBLOCK);
		left = 0;
		while ((n = read(fp_fd, rest + left, sizeof(rest) - left)) > 0)
			left += n;
		if (left > size)
			fp_fail("more left than was sent");
		hlen = size - left;
		if (memcmp(rest, data + hlen, left) != 0)
			fp_fail("the service's bytes changed");
		if (data[0] == 'P') {
			if (se.se_proxy == CONF_PROXY_V2)
				fp_fail("took v1 where only v2 is allowed");
			if (fp_check_v1(data, hlen, &fp_mp) == -1)
				fp_fail("v1 header taken for what it is not");
		} else {
			if (se.se_proxy == CONF_PROXY_V1)
				fp_fail("took v2 where only v1 is allowed");
			if (fp_check_v2(data, hlen, &fp_mp) == -1)
				fp_fail("v2 header taken for what it is not");
		}
		if (fp_mp.mp_local && (fp_mp.mp_srclen != sizeof(*sin) ||
		    memcmp(&fp_mp.mp_src, &ss, sizeof(*sin)) != 0))
			fp_fail("LOCAL without the front end as the peer");
		close(fp_fd);
	}
	close(sv[1]);
	if (fuzz_nfds() != before)
		fp_fail("a descriptor leaked");
	return 0;
}
