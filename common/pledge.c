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
 * pledge for Linux: promises compiled into seccomp filters.
 *
 * Promises ("stdio rpath inet") are compiled by libseccomp into a BPF
 * program once, when the configuration loads, and made shorter by
 * common/filtertree.c (the kernel compiles it again in every child); the
 * forked child only copies it, patches two placeholders and loads it
 * with seccomp(2), which is async-signal-safe.  The same table gives the
 * baseline, which the parent and the spawner load into themselves, and
 * the listener's allow-list, which listener/confine.c loads.
 *
 * Decisions, and what they leave open:
 *
 * - Baseline.  Every process of inetd and every service carries a
 *   deny-list filter (default allow) of system calls no network service
 *   needs: module loading, kexec, reboot, mounts, swap, ptrace and
 *   process_vm_*, bpf, perf events, keys, userfaultfd, io_uring, clock
 *   setting, iopl/ioperm, quotas, file handles, kcmp, acct, syslog,
 *   vhangup, uselib, modify_ldt, pidfd_getfd, NUMA page moves, new
 *   namespaces (unshare, setns, clone with a CLONE_NEW* flag), and
 *   personality() other than PER_LINUX or a query.  A baseline violation
 *   fails with EPERM: the parent and the spawner carry the baseline too,
 *   and a daemon must not be killed by a call it can survive; EPERM is
 *   also what an unprivileged caller gets for most of these.  clone3
 *   fails with ENOSYS, so that libc falls back to clone, whose flags the
 *   filter can see.
 *
 * - Pledge.  A pledged filter is an allow-list.  A call outside it kills
 *   the process (SECCOMP_RET_KILL_PROCESS, seen as SIGSYS); with the
 *   "error" promise it fails with EPERM instead.  The map from promises
 *   to calls is the one table pledge_rules[] below.  A few calls that
 *   libc probes and that the filter cannot inspect (clone3, openat2,
 *   faccessat2, epoll_pwait2, ...) fail with ENOSYS, so libc falls back
 *   to the older call.  A pledged filter (and the listener's) knows
 *   only the native architecture: an i386 (int 0x80) or x32 call kills
 *   the process.  The baseline covers i386 too, so that 32-bit programs
 *   still run as services; x32 calls are killed there as well.
 *
 * - Start-up.  The filter is loaded before execve, so every pledged
 *   filter also allows what execve and the dynamic loader need (the
 *   PLEDGE_STARTUP rows of the table): execve of the one path pointer
 *   the child passes to pledge_filter_apply (any path if it passes
 *   NULL), open/openat with flags exactly O_RDONLY|O_CLOEXEC (as ld.so
 *   and libc's "re" fopen open files), access, mmap with PROT_EXEC of a
 *   file (never anonymous, never writable as well), mprotect without
 *   PROT_EXEC, fstat by descriptor.  What remains after start-up: a
 *   compromised service may read any file with O_RDONLY|O_CLOEXEC and
 *   map any file it can open executable (with "wpath", one it wrote).
 *   Which files those are is for Landlock to say: a pledged service
 *   without "rpath" should be unveiled (an empty unveil list still
 *   gives it the program and its libraries).
 *   The execve pin compares the path pointer only, since seccomp cannot
 *   read the string: the new image cannot read the pinned address from
 *   the filter, but code running in it that guesses it (one kill per
 *   wrong guess; one EPERM under "error") can map a path of its own
 *   there and execve any file Landlock lets it execute, which then runs
 *   under the same filter and domain.  Accepted: the same promises
 *   hold, and an unveil list bounds what can be executed.
 *
 * - /dev/null.  As on OpenBSD every pledge may open /dev/null to read
 *   and write it, and seccomp cannot see the path.  Where the kernel has
 *   Landlock (PLEDGE_LLOPEN, set when the filter is built), every pledge
 *   may open any file with O_RDONLY, O_WRONLY or O_RDWR, never with
 *   O_CREAT, O_TMPFILE, O_DIRECTORY or O_PATH, and the ruleset of every
 *   pledged service says where: without "wpath" only /dev/null and what
 *   its promises imply can be written (unveil_service).  So "rpath" and
 *   "wpath" no longer tell opens apart there; reading was open anyway
 *   (the start-up rows).  Without Landlock the flags decide as before,
 *   and /dev/null needs "rpath" and "wpath".
 *
 * - Arguments the filter cannot see (paths, socket addresses, msghdr
 *   contents) are not checked: "sendfd" and "recvfd" add nothing, since
 *   sendmsg and recvmsg are in "stdio"; "dns" opens any AF_INET socket;
 *   stat of a path is allowed with AT_EMPTY_PATH in "stdio" (glibc's
 *   fstat is fstatat(fd, "", AT_EMPTY_PATH)), which a caller can abuse to
 *   stat a path.  "tmppath" allows O_CREAT|O_EXCL and O_TMPFILE opens and
 *   unlink anywhere; unveil "/tmp rwc" is what confines it to /tmp.
 *
 * - Sending with MSG_FASTOPEN connects a socket that is not connected:
 *   a listening one shut down for reading is one, and a wait service
 *   holds its listening socket.  Only "inet" may send with it.  The
 *   listener passes descriptors over its channels only (INETD_CHANFD,
 *   INETD_PEERFD: recvmsg and sendmsg are pinned to them), and shuts
 *   down only the sending side of a connection.
 *
 * Nothing here logs: errors come back in the caller's buffer or errno.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "inetd.h"

/* Internal rows of the table, never set by a pledge string. */
#define PLEDGE_STARTUP		(1ULL << 62)	/* every pledge */
#define PLEDGE_LISTENER		(1ULL << 61)	/* the listener role */
#define PLEDGE_BASELINE		(1ULL << 60)	/* the baseline deny-list */
#define PLEDGE_LLOPEN		(1ULL << 59)	/* Landlock says where */

/*
 * Placeholders patched in the child by pledge_filter_apply: the
 * process's own pid (kill and tgkill of itself) and the address of the
 * path it passes to execve.  pledge_filter_build checks that they
 * appear only as the constant of a BPF_JEQ.
 */
#define PIN_PID			0x7e5a1d15U
#define PIN_EXEC		0x00007e5ac0deb1a0ULL
#define PIN_EXEC_HI		((uint32_t)(PIN_EXEC >> 32))
#define PIN_EXEC_LO		((uint32_t)PIN_EXEC)

#define NS_CLONE	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |	\
			    CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |\
			    CLONE_NEWNET)
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif
#define O_TMPFILE_BIT	020000000	/* O_TMPFILE less O_DIRECTORY */
#define OPEN_MODE	(O_ACCMODE | O_CREAT | O_TMPFILE_BIT)
#define OPEN_PLAIN	(OPEN_MODE | O_DIRECTORY | O_PATH)

static const struct {
	const char	*pn_name;
	uint64_t	 pn_bit;
} pledge_promises[] = {
	{ "stdio",	PLEDGE_STDIO },
	{ "rpath",	PLEDGE_RPATH },
	{ "wpath",	PLEDGE_WPATH },
	{ "cpath",	PLEDGE_CPATH },
	{ "dpath",	PLEDGE_DPATH },
	{ "tmppath",	PLEDGE_TMPPATH },
	{ "inet",	PLEDGE_INET },
	{ "unix",	PLEDGE_UNIX },
	{ "dns",	PLEDGE_DNS },
	{ "proc",	PLEDGE_PROC },
	{ "exec",	PLEDGE_EXEC },
	{ "id",		PLEDGE_ID },
	{ "getpw",	PLEDGE_GETPW },
	{ "tty",	PLEDGE_TTY },
	{ "flock",	PLEDGE_FLOCK },
	{ "fattr",	PLEDGE_FATTR },
	{ "chown",	PLEDGE_CHOWN },
	{ "sendfd",	PLEDGE_SENDFD },
	{ "recvfd",	PLEDGE_RECVFD },
	{ "prot_exec",	PLEDGE_PROT_EXEC },
	{ "error",	PLEDGE_ERROR },
};

/*
 * One row: the call is allowed (or, with pr_errno, fails with that
 * errno) when the pledge holds one of pr_any, all of pr_all and none of
 * pr_none, and the arguments match every condition.  Rows of one call
 * are alternatives.  PLEDGE_BASELINE rows are the deny-list.
 *
 * The name is an array, not a pointer: a table without pointers needs
 * no relocation at load, so it stays in the binary's read-only pages,
 * which the three processes share, rather than 32 kB copied into each.
 */
struct pledge_rule {
	char			 pr_name[24];
	uint64_t		 pr_any;
	uint64_t		 pr_all;
	uint64_t		 pr_none;
	int			 pr_errno;
	unsigned int		 pr_ncond;
	struct scmp_arg_cmp	 pr_cond[2];
};

#define EQ(n, v)	{ (n), SCMP_CMP_EQ, (v), 0 }
#define MASK(n, m, v)	{ (n), SCMP_CMP_MASKED_EQ, (m), (v) }
#define GT(n, v)	{ (n), SCMP_CMP_GT, (v), 0 }

#define ST		PLEDGE_STARTUP
#define LLOPEN		PLEDGE_LLOPEN
#define LI		PLEDGE_LISTENER
#define BL		PLEDGE_BASELINE
#define STDIO		PLEDGE_STDIO
#define RPATH		PLEDGE_RPATH
#define WPATH		PLEDGE_WPATH
#define CPATH		PLEDGE_CPATH
#define DPATH		PLEDGE_DPATH
#define TMPPATH		PLEDGE_TMPPATH
#define INET		PLEDGE_INET
#define UNIXP		PLEDGE_UNIX
#define DNS		PLEDGE_DNS
#define PROC		PLEDGE_PROC
#define EXECP		PLEDGE_EXEC
#define ID		PLEDGE_ID
#define GETPW		PLEDGE_GETPW
#define TTY		PLEDGE_TTY
#define FLOCK		PLEDGE_FLOCK
#define FATTR		PLEDGE_FATTR
#define CHOWN		PLEDGE_CHOWN
#define PROTX		PLEDGE_PROT_EXEC
#define ANYPATH		(RPATH | WPATH | CPATH)
#define NET		(STDIO | INET | UNIXP | DNS)

/* A row without, with one and with two argument conditions. */
#define R0(name, any)					\
	{ name, any, 0, 0, 0, 0, { { 0 }, { 0 } } }
#define R1(name, any, c)				\
	{ name, any, 0, 0, 0, 1, { c, { 0 } } }
#define R2(name, any, c, d)				\
	{ name, any, 0, 0, 0, 2, { c, d } }
#define RA1(name, all, c)				\
	{ name, 0, all, 0, 0, 1, { c, { 0 } } }
#define E0(name, any, e)				\
	{ name, any, 0, 0, e, 0, { { 0 }, { 0 } } }
#define E1(name, any, e, c)				\
	{ name, any, 0, 0, e, 1, { c, { 0 } } }

static const struct pledge_rule pledge_rules[] = {
	/* What execve, ld.so and libc start-up need: every pledge. */
	R1("execve",		ST, EQ(0, PIN_EXEC)),
	R1("open",		ST,
	    MASK(1, 0xffffffff, O_RDONLY | O_CLOEXEC)),
	R1("openat",		ST,
	    MASK(2, 0xffffffff, O_RDONLY | O_CLOEXEC)),
	R0("access",		ST | ANYPATH | DNS | GETPW),
	R0("faccessat",		ST | ANYPATH | DNS | GETPW),
	R0("arch_prctl",	ST | STDIO),
	R0("set_tid_address",	ST | STDIO),
	R0("set_robust_list",	ST | STDIO),
	R0("rseq",		ST | STDIO),
	R1("mmap",		ST | STDIO | LI, MASK(2, PROT_EXEC, 0)),
	/* Files executable, but never writable as well: W^X. */
	R2("mmap",		ST, MASK(3, MAP_ANONYMOUS, 0),
	    MASK(2, PROT_WRITE | PROT_EXEC, PROT_EXEC)),
	R0("mmap",		PROTX),
	R1("mprotect",		ST | STDIO | LI, MASK(2, PROT_EXEC, 0)),
	R0("mprotect",		PROTX),
	R0("pkey_mprotect",	PROTX),
	R0("munmap",		ST | STDIO | LI),
	R0("brk",		ST | STDIO | LI),
	R0("read",		ST | STDIO | LI),
	R0("pread64",		ST | STDIO),
	R0("close",		ST | STDIO | LI),
	R0("fstat",		ST | STDIO | ANYPATH | GETPW),
	R1("newfstatat",	ST | STDIO,
	    MASK(3, AT_EMPTY_PATH, AT_EMPTY_PATH)),
	R1("statx",		STDIO,
	    MASK(2, AT_EMPTY_PATH, AT_EMPTY_PATH)),
	R1("prlimit64",		ST | STDIO, EQ(2, 0)),
	R0("getrlimit",		ST | STDIO),
	R0("getrandom",		ST | STDIO | LI),
	R0("rt_sigreturn",	ST | STDIO | LI),
	R0("restart_syscall",	ST | STDIO | LI),
	R0("exit",		ST | STDIO | LI),
	R0("exit_group",	ST | STDIO | LI),

	/* Probed by libc, not inspectable: make it fall back. */
	E0("clone3",		ST | BL, ENOSYS),
	E0("openat2",		ST, ENOSYS),
	E0("faccessat2",	ST, ENOSYS),
	E0("epoll_pwait2",	ST, ENOSYS),
	E0("futex_waitv",	ST, ENOSYS),

	/* stdio */
	R0("readv",		STDIO | LI),
	R0("preadv",		STDIO),
	R0("preadv2",		STDIO),
	R0("write",		STDIO | LI),
	R0("writev",		STDIO | LI),
	R0("pwrite64",		STDIO),
	R0("pwritev",		STDIO),
	R0("pwritev2",		STDIO),
	R0("close_range",	STDIO),
	R0("dup",		STDIO),
	R0("dup2",		STDIO),
	R0("dup3",		STDIO),
	R0("lseek",		STDIO),
	R0("fsync",		STDIO),
	R0("fdatasync",		STDIO),
	R0("ftruncate",		STDIO),
	R0("sendfile",		STDIO),
	R0("copy_file_range",	STDIO),
	R0("splice",		STDIO),
	R0("tee",		STDIO),
	R0("getpid",		STDIO | LI),
	R0("getppid",		STDIO),
	R0("gettid",		STDIO | LI),
	R0("getuid",		STDIO),
	R0("geteuid",		STDIO),
	R0("getgid",		STDIO),
	R0("getegid",		STDIO),
	R0("getresuid",		STDIO),
	R0("getresgid",		STDIO),
	R0("getgroups",		STDIO),
	R0("getpgrp",		STDIO),
	R0("getpgid",		STDIO),
	R0("getsid",		STDIO),
	R0("getrusage",		STDIO),
	R0("times",		STDIO),
	R0("capget",		STDIO),
	R0("clock_gettime",	STDIO | LI),
	R0("clock_getres",	STDIO | LI),
	R0("gettimeofday",	STDIO | LI),
	R0("time",		STDIO | LI),
	R0("nanosleep",		STDIO),
	R0("clock_nanosleep",	STDIO),
	R0("sched_yield",	STDIO),
	R0("sched_getaffinity",	STDIO),
	R0("sched_getparam",	STDIO),
	R0("sched_getscheduler", STDIO),
	R0("getcpu",		STDIO),
	R0("umask",		STDIO),
	R0("uname",		STDIO),
	R0("sysinfo",		STDIO),
	R0("mremap",		STDIO | LI),
	R0("madvise",		STDIO | LI),
	R0("fadvise64",		STDIO),		/* cat(1) advises its input */
	R0("msync",		STDIO),
	R0("mincore",		STDIO),
	R0("membarrier",	STDIO),
	R0("futex",		STDIO),
	R0("get_robust_list",	STDIO),
	R0("rt_sigaction",	STDIO | LI),
	R0("rt_sigprocmask",	STDIO | LI),
	R0("rt_sigpending",	STDIO),
	R0("rt_sigsuspend",	STDIO),
	R0("rt_sigtimedwait",	STDIO),
	R0("sigaltstack",	STDIO),
	R0("pause",		STDIO),
	R0("alarm",		STDIO),
	R0("getitimer",		STDIO),
	R0("setitimer",		STDIO),
	R1("kill",		STDIO | LI, EQ(0, PIN_PID)),
	R1("tgkill",		STDIO | LI, EQ(0, PIN_PID)),
	R0("pipe",		STDIO),
	R0("pipe2",		STDIO),
	R0("poll",		STDIO),
	R0("ppoll",		STDIO),
	R0("select",		STDIO),
	R0("pselect6",		STDIO),
	R0("epoll_create",	STDIO),
	R0("epoll_create1",	STDIO),
	R0("epoll_ctl",		STDIO | LI),
	R0("epoll_wait",	STDIO | LI),
	R0("epoll_pwait",	STDIO | LI),
	R0("eventfd2",		STDIO),
	R0("timerfd_create",	STDIO),
	R0("timerfd_settime",	STDIO),
	R0("timerfd_gettime",	STDIO),
	R0("signalfd4",		STDIO),
	R1("socketpair",	STDIO | UNIXP, EQ(0, AF_UNIX)),
	/*
	 * MSG_FASTOPEN connects a socket in the closed state, such as a
	 * listening socket after shutdown(SHUT_RD): only "inet" may.
	 */
	R0("recvfrom",		NET | LI),
	R1("sendto",		NET | LI, MASK(3, MSG_FASTOPEN, 0)),
	R0("sendto",		INET),
	R0("recvmsg",		NET),
	R1("sendmsg",		NET, MASK(2, MSG_FASTOPEN, 0)),
	R0("sendmsg",		INET),
	R0("recvmmsg",		NET),
	R1("sendmmsg",		NET, MASK(3, MSG_FASTOPEN, 0)),
	R0("sendmmsg",		INET),
	/* Descriptors pass only over the listener's two channels. */
	R1("recvmsg",		LI, EQ(0, INETD_CHANFD)),
	R1("recvmsg",		LI, EQ(0, INETD_PEERFD)),
	R2("sendmsg",		LI, EQ(0, INETD_CHANFD),
	    MASK(2, MSG_FASTOPEN, 0)),
	R2("sendmsg",		LI, EQ(0, INETD_PEERFD),
	    MASK(2, MSG_FASTOPEN, 0)),
	R0("getsockopt",	NET | LI),
	R0("setsockopt",	NET),
	R0("getsockname",	NET | LI),
	R0("getpeername",	NET | LI),
	R0("shutdown",		NET),
	/* The listener only ends its side of a built-in's connection. */
	R1("shutdown",		LI, EQ(1, SHUT_WR)),
	R1("fcntl",		STDIO | LI, EQ(1, F_GETFD)),
	R1("fcntl",		STDIO | LI, EQ(1, F_SETFD)),
	R1("fcntl",		STDIO | LI, EQ(1, F_GETFL)),
	R1("fcntl",		STDIO | LI, EQ(1, F_SETFL)),
	R1("fcntl",		STDIO, EQ(1, F_DUPFD)),
	/* The listener hands a wait service a copy of its socket. */
	R1("fcntl",		STDIO | LI, EQ(1, F_DUPFD_CLOEXEC)),
	R1("ioctl",		STDIO | LI, EQ(1, FIONREAD)),
	R1("ioctl",		STDIO | LI, EQ(1, FIONBIO)),
	R1("ioctl",		STDIO, EQ(1, FIOCLEX)),
	R1("ioctl",		STDIO, EQ(1, FIONCLEX)),
	R1("ioctl",		STDIO | TTY, EQ(1, TCGETS)),
	R1("ioctl",		STDIO | TTY, EQ(1, TIOCGWINSZ)),
	R1("prctl",		STDIO, EQ(0, PR_SET_NAME)),
	R1("prctl",		STDIO, EQ(0, PR_GET_NAME)),
	/* libcap's constructor probes the bounding set, as capget. */
	R1("prctl",		STDIO, EQ(0, PR_CAPBSET_READ)),
	/* Threads: clone with CLONE_THREAD, never a new namespace. */
	R1("clone",		STDIO,
	    MASK(0, CLONE_THREAD | NS_CLONE, CLONE_THREAD)),

	/* rpath, wpath, cpath, dpath, tmppath */
	R1("open",		RPATH,
	    MASK(1, OPEN_MODE | O_TRUNC, O_RDONLY)),
	R1("openat",		RPATH,
	    MASK(2, OPEN_MODE | O_TRUNC, O_RDONLY)),
	R1("open",		WPATH, MASK(1, OPEN_MODE, O_WRONLY)),
	R1("openat",		WPATH, MASK(2, OPEN_MODE, O_WRONLY)),
	RA1("open",		RPATH | WPATH, MASK(1, OPEN_MODE, O_RDWR)),
	RA1("openat",		RPATH | WPATH, MASK(2, OPEN_MODE, O_RDWR)),
	RA1("open",		CPATH | WPATH,
	    MASK(1, OPEN_MODE, O_WRONLY | O_CREAT)),
	RA1("openat",		CPATH | WPATH,
	    MASK(2, OPEN_MODE, O_WRONLY | O_CREAT)),
	RA1("open",		CPATH | RPATH | WPATH,
	    MASK(1, OPEN_MODE, O_RDWR | O_CREAT)),
	RA1("openat",		CPATH | RPATH | WPATH,
	    MASK(2, OPEN_MODE, O_RDWR | O_CREAT)),
	{ "creat", 0, CPATH | WPATH, 0, 0, 0, { { 0 }, { 0 } } },
	R1("open",		TMPPATH,
	    MASK(1, OPEN_MODE | O_EXCL, O_RDWR | O_CREAT | O_EXCL)),
	R1("openat",		TMPPATH,
	    MASK(2, OPEN_MODE | O_EXCL, O_RDWR | O_CREAT | O_EXCL)),
	R1("open",		TMPPATH,
	    MASK(1, O_ACCMODE | O_TMPFILE_BIT, O_RDWR | O_TMPFILE_BIT)),
	R1("openat",		TMPPATH,
	    MASK(2, O_ACCMODE | O_TMPFILE_BIT, O_RDWR | O_TMPFILE_BIT)),
	/*
	 * Where the kernel has Landlock, every pledge may open a file to
	 * read or write it, never to create one: as on OpenBSD it may open
	 * /dev/null, and seccomp cannot tell that path from another.  The
	 * ruleset of every pledged service says where (unveil_service):
	 * without "wpath" it writes only /dev/null and the files its
	 * promises imply.
	 */
	RA1("open",		LLOPEN,
	    MASK(1, OPEN_PLAIN | O_TRUNC, O_RDONLY)),
	RA1("openat",		LLOPEN,
	    MASK(2, OPEN_PLAIN | O_TRUNC, O_RDONLY)),
	RA1("open",		LLOPEN, MASK(1, OPEN_PLAIN, O_WRONLY)),
	RA1("openat",		LLOPEN, MASK(2, OPEN_PLAIN, O_WRONLY)),
	RA1("open",		LLOPEN, MASK(1, OPEN_PLAIN, O_RDWR)),
	RA1("openat",		LLOPEN, MASK(2, OPEN_PLAIN, O_RDWR)),
	/*
	 * getpw without rpath: libnss_systemd looks for systemd's userdb
	 * (opendir of /run/systemd/userdb, O_PATH walks to its drop-in
	 * directories).  Both fail as if denied, and the lookup goes on
	 * with the files.
	 */
	{ "open", GETPW, 0, RPATH, EACCES, 1,
	    { MASK(1, OPEN_PLAIN, O_RDONLY | O_DIRECTORY), { 0 } } },
	{ "openat", GETPW, 0, RPATH, EACCES, 1,
	    { MASK(2, OPEN_PLAIN, O_RDONLY | O_DIRECTORY), { 0 } } },
	{ "open", GETPW, 0, RPATH, EACCES, 1,
	    { MASK(1, O_ACCMODE | O_PATH, O_RDONLY | O_PATH), { 0 } } },
	{ "openat", GETPW, 0, RPATH, EACCES, 1,
	    { MASK(2, O_ACCMODE | O_PATH, O_RDONLY | O_PATH), { 0 } } },
	R0("stat",		ANYPATH | TMPPATH | DNS | GETPW),
	R0("lstat",		ANYPATH | TMPPATH | DNS | GETPW),
	R0("newfstatat",	ANYPATH | TMPPATH | DNS | GETPW),
	R0("statx",		ANYPATH | TMPPATH | DNS | GETPW),
	R0("getcwd",		ANYPATH),
	R0("readlink",		RPATH),
	R0("readlinkat",	RPATH),
	R0("getdents",		RPATH),
	R0("getdents64",	RPATH),
	R0("chdir",		RPATH),
	R0("fchdir",		RPATH),
	R0("statfs",		RPATH),
	R0("fstatfs",		RPATH),
	R0("readahead",		RPATH),
	R0("getxattr",		RPATH),
	R0("lgetxattr",		RPATH),
	R0("fgetxattr",		RPATH),
	R0("listxattr",		RPATH),
	R0("llistxattr",	RPATH),
	R0("flistxattr",	RPATH),
	R1("ioctl",		WPATH, EQ(1, FICLONE)),
	R1("ioctl",		WPATH, EQ(1, FICLONERANGE)),
	R0("truncate",		WPATH),
	R0("fallocate",		WPATH),
	R0("mkdir",		CPATH),
	R0("mkdirat",		CPATH),
	R0("rmdir",		CPATH),
	R0("unlink",		CPATH | TMPPATH),
	R0("unlinkat",		CPATH | TMPPATH),
	R0("rename",		CPATH),
	R0("renameat",		CPATH),
	R0("renameat2",		CPATH),
	R0("link",		CPATH),
	R0("linkat",		CPATH),
	R0("symlink",		CPATH),
	R0("symlinkat",		CPATH),
	R0("mknod",		DPATH),
	R0("mknodat",		DPATH),

	/* inet, unix, dns */
	R1("socket",		INET | DNS, EQ(0, AF_INET)),
	R1("socket",		INET | DNS, EQ(0, AF_INET6)),
	R1("socket",		UNIXP, EQ(0, AF_UNIX)),
	R2("socket",		DNS,
	    EQ(0, AF_NETLINK), EQ(2, NETLINK_ROUTE)),
	/* nscd and systemd's userdb: let libc fall back to files. */
	{ "socket", DNS | GETPW, 0, UNIXP, EACCES, 1,
	    { EQ(0, AF_UNIX), { 0 } } },
	R0("connect",		INET | UNIXP | DNS),
	R0("bind",		INET | UNIXP | DNS),
	R0("listen",		INET | UNIXP),
	R0("accept",		INET | UNIXP | LI),
	R0("accept4",		INET | UNIXP | LI),

	/* proc, exec, id */
	R1("clone",		PROC, MASK(0, CLONE_THREAD | NS_CLONE, 0)),
	R0("fork",		PROC),
	R0("vfork",		PROC),
	R0("wait4",		PROC),
	R0("waitid",		PROC),
	R0("kill",		PROC),
	R0("tgkill",		PROC),
	R0("tkill",		PROC),
	R0("setpgid",		PROC),
	R0("setsid",		PROC),
	R0("getpriority",	PROC | ID),
	R0("setpriority",	PROC | ID),
	R0("setrlimit",		PROC | ID),
	R0("prlimit64",		PROC | ID),
	R0("execve",		EXECP),
	R0("execveat",		EXECP),
	R0("setuid",		ID),
	R0("setgid",		ID),
	R0("setreuid",		ID),
	R0("setregid",		ID),
	R0("setresuid",		ID),
	R0("setresgid",		ID),
	R0("setgroups",		ID),
	R0("setfsuid",		ID),
	R0("setfsgid",		ID),

	/* tty, flock, fattr, chown */
	R1("ioctl",		TTY, EQ(1, TCSETS)),
	R1("ioctl",		TTY, EQ(1, TCSETSW)),
	R1("ioctl",		TTY, EQ(1, TCSETSF)),
	R1("ioctl",		TTY, EQ(1, TCFLSH)),
	R1("ioctl",		TTY, EQ(1, TCSBRK)),
	R1("ioctl",		TTY, EQ(1, TCXONC)),
	R1("ioctl",		TTY, EQ(1, TIOCSWINSZ)),
	R1("ioctl",		TTY, EQ(1, TIOCGPGRP)),
	R1("ioctl",		TTY, EQ(1, TIOCSPGRP)),
	R1("ioctl",		TTY, EQ(1, TIOCGSID)),
	R1("ioctl",		TTY, EQ(1, TIOCGPTN)),
	R1("ioctl",		TTY, EQ(1, TIOCSPTLCK)),
	R0("flock",		FLOCK),
	R1("fcntl",		FLOCK, EQ(1, F_GETLK)),
	R1("fcntl",		FLOCK, EQ(1, F_SETLK)),
	R1("fcntl",		FLOCK, EQ(1, F_SETLKW)),
	R1("fcntl",		FLOCK, EQ(1, F_OFD_GETLK)),
	R1("fcntl",		FLOCK, EQ(1, F_OFD_SETLK)),
	R1("fcntl",		FLOCK, EQ(1, F_OFD_SETLKW)),
	R0("chmod",		FATTR),
	R0("fchmod",		FATTR),
	R0("fchmodat",		FATTR),
	R0("utime",		FATTR),
	R0("utimes",		FATTR),
	R0("utimensat",		FATTR),
	R0("futimesat",		FATTR),
	R0("setxattr",		FATTR),
	R0("lsetxattr",		FATTR),
	R0("fsetxattr",		FATTR),
	R0("removexattr",	FATTR),
	R0("lremovexattr",	FATTR),
	R0("fremovexattr",	FATTR),
	R0("chown",		CHOWN),
	R0("fchown",		CHOWN),
	R0("lchown",		CHOWN),
	R0("fchownat",		CHOWN),

	/* The baseline: no network service needs these. */
	E0("init_module",	BL, EPERM),
	E0("finit_module",	BL, EPERM),
	E0("delete_module",	BL, EPERM),
	E0("kexec_load",	BL, EPERM),
	E0("kexec_file_load",	BL, EPERM),
	E0("reboot",		BL, EPERM),
	E0("mount",		BL, EPERM),
	E0("umount2",		BL, EPERM),
	E0("pivot_root",	BL, EPERM),
	E0("move_mount",	BL, EPERM),
	E0("open_tree",		BL, EPERM),
	E0("fsopen",		BL, EPERM),
	E0("fsconfig",		BL, EPERM),
	E0("fsmount",		BL, EPERM),
	E0("fspick",		BL, EPERM),
	E0("mount_setattr",	BL, EPERM),
	E0("swapon",		BL, EPERM),
	E0("swapoff",		BL, EPERM),
	E0("ptrace",		BL, EPERM),
	E0("process_vm_readv",	BL, EPERM),
	E0("process_vm_writev",	BL, EPERM),
	E0("pidfd_getfd",	BL, EPERM),
	E0("process_madvise",	BL, EPERM),
	E0("bpf",		BL, EPERM),
	E0("perf_event_open",	BL, EPERM),
	E0("keyctl",		BL, EPERM),
	E0("add_key",		BL, EPERM),
	E0("request_key",	BL, EPERM),
	E0("userfaultfd",	BL, EPERM),
	E0("io_uring_setup",	BL, EPERM),
	E0("io_uring_enter",	BL, EPERM),
	E0("io_uring_register",	BL, EPERM),
	E0("clock_settime",	BL, EPERM),
	E0("clock_adjtime",	BL, EPERM),
	E0("settimeofday",	BL, EPERM),
	E0("adjtimex",		BL, EPERM),
	E0("iopl",		BL, EPERM),
	E0("ioperm",		BL, EPERM),
	E0("modify_ldt",	BL, EPERM),
	E0("quotactl",		BL, EPERM),
	E0("quotactl_fd",	BL, EPERM),
	E0("open_by_handle_at",	BL, EPERM),
	E0("name_to_handle_at",	BL, EPERM),
	E0("kcmp",		BL, EPERM),
	E0("lookup_dcookie",	BL, EPERM),
	E0("acct",		BL, EPERM),
	E0("syslog",		BL, EPERM),
	E0("vhangup",		BL, EPERM),
	E0("uselib",		BL, EPERM),
	E0("nfsservctl",	BL, EPERM),
	E0("sethostname",	BL, EPERM),
	E0("setdomainname",	BL, EPERM),
	E0("fanotify_init",	BL, EPERM),
	E0("migrate_pages",	BL, EPERM),
	E0("move_pages",	BL, EPERM),
	E0("setns",		BL, EPERM),
	E0("vm86",		BL, EPERM),
	E0("vm86old",		BL, EPERM),
	E1("clone",		BL, EPERM,
	    MASK(0, CLONE_NEWNS, CLONE_NEWNS)),
	E1("clone",		BL, EPERM,
	    MASK(0, CLONE_NEWCGROUP, CLONE_NEWCGROUP)),
	E1("clone",		BL, EPERM,
	    MASK(0, CLONE_NEWUTS, CLONE_NEWUTS)),
	E1("clone",		BL, EPERM,
	    MASK(0, CLONE_NEWIPC, CLONE_NEWIPC)),
	E1("clone",		BL, EPERM,
	    MASK(0, CLONE_NEWUSER, CLONE_NEWUSER)),
	E1("clone",		BL, EPERM,
	    MASK(0, CLONE_NEWPID, CLONE_NEWPID)),
	E1("clone",		BL, EPERM,
	    MASK(0, CLONE_NEWNET, CLONE_NEWNET)),
	E1("unshare",		BL, EPERM,
	    MASK(0, CLONE_NEWNS, CLONE_NEWNS)),
	E1("unshare",		BL, EPERM,
	    MASK(0, CLONE_NEWCGROUP, CLONE_NEWCGROUP)),
	E1("unshare",		BL, EPERM,
	    MASK(0, CLONE_NEWUTS, CLONE_NEWUTS)),
	E1("unshare",		BL, EPERM,
	    MASK(0, CLONE_NEWIPC, CLONE_NEWIPC)),
	E1("unshare",		BL, EPERM,
	    MASK(0, CLONE_NEWUSER, CLONE_NEWUSER)),
	E1("unshare",		BL, EPERM,
	    MASK(0, CLONE_NEWPID, CLONE_NEWPID)),
	E1("unshare",		BL, EPERM,
	    MASK(0, CLONE_NEWNET, CLONE_NEWNET)),
	E1("unshare",		BL, EPERM,
	    MASK(0, CLONE_NEWTIME, CLONE_NEWTIME)),
	/* personality: the kernel reads 32 bits; see pledge_ctx_add. */
	E1("personality",	BL, EPERM, GT(0, 0xffffffffULL)),

#ifdef INETD_SANITIZE
	/*
	 * A sanitizer build only (make SANITIZE=1), never a normal one:
	 * what the runtime does in the listener to write a report (ask
	 * whether its report file is a terminal, wake its report lock) and
	 * to take down its signal stack.  Its module list is read before
	 * the listener is confined (common/sanitize.c), so it opens nothing.
	 * Services get nothing: they are not built with it.  sandboxtest
	 * checks that a normal build kills all three.
	 */
	R1("ioctl",		LI, EQ(1, TCGETS)),
	R0("sigaltstack",	LI),
	R0("futex",		LI),
#endif
};

static int	 pledge_pin_word(uint64_t);
static int	 pledge_rule_applies(const struct pledge_rule *, uint64_t);
static int	 pledge_ctx_add(scmp_filter_ctx, uint64_t, uint32_t, int,
		    char *, size_t);
static scmp_filter_ctx pledge_ctx(uint64_t, uint32_t, char *, size_t);
static int	 pledge_export(scmp_filter_ctx, struct pledge_filter *,
		    char *, size_t);
static int	 pledge_check_pins(const struct pledge_filter *, char *,
		    size_t);

/* A pledge= value: promise words separated by blanks. */
int
pledge_parse(const char *s, uint64_t *promises, char *err, size_t errlen)
{
	char		 word[32];
	const char	*p;
	size_t		 len, i;
	uint64_t	 set = 0;

	for (p = s; *p != '\0';) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		len = strcspn(p, " \t");
		if (len >= sizeof(word)) {
			snprintf(err, errlen, "unknown promise \"%.*s\"",
			    (int)len, p);
			return -1;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		p += len;
		for (i = 0; i < nitems(pledge_promises); i++)
			if (strcmp(word, pledge_promises[i].pn_name) == 0)
				break;
		if (i == nitems(pledge_promises)) {
			snprintf(err, errlen, "unknown promise \"%s\"", word);
			return -1;
		}
		set |= pledge_promises[i].pn_bit;
	}
	*promises = set;
	return 0;
}

static int
pledge_pin_word(uint64_t v)
{
	uint32_t	 w[2];
	int		 i;

	w[0] = (uint32_t)v;
	w[1] = v >> 32;
	for (i = 0; i < 2; i++)
		if (w[i] == PIN_PID || w[i] == PIN_EXEC_HI ||
		    w[i] == PIN_EXEC_LO)
			return 1;
	return 0;
}

static int
pledge_rule_applies(const struct pledge_rule *r, uint64_t set)
{
	if (r->pr_any != 0 && (set & r->pr_any) == 0)
		return 0;
	if ((set & r->pr_all) != r->pr_all)
		return 0;
	if ((set & r->pr_none) != 0)
		return 0;
	return 1;
}

/*
 * Add the rows that apply to set.  pid, if not 0, replaces PIN_PID (a
 * filter loaded by the process that builds it).  strict: a call that
 * libseccomp does not know is an error, not a row to skip.
 */
static int
pledge_ctx_add(scmp_filter_ctx ctx, uint64_t set, uint32_t pid, int strict,
    char *err, size_t errlen)
{
	const struct pledge_rule	*r;
	struct scmp_arg_cmp		 cond[2];
	uint32_t			 action;
	unsigned int			 i, bit;
	size_t				 n;
	int				 nr, rv;

	for (n = 0; n < nitems(pledge_rules); n++) {
		r = &pledge_rules[n];
		if (!pledge_rule_applies(r, set))
			continue;
		if (memchr(r->pr_name, '\0', sizeof(r->pr_name)) == NULL) {
			snprintf(err, errlen, "seccomp: rule %zu: name too "
			    "long", n);
			return -1;
		}
		nr = seccomp_syscall_resolve_name(r->pr_name);
		if (nr == __NR_SCMP_ERROR) {
			if (!strict)
				continue;
			snprintf(err, errlen, "seccomp: unknown system call "
			    "%s", r->pr_name);
			return -1;
		}
		action = r->pr_errno ? SCMP_ACT_ERRNO(r->pr_errno) :
		    SCMP_ACT_ALLOW;
		for (i = 0; i < r->pr_ncond; i++) {
			cond[i] = r->pr_cond[i];
			if (cond[i].op == SCMP_CMP_EQ &&
			    (cond[i].datum_a == PIN_PID ||
			    cond[i].datum_a == PIN_EXEC)) {
				if (pid != 0 && cond[i].datum_a == PIN_PID)
					cond[i].datum_a = pid;
				continue;
			}
			/* Any other constant must not look like one. */
			if (pledge_pin_word(cond[i].datum_a) ||
			    pledge_pin_word(cond[i].datum_b)) {
				snprintf(err, errlen, "seccomp: %s: constant "
				    "clashes with a placeholder", r->pr_name);
				return -1;
			}
		}
		rv = seccomp_rule_add_array(ctx, action, nr, r->pr_ncond,
		    cond);
		if (rv < 0) {
			snprintf(err, errlen, "seccomp: %s: %s", r->pr_name,
			    strerror(-rv));
			return -1;
		}
	}

	/*
	 * personality: deny any 32-bit value but PER_LINUX (0) and the
	 * query (0xffffffff).  A word that is neither all zeros nor all
	 * ones has a set bit followed, cyclically, by a clear one; one
	 * masked compare per position finds it.
	 */
	if (set & PLEDGE_BASELINE) {
		nr = seccomp_syscall_resolve_name("personality");
		for (bit = 0; bit < 32; bit++) {
			cond[0].arg = 0;
			cond[0].op = SCMP_CMP_MASKED_EQ;
			cond[0].datum_a = (1ULL << bit) |
			    (1ULL << ((bit + 1) % 32));
			cond[0].datum_b = 1ULL << bit;
			rv = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM),
			    nr, 1, cond);
			if (rv < 0) {
				snprintf(err, errlen, "seccomp: personality: "
				    "%s", strerror(-rv));
				return -1;
			}
		}
	}
	return 0;
}

