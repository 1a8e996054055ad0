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
 * unveil for Linux: paths compiled into a Landlock ruleset.
 *
 * unveil paths are compiled into a Landlock ruleset descriptor once,
 * when the configuration loads; the forked child only calls
 * landlock_restrict_self(2).  A pledge without path promises gets an
 * implied list (unveil_implied), every other service a domain that
 * restricts no path (unveil_service), and the listener a domain that
 * allows nothing.
 *
 * An entry is "path perms", perms from "rwxc"; paths are as the service
 * sees them (inside its chroot) and are opened on the host under the
 * chroot directory with RESOLVE_IN_ROOT.  r: read files and list
 * directories; w: write and truncate files, ioctl on devices; x:
 * execute, and so read files (Landlock checks both on execve); c:
 * create, remove, rename and link (never device nodes).
 *
 * The program gets read and execute, so do its ELF interpreter and, for
 * a "#!" script, the interpreter and its ELF interpreter; the library
 * directories and /etc/ld.so.cache get read.  From ABI 6 the ruleset
 * also scopes signals and abstract UNIX sockets to the service.
 *
 * A pledged service's ruleset also holds what its promises imply and
 * /dev/null, whatever its unveil list says, as OpenBSD lets those paths
 * through unveil.  Where Landlock exists the seccomp filter no longer
 * tells a write open from a read one (pledge.c), so a pledge without
 * "wpath" gets write access only there: its own unveil paths lose "w"
 * for files (devices keep their ioctls), and one without an unveil list
 * gets a ruleset that handles writing alone.
 * Landlock cannot hide a path beneath an unveiled one, so empty
 * permissions are refused.  Paths are resolved by inetd, not by the
 * service, so a path through /proc/self (or /proc/thread-self, or a
 * link to them such as /proc/net) would name inetd's own process: such
 * a path is refused, and "/proc r" is what gives a service its own.
 *
 * Nothing here logs: errors come back in the caller's buffer or errno.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include <linux/landlock.h>
#include <linux/magic.h>
#include <linux/openat2.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

/* Landlock constants newer than Debian 12's linux/landlock.h. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER		(1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV		(1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif

/* All three members; the kernel is told the size its ABI knows. */
struct unveil_llattr {
	uint64_t	 la_fs;
	uint64_t	 la_net;
	uint64_t	 la_scoped;
};

#define LL_FS_V1	((1ULL << 13) - 1)
#define LL_FS_FILE	(LANDLOCK_ACCESS_FS_EXECUTE |			\
			    LANDLOCK_ACCESS_FS_WRITE_FILE |		\
			    LANDLOCK_ACCESS_FS_READ_FILE |		\
			    LANDLOCK_ACCESS_FS_TRUNCATE |		\
			    LANDLOCK_ACCESS_FS_IOCTL_DEV)
#define LL_FS_READ	(LANDLOCK_ACCESS_FS_READ_FILE |		\
			    LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_FS_WRITE	(LANDLOCK_ACCESS_FS_WRITE_FILE |		\
			    LANDLOCK_ACCESS_FS_TRUNCATE |		\
			    LANDLOCK_ACCESS_FS_IOCTL_DEV)
#define LL_FS_WROTE	(LANDLOCK_ACCESS_FS_WRITE_FILE |		\
			    LANDLOCK_ACCESS_FS_TRUNCATE)	/* "wpath" */
#define LL_FS_CREATE	(LANDLOCK_ACCESS_FS_REMOVE_DIR |		\
			    LANDLOCK_ACCESS_FS_REMOVE_FILE |		\
			    LANDLOCK_ACCESS_FS_MAKE_DIR |		\
			    LANDLOCK_ACCESS_FS_MAKE_REG |		\
			    LANDLOCK_ACCESS_FS_MAKE_SOCK |		\
			    LANDLOCK_ACCESS_FS_MAKE_FIFO |		\
			    LANDLOCK_ACCESS_FS_MAKE_SYM |		\
			    LANDLOCK_ACCESS_FS_REFER)
