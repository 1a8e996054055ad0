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

# TLS (tls= and its keys): the files of an entry as inetd -n checks
# them, with certificates and keys made here by openssl(1); then the
# services served, to openssl s_client, curl and a Python client, and
# what the keys process and each connection's engine hold.
. "$(dirname "$0")/lib.sh"
need_tool openssl curl python3 nc
need_prog tlsfwdtest tlsconfinetest
NAME=tls

K=$T/tls
mkdir -m 755 "$K"
mk() {	# name days keyalg-options...
	local n=$1 d=$2
	shift 2
	openssl req -x509 -nodes -days "$d" -subj "/CN=$n" -keyout "$K/$n.key" \
	    -out "$K/$n.crt" "$@" >/dev/null 2>&1
	chmod 600 "$K/$n.key"
	chmod 644 "$K/$n.crt"
}
mk ec 400 -newkey ec -pkeyopt ec_paramgen_curve:P-256
mk ec384 400 -newkey ec -pkeyopt ec_paramgen_curve:P-384
mk rsa 400 -newkey rsa:2048
mk soon 5 -newkey ec -pkeyopt ec_paramgen_curve:P-256
mk small 400 -newkey rsa:1024
mk ed 400 -newkey ed25519
mk other 400 -newkey ec -pkeyopt ec_paramgen_curve:P-256

# The forwarded key and the key holder, EC and RSA: handshakes with
# only the certificate, one signature per channel, the holder's checks.
for k in ec rsa; do
	"$REGRESS/tlsfwdtest" "$k" "$K/$k.crt" "$K/$k.key" |
	    sed "s/^\([A-Z]*\) tlsfwd:/\1 $NAME:forward-/"
done

entry() {	# cert key [more keys]
	printf 'x on protocol=tcp, port=7990, wait=no, user=nobody, exec=/bin/cat,
	tls=yes, tls-cert=%s, tls-key=%s%s;\n' "$1" "$2" "${3:-}"
}
good() {	# check cert key want-in-output
	entry "$K/$2.crt" "$K/$2.key" > "$T/tls.conf"
	out=$("$INETD" -n "$T/tls.conf" 2>&1)
	case $out in
	*"$3"*) success "$1" ;;
	*) failure "$1" "$out" ;;
	esac
}
bad() {	# check cert key want-in-error
	entry "$1" "$2" > "$T/tls.conf"
	out=$("$INETD" -n "$T/tls.conf" 2>&1) && { failure "$3" "accepted"; return; }
	case $out in
	*"tls.conf:"[0-9]": "*"$4"*) success "$3" ;;
	*) failure "$3" "$out" ;;
	esac
}

good show-ec ec "tls: certificate /CN=ec (and 0 more in the chain), expires"
good show-ec-kind ec "key EC P-256"
good show-p384 ec384 "key EC P-384"
good show-rsa rsa "key RSA 2048"
good soon-warned soon "warning: x/tcp: the certificate of $K/soon.crt expires on"
bad "$K/ec.crt" "$K/other.key" mismatch "does not go with the certificate"
bad "$K/small.crt" "$K/small.key" rsa-small "only EC P-256 and P-384 keys and RSA keys of 2048 bits"
bad "$K/ed.crt" "$K/ed.key" ed25519 "only EC P-256 and P-384"
chmod 640 "$K/ec.key"
bad "$K/ec.crt" "$K/ec.key" key-mode "mode 640; a key must be readable by its owner only"
chmod 600 "$K/ec.key"
chmod 775 "$K"
bad "$K/ec.crt" "$K/ec.key" dir-writable "is owned by uid 0 and mode 775"
chmod 755 "$K"
bad "$K/none.crt" "$K/ec.key" cert-missing "No such file"
bad "$K" "$K/ec.key" cert-directory "not a regular file"
head -c 300000 /dev/zero > "$K/big.crt"
bad "$K/big.crt" "$K/ec.key" cert-too-large "larger than 262144 bytes"
cp "$K/ec.crt" "$K/nobody.crt"
chown nobody "$K/nobody.crt"
bad "$K/nobody.crt" "$K/ec.key" cert-not-roots "owned by uid $(id -u nobody), not root"
bad "$K/ec.key" "$K/ec.key" not-a-cert "no certificate in it"
bad "tls/ec.crt" "$K/ec.key" relative "expected an absolute path"
printf 'x on protocol=tcp, port=7990, wait=no, user=nobody, exec=/bin/cat,
	tls=yes;\n' > "$T/tls.conf"