static scmp_filter_ctx
pledge_ctx(uint64_t set, uint32_t pid, char *err, size_t errlen)
{
	scmp_filter_ctx	 ctx;
	uint32_t	 def;
	int		 rv;

	if (set & PLEDGE_BASELINE)
		def = SCMP_ACT_ALLOW;
	else if (set & PLEDGE_ERROR)
		def = SCMP_ACT_ERRNO(EPERM);
	else
		def = SCMP_ACT_KILL_PROCESS;
	if ((ctx = seccomp_init(def)) == NULL) {
		snprintf(err, errlen, "seccomp_init failed");
		return NULL;
	}
	/*
	 * A binary tree of system call numbers, not a chain: the kernel
	 * runs the filter once per call number for its cache when a child
	 * loads it, and every call of the service after that.
	 */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if ((rv = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) < 0) {
		snprintf(err, errlen, "seccomp: bad arch action: %s",
		    strerror(-rv));
		seccomp_release(ctx);
		return NULL;
	}
#ifdef __x86_64__
	if ((set & PLEDGE_BASELINE) &&
	    (rv = seccomp_arch_add(ctx, SCMP_ARCH_X86)) < 0) {
		snprintf(err, errlen, "seccomp: i386: %s", strerror(-rv));
		seccomp_release(ctx);
		return NULL;
	}
#endif
	if (pledge_ctx_add(ctx, set, pid, (set & PLEDGE_BASELINE) != 0,
	    err, errlen) == -1) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

static int
pledge_export(scmp_filter_ctx ctx, struct pledge_filter *f, char *err,
    size_t errlen)
{
	struct stat	 st;
	size_t		 n;
	ssize_t		 r;
	int		 fd, rv;

	if ((fd = memfd_create("sandbox", MFD_CLOEXEC)) == -1) {
		snprintf(err, errlen, "memfd_create: %s", strerror(errno));
		return -1;
	}
	if ((rv = seccomp_export_bpf(ctx, fd)) < 0) {
		snprintf(err, errlen, "seccomp_export_bpf: %s", strerror(-rv));
		goto fail;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "fstat: %s", strerror(errno));
		goto fail;
	}
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
	    st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		snprintf(err, errlen, "seccomp filter of %lld bytes",
		    (long long)st.st_size);
		goto fail;
	}
	n = st.st_size / sizeof(struct sock_filter);
	if ((f->pf_insns = calloc(n, sizeof(struct sock_filter))) == NULL) {
		snprintf(err, errlen, "calloc: %s", strerror(errno));
		goto fail;
	}
	r = pread(fd, f->pf_insns, st.st_size, 0);
	if (r != st.st_size) {
		snprintf(err, errlen, "reading the filter: %s",
		    r == -1 ? strerror(errno) : "short read");
		free(f->pf_insns);
		f->pf_insns = NULL;
		goto fail;
	}
	f->pf_len = n;
	close(fd);
	return 0;
 fail:
	close(fd);
	return -1;
}

