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

# Per-source limits (per-source=, per-source-rate=, source-prefix4/6=,
# FreeBSD's nowait/max-child/per-minute/per-ip, NetBSD's ip_max): real
# clients from several sources of the test's namespace (127.0.0.2,
# 127.0.0.3, ::1, a ULA /64 with several addresses and a second /64).
# A source over its limit is refused at once while others are served;
# its slots come back however its programs end (exit, kill, crash,
# confinement violation, timeout) and across a reload.
. "$(dirname "$0")/lib.sh"
need_tool nc python3
NAME=source

test_user || { failure user "cannot make the test user"; exit 0; }
install_prog probe

ip addr add ::1/128 dev lo 2>/dev/null
for a in fd00:5::1 fd00:5::2 fd00:5::3 fd00:6::1; do
	ip addr add $a/64 dev lo nodad 2>/dev/null
done

# Holds its connection until the client closes it, then crashes.
cat > "$T/crash.sh" <<'SH'
#!/bin/sh
echo hi
read x
kill -SEGV $$
SH
chmod 755 "$T/crash.sh"

start_inetd <<CONF || { failure start; exit 0; }
hold on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7701, exec=/bin/cat, args=cat, per-source=2;
hold6 on socktype=stream, protocol=tcp6, wait=no, user=_inetdt, bind=::,
	port=7702, exec=/bin/cat, args=cat, per-source=1;
hold128 on socktype=stream, protocol=tcp6, wait=no, user=_inetdt, bind=::,
	port=7703, exec=/bin/cat, args=cat, per-source=1, source-prefix6=128;
net24 on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7704, exec=/bin/cat, args=cat, per-source=1,
	source-prefix4=24;
echo on socktype=stream, protocol=tcp, wait=no, user=root, bind=127.0.0.1,
	per-source-rate=3/60;
crash on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7705, exec=$T/crash.sh, per-source=1;
viol on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7706, exec=$T/probe, pledge="stdio",
	per-source=1;
life on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7707, exec=/bin/sleep, args=sleep 60,
	per-source=1, timeout=1;
127.0.0.1:7708 stream tcp nowait/0/0/1 _inetdt /bin/cat cat
netbsd on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7709, exec=/bin/cat, args=cat, ip_max=1;
tcpmux stream tcp nowait root internal
tcpmux/+held stream tcp nowait/0/0/1 _inetdt /bin/cat cat
busy on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7710, exec=/bin/cat, args=cat, per-source=1,
	max-child=1, max-child-action=refuse;
CONF

# hold name source address port: a client that keeps its connection
# open (it sends one line, then waits) until release name.
hold() {
	mkfifo "$T/h.$1"
	( exec 3<>"$T/h.$1"; printf 'x\n' >&3
	  exec timeout 60 nc -s "$2" "$3" "$4" <&3 > "$T/o.$1" 2>/dev/null ) &
	eval "HOLD_$1=$!"
}
release() {
	local pid
	eval "pid=\$HOLD_$1"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$T/h.$1"
}
# The service has this many programs running, by the log.
running() {	# service n
	[ "$(count_log "^$1/tcp6?: started pid")" -ge "$2" ]
}
# ask source address port text: the answer, or nothing.
sask() {
	printf '%s\n' "$4" | timeout 5 nc -N -w 5 -s "$1" "$2" "$3" \
	    2>/dev/null | head -1
}
# An answer of nothing that comes at once, not at the 5 s timeout.
refused_now() {	# check source address port
	local t0 t1 got
	t0=$(date +%s%N)
	got=$(sask "$2" "$3" "$4" r)
	t1=$(date +%s%N)
	if [ -n "$got" ]; then
		failure "$1" "served: '$got'"
	elif [ $(( (t1 - t0) / 1000000 )) -ge 4000 ]; then
		failure "$1" "no answer, but only after $(( (t1 - t0) / 1000000 )) ms"
	else
		success "$1"
	fi
}
check() {	# name got want
	[ "$2" = "$3" ] && success "$1" || failure "$1" "got '$2', want '$3'"
}
killed_from() {	# service n: the log has n kills or exits of it
	[ "$(count_log "^$1/tcp: pid [0-9]+ (killed|exited)|$1/tcp: .*(killed|timeout)")" -ge "$2" ]
}