#define LL_EXEC_DEPTH	4	/* "#!" and PT_INTERP levels followed */

/* The promises that imply paths, in unveil_implied's table. */
#define STDIO		PLEDGE_STDIO
#define TMPPATH		PLEDGE_TMPPATH
#define DNS		PLEDGE_DNS
#define GETPW		PLEDGE_GETPW
#define TTY		PLEDGE_TTY

static uint64_t	 unveil_fs(int);
static uint64_t	 unveil_access(int);
static int	 unveil_ruleset(int, uint64_t, uint64_t, uint64_t);
static int	 unveil_build_net(const struct unveil_rule *, size_t,
		    const char *, const char *, uint64_t,
		    const struct servconf *, int *, int *, char *, size_t);
static int	 unveil_pledged(int, int, const char *, uint64_t, uint64_t,
		    char *, size_t);
static int	 unveil_writes(const struct servconf *, int, uint64_t, int *,
		    char *, size_t);
static int	 unveil_open(int, const char *, const char *, int);
static int	 unveil_add(int, int, uint64_t);
static int	 unveil_path(int, int, const char *, const char *,
		    uint64_t, int, char *, size_t);
static int	 unveil_exec(int, int, const char *, const char *, int,
		    char *, size_t);
static int	 unveil_elf_interp(int, char *, size_t);
static int	 unveil_selfproc(const char *);
static int	 unveil_ownproc(int, const char *, char *, size_t);

/* One value of unveil=: "path perms", the path may hold blanks. */
int
unveil_parse(const char *spec, struct unveil_rule *u, char *err, size_t errlen)
{
	const char	*sp, *p;
	size_t		 len;

	memset(u, 0, sizeof(*u));
	len = strlen(spec);
	while (len > 0 && (spec[len - 1] == ' ' || spec[len - 1] == '\t'))
		len--;
	for (sp = spec + len; sp > spec && sp[-1] != ' ' && sp[-1] != '\t';)
		sp--;
	if (sp == spec) {
		snprintf(err, errlen, "unveil \"%s\": expected \"path "
		    "perms\"", spec);
		return -1;
	}
	for (p = sp; p < spec + len; p++) {
		switch (*p) {
		case 'r':
			u->ur_perms |= UNVEIL_R;
			break;
		case 'w':
			u->ur_perms |= UNVEIL_W;
			break;
		case 'x':
			u->ur_perms |= UNVEIL_X;
			break;
		case 'c':
			u->ur_perms |= UNVEIL_C;
			break;
		default:
			snprintf(err, errlen, "unveil \"%s\": permission '%c' "
			    "is not one of rwxc", spec, *p);
			return -1;
		}
	}
	len = sp - spec;
	while (len > 0 && (spec[len - 1] == ' ' || spec[len - 1] == '\t'))
		len--;
	if (len == 0 || spec[0] != '/') {
		snprintf(err, errlen, "unveil \"%s\": path must be absolute",
		    spec);
		return -1;
	}
	if (len >= PATH_MAX) {
		snprintf(err, errlen, "unveil \"%s\": path too long", spec);
		return -1;
	}
	if ((u->ur_path = strndup(spec, len)) == NULL) {
		snprintf(err, errlen, "unveil \"%s\": %s", spec,
		    strerror(errno));
		return -1;
	}
	if (unveil_selfproc(u->ur_path)) {
		snprintf(err, errlen, "unveil \"%s\": %s would be the process "
		    "of inetd that reads it, not the service; unveil \"/proc "
		    "r\" instead", spec, u->ur_path);
		unveil_clear(u, 1);
		return -1;
	}
	return 0;
}

/* The paths of n rules go; the rules' array is the caller's. */
void
unveil_clear(struct unveil_rule *u, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(u[i].ur_path);
		u[i].ur_path = NULL;
	}
}

