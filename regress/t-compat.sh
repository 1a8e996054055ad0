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
# Reads one datagram, answers it in capitals with the mode of its socket,
# then lingers: a second datagram is answered meanwhile only if it starts
# a program of its own.
cat > "$T/updg.py" <<'PY'
import fcntl, os, socket, time
mode = "nonblock" if fcntl.fcntl(0, fcntl.F_GETFL) & os.O_NONBLOCK else "block"
s = socket.socket(fileno=0)
d, a = s.recvfrom(512)
s.sendto(d.upper() + b" " + mode.encode(), a)
time.sleep(3)
PY
# Never reads its datagram.
cat > "$T/noread.py" <<'PY'
import time
time.sleep(4)
PY
chmod 644 "$T/updg.py" "$T/noread.py"
py=$(PATH=/usr/bin:/bin command -v python3)

confbase() {
	cat <<CONF
127.0.0.1,::1:7501 stream tcp nowait _inetdt /bin/cat cat
[::1],127.0.0.2:7502 stream tcp nowait _inetdt /bin/cat cat
127.0.0.3,127.0.0.4:
7503 stream tcp nowait _inetdt /bin/cat cat
[::1],127.0.0.5:
7507 stream tcp nowait _inetdt /bin/cat cat
*:
7504 stream tcp,sndbuf=64k,rcvbuf=32768 nowait _inetdt /bin/cat cat
7505 dgram udp nowait _inetdt $py python3 $T/updg.py
bufs on protocol=tcp, port=7506, wait=no, user=_inetdt, sndbuf=16k,
	recvbuf=16k, exec=/bin/cat;
::1,127.0.0.6:7508 stream tcp nowait _inetdt /bin/cat cat
[::1]:7509 stream tcp nowait _inetdt /bin/cat cat
127.0.0.1,::1:daytime stream tcp nowait root internal
7510 stream tcp,sndbuf=64m nowait _inetdt /bin/cat cat
7511 dgram udp nowait _inetdt /bin/true true
7512 dgram udp wait _inetdt $py python3 $T/updg.py
CONF
}
confbase > "$T/base.conf"
start_inetd < "$T/base.conf" || { failure start; exit 0; }

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
if [ "$(ask ::1 7507 g)" = g ] && [ "$(ask 127.0.0.5 7507 h)" = h ]; then
	success host-list-sticky-brackets
else
	failure host-list-sticky-brackets
fi
# An IPv6 address without brackets first: not a FreeBSD socket path.
if [ "$(ask ::1 7508 i)" = i ] && [ "$(ask 127.0.0.6 7508 j)" = j ]; then
	success host-list-bare-v6
else
	failure host-list-bare-v6
fi
[ "$(ask ::1 7509 k)" = k ] && success tcp-v6-address ||
    failure tcp-v6-address
# OpenBSD's own example, with a built-in.
d4=$(timeout 5 nc -w 5 127.0.0.1 13 </dev/null 2>/dev/null)
d6=$(timeout 5 nc -w 5 ::1 13 </dev/null 2>/dev/null)
if [ -n "$d4" ] && [ -n "$d6" ]; then
	success host-list-internal
else
	failure host-list-internal "got '$d4' '$d6'"
fi

# The kernel doubles what SO_SNDBUF and SO_RCVBUF are given.
skmem() {
	ss -Hltmn "( sport = :$1 )" | tr -d '\n' | grep -o "$2[0-9]*" | head -1
}
if [ "$(skmem 7504 tb)" = tb131072 ] && [ "$(skmem 7504 rb)" = rb65536 ] &&
    [ "$(skmem 7506 tb)" = tb32768 ] && [ "$(skmem 7506 rb)" = rb32768 ] &&
    [ "$(ask 127.0.0.1 7504 g)" = g ]; then
	success sockbuf
else
	failure sockbuf "7504 $(skmem 7504 tb) $(skmem 7504 rb)," \
	    "7506 $(skmem 7506 tb) $(skmem 7506 rb)"
fi
# A connection accepted on the socket starts with its sizes.
estab() {
	ss -Htmn state established "( sport = :7504 )" | tr -d '\n' |
	    grep -o 'tb[0-9]*' | head -1
}
estab_seen() { [ -n "$(estab)" ]; }
sleep 10 | nc 127.0.0.1 7504 >/dev/null 2>&1 &
client=$!
if wait_for 5 estab_seen && [ "$(estab)" = tb131072 ]; then
	success sockbuf-accepted
