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

# Descriptors near the limit.  Every service is a socket in the parent
# and the listener; in the spawner, services whose Landlock rulesets
# would be alike share one.  A reload goes ahead when each process has
# room for what it holds while the tables change (a socket kept is not
# counted twice, a shared ruleset once), and is refused, naming the
# process, when one has not.  The parent holds only a few copies of
# sockets on their way to the listener, and ends a listener that reads
# none of its table.  All under a limit of 300: 32 for each process's
# own, the rest for services.
. "$(dirname "$0")/lib.sh"
need_tool nc prlimit

LIMIT=300
BASE=7400

# classic n first: n services on ports from first, /bin/cat as daemon.
classic() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "$(($2 + i)) stream tcp nowait daemon /bin/cat cat"
	done
}
# unveiled n first dir: the same with an unveil list each, "dir r", or
# "dir/i r" (a list of its own) when dir ends in a slash.
unveiled() {
	local i d
	for ((i = 0; i < $1; i++)); do
		d=$3
		[ "${d%/}" != "$d" ] && d=$d$i
		echo "s$i on protocol=tcp, port=$(($2 + i)), wait=no," \
		    "user=daemon, exec=/bin/cat, unveil=\"$d r\";"
	done
}
# start_low < config: inetd under the limit.
start_low() {
	cat > "$T/inetd.conf"
	: > "$T/log"
	prlimit --nofile=$LIMIT:$LIMIT "$INETD" -d -v "${INETD_RUN[@]}" \
	    "$T/inetd.conf" >>"$T/log" 2>&1 &
	INETD_PID=$!
	wait_log '^generation 1 in force' 20
}
# nfds pid: how many descriptors it holds; "none" if no such process.
nfds() {
	if [ -n "$1" ] && [ -d "/proc/$1/fd" ]; then
		ls "/proc/$1/fd" | wc -l
	else
		echo none
	fi
}
gens() { count_log '^generation [0-9]+ in force'; }
# hup: SIGHUP, and wait for the reload's end, in force or failed.
hup() {
	local n=$(gens) f=$(count_log '^reload failed')
	kill -HUP "$INETD_PID"
	wait_for 20 sh -c "[ \$(grep -Ec '^generation [0-9]+ in force' \
	    $T/log) -gt $n ] || [ \$(grep -c '^reload failed' $T/log) -gt $f ]"
}
serves() { [ "$(say "$1" "hi $1")" = "hi $1" ]; }

# 200 services without unveil: a socket each in the parent and the
# listener, a handful of descriptors in the spawner.
start_low < <(classic 200 $BASE) || { failure start; exit 0; }
serves $BASE && serves $((BASE + 199)) && success start ||
    failure start
sp=$(role_pid spawner)
lp=$(role_pid listener)
n=$(nfds "$sp")
[ "$n" -lt 40 ] 2>/dev/null && success spawner-shares ||
    failure spawner-shares "the spawner holds $n descriptors"
n=$(nfds "$lp")
[ "$n" -ge 200 ] 2>/dev/null && success listener-holds ||
    failure listener-holds "the listener holds $n descriptors"

# The same table again: every socket kept.  Both tables at once would be
# 432 in the listener; it needs 232.
hup
if [ "$(gens)" = 2 ] && serves $BASE && serves $((BASE + 199)); then
	success reload-kept
else
	failure reload-kept "$(grep -E 'need|failed' "$T/log" | tail -2)"
fi

# Every service on a new port: the listener would hold both tables'
# sockets, 432.  Refused, and the table in force still serves.
classic 200 $((BASE + 1000)) > "$T/inetd.conf"
hup
if grep -q '200 services need 432 descriptors in the listener, more than the limit of 300; raise it (ulimit -n) to at least 432' "$T/log" &&
    [ "$(count_log '^reload failed')" = 1 ] && serves $((BASE + 199)) &&
    ! serves $((BASE + 1000)); then
	success reload-listener-refused
else
	failure reload-listener-refused "$(grep need "$T/log" | tail -1)"
fi
stop_inetd

# 200 services alike with an unveil list: one ruleset.
mkdir -p "$T/u"
for ((i = 0; i < 200; i++)); do mkdir "$T/u/$i"; done
start_low < <(unveiled 200 $BASE "$T/u/0") || { failure start-unveil; exit 0; }
n=$(nfds "$(role_pid spawner)")
hup
if [ "$n" -lt 40 ] 2>/dev/null && [ "$(gens)" = 2 ] && serves $((BASE + 199)); then
	success unveil-alike-shared
else
	failure unveil-alike-shared "spawner $n descriptors, $(gens) in force"
fi
stop_inetd

# 200 lists of their own: 200 rulesets, and a reload would hold 400.
start_low < <(unveiled 200 $BASE "$T/u/") || { failure start-unveil2; exit 0; }
n=$(nfds "$(role_pid spawner)")
hup
if [ "$n" -ge 200 ] 2>/dev/null &&
    grep -q '200 services need 432 descriptors in the spawner' "$T/log" &&
    serves $((BASE + 199)); then
	success unveil-own-counted
else
	failure unveil-own-counted "spawner $n; $(grep need "$T/log" | tail -1)"
fi
stop_inetd

# A listener that reads nothing (stopped) while the parent sends it 250
# new sockets: the parent holds at most a few copies on the way, waits,
# then ends that listener; a fresh one takes the table.  Sent at once,
# the copies would take the parent past the limit.
start_low < <(classic 10 $BASE) || { failure start-stopped; exit 0; }
classic 250 $((BASE + 2000)) > "$T/inetd.conf"
lp=$(role_pid listener)
kill -STOP "$lp"
kill -HUP "$INETD_PID"
if wait_log '^listener reads nothing of its table in 10 seconds; ending it' 20 &&
    wait_log '^generation [0-9]+ in force: 250 services' 20 && kill -0 "$INETD_PID" &&
    serves $((BASE + 2000)) && serves $((BASE + 2249)); then
	success stalled-listener-ended
else
	failure stalled-listener-ended "$(grep -Ei 'listener|dup|fatal' "$T/log" | tail -3)"
fi
kill -CONT "$lp" 2>/dev/null
exit 0
