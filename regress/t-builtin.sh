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

# Built-in services (echo, discard, chargen, daytime, time) over TCP and
# UDP, IPv4 and IPv6: what comes back, in the format of its RFC; the UDP
# loop guard; a peer that does not read does not stall the listener; the
# ceiling on connections at once.
. "$(dirname "$0")/lib.sh"
need_tool nc ss pgrep

# The classic lines name the services: services(5) must know them.
for s in echo discard chargen daytime time; do
	if ! getent services $s/tcp >/dev/null ||
	    ! getent services $s/udp >/dev/null; then
		skip all "no $s in the services database (netbase)"
		exit 0
	fi
done

# A second IPv6 address, to send from port 7 while the daemon has ::1.
ip -6 addr add fd00::2/128 dev lo nodad 2>/dev/null
GUARD_PORT=7777
# daytime is in UTC whatever the zone: give it one far from UTC.
INETD_ENV=(TZ=XXX-5:45)
start_inetd <<CONF || { failure start; exit 0; }
127.0.0.1:echo		stream	tcp	nowait	root	internal
127.0.0.1:discard	stream	tcp	nowait	root	internal
127.0.0.1:chargen	stream	tcp	nowait	root	internal
127.0.0.1:daytime	stream	tcp	nowait	root	internal
127.0.0.1:time		stream	tcp	nowait	root	internal
127.0.0.1:echo		dgram	udp	wait	root	internal
127.0.0.1:discard	dgram	udp	wait	root	internal
127.0.0.1:chargen	dgram	udp	nowait	root	internal
127.0.0.1:daytime	dgram	udp	nowait	root	internal
127.0.0.1:time		dgram	udp	wait	root	internal
[::1]:echo		stream	tcp6	nowait	root	internal
[::1]:discard		stream	tcp6	nowait	root	internal
[::1]:chargen		stream	tcp6	nowait	root	internal
[::1]:daytime		stream	tcp6	nowait	root	internal
[::1]:time		stream	tcp6	nowait	root	internal
[::1]:echo		dgram	udp6	nowait	root	internal
[::1]:discard		dgram	udp6	nowait	root	internal
[::1]:chargen		dgram	udp6	wait	root	internal
[::1]:daytime		dgram	udp6	wait	root	internal
[::1]:time		dgram	udp6	nowait	root	internal
echo on protocol=udp, bind=127.0.0.1, port=$GUARD_PORT, wait=no, user=root;
CONF

# tcp addr port: a client that sends stdin, then its EOF, and prints what
# comes back until the server closes.
tcp() {
	nc -N -w 5 "$1" "$2"
}
# udp addr port [nc options]: one datagram from stdin, the answer if any
# within a second.
udp() {
	local a=$1 p=$2
	shift 2
	nc -u -w 1 "$@" "$a" "$p"
}

# The expected chargen text: n lines, the first starting at character c.
chargen_expect() {
	awk -v first="$1" -v n="$2" 'BEGIN {
		for (i = 0; i < 95; i++)
			ring = ring sprintf("%c", 32 + i)
		ring = ring ring
		for (l = 0; l < n; l++)
			printf "%s\r\n", substr(ring, (first + l) % 95 + 1, 72)
	}'
}

# Lines of 72 characters and CRLF, each one character further along the
# ring than the one before; prints the number of good lines.
chargen_check() {
	awk 'BEGIN {
		for (i = 0; i < 95; i++)
			pos[sprintf("%c", 32 + i)] = i
		prev = -1
	}
	{
		if (length($0) != 73 || substr($0, 73) != "\r") exit 1
		f = pos[substr($0, 1, 1)]
		if (prev >= 0 && f != (prev + 1) % 95) exit 1
		for (i = 1; i <= 72; i++)
			if (pos[substr($0, i, 1)] != (f + i - 1) % 95) exit 1
		prev = f
		n++
	}
	END { print n + 0 }'
}

# daytime: one line, ctime(3) format in UTC, CRLF, within a minute.
daytime_ok() {
	local line=$1 t now
	local re='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) '
	re+='(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) '
	re+='[ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}'$'\r$'
	printf '%s' "$line" | grep -Eq "$re" ||
	    return 1
	[ "$(printf '%s' "$line" | wc -l)" = 1 ] || return 1
	t=$(date -u -d "${line%$'\r\n'}" +%s) || return 1
	now=$(date +%s)
	[ $((now - t)) -le 60 ] && [ $((t - now)) -le 60 ]
}

# time: exactly 4 bytes, big-endian seconds since 1900, within a minute.
time_ok() {
	local f=$1 b t now
	[ "$(wc -c < "$f")" = 4 ] || return 1
	set -- $(od -An -tu1 "$f")
	t=$(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 - 2208988800 ))
	now=$(date +%s)
	[ $((now - t)) -le 60 ] && [ $((t - now)) -le 60 ]
}

