import ArgumentParser
import Foundation
import Logging
import Trellis

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the coordinator's report: one self-contained HTML file per class, and an index for a school.",
        discussion: """
            INPUT is a class document or an NDJSON roster (with --class), as for evaluate, or a folder of them \
            (every .json, .ndjson and .jsonl file in it, by name). One class: the report goes to --output (a file), \
            else to standard output. Several classes, or --output naming a folder: the folder gets index.html and one \
            page per class, named after the class id.

            Exit codes: 0 every student evaluated; 1 written, with errors for some students or rules (they are in \
            the report's "What could not be decided"); 2 the input or the rules cannot be used, or the report cannot be written.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file (one class), or a folder (a school), written whole or not at all.", valueName: "path"), completion: .file())
    var output: String?

    @Option(help: ArgumentHelp("The title of a school's index page.", valueName: "text"))
    var title = "School"

    @OptionGroup var inputOptions: InputOptions

    @OptionGroup var rules: RuleOptions

    @OptionGroup var history: HistoryOptions

    @Flag(name: .shortAndLong, help: "No summary on standard error.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log what the engine does to standard error.")
    var verbose = false

    @Argument(help: ArgumentHelp("Class documents, NDJSON rosters or folders of them, or - for standard input.", valueName: "input"), completion: .file())
    var inputs: [String]

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("name a class document, an NDJSON roster or a folder of them") }
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .warning
            return handler
        }
        let started = Date()
        let (engine, settings) = try rules.makeEngine()
        let runHistory = try history.open()
        let configurationBytes = try rules.configurationBytes()
        let ladders = settings?.ladders ?? Ladders()
        let files = try classFiles()
        let outputIsFolder = output.map(Self.namesFolder) ?? false
        let school = files.count > 1 || outputIsFolder || inputs.contains(where: Self.isFolder)
        if school && output == nil {
            throw ValidationError("several classes make a school report: name a folder with --output")
        }
        if school, let output, !outputIsFolder, Self.exists(output) {
            throw ValidationError("several classes make a school report: --output \(output) is a file, name a folder")
        }
        let header: ClassContext?
        do {
            header = try inputOptions.header(ladders: ladders)
        } catch let error as TrellisError {
            Terminal.printUnusable(error)
            throw Exit.unusableInput
        }

        var reports: [ClassReport] = []
        var clean = true
        var summaries: [String] = []
        // Recorded once the report is written: a run nobody saw is not "the last run".
        var records: [RunRecord] = []
        for file in files {
            guard
                let evaluated = try evaluate(
                    file, engine: engine, header: header, ladders: ladders, alone: !school, history: runHistory, configuration: configurationBytes)
            else {
                clean = false
                continue
            }
            reports.append(evaluated.report)
            if let record = evaluated.record { records.append(record) }
            clean = clean && evaluated.clean
            let counts = evaluated.report.counts
            let plans = counts.plans > 0 ? "\(counts.plans) plans, " : ""
            summaries.append(
                "\(file == "-" ? "<stdin>" : file): \(counts.students) students, \(counts.actions) actions, \(counts.holds) holds, "
                    + "\(counts.menus) menus, \(plans)\(counts.undecided) not decided")
        }
        if reports.isEmpty {
            Terminal.printError("no class could be read: nothing was written")
            throw Exit.unusableInput
        }
        do {
            if school, let output {
                try writeSchool(SchoolReport(title: title, classes: reports), to: output)
            } else {
                try write(reports[0].html(), to: output)
            }
        } catch {
            Terminal.printError("cannot write \(output ?? "the report"): \(error.localizedDescription)")
            throw Exit.unusableInput
        }
        if let runHistory {
            for record in records { try HistoryOptions.record(record, in: runHistory) }
        }
        if !quiet {
            for line in summaries { Terminal.printLine(line) }
            Terminal.printLine(String(format: "wrote %@ in %.2f s", school ? "\(reports.count) class pages and index.html to \(output ?? "")" : output ?? "standard output", Date().timeIntervalSince(started)))
        }
        if !clean { throw Exit.evaluatedWithErrors }
    }

    /// Reads and evaluates one class. Nil when it cannot be read; that stops a lone class
    /// (status 2) but not a school, whose other classes are still written.
    /// With a history, the class's report compares it with the class's previous run there, and
    /// this run is recorded after it.
    private func evaluate(
        _ file: String, engine: Engine, header: ClassContext?, ladders: Ladders, alone: Bool, history: RunHistory?, configuration: [UInt8]?
    ) throws -> (report: ClassReport, clean: Bool, record: RunRecord?)? {
        let roster: Roster
        let bytes: [UInt8]
        do {
            let source = try InputSource(path: file)
            defer { source.close() }
            bytes = try source.readAll()
            var format = inputOptions.inputFormat
            if format == .auto, ["ndjson", "jsonl"].contains(URL(fileURLWithPath: file).pathExtension.lowercased()) { format = .ndjson }
            roster = try RosterReader.read(bytes, sourceName: source.name, format: format, header: header, ladders: ladders)
        } catch let error as TrellisError {
            Terminal.printUnusable(error)
            if alone { throw Exit.unusableInput }
            return nil
        } catch {
            Terminal.printError("cannot read \(file): \(error.localizedDescription)")
            if alone { throw Exit.unusableInput }
            return nil
        }
        let evaluation = engine.evaluate(roster, jobs: inputOptions.jobs)
        for issue in evaluation.issues { Terminal.printError(issue.description) }
        guard let history else { return (ClassReport(roster: roster, evaluation: evaluation, parameters: engine.parameterValues), evaluation.isClean, nil) }
        let since: SinceLastRun
        do throws(HistoryError) {
            since = try SinceLastRun(history: history, roster: roster, evaluation: evaluation)
        } catch {
            Terminal.printError("the history cannot be used: \(error.path): \(error.message)")
            throw Exit.unusableInput
        }
        let record = RunRecord(command: "report", input: bytes, configuration: configuration, engine: engine, context: roster.context, asOf: nil, evaluation: evaluation)
        return (ClassReport(roster: roster, evaluation: evaluation, parameters: engine.parameterValues, sinceLastRun: since), evaluation.isClean, record)
    }

    /// The inputs with each folder replaced by its class files, by name.
    private func classFiles() throws -> [String] {
        var files: [String] = []
        for input in inputs {
            guard Self.isFolder(input) else {
                files.append(input)
                continue
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: input).filter { name in
                !name.hasPrefix(".") && ["json", "ndjson", "jsonl"].contains(URL(fileURLWithPath: name).pathExtension.lowercased())
            }.sorted()
            if names.isEmpty { throw ValidationError("\(input) holds no .json, .ndjson or .jsonl file") }
            files += names.map { URL(fileURLWithPath: input).appending(path: $0).path }
        }
        return files
    }

    private func write(_ html: String, to path: String?) throws {
        let sink: any OutputSink = try path.map { try AtomicFileSink(path: $0) } ?? DescriptorSink()
        do {
            try sink.write(html)
            try sink.commit()
        } catch {
            sink.abort()
            throw error
        }
    }

    /// Every page is written whole before the index, so the index never links to a page that
    /// is not there.
    private func writeSchool(_ school: SchoolReport, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let base = URL(fileURLWithPath: folder)
        for page in school.pages { try write(school.html(of: page), to: base.appending(path: page.fileName).path) }
        try write(school.indexHTML(), to: base.appending(path: SchoolReport.indexFileName).path)
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// A path that is a folder, or ends with `/`, or has no `.html` extension and does not exist.
    private static func namesFolder(_ path: String) -> Bool {
        if isFolder(path) || path.hasSuffix("/") { return true }
        return !exists(path) && !["html", "htm"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
    }
}
