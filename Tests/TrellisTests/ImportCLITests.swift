import Foundation
import Testing

/// `trellis import` end to end: the built binary imports, then `trellis evaluate` reads what it wrote.
@Suite(.serialized)
struct ImportCLITests {
    let cli = CLITests()

    @Test func xapiImportFeedsEvaluate() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = folder.appending(path: "class.json").path
        let imported = try cli.trellis(["import", "xapi", "--as-of", "2026-11-20", "-o", document, ImportFixtures.xapi])
        // Some statements were left out: status 1, each on standard error with file:line.
        #expect(imported.status == 1)
        #expect(imported.stdout.isEmpty)
        #expect(imported.stderr.contains("xapi/trials.ndjson:13: result.success: expected true or false, got \"true\""))
        #expect(imported.stderr.contains("imported 1 class, 3 students, 7 sessions, 69 read, 6 left out for faults, 4 ignored, 2 warnings"))

        let evaluated = try cli.trellis(["evaluate", "--format", "json", document])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let report = try cli.json(evaluated.stdout)
        #expect(report["as_of"] as? String == "2026-11-20")
        let fade = try cli.recommendation(report, student: "s-201", skill: "fractions", kind: "prompt")
        #expect(fade["action"] as? String == "fade")
        #expect(fade["to"] as? String == "verbal")
        let stepBack = try cli.recommendation(report, student: "ben@example.org", skill: "hand-washing", kind: "prompt")
        #expect(stepBack["action"] as? String == "step_back")
    }

    /// A school's workbook in, today's recommendations out: the lost row named at import, and
    /// its skill left undecided (with the row) by evaluate; merged into a kept document with --into.
    @Test func aSheetImportFeedsEvaluateAndMergesIntoAKeptDocument() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sheet = SheetImportTests.xlsx
        let document = folder.appending(path: "class.json").path
        let imported = try cli.trellis(["import", "sheet", "--as-of", "2026-11-20", "-o", document, sheet])
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("sessions.xlsx[Sessions]:11:A: date: \"11/17/2026\""), "\(imported.stderr)")
        let evaluated = try cli.trellis(["evaluate", "--format", "json", document])
        #expect(evaluated.status == 1)
        let report = try cli.json(evaluated.stdout)
        #expect(try cli.recommendation(report, student: "s-101", skill: "hand-washing", kind: "prompt")["action"] as? String == "fade")
        let results = try #require(report["results"] as? [[String: Any]])
        let ben = try #require(results.first { $0["student"] as? String == "s-102" })
        let errors = try #require(ben["errors"] as? [[String: Any]])
        #expect(errors.map { $0["skill"] as? String } == ["zipping"])
        #expect((errors.first?["location"] as? String)?.hasSuffix("sessions.xlsx[Sessions]:11:A") == true)

        // The same sheet with the date order given, into the kept document: one session more, no conflict.
        let merged = try cli.trellis(["import", "sheet", "--date-order", "mdy", "-q", "--into", document, SheetImportTests.csv])
        #expect(merged.status == 0, "\(merged.stderr)")
        let after = try cli.json(try String(contentsOfFile: document, encoding: .utf8))
        let students = try #require(after["students"] as? [[String: Any]])
        let zipping = try #require((students[1]["skills"] as? [[String: Any]])?.first { $0["id"] as? String == "zipping" })
        #expect((zipping["sessions"] as? [[String: Any]])?.count == 3)
    }

    @Test func oneRosterClassToStandardOutputFeedsEvaluate() throws {
        let imported = try cli.trellis(["import", "oneroster", "--class", "03B", "--header", ImportFixtures.header, "-q", ImportFixtures.gradebook])
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("oneroster-gradebook/results.csv:12: score: expected a number, got \"ten\""))
        // --quiet drops the summary, never the faults.
        #expect(!imported.stderr.contains("imported 1 class"))
        let evaluated = try cli.trellis(["evaluate", "--format", "json", "-"], stdin: Data(imported.stdout.utf8))
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let report = try cli.json(evaluated.stdout)
        let menu = try cli.recommendation(report, student: "000102", skill: "sight-words", kind: "choices")
        #expect(menu["action"] as? String == "offer")
        #expect((menu["options"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["sw-tablet-game", "sw-word-cards", "sw-read-to-buddy"])
    }

    @Test func everyClassIntoAFolder() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let export = RealSamples.copied.appending(path: "Ed-Fi-Exchange-OSS-LMS-Toolkit").path
        let output = folder.appending(path: "classes").path
        let imported = try cli.trellis(["import", "oneroster", "-o", output, export])
        #expect(imported.status == 0, "\(imported.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        #expect(files == ["25590100101Trad120ENG112011.json", "25590100102Trad220ALG112011.json"])
        for file in files {
            let evaluated = try cli.trellis(["evaluate", "--format", "json", (output as NSString).appendingPathComponent(file)])
            #expect(evaluated.status == 0, "\(evaluated.stderr)")
            #expect((try cli.json(evaluated.stdout)["results"] as? [Any])?.count == 5)
        }
        // Several classes and nowhere to put them: a wrong command line.
        let ambiguous = try cli.trellis(["import", "oneroster", export])
        #expect(ambiguous.status == 64)
        #expect(ambiguous.stderr.contains("2 classes (25590100101Trad120ENG112011, 25590100102Trad220ALG112011): choose one with --class ID, or give --output FOLDER for all"))
    }

    @Test func nothingUsableWritesNothing() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appending(path: "empty.json")
        try Data("[]\n".utf8).write(to: empty)
        let output = folder.appending(path: "class.json").path
        let run = try cli.trellis(["import", "xapi", "-o", output, empty.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("nothing usable to import"))
        #expect(!FileManager.default.fileExists(atPath: output))
        let missing = try cli.trellis(["import", "oneroster", folder.appending(path: "no-such-export").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-export: cannot read the folder"))
    }

    @Test func wrongCommandLines() throws {
        #expect(try cli.trellis(["import", "xapi", "--as-of", "20/11/2026", ImportFixtures.xapi]).status == 64)
        #expect(try cli.trellis(["import", "xapi", "--correct-at", "80", ImportFixtures.xapi]).status == 64)
    }
}
