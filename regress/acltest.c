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
 * acltest: the compiled access lists of common/acl.c against the rule
 * as inetd.conf(5) states it, computed the slow way (every rule looked
 * at; the longest matching prefix decides, deny on a tie; no match:
 * refused if there is an allow rule).  Random lists of nested and
 * overlapping prefixes, IPv4, IPv6 and IPv4-mapped peers, and uid/gid.
 * Prints "SUCCESS acl:name" or "FAIL acl:name (why)" per check.
 *
 *	acltest [seed]
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inetd.h"

#define ROUNDS		300
#define MAXRULES	200
#define PEERS		400

static int	 failed;

static void
result(const char *name, int ok, const char *why)
{
	if (ok)
		printf("SUCCESS acl:%s\n", name);
	else {
		printf("FAIL acl:%s (%s)\n", name, why);
		failed = 1;
	}
}

/* Whether the first plen bits of a and b agree. */
static int
prefix_match(const uint8_t *a, const uint8_t *b, int plen)
{
	int	 i, bits;

	for (i = 0; plen > 0; i++, plen -= 8) {
		bits = plen >= 8 ? 8 : plen;
		if ((a[i] ^ b[i]) & (0xff << (8 - bits)))
			return 0;
	}
	return 1;
}

/* The rule in words: 1 allowed, 0 refused. */
static int
slow(const struct acl_rule *r, int n, int kind, const uint8_t *addr)
{
	int	 i, best = -1, deny = 0, anyallow = 0;

	for (i = 0; i < n; i++) {
		if (!r[i].ar_deny && (r[i].ar_kind == ACL_INET ||
		    r[i].ar_kind == ACL_INET6))
			anyallow = 1;
		if (r[i].ar_kind != kind ||
		    !prefix_match(r[i].ar_addr, addr, r[i].ar_plen))
			continue;
		if (r[i].ar_plen > best) {
			best = r[i].ar_plen;
			deny = r[i].ar_deny;
		} else if (r[i].ar_plen == best && r[i].ar_deny)
			deny = 1;
	}
	if (best == -1)
		return !anyallow;
	return !deny;
}

/* Bits from a small pool, so that rules and peers nest and collide. */
static void
random_addr(uint8_t *a, int len)
{
	int	 i;

	for (i = 0; i < len; i++)
		a[i] = (random() % 4 == 0) ? random() & 0xff :
		    (uint8_t[]){ 0, 10, 127, 0xfd }[random() % 4];
}

static void
random_rule(struct acl_rule *r, int kind)
{
	int	 len = kind == ACL_INET ? 4 : 16, max = len * 8, i, bits;

	memset(r, 0, sizeof(*r));
	r->ar_kind = kind;
	r->ar_deny = random() % 2;
	r->ar_plen = random() % 3 == 0 ? max : random() % (max + 1);
	random_addr(r->ar_addr, len);
	for (i = 0; i < len; i++) {
		bits = r->ar_plen - i * 8;
		if (bits <= 0)
			r->ar_addr[i] = 0;
		else if (bits < 8)
			r->ar_addr[i] &= 0xff << (8 - bits);
	}
}

static int
fast(const struct acl *a, int kind, const uint8_t *addr, int mapped)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;

	if (kind == ACL_INET && !mapped) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, addr, 4);
		return acl_check_addr(a, (struct sockaddr *)&sin,
		    sizeof(sin));
	}
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	if (mapped) {
		sin6.sin6_addr.s6_addr[10] = 0xff;
		sin6.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sin6.sin6_addr.s6_addr[12], addr, 4);
	} else
		memcpy(&sin6.sin6_addr, addr, 16);
	return acl_check_addr(a, (struct sockaddr *)&sin6, sizeof(sin6));
}

static void
check_random(void)
{
	struct acl_rule	 r[MAXRULES];
	struct acl	*a;
	uint8_t		 peer[16];
	char		 why[256], buf[64];
	int		 round, n, i, j, kind, mapped, want, got, bad = 0;

	for (round = 0; round < ROUNDS && !bad; round++) {
		n = 1 + random() % MAXRULES;
		for (i = 0; i < n; i++)
			random_rule(&r[i], random() % 2 ? ACL_INET :
			    ACL_INET6);
		/* Some exact duplicates of the other verdict: ties. */
		for (i = 0; i + 1 < n; i += 7) {
			r[i + 1] = r[i];
			r[i + 1].ar_deny = !r[i].ar_deny;
		}
		for (i = 0; i < n; i++)
			if (!acl_rule_valid(&r[i])) {
				acl_rule_format(&r[i], buf, sizeof(buf));
				snprintf(why, sizeof(why), "rule %s invalid",
				    buf);
				result("random", 0, why);
				return;
			}
		a = acl_compile(r, n);
		for (j = 0; j < PEERS && !bad; j++) {
			kind = random() % 2 ? ACL_INET : ACL_INET6;
			mapped = kind == ACL_INET && random() % 2;
			/* Half the peers right at a rule's start or past it. */
			i = random() % n;
			if (random() % 2 && r[i].ar_kind == kind) {
				memset(peer, 0, sizeof(peer));
				memcpy(peer, r[i].ar_addr, 16);
				if (random() % 2)
					peer[(kind == ACL_INET ? 4 : 16) - 1] |=
					    random() & 0xff;
			} else
				random_addr(peer, kind == ACL_INET ? 4 : 16);
			want = slow(r, n, kind, peer);
			got = fast(a, kind, peer, mapped);
			if (want != got) {
				inet_ntop(kind == ACL_INET ? AF_INET :
				    AF_INET6, peer, buf, sizeof(buf));
				snprintf(why, sizeof(why), "round %d, %d rules,"
				    " peer %s%s: want %d, got %d", round, n,
				    mapped ? "::ffff:" : "", buf, want, got);
				bad = 1;
			}
		}
		acl_free(a);
	}
	result("random", !bad, why);
}

