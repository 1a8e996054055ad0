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

# Fairness under a flood: eight threads connect to one exec'd service as
# fast as they can, without waiting for answers, for a few seconds.
# What is checked is not a time (bench/ measures the probe's latency)
# but what makes it short: the spawner never holds more than a few of
# the flooded service's connections (the listener asks for at most 8
# not yet started, and the rest wait in the service's own listen queue),
# and another service is answered all along.
. "$(dirname "$0")/lib.sh"
need_tool nc python3
NAME=fair

test_user || { failure user "cannot make the test user"; exit 0; }

cat > "$T/flood.py" <<'PY'
import socket, sys, threading, time
port, secs = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + secs
def run():
    while time.time() < end:
        s = socket.socket()
        s.settimeout(1)
        try:
            s.bind(("127.0.0.2", 0))
            s.connect(("127.0.0.1", port))
            s.send(b"x\n")
        except OSError:
            pass
        s.close()
ts = [threading.Thread(target=run) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
PY

start_inetd <<CONF || { failure start; exit 0; }
flood on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7721, exec=/bin/cat, args=cat, max=1000000;
probe on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7722, exec=/bin/cat, args=cat, max=1000000;
CONF
spawner=$(role_pid spawner)
[ -n "$spawner" ] || { failure spawner "no spawner found"; exit 0; }
base=$(ls "/proc/$spawner/fd" | wc -l)

python3 "$T/flood.py" 7721 4 &
fp=$!
# Sample what the spawner holds, and probe the other service, until the
# flood ends.
most=0
answered=0
asked=0
while kill -0 $fp 2>/dev/null; do
	n=$(ls "/proc/$spawner/fd" 2>/dev/null | wc -l)
	[ "$n" -gt "$most" ] && most=$n
	got=$(printf 'p\n' | timeout 5 nc -N -w 5 -s 127.0.0.3 127.0.0.1 7722 \
	    2>/dev/null)
	asked=$((asked + 1))
	[ "$got" = p ] && answered=$((answered + 1))
done
wait $fp

# The flood did reach the spawner: the service ran, many times.
spawned=$(count_log '^flood/tcp: started pid')
if [ "$spawned" -ge 50 ]; then
	success flood-served
else
	failure flood-served "$spawned programs started"
fi
# 8 ahead of the flooded service, 1 of the probe, and the programs
# launched meanwhile (a connection is closed once its program runs).
if [ $((most - base)) -le 24 ]; then
	success spawner-queue-bounded
else
	failure spawner-queue-bounded "spawner held $((most - base)) descriptors more than at rest"
fi
if [ "$asked" -gt 0 ] && [ "$answered" = "$asked" ]; then
	success other-service-answered
else
	failure other-service-answered "$answered of $asked probes answered"
fi
