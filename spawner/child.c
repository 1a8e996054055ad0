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
 * The path of a service from vfork to exec.  The child borrows the
 * memory of the spawner's launcher thread until exec: only raw or
 * async-signal-safe calls, no allocation, no library state, and no
 * credential call through the C library, whose set*id wrappers in a
 * threaded process would signal the spawner's own threads.  A step that
 * fails leaves its number and errno in the launch record the spawner
 * reads after vfork returns, and the child exits before exec: a service
 * never runs with less confinement than configured.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"
#include "tlskey.h"

/* Where a child keeps its descriptors from vfork to exec. */
#define CHILD_LANDLOCKFD	3	/* the Landlock ruleset, if any */
#define CHILD_FDFLOOR		10	/* copies made above the fixed ones */
#define CHILD_MAXSIG		64	/* the kernel's signals: child_sigs */

/* 32-bit ids where the plain calls still take 16-bit ones. */
#ifdef SYS_setresuid32
#define CHILD_SYS_SETGROUPS	SYS_setgroups32
#define CHILD_SYS_SETRESGID	SYS_setresgid32
#define CHILD_SYS_SETRESUID	SYS_setresuid32
#else
#define CHILD_SYS_SETGROUPS	SYS_setgroups
#define CHILD_SYS_SETRESGID	SYS_setresgid
#define CHILD_SYS_SETRESUID	SYS_setresuid
#endif

static char	**child_tls_session(char **, char **, char *, size_t,
		    struct child_status *);

static const char *child_steps[] = {
	[CHILD_OK] =		"exec",
	[CHILD_SETSID] =	"setsid",
	[CHILD_FDS] =		"descriptors",
	[CHILD_SIGNALS] =	"signals",
	[CHILD_RLIMIT] =	"resource limits",
	[CHILD_NICE] =		"nice",
	[CHILD_CHROOT] =	"chroot",
	[CHILD_CAPS] =		"capabilities",
	[CHILD_GROUPS] =	"setgroups",
	[CHILD_GID] =		"setresgid",
	[CHILD_UID] =		"setresuid",
	[CHILD_NNP] =		"no-new-privileges",
	[CHILD_LANDLOCK] =	"landlock",
	[CHILD_SECCOMP] =	"seccomp",
	[CHILD_EXEC] =		"execve",
	[CHILD_TLS] =		"tls session",
};

const char *
child_step_name(int step)
{
	if (step < 0 || step >= CHILD_NSTEPS)
		return "unknown step";
	return child_steps[step];
}

/*
 * Signals whose disposition is not the default in the spawner, as a
 * plain mask: the C library will not name its own two (32 and 33) in a
 * sigset_t, yet they may come ignored from whoever started inetd.
 */
static uint64_t	 child_sigs;

struct child_ksigaction {
	void		(*ks_handler)(int);
	unsigned long	 ks_flags;
	void		(*ks_restorer)(void);
	uint64_t	 ks_mask;
};

/* The kernel's sigaction, past the C library's view of signals. */
static int
child_ksigaction(int sig, const struct child_ksigaction *act,
    struct child_ksigaction *old)
{
	return syscall(SYS_rt_sigaction, sig, act, old, sizeof(uint64_t));
}

/*
 * Note, once the spawner's handlers are in place, which signals a child
 * must set back to the default: ignored ones stay ignored across execve.
 */
void
child_signals(void)
{
	struct child_ksigaction	 ks;
	int			 sig;

	child_sigs = 0;
	for (sig = 1; sig <= CHILD_MAXSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (child_ksigaction(sig, NULL, &ks) == -1)
			continue;
		if (ks.ks_handler != SIG_DFL)
			child_sigs |= 1ULL << (sig - 1);
	}
}

static __dead void
child_fail(struct child_status *cst, int step)
{
	cst->cst_errno = errno;
	cst->cst_step = step;
	_exit(127);
}

/*
 * One function on purpose: DESIGN's steps in order, each a child_step.
 * bounded: the launcher's bounding set holds nothing beyond se_caps.
 */
