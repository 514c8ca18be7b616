import Foundation
import Testing
@testable import Trellis

/// "Bad data costs the least it can, and nothing is decided on a hole": a bad session, work item
/// or self-assessment leaves only its skill undecided (an error naming the place and the field),
/// the student's other skills are decided; a bad student-level field still skips the student.
struct UndecidedSkillTests {
    /// Two skills: `hand-washing` earns a fade (3 sessions at gestural, 90%); `zipping` has a
    /// session dated the US way in the middle of its history.
    static let student = """
        {"id": "s-1", "skills": [
          {"id": "hand-washing", "prompt_level": "gestural", "sessions": [
            {"date": "2026-11-13", "prompt_level": "gestural", "trials": 10, "correct": 9},
            {"date": "2026-11-16", "prompt_level": "gestural", "trials": 10, "correct": 9},
            {"date": "2026-11-17", "prompt_level": "gestural", "trials": 10, "correct": 10}]},
          {"id": "zipping", "prompt_level": "model", "sessions": [
            {"date": "2026-11-13", "prompt_level": "model", "trials": 10, "correct": 9},
            {"date": "11/16/2026", "prompt_level": "model", "trials": 10, "correct": 2},
            {"date": "2026-11-17", "prompt_level": "model", "trials": 10, "correct": 9}]}]}
        """
    static let compact = student.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    static let context = ClassContext(asOf: "2026-11-20")

    static func result(_ outcome: StudentOutcome?) -> StudentResult? {
        if case .evaluated(let result) = outcome { result } else { nil }
    }

    /// Checks the outcome of `s-1`: hand-washing decided, zipping not, with the error.
    static func expectOneSkillUndecided(_ result: StudentResult?, location: String, path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let result else {
            Issue.record("s-1 was skipped; only zipping should be undecided", sourceLocation: sourceLocation)
            return
        }
        #expect(result.recommendations.contains { $0.skill == "hand-washing" && $0.kind == "prompt" && $0.action == "fade" }, sourceLocation: sourceLocation)
        #expect(!result.recommendations.contains { $0.skill == "zipping" }, "\(result.recommendations)", sourceLocation: sourceLocation)
        #expect(!result.notes.contains { $0.skill == "zipping" }, sourceLocation: sourceLocation)
        let undecided = result.errors.filter { $0.kind == .undecidedSkill }
        #expect(undecided.count == 1, sourceLocation: sourceLocation)
        #expect(undecided.first?.skill == "zipping", sourceLocation: sourceLocation)
        #expect(undecided.first?.location == location, sourceLocation: sourceLocation)
        #expect(undecided.first?.path == path, sourceLocation: sourceLocation)
        #expect(undecided.first?.message == #"zipping is not decided: expected a date (YYYY-MM-DD), got "11/16/2026""#, sourceLocation: sourceLocation)
    }

    @Test func aUSDateInOneSessionOfADocumentLeavesOnlyThatSkillUndecided() throws {
        let text = #"{"as_of": "2026-11-20", "students": ["# + "\n" + Self.student + "]}"
        let roster = try RosterReader.read(Array(text.utf8), sourceName: "class.json")
        let report = try Engine().evaluate(roster)
        Self.expectOneSkillUndecided(
            Self.result(report.outcomes.first), location: "class.json:9:14", path: "students[0] (s-1).skills[1].sessions[1].date")
        #expect(report.summary.failed == 1)
        #expect(report.summary.skipped == 0)
        #expect(!report.isClean)
        // The JSON report names the skill.
        let json = ReportFormat.json.render(report)
        #expect(json.replacing(/\s+/, with: " ").contains(#""skill": "zipping", "kind": "undecided_skill""#), "\(json)")
    }

