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
 * The spawner: keeps root only to set credentials and chroot.  It runs
 * programs from its own copy of the configuration, chosen by index, and
 * never reads network data.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "inetd.h"
#include "tlskey.h"

struct schild {
	RB_ENTRY(schild)	 sc_entry;
	RB_ENTRY(schild)	 sc_dlentry;	/* in s_deadlines */
	pid_t			 sc_pid;
	uint32_t		 sc_index;
	uint32_t		 sc_gen;
	uint32_t		 sc_token;	/* the listener's, given back */
	int			 sc_wait;	/* a wait program */
	int			 sc_slot;	/* its word before exec */
	int			 sc_timeout;	/* seconds, 0: none */
	uint64_t		 sc_deadline;	/* msec, monotonic, if timed */
	int			 sc_timed;	/* in s_deadlines */
	int			 sc_termsent;	/* its timeout came: SIGTERM */
	int			 sc_killed;	/* by inetdctl kill */
	char			 sc_name[CONF_MAXNAME + 16];
	/* For its record (log=): whom it served, as whom, since when. */
	int			 sc_log;
	uint64_t		 sc_started;	/* msec, monotonic */
	char			 sc_peer[INET6_ADDRSTRLEN + 16];
	char			 sc_user[CONF_MAXNAME];
};
RB_HEAD(schild_tree, schild);
RB_HEAD(schild_deadlines, schild);

/*
 * A connection's TLS engine: not a service, never counted as one (its
 * service is), but reaped and its end logged with the peer it served.
 */
struct sengine {
	RB_ENTRY(sengine)	 e_entry;
	uint32_t		 e_id;		/* the TLS process reports by it */
	int			 e_timeout;	/* its handshake deadline */
	char			 e_name[CONF_MAXNAME + 16];
	char			 e_who[INET6_ADDRSTRLEN + 32];
};
RB_HEAD(sengine_tree, sengine);

static int
sengine_cmp(struct sengine *a, struct sengine *b)
{
	return a->e_id < b->e_id ? -1 : a->e_id > b->e_id;
}
RB_GENERATE_STATIC(sengine_tree, sengine, e_entry, sengine_cmp);

static int
schild_cmp(struct schild *a, struct schild *b)
{
	return a->sc_pid < b->sc_pid ? -1 : a->sc_pid > b->sc_pid;
}
RB_GENERATE_STATIC(schild_tree, schild, sc_entry, schild_cmp);

/* The earliest deadline first; children with the same one by pid. */
static int
schild_deadline_cmp(struct schild *a, struct schild *b)
{
	if (a->sc_deadline != b->sc_deadline)
		return a->sc_deadline < b->sc_deadline ? -1 : 1;
	return a->sc_pid < b->sc_pid ? -1 : a->sc_pid > b->sc_pid;
}
RB_GENERATE_STATIC(schild_deadlines, schild, sc_dlentry,
    schild_deadline_cmp);

/*
 * A child on its way, from the request to the return of vfork.  The
 * main thread owns it, except the fields the launcher thread and the
 * child write until the launcher hands it back: l_pid (the child's,
 * stored first thing), l_ret and l_errno (vfork's).
 */
struct launch {
	TAILQ_ENTRY(launch)	 l_entry;
	struct launcher		*l_lr;		/* the thread it goes to */
	struct schild		*l_sc;		/* counted from the request */
	const struct servconf	*l_se;
	struct conf		*l_conf;	/* l_se's table: kept till done */
	int			 l_conn;
	char			**l_env;
	struct event		 l_readyev;	/* tls=: in s_tlswait, on l_conn */
	int			 l_fork;	/* fork, not vfork */
	pid_t			 l_pid;
	pid_t			 l_ret;
	int			 l_errno;
	int			 l_reaped;	/* reaped before handed back */
	int			 l_wstatus;
	uint64_t		 l_seq;		/* which one, for the watch */
};
TAILQ_HEAD(launchq, launch);

/*
 * A launcher thread.  A thread has its own capability bounding set, and
 * its children inherit it: one thread keeps the whole set, for services
 * that keep capabilities or may gain privileges, the other empties its
 * own once, so that the children of every other service (no caps=, not
 * root: the common case) need not drop forty capabilities one change of
 * credentials at a time.
 */
struct launcher {
	int			 lr_reqfd[2];	/* its queue */
	int			 lr_bounded;	/* bounding set emptied */
	struct launch		*lr_current;	/* the one it is on, or NULL */
	uint64_t		 lr_watched;	/* seen by the watch timer */
	time_t			 lr_watchsince;
};
#define SPAWNER_FULL		0	/* the whole bounding set */
#define SPAWNER_BOUNDED		1	/* an empty one */
#define SPAWNER_NLAUNCHERS	2

static struct {
	struct chan		 s_parent;
	struct chan		 s_listener;
	int			 s_havelistener;
	struct chan		 s_keys;	/* tls=: the keys process */
	int			 s_havekeys;
	struct chan		 s_tls;		/* tls=: the TLS process */
	pid_t			 s_tlspid;
	struct msg_init		 s_init_msg;
	int			 s_exefd;	/* inetd-tls, for it */
	struct sengine_tree	 s_engines;
	uint32_t		 s_engineid;
	int			 s_init;
	struct conf		*s_conf;
	struct conf		*s_next;
	struct conf		*s_prev;	/* until the listener moves */
	int			 s_prevretired;	/* it took too long: no more */
	struct event		 s_prevtimer;
	uint32_t		 s_lgen;	/* the listener's, as it said */
	struct servconf		**s_byindex;
	struct servconf		**s_prevbyindex;
	uint32_t		 s_nindex;
	uint32_t		 s_prevnindex;
	struct schild_tree	 s_children;
	int			 s_nchildren;	/* launches in the queue too */
	int			 s_maxchild;	/* -c: the global ceiling */
	/*
	 * Children with a timeout, by deadline, and one timer for the
	 * earliest: a deadline costs a tree insertion, not a timer, and
	 * the timer never walks the children.
	 */
	struct schild_deadlines	 s_deadlines;
	struct event		 s_deadlineev;
	struct rlimit		 s_nofile;	/* what services get */
	time_t			 s_logwindow;	/* refusals: lines logged */
	int			 s_logged;
	int			 s_lognot;
	struct launchq		 s_launches;	/* handed to the launchers */
	struct launchq		 s_tlswait;	/* handshakes under way */
	struct launcher		 s_launchers[SPAWNER_NLAUNCHERS];
	uint64_t		 s_seq;		/* launches numbered */
	int			 s_donefd[2];	/* back from the launchers */
	struct event		 s_doneev;
	struct event		 s_watchev;
	struct conf		**s_dead;	/* freed once no launch uses */
	size_t			 s_ndead;
	int			 s_dumpfd;	/* fs.suid_dumpable, or -1 */
	/*
	 * What a child says if a step before exec fails: one slot per
	 * child in shared memory, which a forked child writes as well.
	 */
	struct child_status	*s_slots;
	uint16_t		*s_freeslots;
	int			 s_nfree;
} spw;

static void	 spawner_dispatch_parent(struct chan *, struct imsg *);
static void	 spawner_dispatch_listener(struct chan *, struct imsg *);
static void	 spawner_dispatch_keys(struct chan *, struct imsg *);
static void	 spawner_refused(uint32_t, uint32_t, uint32_t, int);
static int	 spawner_check_peer(const struct servconf *, int, char *,
		    size_t);
static void	 spawner_count(const struct schild *, int);
static void	 spawner_exited(struct schild *, int);
static void	 spawner_peer(const struct servconf *, int,
		    const struct msg_proxy *, char *, size_t);
static void	 spawner_conf_free(struct conf *);
static void	 spawner_launch_done(int, short, void *);
static void	 spawner_engine_exited(struct sengine *, pid_t, int);
static void	 spawner_refusal_log(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));

static struct sservice *
spawner_sservice(const struct servconf *se)
{
	return se->se_priv;
}

/*
 * A launcher thread: one vfork at a time, so that only this thread,
 * never the event loop, waits for a child to reach exec.  From its
 * setresuid() on the child belongs to the service's user, who may stop
 * it at will; the event loop sees the stop and kills the child
 * (spawner_watch).  vfork, not fork: the child borrows our memory
 * instead of copying it, which is most of the cost of a spawn.  Every
 * signal is blocked in this thread, so that none of our handlers runs
 * in the child; the child empties its mask itself.  The thread touches
 * nothing but the launch it is handed and the pipes.  It is started
 * once our own confinement is complete: a thread has its own seccomp
 * filter and capability sets, and passes them to the child.  First it
 * says on the answer pipe whether its bounding set is as it should be.
 */
