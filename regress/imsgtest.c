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
 * Unit tests of the channel framing (common/imsg.c): every way a peer
 * can break the protocol ends the channel, and descriptors are never
 * leaked or passed where none is expected.
 *
 * With arguments it plays a hostile peer for t-dispatch.sh:
 *	imsgtest inject pid fd what	send one message on a channel of a
 *					running role (what: log, logpri,
 *					logforge, logflood, reload,
 *					ctlreload, ctlanswer)
 *	imsgtest parent inetd role how uid gid
 *					start a role as its parent would,
 *					end the table as "how" says, print
 *					what comes back and how it exits
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "inetd.h"

static int	 failed;

static void
result(const char *name, int ok, const char *why)
{
	if (ok)
		printf("SUCCESS imsg:%s\n", name);
	else {
		printf("FAIL imsg:%s (%s)\n", name, why ? why : "");
		failed++;
	}
}

static int
nfds(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

static void
pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		perror("socketpair");
		exit(1);
	}
}

/* Send raw bytes with n descriptors, as a broken peer would. */
static void
raw_send(int s, const void *buf, size_t len, int nfd)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * 32)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	int		 fds[32], i;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfd > 0) {
		for (i = 0; i < nfd; i++)
			fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfd);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfd);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfd);
	}
	if (sendmsg(s, &msg, 0) == -1) {
		perror("sendmsg");
		exit(1);
	}
	for (i = 0; i < nfd; i++)
		close(fds[i]);
}

static void
raw_hdr(int s, uint32_t type, uint32_t len, size_t actual, int nfd)
{
	u_char		 buf[IMSG_MAXSIZE + 64];
	struct imsg_hdr	 hdr;

	memset(buf, 'x', sizeof(buf));
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = len;
	memcpy(buf, &hdr, sizeof(hdr) < actual ? sizeof(hdr) : actual);
	raw_send(s, buf, actual, nfd);
}

/* One broken message: the channel must end, with no descriptor left. */
static void
expect_error(const char *name, uint32_t type, uint32_t len, size_t actual,
    int nfd, const char *reason)
{
	struct chan	 c;
	struct imsg	 im;
	int		 sv[2], before, r;
	char		 why[256];

	pair(sv);
	before = nfds();
	raw_hdr(sv[1], type, len, actual, nfd);
	chan_init(&c, sv[0], "test", NULL, NULL);
	r = chan_read(&c, &im);
	snprintf(why, sizeof(why), "read %d, %s, %d descriptors left", r,
	    c.ch_err ? c.ch_err : "no reason", nfds() - before);
	result(name, r == -1 && c.ch_dead && c.ch_err != NULL &&
	    strcmp(c.ch_err, reason) == 0 && nfds() == before, why);
	if (c.ch_eof)
		result(name, 0, "a broken message taken for end of file");
	close(sv[0]);
	close(sv[1]);
}

/* A log line of a priority, as a child sends it. */
static size_t
log_payload(u_char *buf, size_t len, int32_t pri, const char *line)
{
	size_t	 n = strlen(line) + 1;

	if (sizeof(pri) + n > len)
		exit(2);
	memcpy(buf, &pri, sizeof(pri));
	memcpy(buf + sizeof(pri), line, n);
	return sizeof(pri) + n;
}

