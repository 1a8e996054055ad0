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
 * inetdctl: ask a running inetd over its control socket.  One request
 * per run: a message of fixed size, then the answers until the last.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inetd.h"

#define INETDCTL_TRIES		50	/* busy: 100 ms apart */

static const struct {
	const char	*c_words;
	enum ctl_cmd	 c_cmd;
	int		 c_arg;		/* 0: none, 1: needed, 2: optional */
} inetdctl_cmds[] = {
	{ "show",		CTL_SHOW_SERVICES,	0 },
	{ "show services",	CTL_SHOW_SERVICES,	0 },
	{ "show connections",	CTL_SHOW_CONNECTIONS,	2 },
	{ "reload",		CTL_RELOAD,		0 },
	{ "pause",		CTL_PAUSE,		1 },
	{ "resume",		CTL_RESUME,		1 },
	{ "kill",		CTL_KILL,		1 },
	{ "log brief",		CTL_LOG_BRIEF,		0 },
	{ "log verbose",	CTL_LOG_VERBOSE,	0 },
};

static const char *const inetdctl_states[CTL_NSTATES] = {
	[CTL_SERVING] = "serving",
	[CTL_PAUSED] = "paused",
	[CTL_RESTING] = "paused",
	[CTL_FULL] = "full",
	[CTL_DISABLED] = "disabled",
	[CTL_NOTLISTENING] = "not listening",
};

static int	 jflag;
static int	 nshown;

/* Answers are kept until the last says they are all there. */
static struct ctl_service *services;
static struct ctl_conn	*conns;
static size_t		 nservices, nconns;

static __dead void
usage(void)
{
	fprintf(stderr, "usage: inetdctl [-j] [-s socket] command "
	    "[argument]\n"
	    "commands: show [services], show connections [service], "
	    "reload,\n"
	    "\tpause service, resume service, kill service, "
	    "log brief|verbose\n");
	exit(1);
}

