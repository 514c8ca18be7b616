import Foundation

/// One row of a spreadsheet as read from a `.csv`, `.tsv` or `.xlsx` file.
struct SheetRow {
    /// The row's number as the spreadsheet program shows it (the header is usually row 1; a CSV
    /// row that holds a line break inside quotes is numbered by the line it starts on).
    var number: Int
    /// The cells, by column (0 is column A); missing cells at the end are empty.
    var cells: [SheetCell]

    func cell(_ column: Int?) -> SheetCell {
        guard let column, column < cells.count else { return .empty }
        return cells[column]
    }

    /// Whether every cell is empty or blank.
    var isBlank: Bool { cells.allSatisfy(\.isBlank) }
}

/// A cell's value: text as written, or a number or date that an `.xlsx` file stores as such.
enum SheetCell: Hashable {
    case empty
    case text(String)
    /// A number cell; `text` is how the file writes it (`10`, `0.85`).
    case number(Double, text: String)
    /// A number cell formatted as a date: days since the workbook's epoch (Excel's serial date).
    case date(serial: Double, epoch1904: Bool)

    /// The cell as a person reads it, trimmed.
    var text: String {
        switch self {
        case .empty: ""
        case .text(let text): text.trimmingWhiteSpace
        case .number(_, let text): text
        case .date(let serial, let epoch1904): SheetDate.day(serial: serial, epoch1904: epoch1904) ?? String(serial)
        }
    }

    var isBlank: Bool { text.isEmpty }
}

/// Where a sheet's rows come from, read one at a time so that a large file is never held whole.
protocol SheetRowSource {
    /// The file (and sheet, for a workbook) as named in issues: `sessions.xlsx[Sessions]`.
    var name: String { get }
    /// Calls `body` with each row in order; stops early when it returns false.
    func forEachRow(_ body: (SheetRow) -> Bool) throws(SheetReadError)
}

/// A sheet or file that cannot be read at all.
struct SheetReadError: Error, CustomStringConvertible {
    var description: String
}
