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
 * inetd: a privilege-separated internet super-server.
 * One header for every role: constants and types first, then the
 * prototypes of each file, those all roles share first.
 */

#ifndef INETD_H
#define INETD_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/resource.h>
#include <netinet/in.h>

#include <event.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "compat.h"

#define INETD_CONF		"/etc/inetd.conf"
#define INETD_SOCKET		"/run/inetd.sock"	/* control, -s */
#define INETD_PIDFILE		"/run/inetd.pid"	/* -p */
#define INETD_ROGROUP		"adm"	/* of the read-only socket, -g */
#define INETD_USER		"_inetd"
#define INETD_CHROOT		"/var/empty"
#define INETD_PATH		"/usr/bin:/bin:/usr/sbin:/sbin"
#define INETD_CHANFD		3	/* parent channel in every child */
#define INETD_PEERFD		4	/* the listener's spawner channel */

#define CONF_MAXLINE		4096	/* one physical line */
#define CONF_MAXARGS		64	/* program arguments, argv0 included */
#define CONF_MAXNAME		256	/* service, user, group, proto names */
#define CONF_MAXARG		1024	/* one argument */
#define CONF_BACKLOG		1024
#define CONF_MAXGROUPS		64	/* supplementary groups of a service */
#define CONF_MAXSERVICES	65536
#define CONF_MAXMUXNAME		64	/* RFC 1078 service name */
#define CONF_MAXPLEDGE		512
#define CONF_MAXUNVEIL		64
#define CONF_CAPS_ALL		UINT64_MAX	/* caps=all: what the kernel has */
#define CONF_MAXSOCKBUF		(64 * 1024 * 1024)	/* sndbuf, rcvbuf */
#define CONF_NRLIMITS		8
#define CONF_MAXDEPTH		16	/* .include nesting */
#define CONF_MAXFILE		(16 * 1024 * 1024)
#define CONF_DEFMAX		256	/* spawns per period, as OpenBSD */
#define CONF_RATEPERIOD		60
#define CONF_DEFPAUSE		60	/* seconds over its rate, at rest */
#define CONF_MAXPAUSE		86400
#define CONF_MAXRATE		1000000	/* spawns per CONF_RATEPERIOD */
#define CONF_MUXPREFIX		"tcpmux/"	/* RFC 1078 service names */
#define CONF_MAXACL		16384	/* allow= and deny= rules, per entry */
#define CONF_MAXACLTOTAL	(1024 * 1024)	/* of all entries together */
#define CONF_ACLCHUNK		512	/* rules per IMSG_ACL */
#define CONF_MAXBANNER		128	/* deny-banner= */
#define CONF_MAXSRCPERIOD	86400	/* per-source-rate=N/SECONDS */
#define CONF_PROXY_NONE		0	/* proxy=: no PROXY header */
#define CONF_PROXY_V1		1	/* the text header */
#define CONF_PROXY_V2		2	/* the binary one */
#define CONF_PROXY_ANY		3	/* either */
#define CONF_MAXTIMEOUT		604800	/* timeout=: a week */

#define SPAWNER_MAXCHILD	4096	/* global ceiling on live services */
#define SPAWNER_LOGBURST	10	/* refusals logged per rate period */
#define SPAWNER_PREVGRACE	10	/* seconds the old table still serves */
#define SPAWNER_LAUNCHMAX	5	/* seconds a child has to reach exec */
#define SPAWNER_KILLGRACE	5	/* seconds from SIGTERM to SIGKILL */

#define LOG_MAXLINE		1024	/* one line, a child's as well */

/* Messages: see DESIGN.md, "Messages". */
#define IMSG_MAXSIZE		16384

enum imsg_type {
	IMSG_NONE = 0,
	IMSG_INIT,		/* parent -> child: credentials, log level */
	IMSG_PEER,		/* parent -> child: the sibling's channel */
	IMSG_SERVICE,		/* parent -> child: one service entry */
	IMSG_CONF_END,		/* parent -> child: generation now in force */
	IMSG_SPAWN,		/* listener -> spawner: index, gen, fd */
	IMSG_CHILD_START,	/* spawner -> listener */
	IMSG_CHILD_EXIT,	/* spawner -> listener */
	IMSG_LOG,		/* child -> parent */
	IMSG_RELOAD,		/* never accepted: see IMSG_CTL */
	IMSG_CONF_ACK,		/* spawner -> parent: generation taken */
	IMSG_GEN,		/* listener -> spawner: generation in force */
	IMSG_ACL,		/* parent -> child: access rules of an entry */
	IMSG_KEYSPEER,		/* parent -> spawner: channel to the keys */
	IMSG_TLSKEY,		/* parent -> keys: a tls= entry's key */
	IMSG_KEYCHAN,		/* spawner -> keys: one connection's channel */
	IMSG_TLSCTX,		/* spawner -> tls: an entry's engine settings */
	IMSG_TLSCONN,		/* spawner -> tls: a connection, in parts */
	IMSG_TLSEXIT,		/* tls -> spawner: how its engine ended */
	IMSG_CTL,		/* inetdctl -> parent -> children: request */
	IMSG_CTL_SERVICE,	/* listener -> parent -> inetdctl */
	IMSG_CTL_CONN,		/* spawner -> parent -> inetdctl */
	IMSG_CTL_END,		/* the last answer to a request */
	IMSG_TLSEXE,		/* parent -> spawner: inetd-tls, to exec */
	IMSG_MAX
};

