import Foundation
import Testing
import Trellis

/// `--as-of` and `Roster.asOf`: the class as it stood on a past day (contract section 6), checked
/// against the same class cut by hand.
@Suite(.serialized)
struct AsOfTests {
    /// Faded gestural to verbal on 2026-11-05 (a session with a time of day), then struggled at
    /// verbal; missing work and self-assessments on both sides of the days tested.
    static let full = """
        {"trellis": 1, "as_of": "2026-11-20",
         "students": [
          {"id": "s-1",
           "skills": [
            {"id": "hand-washing", "prompt_level": "verbal", "sessions": [
              {"date": "2026-11-02", "prompt_level": "gestural", "trials": 10, "correct": 9},
              {"date": "2026-11-03", "prompt_level": "gestural", "trials": 10, "correct": 9},
              {"date": "2026-11-04", "prompt_level": "gestural", "trials": 10, "correct": 10},
              {"date": "2026-11-05T09:30:00", "prompt_level": "verbal", "trials": 10, "correct": 4},
              {"date": "2026-11-06", "prompt_level": "verbal", "trials": 10, "correct": 3}]},
            {"id": "fractions", "stage": "guided", "sessions": [
              {"date": "2026-11-01", "stage": "guided", "trials": 6, "correct": 5}]}],
           "work": [
            {"id": "w1", "skill": "fractions", "status": "missing", "due": "2026-11-03"},
            {"id": "w2", "skill": "fractions", "status": "missing", "due": "2026-11-06"},
            {"id": "w3", "skill": "fractions", "status": "assigned"}],
           "self_assessments": [
            {"date": "2026-11-02", "skill": "fractions", "rating": "green"},
            {"date": "2026-11-06", "skill": "fractions", "rating": "red"}]}]}
        """

    /// `full` as of 2026-11-04, cut by hand: the two verbal sessions, w2 (due after), w3 (no due
    /// date) and the red self-assessment go; hand-washing's own `prompt_level` (verbal, written on
    /// the 20th) goes with its removed sessions; fractions lost nothing and keeps its `stage`.
    static let cutOn4th = """
        {"trellis": 1, "as_of": "2026-11-04",
         "students": [
          {"id": "s-1",
           "skills": [
            {"id": "hand-washing", "sessions": [
              {"date": "2026-11-02", "prompt_level": "gestural", "trials": 10, "correct": 9},
              {"date": "2026-11-03", "prompt_level": "gestural", "trials": 10, "correct": 9},
              {"date": "2026-11-04", "prompt_level": "gestural", "trials": 10, "correct": 10}]},
            {"id": "fractions", "stage": "guided", "sessions": [
              {"date": "2026-11-01", "stage": "guided", "trials": 6, "correct": 5}]}],
           "work": [
            {"id": "w1", "skill": "fractions", "status": "missing", "due": "2026-11-03"}],
           "self_assessments": [
            {"date": "2026-11-02", "skill": "fractions", "rating": "green"}]}]}
        """

    /// `full` as of 2026-11-05: the session at 09:30 that day counts.
    static let cutOn5th = """
        {"trellis": 1, "as_of": "2026-11-05",
         "students": [
          {"id": "s-1",
           "skills": [
            {"id": "hand-washing", "sessions": [
              {"date": "2026-11-02", "prompt_level": "gestural", "trials": 10, "correct": 9},
              {"date": "2026-11-03", "prompt_level": "gestural", "trials": 10, "correct": 9},
              {"date": "2026-11-04", "prompt_level": "gestural", "trials": 10, "correct": 10},
              {"date": "2026-11-05T09:30:00", "prompt_level": "verbal", "trials": 10, "correct": 4}]},
            {"id": "fractions", "stage": "guided", "sessions": [
              {"date": "2026-11-01", "stage": "guided", "trials": 6, "correct": 5}]}],
           "work": [
            {"id": "w1", "skill": "fractions", "status": "missing", "due": "2026-11-03"}],
           "self_assessments": [
            {"date": "2026-11-02", "skill": "fractions", "rating": "green"}]}]}
        """

    static func roster(_ text: String) throws -> Roster {
        try RosterReader.read(Array(text.utf8), sourceName: "class.json")
    }

    static func day(_ text: String) throws -> SchoolDay {
        try #require(SchoolDay(text))
    }

