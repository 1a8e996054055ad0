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

# The real daemons regress/t-daemons.sh runs, from Debian's packages.
#
#	daemons.sh dir -i pkg... -x pkg...
#
# -i: packages to install (clients, and daemons whose package starts
# nothing); -x: packages to download and unpack in dir/root without
# installing them, since their maintainer scripts would start a server
# or pull in another superserver.  The libraries an unpacked package
# depends on are installed.  This never fails: a package that cannot be
# had leaves dir/name.err with the reason, which the test prints when
# it skips.
dir=$1
shift
deps=$(dirname "$0")/deps.sh

# Install packages, all at once if that works, else one by one, so that
# one missing package costs only its own tests.
install() {
	[ $# -gt 0 ] || return 0
	"$deps" "$@" >"$dir/install.log" 2>&1 && return 0
	for p; do
		"$deps" "$p" >"$dir/$p.err" 2>&1 && rm -f "$dir/$p.err"
	done
	return 0
}

# Download and unpack one package, then install the libraries it needs.
unpack() {
	p=$1
	(cd "$dir" && apt-get download "$p" ||
	    { apt-get update -qq && apt-get download "$p"; }) \
	    >"$dir/$p.err" 2>&1 || return 0
	deb=$(ls "$dir/${p}_"*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ] || ! dpkg-deb -x "$deb" "$dir/root" >>"$dir/$p.err" 2>&1
	then
		echo "$p: cannot unpack ${deb:-the package}" >>"$dir/$p.err"
		return 0
	fi
	rm -f "$dir/$p.err"
	libs=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
	    sed 's/[(|].*//; s/[[:space:]]//g; s/:any$//' | grep '^lib')
	# shellcheck disable=SC2086
	install $libs
}

rm -rf "$dir"
mkdir -p "$dir"
# apt-get download drops root for the _apt user where it can write.
chown _apt "$dir" 2>/dev/null
ins=
unp=
mode=
for a; do
	case $a in
	-i|-x)	mode=$a ;;
	*)	if [ "$mode" = -i ]; then ins="$ins $a"
		else unp="$unp $a"
		fi ;;
	esac
done
# shellcheck disable=SC2086
install $ins
for p in $unp; do
	unpack "$p"
done
for e in "$dir"/*.err; do
	[ -e "$e" ] && echo "daemons: $(basename "$e" .err) missing: $(tail -1 "$e")"
done
exit 0
