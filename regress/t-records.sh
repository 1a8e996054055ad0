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

# One record per program at info level (log=, on by default): whom it
# served, as whom, how long, how it ended; none with log=no.
. "$(dirname "$0")/lib.sh"
need_tool nc pgrep
NAME=records

test_user || { skip all "cannot create the test user"; exit 0; }
install_prog probe
cat > "$T/exit3.sh" <<'SH'
#!/bin/sh
read -r line
echo "$line"
exit 3
SH
chmod 755 "$T/exit3.sh"
ln -s /bin/sleep "$T/sleep"
start_inetd <<CONF || { failure start "inetd did not start"; exit 0; }
ok on protocol=tcp, port=7901, wait=no, user=_inetdt, exec=/bin/cat;
three on protocol=tcp, port=7902, wait=no, user=_inetdt, exec=$T/exit3.sh;
late on protocol=tcp, port=7903, wait=no, user=_inetdt, exec=/bin/sleep,
	args=sleep 30, timeout=1;
filt on protocol=tcp, port=7904, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio";
quiet on protocol=tcp, port=7905, wait=no, user=_inetdt, exec=/bin/cat,
	log=no;
[::1]:v6 on protocol=tcp6, port=7906, wait=no, user=_inetdt, exec=/bin/cat;
$T/ux.sock stream unix nowait _inetdt /bin/cat cat
127.0.0.1:echo stream tcp nowait root internal
127.0.0.1:daytime dgram udp wait root internal
discard on protocol=tcp, port=7907, wait=no, user=root, exec=internal,
	log=no;
CONF

rec='pid [0-9]+ for 127\.0\.0\.1:[0-9]+ as _inetdt: '
dur=' after [0-9]+\.[0-9]{3} s$'
echo hi | nc -N -w 5 127.0.0.1 7901 > /dev/null
wait_log "^ok/tcp: ${rec}exit 0$dur" 5 && success exit-0 ||
    failure exit-0 "$(grep '^ok/tcp: pid' "$T/log" | tail -1)"
echo hi | nc -N -w 5 127.0.0.1 7902 > /dev/null
wait_log "^three/tcp: ${rec}exit 3$dur" 5 && success exit-3 || failure exit-3
nc -d -w 5 127.0.0.1 7903 > /dev/null 2>&1 &
held=$!
wait_log "^late/tcp: ${rec}signal 15 at its timeout$dur" 8 &&
    success timeout || failure timeout
kill $held 2>/dev/null
echo socket_inet | nc -N -w 5 127.0.0.1 7904 > /dev/null
wait_log "^filt/tcp: ${rec}confinement violation(: socket)?$dur" 5 &&
    success violation || failure violation
# Named by its system call when the kernel's record is there to read.
if wait_log '^filt/tcp: pid [0-9]+ killed: confinement violation: socket' 5
then
	if grep -Eq "^filt/tcp: ${rec}confinement violation: socket$dur" \
	    "$T/log"; then
		success violation-named
	elif sanitized; then
		skip violation-named "sanitizer build: the record is written at reaping, here before the kernel's audit record came in"
	else
		failure violation-named \
		    "$(grep '^filt/tcp: pid' "$T/log" | tail -2)"
	fi
else
	skip violation-named "the kernel log names no system call here"
fi
echo hi | nc -N -w 5 127.0.0.1 7905 > /dev/null
# The next record comes after quiet's would have: none for quiet.
echo hi | nc -N -w 5 127.0.0.1 7901 > /dev/null
wait_for 5 sh -c "[ \$(grep -c '^ok/tcp: pid' '$T/log') -ge 2 ]"
[ "$(count_log '^quiet/tcp: pid [0-9]+ for')" = 0 ] && success log-no ||
    failure log-no
echo hi | nc -N -w 5 ::1 7906 > /dev/null
wait_log "^v6/tcp6: pid [0-9]+ for \[::1\]:[0-9]+ as _inetdt: exit 0$dur" 5 &&
    success ipv6-peer || failure ipv6-peer "$(grep '^v6/' "$T/log" | tail -1)"
echo hi | nc -N -w 5 -U "$T/ux.sock" > /dev/null
wait_log "^$T/ux.sock/unix: pid [0-9]+ for uid 0 as _inetdt: exit 0$dur" 5 &&
    success unix-peer || failure unix-peer "$(grep 'ux.sock/unix: pid' "$T/log" | tail -1)"
# Without -v: the records are info, not debug.
v=$(grep -c 'exited with status' "$T/log")
[ "$v" -ge 1 ] && success debug-lines-kept || failure debug-lines-kept
# The built-ins: a count every 10 seconds, not a line each.
for i in 1 2 3; do echo hi | nc -N -w 5 127.0.0.1 7 > /dev/null; done
for i in 1 2; do echo | nc -u -w 1 127.0.0.1 13 > /dev/null; done
echo hi | nc -N -w 5 127.0.0.1 7907 > /dev/null
wait_log '^echo/tcp: 3 answered in [0-9]+ s \(built-in\)$' 12 &&
    success builtin-count-tcp ||
    failure builtin-count-tcp "$(grep 'answered' "$T/log")"
wait_log '^daytime/udp: 2 answered in [0-9]+ s \(built-in\)$' 2 &&
    success builtin-count-udp || failure builtin-count-udp
[ "$(count_log '^discard/tcp: .*answered')" = 0 ] && success builtin-log-no ||
    failure builtin-log-no
check_refused bad-value "x on protocol=tcp, port=7990, wait=no, user=nobody, exec=/bin/cat, log=maybe;" "log=maybe: expected yes or no"
