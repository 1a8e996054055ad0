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
 * The service table as every role holds it: the names the parser and
 * the children share, creating and freeing entries, and the wire format
 * in which the parent hands each entry to a child.  The parser itself
 * lives with the parent (parent/parse.c); only this part runs in more
 * than one process.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/un.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

static const struct {
	const char	*name;
	enum builtin	 bi;
} builtins[] = {
	{ "echo",	BI_ECHO },
	{ "discard",	BI_DISCARD },
	{ "chargen",	BI_CHARGEN },
	{ "daytime",	BI_DAYTIME },
	{ "time",	BI_TIME },
	{ "tcpmux",	BI_TCPMUX },
};

static const struct {
	const char	*name;
	int		 resource;
} rlimits[CONF_NRLIMITS] = {
	{ "rlimit-nofile",	RLIMIT_NOFILE },
	{ "rlimit-nproc",	RLIMIT_NPROC },
	{ "rlimit-cpu",		RLIMIT_CPU },
	{ "rlimit-as",		RLIMIT_AS },
	{ "rlimit-data",	RLIMIT_DATA },
	{ "rlimit-fsize",	RLIMIT_FSIZE },
	{ "rlimit-core",	RLIMIT_CORE },
	{ "rlimit-stack",	RLIMIT_STACK },
};

int
conf_rlimit_resource(int i)
{
	return rlimits[i].resource;
}

const char *
conf_rlimit_name(int i)
{
	return rlimits[i].name;
}

/* The index of an rlimit-* key, or -1. */
int
conf_rlimit_index(const char *name)
{
	int	 i;

	for (i = 0; i < CONF_NRLIMITS; i++)
		if (strcmp(name, rlimits[i].name) == 0)
			return i;
	return -1;
}

/* Capability names as capabilities(7) spells them, by number. */
static const char *capnames[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid",
	"kill", "setgid", "setuid", "setpcap", "linux_immutable",
	"net_bind_service", "net_broadcast", "net_admin", "net_raw",
	"ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot",
	"sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
	"sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
	"audit_write", "audit_control", "setfcap", "mac_override",
	"mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",
	"perfmon", "bpf", "checkpoint_restore",
};

/* The name of capability i, or NULL past the last we know. */
const char *
conf_cap_name(int i)
{
	if (i < 0 || (size_t)i >= nitems(capnames))
		return NULL;
	return capnames[i];
}

/* The number of a capability, "cap_" and case optional, or -1. */
int
conf_cap_lookup(const char *name)
{
	size_t	 i;

	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	for (i = 0; i < nitems(capnames); i++)
		if (strcasecmp(name, capnames[i]) == 0)
			return i;
	return -1;
}

const char *
conf_builtin_name(enum builtin bi)
{
	size_t	 i;

	for (i = 0; i < nitems(builtins); i++)
		if (builtins[i].bi == bi)
			return builtins[i].name;
	return "none";
}

enum builtin
conf_builtin_lookup(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(builtins); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].bi;
	return BI_NONE;
}

struct conf *
conf_new(void)
{
	struct conf	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc");
	TAILQ_INIT(&c->c_services);
	TAILQ_INIT(&c->c_disabled);
	return c;
}

void
conf_free(struct conf *c)
{
	struct servconf	*se;

	if (c == NULL)
		return;
	while ((se = TAILQ_FIRST(&c->c_services)) != NULL) {
		TAILQ_REMOVE(&c->c_services, se, se_entry);
		servconf_free(se);
	}
	while ((se = TAILQ_FIRST(&c->c_disabled)) != NULL) {
		TAILQ_REMOVE(&c->c_disabled, se, se_entry);
		servconf_free(se);
	}
	free(c);
}

/* Replace a string member with a copy of s. */
void
servconf_setstr(char **dst, const char *s)
{
	char	*n;

	if ((n = strdup(s)) == NULL)
		fatal("strdup");
	free(*dst);
	*dst = n;
}

/* One more program argument; the vector stays NULL-terminated. */
void
servconf_addarg(struct servconf *se, const char *s)
{
	char	**v;

	if ((v = reallocarray(se->se_argv, se->se_argc + 2,
	    sizeof(*v))) == NULL)
		fatal("reallocarray");
	if ((v[se->se_argc] = strdup(s)) == NULL)
		fatal("strdup");
	v[++se->se_argc] = NULL;
	se->se_argv = v;
}

