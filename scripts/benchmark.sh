#!/usr/bin/env bash
# Measures trellis end to end on generated rosters: students per second, peak memory, and where
# the time goes (read, evaluate, write). Prints a Markdown table for docs/performance.md.
#
#   scripts/benchmark.sh [SIZES...]        default: 1000 10000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

sizes=("$@")
((${#sizes[@]})) || sizes=(1000 10000)
work=.build-bench
mkdir -p "$work"
swift build -c release --product trellis >&2
trellis=.build/release/trellis
cores=$(nproc)

# One run: wall seconds, peak RSS in MB, and the engine's own phase timings.
measure() {
    local log="$work/run.log"
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" -v 2>"$log" >/dev/null || true
    read -r wall rss_kb <"$work/time.txt"
    local read evaluate write
    read=$(grep -o 'records in [0-9.]* s' "$log" | grep -o '[0-9.]*' || echo "?")
    evaluate=$(grep -o 'evaluated in [0-9.]* s' "$log" | grep -o '[0-9.]*' || echo "?")
    write=$(grep -o 'wrote [a-z]* in [0-9.]* s' "$log" | grep -o '[0-9.]*' || echo "?")
    echo "$wall $((rss_kb / 1024)) $read $evaluate $write"
}

echo "| roster | jobs | wall s | students/s | peak RSS MB | read s | evaluate s | write s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for size in "${sizes[@]}"; do
    roster="$work/roster-$size.ndjson"
    header="$work/header-$size.json"
    [[ -f $roster ]] || $trellis generate --students "$size" --seed 1 --class "$header" -o "$roster"
    for jobs in 1 "$cores"; do
        read -r wall rss read evaluate write < <(measure $trellis evaluate --quiet --jobs "$jobs" --class "$header" -o "$work/out.ndjson" "$roster")
        rate=$(awk -v n="$size" -v t="$wall" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
        echo "| $size students, $(du -m "$roster" | cut -f1) MB NDJSON | $jobs | $wall | $rate | $rss | $read | $evaluate | $write |"
    done
done

# A class between lessons: 30 students as one document, process start included.
class="$work/class-30.json"
[[ -f $class ]] || $trellis generate --students 30 --seed 2 --format document -o "$class"
read -r wall rss _ _ _ < <(measure $trellis evaluate --quiet --format json -o "$work/out.json" "$class")
echo "| 30 students, one document, process start included | $cores | $wall | - | $rss | | | |"

# The sandbox's cost: the bundled pack on the same roster with and without the sandbox, one
# worker, the evaluation phase only, median of 7 alternating runs (this machine is noisy).
roster="$work/roster-${sizes[0]}.ndjson"
header="$work/header-${sizes[0]}.json"
sandboxed=()
unsandboxed=()
for _ in 1 2 3 4 5 6 7; do
    read -r _ _ _ evaluate _ < <(measure $trellis evaluate --quiet --jobs 1 --class "$header" -o "$work/out.ndjson" "$roster")
    sandboxed+=("$evaluate")
    read -r _ _ _ evaluate _ < <(measure $trellis evaluate --quiet --jobs 1 --unsafe-no-sandbox --class "$header" -o "$work/out.ndjson" "$roster")
    unsandboxed+=("$evaluate")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
with=$(median "${sandboxed[@]}")
without=$(median "${unsandboxed[@]}")
echo
echo "| sandbox, ${sizes[0]} students, 1 worker | evaluate s (median of 7) |"
echo "| --- | --- |"
echo "| with the sandbox | $with |"
echo "| without (--unsafe-no-sandbox) | $without |"
echo "| cost | $(awk -v a="$with" -v b="$without" 'BEGIN { printf "%+.0f%%", (a / b - 1) * 100 }') |"
