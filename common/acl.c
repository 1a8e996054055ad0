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
 * Access lists (allow=, deny=), as the listener and the spawner look
 * them up.  The parent sends each entry's rules as written (IMSG_ACL,
 * in chunks that fit a message); each child compiles them once, when
 * the last chunk arrives, into sorted tables searched by bisection:
 *
 *  - addresses: prefixes of one family nest or are disjoint, so they
 *    flatten into a sorted list of spans, each the verdict of the most
 *    specific prefix covering it (or of none).  One search per peer,
 *    however many rules: log2(2n + 1) steps.
 *  - UNIX peers: sorted user ids and group ids; a uid rule is more
 *    specific than a gid rule.
 *
 * The same prefix allowed and denied is denied.  A peer no rule covers
 * is allowed unless the list has an allow rule for peers of its kind
 * (an address for an internet peer, uid: or gid: for a UNIX one).
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inetd.h"

enum acl_verdict {
	ACL_NONE = 0,
	ACL_ALLOW,
	ACL_DENY
};

/* An address as a number of up to 128 bits. */
struct acl_key {
	uint64_t	 ak_hi;
	uint64_t	 ak_lo;
};

/* From as_start up to the next span's start, one verdict. */
struct acl_span {
	struct acl_key	 as_start;
	int		 as_verdict;
};

struct acl_pfx {
	struct acl_key	 ap_start;
	struct acl_key	 ap_end;
	int		 ap_plen;
	int		 ap_verdict;
};

struct acl_id {
	uint32_t	 ai_id;
	int		 ai_verdict;
};

struct acl_table {
	struct acl_span	*at_spans;
	size_t		 at_n;
};

struct acl {
	struct acl_table a_v4;
	struct acl_table a_v6;
	struct acl_id	*a_uid;
	size_t		 a_nuid;
	struct acl_id	*a_gid;
	size_t		 a_ngid;
	int		 a_inetallow;	/* unmatched internet peers: deny */
	int		 a_unixallow;	/* unmatched UNIX peers: deny */
};

static int	 acl_key_cmp(const struct acl_key *, const struct acl_key *);
static struct acl_key acl_key_of(const struct acl_rule *);
static struct acl_key acl_key_hostmask(int, int);
static int	 acl_pfx_cmp(const void *, const void *);
static int	 acl_id_cmp(const void *, const void *);
static void	 acl_emit(struct acl_span *, size_t *, struct acl_key, int);
static void	 acl_flatten(struct acl_table *, struct acl_pfx *, size_t,
		    int);
static void	 acl_ids(struct acl_id **, size_t *, const struct acl_rule *,
		    size_t, int);
static int	 acl_lookup(const struct acl_table *, struct acl_key);
static int	 acl_decide(int, int);

static int
acl_key_cmp(const struct acl_key *a, const struct acl_key *b)
{
	if (a->ak_hi != b->ak_hi)
		return a->ak_hi < b->ak_hi ? -1 : 1;
	if (a->ak_lo != b->ak_lo)
		return a->ak_lo < b->ak_lo ? -1 : 1;
	return 0;
}

static struct acl_key
acl_key_of(const struct acl_rule *r)
{
	struct acl_key	 k;
	int		 i;

	memset(&k, 0, sizeof(k));
	if (r->ar_kind == ACL_INET) {
		for (i = 0; i < 4; i++)
			k.ak_lo = k.ak_lo << 8 | r->ar_addr[i];
		return k;
	}
	for (i = 0; i < 8; i++)
		k.ak_hi = k.ak_hi << 8 | r->ar_addr[i];
	for (i = 8; i < 16; i++)
		k.ak_lo = k.ak_lo << 8 | r->ar_addr[i];
	return k;
}

/* The low width - plen bits set: the host part of a prefix. */
static struct acl_key
acl_key_hostmask(int width, int plen)
{
	struct acl_key	 k;
	int		 bits = width - plen;

	memset(&k, 0, sizeof(k));
	if (bits >= 64) {
		k.ak_lo = UINT64_MAX;
		if (bits > 64)
			k.ak_hi = bits == 128 ? UINT64_MAX :
			    (1ULL << (bits - 64)) - 1;
	} else if (bits > 0)
		k.ak_lo = (1ULL << bits) - 1;
	return k;
}

