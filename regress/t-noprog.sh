#!/bin/bash
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
