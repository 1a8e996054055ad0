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

# Audit findings the spawner closes.  The listener is played by
# evilshim.so, preloaded into inetd, which rewrites what the listener
# sends the spawner: the spawner must hold to its own table whatever
# it is asked.
. "$(dirname "$0")/lib.sh"
NAME=sec
need_tool nc

SHIM=$REGRESS/evilshim.so
if [ ! -f "$SHIM" ]; then
	skip spawner "no $SHIM (make -C regress evilshim.so)"
	exit 0
fi
test_user || { skip spawner "cannot create the test user"; exit 0; }

# start_or_fail name < config: the case fails, and the script ends, if
# inetd does not start.
start_or_fail() {
	start_inetd && return 0
	failure "$1" "inetd did not start"
	exit 0
}

# evil var=value...: the next start_inetd has a listener that lies.
evil() {
	INETD_ENV=("LD_PRELOAD=$SHIM" "$@")
}

# H-1: a connection on the public service handed to the root one.
evil EVIL_FROM=0 EVIL_TO=1
start_or_fail h1-fd-other-service <<CONF
127.0.0.1:7201 stream tcp nowait nobody /bin/cat cat
127.0.0.2:7201 stream tcp nowait root /usr/bin/id id
CONF
out=$(nc -w 5 127.0.0.1 7201 </dev/null 2>&1)
if ! printf '%s' "$out" | grep -q 'uid=0' &&
    wait_log "7201/tcp: the listener handed a descriptor that is not" 5 &&
    wait_log 'restarting listener, spawner and keys' 5; then
	success h1-fd-other-service
else
	failure h1-fd-other-service "got '$out'"
fi
stop_inetd

# Bound to any address: the port is the service's.
evil EVIL_FROM=0 EVIL_TO=1
start_or_fail h1-fd-other-port <<CONF
7202 stream tcp nowait nobody /bin/cat cat
7203 stream tcp nowait root /usr/bin/id id
CONF
out=$(nc -w 5 127.0.0.1 7202 </dev/null 2>&1)
if ! printf '%s' "$out" | grep -q 'uid=0' &&
    wait_log "7203/tcp: the listener handed a descriptor that is not" 5
then
	success h1-fd-other-port
else
	failure h1-fd-other-port "got '$out'"
fi
stop_inetd

# A world-connectable UNIX socket handed to the service behind a 0600 one.
evil EVIL_FROM=0 EVIL_TO=1
start_or_fail h1-unix-other-path <<CONF
:root:root:666:$T/pub.sock stream unix nowait nobody /bin/cat cat
:root:root:600:$T/adm.sock stream unix nowait root /usr/bin/id id
CONF
out=$(nc -w 5 -U "$T/pub.sock" </dev/null 2>&1)
if ! printf '%s' "$out" | grep -q 'uid=0' &&
    wait_log "the listener handed a descriptor that is not" 5; then
	success h1-unix-other-path
else
	failure h1-unix-other-path "got '$out'"
fi
stop_inetd

# The honest listener: each service still gets its own connections.
INETD_ENV=()
start_or_fail h1-own-fd-taken <<CONF
127.0.0.1:7201 stream tcp nowait nobody /bin/cat cat
127.0.0.2:7201 stream tcp nowait root /usr/bin/id id
7204 stream tcp nowait root /usr/bin/id id
:root:root:666:$T/pub.sock stream unix nowait nobody /bin/cat cat
CONF
if [ "$(say 7201 $'x\n')" = x ] &&
    nc -w 5 127.0.0.2 7201 </dev/null | grep -q 'uid=0' &&
    nc -w 5 127.0.0.3 7204 </dev/null | grep -q 'uid=0' &&
    [ "$(printf 'y\n' | nc -N -w 5 -U "$T/pub.sock")" = y ] &&
    ! grep -q 'restarting' "$T/log"; then
	success h1-own-fd-taken
else
	failure h1-own-fd-taken "$(tail -3 "$T/log")"
fi
stop_inetd

# M-2: a service's user stops every process of theirs, again and again,
# the child between setresuid() and exec included.  The spawner must not
# wait for it: services of other users and the built-ins keep answering.
# The user is this case's own, so that kill(-1) as that user reaches no
# other test's services.
STOPUSER=_inetdts
getent passwd $STOPUSER >/dev/null ||
    useradd -r -M -d /nonexistent -s /usr/sbin/nologin $STOPUSER
INETD_ENV=()
# The window between setresuid() and exec is short.  To widen it the
# child runs at the lowest priority, loads a seccomp filter in it, and
# the stopper runs at a high priority.
start_or_fail m2-stopped-child <<CONF
victim on protocol=tcp, port=7301, wait=no, user=$STOPUSER, nice=19,
	max=100000, pledge="stdio", exec=/bin/cat;