# Two at once from 127.0.0.2; the third is refused at once, another
# source is served meanwhile.
hold a 127.0.0.2 127.0.0.1 7701
hold b 127.0.0.2 127.0.0.1 7701
wait_for 10 running hold 2 || failure hold-started "$(count_log 'hold/tcp: started')"
refused_now concurrent-over 127.0.0.2 127.0.0.1 7701
check concurrent-other-source "$(sask 127.0.0.3 127.0.0.1 7701 o)" o
if wait_log 'hold/tcp: refused 127\.0\.0\.2:?[0-9]* \(per-source limit' 5; then
	success concurrent-logged
else
	failure concurrent-logged "$(grep refused "$T/log" | head -3)"
fi
# One ends: its slot is free again.
release a
wait_for 10 killed_from hold 1
check concurrent-slot-back "$(sask 127.0.0.2 127.0.0.1 7701 s)" s

# A flood from one source while another is served: 40 clients at once
# from 127.0.0.2, which already has one running.
for i in $(seq 40); do
	sask 127.0.0.2 127.0.0.1 7701 f >/dev/null &
	fl="${fl:-} $!"
done
check flood-other-source "$(sask 127.0.0.3 127.0.0.1 7701 g)" g
wait $fl 2>/dev/null
release b
# Until the spawner has none of hold's programs, b's slot may be taken.
hold_idle() {
	local out
	out=$("$TOP/inetdctl/inetdctl" -s "$T/inetd.sock" show connections) ||
	    return 1
	! printf '%s\n' "$out" | grep -q 'hold/tcp'
}
wait_for 10 hold_idle || failure hold-idle "$("$TOP/inetdctl/inetdctl" \
    -s "$T/inetd.sock" show connections 2>&1)"

# Reload: the count goes on with the socket.
n=$(count_log '^hold/tcp: started pid')
hold r 127.0.0.2 127.0.0.1 7701
hold r2 127.0.0.2 127.0.0.1 7701
wait_for 10 running hold $((n + 2)) || failure reload-held "$(count_log \
    '^hold/tcp: started pid') started, want $((n + 2))"
kill -HUP "$INETD_PID"
wait_log '^generation 2 in force' 10 || failure reload "no generation 2"
refused_now reload-count-kept 127.0.0.2 127.0.0.1 7701
release r
release r2
wait_for 10 killed_from hold 3
check reload-slot-back "$(sask 127.0.0.2 127.0.0.1 7701 t)" t

# IPv6: one source is a /64 by default; a /128 when asked.
hold v6 fd00:5::1 fd00:5::1 7702
wait_for 10 running hold6 1
refused_now v6-same-64 fd00:5::2 fd00:5::1 7702
check v6-other-64 "$(sask fd00:6::1 fd00:5::1 7702 u)" u
check v6-loopback "$(sask ::1 ::1 7702 v)" v
release v6
hold v128 fd00:5::1 fd00:5::1 7703
wait_for 10 running hold128 1
check v6-prefix128-other "$(sask fd00:5::2 fd00:5::1 7703 w)" w
refused_now v6-prefix128-same fd00:5::1 fd00:5::1 7703
release v128

# source-prefix4=24: 127.0.0.2 and 127.0.0.3 are one source.
hold n24 127.0.0.2 127.0.0.1 7704
wait_for 10 running net24 1
refused_now prefix4-24 127.0.0.3 127.0.0.1 7704
release n24

# per-source-rate=3/60 on a built-in: three, then refused; others served.
for i in 1 2 3; do
	got=$(sask 127.0.0.2 127.0.0.1 7 e$i)
	[ "$got" = "e$i" ] || failure rate-first-three "got '$got' for e$i"
done
refused_now rate-fourth 127.0.0.2 127.0.0.1 7
check rate-other-source "$(sask 127.0.0.3 127.0.0.1 7 e)" e
wait_log 'echo/tcp: refused 127\.0\.0\.2:?[0-9]* \(per-source rate' 5 &&
    success rate-logged || failure rate-logged

# Slots come back when a program crashes, is killed by its confinement,
# is killed by a signal, or runs out its timeout.
ok=1
for i in 1 2 3; do
	got=$(printf 'x\n' | timeout 5 nc -N -w 5 -s 127.0.0.2 127.0.0.1 7705 \
	    2>/dev/null | head -1)
	[ "$got" = hi ] || { ok=0; failure slot-after-crash "round $i: '$got'"; break; }
	wait_for 10 killed_from crash $i
