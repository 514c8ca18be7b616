import ArgumentParser
import Foundation
import Synchronization
import Trellis

extension Import {
    struct Sheet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sheet",
            abstract: "Import sessions (and work, self-assessments) from spreadsheets: .csv, .tsv or .xlsx.",
            discussion: """
                One row per session: date, student id and/or name, skill (or program and target), prompt level or \
                stage, trials and correct or a tally (+ + - +), and optionally independent, setting, staff, delay, \
                probe, notes. Headers are matched in any case and spelling, with the usual synonyms; --map names the \
                others and maps values. Every sheet of a workbook is read: one with a status, score or due column is \
                work, one with a rating column self-assessments. A bad cell leaves its row out, is reported as \
                file:row:column with the cell's text, and is recorded in the document so that evaluate leaves that \
                skill undecided. Output: a class document, or NDJSON (-o FILE.ndjson) with its class header beside it.
                """
        )

        @Option(name: .shortAndLong, help: ArgumentHelp("Write here, whole or not at all (.json: a class document; .ndjson: one student a line, with the header in --header-output).", valueName: "file"), completion: .file())
        var output: String?

        @Option(name: .customLong("header-output"), help: ArgumentHelp("With NDJSON output: where the class header goes (default: beside it, NAME.header.json).", valueName: "file"), completion: .file())
        var headerOutput: String?

        @Option(name: .customLong("map"), help: ArgumentHelp("A YAML map: columns, values, ladders, tally marks, date_order, sheets.", valueName: "map.yaml"), completion: .file())
        var mapFile: String?

        @OptionGroup var dates: DateOrderOption

        @Option(name: .customLong("class-id"), help: ArgumentHelp("The class id written into the document (class.id).", valueName: "id"))
        var classID: String?

        @OptionGroup var merge: MergeOptions

        @OptionGroup var options: ImportOptions

        @Argument(help: ArgumentHelp("Spreadsheet files: .csv, .tsv, .xlsx.", valueName: "file"), completion: .file())
        var files: [String]

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one .csv, .tsv or .xlsx file") }
            if headerOutput != nil, !Self.isNDJSON(merge.destination(output)) { throw ValidationError("--header-output goes with -o FILE.ndjson") }
        }

        static func isNDJSON(_ path: String?) -> Bool {
            guard let path = path?.lowercased() else { return false }
            return path.hasSuffix(".ndjson") || path.hasSuffix(".jsonl")
        }

        func run() throws {
            let map = try ImportOptions.map(at: mapFile, or: SheetMap(), read: SheetMap.init(contentsOf:))
            var context = try options.context()
            if let classID {
                var info = context.classInfo ?? ClassInfo()
                info.id = classID
                context.classInfo = info
            }
            let importer = SheetImporter(context: context, map: map, dateOrder: dates.order)
            let progress = RowProgress(enabled: !options.quiet && Terminal.isTerminal(2))
            let imported: SheetImport
            do {
                imported = try importer.read(files) { rows in progress.update(rows) }
            } catch {
                progress.finish()
                Terminal.printError(error.description)
                throw Exit.unusableInput
            }
            progress.finish()
            let output = merge.destination(output)
            guard merge.into == nil else {
                // A merge needs the whole document; an import into another is as large as that one anyway.
                let result: ImportResult
                do {
                    result = try merge.apply(to: imported.result(), source: files.joined(separator: ", "))
                } catch let error as TemporaryFileError {
                    Terminal.printError(error.description)
                    throw Exit.unusableInput
                }
                try options.finish(result) {
                    let document = result.documents[0]
                    if Self.isNDJSON(output), let output {
                        try options.writeNDJSON(document, to: output, header: headerOutput ?? Self.headerPath(for: output))
                    } else {
                        try options.write(DocumentJSON.document(document), to: output)
                    }
                }
                return
            }
            try stream(imported, to: output)
        }

        /// Writes the students one at a time as they are read back, so that a large sheet is
        /// never held whole; the output file is still written whole or not at all.
        private func stream(_ imported: SheetImport, to output: String?) throws {
            guard imported.status != .unusable else {
                for issue in imported.issues { Terminal.printError(issue.description) }
                Terminal.printError("nothing usable to import: no student could be read")
                throw Exit.unusableInput
            }
            let ndjson = Self.isNDJSON(output)
            let header = output.map { headerOutput ?? Self.headerPath(for: $0) }
            let sink: any OutputSink
            do {
                sink = try output.map { try AtomicFileSink(path: $0) } ?? DescriptorSink()
            } catch {
                Terminal.printError(FileProblem.writing(output ?? "standard output", error))
                throw Exit.unusableInput
            }
            do {
                if ndjson {
                    try imported.forEachStudent { try sink.write(DocumentJSON.student($0) + "\n") }
                } else {
                    try sink.write(DocumentJSON.documentOpening(imported.context))
                    var first = true
                    try imported.forEachStudent { student in
                        try sink.write(DocumentJSON.documentStudent(student, first: first))
                        first = false
                    }
                    try sink.write(DocumentJSON.documentClosing(hasStudents: !first))
                }
            } catch {
                sink.abort()
                for issue in imported.issues { Terminal.printError(issue.description) }
                Terminal.printError(FileProblem.writing(output ?? "standard output", error))
                throw Exit.unusableInput
            }
            for issue in imported.issues { Terminal.printError(issue.description) }
            // The header goes first, so that a reader of the NDJSON never lacks it.
            if ndjson, let header { try options.write(DocumentJSON.header(imported.context), to: header) }
            do {
                try sink.commit()
            } catch {
                Terminal.printError(FileProblem.writing(output ?? "standard output", error))
                throw Exit.unusableInput
            }
            if !options.quiet {
                if ndjson, let output, let header {
                    Terminal.printLine("wrote \(output) (\(imported.studentCount) students, one a line) and its class header \(header)")
                }
                Terminal.printLine(ImportOptions.summary(imported))
            }
            if imported.status == .partial { throw Exit.evaluatedWithErrors }
        }

        static func headerPath(for output: String) -> String {
            let url = URL(fileURLWithPath: output)
            return url.deletingPathExtension().path + ".header.json"
        }
    }
}

/// "12,000 rows read" on standard error while a large sheet is read, when it is a terminal.
final class RowProgress: Sendable {
    private let enabled: Bool
    /// Whether the count is on the screen now.
    private let drawn = Mutex(false)

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ rows: Int) {
        guard enabled else { return }
        drawn.withLock { drawn in
            drawn = true
            FileHandle.standardError.write(Data("\r\u{1B}[K\(rows) rows read".utf8))
        }
    }

    func finish() {
        drawn.withLock { drawn in
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            drawn = false
        }
    }
}

extension ImportOptions {
    /// The `--map` at `path`, or `none` without one; exits with status 2, each mistake on a
    /// line, when it cannot be used.
    static func map<Map>(at path: String?, or none: Map, read: (String) throws(YAMLFileError) -> Map) throws -> Map {
        guard let path else { return none }
        do {
            return try read(path)
        } catch {
            Terminal.printError("the map cannot be used:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
            throw Exit.unusableInput
        }
    }

    /// Writes a document as NDJSON (one student a line) and its class header, each whole or
    /// not at all; the header first, so that a reader of the NDJSON never lacks it.
    func writeNDJSON(_ document: ClassDocument, to path: String, header: String) throws {
        try write(DocumentJSON.header(document.context), to: header)
        var text = ""
        for student in document.students { text += DocumentJSON.student(student) + "\n" }
        try write(text, to: path)
        if !quiet { Terminal.printLine("wrote \(path) (\(document.students.count) students, one a line) and its class header \(header)") }
    }
}