/* No program arguments. */
void
servconf_clearargs(struct servconf *se)
{
	int	 i;

	for (i = 0; i < se->se_argc; i++)
		free(se->se_argv[i]);
	free(se->se_argv);
	se->se_argv = NULL;
	se->se_argc = 0;
}

/* The supplementary groups, a copy of n of them. */
void
servconf_setgroups(struct servconf *se, const gid_t *groups, int n)
{
	gid_t	*g = NULL;

	if (n > 0) {
		if ((g = reallocarray(NULL, n, sizeof(*g))) == NULL)
			fatal("reallocarray");
		memcpy(g, groups, n * sizeof(*g));
	}
	free(se->se_groups);
	se->se_groups = g;
	se->se_ngroups = n;
}

/* What the parent read of a tls= entry's files; the key is wiped. */
void
tlsdata_free(struct tlsdata *td)
{
	if (td == NULL)
		return;
	free(td->td_chain);
	if (td->td_key != NULL) {
		explicit_bzero(td->td_key, td->td_keylen);
		free(td->td_key);
	}
	free(td->td_ca);
	free(td);
}

static char *
tlsdata_copy(const char *p, size_t len)
{
	char	*c;

	if (p == NULL)
		return NULL;
	if ((c = malloc(len + 1)) == NULL)
		fatal("malloc");
	memcpy(c, p, len);
	c[len] = '\0';
	return c;
}

/* Whether a table has a tls= entry: then the TLS side is needed. */
int
conf_has_tls(const struct conf *c)
{
	const struct servconf	*se;

	TAILQ_FOREACH(se, &c->c_services, se_entry)
		if (se->se_tls)
			return 1;
	return 0;
}

/* A copy, for an entry that listens on more than one address. */
struct tlsdata *
tlsdata_dup(const struct tlsdata *o)
{
	struct tlsdata	*td;

	if (o == NULL)
		return NULL;
	if ((td = calloc(1, sizeof(*td))) == NULL)
		fatal("calloc");
	td->td_chain = tlsdata_copy(o->td_chain, o->td_chainlen);
	td->td_chainlen = o->td_chainlen;
	td->td_key = tlsdata_copy(o->td_key, o->td_keylen);
	td->td_keylen = o->td_keylen;
	td->td_ca = tlsdata_copy(o->td_ca, o->td_calen);
	td->td_calen = o->td_calen;
	return td;
}

/*
 * The strings an entry owns, never NULL: one list for making, copying
 * and freeing an entry, so that a string added to it cannot be left out
 * of one of them (a copy that shares a pointer is a double free).
 */
static const size_t servconf_strs[] = {
	offsetof(struct servconf, se_file),
	offsetof(struct servconf, se_service),
	offsetof(struct servconf, se_host),
	offsetof(struct servconf, se_portname),
	offsetof(struct servconf, se_muxname),
	offsetof(struct servconf, se_user),
	offsetof(struct servconf, se_group),
	offsetof(struct servconf, se_program),
	offsetof(struct servconf, se_pledge),
	offsetof(struct servconf, se_denybanner),
	offsetof(struct servconf, se_chroot),
	offsetof(struct servconf, se_tlscert),
	offsetof(struct servconf, se_tlskey),
	offsetof(struct servconf, se_tlsca),
	offsetof(struct servconf, se_tlsciphers)
};

static char **
servconf_str(struct servconf *se, size_t i)
{
	return (char **)((char *)se + servconf_strs[i]);
}

/* An entry with the defaults that hold when a file says nothing. */
struct servconf *
servconf_new(void)
{
	struct servconf	*se;
	size_t		 i;

	if ((se = calloc(1, sizeof(*se))) == NULL)
		fatal("calloc");
	se->se_fd = -1;
	se->se_reuse = -1;
	for (i = 0; i < nitems(servconf_strs); i++)
		servconf_setstr(servconf_str(se, i), "");
	se->se_tlsprotos = CONF_TLS_V12 | CONF_TLS_V13;
	se->se_tlstimeout = CONF_TLSTIMEOUT;
	se->se_max = CONF_DEFMAX;
	se->se_pause = CONF_DEFPAUSE;
	se->se_umask = 022;
	se->se_backlog = CONF_BACKLOG;
	se->se_srcprefix4 = 32;
	se->se_srcprefix6 = 64;
	return se;
}