out=$("$INETD" -n "$T/tls.conf" 2>&1)
case $out in *"tls=yes needs tls-cert= and tls-key="*) success needs-files ;;
*) failure needs-files "$out" ;; esac

# The files are parsed by the check process of inetd-tls, not by the
# parent: it becomes _inetd in /var/empty and loads its filter before it
# reads a byte of them (its first read is the 12-byte start, the
# request comes after).
entry "$K/ec.crt" "$K/ec.key" > "$T/tls.conf"
# (LeakSanitizer, which -n runs in a sanitizer build, cannot work under
# ptrace: off for this run only.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -qq -e trace=chroot,setresuid,seccomp,read -o "$T/check.st" \
    "$INETD" -n "$T/tls.conf" >/dev/null 2>&1
cpid=$(awk '/chroot\("\/var\/empty"\) *= 0$/ { print $1; exit }' "$T/check.st")
order=$(awk -v p="$cpid" -v u="$(id -u _inetd)" '$1 == p {
	if ($0 ~ "setresuid\\(" u ", " u ", " u "\\) *= 0$") print "drop"
	else if ($0 ~ /seccomp\(SECCOMP_SET_MODE_FILTER.*= 0$/) print "filter"
	else if ($0 ~ /read\(3, .*= [0-9]+$/ && $NF > 12) { print "files"; exit }
    }' "$T/check.st" | tr '\n' ' ')
if [ -n "$cpid" ] && [ "$order" = "drop filter files " ]; then
	success check-confined-first
else
	failure check-confined-first "pid '$cpid' order '$order'"
fi
# ...and inetd itself maps no OpenSSL (the parent, listener and spawner
# below are checked too, running).
ldd "$INETD" | grep -q 'libssl\|libcrypto' &&
    failure core-links-no-openssl "$(ldd "$INETD" | grep 'ssl\|crypto')" ||
    success core-links-no-openssl

# Without inetd-tls beside inetd, tls= is refused by name and the rest
# still loads; a check process that dies fails the load, closed.
mkdir -m 755 "$T/alone" "$T/dies"
cp "$INETD" "$T/alone/inetd"
out=$("$T/alone/inetd" -n "$T/tls.conf" 2>&1) &&
    failure tls-program-missing "accepted: $out" || case $out in
	*"$T/alone/inetd-tls: No such file or directory (tls= needs it)"*)
		success tls-program-missing ;;
	*) failure tls-program-missing "$out" ;;
    esac
echo "127.0.0.1:echo stream tcp nowait root internal" > "$T/plain.conf"
"$T/alone/inetd" -n "$T/plain.conf" >/dev/null 2>&1 &&
    success tls-program-missing-plain-ok ||
    failure tls-program-missing-plain-ok "plain config refused"
cp "$INETD" "$T/dies/inetd"
cp /bin/false "$T/dies/inetd-tls"
out=$("$T/dies/inetd" -n "$T/tls.conf" 2>&1) &&
    failure check-dies "accepted: $out" || case $out in
	# Dead before or after it took the start: either is refused.
	*"tls.conf:"[0-9]": "*"the check process "*)
		success check-dies ;;
	*) failure check-dies "$out" ;;
    esac
chmod 775 "$T/dies/inetd-tls"
out=$("$T/dies/inetd" -n "$T/tls.conf" 2>&1) &&
    failure tls-program-writable "accepted: $out" || case $out in
	*"inetd-tls: Operation not permitted"*)
		success tls-program-writable ;;
	*) failure tls-program-writable "$out" ;;
    esac
printf '127.0.0.1:echo stream tcp nowait root internal
.defaults tls=yes, tls-cert=%s, tls-key=%s;
7991 dgram udp wait nobody /bin/cat cat\n' "$K/ec.crt" "$K/ec.key" \
    > "$T/tls.conf"
out=$("$INETD" -n "$T/tls.conf" 2>&1)
case $out in *"tls=yes needs a stream nowait program"*) success not-dgram ;;
*) failure not-dgram "$out" ;; esac