static void
rule4(struct acl_rule *r, const char *addr, int plen, int deny)
{
	memset(r, 0, sizeof(*r));
	r->ar_kind = ACL_INET;
	inet_pton(AF_INET, addr, r->ar_addr);
	r->ar_plen = plen;
	r->ar_deny = deny;
}

/* The cases inetd.conf(5) spells out. */
static void
check_cases(void)
{
	struct acl_rule	 r[8];
	struct acl	*a;
	uint8_t		 p[4] = { 127, 0, 0, 2 };
	int		 i, ok;

	/* Only deny rules: who is not denied is allowed. */
	rule4(&r[0], "127.0.0.2", 32, 1);
	a = acl_compile(r, 1);
	p[3] = 3;
	result("deny-only", fast(a, ACL_INET, p, 0) == 1 &&
	    (p[3] = 2, fast(a, ACL_INET, p, 0) == 0), "");
	acl_free(a);
	/* The most specific rule wins, either way. */
	rule4(&r[0], "127.0.0.0", 8, 1);
	rule4(&r[1], "127.0.0.0", 24, 0);
	rule4(&r[2], "127.0.0.2", 32, 1);
	a = acl_compile(r, 3);
	p[3] = 3;
	result("most-specific", fast(a, ACL_INET, p, 0) == 1 &&
	    (p[3] = 2, fast(a, ACL_INET, p, 0) == 0) &&
	    (p[2] = 1, fast(a, ACL_INET, p, 0) == 0), "");
	acl_free(a);
	/* The same prefix both ways: denied, whatever the order. */
	p[2] = 0;
	p[3] = 2;
	for (i = 0, ok = 1; i < 4; i++) {
		rule4(&r[0], "127.0.0.2", 32, 0);
		rule4(&r[1], "127.0.0.2", 32, 0);
		rule4(&r[2], "127.0.0.2", 32, 0);
		rule4(&r[i < 3 ? i : 0], "127.0.0.2", 32, 1);
		a = acl_compile(r, i < 3 ? 3 : 2);
		if (fast(a, ACL_INET, p, 0) != 0 ||
		    fast(a, ACL_INET, p, 1) != 0)
			ok = 0;
		acl_free(a);
	}
	result("tie-deny", ok, "");
	/* A mapped peer is matched as IPv4, not by IPv6 rules. */
	rule4(&r[0], "127.0.0.2", 32, 0);
	memset(&r[1], 0, sizeof(r[1]));
	r[1].ar_kind = ACL_INET6;
	r[1].ar_plen = 0;
	r[1].ar_deny = 1;
	a = acl_compile(r, 2);
	result("mapped", fast(a, ACL_INET, p, 1) == 1 &&
	    (p[3] = 3, fast(a, ACL_INET, p, 1) == 0), "");
	acl_free(a);
	/* UNIX peers: uid before gid; address rules leave them alone. */
	memset(r, 0, sizeof(r));
	r[0].ar_kind = ACL_GID;
	r[0].ar_id = 50;
	r[1].ar_kind = ACL_UID;
	r[1].ar_id = 1000;
	r[1].ar_deny = 1;
	rule4(&r[2], "127.0.0.0", 8, 0);
	a = acl_compile(r, 3);
	result("unix-ids", acl_check_cred(a, 1001, 50) == 1 &&
	    acl_check_cred(a, 1000, 50) == 0 &&
	    acl_check_cred(a, 1001, 51) == 0, "");
	acl_free(a);
	r[0].ar_deny = 1;
	a = acl_compile(r, 3);
	result("unix-deny-only", acl_check_cred(a, 1001, 51) == 1, "");
	acl_free(a);
}

int
main(int argc, char *argv[])
{
	srandom(argc > 1 ? atoi(argv[1]) : 1);
	log_init(1, 0);
	check_cases();
	check_random();
	return failed;
}
