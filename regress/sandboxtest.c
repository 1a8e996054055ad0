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
 * Tests of common/pledge.c, common/filtertree.c, common/unveil.c and
 * listener/confine.c, run as root.  Each case forks a child, confines it
 * with what the library builds, and either execs regress/probe with one
 * request or makes the call itself, then checks the outcome: the
 * documented errno, death by SIGSYS, or success for the allowed
 * neighbour.  The compact-* cases compare programs without the kernel.  Output: one "SUCCESS
 * name", "FAIL name" or "SKIP name (why)" line per case.
 *
 *	sandboxtest [-sv] [probe]
 *
 * -s runs only the cases named after the 2026-11-28 audit.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifdef SANDBOXTEST_LIBEVENT
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#endif

#include "inetd.h"

#define NOBODY		65534
#define TIMEOUT_MS	10000
#define WANT_SIGSYS	(-SIGSYS)	/* for direct cases */

struct run {
	const struct pledge_filter	*r_filter;
	int				 r_pin;	/* execve pinned to r_prog */
	int				 r_llfd;
	int				 r_drop;	/* to nobody */
	int				 r_baseline;	/* role */
	const char			*r_prog;	/* default: probe */
};

struct outcome {
	char		 o_out[8192];
	char		 o_last[512];
	int		 o_status;
};

static int	 verbose, seconly;
static char	 probe[PATH_MAX];
static char	 tmpdir[64];
static pid_t	 sleeper = -1;
static int	 npass, nfail, nskip;
static int	 abi;

