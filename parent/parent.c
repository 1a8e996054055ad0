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
 * The parent: root, reads the configuration, binds the sockets and keeps
 * the two children running.  It never reads a byte from the network.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "inetd.h"

#define PARENT_MAXRESTARTS	5	/* in PARENT_RESTARTPERIOD seconds */
#define PARENT_RESTARTPERIOD	60
/*
 * Descriptors a process needs besides those of its services: its
 * standard three, its channels, the event loop's, the binary (parent),
 * the launcher's pipes and /dev/kmsg (spawner), the spare (listener),
 * a file being parsed, and room for a few connections at once.  Each
 * role has fewer than 16 of its own; the rest is for connections.
 */
#define PARENT_BASEFDS		32
/* What the parent queues to a child before it waits for it to read. */
#define PARENT_INFLIGHT		16	/* descriptors */
#define PARENT_QUEUED		256	/* messages */
#define PARENT_SENDWAIT		10	/* seconds it may take to read them */
#define PARENT_LOGRATE		1000	/* lines a second from each child */

/* What the parent acts on; every other signal keeps its disposition. */
static const int parent_signums[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };

struct parent_child {
	enum role	 pc_role;
	pid_t		 pc_pid;
	struct chan	 pc_chan;
	time_t		 pc_logsec;	/* lines counted in this second */
	unsigned int	 pc_loglines;
	unsigned int	 pc_logdropped;
};

static struct {
	const char		*p_conffile;
	const char		*p_socket;	/* -s */
	const char		*p_rosocket;	/* -r */
	const char		*p_rogroup;	/* -g */
	const char		*p_pidfile;	/* -p */
	int			 p_pidwritten;
	int			 p_exefd;	/* the binary, for restarts */
	int			 p_debug;
	int			 p_verbose;
	int			 p_maxchild;	/* -c */
	uid_t			 p_uid;		/* of _inetd */
	gid_t			 p_gid;
	struct conf		*p_conf;
	uint32_t		 p_gen;
	struct parent_child	 p_child[ROLE_MAX];	/* ROLE_PARENT unused */
	time_t			 p_restarts[PARENT_MAXRESTARTS];
	int			 p_stopping;
	struct rlimit		 p_nofile;	/* as inetd was started */
	int			 p_acking;	/* spawner has yet to ack */
	int			 p_keysacking;	/* keys process, before it */
	int			 p_freshlistener; /* holds no sockets yet */
	int			 p_reloadagain;
	struct event		 p_evsig[nitems(parent_signums)];
} parent;

static __dead void parent_shutdown(void);
static void	 parent_reload(void);
static void	 parent_reap(void);
static void	 parent_dispatch(struct chan *, struct imsg *);
static void	 parent_child_closed(struct chan *);
static void	 parent_start_children(void);
static void	 parent_tunables(char *[]);
static void	 parent_send_conf(void);
static void	 parent_send_to(struct parent_child *);
static void	 parent_send_keys(struct parent_child *);
static void	 parent_send_acl(struct chan *, const struct servconf *);

static __dead void
usage(void)
{
	fprintf(stderr, "usage: inetd [-dnv] [-c children] [-g group] "
	    "[-p pidfile] [-R rate]\n"
	    "\t[-r socket] [-s socket] [configuration_file]\n");
	exit(1);
}

/*
 * The listener holds a socket per service: take all the descriptors the
 * hard limit allows.  Services get the limit inetd was started with.
 */
static void
parent_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &parent.p_nofile) == -1)
		fatal("getrlimit");
	rl.rlim_cur = rl.rlim_max = parent.p_nofile.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("setrlimit RLIMIT_NOFILE");
}

/* Same socket for the same address, port, type and protocol. */
static int
parent_sock_cmp(const void *a, const void *b)
{
	return servconf_sockcmp(*(struct servconf * const *)a,
	    *(struct servconf * const *)b);
}

/* The bound sockets of a table, sorted to be searched. */
static struct servconf **
parent_sockets(struct conf *c, size_t *np)
{
	struct servconf	*se, **v;
	size_t		 n = 0;

	if ((v = reallocarray(NULL, c->c_count + 1, sizeof(*v))) == NULL)
		fatal("reallocarray");
	TAILQ_FOREACH(se, &c->c_services, se_entry)
		if (se->se_fd != -1 && !se->se_mux)
			v[n++] = se;
	qsort(v, n, sizeof(*v), parent_sock_cmp);
	*np = n;
	return v;
}

/*
 * Where in oldsocks the socket is that a new entry se would take over,
 * or NULL for none.
 */
static struct servconf **
parent_old_socket(struct servconf *se, struct servconf **oldsocks,
    size_t noldsocks)
{
	if (se->se_mux)
		return NULL;
	return bsearch(&se, oldsocks, noldsocks, sizeof(*oldsocks),
	    parent_sock_cmp);
}

