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

# Access lists (allow=, deny=): real clients from several sources in the
# test's namespace (127.0.0.x, ::1, fd00:1::1-3) against exec'd and
# built-in services, TCP, UDP and UNIX; the log and its rate bound; bad
# lists refused with file:line; and the spawner's own check when the
# listener lies about which service a connection is for.
. "$(dirname "$0")/lib.sh"
need_tool nc setpriv python3

need_prog acltest evilshim.so
test_user || { failure user "cannot make the test user"; exit 0; }

# The lookup itself, against the rule computed the slow way.
"$REGRESS/acltest" | sed "s/^\([A-Z]*\) acl:/\1 $NAME:lookup-/"

ip addr add ::1/128 dev lo 2>/dev/null
for i in 1 2 3; do
	ip addr add fd00:1::$i/64 dev lo nodad 2>/dev/null
done

# Reads one datagram and answers it in capitals.
cat > "$T/updg.py" <<'PY'
import socket
s = socket.socket(fileno=0)
d, a = s.recvfrom(512)
s.sendto(d.upper(), a)
PY
chmod 644 "$T/updg.py"
py=$(PATH=/usr/bin:/bin command -v python3)

# 10 000 rules on one service: 9 999 of 10/8, then 127.0.0.2, last.
big() {
	awk 'BEGIN {
		for (i = 0; i < 9999; i++) {
			if (i % 50 == 0)
				printf "%s\tdeny=", i ? ",\n" : ""
			printf "10.%d.%d.%d ", int(i / 65536),
			    int(i / 256) % 256, i % 256
		}
		printf ",\n\tdeny=127.0.0.2"
	}'
}

start_inetd <<CONF || { failure start; exit 0; }
.defaults deny=127.0.0.9;
ex on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7601, exec=/bin/cat, args=cat,
	deny=127.0.0.0/8, allow=127.0.0.0/24, deny=127.0.0.2,
	deny-banner="refused by inetd";
echo on socktype=stream, protocol=tcp, wait=no, user=root, bind=127.0.0.1,
	allow=127.0.0.1 127.0.0.2 ::ffff:127.0.0.5, deny=127.0.0.2;
echo on socktype=dgram, protocol=udp, wait=yes, user=root, bind=127.0.0.1,
	deny=127.0.0.2;
six on socktype=stream, protocol=tcp6, wait=no, user=_inetdt, bind=::,
	port=7602, exec=/bin/cat, args=cat,
	allow=fd00:1::/64, deny=fd00:1::2;
bigex on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7603, exec=/bin/cat, args=cat,
$(big);
updg on socktype=dgram, protocol=udp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7604, exec=$py, args=python3 $T/updg.py,
	deny=127.0.0.2;
:root:root:666:$T/u.sock on socktype=stream, protocol=unix, wait=no,
	user=_inetdt, exec=/bin/cat, args=cat, allow=uid:0, deny="";
CONF

# ask source address port text: the answer, over TCP.
ask() {
	printf '%s\n' "$4" | timeout 5 nc -N -w 5 -s "$1" "$2" "$3" 2>/dev/null |
	    tr -d '\r'
}
# refused source address port: what a client that sends nothing reads;
# one that has sent data may see a reset instead of the banner.
refused() {
	timeout 5 nc -d -w 5 -s "$1" "$2" "$3" 2>/dev/null | tr -d '\r'
}
# udp source port text: the answer to one datagram, if any.
udp() {
	printf '%s\n' "$3" | timeout 3 nc -u -w 1 -s "$1" 127.0.0.1 "$2" \
	    2>/dev/null
}
# expect check got want
expect() {
	[ "$2" = "$3" ] && success "$1" || failure "$1" "got '$2', want '$3'"
}

expect exec-allowed "$(ask 127.0.0.3 127.0.0.1 7601 a)" a
expect exec-most-specific "$(refused 127.0.0.2 127.0.0.1 7601)" \
    "refused by inetd"
expect exec-outer-deny "$(refused 127.0.1.1 127.0.0.1 7601)" \
    "refused by inetd"
