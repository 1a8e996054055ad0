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
 * The system call filters of the TLS side: the keys process, the TLS
 * process and each connection's engine.  What OpenSSL needs to compute
 * and a relay needs to move bytes, memory never executable, and nothing
 * else (no open, no socket, no exec, no kill, no ptrace); each adds
 * what its own loop needs.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <grp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <unistd.h>

#include "inetd.h"
#include "tlskey.h"

/* The common rules and extra ones, not loaded yet; NULL on failure. */
static scmp_filter_ctx
tls_filter_ctx(const int *extra, size_t nextra)
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

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return NULL;
	for (i = 0; i < nitems(allowed); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) < 0)
			goto fail;
	for (i = 0; i < nextra; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, extra[i], 0) < 0)
			goto fail;
#ifdef INETD_SANITIZE
	/*
	 * A sanitizer build only (make SANITIZE=1): what its runtime does
	 * to write a report and to take down its signal stack, as in the
	 * listener's (common/pledge.c).  tlsconfinetest checks that a
	 * normal build kills both.
	 */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sigaltstack),
	    0) < 0 || seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, TCGETS)) < 0)
		goto fail;
#endif
	/* Memory, never executable. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0)
		goto fail;
	return ctx;
 fail:
	seccomp_release(ctx);
	return NULL;
}

/* The common rules, the extra ones, and one call allowed on a condition. */
static int
tls_filter_with(const int *extra, size_t nextra, int call,
    const struct scmp_arg_cmp *cond)
{
	scmp_filter_ctx	 ctx;
	int		 rv = -1;

	if ((ctx = tls_filter_ctx(extra, nextra)) == NULL)
		return -1;
	/* Only ever a filter more: prctl for nothing but PR_SET_SECCOMP. */
	if (call == -1 ||
	    (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, call, 1, cond) == 0 &&
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
	    SCMP_A0(SCMP_CMP_EQ, PR_SET_SECCOMP)) == 0))
		rv = seccomp_load(ctx) < 0 ? -1 : 0;
	seccomp_release(ctx);
	return rv;
}

int
tls_filter(const int *extra, size_t nextra)
{
	return tls_filter_with(extra, nextra, -1, NULL);
}

/*
 * The TLS process's confinement, once, before it is handed anything:
 * the empty chroot, the unprivileged user, no new privileges, not
 * dumpable, an empty Landlock domain, and a filter that adds to the
 * common one what it needs to take connections over its channel and
 * fork an engine for each (clone, never into a new namespace).
 */
int
tls_confine_proc(uid_t uid, gid_t gid)
{
	static const int	 proc[] = {
		SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(sendto),
		SCMP_SYS(recvfrom), SCMP_SYS(epoll_wait), SCMP_SYS(epoll_ctl),
		SCMP_SYS(wait4), SCMP_SYS(set_robust_list), SCMP_SYS(dup2),
		SCMP_SYS(fcntl), SCMP_SYS(close_range), SCMP_SYS(pread64),
		SCMP_SYS(setsockopt), SCMP_SYS(poll), SCMP_SYS(shutdown),
		SCMP_SYS(getuid), SCMP_SYS(getgid)
	};
	struct scmp_arg_cmp	 noflags = SCMP_A0(SCMP_CMP_MASKED_EQ,
	    CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
	    CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_THREAD |
	    CLONE_VM, 0);

	if (uid == 0 || gid == 0 ||
	    chroot(INETD_CHROOT) == -1 || chdir("/") == -1 ||
	    setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    unveil_deny_all() == -1)
		return -1;
	return tls_filter_with(proc, nitems(proc), SCMP_SYS(clone), &noflags);
}

/*
 * An engine's own filter, on top of the TLS process's: the relay, and
 * nothing else.  Compiled once, in the TLS process before it is
 * confined; each engine only loads it.
 */
int
tls_engine_filter(struct sock_fprog *prog)
{
	static const int	 relay[] = {
		SCMP_SYS(recvfrom), SCMP_SYS(sendto), SCMP_SYS(poll),
		SCMP_SYS(shutdown), SCMP_SYS(fcntl), SCMP_SYS(setsockopt)
	};
	scmp_filter_ctx	 ctx;
	struct stat	 st;
	int		 fd = -1, rv = -1;

	if ((ctx = tls_filter_ctx(relay, nitems(relay))) == NULL)
		return -1;
	if ((fd = memfd_create("tls-filter", MFD_CLOEXEC)) == -1 ||
	    seccomp_export_bpf(ctx, fd) < 0 || fstat(fd, &st) == -1 ||
	    st.st_size == 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
	    st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS ||
	    (prog->filter = malloc(st.st_size)) == NULL)
		goto done;
	if (pread(fd, prog->filter, st.st_size, 0) != st.st_size) {
		free(prog->filter);
		goto done;
	}
	prog->len = st.st_size / sizeof(struct sock_filter);
	rv = 0;
 done:
	if (fd != -1)
		close(fd);
	seccomp_release(ctx);
	return rv;
}

/* Load it, in the engine: a filter only ever adds restrictions. */
int
tls_engine_filter_load(const struct sock_fprog *prog)
{
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog);
}

/*
 * An engine's whole confinement, as the TLS process and then the
 * engine apply it; regress/tlsconfinetest runs this very sequence.
 */
int
tls_confine_engine(uid_t uid, gid_t gid)
{
	struct sock_fprog	 prog;

	if (tls_engine_filter(&prog) == -1 ||
	    tls_confine_proc(uid, gid) == -1)
		return -1;
	return tls_engine_filter_load(&prog);
}
