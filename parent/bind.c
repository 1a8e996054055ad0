/*
 * Listening sockets.  Only the parent binds; the listener gets the
 * descriptors over its channel.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

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
	return 0;
 fail:
	log_warn("%s:%d: %s/%s: cannot reuse the socket", se->se_file,
	    se->se_line, se->se_service, se->se_proto);
	return -1;
}

int
bind_service(struct servconf *se)
{
	int	 fd, on = 1;

	/* The listener never blocks; a wait program does. */
	fd = socket(se->se_family, se->se_socktype | SOCK_CLOEXEC |
	    (bind_blocking(se) ? 0 : SOCK_NONBLOCK), se->se_protocol);
	if (fd == -1) {
		log_warn("%s:%d: %s/%s: socket", se->se_file, se->se_line,
		    se->se_service, se->se_proto);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		goto fail;
	/* Set explicitly: the system default may say otherwise. */
	if (se->se_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &se->se_v6only, sizeof(se->se_v6only)) == -1)
		goto fail;
	if (bind(fd, (struct sockaddr *)&se->se_ss, se->se_sslen) == -1)
		goto fail;
	if (se->se_socktype == SOCK_STREAM &&
	    listen(fd, se->se_backlog) == -1)
		goto fail;
	se->se_fd = fd;
	return 0;
 fail:
	log_warn("%s:%d: %s/%s: cannot listen on port %d", se->se_file,
	    se->se_line, se->se_service, se->se_proto, se->se_port);
	close(fd);
	return -1;
}
