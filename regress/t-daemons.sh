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

# Real daemons from Debian, with the lines their manuals give, plain and
# hardened, talked to with their real clients: git daemon, an rsync
# daemon and a TFTP server started as root, which give up root by
# themselves, and the finger server.  Each hardened line is the one
# inetd.conf(5) shows, and shows what the plain one lets through: a
# symbolic link or a module out of the served tree.  pledge has no
# promise for chroot(2), so the hardened lines of daemons that chroot
# by themselves leave that to unveil.  "make test-deps" installs the
# clients and unpacks the servers whose packages would start one of
# their own (scripts/daemons.sh); what it could not get is skipped,
# with its reason.
. "$(dirname "$0")/lib.sh"
DAEMONS=$REGRESS/daemons

test_user || { failure user "cannot make the test user"; exit 0; }

# missing check program package: why a program cannot run here, or
# nothing.  An unpacked program (a path under $DAEMONS/root) must have
# its libraries.
missing() {
	local prog=$1 pkg=$2 lib
	if [ -s "$DAEMONS/$pkg.err" ]; then
		echo "$pkg: $(tail -1 "$DAEMONS/$pkg.err")"
	elif [ "${prog#/}" = "$prog" ]; then
		command -v "$prog" >/dev/null ||
		    echo "no $prog, package $pkg (make test-deps)"
	elif [ ! -x "$prog" ]; then
		echo "no ${prog#"$DAEMONS/root"}, package $pkg (make test-deps)"
	elif lib=$(ldd "$prog" 2>&1 | awk '/not found/ {print $1; exit}') &&
	    [ -n "$lib" ]; then
		echo "${prog##*/} needs $lib (make test-deps)"
	fi
}

# The last lines of the log, on one line, for a failure's reason.
lastlog() {
	tail -"${1:-2}" "$T/log" | tr '\n' '|'
}

# A TFTP server that waits for further requests (in.tftpd waits 15
# minutes) ends with the test: the services still running are the
# spawner's children.
stop_services() {
	local sp
	sp=$(role_pid spawner)
	[ -n "$sp" ] && pkill -P "$sp"
	[ -z "$sp" ] || wait_for 10 sh -c "! pgrep -P $sp"
	stop_inetd
}

#
# git daemon.  Two repositories: one served, one outside the served
# tree, which a symbolic link in the served tree points to.
#
why=$(missing git git)
if [ -n "$why" ]; then
	skip git "$why"
else
	git=$(PATH=/usr/bin:/bin command -v git)
	gitcore=$("$git" --exec-path)
	mkdir -p "$T/git" "$T/other"
	for r in "$T/git/pub" "$T/other/secret"; do
		"$git" init -q -b main "$r" && echo "${r##*/}" > "$r/f" &&
		    "$git" -C "$r" add f && "$git" -C "$r" -c user.name=t \
		    -c user.email=t@t commit -qm x ||
		    { failure git-setup "git init"; exit 0; }
	done
	ln -s "$T/other/secret" "$T/git/secret"
	chmod -R a+rX "$T/git" "$T/other"
	# git serves only repositories its user owns (safe.directory).
	chown -R _inetdt "$T/git/pub" "$T/other/secret"

	start_inetd <<CONF || { failure git-start; exit 0; }
9418 stream tcp nowait _inetdt $git git daemon --inetd --base-path=$T/git --export-all
gitd on protocol=tcp, port=9419, wait=no, user=_inetdt,
	exec=$git,
	args=git daemon --inetd "--base-path=$T/git" --export-all,
	pledge="stdio rpath wpath cpath proc exec getpw",
	unveil="$T/git r" "$gitcore rx" "/etc r";
CONF
	clone() {
		rm -rf "$T/clone"
		timeout 20 "$git" clone -q "git://127.0.0.1:$1/$2" \
		    "$T/clone" 2>/dev/null && cat "$T/clone/f"
	}
	[ "$(clone 9418 pub)" = pub ] && success git-plain ||
	    failure git-plain "$(lastlog 3)"
	[ "$(clone 9419 pub)" = pub ] && success git-hardened ||
	    failure git-hardened "$(lastlog 3)"
	# The link out of the served tree: plain git daemon follows it,
	# the unveiled one cannot.
	[ "$(clone 9418 secret)" = secret ] &&
	    success git-plain-follows-link || failure git-plain-follows-link
	[ -z "$(clone 9419 secret)" ] && success git-hardened-stays-inside ||
	    failure git-hardened-stays-inside "cloned the repository outside"
	stop_services
