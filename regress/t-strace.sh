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

# Every role under strace for a full cycle (start, an exec'd service, a
# pledged and unveiled one, built-ins over TCP and UDP, tcpmux, a reload,
# shutdown): no call is denied anywhere.  ENOSYS answers are the
# documented fallbacks (clone3 and friends) and are not denials.
. "$(dirname "$0")/lib.sh"
need_tool strace nc pgrep

install_echod
cat > "$T/inetd.conf" <<CONF
9999 stream tcp nowait daemon $T/echod.sh
echo stream tcp nowait root internal
127.0.0.1:echo dgram udp wait root internal
daytime stream tcp nowait root internal
tcpmux stream tcp nowait root internal
tcpmux/+echod stream tcp nowait daemon $T/echod.sh
pledged on protocol=tcp, port=7072, wait=no, user=daemon, exec=$T/echod.sh,
	pledge="stdio rpath proc exec", unveil="/usr/bin rx";
CONF
: > "$T/log"
strace -f -qq -o "$T/trace" "$INETD" -d "${INETD_RUN[@]}" "$T/inetd.conf" >> "$T/log" 2>&1 &
INETD_PID=$!
wait_log '^generation 1 in force' 20 || { failure start "$(cat "$T/log")"; exit 0; }
ppid=$(parent_pid)

[ "$(say 9999 $'a\n')" = a ] && [ "$(say 7072 $'b\n')" = b ] &&
    [ "$(printf 'echod\r\nc\n' | nc -N -w 5 127.0.0.1 1 | tail -1)" = c ] &&
    success cycle || failure cycle
say 7 $'d\n' >/dev/null
say 13 '' >/dev/null
printf 'e' | nc -u -w 1 127.0.0.1 7 >/dev/null
kill -HUP "$ppid"
wait_log '^generation 2 in force' 10
[ "$(say 9999 $'f\n')" = f ] && success after-reload || failure after-reload
kill -TERM "$ppid"
wait "$INETD_PID" 2>/dev/null
INETD_PID=

denied=$(grep -E '= -1 (EPERM|EACCES)|SIGSYS \{|killed by SIGSYS' "$T/trace" |
    grep -v -E 'rt_sigaction\(SIGSYS')
if [ -z "$denied" ]; then
	success no-denied-call
else
	failure no-denied-call "$(printf '%s' "$denied" | head -5 | tr '\n' '|')"
fi
