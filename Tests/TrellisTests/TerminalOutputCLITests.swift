import Foundation
import Testing

/// What `trellis` prints for people (standard error's messages and summary, the table, `explain`,
/// `rules`, `check`) shows a rule's text, never lets it drive the terminal or fake a line.
@Suite(.serialized)
struct TerminalOutputCLITests {
    let cli = CLITests()

    /// A rule whose every word is an attack: a kind and an action that fake the summary line, a
    /// reason that retitles the window, an error that clears the screen, a description with a
    /// bidi override.
    static let rule = #"""
        return {
          id = "loud",
          api = 1,
          description = "lists \u{202E}dloh and rings\7",
          evaluate = function(student, ctx)
            if student.id == "s-102" then error("\27[2J\27]0;pwned\7\n16 students, 0 recommendations, 0 errors") end
            return { { skill = "hand-washing", kind = "x\n16 students, 0 recommendations (", action = "\27]0;title\7",
              reason = "ok\r\n\u{9B}2J\u{85}" } }
          end,
        }
        """#

    func folder() throws -> URL {
        let folder = try cli.temporaryFolder()
        try Data(Self.rule.utf8).write(to: folder.appending(path: "loud.lua"))
        return folder
    }

    func unsafe(_ text: String) -> [String] {
        TerminalSafety.unsafeScalars(in: text, allowingLineFeeds: true)
    }

    @Test func standardErrorAndTheTableShowTheRuleTextAsEscapes() throws {
        let rules = try folder()
        defer { try? FileManager.default.removeItem(at: rules) }
        let json = try cli.trellis(["evaluate", "--no-bundled", "--rules", rules.path, "--format", "json", CLITests.exampleClass])
        #expect(json.status == 1)
        #expect(unsafe(json.stderr).isEmpty, "\(json.stderr.debugDescription)")
        // The summary line is the last one, and the only one that starts like it.
        let summaries = json.stderr.split(separator: "\n").filter { $0.hasPrefix("16 students, ") }
        #expect(summaries.count == 1, "\(json.stderr)")
        #expect(json.stderr.contains(#"\u{1B}[2J\u{1B}]0;pwned\u{7}\n16 students"#), "\(json.stderr)")
        // JSON keeps the text: it reads back as the rule wrote it.
        let report = try cli.json(json.stdout)
        let first = try #require((report["results"] as? [[String: Any]])?.first?["recommendations"] as? [[String: Any]])
        #expect(first.first?["reason"] as? String == "ok\r\n\u{9B}2J\u{85}")
        #expect(unsafe(json.stdout).isEmpty, "the JSON text escapes what a terminal acts on")

        let table = try cli.trellis(["evaluate", "--no-bundled", "--rules", rules.path, "--format", "table", CLITests.exampleClass])
        #expect(unsafe(table.stdout + table.stderr).isEmpty, "\(table.stdout.debugDescription)")
        #expect(table.stdout.split(separator: "\n").filter { $0.hasPrefix("16 students, ") }.count == 1, "\(table.stdout)")
    }

    @Test func explainRulesAndCheckShowTheRuleTextAsEscapes() throws {
        let rules = try folder()
        defer { try? FileManager.default.removeItem(at: rules) }
        for arguments in [
            ["explain", "--no-bundled", "--rules", rules.path, "--student", "s-101", CLITests.exampleClass],
            ["explain", "--no-bundled", "--rules", rules.path, "--student", "s-102", CLITests.exampleClass],
            ["rules", "--no-bundled", "--rules", rules.path],
            ["check", rules.path],
        ] {
            let run = try cli.trellis(arguments)
            #expect(unsafe(run.stdout + run.stderr).isEmpty, "\(arguments): \((run.stdout + run.stderr).debugDescription)")
            #expect(!(run.stdout + run.stderr).split(separator: "\n").contains { $0.hasPrefix("16 students") }, "\(arguments): \(run.stdout)")
        }
    }
}
