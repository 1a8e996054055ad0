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
 * The parent's dispatch of what its children send (parent/parent.c
 * parent_dispatch), as a compromised listener, spawner or keys process
 * would send it.  parent.c is included, its main() renamed, so that the
 * harness reaches its static state and dispatcher; the rest of inetd is
 * linked as it is.  The children's channels are socket pairs whose far
 * ends the harness drains.  The input is
 *
 *	state (1 byte: spawner ack awaited, keys ack awaited, generation),
 *	then messages: sender (1 byte), type (1), length (2), payload
 *
 * each handed to parent_dispatch() as chan_read() would hand it: a
 * known type, a descriptor exactly when the type must carry one (or may,
 * by the sender byte's bit 7).  A sender whose channel has ended sends
 * nothing more, as the event loop stops reading it.
 *
 * Invariants:
 *  - a protocol error ends that channel, for good, and closes a
 *    descriptor the message carried; no message is fatal to the parent
 *    (fatal() or exit() ends the run and is reported);
 *  - a type the parent does not take from children ends the channel;
 *    a config ack of the wrong size ends it; a log line ends it exactly
 *    when log_unpack() refuses it;
 *  - the spawner's awaited ack is taken only from the spawner, with the
 *    generation in force, and never while the keys ack is awaited; the
 *    keys ack only from the keys process while awaited;
 *  - no descriptor outlives the input.
 * Control answers reach control_child() with no request pending (the
 * control socket is not set up): only its first check is exercised.
 */

int	inetd_parent_main(int, char **);
#define main inetd_parent_main
#include "../../parent/parent.c"
#include "fuzz.h"
#undef main

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 fpa_far[ROLE_MAX] = { -1, -1, -1, -1, -1, -1, -1 };

static void
fpa_fail(const char *what, uint32_t type, int role)
{
	fprintf(stderr, "parent: %s (type %u from %s)\n", what, type,
	    proc_rolename(role));
	abort();
}

static void
fpa_setup(void)
{
	int	 r, sv[2];

	log_init(1, 0);
	event_init();
	parent.p_conf = conf_new();
	for (r = ROLE_LISTENER; r <= ROLE_KEYS; r++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		    sv) == -1)
			err(1, "socketpair");
		fcntl(sv[1], F_SETFL, O_NONBLOCK);
		parent.p_child[r].pc_role = r;
		parent.p_child[r].pc_pid = 1000 + r;
		chan_init(&parent.p_child[r].pc_chan, sv[0],
		    proc_rolename(r), parent_dispatch, &parent.p_child[r]);
		fpa_far[r] = sv[1];
	}
}

/* Whatever the parent sent a child: read and dropped. */
static void
fpa_drain(void)
{
	u_char	 buf[IMSG_MAXSIZE + 64];
	int	 r;

	for (r = ROLE_LISTENER; r <= ROLE_KEYS; r++) {
		chan_flush(&parent.p_child[r].pc_chan);
		while (recv(fpa_far[r], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	static u_char		 payload[IMSG_MAXSIZE];
	struct parent_child	*pc;
	struct imsg		 im;
	struct msg_gen		 mg;
	char			 line[LOG_MAXLINE];
	int32_t			 pri;
	struct fuzz_msg		 fm;
	size_t			 len;
	uint32_t		 type;
	int			 r, before, want, acking, keysacking, dead;
	int			 logbad;

	if (!ready) {
		fpa_setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	before = fuzz_nfds();
	for (r = ROLE_LISTENER; r <= ROLE_KEYS; r++) {
		pc = &parent.p_child[r];
		chan_clear(&pc->pc_chan);
		pc->pc_chan.ch_dead = 0;
		pc->pc_chan.ch_err = NULL;
		pc->pc_loglines = 0;
	}
	parent.p_acking = data[0] & 1;
	parent.p_keysacking = (data[0] >> 1) & 1;
	parent.p_reloadagain = 0;
	parent.p_gen = data[0] >> 2;
	data++;
	size--;

	while (fuzz_next(&data, &size, &fm, payload, sizeof(payload))) {
		r = ROLE_LISTENER + (fm.fm_flags & 0x7f) % 3;
		type = fm.fm_type % IMSG_MAX;
		len = fm.fm_len;
		want = imsg_type_takes_fd(type);
		pc = &parent.p_child[r];
		if (want == -1 || pc->pc_chan.ch_dead)
			continue;
		memset(&im, 0, sizeof(im));
		im.hdr.type = type;
		im.hdr.len = sizeof(im.hdr) + len;
		im.hdr.pid = pc->pc_pid;
		im.data = payload;
		im.datalen = len;
		im.fd = -1;
		if (want == IMSG_FD_MUST || (want == IMSG_FD_MAY &&
		    (fm.fm_flags & 0x80)))
			if ((im.fd = open("/dev/null", O_RDONLY |
			    O_CLOEXEC)) == -1)
				err(1, "/dev/null");
		logbad = type == IMSG_LOG &&
		    log_unpack(&im, &pri, line, sizeof(line)) != 0;
		acking = parent.p_acking;
		keysacking = parent.p_keysacking;
		if (len == sizeof(mg))
			memcpy(&mg, payload, sizeof(mg));

		parent_dispatch(&pc->pc_chan, &im);
		dead = pc->pc_chan.ch_dead;

		if (im.fd != -1)
			fpa_fail("a descriptor left open by the dispatcher",
			    type, r);
		if (dead && pc->pc_chan.ch_err == NULL)
			fpa_fail("a channel ended without a reason", type, r);
		switch (type) {
		case IMSG_LOG:
			if (dead != logbad)
				fpa_fail(logbad ? "a bad log line taken" :
				    "a good log line refused", type, r);
			break;
		case IMSG_CONF_ACK:
			if (len != sizeof(mg) && !dead)
				fpa_fail("a config ack of a bad size taken",
				    type, r);
			if (acking && !parent.p_acking && (r != ROLE_SPAWNER ||
			    keysacking || mg.mg_gen != parent.p_gen))
				fpa_fail("the spawner's ack taken wrongly",
				    type, r);
			if (keysacking && !parent.p_keysacking &&
			    (r != ROLE_KEYS || mg.mg_gen != parent.p_gen))
				fpa_fail("the keys ack taken wrongly", type, r);
			break;
		case IMSG_CTL_SERVICE:
		case IMSG_CTL_CONN:
		case IMSG_CTL_END:
			if (!dead)
				fpa_fail("a control answer nobody asked for "
				    "taken", type, r);
			break;
		default:
			if (!dead)
				fpa_fail("a message parents do not take from "
				    "children taken", type, r);
		}
		fpa_drain();
	}
	for (r = ROLE_LISTENER; r <= ROLE_KEYS; r++)
		chan_clear(&parent.p_child[r].pc_chan);
	fpa_drain();
	if (fuzz_nfds() != before)
		fpa_fail("a descriptor leaked", 0, ROLE_PARENT);
	return 0;
}
