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
