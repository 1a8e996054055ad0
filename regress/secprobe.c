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
 * A service that tries what a compromised one would, for
 * regress/t-sec-sandbox.sh.  It links nothing of inetd's.
 *
 *	secprobe tfo port	fd 0 is a listening TCP socket: make it
 *				connect to 127.0.0.1:port by TCP Fast Open
 *	secprobe connect port	the same by connect(2); exit 0 if
 *				connected, 5 if refused with EACCES
 *	secprobe mem		read a pid from fd 0, open /proc/pid/mem
 *				read-write, say OPEN-OK or OPEN-FAIL
 *	secprobe wx file	map file readable, writable and executable
 *	secprobe sleep		wait until killed
 *	secprobe abi		print the kernel's Landlock ABI, 0 if none
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
say(const char *fmt, const char *arg)
{
	char	 buf[256];
	int	 n;

	n = snprintf(buf, sizeof(buf), fmt, arg);
	if (n > 0 && (size_t)n < sizeof(buf))
		(void)write(1, buf, n);
}

static int
tfo(const char *port, int fastopen)
{
	struct sockaddr_in	 sin;
	const char		*errstr = NULL;
	int			 p;

	p = (int)strtonum(port, 1, 65535, &errstr);
	if (errstr != NULL)
		return 2;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(p);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* A listening socket shut down for reading is closed, still bound. */
	if (shutdown(0, SHUT_RD) == -1)
		return 3;
	if (!fastopen) {
		if (connect(0, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			return 0;
		return errno == EACCES ? 5 : 6;
	}
	if (sendto(0, "tfo\n", 4, MSG_FASTOPEN, (struct sockaddr *)&sin,
	    sizeof(sin)) == -1 && errno != EINPROGRESS)
		return 4;
	return 0;
}

static int
mem(void)
{
	char	 line[32], path[64];
	ssize_t	 n;
	int	 fd;

	if ((n = read(0, line, sizeof(line) - 1)) <= 0)
		return 2;
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '\0' || strspn(line, "0123456789") != strlen(line))
		return 2;
	snprintf(path, sizeof(path), "/proc/%s/mem", line);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1) {
		say("OPEN-FAIL %s\n", strerror(errno));
		return 0;
	}
	say("OPEN-OK%s\n", "");
	close(fd);
	return 0;
}

static int
wx(const char *file)
{
	void	*p;
	int	 fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return 2;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE,
	    fd, 0);
	if (p == MAP_FAILED) {
		say("MAP-FAIL %s\n", strerror(errno));
		return 0;
	}
	say("MAP-OK%s\n", "");
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "tfo") == 0)
		return tfo(argv[2], 1);
	if (argc == 3 && strcmp(argv[1], "connect") == 0)
		return tfo(argv[2], 0);
	if (argc == 2 && strcmp(argv[1], "mem") == 0)
		return mem();
	if (argc == 3 && strcmp(argv[1], "wx") == 0)
		return wx(argv[2]);
	if (argc == 2 && strcmp(argv[1], "abi") == 0) {
		/* LANDLOCK_CREATE_RULESET_VERSION */
		long	 abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1);

		printf("%ld\n", abi < 0 ? 0 : abi);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "sleep") == 0) {
		for (;;)
			pause();
	}
	return 2;
}
