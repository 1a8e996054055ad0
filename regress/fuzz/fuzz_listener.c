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
 * The listener's dispatch of what the parent and the spawner send it
 * (listener/listener.c listener_dispatch_parent and
 * listener_dispatch_spawner), as a compromised parent or spawner would
 * send it.  listener.c is included, so that the harness reaches its
 * static state; the rest of inetd is linked as it is.
 *
 * Every input starts in the state after INIT and PEER: l_init and
 * l_havespawner set, the spawner's channel a socket pair the harness
 * holds, no table.  INIT and PEER from the input reach the dispatcher
 * and must be refused there (a second of either), so proc_drop(), which
 * would chroot, drop privileges and confine the fuzzer, is never
 * called.  The channels are not on the event loop: the harness hands
 * each message to the dispatcher as chan_read() would, and drains what
 * the listener sends on the far ends.  When either channel ends the
 * real listener exits (proc_chan_closed), so the input ends there.
 * The input is
 *
 *	state (1 byte: the ceiling -c, 1 to 4),
 *	then messages: flags (1 byte), type (1), length (2), payload
 *
 * flags: bits 0-1 the sender (0 and 3 the parent, 1 the spawner, 2 the
 * network), bit 2 a descriptor for a type that may carry one, bits 3-4
 * what descriptor (0 what the entry wants, 1 /dev/null, 2 a TCP socket,
 * 3 a UDP one), bit 5 a message built from the payload instead of the
 * payload itself: a service entry loaded at start from a temporary
 * inetd.conf and packed by servconf_pack() with the index and the
 * socket to take over chosen by the payload, a config end that counts
 * what was sent, a well-formed control request, a child report of a
 * small index and a generation in force, last or older.  The network
 * connects to a program's socket of the table in force or sends a
 * datagram to it or to a UDP built-in, at most FL_MAXCONN times an
 * input (built-in stream services and tcpmux keep what they accept
 * in state no reset here reaches, and get nothing), so that the listener
 * asks the spawner for programs and CHILD_START and CHILD_EXIT have
 * counts to move.  Between messages the event loop runs without
 * blocking.  With FL_DEBUG in the environment, the harness says why a
 * channel ended.
 *
 * Invariants:
 *  - a protocol error ends that channel with a reason; a descriptor a
 *    message carried is taken by an entry or closed, never left open;
 *  - nothing the parent or the spawner sends is fatal to the listener
 *    (fatal() or exit() ends the run and is reported);
 *  - a config end taken puts in force the generation and the number of
 *    indices it named;
 *  - no count goes below zero: programs running in all (l_live) and of
 *    a service (ls_live), asked for and not started (ls_ahead), PROXY
 *    headers pending; the ceiling is reached only at -c;
 *  - once the tables are freed after each input (as listener_conf_end
 *    frees an old one), no descriptor outlives the input.
 * The per-source table (listener/source.c) is static there and only
 * reached through source_release() here; its counts are not checked.
 */

#include "../../listener/listener.c"
#include "fuzz.h"

#include <sys/stat.h>

#include <err.h>
#include <stdio.h>

#define FL_MAXCONN	8	/* network connections an input */
#define FL_NINDEX	8	/* indices the built messages use */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fl_conf[] =
	"2000\tstream\ttcp\tnowait\troot\t/bin/cat\tcat\n"
	"2001\tstream\ttcp\twait\troot\t/bin/cat\tcat\n"
	"127.0.0.1:echo\tdgram\tudp\twait\troot\tinternal\n"
	"2003\tdgram\tudp\twait\troot\t/bin/cat\tcat\n"
	"2004\tdgram\tudp\tnowait\troot\t/bin/cat\tcat\n"
	"%s/sock\tstream\tunix\tnowait\troot\t/bin/cat\tcat\n"
	"tcpmux\tstream\ttcp\tnowait\troot\tinternal\n"
	"tcpmux/+fuzz\tstream\ttcp\tnowait\troot\t/bin/cat\tcat\n";

