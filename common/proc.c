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
 * Roles and their channels: fork and re-exec of the inetd binary with a
 * role flag, and the glue between a channel and the event loop.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/close_range.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

#define PROC_BATCH	64	/* messages handled per wake-up */
#define PROC_TRIMDELAY	1	/* seconds from activity to giving memory back */
#define PROC_TRIMSTACK	(256 * 1024)	/* of the stack below the trim's */

/*
 * glibc keeps the memory a burst of connections freed (at the top of the
 * heap up to its trim threshold, 128 kB or more, and any free page below
 * a chunk in use) for the next burst.  A process that takes part in
 * proc_trim gives it back a second after activity: at most one
 * malloc_trim(3) a second under load, and no timer at all while idle.
 */
static struct event	 proc_trimev;
static int		 proc_trimon;	/* 1: this process trims */
static int		 proc_trimarmed;

static void	 proc_trim_stack(void);

const char *
proc_rolename(enum role r)
{
	switch (r) {
	case ROLE_PARENT:
		return "parent";
	case ROLE_LISTENER:
		return "listener";
	case ROLE_SPAWNER:
		return "spawner";
	case ROLE_KEYS:
		return "keys";
	case ROLE_TLS:
		return "tls";
	case ROLE_CHECK:
		return "check";
	case ROLE_LOOKUP:
		return "lookup";
	case ROLE_MAX:
		break;
	}
	return "unknown";
}

/*
 * Start a role: a fresh exec of our own binary (or of inetd-tls), so
 * that each process gets its own address-space layout.  Its end of the
 * channel is descriptor 3: a stream for the check process, which takes
 * whole files (tls/tlscheck.h), messages for the others.
 *
 * The binary is the one inetd was started from, held open since (exefd):
 * a path could by now name an upgrade, or a file someone else put there.
 * -1 if it cannot be forked: the caller says what that costs.
 * The role gets /dev/null on 0, 1 and 2, not the terminal or files inetd
 * was started with: it logs through its channel, and the listener faces
 * the network and must not read a keyboard or write to a tty.
 */
