import Foundation
import Testing
@testable import Trellis

/// Input that once crashed the engine or slipped past validation.
struct InputHardeningTests {
    func read(_ text: String, name: String = "class.json") throws -> Roster {
        try RosterReader.read(Array(text.utf8), sourceName: name)
    }

    @Test func aFieldNestedDeeperThan32LevelsIsRejectedNotPushed() throws {
        let deep = String(repeating: "[", count: 60) + "1" + String(repeating: "]", count: 60)
        let roster = try read(#"{"students": [{"id": "ok"}, {"id": "s2", "deep": \#(deep)}]}"#)
        guard case .invalid(let id, let issues) = roster.entries[1] else {
            Issue.record("the deep student was accepted")
            return
        }
        #expect(id == "s2")
        #expect(issues.map(\.message) == ["nested more than 32 levels deep"])
        #expect(issues.map(\.path) == ["students[1] (s2).deep"])
        // 32 levels are fine, and reach the rules.
        let fine = String(repeating: "[", count: 32) + "1" + String(repeating: "]", count: 32)
        let accepted = try read(#"{"students": [{"id": "s3", "deep": \#(fine)}]}"#)
        guard case .student(let student) = accepted.entries[0] else {
            Issue.record("32 levels were refused")
            return
        }
        let report = try Engine().evaluate(accepted)
        #expect(report.issues.isEmpty)
        #expect(student.extra["deep"]?.depth == 32)
    }

    @Test func aKeyWithANulByteCannotOverwriteAValidatedField() throws {
        let roster = try read(#"{"students": [{"id": "s1", "id\u0000": "s-999", "skills\u0000x": "oops", "skills": [{"id": "k", "prompt_level": "verbal"}]}]}"#)
        let probe = RuleSource(
            path: "rules/probe.lua",
            source: #"return { id = "probe", evaluate = function(student) return { { kind = "probe", action = "report", reason = student.id .. " " .. type(student.skills) .. " " .. #student.skills } } end }"#)
        let report = try Engine(rulePack: RulePack(sources: [probe])).evaluate(roster)
        #expect(report.results.first?.recommendations.map(\.reason) == ["s1 table 1"])
    }

    @Test func skippedTopLevelValuesAreCheckedLikeReadOnes() throws {
        for bad in [#""\q""#, #""\uZZZZ""#, #""\uD800""#, "\"\u{01}\""] {
            #expect(throws: TrellisError.self, "\(bad) in an unknown top-level field") {
                _ = try read(#"{"x": \#(bad), "students": [{"id": "s1"}]}"#)
            }
        }
        var bytes = Array(#"{"x": "ab"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"", "students": [{"id": "s1"}]}"#.utf8)
        #expect(throws: TrellisError.self, "invalid UTF-8 in a skipped string") {
            _ = try RosterReader.read(bytes, sourceName: "class.json")
        }
        #expect(try read(#"{"x": "caf\u00e9 \ud83d\ude00 ok", "students": [{"id": "s1"}]}"#).entries.count == 1)
    }
}
