import Foundation
import Testing

/// A streamed roster runs in memory that does not grow with it: not with skipped students (whose
/// errors a JSON document lists at its end), and not with many small students when class-level
/// rules read them all. Measured as the peak resident memory of the `trellis` process.
@Suite(.serialized)
struct StreamMemoryCLITests {
    let cli = CLITests()

    /// Runs `trellis` with standard output to /dev/null; its exit status and peak resident memory
    /// in MB: the largest VmHWM of /proc/PID/status seen while it runs (a high-water mark, read
    /// every 5 ms). Not wait4's ru_maxrss: a child counts the memory of the process that spawned
    /// it, before its exec, in that figure, and this test process holds hundreds of megabytes.
    func peakMegabytes(_ arguments: [String]) throws -> (status: Int32, megabytes: Double, stderr: String) {
        let errorPath = FileManager.default.temporaryDirectory.appending(path: "trellis-stderr-\(UUID().uuidString)").path
        defer { unlink(errorPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([CLITests.binary.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, CLITests.binary.path, &actions, nil, argv, environ)
        try #require(spawned == 0, "posix_spawn: \(spawned)")
        var status: Int32 = 0
        var peakKilobytes = 0
        while true {
            if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            {
                peakKilobytes = max(peakKilobytes, kilobytes)
            }
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            try #require(waited == 0 || errno == EINTR, "waitpid: errno \(errno)")
            usleep(5000)
        }
        try #require(peakKilobytes > 0, "no VmHWM was read for \(pid)")
        let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return ((status >> 8) & 0xFF, Double(peakKilobytes) / 1024, stderr)
    }

    func write(_ lines: Int, to path: String, _ line: (Int) -> String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = ""
        for index in 0..<lines {
            buffer += line(index)
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
    }

    @Test(.timeLimit(.minutes(5)))
    func skippedStudentsAreNotHeldForTheJSONDocument() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = CLITests.packageRoot.appending(path: "examples/class-header.json").path
        // Every line repeats the first one's id: each is a skipped student with one error.
        let small = folder.appending(path: "small.ndjson").path
        let large = folder.appending(path: "large.ndjson").path
        try write(20_000, to: small) { _ in "{\"id\": \"s-1\"}\n" }
        try write(300_000, to: large) { _ in "{\"id\": \"s-1\"}\n" }
        let few = try peakMegabytes(["evaluate", "--format", "json", "-q", "--class", header, "-o", folder.appending(path: "a.json").path, small])
        let many = try peakMegabytes(["evaluate", "--format", "json", "-q", "--class", header, "-o", folder.appending(path: "b.json").path, large])
        #expect(few.status == 1 && many.status == 1, "\(few.stderr.suffix(300)) \(many.stderr.suffix(300))")
        // Fifteen times the skipped students: the same memory, within 40 MB (840 bytes each, as
        // before, would be 235 MB more).
        #expect(many.megabytes - few.megabytes < 40, "\(few.megabytes) MB for 20,000 skipped students, \(many.megabytes) MB for 300,000")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appending(path: "b.json"))) as? [String: Any])
        let errors = try #require(document["errors"] as? [[String: Any]])
        #expect(errors.count == 299_999)
        #expect(errors.last?["location"] as? String == "\(large):300000:1")
    }

    @Test(.timeLimit(.minutes(5)))
    func manyTinyStudentsDoNotKeepTheirTablesForClassLevelRules() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A class-level rule that reads every student, twice: the shape that keeps tables.
        let rules = folder.appending(path: "rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data(
            """
            return { id = "census", api = 1, evaluate = function() return nil end,
              evaluate_class = function(class, ctx)
                local n = 0
                for pass = 1, 2 do for _, s in ipairs(class.students) do n = n + #s.id end end
                return { { kind = "census", action = "count", reason = "ids: " .. n } }
              end }
            """.utf8
        ).write(to: rules.appending(path: "census.lua"))
        let header = CLITests.packageRoot.appending(path: "examples/class-header.json").path
        let small = folder.appending(path: "small.ndjson").path
        let large = folder.appending(path: "large.ndjson").path
        try write(20_000, to: small) { "{\"id\": \"s-\($0)\"}\n" }
        try write(250_000, to: large) { "{\"id\": \"s-\($0)\"}\n" }
        let arguments = ["evaluate", "--format", "json", "-q", "-j", "1", "--no-bundled", "--rules", rules.path, "--class", header]
        let few = try peakMegabytes(arguments + ["-o", folder.appending(path: "a.json").path, small])
        let many = try peakMegabytes(arguments + ["-o", folder.appending(path: "b.json").path, large])
        #expect(few.status == 0 && many.status == 0, "\(few.stderr.suffix(300)) \(many.stderr.suffix(300))")
        // A tiny student's tables are about a kilobyte: kept, 230,000 more would be 230 MB more.
        // What may grow is the index of ids (a few dozen bytes a student).
        #expect(many.megabytes - few.megabytes < 60, "\(few.megabytes) MB for 20,000 tiny students, \(many.megabytes) MB for 250,000")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appending(path: "b.json"))) as? [String: Any])
        let census = ((document["class"] as? [String: Any])?["recommendations"] as? [[String: Any]])?.first
        let idBytes = 2 * (0..<250_000).reduce(0) { $0 + "s-\($1)".utf8.count }
        #expect(census?["reason"] as? String == "ids: \(idBytes)")
    }

    @Test(.timeLimit(.minutes(8)))
    func aSheetsRowsWaitOnDiskNotInMemory() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 300 students, 3 skills, a session a row: the rows of a student are far apart in the
        // sheet (sorted by date), so each must wait until every row is read.
        func sheet(_ rows: Int) -> (Int) -> String {
            { index in
                index == 0
                    ? "Date,Student ID,Student Name,Skill,Prompt Level,Trials,Correct,Notes\n"
                    : "2026-\(String(format: "%02d", 1 + index * 12 / rows))-\(String(format: "%02d", 1 + index % 28)),s-\(index % 300),Student \(index % 300),skill-\(index / 300 % 3),Gestural,10,\(index % 11),row \(index) of the sheet\n"
            }
        }
        let small = folder.appending(path: "small.csv").path
        let large = folder.appending(path: "large.csv").path
        try write(10_001, to: small, sheet(10_001))
        try write(80_001, to: large, sheet(80_001))
        let few = try peakMegabytes(["import", "sheet", "--as-of", "2026-12-31", "-q", "-o", folder.appending(path: "a.ndjson").path, small])
        let many = try peakMegabytes(["import", "sheet", "--as-of", "2026-12-31", "-q", "-o", folder.appending(path: "b.ndjson").path, large])
        #expect(few.status == 0 && many.status == 0, "\(few.stderr.suffix(300)) \(many.stderr.suffix(300))")
        // Held in memory, 70,000 more rows were about 42 MB more (0.6 kB a row); on disk, what
        // stays is an offset a row.
        #expect(many.megabytes - few.megabytes < 20, "\(few.megabytes) MB for 10,000 rows, \(many.megabytes) MB for 80,000")
        let lines = try String(contentsOf: folder.appending(path: "b.ndjson"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 300)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let skills = try #require(first["skills"] as? [[String: Any]])
        let sessions = skills.reduce(0) { $0 + (($1["sessions"] as? [Any])?.count ?? 0) }
        // The first student named is s-1, on rows 1, 301, ..., 79801.
        #expect(first["id"] as? String == "s-1")
        #expect(sessions == 267)
        let dates = try #require((skills.first?["sessions"] as? [[String: Any]])?.compactMap { $0["date"] as? String })
        #expect(dates == dates.sorted())
    }
}
