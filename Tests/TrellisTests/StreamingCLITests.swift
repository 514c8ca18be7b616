import Foundation
import Testing

/// `trellis evaluate` on NDJSON streams to its output, which still appears whole or not at all.
@Suite(.serialized)
struct StreamingCLITests {
    let cli = CLITests()

    @Test func aRunKilledMidwayLeavesTheEarlierOutputIntact() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let roster = folder.appending(path: "roster.ndjson").path
        let header = folder.appending(path: "header.json").path
        let output = folder.appending(path: "out.ndjson")
        #expect(try cli.trellis(["generate", "--students", "3000", "--seed", "5", "--class", header, "-o", roster]).status == 0)
        try Data("previous run\n".utf8).write(to: output)

        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["evaluate", "--quiet", "--jobs", "1", "--class", header, "-o", output.path, roster]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once it has written part of its output to the temporary file beside the target.
        var partial = 0
        let deadline = Date().addingTimeInterval(60)
        while partial == 0, process.isRunning, Date() < deadline {
            let temporary = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".out.ndjson.") }
            partial = try temporary.map { try FileManager.default.attributesOfItem(atPath: folder.appending(path: $0).path)[.size] as? Int ?? 0 }.max() ?? 0
            if partial == 0 { usleep(2_000) }
        }
        #expect(process.isRunning, "the run ended before it could be killed; use a larger roster")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(partial > 0)
        #expect(try String(contentsOf: output, encoding: .utf8) == "previous run\n")

        // A whole run replaces it (a small roster, to keep the test short).
        let examples = CLITests.packageRoot.appending(path: "examples")
        let run = try cli.trellis([
            "evaluate", "--quiet", "--class", examples.appending(path: "class-header.json").path, "-o", output.path,
            examples.appending(path: "students.ndjson").path,
        ])
        #expect(run.status == 0)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 17)  // a line a student, and the class line
    }

    @Test func damagedLinesGoToStandardErrorWithTheirLineAndTheRestIsEvaluated() throws {
        let input = """
            {"id": "s-1", "skills": []}
            {"id": "s-2", "skills": "none"}
            \u{1}garbage
            {"id": "s-3", "skills": []}
            """
        let run = try cli.trellis(["evaluate", "--format", "ndjson", "--input-format", "ndjson", "-"], stdin: Data(input.utf8))
        #expect(run.status == 1)
        #expect(run.stderr.contains("<stdin>:2:"))
        #expect(run.stderr.contains("skills"))
        #expect(run.stderr.contains("<stdin>:3:1"))
        #expect(run.stderr.contains("3 students") || run.stderr.contains("4 students"))
        let students = run.stdout.split(separator: "\n").filter { $0.contains("\"student\":\"s-") && !$0.contains("skipped") }
        #expect(students.count == 2)
    }
}

/// A roster saved as UTF-16 (as spreadsheet programs may) is refused as a whole, with what to do,
/// instead of every line being reported as not JSON.
@Suite(.serialized)
struct EncodingTests {
    let cli = CLITests()

    @Test(arguments: ["ndjson", "json"])
    func utf16InputIsRefusedWithAdvice(ext: String) throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = ext == "ndjson" ? "examples/students.ndjson" : "examples/class-3b.json"
        let text = try String(contentsOf: CLITests.packageRoot.appending(path: source), encoding: .utf8)
        let path = folder.appending(path: "roster.\(ext)")
        try #require(text.data(using: .utf16)).write(to: path)
        let run = try cli.trellis(["evaluate", "--format", "ndjson", path.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("UTF-16"))
        #expect(run.stderr.contains("iconv"))
        #expect(run.stdout.isEmpty)
    }

    @Test func anInvalidUTF8LineIsNamedAndTheOthersAreEvaluated() throws {
        var bytes = Array("{\"id\":\"a\",\"skills\":[]}\n{\"id\":\"b".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\",\"skills\":[]}\n{\"id\":\"c\",\"skills\":[]}\n".utf8)
        let run = try cli.trellis(["evaluate", "--format", "ndjson", "--input-format", "ndjson", "-"], stdin: Data(bytes))
        #expect(run.status == 1)
        #expect(run.stderr.contains("<stdin>:2:8: line 2: invalid JSON: invalid UTF-8 in a string"))
        #expect(run.stdout.contains("\"student\":\"a\""))
        #expect(run.stdout.contains("\"student\":\"c\""))
    }
}
