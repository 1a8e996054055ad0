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

# PROXY protocol input (proxy=, proxy-from=): haproxy from Debian in
# front (send-proxy, send-proxy-v2), then hand-written headers from a
# front end (127.0.0.1) and from a host that is not one (127.0.0.3):
# the service sees the client the header names, the access list and
# the per-source limits apply to that client, and every malformed,
# truncated or slow header ends that connection only, logged.
. "$(dirname "$0")/lib.sh"
need_tool python3
NAME=proxy

test_user || { failure user "cannot make the test user"; exit 0; }
need_prog proxytest

# The header reader itself: good headers cut into random pieces, and
# headers with bytes changed.
"$REGRESS/proxytest"

# Who the service thinks it talks to, then an echo of one line.
cat > "$T/who.sh" <<'SH'
#!/bin/sh
echo "$TCPREMOTEIP $TCPREMOTEPORT $TCPLOCALIP $TCPLOCALPORT ${PROXYREMOTEIP:-none}"
read -r line && echo "$line"
SH
chmod 755 "$T/who.sh"

# proxyc.py source port header-as-python-bytes-literal [payload]: send
# the header and the payload from source, print what comes back.
cat > "$T/proxyc.py" <<'PY'
import ast, socket, sys
src, port, hdr = sys.argv[1], int(sys.argv[2]), ast.literal_eval(sys.argv[3])
payload = sys.argv[4].encode() if len(sys.argv) > 4 else b"hi\n"
s = socket.socket()
s.settimeout(8)
s.bind((src, 0))
s.connect(("127.0.0.1", port))
try:
    s.sendall(hdr + payload)
    out = b""
    while True:
        d = s.recv(4096)
        if not d:
            break
        out += d
except OSError:
    pass
sys.stdout.write(out.decode(errors="replace"))
PY
pc() { timeout 15 python3 "$T/proxyc.py" "$@" 2>/dev/null; }

start_inetd <<CONF || { failure start; exit 0; }
p1 on protocol=tcp, port=7731, bind=127.0.0.1, wait=no, user=_inetdt,
	exec=$T/who.sh, proxy=v1, proxy-from=127.0.0.1;
p2 on protocol=tcp, port=7732, bind=127.0.0.1, wait=no, user=_inetdt,
	exec=$T/who.sh, proxy=v2, proxy-from=127.0.0.1;
pany on protocol=tcp, port=7733, bind=127.0.0.1, wait=no, user=_inetdt,
	exec=$T/who.sh, proxy=any, proxy-from=127.0.0.1,
	allow=192.0.2.0/24, deny=192.0.2.66;
psrc on protocol=tcp, port=7734, bind=127.0.0.1, wait=no, user=_inetdt,
	exec=/bin/cat, args=cat, proxy=v1, proxy-from=127.0.0.1,
	per-source=1;
echo on protocol=tcp, bind=127.0.0.1, wait=no, user=root, proxy=v2,
	proxy-from=127.0.0.1, deny=198.51.100.0/24;
CONF

V2SIG='\r\n\r\n\x00\r\nQUIT\n'
expect_out() {	# check got want
	[ "$2" = "$3" ] && success "$1" || failure "$1" "got '$2', want '$3'"
}
first() { printf '%s\n' "$1" | head -1; }

# Good headers.
expect_out v1-tcp4 "$(pc 127.0.0.1 7731 \
    "b'PROXY TCP4 192.0.2.7 203.0.113.1 4242 80\r\n'")" \
    "192.0.2.7 4242 203.0.113.1 80 127.0.0.1
hi"
expect_out v1-tcp6 "$(first "$(pc 127.0.0.1 7731 \
    "b'PROXY TCP6 2001:db8::7 2001:db8::1 4242 443\r\n'")")" \
    "2001:db8::7 4242 2001:db8::1 443 127.0.0.1"
