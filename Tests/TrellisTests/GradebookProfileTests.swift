import Foundation
import Testing
@testable import Trellis

/// `trellis import gradebook`: a YAML profile describes a gradebook CSV's layout, so that a
/// school adds a format without code. The bundled profiles, a generic gradebook through its
/// profile, a profile file of a school's own, and mistakes named by their line.
struct GradebookProfileTests {
    static let folder = ImportFixtures.folder.appending(path: "gradebook")
    static let context = ClassContext(asOf: "2026-11-20")

    static func map() throws -> AssignmentMap { try AssignmentMap(contentsOf: folder.appending(path: "map.yaml").path) }

    @Test func theBundledProfilesAreListedAndEachReads() throws {
        #expect(GradebookProfile.bundledNames == ["classroom", "generic"])
        for name in GradebookProfile.bundledNames {
            // `bundled` gives nil for a profile that does not read: each must.
            let source = try #require(EmbeddedGradebookProfiles.all.first { $0.name == "\(name).yaml" }?.source)
            let profile = try GradebookProfile(yaml: source, fileName: "\(name).yaml", name: name)
            #expect(profile.name == name)
            #expect(profile.description?.isEmpty == false)
            #expect(GradebookProfile.bundled(name) == profile)
        }
        #expect(GradebookProfile.bundled("edpuzzle") == nil)
        #expect(throws: YAMLFileError.self) { try GradebookProfile.resolve("edpuzzle") }
    }

