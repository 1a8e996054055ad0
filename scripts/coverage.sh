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

# make coverage: a clean build of inetd with gcov's counters (make
# COVERAGE=1), every regress script against it, then the lines of each
# source file that ran, from gcov.
#
#	scripts/coverage.sh		all of it
#	scripts/coverage.sh -r		only the report, from the counts a
#					run left in coverage/data
#
# What the build changes is said in common/coverage.c: each process of
# inetd writes its counts in one file of coverage/data when it exits.
# Here they are cut into .gcda files (coverage/split/N), added up with
# gcov-tool (coverage/sum), put next to the objects, and gcov writes
# coverage/gcov/DIR/FILE.c.gcov, where "#####" marks a line never run.
# The build is left in place; the next make without COVERAGE=1 starts
# afresh (.buildflags).  Needs gcc's gcov and gcov-tool and python3.
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
COV=$TOP/coverage
DIRS="parent listener spawner common"
MAKE=${MAKE:-make}

for t in gcov gcov-tool python3; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "coverage: no $t" >&2
		exit 1
	fi
done

start=$(date +%s)
if [ "${1:-}" != -r ]; then
	$MAKE -s clean >/dev/null 2>&1
	mkdir -p "$COV/data" || exit 1
	$MAKE -s COVERAGE=1 all || exit 1
	$MAKE COVERAGE=1 regress
	echo "regress exited $?"
	# Roles still on their way out write their counts as they exit.
	n=0
	while [ $n -lt 150 ]; do
		busy=
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/exe" 2>/dev/null)" = "$TOP/inetd" ] &&
			    busy=1 && break
		done
		[ -z "$busy" ] && break
		sleep 0.2
		n=$((n + 1))
	done
fi

rm -rf "$COV/split" "$COV/sum" "$COV/gcov"
find $DIRS tls -name '*.gcda' -exec rm -f {} +
python3 - "$TOP" "$COV" <<'EOF' || exit 1
import os, sys
top, cov = sys.argv[1] + "/", sys.argv[2]
n = short = 0
for f in sorted(os.listdir(cov + "/data")):
    d = open(cov + "/data/" + f, "rb").read()
    recs, p = [], 0
    while p < len(d):
        nl = d.find(b"\n", p)
        head = d[p:nl].decode("ascii", "replace").split(" ", 2) \
            if nl > p else []
        if len(head) != 3 or head[0] != "gcda" or \
           not head[1].isdigit() or not head[2].startswith(top) or \
           nl + 1 + int(head[1]) > len(d):
            break
        size = int(head[1])
        recs.append((head[2][len(top):], d[nl + 1:nl + 1 + size]))
        p = nl + 1 + size
    # Cut short (a process killed while it wrote): none of it counts.
    if p < len(d):
        short += 1
        continue
    for name, data in recs:
        out = "%s/split/%d/%s" % (cov, n, name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "wb") as o:
            o.write(data)
    if recs:
        n += 1
print("%d processes wrote counts, %d files cut short left out" % (n, short))
EOF

