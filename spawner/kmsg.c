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
 * Which system call killed a service: the kernel's audit record of the
 * kill, read by the spawner.
 *
 * Without an audit daemon the kernel prints the record of a seccomp
 * kill (type=1326) to its log, from a kernel thread and so a moment
 * after the kill.  The spawner, root, opens /dev/kmsg at start and seeks
 * to its end; when a child dies of SIGSYS it reads what came since.  A
 * record that has not come yet is waited for with the descriptor in the
 * event loop, a second at most; one of a child not reaped yet is kept
 * for its reaping.  Reading never blocks and takes a few records per
 * call.  Of a record only the pid, the signal, the architecture and the
 * call number are read, and nothing of it reaches the log but the name
 * libseccomp gives that number, or the number.
 *
 * With an audit daemon, without /dev/kmsg, or when the kernel dropped
 * the record (it limits their rate), the line says that the system call
 * is unknown and points at the audit log.
 */

#include <sys/types.h>
#include <sys/time.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inetd.h"

#define KMSG_BATCH	16	/* records read per call */
#define KMSG_KEPT	16	/* records of children not reaped yet */
#define KMSG_WAITING	32	/* kills waiting for their record */
#define KMSG_WAITMS	1000	/* how long one waits */
#define KMSG_TICKMS	100
#define KMSG_TYPE	"audit: type=1326 "	/* AUDIT_SECCOMP */
#define X32_BIT		0x40000000

struct kmsg_rec {
	pid_t		 kr_pid;		/* 0: free */
	uint32_t	 kr_arch;		/* an AUDIT_ARCH_* value */
	int		 kr_nr;
};

struct kmsg_wait {
	pid_t		 kw_pid;		/* 0: free */
	struct timespec	 kw_since;
	char		 kw_name[CONF_MAXNAME + 16];
};

/*
 * In .bss, not .data: an initialized field would put the whole 10 kB
 * in the binary's data pages, mapped by every process of inetd.  What
 * kmsg_open sets comes first, so that it touches one page, not two.
 */
static struct {
	int		 k_open;		/* 1: k_fd reads the log */
	int		 k_fd;
	int		 (*k_ours)(pid_t);
	struct event	 k_ev;
	struct event	 k_tick;
	int		 k_nwait;
	size_t		 k_next;
	struct kmsg_rec	 k_kept[KMSG_KEPT];
	struct kmsg_wait k_wait[KMSG_WAITING];
} km;

static int	 kmsg_parse(char *, struct kmsg_rec *);
static void	 kmsg_read(void);
static void	 kmsg_record(const struct kmsg_rec *);
static void	 kmsg_log(const char *, pid_t, const struct kmsg_rec *);
static void	 kmsg_watch(void);
static void	 kmsg_expire(void);
static void	 kmsg_event(int, short, void *);

/*
 * At start, as root: the kernel log from its end.  ours says whether a
 * pid is a child of the spawner's not reaped yet.
 */
void
kmsg_open(int (*ours)(pid_t))
{
	km.k_ours = ours;
	if ((km.k_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK |
	    O_CLOEXEC)) == -1) {
		log_debug("/dev/kmsg: %s; confinement kills will not name "
		    "their system call", strerror(errno));
		return;
	}
	if (lseek(km.k_fd, 0, SEEK_END) == -1) {
		log_debug("/dev/kmsg: %s", strerror(errno));
		close(km.k_fd);
		return;
	}
	km.k_open = 1;
	event_set(&km.k_ev, km.k_fd, EV_READ | EV_PERSIST, kmsg_event, NULL);
	evtimer_set(&km.k_tick, kmsg_event, NULL);
}

/*
 * One record, "prio,seq,usec,flags;text\n" and dictionary lines: 1 and
 * r filled if it is the record of a seccomp kill.  The words of the text
 * are split at blanks, which the kernel never leaves in the process's
 * name or path (it writes those in hex then).
 */