static void *
spawner_launcher(void *arg)
{
	struct launcher	*lr = arg;
	struct launch	*l;
	const struct servconf *se;
	pid_t		 pid;
	int		 err = 0;

	if (lr->lr_bounded && caps_bound(0) == -1)
		err = errno != 0 ? errno : EPERM;
	if (write(spw.s_donefd[1], &err, sizeof(err)) != sizeof(err) ||
	    err != 0)
		return NULL;
	for (;;) {
		if (read(lr->lr_reqfd[0], &l, sizeof(l)) != sizeof(l))
			abort();
		__atomic_store_n(&lr->lr_current, l, __ATOMIC_RELEASE);
		se = l->l_se;
		if ((pid = l->l_fork ? fork() : vfork()) == 0) {
			__atomic_store_n(&l->l_pid, getpid(),
			    __ATOMIC_RELEASE);
			child_exec(se, spawner_sservice(se), &spw.s_nofile,
			    l->l_conn, &spw.s_slots[l->l_sc->sc_slot],
			    l->l_env, lr->lr_bounded);
		}
		l->l_errno = errno;
		l->l_ret = pid;
		__atomic_store_n(&lr->lr_current, NULL, __ATOMIC_RELEASE);
		if (write(spw.s_donefd[1], &l, sizeof(l)) != sizeof(l))
			abort();
	}
	return NULL;
}

