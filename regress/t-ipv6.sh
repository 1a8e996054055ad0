#!/bin/bash
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
