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
 * The listener: the only process that touches network input.  It runs as
 * _inetd in an empty chroot, accepts connections, applies the limits,
 * serves the built-in services and hands everything else to the spawner.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inetd.h"

#define LISTENER_MAXQUEUE	1024	/* spawn requests not yet sent */
#define LISTENER_AHEAD		8	/* of one service, asked for and not
					   yet started */
#define LISTENER_BEHINDMAX	15	/* seconds without word of them */
#define LISTENER_ACCEPTS	32	/* per wake-up, per socket */
#define LISTENER_PEEK		64	/* bytes of a datagram remembered */
#define LISTENER_READCHECK	10000	/* usec between looks: read yet? */
#define LISTENER_RETRY		10000	/* usec before accepting again */
#define LISTENER_REFUSE_SLOTS	64	/* sources the refusal log remembers */
#define LISTENER_REFUSE_PERIOD	10	/* seconds per line per source */
#define LISTENER_REFUSE_LINES	32	/* first lines per period, in all */
static const char ACL_WHY[] = "access list";
#define LISTENER_LOGEVERY	10	/* seconds between lines of a kind */

/*
 * Connections refused for one reason: the first refusal is logged at
 * once, later ones at most every LISTENER_LOGEVERY seconds as a count,
 * so that a flood of connections cannot flood the log.
 */
struct lnotice {
	struct event		 ln_timer;
	const struct servconf	*ln_se;		/* NULL: not one service's */
	const char		*ln_why;
	time_t			 ln_last;	/* a line logged, monotonic */
	unsigned int		 ln_count;	/* refused since, unlogged */
};

/*
 * A datagram entry's watch on the datagram its program was started for:
 * once that one is no longer first in line, the program has read it.
 * Datagram entries only, so that a stream entry does not carry it.
 */
struct ldgram {
	struct event		 ld_readtimer;	/* has it read it yet? */
	struct sockaddr_storage	 ld_from;
	socklen_t		 ld_fromlen;
	ssize_t			 ld_len;	/* -1: no datagram handed */
	u_char			 ld_peek[LISTENER_PEEK];
};

struct lservice {
	struct servconf	*ls_se;
	struct event	 ls_ev;
	struct event	 ls_pausetimer;
	int		 ls_armed;
	int		 ls_paused;	/* over its rate, until ls_until */
	int		 ls_held;	/* paused by inetdctl */
	time_t		 ls_until;
	int		 ls_waiting;	/* a wait service's child runs, or a
					   dgram nowait one has not read */
	pid_t		 ls_waitpid;	/* that dgram nowait child, once known */
	struct ldgram	*ls_dgram;	/* SOCK_DGRAM entries: ldgram */
	int		 ls_full;	/* max-child reached */
	struct lnotice	 ls_fullnote;	/* refused at max-child */
	struct lnotice	 ls_pausenote;	/* refused while paused */
	int		 ls_moved;	/* its socket went to the next table */
	int		 ls_broken;	/* its socket no longer listens */
	struct servconf	*ls_succ;	/* the entry that has it now */
	int		 ls_live;	/* children asked for and running */
	int		 ls_ahead;	/* asked for, not started or refused */
	int		 ls_behind;	/* LISTENER_AHEAD reached: disarmed */
	struct event	 ls_behindtimer;	/* no word for that long */
	time_t		 ls_window;	/* start of the rate period */
	int		 ls_spawns;	/* in this period */
	struct ctl_counters ls_count;	/* inetdctl show; kept on reload */
	int		 ls_pending;	/* PROXY headers being read */
	int		 ls_gone;	/* its table is being freed */
	uint32_t	 ls_srcid;	/* per-source table: kept on reload */
};

/* A source refused lately, for a bounded log. */
struct lrefusal {
	char		 lr_service[CONF_MAXNAME + 20];	/* service/proto */
	char		 lr_peer[INET6_ADDRSTRLEN + 32];
	const char	*lr_why;
	time_t		 lr_since;	/* its last line */
	uint32_t	 lr_count;	/* refused since, not in a line yet */
	int		 lr_used;
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
	/* Successors of the last table's entries, for its late reports. */
	struct servconf	**l_prevsucc;
	uint32_t	 l_prevn;
	uint32_t	 l_prevgen;
	struct event	 l_resume;	/* accept paused: queue full */
	struct event	 l_recordev;	/* the built-ins' counts */
	time_t		 l_recordsince;
	int		 l_blocked;
	uint32_t	 l_srcids;	/* per-source: the last id given */
	/* Refusals by access lists, logged at a bounded rate. */
	struct lrefusal	 l_refusals[LISTENER_REFUSE_SLOTS];
	struct event	 l_refusetimer;
	int		 l_refusearmed;
	time_t		 l_refusewindow;
	int		 l_refuselines;	/* first lines in this window */
	uint32_t	 l_refuseother;	/* refusals past those, not logged */
	int		 l_maxchild;	/* -c: programs running at once */
	int		 l_live;	/* asked for and not yet exited */
	int		 l_ceiling;	/* l_maxchild reached */
	time_t		 l_ceilinglog;	/* when that was last logged */
	int		 l_spare;	/* given up to refuse without fds */
	struct lnotice	 l_fdnote;	/* refused for want of them */
} lst;

static void	 listener_dispatch_parent(struct chan *, struct imsg *);
static void	 listener_dispatch_spawner(struct chan *, struct imsg *);
static void	 listener_ready(int, short, void *);
static void	 listener_dgram_watch(struct servconf *);
static void	 listener_dgram_read(int, short, void *);
static void	 listener_handover(struct servconf *);
static void	 listener_behind_timeout(int, short, void *);
static void	 listener_mux_carry(struct conf *, struct conf *);
static time_t	 listener_now(void);
static void	 listener_refuse_timer(int, short, void *);
static int	 listener_acl_conn(struct servconf *, int,
		    const struct sockaddr_storage *, socklen_t);
static int	 listener_source_conn(struct servconf *, int,
		    const struct sockaddr_storage *, socklen_t, uint32_t *);
static int	 listener_source_ok(struct servconf *,
		    const struct sockaddr_storage *, socklen_t, uint32_t *);
static int	 listener_take(struct servconf *, int,
		    const struct sockaddr_storage *, socklen_t,
		    const struct msg_proxy *);
static int	 listener_spare(void);

static const struct timeval listener_recordevery = { LISTENER_LOGEVERY, 0 };
static void	 listener_records(struct conf *);
static struct lservice *listener_service(struct servconf *);

/* How long accepting rests when the spawner is behind or fds are out. */
static const struct timeval listener_retry = { 0, LISTENER_RETRY };


/*
 * PEER, which the parent sends right after INIT: the spawner's channel
 * goes to INETD_PEERFD, the number the filter lets pass descriptors,
 * and only then is the listener confined.  It has no service yet, so
 * no network input reached it before.
 */
static void
listener_take_peer(struct chan *c, struct imsg *im)
{
	char	 err[256];

	if (lst.l_havespawner || im->fd == -1) {
		proc_protocol_error(c, im, "bad peer");
		return;
	}
	if (im->fd != INETD_PEERFD) {
		if (dup3(im->fd, INETD_PEERFD, O_CLOEXEC) == -1)
			fatal("dup3");
		close(im->fd);
		im->fd = INETD_PEERFD;
	}
	proc_take_peer(c, im, &lst.l_spawner, &lst.l_havespawner,
	    "spawner", listener_dispatch_spawner);
	/* From here on: sockets it holds, and nothing else. */
	if (unveil_landlock_abi() == 0)
		log_warnx("listener: no Landlock in this kernel; the "
		    "listener has its chroot and filter, not Landlock");
	if (confine_listener(err, sizeof(err)) == -1)
		fatalx("listener sandbox: %s", err);
}