__dead void
child_exec(const struct servconf *se, const struct sservice *ss,
    const struct rlimit *nofile, int conn, struct child_status *status,
    char **env, int bounded)
{
	struct rlimit		 rl;
	struct child_ksigaction	 ks;
	int			 c, ll = -1, sig, i, nonroot;
	sigset_t		 set;
	uid_t			 r, e, sv;
	gid_t			 gr, ge, gs;
	char			 tlsenv[sizeof(struct tls_session) + 128];
	char			*tlsenvp[CHILD_MAXENV + 1];

	if (setsid() == -1)
		child_fail(status, CHILD_SETSID);

	/*
	 * The connection goes on 0, 1 and 2, the Landlock ruleset after
	 * them until exec closes it, nothing else stays.  Copies above the
	 * floor first, so that none is overwritten.
	 */
	if ((c = fcntl(conn, F_DUPFD_CLOEXEC, CHILD_FDFLOOR)) == -1 ||
	    (ss->ss_llfd != -1 && (ll = fcntl(ss->ss_llfd, F_DUPFD_CLOEXEC,
	    CHILD_FDFLOOR)) == -1) ||
	    dup2(c, 0) == -1 || dup2(c, 1) == -1 || dup2(c, 2) == -1 ||
	    (ll != -1 && dup3(ll, CHILD_LANDLOCKFD, O_CLOEXEC) == -1))
		child_fail(status, CHILD_FDS);
	if (ll != -1)
		ll = CHILD_LANDLOCKFD;
	if (close_range(ll != -1 ? CHILD_LANDLOCKFD + 1 : 3, ~0U, 0) == -1)
		child_fail(status, CHILD_FDS);

	memset(&ks, 0, sizeof(ks));
	ks.ks_handler = SIG_DFL;
	for (sig = 1; sig <= CHILD_MAXSIG; sig++)
		if ((child_sigs & (1ULL << (sig - 1))) &&
		    child_ksigaction(sig, &ks, NULL) == -1)
			child_fail(status, CHILD_SIGNALS);
	sigemptyset(&set);
	if (sigprocmask(SIG_SETMASK, &set, NULL) == -1)
		child_fail(status, CHILD_SIGNALS);
	umask(se->se_umask);

	/* inetd raised its own descriptor limit; a service gets the old. */
	if (setrlimit(RLIMIT_NOFILE, nofile) == -1)
		child_fail(status, CHILD_RLIMIT);
	for (i = 0; i < CONF_NRLIMITS; i++) {
		if (!se->se_rlimit[i].rl_set)
			continue;
		rl.rlim_cur = rl.rlim_max = se->se_rlimit[i].rl_value;
		if (setrlimit(conf_rlimit_resource(i), &rl) == -1)
			child_fail(status, CHILD_RLIMIT);
	}
	if (se->se_niceset && setpriority(PRIO_PROCESS, 0, se->se_nice) == -1)
		child_fail(status, CHILD_NICE);
	if (se->se_chroot[0] != '\0' &&
	    (chroot(se->se_chroot) == -1 || chdir("/") == -1))
		child_fail(status, CHILD_CHROOT);
	/*
	 * Capabilities: what caps= keeps (by default all for root, none
	 * for any other user), nothing to inherit, nothing to gain back
	 * after exec.  A user other than root keeps them across the change
	 * of user ID, to carry them as ambient ones.
	 */
	nonroot = se->se_uid != 0;
	if (!se->se_newprivs && (caps_limit(se->se_caps, nonroot,
	    bounded) == -1 ||
	    (nonroot && se->se_caps != 0 &&
	    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1)))
		child_fail(status, CHILD_CAPS);

	/* This task alone: the raw calls, not the C library's. */
	if (syscall(CHILD_SYS_SETGROUPS, se->se_ngroups, se->se_groups) == -1)
		child_fail(status, CHILD_GROUPS);
	if (syscall(CHILD_SYS_SETRESGID, se->se_gid, se->se_gid,
	    se->se_gid) == -1)
		child_fail(status, CHILD_GID);
	if (syscall(CHILD_SYS_SETRESUID, se->se_uid, se->se_uid,
	    se->se_uid) == -1)
		child_fail(status, CHILD_UID);
	/*
	 * A change of credentials makes the memory as dumpable as the
	 * kernel's fs.suid_dumpable says; until exec it is the spawner's
	 * (vfork), which the service's user must never trace.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		child_fail(status, CHILD_UID);
	/* Root with every capability has nothing to set. */
	if (!se->se_newprivs && se->se_caps != 0 &&
	    (nonroot || se->se_caps != CONF_CAPS_ALL) &&
	    caps_grant(se->se_caps, nonroot) == -1)
		child_fail(status, CHILD_CAPS);
	errno = EPERM;
	if (getresgid(&gr, &ge, &gs) == -1 || gr != se->se_gid ||
	    ge != se->se_gid || gs != se->se_gid)
		child_fail(status, CHILD_GID);
	if (getresuid(&r, &e, &sv) == -1 || r != se->se_uid ||
	    e != se->se_uid || sv != se->se_uid)
		child_fail(status, CHILD_UID);

	if (!se->se_newprivs) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
			child_fail(status, CHILD_NNP);
		if (ll != -1) {
			if (unveil_apply(ll) == -1)
				child_fail(status, CHILD_LANDLOCK);
			close(ll);
		}
		/*
		 * Last: from here on only the program's own calls.  The
		 * baseline every service gets is ours already, inherited.
		 */
		if (ss->ss_filter != NULL &&
		    pledge_filter_apply(ss->ss_filter,
		    se->se_program) == -1)
			child_fail(status, CHILD_SECCOMP);
	}
	if (se->se_tls)
		env = child_tls_session(env, tlsenvp, tlsenv, sizeof(tlsenv),
		    status);
	execve(se->se_program, se->se_argv, env);
	child_fail(status, CHILD_EXEC);
}

