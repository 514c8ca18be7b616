#!/usr/bin/env python3
"""Checks that hosts made the same recommendations: compares the sorted (student, skill, kind,
action, from, to) of every recommendation in NDJSON outputs shaped like `trellis evaluate --format
ndjson`, and fails (exit 1) naming the first differences when they are not all the same.

    compare.py NAME=OUT.ndjson NAME=OUT.ndjson...
"""

import json
import sys


def decisions(path):
    found, students, errors = [], 0, 0
    with open(path, "rb") as file:
        for line in file:
            if not line.strip():
                continue
            entry = json.loads(line)
            if "student" not in entry:
                continue  # a class-level line
            students += 1
            errors += len(entry.get("errors") or []) + (1 if entry.get("skipped") else 0)
            for r in entry.get("recommendations") or []:
                found.append((entry["student"], r.get("skill"), r.get("kind"), r.get("action"), r.get("from"), r.get("to")))
    found.sort(key=lambda t: tuple("" if v is None else str(v) for v in t))
    return found, students, errors


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    named = [arg.split("=", 1) for arg in argv]
    results = {name: decisions(path) for name, path in named}
    first_name = named[0][0]
    reference, students, _ = results[first_name]
    ok = True
    for name, (found, count, errors) in results.items():
        if errors:
            print(f"MISMATCH: {name} reports {errors} errors or skipped students", file=sys.stderr)
            ok = False
        if count != students:
            print(f"MISMATCH: {name} wrote {count} students, {first_name} {students}", file=sys.stderr)
            ok = False
        if found != reference:
            ok = False
            only_here = sorted(set(found) - set(reference))[:5]
            only_there = sorted(set(reference) - set(found))[:5]
            print(f"MISMATCH: {name} made {len(found)} recommendations, {first_name} {len(reference)}; "
                  f"only in {name}: {only_here}; only in {first_name}: {only_there}", file=sys.stderr)
    if ok:
        print(f"same recommendations from {', '.join(results)}: {len(reference)} for {students} students")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