done
[ $ok = 1 ] && success slot-after-crash
ok=1
for i in 1 2 3; do
	printf 'socket_inet\n' | timeout 5 nc -N -w 5 -s 127.0.0.2 127.0.0.1 \
	    7706 >/dev/null 2>&1
	if ! wait_for 10 eval "[ \$(count_log '^viol/tcp: pid [0-9]+ killed') -ge $i ]"; then
		ok=0
		failure slot-after-violation "round $i: no kill logged"
		break
	fi
done
[ $ok = 1 ] && success slot-after-violation
# Count before each client starts, so that the pid is k's own and not
# that of an earlier program whose start line is already in the log.
n=$(count_log '^hold/tcp: started pid')
hold k 127.0.0.2 127.0.0.1 7701
wait_for 10 running hold $((n + 1))
pid=$(started_pid hold/tcp)
hold k2 127.0.0.2 127.0.0.1 7701
wait_for 10 running hold $((n + 2)) || failure slot-after-sigkill-held \
    "$(count_log '^hold/tcp: started pid') started, want $((n + 2))"
kill -KILL "$pid"
wait_for 10 eval "grep -q 'pid $pid killed by signal 9' '$T/log'" ||
    failure slot-after-sigkill-logged "no kill line for pid $pid"
# The spawner logs the kill before the listener has read the exit that
# frees the slot: a refusal meanwhile comes at once, so ask again.
got=
for i in 1 2 3 4 5 6 7 8 9 10; do
	got=$(sask 127.0.0.2 127.0.0.1 7701 k)
	[ "$got" = k ] && break
	sleep 0.2
done
check slot-after-sigkill "$got" k
release k
release k2
# timeout=1: the sleeper holds the source's one slot until its timeout.
timeout 30 nc -d -s 127.0.0.2 127.0.0.1 7707 >/dev/null 2>&1 &
tp=$!
wait_for 10 running life 1
refused_now timeout-holds 127.0.0.2 127.0.0.1 7707
wait_log '^life/tcp: pid [0-9]+ killed after its timeout' 10
wait_for 10 eval "[ \$(count_log '^life/tcp: pid [0-9]+ killed by signal') -ge 1 ]"
timeout 30 nc -d -s 127.0.0.2 127.0.0.1 7707 >/dev/null 2>&1 &
tp2=$!
if wait_for 10 running life 2; then
	success slot-after-timeout
else
	failure slot-after-timeout "$(grep life/ "$T/log" | tail -3)"
fi
kill $tp $tp2 2>/dev/null

# A connection refused at max-child (max-child-action=refuse) takes no
# slot of its source: while 127.0.0.3 holds the one program, 127.0.0.2
# is refused for max-child; once it ends, 127.0.0.2 is served.
hold m1 127.0.0.3 127.0.0.1 7710
wait_for 10 running busy 1
refused_now maxchild-refused 127.0.0.2 127.0.0.1 7710
refused_now maxchild-refused-again 127.0.0.2 127.0.0.1 7710
release m1
wait_for 10 killed_from busy 1
check maxchild-no-slot-taken "$(sask 127.0.0.2 127.0.0.1 7710 m)" m

# A tcpmux/ service: its limit applies once the client has named it,
# and the refusal is tcpmux's "-" line.
mkfifo "$T/h.mux"
( exec 3<>"$T/h.mux"; printf 'held\r\n' >&3
  exec timeout 60 nc -s 127.0.0.2 127.0.0.1 1 <&3 > "$T/o.mux" 2>/dev/null ) &
muxp=$!
wait_for 10 running tcpmux/held 1
got=$(printf 'held\r\n' | timeout 5 nc -N -w 5 -s 127.0.0.2 127.0.0.1 1 \
    2>/dev/null | tr -d '\r' | head -1)
check tcpmux-per-source "$got" "-Too many connections from your address"
got=$(printf 'held\r\nz\n' | timeout 5 nc -N -w 5 -s 127.0.0.3 127.0.0.1 1 \
    2>/dev/null | tr -d '\r' | head -2 | tr '\n' ' ')
check tcpmux-other-source "$got" "+Go z "
# The count goes on across a reload, though no socket is handed over.
n=$(grep -c '^generation [0-9]* in force' "$T/log")
kill -HUP "$INETD_PID"
wait_for 10 sh -c "[ \$(grep -c '^generation [0-9]* in force' $T/log) -gt $n ]"
got=$(printf 'held\r\n' | timeout 5 nc -N -w 5 -s 127.0.0.2 127.0.0.1 1 \
    2>/dev/null | tr -d '\r' | head -1)
