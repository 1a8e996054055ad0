/*
 * tcpmux (RFC 1078), in the listener: read the service name the client
 * sends, then hand the connection to the spawner for that service, which
 * runs it as its own configured user like any other.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

#define TCPMUX_TIMEOUT	10	/* seconds to send the name */
#define TCPMUX_MAXCONN	64	/* reading a name at once */

struct tcpmux_conn {
	int		 tc_fd;
	struct event	 tc_ev;
	size_t		 tc_len;
	char		 tc_buf[CONF_MAXMUXNAME + 3];	/* name CR LF */
};

static int	 tcpmux_nconn;

static void
tcpmux_close(struct tcpmux_conn *tc)
{
	event_del(&tc->tc_ev);
	if (tc->tc_fd != -1)
		close(tc->tc_fd);
	free(tc);
	tcpmux_nconn--;
}

/* Best effort: a short reply to a socket with room in its buffer. */
static void
tcpmux_say(int fd, const char *s)
{
	(void)send(fd, s, strlen(s), MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void
tcpmux_help_one(const char *name, void *arg)
{
	int	 fd = *(int *)arg;
	char	 line[CONF_MAXMUXNAME + 3];

	snprintf(line, sizeof(line), "%s\r\n", name);
	tcpmux_say(fd, line);
}

static void
tcpmux_line(struct tcpmux_conn *tc, char *name)
{
	struct servconf	*se;
	int		 fl;

	if (strcasecmp(name, "help") == 0) {
		listener_mux_list(tcpmux_help_one, &tc->tc_fd);
		return;
	}
	if ((se = listener_mux_find(name)) == NULL) {
		tcpmux_say(tc->tc_fd, "-Service not available\r\n");
		return;
	}
	/* The service gets a blocking socket, as from accept(2). */
	if ((fl = fcntl(tc->tc_fd, F_GETFL)) == -1 ||
	    fcntl(tc->tc_fd, F_SETFL, fl & ~O_NONBLOCK) == -1)
		return;
	if (se->se_mux == 2)
		tcpmux_say(tc->tc_fd, "+Go\r\n");
	listener_mux_spawn(se, tc->tc_fd);
	tc->tc_fd = -1;
}

static void
tcpmux_read(int fd, short ev, void *arg)
{
	struct tcpmux_conn	*tc = arg;
	ssize_t			 n;
	char			*eol;
	size_t			 i;

	if (ev & EV_TIMEOUT) {
		tcpmux_close(tc);
		return;
	}
	n = read(fd, tc->tc_buf + tc->tc_len,
	    sizeof(tc->tc_buf) - 1 - tc->tc_len);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		tcpmux_close(tc);
		return;
	}
	tc->tc_len += n;
	tc->tc_buf[tc->tc_len] = '\0';
	if ((eol = memchr(tc->tc_buf, '\n', tc->tc_len)) == NULL) {
		if (tc->tc_len == sizeof(tc->tc_buf) - 1) {
			tcpmux_say(fd, "-Service name too long\r\n");
			tcpmux_close(tc);
		}
		return;
	}
	*eol = '\0';
	if (eol > tc->tc_buf && eol[-1] == '\r')
		eol[-1] = '\0';
	for (i = 0; tc->tc_buf[i] != '\0'; i++)
		if (!isgraph((unsigned char)tc->tc_buf[i])) {
			tcpmux_say(fd, "-Bad service name\r\n");
			tcpmux_close(tc);
			return;
		}
	tcpmux_line(tc, tc->tc_buf);
	tcpmux_close(tc);
}

void
tcpmux_accept(struct servconf *se, int fd)
{
	struct tcpmux_conn	*tc;
	struct timeval		 tv = { TCPMUX_TIMEOUT, 0 };

	(void)se;
	if (tcpmux_nconn >= TCPMUX_MAXCONN ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
	    (tc = calloc(1, sizeof(*tc))) == NULL) {
		close(fd);
		return;
	}
	tcpmux_nconn++;
	tc->tc_fd = fd;
	event_set(&tc->tc_ev, fd, EV_READ | EV_PERSIST, tcpmux_read, tc);
	event_add(&tc->tc_ev, &tv);
}