    @Test func aGenericGradebookThroughItsProfile() throws {
        let file = Self.folder.appending(path: "room-5r.csv").path
        let profile = try #require(GradebookProfile.bundled("generic"))
        let result = GradebookImporter(profile: profile, context: Self.context, map: try Self.map()).importFiles([file])
        #expect(result.status == .clean, "\(result.issues)")
        let students = try #require(result.documents.first?.students)
        // The title row above the header is passed over; the class average row and the
        // Average column are not students or assignments.
        #expect(students.map(\.id) == ["s-101", "s-102", "s-103"])
        #expect(students.map(\.name) == ["Siobhán O'Brien", "José Núñez", "Ava Reyes"])
        func summary(_ student: Student) -> [String] {
            student.work.map { "\($0.id ?? ""): \($0.status?.rawValue ?? "-") \($0.score.map { String($0) } ?? "-") \($0.due ?? "-") \($0.skill ?? "-")" }
        }
        #expect(summary(students[0]) == [
            "Fractions quiz 1: graded 0.8 2026-11-10 fractions", "Fractions exit ticket: missing - 2026-11-12 fractions", "Decimals worksheet: graded 0.9 2026-11-13 decimals",
        ])
        #expect(summary(students[1]) == [
            "Fractions quiz 1: graded 0.9 2026-11-10 fractions", "Fractions exit ticket: graded 1.0 2026-11-12 fractions", "Decimals worksheet: exempt - 2026-11-13 decimals",
        ])
        #expect(summary(students[2]) == [
            "Fractions quiz 1: missing - 2026-11-10 fractions", "Fractions exit ticket: missing - 2026-11-12 fractions", "Decimals worksheet: graded 0.75 2026-11-13 decimals",
        ])
        #expect(students[0].work.first?.extra["source"] == .string("gradebook"))
        #expect(result.issues.map(\.description).contains("\(file): warning: 1 blank row skipped (8)"), "\(result.issues)")
    }

    @Test func aSchoolsOwnProfileFile() throws {
        let profile = try GradebookProfile(contentsOf: Self.folder.appending(path: "videos.yaml").path)
        #expect(profile.name == "video-lessons")
        let file = Self.folder.appending(path: "videos.csv").path
        let result = GradebookImporter(profile: profile, context: Self.context, map: try Self.map()).importFiles([file])
        #expect(result.faults.isEmpty, "\(result.issues)")
        let students = try #require(result.documents.first?.students)
        #expect(students.map(\.id) == ["s-103", "s-101", "s-102"])
        func statuses(_ student: Student) -> [String] {
            student.work.map { "\($0.id ?? ""): \($0.status?.rawValue ?? "-")\($0.score.map { " \($0)" } ?? "")" }
        }
        // Percent scores; "Not started" is missing once its due day is before as_of, else
        // assigned; a blank cell gives no item (blank: skip); the Total column is past `last`.
        #expect(statuses(students[0]) == ["Adding fractions: missing", "Comparing fractions: graded 0.45", "Decimal place value: assigned"])
        #expect(statuses(students[1]) == ["Adding fractions: graded 1.0", "Comparing fractions: missing"])
        #expect(statuses(students[2]) == ["Adding fractions: graded 0.9", "Comparing fractions: graded 0.85", "Decimal place value: assigned"])
        #expect(students[0].work.first?.extra["source"] == .string("video-lessons"))
        #expect(students[0].work.first?.due == "2026-11-09")
    }

    @Test(arguments: [
        // An unknown key, at the top and deeper, named with its line and what is allowed.
        ("student:\n  id: ID\nstudnet: x\n", "p.yaml:3:1: studnet: unknown key (expected name, description, source, student, assignments, rows, cells)"),
        ("student:\n  id: ID\ncells:\n  statues: {}\n", "p.yaml:4:3: cells.statues: unknown key (expected statuses, late, blank, scores, date_order)"),
        ("student:\n  id: ID\n  nickname: Nick\n", "p.yaml:3:3: student.nickname: unknown key (expected id, email, name, first_name, last_name)"),
        // Values that are not what the key takes.
        ("student:\n  id: ID\ncells:\n  statuses:\n    Missing: gone\n", "p.yaml:5:5: cells.statuses.Missing: \"gone\" is not one of assigned, submitted, graded, missing, exempt, missing_after_due, skip"),
        ("student:\n  id: ID\ncells:\n  scores: marks\n", "p.yaml:4:3: cells.scores: \"marks\" is not one of points, percent, fraction"),
        ("student:\n  id: ID\nrows:\n  header: first\n", "p.yaml:4:3: rows.header: expected a whole number"),
        ("student:\n  id: [ID, 7, \"\"]\n", "p.yaml:2:3: student.id: a header name cannot be empty"),
        // What a profile needs.
        ("name: nothing\n", "p.yaml:1:1: student: required, and not given"),
        ("student:\n  last_name: Surname\n", "p.yaml:1:1: student: give the columns that name the student (id, email, name, or first_name and last_name)"),
    ])
    func aProfilesMistakesNameTheirLines(yaml: String, message: String) {
        do {
            _ = try GradebookProfile(yaml: yaml, fileName: "p.yaml", name: "p")
            Issue.record("read without an error: \(yaml)")
        } catch {
            #expect(error.issues == [message])
        }
    }

    /// docs/import.md's whole profile and map read as they are shown.
    @Test func theDocumentedProfileAndMapRead() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: docs.appending(path: "docs/import.md"), encoding: .utf8)
        func block(after marker: String) throws -> String {
            let start = try #require(text.range(of: marker)).upperBound
            let open = try #require(text.range(of: "```yaml\n", range: start..<text.endIndex)).upperBound
            let close = try #require(text.range(of: "```", range: open..<text.endIndex)).lowerBound
            return String(text[open..<close])
        }
        let profile = try GradebookProfile(yaml: try block(after: "A whole profile, every key shown:"), fileName: "import.md", name: "x")
        #expect(profile.name == "video-lessons")
        #expect(profile.firstAssignment == .letter(3))
        #expect(profile.headerRow == 3)
        #expect(profile.statuses["not started"] == .missingAfterDue)
        #expect(profile.blank == .leftOut)
        #expect(profile.dateOrder == .mdy)
        let map = try AssignmentMap(yaml: try block(after: "### The map (`--map MAP.yaml`)"), fileName: "import.md")
        #expect(map.decide(title: "fractions QUIZ 1", topics: []) == .skill("fractions"))
        #expect(map.decide(title: "Percent of a number", topics: ["Decimals & Percents"]) == .skill("decimals"))
        #expect(map.decide(title: "Reading log week 3", topics: []) == .ignored)
    }

    @Test func aMapsMistakesNameTheirLines() {
        do {
            _ = try AssignmentMap(yaml: "skills:\n  Quiz 1: fractions\nskils:\n  Quiz 2: fractions\n", fileName: "map.yaml")
            Issue.record("read without an error")
        } catch {
            #expect(error.issues == ["map.yaml:3:1: skils: unknown key (expected skills, topics, ignore)"])
        }
        do {
            _ = try AssignmentMap(yaml: "skills:\n  Quiz 1: fractions\n  quiz  1: decimals\n  Quiz 2: \"\"\n", fileName: "map.yaml")
            Issue.record("read without an error")
        } catch {
            #expect(error.issues.sorted() == [
                "map.yaml:3:3: skills.quiz  1: the same title as \"Quiz 1\" (skills.Quiz 1), with another skill",
                "map.yaml:4:3: skills.Quiz 2: expected a skill id",
            ], "\(error.issues)")
        }
    }

    @Test func scoresAsGradebooksWriteThem() throws {
        let folder = try ClassroomImportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appending(path: "scores.csv").path
        try """
            Name,Quiz,Essay
            Points,10,
            Ava,"8,5",80%
            Ben,12,7/10
            Cara,25,-5%
            Dan,8,8
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let map = try AssignmentMap(yaml: "skills: { Quiz: fractions, Essay: writing }", fileName: "map.yaml")
        let result = GradebookImporter(profile: try #require(GradebookProfile.bundled("generic")), context: Self.context, map: map).importFiles([file])
        let students = try #require(result.documents.first?.students)
        let scores = students.map { $0.work.map { $0.score.map { String($0) } ?? "-" } }
        // A decimal comma, a percentage, a fraction; extra credit up to double is full marks
        // (with a warning); more than that, a negative score, and points without a Points row
        // are faults.
        #expect(scores == [["0.85", "0.8"], ["1.0", "0.7"], [], ["0.8"]])
        let faults = result.faults.map(\.description)
        #expect(faults == [
            "\(file):5:B: Quiz: \"25\" is more than twice the assignment's maximum (10 points)",
            "\(file):5:C: Essay: \"-5%\" is below 0",
            "\(file):6:C: Essay: \"8\" is a number of points, but the assignment has no points (a row of points under the header), and it is not a percentage (80%) or a fraction (8/10)",
        ], "\(faults)")
        #expect(result.issues.contains { $0.severity == .warning && $0.line == 4 && $0.message.contains("extra credit") })
        // With no id column, the name is the id, and the import says so.
        #expect(result.issues.contains { $0.severity == .warning && $0.message.hasPrefix("no student id or e-mail column") })
        #expect(students.map(\.incomplete.count) == [0, 0, 2, 1])
    }
}
