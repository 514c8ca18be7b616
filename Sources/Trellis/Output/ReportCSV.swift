/// One recommendation per row, with a header row (RFC 4180: fields with a comma, a quote or a
/// line break are quoted, quotes doubled; rows end with LF). `name` is the student's display
/// name beside the id; `option_titles` the menu's options by title, in the order of `options`.
/// A rule's note is a row of kind `note` with an empty action and the note in `reason`.
/// Errors are not rows: they go to the JSON formats and to the command's standard error.
///
/// A cell that a spreadsheet would run as a formula (its first character `=`, `+`, `-`, `@`, a
/// tab, a carriage return or a line feed) gets an apostrophe in front, which spreadsheets show as
/// text; a cell that is a plain number (`-5`, `-0.5`, `-1e+308`) is left alone, so that negative
/// priorities and numeric ids stay numbers.
///
/// Written here rather than with CSV.swift's writer, which writes one byte per call: it took
/// 0.55 s for 17,700 rows where this takes a small fraction of it (docs/performance.md).
enum ReportCSV {
    static let header = ["student", "name", "skill", "kind", "action", "from", "to", "options", "option_titles", "rule", "priority", "reason"]

    /// The UTF-8 byte-order mark that `--excel` puts first.
    static let byteOrderMark = "\u{FEFF}"

    static func render(_ report: EvaluationReport, options: ReportOptions = ReportOptions()) -> String {
        var text = ""
        appendHeader(options: options, to: &text)
        var names: [String: String] = [:]
        for result in report.results {
            if let name = result.name { names[result.student] = name }
            appendRows(of: result, filter: options.filter, to: &text)
        }
        if let classResult = report.classResult { appendRows(of: classResult, names: names, filter: options.filter, to: &text) }
        return text
    }

    static func appendHeader(options: ReportOptions = ReportOptions(), to text: inout String) {
        if options.excel { text.append(byteOrderMark) }
        append(header, to: &text)
    }

    static func appendRows(of result: StudentResult, filter: ReportFilter = .everything, to text: inout String) {
        for recommendation in result.recommendations where filter.includes(recommendation) {
            append(row(result.student, result.name ?? "", recommendation), to: &text)
        }
        if filter.includesNotes { for note in result.notes { append(row(result.student, result.name ?? "", note), to: &text) } }
    }

    /// Class-level rows name their student when they have one; `names` gives the name.
    static func appendRows(of result: ClassResult, names: [String: String] = [:], filter: ReportFilter = .everything, to text: inout String) {
        for recommendation in result.recommendations { appendRow(ofClass: recommendation, names: names, filter: filter, to: &text) }
        if filter.includesNotes { for note in result.notes { append(row("", "", note), to: &text) } }
    }

    static func appendRow(ofClass recommendation: Recommendation, names: [String: String] = [:], filter: ReportFilter = .everything, to text: inout String) {
        guard filter.includes(recommendation) else { return }
        let student = recommendation.extra["student"]?.stringValue ?? ""
        append(row(student, names[student] ?? "", recommendation), to: &text)
    }

    static func append(_ fields: [String], to text: inout String) {
        for (index, cell) in fields.enumerated() {
            if index > 0 { text.append(",") }
            let field = guarded(cell)
            let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes {
                text.append("\"")
                text.append(field.replacing("\"", with: "\"\""))
                text.append("\"")
            } else {
                text.append(field)
            }
        }
        text.append("\n")
    }

    /// `cell`, with an apostrophe in front when a spreadsheet would read it as a formula.
    static func guarded(_ cell: String) -> String {
        guard let first = cell.utf8.first, formulaStarts.contains(first), !isPlainNumber(cell) else { return cell }
        return "'" + cell
    }

    private static let formulaStarts: Set<UInt8> = Set("=+-@\t\r\n".utf8)

    /// `-12`, `-0.5`, `-1e+308`: what a spreadsheet reads as a number, and nothing else.
    private static func isPlainNumber(_ cell: String) -> Bool {
        var bytes = cell.utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        guard digits() > 0 else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    private static func row(_ student: String, _ name: String, _ recommendation: Recommendation) -> [String] {
        [
            student, name, recommendation.skill ?? "", recommendation.kind, recommendation.action, recommendation.from ?? "", recommendation.to ?? "",
            (recommendation.options ?? []).map(\.id).joined(separator: ";"), (recommendation.options ?? []).map { $0.title ?? $0.id }.joined(separator: ";"),
            recommendation.rule, JSONText.number(recommendation.priority), recommendation.reason,
        ]
    }

    private static func row(_ student: String, _ name: String, _ note: RuleNote) -> [String] {
        [student, name, note.skill ?? "", "note", "", "", "", "", "", note.rule, "", note.message]
    }
}