/*
 * A copy of o's fields, its strings, groups and arguments its own; the
 * rest (unveil rules, access lists, TLS files, state) is the caller's
 * to copy or leave.
 */
struct servconf *
servconf_copy(const struct servconf *o)
{
	struct servconf	*se;
	const char	*s;
	char		**p;
	size_t		 i;
	int		 n;

	if ((se = malloc(sizeof(*se))) == NULL)
		fatal("malloc");
	memcpy(se, o, sizeof(*se));
	/* Each string still o's: made the copy's own. */
	for (i = 0; i < nitems(servconf_strs); i++) {
		p = servconf_str(se, i);
		s = *p;
		*p = NULL;
		servconf_setstr(p, s);
	}
	se->se_groups = NULL;
	servconf_setgroups(se, o->se_groups, o->se_ngroups);
	se->se_argv = NULL;
	se->se_argc = 0;
	for (n = 0; n < o->se_argc; n++)
		servconf_addarg(se, o->se_argv[n]);
	return se;
}

void
servconf_free(struct servconf *se)
{
	size_t	 i;

	if (se == NULL)
		return;
	servconf_clearargs(se);
	free(se->se_groups);
	unveil_clear(se->se_unveil, se->se_nunveil);
	free(se->se_unveil);
	free(se->se_acl);
	acl_free(se->se_acc);
	acl_free(se->se_proxyacc);
	for (i = 0; i < nitems(servconf_strs); i++)
		free(*servconf_str(se, i));
	tlsdata_free(se->se_tlsdata);
	if (se->se_fd != -1)
		close(se->se_fd);
	free(se);
}

/* The order of sockets: same family, type, protocol and address. */
int
servconf_sockcmp(const struct servconf *x, const struct servconf *y)
{
	if (x->se_family != y->se_family)
		return x->se_family < y->se_family ? -1 : 1;
	if (x->se_socktype != y->se_socktype)
		return x->se_socktype < y->se_socktype ? -1 : 1;
	if (x->se_protocol != y->se_protocol)
		return x->se_protocol < y->se_protocol ? -1 : 1;
	if (x->se_sslen != y->se_sslen)
		return x->se_sslen < y->se_sslen ? -1 : 1;
	return memcmp(&x->se_ss, &y->se_ss, x->se_sslen);
}

/*
 * A service entry as it travels to a child.  The listener gets what it
 * needs to listen and count; only the spawner learns how to run it.
 */
struct servconf_wire {
	uint32_t		 sw_index;
	int32_t			 sw_line;
	int32_t			 sw_family;
	int32_t			 sw_socktype;
	int32_t			 sw_protocol;
	int32_t			 sw_port;
	int32_t			 sw_wait;
	int32_t			 sw_max;
	int32_t			 sw_pause;
	int32_t			 sw_maxchild;
	int32_t			 sw_timeout;
	int32_t			 sw_fullaction;
	int32_t			 sw_persource;
	int32_t			 sw_srcrate;
	int32_t			 sw_srcperiod;
	int32_t			 sw_srcprefix4;
	int32_t			 sw_srcprefix6;
	int32_t			 sw_proxy;
	int32_t			 sw_nolog;
	uint32_t		 sw_sockuid;
	uint32_t		 sw_sockgid;
	uint32_t		 sw_sockmode;
	int32_t			 sw_mux;
	int32_t			 sw_reuse;
	uint64_t		 sw_promises;
	int32_t			 sw_nunveil;
	int32_t			 sw_landlock;
	int32_t			 sw_newprivs;
	int32_t			 sw_pad0;	/* zero: no hole */
	uint64_t		 sw_caps;
	uint32_t		 sw_umask;
	int32_t			 sw_nice;
	int32_t			 sw_niceset;
	int32_t			 sw_rlset[CONF_NRLIMITS];
	int32_t			 sw_pad1;	/* zero: no hole */
	uint64_t		 sw_rlvalue[CONF_NRLIMITS];
	uint32_t		 sw_uid;
	uint32_t		 sw_gid;
	int32_t			 sw_ngroups;
	int32_t			 sw_builtin;
	int32_t			 sw_argc;
	uint32_t		 sw_sslen;
	struct sockaddr_storage	 sw_ss;
	int32_t			 sw_nacl;	/* IMSG_ACL rules to follow */
	int32_t			 sw_tls;
};

