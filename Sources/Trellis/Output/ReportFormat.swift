/// The output formats of `trellis evaluate`.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// One JSON document (contract section 2).
    case json
    /// One results entry per line, in input order.
    case ndjson
    /// One recommendation per row.
    case csv
    /// A readable table for a terminal.
    case table

    /// The format a file name's extension implies, if any.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "json": self = .json
        case "ndjson", "jsonl": self = .ndjson
        case "csv": self = .csv
        case "txt": self = .table
        default: return nil
        }
    }

    /// Renders a whole report in this format. `options` apply to the table and CSV.
    public func render(_ report: EvaluationReport, options: ReportOptions = ReportOptions()) -> String {
        switch self {
        case .json: ReportJSON.document(report)
        case .ndjson: report.outcomes.map(ReportJSON.line).joined() + (report.classResult.map(ReportJSON.classLine) ?? "")
        case .csv: ReportCSV.render(report, options: options)
        case .table: ReportTable.render(report, options: options)
        }
    }
}
