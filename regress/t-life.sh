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

# Lifetimes and degrading instead of refusing: timeout= ends a service
# (SIGTERM, then SIGKILL), and a built-in connection.
. "$(dirname "$0")/lib.sh"
need_tool nc pgrep

now() { date +%s%N; }
# Milliseconds since a now.
since() { echo $(( ($(now) - $1) / 1000000 )); }
# A TCP client that sends nothing and waits for the server to close.
hold() { timeout 20 nc -N 127.0.0.1 "$1" < /dev/null > /dev/null 2>&1; }
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
chmod 755 "$T/stubborn.sh"

start_inetd <<CONF || { failure start; exit 0; }
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

# timeout=2: SIGTERM after two seconds, not before, and logged.
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

# A built-in connection: timeout= is its whole lifetime (from the
# .defaults line); the idle timeout alone would take 60 seconds.
mkfifo "$T/dfifo"
t0=$(now)
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
stop_inetd

out=$("$INETD" -n "$T/inetd.conf" 2>/dev/null)
if printf '%s\n' "$out" | grep -A2 ':[23]: nap ' | grep -q ', timeout 2s$' &&
    printf '%s\n' "$out" | grep -A1 ' internal discard' |
    grep -q 'listener, timeout 2s$' &&
    ! printf '%s\n' "$out" | grep -A2 ' free ' | grep -q timeout; then
	success timeout-show
else
	failure timeout-show "$(printf '%s\n' "$out" | grep timeout | head -2)"
fi
exit 0