/* Whether a path, as written, is /proc/self or /proc/thread-self. */
static int
unveil_selfproc(const char *path)
{
	const char	*p = path, *comp[2];
	size_t		 len[2], n = 0, l;

	while (n < 2) {
		p += strspn(p, "/");
		if (*p == '\0')
			break;
		l = strcspn(p, "/");
		if (l != 1 || *p != '.') {
			comp[n] = p;
			len[n++] = l;
		}
		p += l;
	}
	if (n < 2 || len[0] != 4 || strncmp(comp[0], "proc", 4) != 0)
		return 0;
	return (len[1] == 4 && strncmp(comp[1], "self", 4) == 0) ||
	    (len[1] == 11 && strncmp(comp[1], "thread-self", 11) == 0);
}

/*
 * The files a promise implies, as OpenBSD's pledge lets them through
 * whatever unveil says.  All are optional.
 */
static const struct {
	uint64_t	 im_promise;
	const char	*im_path;
	int		 im_perms;
} implied[] = {
	{ STDIO,	"/dev/null",		UNVEIL_R | UNVEIL_W },
	{ STDIO,	"/etc/localtime",	UNVEIL_R },
	{ STDIO,	"/usr/share/zoneinfo",	UNVEIL_R },
	{ DNS,		"/etc/resolv.conf",	UNVEIL_R },
	{ DNS,		"/etc/hosts",		UNVEIL_R },
	{ DNS,		"/etc/host.conf",	UNVEIL_R },
	{ DNS,		"/etc/gai.conf",	UNVEIL_R },
	{ DNS,		"/etc/services",	UNVEIL_R },
	{ DNS,		"/etc/protocols",	UNVEIL_R },
	{ DNS | GETPW,	"/etc/nsswitch.conf",	UNVEIL_R },
	{ GETPW,	"/etc/passwd",		UNVEIL_R },
	{ GETPW,	"/etc/group",		UNVEIL_R },
	{ TMPPATH,	"/tmp",			UNVEIL_R | UNVEIL_W |
	    UNVEIL_C },
	{ TTY,		"/dev/tty",		UNVEIL_R | UNVEIL_W },
	{ TTY,		"/dev/ptmx",		UNVEIL_R | UNVEIL_W },
	{ TTY,		"/dev/pts",		UNVEIL_R | UNVEIL_W },
};

/*
 * The rules of the files a set of promises implies, to add to a pledged
 * service's unveil list.  Returns how many there are; fills at most n.
 */
size_t
unveil_implied(uint64_t promises, struct unveil_rule *u, size_t n)
{
	size_t	 i, count = 0;

	for (i = 0; i < nitems(implied); i++) {
		if ((promises & implied[i].im_promise) == 0)
			continue;
		if (count < n) {
			if ((u[count].ur_path = strdup(implied[i].im_path)) ==
			    NULL)
				fatal("strdup");
			u[count].ur_perms = implied[i].im_perms |
			    UNVEIL_OPTIONAL;
		}
		count++;
	}
	return count;
}

/* The kernel's Landlock ABI version, 0 without Landlock. */
int
unveil_landlock_abi(void)
{
	long	 abi;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	return abi < 0 ? 0 : (int)abi;
}

/* Filesystem rights this ABI knows. */
static uint64_t
unveil_fs(int abi)
{
	uint64_t	 fs = LL_FS_V1;

	if (abi >= 2)
		fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return fs;
}

/* The Landlock rights of unveil permissions, before the ABI's mask. */
static uint64_t
unveil_access(int perms)
{
	uint64_t	 access = 0;

	if (perms & UNVEIL_R)
		access |= LL_FS_READ;
	if (perms & UNVEIL_W)
		access |= LL_FS_WRITE;
	/* execve opens the file for reading too. */
	if (perms & UNVEIL_X)
		access |= LANDLOCK_ACCESS_FS_EXECUTE |
		    LANDLOCK_ACCESS_FS_READ_FILE;
	if (perms & UNVEIL_C)
		access |= LL_FS_CREATE;
	return access;
}

