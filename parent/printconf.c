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
 * inetd -n: each service as it will run, with its effective confinement,
 * and what an admin should look at twice.  Only the parent prints.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "inetd.h"

#define PRINTCONF_ACLSHOWN	8	/* rules of a list shown in full */

static void	 printconf_address(const struct servconf *);
static void	 printconf_acl_list(const struct servconf *, int, int);
static void	 printconf_access(const struct servconf *);
static void	 printconf_confinement(const struct servconf *);
static void	 printconf_warnings(const struct servconf *);
/* The capabilities a root daemon uses to give up root by itself. */
#define PRINTCONF_DROPCAPS	(1ULL << 6 | 1ULL << 7 | 1ULL << 18)

static void	 printconf_caps(const struct servconf *);
static int	 printconf_writable(const struct servconf *);
static void	 printconf_shared(const struct conf *, const struct servconf *);

/*
 * The capabilities a service keeps: for root in every set, for another
 * user as ambient ones, which its children inherit too.
 */
static void
printconf_caps(const struct servconf *se)
{
	const char	*name;
	int		 i, n = 0;

	if (se->se_caps == CONF_CAPS_ALL)
		printf("all");
	else if (se->se_caps == 0)
		printf("none");
	for (i = 0; se->se_caps != CONF_CAPS_ALL && i < 64; i++) {
		if (!(se->se_caps & (1ULL << i)) ||
		    (name = conf_cap_name(i)) == NULL)
			continue;
		printf("%s%s", n++ ? "," : "", name);
	}
	if (se->se_caps != 0)
		printf(" (%s)", se->se_uid == 0 ? "root" : "ambient");
}

/* How a service will be confined, as inetd -n shows it. */
static void
printconf_confinement(const struct servconf *se)
{
	char	 buf[64];
	int	 i;

	printf("\tconfinement:");
	if (se->se_builtin != BI_NONE) {
		printf(" built-in, served by the listener%s",
		    se->se_udpreflect && se->se_socktype == SOCK_DGRAM ?
		    ", udp-reflect=yes" : "");
		if (se->se_timeout && se->se_socktype == SOCK_STREAM &&
		    se->se_builtin != BI_TCPMUX)
			printf(", timeout %ds", se->se_timeout);
		printf("\n");
		return;
	}
	if (se->se_newprivs)
		printf(" baseline filter, new-privileges=yes (no "
		    "no-new-privileges, no Landlock, capabilities as the "
		    "program gains them)");
	else {
		printf(" baseline filter, no-new-privileges, capabilities ");
		printconf_caps(se);
	}
	printf(", chroot %s", se->se_chroot[0] ? se->se_chroot : "none");
	printf(", pledge %s%s%s", se->se_pledge[0] ? "\"" : "",
	    se->se_pledge[0] ? se->se_pledge : "none",
	    se->se_pledge[0] ? "\"" : "");
	printf(", unveil");
	if (se->se_nunveil == 0)
		printf(" none");
	for (i = 0; i < se->se_nunveil; i++)
		printf("%s %s %s%s%s%s", i ? "," : "",
		    se->se_unveil[i].ur_path,
		    se->se_unveil[i].ur_perms & UNVEIL_R ? "r" : "",
		    se->se_unveil[i].ur_perms & UNVEIL_W ? "w" : "",
		    se->se_unveil[i].ur_perms & UNVEIL_X ? "x" : "",
		    se->se_unveil[i].ur_perms & UNVEIL_C ? "c" : "");
	if (se->se_nunveil)
		printf(" (landlock=%s)", se->se_landlock ==
		    CONF_LANDLOCK_AUTO ? "auto" : "required");
	printf(", umask %03o", se->se_umask);
	if (se->se_niceset)
		printf(", nice %d", se->se_nice);
	for (i = 0; i < CONF_NRLIMITS; i++) {
		if (!se->se_rlimit[i].rl_set)
			continue;
		if (se->se_rlimit[i].rl_value == RLIM_INFINITY)
			strlcpy(buf, "infinity", sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)
			    se->se_rlimit[i].rl_value);
		printf(", %s %s", conf_rlimit_name(i), buf);
	}
	if (se->se_sndbuf)
		printf(", sndbuf %d", se->se_sndbuf);
	if (se->se_rcvbuf)
		printf(", rcvbuf %d", se->se_rcvbuf);
	printf(", max %d per %ds", se->se_max, CONF_RATEPERIOD);
	if (se->se_maxchild)
		printf(", max-child %d", se->se_maxchild);
	/* Where it applies: a stream nowait service with a max-child. */
	if (se->se_maxchild && !se->se_wait &&
	    se->se_socktype == SOCK_STREAM)
		printf(" (%s)", se->se_fullaction == CONF_FULL_REFUSE ?
		    "refuse" : "wait");
	if (se->se_timeout)
		printf(", timeout %ds", se->se_timeout);
	printf("\n");
}

