import Foundation
import Testing

/// When a file cannot be written, `trellis` says which file, what failed and why: never a bare
/// "NSCocoaErrorDomain error 512", and never the input's name for a temporary file's fault.
@Suite(.serialized)
struct FileErrorCLITests {
    let cli = CLITests()
    static let ndjson = CLITests.packageRoot.appending(path: "examples/students.ndjson").path
    static let header = CLITests.packageRoot.appending(path: "examples/class-header.json").path

    func run(_ arguments: [String], environment: [String: String] = [:], shell: String? = nil) throws -> CLITests.Run {
        try cli.trellis(arguments, environment: environment, shell: shell)
    }

    @Test func aFolderGivenAsTheOutputIsNamedAsAFolder() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for arguments in [
            ["evaluate", "-o", folder.path, CLITests.exampleClass],
            ["evaluate", "-o", folder.path, "--class", Self.header, Self.ndjson],
            ["import", "xapi", "-o", folder.path, ImportFixtures.xapi],
            ["generate", "--students", "2", "-o", folder.path],
        ] {
            let run = try run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("NSCocoaErrorDomain"), "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("cannot write \(folder.path): it is a folder"), "\(arguments): \(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [], "nothing left behind")
    }

    @Test func anOutputInAFolderThatDoesNotExistSaysSo() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appending(path: "no-such-folder").path
        let run = try run(["evaluate", "-o", missing + "/out.json", CLITests.exampleClass])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot write \(missing)/out.json: "), "\(run.stderr)")
        #expect(run.stderr.contains("the folder \(missing) does not exist") || run.stderr.contains("\(missing) (the output is written there first"), "\(run.stderr)")
        #expect(!run.stderr.contains("NSCocoaErrorDomain"), "\(run.stderr)")
    }

    @Test func aTemporaryFolderThatDoesNotExistIsBlamedNotTheInput() throws {
        let missing = "/nonexistent-trellis-tmp-\(UUID().uuidString)"
        let run = try run(["evaluate", "--format", "json", "--class", Self.header, Self.ndjson], environment: ["TMPDIR": missing])
        #expect(run.status == 2)
        #expect(!run.stderr.contains("cannot read"), "\(run.stderr)")
        #expect(
            run.stderr.contains("cannot keep the class's students for the class-level rules in a temporary file in \(missing) (TMPDIR): No such file or directory"),
            "\(run.stderr)")
    }

    @Test func aTemporaryFileThatCannotGrowIsBlamedNotTheInput() throws {
        // A file-size limit of 1 KB makes the temporary file's writes fail as a full disk would
        // (EFBIG instead of ENOSPC); the report goes to a pipe, which the limit does not touch.
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try run(
            ["evaluate", "--format", "json", "--class", Self.header, Self.ndjson], environment: ["TMPDIR": folder.path], shell: "trap '' XFSZ; ulimit -f 2")
        #expect(run.status == 2, "\(run.stderr)")
        #expect(!run.stderr.contains("cannot read"), "\(run.stderr)")
        #expect(run.stderr.contains("cannot keep the class's students for the class-level rules in a temporary file in \(folder.path) (TMPDIR): File too large"), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "no report from a run that failed")
    }
}