# Served, through inetd: real clients, the processes that serve them,
# bad input, client certificates, a reload that renews the certificate.
mkca() {	# name: a CA, then name-alice signed by it
	openssl req -x509 -nodes -days 400 -subj "/CN=$1 CA" -newkey ec \
	    -pkeyopt ec_paramgen_curve:P-256 -keyout "$K/$1ca.key" \
	    -out "$K/$1ca.crt" >/dev/null 2>&1
	openssl req -nodes -subj "/O=Example/CN=alice" -newkey ec \
	    -pkeyopt ec_paramgen_curve:P-256 -keyout "$K/$1-alice.key" \
	    -out "$K/$1-alice.csr" >/dev/null 2>&1
	openssl x509 -req -days 30 -in "$K/$1-alice.csr" -CA "$K/$1ca.crt" \
	    -CAkey "$K/$1ca.key" -set_serial 0x1234 \
	    -out "$K/$1-alice.crt" >/dev/null 2>&1
	chmod 644 "$K/$1ca.crt" "$K/$1-alice.crt"
}
mkca good
mkca evil

# The other tls keys, as inetd -n refuses them, with file and line.
x="x on protocol=tcp, port=7990, wait=no, user=nobody, exec=/bin/cat, tls=yes, tls-cert=$K/ec.crt, tls-key=$K/ec.key"
check_refused protocols-bad "$x, tls-protocols=sslv3;" "tls-protocols=sslv3: expected tlsv1.2, tlsv1.3 or default"
check_refused ciphers-bad "$x, tls-ciphers=NOSUCHCIPHER;" "tls-ciphers=NOSUCHCIPHER: no cipher OpenSSL knows"
check_refused client-without-ca "$x, tls-client=optional;" "tls-client= needs tls-ca="
check_refused client-bad "$x, tls-ca=$K/goodca.crt, tls-client=maybe;" "tls-client=maybe: expected optional or required"
check_refused ca-empty "$x, tls-ca=$K/ec.key;" "ec.key: no certificate in it"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 \
    -pass pass:secret -out "$K/locked.key" >/dev/null 2>&1
chmod 600 "$K/locked.key"
printf 'x on protocol=tcp, port=7990, wait=no, user=nobody, exec=/bin/cat, tls=yes, tls-cert=%s, tls-key=%s;\n' \
    "$K/ec.crt" "$K/locked.key" > "$T/tls.conf"
out=$(timeout 10 setsid "$INETD" -n "$T/tls.conf" 2>&1 < /dev/null); rc=$?
[ $rc = 1 ] && case $out in *"no private key in it (or one with a passphrase)"*) true ;; *) false ;; esac &&
    success key-passphrase-refused || failure key-passphrase-refused "rc $rc: $out"
check_refused timeout-range "$x, tls-timeout=601;" "tls-timeout=601: expected seconds, 1 to 600"
printf '%s, tls-protocols="tlsv1.3", tls-ca=%s, tls-timeout=4;\n' "$x" \
    "$K/goodca.crt" > "$T/tls.conf"
out=$("$INETD" -n "$T/tls.conf" 2>&1)
case $out in *"key EC P-256; TLSv1.3; ciphers HIGH:!aNULL; handshake within 4 s; client certificate required"*)
	success show-offer ;;
*) failure show-offer "$out" ;; esac

mkdir -m 755 "$K/renew"
cp "$K/ec.crt" "$K/renew/s.crt"
install -m 600 "$K/ec.key" "$K/renew/s.key"

# A certificate file with the key pasted in: only the certificate may
# reach the engines (the memory scan below serves 8003 from it).
cat "$K/ec.crt" "$K/ec.key" > "$K/combined.pem"
chmod 600 "$K/combined.pem"

cat > "$T/env.sh" <<'SH'
#!/bin/sh
env | grep -E '^(SSL_|TCPREMOTEIP=)' | sort
echo end-of-env
exec cat
SH
cat > "$T/flood.sh" <<'SH'
#!/bin/sh
read -r line
exec yes "$line"
SH
mkdir -p "$T/gopher/docs"
echo "hello over gophers" > "$T/gopher/docs/hello.txt"
cp "$TOP/examples/gopher.sh" "$T/gopher.sh"
chmod -R a+rX "$T/gopher"
chmod 755 "$T/gopher.sh" "$T/env.sh" "$T/flood.sh"
cat_path=$(command -v cat); tr_path=$(command -v tr)
tls() { printf 'tls=yes, tls-cert=%s, tls-key=%s' "$K/$1.crt" "$K/$1.key"; }
start_inetd <<CONF || { failure start; exit 0; }
envsvc on protocol=tcp, port=8001, wait=no, user=nobody, exec=$T/env.sh,
	$(tls ec);