/* Take a copy of another process's channel and speak on it. */
static int
inject(const char *spid, const char *sfd, const char *what)
{
	struct chan	 c;
	u_char		 buf[256];
	size_t		 len = 0;
	uint32_t	 type;
	int		 pidfd, fd, i;

	if ((pidfd = syscall(SYS_pidfd_open, atoi(spid), 0)) == -1 ||
	    (fd = syscall(SYS_pidfd_getfd, pidfd, atoi(sfd), 0)) == -1) {
		perror("pidfd");
		return 2;
	}
	if (strcmp(what, "log") == 0) {
		type = IMSG_LOG;
		len = log_payload(buf, sizeof(buf), LOG_INFO,
		    "dispatch-probe");
	} else if (strcmp(what, "logpri") == 0) {
		type = IMSG_LOG;
		len = log_payload(buf, sizeof(buf), 99, "dispatch-hostile");
	} else if (strcmp(what, "logforge") == 0) {
		/* A forged second line and a bell, at the top priority. */
		type = IMSG_LOG;
		len = log_payload(buf, sizeof(buf), LOG_EMERG, "l2-probe\n"
		    "sshd[1]: Accepted password for root\a\b\r\033[2J");
	} else if (strcmp(what, "logflood") == 0) {
		/* 20000 lines as fast as the channel takes them. */
		chan_init(&c, fd, "target", NULL, NULL);
		len = log_payload(buf, sizeof(buf), LOG_ERR, "l2-flood");
		for (i = 0; i < 20000; i++)
			if (chan_send_sync(&c, IMSG_LOG, -1, buf, len) == -1) {
				perror("send");
				return 1;
			}
		return 0;
	} else if (strcmp(what, "reload") == 0)
		type = IMSG_RELOAD;
	else if (strcmp(what, "ctlreload") == 0) {
		/* inetdctl's request, from a child instead. */
		struct msg_ctl	 mct;

		memset(&mct, 0, sizeof(mct));
		mct.mct_version = CTL_VERSION;
		mct.mct_cmd = CTL_RELOAD;
		type = IMSG_CTL;
		chan_init(&c, fd, "target", NULL, NULL);
		if (chan_send_sync(&c, type, -1, &mct, sizeof(mct)) == -1) {
			perror("send");
			return 1;
		}
		return 0;
	} else if (strcmp(what, "ctlanswer") == 0) {
		/* An answer no one asked for. */
		struct ctl_end	 ce;

		memset(&ce, 0, sizeof(ce));
		chan_init(&c, fd, "target", NULL, NULL);
		if (chan_send_sync(&c, IMSG_CTL_END, -1, &ce,
		    sizeof(ce)) == -1) {
			perror("send");
			return 1;
		}
		return 0;
	} else
		return 2;
	chan_init(&c, fd, "target", NULL, NULL);
	if (chan_send_sync(&c, type, -1, buf, len) == -1) {
		perror("send");
		return 1;
	}
	return 0;
}

static void
confend(struct chan *c, uint32_t gen, uint32_t count, uint32_t nindex)
{
	struct msg_confend	 mce;

	memset(&mce, 0, sizeof(mce));
	mce.mce_gen = gen;
	mce.mce_count = count;
	mce.mce_nindex = nindex;
	chan_compose(c, IMSG_CONF_END, -1, &mce, sizeof(mce));
}

/*
 * Be a role's parent with an empty table.  how: "ok" ends it as the
 * parent does; "count" announces an entry that never came; "hole" sends
 * fewer entries than there are indices (right for the listener, which
 * gets no entry for a socket not bound); "gen" repeats the generation.
 * Prints "ack N" for each generation taken, then "exit N".
 */
