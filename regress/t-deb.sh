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

# The Debian package: dpkg-buildpackage -b builds it from the committed
# tree, it installs, its postinst creates _inetd and /etc/inetd.conf, its
# init script starts /usr/sbin/inetd, and Debian's update-inetd adds,
# disables, enables and removes a service, each followed by the SIGHUP
# update-inetd sends to the pid in /run/inetd.pid.
#
# It installs a package system-wide, so it runs only under CI=true or
# with INETD_PKGTEST=1.  It removes the user _inetd before installing,
# unless a process runs as _inetd, so that postinst must create it
# again.  At the end it purges the package and puts back /etc/inetd.conf
# and /run/inetd.pid as they were.  The package conflicts with the other
# super-servers (xinetd, openbsd-inetd): apt removes one that is
# installed, and the test installs it again from apt's cache if it can.
. "$(dirname "$0")/lib.sh"

PKG=inetd
CONF=/etc/inetd.conf
PIDFILE=/run/inetd.pid
PORT=4444

# Installed packages other than ours that provide inet-superserver.
others=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Provides}\n' \
    2>/dev/null | awk -v me="$PKG" \
    '$1 == "ii" && $2 != me && /inet-superserver/ { print $2 }' | xargs)

if [ "${CI:-}" != true ] && [ "${INETD_PKGTEST:-}" != 1 ]; then
	[ -n "$others" ] && echo "# would replace: $others"
	echo "SKIP $NAME (installs a package on this machine; set INETD_PKGTEST=1)"
	exit 0
fi
need_tool dpkg-buildpackage dpkg-deb dpkg-query apt-get update-inetd \
    start-stop-daemon nc
if ! dpkg-query -W -f='${Status}' debhelper 2>/dev/null |
    grep -q 'ok installed'; then
	echo "SKIP $NAME (no debhelper; make test-deps installs it)"
	exit 0
fi

# What the test changes and puts back.
had_conf=0
[ -e "$CONF" ] && { cp -p "$CONF" "$T/conf.saved"; had_conf=1; }
had_pid=0
[ -e "$PIDFILE" ] && { cp -p "$PIDFILE" "$T/pid.saved"; had_pid=1; }
installed=0

# The pid in /run/inetd.pid, if it names a running inetd: the check
# update-inetd makes before it sends SIGHUP.
live_pid() {
	local p
	p=$(head -1 "$PIDFILE" 2>/dev/null) || return 1
	[ -n "$p" ] && grep -q "^$p (inetd) " "/proc/$p/stat" 2>/dev/null &&
	    echo "$p"
}

deb_cleanup() {
	local p
	if [ -x /etc/init.d/inetd ]; then
		/etc/init.d/inetd stop >/dev/null 2>&1
	fi
	p=$(live_pid) && kill "$p" 2>/dev/null
	# Any left without a pid file: the packaged binary, in this
	# namespace, which only this test uses.
	for p in $(pgrep -x inetd); do
		case $(readlink "/proc/$p/exe") in
		/usr/sbin/inetd*) ;;
		*) continue ;;
		esac
		[ "$(readlink "/proc/$p/ns/net")" = \
		    "$(readlink /proc/self/ns/net)" ] && kill "$p" 2>/dev/null
	done
	if [ $installed = 1 ] && dpkg-query -W -f='${Status}' "$PKG" \
	    2>/dev/null | grep -q 'ok installed'; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$PKG" \
		    >>"$T/apt.log" 2>&1
	fi
	if [ $had_conf = 1 ]; then
		cp -p "$T/conf.saved" "$CONF"
	else
		rm -f "$CONF"
	fi
	if [ $had_pid = 1 ]; then
		cp -p "$T/pid.saved" "$PIDFILE"
	else
		rm -f "$PIDFILE"
	fi
	# Without the network apt can only take them from its cache.
	if [ $installed = 1 ] && [ -n "$others" ] &&
	    ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-download $others >>"$T/apt.log" 2>&1; then
		echo "# removed $others (conflicts with $PKG); reinstall:" \
		    "apt-get install $others"
	fi
}
trap 'deb_cleanup; cleanup' EXIT

# The committed tree, as a release would have it.
mkdir "$T/src"
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$TOP" archive HEAD | tar -x -C "$T/src"
else
	cp -a "$TOP/." "$T/src"