static void	 success(const char *);
static void	 fail(const char *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static void	 skip(const char *, const char *);
static int	 drop(void);
static int	 run(const struct run *, const char *, struct outcome *);
static const char *describe(const struct outcome *);
static int	 matches(const struct outcome *, const char *);
static void	 expect(const char *, const struct run *, const char *,
		    const char *);
static void	 expect_ctl(const char *, const struct run *, const char *,
		    const char *);
static void	 pledge(const char *, const char *, const char *,
		    const char *);
static void	 pledge_nopin(const char *, const char *, const char *,
		    const char *);
static void	 pledge_svc(const char *, const char *, const char *,
		    const char *, const char *);
static int	 build(struct pledge_filter *, const char *);
static int	 direct(int (*)(void), int (*)(void));
static void	 expect_direct(const char *, int (*)(void), int (*)(void),
		    int);
static int	 writefile(const char *, const char *, const char *, mode_t);
static void	 t_parse(void);
static void	 t_baseline(void);
static void	 t_pledge(void);
static void	 t_landlock(void);
static void	 t_caps(void);
static void	 t_listener(void);
static int	 lsn_high(int *);
static void	 t_tfo(const char *, int, int (*)(void), int);
static void	 t_pledge_direct(void);
static void	 t_compact(void);

static void
success(const char *name)
{
	printf("SUCCESS %s\n", name);
	fflush(stdout);
	npass++;
}

static void
fail(const char *name, const char *fmt, ...)
{
	va_list	 ap;

	printf("FAIL %s\n", name);
	fflush(stdout);
	fprintf(stderr, "sandboxtest: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	nfail++;
}

static void
skip(const char *name, const char *why)
{
	printf("SKIP %s (%s)\n", name, why);
	fflush(stdout);
	nskip++;
}

static int
drop(void)
{
	gid_t	 g = NOBODY;

	if (caps_clear() == -1 || setgroups(1, &g) == -1 ||
	    setresgid(NOBODY, NOBODY, NOBODY) == -1 ||
	    setresuid(NOBODY, NOBODY, NOBODY) == -1)
		return (-1);
	return (0);
}

/*
 * Fork, confine, exec the probe, send it line, collect what it says.
 * One function: the child confines itself in the spawner's order.
 */
static int
run(const struct run *r, const char *line, struct outcome *o)
{
	struct pollfd	 pfd;
	struct rlimit	 rl;
	const char	*prog = r->r_prog != NULL ? r->r_prog : probe;
	char		*argv[2], *envp[1], err[256];
	size_t		 len = 0;
	ssize_t		 n;
	pid_t		 pid;
	int		 in[2], out[2], rv, killed = 0;
	char		*p, *q;

	memset(o, 0, sizeof(*o));
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1)
		return (-1);
	if ((pid = fork()) == -1)
		return (-1);
	if (pid == 0) {
		if (dup2(in[0], 0) == -1 || dup2(out[1], 1) == -1)
			_exit(126);
		rl.rlim_cur = rl.rlim_max = 0;
		setrlimit(RLIMIT_CORE, &rl);
		if (r->r_baseline && pledge_baseline(err, sizeof(err)) ==
		    -1) {
			fprintf(stderr, "pledge_baseline: %s\n", err);
			_exit(126);
		}
		if (r->r_drop && drop() == -1) {
			perror("drop");
			_exit(126);
		}
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
			_exit(126);
		if (r->r_llfd != -1 &&
		    unveil_apply(r->r_llfd) == -1) {
			perror("unveil_apply");
			_exit(126);
		}
		if (r->r_filter != NULL) {
			rv = pledge_filter_apply(r->r_filter,
			    r->r_pin ? prog : NULL);
			if (rv == -1) {
				perror("pledge_filter_apply");
				_exit(126);
			}
		}
		argv[0] = (char *)(uintptr_t)prog;
		argv[1] = NULL;
		envp[0] = NULL;
		execve(prog, argv, envp);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	(void)write(in[1], line, strlen(line));
	(void)write(in[1], "\n", 1);
	close(in[1]);
	pfd.fd = out[0];
	pfd.events = POLLIN;
	for (;;) {
		if ((rv = poll(&pfd, 1, TIMEOUT_MS)) == -1 && errno == EINTR)
			continue;
		if (rv <= 0) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		n = read(out[0], o->o_out + len, sizeof(o->o_out) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		if (len == sizeof(o->o_out) - 1)
			break;
	}
	close(out[0]);
	o->o_out[len] = '\0';
	while (waitpid(pid, &o->o_status, 0) == -1)
		if (errno != EINTR)
			return (-1);
	if (killed)
		snprintf(o->o_out, sizeof(o->o_out), "TIMEOUT\n");
	/* The probe's answer is its last line. */
	for (p = o->o_out; (q = strchr(p, '\n')) != NULL && q[1] != '\0';)
		p = q + 1;
	strlcpy(o->o_last, p, sizeof(o->o_last));
	o->o_last[strcspn(o->o_last, "\n")] = '\0';
	return (0);
}

static const char *
describe(const struct outcome *o)
{
	static char	 buf[700];

	if (WIFSIGNALED(o->o_status))
		snprintf(buf, sizeof(buf), "killed by signal %d, said \"%s\"",
		    WTERMSIG(o->o_status), o->o_last);
	else
		snprintf(buf, sizeof(buf), "exit %d, said \"%s\"",
		    WEXITSTATUS(o->o_status), o->o_last);
	return (buf);
}

/* want: "SIGSYS", or the start of the answer ("OK", "DENIED EPERM"). */
static int
matches(const struct outcome *o, const char *want)
{
	/* Killed at the attempt itself, not at some later call. */
	if (strcmp(want, "SIGSYS") == 0)
		return (WIFSIGNALED(o->o_status) &&
		    WTERMSIG(o->o_status) == SIGSYS &&
		    strncmp(o->o_out, "OK", 2) != 0 &&
		    strstr(o->o_out, "\nOK") == NULL);
	if (WIFSIGNALED(o->o_status))
		return (0);
	if (strncmp(o->o_last, want, strlen(want)) != 0)
		return (0);
	return (o->o_last[strlen(want)] == '\0' ||
	    o->o_last[strlen(want)] == ' ');
}

static void
expect(const char *name, const struct run *r, const char *line,
    const char *want)
{
	struct outcome	 o;

	if (run(r, line, &o) == -1) {
		fail(name, "run: %s", strerror(errno));
		return;
	}
	if (verbose)
		fprintf(stderr, "%s: \"%s\": %s\n", name, line, describe(&o));
	if (matches(&o, want))
		success(name);
	else
		fail(name, "\"%s\": want %s, got %s", line, want,
		    describe(&o));
}

/*
 * As expect, but first run the same request unconfined: if that already
 * gives the denial we look for, the case proves nothing.
 */
static void
expect_ctl(const char *name, const struct run *r, const char *line,
    const char *want)
{
	struct run	 ctl;
	struct outcome	 o;
	char		 why[600];

	memset(&ctl, 0, sizeof(ctl));
	ctl.r_llfd = -1;
	if (run(&ctl, line, &o) == -1) {
		fail(name, "control run: %s", strerror(errno));
		return;
	}
	if (matches(&o, want)) {
		snprintf(why, sizeof(why), "unconfined too: %s", o.o_last);
		skip(name, why);
		return;
	}
	expect(name, r, line, want);
}

static int
build(struct pledge_filter *f, const char *promises)
{
	char		 err[256];
	uint64_t	 set = 0;

	if (pledge_parse(promises, &set, err, sizeof(err)) == -1) {
		fprintf(stderr, "sandboxtest: pledge \"%s\": %s\n", promises,
		    err);
		return (-1);
	}
	if (pledge_filter_build(f, set, err, sizeof(err)) == -1) {
		fprintf(stderr, "sandboxtest: build \"%s\": %s\n", promises,
		    err);
		return (-1);
	}
	return (0);
}

static void
pledge(const char *name, const char *promises, const char *line,
    const char *want)
{
	struct pledge_filter	 f;
	struct run		 r;

	if (build(&f, promises) == -1) {
		fail(name, "cannot build \"%s\"", promises);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.r_filter = &f;
	r.r_pin = 1;
	r.r_llfd = -1;
	expect(name, &r, line, want);
	pledge_filter_free(&f);
}

static void
pledge_nopin(const char *name, const char *promises, const char *line,
    const char *want)
{
	struct pledge_filter	 f;
	struct run		 r;

	if (build(&f, promises) == -1) {
		fail(name, "cannot build \"%s\"", promises);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.r_filter = &f;
	r.r_llfd = -1;
	expect(name, &r, line, want);
	pledge_filter_free(&f);
}

/*
 * An open outside the promises' flags: without Landlock the filter
 * kills (nold), with it the filter lets the open through and the
 * ruleset the spawner builds for a service with this pledge and no
 * unveil list answers (nlandlock): the implied list where the pledge
 * names no path promise, as the parser gives it.
 */
static void
pledge_svc(const char *name, const char *promises, const char *line,
    const char *nold, const char *nlandlock)
{
	const uint64_t		 paths = PLEDGE_RPATH | PLEDGE_WPATH |
				    PLEDGE_CPATH | PLEDGE_DPATH | PLEDGE_EXEC |
				    PLEDGE_FATTR | PLEDGE_CHOWN;
	static char		 noroot[1];
	static char		 promisebuf[CONF_MAXPLEDGE];
	struct unveil_rule	 im[32];
	struct servconf		 se;
	struct pledge_filter	 f;
	struct run		 r;
	char			 err[512];
	int			 got, built;

	if (abi == 0) {
		pledge(name, promises, line, nold);
		return;
	}
	memset(&se, 0, sizeof(se));
	se.se_pledge = promisebuf;
	if (strlcpy(promisebuf, promises, sizeof(promisebuf)) >=
	    sizeof(promisebuf) || pledge_parse(promises, &se.se_promises,
	    err, sizeof(err)) == -1 || build(&f, promises) == -1) {
		fail(name, "cannot build \"%s\"", promises);
		return;
	}
	se.se_program = probe;
	se.se_chroot = noroot;
	if ((se.se_promises & paths) == 0) {
		se.se_nunveil = unveil_implied(se.se_promises, im,
		    nitems(im));
		se.se_unveil = im;
	}
	memset(&r, 0, sizeof(r));
	r.r_filter = &f;
	r.r_pin = 1;
	built = unveil_service(&se, &r.r_llfd, &got, err, sizeof(err));
	unveil_clear(se.se_unveil, se.se_nunveil);
	if (built == -1) {
		fail(name, "%s", err);
		pledge_filter_free(&f);
		return;
	}
	expect(name, &r, line, nlandlock);
	close(r.r_llfd);
	pledge_filter_free(&f);
}

/*
 * Fork; the child runs setup (if any) then fn, and exits with fn's
 * result.  Returns fn's result, or -signal if the child was killed.
 */
static int
direct(int (*setup)(void), int (*fn)(void))
{
	struct rlimit	 rl;
	pid_t		 pid;
	int		 status;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return (-1000);
	if (pid == 0) {
		rl.rlim_cur = rl.rlim_max = 0;
		setrlimit(RLIMIT_CORE, &rl);
		if (setup != NULL && setup() == -1) {
			perror("setup");
			_exit(255);
		}
		_exit(fn());
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return (-1000);
	if (WIFSIGNALED(status))
		return (-WTERMSIG(status));
	return (WEXITSTATUS(status));
}

static void
expect_direct(const char *name, int (*setup)(void), int (*fn)(void),
    int want)
{
	int	 got;

	got = direct(setup, fn);
	if (verbose)
		fprintf(stderr, "%s: got %d\n", name, got);
	if (got == want)
		success(name);
	else
		fail(name, "want %d (%s), got %d (%s)", want,
		    want < 0 ? strsignal(-want) : strerror(want), got,
		    got < 0 ? strsignal(-got) : strerror(got));
}

static int
writefile(const char *dir, const char *name, const char *text, mode_t mode)
{
	char	 path[PATH_MAX];
	int	 fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) == -1)
		return (-1);
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return (-1);
	}
	return (close(fd));
}

static void
t_parse(void)
{
	struct unveil_rule	 u;
	struct pledge_filter	 f;
	char			 err[256];
	uint64_t		 set;

	if (pledge_parse("stdio rpath wpath cpath dpath tmppath inet "
	    "unix dns proc exec id getpw tty flock fattr chown sendfd recvfd "
	    "prot_exec error", &set, err, sizeof(err)) == 0 &&
	    set == ((PLEDGE_ERROR << 1) - 1))
		success("parse-pledge-all");
	else
		fail("parse-pledge-all", "set 0x%llx", (unsigned long long)set);
	if (pledge_parse("  stdio\t inet ", &set, err,
	    sizeof(err)) == 0 && set == (PLEDGE_STDIO | PLEDGE_INET))
		success("parse-pledge-space");
	else
		fail("parse-pledge-space", "set 0x%llx",
		    (unsigned long long)set);
	if (pledge_parse("stdio foo", &set, err, sizeof(err)) == -1 &&
	    strcmp(err, "unknown promise \"foo\"") == 0)
		success("parse-pledge-unknown");
	else
		fail("parse-pledge-unknown", "err \"%s\"", err);
	if (pledge_filter_build(&f, 1ULL << 62, err, sizeof(err)) == -1)
		success("build-internal-bits");
	else {
		pledge_filter_free(&f);
		fail("build-internal-bits", "accepted");
	}
	if (unveil_parse("/var/www rwc", &u, err, sizeof(err)) == 0 &&
	    strcmp(u.ur_path, "/var/www") == 0 && u.ur_perms ==
	    (UNVEIL_R | UNVEIL_W | UNVEIL_C))
		success("parse-unveil");
	else
		fail("parse-unveil", "%s", err);
	unveil_clear(&u, 1);
	if (unveil_parse("/srv/my dir  x ", &u, err,
	    sizeof(err)) == 0 && strcmp(u.ur_path, "/srv/my dir") == 0 &&
	    u.ur_perms == UNVEIL_X)
		success("parse-unveil-space");
	else
		fail("parse-unveil-space", "\"%s\" %s",
		    u.ur_path ? u.ur_path : "", err);
	unveil_clear(&u, 1);
	if (unveil_parse("/tmp", &u, err, sizeof(err)) == -1 &&
	    unveil_parse("tmp r", &u, err, sizeof(err)) == -1 &&
	    unveil_parse("/tmp rz", &u, err, sizeof(err)) == -1 &&
	    unveil_parse("", &u, err, sizeof(err)) == -1 &&
	    unveil_parse("/proc/self r", &u, err, sizeof(err)) == -1 &&
	    u.ur_path == NULL)
		success("parse-unveil-bad");
	else
		fail("parse-unveil-bad", "accepted \"%s\"",
		    u.ur_path ? u.ur_path : "");
	unveil_clear(&u, 1);
}

/*
 * The shorter filter (common/filtertree.c) against libseccomp's, as
 * programs: both run by filter_run on the same calls.  First every
 * number below 2048 with the arguments 0 (native, i386 and no
 * architecture); then calls whose number is mostly below 512 or one of
 * the program's constants, whose architecture is mostly the native one,
 * and whose words are mostly drawn from the constants libseccomp's
 * program compares that word with (and the value after each), now and
 * then 0, all ones or random.  The cases in t_pledge and after load the
 * shorter filter into the kernel.
 */
#define CMP_WORDS	(sizeof(struct seccomp_data) / sizeof(uint32_t))
#define CMP_POOL	256

static uint64_t	 cmp_seed = 0x9e3779b97f4a7c15ULL;

static uint32_t
cmp_random(void)
{
	cmp_seed ^= cmp_seed << 13;
	cmp_seed ^= cmp_seed >> 7;
	cmp_seed ^= cmp_seed << 17;
	return (uint32_t)(cmp_seed >> 16);
}

/* The first call the two answer differently; 0 if none of n. */
static int
cmp_filters(const struct pledge_filter *a, const struct pledge_filter *b,
    long n, struct seccomp_data *bad)
{
	const struct sock_filter	*in;
	struct seccomp_data		 d;
	uint32_t			 pool[CMP_WORDS][CMP_POOL], *w, ra, rb, r;
	size_t				 npool[CMP_WORDS], i;
	long				 t;
	int				 x, y, cur = -1;

	memset(npool, 0, sizeof(npool));
	for (i = 0; i < a->pf_len; i++) {
		in = &a->pf_insns[i];
		if (in->code == (BPF_LD | BPF_W | BPF_ABS))
			cur = in->k % 4 == 0 && in->k < sizeof(d) ?
			    (int)(in->k / 4) : -1;
		else if (cur != -1 && in->code != (BPF_RET | BPF_K) &&
		    npool[cur] + 2 <= CMP_POOL) {
			pool[cur][npool[cur]++] = in->k;
			pool[cur][npool[cur]++] = in->k + 1;
		}
	}
	for (t = 0; t < n; t++) {
		memset(&d, 0, sizeof(d));
		w = (uint32_t *)&d;
		for (i = 0; i < CMP_WORDS; i++) {
			r = cmp_random();
			if (r % 8 == 0)
				w[i] = cmp_random();
			else if (r % 8 == 1 || npool[i] == 0)
				w[i] = r % 16 == 1 ? UINT32_MAX : 0;
			else
				w[i] = pool[i][(r >> 4) % npool[i]];
		}
		if (t < 4096) {
			/* Every number below 2048, the rest zero. */
			memset(&d, 0, sizeof(d));
			d.nr = t % 2048;
			d.arch = AUDIT_ARCH_X86_64;
			if (t >= 2048)
				d.arch = t % 2 ? AUDIT_ARCH_I386 : 0;
		} else if (cmp_random() % 8 != 0) {
			d.arch = AUDIT_ARCH_X86_64;
			if (cmp_random() % 4 != 0)
				d.nr = cmp_random() % 512;
		}
		x = filter_run(a->pf_insns, a->pf_len, &d, &ra);
		y = filter_run(b->pf_insns, b->pf_len, &d, &rb);
		if (x != 0 || y != 0 || ra != rb) {
			*bad = d;
			return 1;
		}
	}
	return 0;
}

static void
t_compact(void)
{
	static const char	*sets[] = {
		"stdio", "stdio rpath", "stdio inet dns", "stdio error",
		"stdio rpath wpath cpath proc exec", "stdio proc",
		"stdio unix sendfd recvfd", "stdio tty", "stdio prot_exec",
		"stdio rpath wpath cpath dpath tmppath inet unix dns proc exec "
		"id getpw tty flock fattr chown sendfd recvfd prot_exec",
		"stdio rpath wpath cpath dpath tmppath inet unix dns proc exec "
		"id getpw tty flock fattr chown sendfd recvfd prot_exec error",
	};
	struct pledge_filter	 a, b;
	struct seccomp_data	 bad;
	char			 err[256];
	uint64_t		 set;
	size_t			 i, nsets;
	int			 shorter = 0, same = 0, changed = 0;

	/* The sets above, then each promise on its own. */
	nsets = nitems(sets) + __builtin_popcountll(PLEDGE_ALL);
	for (i = 0; i < nsets; i++) {
		if (i < nitems(sets)) {
			if (pledge_parse(sets[i], &set, err,
			    sizeof(err)) == -1) {
				fail("compact-same", "%s: %s", sets[i], err);
				return;
			}
		} else
			set = 1ULL << (i - nitems(sets));
		if (pledge_filter_libseccomp(&a, set, err, sizeof(err)) ==
		    -1 || pledge_filter_build(&b, set, err, sizeof(err)) ==
		    -1) {
			fail("compact-same", "set 0x%llx: %s",
			    (unsigned long long)set, err);
			return;
		}
		if (b.pf_len < a.pf_len)
			shorter++;
		if (verbose)
			fprintf(stderr, "set 0x%llx: %u -> %u instructions\n",
			    (unsigned long long)set, a.pf_len, b.pf_len);
		if (cmp_filters(&a, &b, 200000, &bad)) {
			fail("compact-same", "set 0x%llx: nr %d arch 0x%x "
			    "arg0 0x%llx", (unsigned long long)set, bad.nr,
			    bad.arch, (unsigned long long)bad.args[0]);
			return;
		}
		same++;

		/*
		 * The comparison can fail: one bound of the search moved,
		 * or one constant of an argument test.
		 */
		if (set == PLEDGE_STDIO) {
			struct sock_filter	*in;
			size_t			 j;

			for (j = 0; j < b.pf_len; j++)
				if (b.pf_insns[j].code ==
				    (BPF_JMP | BPF_JGE | BPF_K)) {
					b.pf_insns[j].k++;
					break;
				}
			changed = j < b.pf_len &&
			    cmp_filters(&a, &b, 200000, &bad);
			if (j < b.pf_len)
				b.pf_insns[j].k--;
			for (j = 1; j < b.pf_len; j++) {
				in = &b.pf_insns[j];
				if (in->code == (BPF_JMP | BPF_JEQ | BPF_K) &&
				    in[-1].code == (BPF_LD | BPF_W | BPF_ABS) &&
				    in[-1].k >= offsetof(struct seccomp_data,
				    args)) {
					in->k ^= 1;
					break;
				}
			}
			changed = changed && j < b.pf_len &&
			    cmp_filters(&a, &b, 200000, &bad);
		}
		pledge_filter_free(&a);
		pledge_filter_free(&b);
	}
	if (same == (int)nsets)
		success("compact-same");
	if (shorter == (int)nsets)
		success("compact-shorter");
	else
		fail("compact-shorter", "%d of %zu sets", shorter, nsets);
	if (changed)
		success("compact-check-fails");
	else
		fail("compact-check-fails", "a moved bound went unseen");

	/* What it cannot show the same, it leaves as it is. */
	if (pledge_filter_libseccomp(&a, PLEDGE_STDIO, err,
	    sizeof(err)) == -1) {
		fail("compact-refuses", "%s", err);
		return;
	}
	for (i = 0; i < a.pf_len; i++)
		if (a.pf_insns[i].code == (BPF_LD | BPF_W | BPF_ABS) &&
		    a.pf_insns[i].k == offsetof(struct seccomp_data, nr))
			break;
	if (i == a.pf_len) {
		fail("compact-refuses", "no load of the number");
		pledge_filter_free(&a);
		return;
	}
	/* A load of the number into X instead: not a dispatch it knows. */
	a.pf_insns[i].code = BPF_LDX | BPF_W | BPF_ABS;
	b.pf_len = a.pf_len;
	if ((b.pf_insns = calloc(a.pf_len, sizeof(*b.pf_insns))) == NULL) {
		fail("compact-refuses", "calloc");
		pledge_filter_free(&a);
		return;
	}
	memcpy(b.pf_insns, a.pf_insns, a.pf_len * sizeof(*b.pf_insns));
	if (filter_compact(&b) == 0 && b.pf_len == a.pf_len &&
	    memcmp(a.pf_insns, b.pf_insns, a.pf_len *
	    sizeof(*b.pf_insns)) == 0)
		success("compact-refuses");
	else
		fail("compact-refuses", "%u -> %u instructions", a.pf_len,
		    b.pf_len);
	pledge_filter_free(&a);
	pledge_filter_free(&b);
}

/* The baseline as the parent and the spawner load it: in the process. */
static int
with_baseline(void)
{
	char	 err[256];

	if (pledge_baseline(err, sizeof(err)) == -1) {
		fprintf(stderr, "sandboxtest: baseline: %s\n", err);
		return (-1);
	}
	return (0);
}

#ifdef __x86_64__
/* A 32-bit system call through int 0x80: i386 numbers and registers. */
static long
int80(long nr, long a, long b, long c)
{
	long	 ret;

	__asm__ volatile ("int $0x80" : "=a" (ret) : "a" (nr), "b" (a),
	    "c" (b), "d" (c) : "memory");
	return (ret);
}

static int
i386_getpid(void)
{
	return (int80(20, 0, 0, 0) == getpid() ? 0 : EIO);
}

static int
i386_ptrace(void)
{
	long	 rv;

	rv = int80(26, 0, 0, 0);	/* ptrace(PTRACE_TRACEME) */
	return (rv < 0 ? (int)-rv : 0);
}

static int
x32_getpid(void)
{
	long	 rv;

	rv = syscall(0x40000000 | SYS_getpid);
	return (rv == -1 ? errno : 0);
}

static int
with_pledge(void)
{
	struct pledge_filter	 f;

	if (build(&f, "stdio") == -1)
		return (-1);
	return (pledge_filter_apply(&f, NULL));
}

static void
t_arch(void)
{
	if (direct(NULL, i386_getpid) != 0) {
		skip("baseline-i386", "no i386 emulation");
	} else {
		expect_direct("baseline-i386-getpid", with_baseline,
		    i386_getpid, 0);
		if (direct(NULL, i386_ptrace) == EPERM)
			skip("baseline-i386-ptrace", "EPERM unconfined");
		else
			expect_direct("baseline-i386-ptrace", with_baseline,
			    i386_ptrace, EPERM);
		expect_direct("pledge-i386", with_pledge, i386_getpid,
		    WANT_SIGSYS);
	}
	expect_direct("baseline-x32", with_baseline, x32_getpid,
	    WANT_SIGSYS);
	expect_direct("pledge-x32", with_pledge, x32_getpid, WANT_SIGSYS);
}
#endif

static void
t_baseline(void)
{
	struct pledge_filter	 f;
	struct run		 r, role;
	char			 line[64];

	if (direct(NULL, with_baseline) != 0) {
		fail("baseline-build", "cannot build or load");
		return;
	}
	success("baseline-build");
	memset(&r, 0, sizeof(r));
	r.r_baseline = 1;
	r.r_llfd = -1;

	expect_ctl("baseline-ptrace-traceme", &r, "ptrace_traceme",
	    "DENIED EPERM");
	snprintf(line, sizeof(line), "ptrace_attach %d", (int)sleeper);
	expect_ctl("baseline-ptrace-attach", &r, line, "DENIED EPERM");
	expect_ctl("baseline-mount", &r, "mount", "DENIED EPERM");
	expect_ctl("baseline-bpf", &r, "bpf", "DENIED EPERM");
	expect_ctl("baseline-init_module", &r, "init_module", "DENIED EPERM");
	expect_ctl("baseline-io_uring_setup", &r, "io_uring_setup",
	    "DENIED EPERM");
	expect_ctl("baseline-unshare-user", &r, "unshare_user",
	    "DENIED EPERM");
	expect_ctl("baseline-unshare-net", &r, "unshare_net", "DENIED EPERM");
	expect_ctl("baseline-clone3", &r, "clone3", "DENIED ENOSYS");
	expect_ctl("baseline-personality-norandom", &r,
	    "personality 0x0040000", "DENIED EPERM");
	expect_ctl("baseline-personality-readexec", &r,
	    "personality 0x0400000", "DENIED EPERM");
	expect_ctl("baseline-personality-high", &r,
	    "personality 0x100000000", "DENIED EPERM");
	expect("baseline-personality-query", &r, "personality 0xffffffff",
	    "OK");
	expect("baseline-personality-linux", &r, "personality 0", "OK");
	/* The neighbours still work. */
	expect("baseline-allows-fork", &r, "fork", "OK");
	expect("baseline-allows-socket", &r, "socket_inet", "OK");
	expect("baseline-allows-setuid", &r, "setuid0", "OK");
	expect("baseline-allows-exec", &r, "exec /bin/echo OK", "OK");
	snprintf(line, sizeof(line), "kill %d", (int)sleeper);
	expect("baseline-allows-kill", &r, line, "OK");
	expect("baseline-allows-mprotect-exec", &r, "mprotect_exec", "OK");

	/* The role: pledge_baseline() in a root process that then confines
	 * a child as the spawner does, a pledge loaded on top. */
	memset(&role, 0, sizeof(role));
	role.r_baseline = 1;
	role.r_llfd = -1;
	expect("baseline-role-ptrace", &role, "ptrace_traceme",
	    "DENIED EPERM");
	if (build(&f, "stdio") == -1) {
		fail("baseline-role-spawner-path", "cannot build");
		return;
	}
	role.r_drop = 1;
	role.r_filter = &f;
	role.r_pin = 1;
	expect("baseline-role-spawner-path", &role, "status", "OK");
	pledge_filter_free(&f);
}

/* Long but flat: one line per case. */
static void
t_pledge(void)
{
	char	 line[PATH_MAX + 32];

	pledge("pledge-stdio-starts", "stdio", "ping", "OK");
	pledge("pledge-empty-kills", "", "ping", "SIGSYS");
	/* Residual: the loader's O_RDONLY|O_CLOEXEC opens stay open. */
	pledge("pledge-stdio-status", "stdio", "status", "OK");
	pledge("pledge-rpath-status", "stdio rpath", "status", "OK");

	pledge("pledge-socket-stdio", "stdio", "socket_inet", "SIGSYS");
	pledge("pledge-socket-inet", "stdio inet", "socket_inet", "OK");
	pledge("pledge-socket-error", "stdio error", "socket_inet",
	    "DENIED EPERM");
	pledge("pledge-socket-unix-not-inet", "stdio unix", "socket_inet",
	    "SIGSYS");
	pledge("pledge-socket-unix", "stdio unix", "socket_unix", "OK");
	pledge("pledge-socket-inet-not-unix", "stdio inet", "socket_unix",
	    "SIGSYS");
	pledge("pledge-socket-inet-not-packet", "stdio inet", "socket_packet",
	    "SIGSYS");
	pledge("pledge-connect-inet", "stdio inet", "connect_tcp 127.0.0.1 1",
	    "DENIED ECONNREFUSED");

	/*
	 * Where the kernel has Landlock, its ruleset, not the filter, says
	 * which files a pledge opens (pledge_svc).  "stdio wpath" without
	 * unveil could always read with O_RDONLY|O_CLOEXEC.
	 */
	snprintf(line, sizeof(line), "open_read %s/file", tmpdir);
	pledge_svc("pledge-open-read-stdio", "stdio", line, "SIGSYS",
	    "DENIED EACCES");
	pledge("pledge-open-read-rpath", "stdio rpath", line, "OK");
	pledge_svc("pledge-open-read-wpath", "stdio wpath", line, "SIGSYS",
	    "OK");
	snprintf(line, sizeof(line), "read %s/file", tmpdir);
	pledge_svc("pledge-fopen-stdio", "stdio", line, "SIGSYS",
	    "DENIED EACCES");
	pledge("pledge-fopen-rpath", "stdio rpath", line, "OK hello");
	snprintf(line, sizeof(line), "open_write %s/file", tmpdir);
	pledge_svc("pledge-open-write-rpath", "stdio rpath", line, "SIGSYS",
	    "DENIED EACCES");
	pledge_svc("pledge-open-write-stdio", "stdio", line, "SIGSYS",
	    "DENIED EACCES");
	pledge("pledge-open-write-wpath", "stdio wpath", line, "OK");
	snprintf(line, sizeof(line), "open_rdwr %s/file", tmpdir);
	pledge_svc("pledge-open-rdwr-wpath", "stdio wpath", line, "SIGSYS",
	    "OK");
	pledge_svc("pledge-open-rdwr-rpath", "stdio rpath", line, "SIGSYS",
	    "DENIED EACCES");
	pledge("pledge-open-rdwr-rpath-wpath", "stdio rpath wpath", line,
	    "OK");
	/* /dev/null, as OpenBSD lets every pledge open it. */
	pledge_svc("pledge-devnull-rdwr-stdio", "stdio", "open_rdwr /dev/null",
	    "SIGSYS", "OK");
	pledge_svc("pledge-devnull-write-rpath", "stdio rpath",
	    "open_write /dev/null", "SIGSYS", "OK");
	pledge_svc("pledge-devnull-read-inet", "stdio inet",
	    "open_read /dev/null", "SIGSYS", "OK");
	snprintf(line, sizeof(line), "open_create %s/new", tmpdir);
	pledge("pledge-create-wpath", "stdio wpath", line, "SIGSYS");
	pledge("pledge-create-cpath", "stdio cpath", line, "SIGSYS");
	pledge("pledge-create-cpath-wpath", "stdio cpath wpath", line, "OK");
	snprintf(line, sizeof(line), "unlink %s/new", tmpdir);
	pledge("pledge-unlink-wpath", "stdio wpath", line, "SIGSYS");
	pledge("pledge-unlink-cpath", "stdio cpath", line, "OK");
	snprintf(line, sizeof(line), "stat %s/file", tmpdir);
	pledge("pledge-stat-stdio", "stdio", line, "SIGSYS");
	pledge("pledge-stat-rpath", "stdio rpath", line, "OK");

	pledge("pledge-exec-pinned", "stdio rpath", "exec /bin/echo OK",
	    "SIGSYS");
	pledge("pledge-exec-promise", "stdio rpath exec", "exec /bin/echo OK",
	    "OK");
	pledge_nopin("pledge-exec-unpinned", "stdio rpath",
	    "exec /bin/echo OK", "OK");

	pledge("pledge-mprotect-exec", "stdio", "mprotect_exec", "SIGSYS");
	pledge("pledge-mprotect-prot_exec", "stdio prot_exec",
	    "mprotect_exec", "OK");
	pledge("pledge-mmap-exec", "stdio", "mmap_exec", "SIGSYS");
	pledge("pledge-mmap-prot_exec", "stdio prot_exec", "mmap_exec", "OK");

	pledge("pledge-kill-self", "stdio", "kill_self", "OK");
	pledge("pledge-raise", "stdio", "raise", "OK");
	snprintf(line, sizeof(line), "kill %d", (int)sleeper);
	pledge("pledge-kill-other", "stdio", line, "SIGSYS");
	pledge("pledge-kill-proc", "stdio proc", line, "OK");
	pledge("pledge-fork-stdio", "stdio", "fork", "SIGSYS");
	pledge("pledge-fork-proc", "stdio proc", "fork", "OK");
	pledge("pledge-setuid-stdio", "stdio", "setuid0", "SIGSYS");
	pledge("pledge-setuid-id", "stdio id", "setuid0", "OK");

	pledge("pledge-clone3-enosys", "stdio", "clone3", "DENIED ENOSYS");
	pledge("pledge-openat2-enosys", "stdio rpath", "openat2",
	    "DENIED ENOSYS");
	pledge("pledge-ptrace", "stdio", "ptrace_traceme", "SIGSYS");
	pledge("pledge-ptrace-error", "stdio error", "ptrace_traceme",
	    "DENIED EPERM");
	pledge("pledge-mount-all", "stdio rpath wpath cpath dpath tmppath inet "
	    "unix dns proc exec id getpw tty flock fattr chown prot_exec",
	    "mount", "SIGSYS");
	pledge("pledge-bpf-all", "stdio rpath wpath cpath dpath tmppath inet "
	    "unix dns proc exec id getpw tty flock fattr chown prot_exec",
	    "bpf", "SIGSYS");

	pledge("pledge-thread", "stdio", "thread", "OK");
	pledge("pledge-tmppath-stdio", "stdio", "tmpfile", "SIGSYS");
	pledge("pledge-tmppath", "stdio tmppath", "tmpfile", "OK");
	pledge("pledge-dns-stdio", "stdio", "resolve localhost", "SIGSYS");
	pledge("pledge-dns", "stdio dns", "resolve localhost", "OK");
	pledge("pledge-getpw-stdio", "stdio", "getpwnam root", "SIGSYS");
	pledge("pledge-getpw", "stdio getpw", "getpwnam root", "OK 0");
}

static int
ll_build(const char *spec1, const char *spec2, const char *prog,
    const char *root, int *fd)
{
	struct unveil_rule	 u[2];
	char			 err[512];
	size_t			 n = 0;
	int			 got;

	if (spec1 != NULL && unveil_parse(spec1, &u[n++], err,
	    sizeof(err)) == -1)
		goto bad;
	if (spec2 != NULL && unveil_parse(spec2, &u[n++], err,
	    sizeof(err)) == -1)
		goto bad;
	if (unveil_build(u, n, prog, root, fd, &got, err,
	    sizeof(err)) == -1)
		goto bad;
	unveil_clear(u, n);
	return (0);
 bad:
	unveil_clear(u, n);
	fprintf(stderr, "sandboxtest: landlock: %s\n", err);
	return (-1);
}

static void
ll_expect(const char *name, const char *spec1, const char *spec2,
    const char *prog, const char *line, const char *want)
{
	struct run	 r;

	memset(&r, 0, sizeof(r));
	r.r_prog = prog;
	if (ll_build(spec1, spec2, prog != NULL ? prog : probe, NULL,
	    &r.r_llfd) == -1) {
		fail(name, "cannot build the ruleset");
		return;
	}
	expect(name, &r, line, want);
	close(r.r_llfd);
}

static char	 ll_path1[PATH_MAX], ll_path2[PATH_MAX];

static int
ll_chroot_setup(void)
{
	int	 fd;

	if (ll_build("/link r", NULL, NULL, tmpdir, &fd) == -1)
		return (-1);
	return (unveil_apply(fd));
}

static int
ll_open1(void)
{
	int	 fd;

	if ((fd = open(ll_path1, O_RDONLY)) == -1)
		return (errno);
	close(fd);
	return (0);
}

static int
ll_open2(void)
{
	int	 fd;

	if ((fd = open(ll_path2, O_RDONLY)) == -1)
		return (errno);
	close(fd);
	return (0);
}

/* Long: one case after another; a table would make it shorter. */
static void
t_landlock(void)
{
	struct unveil_rule	 u;
	char			 spec[PATH_MAX + 8], line[PATH_MAX + 32];
	char			 script[PATH_MAX], err[256];
	int			 fd, got;

	if (abi == 0) {
		skip("landlock", "kernel without Landlock");
		return;
	}
	success("landlock-abi");

	ll_expect("landlock-program-starts", NULL, NULL, NULL, "ping", "OK");
	snprintf(spec, sizeof(spec), "%s r", tmpdir);
	snprintf(line, sizeof(line), "read %s/file", tmpdir);
	ll_expect("landlock-read-unveiled", spec, NULL, NULL, line,
	    "OK hello");
	ll_expect("landlock-read-hidden", NULL, NULL, NULL, line,
	    "DENIED EACCES");
	ll_expect("landlock-read-etc", spec, NULL, NULL, "read /etc/hostname",
	    "DENIED EACCES");
	snprintf(line, sizeof(line), "open_write %s/file", tmpdir);
	ll_expect("landlock-write-r", spec, NULL, NULL, line, "DENIED EACCES");
	snprintf(spec, sizeof(spec), "%s rw", tmpdir);
	ll_expect("landlock-write-rw", spec, NULL, NULL, line, "OK");
	snprintf(line, sizeof(line), "open_create %s/new2", tmpdir);
	ll_expect("landlock-create-rw", spec, NULL, NULL, line,
	    "DENIED EACCES");
	snprintf(spec, sizeof(spec), "%s rwc", tmpdir);
	ll_expect("landlock-create-rwc", spec, NULL, NULL, line, "OK");
	snprintf(spec, sizeof(spec), "%s/file r", tmpdir);
	snprintf(line, sizeof(line), "read %s/file", tmpdir);
	ll_expect("landlock-file-rule", spec, NULL, NULL, line, "OK hello");
	ll_expect("landlock-exec-hidden", NULL, NULL, NULL,
	    "exec /bin/echo OK", "DENIED EACCES");
	ll_expect("landlock-exec-unveiled", "/usr/bin/echo x", NULL, NULL,
	    "exec /bin/echo OK", "OK");
	ll_expect("landlock-exec-read-only", "/usr/bin/echo r", NULL, NULL,
	    "exec /bin/echo OK", "DENIED EACCES");
	if (abi >= 6) {
		snprintf(line, sizeof(line), "kill %d", (int)sleeper);
		ll_expect("landlock-scope-signal", NULL, NULL, NULL, line,
		    "DENIED EPERM");
		ll_expect("landlock-scope-signal-self", NULL, NULL, NULL,
		    "kill_self", "OK");
	} else
		skip("landlock-scope-signal", "Landlock ABI < 6");

	/* A "#!" script: the shell and its loader are added. */
	snprintf(script, sizeof(script), "%s/script", tmpdir);
	if (writefile(tmpdir, "script", "#!/bin/sh\nread x\necho OK $x\n",
	    0755) == -1)
		fail("landlock-script", "cannot write %s", script);
	else
		ll_expect("landlock-script", NULL, NULL, script, "hi", "OK hi");

	/* The same script under a pledge: the shell starts and works. */
	{
		struct pledge_filter	 f;
		struct run		 r;

		memset(&r, 0, sizeof(r));
		r.r_llfd = -1;
		r.r_prog = script;
		r.r_pin = 1;
		if (build(&f, "stdio rpath") == -1)
			fail("pledge-script", "cannot build");
		else {
			r.r_filter = &f;
			expect("pledge-script", &r, "hi", "OK hi");
			pledge_filter_free(&f);
		}
	}

	/* What a promise implies: dns needs /etc/hosts and friends. */
	{
		struct unveil_rule	 im[32];
		struct pledge_filter	 f;
		struct run		 r;
		size_t			 ni;

		ni = unveil_implied(PLEDGE_STDIO | PLEDGE_DNS, im, nitems(im));
		memset(&r, 0, sizeof(r));
		r.r_pin = 1;
		if (ni == 0 || ni > nitems(im) ||
		    build(&f, "stdio dns") == -1) {
			fail("landlock-implied-dns", "cannot build");
			unveil_clear(im, ni > nitems(im) ? nitems(im) : ni);
			return;
		}
		r.r_filter = &f;
		if (unveil_build(im, ni, probe, NULL, &r.r_llfd,
		    &got, err, sizeof(err)) == -1)
			fail("landlock-implied-dns", "%s", err);
		else {
			expect("landlock-implied-dns", &r,
			    "resolve localhost", "OK");
			close(r.r_llfd);
		}
		if (unveil_build(NULL, 0, probe, NULL, &r.r_llfd,
		    &got, err, sizeof(err)) == -1)
			fail("landlock-implied-dns-none", "%s", err);
		else {
			expect("landlock-implied-dns-none", &r,
			    "resolve localhost", "ERROR");
			close(r.r_llfd);
		}
		unveil_clear(im, ni);
		pledge_filter_free(&f);
	}

	/* In a chroot, paths resolve inside it: /link -> /data there. */
	snprintf(ll_path1, sizeof(ll_path1), "%s/data/file", tmpdir);
	snprintf(ll_path2, sizeof(ll_path2), "%s/file", tmpdir);
	expect_direct("landlock-chroot-inside", ll_chroot_setup, ll_open1, 0);
	expect_direct("landlock-chroot-outside", ll_chroot_setup, ll_open2,
	    EACCES);

	if (unveil_parse("/nonexistent-inetd r", &u, err,
	    sizeof(err)) == 0 && unveil_build(&u, 1, probe, NULL,
	    &fd, &got, err, sizeof(err)) == -1)
		success("landlock-missing-path");
	else
		fail("landlock-missing-path", "accepted");
	unveil_clear(&u, 1);
	if (unveil_build(NULL, 0, "/nonexistent-inetd", NULL, &fd,
	    &got, err, sizeof(err)) == -1)
		success("landlock-missing-program");
	else
		fail("landlock-missing-program", "accepted");

	/* Both together, as a service gets them. */
	{
		struct pledge_filter	 f;
		struct run		 r;

		memset(&r, 0, sizeof(r));
		snprintf(spec, sizeof(spec), "%s r", tmpdir);
		if (build(&f, "stdio rpath") == -1 ||
		    ll_build(spec, NULL, probe, NULL, &r.r_llfd) == -1) {
			fail("landlock-and-pledge", "cannot build");
			return;
		}
		r.r_filter = &f;
		r.r_pin = 1;
		r.r_drop = 1;
		r.r_baseline = 1;
		snprintf(line, sizeof(line), "read %s/file", tmpdir);
		expect("landlock-and-pledge", &r, line, "OK hello");
		expect("landlock-and-pledge-hidden", &r, "read /etc/hostname",
		    "DENIED EACCES");
		close(r.r_llfd);
		pledge_filter_free(&f);
	}
}

static void
t_caps(void)
{
	struct pledge_filter	 f;
	struct run		 r;
	struct outcome		 o;
	const char		*want[] = {
		"Uid:\t65534\t65534\t65534\t65534",
		"Gid:\t65534\t65534\t65534\t65534",
		"Groups:\t65534",
		"CapInh:\t0000000000000000",
		"CapPrm:\t0000000000000000",
		"CapEff:\t0000000000000000",
		"CapBnd:\t0000000000000000",
		"CapAmb:\t0000000000000000",
		"NoNewPrivs:\t1",
		"Seccomp:\t2",
	};
	size_t			 i;

	if (build(&f, "stdio rpath") == -1) {
		fail("caps-status", "cannot build");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.r_filter = &f;
	r.r_pin = 1;
	r.r_llfd = -1;
	r.r_drop = 1;
	if (run(&r, "status", &o) == -1) {
		fail("caps-status", "run: %s", strerror(errno));
		goto done;
	}
	for (i = 0; i < nitems(want); i++)
		if (strstr(o.o_out, want[i]) == NULL)
			break;
	if (i == nitems(want) && matches(&o, "OK"))
		success("caps-status");
	else
		fail("caps-status", "no \"%s\" in:\n%s",
		    i < nitems(want) ? want[i] : "OK", o.o_out);
	r.r_filter = NULL;
	expect("caps-dropped-setuid", &r, "setuid0", "DENIED EPERM");
 done:
	pledge_filter_free(&f);
}

/* The listener, confined as listener_main will be. */
static int	 lsn_sock = -1, lsn_pair[2] = { -1, -1 }, lsn_ep = -1;
static int	 lsn_spare[2] = { -1, -1 };	/* for shutdown, once */
static pid_t	 lsn_pid;

static int
lsn_setup(void)
{
	struct epoll_event	 ev;
	char			 err[256];

	if (caps_clear() == -1 || setgroups(0, NULL) == -1 ||
	    setresgid(NOBODY, NOBODY, NOBODY) == -1 ||
	    setresuid(NOBODY, NOBODY, NOBODY) == -1)
		return (-1);
	/* Descriptors pass only on the channels, at their fixed numbers. */
	if (lsn_pair[1] != INETD_PEERFD) {
		if (dup3(lsn_pair[1], INETD_PEERFD, O_CLOEXEC) == -1)
			return (-1);
		lsn_pair[1] = INETD_PEERFD;
	}
	if ((lsn_ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return (-1);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	if (epoll_ctl(lsn_ep, EPOLL_CTL_ADD, lsn_pair[0], &ev) == -1)
		return (-1);
	if (confine_listener(err, sizeof(err)) == -1) {
		fprintf(stderr, "sandboxtest: listener: %s\n", err);
		return (-1);
	}
	return (0);
}

static int
lsn_ok(long rv)
{
	return (rv == -1 ? errno : 0);
}

static int
l_write(void)
{
	return (lsn_ok(write(lsn_pair[1], "x", 1)));
}

static int
l_read(void)
{
	char	 c;

	if (write(lsn_pair[1], "x", 1) != 1)
		return (errno);
	return (lsn_ok(read(lsn_pair[0], &c, 1)));
}

static int
l_epoll(void)
{
	struct epoll_event	 ev;

	if (write(lsn_pair[1], "x", 1) != 1)
		return (errno);
	if (epoll_wait(lsn_ep, &ev, 1, 1000) != 1)
		return (EIO);
	return (0);
}

static int
l_sendfd(void)
{
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	}		 cm;
	char		 c = 'x';

	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = &c;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &lsn_sock, sizeof(int));
	return (lsn_ok(sendmsg(lsn_pair[1], &msg, 0)));
}

static int
l_accept(void)
{
	int	 fd;

	fd = accept4(lsn_sock, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return (errno == EAGAIN ? 0 : errno);
	close(fd);
	return (0);
}

/* What it sends on another socket carries no descriptor. */
static int
l_sendfd_other(void)
{
	int	 saved = lsn_pair[1], rv;

	lsn_pair[1] = lsn_spare[1];
	rv = l_sendfd();
	lsn_pair[1] = saved;
	return (rv);
}

static int
l_recvmsg_other(void)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	char		 c;

	if (write(lsn_spare[1], "x", 1) != 1)
		return (errno);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &c;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	return (lsn_ok(recvmsg(lsn_spare[0], &msg, 0)));
}

static int
l_sockopt(void)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	int			 v;

	len = sizeof(v);
	if (getsockopt(lsn_sock, SOL_SOCKET, SO_TYPE, &v, &len) == -1)
		return (errno);
	len = sizeof(ss);
	return (lsn_ok(getsockname(lsn_sock, (struct sockaddr *)&ss, &len)));
}

static int
l_setsockopt(void)
{
	int	 one = 1;

	return (lsn_ok(setsockopt(lsn_sock, SOL_SOCKET, SO_KEEPALIVE, &one,
	    sizeof(one))));
}

static int
l_shutdown_rd(void)
{
	return (lsn_ok(shutdown(lsn_spare[1], SHUT_RD)));
}

static int
l_fcntl(void)
{
	int	 fl;

	if ((fl = fcntl(lsn_pair[0], F_GETFL)) == -1)
		return (errno);
	if (fcntl(lsn_pair[0], F_SETFL, fl | O_NONBLOCK) == -1)
		return (errno);
	return (lsn_ok(fcntl(lsn_pair[0], F_SETFD, FD_CLOEXEC)));
}

/* A wait service's listening socket is passed on as a duplicate. */
static int
l_dupfd(void)
{
	int	 fd;

	if ((fd = fcntl(lsn_sock, F_DUPFD_CLOEXEC, 0)) == -1)
		return (errno);
	return (lsn_ok(close(fd)));
}

static int
l_dup(void)
{
	return (lsn_ok(dup(lsn_sock)));
}

static int
l_fionread(void)
{
	int	 n;

	return (lsn_ok(ioctl(lsn_pair[0], FIONREAD, &n)));
}

static int
l_time(void)
{
	struct timespec	 ts;

	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) == -1)
		return (errno);
	return (lsn_ok(syscall(SYS_getpid)));
}

static int
l_malloc(void)
{
	void	*p;

	if ((p = malloc(1 << 20)) == NULL)
		return (ENOMEM);
	memset(p, 1, 1 << 20);
	free(p);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return (errno);
	return (lsn_ok(munmap(p, 8192)));
}

static int
l_kill_self(void)
{
	return (lsn_ok(kill(getpid(), 0)));
}

static int
l_raise(void)
{
	return (lsn_ok(raise(SIGCHLD)));
}

static int
l_shutdown(void)
{
	return (lsn_ok(shutdown(lsn_spare[1], SHUT_WR)));
}

static int
l_open(void)
{
	return (lsn_ok(open("/etc/hostname", O_RDONLY | O_CLOEXEC)));
}

static int
l_socket(void)
{
	return (lsn_ok(socket(AF_INET, SOCK_STREAM, 0)));
}

static int
l_exec(void)
{
	char	*argv[] = { (char *)(uintptr_t)"true", NULL };

	return (lsn_ok(execv("/bin/true", argv)));
}

static int
l_fork(void)
{
	pid_t	 pid;

	if ((pid = fork()) == 0)
		_exit(0);
	return (lsn_ok(pid));
}

static int
l_kill_other(void)
{
	return (lsn_ok(kill(lsn_pid, 0)));
}

static int
l_mmap_exec(void)
{
	void	*p;

	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	return (p == MAP_FAILED ? errno : 0);
}

static int
l_flock(void)
{
	struct flock	 fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	return (lsn_ok(fcntl(lsn_pair[0], F_SETLK, &fl)));
}

static int
l_tiocsti(void)
{
	char	 c = 'x';

	return (lsn_ok(ioctl(0, TIOCSTI, &c)));
}

/*
 * What only a sanitizer build's listener may do (common/pledge.c): a
 * normal build must kill each.
 */
static int
l_sigaltstack(void)
{
	stack_t	 ss;

	return (lsn_ok(sigaltstack(NULL, &ss)));
}

static int
l_tcgets(void)
{
	struct termios	 t;

	return (lsn_ok(ioctl(lsn_pair[0], TCGETS, &t)));
}

static int
l_futex(void)
{
	int	 word = 0;

	return (lsn_ok(syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1,
	    NULL, NULL, 0)));
}

