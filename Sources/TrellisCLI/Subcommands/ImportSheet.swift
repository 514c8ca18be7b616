import ArgumentParser
import Foundation
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

        @Option(name: .shortAndLong, help: ArgumentHelp("Write here, whole or not at all (.json: a class document; .ndjson: one student a line, with the header in --header-output).", valueName: "file"))
        var output: String?

        @Option(name: .customLong("header-output"), help: ArgumentHelp("With NDJSON output: where the class header goes (default: beside it, NAME.header.json).", valueName: "file"))
        var headerOutput: String?

        @Option(name: .customLong("map"), help: ArgumentHelp("A YAML map: columns, values, ladders, tally marks, date_order, sheets.", valueName: "map.yaml"))
        var mapFile: String?

        @Option(name: .customLong("date-order"), help: ArgumentHelp("How to read slashed dates such as 03/04/2026: mdy (month first) or dmy (day first). Without it they are faults.", valueName: "mdy|dmy"))
        var dateOrder: String?

        @Option(name: .customLong("class-id"), help: ArgumentHelp("The class id written into the document (class.id).", valueName: "id"))
        var classID: String?

        @OptionGroup var merge: MergeOptions

        @OptionGroup var options: ImportOptions

        @Argument(help: ArgumentHelp("Spreadsheet files: .csv, .tsv, .xlsx.", valueName: "file"))
        var files: [String]

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one .csv, .tsv or .xlsx file") }
            if let dateOrder, SheetDateOrder(rawValue: dateOrder) == nil { throw ValidationError("--date-order must be mdy or dmy") }
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
            let importer = SheetImporter(context: context, map: map, dateOrder: dateOrder.flatMap(SheetDateOrder.init))
            let progress = RowProgress(enabled: !options.quiet && Terminal.isTerminal(2))
            var result = importer.importFiles(files) { rows in progress.update(rows) }
            progress.finish()
            result = try merge.apply(to: result, source: files.joined(separator: ", "))
            let output = merge.destination(output)
            try options.finish(result) {
                let document = result.documents[0]
                if Self.isNDJSON(output), let output {
                    let header = headerOutput ?? Self.headerPath(for: output)
                    try options.writeNDJSON(document, to: output, header: header)
                } else {
                    try options.write(DocumentJSON.document(document), to: output)
                }
            }
        }

        static func headerPath(for output: String) -> String {
            let url = URL(fileURLWithPath: output)
            return url.deletingPathExtension().path + ".header.json"
        }
    }
}

/// "12,000 rows read" on standard error while a large sheet is read, when it is a terminal.
final class RowProgress: @unchecked Sendable {
    private let enabled: Bool
    private var drawn = false
    private let lock = NSLock()

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ rows: Int) {
        guard enabled else { return }
        lock.withLock {
            drawn = true
            FileHandle.standardError.write(Data("\r\u{1B}[K\(rows) rows read".utf8))
        }
    }

    func finish() {
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            drawn = false
        }
    }
}

extension ImportOptions {
    /// The `--map` at `path`, or `none` without one; exits with status 2, each mistake on a
    /// line, when it cannot be used.
    static func map<Map>(at path: String?, or none: Map, read: (String) throws(SheetMapError) -> Map) throws -> Map {
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
