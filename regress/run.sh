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

# Run regress scripts and count their results; regress/Makefile calls it
# once per script (run-t-name) and once more for the count.
#
#	run.sh [-n] [t-name.sh ...]	run the scripts (default: all),
#					then print the count
#	run.sh -c [t-name.out ...]	print the count of earlier runs
#
# Each script gets 600 seconds.  Its result lines are printed, and its
# whole output is kept in regress/t-name.out; -n leaves the count to a
# later run.sh -c.  A script that prints no result line, exits non-zero
# or times out counts as a failure.  The count, "N passed, N failed, N
# skipped", is the last line; the exit status is 1 if anything failed.
#
# With SANITIZE_REPORTS set (make SANITIZE=1, a sanitizer build), each
# script's sanitizer reports go to SANITIZE_REPORTS/t-name/, and a
# script that leaves a report there fails, whatever it printed; the
# report is printed and kept in its t-name.out.
cd "$(dirname "$0")/.." || exit 1

count() {
	local pass fail skip

	pass=$(cat "$@" | grep -c '^SUCCESS ')
	fail=$(cat "$@" | grep -c '^FAIL ')
	skip=$(cat "$@" | grep -c '^SKIP ')
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}

# Where the sanitizer runtime writes a script's reports (log_path: it
# adds the pid), with every report fatal.  The daemon's roles write
# theirs to a file opened there before they confine themselves
# (common/sanitize.c), and only inetd -n and the regress programs check
# for leaks at exit.  evilshim.so, built without the runtime, is
# preloaded into inetd by some scripts: the runtime must not insist on
# coming first.
sanitize_start() {
	[ -n "${SANITIZE_REPORTS:-}" ] || return 0
	rm -rf "${SANITIZE_REPORTS:?}/$1"
	mkdir -p "$SANITIZE_REPORTS/$1"
	export ASAN_OPTIONS="log_path=$SANITIZE_REPORTS/$1/asan"\
":halt_on_error=1:abort_on_error=1:detect_leaks=1"\
":verify_asan_link_order=0"
	export UBSAN_OPTIONS="log_path=$SANITIZE_REPORTS/$1/asan"\
":halt_on_error=1:abort_on_error=1:print_stacktrace=1"
}

# A report fails the script.  A role's file also holds what it wrote to
# standard error (its last words when its channel closed): a report is
# a file that names a sanitizer or a runtime error.
sanitize_check() {
	local f found=0

	[ -n "${SANITIZE_REPORTS:-}" ] || return 0
	for f in "$SANITIZE_REPORTS/$1"/asan.*; do
		[ -f "$f" ] && grep -Eq 'Sanitizer|runtime error' "$f" ||
		    continue
		found=1
		{
			echo "# sanitizer report $f:"
			sed 's/^/#   /' "$f"
		} | tee -a "$2" | head -60
	done
	if [ $found = 1 ]; then
		echo "FAIL $1 (sanitizer report)"
		echo "FAIL $1 (sanitizer report)" >> "$2"
	fi
}

if [ "${1:-}" = -c ]; then
	shift
	[ $# -gt 0 ] || set -- regress/t-*.out
	outs=()
	for o in "$@"; do
		outs+=("regress/${o##*/}")
	done
	count "${outs[@]}"
	exit
fi
nocount=0
if [ "${1:-}" = -n ]; then
	nocount=1
	shift
fi
[ $# -gt 0 ] || set -- regress/t-*.sh

outs=()
for t in "$@"; do
	name=$(basename "$t" .sh)
	out=regress/$name.out
	outs+=("$out")
	sanitize_start "$name"
	timeout 600 bash "regress/$name.sh" > "$out" 2>&1
	rc=$?
	grep -E '^(SUCCESS|FAIL|SKIP) ' "$out"
	sanitize_check "$name" "$out"
	crashed=0
	if ! grep -Eq '^(SUCCESS|FAIL|SKIP) ' "$out" || [ $rc -ne 0 ]; then
		crashed=1
		echo "FAIL $name (script exited $rc)"
		sed 's/^/#   /' "$out" | tail -20
	fi
	if grep -q '^FAIL ' "$out"; then
		# What the daemon said helps whoever reads a red CI log.
		grep -v -E '^(SUCCESS|FAIL|SKIP) ' "$out" | sed 's/^/#   /' |
		    tail -20
	fi
	[ $crashed = 1 ] && echo "FAIL $name (script exited $rc)" >> "$out"
done
[ $nocount = 1 ] && exit 0
count "${outs[@]}"
