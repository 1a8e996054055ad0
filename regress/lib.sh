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

# Shared by the regress scripts (regress/README says how to write one).
# Each script runs in a network namespace of its own, so ports never
# clash and privileged ports work, and prints one result line per check:
# "SUCCESS name", "FAIL name (why)" or "SKIP name (why)".
#
#	. "$(dirname "$0")/lib.sh"	root, namespace, $T, $INETD, $NAME
#	need_tool tool...		SKIP the script if a tool is missing
#	start_inetd [option...] <<CONF	inetd -d -v; waits for its table
#	stop_inetd
#	success check			SUCCESS name:check
#	failure check [why...]	FAIL name:check (why, its words joined)
#	skip check why			SKIP name:check (why)
#	wait_for seconds command...	poll until the command succeeds
#	wait_log regexp [seconds]	wait for a line in the log, $T/log
#	count_log regexp		count the lines of the log matching
#	hup				SIGHUP; wait for the next generation in force
#	role_pid role			pid of inetd's listener or spawner
#	parent_pid			pid of inetd when a tracer started it
#	check_refused check text pattern [line]
#					inetd -n refuses a file holding text
#	violation_named check service call
#					its last confinement kill names call
#	need_prog prog...		FAIL if a regress/ helper is not built
#	sanitized			true if inetd is a make SANITIZE=1 build
#	test_user			users _inetdt, groups _inetdt2, 3
#	install_prog prog, install_echod  copies every user can run
#	say port text			send text over TCP, print the answer
#	started_pid service/proto	the pid inetd last started for it
#	ask port line			send a line, print the first line back
#	expect check port line want	SUCCESS if that first line is want

set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
INETD=${INETD:-$TOP/inetd}
REGRESS=$TOP/regress
NAME=$(basename "$0" .sh)
NAME=${NAME#t-}

# need_tool tool...: skip the whole script, naming what is missing, unless
# every tool is installed (make test-deps installs them).
need_tool() {
	local t missing=
	for t; do
		command -v "$t" >/dev/null 2>&1 || missing="$missing, $t"
	done
	if [ -n "$missing" ]; then
		echo "SKIP $NAME (no ${missing#, })"
		exit 0
	fi
}

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP $NAME (needs root)"
	exit 0
fi
need_tool unshare ip
if [ -z "${INETD_NETNS:-}" ]; then
	export INETD_NETNS=1
	if ! unshare -n true 2>/dev/null; then
		echo "SKIP $NAME (no network namespaces)"
		exit 0
	fi
	exec unshare -n -- bash "$0" "$@"
fi
ip link set lo up

T=$(mktemp -d /tmp/inetd-regress.XXXXXX)
chmod 755 "$T"
INETD_PID=
INETD_ENV=()
# Each inetd a script starts has its own control socket and pid file.
INETD_RUN=(-s "$T/inetd.sock" -p "$T/inetd.pid")
cleanup() {
	stop_inetd
	rm -rf "$T"
}
trap cleanup EXIT

success() { echo "SUCCESS $NAME${1:+:$1}"; }
failure() {
	local name=$1
	shift
	echo "FAIL $NAME${name:+:$name}${*:+ ($*)}"
}
skip() { echo "SKIP $NAME${1:+:$1} ($2)"; }

# wait_for timeout_seconds command...: poll until the command succeeds.
wait_for() {
	local n=$(( $1 * 50 ))
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -le 0 ] && return 1
		sleep 0.02
	done
	return 0
}

# wait_log pattern [timeout]: wait for an extended regexp in the log.
wait_log() {
	wait_for "${2:-10}" grep -Eq -- "$1" "$T/log"
}

# Count the lines of the log matching a pattern.
count_log() {
	grep -Ec -- "$1" "$T/log"
}

# hup: SIGHUP to inetd, and wait up to 10 seconds for the next
# generation in force; fails if none comes (a reload that failed).
hup() {
	local n=$(count_log '^generation [0-9]+ in force')
	kill -HUP "$INETD_PID"
	wait_for 10 sh -c "[ \$(grep -Ec '^generation [0-9]+ in force' \
	    $T/log) -gt $n ]"
}

# start_inetd [inetd options...] < config
start_inetd() {
	cat > "$T/inetd.conf"
	: > "$T/log"
	env "${INETD_ENV[@]}" "$INETD" -d -v "${INETD_RUN[@]}" "$@" \
	    "$T/inetd.conf" \
	    >>"$T/log" 2>&1 &
	INETD_PID=$!
	# Listening once the listener has the table the parent sent.
	if ! wait_log '^generation 1 in force' 10; then
		echo "# inetd did not start:" >&2
		sed 's/^/# /' "$T/log" >&2
		return 1
	fi
	return 0
}

