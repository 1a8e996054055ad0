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

# inetdctl against a running inetd: every command, its JSON read by
# Python's parser, the read-only socket, malformed requests on the
# socket, the pid file, and a control request from the listener.
. "$(dirname "$0")/lib.sh"
need_tool nc python3 setpriv
NAME=ctl
CTL=$TOP/inetdctl/inetdctl

if [ ! -x "$CTL" ]; then
	failure build "inetdctl/inetdctl not built"
	exit 0
fi
test_user || { skip all "cannot create the test user"; exit 0; }
install_prog probe
ctl() { "$CTL" -s "$T/inetd.sock" "$@"; }
# js expr [command...]: a Python expression over the JSON of
# "inetdctl -j command" (show by default), as d; svc(name) is a service.
js() {
	local expr=$1
	shift
	ctl -j "${@:-show}" | python3 -c '
import json, sys
d = json.load(sys.stdin)
def svc(n):
    return [s for s in d["services"] if s["name"] == n][0]
print(eval(sys.argv[1]))' "$expr"
}
jcheck() {	# name expr want [command...]
	local name=$1 expr=$2 want=$3 got
	shift 3
	got=$(js "$expr" "$@" 2>&1)
	[ "$got" = "$want" ] && success "$name" ||
	    failure "$name" "$expr: got '$got', want '$want'"
}

getent group _inetdt2 >/dev/null
start_inetd -r "$T/ro.sock" -g _inetdt2 <<CONF ||
127.0.0.1:echo stream tcp nowait root internal
127.0.0.1:daytime dgram udp wait root internal
slow on protocol=tcp, port=7801, wait=no, user=_inetdt, exec=/bin/sleep,
	args=sleep 60;
acl on protocol=tcp, port=7802, wait=no, user=_inetdt, exec=/bin/cat,
	allow=10.0.0.0/8;
one on protocol=tcp, port=7803, wait=no, user=_inetdt, exec=/bin/sleep,
	args=sleep 60, max-child=1, max-child-action=refuse;
filt on protocol=tcp, port=7804, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio";
cat on protocol=tcp, port=7805, wait=no, user=_inetdt, exec=/bin/cat;
old off protocol=tcp, port=7806, wait=no, user=_inetdt, exec=/bin/cat;
127.0.0.1:7808 stream tcp nowait.1 _inetdt /bin/cat cat
CONF
    { failure start "inetd did not start"; exit 0; }

# --- the pid file and the sockets.
[ "$(cat "$T/inetd.pid" 2>/dev/null)" = "$INETD_PID" ] &&
    success pidfile || failure pidfile "$(cat "$T/inetd.pid" 2>&1)"
[ "$(stat -c '%a %U %G' "$T/inetd.sock")" = "600 root root" ] &&
    success socket-mode || failure socket-mode "$(stat -c '%a %U %G' \
    "$T/inetd.sock")"
[ "$(stat -c '%a %U %G' "$T/ro.sock")" = "660 root _inetdt2" ] &&
    success ro-socket-mode || failure ro-socket-mode "$(stat -c \
    '%a %U %G' "$T/ro.sock")"

# --- show: every entry, each state, counts by reason.
say 7 hi > /dev/null
say 7 hi > /dev/null
printf hi | nc -u -w 1 127.0.0.1 13 > /dev/null
nc -w 1 127.0.0.1 7802 < /dev/null > /dev/null 2>&1
nc -d 127.0.0.1 7803 > /dev/null 2>&1 &
held=$!
wait_for 5 sh -c "$CTL -s $T/inetd.sock show connections | grep -q one/tcp"
nc -w 2 127.0.0.1 7803 < /dev/null > /dev/null 2>&1
echo socket_inet | nc -N -w 5 127.0.0.1 7804 > /dev/null
wait_log '^filt/tcp: pid [0-9]+ for .*confinement violation' 5
out=$(ctl show)
if printf '%s\n' "$out" | grep -q $'^echo/tcp\tserving\t127.0.0.1:7\tinternal$' &&
    printf '%s\n' "$out" | grep -q $'^old/tcp\tdisabled\t-\t/bin/cat$' &&
    printf '%s\n' "$out" | grep -q $'^\trefused: access list 1$'; then
	success show-text