fi
start=$SECONDS
(cd "$T/src" && dpkg-buildpackage -b -us -uc) >"$T/build.log" 2>&1
rc=$?
echo "# package build: $((SECONDS - start)) s"
deb=$(ls "$T"/${PKG}_*.deb 2>/dev/null | head -1)
if [ $rc = 0 ] && [ -n "$deb" ]; then
	success build
else
	failure build "dpkg-buildpackage exited $rc"
	tail -20 "$T/build.log" | sed 's/^/# /'
	exit 0
fi

field() {
	dpkg-deb -f "$deb" "$1"
}
if field Provides | grep -qw inet-superserver &&
    field Conflicts | grep -qw inet-superserver &&
    field Depends | grep -qw update-inetd; then
	success control
else
	why="Provides '$(field Provides)', Conflicts '$(field Conflicts)'"
	failure control "$why, Depends '$(field Depends)'"
fi
# libbsd is linked in (Makefile.inc): the package says which version,
# and depends on the shared libraries it does map, libevent's core
# among them, not the whole of libevent.
sbu=$(field Static-Built-Using)
dep=$(field Depends)
if echo "$sbu" | grep -q '^libbsd (= [^)]*), libmd (= [^)]*)$' &&
    echo "$dep" | grep -qw 'libevent-core-2.1-7' &&
    ! echo "$dep" | grep -qw 'libbsd0\|libevent-2.1-7'; then
	success static-built-using
else
	failure static-built-using "Static-Built-Using '$sbu', Depends '$dep'"
fi

# postinst must create the user, so it goes first, unless in use.
if getent passwd _inetd >/dev/null; then
	if pgrep -u _inetd >/dev/null; then
		echo "# _inetd in use: kept, postinst's useradd not tried"
	else
		userdel _inetd
	fi
fi

# No --no-download here: apt then takes a local file for one of its
# archives and refuses it.  Without the network, apt fails anyway if a
# dependency is missing.
installed=1
if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" \
    >"$T/apt.log" 2>&1; then
	success install
else
	failure install "$(tail -1 "$T/apt.log")"
	sed 's/^/# /' "$T/apt.log"
	exit 0
fi

missing=
for f in /usr/sbin/inetd /usr/sbin/inetd-tls /usr/share/man/man8/inetd.8.gz \
    /usr/share/man/man5/inetd.conf.5.gz /lib/systemd/system/inetd.service \
    /etc/init.d/inetd; do
	[ -e "$f" ] || missing="$missing $f"
done
# inetdctl comes with the tree that builds it.
if [ -d "$T/src/inetdctl" ]; then
	for f in /usr/sbin/inetdctl /usr/share/man/man8/inetdctl.8.gz; do
		[ -e "$f" ] || missing="$missing $f"
	done
fi
[ -z "$missing" ] && success files || failure files "missing:$missing"
# OpenSSL is inetd-tls's alone, and the package depends on it for that.
if ! ldd /usr/sbin/inetd | grep -q 'libssl\|libcrypto' &&
    ldd /usr/sbin/inetd-tls | grep -q libssl &&
    field Depends | grep -qw 'libssl3'; then
	success openssl-tls-only
else
	failure openssl-tls-only "Depends '$(field Depends)'"
fi
# The unit starts the packaged inetd, and every program it names is there.
unit=/lib/systemd/system/inetd.service
bad=$(sed -n 's/^Exec[A-Za-z]*=-\{0,1\}\([^ ]*\).*/\1/p' "$unit" |
    while read -r f; do [ -x "$f" ] || echo "$f"; done)
grep -q '^ExecStart=/usr/sbin/inetd -d$' "$unit" && [ -z "$bad" ] &&
    success unit || failure unit "$(grep ^Exec "$unit" | xargs)"
getent passwd _inetd | grep -q ':/var/empty:/usr/sbin/nologin$' &&
    [ -d /var/empty ] && success user || failure user "$(getent passwd _inetd)"
if [ $had_conf = 1 ]; then
	cmp -s "$T/conf.saved" "$CONF" && success conf-kept ||
	    failure conf-kept "postinst changed $CONF"
else
	grep -q '^#:OTHER:' "$CONF" && success conf-created ||
	    failure conf-created "no $CONF with group headers"
fi

# Under systemd, postinst may have started the unit in the machine's
# network namespace; this test serves in its own.
if [ -d /run/systemd/system ]; then
	systemctl stop inetd.service >/dev/null 2>&1
fi
/etc/init.d/inetd stop >/dev/null 2>&1

