import CSV
import Foundation

/// One recommendation per row, with a header row. Errors are not rows: they go to the JSON
/// formats and to the command's standard error.
enum ReportCSV {
    static let header = ["student", "skill", "kind", "action", "from", "to", "options", "rule", "priority", "reason"]

    static func render(_ report: EvaluationReport) -> String {
        let stream = OutputStream.toMemory()
        stream.open()
        do {
            let writer = try CSVWriter(stream: stream)
            try writer.write(row: header)
            for result in report.results {
                for recommendation in result.recommendations {
                    try writer.write(row: row(result.student, recommendation))
                }
            }
            // Class-level rows name their student when they have one.
            for recommendation in report.classResult?.recommendations ?? [] {
                try writer.write(row: row(recommendation.extra["student"]?.stringValue ?? "", recommendation))
            }
        } catch {
            // Writing to memory does not fail; should it, the rows so far are still returned.
        }
        stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func row(_ student: String, _ recommendation: Recommendation) -> [String] {
        [
            student, recommendation.skill ?? "", recommendation.kind, recommendation.action, recommendation.from ?? "", recommendation.to ?? "",
            (recommendation.options ?? []).map(\.id).joined(separator: ";"), recommendation.rule, JSONText.number(recommendation.priority),
            recommendation.reason,
        ]
    }
}
