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
 * The keys process (inetd -P keys): the one process that holds the
 * private keys of tls= entries.  The parent reads the key files and
 * sends each key here with the table it belongs to; the spawner sends
 * one channel per connection, named by table and entry; the engine of
 * that connection may ask one signature on it, and the channel is
 * closed.  No byte from the network reaches this process but the one
 * fixed-size request of each channel, which tls/keysign.c checks.
 *
 * A table stays while channels of it are open, and the one before the
 * newest stays as long as the spawner may still start its connections,
 * so a reload never takes a key from a handshake under way.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <event.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "inetd.h"
#include "tlskey.h"

struct kkey {
	uint32_t		 kk_index;
	EVP_PKEY		*kk_pk;
};

struct ktable {
	TAILQ_ENTRY(ktable)	 kt_entry;
	uint32_t		 kt_gen;
	struct kkey		*kt_keys;
	size_t			 kt_nkeys;
	int			 kt_refs;	/* channels open */
};
TAILQ_HEAD(ktables, ktable);

struct kchan {
	struct event		 kc_ev;
	int			 kc_fd;
	struct ktable		*kc_table;
	EVP_PKEY		*kc_pk;
};

static struct {
	struct chan		 k_parent;
	struct chan		 k_spawner;
	int			 k_init;
	int			 k_havespawner;
	struct ktables		 k_tables;	/* newest first */
	struct ktable		*k_next;	/* being received */
	int			 k_nchans;
} keys;

static void	 keys_dispatch_spawner(struct chan *, struct imsg *);

static void
keys_table_free(struct ktable *kt)
{
	size_t	 i;

	for (i = 0; i < kt->kt_nkeys; i++)
		EVP_PKEY_free(kt->kt_keys[i].kk_pk);
	free(kt->kt_keys);
	free(kt);
}

/* Tables older than the two newest go once no channel holds them. */
static void
keys_tables_trim(void)
{
	struct ktable	*kt, *next;
	int		 n = 0;

	for (kt = TAILQ_FIRST(&keys.k_tables); kt != NULL; kt = next) {
		next = TAILQ_NEXT(kt, kt_entry);
		if (++n > 2 && kt->kt_refs == 0) {
			TAILQ_REMOVE(&keys.k_tables, kt, kt_entry);
			log_debug("keys of generation %u gone", kt->kt_gen);
			keys_table_free(kt);
		}
	}
}

/* A key of the table being received: DER, wiped from the message. */
static void
keys_take_key(struct chan *c, struct imsg *im)
{
	struct kkey	*kk;
	const u_char	*der;
	EVP_PKEY	*pk;
	uint32_t	 index;
	size_t		 i;

	if (im->datalen <= sizeof(index)) {
		proc_protocol_error(c, im, "bad key");
		return;
	}
	memcpy(&index, im->data, sizeof(index));
	if (keys.k_next == NULL &&
	    (keys.k_next = calloc(1, sizeof(*keys.k_next))) == NULL)
		fatal("calloc");
	for (i = 0; i < keys.k_next->kt_nkeys; i++)
		if (keys.k_next->kt_keys[i].kk_index == index) {
			proc_protocol_error(c, im, "key: index twice");
			return;
		}
	der = im->data + sizeof(index);
	pk = d2i_AutoPrivateKey(NULL, &der, im->datalen - sizeof(index));
	ERR_clear_error();
	/* The key stays in no buffer of ours but OpenSSL's. */
	explicit_bzero(keys.k_parent.ch_rbuf, CHAN_RBUFSIZE);
	if (pk == NULL) {
		proc_protocol_error(c, im, "key: not a private key");
		return;
	}
	if ((kk = reallocarray(keys.k_next->kt_keys,
	    keys.k_next->kt_nkeys + 1, sizeof(*kk))) == NULL)
		fatal("reallocarray");
	keys.k_next->kt_keys = kk;
	kk[keys.k_next->kt_nkeys].kk_index = index;
	kk[keys.k_next->kt_nkeys].kk_pk = pk;
	keys.k_next->kt_nkeys++;
}

/* The table is complete: it serves from now on. */
static void
keys_conf_end(struct chan *c, struct imsg *im)
{
	struct msg_confend	 mce;
	struct msg_gen		 mg;
	struct ktable		*kt, *cur;

	if (keys.k_next == NULL &&
	    (keys.k_next = calloc(1, sizeof(*keys.k_next))) == NULL)
		fatal("calloc");
	kt = keys.k_next;
	cur = TAILQ_FIRST(&keys.k_tables);
	if (proc_take_confend(c, im, cur != NULL ? cur->kt_gen : 0,
	    kt->kt_nkeys, &mce) == -1)
		return;
	keys.k_next = NULL;
	kt->kt_gen = mce.mce_gen;
	TAILQ_INSERT_HEAD(&keys.k_tables, kt, kt_entry);
	keys_tables_trim();
	memset(&mg, 0, sizeof(mg));
	mg.mg_gen = kt->kt_gen;
	proc_compose(c, IMSG_CONF_ACK, -1, &mg, sizeof(mg));
	log_debug("keys of generation %u: %zu", kt->kt_gen, kt->kt_nkeys);
}