# Started once the pid file names it and it answers on its control
# socket: by then it has its signal handlers, and update-inetd's SIGHUP
# reloads it rather than ending it.
started() {
	live_pid || return 1
	[ -x /usr/sbin/inetdctl ] || return 0
	/usr/sbin/inetdctl show
}
/etc/init.d/inetd start >"$T/init.log" 2>&1
if wait_for 10 started; then
	success start
else
	failure start "no inetd in $PIDFILE: $(cat "$T/init.log")"
	exit 0
fi
/etc/init.d/inetd status >/dev/null 2>&1 && success status ||
    failure status "init script status exited $?"

answers() {
	[ "$(say $PORT "hello $1")" = "hello $1" ]
}
# Refused by a running inetd: one that a signal ended refuses too.
refused() {
	live_pid && ! nc -z -w 2 127.0.0.1 $PORT
}

# The line a package's postinst adds; tabs, as update-inetd writes them.
entry="$PORT\tstream\ttcp\tnowait\tnobody\t/bin/cat cat"
update-inetd --verbose --group STANDARD --add "$entry" >"$T/update.log" 2>&1
grep -q "^$PORT	stream	tcp	nowait	nobody	/bin/cat cat\$" "$CONF" &&
    success added || failure added "$(cat "$T/update.log")"
# In the file postinst wrote, update-inetd puts it under its group's
# header, before the blank line that ends the group.
if [ $had_conf = 0 ]; then
	awk -v p="$PORT" '/^#:/ { g = $1 } $1 == p { print g }' "$CONF" |
	    grep -qx '#:STANDARD:' && success grouped ||
	    failure grouped "$(grep -n -e "^#:" -e "^$PORT" "$CONF" | xargs)"
fi
/usr/sbin/inetd -n "$CONF" >"$T/check.log" 2>&1 && success parses ||
    failure parses "$(head -1 "$T/check.log")"
grep -q "send SIGHUP to inetd (pid: $(live_pid))" "$T/update.log" &&
    success sighup || failure sighup "$(tail -1 "$T/update.log")"
wait_for 10 answers add && success served ||
    failure served "no echo on $PORT after update-inetd --add"

update-inetd --verbose --disable $PORT >"$T/update.log" 2>&1
grep -q "^#<off># $PORT	stream" "$CONF" && success disabled ||
    failure disabled "$(grep "$PORT" "$CONF")"
/usr/sbin/inetd -n "$CONF" >/dev/null 2>&1 && success parses-off ||
    failure parses-off
wait_for 10 refused && success disabled-gone ||
    failure disabled-gone "$PORT still answers after --disable"

update-inetd --verbose --enable $PORT >"$T/update.log" 2>&1
wait_for 10 answers enable && success enabled ||
    failure enabled "no echo on $PORT after --enable"

update-inetd --verbose --remove $PORT >"$T/update.log" 2>&1
! grep -q "$PORT" "$CONF" && wait_for 10 refused && success removed ||
    failure removed "$PORT in $CONF or still answering"

# The init script's reload, after an edit by hand; one that inetd
# refuses fails and leaves the service in force.
printf "$entry\n" >> "$CONF"
/etc/init.d/inetd reload >"$T/reload.log" 2>&1 &&
    wait_for 10 answers reload && success reload || failure reload "$(head -1 "$T/reload.log")"
printf 'echo\tstrem\ttcp\tnowait\troot\tinternal\n' >> "$CONF"
if ! /etc/init.d/inetd reload >"$T/reload.log" 2>&1 &&
    grep -q 'strem' "$T/reload.log" && answers refused; then
	success reload-refused
else
	failure reload-refused "$(head -1 "$T/reload.log")"
fi
sed -i '$d' "$CONF"

# Gone, or a zombie: an init that does not reap, as in some containers,
# leaves the detached parent as one.
gone() {
	[ ! -d "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status"
}
p=$(live_pid)
/etc/init.d/inetd stop >/dev/null 2>&1
if gone "$p" && [ ! -e "$PIDFILE" ]; then
	success stop
else
	failure stop "pid $p alive or $PIDFILE left"
fi

if DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$PKG" \
    >>"$T/apt.log" 2>&1 && [ ! -e /usr/sbin/inetd ] &&
    ! dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null |
    grep -q 'ok installed'; then
	success purge
else
	failure purge "$(tail -1 "$T/apt.log")"
fi
# Other super-servers read it too.
[ -e "$CONF" ] && success purge-keeps-conf ||
    failure purge-keeps-conf "$CONF removed"
