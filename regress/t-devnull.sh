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

# As on OpenBSD, every pledge may open /dev/null to read and write it
# (git daemon and rsync do), whatever it adds: "wpath", an unveil list.
# A pledge without "wpath" still writes nothing else.
. "$(dirname "$0")/lib.sh"
need_tool nc
NAME=devnull

for p in secprobe probe; do
	[ -x "$REGRESS/$p" ] || make -s -C "$REGRESS" "$p" >/dev/null 2>&1
done
need_prog probe secprobe
abi=$("$REGRESS/secprobe" abi)
if [ "${abi:-0}" = 0 ]; then
	# Without Landlock the filter alone decides: /dev/null needs
	# "rpath wpath" there, as inetd.conf(5) says.
	echo "SKIP $NAME (no Landlock in this kernel)"
	exit 0
fi
test_user || { skip all "cannot create the test user"; exit 0; }
install_prog probe
mkdir "$T/d"
echo old > "$T/d/file"
echo old > "$T/file"
chmod 777 "$T/d"; chmod 666 "$T/d/file" "$T/file"

start_inetd <<CONF || { failure start "inetd did not start"; exit 0; }
stdio on protocol=tcp, port=7501, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio";
unveiled on protocol=tcp, port=7502, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath wpath", unveil="/tmp r";
wpath on protocol=tcp, port=7503, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio wpath";
rpath on protocol=tcp, port=7504, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath";
nowrite on protocol=tcp, port=7505, wait=no, user=_inetdt, exec=$T/probe,
	pledge="stdio rpath", unveil="$T/d rw";
CONF


expect stdio-rdwr 7501 "open_rdwr /dev/null" OK
expect stdio-read 7501 "open_read /dev/null" OK
expect unveil-rdwr 7502 "open_rdwr /dev/null" OK
expect unveil-still 7502 "open_read /etc/passwd" "DENIED EACCES"
expect wpath-rdwr 7503 "open_rdwr /dev/null" OK
expect rpath-write 7504 "open_write /dev/null" OK
# Without "wpath" nothing else is written, unveiled "w" or not.
expect rpath-no-write 7504 "open_write $T/file" "DENIED EACCES"
expect unveil-no-write 7505 "open_write $T/d/file" "DENIED EACCES"
expect unveil-devnull 7505 "open_rdwr /dev/null" OK
expect unveil-read 7505 "read $T/d/file" "OK old"
if grep -q 'confinement violation' "$T/log"; then
	failure no-kill "$(grep 'confinement violation' "$T/log" | head -1)"
else
	success no-kill
fi
[ "$(cat "$T/d/file" "$T/file")" = "$(printf 'old\nold')" ] &&
    success files-intact || failure files-intact
exit 0