static void
spawner_launcher_start(void)
{
	struct launcher	*lr;
	pthread_attr_t	 attr;
	pthread_t	 t;
	sigset_t	 all, omask;
	size_t		 len;
	int		 rv, i, err;

	len = SPAWNER_MAXCHILD * sizeof(*spw.s_slots);
	if ((spw.s_slots = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		fatal("mmap");
	if ((spw.s_freeslots = reallocarray(NULL, SPAWNER_MAXCHILD,
	    sizeof(*spw.s_freeslots))) == NULL)
		fatal("reallocarray");
	for (i = 0; i < SPAWNER_MAXCHILD; i++)
		spw.s_freeslots[i] = SPAWNER_MAXCHILD - 1 - i;
	spw.s_nfree = SPAWNER_MAXCHILD;

	if (pipe2(spw.s_donefd, O_CLOEXEC) == -1)
		fatal("pipe2");
	if ((rv = pthread_attr_init(&attr)) != 0 ||
	    (rv = pthread_attr_setstacksize(&attr, 256 * 1024)) != 0 ||
	    (rv = pthread_attr_setdetachstate(&attr,
	    PTHREAD_CREATE_DETACHED)) != 0)
		fatalx("pthread_attr: %s", strerror(rv));
	sigfillset(&all);
	for (i = 0; i < SPAWNER_NLAUNCHERS; i++) {
		lr = &spw.s_launchers[i];
		lr->lr_bounded = i == SPAWNER_BOUNDED;
		if (pipe2(lr->lr_reqfd, O_CLOEXEC) == -1)
			fatal("pipe2");
		sigprocmask(SIG_SETMASK, &all, &omask);
		if ((rv = pthread_create(&t, &attr, spawner_launcher,
		    lr)) != 0)
			fatalx("pthread_create: %s", strerror(rv));
		sigprocmask(SIG_SETMASK, &omask, NULL);
		if (read(spw.s_donefd[0], &err, sizeof(err)) != sizeof(err))
			fatal("launcher");
		if (err != 0) {
			errno = err;
			fatal("launcher: bounding set");
		}
	}
	pthread_attr_destroy(&attr);
	event_set(&spw.s_doneev, spw.s_donefd[0], EV_READ | EV_PERSIST,
	    spawner_launch_done, NULL);
	if (event_add(&spw.s_doneev, NULL) == -1)
		fatal("event_add");
}

static time_t
spawner_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return ts.tv_sec;
}

static uint64_t
spawner_msec(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The timer goes off at the earliest deadline.  It is set again when a
 * deadline earlier than all others comes, and after it went off; a
 * child that exits first leaves it alone, to go off for nothing once.
 */
static void
spawner_deadline_arm(void)
{
	struct schild	*sc;
	struct timeval	 tv;
	uint64_t	 now, left;

	evtimer_del(&spw.s_deadlineev);
	if ((sc = RB_MIN(schild_deadlines, &spw.s_deadlines)) == NULL)
		return;
	now = spawner_msec();
	left = sc->sc_deadline > now ? sc->sc_deadline - now : 0;
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	if (evtimer_add(&spw.s_deadlineev, &tv) == -1)
		fatal("evtimer_add");
}

static void
spawner_deadline_clear(struct schild *sc)
{
	if (!sc->sc_timed)
		return;
	RB_REMOVE(schild_deadlines, &spw.s_deadlines, sc);
	sc->sc_timed = 0;
}

static void
spawner_deadline_set(struct schild *sc, uint64_t when)
{
	spawner_deadline_clear(sc);
	sc->sc_deadline = when;
	RB_INSERT(schild_deadlines, &spw.s_deadlines, sc);
	sc->sc_timed = 1;
	if (RB_MIN(schild_deadlines, &spw.s_deadlines) == sc)
		spawner_deadline_arm();
}

/*
 * Signal a service: its process group, which it leads from its setsid()
 * on, so that what it started goes too; the child alone if it has not
 * got that far.  The child is not reaped yet, so its pid, and a group
 * of that number, are still its own.
 */
static void
spawner_signal(const struct schild *sc, int sig)
{
	if (kill(-sc->sc_pid, sig) == -1 && kill(sc->sc_pid, sig) == -1 &&
	    errno != ESRCH)
		log_warn("%s: pid %d: kill", sc->sc_name, sc->sc_pid);
}

/*
 * Deadlines that have come: a child at the end of its timeout gets
 * SIGTERM, and SPAWNER_KILLGRACE seconds later, if it is still there,
 * SIGKILL.
 */
static void
spawner_deadline(int fd, short ev, void *arg)
{
	struct schild	*sc;
	uint64_t	 now = spawner_msec();

	(void)fd;
	(void)ev;
	(void)arg;
	while ((sc = RB_MIN(schild_deadlines, &spw.s_deadlines)) != NULL &&
	    sc->sc_deadline <= now) {
		spawner_deadline_clear(sc);
		if (!sc->sc_termsent) {
			log_warnx("%s: pid %d killed after its timeout of %d "
			    "seconds", sc->sc_name, sc->sc_pid,
			    sc->sc_timeout);
			sc->sc_termsent = 1;
			spawner_signal(sc, SIGTERM);
			sc->sc_deadline = now + SPAWNER_KILLGRACE * 1000;
			RB_INSERT(schild_deadlines, &spw.s_deadlines, sc);
			sc->sc_timed = 1;
		} else {
			log_warnx("%s: pid %d still running %d seconds after "
			    "SIGTERM; SIGKILL", sc->sc_name, sc->sc_pid,
			    SPAWNER_KILLGRACE);
			spawner_signal(sc, SIGKILL);
		}
	}
	spawner_deadline_arm();
}

/*
 * Whether a child may borrow our memory until exec.  Not when the
 * kernel leaves a process dumpable across setresuid() (fs.suid_dumpable
 * 1): the service's user could then trace the child and, through it,
 * write the memory of the root spawner.  Read for every launch, since
 * an administrator may change it at any time.
 */
static int
spawner_vfork_safe(void)
{
	char	 c;

	return spw.s_dumpfd != -1 && pread(spw.s_dumpfd, &c, 1, 0) == 1 &&
	    c != '1';
}

/*
 * Hand a launch to its launcher: the one with an empty bounding set when
 * the service keeps no capability and no-new-privileges is on, as
 * caps_limit() would leave it.  The pipe is its queue, and never fills:
 * it holds more pointers than there can be children.
 */
static void
spawner_launch(struct launch *l)
{
	const struct servconf	*se = l->l_se;
	struct timeval		 tv;

	l->l_fork = !spawner_vfork_safe();
	l->l_seq = ++spw.s_seq;
	l->l_lr = &spw.s_launchers[!se->se_newprivs && se->se_caps == 0 ?
	    SPAWNER_BOUNDED : SPAWNER_FULL];
	TAILQ_INSERT_TAIL(&spw.s_launches, l, l_entry);
	if (write(l->l_lr->lr_reqfd[1], &l, sizeof(l)) != sizeof(l))
		fatal("launcher");
	if (!evtimer_pending(&spw.s_watchev, NULL)) {
		timerclear(&tv);
		tv.tv_sec = 1;
		evtimer_add(&spw.s_watchev, &tv);
	}
}

/*
 * The child the launcher waits for must reach exec: one stopped on its
 * way (by its own user, from setresuid() on) or too slow is killed, so
 * that the launcher and every later request are free again.  Called on
 * SIGCHLD, which a stop raises, and every second while launches are
 * out.  A launch is freed only by this thread, after the launcher has
 * handed it back, so the one read here stays valid while it is used.
 */
static void
spawner_watch(int timer)
{
	struct launcher	*lr;
	struct launch	*l;
	siginfo_t	 si;
	pid_t		 pid;
	const char	*why;
	int		 i;

	for (i = 0; i < SPAWNER_NLAUNCHERS; i++) {
		lr = &spw.s_launchers[i];
		/* By number: a new launch may reuse a freed one's memory. */
		l = __atomic_load_n(&lr->lr_current, __ATOMIC_ACQUIRE);
		if (timer && (l == NULL || l->l_seq != lr->lr_watched)) {
			lr->lr_watched = l != NULL ? l->l_seq : 0;
			lr->lr_watchsince = spawner_now();
		}
		if (l == NULL ||
		    (pid = __atomic_load_n(&l->l_pid, __ATOMIC_ACQUIRE)) <= 0)
			continue;
		memset(&si, 0, sizeof(si));
		why = NULL;
		if (waitid(P_PID, pid, &si, WSTOPPED | WNOHANG | WNOWAIT) ==
		    0 && si.si_pid == pid)
			why = "stopped";
		else if (timer && l->l_seq == lr->lr_watched &&
		    spawner_now() - lr->lr_watchsince >= SPAWNER_LAUNCHMAX)
			why = "too slow";
		if (why != NULL && kill(pid, SIGKILL) == 0)
			spawner_refusal_log("%s/%s: pid %d %s before exec; "
			    "killed", l->l_se->se_service, l->l_se->se_proto,
			    pid, why);
	}
}

static void
spawner_watch_timer(int fd, short ev, void *arg)
{
	struct timeval	 tv;
	int		 i;

	(void)fd;
	(void)ev;
	(void)arg;
	if (TAILQ_EMPTY(&spw.s_launches)) {
		for (i = 0; i < SPAWNER_NLAUNCHERS; i++)
			spw.s_launchers[i].lr_watched = 0;
		return;
	}
	spawner_watch(1);
	timerclear(&tv);
	tv.tv_sec = 1;
	evtimer_add(&spw.s_watchev, &tv);
}

/* Free the tables a reload gave up once no launch needs them. */
/* Whether a launch, queued or waiting for its handshake, needs c. */
static int
spawner_conf_used(const struct conf *c)
{
	struct launch	*l;

	TAILQ_FOREACH(l, &spw.s_launches, l_entry)
		if (l->l_conf == c)
			return 1;
	TAILQ_FOREACH(l, &spw.s_tlswait, l_entry)
		if (l->l_conf == c)
			return 1;
	return 0;
}

static void
spawner_dead_free(void)
{
	size_t		 i = 0;

	while (i < spw.s_ndead) {
		if (spawner_conf_used(spw.s_dead[i])) {
			i++;
			continue;
		}
		spawner_conf_free(spw.s_dead[i]);
		spw.s_dead[i] = spw.s_dead[--spw.s_ndead];
	}
}

/* A table given up: freed now, or once its launches are done. */
static void
spawner_conf_release(struct conf *c)
{
	if (c == NULL)
		return;
	if (!spawner_conf_used(c)) {
		spawner_conf_free(c);
		return;
	}
	if ((spw.s_dead = reallocarray(spw.s_dead, spw.s_ndead + 1,
	    sizeof(*spw.s_dead))) == NULL)
		fatal("reallocarray");
	spw.s_dead[spw.s_ndead++] = c;
	log_debug("generation %u kept until its launches are done",
	    c->c_gen);
}

/* An engine is gone: say how, if it did not end well. */
static void
spawner_engine_exited(struct sengine *e, pid_t pid, int status)
{
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		kmsg_killed(e->e_name, pid);
	else if (WIFSIGNALED(status))
		log_debug("%s: tls engine pid %d killed by signal %d",
		    e->e_name, pid, WTERMSIG(status));
	else
		switch (WEXITSTATUS(status)) {
		case TLSENG_DONE:
			log_debug("%s: tls: %s done", e->e_name, e->e_who);
			break;
		case TLSENG_FAILED:
			spawner_refusal_log("%s: tls: handshake with %s failed; "
			    "closed", e->e_name, e->e_who);
			break;
		case TLSENG_DEADLINE:
			spawner_refusal_log("%s: tls: handshake with %s not "
			    "done in %d s; closed", e->e_name, e->e_who,
			    e->e_timeout);
			break;
		case TLSENG_STALL:
			spawner_refusal_log("%s: tls: %s did not read for %d s; "
			    "closed", e->e_name, e->e_who, e->e_timeout);
			break;
		default:
			log_warnx("%s: tls: the engine for %s could not start; "
			    "closed", e->e_name, e->e_who);
			break;
		}
	RB_REMOVE(sengine_tree, &spw.s_engines, e);
	free(e);
}

/*
 * vfork has returned: the child is in its program, or gone.  From here
 * on it is a child like any other.
 */
static void
spawner_launched(struct launch *l)
{
	struct schild		*sc = l->l_sc;
	struct msg_child	 mc;

	close(l->l_conn);
	child_environ_free(l->l_env);
	if (l->l_ret == -1) {
		errno = l->l_errno;
		log_warn("%s: fork", sc->sc_name);
		spawner_count(sc, -1);
		spw.s_nchildren--;
		spw.s_freeslots[spw.s_nfree++] = sc->sc_slot;
		spawner_refused(sc->sc_index, sc->sc_gen, sc->sc_token, -1);
		free(sc);
		return;
	}
	sc->sc_pid = l->l_ret;
	sc->sc_started = spawner_msec();
	RB_INSERT(schild_tree, &spw.s_children, sc);
	/* Its lifetime runs from here: it is in its program. */
	if (sc->sc_timeout > 0 && !l->l_reaped)
		spawner_deadline_set(sc, spawner_msec() +
		    (uint64_t)sc->sc_timeout * 1000);
	memset(&mc, 0, sizeof(mc));
	mc.mc_index = sc->sc_index;
	mc.mc_gen = sc->sc_gen;
	mc.mc_pid = sc->sc_pid;
	mc.mc_token = sc->sc_token;
	proc_compose(&spw.s_listener, IMSG_CHILD_START, -1, &mc, sizeof(mc));
	log_debug("%s: started pid %d", sc->sc_name, sc->sc_pid);
	if (l->l_reaped)
		spawner_exited(sc, l->l_wstatus);
}

static void
spawner_launch_done(int fd, short ev, void *arg)
{
	struct launch	*l, *f;

	(void)ev;
	(void)arg;
	/* Ours, and the oldest its launcher was asked for. */
	if (read(fd, &l, sizeof(l)) != sizeof(l))
		fatalx("launcher: bad answer");
	TAILQ_FOREACH(f, &spw.s_launches, l_entry)
		if (f == l)
			break;
	if (f == NULL)
		fatalx("launcher: bad answer");
	TAILQ_FOREACH(f, &spw.s_launches, l_entry)
		if (f->l_lr == l->l_lr)
			break;
	if (f != l)
		fatalx("launcher: bad answer");
	TAILQ_REMOVE(&spw.s_launches, l, l_entry);
	spawner_launched(l);
	free(l);
	spawner_dead_free();
}

/*
 * Whether a local address is one the entry listens on.  The entry's own
 * socket (exact: a wait service's listening or datagram socket) has its
 * whole address.  A connection accepted on it has its port, and its
 * address unless it is bound to any.  Its IPv6 socket is v6-only, so no
 * connection of its own has a v4-mapped local address.
 */
static int
spawner_addr_fits(const struct servconf *se,
    const struct sockaddr_storage *ss, socklen_t len, int exact)
{
	const struct sockaddr_in	*a4, *e4;
	const struct sockaddr_in6	*a6, *e6;
	const struct sockaddr_un	*au, *eu;

	if (ss->ss_family != se->se_ss.ss_family)
		return 0;
	switch (ss->ss_family) {
	case AF_INET:
		a4 = (const struct sockaddr_in *)ss;
		e4 = (const struct sockaddr_in *)&se->se_ss;
		if (len != sizeof(*a4) || a4->sin_port != e4->sin_port)
			return 0;
		if (!exact && e4->sin_addr.s_addr == htonl(INADDR_ANY))
			return 1;
		return a4->sin_addr.s_addr == e4->sin_addr.s_addr;
	case AF_INET6:
		a6 = (const struct sockaddr_in6 *)ss;
		e6 = (const struct sockaddr_in6 *)&se->se_ss;
		if (len != sizeof(*a6) || a6->sin6_port != e6->sin6_port)
			return 0;
		if (!exact && IN6_IS_ADDR_UNSPECIFIED(&e6->sin6_addr))
			return !IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr);
		return IN6_ARE_ADDR_EQUAL(&a6->sin6_addr, &e6->sin6_addr) &&
		    (e6->sin6_scope_id == 0 ||
		    a6->sin6_scope_id == e6->sin6_scope_id);
	case AF_UNIX:
		/* An accepted socket has the name of the one it came on. */
		au = (const struct sockaddr_un *)ss;
		eu = (const struct sockaddr_un *)&se->se_ss;
		return len == se->se_sslen && memcmp(au->sun_path,
		    eu->sun_path, len - offsetof(struct sockaddr_un,
		    sun_path)) == 0;
	}
	return 0;
}

/* A tcpmux/ connection came in on a tcpmux socket of that table. */
static int
spawner_mux_fits(struct servconf **byindex, uint32_t n,
    const struct sockaddr_storage *ss, socklen_t len)
{
	const struct servconf	*t;
	uint32_t		 i;

	for (i = 0; i < n; i++)
		if ((t = byindex[i]) != NULL && t->se_builtin == BI_TCPMUX &&
		    t->se_socktype == SOCK_STREAM &&
		    spawner_addr_fits(t, ss, len, 0))
			return 1;
	return 0;
}

/*
 * The descriptor must be a socket of the family and type the entry
 * expects, and the entry's own: the pairing of a connection with a
 * program is the access decision, and it is ours, not the listener's.
 */
static int
spawner_check_fd(const struct servconf *se, struct servconf **byindex,
    uint32_t n, int fd)
{
	struct sockaddr_storage	 ss;
	int			 v;
	socklen_t		 len;

	/* A tcpmux connection comes in on the tcpmux socket's family. */
	len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) == -1 ||
	    (se->se_mux ? (v != AF_INET && v != AF_INET6) :
	    v != se->se_family))
		return -1;
	len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) == -1 ||
	    v != se->se_socktype)
		return -1;
	len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) == -1 ||
	    v != se->se_protocol)
		return -1;
	if (se->se_socktype == SOCK_STREAM) {
		/* nowait: a connection; wait: the listening socket. */
		len = sizeof(v);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == -1
		    || v != se->se_wait)
			return -1;
	}
	len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	if (se->se_mux)
		return spawner_mux_fits(byindex, n, &ss, len) ? 0 : -1;
	/* A datagram program, wait or not, gets the bound socket itself. */
	return spawner_addr_fits(se, &ss, len, se->se_wait ||
	    se->se_socktype == SOCK_DGRAM) ? 0 : -1;
}

