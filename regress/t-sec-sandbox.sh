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

# Audit findings the sandboxes close.  H-2: neither the listener nor a
# service without "inet" can connect out by TCP Fast Open from a socket
# it holds, nor can one pledged "unix" connect(2) an inherited TCP
# socket.  M-1: a service cannot open /proc/PID/mem of another service
# of its user.  L-5: no mapping is writable and executable without
# "prot_exec".
. "$(dirname "$0")/lib.sh"
NAME=sec
need_tool nc

for p in secprobe sandboxtest probe; do
	[ -x "$REGRESS/$p" ] || make -s -C "$REGRESS" "$p" >/dev/null 2>&1
done
if [ ! -x "$REGRESS/secprobe" ]; then
	failure build "regress/secprobe does not build"
	exit 0
fi
test_user || { skip all "cannot create the test user"; exit 0; }
install_prog secprobe

# Client TCP Fast Open in this namespace: the attack needs it.
tfo=$(cat /proc/sys/net/ipv4/tcp_fastopen 2>/dev/null || echo 0)
if [ $(( tfo & 1 )) = 0 ]; then
	echo $(( tfo | 1 )) > /proc/sys/net/ipv4/tcp_fastopen 2>/dev/null
	tfo=$(cat /proc/sys/net/ipv4/tcp_fastopen 2>/dev/null || echo 0)
fi
havetfo=$(( tfo & 1 ))

# h2-listener-tfo: the trick from inside the listener's own confinement.
if [ "$havetfo" = 0 ]; then
	skip h2-listener-tfo "client TCP Fast Open cannot be enabled"
elif [ ! -x "$REGRESS/sandboxtest" ]; then
	failure h2-listener-tfo "regress/sandboxtest does not build"
else
	"$REGRESS/sandboxtest" -s "$REGRESS/probe" 2>&1 |
	    sed -n -E 's/^(SUCCESS|FAIL|SKIP) (h2-listener-tfo)/\1 sec:\2/p'
fi

# established port: connections to a local port.
established() {
	ss -Htn state established "( sport = :$1 )" 2>/dev/null | grep -q .
}

start_inetd <<CONF || { failure start "inetd did not start"; exit 0; }
tfo on socktype=stream, protocol=tcp, wait=yes, user=_inetdt,
	bind=127.0.0.1, port=7301, max=2,
	exec=$T/secprobe, args=secprobe tfo 7309, pledge="stdio";
uconn on socktype=stream, protocol=tcp, wait=yes, user=_inetdt,
	bind=127.0.0.1, port=7307, max=2,
	exec=$T/secprobe, args=secprobe connect 7308, pledge="stdio unix";
victim on socktype=stream, protocol=tcp, wait=yes, user=_inetdt,
	bind=127.0.0.1, port=7302, exec=$T/secprobe, args=secprobe sleep;
mem on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7303, exec=$T/secprobe, args=secprobe mem,
	pledge="stdio rpath wpath";
memfree on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7306, exec=$T/secprobe, args=secprobe mem;
wx on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7304, exec=$T/secprobe,
	args=secprobe wx $T/secprobe, pledge="stdio rpath";
wxok on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7305, exec=$T/secprobe,
	args=secprobe wx $T/secprobe, pledge="stdio rpath prot_exec";
cat on socktype=stream, protocol=tcp, wait=no, user=_inetdt,
	bind=127.0.0.1, port=7310, exec=/bin/cat, pledge="stdio";
CONF

# The plainest filter: cat(1) under "stdio" alone, which advises the
# kernel about its input (fadvise64) before it reads.
if [ "$(say 7310 $'cat\n')" = cat ] &&
    ! grep -q '^cat/tcp.*confinement violation' "$T/log"; then
	success pledge-stdio-cat
else
	failure pledge-stdio-cat "$(grep '^cat/tcp' "$T/log" | tail -1)"
fi

# m1-proc-mem: a service pledged "stdio rpath wpath", without unveil,
# opens /proc/PID/mem of an unpledged service of the same user.
ptrace_scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)
if [ "$ptrace_scope" != 0 ]; then
	skip m1-proc-mem "Yama ptrace_scope $ptrace_scope forbids it anyway"
