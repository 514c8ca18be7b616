import ArgumentParser
import Foundation
import Trellis

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a OneRoster CSV export or xAPI statements into class documents for trellis evaluate.",
        discussion: """
            Every row or statement that is valid is imported; each one left out is reported on standard error \
            with file:line and the column or field.

            Exit codes: 0 everything imported; 1 imported, but some rows or statements were left out; \
            2 nothing usable, or the output cannot be written.
            """,
        subcommands: [Sheet.self, OneRoster.self, XAPI.self, Classroom.self, Gradebook.self, Khan.self]
    )
}

/// The options both imports share: where the output goes and the class-level fields.
struct ImportOptions: ParsableArguments {
    @Option(name: .customLong("header"), help: ArgumentHelp("Class-level fields to start from (as_of, ladders, catalog, class), as in a class document without students.", valueName: "file"), completion: .file())
    var header: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date the documents are for, YYYY-MM-DD (default: the header's, else today).", valueName: "date"))
    var asOf: String?

    @Flag(name: .shortAndLong, help: "No summary on standard error (faults are still printed).")
    var quiet = false

    func validate() throws {
        if let asOf, !Self.isDay(asOf) { throw ValidationError("--as-of \(asOf): expected a date as YYYY-MM-DD") }
    }

    private static func isDay(_ text: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return text.count == 10 && formatter.date(from: text).map { formatter.string(from: $0) == text } == true
    }

    /// The class-level fields every document starts from. Exits with status 2 when the header cannot be used.
    func context() throws -> ClassContext {
        var context = ClassContext(asOf: RosterReader.today())
        if let header {
            guard let data = FileManager.default.contents(atPath: header) else {
                Terminal.printError("cannot read the header \(header)")
                throw Exit.unusableInput
            }
            do {
                context = try RosterReader.readHeader(Array(data), sourceName: header)
            } catch {
                Terminal.printError("the header cannot be used:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
                throw Exit.unusableInput
            }
        }
        if let asOf { context.asOf = asOf }
        return context
    }

    /// Prints the issues and the summary, and ends with the import's exit status when it is not clean.
    func finish(_ result: ImportResult, written: () throws -> Void) throws {
        for issue in result.issues { Terminal.printError(issue.description) }
        if result.status == .unusable {
            Terminal.printError("nothing usable to import: no student could be read")
            throw Exit.unusableInput
        }
        try written()
        if !quiet { Terminal.printLine(Self.summary(result)) }
        if result.status == .partial { throw Exit.evaluatedWithErrors }
    }

    /// Writes `text` whole to `path`, or to standard output; exits with status 2 when it cannot.
    func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try AtomicFile.write(text, to: path)
        } catch {
            Terminal.printError(FileProblem.writing(path, error))
            throw Exit.unusableInput
        }
    }

    /// The summary of a sheet import whose students were written as they were read back.
    static func summary(_ imported: SheetImport) -> String {
        let counts = imported.imported
        let warnings = imported.issues.filter { $0.severity == .warning }.count
        var parts = ["imported 1 class", "\(counts.students) students"]
        if counts.sessions > 0 { parts.append("\(counts.sessions) sessions") }
        if counts.workItems > 0 { parts.append("\(counts.workItems) work items") }
        parts.append("\(imported.counts.read) read, \(imported.counts.skipped) left out for faults, \(imported.counts.ignored) ignored")
        if warnings > 0 { parts.append("\(warnings) warnings") }
        return parts.joined(separator: ", ")
    }

    static func summary(_ result: ImportResult) -> String {
        let students = result.documents.reduce(0) { $0 + $1.students.count }
        let sessions = result.documents.reduce(0) { $0 + $1.students.reduce(0) { $0 + $1.skills.reduce(0) { $0 + $1.sessions.count } } }
        let work = result.documents.reduce(0) { $0 + $1.students.reduce(0) { $0 + $1.work.count } }
        let warnings = result.issues.count - result.faults.count
        var parts = ["imported \(result.documents.count) \(result.documents.count == 1 ? "class" : "classes")", "\(students) students"]
        if sessions > 0 { parts.append("\(sessions) sessions") }
        if work > 0 { parts.append("\(work) work items") }
        let mastery = result.documents.reduce(0) { $0 + $1.students.reduce(0) { $0 + $1.skills.filter { $0.extra["mastery"] != nil }.count } }
        if mastery > 0 { parts.append("\(mastery) skill mastery levels") }
        parts.append("\(result.counts.read) read, \(result.counts.skipped) left out for faults, \(result.counts.ignored) ignored")
        if warnings > 0 { parts.append("\(warnings) warnings") }
        return parts.joined(separator: ", ")
    }
}

