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
 * A service that tries one thing it is asked to and says how it went.
 * The request is one line on stdin, "attempt [arg...]"; the answer one
 * line on stdout: "OK" (sometimes with a detail), "DENIED <errno name>",
 * or nothing at all when the kernel killed the probe (SIGSYS).
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/io_uring.h>
#include <linux/openat2.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXARGS	8

static int	 nargs;
static char	*args[MAXARGS];

static int	 say(int, const char *);
static int	 denied(void);
static int	 result(long);
static int	 need(int);
static int	 do_status(void);
static int	 do_fds(void);
static int	 do_read(const char *);
static int	 do_exec(void);
static int	 do_connect(const char *, const char *);
static int	 do_mprotect(int);
static int	 do_fork(void);
static int	 do_getpw(const char *);
static int	 do_resolve(const char *);
static int	 do_tmpfile(void);
static void	*thread_main(void *);
static int	 do_thread(void);

static int
say(int ok, const char *detail)
{
	if (detail != NULL)
		printf("%s %s\n", ok ? "OK" : "DENIED", detail);
	else
		printf("%s\n", ok ? "OK" : "DENIED");
	fflush(stdout);
	return (ok ? 0 : 1);
}

static int
denied(void)
{
	const char	*name;

	if ((name = strerrorname_np(errno)) == NULL)
		name = "EUNKNOWN";
	return (say(0, name));
}

static int
result(long rv)
{
	if (rv == -1)
		return (denied());
	return (say(1, NULL));
}

static int
need(int n)
{
	if (nargs - 1 >= n)
		return (0);
	printf("USAGE %s needs %d argument(s)\n", args[0], n);
	fflush(stdout);
	return (-1);
}

static int
do_status(void)
{
	static const char	*keys[] = {
		"Uid:", "Gid:", "Groups:", "NoNewPrivs:", "Seccomp:",
		"CapEff:", "CapBnd:", "CapAmb:", "CapInh:", "CapPrm:",
	};
	char			 line[512];
	FILE			*fp;
	size_t			 i;

	if ((fp = fopen("/proc/self/status", "re")) == NULL)
		return (denied());
	while (fgets(line, sizeof(line), fp) != NULL)
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strncmp(line, keys[i], strlen(keys[i])) == 0)
				fputs(line, stdout);
	fclose(fp);
	return (say(1, NULL));
}

static int
do_fds(void)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[PATH_MAX], target[PATH_MAX];
	ssize_t		 n;
	int		 dfd;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return (denied());
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (atoi(de->d_name) == dfd)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		if ((n = readlink(path, target, sizeof(target) - 1)) == -1)
			n = 0;
		target[n] = '\0';
		printf("fd %s %s\n", de->d_name, target);
	}
	closedir(d);
	return (say(1, NULL));
}

static int
do_read(const char *path)
{
	char	 line[512];
	FILE	*fp;

	if ((fp = fopen(path, "r")) == NULL)
		return (denied());
	if (fgets(line, sizeof(line), fp) == NULL)
		line[0] = '\0';
	fclose(fp);
	line[strcspn(line, "\n")] = '\0';
	return (say(1, line));
}

static int
do_exec(void)
{
	char	*av[MAXARGS];
	int	 i;

	for (i = 1; i < nargs; i++)
		av[i - 1] = args[i];
	av[i - 1] = NULL;
	fflush(stdout);
	execv(args[1], av);
	return (denied());
}

