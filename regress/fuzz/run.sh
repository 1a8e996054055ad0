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

# Run the fuzz targets named (see README):
#
#	run.sh target ...	replay regressions/<target>, then fuzz it
#				for FUZZ_SECONDS from corpus/<target>
#	run.sh -m target ...	merge scratch/<target> into corpus/<target>
#
# New inputs go to scratch/<target>, never to the committed corpus; a
# crash, leak, hang or broken invariant leaves its input in
# crashes/<target>/ and the log in scratch/<target>.log.  One line per
# target says how it went; the exit status is 1 if any target failed.
cd "$(dirname "$0")" || exit 1
secs=${FUZZ_SECONDS:-60}
# One process each: the machine is shared, and a run is a smoke test.
opts=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1)

dict() {
	[ -f "$1.dict" ] && echo "-dict=$1.dict"
}

if [ "${1:-}" = -m ]; then
	shift
	for t in "$@"; do
		mkdir -p "corpus/$t" "scratch/$t"
		./fuzz_"$t" -merge=1 $(dict "$t") "corpus/$t" "scratch/$t" \
		    > "scratch/$t.merge.log" 2>&1 ||
		    { echo "merge $t failed: scratch/$t.merge.log"; exit 1; }
		echo "$t: $(ls "corpus/$t" | wc -l) corpus files"
	done
	exit 0
fi

failed=0
for t in "$@"; do
	mkdir -p "corpus/$t" "scratch/$t" "crashes/$t"
	log=scratch/$t.log
	# Every input that once failed must pass now.
	if [ -d "regressions/$t" ] &&
	    [ -n "$(ls -A "regressions/$t")" ]; then
		if ! ./fuzz_"$t" "${opts[@]}" regressions/"$t"/* \
		    > "scratch/$t.replay.log" 2>&1; then
			echo "FAIL $t: a regression input fails again" \
			    "(scratch/$t.replay.log)"
			failed=1
			continue
		fi
		nreg=$(ls "regressions/$t" | wc -l)
	else
		nreg=0
	fi
	./fuzz_"$t" "${opts[@]}" $(dict "$t") -max_total_time="$secs" \
	    -artifact_prefix="crashes/$t/" "scratch/$t" "corpus/$t" \
	    > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		echo "SUCCESS $t: ${secs}s, ${runs:-?} runs, ${execs:-?}" \
		    "exec/s, ${cov:-no coverage line}, $nreg regressions" \
		    "replayed, nothing found"
	else
		what=$(grep -m1 -o 'ERROR: [A-Za-z]*: [a-z-]*\|ERROR: libFuzzer: [a-z-]*\|SUMMARY: [A-Za-z]*Sanitizer: [a-z-]*' "$log")
		echo "FAIL $t: ${what:-exit $rc}; input in crashes/$t/," \
		    "log in regress/fuzz/$log"
		failed=1
	fi
done
exit $failed