/*
 * The built-ins' records: one line per service with answers, every
 * LISTENER_LOGEVERY seconds and when its table goes, instead of one a
 * connection or a datagram (log=no: none).
 */
static void
listener_records(struct conf *c)
{
	struct servconf	*se;
	time_t		 now = listener_now();

	TAILQ_FOREACH(se, &c->c_services, se_entry) {
		if (se->se_served == 0)
			continue;
		if (se->se_priv != NULL)
			listener_service(se)->ls_count.cc_answered +=
			    se->se_served;
		if (!se->se_nolog)
			log_info("%s/%s: %llu answered in %lld s (built-in)",
			    se->se_service, se->se_proto,
			    (unsigned long long)se->se_served,
			    (long long)(now > lst.l_recordsince ?
			    now - lst.l_recordsince : 1));
		se->se_served = 0;
	}
}

static void
listener_records_timer(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	if (lst.l_conf != NULL)
		listener_records(lst.l_conf);
	lst.l_recordsince = listener_now();
	evtimer_add(&lst.l_recordev, &listener_recordevery);
}

static struct lservice *
listener_service(struct servconf *se)
{
	return se->se_priv;
}

static void
listener_notice_line(struct lnotice *ln)
{
	const struct servconf	*se = ln->ln_se;

	if (se != NULL)
		log_warnx("%s/%s: %u more connection%s refused in %d "
		    "seconds: %s", se->se_service, se->se_proto, ln->ln_count,
		    ln->ln_count == 1 ? "" : "s", LISTENER_LOGEVERY,
		    ln->ln_why);
	else
		log_warnx("%u more connection%s refused in %d seconds: %s",
		    ln->ln_count, ln->ln_count == 1 ? "" : "s",
		    LISTENER_LOGEVERY, ln->ln_why);
	ln->ln_count = 0;
	ln->ln_last = listener_now();
}

static void
listener_notice_timer(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	if (((struct lnotice *)arg)->ln_count > 0)
		listener_notice_line(arg);
}

static void
listener_notice_init(struct lnotice *ln, const struct servconf *se,
    const char *why)
{
	memset(ln, 0, sizeof(*ln));
	ln->ln_se = se;
	ln->ln_why = why;
	evtimer_set(&ln->ln_timer, listener_notice_timer, ln);
}

/* Before its service goes: say what was not said yet. */
static void
listener_notice_end(struct lnotice *ln)
{
	evtimer_del(&ln->ln_timer);
	if (ln->ln_count > 0)
		listener_notice_line(ln);
}

static void
listener_notice(struct lnotice *ln)
{
	const struct servconf	*se = ln->ln_se;
	struct timeval		 tv;
	time_t			 now = listener_now();

	if (ln->ln_last == 0 || now - ln->ln_last >= LISTENER_LOGEVERY) {
		ln->ln_last = now;
		if (se != NULL)
			log_warnx("%s/%s: connection refused: %s",
			    se->se_service, se->se_proto, ln->ln_why);
		else
			log_warnx("connection refused: %s", ln->ln_why);
		return;
	}
	if (ln->ln_count++ > 0)
		return;
	timerclear(&tv);
	tv.tv_sec = ln->ln_last + LISTENER_LOGEVERY - now;
	if (evtimer_add(&ln->ln_timer, &tv) == -1)
		fatal("evtimer_add");
}

/*
 * A paused stream nowait socket stays watched, so that its connections
 * are refused at once (listener_ready).  Not a datagram socket, nor the
 * listening socket of a wait program, which is in blocking mode.
 */
static int
listener_stopped(const struct lservice *ls)
{
	return ls->ls_paused || ls->ls_held;
}

static int
listener_paused_refuses(struct servconf *se)
{
	return listener_stopped(listener_service(se)) &&
	    se->se_socktype == SOCK_STREAM && !se->se_wait;
}

/* A connection refused while the service rests or is held. */
static void
listener_paused_note(struct lservice *ls)
{
	if (ls->ls_held)
		ls->ls_count.cc_refpaused++;
	else {
		ls->ls_count.cc_refrate++;
		listener_notice(&ls->ls_pausenote);
	}
}

static void
listener_arm(struct servconf *se)
{
	struct lservice	*ls = listener_service(se);

	if (ls->ls_armed ||
	    (listener_stopped(ls) && !listener_paused_refuses(se)) ||
	    ls->ls_waiting || ls->ls_full || ls->ls_behind || ls->ls_gone ||
	    ls->ls_broken || se->se_fd == -1 ||
	    (lst.l_ceiling && se->se_builtin == BI_NONE))
		return;
	event_set(&ls->ls_ev, se->se_fd, EV_READ | EV_PERSIST,
	    listener_ready, se);
	if (event_add(&ls->ls_ev, NULL) == -1)
		fatal("event_add");
	ls->ls_armed = 1;
}

static void
listener_disarm(struct servconf *se)
{
	struct lservice	*ls = listener_service(se);

	if (!ls->ls_armed)
		return;
	event_del(&ls->ls_ev);
	ls->ls_armed = 0;
}

static void
listener_unpause(int fd, short ev, void *arg)
{
	struct servconf	*se = arg;
	struct lservice	*ls = listener_service(se);

	(void)fd;
	(void)ev;
	ls->ls_paused = 0;
	ls->ls_spawns = 0;
	ls->ls_window = 0;
	log_warnx("%s/%s: resumed after %d seconds", se->se_service,
	    se->se_proto, se->se_pause);
	if (!lst.l_blocked)
		listener_arm(se);
}

/*
 * At most se_max spawns in CONF_RATEPERIOD seconds.  Over it the service
 * rests for se_pause seconds: its socket stays bound and open, and a
 * stream socket's connections are accepted and closed meanwhile, so
 * that clients learn at once instead of waiting in the listen queue
 * until they give up.  OpenBSD's inetd closes the socket instead; this
 * one stays what it is, bound and listening.
 */
static int
listener_rate_ok(struct servconf *se)
{
	struct lservice	*ls = listener_service(se);
	struct timeval	 tv;
	time_t		 now = time(NULL);

	if (ls->ls_window == 0 || now - ls->ls_window >= CONF_RATEPERIOD) {
		ls->ls_window = now;
		ls->ls_spawns = 0;
	}
	if (++ls->ls_spawns <= se->se_max)
		return 1;
	log_warnx("%s/%s: more than %d spawns in %d seconds; paused for %d "
	    "seconds", se->se_service, se->se_proto, se->se_max,
	    CONF_RATEPERIOD, se->se_pause);
	listener_disarm(se);
	ls->ls_paused = 1;
	ls->ls_until = time(NULL) + se->se_pause;
	timerclear(&tv);
	tv.tv_sec = se->se_pause;
	evtimer_set(&ls->ls_pausetimer, listener_unpause, se);
	evtimer_add(&ls->ls_pausetimer, &tv);
	if (!lst.l_blocked)
		listener_arm(se);
	return 0;
}

static time_t
listener_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return ts.tv_sec;
}

/*
 * The global ceiling (-c): with that many programs running, stop
 * accepting for every service that runs one, so that connections wait
 * in the listen queue instead of being taken and refused; built-in
 * services go on.  The spawner refuses a request beyond it too.
 */