static int
do_connect(const char *host, const char *port)
{
	struct addrinfo	 hints, *res;
	int		 s, rv;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((rv = getaddrinfo(host, port, &hints, &res)) != 0) {
		printf("ERROR %s\n", gai_strerror(rv));
		fflush(stdout);
		return (1);
	}
	if ((s = socket(res->ai_family, res->ai_socktype, 0)) == -1) {
		freeaddrinfo(res);
		return (denied());
	}
	rv = connect(s, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (rv == -1)
		return (denied());
	close(s);
	return (say(1, NULL));
}

static int
do_mprotect(int how)
{
	void	*p;

	if (how == 0) {
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		    MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return (denied());
		return (result(mprotect(p, 4096, PROT_READ | PROT_EXEC)));
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	return (result(p == MAP_FAILED ? -1 : 0));
}

static int
do_fork(void)
{
	pid_t	 pid;
	int	 status;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return (denied());
	if (pid == 0)
		_exit(0);
	say(1, NULL);
	(void)waitpid(pid, &status, 0);
	return (0);
}

static int
do_getpw(const char *name)
{
	struct passwd	*pw;
	char		 buf[32];

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		if (errno == 0)
			errno = ENOENT;
		return (denied());
	}
	snprintf(buf, sizeof(buf), "%u", (unsigned int)pw->pw_uid);
	return (say(1, buf));
}

static int
do_resolve(const char *name)
{
	struct addrinfo	 hints, *res;
	char		 host[NI_MAXHOST];
	int		 rv;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	if ((rv = getaddrinfo(name, NULL, &hints, &res)) != 0) {
		printf("ERROR %s\n", gai_strerror(rv));
		fflush(stdout);
		return (1);
	}
	rv = getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host),
	    NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
	return (say(1, rv == 0 ? host : "?"));
}

static int
do_tmpfile(void)
{
	char	 path[] = "/tmp/probe.XXXXXX";
	int	 fd;

	if ((fd = mkstemp(path)) == -1)
		return (denied());
	close(fd);
	if (unlink(path) == -1)
		return (denied());
	return (say(1, NULL));
}

static void *
thread_main(void *arg)
{
	return (arg);
}

static int
do_thread(void)
{
	static int	 token;
	pthread_t	 t;
	void		*ret;
	int		 rv;

	if ((rv = pthread_create(&t, NULL, thread_main, &token)) != 0) {
		errno = rv;
		return (denied());
	}
	if ((rv = pthread_join(t, &ret)) != 0) {
		errno = rv;
		return (denied());
	}
	return (say(ret == &token, NULL));
}

