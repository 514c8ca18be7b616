#!/usr/bin/env bash
# Measures trellis end to end on generated rosters: wall time, students per second and peak memory
# (NDJSON is streamed: read, evaluation and output interleave, so there are no separate phases).
# Prints Markdown tables for docs/performance.md.
#
#   scripts/benchmark.sh [--only bundled|peers|report] [SIZES...]        default sizes: 1000 10000
#
# Three sections, all by default:
#   bundled  trellis with the bundled rules, one worker and one per core; a 30-student class from
#            the CLI; the sandbox's cost in wall time (median of 7) and, when valgrind is
#            installed, in instructions (callgrind, 200 students).
#   peers    against the floor and a peer: trellis, a minimal C host on liblua5.4 + cJSON
#            (benchmarks/c-host) and Python with lupa (benchmarks/lupa) running the same simple rule
#            (benchmarks/simple-rule) on the same rosters, checked to make the same recommendations;
#            the cost of each extra rule (also in callgrind instructions when valgrind is
#            installed); and, when 100000 is among the sizes, 100k against 10k.
#   report   trellis report: a 30-student class as one HTML file, and a 1,000-student school (40
#            class documents of 25 students) as an index and a page per class, process start
#            included, median of 7, with the HTML's size.
# Environment: RUNS (runs per measurement in the peers section, default 3), EXTRA_RULES (trivial
# rules added for the per-rule cost, default 10).
set -euo pipefail
cd "$(dirname "$0")/.."

sections=(bundled peers report)
if [[ ${1:-} == --only ]]; then
    [[ ${2:-} == bundled || ${2:-} == peers || ${2:-} == report ]] || { echo "usage: $0 [--only bundled|peers|report] [SIZES...]" >&2; exit 64; }
    sections=("$2")
    shift 2
fi
runs_section() { [[ " ${sections[*]} " == *" $1 "* ]]; }

scripts/install-dependencies.sh
# What the measurements need beyond building Trellis: GNU time; for the peers, a C compiler and
# cJSON for the C host, and Python's venv for lupa.
missing=()
[[ -x /usr/bin/time ]] || missing+=(time)
if runs_section peers; then
    command -v gcc >/dev/null 2>&1 || missing+=(gcc)
    pkg-config --exists libcjson 2>/dev/null || missing+=(libcjson-dev)
    command -v python3 >/dev/null 2>&1 && python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3 python3-venv)
