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
 * The channel's reader, common/imsg.c chan_read(), as a hostile peer
 * drives it: the input is a series of datagrams, each
 *
 *	flags (1 byte), length (2 bytes, little-endian), bytes
 *
 * sent on a SOCK_SEQPACKET pair like the one proc.c makes, with 0, 1 or
 * 2 descriptors (flags & 3; 3 sends one descriptor in each of two
 * control messages), and chan_read() called after each.
 *
 * Invariants:
 *  - a message taken is exactly the datagram sent: hdr.len is its
 *    length, data and datalen the rest, the type is known, and it has
 *    a descriptor exactly when one was sent and its type may carry one;
 *    that descriptor is open and close-on-exec;
 *  - it re-encodes: chan_compose() and chan_flush() of its type, payload
 *    and descriptor put the same bytes on the wire (the header's pid is
 *    the sender's own, peerid 0, as compose writes them), with one
 *    descriptor when it had one;
 *  - a refused datagram ends the channel for good (-1 ever after), and
 *    no descriptor outlives the input: those of a refused message are
 *    closed by chan_read().
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static u_char	 fch_got[IMSG_MAXSIZE + 64];

/* Send buf with nfd descriptors, in one or two control messages. */
static int
fch_send(int s, const u_char *buf, size_t len, int how)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[2 * CMSG_SPACE(2 * sizeof(int))];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	int		 fds[2], n = 0, i;

	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	for (i = 0; i < 2; i++)
		if ((fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
			err(1, "/dev/null");
	if (how != 0) {
		msg.msg_control = cmsgbuf.buf;
		cm = (struct cmsghdr *)cmsgbuf.buf;
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		n = how == 2 ? 2 : 1;
		cm->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
		msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
		if (how == 3) {
			cm = (struct cmsghdr *)(cmsgbuf.buf +
			    CMSG_SPACE(sizeof(int)));
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &fds[1], sizeof(int));
			msg.msg_controllen += CMSG_SPACE(sizeof(int));
		}
	}
	n = sendmsg(s, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fds[0]);
	close(fds[1]);
	return n;
}

/* Compose and flush im on a fresh pair; the bytes must be the sent ones. */
static void
fch_reencode(const struct imsg *im, const u_char *sent, size_t len)
{
	struct chan	 c;
	struct imsg_hdr	 hdr;
	struct msghdr	 msg;
	struct iovec	 iov;
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(2 * sizeof(int))];
	} cmsgbuf;
	struct cmsghdr	*cm;
	u_char		 want[IMSG_MAXSIZE];
	ssize_t		 n;
	int		 sv[2], fd = -1, gotfd = 0;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	if (im->fd != -1 && (fd = fcntl(im->fd, F_DUPFD_CLOEXEC, 0)) == -1)
		err(1, "dup");
	chan_init(&c, sv[0], "fuzz", NULL, NULL);
	if (chan_compose(&c, im->hdr.type, fd, im->data, im->datalen) == -1 ||
	    chan_flush(&c) != 1) {
		fprintf(stderr, "a message taken cannot be sent again\n");
		abort();
	}
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = fch_got;
	iov.iov_len = sizeof(fch_got);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	if ((n = recvmsg(sv[1], &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) == -1)
		err(1, "recvmsg");
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_type == SCM_RIGHTS) {
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
			close(fd);
			gotfd++;
		}
	memcpy(want, sent, len);
	memcpy(&hdr, want, sizeof(hdr));
	hdr.peerid = 0;
	hdr.pid = getpid();
	memcpy(want, &hdr, sizeof(hdr));
	if ((size_t)n != len || memcmp(fch_got, want, len) != 0 ||
	    gotfd != (im->fd != -1)) {
		fprintf(stderr, "re-encoded differently: %zd bytes for %zu, "
		    "%d descriptors for %d\n", n, len, gotfd, im->fd != -1);
		abort();
	}
	chan_clear(&c);
	close(sv[0]);
	close(sv[1]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u_char	 buf[IMSG_MAXSIZE + 1024];
	struct chan	 c;
	struct imsg	 im;
	size_t		 len;
	int		 sv[2], before, how, r, want, dead = 0;

	before = fuzz_nfds();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	chan_init(&c, sv[0], "fuzz", NULL, NULL);
	while (size >= 3) {
		how = data[0] & 3;
		len = data[1] | data[2] << 8;
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		if (len > sizeof(buf))
			len = sizeof(buf);
		memcpy(buf, data, len);
		data += len;
		size -= len;
		if (fch_send(sv[1], buf, len, how) == -1)
			continue;	/* too large for the socket */
		r = chan_read(&c, &im);
		if (dead && r != -1) {
			fprintf(stderr, "a dead channel read again\n");
			abort();
		}
		if (r == 0) {
			fprintf(stderr, "a datagram sent was not seen\n");
			abort();
		}
		if (r == -1) {
			if (c.ch_err == NULL) {
				fprintf(stderr, "ended without a reason\n");
				abort();
			}
			dead = 1;
			continue;
		}
		want = imsg_type_takes_fd(im.hdr.type);
		if (im.hdr.len != len || len < sizeof(struct imsg_hdr) ||
		    im.datalen != len - sizeof(struct imsg_hdr) ||
		    im.data != c.ch_rbuf + sizeof(struct imsg_hdr) ||
		    memcmp(c.ch_rbuf, buf, len) != 0 || want == -1 ||
		    (im.fd != -1) != (how == 1) ||
		    (want == IMSG_FD_NEVER && im.fd != -1) ||
		    (want == IMSG_FD_MUST && im.fd == -1) ||
		    (im.fd != -1 && !(fcntl(im.fd, F_GETFD) & FD_CLOEXEC))) {
			fprintf(stderr, "took a message it should not have, "
			    "or took it wrong (type %u, %zu bytes, how %d)\n",
			    im.hdr.type, len, how);
			abort();
		}
		fch_reencode(&im, buf, len);
		if (im.fd != -1)
			close(im.fd);
	}
	close(sv[0]);
	close(sv[1]);
	if (fuzz_nfds() != before) {
		fprintf(stderr, "descriptors leaked: %d open, %d before\n",
		    fuzz_nfds(), before);
		abort();
	}
	return 0;
}