/* A JSON string: quotes, backslashes and every byte not ASCII escaped. */
static void
json_str(const char *s)
{
	const unsigned char	*p;

	putchar('"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void
json_key(const char *key)
{
	printf("\"%s\": ", key);
}

static void
inetdctl_status(char *buf, size_t len, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		snprintf(buf, len, "confinement violation");
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status %d", status);
}

static void
inetdctl_time(char *buf, size_t len, int64_t t)
{
	time_t		 tt = t;
	struct tm	*tm;

	if ((tm = localtime(&tt)) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

static void
show_service_json(const struct ctl_service *cs)
{
	const struct ctl_counters	*cc = &cs->cs_count;
	char				 how[64];

	printf("%s\n    {", nshown++ ? "," : "");
	json_key("name");
	json_str(cs->cs_name);
	printf(", ");
	json_key("address");
	json_str(cs->cs_addr);
	printf(", ");
	json_key("program");
	json_str(cs->cs_program);
	printf(", ");
	json_key("user");
	json_str(cs->cs_user);
	printf(", ");
	json_key("state");
	json_str(inetdctl_states[cs->cs_state]);
	printf(", ");
	json_key("paused_until");
	if (cs->cs_state == CTL_RESTING)
		printf("%lld", (long long)cs->cs_until);
	else
		printf("null");
	printf(", ");
	json_key("paused_by");
	if (cs->cs_state == CTL_RESTING)
		json_str("rate");
	else if (cs->cs_state == CTL_PAUSED)
		json_str("inetdctl");
	else
		printf("null");
	printf(",\n     \"accepted\": %llu, \"answered\": %llu, "
	    "\"spawned\": %llu, \"running\": %u,\n",
	    (unsigned long long)cc->cc_accepted,
	    (unsigned long long)cc->cc_answered,
	    (unsigned long long)cc->cc_spawned, cs->cs_running);
	printf("     \"refused\": {\"access_list\": %llu, \"per_source\": "
	    "%llu, \"max_child\": %llu, \"rate\": %llu, \"proxy\": %llu, "
	    "\"paused\": %llu},\n",
	    (unsigned long long)cc->cc_refacl,
	    (unsigned long long)cc->cc_refsource,
	    (unsigned long long)cc->cc_refmaxchild,
	    (unsigned long long)cc->cc_refrate,
	    (unsigned long long)cc->cc_refproxy,
	    (unsigned long long)cc->cc_refpaused);
	printf("     \"confinement_violations\": %llu, \"spawn_failures\": "
	    "%llu, \"last_exit\": ",
	    (unsigned long long)cc->cc_violations,
	    (unsigned long long)cc->cc_failed);
	if (cc->cc_lastexit == 0)
		printf("null}");
	else {
		inetdctl_status(how, sizeof(how), cc->cc_laststatus);
		printf("{\"pid\": %d, \"how\": ", cc->cc_lastpid);
		json_str(how);
		printf(", \"time\": %lld}}", (long long)cc->cc_lastexit);
	}
}

static void
show_service_text(const struct ctl_service *cs)
{
	const struct ctl_counters	*cc = &cs->cs_count;
	char				 state[96], how[64], when[64];
	const char			*sep = "";

	if (cs->cs_state == CTL_RESTING) {
		inetdctl_time(when, sizeof(when), cs->cs_until);
		snprintf(state, sizeof(state), "paused until %s", when + 11);
	} else
		strlcpy(state, inetdctl_states[cs->cs_state], sizeof(state));
	printf("%s\t%s\t%s\t%s\n", cs->cs_name, state, cs->cs_addr,
	    cs->cs_program);
	if (cs->cs_state == CTL_DISABLED || cs->cs_state == CTL_NOTLISTENING)
		return;
	printf("\taccepted %llu, answered %llu, spawned %llu, running %u\n",
	    (unsigned long long)cc->cc_accepted,
	    (unsigned long long)cc->cc_answered,
	    (unsigned long long)cc->cc_spawned, cs->cs_running);
	if (cc->cc_refacl + cc->cc_refsource + cc->cc_refmaxchild +
	    cc->cc_refrate + cc->cc_refproxy + cc->cc_refpaused > 0) {
		printf("\trefused:");
#define REFUSED(n, what) do {						\
	if ((n) > 0) {							\
		printf("%s %s %llu", sep, what, (unsigned long long)(n)); \
		sep = ",";						\
	}								\
} while (0)
		REFUSED(cc->cc_refacl, "access list");
		REFUSED(cc->cc_refsource, "per-source");
		REFUSED(cc->cc_refmaxchild, "max-child");
		REFUSED(cc->cc_refrate, "rate");
		REFUSED(cc->cc_refproxy, "proxy");
		REFUSED(cc->cc_refpaused, "paused");
#undef REFUSED
		printf("\n");
	}
	if (cc->cc_violations > 0 || cc->cc_failed > 0)
		printf("\tconfinement violations %llu, spawn failures %llu\n",
		    (unsigned long long)cc->cc_violations,
		    (unsigned long long)cc->cc_failed);
	if (cc->cc_lastexit != 0) {
		inetdctl_status(how, sizeof(how), cc->cc_laststatus);
		inetdctl_time(when, sizeof(when), cc->cc_lastexit);
		printf("\tlast exit: pid %d, %s, %s\n", cc->cc_lastpid, how,
		    when);
	}
}

static void
show_conn(const struct ctl_conn *cn)
{
	if (jflag) {
		printf("%s\n    {\"pid\": %d, ", nshown++ ? "," : "",
		    cn->cn_pid);
		json_key("service");
		json_str(cn->cn_name);
		printf(", ");
		json_key("peer");
		json_str(cn->cn_peer);
		printf(", ");
		json_key("user");
		json_str(cn->cn_user);
		printf(", \"age\": %llu.%03llu}",
		    (unsigned long long)(cn->cn_msec / 1000),
		    (unsigned long long)(cn->cn_msec % 1000));
		return;
	}
	if (nshown++ == 0)
		printf("PID\tSERVICE\tPEER\tUSER\tAGE\n");
	printf("%d\t%s\t%s\t%s\t%llu.%03llu s\n", cn->cn_pid, cn->cn_name,
	    cn->cn_peer[0] != '\0' ? cn->cn_peer : "-",
	    cn->cn_user[0] != '\0' ? cn->cn_user : "-",
	    (unsigned long long)(cn->cn_msec / 1000),
	    (unsigned long long)(cn->cn_msec % 1000));
}

/* Send the request, and read answers until the last; its status. */
static int
inetdctl_ask(const char *path, const struct msg_ctl *mct,
    struct ctl_end *ce)
{
	struct sockaddr_un	 sun;
	struct chan		 c;
	struct imsg		 im;
	struct ctl_service	 cs;
	struct ctl_conn		 cn;
	struct pollfd		 pfd;
	int			 fd, r;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		errx(1, "%s: path too long", path);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "%s", path);
	chan_init(&c, fd, "inetd", NULL, NULL);
	if (chan_send_sync(&c, IMSG_CTL, -1, mct, sizeof(*mct)) == -1)
		err(1, "%s: send", path);
	nservices = nconns = 0;
	for (;;) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if ((r = chan_read(&c, &im)) == 0)
			continue;
		if (r == -1)
			errx(1, "%s: %s", path, c.ch_eof ?
			    "inetd closed the connection" : c.ch_err);
		switch (im.hdr.type) {
		case IMSG_CTL_SERVICE:
			if (im.datalen != sizeof(cs))
				errx(1, "%s: bad answer", path);
			memcpy(&cs, im.data, sizeof(cs));
			if (cs.cs_state >= CTL_NSTATES)
				errx(1, "%s: bad answer", path);
			cs.cs_name[sizeof(cs.cs_name) - 1] = '\0';
			cs.cs_addr[sizeof(cs.cs_addr) - 1] = '\0';
			cs.cs_program[sizeof(cs.cs_program) - 1] = '\0';
			cs.cs_user[sizeof(cs.cs_user) - 1] = '\0';
			if ((services = reallocarray(services, nservices + 1,
			    sizeof(*services))) == NULL)
				err(1, "reallocarray");
			services[nservices++] = cs;
			break;
		case IMSG_CTL_CONN:
			if (im.datalen != sizeof(cn))
				errx(1, "%s: bad answer", path);
			memcpy(&cn, im.data, sizeof(cn));
			cn.cn_name[sizeof(cn.cn_name) - 1] = '\0';
			cn.cn_peer[sizeof(cn.cn_peer) - 1] = '\0';
			cn.cn_user[sizeof(cn.cn_user) - 1] = '\0';
			if ((conns = reallocarray(conns, nconns + 1,
			    sizeof(*conns))) == NULL)
				err(1, "reallocarray");
			conns[nconns++] = cn;
			break;
		case IMSG_CTL_END:
			if (im.datalen != sizeof(*ce))
				errx(1, "%s: bad answer", path);
			memcpy(ce, im.data, sizeof(*ce));
			ce->ce_text[sizeof(ce->ce_text) - 1] = '\0';
			close(fd);
			return ce->ce_status;
		default:
			errx(1, "%s: unexpected answer", path);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct msg_ctl	 mct;
	struct ctl_end	*ce;
	const char	*path = INETD_SOCKET, *arg = NULL;
	char		 words[64];
	size_t		 i;
	int		 ch, n, status, tries;

	while ((ch = getopt(argc, argv, "js:")) != -1) {
		switch (ch) {
		case 'j':
			jflag = 1;
			break;
		case 's':
			path = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();

	/* The longest run of words that names a command. */
	memset(&mct, 0, sizeof(mct));
	for (n = argc < 2 ? argc : 2; n > 0; n--) {
		snprintf(words, sizeof(words), "%s%s%s", argv[0],
		    n == 2 ? " " : "", n == 2 ? argv[1] : "");
		for (i = 0; i < nitems(inetdctl_cmds); i++)
			if (strcmp(words, inetdctl_cmds[i].c_words) == 0)
				break;
		if (i < nitems(inetdctl_cmds))
			break;
	}
	if (n == 0)
		usage();
	argc -= n;
	argv += n;
	if (argc > 1 || (argc == 1 && inetdctl_cmds[i].c_arg == 0) ||
	    (argc == 0 && inetdctl_cmds[i].c_arg == 1))
		usage();
	if (argc == 1) {
		arg = argv[0];
		if (strlcpy(mct.mct_service, arg, sizeof(mct.mct_service)) >=
		    sizeof(mct.mct_service))
			errx(1, "%s: name too long", arg);
	}
	mct.mct_version = CTL_VERSION;
	mct.mct_cmd = inetdctl_cmds[i].c_cmd;
	mct.mct_index = CTL_ALL;

	if ((ce = calloc(1, sizeof(*ce))) == NULL)
		err(1, "calloc");
	for (tries = 0; ; tries++) {
		status = inetdctl_ask(path, &mct, ce);
		if (status != CTL_BUSY || tries >= INETDCTL_TRIES)
			break;
		usleep(100 * 1000);
	}
	if (status == 0 && (mct.mct_cmd == CTL_SHOW_SERVICES ||
	    mct.mct_cmd == CTL_SHOW_CONNECTIONS)) {
		if (jflag)
			printf("{\"generation\": %u, \"%s\": [", ce->ce_gen,
			    mct.mct_cmd == CTL_SHOW_SERVICES ? "services" :
			    "connections");
		for (i = 0; i < nservices; i++)
			if (jflag)
				show_service_json(&services[i]);
			else
				show_service_text(&services[i]);
		for (i = 0; i < nconns; i++)
			show_conn(&conns[i]);
		if (jflag)
			printf("%s]}\n", nshown ? "\n  " : "");
	} else if (jflag) {
		printf("{\"ok\": %s, \"generation\": %u, \"message\": ",
		    status == 0 ? "true" : "false", ce->ce_gen);
		json_str(ce->ce_text);
		printf("}\n");
	}
	if (status != 0) {
		if (!jflag)
			fprintf(stderr, "inetdctl: %s\n", ce->ce_text);
		free(ce);
		return 1;
	}
	if (!jflag && ce->ce_text[0] != '\0')
		printf("%s\n", ce->ce_text);
	free(ce);
	return 0;
}