fi

#
# rsync daemon as root.  The classic line with the module's uid, gid
# and "use chroot = yes", as root and with only the capabilities it
# needs to drop root; then plain and hardened without chroot (which no
# pledge allows), with a second module out of the unveiled tree.
#
why=$(missing rsync rsync)
if [ -n "$why" ]; then
	skip rsync "$why"
else
	rsync=$(PATH=/usr/bin:/bin command -v rsync)
	mkdir -p "$T/mod" "$T/outside"
	echo "from rsync" > "$T/mod/hello.txt"
	echo "not for rsync" > "$T/outside/secret.txt"
	chmod -R a+rX "$T/mod" "$T/outside"
	cat > "$T/rsyncd.conf" <<CONF
[mod]
	path = $T/mod
	uid = nobody
	gid = nogroup
	use chroot = yes
	read only = yes
CONF
	cat > "$T/rsyncd-unveil.conf" <<CONF
reverse lookup = no
uid = nobody
gid = nogroup
use chroot = no
read only = yes
[mod]
	path = $T/mod
[outside]
	path = $T/outside
CONF
	chmod 644 "$T/rsyncd.conf" "$T/rsyncd-unveil.conf"

	start_inetd <<CONF || { failure rsync-start; exit 0; }
873 stream tcp nowait root $rsync rsyncd --daemon --config=$T/rsyncd.conf
rsyncd on protocol=tcp, port=874, wait=no, user=root,
	caps="setuid setgid sys_chroot", exec=$rsync,
	args=rsyncd --daemon "--config=$T/rsyncd.conf";
875 stream tcp nowait root $rsync rsyncd --daemon --config=$T/rsyncd-unveil.conf
rsyncd-h on protocol=tcp, port=876, wait=no, user=root,
	caps="setuid setgid", exec=$rsync,
	args=rsyncd --daemon "--config=$T/rsyncd-unveil.conf",
	pledge="stdio rpath id getpw",
	unveil="$T/mod r" "$T/rsyncd-unveil.conf r";
CONF
	fetch() {
		rm -f "$T/got"
		timeout 20 "$rsync" -q "rsync://127.0.0.1:$1/$2" "$T/got" \
		    2>/dev/null && cat "$T/got"
	}
	# list port module: the names rsync lists, on one line.
	list() {
		timeout 20 "$rsync" "rsync://127.0.0.1:$1/$2" 2>/dev/null |
		    awk '{print $NF}' | tr '\n' ' '
	}
	[ "$(list 873 mod/)" = ". hello.txt " ] &&
	    [ "$(fetch 873 mod/hello.txt)" = "from rsync" ] &&
	    success rsync-root || failure rsync-root "$(lastlog 3)"
	# As root with only what it needs to drop root by itself.
	[ "$(fetch 874 mod/hello.txt)" = "from rsync" ] &&
	    success rsync-root-limited ||
	    failure rsync-root-limited "$(lastlog 3)"
	[ "$(list 876 mod/)" = ". hello.txt " ] &&
	    [ "$(fetch 876 mod/hello.txt)" = "from rsync" ] &&
	    success rsync-hardened ||
	    failure rsync-hardened "$(lastlog 3)"
	# A module out of the unveiled tree: the plain daemon serves it,
	# the hardened one cannot read it.
	[ "$(fetch 875 outside/secret.txt)" = "not for rsync" ] &&
	    success rsync-plain-serves-outside ||
	    failure rsync-plain-serves-outside
	[ -z "$(fetch 876 outside/secret.txt)" ] &&
	    success rsync-hardened-stays-inside ||
	    failure rsync-hardened-stays-inside "served the module outside"
	stop_services
fi

#
# The finger server of Debian's fingerd, plain and under a pledge with
# getpw: a lookup of a missing user goes through every NSS module of the
# system and must answer, not kill the service.
#
fingerd=$DAEMONS/root/usr/sbin/in.fingerd
why=$(missing "$fingerd" fingerd)
[ -n "$why" ] || why=$(missing finger finger)
[ -n "$why" ] || why=$(missing nc netcat-openbsd)
if [ -n "$why" ]; then
	skip finger "$why"
