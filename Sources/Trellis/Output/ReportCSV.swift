/// One recommendation per row, with a header row (RFC 4180: fields with a comma, a quote or a
/// line break are quoted, quotes doubled; rows end with LF). Errors are not rows: they go to the
/// JSON formats and to the command's standard error.
///
/// A cell that a spreadsheet would run as a formula (its first character `=`, `+`, `-`, `@`, a
/// tab, a carriage return or a line feed) gets an apostrophe in front, which spreadsheets show as
/// text; a cell that is a plain number (`-5`, `-0.5`, `-1e+308`) is left alone, so that negative
/// priorities and numeric ids stay numbers.
///
/// Written here rather than with CSV.swift's writer, which writes one byte per call: it took
/// 0.55 s for 17,700 rows where this takes a small fraction of it (docs/performance.md).
enum ReportCSV {
    static let header = ["student", "skill", "kind", "action", "from", "to", "options", "rule", "priority", "reason"]

    static func render(_ report: EvaluationReport) -> String {
        var text = ""
        append(header, to: &text)
        for result in report.results { appendRows(of: result, to: &text) }
        if let classResult = report.classResult { appendRows(of: classResult, to: &text) }
        return text
    }

    static func appendHeader(to text: inout String) {
        append(header, to: &text)
    }

    static func appendRows(of result: StudentResult, to text: inout String) {
        for recommendation in result.recommendations {
            append(row(result.student, recommendation), to: &text)
        }
    }

    /// Class-level rows name their student when they have one.
    static func appendRows(of result: ClassResult, to text: inout String) {
        for recommendation in result.recommendations { appendRow(ofClass: recommendation, to: &text) }
    }

    static func appendRow(ofClass recommendation: Recommendation, to text: inout String) {
        append(row(recommendation.extra["student"]?.stringValue ?? "", recommendation), to: &text)
    }

    private static func append(_ fields: [String], to text: inout String) {
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

    private static func row(_ student: String, _ recommendation: Recommendation) -> [String] {
        [
            student, recommendation.skill ?? "", recommendation.kind, recommendation.action, recommendation.from ?? "", recommendation.to ?? "",
            (recommendation.options ?? []).map(\.id).joined(separator: ";"), recommendation.rule, JSONText.number(recommendation.priority),
            recommendation.reason,
        ]
    }
}