/* By start, the wider prefix first: an enclosing one before its parts. */
static int
acl_pfx_cmp(const void *a, const void *b)
{
	const struct acl_pfx	*x = a, *y = b;
	int			 c;

	if ((c = acl_key_cmp(&x->ap_start, &y->ap_start)) != 0)
		return c;
	if (x->ap_plen != y->ap_plen)
		return x->ap_plen < y->ap_plen ? -1 : 1;
	return 0;
}

static int
acl_id_cmp(const void *a, const void *b)
{
	const struct acl_id	*x = a, *y = b;

	if (x->ai_id != y->ai_id)
		return x->ai_id < y->ai_id ? -1 : 1;
	return 0;
}

/* Append a span, merging it with its neighbour where nothing changes. */
static void
acl_emit(struct acl_span *out, size_t *n, struct acl_key start, int verdict)
{
	if (*n > 0 && acl_key_cmp(&out[*n - 1].as_start, &start) == 0) {
		out[*n - 1].as_verdict = verdict;
		if (*n > 1 && out[*n - 2].as_verdict == verdict)
			(*n)--;
		return;
	}
	if (*n > 0 && out[*n - 1].as_verdict == verdict)
		return;
	out[*n].as_start = start;
	out[*n].as_verdict = verdict;
	(*n)++;
}

/*
 * Prefixes nest or are disjoint.  Sorted by start, widest first, they
 * are walked with a stack of the prefixes still open: each opens a span
 * of its own verdict, and where it ends the span of the one around it
 * (or none) resumes.
 */
static void
acl_flatten(struct acl_table *t, struct acl_pfx *p, size_t n, int width)
{
	struct acl_pfx	**stack, *top;
	struct acl_key	 k, max;
	size_t		 i, j, sp = 0, nout = 0;

	t->at_spans = NULL;
	t->at_n = 0;
	if (n == 0)
		return;
	/*
	 * Not qsort(3): glibc's calls sysinfo(2), which the listener's
	 * filter refuses.
	 */
	if (heapsort(p, n, sizeof(*p), acl_pfx_cmp) == -1)
		fatal("heapsort");
	/* The same prefix twice: deny wins. */
	for (i = 1, j = 0; i < n; i++) {
		if (acl_pfx_cmp(&p[j], &p[i]) == 0) {
			if (p[i].ap_verdict == ACL_DENY)
				p[j].ap_verdict = ACL_DENY;
			continue;
		}
		p[++j] = p[i];
	}
	n = j + 1;
	if ((stack = reallocarray(NULL, n, sizeof(*stack))) == NULL ||
	    (t->at_spans = reallocarray(NULL, 2 * n + 1,
	    sizeof(*t->at_spans))) == NULL)
		fatal("reallocarray");
	max = acl_key_hostmask(width, 0);
	memset(&k, 0, sizeof(k));
	acl_emit(t->at_spans, &nout, k, ACL_NONE);
	for (i = 0; i <= n; i++) {
		/* Close what ends before this one starts (all, at the end). */
		while (sp > 0 && (i == n || acl_key_cmp(&stack[sp - 1]->ap_end,
		    &p[i].ap_start) < 0)) {
			top = stack[--sp];
			if (acl_key_cmp(&top->ap_end, &max) == 0)
				continue;
			k = top->ap_end;
			if (++k.ak_lo == 0)
				k.ak_hi++;
			acl_emit(t->at_spans, &nout, k,
			    sp > 0 ? stack[sp - 1]->ap_verdict : ACL_NONE);
		}
		if (i == n)
			break;
		acl_emit(t->at_spans, &nout, p[i].ap_start, p[i].ap_verdict);
		stack[sp++] = &p[i];
	}
	free(stack);
	t->at_n = nout;
}

