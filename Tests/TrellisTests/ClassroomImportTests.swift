import Foundation
import Testing
@testable import Trellis

/// `trellis import classroom` on files laid out as Google Classroom writes them: the Grades
/// page's CSV download, and the API's courseWork, studentSubmissions, students and topics lists.
struct ClassroomImportTests {
    static let folder = ImportFixtures.folder.appending(path: "classroom")
    static let gradesCSV = folder.appending(path: "grades.csv").path
    static let map = folder.appending(path: "map.yaml").path
    static let api = folder.appending(path: "api")
    static let apiFiles = ["courseWork.json", "studentSubmissions.json", "students.json", "topics.json"].map { api.appending(path: $0).path }
    static let context = ClassContext(asOf: "2026-11-20")
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func item(_ student: Student, _ id: String) throws -> WorkItem {
        try #require(student.work.first { $0.id == id }, "\(student.id) has no \(id): \(student.work.map(\.id))")
    }

    static func importAPI(map: AssignmentMap = AssignmentMap(), files: [String] = apiFiles) -> ImportResult {
        ClassroomImporter(context: context, map: map, timeZone: newYork).importFiles(files)
    }

    // MARK: The gradebook CSV

    @Test func theGradesPagesDownloadBecomesWorkItems() throws {
        let result = ClassroomImporter(context: Self.context, map: try AssignmentMap(contentsOf: Self.map)).importFiles([Self.gradesCSV])
        #expect(result.status == .clean, "\(result.issues)")
        #expect(result.faults.isEmpty)
        let students = try #require(result.documents.first?.students)
        // The e-mail is the id; the name is the first and last name, accents and apostrophe kept.
        #expect(students.map(\.id) == ["sobrien@students.example.org", "jnunez@students.example.org", "areyes@students.example.org"])
        #expect(students.map(\.name) == ["Siobhán O'Brien", "José Núñez", "Ava Reyes"])
        let siobhan = students[0]
        // The ignored reading log is not a work item; the others are, in column order.
        #expect(siobhan.work.map(\.id) == ["Fractions quiz 1", "Fractions exit ticket", "Decimals worksheet", "Unit 2 test"])
        let quiz = try Self.item(siobhan, "Fractions quiz 1")
        #expect(quiz.status == .graded)
        #expect(quiz.score == 0.8)
        #expect(quiz.due == "2026-11-10")
        #expect(quiz.skill == "fractions")
        #expect(quiz.extra["source"] == .string("google-classroom"))
        // A blank cell is not called missing on a guess, even past its due date: a blank is
        // also what work turned in and not yet graded looks like.
        let blank = try Self.item(siobhan, "Fractions exit ticket")
        #expect(blank.status == .assigned)
        #expect(blank.due.map { $0 < Self.context.asOf } == true)
        let late = try Self.item(siobhan, "Decimals worksheet")
        #expect(late.status == .submitted)
        #expect(late.extra["late"] == .bool(true))
        #expect(late.skill == "decimals")
        #expect(try Self.item(siobhan, "Unit 2 test").status == .assigned)
        let jose = students[1]
        #expect(try Self.item(jose, "Fractions exit ticket").score == 1)
        #expect(try Self.item(jose, "Decimals worksheet").status == .exempt)
        #expect(try Self.item(jose, "Unit 2 test").status == .submitted)
        let ava = students[2]
        #expect(ava.work.filter { $0.status == .missing }.map(\.id) == ["Fractions quiz 1", "Fractions exit ticket"])
        #expect(try Self.item(ava, "Decimals worksheet").score == 0.75)
        #expect(result.counts.read == 6)
        #expect(result.counts.ignored == 1)
    }

