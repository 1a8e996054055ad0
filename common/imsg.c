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
 * Message framing for every channel.  Channels are SOCK_SEQPACKET socket
 * pairs: one record is one message, so a short or oversized message is
 * seen as such by the kernel and never has to be guessed at.  A message
 * is a struct imsg_hdr and a payload, with at most one descriptor passed
 * as SCM_RIGHTS.  Reading is strict: anything unexpected ends the channel.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

#define CHAN_MAXFDS	8	/* room to see, and refuse, extra ones */
/* Messages queued for a peer: a whole table of services, and some. */
#define CHAN_MAXQUEUE	(CONF_MAXSERVICES + 1024)

static const struct {
	const char	*name;
	enum imsg_fd	 fd;
} imsg_types[IMSG_MAX] = {
	[IMSG_NONE] =		{ "none",		IMSG_FD_NEVER },
	[IMSG_INIT] =		{ "init",		IMSG_FD_NEVER },
	[IMSG_PEER] =		{ "peer",		IMSG_FD_MUST },
	[IMSG_SERVICE] =	{ "service",		IMSG_FD_MAY },
	[IMSG_CONF_END] =	{ "config end",		IMSG_FD_NEVER },
	[IMSG_SPAWN] =		{ "spawn",		IMSG_FD_MUST },
	[IMSG_CHILD_START] =	{ "child started",	IMSG_FD_NEVER },
	[IMSG_CHILD_EXIT] =	{ "child exited",	IMSG_FD_NEVER },
	[IMSG_LOG] =		{ "log",		IMSG_FD_NEVER },
	[IMSG_RELOAD] =		{ "reload",		IMSG_FD_NEVER },
	[IMSG_CONF_ACK] =	{ "config taken",	IMSG_FD_NEVER },
	[IMSG_GEN] =		{ "generation",		IMSG_FD_NEVER },
	[IMSG_ACL] =		{ "access list",	IMSG_FD_NEVER },
	[IMSG_KEYSPEER] =	{ "keys peer",		IMSG_FD_MUST },
	[IMSG_TLSKEY] =		{ "tls key",		IMSG_FD_NEVER },
	[IMSG_KEYCHAN] =	{ "key channel",	IMSG_FD_MUST },
	[IMSG_TLSCTX] =		{ "tls context",	IMSG_FD_MUST },
	[IMSG_TLSCONN] =	{ "tls connection",	IMSG_FD_MUST },
	[IMSG_TLSEXIT] =	{ "tls engine exit",	IMSG_FD_NEVER },
	[IMSG_CTL] =		{ "control request",	IMSG_FD_NEVER },
	[IMSG_CTL_SERVICE] =	{ "control service",	IMSG_FD_NEVER },
	[IMSG_CTL_CONN] =	{ "control connection",	IMSG_FD_NEVER },
	[IMSG_CTL_END] =	{ "control end",	IMSG_FD_NEVER },
	[IMSG_TLSEXE] =		{ "tls program",	IMSG_FD_MUST },
};

/* An enum imsg_fd, or -1 for a type that does not exist. */
int
imsg_type_takes_fd(uint32_t type)
{
	if (type == IMSG_NONE || type >= IMSG_MAX)
		return -1;
	return imsg_types[type].fd;
}

const char *
imsg_type_name(uint32_t type)
{
	if (type == IMSG_NONE || type >= IMSG_MAX)
		return "unknown";
	return imsg_types[type].name;
}

/* Aligned, so that the trim gives back all of it but a last byte. */
static u_char	 chan_rbuf[CHAN_RBUFSIZE] __attribute__((aligned(4096)));

void
chan_init(struct chan *c, int fd, const char *peer, chan_dispatch_fn fn,
    void *arg)
{
	memset(c, 0, sizeof(*c));
	c->ch_rbuf = chan_rbuf;
	/* Once, not a getpid(2) a message; no receiver reads it. */
	c->ch_pid = getpid();
	c->ch_fd = fd;
	c->ch_peer = peer;
	c->ch_dispatch = fn;
	c->ch_arg = arg;
	TAILQ_INIT(&c->ch_out);
}

static void
close_fds(struct cmsghdr *cm, size_t n)
{
	int	 fd;
	size_t	 i;

	for (i = 0; i < n; i++) {
		memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
		close(fd);
	}
}

/*
 * Read one message.  Returns 1 and fills im, 0 if nothing is waiting,
 * -1 if the channel has ended: c->ch_err says why, and c->ch_eof is set
 * when the peer closed it.  Descriptors of a refused message are closed
 * here.  Long, but one straight line of checks, each ending in "bad".
 */