rsasvc on protocol=tcp, port=8002, wait=no, user=nobody, exec=$T/env.sh,
	$(tls rsa);
only13 on protocol=tcp, port=8003, wait=no, user=nobody, exec=/bin/cat,
	tls=yes, tls-cert=$K/combined.pem, tls-key=$K/ec.key,
	tls-protocols=tlsv1.3;
required on protocol=tcp, port=8004, wait=no, user=nobody, exec=$T/env.sh,
	$(tls ec), tls-ca=$K/goodca.crt;
optional on protocol=tcp, port=8005, wait=no, user=nobody, exec=$T/env.sh,
	$(tls ec), tls-ca=$K/goodca.crt, tls-client=optional;
short on protocol=tcp, port=8006, wait=no, user=nobody, exec=$T/flood.sh,
	$(tls ec), tls-timeout=2;
renew on protocol=tcp, port=8007, wait=no, user=nobody, exec=/bin/cat,
	tls=yes, tls-cert=$K/renew/s.crt, tls-key=$K/renew/s.key;
gophers on protocol=tcp, port=7070, wait=no, user=nobody,
	exec=$T/gopher.sh, args=gopher.sh $T/gopher,
	pledge="stdio rpath proc exec",
	unveil="$T/gopher r" "$cat_path rx" "$tr_path rx", $(tls ec);
CONF

sc() {	# port [s_client options]: stdin to the service, its answer out
	local port=$1
	shift
	timeout 10 openssl s_client -quiet -connect "127.0.0.1:$port" "$@" \
	    2>/dev/null
}
has() {	# check text line...: every line is in text
	local name=$1 text=$2 l
	shift 2
	for l; do
		printf '%s\n' "$text" | grep -qxF -- "$l" ||
		    { failure "$name" "no '$l' in: $(printf '%s' "$text" | tr '\n' ' ')"; return; }
	done
	success "$name"
}

out=$(echo "plain text over tls" | sc 8001)
has served-echo "$out" "plain text over tls" "SSL_PROTOCOL=TLSv1.3" \
    "SSL_CIPHER=TLS_AES_256_GCM_SHA384" "SSL_CLIENT_VERIFY=NONE" \
    "TCPREMOTEIP=127.0.0.1"
out=$(echo x | sc 8001 -servername gopher.example)
has env-sni "$out" "SSL_TLS_SNI=gopher.example"
out=$(echo x | sc 8001 -tls1_2)
has tls12-ecdsa "$out" "SSL_PROTOCOL=TLSv1.2" \
    "SSL_CIPHER=ECDHE-ECDSA-AES256-GCM-SHA384" x
out=$(echo x | sc 8002)
has rsa-tls13 "$out" "SSL_PROTOCOL=TLSv1.3" x
out=$(echo x | sc 8002 -tls1_2 -sigalgs RSA+SHA256)
[ -z "$out" ] && wait_log "rsasvc/tcp: tls: handshake with 127.0.0.1 failed" 5 &&
    success rsa-pkcs1-refused || failure rsa-pkcs1-refused "$out"
out=$(echo x | sc 8002 -tls1_2)
has rsa-tls12 "$out" "SSL_PROTOCOL=TLSv1.2" \
    "SSL_CIPHER=ECDHE-RSA-AES256-GCM-SHA384" x
out=$(echo x | sc 8003 -tls1_2)
[ -z "$out" ] && success protocols-12-refused || failure protocols-12-refused "$out"
out=$(echo y | sc 8003 -tls1_3)
[ "$out" = y ] && success protocols-13-served || failure protocols-13-served "$out"

# Client certificates: required, optional, from another CA.
out=$(echo x | sc 8004 -cert "$K/good-alice.crt" -key "$K/good-alice.key")
has client-cert-required-ok "$out" "SSL_CLIENT_VERIFY=SUCCESS" \
    "SSL_CLIENT_S_DN=CN=alice,O=Example" "SSL_CLIENT_I_DN=CN=good CA" \
    "SSL_CLIENT_M_SERIAL=1234" x
out=$(echo x | sc 8004)
[ -z "$out" ] && success client-cert-required-none ||
    failure client-cert-required-none "$out"
