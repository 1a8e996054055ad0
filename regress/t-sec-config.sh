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

# Audit findings the parser closes.  M-5: a file that names programs to
# run as root must be as safe as they are: owned by root, writable by no
# one else, in directories that are the same, and never a FIFO.  L-4:
# pledge="" is an error, not "no filter"; pledge=none clears a default.
. "$(dirname "$0")/lib.sh"
NAME=sec
need_tool nc

LINE='9999 stream tcp nowait daemon /bin/cat'

# refused name file pattern: inetd -n exits 1 within 10 s, saying pattern.
refused() {
	local name=$1 file=$2 pattern=$3 out rc
	out=$(timeout 10 "$INETD" -n "$file" 2>&1)
	rc=$?
	if [ $rc = 1 ] && printf '%s\n' "$out" | grep -q -- "$pattern"; then
		success "$name"
	else
		failure "$name" "rc $rc: $(printf '%s' "$out" | head -1)"
	fi
}

mkdir -m 755 "$T/d"
printf '%s\n' "$LINE" > "$T/d/ok.conf"
if "$INETD" -n "$T/d/ok.conf" >/dev/null 2>&1; then
	success m5-safe-file-taken
else
	failure m5-safe-file-taken "a root-owned 0644 file was refused"
fi

cp "$T/d/ok.conf" "$T/d/gw.conf"
chmod 664 "$T/d/gw.conf"
refused m5-config-group-writable "$T/d/gw.conf" \
    "^$T/d/gw.conf: .*mode 664.*writable by no one else"

cp "$T/d/ok.conf" "$T/d/nobody.conf"
chown nobody "$T/d/nobody.conf"
refused m5-config-not-root "$T/d/nobody.conf" "^$T/d/nobody.conf: owned by uid"

mkdir -m 777 "$T/open"
printf '%s\n' "$LINE" > "$T/open/x.conf"
printf '.include "%s/open/*.conf"\n' "$T" > "$T/d/inc.conf"
refused m5-include-unsafe-dir "$T/d/inc.conf" \
    "^$T/d/inc.conf:1: .*directory $T/open .*mode 777"

# A link is only as safe as the directory it sits in.
ln -s "$T/d/ok.conf" "$T/open/link.conf"
refused m5-symlink-in-unsafe-dir "$T/open/link.conf" "directory $T/open"
# In a sticky directory anyone may make a link: only root's is followed.
mkdir -m 1777 "$T/sticky"
ln -s "$T/d/ok.conf" "$T/sticky/user.conf"
chown -h nobody "$T/sticky/user.conf"
refused m5-user-link-in-sticky-dir "$T/sticky/user.conf" \
    "^$T/sticky/user.conf: a link owned by uid"

mkdir -m 755 "$T/fifo"
mkfifo -m 600 "$T/fifo/a.conf"
printf '.include "%s/fifo/*.conf"\n' "$T" > "$T/d/fifo.conf"
refused m5-include-fifo "$T/d/fifo.conf" \
    "^$T/d/fifo.conf:1: .*not a regular file"

# A reload onto an unsafe file keeps the configuration in force.
install_echod
mkdir -m 755 "$T/drop"
printf '7001 stream tcp nowait daemon %s/echod.sh\n' "$T" > "$T/drop/a.conf"
if start_inetd <<CONF
.include "$T/drop/*.conf"
CONF
then
	printf '7002 stream tcp nowait root /bin/sh sh -c id\n' \
	    > "$T/drop/b.conf"
	chmod 666 "$T/drop/b.conf"
	kill -HUP "$INETD_PID"
	if wait_log "b.conf: .*writable by no one else" &&
	    wait_log "configuration not loaded" &&
	    [ "$(say 7001 $'hello\n')" = hello ] &&
	    ! nc -z -w 2 127.0.0.1 7002; then
		success m5-reload-refused-kept
	else
		failure m5-reload-refused-kept "$(tail -3 "$T/log")"
	fi
else
	failure m5-reload-refused-kept "inetd did not start"
fi
stop_inetd

# L-4: pledge="" is OpenBSD's tightest pledge, never "none" here.
printf 'x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat,\n\tpledge="";\n' \
    > "$T/d/empty.conf"
refused l4-empty-pledge-refused "$T/d/empty.conf" \
    "^$T/d/empty.conf:2: pledge=\"\": no promises"
cat > "$T/d/none.conf" <<'CONF'
.defaults pledge="stdio rpath";
x on protocol=tcp, port=7000, wait=no, user=daemon, exec=/bin/cat,
	pledge=none;
y on protocol=tcp, port=7001, wait=no, user=daemon, exec=/bin/cat;
CONF
out=$("$INETD" -n "$T/d/none.conf" 2>&1)
if printf '%s\n' "$out" | grep -A2 ':2: x ' | grep -q 'pledge none' &&
    printf '%s\n' "$out" | grep -A2 ':4: y ' | grep -q 'pledge "stdio rpath"'
then
	success l4-pledge-none-clears-default
else
	failure l4-pledge-none-clears-default "$out"
fi

# Info items: what inetd -n should make an admin look at twice.
test_user || { skip info-warnings "cannot create the test user"; exit 0; }
install -m 0775 -o root -g _inetdt2 /bin/cat "$T/gcat"
cat > "$T/d/info.conf" <<CONF
a on protocol=tcp, port=7000, wait=no, user=_inetd, exec=/bin/cat,
	pledge="stdio";
b on protocol=tcp, port=7001, wait=no, user=_inetdt, exec=/bin/cat;
c on protocol=tcp, port=7002, wait=no, user=_inetdt, exec=$T/gcat;
d on protocol=tcp, port=7003, wait=no, user=daemon, exec=/bin/cat,
	unveil="/etc r";
e on protocol=tcp, port=7004, wait=no, user=daemon, exec=/bin/cat,
	unveil="/etc r";
CONF
err=$("$INETD" -n "$T/d/info.conf" 2>&1 >/dev/null)
printf '%s\n' "$err" | grep -q "info.conf:1: warning: a/tcp runs as _inetd" &&
    success info-warn-inetd-user || failure info-warn-inetd-user "$err"
printf '%s\n' "$err" |
    grep -q "info.conf:3: warning: b/tcp has no unveil and shares user _inetdt" &&
    ! printf '%s\n' "$err" | grep -q "info.conf:[567]: warning: . has no" &&
    success info-warn-shared-user || failure info-warn-shared-user "$err"
printf '%s\n' "$err" |
    grep -q "info.conf:4: warning: c/tcp: its user _inetdt can write its program" &&
    ! printf '%s\n' "$err" | grep -q "info.conf:3: .*can write" &&
    success info-warn-writable-program ||
    failure info-warn-writable-program "$err"
