import Foundation
@testable import Trellis

/// What every report must be, whatever its rules wrote: a table whose only line breaks are its
/// own, issue texts without any character a terminal acts on, and CSV cells no spreadsheet runs
/// as a formula. The hostile corpus checks every case with it.
enum TerminalSafety {
    /// C0 and C1 controls, DEL, bidirectional formatting and the Unicode line separators: what
    /// can move the cursor, retitle a window, ring, or make text read other than it is.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }

    static func unsafeScalars(in text: String, allowingLineFeeds: Bool) -> [String] {
        text.unicodeScalars.filter { isUnsafe($0) && !(allowingLineFeeds && $0 == "\n") }.map { String(format: "U+%04X", $0.value) }
    }

    static func problems(inIssues issues: [TrellisIssue]) -> [String] {
        issues.compactMap { issue in
            let found = unsafeScalars(in: issue.description, allowingLineFeeds: false)
            return found.isEmpty ? nil : "an issue's text holds \(Set(found).sorted()): \(issue.description.debugDescription.prefix(300))"
        }
    }

    static func problems(in report: EvaluationReport) -> [String] {
        var problems = problems(inIssues: report.issues)
        let table = ReportFormat.table.render(report)
        let found = unsafeScalars(in: table, allowingLineFeeds: true)
        if !found.isEmpty { problems.append("the table holds \(Set(found).sorted()):\n\(table.debugDescription.prefix(1500))") }
        let summaries = table.split(separator: "\n").filter { $0.firstMatch(of: /^\d+ students, \d+ recommendations/) != nil }
        if summaries.count != 1 { problems.append("the table has \(summaries.count) summary lines:\n\(table.prefix(1500))") }
        let rows = csvRows(ReportFormat.csv.render(report))
        for row in rows.dropFirst() {
            for cell in row where cell.first.map({ "=+-@\t\r\n".contains($0) }) == true && !isPlainNumber(cell) {
                problems.append("a CSV cell a spreadsheet would read as a formula: \(cell.debugDescription)")
            }
            let priority = ReportCSV.header.firstIndex(of: "priority") ?? 0
            let kind = ReportCSV.header.firstIndex(of: "kind") ?? 0
            // A rule's note is a row of kind `note`, without a priority.
            if row.count != ReportCSV.header.count || (row[kind] != "note" && Double(row[priority]) == nil) {
                problems.append("a CSV row without its \(ReportCSV.header.count) cells or a number for its priority: \(row)")
            }
        }
        return problems
    }

    static func isPlainNumber(_ cell: String) -> Bool {
        cell.wholeMatch(of: /[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?/) != nil
    }

    /// RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        while let scalar = pending ?? characters.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
