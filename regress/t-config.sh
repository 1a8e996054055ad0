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

# inetd -n: every malformed line is refused with file:line and exit 1.
. "$(dirname "$0")/lib.sh"
need_tool nc setpriv

# Each bad line follows a comment and a blank line, so it is line 3 (the
# second of two duplicates is line 4).
check_bad() {
	check_refused "$1" "# a comment"$'\n\n'"$2" "$3" '[34]'
}

check_bad fields "9999 stream tcp nowait daemon" "expected"
check_bad socktype "9999 streem tcp nowait daemon /bin/cat" "socket type"
check_bad proto "9999 stream tcpx nowait daemon /bin/cat" "unknown protocol"
check_bad proto-mismatch "9999 dgram tcp wait daemon /bin/cat" "does not go with"
check_bad wait "9999 stream tcp nowaitt daemon /bin/cat" "expected wait or nowait"
check_bad rate "9999 stream tcp nowait.0 daemon /bin/cat" "rate limit"
check_bad rate-big "9999 stream tcp nowait.99999999999 daemon /bin/cat" "rate limit"
check_bad user "9999 stream tcp nowait nosuchuser_x /bin/cat" "unknown user"
check_bad group "9999 stream tcp nowait daemon:nosuchgroup_x /bin/cat" "unknown group"
check_bad relative "9999 stream tcp nowait daemon bin/cat" "absolute path"
check_bad port "99999 stream tcp nowait daemon /bin/cat" "port"
check_bad service "nosuchservice stream tcp nowait daemon /bin/cat" "unknown service"
check_bad internal "9999 stream tcp nowait root internal" "no internal service"
check_bad dgram-nowait-unix "$T/d.sock dgram unix nowait daemon /bin/cat" \
    "on UNIX sockets must be wait"
check_bad v6addr "[::1:9999 stream tcp6 nowait daemon /bin/cat" "IPv6"
check_bad address "no.such.host.invalid:9999 stream tcp nowait daemon /bin/cat" "address"
check_bad args "9999 stream tcp nowait daemon /bin/echo $(seq -s ' ' 1 70)" "too many arguments"
check_bad longline "9999 stream tcp nowait daemon /bin/echo \
$(head -c 5000 /dev/zero | tr '\0' a)" "longer than"
check_bad longarg "9999 stream tcp nowait daemon /bin/echo \
$(head -c 2000 /dev/zero | tr '\0' a)" "too long"
check_bad acl-cidr "x on socktype=stream, protocol=tcp, wait=no, user=daemon, \
port=9999, exec=/bin/cat, allow=10.0.0.0/33;" "prefix /33 out of range"
check_bad acl-address "x on socktype=stream, protocol=tcp, wait=no, \
user=daemon, port=9999, exec=/bin/cat, deny=10.0.0.300;" "expected an address"
check_bad deny-banner "x on socktype=stream, protocol=tcp, wait=no, \
user=daemon, port=9999, exec=/bin/cat, deny-banner=$(head -c 200 /dev/zero |
tr '\0' a);" "longer than 128"
check_bad duplicate "9999 stream tcp nowait daemon /bin/cat
9999 stream tcp nowait daemon /bin/cat" ":3 *\$"
check_bad timeout "x on protocol=tcp, port=9999, wait=no, user=daemon,
	exec=/bin/cat, timeout=-1;" "timeout=-1 is too small"
check_bad timeout-max ".defaults timeout=604801;" "timeout=604801 is too large"
check_bad max-child-action ".defaults max-child-action=drop;" \
    "max-child-action=drop: expected wait or refuse"

# Several errors: each reported, and nothing is half loaded.
printf '%s\n' '9999 stream tcp nowait nosuchuser_x /bin/cat' \
    '9998 stream tcp nowait daemon /bin/cat' '9997 bad' > "$T/multi.conf"
out=$("$INETD" -n "$T/multi.conf" 2>&1); rc=$?
if [ $rc = 1 ] && printf '%s' "$out" | grep -q ':1: unknown user' &&
    printf '%s' "$out" | grep -q ':3: expected' && ! printf '%s' "$out" | grep -q ':2:'; then
	success multiple-errors
else
	failure multiple-errors "$out"
fi

# The daemon refuses to start on a bad file, and nothing listens.
"$INETD" -d "${INETD_RUN[@]}" "$T/multi.conf" > "$T/start.out" 2>&1
rc=$?
[ $rc = 1 ] && ! nc -z 127.0.0.1 9998 && success refuse-start || failure refuse-start "rc $rc"

# A good file passes, and the check starts nothing.
printf '%s\n' '127.0.0.1:' '9999 stream tcp nowait daemon /bin/cat' \
    '[::1]:9998 stream tcp6 nowait daemon:daemon /bin/cat cat -u' > "$T/good.conf"
out=$("$INETD" -n "$T/good.conf" 2>&1); rc=$?
if [ $rc = 0 ] && printf '%s' "$out" | grep -q '127.0.0.1:9999' &&
    printf '%s' "$out" | grep -q '\[::1\]:9998' && ! nc -z 127.0.0.1 9999; then
	success check-good
else
	failure check-good "rc $rc: $out"
fi

out=$("$INETD" -n /nonexistent/inetd.conf 2>&1); rc=$?
[ $rc = 1 ] && printf '%s' "$out" | grep -q 'nonexistent' &&
    success missing-file || failure missing-file "$out"

out=$("$INETD" -x 2>&1); rc=$?
[ $rc = 1 ] && printf '%s' "$out" | grep -q '^usage: inetd' && success usage || failure usage "$out"

out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$INETD" -d "${INETD_RUN[@]}" "$T/good.conf" 2>&1); rc=$?
[ $rc = 1 ] && printf '%s' "$out" | grep -q 'root' &&
    success not-root || failure not-root "rc $rc: $out"
