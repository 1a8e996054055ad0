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
 * Built-in services (echo, discard, chargen, daytime, time), in the
 * listener, without forking.  A stream connection is a small state
 * machine on the event loop: it reads and writes only as the peer allows,
 * never blocks the loop, has a bounded buffer and an idle timeout, and
 * there is a ceiling on how many run at once.  A datagram gets at most one
 * reply of bounded size, and never to a source that could be another
 * server of the kind (the classic UDP loop between chargen and echo).
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bitstring.h>
#include <errno.h>
#include <event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inetd.h"

/*
 * A connection lives while it makes progress: BUILTIN_PROGRESS bytes in
 * either direction within BUILTIN_TIMEOUT seconds, so that a byte now
 * and then does not hold a slot; and never longer than BUILTIN_LIFETIME,
 * which is an hour of chargen or discard for whoever measures with them,
 * or the service's timeout= if it has one.
 */
#define BUILTIN_TIMEOUT		60	/* seconds without progress */
#define BUILTIN_PROGRESS	512	/* bytes that count as progress */
#define BUILTIN_LIFETIME	3600	/* seconds from accept, at most */
#define BUILTIN_LINGER		5	/* seconds to drain before closing */
#define BUILTIN_MAXDRAIN	4096	/* bytes read and dropped then */
#define BUILTIN_MAXCONN		256	/* stream connections at once */
#define BUILTIN_LOGEVERY	60	/* seconds between "too many" lines */
#define BUILTIN_BUFSIZE		8192	/* echo buffer, chargen burst */
#define BUILTIN_MAXDGRAM	1472	/* largest datagram answered */
#define BUILTIN_DGRAMS		64	/* datagrams read per wake-up */
#define BUILTIN_EPOCH		2208988800ULL	/* 1900 to 1970, RFC 868 */
#define BUILTIN_NPORTS		65536

/* RFC 864: 72 characters a line from the 95 printable ones. */
#define CHARGEN_FIRST		' '
#define CHARGEN_NCHARS		95
#define CHARGEN_LINE		72
#define CHARGEN_LINESZ		(CHARGEN_LINE + 2)
#define CHARGEN_DGLINES		6	/* 444 bytes: RFC 864 says <= 512 */

/*
 * The reply budget of the UDP built-ins, token buckets: a burst, then so
 * many replies a second.  A source is an IPv4 address or an IPv6 /64 (a
 * host has a whole one), remembered in a small table where a newcomer
 * takes the slot of whoever was there: an attacker who cycles through
 * sources only ever gets the global budget, which holds for them all.
 */
#define BUILTIN_SRCRATE		5	/* replies a second to a source */
#define BUILTIN_SRCBURST	10
#define BUILTIN_RATE		200	/* replies a second in all */
#define BUILTIN_BURST		200
#define BUILTIN_NSOURCES	1024	/* sources remembered */

struct builtin_conn {
	int		 bc_fd;
	enum builtin	 bc_bi;
	struct event	 bc_rev;
	struct event	 bc_wev;
	struct event	 bc_timer;
	int		 bc_rarmed;
	int		 bc_warmed;
	int		 bc_rdone;	/* the peer sent its EOF */
	int		 bc_last;	/* close once the buffer is sent */
	int		 bc_linger;	/* sent all, reading until EOF */
	time_t		 bc_start;	/* accepted, monotonic seconds */
	time_t		 bc_lifetime;	/* seconds from then, at most */
	size_t		 bc_moved;	/* bytes since the timer was set */
	size_t		 bc_drained;
	u_int		 bc_cgline;	/* chargen: next line's first char */
	size_t		 bc_off;
	size_t		 bc_len;
	uint32_t	 bc_token;	/* per-source count */
	u_char		 bc_buf[BUILTIN_BUFSIZE];
};

static int	 builtin_nconn;
static u_int	 builtin_refused;
static time_t	 builtin_lastlog;
static u_int	 builtin_dgline;	/* chargen over UDP rotates too */
/* Ports of our UDP built-ins, for the loop guard; how many are set. */
static bitstr_t	 bit_decl(builtin_ports, BUILTIN_NPORTS);
static int	 builtin_nports;