out=$(first "$(pc 127.0.0.1 7731 "b'PROXY UNKNOWN whatever\r\n'")")
case $out in 127.0.0.1\ *\ 127.0.0.1\ 7731\ 127.0.0.1) success v1-unknown ;;
*) failure v1-unknown "$out" ;; esac
hdr="b'$V2SIG\\x21\\x11\\x00\\x0c\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50'"
expect_out v2-tcp4 "$(pc 127.0.0.1 7732 "$hdr")" \
    "192.0.2.7 4242 203.0.113.1 80 127.0.0.1
hi"
# With TLVs (an ALPN and a NOOP), which are skipped.
hdr="b'$V2SIG\\x21\\x11\\x00\\x16\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50\\x01\\x00\\x02h2\\x04\\x00\\x02zz'"
expect_out v2-tlvs "$(first "$(pc 127.0.0.1 7732 "$hdr")")" \
    "192.0.2.7 4242 203.0.113.1 80 127.0.0.1"
hdr="b'$V2SIG\\x21\\x21\\x00\\x24\\x20\\x01\\x0d\\xb8\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x07\\x20\\x01\\x0d\\xb8\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\\x10\\x92\\x01\\xbb'"
expect_out v2-tcp6 "$(first "$(pc 127.0.0.1 7732 "$hdr")")" \
    "2001:db8::7 4242 2001:db8::1 443 127.0.0.1"
# LOCAL: the front end's own connection (a health check).
out=$(first "$(pc 127.0.0.1 7732 "b'$V2SIG\\x20\\x00\\x00\\x00'")")
case $out in 127.0.0.1\ *\ 127.0.0.1\ 7732\ 127.0.0.1) success v2-local ;;
*) failure v2-local "$out" ;; esac
expect_out any-takes-v1 "$(first "$(pc 127.0.0.1 7733 \
    "b'PROXY TCP4 192.0.2.8 203.0.113.1 1000 80\r\n'")")" \
    "192.0.2.8 1000 203.0.113.1 80 127.0.0.1"
hdr="b'$V2SIG\\x21\\x11\\x00\\x0c\\xc0\\x00\\x02\\x09\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50'"
expect_out any-takes-v2 "$(first "$(pc 127.0.0.1 7733 "$hdr")")" \
    "192.0.2.9 4242 203.0.113.1 80 127.0.0.1"
# A built-in behind a front end: the bytes after the header are echoed.
hdr="b'$V2SIG\\x21\\x11\\x00\\x0c\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x07'"
expect_out builtin-echo "$(pc 127.0.0.1 7 "$hdr" 'after the header
')" "after the header"

# The access list and the per-source limits apply to the client.
expect_out acl-client-allowed "$(first "$(pc 127.0.0.1 7733 \
    "b'PROXY TCP4 192.0.2.10 203.0.113.1 1000 80\r\n'")")" \
    "192.0.2.10 1000 203.0.113.1 80 127.0.0.1"
expect_out acl-client-denied "$(pc 127.0.0.1 7733 \
    "b'PROXY TCP4 192.0.2.66 203.0.113.1 1000 80\r\n'")" ""
expect_out acl-client-no-match "$(pc 127.0.0.1 7733 \
    "b'PROXY TCP4 10.1.1.1 203.0.113.1 1000 80\r\n'")" ""
hdr="b'$V2SIG\\x21\\x11\\x00\\x0c\\xc6\\x33\\x64\\x01\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x07'"
expect_out builtin-acl-client "$(pc 127.0.0.1 7 "$hdr")" ""
wait_log 'pany/tcp: refused 192\.0\.2\.66 \(access list' 5 &&
    success acl-logged-client || failure acl-logged-client
# per-source=1: one client holds its slot; the same client again is
# refused, another client behind the same front end is served.
python3 - "$T" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.connect(("127.0.0.1", 7734))
s.sendall(b"PROXY TCP4 192.0.2.20 203.0.113.1 1000 80\r\nhold\n")
s.recv(10)
time.sleep(6)
PY
holder=$!
wait_log '^psrc/tcp: started pid' 10
expect_out per-source-same-client "$(pc 127.0.0.1 7734 \
    "b'PROXY TCP4 192.0.2.20 203.0.113.1 1001 80\r\n'")" ""
