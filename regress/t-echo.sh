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

# The tutorial's echod: a four-line shell script as a TCP service, on the
# line exactly as the classic tutorial writes it (no argv0).
. "$(dirname "$0")/lib.sh"
need_tool nc

install_echod
start_inetd <<CONF || { failure start; exit 0; }
9999 stream tcp nowait daemon $T/echod.sh
CONF

out=$(say 9999 $'foobar\n')
[ "$out" = foobar ] && success tutorial || failure tutorial "got '$out'"

out=$(say 9999 $'one\ntwo\nthree\n')
[ "$out" = $'one\ntwo\nthree' ] && success lines || failure lines "got '$out'"

# Line by line: the second line is answered before the third is sent.
coproc NC { nc -w 5 127.0.0.1 9999; }
ok=1
for w in alpha beta gamma; do
	echo "$w" >&"${NC[1]}"
	read -r -t 5 got <&"${NC[0]}" || got=timeout
	[ "$got" = "$w" ] || { ok=0; break; }
done
eval "exec ${NC[1]}>&-"
wait "$NC_PID" 2>/dev/null
[ $ok = 1 ] && success line-by-line || failure line-by-line "got '$got' for '$w'"

# argv0 defaults to the program's base name.
install_prog svcinfo
stop_inetd
start_inetd <<CONF || { failure start2; exit 0; }
9998 stream tcp nowait daemon $T/svcinfo
9997 stream tcp nowait daemon $T/svcinfo myname
CONF
out=$(say 9998 '')
[ "$out" = svcinfo ] && success argv0-default || failure argv0-default "got '$out'"
out=$(say 9997 '')
[ "$out" = myname ] && success argv0-given || failure argv0-given "got '$out'"