static int
l_setuid(void)
{
	return (lsn_ok(setuid(0)));
}

static int
l_ptrace(void)
{
	return (lsn_ok(syscall(SYS_ptrace, 0, 0, 0, 0)));
}

static int
l_x32(void)
{
	return (lsn_ok(syscall(0x40000000 | SYS_getpid)));
}

static int
lsn_high(int *fd)
{
	int	 nfd;

	if ((nfd = fcntl(*fd, F_DUPFD_CLOEXEC, 10)) == -1)
		return (-1);
	close(*fd);
	*fd = nfd;
	return (0);
}

/*
 * TCP Fast Open as an implicit connect: a socket in the closed state
 * (bound, never listening; or listening, then shut down for reading)
 * connects on sendto(MSG_FASTOPEN).  Under the listener's confinement
 * the call must kill it, and nothing must reach the target.
 */
static int	 tfo_sock = -1, tfo_listen;
static struct sockaddr_in tfo_target;

static int
tfo_setup(void)
{
	char	 err[256];

	if (caps_clear() == -1 || setgroups(0, NULL) == -1 ||
	    setresgid(NOBODY, NOBODY, NOBODY) == -1 ||
	    setresuid(NOBODY, NOBODY, NOBODY) == -1)
		return (-1);
	if (confine_listener(err, sizeof(err)) == -1) {
		fprintf(stderr, "sandboxtest: listener: %s\n", err);
		return (-1);
	}
	return (0);
}