static int
listener_ceiling(void)
{
	struct servconf	*se;
	time_t		 now;

	if (lst.l_live < lst.l_maxchild)
		return 0;
	if (lst.l_ceiling)
		return 1;
	lst.l_ceiling = 1;
	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
		if (se->se_builtin == BI_NONE)
			listener_disarm(se);
	now = listener_now();
	if (lst.l_ceilinglog == 0 ||
	    now - lst.l_ceilinglog >= LISTENER_LOGEVERY) {
		lst.l_ceilinglog = now;
		log_warnx("%d services running, the most there may be (-c); "
		    "connections wait until one exits", lst.l_live);
	} else
		log_debug("%d services running, the most there may be (-c)",
		    lst.l_live);
	return 1;
}

static void
listener_ceiling_exit(void)
{
	struct servconf	*se;

	if (lst.l_live > 0)
		lst.l_live--;
	if (!lst.l_ceiling || lst.l_live >= lst.l_maxchild)
		return;
	lst.l_ceiling = 0;
	if (lst.l_blocked || lst.l_conf == NULL)
		return;
	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
		listener_arm(se);
}

/* Ask the spawner to run the service with this descriptor. */
static void
listener_spawn(struct servconf *se, int fd, uint32_t token,
    const struct msg_proxy *mp)
{
	struct {
		struct msg_spawn	 ms;
		struct msg_proxy	 mp;
	} __attribute__((packed))	 m;

	memset(&m, 0, sizeof(m));
	m.ms.ms_index = se->se_index;
	m.ms.ms_gen = lst.l_conf->c_gen;
	m.ms.ms_token = token;
	if (mp != NULL)
		m.mp = *mp;
	if (proc_compose(&lst.l_spawner, IMSG_SPAWN, fd, &m,
	    mp != NULL ? sizeof(m) : sizeof(m.ms)) == -1)
		fatalx("cannot reach the spawner");
	listener_service(se)->ls_live++;
	listener_service(se)->ls_ahead++;
	lst.l_live++;
	(void)listener_ceiling();
}

/* Whether max-child is reached and the service refuses beyond it. */
static int
listener_full_refuses(struct servconf *se)
{
	return se->se_maxchild != 0 &&
	    listener_service(se)->ls_live >= se->se_maxchild &&
	    se->se_fullaction == CONF_FULL_REFUSE && !se->se_wait &&
	    se->se_socktype == SOCK_STREAM;
}

/*
 * max-child: with that many running, stop accepting; connections wait
 * in the backlog until one exits.  With max-child-action=refuse a
 * stream nowait service goes on accepting, and closes what it accepts
 * (listener_ready).
 */
static int
listener_full(struct servconf *se)
{
	struct lservice	*ls = listener_service(se);

	if (se->se_maxchild == 0 ||
	    ls->ls_live + ls->ls_pending < se->se_maxchild ||
	    listener_full_refuses(se))
		return 0;
	if (!ls->ls_full)
		log_debug("%s/%s: %d running, waiting for one to exit",
		    se->se_service, se->se_proto, ls->ls_live);
	ls->ls_full = 1;
	listener_disarm(se);
	return 1;
}

/*
 * Fairness: a service has at most LISTENER_AHEAD programs asked for and
 * not yet started.  Beyond, its connections wait in its own listen
 * queue, not in the spawner's, so that a flood on one service cannot
 * put a thousand launches ahead of another service's connection; the
 * spawner launches in the order asked, and so serves busy services in
 * turn.  LISTENER_AHEAD keeps the launcher busy meanwhile.
 */
static int
listener_behind(struct servconf *se)
{
	struct lservice	*ls = listener_service(se);
	struct timeval	 tv = { LISTENER_BEHINDMAX, 0 };

	if (ls->ls_ahead < LISTENER_AHEAD)
		return 0;
	if (!ls->ls_behind)
		evtimer_add(&ls->ls_behindtimer, &tv);
	ls->ls_behind = 1;
	listener_disarm(se);
	return 1;
}

/*
 * No launch of the service has started or been refused for that long:
 * reports were lost (two reloads in quick succession can drop those of
 * the generation before the last), so the count starts afresh.  The
 * spawner holds every service to its own limits whatever we ask.
 */
static void
listener_behind_timeout(int fd, short ev, void *arg)
{
	struct servconf	*se = arg;
	struct lservice	*ls = listener_service(se);

	(void)fd;
	(void)ev;
	if (!ls->ls_behind)
		return;
	log_warnx("%s/%s: no word of %d launches in %d seconds; accepting "
	    "again", se->se_service, se->se_proto, ls->ls_ahead,
	    LISTENER_BEHINDMAX);
	ls->ls_ahead = 0;
	ls->ls_behind = 0;
	if (!lst.l_blocked)
		listener_arm(se);
}

/*
 * tcpmux/ entries keep no socket of their own, so nothing hands their
 * per-source count over on a reload: the entry of the same name does.
 */
static void
listener_mux_carry(struct conf *old, struct conf *next)
{
	struct servconf	*o, *n;

	TAILQ_FOREACH(n, &next->c_services, se_entry) {
		if (n->se_mux == MUX_NONE)
			continue;
		TAILQ_FOREACH(o, &old->c_services, se_entry)
			if (o->se_mux != MUX_NONE &&
			    strcasecmp(o->se_muxname, n->se_muxname) == 0)
				break;
		if (o != NULL)
			listener_service(n)->ls_srcid =
			    listener_service(o)->ls_srcid;
	}
}

/* One asked for has started, or come to nothing. */
static void
listener_caught_up(struct servconf *se)
{
	struct lservice	*ls = listener_service(se);

	if (ls->ls_ahead > 0)
		ls->ls_ahead--;
	if (ls->ls_behind && ls->ls_ahead < LISTENER_AHEAD) {
		ls->ls_behind = 0;
		evtimer_del(&ls->ls_behindtimer);
		if (!lst.l_blocked)
			listener_arm(se);
	}
}

/*
 * Every LISTENER_REFUSE_PERIOD seconds while sources are remembered:
 * one line for each that was refused again since its last line, with
 * the count; a source quiet for a period is forgotten.
 */
static void
listener_refuse_timer(int fd, short ev, void *arg)
{
	struct lrefusal	*lr;
	struct timeval	 tv;
	time_t		 now = listener_now();
	size_t		 i;
	int		 busy = 0;

	(void)fd;
	(void)ev;
	(void)arg;
	for (i = 0; i < nitems(lst.l_refusals); i++) {
		lr = &lst.l_refusals[i];
		if (!lr->lr_used)
			continue;
		if (lr->lr_count > 0) {
			log_info("%s: refused %s %u more times in %d seconds "
			    "(%s)", lr->lr_service, lr->lr_peer,
			    lr->lr_count, LISTENER_REFUSE_PERIOD, lr->lr_why);
			lr->lr_count = 0;
			lr->lr_since = now;
			busy = 1;
		} else if (now - lr->lr_since >= LISTENER_REFUSE_PERIOD)
			lr->lr_used = 0;
		else
			busy = 1;
	}
	if (lst.l_refuseother > 0) {
		log_info("refused %u more connections or datagrams from other "
		    "sources, not logged one by one (access lists, per-source "
		    "limits)",
		    lst.l_refuseother);
		lst.l_refuseother = 0;
		busy = 1;
	}
	lst.l_refusearmed = busy;
	if (busy) {
		timerclear(&tv);
		tv.tv_sec = LISTENER_REFUSE_PERIOD;
		evtimer_add(&lst.l_refusetimer, &tv);
	}
}

/*
 * Count a refusal and log it: the first from a source (and service) at
 * once, the ones after it as a count every period, so that a flood of
 * refused connections, or of datagrams with forged sources, cannot
 * flood the log.  At most LISTENER_REFUSE_LINES first lines a period;
 * beyond, a total.
 */