static void
keys_chan_close(struct kchan *kc)
{
	event_del(&kc->kc_ev);
	close(kc->kc_fd);
	kc->kc_table->kt_refs--;
	keys.k_nchans--;
	free(kc);
	keys_tables_trim();
}

/* The one request of a channel, answered or refused; then it is done. */
static void
keys_chan_read(int fd, short ev, void *arg)
{
	struct kchan	*kc = arg;

	(void)fd;
	(void)ev;
	if (keysign_serve_one(kc->kc_fd, kc->kc_pk) == -1)
		log_debug("key channel: request refused or none");
	keys_chan_close(kc);
}

/* A connection's channel from the spawner, for one key of one table. */
static void
keys_take_chan(struct chan *c, struct imsg *im)
{
	struct msg_spawn	 ms;
	struct ktable		*kt;
	struct kchan		*kc;
	size_t			 i;

	if (im->datalen != sizeof(ms)) {
		proc_protocol_error(c, im, "bad key channel");
		return;
	}
	memcpy(&ms, im->data, sizeof(ms));
	TAILQ_FOREACH(kt, &keys.k_tables, kt_entry)
		if (kt->kt_gen == ms.ms_gen)
			break;
	for (i = 0; kt != NULL && i < kt->kt_nkeys; i++)
		if (kt->kt_keys[i].kk_index == ms.ms_index)
			break;
	if (kt == NULL || i == kt->kt_nkeys) {
		/* The engine's handshake fails, and the spawner says so. */
		log_warnx("no key for entry %u of generation %u",
		    ms.ms_index, ms.ms_gen);
		close(im->fd);
		im->fd = -1;
		return;
	}
	if (keys.k_nchans >= SPAWNER_MAXCHILD) {
		log_warnx("more than %d key channels open; one refused",
		    SPAWNER_MAXCHILD);
		close(im->fd);
		im->fd = -1;
		return;
	}
	if ((kc = calloc(1, sizeof(*kc))) == NULL)
		fatal("calloc");
	kc->kc_fd = im->fd;
	im->fd = -1;
	kc->kc_table = kt;
	kc->kc_pk = kt->kt_keys[i].kk_pk;
	kt->kt_refs++;
	keys.k_nchans++;
	event_set(&kc->kc_ev, kc->kc_fd, EV_READ, keys_chan_read, kc);
	if (event_add(&kc->kc_ev, NULL) == -1)
		fatal("event_add");
}

static void
keys_dispatch_spawner(struct chan *c, struct imsg *im)
{
	switch (im->hdr.type) {
	case IMSG_KEYCHAN:
		keys_take_chan(c, im);
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

/*
 * Everything this process will do, once it holds the spawner's channel:
 * its event loop on channels it is handed, signatures, and log lines.
 */
static void
keys_confine(void)
{
	static const int	 loop[] = {
		SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(sendto),
		SCMP_SYS(epoll_wait), SCMP_SYS(epoll_ctl)
	};

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		fatal("prctl");
	if (unveil_deny_all() == -1)
		fatal("landlock");
	if (tls_filter(loop, nitems(loop)) == -1)
		fatalx("keys: system call filter");
}

static void
keys_dispatch_parent(struct chan *c, struct imsg *im)
{
	struct msg_init	 mi;

	if (!keys.k_init && im->hdr.type != IMSG_INIT) {
		proc_protocol_error(c, im, "expected init");
		return;
	}
	if (keys.k_init && !keys.k_havespawner && im->hdr.type != IMSG_PEER) {
		proc_protocol_error(c, im, "expected peer");
		return;
	}
	switch (im->hdr.type) {
	case IMSG_INIT:
		if (proc_take_init(c, im, keys.k_init, &mi) == -1)
			return;
		proc_drop(&mi, "keys process");
		keys.k_init = 1;
		break;
	case IMSG_PEER:
		proc_take_peer(c, im, &keys.k_spawner, &keys.k_havespawner,
		    "spawner", keys_dispatch_spawner);
		keys_confine();
		break;
	case IMSG_TLSKEY:
		keys_take_key(c, im);
		break;
	case IMSG_CONF_END:
		keys_conf_end(c, im);
		break;
	default:
		proc_protocol_error(c, im, "unexpected message");
		break;
	}
}

__dead void
keys_main(void)
{
	log_init(1, 0);
	setproctitle("keys");
	log_setname("keys");
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1)
		fatalx("OpenSSL");
	event_init();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	TAILQ_INIT(&keys.k_tables);
	chan_init(&keys.k_parent, INETD_CHANFD, "parent",
	    keys_dispatch_parent, NULL);
	keys.k_parent.ch_closed = proc_chan_closed;
	log_setchan(&keys.k_parent);
	proc_event_chan(&keys.k_parent);
	event_dispatch();
	fatalx("event loop ended");
}