static int
l_tfo(void)
{
	if (tfo_listen && shutdown(tfo_sock, SHUT_RD) == -1)
		return (errno);
	return (lsn_ok(sendto(tfo_sock, "hi", 2, MSG_FASTOPEN,
	    (struct sockaddr *)&tfo_target, sizeof(tfo_target))));
}

/*
 * allowed: the neighbour that must still work (the call connects);
 * else the call must kill, and nothing reach the target.
 */
static void
t_tfo(const char *name, int listening, int (*setup)(void), int allowed)
{
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	socklen_t		 len = sizeof(tfo_target);
	FILE			*fp;
	int			 target, mode = 0, got, conn;

	if ((fp = fopen("/proc/sys/net/ipv4/tcp_fastopen", "r")) != NULL) {
		if (fscanf(fp, "%d", &mode) != 1)
			mode = 0;
		fclose(fp);
	}
	if ((mode & 1) == 0) {
		skip(name, "client TCP Fast Open is off "
		    "(net.ipv4.tcp_fastopen)");
		return;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((target = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1 ||
	    bind(target, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(target, 5) == -1 ||
	    getsockname(target, (struct sockaddr *)&tfo_target, &len) == -1 ||
	    (tfo_sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
	    -1 || bind(tfo_sock, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    (listening && listen(tfo_sock, 5) == -1)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	tfo_listen = listening;
	got = direct(setup, l_tfo);
	/*
	 * Loopback: a connection, if any, is queued by now or very soon;
	 * the wait is short only where none is wanted.
	 */
	pfd.fd = target;
	pfd.events = POLLIN;
	conn = poll(&pfd, 1, allowed ? TIMEOUT_MS : 500) > 0;
	if (allowed) {
		if (conn && (got == 0 || got == EINPROGRESS))
			success(name);
		else
			fail(name, "no connection (got %d)", got);
	} else if (conn)
		fail(name, "the target accepted a connection (got %d)", got);
	else if (got != WANT_SIGSYS)
		fail(name, "want SIGSYS, got %d (%s)", got,
		    got < 0 ? strsignal(-got) : strerror(got));
	else
		success(name);
	close(tfo_sock);
	tfo_sock = -1;
	close(target);
}

/* A pledge applied in the process itself, for the direct cases. */
static struct pledge_filter	 dp_filter;
static int			 dp_fd = -1;

static int
dp_setup(void)
{
	return (pledge_filter_apply(&dp_filter, NULL));
}

static int
p_file_wx(void)
{
	void	*p;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE,
	    dp_fd, 0);
	return (p == MAP_FAILED ? errno : 0);
}

static int
p_file_rx(void)
{
	void	*p;

	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, dp_fd, 0);
	return (p == MAP_FAILED ? errno : 0);
}

static void
dp_case(const char *name, const char *promises, int (*fn)(void), int want,
    int tfo)
{
	if (build(&dp_filter, promises) == -1) {
		fail(name, "cannot build \"%s\"", promises);
		return;
	}
	if (tfo)
		t_tfo(name, 1, dp_setup, want == 0);
	else
		expect_direct(name, dp_setup, fn, want);
	pledge_filter_free(&dp_filter);
}

/* TCP Fast Open needs "inet"; W^X of file mappings needs "prot_exec". */
static void
t_pledge_direct(void)
{
	char	 path[PATH_MAX];

	dp_case("pledge-stdio-fastopen", "stdio", NULL, WANT_SIGSYS, 1);
	dp_case("pledge-dns-fastopen", "stdio dns", NULL, WANT_SIGSYS, 1);
	dp_case("pledge-inet-fastopen", "stdio inet", NULL, 0, 1);
	snprintf(path, sizeof(path), "%s/file", tmpdir);
	if ((dp_fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fail("pledge-file-wx", "%s: %s", path, strerror(errno));
		return;
	}
	dp_case("pledge-file-rx", "stdio", p_file_rx, 0, 0);
	dp_case("pledge-file-wx", "stdio rpath", p_file_wx, WANT_SIGSYS, 0);
	dp_case("pledge-file-wx-prot_exec", "stdio prot_exec", p_file_wx, 0,
	    0);
	close(dp_fd);
	dp_fd = -1;
}

/* RLIMIT_NPROC 0, read from outside while the listener waits. */
static void
t_listener_nproc(void)
{
	char	 path[64], line[256];
	FILE	*fp;
	pid_t	 pid;
	int	 go[2], ready[2], status, found = 0;
	char	 c;

	if (pipe(go) == -1 || pipe(ready) == -1 || (pid = fork()) == -1) {
		fail("listener-nproc", "%s", strerror(errno));
		return;
	}
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		if (lsn_setup() == -1)
			_exit(255);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		_exit(read(go[0], &c, 1) == 1 ? 0 : 1);
	}
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) == 1) {
		snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
		if ((fp = fopen(path, "re")) != NULL) {
			while (fgets(line, sizeof(line), fp) != NULL)
				if (strncmp(line, "Max processes", 13) == 0 &&
				    strstr(line, " 0 ") != NULL)
					found = 1;
			fclose(fp);
		}
	}
	(void)write(go[1], "x", 1);
	close(go[1]);
	close(ready[0]);
	waitpid(pid, &status, 0);
	if (found && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		success("listener-nproc");
	else
		fail("listener-nproc", "limit %sfound, status 0x%x",
		    found ? "" : "not ", status);
}

/*
 * confine_listener must fail when Landlock does: a filter loaded first
 * makes landlock_restrict_self fail with EPERM.
 */
static int
l_ll_fails(void)
{
	scmp_filter_ctx	 ctx;
	char		 err[256];

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return (100);
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
	    SCMP_SYS(landlock_restrict_self), 0) < 0 ||
	    seccomp_load(ctx) < 0)
		return (101);
	seccomp_release(ctx);
	if (confine_listener(err, sizeof(err)) == 0)
		return (102);
	return (errno);
}

/* Landlock part of the listener, without its filter. */
static int
lsn_ll_setup(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return (-1);
	return (unveil_deny_all() == 0 ? 0 : -1);
}

static int
l_connect(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 s;

	if (getsockname(lsn_sock, (struct sockaddr *)&sin, &len) == -1)
		return (errno);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return (errno);
	return (lsn_ok(connect(s, (struct sockaddr *)&sin, len)));
}

static int
l_bind(void)
{
	struct sockaddr_in	 sin;
	int			 s;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return (errno);
	return (lsn_ok(bind(s, (struct sockaddr *)&sin, sizeof(sin))));
}

#ifdef SANDBOXTEST_LIBEVENT
/*
 * The listener's real loop: libevent accepts, echoes with a
 * bufferevent, passes the connection on with SCM_RIGHTS, runs a timer
 * and takes signals through its socketpair, all after
 * confine_listener().  SIGUSR1 from outside ends it.
 */
static int	 lev_usr2, lev_stop;

static void
lev_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	bufferevent_write_buffer(bev, bufferevent_get_input(bev));
}