/* How many of c's entries would take over a socket of old's. */
static uint32_t
parent_kept(struct conf *c, struct conf *old)
{
	struct servconf	*se, **oldsocks, **found;
	size_t		 noldsocks;
	uint8_t		*taken;
	uint32_t	 kept = 0;

	oldsocks = parent_sockets(old, &noldsocks);
	if ((taken = calloc(noldsocks + 1, 1)) == NULL)
		fatal("calloc");
	TAILQ_FOREACH(se, &c->c_services, se_entry)
		if ((found = parent_old_socket(se, oldsocks, noldsocks)) !=
		    NULL && !taken[found - oldsocks]) {
			taken[found - oldsocks] = 1;
			kept++;
		}
	free(taken);
	free(oldsocks);
	return kept;
}

static uint32_t
parent_ntls(const struct conf *c)
{
	struct servconf	*se;
	uint32_t	 n = 0;

	TAILQ_FOREACH(se, &c->c_services, se_entry)
		n += se->se_tls != 0;
	return n;
}

/*
 * What each process holds for a table: the parent and the listener a
 * socket per service; the spawner a Landlock ruleset for each kind of
 * entry (unveil_count: entries without an unveil list share a few) and
 * the settings of each tls= entry.  While a reload replaces the table
 * in force (old), the parent closes the old sockets no new entry takes
 * before it binds new ones, so it holds the larger table; the listener
 * holds the old table's sockets and the new ones it is sent (one taken
 * over is named, not sent again); the spawner both tables' rulesets and
 * settings.  Each needs PARENT_BASEFDS besides, and the parent up to
 * PARENT_INFLIGHT copies of sockets on their way to the listener.  What
 * does not fit is said in numbers: which process, what it needs, and
 * what it has.
 */
static int
parent_fits(struct conf *c, struct conf *old)
{
	struct rlimit	 rl;
	uint64_t	 need[3], most = 0;
	uint32_t	 nold = 0, kept = 0;
	const char	*who[3] = { "parent", "listener", "spawner" };
	int		 i, worst = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 0;
	if (old != NULL) {
		nold = old->c_count;
		kept = parent_kept(c, old);
	}
	need[0] = PARENT_BASEFDS +
	    (c->c_count < PARENT_INFLIGHT ? c->c_count : PARENT_INFLIGHT) +
	    (uint64_t)(c->c_count > nold ? c->c_count : nold);
	need[1] = PARENT_BASEFDS + (uint64_t)nold + c->c_count - kept;
	need[2] = PARENT_BASEFDS + (uint64_t)unveil_count(c) + parent_ntls(c);
	if (old != NULL)
		need[2] += unveil_count(old) + parent_ntls(old);
	for (i = 0; i < 3; i++)
		if (need[i] > most) {
			most = need[i];
			worst = i;
		}
	if (most <= rl.rlim_cur)
		return 1;
	log_warnx("%u services need %llu descriptors in the %s, more than "
	    "the limit of %llu; raise it (ulimit -n) to at least %llu",
	    c->c_count, (unsigned long long)most, who[worst],
	    (unsigned long long)rl.rlim_cur, (unsigned long long)most);
	return 0;
}

static void
parent_sig(int sig, short ev, void *arg)
{
	(void)ev;
	(void)arg;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("exiting on signal %d", sig);
		parent_shutdown();
		break;
	case SIGHUP:
		parent_reload();
		break;
	case SIGCHLD:
		parent_reap();
		break;
	}
}

/* Say how many lines of a child's were dropped, if any. */
static void
parent_log_dropped(struct parent_child *pc)
{
	if (pc->pc_logdropped == 0)
		return;
	log_warnx("%s: %u log lines dropped (more than %d a second)",
	    proc_rolename(pc->pc_role), pc->pc_logdropped, PARENT_LOGRATE);
	pc->pc_logdropped = 0;
}

/* Close a child's channel: the child, if it still runs, sees its end. */
static void
parent_child_drop(struct parent_child *pc)
{
	parent_log_dropped(pc);
	if (pc->pc_chan.ch_fd == -1)
		return;		/* never started, or dropped already */
	proc_event_del(&pc->pc_chan);
	chan_clear(&pc->pc_chan);
	if (pc->pc_chan.ch_fd != -1)
		close(pc->pc_chan.ch_fd);
	pc->pc_chan.ch_fd = -1;
}