else
	failure sockbuf-accepted "$(estab)"
fi
pkill -P "$client" 2>/dev/null
kill "$client" 2>/dev/null
wait "$client" 2>/dev/null
# More than the kernel allows: it caps the size, and the log says so.
if [ "$(cat /proc/sys/net/core/wmem_max)" -ge 67108864 ]; then
	skip sockbuf-capped "net.core.wmem_max allows 64 megabytes"
elif wait_log '7510/tcp: sndbuf 67108864 capped by the kernel at' 5; then
	success sockbuf-capped
else
	failure sockbuf-capped
fi

# dgram nowait: the second datagram is answered while the first
# program still lingers (as a wait service it would wait 3 seconds).
udp() {
	printf '%s' "$2" | timeout 3 nc -u -w 1 127.0.0.1 "$1" 2>/dev/null
}
one=$(udp 7505 hello)
two=$(udp 7505 again)
if [ "${one% *}" = HELLO ] && [ "${two% *}" = AGAIN ]; then
	success dgram-nowait
else
	failure dgram-nowait "got '$one' '$two'"
fi
# Its socket blocks, as every inetd hands it and as a wait one's does.
[ "$one" = "HELLO block" ] && success dgram-nowait-blocking ||
    failure dgram-nowait-blocking "got '$one'"
# A program that exits without reading: its datagram is dropped, and
# the next one starts the program again.
dropped() {
	[ "$(count_log '7511/udp: program exited without reading')" -ge "$1" ]
}
udp 7511 x >/dev/null
wait_for 5 dropped 1
udp 7511 y >/dev/null
if wait_for 5 dropped 2; then
	success dgram-nowait-unread
else
	failure dgram-nowait-unread "$(count_log '7511/udp: program exited')"
fi

# A reload makes the wait service nowait while its program runs: once
# that program exits, the next datagram is served.
[ "$(udp 7512 w1)" = "W1 block" ] || failure dgram-wait-to-nowait "no W1"
confbase | sed 's/^7512 dgram udp wait/7512 dgram udp nowait/' \
    > "$T/inetd.conf"
hup || failure dgram-wait-to-nowait "no reload"
wait_log '7512/udp: pid [0-9]+ exited' 10
out=$(udp 7512 w2)
[ "$out" = "W2 block" ] && success dgram-wait-to-nowait ||
    failure dgram-wait-to-nowait "got '$out'"

# A reload removes a dgram nowait service whose program has not read
# its datagram yet: the listener goes on, and serves the rest.
cat >> "$T/inetd.conf" <<CONF
7513 dgram udp nowait _inetdt $py python3 $T/noread.py
CONF
hup || failure dgram-removed "no reload"
lpid=$(role_pid listener)
udp 7513 z >/dev/null &
wait_log '7513/udp: started pid' 5
confbase > "$T/inetd.conf"
hup || failure dgram-removed "no reload"
if [ "$(ask 127.0.0.1 7501 l)" = l ] && [ "$(role_pid listener)" = "$lpid" ] &&
    [ "$(count_log 'killed by signal|restarting listener')" = 0 ]; then
	success dgram-removed
else
	failure dgram-removed \
	    "$(grep -E 'killed by signal|restarting' "$T/log" | head -1)"
fi
stop_inetd

out=$("$INETD" -n "$T/base.conf" 2>&1)
if printf '%s\n' "$out" | grep -q 'sndbuf 65536, rcvbuf 32768' &&
    [ "$(printf '%s\n' "$out" | grep -c ':1: 7501 ')" = 2 ] &&
    printf '%s\n' "$out" | grep -q ':12: 7508 \[::1\]:7508 tcp ' &&
    printf '%s\n' "$out" | grep -q ':16: 7511 0.0.0.0:7511 udp nowait '
then
	success show
else
	failure show "$(printf '%s\n' "$out" | head -3)"
fi

# A listener that asks for more: the spawner holds a dgram nowait
# service to its own max-child, rate and socket.
SHIM=$REGRESS/evilshim.so
nprocs() { pgrep -u _inetdt -fx "$1" | wc -l; }
end_procs() {
	local p
	for p in $(pgrep -u _inetdt -fx "$1"); do kill -9 "$p"; done
}
evil_case() {
	if [ ! -f "$SHIM" ]; then
		skip "$1" "no $SHIM (make -C regress evilshim.so)"
		return 1
	fi
	INETD_ENV=("LD_PRELOAD=$SHIM" "${@:2}")
	start_inetd && return 0
	failure "$1" "inetd did not start"
	return 1
}
if evil_case hostile-max-child EVIL_REPEAT=5 <<CONF
mc on protocol=udp, port=7520, wait=no, user=_inetdt, max-child=1,
	exec=/bin/sleep, args=sleep 44;
