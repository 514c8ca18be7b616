import Foundation
import Testing

/// `trellis import classroom` and `trellis import gradebook` end to end: the built binary
/// imports, merges into a kept document, and `trellis evaluate` reads what it wrote.
@Suite(.serialized)
struct ClassroomCLITests {
    let cli = CLITests()

    /// A copy of the kept class document, in a fresh folder.
    func keptDocument(_ folder: URL, adding work: [String: Any]? = nil) throws -> String {
        let path = folder.appending(path: "class.json").path
        let source = ClassroomImportTests.folder.appending(path: "class.json")
        guard let work else {
            try FileManager.default.copyItem(at: source, to: URL(fileURLWithPath: path))
            return path
        }
        var document = try cli.json(try String(contentsOf: source, encoding: .utf8))
        var students = try #require(document["students"] as? [[String: Any]])
        students[0]["work"] = [work]
        document["students"] = students
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theGradebookMergedIntoTheKeptDocumentMakesScaffoldStepBack() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try keptDocument(folder)
        let before = try cli.trellis(["evaluate", "--format", "json", document])
        #expect(try cli.recommendation(try cli.json(before.stdout), student: "areyes@students.example.org", skill: "fractions", kind: "scaffold")["action"] as? String == "advance")

        let imported = try cli.trellis(["import", "classroom", "--as-of", "2026-11-20", "--map", ClassroomImportTests.map, "--into", document, ClassroomImportTests.gradesCSV])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.isEmpty)
        #expect(imported.stderr.contains("12 work items, 6 read, 0 left out for faults, 1 ignored"), "\(imported.stderr)")
        let evaluated = try cli.trellis(["evaluate", "--format", "json", document])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let stepBack = try cli.recommendation(try cli.json(evaluated.stdout), student: "areyes@students.example.org", skill: "fractions", kind: "scaffold")
        #expect(stepBack["action"] as? String == "step_back")
        #expect(stepBack["to"] as? String == "modeled")
        #expect((stepBack["reason"] as? String)?.contains("2 missing work items for fractions (Fractions quiz 1, Fractions exit ticket)") == true, "\(stepBack)")
    }

    @Test func aConflictWithTheKeptDocumentIsReportedAndItsSkillLeftUndecided() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let kept: [String: Any] = ["id": "Fractions quiz 1", "skill": "fractions", "status": "graded", "score": 0.7, "due": "2026-11-10", "source": "teacher-sheet"]
        let document = try keptDocument(folder, adding: kept)
        let output = folder.appending(path: "merged.json").path
        let imported = try cli.trellis(["import", "classroom", "--as-of", "2026-11-20", "--map", ClassroomImportTests.map, "--into", document, "-o", output, "-q", ClassroomImportTests.gradesCSV])
        #expect(imported.status == 1)
        #expect(
            imported.stderr.contains(
                "students (sobrien@students.example.org).fractions: conflict: work Fractions quiz 1 due 2026-11-10: graded, score 0.7 (teacher-sheet) but graded, score 0.8 ("),
            "\(imported.stderr)")
        // -o leaves the kept document as it was.
        #expect(try String(contentsOfFile: document, encoding: .utf8).contains("\"teacher-sheet\""))
        #expect(!(try String(contentsOfFile: document, encoding: .utf8)).contains("google-classroom"))
        let evaluated = try cli.trellis(["evaluate", "--format", "json", output])
        #expect(evaluated.status == 1)
        let results = try #require(try cli.json(evaluated.stdout)["results"] as? [[String: Any]])
        let siobhan = try #require(results.first { $0["student"] as? String == "sobrien@students.example.org" })
        let errors = try #require(siobhan["errors"] as? [[String: Any]])
        #expect(errors.map { $0["skill"] as? String } == ["fractions"])
        #expect(try cli.recommendation(try cli.json(evaluated.stdout), student: "sobrien@students.example.org", skill: "decimals", kind: "scaffold")["action"] as? String == "step_back")
    }

    @Test func theAPIsJSONWithTheSchoolsTimeZone() throws {
        let imported = try cli.trellis(["import", "classroom", "--as-of", "2026-11-20", "--time-zone", "America/New_York"] + ClassroomImportTests.apiFiles)
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("studentSubmissions.json:"), "\(imported.stderr)")
        #expect(imported.stderr.contains("state: expected NEW, CREATED, TURNED_IN, RETURNED or RECLAIMED_BY_STUDENT, got \"DONE\""))
        let document = try cli.json(imported.stdout)
        let students = try #require(document["students"] as? [[String: Any]])
        let work = try #require(students[0]["work"] as? [[String: Any]])
        let quiz = try #require(work.first { $0["id"] as? String == "700000000001" })
        #expect(quiz["due"] as? String == "2026-11-10")
        #expect(quiz["status"] as? String == "graded")
        let wrongZone = try cli.trellis(["import", "classroom", "--time-zone", "Mars/Olympus", ClassroomImportTests.apiFiles[0]])
        #expect(wrongZone.status == 64)
        #expect(wrongZone.stderr.contains("--time-zone Mars/Olympus: not a time zone"))
    }

    @Test func gradebookProfilesAreListedShownAndUsed() throws {
        let listed = try cli.trellis(["import", "gradebook", "--list-profiles"])
        #expect(listed.status == 0)
        #expect(listed.stdout.hasPrefix("classroom  Google Classroom's gradebook download"), "\(listed.stdout)")
        #expect(listed.stdout.contains("\ngeneric    One row per student"))
        let shown = try cli.trellis(["import", "gradebook", "--show-profile", "generic"])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("name: generic"))

        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A school starts from a bundled profile: the printed one reads back as a profile file.
        let copy = folder.appending(path: "ours.yaml")
        try shown.stdout.replacingOccurrences(of: "name: generic", with: "name: ours").write(to: copy, atomically: true, encoding: .utf8)
        let map = GradebookProfileTests.folder.appending(path: "map.yaml").path
        let imported = try cli.trellis(["import", "gradebook", "--profile", copy.path, "--map", map, "--as-of", "2026-11-20", GradebookProfileTests.folder.appending(path: "room-5r.csv").path])
        #expect(imported.status == 0, "\(imported.stderr)")
        let students = try #require(try cli.json(imported.stdout)["students"] as? [[String: Any]])
        #expect(students.map { $0["id"] as? String } == ["s-101", "s-102", "s-103"])

        let unknown = try cli.trellis(["import", "gradebook", "--profile", "edpuzzle", GradebookProfileTests.folder.appending(path: "room-5r.csv").path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("edpuzzle: no such profile file, and no bundled profile of that name (bundled: classroom, generic)"))
        let broken = folder.appending(path: "broken.yaml")
        try "student:\n  id: ID\nrow:\n  due: Due\n".write(to: broken, atomically: true, encoding: .utf8)
        let refused = try cli.trellis(["import", "gradebook", "--profile", broken.path, GradebookProfileTests.folder.appending(path: "room-5r.csv").path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(broken.path):3:1: row: unknown key"), "\(refused.stderr)")
        let missingProfile = try cli.trellis(["import", "gradebook", GradebookProfileTests.folder.appending(path: "room-5r.csv").path])
        #expect(missingProfile.status == 64)
    }
}
