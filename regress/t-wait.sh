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

# wait services: the program gets the listening socket itself.  A stream
# one is re-armed after it exits; a dgram one answers, and one that never
# reads its datagram does not loop.
. "$(dirname "$0")/lib.sh"
need_tool nc

install_prog svcinfo
start_inetd <<CONF || { failure start; exit 0; }
7010 stream tcp wait daemon $T/svcinfo svcinfo accept
7011 dgram udp wait daemon $T/svcinfo svcinfo udpecho
7012 dgram udp wait.5 daemon $T/svcinfo svcinfo udpnoread
CONF

out=$(say 7010 '')
[ "$out" = accepted ] && success stream || failure stream "got '$out'"
# The program exited: the listener must watch the socket again.
out=$(say 7010 '')
[ "$out" = accepted ] && success stream-rearmed || failure stream-rearmed "got '$out'"

out=$(printf 'ping' | nc -u -w 2 127.0.0.1 7011)
[ "$out" = udp:ping ] && success dgram || failure dgram "got '$out'"
out=$(printf 'again' | nc -u -w 2 127.0.0.1 7011)
[ "$out" = udp:again ] && success dgram-rearmed || failure dgram-rearmed "got '$out'"

# Never reads: the datagram is dropped once, not spawned for forever.
printf 'x' | nc -u -w 1 127.0.0.1 7012 >/dev/null
wait_log '7012/udp: program exited without reading its datagram' 5 &&
    success noread-logged || failure noread-logged
# A second datagram gets its one spawn too: had the first looped, the
# rate limit (5) would have paused the service by now.
printf 'y' | nc -u -w 1 127.0.0.1 7012 >/dev/null
wait_for 5 sh -c "[ \$(grep -c '7012/udp: program exited without' $T/log) = 2 ]"
n=$(grep -c '7012/udp: started pid' "$T/log")
[ "$n" = 2 ] && ! grep -q '7012/udp: more than' "$T/log" &&
    success noread-no-loop || failure noread-no-loop "$n spawns"