static int
unveil_ruleset(int abi, uint64_t fs, uint64_t net, uint64_t scoped)
{
	struct unveil_llattr	 attr;
	size_t			 size;

	memset(&attr, 0, sizeof(attr));
	attr.la_fs = fs;
	size = sizeof(attr.la_fs);
	if (abi >= 4) {
		attr.la_net = net;
		size += sizeof(attr.la_net);
	}
	if (abi >= 6) {
		attr.la_scoped = scoped;
		size += sizeof(attr.la_scoped);
	}
	return syscall(SYS_landlock_create_ruleset, &attr, size, 0);
}

/*
 * Open path as the service will see it: under rootfd when it runs in a
 * chroot (symbolic links resolved inside it), else on the host.  Never
 * through a /proc magic link (/dev/stdin is /proc/self/fd/0): it would
 * lead to a descriptor of ours.
 */
static int
unveil_open(int rootfd, const char *root, const char *path, int flags)
{
	struct open_how	 how;
	char		 buf[PATH_MAX];
	int		 fd;

	memset(&how, 0, sizeof(how));
	how.flags = flags | O_CLOEXEC;
	how.resolve = RESOLVE_NO_MAGICLINKS;
	if (rootfd == -1) {
		fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
		if (fd != -1 || errno != ENOSYS)
			return fd;
		return open(path, flags | O_CLOEXEC);
	}
	how.resolve |= RESOLVE_IN_ROOT;
	fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd != -1 || errno != ENOSYS)
		return fd;
	if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", root, path) >=
	    sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(buf, flags | O_CLOEXEC);
}

static int
unveil_add(int llfd, int fd, uint64_t access)
{
	struct landlock_path_beneath_attr	 pb;
	struct stat				 st;

	if (fstat(fd, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode))
		access &= LL_FS_FILE;
	if (access == 0)
		return 0;
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	pb.parent_fd = fd;
	return syscall(SYS_landlock_add_rule, llfd, LANDLOCK_RULE_PATH_BENEATH,
	    &pb, 0);
}

/*
 * Whether fd, opened for path, is in /proc/PID of this very process:
 * a link such as /proc/net or /dev/fd led there through /proc/self.
 */
static int
unveil_ownproc(int fd, const char *path, char *err, size_t errlen)
{
	struct statfs	 sf;
	char		 link[64], buf[PATH_MAX];
	ssize_t		 n;
	int		 len;

	if (fstatfs(fd, &sf) == -1 || sf.f_type != PROC_SUPER_MAGIC)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, buf, sizeof(buf) - 1)) == -1)
		return 0;
	buf[n] = '\0';
	len = snprintf(link, sizeof(link), "/proc/%ld", (long)getpid());
	if (strncmp(buf, link, len) != 0 ||
	    (buf[len] != '\0' && buf[len] != '/'))
		return 0;
	snprintf(err, errlen, "unveil %s: it leads to /proc/self, which "
	    "would be the process of inetd that reads it, not the service; "
	    "unveil \"/proc r\" instead", path);
	return 1;
}

/* One rule for path; a missing path is an error only if must. */
static int
unveil_path(int llfd, int rootfd, const char *root, const char *path,
    uint64_t access, int must, char *err, size_t errlen)
{
	int	 fd, saved;

	if ((fd = unveil_open(rootfd, root, path, O_PATH)) == -1) {
		if (!must && (errno == ENOENT || errno == ENOTDIR))
			return 0;
		if (errno == ELOOP)
			snprintf(err, errlen, "unveil %s: a loop of symbolic "
			    "links, or a /proc magic link (a descriptor of "
			    "inetd, as /dev/stdin is)", path);
		else
			snprintf(err, errlen, "unveil %s: %s", path,
			    strerror(errno));
		return -1;
	}
	if (unveil_ownproc(fd, path, err, errlen)) {
		close(fd);
		return -1;
	}
	if (unveil_add(llfd, fd, access) == -1) {
		saved = errno;
		close(fd);
		snprintf(err, errlen, "landlock rule for %s: %s", path,
		    strerror(saved));
		return -1;
	}
	close(fd);
	return 0;
}

