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
 * The TLS process (inetd -P tls), the spawner's child: it builds each
 * tls= entry's context once, from the sealed settings the parent wrote,
 * and forks one engine per connection from it (tls/engine.c), so that an
 * engine starts with its context ready instead of loading OpenSSL and
 * parsing certificates for every connection.  It runs as _inetd in the
 * empty chroot from the start, under a filter that lets it take
 * descriptors and fork, and never reads a byte of a connection: the
 * engine does, after it has loaded the tighter filter of its own.
 * Each engine serves one connection and exits; one connection's bytes
 * are never in a process that serves another.
 *
 * It reports how each engine ended to the spawner, which logs it.  It
 * holds no key (the keys process does) and no service's plaintext.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/tree.h>
#include <sys/wait.h>
#include <linux/close_range.h>
#include <linux/filter.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "inetd.h"
#include "tlskey.h"

#define TLSPROC_FDFLOOR	10	/* copies made above the fixed ones */

struct tctx {
	uint32_t		 tc_index;
	SSL_CTX			*tc_ctx;	/* NULL: the settings failed */
	int			 tc_timeout;
};

struct ttable {
	TAILQ_ENTRY(ttable)	 tt_entry;
	uint32_t		 tt_gen;
	struct tctx		*tt_ctx;
	size_t			 tt_n;
};
TAILQ_HEAD(ttables, ttable);

struct tengine {
	RB_ENTRY(tengine)	 te_entry;
	pid_t			 te_pid;
	uint32_t		 te_id;
};
RB_HEAD(tengine_tree, tengine);

static int
tengine_cmp(struct tengine *a, struct tengine *b)
{
	return a->te_pid < b->te_pid ? -1 : a->te_pid > b->te_pid;
}
RB_GENERATE_STATIC(tengine_tree, tengine, te_entry, tengine_cmp);

static struct {
	struct chan		 t_spawner;
	int			 t_init;
	struct ttables		 t_tables;	/* newest first */
	struct ttable		*t_next;
	struct tengine_tree	 t_engines;
	int			 t_nengines;
	struct sock_fprog	 t_filter;	/* each engine's own */
	/* The connection whose parts are coming. */
	struct msg_tlsconn	 t_conn;
	int			 t_fds[3];
	int			 t_nparts;
} tp;

static void
tls_table_free(struct ttable *tt)
{
	size_t	 i;

	for (i = 0; i < tt->tt_n; i++)
		SSL_CTX_free(tt->tt_ctx[i].tc_ctx);
	free(tt->tt_ctx);
	free(tt);
}

static void
tls_exit_report(uint32_t id, pid_t pid, int status)
{
	struct msg_tlsexit	 te;

	memset(&te, 0, sizeof(te));
	te.te_id = id;
	te.te_pid = pid;
	te.te_status = status;
	proc_compose(&tp.t_spawner, IMSG_TLSEXIT, -1, &te, sizeof(te));
}

/* An entry's settings: its context, built now, for every engine. */
static void
tls_take_ctx(struct chan *c, struct imsg *im)
{
	struct msg_tlsctx	 tx;
	struct tctx		*tc;
	struct ttable		*tt;

	if (im->datalen != sizeof(tx)) {
		proc_protocol_error(c, im, "bad tls context");
		return;
	}
	memcpy(&tx, im->data, sizeof(tx));
	if (tp.t_next == NULL &&
	    (tp.t_next = calloc(1, sizeof(*tp.t_next))) == NULL)
		fatal("calloc");
	tt = tp.t_next;
	if ((tc = reallocarray(tt->tt_ctx, tt->tt_n + 1,
	    sizeof(*tc))) == NULL)
		fatal("reallocarray");
	tt->tt_ctx = tc;
	tc = &tt->tt_ctx[tt->tt_n++];
	tc->tc_index = tx.tx_index;
	/* Its connections end at once, and the spawner says why. */
	tc->tc_ctx = tls_engine_context(im->fd, &tc->tc_timeout);
	close(im->fd);
	im->fd = -1;
	if (tc->tc_ctx == NULL)
		log_warnx("entry %u: its TLS settings cannot be used; its "
		    "connections are closed", tx.tx_index);
}

/* The contexts of a generation are complete. */
static void
tls_conf_end(struct chan *c, struct imsg *im)
{
	struct msg_confend	 mce;
	struct ttable		*tt, *cur;
	int			 n = 0;

	if (tp.t_next == NULL &&
	    (tp.t_next = calloc(1, sizeof(*tp.t_next))) == NULL)
		fatal("calloc");
	tt = tp.t_next;
	cur = TAILQ_FIRST(&tp.t_tables);
	if (proc_take_confend(c, im, cur != NULL ? cur->tt_gen : 0,
	    tt->tt_n, &mce) == -1)
		return;
	tp.t_next = NULL;
	tt->tt_gen = mce.mce_gen;
	TAILQ_INSERT_HEAD(&tp.t_tables, tt, tt_entry);
	/* The spawner starts connections of this table and the last. */
	TAILQ_FOREACH_SAFE(tt, &tp.t_tables, tt_entry, cur)
		if (++n > 2) {
			TAILQ_REMOVE(&tp.t_tables, tt, tt_entry);
			tls_table_free(tt);
		}
}

static const struct tctx *
tls_lookup(uint32_t gen, uint32_t index)
{
	struct ttable	*tt;
	size_t		 i;

	TAILQ_FOREACH(tt, &tp.t_tables, tt_entry)
		if (tt->tt_gen == gen)
			for (i = 0; i < tt->tt_n; i++)
				if (tt->tt_ctx[i].tc_index == index)
					return &tt->tt_ctx[i];
	return NULL;
}

