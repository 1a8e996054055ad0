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

# The parser's less travelled corners, through inetd -n: values a typo
# makes wrong are refused with file, line and reason, and the spellings
# inetd.conf(5) documents (escapes in quotes, localhost, -R) read as it
# says.
. "$(dirname "$0")/lib.sh"

x='x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat'

check_refused landlock-value "$x, landlock=maybe;" \
    'landlock=maybe: expected required or auto'
check_refused newprivs-value "$x, new-privileges=perhaps;" \
    'new-privileges=perhaps: expected yes or no'
check_refused tls-value "$x, tls=maybe;" 'tls=maybe: expected yes or no'
check_refused tls-protocols "$x, tls-protocols=sslv3;" \
    'tls-protocols=sslv3: expected tlsv1.2, tlsv1.3 or default'
check_refused backlog-zero "$x, backlog=0;" 'backlog=0 is too small'
check_refused chroot-relative "$x, chroot=rel/dir;" \
    'chroot=rel/dir: not an absolute path'
check_refused escape-unknown "$x, args=\"a\\q\";" 'unknown escape'
check_refused escape-hex-empty "$x, args=\"a\\x\";" 'bad \\\\x escape'
check_refused quote-open "$x, args=\"a;" 'unterminated quote'
check_refused banner-control "$x, deny-banner=\"\\x01\";" \
    'deny-banner: printable characters only'
check_refused args-too-many \
    "echo stream tcp nowait root /bin/echo echo $(seq -s ' ' 1 70)" \
    'too many arguments (at most 64)'
check_refused value-too-long "$x, args=\"$(printf 'a%.0s' $(seq 1 1100))\";" \
    'argument 1 too long'
check_refused address-bracket '[::1:' 'bad address "\[::1"'
check_refused login-class-empty 'echo stream tcp nowait root/ internal' \
    'empty login class in "root/"'
check_refused user-empty 'echo stream tcp nowait :x internal' \
    'bad user ":x"'
check_refused umask-value "$x, umask=999;" 'umask=999: expected an octal mode'
check_refused one-value "$x, umask=022 077;" 'umask takes one value, got 2'
check_refused missing-semicolon "$x" "missing ';' at end of file" 2
check_refused missing-separator "$x, umask=022 = 1;" \
    "expected ',' or ';' after \"umask\" values"
check_refused missing-key "$x, =1;" 'expected key=value'
check_refused missing-protocol 'x on port=7000, wait=no, user=daemon, exec=/bin/cat;' \
    'x: protocol= is missing'
check_refused unix-spec ':daemon:/tmp/x.sock stream unix nowait daemon /bin/cat' \
    'expected :user:group:mode:path'
check_refused unix-user ':nosuchuser:daemon:600:/tmp/x.sock stream unix nowait daemon /bin/cat' \
    'unknown user "nosuchuser"'
check_refused unix-group ':daemon:nosuchgroup:600:/tmp/x.sock stream unix nowait daemon /bin/cat' \
    'unknown group "nosuchgroup"'
check_refused unix-mode ':daemon:daemon:9x:/tmp/x.sock stream unix nowait daemon /bin/cat' \
    'bad socket mode "9x'
check_refused unix-relative ':daemon:daemon:600:x.sock stream unix nowait daemon /bin/cat' \
    'socket path "x.sock" is not absolute'
check_refused unix-long "/tmp/$(printf 'a%.0s' $(seq 1 120)) stream unix nowait daemon /bin/cat" \
    'longer than'
check_refused unix-internal '/tmp/x.sock stream unix nowait root internal' \
    'no internal services on UNIX sockets'
check_refused path-not-unix '/tmp/x.sock stream tcp nowait root /bin/cat' \
    'a socket path needs protocol unix'
check_refused tcpmux-empty 'tcpmux/ stream tcp nowait root /bin/cat' \
    'tcpmux name must be 1 to 64 characters'
check_refused tcpmux-help 'tcpmux/HELP stream tcp nowait root /bin/cat' \
    'tcpmux/help is reserved'
check_refused tcpmux-wait 'tcpmux/x stream tcp wait root /bin/cat' \
    'tcpmux services must be stream tcp nowait programs'
check_refused include-unreadable ".include $T/nosuchdir/*.conf" \
    'cannot read'
check_refused tls-ciphers "$x, tls-ciphers=\"\";" \
    'expected an OpenSSL cipher list'
printf 'echo stream tcp nowait root internal\0\n' > "$T/nul.conf"
out=$("$INETD" -n "$T/nul.conf" 2>&1)
[ $? = 1 ] && printf '%s\n' "$out" | grep -q 'NUL byte in line' &&
    success nul-byte || failure nul-byte "$(printf '%s' "$out" | head -1)"

# accepted name pattern: inetd -n reads the file $T/ok.conf and prints a
# line matching the extended regexp.
accepted() {
	local name=$1 pattern=$2 out
	shift 2
	out=$("$INETD" "$@" -n "$T/ok.conf" 2>&1)
	if [ $? = 0 ] && printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
		success "$name"
	else
		failure "$name" "$(printf '%s' "$out" | head -1)"
	fi
}

printf '%s, args="echo" "a\\tb\\x41\\\\";\n' "$x" > "$T/ok.conf"
accepted escapes "$(printf 'cat echo a\tbA\\\\$')"
printf '%s, allow=localhost;\n' "$x" > "$T/ok.conf"
accepted localhost 'access: allow 127\.0\.0\.0/8, ::1;'
printf '%s, group=daemon, backlog=17, landlock=auto, new-privileges=no, tls=no;\n' \
    "$x" > "$T/ok.conf"
accepted keys-valid 'user daemon uid [0-9]+ gid [0-9]+'
accepted rate-option 'max 7 per 60s' -R 7
