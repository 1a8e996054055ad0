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
 * inetd.conf: the classic positional notation of OpenBSD's inetd,
 *
 *	[addr:]service socktype proto wait[.max] user[:group] program [argv]
 *
 * and NetBSD's key-value notation, in one file, with .include and
 * .defaults directives.
 *
 * Only the parent parses; it resolves names to numbers so that no role
 * ever calls getpwnam(3), and has users and groups looked up by a child
 * that lives for the load (names.c).  Every error names the file and the
 * line, and a file with any error is refused whole.
 *
 * Adding a key, say "foo=N" for struct servconf's se_foo:
 *
 *  1. parse.c: a handler conf_key_foo() beside the others, with its
 *     prototype at the top (conf_number() for a number, conf_error()
 *     with what was expected otherwise), and its line in conf_keywords[]
 *     in sorted order (conf_load refuses to run otherwise), with
 *     KEY_ENTRY if it belongs to one entry only and KEY_LIST if it takes
 *     several values; .defaults then takes it with no more work;
 *  2. inetd.h: the member se_foo in struct servconf, and its default in
 *     servconf_new() (config.c) if 0 is not the right one;
 *  3. config.c, if a child needs it: sw_foo in struct servconf_wire, one
 *     line in servconf_pack() (inside "if (full)" if only the spawner
 *     needs it) and a check plus a copy in servconf_unpack() or
 *     servconf_unpack_run(), refusing any value a parse cannot produce;
 *     a list too long for one message travels after its entry in
 *     messages of its own, as allow= and deny= do (IMSG_ACL);
 *  4. printconf.c: show it in inetd -n;
 *  5. man/inetd.conf.5: the key in the list of keys, in the same order;
 *  6. regress/: a case that sets it and checks what a user sees, and a
 *     case in t-config.sh that gives a bad value and expects file:line.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

/* Users already looked up in this parse: each lookup is a question. */
struct conf_cred {
	RB_ENTRY(conf_cred)	 cc_entry;
	char			 cc_user[CONF_MAXNAME];
	char			 cc_group[CONF_MAXNAME];
	uid_t			 cc_uid;
	gid_t			 cc_gid;
	gid_t			 cc_groups[CONF_MAXGROUPS];
	int			 cc_ngroups;
};
RB_HEAD(conf_creds, conf_cred);

/* Sockets taken so far, to find a duplicate without a linear search. */
struct conf_sock {
	RB_ENTRY(conf_sock)	 cs_entry;
	struct servconf		*cs_se;
};
RB_HEAD(conf_socks, conf_sock);

/*
 * Rulesets seen to build in this parse, by what they are made of
 * (unveil_cmp): entries alike are checked once, as the spawner builds
 * one for them.  Each holds a copy of the first such entry.
 */
struct conf_ruleset {
	RB_ENTRY(conf_ruleset)	 cr_entry;
	struct servconf		*cr_se;
	int			 cr_abi;
};
RB_HEAD(conf_rulesets, conf_ruleset);

/* Promise sets whose filter was seen to build. */
struct conf_checked {
	SLIST_ENTRY(conf_checked) ck_entry;
	uint64_t		 ck_promises;
};

/* One file on the .include stack, with its cursor. */
struct conf_file {
	const char	*cf_name;	/* as error messages name it */
	char		*cf_real;	/* its real path, to find a loop */
	char		*cf_buf;	/* the whole file */
	const char	*cf_p;		/* cursor */
	const char	*cf_end;
	int		 cf_line;
	char		 cf_host[CONF_MAXNAME];	/* sticky "addr:" */
};

struct conf_parse {
	struct conf_file cp_files[CONF_MAXDEPTH];	/* .include stack */
	struct conf_file *cp_f;		/* top of the stack */
	int		 cp_depth;
	int		 cp_kvline;	/* a key-value entry's first line */
	int		 cp_waitset;	/* this entry said wait= */
	int		 cp_aclown;	/* this entry said allow= or deny= */
	int		 cp_srcown;	/* it set a per-source limit */
	int		 cp_bannerown;	/* it said deny-banner= */
	int		 cp_proxyfromown; /* it said proxy-from= */
	int		 cp_proxyown;	/* it said proxy= */
	int		 cp_aclkinds;	/* its own rules: CP_ACLIP, CP_ACLUNIX */
#define CP_ACLIP	0x01
#define CP_ACLUNIX	0x02
	int		 cp_errors;
	size_t		 cp_nacl;	/* access rules of all entries */
	size_t		 cp_nmsg;	/* messages a child gets for them */
	struct servconf	*cp_defaults;	/* .defaults so far */
	struct conf	*cp_conf;
	uint32_t	 cp_ndisabled;	/* "off" entries */
	struct conf_creds cp_creds;
	struct conf_socks cp_socks;
	SLIST_HEAD(, conf_checked) cp_checked;
	struct conf_rulesets cp_rulesets;
};

static int
conf_cred_cmp(struct conf_cred *a, struct conf_cred *b)
{
	int	 r;

	if ((r = strcmp(a->cc_user, b->cc_user)) != 0)
		return r;
	return strcmp(a->cc_group, b->cc_group);
}
RB_GENERATE_STATIC(conf_creds, conf_cred, cc_entry, conf_cred_cmp);

static int
conf_sock_cmp(struct conf_sock *a, struct conf_sock *b)
{
	return servconf_sockcmp(a->cs_se, b->cs_se);
}
RB_GENERATE_STATIC(conf_socks, conf_sock, cs_entry, conf_sock_cmp);

static int
conf_ruleset_cmp(struct conf_ruleset *a, struct conf_ruleset *b)
{
	return unveil_cmp(a->cr_se, b->cr_se);
}
RB_GENERATE_STATIC(conf_rulesets, conf_ruleset, cr_entry, conf_ruleset_cmp);

static const struct {
	const char	*name;
	int		 family;	/* AF_UNSPEC: both; v6 is v6-only */
	int		 protocol;
} protos[] = {
	{ "tcp",	AF_INET,	IPPROTO_TCP },
	{ "tcp4",	AF_INET,	IPPROTO_TCP },
	{ "tcp6",	AF_INET6,	IPPROTO_TCP },
	{ "tcp46",	AF_UNSPEC,	IPPROTO_TCP },
	{ "udp",	AF_INET,	IPPROTO_UDP },
	{ "udp4",	AF_INET,	IPPROTO_UDP },
	{ "udp6",	AF_INET6,	IPPROTO_UDP },
	{ "udp46",	AF_UNSPEC,	IPPROTO_UDP },
	{ "unix",	AF_UNIX,	0 },
};

static int	 conf_defmax = CONF_DEFMAX;

enum conf_tok {
	TOK_WORD,
	TOK_EQ,
	TOK_COMMA,
	TOK_SEMI,
	TOK_EOF,
	TOK_ERROR
};

