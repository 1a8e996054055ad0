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

# Audit findings the parent closes.  L-2: a child's log line is one
# escaped line at LOG_ERR at most.  L-1: the listener cannot ask for a
# reload.  L-9: the roles get /dev/null on 0-2.  L-10: the roles are
# re-executed from the binary inetd started from, not from its path.
# L-7: UNIX socket files only where no one else can meddle, and only
# inetd's own are removed.  Info: _inetd must not have group 0.  A
# hostile listener is played by imsgtest, which takes a copy of its
# channel to the parent with pidfd_getfd.
. "$(dirname "$0")/lib.sh"
NAME=sec
need_tool nc

if [ ! -x "$REGRESS/imsgtest" ]; then
	failure build "regress/imsgtest not built"
	exit 0
fi
inject() { "$REGRESS/imsgtest" inject "$@"; }

# What a forged line looks like once escaped, as a fixed string.
FORGED='l2-probe\nsshd[1]: Accepted password for root\a\b\r\033[2J'

# L-2 through syslog, which shows the priority: run in a mount namespace
# of its own, with a /dev of its own where /dev/log is ours.
if [ "${1:-}" = l2-syslog ]; then
	if ! mount -t tmpfs -o mode=755 tmpfs /dev ||
	    ! mknod -m 666 /dev/null c 1 3 ||
	    ! mknod -m 666 /dev/urandom c 1 9; then
		skip l2-log-priority "cannot make a private /dev"
		exit 0
	fi
	nc -lkuU /dev/log > "$T/syslog" & ncpid=$!
	wait_for 5 test -S /dev/log
	echo 'echo stream tcp nowait root internal' > "$T/inetd.conf"
	"$INETD" "${INETD_RUN[@]}" "$T/inetd.conf"
	wait_for 10 grep -q 'generation 1 in force' "$T/syslog"
	pid=$(grep -o 'inetd\[[0-9]*\]: started' "$T/syslog" | tr -dc 0-9)
	lp=$(pgrep -P "${pid:-0}" -f '^inetd: listener$')
	if [ -z "$lp" ] || ! inject "$lp" 3 logforge; then
		failure l2-log-priority "no listener to play"
	# <27> is daemon.err; the line is whole, with no newline in it.
	elif wait_for 10 grep -q l2-probe "$T/syslog" &&
	    [ "$(grep -ao '<[0-9]*>[^<]*l2-probe' "$T/syslog" |
	    cut -d'>' -f1)" = "<27" ] &&
	    grep -qF "inetd[$pid]: $FORGED" "$T/syslog" &&
	    ! grep -q '^sshd' "$T/syslog"; then
		success l2-log-priority
	else
		failure l2-log-priority "$(grep -ao '<[0-9]*>[^<]*l2-probe.*' \
		    "$T/syslog")"
	fi
	[ -n "$pid" ] && kill "$pid" && wait_for 10 test ! -e "/proc/$pid"
	kill "$ncpid"
	exit 0
fi

# Info: _inetd with primary group 0, in a private copy of /etc/passwd.
if [ "${1:-}" = info-gid0 ]; then
	sed "s/^\(_inetd:[^:]*:[^:]*:\)[0-9]*:/\10:/" /etc/passwd > "$T/passwd"
	echo 'echo stream tcp nowait root internal' > "$T/inetd.conf"
	if ! grep -q '^_inetd:[^:]*:[^:]*:0:' "$T/passwd" ||
	    ! mount --bind "$T/passwd" /etc/passwd; then
		skip info-inetd-gid0 "cannot make a private /etc/passwd"
		exit 0
	fi
	out=$(timeout 10 "$INETD" -d "${INETD_RUN[@]}" "$T/inetd.conf" 2>&1)
	rc=$?
	[ $rc = 1 ] && [ "$out" = "inetd: user _inetd must not have group 0" ] &&
	    success info-inetd-gid0 || failure info-inetd-gid0 "rc $rc: $out"
	exit 0
