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

# rlimit-* and nice= reach the service: the program sees the limits and
# the niceness its entry sets, and a service without them inetd's own.
. "$(dirname "$0")/lib.sh"
need_tool nc

start_inetd <<CONF || { failure start; exit 0; }
lim on protocol=tcp, port=7401, wait=no, user=daemon, exec=/bin/sh,
	args="sh" "-c" "echo \$(ulimit -n) \$(ulimit -c) \$(ulimit -t) \$(nice)",
	rlimit-nofile=37, rlimit-core=0, rlimit-cpu=100, nice=7;
free on protocol=tcp, port=7402, wait=no, user=daemon, exec=/bin/sh,
	args="sh" "-c" "ulimit -n";
CONF

got=$(say 7401 "")
[ "$got" = "37 0 100 7" ] && success applied || failure applied "got '$got'"
got=$(say 7402 "")
[ -n "$got" ] && [ "$got" != 37 ] && success others-untouched ||
    failure others-untouched "got '$got'"
