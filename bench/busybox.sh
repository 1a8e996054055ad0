#!/bin/sh
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

# busybox's inetd for the benchmark: Debian ships busybox without the
# inetd applet, so build one from the source of Debian's own package,
# fetched from the Debian mirror's pool with its .dsc (no deb-src line
# needed), with only the inetd applet and its built-ins.  Into
# peers/busybox/busybox; on any failure it says why and exits 0, and the
# benchmark reads busybox's cells as n/a.
#
#	busybox.sh peers_dir
set -u
mkdir -p "$1" && dir=$(cd "$1" && pwd)/busybox || exit 1
pool=${DEBIAN_POOL:-http://deb.debian.org/debian/pool/main/b/busybox}
skip() { echo "busybox inetd: $*; its benchmark cells will be n/a" >&2;
    exit 0; }

command -v curl >/dev/null || skip "no curl"
command -v dpkg-source >/dev/null || skip "no dpkg-source (dpkg-dev)"
# The source version of the busybox Debian would install here.
ver=$(apt-cache show busybox 2>/dev/null |
    sed -n 's/^Source: busybox (\(.*\))$/\1/p' | head -1)
[ -n "$ver" ] || ver=$(apt-cache show busybox 2>/dev/null |
    sed -n 's/^Version: \(.*\)$/\1/p' | head -1)
[ -n "$ver" ] || skip "apt knows no busybox package"
ver=${ver#*:}
ver=${ver%+b[0-9]*}
rm -rf "$dir"
mkdir -p "$dir/src" || skip "cannot make $dir"
cd "$dir/src" || exit 1
curl -sfO "$pool/busybox_$ver.dsc" || skip "cannot fetch busybox_$ver.dsc"
for f in $(awk '/^Files:/ { f = 1; next } /^[^ ]/ { f = 0 } f { print $3 }' \
    "busybox_$ver.dsc"); do
	curl -sfO "$pool/$f" || skip "cannot fetch $f"
done
dpkg-source -x --no-check "busybox_$ver.dsc" tree >/dev/null 2>&1 ||
    skip "dpkg-source -x failed"
cd tree || exit 1
make -s allnoconfig >/dev/null 2>&1 || skip "make allnoconfig failed"
for o in INETD FEATURE_INETD_SUPPORT_BUILTIN_ECHO \
    FEATURE_INETD_SUPPORT_BUILTIN_DISCARD FEATURE_INETD_SUPPORT_BUILTIN_TIME \
    FEATURE_INETD_SUPPORT_BUILTIN_DAYTIME \
    FEATURE_INETD_SUPPORT_BUILTIN_CHARGEN LFS FEATURE_IPV6; do
	sed -i "s/^# CONFIG_$o is not set\$/CONFIG_$o=y/" .config
done
yes '' | make -s oldconfig >/dev/null 2>&1
grep -q '^CONFIG_INETD=y' .config || skip "no inetd applet in the config"
make -s -j"$(nproc)" busybox >/dev/null 2>&1 || skip "the build failed"
cp busybox "$dir/busybox" && echo "$ver" > "$dir/version" ||
    skip "cannot install it in $dir"
cd "$dir" && rm -rf src
echo "busybox inetd $ver built in $dir"