static int		 fl_far[2] = { -1, -1 };	/* parent, spawner */
static struct conf	*fl_loaded;
static struct servconf	*fl_ent[16];
static int		 fl_nent;
static int		 fl_conn[FL_MAXCONN];
static int		 fl_nconn;

static void
fl_fail(const char *what, uint32_t type, int from)
{
	fprintf(stderr, "listener: %s (type %s from the %s)\n", what,
	    imsg_type_name(type), from == 0 ? "parent" : from == 1 ?
	    "spawner" : "network");
	abort();
}

/* What a leak left open, for the report. */
static void
fl_listfds(void)
{
	char	 path[64], to[PATH_MAX];
	ssize_t	 n;
	int	 fd;

	for (fd = 0; fd < FUZZ_MAXFD; fd++) {
		if (fcntl(fd, F_GETFD) == -1)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if ((n = readlink(path, to, sizeof(to) - 1)) == -1)
			n = 0;
		to[n] = '\0';
		fprintf(stderr, "fd %d: %s\n", fd, to);
	}
}

static void
fl_setup(void)
{
	char		 dir[] = "/tmp/fuzz_listener.XXXXXX", path[PATH_MAX];
	struct servconf	*se;
	FILE		*f;
	int		 i, sv[2];

	log_init(1, 0);
	event_init();
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < 2; i++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		    sv) == -1)
			err(1, "socketpair");
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		fcntl(sv[1], F_SETFL, O_NONBLOCK);
		if (i == 0)
			chan_init(&lst.l_parent, sv[0], "parent",
			    listener_dispatch_parent, NULL);
		else
			chan_init(&lst.l_spawner, sv[0], "spawner",
			    listener_dispatch_spawner, NULL);
		fl_far[i] = sv[1];
	}
	evtimer_set(&lst.l_resume, listener_resume, NULL);
	evtimer_set(&lst.l_recordev, listener_records_timer, NULL);
	lst.l_recordsince = listener_now();
	evtimer_set(&lst.l_refusetimer, listener_refuse_timer, NULL);
	lst.l_spare = -1;
	if (listener_spare() == -1)
		err(1, "spare descriptor");
	listener_notice_init(&lst.l_fdnote, NULL, "out of descriptors");

	/* The entries a built SERVICE message carries. */
	if (mkdtemp(dir) == NULL)
		err(1, "mkdtemp");
	snprintf(path, sizeof(path), "%s/inetd.conf", dir);
	if ((f = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	fprintf(f, fl_conf, dir);
	fclose(f);
	if ((fl_loaded = conf_load(path)) == NULL)
		errx(1, "%s: not loaded", path);
	unlink(path);
	rmdir(dir);
	TAILQ_FOREACH(se, &fl_loaded->c_services, se_entry)
		if (fl_nent < (int)nitems(fl_ent))
			fl_ent[fl_nent++] = se;
	if (fl_nent == 0)
		errx(1, "no entry loaded");
}

/* Whatever the listener sent: read and dropped, descriptors with it. */
static void
fl_drain(void)
{
	u_char	 buf[IMSG_MAXSIZE + 64];
	int	 i;

	(void)chan_flush(&lst.l_parent);
	(void)chan_flush(&lst.l_spawner);
	for (i = 0; i < 2; i++)
		while (recv(fl_far[i], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
}

static void
fl_loop(void)
{
	int	 i;

	for (i = 0; i < 4; i++)
		event_loop(EVLOOP_NONBLOCK);
	fl_drain();
}

/* A socket as the parent binds one, on the loopback address. */
static int
fl_socket(int family, int type)
{
	struct sockaddr_in	 sin;
	sa_family_t		 un = AF_UNIX;
	int			 s;

	if ((s = socket(family, type | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		err(1, "socket");
	if (family == AF_INET) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			err(1, "bind");
	}
	/* A UNIX socket: bound to a free abstract name. */
	else if (bind(s, (struct sockaddr *)&un, sizeof(un)) == -1)
		err(1, "bind");
	if (type == SOCK_STREAM && listen(s, 16) == -1)
		err(1, "listen");
	return s;
}

/* The descriptor a message carries, by the flags byte. */
static int
fl_fd(int kind, const struct servconf *se)
{
	int	 fd;

	switch (kind) {
	case 0:
		if (se == NULL)
			return fl_socket(AF_INET, SOCK_STREAM);
		return fl_socket(se->se_family == AF_UNIX ? AF_UNIX :
		    AF_INET, se->se_socktype);
	case 1:
		if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
			err(1, "/dev/null");
		return fd;
	case 2:
		return fl_socket(AF_INET, SOCK_STREAM);
	default:
		return fl_socket(AF_INET, SOCK_DGRAM);
	}
}

static uint32_t
fl_gen(void)
{
	return lst.l_conf != NULL ? lst.l_conf->c_gen : 0;
}

/*
 * A message built from the payload p (of len bytes, read as zeros past
 * its end) into b; *sep is the entry of a SERVICE message.
 */
static void
fl_build(uint32_t type, const u_char *p, size_t len, struct ibuf *b,
    struct servconf **sep)
{
	u_char			 a[8];
	struct servconf		*se, *n;
	struct msg_confend	 mce;
	struct msg_ctl		 mct;
	struct msg_child	 mc;
	uint32_t		 count = 0, nindex = 0;

	memset(a, 0, sizeof(a));
	memcpy(a, p, len < sizeof(a) ? len : sizeof(a));
	switch (type) {
	case IMSG_SERVICE:
		se = fl_ent[a[0] % fl_nent];
		se->se_index = a[1] % FL_NINDEX;
		se->se_reuse = a[2] & 0x80 ? (int32_t)(a[2] % FL_NINDEX) : -1;
		servconf_pack(se, b, ROLE_LISTENER);
		*sep = se;
		break;
	case IMSG_CONF_END:
		if (lst.l_next != NULL)
			TAILQ_FOREACH(n, &lst.l_next->c_services, se_entry) {
				count++;
				if (n->se_index >= nindex)
					nindex = n->se_index + 1;
			}
		memset(&mce, 0, sizeof(mce));
		mce.mce_gen = fl_gen() + a[0] % 3;
		mce.mce_count = count + (a[1] & 1);
		mce.mce_nindex = nindex + a[2] % 3;
		ibuf_add(b, &mce, sizeof(mce));
		break;
	case IMSG_CTL:
		memset(&mct, 0, sizeof(mct));
		mct.mct_version = CTL_VERSION;
		mct.mct_cmd = a[0] % CTL_NCMDS;
		mct.mct_gen = fl_gen() - a[1] % 2;
		mct.mct_index = a[2] & 1 ? CTL_ALL : a[2] % FL_NINDEX;
		se = fl_ent[a[3] % fl_nent];
		if (a[4] & 1)
			snprintf(mct.mct_service, sizeof(mct.mct_service),
			    "%s", se->se_service);
		else
			snprintf(mct.mct_service, sizeof(mct.mct_service),
			    "%s/%s", se->se_service, se->se_proto);
		ibuf_add(b, &mct, sizeof(mct));
		break;
	case IMSG_CHILD_START:
	case IMSG_CHILD_EXIT:
		memset(&mc, 0, sizeof(mc));
		mc.mc_index = a[0] % (FL_NINDEX + 1);
		mc.mc_gen = a[1] % 4 == 3 ? a[1] : fl_gen() - a[1] % 4;
		mc.mc_pid = a[2] == 0 ? -1 : 1000 + a[2];
		mc.mc_status = a[3] & 0x80 ? SIGSYS : a[3] << 8;
		mc.mc_token = a[4] % 4;
		mc.mc_noexec = a[5] % 3;
		ibuf_add(b, &mc, sizeof(mc));
		break;
	default:
		if (len > 0)
			ibuf_add(b, p, len);
		break;
	}
}

/* The network: a connection or a datagram to a program's socket. */
static void
fl_connect(uint8_t which, const u_char *p, size_t len)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	struct servconf		*se, *pick = NULL;
	int			 n = 0, s;

	if (lst.l_conf == NULL || fl_nconn >= FL_MAXCONN)
		return;
	/*
	 * Built-in stream services and tcpmux keep what they accept in
	 * state of their own, which no reset here reaches: not those.
	 */
	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
		if (!se->se_mux && se->se_fd != -1 &&
		    (se->se_builtin == BI_NONE ||
		    se->se_socktype == SOCK_DGRAM))
			n++;
	if (n == 0)
		return;
	n = which % n;
	TAILQ_FOREACH(se, &lst.l_conf->c_services, se_entry)
		if (!se->se_mux && se->se_fd != -1 &&
		    (se->se_builtin == BI_NONE ||
		    se->se_socktype == SOCK_DGRAM) && n-- == 0) {
			pick = se;
			break;
		}
	if (getsockname(pick->se_fd, (struct sockaddr *)&ss, &sslen) == -1)
		return;
	if ((s = socket(ss.ss_family, pick->se_socktype | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1)
		return;
	fl_conn[fl_nconn++] = s;
	if (pick->se_socktype == SOCK_STREAM)
		(void)connect(s, (struct sockaddr *)&ss, sslen);
	else
		(void)sendto(s, p, len > 64 ? 64 : len, 0,
		    (struct sockaddr *)&ss, sslen);
}

static void
fl_check_counts(uint32_t type, int from)
{
	struct conf	*c[2] = { lst.l_conf, lst.l_next };
	struct servconf	*se;
	struct lservice	*ls;
	int		 i;

	if (lst.l_live < 0)
		fl_fail("programs running in all below zero", type, from);
	if (lst.l_ceiling && lst.l_live < lst.l_maxchild)
		fl_fail("the ceiling held below -c", type, from);
	for (i = 0; i < 2; i++) {
		if (c[i] == NULL)
			continue;
		TAILQ_FOREACH(se, &c[i]->c_services, se_entry) {
			if ((ls = listener_service(se)) == NULL)
				fl_fail("an entry without its state", type,
				    from);
			if (ls->ls_live < 0 || ls->ls_ahead < 0 ||
			    ls->ls_pending < 0)
				fl_fail("a service's count below zero", type,
				    from);
		}
	}
}

/* A table freed as listener_conf_end frees the old one. */
static void
fl_free_conf(struct conf *c)
{
	struct servconf	*se;
	struct lservice	*ls;

	if (c == NULL)
		return;
	TAILQ_FOREACH(se, &c->c_services, se_entry) {
		if ((ls = listener_service(se)) == NULL)
			continue;
		listener_disarm(se);
		ls->ls_gone = 1;
		if (ls->ls_paused)
			evtimer_del(&ls->ls_pausetimer);
		if (ls->ls_dgram != NULL)
			evtimer_del(&ls->ls_dgram->ld_readtimer);
		evtimer_del(&ls->ls_behindtimer);
		proxy_retire(se, NULL);
		evtimer_del(&ls->ls_fullnote.ln_timer);
		evtimer_del(&ls->ls_pausenote.ln_timer);
		/* The next table has it, and closes it. */
		if (ls->ls_moved)
			se->se_fd = -1;
		free(ls->ls_dgram);
		free(ls);
		se->se_priv = NULL;
	}
	conf_free(c);
}

/* Back to the state after INIT and PEER, with no table. */
static void
fl_reset(void)
{
	int	 i;

	/*
	 * The clients go first, while the tables are there: a connection
	 * the listener holds in a state of its own (a tcpmux entry that
	 * took over a program's socket on a reload accepts what waited
	 * there, and reads the name) ends on their end of file.
	 */
	for (i = 0; i < fl_nconn; i++)
		close(fl_conn[i]);
	fl_nconn = 0;
	fl_loop();
	fl_free_conf(lst.l_next);
	lst.l_next = NULL;
	fl_free_conf(lst.l_conf);
	lst.l_conf = NULL;
	free(lst.l_byindex);
	lst.l_byindex = NULL;
	lst.l_nindex = 0;
	free(lst.l_prevsucc);
	lst.l_prevsucc = NULL;
	lst.l_prevn = 0;
	lst.l_prevgen = 0;
	evtimer_del(&lst.l_resume);
	evtimer_del(&lst.l_recordev);
	evtimer_del(&lst.l_refusetimer);
	evtimer_del(&lst.l_fdnote.ln_timer);
	lst.l_fdnote.ln_count = 0;
	memset(lst.l_refusals, 0, sizeof(lst.l_refusals));
	lst.l_refusearmed = 0;
	lst.l_refuselines = 0;
	lst.l_refuseother = 0;
	lst.l_blocked = 0;
	lst.l_live = 0;
	lst.l_ceiling = 0;
	log_setverbose(0);
	(void)listener_spare();
	chan_clear(&lst.l_parent);
	chan_clear(&lst.l_spawner);
	fl_drain();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	static u_char		 payload[IMSG_MAXSIZE];
	struct chan		*c;
	struct servconf		*se;
	struct imsg		 im;
	struct ibuf		 b;
	struct msg_confend	 mce;
	struct fuzz_msg		 fm;
	size_t			 len;
	uint32_t		 type;
	int			 from, want, dead, i, before;
	uint8_t			 flags;

	if (!ready) {
		fl_setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	before = fuzz_nfds();
	lst.l_init = 1;
	lst.l_havespawner = 1;
	lst.l_maxchild = 1 + data[0] % 4;
	for (i = 0; i < 2; i++) {
		c = i == 0 ? &lst.l_parent : &lst.l_spawner;
		c->ch_dead = 0;
		c->ch_eof = 0;
		c->ch_err = NULL;
	}
	data++;
	size--;

	while (fuzz_next(&data, &size, &fm, payload, sizeof(payload))) {
		flags = fm.fm_flags;
		from = flags & 3;
		if (from == 3)
			from = 0;
		type = fm.fm_type % IMSG_MAX;
		len = fm.fm_len;
		if (from == 2) {
			fl_connect(fm.fm_type, payload, len);
			fl_loop();
			fl_check_counts(IMSG_NONE, from);
			continue;
		}
		c = from == 0 ? &lst.l_parent : &lst.l_spawner;
		want = imsg_type_takes_fd(type);
		if (want == -1)
			continue;

		ibuf_init(&b);
		se = NULL;
		if (flags & 0x20)
			fl_build(type, payload, len, &b, &se);
		else if (len > 0)
			ibuf_add(&b, payload, len);
		if (b.ib_error || b.ib_len > IMSG_MAXSIZE) {
			ibuf_free(&b);
			continue;
		}
		memset(&im, 0, sizeof(im));
		im.hdr.type = type;
		im.hdr.len = sizeof(im.hdr) + b.ib_len;
		im.hdr.pid = from == 0 ? 1 : 1001;
		im.data = b.ib_buf;
		im.datalen = b.ib_len;
		im.fd = -1;
		if (want == IMSG_FD_MUST || (want == IMSG_FD_MAY &&
		    (flags & 0x04)))
			im.fd = fl_fd((flags >> 3) & 3, se);
		if (type == IMSG_CONF_END && b.ib_len == sizeof(mce))
			memcpy(&mce, b.ib_buf, sizeof(mce));

		c->ch_dispatch(c, &im);
		dead = c->ch_dead;

		if (im.fd != -1)
			fl_fail("a descriptor left open by the dispatcher",
			    type, from);
		if (dead && c->ch_err == NULL)
			fl_fail("a channel ended without a reason", type,
			    from);
		if (type == IMSG_CONF_END && from == 0 && !dead &&
		    (lst.l_conf == NULL || lst.l_conf->c_gen != mce.mce_gen ||
		    lst.l_nindex != mce.mce_nindex))
			fl_fail("a config end taken, another table in force",
			    type, from);
		ibuf_free(&b);
		fl_check_counts(type, from);
		if (dead) {
			if (getenv("FL_DEBUG") != NULL)
				fprintf(stderr, "ended: %s\n", c->ch_err);
			break;
		}
		fl_loop();
		fl_check_counts(type, from);
	}
	fl_reset();
	if (fuzz_nfds() != before) {
		fl_listfds();
		fl_fail("a descriptor leaked", IMSG_NONE, 2);
	}
	return 0;
}
