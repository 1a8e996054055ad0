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

# Three processes named by role; the listener runs as _inetd inside the
# empty chroot; when the parent goes, so do the children, and the port.
. "$(dirname "$0")/lib.sh"
need_tool nc pgrep

install_echod
start_inetd <<CONF || { failure start; exit 0; }
9999 stream tcp nowait daemon $T/echod.sh
CONF

lp=$(role_pid listener)
sp=$(role_pid spawner)
[ -n "$lp" ] && [ -n "$sp" ] && pgrep -f '^inetd: parent' | grep -qx "$INETD_PID" &&
    success ps-names || failure ps-names "listener '$lp' spawner '$sp'"

luid=$(awk '/^Uid:/ {print $2, $3, $4, $5}' /proc/$lp/status)
iuid=$(id -u _inetd)
[ "$luid" = "$iuid $iuid $iuid $iuid" ] && success listener-uid || failure listener-uid "Uid: $luid"
root=$(readlink /proc/$lp/root)
[ "$root" = /var/empty ] && success listener-chroot || failure listener-chroot "root is $root"
[ "$(awk '/^NoNewPrivs:/ {print $2}' /proc/$lp/status)" = 1 ] &&
    success listener-nonewprivs || failure listener-nonewprivs

# The spawner never holds a listening socket: its channels to the
# parent and the listener only (and to the keys and TLS processes,
# which a configuration without tls= does not start).
n=$(ls -l /proc/$sp/fd | grep -c socket)
[ "$n" = 2 ] && success spawner-sockets || failure spawner-sockets "$n sockets"

# The listener dies: the parent starts fresh children and service goes on.
kill -9 "$lp"
wait_log 'restarting listener, spawner and keys' 10 &&
    wait_for 10 sh -c "[ -n \"\$(pgrep -P $INETD_PID -f '^inetd: listener')\" ] && \
    ! kill -0 $lp 2>/dev/null" &&
    wait_for 10 sh -c "printf 'x\n' | nc -N -w 2 127.0.0.1 9999 | grep -q x" &&
    success restart || failure restart

# The parent is killed: children see end of file and exit, port freed.
lp=$(role_pid listener)
sp=$(role_pid spawner)
kill -9 "$INETD_PID"
wait "$INETD_PID" 2>/dev/null
INETD_PID=
gone() { ! kill -0 "$lp" 2>/dev/null && ! kill -0 "$sp" 2>/dev/null; }
wait_for 10 gone && success parent-exit || failure parent-exit "children still there"
free() { ! nc -z 127.0.0.1 9999; }
wait_for 10 free && success port-freed || failure port-freed
