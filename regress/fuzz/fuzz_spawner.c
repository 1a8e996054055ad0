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
 * The spawner's dispatch of what the listener asks (spawner/spawner.c
 * spawner_dispatch_listener: IMSG_SPAWN, IMSG_GEN), as a compromised
 * listener would ask it, and of what the parent sends once the spawner
 * has its init (spawner_dispatch_parent), as a compromised parent would.
 * spawner.c is included, so that the harness reaches its static state;
 * the rest of inetd is linked as it is.
 *
 * The spawner is set up as spawner_main() and its init would set it up,
 * but the launcher thread is never started: nothing here forks or
 * execs.  The harness takes each launch from the launcher's pipe
 * itself and hands it back as if vfork had failed (EAGAIN), and the
 * real spawner_launch_done() answers the listener.  The table is a real
 * inetd.conf, loaded with conf_load() and sent as the parent sends it
 * (IMSG_SERVICE, IMSG_ACL, IMSG_CONF_END, then the listener's
 * IMSG_GEN), with the addresses of sockets the harness binds on
 * 127.0.0.1 and a UNIX socket of its own:
 *
 *	0 tcpnw		tcp, nowait, /bin/cat as nobody
 *	1 tcpw		tcp, wait
 *	2 udpw		udp, wait
 *	3 u.sock	unix stream, nowait
 *	4 acl		tcp, nowait, allow=127.0.0.2 only
 *	5 echo		internal
 *	6 tcpmux	internal
 *	7 tcpmux/+hello	through tcpmux, nowait
 *
 * The input is messages: flags (1 byte: bit 0 from the parent rather
 * than the listener, bits 1-6 which descriptor, bit 7 a descriptor
 * where one may come), type (1), length (2), payload.  A descriptor is
 * attached exactly when imsg_type_takes_fd() says it must, or may and
 * bit 7 is set, a new one each time (a dup of one of FSP_NFD kinds,
 * fsp_fd[]).  Generations are relative, so that an input means the same
 * whatever ran before: the ms_gen of a spawn request and the mg_gen of
 * the listener's IMSG_GEN are added to the generation the listener last
 * announced, the mce_gen of the parent's IMSG_CONF_END to the one in
 * force.  From the parent, an IMSG_SERVICE or IMSG_ACL of one byte
 * stands for entry n of the table, packed as the parent packs it.  A
 * sender whose channel has ended sends nothing more.
 *
 * Invariants:
 *  - a spawn request ends in exactly one of: the listener's channel
 *    ended, with a reason; one IMSG_CHILD_EXIT, pid -1, with the
 *    request's index, generation and token; one launch, of the
 *    descriptor handed, which once it fails gives that one answer;
 *  - a launch is only for an entry whose socket the descriptor is (its
 *    family, type, local address; the listening socket for a wait
 *    stream entry, a connection for a nowait one) and only for a peer
 *    its access list allows, and only of the generation asked for;
 *  - IMSG_GEN is taken only for a newer generation the spawner holds;
 *    anything else from the listener ends its channel;
 *  - a protocol error ends the channel with a reason; a descriptor a
 *    message carried is closed or kept, never left to the harness;
 *    IMSG_CHILD_START is never sent (no child is ever started);
 *  - nothing from either peer is fatal (fatal() and exit() end the run
 *    and libFuzzer reports it);
 *  - no descriptor outlives the input.
 * The TLS path (tls=) is not reached: an entry with tls= needs a
 * sealed settings file, which no descriptor here is, and the TLS
 * process is never started.
 */

#include "../../spawner/spawner.c"
#include "fuzz.h"