/*
 * A refusal, logged: at most SPAWNER_LOGBURST lines a period, so that a
 * listener that keeps asking cannot flood the log through us.
 */
static void
spawner_refusal_log(const char *fmt, ...)
{
	char	 line[LOG_MAXLINE];
	va_list	 ap;
	time_t	 now = spawner_now();

	if (now - spw.s_logwindow >= CONF_RATEPERIOD) {
		if (spw.s_lognot > 0)
			log_warnx("%d more requests refused, not logged",
			    spw.s_lognot);
		spw.s_logwindow = now;
		spw.s_logged = spw.s_lognot = 0;
	}
	if (spw.s_logged >= SPAWNER_LOGBURST) {
		spw.s_lognot++;
		return;
	}
	spw.s_logged++;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_warnx("%s", line);
}

/* The entry a child was started for, if its table is still known. */
static struct servconf *
spawner_entry(uint32_t gen, uint32_t index)
{
	if (spw.s_conf != NULL && gen == spw.s_conf->c_gen &&
	    index < spw.s_nindex)
		return spw.s_byindex[index];
	if (spw.s_prev != NULL && gen == spw.s_prev->c_gen &&
	    index < spw.s_prevnindex)
		return spw.s_prevbyindex[index];
	return NULL;
}

/* A child counts for its entry from its start until we report its end. */
static void
spawner_count(const struct schild *sc, int delta)
{
	struct servconf	*se;
	struct sservice	*ss;

	if ((se = spawner_entry(sc->sc_gen, sc->sc_index)) == NULL ||
	    (ss = spawner_sservice(se)) == NULL)
		return;
	ss->ss_live += delta;
	if (sc->sc_wait)
		ss->ss_waitlive += delta;
}

/*
 * The limits that protect the system, kept from our own counts.  The
 * listener keeps the same counts and asks only within them, and ours
 * are never higher than what it has seen: a child counts from its
 * request on, for both, and we stop counting it when we send its exit,
 * before the listener can hear of it.  So a nowait service beyond its
 * max-child is asked for only by a listener that breaks the protocol.
 * A second wait program and the rate are refused, not taken as a
 * breach: a reload that gives a nowait service's socket to a wait
 * service can make an honest listener ask once too often, and our rate
 * period never lines up with the listener's (which may run its max at
 * the end of one period and again at the start of the next), hence
 * twice its max here.  Returns 0, or -1 once the request is answered.
 */
static int
spawner_limits(struct chan *c, struct imsg *im, const struct servconf *se,
    const struct msg_spawn *ms)
{
	struct sservice	*ss = spawner_sservice(se);
	time_t		 now;

	if (!se->se_wait && se->se_maxchild != 0 &&
	    ss->ss_live >= se->se_maxchild) {
		log_warnx("%s/%s: asked for a child beyond max-child %d",
		    se->se_service, se->se_proto, se->se_maxchild);
		proc_protocol_error(c, im, "spawn request beyond max-child");
		return -1;
	}
	if (se->se_wait && ss->ss_waitlive > 0) {
		spawner_refusal_log("%s/%s: wait program already running; "
		    "request refused", se->se_service, se->se_proto);
		goto refused;
	}
	now = spawner_now();
	if (ss->ss_window == 0 || now - ss->ss_window >= CONF_RATEPERIOD) {
		ss->ss_window = now;
		ss->ss_spawns = 0;
	}
	if (ss->ss_spawns >= 2 * se->se_max) {
		spawner_refusal_log("%s/%s: more than %d spawns in %d "
		    "seconds asked for; request refused", se->se_service,
		    se->se_proto, 2 * se->se_max, CONF_RATEPERIOD);
		goto refused;
	}
	if (spw.s_nchildren >= spw.s_maxchild) {
		spawner_refusal_log("%s/%s: %d services running, the most "
		    "there may be (-c); request refused", se->se_service,
		    se->se_proto, spw.s_nchildren);
		goto refused;
	}
	return 0;
 refused:
	spawner_refused(ms->ms_index, ms->ms_gen, ms->ms_token, im->fd);
	im->fd = -1;
	return -1;
}

/*
 * The access list once more, on the peer the kernel names for the
 * connection (nowait stream services: the only descriptors handed to us
 * that carry their peer).  The listener holds the same list for the
 * same generation, so a refused peer here means the listener did not
 * apply it: a compromised listener must not get a program started by
 * skipping its check.  1: allowed, 0: refused, -1: no peer any more.
 */
static int
spawner_check_peer(const struct servconf *se, int fd, char *who,
    size_t len)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	char			 c;

	strlcpy(who, "?", len);
	if (se->se_acc == NULL || (se->se_wait &&
	    se->se_socktype == SOCK_STREAM))
		return 1;
	if (se->se_socktype == SOCK_STREAM)
		return acl_check_fd(se->se_acc, fd, se->se_mux ? AF_INET :
		    se->se_family, who, len);
	/*
	 * A datagram program gets the socket: the datagram first in line
	 * is the one the listener let through.  Only its source is looked
	 * at, never its bytes.
	 */
	sslen = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (recvfrom(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC,
	    (struct sockaddr *)&ss, &sslen) == -1)
		return -1;
	acl_peer_name((struct sockaddr *)&ss, sslen, who, len);
	return acl_check_addr(se->se_acc, (struct sockaddr *)&ss, sslen);
}

/* Whether a PROXY address is one of an IP family, of its own length. */
static int
spawner_proxy_addr(const struct sockaddr_storage *ss, uint32_t len)
{
	return (ss->ss_family == AF_INET &&
	    len == sizeof(struct sockaddr_in)) ||
	    (ss->ss_family == AF_INET6 &&
	    len == sizeof(struct sockaddr_in6));
}

/*
 * A proxy= connection: the listener read the header, which the spawner
 * cannot see, so it checks what it can.  The real peer must be one of
 * proxy-from=, the addresses must be well formed (the front end's own,
 * for a header that named none), and the client they name must pass
 * the access list.  1: go on; 0: the access list refuses the client;
 * -1: the peer is gone; -2: the listener did not do its part.
 */
static int
spawner_check_proxied(const struct servconf *se, int fd,
    const struct msg_proxy *mp, char *who, size_t len)
{
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen = sizeof(peer);

	strlcpy(who, "?", len);
	memset(&peer, 0, sizeof(peer));
	if (getpeername(fd, (struct sockaddr *)&peer, &peerlen) == -1)
		return -1;
	acl_peer_name((struct sockaddr *)&peer, peerlen, who, len);
	if (se->se_proxyacc == NULL || acl_check_addr(se->se_proxyacc,
	    (struct sockaddr *)&peer, peerlen) != 1) {
		strlcat(who, " is not a proxy-from= front end", len);
		return -2;
	}
	if (mp->mp_local > 1 || !spawner_proxy_addr(&mp->mp_src,
	    mp->mp_srclen) || (!mp->mp_local &&
	    !spawner_proxy_addr(&mp->mp_dst, mp->mp_dstlen)) ||
	    (mp->mp_local && (mp->mp_srclen != peerlen ||
	    memcmp(&mp->mp_src, &peer, peerlen) != 0))) {
		strlcat(who, ": malformed client addresses", len);
		return -2;
	}
	acl_peer_name((const struct sockaddr *)&mp->mp_src, mp->mp_srclen,
	    who, len);
	if (se->se_acc == NULL)
		return 1;
	return acl_check_addr(se->se_acc, (const struct sockaddr *)&mp->mp_src,
	    mp->mp_srclen);
}

/* Tell the listener a request came to nothing, so a wait service re-arms. */
static void
spawner_refused(uint32_t index, uint32_t gen, uint32_t token, int fd)
{
	struct msg_child	 mc;

	if (fd != -1)
		close(fd);
	memset(&mc, 0, sizeof(mc));
	mc.mc_index = index;
	mc.mc_gen = gen;
	mc.mc_pid = -1;
	mc.mc_token = token;
	proc_compose(&spw.s_listener, IMSG_CHILD_EXIT, -1, &mc, sizeof(mc));
}

/*
 * The entry a request names.  Requests the listener made before it took
 * the new table still run under the table they were made with, for
 * SPAWNER_PREVGRACE seconds at most; a generation we no longer serve is
 * refused (-1, the request is answered); one the listener has not
 * announced, or an index that names no program of a known generation,
 * is a protocol error (-1, the channel ends).
 */
