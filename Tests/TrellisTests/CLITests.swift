import Foundation

#if canImport(Glibc)
// With ZIPFoundation in the build, `stat`'s fields resolve only with the modules that may own
// them imported by name (which one does changes from one build to the next).
import CoreFoundation
import Glibc
#endif
import Testing
import Trellis

/// `trellis evaluate` end to end: the built binary on the example class, in every format.
@Suite(.serialized)
struct CLITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let exampleClass = packageRoot.appending(path: "examples/class-3b.json").path

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `trellis` binary that `swift build` put beside this test bundle.
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "trellis")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return packageRoot.appending(path: ".build/debug/trellis")
    }

    /// Runs the binary with `environment` added to this process's; through `sh -c` when `shell`
    /// holds commands to run first (such as `ulimit`).
    func trellis(_ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment: [String: String] = [:], shell: String? = nil) throws -> Run {
        guard let shell else { return try run(Self.binary, arguments, stdin: stdin, in: directory, environment: environment) }
        return try run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", shell + "; exec \"$0\" \"$@\"", Self.binary.path] + arguments, stdin: stdin, in: directory,
            environment: environment)
    }

    /// Runs `executable` with `arguments`, `environment` added to this process's, to its end.
    func run(_ executable: URL, _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func recommendation(_ document: [String: Any], student: String, skill: String, kind: String) throws -> [String: Any] {
        let results = try #require(document["results"] as? [[String: Any]])
        let result = try #require(results.first { $0["student"] as? String == student })
        let recommendations = try #require(result["recommendations"] as? [[String: Any]])
        return try #require(recommendations.first { $0["skill"] as? String == skill && $0["kind"] as? String == kind })
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func jsonOutputFollowsTheContract() throws {
        let run = try trellis(["evaluate", "--format", "json", Self.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try json(run.stdout)
        #expect(document["trellis"] as? Int == 1)
        #expect(document["as_of"] as? String == "2026-11-20")
        #expect((document["errors"] as? [Any])?.isEmpty == true)
        let results = try #require(document["results"] as? [[String: Any]])
        #expect(results.map { $0["student"] as? String ?? "" } == (101...116).map { "s-\($0)" })
        let fade = try recommendation(document, student: "s-101", skill: "hand-washing", kind: "prompt")
        #expect(fade["action"] as? String == "fade")
        #expect(fade["from"] as? String == "gestural")
        #expect(fade["to"] as? String == "verbal")
        #expect(fade["rule"] as? String == "prompt-fading")
        #expect(fade["priority"] as? Int == 50)
        #expect(fade["reason"] as? String == "3 sessions in a row at gestural with at least 80% correct (90%, 90%, 100%)")
        let stepBack = try recommendation(document, student: "s-110", skill: "fractions", kind: "scaffold")
        #expect(stepBack["action"] as? String == "step_back")
        #expect(stepBack["to"] as? String == "collaborative")
        let menu = try recommendation(document, student: "s-101", skill: "fractions", kind: "choices")
        #expect(menu["action"] as? String == "offer")
        #expect((menu["options"] as? [[String: Any]])?.count == 2, "s-101 has an IEP: 2 options")
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["students"] as? Int == 16)
        #expect(summary["failed"] as? Int == 0)
        let total = results.reduce(0) { $0 + (($1["recommendations"] as? [Any])?.count ?? 0) }
        #expect(summary["recommendations"] as? Int == total)
    }

    @Test func ndjsonOutputIsOneResultPerLineInInputOrder() throws {
        let run = try trellis(["evaluate", "--format", "ndjson", Self.exampleClass])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        // One line per student, then the class-level rules' line.
        #expect(lines.count == 17)
        let students = try lines.dropLast().map { try json($0)["student"] as? String ?? "" }
        #expect(students == (101...116).map { "s-\($0)" })
        #expect(try json(try #require(lines.last))["class"] is [String: Any])
    }

    @Test func csvOutputIsOneRecommendationPerRow() throws {
        let run = try trellis(["evaluate", "--format", "csv", Self.exampleClass])
        #expect(run.status == 0)
        let rows = run.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first == "student,name,skill,kind,action,from,to,options,option_titles,rule,priority,reason")
        #expect(rows.contains("s-101,Maya R.,hand-washing,prompt,fade,gestural,verbal,,,prompt-fading,50,\"3 sessions in a row at gestural with at least 80% correct (90%, 90%, 100%)\""))
        let jsonRun = try trellis(["evaluate", "--format", "json", Self.exampleClass])
        let summary = try #require(try json(jsonRun.stdout)["summary"] as? [String: Any])
        let total = try #require(summary["recommendations"] as? Int) + (try #require(summary["class_recommendations"] as? Int))
        let notes = rows.filter { $0.split(separator: ",").count > 3 && $0.split(separator: ",")[3] == "note" }.count
        #expect(notes > 0, "notes are rows of kind note")
        #expect(rows.count - 1 - notes == total)
    }

    @Test func tableOutputIsReadable() throws {
        let run = try trellis(["evaluate", "--format", "table", Self.exampleClass])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ").map(String.init) == ["STUDENT", "/", "SKILL", "DECISION", "REASON"])
        let maya = try #require(lines.firstIndex(of: "Maya R. (s-101)"), "a student's block is headed by name and id")
        #expect(lines[maya + 1].hasPrefix("  hand-washing") && lines[maya + 1].contains("prompt fade"))
        #expect(lines[maya + 2].contains("gestural -> verbal"))
        #expect(run.stdout.contains("16 students"))
        #expect(!run.stdout.contains("Errors:"))
    }

    @Test func defaultFormatWhenNotATerminalIsJSON() throws {
        let run = try trellis(["evaluate", Self.exampleClass])
        #expect(run.status == 0)
        #expect(try json(run.stdout)["trellis"] as? Int == 1)
        #expect(run.stderr.contains("16 students"), "the summary line goes to standard error")
    }

    @Test func outputFileFormatFollowsItsExtension() throws {
        let folder = try temporaryFolder()
        let path = folder.appending(path: "out.csv").path
        let run = try trellis(["evaluate", "--output", path, Self.exampleClass])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("student,name,skill,kind"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.csv"], "no temporary file is left behind")
    }

    @Test func unusableInputLeavesAnEarlierOutputUntouched() throws {
        let folder = try temporaryFolder()
        let output = folder.appending(path: "out.json").path
        try "previous".write(toFile: output, atomically: true, encoding: .utf8)
        let broken = folder.appending(path: "broken.json").path
        try "{\n  \"students\": [\n    {\"id\": \"a\",\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let run = try trellis(["evaluate", "--output", output, broken])
        #expect(run.status == 2)
        #expect(run.stderr.contains("broken.json:4:1"), "\(run.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous")
    }

    @Test func standardInputAndNDJSONWithAClassHeaderGiveTheSameResults() throws {
        let reference = try trellis(["evaluate", "--format", "ndjson", Self.exampleClass])
        let ndjson = try Data(contentsOf: Self.packageRoot.appending(path: "examples/students.ndjson"))
        let header = Self.packageRoot.appending(path: "examples/class-header.json").path
        let run = try trellis(["evaluate", "--format", "ndjson", "--class", header, "-"], stdin: ndjson)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == reference.stdout)
    }

    @Test func aBadStudentLevelFieldSkipsTheStudentAndTheOthersAreEvaluated() throws {
        let folder = try temporaryFolder()
        let input = folder.appending(path: "class.json").path
        try """
            {"as_of": "2026-11-20", "students": [
              {"id": "ok", "skills": [{"id": "x", "prompt_level": "verbal"}]},
              {"id": "h-05", "flags": "iep", "skills": [{"id": "x"}]}
            ]}
            """.write(toFile: input, atomically: true, encoding: .utf8)
        let run = try trellis(["evaluate", "--format", "json", input])
        #expect(run.status == 1)
        #expect(run.stderr.contains("class.json:3:27: students[1] (h-05).flags: expected an array, got \"iep\""), "\(run.stderr)")
        let document = try json(run.stdout)
        #expect((document["results"] as? [[String: Any]])?.map { $0["student"] as? String } == ["ok"])
        let errors = try #require(document["errors"] as? [[String: Any]])
        #expect(errors.first?["student"] as? String == "h-05")
        #expect(errors.first?["path"] as? String == "students[1] (h-05).flags")
    }

    /// A bad session costs its skill only: the student is evaluated, that skill is not decided,
    /// and the run's status says something was left undecided.
    @Test func aBadSessionLeavesItsSkillUndecidedAndTheStudentEvaluated() throws {
        let folder = try temporaryFolder()
        let input = folder.appending(path: "class.json").path
        try """
            {"as_of": "2026-11-20", "students": [
              {"id": "ok", "skills": [{"id": "x", "prompt_level": "verbal"}]},
              {"id": "h-05", "skills": [{"id": "x", "sessions": [{"date": "2026-11-02", "trials": "ten"}]}]}
            ]}
            """.write(toFile: input, atomically: true, encoding: .utf8)
        let run = try trellis(["evaluate", "--format", "json", input])
        #expect(run.status == 1)
        #expect(run.stderr.contains("class.json:3:87: students[1] (h-05).skills[0].sessions[0].trials: x is not decided: expected a number, got \"ten\""), "\(run.stderr)")
        let document = try json(run.stdout)
        let results = try #require(document["results"] as? [[String: Any]])
        #expect(results.map { $0["student"] as? String } == ["ok", "h-05"])
        #expect((document["errors"] as? [[String: Any]])?.isEmpty == true)
        let errors = try #require(results[1]["errors"] as? [[String: Any]])
        #expect(errors.first?["kind"] as? String == "undecided_skill")
        #expect(errors.first?["skill"] as? String == "x")
        #expect(errors.first?["path"] as? String == "students[1] (h-05).skills[0].sessions[0].trials")
        #expect((results[1]["recommendations"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func aBrokenRulePackIsUnusable() throws {
        let folder = try temporaryFolder()
        try "return { id = 'x', evaluate = function( end }".write(to: folder.appending(path: "bad.lua"), atomically: true, encoding: .utf8)
        let run = try trellis(["evaluate", "--rules", folder.path, Self.exampleClass])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(folder.path)/bad.lua:1:"), "\(run.stderr)")
    }

    @Test func aParameterOverrideChangesTheDecision() throws {
        let run = try trellis(["evaluate", "--format", "json", "--param", "prompt-fading.fade_percent=95", Self.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        let hold = try recommendation(try json(run.stdout), student: "s-101", skill: "hand-washing", kind: "prompt")
        #expect(hold["action"] as? String == "hold")
        let bad = try trellis(["evaluate", "--param", "prompt-fading.fade_percent=150", Self.exampleClass])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("above the maximum 100"), "\(bad.stderr)")
    }

    @Test func theBundledRulesWorkFromAnyFolder() throws {
        let run = try trellis(["evaluate", "--format", "json", Self.exampleClass], in: try temporaryFolder())
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try recommendation(try json(run.stdout), student: "s-104", skill: "packing-backpack", kind: "prompt")["action"] as? String == "mastered")
    }

    @Test func aSchoolsOwnLadderIsUsed() throws {
        let input = Self.packageRoot.appending(path: "examples/school-ladder.json").path
        let run = try trellis(["evaluate", "--format", "json", input])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try json(run.stdout)
        let fade = try recommendation(document, student: "k-01", skill: "snack-prep", kind: "prompt")
        #expect(fade["action"] as? String == "fade")
        #expect(fade["from"] as? String == "model")
        #expect(fade["to"] as? String == "verbal")
        #expect(try recommendation(document, student: "k-02", skill: "snack-prep", kind: "prompt")["action"] as? String == "mastered")
        #expect(try recommendation(document, student: "k-02", skill: "counting-coins", kind: "scaffold")["action"] as? String == "mastered")
    }

    @Test func usageErrorsExitWith64() throws {
        let run = try trellis(["evaluate", "--format", "yaml", Self.exampleClass])
        #expect(run.status == 64)
    }
}

/// The README's examples work as written.
@Suite(.serialized)
struct ReadmeTests {
    @Test func theSixtySecondRuleRunsBesideTheBundledRules() throws {
        let readme = try String(contentsOf: CLITests.packageRoot.appending(path: "README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```lua\n"))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let rule = String(readme[start.upperBound..<end.lowerBound])
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-readme-\(UUID().uuidString)/my-rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try rule.write(to: folder.appending(path: "needs-data.lua"), atomically: true, encoding: .utf8)
        let cli = CLITests()
        let run = try cli.trellis(["evaluate", "--format", "json", "--rules", folder.path, CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try cli.json(run.stdout)
        let collect = try cli.recommendation(document, student: "s-103", skill: "asking-for-help", kind: "data")
        #expect(collect["action"] as? String == "collect")
        #expect(collect["reason"] as? String == "only 2 of 3 sessions recorded for asking-for-help")
        #expect(collect["rule"] as? String == "needs-data")
        let stricter = try cli.trellis(["evaluate", "--format", "json", "--rules", folder.path, "--param", "needs-data.min_sessions=5", CLITests.exampleClass])
        #expect(stricter.status == 0, "\(stricter.stderr)")
        let results = try #require(try cli.json(stricter.stdout)["results"] as? [[String: Any]])
        let collects = results.flatMap { ($0["recommendations"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "data" } }
        let before = (document["results"] as? [[String: Any]] ?? []).flatMap { ($0["recommendations"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "data" } }
        #expect(collects.count > before.count)
    }
}

/// Writing outputs whole or not at all, without harming what is not a regular file.
struct AtomicFileTests {
    @Test func aDeviceIsWrittenToNotReplaced() throws {
        try AtomicFile.write("ignored\n", to: "/dev/null")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFCHR, "/dev/null is still a character device")
    }

    @Test func aSymbolicLinkIsFollowed() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let real = folder.appending(path: "real.json")
        let link = folder.appending(path: "link.json")
        try "old".write(to: real, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        try AtomicFile.write("new", to: link.path)
        #expect(try String(contentsOf: real, encoding: .utf8) == "new")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
    }
}

/// `trellis generate`: reproducible synthetic rosters that evaluate cleanly.
@Suite(.serialized)
struct GenerateTests {
    let cli = CLITests()

    @Test func theSameSeedGivesTheSameRosterAndItEvaluates() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-generate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let header = folder.appending(path: "header.json").path
        let first = try cli.trellis(["generate", "--students", "5", "--seed", "9", "--class", header])
        let second = try cli.trellis(["generate", "--students", "5", "--seed", "9"])
        let other = try cli.trellis(["generate", "--students", "5", "--seed", "10"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout != other.stdout)
        #expect(first.stdout.split(separator: "\n").count == 5)
        let roster = folder.appending(path: "roster.ndjson")
        try first.stdout.write(to: roster, atomically: true, encoding: .utf8)
        let run = try cli.trellis(["evaluate", "--format", "json", "--class", header, roster.path])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try #require(try cli.json(run.stdout)["results"] as? [[String: Any]])
        #expect(results.map { $0["student"] as? String } == (1...5).map { "st-\($0)" })
        let document = try cli.trellis(["generate", "--students", "3", "--format", "document"])
        let input = folder.appending(path: "class.json")
        try document.stdout.write(to: input, atomically: true, encoding: .utf8)
        #expect(try cli.trellis(["evaluate", "--format", "json", input.path]).status == 0)
    }
}
