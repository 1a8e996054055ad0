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

# Under systemd: readiness (READY=1) comes only once the generation is in
# force and the services answer, a reload says RELOADING=1 and READY=1
# again, a stop says STOPPING=1; neither the roles nor a service see
# NOTIFY_SOCKET.  A stand-in for the service manager receives what inetd
# sends; the unit file passes systemd-analyze verify.
. "$(dirname "$0")/lib.sh"
need_tool nc python3

install_prog svcinfo

# The stand-in: one line a datagram in $T/notify.log, its lines joined
# by '|'.  On READY=1 it notes whether the log already said that the
# generation is in force ("inforce") and whether each port named on its
# command line answers with its name ("answered").
cat > "$T/notifyd.py" <<'PY'
import socket, sys, re
addr, log, inetdlog = sys.argv[1], sys.argv[2], sys.argv[3]
ports = sys.argv[4:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
open(log + ".bound", "w").close()
while True:
    msg = s.recv(4096).decode("ascii", "replace")
    line = msg.replace("\n", "|")
    if "READY=1" in msg.split("\n"):
        with open(inetdlog) as f:
            text = f.read()
        n = len(re.findall(r"^generation [0-9]+ in force", text, re.M))
        line += " inforce=%d" % n
        ok = True
        for p in ports:
            port, want = p.split(":")
            try:
                c = socket.create_connection(("127.0.0.1", int(port)), 5)
                c.settimeout(5)
                got = c.makefile().readline().strip()
                c.close()
            except OSError:
                got = ""
            ok = ok and got == want
        line += " answered=%s" % ("yes" if ok else "no")
    with open(log, "a") as f:
        f.write(line + "\n")
PY

NOTIFYD_PID=
stop_notifyd() {
	[ -n "$NOTIFYD_PID" ] || return 0
	kill "$NOTIFYD_PID" 2>/dev/null
	wait "$NOTIFYD_PID" 2>/dev/null
	NOTIFYD_PID=
}
trap 'stop_notifyd; cleanup' EXIT

# start_notifyd address port:answer...
start_notifyd() {
	local a=$1
	shift
	rm -f "$T/notify.log" "$T/notify.log.bound"
	: > "$T/log"
	python3 "$T/notifyd.py" "$a" "$T/notify.log" "$T/log" "$@" &
	NOTIFYD_PID=$!
	wait_for 10 test -e "$T/notify.log.bound"
}
nlines() { grep -c "$1" "$T/notify.log" 2>/dev/null; }
# wait_notify regexp count: until count lines of notify.log match.
wait_notify() {
	wait_for 10 sh -c "[ \$(grep -Ec '$1' $T/notify.log 2>/dev/null) -ge $2 ]"
}

start_notifyd "$T/notify.sock" 7001:one 7002:two ||
    { failure notifyd "the stand-in did not start"; exit 0; }
INETD_ENV=(NOTIFY_SOCKET="$T/notify.sock")
start_inetd <<CONF || { failure start; exit 0; }
7001 stream tcp nowait daemon $T/svcinfo one
7002 stream tcp nowait daemon $T/svcinfo two
7003 stream tcp nowait daemon $T/svcinfo svcinfo env
CONF

if wait_notify '^READY=1' 1; then
	line=$(grep '^READY=1' "$T/notify.log" | head -1)
	case $line in
	*"STATUS=generation 1 in force: 3 services"*" inforce=1 answered=yes")
		success ready ;;
	*)	failure ready "$line" ;;
	esac
else
	failure ready "no READY=1: $(cat "$T/notify.log" 2>/dev/null)"
fi
[ "$(nlines '^READY=1')" = 1 ] && success ready-once ||
    failure ready-once "$(cat "$T/notify.log")"

env=$(say 7003 '')
if [ -z "$env" ]; then
	failure service-env "no answer"
elif printf '%s\n' "$env" | grep -q NOTIFY_SOCKET; then
	failure service-env "a service sees NOTIFY_SOCKET"
else
	success service-env
fi

# A reload: RELOADING=1 with the clock, then READY=1 for the new
# generation, once its new port answers.
cat > "$T/inetd.conf" <<CONF
7001 stream tcp nowait daemon $T/svcinfo one
7002 stream tcp nowait daemon $T/svcinfo two
7004 stream tcp nowait daemon $T/svcinfo four
CONF
kill -HUP "$INETD_PID"
if wait_notify '^READY=1' 2; then
	first=$(sed -n 2p "$T/notify.log")
	second=$(sed -n 3p "$T/notify.log")
	case $first in
	RELOADING=1\|MONOTONIC_USEC=[0-9]*\|*) success reloading ;;
	*)	failure reloading "$first" ;;
	esac
	case $second in
	*"STATUS=generation 2 in force: 3 services"*" inforce=2 answered=yes")
		;;
	*)	failure reload-ready "$second" ;;
	esac && [ "$(say 7004 '')" = four ] && success reload-ready
else
	failure reload-ready "$(cat "$T/notify.log")"
fi

# A reload that fails: RELOADING=1, then READY=1 and the old generation.
echo 'this is not a service' > "$T/inetd.conf"
kill -HUP "$INETD_PID"
if wait_notify '^READY=1' 3; then
	line=$(tail -1 "$T/notify.log")
	case $line in
	*"STATUS=reload failed; generation 2 stays in force"*) ;;
	*)	false ;;
	esac && [ "$(nlines '^RELOADING=1')" = 2 ] &&
	    success reload-failed || failure reload-failed "$line"
