import Testing
@testable import Trellis

// MARK: - Helpers

private let today = "2026-11-20"

private func read(
    _ text: String, sourceName: String = "class.json", format: InputFormat = .auto, header: ClassContext? = nil
) throws -> Roster {
    try RosterReader.read(Array(text.utf8), sourceName: sourceName, format: format, header: header, today: today)
}

/// The error a whole-document read throws, or nil when it reads.
private func inputError(_ bytes: [UInt8], sourceName: String = "class.json", format: InputFormat = .auto) -> TrellisError? {
    do {
        _ = try RosterReader.read(bytes, sourceName: sourceName, format: format, today: today)
        return nil
    } catch {
        return error
    }
}

private func inputError(_ text: String, sourceName: String = "class.json", format: InputFormat = .auto) -> TrellisError? {
    inputError(Array(text.utf8), sourceName: sourceName, format: format)
}

/// `source:LINE:COLUMN` of the only occurrence of `marker` in `text`, counting columns in
/// Unicode scalars; worked out here without the scanner, to check the reader's arithmetic.
private func location(of marker: String, in text: String, source: String = "class.json", sourceLocation: SourceLocation = #_sourceLocation) -> String {
    let ranges = text.ranges(of: marker)
    #expect(ranges.count == 1, "marker \(marker.debugDescription) must occur exactly once", sourceLocation: sourceLocation)
    guard let range = ranges.first else { return "marker not found" }
    let before = text[..<range.lowerBound]
    let line = before.filter { $0 == "\n" }.count + 1
    let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
    let column = before[lineStart...].unicodeScalars.count + 1
    return "\(source):\(line):\(column)"
}

private func student(_ entry: RosterEntry?) -> Student? {
    if case .student(let student) = entry { return student }
    return nil
}

private func invalid(_ entry: RosterEntry?) -> (id: String?, issues: [TrellisIssue])? {
    if case .invalid(let id, let issues) = entry { return (id, issues) }
    return nil
}

/// A student kept with skills left undecided (a bad session, work item or self-assessment):
/// its id and those problems, as `undecided_skill` issues with the field's own message.
private func held(_ entry: RosterEntry?) -> (id: String?, issues: [TrellisIssue])? {
    guard case .student(let student) = entry, !student.incomplete.isEmpty else { return nil }
    return (
        student.id,
        student.incomplete.map {
            TrellisIssue(kind: .undecidedSkill, student: student.id, skill: $0.skill, message: $0.message, location: $0.location, path: $0.path)
        }
    )
}

private func ids(_ roster: Roster) -> [String] {
    roster.entries.map { entry in
        switch entry {
        case .student(let student): (student.incomplete.isEmpty ? "ok:" : "held:") + student.id
        case .invalid(let id, _): "invalid:" + (id ?? "?")
        }
    }
}

// MARK: - One bad field in one student

/// One student record with one contract violation, placed between two valid students.
struct BadStudent: Sendable, CustomTestStringConvertible {
    var name: String
    /// The student object's JSON (one line).
    var json: String
    /// The issue's path after `students[1]`, with the id when the record has one.
    var path: String
    var message: String
    /// The text the issue's location must point at (its first character); unique in the document.
    var marker: String
    /// The id the entry keeps, when the record has a usable one.
    var studentID: String? = "s-1"

    var testDescription: String { name }

    static func session(_ name: String, _ session: String, field: String, _ message: String, marker: String) -> BadStudent {
        BadStudent(
            name: name, json: #"{"id": "s-1", "skills": [{"id": "k", "sessions": [\#(session)]}]}"#,
            path: "students[1] (s-1).skills[0].sessions[0]" + field, message: message, marker: marker)
    }
}

private let promptLadder = "full_physical, partial_physical, model, gestural, verbal, independent"
private let stageLadder = "modeled, guided, collaborative, structured, independent"