for fam in 4 6; do
	if [ $fam = 4 ]; then a=127.0.0.1; else a=::1; fi

	# echo: the same bytes, small and large (the buffer fills and
	# empties many times over).
	out=$(printf 'hello, world\n' | tcp $a 7)
	[ "$out" = "hello, world" ] && success tcp$fam-echo ||
	    failure tcp$fam-echo "got '$out'"
	head -c 1000000 /dev/urandom > "$T/big"
	if tcp $a 7 < "$T/big" | cmp -s - "$T/big"; then
		success tcp$fam-echo-1M
	else
		failure tcp$fam-echo-1M "not the same bytes"
	fi

	# discard: nothing back, and the connection stays open.
	exec {fd}<>/dev/tcp/$a/9
	printf 'one\n' >&$fd
	printf 'two\n' >&$fd
	read -r -t 1 -u $fd got; rc=$?
	exec {fd}>&-
	# read: > 128 is a timeout (still open), 1 is EOF (closed).
	[ $rc -gt 128 ] && success tcp$fam-discard ||
	    failure tcp$fam-discard "read returned $rc, '$got'"

	# chargen: 72-character lines, rotating by one, from ' ' on.
	nc -w 5 $a 19 < /dev/null | head -c $((74 * 300)) > "$T/cg"
	if chargen_expect 0 300 | cmp -s - "$T/cg"; then
		success tcp$fam-chargen
	else
		failure tcp$fam-chargen "$(head -c 148 "$T/cg" | od -c | head -3)"
	fi

	out=$(tcp $a 13 < /dev/null)
	daytime_ok "$out"$'\n' && success tcp$fam-daytime ||
	    failure tcp$fam-daytime "got '$out'"

	tcp $a 37 < /dev/null > "$T/time"
	time_ok "$T/time" && success tcp$fam-time ||
	    failure tcp$fam-time "got $(od -An -tx1 "$T/time")"

	# UDP.
	out=$(printf 'datagram' | udp $a 7)
	[ "$out" = datagram ] && success udp$fam-echo ||
	    failure udp$fam-echo "got '$out'"

	out=$(printf 'x' | udp $a 9 | wc -c)
	[ "$out" = 0 ] && success udp$fam-discard ||
	    failure udp$fam-discard "got $out bytes"

	printf 'x' | udp $a 19 > "$T/cgu"
	n=$(chargen_check < "$T/cgu")
	sz=$(wc -c < "$T/cgu")
	[ "$n" -ge 1 ] && [ $((n * 74)) = "$sz" ] && [ "$sz" -le 512 ] &&
	    success udp$fam-chargen ||
	    failure udp$fam-chargen "$n good lines in $sz bytes"

	out=$(printf 'x' | udp $a 13)
	daytime_ok "$out"$'\n' && success udp$fam-daytime ||
	    failure udp$fam-daytime "got '$out'"

	printf 'x' | udp $a 37 > "$T/time"
	time_ok "$T/time" && success udp$fam-time ||
	    failure udp$fam-time "got $(od -An -tx1 "$T/time")"
done

# A reply is never larger than its bound: a datagram of 1472 bytes is
# echoed, one larger is dropped, not cut.
head -c 1472 /dev/urandom > "$T/d1472"
head -c 2000 /dev/urandom > "$T/d2000"
udp 127.0.0.1 7 < "$T/d1472" | cmp -s - "$T/d1472" &&
    success udp-echo-1472 || failure udp-echo-1472 "not echoed"
out=$(udp 127.0.0.1 7 < "$T/d2000" | wc -c)
[ "$out" = 0 ] && success udp-echo-toolarge ||
    failure udp-echo-toolarge "got $out bytes"

# The loop guard.  The daemon holds port 7 of 127.0.0.1 and ::1, so the
# clients send from 127.0.0.2 and fd00::2.  What the same client gets
# from an ordinary port shows that only the port makes the difference.
guard() {	# name src sport dst [log pattern]
	local name=$1 src=$2 sport=$3 dst=$4 pat=${5:-} out
	out=$(printf 'loop?' | udp $dst 7 -s $src -p $sport)
	if [ -n "$out" ]; then
		failure $name "answered: '$out'"
	elif [ -n "$pat" ] && ! wait_log "$pat" 5; then
		failure $name "no log line '$pat'"
	else
		success $name
	fi
}
out=$(printf 'normal' | udp 127.0.0.1 7 -s 127.0.0.2 -p 40007)
[ "$out" = normal ] && success udp4-guard-normal ||
    failure udp4-guard-normal "got '$out'"
guard udp4-guard-port7 127.0.0.2 7 127.0.0.1 \
    'no reply to 127\.0\.0\.2 port 7: privileged'
guard udp4-guard-port19 127.0.0.2 19 127.0.0.1 \
    'no reply to 127\.0\.0\.2 port 19: privileged'
# Any privileged port, not only those of the classic services.
guard udp4-guard-port100 127.0.0.2 100 127.0.0.1 \
    'no reply to 127\.0\.0\.2 port 100: privileged'
if ip -6 addr show dev lo | grep -q fd00::2; then
	out=$(printf 'normal' | udp ::1 7 -s fd00::2 -p 40007)
	[ "$out" = normal ] && success udp6-guard-normal ||
	    failure udp6-guard-normal "got '$out'"
	guard udp6-guard-port7 fd00::2 7 ::1 \
	    'no reply to fd00::2 port 7: privileged'
	guard udp6-guard-port19 fd00::2 19 ::1