int
main(void)
{
	struct io_uring_params	 iop;
	struct open_how		 how;
	char			 line[1024], *p, *cmd;
	int			 fd;

	if (fgets(line, sizeof(line), stdin) == NULL)
		return (2);
	line[strcspn(line, "\r\n")] = '\0';
	for (p = line; (cmd = strsep(&p, " \t")) != NULL;)
		if (*cmd != '\0' && nargs < MAXARGS - 1)
			args[nargs++] = cmd;
	if (nargs == 0)
		return (2);
	cmd = args[0];

	if (strcmp(cmd, "ping") == 0)
		return (say(1, NULL));
	if (strcmp(cmd, "status") == 0)
		return (do_status());
	if (strcmp(cmd, "fds") == 0)
		return (do_fds());
	if (strcmp(cmd, "ptrace_traceme") == 0)
		return (result(ptrace(PTRACE_TRACEME, 0, NULL, NULL)));
	if (strcmp(cmd, "ptrace_attach") == 0) {
		if (need(1) == -1)
			return (2);
		if (ptrace(PTRACE_ATTACH, atoi(args[1]), NULL, NULL) == -1)
			return (denied());
		ptrace(PTRACE_DETACH, atoi(args[1]), NULL, NULL);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "mount") == 0)
		return (result(mount("none", "/nonexistent-inetd-probe",
		    "tmpfs", 0, NULL)));
	if (strcmp(cmd, "bpf") == 0)
		return (result(syscall(SYS_bpf, -1, NULL, 0)));
	if (strcmp(cmd, "init_module") == 0)
		return (result(syscall(SYS_init_module, NULL, 0, "")));
	if (strcmp(cmd, "io_uring_setup") == 0) {
		memset(&iop, 0, sizeof(iop));
		if ((fd = syscall(SYS_io_uring_setup, 1, &iop)) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "unshare_user") == 0)
		return (result(unshare(CLONE_NEWUSER)));
	if (strcmp(cmd, "unshare_net") == 0)
		return (result(unshare(CLONE_NEWNET)));
	if (strcmp(cmd, "personality") == 0)
		return (result(syscall(SYS_personality, need(1) == -1 ?
		    0xffffffffUL : strtoul(args[1], NULL, 0))));
	if (strcmp(cmd, "kill") == 0) {
		if (need(1) == -1)
			return (2);
		return (result(kill(atoi(args[1]), 0)));
	}
	if (strcmp(cmd, "kill_self") == 0)
		return (result(kill(getpid(), 0)));
	if (strcmp(cmd, "raise") == 0)
		return (result(raise(SIGCHLD)));
	if (strcmp(cmd, "setuid0") == 0)
		return (result(setuid(0)));
	if (strcmp(cmd, "open_read") == 0) {
		if (need(1) == -1)
			return (2);
		if ((fd = open(args[1], O_RDONLY)) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "open_write") == 0) {
		if (need(1) == -1)
			return (2);
		if ((fd = open(args[1], O_WRONLY)) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "open_rdwr") == 0) {
		if (need(1) == -1)
			return (2);
		if ((fd = open(args[1], O_RDWR)) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "open_create") == 0) {
		if (need(1) == -1)
			return (2);
		if ((fd = open(args[1], O_WRONLY | O_CREAT | O_TRUNC,
		    0600)) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "unlink") == 0) {
		if (need(1) == -1)
			return (2);
		return (result(unlink(args[1])));
	}
	if (strcmp(cmd, "mkdir") == 0) {
		if (need(1) == -1)
			return (2);
		return (result(mkdir(args[1], 0700)));
	}
	if (strcmp(cmd, "stat") == 0) {
		struct stat	 st;

		if (need(1) == -1)
			return (2);
		return (result(stat(args[1], &st)));
	}
	if (strcmp(cmd, "read_cloexec") == 0) {
		/* O_RDONLY|O_CLOEXEC: what the loader's opens look like. */
		if (need(1) == -1)
			return (2);
		if ((fd = open(args[1], O_RDONLY | O_CLOEXEC)) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "read") == 0) {
		if (need(1) == -1)
			return (2);
		return (do_read(args[1]));
	}
	if (strcmp(cmd, "exec") == 0) {
		if (need(1) == -1)
			return (2);
		return (do_exec());
	}
	if (strcmp(cmd, "connect_tcp") == 0) {
		if (need(2) == -1)
			return (2);
		return (do_connect(args[1], args[2]));
	}
	if (strcmp(cmd, "socket_inet") == 0) {
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "socket_unix") == 0) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "socket_packet") == 0) {
		if ((fd = socket(AF_PACKET, SOCK_RAW, 0)) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "mprotect_exec") == 0)
		return (do_mprotect(0));
	if (strcmp(cmd, "mmap_exec") == 0)
		return (do_mprotect(1));
	if (strcmp(cmd, "fork") == 0)
		return (do_fork());
	if (strcmp(cmd, "clone3") == 0)
		return (result(syscall(SYS_clone3, NULL, 0)));
	if (strcmp(cmd, "openat2") == 0) {
		memset(&how, 0, sizeof(how));
		how.flags = O_RDONLY;
		if ((fd = syscall(SYS_openat2, AT_FDCWD, "/", &how,
		    sizeof(how))) == -1)
			return (denied());
		close(fd);
		return (say(1, NULL));
	}
	if (strcmp(cmd, "resolve") == 0) {
		if (need(1) == -1)
			return (2);
		return (do_resolve(args[1]));
	}
	if (strcmp(cmd, "tmpfile") == 0)
		return (do_tmpfile());
	if (strcmp(cmd, "thread") == 0)
		return (do_thread());
	if (strcmp(cmd, "getpwnam") == 0) {
		if (need(1) == -1)
			return (2);
		return (do_getpw(args[1]));
	}
	printf("UNKNOWN %s\n", cmd);
	fflush(stdout);
	return (2);
}