/* Tokens in thousandths, refilled from the time of the last use. */
struct builtin_bucket {
	uint8_t		 bb_key[8];	/* the source; zero: unused */
	int64_t		 bb_tokens;
	int64_t		 bb_when;	/* milliseconds, monotonic */
};

static struct builtin_bucket builtin_global;
static struct builtin_bucket builtin_sources[BUILTIN_NSOURCES];
static uint32_t	 builtin_seed;		/* for the table's hash */
static u_int	 builtin_overbudget;
static time_t	 builtin_lastbudget;

static void	 builtin_update(struct builtin_conn *);

/*
 * The classic ports of the services we serve.  Every one is below 1024,
 * refused anyway; they are here so that the rule does not hang on that.
 */
static const int builtin_classic[] = { 7, 9, 13, 19, 37 };

/* A new configuration is in force: learn the ports of its UDP built-ins. */
void
builtin_conf(const struct conf *c)
{
	const struct servconf	*se;
	int			 n = 0;

	/* Clearing 8 kB that is all zero would make its pages resident. */
	if (builtin_nports > 0)
		bit_nclear(builtin_ports, 0, BUILTIN_NPORTS - 1);
	TAILQ_FOREACH(se, &c->c_services, se_entry)
		if (se->se_builtin != BI_NONE &&
		    se->se_socktype == SOCK_DGRAM &&
		    se->se_port > 0 && se->se_port < BUILTIN_NPORTS) {
			bit_set(builtin_ports, se->se_port);
			n++;
		}
	builtin_nports = n;
	log_debug("built-ins: %d UDP services in the loop guard", n);
}

static int
builtin_port_ours(const struct servconf *se, int port)
{
	size_t	 i;

	if (port == se->se_port)
		return 1;
	for (i = 0; i < nitems(builtin_classic); i++)
		if (port == builtin_classic[i])
			return 1;
	return bit_test(builtin_ports, port) != 0;
}

/*
 * RFC 867 leaves the format open: ctime(3)'s, in UTC, computed here so
 * that nothing needs the time zone files (the listener opens no file).
 */
static size_t
builtin_daytime(char *buf, size_t len)
{
	static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t		 t = time(NULL), days, secs, era, doe, yoe, y, doy;
	int64_t		 mp, d, m;
	int		 n;

	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* Days to civil date (proleptic Gregorian), after H. Hinnant. */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	/* 1970-01-01 was a Thursday. */
	n = snprintf(buf, len, "%s %s%3d %02d:%02d:%02d %lld\r\n",
	    wday[(((days - 719468) % 7) + 11) % 7], mon[m - 1], (int)d,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
	    (long long)y);
	if (n < 0 || (size_t)n >= len)
		return 0;
	return n;
}

/* RFC 868: seconds since 1900, 32 bits, network order. */
static size_t
builtin_time(u_char *buf)
{
	uint32_t	 t;

	t = htonl((uint32_t)((uint64_t)time(NULL) + BUILTIN_EPOCH));
	memcpy(buf, &t, sizeof(t));
	return sizeof(t);
}

/* Lines of chargen, whole ones only, starting with the one at *line. */
static size_t
builtin_chargen(u_char *buf, size_t len, u_int *line)
{
	size_t	 off = 0;
	u_int	 i;

	while (len - off >= CHARGEN_LINESZ) {
		for (i = 0; i < CHARGEN_LINE; i++)
			buf[off++] = CHARGEN_FIRST +
			    (*line + i) % CHARGEN_NCHARS;
		buf[off++] = '\r';
		buf[off++] = '\n';
		*line = (*line + 1) % CHARGEN_NCHARS;
	}
	return off;
}

/*
 * Stream connections.
 */

static void
builtin_close(struct builtin_conn *bc)
{
	event_del(&bc->bc_rev);
	event_del(&bc->bc_wev);
	evtimer_del(&bc->bc_timer);
	close(bc->bc_fd);
	source_release(bc->bc_token);
	free(bc);
	builtin_nconn--;
	proc_trim_soon();
}