expect_out per-source-other-client "$(pc 127.0.0.1 7734 \
    "b'PROXY TCP4 192.0.2.21 203.0.113.1 1001 80\r\n'")" "hi"
kill $holder 2>/dev/null; wait $holder 2>/dev/null

# Not a front end: refused, header or not.
expect_out untrusted-refused "$(pc 127.0.0.3 7731 \
    "b'PROXY TCP4 192.0.2.7 203.0.113.1 4242 80\r\n'")" ""
wait_log 'p1/tcp: refused 127\.0\.0\.3 \(not a proxy-from= front end' 5 &&
    success untrusted-logged || failure untrusted-logged

# Malformed headers, each ending its connection only, logged.
bad() {	# check port header-literal
	got=$(pc 127.0.0.1 "$2" "$3")
	if [ -n "$got" ]; then
		failure "bad-$1" "served: '$got'"
	else
		success "bad-$1"
	fi
}
bad v1-plain-text 7731 "b'GET / HTTP/1.0\r\n'"
bad v1-missing-port 7731 "b'PROXY TCP4 192.0.2.7 203.0.113.1 4242\r\n'"
bad v1-leading-zero 7731 "b'PROXY TCP4 192.0.2.7 203.0.113.1 04242 80\r\n'"
bad v1-port-range 7731 "b'PROXY TCP4 192.0.2.7 203.0.113.1 70000 80\r\n'"
bad v1-proto 7731 "b'PROXY TCP5 192.0.2.7 203.0.113.1 4242 80\r\n'"
bad v1-double-space 7731 "b'PROXY TCP4  192.0.2.7 203.0.113.1 4242 80\r\n'"
bad v1-family 7731 "b'PROXY TCP4 2001:db8::7 203.0.113.1 4242 80\r\n'"
bad v1-no-cr 7731 "b'PROXY TCP4 192.0.2.7 203.0.113.1 4242 80\n'"
bad v1-extra-field 7731 "b'PROXY TCP4 192.0.2.7 203.0.113.1 4242 80 9\r\n'"
bad v1-nul 7731 "b'PROXY TCP4 192.0.2.7\x00 203.0.113.1 4242 80\r\n'"
bad v1-too-long 7731 "b'PROXY UNKNOWN ' + b'x' * 120 + b'\r\n'"
bad v1-on-v2 7732 "b'PROXY TCP4 192.0.2.7 203.0.113.1 4242 80\r\n'"
bad v2-on-v1 7731 "b'$V2SIG\\x21\\x11\\x00\\x0c\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50'"
bad v2-version 7732 "b'$V2SIG\\x11\\x11\\x00\\x0c\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50'"
bad v2-command 7732 "b'$V2SIG\\x22\\x11\\x00\\x0c\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50'"
bad v2-family 7732 "b'$V2SIG\\x21\\x41\\x00\\x0c\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50'"
bad v2-dgram 7732 "b'$V2SIG\\x21\\x12\\x00\\x0c\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50'"
bad v2-short-address 7732 "b'$V2SIG\\x21\\x11\\x00\\x08\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01'"
bad v2-tlv-overrun 7732 "b'$V2SIG\\x21\\x11\\x00\\x10\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50\\x04\\x00\\x09z'"
bad v2-too-long 7732 "b'$V2SIG\\x21\\x11\\x04\\x00' + b'\\x00' * 1024"
bad v2-bad-signature 7732 "b'\\r\\n\\r\\n\\x00\\r\\nQUIT\\r\\x21\\x11\\x00\\x0c'"
bad v2-unix 7732 "b'$V2SIG\\x21\\x31\\x00\\xd8' + b'\\x00' * 216"
if wait_log 'p1/tcp: refused 127\.0\.0\.1 \(bad PROXY v1 header' 5 &&
    wait_log 'p2/tcp: refused 127\.0\.0\.1 \(bad PROXY v2 header' 5 &&
    wait_log 'p1/tcp: refused 127\.0\.0\.1 \(not a PROXY header' 5; then
	success bad-logged