/*
 * The engine: its three descriptors on 0, 1 and 3, nothing else open
 * (the channel to the spawner least of all), its filter, the connection.
 */
static __dead void
tls_engine_child(const struct tctx *tc, const int *fds)
{
	int	 c[3], i;
	sigset_t none;

	for (i = 0; i < 3; i++)
		if ((c[i] = fcntl(fds[i], F_DUPFD_CLOEXEC,
		    TLSPROC_FDFLOOR)) == -1)
			_exit(TLSENG_SETUP);
	if (dup2(c[0], 0) == -1 || dup2(c[1], 1) == -1 ||
	    dup2(c[2], 3) == -1 || close_range(4, ~0U, 0) == -1)
		_exit(TLSENG_SETUP);
	/* Its descriptor 3 is the key channel now, not ours: no logging. */
	log_setchan(NULL);
	/* libevent's SIGCHLD handler stays: an engine has no children. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (tls_engine_filter_load(&tp.t_filter) == -1)
		_exit(TLSENG_SETUP);
	tls_engine_run(tc->tc_ctx, tc->tc_timeout);
}

/* The connection's parts are all here: fork its engine. */
static void
tls_start(void)
{
	const struct tctx	*tc;
	struct tengine		*te;
	pid_t			 pid;
	int			 i;

	tc = tls_lookup(tp.t_conn.tc_gen, tp.t_conn.tc_index);
	if (tc == NULL || tc->tc_ctx == NULL ||
	    tp.t_nengines >= SPAWNER_MAXCHILD) {
		if (tc == NULL)
			log_warnx("no context for entry %u of generation %u",
			    tp.t_conn.tc_index, tp.t_conn.tc_gen);
		tls_exit_report(tp.t_conn.tc_id, 0, TLSENG_SETUP << 8);
	} else if ((pid = fork()) == -1) {
		log_warn("fork");
		tls_exit_report(tp.t_conn.tc_id, 0, TLSENG_SETUP << 8);
	} else if (pid == 0)
		tls_engine_child(tc, tp.t_fds);
	else {
		if ((te = calloc(1, sizeof(*te))) == NULL)
			fatal("calloc");
		te->te_pid = pid;
		te->te_id = tp.t_conn.tc_id;
		RB_INSERT(tengine_tree, &tp.t_engines, te);
		tp.t_nengines++;
	}
	for (i = 0; i < 3; i++)
		close(tp.t_fds[i]);
	tp.t_nparts = 0;
}

/* One part of a connection; they come in order, or not at all. */
static void
tls_take_conn(struct chan *c, struct imsg *im)
{
	struct msg_tlsconn	 tc;

	if (im->datalen != sizeof(tc)) {
		proc_protocol_error(c, im, "bad tls connection");
		return;
	}
	memcpy(&tc, im->data, sizeof(tc));
	if (tc.tc_part != (uint32_t)tp.t_nparts || (tp.t_nparts > 0 &&
	    (tc.tc_id != tp.t_conn.tc_id || tc.tc_gen != tp.t_conn.tc_gen ||
	    tc.tc_index != tp.t_conn.tc_index))) {
		proc_protocol_error(c, im, "tls connection out of order");
		return;
	}
	tp.t_conn = tc;
	tp.t_fds[tp.t_nparts++] = im->fd;
	im->fd = -1;
	if (tp.t_nparts == 3)
		tls_start();
}

static void
tls_reap(int sig, short ev, void *arg)
{
	struct tengine	 key, *te;
	pid_t		 pid;
	int		 status;

	(void)sig;
	(void)ev;
	(void)arg;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		key.te_pid = pid;
		if ((te = RB_FIND(tengine_tree, &tp.t_engines, &key)) == NULL)
			continue;
		tls_exit_report(te->te_id, pid, status);
		RB_REMOVE(tengine_tree, &tp.t_engines, te);
		tp.t_nengines--;
		free(te);
	}
}

static void
tls_dispatch(struct chan *c, struct imsg *im)
{
	struct msg_init	 mi;

	if (!tp.t_init && im->hdr.type != IMSG_INIT) {
		proc_protocol_error(c, im, "expected init");
		return;
	}
	switch (im->hdr.type) {
	case IMSG_INIT:
		if (proc_take_init(c, im, tp.t_init, &mi) == -1)
			return;
		if (mi.mi_uid == 0 || tls_confine_proc(mi.mi_uid,
		    mi.mi_gid) == -1)
			fatal("tls: confinement");
		tp.t_init = 1;
		break;
	case IMSG_TLSCTX:
		tls_take_ctx(c, im);
		break;
	case IMSG_CONF_END:
		tls_conf_end(c, im);
		break;
	case IMSG_TLSCONN:
		tls_take_conn(c, im);
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

__dead void
tls_main(void)
{
	struct event	 ev_chld;

	log_init(1, 0);
	setproctitle("tls");
	log_setname("tls");
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	if (OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1 ||
	    RAND_status() != 1)
		fatalx("tls: OpenSSL");
	/* Checking a client certificate's dates reads the zone: now. */
	tzset();
	if (tls_engine_filter(&tp.t_filter) == -1)
		fatalx("tls: the engines' filter");
	event_init();
	TAILQ_INIT(&tp.t_tables);
	RB_INIT(&tp.t_engines);
	signal_set(&ev_chld, SIGCHLD, tls_reap, NULL);
	signal_add(&ev_chld, NULL);
	chan_init(&tp.t_spawner, INETD_CHANFD, "spawner", tls_dispatch, NULL);
	tp.t_spawner.ch_closed = proc_chan_closed;
	log_setchan(&tp.t_spawner);
	proc_event_chan(&tp.t_spawner);
	event_dispatch();
	fatalx("event loop ended");
}