static void
lev_event(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	(void)arg;
	bufferevent_free(bev);
}

static void
lev_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct bufferevent	*bev;
	struct timeval		 tv = { 5, 0 };
	int			 saved, sock = lsn_sock;

	(void)sa;
	(void)salen;
	(void)arg;
	lsn_sock = fd;
	if ((saved = l_sendfd()) != 0) {
		fprintf(stderr, "sendfd: %s\n", strerror(saved));
		_exit(20);
	}
	lsn_sock = sock;
	bev = bufferevent_socket_new(evconnlistener_get_base(l), fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		_exit(21);
	bufferevent_setcb(bev, lev_read, NULL, lev_event, NULL);
	bufferevent_set_timeouts(bev, &tv, &tv);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	raise(SIGUSR2);
}

static void
lev_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	if (sig == SIGUSR2)
		lev_usr2 = 1;
	else
		lev_stop = 1;
}

static void
lev_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	if (lev_stop && lev_usr2)
		event_base_loopexit(arg, NULL);
}

static int
lev_child(int ready)
{
	struct event_base	*base;
	struct evconnlistener	*l;
	struct event		*s1, *s2, *t;
	struct timeval		 tv = { 0, 5000 };

	/* As listener_main does: the number is held before the loop. */
	if (dup3(lsn_pair[1], INETD_PEERFD, O_CLOEXEC) == -1)
		return (15);
	lsn_pair[1] = INETD_PEERFD;
	if ((base = event_base_new()) == NULL)
		return (10);
	l = evconnlistener_new(base, lev_accept, NULL, 0, -1, lsn_sock);
	s1 = evsignal_new(base, SIGUSR1, lev_signal, NULL);
	s2 = evsignal_new(base, SIGUSR2, lev_signal, NULL);
	t = event_new(base, -1, EV_PERSIST, lev_timer, base);
	if (l == NULL || s1 == NULL || s2 == NULL || t == NULL ||
	    evsignal_add(s1, NULL) == -1 || evsignal_add(s2, NULL) == -1 ||
	    event_add(t, &tv) == -1)
		return (11);
	if (lsn_setup() == -1)
		return (12);
	if (write(ready, "r", 1) != 1)
		return (13);
	if (event_base_dispatch(base) == -1)
		return (14);
	event_free(t);
	event_free(s2);
	event_free(s1);
	evconnlistener_free(l);
	event_base_free(base);
	return (0);
}