/*
 * The placeholders may be patched only where they are a JEQ constant:
 * how many there are, or -1.
 */
static int
pledge_check_pins(const struct pledge_filter *f, char *err, size_t errlen)
{
	const struct sock_filter	*in;
	unsigned short			 i;
	int				 n = 0;

	for (i = 0; i < f->pf_len; i++) {
		in = &f->pf_insns[i];
		if (in->k != PIN_PID && in->k != PIN_EXEC_HI &&
		    in->k != PIN_EXEC_LO)
			continue;
		if (in->code != (BPF_JMP | BPF_JEQ | BPF_K)) {
			snprintf(err, errlen, "seccomp: placeholder 0x%x at "
			    "instruction %u, code 0x%x", in->k, i, in->code);
			return -1;
		}
		n++;
	}
	return n;
}

/*
 * A pledge's allow-list as libseccomp builds it: what pledge_filter_build
 * starts from, and what sandboxtest compares its result with.
 */
int
pledge_filter_libseccomp(struct pledge_filter *f, uint64_t promises,
    char *err, size_t errlen)
{
	scmp_filter_ctx	 ctx;
	uint64_t	 set;

	f->pf_insns = NULL;
	f->pf_len = 0;
	if (promises & (PLEDGE_STARTUP | PLEDGE_LISTENER | PLEDGE_BASELINE |
	    PLEDGE_LLOPEN)) {
		snprintf(err, errlen, "invalid promise bits");
		return -1;
	}
	set = promises | PLEDGE_STARTUP;
	if (unveil_landlock_abi() > 0)
		set |= PLEDGE_LLOPEN;
	if ((ctx = pledge_ctx(set, 0, err, errlen)) == NULL)
		return -1;
	if (pledge_export(ctx, f, err, errlen) == -1) {
		seccomp_release(ctx);
		return -1;
	}
	seccomp_release(ctx);
	if (pledge_check_pins(f, err, errlen) == -1) {
		pledge_filter_free(f);
		return -1;
	}
	return 0;
}