/* Whether a message of a type carries a descriptor. */
enum imsg_fd {
	IMSG_FD_NEVER,
	IMSG_FD_MUST,
	IMSG_FD_MAY
};

struct imsg_hdr {
	uint32_t	 type;
	uint32_t	 len;		/* header included */
	uint32_t	 peerid;
	int32_t		 pid;
};

struct imsg {
	struct imsg_hdr	 hdr;
	int		 fd;
	const u_char	*data;
	size_t		 datalen;
};

struct chanmsg {
	TAILQ_ENTRY(chanmsg)	 cm_entry;
	int			 cm_fd;
	size_t			 cm_len;
	u_char			 cm_buf[];
};

struct chan;
typedef void (*chan_dispatch_fn)(struct chan *, struct imsg *);

struct chan {
	int			 ch_fd;
	const char		*ch_peer;	/* for log lines */
	int			 ch_dead;
	int			 ch_eof;	/* the peer closed it */
	const char		*ch_err;	/* why the channel ended */
	char			 ch_errbuf[128];
	struct event		 ch_ev;
	int			 ch_evflags;	/* 0: not on the event loop */
	chan_dispatch_fn	 ch_dispatch;
	void			(*ch_closed)(struct chan *);
	void			*ch_arg;
	TAILQ_HEAD(, chanmsg)	 ch_out;
	size_t			 ch_queued;
	size_t			 ch_queuedfds;	/* of those, with a descriptor */
	u_char			*ch_rbuf;	/* CHAN_RBUFSIZE, the process's */
	pid_t			 ch_pid;	/* of who set it up: the headers' */
};

/*
 * What chan_read reads into: one buffer for every channel of a process
 * (a message is handled before the next one is read, on any channel;
 * what a handler keeps it copies), not 16 kB in each channel, whose
 * first page stayed resident beside the channel's fields.
 */
#define CHAN_RBUFSIZE		(IMSG_MAXSIZE + 1)

/* Building and reading payloads. */
struct ibuf {
	u_char		*ib_buf;
	size_t		 ib_len;
	size_t		 ib_size;
	int		 ib_error;
};

struct ireader {
	const u_char	*ir_p;
	size_t		 ir_left;
};

/* Payloads. */
struct msg_init {
	uid_t		 mi_uid;
	gid_t		 mi_gid;
	int32_t		 mi_debug;
	int32_t		 mi_verbose;
	uint64_t	 mi_nofile_cur;	/* RLIMIT_NOFILE inetd was given */
	uint64_t	 mi_nofile_max;
	int32_t		 mi_maxchild;	/* -c: services running at once */
};

struct msg_spawn {
	uint32_t	 ms_index;
	uint32_t	 ms_gen;
	uint32_t	 ms_token;	/* the listener's, given back in
					   msg_child; the spawner keeps it */
};

/*
 * After a msg_spawn, for a proxy= service: the client and the address
 * it reached, as the PROXY header named them (mp_local: no header
 * address, the front end's own connection).
 */
struct msg_proxy {
	struct sockaddr_storage	 mp_src;
	struct sockaddr_storage	 mp_dst;
	uint32_t		 mp_srclen;
	uint32_t		 mp_dstlen;
	uint32_t		 mp_local;
};

struct msg_child {
	uint32_t	 mc_index;
	uint32_t	 mc_gen;
	int32_t		 mc_pid;
	int32_t		 mc_status;
	uint32_t	 mc_token;	/* ms_token of the request */
	uint32_t	 mc_noexec;	/* exit: it failed before exec */
};

struct msg_confend {
	uint32_t	 mce_gen;
	uint32_t	 mce_count;	/* entries sent to this child */
	uint32_t	 mce_nindex;	/* every index is below it */
};

struct msg_gen {
	uint32_t	 mg_gen;
};

