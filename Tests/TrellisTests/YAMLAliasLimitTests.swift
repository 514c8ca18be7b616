import Foundation
import Testing
@testable import Trellis

/// A YAML alias bomb (each level a list of aliases to the one before) in a configuration or a rule
/// test file is refused at once, naming the file and the line, before anything is expanded.
@Suite struct YAMLAliasLimitTests {
    /// `levels` lines after the first, each a list of `width` aliases to the line before: the
    /// last anchor stands for width^(levels + 1) scalars. Line n + 1 defines anchor `a<n>`.
    static func bomb(levels: Int, width: Int = 10) -> String {
        var lines = ["a0: &a0 [" + Array(repeating: "lol", count: width).joined(separator: ", ") + "]"]
        for level in 1...levels {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: width).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func configurationIssues(_ text: String) -> [String]? {
        do {
            _ = try Configuration(yaml: text, fileName: "school.yaml")
            return nil
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aMillionValueBombInAConfigurationIsRefusedWithItsLine() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let issues = try #require(configurationIssues(Self.bomb(levels: 5)), "the bomb was accepted")
        #expect(clock.now - started < .seconds(2))
        #expect(issues.count == 1)
        // Line 6 holds the first alias that takes the document past the limit.
        #expect(issues.first?.hasPrefix("school.yaml:6:") == true, "\(issues)")
        #expect(issues.first?.contains("alias") == true, "\(issues)")
    }

    @Test(.timeLimit(.minutes(1)))
    func theNineLevelBombIsRefusedInAFractionOfASecond() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let text = Self.bomb(levels: 8) + "rules:\n  prompt-fading:\n    params:\n      fade_percent: *a8\n"
        let issues = try #require(configurationIssues(text), "the bomb was accepted")
        #expect(clock.now - started < .seconds(1))
        #expect(issues.first?.hasPrefix("school.yaml:6:") == true, "\(issues)")
    }

    @Test(.timeLimit(.minutes(1)))
    func aBombUsedAsAMappingKeyIsRefusedBeforeItIsHashed() throws {
        // A complex key is hashed whole when the mapping is built: the check has to come first.
        let text = Self.bomb(levels: 8) + "rules:\n  ? *a8\n  : off\n"
        let clock = ContinuousClock()
        let started = clock.now
        let issues = try #require(configurationIssues(text), "the bomb was accepted")
        #expect(clock.now - started < .seconds(1))
        #expect(issues.first?.contains("school.yaml:") == true, "\(issues)")
    }

    @Test(.timeLimit(.minutes(1)))
    func aBombInARuleTestFileIsRefusedWithItsFileAndLine() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-yaml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appending(path: "bomb.yaml").path
        try Data((Self.bomb(levels: 5) + "cases:\n  - name: x\n    students: *a5\n").utf8).write(to: URL(fileURLWithPath: file))
        let clock = ContinuousClock()
        let started = clock.now
        #expect(throws: RuleTestError.self) { try RuleTests.load(file: file) }
        do {
            _ = try RuleTests.load(file: file)
        } catch {
            #expect("\(error)".contains("\(file):6:"), "\(error)")
        }
        #expect(clock.now - started < .seconds(2))
    }

    @Test func aliasesOfOrdinarySizeStillWork() throws {
        // Anchors are how a school shares one block of parameters between rules.
        let text = """
            rules:
              prompt-fading:
                params: &strict
                  fade_percent: 90
                  window: 4
              scaffolding-stage:
                params: *strict
            """
        let configuration = try Configuration(yaml: text, fileName: "school.yaml")
        #expect(configuration.rules["scaffolding-stage"]?.parameters["fade_percent"] == .integer(90))
        #expect(configuration.rules["prompt-fading"]?.parameters["window"] == .integer(4))
        // Thousands of small aliases: far from any limit, whatever the file's size.
        var many = "rules:\n"
        for index in 0..<3000 { many += "  r\(index):\n    params: &p\(index) {a: [1, 2, 3], b: {c: 4}}\n  s\(index):\n    params: *p\(index)\n" }
        let big = try Configuration(yaml: many, fileName: "school.yaml")
        #expect(big.rules["s2999"]?.parameters["b"] == .object(["c": .integer(4)]))
    }
}
