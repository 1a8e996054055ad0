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

# A deliberately naive gopher server, a shell script that cats whatever
# it is asked for, behind unveil of its root: files inside are served,
# ../../etc/passwd gives nothing.
. "$(dirname "$0")/lib.sh"
need_tool nc

mkdir -p "$T/gopher/docs"
echo "hello from gopher" > "$T/gopher/docs/hello.txt"
cat > "$T/gopher.sh" <<SH
#!/bin/sh
root=$T/gopher
read sel
sel=\$(printf '%s' "\$sel" | tr -d '\r')
cat "\$root/\$sel"
SH
chmod -R a+rX "$T/gopher"; chmod 755 "$T/gopher.sh"
cat_path=$(command -v cat); tr_path=$(command -v tr)
start_inetd <<CONF || { failure start; exit 0; }
gopher on protocol=tcp, port=7070, wait=no, user=daemon, exec=$T/gopher.sh,
	pledge="stdio rpath proc exec",
	unveil="$T/gopher r" "$cat_path rx" "$tr_path rx";
naive on protocol=tcp, port=7071, wait=no, user=daemon, exec=$T/gopher.sh;
CONF

out=$(printf 'docs/hello.txt\r\n' | nc -N -w 5 127.0.0.1 7070)
[ "$out" = "hello from gopher" ] && success inside || failure inside "got '$out'"
out=$(printf '../../../../../../etc/passwd\r\n' | nc -N -w 5 127.0.0.1 7070)
# cat's complaint reaches the client on fd 2; the file does not.
! printf '%s' "$out" | grep -q '^root:' &&
    printf '%s' "$out" | grep -q 'Permission denied' &&
    success passwd-hidden || failure passwd-hidden "got '$(printf '%s' "$out" | head -1)'"
# The same script without unveil shows why it is needed.
out=$(printf '../../../../../../etc/passwd\r\n' | nc -N -w 5 127.0.0.1 7071)
printf '%s' "$out" | grep -q '^root:' && success unconfined-leaks || failure unconfined-leaks