#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The descriptors a message may carry: what fsp_fd[] holds. */
enum {
	FSP_TCPNW_CONN,		/* a connection to tcpnw */
	FSP_TCPW_LISTEN,	/* tcpw's listening socket */
	FSP_UDPW,		/* udpw's socket */
	FSP_ACL_REFUSED,	/* to acl, from 127.0.0.1 */
	FSP_ACL_ALLOWED,	/* to acl, from 127.0.0.2 */
	FSP_UNIX_CONN,		/* a connection to u.sock */
	FSP_DEVNULL,
	FSP_TCPNW_LISTEN,	/* tcpnw's listening socket */
	FSP_TCPW_CONN,		/* a connection accepted on tcpw's socket */
	FSP_TCPNW_CLIENT,	/* the client's end of FSP_TCPNW_CONN */
	FSP_MUX_CONN,		/* a connection to tcpmux */
	FSP_NFD
};

#define FSP_NENTRY	8

static int			 fsp_fd[FSP_NFD];
static struct conf		*fsp_conf;	/* as loaded, for sending */
static struct conf		*fsp_base;	/* the spawner's copy of it */
static int			 fsp_dirty;	/* a reload may have come */
static int			 fsp_lfar = -1;	/* the listener's end */
static int			 fsp_pfar = -1;	/* the parent's end */
static int			 fsp_kfar = -1;	/* the keys process's end */
static char			 fsp_dir[] = "/tmp/fuzzspawner.XXXXXX";

static void
fsp_fail(const char *what, uint32_t type, int parent)
{
	fprintf(stderr, "spawner: %s (type %u from the %s)\n", what, type,
	    parent ? "parent" : "listener");
	abort();
}

static int
fsp_socket(int type, const char *addr, int listening)
{
	struct sockaddr_in	 sin;
	int			 s, on = 1;

	if ((s = socket(AF_INET, type | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin.sin_addr);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "bind %s", addr);
	if (listening && listen(s, 16) == -1)
		err(1, "listen");
	return s;
}

static int
fsp_port(int s)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);

	if (getsockname(s, (struct sockaddr *)&sin, &len) == -1)
		err(1, "getsockname");
	return ntohs(sin.sin_port);
}