    @Test(arguments: [1, 2])
    func aUSDateInOneSessionOfAStreamLeavesOnlyThatSkillUndecided(jobs: Int) throws {
        let good = DocumentJSON.student(Student(id: "s-0", skills: [Skill(id: "reading")]))
        let text = good + "\n" + Self.compact + "\n"
        let outcomes = OutcomeBox()
        let engine = try Engine()
        _ = try withTemporaryInput(text) { descriptor in
            try engine.evaluate(NDJSONInput(descriptor: descriptor, sourceName: "roster.ndjson"), context: Self.context, jobs: jobs, deliver: { outcomes.append($0) })
        }
        let all = outcomes.values
        #expect(all.count == 2)
        let column = Array(Self.compact.utf8).firstRange(of: Array(#""11/16/2026""#.utf8)).map { $0.lowerBound + 1 } ?? 0
        Self.expectOneSkillUndecided(Self.result(all.last), location: "roster.ndjson:2:\(column)", path: "line 2 (s-1).skills[1].sessions[1].date")
    }

    @Test func theWholeRosterReadOfNDJSONAgrees() throws {
        let roster = try RosterReader.read(Array((Self.compact + "\n").utf8), sourceName: "roster.ndjson", format: .ndjson, header: Self.context)
        let report = try Engine().evaluate(roster)
        let column = Array(Self.compact.utf8).firstRange(of: Array(#""11/16/2026""#.utf8)).map { $0.lowerBound + 1 } ?? 0
        Self.expectOneSkillUndecided(Self.result(report.outcomes.first), location: "roster.ndjson:1:\(column)", path: "line 1 (s-1).skills[1].sessions[1].date")
    }

    @Test func badWorkItemsAndSelfAssessmentsHoldTheirSkill() throws {
        let text = """
            {"students": [{"id": "s-2", "skills": [{"id": "fractions"}, {"id": "reading"}],
              "work": [{"id": "w1", "skill": "fractions", "status": "late"}, {"id": "w2", "skill": "reading", "status": "graded", "score": 0.9}],
              "self_assessments": [{"date": "2026-11-18", "skill": "reading", "rating": "blue"}]}]}
            """
        let roster = try RosterReader.read(Array(text.utf8), sourceName: "c.json", today: "2026-11-20")
        guard case .student(let student) = roster.entries.first else {
            Issue.record("the student was skipped")
            return
        }
        #expect(student.incomplete.map(\.skill) == ["fractions", "reading"])
        #expect(student.incomplete.map(\.path) == ["students[0] (s-2).work[0].status", "students[0] (s-2).self_assessments[0].rating"])
        #expect(student.work.map(\.id) == ["w2"])
        // What the rules see: neither skill, nor their work.
        #expect(student.decidable.skills.isEmpty)
        #expect(student.decidable.work.isEmpty)
    }

    @Test func aBadStudentLevelFieldOrAnUnattributableItemStillSkipsTheStudent() throws {
        let text = """
            {"students": [
              {"id": "s-3", "flags": "iep", "skills": [{"id": "reading"}]},
              {"id": "s-4", "work": [{"id": "w1", "status": "late"}]},
              {"id": "s-5", "skills": [{"id": 7, "sessions": [{"date": "x"}]}]},
              {"id": "s-6", "incomplete": [{"message": "no skill"}]}]}
            """
        let roster = try RosterReader.read(Array(text.utf8), sourceName: "c.json", today: "2026-11-20")
        let skipped = roster.entries.compactMap { entry -> String? in
            if case .invalid(let id, _) = entry { id } else { nil }
        }
        #expect(skipped == ["s-3", "s-4", "s-5", "s-6"])
    }

    @Test func theDocumentsRecordOfLostRowsIsHonouredAndSurvivesAWriteAndARead() throws {
        var student = try #require({ () -> Student? in
            let roster = try? RosterReader.read(Array((#"{"students": ["# + Self.student.replacingOccurrences(of: "11/16/2026", with: "2026-11-16") + "]}").utf8), sourceName: "c.json")
            if case .student(let student) = roster?.entries.first { return student }
            return nil
        }())
        #expect(student.incomplete.isEmpty)
        student.incomplete = [IncompleteSkill(skill: "zipping", message: "Date: \"03/04/2026\" is ambiguous", location: "sessions.csv:14:B", text: "03/04/2026")]
        let document = DocumentJSON.document(ClassDocument(context: Self.context, students: [student]))
        let roster = try RosterReader.read(Array(document.utf8), sourceName: "class.json")
        guard case .student(let reread) = roster.entries.first else {
            Issue.record("the student was skipped")
            return
        }
        #expect(reread.incomplete == student.incomplete)
        let result = try Engine().evaluate(reread, context: Self.context)
        #expect(result.recommendations.contains { $0.skill == "hand-washing" && $0.action == "fade" })
        #expect(!result.recommendations.contains { $0.skill == "zipping" })
        let error = try #require(result.errors.first { $0.kind == .undecidedSkill })
        #expect(error.location == "sessions.csv:14:B")
        #expect(error.description == #"sessions.csv:14:B: student s-1: zipping is not decided: Date: "03/04/2026" is ambiguous"#)
    }
}

/// Outcomes collected from a stream's `deliver`.
final class OutcomeBox: @unchecked Sendable {
    private var items: [StudentOutcome] = []
    private let lock = NSLock()

    func append(_ outcome: StudentOutcome) { lock.withLock { items.append(outcome) } }
    var values: [StudentOutcome] { lock.withLock { items } }
}
