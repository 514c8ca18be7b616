import Foundation
import Testing
@testable import Trellis

/// The bundled rules against their tests in rules/tests (the default criteria of the contract,
/// section 3, and the rules from practice), as `trellis test rules --coverage` runs them.
@Suite(.serialized)
struct BundledRuleTests {
    static let rulesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "rules").path

    static func load() throws -> (pack: RulePack, cases: [RuleTestCase]) {
        let pack = try RulePack(directories: [rulesFolder])
        var cases: [RuleTestCase] = []
        for file in RuleTests.files(in: [rulesFolder]) { cases += try RuleTests.load(file: file) }
        return (pack, cases)
    }

    @Test func everyCasePassesAndEveryLineOfEveryBundledRuleRuns() throws {
        let (pack, cases) = try Self.load()
        #expect(cases.count >= 250)
        let recorder = CoverageRecorder()
        let results = RuleTests.run(cases, pack: pack, coverage: recorder)
        for result in results where !result.passed {
            Issue.record("\(result.testCase.location): \(result.testCase.name)\n\(result.failures.joined(separator: "\n"))")
        }
        let coverage = try recorder.report(for: pack)
        #expect(coverage.count == pack.sources.count)
        for file in coverage {
            #expect(file.linesNeverRun.isEmpty, "\(file.path): lines never run: \(file.neverRunDescription)")
            #expect(file.executableLines.count > 20)
        }
    }

    @Test func everyBundledRuleHasATestFile() throws {
        let (pack, _) = try Self.load()
        let testFiles = Set(RuleTests.files(in: [Self.rulesFolder]).map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent })
        for source in pack.sources {
            let name = URL(fileURLWithPath: source.path).deletingPathExtension().lastPathComponent
            #expect(testFiles.contains(name), "\(source.path) has no tests in rules/tests")
        }
    }

    /// weekly-focus keeps counts per skill, not every student: its evidence names a whole class,
    /// and over a larger roster the first 30 of each list, counting the rest.
    @Test func weeklyFocusNamesAtMostThirtyStudentsAndCountsTheRest() throws {
        // 40 students at `gestural` on one skill; the first 35 meet the criterion to fade.
        let students = (1...40).map { number in
            let correct = number <= 35 ? 9 : 3
            let sessions = (2...4).map { day in
                #"{"date": "2026-11-0\#(day)", "prompt_level": "gestural", "trials": 10, "correct": \#(correct)}"#
            }
            return #"{"id": "s\#(number)", "skills": [{"id": "hand-washing", "sessions": [\#(sessions.joined(separator: ", "))]}]}"#
        }
        let document = #"{"trellis": 1, "as_of": "2026-11-20", "students": [\#(students.joined(separator: ",\n"))]}"#
        let roster = try RosterReader.read(Array(document.utf8), sourceName: "forty.json")
        let report = try Engine(rulePack: RulePack(directories: [Self.rulesFolder])).evaluate(roster)
        let focus = try #require(report.classResult?.recommendations.first { $0.rule == "weekly-focus" })
        #expect(focus.reason == "hand-washing: 40 of 40 students still need prompts, no other skill has students who still need prompts; the data says 35 of them can fade one level now")
        guard case .object(let evidence) = try #require(focus.evidence) else { throw EvidenceShape() }
        let first30: JSONValue = .array((1...30).map { .string("s\($0)") })
        #expect(evidence["need_prompts"] == first30)
        #expect(evidence["levels"] == .array(Array(repeating: .string("gestural"), count: 30)))
        #expect(evidence["need_prompts_not_listed"]?.doubleValue == 10)
        #expect(evidence["can_fade"] == first30)
        #expect(evidence["can_fade_not_listed"]?.doubleValue == 5)
        #expect(evidence["students_with_prompt_level"]?.doubleValue == 40)
    }

    struct EvidenceShape: Error {}

    /// Changing any numeric default of a bundled rule, one step up or down, fails a test of that
    /// rule's own test file: the tests pin every threshold.
    @Test func changingAnyThresholdFailsATest() throws {
        let (pack, allCases) = try Self.load()
        let engine = try Engine(rulePack: pack)
        for rule in engine.rules {
            let cases = allCases.filter { URL(fileURLWithPath: $0.file).deletingPathExtension().lastPathComponent == rule.id }
            #expect(!cases.isEmpty, "\(rule.id) has no test file of its own")
            for parameter in rule.parameters {
                guard let value = parameter.defaultValue.doubleValue else { continue }
                for step in [-1.0, 1.0] {
                    let changed = value + step
                    if let minimum = parameter.minimum, changed < minimum { continue }
                    if let maximum = parameter.maximum, changed > maximum { continue }
                    let mutated: JSONValue = parameter.type == .integer ? .integer(Int64(changed)) : .number(changed)
                    let mutatedCases = cases.map { testCase -> RuleTestCase in
                        var copy = testCase
                        if copy.parameters[rule.id]?[parameter.name] == nil { copy.parameters[rule.id, default: [:]][parameter.name] = mutated }
                        return copy
                    }
                    let failed = RuleTests.run(mutatedCases, pack: pack).contains { !$0.passed }
                    #expect(failed, "\(rule.id).\(parameter.name) = \(mutated.jsonText) instead of \(parameter.defaultValue.jsonText) fails no test")
                }
            }
        }
    }
}
