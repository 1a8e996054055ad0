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
 * The control sockets, served by the parent: it owns the configuration
 * and reload, and it is the one process both children answer to.  The
 * state a request asks about stays where it lives: the listener counts
 * and holds services, the spawner knows its programs; the parent asks
 * the one that knows and relays the answer, putting the names from its
 * own table on the listener's counts.  Nothing from the network comes
 * this way, and the listener cannot send a request: requests come only
 * from the sockets, root's (mode 0600, peer checked) and, with -r, a
 * read-only one for a group, which may only show.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

#define CONTROL_MAXCLIENTS	8	/* on each socket */

struct control_sock {
	const char	*cs_path;
	int		 cs_fd;
	int		 cs_readonly;
	int		 cs_nclients;
	struct event	 cs_ev;
};

struct control_client {
	TAILQ_ENTRY(control_client) cl_entry;
	struct chan	 cl_chan;
	struct control_sock *cl_sock;
	int		 cl_readonly;
	uint32_t	 cl_cmd;	/* in progress, or CTL_NONE */
	int		 cl_waiting;	/* children yet to answer */
	int		 cl_failed;	/* a child could not answer */
	uint32_t	 cl_gen;	/* show: the table asked about */
	int		 cl_stale;	/* a child has another table */
	int		 cl_reloading;	/* reload: its outcome to come */
	uint32_t	 cl_reloadgen;	/* then this generation in force */
	long long	 cl_count;	/* entries or programs acted on */
	char		 cl_service[CTL_MAXNAME];
};

/* A request relayed to a child, answered in order. */
struct control_wait {
	TAILQ_ENTRY(control_wait) w_entry;
	struct control_client	*w_client;	/* NULL: it left */
};
TAILQ_HEAD(control_waits, control_wait);

/*
 * An entry paused by inetdctl, by its service/protocol: the parent owns
 * the pause, so that it outlives a reload that moves the entry and a
 * restart of the listener, to which it is sent again.
 */
struct control_held {
	TAILQ_ENTRY(control_held) h_entry;
	char		 h_name[CTL_MAXNAME];
};

static struct {
	struct control_sock	 c_sock[2];
	TAILQ_HEAD(, control_client) c_clients;
	TAILQ_HEAD(, control_held) c_held;
	struct control_waits	 c_waits[ROLE_NPARENT];
	struct servconf		**c_byindex;	/* of the table in force */
	uint32_t		 c_nindex;
	uint32_t		 c_byindexgen;
} ctl;

static void	 control_accept(int, short, void *);
static int	 control_known(const char *);
static void	 control_dispatch(struct chan *, struct imsg *);
static void	 control_closed(struct chan *);
static void	 control_end(struct control_client *, int, const char *);

/*
 * Bind a socket, refusing to take one another inetd answers on, and
 * removing one left behind by an inetd that is gone.
 */
static int
control_bind(struct control_sock *cs, mode_t mode, gid_t gid)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, cs->cs_path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		errx(1, "control socket %s: path too long", cs->cs_path);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1)
		err(1, "control socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		errx(1, "control socket %s: another inetd answers on it",
		    cs->cs_path);
	/* Only a socket no one listens on is left behind. */
	if (errno == ECONNREFUSED) {
		if (unlink(cs->cs_path) == -1 && errno != ENOENT)
			err(1, "control socket %s", cs->cs_path);
	} else if (errno != ENOENT)
		err(1, "control socket %s", cs->cs_path);
	close(fd);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1)
		err(1, "control socket");
	old = umask(0777 & ~mode);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "control socket %s", cs->cs_path);
	umask(old);
	if (chown(cs->cs_path, 0, gid) == -1 ||
	    chmod(cs->cs_path, mode) == -1)
		err(1, "control socket %s", cs->cs_path);
	if (listen(fd, CONTROL_MAXCLIENTS) == -1)
		err(1, "control socket %s", cs->cs_path);
	cs->cs_fd = fd;
	return 0;
}