pid_t
proc_start(int exefd, enum role r, int *chanfd)
{
	extern char	**environ;
	int		 sv[2], nullfd, i, type, saved;
	pid_t		 pid;
	char		 arg0[] = "inetd", argp[] = "-P", rolearg[16];
	char		*argv[4];

	type = r == ROLE_CHECK ? SOCK_STREAM : SOCK_SEQPACKET;
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	switch (pid = fork()) {
	case -1:
		saved = errno;
		close(sv[0]);
		close(sv[1]);
		errno = saved;
		return -1;
	case 0:
		if ((nullfd = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
			_exit(1);
		/* Out of the way of descriptors 0 to 3. */
		if (exefd <= INETD_CHANFD && (exefd = fcntl(exefd,
		    F_DUPFD_CLOEXEC, INETD_CHANFD + 1)) == -1)
			_exit(1);
		if (sv[1] <= INETD_CHANFD && (sv[1] = fcntl(sv[1],
		    F_DUPFD_CLOEXEC, INETD_CHANFD + 1)) == -1)
			_exit(1);
		if (nullfd <= INETD_CHANFD && (nullfd = fcntl(nullfd,
		    F_DUPFD_CLOEXEC, INETD_CHANFD + 1)) == -1)
			_exit(1);
		for (i = 0; i <= 2; i++)
			if (dup2(nullfd, i) == -1)
				_exit(1);
		if (dup2(sv[1], INETD_CHANFD) == -1)
			_exit(1);
		/* The rest goes at exec, the binary's descriptor as well. */
		if (close_range(INETD_CHANFD + 1, ~0U,
		    CLOSE_RANGE_CLOEXEC) == -1)
			_exit(1);
		strlcpy(rolearg, proc_rolename(r), sizeof(rolearg));
		argv[0] = arg0;
		argv[1] = argp;
		argv[2] = rolearg;
		argv[3] = NULL;
		fexecve(exefd, argv, environ);
		_exit(127);
	}
	close(sv[1]);
	*chanfd = sv[0];
	return pid;
}

void
proc_event_del(struct chan *c)
{
	if (c->ch_evflags == 0)
		return;
	event_del(&c->ch_ev);
	c->ch_evflags = 0;
}

/* A channel that failed: off the loop, its queue dropped, its owner told. */
void
proc_chan_ended(struct chan *c)
{
	proc_event_del(c);
	chan_clear(c);
	if (c->ch_closed != NULL)
		c->ch_closed(c);
}

static void
proc_trim_cb(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	proc_trimarmed = 0;
	malloc_trim(0);
	/* From the event loop: no message is being read or handled. */
	chan_trim();
	proc_trim_stack();
}

/*
 * The pages of the stack below this frame, which only deeper calls
 * than the event loop's used: a parse, a table's unpacking (frames of
 * 10-20 kB each) left them resident.  Called from the event loop's
 * callback, so nothing below it is live; a page past the current one
 * stays for the call to madvise(2).  The range may reach below the
 * stack's mapping: madvise passes over what is not mapped, and the
 * kernel maps nothing else there (it keeps room under a stack for it to
 * grow to its limit, and 128 MB at least; we map nothing at a fixed
 * address).
 */
static void
proc_trim_stack(void)
{
	uintptr_t	 pg = getpagesize(), top;
	volatile char	 here = 0;

	top = ((uintptr_t)&here & ~(pg - 1)) - pg;
	if (top > PROC_TRIMSTACK)
		(void)madvise((void *)(top - PROC_TRIMSTACK), PROC_TRIMSTACK,
		    MADV_DONTNEED);
}

/*
 * After event_init(), in a process whose filters allow brk(2) and
 * madvise(2): the parent, the listener and the spawner.
 */
void
proc_trim_init(void)
{
	evtimer_set(&proc_trimev, proc_trim_cb, NULL);
	proc_trimon = 1;
}

/* The trim in secs seconds; an earlier arming is replaced. */
static void
proc_trim_arm(time_t secs)
{
	struct timeval	 tv;

	timerclear(&tv);
	tv.tv_sec = secs;
	if (evtimer_add(&proc_trimev, &tv) == -1)
		fatal("evtimer_add");
	proc_trimarmed = 1;
}

/*
 * A table is in force: what its load left (a parse's frames, a table
 * in a channel's buffer, freed chunks) goes back at the next turn of
 * the event loop, not a second after the last message.  A load is
 * rare; the second's delay is for bursts of connections.
 */
void
proc_trim_now(void)
{
	if (proc_trimon)
		proc_trim_arm(0);
}

/* Something was allocated and freed: trim a second from now. */
void
proc_trim_soon(void)
{
	if (proc_trimon && !proc_trimarmed)
		proc_trim_arm(PROC_TRIMDELAY);
}

static void
proc_chan_cb(int fd, short ev, void *arg)
{
	struct chan	*c = arg;
	struct imsg	 im;
	int		 r, n;

	(void)fd;
	proc_trim_soon();
	if (ev & EV_WRITE) {
		if (chan_flush(c) == -1) {
			log_warnx("channel to %s: %s", c->ch_peer, c->ch_err);
			proc_chan_ended(c);
			return;
		}
	}
	if (ev & EV_READ) {
		/*
		 * A bounded batch: a peer that keeps sending must not starve
		 * the other events (a spawner's reaping, above all).
		 */
		for (n = 0; n < PROC_BATCH && (r = chan_read(c, &im)) == 1;
		    n++) {
			c->ch_dispatch(c, &im);
			if (c->ch_dead)
				break;
		}
		if (c->ch_dead) {
			if (c->ch_eof)
				log_debug("channel to %s: closed by peer",
				    c->ch_peer);
			else
				log_warnx("channel to %s: %s, closing it",
				    c->ch_peer, c->ch_err ? c->ch_err :
				    "protocol error");
			proc_chan_ended(c);
			return;
		}
	}
	proc_event_update(c);
}

void
proc_event_chan(struct chan *c)
{
	c->ch_evflags = EV_READ;
	event_set(&c->ch_ev, c->ch_fd, EV_READ | EV_PERSIST, proc_chan_cb, c);
	if (event_add(&c->ch_ev, NULL) == -1)
		fatal("event_add");
}

/* Watch for room to write only while something is queued. */
void
proc_event_update(struct chan *c)
{
	int	 want;

	if (c->ch_evflags == 0 || c->ch_dead)
		return;
	want = EV_READ | (TAILQ_EMPTY(&c->ch_out) ? 0 : EV_WRITE);
	if (want == c->ch_evflags)
		return;
	event_del(&c->ch_ev);
	event_set(&c->ch_ev, c->ch_fd, want | EV_PERSIST, proc_chan_cb, c);
	if (event_add(&c->ch_ev, NULL) == -1)
		fatal("event_add");
	c->ch_evflags = want;
}

/*
 * A dispatcher found the peer breaking the protocol: end the channel,
 * saying why and in which message.  A descriptor the message still holds
 * is closed; a dispatcher that has taken it sets im->fd to -1 first.
 * The read loop sees ch_dead and does the rest.
 */
void
proc_protocol_error(struct chan *c, struct imsg *im, const char *why)
{
	if (im != NULL && im->fd != -1) {
		close(im->fd);
		im->fd = -1;
	}
	if (im != NULL) {
		snprintf(c->ch_errbuf, sizeof(c->ch_errbuf),
		    "%s (type %s)", why, imsg_type_name(im->hdr.type));
		c->ch_err = c->ch_errbuf;
	} else
		c->ch_err = why;
	c->ch_dead = 1;
}

/*
 * A child's channel has ended.  When the parent exits, so do we, quietly;
 * the parent restarts both children when one of them dies.
 */
__dead void
proc_chan_closed(struct chan *c)
{
	if (c->ch_eof) {
		log_debug("channel to %s closed; exiting", c->ch_peer);
		exit(0);
	}
	fatalx("channel to %s: %s", c->ch_peer,
	    c->ch_err ? c->ch_err : "closed");
}

/*
 * INIT, which the parent sends every child first and once: check it and
 * take the log level.  The caller does the rest of its own start.
 */
int
proc_take_init(struct chan *c, struct imsg *im, int done,
    struct msg_init *mi)
{
	if (done || im->datalen != sizeof(*mi)) {
		proc_protocol_error(c, im, "bad init");
		return -1;
	}
	memcpy(mi, im->data, sizeof(*mi));
	if (mi->mi_maxchild < 1 || mi->mi_maxchild > SPAWNER_MAXCHILD) {
		proc_protocol_error(c, im, "bad init: ceiling");
		return -1;
	}
	log_setverbose(mi->mi_verbose);
	return 0;
}

/*
 * The common start of an unprivileged role: its empty chroot, the
 * user and group INIT named, no way back to root.
 */
void
proc_drop(const struct msg_init *mi, const char *what)
{
	uid_t	 r, e, s;
	gid_t	 gr, ge, gs;

	if (mi->mi_uid == 0)
		fatalx("refusing to run the %s as root", what);
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

/* PEER, once: the channel to the sibling, on the event loop. */
void
proc_take_peer(struct chan *c, struct imsg *im, struct chan *peer,
    int *havepeer, const char *name, chan_dispatch_fn fn)
{
	if (*havepeer) {
		proc_protocol_error(c, im, "second peer");
		return;
	}
	chan_init(peer, im->fd, name, fn, NULL);
	im->fd = -1;
	peer->ch_closed = proc_chan_closed;
	proc_event_chan(peer);
	*havepeer = 1;
}

/*
 * IMSG_CONF_END, as both children check it against the entries they
 * received: the generation increases, each entry has an index of its
 * own below mce_nindex, and as many came as the parent announced, so
 * no slot is left empty that the parent meant to fill.  Returns the
 * table by index, or NULL once the channel is ended.
 */
struct servconf **
proc_conf_index(struct chan *c, struct imsg *im, const struct conf *cur,
    struct conf *next, const struct msg_confend *mce)
{
	struct servconf	*se, **byindex;
	uint32_t	 n = 0;

	if (mce->mce_nindex > CONF_MAXSERVICES ||
	    mce->mce_count > mce->mce_nindex) {
		proc_protocol_error(c, im, "bad config end");
		return NULL;
	}
	if (cur != NULL && mce->mce_gen <= cur->c_gen) {
		proc_protocol_error(c, im,
		    "config end: generation does not increase");
		return NULL;
	}
	if ((byindex = calloc(mce->mce_nindex ? mce->mce_nindex : 1,
	    sizeof(*byindex))) == NULL)
		fatal("calloc");
	TAILQ_FOREACH(se, &next->c_services, se_entry) {
		if (se->se_index >= mce->mce_nindex ||
		    byindex[se->se_index] != NULL) {
			free(byindex);
			proc_protocol_error(c, im, "bad service index");
			return NULL;
		}
		if (se->se_nacl != se->se_naclwant) {
			free(byindex);
			proc_protocol_error(c, im,
			    "config end: an access list is incomplete");
			return NULL;
		}
		byindex[se->se_index] = se;
		n++;
	}
	if (n != mce->mce_count) {
		free(byindex);
		proc_protocol_error(c, im,
		    "config end: service count does not match");
		return NULL;
	}
	next->c_gen = mce->mce_gen;
	next->c_count = mce->mce_nindex;
	return byindex;
}

/* Queue a message and try to send it at once. */
int
proc_compose(struct chan *c, uint32_t type, int fd, const void *data,
    size_t len)
{
	int	 behind = !TAILQ_EMPTY(&c->ch_out);

	if (chan_compose(c, type, fd, data, len) == -1) {
		if (errno == ENOBUFS) {
			log_warnx("channel to %s: %s", c->ch_peer, c->ch_err);
			proc_chan_ended(c);
		}
		return -1;
	}
	/*
	 * Behind a queue the peer has yet to make room for: the event loop
	 * sends it all once it can.  Trying now would only fail again.
	 */
	if (!behind && chan_flush(c) == -1) {
		log_warnx("channel to %s: %s", c->ch_peer, c->ch_err);
		proc_chan_ended(c);
		return -1;
	}
	proc_event_update(c);
	return 0;
}

/*
 * CONF_END for a table a child keeps by generation (the keys and TLS
 * processes): as long as announced, newer than the one in force (cur,
 * 0 for none).  0 with the message in mce, or -1 once the channel is
 * ended.
 */
int
proc_take_confend(struct chan *c, struct imsg *im, uint32_t cur,
    uint32_t n, struct msg_confend *mce)
{
	if (im->datalen != sizeof(*mce)) {
		proc_protocol_error(c, im, "bad config end");
		return -1;
	}
	memcpy(mce, im->data, sizeof(*mce));
	if (mce->mce_gen <= cur || mce->mce_count != n) {
		proc_protocol_error(c, im, "bad config end");
		return -1;
	}
	return 0;
}

/*
 * A control request, from inetdctl to the parent or from the parent to
 * a child: exactly its size, a command that exists, a terminated name.
 */
int
proc_take_ctl(struct chan *c, struct imsg *im, struct msg_ctl *mct)
{
	if (im->datalen != sizeof(*mct)) {
		proc_protocol_error(c, im, "bad control request");
		return -1;
	}
	memcpy(mct, im->data, sizeof(*mct));
	if (mct->mct_version != CTL_VERSION || mct->mct_cmd == CTL_NONE ||
	    mct->mct_cmd >= CTL_NCMDS ||
	    memchr(mct->mct_service, '\0', sizeof(mct->mct_service)) ==
	    NULL) {
		proc_protocol_error(c, im, "bad control request");
		return -1;
	}
	return 0;
}

/*
 * Whether inetdctl's name stands for an entry: "service" names it
 * whatever its protocol, "service/protocol" that one.
 */
int
ctl_name_match(const char *service, const char *proto, const char *want)
{
	size_t	 n = strlen(service);

	if (strcmp(want, service) == 0)
		return 1;
	return strncmp(want, service, n) == 0 && want[n] == '/' &&
	    strcmp(want + n + 1, proto) == 0;
}
