#!/usr/bin/env python3
"""The peer: a Trellis rule run over an NDJSON roster from Python with lupa (Lua 5.4).

What a competent user would write to do Trellis's job with the usual tools: stream the roster a
line at a time, json.loads each student, hand it to Lua with lupa's table_from(recursive=True),
call the rule's evaluate(student, ctx) in one LuaRuntime (no sandbox, no limits, no validation of
the input), and write one line per student in the shape of `trellis evaluate --format ndjson`:
{"student": ID, "recommendations": [...]}, each recommendation with the rule's id and priority
added. Memory stays flat: one student at a time.

    host.py [--phase] [-o OUT] RULE.lua HEADER.json ROSTER.ndjson|-

ctx holds the header's fields (as_of, ladders, catalog, class), ladders defaulted as the contract
says when the header has none, params = {} and rule = {id = ...}. --phase prints to standard error
the time spent reading lines, in json.loads, building Lua tables, in the rule and writing.
"""

import argparse
import json
import sys
import time

import lupa.lua54 as lupa

DEFAULT_LADDERS = {
    "prompt": ["full_physical", "partial_physical", "model", "gestural", "verbal", "independent"],
    "stage": ["modeled", "guided", "collaborative", "structured", "independent"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", action="store_true", help="print where the time goes")
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    parser.add_argument("rule")
    parser.add_argument("header")
    parser.add_argument("roster", help="NDJSON roster, or - for standard input")
    args = parser.parse_args()

    lua = lupa.LuaRuntime(register_eval=False, register_builtins=False)
    with open(args.rule, encoding="utf-8") as file:
        rule = lua.execute(file.read())
    if lupa.lua_type(rule) != "table" or lupa.lua_type(rule.evaluate) != "function":
        print(f"{args.rule}: the rule must return a table with evaluate", file=sys.stderr)
        return 2
    evaluate = rule.evaluate
    rule_id = rule.id
    priority = rule.priority or 0

    with open(args.header, "rb") as file:
        header = json.load(file)
    ladders = header.setdefault("ladders", {})
    for name, ladder in DEFAULT_LADDERS.items():
        ladders.setdefault(name, ladder)
    header["params"] = {}
    header["rule"] = {"id": rule_id}
    ctx = lua.table_from(header, recursive=True)

    lua_type = lupa.lua_type
    table_from = lua.table_from
    loads = json.loads
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def to_python(value):
        """A Lua value as JSON-shaped Python: 1..n tables as lists, others as dicts."""
        if lua_type(value) != "table":
            return value
        n = len(value)
        if n:
            return [to_python(value[i]) for i in range(1, n + 1)]
        return {key: to_python(item) for key, item in value.items() if type(key) is str}

    source = sys.stdin.buffer if args.roster == "-" else open(args.roster, "rb", buffering=1 << 20)
    sink = open(args.output, "w", encoding="utf-8", buffering=1 << 20) if args.output else sys.stdout
    clock = time.perf_counter
    t_read = t_parse = t_build = t_rule = t_write = 0.0
    students = recommendations = failures = 0
    phase = args.phase

    with source, sink:
        lines = iter(source)
        while True:
            if phase:
                t0 = clock()
            line = next(lines, None)
            if phase:
                t1 = clock(); t_read += t1 - t0; t0 = t1
            if line is None:
                break
            if not line.strip():
                continue
            student = loads(line)
            if phase:
                t1 = clock(); t_parse += t1 - t0; t0 = t1
            table = table_from(student, recursive=True)
            if phase:
                t1 = clock(); t_build += t1 - t0; t0 = t1
            results = []
            try:
                output = evaluate(table, ctx)
            except lupa.LuaError as error:
                print(f"{student.get('id')}: {rule_id}: {error}", file=sys.stderr)
                failures += 1
                output = None
            if output is not None:
                for item in output.values():
                    recommendation = to_python(item)
                    recommendation["rule"] = rule_id
                    recommendation["priority"] = priority
                    results.append(recommendation)
            if phase:
                t1 = clock(); t_rule += t1 - t0; t0 = t1
            sink.write(dumps({"student": student.get("id"), "recommendations": results}))
            sink.write("\n")
            students += 1
            recommendations += len(results)
            if phase:
                t_write += clock() - t0

    if phase:
        us = 1e6 / students if students else 0
        total = t_read + t_parse + t_build + t_rule + t_write
        print(f"phases ({students} students): read {t_read:.3f} s ({t_read * us:.1f} us), "
              f"json.loads {t_parse:.3f} s ({t_parse * us:.1f} us), "
              f"table_from {t_build:.3f} s ({t_build * us:.1f} us), "
              f"rule and results {t_rule:.3f} s ({t_rule * us:.1f} us), "
              f"write {t_write:.3f} s ({t_write * us:.1f} us), total {total:.3f} s", file=sys.stderr)
    print(f"{students} students, {recommendations} recommendations, {failures} failures", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
