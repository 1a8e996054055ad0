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
 * The listener's own confinement, once it runs as _inetd in its empty
 * chroot: no filesystem, no new sockets, no processes.  A file of its
 * own so that regress/sandboxtest runs the very sequence the listener
 * does.  Nothing here logs: the reason comes back in err.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inetd.h"

/*
 * Landlock first (the filter would forbid its calls), then the filter.
 * On failure errno is that of the step that failed.
 */
int
confine_listener(char *err, size_t errlen)
{
	struct rlimit	 rl;
	const char	*step;
	int		 saved;

	step = "no-new-privileges";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		goto fail;
	step = "landlock";
	if (unveil_deny_all() == -1)
		goto fail;
	step = "RLIMIT_NPROC";
	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_NPROC, &rl) == -1)
		goto fail;
	return pledge_listener(err, errlen);
 fail:
	saved = errno;
	snprintf(err, errlen, "%s: %s", step, strerror(saved));
	errno = saved;
	return -1;
}
