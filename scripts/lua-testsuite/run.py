"""Runs Lua 5.4's own test suite in plain Lua and inside Trellis's sandbox, and compares.

Called by scripts/lua-testsuite.sh (see there for the usage). Each file of the suite is split into
chunks by chunks.lua, which runs them in plain lua5.4 with the globals a rule has in the sandbox
and writes every chunk that runs there as a rule file. `trellis evaluate` then runs all of those
rules, inside the sandbox, over one student. A chunk that runs in plain Lua and fails in the
sandbox is a difference. Each difference is kept out of the prefix of later chunks (see
chunks.lua) and the files run again, until no new one appears, so that one difference does not
make every later chunk of its file fail. Differences listed in restrictions.txt (the deliberate
restrictions, each described in docs/security.md) are expected; any other, or a listed one that no
longer differs, makes the check fail.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# all.lua drives the others; heavy.lua allocates gigabytes on purpose and is not part of all.lua.
SKIPPED = {"all.lua", "heavy.lua"}


def read_restrictions(path):
    """{ "strings.lua:17": "reason" } from restrictions.txt."""
    expected = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.partition(" ")
            expected[key] = reason.strip()
    return expected


def split_and_run_plain(testes, names, rules, kept_out):
    """Runs chunks.lua over each file; returns { rule id: (file, first line, last line) } and
    the number of groups per file."""
    chunks = {}
    groups = {}
    for name in names:
        lines = ",".join(str(line) for line in sorted(kept_out.get(name, ())))
        result = subprocess.run(
            ["lua5.4", os.path.join(HERE, "chunks.lua"), os.path.join(testes, name), rules, lines],
            capture_output=True, text=True, errors="replace")
        if result.returncode != 0:
            sys.exit(f"chunks.lua failed on {name}:\n{result.stderr}")
        groups[name] = 0
        for row in result.stdout.splitlines():
            first, last, status, detail = row.split("\t", 3)
            groups[name] += 1
            if status == "ran":
                chunks[detail] = (name, int(first), int(last))
    return chunks, groups


def run_sandboxed(trellis, rules, work):
    """Every rule in `rules`, inside the sandbox, over one student: { rule id: error message }
    for those that fail."""
    with open(os.path.join(ROOT, "examples", "class-3b.json"), encoding="utf-8") as source:
        document = json.load(source)
    document["students"] = document["students"][:1]
    student = os.path.join(work, "one-student.json")
    with open(student, "w", encoding="utf-8") as target:
        json.dump(document, target)
    output = os.path.join(work, "sandboxed.json")
    # No instruction or memory limit: the suite's chunks are long and large by design. The time
    # limit only keeps a chunk that would hang in the sandbox from hanging the check.
    result = subprocess.run(
        [trellis, "evaluate", "--no-bundled", "--rules", rules, "--format", "json", "-o", output, "--max-instructions", "0",
         "--max-memory", "0", "--max-time", "120000", student],
        capture_output=True, text=True, errors="replace")
    if result.returncode not in (0, 1) or not os.path.exists(output):
        sys.exit(f"trellis evaluate failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    with open(output, encoding="utf-8") as report:
        results = json.load(report)["results"]
    failures = {}
    for outcome in results:
        for error in outcome.get("errors", []):
            location = error.get("location") or ""
            line = re.search(r":(\d+)$", location)
            failures[error["rule"]] = (error["message"], int(line.group(1)) if line else None)
    return failures


def main():
    parser = argparse.ArgumentParser(description="Lua 5.4's test suite in plain Lua and in Trellis's sandbox.")
    parser.add_argument("testes", help="the suite's testes/ folder (lua/lua at tag v5.4.4)")
    parser.add_argument("--trellis", default=os.path.join(ROOT, ".build", "debug", "trellis"))
    parser.add_argument("--keep", help="a folder to keep the chunks and reports in")
    parser.add_argument("--only", action="append", help="one file of the suite (repeatable)")
    arguments = parser.parse_args()

    names = sorted(name for name in os.listdir(arguments.testes) if name.endswith(".lua") and name not in SKIPPED)
    if arguments.only:
        names = [name for name in names if name in arguments.only]
    expected = read_restrictions(os.path.join(HERE, "restrictions.txt"))
    work = arguments.keep or tempfile.mkdtemp(prefix="trellis-lua-testsuite-")
    os.makedirs(work, exist_ok=True)
    rules = os.path.join(work, "rules")

    kept_out = {}
    for round_number in range(1, 9):
        shutil.rmtree(rules, ignore_errors=True)
        os.makedirs(rules)
        chunks, groups = split_and_run_plain(arguments.testes, names, rules, kept_out)
        failures = run_sandboxed(arguments.trellis, rules, work)
        differences = {}
        for rule, (message, line) in failures.items():
            name, first, last = chunks[rule]
            differences[f"{name}:{first}"] = (message, line, last)
        new = {key for key in differences if int(key.split(":")[1]) not in kept_out.get(key.split(":")[0], set())}
        print(f"round {round_number}: {len(chunks)} chunks ran in plain Lua, {len(failures)} failed in the sandbox", file=sys.stderr)
        if not new:
            break
        for key in new:
            name, first = key.split(":")
            kept_out.setdefault(name, set()).add(int(first))

    same = len(chunks) - len(failures)
    print(f"{sum(groups.values())} groups in {len(names)} files; {len(chunks)} chunks run in plain Lua with the "
          f"sandbox's globals; {same} run the same in the sandbox; {len(differences)} differ.")
    unexpected = []
    for key in sorted(differences, key=lambda k: (k.split(":")[0], int(k.split(":")[1]))):
        message, line, last = differences[key]
        reason = expected.get(key)
        where = f" (line {line})" if line else ""
        status = f"restriction: {reason}" if reason else "NOT LISTED"
        print(f"  {key}-{last}{where}: {message.splitlines()[0][:200]}\n    {status}")
        if not reason:
            unexpected.append(key)
    stale = sorted(key for key in expected if key not in differences and key.split(":")[0] in names)
    for key in stale:
        print(f"  {key}: listed in restrictions.txt but runs the same now (or no longer runs in plain Lua)")
    if not arguments.keep:
        shutil.rmtree(work, ignore_errors=True)
    if unexpected or stale:
        print(f"{len(unexpected)} unlisted differences, {len(stale)} stale entries in restrictions.txt.")
        return 1
    print("Every difference is a listed restriction.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
