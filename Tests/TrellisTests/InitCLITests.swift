import Foundation
import Testing

/// `trellis init DIR`: a school's rule folder that works as written, whose school.yaml lists
/// every rule's parameters at their defaults, and that never overwrites a folder in use.
@Suite(.serialized)
struct InitCLITests {
    let cli = CLITests()

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "trellis-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// school.yaml with every setting uncommented: `#key:` becomes `key:` at the same indentation.
    static func uncommented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let indentation = line.prefix { $0 == " " }
            let rest = line.dropFirst(indentation.count)
            guard rest.hasPrefix("#"), let next = rest.dropFirst().first, next != " " else { return String(line) }
            return String(indentation) + String(rest.dropFirst())
        }.joined(separator: "\n")
    }

    @Test func aFreshFolderPassesCheckAndTest() throws {
        let root = try temporaryFolder()
        let made = try cli.trellis(["init", "school-rules"], in: root)
        #expect(made.status == 0, "\(made.stderr)")
        for file in ["needs-data.lua", "tests/needs-data.yaml", "school.yaml", ".luarc.json", ".luacheckrc", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: root.appending(path: "school-rules/\(file)").path), "\(file) is missing")
        }
        let check = try cli.trellis(["check", "school-rules", "--config", "school-rules/school.yaml"], in: root)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("1 rule is fine: needs-data (beside "))
        let test = try cli.trellis(["test", "school-rules"], in: root)
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.hasSuffix("3 passed, 0 failed\n"))
        let evaluation = try cli.trellis(["evaluate", "--format", "json", "--rules", "school-rules", CLITests.exampleClass], in: root)
        #expect(evaluation.status == 0 || evaluation.status == 1, "\(evaluation.stderr)")
        #expect(evaluation.stdout.contains(#""rule": "needs-data""#) || evaluation.stdout.contains(#""rule":"needs-data""#))
        #expect(evaluation.stdout.contains(#""rule": "prompt-fading""#) || evaluation.stdout.contains(#""rule":"prompt-fading""#), "the bundled rules still run")
    }

    @Test func schoolYAMLListsEveryParameterOfEveryRuleWithItsDefault() throws {
        let root = try temporaryFolder()
        #expect(try cli.trellis(["init", "school"], in: root).status == 0)
        let text = try String(contentsOf: root.appending(path: "school/school.yaml"), encoding: .utf8)
        let listing = try cli.trellis(["rules", "--rules", "school", "--format", "json"], in: root)
        let rules = try #require(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]])
        #expect(rules.count > 10, "the bundled rules and the sample")
        var parameterCount = 0
        for rule in rules {
            let id = try #require(rule["id"] as? String)
            // The rule's block: from its key to the next rule's key.
            let start = try #require(text.range(of: "\n  #\(id):\n"), "no block for \(id)")
            let rest = text[start.upperBound...]
            let block = rest.range(of: "\n  # ").map { rest[..<$0.lowerBound] } ?? rest
            #expect(block.contains("    #enabled: true"))
            for parameter in rule["params"] as? [[String: Any]] ?? [] {
                parameterCount += 1
                let name = try #require(parameter["name"] as? String)
                let value = try #require(parameter["default"])
                let defaultText = String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self)
                let line = try #require(block.split(separator: "\n").first { $0.hasPrefix("      #\(name): ") }, "\(id).\(name) is not listed")
                let written = String(line.dropFirst("      #\(name): ".count))
                // JSONSerialization writes 80.0 as 80 and lists without spaces, as jsonText does.
                #expect(written.replacingOccurrences(of: ", ", with: ",") == defaultText, "\(id).\(name): \(written) is not the default \(defaultText)")
                if let description = parameter["description"] as? String {
                    let words = description.split(separator: " ").prefix(3).joined(separator: " ")
                    #expect(block.contains(words), "\(id).\(name)'s description is not above it")
                }
            }
        }
        #expect(parameterCount > 20)
        // Uncommented as it is, the file is a configuration check accepts; a changed value is read.
        let all = root.appending(path: "all.yaml")
        try Self.uncommented(text).write(to: all, atomically: true, encoding: .utf8)
        let check = try cli.trellis(["check", "school", "--config", all.path], in: root)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let wrong = Self.uncommented(text).replacingOccurrences(of: "      min_sessions: 3", with: "      min_sessions: 500")
        try wrong.write(to: all, atomically: true, encoding: .utf8)
        let refused = try cli.trellis(["check", "school", "--config", all.path], in: root)
        #expect(refused.status == 2)
        #expect(refused.stdout.contains("rules.needs-data.params.min_sessions: 500 is above the maximum 50"), "\(refused.stdout)")
    }

    @Test func refusesAFolderInUseUnlessForced() throws {
        let root = try temporaryFolder()
        let folder = root.appending(path: "ours")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "-- our own rule\n".write(to: folder.appending(path: "needs-data.lua"), atomically: true, encoding: .utf8)
        let refused = try cli.trellis(["init", "ours"], in: root)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("ours is not empty"), "\(refused.stderr)")
        #expect(try String(contentsOf: folder.appending(path: "needs-data.lua"), encoding: .utf8) == "-- our own rule\n", "nothing was replaced")
        #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "school.yaml").path), "nothing was written")
        try "x".write(to: root.appending(path: "a-file"), atomically: true, encoding: .utf8)
        #expect(try cli.trellis(["init", "a-file"], in: root).status == 2)
        let forced = try cli.trellis(["init", "--force", "ours"], in: root)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appending(path: "school.yaml").path))
        // An empty folder is fine without --force.
        try FileManager.default.createDirectory(at: root.appending(path: "empty"), withIntermediateDirectories: true)
        #expect(try cli.trellis(["init", "empty"], in: root).status == 0)
    }

    @Test func theEditorAndLinterSettingsFindTheKit() throws {
        let root = try temporaryFolder()
        #expect(try cli.trellis(["init", "school"], in: root).status == 0)
        // A developer's build finds the kit in the checkout it was built in.
        let luarc = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appending(path: "school/.luarc.json"))) as? [String: Any]
        let library = try #require((luarc?["workspace"] as? [String: Any])?["library"] as? [String])
        #expect(library == [CLITests.packageRoot.appending(path: "types").path])
        #expect(FileManager.default.fileExists(atPath: library[0] + "/trellis.lua"))
        // luacheck run in the folder with its own .luacheckrc knows the sandbox and the helpers.
        let luacheck = try #require(LintTests.luacheck, Comment(rawValue: LintTests.installHint))
        let clean = try cli.run(luacheck, ["--no-color", "--codes", "."], in: root.appending(path: "school"))
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        try "return { id = 'loud', evaluate = function(student, ctx) print(trellis.ladder.nxt) return {} end }\n"
            .write(to: root.appending(path: "school/loud.lua"), atomically: true, encoding: .utf8)
        let flagged = try cli.run(luacheck, ["--no-color", "--codes", "."], in: root.appending(path: "school"))
        #expect(flagged.status != 0)
        #expect(flagged.stdout.contains("accessing undefined variable 'print'"), "\(flagged.stdout)")
        #expect(flagged.stdout.contains("accessing undefined field 'ladder.nxt' of global 'trellis'"), "\(flagged.stdout)")
    }
}