int
chan_read(struct chan *c, struct imsg *im)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * CHAN_MAXFDS)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	ssize_t		 n;
	int		 fd = -1, nfds = 0, want;
	size_t		 k;

	if (c->ch_dead)
		return -1;
	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = c->ch_rbuf;
	iov.iov_len = CHAN_RBUFSIZE;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = &cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);

	do {
		n = recvmsg(c->ch_fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		c->ch_err = "read error";
		goto dead;
	}

	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
	    cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS) {
			c->ch_err = "unexpected control message";
			nfds = -1;
			continue;
		}
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (nfds == 0 && k == 1) {
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
			nfds = 1;
		} else {
			close_fds(cm, k);
			nfds = -1;
			c->ch_err = "more than one descriptor";
		}
	}
	if (msg.msg_flags & MSG_CTRUNC) {
		c->ch_err = "truncated control message";
		goto bad;
	}
	if (nfds == -1)
		goto bad;
	if (n == 0) {
		c->ch_err = "eof";
		c->ch_eof = 1;
		goto bad;
	}
	if (msg.msg_flags & MSG_TRUNC || (size_t)n > IMSG_MAXSIZE) {
		c->ch_err = "oversized message";
		goto bad;
	}
	if ((size_t)n < sizeof(struct imsg_hdr)) {
		c->ch_err = "short message";
		goto bad;
	}
	memcpy(&im->hdr, c->ch_rbuf, sizeof(im->hdr));
	if (im->hdr.len != (size_t)n) {
		c->ch_err = "length does not match the header";
		goto bad;
	}
	if ((want = imsg_type_takes_fd(im->hdr.type)) == -1) {
		c->ch_err = "unknown message type";
		goto bad;
	}
	if (want == IMSG_FD_NEVER && fd != -1) {
		c->ch_err = "descriptor where none is expected";
		goto bad;
	}
	if (want == IMSG_FD_MUST && fd == -1) {
		c->ch_err = "descriptor missing";
		goto bad;
	}
	im->fd = fd;
	im->data = c->ch_rbuf + sizeof(struct imsg_hdr);
	im->datalen = n - sizeof(struct imsg_hdr);
	return 1;

 bad:
	if (fd != -1)
		close(fd);
 dead:
	c->ch_dead = 1;
	return -1;
}

/*
 * Queue a message; the descriptor, if any, is closed once it is sent.
 * A full queue ends the channel (ENOBUFS).
 */
int
chan_compose(struct chan *c, uint32_t type, int fd, const void *data,
    size_t len)
{
	struct chanmsg	*cm;
	struct imsg_hdr	 hdr;

	if (len > IMSG_MAXSIZE - sizeof(hdr)) {
		errno = EMSGSIZE;
		goto fail;
	}
	if (c->ch_dead) {
		errno = EPIPE;
		goto fail;
	}
	/* A peer that does not read must not grow our memory without end. */
	if (c->ch_queued >= CHAN_MAXQUEUE) {
		c->ch_err = "peer does not read, queue full";
		c->ch_dead = 1;
		errno = ENOBUFS;
		goto fail;
	}
	if ((cm = malloc(sizeof(*cm) + sizeof(hdr) + len)) == NULL)
		goto fail;
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = sizeof(hdr) + len;
	hdr.pid = c->ch_pid;
	memcpy(cm->cm_buf, &hdr, sizeof(hdr));
	if (len)
		memcpy(cm->cm_buf + sizeof(hdr), data, len);
	cm->cm_len = sizeof(hdr) + len;
	cm->cm_fd = fd;
	TAILQ_INSERT_TAIL(&c->ch_out, cm, cm_entry);
	c->ch_queued++;
	if (fd != -1)
		c->ch_queuedfds++;
	return 0;

 fail:
	if (fd != -1)
		close(fd);
	return -1;
}

static ssize_t
chan_sendmsg(int sock, const void *buf, size_t len, int fd, int flags)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	ssize_t		 n;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd != -1) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = &cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &msg, flags | MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	return n;
}

/*
 * Send what is queued without blocking.  Returns 1 if the queue is empty,
 * 0 if some is left for later, -1 if the channel has failed.
 */
