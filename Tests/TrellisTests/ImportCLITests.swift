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

    /// The roster from OneRoster, then the sessions from xAPI into it, then the same statements
    /// once more against a document that holds other numbers for one of them: a conflict.
    @Test func oneRosterAndXAPIMergeIntoOneDocument() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = folder.appending(path: "class.json").path
        let roster = try cli.trellis(["import", "oneroster", "--class", "03B", "--header", ImportFixtures.header, "-q", "-o", document, ImportFixtures.gradebook])
        #expect(roster.status == 1, "\(roster.stderr)")
        let before = try #require(try cli.json(String(contentsOfFile: document, encoding: .utf8))["students"] as? [[String: Any]])

        let merged = try cli.trellis(["import", "xapi", "--as-of", "2026-11-20", "-q", "--into", document, ImportFixtures.xapi])
        #expect(merged.status == 1, "\(merged.stderr)")
        #expect(!merged.stderr.contains("conflict"), "\(merged.stderr)")
        let after = try cli.json(try String(contentsOfFile: document, encoding: .utf8))
        let students = try #require(after["students"] as? [[String: Any]])
        let ids = students.compactMap { $0["id"] as? String }
        // Every student of the roster is kept, and the xAPI's students join them.
        #expect(Array(ids.prefix(before.count)) == before.compactMap { $0["id"] as? String })
        #expect(ids.contains("s-201") && ids.contains("ben@example.org"))
        let fractions = try #require((students.first { $0["id"] as? String == "s-201" }?["skills"] as? [[String: Any]])?.first { $0["id"] as? String == "fractions" })
        let sessions = try #require(fractions["sessions"] as? [[String: Any]])
        #expect(!sessions.isEmpty)
        #expect(sessions.allSatisfy { ($0["source"] as? String)?.hasSuffix("xapi") == true }, "\(sessions)")
        let evaluated = try cli.trellis(["evaluate", "--format", "json", document])
        #expect(try cli.recommendation(try cli.json(evaluated.stdout), student: "s-201", skill: "fractions", kind: "prompt")["action"] as? String == "fade")

        // The same statements again (next week's export): nothing is added twice.
        let twice = try cli.trellis(["import", "xapi", "--as-of", "2026-11-20", "-q", "--into", document, ImportFixtures.xapi])
        #expect(twice.status == 1 && !twice.stderr.contains("conflict"), "\(twice.stderr)")
        let recounted = try #require(try cli.json(String(contentsOfFile: document, encoding: .utf8))["students"] as? [[String: Any]])
        func sessionCount(_ students: [[String: Any]]) -> Int {
            students.reduce(0) { total, student in
                total + ((student["skills"] as? [[String: Any]]) ?? []).reduce(0) { $0 + (($1["sessions"] as? [Any])?.count ?? 0) }
            }
        }
        #expect(sessionCount(recounted) == sessionCount(students))

        // A session of that day from another source (a teacher's notebook) with other numbers: a conflict.
        var edited = try String(contentsOfFile: document, encoding: .utf8)
        let trials = try #require(sessions.first?["trials"] as? Int)
        let date = try #require(sessions.first?["date"] as? String)
        let line = try #require(edited.range(of: "{\"id\":\"s-201\""))
        let first = try #require(edited.range(of: "\"date\":\"\(date)\"", range: line.upperBound..<edited.endIndex))
        let count = try #require(edited.range(of: "\"trials\":\(trials)", range: first.upperBound..<edited.endIndex))
        edited.replaceSubrange(count, with: "\"trials\":\(trials + 5)")
        let source = try #require(edited.range(of: "\"source\":\"", range: first.upperBound..<edited.endIndex))
        let sourceEnd = try #require(edited.range(of: "\"", range: source.upperBound..<edited.endIndex))
        edited.replaceSubrange(source.upperBound..<sourceEnd.lowerBound, with: "notebook.csv")
        try Data(edited.utf8).write(to: URL(fileURLWithPath: document))
        let output = folder.appending(path: "again.json").path
        let again = try cli.trellis(["import", "xapi", "--as-of", "2026-11-20", "-q", "--into", document, "-o", output, ImportFixtures.xapi])
        #expect(again.status == 1)
        #expect(again.stderr.contains("students (s-201).fractions: conflict: fractions on \(date)"), "\(again.stderr)")
        #expect(again.stderr.contains("(notebook.csv) but"), "\(again.stderr)")
        // -o leaves the --into document as it was.
        #expect(try String(contentsOfFile: document, encoding: .utf8) == edited)

        // Several classes cannot go into one document.
        let several = try cli.trellis(["import", "oneroster", "--into", document, RealSamples.copied.appending(path: "Ed-Fi-Exchange-OSS-LMS-Toolkit").path])
        #expect(several.status == 64)
        #expect(several.stderr.contains("--into takes one, chosen with --class ID"), "\(several.stderr)")
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

    /// A OneRoster export with one student in each of the classes `ids`.
    private func export(classes ids: [String], in folder: URL) throws -> String {
        let export = folder.appending(path: "export")
        try FileManager.default.createDirectory(at: export, withIntermediateDirectories: true)
        var classes = "sourcedId,status,dateLastModified,title\n"
        var users = "sourcedId,status,dateLastModified,enabledUser,role,givenName,familyName\n"
        var enrollments = "sourcedId,status,dateLastModified,classSourcedId,userSourcedId,role\n"
        for (index, id) in ids.enumerated() {
            classes += "\"\(id)\",active,2026-09-01,Class \(index)\n"
            users += "u\(index),active,2026-09-01,true,student,Student,\(index)\n"
            enrollments += "e\(index),active,2026-09-01,\"\(id)\",u\(index),student\n"
        }
        try Data(classes.utf8).write(to: export.appending(path: "classes.csv"))
        try Data(users.utf8).write(to: export.appending(path: "users.csv"))
        try Data(enrollments.utf8).write(to: export.appending(path: "enrollments.csv"))
        return export.path
    }

    /// The class id in each file of `folder`, by file name.
    private func classIDs(in folder: String) throws -> [String: String] {
        var ids: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder).appending(path: name))
            let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            ids[name] = (document["class"] as? [String: Any])?["id"] as? String
        }
        return ids
    }

    @Test func classesWhoseFileNamesCollideAreAllWrittenUnderNamesOfTheirOwn() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 3/B and 3_B both clean to 3_B; 3_b is the same file on a case-insensitive disk.
        let ids = ["3/B", "3_B", "3_b", "4A"]
        let output = folder.appending(path: "classes").path
        let run = try cli.trellis(["import", "oneroster", "-o", output, try export(classes: ids, in: folder)])
        #expect(run.status == 0, "\(run.stderr)")
        let written = try classIDs(in: output)
        #expect(Set(written.values) == Set(ids), "every class has a file: \(written)")
        #expect(written.count == 4)
        #expect(written["4A.json"] == "4A")
        #expect(Set(written.keys.map { $0.lowercased() }).count == 4, "no two names differ only in case: \(written.keys)")
        #expect(run.stderr.contains("3_B.json"), "the collision is reported: \(run.stderr)")
        for id in ["3/B", "3_B", "3_b"] { #expect(run.stderr.contains(id), "\(run.stderr)") }
        // The same export imported again gives the same names.
        let again = try cli.trellis(["import", "oneroster", "-o", output, try export(classes: ids.reversed(), in: folder)])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try classIDs(in: output) == written)
    }

    @Test func aClassThatCannotBeWrittenLeavesNoOtherWritten() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appending(path: "classes")
        // A folder where zz.json would go: the last class cannot be written.
        try FileManager.default.createDirectory(at: output.appending(path: "zz.json"), withIntermediateDirectories: true)
        let run = try cli.trellis(["import", "oneroster", "-o", output.path, try export(classes: ["aa", "mm", "zz"], in: folder)])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("zz.json"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["zz.json"], "nothing written, nothing left behind")
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
