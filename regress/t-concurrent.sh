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

# 100 concurrent connections are all answered.
. "$(dirname "$0")/lib.sh"
need_tool nc pgrep ps

install_echod
start_inetd <<CONF || { failure start; exit 0; }
9999 stream tcp nowait.1000 daemon $T/echod.sh
CONF

pids=
for i in $(seq 1 100); do
	( printf 'hello %d\n' "$i" | nc -N -w 10 127.0.0.1 9999 > "$T/out.$i" ) &
	pids="$pids $!"
done
wait $pids
bad=0
for i in $(seq 1 100); do
	[ "$(cat "$T/out.$i")" = "hello $i" ] || bad=$((bad + 1))
done
[ $bad = 0 ] && success 100-connections || failure 100-connections "$bad of 100 not answered"

# Every child was reaped: none of the spawner's children is a zombie.
sp=$(role_pid spawner)
wait_for 10 sh -c "[ -z \"\$(pgrep -P $sp)\" ]"
zombies=$(ps --ppid "$sp" -o stat= | grep -c Z)
[ "$zombies" = 0 ] && success reaped || failure reaped "$zombies zombies"
