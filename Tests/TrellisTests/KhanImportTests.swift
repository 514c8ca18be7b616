import Foundation
import Testing
@testable import Trellis

/// `trellis import khan` on exports laid out as Khan Academy's CSV data dictionary describes them
/// (Student Name, Student Email, Student SIS ID, Roster Status, then the course, unit and skill
/// with its mastery level, or the assignment with its status and score): quoted fields, an
/// accented name, a skill with a comma in its name, levels written as Khan writes them, a bad
/// cell in a row, a blank row and a student no longer rostered.
struct KhanImportTests {
    static let folder = ImportFixtures.folder.appending(path: "khan")
    static let skills = folder.appending(path: "Maple-Unified_skills_progress_5th-grade-math_20261109_20261115.csv").path
    static let assignments = folder.appending(path: "Room-3B_assignment_scores_20261109_20261115.csv").path
    static let mapFile = folder.appending(path: "khan-map.yaml").path
    static let classDocument = folder.appending(path: "class.json").path
    static let direct = folder.appending(path: "direct.json").path
    static let context = ClassContext(asOf: "2026-11-20")

    static func map() throws -> KhanMap { try KhanMap(contentsOf: mapFile) }

    static func mastery(_ skill: Skill?) -> [String: JSONValue]? {
        if case .object(let members)? = skill?.extra["mastery"] { members } else { nil }
    }

    static func document(at path: String) throws -> ClassDocument {
        let roster = try RosterReader.read(Array(try Data(contentsOf: URL(fileURLWithPath: path))), sourceName: path)
        return ClassDocument(context: roster.context, students: roster.entries.compactMap { if case .student(let student) = $0 { student } else { nil } })
    }

