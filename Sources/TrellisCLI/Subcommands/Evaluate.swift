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

    @Option(help: ArgumentHelp("json, ndjson, csv or table (default: table on a terminal, else from --output's extension, else json).", valueName: "format"))
    var format: ReportFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here, whole or not at all, instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("input-format"), help: ArgumentHelp("auto, document or ndjson.", valueName: "format"))
    var inputFormat: InputFormat = .auto

    @Option(name: .customLong("class"), help: ArgumentHelp("Class-level fields (as_of, ladders, catalog) for NDJSON input.", valueName: "file"))
    var classHeader: String?

    @Option(name: .shortAndLong, help: "Workers, each with its own Lua state (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var rules: RuleOptions

    @Flag(name: .shortAndLong, help: "No summary on standard error.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log what the engine does to standard error.")
    var verbose = false

    @Argument(help: ArgumentHelp("The class document or NDJSON roster, or - for standard input.", valueName: "input"))
    var input: String

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .warning
            return handler
        }
        let logger = Logger(label: "trellis")
        let started = Date()

        let (engine, settings) = try rules.makeEngine()
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
}

extension ReportFormat: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
