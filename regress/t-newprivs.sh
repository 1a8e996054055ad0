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

# new-privileges=yes: the documented opt-out for legacy programs that must
# gain privileges (a set-user-ID program); without it they cannot.
. "$(dirname "$0")/lib.sh"
need_tool nc findmnt

cp "$(command -v id)" "$T/suid-id"
chown root:root "$T/suid-id"; chmod 4755 "$T/suid-id"
if findmnt -n -o OPTIONS -T "$T" | grep -q nosuid; then
	skip all "$T is mounted nosuid"; exit 0
fi
start_inetd <<CONF || { failure start; exit 0; }
legacy on protocol=tcp, port=7090, wait=no, user=nobody, exec=$T/suid-id,
	args="id" "-u", new-privileges=yes;
normal on protocol=tcp, port=7091, wait=no, user=nobody, exec=$T/suid-id,
	args="id" "-u";
CONF
nobody=$(id -u nobody)
[ "$(say 7090 '')" = 0 ] && success gains || failure gains "euid $(say 7090 '')"
[ "$(say 7091 '')" = "$nobody" ] && success cannot-gain || failure cannot-gain "euid $(say 7091 '')"
