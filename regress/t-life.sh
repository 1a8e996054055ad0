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

# Lifetimes, and degrading instead of refusing: timeout= ends a program
# (SIGTERM, then SIGKILL) and a built-in connection; a service at its
# max-child or over its rate, or a listener out of descriptors, refuses
# at once; inetd starts under a low descriptor limit; -c bounds the
# programs running in all.  The refusals are logged once and then as a
# count after 10 seconds, so those come first and the timeouts run
# while the counts are due.
. "$(dirname "$0")/lib.sh"
need_tool nc pgrep ss prlimit python3

now() { date +%s%N; }
# Milliseconds since a now.
since() { echo $(( ($(now) - $1) / 1000000 )); }
# A TCP client that sends nothing and waits for the server to close.
hold() { timeout 20 nc -N 127.0.0.1 "$1" < /dev/null > /dev/null 2>&1; }
# refused port: the server closes at once, and nothing is served (a
# connection left in the listen queue would take the 5 seconds).
refused() {
	local t0 out
	t0=$(now)
	out=$(timeout 5 nc -N 127.0.0.1 "$1" < /dev/null 2>/dev/null)
	[ -z "$out" ] && [ "$(since "$t0")" -lt 2000 ]
}
# The pid a "killed after its timeout" line names, for a service.
timed_pid() {
	grep -E "^$1/tcp: pid [0-9]+ killed after its timeout" "$T/log" |
	    tail -1 | sed -E 's/.*: pid ([0-9]+) .*/\1/'
}
gone() { [ ! -d "/proc/$1" ] && ! pgrep -g "$1" >/dev/null; }

cat > "$T/stubborn.sh" <<'SH'
#!/bin/sh
# Ignores SIGTERM, and so does the sleep it starts.
trap '' TERM
sleep 40
SH
cat > "$T/line.sh" <<'SH'
#!/bin/sh
read line
echo "$line"
SH
chmod 755 "$T/stubborn.sh" "$T/line.sh"
# Holds as many echo connections as it is told until its input ends.
cat > "$T/hold.py" <<'PY'
import socket, sys
socks = [socket.create_connection(("127.0.0.1", 7))
    for i in range(int(sys.argv[1]))]
print("ok", flush=True)
sys.stdin.read()
PY

# Under a descriptor limit of 48: inetd wanted 256 to spare once.  env
# runs prlimit, which runs inetd with the limit lowered.
INETD_ENV=(prlimit --nofile=48:48)
start_inetd <<CONF || { failure start; exit 0; }
echo stream tcp nowait root internal
busy on protocol=tcp, port=7121, wait=no, user=daemon, max-child=1,
	max-child-action=refuse, exec=$T/line.sh;
fast on protocol=tcp, port=7122, wait=no, user=daemon, max=2, pause=3,
	exec=/bin/echo, args=echo ok;
.defaults timeout=2;
nap on protocol=tcp, port=7101, wait=no, user=daemon,
	exec=/bin/sleep, args="sleep" 40;
stubborn on protocol=tcp, port=7102, wait=no, user=daemon, timeout=1,
	exec=$T/stubborn.sh;
discard stream tcp nowait root internal
.defaults timeout=0;
free on protocol=tcp, port=7103, wait=no, user=daemon, exec=/bin/sleep,
	args="sleep" 1;
CONF
INETD_ENV=()
[ "$(say 7 hi)" = hi ] && success lowfd-start || failure lowfd-start

# Out of descriptors: the listener gives up its spare to accept the
# pending connection and close it, says so once, and serves again as
# soon as descriptors come back.  One client holds as many echo
# connections as the listener has descriptors left.
lp=$(role_pid listener)
nfds() { ls "/proc/$lp/fd" | wc -l; }
mkfifo "$T/hold"
python3 "$T/hold.py" $((48 - $(nfds))) < "$T/hold" > "$T/held" & hp=$!
exec 8> "$T/hold"
if wait_for 5 grep -q ok "$T/held" &&
    wait_for 5 sh -c "[ \$(ls /proc/$lp/fd | wc -l) = 48 ]" &&
    refused 7 && refused 7 && refused 9 &&
    wait_log '^connection refused: out of descriptors' 5 &&
    [ "$(count_log 'refused: out of descriptors')" = 1 ]; then
	success nofd-refuses
else
	failure nofd-refuses "$(nfds) of 48 descriptors"
fi
exec 8>&-
wait $hp
t0=$(now)
if wait_for 5 sh -c '[ "$(printf hi | nc -N -w 2 127.0.0.1 7)" = hi ]' &&
    [ "$(since "$t0")" -lt 1000 ]; then
	success nofd-resumes
else
	failure nofd-resumes "$(since "$t0") ms"
