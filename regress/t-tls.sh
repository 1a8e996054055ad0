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
need_prog tlsfwdtest
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