extension Import {
    struct OneRoster: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "oneroster",
            abstract: "Import a OneRoster 1.1/1.2 CSV export (a folder): one class document per class.",
            discussion: """
                With --class, one class document goes to --output or standard output. Without it, --output names a \
                folder that gets one CLASS.json per class with students (characters other than letters, digits, \
                '.', '-' and '_' in the id become '_'; classes whose names would collide, also by case, get a dash and a \
                hash of the id: 3_B-5f1c2a9e.json), all or none; standard output is used only when the export has one such class.
                """
        )

        @Option(name: .customLong("class"), help: ArgumentHelp("The sourcedId of the class to import (default: every class).", valueName: "id"))
        var classID: String?

        @Option(name: .shortAndLong, help: ArgumentHelp("The document (with --class), else a folder for one document per class.", valueName: "path"), completion: .file())
        var output: String?

        @OptionGroup var merge: MergeOptions

        @OptionGroup var options: ImportOptions

        @Argument(help: ArgumentHelp("The folder holding the export's CSV files.", valueName: "dir"), completion: .directory)
        var folder: String

        func run() throws {
            let importer = OneRosterImporter(context: try options.context(), classID: classID)
            var result = importer.importFolder(at: folder)
            if merge.into != nil {
                // One class goes into one document: --class chooses it when the export has several.
                if result.documents.count > 1 {
                    for issue in result.issues { Terminal.printError(issue.description) }
                    let ids = result.documents.compactMap { $0.context.classInfo?.id.map { TerminalText.escaped($0) } }.joined(separator: ", ")
                    Terminal.printError("\(result.documents.count) classes (\(ids)): --into takes one, chosen with --class ID")
                    throw ExitCode(64)
                }
                result = try merge.apply(to: result, source: folder)
                let destination = merge.destination(output)
                try options.finish(result) {
                    try options.write(DocumentJSON.document(result.documents[0]), to: destination)
                }
                return
            }
            try options.finish(result) {
                if classID != nil || output == nil {
                    guard result.documents.count == 1, let document = result.documents.first else {
                        let ids = result.documents.compactMap { $0.context.classInfo?.id.map { TerminalText.escaped($0) } }.joined(separator: ", ")
                        Terminal.printError("\(result.documents.count) classes (\(ids)): choose one with --class ID, or give --output FOLDER for all")
                        throw ExitCode(64)
                    }
                    try options.write(DocumentJSON.document(document), to: output)
                    return
                }
                guard let output else { return }
                do {
                    try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                } catch {
                    Terminal.printError("cannot create the folder \(output): \(FileProblem.systemReason(error))")
                    throw Exit.unusableInput
                }
                let ids = result.documents.map { $0.context.classInfo?.id ?? "class" }
                let (names, collisions) = ClassFolderWriter.fileNames(for: ids)
                for collision in collisions {
                    let quoted = collision.ids.map { JSONValue.string($0).jsonText }.joined(separator: ", ")
                    Terminal.printError(
                        "warning: classes \(quoted) would share the file \(collision.plain) (names that differ only in case are one file on some disks): "
                            + "written as \(collision.names.joined(separator: ", "))")
                }
                do throws(ClassFolderWriter.Failure) {
                    try ClassFolderWriter.write(zip(names, result.documents).map { ($0, DocumentJSON.document($1)) }, into: output)
                } catch {
                    Terminal.printError(error.message)
                    throw Exit.unusableInput
                }
            }
        }
    }

    struct XAPI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xapi",
            abstract: "Import xAPI statements (files or folders of .json/.jsonl/.ndjson) into one class document.",
            discussion: """
                A file holds a JSON array of statements, one statement, an LRS answer {"statements": [...]}, or one \
                statement per line. Use - for standard input.
                """
        )

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the document here, whole or not at all, instead of standard output.", valueName: "file"), completion: .file())
        var output: String?

        @Option(name: .customLong("correct-at"), help: ArgumentHelp("The scaled score from which a trial without result.success is correct (default: 0.8).", valueName: "score"))
        var correctThreshold: Double = XAPIImporter.defaultCorrectThreshold

        @OptionGroup var merge: MergeOptions

        @OptionGroup var options: ImportOptions

        @Argument(help: ArgumentHelp("Statement files or folders, or - for standard input.", valueName: "file"), completion: .file())
        var inputs: [String]

        func validate() throws {
            guard (0...1).contains(correctThreshold) else { throw ValidationError("--correct-at must be from 0 to 1") }
            guard !inputs.isEmpty else { throw ValidationError("give at least one file, folder or -") }
        }

        func run() throws {
            let importer = XAPIImporter(context: try options.context(), correctThreshold: correctThreshold)
            var result: ImportResult
            if inputs == ["-"] {
                result = importer.importSources([("<stdin>", Array(FileHandle.standardInput.readDataToEndOfFile()))])
            } else {
                result = importer.importFiles(at: inputs)
            }
            result = try merge.apply(to: result, source: inputs == ["-"] ? "<stdin>" : inputs.joined(separator: ", "))
            let destination = merge.destination(output)
            try options.finish(result) {
                try options.write(DocumentJSON.document(result.documents[0]), to: destination)
            }
        }
    }
}
