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
 * Only in the build of "make coverage" (COVERAGE=1), never in inetd
 * itself, and not instrumented.
 *
 * gcov's own run-time writes its counts at exit by opening a file for
 * each object in the build tree: a role in its empty chroot, under a
 * filter without open, cannot.  So the objects are built with
 * -fprofile-info-section, which leaves the writing to us: every process
 * opens one file in INETD_COVERAGE_DIR at its start, while it still
 * may, and at exit writes its counts there in one write(2), which every
 * filter allows.  scripts/coverage.sh turns these files back into .gcda
 * files and adds them up.  Filters, chroots and privileges are those of
 * the normal build; a process gains one descriptor above
 * INETD_PEERFD, and nothing is written by one that ends in _exit(2) or
 * by a signal, as with gcov's own run-time, but for the listener and
 * the spawner ended by SIGTERM.  A process forked without
 * exec that exits (daemon(3)'s child) writes counts that include its
 * parent's up to the fork: line coverage is the same, counts add up.
 *
 * A record is "gcda LENGTH NAME\n" and LENGTH bytes of a .gcda file.
 */

#ifdef INETD_COVERAGE

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <gcov.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

struct coverage_buf {
	char	*cb_data;
	size_t	 cb_len;
	size_t	 cb_size;
	int	 cb_failed;
};

extern const struct gcov_info *const __start_gcov_info[];
extern const struct gcov_info *const __stop_gcov_info[];

static int	 coverage_fd = -1;
static char	 coverage_name[PATH_MAX];

static void
coverage_add(struct coverage_buf *b, const void *p, size_t n)
{
	char	*d;
	size_t	 sz;

	if (b->cb_failed)
		return;
	if (b->cb_len + n > b->cb_size) {
		sz = b->cb_size ? b->cb_size : 65536;
		while (sz < b->cb_len + n)
			sz *= 2;
		if ((d = realloc(b->cb_data, sz)) == NULL) {
			b->cb_failed = 1;
			return;
		}
		b->cb_data = d;
		b->cb_size = sz;
	}
	memcpy(b->cb_data + b->cb_len, p, n);
	b->cb_len += n;
}

static void
coverage_filename(const char *name, void *arg)
{
	(void)arg;
	strlcpy(coverage_name, name ? name : "", sizeof(coverage_name));
}

static void
coverage_chunk(const void *p, unsigned n, void *arg)
{
	coverage_add(arg, p, n);
}

static void *
coverage_alloc(unsigned n, void *arg)
{
	(void)arg;
	return malloc(n);
}

static void
coverage_dump(void)
{
	const struct gcov_info *const	*gi;
	struct coverage_buf		 all, one;
	char				 head[PATH_MAX + 64];
	size_t				 off;
	ssize_t				 n;
	int				 saved = errno;

	if (coverage_fd == -1)
		return;
	memset(&all, 0, sizeof(all));
	for (gi = __start_gcov_info; gi < __stop_gcov_info; gi++) {
		memset(&one, 0, sizeof(one));
		__gcov_info_to_gcda(*gi, coverage_filename, coverage_chunk,
		    coverage_alloc, &one);
		n = snprintf(head, sizeof(head), "gcda %zu %s\n", one.cb_len,
		    coverage_name);
		if (!one.cb_failed && n > 0 && (size_t)n < sizeof(head)) {
			coverage_add(&all, head, n);
			coverage_add(&all, one.cb_data, one.cb_len);
		}
		free(one.cb_data);
	}
	for (off = 0; !all.cb_failed && off < all.cb_len; off += n) {
		if ((n = write(coverage_fd, all.cb_data + off,
		    all.cb_len - off)) == -1 && errno == EINTR)
			n = 0;
		else if (n <= 0)
			break;
	}
	free(all.cb_data);
	close(coverage_fd);
	coverage_fd = -1;
	errno = saved;
}

/*
 * The parent ends the listener and the spawner with SIGTERM when it
 * restarts them: their counts are written first, and the signal, back
 * to its default, ends them as it would have.
 */
static void
coverage_sigterm(int sig)
{
	coverage_dump();
	raise(sig);
}

/*
 * At the start of every process of inetd, before it gives anything up;
 * argv as main has it, where proc_start puts "-P role".
 */
void
coverage_open(int argc, char *argv[])
{
	struct sigaction	 sa;
	char			 path[PATH_MAX];
	int			 fd;

	if (snprintf(path, sizeof(path), "%s/inetd.XXXXXX",
	    INETD_COVERAGE_DIR) >= (int)sizeof(path))
		return;
	if ((fd = mkostemp(path, O_APPEND | O_CLOEXEC)) == -1)
		return;		/* no directory: this run is not measured */
	/* Clear of the descriptors the roles expect to find free. */
	if (fd <= INETD_PEERFD) {
		coverage_fd = fcntl(fd, F_DUPFD_CLOEXEC, INETD_PEERFD + 1);
		close(fd);
	} else
		coverage_fd = fd;
	if (coverage_fd == -1)
		return;
	atexit(coverage_dump);
	if (argc == 3 && strcmp(argv[1], "-P") == 0 &&
	    (strcmp(argv[2], "listener") == 0 ||
	    strcmp(argv[2], "spawner") == 0)) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = coverage_sigterm;
		sa.sa_flags = SA_RESETHAND;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
	}
}

#endif /* INETD_COVERAGE */
