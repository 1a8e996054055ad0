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
 * tlsconfinetest uid gid keyfile: the TLS engine's confinement, the very
 * function the engine calls (tls/confine.c), and then what a client who
 * took over the engine would try.  One child per attempt; each line says
 * how the attempt ended: "killed" (SIGSYS, the filter), "failed errno",
 * or "done" when it went through, which only the control may.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "inetd.h"
#include "tlskey.h"

static const char *attempts[] = {
	"control", "open-key", "openat-key", "socket", "exec", "ptrace",
	"kill", "sigaltstack", "tcgets"
};

static int
attempt(const char *what, const char *key, const int *p)
{
	char	*argv[] = { "true", NULL }, *envp[] = { NULL };
	struct termios	 t;
	stack_t	 ss;
	char	 c;

	if (strcmp(what, "control") == 0) {
		/* What the relay does: it must go through. */
		if (write(p[1], "x", 1) != 1 || read(p[0], &c, 1) != 1)
			return 1;
		return 0;
	}
	if (strcmp(what, "open-key") == 0)
		return open(key, O_RDONLY) == -1 ? errno : 0;
	if (strcmp(what, "openat-key") == 0)
		return openat(AT_FDCWD, key, O_RDONLY) == -1 ? errno : 0;
	if (strcmp(what, "socket") == 0)
		return socket(AF_INET, SOCK_STREAM, 0) == -1 ? errno : 0;
	if (strcmp(what, "exec") == 0)
		return execve("/bin/true", argv, envp) == -1 ? errno : 0;
	if (strcmp(what, "ptrace") == 0)
		return ptrace(PTRACE_ATTACH, getppid(), NULL, NULL) == -1 ?
		    errno : 0;
	if (strcmp(what, "kill") == 0)
		return kill(getppid(), 0) == -1 ? errno : 0;
	/* Allowed in a sanitizer build only (tls/confine.c). */
	if (strcmp(what, "sigaltstack") == 0)
		return sigaltstack(NULL, &ss) == -1 ? errno : 0;
	if (strcmp(what, "tcgets") == 0)
		return ioctl(p[0], TCGETS, &t) == -1 ? errno : 0;
	return 1;
}

int
main(int argc, char *argv[])
{
	size_t	 i;
	pid_t	 pid;
	int	 status, rv, p[2];

	if (argc != 4)
		errx(2, "usage: tlsconfinetest uid gid keyfile");
#ifdef INETD_SANITIZE
	printf("build: sanitize\n");
#else
	printf("build: normal\n");
#endif
	for (i = 0; i < nitems(attempts); i++) {
		if ((pid = fork()) == -1)
			err(2, "fork");
		if (pid == 0) {
			if (pipe(p) == -1 || tls_confine_engine(atoi(argv[1]),
			    atoi(argv[2])) == -1)
				_exit(100);
			rv = attempt(attempts[i], argv[3], p);
			_exit(rv > 99 ? 99 : rv);
		}
		if (waitpid(pid, &status, 0) == -1)
			err(2, "waitpid");
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
			printf("%s: killed\n", attempts[i]);
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 100)
			printf("%s: confinement failed\n", attempts[i]);
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			printf("%s: done\n", attempts[i]);
		else if (WIFEXITED(status))
			printf("%s: failed %s\n", attempts[i],
			    strerror(WEXITSTATUS(status)));
		else
			printf("%s: signal %d\n", attempts[i],
			    WTERMSIG(status));
	}
	return 0;
}
