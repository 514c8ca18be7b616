import Crypto
import Foundation
import GRDB
import Testing
import Trellis

/// `--history FILE` on evaluate and report, and `trellis history`: runs recorded, compared and
/// read back; the file private to its owner; files that are not a history refused by name.
@Suite(.serialized)
struct HistoryTests {
    let cli = CLITests()

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text.prefix(300))")
    }

    /// The example class with one more session of Maya's hand-washing (a 4th at gestural, 100%).
    static func classWithAnotherSession(in folder: URL) throws -> String {
        var document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLITests.exampleClass))) as? [String: Any])
        var students = try #require(document["students"] as? [[String: Any]])
        let maya = try #require(students.firstIndex { $0["id"] as? String == "s-101" })
        var skills = try #require(students[maya]["skills"] as? [[String: Any]])
        let washing = try #require(skills.firstIndex { $0["id"] as? String == "hand-washing" })
        var sessions = try #require(skills[washing]["sessions"] as? [[String: Any]])
        var added = try #require(sessions.last)
        added["date"] = "2026-11-20"
        sessions.append(added)
        skills[washing]["sessions"] = sessions
        students[maya]["skills"] = skills
        document["students"] = students
        let path = folder.appending(path: "class-3b-more.json").path
        try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Three runs of the example class: the bundled rules; then fading at 95% (Maya's 90, 90,
    /// 100% no longer fade: hand-washing's prompt goes from fade to hold); then the bundled rules
    /// on the class with one more session. `trellis history` shows the change, and each digest
    /// differs exactly where the run's input, rules or configuration did.
    @Test func twoRunsWithAChangeBetweenThemShowTheChangeAndTheDigestsThatDiffer() throws {
        let folder = try cli.temporaryFolder()
        let history = folder.appending(path: "3b.history").path
        let first = try cli.trellis(["evaluate", "--history", history, "--format", "json", "--quiet", CLITests.exampleClass])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try Self.mode(history) == 0o600)
        let stricter = try cli.trellis([
            "evaluate", "--history", history, "--param", "prompt-fading.fade_percent=95", "--format", "json", "--quiet", CLITests.exampleClass,
        ])
        #expect(stricter.status == 0, "\(stricter.stderr)")
        let more = try Self.classWithAnotherSession(in: folder)
        let third = try cli.trellis(["evaluate", "--history", history, "--format", "json", "--quiet", more])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try Self.mode(history) == 0o600)

        let shown = try cli.trellis(["history", "--student", "s-101", "--skill", "hand-washing", "--format", "json", history])
        #expect(shown.status == 0, "\(shown.stderr)")
        let timeline = try json(shown.stdout)
        let runs = try #require(timeline["runs"] as? [[String: Any]])
        try #require(runs.count == 3)
        #expect(runs.map { $0["command"] as? String } == ["evaluate", "evaluate", "evaluate"])
        #expect(runs.map { $0["class"] as? String } == ["3B", "3B", "3B"])
        #expect(runs.map { $0["previous_run"] as? Int } == [nil, 1, 2])
        #expect(runs.allSatisfy { $0["trellis_version"] as? String == TrellisVersion.current })
        // Digests: the input of run 3 only; the rules of run 2 only (1 and 3 share the bundled pack);
        // no configuration in any.
        let input = runs.map { $0["input_sha256"] as? String }
        let rules = runs.map { $0["rule_pack_sha256"] as? String }
        #expect(input[0] == input[1] && input[1] != input[2])
        #expect(rules[0] != rules[1] && rules[0] == rules[2])
        #expect(runs.allSatisfy { $0["configuration_sha256"] is NSNull })
        let bytes = try Data(contentsOf: URL(fileURLWithPath: CLITests.exampleClass))
        #expect(input[0] == Self.sha256(bytes))

        func prompt(_ run: [String: Any]) throws -> [String: Any] {
            let entries = try #require(run["recommendations"] as? [[String: Any]])
            return try #require(entries.first { $0["kind"] as? String == "prompt" })
        }
        let one = try prompt(runs[0])
        #expect(one["status"] as? String == "new")
        #expect((one["recommendation"] as? [String: Any])?["action"] as? String == "fade")
        let two = try prompt(runs[1])
        #expect(two["status"] as? String == "changed")
        #expect((two["previous"] as? [String: Any])?["action"] as? String == "fade")
        #expect((two["recommendation"] as? [String: Any])?["action"] as? String == "hold")
        let three = try prompt(runs[2])
        #expect(three["status"] as? String == "changed")
        #expect((three["recommendation"] as? [String: Any])?["action"] as? String == "fade")

        // The table says the same for a coordinator.
        let table = try cli.trellis(["history", "--student", "s-101", "--skill", "hand-washing", "--format", "table", history])
        #expect(table.status == 0)
        #expect(table.stdout.contains("since run 1: rules changed"), "\(table.stdout)")
        #expect(table.stdout.contains("since run 2: input, rules changed"), "\(table.stdout)")
        #expect(table.stdout.contains("changed s-101  hand-washing  prompt"), "\(table.stdout)")
        #expect(table.stdout.contains("was: fade gestural -> verbal"), "\(table.stdout)")
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    @Test func aConfigurationFileHasItsDigest() throws {
        let folder = try cli.temporaryFolder()
        let history = folder.appending(path: "h.history").path
        let configuration = folder.appending(path: "school.yaml")
        try "rules:\n  prompt-fading:\n    params:\n      fade_percent: 95\n".write(to: configuration, atomically: true, encoding: .utf8)
        let run = try cli.trellis(["evaluate", "--history", history, "--config", configuration.path, "--format", "json", "--quiet", CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        let recorded = try RunHistory(path: history).runs()
        try #require(recorded.count == 1)
        #expect(recorded[0].configurationSHA256 == Self.sha256(try Data(contentsOf: configuration)))
    }

    /// A history file someone made readable by others is used, with a warning naming it and
    /// saying how to close it; its mode is left as its owner set it.
    @Test func anExistingFileOpenToOthersIsUsedWithAWarning() throws {
        let folder = try cli.temporaryFolder()
        let history = folder.appending(path: "shared.history").path
        #expect(FileManager.default.createFile(atPath: history, contents: nil, attributes: [.posixPermissions: 0o644]))
        let run = try cli.trellis(["evaluate", "--history", history, "--format", "json", "--quiet", CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("\(history): warning"), "\(run.stderr)")
        #expect(run.stderr.contains("every user") && run.stderr.contains("chmod 600"), "\(run.stderr)")
        #expect(try Self.mode(history) == 0o644)
        #expect(try RunHistory(path: history).runs().count == 1)
        // A private one: no warning.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: history)
        let quiet = try cli.trellis(["evaluate", "--history", history, "--format", "json", "--quiet", CLITests.exampleClass])
        #expect(!quiet.stderr.contains("warning"), "\(quiet.stderr)")
    }

    /// An empty file becomes a history (the migrations run); a history whose schema has a
    /// migration this Trellis does not know is refused, by the library and the CLI, naming the file.
    @Test func anEmptyFileIsMigratedAndANewerSchemaIsRefused() throws {
        let folder = try cli.temporaryFolder()
        let path = folder.appending(path: "empty.history").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]))
        #expect(try RunHistory(path: path).runs().isEmpty)
        let applied = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == ["v1-runs-and-recommendations"])
        let listed = try cli.trellis(["history", "--format", "table", path])
        #expect(listed.status == 0 && listed.stdout.contains("no run recorded yet"), "\(listed.stdout)\(listed.stderr)")

        try DatabaseQueue(path: path).write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-from-the-future')") }
        let refusal = #expect(throws: HistoryError.self) { try RunHistory(path: path) }
        #expect(refusal?.path == path)
        #expect(refusal?.message.contains("newer Trellis") == true && refusal?.message.contains("v2-from-the-future") == true, "\(String(describing: refusal))")
        let refused = try cli.trellis(["history", path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains(path) && refused.stderr.contains("newer Trellis"), "\(refused.stderr)")
        let notRecorded = try cli.trellis(["evaluate", "--history", path, "--format", "json", CLITests.exampleClass])
        #expect(notRecorded.status == 2 && notRecorded.stdout.isEmpty, "\(notRecorded.stderr)")
    }

    @Test func filesThatAreNotAHistoryAreRefusedByName() throws {
        let folder = try cli.temporaryFolder()
        let text = folder.appending(path: "notes.txt").path
        try String(repeating: "not a database\n", count: 100).write(toFile: text, atomically: true, encoding: .utf8)
        let refused = try cli.trellis(["history", text])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(text): is not a Trellis history database"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: text, encoding: .utf8).hasPrefix("not a database"))

        let other = folder.appending(path: "other.sqlite").path
        try DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE grades (student TEXT, grade TEXT)") }
        let alsoRefused = try cli.trellis(["evaluate", "--history", other, "--format", "json", CLITests.exampleClass])
        #expect(alsoRefused.status == 2)
        #expect(alsoRefused.stderr.contains("\(other): is a SQLite database but not a Trellis history"), "\(alsoRefused.stderr)")

        let missing = folder.appending(path: "missing.history").path
        let none = try cli.trellis(["history", missing])
        #expect(none.status == 2 && none.stderr.contains("\(missing): no such history file"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    /// `examples/replay-term.json` evaluated as of 4 November, then reported on whole (as of the
    /// 20th). As ReplayTests counts by hand, the run of the 4th recommends four fades and no step
    /// back: A wash gestural -> verbal (5 Nov at verbal: followed), B coat model -> gestural (5 Nov
    /// at gestural: followed), C zip verbal -> independent (5 Nov still verbal: NOT followed), F hop
    /// verbal -> independent (5 Nov at independent: followed): 3 of 4 followed. New since: A's
    /// wash was a fade and is now a hold (verbal at 60% since); C's zip still fades to independent
    /// (the same: not listed), and prompt-dependence now asks to review its plan (5 sessions at
    /// verbal by the 6th, 3 by the 4th: new).
    @Test func theReportSaysWhatIsNewAndWhetherTheLastRunsChangesWereFollowed() throws {
        let folder = try cli.temporaryFolder()
        let history = folder.appending(path: "term.history").path
        let term = ReplayTests.term.path
        let first = try cli.trellis(["report", "--history", history, "--quiet", "-o", folder.appending(path: "first.html").path, term])
        #expect(first.status == 0, "\(first.stderr)")
        let firstHTML = try String(contentsOf: folder.appending(path: "first.html"), encoding: .utf8)
        #expect(firstHTML.contains("id=\"since\"") && firstHTML.contains("first run of this class"))

        // The run to compare with: as of 4 November. It is the class's latest run, recorded after the report's.
        let past = try cli.trellis(["evaluate", "--history", history, "--as-of", "2026-11-04", "--format", "json", "--quiet", term])
        #expect(past.status == 0, "\(past.stderr)")
        let output = folder.appending(path: "report.html")
        let report = try cli.trellis(["report", "--history", history, "--quiet", "-o", output.path, term])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: output, encoding: .utf8)
        #expect(html.contains("Compared with run 2"), "\(html)")
        let followUps = Self.elements(html, class: "follow-up")
        let judged = followUps.map { "\(Self.attribute("data-student", $0)) \(Self.attribute("data-skill", $0)) \(Self.attribute("data-action", $0)) \(Self.attribute("data-followed", $0))" }
        #expect(judged.sorted() == ["A wash fade yes", "B coat fade yes", "C zip fade no", "F hop fade yes"])
        #expect(html.contains("3 of 4 changes followed"))
        let changes = Self.elements(html, class: "since-change")
        let aWash = changes.first { Self.attribute("data-student", $0) == "A" && Self.attribute("data-skill", $0) == "wash" }
        #expect(aWash.map { Self.attribute("data-status", $0) } == "changed")
        let cZip = changes.filter { Self.attribute("data-student", $0) == "C" && Self.attribute("data-skill", $0) == "zip" }
        #expect(cZip.map { "\(Self.attribute("data-kind", $0)) \(Self.attribute("data-status", $0))" } == ["review new"])
        // Still one file that loads nothing.
        #expect(!html.contains("<script") && html.contains("Content-Security-Policy"))
        #expect(try RunHistory(path: history).runs().map(\.command) == ["report", "evaluate", "report"])
    }

    /// The opening tags of the elements with `class` (they carry the data attributes).
    static func elements(_ html: String, class name: String) -> [String] {
        html.components(separatedBy: "<li class=\"\(name)\"").dropFirst().map { String($0.prefix { $0 != ">" }) }
    }

    static func attribute(_ name: String, _ tag: String) -> String {
        guard let start = tag.range(of: "\(name)=\"") else { return "" }
        return String(tag[start.upperBound...].prefix { $0 != "\"" })
    }

    /// Text from the input reaches the report's new section escaped.
    @Test func theSectionEscapesWhatTheDataSays() throws {
        let folder = try cli.temporaryFolder()
        let history = folder.appending(path: "h.history").path
        let hostile = "<img src=x onerror=alert(1)>"
        var document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLITests.exampleClass))) as? [String: Any])
        var students = try #require(document["students"] as? [[String: Any]])
        students[0]["name"] = hostile
        document["students"] = students
        let input = folder.appending(path: "hostile.json")
        try JSONSerialization.data(withJSONObject: document).write(to: input)
        _ = try cli.trellis(["evaluate", "--history", history, "--param", "prompt-fading.fade_percent=95", "--format", "json", "--quiet", input.path])
        let run = try cli.trellis(["report", "--history", history, "--quiet", input.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("id=\"since\""))
        #expect(!run.stdout.contains(hostile))
        #expect(run.stdout.contains("&lt;img src=x onerror=alert(1)&gt;"))
    }
}
