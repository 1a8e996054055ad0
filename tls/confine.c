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
 * The system call filter of the two TLS processes, the keys process and
 * each connection's engine: what OpenSSL needs to compute and a relay
 * needs to move bytes, memory never executable, and nothing else (no
 * open, no socket, no exec, no kill, no ptrace).  Each adds what its
 * own loop needs.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include <grp.h>
#include <seccomp.h>
#include <unistd.h>

#include "inetd.h"
#include "tlskey.h"

int
tls_filter(const int *extra, size_t nextra)
{
	static const int	 allowed[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(close),
		SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap),
		SCMP_SYS(madvise), SCMP_SYS(getrandom), SCMP_SYS(getpid),
		SCMP_SYS(futex), SCMP_SYS(clock_gettime),
		SCMP_SYS(gettimeofday), SCMP_SYS(rt_sigreturn),
		SCMP_SYS(rt_sigprocmask), SCMP_SYS(exit),
		SCMP_SYS(exit_group)
	};
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rv = -1;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -1;
	for (i = 0; i < nitems(allowed); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) < 0)
			goto done;
	for (i = 0; i < nextra; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, extra[i], 0) < 0)
			goto done;
	/* Memory, never executable. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0)
		goto done;
	rv = seccomp_load(ctx) < 0 ? -1 : 0;
 done:
	seccomp_release(ctx);
	return rv;
}

/*
 * An engine's confinement, before the first byte from its client: the
 * empty chroot, the unprivileged user, no new privileges, not dumpable,
 * an empty Landlock domain and the relay's filter.  Here, not in the
 * engine, so that regress/tlsconfinetest runs the very same sequence.
 */
int
tls_confine_engine(uid_t uid, gid_t gid)
{
	static const int	 relay[] = {
		SCMP_SYS(recvfrom), SCMP_SYS(sendto), SCMP_SYS(poll),
		SCMP_SYS(ppoll), SCMP_SYS(shutdown), SCMP_SYS(fcntl)
	};

	if (uid == 0 || gid == 0 ||
	    chroot(INETD_CHROOT) == -1 || chdir("/") == -1 ||
	    setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    unveil_deny_all() == -1)
		return -1;
	return tls_filter(relay, nitems(relay));
}
