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
 * Logging.  The parent writes to syslog or, with -d, to stderr.  The
 * children cannot reach syslog from their chroot: they send each line to
 * the parent over their channel.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <vis.h>

#include "inetd.h"

/* A message before its role and strerror() are added to the line. */
#define LOG_MAXMSG	(LOG_MAXLINE - 224)

static int		 log_debugmode;
static int		 log_verbose;
static struct chan	*log_chan;
static const char	*log_name = "parent";
static char		*log_capbuf;	/* warnings, for inetdctl reload */
static size_t		 log_capsize;

void
log_init(int debug, int facility)
{
	log_debugmode = debug;
	if (!debug)
		openlog("inetd", LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return log_verbose;
}

void
log_setchan(struct chan *c)
{
	log_chan = c;
}

/*
 * While a buffer is set, the parent's own warnings and errors are also
 * kept in it, a line each, so that inetdctl reload can say why a file
 * was refused.  What does not fit is left out; NULL stops.
 */
void
log_capture(char *buf, size_t size)
{
	log_capbuf = buf;
	log_capsize = size;
	if (buf != NULL && size > 0)
		buf[0] = '\0';
}

void
log_setname(const char *name)
{
	log_name = name;
}

/*
 * Write one finished line at a priority: its own, or one a child sent.
 * Every control character is escaped, newline, carriage return,
 * backspace and bell included, and a backslash is doubled, so no line
 * can pose as another or reach a terminal as anything but text.
 */
void
log_emit(int pri, const char *line)
{
	char	 vline[4 * LOG_MAXLINE + 1];

	strnvis(vline, line, sizeof(vline),
	    VIS_CSTYLE | VIS_NL | VIS_TAB | VIS_OCTAL);
	if (log_debugmode) {
		fprintf(stderr, "%s\n", vline);
		fflush(stderr);
	} else
		syslog(pri, "%s", vline);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char		 line[LOG_MAXLINE];
	char		 buf[sizeof(int32_t) + LOG_MAXLINE];
	int32_t		 p = pri;
	int		 saved_errno = errno;

	if (pri == LOG_DEBUG && !log_verbose) {
		errno = saved_errno;
		return;
	}
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_chan != NULL) {
		/* A child: hand the line to the parent, which logs it. */
		memcpy(buf, &p, sizeof(p));
		memcpy(buf + sizeof(p), line, strlen(line) + 1);
		if (chan_send_sync(log_chan, IMSG_LOG, -1, buf,
		    sizeof(p) + strlen(line) + 1) == -1) {
			/* The parent is gone: stderr (a role has /dev/null). */
			fprintf(stderr, "%s\n", line);
		}
	} else {
		log_emit(pri, line);
		if (log_capbuf != NULL && pri <= LOG_WARNING &&
		    strlen(log_capbuf) + strlen(line) + 2 <= log_capsize) {
			strlcat(log_capbuf, line, log_capsize);
			strlcat(log_capbuf, "\n", log_capsize);
		}
	}
	errno = saved_errno;
}

static void
vlog_err(int pri, int code, const char *fmt, va_list ap)
{
	char	 msg[LOG_MAXMSG];
	int	 saved_errno = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (code)
		logit(pri, "%s: %s", msg, strerror(code));
	else
		logit(pri, "%s", msg);
	errno = saved_errno;
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog_err(LOG_ERR, errno, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog_err(LOG_ERR, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

static __dead void
vfatal(int code, const char *fmt, va_list ap)
{
	char	 msg[LOG_MAXMSG];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (code)
		logit(LOG_CRIT, "%s: fatal: %s: %s", log_name, msg,
		    strerror(code));
	else
		logit(LOG_CRIT, "%s: fatal: %s", log_name, msg);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 code = errno;

	va_start(ap, fmt);
	vfatal(code, fmt, ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vfatal(0, fmt, ap);
}

/*
 * A log message from a child, checked: a priority syslog knows and a
 * line that fits, NUL-terminated in line.  -1: the message is bad,
 * -2: its priority.
 */
int
log_unpack(const struct imsg *im, int32_t *pri, char *line, size_t size)
{
	size_t	 len;

	if (im->datalen < sizeof(*pri) + 1 ||
	    im->datalen > sizeof(*pri) + size)
		return -1;
	memcpy(pri, im->data, sizeof(*pri));
	if (*pri < LOG_EMERG || *pri > LOG_DEBUG)
		return -2;
	len = im->datalen - sizeof(*pri);
	memcpy(line, im->data + sizeof(*pri), len);
	line[len - 1] = '\0';
	return 0;
}
