#!/bin/bash
# Copyright (c) 2026 the inetd authors.
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

# Users and groups are looked up in a child of the parent that lives for
# one load (parent/names.c): the name service modules nsswitch.conf
# names are never loaded into the parent, and one that crashes fails
# the load, not inetd.  The script runs in a mount namespace of its own,
# where nsswitch.conf names a module built here ("passwd: files regress"),
# which marks each process that loads it and aborts the process that
# asks it for the user "crashme".
if [ -z "${NAMES_MNTNS:-}" ] && [ "$(id -u)" -eq 0 ] &&
    unshare -m true 2>/dev/null; then
	export NAMES_MNTNS=1
	exec unshare -m --propagation private -- bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need_tool cc mount

if [ -z "${NAMES_MNTNS:-}" ]; then
	skip "" "no mount namespaces"
	exit 0
fi

cat > "$T/nss_regress.c" <<'EOF'
#include <errno.h>
#include <fcntl.h>
#include <nss.h>
#include <pwd.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Who loaded the module: a file named for the pid, in NSS_REGRESS. */
__attribute__((constructor)) static void
loaded(void)
{
	char	 path[4096];
	int	 fd;

	if (getenv("NSS_REGRESS") == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%d", getenv("NSS_REGRESS"),
	    (int)getpid());
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) != -1)
		close(fd);
}

enum nss_status
_nss_regress_getpwnam_r(const char *name, struct passwd *pw, char *buf,
    size_t len, int *errnop)
{
	(void)pw; (void)buf; (void)len;
	if (strcmp(name, "crashme") == 0)
		abort();
	*errnop = ENOENT;
	return NSS_STATUS_NOTFOUND;
}

enum nss_status
_nss_regress_initgroups_dyn(const char *user, gid_t group, long *start,
    long *size, gid_t **groups, long limit, int *errnop)
{
	(void)user; (void)group; (void)start; (void)size; (void)groups;
	(void)limit;
	*errnop = ENOENT;
	return NSS_STATUS_NOTFOUND;
}
EOF
if ! cc -shared -fPIC -o "$T/libnss_regress.so.2" "$T/nss_regress.c" \
    2>"$T/cc.err"; then
	failure build "the module: $(head -1 "$T/cc.err")"
	exit 0
fi
sed -E 's/^(passwd|group):.*/\1: files regress/' /etc/nsswitch.conf \
    > "$T/nsswitch.conf"
grep -q '^passwd: files regress' "$T/nsswitch.conf" ||
    echo 'passwd: files regress' >> "$T/nsswitch.conf"
grep -q '^group: files regress' "$T/nsswitch.conf" ||
    echo 'group: files regress' >> "$T/nsswitch.conf"
mkdir "$T/marks"
if ! mount --bind "$T/nsswitch.conf" /etc/nsswitch.conf; then
	skip "" "cannot mount over /etc/nsswitch.conf"
	exit 0
fi
INETD_ENV=(LD_LIBRARY_PATH="$T" NSS_REGRESS="$T/marks")

# The parent has not loaded the module: not at start-up, not at a
# reload.  The module was loaded, by the lookup process (the user's
# groups are asked of every module): else the check would prove nothing.
modules() {
	if [ -n "$(ls "$T/marks")" ] && [ ! -e "$T/marks/$INETD_PID" ] &&
	    ! grep -q libnss_regress "/proc/$INETD_PID/maps"; then
		success "$1"
	else
		failure "$1" "loaded by: $(ls "$T/marks" | tr '\n' ' ')" \
		    "(the parent is $INETD_PID)"
	fi
}
conf() {
	echo "echo stream tcp nowait root internal"
	echo "daytime stream tcp nowait $1 internal"
}
start_inetd < <(conf root) || { failure start; exit 0; }
modules start
hup || { failure reload "no new generation"; exit 0; }
modules reload

# A lookup that kills the module's process fails the load and nothing
# else: the parent lives, the table in force still answers, and the
# next load looks up again, in a new process.
conf crashme > "$T/inetd.conf"
kill -HUP "$INETD_PID"
if ! wait_log 'user "crashme": the lookup process ended' 10; then
	failure crash "no error for the lookup that crashed"
elif ! wait_log 'configuration not loaded' 5; then
	failure crash "the load did not fail"
elif ! kill -0 "$INETD_PID" 2>/dev/null; then
	failure crash "inetd is gone"
elif [ "$(ask 7 still)" != still ]; then
	failure crash "the table in force does not answer"
else
	conf root > "$T/inetd.conf"
	if hup && [ "$(ask 7 again)" = again ]; then
		success crash
	else
		failure crash "no load after the one that failed"
	fi
fi
exit 0
