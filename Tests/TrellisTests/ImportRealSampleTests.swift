import Foundation
import Testing

@testable import Trellis

/// Real exports, written by others, imported whole: what is valid kept, each fault placed.
///
/// Ed-Fi's OneRoster set (Apache-2.0) and 1EdTech Japan's statement (MIT) are copied into
/// Fixtures/import/real with their licenses, so they always run. The GPL and AGPL sets must not be
/// copied into this repository: they are read from `../shared/samples/` beside the repository,
/// and their suite is skipped, and says so, where that folder is missing.
enum RealSamples {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let copied = ImportFixtures.folder.appending(path: "real")
    static let shared = packageRoot.deletingLastPathComponent().appending(path: "shared/samples")
    static var sharedIsPresent: Bool { FileManager.default.fileExists(atPath: shared.appending(path: "README.md").path) }

    static func oneRoster(_ folder: URL, classID: String? = nil) -> ImportResult {
        OneRosterImporter(context: ClassContext(asOf: "2026-11-20"), classID: classID).importFolder(at: folder.path)
    }

    static func xapi(_ paths: [URL]) -> ImportResult {
        XAPIImporter(context: ClassContext(asOf: "2026-11-20")).importFiles(at: paths.map(\.path))
    }

    /// Class id to its students' ids.
    static func classes(_ result: ImportResult) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: result.documents.map { ($0.context.classInfo?.id ?? "", $0.students.map(\.id)) })
    }

    /// Every document reads back as valid input and evaluates without an error.
    static func evaluates(_ result: ImportResult) throws -> Bool {
        let engine = try Engine()
        return try result.documents.allSatisfy { document in
            let roster = try ImportFixtures.roundTrip(document)
            return roster.entries.count == document.students.count && engine.evaluate(roster).isClean
        }
    }
}

@Suite struct ImportCopiedSampleTests {
    /// OneRoster 1.1 shaped like a ClassLink export: no final newlines, teacher rows with one field
    /// too many (an empty one), each student enrolled twice in a class (two terms).
    @Test func edFiOneRoster() throws {
        let result = RealSamples.oneRoster(RealSamples.copied.appending(path: "Ed-Fi-Exchange-OSS-LMS-Toolkit"))
        #expect(result.status == .clean)
        #expect(result.issues.isEmpty)
        #expect(RealSamples.classes(result) == [
            "25590100101Trad120ENG112011": ["604863", "604874", "604969", "604974", "605015"],
            "25590100102Trad220ALG112011": ["604863", "604874", "604918", "604927", "604938"],
        ])
        let english = try #require(result.documents.first)
        #expect(english.context.classInfo?.title == "ENG-1")
        #expect(english.context.classInfo?.staff == ["207268"])
        #expect(english.students.first?.name == "Mary Archer")
        #expect(english.students.first?.extra["oneroster"] == .object(["username": .string("Mary Archer"), "grades": .array([.string("09")])]))
        // 2 classes, 10 users, 24 enrollments.
        #expect(result.counts.read == 36)
        #expect(try RealSamples.evaluates(result))
    }

    /// One statement in an array: tabs, no final newline, Japanese names, a +09:00 timestamp.
    @Test func oneEdTechJapanXAPI() throws {
        let result = RealSamples.xapi([RealSamples.copied.appending(path: "1EdTechJapan-DA2022/xapi_statement_20230307.json")])
        #expect(result.status == .clean)
        let student = try #require(result.documents.first?.students.first)
        #expect(student.id == "C2EA034D-9BF1-465F-8193-542B67F3A665")
        let skill = try #require(student.skills.first)
        #expect(skill.id == "http://adlnet.gov/courses/SJ01")
        #expect(skill.extra["title"] == .string("ジュニア１"))
        // success true, on the day of the +09:00 timestamp.
        #expect(skill.sessions == [Session(date: "2023-02-28", trials: 1, correct: 1)])
        #expect(try RealSamples.evaluates(result))
    }
}

@Suite(.enabled(if: RealSamples.sharedIsPresent, "the GPL/AGPL samples are read from ../shared/samples, which is not beside this repository"))
struct ImportSharedSampleTests {
    static let oneroster = RealSamples.shared.appending(path: "oneroster")
    static let xapi = RealSamples.shared.appending(path: "xapi")

    /// OneRoster 1.2, delta, CRLF: one of everything.
    @Test func catalystCleanDelta() throws {
        let result = RealSamples.oneRoster(Self.oneroster.appending(path: "catalyst-moodle-enrol_oneroster/oneroster_test_data"))
        #expect(result.status == .clean)
        #expect(result.issues.isEmpty)
        #expect(RealSamples.classes(result) == ["CLASS_001": ["USER_0"]])
        #expect(result.documents.first?.students.first?.name == "Bruce Wayne")
        #expect(try RealSamples.evaluates(result))
    }