/* Before daemon(3): a socket that cannot be had stops inetd there. */
void
control_init(const char *path, const char *ropath, const char *group)
{
	gid_t		 gid;
	enum role	 r;
	int		 found;

	TAILQ_INIT(&ctl.c_clients);
	TAILQ_INIT(&ctl.c_held);
	for (r = 0; r < ROLE_NPARENT; r++)
		TAILQ_INIT(&ctl.c_waits[r]);
	ctl.c_sock[0].cs_fd = ctl.c_sock[1].cs_fd = -1;
	ctl.c_sock[0].cs_path = path;
	control_bind(&ctl.c_sock[0], 0600, 0);
	if (ropath == NULL)
		return;
	if ((found = names_getgrnam(group, &gid)) == -1)
		errx(1, "-g %s: %s", group, names_error());
	names_done();
	if (found == 0)
		errx(1, "-g %s: no such group", group);
	ctl.c_sock[1].cs_path = ropath;
	ctl.c_sock[1].cs_readonly = 1;
	control_bind(&ctl.c_sock[1], 0660, gid);
}

void
control_listen(void)
{
	size_t	 i;

	for (i = 0; i < nitems(ctl.c_sock); i++) {
		if (ctl.c_sock[i].cs_fd == -1)
			continue;
		event_set(&ctl.c_sock[i].cs_ev, ctl.c_sock[i].cs_fd,
		    EV_READ | EV_PERSIST, control_accept, &ctl.c_sock[i]);
		if (event_add(&ctl.c_sock[i].cs_ev, NULL) == -1)
			fatal("event_add");
	}
}

void
control_cleanup(void)
{
	size_t	 i;

	for (i = 0; i < nitems(ctl.c_sock); i++)
		if (ctl.c_sock[i].cs_fd != -1) {
			unlink(ctl.c_sock[i].cs_path);
			close(ctl.c_sock[i].cs_fd);
			ctl.c_sock[i].cs_fd = -1;
		}
}

static void
control_accept(int fd, short ev, void *arg)
{
	struct control_sock	*cs = arg;
	struct control_client	*cl;
	struct ucred		 cred;
	socklen_t		 len = sizeof(cred);
	int			 s;

	(void)ev;
	if ((s = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control socket: accept");
		return;
	}
	/* Root's socket is root's: its mode says so, and so does this. */
	if (!cs->cs_readonly && (getsockopt(s, SOL_SOCKET, SO_PEERCRED,
	    &cred, &len) == -1 || cred.uid != 0)) {
		log_warnx("control socket: refused a peer not root");
		close(s);
		return;
	}
	/* Each socket its own share: the group's cannot crowd out root. */
	if (cs->cs_nclients >= CONTROL_MAXCLIENTS) {
		log_warnx("control socket %s: %d clients already; refused "
		    "one", cs->cs_path, CONTROL_MAXCLIENTS);
		close(s);
		return;
	}
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		log_warn("calloc");
		close(s);
		return;
	}
	cl->cl_sock = cs;
	cl->cl_readonly = cs->cs_readonly;
	chan_init(&cl->cl_chan, s, "inetdctl", control_dispatch, cl);
	cl->cl_chan.ch_closed = control_closed;
	proc_event_chan(&cl->cl_chan);
	TAILQ_INSERT_TAIL(&ctl.c_clients, cl, cl_entry);
	cs->cs_nclients++;
}

/* The client has gone or broke the protocol: what it asked is dropped. */
static void
control_closed(struct chan *c)
{
	struct control_client	*cl = c->ch_arg;
	struct control_wait	*w;
	enum role		 r;

	for (r = 0; r < ROLE_NPARENT; r++)
		TAILQ_FOREACH(w, &ctl.c_waits[r], w_entry)
			if (w->w_client == cl)
				w->w_client = NULL;
	close(c->ch_fd);
	TAILQ_REMOVE(&ctl.c_clients, cl, cl_entry);
	cl->cl_sock->cs_nclients--;
	free(cl);
}

/*
 * Queue an answer.  A client that does not read is cut off, but not
 * here, where its answer may be one of many: the socket is shut down,
 * and the event loop ends the channel on its next turn.
 */
static void
control_send(struct control_client *cl, uint32_t type, const void *data,
    size_t len)
{
	struct chan	*c = &cl->cl_chan;

	if (c->ch_dead)
		return;
	if (chan_compose(c, type, -1, data, len) == -1 ||
	    chan_flush(c) == -1) {
		log_warnx("control socket: %s", c->ch_err != NULL ?
		    c->ch_err : "cannot queue an answer");
		c->ch_dead = 1;
		shutdown(c->ch_fd, SHUT_RDWR);
		return;
	}
	proc_event_update(c);
}