void
servconf_pack(const struct servconf *se, struct ibuf *b, enum role to)
{
	struct servconf_wire	 w;
	int			 i, full = to == ROLE_SPAWNER;

	memset(&w, 0, sizeof(w));
	w.sw_index = se->se_index;
	w.sw_line = se->se_line;
	w.sw_family = se->se_family;
	w.sw_socktype = se->se_socktype;
	w.sw_protocol = se->se_protocol;
	w.sw_port = se->se_port;
	w.sw_wait = se->se_wait;
	w.sw_max = se->se_max;
	w.sw_pause = se->se_pause;
	w.sw_maxchild = se->se_maxchild;
	w.sw_timeout = se->se_timeout;
	w.sw_fullaction = se->se_fullaction;
	w.sw_persource = se->se_persource;
	w.sw_srcrate = se->se_srcrate;
	w.sw_srcperiod = se->se_srcperiod;
	w.sw_srcprefix4 = se->se_srcprefix4;
	w.sw_srcprefix6 = se->se_srcprefix6;
	w.sw_proxy = se->se_proxy;
	w.sw_nolog = se->se_nolog;
	w.sw_sockuid = se->se_sockuid;
	w.sw_sockgid = se->se_sockgid;
	w.sw_sockmode = se->se_sockmode;
	w.sw_mux = se->se_mux;
	w.sw_reuse = se->se_reuse;
	w.sw_builtin = se->se_builtin;
	w.sw_sslen = se->se_sslen;
	memcpy(&w.sw_ss, &se->se_ss, sizeof(w.sw_ss));
	w.sw_nacl = se->se_nacl;
	w.sw_tls = se->se_tls;
	if (full) {
		w.sw_promises = se->se_promises;
		w.sw_nunveil = se->se_nunveil;
		w.sw_landlock = se->se_landlock;
		w.sw_newprivs = se->se_newprivs;
		w.sw_caps = se->se_caps;
		w.sw_umask = se->se_umask;
		w.sw_nice = se->se_nice;
		w.sw_niceset = se->se_niceset;
		for (i = 0; i < CONF_NRLIMITS; i++) {
			w.sw_rlset[i] = se->se_rlimit[i].rl_set;
			w.sw_rlvalue[i] = se->se_rlimit[i].rl_value;
		}
		w.sw_uid = se->se_uid;
		w.sw_gid = se->se_gid;
		w.sw_ngroups = se->se_ngroups;
		w.sw_argc = se->se_argc;
	}
	ibuf_add(b, &w, sizeof(w));
	ibuf_add_str(b, se->se_file);
	ibuf_add_str(b, se->se_service);
	ibuf_add_str(b, se->se_proto);
	ibuf_add_str(b, se->se_muxname);
	if (!full) {
		ibuf_add_str(b, se->se_denybanner);
		return;
	}
	ibuf_add_str(b, se->se_user);
	ibuf_add_str(b, se->se_program);
	if (se->se_ngroups > 0)
		ibuf_add(b, se->se_groups, se->se_ngroups * sizeof(gid_t));
	for (i = 0; i < se->se_argc; i++)
		ibuf_add_str(b, se->se_argv[i]);
	ibuf_add_str(b, se->se_chroot);
	ibuf_add_str(b, se->se_pledge);
	for (i = 0; i < se->se_nunveil; i++) {
		ibuf_add_str(b, se->se_unveil[i].ur_path);
		ibuf_add(b, &se->se_unveil[i].ur_perms,
		    sizeof(se->se_unveil[i].ur_perms));
	}
}


