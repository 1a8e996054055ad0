/*
 * inetd.conf: the classic positional notation of OpenBSD's inetd,
 *
 *	[addr:]service socktype proto wait[.max] user[:group] program [argv]
 *
 * and NetBSD's key-value notation, in one file, with .include and
 * .defaults directives.
 *
 * Only the parent parses; it resolves names to numbers so that no child
 * ever calls getpwnam(3).  Every error names the file and the line, and a
 * file with any error is refused whole.
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
#include <grp.h>
#include <libgen.h>
#include <netdb.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

/* Users already looked up in this parse: getpwnam(3) reads a file. */
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

/* Promise sets whose filter was seen to build. */
struct conf_checked {
	SLIST_ENTRY(conf_checked) ck_entry;
	uint64_t		 ck_promises;
	int			 ck_pledged;
};

struct conf_parse {
	const char	*cp_file;
	int		 cp_line;
	int		 cp_kvline;	/* where a key-value entry began */
	int		 cp_errors;
	char		 cp_host[CONF_MAXNAME];	/* sticky "addr:" */
	struct servconf	*cp_defaults;	/* .defaults so far */
	struct conf	*cp_conf;
	const char	*cp_p;		/* cursor in the file read */
	const char	*cp_end;
	char		*cp_stack[CONF_MAXDEPTH];	/* .include */
	int		 cp_depth;
	struct conf_creds cp_creds;
	struct conf_socks cp_socks;
	SLIST_HEAD(, conf_checked) cp_checked;
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

static int
conf_sock_cmp(struct conf_sock *a, struct conf_sock *b)
{
	return servconf_sockcmp(a->cs_se, b->cs_se);
}
RB_GENERATE_STATIC(conf_socks, conf_sock, cs_entry, conf_sock_cmp);

static const struct {
	const char	*name;
	enum builtin	 bi;
	int		 dgram_nowait_ok;
} builtins[] = {
	{ "echo",	BI_ECHO,	1 },
	{ "discard",	BI_DISCARD,	1 },
	{ "chargen",	BI_CHARGEN,	1 },
	{ "daytime",	BI_DAYTIME,	1 },
	{ "time",	BI_TIME,	1 },
	{ "tcpmux",	BI_TCPMUX,	0 },
};

static const struct {
	const char	*name;
	int		 family;	/* AF_UNSPEC: both, v6 socket v6-only */
	int		 protocol;
	int		 unixsock;
} protos[] = {
	{ "tcp",	AF_INET,	IPPROTO_TCP,	0 },
	{ "tcp4",	AF_INET,	IPPROTO_TCP,	0 },
	{ "tcp6",	AF_INET6,	IPPROTO_TCP,	0 },
	{ "tcp46",	AF_UNSPEC,	IPPROTO_TCP,	0 },
	{ "udp",	AF_INET,	IPPROTO_UDP,	0 },
	{ "udp4",	AF_INET,	IPPROTO_UDP,	0 },
	{ "udp6",	AF_INET6,	IPPROTO_UDP,	0 },
	{ "udp46",	AF_UNSPEC,	IPPROTO_UDP,	0 },
	{ "unix",	AF_UNIX,	0,		1 },
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

static int	 conf_defmax = CONF_DEFMAX;

static void	 conf_error(struct conf_parse *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static int	 conf_parse_line(struct conf_parse *, char *);
static int	 conf_parse_file(struct conf_parse *, const char *);
static struct servconf *servconf_dup(const struct servconf *);
static int	 conf_resolve(struct conf_parse *, struct servconf *);
static int	 conf_add(struct conf_parse *, struct servconf *);
static int	 conf_add_one(struct conf_parse *, struct servconf *);
static int	 conf_check_confinement(struct conf_parse *,
		    struct servconf *);
static int	 conf_number(struct conf_parse *, const char *, const char *,
		    long long, long long, long long *);

static void
conf_error(struct conf_parse *cp, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s:%d: %s", cp->cp_file, cp->cp_line, msg);
	cp->cp_errors++;
}

void
conf_set_defmax(int max)
{
	conf_defmax = max;
}

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

const char *
conf_builtin_name(enum builtin bi)
{
	size_t	 i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (builtins[i].bi == bi)
			return builtins[i].name;
	return "none";
}

struct conf *
conf_new(void)
{
	struct conf	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc");
	TAILQ_INIT(&c->c_services);
	return c;
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

void
servconf_free(struct servconf *se)
{
	int	 i;

	if (se == NULL)
		return;
	for (i = 0; i < se->se_argc; i++)
		free(se->se_argv[i]);
	free(se->se_unveil);
	free(se->se_file);
	free(se->se_program);
	free(se->se_chroot);
	if (se->se_fd != -1)
		close(se->se_fd);
	free(se);
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
	free(c);
}

static struct servconf *
servconf_new(void)
{
	struct servconf	*se;

	if ((se = calloc(1, sizeof(*se))) == NULL)
		fatal("calloc");
	se->se_fd = -1;
	se->se_reuse = -1;
	servconf_setstr(&se->se_file, "");
	servconf_setstr(&se->se_program, "");
	servconf_setstr(&se->se_chroot, "");
	se->se_max = conf_defmax;
	se->se_pause = CONF_DEFPAUSE;
	se->se_umask = 022;
	se->se_backlog = CONF_BACKLOG;
	return se;
}

static struct servconf *
servconf_dup(const struct servconf *o)
{
	struct servconf	*se;
	int		 i;

	if ((se = malloc(sizeof(*se))) == NULL)
		fatal("malloc");
	memcpy(se, o, sizeof(*se));
	se->se_fd = -1;
	se->se_reuse = -1;
	se->se_priv = NULL;
	se->se_file = se->se_program = se->se_chroot = NULL;
	servconf_setstr(&se->se_file, o->se_file);
	servconf_setstr(&se->se_program, o->se_program);
	servconf_setstr(&se->se_chroot, o->se_chroot);
	for (i = 0; i < o->se_argc; i++)
		if ((se->se_argv[i] = strdup(o->se_argv[i])) == NULL)
			fatal("strdup");
	if (o->se_nunveil) {
		if ((se->se_unveil = reallocarray(NULL, o->se_nunveil,
		    sizeof(*se->se_unveil))) == NULL)
			fatal("reallocarray");
		memcpy(se->se_unveil, o->se_unveil,
		    o->se_nunveil * sizeof(*se->se_unveil));
	}
	return se;
}

static int
conf_copy(struct conf_parse *cp, char *dst, const char *src, size_t len,
    const char *what)
{
	if (strlcpy(dst, src, len) >= len) {
		conf_error(cp, "%s too long: \"%.40s...\"", what, src);
		return -1;
	}
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

	if (field[0] == '[') {
		if ((end = strchr(field, ']')) == NULL || end[1] != ':') {
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
	int		 i;

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
		se->se_max = strtonum(sep + 1, 1, 1000000, &errstr);
		if (errstr != NULL) {
			conf_error(cp, "rate limit \"%s\" is %s "
			    "(1 to 1000000)", sep + 1, errstr);
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
		v = strtonum(w, 0, i == 0 ? SPAWNER_MAXCHILD : 1000000,
		    &errstr);
		if (errstr != NULL) {
			conf_error(cp, "\"%s\" in \"%s\" is %s (0 to %d)",
			    w, f, errstr, i == 0 ? SPAWNER_MAXCHILD : 1000000);
			free(rest);
			return -1;
		}
		if (i == 0)
			se->se_maxchild = v;
		else if (v != 0) {
			conf_error(cp, "per-address limits in \"%s\" are "
			    "not supported", f);
			free(rest);
			return -1;
		}
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
	const char	*sep, *cls;
	size_t		 len, glen;

	/* user:group, the older user.group, FreeBSD's user:group/class */
	if ((sep = strchr(f, ':')) == NULL)
		sep = strchr(f, '.');
	cls = strchr(f, '/');
	len = sep ? (size_t)(sep - f) : cls ? (size_t)(cls - f) : strlen(f);
	if (len == 0 || len >= sizeof(se->se_user)) {
		conf_error(cp, "bad user \"%s\"", f);
		return -1;
	}
	memcpy(se->se_user, f, len);
	se->se_user[len] = '\0';
	if (sep != NULL) {
		glen = cls ? (size_t)(cls - sep - 1) : strlen(sep + 1);
		if (glen == 0 || glen >= sizeof(se->se_group)) {
			conf_error(cp, "bad group in \"%s\"", f);
			return -1;
		}
		memcpy(se->se_group, sep + 1, glen);
		se->se_group[glen] = '\0';
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
	if ((se->se_argv[se->se_argc++] = strdup(v)) == NULL)
		fatal("strdup");
	return 0;
}

static struct servconf *
conf_entry_new(struct conf_parse *cp)
{
	struct servconf	*se;

	se = servconf_dup(cp->cp_defaults);
	servconf_setstr(&se->se_file, cp->cp_file);
	se->se_line = cp->cp_line;
	return se;
}

/* "[addr:]service" of an entry, with the sticky address applied. */
static int
conf_set_spec(struct conf_parse *cp, struct servconf *se, const char *spec)
{
	/* A UNIX socket: a path, or FreeBSD's :user:group:mode:path. */
	if (spec[0] == '/' || spec[0] == ':') {
		se->se_host[0] = '\0';
		return conf_copy(cp, se->se_service, spec,
		    sizeof(se->se_service), "socket path");
	}
	if (conf_split_addr(cp, spec, se->se_host, se->se_service) == -1)
		return -1;
	if (se->se_host[0] == '\0')
		strlcpy(se->se_host, cp->cp_host, sizeof(se->se_host));
	else if (strcmp(se->se_host, "*") == 0)
		se->se_host[0] = '\0';
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
		strlcpy(se->se_unveil[0].ur_path, "/dev/null",
		    sizeof(se->se_unveil[0].ur_path));
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
	if (se->se_chroot[0] && (stat(se->se_chroot, &st) == -1 ||
	    !S_ISDIR(st.st_mode))) {
		conf_error(cp, "chroot=%s: not a directory", se->se_chroot);
		return -1;
	}
	/* Only a pledge has a filter of its own; the baseline is ours. */
	if (se->se_pledge[0] != '\0') {
		SLIST_FOREACH(ck, &cp->cp_checked, ck_entry)
			if (ck->ck_promises == se->se_promises &&
			    ck->ck_pledged == (se->se_pledge[0] != '\0'))
				break;
	}
	if (se->se_pledge[0] != '\0' && ck == NULL) {
		if (pledge_filter_build(&sf, se->se_promises,
		    err, sizeof(err)) == -1) {
			conf_error(cp, "pledge: %s", err);
			return -1;
		}
		pledge_filter_free(&sf);
		if ((ck = calloc(1, sizeof(*ck))) == NULL)
			fatal("calloc");
		ck->ck_promises = se->se_promises;
		ck->ck_pledged = se->se_pledge[0] != '\0';
		SLIST_INSERT_HEAD(&cp->cp_checked, ck, ck_entry);
	}
	if (se->se_nunveil == 0 && se->se_pledge[0] != '\0')
		conf_implied_unveil(se);
	if (se->se_nunveil == 0)
		return 0;
	if (unveil_build(se->se_unveil, se->se_nunveil,
	    se->se_program, se->se_chroot[0] ? se->se_chroot : NULL, &fd,
	    &abi, err, sizeof(err)) == -1) {
		conf_error(cp, "unveil: %s", err);
		return -1;
	}
	if (fd != -1)
		close(fd);
	if (abi == 0 && se->se_landlock == CONF_LANDLOCK_REQUIRED) {
		conf_error(cp, "unveil needs Landlock, which this kernel "
		    "lacks (landlock=auto runs the service without it)");
		return -1;
	}
	if (abi == 0)
		log_warnx("%s:%d: no Landlock in this kernel: unveil is not "
		    "enforced (landlock=auto)", cp->cp_file, cp->cp_line);
	return 0;
}

/* A parsed entry: fill in what was left out, resolve, and add it. */
static int
conf_finish(struct conf_parse *cp, struct servconf *se)
{
	struct ibuf	 b;
	const char	*p;
	int		 toolarge;

	if (se->se_program[0] != '\0' && se->se_argc == 0) {
		/* A missing argv0 is the program's base name. */
		p = strrchr(se->se_program, '/');
		if ((se->se_argv[0] = strdup(p + 1)) == NULL)
			fatal("strdup");
		se->se_argc = 1;
	}
	if (se->se_program[0] == '\0')
		while (se->se_argc > 0)
			free(se->se_argv[--se->se_argc]);
	if (conf_check_confinement(cp, se) == -1 ||
	    conf_resolve(cp, se) == -1) {
		servconf_free(se);
		return -1;
	}
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
		if (*p == '[') {
			if (p[strlen(p) - 1] != ']') {
				conf_error(cp, "bad address \"%s\"", p);
				return -1;
			}
			p[strlen(p) - 1] = '\0';
			p++;
		}
		if (strcmp(p, "*") == 0)
			p = "";
		return conf_copy(cp, cp->cp_host, p, sizeof(cp->cp_host),
		    "address");
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
	se->se_group[0] = '\0';
	if (conf_set_spec(cp, se, fields[0]) == -1 ||
	    conf_set_socktype(cp, se, fields[1]) == -1 ||
	    conf_copy(cp, se->se_proto, fields[2], sizeof(se->se_proto),
	    "protocol") == -1 ||
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
enum conf_tok {
	TOK_WORD,
	TOK_EQ,
	TOK_COMMA,
	TOK_SEMI,
	TOK_EOF,
	TOK_ERROR
};

static enum conf_tok
conf_token(struct conf_parse *cp, char *buf, size_t len)
{
	const char	*p = cp->cp_p;
	size_t		 n = 0;
	char		 q, c;
	int		 x, k;

	for (;;) {
		while (p < cp->cp_end && isspace((unsigned char)*p)) {
			if (*p == '\n')
				cp->cp_line++;
			p++;
		}
		if (p < cp->cp_end && *p == '#') {
			while (p < cp->cp_end && *p != '\n')
				p++;
			continue;
		}
		break;
	}
	cp->cp_p = p;
	if (p == cp->cp_end)
		return TOK_EOF;
	switch (*p) {
	case '=':
		cp->cp_p++;
		return TOK_EQ;
	case ',':
		cp->cp_p++;
		return TOK_COMMA;
	case ';':
		cp->cp_p++;
		return TOK_SEMI;
	case '"':
	case '\'':
		q = *p++;
		while (p < cp->cp_end && *p != q) {
			c = *p++;
			if (c == '\n') {
				conf_error(cp, "unterminated quote");
				cp->cp_p = p;
				return TOK_ERROR;
			}
			if (c == '\\' && p < cp->cp_end) {
				switch ((c = *p++)) {
				case 'n':
					c = '\n';
					break;
				case 't':
					c = '\t';
					break;
				case 'r':
					c = '\r';
					break;
				case 'x':
					for (x = 0, k = 0; k < 2 && p <
					    cp->cp_end &&
					    isxdigit((unsigned char)*p); k++)
						x = x * 16 + (isdigit(
						    (unsigned char)*p) ?
						    *p++ - '0' :
						    (tolower((unsigned char)
						    *p++) - 'a' + 10));
					if (k == 0 || x == 0) {
						conf_error(cp, "bad \\x "
						    "escape");
						cp->cp_p = p;
						return TOK_ERROR;
					}
					c = x;
					break;
				case '\\':
				case '\'':
				case '"':
					break;
				default:
					conf_error(cp, "unknown escape "
					    "\\%c", c);
					cp->cp_p = p;
					return TOK_ERROR;
				}
			}
			if (n + 1 >= len) {
				conf_error(cp, "value too long");
				cp->cp_p = p;
				return TOK_ERROR;
			}
			buf[n++] = c;
		}
		if (p == cp->cp_end) {
			conf_error(cp, "unterminated quote");
			cp->cp_p = p;
			return TOK_ERROR;
		}
		cp->cp_p = p + 1;
		buf[n] = '\0';
		return TOK_WORD;
	}
	while (p < cp->cp_end && !isspace((unsigned char)*p) &&
	    strchr("=,;#\"'", *p) == NULL) {
		if (n + 1 >= len) {
			conf_error(cp, "value too long");
			cp->cp_p = p;
			return TOK_ERROR;
		}
		buf[n++] = *p++;
	}
	buf[n] = '\0';
	cp->cp_p = p;
	return TOK_WORD;
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

static int
conf_add_unveil(struct conf_parse *cp, struct servconf *se, const char *v)
{
	struct unveil_rule	 u, *nu;
	char			 err[256];

	if (unveil_parse(v, &u, err, sizeof(err)) == -1) {
		conf_error(cp, "unveil=\"%s\": %s", v, err);
		return -1;
	}
	if (se->se_nunveil == CONF_MAXUNVEIL) {
		conf_error(cp, "more than %d unveil paths", CONF_MAXUNVEIL);
		return -1;
	}
	if ((nu = reallocarray(se->se_unveil, se->se_nunveil + 1,
	    sizeof(*nu))) == NULL)
		fatal("reallocarray");
	se->se_unveil = nu;
	se->se_unveil[se->se_nunveil++] = u;
	return 0;
}

/* The keys that say how a service is confined. */
static int
conf_apply_confinement(struct conf_parse *cp, struct servconf *se,
    const char *key, const char *v)
{
	char		 err[256], *end;
	long long	 n;
	long		 m;
	int		 i;

	if (strcmp(key, "chroot") == 0) {
		if (v[0] != '/') {
			conf_error(cp, "chroot=%s: not an absolute path", v);
			return -1;
		}
		if (strlen(v) >= PATH_MAX) {
			conf_error(cp, "chroot path too long");
			return -1;
		}
		servconf_setstr(&se->se_chroot, v);
		return 0;
	}
	if (strcmp(key, "pledge") == 0) {
		if (pledge_parse(v, &se->se_promises, err,
		    sizeof(err)) == -1) {
			conf_error(cp, "pledge=\"%s\": %s", v, err);
			return -1;
		}
		return conf_copy(cp, se->se_pledge, v, sizeof(se->se_pledge),
		    "pledge");
	}
	if (strcmp(key, "landlock") == 0) {
		if (strcmp(v, "required") == 0)
			se->se_landlock = CONF_LANDLOCK_REQUIRED;
		else if (strcmp(v, "auto") == 0)
			se->se_landlock = CONF_LANDLOCK_AUTO;
		else {
			conf_error(cp, "landlock=%s: expected required or "
			    "auto", v);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "new-privileges") == 0) {
		if (strcmp(v, "yes") == 0)
			se->se_newprivs = 1;
		else if (strcmp(v, "no") == 0)
			se->se_newprivs = 0;
		else {
			conf_error(cp, "new-privileges=%s: expected yes or "
			    "no", v);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "umask") == 0) {
		errno = 0;
		m = strtol(v, &end, 8);
		if (errno || end == v || *end != '\0' || m < 0 || m > 0777) {
			conf_error(cp, "umask=%s: expected an octal mode", v);
			return -1;
		}
		se->se_umask = m;
		return 0;
	}
	if (strcmp(key, "nice") == 0) {
		if (conf_number(cp, key, v, -20, 19, &n) == -1)
			return -1;
		se->se_nice = n;
		se->se_niceset = 1;
		return 0;
	}
	for (i = 0; i < CONF_NRLIMITS; i++)
		if (strcmp(key, rlimits[i].name) == 0)
			break;
	if (i == CONF_NRLIMITS) {
		conf_error(cp, "unknown key \"%s\"", key);
		return -1;
	}
	if (strcmp(v, "infinity") == 0)
		se->se_rlimit[i].rl_value = RLIM_INFINITY;
	else {
		if (conf_number(cp, key, v, 0, LLONG_MAX, &n) == -1)
			return -1;
		se->se_rlimit[i].rl_value = n;
	}
	se->se_rlimit[i].rl_set = 1;
	return 0;
}

/* Keys that belong to one entry and make no sense as defaults. */
static const char *conf_entry_keys[] = {
	"bind", "port", "socktype", "protocol", "exec", "args", NULL
};

static int
conf_apply_key(struct conf_parse *cp, struct servconf *se, const char *key,
    char **vals, int nv, int isdefaults)
{
	long long	 n;
	int		 i;

	if (isdefaults)
		for (i = 0; conf_entry_keys[i] != NULL; i++)
			if (strcmp(key, conf_entry_keys[i]) == 0) {
				conf_error(cp, "%s cannot be a default", key);
				return -1;
			}
	if (strcmp(key, "args") == 0) {
		for (i = 0; i < nv; i++)
			if (conf_add_arg(cp, se, vals[i]) == -1)
				return -1;
		return 0;
	}
	if (strcmp(key, "unveil") == 0) {
		/* unveil="/path rx" "/other r", and the key may repeat. */
		for (i = 0; i < nv; i++)
			if (conf_add_unveil(cp, se, vals[i]) == -1)
				return -1;
		return 0;
	}
	if (nv != 1) {
		conf_error(cp, "%s takes one value, got %d", key, nv);
		return -1;
	}
	if (strcmp(key, "bind") == 0) {
		if (strcmp(vals[0], "*") == 0)
			se->se_host[0] = '\0';
		else
			return conf_copy(cp, se->se_host, vals[0],
			    sizeof(se->se_host), "address");
	} else if (strcmp(key, "port") == 0)
		return conf_copy(cp, se->se_portname, vals[0],
		    sizeof(se->se_portname), "port");
	else if (strcmp(key, "socktype") == 0)
		return conf_set_socktype(cp, se, vals[0]);
	else if (strcmp(key, "protocol") == 0)
		return conf_copy(cp, se->se_proto, vals[0],
		    sizeof(se->se_proto), "protocol");
	else if (strcmp(key, "wait") == 0) {
		if (strcmp(vals[0], "yes") == 0)
			se->se_wait = 1;
		else if (strcmp(vals[0], "no") == 0)
			se->se_wait = 0;
		else {
			conf_error(cp, "wait=%s: expected yes or no",
			    vals[0]);
			return -1;
		}
		se->se_waitset = 1;
	} else if (strcmp(key, "service_max") == 0 ||
	    strcmp(key, "max") == 0) {
		if (conf_number(cp, key, vals[0], 1, 1000000, &n) == -1)
			return -1;
		se->se_max = n;
	} else if (strcmp(key, "max-child") == 0) {
		if (conf_number(cp, key, vals[0], 0, SPAWNER_MAXCHILD,
		    &n) == -1)
			return -1;
		se->se_maxchild = n;
	} else if (strcmp(key, "pause") == 0) {
		if (conf_number(cp, key, vals[0], 1, CONF_MAXPAUSE, &n) == -1)
			return -1;
		se->se_pause = n;
	} else if (strcmp(key, "backlog") == 0) {
		if (conf_number(cp, key, vals[0], 1, 65535, &n) == -1)
			return -1;
		se->se_backlog = n;
	} else if (strcmp(key, "user") == 0)
		return conf_copy(cp, se->se_user, vals[0],
		    sizeof(se->se_user), "user");
	else if (strcmp(key, "group") == 0)
		return conf_copy(cp, se->se_group, vals[0],
		    sizeof(se->se_group), "group");
	else if (strcmp(key, "exec") == 0)
		return conf_set_program(cp, se, vals[0]);
	else
		return conf_apply_confinement(cp, se, key, vals[0]);
	return 0;
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
	se->se_waitset = 0;
	if (conf_set_spec(cp, se, spec) == -1) {
		conf_skip_entry(cp);
		goto fail;
	}
	if (conf_parse_options(cp, se, 0) == -1)
		goto fail;
	if (!on) {
		servconf_free(se);
		return 0;
	}
	se->se_line = cp->cp_kvline;
	/* Each check names the line the entry starts on. */
	endline = cp->cp_line;
	cp->cp_line = cp->cp_kvline;
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
	if (!se->se_waitset && se->se_program[0] != '\0') {
		conf_error(cp, "%s: wait= is missing", se->se_service);
		goto fail;
	}
	rc = conf_finish(cp, se);
	cp->cp_line = endline;
	return rc;
 fail:
	if (endline)
		cp->cp_line = endline;
	servconf_free(se);
	return -1;
}

static int
conf_resolve_user(struct conf_parse *cp, struct servconf *se)
{
	struct passwd	*pw;
	struct group	*gr;
	gid_t		 groups[CONF_MAXGROUPS];
	int		 ngroups = CONF_MAXGROUPS;
	const char	*errstr;

	struct conf_cred	 key, *cc;

	strlcpy(key.cc_user, se->se_user, sizeof(key.cc_user));
	strlcpy(key.cc_group, se->se_group, sizeof(key.cc_group));
	if ((cc = RB_FIND(conf_creds, &cp->cp_creds, &key)) != NULL) {
		se->se_uid = cc->cc_uid;
		se->se_gid = cc->cc_gid;
		memcpy(se->se_groups, cc->cc_groups, sizeof(se->se_groups));
		se->se_ngroups = cc->cc_ngroups;
		return 0;
	}
	if ((pw = getpwnam(se->se_user)) == NULL) {
		/* A number is taken as a uid only if it is not a name. */
		se->se_uid = strtonum(se->se_user, 0, UINT_MAX - 1, &errstr);
		if (errstr != NULL || (pw = getpwuid(se->se_uid)) == NULL) {
			conf_error(cp, "unknown user \"%s\"", se->se_user);
			return -1;
		}
	}
	se->se_uid = pw->pw_uid;
	se->se_gid = pw->pw_gid;
	if (se->se_group[0] != '\0') {
		if ((gr = getgrnam(se->se_group)) == NULL) {
			se->se_gid = strtonum(se->se_group, 0, UINT_MAX - 1,
			    &errstr);
			if (errstr != NULL ||
			    (gr = getgrgid(se->se_gid)) == NULL) {
				conf_error(cp, "unknown group \"%s\"",
				    se->se_group);
				return -1;
			}
		}
		se->se_gid = gr->gr_gid;
	}
	/* The user's groups, as initgroups(3) would set them. */
	if (getgrouplist(pw->pw_name, se->se_gid, groups, &ngroups) == -1) {
		conf_error(cp, "user \"%s\" is in more than %d groups",
		    se->se_user, CONF_MAXGROUPS);
		return -1;
	}
	memcpy(se->se_groups, groups, ngroups * sizeof(gid_t));
	se->se_ngroups = ngroups;
	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		fatal("calloc");
	*cc = key;
	cc->cc_uid = se->se_uid;
	cc->cc_gid = se->se_gid;
	memcpy(cc->cc_groups, se->se_groups, sizeof(cc->cc_groups));
	cc->cc_ngroups = se->se_ngroups;
	RB_INSERT(conf_creds, &cp->cp_creds, cc);
	return 0;
}

/*
 * protocol unix: the service is the socket's path, optionally after
 * FreeBSD's :user:group:mode: giving the socket file's owner and mode.
 */
static int
conf_resolve_unix(struct conf_parse *cp, struct servconf *se)
{
	struct sockaddr_un	*sun = (struct sockaddr_un *)&se->se_ss;
	struct passwd		*pw;
	struct group		*gr;
	char			 spec[CONF_MAXNAME], *p, *u, *g, *m, *end;
	long			 mode;

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
		if ((pw = getpwnam(u)) == NULL) {
			conf_error(cp, "unknown user \"%s\"", u);
			return -1;
		}
		if ((gr = getgrnam(g)) == NULL) {
			conf_error(cp, "unknown group \"%s\"", g);
			return -1;
		}
		errno = 0;
		mode = strtol(m, &end, 8);
		if (errno || end == m || *end != ':' || mode <= 0 ||
		    mode > 0777) {
			conf_error(cp, "bad socket mode \"%s\"", m);
			return -1;
		}
		se->se_sockuid = pw->pw_uid;
		se->se_sockgid = gr->gr_gid;
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
		conf_error(cp, "dgram services must be wait, unless "
		    "internal");
		return -1;
	}
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strlcpy(sun->sun_path, p, sizeof(sun->sun_path));
	se->se_sslen = offsetof(struct sockaddr_un, sun_path) + strlen(p) + 1;
	strlcpy(se->se_service, p, sizeof(se->se_service));
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
	const char		*name = se->se_service + 7;
	size_t			 i;

	se->se_mux = 1;
	if (*name == '+') {
		se->se_mux = 2;
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
	strlcpy(se->se_muxname, name, sizeof(se->se_muxname));
	/* Any TCP connection: the tcpmux socket's family decides. */
	se->se_family = AF_INET;
	se->se_port = 1;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	se->se_sslen = sizeof(*sin);
	return conf_resolve_user(cp, se);
}

static int
conf_resolve(struct conf_parse *cp, struct servconf *se)
{
	size_t		 i;
	struct servent	*sv;
	const char	*errstr, *pname, *portname;
	int		 port;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(protos[i].name, se->se_proto) == 0)
			break;
	if (i == sizeof(protos) / sizeof(protos[0])) {
		conf_error(cp, "unknown protocol \"%s\"", se->se_proto);
		return -1;
	}
	se->se_family = protos[i].family;
	se->se_protocol = protos[i].protocol;
	if (se->se_family == AF_UNIX)
		return conf_resolve_unix(cp, se);
	if (se->se_service[0] == '/' || se->se_service[0] == ':') {
		conf_error(cp, "a socket path needs protocol unix");
		return -1;
	}
	if (strncmp(se->se_service, "tcpmux/", 7) == 0)
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
		for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
			if (strcmp(builtins[i].name, se->se_service) == 0)
				break;
		if (i == sizeof(builtins) / sizeof(builtins[0])) {
			conf_error(cp, "no internal service \"%s\"",
			    se->se_service);
			return -1;
		}
		se->se_builtin = builtins[i].bi;
	} else if (se->se_wait == 0 && se->se_socktype == SOCK_DGRAM) {
		conf_error(cp, "dgram services must be wait, unless "
		    "internal");
		return -1;
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
	if (cp->cp_conf->c_count >= CONF_MAXSERVICES) {
		conf_error(cp, "more than %d services", CONF_MAXSERVICES);
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
		strlcpy(dir, cp->cp_file, sizeof(dir));
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

/* One physical line at the cursor: classic entry, directive, or kv head. */
static void
conf_parse_next(struct conf_parse *cp)
{
	char		 line[CONF_MAXLINE], w1[CONF_MAXLINE], w2[16];
	char		 arg[PATH_MAX];
	const char	*eol, *p;
	size_t		 len;
	int		 n1, n2;
	struct servconf	*defs;

	cp->cp_line++;
	if ((eol = memchr(cp->cp_p, '\n', cp->cp_end - cp->cp_p)) == NULL)
		eol = cp->cp_end;
	len = eol - cp->cp_p;
	if (len >= CONF_MAXLINE - 1) {
		conf_error(cp, "line longer than %d bytes", CONF_MAXLINE - 2);
		cp->cp_p = eol < cp->cp_end ? eol + 1 : eol;
		return;
	}
	memcpy(line, cp->cp_p, len);
	line[len] = '\0';
	if (memchr(line, '\0', len) != NULL) {
		conf_error(cp, "NUL byte in line");
		cp->cp_p = eol < cp->cp_end ? eol + 1 : eol;
		return;
	}

	n1 = n2 = 0;
	if (sscanf(line, " %4095s%n %15s%n", w1, &n1, w2, &n2) < 1 ||
	    w1[0] == '#') {
		cp->cp_p = eol < cp->cp_end ? eol + 1 : eol;
		return;
	}
	if (strcmp(w1, ".include") == 0) {
		cp->cp_p += n1;
		if (conf_token(cp, arg, sizeof(arg)) != TOK_WORD) {
			conf_error(cp, ".include needs a path");
		} else
			conf_include(cp, arg);
		/* Anything after the path on that line is ignored. */
		p = memchr(cp->cp_p, '\n', cp->cp_end - cp->cp_p);
		cp->cp_p = p ? p + 1 : cp->cp_end;
		return;
	}
	if (strcmp(w1, ".defaults") == 0) {
		cp->cp_p += n1;
		defs = servconf_dup(cp->cp_defaults);
		if (conf_parse_options(cp, defs, 1) == 0) {
			servconf_free(cp->cp_defaults);
			cp->cp_defaults = defs;
		} else
			servconf_free(defs);
		goto resync;
	}
	if (n2 > 0 && (strcmp(w2, "on") == 0 || strcmp(w2, "off") == 0)) {
		cp->cp_kvline = cp->cp_line;
		cp->cp_p += n2;
		conf_parse_kv(cp, w1, strcmp(w2, "on") == 0);
		goto resync;
	}
	cp->cp_p = eol < cp->cp_end ? eol + 1 : eol;
	conf_parse_line(cp, line);
	return;

 resync:
	/* The rest of the line after a ';' must be empty or a comment. */
	while (cp->cp_p < cp->cp_end && (*cp->cp_p == ' ' ||
	    *cp->cp_p == '\t' || *cp->cp_p == '\r'))
		cp->cp_p++;
	if (cp->cp_p < cp->cp_end && *cp->cp_p == '#')
		while (cp->cp_p < cp->cp_end && *cp->cp_p != '\n')
			cp->cp_p++;
	if (cp->cp_p < cp->cp_end && *cp->cp_p == '\n')
		cp->cp_p++;
	else if (cp->cp_p < cp->cp_end) {
		/* Another definition on the same line: read it as one. */
		cp->cp_line--;
	}
}

static int
conf_parse_file(struct conf_parse *cp, const char *path)
{
	char		 real[PATH_MAX];
	const char	*ofile, *op, *oend;
	char		*buf = NULL;
	char		 ohost[CONF_MAXNAME];
	int		 oline, fd = -1, i, rc = -1;
	struct stat	 st;
	ssize_t		 n;
	size_t		 got = 0;

	if (realpath(path, real) == NULL) {
		if (cp->cp_file != NULL)
			conf_error(cp, "%s: %s", path, strerror(errno));
		else {
			log_warn("%s", path);
			cp->cp_errors++;
		}
		return -1;
	}
	for (i = 0; i < cp->cp_depth; i++)
		if (strcmp(cp->cp_stack[i], real) == 0) {
			conf_error(cp, ".include loop: %s", path);
			return -1;
		}
	if (cp->cp_depth == CONF_MAXDEPTH) {
		conf_error(cp, ".include nested deeper than %d",
		    CONF_MAXDEPTH);
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		log_warn("%s", path);
		cp->cp_errors++;
		goto done;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONF_MAXFILE) {
		log_warnx("%s: not a regular file of at most %d bytes", path,
		    CONF_MAXFILE);
		cp->cp_errors++;
		goto done;
	}
	if ((buf = malloc(st.st_size + 1)) == NULL)
		fatal("malloc");
	while (got < (size_t)st.st_size &&
	    (n = read(fd, buf + got, st.st_size - got)) > 0)
		got += n;

	if ((cp->cp_stack[cp->cp_depth] = strdup(real)) == NULL)
		fatal("strdup");
	cp->cp_depth++;
	ofile = cp->cp_file;
	oline = cp->cp_line;
	op = cp->cp_p;
	oend = cp->cp_end;
	strlcpy(ohost, cp->cp_host, sizeof(ohost));

	cp->cp_file = cp->cp_stack[cp->cp_depth - 1];
	if (cp->cp_depth == 1)
		cp->cp_file = path;	/* as the admin named it */
	cp->cp_line = 0;
	cp->cp_p = buf;
	cp->cp_end = buf + got;
	while (cp->cp_p < cp->cp_end)
		conf_parse_next(cp);

	cp->cp_file = ofile;
	cp->cp_line = oline;
	cp->cp_p = op;
	cp->cp_end = oend;
	strlcpy(cp->cp_host, ohost, sizeof(cp->cp_host));
	cp->cp_depth--;
	/* Entries keep a copy of the name; the stack entry can go. */
	free(cp->cp_stack[cp->cp_depth]);
	rc = 0;
 done:
	free(buf);
	if (fd != -1)
		close(fd);
	return rc;
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

	memset(&cp, 0, sizeof(cp));
	RB_INIT(&cp.cp_creds);
	RB_INIT(&cp.cp_socks);
	SLIST_INIT(&cp.cp_checked);
	cp.cp_conf = conf_new();
	cp.cp_defaults = servconf_new();
	conf_parse_file(&cp, path);
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
	if (cp.cp_errors) {
		log_warnx("%s: %d error%s, configuration not loaded", path,
		    cp.cp_errors, cp.cp_errors == 1 ? "" : "s");
		conf_free(cp.cp_conf);
		return NULL;
	}
	return cp.cp_conf;
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
	uint32_t		 sw_sockuid;
	uint32_t		 sw_sockgid;
	uint32_t		 sw_sockmode;
	int32_t			 sw_mux;
	int32_t			 sw_reuse;
	uint64_t		 sw_promises;
	int32_t			 sw_nunveil;
	int32_t			 sw_landlock;
	int32_t			 sw_newprivs;
	uint32_t		 sw_umask;
	int32_t			 sw_nice;
	int32_t			 sw_niceset;
	int32_t			 sw_rlset[CONF_NRLIMITS];
	uint64_t		 sw_rlvalue[CONF_NRLIMITS];
	uint32_t		 sw_uid;
	uint32_t		 sw_gid;
	int32_t			 sw_ngroups;
	int32_t			 sw_builtin;
	int32_t			 sw_argc;
	uint32_t		 sw_sslen;
	struct sockaddr_storage	 sw_ss;
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
	w.sw_sockuid = se->se_sockuid;
	w.sw_sockgid = se->se_sockgid;
	w.sw_sockmode = se->se_sockmode;
	w.sw_mux = se->se_mux;
	w.sw_reuse = se->se_reuse;
	w.sw_builtin = se->se_builtin;
	w.sw_sslen = se->se_sslen;
	memcpy(&w.sw_ss, &se->se_ss, sizeof(w.sw_ss));
	if (full) {
		w.sw_promises = se->se_promises;
		w.sw_nunveil = se->se_nunveil;
		w.sw_landlock = se->se_landlock;
		w.sw_newprivs = se->se_newprivs;
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
	if (!full)
		return;
	ibuf_add_str(b, se->se_user);
	ibuf_add_str(b, se->se_program);
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

/* Check every field against what a parse could have produced. */
struct servconf *
servconf_unpack(const struct imsg *im, enum role me)
{
	struct servconf_wire	 w;
	struct servconf		*se;
	struct ireader		 r;
	char			 arg[CONF_MAXARG], path[PATH_MAX];
	int			 i;

	ireader_init(&r, im);
	if (ireader_get(&r, &w, sizeof(w)) == -1)
		return NULL;
	if ((w.sw_family != AF_INET && w.sw_family != AF_INET6 &&
	    w.sw_family != AF_UNIX) ||
	    (w.sw_socktype != SOCK_STREAM && w.sw_socktype != SOCK_DGRAM) ||
	    (w.sw_family == AF_UNIX ? w.sw_protocol != 0 :
	    (w.sw_protocol != IPPROTO_TCP && w.sw_protocol != IPPROTO_UDP)) ||
	    (w.sw_family == AF_UNIX ? w.sw_port != 0 :
	    (w.sw_port < 1 || w.sw_port > 65535)) ||
	    w.sw_sslen < sizeof(sa_family_t) ||
	    (w.sw_wait != 0 && w.sw_wait != 1) ||
	    w.sw_max < 1 || w.sw_max > 1000000 ||
	    w.sw_pause < 1 || w.sw_pause > CONF_MAXPAUSE ||
	    w.sw_maxchild < 0 || w.sw_maxchild > SPAWNER_MAXCHILD ||
	    w.sw_ngroups < 0 || w.sw_ngroups > CONF_MAXGROUPS ||
	    w.sw_builtin < BI_NONE || w.sw_builtin > BI_TCPMUX ||
	    w.sw_argc < 0 || w.sw_argc > CONF_MAXARGS ||
	    w.sw_sslen > sizeof(w.sw_ss) || w.sw_index >= CONF_MAXSERVICES)
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
	se->se_sockuid = w.sw_sockuid;
	se->se_sockgid = w.sw_sockgid;
	se->se_sockmode = w.sw_sockmode & 0777;
	se->se_builtin = w.sw_builtin;
	se->se_sslen = w.sw_sslen;
	memcpy(&se->se_ss, &w.sw_ss, sizeof(se->se_ss));
	if (se->se_ss.ss_family != se->se_family)
		goto bad;
	se->se_v6only = se->se_family == AF_INET6;
	if (ireader_get_str(&r, path, sizeof(path)) == -1)
		goto bad;
	servconf_setstr(&se->se_file, path);
	if (
	    ireader_get_str(&r, se->se_service, sizeof(se->se_service)) == -1 ||
	    ireader_get_str(&r, se->se_proto, sizeof(se->se_proto)) == -1 ||
	    ireader_get_str(&r, se->se_muxname,
	    sizeof(se->se_muxname)) == -1)
		goto bad;
	if (w.sw_mux < 0 || w.sw_mux > 2 ||
	    (w.sw_mux != 0) != (se->se_muxname[0] != '\0'))
		goto bad;
	se->se_mux = w.sw_mux;
	if (w.sw_reuse < -1 || w.sw_reuse >= CONF_MAXSERVICES)
		goto bad;
	se->se_reuse = w.sw_reuse;
	if (me == ROLE_SPAWNER) {
		se->se_uid = w.sw_uid;
		se->se_gid = w.sw_gid;
		se->se_ngroups = w.sw_ngroups;
		if (ireader_get_str(&r, se->se_user,
		    sizeof(se->se_user)) == -1 ||
		    ireader_get_str(&r, path, sizeof(path)) == -1 ||
		    ireader_get(&r, se->se_groups,
		    se->se_ngroups * sizeof(gid_t)) == -1)
			goto bad;
		servconf_setstr(&se->se_program, path);
		if (se->se_builtin == BI_NONE && (se->se_program[0] != '/' ||
		    w.sw_argc < 1))
			goto bad;
		for (i = 0; i < w.sw_argc; i++) {
			if (ireader_get_str(&r, arg, sizeof(arg)) == -1)
				goto bad;
			if ((se->se_argv[i] = strdup(arg)) == NULL)
				fatal("strdup");
			se->se_argc++;
		}
		if (w.sw_nunveil < 0 || w.sw_nunveil > CONF_MAXUNVEIL ||
		    (w.sw_landlock != CONF_LANDLOCK_REQUIRED &&
		    w.sw_landlock != CONF_LANDLOCK_AUTO) ||
		    (w.sw_newprivs != 0 && w.sw_newprivs != 1) ||
		    w.sw_umask > 0777 || w.sw_nice < -20 || w.sw_nice > 19)
			goto bad;
		se->se_promises = w.sw_promises;
		se->se_landlock = w.sw_landlock;
		se->se_newprivs = w.sw_newprivs;
		se->se_umask = w.sw_umask;
		se->se_nice = w.sw_nice;
		se->se_niceset = w.sw_niceset != 0;
		for (i = 0; i < CONF_NRLIMITS; i++) {
			se->se_rlimit[i].rl_set = w.sw_rlset[i] != 0;
			se->se_rlimit[i].rl_value = w.sw_rlvalue[i];
		}
		if (ireader_get_str(&r, path, sizeof(path)) == -1)
			goto bad;
		servconf_setstr(&se->se_chroot, path);
		if (
		    ireader_get_str(&r, se->se_pledge,
		    sizeof(se->se_pledge)) == -1)
			goto bad;
		if (se->se_chroot[0] != '\0' && se->se_chroot[0] != '/')
			goto bad;
		if (w.sw_nunveil > 0 && (se->se_unveil = calloc(w.sw_nunveil,
		    sizeof(*se->se_unveil))) == NULL)
			fatal("calloc");
		for (i = 0; i < w.sw_nunveil; i++) {
			if (ireader_get_str(&r, se->se_unveil[i].ur_path,
			    sizeof(se->se_unveil[i].ur_path)) == -1 ||
			    ireader_get(&r, &se->se_unveil[i].ur_perms,
			    sizeof(se->se_unveil[i].ur_perms)) == -1)
				goto bad;
			se->se_nunveil++;
		}
	}
	if (!ireader_done(&r))
		goto bad;
	return se;
 bad:
	servconf_free(se);
	return NULL;
}

static int
conf_loopback(const struct servconf *se)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	if (se->se_family == AF_INET) {
		sin = (const struct sockaddr_in *)&se->se_ss;
		return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	}
	if (se->se_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)&se->se_ss;
		return IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr);
	}
	return 1;
}

/* How a service will be confined, as inetd -n shows it. */
static void
conf_dump_confinement(const struct servconf *se)
{
	char	 buf[64];
	int	 i;

	printf("\tconfinement:");
	if (se->se_builtin != BI_NONE) {
		printf(" built-in, served by the listener\n");
		return;
	}
	printf(" %s", se->se_newprivs ? "baseline filter, new-privileges=yes "
	    "(no no-new-privileges, capabilities kept)" : "baseline filter, "
	    "no-new-privileges, no capabilities to inherit");
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
		printf(", %s %s", rlimits[i].name, buf);
	}
	printf(", max %d per %ds", se->se_max, CONF_RATEPERIOD);
	if (se->se_maxchild)
		printf(", max-child %d", se->se_maxchild);
	printf("\n");
}

/* What an admin should look at twice. */
static void
conf_dump_warnings(const struct servconf *se)
{
	fflush(stdout);
	if (se->se_builtin == BI_NONE && se->se_uid == 0 &&
	    se->se_pledge[0] == '\0' && se->se_nunveil == 0)
		fprintf(stderr, "%s:%d: warning: %s/%s runs as root without "
		    "pledge or unveil\n", se->se_file, se->se_line,
		    se->se_service, se->se_proto);
	if (se->se_newprivs)
		fprintf(stderr, "%s:%d: warning: %s/%s is opted out of the "
		    "baseline (new-privileges=yes)\n", se->se_file,
		    se->se_line, se->se_service, se->se_proto);
	if (se->se_builtin != BI_NONE && se->se_socktype == SOCK_DGRAM &&
	    !conf_loopback(se))
		fprintf(stderr, "%s:%d: warning: UDP built-in %s on a "
		    "non-loopback address can be abused to reflect "
		    "traffic\n", se->se_file, se->se_line, se->se_service);
}

/* inetd -n: what each service will be. */
void
conf_dump(const struct conf *c)
{
	const struct servconf	*se;
	char			 addr[INET6_ADDRSTRLEN];
	const void		*ap;
	int			 i;

	TAILQ_FOREACH(se, &c->c_services, se_entry) {
		if (se->se_family == AF_UNIX) {
			printf("%s:%d: unix %s owner %u group %u mode %03o "
			    "%s %s", se->se_file,
			    se->se_line, se->se_service, se->se_sockuid,
			    se->se_sockgid, se->se_sockmode,
			    se->se_socktype == SOCK_STREAM ? "stream" :
			    "dgram", se->se_wait ? "wait" : "nowait");
		} else if (se->se_mux) {
			printf("%s:%d: %s via tcpmux%s", se->se_file,
			    se->se_line, se->se_service,
			    se->se_mux == 2 ? " (+Go)" : "");
		} else {
			if (se->se_family == AF_INET)
				ap = &((const struct sockaddr_in *)
				    &se->se_ss)->sin_addr;
			else
				ap = &((const struct sockaddr_in6 *)
				    &se->se_ss)->sin6_addr;
			inet_ntop(se->se_family, ap, addr, sizeof(addr));
			printf("%s:%d: %s %s%s%s:%d %s %s", se->se_file,
			    se->se_line, se->se_service,
			    se->se_family == AF_INET6 ? "[" : "", addr,
			    se->se_family == AF_INET6 ? "]" : "",
			    se->se_port, se->se_proto,
			    se->se_wait ? "wait" : "nowait");
		}
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
		conf_dump_confinement(se);
		conf_dump_warnings(se);
	}
}
