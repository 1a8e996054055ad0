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
 * proxytest: the listener's PROXY header reader (listener/proxy.c, the
 * real file) on socketpairs, with the listener's other functions
 * replaced by recorders.  Good headers of every kind arrive cut into
 * random pieces, with the service's first bytes in the same pieces: each
 * must give the addresses it names and leave those bytes unread.
 * Headers with random bytes changed must each end one way or the other
 * (taken, or refused) once the sender is done, never hang.  Prints
 * SUCCESS or FAIL lines as the t-*.sh scripts do.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

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

#define PT_ROUNDS	3000
#define PT_PAYLOAD	"PAYLOAD\n"

static int			 pt_taken, pt_refused, pt_fd = -1;
static struct msg_proxy		 pt_mp;

/* What listener.c and acl.c would do, recorded. */
void
listener_proxied(struct servconf *se, int s, const struct msg_proxy *mp)
{
	(void)se;
	pt_taken++;
	pt_mp = *mp;
	pt_fd = s;
}

void
listener_refused(struct servconf *se, const char *peer, const char *why)
{
	(void)se;
	(void)peer;
	(void)why;
	pt_refused++;
}

struct pt_case {
	const char	*name;
	u_char		 hdr[128];
	size_t		 len;
	const char	*src;		/* the client it names, or NULL */
	int		 port;
};

static size_t
pt_v2(u_char *b, int fam, const u_char *addrs, size_t alen,
    const u_char *tlv, size_t tlen)
{
	static const u_char sig[12] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d,
	    0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a };

	memcpy(b, sig, 12);
	b[12] = fam == 0 ? 0x20 : 0x21;
	b[13] = fam == 4 ? 0x11 : fam == 6 ? 0x21 : 0x00;
	b[14] = (alen + tlen) >> 8;
	b[15] = (alen + tlen) & 0xff;
	memcpy(b + 16, addrs, alen);
	memcpy(b + 16 + alen, tlv, tlen);
	return 16 + alen + tlen;
}

static int
pt_result(const struct pt_case *c, char *why, size_t len)
{
	char	 host[INET6_ADDRSTRLEN], buf[64];
	int	 port, fl;
	ssize_t	 n, m;

	if (!pt_taken) {
		snprintf(why, len, "%s not taken (%d refusals)", c->name,
		    pt_refused);
		return -1;
	}
	if (c->src == NULL) {
		if (!pt_mp.mp_local) {
			snprintf(why, len, "%s: not the front end's", c->name);
			return -1;
		}
	} else {
		if (pt_mp.mp_src.ss_family == AF_INET) {
			struct sockaddr_in *s = (void *)&pt_mp.mp_src;

			inet_ntop(AF_INET, &s->sin_addr, host, sizeof(host));
			port = ntohs(s->sin_port);
		} else {
			struct sockaddr_in6 *s = (void *)&pt_mp.mp_src;

			inet_ntop(AF_INET6, &s->sin6_addr, host, sizeof(host));
			port = ntohs(s->sin6_port);
		}
		if (strcmp(host, c->src) != 0 || port != c->port) {
			snprintf(why, len, "%s: client %s port %d", c->name,
			    host, port);
			return -1;
		}
	}
	/* The service's bytes are all still there. */
	fl = fcntl(pt_fd, F_GETFL);
	fcntl(pt_fd, F_SETFL, fl | O_NONBLOCK);
	n = read(pt_fd, buf, sizeof(buf));
	if (n > 0 && n < (ssize_t)strlen(PT_PAYLOAD) &&
	    (m = read(pt_fd, buf + n, sizeof(buf) - n)) > 0)
		n += m;
	if (n != (ssize_t)strlen(PT_PAYLOAD) ||
	    memcmp(buf, PT_PAYLOAD, n) != 0) {
		snprintf(why, len, "%s: the service's bytes were taken (%zd "
		    "left)", c->name, n);
		return -1;
	}
	return 0;
}

/*
 * Send hdr and the payload in random pieces to a header being read;
 * shut the sender down at the end.  0 once taken or refused.
 */
static int
pt_run(struct servconf *se, const u_char *hdr, size_t hlen, int closeit)
{
	struct sockaddr_storage	 ss;
	u_char			 msg[1200];
	size_t			 len, off = 0, c;
	int			 sv[2], i;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		fatal("socketpair");
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_INET;
	memcpy(msg, hdr, hlen);
	memcpy(msg + hlen, PT_PAYLOAD, strlen(PT_PAYLOAD));
	len = hlen + strlen(PT_PAYLOAD);
	pt_taken = pt_refused = 0;
	pt_fd = -1;
	proxy_accept(se, sv[0], &ss, sizeof(struct sockaddr_in));
	while (off < len && !pt_taken && !pt_refused) {
		c = random() % 3 == 0 ? len - off : (size_t)(1 + random() % 5);
		if (c > len - off)
			c = len - off;
		if (write(sv[1], msg + off, c) != (ssize_t)c)
			fatal("write");
		off += c;
		event_loop(EVLOOP_NONBLOCK);
	}
	if (off < len && write(sv[1], msg + off, len - off) == -1 &&
	    errno != EPIPE)
		fatal("write");
	if (closeit)
		shutdown(sv[1], SHUT_WR);
	for (i = 0; i < 5 && !pt_taken && !pt_refused; i++)
		event_loop(EVLOOP_NONBLOCK);
	close(sv[1]);
	return pt_taken || pt_refused ? 0 : -1;
}