fi

if unshare -m true 2>/dev/null; then
	unshare -m --propagation private -- bash "$0" info-gid0
else
	skip info-inetd-gid0 "no mount namespaces"
fi

# --- L-2 and L-1: a hostile listener's messages to the parent.

# First through syslog, while the port is free.
if unshare -m true 2>/dev/null; then
	unshare -m --propagation private -- bash "$0" l2-syslog
else
	skip l2-log-priority "no mount namespaces"
fi

start_inetd <<CONF || { failure start; exit 0; }
echo stream tcp nowait root internal
CONF

# One line, every control character escaped; nothing starts a line of
# its own.  Under -d the log shows no priority: see l2-log-priority.
lp=$(role_pid listener)
if inject "$lp" 3 logforge && wait_log 'l2-probe'; then
	if grep -qxF "$FORGED" "$T/log" && ! grep -q '^sshd' "$T/log"; then
		success l2-log-injection
	else
		failure l2-log-injection "$(grep -a -A1 l2-probe "$T/log" |
		    cut -c1-80 | tr '\n' '|')"
	fi
else
	failure l2-log-injection "the line did not reach the log"
fi

# A flood is cut at 1000 lines a second, and the parent says so.
lp=$(role_pid listener)
if inject "$lp" 3 logflood &&
    wait_log 'listener: more than 1000 log lines a second; dropping' 20 &&
    [ "$(count_log '^l2-flood$')" -lt 20000 ]; then
	success l2-log-rate
else
	failure l2-log-rate "$(count_log '^l2-flood$') of 20000 lines logged"
fi

# L-1: a reload asked for by the listener ends its channel; nothing is
# parsed again.
lp=$(role_pid listener)
inject "$lp" 3 reload
if wait_log 'unexpected message \(type reload\)|^reloading'; then
	grep -q 'channel to listener: unexpected message (type reload)' \
	    "$T/log" && wait_log '^generation 2 in force' &&
	    [ "$(count_log '^reloading')" = 0 ] &&
	    success l1-reload-from-listener ||
	    failure l1-reload-from-listener "$(grep -E '^(reload|chan)' \
	    "$T/log" | head -2 | tr '\n' '|')"
else
	failure l1-reload-from-listener "no word from the parent"
fi
stop_inetd

# --- L-9: started with a file on standard input (as a terminal would
# be) and a log file on 1 and 2, the roles hold none of them.
echo keystrokes > "$T/stdin"
printf '#!/bin/sh\nexec %s "$@" < %s\n' "$INETD" "$T/stdin" > "$T/wrap"
chmod 755 "$T/wrap"
INETD=$T/wrap start_inetd <<CONF || { failure start2; exit 0; }
echo stream tcp nowait root internal
CONF
bad=
for r in listener spawner; do
	p=$(role_pid $r)
	for fd in 0 1 2; do
		l=$(readlink "/proc/$p/fd/$fd")
		# A sanitizer build's role has its report file on 2.
		[ $fd = 2 ] && sanitized && case $l in
		*/asan.$r.$p) continue ;;
		esac
		[ "$l" = /dev/null ] || bad="$bad $r:$fd=$l"
	done
done
[ -n "$p" ] && [ -z "$bad" ] && success l9-roles-devnull ||
    failure l9-roles-devnull "${bad:-no spawner}"
# The listener still logs, through the parent.
lp=$(role_pid listener)
inject "$lp" 3 log && wait_log '^dispatch-probe$' &&
    success l9-roles-still-log || failure l9-roles-still-log
stop_inetd

