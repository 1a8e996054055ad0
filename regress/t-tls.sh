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

# TLS (tls=, tls-cert=, tls-key=): the files of an entry as inetd -n
# checks them, with certificates and keys made here by openssl(1).
. "$(dirname "$0")/lib.sh"
need_tool openssl
need_prog tlsfwdtest keyholder
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
bad "$K/ec.key" "$K/ec.key" not-a-cert "no certificate in it"
bad "tls/ec.crt" "$K/ec.key" relative "expected an absolute path"
printf 'x on protocol=tcp, port=7990, wait=no, user=nobody, exec=/bin/cat,
	tls=yes;\n' > "$T/tls.conf"
out=$("$INETD" -n "$T/tls.conf" 2>&1)
case $out in *"tls=yes needs tls-cert= and tls-key="*) success needs-files ;;
*) failure needs-files "$out" ;; esac
printf '127.0.0.1:echo stream tcp nowait root internal
.defaults tls=yes, tls-cert=%s, tls-key=%s;
7991 dgram udp wait nobody /bin/cat cat\n' "$K/ec.crt" "$K/ec.key" \
    > "$T/tls.conf"
out=$("$INETD" -n "$T/tls.conf" 2>&1)
case $out in *"tls=yes needs a stream nowait program"*) success not-dgram ;;
*) failure not-dgram "$out" ;; esac

# Not served yet: a table that asks for it is refused, never run plain.
entry "$K/ec.crt" "$K/ec.key" > "$T/tls.conf"
out=$(timeout 10 "$INETD" -d "$T/tls.conf" 2>&1); rc=$?
if [ $rc = 1 ] && printf '%s' "$out" | grep -q 'tls=yes is not served yet'
then
	success refused-until-served
else
	failure refused-until-served "rc $rc: $out"
fi

# The engine (inetd -P tls) on its own, as the spawner will start it:
# a driver accepts, joins the connection to /bin/cat through a
# socketpair, gives the engine a channel to a key holder (regress/
# keyholder, the real tls/keysign.c) and its settings, and records the
# pids.  Real clients: openssl s_client.
cat > "$T/drive.py" <<'PY'
import os, socket, subprocess, sys
inetd, keyholder, cert, key, port, n, pidfile = sys.argv[1:8]
nob = 65534
chain = open(cert).read()
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", int(port))); ls.listen(8)
print("ready", flush=True)
procs = []
for i in range(int(n)):
    c, _ = ls.accept()
    s0, s1 = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    k0, k1 = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    r, w = os.pipe()
    os.write(w, (f"{nob} {nob} 3\n" + chain).encode()); os.close(w)
    svc = subprocess.Popen(["/bin/cat"], stdin=s1.fileno(), stdout=s1.fileno())
    kh = subprocess.Popen([keyholder, key], pass_fds=(3,), preexec_fn=lambda: os.dup2(k1.fileno(), 3))
    def eng_fds(c=c, s0=s0, k0=k0, r=r):
        os.dup2(c.fileno(), 0); os.dup2(s0.fileno(), 1)
        os.dup2(k0.fileno(), 3); os.dup2(r, 4)
    eng = subprocess.Popen([inetd, "-P", "tls"], preexec_fn=eng_fds, pass_fds=(3, 4), close_fds=True)
    open(pidfile, "a").write(f"{eng.pid} {kh.pid}\n")
    c.close(); s1.close(); k1.close(); s0.close(); k0.close(); os.close(r)
    procs.append((eng, svc, kh))
for eng, svc, kh in procs:
    rc = eng.wait(); svc.wait()
    kh.kill(); kh.wait()
    print("engine exit", rc, flush=True)
PY
cat > "$T/scan.py" <<'PY'
import re, sys
pid, hexkey = sys.argv[1], sys.argv[2]
k = bytes.fromhex(hexkey)
needles = [k, k[::-1]]
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
        for n in needles:
            if n in data:
                found += 1
print(found)
PY
drive() {	# connections
	: > "$T/pids"
	python3 "$T/drive.py" "$INETD" "$REGRESS/keyholder" "$K/ec.crt" \
	    "$K/ec.key" 7995 "$1" "$T/pids" > "$T/drive.log" 2>&1 &
	DRIVE=$!
	wait_for 5 grep -q ready "$T/drive.log"
}
sclient() {	# seconds-to-stay text
	( printf '%s\n' "$2"; sleep "$1" ) | timeout $(( $1 + 5 )) \
	    openssl s_client -quiet -connect 127.0.0.1:7995 2>/dev/null
}

drive 1
got=$(sclient 1 "hello over tls")
[ "$got" = "hello over tls" ] && success engine-echo ||
    failure engine-echo "got '$got': $(cat "$T/drive.log")"
wait $DRIVE

# While a connection is open: the engine holds no key, in either byte
# order (OpenSSL keeps the scalar reversed); the holder does (the
# scan's positive control).  The engine is nobody, filtered, in
# /var/empty.
keyhex=$(openssl ec -in "$K/ec.key" -text -noout 2>/dev/null |
    awk '/priv:/ { f = 1; next } /pub:/ { f = 0 } f' | tr -d ' :\n')
drive 1
sclient 4 still > /dev/null &
cl=$!
wait_for 5 sh -c "[ -s '$T/pids' ]"
read -r epid hpid < "$T/pids"
sleep 1
in_engine=$(python3 "$T/scan.py" "$epid" "$keyhex")
in_holder=$(python3 "$T/scan.py" "$hpid" "$keyhex")
if [ "$in_engine" = 0 ] && [ "${in_holder:-0}" -gt 0 ]; then
	success engine-no-key-in-memory
else
	failure engine-no-key-in-memory "engine $in_engine, holder $in_holder"
fi
if grep -q '^Uid:	65534	65534	65534	65534' "/proc/$epid/status" &&
    grep -q '^Seccomp:	2' "/proc/$epid/status" &&
    grep -q '^NoNewPrivs:	1' "/proc/$epid/status" &&
    [ "$(readlink "/proc/$epid/root")" = /var/empty ]; then
	success engine-confined
else
	failure engine-confined "$(grep -E 'Uid|Seccomp|NoNewPrivs' "/proc/$epid/status")"
fi
wait $cl
wait $DRIVE

# Bad input ends that connection, within the handshake deadline (3 s
# here): plain text on the TLS port, a handshake cut short, a client
# that says nothing.
drive 3
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 nc -N -w 4 127.0.0.1 7995 \
    > /dev/null 2>&1
printf '\026\003\001\002\000\001' | timeout 5 nc -N -w 4 127.0.0.1 7995 \
    > /dev/null 2>&1
t0=$(date +%s)
timeout 10 nc -d -w 8 127.0.0.1 7995 > /dev/null 2>&1
t1=$(date +%s)
wait $DRIVE
n=$(grep -c 'engine exit [12]' "$T/drive.log")
if [ "$n" = 3 ] && [ $((t1 - t0)) -le 5 ]; then
	success engine-bad-input
else
	failure engine-bad-input "$n of 3 ended, silent one after $((t1 - t0)) s: $(cat "$T/drive.log")"
fi