int
main(void)
{
	static struct pt_case	 cases[8];
	struct servconf		 se;
	char			 name[] = "test";
	char			 why[256];
	u_char			 a4[12] = { 192, 0, 2, 7, 203, 0, 113, 1,
				    0x10, 0x92, 0, 80 };
	u_char			 a6[36], tlv[] = { 0x01, 0x00, 0x02, 'h',
				    '2', 0x04, 0x00, 0x00 };
	u_char			 m[128];
	size_t			 n = 0, i, k;
	int			 r, bad, hung, taken;

	signal(SIGPIPE, SIG_IGN);
	event_init();
	srandom(1126);
	memset(&se, 0, sizeof(se));
	se.se_service = name;
	strlcpy(se.se_proto, "tcp", sizeof(se.se_proto));
	se.se_proxy = CONF_PROXY_ANY;
	se.se_proxyacc = (struct acl *)&se;	/* any non-NULL: stubbed */

#define V1(nm, line, s, p) do {						\
	cases[n].name = nm;						\
	cases[n].len = strlen(line);					\
	memcpy(cases[n].hdr, line, cases[n].len);			\
	cases[n].src = s;						\
	cases[n].port = p;						\
	n++;								\
} while (0)
	V1("v1-tcp4", "PROXY TCP4 192.0.2.7 203.0.113.1 4242 80\r\n",
	    "192.0.2.7", 4242);
	V1("v1-tcp6", "PROXY TCP6 2001:db8::7 2001:db8::1 65535 0\r\n",
	    "2001:db8::7", 65535);
	V1("v1-unknown", "PROXY UNKNOWN\r\n", NULL, 0);
	V1("v1-longest", "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:"
	    "ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535);
	cases[n].name = "v2-tcp4-tlv";
	cases[n].len = pt_v2(cases[n].hdr, 4, a4, sizeof(a4), tlv,
	    sizeof(tlv));
	cases[n].src = "192.0.2.7";
	cases[n++].port = 4242;
	memset(a6, 0, sizeof(a6));
	a6[0] = 0x20; a6[1] = 0x01; a6[2] = 0x0d; a6[3] = 0xb8; a6[15] = 7;
	a6[32] = 0x10; a6[33] = 0x92;
	cases[n].name = "v2-tcp6";
	cases[n].len = pt_v2(cases[n].hdr, 6, a6, sizeof(a6), NULL, 0);
	cases[n].src = "2001:db8::7";
	cases[n++].port = 4242;
	cases[n].name = "v2-local";
	cases[n].len = pt_v2(cases[n].hdr, 0, NULL, 0, NULL, 0);
	cases[n++].src = NULL;

	/* Every good header, in random pieces, many times. */
	for (i = 0; i < n; i++) {
		bad = 0;
		for (k = 0; k < PT_ROUNDS / n && !bad; k++) {
			if (pt_run(&se, cases[i].hdr, cases[i].len, 0) == -1 ||
			    pt_result(&cases[i], why, sizeof(why)) == -1) {
				if (!pt_taken)
					snprintf(why, sizeof(why), "%s: not "
					    "taken", cases[i].name);
				bad = 1;
			}
			if (pt_fd != -1)
				close(pt_fd);
		}
		if (bad)
			printf("FAIL proxy:split-%s (%s)\n", cases[i].name, why);
		else
			printf("SUCCESS proxy:split-%s\n", cases[i].name);
	}

	/* Changed bytes: each ends, taken or refused, and none hangs. */
	hung = taken = 0;
	for (k = 0; k < PT_ROUNDS * 3; k++) {
		i = random() % n;
		memcpy(m, cases[i].hdr, cases[i].len);
		for (r = 1 + random() % 3; r > 0; r--)
			m[random() % cases[i].len] = random() % 256;
		if (pt_run(&se, m, cases[i].len, 1) == -1)
			hung++;
		if (pt_taken)
			taken++;
		if (pt_fd != -1)
			close(pt_fd);
	}
	if (hung)
		printf("FAIL proxy:changed-bytes-end (%d of %d hung)\n", hung,
		    PT_ROUNDS * 3);
	else
		printf("SUCCESS proxy:changed-bytes-end\n");
	/* Some changes keep a header valid (a port digit); most do not. */
	if (taken > PT_ROUNDS * 3 / 2)
		printf("FAIL proxy:changed-bytes-refused (%d of %d taken)\n",
		    taken, PT_ROUNDS * 3);
	else
		printf("SUCCESS proxy:changed-bytes-refused\n");
	return 0;
}