# --- L-10: a binary replaced under a running inetd is not what a
# restart runs.  The replacement would leave a marker.
cp "$INETD" "$T/inetd.old"
INETD=$T/inetd.old start_inetd <<CONF || { failure start3; exit 0; }
echo stream tcp nowait root internal
CONF
rm "$T/inetd.old"
printf '#!/bin/sh\ntouch %s/ran\nexec sleep 30\n' "$T" > "$T/inetd.old"
chmod 755 "$T/inetd.old"
lp=$(role_pid listener)
kill -KILL "$lp"
if wait_log '^generation 2 in force'; then
	lp=$(role_pid listener)
	exe=$(readlink "/proc/$lp/exe")
	[ ! -e "$T/ran" ] && [ "$exe" = "$T/inetd.old (deleted)" ] &&
	    [ "$(say 7 ping)" = ping ] &&
	    success l10-reexec-from-fd ||
	    failure l10-reexec-from-fd "exe $exe"
else
	failure l10-reexec-from-fd "no restart$([ -e "$T/ran" ] &&
	    echo ', the replacement ran')"
fi
stop_inetd

# --- L-7: UNIX socket files.  A socket only where every directory (and
# link) on the way is root's and writable by no one else (a sticky /tmp
# of root's will do); a live socket that is not inetd's is left alone,
# at start and at shutdown.
install_prog svcinfo
mkdir -m 755 "$T/victim" "$T/app"
chown nobody "$T/app"
ln -s "$T/victim" "$T/app/run"
mkdir -m 1777 "$T/sticky"
ln -s "$T/victim" "$T/sticky/run"
chown -h nobody "$T/sticky/run"
ln -s "$T/victim" "$T/rootlink"
nc -lkU "$T/live.sock" > "$T/live.out" & livepid=$!
wait_for 5 test -S "$T/live.sock"
start_inetd <<CONF || { failure start4; exit 0; }
$T/app/run/a.sock stream unix nowait daemon $T/svcinfo a
$T/sticky/run/b.sock stream unix nowait daemon $T/svcinfo b
$T/rootlink/c.sock stream unix nowait daemon $T/svcinfo c
$T/live.sock stream unix nowait daemon $T/svcinfo live
$T/f.sock stream unix nowait daemon $T/svcinfo f
CONF
# logged line text: the log names that line of the file and says text.
logged() { grep -qF "$T/inetd.conf:$1: $2" "$T/log"; }
nobody=$(id -u nobody)
[ ! -e "$T/victim/a.sock" ] && [ ! -e "$T/victim/b.sock" ] &&
    logged 1 "$T/app/run/a.sock: socket directory $T/app is owned by uid \
$nobody and mode 755" &&
    logged 2 "$T/sticky/run/b.sock: socket directory $T/sticky/run is a \
link owned by uid $nobody" &&
    success l7-unix-symlink-dir ||
    failure l7-unix-symlink-dir "$(grep -E 'sock: socket dir' "$T/log" |
    head -2 | tr '\n' '|')"
[ "$(nc -NU "$T/rootlink/c.sock" < /dev/null)" = c ] &&
    success l7-root-link-taken || failure l7-root-link-taken
echo l7-hello | nc -NU "$T/live.sock"
wait_for 5 grep -q l7-hello "$T/live.out" &&
    logged 4 "$T/live.sock is a socket in use; it is left alone" &&
    success l7-live-socket-kept ||
    failure l7-live-socket-kept "$(grep live.sock "$T/log" | head -1)"
# Someone else's socket where inetd's was: not inetd's to remove.
fwas=$(nc -NU "$T/f.sock" < /dev/null)
rm "$T/f.sock"
nc -lkU "$T/f.sock" > /dev/null & fpid=$!
wait_for 5 test -S "$T/f.sock"
stop_inetd
[ "$fwas" = f ] && [ -S "$T/f.sock" ] && [ -S "$T/live.sock" ] &&
    [ ! -e "$T/victim/c.sock" ] && success l7-foreign-socket-kept ||
    failure l7-foreign-socket-kept "served '$fwas'; $(ls "$T" | tr '\n' ' ')"
kill "$livepid" "$fpid"
wait "$livepid" "$fpid" 2>/dev/null
exit 0
