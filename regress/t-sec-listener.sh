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

# Audit findings the listener closes.  tcpmux checks the whole name line,
# NUL included.  L-8: tcpmux and stream built-in connections have
# deadlines that a client cannot push back by trickling bytes.  M-4: UDP
# built-ins answer within a reply budget, chargen answers no more than it
# is sent, and a UDP built-in on an address other than loopback needs
# udp-reflect=yes.
. "$(dirname "$0")/lib.sh"
NAME=sec
need_tool nc /usr/bin/python3

PY=/usr/bin/python3

# trickle host port prefix limit [every]: connect, send prefix (printf
# escapes), then one byte every "every" seconds (1 unless given) until
# the server has closed the connection, not only its side of it (a
# send fails); print "closed" with the seconds it took, or "open" after
# limit seconds.  The client's pace is its behaviour under test, not a
# wait for the daemon.
trickle() {
	"$PY" - "$@" <<'EOF'
import select, socket, sys, time
host, port, pre, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    float(sys.argv[4])
every = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
pre = pre.encode().decode("unicode_escape").encode("latin-1")
s = socket.create_connection((host, port))
t0 = time.monotonic()
s.sendall(pre)
nxt = t0 + every
eof = False
while time.monotonic() - t0 < limit:
    r, _, _ = select.select([] if eof else [s], [], [],
        max(0, nxt - time.monotonic()))
    try:
        if r:
            eof = not s.recv(4096)
            continue
        s.send(b"a")
        nxt += every
    except OSError:
        break
else:
    print("open")
    sys.exit(0)
print("closed %d" % (time.monotonic() - t0))
EOF
}

if [ ! -x "$PY" ]; then
	skip all "no $PY for the clients"
	exit 0
fi

start_inetd <<CONF || { failure start; exit 0; }
tcpmux		stream	tcp	nowait	root	internal
tcpmux/+hello	stream	tcp	nowait	daemon	/bin/echo echo HELLO-RAN
127.0.0.1:discard	stream	tcp	nowait	root	internal
127.0.0.1:echo		dgram	udp	wait	root	internal
127.0.0.1:chargen	dgram	udp	wait	root	internal
CONF

# A NUL in the name is a control character: refused, nothing started.
out=$(printf 'hello\0x\r\n' | nc -N -w 5 127.0.0.1 1 | tr -d '\r')
case $out in
-*HELLO-RAN*|+*)
	failure tcpmux-nul-name "started: '$(printf '%s' "$out" | tr '\n' ' ')'" ;;
-*)	success tcpmux-nul-name ;;
*)	failure tcpmux-nul-name "got '$out'" ;;
esac
# The same name without the NUL runs, so only the NUL made the difference.
out=$(printf 'hello\r\n' | nc -N -w 5 127.0.0.1 1 | tr -d '\r' | tr '\n' ' ')
[ "$out" = "+Go HELLO-RAN " ] && success tcpmux-nul-name-control ||
    failure tcpmux-nul-name-control "got '$out'"

# L-8: a byte a second never makes a name line, and never moves the
# deadline (10 s from accept); a refused connection drains for at most
# 5 s more, however slowly the client goes on sending.  The bound of
# 30 s is generous; the connection used to stay for hours.
trickle 127.0.0.1 1 '' 30 > "$T/tm1" &
p1=$!
trickle 127.0.0.1 1 'nosuch\r\n' 30 > "$T/tm2" &
p2=$!
wait $p1 $p2
out=$(cat "$T/tm1")
case $out in
closed*) success l8-tcpmux-deadline ;;
*)	failure l8-tcpmux-deadline "after 30 s: $out" ;;
esac
out=$(cat "$T/tm2")
case $out in
closed*) success l8-tcpmux-drain-deadline ;;
*)	failure l8-tcpmux-drain-deadline "after 30 s: $out" ;;
esac

# L-8: a stream built-in is closed after 60 s without progress (512
# bytes either way); a byte a second is not progress.  It used to keep
# the connection for as long as the client went on.  Over a minute of
# waiting: only with INETD_LONG=1.
if [ -n "${INETD_LONG:-}" ]; then
	out=$(trickle 127.0.0.1 9 '' 100)
	case $out in
	closed*) success l8-builtin-deadline ;;
	*)	failure l8-builtin-deadline "after 100 s: $out" ;;
	esac