void
listener_refused(struct servconf *se, const char *peer, const char *why)
{
	struct lservice	*ls = listener_service(se);
	struct lrefusal	*lr;
	struct timeval	 tv;
	char		 name[sizeof(lr->lr_service)];
	const char	*p;
	time_t		 now = listener_now();
	uint32_t	 h = 2166136261U;
	uint64_t	*count;

	/* By kind: the access list, a per-source limit, or PROXY. */
	if (why == ACL_WHY)
		count = &ls->ls_count.cc_refacl;
	else if (strncmp(why, "per-source", 10) == 0)
		count = &ls->ls_count.cc_refsource;
	else
		count = &ls->ls_count.cc_refproxy;
	(*count)++;
	snprintf(name, sizeof(name), "%s/%s", se->se_service, se->se_proto);
	for (p = name; *p != '\0'; p++)
		h = (h ^ (u_char)*p) * 16777619U;
	for (p = peer; *p != '\0'; p++)
		h = (h ^ (u_char)*p) * 16777619U;
	lr = &lst.l_refusals[h % nitems(lst.l_refusals)];
	if (!lst.l_refusearmed) {
		timerclear(&tv);
		tv.tv_sec = LISTENER_REFUSE_PERIOD;
		evtimer_add(&lst.l_refusetimer, &tv);
		lst.l_refusearmed = 1;
	}
	if (lr->lr_used && strcmp(lr->lr_service, name) == 0 &&
	    strcmp(lr->lr_peer, peer) == 0 && lr->lr_why == why &&
	    now - lr->lr_since < LISTENER_REFUSE_PERIOD) {
		lr->lr_count++;
		return;
	}
	if (now - lst.l_refusewindow >= LISTENER_REFUSE_PERIOD) {
		lst.l_refusewindow = now;
		lst.l_refuselines = 0;
	}
	if (lst.l_refuselines >= LISTENER_REFUSE_LINES) {
		lst.l_refuseother++;
		return;
	}
	lst.l_refuselines++;
	/* Another source had the slot: its count goes out now. */
	if (lr->lr_used && lr->lr_count > 0)
		log_info("%s: refused %s %u more times (%s)",
		    lr->lr_service, lr->lr_peer, lr->lr_count, lr->lr_why);
	lr->lr_used = 1;
	strlcpy(lr->lr_service, name, sizeof(lr->lr_service));
	strlcpy(lr->lr_peer, peer, sizeof(lr->lr_peer));
	lr->lr_why = why;
	lr->lr_since = now;
	lr->lr_count = 0;
	log_info("%s: refused %s (%s; %llu refused so far)", name, peer, why,
	    (unsigned long long)*count);
}

/*
 * An accepted connection against the service's access list: one the
 * list refuses is closed at once, after the deny-banner if any.
 * 1: go on with it; 0: it is gone.
 */
static int
listener_acl_conn(struct servconf *se, int s,
    const struct sockaddr_storage *ss, socklen_t sslen)
{
	char	 peer[INET6_ADDRSTRLEN + 32], buf[CONF_MAXBANNER + 3];
	int	 ok, n;

	if (se->se_acc == NULL)
		return 1;
	if (ss == NULL || se->se_family == AF_UNIX)
		ok = acl_check_fd(se->se_acc, s, se->se_family, peer,
		    sizeof(peer));
	else {
		ok = acl_check_addr(se->se_acc, (const struct sockaddr *)ss,
		    sslen);
		if (ok != 1)
			acl_peer_name((const struct sockaddr *)ss, sslen, peer,
			    sizeof(peer));
	}
	if (ok == 1)
		return 1;
	if (ok == -1)
		strlcpy(peer, "a peer already gone", sizeof(peer));
	/* Just accepted: the send buffer is empty, this cannot block. */
	if (se->se_denybanner[0] != '\0') {
		n = snprintf(buf, sizeof(buf), "%s\r\n", se->se_denybanner);
		if (n > 0 && (size_t)n < sizeof(buf))
			(void)send(s, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	}
	close(s);
	listener_refused(se, peer, ACL_WHY);
	return 0;
}

/*
 * An accepted connection against the service's per-source limits: one
 * over them is closed at once.  1: go on with it, counted under *token
 * until it ends; 0: it is gone.
 */
static int
listener_source_conn(struct servconf *se, int s,
    const struct sockaddr_storage *ss, socklen_t sslen, uint32_t *token)
{
	if (listener_source_ok(se, ss, sslen, token))
		return 1;
	close(s);
	return 0;
}

/* A source's limits: 1 with *token counted, 0 refused and logged. */
static int
listener_source_ok(struct servconf *se, const struct sockaddr_storage *ss,
    socklen_t sslen, uint32_t *token)
{
	char			 peer[INET6_ADDRSTRLEN + 32];
	enum source_verdict	 v;

	v = source_take(se, listener_service(se)->ls_srcid,
	    (const struct sockaddr *)ss, sslen, token);
	if (v == SOURCE_OK)
		return 1;
	acl_peer_name((const struct sockaddr *)ss, sslen, peer, sizeof(peer));
	listener_refused(se, peer, source_why(v));
	return 0;
}

/*
 * A datagram's source against the access list, for the built-ins and
 * for the datagram that would start a program.  1: serve it; 0: the
 * caller drops it.  The source of a datagram can be forged: this keeps
 * out who is not allowed, not who pretends to be someone allowed.
 */
int
listener_acl_dgram(struct servconf *se, const struct sockaddr_storage *ss,
    socklen_t len)
{
	char	 peer[INET6_ADDRSTRLEN + 32];

	if (se->se_acc == NULL ||
	    acl_check_addr(se->se_acc, (const struct sockaddr *)ss, len))
		return 1;
	acl_peer_name((const struct sockaddr *)ss, len, peer, sizeof(peer));
	listener_refused(se, peer, ACL_WHY);
	return 0;
}

/*
 * A tcpmux/ service's own list, once the client has named it, on top
 * of tcpmux's: 1 if the peer may have it.
 */
int
listener_mux_allowed(struct servconf *se, int fd)
{
	char	 peer[INET6_ADDRSTRLEN + 32];
	int	 ok;

	if (se->se_acc == NULL)
		return 1;
	if ((ok = acl_check_fd(se->se_acc, fd, AF_INET, peer,
	    sizeof(peer))) == 1)
		return 1;
	if (ok == -1)
		strlcpy(peer, "a peer already gone", sizeof(peer));
	listener_refused(se, peer, ACL_WHY);
	return 0;
}

/* The tcpmux/ entry of a name, case as RFC 1078 has it. */
struct servconf *
listener_mux_find(const char *name)
{
	struct servconf	*se;

	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
		if (se->se_mux && strcasecmp(se->se_muxname, name) == 0)
			return se;
	return NULL;
}

void
listener_mux_list(void (*fn)(const char *, void *), void *arg)
{
	struct servconf	*se;

	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
		if (se->se_mux)
			fn(se->se_muxname, arg);
}

/* tcpmux chose a service for this connection: run it like any other. */
void
listener_mux_spawn(struct servconf *se, int fd, uint32_t token)
{
	if ((se->se_maxchild &&
	    listener_service(se)->ls_live >= se->se_maxchild) ||
	    lst.l_live >= lst.l_maxchild || !listener_rate_ok(se)) {
		close(fd);
		source_release(token);
		return;
	}
	listener_spawn(se, fd, token, NULL);
}

/*
 * A tcpmux/ service's per-source limits, once the client has named
 * it: 1 with *token to hand to listener_mux_spawn, 0 if refused (the
 * caller says so to the client).
 */
int
listener_mux_source(struct servconf *se, int fd, uint32_t *token)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);

	*token = 0;
	if (se->se_persource == 0 && se->se_srcrate == 0)
		return 1;
	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &sslen) == -1)
		return 0;
	return listener_source_ok(se, &ss, sslen, token);
}

