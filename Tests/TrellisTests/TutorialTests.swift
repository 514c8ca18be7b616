import Foundation
import Testing

/// Follows the tutorial of docs/rules.md word for word, so that it cannot rot.
///
/// The tutorial is the `## Tutorial` section (up to the next `## ` heading). In it:
/// - `<!-- file: PATH -->` before a fenced block: the block is the file PATH (from the repository
///   root). It is written at that point; when the repository has a file at PATH, the block must be
///   that file, byte for byte.
/// - a ```sh block is run, one command per line (`trellis ...` or `luacheck ...`), unless
///   `<!-- not run ... -->` stands before it. `<!-- exit: N -->` before it sets the exit status every
///   command must have (0 otherwise).
/// - a ```text block that follows a run ```sh block (before any other fenced block) shows its
///   output: each line must appear in the output (standard output, then standard error), in that
///   order, comparing runs of spaces as one space. A line `...` stands for lines left out, and
///   `...` inside a line for any text.
///
/// The commands run in a new folder holding copies of rules/, examples/ and .luacheckrc, with the
/// `trellis` that `swift build` put beside this test bundle.
@Suite(.serialized)
struct TutorialTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let documentPath = "docs/rules.md"

    /// The `trellis` binary beside this test bundle.
    static var trellis: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "trellis")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return packageRoot.appending(path: ".build/debug/trellis")
    }

    enum Step {
        case file(path: String, content: String, line: Int)
        case commands(lines: [(line: Int, words: [String])], exit: Int32, output: [String]?)
    }

    struct TutorialError: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Reading the tutorial

    static func steps(of markdown: String) throws -> [Step] {
        let lines = markdown.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("## Tutorial") }) else {
            throw TutorialError(description: "\(documentPath) has no `## Tutorial` section")
        }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.count
        var steps: [Step] = []
        var filePath: String?
        var exit: Int32 = 0
        var notRun = false
        // Whether the last fenced block was a run ```sh block still waiting for its output.
        var awaitingOutput = false
        var index = start + 1
        while index < end {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->") {
                let marker = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
                if marker.hasPrefix("file:") {
                    filePath = marker.dropFirst(5).trimmingCharacters(in: .whitespaces)
                } else if marker.hasPrefix("exit:") {
                    guard let status = Int32(marker.dropFirst(5).trimmingCharacters(in: .whitespaces)) else {
                        throw TutorialError(description: "\(documentPath):\(index + 1): exit: needs a number")
                    }
                    exit = status
                } else if marker.hasPrefix("not run") {
                    notRun = true
                }
                index += 1
                continue
            }
            guard trimmed.hasPrefix("```") else {
                index += 1
                continue
            }
            let info = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
            let open = index
            guard let close = lines[(open + 1)..<end].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "```" }) else {
                throw TutorialError(description: "\(documentPath):\(open + 1): a fenced block that does not close")
            }
            let body = Array(lines[(open + 1)..<close])
            index = close + 1
            if let path = filePath {
                steps.append(.file(path: path, content: body.joined(separator: "\n") + "\n", line: open + 1))
                awaitingOutput = false
            } else if info == "sh" && !notRun {
                var commands: [(line: Int, words: [String])] = []
                for (offset, text) in body.enumerated() {
                    let command = text.trimmingCharacters(in: .whitespaces)
                    if command.isEmpty || command.hasPrefix("#") { continue }
                    commands.append((open + 2 + offset, try words(of: command, line: open + 2 + offset)))
                }
                steps.append(.commands(lines: commands, exit: exit, output: nil))
                awaitingOutput = true
            } else if info == "text" && awaitingOutput, case .commands(let commands, let status, nil)? = steps.last {
                steps[steps.count - 1] = .commands(lines: commands, exit: status, output: body)
                awaitingOutput = false
            } else {
                awaitingOutput = false
            }
            filePath = nil
            exit = 0
            notRun = false
        }
        return steps
    }

    /// A command line split into words, with '...' and "..." quoting; nothing else of the shell.
    static func words(of command: String, line: Int) throws -> [String] {
        if let special = command.first(where: { "$|<>&;`\\*?".contains($0) }) {
            throw TutorialError(description: "\(documentPath):\(line): `\(special)` needs a shell, which TutorialTests does not run: \(command)")
        }
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in command {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { throw TutorialError(description: "\(documentPath):\(line): an unclosed quote: \(command)") }
        if inWord { words.append(current) }
        return words
    }

    // MARK: Comparing output

    /// Runs of white space as one space, without ANSI colours, trimmed.
    static func normalized(_ line: String) -> String {
        let plain = line.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        return plain.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Whether an actual line matches an expected one, where `...` in the expected line is any text.
    static func matches(_ actual: String, _ expected: String) -> Bool {
        guard expected.contains("...") else { return actual == expected }
        let fragments = expected.components(separatedBy: "...").map { $0.trimmingCharacters(in: .whitespaces) }
        var rest = actual[...]
        for (position, fragment) in fragments.enumerated() where !fragment.isEmpty {
            if position == 0 {
                guard rest.hasPrefix(fragment) else { return false }
                rest = rest.dropFirst(fragment.count)
            } else if position == fragments.count - 1 {
                return rest.hasSuffix(fragment)
            } else {
                guard let found = rest.range(of: fragment) else { return false }
                rest = rest[found.upperBound...]
            }
        }
        return true
    }

    /// The expected lines that do not appear, in order, in the output; empty when all do.
    static func missingLines(_ expected: [String], in output: String) -> [String] {
        let actual = output.components(separatedBy: "\n").map(normalized)
        var position = 0
        var missing: [String] = []
        for line in expected.map(normalized) where !line.isEmpty && line != "..." {
            if let found = actual[position...].firstIndex(where: { matches($0, line) }) {
                position = found + 1
            } else {
                missing.append(line)
            }
        }
        return missing
    }

    // MARK: Running

    struct Run {
        var status: Int32
        var output: String
    }

    static func run(_ words: [String], in folder: URL) throws -> Run {
        let process = Process()
        switch words.first {
        case "trellis":
            process.executableURL = trellis
        case "luacheck":
            let luacheck: URL = try #require(LintTests.luacheck, Comment(rawValue: LintTests.installHint))
            process.executableURL = luacheck
        default:
            throw TutorialError(description: "the tutorial runs `\(words.first ?? "")`; TutorialTests runs only trellis and luacheck")
        }
        process.arguments = Array(words.dropFirst())
        process.currentDirectoryURL = folder
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Standard error is small (a summary line); read it after standard output.
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self) + String(decoding: errData, as: UTF8.self))
    }

    /// A new folder with what the tutorial's commands read from a fresh clone.
    static func workFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-tutorial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for item in ["rules", "examples", ".luacheckrc"] {
            try FileManager.default.copyItem(at: packageRoot.appending(path: item), to: folder.appending(path: item))
        }
        return folder
    }

    // MARK: Tests

    @Test func theTutorialHasFilesCommandsAndOutputs() throws {
        let steps = try Self.steps(of: String(contentsOf: Self.packageRoot.appending(path: Self.documentPath), encoding: .utf8))
        var files: [String] = []
        var commands: [String] = []
        var outputs = 0
        var failing = 0
        for step in steps {
            switch step {
            case .file(let path, _, _): files.append(path)
            case .commands(let lines, let exit, let output):
                commands += lines.map { $0.words.joined(separator: " ") }
                if output != nil { outputs += 1 }
                if exit != 0 { failing += 1 }
            }
        }
        #expect(Set(files).isSuperset(of: ["my-rules/session-due.lua", "my-rules/tests/session-due.yaml", "examples/school-config.yaml"]), "\(files)")
        for command in ["trellis new", "trellis check", "trellis test", "trellis evaluate", "trellis explain", "luacheck"] {
            #expect(commands.contains { $0.hasPrefix(command) }, "the tutorial never runs \(command): \(commands)")
        }
        #expect(commands.contains { $0.contains("--coverage") })
        #expect(commands.contains { $0.contains("--config examples/school-config.yaml") })
        #expect(outputs >= 10, "only \(outputs) commands show their output")
        #expect(failing >= 1, "the tutorial shows a failing test run")
        // Not run, but there: how to get trellis.
        #expect(try Self.text().contains("scripts/demo.sh"))
    }

    static func text() throws -> String {
        try String(contentsOf: packageRoot.appending(path: documentPath), encoding: .utf8)
    }

    @Test func theTutorialWorksAsWritten() throws {
        let steps = try Self.steps(of: Self.text())
        let folder = try Self.workFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for step in steps {
            switch step {
            case .file(let path, let content, let line):
                let shipped = Self.packageRoot.appending(path: path)
                if FileManager.default.fileExists(atPath: shipped.path) {
                    let actual = try String(contentsOf: shipped, encoding: .utf8)
                    #expect(actual == content, "\(Self.documentPath):\(line) shows \(path), which differs from the repository's \(path)")
                }
                let target = folder.appending(path: path)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try content.write(to: target, atomically: true, encoding: .utf8)
            case .commands(let lines, let exit, let expected):
                var output = ""
                for (line, words) in lines {
                    let run = try Self.run(words, in: folder)
                    output += run.output
                    #expect(
                        run.status == exit,
                        "\(Self.documentPath):\(line): `\(words.joined(separator: " "))` exited with \(run.status), the tutorial says \(exit):\n\(run.output)")
                }
                if let expected {
                    let missing = Self.missingLines(expected, in: output)
                    let where_ = lines.first.map { "\(Self.documentPath):\($0.line)" } ?? Self.documentPath
                    #expect(
                        missing.isEmpty,
                        "\(where_): the output lacks, in the order shown:\n  \(missing.joined(separator: "\n  "))\nIt was:\n\(output)")
                }
            }
        }
    }

    @Test func outputMatchingReadsEllipsesAndSpaces() throws {
        #expect(Self.matches("16 students, 90 recommendations (data: 1 collect; prompt: 7 fade)", "16 students, ... data: 1 collect; ..."))
        #expect(!Self.matches("16 students, 90 recommendations (prompt: 7 fade)", "16 students, ... data: 1 collect; ..."))
        #expect(Self.matches("12 rules are fine: a, b", "... rules are fine: ..."))
        #expect(Self.missingLines(["a  b", "...", "d"], in: "a b\nc\nd\n").isEmpty)
        #expect(Self.missingLines(["d", "a b"], in: "a b\nc\nd\n") == ["a b"], "lines must come in order")
        #expect(throws: TutorialError.self) { try Self.words(of: "trellis evaluate x.json | head", line: 1) }
        #expect(try Self.words(of: #"trellis test my-rules --run "an IEP""#, line: 1) == ["trellis", "test", "my-rules", "--run", "an IEP"])
    }
}
