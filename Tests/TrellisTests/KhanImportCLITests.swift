import Foundation
import Testing

/// `trellis import khan` end to end: Khan's exports merged into a kept class document, then
/// `trellis evaluate` decides on them as on the same data written directly.
@Suite(.serialized)
struct KhanImportCLITests {
    let cli = CLITests()

    /// Each winning prompt or scaffold decision of a JSON report as `student/skill: action -> to`.
    func decisions(_ report: [String: Any]) throws -> [String: String] {
        var decisions: [String: String] = [:]
        for result in try #require(report["results"] as? [[String: Any]]) {
            for recommendation in result["recommendations"] as? [[String: Any]] ?? [] where ["prompt", "scaffold"].contains(recommendation["kind"] as? String) {
                decisions["\(result["student"] ?? "")/\(recommendation["skill"] ?? "")"] = "\(recommendation["action"] ?? "") -> \(recommendation["to"] ?? "")"
            }
        }
        return decisions
    }

    @Test func khanExportsMergedIntoAKeptDocumentDecideAsTheSameDataWrittenDirectly() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = folder.appending(path: "class.json").path
        try FileManager.default.copyItem(atPath: KhanImportTests.classDocument, toPath: document)
        let imported = try cli.trellis(["import", "khan", "--map", KhanImportTests.mapFile, "--into", document, KhanImportTests.assignments, KhanImportTests.skills])
        // Ben's bad due date and misspelt level: each named with its cell and text; the rest imported.
        #expect(imported.status == 1, "\(imported.stderr)")
        #expect(imported.stdout.isEmpty)
        #expect(imported.stderr.contains("Room-3B_assignment_scores_20261109_20261115.csv:8:H: Due Date: \"2026-11-31 11:59 PM\" is not a calendar day"), "\(imported.stderr)")
        #expect(imported.stderr.contains("5th-grade-math_20261109_20261115.csv:7:L: Mastery Level: \"Mastred\" is not a mastery level"), "\(imported.stderr)")
        #expect(imported.stderr.contains("imported 1 class, 2 students, 6 sessions, 6 work items, 4 skill mastery levels, 14 read, 2 left out for faults, 2 ignored"), "\(imported.stderr)")

        let merged = try cli.json(try String(contentsOfFile: document, encoding: .utf8))
        // The kept document's as_of decides what is past due: the quiz due on the 24th is assigned.
        #expect(merged["as_of"] as? String == "2026-11-20")
        let students = try #require(merged["students"] as? [[String: Any]])
        let zoe = try #require(students.first { $0["id"] as? String == "100234" })
        let quiz = try #require((zoe["work"] as? [[String: Any]])?.first { $0["id"] as? String == "Fractions quiz 1" })
        #expect(quiz["status"] as? String == "assigned")
        let fractions = try #require((zoe["skills"] as? [[String: Any]])?.first { $0["id"] as? String == "fractions" })
        // The kept skill keeps its sessions and gains Khan's mastery.
        #expect((fractions["sessions"] as? [[String: Any]])?.count == 3)
        #expect((fractions["mastery"] as? [String: Any])?["level"] as? String == "familiar")

        let evaluated = try cli.trellis(["evaluate", "--format", "json", document])
        #expect(evaluated.status == 1, "\(evaluated.stderr)")
        let direct = try cli.trellis(["evaluate", "--format", "json", KhanImportTests.direct])
        #expect(direct.status == 0, "\(direct.stderr)")
        let expected = try decisions(try cli.json(direct.stdout))
        #expect(expected["100234/fractions"] == "step_back -> modeled")
        #expect(try decisions(try cli.json(evaluated.stdout)) == expected)
        // What was lost is undecided, with the cell named, and nothing else.
        let results = try #require(try cli.json(evaluated.stdout)["results"] as? [[String: Any]])
        let ben = try #require(results.first { $0["student"] as? String == "100235" })
        let errors = try #require(ben["errors"] as? [[String: Any]])
        #expect(Set(errors.compactMap { $0["skill"] as? String }) == ["decimal-place-value", "round-decimals"])
    }

    @Test func aBadMapOrNothingToImportExitsTwoAndWritesNothing() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let map = folder.appending(path: "map.yaml").path
        try "skills:\n  Fractions: [fractions]\n".write(toFile: map, atomically: true, encoding: .utf8)
        let output = folder.appending(path: "out.json").path
        let badMap = try cli.trellis(["import", "khan", "--map", map, "-o", output, KhanImportTests.assignments])
        #expect(badMap.status == 2)
        #expect(badMap.stderr.contains("map.yaml:2:14: skills.Fractions: expected the skill id that \"Fractions\" is"), "\(badMap.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))

        let notKhan = folder.appending(path: "notes.csv").path
        try "Name,Notes\nAva,likes fractions\n".write(toFile: notKhan, atomically: true, encoding: .utf8)
        let nothing = try cli.trellis(["import", "khan", "-o", output, notKhan])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("notes.csv: nothing to import: no header row names a student"), "\(nothing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
