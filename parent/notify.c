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
 * The service manager's readiness protocol (sd_notify(3)), without
 * libsystemd: datagrams of "KEY=value" lines to the AF_UNIX socket named
 * by NOTIFY_SOCKET.  Only the parent speaks it.  The variable is taken
 * out of the environment at start, so that neither the roles nor the
 * services they start see it: a service is not the one the manager
 * started, and its word on readiness would be a lie.
 *
 * Notifying is a courtesy to the manager: a failure is logged once and
 * never stops the daemon.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inetd.h"

#define NOTIFY_MAXMSG	512

static struct {
	int			 n_fd;		/* -1: no manager to tell */
	struct sockaddr_un	 n_sun;
	socklen_t		 n_len;
	int			 n_warned;
} notify = { .n_fd = -1 };

/*
 * Take NOTIFY_SOCKET out of the environment and, if it names a socket,
 * open one to send to it.  An absolute path, or '@' for a name in the
 * abstract namespace, as sd_notify(3) takes them.
 */
void
notify_init(void)
{
	const char	*path;
	size_t		 len;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL)
		return;
	len = strlen(path);
	memset(&notify.n_sun, 0, sizeof(notify.n_sun));
	notify.n_sun.sun_family = AF_UNIX;
	if ((path[0] != '/' && path[0] != '@') || len < 2 ||
	    len >= sizeof(notify.n_sun.sun_path)) {
		log_warnx("NOTIFY_SOCKET: not an absolute path or an abstract "
		    "name; not notifying");
		goto done;
	}
	memcpy(notify.n_sun.sun_path, path, len);
	if (path[0] == '@') {
		notify.n_sun.sun_path[0] = '\0';
		notify.n_len = offsetof(struct sockaddr_un, sun_path) + len;
	} else
		notify.n_len = offsetof(struct sockaddr_un, sun_path) + len + 1;
	if ((notify.n_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1)
		log_warn("NOTIFY_SOCKET: socket; not notifying");
 done:
	if (unsetenv("NOTIFY_SOCKET") == -1)
		fatal("unsetenv");
}

/* One datagram of lines; a failure is said the first time only. */
static void
notify_send(const char *fmt, ...)
{
	char		 msg[NOTIFY_MAXMSG];
	va_list		 ap;
	int		 n;

	if (notify.n_fd == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		fatalx("notify message too long");
	if (sendto(notify.n_fd, msg, n, MSG_NOSIGNAL,
	    (struct sockaddr *)&notify.n_sun, notify.n_len) == n)
		return;
	if (!notify.n_warned)
		log_warn("NOTIFY_SOCKET: cannot tell the service manager");
	notify.n_warned = 1;
}

/* A generation is in force: every socket bound, both children running. */
void
notify_ready(uint32_t gen, unsigned int count)
{
	notify_send("READY=1\nSTATUS=generation %u in force: %u services",
	    gen, count);
}

/* A reload failed: the generation in force stays, and inetd is ready. */
void
notify_ready_failed(uint32_t gen)
{
	notify_send("READY=1\nSTATUS=reload failed; generation %u stays in "
	    "force", gen);
}

void
notify_reloading(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	notify_send("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
}

void
notify_stopping(void)
{
	notify_send("STOPPING=1\nSTATUS=stopping");
}