/*
 * The control socket (parent/control.c, inetdctl/).  inetdctl sends one
 * IMSG_CTL naming a command and, for some, a service; the parent asks
 * the child that holds the state with an IMSG_CTL of its own, naming
 * entries by index and generation, and relays what comes back.  Every
 * request ends with one IMSG_CTL_END: a status and a text.
 */
enum ctl_cmd {
	CTL_NONE = 0,
	CTL_SHOW_SERVICES,
	CTL_SHOW_CONNECTIONS,
	CTL_RELOAD,
	CTL_PAUSE,
	CTL_RESUME,
	CTL_KILL,
	CTL_LOG_BRIEF,
	CTL_LOG_VERBOSE,
	CTL_NCMDS
};

#define CTL_VERSION		1
#define CTL_ALL			UINT32_MAX	/* every entry */
#define CTL_MAXNAME		(CONF_MAXNAME + 24)	/* name/proto */
#define CTL_MAXTEXT		8192	/* an answer's text */

struct msg_ctl {
	uint32_t	 mct_version;	/* CTL_VERSION */
	uint32_t	 mct_cmd;	/* enum ctl_cmd */
	uint32_t	 mct_gen;	/* to a child: of the index */
	uint32_t	 mct_index;	/* to a child: an entry, or CTL_ALL */
	char		 mct_service[CTL_MAXNAME];	/* from inetdctl */
};

enum ctl_state {
	CTL_SERVING = 0,
	CTL_PAUSED,		/* by inetdctl pause */
	CTL_RESTING,		/* over its rate, until cs_until */
	CTL_FULL,		/* max-child running */
	CTL_DISABLED,		/* "off" in the file */
	CTL_NOTLISTENING,	/* its socket could not be bound */
	CTL_NSTATES
};

/*
 * What the listener counts of an entry; the parent fills in the names
 * from its own table, whatever the listener said.  Counters are kept
 * across reloads by an entry that keeps its socket.
 */
struct ctl_counters {
	uint64_t	 cc_accepted;	/* connections, or datagrams */
	uint64_t	 cc_answered;	/* by a built-in */
	uint64_t	 cc_spawned;	/* programs started */
	uint64_t	 cc_refacl;	/* refused: access list */
	uint64_t	 cc_refsource;	/* per-source limits */
	uint64_t	 cc_refmaxchild;	/* max-child-action=refuse */
	uint64_t	 cc_refrate;	/* while resting over its rate */
	uint64_t	 cc_refproxy;	/* PROXY header or front end */
	uint64_t	 cc_refpaused;	/* while paused by inetdctl */
	uint64_t	 cc_failed;	/* the spawner refused or failed */
	uint64_t	 cc_violations;	/* killed by its confinement */
	int64_t		 cc_lastexit;	/* time(3), 0: none yet */
	int32_t		 cc_lastpid;
	int32_t		 cc_laststatus;	/* as from waitpid */
};

struct ctl_service {
	uint32_t		 cs_index;
	uint32_t		 cs_gen;
	uint32_t		 cs_state;	/* enum ctl_state */
	uint32_t		 cs_running;
	int64_t			 cs_until;	/* CTL_RESTING: time(3) */
	struct ctl_counters	 cs_count;
	/* Filled in by the parent. */
	char			 cs_name[CTL_MAXNAME];
	char			 cs_addr[CONF_MAXNAME + 16];
	char			 cs_program[CONF_MAXNAME];
	char			 cs_user[CONF_MAXNAME];
};

struct ctl_conn {
	uint32_t	 cn_index;
	uint32_t	 cn_gen;
	int32_t		 cn_pid;
	uint32_t	 cn_pad;
	uint64_t	 cn_msec;	/* running for */
	char		 cn_name[CTL_MAXNAME];
	char		 cn_peer[INET6_ADDRSTRLEN + 16];
	char		 cn_user[CONF_MAXNAME];
};

#define CTL_BUSY	2	/* ce_status: try again in a moment */

struct ctl_end {
	int32_t		 ce_status;	/* 0: done, CTL_BUSY, 1: failed */
	uint32_t	 ce_gen;	/* the generation in force */
	char		 ce_text[CTL_MAXTEXT];	/* a line per line */
};

/* IMSG_ACL: this many struct acl_rule follow, for the entry just sent. */
struct msg_acl {
	uint32_t	 ma_index;
	uint32_t	 ma_count;
};

/* Access lists (common/acl.c): one rule, as parsed and on the wire. */
enum acl_kind {
	ACL_INET = 1,		/* IPv4 prefix; an IPv4-mapped peer too */
	ACL_INET6,		/* IPv6 prefix */
	ACL_UID,		/* UNIX peer by user id */
	ACL_GID			/* UNIX peer by (primary) group id */
};

