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

# The key-value notation, .include and .defaults: entries load and serve,
# and their errors name the file and the line.
. "$(dirname "$0")/lib.sh"
need_tool nc

install_prog svcinfo
mkdir -p "$T/conf.d"
cat > "$T/conf.d/a.conf" <<CONF
# a drop-in file
incl-a on protocol=tcp, port=7032, wait=no, exec=$T/svcinfo, args=included-a;
CONF
cat > "$T/conf.d/b.conf" <<CONF
7033 stream tcp nowait daemon $T/svcinfo included-b
CONF

start_inetd <<CONF || { failure start; exit 0; }
.defaults user=daemon, max=1000;
# spans lines, comments inside, quoted args with escapes
echod on socktype=stream, protocol=tcp, wait=no,   # trailing comment
	bind=127.0.0.1, port=7030,
	exec=$T/svcinfo, args="svcinfo" ;
kvquoted on protocol=tcp, port=7031, wait=no, exec=$T/svcinfo,
	args='a b\tc';
disabled off protocol=tcp, port=7034, wait=no, exec=$T/svcinfo, args=x;
.include conf.d/*.conf
7035 stream tcp nowait daemon $T/svcinfo classic-after
CONF

[ "$(say 7030 '')" = svcinfo ] && success kv-entry || failure kv-entry
[ "$(say 7031 '')" = $'a b\tc' ] && success kv-quoted || failure kv-quoted "got '$(say 7031 '')'"
[ "$(say 7032 '')" = included-a ] && success include-kv || failure include-kv
[ "$(say 7033 '')" = included-b ] && success include-classic || failure include-classic
[ "$(say 7035 '')" = classic-after ] && success classic-mixed || failure classic-mixed
! nc -z 127.0.0.1 7034 && success off || failure off "7034 answers"

# Errors name the file and the line the entry starts on.
check_err() {
	local name=$1 pattern=$2
	out=$("$INETD" -n "$T/bad.conf" 2>&1); rc=$?
	if [ $rc = 1 ] && printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
		success "$name"
	else
		failure "$name" "rc $rc: $(printf '%s' "$out" | head -2 | tr '\n' ' ')"
	fi
}
printf '%s\n' '# c' 'x on protocol=tcp, port=7040, wait=no,' \
    '  user=daemon, exec=/bin/cat, bogus=1;' > "$T/bad.conf"
check_err unknown-key "bad.conf:3: unknown key \"bogus\""
printf 'x on protocol=tcp, port=7040, wait=no, exec=/bin/cat;\n' > "$T/bad.conf"
check_err missing-user "bad.conf:1: x: user= is missing"
printf 'x on protocol=tcp, port=7040, user=daemon, exec=/bin/cat;\n' > "$T/bad.conf"
check_err missing-wait "bad.conf:1: x: wait= is missing"
printf 'x on protocol=tcp, port=7040, wait=maybe, user=daemon, exec=/bin/cat;\n' > "$T/bad.conf"
check_err bad-wait "bad.conf:1: wait=maybe"
printf '\n\nx on protocol=tcp, port=7040, wait=no, user=daemon,\n exec=/bin/cat\n' > "$T/bad.conf"
check_err missing-semicolon "bad.conf:[0-9]+: missing ';'"
printf 'x on protocol=tcp, port=7040, wait=no, user=daemon, args="open;\n' > "$T/bad.conf"
check_err unterminated-quote "bad.conf:1: unterminated quote"
printf 'x on protocol=tcp, port=99999, wait=no, user=daemon, exec=/bin/cat;\n' > "$T/bad.conf"
check_err bad-port "bad.conf:1: port \"99999\""
printf 'x on protocol=tcp, port=7040, wait=no, user=nosuchuser_x, exec=/bin/cat;\n' > "$T/bad.conf"
check_err kv-unknown-user "bad.conf:1: unknown user"
printf '.defaults exec=/bin/cat;\n' > "$T/bad.conf"
check_err defaults-entry-key "bad.conf:1: exec cannot be a default"
printf 'x on protocol=tcp, port=7040, wait=no, user=daemon, max-child=abc, exec=/bin/cat;\n' > "$T/bad.conf"
check_err bad-number "bad.conf:1: max-child=abc"
# An error in an included file names that file.
printf '7041 stream tcp nowait daemon /bin/cat\nbroken line here\n' > "$T/conf.d/c.conf"
printf '.include conf.d/c.conf\n' > "$T/bad.conf"
check_err include-error "conf.d/c.conf:2: expected"
rm "$T/conf.d/c.conf"
printf '.include missing.conf\n' > "$T/bad.conf"
check_err include-missing "bad.conf:1: .include .*missing.conf"
printf '.include bad.conf\n' > "$T/bad.conf"
check_err include-loop "include loop"
# An entry that parses after a bad one is not loaded either: whole file refused.
printf '%s\n' 'x on protocol=tcp, port=7040, wait=no, user=daemon, exec=/bin/cat;' \
    'y on protocol=tcp, bogus;' > "$T/bad.conf"
check_err resync "bad.conf:2: expected '='"

# BSD variants of the classic fields.
printf '%s\n' '7050 stream tcp nowait:20 daemon /bin/cat' \
    '7051 stream tcp nowait/4/0/0 daemon:daemon/default /bin/cat' > "$T/bsd.conf"
out=$("$INETD" -n "$T/bsd.conf" 2>&1) && success bsd-variants || failure bsd-variants "$out"
# FreeBSD's per-IP fields are per-source-rate= and per-source=.
printf '7052 stream tcp nowait/4/10/3 daemon /bin/cat\n' > "$T/bsd.conf"
case $("$INETD" -n "$T/bsd.conf" 2>&1) in
*"max-child 4"*"per source: 3 at once, 10 per 60s"*) success bsd-per-ip ;;
*)	failure bsd-per-ip "$("$INETD" -n "$T/bsd.conf" 2>&1 | head -5)" ;;
esac