/* Close every channel and socket; the children exit on end of file. */
static __dead void
parent_shutdown(void)
{
	struct servconf	*se;
	enum role	 r;

	parent.p_stopping = 1;
	notify_stopping();
	control_cleanup();
	if (parent.p_pidwritten)
		unlink(parent.p_pidfile);
	for (r = ROLE_LISTENER; r < ROLE_NPARENT; r++)
		parent_child_drop(&parent.p_child[r]);
	TAILQ_FOREACH(se, &parent.p_conf->c_services, se_entry) {
		if (se->se_fd != -1) {
			close(se->se_fd);
			bind_unlink(se);
		}
		se->se_fd = -1;
	}
	exit(0);
}

/*
 * Parse the file again.  If any of it is wrong the running configuration
 * stays.  Otherwise a service that listens where an old one did keeps
 * that socket, so no connection is refused across the reload.
 */
static void
parent_reload(void)
{
	struct conf	*nc;
	struct servconf	*se, *old, **oldsocks, **found;
	size_t		 noldsocks;
	int		 nbound = 0, kept = 0;

	static char	 errors[CTL_MAXTEXT - 128];
	int		 ok;

	if (parent.p_acking) {
		parent.p_reloadagain = 1;
		return;
	}
	log_info("reloading %s", parent.p_conffile);
	notify_reloading();
	/* What is wrong with the file, for inetdctl reload to show. */
	log_capture(errors, sizeof(errors));
	ok = (nc = conf_load(parent.p_conffile)) != NULL &&
	    parent_fits(nc, parent.p_conf);
	log_capture(NULL, 0);
	if (!ok) {
		conf_free(nc);
		log_warnx("reload failed; generation %u stays in force",
		    parent.p_gen);
		notify_ready_failed(parent.p_gen);
		control_reloaded(0, parent.p_gen, errors);
		/* Nothing else frees what the failed parse allocated. */
		proc_trim_now();
		return;
	}
	oldsocks = parent_sockets(parent.p_conf, &noldsocks);
	TAILQ_FOREACH(se, &nc->c_services, se_entry) {
		if ((found = parent_old_socket(se, oldsocks, noldsocks)) ==
		    NULL || (*found)->se_fd == -1)
			continue;
		old = *found;
		se->se_fd = old->se_fd;
		/* The listener has this socket already, at that index. */
		se->se_reuse = old->se_index;
		old->se_fd = -1;
		if (bind_adjust(se) == 0) {
			kept++;
			nbound++;
		} else {
			close(se->se_fd);
			se->se_fd = -1;
		}
	}
	free(oldsocks);
	/* Sockets of the old table no one took over go first... */
	TAILQ_FOREACH(old, &parent.p_conf->c_services, se_entry)
		if (old->se_fd != -1) {
			close(old->se_fd);
			old->se_fd = -1;
			bind_unlink(old);
		}
	/* ...so that a new service may have their address. */
	TAILQ_FOREACH(se, &nc->c_services, se_entry)
		if (se->se_fd == -1 && !se->se_mux && bind_service(se) == 0)
			nbound++;
	conf_free(parent.p_conf);
	parent.p_conf = nc;
	parent_send_conf();
	control_reloaded(1, parent.p_gen, "");
	log_info("reloading: %d of %u services listening (%d sockets kept), "
	    "generation %u", nbound, nc->c_count, kept, parent.p_gen);
}

/* A child that is gone: count it, and start fresh ones unless too often. */
static void
parent_child_gone(struct parent_child *pc, const char *why)
{
	time_t		 now = time(NULL);
	enum role	 r;

	if (parent.p_stopping || pc->pc_pid == -1)
		return;
	log_warnx("%s (pid %d) %s; restarting listener, spawner and keys",
	    proc_rolename(pc->pc_role), pc->pc_pid, why);
	memmove(parent.p_restarts + 1, parent.p_restarts,
	    sizeof(parent.p_restarts) - sizeof(parent.p_restarts[0]));
	parent.p_restarts[0] = now;
	if (parent.p_restarts[PARENT_MAXRESTARTS - 1] != 0 &&
	    now - parent.p_restarts[PARENT_MAXRESTARTS - 1] <
	    PARENT_RESTARTPERIOD)
		fatalx("children died %d times in %d seconds; stopping",
		    PARENT_MAXRESTARTS, PARENT_RESTARTPERIOD);
	for (r = ROLE_LISTENER; r < ROLE_NPARENT; r++) {
		struct parent_child *o = &parent.p_child[r];

		parent_child_drop(o);
		if (o->pc_pid != -1)
			kill(o->pc_pid, SIGTERM);
		o->pc_pid = -1;
		control_child_gone(r);
	}
	parent.p_acking = 0;
	parent_start_children();
	parent_send_conf();
}