#define ACL_ACCESS	0	/* allow= and deny= */
#define ACL_PROXYFROM	1	/* proxy-from=: who may send a PROXY header */

struct acl_rule {
	uint8_t		 ar_kind;
	uint8_t		 ar_deny;
	uint8_t		 ar_plen;	/* prefix length */
	uint8_t		 ar_list;	/* ACL_ACCESS or ACL_PROXYFROM */
	uint32_t	 ar_id;		/* uid or gid */
	uint8_t		 ar_addr[16];	/* network order, IPv4 first 4 */
};

struct acl;

/* pledge and unveil for Linux: common/pledge.c, common/unveil.c. */
/* Promise bits, one per pledge word. */
#define PLEDGE_STDIO		(1ULL << 0)
#define PLEDGE_RPATH		(1ULL << 1)
#define PLEDGE_WPATH		(1ULL << 2)
#define PLEDGE_CPATH		(1ULL << 3)
#define PLEDGE_DPATH		(1ULL << 4)
#define PLEDGE_TMPPATH		(1ULL << 5)
#define PLEDGE_INET		(1ULL << 6)
#define PLEDGE_UNIX		(1ULL << 7)
#define PLEDGE_DNS		(1ULL << 8)
#define PLEDGE_PROC		(1ULL << 9)
#define PLEDGE_EXEC		(1ULL << 10)
#define PLEDGE_ID		(1ULL << 11)
#define PLEDGE_GETPW		(1ULL << 12)
#define PLEDGE_TTY		(1ULL << 13)
#define PLEDGE_FLOCK		(1ULL << 14)
#define PLEDGE_FATTR		(1ULL << 15)
#define PLEDGE_CHOWN		(1ULL << 16)
#define PLEDGE_SENDFD		(1ULL << 17)
#define PLEDGE_RECVFD		(1ULL << 18)
#define PLEDGE_PROT_EXEC	(1ULL << 19)
#define PLEDGE_ERROR		(1ULL << 20)
#define PLEDGE_ALL		((PLEDGE_ERROR << 1) - 1)

/* unveil permissions. */
#define UNVEIL_R	0x01
#define UNVEIL_W	0x02
#define UNVEIL_X	0x04
#define UNVEIL_C	0x08
#define UNVEIL_OPTIONAL	0x10	/* missing: skip it */
#define UNVEIL_ALL	0x1f

struct sock_filter;

struct pledge_filter {
	struct sock_filter	*pf_insns;
	unsigned short		 pf_len;
};

/* A path and its rights; the path is allocated, PATH_MAX at most. */
struct unveil_rule {
	char			*ur_path;
	int			 ur_perms;
};

/* Roles. */
enum role {
	ROLE_PARENT,
	ROLE_LISTENER,
	ROLE_SPAWNER,
	ROLE_KEYS,
	ROLE_TLS,		/* the spawner's, not the parent's */
	ROLE_CHECK,		/* the parent's, while it loads tls= */
	ROLE_LOOKUP,		/* the parent's, while it looks up names */
	ROLE_MAX
};
#define ROLE_NPARENT	(ROLE_KEYS + 1)	/* the parent's children below */

/* A tcpmux/ service, and whether it answers "+Go" before the program. */
enum mux {
	MUX_NONE = 0,
	MUX_PLAIN,		/* tcpmux/name */
	MUX_PLUS		/* tcpmux/+name */
};

enum builtin {
	BI_NONE = 0,
	BI_ECHO,
	BI_DISCARD,
	BI_CHARGEN,
	BI_DAYTIME,
	BI_TIME,
	BI_TCPMUX
};

/* landlock=: what an unveil list does where the kernel lacks Landlock. */
enum conf_landlock {
	CONF_LANDLOCK_REQUIRED = 0,	/* the service is refused */
	CONF_LANDLOCK_AUTO		/* it runs without, with a warning */
};

/* max-child-action=: what a stream nowait service at max-child does. */
enum conf_fullaction {
	CONF_FULL_WAIT = 0,	/* connections wait in the listen queue */
	CONF_FULL_REFUSE	/* they are accepted and closed at once */
};

/* One service, as every role knows it. */
struct servconf {
	TAILQ_ENTRY(servconf)	 se_entry;
	uint32_t		 se_index;
	int			 se_line;
	char			*se_file;

