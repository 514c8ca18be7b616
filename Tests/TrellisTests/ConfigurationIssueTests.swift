import Foundation
import Testing
@testable import Trellis

/// A configuration's problems are `TrellisIssue`s: the location (file:line:column), the setting's
/// path and the message each in its own field, so that nobody cuts a line apart to find them.
@Suite struct ConfigurationIssueTests {
    private func issues(_ yaml: String, fileName: String = "school.yaml") -> [TrellisIssue] {
        do {
            _ = try Engine(configuration: try Configuration(yaml: yaml, fileName: fileName))
            return []
        } catch let error as TrellisError {
            return error.issues
        } catch {
            Issue.record("not a TrellisError: \(error)")
            return []
        }
    }

    @Test func aValueOutOfRangeCarriesItsLinePathAndTheWholeMessage() throws {
        let found = issues("rules:\n  prompt-fading:\n    params:\n      fade_percent: 190\n", fileName: "term: spring/school.yaml")
        let issue = try #require(found.first)
        #expect(found.count == 1)
        #expect(issue.kind == .invalidConfiguration)
        #expect(issue.location == "term: spring/school.yaml:4:21")
        #expect(issue.path == "rules.prompt-fading.params.fade_percent")
        // The message has ": " of its own (the parameter's summary); it stays whole.
        #expect(issue.message.hasPrefix("190 is above the maximum 100 (fade_percent: a number from 0 to 100, default 80"), "\(issue.message)")
        #expect(issue.message.hasSuffix("prompt-fading.lua)"), "\(issue.message)")
        // People read the same line as before.
        #expect(issue.description == "term: spring/school.yaml:4:21: rules.prompt-fading.params.fade_percent: \(issue.message)")
    }

    @Test func anUnknownSettingAndAnUnknownRuleNameTheirPaths() {
        let found = issues("limits:\n  seconds: 3\nrules:\n  no-such-rule: false\n")
        #expect(found.map(\.path) == ["limits.seconds"], "\(found)")
        #expect(found.first?.location == "school.yaml:2:12")
        let rules = issues("rules:\n  no-such-rule: false\n")
        #expect(rules.map(\.path) == ["rules.no-such-rule"], "\(rules)")
        #expect(rules.first?.location == "school.yaml:2:17")
        #expect(rules.first?.message.hasPrefix("no rule has this id (the rules are ") == true)
    }

    @Test func aYAMLSyntaxErrorHasItsLineAndColumnInTheLocation() throws {
        let issue = try #require(issues("rules:\n  prompt-fading: [1, 2\n").first)
        #expect(issue.kind == .invalidConfiguration)
        #expect(issue.path == nil)
        let location = try #require(issue.location)
        #expect(location.hasPrefix("school.yaml:") && location != "school.yaml", "\(location)")
        #expect(!issue.message.contains("school.yaml"), "\(issue.message)")
        #expect(!issue.message.contains("\n"), "\(issue.message)")
    }

    @Test func aRootThatIsNotAMappingIsAnIssueAtTheTop() throws {
        let issue = try #require(issues("- one\n- two\n").first)
        #expect(issue.location == "school.yaml:1:1")
        #expect(issue.message == "a configuration is a mapping with rules, ladders and limits")
    }
}

/// The commands print a `TrellisError` under the heading its issues' kind gives, each issue on its
/// own line with its location and setting, the same for `trellis serve` as for `evaluate`.
@Suite struct UnusableSetupCLITests {
    let cli = CLITests()

    @Test func serveNamesABadConfigurationAsTheConfigurationWithItsLineAndSetting() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appending(path: "school.yaml")
        try "rules:\n  prompt-fading:\n    params:\n      fade_percent: 190\n".write(to: config, atomically: true, encoding: .utf8)
        let served = try cli.trellis(["serve", "--port", "0", "--config", config.path])
        #expect(served.status == 2, "\(served.stderr)")
        let expected = "trellis: the configuration cannot be used:\n  \(config.path):4:21: rules.prompt-fading.params.fade_percent: 190 is above the maximum 100"
        #expect(served.stderr.hasPrefix(expected), "\(served.stderr)")
        // evaluate says the same, in the same words.
        let evaluated = try cli.trellis(["evaluate", "--config", config.path, CLITests.exampleClass])
        #expect(evaluated.status == 2)
        #expect(evaluated.stderr.hasPrefix(expected), "\(evaluated.stderr)")
    }

    @Test func serveNamesABrokenRuleWithItsRule() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "return {\n  id = \"broken\",\n  evaluate = function(s, ctx)\n    return {\nend }\n".write(
            to: folder.appending(path: "broken.lua"), atomically: true, encoding: .utf8)
        for command in [["serve", "--port", "0"], ["evaluate"], ["rules"]] {
            let arguments = command + ["--rules", folder.path] + (command == ["evaluate"] ? [CLITests.exampleClass] : [])
            let run = try cli.trellis(arguments)
            #expect(run.status == 2, "\(command): \(run.stderr)")
            #expect(run.stderr.hasPrefix("trellis: the rules cannot be used:\n  \(folder.path)/broken.lua:5: "), "\(command): \(run.stderr)")
        }
    }

    @Test func everyImportRefusesADateOrderItDoesNotKnow() throws {
        for command in [["import", "sheet"], ["import", "khan"], ["import", "gradebook", "--profile", "generic"], ["import", "classroom"]] {
            let run = try cli.trellis(command + ["--date-order", "ymd", CLITests.exampleClass])
            #expect(run.status == 64, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("--date-order must be mdy or dmy"), "\(command): \(run.stderr)")
        }
    }
}