else
	failure bad-logged "$(grep refused "$T/log" | head -5)"
fi
# Truncated: half a header, then the client goes.
expect_out truncated "$(printf 'PROXY TCP4 192' | timeout 5 nc -N -w 3 \
    -s 127.0.0.1 127.0.0.1 7731 2>/dev/null)" ""
wait_log "closed before its PROXY header's end" 5 &&
    success truncated-logged || failure truncated-logged
# Slow: half a header, then nothing: ended at the 5 s deadline, and
# the service answered others meanwhile.
( printf 'PROXY TCP4 192'; sleep 9 ) | timeout 12 nc -w 10 -s 127.0.0.1 \
    127.0.0.1 7731 >/dev/null 2>&1 &
slow=$!
expect_out slow-others-served "$(first "$(pc 127.0.0.1 7731 \
    "b'PROXY TCP4 192.0.2.30 203.0.113.1 1 80\r\n'")")" \
    "192.0.2.30 1 203.0.113.1 80 127.0.0.1"
if wait_log 'p1/tcp: refused 127\.0\.0\.1 \(PROXY header not in time' 8
then
	success slow-deadline
else
	failure slow-deadline
fi
kill $slow 2>/dev/null; wait $slow 2>/dev/null
# Still serving after all that.
case $(first "$(pc 127.0.0.1 7732 "b'$V2SIG\\x20\\x00\\x00\\x00'")") in
127.0.0.1\ *\ 127.0.0.1\ 7732\ 127.0.0.1) success still-serving ;;
*) failure still-serving ;;
esac
kill -0 "$INETD_PID" && ! grep -q 'restarting' "$T/log" &&
    success no-restart || failure no-restart "$(grep -i restart "$T/log")"

# haproxy in front: send-proxy and send-proxy-v2.
HAPROXY=$REGRESS/daemons/root/usr/sbin/haproxy
if [ -x "$HAPROXY" ] && "$HAPROXY" -v >/dev/null 2>&1; then
	cat > "$T/haproxy.cfg" <<CFG
global
	maxconn 100
defaults
	mode tcp
	timeout connect 5s
	timeout client 10s
	timeout server 10s
frontend f1
	bind 127.0.0.1:7741
	default_backend b1
backend b1
	server s1 127.0.0.1:7731 send-proxy
frontend f2
	bind 127.0.0.1:7742
	default_backend b2
backend b2
	server s2 127.0.0.1:7732 send-proxy-v2
CFG
	"$HAPROXY" -f "$T/haproxy.cfg" -db > "$T/haproxy.log" 2>&1 &
	hp=$!
	wait_for 5 sh -c "ss -Hltn | grep -q ':7742 '"
	for v in 1 2; do
		out=$(first "$(pc 127.0.0.5 774$v "b''")")
		case $out in
		"127.0.0.5 "*" 127.0.0.1 774$v 127.0.0.1")
			success haproxy-v$v ;;
		*)	failure haproxy-v$v "'$out' $(tail -2 "$T/haproxy.log")" ;;
		esac
	done
	kill $hp; wait $hp 2>/dev/null
else
	skip haproxy "no haproxy (make test-deps unpacks Debian's)"
fi

out=$("$INETD" -n "$T/inetd.conf" 2>/dev/null)
case $out in
*"proxy: a PROXY protocol v1 or v2 header, from 127.0.0.1 only"*)
	success print-proxy ;;
*)	failure print-proxy ;;
esac
stop_inetd

# A reload that takes the front end out of proxy-from= while a header
# is half read: that connection ends, logged, and nothing restarts.
if start_inetd <<CONF
p1 on protocol=tcp, port=7731, bind=127.0.0.1, wait=no, user=_inetdt,
	exec=$T/who.sh, proxy=v1, proxy-from=127.0.0.1;
