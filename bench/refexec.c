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
 * refexec: the ceiling for exec'd services.  A bare super-server for one
 * TCP nowait service that does, per connection, exactly the work the
 * inetd spawner must do between accept and exec, and nothing else: no
 * privilege separation, no messages, no configuration file.
 *
 * Per connection: accept, fork; in the child: new session, connection on
 * 0, 1 and 2 and every other descriptor closed, signals reset, clean
 * environment in UCSPI form, supplementary groups, gid and uid (real,
 * effective and saved), no-new-privileges, a baseline seccomp deny-list
 * (compiled once at start-up, only loaded in the child), execve.  The
 * parent reaps its children on SIGCHLD.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <err.h>
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RX_NENV		10

/* Syscalls no network service needs; the spawner's baseline. */
static const char *const refexec_deny[] = {
	"kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "reboot", "mount", "umount2", "pivot_root",
	"ptrace", "bpf", "perf_event_open", "keyctl", "add_key",
	"request_key", "swapon", "swapoff", NULL
};

static struct sock_fprog	 filter;
static uid_t			 uid;
static gid_t			 gid;
static volatile sig_atomic_t	 quit;

static void	 refexec_usage(void) __attribute__((__noreturn__));
static void	 refexec_sigchld(int);
static void	 refexec_sigterm(int);
static void	 refexec_filter(void);
static int	 refexec_bind(const char *, const char *);
static void	 refexec_env(int, char **, size_t);
static void	 refexec_child(int, const char *, char **)
		    __attribute__((__noreturn__));

static void
refexec_usage(void)
{
	fprintf(stderr, "usage: refexec [-a address] [-p port] [-u user] "
	    "program [argv0 [args ...]]\n");
	exit(2);
}

static void
refexec_sigchld(int sig)
{
	int	 save_errno = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = save_errno;
}

static void
refexec_sigterm(int sig)
{
	(void)sig;
	quit = 1;
}

/* Compile the deny-list once; the children only load the program. */
static void
refexec_filter(void)
{
	scmp_filter_ctx	 ctx;
	off_t		 size;
	int		 fd, i, nr;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		errx(1, "seccomp_init");
	for (i = 0; refexec_deny[i] != NULL; i++) {
		nr = seccomp_syscall_resolve_name(refexec_deny[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0) < 0)
			errx(1, "seccomp_rule_add %s", refexec_deny[i]);
	}
	if ((fd = memfd_create("refexec-bpf", MFD_CLOEXEC)) == -1)
		err(1, "memfd_create");
	if (seccomp_export_bpf(ctx, fd) < 0)
		errx(1, "seccomp_export_bpf");
	if ((size = lseek(fd, 0, SEEK_END)) <= 0 ||
	    size % sizeof(struct sock_filter) != 0)
		errx(1, "bad filter size %lld", (long long)size);
	if ((filter.filter = malloc(size)) == NULL)
		err(1, "malloc");
	if (pread(fd, filter.filter, size, 0) != size)
		err(1, "pread");
	filter.len = size / sizeof(struct sock_filter);
	close(fd);
	seccomp_release(ctx);
}

static int
refexec_bind(const char *addr, const char *port)
{
	struct addrinfo	 hints, *res;
	int		 fd, error, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	if ((error = getaddrinfo(addr, port, &hints, &res)) != 0)
		errx(1, "%s port %s: %s", addr, port, gai_strerror(error));
	if ((fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
	    -1)
		err(1, "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		err(1, "SO_REUSEADDR");
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1)
		err(1, "bind %s port %s", addr, port);
	if (listen(fd, 4096) == -1)
		err(1, "listen");
	freeaddrinfo(res);
	return (fd);
}

/* The connection in UCSPI form, taken from the socket itself. */
static void
refexec_env(int fd, char **env, size_t nenv)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	char			 host[NI_MAXHOST], serv[NI_MAXSERV];
	static char		 buf[RX_NENV][NI_MAXHOST + 32];
	size_t			 n = 0;
	int			 local;

	env[n++] = (char *)(uintptr_t)"PATH=/usr/bin:/bin";
	env[n++] = (char *)(uintptr_t)"PROTO=TCP";
	for (local = 0; local <= 1; local++) {
		len = sizeof(ss);
		if ((local ? getsockname(fd, (struct sockaddr *)&ss, &len) :
		    getpeername(fd, (struct sockaddr *)&ss, &len)) == -1 ||
		    getnameinfo((struct sockaddr *)&ss, len, host,
		    sizeof(host), serv, sizeof(serv),
		    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
			continue;
		snprintf(buf[n], sizeof(buf[n]), "TCP%sIP=%s",
		    local ? "LOCAL" : "REMOTE", host);
		env[n] = buf[n];
		n++;
		snprintf(buf[n], sizeof(buf[n]), "TCP%sPORT=%s",
		    local ? "LOCAL" : "REMOTE", serv);
		env[n] = buf[n];
		n++;
		if (!local) {
			snprintf(buf[n], sizeof(buf[n]), "REMOTE_ADDR=%s",
			    host);
			env[n] = buf[n];
			n++;
			snprintf(buf[n], sizeof(buf[n]), "REMOTE_PORT=%s",
			    serv);
			env[n] = buf[n];
			n++;
		}
	}
	if (n >= nenv)
		_exit(126);
	env[n] = NULL;
}

static void
refexec_child(int fd, const char *path, char **argv)
{
	char		*env[RX_NENV + 1];
	sigset_t	 set;
	int		 sig;

	if (setsid() == -1)
		_exit(126);
	if (dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1)
		_exit(126);
	refexec_env(STDIN_FILENO, env, RX_NENV);
	closefrom(STDERR_FILENO + 1);

	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	sigemptyset(&set);
	if (sigprocmask(SIG_SETMASK, &set, NULL) == -1)
		_exit(126);

	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1)
		_exit(126);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		_exit(126);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) == -1)
		_exit(126);
	execve(path, argv, env);
	_exit(127);
}

int
main(int argc, char *argv[])
{
	struct sigaction	 sa;
	struct passwd		*pw;
	const char		*addr = "127.0.0.1", *port = "20001";
	const char		*user = "nobody", *path;
	char			*defargv[2];
	pid_t			 pid;
	int			 ch, lfd, fd;

	while ((ch = getopt(argc, argv, "+a:p:u:")) != -1) {
		switch (ch) {
		case 'a':
			addr = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		default:
			refexec_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		refexec_usage();
	path = argv[0];
	if (argc == 1) {
		defargv[0] = strrchr(path, '/') ?
		    strrchr(path, '/') + 1 : argv[0];
		defargv[1] = NULL;
		argv = defargv;
	} else
		argv++;

	if ((pw = getpwnam(user)) == NULL)
		errx(1, "%s: no such user", user);
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	endpwent();
	refexec_filter();
	lfd = refexec_bind(addr, port);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = refexec_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = refexec_sigterm;
	sa.sa_flags = 0;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!quit) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno != EINTR && errno != ECONNABORTED)
				warn("accept4");
			continue;
		}
		switch ((pid = fork())) {
		case -1:
			warn("fork");
			break;
		case 0:
			refexec_child(fd, path, argv);
			/* NOTREACHED */
		default:
			break;
		}
		close(fd);
	}
	close(lfd);
	return (0);
}
