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
 * Users and groups, looked up for the parent by a child of its own that
 * lives for one load.  The C library answers getpwnam(3) and its kin
 * through the modules nsswitch.conf(5) names (systemd, sss, ldap, ...),
 * which it loads into the caller with the libraries they need and never
 * unloads: 400 kB and more of code and data, and whatever a directory
 * server's answers do to them, in a process that runs as root for
 * months.  The parent asks instead; the lookup process, started at the
 * first question of a load and ended with it, runs the lookups.
 *
 * It is a fresh execution of the parent's binary, as the roles are, not
 * a fork: a fork of a parent holding a large table would have every page
 * the parse writes meanwhile copied.  It has the parent's credentials
 * and looks up what the parent would have.  Its answers are checked all
 * the same, as it runs the modules' code: one that breaks the protocol,
 * dies or takes longer than NAMES_TIMEOUT fails the lookup, and so the
 * load; the table in force stays.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

#define NAMES_TIMEOUT	30000	/* ms for one answer */

enum names_op {
	NAMES_PWNAM = 1,
	NAMES_PWUID,
	NAMES_GRNAM,
	NAMES_GRGID,
	NAMES_GROUPS
};

struct names_req {
	uint32_t	 nq_op;
	uint32_t	 nq_id;		/* uid, gid; NAMES_GROUPS: the gid */
	char		 nq_name[NAMES_MAX];
};

struct names_rep {
	int32_t		 nr_found;	/* 1, 0; NAMES_GROUPS -1: too many */
	uint32_t	 nr_uid;
	uint32_t	 nr_gid;
	int32_t		 nr_ngroups;
	uint32_t	 nr_groups[CONF_MAXGROUPS];
	char		 nr_name[NAMES_MAX];
};

static int	 names_fd = -1;
static pid_t	 names_pid = -1;
static int	 names_exefd = -1;
static char	 names_err[128];

static int	 names_ask(struct names_req *, struct names_rep *);
static int	 names_fail(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));

/*
 * The lookup process (inetd -P lookup): one answer per question on its
 * channel until the parent hangs up.  It keeps the parent's signals
 * blocked and dies with it.
 */
__dead void
names_main(void)
{
	struct names_req	 q;
	struct names_rep	 a;
	struct passwd		*pw;
	struct group		*gr;
	gid_t			 groups[CONF_MAXGROUPS];
	sigset_t		 all;
	ssize_t			 n;
	int			 fd = INETD_CHANFD, ng, i;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		_exit(1);
	setproctitle("lookup");
	for (;;) {
		n = recv(fd, &q, sizeof(q), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != sizeof(q))
			_exit(n == 0 ? 0 : 1);
		q.nq_name[sizeof(q.nq_name) - 1] = '\0';
		memset(&a, 0, sizeof(a));
		pw = NULL;
		gr = NULL;
		switch (q.nq_op) {
		case NAMES_PWNAM:
			pw = getpwnam(q.nq_name);
			break;
		case NAMES_PWUID:
			pw = getpwuid(q.nq_id);
			break;
		case NAMES_GRNAM:
			gr = getgrnam(q.nq_name);
			break;
		case NAMES_GRGID:
			gr = getgrgid(q.nq_id);
			break;
		case NAMES_GROUPS:
			ng = CONF_MAXGROUPS;
			if (getgrouplist(q.nq_name, q.nq_id, groups,
			    &ng) == -1 || ng < 0 || ng > CONF_MAXGROUPS) {
				a.nr_found = -1;
				break;
			}
			a.nr_found = 1;
			a.nr_ngroups = ng;
			for (i = 0; i < ng; i++)
				a.nr_groups[i] = groups[i];
			break;
		default:
			_exit(1);
		}
		if (pw != NULL) {
			a.nr_found = 1;
			a.nr_uid = pw->pw_uid;
			a.nr_gid = pw->pw_gid;
			if (strlcpy(a.nr_name, pw->pw_name,
			    sizeof(a.nr_name)) >= sizeof(a.nr_name))
				a.nr_found = 0;
		} else if (gr != NULL) {
			a.nr_found = 1;
			a.nr_gid = gr->gr_gid;
		}
		if (send(fd, &a, sizeof(a), MSG_NOSIGNAL) != sizeof(a))
			_exit(1);
	}
}

/* Which binary the lookup process runs: inetd's own, held open. */
void
names_setexe(int fd)
{
	names_exefd = fd;
}

