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
 * Only in a sanitizer build (make SANITIZE=1; see regress/README): where
 * AddressSanitizer and UndefinedBehaviorSanitizer reports of the roles
 * go, and which processes check for leaks at exit.
 *
 * The runtime opens its report file (log_path, with the pid added) only
 * when it has something to say, and again in every forked child.  A
 * role by then is in an empty chroot under a filter that allows no
 * open, and its standard error is /dev/null: the report would be lost
 * and the process would die all the same.  So each role opens its file
 * at once, as root and before any confinement, puts it on descriptor 2
 * and hands that to the runtime, which never reopens descriptor 2: the
 * TLS engines and the spawner's children, forked, write there too.
 * The file also gets what the role writes to standard error, which is
 * little: its last words when its channel to the parent closes.
 *
 * Leaks are checked at exit only by inetd -n, which parses the file and
 * exits, unconfined.  The daemon's processes end by a signal or fatal(),
 * with their tables still in use, and LeakSanitizer stops the world with
 * ptrace, which the baseline denies and the allow-lists kill.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sanitizer/common_interface_defs.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

/* Above every descriptor a role puts at a fixed number. */
#define SANITIZE_HIGHFD		200

int	__lsan_is_turned_off(void);

static int	sanitize_leaks;

/* Read by LeakSanitizer at exit. */
int
__lsan_is_turned_off(void)
{
	return !sanitize_leaks;
}

void
sanitize_leakcheck(int on)
{
	sanitize_leaks = on;
}

/* Whether standard error is /dev/null, as proc_start leaves it. */
static int
sanitize_stderr_null(void)
{
	struct stat	 sb, nb;

	return fstat(STDERR_FILENO, &sb) == 0 && S_ISCHR(sb.st_mode) &&
	    stat("/dev/null", &nb) == 0 && sb.st_rdev == nb.st_rdev;
}

/*
 * A role, first thing: its report file, "log_path.role.pid", on
 * descriptor 2.  Without a log_path in ASAN_OPTIONS reports stay on
 * standard error.  A role started by a test harness (regress/imsgtest)
 * with standard error of its own keeps it, for what the harness reads
 * there: its report file then gets a high descriptor, out of the way
 * of the fixed ones, and a forked child of such a role would reopen
 * log_path (and fail in a chroot).
 */
void
sanitize_role(const char *role)
{
	char		 path[PATH_MAX];
	const char	*opts, *p;
	size_t		 len;
	int		 fd, high;

	if ((opts = getenv("ASAN_OPTIONS")) == NULL ||
	    (p = strstr(opts, "log_path=")) == NULL)
		return;
	p += strlen("log_path=");
	len = strcspn(p, ":, ");
	if (len == 0 || *p != '/' ||
	    (size_t)snprintf(path, sizeof(path), "%.*s.%s.%d", (int)len, p,
	    role, (int)getpid()) >= sizeof(path))
		return;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) == -1)
		return;
	if (sanitize_stderr_null()) {
		if (dup2(fd, STDERR_FILENO) == -1) {
			close(fd);
			return;
		}
		close(fd);
		fd = STDERR_FILENO;
	} else {
		high = fcntl(fd, F_DUPFD_CLOEXEC, SANITIZE_HIGHFD);
		close(fd);
		if ((fd = high) == -1)
			return;
	}
	__sanitizer_set_report_fd((void *)(uintptr_t)fd);
	/*
	 * The runtime reads /proc/self/maps for the modules of a stack
	 * trace, once, when it first needs them: now, while it can.
	 */
	__sanitizer_symbolize_pc(__builtin_return_address(0), "%p %F %L",
	    path, sizeof(path));
}
