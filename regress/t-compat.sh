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

# Lines other inetds accept: OpenBSD's host lists, FreeBSD's and NetBSD's
# dgram nowait programs and socket buffer sizes; and a clear word for
# what inetd refuses (Sun RPC, FreeBSD's internal auth, NetBSD's ip_max).
. "$(dirname "$0")/lib.sh"
need_tool nc ss python3
NAME=compat

test_user || { failure user "cannot make the test user"; exit 0; }
ip addr add ::1/128 dev lo 2>/dev/null
# Reads one datagram, answers it in capitals, then lingers: a second
# datagram is answered meanwhile only if it starts a program of its own.
cat > "$T/updg.py" <<'PY'
import socket, time
s = socket.socket(fileno=0)
d, a = s.recvfrom(512)
s.sendto(d.upper(), a)
time.sleep(3)
PY
chmod 644 "$T/updg.py"
py=$(PATH=/usr/bin:/bin command -v python3)

start_inetd <<CONF || { failure start; exit 0; }
127.0.0.1,::1:7501 stream tcp nowait _inetdt /bin/cat cat
[::1],127.0.0.2:7502 stream tcp nowait _inetdt /bin/cat cat
127.0.0.3,127.0.0.4:
7503 stream tcp nowait _inetdt /bin/cat cat
*:
7504 stream tcp,sndbuf=64k,rcvbuf=32768 nowait _inetdt /bin/cat cat
7505 dgram udp nowait _inetdt $py python3 $T/updg.py
bufs on protocol=tcp, port=7506, wait=no, user=_inetdt, sndbuf=16k,
	recvbuf=16k, exec=/bin/cat;
CONF

ask() { printf '%s\n' "$3" | timeout 5 nc -N -w 5 "$1" "$2" 2>/dev/null; }
if [ "$(ask 127.0.0.1 7501 a)" = a ] && [ "$(ask ::1 7501 b)" = b ]; then
	success host-list
else
	failure host-list "127.0.0.1 '$(ask 127.0.0.1 7501 a)' ::1 '$(ask ::1 7501 b)'"
fi
if [ "$(ask ::1 7502 c)" = c ] && [ "$(ask 127.0.0.2 7502 d)" = d ] &&
    ! nc -z -w 1 127.0.0.1 7502; then
	success host-list-brackets
else
	failure host-list-brackets
fi
if [ "$(ask 127.0.0.3 7503 e)" = e ] && [ "$(ask 127.0.0.4 7503 f)" = f ] &&
    ! nc -z -w 1 127.0.0.1 7503; then
	success host-list-sticky
else
	failure host-list-sticky
fi

# The kernel doubles what SO_SNDBUF and SO_RCVBUF are given.
skmem() { ss -Hltmn "( sport = :$1 )" | tr -d '\n' | grep -o "$2[0-9]*" | head -1; }
if [ "$(skmem 7504 tb)" = tb131072 ] && [ "$(skmem 7504 rb)" = rb65536 ] &&
    [ "$(skmem 7506 tb)" = tb32768 ] && [ "$(skmem 7506 rb)" = rb32768 ] &&
    [ "$(ask 127.0.0.1 7504 g)" = g ]; then
	success sockbuf
else
	failure sockbuf "7504 $(skmem 7504 tb) $(skmem 7504 rb), 7506 $(skmem 7506 tb) $(skmem 7506 rb)"
fi

# dgram nowait: the second datagram is answered while the first
# program still lingers (as a wait service it would wait 3 seconds).
udp() { printf '%s' "$1" | timeout 3 nc -u -w 1 127.0.0.1 7505 2>/dev/null; }
one=$(udp hello)
two=$(udp again)
if [ "$one" = HELLO ] && [ "$two" = AGAIN ]; then
	success dgram-nowait
else
	failure dgram-nowait "got '$one' '$two'"
fi
stop_inetd

out=$("$INETD" -n "$T/inetd.conf" 2>&1)
printf '%s\n' "$out" | grep -q 'sndbuf 65536, rcvbuf 32768' &&
    [ "$(printf '%s\n' "$out" | grep -c ':1: 7501 ')" = 2 ] &&
    success show || failure show "$(printf '%s\n' "$out" | head -3)"

check_refused rpc 'rstatd/1-3 dgram rpc/udp wait root /usr/sbin/rpc.rstatd rpc.rstatd' 'Sun RPC services (rpc/udp) are not supported'
check_refused auth 'auth stream tcp nowait root internal' 'no internal auth (ident) service'
check_refused ip-max 'x on protocol=tcp, port=7509, wait=no, user=root, ip_max=5, exec=/bin/cat;' 'ip_max: limits per client address are not supported'
check_refused sndbuf-bad '7509 stream tcp,sndbuf=lots nowait root /bin/cat cat' 'sndbuf=lots: expected a size'
check_refused proto-option '7509 stream tcp,accf=data nowait root /bin/cat cat' 'protocol option "accf=data"'
check_refused host-list-empty '127.0.0.1,,::1:7509 stream tcp nowait root /bin/cat cat' 'empty host'
exit 0
