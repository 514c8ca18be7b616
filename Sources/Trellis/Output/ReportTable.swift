import Foundation

/// A table for people: one block per student, one line per recommendation, and the errors.
enum ReportTable {
    static func render(_ report: EvaluationReport) -> String {
        var rows: [[String]] = [["STUDENT", "SKILL", "KIND", "ACTION", "CHANGE", "REASON"]]
        for result in report.results {
            for (index, recommendation) in result.recommendations.enumerated() {
                rows.append([
                    index == 0 ? result.student : "", recommendation.skill ?? "-", recommendation.kind, recommendation.action,
                    change(recommendation), recommendation.reason,
                ])
            }
            if result.recommendations.isEmpty { rows.append([result.student, "-", "-", "-", "-", "no recommendations"]) }
        }
        if let classResult = report.classResult, !classResult.recommendations.isEmpty {
            rows.append(["", "", "", "", "", ""])
            rows.append(["CLASS", "SKILL", "KIND", "ACTION", "CHANGE", "REASON"])
            for recommendation in classResult.recommendations {
                let who = recommendation.extra["student"]?.stringValue
                    ?? recommendation.extra["students"].flatMap { value -> String? in
                        guard case .array(let ids) = value else { return nil }
                        return ids.compactMap(\.stringValue).joined(separator: "+")
                    } ?? "-"
                rows.append([who, recommendation.skill ?? "-", recommendation.kind, recommendation.action, change(recommendation), recommendation.reason])
            }
        }
        // Every cell is text from a rule or an input: shown, never acted on by the terminal.
        var text = layout(rows.map { $0.map { TerminalText.escaped($0) } })
        let issues = report.issues
        if !issues.isEmpty {
            text += "\nErrors:\n" + issues.map { "  " + $0.description }.joined(separator: "\n") + "\n"
        }
        let summary = report.summary
        let forClass = summary.classRecommendations > 0 ? ", \(summary.classRecommendations) for the class" : ""
        text += "\n\(summary.students) students, \(summary.recommendations) recommendations\(forClass), \(summary.failed) with errors (as of \(TerminalText.escaped(report.asOf)))\n"
        return text
    }

    /// `gestural -> verbal`, the menu's option ids, or the level held at.
    private static func change(_ recommendation: Recommendation) -> String {
        if let options = recommendation.options { return options.map(\.id).joined(separator: ", ") }
        switch (recommendation.from, recommendation.to) {
        case (let from?, let to?): return "\(from) -> \(to)"
        case (let from?, nil): return from
        case (nil, let to?): return "-> \(to)"
        case (nil, nil): return "-"
        }
    }

    /// Pads every column but the last to its widest cell.
    private static func layout(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (column, cell) in row.enumerated() where column < columns - 1 { widths[column] = max(widths[column], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column < columns - 1 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
