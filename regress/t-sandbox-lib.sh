#!/bin/sh
# The sandbox library on its own: regress/sandboxtest confines children
# with the seccomp filters and Landlock rulesets common/pledge.c and
# common/unveil.c build and prints one SUCCESS, FAIL or SKIP line per
# case.  Run from the repository root.

CC=${CC:-cc}
CFLAGS=${CFLAGS:-"-Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
-Wshadow -Wpointer-arith -Wcast-qual -Werror"}

stale() {
	# stale target source...: target missing or older than a source
	t=$1
	shift
	[ -x "$t" ] || return 0
	for s in "$@"; do
		[ "$s" -nt "$t" ] && return 0
	done
	return 1
}

if stale regress/probe regress/probe.c; then
	$CC $CFLAGS $(pkg-config --cflags libbsd-overlay) -o regress/probe \
	    regress/probe.c $(pkg-config --libs libbsd-overlay) || {
		echo "FAIL sandbox-build-probe"
		exit 0
	}
fi
# With libevent, the listener's filter is also tried on a real loop.
PKGS="libseccomp libbsd-overlay"
EXTRA=
if pkg-config --exists libevent; then
	PKGS="$PKGS libevent"
	EXTRA=-DSANDBOXTEST_LIBEVENT
fi
if stale regress/sandboxtest regress/sandboxtest.c common/pledge.c \
    common/unveil.c listener/confine.c common/inetd.h \
    regress/t-sandbox-lib.sh; then
	$CC $CFLAGS $EXTRA $(pkg-config --cflags $PKGS) -Icommon \
	    -o regress/sandboxtest regress/sandboxtest.c common/pledge.c \
	    common/unveil.c listener/confine.c $(pkg-config --libs $PKGS) || {
		echo "FAIL sandbox-build-sandboxtest"
		exit 0
	}
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP sandbox-lib (needs root)"
	exit 0
fi

./regress/sandboxtest regress/probe || true
exit 0