static time_t
builtin_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return ts.tv_sec;
}

/*
 * Set the timer: the idle timeout, or the linger time, but never past
 * the end of the connection's lifetime.
 */
static void
builtin_touch(struct builtin_conn *bc)
{
	struct timeval	 tv;
	time_t		 left;

	bc->bc_moved = 0;
	left = bc->bc_start + bc->bc_lifetime - builtin_now();
	timerclear(&tv);
	tv.tv_sec = bc->bc_linger ? BUILTIN_LINGER : BUILTIN_TIMEOUT;
	if (tv.tv_sec > left)
		tv.tv_sec = left > 0 ? left : 0;
	if (evtimer_add(&bc->bc_timer, &tv) == -1)
		fatal("evtimer_add");
}

/* Bytes moved: enough of them, and the idle timeout starts again. */
static void
builtin_progress(struct builtin_conn *bc, size_t n)
{
	bc->bc_moved += n;
	if (bc->bc_moved >= BUILTIN_PROGRESS)
		builtin_touch(bc);
}

static void
builtin_timeout(int fd, short ev, void *arg)
{
	struct builtin_conn	*bc = arg;

	(void)fd;
	(void)ev;
	if (builtin_now() - bc->bc_start >= bc->bc_lifetime)
		log_debug("%s/tcp: connection open for %lld seconds, closed",
		    conf_builtin_name(bc->bc_bi), (long long)bc->bc_lifetime);
	else if (!bc->bc_linger)
		log_debug("%s/tcp: connection without progress for %d "
		    "seconds, closed", conf_builtin_name(bc->bc_bi),
		    BUILTIN_TIMEOUT);
	builtin_close(bc);
}

/*
 * Everything is sent.  Close our side and read what the peer still sends
 * until its EOF, for a while: closing with unread data would answer with
 * a reset that can destroy the reply before the peer reads it.
 */
static void
builtin_linger(struct builtin_conn *bc)
{
	if (shutdown(bc->bc_fd, SHUT_WR) == -1) {
		builtin_close(bc);
		return;
	}
	bc->bc_linger = 1;
	builtin_touch(bc);
	builtin_update(bc);
}

static void
builtin_read(int fd, short ev, void *arg)
{
	struct builtin_conn	*bc = arg;
	u_char			 sink[4096];
	ssize_t			 n;

	(void)ev;
	if (bc->bc_bi == BI_ECHO && !bc->bc_linger) {
		/* Make room at the end of the buffer. */
		if (bc->bc_off > 0) {
			memmove(bc->bc_buf, bc->bc_buf + bc->bc_off,
			    bc->bc_len - bc->bc_off);
			bc->bc_len -= bc->bc_off;
			bc->bc_off = 0;
		}
		n = read(fd, bc->bc_buf + bc->bc_len,
		    sizeof(bc->bc_buf) - bc->bc_len);
	} else
		n = read(fd, sink, sizeof(sink));
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		builtin_close(bc);
		return;
	}
	if (n == 0) {
		bc->bc_rdone = 1;
		/*
		 * echo answers what it has, then closes; chargen goes on
		 * until the peer stops reading too.
		 */
		if (bc->bc_linger || bc->bc_bi == BI_DISCARD ||
		    (bc->bc_bi == BI_ECHO && bc->bc_off == bc->bc_len)) {
			builtin_close(bc);
			return;
		}
		builtin_update(bc);
		return;
	}
	if (bc->bc_linger) {
		if ((bc->bc_drained += n) > BUILTIN_MAXDRAIN)
			builtin_close(bc);
		return;
	}
	if (bc->bc_bi == BI_ECHO)
		bc->bc_len += n;
	builtin_progress(bc, n);
	builtin_update(bc);
}