/*
 * A pledge's allow-list, for a child to apply before execve: libseccomp's
 * program in the shorter form of common/filtertree.c, which the kernel
 * loads in less time, when its answers are shown to be the same and its
 * placeholders stay where pledge_filter_apply patches them.
 */
int
pledge_filter_build(struct pledge_filter *f, uint64_t promises, char *err,
    size_t errlen)
{
	struct pledge_filter	 c;
	char			 e[8];

	if (pledge_filter_libseccomp(f, promises, err, errlen) == -1)
		return -1;
	c.pf_len = f->pf_len;
	if ((c.pf_insns = reallocarray(NULL, f->pf_len,
	    sizeof(*c.pf_insns))) == NULL) {
		snprintf(err, errlen, "reallocarray: %s", strerror(errno));
		pledge_filter_free(f);
		return -1;
	}
	memcpy(c.pf_insns, f->pf_insns, f->pf_len * sizeof(*c.pf_insns));
	if (filter_compact(&c) == -1) {
		snprintf(err, errlen, "seccomp: %s", strerror(errno));
		pledge_filter_free(&c);
		pledge_filter_free(f);
		return -1;
	}
	/*
	 * The same placeholders, each still a jeq: a number of the new
	 * search that happened to equal one would be patched in the child.
	 */
	if (c.pf_len < f->pf_len && pledge_check_pins(&c, e, sizeof(e)) ==
	    pledge_check_pins(f, e, sizeof(e))) {
		pledge_filter_free(f);
		*f = c;
	} else
		pledge_filter_free(&c);
	return 0;
}