out=$(echo x | sc 8004 -cert "$K/evil-alice.crt" -key "$K/evil-alice.key")
[ -z "$out" ] && success client-cert-other-ca ||
    failure client-cert-other-ca "$out"
out=$(echo x | sc 8005)
has client-cert-optional-none "$out" "SSL_CLIENT_VERIFY=NONE" x
out=$(echo x | sc 8005 -cert "$K/good-alice.crt" -key "$K/good-alice.key")
has client-cert-optional-given "$out" "SSL_CLIENT_VERIFY=SUCCESS" x
out=$(echo x | sc 8005 -cert "$K/evil-alice.crt" -key "$K/evil-alice.key")
[ -z "$out" ] && success client-cert-optional-bad ||
    failure client-cert-optional-bad "$out"
wait_log "required/tcp: tls: handshake with 127.0.0.1 failed; closed" 5 &&
    success client-cert-refusal-logged || failure client-cert-refusal-logged

# The seed's gopher example over TLS, with curl.
out=$(timeout 10 curl -sk gophers://127.0.0.1:7070/0/docs/hello.txt)
[ "$out" = "hello over gophers" ] && success gophers-curl ||
    failure gophers-curl "got '$out'"
out=$(timeout 10 curl -sk --path-as-is \
    "gophers://127.0.0.1:7070/0/../../../../../../etc/passwd")
! printf '%s' "$out" | grep -q '^root:' && success gophers-passwd-hidden ||
    failure gophers-passwd-hidden "passwd served"

# A client that holds its connection, for what the processes hold.
cat > "$T/hold.py" <<'PY'
import os, socket, ssl, sys, time
port, text, flag = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
f = s.makefile("rwb", buffering=0)
def line(t):
    f.write((t + "\n").encode())
    return f.readline().decode().rstrip("\n")
got = [line(text)]
open(flag + ".ready", "w").close()
while not os.path.exists(flag + ".go"):
    time.sleep(0.02)
got.append(line("after " + text))
print(" ".join(got), flush=True)
PY
cat > "$T/scan.py" <<'PY'
import sys
pid, needles = sys.argv[1], [bytes.fromhex(h) for h in sys.argv[2:]]
needles += [n[::-1] for n in needles]
found = 0
with open(f"/proc/{pid}/maps") as m, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in m:
        a, perms = line.split()[0:2]
        if perms[0] != 'r':
            continue
        lo, hi = (int(x, 16) for x in a.split('-'))
        try:
            mem.seek(lo); data = mem.read(hi - lo)
        except OSError:
            continue
        found += sum(1 for n in needles if n in data)
print(found)
PY
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
tlsproc() {	# the spawner's TLS process
	pgrep -P "$(role_pid spawner)" -x -f 'inetd: tls'
}
engines() {	# the engines it runs now, one per connection
	pgrep -P "$(tlsproc)"
}
python3 "$T/hold.py" 8003 marker-of-alice-7f3a "$T/a" > "$T/a.out" 2>&1 &
ha=$!
python3 "$T/hold.py" 8003 marker-of-bob-91c2 "$T/b" > "$T/b.out" 2>&1 &
hb=$!
wait_for 10 test -e "$T/a.ready" -a -e "$T/b.ready"
ep=$(engines | tr '\n' ' ')
set -- $ep
if [ $# = 2 ]; then
	success engine-per-connection
	# Each engine holds its own client's plaintext at most, never the
	# other's; none holds the key, which the keys process does.
	a_in_b=0; b_in_a=0
	for e in "$@"; do
		ina=$(python3 "$T/scan.py" "$e" "$(hex marker-of-alice-7f3a)")
		inb=$(python3 "$T/scan.py" "$e" "$(hex marker-of-bob-91c2)")
		[ "$ina" -gt 0 ] && [ "$inb" -gt 0 ] && a_in_b=1
		[ "$ina" = 0 ] && [ "$inb" = 0 ] && b_in_a=1
	done
	[ $a_in_b = 0 ] && [ $b_in_a = 0 ] && success engine-isolation ||
	    failure engine-isolation "an engine holds both clients' bytes, or neither"
	keyhex=$(openssl ec -in "$K/ec.key" -text -noout 2>/dev/null |
	    awk '/priv:/ { f = 1; next } /pub:/ { f = 0 } f' | tr -d ' :\n')
	in_engines=0
	for e in "$@" "$(tlsproc)"; do
		in_engines=$((in_engines + $(python3 "$T/scan.py" "$e" "$keyhex")))
	done
	# Nor the key's text, which the certificate file of 8003 holds.
	keyline=$(sed -n 2p "$K/ec.key")
	for e in "$@" "$(tlsproc)"; do
		in_engines=$((in_engines + $(python3 "$T/scan.py" "$e" "$(hex "$keyline")")))
	done
	in_keys=$(python3 "$T/scan.py" "$(role_pid keys)" "$keyhex")
	if [ "$in_engines" = 0 ] && [ "${in_keys:-0}" -gt 0 ]; then
		success engine-no-key-in-memory
	else
		failure engine-no-key-in-memory "engines $in_engines, keys process ${in_keys:-?}"
	fi
	e=$1
	if grep -q "^Uid:	$(id -u _inetd)	" "/proc/$e/status" &&
	    grep -q '^Seccomp:	2' "/proc/$e/status" &&
	    grep -q '^NoNewPrivs:	1' "/proc/$e/status" &&
	    [ "$(readlink "/proc/$e/root")" = /var/empty ]; then
		success engine-confined
	else
		failure engine-confined "$(grep -E 'Uid|Seccomp|NoNewPrivs' "/proc/$e/status")"
	fi
else
	failure engine-per-connection "engines: '$ep'"
fi
confined() {	# check pid: _inetd, filtered, in /var/empty
	if [ -n "$2" ] && grep -q "^Uid:	$(id -u _inetd)	" "/proc/$2/status" &&
	    grep -q '^Seccomp:	2' "/proc/$2/status" &&
	    grep -q '^NoNewPrivs:	1' "/proc/$2/status" &&
	    [ "$(readlink "/proc/$2/root")" = /var/empty ]; then
		success "$1"
	else
		failure "$1" "pid '$2'"
	fi
}
confined keys-confined "$(role_pid keys)"
nossl=1
for p in "$INETD_PID" "$(role_pid listener)" "$(role_pid spawner)"; do
	{ [ -n "$p" ] && ! grep -q 'libcrypto\|libssl' "/proc/$p/maps"; } ||
	    nossl=0
done
if [ $nossl = 1 ] && grep -q libcrypto "/proc/$(role_pid keys)/maps"; then
	success core-maps-no-openssl
else
	failure core-maps-no-openssl "a core role maps OpenSSL, or keys does not"
fi
confined tlsproc-confined "$(tlsproc)"
touch "$T/a.go" "$T/b.go"
wait $ha $hb
grep -qx "marker-of-alice-7f3a after marker-of-alice-7f3a" "$T/a.out" &&
    success held-connection || failure held-connection "$(cat "$T/a.out")"

# The engine's confinement, the very function it calls: the key file
# cannot be opened, nor a socket, a program, a trace or a signal.
out=$("$REGRESS/tlsconfinetest" "$(id -u _inetd)" "$(id -g _inetd)" "$K/ec.key")
has engine-cannot-open-key "$out" "control: done" "open-key: killed" \
    "openat-key: killed" "socket: killed" "exec: killed" "ptrace: killed" \
    "kill: killed"
# A sanitizer build's allowances (tls/confine.c), in that build only.
case $out in
*"build: normal"*)
	has engine-no-sanitizer-allowances "$out" "sigaltstack: killed" \
	    "tcgets: killed" ;;
*)
	has engine-sanitizer-allowances "$out" "sigaltstack: done" \
	    "tcgets: failed Inappropriate ioctl for device" ;;
