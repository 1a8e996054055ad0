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

# Dispatch refuses what it does not expect.  A hostile listener (its
# channel taken with pidfd_getfd) cannot make the parent reload, nor log
# at a priority that does not exist: either ends the channel, and the
# parent starts fresh children.  A child started by a fake parent refuses
# a table with fewer entries than announced, and a generation that does
# not increase.
. "$(dirname "$0")/lib.sh"

if [ ! -x "$REGRESS/imsgtest" ]; then
	failure build "regress/imsgtest not built"
	exit 0
fi
inject() { "$REGRESS/imsgtest" inject "$@"; }
ready() { wait_log "^generation $1 in force" 10; }

start_inetd <<CONF || { failure start; exit 0; }
echo stream tcp nowait root internal
CONF

# The harness reaches the parent as the listener would.
lp=$(role_pid listener)
if ! inject "$lp" 3 log; then
	skip inject "cannot take the listener's channel"
	exit 0
fi
wait_log '^dispatch-probe$' && success inject || failure inject

# Reload is not the listener's to ask.
inject "$lp" 3 reload
wait_log 'channel to listener: unexpected message \(type reload\)' &&
    wait_log 'restarting listener, spawner and keys' && ready 2 &&
    [ "$(count_log '^reloading')" = 0 ] &&
    success reload-refused || failure reload-refused

# A log line at priority 99 is a protocol error, not an error line.
lp=$(role_pid listener)
inject "$lp" 3 logpri
wait_log 'channel to listener: bad log priority \(type log\)' && ready 3 &&
    [ "$(count_log dispatch-hostile)" = 0 ] &&
    success log-priority || failure log-priority
[ "$(say 7 ping)" = ping ] && success still-serving || failure still-serving

# role how: run a role under a fake parent; its words land in $T/out.
role() {
	"$REGRESS/imsgtest" parent "$INETD" "$1" "$2" "$(id -u _inetd)" \
	    "$(id -g _inetd)" > "$T/out" 2>&1
}
said() { grep -Eq -- "$1" "$T/out"; }
why() { tr '\n' ' ' < "$T/out"; }
acks() { grep -c '^ack 1$' "$T/out"; }
for r in listener spawner; do
	role $r ok
	[ "$(acks)" = 1 ] && said '^exit 0$' &&
	    success $r-ok || failure $r-ok "$(why)"
	role $r count
	[ "$(acks)" = 0 ] && said '^exit 1$' &&
	    said 'service count does not match \(type config end\)' &&
	    success $r-count || failure $r-count "$(why)"
	role $r gen
	[ "$(acks)" = 1 ] && said '^exit 1$' &&
	    said 'generation does not increase \(type config end\)' &&
	    success $r-generation || failure $r-generation "$(why)"
done
# Fewer entries than indices: a socket the parent could not bind, which
# the listener does without; the spawner runs programs and needs them all.
role listener hole
[ "$(acks)" = 1 ] && said '^exit 0$' &&
    success listener-unbound || failure listener-unbound "$(why)"
role spawner hole
[ "$(acks)" = 0 ] && said '^exit 1$' && said 'config end: entries missing' &&
    success spawner-hole || failure spawner-hole "$(why)"
