#!/usr/bin/env bash
# Runs every `go test -fuzz` target in the repo for a set time each
# (default 30s; `make fuzz FUZZTIME=5m`, CI uses a few seconds). New
# crashers land in the package's testdata/fuzz/ folder: commit them, they
# become regression tests that plain `go test` runs.
set -euo pipefail
cd "$(dirname "$0")/.."
t="${1:-30s}"
fail=0
while IFS= read -r line; do
	file="${line%%:*}"
	name="${line##*func }"
	name="${name%%(*}"
	pkg="$(dirname "$file")"
	start=$(date +%s)
	if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$t" "$pkg" >/tmp/exscan-fuzz.log 2>&1; then
		echo "fuzz ok    $pkg $name ($t, $(( $(date +%s) - start ))s with build)"
	else
		echo "fuzz FAIL  $pkg $name" >&2
		tail -30 /tmp/exscan-fuzz.log >&2
		fail=1
	fi
done < <(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' . | sort)
exit $fail
