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
 * The lookup process for the targets that load a configuration
 * (linked with --wrap=proc_start): a fork running names_main(), not an
 * execution of the binary, which is the harness here.  Every other role
 * is started as inetd starts it.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <unistd.h>

#include "inetd.h"

pid_t	__real_proc_start(int, enum role, int *);
pid_t	__wrap_proc_start(int, enum role, int *);

pid_t
__wrap_proc_start(int exefd, enum role r, int *chanfd)
{
	pid_t	 pid;
	int	 sv[2];

	if (r != ROLE_LOOKUP)
		return __real_proc_start(exefd, r, chanfd);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(sv[1], INETD_CHANFD) == -1)
			_exit(1);
		names_main();
	}
	close(sv[1]);
	*chanfd = sv[0];
	return pid;
}