# Added up one process at a time: gcov-tool merges two directories.
for d in "$COV"/split/*; do
	if [ ! -d "$COV/sum" ]; then
		mv "$d" "$COV/sum"
		continue
	fi
	gcov-tool merge -o "$COV/sum.new" "$COV/sum" "$d" >/dev/null 2>&1 ||
	    { echo "coverage: gcov-tool merge $d failed" >&2; exit 1; }
	rm -rf "$COV/sum" "$d"
	mv "$COV/sum.new" "$COV/sum"
done
[ -d "$COV/sum" ] || { echo "coverage: no counts in $COV/data" >&2; exit 1; }
(cd "$COV/sum" && find . -name '*.gcda') | while read -r g; do
	cp "$COV/sum/$g" "$TOP/$g"
done

for d in $DIRS tls; do
	mkdir -p "$COV/gcov/$d"
	for g in "$d"/*.gcno; do
		[ -f "$g" ] || continue
		# gcov finds a source by the relative name cc was given.
		f=$(basename "$g" .gcno).c
		gcov -o "$d" "$d/$f" >/dev/null 2>&1 &&
		    mv "$f.gcov" "$COV/gcov/$d/"
		rm -f ./*.gcov
	done
done

# The regress programs built from inetd's files (regress/Makefile,
# COVPROGS) ran some of their lines too: gcov/regress/PROG/DIR/FILE.
for g in regress/*-*.gcno; do
	[ -f "${g%.gcno}.gcda" ] || continue
	prog=$(basename "$g" .gcno)
	prog=${prog%%-*}
	(cd regress && gcov -p "$(basename "$g")" >/dev/null 2>&1)
	for f in regress/^#*.gcov; do
		[ -f "$f" ] || continue
		src=$(basename "$f" .gcov | sed 's/^^#//; s/#/\//g')
		case $src in
		*/*)	mkdir -p "$COV/gcov/regress/$prog/${src%/*}"
			mv "$f" "$COV/gcov/regress/$prog/$src.gcov" ;;
		esac
	done
	rm -f regress/*.gcov
done

# Lines gcov counts as code: run (a count) or not ("#####", "=====").
# A line of inetd's counts as run if a regress program ran it.
echo
echo "Line coverage of make regress ($(git rev-parse --short HEAD \
    2>/dev/null || echo no commit), $(date -u +%Y-%m-%d))"
for d in $DIRS tls; do
	for f in "$COV/gcov/$d"/*.c.gcov; do
		[ -f "$f" ] || continue
		src=$d/$(basename "$f" .gcov)
		awk -v name="$src" -v main="$f" -F: '
		    { line = $2 + 0 }
		    FILENAME != main && $1 ~ /^ *[0-9]+\*?$/ { ran[line] = 1 }
		    FILENAME != main { next }
		    $1 ~ /^ *(#####|=====)$/ { n++; if (line in ran) { r++; x++ } }
		    $1 ~ /^ *[0-9]+\*?$/ { n++; r++ }
		    END { print name, n + 0, r + 0, x + 0 }' \
		    $(ls "$COV"/gcov/regress/*/"$src.gcov" 2>/dev/null) "$f"
	done
done | awk -v dirs="$DIRS" '
	BEGIN {
		nd = split(dirs, dl, " ")
		for (i = 1; i <= nd; i++)
			main[dl[i]] = 1
		printf "%-24s %6s %8s %7s  %s\n", "file", "lines", "executed",
		    "percent", "(of which only by regress programs)"
	}
	function pct(r, n) { return n ? 100 * r / n : 0 }
	{
		split($1, p, "/")
		printf "%-24s %6d %8d %6.1f%%", $1, $2, $3, pct($3, $2)
		printf $4 ? "  (%d)\n" : "\n", $4
		tx += $4
		dn[p[1]] += $2; dr[p[1]] += $3
		if (p[1] in main) { tn += $2; tr += $3 }
	}
	END {
		print ""
		for (i = 1; i <= nd; i++)
			printf "%-24s %6d %8d %6.1f%%\n", dl[i] "/", dn[dl[i]],
			    dr[dl[i]], pct(dr[dl[i]], dn[dl[i]])
		printf "%-24s %6d %8d %6.1f%%\n", "total of those four", tn,
		    tr, pct(tr, tn)
		printf "%-24s %6d %8d %6.1f%%  (not in the total)\n", "tls/",
		    dn["tls"], dr["tls"], pct(dr["tls"], dn["tls"])
	}'
echo
echo "Lines never run: coverage/gcov/DIR/FILE.c.gcov, marked #####."
echo "The build measured is inetd at -O0 with gcov's counters; its"
echo "processes keep their chroots, users and filters, and each holds one"
echo "more descriptor, a file of coverage/data it writes its counts to at"
echo "exit (common/coverage.c), or when the listener or spawner is ended"
echo "by SIGTERM.  A process that ends in _exit(2) or by another signal"
echo "writes none: services between vfork and exec count in the spawner's"
echo "memory, TLS engines are not counted.  Why the rest does not run:"
echo "regress/COVERAGE."
echo "Took $(( $(date +%s) - start )) seconds."