static void
builtin_write(int fd, short ev, void *arg)
{
	struct builtin_conn	*bc = arg;
	ssize_t			 n;

	(void)ev;
	if (bc->bc_bi == BI_CHARGEN && bc->bc_off == bc->bc_len) {
		bc->bc_off = 0;
		bc->bc_len = builtin_chargen(bc->bc_buf, sizeof(bc->bc_buf),
		    &bc->bc_cgline);
	}
	if (bc->bc_off == bc->bc_len) {
		builtin_update(bc);
		return;
	}
	n = send(fd, bc->bc_buf + bc->bc_off, bc->bc_len - bc->bc_off,
	    MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		builtin_close(bc);
		return;
	}
	bc->bc_off += n;
	if (bc->bc_off == bc->bc_len) {
		bc->bc_off = bc->bc_len = 0;
		if (bc->bc_last) {
			builtin_linger(bc);
			return;
		}
		if (bc->bc_bi == BI_ECHO && bc->bc_rdone) {
			builtin_close(bc);
			return;
		}
	}
	builtin_progress(bc, n);
	builtin_update(bc);
}

/* Watch for what the connection can do next, and only that. */
static void
builtin_update(struct builtin_conn *bc)
{
	int	 wantr, wantw;

	if (bc->bc_linger) {
		wantr = 1;
		wantw = 0;
	} else {
		switch (bc->bc_bi) {
		case BI_ECHO:
			/* A full buffer: the peer waits until it reads. */
			wantr = !bc->bc_rdone &&
			    bc->bc_len - bc->bc_off < sizeof(bc->bc_buf);
			wantw = bc->bc_off < bc->bc_len;
			break;
		case BI_DISCARD:
			wantr = 1;
			wantw = 0;
			break;
		case BI_CHARGEN:
			wantr = !bc->bc_rdone;
			wantw = 1;
			break;
		default:
			wantr = 0;
			wantw = bc->bc_off < bc->bc_len;
			break;
		}
	}
	if (wantr && !bc->bc_rarmed) {
		if (event_add(&bc->bc_rev, NULL) == -1)
			fatal("event_add");
	} else if (!wantr && bc->bc_rarmed)
		event_del(&bc->bc_rev);
	bc->bc_rarmed = wantr;
	if (wantw && !bc->bc_warmed) {
		if (event_add(&bc->bc_wev, NULL) == -1)
			fatal("event_add");
	} else if (!wantw && bc->bc_warmed)
		event_del(&bc->bc_wev);
	bc->bc_warmed = wantw;
}

/* Too many at once: refuse, and say so now and then, not every time. */
static void
builtin_refuse(struct servconf *se, int fd, uint32_t token)
{
	time_t	 now = time(NULL);

	close(fd);
	source_release(token);
	builtin_refused++;
	if (now - builtin_lastlog < BUILTIN_LOGEVERY)
		return;
	log_warnx("%s/%s: %d built-in connections at once; %u refused",
	    se->se_service, se->se_proto, builtin_nconn, builtin_refused);
	builtin_lastlog = now;
	builtin_refused = 0;
}

/* A connection to a stream built-in, non-blocking as the listener took it. */
void
builtin_stream(struct servconf *se, int fd, uint32_t token)
{
	struct builtin_conn	*bc;

	switch (se->se_builtin) {
	case BI_ECHO:
	case BI_DISCARD:
	case BI_CHARGEN:
	case BI_DAYTIME:
	case BI_TIME:
		break;
	default:
		close(fd);
		source_release(token);
		return;
	}
	if (builtin_nconn >= BUILTIN_MAXCONN) {
		builtin_refuse(se, fd, token);
		return;
	}
	if ((bc = calloc(1, sizeof(*bc))) == NULL) {
		log_warn("%s/%s: calloc", se->se_service, se->se_proto);
		close(fd);
		source_release(token);
		return;
	}
	builtin_nconn++;
	se->se_served++;
	bc->bc_fd = fd;
	bc->bc_token = token;
	bc->bc_bi = se->se_builtin;
	bc->bc_start = builtin_now();
	bc->bc_lifetime = se->se_timeout > 0 ? se->se_timeout :
	    BUILTIN_LIFETIME;
	event_set(&bc->bc_rev, fd, EV_READ | EV_PERSIST, builtin_read, bc);
	event_set(&bc->bc_wev, fd, EV_WRITE | EV_PERSIST, builtin_write, bc);
	evtimer_set(&bc->bc_timer, builtin_timeout, bc);
	switch (bc->bc_bi) {
	case BI_DAYTIME:
		bc->bc_len = builtin_daytime((char *)bc->bc_buf,
		    sizeof(bc->bc_buf));
		bc->bc_last = 1;
		break;
	case BI_TIME:
		bc->bc_len = builtin_time(bc->bc_buf);
		bc->bc_last = 1;
		break;
	default:
		break;
	}
	builtin_touch(bc);
	if (bc->bc_last) {
		/* A fresh connection has room: answer now, not a turn later. */
		builtin_write(fd, EV_WRITE, bc);
		return;
	}
	builtin_update(bc);
}