static int
spawner_lookup(struct chan *c, struct imsg *im, const struct msg_spawn *ms,
    struct servconf **sep, struct conf **confp, struct servconf ***byindexp,
    uint32_t *np)
{
	struct servconf	**byindex;
	uint32_t	  n;

	/* The listener asks under the generation it last announced. */
	if (ms->ms_gen != spw.s_lgen) {
		proc_protocol_error(c, im,
		    "spawn request of a generation not announced");
		return -1;
	}
	if (spw.s_conf != NULL && ms->ms_gen == spw.s_conf->c_gen) {
		*confp = spw.s_conf;
		byindex = spw.s_byindex;
		n = spw.s_nindex;
	} else if (spw.s_prev != NULL && !spw.s_prevretired &&
	    ms->ms_gen == spw.s_prev->c_gen) {
		*confp = spw.s_prev;
		byindex = spw.s_prevbyindex;
		n = spw.s_prevnindex;
	} else {
		spawner_refusal_log("spawn request of generation %u refused",
		    ms->ms_gen);
		spawner_refused(ms->ms_index, ms->ms_gen, ms->ms_token,
		    im->fd);
		im->fd = -1;
		return -1;
	}
	if (ms->ms_index >= n || (*sep = byindex[ms->ms_index]) == NULL ||
	    (*sep)->se_builtin != BI_NONE) {
		proc_protocol_error(c, im, "spawn request: bad index");
		return -1;
	}
	*byindexp = byindex;
	*np = n;
	return 0;
}

/*
 * A TLS connection's pieces: a plaintext pair between engine and
 * service, and a key channel of its own, whose other end goes to the
 * keys process for this entry's key of this generation.  The client,
 * the engine's end of the pair and its key channel go to the TLS
 * process, which forks the engine; the launch keeps the service's end
 * of the pair as the connection the service gets.
 */
static int
spawner_tls_prepare(struct launch *l, const struct msg_spawn *ms,
    const char *who)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	struct msg_tlsconn	 tc;
	struct sengine		*e;
	int			 plain[2], kc[2], fds[3], i;

	if (!spw.s_havekeys || spw.s_tlspid == -1) {
		errno = ENOTCONN;
		return -1;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, plain) == -1) {
		free(e);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, kc) == -1) {
		close(plain[0]);
		close(plain[1]);
		free(e);
		return -1;
	}
	strlcpy(e->e_name, l->l_sc->sc_name, sizeof(e->e_name));
	if (strcmp(who, "?") != 0)
		strlcpy(e->e_who, who, sizeof(e->e_who));
	else if (getpeername(l->l_conn, (struct sockaddr *)&ss, &len) == 0)
		acl_peer_name((struct sockaddr *)&ss, len, e->e_who,
		    sizeof(e->e_who));
	else
		strlcpy(e->e_who, "?", sizeof(e->e_who));
	e->e_timeout = l->l_se->se_tlstimeout;
	e->e_id = ++spw.s_engineid;
	RB_INSERT(sengine_tree, &spw.s_engines, e);

	proc_compose(&spw.s_keys, IMSG_KEYCHAN, kc[1], ms, sizeof(*ms));
	memset(&tc, 0, sizeof(tc));
	tc.tc_id = e->e_id;
	tc.tc_gen = ms->ms_gen;
	tc.tc_index = ms->ms_index;
	fds[0] = l->l_conn;
	fds[1] = plain[0];
	fds[2] = kc[0];
	for (i = 0; i < 3; i++) {
		tc.tc_part = i;
		proc_compose(&spw.s_tls, IMSG_TLSCONN, fds[i], &tc,
		    sizeof(tc));
	}
	l->l_conn = plain[1];
	return 0;
}

/*
 * A launch that will not happen after all: its child counts no more,
 * the listener has its slot back, the connection is closed.
 */
static void
spawner_unlaunch(struct launch *l)
{
	struct schild	*sc = l->l_sc;

	spawner_count(sc, -1);
	spawner_sservice(l->l_se)->ss_spawns--;
	spw.s_nchildren--;
	spw.s_freeslots[spw.s_nfree++] = sc->sc_slot;
	child_environ_free(l->l_env);
	spawner_refused(sc->sc_index, sc->sc_gen, sc->sc_token, l->l_conn);
	free(l);
	free(sc);
}

/*
 * The service's end of a TLS connection's plaintext pair is readable:
 * the engine has written the session record, and the service starts;
 * it reads the record in its child, before exec, and finds it whole
 * (a record comes in one write).  End of file or less than a record:
 * the handshake did not complete, and no program is started for it.
 * Nothing is read here; the kernel's count of waiting bytes decides.
 */
static void
spawner_tls_ready(int fd, short ev, void *arg)
{
	struct launch	*l = arg;
	struct schild	*sc = l->l_sc;
	int		 n;

	(void)ev;
	TAILQ_REMOVE(&spw.s_tlswait, l, l_entry);
	if (ioctl(fd, FIONREAD, &n) == 0 &&
	    n >= (int)sizeof(struct tls_session)) {
		spawner_launch(l);
		return;
	}
	log_debug("%s: no TLS session; program not started", sc->sc_name);
	spawner_unlaunch(l);
	spawner_dead_free();
}