/* The allow or deny rules of an entry; the first few if there are many. */
static void
printconf_acl_list(const struct servconf *se, int list, int deny)
{
	char	 buf[INET6_ADDRSTRLEN + 8];
	int	 i, n = 0, shown = 0;

	for (i = 0; i < se->se_nacl; i++)
		if (se->se_acl[i].ar_deny == deny &&
		    se->se_acl[i].ar_list == list)
			n++;
	if (list == ACL_ACCESS)
		printf("%s", deny ? "deny" : "allow");
	if (n == 0) {
		printf(" none");
		return;
	}
	if (n > PRINTCONF_ACLSHOWN)
		printf(" %d rules, first", n);
	for (i = 0; i < se->se_nacl && shown < PRINTCONF_ACLSHOWN; i++) {
		if (se->se_acl[i].ar_deny != deny ||
		    se->se_acl[i].ar_list != list)
			continue;
		if (acl_rule_format(&se->se_acl[i], buf, sizeof(buf)) == -1)
			strlcpy(buf, "?", sizeof(buf));
		printf("%s %s", shown++ ? "," : "", buf);
	}
	if (n > shown)
		printf(", ...");
}

/* Who may connect, as the listener and the spawner will decide it. */
static void
printconf_access(const struct servconf *se)
{
	const struct acl_rule	*r;
	int			 i, local = se->se_family == AF_UNIX;
	int			 closed = 0, n = 0;

	if (se->se_proxy != CONF_PROXY_NONE) {
		printf("\tproxy: a PROXY protocol %s header, from",
		    se->se_proxy == CONF_PROXY_V1 ? "v1" :
		    se->se_proxy == CONF_PROXY_V2 ? "v2" : "v1 or v2");
		printconf_acl_list(se, ACL_PROXYFROM, 0);
		printf(" only; within 5 seconds; the lists and limits below "
		    "apply to the client it names\n");
	}
	for (i = 0; i < se->se_nacl; i++)
		if (se->se_acl[i].ar_list == ACL_ACCESS)
			n++;
	printf("\taccess: ");
	if (n == 0) {
		printf("every peer (no allow= or deny=)\n");
		return;
	}
	printconf_acl_list(se, ACL_ACCESS, 0);
	printf("; ");
	printconf_acl_list(se, ACL_ACCESS, 1);
	for (i = 0; i < se->se_nacl; i++) {
		r = &se->se_acl[i];
		if (r->ar_list == ACL_ACCESS && !r->ar_deny &&
		    local == (r->ar_kind == ACL_UID ||
		    r->ar_kind == ACL_GID))
			closed = 1;
	}
	printf("; others %s", closed ? "refused" : "allowed");
	if (se->se_socktype == SOCK_DGRAM && se->se_builtin == BI_NONE)
		printf(" (checked on the datagram that starts the program)");
	else if (se->se_socktype == SOCK_DGRAM)
		printf(" (checked per datagram; its source can be forged)");
	if (se->se_denybanner[0] != '\0')
		printf("; deny-banner \"%s\"", se->se_denybanner);
	printf("\n");
}

/* What a tls=yes entry offers. */
static void
printconf_tls(const struct servconf *se)
{
	char	 info[512], warn[512], err[512];

	if (!se->se_tls)
		return;
	if (tlsfiles_check(se, NULL, info, sizeof(info), warn, sizeof(warn), err,
	    sizeof(err)) == -1)
		printf("\ttls: %s\n", err);
	else
		printf("\ttls: %s\n", info);
}

