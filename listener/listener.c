/*
 * The listener: the only process that touches network input.  It runs as
 * _inetd in an empty chroot, accepts connections, keeps the counters and
 * hands each connection to the spawner.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/prctl.h>

#include <errno.h>
#include <event.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

#define LISTENER_MAXQUEUE	1024	/* spawn requests not yet sent */
#define LISTENER_ACCEPTS	32	/* per wake-up, per socket */

struct lservice {
	struct event	 ls_ev;
	int		 ls_armed;
	int		 ls_live;	/* children running */
};

static struct {
	struct chan	 l_parent;
	struct chan	 l_spawner;
	int		 l_havespawner;
	int		 l_init;
	struct conf	*l_conf;	/* in force */
	struct conf	*l_next;	/* being received */
	struct servconf	**l_byindex;
	uint32_t	 l_nindex;
	struct event	 l_resume;	/* accept paused: queue full */
	int		 l_blocked;
} lst;

static void	 listener_dispatch_parent(struct chan *, struct imsg *);
static void	 listener_dispatch_spawner(struct chan *, struct imsg *);
static void	 listener_accept(int, short, void *);

static __dead void
listener_chan_closed(struct chan *c)
{
	fatalx("channel to %s closed", c->ch_peer);
}

static void
listener_drop(const struct msg_init *mi)
{
	uid_t	 r, e, s;
	gid_t	 gr, ge, gs;

	if (mi->mi_uid == 0)
		fatalx("refusing to run the listener as root");
	if (chroot(INETD_CHROOT) == -1)
		fatal("chroot %s", INETD_CHROOT);
	if (chdir("/") == -1)
		fatal("chdir /");
	if (setgroups(1, &mi->mi_gid) == -1)
		fatal("setgroups");
	if (setresgid(mi->mi_gid, mi->mi_gid, mi->mi_gid) == -1)
		fatal("setresgid");
	if (setresuid(mi->mi_uid, mi->mi_uid, mi->mi_uid) == -1)
		fatal("setresuid");
	if (getresuid(&r, &e, &s) == -1 || r != mi->mi_uid ||
	    e != mi->mi_uid || s != mi->mi_uid ||
	    getresgid(&gr, &ge, &gs) == -1 || gr != mi->mi_gid ||
	    ge != mi->mi_gid || gs != mi->mi_gid)
		fatalx("privileges not dropped");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("no-new-privs");
}

static struct lservice *
lservice(struct servconf *se)
{
	return se->se_priv;
}

static void
listener_arm(struct servconf *se)
{
	struct lservice	*ls = lservice(se);

	if (ls->ls_armed || se->se_fd == -1)
		return;
	event_set(&ls->ls_ev, se->se_fd, EV_READ | EV_PERSIST,
	    listener_accept, se);
	if (event_add(&ls->ls_ev, NULL) == -1)
		fatal("event_add");
	ls->ls_armed = 1;
}

static void
listener_disarm(struct servconf *se)
{
	struct lservice	*ls = lservice(se);

	if (!ls->ls_armed)
		return;
	event_del(&ls->ls_ev);
	ls->ls_armed = 0;
}

/* Ask the spawner to run the service for this connection. */
static void
listener_spawn(struct servconf *se, int fd)
{
	struct msg_spawn	 ms;

	memset(&ms, 0, sizeof(ms));
	ms.ms_index = se->se_index;
	ms.ms_gen = lst.l_conf->c_gen;
	if (proc_compose(&lst.l_spawner, IMSG_SPAWN, fd, &ms,
	    sizeof(ms)) == -1)
		fatalx("cannot reach the spawner");
}

static void
listener_resume(int fd, short ev, void *arg)
{
	struct servconf	*se;

	(void)fd;
	(void)ev;
	(void)arg;
	if (lst.l_spawner.ch_queued >= LISTENER_MAXQUEUE) {
		struct timeval tv = { 0, 10000 };

		evtimer_add(&lst.l_resume, &tv);
		return;
	}
	lst.l_blocked = 0;
	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
		listener_arm(se);
}

static void
listener_accept(int fd, short ev, void *arg)
{
	struct servconf	*se = arg;
	int		 s, i;
	struct timeval	 tv = { 0, 10000 };

	(void)ev;
	for (i = 0; i < LISTENER_ACCEPTS; i++) {
		if (lst.l_spawner.ch_queued >= LISTENER_MAXQUEUE) {
			/* The spawner is behind: let the backlog hold. */
			TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
				listener_disarm(se);
			lst.l_blocked = 1;
			evtimer_add(&lst.l_resume, &tv);
			return;
		}
		s = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (s == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR || errno == ECONNABORTED)
				return;
			if (errno == EMFILE || errno == ENFILE) {
				log_warn("%s/%s: accept", se->se_service,
				    se->se_proto);
				listener_disarm(se);
				lst.l_blocked = 1;
				evtimer_add(&lst.l_resume, &tv);
				return;
			}
			log_warn("%s/%s: accept", se->se_service,
			    se->se_proto);
			return;
		}
		listener_spawn(se, s);
	}
}