	/* Where it listens. */
	char			*se_service;	/* as written */
	char			*se_host;	/* as written */
	char			 se_proto[16];		/* as written */
	char			*se_portname;	/* port= */
	char			*se_muxname;	/* tcpmux/: the name, or "" */
	enum mux		 se_mux;
	int			 se_family;
	int			 se_socktype;
	int			 se_protocol;
	int			 se_v6only;
	int			 se_port;
	struct sockaddr_storage	 se_ss;
	socklen_t		 se_sslen;
	int			 se_backlog;
	int			 se_udpreflect;	/* UDP built-in off loopback */
	uid_t			 se_sockuid;	/* UNIX socket file */
	gid_t			 se_sockgid;
	mode_t			 se_sockmode;

	/* How it runs. */
	int			 se_wait;
	int			 se_max;	/* spawns per period */
	int			 se_pause;	/* seconds, when over it */
	int			 se_maxchild;	/* running at once, 0: any */
	int			 se_timeout;	/* seconds a child runs, or 0 */
	enum conf_fullaction	 se_fullaction;	/* at max-child */
	int			 se_persource;	/* at once from a source, 0: any */
	int			 se_srcrate;	/* per-source-rate N, 0: none */
	int			 se_srcperiod;	/* per SECONDS */
	int			 se_srcprefix4;	/* a source: an IPv4 /N */
	int			 se_srcprefix6;	/* an IPv6 /N */
	enum builtin		 se_builtin;
	char			*se_user;
	char			*se_group;	/* "": the user's */
	uid_t			 se_uid;
	gid_t			 se_gid;
	gid_t			*se_groups;	/* se_ngroups, or NULL */
	int			 se_ngroups;
	int			 se_argc;
	char			*se_program;	/* "": internal */
	char		       **se_argv;	/* se_argc + 1, NULL last;
						   NULL when none */

	/* Confinement (inetd.conf(5): chroot, pledge, unveil, ...). */
	char			*se_chroot;	/* "": none */
	char			*se_pledge;	/* "": none */
	uint64_t		 se_promises;
	struct unveil_rule	*se_unveil;
	int			 se_nunveil;
	enum conf_landlock	 se_landlock;
	int			 se_newprivs;	/* baseline opted out */
	uint64_t		 se_caps;	/* kept: CONF_CAPS_ALL, or bits */
	int			 se_sndbuf;	/* SO_SNDBUF, or 0 */
	int			 se_rcvbuf;	/* SO_RCVBUF, or 0 */
	int			 se_capsset;	/* caps= given */
	mode_t			 se_umask;
	int			 se_nice;
	int			 se_niceset;
	struct {
		int		 rl_set;
		uint64_t	 rl_value;	/* soft and hard */
	}			 se_rlimit[CONF_NRLIMITS];

	/* Access lists: rules as written, and what a child looks up. */
	struct acl_rule		*se_acl;
	int			 se_nacl;
	int			 se_naclwant;	/* child: rules announced */
	struct acl		*se_acc;	/* child: compiled, or NULL */
	struct acl		*se_proxyacc;	/* child: proxy-from=, or NULL */
	int			 se_proxy;	/* CONF_PROXY_*: PROXY header */
	int			 se_tls;	/* tls=yes */
	char			*se_tlscert;	/* tls-cert=: the chain, PEM */
	char			*se_tlskey;	/* tls-key=: parent only */
	char			*se_tlsca;	/* tls-ca=, or "" */
	int			 se_tlsclient;	/* CONF_TLSCLIENT_* */
	int			 se_tlsprotos;	/* CONF_TLS_V12 | CONF_TLS_V13 */
	char			*se_tlsciphers;	/* tls-ciphers=, or "" */
	struct tlsdata		*se_tlsdata;	/* parent: the files, read */
	int			 se_tlstimeout;	/* handshake deadline, s */
	int			 se_nolog;	/* log=no: no records */
	char			*se_denybanner;	/* "": none */
	uint64_t		 se_served;	/* listener: built-in answers
						   since its last count */

	/* State of the role holding it. */
	int			 se_fd;
	int32_t			 se_reuse;	/* listener: take the socket of
						   this entry in force, or -1 */
	void			*se_priv;
};
TAILQ_HEAD(servlist, servconf);

struct conf {
	struct servlist		 c_services;
	struct servlist		 c_disabled;	/* parent: "off" entries */
	uint32_t		 c_count;
	uint32_t		 c_gen;
};

/* tls-client=: whether a client certificate is asked for. */
#define CONF_TLSCLIENT_NONE	0	/* no tls-ca= */
#define CONF_TLSCLIENT_OPTIONAL	1
#define CONF_TLSCLIENT_REQUIRED	2
#define CONF_TLS_V12		0x1
#define CONF_TLS_V13		0x2
#define CONF_TLSTIMEOUT		10	/* handshake deadline, s */
#define CONF_MAXTLSTIMEOUT	600
#define CONF_MAXTLSCIPHERS	255
#define CONF_MAXTLSFILE		(256 * 1024)	/* a PEM file read */