else
	failure show-text "$(printf '%s' "$out" | tr '\n\t' '| ')"
fi
jcheck json-generation 'd["generation"]' 1
jcheck json-names 'sorted(s["name"] for s in d["services"])' \
    "['7808/tcp', 'acl/tcp', 'cat/tcp', 'daytime/udp', 'echo/tcp', 'filt/tcp', 'old/tcp', 'one/tcp', 'slow/tcp']"
jcheck json-accepted 'svc("echo/tcp")["accepted"], svc("echo/tcp")["answered"]' \
    '(2, 2)'
jcheck json-udp-answered 'svc("daytime/udp")["answered"]' 1
jcheck json-refused-acl 'svc("acl/tcp")["refused"]["access_list"]' 1
jcheck json-refused-maxchild \
    'svc("one/tcp")["refused"]["max_child"], svc("one/tcp")["running"]' \
    '(1, 1)'
jcheck json-violation \
    'svc("filt/tcp")["confinement_violations"], svc("filt/tcp")["last_exit"]["how"]' \
    "(1, 'confinement violation')"
jcheck json-disabled 'svc("old/tcp")["state"]' disabled
jcheck json-program-user 'svc("slow/tcp")["program"], svc("slow/tcp")["user"], svc("slow/tcp")["address"]' \
    "('/bin/sleep', '_inetdt', '*:7801')"
kill $held 2>/dev/null
ctl kill one > /dev/null
# Over its rate (one a minute): paused until a time, by the rate.
say 7808 a > /dev/null
say 7808 b > /dev/null
say 7808 c > /dev/null
now=$(date +%s)
jcheck json-rate-paused \
    'svc("7808/tcp")["state"], svc("7808/tcp")["paused_by"], svc("7808/tcp")["paused_until"] > '"$now"', svc("7808/tcp")["refused"]["rate"] >= 2' \
    "('paused', 'rate', True, True)"
ctl show | grep -q $'^7808/tcp\tpaused until [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\t' &&
    success show-rate-paused || failure show-rate-paused

# --- show connections, all and one service's.
nc -d 127.0.0.1 7801 > /dev/null 2>&1 &
held=$!
wait_for 5 sh -c "[ -n \"\$(sed -nE 's|^slow/tcp: started pid ([0-9]+)\$|\1|p' $T/log)\" ]"
pid=$(started_pid slow/tcp)
wait_for 5 sh -c "$CTL -s $T/inetd.sock show connections slow | grep -q '^$pid'"
line=$(ctl show connections slow | grep "^$pid")
if [[ $line =~ ^$pid$'\t'slow/tcp$'\t'127\.0\.0\.1:[0-9]+$'\t'_inetdt$'\t'[0-9]+\.[0-9]{3}\ s$ ]]; then
	success connections-text
else
	failure connections-text "$line"
fi
jcheck connections-json \
    '[(c["service"], c["user"], c["peer"].split(":")[0], c["age"] >= 0) for c in d["connections"] if c["pid"] == '"${pid:-0}"']' \
    "[('slow/tcp', '_inetdt', '127.0.0.1', True)]" show connections
jcheck connections-filter 'len(d["connections"])' 0 show connections cat

# --- kill: the programs of one service, and the record says so.
out=$(ctl kill slow)
[ "$out" = "slow: 1 program sent SIGTERM" ] &&
    wait_log "^slow/tcp: pid $pid for .* signal 15 by inetdctl kill after" 5 &&
    success kill || failure kill "$out"
wait $held 2>/dev/null
jcheck kill-gone "len([c for c in d[\"connections\"] if c[\"service\"] == \"slow/tcp\"])" \
    0 show connections

# --- pause and resume: refused while paused, counted, served after.
out=$(ctl pause cat/tcp)
[ "$out" = "cat/tcp: 1 entry paused" ] && [ "$(say 7805 hi)" = "" ] &&
    success pause || failure pause "$out"