/* Whether a field of the record is a printable string. */
static int
child_tls_field(const char *f, size_t len)
{
	size_t	 i;

	for (i = 0; i < len && f[i] != '\0'; i++)
		if (f[i] < 0x20 || f[i] > 0x7e)
			return 0;
	return i < len;
}

static int
child_tls_addenv(char **env, int *n, char **buf, size_t *left,
    const char *name, const char *value)
{
	int	 w;

	if (value[0] == '\0')
		return 0;
	if (*n >= CHILD_MAXENV ||
	    (w = snprintf(*buf, *left, "%s=%s", name, value)) < 0 ||
	    (size_t)w >= *left)
		return -1;
	env[(*n)++] = *buf;
	env[*n] = NULL;
	*buf += w + 1;
	*left -= w + 1;
	return 0;
}

/*
 * A TLS service's child, given up root and confined, reads the engine's
 * record of the session, which the spawner saw waiting before it
 * started the child, and adds it to the environment: in out, a copy of
 * env on the child's stack, since a vfork child must not write the
 * spawner's memory.  The spawner never reads the record.  A record that
 * does not hold is an error: the engine faces the network.
 */
static char **
child_tls_session(char **env, char **out, char *buf, size_t len,
    struct child_status *status)
{
	struct tls_session	 ti;
	size_t			 got = 0;
	ssize_t			 r;
	int			 n;

	while (got < sizeof(ti)) {
		r = read(0, (char *)&ti + got, sizeof(ti) - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == 0 && got == 0) {
			errno = 0;
			child_fail(status, CHILD_TLS);
		}
		if (r <= 0) {
			errno = EPROTO;
			child_fail(status, CHILD_TLS);
		}
		got += r;
	}
	errno = EPROTO;
	if (ti.ti_magic != TLS_SESSION_MAGIC ||
	    !child_tls_field(ti.ti_protocol, sizeof(ti.ti_protocol)) ||
	    !child_tls_field(ti.ti_cipher, sizeof(ti.ti_cipher)) ||
	    !child_tls_field(ti.ti_verify, sizeof(ti.ti_verify)) ||
	    !child_tls_field(ti.ti_sdn, sizeof(ti.ti_sdn)) ||
	    !child_tls_field(ti.ti_idn, sizeof(ti.ti_idn)) ||
	    !child_tls_field(ti.ti_serial, sizeof(ti.ti_serial)) ||
	    !child_tls_field(ti.ti_sni, sizeof(ti.ti_sni)))
		child_fail(status, CHILD_TLS);
	for (n = 0; env[n] != NULL && n < CHILD_MAXENV; n++)
		out[n] = env[n];
	out[n] = NULL;
	env = out;
	if (child_tls_addenv(env, &n, &buf, &len, "SSL_PROTOCOL",
	    ti.ti_protocol) == -1 ||
	    child_tls_addenv(env, &n, &buf, &len, "SSL_CIPHER",
	    ti.ti_cipher) == -1 ||
	    child_tls_addenv(env, &n, &buf, &len, "SSL_CLIENT_VERIFY",
	    ti.ti_verify) == -1 ||
	    child_tls_addenv(env, &n, &buf, &len, "SSL_CLIENT_S_DN",
	    ti.ti_sdn) == -1 ||
	    child_tls_addenv(env, &n, &buf, &len, "SSL_CLIENT_I_DN",
	    ti.ti_idn) == -1 ||
	    child_tls_addenv(env, &n, &buf, &len, "SSL_CLIENT_M_SERIAL",
	    ti.ti_serial) == -1 ||
	    child_tls_addenv(env, &n, &buf, &len, "SSL_TLS_SNI",
	    ti.ti_sni) == -1)
		child_fail(status, CHILD_TLS);
	return env;
}

static int
child_addenv(char **env, int *n, const char *name, const char *value)
{
	if (asprintf(&env[*n], "%s=%s", name, value) == -1)
		return -1;
	(*n)++;
	return 0;
}