/*
 * Datagrams.
 */

/*
 * The loop guard: no reply to a privileged port or one of our own UDP
 * built-ins (another server of the kind), nor to an address that is not
 * a single host.  NULL: answer.
 */
static const char *
builtin_dgram_refused(const struct servconf *se,
    const struct sockaddr_storage *ss, socklen_t len)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	uint32_t			 a;
	int				 port;

	switch (ss->ss_family) {
	case AF_INET:
		if (len < sizeof(*sin))
			return "short address";
		sin = (const struct sockaddr_in *)ss;
		a = ntohl(sin->sin_addr.s_addr);
		port = ntohs(sin->sin_port);
		if ((a & 0xff000000) == 0)
			return "unspecified address";
		if (IN_MULTICAST(a))
			return "multicast address";
		/* 240/4, limited broadcast included. */
		if ((a & 0xf0000000) == 0xf0000000)
			return "broadcast or reserved address";
		break;
	case AF_INET6:
		if (len < sizeof(*sin6))
			return "short address";
		sin6 = (const struct sockaddr_in6 *)ss;
		port = ntohs(sin6->sin6_port);
		if (IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr))
			return "unspecified address";
		if (IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr))
			return "multicast address";
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) ||
		    IN6_IS_ADDR_V4COMPAT(&sin6->sin6_addr))
			return "v4-mapped address";
		break;
	default:
		return "not an internet address";
	}
	if (port < IPPORT_RESERVED)
		return "privileged source port";
	if (builtin_port_ours(se, port))
		return "source port of a built-in";
	return NULL;
}

static void
builtin_dgram_log(const struct servconf *se,
    const struct sockaddr_storage *ss, const char *why)
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;
	char				 addr[INET6_ADDRSTRLEN];
	int				 port = 0;

	if (log_getverbose() < 1)
		return;
	addr[0] = '\0';
	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
		port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof(addr));
		port = ntohs(sin6->sin6_port);
	}
	log_debug("%s/%s: no reply to %s port %d: %s", se->se_service,
	    se->se_proto, addr[0] ? addr : "?", port, why);
}

