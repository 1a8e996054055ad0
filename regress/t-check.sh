#!/bin/bash
# inetd -n shows each service's effective confinement and warns about
# root without pledge or unveil, the baseline opt-out, and UDP built-ins
# on non-loopback addresses.
. "$(dirname "$0")/lib.sh"

cat > "$T/c.conf" <<'CONF'
echo on protocol=udp, wait=yes, user=root, exec=internal, udp-reflect=yes;
127.0.0.1:daytime dgram udp wait root internal
9999 stream tcp nowait root /bin/cat
x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat,
	pledge="stdio rpath", unveil="/etc r" "/tmp rwc", rlimit-nofile=64,
	nice=5, umask=077, max-child=3, chroot=/;
y on protocol=tcp, port=7001, wait=no, user=daemon, exec=/bin/cat,
	new-privileges=yes;
CONF
out=$("$INETD" -n "$T/c.conf" 2>"$T/err"); rc=$?
err=$(cat "$T/err")
[ $rc = 0 ] && success exit-0 || failure exit-0 "rc $rc"
printf '%s\n' "$out" | grep -q 'pledge "stdio rpath", unveil /etc r, /tmp rwc (landlock=required), umask 077, nice 5, rlimit-nofile 64' &&
    success shows-confinement || failure shows-confinement "$out"
printf '%s\n' "$out" | grep -A1 ':3: 9999' | grep -q 'user root uid 0' && success shows-user || failure shows-user
printf '%s\n' "$err" | grep -q 'c.conf:3: warning: 9999/tcp runs as root without pledge or unveil' &&
    success warn-root || failure warn-root "$err"
printf '%s\n' "$err" | grep -q 'c.conf:7: warning: y/tcp is opted out of the baseline' &&
    success warn-optout || failure warn-optout "$err"
printf '%s\n' "$err" | grep -q 'c.conf:1: warning: UDP built-in echo on a non-loopback' &&
    ! printf '%s\n' "$err" | grep -q 'c.conf:2: warning' &&
    success warn-udp-builtin || failure warn-udp-builtin "$err"

bad() {
	printf '%s\n' "$2" > "$T/b.conf"
	out=$("$INETD" -n "$T/b.conf" 2>&1); rc=$?
	[ $rc = 1 ] && printf '%s' "$out" | grep -q "b.conf:1: .*$3" && success "$1" || failure "$1" "rc $rc: $out"
}
bad unknown-promise 'x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat, pledge="stdio frobnicate";' 'unknown promise'
bad unveil-missing 'x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat, unveil="/nonexistent/dir r";' 'unveil'
bad unveil-perms 'x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat, unveil="/etc rq";' 'unveil'
bad optout-pledge 'x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat, pledge=stdio, new-privileges=yes;' 'cannot go with pledge'
bad chroot-missing 'x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat, chroot=/nonexistent;' 'not a directory'
bad builtin-pledge 'echo on protocol=tcp, wait=no, user=root, exec=internal, pledge=stdio;' 'internal services'
bad rlimit 'x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat, rlimit-nofile=lots;' 'rlimit-nofile=lots'