    @Test func cutMatchesTheHandTruncatedDocuments() throws {
        let full = try Self.roster(Self.full)
        let cutOn4th = try Self.roster(Self.cutOn4th)
        let cutOn5th = try Self.roster(Self.cutOn5th)
        #expect(full.asOf(try Self.day("2026-11-04")) == cutOn4th)
        #expect(full.asOf(try Self.day("2026-11-05")) == cutOn5th)
        // On the document's own day nothing is dated later: only the undated work item goes.
        let same = full.asOf(try Self.day("2026-11-20"))
        guard case .student(let student) = try #require(same.entries.first) else { Issue.record("s-1 was rejected"); return }
        #expect(student.work.map(\.id) == ["w1", "w2"])
        #expect(student.skills[0].promptLevel == "verbal")
        #expect(student.skills[0].sessions.count == 5)
    }

    @Test func evaluationAsOfADayIsTheEvaluationOfTheCutDocument() throws {
        let engine = try Engine(rulePack: .bundled)
        let full = try Self.roster(Self.full)
        let pastReport = engine.evaluate(full.asOf(try Self.day("2026-11-04")))
        let byHand = engine.evaluate(try Self.roster(Self.cutOn4th))
        #expect(pastReport == byHand)
        let past = try #require(pastReport.results.first?.recommendations.first { $0.skill == "hand-washing" && $0.kind == "prompt" })
        #expect(past.action == "fade" && past.from == "gestural" && past.to == "verbal")
        let now = try #require(engine.evaluate(full).results.first?.recommendations.first { $0.skill == "hand-washing" && $0.kind == "prompt" })
        #expect(now.action == "step_back" && now.from == "verbal" && now.to == "gestural")
    }

    @Test func rejectsDaysThatAreNotDays() {
        #expect(SchoolDay("2026-02-30") == nil)
        #expect(SchoolDay("2026-11-05T09:30:00") == nil)
        #expect(SchoolDay("yesterday") == nil)
        #expect(SchoolDay("2024-02-29")?.text == "2024-02-29")
    }

    // MARK: the command line

    let cli = CLITests()

    func write(_ text: String, named name: String, in folder: URL) throws -> String {
        let url = folder.appending(path: name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func evaluateAsOfWritesWhatTheCutDocumentGives() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try write(Self.full, named: "full.json", in: folder)
        for (day, cut) in [("2026-11-04", Self.cutOn4th), ("2026-11-05", Self.cutOn5th)] {
            let truncated = try write(cut, named: "cut-\(day).json", in: folder)
            let past = try cli.trellis(["evaluate", "--quiet", "--format", "json", "--as-of", day, full])
            let byHand = try cli.trellis(["evaluate", "--quiet", "--format", "json", truncated])
            #expect(past.status == byHand.status)
            #expect(past.stdout == byHand.stdout)
            #expect(try cli.json(past.stdout)["as_of"] as? String == day)
        }
        let fade = try cli.recommendation(
            try cli.json(try cli.trellis(["evaluate", "--quiet", "--format", "json", "--as-of", "2026-11-04", full]).stdout),
            student: "s-1", skill: "hand-washing", kind: "prompt")
        #expect(fade["action"] as? String == "fade")
    }

    @Test func evaluateAsOfCutsAnNDJSONRosterToo() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let line = try #require(Self.full.range(of: "{\"id\": \"s-1\"")).lowerBound
        // The student object alone: what follows it is the `]}` that closes the document.
        let studentText = String(Self.full[line...].dropLast(2)).replacingOccurrences(of: "\n", with: " ")
        let roster = try write(studentText + "\n", named: "roster.ndjson", in: folder)
        let header = try write(#"{"trellis": 1, "as_of": "2026-11-20"}"#, named: "class.json", in: folder)
        let cut = try write(Self.cutOn4th, named: "cut.json", in: folder)
        let streamed = try cli.trellis(["evaluate", "--quiet", "--format", "json", "--class", header, "--as-of", "2026-11-04", roster])
        let byHand = try cli.trellis(["evaluate", "--quiet", "--format", "json", cut])
        #expect(streamed.status == 0)
        #expect(streamed.stdout == byHand.stdout)
    }

    @Test func evaluateRejectsABadDayBeforeReadingAnything() throws {
        let run = try cli.trellis(["evaluate", "--as-of", "2026-13-01", CLITests.exampleClass])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--as-of 2026-13-01: expected a day as YYYY-MM-DD"))
        #expect(run.stdout.isEmpty)
    }
}
