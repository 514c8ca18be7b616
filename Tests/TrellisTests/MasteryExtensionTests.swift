import Foundation
import Testing
@testable import Trellis

/// A skill's `mastery` extension (docs/formats.md, "Mastery"): checked on input like every other
/// field, a bad one costs only its skill, and a good one reaches rules as `skill.mastery`.
struct MasteryExtensionTests {
    /// `hand-washing` earns a fade (3 sessions at gestural, 90%); `fractions` carries the mastery
    /// under test.
    static func document(mastery: String) -> String {
        """
        {"as_of": "2026-11-20", "students": [
        {"id": "s-1", "skills": [
          {"id": "hand-washing", "prompt_level": "gestural", "sessions": [
            {"date": "2026-11-13", "prompt_level": "gestural", "trials": 10, "correct": 9},
            {"date": "2026-11-16", "prompt_level": "gestural", "trials": 10, "correct": 9},
            {"date": "2026-11-17", "prompt_level": "gestural", "trials": 10, "correct": 10}]},
          {"id": "fractions", "mastery": \(mastery)}]}]}
        """
    }

    /// A rule that says what it reads in each skill's `mastery`.
    static let reader = RuleSource(path: "rules/mastery-reader.lua", source: """
        return {
          id = "mastery-reader",
          evaluate = function(student)
            local out = {}
            for _, skill in ipairs(student.skills) do
              local m = skill.mastery
              if m then
                out[#out + 1] = { skill = skill.id, kind = "mastery", action = m.level,
                  reason = string.format("%s on %s from %s, %s points (%s)", m.level, m.date, m.source, tostring(m.points), math.type(m.points)) }
              end
            end
            return out
          end,
        }
        """)

    static func evaluate(_ text: String, rules: RulePack? = nil) throws -> StudentResult? {
        let roster = try RosterReader.read(Array(text.utf8), sourceName: "class.json")
        let engine = try rules.map { try Engine(rulePack: $0) } ?? Engine()
        if case .evaluated(let result)? = engine.evaluate(roster).outcomes.first { return result }
        return nil
    }

    @Test func aGoodMasteryReachesRulesUnchanged() throws {
        let text = Self.document(mastery: #"{"level": "proficient", "date": "2026-11-12", "source": "khan", "points": 80, "unit": "Fractions"}"#)
        let roster = try RosterReader.read(Array(text.utf8), sourceName: "class.json")
        guard case .student(let student)? = roster.entries.first else {
            Issue.record("the student was not read: \(roster.entries)")
            return
        }
        #expect(student.skills[1].extra["mastery"] == .object([
            "level": .string("proficient"), "date": .string("2026-11-12"), "source": .string("khan"), "points": .integer(80), "unit": .string("Fractions"),
        ]))
        let result = try #require(try Self.evaluate(text, rules: RulePack(sources: [Self.reader])))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.recommendations.map(\.reason) == ["proficient on 2026-11-12 from khan, 80 points (integer)"])
        // Written back as it was read.
        let written = DocumentJSON.student(student)
        #expect(written.contains(#""mastery":{"date":"2026-11-12","level":"proficient","points":80,"source":"khan","unit":"Fractions"}"#), "\(written)")
    }

    @Test(arguments: [
        (#"{"level": "Mastered", "date": "2026-11-12"}"#, "skills[1].mastery.level", "7:44",
         #"expected one of not_started, attempted, familiar, proficient, mastered, got "Mastered""#),
        (#"{"level": "mastered", "date": "11/12/2026"}"#, "skills[1].mastery.date", "7:64", #"expected a date (YYYY-MM-DD), got "11/12/2026""#),
        (#"{"date": "2026-11-12"}"#, "skills[1].mastery", "7:34", "required field 'level' is missing"),
        (#"{"level": "familiar"}"#, "skills[1].mastery", "7:34", "required field 'date' is missing"),
        (#"{"level": null, "date": "2026-11-12"}"#, "skills[1].mastery.level", "7:44", "must not be null"),
        (#"{"level": "familiar", "date": "2026-11-12", "percent": 140}"#, "skills[1].mastery.percent", "7:89", "expected a percentage from 0 to 100, got 140"),
        (#"{"level": "familiar", "date": "2026-11-12", "points": -5}"#, "skills[1].mastery.points", "7:88", "must not be negative, got -5"),
        (#""proficient""#, "skills[1].mastery", "7:34", #"expected an object, got "proficient""#),
    ])
    func aBadMasteryLeavesOnlyItsSkillUndecided(mastery: String, path: String, place: String, message: String) throws {
        let result = try #require(try Self.evaluate(Self.document(mastery: mastery)), "the student was skipped; only fractions should be undecided")
        // The other skill is decided.
        #expect(result.recommendations.contains { $0.skill == "hand-washing" && $0.kind == "prompt" && $0.action == "fade" })
        let undecided = result.errors.filter { $0.kind == .undecidedSkill }
        #expect(undecided.map(\.skill) == ["fractions"])
        #expect(undecided.first?.path == "students[0] (s-1).\(path)")
        #expect(undecided.first?.location == "class.json:\(place)")
        #expect(undecided.first?.message == "fractions is not decided: \(message)")
    }

    @Test func nullMasteryIsNoMastery() throws {
        let result = try #require(try Self.evaluate(Self.document(mastery: "null"), rules: RulePack(sources: [Self.reader])))
        #expect(result.errors.isEmpty)
        #expect(result.recommendations.isEmpty)
    }
}
