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

# inetd -n shows each service's effective confinement and warns about
# root without pledge or unveil, the baseline opt-out, and UDP built-ins
# on non-loopback addresses.
. "$(dirname "$0")/lib.sh"

cat > "$T/c.conf" <<'CONF'
echo on protocol=udp, wait=yes, user=root, exec=internal, udp-reflect=yes;
127.0.0.1:daytime dgram udp wait root internal
9999 stream tcp nowait root /bin/cat
x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat,
	pledge="stdio rpath", unveil="/etc r" "/tmp rwc", rlimit-nofile=64,
	nice=5, umask=077, max-child=3, chroot=/;
y on protocol=tcp, port=7001, wait=no, user=daemon, exec=/bin/cat,
	new-privileges=yes;
CONF
out=$("$INETD" -n "$T/c.conf" 2>"$T/err"); rc=$?
err=$(cat "$T/err")
[ $rc = 0 ] && success exit-0 || failure exit-0 "rc $rc"
want='pledge "stdio rpath", unveil /etc r, /tmp rwc (landlock=required),'
want="$want umask 077, nice 5, rlimit-nofile 64"
printf '%s\n' "$out" | grep -q "$want" &&
    success shows-confinement || failure shows-confinement "$out"
printf '%s\n' "$out" | grep -A1 ':3: 9999' | grep -q 'user root uid 0' &&
    success shows-user || failure shows-user
printf '%s\n' "$err" |
    grep -q 'c.conf:3: warning: 9999/tcp runs as root without pledge or unveil' &&
    success warn-root || failure warn-root "$err"
# The opt-out keeps the baseline filter, as the manual says.
printf '%s\n' "$err" | grep -q 'c.conf:7: warning: y/tcp runs without no-new-privileges and Landlock (new-privileges=yes); the baseline filter stays' &&
    printf '%s\n' "$out" | grep -A3 ':7: y' | grep -q 'confinement: baseline filter, new-privileges=yes' &&
    success warn-optout || failure warn-optout "$err"
printf '%s\n' "$err" | grep -q 'c.conf:1: warning: UDP built-in echo on a non-loopback' &&
    ! printf '%s\n' "$err" | grep -q 'c.conf:2: warning' &&
    success warn-udp-builtin || failure warn-udp-builtin "$err"

x='x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat'
check_refused unknown-promise "$x, pledge=\"stdio frobnicate\";" 'unknown promise'
check_refused unveil-missing "$x, unveil=\"/nonexistent/dir r\";" 'unveil'
check_refused unveil-perms "$x, unveil=\"/etc rq\";" 'unveil'
check_refused optout-pledge "$x, pledge=stdio, new-privileges=yes;" \
    'cannot go with pledge'
check_refused chroot-missing "$x, chroot=/nonexistent;" 'not a directory'
check_refused builtin-pledge \
    'echo on protocol=tcp, wait=no, user=root, exec=internal, pledge=stdio;' \
    'internal services'
check_refused rlimit "$x, rlimit-nofile=lots;" 'rlimit-nofile=lots'