else
	skip udp6-guard "no second IPv6 address"
fi
# An unprivileged port of one of our UDP built-ins.  The listener learns
# them from the configuration, and says so.
if grep -q 'UDP services in the loop guard' "$T/log"; then
	guard udp4-guard-ourport 127.0.0.2 $GUARD_PORT 127.0.0.1 \
	    "no reply to 127\.0\.0\.2 port $GUARD_PORT: source port of"
else
	skip udp4-guard-ourport "the listener does not pass the configuration"
fi
# A reload moves that built-in to the next port: the guard follows it,
# and the old port is an ordinary one again.
sed -i "s/port=$GUARD_PORT,/port=$((GUARD_PORT + 1)),/" "$T/inetd.conf"
if ! hup; then
	failure udp4-guard-reload "no new generation"
else
	out=$(printf 'normal' | udp 127.0.0.1 7 -s 127.0.0.2 -p $GUARD_PORT)
	if [ "$out" != normal ]; then
		failure udp4-guard-reload "port $GUARD_PORT, got '$out'"
	else
		guard udp4-guard-reload 127.0.0.2 $((GUARD_PORT + 1)) \
		    127.0.0.1 "no reply to 127\.0\.0\.2 port \
$((GUARD_PORT + 1)): source port of"
	fi
fi

# A peer that reads nothing of chargen fills its buffers; the listener
# goes on serving everyone else.
exec {cg}<>/dev/tcp/127.0.0.1/19
sendq() {	# the chargen connection's send queue is large
	ss -Htn state established '( sport = :19 )' |
	    awk '{ if ($2 > 65536) ok = 1 } END { exit !ok }'
}
if ! wait_for 10 sendq; then
	failure chargen-slow-reader "the send queue never filled"
else
	out=$(printf 'still here\n' | tcp 127.0.0.1 7)
	[ "$out" = "still here" ] && success chargen-slow-reader ||
	    failure chargen-slow-reader "echo got '$out'"
fi
exec {cg}>&-

# An echo client that writes and never reads: the listener stops reading
# it once its buffer is full, and serves the others.
exec {ec}<>/dev/tcp/127.0.0.1/7
head -c 20000000 /dev/zero >&$ec 2>/dev/null &
writer=$!
recvq() {	# the server has stopped reading: its receive queue fills
	ss -Htn state established '( sport = :7 )' |
	    awk '{ if ($1 > 32768) ok = 1 } END { exit !ok }'
}
if ! wait_for 10 recvq; then
	failure echo-no-read "the receive queue never filled"
else
	out=$(printf 'still here\n' | tcp 127.0.0.1 7)
	[ "$out" = "still here" ] && success echo-no-read ||
	    failure echo-no-read "echo got '$out'"
fi
kill $writer 2>/dev/null
wait $writer 2>/dev/null
exec {ec}>&-

# The ceiling: 256 connections at once; the next is closed at once and
# logged; when one ends, a new one is served again.
lpid=$(role_pid listener)
accepted() {	# n connections on the discard port, none left to accept
	[ "$(ss -Htn state established '( sport = :9 )' | wc -l)" = "$1" ] &&
	    ss -Hltn '( sport = :9 )' | awk '$2 != 0 { bad = 1 } END { exit bad }'
}
conns=()
for i in $(seq 256); do
	exec {fd}<>/dev/tcp/127.0.0.1/9 || break
	conns+=($fd)
done
ceil_ok=1
if ! wait_for 10 accepted 256; then
	ceil_ok=0; why="${#conns[@]} connections not all accepted"
else
	exec {extra}<>/dev/tcp/127.0.0.1/9
	read -r -t 5 -u $extra got; rc=$?
	exec {extra}>&-
	if [ $rc != 1 ]; then
		ceil_ok=0; why="the 257th was not closed (read $rc)"
	elif ! wait_log 'discard/tcp: 256 built-in connections at once' 5
	then
		ceil_ok=0; why="no log line"
	fi
fi
for fd in "${conns[@]}"; do exec {fd}>&-; done
[ $ceil_ok = 1 ] && success ceiling || failure ceiling "$why"
# Below the ceiling again: served.
below() { out=$(printf 'back\n' | tcp 127.0.0.1 7); [ "$out" = back ]; }
wait_for 10 below && success ceiling-recovers ||
    failure ceiling-recovers "echo got '$out'"

# The idle timeout is 60 seconds: only with INETD_LONG=1.
if [ -n "${INETD_LONG:-}" ]; then
	exec {fd}<>/dev/tcp/127.0.0.1/9
	read -r -t 75 -u $fd got; rc=$?
	exec {fd}>&-
	[ $rc = 1 ] && success idle-timeout ||
	    failure idle-timeout "read returned $rc"
else
	skip idle-timeout "60 seconds; set INETD_LONG=1"
fi

# Nothing at warning level about any of it, and the listener is the one
# it was.
[ "$(role_pid listener)" = "$lpid" ] && success listener-alive ||
    failure listener-alive "listener pid changed"