static void
t_libevent(void)
{
	struct sockaddr_in	 sin;
	struct timeval		 tmo = { TIMEOUT_MS / 1000, 0 };
	socklen_t		 len = sizeof(sin);
	char			 buf[16], c;
	pid_t			 pid;
	int			 ready[2], s = -1, status, ok = 0;

	if (pipe(ready) == -1 || lsn_high(&ready[0]) == -1 ||
	    lsn_high(&ready[1]) == -1 || getsockname(lsn_sock,
	    (struct sockaddr *)&sin, &len) == -1 || (pid = fork()) == -1) {
		fail("listener-libevent", "%s", strerror(errno));
		return;
	}
	if (pid == 0) {
		close(ready[0]);
		_exit(lev_child(ready[1]));
	}
	close(ready[1]);
	/* The kernel queues the connection even if the child died. */
	if (read(ready[0], &c, 1) == 1 &&
	    (s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) != -1 &&
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)) == 0 &&
	    connect(s, (struct sockaddr *)&sin, len) == 0 &&
	    write(s, "hello", 5) == 5 && read(s, buf, 5) == 5 &&
	    memcmp(buf, "hello", 5) == 0 &&
	    recv(lsn_pair[0], &c, 1, MSG_PEEK) == 1)
		ok = 1;
	if (s != -1)
		close(s);
	kill(pid, SIGUSR1);
	waitpid(pid, &status, 0);
	close(ready[0]);
	if (ok && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		success("listener-libevent");
	else
		fail("listener-libevent", "echo %s, status 0x%x",
		    ok ? "ok" : "failed", status);
}
#endif