static void
listener_resume(int fd, short ev, void *arg)
{
	struct servconf	*se;

	(void)fd;
	(void)ev;
	(void)arg;
	if (lst.l_spawner.ch_queued >= LISTENER_MAXQUEUE ||
	    (lst.l_spare == -1 && listener_spare() == -1)) {
		evtimer_add(&lst.l_resume, &listener_retry);
		return;
	}
	lst.l_blocked = 0;
	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
		listener_arm(se);
}

/*
 * The spare descriptor, a copy of /dev/null on our standard input: the
 * listener cannot open a file, but it can copy a descriptor it has.
 */
static int
listener_spare(void)
{
	if (lst.l_spare != -1)
		return 0;
	if ((lst.l_spare = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)) == -1)
		return -1;
	return 0;
}

/* Stop accepting anything for a moment: the spawner or the fds are out. */
static void
listener_block(void)
{
	struct servconf	*se;

	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
		listener_disarm(se);
	lst.l_blocked = 1;
	evtimer_add(&lst.l_resume, &listener_retry);
}

/*
 * A wait service: the program gets the listening socket itself and we
 * stop watching it until the program exits.  For a datagram, remember
 * what is waiting, to see later whether the program read it.
 */
static void
listener_wait_spawn(struct servconf *se, int fd)
{
	struct lservice	*ls = listener_service(se);
	struct ldgram	*ld;
	socklen_t	 len;
	int		 dfd, on;

	/*
	 * A program given the socket can shut it down for reading, which
	 * ends the listening state for good: the spawner would refuse it.
	 */
	len = sizeof(on);
	if (se->se_socktype == SOCK_STREAM && (getsockopt(fd, SOL_SOCKET,
	    SO_ACCEPTCONN, &on, &len) == -1 || !on)) {
		log_warnx("%s/%s: socket no longer listening; service "
		    "stopped", se->se_service, se->se_proto);
		listener_disarm(se);
		ls->ls_broken = 1;
		return;
	}
	if (lst.l_spawner.ch_queued >= LISTENER_MAXQUEUE) {
		listener_block();
		return;
	}
	if ((ld = ls->ls_dgram) != NULL) {
		ld->ld_fromlen = sizeof(ld->ld_from);
		ld->ld_len = recvfrom(fd, ld->ld_peek, sizeof(ld->ld_peek),
		    MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT,
		    (struct sockaddr *)&ld->ld_from, &ld->ld_fromlen);
		if (ld->ld_len == -1)
			return;		/* nothing there after all */
		/*
		 * The datagram that would start the program, and only it:
		 * what a running program reads is its own business.
		 */
		if (!listener_acl_dgram(se, &ld->ld_from, ld->ld_fromlen)) {
			(void)recv(fd, &on, sizeof(on), MSG_DONTWAIT);
			ld->ld_len = -1;
			return;
		}
	}
	if (!listener_rate_ok(se))
		return;
	if ((dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1) {
		log_warn("%s/%s: dup", se->se_service, se->se_proto);
		listener_block();
		return;
	}
	listener_disarm(se);
	ls->ls_waiting = 1;
	ls->ls_waitpid = 0;
	listener_spawn(se, dfd, 0, NULL);
}

/* Look again soon whether a dgram nowait child has read its datagram. */
static void
listener_dgram_watch(struct servconf *se)
{
	struct timeval	 tv;

	timerclear(&tv);
	tv.tv_usec = LISTENER_READCHECK;
	evtimer_add(&listener_service(se)->ls_dgram->ld_readtimer, &tv);
}

/* Whether the datagram a program was handed is still first in line. */
static int
listener_dgram_unread(struct servconf *se)
{
	struct ldgram		*ld = listener_service(se)->ls_dgram;
	struct sockaddr_storage	 from;
	socklen_t		 fromlen = sizeof(from);
	u_char			 buf[LISTENER_PEEK];
	ssize_t			 n;

	if (ld->ld_len < 0)
		return 0;
	n = recvfrom(se->se_fd, buf, sizeof(buf),
	    MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT, (struct sockaddr *)&from,
	    &fromlen);
	return n == ld->ld_len && fromlen == ld->ld_fromlen &&
	    memcmp(&from, &ld->ld_from, fromlen) == 0 &&
	    memcmp(buf, ld->ld_peek, (size_t)n < sizeof(buf) ? (size_t)n :
	    sizeof(buf)) == 0;
}

/*
 * A dgram nowait program runs; once the datagram it was started for is
 * no longer first in line, it has read it, and the next one may start
 * another program.  Until then the socket is not watched.
 */
static void
listener_dgram_read(int fd, short ev, void *arg)
{
	struct servconf		*se = arg;
	struct lservice		*ls = listener_service(se);

	(void)fd;
	(void)ev;
	if (!ls->ls_waiting || se->se_fd == -1)
		return;
	if (listener_dgram_unread(se)) {
		listener_dgram_watch(se);
		return;
	}
	ls->ls_waiting = 0;
	ls->ls_dgram->ld_len = -1;
	if (!lst.l_blocked)
		listener_arm(se);
}

/*
 * The wait program is gone.  If the datagram it was started for is still
 * first in line, it never read it: drop that one, or it would start the
 * program again and again.
 */
static void
listener_wait_done(struct servconf *se)
{
	struct lservice		*ls = listener_service(se);
	u_char			 c;

	ls->ls_waiting = 0;
	if (ls->ls_dgram != NULL) {
		evtimer_del(&ls->ls_dgram->ld_readtimer);
		if (listener_dgram_unread(se)) {
			(void)recv(se->se_fd, &c, sizeof(c), MSG_DONTWAIT);
			log_warnx("%s/%s: program exited without reading its "
			    "datagram; datagram dropped", se->se_service,
			    se->se_proto);
		}
		ls->ls_dgram->ld_len = -1;
	}
	if (!lst.l_blocked)
		listener_arm(se);
}

/*
 * accept4(2), with the peer's address if sa is not NULL and the flags
 * (SOCK_CLOEXEC always): a connection,
 * or -1 with nothing to take now (errno says why), or
 * LISTENER_NOFD: descriptors are out (EMFILE, ENFILE), and the spare
 * was given up to take the connection and close it, so that its client
 * learns at once and the socket does not stay readable for a loop that
 * can take nothing from it.  The spare comes back at once if it can,
 * or listener_resume takes it back as soon as descriptors return, and
 * accepting waits for it meanwhile.
 */
#define LISTENER_NOFD	(-2)
static int
listener_accept(int fd, struct sockaddr *sa, socklen_t *salen, int flags)
{
	int	 s;

	flags |= SOCK_CLOEXEC;
	if ((s = accept4(fd, sa, salen, flags)) != -1 ||
	    (errno != EMFILE && errno != ENFILE))
		return s;
	if (lst.l_spare == -1) {
		listener_block();
		errno = EAGAIN;
		return -1;
	}
	close(lst.l_spare);
	lst.l_spare = -1;
	if ((s = accept4(fd, sa, salen, flags)) == -1) {
		(void)listener_spare();
		return -1;
	}
	close(s);
	listener_notice(&lst.l_fdnote);
	if (listener_spare() == -1) {
		listener_block();
		errno = EAGAIN;
		return -1;
	}
	return LISTENER_NOFD;
}

/* A paused stream nowait service: what waits is accepted and closed. */
static void
listener_refuse_paused(struct servconf *se, int fd)
{
	struct lservice	*ls = listener_service(se);
	int		 s, i;

	for (i = 0; i < LISTENER_ACCEPTS; i++) {
		if ((s = listener_accept(fd, NULL, NULL, 0)) == LISTENER_NOFD)
			continue;
		if (s == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				log_warn("%s/%s: accept", se->se_service,
				    se->se_proto);
			return;
		}
		ls->ls_count.cc_accepted++;
		close(s);
		listener_paused_note(ls);
	}
}

static void
listener_ready(int fd, short ev, void *arg)
{
	struct servconf		*se = arg;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	int			 s, i, flags;

	(void)ev;
	if (se->se_builtin != BI_NONE && se->se_socktype == SOCK_DGRAM) {
		builtin_dgram(se, fd);
		return;
	}
	if (listener_paused_refuses(se)) {
		listener_refuse_paused(se, fd);
		return;
	}
	/* A dgram nowait program, too, gets the socket itself. */
	if (se->se_builtin == BI_NONE &&
	    (se->se_wait || se->se_socktype == SOCK_DGRAM)) {
		if ((!se->se_wait && listener_full(se)) ||
		    listener_ceiling())
			return;
		listener_wait_spawn(se, fd);
		return;
	}
	/*
	 * A built-in's connection stays here and is served without
	 * blocking; a program's is handed on as accept(2) makes it.
	 */
	flags = se->se_builtin != BI_NONE ? SOCK_NONBLOCK : 0;
	for (i = 0; i < LISTENER_ACCEPTS; i++) {
		if (lst.l_spawner.ch_queued >= LISTENER_MAXQUEUE) {
			/* The spawner is behind: let the backlog hold. */
			listener_block();
			return;
		}
		if (se->se_builtin == BI_NONE && (listener_full(se) ||
		    listener_ceiling() || listener_behind(se)))
			return;
		sslen = sizeof(ss);
		if ((s = listener_accept(fd, (struct sockaddr *)&ss,
		    &sslen, flags)) == LISTENER_NOFD)
			continue;
		if (s == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				log_warn("%s/%s: accept", se->se_service,
				    se->se_proto);
			return;
		}
		listener_service(se)->ls_count.cc_accepted++;
		/* The client is who the header names: read it first. */
		if (se->se_proxy != CONF_PROXY_NONE) {
			proxy_accept(se, s, &ss, sslen);
			continue;
		}
		if (listener_take(se, s, &ss, sslen, NULL) == -1)
			return;
	}
}

/*
 * An accepted connection from the peer ss (for a proxy= service, the
 * client its header named, in mp): the access list, the per-source
 * limits, then a built-in or a program.  -1: the service is paused.
 */
static int
listener_take(struct servconf *se, int s, const struct sockaddr_storage *ss,
    socklen_t sslen, const struct msg_proxy *mp)
{
	uint32_t	 token;

	/* Before anything is spawned or a built-in answers. */
	if (!listener_acl_conn(se, s, ss, sslen))
		return 0;
	if (se->se_builtin == BI_TCPMUX) {
		tcpmux_accept(se, s);
		return 0;
	}
	/*
	 * A source is counted last, once nothing else can refuse the
	 * connection but the service's own rate, so that a refusal for
	 * another reason does not take its slot.  The service's rate comes
	 * after it, so that one source refused many times cannot pause
	 * the service for all; the one connection that trips the pause
	 * has spent its source's rate.
	 */
	if (se->se_builtin != BI_NONE) {
		if (listener_source_conn(se, s, ss, sslen, &token))
			builtin_stream(se, s, token);
		return 0;
	}
	if (listener_full_refuses(se)) {
		close(s);
		listener_service(se)->ls_count.cc_refmaxchild++;
		listener_notice(&listener_service(se)->ls_fullnote);
		return 0;
	}
	if (!listener_source_conn(se, s, ss, sslen, &token))
		return 0;
	if (!listener_rate_ok(se)) {
		listener_service(se)->ls_count.cc_refrate++;
		close(s);
		source_release(token);
		return -1;
	}
	listener_spawn(se, s, token, mp);
	return 0;
}

/*
 * A proxy= connection whose header is in.  It was accepted while the
 * service had room; it may have none now, and the spawner refuses a
 * program beyond max-child or the ceiling, so it is refused here.
 */
void
listener_proxied(struct servconf *se, int s, const struct msg_proxy *mp)
{
	struct lservice	*ls = listener_service(se);

	if (se->se_builtin == BI_NONE && ((se->se_maxchild != 0 &&
	    ls->ls_live >= se->se_maxchild) || lst.l_ceiling ||
	    listener_stopped(ls) ||
	    lst.l_spawner.ch_queued >= LISTENER_MAXQUEUE)) {
		close(s);
		if (listener_stopped(ls))
			listener_paused_note(ls);
		else {
			ls->ls_count.cc_refmaxchild++;
			listener_notice(&ls->ls_fullnote);
		}
		return;
	}
	(void)listener_take(se, s, &mp->mp_src, mp->mp_srclen, mp);
}

/*
 * PROXY headers being read count towards max-child, so that a service
 * at max-child (wait) leaves the connections beyond in its listen queue
 * rather than take them and refuse them once their headers are in.
 */
void
listener_pending(struct servconf *se, int delta)
{
	struct lservice	*ls = listener_service(se);

	if (ls == NULL || ls->ls_gone)
		return;
	ls->ls_pending += delta;
	if (ls->ls_pending < 0)
		ls->ls_pending = 0;
	if (delta < 0 && ls->ls_full &&
	    ls->ls_live + ls->ls_pending < se->se_maxchild) {
		ls->ls_full = 0;
		if (!lst.l_blocked)
			listener_arm(se);
	}
}

/*
 * The table received is complete: it goes in force.  A service whose
 * socket the parent could not bind was not sent and has no slot.
 */
static void
listener_conf_end(struct chan *c, struct imsg *im,
    const struct msg_confend *mce)
{
	struct servconf		*se, **byindex;
	struct conf		*old = lst.l_conf;
	struct lservice		*ls;
	struct msg_gen		 mg;

	if (lst.l_next == NULL)
		lst.l_next = conf_new();
	if ((byindex = proc_conf_index(c, im, old, lst.l_next, mce)) == NULL)
		return;
	free(lst.l_prevsucc);
	lst.l_prevsucc = NULL;
	lst.l_prevn = 0;
	if (old != NULL) {
		if ((lst.l_prevsucc = calloc(lst.l_nindex ? lst.l_nindex : 1,
		    sizeof(*lst.l_prevsucc))) == NULL)
			fatal("calloc");
		lst.l_prevn = lst.l_nindex;
		lst.l_prevgen = old->c_gen;
		TAILQ_FOREACH(se, &old->c_services, se_entry)
			if (se->se_index < lst.l_prevn)
				lst.l_prevsucc[se->se_index] =
				    listener_service(se)->ls_succ;
		listener_mux_carry(old, lst.l_next);
		TAILQ_FOREACH(se, &old->c_services, se_entry) {
			ls = listener_service(se);
			listener_disarm(se);
			ls->ls_gone = 1;
			if (ls->ls_paused)
				evtimer_del(&ls->ls_pausetimer);
			if (ls->ls_dgram != NULL)
				evtimer_del(&ls->ls_dgram->ld_readtimer);
			evtimer_del(&ls->ls_behindtimer);
			if (ls->ls_succ != NULL)
				listener_handover(se);
			proxy_retire(se, ls->ls_succ);
			listener_notice_end(&ls->ls_fullnote);
			listener_notice_end(&ls->ls_pausenote);
			if (ls->ls_moved)
				se->se_fd = -1;	/* not ours to close */
			free(ls->ls_dgram);
			free(ls);
			se->se_priv = NULL;
		}
		listener_records(old);
		conf_free(old);
	}
	lst.l_conf = lst.l_next;
	lst.l_next = NULL;
	free(lst.l_byindex);
	lst.l_byindex = byindex;
	lst.l_nindex = mce->mce_nindex;
	if (!lst.l_blocked)
		TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
			listener_arm(se);
	builtin_conf(lst.l_conf);
	source_conf(lst.l_conf);
	if (!evtimer_pending(&lst.l_recordev, NULL))
		evtimer_add(&lst.l_recordev, &listener_recordevery);
	/*
	 * Tell the spawner: every request behind this one is of the new
	 * generation, so it can forget the old table.
	 */
	memset(&mg, 0, sizeof(mg));
	mg.mg_gen = lst.l_conf->c_gen;
	proc_compose(&lst.l_spawner, IMSG_GEN, -1, &mg, sizeof(mg));
	proc_compose(&lst.l_parent, IMSG_CONF_ACK, -1, &mg, sizeof(mg));
	log_debug("listener: generation %u in force", lst.l_conf->c_gen);
	/* Unpacking the table left freed memory behind. */
	proc_trim_now();
}

/*
 * The entry that takes over a socket takes over what runs on it: its
 * count of children, and a wait or dgram nowait service's program that
 * holds the socket, so that a reload neither starts a second copy nor
 * forgets how many run.  Done when the new table goes in force: until
 * then the old entry serves the socket, and its counts still change.
 */
static void
listener_handover(struct servconf *o)
{
	struct lservice	*ols = listener_service(o);
	struct servconf	*se = ols->ls_succ;
	struct lservice	*ls = listener_service(se);

	ls->ls_live = ols->ls_live;
	ls->ls_ahead = ols->ls_ahead;
	ls->ls_count = ols->ls_count;
	ls->ls_count.cc_answered += o->se_served;
	ls->ls_held = ols->ls_held;
	ls->ls_waiting = ols->ls_waiting;
	ls->ls_waitpid = ols->ls_waitpid;
	/* The same socket: both are datagram entries, or neither. */
	if (ls->ls_dgram != NULL && ols->ls_dgram != NULL) {
		ls->ls_dgram->ld_from = ols->ls_dgram->ld_from;
		ls->ls_dgram->ld_fromlen = ols->ls_dgram->ld_fromlen;
		ls->ls_dgram->ld_len = ols->ls_dgram->ld_len;
		memcpy(ls->ls_dgram->ld_peek, ols->ls_dgram->ld_peek,
		    sizeof(ls->ls_dgram->ld_peek));
	}
	/* A wait program keeps the socket to itself until it exits. */
	if (ls->ls_waiting && ls->ls_waitpid != 0 && !o->se_wait &&
	    !se->se_wait && se->se_socktype == SOCK_DGRAM)
		listener_dgram_watch(se);
}

/* A socket of the table in force moves to the table being received. */
static int
listener_take_socket(int32_t index)
{
	struct servconf	*o;

	if (lst.l_conf == NULL || index < 0 ||
	    (uint32_t)index >= lst.l_nindex ||
	    (o = lst.l_byindex[index]) == NULL || o->se_fd == -1 ||
	    o->se_mux || listener_service(o)->ls_moved)
		return -1;
	/* The old entry serves it until the new table is in force. */
	listener_service(o)->ls_moved = 1;
	return o->se_fd;
}

/*
 * One entry of the table being received.  A tcpmux/ entry has no socket;
 * every other one comes with its socket, or names the entry in force
 * that has it.
 */
static void
listener_add_service(struct chan *c, struct imsg *im)
{
	struct servconf	*se;
	struct lservice	*ls;
	int		 fd, type;
	socklen_t	 len;

	if (!lst.l_havespawner ||
	    (se = servconf_unpack(im, ROLE_LISTENER)) == NULL) {
		proc_protocol_error(c, im, "bad service entry");
		return;
	}
	/*
	 * An entry that names a socket in force takes that one, and
	 * brings none: the parent never sends both, and the entry it
	 * names must be there to take the socket from.
	 */
	fd = im->fd;
	if (se->se_reuse != -1 && (fd != -1 || se->se_mux ||
	    (fd = listener_take_socket(se->se_reuse)) == -1)) {
		servconf_free(se);
		proc_protocol_error(c, im, "bad service entry");
		return;
	}
	if (se->se_mux ? fd != -1 : fd == -1) {
		servconf_free(se);
		proc_protocol_error(c, im, "bad service entry");
		return;
	}
	/*
	 * The entry must fit the descriptor.  One it took over stays the
	 * old entry's if not: that entry serves it until the listener ends.
	 */
	im->fd = -1;
	len = sizeof(type);
	if (!se->se_mux && (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type,
	    &len) == -1 || type != se->se_socktype)) {
		if (se->se_reuse == -1)
			close(fd);
		else
			listener_service(lst.l_byindex[se->se_reuse])->
			    ls_moved = 0;
		servconf_free(se);
		proc_protocol_error(c, im, "service socket of the wrong type");
		return;
	}
	se->se_fd = fd;
	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		fatal("calloc");
	ls->ls_se = se;
	/* A source's count goes on with the socket it came to. */
	if (se->se_reuse != -1)
		ls->ls_srcid = listener_service(lst.l_byindex[se->se_reuse])->
		    ls_srcid;
	else
		ls->ls_srcid = ++lst.l_srcids;
	if (se->se_socktype == SOCK_DGRAM) {
		if ((ls->ls_dgram = calloc(1, sizeof(*ls->ls_dgram))) == NULL)
			fatal("calloc");
		ls->ls_dgram->ld_len = -1;
		evtimer_set(&ls->ls_dgram->ld_readtimer, listener_dgram_read,
		    se);
	}
	evtimer_set(&ls->ls_behindtimer, listener_behind_timeout, se);
	listener_notice_init(&ls->ls_fullnote, se, "max-child reached");
	listener_notice_init(&ls->ls_pausenote, se, "paused over its rate");
	se->se_priv = ls;
	if (se->se_reuse != -1)
		listener_service(lst.l_byindex[se->se_reuse])->ls_succ = se;
	if (lst.l_next == NULL)
		lst.l_next = conf_new();
	TAILQ_INSERT_TAIL(&lst.l_next->c_services, se, se_entry);
}