esac

# Bad input ends that connection only, logged, within tls-timeout=2:
# plain text, a handshake cut short, a client that says nothing, a
# client that never reads what the service floods it with.
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 nc -N -w 4 127.0.0.1 8006 \
    > /dev/null 2>&1
wait_log "short/tcp: tls: handshake with 127.0.0.1 failed; closed" 5 &&
    success bad-plaintext || failure bad-plaintext
n=$(count_log "short/tcp: tls: handshake with 127.0.0.1 failed")
printf '\026\003\001\002\000\001' | timeout 5 nc -N -w 4 127.0.0.1 8006 \
    > /dev/null 2>&1
wait_for 5 sh -c "[ \$(grep -c 'short/tcp: tls: handshake with 127.0.0.1 failed' '$T/log') -gt $n ]" &&
    success bad-truncated || failure bad-truncated
t0=$(date +%s)
timeout 10 nc -d -w 8 127.0.0.1 8006 > /dev/null 2>&1
t1=$(date +%s)
if wait_log "short/tcp: tls: handshake with 127.0.0.1 not done in 2 s; closed" 2 &&
    [ $((t1 - t0)) -le 4 ]; then
	success bad-silent-deadline
else
	failure bad-silent-deadline "closed after $((t1 - t0)) s"
fi
# None of them got a program: the service starts after the handshake.
n=$(count_log "short/tcp: started pid")
[ "$n" = 0 ] && success bad-input-no-program ||
    failure bad-input-no-program "$n started"