fi
((${#missing[@]} == 0)) || scripts/apt-install.sh "the benchmark" "${missing[@]}"

sizes=("$@")
((${#sizes[@]})) || sizes=(1000 10000)
work=.build-bench
mkdir -p "$work"
swift build -c release --product trellis >&2
trellis=.build/release/trellis
cores=$(nproc)

# The roster of SIZE students (and its class header), generated once.
roster_for() {
    local size=$1
    roster="$work/roster-$size.ndjson"
    header="$work/header-$size.json"
    [[ -f $roster && -f $header ]] || $trellis generate --students "$size" --seed 1 --class "$header" -o "$roster"
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
best() { printf '%s\n' "$@" | sort -n | head -1; }

# One run: wall seconds (the shell's clock, to the millisecond) and peak RSS in MB (GNU time). A
# streamed NDJSON run has no separate read, evaluate and write phases: workers read, check and
# evaluate batches of lines while the output is written.
measure() {
    local start end rss_kb
    start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$work/time.txt" "$@" 2>"$work/run.log" >/dev/null || true
    end=$EPOCHREALTIME
    rss_kb=$(tail -1 "$work/time.txt")
    echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }') $((rss_kb / 1024))"
}

# counted NAME ROSTER ARGS...: the instructions valgrind's callgrind counts (whole process, every
# thread) while trellis evaluates ROSTER with ARGS, one worker, against $header; its profile goes
# to $work/callgrind-NAME.out. It runs a binary without debug info (valgrind cannot read the release
# binary's), with deterministic Swift hashing; counts still vary by about 1% from run to run (Lua's
# string hash seed).
counted() {
    local name=$1 input=$2 n
    shift 2
    local nodebug="$work/trellis-nodebug"
    [[ $nodebug -nt $trellis ]] || strip --strip-debug -o "$nodebug" "$trellis"
    echo "callgrind: $name" >&2
    SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$work/callgrind-$name.out" \
        "$nodebug" evaluate --quiet --jobs 1 "$@" --class "$header" -o "$work/out-callgrind.ndjson" "$input" \
        2>"$work/callgrind-$name.log" >/dev/null || true
    n=$(grep -o 'Collected : [0-9]*' "$work/callgrind-$name.log" | grep -o '[0-9]*$') || true
    if [[ -z $n ]]; then
        echo "callgrind failed ($work/callgrind-$name.log):" >&2
        tail -5 "$work/callgrind-$name.log" >&2
        exit 1
    fi
    echo "$n"
}

# ---- The bundled rules ----
if runs_section bundled; then
echo "| roster | jobs | wall s | students/s | peak RSS MB |"
echo "| --- | --- | --- | --- | --- |"
for size in "${sizes[@]}"; do
    roster_for "$size"
    for jobs in 1 "$cores"; do
        echo "bundled: $size students, $jobs workers" >&2
        read -r wall rss < <(measure $trellis evaluate --quiet --jobs "$jobs" --class "$header" -o "$work/out.ndjson" "$roster")
        rate=$(awk -v n="$size" -v t="$wall" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
        echo "| $size students, $(du -m "$roster" | cut -f1) MB NDJSON | $jobs | $wall | $rate | $rss |"
    done
done

# A class between lessons: 30 students as one document, process start included; median of 7.
class="$work/class-30.json"
[[ -f $class ]] || $trellis generate --students 30 --seed 2 --format document -o "$class"
class_walls=() class_rss=0
for _ in 1 2 3 4 5 6 7; do
    read -r wall rss < <(measure $trellis evaluate --quiet --format json -o "$work/out.json" "$class")
    class_walls+=("$wall")
    if ((rss > class_rss)); then class_rss=$rss; fi
done
echo "| 30 students, one document, process start included (median of 7) | $cores | $(median "${class_walls[@]}") | - | $class_rss |"

# The sandbox's cost: the bundled pack on the same roster with and without the sandbox, one
# worker, end-to-end wall time, median of 7 alternating runs (this machine is noisy).
roster_for "${sizes[0]}"
sandboxed=()
unsandboxed=()
for run in 1 2 3 4 5 6 7; do
    echo "sandbox: run $run of 7" >&2
    read -r wall _ < <(measure $trellis evaluate --quiet --jobs 1 --class "$header" -o "$work/out.ndjson" "$roster")
    sandboxed+=("$wall")
    read -r wall _ < <(measure $trellis evaluate --quiet --jobs 1 --unsafe-no-sandbox --class "$header" -o "$work/out.ndjson" "$roster")
    unsandboxed+=("$wall")
done
with=$(median "${sandboxed[@]}")
without=$(median "${unsandboxed[@]}")
echo
echo "| sandbox, ${sizes[0]} students, 1 worker | wall s (median of 7 alternating) | all 7 |"
echo "| --- | --- | --- |"
echo "| with the sandbox | $with | ${sandboxed[*]} |"
echo "| without (--unsafe-no-sandbox) | $without | ${unsandboxed[*]} |"
echo "| cost | $(awk -v a="$with" -v b="$without" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }') (target < 15%) | |"

# The same, counted in instructions (see counted, above), which the machine's load does not change.
if command -v valgrind >/dev/null 2>&1; then
    small="$work/roster-200.ndjson"
    head -200 "$work/roster-${sizes[0]}.ndjson" >"$small"
    # Under valgrind every call runs ~50 times longer, so the watchdog would arm the limits' hook
    # for calls that natively never run the millisecond that arms it, more or fewer with the
    # machine's load: the count is taken with the instruction and time limits off (proxies,
    # fresh runs and the memory cap stay). The wall-time figure above has them on.
    ir_with=$(counted sandbox "$small" --max-instructions 0 --max-time 0)
    ir_without=$(counted no-sandbox "$small" --unsafe-no-sandbox)
    millions() { awk -v n="$1" 'BEGIN { printf "%.0f M", n / 1e6 }'; }
    echo
    echo "| sandbox, 200 students, 1 worker, callgrind (instruction and time limits off) | instructions |"
    echo "| --- | --- |"
    echo "| with the sandbox | $(millions "$ir_with") |"
    echo "| without (--unsafe-no-sandbox) | $(millions "$ir_without") |"
    echo "| ratio | $(awk -v a="$ir_with" -v b="$ir_without" 'BEGIN { printf "%.3f (%+.1f%%)", a / b, (a / b - 1) * 100 }') |"
else
    echo
    echo "(valgrind is not installed: no instruction counts for the sandbox)"
fi
fi

# ---- The coordinator's report ----
# trellis report on a class and on a school, process start included; median of 7 runs each.
if runs_section report; then
class="$work/report-class-30.json"
school="$work/report-school-1000"
[[ -f $class ]] || $trellis generate --students 30 --seed 2 --format document -o "$class"
[[ -d $school ]] || $trellis generate --students 1000 --seed 3 --format document --classes 40 -o "$school"
report_row() {
    local label=$1 out=$2
    shift 2
    local walls=() peak=0
    for _ in 1 2 3 4 5 6 7; do
        read -r wall rss < <(measure "$@")
        walls+=("$wall")
        if ((rss > peak)); then peak=$rss; fi
    done
    echo "| $label | $(median "${walls[@]}") | $(best "${walls[@]}") | $peak | $(du -sk "$out" | cut -f1) KB |"
}
echo
echo "| trellis report, process start included | wall s (median of 7) | best | peak RSS MB | HTML |"
echo "| --- | --- | --- | --- | --- |"
for jobs in 1 "$cores"; do
    echo "report: 30-student class, $jobs workers" >&2
    report_row "30 students, one file, $jobs workers" "$work/report.html" $trellis report --quiet --jobs "$jobs" -o "$work/report.html" "$class"
done
for jobs in 1 "$cores"; do
    echo "report: 1,000-student school, $jobs workers" >&2
    rm -rf "$work/report-site"
    report_row "1,000 students in 40 classes: index + 40 pages, $jobs workers" "$work/report-site" \
        $trellis report --quiet --jobs "$jobs" --title "Synthetic school" -o "$work/report-site/" "$school"
done
fi

# ---- Against the floor and a peer ----
# The same simple rule (benchmarks/simple-rule) run by trellis, by a minimal C host on liblua5.4
# and cJSON (the floor: no validation, no sandbox, no limits) and by Python with lupa (what a user
# might write instead), on the same rosters; each RUNS times, interleaved, wall time from the
# shell's clock and peak RSS from GNU time. The outputs must make the same recommendations.
if runs_section peers; then
runs=${RUNS:-3}
extra=${EXTRA_RULES:-10}
rule_dir=benchmarks/simple-rule
rule_file=$(echo "$rule_dir"/*.lua)
c_host="$work/c-host"
if [[ ! -x $c_host || benchmarks/c-host/host.c -nt $c_host ]]; then
    # shellcheck disable=SC2046
    gcc -O2 -o "$c_host" benchmarks/c-host/host.c $(pkg-config --cflags --libs lua5.4 libcjson)
fi
venv="$work/venv"
if ! "$venv/bin/python" -c 'import lupa.lua54' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q -r benchmarks/lupa/requirements.txt >&2
fi
python="$venv/bin/python"

# timed LOG COMMAND...: runs COMMAND; sets wall (seconds), cpu (user + system seconds) and rss
# (peak MB); stops the benchmark when COMMAND fails.
timed() {
    local log=$1 start end
    shift
    start=$EPOCHREALTIME
    if ! /usr/bin/time -f '%M %U %S' -o "$work/time.txt" "$@" >/dev/null 2>"$log"; then
        echo "FAILED: $* (exit status $(tail -2 "$work/time.txt" | head -1)); its last output:" >&2
        tail -5 "$log" >&2
        exit 1
    fi
    end=$EPOCHREALTIME
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    local rss_kb user system
    read -r rss_kb user system < <(tail -1 "$work/time.txt")
    rss=$((rss_kb / 1024))
    cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')
}

hosts=(trellis-1)
if ((cores > 1)); then hosts+=("trellis-$cores"); fi
hosts+=(c lupa)
label() {
    case $1 in
        trellis-1) echo "trellis, 1 worker" ;;
        trellis-*) echo "trellis, ${1#trellis-} workers" ;;
        c) echo "C host (liblua5.4 + cJSON)" ;;
        lupa) echo "Python $("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])') + lupa $("$python" -c 'import lupa; print(lupa.__version__)')" ;;
    esac
}
# command_for HOST OUT: sets cmd, the command that runs HOST on $roster, writing OUT.
command_for() {
    case $1 in
        trellis-*) cmd=("$trellis" evaluate -v --quiet --jobs "${1#trellis-}" --no-bundled --rules "$rule_dir" --format ndjson --class "$header" -o "$2" "$roster") ;;
        c) cmd=("$c_host" -o "$2" "$rule_file" "$header" "$roster") ;;
        lupa) cmd=("$python" benchmarks/lupa/host.py -o "$2" "$rule_file" "$header" "$roster") ;;
    esac
}

declare -A walls peak
declare -A phase_lines
for size in "${sizes[@]}"; do
    roster_for "$size"
    for ((run = 1; run <= runs; run++)); do
        outputs=()
        for host in "${hosts[@]}"; do
            out="$work/peer-$host-$size.ndjson"
            command_for "$host" "$out"
            echo "peers: $size students, $host, run $run of $runs" >&2
            timed "$work/peer.log" "${cmd[@]}"
            walls[$host,$size]+=" $wall"
            if ((rss > ${peak[$host,$size]:-0})); then peak[$host,$size]=$rss; fi
            outputs+=("$host=$out")
            if [[ $host == trellis-* ]]; then # no phases: streamed, the last run's -v line
                phase_lines[$host,$size]="streamed: parse and evaluate interleave on ${host#trellis-} worker(s);"
                phase_lines[$host,$size]+=" $(grep -o 'evaluated [0-9]* students in [0-9.]* s' "$work/peer.log" || echo '?') from process start (wall $wall s)"
            fi
        done
        # Fails the benchmark, loudly, when the hosts do not make the same recommendations.
        if ((run == 1)); then "$python" benchmarks/compare.py "${outputs[@]}" >&2; fi
    done
    # Where the floor's and the peer's time goes, from one more run of each.
    "$c_host" --phase -o "$work/peer-c-$size.ndjson" "$rule_file" "$header" "$roster" 2>"$work/peer.log" || true
    phase_lines[c,$size]=$(grep '^phases' "$work/peer.log" || echo "?")
    "$python" benchmarks/lupa/host.py --phase -o "$work/peer-lupa-$size.ndjson" "$rule_file" "$header" "$roster" 2>"$work/peer.log" || true
    phase_lines[lupa,$size]=$(grep '^phases' "$work/peer.log" || echo "?")
done

med() { median ${walls[$1,$2]}; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo
echo "Against the floor and a peer: the simple rule ($rule_file), best and median of $runs runs."
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $cores cores," \
    "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GB; trellis $(git rev-parse --short HEAD 2>/dev/null || echo '?')," \
    "version $($trellis --version 2>/dev/null || echo '?'); Debian's liblua5.4 $(dpkg-query -W -f '${Version}' liblua5.4-0 2>/dev/null || echo '?')" \
    "(trellis, C host), cJSON $(dpkg-query -W -f '${Version}' libcjson-dev 2>/dev/null || echo '?'), gcc $(gcc -dumpfullversion);" \
    "lupa with its own $("$python" -c 'import lupa.lua54 as l; print(l.LuaRuntime().eval("_VERSION"))' 2>/dev/null || echo 'Lua')."
echo
echo "| roster | host | best s | median s | students/s | peak RSS MB | time / lupa's | time / C's |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for size in "${sizes[@]}"; do
    for host in "${hosts[@]}"; do
        m=$(med "$host" "$size")
        # shellcheck disable=SC2086
        echo "| $size students, $(du -m "$work/roster-$size.ndjson" | cut -f1) MB | $(label "$host") | $(best ${walls[$host,$size]}) | $m" \
            "| $(awk -v n="$size" -v t="$m" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }') | ${peak[$host,$size]}" \
            "| $(ratio "$m" "$(med lupa "$size")") | $(ratio "$m" "$(med c "$size")") |"
    done
done
echo
for size in "${sizes[@]}"; do
    for host in trellis-1 "trellis-$cores"; do
        [[ -n ${walls[$host,$size]:-} ]] || continue
        echo "- $size students, $(label "$host"): $(ratio "$(med lupa "$size")" "$(med "$host" "$size")")x as fast as lupa (target at 10000: 3x)," \
            "$(ratio "$(med "$host" "$size")" "$(med c "$size")")x the C host's time"
    done
done
echo
for size in "${sizes[@]}"; do
    for host in trellis-1 "trellis-$cores"; do
        if [[ -n ${phase_lines[$host,$size]:-} ]]; then echo "- $(label "$host"), $size students: ${phase_lines[$host,$size]}"; fi
    done
    echo "- C host, $size students: ${phase_lines[c,$size]}"
    echo "- lupa, $size students: ${phase_lines[lupa,$size]}"
done

# Each extra rule on the same student: the simple rule alone against the simple rule and EXTRA_RULES
# rules that return nothing, one worker, the engine's time to the last student (-v), CPU and wall,
# medians of RUNS alternating runs.
size=10000
[[ " ${sizes[*]} " == *" 10000 "* ]] || size=${sizes[0]}
roster_for "$size"
pack="$work/rules-plus-$extra"
rm -rf "$pack"
mkdir -p "$pack"
cp "$rule_file" "$pack/"
for ((k = 1; k <= extra; k++)); do
    printf 'return { id = "noop-%02d", api = 1, evaluate = function() return {} end }\n' "$k" >"$pack/noop-$(printf %02d "$k").lua"
done
# The engine's "evaluated N students in X s" (-v): from process start to the last student evaluated.
phase_of() { grep -o 'evaluated [0-9]* students in [0-9.]* s' "$1" | grep -o '[0-9.]* s$' | grep -o '[0-9.]*'; }
one_eval=() one_wall=() one_cpu=() k_eval=() k_wall=() k_cpu=()
for ((run = 1; run <= runs; run++)); do
    echo "extra rules: run $run of $runs" >&2
    timed "$work/peer.log" "$trellis" evaluate -v --quiet --jobs 1 --no-bundled --rules "$rule_dir" --format ndjson --class "$header" -o "$work/extra-1.ndjson" "$roster"
    one_wall+=("$wall")
    one_cpu+=("$cpu")
    one_eval+=("$(phase_of "$work/peer.log")")
    timed "$work/peer.log" "$trellis" evaluate -v --quiet --jobs 1 --no-bundled --rules "$pack" --format ndjson --class "$header" -o "$work/extra-k.ndjson" "$roster"
    k_wall+=("$wall")
    k_cpu+=("$cpu")
    k_eval+=("$(phase_of "$work/peer.log")")
done
"$python" benchmarks/compare.py "one=$work/extra-1.ndjson" "plus-$extra=$work/extra-k.ndjson" >&2
per_rule() { awk -v k="$2" -v one="$1" -v n="$size" -v e="$extra" 'BEGIN { printf "%.2f", (k - one) / (e * n) * 1e6 }'; }
echo
echo "| each extra rule, $size students, 1 worker, median of $runs | simple rule s | plus $extra empty rules s | per extra rule per student |"
echo "| --- | --- | --- | --- |"
echo "| start to last student evaluated (-v) | $(median "${one_eval[@]}") | $(median "${k_eval[@]}") | $(per_rule "$(median "${one_eval[@]}")" "$(median "${k_eval[@]}")") us (target <= 3 us) |"
echo "| process CPU (user + system) | $(median "${one_cpu[@]}") | $(median "${k_cpu[@]}") | $(per_rule "$(median "${one_cpu[@]}")" "$(median "${k_cpu[@]}")") us |"
echo "| wall | $(median "${one_wall[@]}") | $(median "${k_wall[@]}") | $(per_rule "$(median "${one_wall[@]}")" "$(median "${k_wall[@]}")") us |"
# The same in instructions: the simple rule against it plus 100 empty rules (the signal must be well
# above callgrind's 1% run-to-run variation), the first 200 students, with and without the sandbox.
if command -v valgrind >/dev/null 2>&1; then
    pack100="$work/rules-plus-100"
    rm -rf "$pack100"
    mkdir -p "$pack100"
    cp "$rule_file" "$pack100/"
    for ((k = 1; k <= 100; k++)); do
        printf 'return { id = "noop-%03d", api = 1, evaluate = function() return {} end }\n' "$k" >"$pack100/noop-$(printf %03d "$k").lua"
    done
    small="$work/roster-200-of-$size.ndjson"
    head -200 "$roster" >"$small"
    one=$(counted simple "$small" --no-bundled --rules "$rule_dir" --format ndjson)
    plus=$(counted simple-plus-100 "$small" --no-bundled --rules "$pack100" --format ndjson)
    one_u=$(counted simple-no-sandbox "$small" --unsafe-no-sandbox --no-bundled --rules "$rule_dir" --format ndjson)
    plus_u=$(counted simple-plus-100-no-sandbox "$small" --unsafe-no-sandbox --no-bundled --rules "$pack100" --format ndjson)
    echo "| instructions (callgrind, 200 students, plus 100 empty rules) | $(awk -v n="$one" 'BEGIN { printf "%.0f M", n / 1e6 }')" \
        "| $(awk -v n="$plus" 'BEGIN { printf "%.0f M", n / 1e6 }') |" \
        "$(awk -v a="$one" -v b="$plus" 'BEGIN { printf "%.0f", (b - a) / 20000 }') per extra rule per student" \
        "($(awk -v a="$one_u" -v b="$plus_u" 'BEGIN { printf "%.0f", (b - a) / 20000 }') without the sandbox) |"
fi

# A district: 100,000 students against 10,000 (targets: peak RSS <= 64 MB, time <= 10.5x).
base=10000 district=100000
if [[ " ${sizes[*]} " == *" $base "* && " ${sizes[*]} " == *" $district "* ]]; then
    echo
    echo "| $district against $base students | peak RSS MB at $district (trellis target <= 64) | median time ratio (trellis target <= 10.5) |"
    echo "| --- | --- | --- |"
    for host in "${hosts[@]}"; do
        echo "| $(label "$host") | ${peak[$host,$district]} | $(ratio "$(med "$host" "$district")" "$(med "$host" "$base")") |"
    done
fi
fi