check tcpmux-reload-count-kept "$got" "-Too many connections from your address"
kill $muxp 2>/dev/null; wait $muxp 2>/dev/null

# FreeBSD's field and NetBSD's ip_max: one at once from a source.
hold fb 127.0.0.2 127.0.0.1 7708
wait_for 10 eval "[ \$(count_log '^7708/tcp: started pid') -ge 1 ]"
refused_now freebsd-per-ip 127.0.0.2 127.0.0.1 7708
check freebsd-other "$(sask 127.0.0.3 127.0.0.1 7708 x)" x
release fb
hold nb 127.0.0.2 127.0.0.1 7709
wait_for 10 running netbsd 1
refused_now netbsd-ip-max 127.0.0.2 127.0.0.1 7709
release nb

# inetd -n shows the limits.
out=$("$INETD" -n "$T/inetd.conf" 2>/dev/null)
case $out in
*"per source: 2 at once; a source is an IPv4 /32 or an IPv6 /64"*)
	success print-limits ;;
*)	failure print-limits "$(printf '%s\n' "$out" | grep 'per source' | head -2)" ;;
esac
case $out in
*"per source: 3 per 60s; a source is an IPv4 /32"*) success print-rate ;;
*)	failure print-rate ;;
esac
stop_inetd

# Bad lines: each refused with file and line, nothing started.
bad() {	# check line error-fragment
	printf '%s\n' "$2" > "$T/bad.conf"
	out=$("$INETD" -n "$T/bad.conf" 2>&1)
	case $out in
	*"bad.conf:"[0-9]*": "*"$3"*) success "bad-$1" ;;
	*)	failure "bad-$1" "$out" ;;
	esac
}
kv="x on socktype=stream, protocol=tcp, wait=no, user=nobody, port=7790,
exec=/bin/cat"
bad negative "$kv, per-source=-1;" "per-source=-1 is too small"
bad word "$kv, per-source=many;" "per-source=many is invalid"
bad rate-no-period "$kv, per-source-rate=5;" "expected CONNECTIONS/SECONDS"
bad rate-zero-period "$kv, per-source-rate=5/0;" "per-source-rate=0 is too small"
bad rate-zero-count "$kv, per-source-rate=0/5;" "per-source-rate=0 is too small"
bad rate-long-period "$kv, per-source-rate=1/86401;" "is too large"
bad prefix4-zero "$kv, source-prefix4=0;" "source-prefix4=0 is too small"
bad prefix4-33 "$kv, source-prefix4=33;" "source-prefix4=33 is too large"
bad prefix6-129 "$kv, source-prefix6=129;" "source-prefix6=129 is too large"
bad wait-service "x on socktype=stream, protocol=tcp, wait=yes, user=nobody,
port=7790, exec=/bin/cat, per-source=1;" "cannot apply to a service that is not stream nowait"
bad tcpmux "tcpmux stream tcp nowait/0/0/1 root internal" \
    "cannot apply to tcpmux itself"
bad freebsd-word "7791 stream tcp nowait/0/x/1 nobody /bin/cat cat" \
    "\"x\" in \"nowait/0/x/1\" is invalid"
bad freebsd-per-ip-max "7791 stream tcp nowait/0/0/5000 nobody /bin/cat cat" \
    "\"5000\" in \"nowait/0/0/5000\" is too large (0 to 4096)"
bad freebsd-four "7791 stream tcp nowait/0/1/1/1 nobody /bin/cat cat" \
    "too many limits"
bad unix "/tmp/x.sock stream unix nowait/0/0/1 nobody /bin/cat cat" \
    "per-source limits cannot apply to a UNIX socket"
bad udp "7791 dgram udp nowait/0/0/1 nobody /bin/cat cat" \
    "per-source limits cannot apply"
# .defaults: a limit that cannot apply to a wait line is dropped, with
# a warning, not an error (a classic line has no way to unset it).
printf '.defaults per-source=2;\n7792 dgram udp wait nobody /bin/cat cat\n' \
    > "$T/def.conf"
out=$("$INETD" -n "$T/def.conf" 2>&1)
case $out in
*"warning"*"per-source limits of .defaults do not apply"*) success defaults-dropped ;;
*)	failure defaults-dropped "$out" ;;
esac
