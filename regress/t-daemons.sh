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
# hardened: git daemon, an rsync daemon and a TFTP server started as
# root, which give up root by themselves (they need the capabilities a
# root line keeps).
. "$(dirname "$0")/lib.sh"
need_tool nc git rsync
NAME=daemons

test_user || { failure user "cannot make the test user"; exit 0; }
git=$(PATH=/usr/bin:/bin command -v git)
rsync=$(PATH=/usr/bin:/bin command -v rsync)
gitcore=$("$git" --exec-path)

# Two repositories: one served, one outside the served tree, which a
# symbolic link in the served tree points to.
mkdir -p "$T/git" "$T/other"
for r in "$T/git/pub" "$T/other/secret"; do
	"$git" init -q -b main "$r" && echo "${r##*/}" > "$r/f" &&
	    "$git" -C "$r" add f &&
	    "$git" -C "$r" -c user.name=t -c user.email=t@t commit -qm x ||
	    { failure setup "git init"; exit 0; }
done
ln -s "$T/other/secret" "$T/git/secret"
chmod -R a+rX "$T/git" "$T/other"
# git serves only repositories its user owns (safe.directory).
chown -R _inetdt "$T/git/pub" "$T/other/secret"

mkdir -p "$T/mod"
echo "from rsync" > "$T/mod/hello.txt"
chmod -R a+rX "$T/mod"
cat > "$T/rsyncd.conf" <<CONF
[mod]
	path = $T/mod
	uid = nobody
	gid = nogroup
	use chroot = yes
	read only = yes
CONF

start_inetd <<CONF || { failure start; exit 0; }
9418 stream tcp nowait _inetdt $git git daemon --inetd --base-path=$T/git --export-all
gitd on protocol=tcp, port=9419, wait=no, user=_inetdt, exec=$git,
	args=git daemon --inetd "--base-path=$T/git" --export-all,
	pledge="stdio rpath wpath cpath proc exec getpw",
	unveil="$T/git r" "$gitcore rx" "/usr/bin rx" "/etc r";
873 stream tcp nowait root $rsync rsyncd --daemon --config=$T/rsyncd.conf
rsyncd on protocol=tcp, port=874, wait=no, user=root,
	caps="setuid setgid sys_chroot", exec=$rsync,
	args=rsyncd --daemon "--config=$T/rsyncd.conf";
CONF

clone() {
	rm -rf "$T/clone"
	timeout 20 "$git" clone -q "git://127.0.0.1:$1/$2" "$T/clone" \
	    2>/dev/null && cat "$T/clone/f"
}
[ "$(clone 9418 pub)" = pub ] && success git-plain ||
    failure git-plain "$(tail -3 "$T/log")"
[ "$(clone 9419 pub)" = pub ] && success git-hardened ||
    failure git-hardened "$(tail -3 "$T/log")"
# The link out of the served tree: plain git daemon follows it, the
# unveiled one cannot.
[ "$(clone 9418 secret)" = secret ] && success git-plain-follows-link ||
    failure git-plain-follows-link
[ -z "$(clone 9419 secret)" ] && success git-hardened-stays-inside ||
    failure git-hardened-stays-inside "cloned the repository outside"

fetch() {
	rm -f "$T/got"
	timeout 20 "$rsync" -q "rsync://127.0.0.1:$1/mod/hello.txt" "$T/got" \
	    2>/dev/null && cat "$T/got"
}
[ "$(timeout 20 "$rsync" rsync://127.0.0.1:873/mod/ 2>/dev/null |
    awk '{print $NF}' | grep -c hello.txt)" = 1 ] &&
    [ "$(fetch 873)" = "from rsync" ] && success rsync-root ||
    failure rsync-root "$(tail -3 "$T/log")"
# As root with only what it needs to drop root by itself.
[ "$(fetch 874)" = "from rsync" ] && success rsync-root-limited ||
    failure rsync-root-limited "$(tail -3 "$T/log")"
stop_inetd

# The finger server of Debian's fingerd (unpacked by "make test-deps":
# its package pulls in a superserver), plain and under a pledge with
# getpw: a lookup of a missing user goes through every NSS module of
# the system and must answer, not kill the service.
fingerd=$REGRESS/daemons/root/usr/sbin/in.fingerd
if [ ! -x "$fingerd" ] || [ ! -x /usr/bin/finger ]; then
	skip finger "no in.fingerd or finger (make test-deps)"
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
			failure finger-$p "$(tail -2 "$T/log" | tr '\n' '|')"
		fi
	done
	stop_inetd
fi

# tftpd-hpa's in.tftpd, unpacked by "make test-deps" (its package would
# start a server of its own): a UDP wait service started as root that
# chroots to its tree (-s) and drops to user tftp by itself.
tftpd=$REGRESS/daemons/root/usr/sbin/in.tftpd
if [ ! -x "$tftpd" ] || ! command -v tftp >/dev/null; then
	skip tftp "no in.tftpd or tftp client (make test-deps)"
	exit 0
fi
getent passwd tftp >/dev/null ||
    useradd -r -M -d /nonexistent -s /usr/sbin/nologin -U tftp
mkdir -p "$T/tftp" "$T/out"
echo "boot image" > "$T/tftp/boot.txt"
chmod -R a+rX "$T/tftp"
start_inetd <<CONF || { failure tftp-start; exit 0; }
127.0.0.1:69 dgram udp wait root $tftpd in.tftpd -s -u tftp $T/tftp
CONF
got=$(cd "$T/out" && timeout 20 tftp 127.0.0.1 69 -c get boot.txt \
    >/dev/null 2>&1; cat "$T/out/boot.txt" 2>/dev/null)
[ "$got" = "boot image" ] && success tftp-root-chroot ||
    failure tftp-root-chroot "got '$got': $(tail -2 "$T/log" | tr '\n' '|')"
exit 0