static void	 conf_error(struct conf_parse *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static struct servconf *servconf_dup(const struct servconf *);
static int	 conf_copy(struct conf_parse *, char *, const char *, size_t,
		    const char *);
static int	 conf_split_addr(struct conf_parse *, const char *, char *,
		    char *);
static int	 conf_parse_wait(struct conf_parse *, struct servconf *,
		    const char *);
static int	 conf_parse_user(struct conf_parse *, struct servconf *,
		    const char *);
static int	 conf_set_socktype(struct conf_parse *, struct servconf *,
		    const char *);
static int	 conf_set_program(struct conf_parse *, struct servconf *,
		    const char *);
static int	 conf_add_arg(struct conf_parse *, struct servconf *,
		    const char *);
static struct servconf *conf_entry_new(struct conf_parse *);
static int	 conf_set_spec(struct conf_parse *, struct servconf *,
		    const char *);
static void	 conf_implied_unveil(struct servconf *);
static int	 conf_check_confinement(struct conf_parse *,
		    struct servconf *);
static int	 conf_check_access(struct conf_parse *, struct servconf *);
static int	 conf_finish(struct conf_parse *, struct servconf *);
static int	 conf_parse_line(struct conf_parse *, char *);
static enum conf_tok conf_token(struct conf_parse *, char *, size_t);
static enum conf_tok conf_token_quoted(struct conf_parse *, char *, size_t);
static char	 conf_token_escape(struct conf_parse *);
static int	 conf_hexdigit(char);
static void	 conf_skip_entry(struct conf_parse *);
static int	 conf_number(struct conf_parse *, const char *, const char *,
		    long long, long long, long long *);
static int	 conf_key_args(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_acl_word(struct conf_parse *, const char *,
		    const char *, int, struct acl_rule *);
static int	 conf_acl_id(struct conf_parse *, const char *,
		    const char *, int, struct acl_rule *);
static int	 conf_key_acl(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_backlog(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_bind(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_caps(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_sockbuf(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_ipmax(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_sockbuf(struct conf_parse *, struct servconf *,
		    const char *, const char *);
static int	 conf_set_proto(struct conf_parse *, struct servconf *,
		    const char *);
static int	 conf_key_chroot(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_denybanner(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_exec(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_group(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_landlock(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_max(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_maxchild(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_fullaction(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_newprivs(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_nice(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_pause(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_pledge(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_port(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_protocol(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_rlimit(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_socktype(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_persource(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_proxy(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_tls(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_srcrate(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_srcprefix(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_timeout(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_log(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_udpreflect(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_umask(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_unveil(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_user(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_key_wait(struct conf_parse *, struct servconf *,
		    const char *, char **, int);
static int	 conf_keyword_cmp(const void *, const void *);
static const struct conf_keyword *conf_keyword_lookup(const char *);
static void	 conf_keyword_check(void);
static int	 conf_apply_key(struct conf_parse *, struct servconf *,
		    const char *, char **, int, int);
static int	 conf_parse_options(struct conf_parse *, struct servconf *,
		    int);
static int	 conf_parse_kv(struct conf_parse *, const char *, int);
static int	 conf_resolve_user(struct conf_parse *, struct servconf *);
static int	 conf_resolve_unix(struct conf_parse *, struct servconf *);
static int	 conf_resolve_mux(struct conf_parse *, struct servconf *);
static int	 conf_resolve_bare6(struct conf_parse *, struct servconf *);
static int	 conf_resolve(struct conf_parse *, struct servconf *);
static int	 conf_add_one(struct conf_parse *, struct servconf *);
static int	 conf_add(struct conf_parse *, struct servconf *);
static int	 conf_add_hosts(struct conf_parse *, struct servconf *);
static int	 conf_include(struct conf_parse *, const char *);
static int	 conf_line_word(const char *, int, char *, size_t);
static void	 conf_next_line(struct conf_file *);
static void	 conf_parse_next(struct conf_parse *);
static void	 conf_resync(struct conf_file *);
static int	 conf_safe_owner(const struct stat *);
static int	 conf_safe_path(struct conf_parse *, const char *,
		    const char *, const char *);
static void	 conf_file_error(struct conf_parse *, const char *,
		    const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static int	 conf_file_read(struct conf_parse *, const char *,
		    const char *, struct conf_file *);
static int	 conf_file_push(struct conf_parse *, const char *);
static void	 conf_file_pop(struct conf_parse *);
static int	 conf_parse_file(struct conf_parse *, const char *);
static void	 conf_check_mux(struct conf_parse *);

static void
conf_error(struct conf_parse *cp, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s:%d: %s", cp->cp_f->cf_name, cp->cp_f->cf_line, msg);
	cp->cp_errors++;
}

/* Whether an internet service listens on a loopback address only. */
int
conf_loopback(const struct servconf *se)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	if (se->se_family == AF_INET) {
		sin = (const struct sockaddr_in *)&se->se_ss;
		return (ntohl(sin->sin_addr.s_addr) >> 24) == IN_LOOPBACKNET;
	}
	if (se->se_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)&se->se_ss;
		return IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr);
	}
	return 1;
}

void
conf_set_defmax(int max)
{
	conf_defmax = max;
}

static struct servconf *
servconf_dup(const struct servconf *o)
{
	struct servconf	*se;
	int		 i;

	se = servconf_copy(o);
	se->se_fd = -1;
	se->se_reuse = -1;
	se->se_priv = NULL;
	se->se_unveil = NULL;
	se->se_tlsdata = tlsdata_dup(o->se_tlsdata);
	if (o->se_nunveil) {
		if ((se->se_unveil = reallocarray(NULL, o->se_nunveil,
		    sizeof(*se->se_unveil))) == NULL)
			fatal("reallocarray");
		for (i = 0; i < o->se_nunveil; i++) {
			se->se_unveil[i] = o->se_unveil[i];
			if ((se->se_unveil[i].ur_path =
			    strdup(o->se_unveil[i].ur_path)) == NULL)
				fatal("strdup");
		}
	}
	se->se_acl = NULL;
	se->se_acc = NULL;
	se->se_proxyacc = NULL;
	if (o->se_nacl) {
		if ((se->se_acl = reallocarray(NULL, o->se_nacl,
		    sizeof(*se->se_acl))) == NULL)
			fatal("reallocarray");
		memcpy(se->se_acl, o->se_acl,
		    o->se_nacl * sizeof(*se->se_acl));
	}
	return se;
}

/* Whether src fits a field of len bytes; an error if not. */
static int
conf_fits(struct conf_parse *cp, const char *src, size_t len,
    const char *what)
{
	if (strlen(src) >= len) {
		conf_error(cp, "%s too long: \"%.40s...\"", what, src);
		return 0;
	}
	return 1;
}

static int
conf_copy(struct conf_parse *cp, char *dst, const char *src, size_t len,
    const char *what)
{
	strlcpy(dst, src, len);
	return conf_fits(cp, src, len, what) ? 0 : -1;
}

/* A string of an entry, refused where it is longer than it ever was. */
static int
conf_setstr(struct conf_parse *cp, char **dst, const char *src, size_t len,
    const char *what)
{
	if (!conf_fits(cp, src, len, what))
		return -1;
	servconf_setstr(dst, src);
	return 0;
}

/*
 * Split "[addr:]service".  An IPv6 address goes in brackets; an address
 * alone with a colon and nothing after it is the sticky default.
 */
static int
conf_split_addr(struct conf_parse *cp, const char *field, char *host,
    char *serv)
{
	const char	*p, *end;
	size_t		 hlen;

	/* "[::1],127.0.0.1:daytime" is a host list, split at the last ':'. */
	if (field[0] == '[' && ((end = strchr(field, ']')) == NULL ||
	    end[1] != ',')) {
		if (end == NULL || end[1] != ':') {
			conf_error(cp, "bad IPv6 address \"%s\": "
			    "expected [address]:service", field);
			return -1;
		}
		hlen = end - field - 1;
		p = end + 1;
		field++;
	} else if ((p = strrchr(field, ':')) != NULL)
		hlen = p - field;
	else {
		host[0] = '\0';
		return conf_copy(cp, serv, field, CONF_MAXNAME, "service");
	}
	if (hlen == 0 || hlen >= CONF_MAXNAME) {
		conf_error(cp, "bad address in \"%s\"", field);
		return -1;
	}
	memcpy(host, field, hlen);
	host[hlen] = '\0';
	return conf_copy(cp, serv, p + 1, CONF_MAXNAME, "service");
}

static int
conf_parse_wait(struct conf_parse *cp, struct servconf *se, const char *f)
{
	char		 word[16], *rest, *q;
	const char	*sep, *errstr;
	size_t		 len;
	long long	 v;
	int		 i, max;

	/*
	 * OpenBSD nowait.max, NetBSD nowait:max, FreeBSD
	 * nowait/max-child/max-conn-per-ip-per-minute/max-child-per-ip.
	 */
	sep = strpbrk(f, ".:/");
	len = sep ? (size_t)(sep - f) : strlen(f);
	if (len >= sizeof(word))
		goto bad;
	memcpy(word, f, len);
	word[len] = '\0';
	if (strcmp(word, "wait") == 0)
		se->se_wait = 1;
	else if (strcmp(word, "nowait") == 0)
		se->se_wait = 0;
	else
		goto bad;
	if (sep == NULL)
		return 0;
	if (*sep != '/') {
		se->se_max = strtonum(sep + 1, 1, CONF_MAXRATE, &errstr);
		if (errstr != NULL) {
			conf_error(cp, "rate limit \"%s\" is %s "
			    "(1 to %d)", sep + 1, errstr, CONF_MAXRATE);
			return -1;
		}
		return 0;
	}
	if ((rest = strdup(sep + 1)) == NULL)
		fatal("strdup");
	for (i = 0, q = rest; i < 3; i++) {
		const char *w = strsep(&q, "/");

		if (w == NULL)
			break;
		max = i == 1 ? CONF_MAXRATE : SPAWNER_MAXCHILD;
		v = strtonum(w, 0, max, &errstr);
		if (errstr != NULL) {
			conf_error(cp, "\"%s\" in \"%s\" is %s (0 to %d)",
			    w, f, errstr, max);
			free(rest);
			return -1;
		}
		/* 0 is FreeBSD's "no limit", ours too. */
		if (i == 0)
			se->se_maxchild = v;
		else if (i == 1) {
			se->se_srcrate = v;
			se->se_srcperiod = v ? 60 : 0;
		} else
			se->se_persource = v;
		if (i > 0 && v != 0)
			cp->cp_srcown = 1;
	}
	if (q != NULL) {
		conf_error(cp, "too many limits in \"%s\"", f);
		free(rest);
		return -1;
	}
	free(rest);
	return 0;
 bad:
	conf_error(cp, "expected wait or nowait[.max], got \"%s\"", f);
	return -1;
}

static int
conf_parse_user(struct conf_parse *cp, struct servconf *se, const char *f)
{
	char		 name[CONF_MAXNAME];
	const char	*sep, *cls;
	size_t		 len, glen;

	/* user:group, the older user.group, FreeBSD's user:group/class */
	if ((sep = strchr(f, ':')) == NULL)
		sep = strchr(f, '.');
	cls = strchr(f, '/');
	len = sep ? (size_t)(sep - f) : cls ? (size_t)(cls - f) : strlen(f);
	if (len == 0 || len >= sizeof(name)) {
		conf_error(cp, "bad user \"%s\"", f);
		return -1;
	}
	memcpy(name, f, len);
	name[len] = '\0';
	servconf_setstr(&se->se_user, name);
	if (sep != NULL) {
		glen = cls ? (size_t)(cls - sep - 1) : strlen(sep + 1);
		if (glen == 0 || glen >= sizeof(name)) {
			conf_error(cp, "bad group in \"%s\"", f);
			return -1;
		}
		memcpy(name, sep + 1, glen);
		name[glen] = '\0';
		servconf_setstr(&se->se_group, name);
	}
	if (cls != NULL && cls[1] == '\0') {
		conf_error(cp, "empty login class in \"%s\"", f);
		return -1;
	}
	/* Login classes are FreeBSD's; the rlimit-* keys do their work. */
	return 0;
}

static int
conf_set_socktype(struct conf_parse *cp, struct servconf *se, const char *v)
{
	if (strcmp(v, "stream") == 0)
		se->se_socktype = SOCK_STREAM;
	else if (strcmp(v, "dgram") == 0)
		se->se_socktype = SOCK_DGRAM;
	else {
		conf_error(cp, "socket type \"%s\": expected stream or dgram",
		    v);
		return -1;
	}
	return 0;
}

static int
conf_set_program(struct conf_parse *cp, struct servconf *se, const char *v)
{
	if (strcmp(v, "internal") == 0) {
		servconf_setstr(&se->se_program, "");
		return 0;
	}
	if (v[0] != '/') {
		conf_error(cp, "program \"%s\" is not an absolute path or "
		    "internal", v);
		return -1;
	}
	if (strlen(v) >= PATH_MAX) {
		conf_error(cp, "program path too long");
		return -1;
	}
	servconf_setstr(&se->se_program, v);
	return 0;
}

static int
conf_add_arg(struct conf_parse *cp, struct servconf *se, const char *v)
{
	if (se->se_argc >= CONF_MAXARGS) {
		conf_error(cp, "too many arguments (at most %d)",
		    CONF_MAXARGS);
		return -1;
	}
	if (strlen(v) >= CONF_MAXARG) {
		conf_error(cp, "argument %d too long", se->se_argc + 1);
		return -1;
	}
	servconf_addarg(se, v);
	return 0;
}

static struct servconf *
conf_entry_new(struct conf_parse *cp)
{
	struct servconf	*se;

	se = servconf_dup(cp->cp_defaults);
	cp->cp_aclown = 0;
	cp->cp_srcown = 0;
	cp->cp_bannerown = 0;
	cp->cp_proxyfromown = 0;
	cp->cp_proxyown = 0;
	cp->cp_aclkinds = 0;
	servconf_setstr(&se->se_file, cp->cp_f->cf_name);
	se->se_line = cp->cp_f->cf_line;
	return se;
}

/* "[addr:]service" of an entry, with the sticky address applied. */
static int
conf_set_spec(struct conf_parse *cp, struct servconf *se, const char *spec)
{
	char	 host[CONF_MAXNAME], serv[CONF_MAXNAME];

	/* A UNIX socket: a path, or FreeBSD's :user:group:mode:path. */
	if (spec[0] == '/' || spec[0] == ':') {
		servconf_setstr(&se->se_host, "");
		return conf_setstr(cp, &se->se_service, spec, CONF_MAXNAME,
		    "socket path");
	}
	if (conf_split_addr(cp, spec, host, serv) == -1)
		return -1;
	servconf_setstr(&se->se_service, serv);
	if (host[0] == '\0')
		servconf_setstr(&se->se_host, cp->cp_f->cf_host);
	else if (strcmp(host, "*") == 0)
		servconf_setstr(&se->se_host, "");
	else
		servconf_setstr(&se->se_host, host);
	return 0;
}

/*
 * A pledge that names no path promise means, as on OpenBSD, that the
 * program opens no file beyond what it needs to start.  The filter has
 * to let the loader open libraries, so Landlock says which: the program,
 * its libraries and the few files the promises imply.  Where the kernel
 * lacks Landlock this extra layer is skipped with a warning (auto): it
 * was not asked for by name.
 */
static void
conf_implied_unveil(struct servconf *se)
{
	const uint64_t	 paths = PLEDGE_RPATH | PLEDGE_WPATH |
			    PLEDGE_CPATH | PLEDGE_DPATH | PLEDGE_EXEC |
			    PLEDGE_FATTR | PLEDGE_CHOWN;
	size_t		 n;

	if (se->se_promises & paths)
		return;
	n = unveil_implied(se->se_promises, NULL, 0);
	if (n == 0 || n > CONF_MAXUNVEIL)
		n = 1;		/* a ruleset with only the program */
	if ((se->se_unveil = calloc(n, sizeof(*se->se_unveil))) == NULL)
		fatal("calloc");
	se->se_nunveil = unveil_implied(se->se_promises,
	    se->se_unveil, n);
	if (se->se_nunveil == 0) {
		/* /dev/null, read and write: harmless, keeps one rule. */
		if ((se->se_unveil[0].ur_path = strdup("/dev/null")) ==
		    NULL)
			fatal("strdup");
		se->se_unveil[0].ur_perms = UNVEIL_R |
		    UNVEIL_W | UNVEIL_OPTIONAL;
		se->se_nunveil = 1;
	}
	se->se_landlock = CONF_LANDLOCK_AUTO;
}

/*
 * What is asked for must be possible, here and now: a service is never
 * started with less confinement than configured.  The filter and the
 * ruleset are built once to see that they can be; the spawner builds
 * its own.
 */
static int
conf_check_confinement(struct conf_parse *cp, struct servconf *se)
{
	struct pledge_filter	 sf;
	struct conf_checked	*ck = NULL;
	struct conf_ruleset	 key, *cr;
	struct stat		 st;
	char			 err[512];
	int			 fd, abi;

	if (se->se_program[0] == '\0') {
		if (se->se_chroot[0] || se->se_pledge[0] || se->se_nunveil) {
			conf_error(cp, "internal services run in the "
			    "listener: chroot, pledge and unveil do not "
			    "apply");
			return -1;
		}
		return 0;
	}
	if (se->se_newprivs && (se->se_pledge[0] || se->se_nunveil)) {
		conf_error(cp, "new-privileges=yes cannot go with pledge or "
		    "unveil");
		return -1;
	}
	if (se->se_newprivs && se->se_capsset) {
		conf_error(cp, "new-privileges=yes cannot go with caps: it "
		    "keeps what the program has");
		return -1;
	}
	if (se->se_chroot[0] && (stat(se->se_chroot, &st) == -1 ||
	    !S_ISDIR(st.st_mode))) {
		conf_error(cp, "chroot=%s: not a directory", se->se_chroot);
		return -1;
	}
	/* Only a pledge has a filter of its own; the baseline is ours. */
	if (se->se_pledge[0] != '\0') {
		SLIST_FOREACH(ck, &cp->cp_checked, ck_entry)
			if (ck->ck_promises == se->se_promises)
				break;
	}
	if (se->se_pledge[0] != '\0' && ck == NULL) {
		if (pledge_filter_libseccomp(&sf, se->se_promises,
		    err, sizeof(err)) == -1) {
			conf_error(cp, "pledge: %s", err);
			return -1;
		}
		pledge_filter_free(&sf);
		if ((ck = calloc(1, sizeof(*ck))) == NULL)
			fatal("calloc");
		ck->ck_promises = se->se_promises;
		SLIST_INSERT_HEAD(&cp->cp_checked, ck, ck_entry);
	}
	if (se->se_nunveil == 0 && se->se_pledge[0] != '\0')
		conf_implied_unveil(se);
	if (se->se_nunveil == 0)
		return 0;
	/* The very ruleset the spawner will build, once for entries alike. */
	key.cr_se = se;
	if ((cr = RB_FIND(conf_rulesets, &cp->cp_rulesets, &key)) != NULL)
		abi = cr->cr_abi;
	else {
		if (unveil_service(se, &fd, &abi, err, sizeof(err)) == -1) {
			conf_error(cp, "unveil: %s", err);
			return -1;
		}
		if (fd != -1)
			close(fd);
		if ((cr = calloc(1, sizeof(*cr))) == NULL)
			fatal("calloc");
		cr->cr_se = servconf_dup(se);
		cr->cr_abi = abi;
		RB_INSERT(conf_rulesets, &cp->cp_rulesets, cr);
	}
	if (abi == 0 && se->se_landlock == CONF_LANDLOCK_REQUIRED) {
		conf_error(cp, "unveil needs Landlock, which this kernel "
		    "lacks (landlock=auto runs the service without it)");
		return -1;
	}
	if (abi == 0)
		log_warnx("%s:%d: no Landlock in this kernel: unveil is not "
		    "enforced (landlock=auto)", cp->cp_f->cf_name,
		    cp->cp_f->cf_line);
	return 0;
}

/* A parsed entry: fill in what was left out, resolve, and add it. */
/*
 * Where a list can be applied: a wait stream program accepts its own
 * connections, and a UNIX datagram carries no credentials, so nothing
 * of ours sees who the peer is.  A list of the entry's own there is an
 * error; one from .defaults is dropped, with a warning, since a classic
 * line has no way to drop it.
 */
/* Whether every allow rule is of the kind the entry's peers are not. */
static int
conf_acl_otherkind(const struct servconf *se)
{
	int	 i, unixrule, allows = 0;

	for (i = 0; i < se->se_nacl; i++) {
		if (se->se_acl[i].ar_deny ||
		    se->se_acl[i].ar_list != ACL_ACCESS)
			continue;
		unixrule = se->se_acl[i].ar_kind == ACL_UID ||
		    se->se_acl[i].ar_kind == ACL_GID;
		if (unixrule == (se->se_family == AF_UNIX))
			return 0;
		allows++;
	}
	return allows > 0;
}

static int
conf_check_access(struct conf_parse *cp, struct servconf *se)
{
	const char	*why = NULL;

	if (se->se_wait && se->se_socktype == SOCK_STREAM)
		why = "a wait stream service, whose program accepts the "
		    "connections";
	else if (se->se_family == AF_UNIX && se->se_socktype == SOCK_DGRAM)
		why = "a UNIX datagram socket, whose senders carry no "
		    "credentials";
	if (se->se_nacl > 0 && why != NULL && cp->cp_aclown) {
		conf_error(cp, "%s/%s: allow= and deny= cannot apply to %s",
		    se->se_service, se->se_proto, why);
		return -1;
	}
	if (se->se_nacl > 0 && why != NULL) {
		log_warnx("%s:%d: warning: %s/%s: the access list of "
		    ".defaults does not apply to %s", cp->cp_f->cf_name,
		    cp->cp_f->cf_line, se->se_service, se->se_proto, why);
		free(se->se_acl);
		se->se_acl = NULL;
		se->se_nacl = 0;
	}
	/*
	 * A rule of the other kind never matches: written in the entry it
	 * is a mistake (allow=127.0.0.1 on a UNIX socket would let every
	 * local user in), and from .defaults it is said once.
	 */
	if ((se->se_family == AF_UNIX && (cp->cp_aclkinds & CP_ACLIP)) ||
	    (se->se_family != AF_UNIX && (cp->cp_aclkinds & CP_ACLUNIX))) {
		conf_error(cp, "%s/%s: %s rules cannot apply to %s",
		    se->se_service, se->se_proto, se->se_family == AF_UNIX ?
		    "address" : "uid: and gid:", se->se_family == AF_UNIX ?
		    "a UNIX socket" : "an IP service");
		return -1;
	}
	if (conf_acl_otherkind(se))
		log_warnx("%s:%d: warning: %s/%s: the allow= rules of "
		    ".defaults name no %s peer, so they let every one in",
		    cp->cp_f->cf_name, cp->cp_f->cf_line, se->se_service,
		    se->se_proto, se->se_family == AF_UNIX ? "UNIX" : "IP");
	/* As a list: an entry's own is an error, one of .defaults goes. */
	if (se->se_denybanner[0] != '\0' && (se->se_wait ||
	    se->se_socktype != SOCK_STREAM)) {
		if (cp->cp_bannerown) {
			conf_error(cp, "%s/%s: deny-banner= needs a nowait "
			    "stream service", se->se_service, se->se_proto);
			return -1;
		}
		servconf_setstr(&se->se_denybanner, "");
	}
	return 0;
}

/*
 * tls=yes: a stream nowait program on IP, with its certificate and key,
 * which must hold (parent/tlsfiles.c).
 */
static int
conf_check_tls(struct conf_parse *cp, struct servconf *se)
{
	char	 info[512], warn[512], err[512];

	if (!se->se_tls)
		return 0;
	if (se->se_family == AF_UNIX || se->se_wait ||
	    se->se_socktype != SOCK_STREAM || se->se_builtin != BI_NONE ||
	    se->se_mux != MUX_NONE) {
		conf_error(cp, "%s/%s: tls=yes needs a stream nowait program "
		    "on IPv4 or IPv6", se->se_service, se->se_proto);
		return -1;
	}
	if (se->se_tlscert[0] == '\0' || se->se_tlskey[0] == '\0') {
		conf_error(cp, "%s/%s: tls=yes needs tls-cert= and tls-key=",
		    se->se_service, se->se_proto);
		return -1;
	}
	if (se->se_tlsca[0] == '\0' && se->se_tlsclient !=
	    CONF_TLSCLIENT_NONE) {
		conf_error(cp, "%s/%s: tls-client= needs tls-ca=, the "
		    "authorities client certificates are checked against",
		    se->se_service, se->se_proto);
		return -1;
	}
	if (se->se_tlsca[0] != '\0' && se->se_tlsclient ==
	    CONF_TLSCLIENT_NONE)
		se->se_tlsclient = CONF_TLSCLIENT_REQUIRED;
	if ((se->se_tlsdata = calloc(1, sizeof(*se->se_tlsdata))) == NULL)
		fatal("calloc");
	if (tlsfiles_check(se, se->se_tlsdata, info, sizeof(info), warn,
	    sizeof(warn), err, sizeof(err)) == -1) {
		conf_error(cp, "%s/%s: %s", se->se_service, se->se_proto, err);
		return -1;
	}
	if (warn[0] != '\0')
		log_warnx("%s:%d: warning: %s/%s: %s", cp->cp_f->cf_name,
		    se->se_line, se->se_service, se->se_proto, warn);
	return 0;
}

/* The entry's proxy-from= rules go: it takes no PROXY header. */
static void
conf_drop_proxyfrom(struct servconf *se)
{
	int	 i, j;

	for (i = 0, j = 0; i < se->se_nacl; i++)
		if (se->se_acl[i].ar_list != ACL_PROXYFROM)
			se->se_acl[j++] = se->se_acl[i];
	se->se_nacl = j;
}

/*
 * proxy= and proxy-from=: a stream nowait IP service other than tcpmux,
 * with front ends named.  From .defaults, where it cannot apply, proxy=
 * is dropped with a warning, and proxy-from= with it; in the entry
 * itself, either is an error.  The proxy-from= rules go last in the
 * entry's list, where the children look for them.
 */
static int
conf_check_proxy(struct conf_parse *cp, struct servconf *se)
{
	struct acl_rule	 t;
	int		 i, j, nproxy = 0, applies, dropped = 0;

	for (i = 0, j = 0; i < se->se_nacl; i++) {
		if (se->se_acl[i].ar_list == ACL_PROXYFROM) {
			nproxy++;
			continue;
		}
		t = se->se_acl[i];
		memmove(&se->se_acl[j + 1], &se->se_acl[j],
		    (i - j) * sizeof(t));
		se->se_acl[j++] = t;
	}
	applies = se->se_family != AF_UNIX && !se->se_wait &&
	    se->se_socktype == SOCK_STREAM && se->se_builtin != BI_TCPMUX &&
	    se->se_mux == MUX_NONE;
	if (se->se_proxy != CONF_PROXY_NONE && !applies) {
		if (cp->cp_proxyown) {
			conf_error(cp, "%s/%s: proxy= needs a stream nowait "
			    "IP service other than tcpmux", se->se_service,
			    se->se_proto);
			return -1;
		}
		log_warnx("%s:%d: warning: %s/%s: proxy= of .defaults "
		    "does not apply to it", cp->cp_f->cf_name,
		    cp->cp_f->cf_line, se->se_service, se->se_proto);
		se->se_proxy = CONF_PROXY_NONE;
		dropped = 1;
	}
	if (se->se_proxy != CONF_PROXY_NONE && nproxy == 0) {
		conf_error(cp, "%s/%s: proxy= needs proxy-from=, the front "
		    "ends that may send the header", se->se_service,
		    se->se_proto);
		return -1;
	}
	if (se->se_proxy == CONF_PROXY_NONE && nproxy > 0) {
		if (cp->cp_proxyfromown && !dropped) {
			conf_error(cp, "%s/%s: proxy-from= without proxy=",
			    se->se_service, se->se_proto);
			return -1;
		}
		conf_drop_proxyfrom(se);
	}
	return 0;
}

/*
 * Per-source limits apply where the listener accepts connections from
 * IP peers for a program or built-in of its own.  Called once the entry
 * is resolved (its family, and whether it is tcpmux, are known).
 */
static int
conf_check_sources(struct conf_parse *cp, struct servconf *se)
{
	const char	*why;

	why = NULL;
	if (se->se_family == AF_UNIX)
		why = "a UNIX socket, whose peers have no address";
	else if (se->se_wait || se->se_socktype != SOCK_STREAM)
		why = "a service that is not stream nowait, where one "
		    "program serves every source";
	else if (se->se_builtin == BI_TCPMUX)
		why = "tcpmux itself (its services take them)";
	if ((se->se_persource > 0 || se->se_srcrate > 0) && why != NULL) {
		if (cp->cp_srcown) {
			conf_error(cp, "%s/%s: per-source limits cannot apply "
			    "to %s", se->se_service, se->se_proto, why);
			return -1;
		}
		log_warnx("%s:%d: warning: %s/%s: the per-source limits of "
		    ".defaults do not apply to %s", cp->cp_f->cf_name,
		    cp->cp_f->cf_line, se->se_service, se->se_proto, why);
		se->se_persource = se->se_srcrate = se->se_srcperiod = 0;
	}
	return 0;
}

static int
conf_finish(struct conf_parse *cp, struct servconf *se)
{
	struct ibuf	 b;
	const char	*p;
	int		 toolarge;

	if (se->se_program[0] != '\0' && se->se_argc == 0) {
		/* A missing argv0 is the program's base name. */
		p = strrchr(se->se_program, '/');
		servconf_addarg(se, p + 1);
	}
	if (se->se_program[0] == '\0')
		servconf_clearargs(se);
	/* The checks of where a key applies need the family: resolved. */
	if (conf_check_confinement(cp, se) == -1 ||
	    conf_resolve(cp, se) == -1 || conf_check_proxy(cp, se) == -1 ||
	    conf_check_sources(cp, se) == -1 ||
	    conf_check_access(cp, se) == -1 || conf_check_tls(cp, se) == -1) {
		servconf_free(se);
		return -1;
	}
	/*
	 * Once the user is known.  As with any inetd, root keeps root's
	 * powers unless told less; any other user has none unless given.
	 */
	if (se->se_newprivs || se->se_program[0] == '\0')
		se->se_caps = 0;
	else if (!se->se_capsset)
		se->se_caps = se->se_uid == 0 ? CONF_CAPS_ALL : 0;
	/* It must fit in one message to the spawner. */
	ibuf_init(&b);
	servconf_pack(se, &b, ROLE_SPAWNER);
	toolarge = b.ib_error;
	ibuf_free(&b);
	if (toolarge) {
		conf_error(cp, "entry too large: more than %d bytes of "
		    "arguments, paths and options", IMSG_MAXSIZE);
		servconf_free(se);
		return -1;
	}
	return conf_add(cp, se);
}

static int
conf_parse_line(struct conf_parse *cp, char *line)
{
	char		*fields[7 + CONF_MAXARGS + 1];
	char		*p, *word;
	int		 n = 0, i;
	struct servconf	*se;
	size_t		 len;

	p = line;
	while ((word = strsep(&p, " \t\r\n")) != NULL) {
		if (*word == '\0')
			continue;
		if (n == (int)(sizeof(fields) / sizeof(fields[0]))) {
			conf_error(cp, "too many arguments (at most %d)",
			    CONF_MAXARGS);
			return -1;
		}
		fields[n++] = word;
	}
	if (n == 0 || fields[0][0] == '#')
		return 0;

	/* A lone "addr:" sets the address for the lines that follow. */
	if (n == 1 && (len = strlen(fields[0])) > 1 &&
	    fields[0][len - 1] == ':') {
		fields[0][len - 1] = '\0';
		p = fields[0];
		/* A list keeps its brackets: conf_add_hosts takes them. */
		if (*p == '[' && strchr(p, ',') == NULL) {
			if (p[strlen(p) - 1] != ']') {
				conf_error(cp, "bad address \"%s\"", p);
				return -1;
			}
			p[strlen(p) - 1] = '\0';
			p++;
		}
		if (strcmp(p, "*") == 0)
			p = "";
		return conf_copy(cp, cp->cp_f->cf_host, p,
		    sizeof(cp->cp_f->cf_host), "address");
	}
	if (n < 6) {
		conf_error(cp, "expected [addr:]service socktype proto "
		    "wait user program [argv0 args...], got %d field%s",
		    n, n == 1 ? "" : "s");
		return -1;
	}
	if (n - 6 > CONF_MAXARGS) {
		conf_error(cp, "too many arguments (at most %d)",
		    CONF_MAXARGS);
		return -1;
	}

	se = conf_entry_new(cp);
	servconf_setstr(&se->se_group, "");
	if (conf_set_spec(cp, se, fields[0]) == -1 ||
	    conf_set_socktype(cp, se, fields[1]) == -1 ||
	    conf_set_proto(cp, se, fields[2]) == -1 ||
	    conf_parse_wait(cp, se, fields[3]) == -1 ||
	    conf_parse_user(cp, se, fields[4]) == -1 ||
	    conf_set_program(cp, se, fields[5]) == -1)
		goto fail;
	for (i = 6; i < n && se->se_program[0] != '\0'; i++)
		if (conf_add_arg(cp, se, fields[i]) == -1)
			goto fail;
	return conf_finish(cp, se);
 fail:
	servconf_free(se);
	return -1;
}

/*
 * The key-value notation, as NetBSD's inetd has it:
 *
 *	[addr:]service on|off key=value, key=value value ..., key=;
 *
 * free to span lines, with '#' comments anywhere outside quotes.
 */

static enum conf_tok
conf_token(struct conf_parse *cp, char *buf, size_t len)
{
	struct conf_file	*f = cp->cp_f;
	const char		*p = f->cf_p;
	size_t			 n = 0;

	for (;;) {
		while (p < f->cf_end && isspace((unsigned char)*p)) {
			if (*p == '\n')
				f->cf_line++;
			p++;
		}
		if (p < f->cf_end && *p == '#') {
			while (p < f->cf_end && *p != '\n')
				p++;
			continue;
		}
		break;
	}
	f->cf_p = p;
	if (p == f->cf_end)
		return TOK_EOF;
	switch (*p) {
	case '=':
		f->cf_p++;
		return TOK_EQ;
	case ',':
		f->cf_p++;
		return TOK_COMMA;
	case ';':
		f->cf_p++;
		return TOK_SEMI;
	case '"':
	case '\'':
		return conf_token_quoted(cp, buf, len);
	case '\0':
		/*
		 * Only an entry's first line was checked for NUL bytes; a
		 * word never starts at one, so go past it or spin here.
		 */
		conf_error(cp, "NUL byte in line");
		f->cf_p++;
		return TOK_ERROR;
	}
	while (p < f->cf_end && !isspace((unsigned char)*p) &&
	    strchr("=,;#\"'", *p) == NULL) {
		if (n + 1 >= len) {
			conf_error(cp, "value too long");
			f->cf_p = p;
			return TOK_ERROR;
		}
		buf[n++] = *p++;
	}
	buf[n] = '\0';
	f->cf_p = p;
	return TOK_WORD;
}

/* A quoted word at the cursor, with its escapes: \n \t \r \xHH \\ \' \". */
static enum conf_tok
conf_token_quoted(struct conf_parse *cp, char *buf, size_t len)
{
	struct conf_file	*f = cp->cp_f;
	size_t			 n = 0;
	char			 q, c;

	q = *f->cf_p++;
	while (f->cf_p < f->cf_end && *f->cf_p != q) {
		c = *f->cf_p++;
		if (c == '\n') {
			conf_error(cp, "unterminated quote");
			return TOK_ERROR;
		}
		if (c == '\0') {
			conf_error(cp, "NUL byte in line");
			return TOK_ERROR;
		}
		if (c == '\\' && f->cf_p < f->cf_end &&
		    (c = conf_token_escape(cp)) == '\0')
			return TOK_ERROR;
		if (n + 1 >= len) {
			conf_error(cp, "value too long");
			return TOK_ERROR;
		}
		buf[n++] = c;
	}
	if (f->cf_p == f->cf_end) {
		conf_error(cp, "unterminated quote");
		return TOK_ERROR;
	}
	f->cf_p++;
	buf[n] = '\0';
	return TOK_WORD;
}

/* The character an escape after a backslash stands for, or NUL if bad. */
static char
conf_token_escape(struct conf_parse *cp)
{
	struct conf_file	*f = cp->cp_f;
	int			 x, k;
	char			 c;

	switch ((c = *f->cf_p++)) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'r':
		return '\r';
	case '\\':
	case '\'':
	case '"':
		return c;
	case 'x':
		for (x = 0, k = 0; k < 2 && f->cf_p < f->cf_end &&
		    isxdigit((unsigned char)*f->cf_p); k++, f->cf_p++)
			x = x * 16 + conf_hexdigit(*f->cf_p);
		if (k == 0 || x == 0) {
			conf_error(cp, "bad \\x escape");
			return '\0';
		}
		return x;
	}
	conf_error(cp, "unknown escape \\%c", c);
	return '\0';
}

static int
conf_hexdigit(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	return tolower((unsigned char)c) - 'a' + 10;
}

/* After an error inside an entry, go on after its ';'. */
static void
conf_skip_entry(struct conf_parse *cp)
{
	char		 buf[CONF_MAXLINE];
	enum conf_tok	 t;

	while ((t = conf_token(cp, buf, sizeof(buf))) != TOK_SEMI &&
	    t != TOK_EOF)
		if (t == TOK_ERROR)
			cp->cp_errors--;	/* counted once already */
}

static int
conf_number(struct conf_parse *cp, const char *key, const char *v,
    long long min, long long max, long long *out)
{
	const char	*errstr;

	*out = strtonum(v, min, max, &errstr);
	if (errstr != NULL) {
		conf_error(cp, "%s=%s is %s (%lld to %lld)", key, v, errstr,
		    min, max);
		return -1;
	}
	return 0;
}

/*
 * The keys of the key-value notation, one handler each.  A handler gets
 * the key as written (several keys share one) and its values: exactly
 * one unless the table says KEY_LIST.
 */
/* uid:user or gid:group, by name or number, as the parent resolves them. */
static int
conf_acl_id(struct conf_parse *cp, const char *key, const char *w,
    int deny, struct acl_rule *r)
{
	struct names_pw	 pw;
	gid_t		 gid;
	const char	*name = w + 4, *errstr;
	long long	 id;
	int		 found;

	r->ar_kind = w[0] == 'u' ? ACL_UID : ACL_GID;
	r->ar_deny = deny;
	if (r->ar_kind == ACL_UID)
		found = names_getpwnam(name, &pw);
	else
		found = names_getgrnam(name, &gid);
	if (found == -1) {
		conf_error(cp, "%s=%s: %s", key, w, names_error());
		return -1;
	}
	if (found && r->ar_kind == ACL_UID)
		r->ar_id = pw.np_uid;
	else if (found)
		r->ar_id = gid;
	else {
		id = strtonum(name, 0, UINT_MAX - 1, &errstr);
		if (errstr != NULL) {
			conf_error(cp, "%s=%s: unknown %s \"%s\"", key, w,
			    r->ar_kind == ACL_UID ? "user" : "group", name);
			return -1;
		}
		r->ar_id = id;
	}
	return 1;
}

/*
 * One rule of allow= or deny=: an address, address/prefix, uid:user,
 * gid:group, or the words any and localhost, which stand for two rules.
 * An IPv4-mapped IPv6 prefix is an IPv4 one, as its peers are matched.
 */
static int
conf_acl_word(struct conf_parse *cp, const char *key, const char *w,
    int deny, struct acl_rule *r)
{
	char		 buf[INET6_ADDRSTRLEN + 8], *slash;
	const char	*errstr;
	int		 max, i, bits;
	uint8_t		 mask;

	memset(r, 0, 2 * sizeof(*r));
	r[0].ar_deny = r[1].ar_deny = deny;
	if (strcmp(w, "any") == 0 || strcmp(w, "localhost") == 0) {
		r[0].ar_kind = ACL_INET;
		r[1].ar_kind = ACL_INET6;
		if (w[0] == 'l') {
			r[0].ar_addr[0] = 127;
			r[0].ar_plen = 8;
			r[1].ar_addr[15] = 1;
			r[1].ar_plen = 128;
		}
		return 2;
	}
	if (strncmp(w, "uid:", 4) == 0 || strncmp(w, "gid:", 4) == 0)
		return conf_acl_id(cp, key, w, deny, r);
	if (strlcpy(buf, w, sizeof(buf)) >= sizeof(buf))
		goto bad;
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, r->ar_addr) == 1) {
		r->ar_kind = ACL_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, r->ar_addr) == 1) {
		r->ar_kind = ACL_INET6;
		max = 128;
	} else
		goto bad;
	r->ar_plen = max;
	if (slash != NULL) {
		if (*slash == '\0' || strspn(slash, "0123456789") !=
		    strlen(slash))
			goto bad;
		r->ar_plen = strtonum(slash, 0, max, &errstr);
		if (errstr != NULL) {
			conf_error(cp, "%s=%s: prefix /%s out of range "
			    "(0 to %d)", key, w, slash, max);
			return -1;
		}
	}
	/* Bits past the prefix are a typo more often than not: refuse. */
	for (i = 0; i < max / 8; i++) {
		bits = r->ar_plen - i * 8;
		mask = bits >= 8 ? 0 : bits <= 0 ? 0xff : 0xff >> bits;
		if (r->ar_addr[i] & mask) {
			conf_error(cp, "%s=%s: address has bits set past its "
			    "/%d prefix", key, w, r->ar_plen);
			return -1;
		}
	}
	if (r->ar_kind == ACL_INET6 && r->ar_plen >= 96 &&
	    IN6_IS_ADDR_V4MAPPED((struct in6_addr *)r->ar_addr)) {
		memmove(r->ar_addr, r->ar_addr + 12, 4);
		memset(r->ar_addr + 4, 0, 12);
		r->ar_kind = ACL_INET;
		r->ar_plen -= 96;
	}
	return 1;
 bad:
	conf_error(cp, "%s=%s: expected an address, address/prefix, "
	    "uid:user, gid:group, any or localhost", key, w);
	return -1;
}

/*
 * allow= and deny=: rules separated by blanks or commas, the key as
 * often as needed.  An entry adds to the rules of .defaults; an empty
 * value (allow="") drops the rules of that key given so far.
 */
static int
conf_key_acl(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	struct acl_rule	 r[2], *nr;
	char		 *buf, *p, *w;
	int		 i, j, n, deny = key[0] == 'd';
	int		 list = key[0] == 'p' ? ACL_PROXYFROM : ACL_ACCESS;

	if (list == ACL_ACCESS)
		cp->cp_aclown = 1;
	else
		cp->cp_proxyfromown = 1;
	for (i = 0; i < nv; i++) {
		if (vals[i][strspn(vals[i], " \t,")] == '\0') {
			for (j = 0, n = 0; j < se->se_nacl; j++)
				if (se->se_acl[j].ar_deny != deny ||
				    se->se_acl[j].ar_list != list)
					se->se_acl[n++] = se->se_acl[j];
			se->se_nacl = n;
			continue;
		}
		if ((buf = strdup(vals[i])) == NULL)
			fatal("strdup");
		p = buf;
		while ((w = strsep(&p, " \t,")) != NULL) {
			if (*w == '\0')
				continue;
			if ((n = conf_acl_word(cp, key, w, deny, r)) == -1) {
				free(buf);
				return -1;
			}
			if (list == ACL_PROXYFROM &&
			    r[0].ar_kind != ACL_INET && r[0].ar_kind != ACL_INET6) {
				conf_error(cp, "%s=%s: expected an address or "
				    "network", key, w);
				free(buf);
				return -1;
			}
			r[0].ar_list = r[1].ar_list = list;
			if (se->se_nacl + n > CONF_MAXACL) {
				conf_error(cp, "more than %d allow= and deny= "
				    "rules", CONF_MAXACL);
				free(buf);
				return -1;
			}
			if ((nr = reallocarray(se->se_acl, se->se_nacl + n,
			    sizeof(*nr))) == NULL)
				fatal("reallocarray");
			se->se_acl = nr;
			memcpy(&se->se_acl[se->se_nacl], r, n * sizeof(*r));
			se->se_nacl += n;
			for (j = 0; j < n && list == ACL_ACCESS; j++)
				cp->cp_aclkinds |= r[j].ar_kind == ACL_UID ||
				    r[j].ar_kind == ACL_GID ? CP_ACLUNIX :
				    CP_ACLIP;
		}
		free(buf);
	}
	return 0;
}

static int
conf_key_args(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	int	 i;

	(void)key;
	for (i = 0; i < nv; i++)
		if (conf_add_arg(cp, se, vals[i]) == -1)
			return -1;
	return 0;
}

static int
conf_key_backlog(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	long long	 n;

	(void)nv;
	if (conf_number(cp, key, vals[0], 1, 65535, &n) == -1)
		return -1;
	se->se_backlog = n;
	return 0;
}

static int
conf_key_bind(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	(void)key;
	(void)nv;
	if (strcmp(vals[0], "*") == 0) {
		servconf_setstr(&se->se_host, "");
		return 0;
	}
	return conf_setstr(cp, &se->se_host, vals[0], CONF_MAXNAME,
	    "address");
}

static int
conf_key_chroot(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	(void)key;
	(void)nv;
	if (vals[0][0] != '/') {
		conf_error(cp, "chroot=%s: not an absolute path", vals[0]);
		return -1;
	}
	if (strlen(vals[0]) >= PATH_MAX) {
		conf_error(cp, "chroot path too long");
		return -1;
	}
	servconf_setstr(&se->se_chroot, vals[0]);
	return 0;
}

/* A line for a refused connection, printable ASCII; "" for none. */
static int
conf_key_denybanner(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	const char	*p;

	(void)nv;
	for (p = vals[0]; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e) {
			conf_error(cp, "%s: printable characters only", key);
			return -1;
		}
	if (strlen(vals[0]) > CONF_MAXBANNER) {
		conf_error(cp, "%s: longer than %d characters", key,
		    CONF_MAXBANNER);
		return -1;
	}
	servconf_setstr(&se->se_denybanner, vals[0]);
	cp->cp_bannerown = 1;
	return 0;
}

static int
conf_key_exec(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	(void)key;
	(void)nv;
	return conf_set_program(cp, se, vals[0]);
}

static int
conf_key_group(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	(void)key;
	(void)nv;
	return conf_setstr(cp, &se->se_group, vals[0], CONF_MAXNAME,
	    "group");
}

static int
conf_key_landlock(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	(void)key;
	(void)nv;
	if (strcmp(vals[0], "required") == 0)
		se->se_landlock = CONF_LANDLOCK_REQUIRED;
	else if (strcmp(vals[0], "auto") == 0)
		se->se_landlock = CONF_LANDLOCK_AUTO;
	else {
		conf_error(cp, "landlock=%s: expected required or auto",
		    vals[0]);
		return -1;
	}
	return 0;
}

/* max= and NetBSD's service_max=: spawns per CONF_RATEPERIOD. */
static int
conf_key_max(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	long long	 n;

	(void)nv;
	if (conf_number(cp, key, vals[0], 1, CONF_MAXRATE, &n) == -1)
		return -1;
	se->se_max = n;
	return 0;
}

static int
conf_key_maxchild(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	long long	 n;

	(void)nv;
	if (conf_number(cp, key, vals[0], 0, SPAWNER_MAXCHILD, &n) == -1)
		return -1;
	se->se_maxchild = n;
	return 0;
}

static int
conf_key_fullaction(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	(void)key;
	(void)nv;
	if (strcmp(vals[0], "wait") == 0)
		se->se_fullaction = CONF_FULL_WAIT;
	else if (strcmp(vals[0], "refuse") == 0)
		se->se_fullaction = CONF_FULL_REFUSE;
	else {
		conf_error(cp, "max-child-action=%s: expected wait or refuse",
		    vals[0]);
		return -1;
	}
	return 0;
}

/* A socket buffer size: bytes, or with k or m after the number. */
static int
conf_sockbuf(struct conf_parse *cp, struct servconf *se, const char *key,
    const char *v)
{
	char		 num[32];
	const char	*errstr;
	long long	 n, mult = 1;
	size_t		 len = strlen(v);

	if (len == 0 || len >= sizeof(num))
		goto bad;
	memcpy(num, v, len + 1);
	if (num[len - 1] == 'k' || num[len - 1] == 'K')
		mult = 1024;
	else if (num[len - 1] == 'm' || num[len - 1] == 'M')
		mult = 1024 * 1024;
	if (mult != 1)
		num[len - 1] = '\0';
	n = strtonum(num, 1, CONF_MAXSOCKBUF, &errstr);
	if (errstr != NULL || n * mult > CONF_MAXSOCKBUF)
		goto bad;
	if (strcmp(key, "sndbuf") == 0)
		se->se_sndbuf = n * mult;
	else
		se->se_rcvbuf = n * mult;
	return 0;
 bad:
	conf_error(cp, "%s=%s: expected a size from 1 to %d bytes (k or m "
	    "after it for kilobytes or megabytes)", key, v, CONF_MAXSOCKBUF);
	return -1;
}

/*
 * The protocol, and the socket buffer sizes FreeBSD and NetBSD take
 * after it:
 * "tcp,sndbuf=64k,rcvbuf=64k".
 */
static int
conf_set_proto(struct conf_parse *cp, struct servconf *se, const char *f)
{
	char	 buf[128], *opts, *o, *v;

	if (strlcpy(buf, f, sizeof(buf)) >= sizeof(buf)) {
		conf_error(cp, "protocol too long: \"%.40s...\"", f);
		return -1;
	}
	if ((opts = strchr(buf, ',')) != NULL)
		*opts++ = '\0';
	if (conf_copy(cp, se->se_proto, buf, sizeof(se->se_proto),
	    "protocol") == -1)
		return -1;
	while ((o = strsep(&opts, ",")) != NULL) {
		if ((v = strchr(o, '=')) == NULL ||
		    (strncmp(o, "sndbuf=", 7) != 0 &&
		    strncmp(o, "rcvbuf=", 7) != 0)) {
			conf_error(cp, "protocol option \"%s\": expected "
			    "sndbuf=size or rcvbuf=size", o);
			return -1;
		}
		*v++ = '\0';
		if (conf_sockbuf(cp, se, o, v) == -1)
			return -1;
	}
	return 0;
}

/* NetBSD's sndbuf= and recvbuf=. */
static int
conf_key_sockbuf(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	(void)nv;
	return conf_sockbuf(cp, se, strcmp(key, "sndbuf") == 0 ? "sndbuf" :
	    "rcvbuf", vals[0]);
}

/* NetBSD's ip_max: connections at once from one client address. */
static int
conf_key_ipmax(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	return conf_key_persource(cp, se, key, vals, nv);
}

/*
 * tls=yes|no, tls-cert=FILE, tls-key=FILE, tls-ca=FILE,
 * tls-client=optional|required, tls-protocols=LIST, tls-ciphers=STRING,
 * tls-timeout=SECONDS.
 */
static int
conf_key_tls(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	const char	*errstr;
	char		 buf[64], *p, *w;
	int		 want = 0;

	(void)nv;
	if (strcmp(key, "tls-cert") == 0 || strcmp(key, "tls-key") == 0 ||
	    strcmp(key, "tls-ca") == 0) {
		if (vals[0][0] != '/') {
			conf_error(cp, "%s=%s: expected an absolute path", key,
			    vals[0]);
			return -1;
		}
		servconf_setstr(strcmp(key, "tls-cert") == 0 ? &se->se_tlscert :
		    strcmp(key, "tls-key") == 0 ? &se->se_tlskey :
		    &se->se_tlsca, vals[0]);
		return 0;
	}
	if (strcmp(key, "tls-client") == 0) {
		if (strcmp(vals[0], "optional") == 0)
			se->se_tlsclient = CONF_TLSCLIENT_OPTIONAL;
		else if (strcmp(vals[0], "required") == 0)
			se->se_tlsclient = CONF_TLSCLIENT_REQUIRED;
		else {
			conf_error(cp, "%s=%s: expected optional or required",
			    key, vals[0]);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "tls-protocols") == 0) {
		if (strlcpy(buf, vals[0], sizeof(buf)) >= sizeof(buf))
			goto badprotos;
		for (p = buf; (w = strsep(&p, ", ")) != NULL;) {
			if (*w == '\0')
				continue;
			if (strcmp(w, "tlsv1.2") == 0)
				want |= CONF_TLS_V12;
			else if (strcmp(w, "tlsv1.3") == 0)
				want |= CONF_TLS_V13;
			else if (strcmp(w, "default") == 0 ||
			    strcmp(w, "secure") == 0)
				want |= CONF_TLS_V12 | CONF_TLS_V13;
			else
				goto badprotos;
		}
		if (want == 0)
			goto badprotos;
		se->se_tlsprotos = want;
		return 0;
 badprotos:
		conf_error(cp, "%s=%s: expected tlsv1.2, tlsv1.3 or default",
		    key, vals[0]);
		return -1;
	}
	if (strcmp(key, "tls-ciphers") == 0) {
		if (vals[0][0] == '\0' ||
		    strlen(vals[0]) > CONF_MAXTLSCIPHERS) {
			conf_error(cp, "%s=: expected an OpenSSL cipher list of "
			    "at most %d characters", key, CONF_MAXTLSCIPHERS);
			return -1;
		}
		servconf_setstr(&se->se_tlsciphers, vals[0]);
		return 0;
	}
	if (strcmp(key, "tls-timeout") == 0) {
		se->se_tlstimeout = strtonum(vals[0], 1, CONF_MAXTLSTIMEOUT,
		    &errstr);
		if (errstr != NULL) {
			conf_error(cp, "%s=%s: expected seconds, 1 to %d", key,
			    vals[0], CONF_MAXTLSTIMEOUT);
			return -1;
		}
		return 0;
	}
	if (strcmp(vals[0], "yes") == 0)
		se->se_tls = 1;
	else if (strcmp(vals[0], "no") == 0)
		se->se_tls = 0;
	else {
		conf_error(cp, "%s=%s: expected yes or no", key, vals[0]);
		return -1;
	}
	return 0;
}

/* proxy=v1|v2|any|no: the PROXY protocol header a front end sends. */
static int
conf_key_proxy(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	(void)nv;
	cp->cp_proxyown = 1;
	if (strcmp(vals[0], "v1") == 0)
		se->se_proxy = CONF_PROXY_V1;
	else if (strcmp(vals[0], "v2") == 0)
		se->se_proxy = CONF_PROXY_V2;
	else if (strcmp(vals[0], "any") == 0)
		se->se_proxy = CONF_PROXY_ANY;
	else if (strcmp(vals[0], "no") == 0)
		se->se_proxy = CONF_PROXY_NONE;
	else {
		conf_error(cp, "%s=%s: expected v1, v2, any or no", key,
		    vals[0]);
		return -1;
	}
	return 0;
}

/* per-source=N: connections at once from one source; 0: no limit. */
static int
conf_key_persource(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	long long	 n;

	(void)nv;
	if (conf_number(cp, key, vals[0], 0, SPAWNER_MAXCHILD, &n) == -1)
		return -1;
	se->se_persource = n;
	cp->cp_srcown = 1;
	return 0;
}

/* per-source-rate=N/SECONDS, or 0 for none. */
static int
conf_key_srcrate(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	char		 buf[64], *slash;
	long long	 n, secs;

	(void)nv;
	cp->cp_srcown = 1;
	if (strcmp(vals[0], "0") == 0) {
		se->se_srcrate = se->se_srcperiod = 0;
		return 0;
	}
	if (strlcpy(buf, vals[0], sizeof(buf)) >= sizeof(buf) ||
	    (slash = strchr(buf, '/')) == NULL) {
		conf_error(cp, "%s=%s: expected CONNECTIONS/SECONDS, e.g. "
		    "10/60, or 0", key, vals[0]);
		return -1;
	}
	*slash++ = '\0';
	if (conf_number(cp, key, buf, 1, CONF_MAXRATE, &n) == -1 ||
	    conf_number(cp, key, slash, 1, CONF_MAXSRCPERIOD, &secs) == -1)
		return -1;
	se->se_srcrate = n;
	se->se_srcperiod = secs;
	return 0;
}

/* source-prefix4= and source-prefix6=: how wide one source is. */
static int
conf_key_srcprefix(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	const char	*v = vals[0];
	long long	 n;
	int		 v6 = key[strlen(key) - 1] == '6';

	(void)nv;
	if (*v == '/')
		v++;
	if (conf_number(cp, key, v, 1, v6 ? 128 : 32, &n) == -1)
		return -1;
	if (v6)
		se->se_srcprefix6 = n;
	else
		se->se_srcprefix4 = n;
	return 0;
}

/*
 * caps=all, caps=none, or capability names, each value one or more
 * separated by blanks or commas: caps="setuid setgid" or caps=setuid,setgid.
 */
static int
conf_key_caps(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	char		 buf[CONF_MAXPLEDGE], *p, *name;
	uint64_t	 caps = 0;
	int		 i, cap, n = 0, special = 0;

	(void)key;
	for (i = 0; i < nv; i++) {
		if (strlcpy(buf, vals[i], sizeof(buf)) >= sizeof(buf)) {
			conf_error(cp, "caps: too long");
			return -1;
		}
		p = buf;
		while ((name = strsep(&p, " \t,")) != NULL) {
			if (*name == '\0')
				continue;
			n++;
			if (strcmp(name, "all") == 0) {
				caps = CONF_CAPS_ALL;
				special++;
			} else if (strcmp(name, "none") == 0)
				special++;
			else if ((cap = conf_cap_lookup(name)) == -1) {
				conf_error(cp, "caps: unknown capability "
				    "\"%s\"", name);
				return -1;
			} else
				caps |= 1ULL << cap;
		}
	}
	if (n == 0 || (special && n > 1)) {
		conf_error(cp, "caps: expected all, none, or capability "
		    "names");
		return -1;
	}
	se->se_caps = caps;
	se->se_capsset = 1;
	return 0;
}

static int
conf_key_newprivs(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	(void)key;
	(void)nv;
	if (strcmp(vals[0], "yes") == 0)
		se->se_newprivs = 1;
	else if (strcmp(vals[0], "no") == 0)
		se->se_newprivs = 0;
	else {
		conf_error(cp, "new-privileges=%s: expected yes or no",
		    vals[0]);
		return -1;
	}
	return 0;
}

static int
conf_key_nice(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	long long	 n;

	(void)nv;
	if (conf_number(cp, key, vals[0], -20, 19, &n) == -1)
		return -1;
	se->se_nice = n;
	se->se_niceset = 1;
	return 0;
}

static int
conf_key_pause(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	long long	 n;

	(void)nv;
	if (conf_number(cp, key, vals[0], 1, CONF_MAXPAUSE, &n) == -1)
		return -1;
	se->se_pause = n;
	return 0;
}

static int
conf_key_pledge(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	char	 err[256];

	(void)key;
	(void)nv;
	/*
	 * On OpenBSD pledge("") is the tightest pledge there is, so an
	 * empty list must not quietly mean none: clearing a default takes
	 * the word.
	 */
	if (strcmp(vals[0], "none") == 0) {
		servconf_setstr(&se->se_pledge, "");
		se->se_promises = 0;
		return 0;
	}
	if (vals[0][strspn(vals[0], " \t")] == '\0') {
		conf_error(cp, "pledge=\"%s\": no promises; pledge=none "
		    "is no filter, stdio the least one", vals[0]);
		return -1;
	}
	if (pledge_parse(vals[0], &se->se_promises, err,
	    sizeof(err)) == -1) {
		conf_error(cp, "pledge=\"%s\": %s", vals[0], err);
		return -1;
	}
	return conf_setstr(cp, &se->se_pledge, vals[0], CONF_MAXPLEDGE,
	    "pledge");
}

static int
conf_key_port(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	(void)key;
	(void)nv;
	return conf_setstr(cp, &se->se_portname, vals[0], CONF_MAXNAME,
	    "port");
}

static int
conf_key_protocol(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	(void)key;
	(void)nv;
	return conf_set_proto(cp, se, vals[0]);
}

/* rlimit-nofile= and the others: soft and hard limit, or infinity. */
static int
conf_key_rlimit(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	long long	 n;
	int		 i;

	(void)nv;
	if ((i = conf_rlimit_index(key)) == -1)
		fatalx("%s: no resource for key %s", __func__, key);
	if (strcmp(vals[0], "infinity") == 0)
		se->se_rlimit[i].rl_value = RLIM_INFINITY;
	else {
		if (conf_number(cp, key, vals[0], 0, LLONG_MAX, &n) == -1)
			return -1;
		se->se_rlimit[i].rl_value = n;
	}
	se->se_rlimit[i].rl_set = 1;
	return 0;
}

static int
conf_key_socktype(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	(void)key;
	(void)nv;
	return conf_set_socktype(cp, se, vals[0]);
}

/* timeout=: how long a child of the service runs; 0, none. */
static int
conf_key_timeout(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	long long	 n;

	(void)nv;
	if (conf_number(cp, key, vals[0], 0, CONF_MAXTIMEOUT, &n) == -1)
		return -1;
	se->se_timeout = n;
	return 0;
}

/* A key that is yes or no: 1, 0, or -1 with the error said. */
static int
conf_yesno(struct conf_parse *cp, const char *key, const char *val)
{
	if (strcmp(val, "yes") == 0)
		return 1;
	if (strcmp(val, "no") == 0)
		return 0;
	conf_error(cp, "%s=%s: expected yes or no", key, val);
	return -1;
}

static int
conf_key_udpreflect(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	int	 v;

	(void)nv;
	if ((v = conf_yesno(cp, key, vals[0])) == -1)
		return -1;
	se->se_udpreflect = v;
	return 0;
}

/* log=yes|no: a record of every program's end, or none. */
static int
conf_key_log(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	int	 v;

	(void)nv;
	if ((v = conf_yesno(cp, key, vals[0])) == -1)
		return -1;
	se->se_nolog = !v;
	return 0;
}

static int
conf_key_umask(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	char	*end;
	long	 m;

	(void)key;
	(void)nv;
	errno = 0;
	m = strtol(vals[0], &end, 8);
	if (errno || end == vals[0] || *end != '\0' || m < 0 || m > 0777) {
		conf_error(cp, "umask=%s: expected an octal mode", vals[0]);
		return -1;
	}
	se->se_umask = m;
	return 0;
}

/* unveil="/path rx" "/other r", and the key may repeat. */
static int
conf_key_unveil(struct conf_parse *cp, struct servconf *se,
    const char *key, char **vals, int nv)
{
	struct unveil_rule	 u, *nu;
	char			 err[256];
	int			 i;

	(void)key;
	for (i = 0; i < nv; i++) {
		if (unveil_parse(vals[i], &u, err,
		    sizeof(err)) == -1) {
			conf_error(cp, "unveil=\"%s\": %s", vals[i], err);
			return -1;
		}
		if (se->se_nunveil == CONF_MAXUNVEIL) {
			unveil_clear(&u, 1);
			conf_error(cp, "more than %d unveil paths",
			    CONF_MAXUNVEIL);
			return -1;
		}
		if ((nu = reallocarray(se->se_unveil, se->se_nunveil + 1,
		    sizeof(*nu))) == NULL)
			fatal("reallocarray");
		se->se_unveil = nu;
		se->se_unveil[se->se_nunveil++] = u;
	}
	return 0;
}

static int
conf_key_user(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	(void)key;
	(void)nv;
	return conf_setstr(cp, &se->se_user, vals[0], CONF_MAXNAME,
	    "user");
}

static int
conf_key_wait(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv)
{
	(void)key;
	(void)nv;
	if (strcmp(vals[0], "yes") == 0)
		se->se_wait = 1;
	else if (strcmp(vals[0], "no") == 0)
		se->se_wait = 0;
	else {
		conf_error(cp, "wait=%s: expected yes or no", vals[0]);
		return -1;
	}
	cp->cp_waitset = 1;
	return 0;
}

/* Every key, sorted by name for bsearch(3); conf_load checks the order. */
static const struct conf_keyword {
	const char	*kw_name;
	int		(*kw_set)(struct conf_parse *, struct servconf *,
			    const char *, char **, int);
	int		 kw_flags;
#define KEY_ENTRY	0x01	/* one entry's own: not in .defaults */
#define KEY_LIST	0x02	/* takes any number of values */
} conf_keywords[] = {
	{ "allow",		conf_key_acl,		KEY_LIST },
	{ "args",		conf_key_args,	KEY_ENTRY|KEY_LIST },
	{ "backlog",		conf_key_backlog,	0 },
	{ "bind",		conf_key_bind,		KEY_ENTRY },
	{ "caps",		conf_key_caps,		KEY_LIST },
	{ "chroot",		conf_key_chroot,	0 },
	{ "deny",		conf_key_acl,		KEY_LIST },
	{ "deny-banner",	conf_key_denybanner,	0 },
	{ "exec",		conf_key_exec,		KEY_ENTRY },
	{ "group",		conf_key_group,		0 },
	{ "ip_max",		conf_key_ipmax,		0 },
	{ "landlock",		conf_key_landlock,	0 },
	{ "log",		conf_key_log,		0 },
	{ "max",		conf_key_max,		0 },
	{ "max-child",		conf_key_maxchild,	0 },
	{ "max-child-action",	conf_key_fullaction,	0 },
	{ "new-privileges",	conf_key_newprivs,	0 },
	{ "nice",		conf_key_nice,		0 },
	{ "pause",		conf_key_pause,		0 },
	{ "per-source",		conf_key_persource,	0 },
	{ "per-source-rate",	conf_key_srcrate,	0 },
	{ "pledge",		conf_key_pledge,	0 },
	{ "port",		conf_key_port,		KEY_ENTRY },
	{ "protocol",		conf_key_protocol,	KEY_ENTRY },
	{ "proxy",		conf_key_proxy,		0 },
	{ "proxy-from",		conf_key_acl,		KEY_LIST },
	{ "recvbuf",		conf_key_sockbuf,	0 },
	{ "rlimit-as",		conf_key_rlimit,	0 },
	{ "rlimit-core",	conf_key_rlimit,	0 },
	{ "rlimit-cpu",		conf_key_rlimit,	0 },
	{ "rlimit-data",	conf_key_rlimit,	0 },
	{ "rlimit-fsize",	conf_key_rlimit,	0 },
	{ "rlimit-nofile",	conf_key_rlimit,	0 },
	{ "rlimit-nproc",	conf_key_rlimit,	0 },
	{ "rlimit-stack",	conf_key_rlimit,	0 },
	{ "service_max",	conf_key_max,		0 },
	{ "sndbuf",		conf_key_sockbuf,	0 },
	{ "socktype",		conf_key_socktype,	KEY_ENTRY },
	{ "source-prefix4",	conf_key_srcprefix,	0 },
	{ "source-prefix6",	conf_key_srcprefix,	0 },
	{ "timeout",		conf_key_timeout,	0 },
	{ "tls",		conf_key_tls,		0 },
	{ "tls-ca",		conf_key_tls,		0 },
	{ "tls-cert",		conf_key_tls,		0 },
	{ "tls-ciphers",	conf_key_tls,		0 },
	{ "tls-client",		conf_key_tls,		0 },
	{ "tls-key",		conf_key_tls,		0 },
	{ "tls-protocols",	conf_key_tls,		0 },
	{ "tls-timeout",	conf_key_tls,		0 },
	{ "udp-reflect",	conf_key_udpreflect,	0 },
	{ "umask",		conf_key_umask,		0 },
	{ "unveil",		conf_key_unveil,	KEY_LIST },
	{ "user",		conf_key_user,		0 },
	{ "wait",		conf_key_wait,		0 },
};

static int
conf_keyword_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct conf_keyword *)e)->kw_name);
}

static const struct conf_keyword *
conf_keyword_lookup(const char *key)
{
	return bsearch(key, conf_keywords, nitems(conf_keywords),
	    sizeof(conf_keywords[0]), conf_keyword_cmp);
}

/* A table out of order would make keys vanish: refuse to run at all. */
static void
conf_keyword_check(void)
{
	size_t	 i;

	for (i = 1; i < nitems(conf_keywords); i++)
		if (strcmp(conf_keywords[i - 1].kw_name,
		    conf_keywords[i].kw_name) >= 0)
			fatalx("%s: keyword %s out of order", __func__,
			    conf_keywords[i].kw_name);
}

static int
conf_apply_key(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv, int isdefaults)
{
	const struct conf_keyword	*kw;

	kw = conf_keyword_lookup(key);
	if (kw != NULL && isdefaults && (kw->kw_flags & KEY_ENTRY)) {
		conf_error(cp, "%s cannot be a default", key);
		return -1;
	}
	if ((kw == NULL || !(kw->kw_flags & KEY_LIST)) && nv != 1) {
		conf_error(cp, "%s takes one value, got %d", key, nv);
		return -1;
	}
	if (kw == NULL) {
		conf_error(cp, "unknown key \"%s\"", key);
		return -1;
	}
	return kw->kw_set(cp, se, key, vals, nv);
}

/*
 * The options of one entry (or of .defaults), up to and including the
 * closing ';'.
 */
static int
conf_parse_options(struct conf_parse *cp, struct servconf *se,
    int isdefaults)
{
	char		 key[64], *vals[CONF_MAXARGS + 1];
	char		 buf[CONF_MAXLINE];
	enum conf_tok	 t;
	int		 nv, i, rc = 0;

	for (;;) {
		if ((t = conf_token(cp, key, sizeof(key))) == TOK_SEMI)
			return 0;
		if (t != TOK_WORD) {
			if (t == TOK_EOF)
				conf_error(cp, "missing ';' at end of file");
			else if (t != TOK_ERROR)
				conf_error(cp, "expected key=value");
			goto skip;
		}
		if (conf_token(cp, buf, sizeof(buf)) != TOK_EQ) {
			conf_error(cp, "expected '=' after \"%s\"", key);
			goto skip;
		}
		nv = 0;
		while ((t = conf_token(cp, buf, sizeof(buf))) == TOK_WORD) {
			if (nv == CONF_MAXARGS) {
				conf_error(cp, "%s: too many values", key);
				rc = -1;
				break;
			}
			if ((vals[nv++] = strdup(buf)) == NULL)
				fatal("strdup");
		}
		if (rc == 0 && t != TOK_COMMA && t != TOK_SEMI) {
			if (t == TOK_EOF)
				conf_error(cp, "missing ';' at end of file");
			else if (t != TOK_ERROR)
				conf_error(cp, "expected ',' or ';' after "
				    "\"%s\" values", key);
			rc = -1;
		}
		if (rc == 0)
			rc = conf_apply_key(cp, se, key, vals, nv,
			    isdefaults);
		for (i = 0; i < nv; i++)
			free(vals[i]);
		if (rc == -1) {
			if (t != TOK_SEMI && t != TOK_EOF)
				conf_skip_entry(cp);
			return -1;
		}
		if (t == TOK_SEMI)
			return 0;
	}
 skip:
	conf_skip_entry(cp);
	return -1;
}

static int
conf_parse_kv(struct conf_parse *cp, const char *spec, int on)
{
	struct servconf	*se;
	int		 rc, endline = 0;

	se = conf_entry_new(cp);
	cp->cp_waitset = 0;
	if (conf_set_spec(cp, se, spec) == -1) {
		conf_skip_entry(cp);
		goto fail;
	}
	if (conf_parse_options(cp, se, 0) == -1)
		goto fail;
	if (!on) {
		/* Kept by name only, for inetdctl to show as disabled. */
		if (cp->cp_ndisabled++ < CONF_MAXSERVICES)
			TAILQ_INSERT_TAIL(&cp->cp_conf->c_disabled, se,
			    se_entry);
		else
			servconf_free(se);
		return 0;
	}
	se->se_line = cp->cp_kvline;
	/* Each check names the line the entry starts on. */
	endline = cp->cp_f->cf_line;
	cp->cp_f->cf_line = cp->cp_kvline;
	if (se->se_proto[0] == '\0') {
		conf_error(cp, "%s: protocol= is missing", se->se_service);
		goto fail;
	}
	if (se->se_socktype == 0)
		se->se_socktype = strncmp(se->se_proto, "udp", 3) == 0 ?
		    SOCK_DGRAM : SOCK_STREAM;
	if (se->se_user[0] == '\0') {
		conf_error(cp, "%s: user= is missing", se->se_service);
		goto fail;
	}
	if (!cp->cp_waitset && se->se_program[0] != '\0') {
		conf_error(cp, "%s: wait= is missing", se->se_service);
		goto fail;
	}
	rc = conf_finish(cp, se);
	cp->cp_f->cf_line = endline;
	return rc;
 fail:
	if (endline)
		cp->cp_f->cf_line = endline;
	servconf_free(se);
	return -1;
}

static int
conf_resolve_user(struct conf_parse *cp, struct servconf *se)
{
	struct names_pw	 pw;
	gid_t		 groups[CONF_MAXGROUPS], gid;
	int		 ngroups = CONF_MAXGROUPS, found;
	const char	*errstr;

	struct conf_cred	 key, *cc;

	strlcpy(key.cc_user, se->se_user, sizeof(key.cc_user));
	strlcpy(key.cc_group, se->se_group, sizeof(key.cc_group));
	if ((cc = RB_FIND(conf_creds, &cp->cp_creds, &key)) != NULL) {
		se->se_uid = cc->cc_uid;
		se->se_gid = cc->cc_gid;
		servconf_setgroups(se, cc->cc_groups, cc->cc_ngroups);
		return 0;
	}
	if ((found = names_getpwnam(se->se_user, &pw)) == 0) {
		/* A number is taken as a uid only if it is not a name. */
		se->se_uid = strtonum(se->se_user, 0, UINT_MAX - 1, &errstr);
		if (errstr == NULL)
			found = names_getpwuid(se->se_uid, &pw);
		else
			found = 0;
	}
	if (found == -1)
		goto failed;
	if (found == 0) {
		conf_error(cp, "unknown user \"%s\"", se->se_user);
		return -1;
	}
	se->se_uid = pw.np_uid;
	se->se_gid = pw.np_gid;
	if (se->se_group[0] != '\0') {
		if ((found = names_getgrnam(se->se_group, &gid)) == 0) {
			gid = strtonum(se->se_group, 0, UINT_MAX - 1,
			    &errstr);
			if (errstr == NULL)
				found = names_getgrgid(gid);
		}
		if (found == -1)
			goto failed;
		if (found == 0) {
			conf_error(cp, "unknown group \"%s\"",
			    se->se_group);
			return -1;
		}
		se->se_gid = gid;
	}
	/* The user's groups, as initgroups(3) would set them. */
	if ((found = names_grouplist(pw.np_name, se->se_gid, groups,
	    &ngroups)) == -1)
		goto failed;
	if (found == 0) {
		conf_error(cp, "user \"%s\" is in more than %d groups",
		    se->se_user, CONF_MAXGROUPS);
		return -1;
	}
	servconf_setgroups(se, groups, ngroups);
	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		fatal("calloc");
	*cc = key;
	cc->cc_uid = se->se_uid;
	cc->cc_gid = se->se_gid;
	memcpy(cc->cc_groups, groups, ngroups * sizeof(gid_t));
	cc->cc_ngroups = se->se_ngroups;
	RB_INSERT(conf_creds, &cp->cp_creds, cc);
	return 0;
 failed:
	conf_error(cp, "user \"%s\": %s", se->se_user, names_error());
	return -1;
}

/*
 * protocol unix: the service is the socket's path, optionally after
 * FreeBSD's :user:group:mode: giving the socket file's owner and mode.
 */
static int
conf_resolve_unix(struct conf_parse *cp, struct servconf *se)
{
	struct sockaddr_un	*sun = (struct sockaddr_un *)&se->se_ss;
	struct names_pw		 pw;
	gid_t			 gid;
	char			 spec[CONF_MAXNAME], *p, *u, *g, *m, *end;
	long			 mode;
	int			 found;

	se->se_sockuid = 0;
	se->se_sockgid = 0;
	se->se_sockmode = 0200;
	strlcpy(spec, se->se_service, sizeof(spec));
	p = spec;
	if (*p == ':') {
		u = p + 1;
		if ((g = strchr(u, ':')) == NULL ||
		    (m = strchr(g + 1, ':')) == NULL) {
			conf_error(cp, "expected :user:group:mode:path, got "
			    "\"%s\"", se->se_service);
			return -1;
		}
		*g++ = '\0';
		*m++ = '\0';
		if ((found = names_getpwnam(u, &pw)) == -1)
			conf_error(cp, "user \"%s\": %s", u, names_error());
		else if (found == 0)
			conf_error(cp, "unknown user \"%s\"", u);
		if (found != 1)
			return -1;
		if ((found = names_getgrnam(g, &gid)) == -1)
			conf_error(cp, "group \"%s\": %s", g, names_error());
		else if (found == 0)
			conf_error(cp, "unknown group \"%s\"", g);
		if (found != 1)
			return -1;
		errno = 0;
		mode = strtol(m, &end, 8);
		if (errno || end == m || *end != ':' || mode <= 0 ||
		    mode > 0777) {
			conf_error(cp, "bad socket mode \"%s\"", m);
			return -1;
		}
		se->se_sockuid = pw.np_uid;
		se->se_sockgid = gid;
		se->se_sockmode = mode;
		p = end + 1;
	}
	if (p[0] != '/') {
		conf_error(cp, "socket path \"%s\" is not absolute", p);
		return -1;
	}
	if (strlen(p) >= sizeof(sun->sun_path)) {
		conf_error(cp, "socket path \"%s\" longer than %zu bytes", p,
		    sizeof(sun->sun_path) - 1);
		return -1;
	}
	if (se->se_program[0] == '\0') {
		conf_error(cp, "no internal services on UNIX sockets");
		return -1;
	}
	if (se->se_wait == 0 && se->se_socktype == SOCK_DGRAM) {
		conf_error(cp, "dgram services on UNIX sockets must be wait");
		return -1;
	}
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strlcpy(sun->sun_path, p, sizeof(sun->sun_path));
	se->se_sslen = offsetof(struct sockaddr_un, sun_path) + strlen(p) + 1;
	servconf_setstr(&se->se_service, p);
	se->se_port = 0;
	return conf_resolve_user(cp, se);
}

/*
 * tcpmux/name and tcpmux/+name (RFC 1078): reached through the internal
 * tcpmux service, never bound themselves.
 */
static int
conf_resolve_mux(struct conf_parse *cp, struct servconf *se)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&se->se_ss;
	const char		*name;
	size_t			 i;

	name = se->se_service + strlen(CONF_MUXPREFIX);
	se->se_mux = MUX_PLAIN;
	if (*name == '+') {
		se->se_mux = MUX_PLUS;
		name++;
	}
	if (*name == '\0' || strlen(name) > CONF_MAXMUXNAME) {
		conf_error(cp, "tcpmux name must be 1 to %d characters",
		    CONF_MAXMUXNAME);
		return -1;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (!isgraph((unsigned char)name[i])) {
			conf_error(cp, "tcpmux name \"%s\" has a blank or "
			    "control character", name);
			return -1;
		}
	if (strcasecmp(name, "help") == 0) {
		conf_error(cp, "tcpmux/help is reserved");
		return -1;
	}
	if (se->se_socktype != SOCK_STREAM ||
	    se->se_protocol != IPPROTO_TCP || se->se_wait ||
	    se->se_program[0] == '\0') {
		conf_error(cp, "tcpmux services must be stream tcp nowait "
		    "programs");
		return -1;
	}
	/* NetBSD refuses them too: the sizes would go nowhere. */
	if ((se->se_sndbuf != 0 &&
	    se->se_sndbuf != cp->cp_defaults->se_sndbuf) ||
	    (se->se_rcvbuf != 0 &&
	    se->se_rcvbuf != cp->cp_defaults->se_rcvbuf)) {
		conf_error(cp, "tcpmux services have no socket of their own: "
		    "set sndbuf and rcvbuf on the tcpmux line");
		return -1;
	}
	se->se_sndbuf = se->se_rcvbuf = 0;
	servconf_setstr(&se->se_muxname, name);
	/* Any TCP connection: the tcpmux socket's family decides. */
	se->se_family = AF_INET;
	se->se_port = 1;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	se->se_sslen = sizeof(*sin);
	return conf_resolve_user(cp, se);
}

/*
 * "::1:daytime" or "::1,127.0.0.1:daytime": an IPv6 address without
 * brackets first, which OpenBSD splits at the last colon too.  It was
 * taken for FreeBSD's :user:group:mode:path until the protocol said
 * internet.  An address from bind= stays, as it does for any spec.
 */
static int
conf_resolve_bare6(struct conf_parse *cp, struct servconf *se)
{
	char	 host[CONF_MAXNAME], serv[CONF_MAXNAME];

	if (conf_split_addr(cp, se->se_service, host, serv) == -1)
		return -1;
	if (serv[0] == '/')
		return 0;	/* a socket path: refused as such */
	if (se->se_host[0] == '\0')
		servconf_setstr(&se->se_host, host);
	servconf_setstr(&se->se_service, serv);
	return 0;
}

static int
conf_resolve(struct conf_parse *cp, struct servconf *se)
{
	size_t		 i;
	struct servent	*sv;
	const char	*errstr, *pname, *portname;
	int		 port;

	for (i = 0; i < nitems(protos); i++)
		if (strcmp(protos[i].name, se->se_proto) == 0)
			break;
	if (i == nitems(protos) && strncmp(se->se_proto, "rpc/", 4) == 0) {
		conf_error(cp, "Sun RPC services (%s) are not supported: "
		    "inetd does not register them with the portmapper",
		    se->se_proto);
		return -1;
	}
	if (i == nitems(protos)) {
		conf_error(cp, "unknown protocol \"%s\"", se->se_proto);
		return -1;
	}
	se->se_family = protos[i].family;
	se->se_protocol = protos[i].protocol;
	if (se->se_family == AF_UNIX)
		return conf_resolve_unix(cp, se);
	if (se->se_service[0] == ':' && conf_resolve_bare6(cp, se) == -1)
		return -1;
	if (se->se_service[0] == '/' || se->se_service[0] == ':') {
		conf_error(cp, "a socket path needs protocol unix");
		return -1;
	}
	if (strncmp(se->se_service, CONF_MUXPREFIX,
	    strlen(CONF_MUXPREFIX)) == 0)
		return conf_resolve_mux(cp, se);
	if ((se->se_protocol == IPPROTO_TCP && se->se_socktype != SOCK_STREAM)
	    || (se->se_protocol == IPPROTO_UDP &&
	    se->se_socktype != SOCK_DGRAM)) {
		conf_error(cp, "protocol %s does not go with socket type %s",
		    se->se_proto, se->se_socktype == SOCK_STREAM ?
		    "stream" : "dgram");
		return -1;
	}
	pname = se->se_protocol == IPPROTO_TCP ? "tcp" : "udp";

	if (se->se_program[0] == '\0') {
		se->se_builtin = conf_builtin_lookup(se->se_service);
		if (se->se_builtin == BI_NONE &&
		    (strcmp(se->se_service, "auth") == 0 ||
		    strcmp(se->se_service, "ident") == 0)) {
			conf_error(cp, "no internal %s (ident) service, as "
			    "FreeBSD's inetd has: run an ident daemon as a "
			    "program instead", se->se_service);
			return -1;
		}
		if (se->se_builtin == BI_NONE) {
			conf_error(cp, "no internal service \"%s\"",
			    se->se_service);
			return -1;
		}
	}

	portname = se->se_portname[0] ? se->se_portname : se->se_service;
	port = strtonum(portname, 1, 65535, &errstr);
	if (errstr != NULL) {
		if (isdigit((unsigned char)portname[0])) {
			conf_error(cp, "port \"%s\" is %s (1 to 65535)",
			    portname, errstr);
			return -1;
		}
		if ((sv = getservbyname(portname, pname)) == NULL) {
			conf_error(cp, "unknown service \"%s/%s\"",
			    portname, pname);
			return -1;
		}
		port = ntohs(sv->s_port);
	}
	se->se_port = port;
	return conf_resolve_user(cp, se);
}

/* One entry into the table, unless its socket is taken already. */
static int
conf_add_one(struct conf_parse *cp, struct servconf *se)
{
	struct servconf		*o = NULL;
	struct conf_sock	 key, *cs;

	if (se->se_mux) {
		TAILQ_FOREACH(o, &cp->cp_conf->c_services, se_entry)
			if (o->se_mux &&
			    strcasecmp(se->se_muxname, o->se_muxname) == 0)
				break;
	} else {
		key.cs_se = se;
		if ((cs = RB_FIND(conf_socks, &cp->cp_socks, &key)) != NULL)
			o = cs->cs_se;
	}
	if (o != NULL) {
		conf_error(cp, "%s/%s is already configured at %s:%d",
		    se->se_service, se->se_proto, o->se_file, o->se_line);
		servconf_free(se);
		return -1;
	}
	/*
	 * A UDP built-in answers whoever a datagram claims to be from, so
	 * where spoofed sources can reach it, it reflects traffic at a
	 * victim: only where the admin asks for it by name.
	 */
	if (se->se_builtin != BI_NONE && se->se_socktype == SOCK_DGRAM &&
	    !conf_loopback(se) && !se->se_udpreflect) {
		conf_error(cp, "%s/%s: a UDP internal service on an address "
		    "other than loopback needs udp-reflect=yes",
		    se->se_service, se->se_proto);
		servconf_free(se);
		return -1;
	}
	if (cp->cp_conf->c_count >= CONF_MAXSERVICES) {
		conf_error(cp, "more than %d services", CONF_MAXSERVICES);
		servconf_free(se);
		return -1;
	}
	/* What a child holds, and the messages it takes to send it. */
	cp->cp_nacl += se->se_nacl;
	cp->cp_nmsg += 1 + (se->se_nacl + CONF_ACLCHUNK - 1) / CONF_ACLCHUNK;
	if (cp->cp_nacl > CONF_MAXACLTOTAL || cp->cp_nmsg > CONF_MAXSERVICES) {
		conf_error(cp, "the access lists of all services take more "
		    "than %d rules or %d messages", CONF_MAXACLTOTAL,
		    CONF_MAXSERVICES);
		servconf_free(se);
		return -1;
	}
	if (!se->se_mux) {
		if ((cs = calloc(1, sizeof(*cs))) == NULL)
			fatal("calloc");
		cs->cs_se = se;
		RB_INSERT(conf_socks, &cp->cp_socks, cs);
	}
	se->se_index = cp->cp_conf->c_count++;
	TAILQ_INSERT_TAIL(&cp->cp_conf->c_services, se, se_entry);
	return 0;
}

/*
 * OpenBSD's host list, "127.0.0.1,::1:daytime": an entry for each host,
 * "*" for any, an IPv6 address in brackets or not.  Every host must
 * give an address, or the line is an error.
 */
static int
conf_add_hosts(struct conf_parse *cp, struct servconf *tmpl)
{
	char		 list[CONF_MAXNAME], *p, *h;
	struct servconf	*se;
	size_t		 len;
	int		 rc = 0;

	strlcpy(list, tmpl->se_host, sizeof(list));
	p = list;
	while ((h = strsep(&p, ",")) != NULL && rc == 0) {
		len = strlen(h);
		if (len >= 2 && h[0] == '[' && h[len - 1] == ']') {
			h[len - 1] = '\0';
			h++;
		}
		if (*h == '\0' || strchr(h, ',') != NULL) {
			conf_error(cp, "empty host in \"%s\"", tmpl->se_host);
			rc = -1;
			break;
		}
		se = servconf_dup(tmpl);
		servconf_setstr(&se->se_host, strcmp(h, "*") == 0 ? "" : h);
		rc = conf_add(cp, se);
	}
	servconf_free(tmpl);
	return rc;
}

/*
 * Give each address of the service an entry of its own: a name may
 * resolve to several, and tcp46 is a v4 and a v6 socket.
 */
static int
conf_add(struct conf_parse *cp, struct servconf *tmpl)
{
	struct addrinfo	 hints, *res, *ai;
	struct servconf	*se;
	char		 portstr[8];
	int		 error, rc = -1;

	if (tmpl->se_family == AF_UNIX || tmpl->se_mux)
		return conf_add_one(cp, tmpl);
	if (strchr(tmpl->se_host, ',') != NULL)
		return conf_add_hosts(cp, tmpl);
	/*
	 * Plain tcp or udp with an IPv6 address means IPv6, as NetBSD
	 * has it and as a list like 127.0.0.1,::1 needs; tcp4 does not.
	 */
	if (tmpl->se_family == AF_INET && strchr(tmpl->se_host, ':') != NULL &&
	    (strcmp(tmpl->se_proto, "tcp") == 0 ||
	    strcmp(tmpl->se_proto, "udp") == 0))
		tmpl->se_family = AF_INET6;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = tmpl->se_family;
	hints.ai_socktype = tmpl->se_socktype;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof(portstr), "%d", tmpl->se_port);
	error = getaddrinfo(tmpl->se_host[0] ? tmpl->se_host : NULL, portstr,
	    &hints, &res);
	if (error) {
		conf_error(cp, "address \"%s\": %s", tmpl->se_host,
		    gai_strerror(error));
		servconf_free(tmpl);
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		se = servconf_dup(tmpl);
		se->se_family = ai->ai_family;
		se->se_v6only = ai->ai_family == AF_INET6;
		memcpy(&se->se_ss, ai->ai_addr, ai->ai_addrlen);
		se->se_sslen = ai->ai_addrlen;
		if (conf_add_one(cp, se) == 0)
			rc = 0;
	}
	freeaddrinfo(res);
	servconf_free(tmpl);
	return rc;
}

/* .include: files and globs, relative to the including file. */
static int
conf_include(struct conf_parse *cp, const char *arg)
{
	char		 pattern[PATH_MAX], dir[PATH_MAX];
	glob_t		 g;
	size_t		 i;
	int		 r, rc = 0;

	if (arg[0] == '/')
		r = snprintf(pattern, sizeof(pattern), "%s", arg);
	else {
		strlcpy(dir, cp->cp_f->cf_name, sizeof(dir));
		r = snprintf(pattern, sizeof(pattern), "%s/%s", dirname(dir),
		    arg);
	}
	if (r < 0 || (size_t)r >= sizeof(pattern)) {
		conf_error(cp, ".include path too long");
		return -1;
	}
	memset(&g, 0, sizeof(g));
	r = glob(pattern, GLOB_ERR, NULL, &g);
	if (r == GLOB_NOMATCH) {
		globfree(&g);
		/* An empty drop-in directory is fine; a missing file not. */
		if (strpbrk(arg, "*?[") != NULL)
			return 0;
		conf_error(cp, ".include %s: no such file", pattern);
		return -1;
	}
	if (r != 0) {
		globfree(&g);
		conf_error(cp, ".include %s: cannot read", pattern);
		return -1;
	}
	for (i = 0; i < g.gl_pathc; i++)
		if (conf_parse_file(cp, g.gl_pathv[i]) == -1)
			rc = -1;
	globfree(&g);
	return rc;
}

/* The word after blanks at line + from, cut to fit: where it ends, or 0. */
static int
conf_line_word(const char *line, int from, char *buf, size_t len)
{
	const char	*p = line + from, *w;
	size_t		 n;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		return 0;
	for (w = p; *p != '\0' && !isspace((unsigned char)*p); p++)
		;
	n = (size_t)(p - w) < len ? (size_t)(p - w) : len - 1;
	memcpy(buf, w, n);
	buf[n] = '\0';
	return p - line;
}

/* Past the end of the line at the cursor. */
static void
conf_next_line(struct conf_file *f)
{
	const char	*eol;

	eol = memchr(f->cf_p, '\n', f->cf_end - f->cf_p);
	f->cf_p = eol != NULL ? eol + 1 : f->cf_end;
}

/* One physical line at the cursor: classic entry, directive, or kv head. */
static void
conf_parse_next(struct conf_parse *cp)
{
	struct conf_file	*f = cp->cp_f;
	char			 line[CONF_MAXLINE], w1[CONF_MAXLINE];
	char			 w2[16];
	char			 arg[PATH_MAX];
	const char		*eol;
	size_t			 len;
	int			 n1, n2;
	struct servconf		*defs;

	f->cf_line++;
	if ((eol = memchr(f->cf_p, '\n', f->cf_end - f->cf_p)) == NULL)
		eol = f->cf_end;
	len = eol - f->cf_p;
	if (len >= CONF_MAXLINE - 1) {
		conf_error(cp, "line longer than %d bytes", CONF_MAXLINE - 2);
		conf_next_line(f);
		return;
	}
	memcpy(line, f->cf_p, len);
	line[len] = '\0';
	if (memchr(line, '\0', len) != NULL) {
		conf_error(cp, "NUL byte in line");
		conf_next_line(f);
		return;
	}

	if ((n1 = conf_line_word(line, 0, w1, sizeof(w1))) == 0 ||
	    w1[0] == '#') {
		conf_next_line(f);
		return;
	}
	n2 = conf_line_word(line, n1, w2, sizeof(w2));
	if (strcmp(w1, ".include") == 0) {
		f->cf_p += n1;
		if (conf_token(cp, arg, sizeof(arg)) != TOK_WORD)
			conf_error(cp, ".include needs a path");
		else
			conf_include(cp, arg);
		/* Anything after the path on that line is ignored. */
		conf_next_line(f);
		return;
	}
	if (strcmp(w1, ".defaults") == 0) {
		f->cf_p += n1;
		defs = servconf_dup(cp->cp_defaults);
		if (conf_parse_options(cp, defs, 1) == 0) {
			servconf_free(cp->cp_defaults);
			cp->cp_defaults = defs;
		} else
			servconf_free(defs);
		conf_resync(f);
		return;
	}
	if (n2 > 0 && (strcmp(w2, "on") == 0 || strcmp(w2, "off") == 0)) {
		cp->cp_kvline = f->cf_line;
		f->cf_p += n2;
		conf_parse_kv(cp, w1, strcmp(w2, "on") == 0);
		conf_resync(f);
		return;
	}
	conf_next_line(f);
	conf_parse_line(cp, line);
}

/* The rest of the line after a ';' must be empty or a comment. */
static void
conf_resync(struct conf_file *f)
{
	while (f->cf_p < f->cf_end && (*f->cf_p == ' ' || *f->cf_p == '\t' ||
	    *f->cf_p == '\r'))
		f->cf_p++;
	if (f->cf_p < f->cf_end && *f->cf_p == '#')
		while (f->cf_p < f->cf_end && *f->cf_p != '\n')
			f->cf_p++;
	if (f->cf_p < f->cf_end && *f->cf_p == '\n')
		f->cf_p++;
	else if (f->cf_p < f->cf_end) {
		/* Another definition on the same line: read it as one. */
		f->cf_line--;
	}
}

/*
 * A file that names programs to run as root must be as safe as those
 * programs: owned by root (or by whoever runs inetd -n) and writable by
 * no one else.
 */
static int
conf_safe_owner(const struct stat *st)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return 0;
	return (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/*
 * The directories above the file, named and resolved, and the file
 * itself if it is a link (safepath.c).
 */
static int
conf_safe_path(struct conf_parse *cp, const char *path, const char *named,
    const char *real)
{
	char		 err[PATH_MAX + 128];
	struct stat	 st;

	if (lstat(named, &st) == 0 && S_ISLNK(st.st_mode) &&
	    st.st_uid != 0 && st.st_uid != geteuid()) {
		conf_file_error(cp, path, "a link owned by uid %u: it must be "
		    "owned by root", (unsigned)st.st_uid);
		return -1;
	}
	if (safepath_dirs(named, err, sizeof(err)) == -1 ||
	    safepath_dirs(real, err, sizeof(err)) == -1) {
		conf_file_error(cp, path, "%s: it must be owned by root and "
		    "writable by no one else", err);
		return -1;
	}
	return 0;
}

/*
 * A file that cannot be read: an included one names the line that
 * includes it, the top one only itself.
 */
static void
conf_file_error(struct conf_parse *cp, const char *path, const char *fmt,
    ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cp->cp_depth > 0)
		conf_error(cp, "%s: %s", path, msg);
	else {
		log_warnx("%s: %s", path, msg);
		cp->cp_errors++;
	}
}

/*
 * Read a checked file whole into f.  The real path is opened, so that
 * what was checked is what is read; no link at the end, and a FIFO must
 * not hang the parent.
 */
static int
conf_file_read(struct conf_parse *cp, const char *path, const char *real,
    struct conf_file *f)
{
	struct stat	 st;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	if ((fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) == -1 || fstat(fd, &st) == -1) {
		conf_file_error(cp, path, "%s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONF_MAXFILE) {
		conf_file_error(cp, path, "not a regular file of at most %d "
		    "bytes", CONF_MAXFILE);
		goto fail;
	}
	if (!conf_safe_owner(&st)) {
		conf_file_error(cp, path, "owned by uid %u and mode %03o: a "
		    "configuration file must be owned by root and writable by "
		    "no one else", (unsigned)st.st_uid,
		    (unsigned)st.st_mode & 07777);
		goto fail;
	}
	if ((f->cf_buf = malloc(st.st_size + 1)) == NULL)
		fatal("malloc");
	while (got < (size_t)st.st_size &&
	    (n = read(fd, f->cf_buf + got, st.st_size - got)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			conf_file_error(cp, path, "%s", strerror(errno));
			goto fail;
		}
		got += n;
	}
	close(fd);
	f->cf_p = f->cf_buf;
	f->cf_end = f->cf_buf + got;
	return 0;
 fail:
	free(f->cf_buf);
	f->cf_buf = NULL;
	if (fd != -1)
		close(fd);
	return -1;
}

/*
 * Open a file onto the .include stack: refuse a loop, too deep a nest,
 * unsafe directories, and anything but a safe regular file of sane size.
 */
static int
conf_file_push(struct conf_parse *cp, const char *path)
{
	struct conf_file	*f;
	char			 real[PATH_MAX], named[PATH_MAX];
	int			 i;

	if (realpath(path, real) == NULL) {
		conf_file_error(cp, path, "%s", strerror(errno));
		return -1;
	}
	for (i = 0; i < cp->cp_depth; i++)
		if (strcmp(cp->cp_files[i].cf_real, real) == 0) {
			conf_error(cp, ".include loop: %s", path);
			return -1;
		}
	if (cp->cp_depth == CONF_MAXDEPTH) {
		conf_error(cp, ".include nested deeper than %d",
		    CONF_MAXDEPTH);
		return -1;
	}
	/*
	 * Both the directories named and those reached: a link on the way
	 * is safe only where no one else could have put it.
	 */
	if (path[0] == '/')
		strlcpy(named, path, sizeof(named));
	else if (getcwd(named, sizeof(named)) == NULL ||
	    strlcat(named, "/", sizeof(named)) >= sizeof(named) ||
	    strlcat(named, path, sizeof(named)) >= sizeof(named)) {
		conf_file_error(cp, path, "path too long");
		return -1;
	}
	if (conf_safe_path(cp, path, named, real) == -1)
		return -1;
	f = &cp->cp_files[cp->cp_depth];
	memset(f, 0, sizeof(*f));
	if (conf_file_read(cp, path, real, f) == -1)
		return -1;
	if ((f->cf_real = strdup(real)) == NULL)
		fatal("strdup");
	/* The top file as the admin named it, an included one resolved. */
	f->cf_name = cp->cp_depth == 0 ? path : f->cf_real;
	/* An included file starts with the includer's sticky address. */
	if (cp->cp_depth > 0)
		strlcpy(f->cf_host, cp->cp_f->cf_host, sizeof(f->cf_host));
	cp->cp_f = f;
	cp->cp_depth++;
	return 0;
}

/* Back to the includer, its cursor, line and address as they were. */
static void
conf_file_pop(struct conf_parse *cp)
{
	struct conf_file	*f = cp->cp_f;

	/* Entries keep a copy of the name; the frame can go. */
	free(f->cf_buf);
	free(f->cf_real);
	memset(f, 0, sizeof(*f));
	cp->cp_depth--;
	cp->cp_f = cp->cp_depth > 0 ? &cp->cp_files[cp->cp_depth - 1] : NULL;
}

static int
conf_parse_file(struct conf_parse *cp, const char *path)
{
	if (conf_file_push(cp, path) == -1)
		return -1;
	while (cp->cp_f->cf_p < cp->cp_f->cf_end)
		conf_parse_next(cp);
	conf_file_pop(cp);
	return 0;
}

/* tcpmux/ entries are only reached through an internal tcpmux. */
static void
conf_check_mux(struct conf_parse *cp)
{
	struct servconf	*se;
	int		 havemux = 0;

	TAILQ_FOREACH(se, &cp->cp_conf->c_services, se_entry)
		if (se->se_builtin == BI_TCPMUX)
			havemux = 1;
	if (havemux)
		return;
	TAILQ_FOREACH(se, &cp->cp_conf->c_services, se_entry)
		if (se->se_mux) {
			log_warnx("%s:%d: %s needs an internal tcpmux service",
			    se->se_file, se->se_line, se->se_service);
			cp->cp_errors++;
		}
}

/* Parse a configuration file.  NULL if anything in it was wrong. */
struct conf *
conf_load(const char *path)
{
	struct conf_parse	 cp;
	struct conf_cred	*cc;
	struct conf_sock	*cs;
	struct conf_checked	*ck;
	struct conf_ruleset	*cr;

	conf_keyword_check();
	memset(&cp, 0, sizeof(cp));
	RB_INIT(&cp.cp_creds);
	RB_INIT(&cp.cp_socks);
	SLIST_INIT(&cp.cp_checked);
	RB_INIT(&cp.cp_rulesets);
	cp.cp_conf = conf_new();
	cp.cp_defaults = servconf_new();
	cp.cp_defaults->se_max = conf_defmax;
	conf_parse_file(&cp, path);
	tlsfiles_done();
	names_done();
	servconf_free(cp.cp_defaults);
	conf_check_mux(&cp);
	while ((cc = RB_ROOT(&cp.cp_creds)) != NULL) {
		RB_REMOVE(conf_creds, &cp.cp_creds, cc);
		free(cc);
	}
	while ((cs = RB_ROOT(&cp.cp_socks)) != NULL) {
		RB_REMOVE(conf_socks, &cp.cp_socks, cs);
		free(cs);
	}
	while ((ck = SLIST_FIRST(&cp.cp_checked)) != NULL) {
		SLIST_REMOVE_HEAD(&cp.cp_checked, ck_entry);
		free(ck);
	}
	while ((cr = RB_ROOT(&cp.cp_rulesets)) != NULL) {
		RB_REMOVE(conf_rulesets, &cp.cp_rulesets, cr);
		servconf_free(cr->cr_se);
		free(cr);
	}
	if (cp.cp_errors) {
		log_warnx("%s: %d error%s, configuration not loaded", path,
		    cp.cp_errors, cp.cp_errors == 1 ? "" : "s");
		conf_free(cp.cp_conf);
		return NULL;
	}
	return cp.cp_conf;
}
