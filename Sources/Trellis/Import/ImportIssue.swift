/// One problem an import met, and where: a row or statement left out, or a value read by a guess.
///
/// Imports never stop at the first problem: every valid row or statement is kept and each
/// problem becomes one issue, so a coordinator can fix the export in one pass.
package struct ImportIssue: Sendable, Hashable, CustomStringConvertible {
    /// How much an issue cost.
    package enum Severity: String, Sendable, Hashable {
        /// Something was left out: a row, a statement, or a whole file. Makes the import partial.
        case fault
        /// Everything was imported, but by a guess worth checking (a misspelt column read by its
        /// near name, a repeated statement id). Does not make the import partial.
        case warning
    }

    package var severity: Severity
    /// The file, as the importer was given it (`export/results.csv`).
    package var file: String
    /// The line in `file` where the row or statement starts (1-based); nil for the file as a whole.
    package var line: Int?
    /// The column or field the problem is in (`score`, `result.score.scaled`).
    package var field: String?
    /// A spreadsheet's column letter (`B`), when the problem is in one cell.
    package var column: String?
    package var message: String

    package init(severity: Severity = .fault, file: String, line: Int? = nil, column: String? = nil, field: String? = nil, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `file:line: field: message` (`file:row:column: field: message` for a cell), with
    /// `warning: ` before the message of a warning, on one line, with what a terminal would act
    /// on written as escapes (`TerminalText`): messages quote the export's own values.
    package var description: String {
        var text = line.map { "\(file):\($0)" } ?? file
        if line != nil, let column { text += ":\(column)" }
        if let field { text += ": \(field)" }
        text += ": "
        if severity == .warning { text += "warning: " }
        return TerminalText.escaped(text + message)
    }
}

/// How an import went, as the command's exit status reports it.
package enum ImportStatus: Sendable, Hashable {
    /// Every row or statement was imported (warnings allowed).
    case clean
    /// Something usable was imported, and something was left out (see the faults).
    case partial
    /// Nothing usable: no student could be imported.
    case unusable
}

/// What an import read and left out, counted, for the summary line.
package struct ImportCounts: Sendable, Hashable {
    /// Rows (OneRoster, all files together) or statements (xAPI) read.
    package var read = 0
    /// Rows or statements left out for a fault.
    package var skipped = 0
    /// Rows or statements that are valid but carry nothing to import: teachers' user rows, rows
    /// marked `tobedeleted`, statements without a result.
    package var ignored = 0

    package init() {}
}

/// The class documents an import produced, and every problem it met.
package struct ImportResult: Sendable, Hashable {
    /// One document per class, each ready for `RosterReader` and the engine.
    package var documents: [ClassDocument]
    /// Faults and warnings, in the order the files were read.
    package var issues: [ImportIssue]
    package var counts: ImportCounts

    package init(documents: [ClassDocument], issues: [ImportIssue], counts: ImportCounts) {
        self.documents = documents
        self.issues = issues
        self.counts = counts
    }

    /// The faults alone: what was left out.
    package var faults: [ImportIssue] { issues.filter { $0.severity == .fault } }

    /// Unusable when no document has a student; partial when any fault left something out.
    package var status: ImportStatus {
        if !documents.contains(where: { !$0.students.isEmpty }) { return .unusable }
        return faults.isEmpty ? .clean : .partial
    }
}

/// Collects issues while an importer runs.
struct IssueLog {
    private(set) var issues: [ImportIssue] = []

    mutating func fault(_ file: String, line: Int? = nil, field: String? = nil, _ message: String) {
        issues.append(ImportIssue(severity: .fault, file: file, line: line, field: field, message: message))
    }

    mutating func warning(_ file: String, line: Int? = nil, field: String? = nil, _ message: String) {
        issues.append(ImportIssue(severity: .warning, file: file, line: line, field: field, message: message))
    }

    mutating func append(_ issue: ImportIssue) {
        issues.append(issue)
    }
}