CONF
then
	( printf 'PROXY TCP4 192'; sleep 4; printf '.0.2.7 203.0.113.1 1 80\r\nhi\n'
	  sleep 1 ) | timeout 8 nc -w 6 -s 127.0.0.1 127.0.0.1 7731 \
	    > "$T/half.out" 2>/dev/null &
	half=$!
	sleep 1
	sed -i 's/proxy-from=127.0.0.1/proxy-from=127.0.0.2/' "$T/inetd.conf"
	kill -HUP "$INETD_PID"
	if wait_log '^generation 2 in force' 10 &&
	    wait_log 'no longer in proxy-from= after a reload' 5; then
		success reload-front-end-dropped
	else
		failure reload-front-end-dropped "$(tail -3 "$T/log")"
	fi
	wait $half
	[ ! -s "$T/half.out" ] && ! grep -q restarting "$T/log" &&
	    success reload-no-restart || failure reload-no-restart
	stop_inetd
else
	failure reload-front-end-dropped "no start"
fi
# proxy= from .defaults on a line where it cannot apply: dropped, said.
printf '%s\n' '.defaults proxy=v1, proxy-from=127.0.0.1;' \
    '127.0.0.1:daytime dgram udp wait root internal' \
    '127.0.0.1:7999 stream tcp nowait nobody /bin/cat cat' > "$T/pd.conf"
out=$("$INETD" -n "$T/pd.conf" 2>&1) &&
    printf '%s' "$out" | grep -q 'pd.conf:2: warning: daytime/udp: proxy= of .defaults does not apply' &&
    printf '%s' "$out" | grep -q 'proxy: a PROXY protocol v1 header' &&
    success defaults-dropped || failure defaults-dropped "$out"

# A listener that lies about the header: the spawner checks that the
# addresses hold (here: no client named, yet not the front end's own).
INETD_ENV=("LD_PRELOAD=$REGRESS/evilshim.so" EVIL_PROXYLOCAL=1)
if start_inetd <<CONF
p2 on protocol=tcp, port=7732, bind=127.0.0.1, wait=no, user=_inetdt,
	exec=$T/who.sh, proxy=v2, proxy-from=127.0.0.1;
CONF
then
	hdr="b'$V2SIG\\x21\\x11\\x00\\x0c\\xc0\\x00\\x02\\x07\\xcb\\x00\\x71\\x01\\x10\\x92\\x00\\x50'"
	got=$(pc 127.0.0.1 7732 "$hdr")
	if [ -z "$got" ] && wait_log 'PROXY addresses do not hold' 5; then
		success spawner-recheck
	else
		failure spawner-recheck "got '$got'"
	fi
	stop_inetd
else
	failure spawner-recheck "no start"
fi
INETD_ENV=()

# Configuration errors, with file and line.
cbad() {	# check entry fragment
	printf '%s\n' "$2" > "$T/bad.conf"
	out=$("$INETD" -n "$T/bad.conf" 2>&1)
	case $out in
	*"bad.conf:"[0-9]*": "*"$3"*) success "conf-$1" ;;
	*)	failure "conf-$1" "$out" ;;
	esac
}
e="x on protocol=tcp, port=7790, wait=no, user=nobody, exec=/bin/cat"
cbad no-from "$e, proxy=v1;" "proxy= needs proxy-from="
cbad from-only "$e, proxy-from=127.0.0.1;" "proxy-from= without proxy="
cbad version "$e, proxy=v3, proxy-from=127.0.0.1;" "proxy=v3: expected v1, v2, any or no"
cbad from-uid "$e, proxy=v1, proxy-from=uid:0;" "proxy-from=uid:0: expected an address"
cbad from-cidr "$e, proxy=v1, proxy-from=10.0.0.1/8;" "bits set past its /8"
cbad wait "x on protocol=tcp, port=7790, wait=yes, user=nobody, exec=/bin/cat,
proxy=v1, proxy-from=127.0.0.1;" "proxy= needs a stream nowait IP service"
cbad udp "x on protocol=udp, port=7790, wait=no, user=nobody, exec=/bin/cat,
proxy=v1, proxy-from=127.0.0.1;" "proxy= needs a stream nowait IP service"