jcheck pause-state 'svc("cat/tcp")["state"], svc("cat/tcp")["paused_by"], svc("cat/tcp")["paused_until"], svc("cat/tcp")["refused"]["paused"]' \
    "('paused', 'inetdctl', None, 1)"
# A pause outlives a reload for an entry that keeps its socket, and so
# do the counts.
out=$(ctl reload)
[ "$out" = "generation 2 in force" ] && success reload ||
    failure reload "$out"
jcheck reload-counts-kept 'svc("echo/tcp")["accepted"], svc("cat/tcp")["state"], d["generation"]' \
    "(2, 'paused', 2)"
out=$(ctl resume cat)
[ "$out" = "cat: 1 entry resumed" ] && [ "$(say 7805 hi)" = hi ] &&
    success resume || failure resume "$out"

# --- a reload of a broken file: the errors, the generation that stays.
cp "$T/inetd.conf" "$T/good.conf"
printf 'echo strem tcp nowait root internal\n' >> "$T/inetd.conf"
n=$(wc -l < "$T/inetd.conf")
out=$(ctl reload 2>&1); rc=$?
if [ $rc = 1 ] && printf '%s' "$out" | grep -q "^inetdctl: $T/inetd.conf:$n: " &&
    printf '%s' "$out" | grep -q '^reload failed; generation 2 stays in force$'; then
	success reload-refused
else
	failure reload-refused "rc $rc: $(printf '%s' "$out" | tr '\n' '|')"
fi
jcheck reload-refused-json '(d["ok"], d["generation"], "strem" in d["message"])' \
    '(False, 2, True)' reload
cp "$T/good.conf" "$T/inetd.conf"
# A new entry starts at zero; a kept one keeps its counts.
printf 'new on protocol=tcp, port=7807, wait=no, user=_inetdt, exec=/bin/cat;\n' >> \
    "$T/inetd.conf"
ctl reload > /dev/null
jcheck reload-new-zero 'svc("new/tcp")["accepted"], svc("echo/tcp")["accepted"]' \
    '(0, 2)'

# --- unknown services, and commands inetdctl does not know.
out=$(ctl pause nosuch 2>&1); rc=$?
[ $rc = 1 ] && [ "$out" = "inetdctl: no service nosuch" ] &&
    success unknown-service || failure unknown-service "rc $rc: $out"
ctl frobnicate > /dev/null 2>&1 && failure usage || success usage

# --- log brief and verbose, at run time (inetd was started with -v).
out=$(ctl log brief)
echo hi | nc -N -w 5 127.0.0.1 7805 > /dev/null
wait_log '^cat/tcp: pid [0-9]+ for 127.0.0.1:[0-9]+ as _inetdt: exit 0' 5
n=$(count_log '^cat/tcp: started pid')
ctl log verbose > /dev/null
echo hi | nc -N -w 5 127.0.0.1 7805 > /dev/null
if wait_for 5 sh -c "[ \$(grep -c '^cat/tcp: started pid' $T/log) -gt $n ]" &&
    [ "$n" = 1 ]; then
	success log-levels
else
	failure log-levels "started lines: $n before log verbose"
fi

# --- the read-only socket: show for its group, nothing else.
ro() { setpriv --reuid=_inetdt --regid=_inetdt2 --clear-groups "$CTL" -s "$T/ro.sock" "$@"; }
out=$(ro -j show | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["services"]))')
[ "$out" -ge 8 ] 2>/dev/null && success ro-show || failure ro-show "$out"
out=$(ro reload 2>&1); rc=$?
[ $rc = 1 ] && [ "$out" = "inetdctl: not allowed on the read-only socket" ] &&
    success ro-reload-refused || failure ro-reload-refused "rc $rc: $out"
out=$(ro pause cat 2>&1); rc=$?
[ $rc = 1 ] && success ro-pause-refused || failure ro-pause-refused "$out"
out=$(setpriv --reuid=_inetdt --regid=nogroup --clear-groups "$CTL" -s \
    "$T/ro.sock" show 2>&1); rc=$?
