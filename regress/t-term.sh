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

# SIGTERM and SIGINT: every listening socket closed, exit 0; running
# services are left to finish.
. "$(dirname "$0")/lib.sh"
need_tool nc ss pgrep

cat > "$T/slow.sh" <<'SH'
#!/bin/sh
read line
echo "late $line"
SH
chmod 755 "$T/slow.sh"
start_inetd <<CONF || { failure start; exit 0; }
7070 stream tcp nowait daemon $T/slow.sh
7071 dgram udp wait daemon $T/slow.sh
CONF
lp=$(role_pid listener); sp=$(role_pid spawner)
mkfifo "$T/in"
nc 127.0.0.1 7070 < "$T/in" > "$T/out" & ncp=$!
exec 8> "$T/in"
wait_log '7070/tcp: started pid' 5
kill -TERM "$INETD_PID"
wait "$INETD_PID"; rc=$?
INETD_PID=
[ $rc = 0 ] && success exit-0 || failure exit-0 "rc $rc"
free() { ! nc -z 127.0.0.1 7070 && ! ss -Hlun | grep -q ':7071 '; }
wait_for 5 free && success ports-freed || failure ports-freed
gone() { ! kill -0 "$lp" 2>/dev/null && ! kill -0 "$sp" 2>/dev/null; }
wait_for 5 gone && success children-exit || failure children-exit
echo "bye" >&8
exec 8>&-
wait $ncp
[ "$(cat "$T/out")" = "late bye" ] &&
    success service-finishes || failure service-finishes "got '$(cat "$T/out")'"

start_inetd < <(echo "7072 stream tcp nowait daemon $T/slow.sh") || { failure start2; exit 0; }
kill -INT "$INETD_PID"
wait "$INETD_PID"; rc=$?
INETD_PID=
# The listener exits once the parent's channel closes: wait for it.
[ $rc = 0 ] && wait_for 5 sh -c '! nc -z 127.0.0.1 7072' && success sigint ||
    failure sigint "rc $rc"