    /// Two missing work items for a skill make scaffold-stage step back (contract, section 3):
    /// the imported gradebook decides exactly as the same work written by hand into the document.
    @Test func importedWorkDecidesAsTheSameWorkWrittenDirectly() throws {
        let imported = ClassroomImporter(context: Self.context, map: try AssignmentMap(contentsOf: Self.map)).importFiles([Self.gradesCSV])
        let kept = try Self.document(Self.folder.appending(path: "class.json").path)
        let merged = ClassMerge.merge(kept, source: "class.json", with: try #require(imported.documents.first), source: "grades.csv")
        #expect(merged.issues.isEmpty, "\(merged.issues)")
        let direct = try SheetImportTests.evaluate(try Self.document(Self.folder.appending(path: "class-with-work.json").path))
        let decisions = SheetImportTests.decisions(try SheetImportTests.evaluate(merged.document))
        #expect(decisions == SheetImportTests.decisions(direct))
        #expect(decisions["areyes@students.example.org/fractions"] == "step_back -> modeled")
        // Without the gradebook, the same sessions advance her.
        #expect(SheetImportTests.decisions(try SheetImportTests.evaluate(kept))["areyes@students.example.org/fractions"] == "advance -> collaborative")
        #expect(decisions["sobrien@students.example.org/fractions"] == "advance -> collaborative")
    }

    @Test func aBadCellCostsItsSkillAndTheRestIsImported() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appending(path: "grades.csv").path
        try """
            Last Name,First Name,Email Address,Fractions quiz 1,Fractions exit ticket,Decimals worksheet,Unit 2 test
            Due Date,,,"Nov 10, 2026","Nov 31, 2026","Nov 13, 2026","Nov 24, 2026"
            Points,,,10,5,twenty,100
            Class Average,,,8.5,5,15,
            O'Brien,Siobhán,sobrien@students.example.org,eight,Missing,18,
            Núñez,José,jnunez@students.example.org,9,5,Excused,
            Reyes,Ava,,7,Missing,15,
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = ClassroomImporter(context: Self.context, map: try AssignmentMap(contentsOf: Self.map)).importFiles([file])
        #expect(result.status == .partial)
        let faults = result.faults.map(\.description)
        #expect(faults == [
            "\(file):2:E: Fractions exit ticket: its due date \"Nov 31, 2026\" is not a calendar day: the assignment is left out for every student",
            "\(file):3:F: Decimals worksheet: its points \"twenty\" are not a number above 0: the assignment is left out for every student",
            "\(file):5:D: Fractions quiz 1: \"eight\" is not a grade or a status the profile classroom knows (\"assigned\", \"excused\", \"handed in\", \"missing\", \"not turned in\", \"turned in\")",
            "\(file):7:C: the row names no student e-mail (Ava Reyes): it is left out",
        ], "\(faults)")
        let students = try #require(result.documents.first?.students)
        #expect(students.map(\.id) == ["sobrien@students.example.org", "jnunez@students.example.org"])
        let siobhan = students[0]
        // Her other cells are imported; the bad one, and the two broken columns, are recorded.
        #expect(siobhan.work.map(\.id) == ["Unit 2 test"])
        #expect(Set(siobhan.incomplete.map(\.skill)) == ["fractions", "decimals"])
        let bad = try #require(siobhan.incomplete.first { $0.location == "\(file):5:D" })
        #expect(bad.text == "eight")
        #expect(students[1].work.map(\.id) == ["Fractions quiz 1", "Unit 2 test"])
        #expect(students[1].incomplete.compactMap(\.location).sorted() == ["\(file):2:E", "\(file):3:F"])
    }

    // MARK: The API's JSON

    @Test func theAPIsListsBecomeWorkItemsWithTheDocumentedStatuses() throws {
        let result = Self.importAPI()
        #expect(result.status == .partial)
        let document = try #require(result.documents.first)
        #expect(document.context.classInfo?.id == "612345678901")
        let students = document.students
        #expect(students.map(\.id) == ["116000000000000000001", "116000000000000000002", "116000000000000000003"])
        #expect(students.map(\.name) == ["Siobhán O'Brien", "José Núñez", "Ava Reyes"])
        let (siobhan, jose, ava) = (students[0], students[1], students[2])

        // RETURNED with a grade: graded, assignedGrade / maxPoints; the due day is New York's
        // (2026-11-11 04:59 UTC is 23:59 on the 10th there).
        let quiz = try Self.item(siobhan, "700000000001")
        #expect(quiz.status == .graded)
        #expect(quiz.score == 0.8)
        #expect(quiz.due == "2026-11-10")
        #expect(quiz.skill == "fractions")
        #expect(quiz.extra["title"] == .string("Fractions quiz 1"))
        #expect(quiz.extra["source"] == .string("google-classroom"))
        // Extra credit (11 of 10) is full marks, with a warning.
        #expect(try Self.item(jose, "700000000001").score == 1)
        #expect(result.issues.contains { $0.severity == .warning && $0.field == "assignedGrade" && $0.message.contains("extra credit") })
        // TURNED_IN: submitted, late kept.
        let turnedIn = try Self.item(siobhan, "700000000002")
        #expect(turnedIn.status == .submitted)
        #expect(turnedIn.score == nil)
        #expect(turnedIn.extra["late"] == .bool(true))
        // Not turned in and due before as_of: missing (CREATED, NEW, RECLAIMED_BY_STUDENT, and
        // RETURNED without ever being turned in).
        #expect(try Self.item(ava, "700000000001").status == .missing)
        #expect(try Self.item(ava, "700000000002").status == .missing)
        #expect(try Self.item(ava, "700000000003").status == .missing)
        #expect(try Self.item(siobhan, "700000000003").status == .missing)
        // A topic's name is the skill id when no map names one.
        #expect(try Self.item(siobhan, "700000000003").skill == "decimals-percents")
        // Not turned in, due after as_of: assigned.
        #expect(try Self.item(siobhan, "700000000006").status == .assigned)
        #expect(try Self.item(ava, "700000000006").status == .submitted)
        // The draft assignment and the one without a skill give no work items.
        #expect(!students.contains { $0.work.contains { ["700000000004", "700000000005"].contains($0.id) } })
    }

    @Test func everyBadResourceIsNamedByItsLineAndCostsOnlyItsSkill() throws {
        let result = Self.importAPI()
        let courseWork = Self.apiFiles[0]
        let submissions = Self.apiFiles[1]
        let lines = try Self.objectLines(submissions)
        let faults = result.faults.map(\.description)
        #expect(faults == [
            "\(courseWork):\(try Self.objectLines(courseWork)["700000000007"] ?? 0): courseWork 700000000007: dueDate: 2026-2-30 is not a calendar day: its submissions are left out",
            "\(submissions):\(lines["Cg4I0008EIGx"] ?? 0): state: expected NEW, CREATED, TURNED_IN, RETURNED or RECLAIMED_BY_STUDENT, got \"DONE\"",
            "\(submissions):\(lines["Cg4I0015EIGx"] ?? 0): courseWorkId: no assignment 799999999999 was read (give the courseWork list too): the submission is left out",
        ], "\(faults)")
        let warnings = result.issues.filter { $0.severity == .warning }.map(\.description)
        #expect(warnings.contains { $0.contains("courseWork 700000000004: warning: no skill for \"Class survey\": it has no topic") }, "\(warnings)")
        let students = try #require(result.documents.first?.students)
        // José's bad state costs his decimals-percents skill, named with its line and text.
        let jose = students[1]
        #expect(jose.incomplete.map(\.skill) == ["decimals-percents"])
        #expect(jose.incomplete.first?.location == "\(submissions):\(lines["Cg4I0008EIGx"] ?? 0)")
        #expect(jose.incomplete.first?.text == "DONE")
        // The assignment with a bad due date costs its skill for the student with a submission.
        #expect(students[0].incomplete.map(\.skill) == ["measurement"])
        #expect(!students[0].work.contains { $0.id == "700000000007" })
    }

    @Test func aMapNamesSkillsByTitleOrTopicAndSaysWhatMatchedNothing() throws {
        let map = try AssignmentMap(
            yaml: """
                skills:
                  class survey: reading
                  Fractions Quizz 1: fractions
                topics:
                  Decimals & Percents: decimals
                """, fileName: "map.yaml")
        let result = Self.importAPI(map: map)
        let students = try #require(result.documents.first?.students)
        // Titles match in any case; a topic in the map wins over the topic's own name.
        #expect(try Self.item(students[0], "700000000004").skill == "reading")
        #expect(try Self.item(students[0], "700000000003").skill == "decimals")
        #expect(result.issues.map(\.description).contains("map.yaml:3: skills.Fractions Quizz 1: warning: no assignment read has this title"), "\(result.issues)")
    }

    /// The API gives due dates in UTC; a due day is the school's.
    @Test(arguments: [
        ("America/New_York", "2026-11-10"), ("UTC", "2026-11-11"), ("Asia/Tokyo", "2026-11-11"), ("Pacific/Honolulu", "2026-11-10"),
    ])
    func dueDaysAreTheSchools(zone: String, day: String) throws {
        let date = JSONValue.object(["year": .integer(2026), "month": .integer(11), "day": .integer(11)])
        let time = JSONValue.object(["hours": .integer(4), "minutes": .integer(59)])
        #expect(try ClassroomImporter.dueDay(date: date, time: time, timeZone: try #require(TimeZone(identifier: zone))).get() == day)
        // Without a time, the date is taken as written.
        #expect(try ClassroomImporter.dueDay(date: date, time: nil, timeZone: try #require(TimeZone(identifier: zone))).get() == "2026-11-11")
    }

    @Test func theAPIsWorkDecidesAsTheSameWorkWrittenDirectly() throws {
        let result = Self.importAPI(map: try AssignmentMap(contentsOf: Self.api.appending(path: "map.yaml").path))
        let kept = try Self.document(Self.api.appending(path: "class.json").path)
        let merged = ClassMerge.merge(kept, source: "class.json", with: try #require(result.documents.first), source: "classroom")
        let direct = SheetImportTests.decisions(try SheetImportTests.evaluate(try Self.document(Self.api.appending(path: "class-with-work.json").path)))
        let imported = try SheetImportTests.evaluate(merged.document)
        var expected = direct
        // José's bad submission leaves his decimals undecided rather than decided on a hole.
        #expect(expected.removeValue(forKey: "116000000000000000002/decimals") == "advance -> collaborative")
        #expect(SheetImportTests.decisions(imported) == expected)
        #expect(expected["116000000000000000003/fractions"] == "step_back -> modeled")
        let jose = try #require(imported.results.first { $0.student == "116000000000000000002" })
        #expect(jose.errors.filter { $0.kind == .undecidedSkill }.map(\.skill) == ["decimals"])
    }

    /// Regression: a class document among the API's files (`api/*.json` takes it too) had its
    /// students read as the API's roster, each a fault for its missing userId.
    @Test func aClassDocumentAmongTheAPIsFilesIsNotReadAsTheRoster() throws {
        let kept = Self.api.appending(path: "class.json").path
        let result = Self.importAPI(files: Self.apiFiles + [kept])
        let about = result.issues.filter { $0.file == kept }.map(\.description)
        #expect(about == ["\(kept):1: a Trellis class document, not a Classroom API answer: merge the import into it with --into"], "\(about)")
        #expect(result.documents.first?.students.count == 3)
    }

    /// With no map and no topics, nothing has a skill: that is a fault, not a clean import of
    /// students without work.
    @Test func anImportWhereNoAssignmentHasASkillIsAFault() throws {
        let result = ClassroomImporter(context: Self.context).importFiles([Self.gradesCSV])
        #expect(result.status == .partial)
        #expect(result.faults.map(\.description) == [
            "\(Self.gradesCSV):1: no assignment has a skill, so no work was imported: name each assignment's skill in a --map file (skills: { TITLE: SKILL })"
        ])
        #expect(result.issues.filter { $0.severity == .warning }.count == 5)
        let api = Self.importAPI(files: [Self.apiFiles[0], Self.apiFiles[1]])
        // Without the topics list, no topic has a name.
        #expect(api.faults.contains { $0.message.hasPrefix("no assignment has a skill") })
    }

    @Test func theCSVAndTheAPIAreNotMixed() throws {
        let result = ClassroomImporter(context: Self.context).importFiles([Self.gradesCSV, Self.apiFiles[0]])
        #expect(result.status == .unusable)
        #expect(result.faults.first?.message.contains("not both") == true)
    }

    @Test func anAnswerThatIsNotAClassroomListIsSaid() throws {
        var issues = IssueLog()
        // The API answers an empty list with {}.
        #expect(ClassroomAPIReader.read(Array("{}".utf8), file: "empty.json", issues: &issues).map(\.isEmpty) == [true])
        #expect(issues.issues.isEmpty)
        let answers = ClassroomAPIReader.read(Array(#"{"kind": "classroom#course", "name": "5R"}"#.utf8), file: "course.json", issues: &issues)
        #expect(answers.flatMap(\.resources).isEmpty)
        #expect(issues.issues.map(\.description) == ["course.json:1: not a Classroom API list answer: expected courseWork, studentSubmissions, students or topic (a list), found \"kind\", \"name\""])
        // Pages of one list in an array; a syntax error keeps what came before it.
        issues = IssueLog()
        let pages = ClassroomAPIReader.read(Array("[{\"courseWork\": [{\"id\": \"1\"}], \"nextPageToken\": \"x\"},\n{\"courseWork\": [{\"id\": \"2\"}]}, {".utf8), file: "pages.json", issues: &issues)
        #expect(pages.flatMap(\.resources).map(\.line) == [1, 2])
        #expect(pages.first?.hasNextPage == true)
        #expect(issues.issues.first?.message.hasPrefix("invalid JSON") == true)
    }

    @Test func skillIdsFromTopicNames() {
        #expect(SkillSlug.make("Decimals & Percents") == "decimals-percents")
        #expect(SkillSlug.make("Unit 3: Fractions") == "unit-3-fractions")
        #expect(SkillSlug.make("Writer's Workshop") == "writers-workshop")
        #expect(SkillSlug.make("  Géométrie — Les angles ") == "geometrie-les-angles")
    }

    // MARK: Helpers

    static func document(_ path: String) throws -> ClassDocument {
        let roster = try RosterReader.read(Array(try Data(contentsOf: URL(fileURLWithPath: path))), sourceName: path)
        var students: [Student] = []
        for entry in roster.entries {
            guard case .student(let student) = entry else {
                Issue.record("\(path) has an invalid student")
                continue
            }
            students.append(student)
        }
        return ClassDocument(context: roster.context, students: students)
    }

    /// The line each object with an `id` starts on, by that id (an object's `{` is the line
    /// before its first field in these files).
    static func objectLines(_ path: String) throws -> [String: Int] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        var found: [String: Int] = [:]
        var start = 0
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "{" { start = index + 1 }
            if trimmed.hasPrefix("\"id\": \""), let id = trimmed.split(separator: "\"").dropFirst(2).first { found[String(id)] = start }
        }
        return found
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-classroom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