[ $rc = 1 ] && success ro-other-group || failure ro-other-group "$out"
# Root's socket refuses a peer that is not root, whatever its mode.
chmod 666 "$T/inetd.sock"
out=$(setpriv --reuid=_inetdt --regid=nogroup --clear-groups "$CTL" -s \
    "$T/inetd.sock" reload 2>&1); rc=$?
chmod 600 "$T/inetd.sock"
[ $rc = 1 ] && wait_log 'control socket: refused a peer not root' 5 &&
    success root-peer-only || failure root-peer-only "rc $rc: $out"

# --- malformed requests: each ends its own connection, and is logged;
# another client's request is answered meanwhile and after.
cat > "$T/bad.py" <<'PY'
import array, os, socket, struct, sys
path, what = sys.argv[1], sys.argv[2]
CTL, CTL_END = 19, 22		# enum imsg_type
def hdr(t, n):
    return struct.pack("=IIIi", t, 16 + n, 0, os.getpid())
def req(cmd, name=b"", version=1):
    body = struct.pack("=IIII", version, cmd, 0, 0xffffffff)
    return body + name.ljust(280, b"\0")
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(path)
good = req(1)
msgs = {
    "short": [hdr(CTL, 0)[:10]],
    "len": [hdr(CTL, len(good) + 4) + good],
    "size": [hdr(CTL, 8) + good[:8]],
    "type": [hdr(99, len(good)) + good],
    "answer": [hdr(CTL_END, len(good)) + good],
    "version": [hdr(CTL, len(good)) + req(1, version=7)],
    "cmd": [hdr(CTL, len(good)) + req(77)],
    "cmd0": [hdr(CTL, len(good)) + req(0)],
    "name": [hdr(CTL, len(good)) + req(5, b"x" * 280)],
    "twice": [hdr(CTL, len(good)) + good, hdr(CTL, len(good)) + good],
    "huge": [b"\0" * 20000],
}
if what == "fd":
    r, w = os.pipe()
    s.sendmsg([hdr(CTL, len(good)) + good],
        [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))])
else:
    for m in msgs[what]:
        try:
            s.send(m)
        except OSError:
            pass
s.settimeout(10)
# Read until inetd closes: answers to a good first request may come.
try:
    while s.recv(65536):
        pass
    print("closed")
except socket.timeout:
    print("open")
except OSError as e:
    print("closed")
PY
# "twice": a second request while the listener, stopped, has yet to
# answer the first.
declare -A why=([short]="short message"
    [len]="length does not match the header" [size]="bad control request"
    [type]="unknown message type" [answer]="unexpected message"
    [version]="bad control request" [cmd]="bad control request"
    [cmd0]="bad control request" [name]="bad control request"
    [twice]="a request before the last" [huge]="oversized message"
    [fd]="descriptor where none is expected")
for what in short len size type answer version cmd cmd0 name twice huge fd; do
	pat="channel to inetdctl: ${why[$what]}.*closing it"
	before=$(grep -c "$pat" "$T/log")
	[ $what = twice ] && kill -STOP "$(role_pid listener)"
	got=$(python3 "$T/bad.py" "$T/inetd.sock" $what 2>&1)
	[ $what = twice ] && kill -CONT "$(role_pid listener)"
	if [ "$got" = closed ] && wait_for 5 sh -c \
	    "[ \$(grep -c '$pat' $T/log) -gt $before ]"; then
		success "malformed-$what"
	else
		failure "malformed-$what" "$got; no line '$pat'"
	fi
done
[ "$(js 'd["generation"]')" = 3 ] && [ "$(say 7 ping)" = ping ] &&
    success malformed-others-served || failure malformed-others-served
[ "$(count_log '^reloading /')" = 4 ] && success malformed-no-reload ||
    failure malformed-no-reload "$(count_log '^reloading /') reloads"

# --- a control request from the listener ends its channel, nothing else.
need_prog imsgtest
lp=$(role_pid listener)
"$REGRESS/imsgtest" inject "$lp" 3 ctlreload
if wait_log 'channel to listener: unexpected message \(type control request\)' 5 &&
    wait_log '^generation 4 in force' 10 &&
    [ "$(count_log '^reloading /')" = 4 ]; then
	success listener-cannot-ask