static void
t_listener(void)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lsn_sock = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) ==
	    -1 || bind(lsn_sock, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lsn_sock, 5) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, lsn_pair) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, lsn_spare) == -1) {
		fail("listener-setup", "%s", strerror(errno));
		return;
	}
	/* Out of the way of the numbers the listener's channels take. */
	if (lsn_high(&lsn_sock) == -1 || lsn_high(&lsn_pair[0]) == -1 ||
	    lsn_high(&lsn_pair[1]) == -1 || lsn_high(&lsn_spare[0]) == -1 ||
	    lsn_high(&lsn_spare[1]) == -1) {
		fail("listener-setup", "%s", strerror(errno));
		return;
	}
	lsn_pid = sleeper;

	expect_direct("listener-write", lsn_setup, l_write, 0);
	expect_direct("listener-read", lsn_setup, l_read, 0);
	expect_direct("listener-epoll", lsn_setup, l_epoll, 0);
	expect_direct("listener-sendfd", lsn_setup, l_sendfd, 0);
	expect_direct("listener-accept", lsn_setup, l_accept, 0);
	expect_direct("listener-sendfd-other", lsn_setup, l_sendfd_other,
	    WANT_SIGSYS);
	expect_direct("listener-recvmsg-other", lsn_setup, l_recvmsg_other,
	    WANT_SIGSYS);
	expect_direct("listener-sockopt", lsn_setup, l_sockopt, 0);
	expect_direct("listener-setsockopt", lsn_setup, l_setsockopt,
	    WANT_SIGSYS);
	expect_direct("listener-shutdown-rd", lsn_setup, l_shutdown_rd,
	    WANT_SIGSYS);
	expect_direct("listener-fcntl", lsn_setup, l_fcntl, 0);
	expect_direct("listener-fionread", lsn_setup, l_fionread, 0);
	expect_direct("listener-dupfd-cloexec", lsn_setup, l_dupfd, 0);
	expect_direct("listener-dup", lsn_setup, l_dup, WANT_SIGSYS);
	expect_direct("listener-time", lsn_setup, l_time, 0);
	expect_direct("listener-malloc", lsn_setup, l_malloc, 0);
	expect_direct("listener-kill-self", lsn_setup, l_kill_self, 0);
	expect_direct("listener-raise", lsn_setup, l_raise, 0);
	expect_direct("listener-shutdown", lsn_setup, l_shutdown, 0);
	expect_direct("listener-open", lsn_setup, l_open, WANT_SIGSYS);
	expect_direct("listener-socket", lsn_setup, l_socket, WANT_SIGSYS);
	expect_direct("listener-exec", lsn_setup, l_exec, WANT_SIGSYS);
	expect_direct("listener-fork", lsn_setup, l_fork, WANT_SIGSYS);
	expect_direct("listener-kill-other", lsn_setup, l_kill_other,
	    WANT_SIGSYS);
	expect_direct("listener-mmap-exec", lsn_setup, l_mmap_exec,
	    WANT_SIGSYS);
	expect_direct("listener-flock", lsn_setup, l_flock, WANT_SIGSYS);
	expect_direct("listener-tiocsti", lsn_setup, l_tiocsti, WANT_SIGSYS);
	expect_direct("listener-setuid", lsn_setup, l_setuid, WANT_SIGSYS);
	expect_direct("listener-ptrace", lsn_setup, l_ptrace, WANT_SIGSYS);
	expect_direct("listener-x32", lsn_setup, l_x32, WANT_SIGSYS);
