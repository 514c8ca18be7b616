import Foundation
import Testing

@testable import Trellis

/// What a person acts on in the terminal and a spreadsheet: names beside ids, filters, notes,
/// option titles, a table that fits 120 columns, CSV for Excel; and `trellis report` as a command.
@Suite(.serialized)
struct ReportOutputTests {
    let cli = CLITests()

    @Test func theTableFitsA120ColumnTerminalAndNamesEachStudent() throws {
        let run = try cli.trellis(["evaluate", "--format", "table", CLITests.exampleClass])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let widest = lines.map(\.count).max() ?? 0
        #expect(widest <= 120, "the widest line has \(widest) columns: \(lines.first { $0.count == widest } ?? "")")
        for name in ["Maya R. (s-101)", "Jonah K. (s-102)", "Hannah C. (s-116)"] { #expect(lines.contains(Substring(name))) }
        // A menu lists its options by title; a note says which rule decided nothing.
        #expect(run.stdout.contains("- Record a 2-minute video explaining one half vs. one fourth"))
        #expect(run.stdout.contains("prompt-fading: no prompt level recorded for fractions"))
    }

    @Test func onlyActionsLeavesHoldsMenusPlansAndNotesOut() throws {
        let run = try cli.trellis(["evaluate", "--only", "actions", "--format", "csv", CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0[4] != "hold" && $0[4] != "plan" && $0[3] != "choices" && $0[3] != "note" })
        // Exactly the evaluation's actions: a plan (each student's adult support) is not one.
        let evaluation = try cli.json(try cli.trellis(["evaluate", "--format", "json", CLITests.exampleClass]).stdout)
        var actions = 0
        for result in evaluation["results"] as? [[String: Any]] ?? [] {
            actions += (result["recommendations"] as? [[String: Any]] ?? []).filter {
                $0["kind"] as? String != "choices" && $0["action"] as? String != "hold" && $0["action"] as? String != "plan"
            }.count
        }
        let classItems = (evaluation["class"] as? [String: Any])?["recommendations"] as? [[String: Any]] ?? []
        actions += classItems.filter { $0["action"] as? String != "hold" && $0["action"] as? String != "plan" }.count
        #expect(rows.count == actions)
        // The plans are there on their own: one per student of the example.
        let plans = try cli.trellis(["evaluate", "--only", "plans", "--format", "csv", CLITests.exampleClass]).stdout
        let planRows = plans.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(planRows.count == 16)
        #expect(planRows.allSatisfy { $0[3] == "support" && $0[4] == "plan" })
        #expect(planRows.count == classItems.filter { $0["action"] as? String == "plan" }.count)
        // The table too: no hold line, no menu, no note.
        let table = try cli.trellis(["evaluate", "--only", "actions", CLITests.exampleClass]).stdout
        #expect(!table.contains("prompt hold") && !table.contains("choices offer") && !table.contains(" note "))
        #expect(table.contains("prompt fade"))
    }

    @Test func kindAndActionFiltersCombine() throws {
        let run = try cli.trellis(["evaluate", "--kind", "prompt", "--kind", "scaffold", "--action", "step_back", "--format", "csv", CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 4, "2 prompt and 2 scaffold step backs in the example: \(rows)")
        #expect(rows.allSatisfy { ["prompt", "scaffold"].contains($0[3]) && $0[4] == "step_back" })
        let notes = try cli.trellis(["evaluate", "--only", "notes", "--format", "csv", CLITests.exampleClass]).stdout
        #expect(notes.split(separator: "\n").dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[3] == "note" })
        let wrong = try cli.trellis(["evaluate", "--only", "everything", CLITests.exampleClass])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("--only takes actions, holds, menus, plans or notes"))
        let json = try cli.trellis(["evaluate", "--only", "actions", "--format", "json", CLITests.exampleClass])
        #expect(json.status == 64, "JSON keeps the whole contract")
    }

    @Test func csvHasNamesOptionTitlesAndNotes() throws {
        let rows = try cli.trellis(["evaluate", "--format", "csv", CLITests.exampleClass]).stdout.split(separator: "\n").map(String.init)
        let menu = try #require(rows.first { $0.hasPrefix("s-101,Maya R.,fractions,choices,offer") })
        #expect(menu.contains("frac-video;frac-pizza-drawing,Record a 2-minute video explaining one half vs. one fourth;Draw a pizza and shade 3/4 of it"))
        #expect(rows.contains("s-101,Maya R.,fractions,note,,,,,,prompt-fading,,no prompt level recorded for fractions"))
        // A class-level row that names one student has the name too.
        #expect(rows.contains { $0.hasPrefix("s-104,Eli M.,,independent_work,practice_alone") })
    }

    @Test func excelCSVStartsWithAByteOrderMark() throws {
        let folder = try cli.temporaryFolder()
        let path = folder.appending(path: "today.csv").path
        let run = try cli.trellis(["evaluate", "--excel", "-o", path, CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self).hasPrefix("student,name,skill"))
        let plain = try cli.trellis(["evaluate", "--format", "csv", CLITests.exampleClass]).stdout
        #expect(!plain.hasPrefix("\u{FEFF}"), "only --excel adds the mark")
    }

    @Test func jsonResultsNameTheStudent() throws {
        let document = try cli.json(try cli.trellis(["evaluate", "--format", "json", CLITests.exampleClass]).stdout)
        let first = try #require((document["results"] as? [[String: Any]])?.first)
        #expect(first["name"] as? String == "Maya R.")
    }

    @Test func reportWritesOneFileOrASchoolFolder() throws {
        let folder = try cli.temporaryFolder()
        let single = try cli.trellis(["report", CLITests.exampleClass, "-o", folder.appending(path: "r.html").path])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stderr.contains("16 students, 43 actions, 27 holds, 36 menus, 16 plans"))
        let html = try String(contentsOf: folder.appending(path: "r.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["r.html"], "no temporary file is left")

        // A school: a folder of classes, with one that cannot be read.
        let classes = folder.appending(path: "classes")
        let generated = try cli.trellis(["generate", "--students", "10", "--format", "document", "--classes", "3", "-o", classes.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: classes.path).sorted() == ["class-01.json", "class-02.json", "class-03.json"])
        try "{ not json".write(to: classes.appending(path: "class-04.json"), atomically: true, encoding: .utf8)
        let site = folder.appending(path: "site")
        let school = try cli.trellis(["report", "--title", "Oak <School>", classes.path, "-o", site.path])
        #expect(school.status == 1, "a class that cannot be read: the others are written, status 1")
        #expect(school.stderr.contains("class-04.json:1"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path).sorted() == ["class-01.html", "class-02.html", "class-03.html", "index.html"])
        let index = try String(contentsOf: site.appending(path: "index.html"), encoding: .utf8)
        #expect(index.contains("Oak &lt;School&gt;"))
        for page in ["class-01.html", "class-02.html", "class-03.html"] { #expect(index.contains("href=\"\(page)\"")) }
        #expect(try String(contentsOf: site.appending(path: "class-02.html"), encoding: .utf8).contains("href=\"index.html\""))

        // Several classes and no folder to write them to.
        let noFolder = try cli.trellis(["report", classes.appending(path: "class-01.json").path, classes.appending(path: "class-02.json").path])
        #expect(noFolder.status == 64)
        #expect(noFolder.stderr.contains("name a folder with --output"))
        // An input that cannot be used: status 2, nothing written.
        let broken = try cli.trellis(["report", classes.appending(path: "class-04.json").path, "-o", folder.appending(path: "broken.html").path])
        #expect(broken.status == 2)
        #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "broken.html").path))
    }

    @Test func reportOfAnNDJSONRosterUsesTheClassHeader() throws {
        let ndjson = CLITests.packageRoot.appending(path: "examples/students.ndjson").path
        let header = CLITests.packageRoot.appending(path: "examples/class-header.json").path
        let fromLines = try cli.trellis(["report", "--class", header, ndjson])
        let fromDocument = try cli.trellis(["report", CLITests.exampleClass])
        #expect(fromLines.status == 0, "\(fromLines.stderr)")
        #expect(fromLines.stdout == fromDocument.stdout, "the same class as lines or as a document makes the same report")
    }
}

/// The HTML itself: escaping, numbers, and the sorting of recommendations.
struct ReportHTMLTests {
    @Test func escapingLeavesNoMarkupAndNoControlCharacter() {
        #expect(HTMLText.escape("plain words") == "plain words")
        #expect(HTMLText.escape("<b a=\"x\" b='y'>&</b>") == "&lt;b a=&quot;x&quot; b=&#39;y&#39;&gt;&amp;&lt;/b&gt;")
        #expect(HTMLText.escape("a\u{1B}[31mb\u{0}c\u{85}d\te\nf") == "a\u{FFFD}[31mb\u{FFFD}c\u{FFFD}d\te\nf")
        #expect(HTMLText.escape("café ünïcode ✓") == "café ünïcode ✓")
    }

    @Test func anchorsAreDistinctForDistinctIDs() {
        let ids = ["s 1", "s_1", "s-1", "s.1", "s\"1", "S-1"]
        #expect(Set(ids.map { HTMLText.anchor("student-", $0) }).count == ids.count)
        #expect(HTMLText.anchor("student-", "s-101") == "student-s-101")
    }

    @Test func numbersAreShortAndExact() {
        #expect(HTMLText.percent(90) == "90")
        #expect(HTMLText.percent(200.0 / 3) == "66.67")
        #expect(HTMLText.percent(87.5) == "87.5")
        #expect(HTMLText.percent(100.0 / 12) == "8.33")
        #expect(HTMLText.percent(0.05) == "0.05")
        // Captions and tooltips: one decimal at most.
        #expect(HTMLText.readablePercent(250.0 / 3) == "83.3")
        #expect(HTMLText.readablePercent(200.0 / 3) == "66.7")
        #expect(HTMLText.readablePercent(90) == "90")
        #expect(HTMLText.coordinate(12.34) == "12.3")
        #expect(HTMLText.coordinate(-3.96) == "-4")
        #expect(HTMLText.coordinate(-0.25) == "-0.3" || HTMLText.coordinate(-0.25) == "-0.2")
    }

    @Test func actionsAreWhatIsNeitherAHoldNorAMenu() {
        func category(_ kind: String, _ action: String) -> ReportCategory {
            ReportCategory(Recommendation(skill: "k", kind: kind, action: action, rule: "r", priority: 1, reason: "x"))
        }
        #expect(category("prompt", "fade") == .action)
        #expect(category("conference", "check_in") == .action)
        #expect(category("buddies", "pair") == .action)
        #expect(category("custom", "hold") == .hold)
        #expect(category("choices", "offer") == .menu)
        #expect(category("choices", "hold") == .menu)
    }

    @Test func datesReadAsAPersonWritesThem() {
        #expect(ReportWords.longDate("2026-11-20") == "Friday 20 November 2026")
        #expect(ReportWords.longDate("2024-02-29") == "Thursday 29 February 2024")
        #expect(ReportWords.longDate("2026-11-17T09:30:00Z") == "Tuesday 17 November 2026")
        #expect(ReportWords.longDate("soon") == "soon")
        #expect(ReportWords.shortDate("2026-01-05") == "5 Jan")
    }

    @Test func aSkillWithoutSessionsStillHasAChartThatSaysSo() throws {
        let student = Student(id: "a", name: "Ann", skills: [Skill(id: "new-skill", promptLevel: "model")])
        let roster = Roster(ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: [student]))
        let evaluation = EvaluationReport(asOf: "2026-11-20", outcomes: [.evaluated(StudentResult(student: "a", name: "Ann"))])
        let html = ClassReport(roster: roster, evaluation: evaluation).html()
        #expect(html.contains("data-student=\"a\" data-skill=\"new-skill\""))
        #expect(html.contains("no sessions recorded yet"))
        #expect(!html.contains("class=\"point"))
    }

    @Test func theCriterionFollowsTheRulesParameters() throws {
        let student = Student(id: "a", skills: [Skill(id: "k", stage: "guided", sessions: [Session(date: "2026-11-19", stage: "guided", trials: 10, correct: 9)])])
        let roster = Roster(ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: [student]))
        let evaluation = EvaluationReport(asOf: "2026-11-20", outcomes: [.evaluated(StudentResult(student: "a"))])
        let html = ClassReport(roster: roster, evaluation: evaluation, parameters: ["scaffold-stage": ["advance_percent": .integer(90), "min_trials": .integer(8)]]).html()
        #expect(html.contains("Criterion: 90% correct with at least 8 trials"))
        #expect(html.contains("data-date=\"2026-11-19\" data-percent=\"90\""))
    }

    /// A skill taught with prompt levels has no stage: scaffold-stage's note about it is not
    /// missing data once prompt-fading decided the skill. A note about a skill no rule decided is.
    @Test func notesAboutASkillAnotherRuleDecidedAreCountedNotListed() throws {
        let student = Student(id: "a", name: "Ann", skills: [
            Skill(id: "zipping", promptLevel: "model", sessions: [Session(date: "2026-11-19", promptLevel: "model", trials: 10, correct: 5)]),
            Skill(id: "reading", sessions: [Session(date: "2026-11-19", trials: 10, correct: 5)]),
        ])
        let roster = Roster(ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: [student]))
        let hold = Recommendation(skill: "zipping", kind: "prompt", action: "hold", rule: "prompt-fading", priority: 10, reason: "keep going")
        let notes = [
            RuleNote(rule: "scaffold-stage", skill: "zipping", message: "no stage recorded for zipping"),
            RuleNote(rule: "prompt-fading", skill: "reading", message: "no prompt level recorded for reading"),
            RuleNote(rule: "scaffold-stage", skill: "reading", message: "no stage recorded for reading"),
        ]
        let evaluation = EvaluationReport(asOf: "2026-11-20", outcomes: [.evaluated(StudentResult(student: "a", name: "Ann", recommendations: [hold], notes: notes))])
        let report = ClassReport(roster: roster, evaluation: evaluation)
        let html = report.html()
        let section = try #require(html.range(of: "id=\"undecided\"")).lowerBound
        let undecided = String(html[section...])
        #expect(!undecided.contains("no stage recorded for zipping"))
        #expect(undecided.contains("no prompt level recorded for reading"))
        #expect(undecided.contains("no stage recorded for reading"))
        #expect(undecided.contains("Not listed: 1 note of a rule about a skill that another rule decided"))
    }
}