/* How an engine ended, or a log line of the TLS process. */
static void
spawner_dispatch_tls(struct chan *c, struct imsg *im)
{
	struct msg_tlsexit	 te;
	struct sengine		 key, *e;
	int32_t			 pri;
	int			 rv;
	char			 line[LOG_MAXLINE];

	switch (im->hdr.type) {
	case IMSG_TLSEXIT:
		if (im->datalen != sizeof(te)) {
			proc_protocol_error(c, im, "bad engine exit");
			return;
		}
		memcpy(&te, im->data, sizeof(te));
		key.e_id = te.te_id;
		if ((e = RB_FIND(sengine_tree, &spw.s_engines, &key)) == NULL) {
			proc_protocol_error(c, im, "engine exit: unknown");
			return;
		}
		spawner_engine_exited(e, te.te_pid, te.te_status);
		break;
	case IMSG_LOG:
		if ((rv = log_unpack(im, &pri, line, sizeof(line))) != 0) {
			proc_protocol_error(c, im, rv == -2 ?
			    "bad log priority" : "bad log message");
			return;
		}
		logit(pri < LOG_ERR ? LOG_ERR : pri, "%s", line);
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

/*
 * The TLS process, started once with the spawner: inetd-tls, exec'd
 * (a fresh address space), told the unprivileged user it becomes.
 */
static void
spawner_tls_start(const struct msg_init *mi)
{
	int	 fd;

	if ((spw.s_tlspid = proc_start(spw.s_exefd, ROLE_TLS, &fd)) == -1)
		fatal("starting the tls process");
	chan_init(&spw.s_tls, fd, "tls", spawner_dispatch_tls, NULL);
	spw.s_tls.ch_closed = proc_chan_closed;
	proc_event_chan(&spw.s_tls);
	proc_compose(&spw.s_tls, IMSG_INIT, -1, mi, sizeof(*mi));
}

/*
 * A new table: the contexts of its tls= entries, to the TLS process,
 * started the first time a table has one (it stays after).
 */
static void
spawner_tls_conf(const struct conf *c)
{
	const struct servconf	*se;
	struct msg_tlsctx	 tx;
	struct msg_confend	 mce;
	int			 fd;

	if (spw.s_tlspid == -1) {
		if (!conf_has_tls(c))
			return;
		spawner_tls_start(&spw.s_init_msg);
	}
	memset(&mce, 0, sizeof(mce));
	TAILQ_FOREACH(se, &c->c_services, se_entry) {
		if (!se->se_tls)
			continue;
		if ((fd = fcntl(se->se_fd, F_DUPFD_CLOEXEC, 0)) == -1)
			fatal("dup");
		memset(&tx, 0, sizeof(tx));
		tx.tx_gen = c->c_gen;
		tx.tx_index = se->se_index;
		proc_compose(&spw.s_tls, IMSG_TLSCTX, fd, &tx, sizeof(tx));
		mce.mce_count++;
	}
	mce.mce_gen = c->c_gen;
	mce.mce_nindex = c->c_count;
	proc_compose(&spw.s_tls, IMSG_CONF_END, -1, &mce, sizeof(mce));
}

/*
 * A request within every limit: the child counts from now on, and its
 * launch waits its turn in the queue.
 */
static void
spawner_spawn(struct chan *c, struct imsg *im)
{
	struct msg_spawn	 ms;
	struct msg_proxy	 mp, *mpp = NULL;
	struct servconf		*se, **byindex;
	struct conf		*conf;
	struct schild		*sc;
	struct launch		*l;
	char			 who[INET6_ADDRSTRLEN + 32];
	uint32_t		 n;

	if (im->datalen != sizeof(ms) &&
	    im->datalen != sizeof(ms) + sizeof(mp)) {
		proc_protocol_error(c, im, "bad spawn request");
		return;
	}
	if (im->datalen == sizeof(ms) + sizeof(mp)) {
		memcpy(&mp, im->data + sizeof(ms), sizeof(mp));
		mpp = &mp;
	}
	memcpy(&ms, im->data, sizeof(ms));
	if (spawner_lookup(c, im, &ms, &se, &conf, &byindex, &n) == -1)
		return;
	if (spawner_check_fd(se, byindex, n, im->fd) == -1) {
		log_warnx("%s/%s: the listener handed a descriptor that is "
		    "not this service's socket", se->se_service,
		    se->se_proto);
		proc_protocol_error(c, im,
		    "spawn request: descriptor does not fit the service");
		return;
	}
	if ((mpp != NULL) != (se->se_proxy != CONF_PROXY_NONE)) {
		proc_protocol_error(c, im, mpp != NULL ?
		    "spawn request: client addresses for a service without "
		    "proxy=" : "spawn request: no client addresses for a "
		    "proxy= service");
		return;
	}
	switch (mpp != NULL ? spawner_check_proxied(se, im->fd, mpp, who,
	    sizeof(who)) : spawner_check_peer(se, im->fd, who, sizeof(who))) {
	case -2:
		log_warnx("%s/%s: the listener handed a PROXY connection "
		    "that does not hold: %s", se->se_service, se->se_proto,
		    who);
		proc_protocol_error(c, im,
		    "spawn request: PROXY addresses do not hold");
		return;
	case -1:
		log_debug("%s/%s: connection gone before it could start",
		    se->se_service, se->se_proto);
		spawner_refused(ms.ms_index, ms.ms_gen, ms.ms_token, im->fd);
		im->fd = -1;
		return;
	case 0:
		log_warnx("%s/%s: the listener handed a connection from %s, "
		    "which the access list refuses", se->se_service,
		    se->se_proto, who);
		proc_protocol_error(c, im,
		    "spawn request: peer refused by the access list");
		return;
	}
	if (spawner_sservice(se)->ss_broken) {
		spawner_refusal_log("%s/%s: confinement could not be built; "
		    "connection refused", se->se_service, se->se_proto);
		spawner_refused(ms.ms_index, ms.ms_gen, ms.ms_token, im->fd);
		return;
	}
	if (spawner_limits(c, im, se, &ms) == -1)
		return;
	if ((sc = calloc(1, sizeof(*sc))) == NULL ||
	    (l = calloc(1, sizeof(*l))) == NULL) {
		log_warn("calloc");
		free(sc);
		spawner_refused(ms.ms_index, ms.ms_gen, ms.ms_token, im->fd);
		return;
	}
	if ((l->l_env = child_environ(im->fd, se, mpp)) == NULL) {
		log_warn("%s/%s: environment", se->se_service, se->se_proto);
		free(l);
		free(sc);
		spawner_refused(ms.ms_index, ms.ms_gen, ms.ms_token, im->fd);
		return;
	}
	sc->sc_index = se->se_index;
	sc->sc_gen = ms.ms_gen;
	sc->sc_token = ms.ms_token;
	sc->sc_wait = se->se_wait;
	sc->sc_timeout = se->se_timeout;
	snprintf(sc->sc_name, sizeof(sc->sc_name), "%s/%s", se->se_service,
	    se->se_proto);
	/* For its record, and for inetdctl show connections. */
	sc->sc_log = !se->se_nolog;
	spawner_peer(se, im->fd, mpp, sc->sc_peer, sizeof(sc->sc_peer));
	strlcpy(sc->sc_user, se->se_user, sizeof(sc->sc_user));
	/* The limits leave a slot for every child: at most the maximum. */
	sc->sc_slot = spw.s_freeslots[--spw.s_nfree];
	memset(&spw.s_slots[sc->sc_slot], 0, sizeof(*spw.s_slots));
	spawner_count(sc, 1);
	spawner_sservice(se)->ss_spawns++;
	spw.s_nchildren++;
	l->l_sc = sc;
	l->l_se = se;
	l->l_conf = conf;
	l->l_conn = im->fd;
	im->fd = -1;
	if (se->se_tls && spawner_tls_prepare(l, &ms, who) == -1) {
		log_warn("%s: tls", sc->sc_name);
		spawner_unlaunch(l);
		return;
	}
	if (se->se_tls) {
		/* Counted from now; started once its handshake is done. */
		TAILQ_INSERT_TAIL(&spw.s_tlswait, l, l_entry);
		event_set(&l->l_readyev, l->l_conn, EV_READ, spawner_tls_ready,
		    l);
		if (event_add(&l->l_readyev, NULL) == -1)
			fatal("event_add");
		return;
	}
	spawner_launch(l);
}

/*
 * Whom a child serves, for its record: the client's address and port
 * (a proxy= service's from its PROXY header), a UNIX peer's user, or
 * "-" for a wait service, which is handed the socket, not a client.
 */
static void
spawner_peer(const struct servconf *se, int fd, const struct msg_proxy *mp,
    char *buf, size_t len)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	struct ucred		 uc;
	char			 host[INET6_ADDRSTRLEN], port[8];

	strlcpy(buf, "-", len);
	if (se->se_wait)
		return;
	if (se->se_family == AF_UNIX) {
		sslen = sizeof(uc);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &sslen) == 0)
			snprintf(buf, len, "uid %u", (unsigned)uc.uid);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	if (mp != NULL)
		memcpy(&ss, &mp->mp_src, sizeof(ss));
	else if (getpeername(fd, (struct sockaddr *)&ss, &sslen) == -1)
		return;
	if (child_addr(&ss, host, sizeof(host), port, sizeof(port)) == 0)
		snprintf(buf, len, ss.ss_family == AF_INET6 ? "[%s]:%s" :
		    "%s:%s", host, port);
}

/*
 * The record of a program that ran (log=yes, the default): whom it
 * served, as whom, how long, and how it ended.  A confinement kill
 * names its system call in a line of its own (spawner/kmsg.c), with
 * the same pid.
 */
static void
spawner_record(const struct schild *sc, int status)
{
	char		 how[96], call[64];
	uint64_t	 ms = spawner_msec() - sc->sc_started;

	if (WIFEXITED(status))
		snprintf(how, sizeof(how), "exit %d", WEXITSTATUS(status));
	else if (WTERMSIG(status) == SIGSYS &&
	    kmsg_call(sc->sc_pid, call, sizeof(call)) == 0)
		snprintf(how, sizeof(how), "confinement violation: %s", call);
	else if (WTERMSIG(status) == SIGSYS)
		strlcpy(how, "confinement violation", sizeof(how));
	else if (sc->sc_killed)
		snprintf(how, sizeof(how), "signal %d by inetdctl kill",
		    WTERMSIG(status));
	else if (sc->sc_termsent)
		snprintf(how, sizeof(how), "signal %d at its timeout",
		    WTERMSIG(status));
	else
		snprintf(how, sizeof(how), "signal %d", WTERMSIG(status));
	log_info("%s: pid %d for %s as %s: %s after %llu.%03llu s",
	    sc->sc_name, sc->sc_pid, sc->sc_peer, sc->sc_user, how,
	    (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000));
}

/* A child is gone: tell the listener, and it counts no more. */
static void
spawner_exited(struct schild *sc, int status)
{
	struct child_status	*cst = &spw.s_slots[sc->sc_slot];
	struct servconf		*se;
	struct msg_child	 mc;

	if (sc->sc_log && cst->cst_step == CHILD_OK)
		spawner_record(sc, status);
	if (cst->cst_step == CHILD_TLS && cst->cst_errno == 0)
		log_debug("%s: pid %d: no TLS session; program not started",
		    sc->sc_name, sc->sc_pid);
	else if (cst->cst_step != CHILD_OK)
		log_warnx("%s: pid %d: %s failed: %s; connection closed "
		    "before exec", sc->sc_name, sc->sc_pid,
		    child_step_name(cst->cst_step),
		    strerror(cst->cst_errno));
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		kmsg_killed(sc->sc_name, sc->sc_pid);	/* names the call */
	else if (WIFSIGNALED(status))
		log_debug("%s: pid %d killed by signal %d", sc->sc_name,
		    sc->sc_pid, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0 &&
	    (se = spawner_entry(sc->sc_gen, sc->sc_index)) != NULL &&
	    se->se_uid == 0 && !se->se_newprivs &&
	    se->se_caps != CONF_CAPS_ALL)
		/* A hardened root line: say what may have made it fail. */
		log_warnx("%s: pid %d exited with status %d; it runs as "
		    "root with only some capabilities (caps), which may be "
		    "why", sc->sc_name, sc->sc_pid, WEXITSTATUS(status));
	else
		log_debug("%s: pid %d exited with status %d", sc->sc_name,
		    sc->sc_pid, WEXITSTATUS(status));
	memset(&mc, 0, sizeof(mc));
	mc.mc_index = sc->sc_index;
	mc.mc_gen = sc->sc_gen;
	mc.mc_pid = sc->sc_pid;
	mc.mc_token = sc->sc_token;
	mc.mc_status = status;
	/* A program that never ran: a spawn failure to inetdctl. */
	mc.mc_noexec = cst->cst_step != CHILD_OK;
	if (spw.s_havelistener)
		proc_compose(&spw.s_listener, IMSG_CHILD_EXIT, -1, &mc,
		    sizeof(mc));
	spawner_count(sc, -1);
	spawner_deadline_clear(sc);
	RB_REMOVE(schild_tree, &spw.s_children, sc);
	spw.s_nchildren--;
	spw.s_freeslots[spw.s_nfree++] = sc->sc_slot;
	free(sc);
}

