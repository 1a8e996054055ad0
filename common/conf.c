/*
 * inetd.conf: the classic positional notation of OpenBSD's inetd.
 *
 *	[addr:]service socktype proto wait[.max] user[:group] program [argv]
 *
 * Only the parent parses; it resolves names to numbers so that no child
 * ever calls getpwnam(3).  Every error names the file and the line, and a
 * file with any error is refused whole.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

struct conf_parse {
	const char	*cp_file;
	int		 cp_line;
	int		 cp_errors;
	char		 cp_host[CONF_MAXNAME];	/* sticky "addr:" */
	struct conf	*cp_conf;
};

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
};

static int	 conf_defmax = CONF_DEFMAX;

static void	 conf_error(struct conf_parse *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static int	 conf_parse_line(struct conf_parse *, char *);
static int	 conf_resolve(struct conf_parse *, struct servconf *);
static int	 conf_add(struct conf_parse *, struct servconf *);

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

void
servconf_free(struct servconf *se)
{
	int	 i;

	if (se == NULL)
		return;
	for (i = 0; i < se->se_argc; i++)
		free(se->se_argv[i]);
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
	se->se_max = conf_defmax;
	se->se_pause = CONF_DEFPAUSE;
	se->se_backlog = CONF_BACKLOG;
	return se;
}

static struct servconf *
servconf_dup(const struct servconf *o)
{
	struct servconf	*se;
	int		 i;

	se = servconf_new();
	memcpy(se, o, sizeof(*se));
	se->se_fd = -1;
	for (i = 0; i < o->se_argc; i++)
		if ((se->se_argv[i] = strdup(o->se_argv[i])) == NULL)
			fatal("strdup");
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
	char		 word[16];
	const char	*dot, *errstr;
	size_t		 len;

	dot = strchr(f, '.');
	len = dot ? (size_t)(dot - f) : strlen(f);
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
	if (dot != NULL) {
		se->se_max = strtonum(dot + 1, 1, 1000000, &errstr);
		if (errstr != NULL) {
			conf_error(cp, "rate limit \"%s\" is %s "
			    "(1 to 1000000)", dot + 1, errstr);
			return -1;
		}
	}
	return 0;
 bad:
	conf_error(cp, "expected wait or nowait[.max], got \"%s\"", f);
	return -1;
}

static int
conf_parse_user(struct conf_parse *cp, struct servconf *se, const char *f)
{
	const char	*sep;
	size_t		 len;

	/* user:group, or the older user.group */
	if ((sep = strchr(f, ':')) == NULL)
		sep = strchr(f, '.');
	len = sep ? (size_t)(sep - f) : strlen(f);
	if (len == 0 || len >= sizeof(se->se_user)) {
		conf_error(cp, "bad user \"%s\"", f);
		return -1;
	}
	memcpy(se->se_user, f, len);
	se->se_user[len] = '\0';
	if (sep != NULL) {
		if (sep[1] == '\0') {
			conf_error(cp, "empty group in \"%s\"", f);
			return -1;
		}
		if (conf_copy(cp, se->se_group, sep + 1,
		    sizeof(se->se_group), "group") == -1)
			return -1;
	}
	return 0;
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

	se = servconf_new();
	if (strlcpy(se->se_file, cp->cp_file, sizeof(se->se_file)) >=
	    sizeof(se->se_file))
		fatalx("file name too long");
	se->se_line = cp->cp_line;
	if (conf_split_addr(cp, fields[0], se->se_host, se->se_service) == -1)
		goto fail;
	if (se->se_host[0] == '\0')
		strlcpy(se->se_host, cp->cp_host, sizeof(se->se_host));
	else if (strcmp(se->se_host, "*") == 0)
		se->se_host[0] = '\0';

	if (strcmp(fields[1], "stream") == 0)
		se->se_socktype = SOCK_STREAM;
	else if (strcmp(fields[1], "dgram") == 0)
		se->se_socktype = SOCK_DGRAM;
	else {
		conf_error(cp, "socket type \"%s\": expected stream or dgram",
		    fields[1]);
		goto fail;
	}
	if (conf_copy(cp, se->se_proto, fields[2], sizeof(se->se_proto),
	    "protocol") == -1)
		goto fail;
	if (conf_parse_wait(cp, se, fields[3]) == -1)
		goto fail;
	if (conf_parse_user(cp, se, fields[4]) == -1)
		goto fail;

	if (strcmp(fields[5], "internal") == 0) {
		se->se_program[0] = '\0';
	} else {
		if (fields[5][0] != '/') {
			conf_error(cp, "program \"%s\" is not an absolute "
			    "path or internal", fields[5]);
			goto fail;
		}
		if (conf_copy(cp, se->se_program, fields[5],
		    sizeof(se->se_program), "program path") == -1)
			goto fail;
		if (n == 6) {
			/* A missing argv0 is the program's base name. */
			p = strrchr(se->se_program, '/');
			if ((se->se_argv[0] = strdup(p + 1)) == NULL)
				fatal("strdup");
			se->se_argc = 1;
		}
		for (i = 6; i < n; i++) {
			if (strlen(fields[i]) >= CONF_MAXARG) {
				conf_error(cp, "argument %d too long", i - 5);
				goto fail;
			}
			if ((se->se_argv[se->se_argc++] = strdup(fields[i])) ==
			    NULL)
				fatal("strdup");
		}
	}
	if (conf_resolve(cp, se) == -1)
		goto fail;
	return conf_add(cp, se);

 fail:
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
	return 0;
}

static int
conf_resolve(struct conf_parse *cp, struct servconf *se)
{
	size_t		 i;
	struct servent	*sv;
	const char	*errstr, *pname;
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

	port = strtonum(se->se_service, 1, 65535, &errstr);
	if (errstr != NULL) {
		if (isdigit((unsigned char)se->se_service[0])) {
			conf_error(cp, "port \"%s\" is %s (1 to 65535)",
			    se->se_service, errstr);
			return -1;
		}
		if ((sv = getservbyname(se->se_service, pname)) == NULL) {
			conf_error(cp, "unknown service \"%s/%s\"",
			    se->se_service, pname);
			return -1;
		}
		port = ntohs(sv->s_port);
	}
	se->se_port = port;
	return conf_resolve_user(cp, se);
}

/*
 * Give each address of the service an entry of its own: a name may
 * resolve to several, and tcp46 is a v4 and a v6 socket.
 */
static int
conf_add(struct conf_parse *cp, struct servconf *tmpl)
{
	struct addrinfo	 hints, *res, *ai;
	struct servconf	*se, *o;
	char		 portstr[8];
	int		 error, added = 0;

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
		TAILQ_FOREACH(o, &cp->cp_conf->c_services, se_entry) {
			if (o->se_socktype == se->se_socktype &&
			    o->se_sslen == se->se_sslen &&
			    memcmp(&o->se_ss, &se->se_ss, se->se_sslen) == 0)
				break;
		}
		if (o != NULL) {
			conf_error(cp, "%s/%s is already configured at "
			    "%s:%d", tmpl->se_service, tmpl->se_proto,
			    o->se_file, o->se_line);
			servconf_free(se);
			continue;
		}
		if (cp->cp_conf->c_count >= CONF_MAXSERVICES) {
			conf_error(cp, "more than %d services",
			    CONF_MAXSERVICES);
			servconf_free(se);
			break;
		}
		se->se_index = cp->cp_conf->c_count++;
		TAILQ_INSERT_TAIL(&cp->cp_conf->c_services, se, se_entry);
		added++;
	}
	freeaddrinfo(res);
	servconf_free(tmpl);
	return added ? 0 : -1;
}