else
	skip l8-builtin-deadline "60 seconds; set INETD_LONG=1"
fi

# M-4: chargen answers a datagram with no more than it was sent, in
# whole lines of 74 bytes, at least one: a byte gets one line, not six.
printf 'x' | nc -u -w 1 127.0.0.1 19 > "$T/cg1"
n=$(wc -c < "$T/cg1")
[ "$n" = 74 ] && success m4-chargen-bounded ||
    failure m4-chargen-bounded "1 byte got $n bytes"
head -c 200 /dev/zero | nc -u -w 1 127.0.0.1 19 > "$T/cg200"
n=$(wc -c < "$T/cg200")
[ "$n" = 148 ] && success m4-chargen-bounded-200 ||
    failure m4-chargen-bounded-200 "200 bytes got $n bytes"

# M-4: a burst of datagrams from one source gets at most its budget
# (a burst of 10, then 5 a second) of replies; the rest are dropped,
# counted and logged.  Another source is still answered.
burst() {	# src count: send count datagrams to echo, print replies
	"$PY" - "$@" <<'EOF'
import select, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
for i in range(int(sys.argv[2])):
    s.sendto(b"burst", ("127.0.0.1", 7))
n = 0
while select.select([s], [], [], 1.0)[0]:
    s.recv(2048)
    n += 1
print(n)
EOF
}
n=$(burst 127.0.0.5 100)
if [ "$n" -lt 1 ] || [ "$n" -gt 15 ]; then
	failure m4-udp-budget "$n replies to 100 datagrams"
elif ! wait_log 'over their reply budget; [0-9]+ datagrams not' 5; then
	failure m4-udp-budget "no log line"
else
	success m4-udp-budget
fi
n=$(burst 127.0.0.6 1)
[ "$n" = 1 ] && success m4-udp-budget-per-source ||
    failure m4-udp-budget-per-source "another source got $n replies"

# M-4: a UDP internal service on an address other than loopback (the
# wildcard is one) needs udp-reflect=yes; with it, -n still warns.
conf() {	# name: the config on stdin; inetd -n's rc and output in $T
	cat > "$T/$1.conf"
	"$INETD" -n "$T/$1.conf" > "$T/$1.out" 2>&1
	echo $? > "$T/$1.rc"
}
conf noreflect <<'CONF'
echo	stream	tcp	nowait	root	internal
echo	dgram	udp	wait	root	internal
CONF
conf reflect <<'CONF'
echo	stream	tcp	nowait	root	internal
echo on protocol=udp, wait=yes, user=root, exec=internal, udp-reflect=yes;
CONF
conf reflectdef <<'CONF'
.defaults udp-reflect=yes;
chargen	dgram	udp	wait	root	internal
CONF
conf reflectbad <<'CONF'
echo on protocol=udp, wait=yes, user=root, exec=internal, udp-reflect=1;
CONF
if [ "$(cat "$T/noreflect.rc")" = 1 ] && grep -q \
    "noreflect.conf:2: echo/udp: .*needs udp-reflect=yes" "$T/noreflect.out"
then
	success m4-udp-nonloopback-needs-key
else
	failure m4-udp-nonloopback-needs-key \
	    "rc $(cat "$T/noreflect.rc"): $(head -1 "$T/noreflect.out")"
fi
if [ "$(cat "$T/reflect.rc")" = 0 ] && grep -q \
    "reflect.conf:2: warning: UDP built-in echo on a non-loopback" \
    "$T/reflect.out" && grep -q 'udp-reflect=yes' "$T/reflect.out" &&
    [ "$(cat "$T/reflectdef.rc")" = 0 ]; then
	success m4-udp-nonloopback-with-key
else
	failure m4-udp-nonloopback-with-key \
	    "rc $(cat "$T/reflect.rc"): $(head -1 "$T/reflect.out")"
fi
[ "$(cat "$T/reflectbad.rc")" = 1 ] && grep -q \
    'reflectbad.conf:1: udp-reflect=1: expected yes or no' \
    "$T/reflectbad.out" && success m4-udp-reflect-bad-value ||
    failure m4-udp-reflect-bad-value "$(head -1 "$T/reflectbad.out")"
