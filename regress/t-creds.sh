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

# What a service is: the configured uid and gid in all four slots, exactly
# the configured groups, no-new-privileges, no capabilities, descriptors
# 0-2 only, and exactly the documented environment.
. "$(dirname "$0")/lib.sh"
need_tool nc

test_user || { failure user "cannot make the test user"; exit 0; }
install_prog svcinfo
uid=$(id -u _inetdt)
gid=$(id -g _inetdt)
g2=$(getent group _inetdt2 | cut -d: -f3)
g3=$(getent group _inetdt3 | cut -d: -f3)
dgid=$(getent group daemon | cut -d: -f3)

start_inetd <<CONF || { failure start; exit 0; }
7001 stream tcp nowait _inetdt $T/svcinfo svcinfo status
7002 stream tcp nowait _inetdt:daemon $T/svcinfo svcinfo status
7003 stream tcp nowait _inetdt $T/svcinfo svcinfo fds
7004 stream tcp nowait _inetdt $T/svcinfo svcinfo env
CONF

st=$(say 7001 '')
line() {
	printf '%s\n' "$st" |
	    awk -v f="$1" '$1 == f { $1 = ""; print substr($0, 2) }' |
	    tr -s ' \t' ' '
}
[ "$(line Uid:)" = "$uid $uid $uid $uid" ] && success uid || failure uid "Uid: $(line Uid:)"
[ "$(line Gid:)" = "$gid $gid $gid $gid" ] && success gid || failure gid "Gid: $(line Gid:)"
want=$(printf '%s\n' "$gid" "$g2" "$g3" | sort -n | tr '\n' ' ' | sed 's/ $//')
got=$(line Groups: | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$want" ] && success groups || failure groups "Groups: '$got', want '$want'"
[ "$(line NoNewPrivs:)" = 1 ] &&
    success nonewprivs || failure nonewprivs "NoNewPrivs: $(line NoNewPrivs:)"
[ "$(line CapEff:)" = 0000000000000000 ] &&
    success capeff || failure capeff "CapEff: $(line CapEff:)"
[ "$(line CapPrm:)" = 0000000000000000 ] &&
    success capprm || failure capprm "CapPrm: $(line CapPrm:)"

# Signals: nothing blocked, nothing ignored, as after a fresh login.
[ "$(line SigBlk:)" = 0000000000000000 ] && [ "$(line SigIgn:)" = 0000000000000000 ] &&
    success signals || failure signals "SigBlk $(line SigBlk:) SigIgn $(line SigIgn:)"

# user:group: the group replaces the user's primary group.
st=$(say 7002 '')
[ "$(line Gid:)" = "$dgid $dgid $dgid $dgid" ] &&
    success group-given || failure group-given "Gid: $(line Gid:)"

fds=$(say 7003 '' | tr '\n' ' ')
[ "$fds" = "fd 0 fd 1 fd 2 " ] && success fds || failure fds "$fds"

# The daemon's own environment must not leak into a service.
stop_inetd
INETD_ENV=(LD_PRELOAD=/nonexistent/preload.so "IFS=:" INETD_LEAK=yes)
cp "$T/inetd.conf" "$T/inetd.conf.2"
start_inetd < "$T/inetd.conf.2" 2>/dev/null || { failure start2; exit 0; }
env=$(say 7004 '')
names=$(printf '%s\n' "$env" | cut -d= -f1 | sort | tr '\n' ' ')
want="PATH PROTO REMOTE_ADDR REMOTE_PORT TCPLOCALIP TCPLOCALPORT TCPREMOTEIP TCPREMOTEPORT "
[ "$names" = "$want" ] && success env-names || failure env-names "got: $names"
get() { printf '%s\n' "$env" | sed -n "s/^$1=//p"; }
if [ "$(get PATH)" = /usr/bin:/bin:/usr/sbin:/sbin ] &&
    [ "$(get PROTO)" = TCP ] && [ "$(get TCPLOCALIP)" = 127.0.0.1 ] &&
    [ "$(get TCPLOCALPORT)" = 7004 ] && [ "$(get TCPREMOTEIP)" = 127.0.0.1 ] &&
    [ "$(get REMOTE_ADDR)" = 127.0.0.1 ] &&
    [ "$(get REMOTE_PORT)" = "$(get TCPREMOTEPORT)" ] &&
    [ "$(get TCPREMOTEPORT)" -gt 0 ]; then
	success env-values
else
	failure env-values "$(printf '%s' "$env" | tr '\n' ' ')"
fi
