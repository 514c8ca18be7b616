import Foundation
import Testing

/// The authoring commands end to end: new, check, test (with coverage), rules, explain, and a
/// configuration file.
@Suite(.serialized)
struct AuthoringCLITests {
    let cli = CLITests()

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "trellis-authoring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func newWritesARuleAndATestThatPassWithFullCoverage() throws {
        let root = try folder()
        let created = try cli.trellis(["new", "needs-data"], in: root)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appending(path: "rules/needs-data.lua").path))
        #expect(FileManager.default.fileExists(atPath: root.appending(path: "rules/tests/needs-data.yaml").path))
        let again = try cli.trellis(["new", "needs-data"], in: root)
        #expect(again.status == 2, "never overwrites")
        let badName = try cli.trellis(["new", "Needs Data"], in: root)
        #expect(badName.status == 64)
        let check = try cli.trellis(["check"], in: root)
        #expect(check.status == 0)
        #expect(check.stdout.contains("1 rule is fine: needs-data"))
        let test = try cli.trellis(["test", "--coverage"], in: root)
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("rules/needs-data.lua  100.0%"))
        #expect(test.stdout.hasSuffix("3 passed, 0 failed\n"))
    }

    @Test func aFailingRuleTestIsShownWithItsLineAndTheNearestResult() throws {
        let root = try folder()
        _ = try cli.trellis(["new", "needs-data"], in: root)
        let testFile = root.appending(path: "rules/tests/needs-data.yaml")
        var text = try String(contentsOf: testFile, encoding: .utf8)
        text = text.replacingOccurrences(of: #"reason_contains: "only 1 of 3""#, with: #"reason_contains: "only 2 of 3""#)
        try text.write(to: testFile, atomically: true, encoding: .utf8)
        let run = try cli.trellis(["test"], in: root)
        #expect(run.status == 1)
        #expect(run.stdout.contains("FAIL rules/tests/needs-data.yaml:6:5: asks for data when a skill has too few sessions"))
        #expect(run.stdout.contains(#"reason: "only 1 of 3 sessions recorded for hand-washing" does not contain "only 2 of 3""#))
        #expect(run.stdout.hasSuffix("2 passed, 1 failed\n"))
        let json = try cli.trellis(["test", "--format", "json"], in: root)
        let document = try cli.json(json.stdout)
        #expect(document["failed"] as? Int == 1)
        let only = try cli.trellis(["test", "--run", "stays quiet"], in: root)
        #expect(only.status == 0)
        #expect(only.stdout.hasSuffix("1 passed, 0 failed\n"))
        let none = try cli.trellis(["test", "--run", "no such case"], in: root)
        #expect(none.status == 1, "no test ran is a failure")
    }

    @Test func checkReportsEveryProblemOfABrokenPackAtOnce() throws {
        let root = try folder()
        let rules = root.appending(path: "rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try "return { id = 'a', evaluate = function( end }".write(to: rules.appending(path: "a.lua"), atomically: true, encoding: .utf8)
        try "return { id = 'b', priority = 'high', api = 2 }".write(to: rules.appending(path: "b.lua"), atomically: true, encoding: .utf8)
        try "return { id = 'b', evaluate = function() end }".write(to: rules.appending(path: "c.lua"), atomically: true, encoding: .utf8)
        try """
            return { id = 'd', evaluate = function() end,
              params = { percent = { default = 120, type = "number", min = 0, max = 100 } } }
            """.write(to: rules.appending(path: "d.lua"), atomically: true, encoding: .utf8)
        let run = try cli.trellis(["check"], in: root)
        #expect(run.status == 2)
        #expect(run.stdout.contains("rules/a.lua:1: <name> or '...' expected near 'end'"))
        #expect(run.stdout.contains("rules/b.lua:1: rule b: priority must be a number, got a string"))
        #expect(run.stdout.contains("rules/b.lua:1: rule b: rule API version 2 is not supported"))
        #expect(run.stdout.contains("rules/b.lua: rule b: the rule table needs evaluate = function(student, ctx) ... end"))
        #expect(run.stdout.contains("rules/d.lua:2: rule d: params.percent.default: 120 is above the maximum 100"))
        #expect(run.stderr.contains("5 problems found"))
    }

    @Test func rulesListsEveryBundledRuleWithItsParameters() throws {
        let run = try cli.trellis(["rules"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("prompt-fading  (priority 50, rules/prompt-fading.lua)"))
        #expect(run.stdout.contains("fade_percent: a number from 0 to 100, default 80"))
        let json = try cli.trellis(["rules", "--format", "json"])
        let rules = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let fading = try #require(rules.first { $0["id"] as? String == "prompt-fading" })
        #expect((fading["params"] as? [[String: Any]])?.contains { $0["name"] as? String == "fade_sessions" && $0["default"] as? Int == 3 } == true)
    }

    @Test func explainShowsTheClassLevelRecommendationsThatNameTheStudent() throws {
        let run = try cli.trellis(["explain", "--student", "s-101", CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\nFor the class, naming s-101:\n  -  support plan  (support)\n    why: Maya R. (s-101): moderate adult support"), "\(run.stdout)")
        let json = try cli.json(try cli.trellis(["explain", "--student", "s-102", "--format", "json", CLITests.exampleClass]).stdout)
        let named = try #require(json["class_recommendations"] as? [[String: Any]])
        #expect(named.contains { $0["rule"] as? String == "support" && ($0["reason"] as? String)?.contains("(s-102)") == true }, "\(named)")
        #expect(named.allSatisfy { ($0["reason"] as? String)?.contains("(s-101)") != true }, "only the recommendations naming s-102")
    }

    @Test func explainShowsEachRuleTheEvidenceAndTheConflicts() throws {
        let root = try folder()
        // A rule that overrides prompt-fading's decision for hand-washing, to show a conflict.
        try FileManager.default.createDirectory(at: root.appending(path: "extra"), withIntermediateDirectories: true)
        try """
            return { id = "override", priority = 70, evaluate = function(student)
              return { { skill = "hand-washing", kind = "prompt", action = "hold", from = "gestural", reason = "the team agreed to wait a week" } }
            end }
            """.write(to: root.appending(path: "extra/override.lua"), atomically: true, encoding: .utf8)
        // The folder's rule runs beside the bundled ones.
        let run = try cli.trellis(["explain", "--student", "s-101", "--rules", root.appending(path: "extra").path, CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("s-101, as of 2026-11-20\n"))
        #expect(run.stdout.contains("hand-washing  prompt fade  gestural -> verbal  [overridden by override (hold): priority 70 beats 50]"))
        #expect(run.stdout.contains("hand-washing  prompt hold  gestural  [chosen over prompt-fading (fade): priority 70 beats 50]"))
        // The evidence shows the mastery probability beside the sessions (it decides nothing).
        #expect(run.stdout.contains(#"evidence: {"level":"gestural","mastery_probability":1,"sessions":[{"correct":9,"date":"#))
        let json = try cli.json(try cli.trellis(["explain", "--student", "s-101", "--format", "json", CLITests.exampleClass]).stdout)
        #expect(json["student"] as? String == "s-101")
        let missing = try cli.trellis(["explain", "--student", "nobody", CLITests.exampleClass])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no student has the id nobody"))
    }

    @Test func aConfigurationChangesThresholdsTurnsRulesOffAndNamesItsLines() throws {
        let root = try folder()
        let config = root.appending(path: "school.yaml")
        try """
            rules:
              prompt-fading:
                params:
                  fade_percent: 95
              choice-menu: false
            """.write(to: config, atomically: true, encoding: .utf8)
        let run = try cli.trellis(["evaluate", "--format", "json", "--config", config.path, CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try cli.json(run.stdout)
        #expect(try cli.recommendation(document, student: "s-101", skill: "hand-washing", kind: "prompt")["action"] as? String == "hold")
        let results = try #require(document["results"] as? [[String: Any]])
        #expect(results.allSatisfy { ($0["recommendations"] as? [[String: Any]] ?? []).allSatisfy { $0["kind"] as? String != "choices" } })
        try """
            rules:
              prompt-fading:
                params:
                  fade_percent: 150
                  speed: 3
              no-such-rule: true
            """.write(to: config, atomically: true, encoding: .utf8)
        let bad = try cli.trellis(["evaluate", "--config", config.path, CLITests.exampleClass])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("school.yaml:4:21: rules.prompt-fading.params.fade_percent: 150 is above the maximum 100 (fade_percent: a number from 0 to 100, default 80"))
        #expect(bad.stderr.contains("school.yaml:5:14: rules.prompt-fading.params.speed: prompt-fading has no parameter speed"))
        #expect(bad.stderr.contains("school.yaml:6:17: rules.no-such-rule: no rule has this id"))
    }
}