static int
fake_parent(char *argv[])
{
	struct chan	 c;
	struct imsg	 im;
	struct msg_init	 mi;
	struct msg_gen	 mg;
	struct rlimit	 rl;
	struct pollfd	 pfd;
	int		 sv[2], peer[2], status, r;
	const char	*how = argv[3];
	pid_t		 pid;

	pair(sv);
	pair(peer);
	switch (pid = fork()) {
	case -1:
		perror("fork");
		return 2;
	case 0:
		if (dup2(sv[1], INETD_CHANFD) == -1)
			_exit(2);
		execl(argv[1], "inetd", "-P", argv[2], (char *)NULL);
		_exit(2);
	}
	close(sv[1]);
	chan_init(&c, sv[0], argv[2], NULL, NULL);
	memset(&mi, 0, sizeof(mi));
	mi.mi_uid = atoi(argv[4]);
	mi.mi_gid = atoi(argv[5]);
	mi.mi_verbose = 1;
	getrlimit(RLIMIT_NOFILE, &rl);
	mi.mi_nofile_cur = rl.rlim_cur;
	mi.mi_nofile_max = rl.rlim_max;
	mi.mi_maxchild = SPAWNER_MAXCHILD;
	chan_compose(&c, IMSG_INIT, -1, &mi, sizeof(mi));
	chan_compose(&c, IMSG_PEER, peer[1], NULL, 0);
	if (strcmp(how, "count") == 0)
		confend(&c, 1, 1, 1);
	else if (strcmp(how, "hole") == 0)
		confend(&c, 1, 0, 1);
	else {
		confend(&c, 1, 0, 0);
		if (strcmp(how, "gen") == 0)
			confend(&c, 1, 0, 0);
	}
	if (chan_flush(&c) != 1)
		return 2;

	/*
	 * Until the role ends the channel.  Once it has taken all it
	 * should, it is told to end: it must then exit 0.
	 */
	pfd.fd = sv[0];
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 10000) == 1) {
		if ((r = chan_read(&c, &im)) == -1)
			break;
		if (r == 0)
			continue;
		if (im.hdr.type == IMSG_LOG && im.datalen > sizeof(int32_t)) {
			printf("log %.*s\n", (int)(im.datalen -
			    sizeof(int32_t) - 1), im.data + sizeof(int32_t));
			continue;
		}
		if (im.hdr.type != IMSG_CONF_ACK || im.datalen != sizeof(mg))
			continue;
		memcpy(&mg, im.data, sizeof(mg));
		printf("ack %u\n", mg.mg_gen);
		if (strcmp(how, "gen") != 0)
			shutdown(sv[0], SHUT_WR);
	}
	fflush(stdout);
	close(sv[0]);
	close(peer[0]);
	if (waitpid(pid, &status, 0) == -1)
		return 2;
	printf("exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status));
	return 0;
}

