import Foundation
import Testing
@testable import Trellis

/// The bundled rules against the default criteria of the contract (section 3), case by case.
///
/// Each case in `Fixtures/criteria/*.json` is a small class document, optional parameter
/// overrides, the recommendations expected (matched on the fields given) and those that must
/// be absent. Changing any default threshold of a bundled rule fails at least one case.
///
/// An expectation with `"scope": "class"` is matched against the class-level rules' output
/// (`report.classResult`): `student` and `students` compare with the recommendation's extra
/// `student` field and `students` list, `skills` with its `skills` list, `message` and
/// `message_contains` with its `message`; with `note_contains` it matches the class-level notes.
struct CriteriaTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let index: Int
        let name: String
        var testDescription: String { "\(file) #\(index): \(name)" }
    }

    static let folder = Bundle.module.resourceURL!.appending(path: "Fixtures/criteria")

    static let cases: [Case] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted().flatMap { file -> [Case] in
            let cases = (try? loadCases(file)) ?? []
            return cases.enumerated().map { Case(file: file, index: $0.offset, name: $0.element["name"] as? String ?? "?") }
        }
    }()

    static func loadCases(_ file: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: folder.appending(path: file))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(root["cases"] as? [[String: Any]])
    }

    @Test func everyCriteriaFileHasCases() throws {
        #expect(
            Set(Self.cases.map(\.file)) == [
                "choice-menu.json", "generalization.json", "goal-reflection.json", "ladders.json", "maintenance-probe.json",
                "prompt-dependence.json", "prompt-fading.json", "scaffold-stage.json", "self-assessment.json", "time-delay.json",
                "study-buddies.json", "weekly-focus.json", "independent-work.json",
            ])
        #expect(Self.cases.count >= 100)
    }

    @Test(arguments: CriteriaTests.cases)
    func bundledRulesDecideAsTheContractSays(_ testCase: Case) throws {
        let fixture = try Self.loadCases(testCase.file)[testCase.index]
        let documentData = try JSONSerialization.data(withJSONObject: try #require(fixture["document"]))
        let roster = try RosterReader.read(Array(documentData), sourceName: "case.json")
        var parameters: [String: [String: JSONValue]] = [:]
        for (rule, values) in fixture["params"] as? [String: [String: Any]] ?? [:] {
            for (name, value) in values { parameters[rule, default: [:]][name] = try jsonValue(value) }
        }
        let engine = try Engine(parameters: parameters)
        let report = engine.evaluate(roster)
        #expect(report.issues.isEmpty, "\(report.issues)")

        for expected in fixture["expect"] as? [[String: Any]] ?? [] {
            let matches = candidates(for: expected, in: report).filter { matchesAll(expected, $0) }
            #expect(matches.count == 1, "expected exactly one match for \(expected); got \(matches.count) among \(describe(report))")
        }
        for absent in fixture["absent"] as? [[String: Any]] ?? [] {
            let matches = candidates(for: absent, in: report).filter { matchesAll(absent, $0) }
            #expect(matches.isEmpty, "expected no match for \(absent); got \(matches)")
        }
    }

    /// Recommendations and notes flattened to comparable fields.
    private func candidates(for expectation: [String: Any], in report: EvaluationReport) -> [[String: Any]] {
        if expectation["scope"] as? String == "class" {
            return classCandidates(for: expectation, in: report)
        }
        if expectation["note_contains"] != nil {
            return report.results.flatMap { result in
                result.notes.map { note -> [String: Any] in
                    ["student": result.student, "skill": note.skill as Any, "rule": note.rule, "note": note.message]
                }
            }
        }
        return report.results.flatMap { result in
            result.recommendations.map { recommendation -> [String: Any] in
                var fields: [String: Any] = [
                    "student": result.student, "kind": recommendation.kind, "action": recommendation.action, "rule": recommendation.rule,
                    "priority": recommendation.priority, "reason": recommendation.reason,
                ]
                fields["skill"] = recommendation.skill
                fields["from"] = recommendation.from
                fields["to"] = recommendation.to
                fields["options"] = recommendation.options?.map(\.id)
                return fields
            }
        }
    }

    /// The class-level recommendations (or, for `note_contains`, notes) flattened to comparable
    /// fields, with the extra fields class-level rules use.
    private func classCandidates(for expectation: [String: Any], in report: EvaluationReport) -> [[String: Any]] {
        let result = report.classResult ?? ClassResult()
        if expectation["note_contains"] != nil {
            return result.notes.map { note -> [String: Any] in
                ["scope": "class", "skill": note.skill as Any, "rule": note.rule, "note": note.message]
            }
        }
        return result.recommendations.map { recommendation -> [String: Any] in
            var fields: [String: Any] = [
                "scope": "class", "kind": recommendation.kind, "action": recommendation.action, "rule": recommendation.rule,
                "priority": recommendation.priority, "reason": recommendation.reason,
            ]
            fields["skill"] = recommendation.skill
            fields["from"] = recommendation.from
            fields["to"] = recommendation.to
            fields["options"] = recommendation.options?.map(\.id)
            fields["student"] = recommendation.extra["student"]?.stringValue
            fields["message"] = recommendation.extra["message"]?.stringValue
            for key in ["students", "skills"] {
                if case .array(let items) = recommendation.extra[key] { fields[key] = items.map { $0.stringValue ?? "\($0)" } }
            }
            return fields
        }
    }

    private func matchesAll(_ expectation: [String: Any], _ candidate: [String: Any]) -> Bool {
        expectation.allSatisfy { key, expected in
            switch key {
            case "scope":
                return true
            case "message_contains":
                return (candidate["message"] as? String)?.contains(expected as? String ?? "\u{0}") ?? false
            case "students", "skills":
                if expected is NSNull { return candidate[key] == nil }
                return (candidate[key] as? [String]) == (expected as? [String])
            case "reason_contains":
                return (candidate["reason"] as? String)?.contains(expected as? String ?? "\u{0}") ?? false
            case "note_contains":
                return (candidate["note"] as? String)?.contains(expected as? String ?? "\u{0}") ?? false
            case "options":
                return (candidate["options"] as? [String]) == (expected as? [String])
            case "priority":
                return (candidate["priority"] as? Double) == (expected as? NSNumber)?.doubleValue
            default:
                if expected is NSNull { return candidate[key] == nil || candidate[key] is NSNull }
                return (candidate[key] as? String) == (expected as? String)
            }
        }
    }

    private func describe(_ report: EvaluationReport) -> String {
        let students = report.results.flatMap { result in
            result.recommendations.map { "\(result.student)/\($0.skill ?? "-")/\($0.kind)/\($0.action) \($0.from ?? "")->\($0.to ?? ""): \($0.reason)" }
        }
        let classLevel = (report.classResult?.recommendations ?? []).map { recommendation -> String in
            let extra = recommendation.extra.keys.sorted().map { "\($0)=\(recommendation.extra[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
            return "class/\(recommendation.skill ?? "-")/\(recommendation.kind)/\(recommendation.action) [\(extra)]: \(recommendation.reason)"
        }
        let classNotes = (report.classResult?.notes ?? []).map { "class note/\($0.rule)/\($0.skill ?? "-"): \($0.message)" }
        return (students + classLevel + classNotes).joined(separator: "\n")
    }

    private func jsonValue(_ value: Any) throws -> JSONValue {
        let data = try JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed)
        return try #require(JSONValue(parsing: String(decoding: data, as: UTF8.self)))
    }
}