stop_inetd() {
	[ -n "$INETD_PID" ] || return 0
	kill "$INETD_PID" 2>/dev/null
	wait "$INETD_PID" 2>/dev/null
	INETD_PID=
}

# The pids of the processes whose command line matches an extended
# regexp and whose parent is $INETD_PID.
child_pid() {
	pgrep -f "$1" | while read -r p; do
		if [ "$(awk '/^PPid:/ {print $2}' /proc/$p/status)" = \
		    "$INETD_PID" ]; then
			echo "$p"
		fi
	done
}

# The pid of a role: "listener" or "spawner".
role_pid() {
	child_pid "^inetd: $1\$"
}

# The pid of inetd's parent process when $INETD_PID is the program that
# started it (strace).  Its title may carry padding after the name.
parent_pid() {
	child_pid '^inetd: parent'
}

# check_refused check text pattern [line]: inetd -n must refuse a file
# holding text, exit 1 and report "file:line: ...pattern"; pattern and
# line are basic regular expressions, line 1 unless given.
check_refused() {
	local name=$1 pattern=$3 line=${4:-1} out rc
	printf '%s\n' "$2" > "$T/refused.conf"
	out=$("$INETD" -n "$T/refused.conf" 2>&1)
	rc=$?
	if [ $rc = 1 ] && printf '%s' "$out" |
	    grep -q "^$T/refused.conf:$line: .*$pattern"; then
		success "$name"
	else
		failure "$name" "rc $rc: $(printf '%s' "$out" | head -1)"
	fi
}

# violation_named check service call: the log line of the service's
# last confinement kill names the system call; SKIP when the kernel log
# holds no audit record of that kill (an audit daemon takes them, or
# there is no /dev/kmsg), since inetd then cannot know it either.
violation_named() {
	local name=$1 svc=$2 call=$3 line pid
	line=$(grep -E "^$svc/[a-z0-9]+: pid [0-9]+ killed: confinement" \
	    "$T/log" | tail -1)
	if [ -z "$line" ]; then
		failure "$name" "no confinement kill of $svc logged"
		return
	fi
	case $line in
	*"violation: $call (system call outside its pledge)")
		success "$name"
		return
		;;
	esac
	pid=${line#*: pid }
	pid=${pid%% *}
	if dmesg 2>/dev/null | grep -Eq "type=1326 .* pid=$pid .* sig=31 "
	then
		failure "$name" "$line"
	else
		skip "$name" "no audit record of pid $pid in the kernel log"
	fi
}

# Whether the binaries are a sanitizer build (make SANITIZE=1, see
# README): a check it changes says SKIP with the reason.
sanitized() {
	[ "$(cat "$TOP/.flavour" 2>/dev/null)" = sanitize ]
}

# A user and group for services, made once for every test.
test_user() {
	need_tool getent groupadd useradd
	getent group _inetdt2 >/dev/null || groupadd -r _inetdt2
	getent group _inetdt3 >/dev/null || groupadd -r _inetdt3
	getent passwd _inetdt >/dev/null ||
	    useradd -r -M -d /nonexistent -s /usr/sbin/nologin \
	    -G _inetdt2,_inetdt3 _inetdt
	getent passwd _inetdt >/dev/null
}

# need_prog prog...: the regress helper programs a script runs, which
# make builds before the tests (make -C regress all).
need_prog() {
	local p
	for p; do
		if [ ! -x "$REGRESS/$p" ]; then
			failure build "regress/$p not built (make -C regress all)"
			exit 0
		fi
	done
}

# A copy of a regress helper program where every user can run it.
install_prog() {
	need_prog "$1"
	cp "$REGRESS/$1" "$T/$1" && chmod 755 "$T/$1"
}

# The tutorial's echod, where every user can run it.
install_echod() {
	cp "$TOP/examples/echod.sh" "$T/echod.sh" && chmod 755 "$T/echod.sh"
}

# say port text: send text, print the answer (IPv4 loopback).
say() {
	printf '%s' "$2" | nc -N -w 5 127.0.0.1 "$1"
}

# From the log, not pgrep: a program of an earlier run may still live.
started_pid() {
	sed -nE "s|^$1: started pid ([0-9]+)\$|\1|p" "$T/log" | tail -1
}

ask() {
	printf '%s\n' "$2" | nc -N -w 5 127.0.0.1 "$1" | head -1
}

expect() {
	local name=$1 port=$2 req=$3 want=$4 got

	got=$(ask "$port" "$req")
	if [ "$got" = "$want" ]; then
		success "$name"
	else
		failure "$name" "'$req' on $port: got '${got:-nothing}'"
	fi
}
