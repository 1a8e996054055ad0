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
 * Whether root may trust what a path leads to: a configuration file or
 * a UNIX socket.  Every directory above it, both as named and after its
 * links, must be owned by root (or by whoever runs inetd -n) and
 * writable by no one else, a root-owned sticky directory (/tmp) aside,
 * where no one can rename or remove an entry not theirs; a link on the
 * way must be owned the same, and where it leads is checked on its own.
 * Once that holds, no one else can change what the path names.  Used by
 * the parser and by bind.c, the parent's two readers of such paths.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

static int	 safepath_dir(const char *, int, char *, size_t);

/* One directory, or a link to one when follow is 0. */
static int
safepath_dir(const char *dir, int follow, char *err, size_t errlen)
{
	struct stat	 st;
	uid_t		 me = geteuid();

	if ((follow ? stat(dir, &st) : lstat(dir, &st)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		if (st.st_uid == 0 || st.st_uid == me)
			return 0;
		snprintf(err, errlen, "directory %s is a link owned by uid %u",
		    dir, (unsigned)st.st_uid);
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || (st.st_uid != 0 && st.st_uid != me) ||
	    ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
	    ((st.st_mode & S_ISVTX) == 0 || st.st_uid != 0))) {
		snprintf(err, errlen, "directory %s is owned by uid %u and "
		    "mode %03o", dir, (unsigned)st.st_uid,
		    (unsigned)st.st_mode & 07777);
		return -1;
	}
	return 0;
}

/*
 * Every directory above the absolute path, named (links seen as links)
 * and then resolved.  On failure err says which one and why.
 */
int
safepath_dirs(const char *path, char *err, size_t errlen)
{
	char	 named[PATH_MAX], real[PATH_MAX], dir[PATH_MAX], *slash;
	int	 pass;

	if (path[0] != '/' || strlcpy(named, path, sizeof(named)) >=
	    sizeof(named)) {
		snprintf(err, errlen, "%s: not an absolute path", path);
		return -1;
	}
	slash = strrchr(named, '/');
	slash[slash == named ? 1 : 0] = '\0';
	if (realpath(named, real) == NULL) {
		snprintf(err, errlen, "%s: %s", named, strerror(errno));
		return -1;
	}
	for (pass = 0; pass < 2; pass++) {
		strlcpy(dir, pass == 0 ? named : real, sizeof(dir));
		for (;;) {
			if (safepath_dir(dir, pass, err, errlen) == -1)
				return -1;
			if ((slash = strrchr(dir, '/')) == NULL ||
			    (slash == dir && dir[1] == '\0'))
				break;
			slash[slash == dir ? 1 : 0] = '\0';
		}
	}
	return 0;
}