int
chan_flush(struct chan *c)
{
	struct chanmsg	*cm;

	while ((cm = TAILQ_FIRST(&c->ch_out)) != NULL) {
		if (chan_sendmsg(c->ch_fd, cm->cm_buf, cm->cm_len, cm->cm_fd,
		    MSG_DONTWAIT) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS)
				return 0;
			c->ch_err = "write error";
			c->ch_dead = 1;
			return -1;
		}
		TAILQ_REMOVE(&c->ch_out, cm, cm_entry);
		c->ch_queued--;
		if (cm->cm_fd != -1) {
			c->ch_queuedfds--;
			close(cm->cm_fd);
		}
		free(cm);
	}
	return 1;
}

/*
 * Send one message now, waiting for room: for log lines and for the last
 * words before exit.  The caller keeps its descriptor.
 */
int
chan_send_sync(struct chan *c, uint32_t type, int fd, const void *data,
    size_t len)
{
	u_char		 buf[IMSG_MAXSIZE];
	struct imsg_hdr	 hdr;

	if (c->ch_dead || len > IMSG_MAXSIZE - sizeof(hdr)) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = sizeof(hdr) + len;
	hdr.pid = c->ch_pid;
	memcpy(buf, &hdr, sizeof(hdr));
	if (len)
		memcpy(buf + sizeof(hdr), data, len);
	if (chan_sendmsg(c->ch_fd, buf, hdr.len, fd, 0) == -1)
		return -1;
	return 0;
}

/*
 * Between two messages the read buffer holds nothing: its whole pages
 * go back to the kernel, which maps zeroed ones at the next large read.
 */
void
chan_trim(void)
{
	uintptr_t	 pg = getpagesize(), lo, hi;

	lo = ((uintptr_t)chan_rbuf + pg - 1) & ~(pg - 1);
	hi = ((uintptr_t)chan_rbuf + sizeof(chan_rbuf)) & ~(pg - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* Drop what is queued, closing the descriptors it held. */
void
chan_clear(struct chan *c)
{
	struct chanmsg	*cm;

	while ((cm = TAILQ_FIRST(&c->ch_out)) != NULL) {
		TAILQ_REMOVE(&c->ch_out, cm, cm_entry);
		if (cm->cm_fd != -1)
			close(cm->cm_fd);
		free(cm);
	}
	c->ch_queued = 0;
	c->ch_queuedfds = 0;
}

void
ibuf_init(struct ibuf *b)
{
	memset(b, 0, sizeof(*b));
}

void
ibuf_add(struct ibuf *b, const void *data, size_t len)
{
	u_char	*p;
	size_t	 nsize;

	if (b->ib_error)
		return;
	if (b->ib_len + len > IMSG_MAXSIZE) {
		b->ib_error = 1;
		return;
	}
	if (b->ib_len + len > b->ib_size) {
		nsize = b->ib_size ? b->ib_size * 2 : 1024;
		while (nsize < b->ib_len + len)
			nsize *= 2;
		if ((p = realloc(b->ib_buf, nsize)) == NULL) {
			b->ib_error = 1;
			return;
		}
		b->ib_buf = p;
		b->ib_size = nsize;
	}
	memcpy(b->ib_buf + b->ib_len, data, len);
	b->ib_len += len;
}

/* A string travels as a 16-bit length and its bytes, without the NUL. */
void
ibuf_add_str(struct ibuf *b, const char *s)
{
	size_t		 len = strlen(s);
	uint16_t	 l;

	if (len > UINT16_MAX) {
		b->ib_error = 1;
		return;
	}
	l = len;
	ibuf_add(b, &l, sizeof(l));
	ibuf_add(b, s, len);
}

void
ibuf_free(struct ibuf *b)
{
	free(b->ib_buf);
	memset(b, 0, sizeof(*b));
}

void
ireader_init(struct ireader *r, const struct imsg *im)
{
	r->ir_p = im->data;
	r->ir_left = im->datalen;
}

int
ireader_get(struct ireader *r, void *dst, size_t len)
{
	if (r->ir_left < len)
		return -1;
	memcpy(dst, r->ir_p, len);
	r->ir_p += len;
	r->ir_left -= len;
	return 0;
}

/* A string that does not fit, or holds a NUL, is an error. */
int
ireader_get_str(struct ireader *r, char *dst, size_t dstlen)
{
	uint16_t	 l;

	if (ireader_get(r, &l, sizeof(l)) == -1)
		return -1;
	if (l >= dstlen || l > r->ir_left)
		return -1;
	if (memchr(r->ir_p, '\0', l) != NULL)
		return -1;
	memcpy(dst, r->ir_p, l);
	dst[l] = '\0';
	r->ir_p += l;
	r->ir_left -= l;
	return 0;
}

int
ireader_done(const struct ireader *r)
{
	return r->ir_left == 0;
}
