import ArgumentParser
import Foundation
import Logging
import Trellis

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a class document or an NDJSON roster with a rule pack.",
        discussion: """
            INPUT is a class document (JSON) or one student per line (NDJSON; the class-level fields come from \
            --class). Use - for standard input.

            Exit codes: 0 every student evaluated; 1 evaluated, with errors for some students or rules; \
            2 the input or the rules cannot be used.
            """
    )

    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule folder to use instead of the bundled rules (repeatable).", valueName: "dir"))
    var ruleDirectories: [String] = []

    @Option(help: ArgumentHelp("json, ndjson, csv or table (default: table on a terminal, else from --output's extension, else json).", valueName: "format"))
    var format: ReportFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here, whole or not at all, instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("input-format"), help: ArgumentHelp("auto, document or ndjson.", valueName: "format"))
    var inputFormat: InputFormat = .auto

    @Option(name: .customLong("class"), help: ArgumentHelp("Class-level fields (as_of, ladders, catalog) for NDJSON input.", valueName: "file"))
    var classHeader: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("A school's configuration (YAML): rules on or off, parameters, ladders, limits.", valueName: "file"))
    var configuration: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("Override a rule parameter: rule.name=value (repeatable).", valueName: "rule.name=value"))
    var parameters: [String] = []

    @Option(name: .shortAndLong, help: "Workers, each with its own Lua state (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("max-instructions"), help: "Lua instructions one rule may run for one student (0: no limit; default 10000000).")
    var maxInstructions: Int64?

    @Option(name: .customLong("max-memory"), help: "Megabytes of Lua memory a rule may use (0: no limit; default 64).")
    var maxMemoryMegabytes: Int?

    @Option(name: .customLong("max-time"), help: "Milliseconds one rule may run for one student (0: no limit; default 1000).")
    var maxMilliseconds: Int?

    @Flag(name: .customLong("unsafe-no-sandbox"), help: .hidden)
    var unsandboxed = false

    @Flag(name: .shortAndLong, help: "No summary on standard error.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log what the engine does to standard error.")
    var verbose = false

    @Argument(help: ArgumentHelp("The class document or NDJSON roster, or - for standard input.", valueName: "input"))
    var input: String

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard (maxInstructions ?? 0) >= 0, (maxMemoryMegabytes ?? 0) >= 0, (maxMilliseconds ?? 0) >= 0 else { throw ValidationError("limits must not be negative") }
        _ = try parsedParameters()
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .warning
            return handler
        }
        let logger = Logger(label: "trellis")
        let started = Date()

        let engine: Engine
        var settings: Configuration?
        do {
            var pack = ruleDirectories.isEmpty ? RulePack.bundled : try RulePack(directories: ruleDirectories)
            var parameters: [String: [String: JSONValue]] = [:]
            settings = try configuration.map { try Configuration(contentsOf: $0) }
            if let settings {
                (pack, parameters) = try settings.resolve(against: try Engine(rulePack: pack).rules, pack: pack)
            }
            // --param wins over the configuration file.
            for (rule, values) in try parsedParameters() { parameters[rule, default: [:]].merge(values) { $1 } }
            let limits = limitsGiven(over: settings?.limits ?? RuleLimits())
            // --unsafe-no-sandbox exists to measure what the sandbox costs; it is not in the help.
            engine = try Engine(rulePack: pack, parameters: parameters, limits: limits, isolation: unsandboxed ? .unsandboxed : .sandboxed)
        } catch let error as RulePackError {
            Terminal.printError("the rules cannot be used:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
            throw Exit.unusableInput
        } catch let error as ConfigurationError {
            Terminal.printError("the configuration cannot be used:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
            throw Exit.unusableInput
        }
        logger.debug("loaded \(engine.rules.count) rules: \(engine.rules.map(\.id).joined(separator: ", "))")

        let roster: Roster
        do {
            roster = try readRoster(ladders: settings?.ladders ?? Ladders())
        } catch let error as InputError {
            Terminal.printError("the input cannot be used:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
            throw Exit.unusableInput
        }
        logger.debug("read \(roster.entries.count) student records in \(Self.seconds(since: started))")
        let evaluationStarted = Date()

        let progress = Terminal.isTerminal(STDERR_FILENO) && !quiet ? ProgressLine(total: roster.entries.count) : nil
        var onProgress: (@Sendable (Int) -> Void)?
        if let progress { onProgress = { progress.update($0) } }
        let report = engine.evaluate(roster, jobs: jobs, progress: onProgress)
        progress?.finish()
        logger.debug("evaluated in \(Self.seconds(since: evaluationStarted))")
        let renderingStarted = Date()
        let chosenFormat = resolvedFormat()
        let text = chosenFormat.render(report)
        if let output {
            do {
                try AtomicFile.write(text, to: output)
            } catch {
                Terminal.printError("cannot write \(output): \(error.localizedDescription)")
                throw Exit.unusableInput
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }

        logger.debug("rendered and wrote \(chosenFormat.rawValue) in \(Self.seconds(since: renderingStarted))")

        let tableOnScreen = chosenFormat == .table && output == nil
        if !tableOnScreen {
            for issue in report.issues { Terminal.printError(issue.description) }
        }
        if !quiet {
            Terminal.printLine(Summary.line(report.summary, seconds: Date().timeIntervalSince(started)))
        }
        if !report.isClean { throw Exit.evaluatedWithErrors }
    }

    /// The limits: the command line's where given, else the configuration's, else the defaults.
    private func limitsGiven(over base: RuleLimits) -> RuleLimits {
        var limits = base
        if let maxInstructions { limits.instructions = maxInstructions }
        if let maxMemoryMegabytes { limits.memoryBytes = maxMemoryMegabytes << 20 }
        if let maxMilliseconds { limits.milliseconds = maxMilliseconds }
        return limits
    }

    private static func seconds(since start: Date) -> String {
        String(format: "%.3f s", Date().timeIntervalSince(start))
    }

    private func resolvedFormat() -> ReportFormat {
        if let format { return format }
        if let output { return ReportFormat(fileExtension: URL(fileURLWithPath: output).pathExtension) ?? .json }
        return Terminal.isTerminal(STDOUT_FILENO) ? .table : .json
    }

    private func readRoster(ladders: Ladders) throws -> Roster {
        let bytes: [UInt8]
        let name: String
        if input == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            name = "<stdin>"
        } else {
            guard let data = FileManager.default.contents(atPath: input) else {
                throw InputError(issues: [TrellisIssue(kind: .invalidInput, message: "cannot read the file", location: input)])
            }
            bytes = Array(data)
            name = input
        }
        var format = inputFormat
        if format == .auto, ["ndjson", "jsonl"].contains(URL(fileURLWithPath: input).pathExtension.lowercased()) { format = .ndjson }
        var header: ClassContext?
        if let classHeader {
            guard let data = FileManager.default.contents(atPath: classHeader) else {
                throw InputError(issues: [TrellisIssue(kind: .invalidInput, message: "cannot read the class file", location: classHeader)])
            }
            header = try RosterReader.readHeader(Array(data), sourceName: classHeader, ladders: ladders)
        }
        return try RosterReader.read(bytes, sourceName: name, format: format, header: header, ladders: ladders)
    }

    /// `--param rule.name=value`: the value is JSON when it parses as JSON, else a string.
    private func parsedParameters() throws -> [String: [String: JSONValue]] {
        var values: [String: [String: JSONValue]] = [:]
        for assignment in parameters {
            guard let equals = assignment.firstIndex(of: "="), let dot = assignment[..<equals].lastIndex(of: ".") else {
                throw ValidationError("--param \(assignment): expected rule.name=value, such as prompt-fading.fade_percent=90")
            }
            let rule = String(assignment[..<dot])
            let name = String(assignment[assignment.index(after: dot)..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            values[rule, default: [:]][name] = JSONValue(parsing: text) ?? .string(text)
        }
        return values
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
