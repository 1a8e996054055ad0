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

# The escape suite: a probe runs as a service and tries one thing per
# connection; what the kernel answers is checked, and the allowed
# neighbour still works.  See common/pledge.c for what each promise
# allows.
. "$(dirname "$0")/lib.sh"
need_tool nc pgrep

if [ ! -e /proc/self/status ] || ! grep -q '^Seccomp:' /proc/self/status; then
	skip all "no seccomp in this kernel"; exit 0
fi
test_user || { failure user; exit 0; }
install_prog probe
mkdir -p "$T/jail/sub"
echo inside > "$T/jail/file"
cp /bin/echo "$T/jail/echo"
cp /bin/echo "$T/outside-echo"
echo outside > "$T/outside"
chmod -R a+rX "$T/jail"; chmod 666 "$T/outside"; chmod 777 "$T/jail/sub"

start_inetd <<CONF || { failure start; exit 0; }
# the baseline only
base on protocol=tcp, port=7101, wait=no, user=_inetdt, exec=$T/probe;
# stdio and files, no network
files on protocol=tcp, port=7102, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath wpath cpath proc exec",
	unveil="$T/jail rwxc";
# the same with network
net on protocol=tcp, port=7103, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio inet";
# root, confined: rpath but no unveil of /etc/shadow
rootly on protocol=tcp, port=7104, wait=no, user=root, exec=$T/probe,
	pledge="stdio rpath", unveil="$T/jail r";
# error instead of kill
soft on protocol=tcp, port=7105, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio error";
# something to connect to
target on protocol=tcp, port=7106, wait=no, user=daemon, exec=$T/probe;
CONF

# lib.sh's, and a kill counts when KILLED is wanted.
expect() {
	local name=$1 port=$2 req=$3 want=$4 got
	got=$(ask "$port" "$req")
	if [ "$got" = "$want" ] || { [ "$want" = KILLED ] && [ -z "$got" ]; }; then
		success "$name"
	else
		failure "$name" "'$req' on $port: got '$got', want '$want'"
	fi
}

lp=$(role_pid listener); sp=$(role_pid spawner)
sleep 1000 & victim=$!

expect ping 7101 ping OK
expect ptrace-attach 7101 "ptrace_attach $victim" "DENIED EPERM"
expect ptrace-traceme 7101 ptrace_traceme "DENIED EPERM"
expect mount 7101 mount "DENIED EPERM"
expect bpf 7101 bpf "DENIED EPERM"
expect init-module 7101 init_module "DENIED EPERM"
expect io-uring 7101 io_uring_setup "DENIED EPERM"
expect unshare-user 7101 unshare_user "DENIED EPERM"
expect kill-listener 7101 "kill $lp" "DENIED EPERM"
expect kill-spawner 7101 "kill $sp" "DENIED EPERM"
expect kill-parent 7101 "kill $INETD_PID" "DENIED EPERM"
expect setuid0 7101 setuid0 "DENIED EPERM"
kill -0 "$lp" && kill -0 "$sp" && kill -0 "$INETD_PID" && success roles-alive || failure roles-alive
kill $victim

expect unveil-read-inside 7102 "read $T/jail/file" "OK inside"
expect unveil-read-outside 7102 "read $T/outside" "DENIED EACCES"
expect unveil-write-inside 7102 "open_create $T/jail/sub/new" "OK"
expect unveil-write-outside 7102 "open_write $T/outside" "DENIED EACCES"
expect unveil-exec-inside 7102 "exec $T/jail/echo OK" "OK"
expect unveil-exec-outside 7102 "exec $T/outside-echo OK" "DENIED EACCES"
expect no-inet-socket 7102 socket_inet KILLED
expect no-inet-connect 7102 "connect_tcp 127.0.0.1 7106" KILLED
expect inet-connect 7103 "connect_tcp 127.0.0.1 7106" OK
# No path promise: only what the program needs to start can be opened.
expect no-rpath-no-read 7103 "read_cloexec /etc/hostname" "DENIED EACCES"
expect no-rpath-devnull 7103 "read_cloexec /dev/null" OK
# /dev/null with any flags, as OpenBSD allows; Landlock keeps the rest.
expect no-rpath-plain-open 7103 "open_read /dev/null" OK
expect no-rpath-plain-open-other 7103 "open_read /etc/hostname" \
    "DENIED EACCES"
expect no-wpath-no-write 7103 "open_write $T/outside" "DENIED EACCES"
expect no-exec-mprotect 7103 mprotect_exec KILLED
expect shadow-root 7104 "read /etc/shadow" "DENIED EACCES"
expect root-setuid-still-root 7104 ping OK
expect error-promise 7105 socket_inet "DENIED EPERM"

wait_log 'files/tcp: pid [0-9]+ killed: confinement violation' 5 &&
    success violation-logged || failure violation-logged
violation_named violation-named files socket
expect keeps-serving 7101 ping OK

# The listener as the kernel sees it.
st=/proc/$lp/status
iuid=$(id -u _inetd)
[ "$(awk '/^Seccomp:/ {print $2}' $st)" = 2 ] &&
    success listener-seccomp || failure listener-seccomp
[ "$(awk '/^NoNewPrivs:/ {print $2}' $st)" = 1 ] && success listener-nnp || failure listener-nnp
[ "$(awk '/^CapEff:/ {print $2}' $st)" = 0000000000000000 ] &&
    success listener-capeff || failure listener-capeff
[ "$(awk '/^Uid:/ {print $2,$3,$4,$5}' $st)" = "$iuid $iuid $iuid $iuid" ] &&
    success listener-uid || failure listener-uid
[ "$(readlink /proc/$lp/root)" = /var/empty ] && success listener-root || failure listener-root
# The spawner and the parent carry the baseline filter.
[ "$(awk '/^Seccomp:/ {print $2}' /proc/$sp/status)" = 2 ] &&
    [ "$(awk '/^Seccomp:/ {print $2}' /proc/$INETD_PID/status)" = 2 ] &&
    success roles-baseline || failure roles-baseline

# A service's own view.
out=$(ask 7101 status >/dev/null; printf 'status\n' | nc -N -w 5 127.0.0.1 7101)
printf '%s\n' "$out" | grep -q '^CapBnd:[[:space:]]*0000000000000000' &&
    printf '%s\n' "$out" | grep -q '^Seccomp:[[:space:]]*2' &&
    success service-caps-bounding || failure service-caps-bounding "$out"