/* The per-source limits, as the listener will apply them. */
static void
printconf_sources(const struct servconf *se)
{
	if (se->se_family == AF_UNIX || se->se_wait ||
	    se->se_socktype != SOCK_STREAM || se->se_builtin == BI_TCPMUX)
		return;
	printf("\tper source:");
	if (se->se_persource == 0 && se->se_srcrate == 0) {
		printf(" no limit\n");
		return;
	}
	if (se->se_persource > 0)
		printf(" %d at once", se->se_persource);
	if (se->se_srcrate > 0)
		printf("%s %d per %ds", se->se_persource > 0 ? "," : "",
		    se->se_srcrate, se->se_srcperiod);
	printf("; a source is an IPv4 /%d or an IPv6 /%d; over a limit, "
	    "refused at once\n", se->se_srcprefix4, se->se_srcprefix6);
}

/* What an admin should look at twice. */
static void
printconf_warnings(const struct servconf *se)
{
	static struct names_pw	 inetd;
	static int		 looked, found;

	fflush(stdout);
	if (se->se_builtin == BI_NONE && se->se_uid == 0 &&
	    se->se_pledge[0] == '\0' && se->se_nunveil == 0)
		fprintf(stderr, "%s:%d: warning: %s/%s runs as root without "
		    "pledge or unveil\n", se->se_file, se->se_line,
		    se->se_service, se->se_proto);
	if (se->se_newprivs)
		fprintf(stderr, "%s:%d: warning: %s/%s runs without "
		    "no-new-privileges and Landlock (new-privileges=yes); "
		    "the baseline filter stays\n", se->se_file,
		    se->se_line, se->se_service, se->se_proto);
	/* What a classic root daemon needs to drop root on its own. */
	if (se->se_builtin == BI_NONE && !se->se_newprivs &&
	    se->se_uid == 0 && (se->se_caps & PRINTCONF_DROPCAPS) !=
	    PRINTCONF_DROPCAPS)
		fprintf(stderr, "%s:%d: warning: %s/%s runs as root without "
		    "some of setuid, setgid, sys_chroot (caps): a program "
		    "that changes its own user, groups or root fails\n",
		    se->se_file, se->se_line, se->se_service, se->se_proto);
	if (se->se_builtin == BI_NONE && se->se_uid != 0 && se->se_caps != 0)
		fprintf(stderr, "%s:%d: warning: %s/%s: user %s holds "
		    "capabilities as ambient ones, and so does every program "
		    "it runs\n", se->se_file, se->se_line, se->se_service,
		    se->se_proto, se->se_user);
	/* Allowed by udp-reflect=yes, or it would not have parsed. */
	if (se->se_builtin != BI_NONE && se->se_socktype == SOCK_DGRAM &&
	    !conf_loopback(se))
		fprintf(stderr, "%s:%d: warning: UDP built-in %s on a "
		    "non-loopback address can be abused to reflect "
		    "traffic (udp-reflect=yes; replies are rate limited)\n",
		    se->se_file, se->se_line, se->se_service);
	if (se->se_builtin != BI_NONE)
		return;
	/* One lookup for the whole table, not one per entry. */
	if (!looked) {
		found = names_getpwnam(INETD_USER, &inetd) == 1;
		looked = 1;
	}
	if (found && se->se_uid == inetd.np_uid)
		fprintf(stderr, "%s:%d: warning: %s/%s runs as %s, the "
		    "listener's user: it could signal the listener\n",
		    se->se_file, se->se_line, se->se_service, se->se_proto,
		    INETD_USER);
	if (printconf_writable(se))
		fprintf(stderr, "%s:%d: warning: %s/%s: its user %s can "
		    "write its program %s\n", se->se_file, se->se_line,
		    se->se_service, se->se_proto, se->se_user,
		    se->se_program);
}