cat > "$T/noread.py" <<'PY'
import socket, ssl, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
raw = socket.create_connection(("127.0.0.1", 8006))
raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s = ctx.wrap_socket(raw)
s.sendall(b"never read\n")
time.sleep(12)
PY
python3 "$T/noread.py" > /dev/null 2>&1 &
nr=$!
out=$(echo "still served" | sc 8001 | tail -1)
if wait_log "short/tcp: tls: 127.0.0.1 did not read for 2 s; closed" 10; then
	success bad-never-reads
else
	failure bad-never-reads
fi
[ "$out" = "still served" ] && success others-served || failure others-served "$out"
kill $nr 2>/dev/null; wait $nr 2>/dev/null

# Renewal as ACME does it: new files, SIGHUP.  New connections get the
# new certificate, the running one keeps going.
python3 "$T/hold.py" 8007 before-renewal "$T/r" > "$T/r.out" 2>&1 &
hr=$!
wait_for 10 test -e "$T/r.ready"
openssl req -x509 -nodes -days 90 -subj "/CN=renewed" -newkey ec \
    -pkeyopt ec_paramgen_curve:P-256 -keyout "$K/renew/new.key" \
    -out "$K/renew/new.crt" >/dev/null 2>&1
chmod 600 "$K/renew/new.key"; chmod 644 "$K/renew/new.crt"
mv "$K/renew/new.key" "$K/renew/s.key"
mv "$K/renew/new.crt" "$K/renew/s.crt"
kill -HUP "$INETD_PID"
wait_log '^generation 2 in force' 10 || failure renew-reloaded
subj=$(echo | timeout 10 openssl s_client -connect 127.0.0.1:8007 2>/dev/null |
    sed -n 's/^subject=//p')
case $subj in *renewed*) success renew-new-certificate ;;
*) failure renew-new-certificate "subject '$subj'" ;; esac
touch "$T/r.go"
wait $hr
grep -q "before-renewal after before-renewal" "$T/r.out" &&
    success renew-running-kept || failure renew-running-kept "$(cat "$T/r.out")"

# The keys process killed: the parent starts fresh children, the keys
# are sent again, and TLS is served as before.
kp=$(role_pid keys)
kill -9 "$kp"
# The parent may see the spawner go first, its channel to keys closed.
if wait_log "restarting listener, spawner and keys" 5 &&
    wait_log '^generation 3 in force' 10; then
	out=$(echo "after restart" | sc 8003)
	[ "$out" = "after restart" ] && success keys-restarted ||
	    failure keys-restarted "got '$out'"
else
	failure keys-restarted "no restart logged"
fi

# Without a tls= entry there is no keys process and no TLS process; a
# reload that adds one starts both, and serves it.
stop_inetd
start_inetd <<CONF || { failure start-plain; exit 0; }
127.0.0.1:echo stream tcp nowait root internal
CONF
if [ -z "$(role_pid keys)" ] && [ -z "$(tlsproc)" ]; then
	success none-without-tls
else
	failure none-without-tls "keys '$(role_pid keys)' tls '$(tlsproc)'"
fi
cat >> "$T/inetd.conf" <<CONF
only13 on protocol=tcp, port=8003, wait=no, user=nobody, exec=/bin/cat,
	$(tls ec);
CONF
kill -HUP "$INETD_PID"
wait_log '^generation 2 in force' 10
out=$(echo "added by reload" | sc 8003)
[ "$out" = "added by reload" ] && [ -n "$(role_pid keys)" ] &&
    [ -n "$(tlsproc)" ] && success started-by-reload ||
    failure started-by-reload "got '$out'"