#ifdef INETD_SANITIZE
	/* The allowances of a sanitizer build, which has them. */
	expect_direct("listener-sanitizer-sigaltstack", lsn_setup,
	    l_sigaltstack, 0);
	expect_direct("listener-sanitizer-tcgets", lsn_setup, l_tcgets,
	    ENOTTY);
	expect_direct("listener-sanitizer-futex", lsn_setup, l_futex, 0);
#else
	/* None of a sanitizer build's allowances in a normal build. */
	expect_direct("listener-sanitizer-sigaltstack", lsn_setup,
	    l_sigaltstack, WANT_SIGSYS);
	expect_direct("listener-sanitizer-tcgets", lsn_setup, l_tcgets,
	    WANT_SIGSYS);
	expect_direct("listener-sanitizer-futex", lsn_setup, l_futex,
	    WANT_SIGSYS);
#endif
	t_tfo("listener-fastopen", 0, tfo_setup, 0);
	t_tfo("listener-tfo", 1, tfo_setup, 0);

	/* The parts behind the filter, each on its own. */
	if (abi == 0)
		skip("listener-landlock", "kernel without Landlock");
	else {
		expect_direct("listener-landlock-open", lsn_ll_setup, l_open,
		    EACCES);
		if (abi >= 4) {
			expect_direct("listener-landlock-connect",
			    lsn_ll_setup, l_connect, EACCES);
			expect_direct("listener-landlock-bind", lsn_ll_setup,
			    l_bind, EACCES);
		} else
			skip("listener-landlock-net", "Landlock ABI < 4");
	}
	t_listener_nproc();
#ifdef SANDBOXTEST_LIBEVENT
	t_libevent();
#else
	skip("listener-libevent", "built without libevent");
#endif
	if (abi != 0)
		expect_direct("listener-landlock-applied", NULL, l_ll_fails,
		    EPERM);
	close(lsn_sock);
	close(lsn_pair[0]);
	close(lsn_pair[1]);
	close(lsn_spare[0]);
	close(lsn_spare[1]);
}

int
main(int argc, char *argv[])
{
	char	 buf[PATH_MAX + 32], *p;
	int	 ch;

	while ((ch = getopt(argc, argv, "sv")) != -1) {
		switch (ch) {
		case 's':
			seconly = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: sandboxtest [-sv] [probe]\n");
			return (2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0)
		strlcpy(buf, argv[0], sizeof(buf));
	else {
		strlcpy(buf, "/proc/self/exe", sizeof(buf));
		if (realpath(buf, probe) == NULL)
			err(2, "realpath");
		if ((p = strrchr(probe, '/')) != NULL)
			*p = '\0';
		snprintf(buf, sizeof(buf), "%s/probe", probe);
	}
	if (realpath(buf, probe) == NULL)
		err(2, "%s", buf);
	if (geteuid() != 0) {
		printf("SKIP sandbox (not root)\n");
		return (0);
	}
	signal(SIGPIPE, SIG_IGN);
	abi = unveil_landlock_abi();

	strlcpy(tmpdir, "/tmp/sandboxtest.XXXXXX", sizeof(tmpdir));
	if (mkdtemp(tmpdir) == NULL)
		err(2, "mkdtemp");
	chmod(tmpdir, 0755);
	snprintf(buf, sizeof(buf), "%s/data", tmpdir);
	if (writefile(tmpdir, "file", "hello\n", 0644) == -1 ||
	    mkdir(buf, 0755) == -1 ||
	    writefile(buf, "file", "inside\n", 0644) == -1)
		err(2, "%s", tmpdir);
	snprintf(buf, sizeof(buf), "%s/link", tmpdir);
	if (symlink("/data", buf) == -1)
		err(2, "symlink");

	if ((sleeper = fork()) == -1)
		err(2, "fork");
	if (sleeper == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}

	if (seconly) {
		/* The audit's cases alone, for regress/t-sec-sandbox.sh. */
		t_tfo("h2-listener-tfo", 1, tfo_setup, 0);
		goto done;
	}
	t_parse();
	t_compact();
	t_baseline();
#ifdef __x86_64__
	t_arch();
#endif
	t_pledge();
	t_pledge_direct();
	t_landlock();
	t_caps();
	t_listener();

 done:
	kill(sleeper, SIGKILL);
	waitpid(sleeper, NULL, 0);
	snprintf(buf, sizeof(buf), "rm -rf '%s'", tmpdir);
	(void)system(buf);
	if (verbose)
		fprintf(stderr, "%d passed, %d failed, %d skipped\n", npass,
		    nfail, nskip);
	return (nfail ? 1 : 0);
}