fi

# max-child-action=refuse: at max-child a connection is accepted and
# closed at once, not left in the listen queue.
mkfifo "$T/in3"
nc 127.0.0.1 7121 < "$T/in3" > "$T/out3" 2>/dev/null & p1=$!
exec 8> "$T/in3"
wait_for 5 grep -q '^busy/tcp: started pid' "$T/log"
if refused 7121 && refused 7121 && refused 7121 &&
    wait_log '^busy/tcp: connection refused: max-child reached' 5; then
	success full-refuse
else
	failure full-refuse
fi
echo first >&8
exec 8>&-
wait $p1
# Ask again once the spawner has seen the program exit, not before:
# until then a connection is refused, and rightly so.
wait_log '^busy/tcp: pid [0-9]+ exited' 5
[ "$(cat "$T/out3")" = first ] && [ "$(say 7121 'again
')" = again ] && success full-refuse-serves || failure full-refuse-serves

# Over its rate: paused, and meanwhile each connection is closed at
# once; the socket stays the same and serves again afterwards.
ino() { ss -Hltne "( sport = :7122 )" | grep -o 'ino:[0-9]*'; }
before=$(ino)
say 7122 '' > /dev/null; say 7122 '' > /dev/null
if [ -z "$(say 7122 '')" ] &&
    wait_log '^fast/tcp: more than 2 spawns in 60 seconds; paused for 3 seconds' 5 &&
    refused 7122 && refused 7122 &&
    wait_log '^fast/tcp: connection refused: paused over its rate' 5; then
	success pause-refuses
else
	failure pause-refuses
fi
wait_log '^fast/tcp: resumed after 3 seconds' 10 &&
    [ "$(say 7122 '')" = ok ] && [ -n "$before" ] &&
    [ "$(ino)" = "$before" ] &&
    success pause-resumes || failure pause-resumes "$before $(ino)"

# timeout=2 (from .defaults): SIGTERM after two seconds, not before,
# and logged.
t0=$(now)
hold 7101
ms=$(since "$t0")
if [ "$ms" -ge 1900 ] && [ "$ms" -lt 5000 ] &&
    wait_log '^nap/tcp: pid [0-9]+ killed after its timeout of 2 seconds' 5
then
	success timeout-term
else
	failure timeout-term "closed after $ms ms"
fi
p=$(timed_pid nap)
[ -n "$p" ] && wait_for 5 gone "$p" && success timeout-term-gone ||
    failure timeout-term-gone "pid '$p'"

# A program that ignores SIGTERM gets SIGKILL five seconds later, and
# what it started with it (its process group).
t0=$(now)
hold 7102
ms=$(since "$t0")
p=$(timed_pid stubborn)
if [ "$ms" -ge 5900 ] && [ "$ms" -lt 9000 ] &&
    wait_log "^stubborn/tcp: pid $p still running 5 seconds after SIGTERM; SIGKILL" 5 &&
    wait_for 5 gone "$p"; then
	success timeout-kill
else
	failure timeout-kill "closed after $ms ms, pid '$p'"
fi

# A built-in connection: timeout= is its whole lifetime; the idle
# timeout alone would take 60 seconds.
mkfifo "$T/dfifo"
( timeout 20 nc 127.0.0.1 9 < "$T/dfifo" > /dev/null 2>&1 ) & dpid=$!
exec 7> "$T/dfifo"
wait_log '^discard/tcp: connection open for 2 seconds, closed' 10 &&
    success timeout-builtin || failure timeout-builtin
exec 7>&-
wait $dpid

# timeout=0 after it in .defaults: no timeout.
hold 7103
[ "$(count_log '^free/tcp: pid [0-9]+ killed')" = 0 ] &&
    wait_log '^free/tcp: pid [0-9]+ exited with status 0' 5 &&
    success timeout-none || failure timeout-none

# The counts, 10 seconds after each first line.
wait_log '^2 more connections refused in 10 seconds: out of descriptors' 15 &&
    success nofd-logged || failure nofd-logged
wait_log '^busy/tcp: 2 more connections refused in 10 seconds: max-child reached' 15 &&
    [ "$(count_log 'busy/tcp: connection refused')" = 1 ] &&
    success full-refuse-logged || failure full-refuse-logged
wait_log '^fast/tcp: 1 more connection refused in 10 seconds: paused over its rate' 15 &&
    [ "$(count_log 'fast/tcp: connection refused')" = 1 ] &&
    success pause-refuse-logged || failure pause-refuse-logged
stop_inetd

out=$("$INETD" -n "$T/inetd.conf" 2>/dev/null)
if printf '%s\n' "$out" | grep -A2 ' nap ' | grep -q ', timeout 2s$' &&
    printf '%s\n' "$out" | grep -A1 ' internal discard' |
    grep -q 'listener, timeout 2s$' &&
    ! printf '%s\n' "$out" | grep -A2 ' free ' | grep -q timeout; then
	success timeout-show
else
	failure timeout-show "$(printf '%s\n' "$out" | grep timeout | head -2)"
fi
printf '%s\n' "$out" | grep -A2 ' busy ' | grep -q 'max-child 1 (refuse)$' &&
    success full-refuse-show || failure full-refuse-show

# Five services need 32 descriptors and one for each, and the parent
# up to one more for each on its way to the listener: 42.
for p in 1 2 3 4 5; do
	echo "720$p stream tcp nowait daemon /bin/cat cat"
done > "$T/five.conf"
out=$(prlimit --nofile=36:36 "$INETD" -d "${INETD_RUN[@]}" "$T/five.conf" 2>&1); rc=$?
if [ $rc = 1 ] && printf '%s' "$out" | grep -q '5 services need 42 descriptors in the parent, more than the limit of 36; raise it (ulimit -n) to at least 42'; then
	success lowfd-refuses
else
	failure lowfd-refuses "rc $rc: $out"
fi

# -c 2: two programs run; a connection for a third waits in the listen
# queue (not accepted and closed), built-in services still answer, and
# it is served once one exits.
start_inetd -c 2 <<CONF || { failure start-c; exit 0; }
one on protocol=tcp, port=7111, wait=no, user=daemon, exec=$T/line.sh;
two on protocol=tcp, port=7112, wait=no, user=daemon, exec=$T/line.sh;
echo stream tcp nowait root internal
CONF
started() { [ "$(count_log '^(one|two)/tcp: started pid')" = "$1" ]; }
# Connections waiting to be accepted on a listening port.
queued() { [ "$(ss -Hltn "( sport = :$1 )" | awk '{print $2}')" = "$2" ]; }
mkfifo "$T/in1" "$T/in2"
nc 127.0.0.1 7111 < "$T/in1" > "$T/out1" 2>/dev/null & p1=$!
nc 127.0.0.1 7112 < "$T/in2" > "$T/out2" 2>/dev/null & p2=$!
exec 8> "$T/in1" 9> "$T/in2"
wait_for 5 started 2
( printf 'third\n' | nc -N -w 10 127.0.0.1 7111 > "$T/third" ) & p3=$!
if wait_log '^2 services running, the most there may be \(-c\); connections wait' 5 &&
    wait_for 5 queued 7111 1 && started 2; then
	success ceiling-waits
else
	failure ceiling-waits "$(count_log 'started pid') started"
fi
[ "$(say 7 hello)" = hello ] && success ceiling-builtin ||
    failure ceiling-builtin
echo first >&8
exec 8>&-
wait $p3
[ "$(cat "$T/third")" = third ] && started 3 && success ceiling-resumes ||
    failure ceiling-resumes "got '$(cat "$T/third")'"
echo second >&9
exec 9>&-
wait $p1 $p2
stop_inetd

out=$("$INETD" -n -c 2 "$T/inetd.conf" 2>/dev/null)
err=$("$INETD" -n -c 0 "$T/inetd.conf" 2>&1)
if printf '%s\n' "$out" | grep -qx 'at most 2 services running at once (-c)' &&
    printf '%s' "$err" | grep -q -- '-c 0: too small'; then
	success ceiling-show
else
	failure ceiling-show "$err"
fi

# The spawner holds to the ceiling itself: a listener that asks five
# times for one connection (evilshim.so) gets two programs.
SHIM=$REGRESS/evilshim.so
nprocs() { pgrep -u daemon -fx "$1" | wc -l; }
if [ ! -f "$SHIM" ]; then
	skip ceiling-spawner "no $SHIM"
else
	INETD_ENV=("LD_PRELOAD=$SHIM" EVIL_REPEAT=5)
	start_inetd -c 2 <<CONF || { failure start-evil; exit 0; }
many on protocol=tcp, port=7113, wait=no, user=daemon, exec=/bin/sleep,
	args=sleep 43;
CONF
	INETD_ENV=()
	nc -w 1 127.0.0.1 7113 </dev/null >/dev/null 2>&1
	if wait_log '^many/tcp: 2 services running, the most there may be \(-c\); request refused' 5 &&
	    [ "$(nprocs 'sleep 43')" = 2 ]; then
		success ceiling-spawner
	else
		failure ceiling-spawner "$(nprocs 'sleep 43') running"
	fi
	for p in $(pgrep -u daemon -fx 'sleep 43'); do kill -9 "$p"; done
	stop_inetd
fi
exit 0