/* How a program ended, for inetdctl show. */
static void
listener_count_exit(struct lservice *ls, const struct msg_child *mc)
{
	struct ctl_counters	*cc = &ls->ls_count;

	if (mc->mc_pid == -1 || mc->mc_noexec) {
		cc->cc_failed++;
		return;
	}
	cc->cc_lastexit = time(NULL);
	cc->cc_lastpid = mc->mc_pid;
	cc->cc_laststatus = mc->mc_status;
	if (WIFSIGNALED(mc->mc_status) && WTERMSIG(mc->mc_status) == SIGSYS)
		cc->cc_violations++;
}

/* inetdctl pause and resume: a held service takes no new work. */
static void
listener_hold(struct servconf *se, int on)
{
	struct lservice	*ls = listener_service(se);

	if (ls->ls_held == on)
		return;
	ls->ls_held = on;
	log_info("%s/%s: %s by inetdctl", se->se_service, se->se_proto,
	    on ? "paused" : "resumed");
	listener_disarm(se);
	if (!lst.l_blocked)
		listener_arm(se);
}

static void
listener_show(struct chan *c, struct servconf *se)
{
	struct lservice		*ls = listener_service(se);
	struct ctl_service	 cs;

	memset(&cs, 0, sizeof(cs));
	cs.cs_index = se->se_index;
	cs.cs_gen = lst.l_conf->c_gen;
	cs.cs_running = ls->ls_live;
	cs.cs_count = ls->ls_count;
	cs.cs_count.cc_answered += se->se_served;
	if (ls->ls_held)
		cs.cs_state = CTL_PAUSED;
	else if (ls->ls_paused) {
		cs.cs_state = CTL_RESTING;
		cs.cs_until = ls->ls_until;
	} else if (ls->ls_full)
		cs.cs_state = CTL_FULL;
	proc_compose(c, IMSG_CTL_SERVICE, -1, &cs, sizeof(cs));
}