    /// OneRoster 1.2, deliberately messy: header typos, a deleted class, D/M/YYYY dates in columns
    /// the import does not need, a teacher (by roles.csv) enrolled as a student.
    @Test func catalystMessyBulk() throws {
        let result = RealSamples.oneRoster(Self.oneroster.appending(path: "catalyst-moodle-enrol_oneroster/v1p2_full_dataset"))
        #expect(result.status == .clean)
        #expect(ImportFixtures.places(result.issues) == ["users.csv:1: prefferedGivenName", "users.csv:1: prefferedFamilyName"])
        #expect(result.issues.allSatisfy { $0.severity == .warning })
        // cls-222-123478 is tobedeleted: it and its 3 enrollments are ignored.
        #expect(RealSamples.classes(result) == ["cls-222-123456": ["usr-222-987654", "usr-222-1234561232"]])
        let document = try #require(result.documents.first)
        #expect(document.context.classInfo?.staff == ["usr-222-123456"])
        // The preferred family name, read through the misspelt column, wins.
        #expect(document.students.map(\.name) == ["Jim Smith", "mmichel Charlie"])
        #expect(result.counts.read == 14)
        #expect(result.counts.ignored == 4)
        #expect(try RealSamples.evaluates(result))
    }

    /// OneRoster 1.1, every field quoted; users whose role is student teach through their enrollments.
    @Test func lepoEveryFieldQuoted() throws {
        let result = RealSamples.oneRoster(Self.oneroster.appending(path: "lepo-project-roster-hub"))
        #expect(result.status == .clean)
        #expect(result.issues.isEmpty)
        let ids = { (range: ClosedRange<Int>) in range.map { String(format: "us%04d", $0) } }
        #expect(RealSamples.classes(result) == [
            "cl0001": ids(3...5), "cl0002": ids(6...9), "cl0003": ids(3...9), "cl0004": ids(10...14), "cl0005": ids(15...20),
        ])
        #expect(result.documents.map { $0.context.classInfo?.staff ?? [] } == [["us0001"], ["us0001"], ["us0001"], ["us0001"], ["us0002"]])
        #expect(result.documents.reduce(0) { $0 + $1.students.count } == 25)
        #expect(try RealSamples.evaluates(result))
    }

    @Test func oneClassOfAnExport() {
        let result = RealSamples.oneRoster(Self.oneroster.appending(path: "lepo-project-roster-hub"), classID: "cl0004")
        #expect(RealSamples.classes(result) == ["cl0004": (10...14).map { String(format: "us%04d", $0) }])
        #expect(result.status == .clean)
    }

    /// Moodle's log store: 22 files of arrays, escaped slashes, +08:00 timestamps, nested extensions.
    @Test func moodleLogStore() throws {
        let result = RealSamples.xapi([Self.xapi.appending(path: "xAPI-vle-moodle-logstore_xapi")])
        #expect(result.status == .clean)
        #expect(result.issues.isEmpty)
        // 34 statements; 8 without an outcome (viewed, registered, submitted...).
        #expect(result.counts.read == 34)
        #expect(result.counts.ignored == 8)
        let students = try #require(result.documents.first).students
        #expect(students.map(\.id) == ["2", "1"])
        #expect(students.map(\.name) == ["test2_fullname", "test_fullname"])
        // The graded assignment: its instructor is the session's staff.
        #expect(students[0].skills.map(\.id) == ["http://www.example.org/mod/assign/view.php?id=1"])
        #expect(students[0].skills[0].sessions == [Session(date: "2015-06-10", trials: 2, correct: 2, staff: "1")])
        #expect(students[1].skills.map(\.id) == [
            "http://www.example.org/mod/quiz/view.php?id=1", "http://www.example.org/question/question.php?cmid=1&id=1",
            "http://www.example.org/mod/scorm/view.php?id=1",
        ])
        #expect(students[1].skills.map { $0.sessions.map(\.trials) } == [[14], [9], [1]])
        #expect(try RealSamples.evaluates(result))
    }

    /// Open edX's transformer fixtures: one statement a file mostly, ids reused across files,
    /// GroupActivity objects, a statement without object.id.
    @Test func openEdXEventRouting() throws {
        let result = RealSamples.xapi([Self.xapi.appending(path: "openedx-event-routing-backends")])
        #expect(result.status == .partial)
        #expect(result.counts.read == 90)
        let places = ImportFixtures.places(result.faults)
        #expect(places.count == 27)
        #expect(places.contains("problem_check(browser).required.only.data.json:1: object.id"))
        #expect(places.filter { $0.hasSuffix(": object.objectType") } == [
            "problem_check(server).list_answers.json:2: object.objectType",
            "problem_check(server,multiple_questions,correct).json:2: object.objectType",
            "problem_check(server,multiple_questions,incorrect).json:2: object.objectType",
            "problem_check(server,multiple_questions,partial_correct).json:2: object.objectType",
        ])
        // The fixtures reuse statement ids: a different statement under a used id is refused, as an LRS would.
        #expect(places.filter { $0.hasSuffix(": id") }.count == 22)
        #expect(result.faults.first { $0.field == "id" }?.message == "the id of a different statement at \(Self.xapi.path)/openedx-event-routing-backends/edx.course.enrollment.activated.enterprise.json:1: left out, as an LRS would refuse it")
        #expect(result.issues.filter { $0.severity == .warning }.count == 3)
        let students = try #require(result.documents.first).students
        #expect(students.map(\.id) == ["32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb"])
        #expect(students[0].skills.reduce(0) { $0 + $1.sessions.count } == 11)
        #expect(try RealSamples.evaluates(result))
    }
}
