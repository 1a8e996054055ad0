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
 * Access lists, common/acl.c: the rule check the children apply to what
 * the parent sends (acl_rule_valid), the compiler (acl_compile: spans
 * searched by bisection) and the lookups (acl_check_addr,
 * acl_check_cred), against a plain linear reading of the same rules.
 * The input is
 *
 *	count (1 byte), count rules of 22 bytes, then queries of 18 bytes
 *
 * A rule is flags (kind, deny; bit 7: raw), prefix length, 4 bytes of
 * id and 16 of address, made into a struct acl_rule with its host bits
 * cleared, or taken raw when bit 7 is set; only rules acl_rule_valid()
 * passes are compiled, as acl_take() does.  A query is how (IPv4,
 * IPv6, IPv4-mapped IPv6, or UNIX credentials; and whether its address
 * is its own, or a rule's first, last, or one past the last), a rule
 * number, and 16 bytes of address (or uid and gid).
 *
 * Invariants:
 *  - acl_rule_valid() is exactly its definition in acl.c's comment: a
 *    known kind, a prefix within its family, no host bit set, nothing in
 *    the fields the kind leaves, proxy-from= rules allow IP only;
 *  - every lookup says what the linear reading says: the most specific
 *    prefix covering the address decides (the same prefix allowed and
 *    denied is denied); a uid rule before a gid rule; with none, a peer
 *    is allowed unless the list allows some peers of its kind; an
 *    IPv4-mapped peer is an IPv4 peer;
 *  - acl_rule_format() writes what inet_pton(3) reads back as the rule.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inetd.h"

#define FA_MAXRULES	64
#define FA_RULELEN	22
#define FA_QUERYLEN	18

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fa_fail(const char *what)
{
	fprintf(stderr, "acl: %s\n", what);
	abort();
}

/* Whether the first plen bits of a and b are the same. */
static int
fa_prefix(const uint8_t *a, const uint8_t *b, int plen)
{
	int	 i;

	for (i = 0; i < plen; i++)
		if (((a[i / 8] ^ b[i / 8]) >> (7 - i % 8)) & 1)
			return 0;
	return 1;
}

/* Whether any bit from plen to width is set in a. */
static int
fa_hostbits(const uint8_t *a, int plen, int width)
{
	int	 i;

	for (i = plen; i < width; i++)
		if ((a[i / 8] >> (7 - i % 8)) & 1)
			return 1;
	return 0;
}

static int
fa_valid(const struct acl_rule *r)
{
	static const uint8_t	 zero[16];

	if (r->ar_deny > 1 || r->ar_list > ACL_PROXYFROM)
		return 0;
	if (r->ar_list == ACL_PROXYFROM && (r->ar_deny ||
	    (r->ar_kind != ACL_INET && r->ar_kind != ACL_INET6)))
		return 0;
	switch (r->ar_kind) {
	case ACL_INET:
		return r->ar_plen <= 32 && r->ar_id == 0 &&
		    memcmp(r->ar_addr + 4, zero, 12) == 0 &&
		    !fa_hostbits(r->ar_addr, r->ar_plen, 32);
	case ACL_INET6:
		return r->ar_plen <= 128 && r->ar_id == 0 &&
		    !fa_hostbits(r->ar_addr, r->ar_plen, 128);
	case ACL_UID:
	case ACL_GID:
		return r->ar_plen == 0 && memcmp(r->ar_addr, zero, 16) == 0;
	}
	return 0;
}

/* The linear reading: 1 allowed, 0 refused. */
static int
fa_ref_addr(const struct acl_rule *r, size_t n, int kind, const uint8_t *a)
{
	size_t	 i;
	int	 best = -1, deny = 0, inetallow = 0;

	for (i = 0; i < n; i++) {
		if (!r[i].ar_deny && (r[i].ar_kind == ACL_INET ||
		    r[i].ar_kind == ACL_INET6))
			inetallow = 1;
		if (r[i].ar_kind != kind || !fa_prefix(r[i].ar_addr, a,
		    r[i].ar_plen))
			continue;
		if (r[i].ar_plen > best) {
			best = r[i].ar_plen;
			deny = r[i].ar_deny;
		} else if (r[i].ar_plen == best && r[i].ar_deny)
			deny = 1;
	}
	if (best == -1)
		return !inetallow;
	return !deny;
}

static int
fa_ref_cred(const struct acl_rule *r, size_t n, uint32_t uid, uint32_t gid)
{
	size_t	 i;
	int	 kind, found, deny, unixallow = 0;

	for (i = 0; i < n; i++)
		if (!r[i].ar_deny && (r[i].ar_kind == ACL_UID ||
		    r[i].ar_kind == ACL_GID))
			unixallow = 1;
	for (kind = ACL_UID; kind <= ACL_GID; kind++) {
		found = deny = 0;
		for (i = 0; i < n; i++)
			if (r[i].ar_kind == kind &&
			    r[i].ar_id == (kind == ACL_UID ? uid : gid)) {
				found = 1;
				deny |= r[i].ar_deny;
			}
		if (found)
			return !deny;
	}
	return !unixallow;
}

/* The format of r, read back. */
static void
fa_format(const struct acl_rule *r)
{
	char		 buf[128], *slash;
	uint8_t		 a[16];
	int		 af, plen;

	if (acl_rule_format(r, buf, sizeof(buf)) == -1)
		fa_fail("a valid rule that cannot be written");
	if (r->ar_kind == ACL_UID || r->ar_kind == ACL_GID) {
		snprintf((char *)a, sizeof(a), "%cid:%u",
		    r->ar_kind == ACL_UID ? 'u' : 'g', r->ar_id);
		if (strcmp(buf, (char *)a) != 0)
			fa_fail("an id rule written wrong");
		return;
	}
	af = r->ar_kind == ACL_INET ? AF_INET : AF_INET6;
	plen = af == AF_INET ? 32 : 128;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		plen = atoi(slash);
	}
	memset(a, 0, sizeof(a));
	if (inet_pton(af, buf, a) != 1 || plen != r->ar_plen ||
	    memcmp(a, r->ar_addr, af == AF_INET ? 4 : 16) != 0)
		fa_fail("a rule written as another");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acl_rule		 r[FA_MAXRULES], t;
	struct acl		*a;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	const uint8_t		*q;
	uint8_t			 addr[16];
	size_t			 n = 0, count, i;
	int			 width, kind, how, got, want, bits, k;
	uint32_t		 uid, gid;

	if (size < 1)
		return 0;
	count = data[0] % (FA_MAXRULES + 1);
	data++;
	size--;
	for (i = 0; i < count && size >= FA_RULELEN; i++) {
		memset(&t, 0, sizeof(t));
		t.ar_kind = data[0] & 0x80 ? data[0] & 0x07 :
		    ACL_INET + (data[0] & 0x03);
		t.ar_deny = data[0] & 0x80 ? (data[0] >> 3) & 0x03 :
		    (data[0] >> 2) & 1;
		t.ar_list = data[0] & 0x80 ? (data[0] >> 5) & 0x03 : 0;
		t.ar_plen = data[1];
		memcpy(&t.ar_id, data + 2, 4);
		memcpy(t.ar_addr, data + 6, 16);
		if (!(data[0] & 0x80)) {
			/* Made valid: what a parse produces. */
			width = t.ar_kind == ACL_INET ? 32 : 128;
			if (t.ar_kind == ACL_UID || t.ar_kind == ACL_GID) {
				t.ar_plen = 0;
				memset(t.ar_addr, 0, 16);
			} else {
				t.ar_id = 0;
				t.ar_plen %= width + 1;
				for (k = t.ar_plen; k < 128; k++)
					t.ar_addr[k / 8] &=
					    ~(1 << (7 - k % 8));
			}
		}
		if (acl_rule_valid(&t) != fa_valid(&t))
			fa_fail("acl_rule_valid() is not its definition");
		if (acl_rule_valid(&t)) {
			fa_format(&t);
			r[n++] = t;
		}
		data += FA_RULELEN;
		size -= FA_RULELEN;
	}
	a = acl_compile(r, n);
	if ((a == NULL) != (n == 0))
		fa_fail("compiled to nothing, or from nothing");
	for (q = data; size >= FA_QUERYLEN; q += FA_QUERYLEN,
	    size -= FA_QUERYLEN) {
		kind = q[0] & 3;
		how = (q[0] >> 2) & 3;
		memcpy(addr, q + 2, 16);
		if (kind == 3) {
			memcpy(&uid, addr, 4);
			memcpy(&gid, addr + 4, 4);
			if (n > 0 && how != 0) {
				/* The id of a rule. */
				t = r[q[1] % n];
				if (t.ar_kind == ACL_UID)
					uid = t.ar_id;
				else if (t.ar_kind == ACL_GID)
					gid = t.ar_id;
			}
			got = acl_check_cred(a, uid, gid);
			want = n == 0 ? 1 : fa_ref_cred(r, n, uid, gid);
			if (got != want)
				fa_fail("a UNIX peer decided otherwise");
			continue;
		}
		width = kind == 1 ? 128 : 32;
		if (n > 0 && how != 0 && r[q[1] % n].ar_kind ==
		    (width == 32 ? ACL_INET : ACL_INET6)) {
			/* A rule's first or last address, or one past it. */
			t = r[q[1] % n];
			memcpy(addr, t.ar_addr, 16);
			if (how >= 2)
				for (k = t.ar_plen; k < width; k++)
					addr[k / 8] |= 1 << (7 - k % 8);
			if (how == 3)
				for (k = width / 8 - 1; k >= 0; k--)
					if (++addr[k] != 0)
						break;
		}
		if (kind == 0) {
			memset(&sin, 0, sizeof(sin));
			sin.sin_family = AF_INET;
			memcpy(&sin.sin_addr, addr, 4);
			got = acl_check_addr(a, (struct sockaddr *)&sin,
			    sizeof(sin));
		} else {
			memset(&sin6, 0, sizeof(sin6));
			sin6.sin6_family = AF_INET6;
			if (kind == 2) {
				sin6.sin6_addr.s6_addr[10] = 0xff;
				sin6.sin6_addr.s6_addr[11] = 0xff;
				memcpy(&sin6.sin6_addr.s6_addr[12], addr, 4);
			} else
				memcpy(&sin6.sin6_addr, addr, 16);
			got = acl_check_addr(a, (struct sockaddr *)&sin6,
			    sizeof(sin6));
			/* An IPv4-mapped address, however it came. */
			if (kind == 1 &&
			    IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
				memmove(addr, addr + 12, 4);
				width = 32;
			}
		}
		bits = width == 32 ? ACL_INET : ACL_INET6;
		want = n == 0 ? 1 : fa_ref_addr(r, n, bits, addr);
		if (got != want)
			fa_fail("an address decided otherwise");
	}
	acl_free(a);
	return 0;
}