else
	failure listener-cannot-ask
fi
lp=$(role_pid listener)
"$REGRESS/imsgtest" inject "$lp" 3 ctlanswer
wait_log 'channel to listener: control answer unasked' 5 &&
    success listener-unasked-answer || failure listener-unasked-answer
wait_log '^generation 5 in force' 10
[ "$(ctl show | grep -c 'serving')" -ge 8 ] && success after-restarts ||
    failure after-restarts

# A pause is the parent's: it outlives a restart of the listener.  And
# a show asked while the new listener has no table yet waits for it
# rather than answer with nothing.
ctl pause cat > /dev/null
kill -KILL "$(role_pid listener)"
out=$(ctl -j show | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["services"]))')
[ "$out" -ge 9 ] 2>/dev/null && success show-while-restarting ||
    failure show-while-restarting "$out services"
wait_log '^generation 6 in force' 10
if wait_for 5 sh -c "$CTL -s $T/inetd.sock show | grep -q '^cat/tcp.paused'" &&
    got=$(say 7805 hi) && [ "$got" = "" ]; then
	success pause-outlives-restart
else
	failure pause-outlives-restart "$(ctl show | grep '^cat/tcp'): '${got:-}'"
fi
ctl resume cat > /dev/null
[ "$(say 7805 hi)" = hi ] && success resume-after-restart ||
    failure resume-after-restart
# Nothing to pause: a name with no entry of its own that listens.
out=$(ctl kill nosuch 2>&1); rc=$?
[ $rc = 1 ] && [ "$out" = "inetdctl: no service nosuch" ] &&
    success kill-unknown || failure kill-unknown "rc $rc: $out"

# A program that fails before exec is a spawn failure, not an exit.
mv "$T/probe" "$T/probe.gone"
echo hi | nc -N -w 5 127.0.0.1 7804 > /dev/null
wait_log '^filt/tcp: pid [0-9]+: exec failed' 5
jcheck spawn-failure 'svc("filt/tcp")["spawn_failures"], svc("filt/tcp")["last_exit"]' \
    "(1, None)"
mv "$T/probe.gone" "$T/probe"

# The read-only socket's clients cannot crowd out root's.
cat > "$T/hold.py" <<'PY'
import socket, sys, time
held = []
for i in range(int(sys.argv[2])):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(sys.argv[1])
    held.append(s)
print("held", flush=True)
time.sleep(30)
PY
setpriv --reuid=_inetdt --regid=_inetdt2 --clear-groups /usr/bin/python3 \
    "$T/hold.py" "$T/ro.sock" 12 > "$T/hold.out" 2>&1 &
holder=$!
wait_for 5 grep -q held "$T/hold.out"
if wait_log 'ro.sock: 8 clients already; refused one' 5 &&
    [ "$(ctl reload)" = "generation 7 in force" ]; then
	success ro-cannot-crowd-root
else
	failure ro-cannot-crowd-root "$(cat "$T/hold.out")"
fi
kill $holder 2>/dev/null

# --- a second inetd on the same socket is refused; the pid file goes
# with the parent.
out=$("$INETD" -d -s "$T/inetd.sock" -p "$T/other.pid" "$T/inetd.conf" 2>&1)
rc=$?
[ $rc = 1 ] && printf '%s' "$out" | grep -q 'another inetd answers on it' &&
    [ ! -e "$T/other.pid" ] && success socket-in-use ||
    failure socket-in-use "rc $rc: $out"
stop_inetd
[ ! -e "$T/inetd.pid" ] && [ ! -e "$T/inetd.sock" ] &&
    success cleanup || failure cleanup
# One left behind by an inetd that is gone is replaced.
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1])' \
    "$T/inetd.sock"
start_inetd <<CONF && ctl show > /dev/null && success stale-socket ||
127.0.0.1:echo stream tcp nowait root internal
CONF
    failure stale-socket
exit 0