expect exec-defaults "$(refused 127.0.0.9 127.0.0.1 7601)" "refused by inetd"
if wait_log 'ex/tcp: refused 127\.0\.0\.2 \(access list' 5; then
	success log-line
else
	failure log-line "$(grep 'refused' "$T/log" | head -3)"
fi

expect builtin-allowed "$(ask 127.0.0.1 127.0.0.1 7 e)" e
expect builtin-tie-deny "$(ask 127.0.0.2 127.0.0.1 7 f)" ""
expect builtin-no-match "$(ask 127.0.0.3 127.0.0.1 7 g)" ""
expect builtin-mapped-rule "$(ask 127.0.0.5 127.0.0.1 7 h)" h

expect udp-allowed "$(udp 127.0.0.3 7 i)" i
expect udp-dropped "$(udp 127.0.0.2 7 j)" ""

expect v6-allowed "$(ask fd00:1::1 fd00:1::1 7602 k)" k
expect v6-most-specific "$(ask fd00:1::2 fd00:1::1 7602 l)" ""
expect v6-other "$(ask fd00:1::3 fd00:1::1 7602 m)" m
expect v6-no-match "$(ask ::1 ::1 7602 n)" ""

# All 10 000 rules reached both children: the last one holds.
expect big-allowed "$(ask 127.0.0.3 127.0.0.1 7603 o)" o
expect big-last-rule "$(ask 127.0.0.2 127.0.0.1 7603 p)" ""
expect big-first-rule "$(ask 127.0.0.1 127.0.0.1 7603 q)" q

# A dgram program: the datagram that would start it is dropped, and
# the next one, from an allowed source, still starts it.
expect dgram-prog-dropped "$(udp 127.0.0.2 7604 r)" ""
expect dgram-prog-allowed "$(udp 127.0.0.3 7604 s)" S

out=$(printf 'u\n' | timeout 5 nc -N -w 5 -U "$T/u.sock" 2>/dev/null)
expect unix-uid-allowed "$out" u
out=$(printf 'v\n' | timeout 5 setpriv --reuid=nobody --regid=nogroup \
    --clear-groups nc -N -w 5 -U "$T/u.sock" 2>/dev/null)
expect unix-uid-refused "$out" ""
wait_log "u.sock/unix: refused uid $(id -u nobody) gid" 5 &&
    success unix-log || failure unix-log "$(grep refused "$T/log" | tail -2)"

# Rate bound: six refusals from one source make one line at once and
# one line with the count of the five others, not six lines.
for i in 1 2 3 4 5 6; do
	ask 127.0.1.2 127.0.0.1 7601 x >/dev/null
done
if wait_log 'ex/tcp: refused 127\.0\.1\.2 5 more times' 25 &&
    [ "$(count_log 'ex/tcp: refused 127\.0\.1\.2 ')" = 2 ]; then
	success log-rate
else
	failure log-rate "$(grep '127.0.1.2' "$T/log")"
fi

# inetd -n shows each list, the long one summed up.
"$INETD" -n "$T/inetd.conf" > "$T/n.out" 2>&1
if grep -q 'access: allow 127.0.0.0/24; deny 127.0.0.9, 127.0.0.0/8, 127.0.0.2; others refused; deny-banner "refused by inetd"' "$T/n.out" &&
    grep -q 'access: allow none; deny 10001 rules, first 127.0.0.9, 10.0.0.0, ' "$T/n.out" &&
    grep -q 'access: allow 127.0.0.1, 127.0.0.2, 127.0.0.5; deny 127.0.0.9, 127.0.0.2; others refused$' "$T/n.out"; then
	success printconf
else
	failure printconf "$(grep access: "$T/n.out" | head -3)"
fi

# A reload brings the new list into force on the socket it keeps.
sed -i 's/^	allow=127.0.0.1 127.0.0.2 ::ffff:127.0.0.5, deny=127.0.0.2;$/	allow=127.0.0.3;/' "$T/inetd.conf"
n=$(grep -c '^generation [0-9]* in force' "$T/log")
kill -HUP "$INETD_PID"
wait_for 10 sh -c "[ \$(grep -c '^generation [0-9]* in force' $T/log) -gt $n ]"
expect reload-new-allowed "$(ask 127.0.0.3 127.0.0.1 7 w)" w
expect reload-old-gone "$(ask 127.0.0.1 127.0.0.1 7 y)" ""
stop_inetd