/*
 * A request the parent relays from inetdctl: answered now, always with
 * one IMSG_CTL_END.  Entries are named as inetdctl named them; tcpmux
 * names have no socket of their own and are not held here.
 */
static void
listener_control(struct chan *c, struct imsg *im)
{
	struct msg_ctl	 mct;
	struct ctl_end	 ce;
	struct servconf	*se;
	int		 n = 0;

	if (proc_take_ctl(c, im, &mct) == -1)
		return;
	memset(&ce, 0, sizeof(ce));
	if (lst.l_conf != NULL)
		ce.ce_gen = lst.l_conf->c_gen;
	/*
	 * Entries are named in the table the parent has in force: until
	 * this one is that table too (a reload, a restart), try again.
	 */
	if ((mct.mct_cmd == CTL_SHOW_SERVICES || mct.mct_cmd == CTL_PAUSE ||
	    mct.mct_cmd == CTL_RESUME) &&
	    (lst.l_conf == NULL || lst.l_conf->c_gen != mct.mct_gen)) {
		ce.ce_status = CTL_BUSY;
		proc_compose(c, IMSG_CTL_END, -1, &ce, sizeof(ce));
		return;
	}
	switch (mct.mct_cmd) {
	case CTL_SHOW_SERVICES:
		TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
			listener_show(c, se);
		break;
	case CTL_PAUSE:
	case CTL_RESUME:
		TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
			if (!se->se_mux && ctl_name_match(se->se_service,
			    se->se_proto, mct.mct_service)) {
				listener_hold(se, mct.mct_cmd == CTL_PAUSE);
				n++;
			}
		snprintf(ce.ce_text, sizeof(ce.ce_text), "%d", n);
		break;
	case CTL_LOG_BRIEF:
	case CTL_LOG_VERBOSE:
		log_setverbose(mct.mct_cmd == CTL_LOG_VERBOSE);
		break;
	default:
		proc_protocol_error(c, im, "unexpected control request");
		return;
	}
	proc_compose(c, IMSG_CTL_END, -1, &ce, sizeof(ce));
}

