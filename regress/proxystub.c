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
 * What listener/proxy.c calls in the rest of the listener, for the
 * programs that drive it alone (proxytest, fuzz/fuzz_proxy): every
 * front end is allowed (fatal() is in fatalstub.c).  Each program has its
 * own listener_proxied() and listener_refused(), which it counts.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inetd.h"

void
listener_pending(struct servconf *se, int delta)
{
	(void)se;
	(void)delta;
}

int
acl_check_addr(const struct acl *a, const struct sockaddr *sa, socklen_t len)
{
	(void)a;
	(void)sa;
	(void)len;
	return 1;
}

void
acl_peer_name(const struct sockaddr *sa, socklen_t len, char *buf,
    size_t size)
{
	(void)sa;
	(void)len;
	strlcpy(buf, "front end", size);
}

void
log_warn(const char *fmt, ...)
{
	(void)fmt;
}