/* The last answer to a request; the client may ask another. */
static void
control_end(struct control_client *cl, int status, const char *text)
{
	struct ctl_end	*ce;

	if ((ce = calloc(1, sizeof(*ce))) == NULL)
		fatal("calloc");
	ce->ce_status = status;
	ce->ce_gen = parent_gen();
	strlcpy(ce->ce_text, text, sizeof(ce->ce_text));
	control_send(cl, IMSG_CTL_END, ce, sizeof(*ce));
	free(ce);
	cl->cl_cmd = CTL_NONE;
	cl->cl_waiting = cl->cl_failed = cl->cl_stale = 0;
	cl->cl_count = 0;
}

/*
 * Ask a child, for a client or (NULL) for the parent itself; the
 * answers come to control_child(), in order.
 */
static int
control_send_child(enum role r, uint32_t cmd, const char *service,
    struct control_client *cl)
{
	struct control_wait	*w;
	struct chan		*c;
	struct msg_ctl		 mct;

	if ((c = parent_chan(r)) == NULL)
		return -1;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal("calloc");
	memset(&mct, 0, sizeof(mct));
	mct.mct_version = CTL_VERSION;
	mct.mct_cmd = cmd;
	mct.mct_gen = parent_gen();
	mct.mct_index = CTL_ALL;
	strlcpy(mct.mct_service, service, sizeof(mct.mct_service));
	if (proc_compose(c, IMSG_CTL, -1, &mct, sizeof(mct)) == -1) {
		free(w);
		return -1;
	}
	w->w_client = cl;
	TAILQ_INSERT_TAIL(&ctl.c_waits[r], w, w_entry);
	return 0;
}

static int
control_ask(struct control_client *cl, enum role r)
{
	if (control_send_child(r, cl->cl_cmd, cl->cl_service, cl) == -1)
		return -1;
	cl->cl_waiting++;
	return 0;
}

/* Pause or resume: the entries held, by service/protocol. */
static void
control_hold(const char *name, int on)
{
	struct control_held	*h, *next;
	struct servconf		*se;
	char			 pair[CTL_MAXNAME];

	if (!on) {
		TAILQ_FOREACH_SAFE(h, &ctl.c_held, h_entry, next) {
			strlcpy(pair, h->h_name, sizeof(pair));
			*strrchr(pair, '/') = '\0';
			if (ctl_name_match(pair, strrchr(h->h_name, '/') + 1,
			    name)) {
				TAILQ_REMOVE(&ctl.c_held, h, h_entry);
				free(h);
			}
		}
		return;
	}
	TAILQ_FOREACH(se, &parent_conf()->c_services, se_entry) {
		if (se->se_mux || !ctl_name_match(se->se_service,
		    se->se_proto, name))
			continue;
		snprintf(pair, sizeof(pair), "%s/%s", se->se_service,
		    se->se_proto);
		TAILQ_FOREACH(h, &ctl.c_held, h_entry)
			if (strcmp(h->h_name, pair) == 0)
				break;
		if (h != NULL)
			continue;
		if ((h = calloc(1, sizeof(*h))) == NULL)
			fatal("calloc");
		strlcpy(h->h_name, pair, sizeof(h->h_name));
		TAILQ_INSERT_TAIL(&ctl.c_held, h, h_entry);
	}
}

/*
 * A generation is in force in the listener: what inetdctl paused is
 * held there again (after a restart, or by an entry with a new socket);
 * entries no longer in the table are forgotten.
 */
static void
control_hold_again(void)
{
	struct control_held	*h, *next;

	TAILQ_FOREACH_SAFE(h, &ctl.c_held, h_entry, next) {
		if (!control_known(h->h_name)) {
			TAILQ_REMOVE(&ctl.c_held, h, h_entry);
			free(h);
			continue;
		}
		control_send_child(ROLE_LISTENER, CTL_PAUSE, h->h_name, NULL);
	}
}

/* The entry of the table in force at an index, or NULL. */
static struct servconf *
control_entry(uint32_t index)
{
	struct conf	*c = parent_conf();
	struct servconf	*se;

	if (ctl.c_byindex == NULL || ctl.c_byindexgen != parent_gen()) {
		free(ctl.c_byindex);
		if ((ctl.c_byindex = calloc(c->c_count + 1,
		    sizeof(*ctl.c_byindex))) == NULL)
			fatal("calloc");
		ctl.c_nindex = c->c_count;
		TAILQ_FOREACH(se, &c->c_services, se_entry)
			if (se->se_index < ctl.c_nindex)
				ctl.c_byindex[se->se_index] = se;
		ctl.c_byindexgen = parent_gen();
	}
	return index < ctl.c_nindex ? ctl.c_byindex[index] : NULL;
}