else
	nc -z -w 2 127.0.0.1 7302
	victim() { [ -n "$(started_pid victim/tcp)" ]; }
	if ! wait_for 5 victim; then
		failure m1-proc-mem "the victim service did not start"
	else
		vpid=$(started_pid victim/tcp)
		got=$(printf '%s\n' "$vpid" | nc -N -w 5 127.0.0.1 7303)
		case $got in
		OPEN-FAIL*)	success m1-proc-mem ;;
		*)		failure m1-proc-mem "got '$got'" ;;
		esac
		# Nor an unpledged one: each service is a domain of its own.
		got=$(printf '%s\n' "$vpid" | nc -N -w 5 127.0.0.1 7306)
		case $got in
		OPEN-FAIL*)	success m1-proc-mem-unpledged ;;
		*)		failure m1-proc-mem-unpledged "got '$got'" ;;
		esac
	fi
fi

# l5-wx-mapping: a private mapping of a readable file, readable,
# writable and executable, kills a service without prot_exec.
got=$(nc -N -w 5 127.0.0.1 7304 </dev/null)
if [ -z "$got" ] && wait_log '^wx/tcp: pid [0-9]+ killed: confinement' 5
then
	success l5-wx-mapping
	violation_named l5-wx-mapping-named wx mmap
else
	failure l5-wx-mapping "got '$got'"
fi
got=$(nc -N -w 5 127.0.0.1 7305 </dev/null)
if [ "$got" = MAP-OK ]; then
	success l5-wx-prot-exec
else
	failure l5-wx-prot-exec "got '$got'"
fi

# h2-pledge-unix-connect: "unix" allows connect(2), which seccomp cannot
# tell from a TCP one: a wait service pledged "stdio unix" shuts its TCP
# socket down and connects it to 7308.  Landlock must refuse it (exit 5).
abi=$("$T/secprobe" abi)
if [ "${abi:-0}" -lt 4 ]; then
	skip h2-pledge-unix-connect "Landlock ABI ${abi:-0} < 4: no TCP rules"
else
	timeout 20 nc -l 127.0.0.1 7308 > "$T/uconn.out" 2>/dev/null &
	target=$!
	wait_for 5 sh -c "ss -Htln '( sport = :7308 )' | grep -q ."
	nc -z -w 2 127.0.0.1 7307
	if ! wait_log '^uconn.*pid [0-9]+ (killed|exited)' 10; then
		failure h2-pledge-unix-connect "the service did not end"
	elif established 7308 ||
	    ! grep -Eq '^uconn.*exited with status 5' "$T/log"; then
		failure h2-pledge-unix-connect "the service connected to 7308"
	else
		success h2-pledge-unix-connect
	fi
	kill "$target" 2>/dev/null
	wait "$target" 2>/dev/null
fi

# h2-pledge-stdio-tfo: a wait service pledged "stdio" has the listening
# socket; it must be killed at the sendto, and nothing reach 7309.  Last,
# because the service leaves its socket shut down.
if [ "$havetfo" = 0 ]; then
	skip h2-pledge-stdio-tfo "client TCP Fast Open cannot be enabled"
else
	timeout 20 nc -l 127.0.0.1 7309 > "$T/tfo.out" 2>/dev/null &
	target=$!
	wait_for 5 sh -c "ss -Htln '( sport = :7309 )' | grep -q ."
	nc -z -w 2 127.0.0.1 7301
	if ! wait_log '^tfo.*pid [0-9]+ (killed|exited)' 10; then
		failure h2-pledge-stdio-tfo "the service did not end"
	elif established 7309 || [ -s "$T/tfo.out" ] ||
	    ! grep -Eq '^tfo.*killed: confinement violation' "$T/log"; then
		failure h2-pledge-stdio-tfo "the service connected to 7309"
	else
		success h2-pledge-stdio-tfo
		violation_named h2-pledge-stdio-tfo-named tfo sendto
	fi
	kill "$target" 2>/dev/null
	wait "$target" 2>/dev/null
fi
# The victim, a wait program that never accepts, outlives inetd (and
# was started again for the connection it left waiting): end it.
stop_inetd
pkill -u _inetdt -xf 'secprobe sleep'
exit 0