7302 stream tcp nowait _inetdt /bin/cat cat
echo stream tcp nowait root internal
CONF
nice -n -10 setpriv --reuid=$STOPUSER --regid=$STOPUSER --clear-groups \
    bash -c 'while :; do kill -STOP -1; done' 2>/dev/null &
stopper=$!
for i in $(seq 1 300); do
	nc -w 1 127.0.0.1 7301 </dev/null >/dev/null 2>&1 &
done
stopped() { ps -o stat= -u $STOPUSER | grep -q T; }
# Ask only once the spawner has had them all, or is stuck.
all_started() { [ "$(count_log 'victim/tcp: started pid')" -ge 300 ]; }
wait_for 10 all_started
t0=$SECONDS
a=$(printf 'other\n' | timeout 5 nc -N -w 5 127.0.0.1 7302)
b=$(printf 'builtin\n' | timeout 5 nc -N -w 5 127.0.0.1 7)
c=$(printf 'again\n' | timeout 5 nc -N -w 5 127.0.0.1 7302)
t=$((SECONDS - t0))
stopped && hit=1 || hit=0
kill -9 $stopper
wait $stopper 2>/dev/null
# Ours alone run as this user: end them, late starters included.
kill_stopuser() {
	local p
	for p in $(pgrep -u $STOPUSER); do kill -9 "$p"; done
	! pgrep -u $STOPUSER >/dev/null
}
wait_for 10 kill_stopuser
if [ $hit = 0 ]; then
	skip m2-stopped-child "no service process was ever stopped"
elif [ "$a" = other ] && [ "$b" = builtin ] && [ "$c" = again ] &&
    [ $t -le 5 ]; then
	success m2-stopped-child
else
	failure m2-stopped-child "got '$a' '$b' '$c' in $t s"
fi
# Once the stopper is gone the stopped user's own service answers too:
# a child stopped on its way to exec was killed, and no launch of the
# spawner stayed stuck behind it.
d=$(printf 'v\n' | timeout 5 nc -N -w 5 127.0.0.1 7301)
killed=$(count_log 'stopped before exec; killed')
if [ "$d" = v ] && [ "$(printf 'w\n' | timeout 5 nc -N -w 5 \
    127.0.0.1 7302)" = w ]; then
	success m2-stopped-user-served-again
else
	failure m2-stopped-user-served-again "got '$d'; $killed killed"
fi
stop_inetd

# M-2, the price of vfork: until exec a child shares the root spawner's
# memory, so it must never be traceable by the service's user.  With
# fs.suid_dumpable 1 the kernel would leave it traceable after
# setresuid(): the spawner then forks instead (strace shows which), and
# a step that fails before exec is still reported.
failed_before_exec() {
	[ "$(count_log 'execve failed: No such file or directory; conn')" \
	    -ge "$1" ]
}
traced() {
	[ "$(awk '/^TracerPid:/ {print $2}' /proc/"$1"/status)" != 0 ]
}
# spawn_calls n: how the spawner starts a child, with n failures logged.
spawn_calls() {
	local sp trace=$T/spawner.trace out st

	sp=$(role_pid spawner)
	strace -f -qq -e trace=vfork,fork,clone -o "$trace" -p "$sp" &
	st=$!
	wait_for 5 traced "$sp"
	out=$(printf 'z\n' | timeout 5 nc -N -w 5 127.0.0.1 7302)
	nc -w 2 127.0.0.1 7303 </dev/null >/dev/null 2>&1
	wait_for 5 failed_before_exec "$1"
	kill $st
	wait $st 2>/dev/null
	[ "$out" = z ] || echo "no answer"
	if grep -q 'vfork()' "$trace"; then
		echo vfork
	elif grep -q 'clone(.*SIGCHLD' "$trace" &&
	    ! grep -q 'clone(.*CLONE_VM.*SIGCHLD' "$trace"; then
		echo fork
	else
		echo "unknown: $(tr '\n' '|' < "$trace")"
	fi
}
if ! command -v strace >/dev/null; then
	skip m2-fork-when-dumpable "no strace"
elif [ ! -w /proc/sys/fs/suid_dumpable ]; then
	skip m2-fork-when-dumpable "cannot set fs.suid_dumpable"
else
	INETD_ENV=()
	start_or_fail m2-fork-when-dumpable <<CONF
7302 stream tcp nowait _inetdt /bin/cat cat
7303 stream tcp nowait _inetdt $T/no-such-program x
CONF
	saved=$(cat /proc/sys/fs/suid_dumpable)
	v0=$(spawn_calls 1)
	echo 1 > /proc/sys/fs/suid_dumpable
	v1=$(spawn_calls 2)
	echo "$saved" > /proc/sys/fs/suid_dumpable
	if [ "$saved" != 1 ] && [ "$v0" = vfork ] && [ "$v1" = fork ] &&
	    failed_before_exec 2; then
		success m2-fork-when-dumpable
	elif [ "$saved" = 1 ]; then
		skip m2-fork-when-dumpable "fs.suid_dumpable is 1 already"
	else
		failure m2-fork-when-dumpable "'$v0' then '$v1'," \
		    "$(count_log 'execve failed') failures"
	fi
	stop_inetd
