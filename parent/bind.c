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

#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

/*
 * The socket files inetd made, by path, device and inode: only these are
 * ever removed, or have their owner and mode changed.
 */
struct bind_file {
	SLIST_ENTRY(bind_file)	 bf_entry;
	char			 bf_path[sizeof(((struct sockaddr_un *)0)
				    ->sun_path)];
	dev_t			 bf_dev;
	ino_t			 bf_ino;
};
static SLIST_HEAD(, bind_file)	 bind_files =
    SLIST_HEAD_INITIALIZER(bind_files);

static int	 bind_unix_owner(const struct servconf *);

/*
 * A program that gets the socket itself (wait, or any datagram program)
 * gets it in blocking mode, as every inetd gives it; the listener only
 * peeks at such a socket, without waiting.
 */
static int
bind_blocking(const struct servconf *se)
{
	return se->se_builtin == BI_NONE &&
	    (se->se_wait || se->se_socktype == SOCK_DGRAM);
}

/*
 * One buffer size.  The kernel doubles what it is given and caps it at
 * its own maximum (net.core.wmem_max, rmem_max) without a word: say so.
 */
static int
bind_buffer(const struct servconf *se, int fd, int opt, int size)
{
	socklen_t	 len;
	int		 got;

	if (size == 0)
		return 0;
	if (setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size)) == -1)
		return -1;
	len = sizeof(got);
	if (getsockopt(fd, SOL_SOCKET, opt, &got, &len) == -1)
		return -1;
	if (got / 2 < size)
		log_warnx("%s:%d: %s/%s: %s %d capped by the kernel at %d "
		    "(net.core.%s)", se->se_file, se->se_line,
		    se->se_service, se->se_proto,
		    opt == SO_SNDBUF ? "sndbuf" : "rcvbuf", size, got / 2,
		    opt == SO_SNDBUF ? "wmem_max" : "rmem_max");
	return 0;
}

/* The buffer sizes an entry asks for; the system's otherwise. */
static int
bind_buffers(const struct servconf *se, int fd)
{
	if (bind_buffer(se, fd, SO_SNDBUF, se->se_sndbuf) == -1 ||
	    bind_buffer(se, fd, SO_RCVBUF, se->se_rcvbuf) == -1)
		return -1;
	return 0;
}

/*
 * A socket kept across a reload: make it fit the new entry (blocking
 * mode, backlog and buffer sizes may have changed).
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
	if (bind_buffers(se, se->se_fd) == -1)
		goto fail;
	if (se->se_family == AF_UNIX && bind_unix_owner(se) == -1)
		goto fail;
	return 0;
 fail:
	log_warn("%s:%d: %s/%s: cannot reuse the socket", se->se_file,
	    se->se_line, se->se_service, se->se_proto);
	return -1;
}

static const char *
bind_path(const struct servconf *se)
{
	return ((const struct sockaddr_un *)&se->se_ss)->sun_path;
}

/* Ours if it is still the very file inetd made at that path. */
static struct bind_file *
bind_file_ours(const char *path)
{
	struct bind_file	*bf;
	struct stat		 st;

	SLIST_FOREACH(bf, &bind_files, bf_entry)
		if (strcmp(bf->bf_path, path) == 0)
			break;
	if (bf == NULL || lstat(path, &st) == -1 || !S_ISSOCK(st.st_mode) ||
	    st.st_dev != bf->bf_dev || st.st_ino != bf->bf_ino)
		return NULL;
	return bf;
}

static void
bind_file_forget(const char *path)
{
	struct bind_file	*bf;

	SLIST_FOREACH(bf, &bind_files, bf_entry)
		if (strcmp(bf->bf_path, path) == 0) {
			SLIST_REMOVE(&bind_files, bf, bind_file, bf_entry);
			free(bf);
			return;
		}
}

/*
 * Every directory above the socket file, as it is named and as it
 * really is (safepath.c).  Once they hold, no one but root can change
 * what the path leads to: the socket can then be made, chowned and
 * removed by path.
 */