/* An internet address and its port, as text; -1 for another family. */
int
child_addr(const struct sockaddr_storage *ss, char *host, size_t hostlen,
    char *port, size_t portlen)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	switch (ss->ss_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)ss;
		if (inet_ntop(AF_INET, &sin->sin_addr, host, hostlen) == NULL)
			return -1;
		snprintf(port, portlen, "%u", ntohs(sin->sin_port));
		return 0;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)ss;
		if (inet_ntop(AF_INET6, &sin6->sin6_addr, host, hostlen) ==
		    NULL)
			return -1;
		snprintf(port, portlen, "%u", ntohs(sin6->sin6_port));
		return 0;
	}
	return -1;
}

/*
 * pfx whereIP and pfx wherePORT for an internet address, and with cgi
 * REMOTE_ADDR and REMOTE_PORT as CGI has them; nothing for another
 * family.
 */
static int
child_addenv_addr(char **env, int *n, const char *pfx, const char *where,
    const struct sockaddr_storage *ss, int cgi)
{
	char	 host[INET6_ADDRSTRLEN], port[8], name[32];

	if (child_addr(ss, host, sizeof(host), port, sizeof(port)) == -1)
		return 0;
	snprintf(name, sizeof(name), "%s%sIP", pfx, where);
	if (child_addenv(env, n, name, host) == -1)
		return -1;
	snprintf(name, sizeof(name), "%s%sPORT", pfx, where);
	if (child_addenv(env, n, name, port) == -1)
		return -1;
	if (cgi && (child_addenv(env, n, "REMOTE_ADDR", host) == -1 ||
	    child_addenv(env, n, "REMOTE_PORT", port) == -1))
		return -1;
	return 0;
}

/*
 * The environment of a service, in UCSPI form.  The addresses come from
 * the socket itself, never from what the listener says, except for a
 * proxy= service: there the PROXY header's client and destination (mp,
 * checked by the spawner), and the front end as PROXYREMOTEIP and
 * PROXYREMOTEPORT.
 */
char **
child_environ(int fd, const struct servconf *se, const struct msg_proxy *mp)
{
	struct sockaddr_storage	 local, peer;
	socklen_t		 len;
	char			**env, pfx[8];
	const char		*proto;
	int			 n = 0;

	if ((env = calloc(CHILD_MAXENV + 1, sizeof(*env))) == NULL)
		return NULL;
	if (se->se_family == AF_UNIX)
		proto = "UNIX";
	else
		proto = se->se_protocol == IPPROTO_UDP ? "UDP" : "TCP";
	snprintf(pfx, sizeof(pfx), "%s", proto);
	if (child_addenv(env, &n, "PATH", INETD_PATH) == -1 ||
	    child_addenv(env, &n, "PROTO", proto) == -1)
		goto fail;

	if (se->se_family == AF_UNIX) {
		struct ucred	 uc;
		char		 num[16];

		/* The peer's credentials, as the kernel saw them. */
		len = sizeof(uc);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 &&
		    uc.pid > 0) {
			snprintf(num, sizeof(num), "%d", (int)uc.pid);
			if (child_addenv(env, &n, "UNIXREMOTEPID", num) == -1)
				goto fail;
			snprintf(num, sizeof(num), "%u", uc.uid);
			if (child_addenv(env, &n, "UNIXREMOTEEUID", num) == -1)
				goto fail;
			snprintf(num, sizeof(num), "%u", uc.gid);
			if (child_addenv(env, &n, "UNIXREMOTEEGID", num) == -1)
				goto fail;
		}
		return env;
	}
	/*
	 * The socket's own addresses; behind a front end, the ones its
	 * header named, with the front end as PROXYREMOTE.
	 */
	len = sizeof(local);
	memset(&local, 0, sizeof(local));
	if (mp != NULL && !mp->mp_local)
		memcpy(&local, &mp->mp_dst, sizeof(local));
	else if (getsockname(fd, (struct sockaddr *)&local, &len) == -1)
		local.ss_family = AF_UNSPEC;
	len = sizeof(peer);
	memset(&peer, 0, sizeof(peer));
	if (getpeername(fd, (struct sockaddr *)&peer, &len) == -1)
		peer.ss_family = AF_UNSPEC;
	if (child_addenv_addr(env, &n, pfx, "LOCAL", &local, 0) == -1 ||
	    (mp != NULL &&
	    child_addenv_addr(env, &n, "PROXY", "REMOTE", &peer, 0) == -1) ||
	    child_addenv_addr(env, &n, pfx, "REMOTE",
	    mp != NULL ? &mp->mp_src : &peer, 1) == -1)
		goto fail;
	return env;
 fail:
	child_environ_free(env);
	return NULL;
}

void
child_environ_free(char **env)
{
	char	**p;

	if (env == NULL)
		return;
	for (p = env; *p != NULL; p++)
		free(*p);
	free(env);
}
