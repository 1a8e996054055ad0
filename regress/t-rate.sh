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

# Over its .max a service is paused, not killed: its socket stays bound,
# one line says so, and it comes back.  max-child holds connections in
# the backlog while that many run.
. "$(dirname "$0")/lib.sh"
need_tool nc

install_prog svcinfo
cat > "$T/slow.sh" <<'SH'
#!/bin/sh
read line
echo "$line"
SH
chmod 755 "$T/slow.sh"
start_inetd <<CONF || { failure start; exit 0; }
fast on protocol=tcp, port=7060, wait=no, user=daemon, max=3, pause=2,
	exec=$T/svcinfo, args=ok;
slow on protocol=tcp, port=7061, wait=no, user=daemon, max-child=2,
	exec=$T/slow.sh;
CONF

for i in 1 2 3; do say 7060 '' > "$T/r.$i"; done
[ "$(cat "$T/r.1" "$T/r.2" "$T/r.3" | tr '\n' ' ')" = "ok ok ok " ] &&
    success under-limit || failure under-limit
out=$(say 7060 '')
[ -z "$out" ] && success over-limit-closed || failure over-limit-closed "got '$out'"
wait_log 'fast/tcp: more than 3 spawns in 60 seconds; paused for 2 seconds' 5 &&
    success pause-logged || failure pause-logged
# Paused, not closed: the port still takes connections into its backlog.
nc -z 127.0.0.1 7060 && success still-bound || failure still-bound
wait_log 'fast/tcp: resumed after 2 seconds' 10 && success resume-logged || failure resume-logged
[ "$(say 7060 '')" = ok ] && success resumed || failure resumed
[ "$(count_log 'paused for')" = 1 ] && success one-line || failure one-line

# max-child=2: two clients hold their service; a third waits, then runs.
mkfifo "$T/in1" "$T/in2"
nc 127.0.0.1 7061 < "$T/in1" > "$T/out1" & p1=$!
nc 127.0.0.1 7061 < "$T/in2" > "$T/out2" & p2=$!
exec 8> "$T/in1" 9> "$T/in2"
wait_for 5 sh -c "[ \$(grep -c 'slow/tcp: started pid' $T/log) = 2 ]"
( printf 'third\n' | nc -N -w 10 127.0.0.1 7061 > "$T/third" ) &
third=$!
wait_log 'slow/tcp: 2 running, waiting for one to exit' 5 &&
    [ "$(grep -c 'slow/tcp: started pid' "$T/log")" = 2 ] &&
    success max-child-holds || failure max-child-holds
echo first >&8
exec 8>&-
wait $third
[ "$(cat "$T/third")" = third ] && success max-child-resumes || failure max-child-resumes
echo second >&9
exec 9>&-
wait $p1 $p2
[ "$(cat "$T/out1")" = first ] && [ "$(cat "$T/out2")" = second ] &&
    success max-child-served || failure max-child-served
