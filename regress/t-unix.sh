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

# UNIX sockets: the path is the service; FreeBSD's :user:group:mode:
# prefix sets the socket file; a stale socket is replaced, a symlink at
# the path is never followed; SIGTERM removes the file.
. "$(dirname "$0")/lib.sh"
need_tool nc

install_prog svcinfo
test_user || { failure user; exit 0; }
touch "$T/victim"
ln -s "$T/victim" "$T/link.sock"
# A stale socket file left by a crash.
nc -lU "$T/stale.sock" & sp=$!
wait_for 5 test -S "$T/stale.sock"
kill $sp; wait $sp 2>/dev/null

start_inetd <<CONF || { failure start; exit 0; }
:_inetdt:daemon:660:$T/a.sock stream unix nowait _inetdt $T/svcinfo svcinfo env
$T/stale.sock stream unix nowait daemon $T/svcinfo stale
$T/link.sock stream unix nowait daemon $T/svcinfo link
CONF

out=$(nc -NU "$T/a.sock" < /dev/null)
printf '%s\n' "$out" | grep -qx 'PROTO=UNIX' &&
    printf '%s\n' "$out" | grep -qx 'UNIXREMOTEEUID=0' &&
    success env || failure env "$out"
st=$(stat -c '%U:%G:%a:%F' "$T/a.sock")
[ "$st" = "_inetdt:daemon:660:socket" ] && success mode || failure mode "$st"
[ "$(nc -NU "$T/stale.sock" < /dev/null)" = stale ] &&
    success stale-replaced || failure stale-replaced
[ -L "$T/link.sock" ] && [ -f "$T/victim" ] && [ ! -S "$T/victim" ] &&
    grep -q 'link.sock exists and is not a socket' "$T/log" &&
    success symlink-refused || failure symlink-refused

kill -TERM "$INETD_PID"
wait "$INETD_PID"; rc=$?
INETD_PID=
[ $rc = 0 ] && [ ! -e "$T/a.sock" ] && [ ! -e "$T/stale.sock" ] && [ -L "$T/link.sock" ] &&
    success term-unlinks || failure term-unlinks "rc $rc"

# A reload that changes only the socket file's owner and mode keeps the
# socket and applies them.
start_inetd <<CONF || { failure start2; exit 0; }
:_inetdt:daemon:660:$T/b.sock stream unix nowait daemon $T/svcinfo bee
CONF
ino=$(stat -c %i "$T/b.sock")
sed -i "s/:_inetdt:daemon:660:/:daemon:_inetdt2:604:/" "$T/inetd.conf"
kill -HUP "$INETD_PID"
wait_log '^generation 2 in force' 10
st=$(stat -c '%U:%G:%a:%i' "$T/b.sock")
[ "$st" = "daemon:_inetdt2:604:$ino" ] &&
    success reload-owner-mode || failure reload-owner-mode "$st (inode was $ino)"
[ "$(nc -NU "$T/b.sock" < /dev/null)" = bee ] && success reload-serves || failure reload-serves
