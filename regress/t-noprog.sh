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

# A service whose program does not exist is logged, with the step, and
# the daemon keeps serving.
. "$(dirname "$0")/lib.sh"
need_tool nc

install_echod
start_inetd <<CONF || { failure start; exit 0; }
9998 stream tcp nowait daemon $T/nonexistent-program
9999 stream tcp nowait daemon $T/echod.sh
CONF

out=$(say 9998 $'hi\n')
[ -z "$out" ] && success closed || failure closed "got '$out'"
wait_log 'execve failed: No such file or directory; connection closed before exec' 5 &&
    success logged || failure logged "$(tail -3 "$T/log")"
out=$(say 9998 $'hi\n')
out=$(say 9999 $'still\n')
[ "$out" = still ] && kill -0 "$INETD_PID" && success keeps-serving || failure keeps-serving
[ "$(count_log 'execve failed:')" = 2 ] && success logged-each || failure logged-each