/* The files of a tls= entry as the parent read them (parent only). */
struct tlsdata {
	char		*td_chain;	/* PEM, leaf first */
	size_t		 td_chainlen;
	char		*td_key;	/* DER: for the keys process */
	size_t		 td_keylen;
	char		*td_ca;		/* PEM, or NULL */
	size_t		 td_calen;
};

/* spawner/child.c: the steps from fork to exec, and what fails one. */
#define CHILD_MAXENV		24

enum child_step {
	CHILD_OK = 0,
	CHILD_SETSID,
	CHILD_FDS,
	CHILD_SIGNALS,
	CHILD_RLIMIT,
	CHILD_NICE,
	CHILD_CHROOT,
	CHILD_CAPS,
	CHILD_GROUPS,
	CHILD_GID,
	CHILD_UID,
	CHILD_NNP,
	CHILD_LANDLOCK,
	CHILD_SECCOMP,
	CHILD_EXEC,
	CHILD_TLS,		/* the engine's session record */
	CHILD_NSTEPS
};

struct child_status {
	int32_t		 cst_step;
	int32_t		 cst_errno;
};

/* What the spawner builds once per service, at configuration time. */
struct sservice {
	const struct pledge_filter *ss_filter;	/* baseline or pledge */
	int			 ss_llfd;	/* Landlock ruleset, or -1 */
	int			 ss_llown;	/* ss_llfd is this entry's to close */
	int			 ss_broken;	/* could not be built */
	int			 ss_live;	/* its children running */
	int			 ss_waitlive;	/* of those, wait programs */
	time_t			 ss_window;	/* start of the rate period */
	int			 ss_spawns;	/* started in it */
	int			 ss_tlsfd;	/* tls=: the engine's settings */
};

/* parent/parent.c, for parent/control.c */
struct conf	*parent_conf(void);
uint32_t	 parent_gen(void);
struct chan	*parent_chan(enum role);
void		 parent_set_verbose(int);
void		 parent_ctl_reload(void);

/* parent/control.c */
void	 control_init(const char *, const char *, const char *);
void	 control_listen(void);
void	 control_cleanup(void);
int	 control_child(enum role, struct chan *, struct imsg *);
void	 control_child_gone(enum role);
void	 control_reloaded(int, uint32_t, const char *);
void	 control_in_force(uint32_t);

#ifdef INETD_COVERAGE
/* common/coverage.c, only in the build of make coverage */
void	 coverage_open(int, char *[]);
#endif