void
pledge_filter_free(struct pledge_filter *f)
{
	free(f->pf_insns);
	f->pf_insns = NULL;
	f->pf_len = 0;
}

/*
 * In the child, right before execve(path, ...) with this very pointer:
 * no allocation, no library state.  A NULL path leaves execve open.
 */
int
pledge_filter_apply(const struct pledge_filter *f, const char *path)
{
	struct sock_filter	 insns[BPF_MAXINSNS];
	struct sock_fprog	 prog;
	uint64_t		 addr = (uintptr_t)path;
	uint32_t		 pid = getpid();
	unsigned short		 i;

	if (f == NULL || f->pf_insns == NULL || f->pf_len == 0 ||
	    f->pf_len > BPF_MAXINSNS) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < f->pf_len; i++) {
		insns[i] = f->pf_insns[i];
		if (insns[i].code != (BPF_JMP | BPF_JEQ | BPF_K))
			continue;
		if (insns[i].k == PIN_PID)
			insns[i].k = pid;
		else if (insns[i].k == PIN_EXEC_HI) {
			if (path != NULL)
				insns[i].k = addr >> 32;
			else
				insns[i].jf = insns[i].jt;
		} else if (insns[i].k == PIN_EXEC_LO) {
			if (path != NULL)
				insns[i].k = (uint32_t)addr;
			else
				insns[i].jf = insns[i].jt;
		}
	}
	prog.len = f->pf_len;
	prog.filter = insns;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == -1)
		return -1;
	return 0;
}