CONF
then
	# The datagram no program reads starts each restarted pair again,
	# until the parent stops; no spawner ever runs two at once.
	udp 7520 x >/dev/null
	wait_log 'mc/udp: asked for a child beyond max-child 1' 5 &&
	    wait_log 'restarting listener, spawner and keys' 5
	most=$(awk '/restarting listener, spawner and keys/ { n = 0 }
	    /mc\/udp: started pid/ { if (++n > m) m = n }
	    END { print m + 0 }' "$T/log")
	if grep -q 'mc/udp: asked for a child beyond max-child 1' "$T/log" &&
	    [ "$most" -le 1 ]; then
		success hostile-max-child
	else
		failure hostile-max-child "$most started by one spawner"
	fi
	end_procs 'sleep 44'
	stop_inetd
fi
if evil_case hostile-rate EVIL_REPEAT=10 <<CONF
rt on protocol=udp, port=7521, wait=no, user=_inetdt, max=2,
	exec=/bin/sleep, args=sleep 45;
CONF
then
	udp 7521 x >/dev/null
	if wait_log 'rt/udp: more than 4 spawns in 60 seconds asked for' 5 &&
	    wait_for 5 sh -c "[ \$(pgrep -u _inetdt -fx 'sleep 45' | wc -l) = 4 ]" &&
	    [ "$(nprocs 'sleep 45')" = 4 ]; then
		success hostile-rate
	else
		failure hostile-rate "$(nprocs 'sleep 45') running"
	fi
	end_procs 'sleep 45'
	stop_inetd
fi
if evil_case hostile-other-socket EVIL_FROM=0 EVIL_TO=1 <<CONF
127.0.0.1:7522 dgram udp nowait _inetdt /bin/cat cat
127.0.0.2:7522 dgram udp nowait root /usr/bin/id id
CONF
then
	out=$(udp 7522 x)
	if ! printf '%s' "$out" | grep -q 'uid=0' &&
	    wait_log '7522/udp: the listener handed a descriptor that is not' 5
	then
		success hostile-other-socket
	else
		failure hostile-other-socket "got '$out'"
	fi
	stop_inetd
fi
INETD_ENV=()

good='7509 stream tcp nowait root /bin/cat cat'
check_refused rpc "$good
rstatd/1-3 dgram rpc/udp wait root /usr/sbin/rpc.rstatd rpc.rstatd" \
    'Sun RPC services (rpc/udp) are not supported: .*portmapper' 2
check_refused auth 'auth stream tcp nowait root internal' \
    'no internal auth (ident) service.*ident daemon'
# NetBSD's ip_max is per-source= (t-source.sh drives it).
printf '%s\n' "x on protocol=tcp, port=7510, wait=no, user=root, ip_max=5, exec=/bin/cat;" > "$T/ipmax.conf"
case $("$INETD" -n "$T/ipmax.conf" 2>&1) in
*"per source: 5 at once"*) success ip-max ;;
*)	failure ip-max "$("$INETD" -n "$T/ipmax.conf" 2>&1 | head -3)" ;;
esac
check_refused sndbuf-bad '7509 stream tcp,sndbuf=lots nowait root /bin/cat' \
    'sndbuf=lots: expected a size'
check_refused sndbuf-big '7509 stream tcp,rcvbuf=65m nowait root /bin/cat' \
    'rcvbuf=65m: expected a size from 1 to 67108864'
check_refused proto-option '7509 stream tcp,accf=data nowait root /bin/cat' \
    'protocol option "accf=data"'
check_refused host-list-empty \
    '127.0.0.1,,::1:7509 stream tcp nowait root /bin/cat' 'empty host'
check_refused tcp4-v6 '::1,127.0.0.1:7509 stream tcp4 nowait root /bin/cat' \
    'address "::1"'
check_refused tcpmux-sockbuf 'tcpmux stream tcp nowait root internal
tcpmux/x stream tcp,sndbuf=4k nowait root /bin/cat cat' \
    'tcpmux services have no socket of their own' 2
exit 0
