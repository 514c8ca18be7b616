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

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here, whole or not at all, instead of standard output.", valueName: "file"), completion: .file())
    var output: String?

    @OptionGroup var inputOptions: InputOptions

    @OptionGroup var show: ShowOptions

    @OptionGroup var rules: RuleOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Evaluate the class as it stood on this day (YYYY-MM-DD): only what is dated on or before it (docs/time.md).", valueName: "day"))
    var asOf: String?

    @OptionGroup var history: HistoryOptions

    @Flag(name: .shortAndLong, help: "No summary on standard error.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log what the engine does to standard error.")
    var verbose = false

    @Argument(help: ArgumentHelp("The class document or NDJSON roster, or - for standard input.", valueName: "input"), completion: .file())
    var input: String

    func validate() throws {
        let chosen = format ?? output.flatMap { ReportFormat(fileExtension: URL(fileURLWithPath: $0).pathExtension) }
        if show.isSet, let chosen, chosen == .json || chosen == .ndjson {
            throw ValidationError("--only, --kind, --action and --excel apply to the table and CSV, not to \(chosen.rawValue) (which keeps the whole contract)")
        }
        if show.excel, let chosen, chosen != .csv { throw ValidationError("--excel applies to CSV") }
        _ = try TimeOptions.day(asOf, option: "--as-of")
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .warning
            return handler
        }
        let logger = Logger(label: "trellis")
        let started = Date()
        // A file-size limit (ulimit -f) makes a write fail, reported with the file's name,
        // instead of killing the process and leaving a temporary file behind.
        signal(SIGXFSZ, SIG_IGN)

        let (engine, settings) = try rules.makeEngine()
        let runHistory = try history.open()
        logger.debug("loaded \(engine.rules.count) rules: \(engine.rules.map(\.id).joined(separator: ", "))")

        let source: InputSource
        do {
            source = try InputSource(path: input)
        } catch {
            Terminal.printError("cannot read \(input): \(FileProblem.systemReason(error))")
            throw Exit.unusableInput
        }
        defer { source.close() }
        let ladders = settings?.ladders ?? Ladders()
        let streamed: Bool
        do {
            streamed = try inputOptions.isNDJSON(source, path: input)
        } catch {
            Terminal.printError("cannot read \(input): \(FileProblem.systemReason(error))")
            throw Exit.unusableInput
        }
        let chosenFormat = resolvedFormat()
        // A class as of a past day is cut student by student, and a recorded run keeps the input's
        // digest and every recommendation, so for either an NDJSON roster is read whole.
        let day = try TimeOptions.day(asOf, option: "--as-of")
        let clean = streamed && day == nil && runHistory == nil
            ? try evaluateStream(source, engine: engine, ladders: ladders, format: chosenFormat, logger: logger, started: started)
            : try evaluateDocument(
                source, engine: engine, ladders: ladders, format: chosenFormat, asOf: day, streamed: streamed, history: runHistory, logger: logger,
                started: started)
        if !clean { throw Exit.evaluatedWithErrors }
    }

    /// NDJSON: read, evaluated and written as it streams, in bounded memory.
    private func evaluateStream(
        _ source: InputSource, engine: Engine, ladders: Ladders, format: ReportFormat, logger: Logger, started: Date
    ) throws -> Bool {
        let context: ClassContext
        do {
            context = try inputOptions.header(ladders: ladders) ?? ClassContext(asOf: RosterReader.today(), ladders: ladders)
        } catch let error as TrellisError {
            Terminal.printUnusable(error)
            throw Exit.unusableInput
        }
        if source.isEmpty {
            Terminal.printError("the input cannot be used:\n  \(input == "-" ? "<stdin>" : input): the input is empty: expected a class document or one student per line")
            throw Exit.unusableInput
        }
        try? source.readFirstLine()
        if let problem = RosterReader.encodingProblem(Array(source.prefix.prefix(4))) {
            Terminal.printError("the input cannot be used:\n  \(source.name): \(problem)")
            throw Exit.unusableInput
        }
        let writer = try makeWriter(format: format, asOf: context.asOf, replacedRules: engine.replacedRules)
        let tableOnScreen = format == .table && output == nil
        let progress = Terminal.isTerminal(STDERR_FILENO) && !quiet ? ProgressLine(totalBytes: source.size) : nil
        // Errors go to standard error as they happen, unless the table on the screen lists them.
        let reportIssues = !tableOnScreen
        var onProgress: (@Sendable (StreamProgress) -> Void)?
        if let progress { onProgress = { progress.update($0) } }
        let deliver: @Sendable (StudentOutcome) -> Void = { outcome in
            writer.write(outcome)
            guard reportIssues, let issues = outcome.issues, !issues.isEmpty else { return }
            progress?.clear()
            for issue in issues { Terminal.printError(issue.description) }
        }
        let streamInput = NDJSONInput(descriptor: source.descriptor, prefix: source.prefix, sourceName: source.name, totalBytes: source.size)
        let result: StreamedEvaluation
        do {
            result = try engine.evaluate(
                streamInput, context: context, jobs: inputOptions.jobs, progress: onProgress, deliver: deliver,
                deliverClass: { writer.write(classRecommendation: $0) })
        } catch let error as TemporaryFileError {
            progress?.finish()
            writer.abort()
            Terminal.printError(error.description)
            throw Exit.unusableInput
        } catch {
            progress?.finish()
            writer.abort()
            Terminal.printError("cannot read \(source.name): \(FileProblem.systemReason(error))")
            throw Exit.unusableInput
        }
        progress?.finish()
        logger.debug("evaluated \(result.summary.students) students in \(Self.seconds(since: started))")
        if reportIssues { for issue in result.classResult?.errors ?? [] { Terminal.printError(issue.description) } }
        do {
            try writer.finish(asOf: result.asOf, classResult: result.classResult, summary: result.summary)
        } catch {
            Terminal.printError(writeFailure(error))
            throw Exit.unusableInput
        }
        if !quiet { Terminal.printLine(Summary.line(result.summary, seconds: Date().timeIntervalSince(started))) }
        return result.summary.failed == 0 && (result.classResult?.errors.isEmpty ?? true)
    }

    /// A class document: read whole, evaluated, written.
    private func evaluateDocument(
        _ source: InputSource, engine: Engine, ladders: Ladders, format: ReportFormat, asOf day: SchoolDay?, streamed: Bool, history: RunHistory?,
        logger: Logger, started: Date
    ) throws -> Bool {
        let read = try inputOptions.readRoster(source, ndjson: streamed, ladders: ladders)
        let roster = day.map { read.asOf($0) } ?? read
        logger.debug("read \(roster.entries.count) student records in \(Self.seconds(since: started))")
        let evaluationStarted = Date()
        let progress = Terminal.isTerminal(STDERR_FILENO) && !quiet ? ProgressLine(total: roster.entries.count) : nil
        var onProgress: (@Sendable (Int) -> Void)?
        if let progress { onProgress = { progress.update($0) } }
        let report = engine.evaluate(roster, jobs: inputOptions.jobs, progress: onProgress)
        progress?.finish()
        logger.debug("evaluated in \(Self.seconds(since: evaluationStarted))")
        let renderingStarted = Date()
        let writer = try makeWriter(format: format, asOf: report.asOf, replacedRules: engine.replacedRules)
        for outcome in report.outcomes { writer.write(outcome) }
        do {
            try writer.finish(asOf: report.asOf, classResult: report.classResult, summary: report.summary)
        } catch {
            Terminal.printError(writeFailure(error))
            throw Exit.unusableInput
        }
        logger.debug("rendered and wrote \(format.rawValue) in \(Self.seconds(since: renderingStarted))")
        if let history {
            // The input was read whole above: this is what was evaluated, not a second read.
            let record = RunRecord(
                command: "evaluate", input: try source.readAll(), configuration: try rules.configurationBytes(), engine: engine, context: roster.context,
                asOf: day, evaluation: report)
            try HistoryOptions.record(record, in: history)
        }

        let tableOnScreen = format == .table && output == nil
        if !tableOnScreen {
            for issue in report.issues { Terminal.printError(issue.description) }
        }
        if !quiet {
            Terminal.printLine(Summary.line(report.summary, seconds: Date().timeIntervalSince(started)))
        }
        return report.isClean
    }

    private func makeWriter(format: ReportFormat, asOf: String, replacedRules: [RuleReplacement]) throws -> ReportWriter {
        let options = show.reportOptions(width: output == nil ? ShowOptions.tableWidth() : 120)
        guard let output else { return ReportWriter(format: format, sink: DescriptorSink(), asOf: asOf, options: options, replacedRules: replacedRules) }
        do {
            return ReportWriter(format: format, sink: try AtomicFileSink(path: output), asOf: asOf, options: options, replacedRules: replacedRules)
        } catch {
            Terminal.printError(writeFailure(error))
            throw Exit.unusableInput
        }
    }

    /// What failed in writing the output: an `OutputFileError` names the file and the part at
    /// fault itself.
    private func writeFailure(_ error: any Error) -> String {
        if let error = error as? OutputFileError { return error.description }
        guard let output else { return "cannot write the report: \(FileProblem.systemReason(error))" }
        return FileProblem.writing(output, error)
    }

    private static func seconds(since start: Date) -> String {
        String(format: "%.3f s", Date().timeIntervalSince(start))
    }

    private func resolvedFormat() -> ReportFormat {
        if let format { return format }
        if show.excel { return .csv }
        if show.isSet, output == nil { return .table }
        if let output { return ReportFormat(fileExtension: URL(fileURLWithPath: output).pathExtension) ?? .json }
        return Terminal.isTerminal(STDOUT_FILENO) ? .table : .json
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
