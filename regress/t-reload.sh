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

# SIGHUP: services are added, removed and changed; an unchanged service
# keeps its very socket; a file with an error changes nothing; reloads
# during steady traffic refuse no connection.
. "$(dirname "$0")/lib.sh"
need_tool nc

install_prog svcinfo
install_echod

# The inode of the socket listening on a TCP port.
sock_inode() {
	awk -v p="$(printf ':%04X' "$1")" \
	    '$2 ~ p"$" && $4 == "0A" { print $10 }' /proc/net/tcp
}

start_inetd <<CONF || { failure start; exit 0; }
7020 stream tcp nowait.10000 daemon $T/echod.sh
7021 stream tcp nowait daemon $T/svcinfo bee
7023 stream tcp nowait daemon $T/svcinfo dee
CONF
cp "$T/inetd.conf" "$T/orig.conf"
ino=$(sock_inode 7020)
[ "$(say 7021 '')" = bee ] && [ "$(say 7023 '')" = dee ] &&
    success before || failure before

cat > "$T/inetd.conf" <<CONF
7020 stream tcp nowait.10000 daemon $T/echod.sh
7021 stream tcp nowait daemon $T/svcinfo bee2
7022 stream tcp nowait daemon $T/svcinfo sea
CONF
hup || failure hup "no reloaded line"
[ "$(say 7021 '')" = bee2 ] && success changed || failure changed
[ "$(say 7022 '')" = sea ] && success added || failure added
! nc -z 127.0.0.1 7023 && success removed || failure removed "7023 still answers"
[ -n "$ino" ] && [ "$(sock_inode 7020)" = "$ino" ] &&
    success same-socket || failure same-socket "inode $ino -> $(sock_inode 7020)"
[ "$(say 7020 $'x\n')" = x ] && success unchanged || failure unchanged

# A file that does not parse changes nothing.
cp "$T/inetd.conf" "$T/good.conf"
printf '7024 stream tcp nowait daemon %s/svcinfo eff\n7025 bogus\n' "$T" >> "$T/inetd.conf"
kill -HUP "$INETD_PID"
wait_log 'reload failed' 10 && wait_log 'inetd.conf:5: expected' 1 &&
    success bad-file-logged || failure bad-file-logged
[ "$(say 7021 '')" = bee2 ] && [ "$(say 7022 '')" = sea ] &&
    ! nc -z 127.0.0.1 7024 && success bad-file-kept || failure bad-file-kept

# 20 reloads while a client keeps connecting: none refused.
cp "$T/good.conf" "$T/inetd.conf"
(
	fails=0
	for i in $(seq 1 300); do
		[ -e "$T/stop" ] && break
		[ "$(printf 'n%d\n' "$i" | nc -N -w 5 127.0.0.1 7020)" = "n$i" ] ||
		    fails=$((fails + 1))
	done
	echo "$fails $i" > "$T/traffic"
) &
tp=$!
ok=1
for i in $(seq 1 20); do
	# Alternate a change elsewhere so each reload is a real new table.
	sed -i "s/svcinfo sea.*/svcinfo sea$i/" "$T/inetd.conf"
	hup || { ok=0; break; }
done
touch "$T/stop"
wait $tp
read -r fails n < "$T/traffic"
[ $ok = 1 ] && [ "$fails" = 0 ] && success reload-under-traffic ||
    failure reload-under-traffic "$fails of $n connections failed, reloads ok=$ok"
[ "$(say 7022 '')" = sea20 ] && success last-generation || failure last-generation
[ "$(sock_inode 7020)" = "$ino" ] && success same-socket-after-20 || failure same-socket-after-20

# A wait program running across a reload: the new table takes it over,
# so no second copy starts on the same socket, and the socket is watched
# again once it exits.
cat > "$T/inetd.conf" <<CONF
7026 stream tcp wait daemon $T/svcinfo svcinfo acceptwhen $T/go
7022 stream tcp nowait daemon $T/svcinfo sea
CONF
hup || failure hup-wait
( say 7026 '' > "$T/a" ) & ca=$!
wait_log '7026/tcp: started pid' 5
sed -i 's/svcinfo sea$/svcinfo sea2/' "$T/inetd.conf"
hup || failure hup-wait2
[ "$(say 7022 '')" = sea2 ] || failure reload-during-wait "not reloaded"
n=$(grep -c '7026/tcp: started pid' "$T/log")
touch "$T/go"
wait $ca
[ "$n" = 1 ] && [ "$(cat "$T/a")" = accepted ] && success wait-across-reload ||
    failure wait-across-reload "$n copies, answer '$(cat "$T/a")'"
[ "$(say 7026 '')" = accepted ] && success wait-rearmed-after-reload ||
    failure wait-rearmed-after-reload
