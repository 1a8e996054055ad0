#!/bin/bash
# The sandbox library on its own: regress/sandboxtest confines children
# with the seccomp filters and Landlock rulesets common/pledge.c and
# common/unveil.c build, and prints one SUCCESS, FAIL or SKIP line per
# case.  make builds it, with the listener's filter also tried on a real
# libevent loop.
. "$(dirname "$0")/lib.sh"

need_prog sandboxtest probe
# Its failures are its FAIL lines, not its exit status.
"$REGRESS/sandboxtest" "$REGRESS/probe" || true