# The spawner checks the peer itself: a listener that asks for the
# closed tcpmux/ service on a connection it let in for the open one
# gets nothing started, and its channel ended.
shim_conf() {
	cat <<CONF
tcpmux stream tcp nowait root internal
tcpmux/open stream tcp nowait _inetdt /bin/echo echo OPEN
tcpmux/closed on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	exec=/bin/echo, args=echo CLOSED, deny=127.0.0.2;
CONF
}
mux() {
	printf '%s\r\n' "$2" | timeout 5 nc -N -w 5 -s "$1" 127.0.0.1 1 \
	    2>/dev/null | tr -d '\r'
}
shim_conf > "$T/mux.conf"
start_inetd < "$T/mux.conf" || { failure spawner-honest "no start"; exit 0; }
if [ "$(mux 127.0.0.2 open)" = OPEN ] &&
    [ "$(mux 127.0.0.2 closed)" = "-Access denied" ] &&
    [ "$(mux 127.0.0.3 closed)" = CLOSED ]; then
	success spawner-honest
else
	failure spawner-honest "$(tail -3 "$T/log")"
fi
stop_inetd
INETD_ENV=("LD_PRELOAD=$REGRESS/evilshim.so" EVIL_FROM=1 EVIL_TO=2)
start_inetd < "$T/mux.conf" || { failure spawner-recheck "no start"; exit 0; }
out=$(mux 127.0.0.2 open)
if [ "$out" != CLOSED ] &&
    wait_log 'tcpmux/closed/tcp: the listener handed a connection from 127\.0\.0\.2, which the access list refuses' 5 &&
    wait_log 'peer refused by the access list' 5; then
	success spawner-recheck
else
	failure spawner-recheck "got '$out': $(tail -3 "$T/log")"
fi
stop_inetd
# The shim did rewrite: an allowed source asking for open gets closed.
start_inetd < "$T/mux.conf" ||
    { failure spawner-shim-works "no start"; exit 0; }
expect spawner-shim-works "$(mux 127.0.0.3 open)" CLOSED
stop_inetd
INETD_ENV=()

# The same for a datagram program: a listener that reads a forged
# source for the datagram gets nothing started for the real one.
INETD_ENV=("LD_PRELOAD=$REGRESS/evilshim.so" EVIL_FAKEFROM=127.0.0.3)
if start_inetd <<CONF
updg on socktype=dgram, protocol=udp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7604, exec=$py, args=python3 $T/updg.py,
	deny=127.0.0.2;
CONF
then
	got=$(udp 127.0.0.2 7604 z)
	if [ -z "$got" ] &&
	    wait_log 'updg/udp: the listener handed a connection from 127\.0\.0\.2, which the access list refuses' 5
	then
		success spawner-recheck-dgram
	else
		failure spawner-recheck-dgram "got '$got': $(tail -3 "$T/log")"
	fi
	stop_inetd
else
	failure spawner-recheck-dgram "no start"
fi
INETD_ENV=()

# Bad lists: file:line, and nothing loaded.
entry='x on socktype=stream, protocol=tcp, wait=no, user=root, port=7699,
	exec=/bin/cat'
check_refused bad-address "$entry, allow=10.0.0.300;" \
    'allow=10.0.0.300: expected an address' 2
check_refused bad-word "$entry,
	deny=somewhere;" 'deny=somewhere: expected an address' 3
check_refused prefix-range4 "$entry, allow=10.0.0.0/33;" \
    'prefix /33 out of range (0 to 32)' 2
check_refused prefix-range6 "$entry,
	allow=fd00::/129;" 'prefix /129 out of range (0 to 128)' 3