/* The baseline, loaded by the parent and the spawner into themselves. */
int
pledge_baseline(char *err, size_t errlen)
{
	scmp_filter_ctx	 ctx;
	int		 rv;

	if ((ctx = pledge_ctx(PLEDGE_BASELINE, 0, err, errlen)) == NULL)
		return -1;
	/*
	 * The parent and the spawner load it as root, without setting
	 * no-new-privileges for themselves: every service sets its own, but
	 * one opted out with new-privileges=yes must still be able to gain
	 * privileges.  Without CAP_SYS_ADMIN the kernel wants it set.
	 */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    (rv = seccomp_load(ctx)) == -EACCES) {
		(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
		rv = seccomp_load(ctx);
	}
	seccomp_release(ctx);
	if (rv < 0) {
		snprintf(err, errlen, "seccomp_load: %s", strerror(-rv));
		errno = -rv;
		return -1;
	}
	return 0;
}

/*
 * The listener's allow-list, loaded by the listener itself: kill and
 * tgkill are pinned to its own pid.  listener/confine.c calls it last.
 */
int
pledge_listener(char *err, size_t errlen)
{
	scmp_filter_ctx	 ctx;
	int		 rv;

	if ((ctx = pledge_ctx(PLEDGE_LISTENER, getpid(), err, errlen)) ==
	    NULL) {
		errno = EINVAL;
		return -1;
	}
	rv = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rv < 0) {
		snprintf(err, errlen, "seccomp_load: %s", strerror(-rv));
		errno = -rv;
		return -1;
	}
	return 0;
}