/* Whether the service's own user could replace what it runs. */
static int
printconf_writable(const struct servconf *se)
{
	char		 path[PATH_MAX];
	struct stat	 st;
	int		 i, ingroup;

	if (snprintf(path, sizeof(path), "%s%s", se->se_chroot,
	    se->se_program) >= (int)sizeof(path) || stat(path, &st) == -1)
		return 0;
	if (st.st_mode & S_IWOTH)
		return 1;
	if (st.st_uid == se->se_uid && (st.st_mode & S_IWUSR))
		return 1;
	ingroup = st.st_gid == se->se_gid;
	for (i = 0; i < se->se_ngroups; i++)
		if (se->se_groups[i] == st.st_gid)
			ingroup = 1;
	return ingroup && (st.st_mode & S_IWGRP);
}

/*
 * Services of one user reach each other's files; unveil is what keeps
 * them apart.
 */
static void
printconf_shared(const struct conf *c, const struct servconf *se)
{
	const struct servconf	*o;

	if (se->se_builtin != BI_NONE || se->se_nunveil != 0)
		return;
	TAILQ_FOREACH(o, &c->c_services, se_entry) {
		if (o == se || o->se_builtin != BI_NONE ||
		    o->se_uid != se->se_uid)
			continue;
		fprintf(stderr, "%s:%d: warning: %s/%s has no unveil and "
		    "shares user %s with %s/%s (%s:%d): each can reach the "
		    "other's files\n", se->se_file, se->se_line,
		    se->se_service, se->se_proto, se->se_user, o->se_service,
		    o->se_proto, o->se_file, o->se_line);
		return;
	}
}

/* Where a service listens, as the first half of its line. */
static void
printconf_address(const struct servconf *se)
{
	char		 addr[INET6_ADDRSTRLEN];
	const void	*ap;

	if (se->se_family == AF_UNIX) {
		printf("%s:%d: unix %s owner %u group %u mode %03o %s %s",
		    se->se_file, se->se_line, se->se_service, se->se_sockuid,
		    se->se_sockgid, se->se_sockmode,
		    se->se_socktype == SOCK_STREAM ? "stream" : "dgram",
		    se->se_wait ? "wait" : "nowait");
		return;
	}
	if (se->se_mux) {
		printf("%s:%d: %s via tcpmux%s", se->se_file, se->se_line,
		    se->se_service, se->se_mux == MUX_PLUS ? " (+Go)" : "");
		return;
	}
	if (se->se_family == AF_INET)
		ap = &((const struct sockaddr_in *)&se->se_ss)->sin_addr;
	else
		ap = &((const struct sockaddr_in6 *)&se->se_ss)->sin6_addr;
	inet_ntop(se->se_family, ap, addr, sizeof(addr));
	printf("%s:%d: %s %s%s%s:%d %s %s", se->se_file, se->se_line,
	    se->se_service, se->se_family == AF_INET6 ? "[" : "", addr,
	    se->se_family == AF_INET6 ? "]" : "", se->se_port, se->se_proto,
	    se->se_wait ? "wait" : "nowait");
}

/* inetd -n: what each service will be, and the ceiling -c gave. */
void
printconf(const struct conf *c, int maxchild)
{
	const struct servconf	*se;
	int			 i;

	TAILQ_FOREACH(se, &c->c_services, se_entry) {
		printconf_address(se);
		if (se->se_builtin != BI_NONE)
			printf(" internal %s\n",
			    conf_builtin_name(se->se_builtin));
		else {
			printf(" exec %s", se->se_program);
			for (i = 0; i < se->se_argc; i++)
				printf(" %s", se->se_argv[i]);
			printf("\n\tuser %s uid %u gid %u groups", se->se_user,
			    se->se_uid, se->se_gid);
			for (i = 0; i < se->se_ngroups; i++)
				printf("%s%u", i ? "," : " ",
				    se->se_groups[i]);
			printf("\n");
		}
		printconf_confinement(se);
		printconf_access(se);
		printconf_sources(se);
		printconf_tls(se);
		printconf_warnings(se);
		printconf_shared(c, se);
	}
	tlsfiles_done();
	if (maxchild)
		printf("at most %d services running at once (-c)\n",
		    maxchild);
}