int
main(int argc, char *argv[])
{
	struct chan	 a, b;
	struct imsg	 im;
	struct ibuf	 ib;
	struct ireader	 ir;
	char		 s1[8], s2[64];
	int		 sv[2], fd, before, r, flags, i;
	uint32_t	 v = 0xdeadbeef, w;
	size_t		 hl = sizeof(struct imsg_hdr);

	log_init(1, 0);
	if (argc == 5 && strcmp(argv[1], "inject") == 0)
		return inject(argv[2], argv[3], argv[4]);
	if (argc == 7 && strcmp(argv[1], "parent") == 0)
		return fake_parent(argv + 1);
	if (argc != 1) {
		fprintf(stderr, "usage: imsgtest [inject pid fd what | "
		    "parent inetd role how uid gid]\n");
		return 2;
	}

	/* A good message with a payload and a descriptor. */
	pair(sv);
	chan_init(&a, sv[0], "a", NULL, NULL);
	chan_init(&b, sv[1], "b", NULL, NULL);
	before = nfds();
	fd = open("/dev/null", O_RDONLY);	/* no close-on-exec here */
	r = chan_compose(&a, IMSG_SPAWN, fd, &v, sizeof(v));
	result("compose", r == 0 && a.ch_queued == 1, NULL);
	r = chan_flush(&a);
	result("sender-closes-fd", r == 1 && fcntl(fd, F_GETFD) == -1 &&
	    errno == EBADF, "descriptor still open after the send");
	r = chan_read(&b, &im);
	result("read", r == 1 && im.hdr.type == IMSG_SPAWN &&
	    im.datalen == sizeof(v) && memcmp(im.data, &v, sizeof(v)) == 0,
	    NULL);
	flags = fcntl(im.fd, F_GETFD);
	result("received-cloexec", im.fd != -1 && flags != -1 &&
	    (flags & FD_CLOEXEC), "received descriptor not close-on-exec");
	close(im.fd);
	result("no-leak", nfds() == before, "descriptor count changed");
	r = chan_read(&b, &im);
	result("nothing-waiting", r == 0 && !b.ch_dead, NULL);

	/* Queued descriptors are closed when a channel is cleared. */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	chan_compose(&a, IMSG_SPAWN, fd, &v, sizeof(v));
	chan_clear(&a);
	result("clear-closes-fd", fcntl(fd, F_GETFD) == -1 && a.ch_queued == 0,
	    "queued descriptor still open");

	/* Oversized payloads are refused by the sender. */
	{
		static u_char big[IMSG_MAXSIZE];

		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		r = chan_compose(&a, IMSG_LOG, fd, big, sizeof(big));
		result("compose-oversized", r == -1 && errno == EMSGSIZE &&
		    fcntl(fd, F_GETFD) == -1, NULL);
	}

	/* End of file. */
	close(sv[0]);
	r = chan_read(&b, &im);
	result("eof", r == -1 && b.ch_err && strcmp(b.ch_err, "eof") == 0,
	    b.ch_err);
	result("eof-flag", b.ch_eof, "end of file without ch_eof");
	close(sv[1]);

	expect_error("short", IMSG_LOG, hl, hl - 4, 0, "short message");
	expect_error("oversized", IMSG_LOG, IMSG_MAXSIZE + 32,
	    IMSG_MAXSIZE + 32, 0, "oversized message");
	expect_error("oversized-with-fd", IMSG_SPAWN, IMSG_MAXSIZE + 32,
	    IMSG_MAXSIZE + 32, 1, "oversized message");
	expect_error("length-mismatch", IMSG_LOG, hl + 10, hl + 4, 0,
	    "length does not match the header");
	expect_error("unknown-type", IMSG_MAX + 7, hl, hl, 0,
	    "unknown message type");
	expect_error("type-none", IMSG_NONE, hl, hl, 0,
	    "unknown message type");
	expect_error("unexpected-fd", IMSG_LOG, hl + 8, hl + 8, 1,
	    "descriptor where none is expected");
	expect_error("missing-fd", IMSG_SPAWN, hl + 8, hl + 8, 0,
	    "descriptor missing");
	expect_error("two-fds", IMSG_SPAWN, hl + 8, hl + 8, 2,
	    "more than one descriptor");
	expect_error("truncated-control", IMSG_SPAWN, hl + 8, hl + 8, 20,
	    "truncated control message");

	/* After an error the channel stays dead. */
	pair(sv);
	chan_init(&b, sv[1], "b", NULL, NULL);
	raw_hdr(sv[0], IMSG_MAX + 1, hl, hl, 0);
	raw_hdr(sv[0], IMSG_LOG, hl + 1, hl + 1, 0);
	chan_read(&b, &im);
	result("stays-dead", chan_read(&b, &im) == -1, NULL);
	close(sv[0]);
	close(sv[1]);

	/* Strings: length-prefixed, bounded, no NUL inside. */
	ibuf_init(&ib);
	ibuf_add_str(&ib, "hello");
	ibuf_add_str(&ib, "a longer string");
	w = 42;
	ibuf_add(&ib, &w, sizeof(w));
	im.data = ib.ib_buf;
	im.datalen = ib.ib_len;
	ireader_init(&ir, &im);
	r = ireader_get_str(&ir, s1, sizeof(s1)) == 0 &&
	    strcmp(s1, "hello") == 0 &&
	    ireader_get_str(&ir, s1, sizeof(s1)) == -1;
	result("string-too-long", r, NULL);
	ireader_init(&ir, &im);
	r = ireader_get_str(&ir, s2, sizeof(s2)) == 0 &&
	    ireader_get_str(&ir, s2, sizeof(s2)) == 0 &&
	    strcmp(s2, "a longer string") == 0 &&
	    ireader_get(&ir, &w, sizeof(w)) == 0 && w == 42 &&
	    ireader_done(&ir) && ireader_get(&ir, &w, 1) == -1;
	result("strings", r, NULL);
	ib.ib_buf[2] = '\0';	/* a NUL inside "hello" */
	ireader_init(&ir, &im);
	result("string-nul", ireader_get_str(&ir, s2, sizeof(s2)) == -1,
	    NULL);
	ibuf_free(&ib);
	ibuf_init(&ib);
	for (i = 0; i < 2000; i++)
		ibuf_add_str(&ib, "0123456789");
	result("ibuf-bounded", ib.ib_error == 1, NULL);
	ibuf_free(&ib);

	return 0;
}
