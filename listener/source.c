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
 * Per-source limits (per-source=, per-source-rate=), in the listener.
 *
 * One table for every service, of SOURCE_BUCKETS buckets of SOURCE_WAYS
 * entries: a source (its address cut to the service's prefix, and the
 * service) hashes to a bucket with a key drawn at start, so that no
 * client can pick the bucket it lands in.  An entry counts the source's
 * connections that are running and remembers its rate as the time at
 * which the next connection would be on schedule (the generic cell rate
 * algorithm: per-source-rate=N/S lets a burst of N through, then one
 * every S/N seconds).
 *
 * The memory is fixed, SOURCE_BUCKETS * SOURCE_WAYS entries, allocated
 * the first time a configuration asks for a per-source limit.  A
 * source with nothing running and no rate to remember takes no entry.
 * When a bucket is full, the entry with nothing running whose rate was
 * due the longest ago is taken over (that source's rate starts afresh);
 * when every entry of the bucket has connections running, the new
 * source is refused: limits are never dropped to make room.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inetd.h"

struct source {
	uint8_t		 so_addr[16];	/* cut to the prefix */
	uint32_t	 so_id;		/* the service's; 0: entry unused */
	uint16_t	 so_live;	/* its connections running */
	uint8_t		 so_v6;
	uint8_t		 so_pad;
	uint64_t	 so_tat;	/* usec: when the next is on time */
};

static struct source	*source_table;
static uint64_t		 source_key[2];

static uint64_t
source_usec(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * The address of a peer as a source: an IPv4 one (or an IPv4-mapped
 * IPv6 one) cut to prefix4, an IPv6 one to prefix6.  -1: not an IP peer.
 */
static int
source_of(const struct servconf *se, const struct sockaddr *sa,
    socklen_t len, struct source *so)
{
	static const uint8_t	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    0xff, 0xff };
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	int			 plen, i;

	memset(so, 0, sizeof(*so));
	if (sa->sa_family == AF_INET && len >= sizeof(*sin)) {
		sin = (const struct sockaddr_in *)sa;
		memcpy(so->so_addr, &sin->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(*sin6)) {
		sin6 = (const struct sockaddr_in6 *)sa;
		if (memcmp(&sin6->sin6_addr, mapped, sizeof(mapped)) == 0)
			memcpy(so->so_addr, (const uint8_t *)&sin6->sin6_addr +
			    12, 4);
		else {
			memcpy(so->so_addr, &sin6->sin6_addr, 16);
			so->so_v6 = 1;
		}
	} else
		return -1;
	plen = so->so_v6 ? se->se_srcprefix6 : se->se_srcprefix4;
	for (i = 0; i < 16; i++) {
		if (plen >= 8)
			plen -= 8;
		else {
			so->so_addr[i] &= (uint8_t)(0xff00 >> plen);
			plen = 0;
		}
	}
	return 0;
}

/*
 * The bucket of a source: the rounds of SipHash-2-4 (Aumasson and
 * Bernstein) over its three words, keyed at start.  The length goes in
 * the last word instead of a final block of its own: not the standard
 * encoding, and it need not be, since only a bucket is chosen.
 */
#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

static uint64_t
source_hash(const struct source *so)
{
	uint64_t	 v0 = 0x736f6d6570736575ULL ^ source_key[0];
	uint64_t	 v1 = 0x646f72616e646f6dULL ^ source_key[1];
	uint64_t	 v2 = 0x6c7967656e657261ULL ^ source_key[0];
	uint64_t	 v3 = 0x7465646279746573ULL ^ source_key[1];
	uint64_t	 m[3];
	int		 i;

	memcpy(&m[0], so->so_addr, 8);
	memcpy(&m[1], so->so_addr + 8, 8);
	m[2] = (uint64_t)so->so_id | (uint64_t)so->so_v6 << 32 |
	    (uint64_t)24 << 56;
	for (i = 0; i < 3; i++) {
		v3 ^= m[i];
		SIPROUND;
		SIPROUND;
		v0 ^= m[i];
	}
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The table, once some configuration has a per-source limit. */
void
source_conf(const struct conf *c)
{
	const struct servconf	*se;
	int			 want = 0;

	if (source_table != NULL)
		return;
	TAILQ_FOREACH(se, &c->c_services, se_entry)
		if (se->se_persource > 0 || se->se_srcrate > 0)
			want = 1;
	if (!want)
		return;
	if ((source_table = calloc(SOURCE_BUCKETS * SOURCE_WAYS,
	    sizeof(*source_table))) == NULL)
		fatal("per-source table");
	arc4random_buf(source_key, sizeof(source_key));
}

/*
 * A connection from sa to the service whose limits are se and whose
 * identity (stable across reloads) is id: SOURCE_OK with *token set
 * (0 if the service has no per-source limit), or why it is refused.
 * A connection let in counts until source_release(*token).
 */
enum source_verdict
source_take(const struct servconf *se, uint32_t id, const struct sockaddr *sa,
    socklen_t len, uint32_t *token)
{
	struct source	 so, *b, *e, *victim = NULL, *empty = NULL;
	uint64_t	 now, tat, period, interval;
	int		 i;

	*token = 0;
	if ((se->se_persource == 0 && se->se_srcrate == 0) ||
	    source_table == NULL || source_of(se, sa, len, &so) == -1)
		return SOURCE_OK;
	so.so_id = id;
	now = source_usec();
	b = &source_table[(source_hash(&so) % SOURCE_BUCKETS) * SOURCE_WAYS];
	for (i = 0, e = NULL; i < SOURCE_WAYS; i++) {
		if (b[i].so_id == so.so_id && b[i].so_v6 == so.so_v6 &&
		    memcmp(b[i].so_addr, so.so_addr, 16) == 0) {
			e = &b[i];
			break;
		}
		if (b[i].so_id == 0 ||
		    (b[i].so_live == 0 && b[i].so_tat <= now)) {
			if (empty == NULL)
				empty = &b[i];
		} else if (b[i].so_live == 0 &&
		    (victim == NULL || b[i].so_tat < victim->so_tat))
			victim = &b[i];
	}
	if (e == NULL) {
		if ((e = empty) == NULL && (e = victim) == NULL)
			return SOURCE_FULL;
		*e = so;
		e->so_tat = now;
	}
	if (se->se_persource > 0 && e->so_live >= se->se_persource)
		return SOURCE_MANY;
	if (se->se_srcrate > 0) {
		period = (uint64_t)se->se_srcperiod * 1000000;
		interval = period / se->se_srcrate;
		tat = e->so_tat > now ? e->so_tat : now;
		if (tat - now + interval > period)
			return SOURCE_RATE;
		e->so_tat = tat + interval;
	}
	if (e->so_live == UINT16_MAX)
		return SOURCE_MANY;
	e->so_live++;
	*token = (uint32_t)(e - source_table) + 1;
	return SOURCE_OK;
}

/* A connection let in by source_take has ended: 0 is none. */
void
source_release(uint32_t token)
{
	struct source	*e;

	if (token == 0)
		return;
	if (source_table == NULL || token > SOURCE_BUCKETS * SOURCE_WAYS ||
	    source_table[token - 1].so_live == 0) {
		log_warnx("per-source count: token %u unknown", token);
		return;
	}
	e = &source_table[token - 1];
	e->so_live--;
}

/* Why a connection was refused, for the log. */
const char *
source_why(enum source_verdict v)
{
	switch (v) {
	case SOURCE_MANY:
		return "per-source limit";
	case SOURCE_RATE:
		return "per-source rate";
	case SOURCE_FULL:
		return "per-source table full";
	default:
		return "per-source";
	}
}
