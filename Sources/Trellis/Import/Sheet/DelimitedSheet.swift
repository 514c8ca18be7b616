import CSV
import Foundation

/// A `.csv` or `.tsv` file read as a stream of rows by CSV.swift (RFC 4180: quoted fields,
/// doubled quotes, line breaks inside quotes, CR/LF/CRLF), so that memory does not grow with
/// the file. The delimiter is a tab for `.tsv` and `.tab`; for other files the one that the
/// header line uses most of `,`, `;` and tab (spreadsheet programs in much of Europe write `;`).
struct DelimitedSheet: SheetRowSource {
    let path: String
    let name: String

    /// Whether the file is not UTF-8 (spreadsheet programs on Windows write their own code
    /// page): it is then read whole, as Windows-1252. Only the first 64 kB are checked unless
    /// they are bad.
    static func isWindowsText(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        // The head may end inside a character.
        guard String(data: head, encoding: .utf8) == nil, String(data: head.dropLast(min(3, head.count)), encoding: .utf8) == nil || head.count < 64 * 1024 else {
            return false
        }
        return FileManager.default.contents(atPath: path).map { String(data: $0, encoding: .utf8) == nil } ?? false
    }

    func forEachRow(_ body: (SheetRow) -> Bool) throws(SheetReadError) {
        guard let stream = InputStream(fileAtPath: path) else { throw SheetReadError(description: "\(name): cannot read the file") }
        guard let head = FileHandle(forReadingAtPath: path).map({ handle in
            defer { try? handle.close() }
            return (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        }) else { throw SheetReadError(description: "\(name): cannot read the file") }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            throw SheetReadError(description: "\(name): the file is UTF-16 text; save it as CSV UTF-8 (or convert it with iconv -f UTF-16 -t UTF-8)")
        }
        let reader: CSVReader
        do {
            if Self.isWindowsText(path), let data = FileManager.default.contents(atPath: path) {
                let text = String(data: data, encoding: .windowsCP1252) ?? String(decoding: data, as: UTF8.self)
                reader = try CSVReader(string: text, hasHeaderRow: false, delimiter: delimiter(head))
            } else {
                reader = try CSVReader(stream: stream, hasHeaderRow: false, delimiter: delimiter(head))
            }
        } catch {
            throw SheetReadError(description: "\(name): cannot read the file as CSV (\(error))")
        }
        var line = 1
        var first = true
        while let fields = reader.next() {
            let start = line
            line += 1 + fields.reduce(0) { $0 + $1.filter { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.count }
            var cells = fields.map { $0.isEmpty ? SheetCell.empty : .text($0) }
            if first, case .text(let text) = cells.first, text.hasPrefix("\u{FEFF}") {
                cells[0] = .text(String(text.dropFirst()))
            }
            first = false
            guard body(SheetRow(number: start, cells: cells)) else { return }
        }
        // CSV.swift records its reader's end of the stream as `cannotReadFile`; only a stream error is one.
        if let error = reader.error, case CSVError.streamErrorHasOccurred = error {
            throw SheetReadError(description: "\(name):\(line): the file cannot be read (\(error))")
        }
    }

    private func delimiter(_ head: Data) -> UnicodeScalar {
        let lower = path.lowercased()
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return "\t" }
        let firstLine = head.prefix { $0 != 0x0A }
        let counts: [(UnicodeScalar, Int)] = [(",", 0x2C), (";", 0x3B), ("\t", 0x09)].map { scalar, byte in
            (scalar, firstLine.filter { $0 == UInt8(byte) }.count)
        }
        let best = counts.max { $0.1 < $1.1 }
        return best.map { $0.1 > 0 ? $0.0 : "," } ?? ","
    }
}