/* Whether an address length is the one its family has. */
static int
servconf_sslen_valid(const struct servconf_wire *w)
{
	const struct sockaddr_un	*sun;
	size_t				 len;

	switch (w->sw_family) {
	case AF_INET:
		return w->sw_sslen == sizeof(struct sockaddr_in);
	case AF_INET6:
		return w->sw_sslen == sizeof(struct sockaddr_in6);
	case AF_UNIX:
		sun = (const struct sockaddr_un *)&w->sw_ss;
		if (w->sw_sslen <= offsetof(struct sockaddr_un, sun_path) + 1 ||
		    w->sw_sslen > sizeof(*sun))
			return 0;
		len = w->sw_sslen - offsetof(struct sockaddr_un, sun_path) - 1;
		return strnlen(sun->sun_path, sizeof(sun->sun_path)) == len;
	}
	return 0;
}

/* The fixed part of an entry, against what a parse could have produced. */
static int
servconf_wire_valid(const struct servconf_wire *w)
{
	int	 isunix = w->sw_family == AF_UNIX;

	if (w->sw_family != AF_INET && w->sw_family != AF_INET6 && !isunix)
		return 0;
	/* Every byte is a field: what the parent did not set is refused. */
	if (w->sw_pad0 != 0 || w->sw_pad1 != 0)
		return 0;
	if (w->sw_socktype != SOCK_STREAM && w->sw_socktype != SOCK_DGRAM)
		return 0;
	if (isunix ? w->sw_protocol != 0 : (w->sw_protocol != IPPROTO_TCP &&
	    w->sw_protocol != IPPROTO_UDP))
		return 0;
	if (isunix ? w->sw_port != 0 : (w->sw_port < 1 || w->sw_port > 65535))
		return 0;
	if (!servconf_sslen_valid(w) || w->sw_ss.ss_family != w->sw_family)
		return 0;
	if (w->sw_line < 1 || w->sw_index >= CONF_MAXSERVICES ||
	    (w->sw_wait != 0 && w->sw_wait != 1) ||
	    w->sw_max < 1 || w->sw_max > CONF_MAXRATE ||
	    w->sw_pause < 1 || w->sw_pause > CONF_MAXPAUSE ||
	    w->sw_maxchild < 0 || w->sw_maxchild > SPAWNER_MAXCHILD ||
	    w->sw_timeout < 0 || w->sw_timeout > CONF_MAXTIMEOUT ||
	    (w->sw_fullaction != CONF_FULL_WAIT &&
	    w->sw_fullaction != CONF_FULL_REFUSE))
		return 0;
	if (w->sw_sockmode > 0777 ||
	    w->sw_mux < MUX_NONE || w->sw_mux > MUX_PLUS ||
	    w->sw_reuse < -1 || w->sw_reuse >= CONF_MAXSERVICES ||
	    w->sw_builtin < BI_NONE || w->sw_builtin > BI_TCPMUX)
		return 0;
	/*
	 * A wait stream program accepts itself, a UNIX datagram has no
	 * credentials: no peer to check.
	 */
	if (w->sw_nacl < 0 || w->sw_nacl > CONF_MAXACL ||
	    (w->sw_nacl > 0 && w->sw_wait && w->sw_socktype == SOCK_STREAM) ||
	    (w->sw_nacl > 0 && isunix && w->sw_socktype == SOCK_DGRAM))
		return 0;
	/* Per-source limits: only where the listener accepts from IP. */
	if (w->sw_persource < 0 || w->sw_persource > SPAWNER_MAXCHILD ||
	    w->sw_srcrate < 0 || w->sw_srcrate > CONF_MAXRATE ||
	    w->sw_srcperiod < 0 || w->sw_srcperiod > CONF_MAXSRCPERIOD ||
	    (w->sw_srcrate > 0 && w->sw_srcperiod == 0) ||
	    w->sw_srcprefix4 < 1 || w->sw_srcprefix4 > 32 ||
	    w->sw_srcprefix6 < 1 || w->sw_srcprefix6 > 128)
		return 0;
	if ((w->sw_nolog != 0 && w->sw_nolog != 1) ||
	    w->sw_proxy < CONF_PROXY_NONE || w->sw_proxy > CONF_PROXY_ANY ||
	    (w->sw_proxy != CONF_PROXY_NONE && (isunix || w->sw_wait ||
	    w->sw_socktype != SOCK_STREAM || w->sw_builtin == BI_TCPMUX ||
	    w->sw_mux != MUX_NONE || w->sw_nacl == 0)))
		return 0;
	if ((w->sw_persource > 0 || w->sw_srcrate > 0) &&
	    (isunix || w->sw_wait || w->sw_socktype != SOCK_STREAM ||
	    w->sw_builtin == BI_TCPMUX))
		return 0;
	return 1;
}