fi

# M-3: the listener asks again and again for one connection.  The
# spawner holds each service to its own limits: max-child, one wait
# program at a time, the spawn rate.
# nprocs pattern: processes of _inetdt whose command line is pattern.
nprocs() { pgrep -u _inetdt -fx "$1" | wc -l; }
end_procs() {
	local p
	for p in $(pgrep -u _inetdt -fx "$1"); do kill -9 "$p"; done
}
evil EVIL_REPEAT=5
start_or_fail m3-spawner-max-child <<CONF
mc on protocol=tcp, port=7401, wait=no, user=_inetdt, max-child=1,
	exec=/bin/sleep, args=sleep 41;
CONF
nc -w 1 127.0.0.1 7401 </dev/null >/dev/null 2>&1
# The first request may still be waiting for the launcher when the
# second ends the channel, and then dies with the spawner: at most one.
if wait_log 'mc/tcp: asked for a child beyond max-child 1' 5 &&
    wait_log 'restarting listener, spawner and keys' 5 &&
    [ "$(nprocs 'sleep 41')" -le 1 ]; then
	success m3-spawner-max-child
else
	failure m3-spawner-max-child "$(nprocs 'sleep 41') running"
fi
end_procs 'sleep 41'
stop_inetd

evil EVIL_REPEAT=5
start_or_fail m3-spawner-wait-one <<CONF
wt on protocol=tcp, port=7402, wait=yes, user=_inetdt, max=20,
	exec=/bin/sleep, args=sleep 42;
CONF
# The program never accepts: the listener sees the socket ready again
# after each refusal and asks again, until its own rate pauses it.
nc -w 1 127.0.0.1 7402 </dev/null >/dev/null 2>&1
if wait_log 'wt/tcp: more than 20 spawns in 60 seconds' 10 &&
    [ "$(nprocs 'sleep 42')" = 1 ] &&
    [ "$(count_log 'wait program already running')" -le 10 ]; then
	success m3-spawner-wait-one
else
	failure m3-spawner-wait-one "$(nprocs 'sleep 42') running," \
	    "$(count_log 'wait program already running') refusals logged"
fi
end_procs 'sleep 42'
stop_inetd

evil EVIL_REPEAT=10
start_or_fail m3-spawner-rate <<CONF
rt on protocol=tcp, port=7403, wait=no, user=_inetdt, max=2,
	exec=/bin/sleep, args=sleep 43;
CONF
nc -w 1 127.0.0.1 7403 </dev/null >/dev/null 2>&1
wait_for 5 test "$(nprocs 'sleep 43')" -ge 1
if wait_log 'rt/tcp: more than 4 spawns in 60 seconds asked for' 5 &&
    [ "$(nprocs 'sleep 43')" = 4 ]; then
	success m3-spawner-rate
else
	failure m3-spawner-rate "$(nprocs 'sleep 43') running"
fi
end_procs 'sleep 43'
stop_inetd

# A listener that never reads what the spawner tells it: the spawner's
# queue is bounded, and the channel ends when it is full.
evil EVIL_REPEAT=80000
start_or_fail m3-queue-bounded <<CONF
qb on protocol=tcp, port=7404, wait=no, user=_inetdt, max=1,
	exec=/bin/true;
CONF
nc -w 1 127.0.0.1 7404 </dev/null >/dev/null 2>&1
if wait_log 'channel to listener: peer does not read, queue full' 60 &&
    wait_log 'restarting listener, spawner and keys' 5 &&
    [ "$(count_log 'spawns in 60 seconds asked for')" -le 10 ]; then
	success m3-queue-bounded
else
	failure m3-queue-bounded "$(tail -2 "$T/log")"
fi
stop_inetd

# L-3: a reload takes root from a service; the listener never announces
# the new generation and goes on asking under the old one.  The spawner
# serves the old table only for a short grace, then no more.
evil EVIL_DROPGEN=2 EVIL_OLDGEN=1
start_or_fail l3-old-generation-retired <<CONF
127.0.0.1:7501 stream tcp nowait root /usr/bin/id id
CONF
cat > "$T/inetd.conf" <<CONF
127.0.0.1:7501 stream tcp nowait nobody /usr/bin/id id
CONF
kill -HUP "$INETD_PID"
wait_log '^generation 2 in force' 10
wait_log 'generation 1 retired' 20
out=$(nc -w 5 127.0.0.1 7501 </dev/null 2>&1)
if ! printf '%s' "$out" | grep -q 'uid=0' &&
    grep -q 'generation 1 retired' "$T/log" &&
    wait_log 'spawn request of generation 1 refused' 5; then
	success l3-old-generation-retired
else
	failure l3-old-generation-retired "got '$out'"
fi
stop_inetd