static int
names_start(void)
{
	if (names_exefd == -1 && (names_exefd = open("/proc/self/exe",
	    O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(names_err, sizeof(names_err), "/proc/self/exe: %s",
		    strerror(errno));
		return -1;
	}
	if ((names_pid = proc_start(names_exefd, ROLE_LOOKUP,
	    &names_fd)) == -1) {
		snprintf(names_err, sizeof(names_err), "the lookup process: "
		    "%s", strerror(errno));
		return -1;
	}
	return 0;
}

/* End the lookup process and wait for it: the parent's reaper ignores it. */
void
names_done(void)
{
	if (names_fd != -1)
		close(names_fd);
	names_fd = -1;
	if (names_pid > 0) {
		/* A child stuck in a lookup gets no say. */
		kill(names_pid, SIGKILL);
		while (waitpid(names_pid, NULL, 0) == -1 && errno == EINTR)
			;
	}
	names_pid = -1;
}

/* Why, for names_error(); the lookup process is ended. */
static int
names_fail(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(names_err, sizeof(names_err), fmt, ap);
	va_end(ap);
	names_done();
	return -1;
}

/* One question, one answer within NAMES_TIMEOUT, checked. */
static int
names_ask(struct names_req *q, struct names_rep *a)
{
	struct pollfd	 pfd;
	ssize_t		 n;
	int		 i;

	if (names_fd == -1 && names_start() == -1)
		return -1;
	if (send(names_fd, q, sizeof(*q), MSG_NOSIGNAL) != sizeof(*q))
		return names_fail("the lookup process: %s", strerror(errno));
	pfd.fd = names_fd;
	pfd.events = POLLIN;
	for (;;) {
		i = poll(&pfd, 1, NAMES_TIMEOUT);
		if (i == -1 && errno == EINTR)
			continue;
		if (i == 0)
			return names_fail("the lookup process: no answer in "
			    "%d s", NAMES_TIMEOUT / 1000);
		if (i != 1)
			return names_fail("the lookup process: %s",
			    strerror(errno));
		break;
	}
	n = recv(names_fd, a, sizeof(*a), MSG_DONTWAIT | MSG_TRUNC);
	if (n != sizeof(*a))
		return names_fail("the lookup process %s",
		    n == 0 ? "ended" : "broke the protocol");
	if (a->nr_found < -1 || a->nr_found > 1 ||
	    (a->nr_found == -1 && q->nq_op != NAMES_GROUPS) ||
	    a->nr_ngroups < 0 || a->nr_ngroups > CONF_MAXGROUPS ||
	    memchr(a->nr_name, '\0', sizeof(a->nr_name)) == NULL)
		return names_fail("the lookup process %s",
		    "broke the protocol");
	return 0;
}

static int
names_ask_name(enum names_op op, const char *name, uint32_t id,
    struct names_rep *a)
{
	struct names_req	 q;

	memset(&q, 0, sizeof(q));
	q.nq_op = op;
	q.nq_id = id;
	if (name != NULL && strlcpy(q.nq_name, name, sizeof(q.nq_name)) >=
	    sizeof(q.nq_name)) {
		memset(a, 0, sizeof(*a));
		return 0;	/* no such name can exist */
	}
	return names_ask(&q, a);
}

static int
names_pw(enum names_op op, const char *name, uid_t uid, struct names_pw *pw)
{
	struct names_rep	 a;

	if (names_ask_name(op, name, uid, &a) == -1)
		return -1;
	if (a.nr_found != 1)
		return 0;
	pw->np_uid = a.nr_uid;
	pw->np_gid = a.nr_gid;
	strlcpy(pw->np_name, a.nr_name, sizeof(pw->np_name));
	return 1;
}

/* 1 and the entry, 0 for no such user, -1 if the lookup failed. */
int
names_getpwnam(const char *name, struct names_pw *pw)
{
	return names_pw(NAMES_PWNAM, name, 0, pw);
}

int
names_getpwuid(uid_t uid, struct names_pw *pw)
{
	return names_pw(NAMES_PWUID, NULL, uid, pw);
}

/* 1 and its gid, 0 for no such group, -1 if the lookup failed. */
int
names_getgrnam(const char *name, gid_t *gid)
{
	struct names_rep	 a;

	if (names_ask_name(NAMES_GRNAM, name, 0, &a) == -1)
		return -1;
	if (a.nr_found == 1)
		*gid = a.nr_gid;
	return a.nr_found == 1;
}

int
names_getgrgid(gid_t gid)
{
	struct names_rep	 a;

	if (names_ask_name(NAMES_GRGID, NULL, gid, &a) == -1)
		return -1;
	return a.nr_found == 1;
}

/*
 * The groups of user with gid among them, as getgrouplist(3) gives them
 * for initgroups(3): 1, 0 if more than *ngroups, -1 if the lookup failed.
 */
int
names_grouplist(const char *user, gid_t gid, gid_t *groups, int *ngroups)
{
	struct names_rep	 a;
	int			 i;

	if (names_ask_name(NAMES_GROUPS, user, gid, &a) == -1)
		return -1;
	if (a.nr_found != 1 || a.nr_ngroups > *ngroups)
		return 0;
	for (i = 0; i < a.nr_ngroups; i++)
		groups[i] = a.nr_groups[i];
	*ngroups = a.nr_ngroups;
	return 1;
}

/* Why the last lookup failed. */
const char *
names_error(void)
{
	return names_err;
}
