import ArgumentParser
import Foundation
import Trellis

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the rule tests kept beside the rules (DIR/tests/*.yaml, *.yml or *.json).",
        discussion: "Exit codes: 0 every test passed; 1 a test failed or no test ran; 2 the rules or a test file cannot be used."
    )

    @Argument(help: ArgumentHelp("Rule folders, run beside the bundled rules; their tests are in DIR/tests.", valueName: "dir"), completion: .directory)
    var directories: [String] = ["rules"]

    @Flag(name: .customLong("no-bundled"), help: "Run the tests with the folders' rules alone, without the bundled pack.")
    var noBundled = false

    @Option(name: .customLong("run"), help: ArgumentHelp("Only the cases whose 'file: name' contains this text.", valueName: "pattern"))
    var pattern: String?

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format: OutputStyle = .text

    @Flag(help: "Report, per rule file, the lines the tests ran and list those they never ran.")
    var coverage = false

    @Flag(name: .shortAndLong, help: "List passing cases too.")
    var verbose = false

    @Option(name: .customLong("junit"), help: ArgumentHelp("Also write the results as JUnit XML, for CI systems.", valueName: "file"), completion: .file())
    var junitPath: String?

    @Option(name: .customLong("coverage-lcov"), help: ArgumentHelp("Also write the coverage as an LCOV tracefile (implies --coverage's recording).", valueName: "file"), completion: .file())
    var lcovPath: String?

    func run() throws {
        let pack: RulePack
        var cases: [RuleTestCase] = []
        do {
            pack = try RuleFolders.pack(directories, noBundled: noBundled)
            for file in RuleTests.files(in: directories) { cases += try RuleTests.load(file: file) }
        } catch let error as TrellisError {
            Terminal.printUnusable(error)
            throw Exit.unusableInput
        } catch let error as RuleTestError {
            Terminal.printError(error.description)
            throw Exit.unusableInput
        }
        if let pattern { cases = cases.filter { $0.fullName.contains(pattern) } }
        let recorder = coverage || lcovPath != nil ? CoverageRecorder() : nil
        let results = RuleTests.run(cases, pack: pack, coverage: recorder)
        var files: [FileCoverage] = []
        if let recorder {
            do {
                // The folders' files: the bundled ones beside them are not what is being tested.
                files = try recorder.report(for: RulePack(sources: pack.sources.filter { !$0.isBundled }))
            } catch {
                Terminal.printError("\(error)")
                throw Exit.unusableInput
            }
        }
        let passed = results.filter(\.passed).count
        let failed = results.count - passed
        // The files first: a CI system reads them even when a case failed.
        if let junitPath { try writeFile(TestReportFiles.junit(results), to: junitPath) }
        if let lcovPath { try writeFile(TestReportFiles.lcov(files), to: lcovPath) }
        // The coverage table only when asked for: --coverage-lcov alone writes just the file.
        let shownCoverage = coverage ? files : []
        switch format {
        case .json: print(json(results, coverage: shownCoverage, passed: passed, failed: failed))
        case .text: printText(results, coverage: shownCoverage, passed: passed, failed: failed)
        }
        if results.isEmpty {
            Terminal.printError("no test ran" + (pattern.map { " (none matches \"\($0)\")" } ?? ": add test files under \(directories.map { $0 + "/tests" }.joined(separator: ", "))"))
            throw Exit.evaluatedWithErrors
        }
        if failed > 0 { throw Exit.evaluatedWithErrors }
    }

    private func printText(_ results: [RuleTestResult], coverage: [FileCoverage], passed: Int, failed: Int) {
        // Names come from test files; failures quote rules' output (as JSON or escaped issues) on
        // lines of their own.
        let e = { (text: String) in TerminalText.escaped(text) }
        for result in results {
            if result.passed {
                if verbose {
                    Terminal.printOut("PASS \(e(result.testCase.location)): \(e(result.testCase.name))")
                    printLogs(of: result)
                }
                continue
            }
            Terminal.printOut("FAIL \(e(result.testCase.location)): \(e(result.testCase.name))")
            for failure in result.failures { Terminal.printOut("  " + failure.replacingOccurrences(of: "\n", with: "\n  ")) }
            printLogs(of: result)
        }
        if !coverage.isEmpty {
            Terminal.printOut("\nCoverage:")
            for file in coverage {
                let line = String(format: "  %@  %.1f%% (%d of %d lines)", file.path, file.percent, file.linesRun.count, file.executableLines.count)
                Terminal.printOut(line + (file.linesNeverRun.isEmpty ? "" : "\n    never run: \(file.neverRunDescription)"))
            }
        }
        Terminal.printOut("\(passed) passed, \(failed) failed")
    }

    /// Writes a report file whole or not at all; a file that cannot be written stops the run.
    private func writeFile(_ text: String, to path: String) throws {
        do {
            let sink = try AtomicFileSink(path: path)
            do {
                try sink.write(text)
                try sink.commit()
            } catch {
                sink.abort()
                throw error
            }
        } catch {
            Terminal.printError("cannot write \(path): \(error)")
            throw Exit.unusableInput
        }
    }

    /// What the rules passed to `ctx.log` during a case: shown with failures, and with --verbose.
    private func printLogs(of result: RuleTestResult) {
        for message in result.logs {
            let who = TerminalText.escaped(message.rule) + (message.student.map { ", " + TerminalText.escaped($0) } ?? "")
            Terminal.printOut("  log (\(who)): \(TerminalText.escaped(message.text))")
        }
    }

    private func json(_ results: [RuleTestResult], coverage: [FileCoverage], passed: Int, failed: Int) -> String {
        var cases: [JSONValue] = []
        for result in results {
            cases.append(.object([
                "file": .string(result.testCase.file), "location": .string(result.testCase.location), "name": .string(result.testCase.name),
                "passed": .bool(result.passed), "failures": .array(result.failures.map(JSONValue.string)),
                "logs": .array(result.logs.map { .object(["rule": .string($0.rule), "student": $0.student.map(JSONValue.string) ?? .null, "message": .string($0.text)]) }),
            ]))
        }
        var root: [String: JSONValue] = ["cases": .array(cases), "passed": .integer(Int64(passed)), "failed": .integer(Int64(failed))]
        if !coverage.isEmpty {
            root["coverage"] = .array(coverage.map { file in
                .object([
                    "path": .string(file.path), "percent": .number(file.percent),
                    "lines": .integer(Int64(file.executableLines.count)),
                    "never_run": .array(file.linesNeverRun.map { .integer(Int64($0)) }),
                ])
            })
        }
        return JSONValue.object(root).jsonText
    }
}

/// Text for people or JSON for tools.
enum OutputStyle: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