/* Names, address and program of an entry, from the parent's own table. */
static void
control_describe(struct ctl_service *cs, const struct servconf *se)
{
	snprintf(cs->cs_name, sizeof(cs->cs_name), "%s/%s", se->se_service,
	    se->se_proto);
	if (se->se_mux)
		strlcpy(cs->cs_addr, "tcpmux", sizeof(cs->cs_addr));
	else if (se->se_family == AF_UNIX)
		strlcpy(cs->cs_addr, se->se_service, sizeof(cs->cs_addr));
	else
		snprintf(cs->cs_addr, sizeof(cs->cs_addr),
		    se->se_family == AF_INET6 ? "[%s]:%d" : "%s:%d",
		    se->se_host[0] != '\0' ? se->se_host :
		    (se->se_family == AF_INET6 ? "::" : "*"), se->se_port);
	strlcpy(cs->cs_program, se->se_builtin != BI_NONE ? "internal" :
	    se->se_program, sizeof(cs->cs_program));
	strlcpy(cs->cs_user, se->se_user, sizeof(cs->cs_user));
}

/* The entries the listener does not hold: unbound, or off in the file. */
static void
control_show_parents(struct control_client *cl)
{
	struct conf		*c = parent_conf();
	struct servconf		*se;
	struct ctl_service	 cs;

	TAILQ_FOREACH(se, &c->c_services, se_entry) {
		if (se->se_fd != -1 || se->se_mux)
			continue;
		memset(&cs, 0, sizeof(cs));
		cs.cs_index = se->se_index;
		cs.cs_gen = parent_gen();
		cs.cs_state = CTL_NOTLISTENING;
		control_describe(&cs, se);
		control_send(cl, IMSG_CTL_SERVICE, &cs, sizeof(cs));
	}
	TAILQ_FOREACH(se, &c->c_disabled, se_entry) {
		memset(&cs, 0, sizeof(cs));
		cs.cs_index = CTL_ALL;
		cs.cs_gen = parent_gen();
		cs.cs_state = CTL_DISABLED;
		control_describe(&cs, se);
		if (se->se_family != AF_UNIX)
			strlcpy(cs.cs_addr, "-", sizeof(cs.cs_addr));
		control_send(cl, IMSG_CTL_SERVICE, &cs, sizeof(cs));
	}
}

/* Whether a name stands for an entry of the table in force. */
static int
control_known(const char *name)
{
	struct servconf	*se;

	TAILQ_FOREACH(se, &parent_conf()->c_services, se_entry)
		if (ctl_name_match(se->se_service, se->se_proto, name))
			return 1;
	return 0;
}