/* Find PT_INTERP in an ELF file; 1 if found, 0 if none, -1 on error. */
static int
unveil_elf_interp(int fd, char *interp, size_t len)
{
	Elf64_Ehdr	 eh;
	Elf64_Phdr	 ph;
	Elf32_Ehdr	*eh32 = (Elf32_Ehdr *)&eh;
	Elf32_Phdr	 ph32;
	uint64_t	 off, size, phoff;
	unsigned int	 i, phnum, phentsize;
	int		 is64;

	if (pread(fd, &eh, sizeof(eh), 0) < (ssize_t)sizeof(Elf32_Ehdr))
		return 0;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return 0;
	is64 = eh.e_ident[EI_CLASS] == ELFCLASS64;
	if (is64 && pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		return -1;
	if (is64) {
		phoff = eh.e_phoff;
		phnum = eh.e_phnum;
		phentsize = eh.e_phentsize;
		if (phentsize != sizeof(ph))
			return -1;
	} else if (eh.e_ident[EI_CLASS] == ELFCLASS32) {
		phoff = eh32->e_phoff;
		phnum = eh32->e_phnum;
		phentsize = eh32->e_phentsize;
		if (phentsize != sizeof(ph32))
			return -1;
	} else
		return -1;
	for (i = 0; i < phnum && i < 256; i++) {
		if (is64) {
			if (pread(fd, &ph, sizeof(ph), phoff + i * phentsize) !=
			    sizeof(ph))
				return -1;
			if (ph.p_type != PT_INTERP)
				continue;
			off = ph.p_offset;
			size = ph.p_filesz;
		} else {
			if (pread(fd, &ph32, sizeof(ph32), phoff +
			    i * phentsize) != sizeof(ph32))
				return -1;
			if (ph32.p_type != PT_INTERP)
				continue;
			off = ph32.p_offset;
			size = ph32.p_filesz;
		}
		if (size < 2 || size > len)
			return -1;
		if (pread(fd, interp, size, off) != (ssize_t)size)
			return -1;
		if (interp[size - 1] != '\0' || strlen(interp) != size - 1)
			return -1;
		return 1;
	}
	return 0;
}

/*
 * Read and execute on path, then on what the kernel loads to run it:
 * the "#!" interpreter or the ELF interpreter, recursively.
 */
static int
unveil_exec(int llfd, int rootfd, const char *root, const char *path,
    int depth, char *err, size_t errlen)
{
	char	 buf[PATH_MAX];
	char	*p, *q;
	ssize_t	 n;
	int	 fd, rv, saved;

	if (depth > LL_EXEC_DEPTH) {
		snprintf(err, errlen, "%s: too many interpreters", path);
		return -1;
	}
	if ((fd = unveil_open(rootfd, root, path, O_RDONLY)) == -1) {
		snprintf(err, errlen, "program %s: %s", path, strerror(errno));
		return -1;
	}
	if (unveil_add(llfd, fd, LANDLOCK_ACCESS_FS_READ_FILE |
	    LANDLOCK_ACCESS_FS_EXECUTE) == -1) {
		saved = errno;
		close(fd);
		snprintf(err, errlen, "landlock rule for %s: %s", path,
		    strerror(saved));
		return -1;
	}
	if ((n = pread(fd, buf, 256, 0)) == -1) {
		saved = errno;
		close(fd);
		snprintf(err, errlen, "%s: %s", path, strerror(saved));
		return -1;
	}
	if (n >= 2 && buf[0] == '#' && buf[1] == '!') {
		close(fd);
		buf[n] = '\0';
		p = buf + 2;
		p += strspn(p, " \t");
		q = p + strcspn(p, " \t\n");
		if (*q == '\0' && n == 256) {
			snprintf(err, errlen, "%s: \"#!\" line too long", path);
			return -1;
		}
		*q = '\0';
		if (*p != '/') {
			snprintf(err, errlen, "%s: interpreter \"%s\" is not "
			    "an absolute path", path, p);
			return -1;
		}
		return unveil_exec(llfd, rootfd, root, p, depth + 1, err,
		    errlen);
	}
	rv = unveil_elf_interp(fd, buf, sizeof(buf));
	close(fd);
	if (rv == -1) {
		snprintf(err, errlen, "%s: bad ELF program headers", path);
		return -1;
	}
	if (rv == 0)
		return 0;
	return unveil_exec(llfd, rootfd, root, buf, depth + 1, err, errlen);
}

/*
 * A service's ruleset, built once when the configuration loads: its
 * unveil list, the program and what runs it, the library directories.
 * *fdp stays -1 and *abip 0 where the kernel lacks Landlock.
 */
int
unveil_build(const struct unveil_rule *u, size_t n, const char *program,
    const char *root, int *fdp, int *abip, char *err, size_t errlen)
{
	return unveil_build_net(u, n, program, root, 0, NULL, fdp, abip, err,
	    errlen);
}

/*
 * The same, also handling the TCP rights in net (from ABI 4), and for a
 * pledged service se what its pledge lets through.
 */
static int
unveil_build_net(const struct unveil_rule *u, size_t n, const char *program,
    const char *root, uint64_t net, const struct servconf *se, int *fdp,
    int *abip, char *err, size_t errlen)
{
	static const char	*libdirs[] = {
		"/lib", "/lib64", "/lib32", "/libx32",
		"/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32",
		"/usr/local/lib",
	};
	uint64_t		 fs, access;
	size_t			 i;
	int			 abi, llfd, rootfd = -1, pledged, nowrite;

	pledged = se != NULL && se->se_pledge[0] != '\0';
	nowrite = pledged && (se->se_promises & PLEDGE_WPATH) == 0;
	*fdp = -1;
	*abip = abi = unveil_landlock_abi();
	if (abi == 0)
		return 0;
	fs = unveil_fs(abi);
	llfd = unveil_ruleset(abi, fs, net,
	    LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL);
	if (llfd == -1) {
		snprintf(err, errlen, "landlock_create_ruleset: %s",
		    strerror(errno));
		return -1;
	}
	if (root != NULL && root[0] != '\0' && strcmp(root, "/") != 0) {
		rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd == -1) {
			snprintf(err, errlen, "chroot %s: %s", root,
			    strerror(errno));
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		access = unveil_access(u[i].ur_perms) & fs;
		if (access == 0) {
			snprintf(err, errlen, "unveil %s: no permissions",
			    u[i].ur_path);
			goto fail;
		}
		if (nowrite)
			access &= ~LL_FS_WROTE;
		if (access == 0)
			continue;	/* it could only write there */
		if (unveil_path(llfd, rootfd, root, u[i].ur_path, access,
		    !(u[i].ur_perms & UNVEIL_OPTIONAL), err, errlen) == -1)
			goto fail;
	}
	if (pledged && unveil_pledged(llfd, rootfd, root, se->se_promises, fs,
	    err, errlen) == -1)
		goto fail;
	if (program != NULL && unveil_exec(llfd, rootfd, root, program,
	    0, err, errlen) == -1)
		goto fail;
	for (i = 0; i < nitems(libdirs); i++)
		if (unveil_path(llfd, rootfd, root, libdirs[i],
		    LL_FS_READ, 0, err, errlen) == -1)
			goto fail;
	if (unveil_path(llfd, rootfd, root, "/etc/ld.so.cache",
	    LANDLOCK_ACCESS_FS_READ_FILE, 0, err, errlen) == -1 ||
	    unveil_path(llfd, rootfd, root, "/etc/ld.so.preload",
	    LANDLOCK_ACCESS_FS_READ_FILE, 0, err, errlen) == -1)
		goto fail;
	if (rootfd != -1)
		close(rootfd);
	*fdp = llfd;
	return 0;
 fail:
	if (rootfd != -1)
		close(rootfd);
	close(llfd);
	return -1;
}

/*
 * What a pledge lets through whatever unveil says: /dev/null for every
 * pledge, then the paths its promises imply, each with the rights of fs
 * (those the ruleset handles).  All optional.
 */
static int
unveil_pledged(int llfd, int rootfd, const char *root, uint64_t promises,
    uint64_t fs, char *err, size_t errlen)
{
	uint64_t		 access;
	size_t			 i;

	access = unveil_access(UNVEIL_R | UNVEIL_W) & fs;
	if (access != 0 && unveil_path(llfd, rootfd, root, "/dev/null",
	    access, 0, err, errlen) == -1)
		return -1;
	for (i = 0; i < nitems(implied); i++) {
		if ((promises & implied[i].im_promise) == 0)
			continue;
		access = unveil_access(implied[i].im_perms) & fs;
		if (access != 0 && unveil_path(llfd, rootfd, root,
		    implied[i].im_path, access, 0, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/*
 * A pledge without "wpath" and without an unveil list: a ruleset that
 * handles writing (and making block devices) alone, so that the service
 * writes only what its pledge lets through.
 */
static int
unveil_writes(const struct servconf *se, int abi, uint64_t net, int *fdp,
    char *err, size_t errlen)
{
	uint64_t	 fs;
	int		 llfd, rootfd = -1, saved;

	fs = LANDLOCK_ACCESS_FS_MAKE_BLOCK | (LL_FS_WROTE & unveil_fs(abi));
	if ((llfd = unveil_ruleset(abi, fs, net, 0)) == -1) {
		snprintf(err, errlen, "landlock_create_ruleset: %s",
		    strerror(errno));
		return -1;
	}
	if (se->se_chroot[0] != '\0' && strcmp(se->se_chroot, "/") != 0 &&
	    (rootfd = open(se->se_chroot, O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		saved = errno;
		close(llfd);
		snprintf(err, errlen, "chroot %s: %s", se->se_chroot,
		    strerror(saved));
		return -1;
	}
	if (unveil_pledged(llfd, rootfd, rootfd != -1 ? se->se_chroot : NULL,
	    se->se_promises, fs, err, errlen) == -1) {
		if (rootfd != -1)
			close(rootfd);
		close(llfd);
		return -1;
	}
	if (rootfd != -1)
		close(rootfd);
	*fdp = llfd;
	return 0;
}

/*
 * The Landlock ruleset of a service that runs a program, for the spawner
 * to build once; the child enters it.  With unveil (or the list a pledge
 * implies), that list.  Without, a ruleset that handles only the right
 * to make block devices, which needs a capability no service keeps, so
 * it forbids no path.  Either way the service gets a Landlock domain of
 * its own, and Landlock lets a process in a domain trace, and open
 * /proc/PID/mem of, only processes in that domain or beneath it: no
 * service reaches another, even of its own user, nor any process outside
 * inetd.  A pledge without "inet" or "dns" also gets TCP bind and
 * connect handled, and so refused: seccomp cannot see the address given
 * to connect, and "unix" allows the call for an inherited TCP socket.
 * A pledge without "wpath" writes only what it lets through
 * (unveil_pledged).
 * *fdp stays -1 and *abip 0 where the kernel lacks Landlock.
 */
int
unveil_service(const struct servconf *se, int *fdp, int *abip, char *err,
    size_t errlen)
{
	uint64_t	 net = 0;
	int		 abi;

	if (se->se_pledge[0] != '\0' &&
	    (se->se_promises & (PLEDGE_INET | PLEDGE_DNS)) == 0)
		net = LANDLOCK_ACCESS_NET_BIND_TCP |
		    LANDLOCK_ACCESS_NET_CONNECT_TCP;
	if (se->se_nunveil > 0)
		return unveil_build_net(se->se_unveil, se->se_nunveil,
		    se->se_program, se->se_chroot[0] ? se->se_chroot : NULL,
		    net, se, fdp, abip, err, errlen);
	*fdp = -1;
	*abip = abi = unveil_landlock_abi();
	if (abi == 0)
		return 0;
	if (se->se_pledge[0] != '\0' && (se->se_promises & PLEDGE_WPATH) == 0)
		return unveil_writes(se, abi, net, fdp, err, errlen);
	*fdp = unveil_ruleset(abi, LANDLOCK_ACCESS_FS_MAKE_BLOCK, net, 0);
	if (*fdp == -1) {
		snprintf(err, errlen, "landlock_create_ruleset: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Compare two entries by what unveil_service() builds their rulesets
 * from, and nothing else: whether and what they pledge, their unveil
 * list, their chroot, and the program when there is a list (the program
 * and what runs it are added to the list).  Entries that compare equal
 * get rulesets that allow and refuse the same, so one ruleset may serve
 * them all: each child that enters it still gets a domain of its own.
 * A field added to unveil_service() must be added here.
 */
int
unveil_cmp(const struct servconf *a, const struct servconf *b)
{
	int	 pa = a->se_pledge[0] != '\0', pb = b->se_pledge[0] != '\0';
	int	 i, r;

	if (pa != pb)
		return pa < pb ? -1 : 1;
	if (a->se_promises != b->se_promises)
		return a->se_promises < b->se_promises ? -1 : 1;
	if (a->se_nunveil != b->se_nunveil)
		return a->se_nunveil < b->se_nunveil ? -1 : 1;
	for (i = 0; i < a->se_nunveil; i++) {
		if (a->se_unveil[i].ur_perms != b->se_unveil[i].ur_perms)
			return a->se_unveil[i].ur_perms <
			    b->se_unveil[i].ur_perms ? -1 : 1;
		if ((r = strcmp(a->se_unveil[i].ur_path,
		    b->se_unveil[i].ur_path)) != 0)
			return r;
	}
	if ((r = strcmp(a->se_chroot, b->se_chroot)) != 0)
		return r;
	if (a->se_nunveil > 0)
		return strcmp(a->se_program, b->se_program);
	return 0;
}

static int
unveil_qcmp(const void *a, const void *b)
{
	return unveil_cmp(*(struct servconf *const *)a,
	    *(struct servconf *const *)b);
}

/*
 * The entries of c the spawner builds a ruleset for (programs run
 * without new privileges), ordered so that those that may share one are
 * next to each other, *np of them.  NULL for an empty table; the caller
 * frees.
 */
struct servconf **
unveil_sorted(const struct conf *c, size_t *np)
{
	struct servconf	*se, **v;
	size_t		 n = 0;

	*np = 0;
	TAILQ_FOREACH(se, &c->c_services, se_entry)
		n++;
	if (n == 0)
		return NULL;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		fatal("calloc");
	n = 0;
	TAILQ_FOREACH(se, &c->c_services, se_entry)
		if (se->se_builtin == BI_NONE && !se->se_newprivs)
			v[n++] = se;
	qsort(v, n, sizeof(*v), unveil_qcmp);
	*np = n;
	return v;
}

/* How many rulesets the spawner holds for c. */
size_t
unveil_count(const struct conf *c)
{
	struct servconf	**v;
	size_t		  i, n, distinct = 0;

	v = unveil_sorted(c, &n);
	for (i = 0; i < n; i++)
		if (i == 0 || unveil_cmp(v[i - 1], v[i]) != 0)
			distinct++;
	free(v);
	return distinct;
}

/* In the child, after the credentials are dropped: enter the domain. */
int
unveil_apply(int fd)
{
	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	if (syscall(SYS_landlock_restrict_self, fd, 0) == -1)
		return -1;
	return 0;
}

/*
 * A domain with every filesystem right and TCP bind and connect handled
 * and nothing allowed.  0 if done, 1 if the kernel lacks Landlock.
 */
int
unveil_deny_all(void)
{
	int	 abi, fd, saved;

	if ((abi = unveil_landlock_abi()) == 0)
		return 1;
	fd = unveil_ruleset(abi, unveil_fs(abi),
	    LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP,
	    LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL);
	if (fd == -1)
		return -1;
	if (unveil_apply(fd) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}