static int
kmsg_parse(char *buf, struct kmsg_rec *r)
{
	const char	*errstr;
	char		*text, *word, *val, *end;
	long long	 pid = -1, sig = -1, nr = -1;
	unsigned long	 arch = 0;
	int		 havearch = 0;

	if ((text = strchr(buf, ';')) == NULL)
		return 0;
	text++;
	text[strcspn(text, "\n")] = '\0';
	if (strncmp(text, KMSG_TYPE, strlen(KMSG_TYPE)) != 0)
		return 0;
	text += strlen(KMSG_TYPE);
	while ((word = strsep(&text, " ")) != NULL) {
		if ((val = strchr(word, '=')) == NULL)
			continue;
		*val++ = '\0';
		if (strcmp(word, "pid") == 0 && pid == -1) {
			pid = strtonum(val, 1, INT32_MAX, &errstr);
			if (errstr != NULL)
				return 0;
		} else if (strcmp(word, "sig") == 0 && sig == -1) {
			sig = strtonum(val, 0, 1024, &errstr);
			if (errstr != NULL)
				return 0;
		} else if (strcmp(word, "syscall") == 0 && nr == -1) {
			nr = strtonum(val, 0, INT32_MAX, &errstr);
			if (errstr != NULL)
				return 0;
		} else if (strcmp(word, "arch") == 0 && !havearch) {
			errno = 0;
			arch = strtoul(val, &end, 16);
			if (errno != 0 || end == val || *end != '\0' ||
			    arch > UINT32_MAX)
				return 0;
			havearch = 1;
		}
	}
	if (pid == -1 || sig != SIGSYS || nr == -1 || !havearch)
		return 0;
	r->kr_pid = pid;
	r->kr_arch = arch;
	r->kr_nr = nr;
	return 1;
}

/* What has come, KMSG_BATCH records at most. */
static void
kmsg_read(void)
{
	struct kmsg_rec	 r;
	char		 buf[8192];
	ssize_t		 n;
	int		 i;

	for (i = 0; i < KMSG_BATCH; i++) {
		n = read(km.k_fd, buf, sizeof(buf) - 1);
		if (n == -1 && (errno == EINTR || errno == EPIPE))
			continue;	/* EPIPE: older records lost */
		if (n <= 0)
			break;
		buf[n] = '\0';
		if (kmsg_parse(buf, &r))
			kmsg_record(&r);
	}
}

/* A kill: log the child that waits for it, or keep it for its reaping. */
static void
kmsg_record(const struct kmsg_rec *r)
{
	int	 i;

	for (i = 0; i < KMSG_WAITING; i++) {
		if (km.k_wait[i].kw_pid != r->kr_pid)
			continue;
		kmsg_log(km.k_wait[i].kw_name, r->kr_pid, r);
		km.k_wait[i].kw_pid = 0;
		km.k_nwait--;
		return;
	}
	if (km.k_ours == NULL || !km.k_ours(r->kr_pid))
		return;
	km.k_kept[km.k_next] = *r;
	km.k_next = (km.k_next + 1) % KMSG_KEPT;
}

/* The system call of a record, by name if libseccomp knows it. */
static void
kmsg_callname(const struct kmsg_rec *r, char *buf, size_t len)
{
	const char	*arch = "";
	char		*call;
	uint32_t	 token = r->kr_arch;
	int		 nr = r->kr_nr;

	if (token == SCMP_ARCH_X86_64 && (nr & X32_BIT)) {
		token = SCMP_ARCH_X32;
		arch = "x32 ";
	} else if (token == SCMP_ARCH_X86)
		arch = "i386 ";
	else if (token != seccomp_arch_native())
		arch = "foreign ";
	if ((call = seccomp_syscall_resolve_num_arch(token, nr)) != NULL)
		snprintf(buf, len, "%s%s", arch, call);
	else
		snprintf(buf, len, "%ssystem call %d", arch, nr);
	free(call);
}

