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

# Capabilities: a classic root line keeps root's powers, so that a daemon
# that gives up root by itself (setuid, setgroups, chroot) works as under
# any inetd; caps= limits a root service or grants named capabilities to
# another user as ambient ones; inetd -n says what each keeps.
. "$(dirname "$0")/lib.sh"
need_tool nc setpriv
NAME=caps

test_user || { failure user "cannot make the test user"; exit 0; }
install_prog svcinfo
cat > "$T/bind81.sh" <<'SH'
#!/bin/sh
# Bind a port below 1024, as a daemon that is not root would.
exec python3 -c 'import socket
s = socket.socket()
try:
    s.bind(("127.0.0.1", 81))
    print("bound")
except OSError as e:
    print("refused", e.errno)'
SH
chmod 755 "$T/bind81.sh"
nobody=$(id -u nobody)
setpriv=$(command -v setpriv)
chroot=$(command -v chroot)

start_inetd <<CONF || { failure start; exit 0; }
7401 stream tcp nowait root $setpriv setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/id -u
7402 stream tcp nowait root $chroot chroot / /usr/bin/id -u
7403 stream tcp nowait root $T/svcinfo svcinfo status
limited on protocol=tcp, port=7404, wait=no, user=root,
	caps="setuid setgid", exec=$T/svcinfo, args=svcinfo status;
none on protocol=tcp, port=7405, wait=no, user=root, caps=none,
	exec=$setpriv,
	args=setpriv "--reuid=nobody" "--regid=nogroup" --clear-groups
	    /usr/bin/id;
bind on protocol=tcp, port=7406, wait=no, user=_inetdt,
	caps=net_bind_service, exec=$T/bind81.sh;
nobind on protocol=tcp, port=7407, wait=no, user=_inetdt,
	exec=$T/bind81.sh;
ambient on protocol=tcp, port=7408, wait=no, user=_inetdt,
	caps=cap_net_bind_service, exec=$T/svcinfo, args=svcinfo status;
CONF

# A classic root line drops root by itself, and chroots by itself.
[ "$(say 7401 '')" = "$nobody" ] && success root-drops-itself ||
    failure root-drops-itself "got '$(say 7401 '')'"
[ "$(say 7402 '')" = 0 ] && success root-chroots-itself ||
    failure root-chroots-itself "got '$(say 7402 '')'"

cap() { say "$1" '' | awk -v f="$2:" '$1 == f { print $2 }'; }
full=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
[ "$(cap 7403 CapEff)" = "$full" ] && [ "$(cap 7403 CapBnd)" = "$full" ] &&
    [ "$(cap 7403 NoNewPrivs)" = 1 ] && success root-keeps-all ||
    failure root-keeps-all "CapEff $(cap 7403 CapEff), want $full"

# setuid is 7, setgid 6: 0xc0, and nothing else in any set.
[ "$(cap 7404 CapEff)" = 00000000000000c0 ] &&
    [ "$(cap 7404 CapPrm)" = 00000000000000c0 ] &&
    [ "$(cap 7404 CapBnd)" = 00000000000000c0 ] &&
    [ "$(cap 7404 CapInh)" = 0000000000000000 ] &&
    [ "$(cap 7404 CapAmb)" = 0000000000000000 ] && success root-limited ||
    failure root-limited "CapEff $(cap 7404 CapEff) CapBnd $(cap 7404 CapBnd)"

# Asked for less, a root daemon fails to drop root, and the log says why.
out=$(say 7405 '')
if ! printf '%s' "$out" | grep -q 'uid=' &&
    wait_log 'none/tcp: pid [0-9]+ exited with status [0-9]+; it runs as root with only some capabilities' 5; then
	success root-none-visible
else
	failure root-none-visible "got '$out'"
fi

# A user other than root: a low port with net_bind_service, not without.
[ "$(say 7406 '')" = bound ] && success ambient-bind ||
    failure ambient-bind "got '$(say 7406 '')'"
[ "$(say 7407 '')" = "refused 13" ] && success no-caps-no-bind ||
    failure no-caps-no-bind "got '$(say 7407 '')'"
# net_bind_service is 10: 0x400, ambient, and the bounding set no more.
[ "$(cap 7408 CapAmb)" = 0000000000000400 ] &&
    [ "$(cap 7408 CapEff)" = 0000000000000400 ] &&
    [ "$(cap 7408 CapBnd)" = 0000000000000400 ] && success ambient-exact ||
    failure ambient-exact "CapAmb $(cap 7408 CapAmb) CapBnd $(cap 7408 CapBnd)"
stop_inetd

# inetd -n: what each keeps, and a warning where a root line will fail.
out=$("$INETD" -n "$T/inetd.conf" 2>&1)
if printf '%s\n' "$out" | grep -q 'capabilities all (root)' &&
    printf '%s\n' "$out" | grep -q 'capabilities setgid,setuid (root)' &&
    printf '%s\n' "$out" | grep -q 'capabilities none,' &&
    printf '%s\n' "$out" | grep -q 'capabilities net_bind_service (ambient)' &&
    printf '%s\n' "$out" | grep -q ':[0-9]*: warning: limited/tcp runs as root without some of setuid' &&
    printf '%s\n' "$out" | grep -q ':[0-9]*: warning: none/tcp runs as root without some of' &&
    printf '%s\n' "$out" | grep -q ':[0-9]*: warning: bind/tcp: user _inetdt holds capabilities'; then
	success show
else
	failure show "$(printf '%s\n' "$out" | grep -i 'capab\|warning' | head -8 | tr '\n' '|')"
fi

# Bad values name the file and the line.
check_refused bad-name 'x on protocol=tcp, port=7409, wait=no, user=root, caps=sys_bogus, exec=/bin/true;' 'caps: unknown capability "sys_bogus"'
check_refused all-and-more 'x on protocol=tcp, port=7409, wait=no, user=root, caps="all setuid", exec=/bin/true;' 'caps: expected all, none'
check_refused with-newprivs 'x on protocol=tcp, port=7409, wait=no, user=root, caps=none, new-privileges=yes, exec=/bin/true;' 'new-privileges=yes cannot go with caps'
exit 0
