#!/bin/sh
# Machine instructions per rule, per student: callgrind over the plain-Lua profiler running one rule
# at a time, less a run with no rule (reading the roster and building the proxies).
#   benchmarks/rule-profile/callgrind.sh HEADER.json ROSTER.ndjson [RULE_ID...]
# Run from the repository's root. Prints "rule  instructions-per-student".
set -eu
header=$1 roster=$2
shift 2
here=$(dirname "$0")
ids=${*:-$(grep -ho '^    id = "[^"]*"' rules/*.lua | sed 's/.*"\(.*\)"/\1/')}
count() {
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" lua5.4 "$here/profile.lua" --only "$1" \
        "$header" "$roster" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    rm -f "$out"
}
students=$(grep -c . "$roster")
none=$(count none)
echo "no rule (reading, proxies): $((none / students)) a student"
for id in $ids; do
    n=$(count "$id")
    echo "$id $(( (n - none) / students ))"
done
