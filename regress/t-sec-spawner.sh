#!/bin/bash
# Audit findings the spawner closes.  The listener is played by
# evilshim.so, preloaded into inetd, which rewrites what the listener
# sends the spawner: the spawner must hold to its own table whatever
# it is asked.
. "$(dirname "$0")/lib.sh"
NAME=sec

SHIM=$REGRESS/evilshim.so
if [ ! -f "$SHIM" ]; then
	skip spawner "no $SHIM (make -C regress evilshim.so)"
	exit 0
fi
test_user || { skip spawner "cannot create the test user"; exit 0; }

# evil var=value...: the next start_inetd has a listener that lies.
evil() {
	INETD_ENV=("LD_PRELOAD=$SHIM" "$@")
}

# H-1: a connection on the public service handed to the root one.
evil EVIL_FROM=0 EVIL_TO=1
start_inetd <<CONF || { failure h1-fd-other-service "inetd did not start"; exit 0; }
127.0.0.1:7201 stream tcp nowait nobody /bin/cat cat
127.0.0.2:7201 stream tcp nowait root /usr/bin/id id
CONF
out=$(nc -w 5 127.0.0.1 7201 </dev/null 2>&1)
if ! printf '%s' "$out" | grep -q 'uid=0' &&
    wait_log "7201/tcp: the listener handed a descriptor that is not" 5 &&
    wait_log 'restarting listener and spawner' 5; then
	success h1-fd-other-service
else
	failure h1-fd-other-service "got '$out'"
fi
stop_inetd

# Bound to any address: the port is the service's.
evil EVIL_FROM=0 EVIL_TO=1
start_inetd <<CONF || { failure h1-fd-other-port "inetd did not start"; exit 0; }
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
start_inetd <<CONF || { failure h1-unix-other-path "inetd did not start"; exit 0; }
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
start_inetd <<CONF || { failure h1-own-fd-taken "inetd did not start"; exit 0; }
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
start_inetd <<CONF || { failure m2-stopped-child "inetd did not start"; exit 0; }
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
stop_inetd

