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

# Memory given back.  The C library keeps what a process frees for the
# next allocation; inetd's processes give it back to the kernel once a
# table is in force and a second after a burst of work, so that an idle
# inetd holds what its table needs, not what its busiest moment did.
# Measured as the resident size of each process's heap, and of its
# stack (/proc/PID/smaps).
. "$(dirname "$0")/lib.sh"

if sanitized; then
	skip "" "a sanitizer build has an allocator of its own"
	exit 0
fi

# heap pid: the resident kilobytes of its heap.
heap() {
	awk '/ \[heap\]$/ { h = 1; next } h && /^Rss:/ { print $2; exit }' \
	    "/proc/$1/smaps"
}
# heap_at_most pid kB
heap_at_most() { [ "$(heap "$1")" -le "$2" ]; }
# stack pid, stack_at_most pid kB: the same for the main thread's stack.
stack() {
	awk '/ \[stack\]$/ { h = 1; next } h && /^Rss:/ { print $2; exit }' \
	    "/proc/$1/smaps"
}
stack_at_most() { [ "$(stack "$1")" -le "$2" ]; }
# burst port n: n connections open at once, each sending a line and
# reading it back, then all closed.
burst() {
	local i fd fds=() line
	for ((i = 0; i < $2; i++)); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$1" || return 1
		fds+=("$fd")
	done
	for fd in "${fds[@]}"; do
		printf 'line %0200d\n' "$fd" >&"$fd"
	done
	for fd in "${fds[@]}"; do
		read -r -t 5 -u "$fd" line || return 1
	done
	for fd in "${fds[@]}"; do
		exec {fd}>&-
	done
}

# A table with 2000 access rules: parsing it and building the filters
# leaves freed memory in the parent.  At start-up the parent holds no
# more of it than after a reload of the same file.
{
	echo "echo stream tcp nowait root internal"
	echo "daytime on protocol=tcp, wait=no, user=root,"
	awk 'BEGIN { for (i = 0; i < 2000; i++)
		printf "\tdeny=10.%d.%d.0/24,\n", int(i / 256), i % 256 }'
	echo "	allow=127.0.0.1;"
	echo "printenv on socktype=stream, protocol=tcp, wait=no,"
	echo "	user=nobody, bind=127.0.0.1, port=7709, exec=/usr/bin/env,"
	echo "	args=env;"
} > "$T/rules.conf"
start_inetd < "$T/rules.conf" || { failure start; exit 0; }
P=$INETD_PID
L=$(role_pid listener)
if [ -z "$P" ] || [ -z "$L" ]; then
	failure start "no parent or listener found"
	exit 0
fi
start=$(heap "$P")

# The parse's frames (10-20 kB each, nested) and the spawner's unpacking
# of the table leave stack pages resident; the trim after the load gives
# back what lies below the event loop.  Where the environment, the
# arguments and the event loop's frames fit in 32 kB.
S=$(role_pid spawner)
for who in parent:$P spawner:$S; do
	if wait_for 5 stack_at_most "${who#*:}" 32; then
		success "${who%%:*}-stack"
	else
		failure "${who%%:*}-stack" \
		    "$(stack "${who#*:}") kB resident 5 s after start-up"
	fi
done
hup || { failure reload "no new generation"; exit 0; }
after=$(heap "$P")
if [ "$start" -le $((after + 32)) ]; then
	success parent-start
else
	failure parent-start "heap $start kB at start-up, $after kB" \
	    "after a reload"
fi

# 64 built-in echo connections at once: the listener's heap grows, and
# is back within 32 kB of where it was a few seconds later.
idle=$(heap "$L")
if ! burst 7 64; then
	failure listener-burst "the echo connections failed"
elif [ "$(heap "$L")" -le $((idle + 32)) ]; then
	skip listener-burst "the heap did not grow ($idle kB, then $(heap "$L"))"
elif wait_for 5 heap_at_most "$L" $((idle + 32)); then
	success listener-burst
else
	failure listener-burst "heap $idle kB idle, $(heap "$L") kB 5 s" \
	    "after the burst"
fi

# glibc's cache of freed chunks (tcache) would keep scattered heap pages
# resident: every process of inetd runs without it (parent_tunables),
# the parent started again with the setting, the roles inheriting it.
# A service's environment is its own and does not carry it.

# tunables pid: GLIBC_TUNABLES as the process was started with it.  The
# loader cuts the variable's own copy at each ':' as it reads it; the
# pieces follow it in /proc/PID/environ.
tunables() {
	awk 'BEGIN { RS = "\0" }
	    /^GLIBC_TUNABLES=/ { v = $0; t = 1; next }
	    t && /^glibc\./ { v = v ":" $0; next }
	    { t = 0 }
	    END { print v }' "/proc/$1/environ"
}
bad=
for who in parent:$P listener:$L spawner:$S; do
	got=$(tunables "${who#*:}")
	[ "$got" = "GLIBC_TUNABLES=glibc.malloc.tcache_count=0" ] ||
	    bad="$bad ${who%%:*}: '$got'"
done
if [ -z "$bad" ]; then
	success no-tcache
else
	failure no-tcache "$bad"
fi
# Started again by its path: ps and pkill see the program's name.
name=$(basename "$(readlink "/proc/$P/exe")" | cut -c1-15)
if [ "$(cat "/proc/$P/comm")" = "$name" ]; then
	success parent-name
else
	failure parent-name "comm '$(cat "/proc/$P/comm")', not '$name'"
fi
got=$(printf '\n' | nc -N -w 5 127.0.0.1 7709)
if [ -z "$got" ]; then
	failure service-env "no answer from /usr/bin/env"
elif printf '%s\n' "$got" | grep -q '^GLIBC_TUNABLES='; then
	failure service-env "$(printf '%s\n' "$got" | grep '^GLIBC_TUNABLES=')"
else
	success service-env
fi

# An administrator's own setting of the cache is kept, the rest of the
# variable as well, and the parent does not add a second one.
stop_inetd
INETD_ENV=("GLIBC_TUNABLES=glibc.malloc.check=0:glibc.malloc.tcache_count=2")
start_inetd < "$T/rules.conf" || { failure own-tunable start; exit 0; }
INETD_ENV=()
P=$INETD_PID
S=$(role_pid spawner)
got="$(tunables "$P") $(tunables "$S")"
want="GLIBC_TUNABLES=glibc.malloc.check=0:glibc.malloc.tcache_count=2"
if [ "$got" = "$want $want" ]; then
	success own-tunable
else
	failure own-tunable "got '$got'"
fi
exit 0
