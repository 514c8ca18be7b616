#!/usr/bin/env bash
# Imports a generated 100,000-row sessions sheet (trellis import sheet) and reports the time and
# the peak memory (maximum resident set size), for docs/performance.md.
# Usage: scripts/benchmark-import.sh [ROWS] [BINARY]   (default: 100000 rows, .build/release/trellis)
set -euo pipefail
rows="${1:-100000}"
binary="${2:-.build/release/trellis}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$rows" "$work/sessions.csv" <<'PY'
import sys, datetime
rows, path = int(sys.argv[1]), sys.argv[2]
levels = ["Full Physical", "Partial Physical", "Model", "Gestural", "Verbal", "Independent"]
skills = ["hand-washing", "zipping", "sight-words", "coat-hanging", "snack-prep"]
start = datetime.date(2026, 9, 1)
with open(path, "w") as out:
    out.write("Date,Student ID,Student Name,Skill,Prompt Level,Opportunities,# Correct,Setting,Staff\n")
    for i in range(rows):
        student = i % 2000
        skill = skills[(i // 2000) % len(skills)]
        day = start + datetime.timedelta(days=(i // 10000))
        trials = 10
        correct = (i * 7) % 11
        out.write(f"{day.isoformat()},s-{student:05d},Student {student},{skill},{levels[(i // 2000) % 6]},{trials},{correct},classroom,p-lee\n")
PY
/usr/bin/time -f "%e s elapsed, %M KB max resident" "$binary" import sheet --as-of 2026-11-20 -q -o "$work/class.ndjson" "$work/sessions.csv"
ls -l "$work/class.ndjson" | awk '{print $5 " bytes of NDJSON"}'