else
	start_inetd <<CONF || { failure finger-start; exit 0; }
127.0.0.1:79 stream tcp nowait nobody $fingerd in.fingerd
fingerh on protocol=tcp, bind=127.0.0.1, port=7902, wait=no, user=nobody,
	exec=$fingerd, args=in.fingerd,
	pledge="stdio rpath proc exec getpw";
CONF
	fing() { printf '%s\r\n' "$2" | timeout 5 nc -N -w 5 127.0.0.1 "$1"; }
	for p in 79 7902; do
		if fing $p nosuchuser_x | grep -q 'nosuchuser_x: no such user' &&
		    fing $p root | grep -q '^Login: root'; then
			success finger-$p
		else
			failure finger-$p "$(lastlog)"
		fi
	done
	stop_services
fi

#
# tftpd-hpa's in.tftpd, a UDP wait service started as root that drops
# to user tftp by itself: with -s it chroots to its tree, where a link
# out of the tree leads nowhere; without -s a link is followed; the
# hardened line, without -s, is kept inside by unveil.  libwrap reads
# /etc/hosts.allow and /etc/hosts.deny (libwrap0 makes them), which a
# denial to read makes it refuse every client.
#
tftpd=$DAEMONS/root/usr/sbin/in.tftpd
why=$(missing "$tftpd" tftpd-hpa)
[ -n "$why" ] || why=$(missing tftp tftp-hpa)
if [ -n "$why" ]; then
	skip tftp "$why"
	exit 0
fi
getent passwd tftp >/dev/null ||
    useradd -r -M -d /nonexistent -s /usr/sbin/nologin -U tftp
mkdir -p "$T/tftp" "$T/out"
echo "boot image" > "$T/tftp/boot.txt"
echo "not for tftp" > "$T/tftp-secret.txt"
ln -s "$T/tftp-secret.txt" "$T/tftp/leak.txt"
chmod -R a+rX "$T/tftp" "$T/tftp-secret.txt"
hardened=
if [ -e /etc/hosts.allow ] && [ -e /etc/hosts.deny ]; then
	hardened="tftp-h on protocol=udp, bind=127.0.0.1, port=71, wait=yes,
	user=root, caps=\"setuid setgid\",
	exec=$tftpd, args=in.tftpd -u tftp $T/tftp,
	pledge=\"stdio rpath inet id getpw proc flock\",
	unveil=\"$T/tftp r\" \"/etc/hosts.allow r\" \"/etc/hosts.deny r\";"
fi
start_inetd <<CONF || { failure tftp-start; exit 0; }
127.0.0.1:69 dgram udp wait root $tftpd in.tftpd -s -u tftp $T/tftp
127.0.0.1:70 dgram udp wait root $tftpd in.tftpd -u tftp $T/tftp
$hardened
CONF
# get port file: what the TFTP client fetched.
get() {
	rm -f "$T/out/got"
	(cd "$T/out" && timeout 30 tftp 127.0.0.1 "$1" -c get "$2" got \
	    >/dev/null 2>&1)
	cat "$T/out/got" 2>/dev/null
}
got=$(get 69 boot.txt)
[ "$got" = "boot image" ] && success tftp-root-chroot ||
    failure tftp-root-chroot "got '$got': $(lastlog)"
got=$(get 69 leak.txt)
[ -z "$got" ] && success tftp-chroot-stays-inside ||
    failure tftp-chroot-stays-inside "got '$got'"
got=$(get 70 "$T/tftp/boot.txt")
[ "$got" = "boot image" ] && success tftp-plain ||
    failure tftp-plain "got '$got': $(lastlog)"
got=$(get 70 "$T/tftp/leak.txt")
[ "$got" = "not for tftp" ] && success tftp-plain-follows-link ||
    failure tftp-plain-follows-link "got '$got'"
if [ -z "$hardened" ]; then
	skip tftp-hardened "no /etc/hosts.allow or /etc/hosts.deny (libwrap0)"
else
	got=$(get 71 "$T/tftp/boot.txt")
	[ "$got" = "boot image" ] && success tftp-hardened ||
	    failure tftp-hardened "got '$got': $(lastlog)"
	got=$(get 71 "$T/tftp/leak.txt")
	[ -z "$got" ] && success tftp-hardened-stays-inside ||
	    failure tftp-hardened-stays-inside "got '$got'"
fi
stop_services
exit 0