/* deny-banner=: printable, and only where a connection can take it. */
static int
servconf_banner_valid(const struct servconf *se)
{
	const char	*p;

	if (se->se_denybanner[0] == '\0')
		return 1;
	if (se->se_socktype != SOCK_STREAM || se->se_wait)
		return 0;
	for (p = se->se_denybanner; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return 1;
}

/* What only the spawner is told: how the service runs and is confined. */
static int
servconf_wire_valid_run(const struct servconf_wire *w)
{
	int	 i;

	if (w->sw_ngroups < 0 || w->sw_ngroups > CONF_MAXGROUPS ||
	    w->sw_argc < 0 || w->sw_argc > CONF_MAXARGS ||
	    w->sw_nunveil < 0 || w->sw_nunveil > CONF_MAXUNVEIL)
		return 0;
	if ((w->sw_promises & ~PLEDGE_ALL) != 0 ||
	    (w->sw_landlock != CONF_LANDLOCK_REQUIRED &&
	    w->sw_landlock != CONF_LANDLOCK_AUTO) ||
	    (w->sw_newprivs != 0 && w->sw_newprivs != 1) ||
	    (w->sw_newprivs && w->sw_caps != 0) ||
	    w->sw_umask > 0777 ||
	    (w->sw_niceset != 0 && w->sw_niceset != 1) ||
	    w->sw_nice < -20 || w->sw_nice > 19)
		return 0;
	for (i = 0; i < CONF_NRLIMITS; i++)
		if (w->sw_rlset[i] != 0 && w->sw_rlset[i] != 1)
			return 0;
	return 1;
}

/*
 * A string of the wire into an entry's own: at most max - 1 bytes, the
 * size its field had when it was an array, as the parser allows.
 */
static int
servconf_getstr(struct ireader *r, char **dst, size_t max)
{
	char	 buf[PATH_MAX];

	if (max > sizeof(buf) || ireader_get_str(r, buf, max) == -1)
		return -1;
	servconf_setstr(dst, buf);
	return 0;
}

/* The spawner's part of an entry: credentials, program, confinement. */
static int
servconf_unpack_run(struct servconf *se, const struct servconf_wire *w,
    struct ireader *r)
{
	char			 arg[CONF_MAXARG];
	gid_t			 groups[CONF_MAXGROUPS];
	struct unveil_rule	*u;
	int			 i;

	if (!servconf_wire_valid_run(w))
		return -1;
	/* tls=: a stream nowait program on IP, as the parent checked. */
	if ((w->sw_tls != 0 && w->sw_tls != 1) || (w->sw_tls &&
	    (w->sw_family == AF_UNIX || w->sw_wait ||
	    w->sw_socktype != SOCK_STREAM || w->sw_builtin != BI_NONE ||
	    w->sw_mux != MUX_NONE)))
		return -1;
	se->se_tls = w->sw_tls;
	se->se_uid = w->sw_uid;
	se->se_gid = w->sw_gid;
	if (servconf_getstr(r, &se->se_user, CONF_MAXNAME) == -1 ||
	    servconf_getstr(r, &se->se_program, PATH_MAX) == -1 ||
	    ireader_get(r, groups, w->sw_ngroups * sizeof(gid_t)) == -1)
		return -1;
	servconf_setgroups(se, groups, w->sw_ngroups);
	if (se->se_builtin == BI_NONE && (se->se_program[0] != '/' ||
	    w->sw_argc < 1))
		return -1;
	for (i = 0; i < w->sw_argc; i++) {
		if (ireader_get_str(r, arg, sizeof(arg)) == -1)
			return -1;
		servconf_addarg(se, arg);
	}
	se->se_promises = w->sw_promises;
	se->se_landlock = w->sw_landlock;
	se->se_newprivs = w->sw_newprivs;
	se->se_caps = w->sw_caps;
	se->se_umask = w->sw_umask;
	se->se_nice = w->sw_nice;
	se->se_niceset = w->sw_niceset;
	for (i = 0; i < CONF_NRLIMITS; i++) {
		se->se_rlimit[i].rl_set = w->sw_rlset[i];
		se->se_rlimit[i].rl_value = w->sw_rlvalue[i];
	}
	if (servconf_getstr(r, &se->se_chroot, PATH_MAX) == -1 ||
	    (se->se_chroot[0] != '\0' && se->se_chroot[0] != '/') ||
	    servconf_getstr(r, &se->se_pledge, CONF_MAXPLEDGE) == -1)
		return -1;
	if (w->sw_nunveil > 0 && (se->se_unveil = calloc(w->sw_nunveil,
	    sizeof(*se->se_unveil))) == NULL)
		fatal("calloc");
	for (i = 0; i < w->sw_nunveil; i++) {
		u = &se->se_unveil[i];
		if (servconf_getstr(r, &u->ur_path, PATH_MAX) == -1)
			return -1;
		se->se_nunveil++;	/* its path is servconf_free's */
		if (ireader_get(r, &u->ur_perms, sizeof(u->ur_perms)) == -1 ||
		    (u->ur_perms & ~UNVEIL_ALL) != 0 || u->ur_path[0] != '/')
			return -1;
	}
	return 0;
}

/*
 * An entry from the parent.  Every field is checked against what a parse
 * could have produced and refused, never coerced, if it could not.
 */
struct servconf *
servconf_unpack(const struct imsg *im, enum role me)
{
	struct servconf_wire	 w;
	struct servconf		*se;
	struct ireader		 r;

	ireader_init(&r, im);
	if (ireader_get(&r, &w, sizeof(w)) == -1 || !servconf_wire_valid(&w))
		return NULL;
	se = servconf_new();
	se->se_index = w.sw_index;
	se->se_line = w.sw_line;
	se->se_family = w.sw_family;
	se->se_socktype = w.sw_socktype;
	se->se_protocol = w.sw_protocol;
	se->se_port = w.sw_port;
	se->se_wait = w.sw_wait;
	se->se_max = w.sw_max;
	se->se_pause = w.sw_pause;
	se->se_maxchild = w.sw_maxchild;
	se->se_timeout = w.sw_timeout;
	se->se_fullaction = w.sw_fullaction;
	se->se_persource = w.sw_persource;
	se->se_srcrate = w.sw_srcrate;
	se->se_srcperiod = w.sw_srcperiod;
	se->se_srcprefix4 = w.sw_srcprefix4;
	se->se_srcprefix6 = w.sw_srcprefix6;
	se->se_proxy = w.sw_proxy;
	se->se_nolog = w.sw_nolog;
	se->se_sockuid = w.sw_sockuid;
	se->se_sockgid = w.sw_sockgid;
	se->se_sockmode = w.sw_sockmode;
	se->se_builtin = w.sw_builtin;
	se->se_reuse = w.sw_reuse;
	se->se_sslen = w.sw_sslen;
	memcpy(&se->se_ss, &w.sw_ss, sizeof(se->se_ss));
	se->se_v6only = se->se_family == AF_INET6;
	se->se_naclwant = w.sw_nacl;
	if (servconf_getstr(&r, &se->se_file, PATH_MAX) == -1 ||
	    servconf_getstr(&r, &se->se_service, CONF_MAXNAME) == -1 ||
	    ireader_get_str(&r, se->se_proto, sizeof(se->se_proto)) == -1 ||
	    servconf_getstr(&r, &se->se_muxname, CONF_MAXMUXNAME + 1) == -1)
		goto bad;
	if ((w.sw_mux != 0) != (se->se_muxname[0] != '\0'))
		goto bad;
	se->se_mux = w.sw_mux;
	if (me == ROLE_SPAWNER && servconf_unpack_run(se, &w, &r) == -1)
		goto bad;
	if (me == ROLE_LISTENER && (servconf_getstr(&r, &se->se_denybanner,
	    CONF_MAXBANNER + 1) == -1 || !servconf_banner_valid(se)))
		goto bad;
	if (!ireader_done(&r))
		goto bad;
	return se;
 bad:
	servconf_free(se);
	return NULL;
}