    @Test func skillsProgressBecomesEachSkillsMasteryAndABadCellCostsOnlyItsSkill() throws {
        let result = KhanImporter(context: Self.context).importFiles([Self.skills])
        #expect(result.status == .partial)
        let document = try #require(result.documents.first)
        // The SIS id is the id; the accented name is kept as written.
        #expect(document.students.map(\.id) == ["100234", "100235"])
        #expect(document.students.map(\.name) == ["Zoë Álvarez", "Ben Kowalski"])
        let zoe = document.students[0]
        #expect(zoe.skills.map(\.id) == ["add-and-subtract-fractions-unlike-denominators", "compare-fractions-with-unlike-denominators", "decimal-place-value"])
        #expect(zoe.skills[0].extra["title"] == .string("Add and subtract fractions, unlike denominators"))
        #expect(Self.mastery(zoe.skills[0]) == [
            "level": .string("proficient"), "date": .string("2026-11-12"), "source": .string("khan"), "points": .integer(80),
            "course": .string("5th grade math"), "unit": .string("Fractions"),
        ])
        // A time of day after the date is dropped; "Not started" is not_started; a blank date is
        // the last day of the export's span (its file name).
        #expect(Self.mastery(zoe.skills[1])?["date"] == .string("2026-11-10"))
        #expect(Self.mastery(zoe.skills[1])?["level"] == .string("familiar"))
        let ben = document.students[1]
        #expect(ben.skills.map(\.id) == ["add-and-subtract-fractions-unlike-denominators"])
        #expect(Self.mastery(ben.skills[0])?["level"] == .string("not_started"))
        #expect(Self.mastery(ben.skills[0])?["date"] == .string("2026-11-15"))
        // Ben's two bad rows: each is reported with its place and text, and holds its skill.
        let faults = result.faults.map(\.description)
        #expect(faults == [
            "\(Self.skills):6:N: Last Practiced: \"11/13/2026\" is a date with the day and month in an order the sheet does not say: give --date-order mdy (month first) or dmy (day first)",
            "\(Self.skills):7:L: Mastery Level: \"Mastred\" is not a mastery level (Mastered, Proficient, Familiar, Attempted, Not started; a map's values.level names others)",
        ])
        #expect(ben.incomplete.map(\.skill) == ["decimal-place-value", "round-decimals"])
        #expect(ben.incomplete.map(\.location) == ["\(Self.skills):6:N", "\(Self.skills):7:L"])
        #expect(ben.incomplete.map(\.text) == ["11/13/2026", "Mastred"])
        let warnings = result.issues.filter { $0.severity == .warning }.map(\.description)
        #expect(warnings.contains("\(Self.skills): warning: 1 blank row skipped (8)"), "\(warnings)")
        #expect(warnings.contains("\(Self.skills): warning: 1 row of students No Longer Rostered left out (9)"), "\(warnings)")
        #expect(result.counts.read == 7)
        #expect(result.counts.skipped == 2)
        #expect(result.counts.ignored == 2)
    }

    @Test func theMapNamesSkillsByUnitAndSeveralKhanSkillsMakeOneMastery() throws {
        let result = KhanImporter(context: Self.context, map: try Self.map()).importFiles([Self.skills])
        let document = try #require(result.documents.first)
        let zoe = document.students[0]
        #expect(zoe.skills.map(\.id) == ["fractions", "decimal-place-value"])
        // Two Khan skills of the Fractions unit: the least level, the newest date, each one kept.
        let fractions = try #require(Self.mastery(zoe.skills[0]))
        #expect(fractions["level"] == .string("familiar"))
        #expect(fractions["date"] == .string("2026-11-12"))
        #expect(fractions["skills"] == .array([
            .object(["name": .string("Add and subtract fractions, unlike denominators"), "level": .string("proficient"), "date": .string("2026-11-12"), "points": .integer(80)]),
            .object(["name": .string("Compare fractions with unlike denominators"), "level": .string("familiar"), "date": .string("2026-11-10"), "points": .integer(50)]),
        ]))
        // The map's date_order reads Ben's US date; his misspelt level is still a fault.
        let ben = document.students[1]
        #expect(ben.skills.map(\.id) == ["fractions", "decimal-place-value"])
        #expect(Self.mastery(ben.skills[1])?["date"] == .string("2026-11-13"))
        #expect(result.faults.count == 1)
        #expect(ben.incomplete.map(\.skill) == ["round-decimals"])
        // A map entry that no skill, unit or course of the export has is said, with its line.
        let unused = result.issues.filter { $0.message.contains("Fractions quiz 1") }.map(\.description)
        #expect(unused == ["\(Self.mapFile):4:21: warning: the map names \"Fractions quiz 1\", which no skill, unit or course of the export is"])
    }

    @Test func assignmentScoresBecomeWorkItemsWithTheStatusMapping() throws {
        let result = KhanImporter(context: Self.context, map: try Self.map()).importFiles([Self.assignments])
        #expect(result.status == .partial)
        let document = try #require(result.documents.first)
        let zoe = document.students[0]
        #expect(zoe.work.map(\.id) == ["Add and subtract fractions, unlike denominators", "Compare fractions with unlike denominators", "Fractions quiz 1", "Decimal place value"])
        #expect(zoe.work.map(\.skill) == ["fractions", "fractions", "fractions", "decimal-place-value"])
        // Not started and past its due date: missing; Past due: missing; not started, due later: assigned.
        #expect(zoe.work.map(\.status) == [.missing, .missing, .assigned, .graded])
        #expect(zoe.work.map(\.due) == ["2026-11-10", "2026-11-12", "2026-11-24", "2026-11-06"])
        #expect(zoe.work.map(\.score) == [nil, nil, nil, 0.9])
        #expect(zoe.work.allSatisfy { $0.extra["source"] == .string("khan") })
        #expect(zoe.work[3].extra["completed"] == .string("2026-11-05"))
        #expect(zoe.work[3].extra["attempts"] == .integer(2))
        let ben = document.students[1]
        // Completed late with 4/5: graded 0.8, late; Excused: exempt; the bad due date left out.
        #expect(ben.work.map(\.status) == [.graded, .exempt])
        #expect(ben.work.map(\.score) == [0.8, nil])
        #expect(ben.work[0].extra["late"] == .bool(true))
        #expect(result.faults.map(\.description) == ["\(Self.assignments):8:H: Due Date: \"2026-11-31 11:59 PM\" is not a calendar day"])
        #expect(ben.incomplete.map(\.skill) == ["decimal-place-value"])
        #expect(ben.incomplete.first?.text == "2026-11-31 11:59 PM")
        // No skills come of assignments: they name the skills.
        #expect(document.students.allSatisfy { $0.skills.isEmpty })
    }

    /// Each winning prompt or scaffold decision as `student/skill: action -> to`.
    static func decisions(_ report: EvaluationReport) -> [String: String] {
        SheetImportTests.decisions(report)
    }

    @Test func twoMissingKhanAssignmentsStepAStageBackAsTheSameDataWrittenDirectly() throws {
        let result = KhanImporter(context: Self.context, map: try Self.map()).importFiles([Self.assignments])
        let imported = try #require(result.documents.first)
        let (merged, conflicts) = ClassMerge.merge(try Self.document(at: Self.classDocument), source: Self.classDocument, with: imported, source: Self.assignments)
        #expect(conflicts.isEmpty)
        let report = try SheetImportTests.evaluate(merged)
        let direct = try Engine().evaluate(try RosterReader.read(Array(try Data(contentsOf: URL(fileURLWithPath: Self.direct))), sourceName: Self.direct))
        #expect(Self.decisions(direct)["100234/fractions"] == "step_back -> modeled")
        #expect(Self.decisions(direct)["100235/fractions"] == "advance -> collaborative")
        #expect(Self.decisions(report) == Self.decisions(direct))
        let zoe = try #require(report.results.first { $0.student == "100234" })
        let stepBack = try #require(zoe.recommendations.first { $0.skill == "fractions" && $0.kind == "scaffold" })
        #expect(stepBack.reason.contains("2 missing work items for fractions (Add and subtract fractions, unlike denominators, Compare fractions with unlike denominators)"), "\(stepBack.reason)")
        // Ben's lost row leaves only that skill undecided, with the cell named.
        let ben = try #require(report.results.first { $0.student == "100235" })
        #expect(ben.errors.filter { $0.kind == .undecidedSkill }.map(\.location) == ["\(Self.assignments):8:H"])
    }

    @Test func mergingIntoAKeptDocumentReportsAConflictingWorkItem() throws {
        var kept = try Self.document(at: Self.classDocument)
        kept.students[0].work = [WorkItem(id: "Compare fractions with unlike denominators", skill: "fractions", status: .submitted, due: "2026-11-12", extra: ["source": .string("classroom")])]
        let imported = try #require(KhanImporter(context: Self.context, map: try Self.map()).importFiles([Self.assignments]).documents.first)
        let (merged, conflicts) = ClassMerge.merge(kept, source: "class.json", with: imported, source: "khan.csv")
        #expect(conflicts.map(\.description) == [
            "khan.csv: students (100234).fractions: conflict: work Compare fractions with unlike denominators due 2026-11-12: submitted, score none (classroom) but missing, score none (khan.csv)"
        ])
        // The kept document's entry stays, and the skill is left undecided until a source is fixed.
        let zoe = merged.students[0]
        #expect(zoe.work.filter { $0.id == "Compare fractions with unlike denominators" }.map(\.status) == [.submitted])
        #expect(zoe.incomplete.map(\.skill) == ["fractions"])
    }

    /// Regression: a merge dropped the fields a skill already in the base document had beyond the
    /// contract, so a Khan mastery merged into a kept document's skill was lost.
    @Test func masteryMergedIntoAKeptSkillIsKeptAndTheNewerOneWins() throws {
        let context = ClassContext(asOf: "2026-11-20")
        func document(_ level: String, _ date: String) -> ClassDocument {
            ClassDocument(context: context, students: [
                Student(id: "s-1", skills: [Skill(id: "fractions", extra: ["mastery": .object(["level": .string(level), "date": .string(date), "source": .string("khan")])])])
            ])
        }
        let kept = ClassDocument(context: context, students: [Student(id: "s-1", skills: [Skill(id: "fractions", sessions: [Session(date: "2026-11-13", stage: "guided", trials: 10, correct: 9)])])])
        let (first, none) = ClassMerge.merge(kept, source: "class.json", with: document("familiar", "2026-11-10"), source: "a.csv")
        #expect(none.isEmpty)
        #expect(Self.mastery(first.students[0].skills[0])?["level"] == .string("familiar"))
        #expect(first.students[0].skills[0].sessions.count == 1)
        let (second, stillNone) = ClassMerge.merge(first, source: "class.json", with: document("proficient", "2026-11-14"), source: "b.csv")
        #expect(stillNone.isEmpty)
        #expect(Self.mastery(second.students[0].skills[0])?["level"] == .string("proficient"))
        let (third, conflicts) = ClassMerge.merge(second, source: "class.json", with: document("mastered", "2026-11-14"), source: "c.csv")
        #expect(conflicts.map(\.message) == ["conflict: mastery of fractions on 2026-11-14: proficient (khan) but mastered (khan)"])
        #expect(Self.mastery(third.students[0].skills[0])?["level"] == .string("proficient"))
        #expect(third.students[0].incomplete.map(\.skill) == ["fractions"])
    }

    /// The mastery progress export by student: a column per week (Monday to Sunday, the newest
    /// last). Each student's weeks are kept as `mastery_progress`; a bad cell is reported with its
    /// place and costs only that week.
    @Test func aWeeklyMasteryProgressExportKeepsEachStudentsWeeks() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-khan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appending(path: "Maple-Unified_MasteryProgressStudent_20261012_20261115.csv").path
        try """
            Student Name,Student Email,Student SIS ID,Course,2026-10-12 - 2026-10-18,2026-10-19 - 2026-10-25,2026-11-09 - 2026-11-15
            Zoë Álvarez,zoe.alvarez@maple.example,100234,5th grade math,12%,15%,21%
            Ben Okafor,ben.okafor@maple.example,100235,5th grade math,3%,n/a,
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = KhanImporter(context: Self.context).importFiles([file])
        #expect(result.status == .partial)
        #expect(result.faults.map(\.description) == ["\(file):3:F: 2026-10-19 - 2026-10-25: \"n/a\" is not a number of the week's progress"])
        let students = try #require(result.documents.first?.students)
        #expect(students.map(\.id) == ["100234", "100235"])
        let zoe = try #require(students[0].extra["mastery_progress"])
        #expect(zoe == .object(["source": .string("khan"), "weeks": .array([
            .object(["week": .string("2026-10-12 - 2026-10-18"), "from": .string("2026-10-12"), "to": .string("2026-10-18"), "value": .integer(12), "percent": .bool(true)]),
            .object(["week": .string("2026-10-19 - 2026-10-25"), "from": .string("2026-10-19"), "to": .string("2026-10-25"), "value": .integer(15), "percent": .bool(true)]),
            .object(["week": .string("2026-11-09 - 2026-11-15"), "from": .string("2026-11-09"), "to": .string("2026-11-15"), "value": .integer(21), "percent": .bool(true)]),
        ])]))
        // Ben: the bad week left out, the blank one is no week, the good one kept.
        guard case .object(let ben)? = students[1].extra["mastery_progress"], case .array(let weeks)? = ben["weeks"] else {
            Issue.record("no mastery_progress for Ben")
            return
        }
        #expect(weeks.count == 1)
        // Rules see it on the student, through the text `evaluate` reads.
        let roster = try RosterReader.read(Array(DocumentJSON.document(try #require(result.documents.first)).utf8), sourceName: "khan.json")
        guard case .student(let read)? = roster.entries.first else {
            Issue.record("the imported document does not read back")
            return
        }
        #expect(read.extra["mastery_progress"] == zoe)
    }

    @Test func aGridOfSkillsReadsEachCellAndABadCellCostsOnlyItsSkill() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-khan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appending(path: "Room-3B_skills_progress_5th-grade-math_20261109_20261115.csv").path
        try """
            Student Name,Student Email,Class Name,"Add and subtract fractions, unlike denominators",Decimal place value,Round decimals
            Zoë Álvarez,zoe.alvarez@maple.example,Room 3B,Proficient,MASTERED,not started
            Ben Kowalski,ben.kowalski@maple.example,Room 3B,Familiar,Level 2,
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = KhanImporter(context: Self.context).importFiles([file])
        #expect(result.status == .partial)
        let document = try #require(result.documents.first)
        // Without SIS ids, the email is the id.
        #expect(document.students.map(\.id) == ["zoe.alvarez@maple.example", "ben.kowalski@maple.example"])
        #expect(document.students[0].skills.map { Self.mastery($0)?["level"] } == [.string("proficient"), .string("mastered"), .string("not_started")])
        #expect(document.students[0].skills.map { Self.mastery($0)?["date"] } == Array(repeating: .string("2026-11-15"), count: 3))
        #expect(document.students[0].skills.map { Self.mastery($0)?["course"] } == Array(repeating: .string("5th grade math"), count: 3))
        #expect(document.students[1].skills.map(\.id) == ["add-and-subtract-fractions-unlike-denominators"])
        #expect(result.faults.map(\.description) == ["\(file):3:E: Decimal place value: \"Level 2\" is not a mastery level (Mastered, Proficient, Familiar, Attempted, Not started; a map's values.level names others)"])
        #expect(document.students[1].incomplete.map(\.skill) == ["decimal-place-value"])
    }

    @Test func aGridRowWithABadDateHoldsEachOfItsSkillsAndSaysSoOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-khan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // No span of days in the name: a level without a date is as of --as-of. "Weekdays and
        // months" is a skill, not a week; the map names the course of the file by its words.
        let file = folder.appending(path: "skills.csv").path
        try """
            Student Name,Student SIS ID,Course,Weekdays and months,Telling time,Last Activity
            Zoë Álvarez,100234,Pre-algebra,Familiar,Attempted,2026-02-30
            Ben Kowalski,100235,Pre-algebra,Proficient,,
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let map = try KhanMap(yaml: "skills:\n  Pre algebra: algebra-readiness\n  Telling time: clocks\n", fileName: "map.yaml")
        let result = KhanImporter(context: Self.context, map: map).importFiles([file])
        #expect(result.faults.map(\.description) == ["\(file):2:F: Last Activity: \"2026-02-30\" is not a calendar day"])
        let document = try #require(result.documents.first)
        #expect(document.students[0].skills.isEmpty)
        #expect(document.students[0].incomplete.map(\.skill) == ["algebra-readiness", "clocks"])
        #expect(document.students[1].skills.map(\.id) == ["algebra-readiness"])
        #expect(Self.mastery(document.students[1].skills[0])?["date"] == .string("2026-11-20"))
        #expect(result.counts.skipped == 1)
    }

    @Test func aMapMistakeNamesItsLine() throws {
        let yaml = """
            student_id: username
            skills:
              Fractions: ""
            values:
              level: { Dominado: expert }
            colums: {}
            """
        #expect {
            try KhanMap(yaml: yaml, fileName: "map.yaml")
        } throws: { error in
            let issues = (error as? YAMLFileError)?.issues ?? []
            return issues == [
                "map.yaml:6:9: colums: unknown key (a Khan map has student_id, skills, columns, values and date_order)",
                "map.yaml:1:13: student_id: expected sis_id, email or name",
                "map.yaml:3:14: skills.Fractions: expected the skill id that \"Fractions\" is",
                "map.yaml:5:22: values.level.Dominado: expected one of not_started, attempted, familiar, proficient, mastered",
            ]
        }
    }

    @Test(arguments: [
        ("Mastered", MasteryLevel.mastered), ("Not started", .notStarted), ("NOT_STARTED", .notStarted), ("not-started", .notStarted),
        ("proficient", .proficient), (" Familiar ", .familiar), ("Attempted", .attempted),
    ])
    func levelsAsKhanWritesThem(text: String, level: MasteryLevel) {
        #expect(KhanValues.level(text) == level)
    }

    @Test func scoresDatesAndIdsAsKhanWritesThem() throws {
        #expect(try KhanValues.score("80%", possible: nil).get() == 0.8)
        #expect(try KhanValues.score("4/5", possible: nil).get() == 0.8)
        #expect(try KhanValues.score("4 / 5", possible: nil).get() == 0.8)
        #expect(try KhanValues.score("85", possible: nil).get() == 0.85)
        #expect(try KhanValues.score("0.5", possible: nil).get() == 0.5)
        #expect(try KhanValues.score("8", possible: 10).get() == 0.8)
        #expect(try KhanValues.score("—", possible: nil).get() == nil)
        #expect(throws: SheetValueError.self) { try KhanValues.score("120%", possible: nil).get() }
        #expect(throws: SheetValueError.self) { try KhanValues.score("six", possible: nil).get() }
        #expect(try KhanValues.day("Nov 14, 2026 11:59 PM", order: nil).get() == "2026-11-14")
        #expect(try KhanValues.day("2026-11-14 11:59 PM PST", order: nil).get() == "2026-11-14")
        #expect(try KhanValues.day("2026-11-14T23:59:00-08:00", order: nil).get() == "2026-11-14")
        #expect(try KhanValues.day("11/14/2026 11:59 PM", order: .mdy).get() == "2026-11-14")
        #expect(throws: SheetValueError.self) { try KhanValues.day("11/04/2026 11:59 PM", order: nil).get() }
        #expect(KhanValues.slug("Add and subtract fractions, unlike denominators") == "add-and-subtract-fractions-unlike-denominators")
        #expect(KhanValues.slug("Équations: résoudre (1 étape)") == "equations-resoudre-1-etape")
        #expect(KhanValues.fileName("/x/Maple-Unified_skills_progress_5th-grade-math_20231002_20231008.csv") == ("2023-10-08", "5th grade math"))
        #expect(KhanValues.fileName("/x/export.csv") == (nil, nil))
    }
}