static void
parent_reap(void)
{
	pid_t		 pid;
	int		 status;
	enum role	 r;
	char		 why[64];

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (r = ROLE_LISTENER; r < ROLE_NPARENT; r++)
			if (parent.p_child[r].pc_pid == pid)
				break;
		if (r == ROLE_NPARENT)
			continue;
		if (WIFSIGNALED(status))
			snprintf(why, sizeof(why), "killed by signal %d",
			    WTERMSIG(status));
		else
			snprintf(why, sizeof(why), "exited with status %d",
			    WEXITSTATUS(status));
		parent_child_gone(&parent.p_child[r], why);
	}
}

static void
parent_child_closed(struct chan *c)
{
	struct parent_child	*pc = c->ch_arg;

	/* The child is gone or broke the protocol: end it for good. */
	if (pc->pc_pid != -1)
		kill(pc->pc_pid, SIGKILL);
	if (c->ch_fd != -1)
		close(c->ch_fd);
	c->ch_fd = -1;
}

/*
 * A child's log line.  Children may quote the network; log_emit() makes
 * the line printable.  A child reports errors, never an emergency: a
 * line above LOG_ERR would reach every terminal (syslog's usual *.emerg
 * rule) or the console.  Such a line is logged at LOG_ERR rather than
 * refused, as a child's own fatal() says LOG_CRIT on its way out and
 * that line is worth having.
 *
 * A child that floods the log is cut to PARENT_LOGRATE lines a second,
 * and the parent says how many it dropped, so that a compromised
 * listener cannot fill the disk or bury what it does in noise.  The
 * spawner's record of each program (log=) is the one line per
 * connection at info level; a service busier than that sets log=no.
 */
static void
parent_log(struct chan *c, struct imsg *im)
{
	struct parent_child	*pc = c->ch_arg;
	char			 line[LOG_MAXLINE];
	int32_t			 pri;
	int			 rv;
	time_t			 now;

	if ((rv = log_unpack(im, &pri, line, sizeof(line))) != 0) {
		proc_protocol_error(c, im, rv == -2 ? "bad log priority" :
		    "bad log message");
		return;
	}
	if (pri < LOG_ERR)
		pri = LOG_ERR;
	if (pri == LOG_DEBUG && !log_getverbose())
		return;
	if ((now = time(NULL)) != pc->pc_logsec) {
		parent_log_dropped(pc);
		pc->pc_logsec = now;
		pc->pc_loglines = 0;
	}
	if (++pc->pc_loglines > PARENT_LOGRATE) {
		if (pc->pc_logdropped++ == 0)
			log_warnx("%s: more than %d log lines a second; "
			    "dropping the rest of this second",
			    proc_rolename(pc->pc_role), PARENT_LOGRATE);
		return;
	}
	log_emit(pri, line);
}

/*
 * Reload is not among the messages: the listener faces the network and
 * must not make the parent parse the file and resend the table at will.
 * Only the control socket asks for it (control.c).  Control answers
 * come only when asked for, and are checked there.
 */
