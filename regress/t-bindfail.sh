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

# A socket inetd cannot have: a port another program holds, a path
# where a file is, a UNIX socket in use.  inetd says which and why, and
# serves the rest.  A control socket it cannot make stops it at start.
. "$(dirname "$0")/lib.sh"
need_tool nc python3

# Another program on 7501 and on $T/used.sock until its input closes.
mkfifo "$T/hold"
python3 -c '
import socket, sys
a = socket.socket(); a.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
a.bind(("127.0.0.1", 7501)); a.listen(1)
u = socket.socket(socket.AF_UNIX); u.bind(sys.argv[1]); u.listen(1)
print("ok", flush=True); sys.stdin.read()' "$T/used.sock" < "$T/hold" \
    > "$T/held" & hp=$!
exec 8> "$T/hold"
wait_for 5 grep -q ok "$T/held" || failure holder "python3 did not bind"
: > "$T/file.sock"

start_inetd <<CONF || { failure start; exit 0; }
held on protocol=tcp, port=7501, bind=127.0.0.1, wait=no, user=daemon,
	exec=/bin/cat;
echo stream tcp nowait root internal
$T/file.sock stream unix nowait daemon /bin/cat
$T/used.sock stream unix nowait daemon /bin/cat
CONF
wait_log 'started: 1 of 4 services listening' 5 &&
    success only-one || failure only-one "$(grep started: "$T/log")"
grep -q "inetd.conf:1: held/tcp: cannot listen on port 7501" "$T/log" &&
    success port-in-use || failure port-in-use
grep -q "inetd.conf:4: $T/file.sock exists and is not a socket" "$T/log" &&
    success path-is-file || failure path-is-file
grep -q "inetd.conf:5: $T/used.sock is a socket in use; it is left alone" \
    "$T/log" && success socket-in-use || failure socket-in-use
[ "$(say 7 hi)" = hi ] && success others-served || failure others-served
[ -f "$T/file.sock" ] && [ ! -S "$T/file.sock" ] && success file-kept ||
    failure file-kept
stop_inetd
exec 8>&-
wait $hp

# The control socket: its group must exist, its path must fit.
printf 'echo stream tcp nowait root internal\n' > "$T/c.conf"
out=$("$INETD" -d -s "$T/c.sock" -r "$T/ro.sock" -g nosuchgroup \
    -p "$T/c.pid" "$T/c.conf" 2>&1)
[ $? = 1 ] && printf '%s\n' "$out" | grep -q -- '-g nosuchgroup: no such group' &&
    success ro-group-unknown || failure ro-group-unknown "$out"
long=$T/$(printf 'a%.0s' $(seq 1 120))
out=$("$INETD" -d -s "$long" -p "$T/c.pid" "$T/c.conf" 2>&1)
[ $? = 1 ] && printf '%s\n' "$out" | grep -q 'path too long' &&
    success socket-path-long || failure socket-path-long "$out"