static int
bind_unix_safepath(const struct servconf *se)
{
	char	 err[PATH_MAX + 128];

	if (safepath_dirs(bind_path(se), err, sizeof(err)) == 0)
		return 0;
	log_warnx("%s:%d: %s: socket %s: it must be owned by root and "
	    "writable by no one else", se->se_file, se->se_line,
	    bind_path(se), err);
	errno = EPERM;
	return -1;
}

/*
 * Something at the path already.  A socket no one listens on is left
 * from an earlier run and is replaced; one in use belongs to someone
 * else and stays, as does anything that is not a socket (a symlink
 * above all).  unlink(2) never follows a symlink, and bind(2) refuses an
 * existing path.
 */
static int
bind_unix_prepare(struct servconf *se)
{
	const char	*path = bind_path(se);
	struct stat	 st;
	int		 fd, r, saved;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("%s:%d: %s exists and is not a socket", se->se_file,
		    se->se_line, path);
		errno = EEXIST;
		return -1;
	}
	if ((fd = socket(AF_UNIX, se->se_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	r = connect(fd, (const struct sockaddr *)&se->se_ss, se->se_sslen);
	saved = errno;
	close(fd);
	if (r == -1 && saved == ECONNREFUSED)
		return unlink(path);
	log_warnx("%s:%d: %s is a socket %s; it is left alone", se->se_file,
	    se->se_line, path, r == -1 && saved == EPROTOTYPE ?
	    "of another type" : "in use");
	errno = EADDRINUSE;
	return -1;
}

/* Owner and mode of a kept socket file, as the new entry says. */
static int
bind_unix_owner(const struct servconf *se)
{
	const char	*path = bind_path(se);

	if (bind_file_ours(path) == NULL) {
		log_warnx("%s:%d: %s is no longer the socket inetd made",
		    se->se_file, se->se_line, path);
		return -1;
	}
	if (lchown(path, se->se_sockuid, se->se_sockgid) == -1 ||
	    fchmodat(AT_FDCWD, path, se->se_sockmode,
	    AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	return 0;
}

/* Remove our socket file, if it still is the one inetd made. */
void
bind_unlink(struct servconf *se)
{
	const char	*path;

	if (se->se_family != AF_UNIX)
		return;
	path = bind_path(se);
	if (bind_file_ours(path) != NULL)
		(void)unlink(path);
	bind_file_forget(path);
}

/* Make the socket file, born with its mode, and remember it as ours. */
static int
bind_unix(struct servconf *se, int fd)
{
	const char		*path = bind_path(se);
	struct bind_file	*bf;
	struct stat		 st;
	mode_t			 omask;
	int			 r;

	if (bind_unix_safepath(se) == -1 || bind_unix_prepare(se) == -1)
		return -1;
	omask = umask(~se->se_sockmode & 0777);
	r = bind(fd, (struct sockaddr *)&se->se_ss, se->se_sslen);
	umask(omask);
	if (r == -1)
		return -1;
	if (lstat(path, &st) == -1 || !S_ISSOCK(st.st_mode))
		return -1;
	if ((bf = calloc(1, sizeof(*bf))) == NULL)
		fatal("calloc");
	strlcpy(bf->bf_path, path, sizeof(bf->bf_path));
	bf->bf_dev = st.st_dev;
	bf->bf_ino = st.st_ino;
	bind_file_forget(path);
	SLIST_INSERT_HEAD(&bind_files, bf, bf_entry);
	if (lchown(path, se->se_sockuid, se->se_sockgid) == -1) {
		bind_unlink(se);
		return -1;
	}
	return 0;
}

int
bind_service(struct servconf *se)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)&se->se_ss;
	int	 fd, on = 1;

	/* The listener never blocks; a wait program does. */
	fd = socket(se->se_family, se->se_socktype | SOCK_CLOEXEC |
	    (bind_blocking(se) ? 0 : SOCK_NONBLOCK), se->se_protocol);
	if (fd == -1) {
		log_warn("%s:%d: %s/%s: socket", se->se_file, se->se_line,
		    se->se_service, se->se_proto);
		return -1;
	}
	if (se->se_family == AF_UNIX) {
		if (bind_unix(se, fd) == -1)
			goto fail;
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
	if (bind_buffers(se, fd) == -1)
		goto fail;
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
