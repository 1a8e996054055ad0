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

# tcpmux (RFC 1078): help lists the services; a chosen service runs as its
# own configured user, never as root; unknown names are refused.
. "$(dirname "$0")/lib.sh"
need_tool nc

install_prog svcinfo
install_echod
test_user || { failure user; exit 0; }
uid=$(id -u _inetdt)
start_inetd <<CONF || { failure start; exit 0; }
tcpmux stream tcp nowait root internal
tcpmux/+whoami stream tcp nowait _inetdt $T/svcinfo svcinfo status
tcpmux/plain stream tcp nowait daemon $T/svcinfo plain
tcpmux/+echo stream tcp nowait daemon $T/echod.sh
CONF

out=$(printf 'help\r\n' | nc -N -w 5 127.0.0.1 1 | tr -d '\r' | sort | tr '\n' ' ')
[ "$out" = "echo plain whoami " ] && success help || failure help "got '$out'"

out=$(printf 'WhoAmI\r\n' | nc -N -w 5 127.0.0.1 1 | tr -d '\r')
first=$(printf '%s\n' "$out" | head -1)
u=$(printf '%s\n' "$out" | awk '$1 == "Uid:" { print $2, $3, $4, $5 }')
[ "$first" = "+Go" ] && success plus-go || failure plus-go "got '$first'"
[ "$u" = "$uid $uid $uid $uid" ] && success own-user || failure own-user "Uid: $u"

out=$(printf 'plain\n' | nc -N -w 5 127.0.0.1 1 | tr -d '\r')
[ "$out" = plain ] && success plain || failure plain "got '$out'"

# What follows the name line in the same segment is the service's.
out=$(printf 'echo\r\nright behind\n' | nc -N -w 5 127.0.0.1 1 | tr -d '\r' | tail -1)
[ "$out" = "right behind" ] && success pipelined || failure pipelined "got '$out'"

out=$(printf 'nosuch\r\n' | nc -N -w 5 127.0.0.1 1 | tr -d '\r')
[ "$out" = "-Service not available" ] && success unknown || failure unknown "got '$out'"
out=$(head -c 300 /dev/zero | tr '\0' a | nc -N -w 5 127.0.0.1 1 | tr -d '\r')
[ "$out" = "-Service name too long" ] && success too-long || failure too-long "got '$out'"

# A tcpmux/ entry without the internal tcpmux is a config error.
printf 'tcpmux/x stream tcp nowait daemon /bin/cat\n' > "$T/bad.conf"
out=$("$INETD" -n "$T/bad.conf" 2>&1); rc=$?
[ $rc = 1 ] && printf '%s' "$out" | grep -q 'bad.conf:1: tcpmux/x needs an internal tcpmux' &&
    success needs-internal || failure needs-internal "$out"