static void
listener_conf_end(const struct msg_confend *mce)
{
	struct servconf	*se;
	struct conf	*old = lst.l_conf;

	if (mce->mce_count > CONF_MAXSERVICES)
		fatalx("bad service count");
	lst.l_next->c_gen = mce->mce_gen;
	lst.l_next->c_count = mce->mce_count;
	if (old != NULL) {
		TAILQ_FOREACH(se, &old->c_services, se_entry) {
			listener_disarm(se);
			free(se->se_priv);
			se->se_priv = NULL;
		}
		conf_free(old);
	}
	lst.l_conf = lst.l_next;
	lst.l_next = NULL;
	free(lst.l_byindex);
	if ((lst.l_byindex = calloc(mce->mce_count ? mce->mce_count : 1,
	    sizeof(*lst.l_byindex))) == NULL)
		fatal("calloc");
	lst.l_nindex = mce->mce_count;
	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry) {
		if (se->se_index >= lst.l_nindex ||
		    lst.l_byindex[se->se_index] != NULL)
			fatalx("bad service index from parent");
		lst.l_byindex[se->se_index] = se;
		if (!lst.l_blocked)
			listener_arm(se);
	}
	log_debug("listener: generation %u in force", lst.l_conf->c_gen);
}

static void
listener_dispatch_parent(struct chan *c, struct imsg *im)
{
	struct msg_init		 mi;
	struct msg_confend	 mce;
	struct servconf		*se;
	int			 type;

	if (!lst.l_init && im->hdr.type != IMSG_INIT) {
		proc_protocol_error(c, im, "expected init");
		return;
	}
	switch (im->hdr.type) {
	case IMSG_INIT:
		if (lst.l_init || im->datalen != sizeof(mi)) {
			proc_protocol_error(c, im, "bad init");
			return;
		}
		memcpy(&mi, im->data, sizeof(mi));
		log_setverbose(mi.mi_verbose);
		listener_drop(&mi);
		lst.l_init = 1;
		break;
	case IMSG_PEER:
		if (lst.l_havespawner) {
			proc_protocol_error(c, im, "second peer");
			return;
		}
		chan_init(&lst.l_spawner, im->fd, "spawner",
		    listener_dispatch_spawner, NULL);
		lst.l_spawner.ch_closed = listener_chan_closed;
		proc_event_chan(&lst.l_spawner);
		lst.l_havespawner = 1;
		break;
	case IMSG_SERVICE:
		if (im->fd == -1 || (se = servconf_unpack(im,
		    ROLE_LISTENER)) == NULL) {
			proc_protocol_error(c, im, "bad service entry");
			return;
		}
		se->se_fd = im->fd;
		/* The descriptor must be what the entry says it is. */
		{
			socklen_t	 len = sizeof(type);

			if (getsockopt(se->se_fd, SOL_SOCKET, SO_TYPE, &type,
			    &len) == -1 || type != se->se_socktype) {
				servconf_free(se);
				proc_protocol_error(c, NULL,
				    "service socket of the wrong type");
				return;
			}
		}
		if ((se->se_priv = calloc(1, sizeof(struct lservice))) ==
		    NULL)
			fatal("calloc");
		if (lst.l_next == NULL)
			lst.l_next = conf_new();
		TAILQ_INSERT_TAIL(&lst.l_next->c_services, se, se_entry);
		break;
	case IMSG_CONF_END:
		if (im->datalen != sizeof(mce)) {
			proc_protocol_error(c, im, "bad config end");
			return;
		}
		memcpy(&mce, im->data, sizeof(mce));
		if (lst.l_next == NULL)
			lst.l_next = conf_new();
		listener_conf_end(&mce);
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

static struct servconf *
listener_child_service(struct chan *c, struct imsg *im, struct msg_child *mc)
{
	if (im->datalen != sizeof(*mc)) {
		proc_protocol_error(c, im, "bad child report");
		return NULL;
	}
	memcpy(mc, im->data, sizeof(*mc));
	/* Reports of an older generation concern entries now gone. */
	if (lst.l_conf == NULL || mc->mc_gen != lst.l_conf->c_gen)
		return NULL;
	if (mc->mc_index >= lst.l_nindex) {
		proc_protocol_error(c, im, "child report: bad index");
		return NULL;
	}
	return lst.l_byindex[mc->mc_index];
}

static void
listener_dispatch_spawner(struct chan *c, struct imsg *im)
{
	struct msg_child	 mc;
	struct servconf		*se;
	struct lservice		*ls;

	switch (im->hdr.type) {
	case IMSG_CHILD_START:
		if ((se = listener_child_service(c, im, &mc)) == NULL)
			return;
		ls = lservice(se);
		ls->ls_live++;
		break;
	case IMSG_CHILD_EXIT:
		if ((se = listener_child_service(c, im, &mc)) == NULL)
			return;
		ls = lservice(se);
		if (ls->ls_live > 0)
			ls->ls_live--;
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

__dead void
listener_main(void)
{
	log_init(1, 0);
	setproctitle("listener");
	log_setname("listener");
	event_init();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	chan_init(&lst.l_parent, INETD_CHANFD, "parent",
	    listener_dispatch_parent, NULL);
	lst.l_parent.ch_closed = listener_chan_closed;
	log_setchan(&lst.l_parent);
	proc_event_chan(&lst.l_parent);
	evtimer_set(&lst.l_resume, listener_resume, NULL);
	event_dispatch();
	fatalx("event loop ended");
}
