import Foundation
import Testing
@testable import Trellis

/// `ctx.log(...)`: what a rule author prints while writing a rule, shown by `trellis test` and
/// `trellis explain`, never by a report.
@Suite(.serialized)
struct CtxLogTests {
    let cli = CLITests()

    static let rule = """
        return {
          id = "chatty",
          evaluate = function(student, ctx)
            ctx.log("looking at", student.id, #student.skills, true, nil)
            if student.id == "s-102" then error("gave up") end
            return { { skill = student.skills[1].id, kind = "note", action = "chat", reason = "chatted" } }
          end,
        }
        """

    static let document = """
        {"trellis": 1, "as_of": "2026-11-20", "students": [
          {"id": "s-101", "skills": [{"id": "k", "sessions": []}]},
          {"id": "s-102", "skills": [{"id": "k", "sessions": []}]}]}
        """

    func roster() throws -> Roster {
        try RosterReader.read(Array(Self.document.utf8), sourceName: "class.json")
    }

    @Test func anEngineWithALogKeepsEachMessageWithItsRuleAndStudent() throws {
        let log = RuleLog()
        let engine = try Engine(rulePack: RulePack(sources: [RuleSource(path: "chatty.lua", source: Self.rule)]), log: log)
        let report = engine.evaluate(try roster())
        #expect(report.results.count == 2)
        // Kept before the rule failed too.
        #expect(log.take() == [
            RuleLog.Message(rule: "chatty", student: "s-101", text: "looking at s-101 1 true nil"),
            RuleLog.Message(rule: "chatty", student: "s-102", text: "looking at s-102 1 true nil"),
        ])
        #expect(log.take().isEmpty, "taken once")
    }

    @Test func withoutALogCtxLogDoesNothingAndTheReportIsTheSame() throws {
        let engine = try Engine(rulePack: RulePack(sources: [RuleSource(path: "chatty.lua", source: Self.rule)]))
        let report = engine.evaluate(try roster())
        #expect(report.results.first?.recommendations.map(\.action) == ["chat"])
        #expect(report.results.first?.errors.isEmpty == true)
        #expect(report.results.last?.errors.map(\.message).first?.contains("gave up") == true)
    }

    /// ctx.log turns its arguments into text with `__tostring`, rule code run from inside a C
    /// function: a `__tostring` that never returns, one that logs itself again, and one that
    /// makes each argument 8 MB are stopped by the limits like any rule code, and the next
    /// student's log is its own.
    @Test func tostringInsideCtxLogIsRuleCodeUnderTheLimits() throws {
        let rule = """
            return { id = "hostile-log", evaluate = function(student, ctx)
              local mt = {}
              if student.id == "s-101" then
                mt.__tostring = function() while true do end end
              elseif student.id == "s-102" then
                mt.__tostring = function(self) ctx.log(self); return "again" end
              else
                mt.__tostring = function() return string.rep("y", 8 * 1024 * 1024) end
              end
              local value = setmetatable({}, mt)
              ctx.log("before", student.id)
              ctx.log(value, value, value, value)
              return {}
            end }
            """
        let log = RuleLog()
        let engine = try Engine(rulePack: RulePack(sources: [RuleSource(path: "hostile-log.lua", source: rule)]), log: log)
        let document = """
            {"trellis": 1, "as_of": "2026-11-20", "students": [{"id": "s-101"}, {"id": "s-102"}, {"id": "s-103"}, {"id": "s-104"}]}
            """
        let report = engine.evaluate(try RosterReader.read(Array(document.utf8), sourceName: "class.json"))
        let errors = report.results.map { $0.errors.map(\.message).joined() }
        #expect(errors[0].contains("ran more than") || errors[0].contains("ran longer than"), "\(errors[0])")
        #expect(errors[1].contains("stack overflow") || errors[1].contains("ran more than"), "\(errors[1])")
        #expect(errors[2].contains("used more than"), "\(errors[2])")
        // Every student's evaluation started afresh: each logged its own "before", nothing more.
        let messages = log.take()
        #expect(messages.filter { $0.text.hasPrefix("before") }.map(\.student) == ["s-101", "s-102", "s-103", "s-104"])
        #expect(messages.allSatisfy { $0.text.utf8.count <= 2_003 })
        #expect(messages.filter { $0.student == "s-102" }.count <= 101)
    }

    @Test func aRuleKeepsAtMost100MessagesEachCutTo2000Bytes() throws {
        let rule = """
            return { id = "flood", evaluate = function(student, ctx)
              ctx.log(string.rep("x", 5000))
              for i = 1, 300 do ctx.log(i) end
              return {}
            end }
            """
        let log = RuleLog()
        let engine = try Engine(rulePack: RulePack(sources: [RuleSource(path: "flood.lua", source: rule)]), log: log)
        _ = engine.evaluate(try roster())
        let messages = log.take().filter { $0.student == "s-101" }.map(\.text)
        #expect(messages.count == 101)
        #expect(messages.first == String(repeating: "x", count: 2000) + "...")
        #expect(messages[99] == "99")
        #expect(messages.last == "(more ctx.log messages left out: a rule keeps at most 100 a call)")
    }

    @Test func testShowsTheMessagesOfFailingCasesAndExplainShowsThemEvaluateNever() throws {
        let folder = try cli.temporaryFolder()
        try Self.rule.write(to: folder.appending(path: "chatty.lua"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appending(path: "tests"), withIntermediateDirectories: true)
        try """
            cases:
              - name: chats
                document: { trellis: 1, as_of: "2026-11-20", students: [ { id: s1, skills: [ { id: k, sessions: [] } ] } ] }
                expect:
                  - { student: s1, skill: k, kind: note, action: chat }
              - name: expects too much
                document: { trellis: 1, as_of: "2026-11-20", students: [ { id: s2, skills: [ { id: k, sessions: [] } ] } ] }
                expect:
                  - { student: s2, skill: k, kind: note, action: shout }
            """.write(to: folder.appending(path: "tests/chatty.yaml"), atomically: true, encoding: .utf8)
        let run = try cli.trellis(["test", "--no-bundled", folder.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("  log (chatty, s2): looking at s2 1 true nil\n"), "\(run.stdout)")
        #expect(!run.stdout.contains("looking at s1"), "a passing case's messages only with --verbose")
        let verbose = try cli.trellis(["test", "--no-bundled", "--verbose", folder.path])
        #expect(verbose.stdout.contains("  log (chatty, s1): looking at s1 1 true nil\n"), "\(verbose.stdout)")
        let json = try cli.json(try cli.trellis(["test", "--no-bundled", "--format", "json", folder.path]).stdout)
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect((cases.first?["logs"] as? [[String: Any]])?.first?["message"] as? String == "looking at s1 1 true nil")

        let input = folder.appending(path: "class.json")
        try Self.document.write(to: input, atomically: true, encoding: .utf8)
        let explain = try cli.trellis(["explain", "--no-bundled", "--rules", folder.path, "--student", "s-102", input.path])
        #expect(explain.stdout.contains("  log: looking at s-102 1 true nil\n"), "\(explain.stdout)")
        let explainJSON = try cli.json(try cli.trellis(["explain", "--no-bundled", "--rules", folder.path, "--student", "s-101", "--format", "json", input.path]).stdout)
        #expect(((explainJSON["rules"] as? [[String: Any]])?.first?["logs"] as? [String]) == ["looking at s-101 1 true nil"])

        for format in ["json", "ndjson", "csv", "table"] {
            let evaluate = try cli.trellis(["evaluate", "--no-bundled", "--rules", folder.path, "--format", format, input.path])
            #expect(evaluate.status == 1, "s-102's rule failed")
            #expect(!(evaluate.stdout + evaluate.stderr).contains("looking at"), "\(format)")
        }
    }
}