/* Whether pid is a child of ours not reaped yet, for spawner/kmsg.c. */
static int
spawner_ours(pid_t pid)
{
	struct schild	 key;
	struct launch	*l;

	key.sc_pid = pid;
	if (RB_FIND(schild_tree, &spw.s_children, &key) != NULL)
		return 1;
	TAILQ_FOREACH(l, &spw.s_launches, l_entry)
		if (__atomic_load_n(&l->l_pid, __ATOMIC_ACQUIRE) == pid)
			return 1;
	return 0;
}

static void
spawner_reap(int sig, short ev, void *arg)
{
	struct schild		 key, *sc;
	struct launch		*l;
	pid_t			 pid;
	int			 status;

	(void)sig;
	(void)ev;
	(void)arg;
	spawner_watch(0);
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		/* Not handed back yet: the launch takes the status. */
		TAILQ_FOREACH(l, &spw.s_launches, l_entry)
			if (pid == __atomic_load_n(&l->l_pid,
			    __ATOMIC_ACQUIRE))
				break;
		if (l != NULL) {
			l->l_reaped = 1;
			l->l_wstatus = status;
			continue;
		}
		key.sc_pid = pid;
		if ((sc = RB_FIND(schild_tree, &spw.s_children, &key)) !=
		    NULL)
			spawner_exited(sc, status);
		else if (pid == spw.s_tlspid)
			fatalx("the TLS process (pid %d) is gone", pid);
	}
}

/*
 * Filters are the same for every service with the same promises: build
 * each once for the life of the process and share it.
 */
struct sfilter {
	SLIST_ENTRY(sfilter)	 sf_entry;
	uint64_t		 sf_promises;
	struct pledge_filter	 sf_filter;
};
static SLIST_HEAD(, sfilter) spawner_filters =
    SLIST_HEAD_INITIALIZER(spawner_filters);

static const struct pledge_filter *
spawner_filter(uint64_t promises, char *err, size_t errlen)
{
	struct sfilter	*sf;

	SLIST_FOREACH(sf, &spawner_filters, sf_entry)
		if (sf->sf_promises == promises)
			return &sf->sf_filter;
	if ((sf = calloc(1, sizeof(*sf))) == NULL)
		fatal("calloc");
	if (pledge_filter_build(&sf->sf_filter, promises, err,
	    errlen) == -1) {
		free(sf);
		return NULL;
	}
	sf->sf_promises = promises;
	SLIST_INSERT_HEAD(&spawner_filters, sf, sf_entry);
	return &sf->sf_filter;
}

static void
spawner_sservice_free(struct servconf *se)
{
	struct sservice	*ss = spawner_sservice(se);

	if (ss == NULL)
		return;
	if (ss->ss_llown)
		close(ss->ss_llfd);
	free(ss);
	se->se_priv = NULL;
}

static void
spawner_conf_free(struct conf *c)
{
	struct servconf	*se;

	if (c == NULL)
		return;
	TAILQ_FOREACH(se, &c->c_services, se_entry)
		spawner_sservice_free(se);
	conf_free(c);
}

/*
 * Build the seccomp program of a service once, now; a child only applies
 * it.  A service whose confinement cannot be built is not run at all.
 */
static void
spawner_build(struct servconf *se)
{
	struct sservice	*ss;
	char		 err[512];

	if ((ss = calloc(1, sizeof(*ss))) == NULL)
		fatal("calloc");
	ss->ss_llfd = -1;
	se->se_priv = ss;
	if (se->se_builtin != BI_NONE)
		return;
	/*
	 * Without a pledge the service needs no filter of its own: it has
	 * the baseline from us, as every descendant of ours does.
	 */
	if (se->se_pledge[0] != '\0' && (ss->ss_filter = spawner_filter(
	    se->se_promises, err, sizeof(err))) == NULL) {
		log_warnx("%s/%s: seccomp filter: %s; service disabled",
		    se->se_service, se->se_proto, err);
		ss->ss_broken = 1;
	}
}

/*
 * The Landlock rulesets of a table, built once, now.  Entries whose
 * rulesets would be made of the same (unveil_cmp) share one: most
 * services have no unveil list, and they need but a few rulesets
 * between them, not a descriptor each.  A ruleset that cannot be built
 * disables every service that would have had it.
 */
static void
spawner_build_rulesets(struct conf *c)
{
	struct servconf	**v, *se, *owner = NULL;
	struct sservice	 *ss;
	char		  err[512];
	size_t		  i, n;
	int		  abi = 0, failed = 0;

	v = unveil_sorted(c, &n);
	for (i = 0; i < n; i++) {
		se = v[i];
		ss = spawner_sservice(se);
		if (ss->ss_broken)
			continue;
		if (owner != NULL && unveil_cmp(owner, se) == 0) {
			ss->ss_llfd = spawner_sservice(owner)->ss_llfd;
		} else {
			owner = se;
			failed = unveil_service(se, &ss->ss_llfd, &abi, err,
			    sizeof(err)) == -1;
			ss->ss_llown = !failed && ss->ss_llfd != -1;
		}
		if (failed) {
			log_warnx("%s/%s: unveil: %s; service disabled",
			    se->se_service, se->se_proto, err);
			ss->ss_broken = 1;
			ss->ss_llfd = -1;
		} else if (abi == 0 && se->se_nunveil > 0 &&
		    se->se_landlock == CONF_LANDLOCK_REQUIRED) {
			log_warnx("%s/%s: no Landlock in this kernel; service "
			    "disabled", se->se_service, se->se_proto);
			ss->ss_broken = 1;
		}
	}
	free(v);
}

static void
spawner_forget_prev(void)
{
	evtimer_del(&spw.s_prevtimer);
	spw.s_prevretired = 0;
	spawner_conf_release(spw.s_prev);
	spw.s_prev = NULL;
	free(spw.s_prevbyindex);
	spw.s_prevbyindex = NULL;
	spw.s_prevnindex = 0;
}

/*
 * The listener has not moved to the new table in good time.  An honest
 * one does as soon as the parent hands it the table; one that does not
 * must not go on running entries a reload removed or changed.  The old
 * table is kept, no longer to run anything, only to count the children
 * it started until the listener moves.
 */
static void
spawner_retire_prev(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	if (spw.s_prev == NULL)
		return;
	spw.s_prevretired = 1;
	log_warnx("generation %u retired: the listener did not take "
	    "generation %u within %d seconds", spw.s_prev->c_gen,
	    spw.s_conf->c_gen, SPAWNER_PREVGRACE);
}

/* The table received is complete, and holds every entry: in force. */
static void
spawner_conf_end(struct chan *c, struct imsg *im,
    const struct msg_confend *mce)
{
	struct servconf		*se;
	struct servconf		**byindex;
	struct msg_gen		 mg;
	struct timeval		 tv;

	if (mce->mce_count != mce->mce_nindex) {
		proc_protocol_error(c, im, "config end: entries missing");
		return;
	}
	if (spw.s_next == NULL)
		spw.s_next = conf_new();
	if ((byindex = proc_conf_index(c, im, spw.s_conf, spw.s_next,
	    mce)) == NULL)
		return;
	TAILQ_FOREACH(se, &spw.s_next->c_services, se_entry)
		spawner_build(se);
	spawner_build_rulesets(spw.s_next);
	/* The old table serves what the listener asked before it moved. */
	spawner_forget_prev();
	spw.s_prev = spw.s_conf;
	spw.s_prevbyindex = spw.s_byindex;
	spw.s_prevnindex = spw.s_nindex;
	spw.s_conf = spw.s_next;
	spw.s_next = NULL;
	spw.s_byindex = byindex;
	spw.s_nindex = mce->mce_nindex;
	if (spw.s_prev != NULL) {
		timerclear(&tv);
		tv.tv_sec = SPAWNER_PREVGRACE;
		evtimer_add(&spw.s_prevtimer, &tv);
	}

	spawner_tls_conf(spw.s_conf);
	memset(&mg, 0, sizeof(mg));
	mg.mg_gen = spw.s_conf->c_gen;
	proc_compose(c, IMSG_CONF_ACK, -1, &mg, sizeof(mg));
	log_debug("spawner: generation %u in force", spw.s_conf->c_gen);
	/* Building filters leaves freed memory behind; give it back. */
	proc_trim_now();
}

/* Whether inetdctl's name stands for a child's service. */
static int
spawner_named(const struct schild *sc, const char *want)
{
	char	 name[sizeof(sc->sc_name)], *proto;

	strlcpy(name, sc->sc_name, sizeof(name));
	if ((proto = strrchr(name, '/')) == NULL)
		return 0;
	*proto++ = '\0';
	return ctl_name_match(name, proto, want);
}

static void
spawner_show(struct chan *c, const struct schild *sc, uint64_t now)
{
	struct ctl_conn	 cn;

	memset(&cn, 0, sizeof(cn));
	cn.cn_index = sc->sc_index;
	cn.cn_gen = sc->sc_gen;
	cn.cn_pid = sc->sc_pid;
	cn.cn_msec = now - sc->sc_started;
	strlcpy(cn.cn_name, sc->sc_name, sizeof(cn.cn_name));
	strlcpy(cn.cn_peer, sc->sc_peer, sizeof(cn.cn_peer));
	strlcpy(cn.cn_user, sc->sc_user, sizeof(cn.cn_user));
	proc_compose(c, IMSG_CTL_CONN, -1, &cn, sizeof(cn));
}

