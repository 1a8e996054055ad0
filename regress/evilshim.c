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
 * evilshim.so: plays a compromised listener.  Preloaded into inetd
 * (LD_PRELOAD reaches every role, which are exec'd with the parent's
 * environment), it acts only in the process whose command line says it
 * is the listener, and only on what it sends to the spawner:
 *
 *	EVIL_FROM=i EVIL_TO=j	a spawn request for index i names j
 *	EVIL_REPEAT=n		every spawn request is sent n times
 *	EVIL_DROPGEN=g		generation g and later are never announced;
 *				spawn requests sent after that name
 *				EVIL_OLDGEN (default 1), index EVIL_OLDINDEX
 *	EVIL_PROXYLOCAL=1	a spawn request with PROXY addresses says
 *				"no client named" (mp_local) while it names one
 *	EVIL_FAKEFROM=a.b.c.d	every IPv4 datagram source the listener
 *				reads (recvfrom) is a.b.c.d: its access
 *				list sees a source it allows
 *
 * The wire layout is the header and the msg_spawn of common/inetd.h,
 * spelled out here so that the shim also runs against older builds.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EVIL_SPAWN	5	/* IMSG_SPAWN */
#define EVIL_GEN	11	/* IMSG_GEN */

struct evil_hdr {
	uint32_t	 type;
	uint32_t	 len;
	uint32_t	 peerid;
	int32_t		 pid;
};

struct evil_spawn {
	uint32_t	 index;
	uint32_t	 gen;
	/* then, in builds with per-source limits, a token the shim keeps */
};

static ssize_t	(*evil_real)(int, const struct msghdr *, int);
static int	 evil_listener;
static long	 evil_from = -1, evil_to = -1, evil_repeat = 1;
static long	 evil_dropgen = -1, evil_oldgen = 1, evil_oldindex = -1;
static int	 evil_dropped;
static ssize_t	(*evil_realrecvfrom)(int, void *, size_t, int,
		    struct sockaddr *, socklen_t *);
static struct in_addr evil_fakefrom;
static int	 evil_fake;
static long	 evil_proxylocal;
/* msg_spawn, then msg_proxy: two sockaddr_storage, srclen, dstlen, local */
#define EVIL_PROXYLEN	(12 + 2 * 128 + 4 * 4)	/* padded to 8 */
#define EVIL_LOCALOFF	(12 + 2 * 128 + 2 * 4)

static long
evil_env(const char *name, long dflt)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : dflt;
}

__attribute__((constructor)) static void
evil_init(void)
{
	char	 buf[256];
	ssize_t	 n;
	int	 fd;

	evil_real = (ssize_t (*)(int, const struct msghdr *, int))
	    dlsym(RTLD_NEXT, "sendmsg");
	/* "inetd\0-P\0listener\0": read before the listener's chroot. */
	if ((fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (memmem(buf, n, "-P\0listener", sizeof("-P\0listener")) == NULL)
		return;
	evil_listener = 1;
	evil_from = evil_env("EVIL_FROM", -1);
	evil_to = evil_env("EVIL_TO", -1);
	evil_repeat = evil_env("EVIL_REPEAT", 1);
	evil_dropgen = evil_env("EVIL_DROPGEN", -1);
	evil_oldgen = evil_env("EVIL_OLDGEN", 1);
	evil_oldindex = evil_env("EVIL_OLDINDEX", -1);
	evil_proxylocal = evil_env("EVIL_PROXYLOCAL", 0);
	if (getenv("EVIL_FAKEFROM") != NULL &&
	    inet_pton(AF_INET, getenv("EVIL_FAKEFROM"), &evil_fakefrom) == 1)
		evil_fake = 1;
	evil_realrecvfrom = (ssize_t (*)(int, void *, size_t, int,
	    struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "recvfrom");
}

ssize_t
recvfrom(int s, void *buf, size_t len, int fl, struct sockaddr *from,
    socklen_t *fromlen)
{
	ssize_t	 r;

	if (evil_realrecvfrom == NULL)
		evil_realrecvfrom = (ssize_t (*)(int, void *, size_t, int,
		    struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT,
		    "recvfrom");
	r = evil_realrecvfrom(s, buf, len, fl, from, fromlen);
	if (r >= 0 && evil_listener && evil_fake && from != NULL &&
	    from->sa_family == AF_INET)
		((struct sockaddr_in *)from)->sin_addr = evil_fakefrom;
	return r;
}

ssize_t
sendmsg(int s, const struct msghdr *m, int fl)
{
	struct evil_hdr		*h;
	struct evil_spawn	*sp;
	ssize_t			 r;
	long			 i;

	if (!evil_listener || m->msg_iovlen != 1 ||
	    m->msg_iov[0].iov_len < sizeof(*h) + sizeof(uint32_t))
		return evil_real(s, m, fl);
	h = m->msg_iov[0].iov_base;
	if (h->type == EVIL_GEN && evil_dropgen != -1 &&
	    *(uint32_t *)(h + 1) >= (uint32_t)evil_dropgen) {
		evil_dropped = 1;
		return m->msg_iov[0].iov_len;
	}
	if (h->type == EVIL_SPAWN && evil_proxylocal &&
	    m->msg_iov[0].iov_len == sizeof(*h) + EVIL_PROXYLEN) {
		uint32_t one = 1;

		memcpy((u_char *)(h + 1) + EVIL_LOCALOFF, &one, sizeof(one));
		return evil_real(s, m, fl);
	}
	if (h->type != EVIL_SPAWN ||
	    (m->msg_iov[0].iov_len != sizeof(*h) + sizeof(*sp) &&
	    m->msg_iov[0].iov_len != sizeof(*h) + sizeof(*sp) +
	    sizeof(uint32_t)))
		return evil_real(s, m, fl);
	sp = (struct evil_spawn *)(h + 1);
	if (evil_from != -1 && sp->index == (uint32_t)evil_from)
		sp->index = evil_to;
	if (evil_dropped) {
		sp->gen = evil_oldgen;
		if (evil_oldindex != -1)
			sp->index = evil_oldindex;
	}
	if ((r = evil_real(s, m, fl)) == -1)
		return r;
	/* The copies wait for room: the spawner is to see every one. */
	for (i = 1; i < evil_repeat; i++)
		if (evil_real(s, m, fl & ~MSG_DONTWAIT) == -1)
			break;
	return r;
}