static void
parent_dispatch(struct chan *c, struct imsg *im)
{
	struct parent_child	*pc = c->ch_arg;
	struct msg_gen		 mg;

	switch (im->hdr.type) {
	case IMSG_LOG:
		parent_log(c, im);
		break;
	case IMSG_CTL_SERVICE:
	case IMSG_CTL_CONN:
	case IMSG_CTL_END:
		control_child(pc->pc_role, c, im);
		break;
	case IMSG_CONF_ACK:
		if (im->datalen != sizeof(mg)) {
			proc_protocol_error(c, im, "bad config ack");
			return;
		}
		memcpy(&mg, im->data, sizeof(mg));
		if (pc->pc_role == ROLE_KEYS) {
			/* The keys are in place: the spawner may use them. */
			if (!parent.p_keysacking || mg.mg_gen != parent.p_gen) {
				proc_protocol_error(c, im, "bad config ack");
				return;
			}
			parent.p_keysacking = 0;
			parent_send_to(&parent.p_child[ROLE_SPAWNER]);
			break;
		}
		if (pc->pc_role == ROLE_LISTENER) {
			/*
			 * The listener has it: the generation is in force,
			 * every socket bound and both children running.
			 */
			if (mg.mg_gen == parent.p_gen) {
				log_info("generation %u in force: %u services",
				    mg.mg_gen, parent.p_conf->c_count);
				notify_ready(mg.mg_gen, parent.p_conf->c_count);
				control_in_force(mg.mg_gen);
				/*
				 * Parsing and sending the table left freed
				 * memory behind: give it back now.
				 */
				proc_trim_now();
			}
			break;
		}
		if (!parent.p_acking || parent.p_keysacking) {
			proc_protocol_error(c, im, "unexpected config ack");
			return;
		}
		if (mg.mg_gen != parent.p_gen) {
			proc_protocol_error(c, im, "config ack: generation");
			return;
		}
		parent.p_acking = 0;
		parent_send_to(&parent.p_child[ROLE_LISTENER]);
		if (parent.p_reloadagain) {
			parent.p_reloadagain = 0;
			parent_reload();
		}
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

/* For the control socket (control.c). */
struct conf *
parent_conf(void)
{
	return parent.p_conf;
}

uint32_t
parent_gen(void)
{
	return parent.p_gen;
}

/* A child's channel, if it runs and takes messages. */
struct chan *
parent_chan(enum role r)
{
	struct parent_child	*pc = &parent.p_child[r];

	if (pc->pc_pid == -1 || pc->pc_chan.ch_fd == -1 ||
	    pc->pc_chan.ch_dead)
		return NULL;
	return &pc->pc_chan;
}

/* inetdctl log: ours now, the children's by their channel. */
void
parent_set_verbose(int v)
{
	parent.p_verbose = v;
	log_setverbose(v);
}

void
parent_ctl_reload(void)
{
	parent_reload();
}

/* The parent's pid where update-inetd(8) and init scripts look for it. */
static void
parent_pidfile(void)
{
	FILE	*f;
	int	 fd;

	if ((fd = open(parent.p_pidfile, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC | O_NOFOLLOW, 0644)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		log_warn("%s", parent.p_pidfile);
		if (fd != -1)
			close(fd);
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) == EOF)
		log_warn("%s", parent.p_pidfile);
	else
		parent.p_pidwritten = 1;
}

static void
parent_start_role(enum role r)
{
	struct parent_child	*pc = &parent.p_child[r];
	struct msg_init		 mi;
	int			 fd, exefd;

	memset(&mi, 0, sizeof(mi));
	mi.mi_uid = parent.p_uid;
	mi.mi_gid = parent.p_gid;
	mi.mi_debug = parent.p_debug;
	mi.mi_verbose = parent.p_verbose;
	mi.mi_nofile_cur = parent.p_nofile.rlim_cur;
	mi.mi_nofile_max = parent.p_nofile.rlim_max;
	mi.mi_maxchild = parent.p_maxchild;
	pc->pc_role = r;
	/* The keys process is inetd-tls's, held open since the start. */
	if ((exefd = r == ROLE_KEYS ? tlsfiles_exefd() : parent.p_exefd) == -1)
		fatalx("inetd-tls is not there");
	if ((pc->pc_pid = proc_start(exefd, r, &fd)) == -1)
		fatal("starting the %s", proc_rolename(r));
	chan_init(&pc->pc_chan, fd, proc_rolename(r), parent_dispatch, pc);
	pc->pc_chan.ch_closed = parent_child_closed;
	proc_event_chan(&pc->pc_chan);
	proc_compose(&pc->pc_chan, IMSG_INIT, -1, &mi, sizeof(mi));
}

/*
 * The keys process, once a table has a tls= entry (it stays after),
 * and its channel with the spawner.
 */
static void
parent_start_keys(void)
{
	int	 sv[2], exefd;

	parent_start_role(ROLE_KEYS);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		fatal("socketpair");
	/* The spawner starts the TLS process from the same file. */
	if ((exefd = fcntl(tlsfiles_exefd(), F_DUPFD_CLOEXEC, 0)) == -1)
		fatal("dup");
	proc_compose(&parent.p_child[ROLE_SPAWNER].pc_chan, IMSG_TLSEXE,
	    exefd, NULL, 0);
	proc_compose(&parent.p_child[ROLE_KEYS].pc_chan, IMSG_PEER, sv[0],
	    NULL, 0);
	proc_compose(&parent.p_child[ROLE_SPAWNER].pc_chan, IMSG_KEYSPEER,
	    sv[1], NULL, 0);
}

static void
parent_start_children(void)
{
	int	 sv[2];

	parent.p_freshlistener = 1;
	parent_start_role(ROLE_LISTENER);
	parent_start_role(ROLE_SPAWNER);
	/* Broker the channel between listener and spawner. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		fatal("socketpair");
	proc_compose(&parent.p_child[ROLE_LISTENER].pc_chan, IMSG_PEER, sv[0],
	    NULL, 0);
	proc_compose(&parent.p_child[ROLE_SPAWNER].pc_chan, IMSG_PEER, sv[1],
	    NULL, 0);
}

/*
 * Send the table in force as a new generation: the keys of its tls=
 * entries first, to the spawner once the keys process has them, and to
 * the listener once the spawner has it, so that no process is asked
 * about a generation it does not know.
 */
static void
parent_send_conf(void)
{
	parent.p_gen++;
	parent.p_acking = 1;
	if (parent.p_child[ROLE_KEYS].pc_pid == -1) {
		if (!conf_has_tls(parent.p_conf)) {
			/* No keys, no keys process: straight to the spawner. */
			parent.p_keysacking = 0;
			parent_send_to(&parent.p_child[ROLE_SPAWNER]);
			return;
		}
		parent_start_keys();
	}
	parent.p_keysacking = 1;
	parent_send_keys(&parent.p_child[ROLE_KEYS]);
}

/* The end of a table sent to a child: n entries of this generation. */
static void
parent_send_confend(struct parent_child *pc, uint32_t n)
{
	struct msg_confend	 mce;

	memset(&mce, 0, sizeof(mce));
	mce.mce_gen = parent.p_gen;
	mce.mce_count = n;
	mce.mce_nindex = parent.p_conf->c_count;
	proc_compose(&pc->pc_chan, IMSG_CONF_END, -1, &mce, sizeof(mce));
}

/* The private keys of the tls= entries, to the keys process. */
static void
parent_send_keys(struct parent_child *pc)
{
	struct servconf		*se;
	struct ibuf		 b;
	uint32_t		 n = 0;

	TAILQ_FOREACH(se, &parent.p_conf->c_services, se_entry) {
		if (!se->se_tls)
			continue;
		ibuf_init(&b);
		ibuf_add(&b, &se->se_index, sizeof(se->se_index));
		ibuf_add(&b, se->se_tlsdata->td_key,
		    se->se_tlsdata->td_keylen);
		if (b.ib_error)
			fatalx("%s/%s: key too large", se->se_service,
			    se->se_proto);
		proc_compose(&pc->pc_chan, IMSG_TLSKEY, -1, b.ib_buf,
		    b.ib_len);
		explicit_bzero(b.ib_buf, b.ib_len);
		ibuf_free(&b);
		n++;
	}
	parent_send_confend(pc, n);
}

/*
 * An entry's access rules, right after the entry, in as many messages
 * as it takes: a child compiles them once it has them all.
 */
static void
parent_send_acl(struct chan *c, const struct servconf *se)
{
	struct msg_acl	 ma;
	struct ibuf	 b;
	int		 i, n;

	for (i = 0; i < se->se_nacl; i += n) {
		n = se->se_nacl - i;
		if (n > CONF_ACLCHUNK)
			n = CONF_ACLCHUNK;
		memset(&ma, 0, sizeof(ma));
		ma.ma_index = se->se_index;
		ma.ma_count = n;
		ibuf_init(&b);
		ibuf_add(&b, &ma, sizeof(ma));
		ibuf_add(&b, &se->se_acl[i], n * sizeof(*se->se_acl));
		if (b.ib_error)
			fatalx("access list message too large");
		proc_compose(c, IMSG_ACL, -1, b.ib_buf, b.ib_len);
		ibuf_free(&b);
	}
}

/*
 * Room for one more message on the way to a child.  Each queued socket
 * is a copy the parent holds until the child reads it, and a table sent
 * at once would double what the parent holds; a long queue is memory,
 * and past CHAN_MAXQUEUE the end of the channel.  With PARENT_INFLIGHT
 * descriptors or PARENT_QUEUED messages queued, wait for the child to
 * read, PARENT_SENDWAIT seconds at most.  A child that reads nothing in
 * that time is ended, as one whose queue is full.  0 if the channel
 * ended.
 */
static int
parent_room(struct parent_child *pc)
{
	struct chan	*c = &pc->pc_chan;
	struct pollfd	 pfd;
	struct timespec	 end, now;
	int		 ms, n;

	if (c->ch_queuedfds < PARENT_INFLIGHT && c->ch_queued < PARENT_QUEUED)
		return c->ch_fd != -1 && !c->ch_dead;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += PARENT_SENDWAIT;
	while (c->ch_queuedfds >= PARENT_INFLIGHT ||
	    c->ch_queued >= PARENT_QUEUED) {
		if (c->ch_fd == -1 || c->ch_dead)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (end.tv_sec - now.tv_sec) * 1000 +
		    (end.tv_nsec - now.tv_nsec) / 1000000;
		pfd.fd = c->ch_fd;
		pfd.events = POLLOUT;
		if (ms <= 0 || (n = poll(&pfd, 1, ms)) == 0) {
			log_warnx("%s reads nothing of its table in %d "
			    "seconds; ending it", proc_rolename(pc->pc_role),
			    PARENT_SENDWAIT);
			proc_chan_ended(c);
			return 0;
		}
		if (n == -1 && errno != EINTR)
			fatal("poll");
		if (chan_flush(c) == -1) {
			log_warnx("channel to %s: %s", c->ch_peer, c->ch_err);
			proc_chan_ended(c);
			return 0;
		}
	}
	return 1;
}

static void
parent_send_to(struct parent_child *pc)
{
	struct servconf		*se;
	struct ibuf		 b;
	int			 fd;
	uint32_t		 n = 0;

	TAILQ_FOREACH(se, &parent.p_conf->c_services, se_entry) {
		fd = -1;
		if (parent.p_freshlistener)
			se->se_reuse = -1;
		if (!parent_room(pc))
			return;
		/*
		 * A socket the listener holds already is named, not sent
		 * again: it would hold two of each while the table changes.
		 */
		if (pc->pc_role == ROLE_LISTENER && !se->se_mux &&
		    se->se_reuse == -1) {
			if (se->se_fd == -1)
				continue;
			if ((fd = fcntl(se->se_fd, F_DUPFD_CLOEXEC, 0)) == -1)
				fatal("dup");
		}
		/* A tls= entry's engines get their settings from the spawner. */
		if (pc->pc_role == ROLE_SPAWNER && se->se_tls &&
		    (fd = tls_settings_fd(se, parent.p_uid, parent.p_gid)) == -1)
			fatal("%s/%s: tls settings", se->se_service,
			    se->se_proto);
		ibuf_init(&b);
		servconf_pack(se, &b, pc->pc_role);
		if (b.ib_error)
			fatalx("service entry too large");
		proc_compose(&pc->pc_chan, IMSG_SERVICE, fd, b.ib_buf,
		    b.ib_len);
		ibuf_free(&b);
		parent_send_acl(&pc->pc_chan, se);
		n++;
	}
	/* The listener gets no entry for a socket that is not bound. */
	parent_send_confend(pc, n);
	if (pc->pc_role == ROLE_LISTENER)
		parent.p_freshlistener = 0;
}

/*
 * glibc's per-thread cache of freed chunks (tcache) keeps up to seven
 * chunks of each size for the next allocation and never gives them
 * back: scattered over the heap, they held 100-150 kB of the three
 * processes' pages after the trim.  It is also the path of glibc's
 * malloc with the fewest integrity checks, the first one a heap
 * overflow goes for.  Every process of inetd runs without it.  glibc
 * reads the setting when a program starts, so the parent starts itself
 * again, once, with it in the environment that every process it starts
 * inherits (a service gets an environment of its own, child_environ).
 * An administrator's own glibc.malloc.tcache_count is left as it is;
 * if the new start fails, this one goes on with the cache.
 */
#define PARENT_TUNABLE	"glibc.malloc.tcache_count="
static void
parent_tunables(char *argv[])
{
	const char	*old = getenv("GLIBC_TUNABLES");
	struct stat	 self, st;
	char		*tun, path[PATH_MAX];
	ssize_t		 n;

	if (old != NULL && strstr(old, PARENT_TUNABLE) != NULL)
		return;
	/*
	 * By its path, so that ps and pkill still see "inetd", and only if
	 * the path still names this very file (an upgrade may have put
	 * another there; that one starts at the next start).
	 */
	n = readlink("/proc/self/exe", path, sizeof(path));
	if (n <= 0 || (size_t)n >= sizeof(path))
		return;
	path[n] = '\0';
	if (stat("/proc/self/exe", &self) == -1 || stat(path, &st) == -1 ||
	    st.st_dev != self.st_dev || st.st_ino != self.st_ino)
		return;
	if (asprintf(&tun, "%s%s" PARENT_TUNABLE "0", old != NULL ? old : "",
	    old != NULL && old[0] != '\0' ? ":" : "") == -1)
		return;
	if (setenv("GLIBC_TUNABLES", tun, 1) == 0)
		execv(path, argv);
	free(tun);
}

/* What must hold before anything starts; nothing is logged yet. */
static void
parent_preflight(void)
{
	struct names_pw	 pw;
	struct stat	 st;
	int		 found;

	if (geteuid() != 0)
		errx(1, "must be started as root");
	/*
	 * Roles are started from this very file, held open: not from its
	 * path, which an upgrade or a user who can write its directory
	 * may have made name another binary by the time one restarts.
	 */
	if ((parent.p_exefd = open("/proc/self/exe",
	    O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "/proc/self/exe");
	names_setexe(parent.p_exefd);
	/* The lookup process stays for the load that follows. */
	if ((found = names_getpwnam(INETD_USER, &pw)) == -1)
		errx(1, "looking up user %s: %s", INETD_USER, names_error());
	if (found == 0)
		errx(1, "no user %s for the listener (make install "
		    "creates it)", INETD_USER);
	parent.p_uid = pw.np_uid;
	parent.p_gid = pw.np_gid;
	if (parent.p_uid == 0)
		errx(1, "user %s must not be root", INETD_USER);
	/* Group 0 owns and may write files that are root's in all else. */
	if (parent.p_gid == 0)
		errx(1, "user %s must not have group 0", INETD_USER);
	if (stat(INETD_CHROOT, &st) == -1 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != 0 || (st.st_mode & 022))
		errx(1, "%s must be a directory owned by root and "
		    "writable by nobody else", INETD_CHROOT);
	/* inetd-tls likewise; without it, tls= entries are refused. */
	(void)tlsfiles_exefd();
}

static void
parent_signals(void)
{
	size_t	 i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < nitems(parent_signums); i++) {
		signal_set(&parent.p_evsig[i], parent_signums[i], parent_sig,
		    NULL);
		signal_add(&parent.p_evsig[i], NULL);
	}
}

/* Long as relayd's is: options, then each start-up step once, in order. */
int
main(int argc, char *argv[])
{
	struct servconf	*se;
	char		 errbuf[256];
	enum role	 r;
	int		 ch, checkonly = 0, nbound = 0, max, cset = 0;
	const char	*role = NULL, *errstr;

	parent_tunables(argv);
#ifdef INETD_COVERAGE
	coverage_open(argc, argv);
#endif
	parent.p_maxchild = SPAWNER_MAXCHILD;
	parent.p_socket = INETD_SOCKET;
	parent.p_pidfile = INETD_PIDFILE;
	parent.p_rogroup = INETD_ROGROUP;
	while ((ch = getopt(argc, argv, "c:dg:np:P:r:R:s:v")) != -1) {
		switch (ch) {
		case 'c':
			parent.p_maxchild = strtonum(optarg, 1,
			    SPAWNER_MAXCHILD, &errstr);
			if (errstr != NULL)
				errx(1, "-c %s: %s (1 to %d)", optarg, errstr,
				    SPAWNER_MAXCHILD);
			cset = 1;
			break;
		case 'd':
			parent.p_debug = 1;
			break;
		case 'g':
			parent.p_rogroup = optarg;
			break;
		case 'n':
			checkonly = 1;
			break;
		case 'p':
			parent.p_pidfile = optarg;
			break;
		case 'r':
			parent.p_rosocket = optarg;
			break;
		case 's':
			parent.p_socket = optarg;
			break;
		case 'P':
			role = optarg;
			break;
		case 'R':
			max = strtonum(optarg, 1, CONF_MAXRATE, &errstr);
			if (errstr != NULL)
				errx(1, "-R %s: %s", optarg, errstr);
			conf_set_defmax(max);
			break;
		case 'v':
			parent.p_verbose++;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (role != NULL) {
		if (argc != 0)
			usage();
		sanitize_role(role);
		if (strcmp(role, "listener") == 0)
			listener_main();
		if (strcmp(role, "spawner") == 0)
			spawner_main();
		if (strcmp(role, "lookup") == 0)
			names_main();
		errx(1, "unknown role \"%s\"", role);
	}
	if (argc > 1)
		usage();
	parent.p_conffile = argc == 1 ? argv[0] : INETD_CONF;

	log_init(1, LOG_DAEMON);
	log_setverbose(parent.p_verbose || parent.p_debug);
	if (checkonly) {
		sanitize_leakcheck(1);
		if ((parent.p_conf = conf_load(parent.p_conffile)) == NULL)
			exit(1);
		printconf(parent.p_conf, cset ? parent.p_maxchild : 0);
		names_done();
		exit(0);
	}
	/*
	 * Before any role, service or lookup process is started with our
	 * environment.
	 */
	notify_init();
	parent_preflight();
	if ((parent.p_conf = conf_load(parent.p_conffile)) == NULL)
		exit(1);
	parent_nofile();
	if (!parent_fits(parent.p_conf, NULL))
		exit(1);
	control_init(parent.p_socket, parent.p_rosocket, parent.p_rogroup);

	if (!parent.p_debug && daemon(0, 0) == -1)
		err(1, "daemon");
	log_init(parent.p_debug, LOG_DAEMON);
	log_setverbose(parent.p_verbose);
	setproctitle("parent");

	event_init();
	proc_trim_init();
	parent_signals();
	control_listen();
	/* Once SIGHUP is ours: update-inetd(8) sends it to this pid. */
	parent_pidfile();

	for (r = ROLE_LISTENER; r < ROLE_NPARENT; r++) {
		parent.p_child[r].pc_pid = -1;
		parent.p_child[r].pc_chan.ch_fd = -1;
	}
	parent_start_children();
	TAILQ_FOREACH(se, &parent.p_conf->c_services, se_entry)
		if (!se->se_mux && bind_service(se) == 0)
			nbound++;
	/* An ancestor of every service: the baseline, nothing more. */
	if (pledge_baseline(errbuf, sizeof(errbuf)) == -1)
		fatalx("baseline filter: %s", errbuf);
	parent_send_conf();
	log_info("started: %d of %u services listening, generation %u",
	    nbound, parent.p_conf->c_count, parent.p_gen);

	event_dispatch();
	fatalx("event loop ended");
}