static int
conf_parse_file(struct conf_parse *cp, const char *path)
{
	FILE	*fp;
	char	*line = NULL;
	size_t	 linesize = 0;
	ssize_t	 len;

	cp->cp_file = path;
	cp->cp_line = 0;
	if ((fp = fopen(path, "re")) == NULL) {
		log_warn("%s", path);
		cp->cp_errors++;
		return -1;
	}
	while ((len = getline(&line, &linesize, fp)) != -1) {
		cp->cp_line++;
		if ((size_t)len >= CONF_MAXLINE) {
			conf_error(cp, "line longer than %d bytes",
			    CONF_MAXLINE - 1);
			continue;
		}
		if (strlen(line) != (size_t)len) {
			conf_error(cp, "NUL byte in line");
			continue;
		}
		conf_parse_line(cp, line);
	}
	if (ferror(fp)) {
		log_warn("%s", path);
		cp->cp_errors++;
	}
	free(line);
	fclose(fp);
	return cp->cp_errors ? -1 : 0;
}

/* Parse a configuration file.  NULL if anything in it was wrong. */
struct conf *
conf_load(const char *path)
{
	struct conf_parse	 cp;

	memset(&cp, 0, sizeof(cp));
	cp.cp_conf = conf_new();
	if (conf_parse_file(&cp, path) == -1 || cp.cp_errors) {
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
	w.sw_builtin = se->se_builtin;
	w.sw_sslen = se->se_sslen;
	memcpy(&w.sw_ss, &se->se_ss, sizeof(w.sw_ss));
	if (full) {
		w.sw_uid = se->se_uid;
		w.sw_gid = se->se_gid;
		w.sw_ngroups = se->se_ngroups;
		w.sw_argc = se->se_argc;
	}
	ibuf_add(b, &w, sizeof(w));
	ibuf_add_str(b, se->se_file);
	ibuf_add_str(b, se->se_service);
	ibuf_add_str(b, se->se_proto);
	if (!full)
		return;
	ibuf_add_str(b, se->se_user);
	ibuf_add_str(b, se->se_program);
	ibuf_add(b, se->se_groups, se->se_ngroups * sizeof(gid_t));
	for (i = 0; i < se->se_argc; i++)
		ibuf_add_str(b, se->se_argv[i]);
}

/* Check every field against what a parse could have produced. */
struct servconf *
servconf_unpack(const struct imsg *im, enum role me)
{
	struct servconf_wire	 w;
	struct servconf		*se;
	struct ireader		 r;
	char			 arg[CONF_MAXARG];
	int			 i;

	ireader_init(&r, im);
	if (ireader_get(&r, &w, sizeof(w)) == -1)
		return NULL;
	if ((w.sw_family != AF_INET && w.sw_family != AF_INET6) ||
	    (w.sw_socktype != SOCK_STREAM && w.sw_socktype != SOCK_DGRAM) ||
	    (w.sw_protocol != IPPROTO_TCP && w.sw_protocol != IPPROTO_UDP) ||
	    w.sw_port < 1 || w.sw_port > 65535 ||
	    (w.sw_wait != 0 && w.sw_wait != 1) ||
	    w.sw_max < 1 || w.sw_max > 1000000 ||
	    w.sw_pause < 1 || w.sw_pause > CONF_MAXPAUSE ||
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
	se->se_builtin = w.sw_builtin;
	se->se_sslen = w.sw_sslen;
	memcpy(&se->se_ss, &w.sw_ss, sizeof(se->se_ss));
	se->se_v6only = se->se_family == AF_INET6;
	if (ireader_get_str(&r, se->se_file, sizeof(se->se_file)) == -1 ||
	    ireader_get_str(&r, se->se_service, sizeof(se->se_service)) == -1 ||
	    ireader_get_str(&r, se->se_proto, sizeof(se->se_proto)) == -1)
		goto bad;
	if (me == ROLE_SPAWNER) {
		se->se_uid = w.sw_uid;
		se->se_gid = w.sw_gid;
		se->se_ngroups = w.sw_ngroups;
		if (ireader_get_str(&r, se->se_user,
		    sizeof(se->se_user)) == -1 ||
		    ireader_get_str(&r, se->se_program,
		    sizeof(se->se_program)) == -1 ||
		    ireader_get(&r, se->se_groups,
		    se->se_ngroups * sizeof(gid_t)) == -1)
			goto bad;
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
	}
	if (!ireader_done(&r))
		goto bad;
	return se;
 bad:
	servconf_free(se);
	return NULL;
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
		if (se->se_family == AF_INET)
			ap = &((const struct sockaddr_in *)
			    &se->se_ss)->sin_addr;
		else
			ap = &((const struct sockaddr_in6 *)
			    &se->se_ss)->sin6_addr;
		inet_ntop(se->se_family, ap, addr, sizeof(addr));
		printf("%s:%d: %s %s%s%s:%d %s %s user %s(%u) group %u "
		    "groups", se->se_file, se->se_line, se->se_service,
		    se->se_family == AF_INET6 ? "[" : "", addr,
		    se->se_family == AF_INET6 ? "]" : "", se->se_port,
		    se->se_proto, se->se_wait ? "wait" : "nowait",
		    se->se_user, se->se_uid, se->se_gid);
		for (i = 0; i < se->se_ngroups; i++)
			printf("%s%u", i ? "," : " ", se->se_groups[i]);
		if (se->se_builtin != BI_NONE)
			printf(" internal %s\n",
			    conf_builtin_name(se->se_builtin));
		else {
			printf(" exec %s", se->se_program);
			for (i = 0; i < se->se_argc; i++)
				printf(" %s", se->se_argv[i]);
			printf("\n");
		}
	}
}
