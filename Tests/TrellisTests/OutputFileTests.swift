import Foundation
import Testing
import Trellis

#if canImport(Glibc)
import Glibc
#endif

/// Files that `trellis evaluate --output` writes hold student records: never more open than the
/// umask or the file they replace allow, private while written, and every failure says what
/// failed and where.
@Suite(.serialized)
struct OutputFileTests {
    let cli = CLITests()

    /// `trellis ARGUMENTS` under `umask` and, if given, `prlimit` options, with `environment` added.
    func trellis(_ arguments: [String], umask: String = "022", limits: [String] = [], environment: [String: String] = [:]) throws -> CLITests.Run {
        let launcher = limits.isEmpty ? [] : ["/usr/bin/prlimit"] + limits
        return try cli.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "umask \(umask) && exec \"$@\"", "sh"] + launcher + [CLITests.binary.path] + arguments,
            environment: environment)
    }

    func mode(_ path: String) -> mode_t {
        var status = stat()
        guard stat(path, &status) == 0 else { return 0o7777 }
        return status.st_mode & 0o7777
    }

    @Test(arguments: [("077", 0o600), ("027", 0o640), ("022", 0o644)] as [(String, mode_t)])
    func aNewOutputFileGetsWhatTheUmaskAllows(umask: String, expected: mode_t) throws {
        let folder = try cli.temporaryFolder()
        let output = folder.appending(path: "report.json").path
        let run = try trellis(["evaluate", "--quiet", "-o", output, CLITests.exampleClass], umask: umask)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(mode(output) == expected, "umask \(umask): mode \(String(mode(output), radix: 8))")
    }

    @Test(arguments: [0o600, 0o640, 0o604] as [mode_t])
    func aReplacedFileKeepsItsMode(existing: mode_t) throws {
        let folder = try cli.temporaryFolder()
        let output = folder.appending(path: "report.json").path
        try "old".write(toFile: output, atomically: false, encoding: .utf8)
        chmod(output, existing)
        let run = try trellis(["evaluate", "--quiet", "-o", output, CLITests.exampleClass], umask: "022")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(mode(output) == existing, "mode \(String(mode(output), radix: 8)), was \(String(existing, radix: 8))")
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("{"))
    }

    @Test func theTemporaryFileIsPrivateWhileItIsWritten() throws {
        let folder = try cli.temporaryFolder()
        let output = folder.appending(path: "report.json").path
        let sink = try AtomicFileSink(path: output)
        try sink.write("{\"student\": \"s-101\"")
        let pending = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".report.json.") }
        #expect(pending.count == 1)
        for name in pending { #expect(mode(folder.appending(path: name).path) == 0o600) }
        sink.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func aReplacedFileKeepsItsGroupWhereTheWriterMayGiveIt() throws {
        // Root may give any group; another user, one of its own supplementary groups.
        var groups = [gid_t](repeating: 0, count: 64)
        let count = Int(getgroups(Int32(groups.count), &groups))
        let own = getegid()
        let other: gid_t? = geteuid() == 0 ? 4_321 : groups.prefix(max(0, count)).first { $0 != own }
        let folder = try cli.temporaryFolder()
        let output = folder.appending(path: "report.json").path
        try "old".write(toFile: output, atomically: false, encoding: .utf8)
        chmod(output, 0o640)
        var status = stat()
        if let other {
            #expect(chown(output, uid_t.max, other) == 0)
        }
        _ = stat(output, &status)
        let group = status.st_gid
        let run = try trellis(["evaluate", "--quiet", "-o", output, CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        _ = stat(output, &status)
        #expect(status.st_gid == group)
        #expect(status.st_mode & 0o777 == 0o640)
    }

    @Test func aFolderGivenAsOutputIsNamedAsSuch() throws {
        let folder = try cli.temporaryFolder()
        let run = try trellis(["evaluate", "--quiet", "-o", folder.path, CLITests.exampleClass])
        #expect(run.status == 2)
        #expect(run.stderr.contains(folder.path) && run.stderr.contains("is a folder"), "\(run.stderr)")
        #expect(!run.stderr.contains("NSCocoaErrorDomain"), "\(run.stderr)")
    }

    @Test func aFullDiskUnderTheOutputNamesTheOutputAndKeepsTheOldFile() throws {
        let folder = try cli.temporaryFolder()
        let output = folder.appending(path: "report.json").path
        try "previous report".write(toFile: output, atomically: false, encoding: .utf8)
        // A file-size limit stands for a full disk: writes past 2,048 bytes fail (EFBIG).
        let run = try trellis(["evaluate", "--quiet", "-o", output, CLITests.exampleClass], limits: ["--fsize=2048:unlimited"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("cannot write \(output)") && run.stderr.contains("File too large"), "\(run.stderr)")
        #expect(run.stderr.contains("temporary file"), "\(run.stderr)")
        #expect(!run.stderr.contains("cannot read"), "\(run.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous report")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.json"])
    }

    /// A streamed class with class-level rules keeps its students in a temporary file in TMPDIR.
    func streamedClass(students: Int) throws -> (roster: String, header: String) {
        let folder = try cli.temporaryFolder()
        let header = folder.appending(path: "header.json").path
        let generated = try cli.trellis(["generate", "--students", String(students), "--seed", "3", "--class", header])
        #expect(generated.status == 0)
        let roster = folder.appending(path: "roster.ndjson").path
        try generated.stdout.write(toFile: roster, atomically: false, encoding: .utf8)
        return (roster, header)
    }

    @Test func aFullTemporaryFolderIsNamedAndTheInputIsNotBlamed() throws {
        let (roster, header) = try streamedClass(students: 300)
        let temporary = try cli.temporaryFolder()
        let run = try trellis(
            ["evaluate", "--quiet", "--format", "ndjson", "--class", header, roster], limits: ["--fsize=8192:unlimited"],
            environment: ["TMPDIR": temporary.path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains(temporary.path) && run.stderr.contains("TMPDIR"), "\(run.stderr)")
        #expect(run.stderr.contains("File too large"), "\(run.stderr)")
        #expect(!run.stderr.contains("cannot read"), "\(run.stderr)")
    }

    @Test func aMissingTemporaryFolderIsNamed() throws {
        let (roster, header) = try streamedClass(students: 5)
        let missing = "/nonexistent-\(UUID().uuidString)"
        let run = try trellis(["evaluate", "--quiet", "--format", "ndjson", "--class", header, roster], environment: ["TMPDIR": missing])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains(missing) && run.stderr.contains("TMPDIR"), "\(run.stderr)")
        #expect(!run.stderr.contains("cannot read"), "\(run.stderr)")
    }
}
