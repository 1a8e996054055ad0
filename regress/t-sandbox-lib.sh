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

# The sandbox library on its own: regress/sandboxtest confines children
# with the seccomp filters and Landlock rulesets common/pledge.c and
# common/unveil.c build, and prints one SUCCESS, FAIL or SKIP line per
# case.  make builds it, with the listener's filter also tried on a real
# libevent loop.
. "$(dirname "$0")/lib.sh"

need_prog sandboxtest probe
# Its failures are its FAIL lines, not its exit status.
"$REGRESS/sandboxtest" "$REGRESS/probe" || true
