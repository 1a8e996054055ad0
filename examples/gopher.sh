#!/bin/sh
# A gopher server in three lines: read one selector, send that file.
#
# Deliberately naive: it does not check the selector at all, so
# "../../etc/passwd" walks out of the tree.  It is safe only under
# inetd's unveil, which leaves it nothing to read but its tree (see
# inetd-gopher-tls.conf); never serve it without.
#
# usage: gopher.sh [root]	(default /srv/gopher)
root=${1:-/srv/gopher}
read -r selector
selector=$(printf '%s' "$selector" | tr -d '\r')
cat "$root/$selector"
