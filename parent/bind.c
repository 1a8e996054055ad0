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
 * Listening sockets.  Only the parent binds; the listener gets the
 * descriptors over its channel.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

static int	 bind_unix_owner(const struct servconf *);

static int
bind_blocking(const struct servconf *se)
{
	return se->se_wait && se->se_builtin == BI_NONE;
}

/*
 * A socket kept across a reload: make it fit the new entry (blocking
 * mode and backlog may have changed).
 */
int
bind_adjust(struct servconf *se)
{
	int	 fl;

	if ((fl = fcntl(se->se_fd, F_GETFL)) == -1)
		goto fail;
	fl = bind_blocking(se) ? fl & ~O_NONBLOCK : fl | O_NONBLOCK;
	if (fcntl(se->se_fd, F_SETFL, fl) == -1)
		goto fail;
	if (se->se_socktype == SOCK_STREAM &&
	    listen(se->se_fd, se->se_backlog) == -1)
		goto fail;
	if (se->se_family == AF_UNIX && bind_unix_owner(se) == -1)
		goto fail;
	return 0;
 fail:
	log_warn("%s:%d: %s/%s: cannot reuse the socket", se->se_file,
	    se->se_line, se->se_service, se->se_proto);
	return -1;
}

/*
 * A stale socket file is replaced; anything else at the path (a symlink
 * above all) is left alone and the service does not start.  unlink(2)
 * never follows a symlink, and bind(2) refuses an existing path.
 */
static int
bind_unix_prepare(struct servconf *se)
{
	const struct sockaddr_un	*sun;
	struct stat			 st;

	sun = (const struct sockaddr_un *)&se->se_ss;
	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("%s:%d: %s exists and is not a socket", se->se_file,
		    se->se_line, sun->sun_path);
		return -1;
	}
	return unlink(sun->sun_path);
}

/* Owner and mode of a kept socket file, as the new entry says. */
static int
bind_unix_owner(const struct servconf *se)
{
	const struct sockaddr_un	*sun;
	struct stat			 st;

	sun = (const struct sockaddr_un *)&se->se_ss;
	if (lstat(sun->sun_path, &st) == -1 || !S_ISSOCK(st.st_mode))
		return -1;
	if (lchown(sun->sun_path, se->se_sockuid, se->se_sockgid) == -1 ||
	    fchmodat(AT_FDCWD, sun->sun_path, se->se_sockmode,
	    AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	return 0;
}

/* Remove our socket file, if it still is one. */
void
bind_unlink(struct servconf *se)
{
	const struct sockaddr_un	*sun;
	struct stat			 st;

	if (se->se_family != AF_UNIX)
		return;
	sun = (const struct sockaddr_un *)&se->se_ss;
	if (lstat(sun->sun_path, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(sun->sun_path);
}

int
bind_service(struct servconf *se)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)&se->se_ss;
	int	 fd, on = 1, r;
	mode_t	 omask;

	/* The listener never blocks; a wait program does. */
	fd = socket(se->se_family, se->se_socktype | SOCK_CLOEXEC |
	    (bind_blocking(se) ? 0 : SOCK_NONBLOCK), se->se_protocol);
	if (fd == -1) {
		log_warn("%s:%d: %s/%s: socket", se->se_file, se->se_line,
		    se->se_service, se->se_proto);
		return -1;
	}
	if (se->se_family == AF_UNIX) {
		if (bind_unix_prepare(se) == -1)
			goto fail;
		/* Born with its mode: no window with a wider one. */
		omask = umask(~se->se_sockmode & 0777);
		r = bind(fd, (struct sockaddr *)&se->se_ss, se->se_sslen);
		umask(omask);
		if (r == -1)
			goto fail;
		if (lchown(sun->sun_path, se->se_sockuid,
		    se->se_sockgid) == -1) {
			bind_unlink(se);
			goto fail;
		}
		goto listen;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		goto fail;
	/* Set explicitly: the system default may say otherwise. */
	if (se->se_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &se->se_v6only, sizeof(se->se_v6only)) == -1)
		goto fail;
	if (bind(fd, (struct sockaddr *)&se->se_ss, se->se_sslen) == -1)
		goto fail;
 listen:
	if (se->se_socktype == SOCK_STREAM &&
	    listen(fd, se->se_backlog) == -1)
		goto fail;
	se->se_fd = fd;
	return 0;
 fail:
	if (se->se_family == AF_UNIX)
		log_warn("%s:%d: cannot listen on %s", se->se_file,
		    se->se_line, sun->sun_path);
	else
		log_warn("%s:%d: %s/%s: cannot listen on port %d",
		    se->se_file, se->se_line, se->se_service, se->se_proto,
		    se->se_port);
	close(fd);
	return -1;
}