static void
acl_ids(struct acl_id **out, size_t *nout, const struct acl_rule *r,
    size_t n, int kind)
{
	struct acl_id	*ids;
	size_t		 i, j = 0;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < n; i++)
		if (r[i].ar_kind == kind)
			j++;
	if (j == 0)
		return;
	if ((ids = reallocarray(NULL, j, sizeof(*ids))) == NULL)
		fatal("reallocarray");
	for (i = 0, j = 0; i < n; i++) {
		if (r[i].ar_kind != kind)
			continue;
		ids[j].ai_id = r[i].ar_id;
		ids[j++].ai_verdict = r[i].ar_deny ? ACL_DENY : ACL_ALLOW;
	}
	if (heapsort(ids, j, sizeof(*ids), acl_id_cmp) == -1)
		fatal("heapsort");
	n = j;
	for (i = 1, j = 0; i < n; i++) {
		if (ids[i].ai_id == ids[j].ai_id) {
			if (ids[i].ai_verdict == ACL_DENY)
				ids[j].ai_verdict = ACL_DENY;
			continue;
		}
		ids[++j] = ids[i];
	}
	*out = ids;
	*nout = j + 1;
}

/* Rules that acl_rule_valid() passed; NULL for none. */
struct acl *
acl_compile(const struct acl_rule *r, size_t n)
{
	struct acl	*a;
	struct acl_pfx	*p4, *p6, *p;
	size_t		 i, n4 = 0, n6 = 0;
	int		 width;

	if (n == 0)
		return NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (p4 = reallocarray(NULL, n, sizeof(*p4))) == NULL ||
	    (p6 = reallocarray(NULL, n, sizeof(*p6))) == NULL)
		fatal("calloc");
	for (i = 0; i < n; i++) {
		if (!r[i].ar_deny) {
			if (r[i].ar_kind == ACL_INET ||
			    r[i].ar_kind == ACL_INET6)
				a->a_inetallow = 1;
			else
				a->a_unixallow = 1;
		}
		if (r[i].ar_kind == ACL_INET) {
			p = &p4[n4++];
			width = 32;
		} else if (r[i].ar_kind == ACL_INET6) {
			p = &p6[n6++];
			width = 128;
		} else
			continue;
		p->ap_start = acl_key_of(&r[i]);
		p->ap_plen = r[i].ar_plen;
		p->ap_end = acl_key_hostmask(width, p->ap_plen);
		p->ap_end.ak_hi |= p->ap_start.ak_hi;
		p->ap_end.ak_lo |= p->ap_start.ak_lo;
		p->ap_verdict = r[i].ar_deny ? ACL_DENY : ACL_ALLOW;
	}
	acl_flatten(&a->a_v4, p4, n4, 32);
	acl_flatten(&a->a_v6, p6, n6, 128);
	free(p4);
	free(p6);
	acl_ids(&a->a_uid, &a->a_nuid, r, n, ACL_UID);
	acl_ids(&a->a_gid, &a->a_ngid, r, n, ACL_GID);
	return a;
}

void
acl_free(struct acl *a)
{
	if (a == NULL)
		return;
	free(a->a_v4.at_spans);
	free(a->a_v6.at_spans);
	free(a->a_uid);
	free(a->a_gid);
	free(a);
}

/*
 * What a parse can produce: a known kind, a prefix within its family
 * and no bit set past it, and nothing in the fields the kind leaves.
 */
int
acl_rule_valid(const struct acl_rule *r)
{
	struct acl_rule	 z;
	struct acl_key	 k, m;

	if (r->ar_deny > 1 || r->ar_list > ACL_PROXYFROM ||
	    (r->ar_list == ACL_PROXYFROM && (r->ar_deny ||
	    (r->ar_kind != ACL_INET && r->ar_kind != ACL_INET6))))
		return 0;
	memset(&z, 0, sizeof(z));
	switch (r->ar_kind) {
	case ACL_INET:
		if (r->ar_plen > 32 || r->ar_id != 0 ||
		    memcmp(r->ar_addr + 4, z.ar_addr, 12) != 0)
			return 0;
		m = acl_key_hostmask(32, r->ar_plen);
		break;
	case ACL_INET6:
		if (r->ar_plen > 128 || r->ar_id != 0)
			return 0;
		m = acl_key_hostmask(128, r->ar_plen);
		break;
	case ACL_UID:
	case ACL_GID:
		return r->ar_plen == 0 &&
		    memcmp(r->ar_addr, z.ar_addr, sizeof(z.ar_addr)) == 0;
	default:
		return 0;
	}
	k = acl_key_of(r);
	return (k.ak_hi & m.ak_hi) == 0 && (k.ak_lo & m.ak_lo) == 0;
}