static void
control_request(struct control_client *cl, struct imsg *im)
{
	struct msg_ctl	 mct;
	char		 text[CTL_MAXNAME + 64];
	int		 asked = 0;

	if (proc_take_ctl(&cl->cl_chan, im, &mct) == -1)
		return;
	if (cl->cl_cmd != CTL_NONE || !TAILQ_EMPTY(&cl->cl_chan.ch_out)) {
		proc_protocol_error(&cl->cl_chan, im,
		    "a request before the last was answered and read");
		return;
	}
	cl->cl_cmd = mct.mct_cmd;
	strlcpy(cl->cl_service, mct.mct_service, sizeof(cl->cl_service));
	if (cl->cl_readonly && mct.mct_cmd != CTL_SHOW_SERVICES &&
	    mct.mct_cmd != CTL_SHOW_CONNECTIONS) {
		control_end(cl, 1, "not allowed on the read-only socket");
		return;
	}
	switch (mct.mct_cmd) {
	case CTL_SHOW_SERVICES:
		cl->cl_gen = parent_gen();
		asked = control_ask(cl, ROLE_LISTENER) == 0;
		break;
	case CTL_SHOW_CONNECTIONS:
		asked = control_ask(cl, ROLE_SPAWNER) == 0;
		break;
	case CTL_PAUSE:
	case CTL_RESUME:
		if (!control_known(mct.mct_service)) {
			snprintf(text, sizeof(text), "no service %s",
			    mct.mct_service);
			control_end(cl, 1, text);
			return;
		}
		log_info("inetdctl: %s %s", mct.mct_cmd == CTL_PAUSE ?
		    "pause" : "resume", mct.mct_service);
		control_hold(mct.mct_service, mct.mct_cmd == CTL_PAUSE);
		asked = control_ask(cl, ROLE_LISTENER) == 0;
		break;
	case CTL_KILL:
		/* Programs of an entry a reload removed may still run. */
		log_info("inetdctl: kill %s", mct.mct_service);
		asked = control_ask(cl, ROLE_SPAWNER) == 0;
		break;
	case CTL_LOG_BRIEF:
	case CTL_LOG_VERBOSE:
		parent_set_verbose(mct.mct_cmd == CTL_LOG_VERBOSE);
		log_info("inetdctl: log %s", mct.mct_cmd == CTL_LOG_VERBOSE ?
		    "verbose" : "brief");
		asked = control_ask(cl, ROLE_LISTENER) == 0;
		asked += control_ask(cl, ROLE_SPAWNER) == 0;
		break;
	case CTL_RELOAD:
		log_info("inetdctl: reload");
		cl->cl_reloading = 1;
		parent_ctl_reload();
		return;
	}
	if (!asked)
		control_end(cl, CTL_BUSY, "inetd is restarting its processes; "
		    "try again");
}

