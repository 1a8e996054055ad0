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

# A confinement kill names its system call, which the spawner reads from
# the kernel's audit record of the kill; a SIGSYS that has no record
# says the call is unknown.  Kills that come together are each named.
. "$(dirname "$0")/lib.sh"
need_tool nc pgrep
NAME=violation

test_user || { skip all "cannot create the test user"; exit 0; }
install_prog probe
start_inetd <<CONF || { failure start "inetd did not start"; exit 0; }
sock on protocol=tcp, port=7801, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio";
prot on protocol=tcp, port=7802, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio";
burst on protocol=tcp, port=7803, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio";
sleeper on protocol=tcp, port=7804, wait=no, user=_inetdt, exec=/bin/sleep,
	args=sleep 30;
CONF

ask() { printf '%s\n' "$2" | nc -N -w 5 127.0.0.1 "$1" >/dev/null; }

ask 7801 socket_inet
wait_log '^sock/tcp: pid [0-9]+ killed' 5
violation_named socket sock socket
ask 7802 mprotect_exec
wait_log '^prot/tcp: pid [0-9]+ killed' 5
violation_named mprotect prot mprotect

# Six at once: records that come before their child is reaped, or after.
for i in 1 2 3 4 5 6; do
	ask 7803 setuid0 &
	pids="${pids:-} $!"
done
wait $pids
six() { [ "$(count_log '^burst/tcp: pid [0-9]+ killed')" = 6 ]; }
if ! wait_for 5 six; then
	failure burst "$(count_log '^burst/tcp: pid [0-9]+ killed') kills"
elif [ "$(count_log '^burst/tcp: .*violation: setuid \(system')" = 6 ]
then
	success burst
else
	violation_named burst burst setuid
fi

# A SIGSYS no filter sent: there is no record to name it.
nc -z -w 2 127.0.0.1 7804
sleeper() { [ -n "$(started_pid sleeper/tcp)" ]; }
if ! wait_for 5 sleeper; then
	failure unknown "the service did not start"
else
	kill -SYS "$(started_pid sleeper/tcp)"
	want='killed: confinement violation: system call unknown; see the'
	want="^sleeper/tcp: pid [0-9]+ $want audit log\$"
	wait_log '^sleeper/tcp: pid [0-9]+ killed' 5 &&
	    grep -Eq "$want" "$T/log" && success unknown ||
	    failure unknown "$(grep '^sleeper' "$T/log" | tail -1)"
fi
exit 0