/* A rule as inetd.conf(5) writes it, without allow or deny. */
int
acl_rule_format(const struct acl_rule *r, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN];
	int	 n;

	switch (r->ar_kind) {
	case ACL_INET:
	case ACL_INET6:
		if (inet_ntop(r->ar_kind == ACL_INET ? AF_INET : AF_INET6,
		    r->ar_addr, a, sizeof(a)) == NULL)
			return -1;
		if (r->ar_plen == (r->ar_kind == ACL_INET ? 32 : 128))
			n = snprintf(buf, len, "%s", a);
		else
			n = snprintf(buf, len, "%s/%d", a, r->ar_plen);
		break;
	case ACL_UID:
		n = snprintf(buf, len, "uid:%u", r->ar_id);
		break;
	case ACL_GID:
		n = snprintf(buf, len, "gid:%u", r->ar_id);
		break;
	default:
		return -1;
	}
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The verdict of the span that holds k. */
static int
acl_lookup(const struct acl_table *t, struct acl_key k)
{
	size_t	 lo = 0, hi = t->at_n, mid;

	if (t->at_n == 0)
		return ACL_NONE;
	/* The last span that starts at or before k; the first starts at 0. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (acl_key_cmp(&t->at_spans[mid].as_start, &k) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return t->at_spans[lo].as_verdict;
}

/* 1: allowed, 0: refused. */
static int
acl_decide(int verdict, int otherwise)
{
	if (verdict == ACL_ALLOW)
		return 1;
	if (verdict == ACL_DENY)
		return 0;
	return !otherwise;
}

/* An internet peer: 1 if the list lets it in, 0 if not. */
int
acl_check_addr(const struct acl *a, const struct sockaddr *sa,
    socklen_t len)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	const uint8_t			*b;
	struct acl_key			 k;
	int				 i;

	if (a == NULL)
		return 1;
	memset(&k, 0, sizeof(k));
	if (sa->sa_family == AF_INET && len >= sizeof(*sin)) {
		sin = (const struct sockaddr_in *)sa;
		k.ak_lo = ntohl(sin->sin_addr.s_addr);
		return acl_decide(acl_lookup(&a->a_v4, k), a->a_inetallow);
	}
	if (sa->sa_family != AF_INET6 || len < sizeof(*sin6))
		return 0;
	sin6 = (const struct sockaddr_in6 *)sa;
	b = sin6->sin6_addr.s6_addr;
	/* An IPv4 peer on an IPv6 socket is an IPv4 peer. */
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		for (i = 12; i < 16; i++)
			k.ak_lo = k.ak_lo << 8 | b[i];
		return acl_decide(acl_lookup(&a->a_v4, k), a->a_inetallow);
	}
	for (i = 0; i < 8; i++)
		k.ak_hi = k.ak_hi << 8 | b[i];
	for (i = 8; i < 16; i++)
		k.ak_lo = k.ak_lo << 8 | b[i];
	return acl_decide(acl_lookup(&a->a_v6, k), a->a_inetallow);
}

/* A UNIX peer by its credentials: its user, else its group. */
int
acl_check_cred(const struct acl *a, uid_t uid, gid_t gid)
{
	struct acl_id	 key, *f;

	if (a == NULL)
		return 1;
	key.ai_id = uid;
	if (a->a_nuid > 0 && (f = bsearch(&key, a->a_uid, a->a_nuid,
	    sizeof(key), acl_id_cmp)) != NULL)
		return f->ai_verdict == ACL_ALLOW;
	key.ai_id = gid;
	if (a->a_ngid > 0 && (f = bsearch(&key, a->a_gid, a->a_ngid,
	    sizeof(key), acl_id_cmp)) != NULL)
		return f->ai_verdict == ACL_ALLOW;
	return !a->a_unixallow;
}