static void
kmsg_log(const char *name, pid_t pid, const struct kmsg_rec *r)
{
	char	 call[64];

	if (r == NULL) {
		log_warnx("%s: pid %d killed: confinement violation: system "
		    "call unknown; see the audit log", name, pid);
		return;
	}
	kmsg_callname(r, call, sizeof(call));
	log_warnx("%s: pid %d killed: confinement violation: %s "
	    "(system call outside its pledge)", name, pid, call);
}

/*
 * For a child's record, before kmsg_killed(): the call that killed it,
 * if the kernel's record is in already.  -1: not (yet) known.
 */
int
kmsg_call(pid_t pid, char *buf, size_t len)
{
	int	 i;

	if (km.k_open)
		kmsg_read();
	for (i = 0; i < KMSG_KEPT; i++)
		if (km.k_kept[i].kr_pid == pid) {
			kmsg_callname(&km.k_kept[i], buf, len);
			return 0;
		}
	return -1;
}

/*
 * A child reaped after SIGSYS: its line, now if its record is there,
 * else once it comes or the wait is over.
 */
void
kmsg_killed(const char *name, pid_t pid)
{
	struct kmsg_wait	*w = NULL;
	int			 i;

	for (i = 0; i < KMSG_KEPT; i++) {
		if (km.k_kept[i].kr_pid != pid)
			continue;
		kmsg_log(name, pid, &km.k_kept[i]);
		km.k_kept[i].kr_pid = 0;
		return;
	}
	if (!km.k_open) {
		kmsg_log(name, pid, NULL);
		return;
	}
	for (i = 0; i < KMSG_WAITING && w == NULL; i++)
		if (km.k_wait[i].kw_pid == 0)
			w = &km.k_wait[i];
	if (w == NULL) {
		kmsg_log(name, pid, NULL);
		return;
	}
	w->kw_pid = pid;
	strlcpy(w->kw_name, name, sizeof(w->kw_name));
	if (clock_gettime(CLOCK_MONOTONIC, &w->kw_since) == -1)
		fatal("clock_gettime");
	km.k_nwait++;
	kmsg_read();
	if (km.k_nwait > 0)
		kmsg_watch();
}

/* While kills wait: the log's descriptor in the loop, and a tick. */
static void
kmsg_watch(void)
{
	struct timeval	 tv;

	if (!event_pending(&km.k_ev, EV_READ, NULL) &&
	    event_add(&km.k_ev, NULL) == -1)
		fatal("event_add");
	if (!evtimer_pending(&km.k_tick, NULL)) {
		timerclear(&tv);
		tv.tv_usec = KMSG_TICKMS * 1000;
		if (evtimer_add(&km.k_tick, &tv) == -1)
			fatal("evtimer_add");
	}
}

/* Give up on the kills that waited long enough. */
static void
kmsg_expire(void)
{
	struct timespec	 now;
	long long	 ms;
	int		 i;

	if (clock_gettime(CLOCK_MONOTONIC, &now) == -1)
		fatal("clock_gettime");
	for (i = 0; i < KMSG_WAITING; i++) {
		if (km.k_wait[i].kw_pid == 0)
			continue;
		ms = (now.tv_sec - km.k_wait[i].kw_since.tv_sec) * 1000LL +
		    (now.tv_nsec - km.k_wait[i].kw_since.tv_nsec) / 1000000;
		if (ms < KMSG_WAITMS)
			continue;
		kmsg_log(km.k_wait[i].kw_name, km.k_wait[i].kw_pid, NULL);
		km.k_wait[i].kw_pid = 0;
		km.k_nwait--;
	}
}

/* The log is readable, or a tick: read, and stop once no kill waits. */
static void
kmsg_event(int fd, short ev, void *arg)
{
	(void)fd;
	(void)arg;
	kmsg_read();
	if (ev & EV_TIMEOUT)
		kmsg_expire();
	if (km.k_nwait > 0) {
		kmsg_watch();
		return;
	}
	event_del(&km.k_ev);
	evtimer_del(&km.k_tick);
}
