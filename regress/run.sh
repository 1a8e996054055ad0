#!/bin/bash
# Run every regress script (or those in $TESTS) and count the results.
# A script that ends without a result line counts as a failure.
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp)
for t in ${TESTS:-regress/t-*.sh}; do
	one=$(mktemp)
	timeout 600 bash "$t" > "$one" 2>&1
	rc=$?
	grep -E '^(SUCCESS|FAIL|SKIP) ' "$one"
	if ! grep -Eq '^(SUCCESS|FAIL|SKIP) ' "$one" || [ $rc -ne 0 ]; then
		echo "FAIL $(basename "$t" .sh) (script exited $rc)"
		sed 's/^/#   /' "$one" | tail -20
		echo "FAIL $(basename "$t" .sh)" >> "$out"
	fi
	if grep -q '^FAIL ' "$one"; then
		# What the daemon said helps whoever reads a red CI log.
		grep -v -E '^(SUCCESS|FAIL|SKIP) ' "$one" | sed 's/^/#   /' | tail -20
	fi
	cat "$one" >> "$out"
	rm -f "$one"
done
pass=$(grep -c '^SUCCESS ' "$out")
fail=$(grep -c '^FAIL ' "$out")
skip=$(grep -c '^SKIP ' "$out")
rm -f "$out"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
