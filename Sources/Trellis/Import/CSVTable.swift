import CSV
import Foundation

/// One CSV file of an export, read whole: its header and its rows, each row with the line it
/// starts on, so that every fault names `file:line`.
///
/// The parsing is CSV.swift's (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes,
/// CR, LF and CRLF mixed in one file, no final newline needed). Around it, this type does what
/// real exports need: a UTF-8 byte-order mark is dropped, a file that is not UTF-8 is read as
/// Windows-1252 (what spreadsheet programs write) with a warning, blank lines are skipped, values
/// are trimmed, and columns are found by name whatever their case or order.
struct CSVTable {
    struct Row {
        /// The line the row starts on, counting the header as line 1.
        var line: Int
        var fields: [String]

        /// The trimmed value in `column`; empty when the row is shorter than the header.
        func value(_ column: Int?) -> String {
            guard let column, column < fields.count else { return "" }
            return fields[column].trimmingCharacters(in: .whitespaces)
        }
    }

    /// The file as named in issues.
    var file: String
    /// The header's names, trimmed.
    var header: [String]
    var rows: [Row]

    /// Reads `path`, naming it `file` in issues. Nil, with a fault, when the file cannot be read or is empty.
    static func read(path: String, file: String, issues: inout IssueLog) -> CSVTable? {
        guard let data = FileManager.default.contents(atPath: path) else {
            issues.fault(file, "cannot read the file")
            return nil
        }
        var text: String
        if let utf8 = String(data: data, encoding: .utf8) {
            text = utf8
        } else {
            issues.warning(file, "not UTF-8: read as Windows-1252")
            text = String(data: data, encoding: .windowsCP1252) ?? String(decoding: data, as: UTF8.self)
        }
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        return parse(text, file: file, issues: &issues)
    }

    /// Parses `text`; nil, with a fault, when it holds no header.
    static func parse(_ text: String, file: String, issues: inout IssueLog) -> CSVTable? {
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false) else {
            issues.fault(file, "cannot read the file as CSV")
            return nil
        }
        var header: [String]?
        var rows: [Row] = []
        var line = 1
        while let fields = reader.next() {
            let start = line
            // A row's line breaks are the one that ends it and those inside its quoted fields.
            line += 1 + fields.reduce(0) { $0 + lineBreaks(in: $1) }
            if fields.count == 1, fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if header == nil {
                header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
            } else {
                rows.append(Row(line: start, fields: fields))
            }
        }
        guard let header else {
            issues.fault(file, "the file is empty: expected a header row")
            return nil
        }
        return CSVTable(file: file, header: header, rows: rows)
    }

    /// The index of `name` in the header: the same name in any case, else a unique near name
    /// (one or two letters off, as in `prefferedGivenName`), read with a warning.
    func column(_ name: String, issues: inout IssueLog) -> Int? {
        let wanted = name.lowercased()
        if let exact = header.firstIndex(where: { $0.lowercased() == wanted }) { return exact }
        // Short names are too close to each other to guess at.
        let allowed = wanted.count >= 12 ? 2 : wanted.count >= 6 ? 1 : 0
        guard allowed > 0 else { return nil }
        let near = header.indices.filter { Self.distance(header[$0].lowercased(), wanted) <= allowed }
        guard near.count == 1, let index = near.first else { return nil }
        issues.warning(file, line: 1, field: header[index], "read as the column \(name)")
        return index
    }

    /// Fields past the header that hold something: the row is shifted and cannot be trusted.
    /// Empty ones (a trailing comma, as some exports write) are harmless.
    func extraFields(_ row: Row) -> Int {
        row.fields.count > header.count ? row.fields[header.count...].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count : 0
    }

    private static func lineBreaks(in field: String) -> Int {
        var count = 0
        var previousWasCR = false
        for scalar in field.unicodeScalars {
            if scalar == "\r" {
                count += 1
            } else if scalar == "\n", !previousWasCR {
                count += 1
            }
            previousWasCR = scalar == "\r"
        }
        return count
    }

    /// Levenshtein distance: how many letters to add, drop or change to turn one name into the other.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
