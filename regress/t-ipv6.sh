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

# IPv6: tcp6 on ::1, v6-only sockets, tcp46 listening on both.
. "$(dirname "$0")/lib.sh"
need_tool nc

install_prog svcinfo
start_inetd <<CONF || { failure start; exit 0; }
[::1]:7080 stream tcp6 nowait daemon $T/svcinfo svcinfo env
7081 stream tcp6 nowait daemon $T/svcinfo six
7082 stream tcp46 nowait daemon $T/svcinfo both
[::1]:7083 dgram udp6 wait daemon $T/svcinfo svcinfo udpecho
CONF

out=$(nc -N -w 5 ::1 7080 < /dev/null)
printf '%s\n' "$out" | grep -qx 'TCPREMOTEIP=::1' &&
    printf '%s\n' "$out" | grep -qx 'TCPLOCALIP=::1' && success tcp6 || failure tcp6 "$out"
[ "$(nc -N -w 5 ::1 7081 < /dev/null)" = six ] && ! nc -z 127.0.0.1 7081 &&
    success v6only || failure v6only "tcp6 must not take IPv4"
[ "$(nc -N -w 5 ::1 7082 < /dev/null)" = both ] &&
    [ "$(nc -N -w 5 127.0.0.1 7082 < /dev/null)" = both ] &&
    success tcp46 || failure tcp46
out=$(printf 'hi6' | nc -u -w 2 ::1 7083)
[ "$out" = udp:hi6 ] && success udp6 || failure udp6 "got '$out'"
