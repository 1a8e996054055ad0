# Shared by the regress scripts.  Each script runs in a network namespace
# of its own, so ports never clash and privileged ports work.
#
#	. regress/lib.sh
#	start_inetd <<EOF ... EOF	config on stdin; waits for "started:"
#	check name command...		SUCCESS or FAIL name
#
# Results are lines "SUCCESS name", "FAIL name (why)", "SKIP name (why)".

set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
INETD=${INETD:-$TOP/inetd}
REGRESS=$TOP/regress
NAME=$(basename "$0" .sh)
NAME=${NAME#t-}

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP $NAME (needs root)"
	exit 0
fi
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
cleanup() {
	stop_inetd
	rm -rf "$T"
}
trap cleanup EXIT

success() { echo "SUCCESS $NAME${1:+:$1}"; }
failure() { echo "FAIL $NAME${1:+:$1}${2:+ ($2)}"; }
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

# start_inetd [inetd options...] < config
start_inetd() {
	cat > "$T/inetd.conf"
	: > "$T/log"
	env "${INETD_ENV[@]}" "$INETD" -d -v "$@" "$T/inetd.conf" \
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

# The pid of a role: "listener" or "spawner".
role_pid() {
	pgrep -f "^inetd: $1\$" | while read -r p; do
		if [ "$(awk '/^PPid:/ {print $2}' /proc/$p/status)" = \
		    "$INETD_PID" ]; then
			echo "$p"
		fi
	done
}

# A user and group for services, made once for every test.
test_user() {
	getent group _inetdt2 >/dev/null || groupadd -r _inetdt2
	getent group _inetdt3 >/dev/null || groupadd -r _inetdt3
	getent passwd _inetdt >/dev/null ||
	    useradd -r -M -d /nonexistent -s /usr/sbin/nologin \
	    -G _inetdt2,_inetdt3 _inetdt
	getent passwd _inetdt >/dev/null
}

# A copy of a regress helper program where every user can run it.
install_prog() {
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