static int64_t
builtin_msec(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Take one token if there is one; a fresh bucket starts full. */
static int
builtin_bucket_take(struct builtin_bucket *bb, int64_t now, int rate,
    int burst)
{
	int64_t	 full = (int64_t)burst * 1000;

	if (bb->bb_when == 0 || now - bb->bb_when >= full / rate)
		bb->bb_tokens = full;
	else if (now > bb->bb_when)
		bb->bb_tokens += (now - bb->bb_when) * rate;
	if (bb->bb_tokens > full)
		bb->bb_tokens = full;
	bb->bb_when = now;
	if (bb->bb_tokens < 1000)
		return 0;
	bb->bb_tokens -= 1000;
	return 1;
}

/*
 * Whether a reply to this source is within the budget.  The loop guard
 * has already seen the address: it is AF_INET or AF_INET6, full length.
 */
static int
builtin_budget(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;
	struct builtin_bucket		*bb;
	uint8_t				 key[8];
	uint32_t			 h;
	int64_t				 now = builtin_msec();
	size_t				 i;

	memset(key, 0, sizeof(key));
	if (ss->ss_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &sin->sin_addr, sizeof(sin->sin_addr));
	} else
		memcpy(key, &sin6->sin6_addr, sizeof(key));
	if (builtin_seed == 0)
		builtin_seed = arc4random() | 1;
	/*
	 * FNV-1a, seeded at random.  Sources made to collide only take
	 * each other's slot, which gives a source a fresh burst at most:
	 * the global budget holds whatever the table does.
	 */
	h = 2166136261U ^ builtin_seed;
	for (i = 0; i < sizeof(key); i++)
		h = (h ^ key[i]) * 16777619U;
	bb = &builtin_sources[h % BUILTIN_NSOURCES];
	if (memcmp(bb->bb_key, key, sizeof(key)) != 0) {
		memcpy(bb->bb_key, key, sizeof(key));
		bb->bb_when = 0;
	}
	/* The source's token first: a flood from one does not drain all. */
	return builtin_bucket_take(bb, now, BUILTIN_SRCRATE,
	    BUILTIN_SRCBURST) && builtin_bucket_take(&builtin_global, now,
	    BUILTIN_RATE, BUILTIN_BURST);
}

/* Over budget: no reply, and a line now and then, not every time. */
static void
builtin_overbudget_log(const struct servconf *se)
{
	time_t	 now = time(NULL);

	builtin_overbudget++;
	if (now - builtin_lastbudget < BUILTIN_LOGEVERY)
		return;
	log_warnx("%s/%s: UDP built-ins over their reply budget; %u "
	    "datagrams not answered", se->se_service, se->se_proto,
	    builtin_overbudget);
	builtin_lastbudget = now;
	builtin_overbudget = 0;
}

void
builtin_dgram(struct servconf *se, int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	u_char			 buf[BUILTIN_MAXDGRAM];
	const char		*why;
	ssize_t			 n;
	size_t			 len;
	int			 i;

	for (i = 0; i < BUILTIN_DGRAMS; i++) {
		sslen = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		/* MSG_TRUNC: the real length, to see one too large. */
		n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC | MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &sslen);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_debug("%s/%s: recvfrom: %s",
				    se->se_service, se->se_proto,
				    strerror(errno));
			return;
		}
		if (!listener_acl_dgram(se, &ss, sslen))
			continue;
		if (se->se_builtin == BI_DISCARD)
			continue;
		if ((why = builtin_dgram_refused(se, &ss, sslen)) != NULL) {
			builtin_dgram_log(se, &ss, why);
			continue;
		}
		if (!builtin_budget(&ss)) {
			builtin_overbudget_log(se);
			continue;
		}
		switch (se->se_builtin) {
		case BI_ECHO:
			/* An echo is the whole datagram or none. */
			if ((size_t)n > sizeof(buf)) {
				builtin_dgram_log(se, &ss, "too large");
				continue;
			}
			len = n;
			break;
		case BI_CHARGEN:
			/*
			 * No more than was sent, in whole lines, so that a
			 * spoofed request is not amplified: one line for
			 * anything shorter, and six at most.
			 */
			len = (size_t)n < CHARGEN_LINESZ ? CHARGEN_LINESZ :
			    (size_t)n;
			if (len > CHARGEN_DGLINES * CHARGEN_LINESZ)
				len = CHARGEN_DGLINES * CHARGEN_LINESZ;
			len = builtin_chargen(buf, len, &builtin_dgline);
			break;
		case BI_DAYTIME:
			len = builtin_daytime((char *)buf, sizeof(buf));
			break;
		case BI_TIME:
			len = builtin_time(buf);
			break;
		default:
			continue;
		}
		/* A full send buffer drops the reply, as the network may. */
		if (sendto(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL,
		    (struct sockaddr *)&ss, sslen) == -1)
			log_debug("%s/%s: sendto: %s", se->se_service,
			    se->se_proto, strerror(errno));
		else
			se->se_served++;
	}
}
