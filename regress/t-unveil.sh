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

# unveil paths are resolved by inetd, so /proc/self would be inetd's own
# process: such paths are refused with file:line, however they get
# there, and "/proc r" gives a service its own /proc/self.
. "$(dirname "$0")/lib.sh"
need_tool nc

x='x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat'
hint='unveil "/proc r" instead'
check_refused proc-self "$x, unveil=\"/proc/self r\";" "$hint"
check_refused proc-self-fd "$x, unveil=\"/proc/self/fd r\";" "$hint"
check_refused proc-thread-self \
    "$x, unveil=\"/proc/thread-self/status r\";" "$hint"
check_refused proc-self-spelt "$x, unveil=\"/proc//./self/ r\";" "$hint"
# Refused as written, before it is looked for.
check_refused proc-self-missing "$x, unveil=\"/proc/self/nonexistent r\";" \
    "$hint"
# Among others in the list, and through a symbolic link.
check_refused proc-self-second \
    "$x, unveil=\"/tmp r\" \"/proc/self/status r\";" "$hint"
check_refused proc-net "$x, unveil=\"/proc/net r\";" "$hint"
if [ -L /dev/fd ]; then
	check_refused dev-fd "$x, unveil=\"/dev/fd r\";" "$hint"
else
	skip dev-fd "/dev/fd is not a symbolic link here"
fi
check_refused dev-stdin "$x, unveil=\"/dev/stdin r\";" 'magic link'

# Not every path in /proc: the whole of it, or another process's.
for u in /proc /proc/1 /proc/cpuinfo; do
	n=${u#/}
	printf '%s, unveil="%s r";\n' "$x" "$u" > "$T/ok.conf"
	if out=$("$INETD" -n "$T/ok.conf" 2>&1); then
		success "accepts-${n//\//-}"
	else
		failure "accepts-${n//\//-}" "$(printf '%s' "$out" | head -1)"
	fi
done

# What the manual says to do instead works.
test_user || { skip proc-own "cannot create the test user"; exit 0; }
install_prog probe
start_inetd <<CONF || { failure start "inetd did not start"; exit 0; }
own on protocol=tcp, port=7701, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath", unveil="/proc r";
CONF
got=$(printf 'read /proc/self/status\n' | nc -N -w 5 127.0.0.1 7701)
want=$(printf 'OK Name:\tprobe')
[ "$got" = "$want" ] && success proc-own || failure proc-own "got '$got'"
got=$(printf 'read /etc/hostname\n' | nc -N -w 5 127.0.0.1 7701)
[ "$got" = "DENIED EACCES" ] && success proc-only ||
    failure proc-only "got '$got'"
stop_inetd

# Services whose rulesets would be alike share one; any difference in
# what a ruleset is made of gives a service its own: each reads where
# its own list lets it, and runs its own program.  one and one2 are
# alike; two differs by its list, three by its program only, four by
# its pledge only (wpath: it may create in its list), open has no list.
mkdir "$T/ua" "$T/ub"
echo a > "$T/ua/f"
echo b > "$T/ub/f"
chmod 777 "$T/ua"
cp "$T/probe" "$T/probe2"
start_inetd <<CONF || { failure start-shared "inetd did not start"; exit 0; }
one on protocol=tcp, port=7711, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath", unveil="$T/ua rwc";
one2 on protocol=tcp, port=7712, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath", unveil="$T/ua rwc";
two on protocol=tcp, port=7713, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath", unveil="$T/ub rwc";
three on protocol=tcp, port=7714, wait=no, user=_inetdt, exec=$T/probe2,
	pledge="stdio rpath", unveil="$T/ua rwc";
four on protocol=tcp, port=7715, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath wpath cpath", unveil="$T/ua rwc";
open on protocol=tcp, port=7716, wait=no, user=_inetdt, exec=$T/probe;
CONF
# reads port file: what the probe says to reading it.
reads() { printf 'read %s\n' "$2" | nc -N -w 5 127.0.0.1 "$1"; }
creates() { printf 'open_create %s\n' "$2" | nc -N -w 5 127.0.0.1 "$1"; }
ok=1 why=
for c in "7711 ua OK" "7711 ub DENIED" "7712 ua OK" "7712 ub DENIED" \
    "7713 ua DENIED" "7713 ub OK" "7714 ua OK" "7714 ub DENIED" \
    "7715 ua OK" "7715 ub DENIED" "7716 ua OK" "7716 ub OK"; do
	set -- $c
	got=$(reads "$1" "$T/$2/f")
	case $got in
	"$3"*) ;;
	*) ok=0 why="$why; $1 read $2: '$got'" ;;
	esac
done
[ $ok = 1 ] && success rulesets-own || failure rulesets-own "${why#; }"
got3=$(creates 7711 "$T/ua/n1")
got4=$(creates 7715 "$T/ua/n2")
case $got3/$got4 in
OK*/*|*/[!O]*|*/O[!K]*|*/) failure rulesets-pledge "rpath: '$got3', wpath: '$got4'" ;;
*) success rulesets-pledge ;;
esac
exit 0