/* common/log.c */
void	 log_init(int, int);
void	 log_setverbose(int);
int	 log_getverbose(void);
void	 log_setchan(struct chan *);
void	 log_setname(const char *);
void	 log_capture(char *, size_t);
void	 log_emit(int, const char *);
int	 log_unpack(const struct imsg *, int32_t *, char *, size_t);
void	 logit(int, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
void	 log_warn(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	 log_warnx(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	 log_info(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	 log_debug(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	 vlog(int, const char *, va_list)
	    __attribute__((__format__ (printf, 2, 0)));
__dead void fatal(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
__dead void fatalx(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));

/* common/imsg.c */
void	 chan_init(struct chan *, int, const char *, chan_dispatch_fn,
	    void *);
int	 chan_read(struct chan *, struct imsg *);
int	 chan_compose(struct chan *, uint32_t, int, const void *, size_t);
int	 chan_flush(struct chan *);
void	 chan_trim(void);
int	 chan_send_sync(struct chan *, uint32_t, int, const void *, size_t);
void	 chan_clear(struct chan *);
int	 imsg_type_takes_fd(uint32_t);
const char *imsg_type_name(uint32_t);
void	 ibuf_init(struct ibuf *);
void	 ibuf_add(struct ibuf *, const void *, size_t);
void	 ibuf_add_str(struct ibuf *, const char *);
void	 ibuf_free(struct ibuf *);
void	 ireader_init(struct ireader *, const struct imsg *);
int	 ireader_get(struct ireader *, void *, size_t);
int	 ireader_get_str(struct ireader *, char *, size_t);
int	 ireader_done(const struct ireader *);

/* common/proc.c */
void	 proc_event_chan(struct chan *);
void	 proc_event_update(struct chan *);
void	 proc_event_del(struct chan *);
void	 proc_trim_init(void);
void	 proc_trim_soon(void);
void	 proc_trim_now(void);
int	 proc_compose(struct chan *, uint32_t, int, const void *, size_t);
void	 proc_protocol_error(struct chan *, struct imsg *, const char *);
__dead void proc_chan_closed(struct chan *);
void	 proc_chan_ended(struct chan *);
void	 proc_drop(const struct msg_init *, const char *);
int	 proc_take_confend(struct chan *, struct imsg *, uint32_t, uint32_t,
	    struct msg_confend *);
int	 proc_take_init(struct chan *, struct imsg *, int, struct msg_init *);
void	 proc_take_peer(struct chan *, struct imsg *, struct chan *, int *,
	    const char *, chan_dispatch_fn);
int	 proc_take_ctl(struct chan *, struct imsg *, struct msg_ctl *);
int	 ctl_name_match(const char *, const char *, const char *);
struct servconf **proc_conf_index(struct chan *, struct imsg *,
	    const struct conf *, struct conf *, const struct msg_confend *);
pid_t	 proc_start(int, enum role, int *);
const char *proc_rolename(enum role);

/* common/config.c */
int	 conf_rlimit_resource(int);
const char *conf_rlimit_name(int);
int	 conf_rlimit_index(const char *);
const char *conf_builtin_name(enum builtin);
const char *conf_cap_name(int);
int	 conf_cap_lookup(const char *);
enum builtin conf_builtin_lookup(const char *);
struct conf *conf_new(void);
void	 conf_free(struct conf *);
void	 servconf_setstr(char **, const char *);
void	 servconf_addarg(struct servconf *, const char *);
void	 servconf_clearargs(struct servconf *);
void	 servconf_setgroups(struct servconf *, const gid_t *, int);
struct servconf *servconf_new(void);
struct servconf *servconf_copy(const struct servconf *);
void	 servconf_free(struct servconf *);
int	 servconf_sockcmp(const struct servconf *, const struct servconf *);
void	 tlsdata_free(struct tlsdata *);
struct tlsdata *tlsdata_dup(const struct tlsdata *);
int	 conf_has_tls(const struct conf *);
void	 servconf_pack(const struct servconf *, struct ibuf *, enum role);
struct servconf *servconf_unpack(const struct imsg *, enum role);

/* common/acl.c */
struct acl *acl_compile(const struct acl_rule *, size_t);
void	 acl_free(struct acl *);
int	 acl_rule_valid(const struct acl_rule *);
int	 acl_rule_format(const struct acl_rule *, char *, size_t);
int	 acl_check_addr(const struct acl *, const struct sockaddr *,
	    socklen_t);
int	 acl_check_cred(const struct acl *, uid_t, gid_t);
int	 acl_check_fd(const struct acl *, int, int, char *, size_t);
void	 acl_peer_name(const struct sockaddr *, socklen_t, char *, size_t);
int	 acl_take(struct conf *, const struct imsg *);

/* common/sanitize.c, only in a sanitizer build (make SANITIZE=1) */
#ifdef INETD_SANITIZE
void	 sanitize_role(const char *);
void	 sanitize_leakcheck(int);
#else
#define sanitize_role(role)	do { } while (0)
#define sanitize_leakcheck(on)	do { } while (0)
#endif

/* common/pledge.c */
int	 pledge_parse(const char *, uint64_t *, char *, size_t);
int	 pledge_filter_build(struct pledge_filter *, uint64_t, char *, size_t);
void	 pledge_filter_free(struct pledge_filter *);
int	 pledge_filter_apply(const struct pledge_filter *, const char *);
int	 pledge_baseline(char *, size_t);
int	 pledge_listener(char *, size_t);
int	 pledge_filter_libseccomp(struct pledge_filter *, uint64_t, char *,
	    size_t);

/* common/filtertree.c */
struct seccomp_data;
int	 filter_run(const struct sock_filter *, size_t,
	    const struct seccomp_data *, uint32_t *);
int	 filter_compact(struct pledge_filter *);

/* common/unveil.c */
int	 unveil_parse(const char *, struct unveil_rule *, char *, size_t);
size_t	 unveil_implied(uint64_t, struct unveil_rule *, size_t);
void	 unveil_clear(struct unveil_rule *, size_t);
int	 unveil_build(const struct unveil_rule *, size_t, const char *,
	    const char *, int *, int *, char *, size_t);
int	 unveil_service(const struct servconf *, int *, int *, char *,
	    size_t);
int	 unveil_cmp(const struct servconf *, const struct servconf *);
struct servconf **unveil_sorted(const struct conf *, size_t *);
size_t	 unveil_count(const struct conf *);
int	 unveil_apply(int);
int	 unveil_landlock_abi(void);
int	 unveil_deny_all(void);

/* parent/parse.c */
struct conf *conf_load(const char *);
int	 conf_loopback(const struct servconf *);
void	 conf_set_defmax(int);

/* parent/printconf.c */
void	 printconf(const struct conf *, int);

/* tls/tlsproc.c */
__dead void tls_main(void);

/* tls/keys.c */
__dead void keys_main(void);

/* tls/settings.c: what the parent hands each connection's engine */
int	 tls_settings_fd(const struct servconf *, uid_t, gid_t);
int	 tls_settings_check_fd(int, int *);
int	 tls_writeall(int, const void *, size_t);

/* parent/tlsfiles.c */
int	 tlsfiles_exefd(void);
void	 tlsfiles_done(void);
int	 tlsfiles_check(const struct servconf *, struct tlsdata *, char *,
	    size_t, char *, size_t, char *, size_t);

/* parent/names.c: users and groups, looked up in a child */
#define NAMES_MAX	CONF_MAXNAME
struct names_pw {
	uid_t		 np_uid;
	gid_t		 np_gid;
	char		 np_name[NAMES_MAX];
};
int	 names_getpwnam(const char *, struct names_pw *);
int	 names_getpwuid(uid_t, struct names_pw *);
int	 names_getgrnam(const char *, gid_t *);
int	 names_getgrgid(gid_t);
int	 names_grouplist(const char *, gid_t, gid_t *, int *);
const char *names_error(void);
void	 names_done(void);
void	 names_setexe(int);
__dead void names_main(void);

/* parent/safepath.c */
int	 safepath_dirs(const char *, char *, size_t);

/* parent/notify.c */
void	 notify_init(void);
void	 notify_ready(uint32_t, unsigned int);
void	 notify_ready_failed(uint32_t);
void	 notify_reloading(void);
void	 notify_stopping(void);

/* parent/bind.c */
int	 bind_service(struct servconf *);
int	 bind_adjust(struct servconf *);
void	 bind_unlink(struct servconf *);

/* listener/listener.c */
__dead void listener_main(void);
struct servconf *listener_mux_find(const char *);
void	 listener_mux_list(void (*)(const char *, void *), void *);
void	 listener_mux_spawn(struct servconf *, int, uint32_t);
int	 listener_mux_source(struct servconf *, int, uint32_t *);
int	 listener_mux_allowed(struct servconf *, int);

/* listener/proxy.c */
void	 proxy_accept(struct servconf *, int, const struct sockaddr_storage *,
	    socklen_t);
void	 proxy_retire(struct servconf *, struct servconf *);
void	 listener_proxied(struct servconf *, int, const struct msg_proxy *);
void	 listener_refused(struct servconf *, const char *, const char *);
void	 listener_pending(struct servconf *, int);

/* listener/tcpmux.c */
void	 tcpmux_accept(struct servconf *, int);

/* listener/listener.c: access lists */
int	 listener_acl_dgram(struct servconf *, const struct sockaddr_storage *,
	    socklen_t);

/* listener/source.c: per-source limits */
#define SOURCE_BUCKETS		1024
#define SOURCE_WAYS		16	/* so, 16384 sources, 32 bytes each */
enum source_verdict {
	SOURCE_OK = 0,
	SOURCE_MANY,		/* per-source= running already */
	SOURCE_RATE,		/* per-source-rate= */
	SOURCE_FULL		/* its bucket holds running sources only */
};
void	 source_conf(const struct conf *);
enum source_verdict source_take(const struct servconf *, uint32_t,
	    const struct sockaddr *, socklen_t, uint32_t *);
void	 source_release(uint32_t);
const char *source_why(enum source_verdict);

/* listener/builtin.c */
void	 builtin_stream(struct servconf *, int, uint32_t);
void	 builtin_dgram(struct servconf *, int);
void	 builtin_conf(const struct conf *);

/* listener/confine.c */
int	 confine_listener(char *, size_t);

/* spawner/spawner.c */
__dead void spawner_main(void);

/* spawner/kmsg.c */
void	 kmsg_open(int (*)(pid_t));
void	 kmsg_killed(const char *, pid_t);
int	 kmsg_call(pid_t, char *, size_t);

/* spawner/caps.c */
int	 caps_clear(void);
int	 caps_bound(uint64_t);
int	 caps_limit(uint64_t, int, int);
int	 caps_grant(uint64_t, int);

/* spawner/child.c */
__dead void child_exec(const struct servconf *, const struct sservice *,
	    const struct rlimit *, int, struct child_status *, char **, int);
const char *child_step_name(int);
void	 child_signals(void);
char	**child_environ(int, const struct servconf *,
	    const struct msg_proxy *);
void	 child_environ_free(char **);
int	 child_addr(const struct sockaddr_storage *, char *, size_t, char *,
	    size_t);

#endif /* INETD_H */
