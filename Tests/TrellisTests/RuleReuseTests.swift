import Testing
@testable import Trellis

/// A rule file runs afresh for each student unless its state provably cannot change; either way,
/// every student's call starts from the state a fresh run gives.
struct RuleReuseTests {
    static let students = (1...6).map { Student(id: "s-\($0)") }

    /// Runs `source` (as rules/r.lua) for every student on one runner; the reasons in order, and
    /// how many times the file ran afresh.
    func run(_ source: String) throws -> (reasons: [String], freshRuns: Int) {
        let runner = try RuleRunner(pack: RulePack(sources: [RuleSource(path: "rules/r.lua", source: source)]), limits: RuleLimits())
        runner.prepare(context: ClassContext(asOf: "2026-11-20"), parameterValues: [:])
        var reasons: [String] = []
        for student in Self.students {
            let outcomes = runner.evaluate(student)
            #expect(outcomes.errors.isEmpty, "\(outcomes.errors)")
            reasons.append(outcomes.recommendations.first?.reason ?? "none")
        }
        return (reasons, runner.freshRuleRuns)
    }

    func rule(prelude: String, body: String) -> String {
        """
        \(prelude)
        return { id = "r", evaluate = function(student)
          \(body)
        end }
        """
    }

    @Test("a rule whose file-level locals are numbers, strings, functions and constants runs its file once")
    func statelessRuleIsReused() throws {
        let source = rule(
            prelude: """
                local LIMIT, WORD = 3, "x"
                local LEVELS = trellis.constant({ a = { 1, 2 } })
                local fmt = trellis.format
                local function describe(id) return id .. WORD .. LIMIT .. #LEVELS.a end
                """,
            body: #"return { { kind = "k", action = "a", reason = describe(student.id) .. fmt.number(2) } }"#)
        let result = try run(source)
        #expect(result.reasons == Self.students.map { "\($0.id)x322" })
        #expect(result.freshRuns == 1)
    }

    @Test("a file-level number changed for one student is fresh again for the next")
    func changedUpvalueIsNotReused() throws {
        let source = rule(
            prelude: "local count = 0",
            body: """
                local before = count
                if student.id == "s-2" or student.id == "s-4" then count = count + 1 end
                return { { kind = "k", action = "a", reason = tostring(before) } }
                """)
        let result = try run(source)
        #expect(result.reasons == Array(repeating: "0", count: 6))
        // s-1 runs the file, s-2 reuses it and changes count, s-3 runs afresh, s-4 reuses and changes it, s-5 afresh.
        #expect(result.freshRuns == 3)
    }

    @Test("a global set for one student is not seen by the next")
    func globalIsNotReused() throws {
        let source = rule(
            prelude: "",
            body: """
                local seen = tostring(leaked)
                if student.id == "s-3" then leaked = student.id end
                return { { kind = "k", action = "a", reason = seen } }
                """)
        let result = try run(source)
        #expect(result.reasons == Array(repeating: "nil", count: 6))
        #expect(result.freshRuns == 2)
    }

    @Test("a file-level table, a coroutine or a C closure with state keeps the rule running afresh",
          arguments: [
            ("local seen = {}", "seen[#seen + 1] = student.id\nreturn { { kind = \"k\", action = \"a\", reason = tostring(#seen) } }", "1"),
            ("local next_id = coroutine.wrap(function() local i = 0 while true do i = i + 1 coroutine.yield(i) end end)",
             "return { { kind = \"k\", action = \"a\", reason = tostring(next_id()) } }", "1"),
            ("local co = coroutine.create(function() end)", "return { { kind = \"k\", action = \"a\", reason = coroutine.status(co) } }", "suspended"),
          ])
    func statefulValuesAreNeverReused(_ setup: (prelude: String, body: String, expected: String)) throws {
        let result = try run(rule(prelude: setup.prelude, body: setup.body))
        #expect(result.reasons == Array(repeating: setup.expected, count: 6))
        #expect(result.freshRuns == 6)
    }

    @Test("a rule that fails for one student runs afresh for the next")
    func errorIsNotReused() throws {
        let runner = try RuleRunner(
            pack: RulePack(sources: [RuleSource(path: "rules/r.lua", source: rule(prelude: "local n = 1", body: """
                if student.id == "s-2" then n = 2; error("boom") end
                return { { kind = "k", action = "a", reason = tostring(n) } }
                """))]),
            limits: RuleLimits())
        runner.prepare(context: ClassContext(asOf: "2026-11-20"), parameterValues: [:])
        var reasons: [String] = []
        for student in Self.students {
            let outcomes = runner.evaluate(student)
            reasons.append(outcomes.recommendations.first?.reason ?? outcomes.errors.first?.message ?? "none")
        }
        #expect(reasons[0] == "1")
        #expect(reasons[1].contains("boom"))
        #expect(Array(reasons[2...]) == ["1", "1", "1", "1"])
        #expect(runner.freshRuleRuns == 2)
    }

    @Test("trellis.constant tables are read-only, deep, and read like the table they copy")
    func constantsAreReadOnly() throws {
        let source = rule(
            prelude: "local C = trellis.constant({ list = { 10, 20, 30 }, name = \"n\" })",
            body: """
                local ok, message = pcall(function() C.list[1] = 0 end)
                local total = 0
                for _, v in ipairs(C.list) do total = total + v end
                local keys = {}
                for k in pairs(C) do keys[#keys + 1] = k end
                table.sort(keys)
                return { { kind = "k", action = "a", reason = table.concat({ tostring(ok), tostring(message):match("read%-only") or "?",
                  total, #C.list, table.concat(keys, "+"), C.name }, " ") } }
                """)
        let result = try run(source)
        #expect(result.reasons == Array(repeating: "false read-only 60 3 list+name n", count: 6))
        #expect(result.freshRuns == 1)
    }
}