/*
 * The peer of a connected socket, as the kernel names it: 1 if the list
 * lets it in, 0 if not, -1 if the socket has no peer (any more).  The
 * peer's name goes to who, for a log line.
 */
int
acl_check_fd(const struct acl *a, int fd, int family, char *who,
    size_t len)
{
	struct sockaddr_storage	 ss;
	struct ucred		 cr;
	socklen_t		 sslen;

	if (family == AF_UNIX) {
		sslen = sizeof(cr);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr,
		    &sslen) == -1 || sslen != sizeof(cr))
			return -1;
		snprintf(who, len, "uid %u gid %u", cr.uid, cr.gid);
		return acl_check_cred(a, cr.uid, cr.gid);
	}
	sslen = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &sslen) == -1)
		return -1;
	acl_peer_name((struct sockaddr *)&ss, sslen, who, len);
	return acl_check_addr(a, (struct sockaddr *)&ss, sslen);
}

/* An internet peer's address for a log line, IPv4-mapped as IPv4. */
void
acl_peer_name(const struct sockaddr *sa, socklen_t len, char *buf,
    size_t size)
{
	const struct sockaddr_in	*sin = (const void *)sa;
	const struct sockaddr_in6	*sin6 = (const void *)sa;

	if (sa->sa_family == AF_INET && len >= sizeof(*sin) &&
	    inet_ntop(AF_INET, &sin->sin_addr, buf, size) != NULL)
		return;
	if (sa->sa_family == AF_INET6 && len >= sizeof(*sin6)) {
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) &&
		    inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], buf,
		    size) != NULL)
			return;
		if (inet_ntop(AF_INET6, &sin6->sin6_addr, buf, size) != NULL)
			return;
	}
	strlcpy(buf, "?", size);
}

/*
 * IMSG_ACL, as both children take it: rules for the entry received
 * last, no more than it announced; the list is compiled once complete.
 * proc_conf_index() then checks that every list is.
 */
int
acl_take(struct conf *next, const struct imsg *im)
{
	struct msg_acl		 ma;
	struct servconf		*se;
	struct acl_rule		*r;
	uint32_t		 i;

	if (next == NULL || im->datalen < sizeof(ma))
		return -1;
	memcpy(&ma, im->data, sizeof(ma));
	if ((se = TAILQ_LAST(&next->c_services, servlist)) == NULL ||
	    se->se_index != ma.ma_index || ma.ma_count == 0 ||
	    ma.ma_count > CONF_ACLCHUNK ||
	    im->datalen != sizeof(ma) + ma.ma_count * sizeof(*r) ||
	    ma.ma_count > (uint32_t)(se->se_naclwant - se->se_nacl))
		return -1;
	if (se->se_acl == NULL && (se->se_acl = reallocarray(NULL,
	    se->se_naclwant, sizeof(*se->se_acl))) == NULL)
		fatal("reallocarray");
	r = &se->se_acl[se->se_nacl];
	memcpy(r, im->data + sizeof(ma), ma.ma_count * sizeof(*r));
	for (i = 0; i < ma.ma_count; i++)
		if (!acl_rule_valid(&r[i]))
			return -1;
	se->se_nacl += ma.ma_count;
	/*
	 * A child looks up the tables only: the rules can go.  proxy-from=
	 * rules come last in the entry's list.
	 */
	if (se->se_nacl == se->se_naclwant) {
		for (i = 0; i < (uint32_t)se->se_nacl; i++)
			if (se->se_acl[i].ar_list == ACL_PROXYFROM)
				break;
		se->se_acc = acl_compile(se->se_acl, i);
		se->se_proxyacc = acl_compile(se->se_acl + i, se->se_nacl - i);
		for (; i < (uint32_t)se->se_nacl; i++)
			if (se->se_acl[i].ar_list != ACL_PROXYFROM)
				return -1;
		free(se->se_acl);
		se->se_acl = NULL;
	}
	return 0;
}