/* A connection to a listening socket, from addr: the accepted end. */
static int
fsp_connect(int ls, const char *addr, int *client)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	int			 c, a;

	if (getsockname(ls, (struct sockaddr *)&ss, &len) == -1)
		err(1, "getsockname");
	if (ss.ss_family == AF_UNIX) {
		if ((c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
			err(1, "socket");
	} else
		c = fsp_socket(SOCK_STREAM, addr, 0);
	if (connect(c, (struct sockaddr *)&ss, len) == -1)
		err(1, "connect");
	if ((a = accept4(ls, NULL, NULL, SOCK_CLOEXEC)) == -1)
		err(1, "accept");
	if (client != NULL)
		*client = c;
	return a;
}

static void
fsp_chan(struct chan *c, const char *name, chan_dispatch_fn fn, int *far)
{
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	chan_init(c, sv[0], name, fn, NULL);
	*far = sv[1];
}

static void
fsp_dispatch(int parent, uint32_t type, int fd, const void *data,
    size_t len)
{
	static u_char	 buf[IMSG_MAXSIZE];
	struct imsg	 im;
	struct chan	*c = parent ? &spw.s_parent : &spw.s_listener;

	memcpy(buf, data, len);
	memset(&im, 0, sizeof(im));
	im.hdr.type = type;
	im.hdr.len = sizeof(im.hdr) + len;
	im.data = buf;
	im.datalen = len;
	im.fd = fd;
	if (parent)
		spawner_dispatch_parent(c, &im);
	else
		spawner_dispatch_listener(c, &im);
}

/* What the spawner sent the parent and the keys process: dropped. */
static void
fsp_drain(void)
{
	u_char	 buf[IMSG_MAXSIZE + 64];

	chan_flush(&spw.s_parent);
	while (recv(fsp_pfar, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	while (recv(fsp_kfar, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/*
 * What the spawner sent the listener: the number of IMSG_CHILD_EXIT,
 * the last in *mc.  IMSG_CHILD_START is never right here.
 */
static int
fsp_answers(struct msg_child *mc, uint32_t type)
{
	u_char		 buf[IMSG_MAXSIZE + 64];
	struct imsg_hdr	 hdr;
	ssize_t		 n;
	int		 exits = 0;

	chan_flush(&spw.s_listener);
	while ((n = recv(fsp_lfar, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		if ((size_t)n < sizeof(hdr))
			fsp_fail("a short message to the listener", type, 0);
		memcpy(&hdr, buf, sizeof(hdr));
		if (hdr.type != IMSG_CHILD_EXIT)
			fsp_fail("a message other than a child's exit to the "
			    "listener", type, 0);
		if ((size_t)n != sizeof(hdr) + sizeof(*mc))
			fsp_fail("a child's exit of a bad size", type, 0);
		memcpy(mc, buf + sizeof(hdr), sizeof(*mc));
		exits++;
	}
	return exits;
}

/* An entry and its access rules, as parent_send_to() sends them. */
static void
fsp_send_entry(const struct servconf *se, int acl)
{
	struct msg_acl	 ma;
	struct ibuf	 b;
	int		 i, n;

	if (!acl) {
		ibuf_init(&b);
		servconf_pack(se, &b, ROLE_SPAWNER);
		if (b.ib_error)
			errx(1, "service entry too large");
		fsp_dispatch(1, IMSG_SERVICE, -1, b.ib_buf, b.ib_len);
		ibuf_free(&b);
		return;
	}
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
			errx(1, "access list too large");
		fsp_dispatch(1, IMSG_ACL, -1, b.ib_buf, b.ib_len);
		ibuf_free(&b);
	}
}

static struct servconf *
fsp_entry(unsigned int n)
{
	struct servconf	*se;

	TAILQ_FOREACH(se, &fsp_conf->c_services, se_entry)
		if (se->se_index == n % fsp_conf->c_count)
			return se;
	errx(1, "no entry %u", n);
}

/*
 * The table as the parent sends it, as generation 1, and the listener's
 * word that it has moved to it: what every input starts from after one
 * that may have changed the table.  What the spawner held before is
 * dropped first, as if it had just started (no launch is out), so that
 * an input means the same whatever ran before it.
 */
static void
fsp_load(void)
{
	struct servconf		*se;
	struct msg_confend	 mce;
	struct msg_gen		 mg;

	spawner_conf_free(spw.s_next);
	spw.s_next = NULL;
	spawner_forget_prev();
	spawner_conf_release(spw.s_conf);
	spw.s_conf = NULL;
	free(spw.s_byindex);
	spw.s_byindex = NULL;
	spw.s_nindex = 0;
	spw.s_lgen = 0;
	if (spw.s_ndead != 0)
		errx(1, "tables kept for launches that are done");
	TAILQ_FOREACH(se, &fsp_conf->c_services, se_entry) {
		fsp_send_entry(se, 0);
		fsp_send_entry(se, 1);
	}
	memset(&mce, 0, sizeof(mce));
	mce.mce_gen = 1;
	mce.mce_count = mce.mce_nindex = fsp_conf->c_count;
	fsp_dispatch(1, IMSG_CONF_END, -1, &mce, sizeof(mce));
	mg.mg_gen = mce.mce_gen;
	fsp_dispatch(0, IMSG_GEN, -1, &mg, sizeof(mg));
	if (spw.s_parent.ch_dead || spw.s_listener.ch_dead ||
	    spw.s_conf == NULL || spw.s_conf->c_gen != mce.mce_gen ||
	    spw.s_lgen != mce.mce_gen || spw.s_prev != NULL)
		errx(1, "the table was not taken: %s", spw.s_parent.ch_err ?
		    spw.s_parent.ch_err : spw.s_listener.ch_err ?
		    spw.s_listener.ch_err : "?");
	fsp_base = spw.s_conf;
	fsp_drain();
}

/* The private directory: inetd.conf and the UNIX socket in it. */
static void
fsp_cleanup(void)
{
	char	 path[128];

	snprintf(path, sizeof(path), "%s/inetd.conf", fsp_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/u.sock", fsp_dir);
	unlink(path);
	rmdir(fsp_dir);
}

static void
fsp_setup(void)
{
	struct rlimit	 rl;
	FILE		*f;
	char		 path[128], upath[128];
	int		 tcpnw, tcpw, udpw, acl, echo, mux, us, i;
	struct sockaddr_un sun;

	log_init(1, 0);
	event_init();
	signal(SIGPIPE, SIG_IGN);
	RB_INIT(&spw.s_children);
	RB_INIT(&spw.s_engines);
	spw.s_tlspid = -1;
	RB_INIT(&spw.s_deadlines);
	evtimer_set(&spw.s_deadlineev, spawner_deadline, NULL);
	TAILQ_INIT(&spw.s_launches);
	TAILQ_INIT(&spw.s_tlswait);
	evtimer_set(&spw.s_prevtimer, spawner_retire_prev, NULL);
	evtimer_set(&spw.s_watchev, spawner_watch_timer, NULL);
	spw.s_exefd = -1;
	/* Not vfork-safe: a launch would fork, if anything launched. */
	spw.s_dumpfd = -1;

	/* What IMSG_INIT sets, and the launcher's start without it. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "getrlimit");
	spw.s_nofile = rl;
	spw.s_maxchild = 4;
	spw.s_init = 1;
	if ((spw.s_slots = calloc(SPAWNER_MAXCHILD,
	    sizeof(*spw.s_slots))) == NULL ||
	    (spw.s_freeslots = reallocarray(NULL, SPAWNER_MAXCHILD,
	    sizeof(*spw.s_freeslots))) == NULL)
		err(1, NULL);
	for (i = 0; i < SPAWNER_MAXCHILD; i++)
		spw.s_freeslots[i] = SPAWNER_MAXCHILD - 1 - i;
	spw.s_nfree = SPAWNER_MAXCHILD;
	if (pipe2(spw.s_donefd, O_CLOEXEC) == -1)
		err(1, "pipe2");
	for (i = 0; i < SPAWNER_NLAUNCHERS; i++) {
		spw.s_launchers[i].lr_bounded = i == SPAWNER_BOUNDED;
		if (pipe2(spw.s_launchers[i].lr_reqfd, O_CLOEXEC) == -1)
			err(1, "pipe2");
		fcntl(spw.s_launchers[i].lr_reqfd[0], F_SETFL, O_NONBLOCK);
	}

	fsp_chan(&spw.s_parent, "parent", spawner_dispatch_parent, &fsp_pfar);
	fsp_chan(&spw.s_listener, "listener", spawner_dispatch_listener,
	    &fsp_lfar);
	spw.s_havelistener = 1;
	/* A second keys channel is refused, as a second listener is. */
	fsp_chan(&spw.s_keys, "keys", spawner_dispatch_keys, &fsp_kfar);
	spw.s_havekeys = 1;

	/* The sockets the table names, bound here. */
	tcpnw = fsp_socket(SOCK_STREAM, "127.0.0.1", 1);
	tcpw = fsp_socket(SOCK_STREAM, "127.0.0.1", 1);
	udpw = fsp_socket(SOCK_DGRAM, "127.0.0.1", 0);
	acl = fsp_socket(SOCK_STREAM, "127.0.0.1", 1);
	echo = fsp_socket(SOCK_STREAM, "127.0.0.1", 1);
	mux = fsp_socket(SOCK_STREAM, "127.0.0.1", 1);
	if (mkdtemp(fsp_dir) == NULL)
		err(1, "mkdtemp");
	atexit(fsp_cleanup);
	snprintf(upath, sizeof(upath), "%s/u.sock", fsp_dir);
	if ((us = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, upath, sizeof(sun.sun_path));
	if (bind(us, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(us, 16) == -1)
		err(1, "bind %s", upath);

	snprintf(path, sizeof(path), "%s/inetd.conf", fsp_dir);
	if ((f = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	fprintf(f,
	    "tcpnw on socktype=stream, protocol=tcp, wait=no, user=nobody,\n"
	    "\tbind=127.0.0.1, port=%d, exec=/bin/cat, args=cat;\n"
	    "tcpw on socktype=stream, protocol=tcp, wait=yes, user=nobody,\n"
	    "\tbind=127.0.0.1, port=%d, exec=/bin/cat, args=cat;\n"
	    "udpw on socktype=dgram, protocol=udp, wait=yes, user=nobody,\n"
	    "\tbind=127.0.0.1, port=%d, exec=/bin/cat, args=cat;\n"
	    "%s on socktype=stream, protocol=unix, wait=no, user=nobody,\n"
	    "\texec=/bin/cat, args=cat;\n"
	    "acl on socktype=stream, protocol=tcp, wait=no, user=nobody,\n"
	    "\tbind=127.0.0.1, port=%d, exec=/bin/cat, args=cat,\n"
	    "\tallow=127.0.0.2;\n"
	    "echo on socktype=stream, protocol=tcp, wait=no, user=root,\n"
	    "\tbind=127.0.0.1, port=%d;\n"
	    "tcpmux on socktype=stream, protocol=tcp, wait=no, user=root,\n"
	    "\tbind=127.0.0.1, port=%d;\n"
	    "tcpmux/+hello on socktype=stream, protocol=tcp, wait=no,\n"
	    "\tuser=nobody, exec=/bin/cat, args=cat;\n",
	    fsp_port(tcpnw), fsp_port(tcpw), fsp_port(udpw), upath,
	    fsp_port(acl), fsp_port(echo), fsp_port(mux));
	fclose(f);
	if ((fsp_conf = conf_load(path)) == NULL)
		errx(1, "%s: not loaded", path);
	if (fsp_conf->c_count != FSP_NENTRY)
		errx(1, "%s: %u entries", path, fsp_conf->c_count);
	fsp_load();

	fsp_fd[FSP_TCPNW_CONN] = fsp_connect(tcpnw, "127.0.0.1",
	    &fsp_fd[FSP_TCPNW_CLIENT]);
	fsp_fd[FSP_TCPW_LISTEN] = tcpw;
	fsp_fd[FSP_UDPW] = udpw;
	fsp_fd[FSP_ACL_REFUSED] = fsp_connect(acl, "127.0.0.1", NULL);
	fsp_fd[FSP_ACL_ALLOWED] = fsp_connect(acl, "127.0.0.2", NULL);
	fsp_fd[FSP_UNIX_CONN] = fsp_connect(us, NULL, NULL);
	if ((fsp_fd[FSP_DEVNULL] = open("/dev/null",
	    O_RDWR | O_CLOEXEC)) == -1)
		err(1, "/dev/null");
	fsp_fd[FSP_TCPNW_LISTEN] = tcpnw;
	fsp_fd[FSP_TCPW_CONN] = fsp_connect(tcpw, "127.0.0.1", NULL);
	fsp_fd[FSP_MUX_CONN] = fsp_connect(mux, "127.0.0.1", NULL);
}

/* Whether a local address is the one se is bound to. */
static int
fsp_addr_is(const struct sockaddr_storage *ss, const struct servconf *se)
{
	const struct sockaddr_in	*s4, *e4;
	const char			*a, *e;

	if (ss->ss_family != se->se_ss.ss_family)
		return 0;
	if (ss->ss_family == AF_UNIX) {
		a = ((const struct sockaddr_un *)ss)->sun_path;
		e = ((const struct sockaddr_un *)&se->se_ss)->sun_path;
		return strcmp(a, e) == 0;
	}
	s4 = (const struct sockaddr_in *)ss;
	e4 = (const struct sockaddr_in *)&se->se_ss;
	return ss->ss_family == AF_INET &&
	    s4->sin_addr.s_addr == e4->sin_addr.s_addr &&
	    s4->sin_port == e4->sin_port;
}

/*
 * Whether a launch of se, of table conf, for descriptor kind k may be:
 * the checks of spawner_check_fd() and the access list, made again
 * from what the harness knows of its own sockets.  A tcpmux/ entry
 * takes a connection to a tcpmux socket of its table.
 */
static int
fsp_fits(const struct servconf *se, const struct conf *conf, int k)
{
	const struct servconf	*t;
	struct sockaddr_storage	 ss, peer;
	socklen_t		 len = sizeof(ss), plen = sizeof(peer);
	int			 listening, fits = 0;

	switch (k) {
	case FSP_TCPW_LISTEN:
	case FSP_TCPNW_LISTEN:
		listening = 1;
		break;
	case FSP_UDPW:
		listening = 0;
		if (se->se_socktype != SOCK_DGRAM)
			return 0;
		break;
	case FSP_DEVNULL:
		return 0;
	default:
		listening = 0;
		if (se->se_socktype != SOCK_STREAM)
			return 0;
	}
	if (se->se_socktype == SOCK_STREAM && listening != se->se_wait)
		return 0;
	if (getsockname(fsp_fd[k], (struct sockaddr *)&ss, &len) == -1)
		err(1, "getsockname");
	if (se->se_mux) {
		TAILQ_FOREACH(t, &conf->c_services, se_entry)
			if (t->se_builtin == BI_TCPMUX &&
			    t->se_socktype == SOCK_STREAM && fsp_addr_is(&ss, t))
				fits = 1;
	} else
		fits = fsp_addr_is(&ss, se);
	if (!fits)
		return 0;
	if (se->se_acc == NULL || listening || ss.ss_family == AF_UNIX ||
	    se->se_socktype != SOCK_STREAM)
		return 1;
	if (getpeername(fsp_fd[k], (struct sockaddr *)&peer, &plen) == -1)
		return 0;
	return acl_check_addr(se->se_acc, (struct sockaddr *)&peer,
	    plen) == 1;
}

/* The next launch handed to any launcher, and which one, or NULL. */
static struct launch *
fsp_next_launch(struct launcher **lrp)
{
	struct launch	*l;
	int		 i;

	for (i = 0; i < SPAWNER_NLAUNCHERS; i++) {
		*lrp = &spw.s_launchers[i];
		if (read((*lrp)->lr_reqfd[0], &l, sizeof(l)) == sizeof(l))
			return l;
	}
	return NULL;
}

/*
 * The launch a request queued, if any: the last in the queue, of the
 * descriptor handed, for the entry and generation asked, one that may
 * be, handed to the launcher with an empty bounding set exactly when
 * the child would empty its own.  The number queued (0 or 1).
 */
static int
fsp_queued(const struct msg_spawn *ms, int k, const struct stat *st,
    uint32_t type)
{
	struct launcher	*lr;
	struct launch	*l;
	struct stat	 lst;
	int		 n = 0;

	while ((l = fsp_next_launch(&lr)) != NULL) {
		if (ms == NULL)
			fsp_fail("a launch for no request", type, 0);
		if (n++ > 0 || l != TAILQ_LAST(&spw.s_launches, launchq))
			fsp_fail("more than one launch, or one not queued",
			    type, 0);
		if (l->l_sc->sc_index != ms->ms_index ||
		    l->l_sc->sc_gen != ms->ms_gen ||
		    l->l_sc->sc_token != ms->ms_token ||
		    l->l_se->se_index != ms->ms_index ||
		    ms->ms_gen != spw.s_lgen || l->l_conf->c_gen != ms->ms_gen)
			fsp_fail("a launch other than the one asked for",
			    type, 0);
		if (fstat(l->l_conn, &lst) == -1 || lst.st_dev != st->st_dev ||
		    lst.st_ino != st->st_ino)
			fsp_fail("a launch with another descriptor", type, 0);
		if (!fsp_fits(l->l_se, l->l_conf, k))
			fsp_fail("a launch for a descriptor that is not the "
			    "service's, or a peer it refuses", type, 0);
		if (!l->l_fork)
			fsp_fail("a launch would vfork", type, 0);
		if (l->l_lr != lr || lr->lr_bounded !=
		    (!l->l_se->se_newprivs && l->l_se->se_caps == 0))
			fsp_fail("a launch to the wrong launcher", type, 0);
	}
	return n;
}

/*
 * Every launch queued, handed back in order as the launcher hands back
 * a failed vfork, and answered by the real spawner_launch_done(): each
 * with one IMSG_CHILD_EXIT, pid -1, of its own index, generation (as
 * they are now: a reload may have carried it) and token.
 */
static void
fsp_complete(uint32_t type)
{
	struct launch		*l;
	struct msg_child	 mc;
	uint32_t		 index, gen, token;

	while ((l = TAILQ_FIRST(&spw.s_launches)) != NULL) {
		index = l->l_sc->sc_index;
		gen = l->l_sc->sc_gen;
		token = l->l_sc->sc_token;
		l->l_ret = -1;
		l->l_errno = EAGAIN;
		if (write(spw.s_donefd[1], &l, sizeof(l)) != sizeof(l))
			err(1, "write");
		spawner_launch_done(spw.s_donefd[0], EV_READ, NULL);
		if (spw.s_listener.ch_dead)
			continue;
		if (fsp_answers(&mc, type) != 1 || mc.mc_pid != -1 ||
		    mc.mc_index != index || mc.mc_gen != gen ||
		    mc.mc_token != token)
			fsp_fail("a failed launch not answered once, or not "
			    "as its own", type, 0);
	}
}

/* What the relative generations of the input stand for. */
static void
fsp_gen(int parent, uint32_t type, u_char *p, size_t len)
{
	uint32_t	 g;

	if (!parent && type == IMSG_SPAWN && len >= sizeof(struct msg_spawn)) {
		memcpy(&g, p + offsetof(struct msg_spawn, ms_gen), sizeof(g));
		g += spw.s_lgen;
		memcpy(p + offsetof(struct msg_spawn, ms_gen), &g, sizeof(g));
	} else if (!parent && type == IMSG_GEN && len == sizeof(g)) {
		memcpy(&g, p, sizeof(g));
		g += spw.s_lgen;
		memcpy(p, &g, sizeof(g));
	} else if (parent && type == IMSG_CONF_END &&
	    len == sizeof(struct msg_confend)) {
		memcpy(&g, p, sizeof(g));
		g += spw.s_conf->c_gen;
		memcpy(p, &g, sizeof(g));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	static u_char		 payload[IMSG_MAXSIZE];
	struct servconf		*se;
	struct sservice		*ss;
	struct msg_spawn	 ms;
	struct msg_child	 mc;
	struct stat		 st;
	struct chan		*c;
	struct fuzz_msg		 fm;
	size_t			 len;
	uint32_t		 type, lgen;
	int			 parent, k, fd, want, before, dead, exits;
	int			 queued, hold;

	if (!ready) {
		fsp_setup();
		ready = 1;
	}
	before = fuzz_nfds();
	/* Every input from a fresh rate period and verbosity. */
	log_setverbose(0);
	TAILQ_FOREACH(se, &spw.s_conf->c_services, se_entry)
		if ((ss = spawner_sservice(se)) != NULL)
			ss->ss_window = ss->ss_spawns = 0;

	while (fuzz_next(&data, &size, &fm, payload, sizeof(payload))) {
		parent = fm.fm_flags & 1;
		k = (fm.fm_flags >> 1 & 0x3f) % FSP_NFD;
		type = fm.fm_type % IMSG_MAX;
		len = fm.fm_len;
		want = imsg_type_takes_fd(type);
		c = parent ? &spw.s_parent : &spw.s_listener;
		fd = -1;
		if (want == IMSG_FD_MUST || (want == IMSG_FD_MAY &&
		    (fm.fm_flags & 0x80)))
			fd = 0;
		/* A spawn request's bit 7: the launcher is busy with it. */
		hold = !parent && type == IMSG_SPAWN && (fm.fm_flags & 0x80);
		if (want == -1 || c->ch_dead)
			continue;
		if (fd == 0 && (fd = fcntl(fsp_fd[k], F_DUPFD_CLOEXEC,
		    0)) == -1)
			err(1, "dup");
		if (fd != -1 && fstat(fd, &st) == -1)
			err(1, "fstat");

		if (parent) {
			fsp_dirty = 1;
			if ((type == IMSG_SERVICE || type == IMSG_ACL) &&
			    len == 1 && fd == -1) {
				fsp_send_entry(fsp_entry(payload[0]),
				    type == IMSG_ACL);
				fsp_drain();
				continue;
			}
		}
		fsp_gen(parent, type, payload, len);
		memset(&ms, 0, sizeof(ms));
		memcpy(&ms, payload, len < sizeof(ms) ? len : sizeof(ms));
		lgen = spw.s_lgen;

		fsp_dispatch(parent, type, fd, payload, len);
		dead = c->ch_dead;
		if (dead && c->ch_err == NULL)
			fsp_fail("a channel ended without a reason", type,
			    parent);
		queued = fsp_queued(!parent && type == IMSG_SPAWN ? &ms :
		    NULL, k, &st, type);
		/* Closed, or kept: by a launch, or as a tls= entry's. */
		if (fd != -1 && fcntl(fd, F_GETFD) != -1 && !queued &&
		    !(parent && type == IMSG_SERVICE && !dead))
			fsp_fail("a descriptor left open by the dispatcher",
			    type, parent);
		exits = fsp_answers(&mc, type);
		fsp_drain();
		if (parent) {
			if (exits != 0)
				fsp_fail("an answer to the listener for the "
				    "parent's message", type, parent);
			continue;
		}
		switch (type) {
		case IMSG_SPAWN:
			if (dead + exits + queued != 1)
				fsp_fail("a spawn request not answered "
				    "exactly once", type, parent);
			if (exits == 1 && (mc.mc_pid != -1 ||
			    mc.mc_index != ms.ms_index ||
			    mc.mc_gen != ms.ms_gen ||
			    mc.mc_token != ms.ms_token))
				fsp_fail("a refusal that is not the request's",
				    type, parent);
			if (!hold)
				fsp_complete(type);
			break;
		case IMSG_GEN:
			if (exits != 0)
				fsp_fail("an answer to a generation", type,
				    parent);
			if (!dead && (len != sizeof(struct msg_gen) ||
			    spw.s_lgen <= lgen ||
			    (spw.s_lgen != spw.s_conf->c_gen &&
			    (spw.s_prev == NULL ||
			    spw.s_lgen != spw.s_prev->c_gen))))
				fsp_fail("a generation taken that is not newer, "
				    "or not held", type, parent);
			if (!dead)
				fsp_dirty = 1;
			break;
		default:
			if (!dead || exits != 0)
				fsp_fail("a message the spawner does not take "
				    "from the listener taken", type, parent);
		}
	}

	/* Back to where an input starts: channels alive and empty. */
	fsp_complete(IMSG_NONE);
	chan_clear(&spw.s_parent);
	chan_clear(&spw.s_listener);
	fsp_answers(&mc, IMSG_NONE);
	fsp_drain();
	if (spw.s_parent.ch_dead || spw.s_listener.ch_dead) {
		spw.s_parent.ch_dead = spw.s_listener.ch_dead = 0;
		spw.s_parent.ch_err = spw.s_listener.ch_err = NULL;
	}
	if (spw.s_next != NULL || spw.s_conf != fsp_base ||
	    spw.s_prev != NULL)
		fsp_dirty = 1;
	if (fsp_dirty) {
		fsp_load();
		fsp_dirty = 0;
	}
	if (fuzz_nfds() != before)
		fsp_fail("a descriptor leaked", IMSG_NONE, 0);
	return 0;
}
