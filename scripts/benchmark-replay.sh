#!/usr/bin/env bash
# Replays a generated term (trellis replay): 20 students, 4 skills each, a session of each skill
# on each of 60 days, and reports the time and the peak memory, for docs/performance.md.
# Usage: scripts/benchmark-replay.sh [BINARY]   (default: .build/release/trellis)
set -euo pipefail
binary="${1:-.build/release/trellis}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work/term.json" <<'PY'
import json, datetime, random, sys
random.seed(4)
levels = ["full_physical", "partial_physical", "model", "gestural", "verbal", "independent"]
start = datetime.date(2026, 9, 1)
students = []
for s in range(20):
    skills = []
    for k in range(4):
        level, sessions = random.randint(0, 2), []
        for d in range(60):
            correct = random.choice([3, 6, 8, 9, 10])
            sessions.append({"date": (start + datetime.timedelta(days=d)).isoformat(), "prompt_level": levels[level],
                             "trials": 10, "correct": correct, "setting": random.choice(["room", "hall"]),
                             "staff": random.choice(["a", "b"])})
            # The staff follow the rules' advice now and then, so that there is something to replay.
            if correct >= 8 and random.random() < 0.15 and level < 5:
                level += 1
            elif correct < 5 and random.random() < 0.1 and level > 0:
                level -= 1
        skills.append({"id": f"skill-{k}", "sessions": sessions})
    students.append({"id": f"s-{s}", "name": f"Student {s}", "skills": skills})
json.dump({"trellis": 1, "as_of": "2026-10-30", "students": students}, open(sys.argv[1], "w"))
PY
for run in 1 2 3; do
    /usr/bin/time -f "%e s elapsed, %M KB max resident" "$binary" replay -q --format json "$work/term.json" >"$work/replay.json"
done
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['days'], 'days,', len(d['decisions']), 'decisions')" "$work/replay.json"
