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
 * A service for the regress tests: prints what a service sees of itself.
 *	svcinfo		prints its argv[0]
 *	svcinfo status	credential lines of /proc/self/status
 *	svcinfo fds	the open descriptors, one a line
 *	svcinfo env	the environment, one variable a line
 *	svcinfo accept	a wait service: accept one connection on fd 0,
 *			answer "accepted", exit
 *	svcinfo acceptwhen PATH  the same, once PATH exists
 *	svcinfo udpecho	a dgram wait service: answer one datagram on fd 0
 *			with "udp:" and its bytes, exit
 *	svcinfo udpnoread  a dgram wait service that never reads, and exits
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static const char *fields[] = {
	"Uid:", "Gid:", "Groups:", "NoNewPrivs:", "Seccomp:", "CapInh:",
	"CapPrm:", "CapEff:", "CapBnd:", "CapAmb:", "SigBlk:", "SigIgn:",
	"SigCgt:", NULL
};

int
main(int argc, char *argv[])
{
	char		 line[1024];
	FILE		*fp;
	DIR		*d;
	struct dirent	*de;
	char		**e;
	int		 i, s;

	if (argc < 2) {
		/* No mode: say what argv[0] is. */
		printf("%s\n", argv[0]);
		return 0;
	}
	if (strcmp(argv[1], "status") == 0) {
		if ((fp = fopen("/proc/self/status", "r")) == NULL)
			return 1;
		while (fgets(line, sizeof(line), fp) != NULL)
			for (i = 0; fields[i] != NULL; i++)
				if (strncmp(line, fields[i],
				    strlen(fields[i])) == 0)
					fputs(line, stdout);
		fclose(fp);
	} else if (strcmp(argv[1], "fds") == 0) {
		if ((d = opendir("/proc/self/fd")) == NULL)
			return 1;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' ||
			    atoi(de->d_name) == dirfd(d))
				continue;
			printf("fd %s\n", de->d_name);
		}
		closedir(d);
	} else if (strcmp(argv[1], "env") == 0) {
		for (e = environ; *e != NULL; e++)
			printf("%s\n", *e);
	} else if (strcmp(argv[1], "accept") == 0) {
		if ((s = accept(0, NULL, NULL)) == -1)
			return 1;
		(void)write(s, "accepted\n", 9);
		close(s);
	} else if (strcmp(argv[1], "acceptwhen") == 0 && argc == 3) {
		/* A wait service that takes its time: until PATH exists. */
		while (access(argv[2], F_OK) == -1)
			usleep(20000);
		if ((s = accept(0, NULL, NULL)) == -1)
			return 1;
		(void)write(s, "accepted\n", 9);
		close(s);
	} else if (strcmp(argv[1], "udpecho") == 0) {
		struct sockaddr_storage	 ss;
		socklen_t		 sslen = sizeof(ss);
		char			 buf[600];
		ssize_t			 n;

		if ((n = recvfrom(0, buf + 4, sizeof(buf) - 4, 0,
		    (struct sockaddr *)&ss, &sslen)) == -1)
			return 1;
		memcpy(buf, "udp:", 4);
		if (sendto(0, buf, n + 4, 0, (struct sockaddr *)&ss,
		    sslen) == -1)
			return 1;
		return 0;
	} else if (strcmp(argv[1], "udpnoread") == 0) {
		return 0;
	} else
		return 2;
	fflush(stdout);
	return 0;
}