check_refused prefix-bad "$entry, allow=10.0.0.0/;" 'expected an address' 2
check_refused host-bits "$entry, allow=10.0.0.1/8;" 'bits set past its /8' 2
check_refused unknown-uid "$entry, allow=uid:nosuchuser_x;" \
    'unknown user "nosuchuser_x"' 2
check_refused wait-stream 'x on socktype=stream, protocol=tcp, wait=yes,
	user=root, port=7699, exec=/bin/cat, allow=127.0.0.1;' \
    'cannot apply to a wait stream service' 1
# A list from .defaults cannot apply there either: dropped, with a word.
printf '%s\n' '.defaults allow=127.0.0.1;' \
    '9999 stream tcp wait root /bin/cat cat' > "$T/defwait.conf"
out=$("$INETD" -n "$T/defwait.conf" 2>&1) &&
    printf '%s' "$out" | grep -q 'defwait.conf:2: warning: 9999/tcp: the access list of .defaults does not apply to a wait stream' &&
    printf '%s' "$out" | grep -q 'access: every peer' &&
    success defaults-wait-dropped || failure defaults-wait-dropped "$out"
check_refused banner-dgram 'x on socktype=dgram, protocol=udp, wait=yes,
	user=root, port=7699, exec=/bin/cat, deny-banner=no;' \
    'deny-banner= needs a nowait stream' 1
# 16 384 rules pass; one more, on line 259, does not.
awk -v e="$entry" 'BEGIN {
	print e ","
	for (l = 0; l < 256; l++) {
		printf "\tallow="
		for (i = 0; i < 64; i++)
			printf "10.%d.%d.1 ", l, i
		print ","
	}
}' > "$T/max.conf"
printf '\tallow=10.255.255.1;\n' >> "$T/max.conf"
check_refused too-many "$(cat "$T/max.conf")" \
    'more than 16384 allow= and deny= rules' 259
sed -i '$d' "$T/max.conf"
sed -i '$s/,$/;/' "$T/max.conf"
out=$("$INETD" -n "$T/max.conf" 2>&1) && success max-passes ||
    failure max-passes "$(printf '%s' "$out" | head -1)"
# A UNIX datagram socket: an entry's own list is an error; one from
# .defaults is dropped, and inetd runs (it used to pass -n, then end the
# children at every start).  A .defaults deny-banner skips a dgram line.
check_refused unix-dgram "$T/ud.sock on socktype=dgram, protocol=unix,
	wait=yes, user=root, exec=/bin/cat, allow=uid:0;" \
    'cannot apply to a UNIX datagram socket' 1
stop_inetd
if start_inetd <<CONF
.defaults allow=10.0.0.0/8, deny-banner="go away";
$T/ud.sock dgram unix wait root /bin/cat cat
127.0.0.1:daytime dgram udp wait root internal
CONF
then
	if grep -q 'does not apply to a UNIX datagram' "$T/log" &&
	    ! grep -q 'restarting' "$T/log"; then
		success defaults-unix-dgram-runs
	else
		failure defaults-unix-dgram-runs "$(head -5 "$T/log")"
	fi
else
	failure defaults-unix-dgram-runs "did not start"
fi
stop_inetd
# A rule of the other kind: an error in the entry, a warning from
# .defaults (it would let every peer of the entry's kind in).
check_refused kind-addr-on-unix "$T/k.sock on protocol=unix, wait=no,
	user=root, exec=/bin/cat, allow=127.0.0.1;" \
    'address rules cannot apply to a UNIX socket' 1
check_refused kind-uid-on-ip "x on protocol=tcp, port=7699, wait=no,
	user=root, exec=/bin/cat, allow=uid:0;" \
    'uid: and gid: rules cannot apply to an IP service' 1
printf '%s\n' '.defaults allow=10.0.0.0/8;' \
    "$T/k.sock stream unix nowait root /bin/cat cat" > "$T/kind.conf"
out=$("$INETD" -n "$T/kind.conf" 2>&1) &&
    printf '%s' "$out" | grep -q 'kind.conf:2: warning: .*name no UNIX peer' &&
    success kind-defaults-warned || failure kind-defaults-warned "$out"