static void
control_dispatch(struct chan *c, struct imsg *im)
{
	switch (im->hdr.type) {
	case IMSG_CTL:
		control_request(c->ch_arg, im);
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

/* Every child asked has answered: the client's last message. */
static void
control_done(struct control_client *cl)
{
	char	 text[CTL_MAXNAME + 64];

	if (cl->cl_failed) {
		control_end(cl, CTL_BUSY, "inetd is restarting its processes; "
		    "try again");
		return;
	}
	if (cl->cl_stale) {
		control_end(cl, CTL_BUSY, "a reload is in progress; try again");
		return;
	}
	switch (cl->cl_cmd) {
	case CTL_SHOW_SERVICES:
		control_show_parents(cl);
		control_end(cl, 0, "");
		return;
	case CTL_PAUSE:
	case CTL_RESUME:
		if (cl->cl_count == 0) {
			snprintf(text, sizeof(text), "%s: no entry to %s (a "
			    "tcpmux name, or not listening)", cl->cl_service,
			    cl->cl_cmd == CTL_PAUSE ? "pause" : "resume");
			control_end(cl, 1, text);
			return;
		}
		snprintf(text, sizeof(text), "%s: %lld %s %s", cl->cl_service,
		    cl->cl_count, cl->cl_count == 1 ? "entry" : "entries",
		    cl->cl_cmd == CTL_PAUSE ? "paused" : "resumed");
		control_end(cl, 0, text);
		return;
	case CTL_KILL:
		if (cl->cl_count == 0 && !control_known(cl->cl_service)) {
			snprintf(text, sizeof(text), "no service %s",
			    cl->cl_service);
			control_end(cl, 1, text);
			return;
		}
		snprintf(text, sizeof(text), "%s: %lld %s sent SIGTERM",
		    cl->cl_service, cl->cl_count, cl->cl_count == 1 ?
		    "program" : "programs");
		control_end(cl, 0, text);
		return;
	default:
		control_end(cl, 0, "");
		return;
	}
}

/* An answer from the listener (counts) or the spawner (programs). */
int
control_child(enum role r, struct chan *c, struct imsg *im)
{
	struct control_wait	*w;
	struct control_client	*cl;
	struct ctl_service	 cs;
	struct ctl_conn		 cn;
	struct ctl_end		 ce;
	struct servconf		*se;
	const char		*errstr;
	long long		 n;

	if ((w = TAILQ_FIRST(&ctl.c_waits[r])) == NULL) {
		proc_protocol_error(c, im, "control answer unasked");
		return -1;
	}
	cl = w->w_client;
	switch (im->hdr.type) {
	case IMSG_CTL_SERVICE:
		if (r != ROLE_LISTENER || im->datalen != sizeof(cs) ||
		    (cl != NULL && cl->cl_cmd != CTL_SHOW_SERVICES)) {
			proc_protocol_error(c, im, "bad control answer");
			return -1;
		}
		memcpy(&cs, im->data, sizeof(cs));
		if (cs.cs_state >= CTL_NSTATES) {
			proc_protocol_error(c, im, "bad control answer");
			return -1;
		}
		if (cl == NULL)
			return 0;
		if (cl->cl_stale || cs.cs_gen != cl->cl_gen ||
		    cl->cl_gen != parent_gen()) {
			cl->cl_stale = 1;
			return 0;
		}
		if ((se = control_entry(cs.cs_index)) == NULL) {
			proc_protocol_error(c, im, "control answer: index");
			return -1;
		}
		control_describe(&cs, se);
		control_send(cl, IMSG_CTL_SERVICE, &cs, sizeof(cs));
		return 0;
	case IMSG_CTL_CONN:
		if (r != ROLE_SPAWNER || im->datalen != sizeof(cn) ||
		    (cl != NULL && cl->cl_cmd != CTL_SHOW_CONNECTIONS)) {
			proc_protocol_error(c, im, "bad control answer");
			return -1;
		}
		memcpy(&cn, im->data, sizeof(cn));
		cn.cn_name[sizeof(cn.cn_name) - 1] = '\0';
		cn.cn_peer[sizeof(cn.cn_peer) - 1] = '\0';
		cn.cn_user[sizeof(cn.cn_user) - 1] = '\0';
		if (cl != NULL)
			control_send(cl, IMSG_CTL_CONN, &cn, sizeof(cn));
		return 0;
	case IMSG_CTL_END:
		if (im->datalen != sizeof(ce)) {
			proc_protocol_error(c, im, "bad control answer");
			return -1;
		}
		memcpy(&ce, im->data, sizeof(ce));
		ce.ce_text[sizeof(ce.ce_text) - 1] = '\0';
		if (ce.ce_status != 0 && ce.ce_status != CTL_BUSY) {
			proc_protocol_error(c, im, "bad control answer");
			return -1;
		}
		TAILQ_REMOVE(&ctl.c_waits[r], w, w_entry);
		free(w);
		if (cl == NULL)
			return 0;
		if (ce.ce_status == CTL_BUSY)
			cl->cl_stale = 1;
		if (ce.ce_text[0] != '\0') {
			n = strtonum(ce.ce_text, 0, INT32_MAX, &errstr);
			if (errstr != NULL) {
				proc_protocol_error(c, im,
				    "bad control answer");
				return -1;
			}
			cl->cl_count += n;
		}
		if (--cl->cl_waiting == 0)
			control_done(cl);
		return 0;
	}
	proc_protocol_error(c, im, "unexpected message");
	return -1;
}

/* A child is gone: what it was asked will not be answered. */
void
control_child_gone(enum role r)
{
	struct control_wait	*w;
	struct control_client	*cl;

	while ((w = TAILQ_FIRST(&ctl.c_waits[r])) != NULL) {
		TAILQ_REMOVE(&ctl.c_waits[r], w, w_entry);
		if ((cl = w->w_client) != NULL) {
			cl->cl_failed = 1;
			if (--cl->cl_waiting == 0)
				control_done(cl);
		}
		free(w);
	}
}

/*
 * A reload has been tried (by inetdctl or a signal): those who asked for
 * one learn that it failed, with the lines that say why, or wait for the
 * listener to have the new generation.
 */
void
control_reloaded(int ok, uint32_t gen, const char *errors)
{
	struct control_client	*cl;
	char			*text;

	TAILQ_FOREACH(cl, &ctl.c_clients, cl_entry) {
		if (!cl->cl_reloading)
			continue;
		cl->cl_reloading = 0;
		if (ok) {
			cl->cl_reloadgen = gen;
			continue;
		}
		if (asprintf(&text, "%sreload failed; generation %u stays in "
		    "force", errors, gen) == -1)
			fatal("asprintf");
		control_end(cl, 1, text);
		free(text);
	}
}

/* The listener has a generation: it is in force. */
void
control_in_force(uint32_t gen)
{
	struct control_client	*cl;
	char			 text[64];

	control_hold_again();
	TAILQ_FOREACH(cl, &ctl.c_clients, cl_entry) {
		if (cl->cl_reloadgen == 0 || gen < cl->cl_reloadgen)
			continue;
		cl->cl_reloadgen = 0;
		snprintf(text, sizeof(text), "generation %u in force", gen);
		control_end(cl, 0, text);
	}
}