static void
listener_dispatch_parent(struct chan *c, struct imsg *im)
{
	struct msg_init		 mi;
	struct msg_confend	 mce;

	if (!lst.l_init && im->hdr.type != IMSG_INIT) {
		proc_protocol_error(c, im, "expected init");
		return;
	}
	/* Unconfined until PEER: nothing else may come before it. */
	if (lst.l_init && !lst.l_havespawner && im->hdr.type != IMSG_PEER) {
		proc_protocol_error(c, im, "expected peer");
		return;
	}
	switch (im->hdr.type) {
	case IMSG_INIT:
		if (proc_take_init(c, im, lst.l_init, &mi) == -1)
			return;
		proc_drop(&mi, "listener");
		lst.l_maxchild = mi.mi_maxchild;
		lst.l_init = 1;
		break;
	case IMSG_PEER:
		listener_take_peer(c, im);
		break;
	case IMSG_SERVICE:
		listener_add_service(c, im);
		break;
	case IMSG_ACL:
		if (!lst.l_havespawner || acl_take(lst.l_next, im) == -1)
			proc_protocol_error(c, im, "bad access list");
		break;
	case IMSG_CONF_END:
		if (!lst.l_havespawner || im->datalen != sizeof(mce)) {
			proc_protocol_error(c, im, "bad config end");
			return;
		}
		memcpy(&mce, im->data, sizeof(mce));
		listener_conf_end(c, im, &mce);
		break;
	case IMSG_CTL:
		if (!lst.l_havespawner) {
			proc_protocol_error(c, im, "control request early");
			return;
		}
		listener_control(c, im);
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
	if (mc->mc_noexec > 1) {
		proc_protocol_error(c, im, "bad child report");
		return NULL;
	}
	/*
	 * A report of the last generation goes to the entry that took
	 * over its socket, if any; older ones concern entries now gone.
	 */
	if (lst.l_conf != NULL && lst.l_prevsucc != NULL &&
	    mc->mc_gen == lst.l_prevgen && mc->mc_index < lst.l_prevn)
		return lst.l_prevsucc[mc->mc_index];
	if (lst.l_conf == NULL || mc->mc_gen != lst.l_conf->c_gen)
		return NULL;
	if (mc->mc_index >= lst.l_nindex ||
	    lst.l_byindex[mc->mc_index] == NULL) {
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
		/*
		 * While a program holds the socket no other is asked for:
		 * this is that one.  A dgram nowait one is watched until it
		 * has read its datagram.
		 */
		ls = listener_service(se);
		ls->ls_count.cc_spawned++;
		listener_caught_up(se);
		if (ls->ls_waiting && ls->ls_waitpid == 0) {
			ls->ls_waitpid = mc.mc_pid;
			if (!se->se_wait && se->se_socktype == SOCK_DGRAM)
				listener_dgram_watch(se);
		}
		break;
	case IMSG_CHILD_EXIT:
		/*
		 * pid -1: the spawner refused or could not fork.  Every
		 * request comes back as one exit, whatever its table.
		 */
		if ((se = listener_child_service(c, im, &mc)) == NULL) {
			if (!c->ch_dead) {
				listener_ceiling_exit();
				source_release(mc.mc_token);
			}
			return;
		}
		listener_ceiling_exit();
		source_release(mc.mc_token);
		ls = listener_service(se);
		if (ls->ls_live > 0)
			ls->ls_live--;
		listener_count_exit(ls, &mc);
		if (mc.mc_pid == -1)
			listener_caught_up(se);
		/*
		 * By its pid: after a reload the entry may be of the other
		 * kind, and children of its nowait days may still run.
		 */
		if (ls->ls_waiting && (mc.mc_pid == -1 ||
		    mc.mc_pid == ls->ls_waitpid))
			listener_wait_done(se);
		if (ls->ls_full &&
		    ls->ls_live + ls->ls_pending < se->se_maxchild) {
			ls->ls_full = 0;
			if (!lst.l_blocked)
				listener_arm(se);
		}
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
	/*
	 * Hold INETD_PEERFD until the spawner's channel takes it, so that
	 * no descriptor the event loop opens lands there.
	 */
	if (fcntl(INETD_PEERFD, F_GETFD) != -1)
		fatalx("descriptor %d is taken", INETD_PEERFD);
	if (dup3(INETD_CHANFD, INETD_PEERFD, O_CLOEXEC) == -1)
		fatal("dup3");
	event_init();
	proc_trim_init();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	chan_init(&lst.l_parent, INETD_CHANFD, "parent",
	    listener_dispatch_parent, NULL);
	lst.l_parent.ch_closed = proc_chan_closed;
	log_setchan(&lst.l_parent);
	proc_event_chan(&lst.l_parent);
	evtimer_set(&lst.l_resume, listener_resume, NULL);
	evtimer_set(&lst.l_recordev, listener_records_timer, NULL);
	lst.l_recordsince = listener_now();
	evtimer_set(&lst.l_refusetimer, listener_refuse_timer, NULL);
	lst.l_spare = -1;
	if (listener_spare() == -1)
		fatal("spare descriptor");
	listener_notice_init(&lst.l_fdnote, NULL, "out of descriptors");
	event_dispatch();
	fatalx("event loop ended");
}