/*
 * A request the parent relays from inetdctl, answered with one
 * IMSG_CTL_END.  kill ends a service's programs as its timeout would:
 * SIGTERM to the process group, SIGKILL SPAWNER_KILLGRACE seconds on.
 */
static void
spawner_control(struct chan *c, struct imsg *im)
{
	struct msg_ctl	 mct;
	struct ctl_end	 ce;
	struct schild	*sc;
	uint64_t	 now = spawner_msec();
	int		 n = 0;

	if (proc_take_ctl(c, im, &mct) == -1)
		return;
	memset(&ce, 0, sizeof(ce));
	switch (mct.mct_cmd) {
	case CTL_SHOW_CONNECTIONS:
		RB_FOREACH(sc, schild_tree, &spw.s_children)
			if (mct.mct_service[0] == '\0' ||
			    spawner_named(sc, mct.mct_service))
				spawner_show(c, sc, now);
		break;
	case CTL_KILL:
		RB_FOREACH(sc, schild_tree, &spw.s_children) {
			if (!spawner_named(sc, mct.mct_service) ||
			    sc->sc_termsent)
				continue;
			log_info("%s: pid %d killed by inetdctl", sc->sc_name,
			    sc->sc_pid);
			sc->sc_killed = sc->sc_termsent = 1;
			spawner_signal(sc, SIGTERM);
			spawner_deadline_set(sc, now + SPAWNER_KILLGRACE * 1000);
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
spawner_dispatch_parent(struct chan *c, struct imsg *im)
{
	struct msg_init		 mi;
	struct msg_confend	 mce;
	struct servconf		*se;
	char			 err[256];

	if (!spw.s_init && im->hdr.type != IMSG_INIT) {
		proc_protocol_error(c, im, "expected init");
		return;
	}
	switch (im->hdr.type) {
	case IMSG_INIT:
		if (proc_take_init(c, im, spw.s_init, &mi) == -1)
			return;
		spw.s_nofile.rlim_cur = mi.mi_nofile_cur;
		spw.s_nofile.rlim_max = mi.mi_nofile_max;
		spw.s_maxchild = mi.mi_maxchild;
		if (spw.s_nofile.rlim_cur > spw.s_nofile.rlim_max) {
			proc_protocol_error(c, im, "bad init");
			return;
		}
		spw.s_init = 1;
		spw.s_init_msg = mi;	/* for the TLS process, when needed */
		/* An ancestor of every service: the baseline, nothing more. */
		if (pledge_baseline(err, sizeof(err)) == -1)
			fatalx("baseline filter: %s", err);
		spawner_launcher_start();
		break;
	case IMSG_PEER:
		proc_take_peer(c, im, &spw.s_listener, &spw.s_havelistener,
		    "listener", spawner_dispatch_listener);
		break;
	case IMSG_KEYSPEER:
		proc_take_peer(c, im, &spw.s_keys, &spw.s_havekeys, "keys",
		    spawner_dispatch_keys);
		break;
	case IMSG_TLSEXE:
		/* Once, before the keys' channel: the program to exec. */
		if (spw.s_exefd != -1 || spw.s_havekeys) {
			proc_protocol_error(c, im, "second tls program");
			return;
		}
		spw.s_exefd = im->fd;
		im->fd = -1;
		break;
	case IMSG_SERVICE:
		if ((se = servconf_unpack(im, ROLE_SPAWNER)) == NULL ||
		    (im->fd != -1) != se->se_tls || (se->se_tls &&
		    (spw.s_exefd == -1 ||
		    tls_settings_check_fd(im->fd, &se->se_tlstimeout) == -1))) {
			servconf_free(se);
			proc_protocol_error(c, im, "bad service entry");
			return;
		}
		/* tls=: the engines' settings, kept with the entry. */
		se->se_fd = im->fd;
		im->fd = -1;
		if (spw.s_next == NULL)
			spw.s_next = conf_new();
		TAILQ_INSERT_TAIL(&spw.s_next->c_services, se, se_entry);
		break;
	case IMSG_ACL:
		if (acl_take(spw.s_next, im) == -1)
			proc_protocol_error(c, im, "bad access list");
		break;
	case IMSG_CONF_END:
		if (im->datalen != sizeof(mce)) {
			proc_protocol_error(c, im, "bad config end");
			return;
		}
		memcpy(&mce, im->data, sizeof(mce));
		spawner_conf_end(c, im, &mce);
		break;
	case IMSG_CTL:
		spawner_control(c, im);
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

/*
 * The listener has moved on: children of the last table whose socket an
 * entry of the new one took over are now that entry's, and their exits
 * are reported as such.
 */
static void
spawner_carry(struct schild *sc, const uint32_t *map)
{
	if (sc->sc_gen == spw.s_prev->c_gen &&
	    sc->sc_index < spw.s_prevnindex &&
	    map[sc->sc_index] != UINT32_MAX) {
		spawner_count(sc, -1);
		sc->sc_index = map[sc->sc_index];
		sc->sc_gen = spw.s_conf->c_gen;
		spawner_count(sc, 1);
	}
}

static void
spawner_carry_children(void)
{
	struct servconf	*se;
	struct schild	*sc;
	struct launch	*l;
	uint32_t	*map;

	if (spw.s_prev == NULL)
		return;
	if ((map = reallocarray(NULL, spw.s_prevnindex + 1,
	    sizeof(*map))) == NULL)
		fatal("reallocarray");
	memset(map, 0xff, (spw.s_prevnindex + 1) * sizeof(*map));
	TAILQ_FOREACH(se, &spw.s_conf->c_services, se_entry)
		if (se->se_reuse >= 0 &&
		    (uint32_t)se->se_reuse < spw.s_prevnindex)
			map[se->se_reuse] = se->se_index;
	RB_FOREACH(sc, schild_tree, &spw.s_children)
		spawner_carry(sc, map);
	TAILQ_FOREACH(l, &spw.s_launches, l_entry)
		spawner_carry(l->l_sc, map);
	TAILQ_FOREACH(l, &spw.s_tlswait, l_entry)
		spawner_carry(l->l_sc, map);
	free(map);
}

/* The keys process says nothing to us. */
static void
spawner_dispatch_keys(struct chan *c, struct imsg *im)
{
	proc_protocol_error(c, im, "unexpected message");
}

static void
spawner_dispatch_listener(struct chan *c, struct imsg *im)
{
	struct msg_gen	 mg;

	switch (im->hdr.type) {
	case IMSG_SPAWN:
		spawner_spawn(c, im);
		break;
	case IMSG_GEN:
		if (im->datalen != sizeof(mg)) {
			proc_protocol_error(c, im, "bad generation");
			return;
		}
		memcpy(&mg, im->data, sizeof(mg));
		/*
		 * The newest table, or the one before it if a reload came
		 * to us while the listener was still taking that one.
		 */
		if (spw.s_conf == NULL || mg.mg_gen <= spw.s_lgen ||
		    (mg.mg_gen != spw.s_conf->c_gen && (spw.s_prev == NULL ||
		    mg.mg_gen != spw.s_prev->c_gen))) {
			proc_protocol_error(c, im, "unknown generation");
			return;
		}
		spw.s_lgen = mg.mg_gen;
		if (mg.mg_gen != spw.s_conf->c_gen)
			break;
		spawner_carry_children();
		spawner_forget_prev();
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

__dead void
spawner_main(void)
{
	struct event	 ev_chld;

	log_init(1, 0);
	setproctitle("spawner");
	log_setname("spawner");
	event_init();
	proc_trim_init();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	RB_INIT(&spw.s_children);
	RB_INIT(&spw.s_engines);
	spw.s_tlspid = -1;
	RB_INIT(&spw.s_deadlines);
	evtimer_set(&spw.s_deadlineev, spawner_deadline, NULL);
	TAILQ_INIT(&spw.s_launches);
	TAILQ_INIT(&spw.s_tlswait);
	evtimer_set(&spw.s_prevtimer, spawner_retire_prev, NULL);
	evtimer_set(&spw.s_watchev, spawner_watch_timer, NULL);
	/* A child shares our memory until exec: no one may trace it. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		fatal("prctl");
	spw.s_exefd = -1;	/* inetd-tls, from the parent (IMSG_TLSEXE) */
	if ((spw.s_dumpfd = open("/proc/sys/fs/suid_dumpable",
	    O_RDONLY | O_CLOEXEC)) == -1)
		log_warn("/proc/sys/fs/suid_dumpable; services are forked");
	signal_set(&ev_chld, SIGCHLD, spawner_reap, NULL);
	signal_add(&ev_chld, NULL);
	child_signals();
	chan_init(&spw.s_parent, INETD_CHANFD, "parent",
	    spawner_dispatch_parent, NULL);
	spw.s_parent.ch_closed = proc_chan_closed;
	log_setchan(&spw.s_parent);
	kmsg_open(spawner_ours);
	proc_event_chan(&spw.s_parent);
	event_dispatch();
	fatalx("event loop ended");
}
