import Foundation
import Testing
@testable import Trellis

/// No student's data reaches another student's output, or another evaluation's (a server keeps
/// its Lua states from one request to the next): not through a reused `evaluate`, not through a
/// class-level rule that rewrites the students for the rules after it.
struct IsolationTests {
    static let exampleClass = CLITests.packageRoot.appending(path: "examples/class-3b.json")

    static func exampleRoster() throws -> Roster {
        try RosterReader.read(Array(Data(contentsOf: exampleClass)), sourceName: "class-3b.json")
    }

    static func engine(_ sources: [(String, String)], bundled: Bool = false) throws -> Engine {
        let own = sources.map { RuleSource(path: "rules/\($0.0).lua", source: $0.1) }
        // Own rules first: a rule that attacks the class runs before the bundled ones.
        return try Engine(rulePack: RulePack(sources: own + (bundled ? RulePack.bundled.sources : [])))
    }

    /// The issue's reproduction: a table key of a constant was not copied, so a reused evaluate
    /// wrote each student's name into it and the third student's reason named the first two.
    @Test("a constant cannot keep a table key, so a reused rule has nowhere to remember students")
    func constantRefusesTableKeys() throws {
        let source = """
            local box = {}
            local C = trellis.constant({ [box] = true })   -- keys are not copied
            return { id = "leak-key", api = 1, evaluate = function(student)
              for k in pairs(C) do local p = k.prev
                k.prev = (p and p .. "," or "") .. student.id .. "=" .. tostring(student.name)
                return {{ kind = "probe", action = "x", reason = "previous students: " .. tostring(p) }} end end }
            """
        #expect {
            _ = try Self.engine([("leak-key", source)])
        } throws: { error in
            let issues = (error as? TrellisError)?.issues ?? []
            return issues.contains {
                $0.location == "rules/leak-key.lua:2" && $0.message.contains("trellis.constant: the table has a key that is a table")
            }
        }
    }

    /// Every way a rule could keep something alive inside a constant, refused where it is written.
    @Test(
        "trellis.constant refuses what could change or remember, naming where it is",
        arguments: [
            ("{ [{}] = 1 }", "the table has a key that is a table"),
            ("{ f = function() end }", "the table.f is a function of the rule's own"),
            ("{ list = { 1, 2, { g = coroutine.wrap(function() end) } } }", "the table.list[3].g is a function of the rule's own"),
            ("{ t = coroutine.create(function() end) }", "the table.t is a thread"),
            ("{ [\"a b\"] = { [trellis.constant({})] = 1 } }", "the table[\"a b\"] has a key that is a table"),
        ])
    func constantRefusesStatefulValues(_ value: String, _ message: String) throws {
        let source = """
            return { id = "c", evaluate = function(student)
              local C = trellis.constant(\(value))
              return {{ kind = "k", action = "a", reason = "kept" }}
            end }
            """
        let result = try Self.engine([("c", source)]).evaluate(Student(id: "s"), context: ClassContext(asOf: "2026-11-20"))
        let issue = try #require(result.errors.first)
        #expect(issue.location == "rules/c.lua:2")
        #expect(issue.message.contains("trellis.constant: \(message)"), "\(issue.message)")
    }

    @Test("trellis.constant keeps values, nested tables, other constants and the engine's functions")
    func constantKeepsValues() throws {
        let source = """
            local INNER = trellis.constant({ 1, 2 })
            local C = trellis.constant({ n = 1, s = "x", b = false, list = { "a", { deep = true } }, inner = INNER,
              next_level = trellis.ladder.next, upper = string.upper, [3] = "three", [true] = "yes" })
            return { id = "c", evaluate = function(student)
              local ok = pcall(function() C.list[2].deep = false end)
              return {{ kind = "k", action = "a", reason = table.concat({ C.n, C.s, tostring(C.b), C.list[1], tostring(C.list[2].deep),
                tostring(C.inner == INNER), C.upper("u"), C[3], C[true], tostring(ok) }, " ") }}
            end }
            """
        let engine = try Self.engine([("c", source)])
        let result = engine.evaluate(Student(id: "s"), context: ClassContext(asOf: "2026-11-20"))
        #expect(result.errors == [])
        #expect(result.recommendations.first?.reason == "1 x false a true true U three yes false")
    }

    /// Lua's own test suite (nextvar.lua) yields inside a `__pairs` metamethod: the sandbox's
    /// `pairs` must allow it, as the base library's does.
    @Test("pairs runs a __pairs metamethod that yields, as Lua's does")
    func pairsMetamethodMayYield() throws {
        let source = """
            return { id = "p", evaluate = function(student)
              local t = setmetatable({ 10, 20, 30 }, { __pairs = function(t)
                local step = coroutine.yield()
                return function(t, i) if i > 1 then return i - step, t[i - step] end end, t, #t + 1
              end })
              local seen = {}
              local co = coroutine.wrap(function() for _, v in pairs(t) do seen[#seen + 1] = v end end)
              co()
              co(1)
              return {{ kind = "k", action = "a", reason = table.concat(seen, ",") }}
            end }
            """
        let result = try Self.engine([("p", source)]).evaluate(Student(id: "s"), context: ClassContext(asOf: "2026-11-20"))
        #expect(result.errors == [])
        #expect(result.recommendations.first?.reason == "30,20,10")
    }

    /// A class-level rule that goes looking for the real tables behind the class's students, and
    /// rewrites what it finds; the rule after it must see the class as it is.
    static let rewriter = """
        return { id = "rewriter", api = 1, evaluate = function() return nil end, evaluate_class = function(class, ctx)
          local iterators = { pairs({}), pairs(setmetatable({}, {})), next, (pairs(class.students[1])) }
          local found = 0
          local function attack(t)
            if type(t) ~= "table" then return end
            if pcall(function() t.id = "rewritten"; t.name = "Rewritten"; t.skills = {} end) then found = found + 1 end
          end
          for _, iterate in ipairs(iterators) do
            for _, student in ipairs(class.students) do
              local key, value = iterate(student)
              while key ~= nil do
                attack(value)
                if type(key) ~= "string" then attack(key); found = found + 1000 end
                key, value = iterate(student, key)
              end
              for _, skill in ipairs(student.skills) do
                for _, value in iterate, skill do attack(value) end
              end
            end
          end
          return {{ kind = "probe", action = "report", reason = "writable tables found: " .. found }}
        end }
        """

    /// Reads every student of the class (id, name, skills and their levels) as the rule after the
    /// rewriter sees it.
    static let reader = """
        return { id = "reader", api = 1, evaluate = function() return nil end, evaluate_class = function(class, ctx)
          local parts = {}
          for _, student in ipairs(class.students) do
            local skills = {}
            for _, skill in ipairs(student.skills) do
              skills[#skills + 1] = skill.id .. ":" .. #skill.sessions .. ":" .. tostring(trellis.sessions.current_level(skill, "prompt_level"))
            end
            parts[#parts + 1] = student.id .. "=" .. tostring(student.name) .. "[" .. table.concat(skills, ",") .. "]"
          end
          return {{ kind = "reader", action = "report", reason = table.concat(parts, " ") }}
        end }
        """

    @Test("a class-level rule finds no writable student table, by pairs({}), next or any iterator")
    func classLevelRuleCannotRewriteStudents() throws {
        let roster = try Self.exampleRoster()
        let alone = try Self.engine([("reader", Self.reader)]).evaluate(roster)
        let attacked = try Self.engine([("rewriter", Self.rewriter), ("reader", Self.reader)]).evaluate(roster)
        let aloneClass = try #require(alone.classResult)
        let attackedClass = try #require(attacked.classResult)
        #expect(attackedClass.errors == [])
        #expect(attackedClass.recommendations.first { $0.rule == "rewriter" }?.reason == "writable tables found: 0")
        let before = aloneClass.recommendations.first { $0.rule == "reader" }?.reason
        #expect(before?.contains("s-101=") == true)
        #expect(attackedClass.recommendations.first { $0.rule == "reader" }?.reason == before)
    }

    @Test("with a rewriting class-level rule beside the bundled pack, every bundled result is unchanged")
    func bundledPackUnchangedBesideRewriter() throws {
        let roster = try Self.exampleRoster()
        let bundled = try Self.engine([], bundled: true).evaluate(roster)
        let attacked = try Self.engine([("rewriter", Self.rewriter)], bundled: true).evaluate(roster)
        #expect(attacked.results == bundled.results)
        let classBefore = try #require(bundled.classResult)
        let classAfter = try #require(attacked.classResult)
        #expect(classAfter.recommendations.filter { $0.rule != "rewriter" } == classBefore.recommendations)
        #expect(classBefore.recommendations.contains { $0.rule == "weekly-focus" })
        #expect(classBefore.recommendations.contains { $0.rule == "study-buddies" })
    }

    /// Rules that try every place left to remember a student, and say what they found there.
    static let rememberers: [(String, String)] = [
        ("upvalue-table", """
            local seen = {}
            return { id = "upvalue-table", evaluate = function(student)
              local before = table.concat(seen, ",")
              seen[#seen + 1] = student.id .. "/" .. tostring(student.name)
              return {{ kind = "upvalue-table", action = "x", reason = "before: " .. before }}
            end }
            """),
        ("upvalue-string", """
            local names = ""
            return { id = "upvalue-string", evaluate = function(student)
              local before = names
              names = names .. "," .. student.id .. "/" .. tostring(student.name)
              return {{ kind = "upvalue-string", action = "x", reason = "before: " .. before }}
            end }
            """),
        ("global", """
            return { id = "global", evaluate = function(student)
              local before = remembered or ""
              remembered = before .. "," .. student.id .. "/" .. tostring(student.name)
              return {{ kind = "global", action = "x", reason = "before: " .. before }}
            end }
            """),
        ("kept-proxy", """
            local kept
            return { id = "kept-proxy", evaluate = function(student)
              local before = kept and (kept.id .. "/" .. tostring(kept.name)) or ""
              kept = student
              return {{ kind = "kept-proxy", action = "x", reason = "before: " .. before }}
            end }
            """),
        ("kept-copy", """
            local kept
            return { id = "kept-copy", evaluate = function(student)
              local before = kept and (kept.id .. "/" .. tostring(kept.name)) or ""
              kept = trellis.constant(student)
              return {{ kind = "kept-copy", action = "x", reason = "before: " .. before }}
            end }
            """),
        // The constant holes, each tried under pcall so that the rule still loads once they are closed.
        ("constant-key", """
            local box = {}
            local ok, C = pcall(trellis.constant, { [box] = true })
            if not ok then C = trellis.constant({}) end
            return { id = "constant-key", evaluate = function(student)
              local before = ""
              for key in pairs(C) do
                before = key.names or ""
                key.names = before .. "," .. student.id .. "/" .. tostring(student.name)
              end
              return {{ kind = "constant-key", action = "x", reason = "before: " .. before }}
            end }
            """),
        ("constant-closure", """
            local names = ""
            local function remember(name) local before = names; names = names .. "," .. name; return before end
            local ok, C = pcall(trellis.constant, { remember = remember })
            if not ok then C = trellis.constant({}) end
            return { id = "constant-closure", evaluate = function(student)
              local before = C.remember and C.remember(student.id .. "/" .. tostring(student.name)) or ""
              return {{ kind = "constant-closure", action = "x", reason = "before: " .. before }}
            end }
            """),
        ("constant-wrap", """
            local step = coroutine.wrap(function(name) local all = "" while true do local before = all; all = all .. "," .. name; name = coroutine.yield(before) end end)
            local ok, C = pcall(trellis.constant, { step = step })
            if not ok then C = trellis.constant({ step = string.lower }) end
            return { id = "constant-wrap", evaluate = function(student)
              local before = C.step(student.id .. "/" .. tostring(student.name))
              if C.step == string.lower then before = "" end
              return {{ kind = "constant-wrap", action = "x", reason = "before: " .. before }}
            end }
            """),
        ("coroutine", """
            local co = coroutine.wrap(function(name) local all = "" while true do all = all .. "," .. name; name = coroutine.yield(all) end end)
            return { id = "coroutine", evaluate = function(student)
              return {{ kind = "coroutine", action = "x", reason = "before: " .. co(student.id .. "/" .. tostring(student.name)) }}
            end }
            """),
    ]

    /// A server keeps its engine, and so its Lua states, from one request to the next.
    @Test("one engine, two classes in a row: nothing of the first reaches the second's output")
    func nothingCrossesEvaluations() throws {
        let engine = try Self.engine(Self.rememberers)
        let first = ClassDocument(
            context: ClassContext(asOf: "2026-11-20"),
            students: [Student(id: "a-1", name: "Avery Secret"), Student(id: "a-2", name: "Blake Secret")])
        let second = ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: [Student(id: "b-1", name: "Casey"), Student(id: "b-2", name: "Drew")])
        for jobs in [1, 2] {
            _ = engine.evaluate(first, jobs: jobs)
            let report = engine.evaluate(second, jobs: jobs)
            let text = "\(report.results) \(String(describing: report.classResult))"
            #expect(!text.contains("Secret") && !text.contains("a-1") && !text.contains("a-2"), "\(text)")
            for result in report.results {
                #expect(result.errors == [])
                // Every rule starts each student from scratch: nothing before it, not even b-1.
                #expect(result.recommendations.count == Self.rememberers.count)
                for recommendation in result.recommendations where recommendation.rule != "coroutine" {
                    #expect(recommendation.reason == "before: ", "\(recommendation.rule): \(recommendation.reason)")
                }
                let coroutine = result.recommendations.first { $0.rule == "coroutine" }
                #expect(coroutine?.reason == "before: ,\(result.student)/\(result.student == "b-1" ? "Casey" : "Drew")")
            }
        }
    }
}
