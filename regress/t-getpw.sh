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

# "getpw" as Debian 12 needs it: "passwd: files systemd" sends a lookup
# of a name not in /etc/passwd to libnss_systemd, which loads libcap
# (whose constructor reads the capability bounding set) and looks for
# systemd's userdb (an opendir, O_PATH walks, UNIX sockets).  A service
# must answer a missing name and a present one, and not be killed; the
# second half runs with a userdb directory as a running systemd has it,
# in a mount namespace of its own.
if [ -z "${INETD_MNTNS:-}" ] && [ "$(id -u)" = 0 ] &&
    unshare -m true 2>/dev/null; then
	export INETD_MNTNS=1
	exec unshare -m --propagation private -- bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
need_tool nc
NAME=getpw

test_user || { skip all "cannot create the test user"; exit 0; }
install_prog probe
uid=$(id -u _inetdt)
if grep -Eq '^passwd:.*[[:space:]]systemd' /etc/nsswitch.conf &&
    [ -n "$(find /lib /usr/lib -name 'libnss_systemd.so*' 2>/dev/null)" ]
then
	success nss-systemd
else
	skip nss-systemd "no systemd in nsswitch.conf: the files alone"
fi

cat > "$T/services" <<CONF
getpw on protocol=tcp, port=7601, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio getpw";
rpath on protocol=tcp, port=7602, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath getpw";
unveiled on protocol=tcp, port=7603, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath getpw", unveil="$T r";
CONF

# lookups prefix: each service answers a missing name and two present.
lookups() {
	local s port
	for s in getpw:7601 rpath:7602 unveiled:7603; do
		port=${s#*:}
		s=$1${s%:*}
		expect "$s-missing" "$port" "getpwnam nosuchuser_x" \
		    "DENIED ENOENT"
		expect "$s-root" "$port" "getpwnam root" "OK 0"
		expect "$s-user" "$port" "getpwnam _inetdt" "OK $uid"
	done
	if grep -q 'confinement violation' "$T/log"; then
		failure "${1}no-kill" \
		    "$(grep 'confinement violation' "$T/log" | head -1)"
	else
		success "${1}no-kill"
	fi
}

start_inetd < "$T/services" || { failure start; exit 0; }
lookups ""
stop_inetd

# A running systemd: /run/systemd/userdb holds its sockets.  Under
# "rpath" the directory is read and the socket refused (EACCES), without
# it the opendir is; either way the lookup goes on with the files.
if [ -z "${INETD_MNTNS:-}" ]; then
	skip userdb "no mount namespace"
elif [ ! -d /run/systemd ]; then
	skip userdb "no /run/systemd"
elif ! command -v python3 >/dev/null 2>&1; then
	skip userdb "no python3"
elif ! mount -t tmpfs -o mode=755 inetd-regress /run/systemd ||
    ! mkdir /run/systemd/userdb || ! python3 -c '
import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
    /run/systemd/userdb/io.systemd.DynamicUser; then
	failure userdb "cannot make a userdb directory"
else
	start_inetd < "$T/services" || { failure start; exit 0; }
	lookups userdb-
fi
exit 0