private let badStudents: [BadStudent] = [
    // Counts
    .session("negative trials", #"{"trials": -3}"#, field: ".trials", "must not be negative, got -3", marker: "-3"),
    .session("negative correct", #"{"trials": 5, "correct": -1}"#, field: ".correct", "must not be negative, got -1", marker: "-1}"),
    .session("negative independent", #"{"trials": 5, "independent": -2}"#, field: ".independent", "must not be negative, got -2", marker: "-2"),
    .session("correct > trials", #"{"trials": 10, "correct": 12}"#, field: ".correct", "12 is more than trials (10)", marker: "12"),
    .session("correct > trials, correct first", #"{"correct": 11, "trials": 10}"#, field: ".correct", "11 is more than trials (10)", marker: "11"),
    .session("independent > trials", #"{"trials": 4, "correct": 4, "independent": 5}"#, field: ".independent", "5 is more than trials (4)", marker: "5}"),
    .session("non-integer trials", #"{"trials": 9.5}"#, field: ".trials", "expected a whole number, got 9.5", marker: "9.5"),
    .session("non-integer correct", #"{"trials": 10, "correct": 7.25}"#, field: ".correct", "expected a whole number, got 7.25", marker: "7.25"),
    .session("trials as a string", #"{"trials": "ten"}"#, field: ".trials", #"expected a number, got "ten""#, marker: #""ten""#),
    .session("trials as a boolean", #"{"trials": true}"#, field: ".trials", "expected a number, got true", marker: "true"),
    .session("correct as an array", #"{"correct": [1]}"#, field: ".correct", "expected a number, got an array", marker: "[1]"),
    // Other wrong types
    BadStudent(name: "name is a number", json: #"{"id": "s-1", "name": 5}"#, path: "students[1] (s-1).name", message: "expected a string, got 5", marker: "5}"),
    BadStudent(
        name: "skills is an object", json: #"{"id": "s-1", "skills": {"id": "k"}}"#, path: "students[1] (s-1).skills",
        message: "expected an array, got an object", marker: #"{"id": "k"}"#),
    BadStudent(
        name: "a session is a string", json: #"{"id": "s-1", "skills": [{"id": "k", "sessions": ["2026-11-01"]}]}"#,
        path: "students[1] (s-1).skills[0].sessions[0]", message: #"expected an object, got "2026-11-01""#, marker: #""2026-11-01""#),
    BadStudent(name: "a flag is a number", json: #"{"id": "s-1", "flags": ["iep", 1]}"#, path: "students[1] (s-1).flags[1]", message: "expected a string, got 1", marker: "1]"),
    BadStudent(
        name: "preferences is a string", json: #"{"id": "s-1", "preferences": "video"}"#, path: "students[1] (s-1).preferences",
        message: #"expected an object, got "video""#, marker: #""video""#),
    BadStudent(
        name: "setting is a number", json: #"{"id": "s-1", "skills": [{"id": "k", "sessions": [{"setting": 42}]}]}"#,
        path: "students[1] (s-1).skills[0].sessions[0].setting", message: "expected a string, got 42", marker: "42"),
    // Levels
    BadStudent(
        name: "skill prompt_level off the ladder", json: #"{"id": "s-1", "skills": [{"id": "k", "prompt_level": "shouting"}]}"#,
        path: "students[1] (s-1).skills[0].prompt_level", message: #""shouting" is not on the prompt ladder (\#(promptLadder))"#, marker: #""shouting""#),
    BadStudent(
        name: "skill stage off the ladder", json: #"{"id": "s-1", "skills": [{"id": "k", "stage": "mastery"}]}"#,
        path: "students[1] (s-1).skills[0].stage", message: #""mastery" is not on the stage ladder (\#(stageLadder))"#, marker: #""mastery""#),
    .session(
        "session prompt_level off the ladder", #"{"prompt_level": "loud"}"#, field: ".prompt_level",
        #""loud" is not on the prompt ladder (\#(promptLadder))"#, marker: #""loud""#),
    .session(
        "session stage off the ladder", #"{"stage": "done"}"#, field: ".stage", #""done" is not on the stage ladder (\#(stageLadder))"#,
        marker: #""done""#),
    .session("a level of the other ladder", #"{"stage": "gestural"}"#, field: ".stage", #""gestural" is not on the stage ladder (\#(stageLadder))"#, marker: #""gestural""#),
    .session("a level is a number", #"{"prompt_level": 3}"#, field: ".prompt_level", "expected a string, got 3", marker: "3}"),
    // Dates
    .session("February 30th", #"{"date": "2026-02-30"}"#, field: ".date", #"expected a date (YYYY-MM-DD), got "2026-02-30""#, marker: #""2026-02-30""#),
    .session("a word", #"{"date": "yesterday"}"#, field: ".date", #"expected a date (YYYY-MM-DD), got "yesterday""#, marker: #""yesterday""#),
    .session("month 13", #"{"date": "2026-13-01"}"#, field: ".date", #"expected a date (YYYY-MM-DD), got "2026-13-01""#, marker: #""2026-13-01""#),
    .session("February 29th of a common year", #"{"date": "2023-02-29"}"#, field: ".date", #"expected a date (YYYY-MM-DD), got "2023-02-29""#, marker: #""2023-02-29""#),
    .session("day 0", #"{"date": "2026-11-00"}"#, field: ".date", #"expected a date (YYYY-MM-DD), got "2026-11-00""#, marker: #""2026-11-00""#),
    .session("one-digit month", #"{"date": "2026-1-01"}"#, field: ".date", #"expected a date (YYYY-MM-DD), got "2026-1-01""#, marker: #""2026-1-01""#),
    .session("hour 25", #"{"date": "2026-11-17T25:00:00Z"}"#, field: ".date", #"expected a date (YYYY-MM-DD), got "2026-11-17T25:00:00Z""#, marker: #""2026-11-17T25"#),
    .session("junk after the date", #"{"date": "2026-11-17 and more"}"#, field: ".date", #"expected a date (YYYY-MM-DD), got "2026-11-17 and more""#, marker: #""2026-11-17 and"#),
    .session("a date as a number", #"{"date": 20261117}"#, field: ".date", "expected a string, got 20261117", marker: "20261117"),
    BadStudent(
        name: "a work item's due date", json: #"{"id": "s-1", "work": [{"id": "w", "due": "soon"}]}"#, path: "students[1] (s-1).work[0].due",
        message: #"expected a date (YYYY-MM-DD), got "soon""#, marker: #""soon""#),
    BadStudent(
        name: "a self-assessment's date", json: #"{"id": "s-1", "self_assessments": [{"date": "2026-04-31", "rating": "red"}]}"#,
        path: "students[1] (s-1).self_assessments[0].date", message: #"expected a date (YYYY-MM-DD), got "2026-04-31""#, marker: #""2026-04-31""#),
    // Work and self-assessments
    BadStudent(
        name: "work status", json: #"{"id": "s-1", "work": [{"id": "w", "status": "lost"}]}"#, path: "students[1] (s-1).work[0].status",
        message: #"expected one of assigned, submitted, graded, missing, exempt, got "lost""#, marker: #""lost""#),
    BadStudent(
        name: "work status in capitals", json: #"{"id": "s-1", "work": [{"status": "Missing"}]}"#, path: "students[1] (s-1).work[0].status",
        message: #"expected one of assigned, submitted, graded, missing, exempt, got "Missing""#, marker: #""Missing""#),
    BadStudent(
        name: "score above 1", json: #"{"id": "s-1", "work": [{"status": "graded", "score": 1.5}]}"#, path: "students[1] (s-1).work[0].score",
        message: "expected a score from 0 to 1, got 1.5", marker: "1.5"),
    BadStudent(
        name: "score as a percent", json: #"{"id": "s-1", "work": [{"status": "graded", "score": 85}]}"#, path: "students[1] (s-1).work[0].score",
        message: "expected a score from 0 to 1, got 85", marker: "85"),
    BadStudent(
        name: "negative score", json: #"{"id": "s-1", "work": [{"status": "graded", "score": -0.5}]}"#, path: "students[1] (s-1).work[0].score",
        message: "expected a score from 0 to 1, got -0.5", marker: "-0.5"),
    BadStudent(
        name: "score as a string", json: #"{"id": "s-1", "work": [{"score": "A"}]}"#, path: "students[1] (s-1).work[0].score",
        message: #"expected a number, got "A""#, marker: #""A""#),
    // Checklists (contract section 5): a bad one holds the skill its work item names
    BadStudent(
        name: "checklist with more done than total", json: #"{"id": "s-1", "work": [{"id": "w", "skill": "k", "checklist": {"done": 6, "total": 5}}]}"#,
        path: "students[1] (s-1).work[0].checklist.done", message: "6 is more than total (5)", marker: "6,"),
    BadStudent(
        name: "checklist with more done than total, total first", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": {"total": 5, "done": 7}}]}"#,
        path: "students[1] (s-1).work[0].checklist.done", message: "7 is more than total (5)", marker: "7}"),
    BadStudent(
        name: "checklist of 0 steps", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": {"done": 0, "total": 0}}]}"#,
        path: "students[1] (s-1).work[0].checklist.total", message: "a checklist needs at least 1 step, got 0", marker: "0}"),
    BadStudent(
        name: "checklist with negative steps done", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": {"done": -1, "total": 3}}]}"#,
        path: "students[1] (s-1).work[0].checklist.done", message: "must not be negative, got -1", marker: "-1,"),
    BadStudent(
        name: "checklist with a negative total", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": {"done": 0, "total": -4}}]}"#,
        path: "students[1] (s-1).work[0].checklist.total", message: "must not be negative, got -4", marker: "-4"),
    BadStudent(
        name: "checklist with half a step done", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": {"done": 2.5, "total": 5}}]}"#,
        path: "students[1] (s-1).work[0].checklist.done", message: "expected a whole number, got 2.5", marker: "2.5"),
    BadStudent(
        name: "checklist counts as strings", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": {"done": "2", "total": 5}}]}"#,
        path: "students[1] (s-1).work[0].checklist.done", message: #"expected a number, got "2""#, marker: #""2""#),
    BadStudent(
        name: "checklist without a total", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": {"done": 2}}]}"#,
        path: "students[1] (s-1).work[0].checklist", message: "required field 'total' is missing (the steps in all, a whole number)",
        marker: #"{"done": 2}"#),
    BadStudent(
        name: "checklist without done", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": {"total": 4}}]}"#,
        path: "students[1] (s-1).work[0].checklist", message: "required field 'done' is missing (the steps done, a whole number)",
        marker: #"{"total": 4}"#),
    BadStudent(
        name: "checklist with a null total", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": {"done": 2, "total": null}}]}"#,
        path: "students[1] (s-1).work[0].checklist.total", message: "expected a whole number (the steps in all), got null", marker: "null"),
    BadStudent(
        name: "checklist as a fraction in a string", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": "2/5"}]}"#,
        path: "students[1] (s-1).work[0].checklist", message: #"expected an object, got "2/5""#, marker: #""2/5""#),
    BadStudent(
        name: "checklist as a number", json: #"{"id": "s-1", "work": [{"skill": "k", "checklist": 0.4}]}"#,
        path: "students[1] (s-1).work[0].checklist", message: "expected an object, got 0.4", marker: "0.4"),
    BadStudent(
        name: "bad checklist on work that names no skill", json: #"{"id": "s-1", "work": [{"id": "w", "checklist": {"done": 3, "total": 2}}]}"#,
        path: "students[1] (s-1).work[0].checklist.done", message: "3 is more than total (2)", marker: "3,"),
    // Badges (contract section 5)
    BadStudent(
        name: "an unknown badge", json: #"{"id": "s-1", "skills": [{"id": "k", "badge": "platinum"}]}"#, path: "students[1] (s-1).skills[0].badge",
        message: #"expected one of bronze, silver, gold, got "platinum""#, marker: #""platinum""#),
    BadStudent(
        name: "a badge in capitals", json: #"{"id": "s-1", "skills": [{"id": "k", "badge": "Gold"}]}"#, path: "students[1] (s-1).skills[0].badge",
        message: #"expected one of bronze, silver, gold, got "Gold""#, marker: #""Gold""#),
    BadStudent(
        name: "a badge as a number", json: #"{"id": "s-1", "skills": [{"id": "k", "badge": 3}]}"#, path: "students[1] (s-1).skills[0].badge",
        message: "expected a string, got 3", marker: "3}"),
    BadStudent(
        name: "self-assessment rating", json: #"{"id": "s-1", "self_assessments": [{"skill": "k", "rating": "blue"}]}"#,
        path: "students[1] (s-1).self_assessments[0].rating", message: #"expected one of green, yellow, red, got "blue""#, marker: #""blue""#),
    BadStudent(
        name: "self-assessment rating as a number", json: #"{"id": "s-1", "self_assessments": [{"rating": 3}]}"#,
        path: "students[1] (s-1).self_assessments[0].rating", message: "expected a string, got 3", marker: "3}"),
    // Skill ids
    BadStudent(
        name: "duplicate skill id", json: #"{"id": "s-1", "skills": [{"id": "k"}, {"id": "k", "domain": "dup"}]}"#, path: "students[1] (s-1).skills[1]",
        message: #"duplicate skill id "k", first at skills[0]"#, marker: #"{"id": "k", "domain""#),
    BadStudent(
        name: "skill without id", json: #"{"id": "s-1", "skills": [{"domain": "adaptive"}]}"#, path: "students[1] (s-1).skills[0]",
        message: "required field 'id' is missing", marker: #"{"domain""#),
    BadStudent(
        name: "skill with an empty id", json: #"{"id": "s-1", "skills": [{"id": ""}]}"#, path: "students[1] (s-1).skills[0].id",
        message: "must not be empty", marker: #""""#),
    // Student ids and shape
    BadStudent(
        name: "student without id", json: #"{"name": "Nobody"}"#, path: "students[1]", message: "required field 'id' is missing",
        marker: #"{"name": "Nobody"}"#, studentID: nil),
    BadStudent(name: "student with an empty id", json: #"{"id": ""}"#, path: "students[1].id", message: "must not be empty", marker: #""""#, studentID: nil),
    BadStudent(name: "student id is a number", json: #"{"id": 7}"#, path: "students[1].id", message: "expected a string, got 7", marker: "7}", studentID: nil),
    BadStudent(name: "student id is null", json: #"{"id": null}"#, path: "students[1].id", message: "expected a string, got null", marker: "null", studentID: nil),
    BadStudent(name: "student is a number", json: "42", path: "students[1]", message: "expected an object, got 42", marker: "42", studentID: nil),
    BadStudent(name: "student is a string", json: #""s-9""#, path: "students[1]", message: #"expected an object, got "s-9""#, marker: #""s-9""#, studentID: nil),
    BadStudent(name: "student is an array", json: #"["s-9"]"#, path: "students[1]", message: "expected an object, got an array", marker: #"["s-9"]"#, studentID: nil),
    BadStudent(name: "student is null", json: "null", path: "students[1]", message: "expected an object, got null", marker: "null", studentID: nil),
]

@Suite("Input validation")
struct InputValidationTests {
    @Test("every contract violation names its path, message and location; the other students stay", arguments: badStudents)
    func badStudent(_ example: BadStudent) throws {
        let text = """
            {
              "trellis": 1,
              "students": [
                {"id": "ok-a", "flags": ["x"], "skills": [{"id": "k", "sessions": [{"trials": 8, "correct": 6}]}]},
                \(example.json),
                {"id": "ok-b"}
              ]
            }
            """
        let roster = try read(text)
        try #require(roster.entries.count == 3)
        #expect(student(roster.entries[0])?.id == "ok-a")
        #expect(student(roster.entries[2])?.id == "ok-b")
        // A problem inside a skill, or in a work item or self-assessment that names its skill,
        // leaves that skill undecided and keeps the student; any other skips the student.
        // A repeated skill id holds that skill too.
        let insideSkill = (example.path.contains(/skills\[\d+\]\./) && !example.path.hasSuffix(".id")) || example.message.hasPrefix("duplicate skill id")
        let itemNamingItsSkill = (example.path.contains("work[") || example.path.contains("self_assessments[")) && example.json.contains(#""skill""#)
        let heldBySkill = (insideSkill || itemNamingItsSkill) && example.studentID != nil
        let rejected = try #require(heldBySkill ? held(roster.entries[1]) : invalid(roster.entries[1]), "\(roster.entries[1])")
        #expect(rejected.id == example.studentID)
        let issue = try #require(rejected.issues.first)
        #expect(rejected.issues.count == 1, "\(rejected.issues)")
        #expect(issue.kind == (heldBySkill ? .undecidedSkill : .invalidStudent))
        #expect(issue.student == example.studentID)
        #expect(issue.rule == nil)
        #expect(issue.path == example.path)
        #expect(issue.message == example.message)
        #expect(issue.location == location(of: example.marker, in: text))
    }

    @Test("trials \"ten\" in the fifth student: the exact path, message and location")
    func fifthStudentTrials() throws {
        let text = """
            {
              "trellis": 1,
              "as_of": "2026-11-20",
              "students": [
                {"id": "h-01"},
                {"id": "h-02", "skills": [{"id": "reading", "sessions": [{"date": "2026-11-01", "trials": 10, "correct": 9}]}]},
                {"id": "h-03"},
                {"id": "h-04"},
                {"id": "h-05", "skills": [{"id": "reading", "sessions": [
                  {"date": "2026-11-01", "trials": 10, "correct": 5},
                  {"date": "2026-11-02", "trials": 10, "correct": 6},
                  {"date": "2026-11-03", "trials": "ten", "correct": 7}
                ]}]}
              ]
            }
            """
        let roster = try read(text)
        #expect(ids(roster) == ["ok:h-01", "ok:h-02", "ok:h-03", "ok:h-04", "held:h-05"])
        let rejected = try #require(held(roster.entries[4]))
        #expect(rejected.id == "h-05")
        #expect(
            rejected.issues == [
                TrellisIssue(
                    kind: .undecidedSkill, student: "h-05", skill: "reading", message: #"expected a number, got "ten""#, location: "class.json:12:40",
                    path: "students[4] (h-05).skills[0].sessions[2].trials")
            ])
        // The student's good sessions of that skill are kept (the rules will not see the skill).
        #expect(student(roster.entries[4])?.skills.first?.sessions.count == 2)
        #expect(rejected.issues.first?.description == #"class.json:12:40: students[4] (h-05).skills[0].sessions[2].trials: expected a number, got "ten""#)
        #expect(student(roster.entries[1])?.skills.first?.sessions.first?.trials == 10)
    }

    @Test("every problem of a student is reported, in document order")
    func everyProblemOfAStudent() throws {
        let text = """
            {"students": [
              {"id": "s-1",
               "skills": [{"id": "k", "sessions": [{"trials": -1, "correct": "x"}]}],
               "work": [{"status": "lost", "score": 2}],
               "self_assessments": [{"rating": "purple"}]}
            ]}
            """
        let roster = try read(text)
        let rejected = try #require(invalid(roster.entries.first))
        #expect(rejected.issues.map(\.path) == [
            "students[0] (s-1).skills[0].sessions[0].trials",
            "students[0] (s-1).skills[0].sessions[0].correct",
            "students[0] (s-1).work[0].status",
            "students[0] (s-1).work[0].score",
            "students[0] (s-1).self_assessments[0].rating",
        ])
        #expect(rejected.issues.map(\.message) == [
            "must not be negative, got -1",
            #"expected a number, got "x""#,
            #"expected one of assigned, submitted, graded, missing, exempt, got "lost""#,
            "expected a score from 0 to 1, got 2",
            #"expected one of green, yellow, red, got "purple""#,
        ])
        #expect(rejected.issues.map { $0.location ?? "" } == ["-1,", #""x""#, #""lost""#, "2}", #""purple""#].map { location(of: $0, in: text) })
        #expect(rejected.issues.first?.location == "class.json:3:51")
    }

    @Test("sessions out of date order: the later session's date is named")
    func sessionsOutOfOrder() throws {
        let text = """
            {"students": [
              {"id": "s-1", "skills": [{"id": "k", "sessions": [
                {"date": "2026-11-05", "trials": 5, "correct": 5},
                {"date": "2026-11-01", "trials": 5, "correct": 5},
                {"date": "2026-11-09T10:00:00Z", "trials": 5, "correct": 5}
              ]}]},
              {"id": "s-2"}
            ]}
            """
        let roster = try read(text)
        #expect(ids(roster) == ["held:s-1", "ok:s-2"])
        let rejected = try #require(held(roster.entries.first))
        #expect(rejected.issues.count == 1)
        let issue = try #require(rejected.issues.first)
        #expect(issue.path == "students[0] (s-1).skills[0].sessions[1].date")
        #expect(issue.message == "2026-11-01 comes before sessions[0] (2026-11-05); sessions must be oldest first")
        #expect(issue.location == "class.json:4:14")
    }

    @Test("sessions on the same day, and a date-time after a date of the same day, are in order")
    func sameDaySessions() throws {
        let text = """
            {"students": [{"id": "s-1", "skills": [{"id": "k", "sessions": [
              {"date": "2026-11-05"}, {"date": "2026-11-05"}, {"date": "2026-11-05T13:00:00Z"}, {"date": "2026-11-06"}
            ]}]}]}
            """
        let roster = try read(text)
        #expect(student(roster.entries.first)?.skills.first?.sessions.map(\.date) == ["2026-11-05", "2026-11-05", "2026-11-05T13:00:00Z", "2026-11-06"])
    }

    @Test("valid dates and ISO 8601 date-times are accepted as written", arguments: [
        "2026-11-17", "2024-02-29", "2000-02-29", "2026-12-31", "2026-11-17T09:30", "2026-11-17T09:30:00", "2026-11-17T09:30:00Z",
        "2026-11-17T09:30:00.123Z", "2026-11-17T09:30:00+01:00", "2026-11-17T23:59:59-05:30", "2026-11-17 09:30:00",
    ])
    func validDates(_ date: String) throws {
        let text = #"{"as_of": "\#(date)", "students": [{"id": "s-1", "skills": [{"id": "k", "sessions": [{"date": "\#(date)"}]}], "work": [{"due": "\#(date)"}], "self_assessments": [{"date": "\#(date)"}]}]}"#
        let roster = try read(text)
        #expect(roster.context.asOf == date)
        let accepted = try #require(student(roster.entries.first), "\(roster.entries)")
        #expect(accepted.skills.first?.sessions.first?.date == date)
        #expect(accepted.work.first?.due == date)
        #expect(accepted.selfAssessments.first?.date == date)
    }

    @Test("a duplicate student id rejects the second record and keeps the first")
    func duplicateStudentIDs() throws {
        let text = """
            {"students": [
              {"id": "s-1", "name": "First"},
              {"id": "s-2"},
              {"id": "s-1", "name": "Second"},
              {"id": "s-3"}
            ]}
            """
        let roster = try read(text)
        #expect(ids(roster) == ["ok:s-1", "ok:s-2", "invalid:s-1", "ok:s-3"])
        #expect(student(roster.entries[0])?.name == "First")
        let rejected = try #require(invalid(roster.entries[2]))
        #expect(rejected.id == "s-1")
        #expect(
            rejected.issues == [
                TrellisIssue(
                    kind: .invalidStudent, student: "s-1", message: #"duplicate student id "s-1", first at students[0]"#, location: "class.json:4:3",
                    path: "students[2] (s-1).id")
            ])
    }

    @Test("a record with bad fields and a duplicate id reports both")
    func duplicateAndBad() throws {
        let text = #"{"students": [{"id": "s-1"}, {"id": "s-1", "flags": [1]}]}"#
        let roster = try read(text)
        let rejected = try #require(invalid(roster.entries[1]))
        #expect(rejected.issues.map(\.message) == ["expected a string, got 1", #"duplicate student id "s-1", first at students[0]"#])
        #expect(rejected.issues.map(\.path) == ["students[1] (s-1).flags[0]", "students[1] (s-1).id"])
        #expect(rejected.issues.map(\.location) == ["class.json:1:54", "class.json:1:30"])
    }

    @Test("a document's own ladders decide which levels are valid")
    func customLadders() throws {
        let text = """
            {
              "ladders": {"prompt": ["hand", "point", "say", "alone"], "stage": ["watch", "try", "own"], "reading": ["a", "b"]},
              "students": [
                {"id": "s-1", "skills": [{"id": "k", "prompt_level": "point", "stage": "try",
                  "sessions": [{"prompt_level": "say", "stage": "own"}]}]},
                {"id": "s-2", "skills": [{"id": "k", "prompt_level": "gestural"}]},
                {"id": "s-3", "skills": [{"id": "k", "sessions": [{"stage": "guided"}]}]}
              ]
            }
            """
        let roster = try read(text)
        #expect(roster.context.ladders == Ladders(prompt: ["hand", "point", "say", "alone"], stage: ["watch", "try", "own"], other: ["reading": ["a", "b"]]))
        #expect(ids(roster) == ["ok:s-1", "held:s-2", "held:s-3"])
        let skill = try #require(student(roster.entries[0])?.skills.first)
        #expect(skill.promptLevel == "point")
        #expect(skill.stage == "try")
        #expect(skill.sessions.first?.promptLevel == "say")
        let second = try #require(held(roster.entries[1])?.issues.first)
        #expect(second.path == "students[1] (s-2).skills[0].prompt_level")
        #expect(second.message == #""gestural" is not on the prompt ladder (hand, point, say, alone)"#)
        #expect(second.location == "class.json:6:58")
        let third = try #require(held(roster.entries[2])?.issues.first)
        #expect(third.path == "students[2] (s-3).skills[0].sessions[0].stage")
        #expect(third.message == #""guided" is not on the stage ladder (watch, try, own)"#)
    }

    @Test("ladders given after students still decide which levels are valid")
    func laddersAfterStudents() throws {
        let text = """
            {
              "students": [
                {"id": "s-1", "skills": [{"id": "k", "prompt_level": "point"}]},
                {"id": "s-2", "skills": [{"id": "k", "prompt_level": "verbal"}]}
              ],
              "ladders": {"prompt": ["hand", "point", "say"]}
            }
            """
        let roster = try read(text)
        #expect(roster.context.ladders.prompt == ["hand", "point", "say"])
        #expect(roster.context.ladders.stage == Ladders.defaultStage)
        #expect(ids(roster) == ["ok:s-1", "held:s-2"])
        let issue = try #require(held(roster.entries[1])?.issues.first)
        #expect(issue.message == #""verbal" is not on the prompt ladder (hand, point, say)"#)
        #expect(issue.location == "class.json:4:58")
    }

    @Test("a complete valid student reads into every field")
    func validStudent() throws {
        let text = """
            {"trellis": 1, "as_of": "2026-11-20",
             "class": {"id": "3B", "title": "Room 3B", "staff": ["t-ortiz", "p-lee"], "room": 12},
             "catalog": [{"id": "show-video", "title": "Record a video", "kind": "show", "modality": "video", "skills": ["fractions"], "minutes": 2},
               {"id": "frac-mini", "kind": "mini_lesson", "modality": "video", "skills": ["fractions"], "minutes": 7.5, "captions": true}],
             "students": [{
               "id": "s-101", "name": "Maya", "flags": ["iep"], "preferences": {"modalities": ["video", "drawing"], "time": "morning"},
               "skills": [{"id": "hand-washing", "domain": "adaptive", "prompt_level": "gestural", "stage": "guided", "goal": "by June", "badge": "silver",
                 "sessions": [{"date": "2026-11-17", "prompt_level": "gestural", "stage": "guided", "trials": 10, "correct": 9,
                   "independent": 0, "setting": "classroom", "staff": "p-lee", "mood": 3}]}],
               "work": [{"id": "khan-frac-3", "skill": "fractions", "status": "missing", "score": null, "due": "2026-11-14",
                 "modality": "worksheet", "attempts": [1, 2], "checklist": {"done": 2, "total": 5, "steps": ["read", "try"]}}],
               "self_assessments": [{"date": "2026-11-18", "skill": "fractions", "rating": "yellow", "note": "hard"}],
               "guardian": {"lang": "es"}, "seat": null
             }]}
            """
        let roster = try read(text)
        #expect(roster.context.asOf == "2026-11-20")
        #expect(roster.context.classInfo == ClassInfo(id: "3B", title: "Room 3B", staff: ["t-ortiz", "p-lee"], extra: ["room": .integer(12)]))
        #expect(
            roster.context.catalog == [
                CatalogItem(id: "show-video", title: "Record a video", kind: "show", modality: "video", skills: ["fractions"], minutes: 2),
                CatalogItem(id: "frac-mini", kind: "mini_lesson", modality: "video", skills: ["fractions"], minutes: 7.5, extra: ["captions": .bool(true)]),
            ])
        let expected = Student(
            id: "s-101", name: "Maya", flags: ["iep"], preferredModalities: ["video", "drawing"],
            skills: [
                Skill(
                    id: "hand-washing", domain: "adaptive", promptLevel: "gestural", stage: "guided",
                    sessions: [
                        Session(
                            date: "2026-11-17", promptLevel: "gestural", stage: "guided", trials: 10, correct: 9, independent: 0, setting: "classroom",
                            staff: "p-lee", extra: ["mood": .integer(3)])
                    ], badge: .silver, extra: ["goal": .string("by June")])
            ],
            work: [
                WorkItem(
                    id: "khan-frac-3", skill: "fractions", status: .missing, score: nil, due: "2026-11-14", modality: "worksheet",
                    checklist: Checklist(done: 2, total: 5, extra: ["steps": .array([.string("read"), .string("try")])]),
                    extra: ["attempts": .array([.integer(1), .integer(2)])])
            ],
            selfAssessments: [SelfAssessment(date: "2026-11-18", skill: "fractions", rating: .yellow, extra: ["note": .string("hard")])],
            extra: ["guardian": .object(["lang": .string("es")]), "seat": .null],
            preferenceExtra: ["time": .string("morning")])
        #expect(roster.entries == [.student(expected)])
    }

    @Test("whole-number counts written as 10.0 or 1e1 are accepted as integers")
    func wholeNumberCounts() throws {
        let roster = try read(#"{"students": [{"id": "s-1", "skills": [{"id": "k", "sessions": [{"trials": 10.0, "correct": 1e1, "independent": 0}]}]}]}"#)
        let session = try #require(student(roster.entries.first)?.skills.first?.sessions.first)
        #expect(session.trials == 10)
        #expect(session.correct == 10)
        #expect(session.independent == 0)
    }

    @Test("null reads as absent for optional fields")
    func nulls() throws {
        let roster = try read(
            #"{"students": [{"id": "s-1", "name": null, "flags": null, "preferences": null, "skills": [{"id": "k", "prompt_level": null, "badge": null, "sessions": [{"trials": null, "date": null}]}], "work": null}]}"#
        )
        let accepted = try #require(student(roster.entries.first))
        #expect(accepted == Student(id: "s-1", skills: [Skill(id: "k", sessions: [Session()])]))
        let withNullChecklist = try read(#"{"catalog": [{"id": "c", "minutes": null}], "students": [{"id": "s-1", "work": [{"id": "w", "checklist": null}]}]}"#)
        #expect(withNullChecklist.context.catalog == [CatalogItem(id: "c")])
        #expect(student(withNullChecklist.entries.first) == Student(id: "s-1", work: [WorkItem(id: "w")]))
    }

    @Test("checklists at their edges are valid: none done, all done, one step")
    func checklistEdges() throws {
        let roster = try read(
            #"{"students": [{"id": "s-1", "work": [{"checklist": {"done": 0, "total": 5}}, {"checklist": {"done": 5, "total": 5}}, {"checklist": {"done": 1.0, "total": 1}}]}]}"#
        )
        let accepted = try #require(student(roster.entries.first))
        #expect(accepted.work.map(\.checklist) == [Checklist(done: 0, total: 5), Checklist(done: 5, total: 5), Checklist(done: 1, total: 1)])
    }

    // MARK: - Whole-document errors

    struct DocumentCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var message: String
        var location: String
        var path: String? = nil
        var testDescription: String { name }
    }

    static let documentCases: [DocumentCase] = [
        DocumentCase(name: "empty", text: "", message: "the input is empty: expected a class document or one student per line", location: "class.json"),
        DocumentCase(name: "whitespace only", text: " \n\t\r\n ", message: "the input is empty: expected a class document or one student per line", location: "class.json"),
        DocumentCase(name: "not JSON", text: "hello, world", message: "invalid JSON: unexpected character 'h'", location: "class.json:1:1"),
        DocumentCase(name: "CSV", text: "id,name\ns-1,Maya\n", message: "invalid JSON: unexpected character 'i'", location: "class.json:1:1"),
        DocumentCase(name: "an array", text: "\n  [1, 2]", message: #"invalid JSON: expected a class document: a JSON object with "students""#, location: "class.json:2:3"),
        DocumentCase(
            name: "truncated", text: "{\n  \"students\": [\n    {\"id\": \"a\"", message: "invalid JSON: unexpected end of input, expected ',' or '}'", location: "class.json:3:15"),
        DocumentCase(
            name: "truncated inside a string", text: "{\n  \"students\": [\n    {\"id\": \"é-a", message: "invalid JSON: unterminated string", location: "class.json:3:12"),
        DocumentCase(
            name: "trailing garbage", text: "{\"students\": []}\n}", message: "invalid JSON: unexpected '}' after the end of the document", location: "class.json:2:1"),
        DocumentCase(
            name: "a missing comma between students",
            text: "{\"students\": [\n  {\"id\": \"a\"}\n  {\"id\": \"b\"}\n]}",
            message: "invalid JSON: expected ',' or ']' after an array element, found '{'", location: "class.json:3:3"),
        DocumentCase(name: "students missing", text: #"{"trellis": 1, "as_of": "2026-11-20"}"#, message: "required field 'students' is missing", location: "class.json:1:1"),
        DocumentCase(
            name: "students is an object", text: "{\n  \"students\": {\"id\": \"a\"}\n}", message: "expected an array of students, got an object",
            location: "class.json:2:15", path: "students"),
        DocumentCase(
            name: "students is a string", text: #"{"students": "s-1, s-2"}"#, message: #"expected an array of students, got "s-1, s-2""#,
            location: "class.json:1:14", path: "students"),
        DocumentCase(
            name: "students is null", text: #"{"students": null}"#, message: "expected an array of students, got null", location: "class.json:1:14",
            path: "students"),
        DocumentCase(
            name: "a ladder of one level", text: "{\n  \"ladders\": {\"prompt\": [\"only\"]},\n  \"students\": []\n}",
            message: "a ladder needs at least 2 levels, got 1", location: "class.json:2:25", path: "ladders.prompt"),
        DocumentCase(
            name: "an empty ladder", text: #"{"ladders": {"stage": []}, "students": []}"#, message: "a ladder needs at least 2 levels, got 0",
            location: "class.json:1:23", path: "ladders.stage"),
        DocumentCase(
            name: "a level twice", text: #"{"ladders": {"prompt": ["a", "b", "a"]}, "students": []}"#, message: #"level "a" appears twice"#,
            location: "class.json:1:35", path: "ladders.prompt[2]"),
        DocumentCase(
            name: "an empty level", text: #"{"ladders": {"prompt": ["a", ""]}, "students": []}"#, message: "must not be empty", location: "class.json:1:30",
            path: "ladders.prompt[1]"),
        DocumentCase(
            name: "ladders is a list", text: #"{"ladders": ["a", "b"], "students": []}"#, message: "expected an object, got an array", location: "class.json:1:13",
            path: "ladders"),
        DocumentCase(
            name: "contract version 2", text: "{\n  \"trellis\": 2,\n  \"students\": []\n}",
            message: "version 2 of the contract is not supported (this Trellis reads version 1)", location: "class.json:2:14", path: "trellis"),
        DocumentCase(
            name: "contract version as a string", text: #"{"trellis": "1", "students": []}"#, message: #"expected the contract version 1, got "1""#,
            location: "class.json:1:13", path: "trellis"),
        DocumentCase(
            name: "contract version 1.5", text: #"{"trellis": 1.5, "students": []}"#, message: "expected the contract version 1, got 1.5",
            location: "class.json:1:13", path: "trellis"),
        DocumentCase(
            name: "a catalog item of 0 minutes", text: #"{"catalog": [{"id": "m", "kind": "mini_lesson", "minutes": 0}], "students": []}"#,
            message: "expected a number of minutes above 0, got 0", location: "class.json:1:60", path: "catalog[0].minutes"),
        DocumentCase(
            name: "a catalog item of negative minutes", text: #"{"catalog": [{"id": "m", "minutes": -5}], "students": []}"#,
            message: "expected a number of minutes above 0, got -5", location: "class.json:1:37", path: "catalog[0].minutes"),
        DocumentCase(
            name: "minutes as words", text: #"{"catalog": [{"id": "m", "minutes": "ten"}], "students": []}"#,
            message: #"expected a number, got "ten""#, location: "class.json:1:37", path: "catalog[0].minutes"),
        DocumentCase(
            name: "as_of is not a date", text: #"{"as_of": "2026-02-30", "students": []}"#, message: #"expected a date (YYYY-MM-DD), got "2026-02-30""#,
            location: "class.json:1:11", path: "as_of"),
        DocumentCase(
            name: "as_of is a number", text: #"{"as_of": 20261120, "students": []}"#, message: "expected a string, got 20261120", location: "class.json:1:11",
            path: "as_of"),
    ]

    @Test("whole-document errors throw TrellisError with message, location and path", arguments: documentCases)
    func documentErrors(_ example: DocumentCase) throws {
        let error = try #require(inputError(example.text))
        #expect(error.issues.count == 1, "\(error.issues)")
        let issue = try #require(error.issues.first)
        #expect(issue.kind == .invalidInput)
        #expect(issue.message == example.message)
        #expect(issue.location == example.location)
        #expect(issue.path == example.path)
        #expect(issue.student == nil)
    }

    @Test("a document with broken JSON in a field the reader skips is still rejected")
    func brokenSkippedField() throws {
        let error = try #require(inputError(#"{"notes": [1, 2}, "students": [{"id": "s-1"}]}"#), "a document that is not JSON was read")
        #expect(error.issues.first?.message.hasPrefix("invalid JSON: ") == true)
        #expect(error.issues.first?.location == "class.json:1:16")
    }

    @Test("every class-level problem is reported at once")
    func classLevelProblemsTogether() throws {
        let text = """
            {
              "trellis": 2,
              "as_of": "someday",
              "ladders": {"prompt": ["x"]},
              "students": []
            }
            """
        let error = try #require(inputError(text))
        #expect(error.issues.map(\.path) == ["trellis", "as_of", "ladders.prompt"])
        #expect(error.issues.map(\.location) == ["class.json:2:14", "class.json:3:12", "class.json:4:25"])
        #expect(error.description == """
            class.json:2:14: trellis: version 2 of the contract is not supported (this Trellis reads version 1)
            class.json:3:12: as_of: expected a date (YYYY-MM-DD), got "someday"
            class.json:4:25: ladders.prompt: a ladder needs at least 2 levels, got 1
            """)
    }

    @Test("a byte-order mark is accepted, and columns count from after it")
    func byteOrderMark() throws {
        let text = "{\"students\": [{\"id\": \"s-1\"}, {\"id\": 5}]}"
        let roster = try RosterReader.read([0xEF, 0xBB, 0xBF] + Array(text.utf8), sourceName: "class.json", today: today)
        #expect(ids(roster) == ["ok:s-1", "invalid:?"])
        #expect(invalid(roster.entries[1])?.issues.first?.location == "class.json:1:37")
        let ndjson = [0xEF, 0xBB, 0xBF] + Array("{\"id\": \"n-1\"}\n{\"id\": \"n-2\"}\n".utf8)
        #expect(ids(try RosterReader.read(ndjson, sourceName: "x.ndjson", today: today)) == ["ok:n-1", "ok:n-2"])
    }

    @Test("as_of defaults to the given today; the document's own as_of wins")
    func asOf() throws {
        #expect(try read(#"{"students": []}"#).context.asOf == today)
        #expect(try read(#"{"as_of": "2025-01-31", "students": []}"#).context.asOf == "2025-01-31")
        #expect(try read(#"{"students": []}"#).entries.isEmpty)
    }

    @Test("a single-line document with class-level keys is read as a document, not NDJSON")
    func oneLineDocument() throws {
        let roster = try read(#"{"as_of": "2026-01-05", "students": [{"id": "s-1"}, {"id": "s-2"}]}"#)
        #expect(roster.context.asOf == "2026-01-05")
        #expect(ids(roster) == ["ok:s-1", "ok:s-2"])
    }

    // MARK: - NDJSON

    @Test("NDJSON, detected: a malformed line is invalid, naming its line; the others are read")
    func ndjsonAutoDetected() throws {
        let text = """
            {"id": "n-1", "skills": [{"id": "k", "prompt_level": "verbal"}]}
            {"id": "n-2", "skills": [}

            {"id": "n-3", "skills": [{"id": "k", "sessions": [{"trials": 4, "correct": 6}]}]}
            {"id": "n-4"} trailing
            {"id": "n-1"}
            {"id": "n-5", "name": "Last"}
            """
        let roster = try read(text, sourceName: "x.ndjson")
        #expect(roster.context == ClassContext(asOf: today))
        #expect(ids(roster) == ["ok:n-1", "invalid:?", "held:n-3", "invalid:?", "invalid:n-1", "ok:n-5"])
        #expect(
            invalid(roster.entries[1])?.issues == [
                TrellisIssue(kind: .invalidStudent, message: "invalid JSON: unexpected character '}'", location: "x.ndjson:2:26", path: "line 2")
            ])
        #expect(
            held(roster.entries[2])?.issues == [
                TrellisIssue(
                    kind: .undecidedSkill, student: "n-3", skill: "k", message: "6 is more than trials (4)", location: "x.ndjson:4:76",
                    path: "line 4 (n-3).skills[0].sessions[0].correct")
            ])
        #expect(
            invalid(roster.entries[3])?.issues == [
                TrellisIssue(kind: .invalidStudent, message: "invalid JSON: unexpected 't' after the end of the document", location: "x.ndjson:5:15", path: "line 5")
            ])
        #expect(
            invalid(roster.entries[4])?.issues == [
                TrellisIssue(kind: .invalidStudent, student: "n-1", message: #"duplicate student id "n-1", first at line 1"#, location: "x.ndjson:6:1", path: "line 6 (n-1).id")
            ])
        #expect(student(roster.entries[5])?.name == "Last")
    }

    @Test("NDJSON given as such, with a header's ladders, and a malformed first line")
    func ndjsonExplicit() throws {
        let header = try RosterReader.readHeader(
            Array(#"{"trellis": 1, "as_of": "2026-03-02", "ladders": {"prompt": ["hand", "say"]}, "class": {"id": "4A"}}"#.utf8), sourceName: "header.json",
            today: today)
        #expect(header.asOf == "2026-03-02")
        #expect(header.ladders.prompt == ["hand", "say"])
        #expect(header.classInfo?.id == "4A")
        let text = """
            {"id": "n-1", "skills": [{"id": "k"
            {"id": "n-2", "skills": [{"id": "k", "prompt_level": "say"}]}
            {"id": "n-3", "skills": [{"id": "k", "prompt_level": "verbal"}]}
            """
        let roster = try read(text, sourceName: "x.ndjson", format: .ndjson, header: header)
        #expect(roster.context == header)
        #expect(ids(roster) == ["invalid:?", "ok:n-2", "held:n-3"])
        let first = try #require(invalid(roster.entries[0])?.issues.first)
        #expect(first.path == "line 1")
        #expect(first.message == "invalid JSON: unexpected end of input, expected ',' or '}'")
        #expect(first.location == "x.ndjson:1:36")
        let third = try #require(held(roster.entries[2])?.issues.first)
        #expect(third.message == #""verbal" is not on the prompt ladder (hand, say)"#)
        #expect(third.path == "line 3 (n-3).skills[0].prompt_level")
        #expect(third.location == "x.ndjson:3:54")
    }

    @Test("NDJSON with CRLF line ends and multi-byte text counts columns in characters")
    func ndjsonCRLF() throws {
        let text = "{\"id\": \"n-1\", \"name\": \"Zoë\"}\r\n{\"id\": \"n-2\", \"name\": \"Zoë\", \"flags\": [1]}\r\n"
        let roster = try read(text, sourceName: "x.ndjson")
        #expect(ids(roster) == ["ok:n-1", "invalid:n-2"])
        #expect(student(roster.entries[0])?.name == "Zoë")
        #expect(invalid(roster.entries[1])?.issues.first?.location == "x.ndjson:2:40")
    }

    @Test("a document given as NDJSON is read line by line, not as a document")
    func documentAsNDJSON() throws {
        let roster = try read("{\n\"students\": []\n}", sourceName: "x.ndjson", format: .ndjson)
        #expect(roster.entries.count == 3)
        #expect(roster.entries.allSatisfy { invalid($0) != nil })
    }

    @Test("readHeader reads the class-level fields of a document, with or without students")
    func readHeader() throws {
        let context = try RosterReader.readHeader(
            [0xEF, 0xBB, 0xBF] + Array(#"{"students": [{"id": 1}], "catalog": [{"id": "c-1", "skills": ["k"]}], "ladders": {"stage": ["a", "b"]}}"#.utf8),
            sourceName: "h.json", today: "2026-05-05")
        #expect(context == ClassContext(asOf: "2026-05-05", ladders: Ladders(stage: ["a", "b"]), catalog: [CatalogItem(id: "c-1", skills: ["k"])]))

        do {
            _ = try RosterReader.readHeader(Array(#"{"as_of": "tomorrow"}"#.utf8), sourceName: "h.json", today: today)
            Issue.record("a bad as_of was accepted")
        } catch {
            #expect(error.issues == [TrellisIssue(kind: .invalidInput, message: #"expected a date (YYYY-MM-DD), got "tomorrow""#, location: "h.json:1:11", path: "as_of")])
        }
        do {
            _ = try RosterReader.readHeader(Array("{\"as_of\": \"2026-01-01\",".utf8), sourceName: "h.json", today: today)
            Issue.record("a truncated header was accepted")
        } catch {
            #expect(error.issues.map(\.message) == ["invalid JSON: unexpected end of input, expected a key"])
            #expect(error.issues.map(\.location) == ["h.json:1:24"])
        }
    }

    @Test("a duplicate catalog id is a class-level error")
    func duplicateCatalogID() throws {
        let error = try #require(inputError(#"{"catalog": [{"id": "c"}, {"id": "c"}], "students": []}"#))
        #expect(error.issues == [TrellisIssue(kind: .invalidInput, message: #"duplicate catalog id "c", first at catalog[0]"#, location: "class.json:1:27", path: "catalog[1]")])
    }
}