else
	failure reload-failed "$(cat "$T/notify.log")"
fi

# The unit's ExecReload, at the inetdctl and the socket under test: it
# fails while the file is refused, and succeeds once it is good again.
reload=$(sed -n 's|^ExecReload=/usr/local/sbin/inetdctl ||p' \
    "$TOP/systemd/inetd.service")
if [ "$reload" = reload ]; then
	"$TOP/inetdctl/inetdctl" -s "$T/inetd.sock" $reload > "$T/out" 2>&1
	rc=$?
	printf '7001 stream tcp nowait daemon %s one\n' "$T/svcinfo" > \
	    "$T/inetd.conf"
	[ $rc = 1 ] && grep -q 'stays in force' "$T/out" &&
	    [ "$("$TOP/inetdctl/inetdctl" -s "$T/inetd.sock" $reload)" = \
	    "generation 3 in force" ] && success unit-reload ||
	    failure unit-reload "rc $rc: $(tr '\n' ' ' < "$T/out")"
else
	failure unit-reload "ExecReload is not inetdctl reload"
fi

stop_inetd
wait_notify '^STOPPING=1' 1 && success stopping ||
    failure stopping "$(tail -1 "$T/notify.log")"
stop_notifyd

# An abstract name, as systemd may give.
start_notifyd "@inetd-regress-$$" 7001:one ||
    { failure abstract "the stand-in did not start"; exit 0; }
INETD_ENV=(NOTIFY_SOCKET="@inetd-regress-$$")
start_inetd <<CONF || { failure abstract "inetd did not start"; exit 0; }
7001 stream tcp nowait daemon $T/svcinfo one
CONF
wait_notify '^READY=1.* inforce=1 answered=yes' 1 && success abstract ||
    failure abstract "$(cat "$T/notify.log" 2>/dev/null)"
stop_inetd
stop_notifyd

# A NOTIFY_SOCKET no one listens on changes nothing but a line in the log.
INETD_ENV=(NOTIFY_SOCKET="$T/nobody.sock")
start_inetd <<CONF || { failure no-manager "inetd did not start"; exit 0; }
7001 stream tcp nowait daemon $T/svcinfo one
CONF
[ "$(say 7001 '')" = one ] &&
    [ "$(count_log 'NOTIFY_SOCKET: cannot tell')" = 1 ] &&
    success no-manager || failure no-manager "$(tail -3 "$T/log")"
stop_inetd

# The roles are started without NOTIFY_SOCKET: what each exec got, seen
# by strace (their /proc/PID/environ holds their title, not this).
if command -v strace >/dev/null 2>&1; then
	cat > "$T/inetd.conf" <<CONF
7003 stream tcp nowait daemon $T/svcinfo svcinfo env
CONF
	: > "$T/log"
	NOTIFY_SOCKET=$T/nobody.sock strace -f -qq -v -s 4096 \
	    -e trace=execve,execveat -o "$T/trace" \
	    "$INETD" -d "${INETD_RUN[@]}" "$T/inetd.conf" >> "$T/log" 2>&1 &
	INETD_PID=$!
	if wait_log '^generation 1 in force' 20 && [ -n "$(say 7003 '')" ]
	then
		# The parent's own execs keep it (the first, and the one
		# that starts it again without glibc's tcache); no role's,
		# lookup's or service's does.
		roles=$(grep -Ec 'exec.*"-P", "(listener|spawner)"' "$T/trace")
		leaked=$(grep 'NOTIFY_SOCKET=' "$T/trace" |
		    grep -Ec '"-P"|svcinfo')
		if [ "$leaked" != 0 ] ||
		    ! head -1 "$T/trace" | grep -q NOTIFY_SOCKET=; then
			failure roles-env "$leaked role or service \
execs with NOTIFY_SOCKET"
		elif [ "$roles" -lt 2 ]; then
			failure roles-env "$roles roles traced"
		else
			success roles-env
		fi
	else
		failure roles-env "$(tail -3 "$T/log")"
	fi
	kill "$(parent_pid)" 2>/dev/null
	wait "$INETD_PID" 2>/dev/null
	INETD_PID=
else
	skip roles-env "no strace"
fi

# The unit file, with ExecStart at the inetd under test and the manual
# pages it names where man(1) finds them.
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T/unit" "$T/man/man5" "$T/man/man8"
	sed -e "s|^ExecStart=/usr/local/sbin/inetd|ExecStart=$INETD|" \
	    -e "s|^ExecReload=/usr/local/sbin/inetdctl|ExecReload=$TOP/inetdctl/inetdctl|" \
	    "$TOP/systemd/inetd.service" > "$T/unit/inetd.service"
	cp "$TOP/man/inetd.conf.5" "$T/man/man5/"
	cp "$TOP/man/inetd.8" "$TOP/man/inetdctl.8" "$T/man/man8/"
	if out=$(MANPATH=$T/man systemd-analyze verify \
	    "$T/unit/inetd.service" 2>&1) &&
	    [ -z "$out" ]; then
		success verify
	else
		failure verify "$(printf '%s' "$out" | head -3 | tr '\n' ' ')"
	fi
else
	skip verify "no systemd-analyze"
fi
